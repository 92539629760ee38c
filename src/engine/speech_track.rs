//! Spoken cues on the sample clock: clips rendered before the session,
//! each starting at a fixed frame, one at a time (the coach's schedule
//! never overlaps them). Mixed centred; the renderer ducks clicks under it.

/// Pre-rendered speech and when each clip starts.
#[derive(Debug, Clone, Default)]
pub struct SpeechTrack {
    clips: Vec<Vec<f32>>,
    /// (frame on the renderer's clock, clip index), sorted by frame.
    schedule: Vec<(u64, usize)>,
    next: usize,
    /// The clip sounding now and the position in it.
    active: Option<(usize, usize)>,
    /// A clip asked for live, waiting for the one sounding to end.
    urgent: Option<usize>,
}

impl SpeechTrack {
    /// `schedule` holds (session frame from t = 0, clip index).
    pub fn new(clips: Vec<Vec<f32>>, mut schedule: Vec<(u64, usize)>) -> SpeechTrack {
        schedule.retain(|(_, clip)| *clip < clips.len());
        schedule.sort_by_key(|(at, _)| *at);
        SpeechTrack {
            clips,
            schedule,
            next: 0,
            active: None,
            urgent: None,
        }
    }

    /// Moves the schedule onto a clock that starts `preroll` frames earlier.
    pub(crate) fn offset(&mut self, preroll: u64) {
        for (at, _) in &mut self.schedule {
            *at += preroll;
        }
    }

    pub fn next_start(&self) -> Option<u64> {
        self.schedule.get(self.next).map(|(at, _)| *at)
    }

    pub fn speaking(&self) -> bool {
        self.active.is_some()
    }

    /// Frames until the clip sounding now ends.
    pub(crate) fn frames_left(&self) -> Option<usize> {
        let (clip, position) = self.active?;
        Some(self.clips[clip].len().saturating_sub(position))
    }

    /// The frame after the last word.
    pub fn end(&self) -> u64 {
        self.schedule
            .iter()
            .map(|(at, clip)| at + self.clips[*clip].len() as u64)
            .max()
            .unwrap_or(0)
    }

    /// Starts every clip due at `clock` (the latest one wins).
    pub(crate) fn start_due(&mut self, clock: u64) {
        while let Some(&(at, clip)) = self.schedule.get(self.next) {
            if at > clock {
                break;
            }
            self.active = Some((clip, (clock - at) as usize));
            self.next += 1;
        }
    }

    /// Speaks `clip` now, or as soon as the clip sounding ends.
    pub(crate) fn say(&mut self, clip: usize) {
        if clip >= self.clips.len() {
            return;
        }
        if self.active.is_none() {
            self.active = Some((clip, 0));
        } else {
            self.urgent = Some(clip);
        }
    }

    /// Drops what is sounding and resumes the schedule at `clock`.
    pub(crate) fn seek(&mut self, clock: u64) {
        self.active = None;
        self.next = self.schedule.partition_point(|(at, _)| *at < clock);
    }

    /// Adds `frames` frames of speech into `out` at frame `at`.
    pub(crate) fn mix(&mut self, out: &mut [f32], channels: usize, at: usize, frames: usize) {
        let Some((clip, position)) = self.active else {
            return;
        };
        let samples = &self.clips[clip];
        let n = frames.min(samples.len().saturating_sub(position));
        let target = &mut out[at * channels..(at + n) * channels];
        for (frame, s) in target
            .chunks_exact_mut(channels)
            .zip(&samples[position..position + n])
        {
            for x in frame.iter_mut().take(2) {
                *x += s;
            }
        }
        self.active = (position + n < samples.len()).then_some((clip, position + n));
        if self.active.is_none() {
            self.active = self.urgent.take().map(|clip| (clip, 0));
        }
    }
}

//! Spoken cues on the sample clock: clips rendered before the session,
//! each starting at a fixed frame, one at a time (the coach's schedule
//! never overlaps them). Mixed centred; the renderer ducks clicks under it.

/// Where a track's clips come from: held in memory (a live session: the
/// audio thread may not load anything), or loaded one at a time as each
/// starts (an offline render, so an hour of coaching never sits in memory
/// at once). Either way a clip's length is known before it is loaded.
pub trait ClipSource: Send + std::fmt::Debug {
    fn count(&self) -> usize;
    /// Frames in `clip`.
    fn len(&self, clip: usize) -> usize;
    /// The samples of `clip`, exactly `len(clip)` of them.
    fn samples(&mut self, clip: usize) -> &[f32];
}

/// Clips in memory: nothing to load, nothing allocated when read.
impl ClipSource for Vec<Vec<f32>> {
    fn count(&self) -> usize {
        Vec::len(self)
    }

    fn len(&self, clip: usize) -> usize {
        self[clip].len()
    }

    fn samples(&mut self, clip: usize) -> &[f32] {
        &self[clip]
    }
}

/// Pre-rendered speech and when each clip starts.
#[derive(Debug)]
pub struct SpeechTrack {
    clips: Box<dyn ClipSource>,
    /// (frame on the renderer's clock, clip index), sorted by frame.
    schedule: Vec<(u64, usize)>,
    next: usize,
    /// The clip sounding now and the position in it.
    active: Option<(usize, usize)>,
    /// A clip asked for live, waiting for the one sounding to end.
    urgent: Option<usize>,
}

impl Default for SpeechTrack {
    fn default() -> Self {
        SpeechTrack::new(Vec::new(), Vec::new())
    }
}

impl SpeechTrack {
    /// `schedule` holds (session frame from t = 0, clip index).
    pub fn new(clips: Vec<Vec<f32>>, schedule: Vec<(u64, usize)>) -> SpeechTrack {
        SpeechTrack::from_source(Box::new(clips), schedule)
    }

    /// A track whose clips come from `clips` (see `ClipSource`).
    pub fn from_source(clips: Box<dyn ClipSource>, mut schedule: Vec<(u64, usize)>) -> SpeechTrack {
        schedule.retain(|(_, clip)| *clip < clips.count());
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
        Some(self.clips.len(clip).saturating_sub(position))
    }

    /// The frame after the last word.
    pub fn end(&self) -> u64 {
        self.schedule
            .iter()
            .map(|(at, clip)| at + self.clips.len(*clip) as u64)
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
        if clip >= self.clips.count() {
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
        let samples = self.clips.samples(clip);
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

//! The placed tracks, each stretched to its anchors as rendering reaches
//! it: the offline music feed, and what the live worker renders into its
//! ring ([`super::music_worker`]). Decoding is the caller's (a
//! [`TrackSource`] hands over a track's stereo samples at the output
//! rate), so the engine touches no file.
//!
//! It stretches and allocates while rendering, so as a feed it is for
//! offline renders only; live, the worker calls it off the audio thread.

use std::sync::Arc;

use super::music_feed::{mix_stereo, MusicFeed};
use super::music_stretch::MapStretcher;
use crate::music::fit::track_time;

/// A fade at each end of a track, so that it never starts or stops with a
/// click: 10 ms, shorter than any beat. The fade-in ends on the track's
/// first beat, so that beat sounds whole.
const FADE_S: f64 = 0.01;

/// The music's level where no clicks play (stretch and rest steps),
/// against its level under the clicks: −6 dB, as the coach's voice ducks
/// the clicks, so that a stretch is calmer without going silent...
pub const REST_GAIN: f64 = 0.5;
/// ... reached over this long after the clicks stop, gently.
const QUIET_RAMP_S: f64 = 1.0;

/// A fresh stretcher is started this long before the first frame wanted
/// and its output dropped: its first block fades in (measured: without it
/// a track's first beat sounded 8 ms late, every later one within 2.4 ms).
/// Longer than Signalsmith's 120 ms block.
const WARM_UP_S: f64 = 0.15;

/// Hands over a track's samples (interleaved stereo at the output rate;
/// empty when it cannot be read).
pub type Loader = Box<dyn FnMut(usize) -> Vec<f32> + Send>;

/// Where the tracks' samples come from: a loader called when a track is
/// reached (offline), or one that decoded it ahead on a thread of its own
/// (live: [`super::music_prefetch`]).
pub trait TrackSource: Send {
    /// Track `track`'s samples; may wait for them.
    fn track(&mut self, track: usize) -> Arc<Vec<f32>>;
    /// `track` is planned to play next: a source may start reading it.
    fn upcoming(&mut self, _track: usize) {}
}

impl TrackSource for Loader {
    fn track(&mut self, track: usize) -> Arc<Vec<f32>> {
        Arc::new(self(track))
    }
}

/// One track on the session's clock.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedTrack {
    /// Which track the loader is asked for.
    pub track: usize,
    /// (track frame, session frame) pairs at the output rate.
    pub anchors: Vec<(f64, f64)>,
    /// Session frame from which it plays at `REST_GAIN` (no clicks there).
    pub quiet_from: Option<f64>,
}

impl PlacedTrack {
    fn span(&self) -> (f64, f64) {
        (self.anchors[0].1, self.anchors[self.anchors.len() - 1].1)
    }
}

struct Playing {
    index: usize,
    stretcher: MapStretcher,
    /// Session frame of the stretcher's output frame 0.
    origin: i64,
    /// The session frame it will output next.
    next: i64,
}

pub struct StretchedMusic {
    rate: u32,
    tracks: Vec<PlacedTrack>,
    source: Box<dyn TrackSource>,
    /// The samples of the track playing (or last played): kept when the
    /// same track starts again on a fresh stretcher (a live re-plan).
    loaded: Option<(usize, Arc<Vec<f32>>)>,
    playing: Option<Playing>,
    block: Vec<f32>,
    /// `FADE_S` in frames.
    fade: f64,
    /// Whether a track covered the last frame rendered.
    sounding: bool,
}

impl StretchedMusic {
    /// `tracks` in session order, without overlaps.
    pub fn new(
        rate: u32,
        tracks: Vec<PlacedTrack>,
        source: Box<dyn TrackSource>,
    ) -> StretchedMusic {
        let mut music = StretchedMusic {
            rate,
            tracks: Vec::new(),
            source,
            loaded: None,
            playing: None,
            block: Vec::new(),
            fade: FADE_S * f64::from(rate),
            sounding: false,
        };
        music.replace(tracks);
        music
    }

    /// A new plan (a live re-plan): the next frame rendered starts a fresh
    /// stretcher, on the samples already loaded if its track is the same.
    pub fn replace(&mut self, tracks: Vec<PlacedTrack>) {
        self.tracks = tracks
            .into_iter()
            .filter(|t| t.anchors.len() >= 2)
            .collect();
        self.playing = None;
    }

    /// One more track after the others (a live worker plans as it goes).
    pub fn push(&mut self, track: PlacedTrack) {
        if track.anchors.len() >= 2 {
            self.source.upcoming(track.track);
            self.tracks.push(track);
        }
    }

    /// The samples of `track`, loaded once while it plays.
    fn samples(&mut self, track: usize) -> Arc<Vec<f32>> {
        match &self.loaded {
            Some((index, samples)) if *index == track => Arc::clone(samples),
            _ => {
                // The previous track's samples go before the next is read.
                self.loaded = None;
                let samples = self.source.track(track);
                self.loaded = Some((track, Arc::clone(&samples)));
                samples
            }
        }
    }

    /// The placed track sounding at session frame `frame`, if any, and
    /// else the first frame after it where one starts.
    fn at(&self, frame: i64) -> (Option<usize>, Option<i64>) {
        let f = frame as f64;
        let index = self.tracks.partition_point(|t| t.span().1 <= f);
        match self.tracks.get(index) {
            Some(t) if t.span().0 - self.fade <= f => (Some(index), None),
            Some(t) => (None, Some((t.span().0 - self.fade).ceil() as i64)),
            None => (None, None),
        }
    }

    /// Renders stereo music for session frames from `from` into `out`
    /// (interleaved stereo, overwritten).
    pub fn render(&mut self, from: i64, out: &mut [f32]) {
        out.fill(0.0);
        let frames = out.len() / 2;
        self.sounding = self.at(from + frames as i64 - 1).0.is_some();
        let mut done = 0;
        while done < frames {
            let frame = from + done as i64;
            let (index, next_start) = self.at(frame);
            let Some(index) = index else {
                let gap =
                    next_start.map_or(frames - done, |s| ((s - frame) as usize).min(frames - done));
                done += gap.max(1);
                continue;
            };
            let end = self.tracks[index].span().1.ceil() as i64;
            let n = ((end - frame) as usize).clamp(1, frames - done);
            let goes_on = matches!(&self.playing,
                Some(p) if p.next == frame && (p.index == index || self.joined(p.index, index)));
            if !goes_on {
                self.start(index, frame);
            }
            let (Some(playing), Some((_, samples))) = (self.playing.as_mut(), &self.loaded) else {
                break;
            };
            let anchors = &self.tracks[index].anchors;
            let origin = playing.origin;
            let map = |o: f64| track_time(anchors, origin as f64 + o);
            let chunk = &mut out[2 * done..2 * (done + n)];
            playing.stretcher.produce(samples, chunk, &map);
            playing.next = frame + n as i64;
            playing.index = index;
            let gain = self.gain(index);
            for (i, pair) in chunk.chunks_exact_mut(2).enumerate() {
                let g = gain((frame + i as i64) as f64) as f32;
                pair[0] *= g;
                pair[1] *= g;
            }
            done += n;
        }
    }

    /// Whether placed track `b` goes on from where `a` ends: the same
    /// track, one stretcher, no fade between them.
    fn joined(&self, a: usize, b: usize) -> bool {
        match (self.tracks.get(a), self.tracks.get(b)) {
            (Some(x), Some(y)) => b == a + 1 && x.track == y.track && x.span().1 == y.span().0,
            _ => false,
        }
    }

    /// Placed track `index`'s gain by session frame: its fades (none where
    /// it joins another placement of itself), quieter where no clicks play.
    fn gain(&self, index: usize) -> impl Fn(f64) -> f64 {
        let (start, stop) = self.tracks[index].span();
        let fade = self.fade;
        let fade_in = index == 0 || !self.joined(index - 1, index);
        let fade_out = !self.joined(index, index + 1);
        let quiet_from = self.tracks[index].quiet_from;
        let ramp = QUIET_RAMP_S * f64::from(self.rate);
        move |f: f64| {
            let rise = if fade_in {
                (f - start) / fade + 1.0
            } else {
                f64::INFINITY
            };
            let fall = if fade_out {
                (stop - f) / fade
            } else {
                f64::INFINITY
            };
            let quiet = quiet_from.map_or(1.0, |q| {
                1.0 - (1.0 - REST_GAIN) * ((f - q) / ramp).clamp(0.0, 1.0)
            });
            rise.min(fall).clamp(0.0, 1.0) * quiet
        }
    }

    /// Whether a track covered the last frame rendered.
    pub fn sounding(&self) -> bool {
        self.sounding
    }

    /// A fresh stretcher for placed track `index`, its next output being
    /// session frame `frame`.
    fn start(&mut self, index: usize, frame: i64) {
        let samples = self.samples(self.tracks[index].track);
        let warm_up = (WARM_UP_S * f64::from(self.rate)) as usize;
        let origin = frame - warm_up as i64;
        let anchors = &self.tracks[index].anchors;
        let map = |o: f64| track_time(anchors, origin as f64 + o);
        let mut stretcher = MapStretcher::new(self.rate, &samples, &map);
        let mut dropped = vec![0.0f32; 2 * warm_up];
        stretcher.produce(&samples, &mut dropped, &map);
        self.playing = Some(Playing {
            index,
            stretcher,
            origin,
            next: frame,
        });
    }
}

impl MusicFeed for StretchedMusic {
    fn mix(
        &mut self,
        from: i64,
        out: &mut [f32],
        channels: usize,
        at: usize,
        frames: usize,
        gain: f32,
    ) {
        let mut block = std::mem::take(&mut self.block);
        block.resize(2 * frames, 0.0);
        self.render(from, &mut block);
        mix_stereo(&block, out, channels, at, gain);
        self.block = block;
    }

    fn sounding(&self) -> bool {
        self.sounding
    }
}

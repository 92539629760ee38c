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
    /// The placed track it plays.
    index: usize,
    stretcher: MapStretcher,
    /// Session frame of the stretcher's output frame 0.
    origin: i64,
    /// The session frame it will output next.
    next: i64,
}

/// How a placed track comes in or goes out.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Edge {
    /// A `FADE_S` fade (the track before or after is elsewhere).
    Short,
    /// Equal-power over session frames `(from, to)`: the track before or
    /// after sounds there too (see `crate::music::plan::crossfade_clicks`).
    Crossfade(f64, f64),
    /// None: the same track goes on, on the same stretcher.
    Joined,
}

pub struct StretchedMusic {
    rate: u32,
    tracks: Vec<PlacedTrack>,
    source: Box<dyn TrackSource>,
    /// The samples of the tracks playing (or last played): kept when the
    /// same track starts again on a fresh stretcher (a live re-plan).
    loaded: Vec<(usize, Arc<Vec<f32>>)>,
    /// A stretcher per track sounding: two during a crossfade.
    playing: Vec<Playing>,
    block: Vec<f32>,
    /// One track's share of a render.
    scratch: Vec<f32>,
    /// `FADE_S` in frames.
    fade: f64,
    /// Whether a track covered the last frame rendered.
    sounding: bool,
    /// The newest track sounding at the last frame rendered, and its speed.
    now: Option<(usize, f64)>,
}

impl StretchedMusic {
    /// `tracks` in session order; each overlaps at most the one before
    /// and the one after (a crossfade).
    pub fn new(
        rate: u32,
        tracks: Vec<PlacedTrack>,
        source: Box<dyn TrackSource>,
    ) -> StretchedMusic {
        let mut music = StretchedMusic {
            rate,
            tracks: Vec::new(),
            source,
            loaded: Vec::new(),
            playing: Vec::new(),
            block: Vec::new(),
            scratch: Vec::new(),
            fade: FADE_S * f64::from(rate),
            sounding: false,
            now: None,
        };
        music.replace(tracks);
        music
    }

    /// A new plan (a live re-plan): the next frame rendered starts fresh
    /// stretchers, on the samples already loaded for the same tracks.
    pub fn replace(&mut self, tracks: Vec<PlacedTrack>) {
        self.tracks = tracks
            .into_iter()
            .filter(|t| t.anchors.len() >= 2)
            .collect();
        self.playing.clear();
    }

    /// One more track after the others (a live worker plans as it goes).
    pub fn push(&mut self, track: PlacedTrack) {
        if track.anchors.len() >= 2 {
            self.source.upcoming(track.track);
            self.tracks.push(track);
        }
    }

    /// The samples of `track`, loaded once while it plays. Those of tracks
    /// that have stopped by `frame` go before another is read.
    fn samples(&mut self, track: usize, frame: i64) -> Arc<Vec<f32>> {
        if let Some((_, samples)) = self.loaded.iter().find(|(t, _)| *t == track) {
            return Arc::clone(samples);
        }
        let f = frame as f64;
        let tracks = &self.tracks;
        self.loaded.retain(|(t, _)| {
            tracks
                .iter()
                .any(|placed| placed.track == *t && placed.span().1 > f)
        });
        let samples = self.source.track(track);
        self.loaded.push((track, Arc::clone(&samples)));
        samples
    }

    /// Session frames where placed track `index` sounds: from its fade-in
    /// (none in a crossfade or a join) to the end of its span.
    fn sounds(&self, index: usize) -> (f64, f64) {
        let (start, stop) = self.tracks[index].span();
        match self.edges(index).0 {
            Edge::Short => (start - self.fade, stop),
            _ => (start, stop),
        }
    }

    /// How placed track `index` comes in and goes out.
    fn edges(&self, index: usize) -> (Edge, Edge) {
        let edge = |a: usize, b: usize| {
            let (Some(x), Some(y)) = (self.tracks.get(a), self.tracks.get(b)) else {
                return Edge::Short;
            };
            if self.joined(a, b) {
                Edge::Joined
            } else if y.span().0 < x.span().1 {
                Edge::Crossfade(y.span().0, x.span().1)
            } else {
                Edge::Short
            }
        };
        let coming = index.checked_sub(1).map_or(Edge::Short, |a| edge(a, index));
        (coming, edge(index, index + 1))
    }

    /// Renders stereo music for session frames from `from` into `out`
    /// (interleaved stereo, overwritten): every track sounding there, each
    /// on its own stretcher, at its gain.
    pub fn render(&mut self, from: i64, out: &mut [f32]) {
        out.fill(0.0);
        let to = from + (out.len() / 2) as i64;
        // Those before `first` have stopped (tracks start in order; one
        // re-pinned after a nudge may end before the one before it).
        let first = self
            .tracks
            .iter()
            .position(|t| t.span().1 > from as f64)
            .unwrap_or(self.tracks.len());
        self.playing.retain(|p| p.index + 1 >= first);
        self.sounding = false;
        self.now = None;
        let mut scratch = std::mem::take(&mut self.scratch);
        for index in first..self.tracks.len() {
            let (start, stop) = self.sounds(index);
            if start > (to - 1) as f64 {
                break;
            }
            let last = (to - 1) as f64;
            if start <= last && last < stop {
                self.sounding = true;
                let anchors = &self.tracks[index].anchors;
                let speed = track_time(anchors, last + 1.0) - track_time(anchors, last);
                self.now = Some((self.tracks[index].track, speed));
            }
            let a = from.max(start.ceil() as i64);
            let b = to.min(stop.ceil() as i64);
            if a >= b {
                continue;
            }
            scratch.clear();
            scratch.resize(2 * (b - a) as usize, 0.0);
            if self.render_track(index, a, &mut scratch) {
                let gain = self.gain(index);
                let at = 2 * (a - from) as usize;
                for (i, (o, x)) in out[at..]
                    .chunks_exact_mut(2)
                    .zip(scratch.chunks_exact(2))
                    .enumerate()
                {
                    let g = gain((a + i as i64) as f64) as f32;
                    o[0] += g * x[0];
                    o[1] += g * x[1];
                }
            }
        }
        self.scratch = scratch;
    }

    /// Placed track `index`'s music for session frames from `frame` into
    /// `out`, on the stretcher playing it (or the same track just before
    /// it, joined), else on a fresh one. Whether there was any.
    fn render_track(&mut self, index: usize, frame: i64, out: &mut [f32]) -> bool {
        let slot = self
            .playing
            .iter()
            .position(|p| p.next == frame && (p.index == index || self.joined(p.index, index)));
        let slot = match slot {
            Some(slot) => slot,
            None => {
                self.playing.retain(|p| p.index != index);
                self.start(index, frame);
                self.playing.len() - 1
            }
        };
        let track = self.tracks[index].track;
        let Some((_, samples)) = self.loaded.iter().find(|(t, _)| *t == track) else {
            return false;
        };
        let playing = &mut self.playing[slot];
        let anchors = &self.tracks[index].anchors;
        let origin = playing.origin;
        let map = |o: f64| track_time(anchors, origin as f64 + o);
        playing.stretcher.produce(samples, out, &map);
        playing.next = frame + (out.len() / 2) as i64;
        playing.index = index;
        true
    }

    /// Whether placed track `b` goes on from where `a` ends: the same
    /// track, one stretcher, no fade between them.
    fn joined(&self, a: usize, b: usize) -> bool {
        match (self.tracks.get(a), self.tracks.get(b)) {
            (Some(x), Some(y)) => b == a + 1 && x.track == y.track && x.span().1 == y.span().0,
            _ => false,
        }
    }

    /// Placed track `index`'s gain by session frame: its fades (a
    /// crossfade's equal-power half where another track sounds with it,
    /// none where it joins another placement of itself), quieter where no
    /// clicks play.
    fn gain(&self, index: usize) -> impl Fn(f64) -> f64 {
        let (start, stop) = self.tracks[index].span();
        let fade = self.fade;
        let (coming, going) = self.edges(index);
        let quiet_from = self.tracks[index].quiet_from;
        let ramp = QUIET_RAMP_S * f64::from(self.rate);
        let quarter = std::f64::consts::FRAC_PI_2;
        move |f: f64| {
            let rise = match coming {
                Edge::Short => ((f - start) / fade + 1.0).clamp(0.0, 1.0),
                Edge::Crossfade(a, b) => (quarter * ((f - a) / (b - a)).clamp(0.0, 1.0)).sin(),
                Edge::Joined => 1.0,
            };
            let fall = match going {
                Edge::Short => ((stop - f) / fade).clamp(0.0, 1.0),
                Edge::Crossfade(a, b) => (quarter * ((f - a) / (b - a)).clamp(0.0, 1.0)).cos(),
                Edge::Joined => 1.0,
            };
            let quiet = quiet_from.map_or(1.0, |q| {
                1.0 - (1.0 - REST_GAIN) * ((f - q) / ramp).clamp(0.0, 1.0)
            });
            rise.min(fall) * quiet
        }
    }

    /// Whether a track covered the last frame rendered.
    pub fn sounding(&self) -> bool {
        self.sounding
    }

    /// The track (its place in the playlist) sounding at the last frame
    /// rendered, the newest in a crossfade, and its speed there.
    pub fn now_playing(&self) -> Option<(usize, f64)> {
        self.now
    }

    /// A fresh stretcher for placed track `index`, its next output being
    /// session frame `frame`.
    fn start(&mut self, index: usize, frame: i64) {
        let samples = self.samples(self.tracks[index].track, frame);
        let warm_up = (WARM_UP_S * f64::from(self.rate)) as usize;
        let origin = frame - warm_up as i64;
        let anchors = &self.tracks[index].anchors;
        let map = |o: f64| track_time(anchors, origin as f64 + o);
        let mut stretcher = MapStretcher::new(self.rate, &samples, &map);
        let mut dropped = vec![0.0f32; 2 * warm_up];
        stretcher.produce(&samples, &mut dropped, &map);
        self.playing.push(Playing {
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

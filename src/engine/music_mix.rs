//! The offline music feed: the placed tracks, each stretched to its
//! anchors as the renderer reaches it. Decoding is the caller's (a loader
//! hands over a track's stereo samples at the output rate), so the engine
//! touches no file.
//!
//! It stretches and allocates inside `mix`, so it is for offline renders
//! only; the live path fills a ring from a worker instead.

use super::music_feed::MusicFeed;
use super::music_stretch::MapStretcher;
use crate::music::fit::track_time;

/// A fade at each end of a track, so that it never starts or stops with a
/// click: 10 ms, shorter than any beat. The fade-in ends on the track's
/// first beat, so that beat sounds whole.
const FADE_S: f64 = 0.01;

/// A fresh stretcher is started this long before the first frame wanted
/// and its output dropped: its first block fades in (measured: without it
/// a track's first beat sounded 8 ms late, every later one within 2.4 ms).
/// Longer than Signalsmith's 120 ms block.
const WARM_UP_S: f64 = 0.15;

/// Hands over a track's samples (interleaved stereo at the output rate).
pub type Loader = Box<dyn FnMut(usize) -> Vec<f32> + Send>;

/// One track on the session's clock.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedTrack {
    /// Which track the loader is asked for.
    pub track: usize,
    /// (track frame, session frame) pairs at the output rate.
    pub anchors: Vec<(f64, f64)>,
}

impl PlacedTrack {
    fn span(&self) -> (f64, f64) {
        (self.anchors[0].1, self.anchors[self.anchors.len() - 1].1)
    }
}

struct Playing {
    index: usize,
    samples: Vec<f32>,
    stretcher: MapStretcher,
    /// Session frame of the stretcher's output frame 0.
    origin: i64,
    /// The session frame it will output next.
    next: i64,
}

pub struct StretchedMusic {
    rate: u32,
    tracks: Vec<PlacedTrack>,
    loader: Loader,
    playing: Option<Playing>,
    block: Vec<f32>,
    /// `FADE_S` in frames.
    fade: f64,
}

impl StretchedMusic {
    /// `tracks` in session order, without overlaps.
    pub fn new(rate: u32, tracks: Vec<PlacedTrack>, loader: Loader) -> StretchedMusic {
        let tracks = tracks
            .into_iter()
            .filter(|t| t.anchors.len() >= 2)
            .collect();
        StretchedMusic {
            rate,
            tracks,
            loader,
            playing: None,
            block: Vec::new(),
            fade: FADE_S * f64::from(rate),
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

    /// Stereo music for `frames` frames from session frame `from` into
    /// `self.block`.
    fn render(&mut self, from: i64, frames: usize) {
        self.block.clear();
        self.block.resize(2 * frames, 0.0);
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
            let track = &self.tracks[index];
            let end = track.span().1.ceil() as i64;
            let n = ((end - frame) as usize).clamp(1, frames - done);
            let fresh = !matches!(&self.playing, Some(p) if p.index == index && p.next == frame);
            if fresh {
                let samples = (self.loader)(track.track);
                let warm_up = (WARM_UP_S * f64::from(self.rate)) as usize;
                let origin = frame - warm_up as i64;
                let anchors = track.anchors.clone();
                let map = move |o: f64| track_time(&anchors, origin as f64 + o);
                let mut stretcher = MapStretcher::new(self.rate, &samples, &map);
                let mut dropped = vec![0.0f32; 2 * warm_up];
                stretcher.produce(&samples, &mut dropped, &map);
                self.playing = Some(Playing {
                    index,
                    samples,
                    stretcher,
                    origin,
                    next: frame,
                });
            }
            let Some(playing) = self.playing.as_mut() else {
                break;
            };
            let anchors = &self.tracks[index].anchors;
            let origin = playing.origin;
            let map = |o: f64| track_time(anchors, origin as f64 + o);
            playing.stretcher.produce(
                &playing.samples,
                &mut self.block[2 * done..2 * (done + n)],
                &map,
            );
            playing.next = frame + n as i64;
            let (start, stop) = self.tracks[index].span();
            let fade = self.fade;
            for (i, pair) in self.block[2 * done..2 * (done + n)]
                .chunks_exact_mut(2)
                .enumerate()
            {
                let f = (frame + i as i64) as f64;
                let gain = ((f - start) / fade + 1.0)
                    .min((stop - f) / fade)
                    .clamp(0.0, 1.0) as f32;
                pair[0] *= gain;
                pair[1] *= gain;
            }
            done += n;
        }
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
        self.render(from, frames);
        let target = &mut out[at * channels..(at + frames) * channels];
        for (frame, music) in target
            .chunks_exact_mut(channels)
            .zip(self.block.chunks_exact(2))
        {
            if channels == 1 {
                frame[0] += gain * 0.5 * (music[0] + music[1]);
            } else {
                frame[0] += gain * music[0];
                frame[1] += gain * music[1];
            }
        }
    }
}

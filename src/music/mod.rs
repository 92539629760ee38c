//! The runner's own music: where a track's beats are.
//!
//! Pure: mono samples in, a beat grid out (no files, no devices; `io`
//! decodes and caches, `app` prints). The tracker is the classic one:
//! an onset-strength envelope ([`onset`]), the beat period from its
//! autocorrelation with a tempo prior ([`tempo_estimate`]), beat positions
//! by dynamic programming (Ellis 2007, [`beat_dp`]), each refined to the
//! onset peak within a few milliseconds, and the bar's first beat from
//! the bass ([`downbeat`]). [`fit`] decides which tracks can follow the
//! cadence and pins their beats to clicks; [`plan`] lays the playlist
//! over a session's clicks. [`score`] is the MIR F-measure it is judged by
//! (docs/music.md has the figures).

pub mod beat_dp;
pub mod downbeat;
pub mod fit;
pub mod onset;
pub mod plan;
pub mod score;
pub mod tempo_estimate;

use onset::{Envelope, OnsetStream};
use serde::{Deserialize, Serialize};

/// Bumped whenever the tracker's results change, so that cached grids
/// computed by an older tracker are recomputed.
pub const TRACKER_VERSION: u32 = 1;
/// Detrending window: the envelope minus its one-second moving average,
/// so a loud chorus does not outvote the verse's beats.
const DETREND_S: f64 = 1.0;
/// A tracked beat moves to the strongest onset within this distance:
/// the DP lands within a frame or two of it, and real off-beats are a
/// quarter of a period or more away.
const REFINE_S: f64 = 0.02;

/// A track's beats, in seconds from its first sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BeatGrid {
    /// Beats per minute over the track: 60 / the mean beat interval (the
    /// slope of the line through the beat times).
    pub tempo: f64,
    /// How clearly the onsets repeat at the beat period, 0 – 1 (the
    /// normalised autocorrelation of the onset envelope there): above
    /// about 0.2 the pulse is plain to hear; near 0 the beats are a guess.
    pub confidence: f64,
    pub beats: Vec<f64>,
    /// Beats per bar (3 or 4); 0 when no bar was found.
    pub beats_per_bar: usize,
    /// The beats that start a bar.
    pub downbeats: Vec<f64>,
}

impl BeatGrid {
    /// No beats: a track too short or without a pulse.
    pub fn empty() -> BeatGrid {
        BeatGrid {
            tempo: 0.0,
            confidence: 0.0,
            beats: Vec::new(),
            beats_per_bar: 0,
            downbeats: Vec::new(),
        }
    }
}

/// Analyses a track fed block by block.
pub struct BeatTracker {
    onsets: OnsetStream,
}

impl BeatTracker {
    pub fn new(rate: u32) -> BeatTracker {
        BeatTracker {
            onsets: OnsetStream::new(rate),
        }
    }

    pub fn feed(&mut self, mono: &[f32]) {
        self.onsets.feed(mono);
    }

    pub fn finish(self) -> BeatGrid {
        grid_of(&self.onsets.finish())
    }
}

/// The beat grid of a whole mono track.
pub fn track_beats(mono: &[f32], rate: u32) -> BeatGrid {
    let mut tracker = BeatTracker::new(rate);
    tracker.feed(mono);
    tracker.finish()
}

/// The envelope detrended (minus its moving average, floored at zero) and
/// scaled to unit standard deviation.
fn normalised(x: &[f32], frame_rate: f64) -> Vec<f32> {
    let half = ((DETREND_S * frame_rate / 2.0) as usize).max(1);
    let mut prefix = vec![0.0f64; x.len() + 1];
    for (i, v) in x.iter().enumerate() {
        prefix[i + 1] = prefix[i] + f64::from(*v);
    }
    let detrended: Vec<f32> = (0..x.len())
        .map(|i| {
            let (lo, hi) = (i.saturating_sub(half), (i + half + 1).min(x.len()));
            let mean = (prefix[hi] - prefix[lo]) / (hi - lo) as f64;
            (f64::from(x[i]) - mean).max(0.0) as f32
        })
        .collect();
    let n = detrended.len().max(1) as f64;
    let mean = detrended.iter().map(|v| f64::from(*v)).sum::<f64>() / n;
    let sd = (detrended
        .iter()
        .map(|v| (f64::from(*v) - mean).powi(2))
        .sum::<f64>()
        / n)
        .sqrt();
    if sd <= 0.0 {
        return detrended;
    }
    detrended
        .iter()
        .map(|v| (f64::from(*v) / sd) as f32)
        .collect()
}

/// The frame of the strongest onset within `reach` frames of `frame`, to a
/// fraction of a frame (a parabola through the peak and its neighbours).
fn refined(envelope: &[f32], frame: usize, reach: usize) -> f64 {
    let lo = frame.saturating_sub(reach).max(1);
    let hi = (frame + reach).min(envelope.len().saturating_sub(2));
    if lo > hi {
        return frame as f64;
    }
    let peak = (lo..=hi)
        .max_by(|a, b| envelope[*a].total_cmp(&envelope[*b]))
        .unwrap_or(frame);
    let (l, c, r) = (
        f64::from(envelope[peak - 1]),
        f64::from(envelope[peak]),
        f64::from(envelope[peak + 1]),
    );
    let curvature = l - 2.0 * c + r;
    let shift = if curvature < 0.0 {
        (0.5 * (l - r) / curvature).clamp(-0.5, 0.5)
    } else {
        0.0
    };
    peak as f64 + shift
}

/// The beat interval as the slope of the least-squares line through the
/// beat times: every beat counts, so one frame's rounding does not show in
/// the tempo as it would in any single interval.
fn mean_interval(beats: &[f64]) -> Option<f64> {
    let n = beats.len();
    if n < 2 {
        return None;
    }
    let mean_i = (n - 1) as f64 / 2.0;
    let mean_t = beats.iter().sum::<f64>() / n as f64;
    let (mut num, mut den) = (0.0, 0.0);
    for (i, t) in beats.iter().enumerate() {
        num += (i as f64 - mean_i) * (t - mean_t);
        den += (i as f64 - mean_i).powi(2);
    }
    Some(num / den)
}

fn grid_of(envelope: &Envelope) -> BeatGrid {
    let rate = envelope.frame_rate;
    let flux = normalised(&envelope.flux, rate);
    let Some(tempo) = tempo_estimate::estimate(&flux, rate) else {
        return BeatGrid::empty();
    };
    let local = beat_dp::local_score(&flux, tempo.period);
    let frames = beat_dp::track(&local, tempo.period);
    let reach = (REFINE_S * rate).round() as usize;
    let beats: Vec<f64> = frames
        .iter()
        .map(|&f| envelope.hit_time(refined(&flux, f, reach)).max(0.0))
        .collect();
    let tempo_bpm = mean_interval(&beats).map_or(60.0 * rate / tempo.period, |i| 60.0 / i);
    let bass = normalised(&envelope.bass, rate);
    let accent_reach = (tempo.period / 8.0).round() as usize;
    let accents: Vec<f64> = frames
        .iter()
        .map(|&f| {
            let (lo, hi) = (
                f.saturating_sub(accent_reach),
                (f + accent_reach + 1).min(bass.len()),
            );
            f64::from(bass[lo..hi].iter().copied().fold(0.0, f32::max))
        })
        .collect();
    let bar = downbeat::find_bar(&accents);
    let downbeats = bar.map_or_else(Vec::new, |bar| {
        beats
            .iter()
            .skip(bar.first)
            .step_by(bar.beats_per_bar)
            .copied()
            .collect()
    });
    BeatGrid {
        tempo: tempo_bpm,
        confidence: tempo.clarity,
        beats,
        beats_per_bar: bar.map_or(0, |b| b.beats_per_bar),
        downbeats,
    }
}

#[cfg(test)]
mod tests;

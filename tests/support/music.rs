//! Music for the tests: generated drum tracks of known beats, a live
//! session's music rig (ring, worker, engine) driven block by block as the
//! audio callback and the worker would run, and the check that every beat
//! lands on its click.
#![allow(dead_code)]

use treadbeat::engine::music_mix::{Loader, TrackSource};
use treadbeat::engine::music_ring::{music_ring, MusicHealth, RING_LEAD_S};
use treadbeat::engine::music_worker::MusicWorker;
use treadbeat::engine::Renderer;
use treadbeat::music::plan::Playlist;
use treadbeat::music::{BeatGrid, BeatTracker};
use treadbeat::plan::Timeline;
use treadbeat::tempo::TempoMap;

pub const RATE: u32 = 48000;

/// A stereo track at `bpm` of sharp noise hits from `start` s (louder on
/// every fourth: the downbeat), at `RATE`; `seed` varies the noise.
pub fn drum_track(bpm: f64, start: f64, seconds: f64, seed: u64) -> Vec<f32> {
    let sr = f64::from(RATE);
    let frames = (seconds * sr) as usize;
    let mut out = vec![0.0f32; 2 * frames];
    let mut state = 7 + seed;
    let mut k = 0;
    while start + f64::from(k) * 60.0 / bpm + 0.2 < seconds {
        let at = ((start + f64::from(k) * 60.0 / bpm) * sr).round() as usize;
        let level = if k % 4 == 0 { 0.9 } else { 0.5 };
        for j in 0..4000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let noise = ((state >> 40) as f32 / (1u64 << 23) as f32) - 1.0;
            let x = level * (-(j as f32) / 400.0).exp() * noise;
            out[2 * (at + j)] += x;
            out[2 * (at + j) + 1] += x;
        }
        k += 1;
    }
    out
}

/// `drum_track`'s hits at 0.6 of their level, each with a tone of `hz`
/// ringing out over 0.1 s under it: most of a beat's energy is then the
/// tone, which a time-stretch keeps steady (the noise hits' energy comes
/// out of the stretcher a few dB up or down, hit by hit), so that a beat's
/// level can be measured.
pub fn tone_drum_track(bpm: f64, start: f64, seconds: f64, seed: u64, hz: f64) -> Vec<f32> {
    let sr = f64::from(RATE);
    let mut out = drum_track(bpm, start, seconds, seed);
    out.iter_mut().for_each(|x| *x *= 0.6);
    let mut k = 0;
    while start + f64::from(k) * 60.0 / bpm + 0.2 < seconds {
        let at = ((start + f64::from(k) * 60.0 / bpm) * sr).round() as usize;
        for j in 0..(0.4 * sr) as usize {
            let Some(pair) = out.get_mut(2 * (at + j)..2 * (at + j) + 2) else {
                break;
            };
            let t = j as f64 / sr;
            let x = (0.3 * (-t / 0.1).exp() * (std::f64::consts::TAU * hz * t).sin()) as f32;
            pair[0] += x;
            pair[1] += x;
        }
        k += 1;
    }
    out
}

/// The beat tracker's grid of a stereo track, as the beat cache would hold.
pub fn grid_of(stereo: &[f32]) -> BeatGrid {
    let mono: Vec<f32> = stereo
        .chunks_exact(2)
        .map(|p| 0.5 * (p[0] + p[1]))
        .collect();
    let mut tracker = BeatTracker::new(RATE);
    tracker.feed(&mono);
    tracker.finish()
}

/// Gives `renderer` live music from `tracks`: a ring and its worker, the
/// ring filled as a stream's start would wait for it. The worker is the
/// caller's to step (`work`) between blocks.
pub fn live_music(
    renderer: &mut Renderer,
    timeline: &Timeline,
    tracks: Vec<Vec<f32>>,
) -> (MusicWorker, std::sync::Arc<MusicHealth>) {
    let grids: Vec<Option<BeatGrid>> = tracks.iter().map(|t| Some(grid_of(t))).collect();
    let plan = Playlist {
        grids: grids.into(),
        map: std::sync::Arc::new(TempoMap::from_timeline(timeline)),
        end_s: timeline.total_s(),
        rests: true,
    };
    let start = renderer.music_start();
    let (feed, fill) = music_ring(RATE, RING_LEAD_S, start.frame);
    let health = feed.health();
    let loader: Loader = Box::new(move |i: usize| tracks[i].clone());
    let source: Box<dyn TrackSource> = Box::new(loader);
    let mut worker = MusicWorker::new(RATE, plan, source, start, fill);
    while worker.work() {}
    renderer.set_music(Box::new(feed), 0.5);
    (worker, health)
}

/// How a click's beat sounded: `None` when no music plays around it.
pub fn beat_offset_s(left: &[f32], click: usize) -> Option<f64> {
    let sr = f64::from(RATE);
    let window = (0.1 * sr) as usize;
    let lo = click.saturating_sub(window);
    let hi = (click + window).min(left.len());
    let top = left[lo..hi].iter().map(|x| x.abs()).fold(0.0, f32::max);
    if top < 0.05 {
        return None;
    }
    let first = left[lo..hi].iter().position(|x| x.abs() >= 0.5 * top)?;
    Some((lo + first) as f64 / sr - click as f64 / sr)
}

/// Writes interleaved stereo at `RATE` as a 16-bit WAV file.
pub fn write_wav(path: &std::path::Path, stereo: &[f32]) {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    for x in stereo {
        writer
            .write_sample((x.clamp(-1.0, 1.0) * 32767.0) as i16)
            .unwrap();
    }
    writer.finalize().unwrap();
}

/// A WAV file's samples as f32 (interleaved as written).
pub fn read_wav(path: &std::path::Path) -> Vec<f32> {
    hound::WavReader::open(path)
        .unwrap()
        .samples::<i16>()
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect()
}

/// `stereo` with one channel silenced (0: left kept, 1: right kept), so
/// that two tracks mixed together can be told apart.
pub fn one_channel(mut stereo: Vec<f32>, keep: usize) -> Vec<f32> {
    for pair in stereo.chunks_exact_mut(2) {
        pair[1 - keep] = 0.0;
    }
    stereo
}

/// A hit around a click in one channel: its onset from the click and its
/// peak, if the channel's peak within 100 ms either side passes `floor`.
pub fn hit_near(channel: &[f32], click: usize, floor: f32) -> Option<(f64, f32)> {
    let sr = f64::from(RATE);
    let window = (0.1 * sr) as usize;
    let lo = click.saturating_sub(window);
    let hi = (click + window).min(channel.len());
    let top = channel[lo..hi].iter().map(|x| x.abs()).fold(0.0, f32::max);
    if top < floor {
        return None;
    }
    let first = channel[lo..hi].iter().position(|x| x.abs() >= 0.5 * top)?;
    Some(((lo + first) as f64 / sr - click as f64 / sr, top))
}

/// A crossfade from the track in the left channel to the one in the
/// right, measured on the clicks (frames) it spans.
#[derive(Debug)]
pub struct Crossfade {
    /// Clicks where both tracks are heard.
    pub both: Vec<usize>,
    /// The worst beat (of either track) from its click, over every click
    /// either is heard on, the crossfade included.
    pub worst_s: f64,
    /// Beats checked.
    pub beats: usize,
    /// Power (left² + right²) of each beat from the bar before the
    /// crossfade to the bar after, in dB against the mean of the same beat
    /// of the bar before (the left track alone) and the bar after (the
    /// right alone).
    pub level_db: Vec<f64>,
}

/// Measures the join of a left-channel track into a right-channel one:
/// hits over 10 % of each channel's loudest count as heard.
pub fn crossfade(left: &[f32], right: &[f32], clicks: &[usize]) -> Crossfade {
    let top = |c: &[f32]| c.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    let (floor_l, floor_r) = (0.1 * top(left), 0.1 * top(right));
    let mut worst: f64 = 0.0;
    let mut beats = 0;
    let mut both = Vec::new();
    for (k, click) in clicks.iter().enumerate() {
        let l = hit_near(left, *click, floor_l);
        let r = hit_near(right, *click, floor_r);
        for (offset, _) in l.iter().chain(r.iter()) {
            worst = worst.max(offset.abs());
            beats += 1;
        }
        if l.is_some() && r.is_some() {
            both.push(k);
        }
    }
    // A beat's power: from its click to the next.
    let power = |k: usize| -> f64 {
        let (a, b) = (clicks[k], clicks[k + 1]);
        let sum: f64 = (a..b)
            .map(|i| f64::from(left[i]).powi(2) + f64::from(right[i]).powi(2))
            .sum();
        sum / (b - a) as f64
    };
    let mut level_db = Vec::new();
    if let (Some(&first), Some(&last)) = (both.first(), both.last()) {
        // The crossfade starts a click before the first where both are
        // heard (the incoming track at gain 0) and ends a click after.
        let (start, end) = (first - 1, last + 1);
        let bar = end - start;
        for k in start - bar..end + bar {
            let phase = (k + bar - start) % bar;
            let reference = 0.5 * (power(start - bar + phase) + power(end + phase));
            level_db.push(10.0 * (power(k) / reference).log10());
        }
    }
    Crossfade {
        both,
        worst_s: worst,
        beats,
        level_db,
    }
}

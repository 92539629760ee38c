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

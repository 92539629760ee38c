//! What music costs a live session (issue 21's bar: under 10 % of one
//! core), in three parts, each per second of music at 48 kHz stereo:
//!
//! - reading a track: decoding a 60 s MP3 (44.1 kHz, as most files are)
//!   and resampling it to 48 kHz, as the prefetch thread does once a track;
//! - the worker: planning and time-stretching at 0.95x into the ring, in
//!   its steady state (the ring full, refilled as the audio drains it);
//! - the audio callback: a 512-frame block of the live engine with the
//!   ring's music mixed in, against the same block without music.
//!
//! Run: `cargo bench --bench music` (criterion prints medians; the
//! per-second figures and shares of a core are in docs/music.md).

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use treadbeat::engine::music_feed::MusicFeed;
use treadbeat::engine::music_mix::Loader;
use treadbeat::engine::music_ring::{music_ring, RingFeed, RING_LEAD_S};
use treadbeat::engine::music_worker::{MusicStart, MusicWorker};
use treadbeat::engine::resample::resampled;
use treadbeat::engine::{renderer_for, ClickSounds, ClickStyle, LiveEngine, Renderer};
use treadbeat::io::music_file::read_stereo;
use treadbeat::io::render_file::write_session;
use treadbeat::music::plan::Playlist;
use treadbeat::music::BeatGrid;
use treadbeat::plan::{parse_profile, SoundName, Timeline};
use treadbeat::tempo::{CursorState, TempoMap};
use treadbeat::units::SampleRate;

const RATE: u32 = 48000;
const TRACK_S: f64 = 60.0;
const BPM: f64 = 160.0;

/// Hits of noise at `BPM` over a quiet tone bed: a broadband signal, like
/// mastered music, for the MP3 encoder and the stretcher.
fn drum_track(rate: u32) -> Vec<f32> {
    let sr = f64::from(rate);
    let frames = (TRACK_S * sr) as usize;
    let mut state = 7u64;
    let mut out: Vec<f32> = (0..frames)
        .flat_map(|i| {
            let x = 0.1 * (std::f64::consts::TAU * 220.0 * i as f64 / sr).sin() as f32;
            [x, x]
        })
        .collect();
    let mut k = 0.0;
    while 0.4 + k * 60.0 / BPM + 0.2 < TRACK_S {
        let at = ((0.4 + k * 60.0 / BPM) * sr) as usize;
        for j in 0..(0.08 * sr) as usize {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let noise = ((state >> 40) as f32 / (1u64 << 23) as f32) - 1.0;
            let x = 0.6 * (-(j as f32) / (0.008 * sr as f32)).exp() * noise;
            out[2 * (at + j)] += x;
            out[2 * (at + j) + 1] -= x;
        }
        k += 1.0;
    }
    out
}

fn grid() -> BeatGrid {
    let beats: Vec<f64> = (0..)
        .map(|k| 0.4 + f64::from(k) * 60.0 / BPM)
        .take_while(|t| *t + 0.2 < TRACK_S)
        .collect();
    BeatGrid {
        tempo: BPM,
        confidence: 0.5,
        downbeats: beats.iter().step_by(4).copied().collect(),
        beats,
        beats_per_bar: 4,
    }
}

/// A track as a feed: its samples by session frame (to write the MP3).
struct Playback(Vec<f32>);

impl MusicFeed for Playback {
    fn mix(
        &mut self,
        from: i64,
        out: &mut [f32],
        channels: usize,
        at: usize,
        frames: usize,
        _: f32,
    ) {
        for i in 0..frames {
            let f = from + i as i64;
            let Ok(f) = usize::try_from(f) else { continue };
            for c in 0..channels {
                out[(at + i) * channels + c] += self.0.get(2 * f + c).copied().unwrap_or(0.0);
            }
        }
    }
}

fn timeline(text: &str) -> Timeline {
    Timeline::from_profile(&parse_profile("bench.toml", text, Path::new(".")).unwrap())
}

fn renderer(timeline: &Timeline, rate: u32, volume: f32) -> Renderer {
    let rate = SampleRate(rate);
    let style = ClickStyle {
        volume,
        ..ClickStyle::PLAIN
    };
    renderer_for(
        timeline,
        ClickSounds::builtin(SoundName::Woodblock, rate),
        style,
        rate,
    )
}

/// The track as a 44.1 kHz MP3 (LAME, as `render -o x.mp3` writes).
fn mp3_track(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("track.mp3");
    let silent = timeline("[click]\ncount_in = 0\n[[step]]\ntime = \"60s\"\ncadence = 160\n");
    let mut r = renderer(&silent, 44100, 0.0);
    r.set_music(Box::new(Playback(drum_track(44100))), 1.0);
    write_session(&mut r, 2, &path, &mut |_, _| {}).unwrap();
    path
}

/// Decoded and resampled to 48 kHz, as `app::music_library` loads a track.
fn load(path: &Path) -> Vec<f32> {
    let (stereo, from) = read_stereo(path).unwrap();
    let ratio = f64::from(RATE) / f64::from(from);
    let channel = |c: usize| -> Vec<f32> {
        let mono: Vec<f32> = stereo.iter().skip(c).step_by(2).copied().collect();
        resampled(&mono, ratio).unwrap()
    };
    let (left, right) = (channel(0), channel(1));
    left.iter()
        .zip(&right)
        .flat_map(|(l, r)| [*l, *r])
        .collect()
}

fn reading(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mp3 = mp3_track(dir.path());
    let mut group = c.benchmark_group("reading a track");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));
    group.throughput(Throughput::Elements(TRACK_S as u64));
    group.bench_function("60 s MP3 at 44.1 kHz: decode and resample to 48 kHz", |b| {
        b.iter(|| black_box(load(&mp3)))
    });
    group.finish();
}

/// A worker for the track at 152 spm (0.95x), its ring filled.
fn worker(samples: &Arc<Vec<f32>>) -> (MusicWorker, RingFeed) {
    let map = Arc::new(TempoMap::constant(152.0, 3600.0, 0));
    let plan = Playlist {
        grids: vec![Some(grid())].into(),
        map: Arc::clone(&map),
        end_s: 3600.0,
        rests: true,
    };
    let start = MusicStart {
        frame: 0,
        clicks: CursorState::new(&map),
    };
    let (feed, fill) = music_ring(RATE, RING_LEAD_S, 0);
    let samples = Arc::clone(samples);
    let loader: Loader = Box::new(move |_| samples.as_ref().clone());
    let mut worker = MusicWorker::new(RATE, plan, Box::new(loader), start, fill);
    while worker.work() {}
    (worker, feed)
}

fn stretching(c: &mut Criterion) {
    let samples = Arc::new(drum_track(RATE));
    let seconds = 10u64;
    let mut group = c.benchmark_group("music worker");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(seconds));
    group.bench_function("plan and stretch at 0.95x into the ring, per 10 s", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let (mut worker, mut feed) = worker(&samples);
                let mut out = vec![0.0f32; 2 * 480];
                // The audio side drains, the worker refills: only the
                // refilling is timed (the drain is the callback's, below).
                for k in 0..(seconds * u64::from(RATE) / 480) as i64 {
                    feed.mix(480 * k, &mut out, 2, 0, 480, 0.5);
                    let started = Instant::now();
                    worker.work();
                    total += started.elapsed();
                }
            }
            total
        })
    });
    group.finish();
}

fn callback(c: &mut Criterion) {
    let samples = Arc::new(drum_track(RATE));
    let long = timeline("[click]\ncount_in = 0\n[[step]]\ntime = \"60m\"\ncadence = 152\n");
    let mut group = c.benchmark_group("live engine, 512-frame block");
    group.throughput(Throughput::Elements(512));
    let (mut plain, mut plain_controls) = LiveEngine::new(renderer(&long, RATE, 0.8));
    let mut block = vec![0.0f32; 512 * 2];
    group.bench_function("clicks only", |b| {
        b.iter(|| {
            plain.process(black_box(&mut block), 2);
            while plain_controls.telemetry.pop().is_ok() {}
        })
    });
    let (mut worker, feed) = worker(&samples);
    let mut with_music = renderer(&long, RATE, 0.8);
    with_music.set_music(Box::new(feed), 0.5);
    let (mut engine, mut controls) = LiveEngine::new(with_music);
    group.bench_function("clicks and music from the ring", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let started = Instant::now();
                engine.process(black_box(&mut block), 2);
                total += started.elapsed();
                while controls.telemetry.pop().is_ok() {}
                worker.work();
            }
            total
        })
    });
    group.finish();
}

criterion_group!(benches, reading, stretching, callback);
criterion_main!(benches);

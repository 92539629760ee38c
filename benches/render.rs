//! Benchmarks behind the figures in docs/figures.md: offline rendering of an hour
//! with ramps (into a reused block, and into a whole in-memory i16
//! buffer), and the live engine's cost per 128-frame block.
//!
//! Run: `cargo bench --bench render` (criterion prints medians).

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use treadbeat::engine::offline::{render_session, OFFLINE_BLOCK};
use treadbeat::engine::{renderer_for, ClickSounds, ClickStyle, LiveEngine, Renderer};
use treadbeat::io::wav::convert_block;
use treadbeat::plan::{parse_profile, SoundName, Stereo, Timeline};
use treadbeat::units::SampleRate;

const RATE: u32 = 48000;

/// 60 minutes: 10 blocks of a 3-minute ramp up and a 3-minute ramp down.
fn hour_with_ramps() -> Timeline {
    let mut text = String::from("name = \"hour\"\n[click]\ncount_in = 4\naccent = 4\n");
    for _ in 0..10 {
        text.push_str("[[step]]\ntime = \"3m\"\ncadence = \"160..185\"\n");
        text.push_str("[[step]]\ntime = \"3m\"\ncadence = \"185..165\"\n");
    }
    Timeline::from_profile(&parse_profile("hour.toml", &text, Path::new(".")).unwrap())
}

fn renderer(timeline: &Timeline) -> Renderer {
    let rate = SampleRate(RATE);
    let style = ClickStyle {
        accent_every: 4,
        stereo: Stereo::Alternate,
        volume: 0.8,
        count_in: true,
    };
    renderer_for(
        timeline,
        ClickSounds::builtin(SoundName::Woodblock, rate),
        style,
        rate,
    )
}

fn offline(c: &mut Criterion) {
    let timeline = hour_with_ramps();
    let frames = treadbeat::engine::offline::session_frames(&renderer(&timeline));
    let mut group = c.benchmark_group("offline 60 min 48 kHz stereo");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(frames));
    group.bench_function("render only (reused 8192-frame block)", |b| {
        b.iter(|| {
            let mut r = renderer(&timeline);
            render_session(&mut r, 2, OFFLINE_BLOCK, |block| -> Result<(), ()> {
                black_box(block);
                Ok(())
            })
        })
    });
    let mut memory = vec![0i16; frames as usize * 2];
    group.bench_function("into memory as 16-bit PCM", |b| {
        b.iter(|| {
            let mut r = renderer(&timeline);
            let mut at = 0;
            render_session(&mut r, 2, OFFLINE_BLOCK, |block| -> Result<(), ()> {
                convert_block(block, &mut memory[at..at + block.len()]);
                at += block.len();
                Ok(())
            })
        })
    });
    group.finish();
}

fn live_block(c: &mut Criterion) {
    let timeline = hour_with_ramps();
    let (mut engine, mut controls) = LiveEngine::new(renderer(&timeline));
    let mut block = vec![0.0f32; 128 * 2];
    let mut group = c.benchmark_group("live engine");
    group.throughput(Throughput::Elements(128));
    // A steady stream of blocks: most are silence, some start a click.
    group.bench_function("one 128-frame stereo block", |b| {
        b.iter(|| {
            engine.process(black_box(&mut block), 2);
            while controls.telemetry.pop().is_ok() {}
        })
    });
    group.finish();
}

criterion_group!(benches, offline, live_block);
criterion_main!(benches);

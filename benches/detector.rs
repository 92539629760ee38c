//! The footstrike detector's cost, behind its figure in docs/figures.md: one minute
//! of the corpus's hardest recording ("gym": music near the cadence, a
//! reverberant room, the app's own clicks, 0 dB SNR) at 48 kHz, fed in
//! 10 ms blocks with the clicks announced, as live. Also the same minute
//! at 16 kHz (a cheap USB microphone).
//!
//! Run: `cargo bench --bench detector` (criterion prints medians; real-time
//! factor = 60 s / median).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use treadbeat::eval::corpus::{generate, standard_conditions};
use treadbeat::eval::detect_recording;

fn detector(c: &mut Criterion) {
    let gym = standard_conditions()
        .into_iter()
        .find(|c| c.name.starts_with("gym"))
        .expect("the gym condition");
    let mut group = c.benchmark_group("detector");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    for rate in [48000, 16000] {
        let recording = generate(&gym, rate);
        group.bench_function(format!("one minute at {rate} Hz"), |b| {
            b.iter(|| black_box(detect_recording(black_box(&recording))))
        });
    }
    group.finish();
}

criterion_group!(benches, detector);
criterion_main!(benches);

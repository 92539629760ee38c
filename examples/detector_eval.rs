//! Prints the detector table in the README: F1 at ±25 ms and ±50 ms per
//! corpus condition for treadbeat's detector and the spectral-flux
//! baseline, timing error, reporting delay and cost.
//!
//! Run: `cargo run --release --example detector_eval` (add a condition name
//! fragment to run only matching conditions; `--wav DIR` also writes each
//! recording as a WAV file; `--seeds N` draws every condition afresh with
//! its seed moved by N, a held-out check that the detector was not tuned to
//! the table's own recordings).

use std::time::Instant;

use treadbeat::eval::baseline::spectral_flux_onsets;
use treadbeat::eval::corpus::{generate, standard_conditions};
use treadbeat::eval::detect_recording;
use treadbeat::eval::score::{percentile, score};

const RATE: u32 = 48000;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let wav_dir = args
        .iter()
        .position(|a| a == "--wav")
        .and_then(|i| args.get(i + 1).cloned());
    let seed_shift: u64 = args
        .iter()
        .position(|a| a == "--seeds")
        .and_then(|i| args.get(i + 1))
        .map_or(0, |n| n.parse().expect("--seeds takes a number"));
    let filter = args.first().filter(|a| !a.starts_with("--")).cloned();
    println!("| condition | steps | F1 ±25 ms | F1 ±50 ms | P / R ±25 ms | median error | baseline F1 ±25 / ±50 |");
    println!("|---|---|---|---|---|---|---|");
    let (mut audio_s, mut detect_s) = (0.0, 0.0);
    let mut delays = Vec::new();
    for mut condition in standard_conditions() {
        condition.seed += seed_shift;
        if filter
            .as_ref()
            .is_some_and(|f| !condition.name.contains(f.as_str()))
        {
            continue;
        }
        let recording = generate(&condition, RATE);
        if let Some(dir) = &wav_dir {
            let path = format!("{dir}/{}.wav", condition.name.replace([' ', ':'], "_"));
            treadbeat::io::wav::write_mono(&path, &recording.samples, RATE).expect("write wav");
        }
        let started = Instant::now();
        let steps = detect_recording(&recording);
        detect_s += started.elapsed().as_secs_f64();
        audio_s += condition.seconds;
        let sr = f64::from(RATE);
        let times: Vec<f64> = steps.iter().map(|s| s.frame as f64 / sr).collect();
        let tight = score(&recording.steps, &times, 0.025);
        let loose = score(&recording.steps, &times, 0.05);
        // Delay counts the steps found where they happened (±25 ms); one
        // timed at its second strike was reported late by its own timing.
        for (i, j) in treadbeat::eval::score::match_steps(&recording.steps, &times, 0.025) {
            let reported = steps[j].reported_frame as f64 / sr;
            delays.push((reported - recording.steps[i]) * 1000.0);
        }
        let onsets = spectral_flux_onsets(&recording.samples, RATE);
        let base_tight = score(&recording.steps, &onsets, 0.025);
        let base_loose = score(&recording.steps, &onsets, 0.05);
        println!(
            "| {} | {} | {:.3} | {:.3} | {:.3} / {:.3} | {:.1} ms | {:.2} / {:.2} |",
            condition.name,
            tight.truth,
            tight.f1,
            loose.f1,
            tight.precision,
            tight.recall,
            tight.median_error_ms,
            base_tight.f1,
            base_loose.f1
        );
    }
    let measured = delays.len();
    let median = percentile(&mut delays, 0.5);
    let p95 = percentile(&mut delays, 0.95);
    let p99 = percentile(&mut delays, 0.99);
    let max = percentile(&mut delays, 1.0);
    println!();
    println!(
        "delay from footstrike to report ({measured} steps found within 25 ms): median {median:.1} ms, 95th percentile {p95:.1} ms, 99th {p99:.1} ms, max {max:.1} ms"
    );
    println!(
        "cost: {:.0} s of audio in {:.3} s, {:.0}x real time (one core, includes nothing but the detector)",
        audio_s,
        detect_s,
        audio_s / detect_s
    );
}

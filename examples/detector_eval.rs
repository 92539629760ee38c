//! Prints the detector table in docs/figures.md: F1 at ±25 ms and ±50 ms per
//! corpus condition for treadbeat's detector and the spectral-flux
//! baseline, timing error, reporting delay and cost.
//!
//! Run: `cargo run --release --example detector_eval` (add a condition name
//! fragment to run only matching conditions; `--wav DIR` also writes each
//! recording as a WAV file; `--seeds N` draws every condition afresh with
//! its seed moved by N, a held-out check that the detector was not tuned to
//! the table's own recordings). `--draws N` scores N draws of the corpus
//! (seeds moved by 0, 100, 200, …, each moved by N more with `--seeds N`)
//! and prints each condition's mean and lowest F1 and each draw's worst
//! delay: one draw's F1 moves by a few hundredths from draw to draw, more
//! than most changes to the detector.

use std::time::Instant;

use treadbeat::eval::baseline::spectral_flux_onsets;
use treadbeat::eval::corpus::{generate, standard_conditions, Condition, Recording};
use treadbeat::eval::detect_recording;
use treadbeat::eval::score::{percentile, report_delays_ms, score, Score};

const RATE: u32 = 48000;
/// How far apart the seeds of two draws are.
const DRAW_STRIDE: u64 = 100;
/// The accuracy bar, for counting the draws that miss it.
const F1_BAR: f64 = 0.95;
/// The delay bar (ms).
const DELAY_BAR_MS: f64 = 40.0;

/// One condition of one draw, scored.
struct Scored {
    name: &'static str,
    tight: Score,
    loose: Score,
    /// Footstrike to report (ms), for the steps found within ±25 ms (one
    /// timed at its second strike was reported late by its own timing).
    delays: Vec<f64>,
    audio_s: f64,
    detect_s: f64,
}

fn evaluate(condition: &Condition, wav_dir: Option<&str>) -> (Scored, Recording) {
    let recording = generate(condition, RATE);
    if let Some(dir) = wav_dir {
        let path = format!("{dir}/{}.wav", condition.name.replace([' ', ':'], "_"));
        treadbeat::io::wav::write_mono(&path, &recording.samples, RATE).expect("write wav");
    }
    let started = Instant::now();
    let steps = detect_recording(&recording);
    let detect_s = started.elapsed().as_secs_f64();
    let sr = f64::from(RATE);
    let times: Vec<f64> = steps.iter().map(|s| s.frame as f64 / sr).collect();
    let reported: Vec<f64> = steps.iter().map(|s| s.reported_frame as f64 / sr).collect();
    let delays = report_delays_ms(&recording.steps, &times, &reported, 0.025);
    let scored = Scored {
        name: condition.name,
        tight: score(&recording.steps, &times, 0.025),
        loose: score(&recording.steps, &times, 0.05),
        delays,
        audio_s: condition.seconds,
        detect_s,
    };
    (scored, recording)
}

fn conditions(seed_shift: u64, filter: Option<&str>) -> Vec<Condition> {
    standard_conditions()
        .into_iter()
        .map(|mut c| {
            c.seed += seed_shift;
            c
        })
        .filter(|c| filter.is_none_or(|f| c.name.contains(f)))
        .collect()
}

fn print_delays(delays: &mut [f64]) {
    let measured = delays.len();
    let median = percentile(delays, 0.5);
    let p95 = percentile(delays, 0.95);
    let p99 = percentile(delays, 0.99);
    let max = percentile(delays, 1.0);
    println!(
        "delay from footstrike to report ({measured} steps found within 25 ms): median {median:.1} ms, 95th percentile {p95:.1} ms, 99th {p99:.1} ms, max {max:.1} ms"
    );
}

/// The table in docs/figures.md: one draw, with the baseline beside it.
fn table(seed_shift: u64, filter: Option<&str>, wav_dir: Option<&str>) {
    println!("| condition | steps | F1 ±25 ms | F1 ±50 ms | P / R ±25 ms | median error | baseline F1 ±25 / ±50 |");
    println!("|---|---|---|---|---|---|---|");
    let (mut audio_s, mut detect_s) = (0.0, 0.0);
    let mut delays = Vec::new();
    for condition in conditions(seed_shift, filter) {
        let (scored, recording) = evaluate(&condition, wav_dir);
        let onsets = spectral_flux_onsets(&recording.samples, RATE);
        let base_tight = score(&recording.steps, &onsets, 0.025);
        let base_loose = score(&recording.steps, &onsets, 0.05);
        let (tight, loose) = (&scored.tight, &scored.loose);
        println!(
            "| {} | {} | {:.3} | {:.3} | {:.3} / {:.3} | {:.1} ms | {:.2} / {:.2} |",
            scored.name,
            tight.truth,
            tight.f1,
            loose.f1,
            tight.precision,
            tight.recall,
            tight.median_error_ms,
            base_tight.f1,
            base_loose.f1
        );
        audio_s += scored.audio_s;
        detect_s += scored.detect_s;
        delays.extend(scored.delays);
    }
    println!();
    print_delays(&mut delays);
    println!(
        "cost: {audio_s:.0} s of audio in {detect_s:.3} s, {:.0}x real time (one core, includes nothing but the detector)",
        audio_s / detect_s
    );
}

/// Every condition over `count` draws of the corpus, the first with its
/// seeds moved by `first_shift`, the draws shared out over the machine's
/// cores.
fn draws(count: u64, first_shift: u64, filter: Option<&str>) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get() as u64);
    let mut results: Vec<(u64, Vec<Scored>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..cores.min(count))
            .map(|worker| {
                scope.spawn(move || {
                    (worker..count)
                        .step_by(cores as usize)
                        .map(|draw| {
                            let scored = conditions(first_shift + draw * DRAW_STRIDE, filter)
                                .iter()
                                .map(|c| evaluate(c, None).0)
                                .collect();
                            (draw, scored)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a draw's worker panicked"))
            .collect()
    });
    results.sort_by_key(|(draw, _)| *draw);
    println!("| condition | mean F1 ±25 ms over {count} draws | lowest | draws under {F1_BAR} |");
    println!("|---|---|---|---|");
    let names: Vec<&str> = results[0].1.iter().map(|s| s.name).collect();
    for (i, name) in names.iter().enumerate() {
        let f1s: Vec<f64> = results.iter().map(|(_, s)| s[i].tight.f1).collect();
        let mean = f1s.iter().sum::<f64>() / f1s.len() as f64;
        let lowest = f1s.iter().copied().fold(f64::INFINITY, f64::min);
        let under = f1s.iter().filter(|f| **f < F1_BAR).count();
        println!("| {name} | {mean:.3} | {lowest:.3} | {under} |");
    }
    let sums: Vec<f64> = results
        .iter()
        .map(|(_, s)| s.iter().map(|c| c.tight.f1).sum())
        .collect();
    println!();
    println!(
        "sum of the F1s, per draw: {} (mean {:.3})",
        sums.iter()
            .map(|s| format!("{s:.3}"))
            .collect::<Vec<_>>()
            .join(", "),
        sums.iter().sum::<f64>() / sums.len() as f64
    );
    let worst: Vec<f64> = results
        .iter()
        .map(|(_, s)| {
            s.iter()
                .flat_map(|c| c.delays.iter().copied())
                .fold(0.0, f64::max)
        })
        .collect();
    println!(
        "worst delay per draw: {} ms ({} of {count} draws over {DELAY_BAR_MS} ms)",
        worst
            .iter()
            .map(|d| format!("{d:.1}"))
            .collect::<Vec<_>>()
            .join(", "),
        worst.iter().filter(|d| **d > DELAY_BAR_MS).count()
    );
    let mut delays: Vec<f64> = results
        .iter()
        .flat_map(|(_, s)| s.iter().flat_map(|c| c.delays.iter().copied()))
        .collect();
    print_delays(&mut delays);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value_of = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let number_of = |flag: &str| {
        value_of(flag).map(|n| {
            n.parse::<u64>()
                .unwrap_or_else(|_| panic!("{flag} takes a number"))
        })
    };
    let filter = args.first().filter(|a| !a.starts_with("--")).cloned();
    match number_of("--draws") {
        Some(count) if count > 0 => {
            draws(count, number_of("--seeds").unwrap_or(0), filter.as_deref())
        }
        _ => table(
            number_of("--seeds").unwrap_or(0),
            filter.as_deref(),
            value_of("--wav").as_deref(),
        ),
    }
}

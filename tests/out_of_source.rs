//! Guards the detector's figures on the recorded-step mixes without the
//! recordings (CI has none): the synthetic strikes, one source among the
//! six recorded ones in `examples/real_corpus_eval.rs`, cut into clips and
//! laid through the same mixer (motor, belt, music, room, a metronome
//! nobody told the detector about), scored as `treadbeat detect` runs,
//! against issue 17's bars: F1 within ±25 ms at least 0.95 at 5 dB SNR and
//! over, 0.90 at 0 dB, 0.70 at −5 dB; and no warning that says something
//! false about a runner who held the beat.
//!
//! The synthetic source meets every bar; of the recorded sources one
//! misses it in two conditions (minetest in the gym and with music near
//! the cadence: docs/detector.md's table), which this cannot guard.

use treadbeat::detect::DetectorParams;
use treadbeat::eval::real_eval::{evaluate_cell, Cell};
use treadbeat::eval::real_mix::{standard_mix_conditions, MixCondition};
use treadbeat::eval::step_bank::synthetic_bank;

const RATE: u32 = 48000;

/// The bar of issue 17 for a condition's SNR.
fn bar(condition: &MixCondition) -> f64 {
    if condition.snr_db >= 5.0 {
        0.95
    } else if condition.snr_db >= 0.0 {
        0.90
    } else {
        0.70
    }
}

fn cells(names: &[&str]) -> Vec<Cell> {
    let bank = synthetic_bank(RATE, 6, 1);
    let conditions: Vec<MixCondition> = standard_mix_conditions()
        .into_iter()
        .filter(|c| names.contains(&c.name))
        .collect();
    assert_eq!(conditions.len(), names.len(), "a condition was renamed");
    let params = DetectorParams::default();
    std::thread::scope(|scope| {
        let workers: Vec<_> = conditions
            .iter()
            .map(|c| {
                let (bank, params) = (&bank, &params);
                scope.spawn(move || evaluate_cell("synthetic", bank, c, RATE, params))
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a cell panicked"))
            .collect()
    })
}

fn check(cells: &[Cell]) {
    let mut failures = Vec::new();
    for cell in cells {
        let bar = bar(&cell.condition);
        for (how, score) in [("detect", cell.plain), ("--cadence", cell.hinted)] {
            if score.f1 < bar {
                failures.push(format!(
                    "{} ({how}): F1 {:.3} under {bar}",
                    cell.condition.name, score.f1
                ));
            }
        }
        if cell.wrong_warnings > 0 {
            failures.push(format!(
                "{}: {} false warnings",
                cell.condition.name, cell.wrong_warnings
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn noise_from_20_to_minus_5_db() {
    check(&cells(&["+20 dB", "+5 dB", "0 dB", "-5 dB"]));
}

#[test]
fn music_and_a_room() {
    check(&cells(&[
        "music near cadence +5 dB",
        "music half cadence 0 dB",
        "reverberant room +5 dB",
    ]));
}

#[test]
fn metronomes_nobody_announced() {
    check(&cells(&[
        "clicks on the steps +0 dB",
        "clicks off-phase +6 dB",
        "clicks, steps 60 ms behind +3 dB",
        "gym: music, room, clicks +5 dB",
        "clicks ramp 160 to 180, steps 30 ms behind +3 dB",
        "clicks on the steps +6 dB, weak foot -6 dB",
        "clicks, runner sags behind them +6 dB",
    ]));
}

#[test]
fn a_weak_foot_and_a_sagging_runner() {
    let cells = cells(&[
        "cold start 175 spm, weak foot -6 dB, +5 dB",
        "cold start 210 spm, weak foot -6 dB, +5 dB",
        "weak foot -6 dB, 0 dB",
        "sag 190 to 175 +10 dB",
    ]);
    check(&cells);
    // From a cold start the running cadence is right within 5 s, at 210
    // spm too (where a tracker that learned every other step read 105).
    for cold in &cells[..2] {
        assert!(
            cold.settle_s.is_some_and(|s| s <= 5.0),
            "{}: {:?}",
            cold.condition.name,
            cold.settle_s
        );
    }
}

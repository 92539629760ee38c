//! Scoring the detector on mixes of real steps, source by source: run the
//! way `treadbeat detect REC` runs (the `Analyser`, 10 ms blocks, with or
//! without `--cadence`), F1 within ±25 ms; and leave-one-source-out
//! selection, so that whatever is chosen is chosen on other sources than
//! the one it is scored on.

use super::real_mix::{mix, MixCondition};
use super::score::{score, Score};
use super::step_bank::StepClip;
use crate::detect::metronome::find_metronome;
use crate::detect::{Analyser, BeatPlan, Tolerances};

/// The block `treadbeat detect` feeds its analyser with.
pub const DETECT_BLOCK: usize = 480;
/// The match tolerance of the tables (s).
pub const TOLERANCE_S: f64 = 0.025;

/// Step times (s) as `treadbeat detect` reports them for a recording, told
/// the cadence (`--cadence`) or not.
pub fn detect_like_the_command(
    samples: &[f32],
    sample_rate: u32,
    cadence: Option<f64>,
) -> Vec<f64> {
    let seconds = samples.len() as f64 / f64::from(sample_rate);
    let plan = cadence.map(|spm| BeatPlan::steady(spm, seconds));
    let mut analyser = Analyser::new(sample_rate, plan, Tolerances::default());
    let mut stream = |sink: &mut dyn FnMut(&[f32])| {
        for block in samples.chunks(DETECT_BLOCK) {
            sink(block);
        }
    };
    if let Some(metronome) = find_metronome(sample_rate, &mut stream) {
        analyser.expect_metronome(&metronome, 0);
    }
    for block in samples.chunks(DETECT_BLOCK) {
        analyser.feed(block);
    }
    analyser.finish().steps
}

/// One source under one condition, scored without and with the hint.
#[derive(Debug, Clone)]
pub struct Cell {
    pub source: String,
    pub condition: MixCondition,
    pub plain: Score,
    pub hinted: Score,
}

/// Builds the condition's mix from `bank` and scores the detector on it.
pub fn evaluate_cell(
    source: &str,
    bank: &[StepClip],
    condition: &MixCondition,
    sample_rate: u32,
) -> Cell {
    let m = mix(bank, condition, sample_rate);
    let plain = detect_like_the_command(&m.samples, sample_rate, None);
    let hinted = detect_like_the_command(&m.samples, sample_rate, Some(condition.spm));
    Cell {
        source: source.to_string(),
        condition: condition.clone(),
        plain: score(&m.steps, &plain, TOLERANCE_S),
        hinted: score(&m.steps, &hinted, TOLERANCE_S),
    }
}

/// Leave one source out: for each source in turn, the candidate with the
/// best mean `score` over the other sources is chosen, and its score on
/// the held-out source reported. Returns `(held-out source, chosen
/// candidate, held-out score)` per source.
///
/// `score(candidate, source)` is whatever the sweep measures (mean F1 over
/// the conditions, say). With one candidate (the detector as it is) every
/// source's figure is simply its own, and it is out of source already:
/// none of the recorded sources was used to build the detector.
pub fn leave_one_source_out(
    candidates: usize,
    sources: usize,
    score: impl Fn(usize, usize) -> f64,
) -> Vec<(usize, usize, f64)> {
    let table: Vec<Vec<f64>> = (0..candidates)
        .map(|c| (0..sources).map(|s| score(c, s)).collect())
        .collect();
    (0..sources)
        .map(|held_out| {
            let on_the_rest = |c: usize| {
                let others: Vec<f64> = (0..sources)
                    .filter(|s| *s != held_out)
                    .map(|s| table[c][s])
                    .collect();
                others.iter().sum::<f64>() / others.len().max(1) as f64
            };
            let chosen = (0..candidates)
                .max_by(|a, b| on_the_rest(*a).total_cmp(&on_the_rest(*b)))
                .unwrap_or(0);
            (held_out, chosen, table[chosen][held_out])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::real_mix::standard_mix_conditions;
    use crate::eval::step_bank::synthetic_bank;

    #[test]
    fn the_chosen_candidate_never_saw_the_held_out_source() {
        // Candidate 1 is best on source 0 only, candidate 0 everywhere
        // else: holding out source 0 must not choose candidate 1 for it.
        let scores = [[0.5, 0.9, 0.9], [1.0, 0.1, 0.1]];
        let result = leave_one_source_out(2, 3, |c, s| scores[c][s]);
        assert_eq!(result[0], (0, 0, 0.5));
        assert_eq!(result[1].1, 0);
        assert_eq!(result[2].1, 0);
    }

    #[test]
    fn synthetic_steps_in_a_quiet_mix_are_found_as_detect_finds_them() {
        let bank = synthetic_bank(48000, 4, 9);
        let condition = MixCondition {
            seconds: 20.0,
            ..standard_mix_conditions()[0].clone()
        };
        let cell = evaluate_cell("synthetic", &bank, &condition, 48000);
        assert!(cell.plain.truth > 40);
        assert!(cell.plain.f1 > 0.9, "{:?}", cell.plain);
        assert!(cell.hinted.f1 > 0.9, "{:?}", cell.hinted);
    }
}

//! Evaluation of the footstrike detector: a synthetic corpus with ground
//! truth, a scorer, a classic spectral-flux onset detector as the
//! baseline, and mixes of recorded steps from public sources scored
//! source by source (`step_bank`, `real_mix`, `real_sources`,
//! `real_eval`). Used by the accuracy tests, the live end-to-end test and
//! the benchmarks behind the detector tables in docs/figures.md and
//! docs/lab/real-corpus-baseline.md; nothing in the product's live path
//! depends on it.

pub mod baseline;
pub mod corpus;
pub mod real_eval;
pub mod real_mix;
pub mod real_music;
pub mod real_sources;
pub mod rng;
pub mod score;
pub mod sources;
pub mod step_bank;

use crate::detect::{DetectorOptions, FootstrikeDetector, Step};
use corpus::Recording;

/// Block size the evaluation feeds the detector with (as a live 10 ms
/// capture block at 48 kHz would).
pub const EVAL_BLOCK: usize = 480;

/// Runs the product's detector over a recording as the live path would:
/// told the target cadence, the click sound and each click's arrival
/// ahead of time, fed in blocks.
pub fn detect_recording(recording: &Recording) -> Vec<Step> {
    let sr = f64::from(recording.sample_rate);
    let mut detector = FootstrikeDetector::new(
        recording.sample_rate,
        DetectorOptions {
            cadence_hint_spm: Some(recording.condition.rhythm.beat_spm()),
        },
    );
    if !recording.click_arrivals.is_empty() {
        detector.set_click_sound(&recording.click_sound);
    }
    let mut clicks = recording
        .click_arrivals
        .iter()
        .map(|t| (t * sr).round().max(0.0) as u64)
        .peekable();
    let mut steps = Vec::new();
    let mut fed = 0u64;
    for block in recording.samples.chunks(EVAL_BLOCK) {
        // Announce clicks up to a second ahead, as the live worker does.
        while let Some(at) = clicks.next_if(|at| *at < fed + sr as u64) {
            detector.expect_click(at);
        }
        steps.extend_from_slice(detector.process(block));
        fed += block.len() as u64;
    }
    steps
}

//! A capture that opens on digital silence: the room's noise rising out
//! of it is the loudest onset there can be (from the level floor), and
//! the first sound heard sets the bar for the next ones. When no step
//! follows it for a while it is not a step's strength and must be
//! forgotten, or no step of the runner ever reaches the bar
//! (`StepTracker::typical_strength_at`).

mod support;

use treadbeat::detect::DetectorParams;

const RATE: u32 = 48_000;
const SPM: f64 = 170.0;
const SECONDS: f64 = 20.0;

/// Digital silence for 0.12 s, then the room (faint hiss), then steps
/// (bursts of hiss, their peaks 14 dB over it) at about `SPM` from 2 s
/// on; and their times. With the first onset's bar kept, F1 0.0.
fn silence_then_room() -> (Vec<f32>, Vec<f64>) {
    let n = (SECONDS * f64::from(RATE)) as usize;
    let opens = (0.12 * f64::from(RATE)) as usize;
    let mut hiss = support::hiss();
    let mut out: Vec<f32> = (0..n)
        .map(|i| if i < opens { 0.0 } else { 0.01 * hiss() })
        .collect();
    let mut thump = support::hiss();
    let mut truth = Vec::new();
    let mut t = 2.0;
    while ((t + 0.1) * f64::from(RATE)) as usize <= n {
        let at = (t * f64::from(RATE)) as usize;
        for j in 0..4800.min(n - at) {
            let s = j as f32 / RATE as f32;
            out[at + j] += 0.05 * thump() * (-s / 0.01).exp();
        }
        truth.push(t);
        // A runner's own jitter: steps exact to the sample are a machine's,
        // and the detector leaves those out.
        t += 60.0 / SPM + 0.012 * f64::from(thump());
    }
    (out, truth)
}

#[test]
fn a_capture_opening_on_silence_does_not_deafen_the_detector() {
    let (samples, truth) = silence_then_room();
    let heard = support::steps_heard(&samples, RATE, &DetectorParams::default());
    let score = support::score_from(1.0, &truth, &heard);
    assert!(score.f1 >= 0.95, "{score:?}, heard {heard:?}");
}

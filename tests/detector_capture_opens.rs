//! A capture that opens on digital silence, as a live microphone does
//! until the device delivers. The room's noise coming in is, measured
//! against the level floor, the strongest rise there can be: it is not a
//! step (`FootstrikeDetector::room_known`). And a loud sound before the
//! runner's first step (a door, the belt starting) must not set the bar
//! for every step after it: a strength no step has followed is forgotten
//! (`StepTracker::typical_strength_at`).

mod support;

use treadbeat::detect::DetectorParams;

const RATE: u32 = 48_000;
const SPM: f64 = 170.0;
const SECONDS: f64 = 20.0;
const FIRST_STEP_S: f64 = 2.0;
const STEP_GAIN: f32 = 0.03;

/// Digital silence for 0.12 s, then the room (faint hiss), then steps
/// (bursts of hiss, their peaks about 10 dB over it) at about `SPM` from
/// `FIRST_STEP_S` on; with `bang`, a burst 28 dB over the steps at 0.6 s.
/// And the steps' times.
fn silence_then_room(bang: bool) -> (Vec<f32>, Vec<f64>) {
    let n = (SECONDS * f64::from(RATE)) as usize;
    let opens = (0.12 * f64::from(RATE)) as usize;
    let mut hiss = support::hiss();
    let mut out: Vec<f32> = (0..n)
        .map(|i| if i < opens { 0.0 } else { 0.01 * hiss() })
        .collect();
    let mut thump = support::hiss();
    let mut add_burst = |out: &mut [f32], t: f64, gain: f32| {
        let at = (t * f64::from(RATE)) as usize;
        for j in 0..4800.min(n - at) {
            let s = j as f32 / RATE as f32;
            out[at + j] += gain * thump() * (-s / 0.01).exp();
        }
    };
    if bang {
        add_burst(&mut out, 0.6, 0.8);
    }
    let mut jitter = support::hiss();
    let mut truth = Vec::new();
    let mut t = FIRST_STEP_S;
    while ((t + 0.1) * f64::from(RATE)) as usize <= n {
        add_burst(&mut out, t, STEP_GAIN);
        truth.push(t);
        // A runner's own jitter: steps exact to the sample are a machine's,
        // and the detector leaves those out.
        t += 60.0 / SPM + 0.012 * f64::from(jitter());
    }
    (out, truth)
}

#[test]
fn the_room_coming_in_is_not_a_step() {
    let (samples, truth) = silence_then_room(false);
    let heard = support::steps_heard(&samples, RATE, &DetectorParams::default());
    let before_the_first = heard.iter().filter(|&&t| t < FIRST_STEP_S - 0.05).count();
    assert_eq!(before_the_first, 0, "heard {heard:?}");
    let score = support::score_from(1.0, &truth, &heard);
    assert!(score.f1 >= 0.95, "{score:?}, heard {heard:?}");
}

/// With the bang's strength kept as the bar, F1 0.51.
#[test]
fn a_loud_sound_before_the_first_step_does_not_deafen_the_detector() {
    let (samples, truth) = silence_then_room(true);
    let heard = support::steps_heard(&samples, RATE, &DetectorParams::default());
    let score = support::score_from(1.0, &truth, &heard);
    assert!(score.f1 >= 0.95, "{score:?}, heard {heard:?}");
}

//! A beat kept to the millisecond is a machine's, never a runner's
//! (`exact_rhythm`). A beat at the runner's own cadence, twice as loud as
//! the steps and 100 ms before each, is heard first and held: every step
//! then falls in the gap after a beat, where nothing is a step, and the
//! steps are not loud enough over it for the rival rule. Once the beats
//! held lie on their line to the millisecond, no candidate on that grid is
//! taken again and the detector goes back to the steps. With the rule off
//! the same recording keeps the beat (so the test bites). And steps laid
//! on an exact grid themselves, as a simulation might lay them, are still
//! heard: a grid with no step taken beside it is the runner's.

mod support;

use treadbeat::detect::DetectorParams;

const RATE: u32 = 48_000;

/// A 12 ms burst of hiss (a fresh burst each time, so nothing repeats
/// sample for sample) every `period` from `first`, at `peak`.
fn add_beats(out: &mut [f32], first: f64, period: f64, peak: f32) {
    let mut hiss = support::hiss();
    let mut t = first;
    while let Some(at) = Some((t * f64::from(RATE)) as usize).filter(|at| at + 2400 < out.len()) {
        for j in 0..2400 {
            let s = j as f32 / RATE as f32;
            out[at + j] += peak * hiss() * (-s / 0.012).exp();
        }
        t += period;
    }
}

fn detect(samples: &[f32], params: &DetectorParams) -> Vec<f64> {
    support::steps_heard(samples, RATE, params)
}

#[test]
fn steps_laid_on_an_exact_grid_are_still_heard() {
    let (steps, truth) = support::steady_runner("one step, repeated", 20.0, 172.0, 5, RATE);
    // The first step's sound, 120 ms of it, every 0.35 s to the sample,
    // over the same belt noise.
    let at = (truth[0] * f64::from(RATE)) as usize;
    let step: Vec<f32> = steps[at..at + 5760].to_vec();
    let floor = 0.02 * step.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    let mut hiss = support::hiss();
    let mut mic: Vec<f32> = (0..60 * RATE).map(|_| floor * hiss()).collect();
    let mut exact = Vec::new();
    let mut t = 0.5;
    while ((t + 0.2) * f64::from(RATE)) < mic.len() as f64 {
        let at = (t * f64::from(RATE)) as usize;
        for (m, s) in mic[at..].iter_mut().zip(&step) {
            *m += s;
        }
        exact.push(t);
        t += 0.35;
    }
    let heard = support::score_from(0.0, &exact, &detect(&mic, &DetectorParams::default()));
    assert!(heard.f1 >= 0.95, "{heard:?}");
}
#[test]
fn steps_beside_an_exact_beat_at_their_own_cadence_are_heard() {
    let (steps, truth) = support::steady_runner("a beat before each step", 40.0, 172.0, 23, RATE);
    let peak = steps.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    let mut mic = steps.clone();
    add_beats(&mut mic, truth[0] - 0.1, 60.0 / 172.0, 2.0 * peak);
    let mut off = DetectorParams::default();
    off.exact.steps = 0;
    let kept = support::score_from(20.0, &truth, &detect(&mic, &off));
    let heard = support::score_from(20.0, &truth, &detect(&mic, &DetectorParams::default()));
    println!("rule off: {kept:?}\nrule on: {heard:?}");
    assert!(
        kept.f1 < 0.5,
        "the beat should hold a detector without the rule: {kept:?}"
    );
    assert!(heard.f1 >= 0.95, "{heard:?}");
}

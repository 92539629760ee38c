//! A louder rhythm right after the one the detector holds: music's
//! eighths at the runner's cadence, each a little before a step. The
//! detector hears the music first at a cold start and takes its beat for
//! the steps; every step then falls in the gap after a beat, where no step
//! is taken. Once most gaps have held a louder sound at one delay, the
//! rhythm moves to it (`rival`): the steps of the last half are heard.
//! With the rival rule off the same recording keeps the music (so the test
//! bites).

mod support;

use treadbeat::detect::DetectorParams;
use treadbeat::eval::score::Score;

const RATE: u32 = 48_000;
const SPM: f64 = 172.0;
/// How long before each step the music's beat comes.
const BEAT_BEFORE_S: f64 = 0.087;

/// Steps at 172 spm in belt noise, 10 dB over it, and their times.
fn steps() -> (Vec<f32>, Vec<f64>) {
    support::steady_runner("steps after the beat", 40.0, SPM, 23, RATE)
}

/// A 12 ms burst of hiss before every step, a fresh burst each time (so
/// no click train is found), at `peak`.
fn with_beats(steps: &[f32], truth: &[f64], peak: f32) -> Vec<f32> {
    let mut out = steps.to_vec();
    let mut hiss = support::hiss();
    // The music plays from before the first step, on its own grid.
    let period = 60.0 / SPM;
    let first = truth[0] - BEAT_BEFORE_S;
    let mut k = 0;
    loop {
        let t = first + f64::from(k) * period;
        let at = (t * f64::from(RATE)) as usize;
        if at + 2400 >= out.len() {
            break;
        }
        for j in 0..2400 {
            let s = j as f32 / RATE as f32;
            out[at + j] += peak * hiss() * (-s / 0.012).exp();
        }
        k += 1;
    }
    out
}

fn detect(samples: &[f32], params: &DetectorParams) -> Vec<f64> {
    support::steps_heard(samples, RATE, params)
}

fn second_half(truth: &[f64], heard: &[f64]) -> Score {
    support::score_from(20.0, truth, heard)
}

#[test]
fn a_louder_rhythm_after_the_beat_taken_is_the_runner() {
    let (steps, truth) = steps();
    let peak = steps.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    let mic = with_beats(&steps, &truth, 0.6 * peak);
    // The beats are on an exact grid, which `exact_rhythm` would refuse
    // once it held them; this test is of the rival rule alone.
    let mut on = DetectorParams::default();
    on.exact.steps = 0;
    let mut off = on;
    off.rival.min_ratio = 1000.0;
    let kept = second_half(&truth, &detect(&mic, &off));
    let moved = second_half(&truth, &detect(&mic, &on));
    println!("rule off: {kept:?}\nrule on: {moved:?}");
    assert!(
        kept.f1 < 0.5,
        "the beat should hold a detector without the rule: {kept:?}"
    );
    assert!(moved.f1 >= 0.9, "{moved:?}");
}

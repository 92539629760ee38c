//! The runner's own music, heard by the microphone through speakers: a
//! live session tells the detector what the music played (its band levels,
//! hop by hop, on the microphone's clock), and the detector must then hear
//! the steps and none of the drum hits between them. Without being told,
//! the same recording makes it count drum hits (so the test bites).

mod support;

use treadbeat::detect::filterbank::{FilterBank, BAND_COUNT};
use treadbeat::detect::onset::{DetectorOptions, FootstrikeDetector};
use treadbeat::eval::corpus::FIRST_BEAT_S;
use treadbeat::eval::score::{score, Score};

const RATE: u32 = 48_000;
const SPM: f64 = 170.0;
/// Speaker to microphone.
const PATH_DELAY_S: f64 = 0.012;

/// Steps at 170 spm in belt noise, 10 dB over it.
fn steps() -> (Vec<f32>, Vec<f64>) {
    support::steady_runner("steps under music", 30.0, SPM, 11, RATE)
}

/// The music as played: a kick and a hi-hat on every off-beat (halfway
/// between the clicks the runner steps to), and a snare on every other
/// beat, as loud as the steps.
fn music(len: usize, peak: f32) -> Vec<f32> {
    let sr = f64::from(RATE);
    let period = 60.0 / SPM;
    let mut out = vec![0.0f32; len];
    let mut hiss = support::hiss();
    let mut k = 0;
    loop {
        let t = FIRST_BEAT_S + (k as f64 + 0.5) * period;
        let at = (t * sr) as usize;
        if at + 4800 >= len {
            break;
        }
        for j in 0..4800 {
            let s = j as f32 / RATE as f32;
            let kick = (std::f32::consts::TAU * (55.0 + 60.0 * (-s / 0.02).exp()) * s).sin()
                * (-s / 0.06).exp();
            let hat = 0.6 * hiss() * (-s / 0.01).exp();
            let snare = if k % 2 == 0 {
                0.8 * hiss() * (-s / 0.04).exp()
            } else {
                0.0
            };
            out[at + j] += peak * (kick + hat + snare);
        }
        k += 1;
    }
    out
}

/// What the microphone hears: the steps, and the music through a speaker
/// (duller and quieter, a few milliseconds away).
fn heard(steps: &[f32], music: &[f32]) -> Vec<f32> {
    let delay = (PATH_DELAY_S * f64::from(RATE)) as usize;
    let mut out = steps.to_vec();
    let mut dull = 0.0f32;
    for (i, x) in out.iter_mut().enumerate().skip(delay) {
        dull += 0.3 * (music[i - delay] - dull);
        *x += 0.7 * dull;
    }
    out
}

/// The detector on `mic`, told the music's band levels (as the live
/// session tells them: from the samples played, placed a round trip later)
/// or not; the steps it reports (s) and how they score against the truth.
fn detect(mic: &[f32], music: Option<&[f32]>, truth: &[f64]) -> (Vec<f64>, Score) {
    let mut detector = FootstrikeDetector::new(RATE, DetectorOptions::default());
    let told: Vec<(u64, [f32; BAND_COUNT])> = music.map_or(Vec::new(), |music| {
        let delay = (PATH_DELAY_S * f64::from(RATE)) as u64;
        let mut bank = FilterBank::new(RATE);
        let mut hops = Vec::new();
        for (i, &x) in music.iter().enumerate() {
            if let Some(levels) = bank.push(x) {
                hops.push((i as u64 + 1 + delay, levels));
            }
        }
        hops
    });
    let mut next = 0;
    let mut heard = Vec::new();
    for (index, block) in mic.chunks(480).enumerate() {
        // Told a little ahead of the microphone, as the output runs ahead.
        let end = ((index + 1) * 480 + 2400) as u64;
        while next < told.len() && told[next].0 < end {
            detector.expect_music(told[next].0, told[next].1);
            next += 1;
        }
        heard.extend(
            detector
                .process(block)
                .iter()
                .map(|s| s.frame as f64 / f64::from(RATE)),
        );
    }
    let result = score(truth, &heard, 0.025);
    (heard, result)
}

#[test]
fn told_what_music_plays_it_hears_the_steps_and_not_the_drums() {
    let (steps, truth) = steps();
    let music = music(steps.len(), 0.5);
    let mic = heard(&steps, &music);
    let (_, untold) = detect(&mic, None, &truth);
    let (heard, told) = detect(&mic, Some(&music), &truth);
    println!("untold: {untold:?}\ntold: {told:?}");
    assert!(
        untold.precision < 0.8,
        "the drums should fool a detector not told of them: {untold:?}"
    );
    assert!(told.f1 >= 0.95, "{told:?}\n{heard:?}");
}

#[test]
fn told_of_silence_it_hears_as_before() {
    let (steps, truth) = steps();
    let silence = vec![0.0f32; steps.len()];
    let (_, untold) = detect(&steps, None, &truth);
    let (_, told) = detect(&steps, Some(&silence), &truth);
    assert_eq!(untold, told);
}

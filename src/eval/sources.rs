//! The sounds of a treadmill session, synthesised: footstrikes of several
//! characters, motor hum, belt noise, and music bleeding from speakers.
//!
//! Models, not recordings: each sound is built from what makes the real one
//! hard for a detector. A strike is a damped deck resonance, a burst of
//! low noise and a short shoe slap, sometimes heel then forefoot; the motor
//! hums with harmonics and whines; the belt hisses and rumbles; the music
//! has kick drums, which are thumps too.

use std::f64::consts::TAU;

use super::rng::Rng;

/// How a runner's feet sound on the deck.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrikeCharacter {
    /// Cushioned heel strike, then the forefoot slaps down 25–45 ms later.
    HeelToe,
    /// Light forefoot landing: little thump, more slap.
    Forefoot,
    /// Heavy shoes on a booming deck, with a second strike.
    Heavy,
    /// Minimal shoes: a short mid-range tap.
    Light,
}

impl StrikeCharacter {
    pub const ALL: [StrikeCharacter; 4] = [
        StrikeCharacter::HeelToe,
        StrikeCharacter::Forefoot,
        StrikeCharacter::Heavy,
        StrikeCharacter::Light,
    ];

    pub fn name(self) -> &'static str {
        match self {
            StrikeCharacter::HeelToe => "heel-toe",
            StrikeCharacter::Forefoot => "forefoot",
            StrikeCharacter::Heavy => "heavy",
            StrikeCharacter::Light => "light",
        }
    }
}

/// A damped resonance: frequency, amplitude, decay time constant.
fn resonance(out: &mut [f64], start: usize, sr: f64, hz: f64, amp: f64, tau: f64) {
    let len = ((tau * 7.0) * sr) as usize;
    let attack = (0.0015 * sr).max(1.0);
    for (i, y) in out.iter_mut().skip(start).take(len).enumerate() {
        let t = i as f64 / sr;
        let rise = (i as f64 / attack).min(1.0);
        *y += amp * rise * (-t / tau).exp() * (TAU * hz * t).sin();
    }
}

/// A noise burst through a one-pole low-pass (cutoff Hz) or, with
/// `high_pass`, the difference of one: shaped like a strike or a slap.
#[allow(clippy::too_many_arguments)]
fn burst(
    out: &mut [f64],
    start: usize,
    sr: f64,
    cutoff: f64,
    high_pass: bool,
    amp: f64,
    tau: f64,
    rng: &mut Rng,
) {
    let len = ((tau * 7.0) * sr) as usize;
    let a = (-TAU * cutoff / sr).exp();
    let mut low = 0.0;
    for (i, y) in out.iter_mut().skip(start).take(len).enumerate() {
        let t = i as f64 / sr;
        let white = rng.noise();
        low = a * low + (1.0 - a) * white;
        let shaped = if high_pass { white - low } else { low * 3.0 };
        *y += amp * (-t / tau).exp() * shaped;
    }
}

/// Adds one footstrike starting at sample `start`, at linear gain `gain`.
pub fn add_strike(
    out: &mut [f64],
    start: usize,
    sr: f64,
    character: StrikeCharacter,
    gain: f64,
    rng: &mut Rng,
) {
    let vary = |rng: &mut Rng, x: f64| x * rng.range(0.85, 1.15);
    match character {
        StrikeCharacter::HeelToe => {
            resonance(out, start, sr, vary(rng, 85.0), gain, 0.035);
            burst(out, start, sr, 700.0, false, 0.6 * gain, 0.012, rng);
            burst(out, start, sr, 1500.0, true, 0.15 * gain, 0.004, rng);
            let toe = start + (rng.range(0.025, 0.045) * sr) as usize;
            let toe_gain = gain * rng.range(0.5, 0.8);
            resonance(out, toe, sr, vary(rng, 110.0), 0.6 * toe_gain, 0.025);
            burst(out, toe, sr, 2000.0, true, 0.35 * toe_gain, 0.005, rng);
        }
        StrikeCharacter::Forefoot => {
            resonance(out, start, sr, vary(rng, 120.0), 0.5 * gain, 0.025);
            burst(out, start, sr, 900.0, false, 0.4 * gain, 0.008, rng);
            burst(out, start, sr, 1200.0, true, 0.5 * gain, 0.006, rng);
        }
        StrikeCharacter::Heavy => {
            resonance(out, start, sr, vary(rng, 55.0), gain, 0.08);
            resonance(out, start, sr, vary(rng, 150.0), 0.5 * gain, 0.03);
            burst(out, start, sr, 500.0, false, 0.5 * gain, 0.015, rng);
            burst(out, start, sr, 1500.0, true, 0.12 * gain, 0.004, rng);
            let second = start + (rng.range(0.03, 0.04) * sr) as usize;
            resonance(out, second, sr, vary(rng, 70.0), 0.4 * gain, 0.05);
        }
        StrikeCharacter::Light => {
            resonance(out, start, sr, vary(rng, 210.0), 0.5 * gain, 0.015);
            burst(out, start, sr, 2500.0, false, 0.4 * gain, 0.006, rng);
            burst(out, start, sr, 800.0, true, 0.3 * gain, 0.004, rng);
        }
    }
}

/// Motor hum: a fundamental with harmonics, slowly wobbling, and the
/// whine of the motor controller.
pub fn add_motor(out: &mut [f64], sr: f64, fundamental: f64, rng: &mut Rng) {
    let harmonics: Vec<(f64, f64, f64)> = (1..=8)
        .map(|n| (f64::from(n), 1.0 / f64::from(n), rng.range(0.0, TAU)))
        .collect();
    let whine = rng.range(4000.0, 7000.0);
    let mut phase = 0.0;
    for (i, y) in out.iter_mut().enumerate() {
        let t = i as f64 / sr;
        let f = fundamental * (1.0 + 0.01 * (TAU * 0.3 * t).sin());
        phase += TAU * f / sr;
        let hum: f64 = harmonics
            .iter()
            .map(|(n, a, p)| a * (n * phase + p).sin())
            .sum();
        *y += hum + 0.05 * (TAU * whine * t).sin();
    }
}

/// Belt noise: broadband hiss and low rumble, swelling once per belt turn.
pub fn add_belt(out: &mut [f64], sr: f64, rng: &mut Rng) {
    let turn_hz = rng.range(0.8, 1.4);
    let (mut pink, mut rumble) = (0.0, 0.0);
    let a_pink = (-TAU * 1500.0 / sr).exp();
    let a_rumble = (-TAU * 120.0 / sr).exp();
    for (i, y) in out.iter_mut().enumerate() {
        let t = i as f64 / sr;
        let white = rng.noise();
        pink = a_pink * pink + (1.0 - a_pink) * white;
        rumble = a_rumble * rumble + (1.0 - a_rumble) * white;
        let swell = 1.0 + 0.3 * (TAU * turn_hz * t).sin();
        *y += swell * (0.5 * white + 2.0 * pink + 6.0 * rumble);
    }
}

/// Music from a speaker: four-on-the-floor kick, backbeat snare, eighth
/// hats, a bass line and a pad, at `bpm`.
pub fn add_music(out: &mut [f64], sr: f64, bpm: f64, rng: &mut Rng) {
    let beat = 60.0 / bpm;
    let seconds = out.len() as f64 / sr;
    let offset = rng.range(0.0, beat);
    let mut k = 0;
    loop {
        let t = offset + f64::from(k) * beat / 2.0;
        if t >= seconds {
            break;
        }
        let at = (t * sr) as usize;
        if k % 2 == 0 {
            kick(out, at, sr);
            if (k / 2) % 2 == 1 {
                burst(out, at, sr, 3000.0, false, 0.5, 0.05, rng);
                resonance(out, at, sr, 190.0, 0.4, 0.04);
            }
        }
        burst(out, at, sr, 6000.0, true, 0.15, 0.012, rng);
        k += 1;
    }
    let notes = [55.0, 55.0, 65.4, 49.0];
    let chord = [220.0, 261.6, 329.6];
    let mut saw_phase = [0.0f64; 4];
    let mut low = 0.0;
    let a = (-TAU * 400.0 / sr).exp();
    for (i, y) in out.iter_mut().enumerate() {
        let t = i as f64 / sr;
        let bar = ((t / (4.0 * beat)) as usize) % notes.len();
        let freqs = [notes[bar], chord[0], chord[1], chord[2]];
        let mut sum = 0.0;
        for (j, f) in freqs.iter().enumerate() {
            saw_phase[j] = (saw_phase[j] + f / sr).fract();
            let saw = 2.0 * saw_phase[j] - 1.0;
            sum += if j == 0 { 0.6 * saw } else { 0.12 * saw };
        }
        low = a * low + (1.0 - a) * sum;
        *y += low;
    }
}

/// A kick drum: a sine sweeping from 130 to 45 Hz, and the beater's click.
fn kick(out: &mut [f64], start: usize, sr: f64) {
    let len = (0.3 * sr) as usize;
    let mut phase = 0.0;
    for (i, y) in out.iter_mut().skip(start).take(len).enumerate() {
        let t = i as f64 / sr;
        let f = 45.0 + 85.0 * (-t / 0.03).exp();
        phase += TAU * f / sr;
        let body = (-t / 0.12).exp() * phase.sin();
        let beater = if t < 0.002 {
            0.5 * (TAU * 3000.0 * t).sin()
        } else {
            0.0
        };
        *y += 1.2 * (body + beater);
    }
}

/// A room: a Schroeder reverberator (four combs, two all-passes) with
/// decay time `rt60_s`, its tail `direct_to_reverb_db` below the direct
/// sound in power.
pub fn reverberate(dry: &[f64], sr: f64, rt60_s: f64, direct_to_reverb_db: f64) -> Vec<f64> {
    let comb_s = [0.0297, 0.0371, 0.0411, 0.0437];
    let mut sum = vec![0.0; dry.len()];
    for d in comb_s {
        let delay = (d * sr) as usize;
        let feedback = 10f64.powf(-3.0 * d / rt60_s);
        let mut line = vec![0.0; delay];
        for (i, (y, x)) in sum.iter_mut().zip(dry).enumerate() {
            let slot = i % delay;
            let out = line[slot];
            line[slot] = x + feedback * out;
            *y += out / 4.0;
        }
    }
    for d in [0.005, 0.0017] {
        let delay = (d * sr) as usize;
        let g = 0.7;
        let mut line = vec![0.0; delay];
        for (i, y) in sum.iter_mut().enumerate() {
            let slot = i % delay;
            let delayed = line[slot];
            let v = *y + g * delayed;
            line[slot] = v;
            *y = delayed - g * v;
        }
    }
    let power = |x: &[f64]| x.iter().map(|v| v * v).sum::<f64>().max(1e-30);
    let wet = (power(dry) / power(&sum) * 10f64.powf(-direct_to_reverb_db / 10.0)).sqrt();
    dry.iter().zip(&sum).map(|(x, r)| x + wet * r).collect()
}

/// Mean power of a signal.
pub fn power(x: &[f64]) -> f64 {
    x.iter().map(|v| v * v).sum::<f64>() / x.len().max(1) as f64
}

/// A treadmill's noise, `n` samples: the motor, the belt and, with
/// `music_bpm`, music, each at a fixed share of the noise power (music a
/// third when there is any). The caller sets the overall level for an SNR.
pub fn treadmill_noise(n: usize, sr: f64, music_bpm: Option<f64>, rng: &mut Rng) -> Vec<f64> {
    let (motor, belt) = motor_and_belt(n, sr, rng);
    let mut music = vec![0.0; n];
    if let Some(bpm) = music_bpm {
        add_music(&mut music, sr, bpm, rng);
    }
    noise_of(
        &motor,
        &belt,
        music_bpm.is_some().then_some(music.as_slice()),
    )
}

/// The motor and the belt of [`treadmill_noise`], drawn first from `rng`.
pub fn motor_and_belt(n: usize, sr: f64, rng: &mut Rng) -> (Vec<f64>, Vec<f64>) {
    let mut motor = vec![0.0; n];
    add_motor(&mut motor, sr, rng.range(45.0, 110.0), rng);
    let mut belt = vec![0.0; n];
    add_belt(&mut belt, sr, rng);
    (motor, belt)
}

/// The motor, the belt and any music (synthetic or recorded) at the
/// shares of [`treadmill_noise`].
pub fn noise_of(motor: &[f64], belt: &[f64], music: Option<&[f64]>) -> Vec<f64> {
    let silence = vec![0.0; motor.len()];
    let shares = if music.is_some() {
        [0.3, 0.37, 0.33]
    } else {
        [0.45, 0.55, 0.0]
    };
    let mut noise = vec![0.0; motor.len()];
    for (part, share) in [motor, belt, music.unwrap_or(silence.as_slice())]
        .into_iter()
        .zip(shares)
    {
        let p = power(part);
        if p > 0.0 {
            let gain = (share / p).sqrt();
            noise
                .iter_mut()
                .zip(part.iter())
                .for_each(|(y, x)| *y += gain * x);
        }
    }
    noise
}

//! The built-in click sounds, synthesized once at the output rate before a
//! session starts: woodblock, beep, clave, cowbell and hi-hat, each with an
//! accented variant that is higher in pitch and louder.
//!
//! Every sound starts at full strength on its first sample (cosine phase,
//! no fade-in): a click's attack is its timing, and a hard attack is what
//! cuts through music in headphones.

use crate::plan::SoundName;
use crate::units::SampleRate;

/// Peak level of a normal click; accents sit at `ACCENT_PEAK` (+3.8 dB).
pub const NORMAL_PEAK: f32 = 0.55;
pub const ACCENT_PEAK: f32 = 0.85;
/// Accents are a perfect fourth higher: different enough to count by.
const ACCENT_PITCH: f64 = 4.0 / 3.0;

/// The two variants of one click sound, mono, at the engine's rate.
#[derive(Debug, Clone, PartialEq)]
pub struct ClickSounds {
    pub normal: Vec<f32>,
    pub accent: Vec<f32>,
}

impl ClickSounds {
    pub fn builtin(name: SoundName, rate: SampleRate) -> ClickSounds {
        ClickSounds {
            normal: normalized(synthesize(name, rate, 1.0, false), NORMAL_PEAK),
            accent: normalized(synthesize(name, rate, ACCENT_PITCH, true), ACCENT_PEAK),
        }
    }

    /// The longest variant, in frames: how long a click can ring.
    pub fn max_len(&self) -> usize {
        self.normal.len().max(self.accent.len())
    }
}

/// A resonant mode: frequency (Hz), amplitude, decay time constant (s).
type Mode = (f64, f64, f64);

fn synthesize(name: SoundName, rate: SampleRate, pitch: f64, accent: bool) -> Vec<f32> {
    let sr = f64::from(rate.0);
    match name {
        SoundName::Woodblock => modes(
            sr,
            &[
                (880.0, 1.0, 0.022),
                (2420.0, 0.45, 0.010),
                (5300.0, 0.18, 0.005),
            ],
            pitch,
            0.35,
        ),
        SoundName::Beep => modes(
            sr,
            &[(1000.0, 1.0, 0.030), (3000.0, 0.08, 0.010)],
            pitch,
            0.0,
        ),
        SoundName::Clave => modes(
            sr,
            &[(2500.0, 1.0, 0.025), (6250.0, 0.15, 0.004)],
            pitch,
            0.1,
        ),
        SoundName::Cowbell => cowbell(sr, pitch),
        SoundName::HiHat => hihat(sr, pitch, if accent { 0.060 } else { 0.030 }),
    }
}

/// Sum of exponentially decaying cosines plus a short noise transient.
fn modes(sr: f64, modes: &[Mode], pitch: f64, noise: f64) -> Vec<f32> {
    let longest = modes.iter().map(|m| m.2).fold(0.0, f64::max);
    let len = length_for(sr, longest);
    let mut rng = XorShift(0x9E37_79B9);
    (0..len)
        .map(|i| {
            let t = i as f64 / sr;
            let tone: f64 = modes
                .iter()
                .map(|(f, a, tau)| {
                    a * (-t / tau).exp() * (std::f64::consts::TAU * f * pitch * t).cos()
                })
                .sum();
            let hiss = noise * rng.next() * (-t / 0.0015).exp();
            (tone + hiss) * tail_fade(i, len)
        })
        .map(|x| x as f32)
        .collect()
}

/// Two detuned band-limited square waves, like the classic drum machine bell.
fn cowbell(sr: f64, pitch: f64) -> Vec<f32> {
    let len = length_for(sr, 0.05);
    let square = |f: f64, t: f64| -> f64 {
        (1..=9)
            .step_by(2)
            .filter(|n| f * f64::from(*n) < sr / 2.0)
            .map(|n| (std::f64::consts::TAU * f * f64::from(n) * t).cos() / f64::from(n))
            .sum()
    };
    (0..len)
        .map(|i| {
            let t = i as f64 / sr;
            let envelope = 0.6 * (-t / 0.012).exp() + 0.4 * (-t / 0.05).exp();
            let x = square(540.0 * pitch, t) + square(800.0 * pitch, t);
            (x * envelope * tail_fade(i, len)) as f32
        })
        .collect()
}

/// Bright noise (differenced twice, a steep high-pass) over six metallic
/// square partials.
fn hihat(sr: f64, pitch: f64, decay: f64) -> Vec<f32> {
    let len = length_for(sr, decay);
    let partials = [205.3, 304.4, 369.6, 522.7, 540.0, 800.0].map(|f| f * 4.0 * pitch);
    let mut rng = XorShift(0x2545_F491);
    let (mut prev, mut prev_diff) = (0.0, 0.0);
    (0..len)
        .map(|i| {
            let t = i as f64 / sr;
            let noise = rng.next();
            let diff = noise - prev;
            let bright = diff - prev_diff;
            prev = noise;
            prev_diff = diff;
            let metal: f64 = partials
                .iter()
                .map(|f| (std::f64::consts::TAU * f * t).cos().signum())
                .sum::<f64>()
                / 6.0;
            // The first sample is forced loud so the attack lands on the frame.
            let strike = if i == 0 {
                1.0
            } else {
                0.6 * bright + 0.4 * metal
            };
            (strike * (-t / decay).exp() * tail_fade(i, len)) as f32
        })
        .collect()
}

/// Long enough for the slowest decay to fall by 60 dB (7 time constants).
fn length_for(sr: f64, decay: f64) -> usize {
    ((decay * 7.0).min(0.18) * sr).ceil().max(8.0) as usize
}

/// A raised-cosine fade over the last 2 ms so truncation does not click.
fn tail_fade(i: usize, len: usize) -> f64 {
    let fade = (len / 10).max(1);
    let from_end = len - i;
    if from_end >= fade {
        1.0
    } else {
        0.5 - 0.5 * (std::f64::consts::PI * from_end as f64 / fade as f64).cos()
    }
}

/// Scales to a given peak; silence stays silence.
pub fn normalized(mut samples: Vec<f32>, peak: f32) -> Vec<f32> {
    let max = samples.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    if max > 0.0 {
        let gain = peak / max;
        samples.iter_mut().for_each(|x| *x *= gain);
    }
    samples
}

/// A tiny deterministic noise source: the same click every session.
struct XorShift(u32);

impl XorShift {
    /// Uniform in [-1, 1).
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        f64::from(self.0) / f64::from(u32::MAX) * 2.0 - 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sound_attacks_on_its_first_sample_and_accents_differ() {
        for name in SoundName::ALL {
            let sounds = ClickSounds::builtin(name, SampleRate(48000));
            for (variant, peak) in [(&sounds.normal, NORMAL_PEAK), (&sounds.accent, ACCENT_PEAK)] {
                assert!(
                    variant[0].abs() > 0.2 * peak,
                    "{name:?} starts softly: {}",
                    variant[0]
                );
                let max = variant.iter().fold(0.0f32, |m, x| m.max(x.abs()));
                assert!((max - peak).abs() < 1e-6);
                assert!(variant.len() < 48000 / 5, "{name:?} rings too long");
                assert!(variant.last().unwrap().abs() < 1e-3, "{name:?} is cut off");
            }
            assert_ne!(sounds.normal, sounds.accent);
        }
    }
}

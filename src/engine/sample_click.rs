//! Click sounds from a user's sample: the decoded clip (from `io`)
//! trimmed so its attack lands on the beat, cut to a click's length,
//! resampled once to the engine's rate, normalised, and pitched up a
//! fourth for the accent.

use super::resample::resampled;
use super::sounds::{normalized, ACCENT_PEAK, NORMAL_PEAK};
use super::ClickSounds;
use crate::units::SampleRate;

/// Longest click kept: a longer sample is faded out here.
const MAX_CLICK_S: f64 = 0.5;
/// Below this fraction of the peak (−40 dB) counts as silence.
const SILENCE: f32 = 0.01;
/// The accent is the same sound a fourth higher, so it stands out without
/// a second file.
const ACCENT_PITCH: f64 = 4.0 / 3.0;

#[derive(Debug, Clone, PartialEq)]
pub enum SampleClickError {
    /// Nothing above silence in the sample.
    Silent,
    /// The resampler refused the clip.
    Resample(String),
}

/// The normal and accented click from a mono clip at `source_rate`.
pub fn click_sounds_from_sample(
    mono: &[f32],
    source_rate: u32,
    rate: SampleRate,
) -> Result<ClickSounds, SampleClickError> {
    let trimmed = trim(mono, (MAX_CLICK_S * f64::from(source_rate)) as usize)
        .ok_or(SampleClickError::Silent)?;
    let resample = |pitch: f64| -> Result<Vec<f32>, SampleClickError> {
        let ratio = f64::from(rate.0) / (f64::from(source_rate) * pitch);
        let out = resampled(&trimmed, ratio).map_err(SampleClickError::Resample)?;
        // Sinc filters ring a little before an attack: trim again.
        trim(&out, out.len()).ok_or(SampleClickError::Silent)
    };
    Ok(ClickSounds {
        normal: normalized(resample(1.0)?, NORMAL_PEAK),
        accent: normalized(resample(ACCENT_PITCH)?, ACCENT_PEAK),
    })
}

/// Drops leading and trailing silence, keeps at most `max_len` samples and
/// fades the last 10 % out; `None` if all is silence.
fn trim(samples: &[f32], max_len: usize) -> Option<Vec<f32>> {
    // NaN samples (a broken decoder) count as silence: f32::max ignores them.
    let peak = samples.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    if peak <= 1e-6 {
        return None;
    }
    let loud = |x: &f32| x.abs() >= SILENCE * peak;
    let start = samples.iter().position(loud)?;
    let end = samples.iter().rposition(loud)? + 1;
    let mut out: Vec<f32> = samples[start..end.min(start + max_len.max(1))].to_vec();
    let fade = (out.len() / 10).max(1);
    let len = out.len();
    for (i, x) in out[len - fade..].iter_mut().enumerate() {
        *x *= 1.0 - i as f32 / fade as f32;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimming_finds_the_attack() {
        let mut clip = vec![0.0, 0.001, 0.0];
        clip.extend([0.9, -0.5, 0.2, 0.0, 0.0]);
        let out = trim(&clip, 100).unwrap();
        assert_eq!(out[0], 0.9);
        assert_eq!(out.len(), 3);
        assert!(trim(&[0.0; 10], 100).is_none());
    }
}

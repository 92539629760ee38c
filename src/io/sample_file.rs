//! A user's click sample: decoded with rodio (WAV, OGG, FLAC, MP3), mixed
//! to mono, its leading silence trimmed so the attack lands on the beat,
//! resampled once to the engine's rate with rubato's sinc resampler, and an
//! accented variant made a fourth higher and louder.

use std::fs::File;
use std::path::Path;

use rodio::Source;
use thiserror::Error;

use super::resample::resampled;
use crate::engine::sounds::{normalized, ACCENT_PEAK, NORMAL_PEAK};
use crate::engine::ClickSounds;
use crate::units::SampleRate;

/// Longest click kept: a longer file is faded out here.
const MAX_CLICK_S: f64 = 0.5;
/// Below this fraction of the peak (−40 dB) counts as silence.
const SILENCE: f32 = 0.01;
const ACCENT_PITCH: f64 = 4.0 / 3.0;

#[derive(Debug, Error)]
pub enum SampleError {
    #[error("{path}: cannot open: {source}")]
    Open {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: cannot decode as audio ({reason})")]
    Decode { path: String, reason: String },
    #[error("{path}: the sound is silent")]
    Silent { path: String },
}

pub fn load_click_sample(path: &Path, rate: SampleRate) -> Result<ClickSounds, SampleError> {
    let name = path.display().to_string();
    let file = File::open(path).map_err(|source| SampleError::Open {
        path: name.clone(),
        source,
    })?;
    let decoder = rodio::Decoder::try_from(file).map_err(|e| SampleError::Decode {
        path: name.clone(),
        reason: e.to_string(),
    })?;
    let channels = usize::from(decoder.channels().get());
    let source_rate = decoder.sample_rate().get();
    // Leading silence can be long (encoder padding, a gap before the hit):
    // read a few seconds, trim, then keep at most MAX_CLICK_S.
    let limit = (4.0 * f64::from(source_rate)) as usize * channels;
    let interleaved: Vec<f32> = decoder.take(limit).collect();
    let mono: Vec<f32> = interleaved
        .chunks_exact(channels)
        .map(|frame| frame.iter().sum::<f32>() / channels as f32)
        .collect();
    let trimmed = trim(&mono, (MAX_CLICK_S * f64::from(source_rate)) as usize)
        .ok_or(SampleError::Silent { path: name.clone() })?;
    let resample = |pitch: f64| -> Result<Vec<f32>, SampleError> {
        let ratio = f64::from(rate.0) / (f64::from(source_rate) * pitch);
        let out = resampled(&trimmed, ratio).map_err(|reason| SampleError::Decode {
            path: name.clone(),
            reason,
        })?;
        // Sinc filters ring a little before an attack: trim again.
        trim(&out, out.len()).ok_or(SampleError::Silent { path: name.clone() })
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

//! A user's click sample, decoded with rodio (WAV, OGG, FLAC, MP3, M4A) and
//! mixed to mono; `engine::sample_click` makes the click sounds from it.

use std::fs::File;
use std::path::Path;

use rodio::Source;
use thiserror::Error;

use super::decoder_guard::guarded;
use crate::engine::sample_click::{click_sounds_from_sample, SampleClickError};
use crate::engine::ClickSounds;
use crate::units::SampleRate;

/// How much of a file is read: leading silence can be long (encoder
/// padding, a gap before the hit), and a click is short.
const READ_S: f64 = 4.0;

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

/// Decodes a user's click sample (its first seconds, mixed to mono) and
/// makes the click sounds from it at the engine's rate.
pub fn load_click_sample(path: &Path, rate: SampleRate) -> Result<ClickSounds, SampleError> {
    let name = path.display().to_string();
    let file = File::open(path).map_err(|source| SampleError::Open {
        path: name.clone(),
        source,
    })?;
    let decode_error = |reason: String| SampleError::Decode {
        path: name.clone(),
        reason,
    };
    let decoder = guarded(|| rodio::Decoder::try_from(file))
        .map_err(decode_error)?
        .map_err(|e| decode_error(e.to_string()))?;
    let channels = usize::from(decoder.channels().get());
    let source_rate = decoder.sample_rate().get();
    let limit = (READ_S * f64::from(source_rate)) as usize * channels;
    let interleaved: Vec<f32> = guarded(|| decoder.take(limit).collect()).map_err(decode_error)?;
    let mono: Vec<f32> = interleaved
        .chunks_exact(channels)
        .map(|frame| frame.iter().sum::<f32>() / channels as f32)
        .collect();
    click_sounds_from_sample(&mono, source_rate, rate).map_err(|e| match e {
        SampleClickError::Silent => SampleError::Silent { path: name },
        SampleClickError::Resample(reason) => SampleError::Decode { path: name, reason },
    })
}

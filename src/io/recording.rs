//! Reading a recording for the detector: any file rodio decodes (WAV,
//! FLAC, Ogg Vorbis, MP3, M4A with AAC or ALAC), any rate, mixed to mono, streamed in blocks so
//! a long recording never sits in memory.

use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::path::Path;

use rodio::Source;
use thiserror::Error;

use super::decoder_guard::guarded;
use super::recording_header::{check, sniff, HeaderFormat};

/// The longest recording analysed: a session is at most 24 hours.
pub const LONGEST_S: f64 = 24.0 * 3600.0;
/// Samples at or above this magnitude count as clipped.
const CLIPPED: f32 = 0.999;

#[derive(Debug, Error)]
pub enum RecordingError {
    #[error("{path}: cannot open: {reason}")]
    Open { path: String, reason: String },
    #[error(
        "{path}: not a recording treadbeat can read ({reason}); use WAV, FLAC, Ogg Vorbis, MP3 or M4A"
    )]
    Decode { path: String, reason: String },
    #[error("{path}: longer than 24 hours, the longest session; cut it first")]
    TooLong { path: String },
    #[error("{path}: {reason}")]
    Unusable { path: String, reason: String },
}

impl RecordingError {
    /// Whether the file is at fault (exit 1) rather than the system (exit 2).
    pub fn is_invalid_input(&self) -> bool {
        !matches!(self, RecordingError::Open { .. })
    }
}

/// What was read, besides the samples.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RecordingStats {
    pub sample_rate: u32,
    pub channels: u16,
    pub frames: u64,
    pub clipped: u64,
    pub peak: f32,
}

impl RecordingStats {
    pub fn seconds(&self) -> f64 {
        self.frames as f64 / f64::from(self.sample_rate.max(1))
    }
}

/// Opens a recording: its rate and channel count, before any sample.
pub fn open_recording(
    path: &Path,
) -> Result<rodio::Decoder<std::io::BufReader<File>>, RecordingError> {
    let name = path.display().to_string();
    let open_error = |reason: String| RecordingError::Open {
        path: name.clone(),
        reason,
    };
    let unusable = |reason: String| RecordingError::Unusable {
        path: name.clone(),
        reason,
    };
    let metadata = std::fs::metadata(path).map_err(|e| open_error(e.to_string()))?;
    if metadata.is_dir() {
        return Err(open_error("is a directory".into()));
    }
    // A device or a pipe may never end (/dev/urandom, a FIFO nobody
    // writes to): only a file has a length to read to.
    if !metadata.is_file() {
        return Err(unusable(
            "not a regular file (a device, pipe or socket); record to a file first".into(),
        ));
    }
    let mut file = File::open(path).map_err(|e| open_error(e.to_string()))?;
    if let Some(format) = sniff(&mut file) {
        check(format).map_err(unusable)?;
    }
    file.seek(SeekFrom::Start(0))
        .map_err(|e| open_error(e.to_string()))?;
    let decode_error = |reason: String| RecordingError::Decode {
        path: name.clone(),
        reason,
    };
    let decoder = guarded(|| rodio::Decoder::try_from(file))
        .map_err(decode_error)?
        .map_err(|e| decode_error(e.to_string()))?;
    check(HeaderFormat {
        sample_rate: decoder.sample_rate().get(),
        channels: u32::from(decoder.channels().get()),
    })
    .map_err(unusable)?;
    if decoder
        .total_duration()
        .is_some_and(|d| d.as_secs_f64() > LONGEST_S)
    {
        return Err(RecordingError::TooLong { path: name });
    }
    Ok(decoder)
}

/// Streams a recording as mono blocks of up to `block` frames into `sink`.
pub fn read_mono(
    path: &Path,
    block: usize,
    mut sink: impl FnMut(&[f32], u32),
) -> Result<RecordingStats, RecordingError> {
    let mut decoder = open_recording(path)?;
    let channels = decoder.channels().get();
    let rate = decoder.sample_rate().get();
    let mut stats = RecordingStats {
        sample_rate: rate,
        channels,
        ..RecordingStats::default()
    };
    let longest = (LONGEST_S * f64::from(rate)) as u64;
    let mut mono = Vec::with_capacity(block);
    let mut frame_sum = 0.0f32;
    let mut in_frame = 0;
    // The decoder is asked for a block at a time, each under the guard.
    let chunk = block.max(1) * usize::from(channels);
    loop {
        let samples: Vec<f32> =
            guarded(|| decoder.by_ref().take(chunk).collect()).map_err(|reason| {
                RecordingError::Decode {
                    path: path.display().to_string(),
                    reason,
                }
            })?;
        if samples.is_empty() {
            break;
        }
        for x in samples {
            let x = if x.is_finite() { x } else { 0.0 };
            if x.abs() >= CLIPPED {
                stats.clipped += 1;
            }
            stats.peak = stats.peak.max(x.abs());
            frame_sum += x;
            in_frame += 1;
            if in_frame < channels {
                continue;
            }
            mono.push(frame_sum / f32::from(channels));
            frame_sum = 0.0;
            in_frame = 0;
            stats.frames += 1;
            if stats.frames > longest {
                return Err(RecordingError::TooLong {
                    path: path.display().to_string(),
                });
            }
            if mono.len() == block {
                sink(&mono, rate);
                mono.clear();
            }
        }
    }
    if !mono.is_empty() {
        sink(&mono, rate);
    }
    Ok(stats)
}

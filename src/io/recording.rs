//! Reading a recording for the detector: WAV, FLAC, Ogg Vorbis, MP3, M4A
//! with AAC or ALAC (`decoded_stream`), any rate, mixed to mono, streamed
//! in blocks so a long recording never sits in memory.

use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::path::Path;

use thiserror::Error;

use super::decoded_stream::DecodedStream;
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
pub fn open_recording(path: &Path) -> Result<DecodedStream, RecordingError> {
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
    let decoder = guarded(|| DecodedStream::open(file))
        .map_err(decode_error)?
        .map_err(decode_error)?;
    check(HeaderFormat {
        sample_rate: decoder.sample_rate(),
        channels: u32::from(decoder.channels()),
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

/// Moves `decoder` to its next packet under the guard (`false` at the
/// end); a decoder's panic is a decoding error of `path`.
pub fn next_packet(decoder: &mut DecodedStream, path: &Path) -> Result<bool, RecordingError> {
    guarded(|| decoder.advance()).map_err(|reason| RecordingError::Decode {
        path: path.display().to_string(),
        reason,
    })
}

/// A sample that is not a number (a broken file) counts as silence.
#[inline]
fn finite(x: f32) -> f32 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}

/// Counts the clipped samples of `samples` and raises the peak.
fn tally(samples: &[f32], stats: &mut RecordingStats) {
    let magnitudes = samples.iter().map(|&x| finite(x).abs());
    stats.clipped += magnitudes.clone().filter(|&a| a >= CLIPPED).count() as u64;
    stats.peak = magnitudes.fold(stats.peak, f32::max);
}

/// Streams a recording as mono blocks of up to `block` frames into `sink`.
pub fn read_mono(
    path: &Path,
    block: usize,
    mut sink: impl FnMut(&[f32], u32),
) -> Result<RecordingStats, RecordingError> {
    let mut decoder = open_recording(path)?;
    let channels = decoder.channels();
    let rate = decoder.sample_rate();
    let mut stats = RecordingStats {
        sample_rate: rate,
        channels,
        ..RecordingStats::default()
    };
    let longest = (LONGEST_S * f64::from(rate)) as u64;
    let width = usize::from(channels);
    let block = block.max(1);
    // Frames wait here until a block is full; one allocation for the read.
    let mut mono: Vec<f32> = Vec::with_capacity(block);
    loop {
        if !next_packet(&mut decoder, path)? {
            break;
        }
        let packet = decoder.samples();
        let whole = packet.len() / width * width;
        tally(&packet[..whole], &mut stats);
        // A block at a time, so that the loops below have no branch in
        // them (a packet's trailing part of a frame, if any, is dropped).
        let mut rest = &packet[..whole];
        while !rest.is_empty() {
            let frames = (block - mono.len()).min(rest.len() / width);
            let (now, later) = rest.split_at(frames * width);
            mono.extend(
                now.chunks_exact(width).map(|frame| {
                    frame.iter().map(|&x| finite(x)).sum::<f32>() / f32::from(channels)
                }),
            );
            if mono.len() == block {
                sink(&mono, rate);
                mono.clear();
            }
            rest = later;
        }
        stats.frames += (packet.len() / width) as u64;
        if stats.frames > longest {
            return Err(RecordingError::TooLong {
                path: path.display().to_string(),
            });
        }
    }
    if !mono.is_empty() {
        sink(&mono, rate);
    }
    Ok(stats)
}

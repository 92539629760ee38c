//! A recording's rate and channel count, read from its header before any
//! decoder sees it.
//!
//! The decoders trust their headers: a WAV claiming 0 Hz panics inside
//! symphonia, one at 1–32 Hz would reach the detector's filters with no
//! band to filter, and one at 4,294,967,295 Hz was read as an empty
//! second. Checking WAV (RIFF, RF64) and FLAC headers here, and every
//! format's rate again once decoded, keeps all of that out.

use std::io::Read;
use std::ops::RangeInclusive;

/// Rates a recording may have: from telephone audio to the highest rate
/// any recorder writes.
pub const RATES: RangeInclusive<u32> = 8_000..=384_000;
/// Channels a recording may have (a multitrack field recorder at most).
pub const CHANNELS: RangeInclusive<u32> = 1..=32;

/// What the header says, where the format has a header we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderFormat {
    pub sample_rate: u32,
    pub channels: u32,
}

/// Reads the rate and channels from a WAV or FLAC header in the first
/// bytes of a file; `None` for other formats or a header not found there.
pub fn sniff(mut reader: impl Read) -> Option<HeaderFormat> {
    let mut head = Vec::with_capacity(4096);
    reader.by_ref().take(4096).read_to_end(&mut head).ok()?;
    match head.get(0..4)? {
        b"RIFF" | b"RF64" | b"BW64" if head.get(8..12)? == b"WAVE" => wav_fmt(&head),
        b"fLaC" => flac_streaminfo(&head),
        _ => None,
    }
}

/// Why a format cannot be analysed, if it cannot.
pub fn check(format: HeaderFormat) -> Result<(), String> {
    if !RATES.contains(&format.sample_rate) {
        return Err(format!(
            "a sample rate of {} Hz is outside 8 to 384 kHz",
            format.sample_rate
        ));
    }
    if !CHANNELS.contains(&format.channels) {
        return Err(format!("{} channels is outside 1 to 32", format.channels));
    }
    Ok(())
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes(
        bytes.get(at..at + 2)?.try_into().ok()?,
    )))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// Walks the chunks after "WAVE" to the "fmt " chunk.
fn wav_fmt(head: &[u8]) -> Option<HeaderFormat> {
    let mut at = 12;
    loop {
        let id = head.get(at..at + 4)?;
        let size = u32_at(head, at + 4)? as usize;
        if id == b"fmt " {
            return Some(HeaderFormat {
                channels: u16_at(head, at + 10)?,
                sample_rate: u32_at(head, at + 12)?,
            });
        }
        // Chunks are padded to an even length.
        at = at
            .checked_add(8)?
            .checked_add(size)?
            .checked_add(size & 1)?;
    }
}

/// STREAMINFO is the first metadata block: 20 bits of rate, then 3 bits
/// of channels less one.
fn flac_streaminfo(head: &[u8]) -> Option<HeaderFormat> {
    if head.get(4)? & 0x7f != 0 {
        return None;
    }
    let bits = head.get(18..21)?;
    let rate = (u32::from(bits[0]) << 12) | (u32::from(bits[1]) << 4) | (u32::from(bits[2]) >> 4);
    let channels = (u32::from(bits[2]) >> 1 & 0x07) + 1;
    Some(HeaderFormat {
        sample_rate: rate,
        channels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav_header(rate: u32, channels: u16) -> Vec<u8> {
        let mut h = b"RIFF\0\0\0\0WAVE".to_vec();
        h.extend_from_slice(b"LIST\x03\0\0\0abc\0");
        h.extend_from_slice(b"fmt \x10\0\0\0\x01\0");
        h.extend_from_slice(&channels.to_le_bytes());
        h.extend_from_slice(&rate.to_le_bytes());
        h.extend_from_slice(&[0; 8]);
        h
    }

    #[test]
    fn a_wav_header_is_read_past_other_chunks() {
        let format = sniff(&wav_header(44_100, 2)[..]).unwrap();
        assert_eq!(
            format,
            HeaderFormat {
                sample_rate: 44_100,
                channels: 2
            }
        );
        assert!(check(format).is_ok());
    }

    #[test]
    fn rates_and_channels_out_of_range_are_refused() {
        for (rate, channels) in [(0, 1), (32, 1), (u32::MAX, 1), (48_000, 0), (48_000, 33)] {
            let format = sniff(&wav_header(rate, channels)[..]).unwrap();
            assert!(check(format).is_err(), "{rate} Hz, {channels} channels");
        }
    }

    #[test]
    fn a_flac_streaminfo_is_read() {
        // 48 kHz = 0x0BB80, stereo (1 in the 3 bits), 16 bits.
        let mut h = b"fLaC\x00\x00\x00\x22".to_vec();
        h.extend_from_slice(&[0x10, 0x00, 0x10, 0x00, 0, 0, 0, 0, 0, 0]);
        h.extend_from_slice(&[0x0B, 0xB8, 0x02, 0xF0, 0, 0, 0, 0]);
        let format = sniff(&h[..]).unwrap();
        assert_eq!(
            format,
            HeaderFormat {
                sample_rate: 48_000,
                channels: 2
            }
        );
    }
}

//! 16-bit PCM WAV, streamed, becoming RF64 (EBU Tech 3306) past 4 GiB.
//!
//! A plain WAV counts its bytes in 32 bits, so at 48 kHz stereo anything
//! over 6 h 12 min would wrap. The header reserves a `JUNK` chunk the size
//! of RF64's `ds64` chunk; `finish` fills in the sizes and, when they do
//! not fit 32 bits, turns `RIFF` into `RF64` and the `JUNK` into a `ds64`
//! carrying the 64-bit sizes. Readers that know only WAV skip the `JUNK`.

use std::io::{self, Seek, SeekFrom, Write};

use crate::io::wav::convert_block;

/// The bytes before the samples: RIFF header, JUNK/ds64, fmt, data header.
const HEADER_BYTES: u64 = 12 + (8 + 28) + (8 + 16) + 8;
/// Where the JUNK/ds64 chunk starts.
const DS64_AT: u64 = 12;
/// Where the data chunk's 32-bit size is.
const DATA_SIZE_AT: u64 = HEADER_BYTES - 4;

/// When the file must be RF64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WavLayout {
    /// A plain WAV while the sizes fit 32 bits, RF64 beyond.
    Auto,
    /// RF64 whatever the size (for readers and tests that want it).
    Rf64,
}

pub struct WavEncoder<W: Write + Seek> {
    out: W,
    channels: u16,
    layout: WavLayout,
    data_bytes: u64,
    pcm: Vec<i16>,
    bytes: Vec<u8>,
}

impl<W: Write + Seek> WavEncoder<W> {
    pub fn new(mut out: W, rate: u32, channels: u16, layout: WavLayout) -> io::Result<Self> {
        let block_align = 2 * channels;
        let mut header = Vec::with_capacity(HEADER_BYTES as usize);
        header.extend_from_slice(b"RIFF\0\0\0\0WAVE");
        header.extend_from_slice(b"JUNK");
        header.extend_from_slice(&28u32.to_le_bytes());
        header.extend_from_slice(&[0; 28]);
        header.extend_from_slice(b"fmt ");
        header.extend_from_slice(&16u32.to_le_bytes());
        header.extend_from_slice(&1u16.to_le_bytes()); // PCM
        header.extend_from_slice(&channels.to_le_bytes());
        header.extend_from_slice(&rate.to_le_bytes());
        header.extend_from_slice(&(rate * u32::from(block_align)).to_le_bytes());
        header.extend_from_slice(&block_align.to_le_bytes());
        header.extend_from_slice(&16u16.to_le_bytes());
        header.extend_from_slice(b"data\0\0\0\0");
        debug_assert_eq!(header.len() as u64, HEADER_BYTES);
        out.write_all(&header)?;
        Ok(WavEncoder {
            out,
            channels,
            layout,
            data_bytes: 0,
            pcm: Vec::new(),
            bytes: Vec::new(),
        })
    }

    /// Appends interleaved samples in [-1, 1].
    pub fn write(&mut self, block: &[f32]) -> io::Result<()> {
        debug_assert_eq!(block.len() % usize::from(self.channels), 0);
        self.pcm.resize(block.len(), 0);
        convert_block(block, &mut self.pcm);
        self.bytes.clear();
        self.bytes
            .extend(self.pcm.iter().flat_map(|s| s.to_le_bytes()));
        self.out.write_all(&self.bytes)?;
        self.data_bytes += self.bytes.len() as u64;
        Ok(())
    }

    /// Writes the sizes into the header; returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        let riff_size = HEADER_BYTES - 8 + self.data_bytes;
        let fits = riff_size <= u64::from(u32::MAX);
        if fits && self.layout == WavLayout::Auto {
            self.patch(4, &(riff_size as u32).to_le_bytes())?;
            self.patch(DATA_SIZE_AT, &(self.data_bytes as u32).to_le_bytes())?;
        } else {
            let frames = self.data_bytes / (2 * u64::from(self.channels));
            let mut ds64 = Vec::with_capacity(36);
            ds64.extend_from_slice(b"ds64");
            ds64.extend_from_slice(&28u32.to_le_bytes());
            ds64.extend_from_slice(&riff_size.to_le_bytes());
            ds64.extend_from_slice(&self.data_bytes.to_le_bytes());
            ds64.extend_from_slice(&frames.to_le_bytes());
            ds64.extend_from_slice(&0u32.to_le_bytes()); // no table
            self.patch(0, b"RF64")?;
            self.patch(4, &u32::MAX.to_le_bytes())?;
            self.patch(DS64_AT, &ds64)?;
            self.patch(DATA_SIZE_AT, &u32::MAX.to_le_bytes())?;
        }
        self.out.seek(SeekFrom::End(0))?;
        self.out.flush()?;
        Ok(self.out)
    }

    fn patch(&mut self, at: u64, bytes: &[u8]) -> io::Result<()> {
        self.out.seek(SeekFrom::Start(at))?;
        self.out.write_all(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keeps the first bytes written and counts the rest: a 4 GiB file
    /// without the disk.
    struct HeaderOnly {
        head: Vec<u8>,
        at: u64,
        len: u64,
    }

    impl Write for HeaderOnly {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            for (i, b) in bytes.iter().enumerate() {
                let at = self.at + i as u64;
                if at < 128 {
                    if (at as usize) < self.head.len() {
                        self.head[at as usize] = *b;
                    } else {
                        self.head.push(*b);
                    }
                } else {
                    break;
                }
            }
            self.at += bytes.len() as u64;
            self.len = self.len.max(self.at);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Seek for HeaderOnly {
        fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
            self.at = match to {
                SeekFrom::Start(at) => at,
                SeekFrom::End(d) => (self.len as i64 + d) as u64,
                SeekFrom::Current(d) => (self.at as i64 + d) as u64,
            };
            Ok(self.at)
        }
    }

    fn u32_at(bytes: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
    }

    fn u64_at(bytes: &[u8], at: usize) -> u64 {
        u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap())
    }

    fn write_frames(frames: u64, channels: u16) -> Vec<u8> {
        let sink = HeaderOnly {
            head: Vec::new(),
            at: 0,
            len: 0,
        };
        let mut wav = WavEncoder::new(sink, 48_000, channels, WavLayout::Auto).unwrap();
        let block = vec![0.25f32; 1 << 20];
        let mut left = frames * u64::from(channels);
        while left > 0 {
            let n = left.min(block.len() as u64) as usize;
            wav.write(&block[..n]).unwrap();
            left -= n as u64;
        }
        wav.finish().unwrap().head
    }

    #[test]
    fn a_small_file_is_a_plain_wav_with_its_sizes() {
        let head = write_frames(1000, 2);
        assert_eq!(&head[0..4], b"RIFF");
        assert_eq!(u32_at(&head, 4) as u64, HEADER_BYTES - 8 + 4000);
        assert_eq!(&head[12..16], b"JUNK");
        assert_eq!(u32_at(&head, DATA_SIZE_AT as usize), 4000);
    }

    #[test]
    fn past_4_gib_the_file_is_rf64_with_64_bit_sizes() {
        // 6 h 13 min at 48 kHz stereo: just over 4 GiB of samples.
        let frames = 48_000 * (6 * 3600 + 13 * 60);
        let head = write_frames(frames, 2);
        let data = frames * 4;
        assert!(data > u64::from(u32::MAX));
        assert_eq!(&head[0..4], b"RF64");
        assert_eq!(u32_at(&head, 4), u32::MAX);
        assert_eq!(&head[12..16], b"ds64");
        assert_eq!(u64_at(&head, 20), HEADER_BYTES - 8 + data);
        assert_eq!(u64_at(&head, 28), data);
        assert_eq!(u64_at(&head, 36), frames);
        assert_eq!(u32_at(&head, DATA_SIZE_AT as usize), u32::MAX);
    }
}

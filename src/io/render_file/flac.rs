//! 16-bit FLAC through flac-codec: lossless, so every click is exactly
//! where the WAV has it, at roughly a third of the size.

use std::io::{self, Seek, Write};

use flac_codec::encode::{FlacSampleWriter, Options};

use crate::io::wav::to_i16;

pub struct FlacEncoder<W: Write + Seek> {
    writer: FlacSampleWriter<W>,
    pcm: Vec<i32>,
}

impl<W: Write + Seek> FlacEncoder<W> {
    /// `total_frames` goes into STREAMINFO, so players know the length
    /// before they decode it all.
    pub fn new(out: W, rate: u32, channels: u16, total_frames: u64) -> io::Result<Self> {
        let channels_u8 = u8::try_from(channels).map_err(io::Error::other)?;
        let total_samples = (total_frames > 0).then(|| total_frames * u64::from(channels));
        let writer = FlacSampleWriter::new(
            out,
            Options::default(),
            rate,
            16,
            channels_u8,
            total_samples,
        )
        .map_err(io::Error::other)?;
        Ok(FlacEncoder {
            writer,
            pcm: Vec::new(),
        })
    }

    /// Appends interleaved samples in [-1, 1].
    pub fn write(&mut self, block: &[f32]) -> io::Result<()> {
        self.pcm.clear();
        self.pcm.extend(block.iter().map(|x| i32::from(to_i16(*x))));
        self.writer.write(&self.pcm).map_err(io::Error::other)
    }

    pub fn finish(self) -> io::Result<()> {
        self.writer.finalize().map_err(io::Error::other)
    }
}

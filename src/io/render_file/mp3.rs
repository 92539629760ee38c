//! MP3 through LAME (mp3lame-encoder): what every phone and MP3 player
//! plays, at about a tenth of the WAV's size.
//!
//! An MP3 decoder hands back ~1,100 samples of encoder delay before the
//! first real sample, and padding after the last. LAME's "LAME tag" (the
//! first frame, rewritten at the end once the counts are known) records
//! both, and gapless decoders (ffmpeg, the players phones use) drop them:
//! the clicks decode where the WAV has them.
//!
//! Variable bit rate at LAME's -V 5: a click track is mostly silence, which
//! VBR spends almost nothing on, and voice and clicks stay clear. An hour
//! of coached session comes to well under the 60 MB bar (see the figures).

use std::io::{self, Seek, SeekFrom, Write};

use mp3lame_encoder::{Builder, FlushGap, InterleavedPcm, MonoPcm, Quality, VbrMode};

/// The sample rates MPEG-1/2/2.5 layer III can carry.
pub const MP3_RATES: [u32; 9] = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];

pub struct Mp3Encoder<W: Write + Seek> {
    out: W,
    lame: mp3lame_encoder::Encoder,
    channels: u16,
    bytes: Vec<u8>,
}

impl<W: Write + Seek> Mp3Encoder<W> {
    pub fn new(out: W, rate: u32, channels: u16) -> io::Result<Self> {
        if !MP3_RATES.contains(&rate) {
            return Err(io::Error::other(format!(
                "MP3 cannot carry {rate} Hz (it takes 8000 to 48000 Hz, e.g. 44100 or 48000)"
            )));
        }
        let build = |e: mp3lame_encoder::BuildError| io::Error::other(format!("LAME: {e}"));
        let mut builder = Builder::new().ok_or_else(|| io::Error::other("LAME: cannot start"))?;
        builder.set_num_channels(channels as u8).map_err(build)?;
        builder.set_sample_rate(rate).map_err(build)?;
        builder.set_vbr_mode(VbrMode::Mtrh).map_err(build)?;
        builder.set_vbr_quality(Quality::Good).map_err(build)?;
        builder.set_quality(Quality::Good).map_err(build)?;
        builder.set_to_write_vbr_tag(true).map_err(build)?;
        let lame = builder.build().map_err(build)?;
        Ok(Mp3Encoder {
            out,
            lame,
            channels,
            bytes: Vec::new(),
        })
    }

    /// Appends interleaved samples in [-1, 1].
    pub fn write(&mut self, block: &[f32]) -> io::Result<()> {
        self.bytes.clear();
        let frames = block.len() / usize::from(self.channels);
        self.bytes
            .reserve(mp3lame_encoder::max_required_buffer_size(frames));
        let encoded = if self.channels == 1 {
            self.lame.encode_to_vec(MonoPcm(block), &mut self.bytes)
        } else {
            self.lame
                .encode_to_vec(InterleavedPcm(block), &mut self.bytes)
        };
        encoded.map_err(|e| io::Error::other(format!("LAME: {e}")))?;
        self.out.write_all(&self.bytes)
    }

    /// Flushes the last frames, then writes the LAME tag over the first.
    pub fn finish(mut self) -> io::Result<()> {
        self.bytes.clear();
        self.bytes.reserve(7200);
        self.lame
            .flush_to_vec::<FlushGap>(&mut self.bytes)
            .map_err(|e| io::Error::other(format!("LAME: {e}")))?;
        self.out.write_all(&self.bytes)?;
        let mut tag = Vec::with_capacity(self.lame.lame_tag_size());
        if self.lame.lame_tag_encode_to_vec(&mut tag).is_some() {
            self.out.seek(SeekFrom::Start(0))?;
            self.out.write_all(&tag)?;
            self.out.seek(SeekFrom::End(0))?;
        }
        self.out.flush()
    }
}

//! Writing a rendered session to a file, block by block, so memory stays
//! flat however long the session: WAV (RF64 past 4 GiB), FLAC or MP3, as
//! the file's extension says. The file appears only when complete
//! (`OutputFile`), so a failed render never leaves half a file or loses the
//! one that was there.

mod flac;
mod mp3;
mod wav;

use std::io::{BufWriter, Seek, Write};
use std::path::Path;

use anyhow::{Context, Result};

pub use mp3::MP3_RATES;
pub use wav::{WavEncoder, WavLayout};

use super::output_file::OutputFile;
use crate::engine::offline::{render_session, session_frames, OFFLINE_BLOCK};
use crate::engine::Renderer;

/// The formats `render` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioFormat {
    Wav,
    Flac,
    Mp3,
}

impl AudioFormat {
    /// The format a path's extension names, or what is wrong with it.
    pub fn from_path(path: &Path) -> Result<AudioFormat, String> {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("wav") => Ok(AudioFormat::Wav),
            Some("flac") => Ok(AudioFormat::Flac),
            Some("mp3") => Ok(AudioFormat::Mp3),
            Some(other) => Err(format!(
                "{}: cannot write .{other} files; end the name in .wav, .flac or .mp3",
                path.display()
            )),
            None => Err(format!(
                "{}: no extension to tell the format; end the name in .wav, .flac or .mp3",
                path.display()
            )),
        }
    }

    /// Why this format cannot carry `rate`, if it cannot.
    pub fn check_rate(self, rate: u32) -> Result<(), String> {
        match self {
            AudioFormat::Mp3 if !MP3_RATES.contains(&rate) => Err(format!(
                "MP3 cannot carry {rate} Hz; use --sample-rate 48000, 44100 or lower, or write .wav or .flac"
            )),
            _ => Ok(()),
        }
    }
}

/// One of the encoders, fed the same blocks.
enum Encoder<W: Write + Seek> {
    Wav(WavEncoder<W>),
    // Boxed: the FLAC encoder carries its frame buffers inline.
    Flac(Box<flac::FlacEncoder<W>>),
    Mp3(mp3::Mp3Encoder<W>),
}

impl<W: Write + Seek> Encoder<W> {
    fn new(format: AudioFormat, out: W, rate: u32, channels: u16, frames: u64) -> Result<Self> {
        Ok(match format {
            AudioFormat::Wav => {
                Encoder::Wav(WavEncoder::new(out, rate, channels, WavLayout::Auto)?)
            }
            AudioFormat::Flac => Encoder::Flac(Box::new(flac::FlacEncoder::new(
                out, rate, channels, frames,
            )?)),
            AudioFormat::Mp3 => Encoder::Mp3(mp3::Mp3Encoder::new(out, rate, channels)?),
        })
    }

    fn write(&mut self, block: &[f32]) -> std::io::Result<()> {
        match self {
            Encoder::Wav(e) => e.write(block),
            Encoder::Flac(e) => e.write(block),
            Encoder::Mp3(e) => e.write(block),
        }
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            Encoder::Wav(e) => e.finish().map(drop),
            Encoder::Flac(e) => e.finish(),
            Encoder::Mp3(e) => e.finish(),
        }
    }
}

/// Renders the whole session into `path` in the format its extension
/// names; `progress` hears the frames done after every block. Returns the
/// frames written.
pub fn write_session(
    renderer: &mut Renderer,
    channels: u16,
    path: &Path,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<u64> {
    let format = AudioFormat::from_path(path).map_err(anyhow::Error::msg)?;
    let rate = renderer.rate().0;
    let total = session_frames(renderer);
    let mut file = OutputFile::create(path)?;
    let frames = {
        let sink = BufWriter::with_capacity(1 << 20, file.file());
        let mut encoder = Encoder::new(format, sink, rate, channels, total)
            .with_context(|| format!("{}: cannot start the file", path.display()))?;
        let mut done = 0;
        let frames = render_session(renderer, usize::from(channels), OFFLINE_BLOCK, |block| {
            encoder.write(block)?;
            done += (block.len() / usize::from(channels)) as u64;
            progress(done, total);
            Ok::<(), std::io::Error>(())
        })
        .with_context(|| format!("{}: write failed", path.display()))?;
        encoder
            .finish()
            .with_context(|| format!("{}: cannot finish the file", path.display()))?;
        frames
    };
    file.commit()?;
    Ok(frames)
}

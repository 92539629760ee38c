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
        assert!(stats.sample_rate > 0 || stats.frames == 0);
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
}

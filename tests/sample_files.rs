//! User click samples in each container rodio decodes here (FLAC, Ogg
//! Vorbis; WAV in realtime_alloc.rs): decoded, mixed to mono, leading
//! silence (20 ms in the fixtures, plus Vorbis's encoder padding) trimmed
//! so the attack lands on the beat, resampled 44.1 -> 48 kHz, normalised,
//! and given a higher, louder accent.

use std::path::Path;

use treadbeat::engine::sounds::{ACCENT_PEAK, NORMAL_PEAK};
use treadbeat::io::sample_file::load_click_sample;
use treadbeat::units::SampleRate;

fn peak(samples: &[f32]) -> f32 {
    samples.iter().fold(0.0f32, |m, x| m.max(x.abs()))
}

#[test]
fn flac_and_ogg_clicks_load_ready_to_land_on_the_beat() {
    // Lossless FLAC starts on the attack; lossy Vorbis smears a little
    // pre-echo ahead of it, so its attack may come a few frames later.
    for (file, attack_within) in [
        ("tests/fixtures/sounds/click.flac", 12),
        ("tests/fixtures/sounds/click.ogg", 144),
    ] {
        let sounds = load_click_sample(Path::new(file), SampleRate(48000)).unwrap();
        // The 20 ms (960 frames at 48 kHz) of leading silence is gone: the
        // attack, the first sample at half the peak, comes right away.
        let attack = sounds
            .normal
            .iter()
            .position(|x| x.abs() >= 0.5 * NORMAL_PEAK)
            .unwrap();
        assert!(attack <= attack_within, "{file}: attack at frame {attack}");
        // The tone's logarithmic fade falls below -40 dB after ~24 ms.
        let len = sounds.normal.len();
        assert!((1000..=2000).contains(&len), "{file}: {len} frames");
        assert!((peak(&sounds.normal) - NORMAL_PEAK).abs() < 1e-4, "{file}");
        assert!((peak(&sounds.accent) - ACCENT_PEAK).abs() < 1e-4, "{file}");
        // A fourth higher: the same tone in 3/4 of the frames.
        let ratio = sounds.accent.len() as f64 / len as f64;
        assert!(
            (ratio - 0.75).abs() < 0.05,
            "{file}: accent/normal length {ratio}"
        );
    }
}

#[test]
fn a_missing_or_undecodable_sample_is_a_clear_error() {
    let missing = load_click_sample(
        Path::new("tests/fixtures/sounds/none.flac"),
        SampleRate(48000),
    );
    assert!(missing.unwrap_err().to_string().contains("cannot open"));
    let garbage = load_click_sample(Path::new("Cargo.toml"), SampleRate(48000));
    assert!(garbage.unwrap_err().to_string().contains("cannot decode"));
}

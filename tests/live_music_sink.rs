//! `run --music` through the real cpal output into a PulseAudio null sink,
//! recorded from its monitor: the track sounds in the right channel only,
//! so the left channel holds the clicks alone and right − left the music
//! alone; every beat of the music lands within 5 ms of its click across a
//! ramp, and the session ends with no music under-run.

#![cfg(feature = "audio")]

mod support;

use std::process::Command;

use support::music::{beat_offset_s, drum_track};
use support::pulse;

const PROFILE: &str = "name = \"music\"\n[click]\ncount_in = 2\nvolume = 0.5\n\
    [[step]]\ntime = \"6s\"\ncadence = 152\n\
    [[step]]\ntime = \"10s\"\ncadence = \"152..170\"\n\
    [[step]]\ntime = \"6s\"\ncadence = 170\n";

/// The drum track at 160 BPM in the right channel only, at 44.1 kHz (so
/// that the session resamples it).
fn write_track(path: &std::path::Path) {
    let stereo = drum_track(160.0, 0.4, 40.0, 3);
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 44100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    // 48 kHz to 44.1 kHz by taking the nearest sample: the hits' shape
    // does not matter, only where they start.
    let frames = stereo.len() / 2;
    for i in 0..frames * 441 / 480 {
        let x = stereo[2 * (i * 480 / 441)];
        writer.write_sample(0i16).unwrap();
        writer
            .write_sample((x.clamp(-1.0, 1.0) * 32767.0) as i16)
            .unwrap();
    }
    writer.finalize().unwrap();
}

#[test]
fn run_with_music_plays_every_beat_on_its_click() {
    if !pulse::available("live_music_sink") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("music.toml");
    std::fs::write(&profile, PROFILE).unwrap();
    let track = dir.path().join("track.wav");
    write_track(&track);
    let recorder = pulse::Recorder::start();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let output = Command::new(env!("CARGO_BIN_EXE_treadbeat"))
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .args(["run", profile.to_str().unwrap(), "--device", "pulse"])
        .args(["--no-voice", "--music", track.to_str().unwrap()])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let (left, right) = recorder.stop_stereo();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("music: track.wav: 0:00 to "), "{stdout}");
    assert!(stdout.contains("Music: 0 under-runs"), "{stdout}");
    let music: Vec<f32> = right.iter().zip(&left).map(|(r, l)| r - l).collect();
    let clicks = pulse::click_onsets(&left);
    let mut worst: f64 = 0.0;
    let mut checked = 0;
    for click in &clicks {
        let Some(offset) = beat_offset_s(&music, *click) else {
            continue;
        };
        assert!(
            offset.abs() < 0.005,
            "the beat for the click at sample {click} sounds {:.2} ms off",
            offset * 1e3
        );
        worst = worst.max(offset.abs());
        checked += 1;
    }
    eprintln!(
        "{} clicks heard, {checked} with music, worst {:.2} ms",
        clicks.len(),
        worst * 1e3
    );
    // 2 count-in clicks, about 59 in the session; the music plays from the
    // first session click to the last whole bar.
    assert!(clicks.len() >= 55, "{} clicks heard", clicks.len());
    assert!(checked + 8 >= clicks.len(), "{checked} of {}", clicks.len());
}

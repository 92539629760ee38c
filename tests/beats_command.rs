//! `treadbeat beats FILE`: the tempo and beats of a generated drum loop
//! whose beats are known, as text and JSON, and the cache that makes the
//! second run free.

use std::process::Command;

fn treadbeat() -> Command {
    Command::new(env!("CARGO_BIN_EXE_treadbeat"))
}

/// A drum loop at `bpm`: a sharp hit on every beat from `start` seconds,
/// louder on every fourth (the downbeat), as a 16-bit WAV.
fn drum_loop(path: &std::path::Path, bpm: f64, start: f64, seconds: f64) -> Vec<f64> {
    let rate = 44100u32;
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut samples = vec![0.0f32; (seconds * f64::from(rate)) as usize];
    let mut state = 99u64;
    let mut beats = Vec::new();
    let mut k = 0;
    while start + f64::from(k) * 60.0 / bpm + 0.2 < seconds {
        let t = start + f64::from(k) * 60.0 / bpm;
        beats.push(t);
        let at = (t * f64::from(rate)).round() as usize;
        let level = if k % 4 == 0 { 0.9 } else { 0.5 };
        for j in 0..8000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let noise = ((state >> 40) as f32 / (1u64 << 23) as f32) - 1.0;
            let decay = (-(j as f32) / 600.0).exp();
            let boom = if k % 4 == 0 {
                (-(j as f32) / 3000.0).exp()
                    * (j as f32 * 2.0 * std::f32::consts::PI * 60.0 / rate as f32).sin()
            } else {
                0.0
            };
            samples[at + j] += level * (decay * noise + boom);
        }
        k += 1;
    }
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    for s in samples {
        let v = (s.clamp(-1.0, 1.0) * 32767.0) as i16;
        writer.write_sample(v).unwrap();
        writer.write_sample(v).unwrap();
    }
    writer.finalize().unwrap();
    beats
}

#[test]
fn json_has_the_tempo_and_every_beat_and_the_second_run_reads_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let track = dir.path().join("loop.wav");
    let truth = drum_loop(&track, 126.0, 0.5, 25.0);
    let cache = dir.path().join("cache");
    let run = || {
        let mut command = treadbeat();
        command
            .env("XDG_CACHE_HOME", &cache)
            .args(["beats", track.to_str().unwrap(), "--json"]);
        let output = command.output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    let first = run();
    let tempo = first["tempo"].as_f64().unwrap();
    assert!((tempo - 126.0).abs() < 0.5, "{tempo}");
    let beats: Vec<f64> = first["beats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_f64().unwrap())
        .collect();
    assert!(
        beats.len() + 1 >= truth.len(),
        "{} of {}",
        beats.len(),
        truth.len()
    );
    for b in &beats {
        let nearest = truth
            .iter()
            .map(|t| (t - b).abs())
            .fold(f64::INFINITY, f64::min);
        assert!(
            nearest < 0.01,
            "beat at {b} is {nearest} s from the nearest true beat"
        );
    }
    // The grid was cached under XDG_CACHE_HOME/treadbeat/beats.
    let cached: Vec<_> = std::fs::read_dir(cache.join("treadbeat").join("beats"))
        .unwrap()
        .collect();
    assert_eq!(cached.len(), 1);
    assert_eq!(run(), first);
}

#[test]
fn the_text_report_says_tempo_and_cache() {
    let dir = tempfile::tempdir().unwrap();
    let track = dir.path().join("loop.wav");
    drum_loop(&track, 140.0, 0.3, 20.0);
    let run = || {
        treadbeat()
            .env("XDG_CACHE_HOME", dir.path().join("cache"))
            .args(["beats", track.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let first = String::from_utf8(run().stdout).unwrap();
    assert!(first.contains("140.0 BPM"), "{first}");
    assert!(!first.contains("(cached)"), "{first}");
    let second = String::from_utf8(run().stdout).unwrap();
    assert!(second.contains("(cached)"), "{second}");
}

#[test]
fn a_file_that_is_not_music_is_one_line_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let bogus = dir.path().join("notes.mp3");
    std::fs::write(&bogus, b"not audio at all").unwrap();
    let output = treadbeat()
        .env("XDG_CACHE_HOME", dir.path())
        .args(["beats", bogus.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let missing = treadbeat()
        .args(["beats", "/nonexistent/track.mp3"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

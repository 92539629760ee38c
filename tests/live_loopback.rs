//! Headless truth: a profile with a ramp plays through the real cpal output
//! into a PulseAudio null sink; the sink's monitor is recorded, every click
//! found, and the spacing compared with the tempo map to the sample (after
//! removing one constant latency).

#![cfg(feature = "audio")]

mod support;

use std::process::Command;

use support::pulse;
use treadbeat::tempo::TempoMap;
use treadbeat::units::SampleRate;

const PROFILE: &str = "name = \"loopback\"\n[click]\ncount_in = 2\nsound = \"beep\"\n\
    [[step]]\ntime = \"8s\"\ncadence = \"150..200\"\n\
    [[step]]\ntime = \"2s\"\ncadence = 180\nclick = false\n\
    [[step]]\ntime = \"4s\"\ncadence = 176\n";

/// Expected click frames from the start of the count-in.
fn expected_frames() -> Vec<i64> {
    let map = TempoMap::from_timeline(&support::timeline(PROFILE));
    let rate = SampleRate(48000);
    let preroll = map.preroll_frames(rate) as i64;
    let count_in = map
        .count_in_times()
        .map(|t| preroll + (t * 48000.0).round() as i64);
    count_in
        .chain(map.click_frames(rate).map(|f| preroll + f.0 as i64))
        .collect()
}

fn play(buffer: Option<&str>, dir: &std::path::Path) -> (Vec<usize>, String) {
    let path = dir.join("loopback.toml");
    std::fs::write(&path, PROFILE).unwrap();
    let recorder = pulse::Recorder::start();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let mut args = vec![
        "run",
        path.to_str().unwrap(),
        "--device",
        "pulse",
        "--no-voice",
    ];
    if let Some(buffer) = buffer {
        args.extend(["--buffer", buffer]);
    }
    let binary =
        std::env::var("TREADBEAT_BIN").unwrap_or(env!("CARGO_BIN_EXE_treadbeat").to_string());
    let output = Command::new(binary)
        .args(&args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let samples = recorder.stop();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (pulse::click_onsets(&samples), stdout)
}

/// Worst deviation of heard clicks from planned frames, one constant
/// latency removed; `None` if the counts differ.
fn worst_deviation(onsets: &[usize], expected: &[i64]) -> Option<i64> {
    if onsets.len() != expected.len() {
        return None;
    }
    let latency = onsets[0] as i64 - expected[0];
    onsets
        .iter()
        .zip(expected)
        .map(|(heard, planned)| (*heard as i64 - planned - latency).abs())
        .max()
}

fn underruns(stdout: &str) -> Option<u64> {
    let summary = stdout.lines().find(|l| l.starts_with("Session finished"))?;
    let summary = summary.trim_end_matches('.');
    summary
        .split(", ")
        .find_map(|part| part.strip_suffix(" under-runs")?.parse().ok())
}

#[test]
fn clicks_played_through_cpal_land_on_the_tempo_map_to_the_sample() {
    if !pulse::available("live_loopback") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let expected = expected_frames();
    // Buffers of 2048 and 1024 frames. A shared 2-core VM sometimes
    // starves the sound server (an under-run, or its monitor drops
    // samples), which inserts or loses silence in the recording; such a take
    // is played again, up to four times. A timing error of ours would show
    // in every take. (Smaller buffers: see the latency benchmark.)
    for name in ["2048", "1024"] {
        let buffer = Some(name);
        let mut takes = Vec::new();
        let clean = (0..4).any(|_| {
            let (onsets, stdout) = play(buffer, dir.path());
            assert!(stdout.contains("Session finished"), "{stdout}");
            let worst = worst_deviation(&onsets, &expected);
            let under = underruns(&stdout);
            takes.push(format!(
                "{} clicks heard, worst {worst:?} samples, {under:?} under-runs",
                onsets.len()
            ));
            worst.is_some_and(|w| w <= 1) && under == Some(0)
        });
        eprintln!("buffer {name}: {}", takes.join("; "));
        assert!(
            clean,
            "buffer {name}: no take placed {} clicks within 1 sample: {takes:?}",
            expected.len()
        );
    }
}

//! The device disappears mid-session: the sound server is killed and
//! restarted during playback. treadbeat must reopen the default device and
//! carry on along its own timeline: the session still ends on time (the
//! gap does not shift it) and the clicks after the gap keep their spacing.

#![cfg(feature = "audio")]

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::pulse;

const PROFILE: &str = "name = \"loss\"\n[click]\ncount_in = 0\nsound = \"beep\"\n\
    [[step]]\ntime = \"12s\"\ncadence = 150\n"; // a click every 0.4 s

fn restart_sound_server(down_for: Duration) {
    let ci = concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/pulse-up");
    let _ = Command::new("pulseaudio").arg("--kill").status();
    std::thread::sleep(down_for);
    let status = Command::new("bash")
        .arg(ci)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "could not restart PulseAudio");
}

/// One take: play, kill and restart the server at 3 s, record what follows.
/// Returns the intervals between clicks heard after the gap.
fn take(path: &std::path::Path) -> Vec<i64> {
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_treadbeat"))
        .args([
            "run",
            path.to_str().unwrap(),
            "--device",
            "default",
            "--buffer",
            "1024",
            "--no-voice",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    restart_sound_server(Duration::from_millis(1200));
    let recorder = pulse::Recorder::start();
    let output = child.wait_with_output().unwrap();
    let elapsed = started.elapsed().as_secs_f64();
    let samples = recorder.stop();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("reopening the default device"), "{stdout}");
    assert!(stdout.contains("Session finished"), "{stdout}");

    // Had the 1.2 s gap shifted the timeline, the session would end ≥ 13.4 s
    // after start (0.25 s lead-in + 12 s + the gap). It ends on time.
    assert!(
        elapsed < 13.0,
        "the session ran {elapsed:.2} s: the gap shifted it\n{stdout}"
    );

    // Where the session resumed, by the wall clock.
    let resumed: f64 = stdout
        .lines()
        .find_map(|l| {
            l.split("the session at ")
                .nth(1)?
                .strip_suffix(" s.")?
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("no resume line\n{stdout}"));
    assert!(
        (4.0..6.0).contains(&resumed),
        "resumed at {resumed} s\n{stdout}"
    );

    let onsets = pulse::click_onsets(&samples);
    assert!(
        onsets.len() >= 10,
        "only {} clicks after the gap\n{stdout}",
        onsets.len()
    );
    // The first interval or two may be short: a stream that started late
    // catches up with the session by skipping ahead.
    onsets[2..]
        .windows(2)
        .map(|w| w[1] as i64 - w[0] as i64)
        .collect()
}

#[test]
fn a_vanished_device_is_reopened_and_the_timeline_goes_on() {
    if !pulse::available("device_loss") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loss.toml");
    std::fs::write(&path, PROFILE).unwrap();
    // After the gap the clicks keep the tempo map's spacing exactly. A
    // freshly restarted server on a shared VM may itself glitch once
    // (inserting silence); such a take is played again, up to 3 times.
    let mut takes = Vec::new();
    let exact = (0..3).any(|_| {
        let intervals = take(&path);
        let worst = intervals
            .iter()
            .map(|i| (i - 19_200).abs())
            .max()
            .unwrap_or(0);
        takes.push(worst);
        worst <= 1
    });
    eprintln!("worst interval error per take (samples): {takes:?}");
    assert!(exact, "no take kept the spacing after the gap: {takes:?}");
}

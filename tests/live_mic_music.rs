//! The footstrike detector told what music plays, end to end through a
//! real sound server: `treadbeat run --mic --music TRACK` plays its clicks
//! and a drum track (a hit on every beat, so on every click) into the
//! PulseAudio null sink and listens to the sink's monitor, where a
//! recording of a runner's steps (a different cadence, any phase) is
//! played too. The steps reported must be the recording's, with the music
//! loud on every click: the whole path (the music as played, tapped on the
//! audio thread, read into band levels by the microphone's worker, placed
//! on its clock and told to the detector) runs as it will for a runner.

#![cfg(feature = "audio")]

mod support;
use support::run::heard_steps;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use support::music::{drum_track, write_wav};
use support::pulse;
use treadbeat::eval::corpus::{generate, Condition, Rhythm};
use treadbeat::eval::score::match_steps;
use treadbeat::eval::sources::StrikeCharacter;
use treadbeat::io::wav::write_mono;

/// Clicks (and so the music's beats) at 176 spm; the runner at 168.
const PROFILE: &str = "name = \"music\"\n[click]\ncount_in = 0\nsound = \"woodblock\"\n\
    [music]\nvolume = 0.6\n\
    [[step]]\nname = \"steady\"\ntime = \"30s\"\ncadence = 176\n";

fn binary() -> String {
    std::env::var("TREADBEAT_BIN").unwrap_or(env!("CARGO_BIN_EXE_treadbeat").to_string())
}

fn steady_runner() -> Condition {
    Condition {
        name: "live: steps under music",
        seconds: 28.0,
        snr_db: 10.0,
        rhythm: Rhythm::Steady(168.0),
        character: StrikeCharacter::HeelToe,
        music_bpm: None,
        room_rt60_s: None,
        own_clicks: false,
        steps_off: None,
        seed: 5,
    }
}

/// `run --mic --music`, the steps played into the sink a second in; its
/// stdout.
fn listen(dir: &Path, profile: &Path, track: &Path, steps: &Path) -> String {
    let config = dir.join("config.toml");
    let run = Command::new(binary())
        .args(["run", profile.to_str().unwrap(), "--mic", "--no-voice"])
        .arg("--music")
        .arg(track)
        .env("TREADBEAT_CONFIG", &config)
        .env("XDG_DATA_HOME", dir.join("data"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    let mut player = Command::new("paplay")
        .arg(steps)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let output = run.wait_with_output().unwrap();
    let _ = player.kill();
    let _ = player.wait();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The recording's steps heard (±25 ms, one shift for when paplay
/// started), and not many more.
fn judge(truth: &[f64], log: &str) -> Result<(), String> {
    let heard = heard_steps(log);
    let (matched, shift) = (0..3000)
        .step_by(2)
        .map(|ms| {
            let shift = f64::from(ms) / 1000.0;
            let shifted: Vec<f64> = truth.iter().map(|t| t + shift).collect();
            (match_steps(&shifted, &heard, 0.025).len(), shift)
        })
        .max_by_key(|(matched, _)| *matched)
        .unwrap();
    let in_session = truth.iter().filter(|t| **t + shift < 29.5).count();
    println!(
        "{matched} of {in_session} steps heard within ±25 ms, {} reported",
        heard.len()
    );
    // Looser than live_mic.rs's 0.9: through this VM's null sink a take
    // heard 61 to 76 of 77 steps under the music (told of it or not, the
    // spread of takes is wider than the difference; detector_music.rs
    // shows the difference without a sound server: F1 0.05 untold, 1.00
    // told).
    if (matched as f64) < 0.8 * in_session as f64 || heard.len() > in_session + 6 {
        return Err(format!(
            "{matched} of {in_session} steps heard within ±25 ms (shift {shift:.3} s), {} reported\n{log}",
            heard.len()
        ));
    }
    Ok(())
}

#[test]
fn told_what_music_plays_the_detector_hears_the_steps_not_the_beats() {
    if !pulse::available("live_mic_music") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let calibrated = Command::new(binary())
        .args(["calibrate", "--seconds", "6"])
        .env("TREADBEAT_CONFIG", &config)
        .output()
        .unwrap();
    assert!(
        calibrated.status.success(),
        "{}",
        String::from_utf8_lossy(&calibrated.stderr)
    );
    let profile = dir.path().join("music.toml");
    std::fs::write(&profile, PROFILE).unwrap();
    let track = dir.path().join("drums.wav");
    write_wav(&track, &drum_track(176.0, 0.3, 40.0, 3));
    let recording = generate(&steady_runner(), 48000);
    let steps = dir.path().join("steps.wav");
    write_mono(&steps, &recording.samples, 48000).unwrap();
    // This VM's PulseAudio now and then drops or inserts a stretch of
    // audio (see live_loopback.rs): judge up to three takes.
    let mut failures = Vec::new();
    for _take in 0..3 {
        let log = listen(dir.path(), &profile, &track, &steps);
        assert!(log.contains("Music: "), "{log}");
        match judge(&recording.steps, &log) {
            Ok(()) => return,
            Err(why) => failures.push(why),
        }
    }
    panic!("no clean take of three:\n{}", failures.join("\n---\n"));
}

//! `plan --cues` prints the times `render` speaks at: with a speech engine
//! the phrases are measured as it says them; without one the times are
//! estimated, and one line on stderr says so.

use std::path::Path;

use assert_cmd::Command as Cmd;
use serde_json::Value;

mod support;

/// A long welcome (the estimate is seconds off for it) before short steps
/// whose announcements are placed by the lengths before them. No ducking,
/// so that the voice is all the render adds to the clicks.
const PROFILE: &str = "name = \"Timing check for the coach's voice, measured not guessed\"\n\
    [click]\ncount_in = 0\n[coach]\nduck = 1.0\n\
    [[step]]\nname = \"Warm-up at an easy conversational effort\"\ntime = \"25s\"\ncadence = \"150..160\"\nspeed = \"6..7 km/h\"\nsay = \"Relax your shoulders and breathe.\"\n\
    [[step]]\nname = \"Stride\"\ntime = \"12s\"\ncadence = 180\nspeed = \"11 km/h\"\n\
    [[step]]\nname = \"Walk\"\nkind = \"walk\"\ntime = \"20s\"\ncadence = 115\nspeed = \"5 km/h\"\n";
const RATE: f64 = 22050.0;

/// (start, length) of each cue `plan --cues --json` lists, and its stderr.
fn planned(profile: &Path, path_env: Option<&str>) -> (Vec<(f64, f64, String)>, String) {
    let mut command = Cmd::cargo_bin("treadbeat").unwrap();
    command.args(["plan", "--cues", "--json"]).arg(profile);
    if let Some(path) = path_env {
        command.env("PATH", path);
    }
    let output = command.output().unwrap();
    assert!(output.status.success());
    let cues: Value = serde_json::from_slice(&output.stdout).unwrap();
    let cues = cues
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["at_s"].as_f64().unwrap(),
                c["duration_s"].as_f64().unwrap(),
                c["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (cues, String::from_utf8(output.stderr).unwrap())
}

/// Mono samples of `render`, and the frame of session t = 0.
fn render(profile: &Path, wav: &Path, extra: &[&str]) -> (Vec<i16>, usize) {
    let output = Cmd::cargo_bin("treadbeat")
        .unwrap()
        .arg("render")
        .arg(profile)
        .arg("-o")
        .arg(wav)
        .args(["--mono", "--sample-rate", "22050"])
        .args(extra)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{stdout}");
    let preroll = stdout
        .split("session t = 0 at frame ")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no preroll in {stdout}"));
    let samples = hound::WavReader::open(wav)
        .unwrap()
        .samples::<i16>()
        .map(Result::unwrap)
        .collect();
    (samples, preroll)
}

#[test]
fn the_cue_times_are_where_the_render_speaks() {
    if !support::run::espeak_available("plan_cue_times") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("timing.toml");
    std::fs::write(&profile, PROFILE).unwrap();
    let (cues, stderr) = planned(&profile, None);
    assert!(stderr.is_empty(), "{stderr}");
    let (voiced, preroll) = render(&profile, &dir.path().join("voiced.wav"), &[]);
    let (clicks, _) = render(&profile, &dir.path().join("clicks.wav"), &["--no-voice"]);
    // Where the voice adds anything to the clicks, in session seconds,
    // from `from_s` on.
    let first_voice_after = |from_s: f64| -> Option<f64> {
        let from = preroll + (from_s * RATE).round() as usize;
        (from..voiced.len())
            .find(|&i| clicks.get(i).copied().unwrap_or(0) != voiced[i])
            .map(|i| (i - preroll) as f64 / RATE)
    };
    assert!(cues.len() >= 8, "{cues:?}");
    let mut previous_end = 0.0;
    for (at_s, length_s, text) in &cues {
        // Silence from (just after) the cue before until this one starts;
        // espeak-ng leads a phrase with up to about 50 ms of silence. (The
        // estimate this replaces was 0.4 s off here, and 2.6 s elsewhere.)
        let heard = first_voice_after(previous_end + 0.1).expect(text);
        assert!(
            heard >= at_s - 1e-3 && heard < at_s + 0.06,
            "\"{text}\": planned at {at_s:.3} s, heard from {heard:.3} s"
        );
        previous_end = at_s + length_s;
    }
}

#[test]
fn without_a_speech_engine_the_times_are_estimated_and_it_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("timing.toml");
    std::fs::write(&profile, PROFILE).unwrap();
    // An empty PATH: no espeak-ng to run.
    let (cues, stderr) = planned(&profile, Some(dir.path().to_str().unwrap()));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("no speech engine") && stderr.contains("estimated"),
        "{stderr}"
    );
    // The estimate: 0.15 s plus 0.33 s a word.
    let (_, length, text) = &cues[0];
    let words = text.split_whitespace().count() as f64;
    assert!((length - (0.15 + 0.33 * words)).abs() < 1e-9);
}

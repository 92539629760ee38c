//! The coach's voice in `treadbeat render`: real speech (espeak-ng) mixed
//! into the WAV at the cue times, the same clicks underneath, the send-off
//! after the end; and, without a speech engine, one line of notice and a
//! clicks-only file.

use std::path::Path;

use assert_cmd::Command as Cmd;

mod support;

const PROFILE: &str = "name = \"voice\"\n[click]\ncount_in = 0\n\
    [[step]]\nname = \"Steady\"\ntime = \"20s\"\ncadence = 170\nsay = \"Relax.\"\n\
    [[step]]\nname = \"Faster\"\ntime = \"15s\"\ncadence = 176\n";
const RATE: usize = 22050;

/// Renders the profile (mono, 22.05 kHz); returns samples, stdout, stderr.
fn render(dir: &Path, extra: &[&str]) -> (Vec<f32>, String, String) {
    render_text(dir, PROFILE, extra)
}

fn render_text(dir: &Path, text: &str, extra: &[&str]) -> (Vec<f32>, String, String) {
    let profile = dir.join("voice.toml");
    let wav = dir.join(format!("out{}.wav", extra.len()));
    std::fs::write(&profile, text).unwrap();
    let output = Cmd::cargo_bin("treadbeat")
        .unwrap()
        .arg("render")
        .arg(&profile)
        .arg("-o")
        .arg(&wav)
        .args(["--mono", "--sample-rate", "22050"])
        .args(extra)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stdout}{stderr}");
    let samples = hound::WavReader::open(&wav)
        .unwrap()
        .samples::<i16>()
        .map(|s| f32::from(s.unwrap()) / 32767.0)
        .collect();
    (samples, stdout, stderr)
}

/// Energy of (a − b) between two times: what the voice added there.
fn added(voiced: &[f32], clicks: &[f32], from_s: f64, to_s: f64) -> f32 {
    let (from, to) = (
        (from_s * RATE as f64) as usize,
        (to_s * RATE as f64) as usize,
    );
    (from..to.min(clicks.len()))
        .map(|i| (voiced[i] - clicks[i]).abs())
        .sum::<f32>()
        / (to - from) as f32
}

#[test]
fn the_wav_carries_the_coach_over_the_same_clicks() {
    if !support::run::espeak_available("voice_render") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (voiced, stdout, stderr) = render(dir.path(), &[]);
    let (clicks, _, _) = render(dir.path(), &["--no-voice"]);
    assert!(stderr.is_empty(), "{stderr}");
    let cues: usize = stdout
        .split(" coach cues")
        .next()
        .unwrap()
        .rsplit(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // Welcome+announcement, "Relax.", announcement, three, two, one, send-off.
    assert_eq!(cues, 7, "{stdout}");
    // Speech where cues are: the opening announcement, the countdown to 20 s.
    assert!(
        added(&voiced, &clicks, 0.3, 2.0) > 0.01,
        "no voice at the start"
    );
    assert!(
        added(&voiced, &clicks, 17.0, 19.9) > 0.01,
        "no countdown before the boundary"
    );
    // Nothing added where nothing is said (after "Relax.", before the announcement).
    assert!(
        added(&voiced, &clicks, 9.0, 11.0) == 0.0,
        "voice where no cue is"
    );
    // The send-off is spoken after the session: the file runs on past 35 s.
    assert!(
        voiced.len() > clicks.len() + RATE,
        "no send-off after the end"
    );
    let after_end = &voiced[(35.6 * RATE as f64) as usize..(36.5 * RATE as f64) as usize];
    assert!(after_end.iter().map(|x| x.abs()).sum::<f32>() / after_end.len() as f32 > 0.005);
}

#[test]
fn without_a_speech_engine_one_line_says_so_and_earcons_carry_the_cues() {
    let dir = tempfile::tempdir().unwrap();
    let (fallback, stdout, stderr) = render(
        dir.path(),
        &["--speech-command", "no-such-tts -w {out} {text}"],
    );
    let (clicks, _, _) = render(dir.path(), &["--no-voice"]);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("no speech engine") && stderr.contains("no-such-tts"),
        "{stderr}"
    );
    assert!(stderr.contains("earcons"), "{stderr}");
    // Chime, rising two-note (170 -> 176 spm), three pips, the finish.
    assert!(stdout.contains(" 6 coach cues"), "{stdout}");
    assert!(
        added(&fallback, &clicks, 0.3, 0.8) > 0.005,
        "no earcon for the first step"
    );
    assert!(
        added(&fallback, &clicks, 17.0, 19.5) > 0.001,
        "no countdown pips"
    );
    assert!(
        added(&fallback, &clicks, 9.0, 11.0) == 0.0,
        "an earcon where no cue is"
    );
}

#[test]
fn a_speech_command_without_placeholders_is_refused() {
    let output = Cmd::cargo_bin("treadbeat")
        .unwrap()
        .args([
            "render",
            "easy-run",
            "-o",
            "/tmp/never.wav",
            "--speech-command",
            "espeak-ng {text}",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1);
    assert!(stderr.contains("{out}"), "{stderr}");
}

#[test]
fn the_coach_table_sets_the_voice_level() {
    if !support::run::espeak_available("voice_render") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (clicks, _, _) = render(dir.path(), &["--no-voice"]);
    let (full, _, _) = render(dir.path(), &[]);
    let quiet_profile = PROFILE.replace("[click]", "[coach]\nvolume = 0.5\nduck = 0.5\n[click]");
    let (quiet, _, _) = render_text(dir.path(), &quiet_profile, &[]);
    // Where only the voice sounds (no click within the window), the quiet
    // render carries half the level. The opening announcement 0.3–2 s
    // overlaps clicks, so compare the send-off after the session's end.
    let window = |x: &[f32]| -> f32 {
        let (from, to) = ((35.6 * RATE as f64) as usize, (37.0 * RATE as f64) as usize);
        x[from..to].iter().map(|v| v.abs()).sum::<f32>()
    };
    let ratio = window(&quiet) / window(&full);
    assert!((ratio - 0.5).abs() < 0.02, "voice level ratio {ratio}");
    // The flag does what the table does.
    let (flagged, _, _) = render(dir.path(), &["--voice-volume", "0.5"]);
    assert!(
        flagged == quiet,
        "--voice-volume 0.5 differs from [coach] volume = 0.5"
    );
    assert!(clicks.len() < full.len());
}

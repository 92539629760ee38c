//! The footstrike detector live, end to end, through a real sound server:
//! `treadbeat calibrate` measures the loopback of the PulseAudio null sink;
//! then a synthetic treadmill recording is played into the sink (paplay)
//! while `treadbeat run --mic` plays its clicks into the same sink and
//! listens to the sink's monitor. The steps it reports must be the
//! recording's steps (count and spacing), its own clicks must never count,
//! and a runner whose cadence sags must be warned.

#![cfg(feature = "audio")]

mod support;
use support::run::heard_steps;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use support::pulse;
use treadbeat::eval::corpus::{generate, Condition, Rhythm};
use treadbeat::eval::score::match_steps;
use treadbeat::eval::sources::StrikeCharacter;
use treadbeat::io::wav::write_mono;

const PROFILE: &str = "name = \"listen\"\n[click]\ncount_in = 0\nsound = \"woodblock\"\n\
    [[step]]\nname = \"steady\"\ntime = \"34s\"\ncadence = 176\n";

fn binary() -> String {
    std::env::var("TREADBEAT_BIN").unwrap_or(env!("CARGO_BIN_EXE_treadbeat").to_string())
}

fn calibrate(config: &Path) -> Output {
    Command::new(binary())
        .args(["calibrate", "--seconds", "6"])
        .env("TREADBEAT_CONFIG", config)
        .output()
        .unwrap()
}

/// Starts `run --mic`, then plays `recording` into the sink a second later.
fn listen(profile: &Path, config: &Path, recording: Option<&Path>, voice: bool) -> String {
    let mut args = vec!["run", profile.to_str().unwrap(), "--mic"];
    if !voice {
        args.push("--no-voice");
    }
    // The session log goes beside the config, in the test's own folder.
    let data = config.with_file_name("data");
    let run: Child = Command::new(binary())
        .args(args)
        .env("TREADBEAT_CONFIG", config)
        .env("XDG_DATA_HOME", &data)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    let player = recording.map(|path| {
        Command::new("paplay")
            .arg(path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    });
    let output = run.wait_with_output().unwrap();
    if let Some(mut player) = player {
        let _ = player.kill();
        let _ = player.wait();
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn sagging_runner() -> Condition {
    Condition {
        name: "live: sagging",
        seconds: 32.0,
        snr_db: 10.0,
        rhythm: Rhythm::Fatigue {
            spm: 176.0,
            hold_s: 6.0,
            drop: 0.1,
            over_s: 12.0,
        },
        character: StrikeCharacter::HeelToe,
        music_bpm: None,
        room_rt60_s: None,
        own_clicks: false,
        steps_off: None,
        seed: 77,
    }
}

/// One test, not two: both play into the same sink, and one's steps
/// would be heard by the other.
#[test]
fn calibrated_run_hears_the_steps_and_warns_a_sagging_runner() {
    if !pulse::available("live_mic") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    tapping_along_calibrates_without_a_microphone(dir.path());
    let config = dir.path().join("config.toml");
    let calibrated = calibrate(&config);
    let text = String::from_utf8_lossy(&calibrated.stdout);
    assert!(
        calibrated.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&calibrated.stderr)
    );
    let stored: toml::Table = std::fs::read_to_string(&config).unwrap().parse().unwrap();
    let latency = stored["calibration"]["latency_ms"].as_float().unwrap();
    let spread = stored["calibration"]["spread_ms"].as_float().unwrap();
    assert!((1.0..200.0).contains(&latency), "{text}");
    assert!(spread < 5.0, "{text}");
    own_clicks_through_the_speakers_are_never_steps(dir.path(), &config);

    let profile = dir.path().join("listen.toml");
    std::fs::write(&profile, PROFILE).unwrap();
    let condition = sagging_runner();
    let recording = generate(&condition, 48000);
    let wav = dir.path().join("sagging.wav");
    write_mono(&wav, &recording.samples, 48000).unwrap();
    // This VM's PulseAudio now and then drops or inserts a stretch of
    // audio (see live_loopback.rs): judge up to three takes, pass on a
    // clean one.
    let mut failures = Vec::new();
    for _take in 0..3 {
        let log = listen(&profile, &config, Some(&wav), false);
        match judge(&recording.steps, &log) {
            Ok(()) => return kept_in_history(dir.path(), &log),
            Err(why) => failures.push(why),
        }
    }
    panic!("no clean take of three:\n{}", failures.join("\n---\n"));
}

/// `treadbeat ARGS` with the test's session log; its stdout.
fn with_log(dir: &Path, args: &[&str]) -> String {
    let output = Command::new(binary())
        .args(args)
        .env("XDG_DATA_HOME", dir.join("data"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{args:?}: {stderr}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The live session just run was logged as it went, with the steps the
/// microphone heard, and everything that grows from the log works on it:
/// a check-in, show, the exports, the report, the next session.
fn kept_in_history(dir: &Path, log: &str) {
    assert!(log.contains("Kept in your history as session"), "{log}");
    let list: serde_json::Value =
        serde_json::from_str(&with_log(dir, &["history", "--json"])).unwrap();
    let latest = &list[0];
    assert_eq!(latest["mic"], true, "{latest}");
    assert_eq!(latest["outcome"], "finished", "{latest}");
    let heard = latest["heard_steps"].as_u64().unwrap();
    assert!(
        heard as usize >= heard_steps(log).len() * 9 / 10,
        "{latest}"
    );
    assert!(latest["cadence_spm"].as_f64().is_some(), "{latest}");
    with_log(dir, &["checkin", "--pain", "3", "--effort", "6"]);
    let shown = with_log(dir, &["show"]);
    assert!(shown.contains("hip pain 3/10"), "{shown}");
    for file in ["run.fit", "run.tcx", "report.html"] {
        let out = dir.join(file);
        let command = if file.starts_with("report") {
            "report"
        } else {
            "export"
        };
        with_log(dir, &[command, "-o", out.to_str().unwrap()]);
        assert!(std::fs::metadata(&out).unwrap().len() > 500, "{file}");
    }
    let next = dir.join("next.toml");
    with_log(
        dir,
        &["next", "--baseline", "160", "-o", next.to_str().unwrap()],
    );
    with_log(dir, &["check", next.to_str().unwrap()]);
}

/// The steps reported must be the recording's (±25 ms, one shift for
/// when paplay started), no more, and the runner must be warned.
fn judge(truth: &[f64], log: &str) -> Result<(), String> {
    let heard = heard_steps(log);
    let mut best = (0, 0.0);
    for shift_ms in (0..3000).step_by(2) {
        let shift = f64::from(shift_ms) / 1000.0;
        let shifted: Vec<f64> = truth.iter().map(|t| t + shift).collect();
        let matched = match_steps(&shifted, &heard, 0.025).len();
        if matched > best.0 {
            best = (matched, shift);
        }
    }
    let (matched, shift) = best;
    let in_session = truth.iter().filter(|t| **t + shift < 33.5).count();
    if (matched as f64) < 0.9 * in_session as f64 || heard.len() > in_session + 3 {
        return Err(format!(
            "{matched} of {in_session} steps heard within ±25 ms (shift {shift:.3} s), {} reported\n{log}",
            heard.len()
        ));
    }
    if !(log.contains("Quick feet") || log.contains("Stand tall")) {
        return Err(format!("no warning for a runner losing 10 %\n{log}"));
    }
    if !log.contains("Heard ") {
        return Err(format!("no summary of what was heard\n{log}"));
    }
    Ok(())
}

/// `calibrate --tap`: Enter pressed every 0.6 s (the clicks' interval)
/// while the clicks play; the median tap-to-click time is stored, and a
/// session calibrated so keeps listening while the coach speaks.
fn tapping_along_calibrates_without_a_microphone(dir: &Path) {
    use std::io::Write;
    let config = dir.join("tapped.toml");
    let mut child = Command::new(binary())
        .args(["calibrate", "--tap", "--seconds", "6"])
        .env("TREADBEAT_CONFIG", &config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut keys = child.stdin.take().unwrap();
    let start = std::time::Instant::now() + Duration::from_millis(900);
    for k in 0..11u32 {
        // On a schedule, not a chain of sleeps, so the taps do not drift.
        let due = start + Duration::from_millis(600) * k;
        std::thread::sleep(due.saturating_duration_since(std::time::Instant::now()));
        let _ = keys.write_all(b"\n");
        let _ = keys.flush();
    }
    drop(keys);
    let output = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stored: toml::Table = std::fs::read_to_string(&config).unwrap().parse().unwrap();
    assert_eq!(
        stored["calibration"]["method"].as_str(),
        Some("tap"),
        "{text}"
    );
    // Taps at the clicks' own interval: the same offset every time, give
    // or take the sleep's and the callbacks' jitter.
    let spread = stored["calibration"]["spread_ms"].as_float().unwrap();
    assert!(spread < 40.0, "{text}");
    // Tapping means headphones: the detector listens through the coach's
    // voice, which cannot reach the microphone. The null sink does carry
    // it, so here the ungated voice's syllables are heard: proof the gate
    // is off, not just that the line says so.
    let profile = dir.join("short.toml");
    std::fs::write(&profile, PROFILE.replace("34s", "6s")).unwrap();
    let log = listen(&profile, &config, None, true);
    assert!(
        log.contains("headphones: through the coach's voice too"),
        "{log}"
    );
    assert!(
        !heard_steps(&log).is_empty(),
        "the voice was gated after a tap calibration\n{log}"
    );
}

/// Clicks and the coach's voice through the speakers, heard by the
/// microphone.
/// As a runner would: calibrated first, then listening.
fn own_clicks_through_the_speakers_are_never_steps(dir: &Path, config: &Path) {
    // The coach talks through the same speakers: the step's announcement at
    // the start, a long `say` line, and the send-off after the last click.
    let profile = dir.join("clicks.toml");
    let talking = PROFILE.replace("34s", "14s")
        + "say = \"Relax your shoulders, drive your knees, and keep your hips tall over your feet.\"\n";
    std::fs::write(&profile, talking).unwrap();
    let log = listen(&profile, config, None, true);
    let heard = heard_steps(&log);
    assert!(
        heard.is_empty(),
        "clicks or the coach's voice heard as steps: {heard:?}\n{log}"
    );
    assert!(log.contains("not while the coach speaks"), "{log}");
    assert!(log.contains("Relax your shoulders"), "{log}");
}

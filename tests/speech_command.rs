//! A speech command that hangs or fails never holds up a session: it is
//! stopped after its timeout, and either way the session goes on with
//! earcons and one clear line that doesn't blame a missing espeak-ng.

use std::time::{Duration, Instant};

use treadbeat::io::speech::{render_phrases, SpeechSettings};
use treadbeat::units::SampleRate;

fn settings(script: &str, timeout: Duration) -> SpeechSettings {
    SpeechSettings {
        // sh takes {out} and {text} as $0 and $1 and ignores them.
        command: ["sh", "-c", script, "{out}", "{text}"]
            .map(String::from)
            .to_vec(),
        timeout,
        ..SpeechSettings::default()
    }
}

#[test]
fn a_command_that_never_exits_is_stopped_at_its_timeout() {
    let started = Instant::now();
    let texts = vec!["Cadence one seventy".to_string()];
    let error = render_phrases(
        &texts,
        &settings("sleep 100", Duration::from_millis(300)),
        SampleRate(48_000),
    )
    .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        error.to_string(),
        "the speech command failed for \"Cadence one seventy\": \
         it did not finish within 0.3 s and was stopped"
    );
}

#[test]
fn a_failing_command_says_how_it_failed_and_nothing_about_installing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.wav");
    let script = dir.path().join("fails.sh");
    std::fs::write(&script, "#!/bin/sh\nexit 3\n").unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let command = format!("{} {{out}} {{text}}", script.display());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_treadbeat"))
        .args(["render", "tests/fixtures/valid/spec-example.toml", "-o"])
        .arg(&out)
        .args(["--speech-command", &command])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let line = stderr.lines().next().unwrap_or_default();
    assert!(
        line.starts_with("treadbeat: the speech command failed for \""),
        "{line}"
    );
    assert!(
        line.ends_with("\": exit status: 3; cues are earcons and text"),
        "{line}"
    );
    assert!(!line.contains("install"), "{line}");
    assert!(out.is_file());
}

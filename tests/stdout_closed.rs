//! Every command that reports on stdout survives a stdout that is gone:
//! a reader that closed the pipe ends it quietly with 0 (as `cat` ends),
//! a full device is one line on stderr and exit 2. Never a panic.

use std::process::{Command, Stdio};

const PROFILE: &str = "tests/fixtures/valid/spec-example.toml";

/// The commands that print a report, none needing a device.
fn reporting_commands(recording: &str) -> Vec<Vec<String>> {
    let lists: [&[&str]; 9] = [
        &["plan", PROFILE],
        &["plan", PROFILE, "--json"],
        &["plan", PROFILE, "--cues"],
        &["check", PROFILE],
        &["profiles"],
        &["detect", recording],
        &["detect", recording, "--json", "--cadence", "170"],
        &["--help"],
        &["plan", "--help"],
    ];
    lists
        .iter()
        .map(|args| args.iter().map(|a| a.to_string()).collect())
        .collect()
}

fn a_recording(dir: &tempfile::TempDir) -> String {
    let path = dir.path().join("steps.wav");
    let rate = 16_000;
    let mut samples = vec![0.0f32; rate as usize * 4];
    for step in 0..11 {
        let at = rate as usize * step * 60 / 170 + 2000;
        for (i, x) in samples[at..at + 200].iter_mut().enumerate() {
            *x = 0.8 * (i as f32 * 0.9).sin() * (-(i as f32) / 40.0).exp();
        }
    }
    treadbeat::io::wav::write_mono(&path, &samples, rate).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn a_full_stdout_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in reporting_commands(&a_recording(&dir)) {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_treadbeat"))
            .args(&args)
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(
            stderr, "cannot write to standard output: No space left on device\n",
            "{args:?}"
        );
    }
}

#[test]
fn a_closed_pipe_ends_quietly_with_0() {
    let dir = tempfile::tempdir().unwrap();
    for args in reporting_commands(&a_recording(&dir)) {
        // The reading end is closed before the command starts, so its first
        // write meets a broken pipe for certain.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let output = Command::new(env!("CARGO_BIN_EXE_treadbeat"))
            .args(&args)
            .stdout(Stdio::from(writer))
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}

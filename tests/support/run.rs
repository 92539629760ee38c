//! The real binary run as a user would, with a watchdog: a command that
//! hangs fails the test instead of holding up the suite.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `command` with stdout discarded; its exit code and stderr. Fails
/// the test if it is still running after `limit`.
pub fn exit_and_stderr_within(command: &mut Command, limit: Duration) -> (Option<i32>, String) {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            child.kill().unwrap();
            panic!("{command:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    (status.code(), stderr)
}

/// `treadbeat detect PATH --json`, which must succeed.
pub fn detect_json(path: &Path) -> serde_json::Value {
    let output = Command::new(env!("CARGO_BIN_EXE_treadbeat"))
        .arg("detect")
        .arg(path)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The `steps` of a `detect --json` result.
pub fn json_steps(json: &serde_json::Value) -> Vec<f64> {
    json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect()
}

/// `treadbeat ARGS`: its exit code, stdout and stderr.
pub fn treadbeat(args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_treadbeat"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Whether espeak-ng runs here; `test` says SKIPPED when not, and fails
/// instead under `TREADBEAT_REQUIRE_SPEECH=1`.
pub fn espeak_available(test: &str) -> bool {
    let found = Command::new("espeak-ng")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        if std::env::var("TREADBEAT_REQUIRE_SPEECH").as_deref() == Ok("1") {
            panic!("espeak-ng is not installed (.ci/setup test installs it)");
        }
        eprintln!("{test}: SKIPPED, espeak-ng is not installed");
    }
    found
}

/// The step times a live session's log reports ("step heard at T ...").
pub fn heard_steps(log: &str) -> Vec<f64> {
    log.lines()
        .filter_map(|l| l.strip_prefix("step heard at "))
        .filter_map(|l| l.split(' ').next()?.parse().ok())
        .collect()
}

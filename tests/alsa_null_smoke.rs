//! Smoke test on ALSA's `null` device: it opens, calls back and swallows
//! the samples with no clock (far faster than real time), so a whole
//! session through the real cpal path finishes at once. No sound server
//! needed. It proves the stream opens, the callback runs (under the
//! debug build's no-allocation guard) and the session ends cleanly.

#![cfg(all(feature = "audio", target_os = "linux"))]

use assert_cmd::Command;

#[test]
fn a_session_plays_through_the_alsa_null_device() {
    let output = Command::cargo_bin("treadbeat")
        .unwrap()
        .args([
            "click", "170", "--for", "2s", "--device", "null", "--accent", "2",
        ])
        .write_stdin("")
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("on null at 48000 Hz"), "{stdout}");
    // 2 s at 170 spm: beats 0..5 fall before the end (5.67 beats long).
    assert!(
        stdout.contains("Session finished: 0:02 played,") && stdout.contains(", 6 clicks, "),
        "{stdout}"
    );
    assert!(
        output.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn devices_lists_outputs_and_inputs_with_their_ranges() {
    let output = Command::cargo_bin("treadbeat")
        .unwrap()
        .arg("devices")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(
        stdout.contains("Outputs:") && stdout.contains("Inputs:"),
        "{stdout}"
    );
    assert!(stdout.contains("null"), "{stdout}");
    assert!(
        stdout.contains(" Hz, ") && stdout.contains("buffer "),
        "{stdout}"
    );
    assert!(
        output.stderr.is_empty(),
        "ALSA chatter leaked: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn an_unknown_device_or_impossible_buffer_is_one_line_and_exit_1() {
    for args in [
        vec!["click", "170", "--device", "no-such-device"],
        vec!["click", "170", "--device", "null", "--sample-rate", "7999"],
        vec!["click", "170", "--buffer", "5"],
    ] {
        let output = Command::cargo_bin("treadbeat")
            .unwrap()
            .args(&args)
            .write_stdin("")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    }
}

#[test]
fn an_undecodable_sound_file_is_one_line() {
    let output = Command::cargo_bin("treadbeat")
        .unwrap()
        .args([
            "click",
            "170",
            "--device",
            "null",
            "--for",
            "1s",
            "--sound",
            "Cargo.toml",
        ])
        .write_stdin("")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("Cargo.toml: cannot decode"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1);
}

#[test]
fn no_audio_output_is_one_line_naming_render_and_devices_and_exit_2() {
    // An empty ALSA configuration defines no devices at all, so even a
    // machine with a sound card (or a running sound server) has no default
    // output here; the PulseAudio plugin is pointed at no server too.
    let empty = tempfile::tempdir().unwrap();
    let no_devices = empty.path().join("alsa.conf");
    std::fs::write(&no_devices, "").unwrap();
    let output = Command::cargo_bin("treadbeat")
        .unwrap()
        .args(["click", "170", "--for", "2s"])
        .env("ALSA_CONFIG_PATH", &no_devices)
        .env("XDG_RUNTIME_DIR", empty.path())
        .env("PULSE_SERVER", "unix:/nonexistent/pulse")
        .write_stdin("")
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("treadbeat render") && stderr.contains("treadbeat devices"),
        "{stderr}"
    );
}

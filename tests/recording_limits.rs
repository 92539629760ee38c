//! `detect` on recordings it cannot use: one line on stderr, exit 1, at
//! once. A header's rate outside 8–384 kHz (0 Hz panicked the decoder, 1–32
//! Hz the detector), channels 0 or over 32, and files without an end
//! (/dev/urandom, a FIFO nobody writes to: both ran forever).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

mod support;

/// Runs `detect PATH`, failing the test if it takes more than 20 s.
fn detect(path: &Path) -> (Option<i32>, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_treadbeat"));
    command.arg("detect").arg(path);
    support::run::exit_and_stderr_within(&mut command, Duration::from_secs(20))
}

fn wav_claiming(dir: &Path, rate: u32, channels: u16) -> std::path::PathBuf {
    let mut bytes = b"RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0".to_vec();
    bytes.extend_from_slice(&channels.to_le_bytes());
    bytes.extend_from_slice(&rate.to_le_bytes());
    let align = 2 * channels.max(1);
    bytes.extend_from_slice(&rate.wrapping_mul(u32::from(align)).to_le_bytes());
    bytes.extend_from_slice(&align.to_le_bytes());
    bytes.extend_from_slice(&16u16.to_le_bytes());
    bytes.extend_from_slice(b"data");
    bytes.extend_from_slice(&9600u32.to_le_bytes());
    bytes.extend(std::iter::repeat_n(1u8, 9600));
    let riff = (bytes.len() - 8) as u32;
    bytes[4..8].copy_from_slice(&riff.to_le_bytes());
    let path = dir.join(format!("r{rate}-c{channels}.wav"));
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn rates_and_channels_no_recorder_writes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (rate, channels, reason) in [
        (0, 1, "a sample rate of 0 Hz is outside 8 to 384 kHz"),
        (16, 1, "a sample rate of 16 Hz is outside 8 to 384 kHz"),
        (
            u32::MAX,
            1,
            "a sample rate of 4294967295 Hz is outside 8 to 384 kHz",
        ),
        (48_000, 0, "0 channels is outside 1 to 32"),
        (48_000, 33, "33 channels is outside 1 to 32"),
    ] {
        let path = wav_claiming(dir.path(), rate, channels);
        let (code, stderr) = detect(&path);
        assert_eq!(code, Some(1), "{stderr}");
        assert_eq!(stderr, format!("{}: {reason}\n", path.display()));
    }
    let (code, stderr) = detect(&wav_claiming(dir.path(), 8_000, 2));
    assert_eq!(code, Some(0), "the lowest rate is read: {stderr}");
}

#[test]
fn a_device_or_a_pipe_is_refused_not_read_forever() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for path in [Path::new("/dev/urandom"), &fifo] {
        let (code, stderr) = detect(path);
        assert_eq!(code, Some(1), "{stderr}");
        assert_eq!(
            stderr,
            format!(
                "{}: not a regular file (a device, pipe or socket); record to a file first\n",
                path.display()
            )
        );
    }
}

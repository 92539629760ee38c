//! A real PulseAudio null sink for live tests (.ci/pulse-up starts it):
//! detection, recording its monitor with parec, and finding clicks.
#![allow(dead_code)]

use std::io::Read;
use std::process::{Child, Command, Stdio};

/// Whether a PulseAudio server answers. Without one the live tests skip
/// with a notice, unless TREADBEAT_REQUIRE_AUDIO=1 (CI) makes them fail.
pub fn available(test: &str) -> bool {
    let up = Command::new("pactl")
        .arg("info")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !up {
        if std::env::var("TREADBEAT_REQUIRE_AUDIO").as_deref() == Ok("1") {
            panic!("{test}: no PulseAudio server (run `source .ci/pulse-up`)");
        }
        eprintln!("{test}: SKIPPED, no PulseAudio server (run `source .ci/pulse-up`)");
    }
    up
}

/// Records the null sink's monitor: 48 kHz stereo f32, until stopped.
pub struct Recorder {
    child: Child,
}

impl Recorder {
    pub fn start() -> Recorder {
        let child = Command::new("parec")
            .args([
                "-d",
                "nullsink.monitor",
                "--format=float32le",
                "--rate=48000",
                "--channels=2",
                "--raw",
                "--latency-msec=100",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("parec (pulseaudio-utils) is installed");
        Recorder { child }
    }

    /// Stops recording; returns the left channel.
    pub fn stop(self) -> Vec<f32> {
        self.stop_stereo().0
    }

    /// Stops recording; returns the left and right channels.
    pub fn stop_stereo(mut self) -> (Vec<f32>, Vec<f32>) {
        let mut stdout = self.child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            stdout.read_to_end(&mut bytes).unwrap();
            bytes
        });
        std::thread::sleep(std::time::Duration::from_millis(300));
        let _ = self.child.kill();
        let _ = self.child.wait();
        let bytes = reader.join().unwrap();
        let channel = |at: usize| {
            bytes
                .chunks_exact(8)
                .map(|frame| {
                    f32::from_le_bytes([frame[at], frame[at + 1], frame[at + 2], frame[at + 3]])
                })
                .collect()
        };
        (channel(0), channel(4))
    }
}

/// Sample indices where a click starts: loud after a stretch of silence.
pub fn click_onsets(samples: &[f32]) -> Vec<usize> {
    treadbeat::detect::ClickOnsets {
        loud: 0.02,
        quiet: 0.001,
        quiet_frames: 2001,
    }
    .find(samples)
}

//! The live screen, driven like a runner would: the real binary in a
//! terminal (tmux), keys sent, the screen read back. Pause must freeze the
//! session timeline, a nudge must show, quitting asks once, and the
//! terminal is given back for the summary.

#![cfg(feature = "audio")]

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use support::pulse;

const PROFILE: &str = "name = \"Screen test\"\n[click]\ncount_in = 0\n[[step]]\nname = \"Steady\"\ntime = \"1m\"\ncadence = 170\nspeed = \"10 km/h\"\n";

struct Tmux(String);

impl Tmux {
    fn start(command: &str) -> Option<Tmux> {
        let name = format!("treadbeat-test-{}", std::process::id());
        let ok = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                &name,
                "-x",
                "100",
                "-y",
                "14",
                command,
            ])
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmux(name))
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.0])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &str) {
        Command::new("tmux")
            .args(["send-keys", "-t", &self.0, "-l", keys])
            .status()
            .unwrap();
    }

    /// Waits up to 10 s for the screen to contain `text`.
    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let screen = self.screen();
            if screen.contains(text) || Instant::now() > deadline {
                assert!(
                    screen.contains(text),
                    "waited for {text:?}; screen:\n{screen}"
                );
                return screen;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.0])
            .status();
    }
}

/// The "m:ss / 1:00" session clock on the progress bar.
fn session_clock(screen: &str) -> String {
    let line = screen
        .lines()
        .find(|l| l.contains(" / 1:00"))
        .expect("no progress bar");
    let before = line.split(" / 1:00").next().unwrap();
    before
        .split_whitespace()
        .last()
        .unwrap()
        .trim_start_matches('│')
        .to_string()
}

#[test]
fn the_screen_shows_the_session_and_pause_freezes_its_timeline() {
    if !pulse::available("live_screen") {
        return;
    }
    if Command::new("tmux").arg("-V").output().is_err() {
        assert!(
            std::env::var("TREADBEAT_REQUIRE_AUDIO").as_deref() != Ok("1"),
            "tmux missing"
        );
        eprintln!("live_screen: SKIPPED, no tmux");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("screen.toml");
    std::fs::write(&profile, PROFILE).unwrap();
    let log = dir.path().join("after.txt");
    let command = format!(
        "env XDG_RUNTIME_DIR={} {} run {} --device pulse --no-voice; echo EXITED $? > {}; sleep 30",
        std::env::var("XDG_RUNTIME_DIR").unwrap_or_default(),
        env!("CARGO_BIN_EXE_treadbeat"),
        profile.display(),
        log.display()
    );
    let tmux = Tmux::start(&command).expect("tmux starts");
    let screen = tmux.wait_for("Step 1/1  Steady (run)");
    assert!(screen.contains("Cadence 170 spm"), "{screen}");
    assert!(
        screen.contains("Speed 10 km/h (6.2 mph)") && screen.contains("Pace 6:00/km (9:39/mi)"),
        "{screen}"
    );
    assert!(screen.contains("Next: the end"), "{screen}");
    tmux.wait_for("0:02 / 1:00");

    // Pause: the session clock stops.
    tmux.keys(" ");
    let paused = tmux.wait_for("PAUSED");
    let at_pause = session_clock(&paused);
    std::thread::sleep(Duration::from_millis(2500));
    let still = tmux.screen();
    assert_eq!(
        session_clock(&still),
        at_pause,
        "the timeline moved while paused:\n{still}"
    );

    // Resume: it runs again.
    tmux.keys(" ");
    std::thread::sleep(Duration::from_millis(2500));
    let resumed = tmux.screen();
    assert!(!resumed.contains("PAUSED"), "{resumed}");
    assert_ne!(
        session_clock(&resumed),
        at_pause,
        "the timeline did not resume:\n{resumed}"
    );

    // A nudge shows on the target.
    tmux.keys("+");
    tmux.wait_for("Cadence 171 spm (+1)");

    // Quitting asks once, then gives the terminal back for the summary.
    tmux.keys("q");
    tmux.wait_for("Press q again");
    tmux.keys("q");
    let after = tmux.wait_for("Session stopped:");
    assert!(
        !after.contains("┌ treadbeat"),
        "the screen was not restored:\n{after}"
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while !log.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(std::fs::read_to_string(&log).unwrap().trim(), "EXITED 0");
}

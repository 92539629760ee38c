//! The real binary in a terminal of a chosen size (tmux): keys sent, the
//! screen read back (block text found with the font that drew it), the
//! window resized.
#![allow(dead_code)]

use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux(pub String);

/// Whether tmux can be used; without it a live screen test skips with a
/// notice, unless TREADBEAT_REQUIRE_AUDIO=1 (CI) makes it fail.
pub fn available(test: &str) -> bool {
    if Command::new("tmux").arg("-V").output().is_ok() {
        return true;
    }
    assert!(
        std::env::var("TREADBEAT_REQUIRE_AUDIO").as_deref() != Ok("1"),
        "{test}: tmux missing"
    );
    eprintln!("{test}: SKIPPED, no tmux");
    false
}

impl Tmux {
    /// Runs `command` in a detached session `width`×`height`; `tag` keeps
    /// sessions of one test binary apart.
    pub fn start(tag: &str, width: u16, height: u16, command: &str) -> Option<Tmux> {
        let name = format!("treadbeat-test-{}-{tag}", std::process::id());
        let ok = Command::new("tmux")
            .args(["new-session", "-d", "-s", &name])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .arg(command)
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            // Sizes set by the test, not by a client that may attach.
            let _ = Command::new("tmux")
                .args(["set-option", "-t", &name, "window-size", "manual"])
                .status();
        }
        ok.then_some(Tmux(name))
    }

    pub fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.0])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The screen with its styles, as SGR escape sequences.
    pub fn styled_screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-e", "-t", &self.0])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A named key ("C-c", "Enter"), not typed text.
    pub fn key(&self, name: &str) {
        Command::new("tmux")
            .args(["send-keys", "-t", &self.0, name])
            .status()
            .unwrap();
    }

    pub fn keys(&self, keys: &str) {
        Command::new("tmux")
            .args(["send-keys", "-t", &self.0, "-l", keys])
            .status()
            .unwrap();
    }

    pub fn resize(&self, width: u16, height: u16) {
        let ok = Command::new("tmux")
            .args(["resize-window", "-t", &self.0])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "tmux resize-window failed");
    }

    /// Waits up to 10 s for the screen to pass `test`.
    pub fn wait_until(&self, what: &str, test: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let screen = self.screen();
            if test(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "waited for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits up to 10 s for the screen to contain `text`.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |s| s.contains(text))
    }
}

/// Where `text` appears in block digits on `screen`: (row, column, scale).
#[cfg(feature = "audio")]
pub fn find_block(screen: &str, text: &str) -> Option<(usize, usize, u16)> {
    let lines: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let matches_at = |line: usize, col: usize, row: &str| {
        let want: Vec<char> = row.trim_end().chars().collect();
        lines
            .get(line)
            .is_some_and(|l| l.len() >= col + want.len() && l[col..col + want.len()] == want[..])
    };
    for k in (1..=treadbeat::tui::big_digits::MAX_SCALE).rev() {
        let rows = treadbeat::tui::big_digits::render(text, k);
        for (line, chars) in lines.iter().enumerate() {
            for col in 0..chars.len() {
                if rows
                    .iter()
                    .enumerate()
                    .all(|(j, row)| matches_at(line + j, col, row))
                {
                    return Some((line, col, k));
                }
            }
        }
    }
    None
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.0])
            .status();
    }
}

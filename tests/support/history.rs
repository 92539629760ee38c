//! Sessions logged through `SessionLog` as a live session would log them,
//! faster than real time: a replay moves session time and a wall clock of
//! its own, stepping at the cadence the test asks for. The binary reads
//! them back from `XDG_DATA_HOME` (each test its own folder).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use treadbeat::history::log::WallClock;
use treadbeat::history::{Begin, Durability, SessionKind, SessionLog, Store};
use treadbeat::plan::Timeline;

/// 2026-03-02 07:00:00 UTC, a Monday.
pub const MONDAY_MS: i64 = 1_772_434_800_000;
pub const DAY_MS: i64 = 86_400_000;

/// The count-in before t = 0, as a live session plays it.
pub const COUNT_IN_S: f64 = 2.0;

/// Where the binary finds the log with `XDG_DATA_HOME = data`.
pub fn log_path(data: &Path) -> PathBuf {
    data.join("treadbeat").join("history.sqlite")
}

/// `treadbeat ARGS` with the log in `data`.
pub fn treadbeat_in(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_treadbeat"))
        .args(args)
        .env("XDG_DATA_HOME", data)
        .env("TZ", "UTC")
        .output()
        .unwrap()
}

/// Stdout of a `treadbeat` run that must succeed.
pub fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// A session being replayed.
pub struct Replay {
    pub log: SessionLog,
    pub timeline: Timeline,
    clock: Arc<AtomicI64>,
    /// Session seconds now.
    pub t: f64,
    step: usize,
    mic: bool,
    next_footstep: f64,
    since_progress: f64,
}

fn clock_fn(clock: &Arc<AtomicI64>) -> WallClock {
    let clock = Arc::clone(clock);
    Box::new(move || UNIX_EPOCH + Duration::from_millis(clock.load(Ordering::SeqCst) as u64))
}

impl Replay {
    /// Starts a `run` of `text` at `start_ms`; the count-in plays and the
    /// first step is entered.
    pub fn start(data: &Path, text: &str, start_ms: i64, mic: bool) -> Replay {
        let timeline = super::timeline(text);
        // Not synced: replays write hundreds of commits a second, and a
        // power cut is not what they test (history_killed.rs syncs).
        let store = Store::open(&log_path(data), Durability::Normal).unwrap();
        let clock = Arc::new(AtomicI64::new(start_ms));
        let begin = Begin {
            kind: SessionKind::Run,
            profile_name: &timeline.name,
            profile_text: text,
            timeline: &timeline,
            started: UNIX_EPOCH + Duration::from_millis(start_ms as u64),
            mic,
        };
        let mut log = SessionLog::begin_in(store, &begin, clock_fn(&clock)).unwrap();
        clock.fetch_add((COUNT_IN_S * 1000.0) as i64, Ordering::SeqCst);
        log.step_entered(0, 0.0).unwrap();
        Replay {
            log,
            timeline,
            clock,
            t: 0.0,
            step: 0,
            mic,
            next_footstep: 0.0,
            since_progress: 0.0,
        }
    }

    pub fn wall_ms(&self) -> i64 {
        self.clock.load(Ordering::SeqCst)
    }

    fn advance_wall(&self, s: f64) {
        self.clock
            .fetch_add((s * 1000.0).round() as i64, Ordering::SeqCst);
    }

    /// Plays on to session time `until`, the runner stepping at
    /// `spm(t)` where it is `Some` and heard (nothing heard where `None`),
    /// each step `offset_ms` from its click.
    pub fn run_until(&mut self, until: f64, spm: impl Fn(f64) -> Option<f64>) {
        const TICK: f64 = 0.05;
        while self.t < until - 1e-9 {
            let dt = TICK.min(until - self.t);
            let next_t = self.t + dt;
            while self.next_footstep < next_t {
                let at = self.next_footstep;
                match spm(at) {
                    Some(c) => {
                        if self.mic {
                            self.log.heard_step(at, Some(12.0)).unwrap();
                        }
                        self.next_footstep = at + 60.0 / c;
                    }
                    None => self.next_footstep = at + 0.25,
                }
            }
            self.t = next_t;
            self.advance_wall(dt);
            let boundary = self.timeline.segments[self.step].end_s();
            if self.t >= boundary - 1e-9 && self.step + 1 < self.timeline.segments.len() {
                self.step += 1;
                self.log.step_entered(self.step, boundary).unwrap();
            }
            self.since_progress += dt;
            if self.since_progress >= 2.0 - 1e-9 {
                self.log.progress(self.t).unwrap();
                self.since_progress = 0.0;
            }
        }
    }

    /// Pauses for `wall_s` seconds of the wall clock.
    pub fn pause(&mut self, wall_s: f64) {
        self.log.paused(self.t).unwrap();
        self.advance_wall(wall_s);
        self.log.resumed(self.t).unwrap();
    }

    /// Skips the rest of the current step.
    pub fn skip(&mut self) {
        self.log.skipped(self.t).unwrap();
        self.step += 1;
        self.t = self.timeline.segments[self.step].start_s;
        self.next_footstep = self.t;
        self.log.step_entered(self.step, self.t).unwrap();
    }

    pub fn warn(&mut self, code: &str, text: &str) {
        self.log.warning(self.t, code, text).unwrap();
    }

    /// Plays to the end and ends the session.
    pub fn finish(mut self, spm: impl Fn(f64) -> Option<f64>) -> i64 {
        let end = self.timeline.total_s();
        self.run_until(end, spm);
        self.log.end(end, true).unwrap()
    }

    /// Quits here.
    pub fn quit(self) -> i64 {
        let t = self.t;
        self.log.end(t, false).unwrap()
    }
}

/// The target cadence of the plan at `t` (no nudges): a runner who holds it.
pub fn on_target(timeline: &Timeline) -> impl Fn(f64) -> Option<f64> + '_ {
    move |t| {
        let i = timeline
            .segments
            .iter()
            .position(|s| t >= s.start_s && t < s.end_s())?;
        let s = &timeline.segments[i];
        let c = s.cadence?;
        s.kind
            .on_belt()
            .then(|| c.at((t - s.start_s) / s.duration_s))
    }
}

/// A wall clock stamp as `SystemTime`.
pub fn at_ms(ms: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(ms as u64)
}

//! Test support: profiles, a store in a temporary folder, a wall clock the
//! test moves by hand.

use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::log::{Begin, SessionKind, SessionLog, WallClock};
use super::store::{Durability, Store};
use crate::plan::{parse_profile, Timeline};

/// 2026-03-02 07:00:00 UTC, a Monday morning.
pub const MONDAY_MS: i64 = 1_772_434_800_000;

pub fn timeline(text: &str) -> Timeline {
    let profile = parse_profile("test.toml", text, Path::new(".")).unwrap();
    Timeline::from_profile(&profile)
}

/// A clock at `ms` that the test advances.
#[derive(Clone)]
pub struct HandClock(pub Arc<AtomicI64>);

impl HandClock {
    pub fn at(ms: i64) -> HandClock {
        HandClock(Arc::new(AtomicI64::new(ms)))
    }
    pub fn advance_s(&self, s: f64) {
        self.0
            .fetch_add((s * 1000.0).round() as i64, Ordering::SeqCst);
    }
    pub fn now(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(self.0.load(Ordering::SeqCst) as u64)
    }
    pub fn boxed(&self) -> WallClock {
        let me = self.clone();
        Box::new(move || me.now())
    }
}

pub fn store(dir: &Path) -> Store {
    Store::open(&dir.join("history.sqlite"), Durability::Normal).unwrap()
}

pub fn begin(dir: &Path, timeline: &Timeline, text: &str, clock: &HandClock) -> SessionLog {
    let begin = Begin {
        kind: SessionKind::Run,
        profile_name: &timeline.name,
        profile_text: text,
        timeline,
        started: clock.now(),
        mic: true,
    };
    SessionLog::begin_in(store(dir), &begin, clock.boxed()).unwrap()
}

/// Steps at `spm` heard from `from` to `to` (session seconds), logged with
/// the clock kept in step with session time.
pub fn run_steps(log: &mut SessionLog, clock: &HandClock, from: f64, to: f64, spm: f64) {
    let period = 60.0 / spm;
    let mut t = from;
    while t < to {
        log.heard_step(t, Some(10.0)).unwrap();
        clock.advance_s(period);
        t += period;
    }
}

pub const TWO_STEPS: &str = r#"
name = "Two steps"
[[step]]
name = "Easy"
time = "2m"
cadence = 160
speed = "9 km/h"
[[step]]
name = "Quick"
time = "2m"
cadence = 170
speed = "9 km/h"
incline = "2%"
"#;

//! `SessionLog`: a live session written as it happens, from the control
//! thread (never the audio thread: every call is a disk write).
//!
//! Every event is committed when it is logged, with the database in
//! synced mode (each commit reaches the disk), except heard steps, which
//! come several a second and are written together at most
//! `HEARD_STEPS_FLUSH` after the first of them, or with the next other
//! event. So a session cut short by Ctrl-C, a lost device, `kill -9` or a
//! power cut keeps everything up to its last two seconds, and a session
//! never ended reads as cut short where its last progress left it.
//!
//! Session times are seconds from t = 0 (the start of the first step), as
//! the engine's telemetry gives them; each event is stamped with the wall
//! clock as it is logged, which is how exports place the run in the day.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::params;
use sha2::{Digest, Sha256};

use super::store::{Durability, Store};
use super::StoreError;
use crate::plan::{Timeline, Units};

/// Heard steps wait at most this long in memory: the "last few seconds" a
/// cut-short session may lose, traded for one commit per batch instead of
/// one per footstep (three a second).
pub const HEARD_STEPS_FLUSH: Duration = Duration::from_secs(2);

/// What kind of live session this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// `treadbeat run PROFILE`.
    Run,
    /// `treadbeat click SPM`.
    Click,
}

impl SessionKind {
    pub fn name(self) -> &'static str {
        match self {
            SessionKind::Run => "run",
            SessionKind::Click => "click",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "run" => Some(SessionKind::Run),
            "click" => Some(SessionKind::Click),
            _ => None,
        }
    }
}

/// What is known when a session starts.
#[derive(Debug, Clone, Copy)]
pub struct Begin<'a> {
    pub kind: SessionKind,
    /// The profile's `name` (for `click`, e.g. "Metronome 170 spm").
    pub profile_name: &'a str,
    /// The profile file's text as read (for `click`, the command line).
    pub profile_text: &'a str,
    /// The steps as planned: their targets are logged with the session.
    pub timeline: &'a Timeline,
    /// When the session started (the count-in's first click).
    pub started: SystemTime,
    /// Whether the footstrike detector listens (`--mic`).
    pub mic: bool,
}

/// Where the wall clock comes from (tests replay sessions faster than
/// real time with a clock of their own).
pub type WallClock = Box<dyn FnMut() -> SystemTime + Send>;

/// The session being logged. Dropped without `end`, the session stays in
/// the log as cut short where its last write left it.
pub struct SessionLog {
    store: Store,
    id: i64,
    seq: i64,
    clock: WallClock,
    step: Option<usize>,
    paused: bool,
    heard: Vec<(f64, Option<f64>)>,
    heard_since: Option<SystemTime>,
}

impl SessionLog {
    /// Starts a session in the runner's log (the data folder).
    pub fn begin(begin: &Begin<'_>) -> Result<SessionLog, StoreError> {
        let store = Store::open_default(Durability::Synced)?;
        SessionLog::begin_in(store, begin, Box::new(SystemTime::now))
    }

    /// Starts a session in `store`, stamping events with `clock`.
    pub fn begin_in(
        store: Store,
        begin: &Begin<'_>,
        mut clock: WallClock,
    ) -> Result<SessionLog, StoreError> {
        let now = clock();
        let mut store = store;
        let tx = store.conn.transaction()?;
        let timeline = begin.timeline;
        tx.execute(
            "INSERT INTO sessions (kind, profile_name, profile_text, profile_hash, units,
                 started_ms, utc_offset_s, mic, planned_s, last_wall_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                begin.kind.name(),
                begin.profile_name,
                begin.profile_text,
                profile_hash(begin.profile_text),
                units_name(timeline.units),
                unix_ms(begin.started),
                utc_offset_s(begin.started),
                begin.mic,
                timeline.total_s(),
                unix_ms(now),
            ],
        )?;
        let id = tx.last_insert_rowid();
        {
            let mut insert = tx.prepare(
                "INSERT INTO steps (session_id, idx, name, kind, clicked, start_s, duration_s,
                     cadence_from, cadence_to, speed_from_kmh, speed_to_kmh,
                     incline_from, incline_to)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?;
            for (index, s) in timeline.segments.iter().enumerate() {
                insert.execute(params![
                    id,
                    index as i64,
                    s.name,
                    s.kind.name(),
                    s.clicked,
                    s.start_s,
                    s.duration_s,
                    s.cadence.map(|r| r.from),
                    s.cadence.map(|r| r.to),
                    s.speed_kmh.map(|r| r.from),
                    s.speed_kmh.map(|r| r.to),
                    s.incline_pct.map(|r| r.from),
                    s.incline_pct.map(|r| r.to),
                ])?;
            }
        }
        tx.commit()?;
        Ok(SessionLog {
            store,
            id,
            seq: 0,
            clock,
            step: None,
            paused: false,
            heard: Vec::new(),
            heard_since: None,
        })
    }

    /// The session's id in the log (what `treadbeat show ID` takes).
    pub fn id(&self) -> i64 {
        self.id
    }

    /// Step `index` of the timeline began at `session_s`: at t = 0 for the
    /// first, at each boundary, and where a skip or a catch-up landed.
    pub fn step_entered(&mut self, index: usize, session_s: f64) -> Result<(), StoreError> {
        self.step = Some(index);
        self.event(session_s, "step", Some(index), None, None, None)
    }

    /// The runner skipped the rest of the current step at `session_s`.
    pub fn skipped(&mut self, session_s: f64) -> Result<(), StoreError> {
        self.event(session_s, "skip", self.step, None, None, None)
    }

    /// The session paused at `session_s` (its clock stands still).
    pub fn paused(&mut self, session_s: f64) -> Result<(), StoreError> {
        self.paused = true;
        self.event(session_s, "pause", self.step, None, None, None)
    }

    /// The session resumed at `session_s`.
    pub fn resumed(&mut self, session_s: f64) -> Result<(), StoreError> {
        self.paused = false;
        self.event(session_s, "resume", self.step, None, None, None)
    }

    /// The cadence was nudged at `session_s`; `total_spm` is what all the
    /// nudges so far add to the plan (the telemetry's `nudge_spm`).
    pub fn nudged(&mut self, session_s: f64, total_spm: f64) -> Result<(), StoreError> {
        self.event(session_s, "nudge", self.step, Some(total_spm), None, None)
    }

    /// The coach warned at `session_s`: `code` a short stable name
    /// (`cadence_low`, `lagging`, ...), `text` what the runner was told.
    pub fn warning(&mut self, session_s: f64, code: &str, text: &str) -> Result<(), StoreError> {
        self.event(
            session_s,
            "warning",
            self.step,
            None,
            Some(code),
            Some(text),
        )
    }

    /// A footstep heard at `session_s`, `offset_ms` from its click
    /// (positive late; `None` where no click plays). Ignored while paused:
    /// the session clock stands still, so the steps have no place on it.
    pub fn heard_step(&mut self, session_s: f64, offset_ms: Option<f64>) -> Result<(), StoreError> {
        if self.paused {
            return Ok(());
        }
        let now = (self.clock)();
        self.heard.push((session_s, offset_ms));
        let since = *self.heard_since.get_or_insert(now);
        if now.duration_since(since).unwrap_or_default() >= HEARD_STEPS_FLUSH {
            self.flush_heard()?;
        }
        Ok(())
    }

    /// The output's under-runs so far (a running total).
    pub fn underruns(&mut self, total: u64) -> Result<(), StoreError> {
        self.store.conn.execute(
            "UPDATE sessions SET underruns = ?2 WHERE id = ?1",
            params![self.id, total as i64],
        )?;
        Ok(())
    }

    /// The session has reached `session_s`: call every second or two, so a
    /// session cut short knows how far it got.
    pub fn progress(&mut self, session_s: f64) -> Result<(), StoreError> {
        let now = unix_ms((self.clock)());
        let tx = self.store.conn.transaction()?;
        insert_heard(&tx, self.id, &self.heard)?;
        tx.execute(
            "UPDATE sessions SET reached_s = max(reached_s, ?2), last_wall_ms = ?3 WHERE id = ?1",
            params![self.id, session_s, now],
        )?;
        tx.commit()?;
        self.heard_written();
        Ok(())
    }

    /// The session ended at `reached_s`; `finished` when it played to its
    /// end (not quit, not cut short).
    pub fn end(mut self, reached_s: f64, finished: bool) -> Result<i64, StoreError> {
        let now = unix_ms((self.clock)());
        let tx = self.store.conn.transaction()?;
        insert_heard(&tx, self.id, &self.heard)?;
        tx.execute(
            "UPDATE sessions SET reached_s = max(reached_s, ?2), last_wall_ms = ?3,
                 ended_ms = ?3, finished = ?4 WHERE id = ?1",
            params![self.id, reached_s, now, finished],
        )?;
        tx.commit()?;
        Ok(self.id)
    }

    fn event(
        &mut self,
        session_s: f64,
        kind: &str,
        step: Option<usize>,
        value: Option<f64>,
        code: Option<&str>,
        text: Option<&str>,
    ) -> Result<(), StoreError> {
        let now = unix_ms((self.clock)());
        let tx = self.store.conn.transaction()?;
        // Steps heard before this event go in with it: one commit (one
        // sync), and the log never holds an event without the steps
        // heard before it.
        insert_heard(&tx, self.id, &self.heard)?;
        tx.execute(
            "INSERT INTO events (session_id, seq, wall_ms, session_s, kind, step, value, code, text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                self.id,
                self.seq + 1,
                now,
                session_s,
                kind,
                step.map(|s| s as i64),
                value,
                code,
                text
            ],
        )?;
        tx.execute(
            "UPDATE sessions SET reached_s = max(reached_s, ?2), last_wall_ms = ?3 WHERE id = ?1",
            params![self.id, session_s, now],
        )?;
        tx.commit()?;
        self.seq += 1;
        self.heard_written();
        Ok(())
    }

    fn flush_heard(&mut self) -> Result<(), StoreError> {
        if self.heard.is_empty() {
            return Ok(());
        }
        let tx = self.store.conn.transaction()?;
        insert_heard(&tx, self.id, &self.heard)?;
        tx.commit()?;
        self.heard_written();
        Ok(())
    }

    /// The held steps are on disk. Cleared only then: a failed write is
    /// tried again with the next call.
    fn heard_written(&mut self) {
        self.heard.clear();
        self.heard_since = None;
    }
}

fn insert_heard(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
    heard: &[(f64, Option<f64>)],
) -> Result<(), StoreError> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO heard_steps (session_id, session_s, offset_ms) VALUES (?1, ?2, ?3)",
    )?;
    for &(at, offset) in heard {
        insert.execute(params![id, at, offset])?;
    }
    Ok(())
}

/// SHA-256 of the profile text, in hex: the same workout is the same hash
/// whatever its file is called.
pub fn profile_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn units_name(units: Units) -> &'static str {
    match units {
        Units::Metric => "metric",
        Units::Imperial => "imperial",
    }
}

/// Milliseconds since the Unix epoch (negative before it).
pub fn unix_ms(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i64,
        Err(e) => -(e.duration().as_millis() as i64),
    }
}

/// The local time zone's offset from UTC at `t`, in seconds.
fn utc_offset_s(t: SystemTime) -> i64 {
    let local: chrono::DateTime<chrono::Local> = t.into();
    i64::from(local.offset().local_minus_utc())
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{
        begin, run_steps, store, timeline, HandClock, MONDAY_MS, TWO_STEPS,
    };
    use super::super::record::Event;
    use super::*;

    #[test]
    fn a_session_reads_back_as_logged() {
        let dir = tempfile::tempdir().unwrap();
        let plan = timeline(TWO_STEPS);
        let clock = HandClock::at(MONDAY_MS);
        let mut log = begin(dir.path(), &plan, TWO_STEPS, &clock);
        clock.advance_s(1.5); // the count-in
        log.step_entered(0, 0.0).unwrap();
        run_steps(&mut log, &clock, 0.0, 60.0, 160.0);
        log.paused(60.0).unwrap();
        clock.advance_s(30.0);
        log.heard_step(60.0, None).unwrap(); // walking about while paused
        log.resumed(60.0).unwrap();
        log.nudged(61.0, 2.0).unwrap();
        log.warning(70.0, "cadence_low", "Quick feet.").unwrap();
        log.skipped(90.0).unwrap();
        log.step_entered(1, 120.0).unwrap();
        log.underruns(3).unwrap();
        log.progress(150.0).unwrap();
        let id = log.end(150.0, false).unwrap();

        let record = store(dir.path()).session(id).unwrap();
        assert_eq!(record.profile_text, TWO_STEPS);
        assert_eq!(record.head.profile_hash, profile_hash(TWO_STEPS));
        assert_eq!(record.head.started_ms, MONDAY_MS);
        assert_eq!(record.head.reached_s, 150.0);
        assert_eq!(record.head.finished, Some(false));
        assert_eq!(record.head.underruns, 3);
        assert_eq!(record.head.planned_s, 240.0);
        assert_eq!(record.steps.len(), 2);
        assert_eq!(record.steps[1].cadence.unwrap().from, 170.0);
        assert_eq!(record.steps[1].speed_kmh.unwrap().to, 9.0);
        assert_eq!(record.steps[1].incline_pct.unwrap().from, 2.0);
        let kinds: Vec<&Event> = record.events.iter().map(|e| &e.what).collect();
        assert_eq!(
            kinds,
            [
                &Event::StepEntered(0),
                &Event::Paused,
                &Event::Resumed,
                &Event::Nudged(2.0),
                &Event::Warning {
                    code: "cadence_low".into(),
                    text: "Quick feet.".into()
                },
                &Event::Skipped,
                &Event::StepEntered(1),
            ]
        );
        assert_eq!(record.events[0].wall_ms, MONDAY_MS + 1500);
        // 160 spm for 60 s, and nothing while paused.
        assert_eq!(record.heard.len(), 160);
        assert!(record.heard.iter().all(|h| h.session_s < 60.0));
        assert_eq!(record.target_at(100.0), Some(162.0));
    }

    #[test]
    fn heard_steps_reach_the_disk_within_two_seconds() {
        let dir = tempfile::tempdir().unwrap();
        let plan = timeline(TWO_STEPS);
        let clock = HandClock::at(MONDAY_MS);
        let mut log = begin(dir.path(), &plan, TWO_STEPS, &clock);
        log.step_entered(0, 0.0).unwrap();
        let id = log.id();
        let reader = store(dir.path());
        // 2.1 s at 120 spm: steps at 0, 0.5, ..., 2.0; the step at 2.0 s
        // is the first logged two seconds after the first, so all five
        // are on disk without a progress call.
        run_steps(&mut log, &clock, 0.0, 2.1, 120.0);
        assert_eq!(reader.session(id).unwrap().heard.len(), 5);
        run_steps(&mut log, &clock, 2.5, 3.0, 120.0);
        assert_eq!(reader.session(id).unwrap().heard.len(), 5, "held back");
        log.progress(3.0).unwrap();
        assert_eq!(reader.session(id).unwrap().heard.len(), 6);
        drop(log);
        // Never ended: cut short where it got to.
        let head = reader.session(id).unwrap().head;
        assert_eq!(
            (head.finished, head.ended_ms, head.reached_s),
            (None, None, 3.0)
        );
        assert_eq!(head.outcome(), "cut short");
    }
}

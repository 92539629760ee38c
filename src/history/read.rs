//! Queries: the list of sessions, one session whole, check-ins and
//! baselines written and read.

use rusqlite::{params, OptionalExtension, Row};

use super::log::{unix_ms, SessionKind};
use super::record::{
    units_from, Checkin, Event, EventRecord, HeardStep, SessionHead, SessionRecord, StepRecord,
};
use super::store::Store;
use super::StoreError;
use crate::plan::{Ramp, StepKind};

const HEAD_COLUMNS: &str = "s.id, s.kind, s.profile_name, s.profile_hash, s.units, s.started_ms,
    s.utc_offset_s, s.mic, s.planned_s, s.reached_s, s.last_wall_ms, s.ended_ms, s.finished,
    s.underruns, c.session_id, c.pain, c.effort";

impl Store {
    /// Every session, newest first.
    pub fn sessions(&self) -> Result<Vec<SessionHead>, StoreError> {
        let sql = format!(
            "SELECT {HEAD_COLUMNS} FROM sessions s LEFT JOIN checkins c ON c.session_id = s.id
             ORDER BY s.started_ms DESC, s.id DESC"
        );
        let mut query = self.conn.prepare(&sql)?;
        let rows = query.query_map([], head_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The session `id`, or the latest when `None`.
    pub fn resolve(&self, id: Option<i64>) -> Result<i64, StoreError> {
        match id {
            Some(id) => {
                let found: Option<i64> = self
                    .conn
                    .query_row("SELECT id FROM sessions WHERE id = ?1", [id], |r| r.get(0))
                    .optional()?;
                found.ok_or(StoreError::NoSuchSession(id))
            }
            None => self
                .conn
                .query_row(
                    "SELECT id FROM sessions ORDER BY started_ms DESC, id DESC LIMIT 1",
                    [],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or(StoreError::Empty),
        }
    }

    /// One session, whole.
    pub fn session(&self, id: i64) -> Result<SessionRecord, StoreError> {
        let sql = format!(
            "SELECT {HEAD_COLUMNS}, s.profile_text FROM sessions s
             LEFT JOIN checkins c ON c.session_id = s.id WHERE s.id = ?1"
        );
        let (head, profile_text) = self
            .conn
            .query_row(&sql, [id], |row| Ok((head_from_row(row)?, row.get(17)?)))
            .optional()?
            .ok_or(StoreError::NoSuchSession(id))?;
        let mut query = self.conn.prepare(
            "SELECT name, kind, clicked, start_s, duration_s, cadence_from, cadence_to,
                 speed_from_kmh, speed_to_kmh, incline_from, incline_to
             FROM steps WHERE session_id = ?1 ORDER BY idx",
        )?;
        let steps = query
            .query_map([id], |row| {
                let kind: String = row.get(1)?;
                Ok(StepRecord {
                    name: row.get(0)?,
                    kind: StepKind::parse(&kind).unwrap_or(StepKind::Run),
                    clicked: row.get(2)?,
                    start_s: row.get(3)?,
                    duration_s: row.get(4)?,
                    cadence: ramp(row, 5)?,
                    speed_kmh: ramp(row, 7)?,
                    incline_pct: ramp(row, 9)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut query = self.conn.prepare(
            "SELECT wall_ms, session_s, kind, step, value, code, text
             FROM events WHERE session_id = ?1 ORDER BY seq",
        )?;
        let events = query
            .query_map([id], |row| {
                let kind: String = row.get(2)?;
                let step: Option<i64> = row.get(3)?;
                let what = match kind.as_str() {
                    "step" => Event::StepEntered(step.unwrap_or(0) as usize),
                    "skip" => Event::Skipped,
                    "pause" => Event::Paused,
                    "resume" => Event::Resumed,
                    "nudge" => Event::Nudged(row.get::<_, Option<f64>>(4)?.unwrap_or(0.0)),
                    _ => Event::Warning {
                        code: row.get::<_, Option<String>>(5)?.unwrap_or_default(),
                        text: row.get::<_, Option<String>>(6)?.unwrap_or_default(),
                    },
                };
                Ok(EventRecord {
                    wall_ms: row.get(0)?,
                    session_s: row.get(1)?,
                    step: step.map(|s| s as usize),
                    what,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut query = self.conn.prepare(
            "SELECT session_s, offset_ms FROM heard_steps WHERE session_id = ?1
             ORDER BY session_s",
        )?;
        let heard = query
            .query_map([id], |row| {
                Ok(HeardStep {
                    session_s: row.get(0)?,
                    offset_ms: row.get(1)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SessionRecord {
            head,
            profile_text,
            steps,
            events,
            heard,
        })
    }

    /// Records (or replaces) the check-in of session `id`.
    pub fn check_in(&self, id: i64, checkin: Checkin) -> Result<(), StoreError> {
        self.resolve(Some(id))?;
        self.conn.execute(
            "INSERT INTO checkins (session_id, pain, effort, at_ms) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (session_id) DO UPDATE SET
                 pain = coalesce(excluded.pain, pain),
                 effort = coalesce(excluded.effort, effort),
                 at_ms = excluded.at_ms",
            params![
                id,
                checkin.pain,
                checkin.effort,
                unix_ms(std::time::SystemTime::now())
            ],
        )?;
        Ok(())
    }

    /// Stores a baseline cadence the runner gave (`next --baseline`).
    pub fn add_baseline(&self, spm: f64, at_ms: i64) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO baselines (at_ms, spm) VALUES (?1, ?2)",
            params![at_ms, spm],
        )?;
        Ok(())
    }

    /// The latest baseline the runner gave: (unix ms, spm).
    pub fn latest_baseline(&self) -> Result<Option<(i64, f64)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT at_ms, spm FROM baselines ORDER BY at_ms DESC, id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}

fn ramp(row: &Row<'_>, at: usize) -> rusqlite::Result<Option<Ramp>> {
    let from: Option<f64> = row.get(at)?;
    let to: Option<f64> = row.get(at + 1)?;
    Ok(from.map(|from| Ramp {
        from,
        to: to.unwrap_or(from),
    }))
}

fn head_from_row(row: &Row<'_>) -> rusqlite::Result<SessionHead> {
    let kind: String = row.get(1)?;
    let units: String = row.get(4)?;
    let checked: Option<i64> = row.get(14)?;
    Ok(SessionHead {
        id: row.get(0)?,
        kind: SessionKind::parse(&kind).unwrap_or(SessionKind::Run),
        profile_name: row.get(2)?,
        profile_hash: row.get(3)?,
        units: units_from(&units),
        started_ms: row.get(5)?,
        utc_offset_s: row.get(6)?,
        mic: row.get(7)?,
        planned_s: row.get(8)?,
        reached_s: row.get(9)?,
        last_wall_ms: row.get(10)?,
        ended_ms: row.get(11)?,
        finished: row.get(12)?,
        underruns: row.get::<_, i64>(13)?.max(0) as u64,
        checkin: checked
            .map(|_| -> rusqlite::Result<Checkin> {
                Ok(Checkin {
                    pain: row.get(15)?,
                    effort: row.get(16)?,
                })
            })
            .transpose()?,
    })
}

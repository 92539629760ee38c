//! A session as read back from the log: plain values, no SQL. Everything
//! `show`, `report`, `export` and `next` compute starts from here.

use crate::plan::{Ramp, StepKind, Units};

use super::log::SessionKind;

/// One row of `treadbeat history`.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionHead {
    pub id: i64,
    pub kind: SessionKind,
    pub profile_name: String,
    pub profile_hash: String,
    pub units: Units,
    /// Unix milliseconds at the start.
    pub started_ms: i64,
    /// The runner's UTC offset then, in seconds (for dates as they saw them).
    pub utc_offset_s: i64,
    pub mic: bool,
    pub planned_s: f64,
    /// How far the session got, in session seconds.
    pub reached_s: f64,
    /// Unix milliseconds of the last write.
    pub last_wall_ms: i64,
    /// `None` for a session cut short (never ended).
    pub ended_ms: Option<i64>,
    /// Played to its end (false when quit early; `None` when cut short).
    pub finished: Option<bool>,
    pub underruns: u64,
    pub checkin: Option<Checkin>,
}

impl SessionHead {
    /// How the session ended, in a word.
    pub fn outcome(&self) -> &'static str {
        match self.finished {
            Some(true) => "finished",
            Some(false) => "stopped",
            None => "cut short",
        }
    }
}

/// A check-in: hip pain 0–10, effort (RPE) 1–10, either may be skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkin {
    pub pain: Option<u8>,
    pub effort: Option<u8>,
}

/// A step as planned, with its targets.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRecord {
    pub name: String,
    pub kind: StepKind,
    pub clicked: bool,
    pub start_s: f64,
    pub duration_s: f64,
    pub cadence: Option<Ramp>,
    pub speed_kmh: Option<Ramp>,
    pub incline_pct: Option<Ramp>,
}

impl StepRecord {
    pub fn end_s(&self) -> f64 {
        self.start_s + self.duration_s
    }

    /// Where `t` falls in the step, 0..=1.
    pub fn fraction(&self, t: f64) -> f64 {
        ((t - self.start_s) / self.duration_s.max(1e-9)).clamp(0.0, 1.0)
    }
}

/// Something that happened, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    pub wall_ms: i64,
    pub session_s: f64,
    pub step: Option<usize>,
    pub what: Event,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    StepEntered(usize),
    Skipped,
    Paused,
    Resumed,
    /// The nudges' total from here on, spm.
    Nudged(f64),
    Warning {
        code: String,
        text: String,
    },
}

/// A footstep the detector heard.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeardStep {
    pub session_s: f64,
    pub offset_ms: Option<f64>,
}

/// The whole session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    pub head: SessionHead,
    pub profile_text: String,
    pub steps: Vec<StepRecord>,
    pub events: Vec<EventRecord>,
    pub heard: Vec<HeardStep>,
}

impl SessionRecord {
    /// The step playing at session time `t`.
    pub fn step_at(&self, t: f64) -> Option<usize> {
        self.steps
            .iter()
            .position(|s| (s.start_s..s.end_s()).contains(&t))
            .or_else(|| {
                // The session's very end belongs to its last step.
                let last = self.steps.len().checked_sub(1)?;
                (t >= self.steps[last].start_s && t <= self.steps[last].end_s() + 1e-6)
                    .then_some(last)
            })
    }

    /// The nudges' total in force at session time `t`.
    pub fn nudge_at(&self, t: f64) -> f64 {
        self.events
            .iter()
            .filter(|e| e.session_s <= t)
            .filter_map(|e| match e.what {
                Event::Nudged(total) => Some(total),
                _ => None,
            })
            .next_back()
            .unwrap_or(0.0)
    }

    /// The target cadence at `t`, nudges included; `None` without one.
    pub fn target_at(&self, t: f64) -> Option<f64> {
        let step = &self.steps[self.step_at(t)?];
        let cadence = step.cadence?;
        Some(cadence.at(step.fraction(t)) + self.nudge_at(t))
    }

    /// The belt speed the plan asks for at `t`, km/h; `None` off the belt.
    pub fn speed_at(&self, t: f64) -> Option<f64> {
        let step = &self.steps[self.step_at(t)?];
        step.speed_kmh.map(|r| r.at(step.fraction(t)))
    }

    /// The incline the plan asks for at `t`, percent.
    pub fn incline_at(&self, t: f64) -> Option<f64> {
        let step = &self.steps[self.step_at(t)?];
        step.incline_pct.map(|r| r.at(step.fraction(t)))
    }

    /// The warnings, in order: (session seconds, code, text).
    pub fn warnings(&self) -> impl Iterator<Item = (f64, &str, &str)> {
        self.events.iter().filter_map(|e| match &e.what {
            Event::Warning { code, text } => Some((e.session_s, code.as_str(), text.as_str())),
            _ => None,
        })
    }
}

pub(crate) fn units_from(text: &str) -> Units {
    if text == "imperial" {
        Units::Imperial
    } else {
        Units::Metric
    }
}

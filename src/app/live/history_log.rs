//! The session written to the history as it happens: the control loop
//! tells this what it sees (telemetry, skips, judged steps, warnings), and
//! `history::SessionLog` commits it as it goes, so a session cut short by
//! Ctrl-C, a lost device or a power cut keeps all but its last seconds.
//! A log that cannot be written costs the runner one line, never the
//! session.

use std::time::{Duration, Instant, SystemTime};

use crate::app::session_spec::SessionSpec;
use crate::detect::Judgement;
use crate::engine::Telemetry;
use crate::history::{Begin, SessionKind, SessionLog, StoreError};
use crate::units::SampleRate;

/// How often the session's progress is committed: what a power cut may
/// lose at most.
const PROGRESS_EVERY: Duration = Duration::from_secs(2);

pub struct HistoryLog {
    log: Option<SessionLog>,
    /// The last telemetry logged: steps, pauses and nudges are its changes.
    seen: Option<Telemetry>,
    next_progress: Instant,
    /// Why the log is not being written, from the first failure.
    problem: Option<String>,
    /// Whether the runner has been told during the session.
    told: bool,
}

impl HistoryLog {
    /// Starts the session's entry in the history.
    pub fn begin(spec: &SessionSpec, kind: SessionKind) -> HistoryLog {
        let begin = Begin {
            kind,
            profile_name: &spec.timeline.name,
            profile_text: &spec.source_text,
            timeline: &spec.timeline,
            started: SystemTime::now(),
            mic: spec.hears_steps(),
        };
        let mut log = HistoryLog {
            log: None,
            seen: None,
            next_progress: Instant::now() + PROGRESS_EVERY,
            problem: None,
            told: false,
        };
        match SessionLog::begin(&begin) {
            Ok(session) => log.log = Some(session),
            Err(error) => log.failed(error),
        }
        log
    }

    /// The first failure to write, once: for the screen or the line log.
    pub fn problem(&mut self) -> Option<String> {
        if self.told {
            return None;
        }
        self.told = true;
        self.problem.clone()
    }

    fn failed(&mut self, error: StoreError) {
        if self.problem.is_none() {
            self.told = false;
            self.problem = Some(format!(
                "The session log cannot be written ({error}); the session goes on unrecorded."
            ));
        }
    }

    fn write(&mut self, what: impl FnOnce(&mut SessionLog) -> Result<(), StoreError>) {
        if let Some(Err(error)) = self.log.as_mut().map(what) {
            self.failed(error);
        }
    }

    /// Every telemetry snapshot: a new step, a pause or resume, a nudge,
    /// and the progress every few seconds.
    pub fn telemetry(&mut self, now: &Telemetry, rate: SampleRate) {
        let t = now.session_s(rate);
        let before = self.seen.replace(*now);
        if let Some(index) = now.segment {
            if before.is_none_or(|b| b.segment != Some(index)) {
                self.write(|log| log.step_entered(index, t));
            }
        }
        if let Some(before) = before {
            if now.paused != before.paused {
                self.write(|log| {
                    if now.paused {
                        log.paused(t)
                    } else {
                        log.resumed(t)
                    }
                });
            }
            if now.nudge_spm != before.nudge_spm {
                self.write(|log| log.nudged(t, now.nudge_spm));
            }
        }
        if Instant::now() >= self.next_progress {
            self.next_progress = Instant::now() + PROGRESS_EVERY;
            self.write(|log| log.progress(t));
        }
    }

    /// The runner skipped to the next step at session time `t`.
    pub fn skipped(&mut self, t: f64) {
        self.write(|log| log.skipped(t));
    }

    /// A judged step: heard steps and the coach's warnings.
    pub fn judged(&mut self, judgement: &Judgement) {
        match *judgement {
            Judgement::Step {
                session_s,
                offset_ms,
                ..
            } => self.write(|log| log.heard_step(session_s, Some(offset_ms))),
            Judgement::Warning(warning) => {
                self.write(|log| log.warning(warning.t, warning.kind.name(), warning.text))
            }
            Judgement::Fade(_) => {}
        }
    }

    /// Under-runs so far, all streams together.
    pub fn underruns(&mut self, total: u64) {
        self.write(|log| log.underruns(total));
    }

    /// Closes the entry: the session's id in the history, or why it
    /// was not kept.
    pub fn end(mut self, reached_s: f64, finished: bool) -> Result<i64, String> {
        if let Some(session) = self.log.take() {
            match session.end(reached_s, finished) {
                Ok(id) => return Ok(id),
                Err(error) => self.failed(error),
            }
        }
        Err(self.problem.unwrap_or_default())
    }
}

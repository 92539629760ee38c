//! The session as it was played: which stretches of session time ran,
//! where they sit on the wall clock, and how far the belt went.
//!
//! Session time stands still while paused and jumps forward on a skip;
//! the wall clock runs on. The log stamps each event with both, so the
//! played stretches ("pieces") run from one event that starts the clock
//! (a step entered, a resume) to the next that stops or moves it (a pause,
//! a skip, the next step), and the session's last known point ends the
//! last one. Within a piece session time and the wall clock advance
//! together (the engine catches up with the wall clock after a lost
//! device, so that holds there too).
//!
//! The belt's speed is the plan's: treadbeat has no sensor on the belt,
//! and the runner sets the speed the coach announces. The distance is that
//! speed integrated over the time played.

use super::record::{Event, SessionRecord};

/// Samples of the run are this far apart: what a watch records, and what
/// watch apps expect of a FIT or TCX file.
pub const SAMPLE_PERIOD_S: f64 = 1.0;

/// A stretch of session time played without a break.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Piece {
    /// Unix milliseconds at `from_s`.
    pub wall_ms: i64,
    pub from_s: f64,
    pub to_s: f64,
}

impl Piece {
    pub fn length_s(&self) -> f64 {
        self.to_s - self.from_s
    }

    /// Unix milliseconds at session time `t` within the piece.
    pub fn wall_at(&self, t: f64) -> i64 {
        self.wall_ms + ((t - self.from_s) * 1000.0).round() as i64
    }
}

/// One moment of the run as played.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub wall_ms: i64,
    pub session_s: f64,
    pub step: usize,
    /// The plan's belt speed, km/h; `None` off the belt.
    pub speed_kmh: Option<f64>,
    pub incline_pct: Option<f64>,
    /// Metres the belt has moved since t = 0.
    pub distance_m: f64,
    /// The target cadence with nudges, spm.
    pub target_spm: Option<f64>,
}

/// The session as played.
#[derive(Debug, Clone, PartialEq)]
pub struct AsRun {
    pub pieces: Vec<Piece>,
}

impl AsRun {
    pub fn of(record: &SessionRecord) -> AsRun {
        let end_s = record.head.reached_s;
        let mut pieces = Vec::new();
        // The running clock: (wall ms, session s) where it last started.
        let mut anchor: Option<(i64, f64)> = None;
        let mut close = |anchor: &mut Option<(i64, f64)>, at_s: f64| {
            if let Some((wall_ms, from_s)) = anchor.take() {
                let to_s = at_s.min(end_s);
                if to_s > from_s {
                    pieces.push(Piece {
                        wall_ms,
                        from_s,
                        to_s,
                    });
                }
            }
        };
        let mut paused = false;
        for event in &record.events {
            let (wall, s) = (event.wall_ms, event.session_s);
            match event.what {
                Event::StepEntered(_) => {
                    close(&mut anchor, s);
                    if !paused {
                        anchor = start(wall, s);
                    }
                }
                Event::Skipped => close(&mut anchor, s),
                Event::Paused => {
                    close(&mut anchor, s);
                    paused = true;
                }
                Event::Resumed => {
                    close(&mut anchor, s);
                    paused = false;
                    anchor = start(wall, s);
                }
                Event::Nudged(_) | Event::Warning { .. } => {}
            }
        }
        close(&mut anchor, end_s);
        AsRun { pieces }
    }

    /// Session seconds played (pauses and skipped time left out).
    pub fn played_s(&self) -> f64 {
        self.pieces.iter().map(Piece::length_s).sum()
    }

    /// The stretches of `[from, to)` that were played.
    pub fn played_within(&self, from: f64, to: f64) -> Vec<(f64, f64)> {
        self.pieces
            .iter()
            .filter_map(|p| {
                let a = p.from_s.max(from);
                let b = p.to_s.min(to);
                (b > a).then_some((a, b))
            })
            .collect()
    }

    /// Wall milliseconds of the first and last moment played.
    pub fn wall_span(&self) -> Option<(i64, i64)> {
        let first = self.pieces.first()?;
        let last = self.pieces.last()?;
        Some((first.wall_ms, last.wall_at(last.to_s)))
    }

    /// The run sampled every `SAMPLE_PERIOD_S` of each piece, and at each
    /// piece's end, with the belt's distance so far.
    pub fn samples(&self, record: &SessionRecord) -> Vec<Sample> {
        let mut samples = Vec::new();
        let mut distance_m = 0.0;
        for piece in &self.pieces {
            let mut t = piece.from_s;
            let mut previous: Option<f64> = None;
            loop {
                if let Some(p) = previous {
                    distance_m += metres_between(record, p, t);
                }
                if let Some(step) = record.step_at(t) {
                    samples.push(Sample {
                        wall_ms: piece.wall_at(t),
                        session_s: t,
                        step,
                        speed_kmh: record.speed_at(t),
                        incline_pct: record.incline_at(t),
                        distance_m,
                        target_spm: record.target_at(t),
                    });
                }
                if t >= piece.to_s {
                    break;
                }
                previous = Some(t);
                t = (t + SAMPLE_PERIOD_S).min(piece.to_s);
            }
        }
        samples
    }

    /// The belt's distance over the whole session, metres.
    pub fn distance_m(&self, record: &SessionRecord) -> f64 {
        self.samples(record).last().map_or(0.0, |s| s.distance_m)
    }
}

fn start(wall: i64, s: f64) -> Option<(i64, f64)> {
    // The count-in (negative session time) is not part of the run.
    Some(if s < 0.0 {
        (wall + (-s * 1000.0).round() as i64, 0.0)
    } else {
        (wall, s)
    })
}

/// Metres the belt covers from `a` to `b` (within one step or across a
/// boundary): the midpoint rule, exact for a linear speed ramp.
fn metres_between(record: &SessionRecord, a: f64, b: f64) -> f64 {
    let mut metres = 0.0;
    let mut t = a;
    while t < b {
        // Split at step boundaries so each part sees one ramp.
        let end = record
            .step_at(t)
            .map(|i| record.steps[i].end_s().min(b))
            .filter(|&e| e > t)
            .unwrap_or(b);
        let speed = record.speed_at((t + end) / 2.0).unwrap_or(0.0);
        metres += speed / 3.6 * (end - t);
        t = end;
    }
    metres
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{begin, store, timeline, HandClock, MONDAY_MS, TWO_STEPS};
    use super::*;

    #[test]
    fn pauses_and_skips_leave_the_played_time_on_the_wall_clock() {
        let dir = tempfile::tempdir().unwrap();
        let plan = timeline(TWO_STEPS);
        let clock = HandClock::at(MONDAY_MS);
        let mut log = begin(dir.path(), &plan, TWO_STEPS, &clock);
        clock.advance_s(2.0); // count-in
        log.step_entered(0, 0.0).unwrap();
        clock.advance_s(30.0);
        log.paused(30.0).unwrap();
        clock.advance_s(45.0);
        log.resumed(30.0).unwrap();
        clock.advance_s(20.0);
        log.skipped(50.0).unwrap();
        log.step_entered(1, 120.0).unwrap();
        clock.advance_s(60.0);
        log.progress(180.0).unwrap();
        let id = log.id();
        drop(log); // killed: the last progress is where it ends
        let record = store(dir.path()).session(id).unwrap();
        let as_run = AsRun::of(&record);
        let start = MONDAY_MS + 2000;
        assert_eq!(
            as_run.pieces,
            [
                Piece {
                    wall_ms: start,
                    from_s: 0.0,
                    to_s: 30.0
                },
                Piece {
                    wall_ms: start + 75_000,
                    from_s: 30.0,
                    to_s: 50.0
                },
                Piece {
                    wall_ms: start + 95_000,
                    from_s: 120.0,
                    to_s: 180.0
                },
            ]
        );
        assert_eq!(as_run.played_s(), 110.0);
        // 9 km/h = 2.5 m/s for 110 s.
        assert!((as_run.distance_m(&record) - 275.0).abs() < 1e-9);
        let samples = as_run.samples(&record);
        // Whole seconds of each piece plus each piece's end.
        assert_eq!(samples.len(), 31 + 21 + 61);
        let after_skip = samples.iter().find(|s| s.session_s == 120.0).unwrap();
        assert_eq!(after_skip.wall_ms, start + 95_000);
        assert_eq!(after_skip.step, 1);
        assert!((after_skip.distance_m - 125.0).abs() < 1e-9);
        assert_eq!(after_skip.incline_pct, Some(2.0));
    }
}

//! Measured cadence from the heard steps, in 5 s windows of played time:
//! each step of the plan cut into windows from its start, so a window
//! never straddles a change of target, a pause or a skip.
//!
//! A window's cadence comes from the intervals between its steps, not
//! from counting them: a step the detector missed leaves one long interval,
//! which is left out, instead of lowering the count. Too few intervals and
//! the window has no cadence: nothing is invented.

use super::as_run::AsRun;
use super::record::{HeardStep, SessionRecord};

/// The window the issue asks for: long enough to hold a dozen steps at any
/// running cadence, short enough to show a sag within a minute.
pub const WINDOW_S: f64 = 5.0;

/// A last, shorter window is kept from half a window on; less would hold
/// too few steps to say anything.
const SHORTEST_WINDOW_S: f64 = WINDOW_S / 2.0;

/// Fewer intervals than this and a window has no cadence: at walking pace
/// (100 spm) a 5 s window holds 8, so 4 leaves room for misses.
pub const MIN_INTERVALS: usize = 4;

/// An interval more than this far from the window's median is a missed
/// step (about twice the median) or a double detection (about half), not
/// a change of rhythm: cadence changes by a few percent, not by half.
const INTERVAL_BAND: (f64, f64) = (0.6, 1.6);

/// A window of played time in one step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub step: usize,
    pub from_s: f64,
    pub to_s: f64,
    /// Seconds of the step played before this window's middle.
    pub played_before_s: f64,
    /// Measured cadence, spm; `None` where too few steps were heard.
    pub cadence: Option<f64>,
    /// Target at the window's middle, nudges included.
    pub target: Option<f64>,
}

impl Window {
    pub fn middle_s(&self) -> f64 {
        (self.from_s + self.to_s) / 2.0
    }

    /// Measured minus target, spm.
    pub fn deviation(&self) -> Option<f64> {
        Some(self.cadence? - self.target?)
    }
}

/// Every window of the session, in session-time order.
pub fn windows(record: &SessionRecord, as_run: &AsRun) -> Vec<Window> {
    let mut out = Vec::new();
    for (index, step) in record.steps.iter().enumerate() {
        let mut played = 0.0;
        for (a, b) in as_run.played_within(step.start_s, step.end_s()) {
            let mut from = a;
            while b - from >= SHORTEST_WINDOW_S {
                let to = if b - from < WINDOW_S + SHORTEST_WINDOW_S {
                    b
                } else {
                    from + WINDOW_S
                };
                let middle = (from + to) / 2.0;
                out.push(Window {
                    step: index,
                    from_s: from,
                    to_s: to,
                    played_before_s: played + (middle - a),
                    cadence: cadence_between(&record.heard, from, to),
                    target: record.target_at(middle),
                });
                from = to;
            }
            played += b - a;
        }
    }
    out
}

/// The step intervals between heard steps in `[from, to)`, seconds, with
/// missed and doubled steps left out.
pub fn intervals_between(heard: &[HeardStep], from: f64, to: f64) -> Vec<f64> {
    let first = heard.partition_point(|h| h.session_s < from);
    let last = heard.partition_point(|h| h.session_s < to);
    let raw: Vec<f64> = heard[first..last]
        .windows(2)
        .map(|p| p[1].session_s - p[0].session_s)
        .filter(|&d| d > 0.0)
        .collect();
    let Some(median) = median(&raw) else {
        return Vec::new();
    };
    raw.into_iter()
        .filter(|&d| d >= INTERVAL_BAND.0 * median && d <= INTERVAL_BAND.1 * median)
        .collect()
}

fn cadence_between(heard: &[HeardStep], from: f64, to: f64) -> Option<f64> {
    let intervals = intervals_between(heard, from, to);
    if intervals.len() < MIN_INTERVALS {
        return None;
    }
    let mean = intervals.iter().sum::<f64>() / intervals.len() as f64;
    Some(60.0 / mean)
}

/// The median of `values` (`None` when empty).
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    Some(if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(times: impl IntoIterator<Item = f64>) -> Vec<HeardStep> {
        times
            .into_iter()
            .map(|session_s| HeardStep {
                session_s,
                offset_ms: None,
            })
            .collect()
    }

    #[test]
    fn a_missed_step_does_not_lower_the_cadence() {
        let period = 60.0 / 170.0;
        let all = steps((0..15).map(|k| k as f64 * period));
        let missing = steps((0..15).filter(|&k| k != 7).map(|k| k as f64 * period));
        let full = cadence_between(&all, 0.0, 5.0).unwrap();
        let gappy = cadence_between(&missing, 0.0, 5.0).unwrap();
        assert!((full - 170.0).abs() < 1e-9);
        assert!((gappy - 170.0).abs() < 1e-9, "{gappy}");
    }

    #[test]
    fn too_few_steps_give_no_cadence() {
        let few = steps([0.0, 0.35, 0.7, 1.05]);
        assert_eq!(cadence_between(&few, 0.0, 5.0), None);
        assert_eq!(cadence_between(&[], 0.0, 5.0), None);
    }
}

//! What a session says about the runner, step by step: mean measured
//! cadence against the target, the share of time within ±3 spm, the drift
//! from the first third to the last, and step-time variability as a
//! fatigue flag. Pure: a record in, numbers out.

use super::as_run::AsRun;
use super::cadence::{intervals_between, median, windows, Window};
use super::record::{Event, SessionRecord};
use crate::plan::StepKind;

/// "In band": within this many spm of the target, as the issue asks: about
/// the spread of one runner's cadence from window to window when holding
/// a beat, and under the 5 spm of one builder stage.
pub const BAND_SPM: f64 = 3.0;

/// Each third needs this many windows (30 s) for its mean to be compared.
const MIN_WINDOWS_PER_THIRD: usize = 2;

/// Each third needs this many intervals for its variability: a coefficient
/// of variation from n intervals is uncertain by about 1/sqrt(2n) of
/// itself, 13 % at 30, small beside the rise the flag looks for.
const MIN_INTERVALS_PER_THIRD: usize = 30;

/// Step-time variability rises as a runner tires (stride-to-stride timing
/// loosens with fatigue); the flag goes up when the last third varies by
/// half again as much as the first, far beyond the sampling spread above.
pub const FATIGUE_RATIO: f64 = 1.5;

/// ... and only above this coefficient of variation: a steady runner's step
/// times vary by a few percent, and a rise from 1 % to 1.5 % is noise of
/// the detector's millisecond timing, not the runner.
pub const FATIGUE_MIN_CV: f64 = 0.03;

/// Step-time variability in the first and last thirds of a step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Variability {
    /// Coefficient of variation (sd / mean) of step times, first third.
    pub first_cv: f64,
    pub last_cv: f64,
}

impl Variability {
    /// The rise that reads as fatigue.
    pub fn fatigue(&self) -> bool {
        self.last_cv >= FATIGUE_MIN_CV && self.last_cv >= FATIGUE_RATIO * self.first_cv
    }
}

/// One step as it went.
#[derive(Debug, Clone, PartialEq)]
pub struct StepStats {
    pub index: usize,
    pub name: String,
    pub kind: StepKind,
    pub clicked: bool,
    pub planned_s: f64,
    pub played_s: f64,
    pub skipped: bool,
    /// The target's mean over the windows played, spm.
    pub target_mean: Option<f64>,
    /// The measured cadence's mean over the windows that have one.
    pub measured_mean: Option<f64>,
    pub windows: usize,
    pub measured_windows: usize,
    /// Share of measured windows within ±`BAND_SPM` of the target.
    pub in_band: Option<f64>,
    /// Last third's mean deviation from target minus the first third's,
    /// spm: negative when the cadence sagged.
    pub drift_spm: Option<f64>,
    pub variability: Option<Variability>,
    /// (session seconds, code, text) of each warning given in the step.
    pub warnings: Vec<(f64, String, String)>,
}

/// The whole session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionStats {
    pub steps: Vec<StepStats>,
    pub windows: Vec<Window>,
    pub played_s: f64,
    pub distance_m: f64,
    pub heard_steps: usize,
    /// Over every window with a target and a measurement.
    pub in_band: Option<f64>,
    pub measured_mean: Option<f64>,
    /// The drift across the session's measured windows in played order.
    pub drift_spm: Option<f64>,
    /// The median measured cadence of the `run` steps: what trends follow.
    pub easy_cadence: Option<f64>,
    pub fatigue_steps: Vec<usize>,
}

impl SessionStats {
    pub fn of(record: &SessionRecord) -> SessionStats {
        let as_run = AsRun::of(record);
        let windows = windows(record, &as_run);
        let steps: Vec<StepStats> = (0..record.steps.len())
            .map(|i| step_stats(record, &as_run, &windows, i))
            .collect();
        let measured: Vec<&Window> = windows.iter().filter(|w| w.cadence.is_some()).collect();
        let easy: Vec<f64> = measured
            .iter()
            .filter(|w| record.steps[w.step].kind == StepKind::Run)
            .filter_map(|w| w.cadence)
            .collect();
        // Each window placed by the played time before its middle; the
        // windows tile the played time, so their lengths add up to it.
        let mut at = 0.0;
        let played: Vec<(f64, Window)> = windows
            .iter()
            .map(|w| {
                let length = w.to_s - w.from_s;
                at += length;
                (at - length / 2.0, *w)
            })
            .collect();
        SessionStats {
            fatigue_steps: steps
                .iter()
                .filter(|s| s.variability.is_some_and(|v| v.fatigue()))
                .map(|s| s.index)
                .collect(),
            in_band: in_band(&windows),
            measured_mean: mean(measured.iter().filter_map(|w| w.cadence)),
            drift_spm: drift(&played, at),
            easy_cadence: median(&easy),
            played_s: as_run.played_s(),
            distance_m: as_run.distance_m(record),
            heard_steps: record.heard.len(),
            steps,
            windows,
        }
    }
}

fn step_stats(record: &SessionRecord, as_run: &AsRun, all: &[Window], i: usize) -> StepStats {
    let step = &record.steps[i];
    let windows: Vec<&Window> = all.iter().filter(|w| w.step == i).collect();
    let played = as_run.played_within(step.start_s, step.end_s());
    let played_s: f64 = played.iter().map(|(a, b)| b - a).sum();
    let positioned: Vec<(f64, Window)> = windows.iter().map(|w| (w.played_before_s, **w)).collect();
    let skipped = record.events.iter().any(|e| {
        matches!(e.what, Event::Skipped) && e.step == Some(i) && e.session_s < step.end_s() - 0.5
    });
    StepStats {
        index: i,
        name: step.name.clone(),
        kind: step.kind,
        clicked: step.clicked,
        planned_s: step.duration_s,
        played_s,
        skipped,
        target_mean: mean(windows.iter().filter_map(|w| w.target)),
        measured_mean: mean(windows.iter().filter_map(|w| w.cadence)),
        windows: windows.len(),
        measured_windows: windows.iter().filter(|w| w.cadence.is_some()).count(),
        in_band: in_band(windows.iter().copied()),
        drift_spm: drift(&positioned, played_s),
        variability: variability(record, &played, played_s),
        warnings: record
            .warnings()
            .filter(|(t, _, _)| record.step_at(*t) == Some(i))
            .map(|(t, code, text)| (t, code.to_string(), text.to_string()))
            .collect(),
    }
}

/// Time in band and drift over a set of windows taken in order as if
/// played one after the other (the builder's work blocks of a session).
pub fn in_band_and_drift(windows: &[Window]) -> (Option<f64>, Option<f64>) {
    let mut at = 0.0;
    let positioned: Vec<(f64, Window)> = windows
        .iter()
        .map(|w| {
            let length = w.to_s - w.from_s;
            at += length;
            (at - length / 2.0, *w)
        })
        .collect();
    (in_band(windows), drift(&positioned, at))
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

fn in_band<'a>(windows: impl IntoIterator<Item = &'a Window>) -> Option<f64> {
    let deviations: Vec<f64> = windows.into_iter().filter_map(Window::deviation).collect();
    (!deviations.is_empty()).then(|| {
        deviations.iter().filter(|d| d.abs() <= BAND_SPM).count() as f64 / deviations.len() as f64
    })
}

/// Last third's mean deviation minus the first third's; `positioned` holds
/// each window with the played time before its middle.
fn drift(positioned: &[(f64, Window)], played_s: f64) -> Option<f64> {
    let third = played_s / 3.0;
    let first: Vec<f64> = positioned
        .iter()
        .filter(|(at, _)| *at < third)
        .filter_map(|(_, w)| w.deviation())
        .collect();
    let last: Vec<f64> = positioned
        .iter()
        .filter(|(at, _)| *at >= played_s - third)
        .filter_map(|(_, w)| w.deviation())
        .collect();
    if first.len() < MIN_WINDOWS_PER_THIRD || last.len() < MIN_WINDOWS_PER_THIRD {
        return None;
    }
    Some(mean(last.into_iter())? - mean(first.into_iter())?)
}

/// Step-time variability of the first and last thirds of played time.
fn variability(
    record: &SessionRecord,
    played: &[(f64, f64)],
    played_s: f64,
) -> Option<Variability> {
    let third = played_s / 3.0;
    let cv_of = |from_played: f64, to_played: f64| -> Option<f64> {
        let mut intervals = Vec::new();
        let mut before = 0.0;
        for &(a, b) in played {
            let from = a + (from_played - before).max(0.0);
            let to = a + (to_played - before).min(b - a);
            if to > from {
                intervals.extend(intervals_between(&record.heard, from, to));
            }
            before += b - a;
        }
        if intervals.len() < MIN_INTERVALS_PER_THIRD {
            return None;
        }
        let m = intervals.iter().sum::<f64>() / intervals.len() as f64;
        let var =
            intervals.iter().map(|d| (d - m).powi(2)).sum::<f64>() / (intervals.len() - 1) as f64;
        Some(var.sqrt() / m)
    };
    Some(Variability {
        first_cv: cv_of(0.0, third)?,
        last_cv: cv_of(played_s - third, played_s)?,
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{begin, store, timeline, HandClock, MONDAY_MS};
    use super::*;

    const TEN_MINUTES: &str = r#"
name = "Ten minutes"
[[step]]
name = "Steady"
time = "10m"
cadence = 170
speed = "9 km/h"
"#;

    /// A runner stepping at `spm(t)` with step-time jitter `jitter(t)`
    /// (a fraction of the period, alternating sign), logged as heard.
    fn session(spm: impl Fn(f64) -> f64, jitter: impl Fn(f64) -> f64) -> SessionStats {
        let dir = tempfile::tempdir().unwrap();
        let plan = timeline(TEN_MINUTES);
        let clock = HandClock::at(MONDAY_MS);
        let mut log = begin(dir.path(), &plan, TEN_MINUTES, &clock);
        log.step_entered(0, 0.0).unwrap();
        let mut t = 0.0;
        let mut k = 0;
        while t < 600.0 {
            let period = 60.0 / spm(t);
            let wobble = if k % 2 == 0 { 1.0 } else { -1.0 } * jitter(t) * period;
            log.heard_step(t + wobble, Some(0.0)).unwrap();
            t += period;
            k += 1;
        }
        clock.advance_s(600.0);
        let id = log.end(600.0, true).unwrap();
        SessionStats::of(&store(dir.path()).session(id).unwrap())
    }

    #[test]
    fn a_held_cadence_is_in_band_without_drift_or_fatigue() {
        let stats = session(|_| 170.0, |_| 0.01);
        let step = &stats.steps[0];
        assert_eq!(step.windows, 120);
        assert_eq!(step.measured_windows, 120);
        assert!((step.measured_mean.unwrap() - 170.0).abs() < 0.2);
        assert_eq!(step.in_band, Some(1.0));
        assert!(step.drift_spm.unwrap().abs() < 0.2);
        assert!(!step.variability.unwrap().fatigue());
        assert_eq!(stats.easy_cadence.map(f64::round), Some(170.0));
        assert!((stats.distance_m - 1500.0).abs() < 1e-6);
    }

    #[test]
    fn a_sagging_tiring_runner_shows_drift_and_the_fatigue_flag() {
        // 171 -> 163 spm across the ten minutes; jitter 1 % -> 4 %.
        let stats = session(|t| 171.0 - 8.0 * t / 600.0, |t| 0.01 + 0.03 * t / 600.0);
        let step = &stats.steps[0];
        let drift = step.drift_spm.unwrap();
        // The thirds' means are 2/3 of the way apart: about -5.3 spm.
        assert!((drift + 5.33).abs() < 0.4, "{drift}");
        assert!(step.in_band.unwrap() < 0.7);
        let v = step.variability.unwrap();
        assert!(v.fatigue(), "{v:?}");
        assert_eq!(stats.fatigue_steps, [0]);
    }
}

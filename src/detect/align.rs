//! Steps against the beat: each heard step's offset from the nearest beat
//! (negative = early), the running cadence, and how unevenly the two feet
//! share the time.
//!
//! Offsets are also kept *unwrapped*: a runner who slowly falls behind
//! drifts past half a beat and would otherwise look early again; the
//! unwrapped lag keeps growing, which is what the drift rules need.

use super::stats::median;

/// Intervals the running cadence is the median of.
const CADENCE_STEPS: usize = 6;
/// Intervals the asymmetry looks at (an even number: left, right, ...).
const ASYMMETRY_STEPS: usize = 16;
/// A gap longer than this is a pause, not a slow step.
const LONGEST_STEP_S: f64 = 1.0;

/// One heard step, placed against the beat.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlignedStep {
    pub t_s: f64,
    /// To the nearest beat, in ms; negative = before the beat.
    pub offset_ms: f64,
    /// The offset unwrapped across beats: keeps growing as the runner
    /// falls further behind.
    pub lag_ms: f64,
    /// Steps per minute over the last few steps, once there are enough.
    pub cadence_spm: Option<f64>,
}

#[derive(Debug, Clone, Default)]
pub struct Aligner {
    last_t: Option<f64>,
    intervals: Vec<f64>,
    lag_ms: Option<f64>,
}

impl Aligner {
    pub fn new() -> Aligner {
        Aligner {
            intervals: Vec::with_capacity(ASYMMETRY_STEPS + 1),
            ..Aligner::default()
        }
    }

    /// Places a step at `t_s` between the beats around it (`before` ≤ t,
    /// `after` > t; either may be missing at the ends of the session).
    pub fn step(&mut self, t_s: f64, before: Option<f64>, after: Option<f64>) -> AlignedStep {
        let offset_s = match (before, after) {
            (Some(b), Some(a)) if a - t_s < t_s - b => t_s - a,
            (Some(b), _) => t_s - b,
            (None, Some(a)) => t_s - a,
            (None, None) => 0.0,
        };
        let beat_s = match (before, after) {
            (Some(b), Some(a)) => a - b,
            _ => 0.0,
        };
        let offset_ms = offset_s * 1000.0;
        let lag_ms = match self.lag_ms {
            Some(previous) if beat_s > 0.0 => {
                let beat_ms = beat_s * 1000.0;
                let turns = ((previous - offset_ms) / beat_ms).round();
                offset_ms + turns * beat_ms
            }
            _ => offset_ms,
        };
        self.lag_ms = Some(lag_ms);
        if let Some(last) = self.last_t {
            let gap = t_s - last;
            if gap > LONGEST_STEP_S {
                self.intervals.clear();
            } else {
                if self.intervals.len() == ASYMMETRY_STEPS {
                    self.intervals.remove(0);
                }
                self.intervals.push(gap);
            }
        }
        self.last_t = Some(t_s);
        AlignedStep {
            t_s,
            offset_ms,
            lag_ms,
            cadence_spm: self.cadence_spm(),
        }
    }

    /// Median-based cadence over the last few intervals; an interval of
    /// about two steps (a step not heard) counts as two.
    pub fn cadence_spm(&self) -> Option<f64> {
        if self.intervals.len() < 3 {
            return None;
        }
        let from = self.intervals.len().saturating_sub(CADENCE_STEPS);
        let mut recent: Vec<f64> = self.intervals[from..].to_vec();
        let rough = median(&mut recent.clone());
        for interval in &mut recent {
            *interval /= (*interval / rough).round().max(1.0);
        }
        Some(60.0 / median(&mut recent))
    }

    /// Left/right step-time asymmetry in percent: how much longer one
    /// foot's steps take than the other's, over the last 16 steps.
    pub fn asymmetry_pct(&self) -> Option<f64> {
        let n = self.intervals.len() / 2 * 2;
        if n < 8 {
            return None;
        }
        let recent = &self.intervals[self.intervals.len() - n..];
        let one: f64 = recent.iter().step_by(2).sum::<f64>() / (n / 2) as f64;
        let other: f64 = recent.iter().skip(1).step_by(2).sum::<f64>() / (n / 2) as f64;
        Some(100.0 * (one - other).abs() / (0.5 * (one + other)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn early_is_negative_late_positive() {
        let mut a = Aligner::new();
        assert!((a.step(0.98, Some(0.6), Some(1.0)).offset_ms + 20.0).abs() < 1e-9);
        assert!((a.step(1.36, Some(1.35), Some(1.7)).offset_ms - 10.0).abs() < 1e-9);
    }

    #[test]
    fn cadence_is_the_median_interval() {
        let mut a = Aligner::new();
        let mut last = None;
        for k in 0..10 {
            let t = f64::from(k) * 0.35;
            last = a.step(t, Some(t), Some(t + 0.35)).cadence_spm;
        }
        assert!((last.unwrap() - 60.0 / 0.35).abs() < 1e-9);
        assert!(a.asymmetry_pct().unwrap() < 1e-9);
    }

    #[test]
    fn a_growing_lag_unwraps_past_half_a_beat() {
        let mut a = Aligner::new();
        let beat = 0.35;
        let mut lag = 0.0;
        for k in 0..40 {
            let b = f64::from(k) * beat;
            let t = b + 0.01 * f64::from(k);
            let before = (t / beat).floor() * beat;
            lag = a.step(t, Some(before), Some(before + beat)).lag_ms;
        }
        assert!((lag - 390.0).abs() < 1e-6, "{lag}");
    }

    #[test]
    fn one_foot_slower_shows_as_asymmetry() {
        let mut a = Aligner::new();
        let mut t = 0.0;
        for k in 0..20 {
            t += if k % 2 == 0 { 0.33 } else { 0.37 };
            a.step(t, None, None);
        }
        let asymmetry = a.asymmetry_pct().unwrap();
        assert!((asymmetry - 11.43).abs() < 0.1, "{asymmetry}");
    }
}

//! The step tracker: what the detector knows of the rhythm so far, used to
//! judge a candidate by *when* it comes, never to invent a step.
//!
//! Footsteps are nearly periodic; music, a dropped bottle or a neighbour's
//! treadmill are not in that period. Once a few steps agree on a period, a
//! candidate that comes far from where the next step is due needs to be
//! louder to count. A candidate right after a step is never a new step
//! (heel-then-forefoot double strikes, echoes). Nothing here ever reports a
//! step that was not heard: the tracker only scales the bar a heard
//! candidate must clear.

use super::stats::median;

/// Intervals remembered for the period estimate.
const MEMORY: usize = 8;
/// Cadence limits the tracker believes in (spm): fast walking to sprinting.
const SLOWEST_PERIOD_S: f64 = 60.0 / 100.0;
const FASTEST_PERIOD_S: f64 = 60.0 / 240.0;
/// Nothing within this time of a step starts another, at any cadence.
const MIN_GAP_S: f64 = 0.18;
/// A candidate within this fraction of a period of where a step is due is
/// on time; farther away its strength is scaled down.
const ON_TIME: f64 = 0.15;
/// How much more a candidate counts where a step is due.
const DUE_BOOST: f32 = 1.5;

#[derive(Debug, Clone)]
pub struct StepTracker {
    /// Expected time between steps, once known (hinted or measured).
    period_s: Option<f64>,
    last_s: Option<f64>,
    intervals: [f64; MEMORY],
    interval_count: usize,
    strengths: [f32; MEMORY],
    strength_count: usize,
}

impl StepTracker {
    pub fn new(cadence_hint_spm: Option<f64>) -> StepTracker {
        StepTracker {
            period_s: cadence_hint_spm
                .map(|spm| (60.0 / spm).clamp(FASTEST_PERIOD_S, SLOWEST_PERIOD_S)),
            last_s: None,
            intervals: [0.0; MEMORY],
            interval_count: 0,
            strengths: [0.0; MEMORY],
            strength_count: 0,
        }
    }

    /// How much of a candidate's strength counts at time `t_s`: 0 for one
    /// too close after the last step, less than 1 for one off the rhythm.
    pub fn weight(&self, t_s: f64) -> f32 {
        let Some(last) = self.last_s else { return 1.0 };
        let gap = t_s - last;
        let period = self.period_s.unwrap_or(SLOWEST_PERIOD_S);
        if gap < MIN_GAP_S.max(0.5 * period) {
            return 0.0;
        }
        if !self.locked() {
            return 1.0;
        }
        let beats = gap / period;
        let due = beats.round().max(1.0);
        if due > 2.0 {
            // Lost: a pause, a stumble, the runner stepped off.
            return 1.0;
        }
        let miss = (beats - due).abs();
        if miss <= ON_TIME {
            // Where a step is due, a fainter candidate is believed: the
            // rhythm is evidence too (but only for what was heard).
            DUE_BOOST
        } else {
            (1.0 - (miss - ON_TIME) * 2.5).max(0.3) as f32
        }
    }

    /// A period is trusted once enough recent intervals agree on it.
    pub fn locked(&self) -> bool {
        if self.interval_count < 4 {
            return false;
        }
        let Some(period) = self.period_s else {
            return false;
        };
        let n = self.interval_count.min(MEMORY);
        let mut spread = [0.0; MEMORY];
        for (s, i) in spread.iter_mut().zip(&self.intervals[..n]) {
            *s = (i - period).abs();
        }
        median(&mut spread[..n]) < 0.08 * period
    }

    /// The typical strength of recent steps, for the detector's threshold.
    pub fn typical_strength(&self) -> Option<f32> {
        if self.strength_count < 3 {
            return None;
        }
        let n = self.strength_count.min(MEMORY);
        let mut recent = self.strengths;
        let mut as_f64 = [0.0f64; MEMORY];
        for (d, s) in as_f64.iter_mut().zip(&mut recent[..n]) {
            *d = f64::from(*s);
        }
        Some(median(&mut as_f64[..n]) as f32)
    }

    /// The current period estimate, if any.
    pub fn period_s(&self) -> Option<f64> {
        self.period_s
    }

    /// Records an accepted step.
    pub fn accept(&mut self, t_s: f64, strength: f32) {
        self.strengths[self.strength_count % MEMORY] = strength;
        self.strength_count += 1;
        if let Some(last) = self.last_s {
            let gap = t_s - last;
            let period = self.period_s.unwrap_or(gap);
            // A gap of about two periods is one missed step: still a
            // measure of the period.
            let beats = (gap / period).round();
            let interval = if beats == 2.0 { gap / 2.0 } else { gap };
            if (FASTEST_PERIOD_S * 0.9..=SLOWEST_PERIOD_S * 1.1).contains(&interval) && beats <= 2.0
            {
                self.intervals[self.interval_count % MEMORY] = interval;
                self.interval_count += 1;
                let n = self.interval_count.min(MEMORY);
                if n >= 3 {
                    let mut recent = self.intervals;
                    self.period_s =
                        Some(median(&mut recent[..n]).clamp(FASTEST_PERIOD_S, SLOWEST_PERIOD_S));
                }
            }
        }
        self.last_s = Some(t_s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracker_after(times: &[f64]) -> StepTracker {
        let mut tracker = StepTracker::new(None);
        for t in times {
            tracker.accept(*t, 20.0);
        }
        tracker
    }

    #[test]
    fn locks_onto_a_steady_rhythm_and_measures_its_period() {
        let steps: Vec<f64> = (0..8).map(|k| f64::from(k) * 0.35).collect();
        let tracker = tracker_after(&steps);
        assert!(tracker.locked());
        assert!((tracker.period_s().unwrap() - 0.35).abs() < 1e-9);
        assert_eq!(tracker.weight(7.0 * 0.35 + 0.35), DUE_BOOST);
        assert_eq!(tracker.weight(7.0 * 0.35 + 0.1), 0.0, "too soon");
        let off_beat = tracker.weight(7.0 * 0.35 + 0.35 * 0.6);
        assert!(off_beat < 0.5, "{off_beat}");
    }

    #[test]
    fn a_missed_step_still_teaches_the_period() {
        let tracker = tracker_after(&[0.0, 0.33, 0.66, 1.32, 1.65, 1.98]);
        assert!((tracker.period_s().unwrap() - 0.33).abs() < 1e-9);
        assert!(tracker.locked());
    }

    #[test]
    fn irregular_onsets_do_not_lock() {
        let tracker = tracker_after(&[0.0, 0.3, 0.75, 1.0, 1.5, 1.7, 2.3]);
        assert!(!tracker.locked());
        assert_eq!(tracker.weight(2.3 + 0.43), 1.0);
    }
}

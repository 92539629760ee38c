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
/// For the cadence, an interval shorter than this share of the recent
/// median is joined to one beside it: a runner's own intervals stay within
/// about a tenth of each other, while a clatter taken for a step splits one
/// step in two.
const JOINED_SHARE: f64 = 0.75;
/// Intervals the asymmetry looks at (an even number: left, right, ...).
const ASYMMETRY_STEPS: usize = 16;
/// A gap longer than this is a pause, not a slow step.
const LONGEST_STEP_S: f64 = 1.0;
/// The steps are heard steadily when all but one of the last
/// `CADENCE_STEPS` intervals (a missed step's counted as two) are within
/// this share of their median: a runner's own jitter and one foot's lead
/// move an interval by up to about a tenth, while steps the detector
/// missed or a clatter taken for a step leave intervals of one and a half,
/// two or half a step, which no runner makes.
const STEADY_SHARE: f64 = 0.15;

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
    /// Whether the last few steps were heard steadily (see `steady`): if
    /// not, the cadence and the lag say more about the hearing than the
    /// runner.
    pub steady: bool,
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
        let mut lag_ms = match self.lag_ms {
            Some(previous) if beat_s > 0.0 => {
                let beat_ms = beat_s * 1000.0;
                let turns = ((previous - offset_ms) / beat_ms).round();
                offset_ms + turns * beat_ms
            }
            _ => offset_ms,
        };
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
        let steady = self.steady();
        if !steady {
            // A step taken for another, or a run of missed ones, may have
            // unwrapped the lag by a whole beat: start it again from here.
            lag_ms = offset_ms;
        }
        self.lag_ms = Some(lag_ms);
        AlignedStep {
            t_s,
            offset_ms,
            lag_ms,
            cadence_spm: self.cadence_spm(),
            steady,
        }
    }

    /// The last few intervals, a missed step's counted as two, and how
    /// many steps each spans.
    fn recent_steps(&self) -> Option<Vec<f64>> {
        if self.intervals.len() < 3 {
            return None;
        }
        let from = self.intervals.len().saturating_sub(CADENCE_STEPS);
        let mut recent: Vec<f64> = self.intervals[from..].to_vec();
        let rough = median(&mut recent.clone());
        for interval in &mut recent {
            *interval /= (*interval / rough).round().max(1.0);
        }
        Some(recent)
    }

    /// Whether the recent steps were heard steadily: all but one of the
    /// last intervals (a missed step's counted as two) within
    /// `STEADY_SHARE` of their median. Not until a few intervals have
    /// been heard since the start or a pause.
    pub fn steady(&self) -> bool {
        let Some(recent) = self.recent_steps() else {
            return false;
        };
        let middle = median(&mut recent.clone());
        let off = recent
            .iter()
            .filter(|i| (*i - middle).abs() > STEADY_SHARE * middle)
            .count();
        off <= 1
    }

    /// Median-based cadence over the last few intervals; an interval of
    /// about two steps (a step not heard) counts as two, and an interval
    /// much shorter than the others (a clatter taken for a step split one
    /// in two) is joined to the one beside it that makes the sum closest
    /// to whole steps.
    ///
    /// The median is of strides (two steps beside each other, halved), not
    /// of single steps: many runners' weaker foot lands early, so their
    /// steps alternate long and short, and the median of single steps is
    /// then the mean of the longest short and the shortest long one, which
    /// one step dated late moves by half its error. A stride holds one step
    /// of each foot, and a step dated late moves at most two of them, so
    /// strides are read only once there are five (until then, as at the
    /// first steps of a run, single steps).
    pub fn cadence_spm(&self) -> Option<f64> {
        if self.intervals.len() < 3 {
            return None;
        }
        let from = self.intervals.len().saturating_sub(CADENCE_STEPS);
        let rough = median(&mut self.intervals[from..].to_vec());
        // Clatters pull the raw intervals' median short; the steps they
        // were joined into give a better one to join them again by.
        let first = self.steps_of(rough);
        if first.len() < 3 {
            return None;
        }
        let again = self.steps_of(median(&mut first.clone()));
        let mut steps = if again.len() >= 3 { again } else { first };
        if steps.len() < CADENCE_STEPS {
            // Fewer strides than five: one step dated wrong touches two of
            // them, and their median would be it. Single steps meanwhile.
            return Some(60.0 / median(&mut steps));
        }
        let mut strides: Vec<f64> = steps.windows(2).map(|w| 0.5 * (w[0] + w[1])).collect();
        Some(60.0 / median(&mut strides))
    }

    /// The last `CADENCE_STEPS` steps, taking a step to be about `rough`
    /// (see `cadence_spm`).
    fn steps_of(&self, rough: f64) -> Vec<f64> {
        let mut pieces = self.intervals.clone();
        while let Some((short, &length)) = pieces
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1))
            .filter(|(_, length)| **length < JOINED_SHARE * rough)
        {
            let off_whole = |sum: f64| ((sum / rough) - (sum / rough).round()).abs();
            let before = short.checked_sub(1);
            let after = (short + 1 < pieces.len()).then_some(short + 1);
            let into = match (before, after) {
                (Some(b), Some(a)) => {
                    if off_whole(pieces[a] + length) < off_whole(pieces[b] + length) {
                        Some(a)
                    } else {
                        Some(b)
                    }
                }
                (b, a) => b.or(a),
            };
            if let Some(into) = into {
                pieces[into] += length;
            }
            pieces.remove(short);
        }
        let from = pieces.len().saturating_sub(CADENCE_STEPS);
        pieces[from..]
            .iter()
            .map(|p| p / (p / rough).round().max(1.0))
            .collect()
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
    fn feet_that_alternate_long_and_short_read_as_their_mean_with_the_last_step_late() {
        // 0.30 s then 0.25 s (218.2 spm), the latest step dated 30 ms late:
        // single steps' median reads 0.29 s (206.9 spm, 5.2 % low).
        let mut a = Aligner::new();
        let mut t = 0.0;
        for k in 0..11 {
            t += if k % 2 == 0 { 0.30 } else { 0.25 };
            a.step(t, None, None);
        }
        a.step(t + 0.25 + 0.03, None, None);
        let cadence = a.cadence_spm().unwrap();
        assert!((cadence - 60.0 / 0.275).abs() < 0.5, "{cadence}");
    }

    #[test]
    fn the_first_reading_is_not_moved_by_one_step_dated_late() {
        // Three intervals at 170 spm, the last step 157 ms late: two
        // strides would read 153 spm.
        let mut a = Aligner::new();
        for t in [0.0, 0.353, 0.706, 1.216] {
            a.step(t, None, None);
        }
        let cadence = a.cadence_spm().unwrap();
        assert!((cadence - 60.0 / 0.353).abs() < 0.5, "{cadence}");
    }

    #[test]
    fn any_intervals_give_a_cadence_or_none_and_never_panic() {
        let mut seed: u64 = 7;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..2000 {
            let mut a = Aligner::new();
            let mut t = 0.0;
            for _ in 0..20 {
                t += 0.001 + 1.2 * next() * next();
                a.step(t, None, None);
                if let Some(c) = a.cadence_spm() {
                    assert!(c.is_finite() && c > 0.0, "{c}");
                }
            }
        }
    }

    #[test]
    fn clatters_taken_for_steps_do_not_change_the_cadence() {
        // 200 spm; two clatters among six steps (one 100 ms after a step,
        // one 120 ms before a step that was then missed).
        let times = [
            0.0, 0.3, 0.6, 0.7, 0.9, 1.2, 1.5, 1.68, 2.1, 2.4, 2.7, 2.8, 3.0,
        ];
        let mut a = Aligner::new();
        for t in times {
            a.step(t, None, None);
        }
        let cadence = a.cadence_spm().unwrap();
        assert!((cadence - 200.0).abs() < 1.0, "{cadence}");
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
    fn steps_heard_now_and_then_are_not_steady_and_do_not_carry_a_wrapped_lag() {
        let mut a = Aligner::new();
        let beat = 0.35;
        let heard = [0, 1, 2, 3, 4, 5, 6, 8, 11, 12, 15, 17, 20];
        let mut last = None;
        for k in heard {
            let t = f64::from(k) * beat + 0.005;
            let before = (t / beat).floor() * beat;
            last = Some(a.step(t, Some(before), Some(before + beat)));
        }
        assert!(!last.unwrap().steady);
        // Two clatters taken for steps, each further off the beat, then
        // steps on the beat again: unwrapped through the clatters, the lag
        // would stay a whole beat behind.
        let mut a = Aligner::new();
        let place = |a: &mut Aligner, t: f64| {
            let before = (t / beat).floor() * beat;
            a.step(t, Some(before), Some(before + beat)).lag_ms
        };
        for k in 0..10 {
            place(&mut a, f64::from(k) * beat);
        }
        place(&mut a, 10.0 * beat + 0.12);
        place(&mut a, 11.0 * beat + 0.24);
        let mut lag = 0.0;
        for k in 12..30 {
            lag = place(&mut a, f64::from(k) * beat);
        }
        assert!(lag.abs() < 1.0, "{lag}");
    }

    #[test]
    fn a_runner_slowing_steadily_is_heard_steadily() {
        let mut a = Aligner::new();
        let mut t = 0.0;
        for k in 0..30 {
            t += 0.33 * (1.0 + 0.003 * f64::from(k)) + if k % 2 == 0 { 0.008 } else { -0.008 };
            let steady = a.step(t, None, None).steady;
            // From the fourth step (three intervals) on.
            assert_eq!(steady, k >= 3, "{k}");
        }
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

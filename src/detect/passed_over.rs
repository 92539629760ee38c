//! The candidates the detector passed over, remembered for a moment: a
//! step accepted just after one of them may have begun there.
//!
//! Why: a faint heel can fall short of the bar while the louder forefoot,
//! or the boom a reverberant room lends the step, clears it a few
//! milliseconds later. The step is then dated by the part that cleared the
//! bar, up to 25 ms after the foot landed, and a report that looks like
//! news by that date is already late. The detector judges whether such a
//! step is still news from the earliest candidate it passed over just
//! before it (see `onset`). Nothing here dates or adds a step.

/// Candidates remembered: a step is at least 180 ms after the last, and
/// candidates are at least 12 ms apart, so this covers every window the
/// detector asks about.
const KEPT: usize = 4;

#[derive(Debug, Clone, Default)]
pub struct PassedOver {
    /// Where each candidate's rise began (sample index), and its strength.
    starts: [u64; KEPT],
    strengths: [f32; KEPT],
    count: usize,
}

impl PassedOver {
    /// Remembers a candidate that did not clear the bar.
    pub fn remember(&mut self, start: u64, strength: f32) {
        self.starts[self.count % KEPT] = start;
        self.strengths[self.count % KEPT] = strength;
        self.count += 1;
    }

    /// Where the earliest candidate of at least `min_strength` began, of
    /// those that began less than `window` samples before `start`.
    pub fn earliest_before(&self, start: u64, window: u64, min_strength: f32) -> Option<u64> {
        let kept = self.count.min(KEPT);
        self.starts[..kept]
            .iter()
            .zip(&self.strengths[..kept])
            .filter(|(s, strength)| {
                **s < start && start - **s <= window && **strength >= min_strength
            })
            .map(|(s, _)| *s)
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_earliest_strong_enough_candidate_within_the_window_is_found() {
        let mut passed = PassedOver::default();
        passed.remember(1000, 5.0);
        passed.remember(1600, 1.0);
        passed.remember(1800, 4.0);
        assert_eq!(passed.earliest_before(2000, 1200, 3.0), Some(1000));
        assert_eq!(passed.earliest_before(2000, 500, 3.0), Some(1800));
        assert_eq!(passed.earliest_before(2000, 500, 0.5), Some(1600));
        assert_eq!(passed.earliest_before(2000, 100, 0.5), None);
    }

    #[test]
    fn candidates_after_the_step_and_forgotten_ones_do_not_count() {
        let mut passed = PassedOver::default();
        passed.remember(100, 9.0);
        for start in [2100, 2200, 2300, 2400] {
            passed.remember(start, 9.0);
        }
        assert_eq!(passed.earliest_before(2000, 10_000, 1.0), None);
        assert_eq!(passed.earliest_before(2350, 10_000, 1.0), Some(2100));
    }
}

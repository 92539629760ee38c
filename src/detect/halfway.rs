//! Was the other foot heard halfway between the steps tracked?
//!
//! A tracker that learned its rhythm from every other step (the weak foot
//! unheard at a cold start, a fast cadence) stays there: the steps it
//! misses come halfway through its period, where a candidate counts least.
//! They are still heard, as candidates passed over. When most recent
//! periods had one halfway through, strong enough for a step of the weaker
//! foot, the cadence tracked is half the runner's (see `tracker`).

/// Periods remembered (`TrackerParams::memory` is clamped to at most this
/// by the tracker).
const VOTES: usize = 16;

#[derive(Debug, Clone, Default)]
pub struct HalfwayVotes {
    /// The strongest candidate heard halfway through the current period.
    strongest: f32,
    /// Per period closed, whether a candidate as strong as a step of the
    /// weaker foot was heard halfway through it.
    votes: [bool; VOTES],
    closed: usize,
}

impl HalfwayVotes {
    /// A candidate passed over halfway through the current period.
    pub fn heard(&mut self, strength: f32) {
        self.strongest = self.strongest.max(strength);
    }

    /// The period ends with a step: votes whether a candidate of at least
    /// `enough` was heard halfway through it (kept over the last `memory`).
    pub fn close_period(&mut self, enough: f32, memory: usize) {
        self.votes[self.closed % memory.clamp(1, VOTES)] = self.strongest >= enough;
        self.closed += 1;
    }

    /// A step was accepted: the next period starts with nothing heard.
    pub fn forget_heard(&mut self) {
        self.strongest = 0.0;
    }

    /// How many of the last `memory` periods had the other foot halfway.
    pub fn count(&self, memory: usize) -> usize {
        let n = self.closed.min(memory.clamp(1, VOTES));
        self.votes[..n].iter().filter(|v| **v).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_periods_with_a_strong_enough_halfway_candidate_vote() {
        let mut votes = HalfwayVotes::default();
        for strength in [10.0, 2.0, 8.0, 0.0] {
            votes.heard(strength);
            votes.close_period(5.0, 8);
            votes.forget_heard();
        }
        assert_eq!(votes.count(8), 2);
        // Only the last `memory` periods count.
        for _ in 0..3 {
            votes.close_period(5.0, 3);
        }
        assert_eq!(votes.count(3), 0);
    }
}

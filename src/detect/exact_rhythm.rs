//! A rhythm kept to the millisecond: a machine's, never a runner's.
//!
//! A runner's steps wander a few milliseconds either side of their line
//! (4–9 ms step to step, and the foot is dated within a hop or two); a
//! drum machine, a produced track or a metronome keeps its beat to the
//! sample. When the tracker has taken the beat of loud music for the steps
//! (the runner passing through the music's phase under a sag), the steps
//! it then holds lie on their line to a millisecond or two. Over the
//! 19,043 windows of 24 true steps in the corpus's standard mixes (every
//! source), at most 13 of 24 lay within 2 ms of their line; the music's
//! beats, taken for steps, 15 or more in 42 % of their windows, up to all
//! 24. So when `agree` of the last `steps` taken (16 of 24) lie within
//! `within_s` (2 ms) of their line, the line is a machine's: its grid is
//! kept (followed beat by beat, a fifth of the way to each candidate heard
//! on it) and no candidate on it is taken for a step again, so that the
//! tracker goes back to the runner's own sound, the steps drifting
//! through the beat. Steps laid on an exact grid themselves (a
//! simulation's) would all be refused: a grid that refuses `alone_after`
//! candidates before any step is taken beside it is dropped, and no other
//! is looked for.
//!
//! A step landing within `tolerance_s` of a beat is lost with it; with the
//! runner's own jitter, about a quarter of the steps while runner and beat
//! coincide, and none elsewhere.

use super::params::ExactParams;
use super::stats::{median, theil_sen, LINE_POINTS};

/// Steps a window may hold (`ExactParams::steps` is clamped to it).
const STEPS_CAP: usize = LINE_POINTS;
/// Machines' grids followed at once (a beat and its off-beat, say).
const GRIDS: usize = 4;
/// How far the grid moves towards each beat heard on it.
const FOLLOW: f64 = 0.2;

/// A machine's beat: where it was last heard, and its period.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Grid {
    /// When it was first found, and how many periods later last heard.
    first_s: f64,
    last_s: f64,
    beats: f64,
    period_s: f64,
}

impl Grid {
    /// How far `t_s` is from the grid's nearest beat, and that beat's
    /// number counted from the last one heard.
    fn off(&self, t_s: f64) -> (f64, f64) {
        let beats = ((t_s - self.last_s) / self.period_s).round();
        (t_s - (self.last_s + beats * self.period_s), beats)
    }
}

#[derive(Debug, Clone)]
pub struct ExactRhythm {
    /// The last steps taken (a ring; `count` in all).
    taken: [f64; STEPS_CAP],
    count: usize,
    grids: [Option<Grid>; GRIDS],
    /// Candidates refused on a grid since the last step taken.
    refused: usize,
    /// Whether a step was taken since the newest grid was found.
    stepped_beside: bool,
    /// Cleared for good once the steps themselves were on a grid.
    looking: bool,
    p: ExactParams,
}

impl ExactRhythm {
    pub fn new(params: ExactParams) -> ExactRhythm {
        let mut p = params;
        // Fewer than three steps make no line to be off: never look.
        p.steps = if p.steps < 3 {
            0
        } else {
            p.steps.min(STEPS_CAP)
        };
        ExactRhythm {
            taken: [0.0; STEPS_CAP],
            count: 0,
            grids: [None; GRIDS],
            refused: 0,
            stepped_beside: false,
            looking: true,
            p,
        }
    }

    /// Whether a candidate at `t_s` falls on a machine's beat (and so is
    /// never a step). A candidate on it moves the grid a fifth of the way
    /// to where it was heard; a grid unheard for `lost_after` periods is
    /// forgotten (the music stopped or changed).
    pub fn heard(&mut self, t_s: f64) -> bool {
        let mut on_beat = false;
        for slot in &mut self.grids {
            let Some(grid) = slot else {
                continue;
            };
            let (off, beats) = grid.off(t_s);
            if off.abs() <= self.p.tolerance_s && beats >= 1.0 {
                grid.beats += beats;
                // A fifth of the way to each beat heard: one dated a
                // millisecond off moves the grid little.
                grid.last_s = t_s - off + FOLLOW * off;
                // Over a long stretch the period is measured from the
                // first beat: each beat's dating error then counts once.
                if grid.beats >= 2.0 * self.p.steps as f64 {
                    grid.period_s = (grid.last_s - grid.first_s) / grid.beats;
                }
                on_beat = true;
            } else if off.abs() <= self.p.tolerance_s {
                on_beat = true;
            } else if t_s - grid.last_s > self.p.lost_after * grid.period_s {
                *slot = None;
            }
        }
        if on_beat {
            self.refused += 1;
            if self.refused >= self.p.alone_after && !self.stepped_beside {
                // Not one step taken since the newest grid was found, and
                // nothing but it heard for this long: it is the runner's
                // own (steps laid on a grid by a machine, as a test or a
                // simulation would), not a beat beside them. (Once steps
                // were taken beside it, a runner who stops while the music
                // plays on leaves it refused.)
                self.grids = [None; GRIDS];
                self.looking = false;
            }
        }
        on_beat
    }

    /// A step was taken at `t_s`: are the last ones a machine's?
    pub fn step(&mut self, t_s: f64) {
        self.taken[self.count % STEPS_CAP] = t_s;
        self.count += 1;
        self.refused = 0;
        self.stepped_beside = true;
        if !self.looking || self.p.steps == 0 || self.count < self.p.steps {
            return;
        }
        let Some(grid) = self.exact_line() else {
            return;
        };
        if self.grids.iter().flatten().any(|g| {
            (g.period_s - grid.period_s).abs() <= self.p.tolerance_s
                && g.off(t_s).0.abs() <= self.p.tolerance_s
        }) {
            return;
        }
        if let Some(free) = self.grids.iter_mut().find(|g| g.is_none()) {
            *free = Some(grid);
            self.stepped_beside = false;
        }
    }

    /// The step just taken was replaced by one at `t_s`.
    pub fn replaced(&mut self, t_s: f64) {
        if self.count > 0 {
            self.taken[(self.count - 1) % STEPS_CAP] = t_s;
        }
    }

    /// The steps taken so far moved (the tracker took another rhythm):
    /// none of them is a window of one rhythm any more.
    pub fn forget_steps(&mut self) {
        self.count = 0;
    }

    /// The line through the last `steps` taken, as a grid, if `agree` of
    /// them lie within `within_s` of it (each numbered by the median
    /// interval; a window with two on one number is no rhythm).
    fn exact_line(&self) -> Option<Grid> {
        let n = self.p.steps;
        let mut times = [0.0; STEPS_CAP];
        for (back, t) in times[..n].iter_mut().rev().enumerate() {
            *t = self.taken[(self.count - 1 - back) % STEPS_CAP];
        }
        let times = &times[..n];
        let mut intervals = [0.0; STEPS_CAP];
        for (i, w) in intervals.iter_mut().zip(times.windows(2)) {
            *i = w[1] - w[0];
        }
        let period = median(&mut intervals[..n - 1]);
        if period <= 0.0 {
            return None;
        }
        let mut numbers = [0.0; STEPS_CAP];
        for (k, t) in numbers.iter_mut().zip(times) {
            *k = ((t - times[0]) / period).round();
        }
        if numbers[..n].windows(2).any(|w| w[1] <= w[0]) {
            return None;
        }
        let (at_zero, slope) = theil_sen(times, &numbers[..n]);
        let on_line = times
            .iter()
            .zip(&numbers)
            .filter(|(t, k)| (*t - (at_zero + *k * slope)).abs() <= self.p.within_s)
            .count();
        (on_line >= self.p.agree).then(|| {
            let last = at_zero + numbers[n - 1] * slope;
            Grid {
                first_s: last,
                last_s: last,
                beats: 0.0,
                period_s: slope,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact() -> ExactRhythm {
        ExactRhythm::new(ExactParams::default())
    }

    /// A small deterministic wobble in [-1, 1).
    fn wobble(k: usize) -> f64 {
        ((k * 7919 + 13) % 200) as f64 / 100.0 - 1.0
    }

    /// `e` after a window of beats every `period` from 0, each within
    /// 0.4 ms of the grid.
    fn after_beats(e: &mut ExactRhythm, period: f64) {
        for k in 0..ExactParams::default().steps {
            e.step(k as f64 * period + 0.0004 * wobble(k));
        }
    }

    #[test]
    fn a_beat_kept_to_the_millisecond_is_a_machines() {
        let mut e = exact();
        after_beats(&mut e, 0.3333);
        assert!(e.heard(40.0 * 0.3333));
        assert!(!e.heard(41.0 * 0.3333 + 0.02));
    }

    #[test]
    fn a_runners_steps_are_not() {
        // Steadier than any runner of the corpus (4–9 ms sd): spread
        // evenly over ±4 ms, 2.3 ms sd.
        let mut e = exact();
        for k in 0..400 {
            e.step(1.0 + k as f64 * 0.35 + 0.004 * wobble(k));
            assert!(!e.heard(1.0 + (k + 1) as f64 * 0.35), "step {k}");
        }
    }

    #[test]
    fn the_grid_follows_a_beat_heard_and_is_forgotten_unheard() {
        let mut e = exact();
        let period = 60.0 / 180.0;
        after_beats(&mut e, period);
        // Heard on the beat for a minute, each dated to the millisecond,
        // with a step taken in each gap.
        for k in 24..204 {
            let t = (k as f64 * period * 1000.0).round() / 1000.0;
            assert!(e.heard(t), "beat {k}");
            e.step(t + 0.1 + 0.006 * wobble(k));
        }
        let unheard = 204.0 * period + ExactParams::default().lost_after * period + 0.1;
        e.heard(unheard);
        assert!(!e.heard(230.0 * period));
    }

    #[test]
    fn a_runner_who_stops_leaves_the_beat_refused() {
        let mut e = exact();
        let period = 60.0 / 180.0;
        after_beats(&mut e, period);
        for k in 24..40 {
            assert!(e.heard(k as f64 * period), "beat {k}");
            e.step(k as f64 * period + 0.15 + 0.006 * wobble(k));
        }
        // Off onto the side rails: the music plays on.
        for k in 40..80 {
            assert!(e.heard(k as f64 * period), "beat {k}");
        }
    }

    #[test]
    fn a_window_too_short_for_a_line_never_looks() {
        let mut e = ExactRhythm::new(ExactParams {
            steps: 1,
            ..ExactParams::default()
        });
        for k in 0..40 {
            e.step(k as f64 * 0.3333);
        }
        assert!(!e.heard(41.0 * 0.3333));
    }

    #[test]
    fn a_grid_with_no_step_beside_it_was_the_runners() {
        let mut e = exact();
        let period = 0.35;
        after_beats(&mut e, period);
        let alone = ExactParams::default().alone_after;
        for k in 24..24 + alone {
            assert!(e.heard(k as f64 * period), "beat {k}");
        }
        for k in 24 + alone..200 {
            let t = k as f64 * period;
            assert!(!e.heard(t), "step {k}");
            e.step(t);
        }
    }
}

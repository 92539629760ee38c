//! The step tracker: what the detector knows of the rhythm so far, used to
//! judge a candidate by *when* it comes, never to invent a step.
//!
//! Footsteps are nearly periodic; music, a dropped bottle or a neighbour's
//! treadmill are not in that period. Once a few steps agree on a period
//! (their intervals, or their places on the line), the tracker knows where
//! the next step is due: a line through the recent steps (time against
//! step number, a missed step still numbered, each step numbered by where
//! the line has steps due), fitted by medians so that one step heard early
//! or late, or one clatter taken for a step, moves neither the period nor
//! the phase. A candidate close to
//! where a step is due is believed at a lower strength; one before that, or
//! well after it, must be louder to count. A candidate right after a step
//! is never a new step (heel-then-forefoot double strikes, echoes); but
//! until the rhythm is trusted, one twice as loud and no further
//! off the rhythm takes the last step's place (a beat of the music just
//! before each step, taken at a cold start, would else hold the rhythm).
//! Trusted or not, when a louder sound has followed most recent steps at
//! one delay, the whole rhythm moves to it (`move_to`, decided by the
//! detector's `rival`). A setting, off as shipped, lets a step taken only
//! because it was due (a guess, fainter than the bar) give its place to a
//! sound as strong as the steps in the gap after it (`outweighs_guess`).
//! A rhythm learned from every other step (a weak foot unheard at a cold
//! start) is halved once the other foot is heard halfway through most
//! periods (`halfway`); nothing ever doubles the period.
//! With a target cadence, at a cold start, an interval shorter than the
//! target's period by more than the window a step is on time in does not
//! measure the period, and the line starts again after it: music or a
//! clatter between two steps made it, not a runner near the target.
//! Nothing here ever reports a step that was not heard: the tracker only
//! scales the bar a heard candidate must clear.

use super::halfway::HalfwayVotes;
use super::params::TrackerParams;
use super::stats::{median, theil_sen, LINE_POINTS};

/// Capacity of the rings of recent intervals and strengths
/// (`TrackerParams::memory` is clamped to it).
const MEMORY_CAP: usize = 16;
/// Capacity of the ring of steps the line is fitted through
/// (`TrackerParams::line_steps` is clamped to it).
const LINE_CAP: usize = LINE_POINTS;
/// Intervals the period is measured from (until then it is the target
/// cadence, if any).
const MEASURED_AFTER: usize = 3;

#[derive(Debug, Clone)]
pub struct StepTracker {
    /// Expected time between steps, once known (hinted or measured).
    period_s: Option<f64>,
    /// The target cadence's period, if any (the period began as it).
    hint_s: Option<f64>,
    /// Recent steps and their numbers in the current run of steps.
    step_times: [f64; LINE_CAP],
    step_numbers: [i64; LINE_CAP],
    step_count: usize,
    /// The Theil-Sen fit through those steps (`fit_line`), refitted only
    /// when a step is numbered or renumbered: every candidate is judged
    /// against it, several times.
    fitted: (f64, f64),
    intervals: [f64; MEMORY_CAP],
    interval_count: usize,
    strengths: [f32; MEMORY_CAP],
    strength_count: usize,
    /// The last step's gap from the one before it was counted as an
    /// interval, over this many periods (1, or 2 across a missed step), so
    /// that a step taking its place can correct it.
    last_measured: Option<f64>,
    /// Whether a step was heard halfway through each recent period (see
    /// `halfway`).
    halfway: HalfwayVotes,
    /// The last step was taken only because it came where one was due
    /// (see `outweighs_guess`).
    last_guessed: bool,
    /// The tuning constants (ring sizes clamped).
    p: TrackerParams,
}

impl StepTracker {
    /// The tracker as shipped (`TrackerParams::default()`).
    pub fn new(cadence_hint_spm: Option<f64>) -> StepTracker {
        StepTracker::with_params(cadence_hint_spm, TrackerParams::default())
    }

    pub fn with_params(cadence_hint_spm: Option<f64>, params: TrackerParams) -> StepTracker {
        let mut p = params;
        p.memory = p.memory.clamp(1, MEMORY_CAP);
        p.line_steps = p.line_steps.clamp(2, LINE_CAP);
        let hint_s =
            cadence_hint_spm.map(|spm| (60.0 / spm).clamp(p.fastest_period_s, p.slowest_period_s));
        StepTracker {
            hint_s,
            period_s: hint_s,
            step_times: [0.0; LINE_CAP],
            step_numbers: [0; LINE_CAP],
            step_count: 0,
            fitted: (0.0, 0.0),
            intervals: [0.0; MEMORY_CAP],
            interval_count: 0,
            strengths: [0.0; MEMORY_CAP],
            strength_count: 0,
            last_measured: None,
            halfway: HalfwayVotes::default(),
            last_guessed: false,
            p,
        }
    }

    /// How much of a candidate's strength counts at time `t_s`: 0 for one
    /// too close after the last step, less than 1 for one off the rhythm.
    pub fn weight(&self, t_s: f64) -> f32 {
        let Some(last) = self.last_s() else {
            return 1.0;
        };
        if t_s - last < self.min_gap_s() {
            return 0.0;
        }
        let Some((off, trusted)) = self.off_due(t_s) else {
            return 1.0;
        };
        let outside = if off < 0.0 {
            -off - self.p.early_window
        } else {
            off - self.p.late_window
        };
        if outside <= 0.0 {
            // Where a step is due, a fainter candidate is believed: the
            // rhythm is evidence too (but only for what was heard).
            self.p.due_boost
        } else if trusted {
            (1.0 - outside * self.p.off_beat_slope).max(self.p.off_beat_floor) as f32
        } else {
            1.0
        }
    }

    /// Nothing this soon after a step starts another. Before the period is
    /// known, only the absolute gap: a share of the slowest period would
    /// be longer than a fast runner's whole step.
    fn min_gap_s(&self) -> f64 {
        match self.period_s {
            Some(period) if self.measured() => {
                self.p.min_gap_s.max(self.p.min_gap_periods * period)
            }
            _ => self.p.first_gap_s,
        }
    }

    /// The period has been measured on the runner's own steps (until then
    /// it is at most the target cadence, which the runner may not hold yet:
    /// no reason to take a candidate sooner after a step than without it).
    fn measured(&self) -> bool {
        self.interval_count.min(self.p.memory) >= MEASURED_AFTER
    }

    /// How long after where the runner's own rhythm put a step `t_s` is
    /// (negative when before it); `None` until that rhythm is known.
    pub fn after_due_s(&self, t_s: f64) -> Option<f64> {
        match (self.off_due(t_s)?, self.period_s) {
            ((off, true), Some(period)) => Some(off * period),
            _ => None,
        }
    }

    /// How far `t_s` is from where the next step (or the one after, if one
    /// was missed) is due, in periods, negative when early, and whether
    /// that is known from the runner's own rhythm (`true`) or only from the
    /// last step and the period so far, which began as the target cadence.
    /// That places a window where a fainter step is believed from the first
    /// step on, but judges nothing outside it: the runner may not be at the
    /// target yet. `None` without a target until the rhythm is known, or
    /// when the tracker has lost it.
    fn off_due(&self, t_s: f64) -> Option<(f64, bool)> {
        let (Some(last), Some(period)) = (self.last_s(), self.period_s) else {
            return None;
        };
        let beats = ((t_s - last) / period).round().max(1.0);
        if beats > 2.0 {
            return None;
        }
        if self.locked() {
            let number = self.nearest_number(t_s, period);
            Some(((t_s - self.due_s(number)) / period, true))
        } else if self.hint_s.is_some() {
            Some(((t_s - last) / period - beats, false))
        } else {
            None
        }
    }

    /// When step `number` is due: the line through the recent steps, its
    /// slope the median of the slopes between every two of them and its
    /// offset the median of where each puts the step (Theil-Sen).
    fn due_s(&self, number: i64) -> f64 {
        let (at_zero, slope) = self.line();
        at_zero + number as f64 * slope
    }

    /// The line through the recent steps: when step 0 of the run is due
    /// and the period it gives. Through fewer than two steps, the period so
    /// far through the last step.
    fn line(&self) -> (f64, f64) {
        if self.step_count.min(self.p.line_steps) >= 2 {
            return self.fitted;
        }
        let slope = self.period_s.unwrap_or(self.p.slowest_period_s);
        match self.last_s() {
            Some(last) => (
                last - self.step_numbers[(self.step_count - 1) % self.p.line_steps] as f64 * slope,
                slope,
            ),
            None => (0.0, slope),
        }
    }

    /// Fits the line through the recent steps (two or more): its slope the
    /// median of the slopes between every two of them, its offset the
    /// median of where each puts step 0.
    fn fit_line(&mut self) {
        let lines = self.p.line_steps;
        let n = self.step_count.min(lines);
        if n < 2 {
            return;
        }
        let (mut times, mut numbers) = ([0.0; LINE_CAP], [0.0; LINE_CAP]);
        for back in 0..n {
            let slot = (self.step_count - 1 - back) % lines;
            times[back] = self.step_times[slot];
            numbers[back] = self.step_numbers[slot] as f64;
        }
        self.fitted = theil_sen(&times[..n], &numbers[..n]);
    }

    /// The number of the step `t_s` is nearest to on the line, the last
    /// step's own number at the least: a step is numbered by where the
    /// line has steps due, not by its gap from the last one. A clatter
    /// accepted about halfway between two steps would otherwise push every
    /// later step's number one on, and the line, fitted through two groups
    /// of steps a step apart, would put steps due where none come.
    fn nearest_number(&self, t_s: f64, period: f64) -> i64 {
        let last = self.step_numbers[(self.step_count - 1) % self.p.line_steps];
        let beats = ((t_s - self.due_s(last)) / period).round().max(0.0);
        last + beats as i64
    }

    /// A period is trusted once enough recent intervals agree on it, or
    /// the recent steps lie on the line. Intervals alone lose the lock on
    /// a runner whose feet alternate long and short steps, each dated a
    /// little off at 0 dB: an interval carries the error of two steps.
    /// Unlocked, nothing is judged off the beat, music between the steps
    /// is taken for steps, and the true step right after one is inside the
    /// gap: the intervals never agree again (minetest "music half cadence"
    /// from 21 s on). The line, one step per number and fitted by medians,
    /// still has the steps on it.
    pub fn locked(&self) -> bool {
        if self.interval_count < self.p.lock_intervals {
            return false;
        }
        let Some(period) = self.period_s else {
            return false;
        };
        let n = self.interval_count.min(self.p.memory);
        let mut spread = [0.0; MEMORY_CAP];
        for (s, i) in spread.iter_mut().zip(&self.intervals[..n]) {
            *s = (i - period).abs();
        }
        median(&mut spread[..n]) < self.p.lock_spread * period || self.on_the_line(period)
    }

    /// Whether the last `memory` steps of the run are, by their median,
    /// within `lock_spread` of a period of where the line has them due.
    /// Not on fewer: the line is fitted through them, and through five
    /// steps (one step per number) three irregular onsets can lie on it.
    fn on_the_line(&self, period: f64) -> bool {
        let lines = self.p.line_steps;
        let n = self.step_count.min(self.p.memory).min(lines);
        if n < self.p.memory.max(self.p.lock_intervals + 1) {
            return false;
        }
        let (at_zero, slope) = self.line();
        let mut off = [0.0; MEMORY_CAP];
        for (back, o) in off[..n].iter_mut().enumerate() {
            let s = (self.step_count - 1 - back) % lines;
            *o = (self.step_times[s] - at_zero - self.step_numbers[s] as f64 * slope).abs();
        }
        median(&mut off[..n]) < self.p.lock_spread * period
    }

    /// The typical strength for the detector's threshold at `now_s`: as
    /// `typical_strength`, but a strength taken from fewer than
    /// `MEASURED_AFTER` steps is forgotten once no step has followed them
    /// for `lost_after` periods (of the slowest period before one is
    /// known). One loud sound before the runner's first step (a door,
    /// the belt starting: `tests/detector_capture_opens.rs`) would
    /// otherwise set a bar no step reaches, and nothing is heard again.
    pub fn typical_strength_at(&self, now_s: f64) -> Option<f32> {
        let few = self.strength_count < MEASURED_AFTER;
        let period = self.period_s.unwrap_or(self.p.slowest_period_s);
        let alone = self
            .last_s()
            .is_some_and(|last| now_s - last > self.p.lost_after * period);
        if few && alone {
            return None;
        }
        self.typical_strength()
    }

    /// The typical strength of recent steps, for the detector's threshold.
    pub fn typical_strength(&self) -> Option<f32> {
        if self.strength_count < self.p.strengths_for_bar.max(1) {
            return None;
        }
        let n = self.strength_count.min(self.p.memory);
        let mut recent = self.strengths;
        let mut as_f64 = [0.0f64; MEMORY_CAP];
        for (d, s) in as_f64.iter_mut().zip(&mut recent[..n]) {
            *d = f64::from(*s);
        }
        Some(median(&mut as_f64[..n]) as f32)
    }

    /// The current period estimate, if any.
    pub fn period_s(&self) -> Option<f64> {
        self.period_s
    }

    /// A candidate that was not taken for a step: heard halfway through a
    /// period, it may be the other foot of a runner tracked at half the
    /// cadence (see `halfway`).
    pub fn pass_over(&mut self, t_s: f64, strength: f32) {
        if let (Some(last), Some(period), true) = (self.last_s(), self.period_s, self.locked()) {
            let from_half = (t_s - last) / period - 0.5;
            if from_half.abs() <= self.p.halfway_window {
                self.halfway.heard(strength);
            }
        }
    }

    /// Records an accepted step.
    pub fn accept(&mut self, t_s: f64, strength: f32) {
        self.last_guessed = false;
        if let (Some(last), Some(period), Some(typical)) =
            (self.last_s(), self.period_s, self.typical_strength())
        {
            // One period from the last step to this one: was the other
            // foot heard between them?
            let one_period = ((t_s - last) / period).round() == 1.0;
            if self.locked() && one_period {
                self.halfway
                    .close_period(self.p.halfway_share * typical, self.p.memory);
            }
        }
        self.halfway.forget_heard();
        self.last_measured = None;
        self.strengths[self.strength_count % self.p.memory] = strength;
        self.strength_count += 1;
        let same_number = match (self.last_s(), self.period_s) {
            (Some(last), Some(period)) if t_s - last < self.p.lost_after * period => {
                self.nearest_number(t_s, period)
                    == self.step_numbers[(self.step_count - 1) % self.p.line_steps]
            }
            _ => false,
        };
        if let (Some(last), false) = (self.last_s(), same_number) {
            let gap = t_s - last;
            let period = self.period_s.unwrap_or(gap);
            // A gap of about two periods is one missed step: still a
            // measure of the period.
            let beats = (gap / period).round();
            let interval = if beats == 2.0 { gap / 2.0 } else { gap };
            let (fastest, slowest) = (self.p.fastest_period_s, self.p.slowest_period_s);
            // With a target, over the first `memory` steps and until the
            // period is measured, an interval shorter than the target's
            // period by more than the window a step is on time in (from
            // `early_window` before where it is due to `late_window` after)
            // is not counted: it cannot join two steps that were both where
            // the target has them due. Music or clatter taken for a step
            // at a cold start makes such intervals (red-library "music
            // half cadence" with `--cadence`: 0.26 s against 0.32 s, the
            // tracker on the music for 10 s); a runner's own steps, each a
            // few ms off, do not. Only shorter: an onset between two steps
            // shortens an interval, and a runner still below the target
            // is no reason to doubt the steps. One truly faster is
            // measured after those few steps.
            let short_of_target = match self.hint_s {
                Some(hint) if !self.measured() && self.strength_count <= self.p.memory => {
                    interval < (1.0 - self.p.early_window - self.p.late_window) * hint
                }
                _ => false,
            };
            if (fastest * 0.9..=slowest * 1.1).contains(&interval)
                && beats <= 2.0
                && !short_of_target
            {
                self.intervals[self.interval_count % self.p.memory] = interval;
                self.interval_count += 1;
                self.last_measured = Some(if beats == 2.0 { 2.0 } else { 1.0 });
                self.measure_period();
            }
            if short_of_target {
                // One of the two was not a step on the target's beat: the
                // line starts again from this one. Kept on it, such steps
                // tilt it once the period locks, and the runner's next
                // steps are due early (minetest, runner sagging behind the
                // clicks with `--cadence`: two steps not reported).
                self.step_count = 0;
            }
        }
        self.number_step(t_s);
        self.maybe_double_cadence();
    }

    /// The period: the median of the recent intervals, once there are
    /// enough of them.
    fn measure_period(&mut self) {
        let n = self.interval_count.min(self.p.memory);
        if n >= MEASURED_AFTER {
            let mut recent = self.intervals;
            self.period_s = Some(
                median(&mut recent[..n]).clamp(self.p.fastest_period_s, self.p.slowest_period_s),
            );
        }
    }

    /// Whether a candidate at `t_s`, too soon after the last step to be
    /// another, is so much stronger than it that the last one was most
    /// likely not the step: until the rhythm is trusted, the first sound
    /// of a pair is not always the foot. Music with a beat at the cadence
    /// a little before each step, taken once at a cold start, otherwise
    /// placed where every later step was due, and the steps, 70-100 ms
    /// after the beat and five times as loud, all fell in the gap after it
    /// (cdogs, music at half the cadence, with `--cadence`: F1 0.42). Not
    /// only before the period is measured: recorded music took the place
    /// of a step just after it was (cdogs, recorded music at half the
    /// cadence, with `--cadence`: 0.02).
    pub fn outweighs_last(&self, t_s: f64, strength: f32) -> bool {
        let Some(last) = self.last_s() else {
            return false;
        };
        self.p.outweigh_last > 0.0
            && t_s > last
            && !self.locked()
            && f64::from(strength) >= self.p.outweigh_last * f64::from(self.last_strength())
            && self.off_rhythm(t_s) <= self.off_rhythm(last)
    }

    /// The strength the last step was taken at (a step has been taken).
    fn last_strength(&self) -> f32 {
        self.strengths[(self.strength_count - 1) % self.p.memory]
    }

    /// Records that the step just accepted was taken only because it came
    /// where one was due: on its own it did not clear the bar.
    pub fn mark_last_guessed(&mut self) {
        self.last_guessed = true;
    }

    /// Whether a candidate at `t_s`, too soon after the last step to be
    /// another, takes the place of a last step that was only a guess (see
    /// `mark_last_guessed`): it clears the bar on its own, is as strong as
    /// the typical step and `outweigh_guess` times the guess, and comes
    /// `own_part_s` or more after it (sooner, the two are most likely one
    /// step, its faint start and its louder part). Trusted rhythm or not: a
    /// faint sound where a step was due, taken, puts the step itself in the
    /// gap after it, and the line, fitted through such guesses, stays on
    /// them (music near the cadence, a little ahead of each step; a faint
    /// sound before a step that comes just behind a metronome's click).
    pub fn outweighs_guess(&self, t_s: f64, strength: f32, bar: f32, own_part_s: f64) -> bool {
        let Some(last) = self.last_s() else {
            return false;
        };
        self.p.outweigh_guess > 0.0
            && self.last_guessed
            && t_s - last >= own_part_s
            && strength >= bar
            && self
                .typical_strength()
                .is_none_or(|typical| strength >= typical)
            && f64::from(strength) >= self.p.outweigh_guess * f64::from(self.last_strength())
    }

    /// How far `t_s` is, in periods, from a whole number of periods after
    /// the step before the last one: 0 without such a step or a period.
    /// A louder sound that is further off that rhythm than the last step
    /// does not take its place: a kick drum after a faint step.
    fn off_rhythm(&self, t_s: f64) -> f64 {
        let lines = self.p.line_steps;
        match (self.step_count.min(lines) >= 2, self.period_s) {
            (true, Some(period)) => {
                let before = self.step_times[(self.step_count - 2) % lines];
                let beats = (t_s - before) / period;
                (beats - beats.round()).abs()
            }
            _ => 0.0,
        }
    }

    /// Puts a step at `t_s` in the last one's place (see `outweighs_last`):
    /// its number, its interval and its strength.
    pub fn replace_last(&mut self, t_s: f64, strength: f32) {
        let Some(last) = self.last_s() else {
            return;
        };
        if let Some(periods) = self.last_measured {
            self.intervals[(self.interval_count - 1) % self.p.memory] += (t_s - last) / periods;
            self.measure_period();
        }
        self.strengths[(self.strength_count - 1) % self.p.memory] = strength;
        self.step_times[(self.step_count - 1) % self.p.line_steps] = t_s;
        self.last_guessed = false;
        self.fit_line();
    }

    /// The rhythm was another sound's (see `rival`): every step on the
    /// line moves `delay_s` later, and the last one to `t_s` (heard there,
    /// at `strength`), its interval corrected by what is left.
    pub fn move_to(&mut self, t_s: f64, delay_s: f64, strength: f32) {
        let Some(last) = self.last_s() else {
            return;
        };
        let lines = self.p.line_steps;
        for back in 0..self.step_count.min(lines) {
            self.step_times[(self.step_count - 1 - back) % lines] += delay_s;
        }
        if let Some(periods) = self.last_measured {
            let rest = t_s - (last + delay_s);
            self.intervals[(self.interval_count - 1) % self.p.memory] += rest / periods;
            self.measure_period();
        }
        self.strengths[(self.strength_count - 1) % self.p.memory] = strength;
        self.step_times[(self.step_count - 1) % lines] = t_s;
        self.fit_line();
    }

    /// Halves the period when the other foot was heard halfway through
    /// most recent periods: the rhythm was learned from every other step
    /// (a weak foot, a cold start at a fast cadence). Only to a period a
    /// runner can have; and never the other way: a steady sound at half
    /// the cadence (a beat of the music on every other step) is no reason
    /// to hear fewer steps.
    fn maybe_double_cadence(&mut self) {
        let Some(period) = self.period_s else {
            return;
        };
        let votes = self.p.halfway_votes;
        if votes == 0 || period / 2.0 < self.p.fastest_period_s || !self.locked() {
            return;
        }
        if self.halfway.count(self.p.memory) < votes {
            return;
        }
        self.period_s = Some(period / 2.0);
        let n = self.interval_count.min(self.p.memory);
        for interval in &mut self.intervals[..n] {
            *interval /= 2.0;
        }
        let kept = self.step_count.min(self.p.line_steps);
        for back in 0..kept {
            self.step_numbers[(self.step_count - 1 - back) % self.p.line_steps] *= 2;
        }
        self.fit_line();
        self.halfway = HalfwayVotes::default();
    }

    /// When the last accepted step landed.
    fn last_s(&self) -> Option<f64> {
        (self.step_count > 0).then(|| self.step_times[(self.step_count - 1) % self.p.line_steps])
    }

    /// Numbers an accepted step in the current run (a missed step keeps its
    /// number), or starts a new run after a pause.
    fn number_step(&mut self, t_s: f64) {
        let lines = self.p.line_steps;
        let number = match (self.last_s(), self.period_s) {
            (Some(last), Some(period)) if t_s - last < self.p.lost_after * period => {
                let number = self.nearest_number(t_s, period);
                if number == self.step_numbers[(self.step_count - 1) % lines] {
                    // Two steps for one place on the line: it keeps the
                    // one nearer where the step was due.
                    let due = self.due_s(number);
                    if (t_s - due).abs() < (last - due).abs() {
                        self.step_times[(self.step_count - 1) % lines] = t_s;
                        self.fit_line();
                    }
                    return;
                }
                number
            }
            _ => {
                self.step_count = 0;
                0
            }
        };
        self.step_times[self.step_count % lines] = t_s;
        self.step_numbers[self.step_count % lines] = number;
        self.step_count += 1;
        self.fit_line();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn due_boost() -> f32 {
        TrackerParams::default().due_boost
    }

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
        assert_eq!(tracker.weight(7.0 * 0.35 + 0.35), due_boost());
        assert_eq!(tracker.weight(7.0 * 0.35 + 0.1), 0.0, "too soon");
        let off_beat = tracker.weight(7.0 * 0.35 + 0.35 * 0.6);
        assert!(off_beat < 0.5, "{off_beat}");
    }

    #[test]
    fn a_much_louder_sound_right_after_the_first_takes_its_place() {
        // Target 0.32 s. A beat of the music at 0.40 s (strength 12), then
        // the runner's step 72 ms later, five times as loud.
        let mut tracker = StepTracker::new(Some(60.0 / 0.32));
        tracker.accept(0.40, 12.0);
        assert_eq!(tracker.weight(0.472), 0.0, "in the gap after the beat");
        assert!(tracker.outweighs_last(0.472, 57.0));
        assert!(!tracker.outweighs_last(0.472, 20.0), "not twice as loud");
        tracker.replace_last(0.472, 57.0);
        // Now the window is on the runner's steps, not on the music.
        assert_eq!(tracker.weight(0.472 + 0.32), due_boost());
        assert_eq!(tracker.weight(0.40 + 0.32), 0.0);
    }

    #[test]
    fn a_locked_rhythm_moves_whole_to_a_rival() {
        // Locked on music 87 ms before each step; the rhythm moves to the
        // step heard after the last beat, and the next step is due 87 ms
        // later than the next beat.
        let beats: Vec<f64> = (0..10).map(|k| f64::from(k) * 0.32).collect();
        let mut tracker = tracker_after(&beats);
        assert!(tracker.locked());
        let next_beat = 10.0 * 0.32;
        assert_eq!(tracker.weight(next_beat), due_boost());
        tracker.move_to(9.0 * 0.32 + 0.088, 0.087, 20.0);
        assert!(tracker.locked());
        assert!((tracker.period_s().unwrap() - 0.32).abs() < 0.002);
        assert_eq!(tracker.weight(next_beat + 0.087), due_boost());
        assert!(tracker.weight(next_beat) < due_boost());
    }

    #[test]
    fn a_louder_sound_off_the_rhythm_does_not_take_a_steps_place() {
        let mut tracker = StepTracker::new(Some(60.0 / 0.35));
        tracker.accept(0.50, 10.0);
        tracker.accept(0.85, 10.0);
        // A kick drum 140 ms after the step, further off the rhythm.
        assert!(!tracker.outweighs_last(0.99, 40.0));
    }

    #[test]
    fn a_louder_step_takes_the_place_of_music_after_the_period_is_measured() {
        let mut tracker = StepTracker::new(Some(60.0 / 0.32));
        for t in [0.0, 0.32, 0.64, 0.96] {
            tracker.accept(t, 40.0);
        }
        assert!(!tracker.locked());
        // A beat of the music 0.22 s after the last step, then the step.
        tracker.accept(1.18, 13.0);
        assert!(tracker.outweighs_last(1.28, 44.0));
    }

    #[test]
    fn nothing_takes_a_steps_place_once_the_rhythm_is_trusted() {
        // The last step heard 40 ms early; a much louder sound 30 ms after
        // it is nearer the rhythm.
        let steps = [0.0, 0.35, 0.70, 1.05, 1.40, 1.71];
        let trusted = tracker_after(&steps);
        assert!(trusted.locked());
        assert!(!trusted.outweighs_last(1.74, 200.0));
        // The same sound after the same last steps, before the rhythm is
        // trusted, would take its place.
        let cold = tracker_after(&steps[3..]);
        assert!(!cold.locked());
        assert!(cold.outweighs_last(1.74, 200.0));
    }

    #[test]
    fn a_lone_loud_first_sound_is_forgotten_when_no_step_follows() {
        let mut tracker = StepTracker::new(None);
        tracker.accept(0.12, 5000.0);
        assert_eq!(tracker.typical_strength_at(1.0), Some(5000.0));
        // Nothing for 2.5 of the slowest periods (0.6 s): not a bar.
        assert_eq!(tracker.typical_strength_at(1.7), None);
        // Steps that did follow keep theirs.
        let steady = tracker_after(&[0.0, 0.35, 0.70, 1.05]);
        assert_eq!(steady.typical_strength_at(10.0), Some(20.0));
    }

    #[test]
    fn the_first_step_sets_the_typical_strength() {
        // A beat of the music a fifth as loud as the first step, half a
        // period after it, must clear a fifth of that step (the detector's
        // relative bar), not only the absolute one.
        let mut tracker = StepTracker::new(Some(60.0 / 0.34));
        assert_eq!(tracker.typical_strength(), None);
        tracker.accept(0.49, 80.0);
        assert_eq!(tracker.typical_strength(), Some(80.0));
    }

    #[test]
    fn a_guess_gives_its_place_to_a_full_strength_sound_in_its_gap() {
        let params = TrackerParams {
            outweigh_guess: 3.0,
            ..TrackerParams::default()
        };
        let mut tracker = StepTracker::with_params(None, params);
        for k in 0..8 {
            tracker.accept(f64::from(k) * 0.34, 20.0);
        }
        assert!(tracker.locked());
        // A faint beat of the music where the next step was due, taken
        // only because it was due; the runner's step 60 ms later.
        let guess = 8.0 * 0.34;
        tracker.accept(guess, 5.0);
        tracker.mark_last_guessed();
        let step = guess + 0.06;
        assert_eq!(tracker.weight(step), 0.0, "in the gap after the guess");
        assert!(tracker.outweighs_guess(step, 20.0, 10.0, 0.04));
        assert!(
            !tracker.outweighs_guess(step, 14.0, 10.0, 0.04),
            "fainter than the steps usually are"
        );
        assert!(
            !tracker.outweighs_guess(guess + 0.02, 20.0, 10.0, 0.04),
            "the guess's own louder part"
        );
        tracker.replace_last(step, 20.0);
        assert!(
            !tracker.outweighs_guess(step + 0.06, 60.0, 10.0, 0.04),
            "no guess now"
        );
        // A step heard in full is never a guess.
        let mut heard = tracker_after(&[0.0, 0.34, 0.68, 1.02, 1.36]);
        heard.accept(1.70, 5.0);
        assert!(!heard.outweighs_guess(1.76, 60.0, 10.0, 0.04));
    }

    #[test]
    fn a_missed_step_still_teaches_the_period() {
        let tracker = tracker_after(&[0.0, 0.33, 0.66, 1.32, 1.65, 1.98]);
        assert!((tracker.period_s().unwrap() - 0.33).abs() < 1e-9);
        assert!(tracker.locked());
    }

    #[test]
    fn one_step_heard_early_does_not_move_where_the_next_is_due() {
        let mut steps: Vec<f64> = (0..7).map(|k| f64::from(k) * 0.35).collect();
        // A clatter 40 ms before step 7 was taken for it.
        steps.push(7.0 * 0.35 - 0.04);
        let tracker = tracker_after(&steps);
        assert_eq!(tracker.weight(8.0 * 0.35), due_boost());
        assert!(tracker.weight(8.0 * 0.35 - 0.04) < 1.0);
    }

    #[test]
    fn steps_dated_late_at_the_end_do_not_tilt_the_line() {
        // The last three steps dated 20 ms late (each heard by its louder,
        // later part): the next step, 12 ms early on the true rhythm, is
        // still where a step is due.
        let period = 0.36;
        let mut steps: Vec<f64> = (0..16).map(|k| f64::from(k) * period).collect();
        for k in [13, 14, 15] {
            steps[k] += 0.02;
        }
        let tracker = tracker_after(&steps);
        assert_eq!(tracker.weight(16.0 * period - 0.012), due_boost());
    }

    #[test]
    fn a_little_late_is_on_time_a_little_early_is_not() {
        let tracker = tracker_after(&(0..8).map(|k| f64::from(k) * 0.35).collect::<Vec<_>>());
        let due = 8.0 * 0.35;
        assert_eq!(tracker.weight(due + 0.03), due_boost());
        assert!(tracker.weight(due - 0.03) < 1.0);
    }

    #[test]
    fn the_target_cadence_opens_a_window_from_the_first_step() {
        let mut hinted = StepTracker::new(Some(60.0 / 0.35));
        hinted.accept(1.0, 20.0);
        assert_eq!(hinted.weight(1.35), due_boost());
        assert_eq!(
            hinted.weight(1.35 + 0.1),
            1.0,
            "not judged off the beat yet"
        );
        let mut unhinted = StepTracker::new(None);
        unhinted.accept(1.0, 20.0);
        assert_eq!(unhinted.weight(1.35), 1.0);
    }

    #[test]
    fn a_fast_runners_next_step_counts_before_the_period_is_known() {
        // 210 spm, one foot 8 ms early: the shorter step is 270 ms.
        let mut tracker = StepTracker::new(None);
        tracker.accept(1.0, 20.0);
        assert_eq!(tracker.weight(1.27), 1.0);
        assert_eq!(tracker.weight(1.1), 0.0, "a double strike");
    }

    #[test]
    fn a_rhythm_learned_from_every_other_step_doubles_when_the_other_foot_is_heard() {
        // 210 spm, learned from the strong foot (every 0.571 s); the weak
        // foot, 10 ms late and at 0.4 of a step's strength, passed over.
        let stride = 2.0 * 60.0 / 210.0;
        let run = |halfway_votes| {
            let params = TrackerParams {
                halfway_votes,
                ..TrackerParams::default()
            };
            let mut tracker = StepTracker::with_params(None, params);
            for k in 0..12 {
                let t = f64::from(k) * stride;
                tracker.accept(t, 20.0);
                tracker.pass_over(t + stride / 2.0 + 0.01, 8.0);
            }
            tracker
        };
        let weak_foot_next = 11.0 * stride + stride / 2.0 + 0.01;
        let doubled = run(4);
        assert!((doubled.period_s().unwrap() - stride / 2.0).abs() < 1e-9);
        assert_eq!(doubled.weight(weak_foot_next), due_boost());
        let halved = run(0);
        assert!((halved.period_s().unwrap() - stride).abs() < 1e-9);
        assert!(halved.weight(weak_foot_next) < 0.5);
    }

    #[test]
    fn a_sound_halfway_through_a_runners_steps_never_doubles_the_cadence() {
        let params = TrackerParams {
            halfway_votes: 4,
            ..TrackerParams::default()
        };
        // A runner at 170 spm with a kick drum halfway through every step
        // (340 would be faster than anyone runs), and a walker at 110 spm
        // with a faint tick halfway (not as loud as a weak foot).
        for (period, halfway_strength) in [(60.0 / 170.0, 40.0), (60.0 / 110.0, 3.0)] {
            let mut tracker = StepTracker::with_params(None, params);
            for k in 0..16 {
                let t = f64::from(k) * period;
                tracker.accept(t, 20.0);
                tracker.pass_over(t + period / 2.0, halfway_strength);
            }
            assert!((tracker.period_s().unwrap() - period).abs() < 1e-9);
        }
    }

    #[test]
    fn a_runner_alternating_long_and_short_steps_stays_locked() {
        // 186 spm, one foot 33 ms late: the intervals alternate 290 and
        // 355 ms (neither within 8 % of the period) but every step is
        // within 17 ms of the line through them. A sound 90 ms before the
        // next step is off the beat.
        let steps: Vec<f64> = (0..12)
            .map(|k| f64::from(k) * 0.3225 + if k % 2 == 1 { 0.0325 } else { 0.0 })
            .collect();
        let tracker = tracker_after(&steps);
        assert!(tracker.locked());
        let next = 12.0 * 0.3225;
        assert!(tracker.weight(next - 0.09) < 0.5);
        assert_eq!(tracker.weight(next + 0.01), due_boost());
    }

    #[test]
    fn onsets_closer_than_the_target_do_not_set_the_period_at_a_cold_start() {
        // Target 0.32 s; four music onsets 0.26 s apart taken for steps at
        // the start (the intervals cannot join two steps both on the
        // target's beat), then the runner on the target.
        let music = [0.0, 0.26, 0.52, 0.78];
        let mut hinted = StepTracker::new(Some(60.0 / 0.32));
        for t in music {
            hinted.accept(t, 20.0);
        }
        assert!((hinted.period_s().unwrap() - 0.32).abs() < 1e-9);
        assert!(!hinted.locked());
        for k in 0..5 {
            hinted.accept(1.10 + f64::from(k) * 0.32, 20.0);
        }
        assert!((hinted.period_s().unwrap() - 0.32).abs() < 1e-9);
        assert!(hinted.locked());
        // Without a target nothing says the runner is not that fast.
        let unhinted = tracker_after(&music);
        assert!((unhinted.period_s().unwrap() - 0.26).abs() < 1e-9);
    }

    #[test]
    fn a_step_short_of_the_target_is_not_kept_on_the_line() {
        // 190 spm (0.316 s) under clicks (minetest, the runner sagging
        // behind them): at the start a step dated off and a clatter are
        // taken for steps, each half a period from the beat (gaps of
        // 0.49 s, a period and a half: halved, 0.25 s, short of the
        // target). Once the period locks, the next step (3.018) is where
        // the line has it due, not 46 ms late: the line starts again after
        // each interval short of the target, those steps are not on it.
        let mut tracker = StepTracker::new(Some(190.0));
        for t in [0.490, 0.983, 1.462, 1.753, 2.097, 2.394, 2.717] {
            tracker.accept(t, 20.0);
        }
        assert!(tracker.locked());
        let after = tracker.after_due_s(3.018).unwrap();
        assert!(after.abs() < 0.015, "{after}");
    }

    #[test]
    fn a_runner_faster_than_the_target_is_measured_after_a_few_steps() {
        let mut tracker = StepTracker::new(Some(60.0 / 0.32));
        for k in 0..14 {
            tracker.accept(f64::from(k) * 0.27, 20.0);
        }
        assert!((tracker.period_s().unwrap() - 0.27).abs() < 1e-9);
        assert!(tracker.locked());
    }

    #[test]
    fn a_runner_a_little_off_the_target_is_measured_at_once() {
        // Steps a few ms off: intervals 5 % short of the target's period
        // still count (minetest's mixes, 170 spm, a 0.335 s interval).
        let mut tracker = StepTracker::new(Some(170.0));
        for t in [1.578, 1.913, 2.275, 2.616] {
            tracker.accept(t, 20.0);
        }
        assert!((tracker.period_s().unwrap() - 0.341).abs() < 1e-9);
    }

    #[test]
    fn irregular_onsets_do_not_lock() {
        let tracker = tracker_after(&[0.0, 0.3, 0.75, 1.0, 1.5, 1.7, 2.3]);
        assert!(!tracker.locked());
        assert_eq!(tracker.weight(2.3 + 0.43), 1.0);
    }
}

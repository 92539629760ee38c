//! A rival rhythm: a louder sound that comes a steady delay after every
//! step taken.
//!
//! Two sounds at the runner's cadence, one a little before the other: the
//! tracker takes whichever it heard first and holds it, for a candidate
//! right after a step is never another step. Music's eighths at half the
//! cadence, as loud as the steps, come 87 ms before each: every step was
//! still a candidate (a median held rise of 17 dB against a bar of 10,
//! kenney, hypersomnia and cdogs alike), yet the music kept the rhythm for
//! the whole minute (F1 0.03–0.06). The beats taken and the steps passed
//! over are each sometimes the louder (3 to 40 dB, 4 to 43), so one gap
//! says nothing: each gap after a step is watched for its loudest
//! candidate soon after, and when most recent gaps had one at the same
//! delay, at a median `min_ratio` times the step's strength, the steps
//! taken were the wrong sound. The rhythm moves to the rival
//! (`StepTracker::move_to`), and the sound it left, a steady delay before
//! each step from then on, is no longer taken for a step: taken, it holds
//! the rhythm again. An echo comes at a steady delay too, but is never
//! louder than its step.

use super::params::RivalParams;
use super::stats::median;

/// Gaps remembered (`RivalParams::gaps` is clamped to it).
const GAPS: usize = 16;

#[derive(Debug, Clone)]
pub struct RivalRhythm {
    /// The last step taken: when, and its candidate's plain strength.
    last_step: Option<(f64, f32)>,
    /// The loudest candidate in the gap after it, soon enough: its delay
    /// and plain strength.
    loudest: Option<(f64, f32)>,
    /// Per gap closed: the loudest's delay and how many times the step's
    /// strength it was (`None`: no candidate soon enough).
    rivals: [Option<(f64, f32)>; GAPS],
    closed: usize,
    /// Where the rival is next expected, and its delay, while the recent
    /// gaps agree on one.
    due: Option<(f64, f64)>,
    /// Once the rhythm moved: how long before each step the sound it left
    /// comes, which is then never taken for a step.
    left_s: Option<f64>,
    p: RivalParams,
}

impl RivalRhythm {
    pub fn new(params: RivalParams) -> RivalRhythm {
        let mut p = params;
        p.gaps = p.gaps.clamp(1, GAPS);
        RivalRhythm {
            last_step: None,
            loudest: None,
            rivals: [None; GAPS],
            closed: 0,
            due: None,
            left_s: None,
            p,
        }
    }

    /// A candidate not taken for a step, heard at `t_s` with the plain sum
    /// of its bands' rises.
    pub fn passed_over(&mut self, t_s: f64, strength: f32) {
        let Some((last, _)) = self.last_step else {
            return;
        };
        let delay = t_s - last;
        let soon = (self.p.shortest_delay_s..=self.p.longest_delay_s).contains(&delay);
        if soon && self.loudest.is_none_or(|(_, s)| strength > s) {
            self.loudest = Some((delay, strength));
        }
    }

    /// A step taken at `t_s`: closes the gap after the last one, and
    /// expects the rival after this one if the recent gaps agree on a
    /// delay.
    pub fn step(&mut self, t_s: f64, strength: f32) {
        if let Some((_, last_strength)) = self.last_step {
            let rival = self
                .loudest
                .map(|(delay, s)| (delay, s / last_strength.max(1e-6)));
            self.rivals[self.closed % self.p.gaps] = rival;
            self.closed += 1;
        }
        self.last_step = Some((t_s, strength));
        self.loudest = None;
        self.due = self.agreed_delay().map(|delay| (t_s + delay, delay));
    }

    /// The delay to move the rhythm by if a candidate at `t_s` of plain
    /// strength `strength` (against the detector's `bar`) is the rival,
    /// where it is expected.
    pub fn takes_rhythm(&self, t_s: f64, strength: f32, bar: f32) -> Option<f64> {
        let (due, delay) = self.due?;
        (strength >= bar && (t_s - due).abs() <= self.p.tolerance_s).then_some(delay)
    }

    /// The step just taken is replaced by one at `t_s` (the rhythm moved
    /// to it): the gap after it is measured from there.
    pub fn moved(&mut self, t_s: f64, strength: f32) {
        self.last_step = Some((t_s, strength));
        self.loudest = None;
    }

    /// The rhythm moved `delay_s` later, to the rival heard at `t_s`: the
    /// sound it left comes that long before each step from now on.
    pub fn moved_to_rival(&mut self, t_s: f64, delay_s: f64, strength: f32) {
        self.moved(t_s, strength);
        self.left_s = Some(delay_s);
        self.due = None;
        // The votes were for the rhythm left: the rhythm moves once.
        self.rivals = [None; GAPS];
        self.closed = 0;
    }

    /// Whether a candidate at `t_s` is the sound the rhythm left, where it
    /// comes before the next step (one `period_s` after the last): taken,
    /// it would hold the rhythm again, the steps falling in the gap after
    /// it.
    pub fn left_behind(&self, t_s: f64, period_s: f64) -> bool {
        match (self.left_s, self.last_step) {
            (Some(left), Some((last, _))) => {
                (t_s - (last + period_s - left)).abs() <= self.p.tolerance_s
            }
            _ => false,
        }
    }

    /// The delay most recent gaps had a louder rival at, if `min_votes` of
    /// the last `gaps` did (within `tolerance_s` of their median delay, at
    /// a median of `min_ratio` times the step's strength or more).
    fn agreed_delay(&self) -> Option<f64> {
        let n = self.closed.min(self.p.gaps);
        if n < self.p.gaps {
            return None;
        }
        let mut delays = [0.0; GAPS];
        let mut count = 0;
        for (delay, _) in self.rivals[..n].iter().flatten() {
            delays[count] = *delay;
            count += 1;
        }
        if count < self.p.min_votes {
            return None;
        }
        let centre = median(&mut delays[..count]);
        let mut ratios = [0.0; GAPS];
        let mut agreeing = 0;
        for (delay, ratio) in self.rivals[..n].iter().flatten() {
            if (delay - centre).abs() <= self.p.tolerance_s {
                ratios[agreeing] = f64::from(*ratio);
                agreeing += 1;
            }
        }
        (agreeing >= self.p.min_votes
            && median(&mut ratios[..agreeing]) >= f64::from(self.p.min_ratio))
        .then_some(centre)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rival() -> RivalRhythm {
        RivalRhythm::new(RivalParams::default())
    }

    #[test]
    fn a_louder_sound_at_a_steady_delay_after_every_step_is_a_rival() {
        let mut r = rival();
        let mut moved = None;
        for k in 0..20usize {
            let t = k as f64 * 0.33;
            r.step(t, 10.0);
            moved = moved.or(r.due.map(|(_, d)| (k, d)));
            r.passed_over(t + 0.087 + (k % 3) as f64 * 0.002, 16.0);
        }
        let (k, delay) = moved.expect("the rival found");
        assert!(k <= RivalParams::default().gaps + 1, "{k}");
        assert!((delay - 0.089).abs() < 0.003, "{delay}");
    }

    /// Steps of strength 10 every 0.33 s, each followed by the sound
    /// `after(k)` gives (delay, strength): the rhythm must never move.
    fn never_moves(after: impl Fn(usize) -> (f64, f32)) {
        let mut r = rival();
        for k in 0..40usize {
            let t = k as f64 * 0.33;
            r.step(t, 10.0);
            assert_eq!(r.due, None, "after step {k}");
            let (delay, strength) = after(k);
            r.passed_over(t + delay, strength);
        }
    }

    #[test]
    fn an_echo_softer_than_the_step_is_not() {
        never_moves(|_| (0.04, 6.0));
    }

    #[test]
    fn louder_sounds_at_scattered_delays_are_not() {
        never_moves(|k| (0.03 + ((k * 37) % 11) as f64 * 0.01, 16.0));
    }
}

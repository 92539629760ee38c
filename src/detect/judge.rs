//! Judging heard steps, whatever heard them (the microphone detector or a
//! MIDI drum trigger): each against the clicks actually played, the
//! running cadence, the drift rules and faded feedback, in session time.

use super::align::Aligner;
use super::drift::{DriftRules, Tolerances, Warning};
use super::fade::FadedFeedback;

/// Clicks remembered for placing steps.
const RECENT_CLICKS: usize = 8;

/// What one heard step leads to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Judgement {
    Step {
        /// Session time of the step (s).
        session_s: f64,
        /// From the nearest click (ms), negative = early.
        offset_ms: f64,
        cadence_spm: Option<f64>,
    },
    Warning(Warning),
    /// Faded feedback: the clicks' new gain.
    Fade(f32),
}

#[derive(Debug, Clone)]
pub struct StepJudge {
    aligner: Aligner,
    rules: DriftRules,
    fade: Option<FadedFeedback>,
    /// Session times of the latest clicks, oldest first.
    clicks: Vec<f64>,
}

impl StepJudge {
    pub fn new(tolerances: Tolerances, faded_feedback: bool) -> StepJudge {
        StepJudge {
            aligner: Aligner::new(),
            rules: DriftRules::new(tolerances),
            fade: faded_feedback.then(FadedFeedback::default),
            clicks: Vec::with_capacity(RECENT_CLICKS),
        }
    }

    /// A click was played at session time `t` (in order).
    pub fn click(&mut self, t: f64) {
        if self
            .clicks
            .last()
            .is_some_and(|last| (last - t).abs() < 1e-6)
        {
            return;
        }
        if self.clicks.len() == RECENT_CLICKS {
            self.clicks.remove(0);
        }
        self.clicks.push(t);
    }

    /// A step heard at session time `t`, while the clicks ask for
    /// `target_spm` (`None` where nothing clicks).
    pub fn step(&mut self, t: f64, target_spm: Option<f64>) -> Vec<Judgement> {
        // The clicks around the step; the next one may not be played yet:
        // the last interval predicts it.
        let i = self.clicks.partition_point(|c| *c <= t);
        let before = i.checked_sub(1).map(|i| self.clicks[i]);
        let after = self.clicks.get(i).copied().or_else(|| {
            let n = self.clicks.len();
            (n >= 2).then(|| 2.0 * self.clicks[n - 1] - self.clicks[n - 2])
        });
        let step = self.aligner.step(t, before, after);
        let mut out = vec![Judgement::Step {
            session_s: t,
            offset_ms: step.offset_ms,
            cadence_spm: step.cadence_spm,
        }];
        // Steps heard only now and then say nothing about the runner: the
        // coach says nothing either (a missed step is not a slower one).
        if !step.steady {
            self.rules.unheard();
        } else if let Some(warning) =
            self.rules
                .observe(t, step.cadence_spm, step.lag_ms, target_spm)
        {
            out.push(Judgement::Warning(warning));
        }
        let on_target = self.rules.on_target();
        if let Some(gain) = self.fade.as_mut().and_then(|f| f.observe(t, on_target)) {
            out.push(Judgement::Fade(gain));
        }
        out
    }

    /// Left/right step-time asymmetry over the last steps (percent).
    pub fn asymmetry_pct(&self) -> Option<f64> {
        self.aligner.asymmetry_pct()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_heard_only_now_and_then_are_not_a_slowing_runner() {
        // A runner on the beat at 176 spm from 0.5 s, in a mix of recorded
        // steps at -5 dB SNR: what the detector heard of its first 24 s
        // (about two steps in three, and some clatter between them).
        let heard = [
            0.505, 0.856, 1.187, 2.015, 2.352, 3.102, 3.849, 4.583, 4.955, 5.353, 7.318, 7.733,
            8.124, 8.539, 9.362, 9.764, 10.105, 11.406, 12.765, 13.195, 14.824, 16.187, 17.016,
            18.903, 19.340, 19.774, 20.702, 20.963, 21.637, 22.306, 22.671, 23.001, 23.248, 23.602,
        ];
        let mut judge = StepJudge::new(Tolerances::default(), false);
        let beat = 60.0 / 176.0;
        let mut clicks = (0..).map(|k| 0.5 + f64::from(k) * beat).peekable();
        let mut said = Vec::new();
        for t in heard {
            while let Some(click) = clicks.next_if(|c| *c <= t + beat) {
                judge.click(click);
            }
            said.extend(
                judge
                    .step(t, Some(176.0))
                    .into_iter()
                    .filter_map(|j| match j {
                        Judgement::Warning(w) => Some(w.kind),
                        _ => None,
                    }),
            );
        }
        assert!(said.is_empty(), "{said:?}");
    }

    #[test]
    fn steps_are_held_against_the_clicks_played() {
        let mut judge = StepJudge::new(Tolerances::default(), false);
        for k in 0..4 {
            judge.click(f64::from(k) * 0.35);
        }
        let judged = judge.step(0.71, Some(171.4));
        let Judgement::Step { offset_ms, .. } = judged[0] else {
            panic!("{judged:?}")
        };
        assert!((offset_ms - 10.0).abs() < 1e-9);
        // After the last click played: the next is predicted from the last two.
        let judged = judge.step(1.38, Some(171.4));
        let Judgement::Step { offset_ms, .. } = judged[0] else {
            panic!("{judged:?}")
        };
        assert!((offset_ms + 20.0).abs() < 1e-9, "{offset_ms}");
    }
}

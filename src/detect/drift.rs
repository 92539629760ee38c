//! The drift rules: when the heard steps say fatigue is winning, what the
//! coach says, in what order.
//!
//! Two signs, each held for `hold_s` before the coach speaks (a single
//! stumble is not fatigue):
//! - the running cadence below target by more than `cadence_tolerance_pct`;
//! - the steps behind the beat by more than `lag_tolerance_ms` (the
//!   unwrapped lag, so a slow slide behind the beat keeps counting).
//!
//! A lag that grows while the cadence is under the target is the cadence's
//! doing: a runner 2 % slow falls 60 ms behind in a few seconds, long
//! before the smoothed cadence shows 3 %. So a held lag counts as a sagging
//! cadence ("quick feet") unless the cadence was held within
//! `HELD_CADENCE_PCT` while the lag was held; only then is it posture
//! ("stand tall"). How fast the lag grew over that time says how far the
//! cadence was under the beat's, averaged over seconds: the running
//! cadence of one moment, a median of six intervals, wanders by a percent
//! or two with the runner's own jitter and one foot's lead, as much as the
//! difference it would have to show.
//!
//! First the cue for the sign (quick feet, or stand tall); if the runner is
//! still off `escalate_s` later, slow the belt; later still, a walk break
//! or the end of the run. Back within tolerance for `recover_s`, the coach
//! says so and the ladder starts again.

use serde::Serialize;

/// What the coach says about drift, in escalating order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// The cadence sags: quick feet, shorter stride.
    CadenceLow,
    /// The steps lag the beat: posture.
    Lagging,
    /// Still off after a warning: slow the belt, not the feet.
    SlowBelt,
    /// Still off after that: walk, or end the run.
    WalkBreak,
    /// Back within tolerance after a warning.
    Recovered,
}

impl WarningKind {
    pub const ALL: [WarningKind; 5] = [
        WarningKind::CadenceLow,
        WarningKind::Lagging,
        WarningKind::SlowBelt,
        WarningKind::WalkBreak,
        WarningKind::Recovered,
    ];

    pub const fn text(self) -> &'static str {
        match self {
            WarningKind::CadenceLow => {
                "Quick feet. Shorten your stride and pick the feet up under your hips."
            }
            WarningKind::Lagging => {
                "Stand tall, hips under your shoulders. Don't lean; catch the beat."
            }
            WarningKind::SlowBelt => {
                "Slow the belt, not your feet. Take the speed down a notch and keep the cadence."
            }
            WarningKind::WalkBreak => {
                "Time for a walk break, or end the run here. Come back to it another day."
            }
            WarningKind::Recovered => "That's it. Back on the beat.",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            WarningKind::CadenceLow => "cadence_low",
            WarningKind::Lagging => "lagging",
            WarningKind::SlowBelt => "slow_belt",
            WarningKind::WalkBreak => "walk_break",
            WarningKind::Recovered => "recovered",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Warning {
    pub t: f64,
    pub kind: WarningKind,
    pub text: &'static str,
}

/// Within this of the target the cadence is held: a lag then is posture,
/// not turnover. Below it, the lag is the slower cadence's doing.
const HELD_CADENCE_PCT: f64 = 1.0;

/// How far off counts as off, and for how long. The defaults follow the
/// coaching notes: a few percent of cadence is what retraining moves, and
/// a runner hears a lag of about a sixth of a step as "behind".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerances {
    pub cadence_tolerance_pct: f64,
    pub lag_tolerance_ms: f64,
    pub hold_s: f64,
    pub escalate_s: f64,
    pub recover_s: f64,
}

impl Default for Tolerances {
    fn default() -> Tolerances {
        Tolerances {
            cadence_tolerance_pct: 3.0,
            lag_tolerance_ms: 60.0,
            hold_s: 6.0,
            escalate_s: 20.0,
            recover_s: 5.0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct DriftRules {
    tolerances: Tolerances,
    /// Since when each sign has held, if it holds.
    cadence_low_since: Option<f64>,
    /// Since when the lag has been over tolerance, and the lag then (ms).
    lagging_since: Option<(f64, f64)>,
    on_target_since: Option<f64>,
    /// The last rung of the ladder said, and when.
    said: Option<(WarningKind, f64)>,
}

impl DriftRules {
    pub fn new(tolerances: Tolerances) -> DriftRules {
        DriftRules {
            tolerances,
            cadence_low_since: None,
            lagging_since: None,
            on_target_since: None,
            said: None,
        }
    }

    /// The steps are not heard well enough to judge: every sign starts
    /// over, and nothing is said (neither a warning nor that the runner is
    /// back on the beat).
    pub fn unheard(&mut self) {
        self.cadence_low_since = None;
        self.lagging_since = None;
        self.on_target_since = None;
    }

    /// Whether the runner is within every tolerance right now.
    pub fn on_target(&self) -> bool {
        self.cadence_low_since.is_none() && self.lagging_since.is_none()
    }

    /// Takes one heard step: its time, the running cadence, its unwrapped
    /// lag, and the target cadence then (`None` when nothing is clicking).
    /// Returns what the coach should say now, if anything.
    pub fn observe(
        &mut self,
        t: f64,
        cadence_spm: Option<f64>,
        lag_ms: f64,
        target_spm: Option<f64>,
    ) -> Option<Warning> {
        let tol = self.tolerances;
        let low = match (cadence_spm, target_spm) {
            (Some(c), Some(target)) => c < target * (1.0 - tol.cadence_tolerance_pct / 100.0),
            _ => false,
        };
        let lagging = target_spm.is_some() && lag_ms > tol.lag_tolerance_ms;
        // The lag grows by the share the cadence is under the beat's, of
        // the time elapsed.
        let slower = self.lagging_since.is_some_and(|(since, lag_then)| {
            t > since && (lag_ms - lag_then) / (1000.0 * (t - since)) > HELD_CADENCE_PCT / 100.0
        });
        self.cadence_low_since = if low {
            self.cadence_low_since.or(Some(t))
        } else {
            None
        };
        self.lagging_since = if lagging {
            self.lagging_since.or(Some((t, lag_ms)))
        } else {
            None
        };
        let held = |since: Option<f64>| since.is_some_and(|s| t - s >= tol.hold_s);
        let lag_held = held(self.lagging_since.map(|(since, _)| since));
        if self.on_target() {
            let since = *self.on_target_since.get_or_insert(t);
            if self.said.is_some() && t - since >= tol.recover_s {
                self.said = None;
                return Some(self.say(WarningKind::Recovered, t));
            }
            return None;
        }
        self.on_target_since = None;
        let next = match self.said {
            None if held(self.cadence_low_since) => WarningKind::CadenceLow,
            None if lag_held && slower => WarningKind::CadenceLow,
            None if lag_held => WarningKind::Lagging,
            Some((WarningKind::CadenceLow | WarningKind::Lagging, at))
                if t - at >= tol.escalate_s =>
            {
                WarningKind::SlowBelt
            }
            Some((WarningKind::SlowBelt, at)) if t - at >= tol.escalate_s => WarningKind::WalkBreak,
            _ => return None,
        };
        self.said = Some((next, t));
        Some(self.say(next, t))
    }

    fn say(&self, kind: WarningKind, t: f64) -> Warning {
        Warning {
            t,
            kind,
            text: kind.text(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(steps: impl Iterator<Item = (f64, f64, f64)>) -> Vec<Warning> {
        let mut rules = DriftRules::new(Tolerances::default());
        steps
            .filter_map(|(t, cadence, lag)| rules.observe(t, Some(cadence), lag, Some(170.0)))
            .collect()
    }

    #[test]
    fn a_sagging_cadence_climbs_the_ladder_then_recovers() {
        let steps = (0..400).map(|k| {
            let t = f64::from(k) * 0.36;
            let cadence = if (20.0..80.0).contains(&t) {
                160.0
            } else {
                170.0
            };
            (t, cadence, 0.0)
        });
        let said: Vec<(WarningKind, f64)> = run(steps).iter().map(|w| (w.kind, w.t)).collect();
        let kinds: Vec<WarningKind> = said.iter().map(|s| s.0).collect();
        assert_eq!(
            kinds,
            [
                WarningKind::CadenceLow,
                WarningKind::SlowBelt,
                WarningKind::WalkBreak,
                WarningKind::Recovered
            ]
        );
        assert!((said[0].1 - 26.0).abs() < 0.5, "{said:?}");
        assert!((said[1].1 - 46.0).abs() < 0.5, "{said:?}");
    }

    #[test]
    fn a_growing_lag_asks_for_posture() {
        let steps = (0..200).map(|k| {
            let t = f64::from(k) * 0.35;
            (t, 170.0, 2.0 * t)
        });
        let warnings = run(steps);
        assert_eq!(warnings[0].kind, WarningKind::Lagging);
        assert!((warnings[0].t - 36.0).abs() < 0.4, "{warnings:?}");
    }

    #[test]
    fn a_lag_that_comes_from_a_slower_cadence_asks_for_quick_feet() {
        // 190 spm asked, the runner sags from 190 to 175 over a minute: the
        // lag passes 60 ms well before the cadence is 3 % low.
        let mut lag_ms = 0.0;
        let mut t = 0.0;
        let steps = std::iter::from_fn(|| {
            let cadence = 190.0 - 15.0 * (t / 60.0f64).min(1.0);
            let period = 60.0 / cadence;
            lag_ms += (period - 60.0 / 190.0) * 1000.0;
            t += period;
            (t < 90.0).then_some((t, cadence, lag_ms))
        });
        let mut rules = DriftRules::new(Tolerances::default());
        let warnings: Vec<Warning> = steps
            .filter_map(|(t, c, lag)| rules.observe(t, Some(c), lag, Some(190.0)))
            .collect();
        assert_eq!(warnings[0].kind, WarningKind::CadenceLow, "{warnings:?}");
        assert!(
            warnings.iter().all(|w| w.kind != WarningKind::Lagging),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_lag_growing_at_two_percent_is_quick_feet_whatever_one_reading_says() {
        // 190 asked, the runner at 186 (2 % slow): the lag grows 21 ms a
        // second. The running cadence, a median of six intervals, can read
        // within 1 % of the target all the while (one foot's lead and the
        // runner's jitter move it by that much).
        let mut rules = DriftRules::new(Tolerances::default());
        let period = 60.0 / 186.0;
        let warnings: Vec<Warning> = (0..120)
            .filter_map(|k| {
                let t = f64::from(k) * period;
                let lag_ms = (period - 60.0 / 190.0) * 1000.0 * f64::from(k);
                rules.observe(t, Some(189.0), lag_ms, Some(190.0))
            })
            .collect();
        assert_eq!(warnings[0].kind, WarningKind::CadenceLow, "{warnings:?}");
    }

    #[test]
    fn a_short_stumble_says_nothing() {
        let steps = (0..100).map(|k| {
            let t = f64::from(k) * 0.35;
            let cadence = if (10.0..14.0).contains(&t) {
                150.0
            } else {
                170.0
            };
            (t, cadence, 0.0)
        });
        assert!(run(steps).is_empty());
    }
}

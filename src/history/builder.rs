//! `treadbeat next`: the cadence builder that adapts (issue 20, item 6).
//!
//! The ladder: from the runner's baseline (their own easy cadence), the
//! first stage is +5 %, then about 5 spm more every stage up to +10 %,
//! and not past it (COACHING.md: +5 % lowers knee loading, +10 % hip
//! loading too; beyond that each +10 spm raises the hip-flexor moment
//! again, the muscle that hurts in this product's users).
//!
//! When to climb: a stage is held at least two weeks and four sessions
//! (the trials ran 2-3 sessions a week for 2 weeks a stage), and the last
//! two sessions at it must each have held the beat (≥ 90 % of the time
//! within ±3 spm, drift within 2 spm), with hip pain no worse than before
//! the stage. Pain up by 2 or more steps back a stage; up by 1, holds.
//! Without a check-in the pain is unknown, and the builder holds: pain is
//! the judge. Pure: sessions in, a decision and its reasons out.

use super::analysis::{in_band_and_drift, SessionStats};
use super::cadence::Window;
use super::record::SessionRecord;
use crate::plan::StepKind;

/// The first stage over the baseline.
pub const FIRST_RAISE: f64 = 0.05;
/// The top of the ladder over the baseline.
pub const TOP_RAISE: f64 = 0.10;
/// Spm between stages: "about 5 spm every 2-3 weeks".
pub const STAGE_SPM: f64 = 5.0;
/// A stage is held at least this long before climbing.
pub const MIN_DAYS_AT_STAGE: i64 = 14;
/// ... and for at least this many sessions (two a week for two weeks).
pub const MIN_SESSIONS_AT_STAGE: usize = 4;
/// The sessions at the end of a stage that must have held the beat.
pub const JUDGED_SESSIONS: usize = 2;
/// Holding the beat: this share of the time within ±3 spm.
pub const MIN_IN_BAND: f64 = 0.90;
/// ... with the last third within this many spm of the first: less than
/// the band's half-width, so the runner ended where they began.
pub const MAX_DRIFT_SPM: f64 = 2.0;
/// Pain up by this much since before the stage steps back.
pub const PAIN_STEP_BACK: i32 = 2;

const DAY_MS: i64 = 86_400_000;

/// The ladder's cadences for `baseline`, whole spm.
pub fn stages(baseline: f64) -> Vec<f64> {
    let first = (baseline * (1.0 + FIRST_RAISE)).round();
    let top = (baseline * (1.0 + TOP_RAISE)).round();
    let mut out = vec![first];
    let mut next = first + STAGE_SPM;
    // A last climb of a spm or two is not worth a stage of its own.
    while next < top - 1.0 {
        out.push(next);
        next += STAGE_SPM;
    }
    if top > first {
        out.push(top);
    }
    out
}

/// A builder session as the ladder sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct BuilderSession {
    pub id: i64,
    pub started_ms: i64,
    /// The cadence of its work blocks (the constant clicked run target
    /// held longest).
    pub target_spm: f64,
    /// Over its work blocks.
    pub in_band: Option<f64>,
    pub drift_spm: Option<f64>,
    pub pain: Option<u8>,
}

impl BuilderSession {
    /// `None` for a session with no constant clicked run block.
    pub fn of(record: &SessionRecord, stats: &SessionStats) -> Option<BuilderSession> {
        let mut by_target: Vec<(f64, f64)> = Vec::new();
        for step in &record.steps {
            let Some(c) = step.cadence else { continue };
            if step.kind != StepKind::Run || !step.clicked || (c.from - c.to).abs() > 0.01 {
                continue;
            }
            match by_target
                .iter_mut()
                .find(|(t, _)| (*t - c.from).abs() < 0.01)
            {
                Some(entry) => entry.1 += step.duration_s,
                None => by_target.push((c.from, step.duration_s)),
            }
        }
        let target = by_target.iter().max_by(|a, b| a.1.total_cmp(&b.1))?.0;
        let work: Vec<Window> = stats
            .windows
            .iter()
            .filter(|w| {
                let step = &record.steps[w.step];
                step.kind == StepKind::Run
                    && step.cadence.is_some_and(|c| {
                        (c.from - target).abs() < 0.01 && (c.to - target).abs() < 0.01
                    })
            })
            .copied()
            .collect();
        let (in_band, drift_spm) = in_band_and_drift(&work);
        Some(BuilderSession {
            id: record.head.id,
            started_ms: record.head.started_ms,
            target_spm: target,
            in_band,
            drift_spm,
            pain: record.head.checkin.and_then(|c| c.pain),
        })
    }

    fn held_the_beat(&self) -> bool {
        self.in_band.is_some_and(|b| b >= MIN_IN_BAND)
            && self.drift_spm.is_some_and(|d| d.abs() <= MAX_DRIFT_SPM)
    }
}

/// What `next` decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Start,
    Hold,
    Advance,
    StepBack,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub baseline: f64,
    pub target_spm: f64,
    /// 0-based stage on the ladder, and how many there are.
    pub stage: usize,
    pub stages: usize,
    pub step: Move,
    /// One paragraph: why this session.
    pub why: String,
}

impl Decision {
    /// The raise over the baseline, percent.
    pub fn raise_pct(&self) -> f64 {
        (self.target_spm / self.baseline - 1.0) * 100.0
    }
}

fn nearest(ladder: &[f64], spm: f64) -> usize {
    (0..ladder.len())
        .min_by(|&a, &b| (ladder[a] - spm).abs().total_cmp(&(ladder[b] - spm).abs()))
        .unwrap_or(0)
}

/// The next session for a runner with `baseline`, after `sessions`
/// (builder sessions, oldest first); `pain_before` is the pain reported
/// before the builder began (the baseline session's check-in), `now_ms`
/// today.
pub fn decide(
    baseline: f64,
    sessions: &[BuilderSession],
    pain_before: Option<u8>,
    now_ms: i64,
) -> Decision {
    let ladder = stages(baseline);
    let decision = |stage: usize, step: Move, why: String| Decision {
        baseline,
        target_spm: ladder[stage],
        stage,
        stages: ladder.len(),
        step,
        why,
    };
    let Some(last) = sessions.last() else {
        return decision(
            0,
            Move::Start,
            format!(
                "Your baseline is {baseline:.0} spm, so the builder starts 5 % above it at {:.0} spm, at the belt speed of your easy runs: each step a little shorter, with less load on the hips and knees. Run it two or three times a week with --mic and check in afterwards; the next stage comes after two weeks if you hold the beat and the hips are no worse.",
                ladder[0]
            ),
        );
    };
    let stage = nearest(&ladder, last.target_spm);
    let first_at = sessions
        .iter()
        .rposition(|s| nearest(&ladder, s.target_spm) != stage)
        .map_or(0, |i| i + 1);
    let at_stage = &sessions[first_at..];
    let reference = sessions[..first_at]
        .iter()
        .rev()
        .find_map(|s| s.pain)
        .or(pain_before)
        .or_else(|| at_stage.iter().find_map(|s| s.pain));
    let latest = at_stage.iter().rev().find_map(|s| s.pain);
    let spm = ladder[stage];
    if let (Some(was), Some(now)) = (reference, latest) {
        let rise = i32::from(now) - i32::from(was);
        if rise >= PAIN_STEP_BACK {
            if stage == 0 {
                return decision(
                    0,
                    Move::Hold,
                    format!(
                        "Your hip pain rose from {was} to {now} out of 10 at {spm:.0} spm, the first stage, so this session stays there rather than climbing. Run it easy, stretch the hip flexors after it, and if the pain stays after running or is there all the time, see a physician before training through it."
                    ),
                );
            }
            return decision(
                stage - 1,
                Move::StepBack,
                format!(
                    "Your hip pain rose from {was} to {now} out of 10 at {spm:.0} spm, so this session steps back to {:.0} spm, where it was lower. Hold that until the pain settles; if it stays after running or is there all the time, see a physician.",
                    ladder[stage - 1]
                ),
            );
        }
        if rise > 0 {
            return decision(
                stage,
                Move::Hold,
                format!(
                    "Your hip pain went from {was} to {now} out of 10, so this session holds {spm:.0} spm instead of climbing: a stage is only climbed with the hips no worse than before it."
                ),
            );
        }
    }
    if latest.is_none() {
        return decision(
            stage,
            Move::Hold,
            format!(
                "This session holds {spm:.0} spm: there is no check-in for your sessions at it, and the builder climbs only when your hips are no worse. After your next run, give your hip pain (0-10) at the end or with `treadbeat checkin --pain N`."
            ),
        );
    }
    let days = (now_ms - at_stage[0].started_ms) / DAY_MS;
    if at_stage.len() < MIN_SESSIONS_AT_STAGE || days < MIN_DAYS_AT_STAGE {
        let more = MIN_SESSIONS_AT_STAGE.saturating_sub(at_stage.len()) as i64;
        let wait = (MIN_DAYS_AT_STAGE - days).max(0);
        let mut missing = Vec::new();
        if more > 0 {
            missing.push(format!("{more} more session{}", plural(more)));
        }
        if wait > 0 {
            missing.push(format!("{wait} more day{}", plural(wait)));
        }
        return decision(
            stage,
            Move::Hold,
            format!(
                "This session holds {spm:.0} spm: you have run it {} time{} over {days} day{}, and a stage is held at least {MIN_SESSIONS_AT_STAGE} sessions over two weeks ({} to go) so that the new rhythm becomes your own before the next.",
                at_stage.len(),
                plural(at_stage.len() as i64),
                plural(days),
                missing.join(" and ")
            ),
        );
    }
    let judged = &at_stage[at_stage.len() - JUDGED_SESSIONS..];
    if let Some(off) = judged.iter().find(|s| !s.held_the_beat()) {
        let what = match (off.in_band, off.drift_spm) {
            (None, _) => "had no cadence measured (run with --mic)".to_string(),
            (Some(b), _) if b < MIN_IN_BAND => {
                format!(
                    "held the beat {:.0} % of the time (90 % is the bar)",
                    b * 100.0
                )
            }
            (_, Some(d)) => {
                format!("drifted {d:+.1} spm from its first third to its last (2 spm is the bar)")
            }
            (_, None) => "was too short to judge its drift".to_string(),
        };
        return decision(
            stage,
            Move::Hold,
            format!(
                "This session holds {spm:.0} spm: session {} at it {what}. Climb when the last two sessions hold the beat with the hips no worse.",
                off.id
            ),
        );
    }
    if stage + 1 == ladder.len() {
        return decision(
            stage,
            Move::Hold,
            format!(
                "You hold {spm:.0} spm, 10 % over your baseline of {baseline:.0}: the top of the builder, and it stops here because going further works the hip flexors harder again. Keep this rhythm on your easy runs; the silent minutes in this session let you practise holding it without the clicks."
            ),
        );
    }
    decision(
        stage + 1,
        Move::Advance,
        format!(
            "You held {spm:.0} spm for {} sessions over {days} days, the last two at least 90 % of the time within 3 spm with little drift, and your hip pain is no worse ({} out of 10). So this session climbs to {:.0} spm, at the same belt speed.",
            at_stage.len(),
            latest.unwrap_or(0),
            ladder[stage + 1]
        ),
    )
}

fn plural(n: i64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The baseline measured on a `cadence-baseline` session: the median
/// cadence of the last three minutes of its unclicked running, where the
/// runner counts (COACHING.md: the median of the last few minutes at an
/// easy speed is the preferred cadence).
pub fn measured_baseline(record: &SessionRecord, stats: &SessionStats) -> Option<f64> {
    const COUNTED_S: f64 = 180.0;
    let free: Vec<&Window> = stats
        .windows
        .iter()
        .filter(|w| {
            let step = &record.steps[w.step];
            step.kind == StepKind::Run && !step.clicked
        })
        .collect();
    let end = free.last()?.to_s;
    let counted: Vec<f64> = free
        .iter()
        .filter(|w| w.from_s >= end - COUNTED_S - 1e-6)
        .filter_map(|w| w.cadence)
        .collect();
    // Half the counted windows at least: fewer is not a measurement.
    (counted.len() * 2 * 5 >= COUNTED_S as usize).then(|| super::cadence::median(&counted))?
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = DAY_MS;

    fn session(
        day: i64,
        target: f64,
        in_band: f64,
        drift: f64,
        pain: Option<u8>,
    ) -> BuilderSession {
        BuilderSession {
            id: day,
            started_ms: day * DAY,
            target_spm: target,
            in_band: Some(in_band),
            drift_spm: Some(drift),
            pain,
        }
    }

    /// Four good sessions at `target` over days 0..=15.
    fn good_stage(target: f64, pain: u8) -> Vec<BuilderSession> {
        [0, 4, 9, 15]
            .into_iter()
            .map(|d| session(d, target, 0.95, -0.5, Some(pain)))
            .collect()
    }

    #[test]
    fn the_ladder_climbs_five_percent_then_about_five_spm_to_ten_percent() {
        assert_eq!(stages(160.0), [168.0, 173.0, 176.0]);
        assert_eq!(stages(150.0), [158.0, 163.0, 165.0]);
        assert_eq!(stages(170.0), [179.0, 184.0, 187.0]);
        assert_eq!(stages(180.0), [189.0, 194.0, 198.0]);
    }

    #[test]
    fn it_starts_at_plus_five_percent() {
        let d = decide(160.0, &[], None, 0);
        assert_eq!((d.step, d.target_spm, d.stage), (Move::Start, 168.0, 0));
        assert!(d.why.contains("160") && d.why.contains("168"), "{}", d.why);
    }

    #[test]
    fn it_climbs_after_two_good_weeks_with_the_pain_no_worse() {
        let d = decide(160.0, &good_stage(168.0, 2), Some(3), 16 * DAY);
        assert_eq!((d.step, d.target_spm), (Move::Advance, 173.0));
    }

    #[test]
    fn it_holds_before_two_weeks_or_four_sessions() {
        let early = &good_stage(168.0, 2)[..3];
        let d = decide(160.0, early, Some(2), 16 * DAY);
        assert_eq!((d.step, d.target_spm), (Move::Hold, 168.0));
        let mut quick = good_stage(168.0, 2);
        for (i, s) in quick.iter_mut().enumerate() {
            s.started_ms = i as i64 * DAY;
        }
        let d = decide(160.0, &quick, Some(2), 4 * DAY);
        assert_eq!((d.step, d.target_spm), (Move::Hold, 168.0));
        assert!(d.why.contains("more day"), "{}", d.why);
    }

    #[test]
    fn it_holds_when_the_beat_was_not_held() {
        let mut sessions = good_stage(168.0, 2);
        sessions[3].in_band = Some(0.82);
        let d = decide(160.0, &sessions, Some(2), 16 * DAY);
        assert_eq!(d.step, Move::Hold);
        assert!(d.why.contains("82 %"), "{}", d.why);
        sessions[3].in_band = Some(0.95);
        sessions[2].drift_spm = Some(-3.5);
        assert_eq!(decide(160.0, &sessions, Some(2), 16 * DAY).step, Move::Hold);
        sessions[2].in_band = None;
        let d = decide(160.0, &sessions, Some(2), 16 * DAY);
        assert!(d.why.contains("--mic"), "{}", d.why);
    }

    #[test]
    fn pain_up_two_steps_back_and_up_one_holds() {
        let mut sessions = good_stage(168.0, 2);
        sessions.extend(good_stage(173.0, 2).into_iter().map(|mut s| {
            s.started_ms += 20 * DAY;
            s
        }));
        let last = sessions.len() - 1;
        sessions[last].pain = Some(4);
        let d = decide(160.0, &sessions, Some(2), 40 * DAY);
        assert_eq!((d.step, d.target_spm), (Move::StepBack, 168.0));
        assert!(d.why.contains("from 2 to 4"), "{}", d.why);
        sessions[last].pain = Some(3);
        let d = decide(160.0, &sessions, Some(2), 40 * DAY);
        assert_eq!((d.step, d.target_spm), (Move::Hold, 173.0));
    }

    #[test]
    fn pain_at_the_first_stage_holds_and_names_a_physician() {
        let mut sessions = good_stage(168.0, 2);
        sessions[3].pain = Some(5);
        let d = decide(160.0, &sessions, Some(2), 16 * DAY);
        assert_eq!((d.step, d.target_spm), (Move::Hold, 168.0));
        assert!(d.why.contains("physician"));
    }

    #[test]
    fn without_a_check_in_it_holds() {
        let mut sessions = good_stage(168.0, 2);
        for s in &mut sessions {
            s.pain = None;
        }
        let d = decide(160.0, &sessions, None, 16 * DAY);
        assert_eq!(d.step, Move::Hold);
        assert!(d.why.contains("checkin"));
    }

    #[test]
    fn it_never_climbs_past_ten_percent() {
        let d = decide(160.0, &good_stage(176.0, 1), Some(1), 16 * DAY);
        assert_eq!((d.step, d.target_spm), (Move::Hold, 176.0));
        assert!(d.why.contains("top"));
    }
}

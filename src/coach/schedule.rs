//! Placing cues so that none overlaps another.
//!
//! The rule: cues are placed in order of importance (countdowns, then step
//! announcements and side switches, then the profile's own words, then the
//! welcome and send-off, then "thirty seconds left", then "halfway"). Each
//! goes at its preferred time if that is free; else at the free time
//! nearest to it within its window (an announcement may start earlier, a
//! reminder later); if its window has no room it is dropped. A gap of
//! 0.2 s separates cues.

use super::{Cue, CueKind};

/// A cue before placement: where it would like to be and where it may go.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub cue: Cue,
    pub earliest_s: f64,
    pub latest_s: f64,
}

const GAP_S: f64 = 0.2;

fn overlaps(start: f64, end: f64, placed: &[Cue]) -> bool {
    placed
        .iter()
        .any(|c| start < c.at_s + c.duration_s + GAP_S && c.at_s < end + GAP_S)
}

pub fn place(mut candidates: Vec<Candidate>) -> Vec<Cue> {
    candidates.sort_by(|a, b| {
        b.cue
            .kind
            .priority()
            .cmp(&a.cue.kind.priority())
            .then(a.cue.at_s.total_cmp(&b.cue.at_s))
    });
    let mut placed: Vec<Cue> = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        let d = candidate.cue.duration_s;
        let preferred = candidate.cue.at_s;
        let within = |t: f64| t >= candidate.earliest_s - 1e-9 && t <= candidate.latest_s + 1e-9;
        let mut options = vec![preferred];
        for c in &placed {
            options.push(c.at_s + c.duration_s + GAP_S);
            options.push(c.at_s - d - GAP_S);
        }
        let best = options
            .into_iter()
            .filter(|t| within(*t) && !overlaps(*t, t + d, &placed))
            .min_by(|a, b| (a - preferred).abs().total_cmp(&(b - preferred).abs()));
        if let Some(at_s) = best {
            placed.push(Cue {
                at_s,
                ..candidate.cue
            });
        }
    }
    placed.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
    placed
}

impl CueKind {
    /// Higher goes first and wins collisions.
    pub fn priority(self) -> u8 {
        match self {
            CueKind::Countdown => 6,
            CueKind::Announce | CueKind::SwitchSides => 5,
            CueKind::Say => 4,
            CueKind::Welcome | CueKind::SendOff => 3,
            CueKind::LastThirty => 2,
            CueKind::Halfway => 1,
        }
    }
}

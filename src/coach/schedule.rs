//! Placing cues so that none overlaps another.
//!
//! The rule: cues are placed in order of importance (the session's opening
//! announcement, countdowns, side switches, step announcements, the
//! profile's own words, the send-off, "thirty seconds left", "halfway",
//! form reminders). Each goes at its preferred time if that is free; else
//! at the free time nearest to it within its window (an announcement may
//! start earlier, a reminder later); if its window has no room it is
//! dropped. A gap of 0.2 s separates cues.
//!
//! Step announcements are never dropped: `announce` only hands over
//! windows it has checked with [`slot`] against everything placed before
//! them, and their windows do not overlap one another.

use super::{Cue, CueKind};

/// A cue before placement: where it would like to be and where it may go.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The cue; for a chain, its first part with the chain's whole length.
    pub cue: Cue,
    pub earliest_s: f64,
    pub latest_s: f64,
    /// Higher goes first and wins collisions; see [`CueKind::priority`].
    pub priority: u8,
    /// A chain said in one breath (a step announcement and the short steps
    /// folded into it): each part's offset from the chain's start. Empty
    /// for a single cue.
    pub parts: Vec<(f64, Cue)>,
}

impl Candidate {
    pub fn new(cue: Cue, window: (f64, f64)) -> Candidate {
        Candidate {
            priority: cue.kind.priority(),
            cue,
            earliest_s: window.0,
            latest_s: window.1,
            parts: Vec::new(),
        }
    }
}

pub const GAP_S: f64 = 0.2;

fn overlaps(start: f64, end: f64, placed: &[Cue]) -> bool {
    placed
        .iter()
        .any(|c| start < c.at_s + c.duration_s + GAP_S && c.at_s < end + GAP_S)
}

/// Where `candidate` would go among `placed`: its preferred time if free,
/// else the free time nearest to it within its window.
pub fn slot(candidate: &Candidate, placed: &[Cue]) -> Option<f64> {
    let d = candidate.cue.duration_s;
    let preferred = candidate.cue.at_s;
    let within = |t: f64| t >= candidate.earliest_s - 1e-9 && t <= candidate.latest_s + 1e-9;
    let mut options = vec![preferred];
    for c in placed {
        options.push(c.at_s + c.duration_s + GAP_S);
        options.push(c.at_s - d - GAP_S);
    }
    options
        .into_iter()
        .filter(|t| within(*t) && !overlaps(*t, t + d, placed))
        .min_by(|a, b| (a - preferred).abs().total_cmp(&(b - preferred).abs()))
}

/// Places every candidate it can, most important first; returns the cues
/// in time order, chains split into their parts.
pub fn place(mut candidates: Vec<Candidate>) -> Vec<Cue> {
    candidates.sort_by(|a, b| {
        b.priority
            .cmp(&a.priority)
            .then(a.cue.at_s.total_cmp(&b.cue.at_s))
    });
    let mut placed: Vec<Cue> = Vec::with_capacity(candidates.len());
    let mut chains = Vec::new();
    for candidate in candidates {
        if let Some(at_s) = slot(&candidate, &placed) {
            if !candidate.parts.is_empty() {
                chains.push((placed.len(), at_s, candidate.parts.clone()));
            }
            placed.push(Cue {
                at_s,
                ..candidate.cue
            });
        }
    }
    // Chains occupied their whole length while placing; now each part.
    for (index, at_s, parts) in chains.into_iter().rev() {
        placed.remove(index);
        placed.extend(parts.into_iter().map(|(offset, cue)| Cue {
            at_s: at_s + offset,
            ..cue
        }));
    }
    placed.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
    placed
}

impl CueKind {
    /// Higher goes first and wins collisions. Countdowns and side switches
    /// are fixed to the second, so they go before the announcements, which
    /// may move earlier.
    pub fn priority(self) -> u8 {
        match self {
            CueKind::Countdown => 7,
            CueKind::SwitchSides => 6,
            CueKind::Announce => 5,
            CueKind::Say => 4,
            CueKind::Welcome | CueKind::SendOff => 3,
            CueKind::LastThirty => 2,
            CueKind::Halfway => 1,
            CueKind::Form => 0,
        }
    }
}

/// The session's opening: said as the session starts, before anything.
pub const OPENING_PRIORITY: u8 = 8;

//! The coach: from the timeline, the list of everything to say and when.
//!
//! Pure. Every phrase is known before the session starts, so speech can be
//! rendered up front and scheduled to the sample like clicks. Times come
//! from a speech-length function: an estimate from word count for planning,
//! the rendered samples' real length once speech exists.
//!
//! Timing: a step is announced so that the announcement ends before a
//! "three, two, one" whose "one" finishes just before the step boundary;
//! the new step's first click is the "go" (`announce` keeps that true for
//! short steps). The first step is announced as the session opens (the
//! count-in is its countdown).
//!
//! How much is said is the profile's `[coach] level` (`--coach`):
//!
//! - quiet: the steps only. Each step's announcement, the countdowns, and a
//!   stretch's "switch sides" (a stretch's own step change).
//! - normal: quiet, plus the welcome, the profile's `say` words, "halfway"
//!   in steps of four minutes or more, "thirty seconds left" in the last
//!   step (before every other change the next announcement says as much),
//!   and the send-off.
//! - chatty: normal, plus "halfway" from two minutes, "thirty seconds
//!   left" before every change after a step of two minutes or more, and
//!   form reminders ("quick feet", "stand tall") every few minutes of a
//!   clicked run.

mod announce;
pub mod earcon_choice;
mod phrases;
mod reminders;
mod schedule;
pub mod words;

pub use crate::plan::model::CoachLevel;
use crate::plan::Timeline;
pub use schedule::Candidate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CueKind {
    Welcome,
    Announce,
    Countdown,
    Say,
    Halfway,
    LastThirty,
    SwitchSides,
    SendOff,
    /// A running-form reminder (chatty only).
    Form,
}

/// One thing to say, placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    /// When speaking starts, in session seconds.
    pub at_s: f64,
    pub duration_s: f64,
    pub text: String,
    pub kind: CueKind,
    /// The timeline segment the cue belongs to.
    pub segment: usize,
}

/// Seconds a phrase takes, estimated (lives in plan, which checks that a
/// `say` fits its step and may not depend on the coach).
pub use crate::plan::speech_estimate::estimated_speech_s;

/// Every cue of a session at the timeline's coach level, none overlapping
/// another.
pub fn build_cues(timeline: &Timeline, speech_s: &dyn Fn(&str) -> f64) -> Vec<Cue> {
    schedule::place(candidates(timeline, speech_s))
}

/// Every phrase the coach might say in a session: render these, then build
/// the cues with their real lengths. Which steps fold into an earlier
/// announcement depends on those lengths, so every step's announcement is
/// here in both forms.
pub fn phrases(timeline: &Timeline) -> Vec<String> {
    let mut texts: Vec<String> = candidates(timeline, &estimated_speech_s)
        .into_iter()
        .flat_map(|c| {
            let mut texts = vec![c.cue.text];
            texts.extend(c.parts.into_iter().map(|(_, part)| part.text));
            texts
        })
        .collect();
    let segments = &timeline.segments;
    for (i, segment) in segments.iter().enumerate().skip(1) {
        let text = phrases::announcement(segment, Some(&segments[i - 1]), timeline.units);
        texts.push(phrases::then(&text));
        texts.push(text);
    }
    texts.sort();
    texts.dedup();
    texts
}

fn candidates(timeline: &Timeline, speech_s: &dyn Fn(&str) -> f64) -> Vec<Candidate> {
    let segments = &timeline.segments;
    let word = |at_s: f64, text: &str, kind: CueKind, segment: usize| {
        let cue = Cue {
            at_s,
            duration_s: speech_s(text),
            text: text.to_string(),
            kind,
            segment,
        };
        Candidate::new(cue, (at_s, at_s))
    };
    // Fixed to the second: countdowns and stretch holds.
    let mut fixed = Vec::new();
    for i in 1..segments.len() {
        for (t, text) in announce::countdown(segments, i) {
            fixed.push(word(t, text, CueKind::Countdown, i));
        }
    }
    for (i, segment) in segments.iter().enumerate() {
        reminders::holds(segment, i, speech_s, &mut fixed);
    }
    let mut candidates = announce::announcements(timeline, &fixed, speech_s);
    candidates.extend(fixed);
    reminders::extras(timeline, speech_s, &mut candidates);
    candidates
}

//! The coach: from the timeline, the list of everything to say and when.
//!
//! Pure. Every phrase is known before the session starts, so speech can be
//! rendered up front and scheduled to the sample like clicks. Times come
//! from a speech-length function: an estimate from word count for planning,
//! the rendered samples' real length once speech exists.
//!
//! Timing: a step is announced so that the announcement ends before a
//! "three, two, one" whose "one" finishes just before the step boundary;
//! the new step's first click is the "go". The first step is announced as
//! the session opens (the count-in is its countdown).

mod phrases;
mod schedule;
pub mod words;

use crate::plan::Timeline;
pub use schedule::Candidate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    Welcome,
    Announce,
    Countdown,
    Say,
    Halfway,
    LastThirty,
    SwitchSides,
    SendOff,
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

/// Seconds a phrase takes, estimated: about 180 words a minute plus a
/// breath, close to espeak-ng at its default rate.
pub fn estimated_speech_s(text: &str) -> f64 {
    0.15 + 0.33 * text.split_whitespace().count() as f64
}

/// "three, two, one" on the seconds before a boundary: "one" starts a
/// second before it and ends just before it.
const COUNTDOWN_FROM_S: f64 = 3.0;
const COUNTDOWN_STEP_S: f64 = 1.0;
/// How much earlier than ideal an announcement may start.
const ANNOUNCE_SLACK_S: f64 = 10.0;

/// Every cue of a session, none overlapping another.
pub fn build_cues(timeline: &Timeline, speech_s: &dyn Fn(&str) -> f64) -> Vec<Cue> {
    schedule::place(candidates(timeline, speech_s))
}

/// Every phrase the coach might say in a session: render these, then build
/// the cues with their real lengths.
pub fn phrases(timeline: &Timeline) -> Vec<String> {
    let mut texts: Vec<String> = candidates(timeline, &estimated_speech_s)
        .into_iter()
        .map(|c| c.cue.text)
        .collect();
    texts.sort();
    texts.dedup();
    texts
}

fn candidates(timeline: &Timeline, speech_s: &dyn Fn(&str) -> f64) -> Vec<Candidate> {
    let mut candidates = Vec::new();
    let mut push = |at_s: f64, window: (f64, f64), text: String, kind: CueKind, segment: usize| {
        let duration_s = speech_s(&text);
        candidates.push(Candidate {
            cue: Cue {
                at_s,
                duration_s,
                text,
                kind,
                segment,
            },
            earliest_s: window.0,
            latest_s: window.1,
        });
    };
    let segments = &timeline.segments;
    for (i, segment) in segments.iter().enumerate() {
        let start = segment.start_s;
        let end = segment.end_s();
        let previous = i.checked_sub(1).map(|p| &segments[p]);
        let mut text = phrases::announcement(segment, previous, timeline.units);
        if i == 0 {
            if segment.kind.on_belt() {
                text = format!("{} {text}", phrases::welcome(&timeline.name, segment));
            }
            push(
                start + 0.3,
                (start, start + 10.0),
                text,
                CueKind::Announce,
                i,
            );
        } else {
            let countdown_at = start - COUNTDOWN_FROM_S;
            let at = countdown_at - 0.2 - speech_s(&text);
            let earliest = (previous.map_or(0.0, |p| p.start_s) + 1.0).max(at - ANNOUNCE_SLACK_S);
            push(at, (earliest, at), text, CueKind::Announce, i);
            for (k, word) in phrases::COUNTDOWN.iter().enumerate() {
                let t = countdown_at + k as f64 * COUNTDOWN_STEP_S;
                push(t, (t, t), word.to_string(), CueKind::Countdown, i);
            }
        }
        if let Some(say) = &segment.say {
            let at = start + 1.0;
            push(at, (at, (end - 5.0).max(at)), say.clone(), CueKind::Say, i);
        }
        let long_enough = segment.duration_s >= 240.0 && segment.kind.on_belt();
        if long_enough {
            let at = start + segment.duration_s / 2.0;
            push(
                at,
                (at - 10.0, at + 10.0),
                phrases::halfway(segment),
                CueKind::Halfway,
                i,
            );
        }
        if segment.duration_s >= 120.0 && segment.kind.on_belt() {
            let at = end - 30.0;
            push(
                at,
                (at - 2.0, at + 4.0),
                phrases::last_thirty(segment),
                CueKind::LastThirty,
                i,
            );
        }
        stretch_cues(segment, i, &mut push);
    }
    let ran = segments
        .iter()
        .any(|s| s.kind == crate::plan::StepKind::Run);
    if ran {
        let end = timeline.total_s();
        push(
            end + 0.5,
            (end + 0.5, end + 5.0),
            phrases::send_off(),
            CueKind::SendOff,
            segments.len() - 1,
        );
    }
    candidates
}

/// Holds: "switch sides" (or "relax, and again") at each hold's end, with a
/// countdown before it.
fn stretch_cues(
    segment: &crate::plan::Segment,
    index: usize,
    push: &mut impl FnMut(f64, (f64, f64), String, CueKind, usize),
) {
    if segment.kind != crate::plan::StepKind::Stretch {
        return;
    }
    let hold = match (segment.hold_s, segment.sides) {
        (Some(hold), _) => hold,
        (None, true) => segment.duration_s / 2.0,
        (None, false) => return,
    };
    let mut k = 1.0;
    while segment.start_s + k * hold < segment.end_s() - 1.0 {
        let at = segment.start_s + k * hold;
        let text = if segment.sides {
            phrases::SWITCH_SIDES
        } else {
            phrases::NEXT_HOLD
        };
        for (j, word) in phrases::COUNTDOWN.iter().enumerate() {
            let t = at - COUNTDOWN_FROM_S + j as f64 * COUNTDOWN_STEP_S;
            push(t, (t, t), word.to_string(), CueKind::Countdown, index);
        }
        push(
            at,
            (at, at + 2.0),
            text.to_string(),
            CueKind::SwitchSides,
            index,
        );
        k += 1.0;
    }
}

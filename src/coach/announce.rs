//! When each step is announced and counted down to.
//!
//! A step's announcement ends before its "three, two, one"; the "one"
//! finishes just before the step starts, and the step's first click is the
//! "go". Both are said during the step before, never after the step has
//! started. Two rules keep that true for short steps:
//!
//! - A countdown word is said only within the step before (a 2 s step gets
//!   "two, one"; a step under a second gets none), so countdowns to
//!   neighbouring boundaries never pile up.
//! - A step whose announcement does not fit in the step before is folded
//!   into that step's announcement ("Stride, five seconds. … Then walk,
//!   thirty seconds. …"), which is said earlier, in one breath; if that
//!   does not fit either, the fold goes back a step further. Nothing is
//!   dropped: at worst everything folds into the opening.
//!
//! The first step is announced as the session opens (the count-in is its
//! countdown). Steps that start before the opening can be said are named in
//! it, and their countdowns give way to it.

use super::phrases;
use super::schedule::{place, slot, Candidate, GAP_S, OPENING_PRIORITY};
use super::CoachLevel;
use super::{Cue, CueKind};
use crate::plan::{Segment, Timeline};

/// "three, two, one" on the seconds before a boundary: "one" starts a
/// second before it and ends just before it.
pub const COUNTDOWN_STEP_S: f64 = 1.0;
/// How much earlier than ideal an announcement may start: about the time a
/// runner keeps the words in mind before the change comes.
const ANNOUNCE_SLACK_S: f64 = 10.0;
/// An announcement waits this long into the step before, so that the step's
/// own start (its first clicks) is heard first.
const ANNOUNCE_AFTER_START_S: f64 = 1.0;
/// The opening starts just after the session does, not on its first click.
const OPENING_AT_S: f64 = 0.3;
/// How long after its start the opening may still be said when something
/// fixed is in the way.
const OPENING_WINDOW_S: f64 = 10.0;

/// The countdown into step `i` (i ≥ 1): (time, word), only the words that
/// fall within step i − 1.
pub fn countdown(segments: &[Segment], i: usize) -> Vec<(f64, &'static str)> {
    let start = segments[i].start_s;
    let previous_start = segments[i - 1].start_s;
    phrases::COUNTDOWN
        .iter()
        .enumerate()
        .map(|(k, word)| {
            let before = (phrases::COUNTDOWN.len() - k) as f64 * COUNTDOWN_STEP_S;
            (start - before, *word)
        })
        .filter(|(t, _)| *t >= previous_start - 1e-9)
        .collect()
}

/// Every step's announcement, chained where steps are short, as
/// candidates to place after `fixed` (countdowns and side switches, which
/// go first). The opening's candidate comes first in the list.
pub fn announcements(
    timeline: &Timeline,
    fixed: &[Candidate],
    speech_s: &dyn Fn(&str) -> f64,
) -> Vec<Candidate> {
    let segments = &timeline.segments;
    if segments.is_empty() {
        return Vec::new();
    }
    let texts = Texts { timeline, speech_s };
    let mut opening = vec![0];
    let mut obstacles = placed_with(&texts.opening(&opening), fixed);
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in 1..segments.len() {
        groups.push(vec![i]);
        while let Some(last) = groups.last() {
            if texts.chain(last, &obstacles).is_some() {
                break;
            }
            let last = groups.pop().expect("checked above");
            match groups.last_mut() {
                Some(previous) => previous.extend(last),
                None => {
                    opening.extend(last);
                    obstacles = placed_with(&texts.opening(&opening), fixed);
                }
            }
        }
    }
    let mut candidates = vec![texts.opening(&opening)];
    for group in &groups {
        candidates.push(texts.chain(group, &obstacles).expect("fitted above"));
    }
    candidates
}

/// What is placed once the opening and the fixed cues are.
fn placed_with(opening: &Candidate, fixed: &[Candidate]) -> Vec<Cue> {
    let mut all = vec![opening.clone()];
    all.extend_from_slice(fixed);
    place(all)
}

struct Texts<'a> {
    timeline: &'a Timeline,
    speech_s: &'a dyn Fn(&str) -> f64,
}

impl Texts<'_> {
    /// Step `i`'s announcement: on its own, or folded after the one before.
    fn part(&self, i: usize, folded: bool) -> Cue {
        let segments = &self.timeline.segments;
        let segment = &segments[i];
        let previous = i.checked_sub(1).map(|p| &segments[p]);
        let mut text = phrases::announcement(segment, previous, self.timeline.units);
        if folded {
            text = phrases::then(&text);
        } else if i == 0 && segment.kind.on_belt() && self.timeline.coach.level != CoachLevel::Quiet
        {
            text = format!("{} {text}", phrases::welcome(&self.timeline.name, segment));
        }
        Cue {
            at_s: 0.0,
            duration_s: (self.speech_s)(&text),
            text,
            kind: CueKind::Announce,
            segment: i,
        }
    }

    /// The steps of `group` said in one breath: the cue (first part, whole
    /// length) and each part's offset.
    fn parts(&self, group: &[usize]) -> (Cue, Vec<(f64, Cue)>) {
        let mut parts = Vec::new();
        let mut offset = 0.0;
        for (k, &i) in group.iter().enumerate() {
            let part = self.part(i, k > 0);
            let length = part.duration_s;
            parts.push((offset, part));
            offset += length + GAP_S;
        }
        let mut cue = parts[0].1.clone();
        cue.duration_s = offset - GAP_S;
        if parts.len() == 1 {
            parts.clear();
        }
        (cue, parts)
    }

    fn opening(&self, group: &[usize]) -> Candidate {
        let start = self.timeline.segments[0].start_s;
        let (mut cue, parts) = self.parts(group);
        cue.at_s = start + OPENING_AT_S;
        let mut candidate = Candidate::new(cue, (start, start + OPENING_WINDOW_S));
        candidate.priority = OPENING_PRIORITY;
        candidate.parts = parts;
        candidate
    }

    /// `group` said during the step before its first step, ending before
    /// that step's countdown; `None` when no room is left among `placed`.
    fn chain(&self, group: &[usize], placed: &[Cue]) -> Option<Candidate> {
        let segments = &self.timeline.segments;
        let first = group[0];
        let host = &segments[first - 1];
        let (mut cue, parts) = self.parts(group);
        let countdown_at = countdown(segments, first)
            .first()
            .map_or(segments[first].start_s, |(t, _)| *t);
        let latest = countdown_at - GAP_S - cue.duration_s;
        let earliest = (host.start_s + ANNOUNCE_AFTER_START_S).max(latest - ANNOUNCE_SLACK_S);
        cue.at_s = latest;
        let mut candidate = Candidate::new(cue, (earliest, latest));
        candidate.parts = parts;
        slot(&candidate, placed).map(|_| candidate)
    }
}

//! Everything said besides the step changes: stretch holds, the profile's
//! own words, "halfway", "thirty seconds left", form reminders and the
//! send-off, each at the coach levels that say it (see the module above).

use super::announce::COUNTDOWN_STEP_S;
use super::phrases;
use super::schedule::Candidate;
use super::{CoachLevel, Cue, CueKind};
use crate::plan::{Segment, StepKind, Timeline};

/// "Halfway" in a step at least this long (at normal; chatty halves it): in
/// shorter steps the next announcement comes soon enough.
const HALFWAY_FROM_S: f64 = 240.0;
/// "Thirty seconds left" in a step at least this long: in shorter ones the
/// runner still remembers the announcement.
const LAST_THIRTY_FROM_S: f64 = 120.0;
/// Chatty: a form reminder every this often in a clicked run, the way a
/// coach at the side of the treadmill would speak up.
const FORM_EVERY_S: f64 = 150.0;
/// No form reminder this close to a step change or to "halfway": those
/// are said then.
const FORM_CLEAR_S: f64 = 40.0;

fn cue(
    at_s: f64,
    text: String,
    kind: CueKind,
    segment: usize,
    speech_s: &dyn Fn(&str) -> f64,
) -> Cue {
    Cue {
        at_s,
        duration_s: speech_s(&text),
        text,
        kind,
        segment,
    }
}

/// Holds: "switch sides" (or "relax, and again") at each hold's end, with a
/// countdown before it, within the hold.
pub fn holds(
    segment: &Segment,
    index: usize,
    speech_s: &dyn Fn(&str) -> f64,
    out: &mut Vec<Candidate>,
) {
    if segment.kind != StepKind::Stretch {
        return;
    }
    let hold = match (segment.hold_s, segment.sides) {
        (Some(hold), _) => hold,
        (None, true) => segment.duration_s / 2.0,
        (None, false) => return,
    };
    let text = if segment.sides {
        phrases::SWITCH_SIDES
    } else {
        phrases::NEXT_HOLD
    };
    let mut k = 1.0;
    while segment.start_s + k * hold < segment.end_s() - 1.0 {
        let at = segment.start_s + k * hold;
        // Not over the switch that began this hold.
        let hold_began = at - hold + if k > 1.0 { COUNTDOWN_STEP_S } else { 0.0 };
        for (j, word) in phrases::COUNTDOWN.iter().enumerate() {
            let t = at - (phrases::COUNTDOWN.len() - j) as f64 * COUNTDOWN_STEP_S;
            if t >= hold_began - 1e-9 {
                let word = cue(t, word.to_string(), CueKind::Countdown, index, speech_s);
                out.push(Candidate::new(word, (t, t)));
            }
        }
        let switch = cue(at, text.to_string(), CueKind::SwitchSides, index, speech_s);
        out.push(Candidate::new(switch, (at, at + 2.0)));
        k += 1.0;
    }
}

/// The profile's words, the reminders and the send-off, by level.
pub fn extras(timeline: &Timeline, speech_s: &dyn Fn(&str) -> f64, out: &mut Vec<Candidate>) {
    let level = timeline.coach.level;
    if level == CoachLevel::Quiet {
        return;
    }
    let chatty = level == CoachLevel::Chatty;
    let segments = &timeline.segments;
    // Form reminders take turns through the session.
    let mut form_said = 0;
    let mut push = |at: f64, window: (f64, f64), text: String, kind: CueKind, i: usize| {
        out.push(Candidate::new(cue(at, text, kind, i, speech_s), window));
    };
    for (i, segment) in segments.iter().enumerate() {
        let start = segment.start_s;
        let end = segment.end_s();
        if let Some(say) = &segment.say {
            let at = start + 1.0;
            push(at, (at, (end - 5.0).max(at)), say.clone(), CueKind::Say, i);
        }
        if !segment.kind.on_belt() {
            continue;
        }
        let halfway_from = if chatty {
            HALFWAY_FROM_S / 2.0
        } else {
            HALFWAY_FROM_S
        };
        if segment.duration_s >= halfway_from {
            let at = start + segment.duration_s / 2.0;
            let text = phrases::halfway(segment);
            push(at, (at - 10.0, at + 10.0), text, CueKind::Halfway, i);
        }
        // Before any other change, the next step's announcement follows
        // within seconds and says what is coming: "thirty seconds left"
        // would only add words.
        let last = i + 1 == segments.len();
        if segment.duration_s >= LAST_THIRTY_FROM_S && (last || chatty) {
            let at = end - 30.0;
            let text = phrases::last_thirty(segment);
            push(at, (at - 2.0, at + 4.0), text, CueKind::LastThirty, i);
        }
        if chatty && segment.kind == StepKind::Run && segment.clicked {
            let halfway = start + segment.duration_s / 2.0;
            let mut at = start + FORM_EVERY_S;
            while at < end - FORM_CLEAR_S {
                if (at - halfway).abs() >= FORM_CLEAR_S {
                    let text = phrases::form(form_said).to_string();
                    push(at, (at - 15.0, at + 15.0), text, CueKind::Form, i);
                    form_said += 1;
                }
                at += FORM_EVERY_S;
            }
        }
    }
    // The stretch offer after a run, unless the session stretched after
    // its running already.
    let last_run = segments.iter().rposition(|s| s.kind == StepKind::Run);
    if let Some(last_run) = last_run {
        let stretched = segments[last_run..]
            .iter()
            .any(|s| s.kind == StepKind::Stretch);
        let end = timeline.total_s();
        push(
            end + 0.5,
            (end + 0.5, end + 5.0),
            phrases::send_off(!stretched),
            CueKind::SendOff,
            segments.len() - 1,
        );
    }
}

//! What the coach says: step announcements, halfway and last-seconds
//! reminders, stretch holds, the welcome and the send-off. Plain sentences
//! for a speech synthesizer: no abbreviations, numbers in words.

use super::words;
use crate::plan::{Segment, StepKind, Units};
use crate::units::{KmH, METRES_PER_MILE};

/// "Tempo 2/5" -> "Tempo, two of five"; "Build 1/2, set 2/3" -> "Build, one of two, set two of three".
pub fn spoken_name(segment: &Segment) -> String {
    let base = segment
        .name
        .split(' ')
        .take_while(|w| !w.contains('/'))
        .collect::<Vec<_>>()
        .join(" ");
    let base = base.trim_end_matches(',').to_string();
    let mut text = speakable(&base);
    for (depth, r) in segment.repeats.iter().enumerate() {
        let prefix = if depth == 0 { "" } else { "set " };
        text.push_str(&format!(
            ", {prefix}{} of {}",
            words::number(u64::from(r.pass)),
            words::number(u64::from(r.count))
        ));
    }
    text
}

fn cadence_phrase(segment: &Segment) -> Option<String> {
    let c = segment.cadence?;
    let text = if (c.from - c.to).abs() < 0.5 {
        format!("Cadence {}.", words::cadence(c.from))
    } else {
        let direction = if c.to > c.from { "rising" } else { "easing" };
        format!(
            "Cadence {}, {direction} to {}.",
            words::cadence(c.from),
            words::cadence(c.to)
        )
    };
    Some(if segment.clicked {
        text
    } else {
        format!("{text} No clicks: hold it yourself.")
    })
}

/// Run steps shorter than this are announced without the pace: over a few
/// seconds a pace means nothing, and the speed is what the runner sets.
/// Walks and drills never have it: nobody walks or skips to a pace.
const PACE_FROM_S: f64 = 60.0;

fn speed_phrase(segment: &Segment, units: Units) -> Option<String> {
    let speed = segment.speed_kmh?;
    let (value, unit, pace_s, pace_unit) = match units {
        Units::Metric => (
            speed.from,
            "kilometres per hour",
            KmH(speed.from).pace_s_per_km(),
            "per kilometre",
        ),
        Units::Imperial => (
            KmH(speed.from).mph(),
            "miles per hour",
            KmH(speed.from).pace_s_per_mile(),
            "per mile",
        ),
    };
    // A belt that slows over the step is not "building".
    let ramp = if (speed.from - speed.to).abs() <= 0.05 {
        ""
    } else if speed.to > speed.from {
        ", building"
    } else {
        ", easing"
    };
    if segment.kind != StepKind::Run || segment.duration_s < PACE_FROM_S {
        return Some(format!("Speed {} {unit}{ramp}.", words::decimal(value)));
    }
    Some(format!(
        "Speed {} {unit}{ramp}, pace {} {pace_unit}.",
        words::decimal(value),
        words::pace(pace_s)
    ))
}

fn length_phrase(segment: &Segment, units: Units) -> String {
    if !segment.by_distance {
        return words::duration(segment.duration_s);
    }
    let metres = segment.distance_m;
    match units {
        Units::Metric if metres < 1.5 => "one metre".to_string(),
        Units::Metric if metres < 1000.0 => {
            format!("{} metres", words::number(metres.round() as u64))
        }
        Units::Metric => format!("{} kilometres", words::decimal(metres / 1000.0)),
        Units::Imperial => format!("{} miles", words::decimal(metres / METRES_PER_MILE)),
    }
}

/// The announcement of a step, said before it starts.
pub fn announcement(segment: &Segment, previous: Option<&Segment>, units: Units) -> String {
    let mut parts = vec![format!(
        "{}, {}.",
        spoken_name(segment),
        length_phrase(segment, units)
    )];
    match segment.kind {
        StepKind::Stretch => {
            if let Some(hold) = segment.hold_s {
                let each = if segment.sides { " each side" } else { "" };
                parts.push(format!("Hold {}{each}.", words::duration(hold)));
            } else if segment.sides {
                parts.push("Both sides.".to_string());
            }
            if previous.is_some_and(|p| p.kind.on_belt()) {
                parts.push("Stop the belt and step off.".to_string());
            }
        }
        StepKind::Rest => parts.push("Rest.".to_string()),
        _ => {
            parts.extend(cadence_phrase(segment));
            let speed_changes = previous.and_then(|p| p.speed_kmh) != segment.speed_kmh;
            if speed_changes || previous.is_none() {
                parts.extend(speed_phrase(segment, units));
            }
            let incline = segment.incline_pct.map_or(0.0, |i| i.from);
            let previous_incline = previous.and_then(|p| p.incline_pct).map_or(0.0, |i| i.to);
            if (incline - previous_incline).abs() > 0.05 {
                parts.push(format!(
                    "Incline {} percent.",
                    words::decimal(incline.abs())
                ));
            }
        }
    }
    parts.join(" ")
}

/// A step's announcement folded after the one before it: "Then walk, …".
pub fn then(announcement: &str) -> String {
    let mut chars = announcement.chars();
    let (Some(first), second) = (chars.next(), chars.next()) else {
        return "Then.".to_string();
    };
    // "Walk" reads "then walk", but "A-skips" and "HIIT" keep their capitals.
    let first = if second.is_some_and(char::is_lowercase) {
        first.to_lowercase().to_string()
    } else {
        first.to_string()
    };
    format!("Then {first}{}", &announcement[first.len()..])
}

/// Said as the session opens on the belt.
pub fn welcome(name: &str, first: &Segment) -> String {
    let warm = first.name.to_lowercase().contains("warm") || first.kind == StepKind::Walk;
    let advice = if warm {
        ""
    } else {
        " Start easy: let the first minutes be your warm-up."
    };
    format!("Welcome to {}.{advice}", speakable(name))
}

/// Profile names are written for the eye ("5 x 3 min"); this reads them
/// out ("5 by 3 minutes").
pub fn speakable(text: &str) -> String {
    text.split(' ')
        .map(|word| match word {
            "x" => "by",
            "min" => "minutes",
            "s" | "sec" => "seconds",
            "km" => "kilometres",
            "mi" => "miles",
            "spm" => "steps per minute",
            _ => word,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "Halfway", with the cadence: held, or where a ramp has got to and is
/// going (no "hold" while the target still moves).
pub fn halfway(segment: &Segment) -> String {
    match segment.cadence.filter(|_| segment.kind.on_belt()) {
        Some(c) if (c.from - c.to).abs() < 0.5 => {
            format!("Halfway. Hold {}.", words::cadence(c.at(0.5)))
        }
        Some(c) => {
            let direction = if c.to > c.from { "rising" } else { "easing" };
            format!(
                "Halfway. Cadence {}, {direction} to {}.",
                words::cadence(c.at(0.5)),
                words::cadence(c.to)
            )
        }
        None => "Halfway.".to_string(),
    }
}

pub fn last_thirty(segment: &Segment) -> String {
    if segment.kind == StepKind::Run {
        "Thirty seconds left. Quick feet, stand tall.".to_string()
    } else {
        "Thirty seconds left.".to_string()
    }
}

/// After a session with running in it; `offer_stretch` adds the
/// hip-flexor routine (not after a session that stretched already).
pub fn send_off(offer_stretch: bool) -> String {
    if offer_stretch {
        "Workout done. Well run. Now is the best time to stretch your hip flexors: \
         the hip-flexor stretch routine takes about twelve minutes."
            .to_string()
    } else {
        "Workout done. Well run.".to_string()
    }
}

/// Running-form reminders, in turn: what helps a tiring runner in the
/// moment (shared/COACHING.md, "Fatigue and technique").
const FORM: [&str; 5] = [
    "Quick feet. Pick each foot up under your hips.",
    "Stand tall, eyes forward, hips under your shoulders.",
    "Shorter, lighter steps. Stay with the click.",
    "Relax your shoulders and your hands.",
    "If the cadence slips, slow the belt, not your feet.",
];

/// The `n`th form reminder of a session.
pub fn form(n: usize) -> &'static str {
    FORM[n % FORM.len()]
}

pub const COUNTDOWN: [&str; 3] = ["three", "two", "one"];
pub const SWITCH_SIDES: &str = "Switch sides.";
pub const NEXT_HOLD: &str = "Relax. And again.";

//! Raw profile -> validated `Profile`: inheritance from `[defaults]`, the
//! rules of SPEC section 2, the limits of `limits`, and every error located
//! at its value.
//!
//! Reads on after an error so that `check` lists all of a file's problems.
//! A TOML syntax error is the exception: it is reported alone, because
//! reading on past one means guessing what was meant, and the guesses
//! cascade into errors that are not there.

use std::ops::Range;
use std::path::Path;

use toml::de::DeTable;
use toml::Spanned;

use super::error::{Locator, ProfileErrors};
use super::fields::Reader;
use super::file_text::too_large_message;
use super::limits::{
    MAX_PROFILE_BYTES, MAX_RUN_STEP_M, MAX_SESSION_STEPS, MAX_STEP_S, MAX_WALK_STEP_M, MIN_STEP_S,
};
use super::model::*;
use super::profile::{read_document, Field, RawProfile, RawStep};
use super::quantity::Ramp;
use super::speech_estimate::estimated_speech_s;
use super::tables::{
    read_click, read_coach, read_defaults, read_music, read_speed_or_pace, Defaults,
};
use crate::units::{clock_text, count_text, trim_number};

/// Parses and validates one profile. `file` names it in errors; relative
/// sample paths are resolved against `base_dir`.
pub fn parse_profile(file: &str, source: &str, base_dir: &Path) -> Result<Profile, ProfileErrors> {
    let locator = Locator::new(file, source);
    if source.len() > MAX_PROFILE_BYTES {
        return Err(ProfileErrors(vec![
            locator.error(&(0..0), too_large_message())
        ]));
    }
    let document =
        DeTable::parse(source).map_err(|e| ProfileErrors(vec![locator.from_toml(&e)]))?;
    let mut reader = Reader::new(locator);
    let raw = read_document(&mut reader, document.into_inner());
    let profile = read_profile(&mut reader, &raw, file, base_dir);
    if reader.has_errors() {
        Err(ProfileErrors(reader.into_errors()))
    } else {
        Ok(profile)
    }
}

fn read_profile(reader: &mut Reader, raw: &RawProfile, file: &str, base_dir: &Path) -> Profile {
    let stem = Path::new(file)
        .file_stem()
        .map_or("workout".into(), |s| s.to_string_lossy().into_owned());
    let units = match reader
        .choice(&raw.units, "units", &["metric", "imperial"])
        .as_deref()
    {
        Some("imperial") => Units::Imperial,
        _ => Units::Metric,
    };
    let click = raw
        .click
        .as_ref()
        .map(|c| read_click(reader, c, base_dir))
        .unwrap_or_default();
    let sound_file_span = match (&click.sound, &raw.click) {
        (ClickSound::File(_), Some(c)) => c.sound.as_ref().map(Spanned::span),
        _ => None,
    };
    let coach = raw
        .coach
        .as_ref()
        .map(|c| read_coach(reader, c))
        .unwrap_or_default();
    let music = raw
        .music
        .as_ref()
        .map(|m| read_music(reader, m, base_dir))
        .unwrap_or_default();
    let music_path_span = match (&music.path, &raw.music) {
        (Some(_), Some(m)) => m.path.as_ref().map(Spanned::span),
        _ => None,
    };
    let defaults = raw
        .defaults
        .as_ref()
        .map(|d| read_defaults(reader, d))
        .unwrap_or_default();
    let steps: Vec<StepNode> = raw
        .step
        .iter()
        .filter_map(|step| read_node(reader, step, &defaults, 0))
        .collect();
    if !raw.step_given {
        reader.fail::<()>(&(0..0), "the profile has no `[[step]]`");
    }
    check_session_length(reader, &steps);
    check_step_count(reader, &steps);
    Profile {
        name: reader.string(&raw.name, "name").unwrap_or(stem),
        about: reader.string(&raw.about, "about").unwrap_or_default(),
        units,
        click,
        coach,
        music,
        steps,
        sound_file_span,
        music_path_span,
    }
}

fn read_node(
    reader: &mut Reader,
    raw: &Spanned<RawStep>,
    defaults: &Defaults,
    depth: u32,
) -> Option<StepNode> {
    let step = raw.get_ref();
    if step.repeat.is_none() && step.steps.is_none() {
        return read_step(reader, raw, defaults).map(StepNode::Step);
    }
    let span = raw.span();
    let Some(repeat) = &step.repeat else {
        let steps_span = step.steps.as_ref()?.span();
        if step.meant.contains(&"repeat") {
            return None;
        }
        return reader.fail(
            &steps_span,
            "`steps` belongs to a repeat: add `repeat = N` beside it",
        );
    };
    if depth >= 2 {
        return reader.fail(&repeat.span(), "repeats nest one level deep at most");
    }
    for (key, field) in leaf_fields(step) {
        if let Some(value) = field {
            let message = format!(
                "a repeat takes only `repeat` and `steps`; put `{key}` on the steps inside it"
            );
            reader.fail::<()>(&value.span(), message);
        }
    }
    let count = reader.integer(&step.repeat, "repeat", (1, 100));
    let Some(children) = &step.steps else {
        if step.meant.contains(&"steps") {
            return None;
        }
        return reader.fail(&repeat.span(), "a repeat needs `steps = [ { ... }, ... ]`");
    };
    if children.get_ref().is_empty() {
        return reader.fail(&children.span(), "`steps` is empty");
    }
    let steps: Vec<StepNode> = children
        .get_ref()
        .iter()
        .filter_map(|child| read_node(reader, child, defaults, depth + 1))
        .collect();
    Some(StepNode::Repeat {
        count: count? as u32,
        steps,
        span,
    })
}

fn leaf_fields<'a, 'i>(step: &'a RawStep<'i>) -> [(&'static str, &'a Field<'i>); 12] {
    [
        ("name", &step.name),
        ("kind", &step.kind),
        ("time", &step.time),
        ("distance", &step.distance),
        ("cadence", &step.cadence),
        ("speed", &step.speed),
        ("pace", &step.pace),
        ("incline", &step.incline),
        ("say", &step.say),
        ("click", &step.click),
        ("hold", &step.hold),
        ("sides", &step.sides),
    ]
}

fn read_step(reader: &mut Reader, raw: &Spanned<RawStep>, defaults: &Defaults) -> Option<Step> {
    let step = raw.get_ref();
    let span = raw.span();
    let kind = reader
        .choice(&step.kind, "kind", StepKind::NAMES)
        .and_then(|k| StepKind::parse(&k))
        .unwrap_or(StepKind::Run);
    check_kind_keys(reader, step, kind);

    let (cadence, speed, incline) = if kind.on_belt() {
        let own_speed = read_speed_or_pace(reader, &step.speed, &step.pace);
        let cadence = if step.cadence.is_some() {
            reader.cadence(&step.cadence)
        } else {
            defaults.cadence
        };
        let speed = if step.speed.is_some() || step.pace.is_some() {
            own_speed
        } else {
            defaults.speed
        };
        let incline = if step.incline.is_some() {
            reader.incline(&step.incline)
        } else {
            defaults.incline
        };
        (cadence, speed, Some(incline.unwrap_or(Ramp::constant(0.0))))
    } else {
        (None, None, None)
    };
    let click = reader.boolean(&step.click, "click").unwrap_or(true);

    let length = read_length(reader, step, &span, speed, defaults);
    let cadence_given =
        step.cadence.is_some() || step.meant.contains(&"cadence") || defaults.cadence_given;
    if click && kind.on_belt() && !cadence_given {
        reader.fail::<()>(&span, "this step clicks but has no cadence: set `cadence` here or in [defaults], or `click = false`");
    }
    if let (Some(cadence), Some(speed)) = (cadence, speed) {
        check_stride(reader, step, &span, kind, cadence, speed);
    }
    let hold_s = reader.duration(&step.hold, "hold");
    let say = reader.string(&step.say, "say");
    let name = reader.string(&step.name, "name");
    let sides = reader.boolean(&step.sides, "sides").unwrap_or(false);
    // What depends on the step's length is checked only when it is known;
    // everything else above is read either way, so no error hides another.
    let (length, duration_s) = length?;
    check_fits_length(reader, step, duration_s, hold_s, say.as_deref(), sides);
    Some(Step {
        name: name.unwrap_or_else(|| kind.title().to_string()),
        kind,
        length,
        duration_s,
        cadence,
        speed,
        incline,
        say,
        click,
        hold_s,
        sides,
        span,
    })
}

/// The step's `time` or `distance`, and how long it lasts.
fn read_length(
    reader: &mut Reader,
    step: &RawStep,
    span: &Range<usize>,
    speed: Option<Ramp>,
    defaults: &Defaults,
) -> Option<(Length, f64)> {
    let length = match (&step.time, &step.distance) {
        (Some(_), Some(d)) => reader.fail(&d.span(), "a step has `time` or `distance`, not both"),
        (Some(_), None) => reader
            .duration(&step.time, "time")
            .map(|seconds| Length::Time { seconds }),
        (None, Some(_)) => reader
            .distance(&step.distance)
            .map(|metres| Length::Distance { metres }),
        (None, None) if step.meant.iter().any(|k| ["time", "distance"].contains(k)) => None,
        (None, None) => reader.fail(span, "this step needs a `time` (or a `distance`)"),
    }?;
    let duration_s = match length {
        Length::Time { seconds } => seconds,
        Length::Distance { metres } => {
            let distance_span = step.distance.as_ref()?.span();
            let Some(speed) = speed else {
                let misspelt = |k: &&str| ["speed", "pace"].contains(k);
                if step.meant.iter().any(misspelt) || defaults.meant.iter().any(misspelt) {
                    return None;
                }
                return reader.fail(
                    &distance_span,
                    "`distance` needs a `speed` or `pace` (here or in [defaults])",
                );
            };
            // Speed is linear in time, so distance = mean speed x time.
            let seconds = metres / (speed.mean() / 3.6);
            if seconds > MAX_STEP_S {
                return reader.fail(
                    &distance_span,
                    "at this speed the step lasts longer than 24 hours",
                );
            }
            if seconds < MIN_STEP_S {
                let message = format!(
                    "at this speed the step lasts {} s; a step lasts at least 1 second",
                    trim_number(seconds, 2)
                );
                return reader.fail(&distance_span, message);
            }
            seconds
        }
    };
    Some((length, duration_s))
}

/// What must fit in the step's length: the holds of a stretch, the `say`
/// text.
fn check_fits_length(
    reader: &mut Reader,
    step: &RawStep,
    duration_s: f64,
    hold_s: Option<f64>,
    say: Option<&str>,
    sides: bool,
) {
    if let (Some(hold), Some(value)) = (hold_s, &step.hold) {
        if let Some(message) = hold_problem(hold, duration_s, sides) {
            reader.fail::<()>(&value.span(), message);
        }
    }
    if let (Some(text), Some(value)) = (say, &step.say) {
        let speech_s = estimated_speech_s(text);
        if speech_s > duration_s {
            let message = format!(
                "`say` takes about {} to speak, longer than its step ({}): shorten it or lengthen the step",
                seconds_text(speech_s),
                seconds_text(duration_s)
            );
            reader.fail::<()>(&value.span(), message);
        }
    }
}

/// A stretch's holds must fill it exactly (a last hold cut short would
/// otherwise pass silently), and with `sides` each side gets as many.
fn hold_problem(hold: f64, step: f64, sides: bool) -> Option<String> {
    if hold > step {
        return Some("`hold` is longer than the step's `time`".to_string());
    }
    let holds = step / hold;
    let whole = holds.round();
    // Durations are sums of decimal seconds: allow a millisecond of rounding.
    let fills = (holds - whole).abs() * hold <= 1e-3;
    let even = !sides || whole % 2.0 == 0.0;
    if fills && even {
        return None;
    }
    // The nearest step lengths that whole holds (pairs, with sides) fill.
    let unit = if sides { 2.0 * hold } else { hold };
    let below = (step / unit).floor() * unit;
    let above = below + unit;
    let fixes = if below > 0.0 {
        format!("{} or {}", seconds_text(below), seconds_text(above))
    } else {
        seconds_text(above)
    };
    Some(if fills {
        let uneven = if whole == 1.0 {
            "one hold stretches one side only".to_string()
        } else {
            format!("{whole} holds give one side more")
        };
        format!(
            "with `sides = true` the holds of {} alternate sides, and {uneven}: make the step {fixes}",
            seconds_text(hold)
        )
    } else {
        format!(
            "{} holds of {} do not fill the step's {}: the last would be cut to {}; make the step {fixes}",
            trim_number(holds, 2),
            seconds_text(hold),
            seconds_text(step),
            seconds_text(step - holds.floor() * hold),
        )
    })
}

/// Metres per step, speed over cadence, checked against what a walker or a
/// runner can do. Both are linear in time, so their ratio moves one way
/// across the step and is largest at one of its ends.
fn check_stride(
    reader: &mut Reader,
    step: &RawStep,
    step_span: &Range<usize>,
    kind: StepKind,
    cadence: Ramp,
    speed: Ramp,
) {
    let (limit, gait) = match kind {
        StepKind::Walk => (MAX_WALK_STEP_M, "walking"),
        _ => (MAX_RUN_STEP_M, "running"),
    };
    let stride = |kmh: f64, spm: f64| kmh / 3.6 / (spm / 60.0);
    let ((kmh, spm), metres) = [(speed.from, cadence.from), (speed.to, cadence.to)]
        .into_iter()
        .map(|(v, c)| ((v, c), stride(v, c)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or(((0.0, 1.0), 0.0));
    if metres <= limit {
        return;
    }
    // At the speed the step sets, else its cadence, else the step itself.
    let span = [&step.speed, &step.pace, &step.cadence]
        .into_iter()
        .find_map(|f| f.as_ref().map(Spanned::span))
        .unwrap_or_else(|| step_span.clone());
    let message = format!(
        "at {} km/h and {} spm each step would be {metres:.2} m, longer than a {gait} step can be ({limit} m): check the speed and the cadence",
        trim_number(kmh, 1),
        trim_number(spm, 0)
    );
    reader.fail::<()>(&span, message);
}

/// "45 s" under a minute, else "2:00".
fn seconds_text(seconds: f64) -> String {
    if seconds < 59.5 {
        format!("{} s", trim_number(seconds, 1))
    } else {
        clock_text(seconds)
    }
}

/// Off the belt there is no cadence, speed or incline; holds are for stretches.
fn check_kind_keys(reader: &mut Reader, step: &RawStep, kind: StepKind) {
    if !kind.on_belt() {
        let off_belt = [
            ("cadence", &step.cadence),
            ("speed", &step.speed),
            ("pace", &step.pace),
            ("incline", &step.incline),
            ("distance", &step.distance),
        ];
        for (key, field) in off_belt {
            if let Some(value) = field {
                let message = format!(
                    "a {} step takes no `{key}`: the runner is off the belt",
                    kind.name()
                );
                reader.fail::<()>(&value.span(), message);
            }
        }
    }
    if kind != StepKind::Stretch {
        for (key, field) in [("hold", &step.hold), ("sides", &step.sides)] {
            if let Some(value) = field {
                reader.fail::<()>(
                    &value.span(),
                    format!("`{key}` is only for `kind = \"stretch\"` steps"),
                );
            }
        }
    }
}

/// At most `MAX_SESSION_STEPS` steps once repeats are expanded; the error
/// points at the step that crosses the limit.
fn check_step_count(reader: &mut Reader, steps: &[StepNode]) {
    fn walk(node: &StepNode, count: &mut usize) -> Option<Range<usize>> {
        match node {
            StepNode::Step(step) => {
                *count += 1;
                (*count > MAX_SESSION_STEPS).then(|| step.span.clone())
            }
            StepNode::Repeat {
                count: n, steps, ..
            } => (0..*n).find_map(|_| steps.iter().find_map(|s| walk(s, count))),
        }
    }
    let mut count = 0;
    if let Some(span) = steps.iter().find_map(|s| walk(s, &mut count)) {
        let most = count_text(MAX_SESSION_STEPS as u64);
        let message = format!(
            "the session passes {most} steps here, counting every pass of every repeat; a session has at most {most}"
        );
        reader.fail::<()>(&span, message);
    }
}

/// SPEC: a session is at most 24 h. The error points at the step that crosses it.
fn check_session_length(reader: &mut Reader, steps: &[StepNode]) {
    fn walk(node: &StepNode, total: &mut f64) -> Option<std::ops::Range<usize>> {
        match node {
            StepNode::Step(step) => {
                *total += step.duration_s;
                (*total > MAX_STEP_S).then(|| step.span.clone())
            }
            StepNode::Repeat { count, steps, .. } => {
                (0..*count).find_map(|_| steps.iter().find_map(|s| walk(s, total)))
            }
        }
    }
    let mut total = 0.0;
    if let Some(span) = steps.iter().find_map(|s| walk(s, &mut total)) {
        reader.fail::<()>(&span, "the session passes 24 hours here");
    }
}

//! Raw profile -> validated `Profile`: inheritance from `[defaults]`, the
//! rules of SPEC section 2, and every error located at its value.
//!
//! Reads on after an error so that `check` lists all of a file's problems.

use std::path::Path;

use toml::Spanned;

use super::error::{Locator, ProfileErrors};
use super::fields::{Reader, MAX_STEP_S};
use super::model::*;
use super::profile::{RawProfile, RawStep};
use super::quantity::Ramp;
use super::tables::{read_click, read_coach, read_defaults, read_speed_or_pace, Defaults};

/// Parses and validates one profile. `file` names it in errors; relative
/// sample paths are resolved against `base_dir`.
pub fn parse_profile(file: &str, source: &str, base_dir: &Path) -> Result<Profile, ProfileErrors> {
    let locator = Locator::new(file, source);
    let raw: RawProfile =
        toml::from_str(source).map_err(|e| ProfileErrors(vec![locator.from_toml(&e)]))?;
    let mut reader = Reader::new(locator);
    let profile = read_profile(&mut reader, &raw, file, base_dir);
    if reader.errors.is_empty() {
        Ok(profile)
    } else {
        reader.errors.sort_by_key(|e| (e.line, e.column));
        Err(ProfileErrors(reader.errors))
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
        .map(|c| read_click(reader, c.get_ref(), base_dir))
        .unwrap_or_default();
    let coach = raw
        .coach
        .as_ref()
        .map(|c| read_coach(reader, c.get_ref()))
        .unwrap_or_default();
    let defaults = raw
        .defaults
        .as_ref()
        .map(|d| read_defaults(reader, d.get_ref()))
        .unwrap_or_default();
    let steps: Vec<StepNode> = raw
        .step
        .iter()
        .filter_map(|step| read_node(reader, step, &defaults, 0))
        .collect();
    if raw.step.is_empty() {
        reader.fail::<()>(&(0..0), "the profile has no `[[step]]`");
    }
    check_session_length(reader, &steps);
    Profile {
        name: reader.string(&raw.name, "name").unwrap_or(stem),
        about: reader.string(&raw.about, "about").unwrap_or_default(),
        units,
        click,
        coach,
        steps,
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

fn leaf_fields(step: &RawStep) -> [(&'static str, &super::profile::Field); 12] {
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

    let length = match (&step.time, &step.distance) {
        (Some(_), Some(d)) => reader.fail(&d.span(), "a step has `time` or `distance`, not both"),
        (Some(_), None) => reader
            .duration(&step.time, "time")
            .map(|seconds| Length::Time { seconds }),
        (None, Some(_)) => reader
            .distance(&step.distance)
            .map(|metres| Length::Distance { metres }),
        (None, None) => reader.fail(&span, "this step needs a `time` (or a `distance`)"),
    };
    let duration_s = match length? {
        Length::Time { seconds } => seconds,
        Length::Distance { metres } => {
            let distance_span = step.distance.as_ref()?.span();
            let Some(speed) = speed else {
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
            seconds
        }
    };
    let cadence_given = step.cadence.is_some() || defaults.cadence_given;
    if click && kind.on_belt() && !cadence_given {
        reader.fail::<()>(&span, "this step clicks but has no cadence: set `cadence` here or in [defaults], or `click = false`");
    }
    let hold_s = reader.duration(&step.hold, "hold");
    if let (Some(hold), Some(value)) = (hold_s, &step.hold) {
        if hold > duration_s {
            reader.fail::<()>(&value.span(), "`hold` is longer than the step's `time`");
        }
    }
    Some(Step {
        name: reader
            .string(&step.name, "name")
            .unwrap_or_else(|| kind.title().to_string()),
        kind,
        length: length?,
        duration_s,
        cadence,
        speed,
        incline,
        say: reader.string(&step.say, "say"),
        click,
        hold_s,
        sides: reader.boolean(&step.sides, "sides").unwrap_or(false),
        span,
    })
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

//! The profile file as written: its tables taken apart key by key, every
//! key and value keeping its span so that any later error can point at it.
//!
//! Owns the TOML shape only: which keys exist in which table, which tables
//! and lists may nest. Every unknown key and every misshapen table is
//! reported and reading goes on, so that one `check` lists them all (serde's
//! `deny_unknown_fields` would stop at the first). Values stay raw TOML
//! (`DeValue`) so that a wrong type or an oversized number gets our message
//! at the value; meaning and ranges are `validate`'s job.

use std::ops::Range;

use toml::de::{DeString, DeTable, DeValue};
use toml::Spanned;

use super::error::suggest;
use super::fields::Reader;

pub type Field<'i> = Option<Spanned<DeValue<'i>>>;

pub const TOP_KEYS: &[&str] = &[
    "name", "about", "units", "click", "defaults", "coach", "music", "step",
];
pub const CLICK_KEYS: &[&str] = &["sound", "accent", "stereo", "volume", "count_in"];
pub const COACH_KEYS: &[&str] = &["voice", "rate", "volume", "duck", "level"];
pub const MUSIC_KEYS: &[&str] = &["path", "volume", "shuffle", "clicks", "rest"];
pub const DEFAULTS_KEYS: &[&str] = &["cadence", "speed", "pace", "incline"];
pub const STEP_KEYS: &[&str] = &[
    "name", "kind", "time", "distance", "cadence", "speed", "pace", "incline", "say", "click",
    "hold", "sides", "repeat", "steps",
];

/// Other words runners reach for, too far from the key for a typo hint to
/// find: (written, meant).
const SYNONYMS: &[(&str, &str)] = &[
    ("duration", "time"),
    ("length", "time"),
    ("dist", "distance"),
    ("spm", "cadence"),
    ("rpm", "cadence"),
    ("tempo", "cadence"),
    ("bpm", "cadence"),
    ("velocity", "speed"),
    ("grade", "incline"),
    ("gradient", "incline"),
    ("slope", "incline"),
    ("type", "kind"),
    ("reps", "repeat"),
    ("times", "repeat"),
    ("rounds", "repeat"),
    ("sets", "repeat"),
    ("intervals", "steps"),
    ("cue", "say"),
    ("text", "say"),
    ("message", "say"),
    ("title", "name"),
    ("label", "name"),
    ("description", "about"),
    ("notes", "about"),
    ("metronome", "click"),
    ("sample", "sound"),
    ("speech", "voice"),
    ("wpm", "rate"),
    ("steps", "step"),
    ("playlist", "path"),
    ("folder", "path"),
    ("file", "path"),
    ("random", "shuffle"),
];

pub struct RawProfile<'i> {
    pub name: Field<'i>,
    pub about: Field<'i>,
    pub units: Field<'i>,
    pub click: Option<RawClick<'i>>,
    pub defaults: Option<RawDefaults<'i>>,
    pub coach: Option<RawCoach<'i>>,
    pub music: Option<RawMusic<'i>>,
    /// The `[[step]]` tables that are tables (others were reported).
    pub step: Vec<Spanned<RawStep<'i>>>,
    /// Whether the file has a `step` key at all, well-formed or not (or a
    /// misspelt one, already reported).
    pub step_given: bool,
}

pub struct RawClick<'i> {
    pub sound: Field<'i>,
    pub accent: Field<'i>,
    pub stereo: Field<'i>,
    pub volume: Field<'i>,
    pub count_in: Field<'i>,
}

pub struct RawCoach<'i> {
    pub voice: Field<'i>,
    pub rate: Field<'i>,
    pub volume: Field<'i>,
    pub duck: Field<'i>,
    pub level: Field<'i>,
}

pub struct RawMusic<'i> {
    pub path: Field<'i>,
    pub volume: Field<'i>,
    pub shuffle: Field<'i>,
    pub clicks: Field<'i>,
    pub rest: Field<'i>,
}

pub struct RawDefaults<'i> {
    pub cadence: Field<'i>,
    pub speed: Field<'i>,
    pub pace: Field<'i>,
    pub incline: Field<'i>,
    /// Known keys that misspelt ones stand for (see `RawStep::meant`).
    pub meant: Vec<&'static str>,
}

/// One `[[step]]` or one inline table inside a repeat's `steps`.
pub struct RawStep<'i> {
    pub name: Field<'i>,
    pub kind: Field<'i>,
    pub time: Field<'i>,
    pub distance: Field<'i>,
    pub cadence: Field<'i>,
    pub speed: Field<'i>,
    pub pace: Field<'i>,
    pub incline: Field<'i>,
    pub say: Field<'i>,
    pub click: Field<'i>,
    pub hold: Field<'i>,
    pub sides: Field<'i>,
    pub repeat: Field<'i>,
    /// The steps of a repeat, with the span of the whole `steps` list.
    pub steps: Option<Spanned<Vec<Spanned<RawStep<'i>>>>>,
    /// Known keys that misspelt ones probably meant ("cadance" -> "cadence").
    /// Already reported as unknown, they count as given when deciding what
    /// is missing, so that one typo is one error, not two.
    pub meant: Vec<&'static str>,
}

/// One table's entries; unknown keys are reported as it is made, known ones
/// are then taken out by name.
struct Entries<'i> {
    entries: Vec<(Spanned<DeString<'i>>, Spanned<DeValue<'i>>)>,
    known: &'static [&'static str],
    /// The keys that unknown ones probably meant.
    meant: Vec<&'static str>,
}

impl<'i> Entries<'i> {
    fn new(reader: &mut Reader, table: DeTable<'i>, known: &'static [&'static str]) -> Self {
        let entries: Vec<_> = table.into_iter().collect();
        let mut meant = Vec::new();
        for (key, _) in &entries {
            if !known.contains(&key.get_ref().as_ref()) {
                let likely = likely_key(key.get_ref(), known);
                reader.fail::<()>(
                    &key.span(),
                    unknown_key_message(key.get_ref(), likely, known),
                );
                meant.extend(likely);
            }
        }
        Entries {
            entries,
            known,
            meant,
        }
    }

    fn take(&mut self, key: &str) -> Field<'i> {
        debug_assert!(self.known.contains(&key), "`{key}` is not in its key list");
        let at = self.entries.iter().position(|(k, _)| k.get_ref() == key)?;
        Some(self.entries.swap_remove(at).1)
    }
}

/// The known key an unknown one probably means: a synonym, else a typo.
fn likely_key(key: &str, known: &[&'static str]) -> Option<&'static str> {
    SYNONYMS
        .iter()
        .find(|(written, meant)| key.eq_ignore_ascii_case(written) && known.contains(meant))
        .map(|(_, meant)| *meant)
        .or_else(|| suggest(key, known))
}

/// "unknown key `cadance`; did you mean `cadence`?"
fn unknown_key_message(key: &str, likely: Option<&str>, known: &[&str]) -> String {
    match likely {
        Some(hint) => format!("unknown key `{key}`; did you mean `{hint}`?"),
        None => format!("unknown key `{key}`; expected one of: {}", known.join(", ")),
    }
}

/// Takes a parsed document apart, reporting unknown keys and misshapen
/// tables to `reader`.
pub fn read_document<'i>(reader: &mut Reader, document: DeTable<'i>) -> RawProfile<'i> {
    let mut top = Entries::new(reader, document, TOP_KEYS);
    let step = top.take("step");
    let step_given = step.is_some() || top.meant.contains(&"step");
    RawProfile {
        name: top.take("name"),
        about: top.take("about"),
        units: top.take("units"),
        click: table(reader, top.take("click"), "click", CLICK_KEYS).map(|mut e| RawClick {
            sound: e.take("sound"),
            accent: e.take("accent"),
            stereo: e.take("stereo"),
            volume: e.take("volume"),
            count_in: e.take("count_in"),
        }),
        defaults: table(reader, top.take("defaults"), "defaults", DEFAULTS_KEYS).map(|mut e| {
            RawDefaults {
                cadence: e.take("cadence"),
                speed: e.take("speed"),
                pace: e.take("pace"),
                incline: e.take("incline"),
                meant: e.meant,
            }
        }),
        coach: table(reader, top.take("coach"), "coach", COACH_KEYS).map(|mut e| RawCoach {
            voice: e.take("voice"),
            rate: e.take("rate"),
            volume: e.take("volume"),
            duck: e.take("duck"),
            level: e.take("level"),
        }),
        music: table(reader, top.take("music"), "music", MUSIC_KEYS).map(|mut e| RawMusic {
            path: e.take("path"),
            volume: e.take("volume"),
            shuffle: e.take("shuffle"),
            clicks: e.take("clicks"),
            rest: e.take("rest"),
        }),
        step_given,
        step: step.map_or_else(Vec::new, |s| top_steps(reader, s)),
    }
}

/// `[click]`, `[coach]`, `[music]` or `[defaults]`: a table, or an error
/// at the value.
fn table<'i>(
    reader: &mut Reader,
    field: Field<'i>,
    key: &str,
    known: &'static [&'static str],
) -> Option<Entries<'i>> {
    let value = field?;
    let span = value.span();
    match value.into_inner() {
        DeValue::Table(table) => Some(Entries::new(reader, table, known)),
        _ => reader.fail(
            &span,
            format!("`{key}` is a table: write `[{key}]` on its own line and its keys below it"),
        ),
    }
}

/// The `[[step]]` list.
fn top_steps<'i>(reader: &mut Reader, value: Spanned<DeValue<'i>>) -> Vec<Spanned<RawStep<'i>>> {
    let span = value.span();
    match value.into_inner() {
        DeValue::Array(items) if items.is_empty() => {
            reader.fail::<()>(&span, "`step` is empty: the profile has no steps");
            Vec::new()
        }
        DeValue::Array(items) => items
            .into_iter()
            .filter_map(|item| step(reader, item))
            .collect(),
        _ => {
            reader.fail::<()>(
                &span,
                "write each step as `[[step]]`, with two brackets: a profile has a list of steps",
            );
            Vec::new()
        }
    }
}

/// One step table; anything else in a list of steps is reported.
fn step<'i>(reader: &mut Reader, value: Spanned<DeValue<'i>>) -> Option<Spanned<RawStep<'i>>> {
    let span = value.span();
    let DeValue::Table(table) = value.into_inner() else {
        return reader.fail(
            &span,
            "a step is a table in braces, like { time = \"1m\", cadence = 170 }",
        );
    };
    let mut e = Entries::new(reader, table, STEP_KEYS);
    let steps = e.take("steps").and_then(|s| repeat_steps(reader, s));
    let raw = RawStep {
        name: e.take("name"),
        kind: e.take("kind"),
        time: e.take("time"),
        distance: e.take("distance"),
        cadence: e.take("cadence"),
        speed: e.take("speed"),
        pace: e.take("pace"),
        incline: e.take("incline"),
        say: e.take("say"),
        click: e.take("click"),
        hold: e.take("hold"),
        sides: e.take("sides"),
        repeat: e.take("repeat"),
        steps,
        meant: e.meant,
    };
    Some(Spanned::new(span, raw))
}

/// A repeat's `steps = [ { ... }, ... ]`.
fn repeat_steps<'i>(
    reader: &mut Reader,
    value: Spanned<DeValue<'i>>,
) -> Option<Spanned<Vec<Spanned<RawStep<'i>>>>> {
    let span: Range<usize> = value.span();
    let DeValue::Array(items) = value.into_inner() else {
        return reader.fail(
            &span,
            "`steps` is a list: steps = [ { time = \"1m\", cadence = 170 }, ... ]",
        );
    };
    let steps = items
        .into_iter()
        .filter_map(|item| step(reader, item))
        .collect();
    Some(Spanned::new(span, steps))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_name_a_key_of_the_same_table() {
        assert_eq!(likely_key("duration", STEP_KEYS), Some("time"));
        assert_eq!(likely_key("Grade", DEFAULTS_KEYS), Some("incline"));
        // `steps` at the top is the `[[step]]` list; in a step it is a key.
        assert_eq!(likely_key("steps", TOP_KEYS), Some("step"));
        assert_eq!(likely_key("cadance", STEP_KEYS), Some("cadence"));
        assert_eq!(likely_key("zzzzzz", STEP_KEYS), None);
        for (written, meant) in SYNONYMS {
            let in_some_table = [
                TOP_KEYS,
                CLICK_KEYS,
                COACH_KEYS,
                MUSIC_KEYS,
                DEFAULTS_KEYS,
                STEP_KEYS,
            ]
            .iter()
            .any(|keys| keys.contains(meant) && !keys.contains(written));
            assert!(in_some_table, "synonym {written} -> {meant} names no key");
        }
    }
}

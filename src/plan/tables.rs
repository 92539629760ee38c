//! The profile's tables other than steps: `[click]`, `[coach]`, `[music]`
//! and `[defaults]`, each read into its settings with located errors.

use std::path::Path;

use super::fields::Reader;
use super::model::{ClickSettings, ClickSound, CoachLevel, CoachSettings, SoundName, Stereo};
use super::music_settings::{ClicksUnderMusic, MusicInRests, MusicSettings};
use super::profile::{Field, RawClick, RawCoach, RawDefaults, RawMusic};
use super::quantity::Ramp;

/// Values every on-belt step inherits unless it sets its own.
#[derive(Default, Clone)]
pub(super) struct Defaults {
    pub cadence: Option<Ramp>,
    pub speed: Option<Ramp>,
    pub incline: Option<Ramp>,
    /// Whether [defaults] names a cadence (valid or not, or misspelt), so
    /// that a bad default is reported once, not again at every step.
    pub cadence_given: bool,
    /// Known keys that misspelt ones in [defaults] probably meant.
    pub meant: Vec<&'static str>,
}

pub(super) fn read_coach(reader: &mut Reader, raw: &RawCoach) -> CoachSettings {
    let default = CoachSettings::default();
    let voice = reader.string(&raw.voice, "voice").filter(|v| {
        let ok = !v.is_empty()
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_+.".contains(c));
        if !ok {
            if let Some(value) = &raw.voice {
                reader.fail::<()>(
                    &value.span(),
                    "`voice` is a voice name like \"en\" or \"en-us\"",
                );
            }
        }
        ok
    });
    CoachSettings {
        voice: voice.unwrap_or(default.voice),
        rate_wpm: reader
            .integer(&raw.rate, "rate", (80, 450))
            .map_or(default.rate_wpm, |n| n as u32),
        volume: reader
            .number(&raw.volume, "volume", (0.0, 1.0))
            .map_or(default.volume, |v| v as f32),
        duck: reader
            .number(&raw.duck, "duck", (0.0, 1.0))
            .map_or(default.duck, |v| v as f32),
        level: reader
            .choice(&raw.level, "level", CoachLevel::NAMES)
            .and_then(|name| CoachLevel::parse(&name))
            .unwrap_or(default.level),
    }
}

pub(super) fn read_click(reader: &mut Reader, raw: &RawClick, base_dir: &Path) -> ClickSettings {
    let default = ClickSettings::default();
    let sound = read_sound(reader, raw, base_dir).unwrap_or(default.sound);
    let stereo = match reader
        .choice(&raw.stereo, "stereo", &["center", "alternate"])
        .as_deref()
    {
        Some("alternate") => Stereo::Alternate,
        _ => Stereo::Center,
    };
    ClickSettings {
        sound,
        accent: reader
            .integer(&raw.accent, "accent", (0, 64))
            .map_or(default.accent, |n| n as u32),
        stereo,
        volume: reader
            .number(&raw.volume, "volume", (0.0, 1.0))
            .map_or(default.volume, |v| v as f32),
        count_in: reader
            .integer(&raw.count_in, "count_in", (0, 16))
            .map_or(default.count_in, |n| n as u32),
    }
}

pub(super) fn read_music(reader: &mut Reader, raw: &RawMusic, base_dir: &Path) -> MusicSettings {
    let default = MusicSettings::default();
    let path = reader.string(&raw.path, "path").and_then(|text| {
        if text.trim().is_empty() {
            let span = raw.path.as_ref()?.span();
            return reader.fail(&span, "`path` is a music file, a folder or an M3U playlist");
        }
        // `~/` is the runner's home, which the app knows; plan does not.
        Some(if text.starts_with("~/") {
            text.into()
        } else {
            base_dir.join(text)
        })
    });
    MusicSettings {
        path,
        volume: reader
            .number(&raw.volume, "volume", (0.0, 1.0))
            .map_or(default.volume, |v| v as f32),
        shuffle: reader
            .boolean(&raw.shuffle, "shuffle")
            .unwrap_or(default.shuffle),
        clicks: reader
            .choice(&raw.clicks, "clicks", ClicksUnderMusic::NAMES)
            .and_then(|name| ClicksUnderMusic::parse(&name))
            .unwrap_or(default.clicks),
        rest: reader
            .choice(&raw.rest, "rest", MusicInRests::NAMES)
            .and_then(|name| MusicInRests::parse(&name))
            .unwrap_or(default.rest),
    }
}

/// A built-in name, or else a path to an audio file, resolved against the
/// profile's directory (whether it exists and plays is the app's check).
fn read_sound(reader: &mut Reader, raw: &RawClick, base_dir: &Path) -> Option<ClickSound> {
    let text = reader.string(&raw.sound, "sound")?;
    if let Some(name) = SoundName::parse(&text) {
        return Some(ClickSound::Builtin(name));
    }
    let looks_like_path = text.contains(['/', '\\', '.']);
    if !looks_like_path {
        let hint = match super::error::suggest(&text, SoundName::NAMES) {
            Some(close) => format!("did you mean \"{close}\"?"),
            None => format!("built-in sounds: {}", SoundName::NAMES.join(", ")),
        };
        let span = raw.sound.as_ref()?.span();
        return reader.fail(&span, format!("no built-in sound \"{text}\"; {hint}"));
    }
    Some(ClickSound::File(base_dir.join(&text)))
}

pub(super) fn read_defaults(reader: &mut Reader, raw: &RawDefaults) -> Defaults {
    let speed = read_speed_or_pace(reader, &raw.speed, &raw.pace);
    let defaults = Defaults {
        cadence: reader.cadence(&raw.cadence),
        speed,
        incline: reader.incline(&raw.incline),
        cadence_given: raw.cadence.is_some() || raw.meant.contains(&"cadence"),
        meant: raw.meant.clone(),
    };
    // A ramp in [defaults] would restart in every step that inherits it.
    for (field, key) in [
        (&raw.cadence, "cadence"),
        (&raw.speed, "speed"),
        (&raw.pace, "pace"),
        (&raw.incline, "incline"),
    ] {
        if let Some(value) = field {
            if value.get_ref().as_str().is_some_and(|s| s.contains("..")) {
                let message = format!("a ramp in [defaults] would restart in every step; put the `{key}` ramp on a step");
                reader.fail::<()>(&value.span(), message);
            }
        }
    }
    defaults
}

pub(super) fn read_speed_or_pace(reader: &mut Reader, speed: &Field, pace: &Field) -> Option<Ramp> {
    match (speed, pace) {
        (Some(_), Some(p)) => reader.fail(&p.span(), "give `speed` or `pace`, not both"),
        (Some(_), None) => reader.speed(speed),
        (None, Some(_)) => reader.pace(pace),
        (None, None) => None,
    }
}

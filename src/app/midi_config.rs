//! The `[midi]` table of treadbeat's config file (`io::config` finds and
//! reads the file: `TREADBEAT_CONFIG`, else `<config dir>/treadbeat/config.toml`,
//! e.g. ~/.config/treadbeat on Linux). Only that table is read: other tables belong to other parts of
//! treadbeat (calibration) and are left alone; inside `[midi]` an unknown
//! key is an error, as in profiles.
//!
//! ```toml
//! [midi]
//! channel = 10          # step notes out
//! note = 76
//! velocity = 90
//! accent_velocity = 127
//! pause = "cc64"        # triggers in: a note ("note60" or "60") or a controller ("cc64")
//! next = "note62"
//! nudge_up = "cc20"
//! nudge_down = "cc21"
//! step = "note36"       # a drum trigger on the deck
//! ```

use serde::Deserialize;

use super::failure::Failure;
use crate::io::config::{read_config, ConfigError};
use crate::midi::mapping::Trigger;

// The triggers are read only by live sessions (the `audio` feature); the
// table is parsed whole either way so that its errors do not depend on it.
#[cfg_attr(not(feature = "audio"), allow(dead_code))]
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MidiTable {
    pub channel: Option<u32>,
    pub note: Option<u32>,
    pub velocity: Option<u32>,
    pub accent_velocity: Option<u32>,
    #[serde(default, deserialize_with = "trigger")]
    pub pause: Option<Trigger>,
    #[serde(default, deserialize_with = "trigger")]
    pub next: Option<Trigger>,
    #[serde(default, deserialize_with = "trigger")]
    pub nudge_up: Option<Trigger>,
    #[serde(default, deserialize_with = "trigger")]
    pub nudge_down: Option<Trigger>,
    #[serde(default, deserialize_with = "trigger")]
    pub step: Option<Trigger>,
}

fn trigger<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Trigger>, D::Error> {
    let text = String::deserialize(d)?;
    text.parse().map(Some).map_err(serde::de::Error::custom)
}

/// The `[midi]` table, empty when there is no file or no table.
pub fn load_midi_table() -> Result<MidiTable, Failure> {
    let (path, table) = read_config().map_err(|e| match e {
        ConfigError::Invalid { .. } => Failure::invalid(e.to_string()),
        _ => Failure::device(e.to_string()),
    })?;
    midi_table(table).map_err(|e| Failure::invalid(format!("{}: {e}", path.display())))
}

/// Reads a config file's `[midi]` table only.
pub fn midi_table(mut table: toml::Table) -> Result<MidiTable, String> {
    match table.remove("midi") {
        None => Ok(MidiTable::default()),
        Some(midi) => {
            MidiTable::deserialize(midi).map_err(|e| format!("[midi] {}", one_line(&e.to_string())))
        }
    }
}

fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('|') && !l.chars().all(|c| c == '^'))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_midi_table(text: &str) -> Result<MidiTable, String> {
        midi_table(text.parse().unwrap())
    }

    #[test]
    fn only_the_midi_table_is_read() {
        let text = "[calibration]\nlatency_ms = 31.5\nwhatever = true\n\
                    [midi]\nchannel = 3\npause = \"note60\"\nstep = \"cc5\"\n";
        let table = parse_midi_table(text).unwrap();
        assert_eq!(table.channel, Some(3));
        assert_eq!(table.pause, Some(Trigger::Note(60)));
        assert_eq!(table.step, Some(Trigger::Control(5)));
        assert!(parse_midi_table("[calibration]\nx = 1\n")
            .unwrap()
            .next
            .is_none());
    }

    #[test]
    fn unknown_keys_and_bad_triggers_inside_midi_are_errors() {
        let error = parse_midi_table("[midi]\nchanel = 3\n").unwrap_err();
        assert!(error.contains("chanel"), "{error}");
        let error = parse_midi_table("[midi]\npause = \"pedal\"\n").unwrap_err();
        assert!(error.contains("not a MIDI trigger"), "{error}");
        assert!(!error.contains('\n'));
    }
}

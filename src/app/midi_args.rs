//! The MIDI flags of `run`, `click` and `render`, and how they combine
//! with the `[midi]` table of the config file into one resolved setup.
//! Flags win over the config file; the config file over the defaults.

use clap::value_parser;

use super::failure::Failure;
use super::midi_config::{load_midi_table, MidiTable};
#[cfg(feature = "audio")]
use crate::midi::mapping::InputMap;
use crate::midi::mapping::Trigger;
use crate::midi::{Channel, NoteSettings};

/// The note sent (or written) on every step.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct MidiNoteArgs {
    /// MIDI channel of the step notes, 1 to 16 [default: 10, drums]
    #[arg(long, value_name = "CH", value_parser = value_parser!(u32).range(1..=16))]
    pub midi_channel: Option<u32>,
    /// Note number of the step notes, 0 to 127 [default: 76, high wood block]
    #[arg(long, value_name = "NOTE", value_parser = value_parser!(u32).range(0..=127))]
    pub midi_note: Option<u32>,
    /// Velocity of plain steps, 1 to 127 [default: 90]
    #[arg(long, value_name = "VEL", value_parser = value_parser!(u32).range(1..=127))]
    pub midi_velocity: Option<u32>,
    /// Velocity of accented steps, 1 to 127 [default: 127]
    #[arg(long, value_name = "VEL", value_parser = value_parser!(u32).range(1..=127))]
    pub midi_accent_velocity: Option<u32>,
}

/// MIDI in and out for a live session.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct MidiArgs {
    /// Send MIDI clock (24 per step), start/stop/continue and a note per
    /// step to PORT (a name from `treadbeat devices`; "virtual" opens a
    /// port named treadbeat)
    #[arg(long, value_name = "PORT")]
    pub midi_out: Option<String>,
    /// Take pause, next step, nudges and drum-trigger steps from PORT
    /// ("virtual" opens a port named treadbeat-in)
    #[arg(long, value_name = "PORT")]
    pub midi_in: Option<String>,
    /// Trigger that toggles pause: "cc64" (default, a sustain pedal) or a note
    #[arg(long, value_name = "TRIGGER")]
    pub midi_pause: Option<Trigger>,
    /// Trigger that skips to the next step ("note62", "62" or "cc20")
    #[arg(long, value_name = "TRIGGER")]
    pub midi_next: Option<Trigger>,
    /// Trigger that raises the cadence by 1 spm
    #[arg(long, value_name = "TRIGGER")]
    pub midi_nudge_up: Option<Trigger>,
    /// Trigger that lowers the cadence by 1 spm
    #[arg(long, value_name = "TRIGGER")]
    pub midi_nudge_down: Option<Trigger>,
    /// Note (or CC) a drum trigger on the deck sends on every footstrike
    #[arg(long, value_name = "TRIGGER")]
    pub midi_step: Option<Trigger>,
    #[command(flatten)]
    pub notes: MidiNoteArgs,
}

/// Everything MIDI a session needs, resolved before any port opens.
#[cfg(feature = "audio")]
#[derive(Debug, Clone)]
pub struct MidiSetup {
    pub out: Option<String>,
    pub input: Option<String>,
    pub notes: NoteSettings,
    pub map: InputMap,
}

fn note_settings(args: &MidiNoteArgs, table: &MidiTable) -> Result<NoteSettings, Failure> {
    let invalid = |e: crate::midi::messages::MessageError| Failure::invalid(format!("[midi] {e}"));
    let byte = |flag: Option<u32>, config: Option<u32>, default: u8| {
        crate::midi::messages::data_byte(flag.or(config).unwrap_or(u32::from(default)))
    };
    Ok(NoteSettings {
        channel: Channel::from_user(args.midi_channel.or(table.channel).unwrap_or(10))
            .map_err(invalid)?,
        note: byte(args.midi_note, table.note, 76).map_err(invalid)?,
        velocity: byte(args.midi_velocity, table.velocity, 90).map_err(invalid)?,
        accent_velocity: byte(args.midi_accent_velocity, table.accent_velocity, 127)
            .map_err(invalid)?,
    })
}

/// The notes for `render --midi`: flags, then the config file.
pub fn resolve_notes(args: &MidiNoteArgs) -> Result<NoteSettings, Failure> {
    note_settings(args, &load_midi_table()?)
}

#[cfg(feature = "audio")]
/// The live setup, or `None` when no MIDI flag is given (then the config
/// file is not even read, so a session without MIDI works as before).
pub fn resolve(args: &MidiArgs) -> Result<Option<MidiSetup>, Failure> {
    if args.midi_out.is_none() && args.midi_in.is_none() {
        return Ok(None);
    }
    let table = load_midi_table()?;
    let pick = |flag: Option<Trigger>, config: &Option<Trigger>| flag.or(*config);
    let pause = pick(args.midi_pause, &table.pause).or(Some(Trigger::Control(64)));
    Ok(Some(MidiSetup {
        out: args.midi_out.clone(),
        input: args.midi_in.clone(),
        notes: note_settings(&args.notes, &table)?,
        map: InputMap::new(
            pause,
            pick(args.midi_next, &table.next),
            pick(args.midi_nudge_up, &table.nudge_up),
            pick(args.midi_nudge_down, &table.nudge_down),
            pick(args.midi_step, &table.step),
        ),
    }))
}

//! MIDI messages as bytes: what treadbeat sends (clock, transport, notes)
//! and what it understands when a footswitch or drum trigger talks to it.
//!
//! Pure: no ports, no time. Channels are 1–16 at the edges (flags, config,
//! messages to the user) and 0–15 on the wire; `Channel` keeps the two apart.

use thiserror::Error;

/// System real-time status bytes (MIDI 1.0, "System Real Time Messages").
pub const CLOCK: u8 = 0xF8;
pub const START: u8 = 0xFA;
pub const CONTINUE: u8 = 0xFB;
pub const STOP: u8 = 0xFC;
/// Channel voice status nibbles.
const NOTE_OFF: u8 = 0x80;
const NOTE_ON: u8 = 0x90;
const CONTROL_CHANGE: u8 = 0xB0;

/// Clock ticks per quarter note, fixed by the MIDI standard. treadbeat's
/// "quarter note" is one step (one click).
pub const CLOCKS_PER_BEAT: u32 = 24;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MessageError {
    #[error("MIDI channel {0} is out of range (1 to 16)")]
    Channel(u32),
    #[error("MIDI note/controller/velocity {0} is out of range (0 to 127)")]
    DataByte(u32),
}

/// A MIDI channel, stored as the wire value 0–15.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Channel(u8);

impl Channel {
    /// From the 1–16 numbering musicians use.
    pub fn from_user(number: u32) -> Result<Channel, MessageError> {
        if (1..=16).contains(&number) {
            Ok(Channel((number - 1) as u8))
        } else {
            Err(MessageError::Channel(number))
        }
    }

    pub fn user(self) -> u8 {
        self.0 + 1
    }

    pub fn wire(self) -> u8 {
        self.0
    }
}

/// A 7-bit data byte: note number, controller number, velocity, value.
pub fn data_byte(value: u32) -> Result<u8, MessageError> {
    u8::try_from(value)
        .ok()
        .filter(|v| *v < 0x80)
        .ok_or(MessageError::DataByte(value))
}

/// What treadbeat sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message {
    Clock,
    Start,
    Continue,
    Stop,
    NoteOn {
        channel: Channel,
        note: u8,
        velocity: u8,
    },
    NoteOff {
        channel: Channel,
        note: u8,
    },
}

impl Message {
    /// The wire bytes and how many of them count. A note-off is sent as a
    /// true note-off (0x8n, velocity 64), which every receiver understands.
    pub fn bytes(self) -> ([u8; 3], usize) {
        match self {
            Message::Clock => ([CLOCK, 0, 0], 1),
            Message::Start => ([START, 0, 0], 1),
            Message::Continue => ([CONTINUE, 0, 0], 1),
            Message::Stop => ([STOP, 0, 0], 1),
            Message::NoteOn {
                channel,
                note,
                velocity,
            } => ([NOTE_ON | channel.wire(), note & 0x7F, velocity & 0x7F], 3),
            Message::NoteOff { channel, note } => ([NOTE_OFF | channel.wire(), note & 0x7F, 64], 3),
        }
    }
}

/// What treadbeat understands from an input port; anything else is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Incoming {
    /// A note-on with velocity > 0 (a note-on of velocity 0 is a note-off,
    /// which carries no request and is dropped).
    Note {
        channel: Channel,
        note: u8,
        velocity: u8,
    },
    Control {
        channel: Channel,
        controller: u8,
        value: u8,
    },
}

/// Parses one complete message as a port delivers it. Running status is
/// resolved by the port layers (ALSA, JACK) before bytes reach us.
pub fn parse_incoming(bytes: &[u8]) -> Option<Incoming> {
    let (&status, data) = bytes.split_first()?;
    let channel = Channel(status & 0x0F);
    match (status & 0xF0, data) {
        (NOTE_ON, [note, velocity, ..]) if *velocity > 0 && *note < 0x80 => Some(Incoming::Note {
            channel,
            note: *note,
            velocity: *velocity & 0x7F,
        }),
        (CONTROL_CHANGE, [controller, value, ..]) if *controller < 0x80 => {
            Some(Incoming::Control {
                channel,
                controller: *controller,
                value: *value & 0x7F,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_and_clock_are_single_status_bytes() {
        assert_eq!(Message::Clock.bytes(), ([0xF8, 0, 0], 1));
        assert_eq!(Message::Start.bytes().0[0], 0xFA);
        assert_eq!(Message::Continue.bytes().0[0], 0xFB);
        assert_eq!(Message::Stop.bytes().0[0], 0xFC);
    }

    #[test]
    fn notes_carry_channel_note_and_velocity() {
        let channel = Channel::from_user(10).unwrap();
        let on = Message::NoteOn {
            channel,
            note: 37,
            velocity: 120,
        };
        assert_eq!(on.bytes(), ([0x99, 37, 120], 3));
        let off = Message::NoteOff { channel, note: 37 };
        assert_eq!(off.bytes(), ([0x89, 37, 64], 3));
    }

    #[test]
    fn channels_and_data_bytes_are_range_checked() {
        assert!(Channel::from_user(0).is_err());
        assert!(Channel::from_user(17).is_err());
        assert_eq!(Channel::from_user(16).unwrap().wire(), 15);
        assert_eq!(data_byte(127), Ok(127));
        assert_eq!(data_byte(128), Err(MessageError::DataByte(128)));
    }

    #[test]
    fn incoming_notes_and_controls_parse_and_the_rest_is_ignored() {
        let ch = |n| Channel::from_user(n).unwrap();
        assert_eq!(
            parse_incoming(&[0x92, 60, 100]),
            Some(Incoming::Note {
                channel: ch(3),
                note: 60,
                velocity: 100
            })
        );
        // Note-on with velocity 0 is a note-off.
        assert_eq!(parse_incoming(&[0x92, 60, 0]), None);
        assert_eq!(parse_incoming(&[0x82, 60, 0]), None);
        assert_eq!(
            parse_incoming(&[0xB0, 64, 127]),
            Some(Incoming::Control {
                channel: ch(1),
                controller: 64,
                value: 127
            })
        );
        assert_eq!(parse_incoming(&[0xF8]), None);
        assert_eq!(parse_incoming(&[0x90, 60]), None);
        assert_eq!(parse_incoming(&[]), None);
    }
}

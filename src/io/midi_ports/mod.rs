//! MIDI ports and the thread that sends on time.
//!
//! `ports` talks to midir (with the `midi` feature); `fake` is an
//! in-process stand-in for tests; `sender` runs the pure schedule
//! (`crate::midi`) against the audio clock on its own thread, because a
//! port's send may block and must never run in the audio callback.

pub mod fake;
#[cfg(feature = "midi")]
pub mod ports;
pub mod report;
pub mod sender;

use thiserror::Error;

/// The port name that asks for a virtual port called "treadbeat".
pub const VIRTUAL: &str = "virtual";

#[derive(Debug, Error)]
pub enum MidiError {
    #[error("MIDI is not available on this machine ({0}); run without the MIDI flags")]
    Unavailable(String),
    #[error(
        "no MIDI {kind} port named \"{name}\" (available: {available}; see `treadbeat devices`)"
    )]
    UnknownPort {
        kind: &'static str,
        name: String,
        available: String,
    },
    #[error("cannot open the MIDI port: {0}")]
    Connect(String),
}

impl MidiError {
    /// Whether the user named something that is not there (exit 1) rather
    /// than the system failing (exit 2), as for audio devices.
    pub fn is_invalid_request(&self) -> bool {
        matches!(self, MidiError::UnknownPort { .. })
    }
}

/// Somewhere MIDI bytes go: a midir connection, or a fake in tests.
pub trait MidiSink: Send {
    /// Sends one complete message.
    fn send(&mut self, bytes: &[u8]) -> Result<(), String>;
}

/// What an input port calls with each complete message, on its own thread.
pub type InputHandler = Box<dyn FnMut(&[u8]) + Send>;

/// Where ports come from: midir, or the fake. The input's handler runs on
/// the port's own thread; the returned guard keeps the port open.
pub trait MidiPorts {
    fn open_output(&self, name: &str) -> Result<Box<dyn MidiSink>, MidiError>;
    fn open_input(&self, name: &str, on_message: InputHandler) -> Result<Box<dyn Send>, MidiError>;
}

/// The system's ports through midir.
#[cfg(feature = "midi")]
pub struct Midir;

#[cfg(feature = "midi")]
impl MidiPorts for Midir {
    fn open_output(&self, name: &str) -> Result<Box<dyn MidiSink>, MidiError> {
        ports::open_output(name)
    }

    fn open_input(&self, name: &str, on_message: InputHandler) -> Result<Box<dyn Send>, MidiError> {
        Ok(Box::new(ports::open_input(name, on_message)?))
    }
}

//! MIDI, the pure part: message bytes, the send schedule that follows the
//! tempo map (24 clock ticks per step), the follower that turns engine
//! telemetry into the renderer's nudges, pauses and skips, a standard MIDI
//! file writer, and the mapping of incoming notes and controllers.
//!
//! Knows nothing of ports, threads or wall clocks: `io::midi` moves these
//! bytes, `app` wires them into a session. Imports no `io`, `app` or `tui`.

pub mod follow;
pub mod mapping;
pub mod messages;
pub mod schedule;
pub mod smf;

pub use mapping::{InputMap, Trigger};
pub use messages::{Channel, Incoming, Message};
pub use schedule::{MidiSchedule, NoteSettings, Timed};

/// What an incoming message asks for under `map`, if anything.
pub fn parse_incoming_action(map: &mut InputMap, bytes: &[u8]) -> Option<mapping::InputAction> {
    map.action(messages::parse_incoming(bytes)?)
}

/// A step heard from a drum trigger on the treadmill deck: its time in
/// session seconds on the output clock (when the audio at that session time
/// reaches the runner's ears), the same clock the microphone detector's
/// steps use. Delivered to the live session's control loop; the detector's
/// alignment and warnings read them alongside microphone steps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepEvent {
    pub t_s: f64,
    /// The note's velocity, 1–127 (how hard the foot landed, as the trigger
    /// saw it).
    pub velocity: u8,
}

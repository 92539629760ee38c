//! Clocks, pure: where a stream's frames sit on the wall clock, and which
//! session time a device frame is.
//!
//! Three clocks meet in a live session: the output device's frames, the
//! microphone's frames, and session time (frozen while paused, shifted by
//! catch-ups). `FrameClock` places a stream's frames on one wall clock from
//! callback stamps (least-delayed stamp wins); `ClockFit` does the same from
//! "frame F plays at N ns" stamps (a median, for the MIDI sender);
//! `SessionAnchor` turns device frames into session time and back from the
//! engine's telemetry. Every conversion between them lives here, once.

mod clock_fit;
mod frame_clock;
mod session_anchor;

pub use clock_fit::ClockFit;
pub use frame_clock::{FrameClock, Stamp};
pub use session_anchor::SessionAnchor;

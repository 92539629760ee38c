//! Workout planning: profile text -> validated profile -> flat timeline.
//!
//! Pure: no devices, no audio, no terminal. Errors point at the offending
//! value as `FILE:LINE:COL: message`.

pub mod error;
mod fields;
pub mod model;
mod profile;
pub mod quantity;
mod tables;
pub mod timeline;
mod validate;

pub use error::{ProfileError, ProfileErrors};
pub use model::{
    ClickSettings, ClickSound, CoachSettings, Profile, SoundName, StepKind, Stereo, Units,
};
pub use quantity::Ramp;
pub use timeline::{CadenceSpan, Segment, Timeline};
pub use validate::parse_profile;

//! Workout planning: profile text -> validated profile -> flat timeline.
//!
//! Pure: no devices, no audio, no terminal, no filesystem (a sound file a
//! profile names is checked by the app, at the span plan records). Errors
//! point at the offending value as `FILE:LINE:COL: message`.

pub mod error;
mod fields;
mod file_text;
pub mod limits;
pub mod model;
pub mod music_settings;
mod profile;
pub mod quantity;
pub mod speech_estimate;
mod tables;
pub mod timeline;
mod validate;

pub use error::{ProfileError, ProfileErrors};
pub use file_text::profile_text;
pub use model::{
    ClickSettings, ClickSound, CoachSettings, Profile, SoundName, StepKind, Stereo, Units,
};
pub use music_settings::{ClicksUnderMusic, MusicInRests, MusicSettings};
pub use quantity::Ramp;
pub use timeline::{CadenceSpan, Segment, Timeline};
pub use validate::parse_profile;

//! Adapters between the pure core and the world: audio files (rodio,
//! hound) and, with the `audio` feature, devices through cpal.
//!
//! Everything that may block or fail for reasons outside the program lives
//! here, so that `plan`, `tempo` and `engine` stay pure.

pub mod config;
#[cfg(feature = "audio")]
pub mod devices;
#[cfg(feature = "audio")]
pub mod input;
#[cfg(feature = "audio")]
pub mod output;
#[cfg(feature = "audio")]
pub mod quiet;
pub mod recording;
pub mod resample;
pub mod sample_file;
pub mod speech;
pub mod stamps;
pub mod wav;

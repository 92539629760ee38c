//! Adapters between the pure core and the world: audio files (rodio,
//! symphonia, hound), with the `audio` feature devices through cpal, and
//! with the `midi` feature MIDI ports through midir.
//!
//! Everything that may block or fail for reasons outside the program lives
//! here, so that `plan`, `tempo` and `engine` stay pure.

pub mod beat_cache;
pub mod config;
pub mod decoded_stream;
pub mod decoder_guard;
#[cfg(feature = "audio")]
pub mod devices;
#[cfg(feature = "audio")]
pub mod input;
pub mod midi_ports;
pub mod music_file;
#[cfg(feature = "audio")]
pub mod output;
pub mod output_file;
pub mod phrases_on_disk;
pub mod playback_stamp;
pub mod quiet;
pub mod recording;
pub mod recording_header;
pub mod render_file;
pub mod sample_file;
pub mod speech;
#[cfg(feature = "audio")]
pub mod stream_manager;
pub mod wav;

//! treadbeat: a cadence metronome and audio coach for runners on a treadmill.
//!
//! Data flows one way: profile text -> [`plan`] (validated profile, flat
//! timeline) -> [`tempo`] (exact click times) -> engine -> samples -> device
//! or WAV file. The pure core (`units`, `plan`, `tempo`) knows nothing of
//! devices, terminals or files beyond the profile text it is handed; `app`
//! is the command-line shell around it.
//!
//! | module | owns |
//! |---|---|
//! | [`units`] | newtypes: km/h, seconds, frames, sample rates |
//! | [`plan`] | profile format, validation with located errors, timeline |
//! | [`tempo`] | the tempo map: closed-form phase, click times and frames |
//! | [`clock`] | frame clocks, device frames ↔ session time, the MIDI clock fit |
//! | [`coach`] | the cue list: what is said, and when, without overlaps |
//! | [`engine`] | click sounds, speech track, the real-time block renderer |
//! | [`detect`] | the footstrike detector, beat alignment, drift warnings |
//! | [`eval`] | the detector's synthetic corpus, scorer and baseline |
//! | [`history`] | the session log (SQLite) and what grows from it: analysis, report, export, the adaptive builder |
//! | [`midi`] | MIDI bytes, the clock/note schedule on the tempo map, MIDI files, input mapping |
//! | [`music`] | the runner's own music: beat tracking (onsets, tempo, beats, downbeats) |
//! | [`io`] | cpal devices and microphone, midir ports, WAV, recordings, config, speech (adapters) |
//! | `tui` | the live screen and the runner's keys (with `audio`) |
//! | [`readout`] | numbers as a runner reads them: ramps, speeds and paces in both unit systems, strides, counts |
//! | [`shipped`] | the workouts built into the binary |
//! | [`app`] | the CLI: argument parsing, one file per command, exit codes |

pub mod app;
pub mod clock;
pub mod coach;
pub mod detect;
pub mod engine;
pub mod eval;
pub mod history;
pub mod io;
pub mod midi;
pub mod music;
pub mod plan;
pub mod readout;
pub mod shipped;
pub mod tempo;
#[cfg(feature = "audio")]
pub mod tui;
pub mod units;

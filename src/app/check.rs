//! `treadbeat check FILE…`: validates every file, prints every error, and
//! succeeds only when all are valid. Beyond what loading checks, it decodes
//! a sound file the profile names: a run would otherwise be the first to
//! find that the file is not audio.

use super::cli::CheckArgs;
use super::console::outln;
use super::failure::{CommandResult, Failure, EXIT_DEVICE, EXIT_INVALID};
use super::source::{check_music_path, load, sound_file, Loaded};
use crate::io::sample_file::{load_click_sample, SampleError};
use crate::readout::count_of;
use crate::units::SampleRate;

/// Any rate decodes the file; this is the engine's usual one.
const DECODE_RATE: SampleRate = SampleRate(48_000);

pub fn run(args: &CheckArgs) -> CommandResult {
    let mut failures = Vec::new();
    for path in &args.profiles {
        let name = path.to_string_lossy();
        let checked = load(&name).and_then(|loaded| {
            check_sound_decodes(&loaded)?;
            check_music_path(&loaded)?;
            Ok(loaded)
        });
        match checked {
            Ok(Loaded {
                profile, timeline, ..
            }) => outln!(
                "{name}: ok ({}, {}, {})",
                profile.name,
                count_of(timeline.segments.len() as u64, "step", "steps"),
                crate::units::clock_text(timeline.total_s())
            ),
            Err(failure) => failures.push(failure),
        }
    }
    match failures.iter().map(|f| f.code).max() {
        None => Ok(()),
        Some(code) => {
            let message: Vec<String> = failures.into_iter().map(|f| f.message).collect();
            Err(Failure {
                code,
                message: message.join("\n"),
            })
        }
    }
}

/// The profile's sound file decodes to a click; the error points at the
/// `sound` value.
fn check_sound_decodes(loaded: &Loaded) -> Result<(), Failure> {
    let Some((path, span)) = sound_file(&loaded.profile) else {
        return Ok(());
    };
    let file = path.display();
    let (code, message) = match load_click_sample(path, DECODE_RATE) {
        Ok(_) => return Ok(()),
        Err(SampleError::Open { source, .. }) => (
            EXIT_DEVICE,
            format!("sound file `{file}` cannot be opened: {source}"),
        ),
        Err(SampleError::Decode { reason, .. }) => (
            EXIT_INVALID,
            format!(
                "sound file `{file}` is not audio treadbeat can decode ({})",
                reason.trim_end_matches('.')
            ),
        ),
        Err(SampleError::Silent { .. }) => (EXIT_INVALID, format!("sound file `{file}` is silent")),
    };
    Err(Failure {
        code,
        message: loaded.source.located(span, message),
    })
}

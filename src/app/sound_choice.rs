//! Resolving which click sound a session uses: `--sound` over the
//! profile's `[click] sound`, a built-in name or a sample file.

use std::path::Path;

use super::failure::Failure;
use crate::engine::ClickSounds;
use crate::io::sample_file::{load_click_sample, SampleError};
use crate::plan::{ClickSound, SoundName};
use crate::units::SampleRate;

/// `--sound` text -> a sound choice (a built-in name, else a path).
pub fn parse_sound_flag(text: &str) -> ClickSound {
    match SoundName::parse(text) {
        Some(name) => ClickSound::Builtin(name),
        None => ClickSound::File(Path::new(text).to_path_buf()),
    }
}

/// Synthesizes or loads the click sounds at the engine's rate.
pub fn click_sounds(choice: &ClickSound, rate: SampleRate) -> Result<ClickSounds, Failure> {
    match choice {
        ClickSound::Builtin(name) => Ok(ClickSounds::builtin(*name, rate)),
        ClickSound::File(path) => load_click_sample(path, rate).map_err(|e| match e {
            SampleError::Open { .. } => Failure::device(e.to_string()),
            SampleError::Decode { .. } | SampleError::Silent { .. } => {
                Failure::invalid(e.to_string())
            }
        }),
    }
}

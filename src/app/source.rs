//! Finding a profile: a path on disk, or else the name of a shipped workout.

use std::path::{Path, PathBuf};

use super::failure::Failure;
use crate::plan::{parse_profile, Profile, Timeline};
use crate::shipped;

/// A profile's text and the name its errors are reported under.
pub struct Source {
    pub display_name: String,
    pub text: String,
    pub base_dir: PathBuf,
}

pub fn read_source(arg: &str) -> Result<Source, Failure> {
    let path = Path::new(arg);
    if path.is_file() {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::device(format!("{arg}: cannot read: {e}")))?;
        let base_dir = path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
        return Ok(Source {
            display_name: arg.to_string(),
            text,
            base_dir,
        });
    }
    if path.is_dir() {
        return Err(Failure::invalid(format!(
            "{arg}: is a directory, not a profile"
        )));
    }
    match shipped::find(arg) {
        Some(text) => Ok(Source {
            display_name: format!(
                "profiles/{}.toml",
                arg.trim_end_matches(".toml")
                    .trim_start_matches("profiles/")
            ),
            text: text.to_string(),
            base_dir: PathBuf::from("."),
        }),
        None => Err(Failure::invalid(format!(
            "{arg}: no such file, and no shipped workout of that name (see `treadbeat profiles`)"
        ))),
    }
}

/// Reads, validates and plans a profile.
pub fn load_timeline(arg: &str) -> Result<(Profile, Timeline), Failure> {
    let source = read_source(arg)?;
    let profile = parse_profile(&source.display_name, &source.text, &source.base_dir)?;
    let timeline = Timeline::from_profile(&profile);
    Ok((profile, timeline))
}

//! Finding a profile: a path on disk, or else the name of a shipped workout.
//! Reads a file only up to the size limit, and checks that a sound file the
//! profile names is there (plan touches no filesystem; it records where the
//! name is written, and the error points there).

use std::fs::File;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::failure::Failure;
use crate::plan::error::Locator;
use crate::plan::limits::MAX_PROFILE_BYTES;
use crate::plan::{parse_profile, profile_text, ClickSound, Profile, Timeline};
use crate::shipped;

/// A profile's text and the name its errors are reported under.
pub struct Source {
    pub display_name: String,
    pub text: String,
    pub base_dir: PathBuf,
}

impl Source {
    /// `FILE:LINE:COL: message` at `span` of this profile.
    pub fn located(&self, span: &Range<usize>, message: impl Into<String>) -> String {
        Locator::new(&self.display_name, &self.text)
            .error(span, message)
            .to_string()
    }
}

/// A profile read, validated and planned.
pub struct Loaded {
    pub source: Source,
    pub profile: Profile,
    pub timeline: Timeline,
}

pub fn read_source(arg: &str) -> Result<Source, Failure> {
    let path = Path::new(arg);
    if path.is_file() {
        let text = read_profile_file(path, arg)?;
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

/// The file's text. Reads at most one byte past the size limit, so that a
/// huge file is refused at once instead of read whole; a file that is not
/// UTF-8 is invalid input (exit 1), not an I/O failure.
fn read_profile_file(path: &Path, arg: &str) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|file| {
            file.take(MAX_PROFILE_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .map_err(|e| Failure::device(format!("{arg}: cannot read: {e}")))?;
    Ok(profile_text(arg, &bytes)?.to_string())
}

/// Reads, validates and plans a profile.
pub fn load(arg: &str) -> Result<Loaded, Failure> {
    let source = read_source(arg)?;
    let profile = parse_profile(&source.display_name, &source.text, &source.base_dir)?;
    check_sound_file_exists(&source, &profile)?;
    let timeline = Timeline::from_profile(&profile);
    Ok(Loaded {
        source,
        profile,
        timeline,
    })
}

/// Reads, validates and plans a profile.
pub fn load_timeline(arg: &str) -> Result<(Profile, Timeline), Failure> {
    let loaded = load(arg)?;
    Ok((loaded.profile, loaded.timeline))
}

/// The sound file a profile names, and where the name is written.
pub fn sound_file(profile: &Profile) -> Option<(&Path, &Range<usize>)> {
    match (&profile.click.sound, &profile.sound_file_span) {
        (ClickSound::File(path), Some(span)) => Some((path, span)),
        _ => None,
    }
}

/// The music `[music] path` names (`~/` expanded), and where it is written.
pub fn music_path(profile: &Profile) -> Option<(PathBuf, &Range<usize>)> {
    let path = profile.music.path.as_ref()?;
    let span = profile.music_path_span.as_ref()?;
    let expanded = match (path.strip_prefix("~"), dirs::home_dir()) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.clone(),
    };
    Some((expanded, span))
}

/// The profile's music is there; the error points at `[music] path`.
pub fn check_music_path(loaded: &Loaded) -> Result<(), Failure> {
    match music_path(&loaded.profile) {
        Some((path, span)) if !path.exists() => Err(Failure::invalid(
            loaded
                .source
                .located(span, format!("music `{}` not found", path.display())),
        )),
        _ => Ok(()),
    }
}

fn check_sound_file_exists(source: &Source, profile: &Profile) -> Result<(), Failure> {
    match sound_file(profile) {
        Some((path, span)) if !path.is_file() => Err(Failure::invalid(
            source.located(span, format!("sound file `{}` not found", path.display())),
        )),
        _ => Ok(()),
    }
}

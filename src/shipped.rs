//! The workouts in `profiles/`, embedded at build time so that the binary
//! finds them wherever it runs.

include!(concat!(env!("OUT_DIR"), "/shipped_profiles.rs"));

/// The profile `treadbeat run` plays when none is named.
pub const DEFAULT_PROFILE: &str = "easy-run";

/// The text of the shipped profile `name` ("easy-run" or "easy-run.toml").
pub fn find(name: &str) -> Option<&'static str> {
    let stem = name.strip_suffix(".toml").unwrap_or(name);
    let stem = stem.strip_prefix("profiles/").unwrap_or(stem);
    SHIPPED
        .iter()
        .find(|(n, _)| *n == stem)
        .map(|(_, text)| *text)
}

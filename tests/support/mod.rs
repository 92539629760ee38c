//! Helpers shared by the integration tests: build timelines from TOML text.
#![allow(dead_code)]

use std::path::Path;

use treadbeat::plan::{parse_profile, Timeline};
use treadbeat::tempo::TempoMap;

/// Parses a profile text that must be valid.
pub fn timeline(text: &str) -> Timeline {
    let profile = parse_profile("test.toml", text, Path::new("."))
        .unwrap_or_else(|e| panic!("test profile invalid: {e}\n{text}"));
    Timeline::from_profile(&profile)
}

pub fn tempo(text: &str) -> TempoMap {
    TempoMap::from_timeline(&timeline(text))
}

/// One `[[step]]` table.
pub fn step(seconds: u32, cadence: (u32, u32), clicked: bool) -> String {
    let cadence = if cadence.0 == cadence.1 {
        cadence.0.to_string()
    } else {
        format!("\"{}..{}\"", cadence.0, cadence.1)
    };
    format!("[[step]]\ntime = \"{seconds}s\"\ncadence = {cadence}\nclick = {clicked}\n")
}

pub fn profile_of(steps: &[(u32, (u32, u32), bool)]) -> String {
    let mut text = String::from("name = \"generated\"\n[click]\ncount_in = 0\n");
    for (seconds, cadence, clicked) in steps {
        text.push_str(&step(*seconds, *cadence, *clicked));
    }
    text
}

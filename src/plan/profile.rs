//! The profile file as written: serde structs that keep every value's span
//! so that any later error can point at it.
//!
//! Owns the TOML shape only (which keys exist, which may nest). Meaning and
//! ranges are `validate`'s job. Quantities stay `toml::Value` here so that a
//! wrong type gets our message, not serde's.

use serde::Deserialize;
use toml::Spanned;

pub type Field = Option<Spanned<toml::Value>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    pub name: Field,
    pub about: Field,
    pub units: Field,
    pub click: Option<Spanned<RawClick>>,
    pub defaults: Option<Spanned<RawDefaults>>,
    pub coach: Option<Spanned<RawCoach>>,
    #[serde(default)]
    pub step: Vec<Spanned<RawStep>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClick {
    pub sound: Field,
    pub accent: Field,
    pub stereo: Field,
    pub volume: Field,
    pub count_in: Field,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCoach {
    pub voice: Field,
    pub rate: Field,
    pub volume: Field,
    pub duck: Field,
    pub level: Field,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDefaults {
    pub cadence: Field,
    pub speed: Field,
    pub pace: Field,
    pub incline: Field,
}

/// One `[[step]]` or one inline table inside a repeat's `steps`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub name: Field,
    pub kind: Field,
    pub time: Field,
    pub distance: Field,
    pub cadence: Field,
    pub speed: Field,
    pub pace: Field,
    pub incline: Field,
    pub say: Field,
    pub click: Field,
    pub hold: Field,
    pub sides: Field,
    pub repeat: Field,
    pub steps: Option<Spanned<Vec<Spanned<RawStep>>>>,
}

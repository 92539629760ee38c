//! The user's config file: `treadbeat/config.toml` in the platform's
//! config folder (`$XDG_CONFIG_HOME` on Linux), or the file named by
//! `TREADBEAT_CONFIG`. treadbeat writes only its own `[calibration]` table
//! and keeps every other table and comment-free value as it found them.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {reason}")]
    Read { path: String, reason: String },
    #[error("{path}: {reason}")]
    Invalid { path: String, reason: String },
    #[error("{path}: cannot write: {reason}")]
    Write { path: String, reason: String },
    #[error("no config folder on this system; set TREADBEAT_CONFIG to a file path")]
    NoFolder,
}

/// What `treadbeat calibrate` measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    /// Output plus input latency: from a sample written to its echo read.
    pub latency_ms: f64,
    /// Spread of the measurements (interquartile range).
    pub spread_ms: f64,
    /// How it was measured: `LOOPBACK_METHOD` or `TAP_METHOD`.
    pub method: String,
    pub output: String,
    pub input: String,
}

/// The microphone heard the clicks from the speakers.
pub const LOOPBACK_METHOD: &str = "loopback";
/// The runner tapped along to clicks in headphones.
pub const TAP_METHOD: &str = "tap";

/// Where the config file is: `TREADBEAT_CONFIG`, else the platform's folder.
pub fn config_path() -> Result<PathBuf, ConfigError> {
    if let Some(path) = std::env::var_os("TREADBEAT_CONFIG") {
        return Ok(PathBuf::from(path));
    }
    dirs::config_dir()
        .map(|dir| dir.join("treadbeat").join("config.toml"))
        .ok_or(ConfigError::NoFolder)
}

/// The whole config file as a table (empty when there is no file): the
/// one reader every part of treadbeat takes its own table from.
pub fn read_config() -> Result<(PathBuf, toml::Table), ConfigError> {
    let path = config_path()?;
    let name = path.display().to_string();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(ConfigError::Read {
                path: name,
                reason: e.to_string(),
            })
        }
    };
    let table = text
        .parse::<toml::Table>()
        .map_err(|e| ConfigError::Invalid {
            path: name,
            reason: e.message().to_string(),
        })?;
    Ok((path, table))
}

/// The stored calibration, if any.
pub fn load_calibration() -> Result<Option<Calibration>, ConfigError> {
    let (path, table) = read_config()?;
    let Some(value) = table.get("calibration") else {
        return Ok(None);
    };
    value
        .clone()
        .try_into()
        .map(Some)
        .map_err(|e: toml::de::Error| ConfigError::Invalid {
            path: path.display().to_string(),
            reason: format!("[calibration]: {}", e.message()),
        })
}

/// Stores a calibration, keeping the rest of the file.
pub fn save_calibration(calibration: &Calibration) -> Result<PathBuf, ConfigError> {
    let (path, mut table) = read_config()?;
    let name = path.display().to_string();
    let write = |reason: String| ConfigError::Write {
        path: name.clone(),
        reason,
    };
    let value = toml::Value::try_from(calibration).map_err(|e| write(e.to_string()))?;
    table.insert("calibration".into(), value);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| write(e.to_string()))?;
    }
    let text = toml::to_string(&table).map_err(|e| write(e.to_string()))?;
    super::output_file::write_bytes(&path, text.as_bytes()).map_err(|e| write(format!("{e:#}")))?;
    Ok(path)
}

//! Where the session log lives: `$XDG_DATA_HOME/treadbeat/history.sqlite`,
//! else the platform's data folder (`~/.local/share` on Linux,
//! `~/Library/Application Support` on macOS, `%APPDATA%` on Windows).
//!
//! `XDG_DATA_HOME` is honoured on every platform, not only where `dirs`
//! reads it, so that a runner (and the tests) can point treadbeat at
//! another folder the same way everywhere.

use std::path::PathBuf;

use super::StoreError;

/// The database's file name inside `treadbeat/`.
pub const FILE_NAME: &str = "history.sqlite";

/// The path of the session log (its folder may not exist yet).
pub fn database_path() -> Result<PathBuf, StoreError> {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(dirs::data_dir)
        .ok_or(StoreError::NoFolder)?;
    Ok(data.join("treadbeat").join(FILE_NAME))
}

//! What can go wrong with the session log, one line each.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("no data folder on this system; set XDG_DATA_HOME to a folder")]
    NoFolder,
    #[error("{path}: cannot create the folder: {reason}")]
    Folder { path: String, reason: String },
    #[error("{path}: cannot open the session log: {reason}")]
    Open { path: String, reason: String },
    #[error(
        "the session log has schema {found}, newer than this treadbeat knows ({known}); update treadbeat"
    )]
    Newer { found: u32, known: u32 },
    #[error("session log: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("no session {0} in the log (see `treadbeat history`)")]
    NoSuchSession(i64),
    #[error("no sessions in the log yet: run a workout first")]
    Empty,
}

impl StoreError {
    /// Whether the runner asked for something that is not there (exit 1)
    /// rather than the disk failing (exit 2).
    pub fn is_invalid_request(&self) -> bool {
        matches!(self, StoreError::NoSuchSession(_) | StoreError::Empty)
    }
}

/// "Permission denied", without std's " (os error 13)".
pub(crate) fn plain_io_error(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

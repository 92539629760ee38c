//! What the session-log commands share: opening the log, a failure's
//! exit code, dates as the runner saw them.

use chrono::{DateTime, FixedOffset};

use super::failure::Failure;
use crate::history::{SessionHead, Store, StoreError};

/// The log, for reading; a failure says why in one line.
pub fn open_log() -> Result<Store, Failure> {
    Store::open_existing().map_err(failure)
}

/// Exit 1 for a session that is not there, 2 for the disk.
pub fn failure(error: StoreError) -> Failure {
    if error.is_invalid_request() {
        Failure::invalid(error.to_string())
    } else {
        Failure::device(error.to_string())
    }
}

/// The session's start in the time zone the runner was in.
pub fn started(head: &SessionHead) -> Option<DateTime<FixedOffset>> {
    let offset = FixedOffset::east_opt(head.utc_offset_s as i32)?;
    Some(DateTime::from_timestamp_millis(head.started_ms)?.with_timezone(&offset))
}

/// "2026-03-02 07:00".
pub fn date_text(head: &SessionHead) -> String {
    started(head).map_or_else(
        || "?".to_string(),
        |t| t.format("%Y-%m-%d %H:%M").to_string(),
    )
}

/// A share as a whole percentage, or "-".
pub fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "-".to_string(), |s| format!("{:.0} %", s * 100.0))
}

/// A cadence to one decimal, or "-".
pub fn spm(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.1}"))
}

/// A signed change to one decimal, or "-".
pub fn signed(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:+.1}"))
}

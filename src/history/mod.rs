//! The session log and what grows from it (issue 20): every live session
//! recorded as it happens in an SQLite database in the data folder, read
//! back for `history`, `show`, `checkin`, `report`, `export` and `next`.
//!
//! | file | owns |
//! |---|---|
//! | `location.rs` | where the database is (`XDG_DATA_HOME`, else the platform's data folder) |
//! | `migrations.rs` | the schema, versioned with `PRAGMA user_version` |
//! | `store.rs` | opening it: WAL, foreign keys, busy timeout, migrations |
//! | `log.rs` | `SessionLog`: a live session written as it goes (control thread only) |
//! | `record.rs`, `read.rs` | a session read back as plain values; the queries |
//! | `as_run.rs` | the session as played: pauses and skips placed on the wall clock, the belt's distance |
//! | `cadence.rs` | measured cadence in 5 s windows from the heard steps |
//! | `analysis.rs` | per step: cadence against target, time in band, drift, variability |
//! | `trends.rs` | across sessions, week by week |
//! | `chart.rs` | the cadence chart in the terminal |
//! | `builder.rs`, `builder_profile.rs` | `next`: the adaptive cadence builder and the profile it writes |
//! | `checkin_prompt.rs` | the end-of-session check-in as keys → answers (pure) |
//! | `export/` | FIT, TCX and CSV (pure: bytes out) |
//! | `report/` | the progress report: SVG, HTML, PNG |
//!
//! Nothing here runs on the audio thread; `SessionLog` is for the control
//! loop, everything else for the commands.

pub mod analysis;
pub mod as_run;
pub mod builder;
pub mod builder_profile;
pub mod cadence;
pub mod chart;
pub mod checkin_prompt;
mod error;
pub mod export;
#[cfg(test)]
mod fixture;
pub mod location;
pub mod log;
pub mod migrations;
mod read;
pub mod record;
pub mod report;
pub mod store;
pub mod trends;

pub use error::StoreError;
pub use log::{Begin, SessionKind, SessionLog};
pub use record::{Checkin, SessionHead, SessionRecord};
pub use store::{Durability, Store};

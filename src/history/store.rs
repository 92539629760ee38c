//! The open database: where it is, how it is opened (WAL, foreign keys,
//! a busy timeout), and the migrations run on every open.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::location::database_path;
use super::migrations;
use super::StoreError;

/// How long a writer waits for another (a live session logging while
/// `treadbeat checkin` writes) before giving up: far longer than any one
/// of our transactions takes.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The session log, open.
pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
}

/// How hard a commit holds on to its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Each commit reaches the disk before the call returns (fsync): a
    /// live session's log survives a power cut up to its last commit.
    Synced,
    /// Commits survive the process being killed, not a power cut: enough
    /// for commands that can simply be run again.
    Normal,
}

impl Store {
    /// Opens (creating it and its folder) the log in the data folder.
    pub fn open_default(durability: Durability) -> Result<Store, StoreError> {
        Store::open(&database_path()?, durability)
    }

    /// Opens the log in the data folder for a command that reads it: a
    /// runner who has never run a session has none, and gets no folder
    /// made by asking.
    pub fn open_existing() -> Result<Store, StoreError> {
        let path = database_path()?;
        if !path.exists() {
            return Err(StoreError::Empty);
        }
        Store::open(&path, Durability::Normal)
    }

    /// Opens (creating it and its folder) the log at `path`.
    pub fn open(path: &Path, durability: Durability) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Folder {
                path: dir.display().to_string(),
                reason: super::error::plain_io_error(&e),
            })?;
        }
        let open_error = |e: rusqlite::Error| StoreError::Open {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open_error)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
        // WAL: readers (`history` while a run logs) never block the writer,
        // and a commit is one append to the log file.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_error)?;
        let sync = match durability {
            Durability::Synced => "FULL",
            Durability::Normal => "NORMAL",
        };
        conn.pragma_update(None, "synchronous", sync)
            .map_err(open_error)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_error)?;
        migrations::migrate(&mut conn)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Where this log is on disk.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

//! The schema, one migration per version, applied in order inside one
//! transaction each; `PRAGMA user_version` says which have run.
//!
//! A migration that has shipped is never edited: a runner's database made
//! by it must still upgrade. `tests/history_migration.rs` keeps schema 1
//! as it was and upgrades a database made with it.

use rusqlite::Connection;

use super::StoreError;

/// Schema 1: the live log as a session writes it.
const SCHEMA_1: &str = "
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('run', 'click')),
    profile_name TEXT NOT NULL,
    profile_text TEXT NOT NULL,
    profile_hash TEXT NOT NULL,
    units TEXT NOT NULL CHECK (units IN ('metric', 'imperial')),
    started_ms INTEGER NOT NULL,
    utc_offset_s INTEGER NOT NULL,
    mic INTEGER NOT NULL,
    planned_s REAL NOT NULL,
    reached_s REAL NOT NULL DEFAULT 0,
    last_wall_ms INTEGER NOT NULL,
    ended_ms INTEGER,
    finished INTEGER,
    underruns INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE steps (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    clicked INTEGER NOT NULL,
    start_s REAL NOT NULL,
    duration_s REAL NOT NULL,
    cadence_from REAL,
    cadence_to REAL,
    speed_from_kmh REAL,
    speed_to_kmh REAL,
    incline_from REAL,
    incline_to REAL,
    PRIMARY KEY (session_id, idx)
);
CREATE TABLE events (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    wall_ms INTEGER NOT NULL,
    session_s REAL NOT NULL,
    kind TEXT NOT NULL,
    step INTEGER,
    value REAL,
    code TEXT,
    text TEXT,
    PRIMARY KEY (session_id, seq)
);
CREATE TABLE heard_steps (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    session_s REAL NOT NULL,
    offset_ms REAL
);
CREATE INDEX heard_steps_by_session ON heard_steps (session_id, session_s);
";

/// Schema 2: what the runner adds afterwards: a check-in per session, and
/// baselines given with `next --baseline`.
const SCHEMA_2: &str = "
CREATE TABLE checkins (
    session_id INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    pain INTEGER CHECK (pain BETWEEN 0 AND 10),
    effort INTEGER CHECK (effort BETWEEN 1 AND 10),
    at_ms INTEGER NOT NULL
);
CREATE TABLE baselines (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    spm REAL NOT NULL
);
";

/// Every migration, in order: index i brings the schema to version i + 1.
pub const MIGRATIONS: [&str; 2] = [SCHEMA_1, SCHEMA_2];

/// The schema version this build writes.
pub const LATEST: u32 = MIGRATIONS.len() as u32;

/// The database's schema version.
pub fn version(conn: &Connection) -> Result<u32, StoreError> {
    Ok(conn.query_row("PRAGMA user_version", [], |row| row.get(0))?)
}

/// Brings the database to `LATEST`, each migration in its own transaction
/// with the version bump, so a crash leaves a whole version, never half.
/// A database from a newer treadbeat is refused rather than misread.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    migrate_to(conn, LATEST)
}

/// Brings the database to `target` (tests make old schemas with it).
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<(), StoreError> {
    let found = version(conn)?;
    if found > LATEST {
        return Err(StoreError::Newer {
            found,
            known: LATEST,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().take(target as usize) {
        let to = index as u32 + 1;
        if to <= found {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", to)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_version_is_whole_and_a_newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 1).unwrap();
        assert_eq!(version(&conn).unwrap(), 1);
        let tables = |conn: &Connection| -> Vec<String> {
            let mut q = conn
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                .unwrap();
            q.query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        assert_eq!(
            tables(&conn),
            ["events", "heard_steps", "sessions", "steps"]
        );
        migrate(&mut conn).unwrap();
        assert_eq!(version(&conn).unwrap(), LATEST);
        assert_eq!(
            tables(&conn),
            [
                "baselines",
                "checkins",
                "events",
                "heard_steps",
                "sessions",
                "steps"
            ]
        );
        migrate(&mut conn).unwrap(); // nothing to do the second time
        conn.pragma_update(None, "user_version", LATEST + 1)
            .unwrap();
        let refused = migrate(&mut conn).unwrap_err();
        assert!(refused
            .to_string()
            .contains("newer than this treadbeat knows"));
    }
}

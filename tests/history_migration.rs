//! A session log made by the first schema upgrades in place: its sessions
//! read back whole, and what later schemas added (check-ins) works on
//! them. The first schema is kept as it was in
//! `tests/fixtures/history/schema1.sql`; migration 1 in the code must
//! still make exactly that schema (a shipped migration is never edited).

mod support;

use rusqlite::Connection;
use support::history::{log_path, ok, treadbeat_in};
use treadbeat::history::migrations;

const SCHEMA_1: &str = include_str!("fixtures/history/schema1.sql");

fn schema_of(conn: &Connection) -> Vec<(String, String)> {
    let mut q = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        .unwrap();
    q.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn migration_1_still_makes_the_first_schema() {
    let kept = Connection::open_in_memory().unwrap();
    kept.execute_batch(SCHEMA_1).unwrap();
    let mut made = Connection::open_in_memory().unwrap();
    migrations::migrate_to(&mut made, 1).unwrap();
    assert_eq!(schema_of(&made), schema_of(&kept));
}

#[test]
fn a_schema_1_log_upgrades_and_keeps_its_sessions() {
    let data = tempfile::tempdir().unwrap();
    let path = log_path(data.path());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    Connection::open(&path)
        .unwrap()
        .execute_batch(SCHEMA_1)
        .unwrap();

    let json: serde_json::Value =
        serde_json::from_str(&ok(&treadbeat_in(data.path(), &["history", "--json"]))).unwrap();
    let session = &json[0];
    assert_eq!(session["id"], 1);
    assert_eq!(session["profile"], "Two steady minutes");
    assert_eq!(session["outcome"], "finished");
    assert_eq!(session["underruns"], 2);
    assert_eq!(session["heard_steps"], 340);
    assert!((session["cadence_spm"].as_f64().unwrap() - 170.0).abs() < 0.01);
    assert_eq!(session["in_band"].as_f64(), Some(1.0));
    assert!(session["pain"].is_null());
    let conn = Connection::open(&path).unwrap();
    assert_eq!(migrations::version(&conn).unwrap(), migrations::LATEST);

    // Schema 2's check-ins on a session schema 1 logged.
    let said = ok(&treadbeat_in(
        data.path(),
        &["checkin", "1", "--pain", "2", "--effort", "5"],
    ));
    assert_eq!(said.trim(), "Session 1: hip pain 2/10, effort 5/10.");
    let shown = ok(&treadbeat_in(data.path(), &["show", "1"]));
    assert!(shown.contains("hip pain 2/10"), "{shown}");
    assert!(
        shown.contains("1:00") && shown.contains("Stand tall."),
        "{shown}"
    );
}

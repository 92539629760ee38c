//! The session-log commands as a runner uses them, on sessions logged
//! through `SessionLog` (replayed faster than real time into a log of the
//! test's own, `XDG_DATA_HOME`): `history` (table and JSON), `show`,
//! `checkin`, and the errors: one line, exit 1 for a session that is not
//! there or a bad value, never a panic, a full stdout exit 2.

mod support;

use std::process::{Command, Stdio};

use support::history::{ok, on_target, treadbeat_in, Replay, DAY_MS, MONDAY_MS};

const BUILDER: &str = include_str!("fixtures/history/builder.toml");

/// Two sessions: Monday with the microphone, the runner sagging from 5
/// minutes and warned, a pause and a skip; a week later without it.
fn two_sessions(data: &std::path::Path) {
    let mut r = Replay::start(data, BUILDER, MONDAY_MS, true);
    let plan = r.timeline.clone();
    r.run_until(300.0, on_target(&plan));
    r.pause(40.0);
    r.run_until(480.0, |t| {
        on_target(&plan)(t).map(|c| c - (t - 300.0) / 30.0)
    });
    r.warn("cadence_low", "Quick feet. Shorten your stride.");
    r.run_until(560.0, on_target(&plan));
    r.skip();
    r.finish(on_target(&plan));
    let r = Replay::start(data, BUILDER, MONDAY_MS + 7 * DAY_MS, false);
    r.finish(on_target(&plan));
}

fn failed(out: &std::process::Output, code: i32) -> String {
    assert_eq!(out.status.code(), Some(code), "{out:?}");
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(!stderr.contains("panicked"));
    stderr
}

#[test]
fn an_empty_log_says_so() {
    let data = tempfile::tempdir().unwrap();
    let text = ok(&treadbeat_in(data.path(), &["history"]));
    assert!(text.starts_with("No sessions yet"), "{text}");
    assert_eq!(
        ok(&treadbeat_in(data.path(), &["history", "--json"])).trim(),
        "[]"
    );
    let err = failed(&treadbeat_in(data.path(), &["show"]), 1);
    assert!(err.contains("no sessions"), "{err}");
    failed(&treadbeat_in(data.path(), &["checkin", "--pain", "2"]), 1);
    // Asking made no folder.
    assert!(!data.path().join("treadbeat").exists());
}

#[test]
fn history_lists_newest_first_with_ids_and_what_was_measured() {
    let data = tempfile::tempdir().unwrap();
    two_sessions(data.path());
    let json: serde_json::Value =
        serde_json::from_str(&ok(&treadbeat_in(data.path(), &["history", "--json"]))).unwrap();
    let list = json.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(
        (list[0]["id"].as_i64(), list[1]["id"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(list[0]["started"], "2026-03-09T07:00:00+00:00");
    let first = &list[1];
    assert_eq!(first["profile"], "Cadence builder 168 spm (+5 %)");
    assert_eq!(first["outcome"], "finished");
    assert_eq!(first["mic"], true);
    // 15 minutes less the 3:40 skipped; the pause is not played time.
    assert!((first["played_s"].as_f64().unwrap() - 680.0).abs() < 1e-6);
    assert!(first["in_band"].as_f64().unwrap() < 0.95);
    assert!(first["heard_steps"].as_u64().unwrap() > 1500);
    // Without the microphone nothing is measured, nothing invented.
    let second = &list[0];
    assert_eq!(second["mic"], false);
    assert_eq!(second["heard_steps"], 0);
    assert!(second["cadence_spm"].is_null() && second["in_band"].is_null());
    let table = ok(&treadbeat_in(data.path(), &["history"]));
    let rows: Vec<&str> = table.lines().collect();
    assert_eq!(rows.len(), 3, "{table}");
    assert!(
        rows[1].trim_start().starts_with("2  2026-03-09 07:00"),
        "{table}"
    );
    assert!(rows[2].contains("11:20 of 15:00"), "{table}");
}

#[test]
fn show_tells_each_step_the_warning_and_draws_the_chart() {
    let data = tempfile::tempdir().unwrap();
    two_sessions(data.path());
    let text = ok(&treadbeat_in(data.path(), &["show", "1"]));
    assert!(
        text.starts_with(
            "Session 1 · Cadence builder 168 spm (+5 %) · 2026-03-02 07:00 · finished"
        ),
        "{text}"
    );
    let step = |name: &str| {
        text.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no {name} in\n{text}"))
            .to_string()
    };
    // The warm-up held its ramp exactly: 120 on average, all in band.
    let warm = step("Warm-up walk");
    assert!(
        warm.contains("115-125") && warm.contains("120.0") && warm.contains("100 %"),
        "{warm}"
    );
    // The sag from 5 minutes shows in the first quick block: under the
    // target, out of band, a negative drift.
    let sag = step("Quick feet 1/2");
    let cells: Vec<&str> = sag.split_whitespace().collect();
    // ... drift, then "0.1 % → 0.5 %".
    let drift: f64 = cells[cells.len() - 6].parse().unwrap();
    assert!(drift < -2.0, "{sag}");
    assert!(step("Quick feet 2/2").contains("0:20 skip"));
    let warning = step("Shorten your stride");
    assert!(warning.trim_start().starts_with("8:00"), "{warning}");
    assert!(
        text.contains('●') && text.contains('░'),
        "the chart:\n{text}"
    );
    // The later session: no microphone, said plainly, no numbers made up.
    let latest = ok(&treadbeat_in(data.path(), &["show"]));
    assert!(latest.starts_with("Session 2 "), "{latest}");
    assert!(latest.contains("no microphone"));
    assert!(!latest.contains('●'));
    let err = failed(&treadbeat_in(data.path(), &["show", "7"]), 1);
    assert!(err.contains("no session 7"), "{err}");
}

#[test]
fn checkin_records_pain_and_effort_and_refuses_what_is_out_of_range() {
    let data = tempfile::tempdir().unwrap();
    two_sessions(data.path());
    let said = ok(&treadbeat_in(
        data.path(),
        &["checkin", "--pain", "3", "--effort", "6"],
    ));
    assert_eq!(said.trim(), "Session 2: hip pain 3/10, effort 6/10.");
    // Later, only the pain of session 1; then its effort, keeping the pain.
    ok(&treadbeat_in(data.path(), &["checkin", "1", "--pain", "4"]));
    let said = ok(&treadbeat_in(
        data.path(),
        &["checkin", "1", "--effort", "7"],
    ));
    assert_eq!(said.trim(), "Session 1: hip pain 4/10, effort 7/10.");
    let json: serde_json::Value =
        serde_json::from_str(&ok(&treadbeat_in(data.path(), &["history", "--json"]))).unwrap();
    assert_eq!(
        (json[0]["pain"].as_u64(), json[0]["effort"].as_u64()),
        (Some(3), Some(6))
    );
    assert_eq!(
        (json[1]["pain"].as_u64(), json[1]["effort"].as_u64()),
        (Some(4), Some(7))
    );
    failed(
        &treadbeat_in(data.path(), &["checkin", "1", "--pain", "11"]),
        1,
    );
    failed(
        &treadbeat_in(data.path(), &["checkin", "1", "--effort", "0"]),
        1,
    );
    failed(&treadbeat_in(data.path(), &["checkin", "1"]), 1);
    let err = failed(
        &treadbeat_in(data.path(), &["checkin", "9", "--pain", "1"]),
        1,
    );
    assert!(err.contains("no session 9"), "{err}");
}

#[test]
fn a_closed_or_full_stdout_is_no_panic() {
    let data = tempfile::tempdir().unwrap();
    two_sessions(data.path());
    for args in [&["history"][..], &["history", "--json"], &["show", "1"]] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_treadbeat"))
            .args(args)
            .env("XDG_DATA_HOME", data.path())
            .stdout(full)
            .output()
            .unwrap();
        let err = failed(&out, 2);
        assert!(err.contains("No space left"), "{err}");
        let mut child = Command::new(env!("CARGO_BIN_EXE_treadbeat"))
            .args(args)
            .env("XDG_DATA_HOME", data.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader goes away at once
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_log_that_cannot_be_read_is_one_line_and_exit_2() {
    let data = tempfile::tempdir().unwrap();
    // A folder where the database file should be.
    std::fs::create_dir_all(data.path().join("treadbeat/history.sqlite")).unwrap();
    for args in [
        &["history"][..],
        &["history", "--json"],
        &["show"],
        &["next", "--baseline", "160"],
    ] {
        let err = failed(&treadbeat_in(data.path(), args), 2);
        assert!(err.contains("history.sqlite"), "{args:?}: {err}");
    }
    // A log from a newer treadbeat is refused, not misread.
    let newer = tempfile::tempdir().unwrap();
    two_sessions(newer.path());
    let conn = rusqlite::Connection::open(support::history::log_path(newer.path())).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = failed(&treadbeat_in(newer.path(), &["history"]), 2);
    assert!(err.contains("newer than this treadbeat"), "{err}");
}

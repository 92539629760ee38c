//! A session cut short keeps what it had: a writer logging a live session
//! (in real time, slowed only by the disk) is killed with SIGKILL, no
//! chance to end or flush, and the log still holds the session up to its
//! last two seconds, readable and exportable, marked cut short.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use support::history::{log_path, ok, treadbeat_in, MONDAY_MS};
use treadbeat::history::log::WallClock;
use treadbeat::history::{Begin, Durability, SessionKind, SessionLog, Store};

const STEADY: &str = r#"
name = "Ten steady minutes"
[[step]]
name = "Steady"
time = "10m"
cadence = 170
speed = "9 km/h"
"#;

/// Session seconds the parent waits for before it kills the writer.
const KILL_AFTER_S: f64 = 40.0;

/// The writer: run by `a_killed_writer_keeps_what_it_had` as a child
/// process (it is ignored in a normal test run). It logs a 170 spm runner,
/// one session second every 20 ms of real time, and prints each progress
/// once it is committed.
#[test]
#[ignore = "the child process of a_killed_writer_keeps_what_it_had"]
fn writer_child() {
    let data = std::env::var_os("TREADBEAT_KILL_DATA").expect("run by the parent test");
    let timeline = support::timeline(STEADY);
    let store = Store::open(&log_path(std::path::Path::new(&data)), Durability::Synced).unwrap();
    let wall = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(MONDAY_MS));
    let clock: WallClock = {
        let wall = wall.clone();
        Box::new(move || {
            std::time::UNIX_EPOCH
                + Duration::from_millis(wall.load(std::sync::atomic::Ordering::SeqCst) as u64)
        })
    };
    let begin = Begin {
        kind: SessionKind::Run,
        profile_name: &timeline.name,
        profile_text: STEADY,
        timeline: &timeline,
        started: std::time::UNIX_EPOCH + Duration::from_millis(MONDAY_MS as u64),
        mic: true,
    };
    let mut log = SessionLog::begin_in(store, &begin, clock).unwrap();
    log.step_entered(0, 0.0).unwrap();
    let period = 60.0 / 170.0;
    let mut next_step = 0.0;
    for second in 1..=600 {
        let t = f64::from(second);
        while next_step < t {
            wall.store(
                MONDAY_MS + (next_step * 1000.0) as i64,
                std::sync::atomic::Ordering::SeqCst,
            );
            log.heard_step(next_step, Some(8.0)).unwrap();
            next_step += period;
        }
        wall.store(
            MONDAY_MS + (t * 1000.0) as i64,
            std::sync::atomic::Ordering::SeqCst,
        );
        if second % 2 == 0 {
            log.progress(t).unwrap();
            println!("reached {t}");
            std::io::stdout().flush().unwrap();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("the parent should have killed this writer long before the end");
}

#[test]
fn a_killed_writer_keeps_what_it_had() {
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "writer_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("TREADBEAT_KILL_DATA", data.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut reached = 0.0;
    while reached < KILL_AFTER_S {
        let line = lines
            .next()
            .expect("the writer ended before it was killed")
            .unwrap();
        if let Some(t) = line.strip_prefix("reached ") {
            reached = t.parse().unwrap();
        }
    }
    // SIGKILL: no destructor, no flush, no end.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success());

    let conn = rusqlite::Connection::open(log_path(data.path())).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    let json: serde_json::Value =
        serde_json::from_str(&ok(&treadbeat_in(data.path(), &["history", "--json"]))).unwrap();
    let session = &json[0];
    assert_eq!(session["outcome"], "cut short");
    let kept = session["reached_s"].as_f64().unwrap();
    assert!(
        kept >= reached,
        "the last committed progress ({reached} s) was lost: {kept}"
    );
    // Every step up to the last progress is there: 170 a minute.
    let heard = session["heard_steps"].as_f64().unwrap();
    let expected = (kept * 170.0 / 60.0).floor();
    assert!(
        heard >= expected - 1.0 && heard <= expected + 2.0 * 170.0 / 60.0 + 1.0,
        "{heard} steps heard for {kept} s"
    );
    assert!((session["cadence_spm"].as_f64().unwrap() - 170.0).abs() < 0.5);
    // Cut short, it still exports: its track ends where it got to.
    let out = data.path().join("cut.csv");
    ok(&treadbeat_in(
        data.path(),
        &["export", "-o", out.to_str().unwrap()],
    ));
    let rows = std::fs::read_to_string(&out).unwrap().lines().count() - 1;
    assert_eq!(rows as f64, kept + 1.0);
}

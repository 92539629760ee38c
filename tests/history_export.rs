//! `treadbeat export` read back by independent readers: the FIT file by
//! fitparser (built from the FIT SDK's profile), the TCX by an XML parser.
//! Every record and every trackpoint is checked against what the replayed
//! session did, computed here from the plan, not by treadbeat's code: the
//! belt's distance and speed as run (a pause, a skip, a walk at another
//! speed), cadence in FIT's running units (strides per minute plus
//! 1/128ths) only where steps were heard, none where they were not.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use fitparser::profile::MesgNum;
use fitparser::{FitDataRecord, Value};
use support::history::{ok, on_target, treadbeat_in, Replay, COUNT_IN_S, MONDAY_MS};

const BUILDER: &str = include_str!("fixtures/history/builder.toml");

/// Session seconds: nothing heard in [HUSH_FROM, HUSH_TO), the pause at
/// HUSH_TO, 171 spm (an odd rate: 85.5 strides) up to SKIP_AT, the rest of
/// that step skipped to NEXT_STEP.
const HUSH_FROM: f64 = 200.0;
const HUSH_TO: f64 = 260.0;
const PAUSE_S: f64 = 30.0;
const SKIP_AT: f64 = 500.0;
const NEXT_STEP: f64 = 540.0;
const ODD_SPM: f64 = 171.0;

/// The replayed session, logged in `data`; its id.
fn replay(data: &Path) -> i64 {
    let mut r = Replay::start(data, BUILDER, MONDAY_MS, true);
    let plan = r.timeline.clone();
    r.run_until(HUSH_FROM, on_target(&plan));
    r.run_until(HUSH_TO, |_| None);
    r.pause(PAUSE_S);
    r.run_until(SKIP_AT, |_| Some(ODD_SPM));
    r.skip();
    assert_eq!(r.t, NEXT_STEP);
    r.finish(on_target(&plan))
}

/// The plan's belt speed at session time `s`, km/h: the walks at 5, the
/// rest at the default 9.
fn speed_at(s: f64) -> f64 {
    if !(120.0..840.0).contains(&s) {
        5.0
    } else {
        9.0
    }
}

/// Metres the belt has moved by session time `s` (the skipped 40 s left
/// out), integrated here in closed form.
fn distance_at(s: f64) -> f64 {
    let part = |a: f64, b: f64, kmh: f64| ((s.min(b) - a).max(0.0)) * kmh / 3.6;
    part(0.0, 120.0, 5.0)
        + part(120.0, SKIP_AT, 9.0)
        + part(NEXT_STEP, 840.0, 9.0)
        + part(840.0, 900.0, 5.0)
}

/// Session time of a point `elapsed` wall seconds after t = 0.
fn session_at(elapsed: f64) -> f64 {
    let played = if elapsed <= HUSH_TO {
        elapsed
    } else {
        (elapsed - PAUSE_S).max(HUSH_TO)
    };
    if played <= SKIP_AT {
        played
    } else {
        played + (NEXT_STEP - SKIP_AT)
    }
}

/// t = 0 on the wall clock, Unix seconds (after the count-in).
fn start_unix() -> i64 {
    (MONDAY_MS + (COUNT_IN_S * 1000.0) as i64) / 1000
}

fn fields(record: &FitDataRecord) -> BTreeMap<String, Value> {
    record
        .fields()
        .iter()
        .map(|f| (f.name().to_string(), f.value().clone()))
        .collect()
}

fn number(value: &Value) -> f64 {
    match value {
        Value::Float64(v) => *v,
        Value::Float32(v) => f64::from(*v),
        Value::UInt8(v) | Value::Byte(v) | Value::Enum(v) | Value::UInt8z(v) => f64::from(*v),
        Value::UInt16(v) | Value::UInt16z(v) => f64::from(*v),
        Value::SInt16(v) => f64::from(*v),
        Value::UInt32(v) | Value::UInt32z(v) => f64::from(*v),
        Value::Timestamp(t) => t.timestamp() as f64,
        other => panic!("not a number: {other:?}"),
    }
}

fn text(value: &Value) -> String {
    value.to_string()
}

#[test]
fn the_fit_file_holds_the_run_as_played_record_by_record() {
    let data = tempfile::tempdir().unwrap();
    let id = replay(data.path());
    let out = data.path().join("run.fit");
    let printed = ok(&treadbeat_in(
        data.path(),
        &["export", &id.to_string(), "-o", out.to_str().unwrap()],
    ));
    assert!(
        printed.contains("cadence where steps were heard"),
        "{printed}"
    );
    let bytes = std::fs::read(&out).unwrap();
    let messages = fitparser::from_bytes(&bytes).expect("fitparser reads the file, CRCs and all");

    let file_id = fields(
        messages
            .iter()
            .find(|m| m.kind() == MesgNum::FileId)
            .unwrap(),
    );
    assert_eq!(text(&file_id["type"]), "activity");

    let records: Vec<BTreeMap<String, Value>> = messages
        .iter()
        .filter(|m| m.kind() == MesgNum::Record)
        .map(fields)
        .collect();
    // t = 0 to 900 s less the 40 s skipped, a record a second; the pause
    // has a record at each end (30 s apart), the skip's two ends share a
    // second (one record).
    assert_eq!(records.len(), 862);
    let mut previous: Option<i64> = None;
    let (mut heard_records, mut heard_with_cadence) = (0, 0);
    for r in &records {
        let ts = number(&r["timestamp"]) as i64;
        if let Some(p) = previous {
            let step = ts - p;
            let expected = if p - start_unix() == HUSH_TO as i64 {
                PAUSE_S as i64
            } else {
                1
            };
            assert_eq!(step, expected, "timestamps at {p}");
        }
        previous = Some(ts);
        let elapsed = (ts - start_unix()) as f64;
        let s = session_at(elapsed);
        let distance = number(&r["distance"]);
        assert!(
            (distance - distance_at(s)).abs() < 0.011,
            "distance at {s} s: {distance} against {}",
            distance_at(s)
        );
        // fitparser expands `speed` into `enhanced_speed`, as the profile
        // says; either is the belt's speed.
        let speed = number(r.get("speed").unwrap_or_else(|| &r["enhanced_speed"]));
        assert!(
            (speed - speed_at(s) / 3.6).abs() < 0.0006,
            "speed at {s} s: {speed}"
        );
        // Cadence only where steps were heard.
        let cadence = r.get("cadence").map(number);
        let fraction = r.get("fractional_cadence").map(number);
        let heard = !(HUSH_FROM..HUSH_TO).contains(&s);
        if !heard {
            assert_eq!(cadence, None, "no steps heard at {s} s, yet a cadence");
            assert_eq!(fraction, None);
            continue;
        }
        heard_records += 1;
        let Some(strides) = cadence else { continue };
        heard_with_cadence += 1;
        let strides = strides + fraction.expect("fractional cadence beside cadence");
        let spm = if (HUSH_TO..SKIP_AT).contains(&s) {
            ODD_SPM
        } else {
            support::history::on_target(&support::timeline(BUILDER))(s)
                .or_else(|| support::history::on_target(&support::timeline(BUILDER))(s - 0.5))
                .unwrap()
        };
        // FIT's running cadence is strides: half the steps.
        assert!(
            (strides - spm / 2.0).abs() <= 0.5,
            "{strides} strides/min at {s} s where the runner stepped {spm} spm"
        );
        if (HUSH_TO + 5.0..SKIP_AT - 5.0).contains(&s) {
            assert_eq!(strides, 85.5, "171 spm is 85 strides and 64/128 at {s} s");
        }
    }
    // Every heard second has a cadence but the window edges next to the
    // silence (a window needs four intervals).
    assert!(
        heard_with_cadence as f64 >= 0.97 * heard_records as f64,
        "{heard_with_cadence} of {heard_records}"
    );

    let events: Vec<(String, String)> = messages
        .iter()
        .filter(|m| m.kind() == MesgNum::Event)
        .map(fields)
        .map(|e| (text(&e["event"]), text(&e["event_type"])))
        .collect();
    let timer = |t: &str| ("timer".to_string(), t.to_string());
    assert_eq!(
        events,
        [
            timer("start"),
            timer("stop_all"),
            timer("start"),
            timer("stop_all")
        ]
    );

    let laps: Vec<BTreeMap<String, Value>> = messages
        .iter()
        .filter(|m| m.kind() == MesgNum::Lap)
        .map(fields)
        .collect();
    assert_eq!(laps.len(), 7, "a lap per step played");
    let timer_total: f64 = laps.iter().map(|l| number(&l["total_timer_time"])).sum();
    assert!((timer_total - 860.0).abs() < 0.01, "{timer_total}");
    let lap_distance: f64 = laps.iter().map(|l| number(&l["total_distance"])).sum();
    assert!(
        (lap_distance - distance_at(900.0)).abs() < 0.05,
        "{lap_distance}"
    );
    let odd_lap = &laps[2]; // Quick feet 1/2, stepped at 171 throughout
    let avg = odd_lap
        .get("avg_running_cadence")
        .or_else(|| odd_lap.get("avg_cadence"))
        .map(number)
        .unwrap();
    assert_eq!(avg + number(&odd_lap["avg_fractional_cadence"]), 85.5);

    let session = fields(
        messages
            .iter()
            .find(|m| m.kind() == MesgNum::Session)
            .unwrap(),
    );
    assert_eq!(text(&session["sport"]), "running");
    assert_eq!(text(&session["sub_sport"]), "treadmill");
    assert!((number(&session["total_timer_time"]) - 860.0).abs() < 0.01);
    assert!((number(&session["total_elapsed_time"]) - 890.0).abs() <= 1.0);
    assert!((number(&session["total_distance"]) - distance_at(900.0)).abs() < 0.011);
    assert_eq!(number(&session["num_laps"]), 7.0);
    let activity = fields(
        messages
            .iter()
            .find(|m| m.kind() == MesgNum::Activity)
            .unwrap(),
    );
    assert_eq!(number(&activity["num_sessions"]), 1.0);
}

#[test]
fn a_session_without_the_microphone_exports_no_cadence_at_all() {
    let data = tempfile::tempdir().unwrap();
    let r = Replay::start(data.path(), BUILDER, MONDAY_MS, false);
    let plan = r.timeline.clone();
    r.finish(on_target(&plan));
    let out = data.path().join("run.fit");
    let printed = ok(&treadbeat_in(
        data.path(),
        &["export", "-o", out.to_str().unwrap()],
    ));
    assert!(printed.contains("no cadence"), "{printed}");
    let messages = fitparser::from_bytes(&std::fs::read(&out).unwrap()).unwrap();
    let records: Vec<_> = messages
        .iter()
        .filter(|m| m.kind() == MesgNum::Record)
        .map(fields)
        .collect();
    assert_eq!(records.len(), 901);
    for r in &records {
        assert!(!r.contains_key("cadence") && !r.contains_key("fractional_cadence"));
        assert!(
            r.contains_key("distance") && r.contains_key("enhanced_speed"),
            "{r:?}"
        );
    }
}

#[test]
fn the_tcx_file_holds_every_trackpoint_with_run_cadence_in_strides() {
    let data = tempfile::tempdir().unwrap();
    let id = replay(data.path());
    let out = data.path().join("run.tcx");
    ok(&treadbeat_in(
        data.path(),
        &["export", &id.to_string(), "-o", out.to_str().unwrap()],
    ));
    let xml = std::fs::read_to_string(&out).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    const TCX: &str = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2";
    const AX: &str = "http://www.garmin.com/xmlschemas/ActivityExtension/v2";
    let activity = doc
        .descendants()
        .find(|n| n.has_tag_name((TCX, "Activity")))
        .unwrap();
    assert_eq!(activity.attribute("Sport"), Some("Running"));
    let laps: Vec<_> = activity
        .children()
        .filter(|n| n.has_tag_name((TCX, "Lap")))
        .collect();
    assert_eq!(laps.len(), 7);
    let child_text = |n: roxmltree::Node, name: &str| -> Option<String> {
        n.children()
            .find(|c| c.has_tag_name((TCX, name)))
            .and_then(|c| c.text())
            .map(str::to_string)
    };
    let points: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((TCX, "Trackpoint")))
        .collect();
    assert_eq!(points.len(), 862);
    let mut previous: Option<i64> = None;
    for p in &points {
        let time = child_text(*p, "Time").unwrap();
        let ts = chrono::DateTime::parse_from_rfc3339(&time)
            .unwrap()
            .timestamp();
        assert!(previous.is_none_or(|q| ts > q), "times increase at {time}");
        previous = Some(ts);
        let s = session_at((ts - start_unix()) as f64);
        let distance: f64 = child_text(*p, "DistanceMeters").unwrap().parse().unwrap();
        assert!(
            (distance - distance_at(s)).abs() < 0.006,
            "distance at {s} s"
        );
        let tpx = p
            .descendants()
            .find(|n| n.has_tag_name((AX, "TPX")))
            .expect("speed in the TPX extension");
        let speed: f64 = tpx
            .children()
            .find(|n| n.has_tag_name((AX, "Speed")))
            .and_then(|n| n.text())
            .unwrap()
            .parse()
            .unwrap();
        assert!((speed - speed_at(s) / 3.6).abs() < 0.0006);
        let cadence = tpx
            .children()
            .find(|n| n.has_tag_name((AX, "RunCadence")))
            .map(|n| n.text().unwrap().parse::<f64>().unwrap());
        if (HUSH_FROM..HUSH_TO).contains(&s) {
            assert_eq!(cadence, None, "no cadence where nothing was heard ({s} s)");
        }
        if (HUSH_TO + 5.0..SKIP_AT - 5.0).contains(&s) {
            // 85.5 strides, a whole number in TCX.
            assert!(
                cadence == Some(86.0) || cadence == Some(85.0),
                "{cadence:?} at {s} s"
            );
        }
    }
}

#[test]
fn the_csv_has_a_row_a_second_with_empty_cadence_where_none_was_heard() {
    let data = tempfile::tempdir().unwrap();
    let id = replay(data.path());
    let out = data.path().join("run.csv");
    ok(&treadbeat_in(
        data.path(),
        &["export", &id.to_string(), "-o", out.to_str().unwrap()],
    ));
    let csv = std::fs::read_to_string(&out).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 862);
    for row in &rows {
        assert_eq!(row.len(), header.len());
        let s: f64 = row[col("session_s")].parse().unwrap();
        let distance: f64 = row[col("distance_m")].parse().unwrap();
        assert!((distance - distance_at(s)).abs() < 0.006);
        let cadence = row[col("cadence_spm")];
        if (HUSH_FROM..HUSH_TO).contains(&s) {
            assert_eq!(cadence, "", "at {s} s");
        }
        if (HUSH_TO + 5.0..SKIP_AT - 5.0).contains(&s) {
            assert_eq!(cadence, "171.0", "at {s} s");
        }
    }
}

#[test]
fn an_unknown_format_is_refused_and_nothing_is_written() {
    let data = tempfile::tempdir().unwrap();
    replay(data.path());
    let out = data.path().join("run.gpx");
    let result = treadbeat_in(data.path(), &["export", "-o", out.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(".fit, .tcx or .csv"));
    assert!(!out.exists());
    let missing_dir = data.path().join("no/such/dir/run.fit");
    let result = treadbeat_in(
        data.path(),
        &["export", "-o", missing_dir.to_str().unwrap()],
    );
    assert_eq!(result.status.code(), Some(2));
}

//! `treadbeat next` from a log the way a runner fills it: a baseline test
//! run with the microphone, then builder sessions of the profiles `next`
//! wrote, checked in. Each profile it writes is valid (`treadbeat check`
//! accepts it) and its blocks are at the cadence the rules give: +5 % over
//! the measured baseline, one stage up after two good weeks, one back when
//! the hip pain rises by 2; a baseline given with --baseline is kept.

mod support;

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use support::history::{ok, treadbeat_in, Replay, DAY_MS};
use treadbeat::plan::Timeline;

const BASELINE: &str = include_str!("../profiles/cadence-baseline.toml");

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// A runner at `run_spm` on every run step (clicked or not) and on the
/// target on walks.
fn runner(timeline: &Timeline, run_spm: f64) -> impl Fn(f64) -> Option<f64> + '_ {
    move |t| {
        let s = timeline
            .segments
            .iter()
            .find(|s| t >= s.start_s && t < s.end_s())?;
        match s.kind {
            treadbeat::plan::StepKind::Run => Some(run_spm),
            _ => s.cadence.map(|c| c.at((t - s.start_s) / s.duration_s)),
        }
    }
}

/// A runner who holds every beat.
fn on_beat(timeline: &Timeline) -> impl Fn(f64) -> Option<f64> + '_ {
    support::history::on_target(timeline)
}

/// The cadence of a profile's "Quick feet" blocks, after `check` has
/// accepted the file.
fn blocks_of(data: &Path, file: &Path) -> f64 {
    let checked = ok(&treadbeat_in(data, &["check", file.to_str().unwrap()]));
    assert!(checked.contains(": ok ("), "{checked}");
    let timeline = support::timeline(&std::fs::read_to_string(file).unwrap());
    let blocks: Vec<f64> = timeline
        .segments
        .iter()
        .filter(|s| s.name.starts_with("Quick feet"))
        .map(|s| s.cadence.unwrap().from)
        .collect();
    assert_eq!(blocks.len(), 4);
    assert!(blocks.iter().all(|&b| b == blocks[0]));
    blocks[0]
}

fn checkin(data: &Path, pain: u8) {
    ok(&treadbeat_in(
        data,
        &["checkin", "--pain", &pain.to_string(), "--effort", "5"],
    ));
}

#[test]
fn next_starts_climbs_and_steps_back_as_the_log_says() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let refused = treadbeat_in(d, &["next"]);
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("cadence-baseline") && err.lines().count() == 1,
        "{err}"
    );

    let day0 = now_ms() - 40 * DAY_MS;
    let r = Replay::start(d, BASELINE, day0, true);
    let plan = r.timeline.clone();
    r.finish(runner(&plan, 158.0));
    checkin(d, 2);

    let week1 = d.join("week1.toml");
    let why = ok(&treadbeat_in(d, &["next", "-o", week1.to_str().unwrap()]));
    assert!(why.contains("158") && why.contains("166"), "{why}");
    assert_eq!(blocks_of(d, &week1), 166.0, "+5 % over 158");
    let text = std::fs::read_to_string(&week1).unwrap();

    // Four sessions over 13 days: held, but not two weeks yet.
    for (i, day) in [5, 9, 13, 18].into_iter().enumerate() {
        let r = Replay::start(d, &text, day0 + day * DAY_MS, true);
        let plan = r.timeline.clone();
        r.finish(on_beat(&plan));
        checkin(d, 2);
        if i == 2 {
            let held = ok(&treadbeat_in(d, &["next"]));
            assert!(held.starts_with("# Cadence builder 166 spm"), "{held}");
            let held = held.replace("\n# ", " ");
            assert!(held.contains("holds 166"), "{held}");
        }
    }
    let week3 = d.join("week3.toml");
    let why = ok(&treadbeat_in(d, &["next", "-o", week3.to_str().unwrap()]));
    let why = why.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(why.contains("climbs to 171"), "{why}");
    assert_eq!(blocks_of(d, &week3), 171.0, "one stage, 5 spm up");

    // The hips complain: pain 2 -> 4 at 171 steps back to 166.
    let text = std::fs::read_to_string(&week3).unwrap();
    let r = Replay::start(d, &text, day0 + 25 * DAY_MS, true);
    let plan = r.timeline.clone();
    r.finish(on_beat(&plan));
    checkin(d, 4);
    let back = d.join("back.toml");
    let why = ok(&treadbeat_in(d, &["next", "-o", back.to_str().unwrap()]));
    let why = why.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        why.contains("from 2 to 4") && why.contains("steps back to 166"),
        "{why}"
    );
    assert_eq!(blocks_of(d, &back), 166.0);

    // A baseline given by hand is kept and used from then on.
    let given = ok(&treadbeat_in(d, &["next", "--baseline", "170"])).replace("\n# ", " ");
    assert!(given.contains("over your baseline of 170"), "{given}");
    let again = ok(&treadbeat_in(d, &["next"])).replace("\n# ", " ");
    assert!(again.contains("over your baseline of 170"), "{again}");
}

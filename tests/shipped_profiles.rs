//! The workouts in profiles/ are valid and cover what a coach prescribes.

use assert_cmd::Command;
use treadbeat::plan::{StepKind, Timeline};
use treadbeat::shipped::{DEFAULT_PROFILE, SHIPPED};

fn timelines() -> Vec<(&'static str, Timeline)> {
    SHIPPED
        .iter()
        .map(|(name, text)| {
            let profile = treadbeat::plan::parse_profile(name, text, std::path::Path::new("."))
                .unwrap_or_else(|e| panic!("{e}"));
            (*name, Timeline::from_profile(&profile))
        })
        .collect()
}

#[test]
fn every_shipped_profile_passes_check() {
    let mut files: Vec<String> = std::fs::read_dir("profiles")
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "only {} profiles", files.len());
    let output = Command::cargo_bin("treadbeat")
        .unwrap()
        .arg("check")
        .args(&files)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8(output.stdout)
            .unwrap()
            .matches(": ok")
            .count(),
        files.len()
    );
    assert_eq!(
        files.len(),
        SHIPPED.len(),
        "the binary embeds every file in profiles/"
    );
}

#[test]
fn every_profile_says_who_it_is_for() {
    for (name, timeline) in timelines() {
        assert!(
            timeline.about.len() > 40,
            "{name}: `about` should say who it is for"
        );
        assert!(
            timeline.total_s() >= 300.0,
            "{name} is shorter than 5 minutes"
        );
    }
}

#[test]
fn the_collection_covers_a_coach_s_prescriptions() {
    let all = timelines();
    let names: Vec<&str> = all.iter().map(|(n, _)| *n).collect();
    for wanted in [
        "cadence-baseline",
        "cadence-builder-week1",
        "cadence-builder-week4",
        "easy-run",
        "tempo-intervals",
        "hill-intervals",
        "running-drills",
        "walk-run-beginner",
        "pyramid",
        "hip-flexor-stretch",
        "warm-up",
    ] {
        assert!(names.contains(&wanted), "missing {wanted}");
    }
    assert!(names.contains(&DEFAULT_PROFILE));
    let segments = |name: &str| &all.iter().find(|(n, _)| *n == name).unwrap().1.segments;
    assert!(segments("hill-intervals")
        .iter()
        .any(|s| s.incline_pct.is_some_and(|i| i.to > 3.0)));
    assert!(segments("hill-intervals").iter().any(|s| s.by_distance));
    assert!(
        segments("running-drills")
            .iter()
            .filter(|s| s.kind == StepKind::Drill)
            .count()
            >= 4
    );
    let stretches = segments("hip-flexor-stretch");
    assert!(stretches
        .iter()
        .any(|s| s.kind == StepKind::Stretch && s.sides && s.hold_s.is_some()));
    assert!(segments("walk-run-beginner")
        .iter()
        .any(|s| s.kind == StepKind::Walk));
}

#[test]
fn the_cadence_builder_raises_step_rate_five_to_ten_percent() {
    let all = timelines();
    let peak = |name: &str| {
        all.iter()
            .find(|(n, _)| *n == name)
            .unwrap()
            .1
            .segments
            .iter()
            .filter(|s| s.kind == StepKind::Run)
            .filter_map(|s| s.cadence.map(|c| c.from.max(c.to)))
            .fold(0.0, f64::max)
    };
    let weeks: Vec<f64> = (1..=4)
        .map(|w| peak(&format!("cadence-builder-week{w}")))
        .collect();
    assert!(
        weeks.windows(2).all(|w| w[1] >= w[0]),
        "weeks must build: {weeks:?}"
    );
    // Written for a 160 spm baseline: +5 % is 168, +10 % is 176.
    assert!(weeks[0] >= 168.0 && weeks[3] <= 176.0, "{weeks:?}");
}

#[test]
fn profiles_lists_every_shipped_workout_with_length_and_audience() {
    let output = Command::cargo_bin("treadbeat")
        .unwrap()
        .arg("profiles")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    for (name, timeline) in timelines() {
        assert!(stdout.contains(name), "{name} not listed");
        assert!(stdout.contains(&timeline.name));
        assert!(stdout.contains(&timeline.about));
        assert!(stdout.contains(&treadbeat::units::clock_text(timeline.total_s())));
    }
    assert!(stdout.contains("(default)"));
}

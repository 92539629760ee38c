//! `treadbeat plan`: the table a runner reads and the JSON a program reads,
//! checked value by value on the SPEC's example profile.

use serde_json::Value;

mod support;
use support::run::treadbeat;

const SPEC_EXAMPLE: &str = "tests/fixtures/valid/spec-example.toml";

#[test]
fn the_table_shows_speed_and_pace_in_both_units_stride_and_distance() {
    let (code, out, _) = treadbeat(&["plan", SPEC_EXAMPLE]);
    assert_eq!(code, Some(0));
    let row = |prefix: &str| {
        out.lines()
            .find(|l| l.starts_with(prefix))
            .unwrap()
            .to_string()
    };
    let warm_up = row("1 ");
    for cell in [
        "Warm-up",
        "0:00",
        "6:00",
        "160..170",
        "7..9 km/h (4.3..5.6 mph)",
        "8:34..6:40/km (13:48..10:44/mi)",
        "0.73..0.88 m",
        "0.80 km (0.50 mi)",
    ] {
        assert!(
            warm_up.contains(cell),
            "warm-up row lacks {cell}: {warm_up}"
        );
    }
    let tempo = row("4 ");
    for cell in [
        "Tempo 2/5",
        "10:30",
        "3:00",
        "180",
        "12.6 km/h (7.8 mph)",
        "4:45/km (7:39/mi)",
        "1.17 m",
    ] {
        assert!(tempo.contains(cell), "tempo row lacks {cell}: {tempo}");
    }
    // 800 m at 10 km/h takes 4:48; the hill is at 4 %.
    let hill = row("12");
    assert!(
        hill.contains("4:48") && hill.contains("4%") && hill.contains("0.80 km"),
        "{hill}"
    );
    let stretch = row("13");
    assert!(
        stretch.contains("stretch") && stretch.contains("33:18"),
        "{stretch}"
    );
    let total = out.lines().find(|l| l.starts_with("Total")).unwrap();
    assert_eq!(
        total,
        "Total 35:18 · 5.82 km (3.62 mi) · 5,825 steps · 5,825 clicks (+4 count-in)"
    );
}

#[test]
fn imperial_profiles_lead_with_miles() {
    let (code, out, _) = treadbeat(&["plan", "walk-run-beginner"]);
    assert_eq!(code, Some(0));
    let row = out.lines().find(|l| l.starts_with("1 ")).unwrap();
    let mph = row.find("mph").unwrap();
    let kmh = row.find("km/h").unwrap();
    assert!(mph < kmh, "mph first in an imperial profile: {row}");
    assert!(row.find("/mi").unwrap() < row.find("/km").unwrap());
}

#[test]
fn json_has_the_documented_fields() {
    let (code, out, _) = treadbeat(&["plan", SPEC_EXAMPLE, "--json"]);
    assert_eq!(code, Some(0));
    let plan: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(plan["name"], "Tempo intervals 5 x 3 min");
    assert_eq!(plan["total_s"], 2118.0);
    let distance = plan["distance_m"].as_f64().unwrap();
    // 800 (warm-up) + 5·(3 min at 4:45/km + 90 s at 8.5 km/h) + 800 (hill) metres.
    let tempo = 180.0 / 285.0 * 1000.0;
    assert!(
        (distance - (800.0 + 5.0 * (tempo + 212.5) + 800.0)).abs() < 1e-6,
        "{distance}"
    );
    assert_eq!(plan["clicks"], 5825);
    let segments = plan["segments"].as_array().unwrap();
    assert_eq!(segments.len(), 13);
    let warm_up = &segments[0];
    assert_eq!(warm_up["name"], "Warm-up");
    assert_eq!(warm_up["kind"], "run");
    assert_eq!(warm_up["start_s"], 0.0);
    assert_eq!(warm_up["duration_s"], 360.0);
    assert_eq!(warm_up["cadence"], serde_json::json!([160.0, 170.0]));
    assert_eq!(warm_up["speed_kmh"], serde_json::json!([7.0, 9.0]));
    assert_eq!(warm_up["incline_pct"], serde_json::json!([0.0, 0.0]));
    assert_eq!(warm_up["distance_m"], 800.0);
    assert_eq!(warm_up["say"], "Easy start. Tall posture, relaxed hips.");
    assert_eq!(segments[1]["name"], "Tempo 1/5");
    assert_eq!(segments[11]["incline_pct"], serde_json::json!([4.0, 4.0]));
    assert_eq!(segments[11]["duration_s"], 288.0);
    let stretch = &segments[12];
    assert_eq!(stretch["kind"], "stretch");
    assert_eq!(stretch["cadence"], Value::Null);
    assert_eq!(stretch["speed_kmh"], Value::Null);
    assert_eq!(stretch["distance_m"], 0.0);
    assert_eq!(stretch["hold_s"], 30.0);
}

#[test]
fn silent_steps_have_null_cadence_in_json_but_keep_their_target() {
    let (_, out, _) = treadbeat(&["plan", "cadence-baseline", "--json"]);
    let plan: Value = serde_json::from_str(&out).unwrap();
    let silent = plan["segments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "run" && s["cadence"].is_null())
        .expect("the baseline test has a silent run");
    assert!(silent["speed_kmh"].is_array());
}

#[test]
fn bad_flags_are_one_line_and_exit_1() {
    let (code, out, err) = treadbeat(&["plan", SPEC_EXAMPLE, "--jsn"]);
    assert_eq!(code, Some(1));
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--jsn"));
}

#[test]
fn every_subcommand_has_help_with_examples() {
    use clap::CommandFactory;
    let cli = treadbeat::app::cli::Cli::command();
    let names: Vec<String> = cli
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    assert!(names.len() >= 11, "{names:?}");
    for command in &names {
        let (code, out, _) = treadbeat(&[command, "--help"]);
        assert_eq!(code, Some(0), "{command}");
        assert!(
            out.contains(&format!("Usage: treadbeat {command}")),
            "{command}: {out}"
        );
        assert!(
            out.contains("Example"),
            "{command} --help has no examples: {out}"
        );
        assert!(
            out.contains(&format!("  treadbeat {command}")),
            "{command}: {out}"
        );
    }
}

#[test]
fn completions_and_the_man_page_cover_every_subcommand() {
    use clap::CommandFactory;
    let cli = treadbeat::app::cli::Cli::command();
    let (code, bash, _) = treadbeat(&["completions", "bash"]);
    assert_eq!(code, Some(0));
    let (code, man, _) = treadbeat(&["man"]);
    assert_eq!(code, Some(0));
    assert!(
        man.starts_with(".ie") && man.contains(".TH treadbeat 1"),
        "{man}"
    );
    for sub in cli.get_subcommands() {
        assert!(
            bash.contains(sub.get_name()),
            "bash completions miss {}",
            sub.get_name()
        );
        assert!(
            man.contains(sub.get_name()),
            "the man page misses {}",
            sub.get_name()
        );
    }
    // The completion script is valid bash.
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("treadbeat.bash");
    std::fs::write(&script, &bash).unwrap();
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
        .unwrap();
    assert!(syntax.success());
}

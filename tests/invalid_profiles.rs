//! Every profile in tests/fixtures/invalid/ must fail with exactly the
//! message in its `.expected` file: `FILE:LINE:COL: message`, exit code 1,
//! nothing else on stderr.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use treadbeat::plan::parse_profile;

fn fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir("tests/fixtures/invalid")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

fn expected(path: &Path) -> String {
    fs::read_to_string(path.with_extension("expected"))
        .unwrap_or_else(|_| panic!("{} has no .expected file", path.display()))
}

#[test]
fn there_is_a_fixture_for_every_rule() {
    assert!(
        fixtures().len() >= 30,
        "only {} invalid fixtures",
        fixtures().len()
    );
}

#[test]
fn the_library_reports_exactly_the_expected_errors() {
    for path in fixtures() {
        let name = path.to_string_lossy();
        let text = fs::read_to_string(&path).unwrap();
        let errors = parse_profile(&name, &text, Path::new(".")).expect_err(&name);
        assert_eq!(format!("{errors}\n"), expected(&path), "for {name}");
    }
}

#[test]
fn check_prints_the_expected_line_and_exits_1() {
    for path in fixtures() {
        let output = Command::cargo_bin("treadbeat")
            .unwrap()
            .arg("check")
            .arg(&path)
            .output()
            .unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(1), "{}", path.display());
        assert_eq!(stderr, expected(&path), "{}", path.display());
        for line in stderr.lines() {
            let mut parts = line.splitn(4, ':');
            let (file, row, col) = (parts.next(), parts.next(), parts.next());
            assert_eq!(file, Some(&*path.to_string_lossy()));
            assert!(row.unwrap().parse::<usize>().unwrap() >= 1);
            assert!(col.unwrap().parse::<usize>().unwrap() >= 1);
        }
    }
}

#[test]
fn every_error_points_at_the_offending_text() {
    // The column of a value error lands on the value itself, not its key.
    let text = fs::read_to_string("tests/fixtures/invalid/speed-out-of-range.toml").unwrap();
    let line = text.lines().nth(4).unwrap();
    assert_eq!(&line[8..], "\"35 km/h\"");
    assert!(
        expected(Path::new("tests/fixtures/invalid/speed-out-of-range.toml")).contains(":5:9:")
    );
}

#[test]
fn check_reports_every_file_and_every_error() {
    let output = Command::cargo_bin("treadbeat")
        .unwrap()
        .args([
            "check",
            "tests/fixtures/invalid/zero-time.toml",
            "tests/fixtures/valid/spec-example.toml",
            "tests/fixtures/invalid/bad-kind.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 2);
    assert!(stderr.contains("zero-time.toml:3:8:") && stderr.contains("bad-kind.toml:3:8:"));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("spec-example.toml: ok"));
}

#[test]
fn several_problems_in_one_file_are_all_reported_in_order() {
    let text = "[[step]]\ntime = \"0s\"\ncadence = 300\nspeed = \"90 km/h\"\nincline = \"50%\"\n";
    let errors = parse_profile("many.toml", text, Path::new(".")).unwrap_err();
    let lines: Vec<String> = errors.0.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        lines,
        [
            "many.toml:2:8: `time` must be longer than zero",
            "many.toml:3:11: `cadence` 300 spm is out of range (60 to 240 spm)",
            "many.toml:4:9: `speed` 90 km/h is out of range (0.5 to 30 km/h)",
            "many.toml:5:11: `incline` 50% is out of range (-5% to 30%)",
        ]
    );
}

#[test]
fn a_missing_profile_is_one_line_and_exit_1() {
    let output = Command::cargo_bin("treadbeat")
        .unwrap()
        .args(["plan", "no-such-workout"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1);
    assert!(stderr.contains("no-such-workout") && stderr.contains("treadbeat profiles"));
}

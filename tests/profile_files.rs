//! What loading and `check` verify beyond a profile's TOML: bytes that are
//! not UTF-8, files over the size limit, the sound file a profile names
//! (plan only records where; the app looks at the file), and the one-line
//! `ok` summary `check` prints.

use std::fs;
use std::path::Path;

use treadbeat::plan::{parse_profile, ClickSound};

mod support;
use support::run::treadbeat;

const ONE_STEP: &str = "name = \"Easy\"\n[[step]]\ntime = \"3m\"\ncadence = 170\n";

#[test]
fn a_profile_that_is_not_utf8_is_invalid_input_located_at_the_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.toml");
    // "café" saved as Latin-1: the é is the lone byte 0xE9.
    fs::write(
        &path,
        b"name = \"Caf\xE9\"\n[[step]]\ntime = \"3m\"\ncadence = 170\n",
    )
    .unwrap();
    let file = path.to_str().unwrap();
    for command in ["check", "plan"] {
        let (code, _, stderr) = treadbeat(&[command, file]);
        assert_eq!(code, Some(1), "{command}: {stderr}");
        assert_eq!(
            stderr,
            format!("{file}:1:12: not UTF-8 text (byte 0xE9); save the profile as UTF-8\n")
        );
    }
}

#[test]
fn a_profile_over_a_megabyte_is_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("padded.toml");
    // Valid TOML and a valid workout, but 1.1 MB of it.
    let padding = "# a long comment line to pad the file past the size limit\n";
    let text = ONE_STEP.to_string() + &padding.repeat(1_100_000 / padding.len());
    fs::write(&path, &text).unwrap();
    let file = path.to_str().unwrap();
    let (code, stdout, stderr) = treadbeat(&["check", file]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert_eq!(
        stderr,
        format!("{file}:1:1: the profile is larger than 1 MB, the most a profile may be\n")
    );
    // The library refuses it too, whoever reads the file.
    let errors = parse_profile("padded.toml", &text, Path::new(".")).unwrap_err();
    assert_eq!(errors.0.len(), 1);
    assert!(errors.0[0].message.contains("larger than 1 MB"));
}

fn profile_with_sound(dir: &Path, sound: &str) -> String {
    let path = dir.join("clicks.toml");
    let text = format!("[click]\nsound = \"{sound}\"\n[[step]]\ntime = \"3m\"\ncadence = 170\n");
    fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn check_decodes_the_sound_file_and_points_at_it_when_it_is_not_audio() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("not-audio.wav"),
        "this is text, not a WAV file\n",
    )
    .unwrap();
    let file = profile_with_sound(dir.path(), "not-audio.wav");
    let (code, stdout, stderr) = treadbeat(&["check", &file]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    let sound = dir.path().join("not-audio.wav");
    let expected = format!(
        "{file}:2:9: sound file `{}` is not audio treadbeat can decode",
        sound.display()
    );
    assert!(stderr.starts_with(&expected), "{stderr}");
    assert_eq!(stderr.lines().count(), 1);
}

#[test]
fn a_sound_file_that_decodes_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        "tests/fixtures/sounds/click.flac",
        dir.path().join("click.flac"),
    )
    .unwrap();
    let file = profile_with_sound(dir.path(), "click.flac");
    let (code, stdout, stderr) = treadbeat(&["check", &file]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains(": ok ("), "{stdout}");
}

#[test]
fn a_missing_sound_file_fails_every_command_at_the_sound_value() {
    let dir = tempfile::tempdir().unwrap();
    let file = profile_with_sound(dir.path(), "sounds/missing.wav");
    let missing = dir.path().join("sounds/missing.wav");
    for command in ["check", "plan"] {
        let (code, _, stderr) = treadbeat(&[command, &file]);
        assert_eq!(code, Some(1), "{command}");
        assert_eq!(
            stderr,
            format!("{file}:2:9: sound file `{}` not found\n", missing.display())
        );
    }
}

#[test]
fn plan_asks_no_filesystem_and_records_where_the_sound_is_named() {
    // Pure: a sound path that exists nowhere still parses; the app checks it.
    let text = "[click]\nsound = \"samples/nowhere.wav\"\n[[step]]\ntime = \"3m\"\ncadence = 170\n";
    let profile = parse_profile("p.toml", text, Path::new("/no/such/dir")).unwrap();
    assert_eq!(
        profile.click.sound,
        ClickSound::File(Path::new("/no/such/dir/samples/nowhere.wav").to_path_buf())
    );
    let span = profile.sound_file_span.unwrap();
    assert_eq!(&text[span], "\"samples/nowhere.wav\"");
    // A built-in sound has no file to check.
    let builtin = parse_profile("p.toml", ONE_STEP, Path::new(".")).unwrap();
    assert_eq!(builtin.sound_file_span, None);
}

#[test]
fn check_counts_one_step_as_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("easy.toml");
    fs::write(&path, ONE_STEP).unwrap();
    let file = path.to_str().unwrap();
    let (code, stdout, _) = treadbeat(&["check", file]);
    assert_eq!(code, Some(0));
    assert_eq!(stdout, format!("{file}: ok (Easy, 1 step, 3:00)\n"));
    let (_, stdout, _) = treadbeat(&["check", "tests/fixtures/valid/spec-example.toml"]);
    assert!(stdout.contains(", 13 steps, "), "{stdout}");
}

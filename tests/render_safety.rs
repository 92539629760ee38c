//! `render` never loses a file: an output on an input, or two outputs on
//! one path, is refused before any work; a render that fails half way (here
//! at a file-size limit) leaves the old file as it was and nothing else.

use std::path::Path;
use std::process::{Command, Output};

fn treadbeat_in(dir: &Path, shell_prefix: &str, args: &str) -> Output {
    Command::new("sh")
        .current_dir(dir)
        .arg("-c")
        .arg(format!(
            "{shell_prefix} exec '{}' {args}",
            env!("CARGO_BIN_EXE_treadbeat")
        ))
        .output()
        .unwrap()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn a_profile(dir: &Path) -> String {
    let text = std::fs::read_to_string("profiles/easy-run.toml").unwrap();
    std::fs::write(dir.join("easy.toml"), &text).unwrap();
    text
}

#[test]
fn rendering_over_the_profile_is_refused_and_the_profile_kept() {
    let dir = tempfile::tempdir().unwrap();
    let text = a_profile(dir.path());
    let out = treadbeat_in(dir.path(), "", "render easy.toml -o ./easy.toml");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr,
        "./easy.toml: is the profile being read; write the output to another file\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("easy.toml")).unwrap(),
        text
    );
    assert_eq!(names_in(dir.path()), ["easy.toml"]);
}

#[test]
fn audio_and_midi_on_one_path_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    a_profile(dir.path());
    let out = treadbeat_in(dir.path(), "", "render easy.toml -o both --midi ./both");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "./both: named for two outputs; give each its own file\n"
    );
    assert_eq!(names_in(dir.path()), ["easy.toml"]);
}

#[test]
fn a_render_cut_short_leaves_the_old_file_and_no_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    a_profile(dir.path());
    std::fs::write(dir.path().join("run.wav"), b"last week's render").unwrap();
    // 2,000 blocks of 512 bytes: 1 MB, far less than half an hour of audio.
    let out = treadbeat_in(
        dir.path(),
        "ulimit -f 2000;",
        "render easy.toml --no-voice -o run.wav",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("run.wav: "), "{stderr}");
    assert_eq!(
        std::fs::read(dir.path().join("run.wav")).unwrap(),
        b"last week's render"
    );
    assert_eq!(names_in(dir.path()), ["easy.toml", "run.wav"]);
}

#[test]
fn an_unknown_extension_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    a_profile(dir.path());
    let out = treadbeat_in(dir.path(), "", "render easy.toml -o run.aiff");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "run.aiff: cannot write .aiff files; end the name in .wav, .flac or .mp3\n"
    );
    assert_eq!(names_in(dir.path()), ["easy.toml"]);
}

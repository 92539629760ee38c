//! The nevers of docs/architecture.md, enforced: the pure core (plan,
//! clock, tempo, engine, coach, detect, midi, eval, music, units, readout) names no adapter
//! (io, app, tui), no device, terminal or decoder crate, and nothing of
//! the filesystem, processes, network or environment. The adapters' crates
//! stay in the adapters. A forbidden name in the code (not in a comment)
//! fails this test with its file and line.

use std::path::{Path, PathBuf};

const CORE: [&str; 11] = [
    "src/plan",
    "src/clock",
    "src/tempo",
    "src/engine",
    "src/coach",
    "src/detect",
    "src/midi",
    "src/eval",
    "src/music",
    "src/units.rs",
    "src/readout.rs",
];

/// What the core must not name, and why.
const FORBIDDEN_IN_CORE: [(&str, &str); 17] = [
    ("crate::io", "an adapter"),
    ("crate::app", "the command line"),
    ("crate::tui", "the screen"),
    ("cpal", "an audio device crate"),
    ("midir", "a MIDI port crate"),
    ("ratatui", "a terminal crate"),
    ("crossterm", "a terminal crate"),
    ("rodio", "a decoder crate"),
    ("hound", "a file format crate"),
    ("std::fs", "the filesystem"),
    ("File::", "the filesystem"),
    (".is_file()", "the filesystem"),
    (".is_dir()", "the filesystem"),
    (".exists()", "the filesystem"),
    ("std::process", "processes"),
    ("std::net", "the network"),
    ("std::env", "the environment"),
];

fn rust_files(at: &Path) -> Vec<PathBuf> {
    if at.is_file() {
        return vec![at.to_path_buf()];
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(at).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The code of a line: what comes before a `//` comment.
fn code_of(line: &str) -> &str {
    match line.find("//") {
        Some(at) => &line[..at],
        None => line,
    }
}

/// Every (file:line, name, why) in `roots` that names a forbidden thing.
fn offences(roots: &[&str], forbidden: &[(&str, &str)]) -> Vec<String> {
    let mut found = Vec::new();
    for root in roots {
        for file in rust_files(Path::new(root)) {
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = code_of(line);
                for (name, why) in forbidden {
                    if code.contains(name) {
                        found.push(format!("{}:{}: `{name}` ({why})", file.display(), n + 1));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn the_core_names_no_adapter_device_or_filesystem() {
    let found = offences(&CORE, &FORBIDDEN_IN_CORE);
    assert!(
        found.is_empty(),
        "the core reaches outside itself:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_screen_does_not_reach_back_into_the_command_line() {
    let found = offences(&["src/tui"], &[("crate::app", "the command line")]);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_checker_sees_a_forbidden_name_in_code_but_not_in_a_comment() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.rs");
    std::fs::write(&file, "// cpal is mentioned here\nuse cpal::Stream;\n").unwrap();
    let found = offences(&[file.to_str().unwrap()], &FORBIDDEN_IN_CORE);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].ends_with(":2: `cpal` (an audio device crate)"),
        "{found:?}"
    );
}

//! A render that takes more than a second shows a progress bar on a
//! terminal's stderr (here a pseudo-terminal from `script`), cleared before
//! the summary; when stderr is not a terminal, nothing but the summary.

use std::process::Command;

/// Three hours of ramps: several seconds of rendering in a test build.
const LONG: &str = "name = \"long\"
[[step]]
repeat = 30
steps = [ { time = \"3m\", cadence = \"160..185\" }, { time = \"3m\", cadence = \"185..165\" } ]
";

#[test]
fn a_long_render_shows_a_bar_on_a_terminal_and_nothing_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("long.toml"), LONG).unwrap();
    let render = format!(
        "'{}' render long.toml --no-voice -o long.wav",
        env!("CARGO_BIN_EXE_treadbeat")
    );
    let on_terminal = Command::new("script")
        .current_dir(dir.path())
        .args(["-qec", &render, "/dev/null"])
        .output()
        .expect("script (util-linux) gives the render a terminal");
    let seen = String::from_utf8_lossy(&on_terminal.stdout);
    assert!(on_terminal.status.success(), "{seen}");
    assert!(seen.contains("rendering") && seen.contains('%'), "{seen}");
    assert!(seen.contains("long.wav: 3:00:"), "{seen}");

    let piped = Command::new(env!("CARGO_BIN_EXE_treadbeat"))
        .current_dir(dir.path())
        .args(["render", "long.toml", "--no-voice", "-o", "long.wav"])
        .output()
        .unwrap();
    assert!(piped.status.success());
    assert_eq!(String::from_utf8_lossy(&piped.stderr), "");
}

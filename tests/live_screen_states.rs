//! The live screen's states of the real binary at 80×24 (tmux) against
//! the PulseAudio null sink: the count-in counting down in block digits, a
//! stretch's hold time and side large, and the end state — DONE with the
//! numbers of the summary after a session that ran out, closed early by a
//! key; STOPPED after q, held a moment and closing by itself, without a
//! colour under NO_COLOR; nothing held after Ctrl-C.

#![cfg(feature = "audio")]

mod support;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use support::pulse;
use support::tmux::{self, find_block, Tmux};

/// One at a time: every test plays into the one sink.
static SINK: Mutex<()> = Mutex::new(());

/// Eight count-in clicks at 100 spm: 4.8 s of countdown.
const COUNT_IN: &str = "name = \"Count\"\n[click]\ncount_in = 8\naccent = 0\n\
    [[step]]\nname = \"Steady\"\ntime = \"60s\"\ncadence = 100\n";

/// Two 8 s holds, one a side, then a walk.
const STRETCH: &str = "name = \"Stretch\"\n[click]\ncount_in = 0\n\
    [[step]]\nname = \"Calf\"\nkind = \"stretch\"\ntime = \"16s\"\nhold = \"8s\"\nsides = true\n\
    [[step]]\nname = \"Walk\"\nkind = \"walk\"\ntime = \"60s\"\ncadence = 120\n";

/// 4 s at 170 spm and 10 km/h: 11 steps, 11 m.
const SHORT: &str = "name = \"Short\"\n[click]\ncount_in = 0\n\
    [[step]]\nname = \"Steady\"\ntime = \"4s\"\ncadence = 170\nspeed = \"10 km/h\"\n";

const LONG: &str = "name = \"Long\"\n[click]\ncount_in = 0\n\
    [[step]]\nname = \"Steady\"\ntime = \"60s\"\ncadence = 170\nspeed = \"10 km/h\"\n";

/// How long the end state holds after a finished session and after q
/// (app::live::ui::FINISHED_HOLD, STOPPED_HOLD).
const FINISHED_HOLD: Duration = Duration::from_secs(5);
const STOPPED_HOLD: Duration = Duration::from_secs(2);

fn start(tag: &str, profile: &str, env: &str) -> Option<(Tmux, tempfile::TempDir)> {
    if !pulse::available("live_screen_states") || !tmux::available("live_screen_states") {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("states.toml");
    std::fs::write(&path, profile).unwrap();
    let command = format!(
        "env XDG_RUNTIME_DIR={} TREADBEAT_CONFIG={} {env} {} run {} --no-voice --device pulse; sleep 30",
        std::env::var("XDG_RUNTIME_DIR").unwrap_or_default(),
        dir.path().join("config.toml").display(),
        env!("CARGO_BIN_EXE_treadbeat"),
        path.display(),
    );
    let tmux = Tmux::start(tag, 80, 24, &command).expect("tmux starts");
    Some((tmux, dir))
}

/// The count-in's number in block digits at scale 2 or more; 2..=8 only,
/// so the cadence's own "100" is never read as a count. Largest first: a
/// 6 (or a 5) is an 8 (or a 9) less its right edge, so an 8 also reads as
/// a 6 when its trailing blanks are not compared.
fn count(screen: &str) -> Option<u32> {
    (2..=8)
        .rev()
        .find(|n| find_block(screen, &n.to_string()).is_some_and(|(_, _, k)| k >= 2))
}

#[test]
fn the_count_in_counts_down_in_big_digits() {
    let _sink = SINK.lock().unwrap_or_else(|e| e.into_inner());
    let Some((tmux, _dir)) = start("count", COUNT_IN, "") else {
        return;
    };
    let first = tmux.wait_for("COUNT-IN");
    assert!(first.contains("Count-in…"), "{first}");
    assert!(first.contains("CADENCE spm"), "{first}");
    let mut seen: Vec<u32> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    let after = loop {
        let screen = tmux.screen();
        if screen.contains("Step 1/1") {
            break screen;
        }
        assert!(
            Instant::now() < deadline,
            "the count-in never ended:\n{screen}"
        );
        if let Some(n) = count(&screen) {
            if seen.last() != Some(&n) {
                seen.push(n);
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(seen.len() >= 3, "counts seen: {seen:?}");
    assert!(
        seen.windows(2).all(|w| w[1] < w[0]),
        "the count went up: {seen:?}"
    );
    assert!(!after.contains("COUNT-IN"), "{after}");
    tmux.keys("qq");
    tmux.wait_for("Session stopped:");
}

/// Clocks under a minute, "0:SS", in block digits: the seconds.
fn big_seconds(screen: &str, range: std::ops::RangeInclusive<u32>) -> Vec<u32> {
    range
        .filter(|s| find_block(screen, &format!("0:{s:02}")).is_some())
        .collect()
}

#[test]
fn a_stretch_shows_its_hold_and_side_in_big_digits() {
    let _sink = SINK.lock().unwrap_or_else(|e| e.into_inner());
    let Some((tmux, _dir)) = start("stretch", STRETCH, "") else {
        return;
    };
    // Side 1: the hold's time left and the step's, 8 s apart, both big.
    let side1 = tmux.wait_until("the first hold in block digits", |s| {
        s.contains("HOLD · side 1 of 2")
            && big_seconds(s, 1..=8)
                .iter()
                .any(|h| !big_seconds(s, h + 8..=h + 8).is_empty())
    });
    assert!(side1.contains("Step 1/2  Calf (stretch)"), "{side1}");
    assert!(side1.contains("STRETCH LEFT"), "{side1}");
    // Side 2: the last hold ends with the step.
    let side2 = tmux.wait_until("the second side in block digits", |s| {
        s.contains("HOLD · side 2 of 2") && !big_seconds(s, 1..=8).is_empty()
    });
    assert!(big_seconds(&side2, 9..=16).is_empty(), "{side2}");
    tmux.keys("qq");
    tmux.wait_for("Session stopped:");
}

#[test]
fn a_finished_session_shows_done_with_its_numbers_until_a_key() {
    let _sink = SINK.lock().unwrap_or_else(|e| e.into_inner());
    let Some((tmux, _dir)) = start("done", SHORT, "") else {
        return;
    };
    let done = tmux.wait_until("DONE in block letters", |s| find_block(s, "DONE").is_some());
    let seen = Instant::now();
    eprintln!("the end state at 80x24:\n{done}");
    let (_, _, k) = find_block(&done, "DONE").unwrap();
    assert!(k >= 2, "{done}");
    for (caption, value) in [
        ("TIME RUN", "0:04"),
        ("DISTANCE km · 0.01 mi", "0.01"),
        ("STEPS", "11"),
    ] {
        assert!(done.contains(caption), "{caption}:\n{done}");
        assert!(find_block(&done, value).is_some(), "{value}:\n{done}");
    }
    assert!(done.contains("session finished"), "{done}");
    assert!(done.contains("0 steps skipped ·"), "{done}");
    assert!(done.contains("any key closes · closing in"), "{done}");
    assert!(!done.contains("MEDIAN"), "no steps were heard:\n{done}");
    // In colour the word is a solid green block, which a bright room does
    // not wash out (tmux writes a green background as 48;5;2).
    let styled = tmux.styled_screen();
    assert!(
        styled.contains("\u{1b}[48;5;2m") || styled.contains("\u{1b}[42m"),
        "{styled:?}"
    );

    // A key closes it before the hold runs out, and the terminal is given
    // back for the printed summary.
    tmux.keys("x");
    let after = tmux.wait_for("Session finished: 0:04 played");
    assert!(
        seen.elapsed() < FINISHED_HOLD - Duration::from_millis(500),
        "closed only after {:?}",
        seen.elapsed()
    );
    assert_eq!(find_block(&after, "DONE"), None, "{after}");
    assert!(!after.contains("any key closes"), "{after}");
}

/// SGR parameters that set a colour: 30-37, 90-97 (foreground), 40-47,
/// 100-107 (background), 38;… and 48;… (256 colours, RGB).
fn colour_codes(styled: &str) -> Vec<String> {
    let mut found = Vec::new();
    for sequence in styled.split("\u{1b}[").skip(1) {
        let Some(end) = sequence.find('m') else {
            continue;
        };
        for p in sequence[..end].split(';') {
            if matches!(
                p.parse::<u32>(),
                Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)
            ) {
                found.push(sequence[..end].to_string());
            }
        }
    }
    found
}

#[test]
fn after_q_stopped_holds_a_moment_and_closes_itself_without_colour_under_no_color() {
    let _sink = SINK.lock().unwrap_or_else(|e| e.into_inner());
    let Some((tmux, _dir)) = start("stopped", LONG, "NO_COLOR=1") else {
        return;
    };
    tmux.wait_until("the big cadence", |s| find_block(s, "170").is_some());
    std::thread::sleep(Duration::from_millis(1500));
    tmux.keys("qq");
    let stopped = tmux.wait_until("STOPPED in block letters", |s| {
        find_block(s, "STOPPED").is_some()
    });
    let seen = Instant::now();
    assert!(stopped.contains("TIME RUN"), "{stopped}");
    assert!(stopped.contains("session stopped"), "{stopped}");
    // Without colour: reverse video for the word, and not one colour.
    let styled = tmux.styled_screen();
    assert_eq!(colour_codes(&styled), Vec::<String>::new(), "{styled:?}");
    assert!(styled.contains("7m") || styled.contains(";7"), "{styled:?}");
    // No key: it closes by itself once the hold is over.
    let after = tmux.wait_until("the printed summary", |s| s.contains("Session stopped:"));
    let held = seen.elapsed();
    assert!(
        held >= STOPPED_HOLD / 2 && held < STOPPED_HOLD + Duration::from_secs(2),
        "held {held:?}"
    );
    assert_eq!(find_block(&after, "STOPPED"), None, "{after}");
}

#[test]
fn ctrl_c_gives_the_terminal_back_at_once() {
    let _sink = SINK.lock().unwrap_or_else(|e| e.into_inner());
    let Some((tmux, _dir)) = start("interrupt", LONG, "") else {
        return;
    };
    tmux.wait_until("the big cadence", |s| find_block(s, "170").is_some());
    tmux.key("C-c");
    let sent = Instant::now();
    let deadline = sent + Duration::from_secs(10);
    loop {
        let screen = tmux.screen();
        assert_eq!(
            find_block(&screen, "STOPPED"),
            None,
            "held after Ctrl-C:\n{screen}"
        );
        if screen.contains("Session stopped:") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no summary after Ctrl-C:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(sent.elapsed() < STOPPED_HOLD, "took {:?}", sent.elapsed());
}

/// After the end state, the screen asks for hip pain and effort, one key
/// each, and the answers are kept with the session in the history.
#[test]
fn after_a_session_the_check_in_takes_pain_and_effort_in_one_key_each() {
    let _sink = SINK.lock().unwrap_or_else(|e| e.into_inner());
    let data = tempfile::tempdir().unwrap();
    let env = format!("XDG_DATA_HOME={}", data.path().display());
    let Some((tmux, _dir)) = start("checkin", SHORT, &env) else {
        return;
    };
    tmux.wait_until("DONE in block letters", |s| find_block(s, "DONE").is_some());
    tmux.keys("x");
    let asked = tmux.wait_for("Hip pain now?");
    assert!(
        asked.contains("Kept in your history as session 1"),
        "{asked}"
    );
    tmux.keys("3");
    tmux.wait_for("How hard was it?");
    tmux.keys("6");
    let kept = tmux.wait_for("Check-in kept with session 1");
    assert!(!kept.contains("How hard was it?"), "{kept}");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_treadbeat"))
        .args(["history", "--json"])
        .env("XDG_DATA_HOME", data.path())
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(list[0]["pain"], 3, "{list}");
    assert_eq!(list[0]["effort"], 6, "{list}");
}

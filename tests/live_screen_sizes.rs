//! The arm's-length screen of the real binary, in terminals of 60×20,
//! 80×24 and 120×40 (tmux) against the PulseAudio null sink: the big
//! digits each size promises (read back with the font that drew them), the
//! workout picture's cursor moving, the beat cell lighting on clicks and
//! harder on accents, the pause in large text, resizing redrawing the new
//! layout, and with `--mic` the steps meter when a recording plays into
//! the sink (and the steps' median offset large in the end state).

#![cfg(feature = "audio")]

mod support;

use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use support::pulse;
use support::tmux::{self, find_block, Tmux};
use treadbeat::eval::corpus::{generate, Condition, Rhythm};
use treadbeat::eval::sources::StrikeCharacter;
use treadbeat::io::wav::write_mono;

/// One at a time: every test plays into the one sink, and the `--mic`
/// test must hear only its recording.
static SINK: Mutex<()> = Mutex::new(());

/// 60 s at 170 spm and 10 km/h, then 30 s at 180 and 12; every 4th click
/// accented.
const PROFILE: &str = "name = \"Sizes\"\n[click]\ncount_in = 0\naccent = 4\n\
    [[step]]\nname = \"Steady\"\ntime = \"60s\"\ncadence = 170\nspeed = \"10 km/h\"\n\
    [[step]]\nname = \"Faster\"\ntime = \"30s\"\ncadence = 180\nspeed = \"12 km/h\"\n";

/// Some time left in the first step, 0:40..1:00, in block digits.
fn time_left_block(screen: &str) -> Option<(String, u16)> {
    (40..=60).find_map(|s| {
        let text = format!("{}:{:02}", s / 60, s % 60);
        find_block(screen, &text).map(|(_, _, k)| (text, k))
    })
}

/// The column of the "now" mark under the workout picture.
fn cursor_column(screen: &str) -> usize {
    let line = screen
        .lines()
        .find(|l| l.contains('▲'))
        .unwrap_or_else(|| panic!("no cursor:\n{screen}"));
    line.chars().position(|c| c == '▲').unwrap()
}

fn start(tag: &str, width: u16, height: u16, extra: &str) -> Option<(Tmux, tempfile::TempDir)> {
    if !pulse::available("live_screen_sizes") || !tmux::available("live_screen_sizes") {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("sizes.toml");
    std::fs::write(&profile, PROFILE).unwrap();
    let command = format!(
        "env XDG_RUNTIME_DIR={} TREADBEAT_CONFIG={} {} run {} --no-voice {extra}; sleep 30",
        std::env::var("XDG_RUNTIME_DIR").unwrap_or_default(),
        dir.path().join("config.toml").display(),
        env!("CARGO_BIN_EXE_treadbeat"),
        profile.display(),
    );
    let tmux = Tmux::start(tag, width, height, &command).expect("tmux starts");
    Some((tmux, dir))
}

/// The beat cell's light (its first row's last character) and its click
/// count (the last number on the row under the light).
fn beat_cell(screen: &str) -> (char, u64) {
    let lines: Vec<&str> = screen.lines().collect();
    let light = lines[1].trim_end().chars().last().unwrap_or(' ');
    let count = lines[4]
        .split_whitespace()
        .last()
        .and_then(|w| w.parse().ok())
        .unwrap_or(0);
    (light, count)
}

fn check_size(tag: &str, width: u16, height: u16, scale: u16) {
    let _sink = SINK.lock().unwrap_or_else(|e| e.into_inner());
    let Some((tmux, _dir)) = start(tag, width, height, "--device pulse") else {
        return;
    };
    let screen = tmux.wait_until("the big cadence", |s| find_block(s, "170").is_some());
    let (_, _, k) = find_block(&screen, "170").unwrap();
    assert_eq!(k, scale, "cadence scale at {width}x{height}:\n{screen}");
    let (left, k) =
        time_left_block(&screen).unwrap_or_else(|| panic!("no big time left:\n{screen}"));
    assert_eq!(k, scale, "time left {left} at {width}x{height}:\n{screen}");
    if width >= 80 {
        let (_, _, k) = find_block(&screen, "10.0")
            .unwrap_or_else(|| panic!("no big speed at {width}x{height}:\n{screen}"));
        assert_eq!(k, scale);
        assert!(screen.contains("SPEED km/h · 6:00/km"), "{screen}");
    } else {
        assert_eq!(find_block(&screen, "10.0"), None, "{screen}");
        assert!(screen.contains("Speed 10.0 km/h · 6:00/km"), "{screen}");
    }
    assert!(screen.contains("Next: Faster — 180 spm"), "{screen}");

    // The picture: the next change marked two thirds across, the cursor
    // moving on with the session.
    let next_col = screen
        .lines()
        .find_map(|l| l.chars().position(|c| c == '◆'))
        .unwrap_or_else(|| panic!("no next-change mark:\n{screen}"));
    assert_eq!(next_col, usize::from(width) * 2 / 3, "{screen}");
    let before = cursor_column(&screen);

    // The beat: sampled for 3 s, the cell goes dark, lights on beats and
    // goes solid on accents, and its count climbs with the clicks.
    let (mut lights, mut first, mut last) = (Vec::new(), None, 0);
    let until = Instant::now() + Duration::from_secs(3);
    while Instant::now() < until {
        let (light, count) = beat_cell(&tmux.screen());
        lights.push(light);
        first.get_or_insert(count);
        last = count;
    }
    for (mark, what) in [('·', "dark"), ('▒', "a beat"), ('█', "an accent")] {
        assert!(
            lights.contains(&mark),
            "the beat cell never showed {what} in {} looks: {lights:?}",
            lights.len()
        );
    }
    let clicks = last - first.unwrap();
    assert!(
        (6..=11).contains(&clicks),
        "{clicks} clicks in 3 s at 170 spm"
    );

    std::thread::sleep(Duration::from_millis(1500));
    let later = tmux.screen();
    assert!(
        cursor_column(&later) > before,
        "the cursor did not move:\n{screen}\n{later}"
    );

    // Paused: the word large, and in the header.
    tmux.keys(" ");
    let paused = tmux.wait_until("PAUSED in block letters", |s| {
        find_block(s, "PAUSED").is_some()
    });
    assert!(paused.contains(" PAUSED "), "{paused}");
    assert_eq!(find_block(&paused, "170"), None, "{paused}");
    tmux.keys(" ");
    tmux.wait_until("the numbers back", |s| find_block(s, "170").is_some());
    tmux.keys("qq");
    tmux.wait_for("Session stopped:");
}

#[test]
fn at_60x20_cadence_and_time_left_are_big_and_speed_is_in_words() {
    check_size("60", 60, 20, 2);
}

#[test]
fn at_80x24_cadence_time_left_and_speed_are_big() {
    check_size("80", 80, 24, 2);
}

#[test]
fn at_120x40_the_numbers_grow() {
    check_size("120", 120, 40, 4);
}

#[test]
fn resizing_redraws_the_layout_of_the_new_size() {
    let _sink = SINK.lock().unwrap_or_else(|e| e.into_inner());
    let Some((tmux, _dir)) = start("resize", 120, 40, "--device pulse") else {
        return;
    };
    tmux.wait_until("scale 4", |s| {
        find_block(s, "170").is_some_and(|b| b.2 == 4)
    });
    tmux.resize(60, 20);
    let small = tmux.wait_until("the 60x20 layout", |s| {
        find_block(s, "170").is_some_and(|b| b.2 == 2) && s.contains("Speed 10.0 km/h")
    });
    assert_eq!(small.lines().count(), 20, "{small}");
    assert_eq!(find_block(&small, "10.0"), None, "{small}");
    tmux.resize(80, 24);
    let medium = tmux.wait_until("the 80x24 layout", |s| {
        find_block(s, "10.0").is_some_and(|b| b.2 == 2)
    });
    // Nothing left over from the layouts before: one header, one cursor,
    // no words line for the speed.
    assert_eq!(medium.matches("treadbeat — ").count(), 1, "{medium}");
    assert_eq!(medium.matches('▲').count(), 1, "{medium}");
    assert!(!medium.contains("Speed 10.0 km/h"), "{medium}");
    assert!(medium.lines().all(|l| l.chars().count() <= 80), "{medium}");
    tmux.keys("qq");
    tmux.wait_for("Session stopped:");
}

/// A runner on the beat at 170 spm, for the microphone to hear.
fn steady_runner() -> Condition {
    Condition {
        name: "screen: steady",
        seconds: 25.0,
        snr_db: 10.0,
        rhythm: Rhythm::Steady(170.0),
        character: StrikeCharacter::HeelToe,
        music_bpm: None,
        room_rt60_s: None,
        own_clicks: false,
        steps_off: None,
        seed: 22,
    }
}

#[test]
fn with_the_mic_the_steps_meter_shows_what_the_recording_plays() {
    let _sink = SINK.lock().unwrap_or_else(|e| e.into_inner());
    let Some((tmux, dir)) = start("mic", 80, 24, "--mic") else {
        return;
    };
    let recording = generate(&steady_runner(), 48000);
    let wav = dir.path().join("steady.wav");
    write_mono(&wav, &recording.samples, 48000).unwrap();
    let waiting = tmux.wait_for("YOU … spm / 170");
    assert!(
        !waiting.contains('●'),
        "a step before any played:\n{waiting}"
    );
    let mut player: Child = Command::new("paplay")
        .arg(&wav)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let heard = tmux.wait_until("a measured cadence and a step on the meter", |s| {
        s.lines().any(|l| {
            l.starts_with("YOU 1")
                && l.contains(" spm / 170")
                && l.contains('●')
                && l.contains(" ms")
        })
    });
    let line = heard.lines().find(|l| l.starts_with("YOU 1")).unwrap();
    let you: f64 = line[4..].split(' ').next().unwrap().parse().unwrap();
    assert!((160.0..=180.0).contains(&you), "{line}");
    // The cadence caption carries it too.
    assert!(heard.contains(&format!("you {you:.0}")), "{heard}");
    let _ = player.kill();
    let _ = player.wait();
    // The end state carries the steps' median offset large, the one the
    // printed summary gives.
    tmux.keys("qq");
    let end = tmux.wait_for("MEDIAN ms from the beat");
    let after = tmux.wait_for("Session stopped:");
    let median = after
        .split_once("median ")
        .and_then(|(_, rest)| rest.split_once(" ms"))
        .map(|(value, _)| value.to_string())
        .unwrap_or_else(|| panic!("no median in the summary:\n{after}"));
    assert!(
        find_block(&end, &median).is_some(),
        "median {median} not big:\n{end}"
    );
}

//! MIDI at the command line: `render --midi` writes a standard MIDI file
//! whose notes, read back with an independent parser (midly) and timed by
//! integrating its tempo map, sit on the tempo map's clicks; MIDI flags
//! and the `[midi]` config table are checked before anything opens; on a
//! machine without a MIDI system a MIDI flag is one line and exit 2,
//! while `devices` still lists audio and says why MIDI is missing.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use midly::{MetaMessage, MidiMessage, Smf, Timing, TrackEventKind};
use treadbeat::engine::ClickStyle;
use treadbeat::plan::parse_profile;
use treadbeat::shipped;
use treadbeat::tempo::TempoMap;

fn treadbeat(args: &[&str], config_home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_treadbeat"))
        .args(args)
        .env("XDG_CONFIG_HOME", config_home)
        .env_remove("TREADBEAT_CONFIG")
        .env("JACK_DEFAULT_SERVER", "treadbeat-test-no-such-server")
        .env("JACK_NO_START_SERVER", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// (time in s from the file's start, channel, key, velocity) of every note-on.
fn read_notes(bytes: &[u8]) -> (Vec<(f64, u8, u8, u8)>, usize) {
    let smf = Smf::parse(bytes).expect("a valid standard MIDI file");
    let Timing::Metrical(ppq) = smf.header.timing else {
        panic!("metrical timing expected")
    };
    let ppq = f64::from(ppq.as_int());
    let mut notes = Vec::new();
    let mut tempos = 0;
    for track in &smf.tracks {
        // Integrate the tempo map: seconds advance by ticks × tempo / PPQ.
        let (mut seconds, mut tempo_us) = (0.0f64, 500_000.0f64);
        for event in track {
            seconds += f64::from(event.delta.as_int()) * tempo_us / ppq / 1e6;
            match event.kind {
                TrackEventKind::Meta(MetaMessage::Tempo(t)) => {
                    tempo_us = f64::from(t.as_int());
                    tempos += 1;
                }
                TrackEventKind::Midi {
                    channel,
                    message: MidiMessage::NoteOn { key, vel },
                } if vel.as_int() > 0 => {
                    notes.push((seconds, channel.as_int(), key.as_int(), vel.as_int()))
                }
                _ => {}
            }
        }
    }
    (notes, tempos)
}

#[test]
fn render_midi_puts_every_note_on_its_click_through_ramps_and_silences() {
    let dir = tempfile::tempdir().unwrap();
    let mid = dir.path().join("drills.mid");
    let out = treadbeat(
        &[
            "render",
            "running-drills",
            "--midi",
            mid.to_str().unwrap(),
            "--midi-channel",
            "3",
            "--midi-note",
            "42",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let (notes, tempos) = read_notes(&std::fs::read(&mid).unwrap());

    // The clicks the renderer plays, count-in first, and its accent rule.
    let text = shipped::find("running-drills").unwrap();
    let profile = parse_profile("running-drills", text, Path::new(".")).unwrap();
    let timeline = treadbeat::plan::Timeline::from_profile(&profile);
    let map = TempoMap::from_timeline(&timeline);
    let style = ClickStyle::from_settings(&timeline.click, true);
    let start = map.count_in_times().next().unwrap();
    let count_in = map.count_in_times().map(|t| (t, true));
    let clicks = map.clicks().map(|c| (c.time_s, c.beat % 2 == 0));
    let expected: Vec<(f64, bool)> = count_in
        .enumerate()
        .map(|(i, (t, _))| (t, i == 0))
        .chain(clicks)
        .collect();
    assert_eq!(style.accent_every, 2);
    assert_eq!(notes.len(), expected.len(), "a note per click");
    let mut worst = 0.0f64;
    for ((at, channel, key, velocity), (t, accent)) in notes.iter().zip(&expected) {
        worst = worst.max((at - (t - start)).abs());
        assert_eq!((*channel, *key), (2, 42), "channel 3 on the wire is 2");
        assert_eq!(*velocity, if *accent { 127 } else { 90 }, "at {t} s");
    }
    eprintln!(
        "render --midi: {} notes, {tempos} tempo events, worst note {:.3} µs from its click",
        notes.len(),
        worst * 1e6
    );
    assert!(worst < 1e-3, "a note {worst} s off its click");
    assert!(
        tempos > 100,
        "a ramped session needs a dense tempo map: {tempos}"
    );
}

#[test]
fn render_needs_a_wav_or_a_midi_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = treadbeat(&["render", "easy-run"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
}

#[test]
fn bad_midi_flag_values_are_invalid_input() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &[
            "click",
            "180",
            "--midi-out",
            "virtual",
            "--midi-channel",
            "17",
        ][..],
        &["click", "180", "--midi-in", "x", "--midi-pause", "pedal"],
        &[
            "render",
            "easy-run",
            "--midi",
            "x.mid",
            "--midi-note",
            "128",
        ],
    ] {
        let out = treadbeat(args, dir.path());
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let text = stderr(&out);
        assert_eq!(text.lines().count(), 1, "{args:?}: {text}");
    }
}

#[test]
fn the_config_files_midi_table_is_checked_and_other_tables_are_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("treadbeat");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "[calibration]\nlatency_ms = 30\n[midi]\nchanel = 3\n",
    )
    .unwrap();
    let mid = dir.path().join("x.mid");
    let out = treadbeat(
        &["render", "easy-run", "--midi", mid.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(
        text.contains("config.toml") && text.contains("chanel"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1, "{text}");

    std::fs::write(
        config.join("config.toml"),
        "[calibration]\nlatency_ms = 30\n[midi]\nchannel = 5\nnote = 60\n",
    )
    .unwrap();
    let out = treadbeat(
        &["render", "easy-run", "--midi", mid.to_str().unwrap()],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let (notes, _) = read_notes(&std::fs::read(&mid).unwrap());
    assert!(notes.iter().all(|n| n.1 == 4 && n.2 == 60));
    // Without a MIDI flag the config file is not even read.
    std::fs::write(config.join("config.toml"), "this is not toml [").unwrap();
    let out = treadbeat(&["plan", "easy-run"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn treadbeat_config_names_the_file_the_midi_table_is_read_from() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("elsewhere.toml");
    std::fs::write(&config, "[midi]\nchannel = 3\nnote = 61\n").unwrap();
    let mid = dir.path().join("x.mid");
    let out = Command::new(env!("CARGO_BIN_EXE_treadbeat"))
        .args(["render", "easy-run", "--midi"])
        .arg(&mid)
        .env("XDG_CONFIG_HOME", dir.path())
        .env("TREADBEAT_CONFIG", &config)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let (notes, _) = read_notes(&std::fs::read(&mid).unwrap());
    assert!(!notes.is_empty());
    assert!(
        notes.iter().all(|n| n.1 == 2 && n.2 == 61),
        "{:?}",
        &notes[..3]
    );
}

/// Whether this machine has a MIDI system (an ALSA sequencer, or with
/// `midi-jack` a running JACK server); the test machines have none.
#[cfg(all(feature = "audio", feature = "midi"))]
fn midi_available(dir: &Path) -> bool {
    let out = treadbeat(&["devices"], dir);
    !String::from_utf8_lossy(&out.stdout).contains("MIDI: unavailable")
}

#[cfg(all(feature = "audio", feature = "midi"))]
#[test]
fn without_a_midi_system_a_midi_flag_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let devices = treadbeat(&["devices"], dir.path());
    let listing = String::from_utf8_lossy(&devices.stdout);
    assert!(devices.status.success(), "{}", stderr(&devices));
    assert!(
        listing.contains("Outputs:"),
        "audio is still listed: {listing}"
    );
    assert!(listing.contains("MIDI"), "{listing}");
    // With JACK (the test machines' MIDI) a server of a name nobody runs
    // is no MIDI system at all; an ALSA sequencer cannot be hidden so.
    if midi_available(dir.path()) {
        eprintln!("midi_cli: SKIPPED, this machine has an ALSA MIDI sequencer");
        assert!(
            std::env::var_os("TREADBEAT_REQUIRE_MIDI").is_none(),
            "TREADBEAT_REQUIRE_MIDI is set but the no-MIDI check could not run"
        );
        return;
    }
    for args in [
        &["click", "180", "--for", "2s", "--midi-out", "virtual"][..],
        &["run", "easy-run", "--no-voice", "--midi-in", "virtual"],
        &["click", "180", "--midi-out", "Some Synth"],
    ] {
        let out = treadbeat(args, dir.path());
        let text = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {text}");
        assert_eq!(text.lines().count(), 1, "{args:?}: {text}");
        assert!(text.contains("MIDI is not available"), "{text}");
        assert!(out.stdout.is_empty(), "nothing played before the error");
    }
}

//! The MIDI sender thread against an in-process fake port and a simulated
//! audio device: the real renderer, block by block in real time, its
//! telemetry and playback stamps fed to the sender as the live session
//! does. Checks that the sender follows pause (Stop, silence, Continue;
//! a note still sounding ends at the pause) and a nudge exactly as the
//! renderer plays them, and that each message leaves when its audio is
//! heard; prints the timing figures.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use treadbeat::engine::{renderer_for, ClickSounds, ClickStyle, Command, LiveEngine};
use treadbeat::io::midi_ports::fake::FakeSink;
use treadbeat::io::midi_ports::sender::{spawn, ToSender};
use treadbeat::io::playback_stamp::PlaybackStamp;
use treadbeat::midi::{Channel, Message, MidiSchedule, NoteSettings};
use treadbeat::plan::{ClickSettings, SoundName, Timeline};
use treadbeat::tempo::TempoMap;
use treadbeat::units::SampleRate;

const RATE: u32 = 48000;
/// 10 ms blocks; the "device" plays each 20 ms after it is rendered.
const BLOCK: usize = 480;
const LATENCY: Duration = Duration::from_millis(20);
/// 173 spm: no tick falls exactly on a block boundary where a command acts.
const SPM: f64 = 173.0;
const RESUME_AT: usize = 150; // session 1.5 s
const NUDGE_AT: usize = 310; // session 2.6 s
const SESSION_S: f64 = 4.0;

/// One simulated device at a time: the timing figures are for a quiet VM.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn notes() -> NoteSettings {
    NoteSettings {
        channel: Channel::from_user(1).unwrap(),
        note: 60,
        velocity: 80,
        accent_velocity: 120,
    }
}

/// What the port must receive: the pure schedule with the pause's
/// note-offs and Stop/Continue and the nudge where the renderer applies
/// them.
fn expected(map: &TempoMap, pause_s: f64) -> Vec<(f64, Message)> {
    let mut schedule = MidiSchedule::new(map, ClickStyle::PLAIN, notes());
    let mut out = Vec::new();
    let until = |schedule: &mut MidiSchedule, t: f64, out: &mut Vec<(f64, Message)>| {
        while schedule.peek().is_some_and(|m| m.t_s < t) {
            let m = schedule.pop().unwrap();
            out.push((m.t_s, m.message));
        }
    };
    until(&mut schedule, pause_s, &mut out);
    let note_off = schedule.note_off();
    for _ in 0..schedule.take_note_offs() {
        out.push((pause_s, note_off));
    }
    out.push((pause_s, Message::Stop));
    out.push((pause_s, Message::Continue));
    until(&mut schedule, 2.6, &mut out);
    schedule.nudge(2.6, 20.0);
    until(&mut schedule, f64::INFINITY, &mut out);
    out
}

/// Wall time (from the device's start) at which session time `t` is heard.
/// The Stop at the pause and what follows the Continue are told apart by
/// their place in the sequence: both sit at the session time of the pause.
fn heard_at(t: f64, after_resume: bool, pause_s: f64, paused_s: f64) -> f64 {
    let paused = if t > pause_s || (t == pause_s && after_resume) {
        paused_s
    } else {
        0.0
    };
    LATENCY.as_secs_f64() + t + paused
}

#[test]
fn the_sender_follows_pause_and_nudge_and_sends_when_the_audio_is_heard() {
    // At 1.0 s no note sounds: the click at 0.694 s ended at 0.744 s.
    follow_a_session_paused_at_block(100, 0);
}

#[test]
fn a_note_sounding_at_the_pause_ends_there_not_after_the_continue() {
    // At 1.05 s the click at 1.040 s still sounds, until 1.090 s.
    follow_a_session_paused_at_block(105, 1);
}

/// Plays the session block by block in real time, paused at block
/// `pause_at` (10 ms blocks), where `sounding` notes are still on, until
/// block `RESUME_AT`, nudged at `NUDGE_AT`, and checks what the port
/// received and when.
fn follow_a_session_paused_at_block(pause_at: usize, sounding: usize) {
    let _quiet = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let pause_s = pause_at as f64 / 100.0;
    let paused_s = (RESUME_AT - pause_at) as f64 / 100.0;
    let rate = SampleRate(RATE);
    let timeline = Timeline::metronome(SPM, SESSION_S, ClickSettings::default());
    let map = TempoMap::from_timeline(&timeline);
    let renderer = renderer_for(
        &timeline,
        ClickSounds::builtin(SoundName::Beep, rate),
        ClickStyle::PLAIN,
        rate,
    );
    let (mut engine, mut controls) = LiveEngine::new(renderer);
    let (sink, log) = FakeSink::new();
    let starts = vec![0.0, SESSION_S];
    let (tx, handle) = spawn(
        Box::new(sink),
        MidiSchedule::new(&map, ClickStyle::PLAIN, notes()),
        starts,
    );
    let stamp = Arc::new(PlaybackStamp::default());
    let origin = Instant::now();
    tx.send(ToSender::Stream {
        stamp: Arc::clone(&stamp),
        origin,
        rate: RATE,
    })
    .unwrap();
    let mut block = vec![0.0f32; BLOCK];
    let blocks = ((SESSION_S + 0.5) * 100.0) as usize + 50;
    for i in 0..blocks {
        // The callback for block i runs at i·10 ms; its audio is heard 20 ms later.
        let callback_at = origin + Duration::from_millis(10 * i as u64);
        std::thread::sleep(callback_at.saturating_duration_since(Instant::now()));
        match i {
            _ if i == pause_at => controls.commands.push(Command::Pause).unwrap(),
            RESUME_AT => controls.commands.push(Command::Resume).unwrap(),
            NUDGE_AT => controls.commands.push(Command::Nudge(20.0)).unwrap(),
            _ => {}
        }
        let playback = Duration::from_millis(10 * i as u64) + LATENCY;
        stamp.publish((i * BLOCK) as u64, playback.as_nanos() as u64);
        engine.process(&mut block, 1);
        while let Ok(telemetry) = controls.telemetry.pop() {
            tx.send(ToSender::Telemetry(telemetry)).unwrap();
        }
    }
    tx.send(ToSender::Quit).unwrap();
    let report = handle.join().unwrap();
    let sent = log.lock().unwrap().clone();
    let want = expected(&map, pause_s);
    let ended_at_pause = want
        .iter()
        .filter(|(t, m)| *t == pause_s && matches!(m, Message::NoteOff { .. }))
        .count();
    assert_eq!(ended_at_pause, sounding, "notes sounding at the pause");
    let got: Vec<Vec<u8>> = sent.iter().map(|r| r.bytes.clone()).collect();
    let want_bytes: Vec<Vec<u8>> = want
        .iter()
        .map(|(_, m)| {
            let (bytes, len) = m.bytes();
            bytes[..len].to_vec()
        })
        .collect();
    assert_eq!(
        got, want_bytes,
        "the renderer's pause and nudge, message by message"
    );
    let continue_index = want
        .iter()
        .position(|(_, m)| *m == Message::Continue)
        .unwrap();
    let mut errors: Vec<f64> = sent
        .iter()
        .zip(&want)
        .enumerate()
        .map(|(i, (received, (t, _)))| {
            let at = received.at.duration_since(origin).as_secs_f64();
            (at - heard_at(*t, i >= continue_index, pause_s, paused_s)) * 1e3
        })
        .collect();
    errors.sort_by(f64::total_cmp);
    let q = |p: f64| errors[((errors.len() - 1) as f64 * p).round() as usize];
    eprintln!(
        "midi_sender: {} messages, send time minus the time their audio is heard: \
         min {:.3} ms, median {:.3} ms, p99 {:.3} ms, max {:.3} ms; {}",
        errors.len(),
        errors[0],
        q(0.5),
        q(0.99),
        errors[errors.len() - 1],
        report.summary()
    );
    assert!(
        errors[0] > -1.0,
        "nothing leaves before its audio: {:.3} ms",
        errors[0]
    );
    // A loose bound (the figure itself is printed): a shared 2-core VM
    // sometimes wakes the thread late; a wrong clock would be off by tens.
    assert!(q(0.5).abs() < 2.0, "median {:.3} ms", q(0.5));
    assert!(errors[errors.len() - 1] < 50.0, "nothing grossly late");
}

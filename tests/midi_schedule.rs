//! The MIDI send schedule as pure data: clock ticks at the closed-form
//! roots of φ(t) = j/24 through ramps, notes exactly on the renderer's
//! clicks with its accent rule, start/stop around click runs and skips,
//! and nudges re-planned as the renderer re-plans them.

mod support;

use treadbeat::engine::ClickStyle;
use treadbeat::midi::messages::CLOCKS_PER_BEAT;
use treadbeat::midi::schedule::NOTE_LENGTH_S;
use treadbeat::midi::{Channel, Message, MidiSchedule, NoteSettings, Timed};
use treadbeat::plan::Stereo;
use treadbeat::tempo::{phase_at, time_of_phase, TempoMap};

const RAMPED: &str = "name = \"t\"\n[click]\ncount_in = 3\naccent = 4\n\
    [[step]]\ntime = \"20s\"\ncadence = \"150..190\"\n\
    [[step]]\ntime = \"7s\"\ncadence = 176\n\
    [[step]]\ntime = \"5s\"\ncadence = 170\nclick = false\n\
    [[step]]\ntime = \"9s\"\ncadence = \"180..160\"\n";

fn notes() -> NoteSettings {
    NoteSettings {
        channel: Channel::from_user(10).unwrap(),
        note: 37,
        velocity: 90,
        accent_velocity: 127,
    }
}

fn style(accent_every: u32, count_in: bool) -> ClickStyle {
    ClickStyle {
        accent_every,
        stereo: Stereo::Center,
        volume: 1.0,
        count_in,
    }
}

fn of(messages: &[Timed], wanted: fn(&Message) -> bool) -> Vec<Timed> {
    messages
        .iter()
        .copied()
        .filter(|m| wanted(&m.message))
        .collect()
}

/// Tick times computed here from the segments, independently of the
/// cursor: for each segment, the j/24 phases that fall inside it.
fn expected_ticks(map: &TempoMap) -> Vec<f64> {
    let mut ticks = Vec::new();
    let mut phase = 0.0;
    for segment in &map.segments {
        if segment.starts_run {
            phase = 0.0;
        }
        let end = phase + segment.phase_length();
        let mut j = (phase * 24.0 - 1e-9).ceil() as u64;
        while (j as f64) / 24.0 < end - 1e-9 {
            let d = j as f64 / 24.0 - phase;
            ticks.push(
                segment.start_s + time_of_phase(d, segment.c0, segment.c1, segment.duration_s),
            );
            j += 1;
        }
        phase = end;
    }
    ticks
}

#[test]
fn ticks_follow_the_tempo_map_through_ramps_and_notes_sit_on_the_clicks() {
    let map = support::tempo(RAMPED);
    let all: Vec<Timed> = MidiSchedule::new(&map, style(4, false), notes()).collect();
    assert!(all.windows(2).all(|w| w[0].t_s <= w[1].t_s), "time order");
    let ticks: Vec<f64> = of(&all, |m| *m == Message::Clock)
        .iter()
        .map(|m| m.t_s)
        .collect();
    let expected = expected_ticks(&map);
    assert_eq!(ticks.len(), expected.len());
    for (i, (got, want)) in ticks.iter().zip(&expected).enumerate() {
        assert!((got - want).abs() < 1e-9, "tick {i}: {got} vs {want}");
    }
    // Every tick has phase j/24 within its run (checked by the phase itself).
    let first = &map.segments[0];
    for (j, t) in ticks.iter().take(200).enumerate() {
        let phase = phase_at(*t, first.c0, first.c1, first.duration_s);
        assert!(
            (phase * 24.0 - j as f64).abs() < 1e-6,
            "tick {j} phase {phase}"
        );
    }
    let ons = of(&all, |m| matches!(m, Message::NoteOn { .. }));
    let clicks: Vec<_> = map.clicks().collect();
    assert_eq!(ons.len(), clicks.len());
    for (on, click) in ons.iter().zip(&clicks) {
        assert_eq!(
            on.t_s, click.time_s,
            "bit-identical to the renderer's click"
        );
        let Message::NoteOn {
            velocity,
            note,
            channel,
        } = on.message
        else {
            unreachable!()
        };
        assert_eq!((note, channel.user()), (37, 10));
        let accent = click.beat % 4 == 0;
        assert_eq!(
            velocity,
            if accent { 127 } else { 90 },
            "beat {}",
            click.beat
        );
    }
    // Each click coincides with every 24th tick of its run.
    let run1_ticks = &ticks[..ticks.iter().position(|t| *t >= 27.0).unwrap()];
    for (k, click) in clicks.iter().take_while(|c| c.time_s < 27.0).enumerate() {
        assert!((run1_ticks[k * 24] - click.time_s).abs() < 1e-9);
    }
    let offs = of(&all, |m| matches!(m, Message::NoteOff { .. }));
    assert_eq!(offs.len(), ons.len());
    // The note-off a pause or the session's end sends is the same one.
    let note_off = MidiSchedule::new(&map, style(4, false), notes()).note_off();
    for (on, off) in ons.iter().zip(&offs) {
        assert!((off.t_s - on.t_s - NOTE_LENGTH_S).abs() < 1e-12);
        assert_eq!(off.message, note_off);
    }
}

#[test]
fn transport_starts_before_each_run_and_stops_at_its_end() {
    let map = support::tempo(RAMPED);
    let all: Vec<Timed> = MidiSchedule::new(&map, style(0, false), notes()).collect();
    let transport: Vec<(f64, Message)> = all
        .iter()
        .filter(|m| matches!(m.message, Message::Start | Message::Stop))
        .map(|m| (m.t_s, m.message))
        .collect();
    assert_eq!(
        transport,
        vec![
            (0.0, Message::Start),
            (27.0, Message::Stop),
            (32.0, Message::Start),
            (41.0, Message::Stop)
        ]
    );
    // Start comes right before the first tick of its run, at the same time.
    let start = all
        .iter()
        .position(|m| m.message == Message::Start)
        .unwrap();
    assert_eq!(all[start + 1].message, Message::Clock);
    assert_eq!(all[start + 1].t_s, 0.0);
}

#[test]
fn the_count_in_clocks_at_the_first_cadence_and_accents_its_first_click() {
    let map = support::tempo(RAMPED);
    let all: Vec<Timed> = MidiSchedule::new(&map, style(4, true), notes()).collect();
    assert_eq!(all[0].message, Message::Start);
    let period = 60.0 / 150.0;
    assert!((all[0].t_s + 3.0 * period).abs() < 1e-12);
    let ticks = of(&all, |m| *m == Message::Clock);
    for (i, tick) in ticks.iter().take(3 * 24 + 1).enumerate() {
        let want = -3.0 * period + i as f64 * period / 24.0;
        assert!((tick.t_s - want).abs() < 1e-12, "count-in tick {i}");
    }
    let ons = of(&all, |m| matches!(m, Message::NoteOn { .. }));
    let velocities: Vec<u8> = ons
        .iter()
        .take(5)
        .map(|m| match m.message {
            Message::NoteOn { velocity, .. } => velocity,
            _ => 0,
        })
        .collect();
    // Count-in: first accented, then plain; t = 0 is beat 0 of the run: accented.
    assert_eq!(velocities, vec![127, 90, 90, 127, 90]);
    assert_eq!(
        of(&all, |m| *m == Message::Start).len(),
        2,
        "no second start at t = 0"
    );
}

#[test]
fn a_nudge_replans_ticks_and_notes_like_the_renderer() {
    let map = TempoMap::constant(160.0, 60.0, 0);
    let mut schedule = MidiSchedule::new(&map, style(0, false), notes());
    let mut sent = Vec::new();
    while schedule.peek().is_some_and(|m| m.t_s < 10.1) {
        sent.push(schedule.pop().unwrap());
    }
    schedule.nudge(10.1, 20.0);
    sent.extend(schedule.by_ref());
    // The renderer: clicks up to the nudge, the one fetched past it dropped.
    let mut cursor = map.clicks();
    let mut clicks: Vec<f64> = cursor
        .by_ref()
        .map(|c| c.time_s)
        .take_while(|t| *t < 10.1)
        .collect();
    cursor.nudge(10.1, 20.0);
    clicks.extend(cursor.map(|c| c.time_s));
    let ons: Vec<f64> = of(&sent, |m| matches!(m, Message::NoteOn { .. }))
        .iter()
        .map(|m| m.t_s)
        .collect();
    assert_eq!(ons, clicks);
    let ticks: Vec<f64> = of(&sent, |m| *m == Message::Clock)
        .iter()
        .map(|m| m.t_s)
        .collect();
    let after: Vec<f64> = ticks.iter().copied().filter(|t| *t > 10.2).collect();
    let spacing = 60.0 / (180.0 * f64::from(CLOCKS_PER_BEAT));
    assert!(after
        .windows(2)
        .all(|w| (w[1] - w[0] - spacing).abs() < 1e-9));
    assert!(ticks.windows(2).all(|w| w[1] > w[0]), "no tick repeated");
}

#[test]
fn a_replan_keeps_what_was_due_before_it_but_not_yet_taken() {
    let map = support::tempo(RAMPED);
    let mut taken_first = MidiSchedule::new(&map, style(2, false), notes());
    let mut early: Vec<Timed> = Vec::new();
    while taken_first.peek().is_some_and(|m| m.t_s < 5.3) {
        early.push(taken_first.pop().unwrap());
    }
    taken_first.nudge(5.3, -7.0);
    early.extend(taken_first);
    // The sender nudges while messages before the nudge still wait to go.
    let mut lagging = MidiSchedule::new(&map, style(2, false), notes());
    let mut late: Vec<Timed> = Vec::new();
    while lagging.peek().is_some_and(|m| m.t_s < 5.1) {
        late.push(lagging.pop().unwrap());
    }
    lagging.nudge(5.3, -7.0);
    late.extend(lagging);
    assert_eq!(late, early);
}

#[test]
fn a_skip_stops_now_and_starts_on_the_next_steps_first_beat() {
    let map = support::tempo(RAMPED);
    let mut schedule = MidiSchedule::new(&map, style(0, false), notes());
    while schedule.peek().is_some_and(|m| m.t_s < 3.0) {
        schedule.pop();
    }
    schedule.seek(3.0, 20.0);
    let after: Vec<Timed> = schedule.take(80).collect();
    let stop = after
        .iter()
        .position(|m| m.message == Message::Stop)
        .unwrap();
    assert_eq!(after[stop].t_s, 3.0);
    assert_eq!(after[stop + 1].message, Message::Start);
    assert_eq!(after[stop + 1].t_s, 20.0);
    assert_eq!(
        after[stop + 2],
        Timed {
            t_s: 20.0,
            message: Message::Clock
        }
    );
    let first_note = after
        .iter()
        .find(|m| matches!(m.message, Message::NoteOn { .. }))
        .unwrap();
    assert_eq!(first_note.t_s, 20.0);
    let ticks: Vec<f64> = of(&after, |m| *m == Message::Clock)
        .iter()
        .map(|m| m.t_s)
        .collect();
    let spacing = 60.0 / (176.0 * 24.0);
    assert!(ticks
        .windows(2)
        .all(|w| (w[1] - w[0] - spacing).abs() < 1e-9));
}

#[test]
fn the_transport_state_at_a_time_counts_messages_not_yet_taken() {
    let map = support::tempo(RAMPED);
    let mut schedule = MidiSchedule::new(&map, style(0, false), notes());
    assert!(!schedule.running());
    // A pause at 0.5 s before the sender took even the Start: it is running.
    assert!(schedule.running_at(0.5));
    let first = schedule.pop().unwrap();
    assert_eq!(
        first,
        Timed {
            t_s: 0.0,
            message: Message::Start
        }
    );
    // In the silent stretch (27–32 s) it is stopped.
    assert!(!schedule.running_at(30.0));
    let plain: Vec<Timed> = MidiSchedule::new(&map, style(0, false), notes()).collect();
    let mut rest = vec![first];
    rest.extend(schedule);
    assert_eq!(rest, plain, "asking changes nothing that is sent");
}

//! MIDI in a live session: opens the ports before the audio device, feeds
//! the sender thread the telemetry and the stream's clock, turns incoming
//! notes and controllers into the runner's commands, and stamps
//! drum-trigger steps with their session time on the output clock.

use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

use super::events::SessionEvent;
use crate::app::failure::Failure;
use crate::app::midi_args::MidiSetup;
use crate::app::session_build::build_midi_schedule;
use crate::app::session_spec::SessionSpec;
use crate::clock::{ClockFit, SessionAnchor};
use crate::engine::{Command, Telemetry};
use crate::io::midi_ports::sender::{self, SendReport, ToSender};
use crate::io::midi_ports::{MidiError, MidiPorts};
use crate::io::playback_stamp::PlaybackStamp;
use crate::io::stream_manager::StreamStart;
use crate::midi::mapping::InputAction;
use crate::midi::{parse_incoming_action, MidiSchedule, StepEvent};
use crate::plan::Timeline;
use crate::units::{SampleRate, SessionFrame};

fn midi_failure(error: MidiError) -> Failure {
    if error.is_invalid_request() {
        Failure::invalid(error.to_string())
    } else {
        Failure::device(error.to_string())
    }
}

/// The system's MIDI ports, or an error saying this build has none.
#[cfg(feature = "midi")]
pub fn system_ports() -> Result<crate::io::midi_ports::Midir, Failure> {
    Ok(crate::io::midi_ports::Midir)
}

#[cfg(not(feature = "midi"))]
pub fn system_ports() -> Result<crate::io::midi_ports::fake::FakePorts, Failure> {
    Err(Failure::device(
        "this treadbeat was built without MIDI support (cargo feature `midi`)",
    ))
}

/// The session's MIDI ports, or `None` without MIDI flags.
pub fn open_for(
    spec: &SessionSpec,
    events: &Sender<SessionEvent>,
) -> Result<Option<MidiLive>, Failure> {
    let Some(setup) = &spec.midi else {
        return Ok(None);
    };
    let schedule = build_midi_schedule(spec, setup.notes);
    let ports = system_ports()?;
    MidiLive::open(setup, &spec.timeline, schedule, &ports, events.clone()).map(Some)
}

/// Where the audio clock stands, to put an `Instant` on the session clock.
#[derive(Default)]
struct SessionClock {
    fit: Option<ClockFit>,
    stamp: Option<Arc<PlaybackStamp>>,
    origin: Option<Instant>,
    rate: Option<SampleRate>,
    anchor: Option<SessionAnchor>,
    last_session: Option<SessionFrame>,
}

impl SessionClock {
    fn update(&mut self, t: &Telemetry) {
        let moved = self.last_session.is_some_and(|s| t.session_frame > s);
        self.last_session = Some(t.session_frame);
        if moved && !t.paused {
            self.anchor = Some(SessionAnchor::of(t));
        }
        if let (Some(fit), Some((frame, ns))) = (
            self.fit.as_mut(),
            self.stamp.as_ref().and_then(|s| s.read()),
        ) {
            fit.add(frame, ns);
        }
    }

    /// Session seconds heard at `at`.
    fn session_s(&self, at: Instant) -> Option<f64> {
        let ns = at.checked_duration_since(self.origin?)?.as_nanos() as f64;
        let frame = self.fit.as_ref()?.frame_at(ns)?;
        Some(self.anchor?.session_s_at(frame, self.rate?))
    }
}

pub struct MidiLive {
    out: Option<(Sender<ToSender>, JoinHandle<SendReport>)>,
    /// The open input port; its messages arrive as session events.
    input: Option<Box<dyn Send>>,
    clock: SessionClock,
    steps_heard: u64,
    commands_heard: u64,
}

/// What a MIDI message asks of the session.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MidiInput {
    Command(Command),
    /// A drum-trigger step, on the output clock.
    Step(StepEvent),
}

impl MidiLive {
    /// Opens the ports the setup names; fails before any audio opens.
    /// Incoming messages go to `events`.
    pub fn open(
        setup: &MidiSetup,
        timeline: &Timeline,
        schedule: MidiSchedule,
        ports: &dyn MidiPorts,
        events: Sender<SessionEvent>,
    ) -> Result<MidiLive, Failure> {
        let out = match &setup.out {
            Some(name) => {
                let sink = ports.open_output(name).map_err(midi_failure)?;
                let mut starts: Vec<f64> = timeline.segments.iter().map(|s| s.start_s).collect();
                starts.push(timeline.total_s());
                Some(sender::spawn(sink, schedule, starts))
            }
            None => None,
        };
        let input = match &setup.input {
            Some(name) => {
                let mut map = setup.map.clone();
                let handler = move |bytes: &[u8]| {
                    let at = Instant::now();
                    if let Some(action) = parse_incoming_action(&mut map, bytes) {
                        let _ = events.send(SessionEvent::Midi(action, at));
                    }
                };
                let port = ports
                    .open_input(name, Box::new(handler))
                    .map_err(midi_failure)?;
                Some(port)
            }
            None => None,
        };
        Ok(MidiLive {
            out,
            input,
            clock: SessionClock::default(),
            steps_heard: 0,
            commands_heard: 0,
        })
    }

    /// A stream started: hands its clock to the sender and the step stamper.
    pub fn stream_started(&mut self, start: &StreamStart) {
        self.use_clock(
            Arc::clone(&start.health.playback),
            start.clock_origin,
            start.rate.0,
        );
    }

    /// Playback stamps on a clock whose zero is `origin`, at `rate`.
    fn use_clock(&mut self, stamp: Arc<PlaybackStamp>, origin: Instant, rate: u32) {
        self.clock = SessionClock {
            fit: Some(ClockFit::new(rate)),
            stamp: Some(Arc::clone(&stamp)),
            origin: Some(origin),
            rate: Some(SampleRate(rate)),
            anchor: None,
            last_session: None,
        };
        if let Some((tx, _)) = &self.out {
            let _ = tx.send(ToSender::Stream {
                stamp,
                origin,
                rate,
            });
        }
    }

    /// Every telemetry snapshot, in order.
    pub fn telemetry(&mut self, telemetry: &Telemetry) {
        self.clock.update(telemetry);
        if let Some((tx, _)) = &self.out {
            let _ = tx.send(ToSender::Telemetry(*telemetry));
        }
    }

    /// A command went to the renderer (from a key or from MIDI).
    pub fn command_sent(&self) {
        if let Some((tx, _)) = &self.out {
            let _ = tx.send(ToSender::Hold);
        }
    }

    /// What a message from the input port asks for: a command, or a
    /// drum-trigger step placed on the output clock (dropped before the
    /// clock can place it).
    pub fn input(&mut self, action: InputAction, at: Instant) -> Option<MidiInput> {
        let command = match action {
            InputAction::TogglePause => Command::TogglePause,
            InputAction::NextStep => Command::NextStep,
            InputAction::NudgeUp => Command::Nudge(1.0),
            InputAction::NudgeDown => Command::Nudge(-1.0),
            InputAction::Step(velocity) => {
                self.steps_heard += 1;
                let t_s = self.clock.session_s(at)?;
                return Some(MidiInput::Step(StepEvent { t_s, velocity }));
            }
        };
        self.commands_heard += 1;
        Some(MidiInput::Command(command))
    }

    /// Ends the sender (Stop and note-offs go out) and says what happened.
    pub fn finish(self) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some((tx, handle)) = self.out {
            let _ = tx.send(ToSender::Quit);
            if let Ok(report) = handle.join() {
                lines.push(format!("MIDI out: {}.", report.summary()));
            }
        }
        if self.input.is_some() {
            lines.push(format!(
                "MIDI in: {} commands, steps heard from MIDI: {}.",
                self.commands_heard, self.steps_heard
            ));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ClickStyle;
    use crate::io::midi_ports::fake::FakePorts;
    use crate::midi::mapping::{InputMap, Trigger};
    use crate::midi::NoteSettings;
    use crate::tempo::TempoMap;
    use crate::units::{DeviceFrame, SessionFrame};
    use std::sync::mpsc;
    use std::time::Duration;

    fn open(ports: &FakePorts) -> (Result<MidiLive, Failure>, mpsc::Receiver<SessionEvent>) {
        let timeline = crate::plan::Timeline::metronome(170.0, 60.0, Default::default());
        let schedule = MidiSchedule::new(
            &TempoMap::from_timeline(&timeline),
            ClickStyle::PLAIN,
            setup().notes,
        );
        let (events, inbox) = mpsc::channel();
        let midi = MidiLive::open(&setup(), &timeline, schedule, ports, events);
        (midi, inbox)
    }

    fn setup() -> MidiSetup {
        MidiSetup {
            out: None,
            input: Some("pedal".into()),
            notes: NoteSettings {
                channel: crate::midi::Channel::from_user(10).unwrap(),
                note: 76,
                velocity: 90,
                accent_velocity: 127,
            },
            map: InputMap::new(
                Some(Trigger::Control(64)),
                Some(Trigger::Note(62)),
                Some(Trigger::Control(20)),
                Some(Trigger::Control(21)),
                Some(Trigger::Note(36)),
            ),
        }
    }

    #[test]
    fn footswitch_and_pads_become_commands_and_trigger_notes_timed_steps() {
        let ports = FakePorts::with_ports(&["pedal"]);
        let (midi, inbox) = open(&ports);
        let mut midi = midi.unwrap();
        // A device whose frame F plays at F/48000 s after `origin` + 20 ms.
        let stamp = Arc::new(PlaybackStamp::default());
        let origin = Instant::now() - Duration::from_secs(2);
        stamp.publish(48_000, 1_020_000_000);
        midi.use_clock(Arc::clone(&stamp), origin, 48000);
        let at = |device: u64, session: i64| Telemetry {
            device_frames: DeviceFrame(device),
            session_frame: SessionFrame(session),
            ..Telemetry::default()
        };
        // Session t = 0 sits at device frame 12,000 (a 0.25 s lead-in).
        midi.telemetry(&at(48_000, 36_000));
        midi.telemetry(&at(49_024, 37_024));
        ports.play(&[0xB0, 64, 127]);
        ports.play(&[0xB0, 64, 0]);
        ports.play(&[0x90, 62, 100]);
        ports.play(&[0xB0, 20, 127]);
        ports.play(&[0xB0, 21, 127]);
        ports.play(&[0x99, 36, 88]);
        ports.play(&[0xF8]);
        let inputs: Vec<MidiInput> = inbox
            .try_iter()
            .filter_map(|event| match event {
                SessionEvent::Midi(action, at) => midi.input(action, at),
                _ => None,
            })
            .collect();
        let command = MidiInput::Command;
        assert_eq!(
            inputs[..4],
            [
                command(Command::TogglePause),
                command(Command::NextStep),
                command(Command::Nudge(1.0)),
                command(Command::Nudge(-1.0))
            ]
        );
        assert_eq!(inputs.len(), 5);
        let MidiInput::Step(step) = inputs[4] else {
            panic!("{inputs:?}");
        };
        assert_eq!(step.velocity, 88);
        // Now is 2 s after origin: with 20 ms of latency, device frame
        // 95,040 is heard, which is session frame 83,040 = 1.73 s.
        let t = step.t_s;
        assert!((t - 1.73).abs() < 0.005, "{t}");
        assert_eq!(
            midi.finish(),
            vec!["MIDI in: 4 commands, steps heard from MIDI: 1.".to_string()]
        );
    }

    #[test]
    fn an_unknown_input_port_is_invalid_input() {
        let ports = FakePorts::with_ports(&["other"]);
        let error = open(&ports).0.err().unwrap();
        assert_eq!(error.code, 1);
        assert!(error.message.contains("\"pedal\""), "{}", error.message);
    }
}

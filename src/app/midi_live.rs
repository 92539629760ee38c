//! MIDI in a live session: opens the ports before the audio device, feeds
//! the sender thread the telemetry and the stream's clock, turns incoming
//! notes and controllers into the runner's commands, and stamps
//! drum-trigger steps with their session time on the output clock.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

use cpal::traits::StreamTrait;

use super::failure::Failure;
use super::midi_args::MidiSetup;
use crate::engine::{ClickStyle, Command, Telemetry};
use crate::io::midi::sender::{self, SendReport, ToSender};
use crate::io::midi::{MidiError, MidiPorts};
use crate::io::output::StreamHealth;
use crate::io::playback_stamp::PlaybackStamp;
use crate::midi::clock_fit::ClockFit;
use crate::midi::mapping::InputAction;
use crate::midi::{parse_incoming_action, MidiSchedule, StepEvent};
use crate::plan::Timeline;
use crate::tempo::TempoMap;

fn midi_failure(error: MidiError) -> Failure {
    if error.is_invalid_request() {
        Failure::invalid(error.to_string())
    } else {
        Failure::device(error.to_string())
    }
}

/// The system's MIDI ports, or an error saying this build has none.
#[cfg(feature = "midi")]
pub fn system_ports() -> Result<crate::io::midi::Midir, Failure> {
    Ok(crate::io::midi::Midir)
}

#[cfg(not(feature = "midi"))]
pub fn system_ports() -> Result<crate::io::midi::fake::FakePorts, Failure> {
    Err(Failure::device(
        "this treadbeat was built without MIDI support (cargo feature `midi`)",
    ))
}

/// Where the audio clock stands, to put an `Instant` on the session clock.
#[derive(Default)]
struct SessionClock {
    fit: Option<ClockFit>,
    stamp: Option<Arc<PlaybackStamp>>,
    origin: Option<Instant>,
    rate: f64,
    anchor: Option<(u64, i64)>,
    last_session: Option<i64>,
}

impl SessionClock {
    fn update(&mut self, t: &Telemetry) {
        let moved = self.last_session.is_some_and(|s| t.session_frame > s);
        self.last_session = Some(t.session_frame);
        if moved && !t.paused {
            self.anchor = Some((t.device_frames, t.session_frame));
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
        let (device, session) = self.anchor?;
        Some((session as f64 + frame - device as f64) / self.rate)
    }
}

pub struct MidiLive {
    out: Option<(Sender<ToSender>, JoinHandle<SendReport>)>,
    _input_port: Option<Box<dyn Send>>,
    input: Option<Receiver<(InputAction, Instant)>>,
    clock: SessionClock,
    steps: Vec<StepEvent>,
    steps_heard: u64,
    commands_heard: u64,
}

impl MidiLive {
    /// Opens the ports the setup names; fails before any audio opens.
    pub fn open(
        setup: &MidiSetup,
        timeline: &Timeline,
        style: ClickStyle,
        ports: &dyn MidiPorts,
    ) -> Result<MidiLive, Failure> {
        let out = match &setup.out {
            Some(name) => {
                let sink = ports.open_output(name).map_err(midi_failure)?;
                let map = TempoMap::from_timeline(timeline);
                let schedule = MidiSchedule::new(&map, style, setup.notes);
                let mut starts: Vec<f64> = timeline.segments.iter().map(|s| s.start_s).collect();
                starts.push(timeline.total_s());
                Some(sender::spawn(sink, schedule, setup.notes, starts))
            }
            None => None,
        };
        let (input_port, input) = match &setup.input {
            Some(name) => {
                let (tx, rx) = mpsc::channel();
                let mut map = setup.map.clone();
                let handler = move |bytes: &[u8]| {
                    let at = Instant::now();
                    if let Some(action) = parse_incoming_action(&mut map, bytes) {
                        let _ = tx.send((action, at));
                    }
                };
                let port = ports
                    .open_input(name, Box::new(handler))
                    .map_err(midi_failure)?;
                (Some(port), Some(rx))
            }
            None => (None, None),
        };
        Ok(MidiLive {
            out,
            _input_port: input_port,
            input,
            clock: SessionClock::default(),
            steps: Vec::new(),
            steps_heard: 0,
            commands_heard: 0,
        })
    }

    /// A stream started: hands its clock to the sender and the step stamper.
    pub fn stream_started(&mut self, health: &StreamHealth, stream: &cpal::Stream, rate: u32) {
        // The stream clock's zero on `Instant`, read back to back.
        let before = Instant::now();
        let stream_now = stream.now();
        let origin = before
            .checked_sub(std::time::Duration::from_nanos(stream_now.as_nanos() as u64))
            .unwrap_or(before);
        self.clock = SessionClock {
            fit: Some(ClockFit::new(rate)),
            stamp: Some(Arc::clone(&health.playback)),
            origin: Some(origin),
            rate: f64::from(rate),
            anchor: None,
            last_session: None,
        };
        if let Some((tx, _)) = &self.out {
            let _ = tx.send(ToSender::Stream {
                stamp: Arc::clone(&health.playback),
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

    /// Commands asked for on the MIDI input since the last call; steps
    /// from a drum trigger are kept for `take_steps`.
    pub fn commands(&mut self) -> Vec<Command> {
        let mut commands = Vec::new();
        let Some(input) = &self.input else {
            return commands;
        };
        while let Ok((action, at)) = input.try_recv() {
            let command = match action {
                InputAction::TogglePause => Command::TogglePause,
                InputAction::NextStep => Command::NextStep,
                InputAction::NudgeUp => Command::Nudge(1.0),
                InputAction::NudgeDown => Command::Nudge(-1.0),
                InputAction::Step(velocity) => {
                    self.steps_heard += 1;
                    if let Some(t_s) = self.clock.session_s(at) {
                        self.steps.push(StepEvent { t_s, velocity });
                    }
                    continue;
                }
            };
            self.commands_heard += 1;
            commands.push(command);
        }
        commands
    }

    /// Drum-trigger steps heard since the last call, oldest first, each
    /// with its time on the output clock. This is the step source the
    /// footstrike alignment reads, as it reads the microphone detector.
    pub fn take_steps(&mut self) -> Vec<StepEvent> {
        std::mem::take(&mut self.steps)
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

//! The control loop: one `SessionEvent` at a time from one channel, a
//! redraw every tick, the runner's actions sent to the engine, and the
//! summary when the session ends or the runner stops it.

use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::checkin;
use super::events::SessionEvent;
use super::history_log::HistoryLog;
use super::midi::{MidiInput, MidiLive};
use super::music::LiveMusic;
use super::steps::Steps;
use super::summary::{summary, SessionRecord};
use super::ui::{AudioClock, SessionUi};
use crate::app::console::outln;
use crate::app::failure::{CommandResult, Failure};
use crate::app::session_spec::SessionSpec;
use crate::coach::{build_cues, estimated_speech_s, Cue};
use crate::detect::{Judgement, WarningKind};
use crate::engine::{Command, Telemetry};
use crate::io::input::InputHealth;
use crate::io::output::StreamHealth;
use crate::io::stream_manager::{StreamEvent, StreamManager, StreamStart};
use crate::midi::StepEvent;
use crate::tui::keys::Action;
use crate::units::{clock_text, SampleRate};

/// A session stopped before this much of it played asks no check-in.
const CHECKIN_AFTER_S: f64 = 60.0;
/// How often the screen is redrawn when nothing else happens.
const TICK: Duration = Duration::from_millis(20);

/// The microphone listening now.
struct ListeningMic {
    device_name: String,
    /// Samples lost and device overruns, for the summary.
    health: Arc<InputHealth>,
}

/// What a session leaves when it ends.
struct Ended {
    /// The summary, then any lines after it.
    report: Vec<String>,
    /// The session's id in the history, if it was kept.
    history_id: Option<i64>,
}

/// Whether the loop goes on.
#[derive(PartialEq)]
enum Flow {
    Continue,
    End,
}

pub struct Session<'a> {
    spec: &'a SessionSpec,
    stream: StreamManager,
    midi: Option<MidiLive>,
    steps: Steps,
    /// What the coach says, for the screen (times estimated).
    cues: Vec<Cue>,
    record: SessionRecord,
    last: Telemetry,
    rate: SampleRate,
    /// The playing stream's counters.
    health: Option<Arc<StreamHealth>>,
    mic: Option<ListeningMic>,
    /// Voice clip of each detector warning (WarningKind::ALL order).
    warning_clips: Vec<usize>,
    /// Clicks played by streams lost before this one.
    earlier_clicks: u64,
    history: HistoryLog,
    /// The playing stream's clock, for the screen's beat.
    clock: Option<AudioClock>,
    /// The runner's music (`--music`), for its line in the summary.
    music: Option<Arc<LiveMusic>>,
    /// The track last said to be playing (its place in the playlist).
    music_said: Option<u32>,
}

impl<'a> Session<'a> {
    pub fn new(
        spec: &'a SessionSpec,
        stream: StreamManager,
        midi: Option<MidiLive>,
        music: Option<Arc<LiveMusic>>,
        history: HistoryLog,
    ) -> Self {
        let faded = spec.mic.as_ref().is_some_and(|m| m.faded_feedback);
        let cues = if spec.speech.is_some() {
            build_cues(&spec.timeline, &estimated_speech_s)
        } else {
            Vec::new()
        };
        Session {
            spec,
            stream,
            midi,
            steps: Steps::new(spec.tolerances, faded),
            cues,
            record: SessionRecord::default(),
            last: Telemetry::default(),
            rate: SampleRate(48_000),
            health: None,
            mic: None,
            warning_clips: Vec::new(),
            earlier_clicks: 0,
            history,
            music,
            music_said: None,
            clock: None,
        }
    }

    /// Takes the events of the first stream's opening, up to its start,
    /// and says what plays where.
    pub fn wait_for_start(&mut self, events: &Receiver<SessionEvent>) -> CommandResult {
        loop {
            match events.recv() {
                Ok(SessionEvent::Stream(StreamEvent::Started(start))) => {
                    self.first_start(start);
                    return Ok(());
                }
                Ok(SessionEvent::Stream(StreamEvent::GaveUp(failure))) => return Err(failure),
                Ok(SessionEvent::MicStarted {
                    device_name,
                    health,
                }) => {
                    self.mic = Some(ListeningMic {
                        device_name,
                        health,
                    })
                }
                Ok(SessionEvent::WarningClips(clips)) => self.warning_clips = clips,
                Ok(_) => {}
                Err(_) => return Err(Failure::device("the audio stream stopped before it began")),
            }
        }
    }

    fn first_start(&mut self, start: StreamStart) {
        let timeline = &self.spec.timeline;
        outln!(
            "Playing \"{}\" ({}) on {} at {} Hz, {} channels, {}.",
            timeline.name,
            clock_text(timeline.total_s()),
            start.device_name,
            start.rate.0,
            start.channels,
            start.buffer_text
        );
        if let (Some(ListeningMic { device_name, .. }), Some(mic)) = (&self.mic, &self.spec.mic) {
            let while_speaking = if mic.voice_reaches_mic {
                "not while the coach speaks"
            } else {
                "headphones: through the coach's voice too"
            };
            outln!(
                "Listening for footsteps on {device_name} (round trip {:.0} ms; {while_speaking}).",
                mic.latency_s * 1000.0
            );
        }
        self.use_stream(&start);
    }

    fn use_stream(&mut self, start: &StreamStart) {
        self.rate = start.rate;
        self.health = Some(Arc::clone(&start.health));
        self.clock = Some(AudioClock::of(start));
        if let Some(midi) = &mut self.midi {
            midi.stream_started(start);
        }
    }

    /// The loop, until the session ends or the runner stops it.
    pub fn run(mut self, mut ui: SessionUi, events: &Receiver<SessionEvent>) -> CommandResult {
        if let Some(clock) = &self.clock {
            ui.audio_clock(clock.clone());
        }
        let mut next_draw = Instant::now();
        loop {
            let flow = match events.recv_timeout(TICK) {
                Ok(event) => match self.handle(event, &mut ui) {
                    Ok(flow) => flow,
                    Err(failure) => {
                        // No device came back: the terminal first, then
                        // the one line saying so.
                        ui.finish();
                        return Err(failure);
                    }
                },
                Err(RecvTimeoutError::Timeout) => Flow::Continue,
                Err(RecvTimeoutError::Disconnected) => Flow::End,
            };
            if let Some(problem) = self.history.problem() {
                ui.message(problem);
            }
            if flow == Flow::End || self.last.finished {
                break;
            }
            if Instant::now() >= next_draw {
                self.show(&mut ui);
                next_draw = Instant::now() + TICK;
            }
        }
        let finished = self.last.finished;
        // A session stopped in its first minute (the wrong workout, a
        // test of the sound) is not worth a question.
        let ask = ui.is_screen() && (finished || self.last.session_s(self.rate) >= CHECKIN_AFTER_S);
        // The stream stops in finish(): nothing plays under the end state.
        let ended = self.finish();
        ui.end(&ended.report[0], finished, events);
        ui.finish();
        for line in &ended.report {
            outln!("{line}");
        }
        if let (Some(id), true) = (ended.history_id, ask) {
            checkin::ask(id);
        }
        Ok(())
    }

    fn handle(&mut self, event: SessionEvent, ui: &mut SessionUi) -> Result<Flow, Failure> {
        let action = match event {
            SessionEvent::Key(key) => ui.key_action(key),
            SessionEvent::Line(line) => ui.line_action(&line),
            SessionEvent::Resize => {
                self.show(ui);
                None
            }
            SessionEvent::Stream(event) => {
                self.stream_event(event, ui)?;
                None
            }
            SessionEvent::MicStarted {
                device_name,
                health,
            } => {
                self.mic = Some(ListeningMic {
                    device_name,
                    health,
                });
                None
            }
            SessionEvent::WarningClips(clips) => {
                self.warning_clips = clips;
                None
            }
            SessionEvent::HeardStep { session_s } => {
                self.heard(session_s, ui);
                None
            }
            SessionEvent::Midi(action, at) => self.midi_in(action, at, ui),
        };
        Ok(match action {
            Some(action) => self.act(action, ui),
            None => Flow::Continue,
        })
    }

    fn stream_event(&mut self, event: StreamEvent<Failure>, ui: &mut SessionUi) -> CommandResult {
        match event {
            StreamEvent::Telemetry(telemetry) => {
                if let Some(midi) = &mut self.midi {
                    midi.telemetry(&telemetry);
                }
                self.steps.telemetry(&telemetry, self.rate);
                self.history.telemetry(&telemetry, self.rate);
                self.last = telemetry;
                self.say_music(ui);
            }
            StreamEvent::Lost { went_quiet } => {
                self.record.underruns += self.underruns();
                self.history.underruns(self.record.underruns);
                self.earlier_clicks += self.last.clicks;
                // The new renderer counts its own clicks from zero.
                self.last.clicks = 0;
                self.record.reopened += 1;
                let why = if went_quiet {
                    "went quiet"
                } else {
                    "reported it is gone"
                };
                ui.message(format!(
                    "The audio device {why}; reopening the default device…"
                ));
            }
            StreamEvent::Started(start) => {
                let t = start.resumed_at.unwrap_or(0.0);
                ui.message(format!(
                    "Back on {}, the session at {t:.2} s.",
                    start.device_name
                ));
                self.use_stream(&start);
                ui.audio_clock(AudioClock::of(&start));
            }
            StreamEvent::GaveUp(failure) => return Err(failure),
        }
        Ok(())
    }

    /// A step from the microphone.
    fn heard(&mut self, session_s: f64, ui: &mut SessionUi) {
        let judged = self
            .steps
            .step(&self.spec.timeline, session_s, self.last.nudge_spm);
        for judgement in judged {
            self.act_on(judgement, ui);
        }
    }

    /// A MIDI message: a command, or a drum-trigger step judged like the
    /// microphone's.
    fn midi_in(
        &mut self,
        action: crate::midi::mapping::InputAction,
        at: Instant,
        ui: &mut SessionUi,
    ) -> Option<Action> {
        match self.midi.as_mut()?.input(action, at)? {
            MidiInput::Command(command) => Some(Action::Send(command)),
            MidiInput::Step(step @ StepEvent { t_s, .. }) => {
                self.heard(t_s, ui);
                self.record.midi_steps.push(step);
                None
            }
        }
    }

    /// What a judged step means for the runner: the meter, the coach's
    /// voice, the clicks' fade.
    fn act_on(&mut self, judgement: Judgement, ui: &mut SessionUi) {
        self.history.judged(&judgement);
        match judgement {
            Judgement::Step {
                session_s,
                offset_ms,
                cadence_spm,
            } => {
                self.record.heard_steps += 1;
                self.record.offsets_ms.push(offset_ms);
                ui.heard_step(session_s, offset_ms, cadence_spm);
            }
            Judgement::Warning(warning) => {
                self.record.warnings.push(warning);
                ui.warning(format!("{}  {}", clock_text(warning.t), warning.text));
                let kind = WarningKind::ALL.iter().position(|k| *k == warning.kind);
                if let Some(clip) = kind.and_then(|k| self.warning_clips.get(k)) {
                    self.stream.send(Command::Say(*clip));
                }
            }
            Judgement::Fade(gain) => self.stream.send(Command::SetFade(gain)),
        }
    }

    /// The runner's request, from a key or MIDI.
    fn act(&mut self, action: Action, ui: &mut SessionUi) -> Flow {
        match action {
            Action::Send(command) => {
                if command == Command::NextStep {
                    let now_s = self.last.session_s(self.rate);
                    self.record.skip(&self.spec.timeline, now_s);
                    self.history.skipped(now_s);
                }
                self.stream.send(command);
                if let Some(midi) = &self.midi {
                    midi.command_sent();
                }
            }
            Action::Volume(delta) => {
                let volume = (self.last.volume + delta).clamp(0.0, 1.0);
                self.stream.send(Command::SetVolume(volume));
                ui.message(format!("volume {:.0} %", volume * 100.0));
            }
            Action::Quit => return Flow::End,
        }
        Flow::Continue
    }

    /// Says a track that has just started, as the audio thread heard it.
    fn say_music(&mut self, ui: &mut SessionUi) {
        let Some(music) = &self.music else { return };
        let now = music.now_playing();
        let track = now.map(|n| n.track);
        if track != self.music_said {
            self.music_said = track;
            if let Some(now) = now {
                ui.music(music.now_line(now), self.last.session_s(self.rate));
            }
        }
    }

    fn show(&self, ui: &mut SessionUi) {
        let now_s = self.last.session_s(self.rate);
        let last_cue = self
            .cues
            .iter()
            .take_while(|c| c.at_s <= now_s)
            .last()
            .map(|c| c.text.as_str());
        ui.show(&self.last, self.rate.0, last_cue);
    }

    fn underruns(&self) -> u64 {
        self.health
            .as_ref()
            .map_or(0, |h| h.underruns.load(Ordering::Relaxed))
    }

    /// The summary once the session is over (or stopped), its first line
    /// `summary()`'s text; the stream stops and the history entry closes.
    fn finish(mut self) -> Ended {
        self.record.underruns += self.underruns();
        self.history.underruns(self.record.underruns);
        self.record.clicks = self.earlier_clicks + self.last.clicks;
        let reached = self.last.session_s(self.rate);
        let mut report = vec![summary(
            &self.spec.timeline,
            &self.record,
            reached,
            self.last.finished,
        )];
        report.extend(self.midi.take().map(MidiLive::finish).unwrap_or_default());
        report.extend(self.music.as_ref().map(|music| music.summary()));
        if let Some(ListeningMic { health, .. }) = &self.mic {
            let dropped = health.dropped.load(Ordering::Relaxed);
            let overruns = health.overruns.load(Ordering::Relaxed);
            if dropped + overruns > 0 {
                report.push(format!(
                    "Microphone: {dropped} samples lost (the detector fell behind), {overruns} device overruns."
                ));
            }
        }
        let history_id = match self.history.end(reached, self.last.finished) {
            Ok(id) => {
                report.push(format!(
                    "Kept in your history as session {id} (`treadbeat show {id}`)."
                ));
                Some(id)
            }
            Err(why) => {
                report.extend((!why.is_empty()).then_some(why));
                None
            }
        };
        Ended { report, history_id }
    }
}

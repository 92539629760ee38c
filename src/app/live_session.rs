//! A live session: the engine playing through cpal, a plain line interface
//! for the runner's keys, a line log of what happens, recovery when the
//! device vanishes, and a summary at the end.
//!
//! The control loop owns everything but the audio callback. It never
//! decides when a click sounds: the renderer's sample clock does that.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::console::outln;
use super::failure::{CommandResult, Failure};
use super::listening::{target_spm, ListenSetup, Listener};
use super::midi_args::MidiSetup;
use super::midi_live::{system_ports, MidiLive};
use super::session_ui::SessionUi;
use super::sound_choice::click_sounds;
use super::summary::{summary, SessionRecord};
use super::voice::speech_track;
use super::voice::LivePhrase;
use crate::clock::{SessionAnchor, Stamp};
use crate::coach::{build_cues, estimated_speech_s};
use crate::detect::{Judgement, StepJudge, Tolerances, WarningKind};
use crate::engine::earcons::Earcon;
use crate::engine::{renderer_for, ClickStyle, Command, Controls, LiveEngine, OwnSound, Telemetry};
use crate::io::input::start_capture;
use crate::io::output::{plan_output, start, OutputError, OutputPlan, OutputRequest, StreamHealth};
use crate::io::speech::SpeechSettings;
use crate::plan::{ClickSound, Timeline};
use crate::tui::keys::Action;
use crate::units::clock_text;
use crate::units::SampleRate;
use rtrb::RingBuffer;

/// How often the control loop looks at telemetry and keys.
const TICK: Duration = Duration::from_millis(20);
/// Silence before the first click: a stream's first periods may glitch.
const LEAD_IN_S: f64 = 0.25;
/// A stream that has not called back for this long is dead, whether or not
/// the backend said so (a killed sound server often just goes quiet).
const STALLED: Duration = Duration::from_millis(500);
/// A new stream may call back once to prefill, then wait while a sound
/// server wakes up: until it has played a second of audio it is not called
/// stalled before this long.
const STARTUP_GRACE: Duration = Duration::from_secs(3);
/// Output callback stamps kept for the microphone worker.
const OUTPUT_STAMPS: usize = 4096;
/// How long to keep trying to reopen a vanished device.
const REOPEN_FOR: Duration = Duration::from_secs(10);

/// Everything a live session needs, resolved before any device opens.
pub struct LiveSession<'a> {
    pub timeline: &'a Timeline,
    pub sound: ClickSound,
    pub style: ClickStyle,
    pub request: OutputRequest,
    /// The coach's voice, or `None` for clicks only.
    pub speech: Option<SpeechSettings>,
    /// The footstrike detector's microphone, or `None`.
    pub mic: Option<MicRequest>,
    /// When heard steps (microphone or drum trigger) draw a warning.
    pub tolerances: Tolerances,
    /// MIDI out and in, or `None` without MIDI flags.
    pub midi: Option<MidiSetup>,
}

/// `--mic [DEVICE]` and what goes with it.
#[derive(Debug, Clone)]
pub struct MicRequest {
    pub device: Option<String>,
    pub latency_s: f64,
    pub faded_feedback: bool,
    /// The coach's voice reaches the microphone (speakers), so the detector
    /// must not listen while it speaks; false with headphones.
    pub voice_reaches_mic: bool,
}

/// The detector's warnings as the coach says them (or their earcons).
const WARNING_PHRASES: [LivePhrase; 5] = [
    (WarningKind::CadenceLow.text(), Earcon::Rising),
    (WarningKind::Lagging.text(), Earcon::Reminder),
    (WarningKind::SlowBelt.text(), Earcon::Falling),
    (WarningKind::WalkBreak.text(), Earcon::Finish),
    (WarningKind::Recovered.text(), Earcon::Chime),
];

/// A running stream with its control ends.
struct Playing {
    stream: cpal::Stream,
    controls: Controls,
    health: Arc<StreamHealth>,
    plan: OutputPlan,
    listener: Option<Listener>,
    /// Speech-track clip of each of WARNING_PHRASES.
    warning_clips: Vec<usize>,
}

fn output_failure(error: OutputError) -> Failure {
    if error.is_invalid_request() {
        Failure::invalid(error.to_string())
    } else {
        Failure::device(error.to_string())
    }
}

impl LiveSession<'_> {
    /// Opens the device and starts the session at session time `t`.
    fn open(&self, request: &OutputRequest, t: Option<(f64, f64)>) -> Result<Playing, Failure> {
        let resuming = t.is_some();
        let plan = plan_output(request).map_err(output_failure)?;
        let sounds = click_sounds(&self.sound, plan.rate())?;
        let mut renderer = renderer_for(self.timeline, sounds, self.style, plan.rate());
        if let Some((t, nudge)) = t {
            renderer.jump_to(t, nudge);
        }
        if !resuming {
            renderer.set_lead_in((LEAD_IN_S * f64::from(plan.rate().0)) as u64);
        }
        let live_phrases: &[LivePhrase] = if self.mic.is_some() || self.midi.is_some() {
            &WARNING_PHRASES
        } else {
            &[]
        };
        let mut warning_clips = Vec::new();
        if let Some(settings) = &self.speech {
            let (track, _, clips) =
                speech_track(self.timeline, settings, plan.rate(), live_phrases);
            renderer.set_speech(track, self.timeline.coach.duck);
            warning_clips = clips;
        }
        let (mut engine, controls) = LiveEngine::new(renderer);
        let own_sounds = self.mic.is_some().then(|| engine.own_sound_feed());
        let health = Arc::new(StreamHealth::default());
        let (stamps, stamps_rx) = RingBuffer::new(OUTPUT_STAMPS);
        let stamps = self.mic.is_some().then_some(stamps);
        let stream = start(&plan, engine, Arc::clone(&health), stamps).map_err(output_failure)?;
        let listener = match (&self.mic, own_sounds) {
            (Some(mic), Some(own_sounds)) => Some(self.listen(mic, &plan, stamps_rx, own_sounds)?),
            _ => None,
        };
        Ok(Playing {
            stream,
            controls,
            health,
            plan,
            listener,
            warning_clips,
        })
    }

    /// Opens the microphone and starts the detector's worker.
    fn listen(
        &self,
        mic: &MicRequest,
        plan: &OutputPlan,
        output_stamps: rtrb::Consumer<Stamp>,
        own_sounds: rtrb::Consumer<OwnSound>,
    ) -> Result<Listener, Failure> {
        let capture = start_capture(mic.device.as_deref(), plan.rate().0).map_err(|e| {
            if e.is_invalid_request() {
                Failure::invalid(e.to_string())
            } else {
                Failure::device(e.to_string())
            }
        })?;
        let click_sound = click_sounds(&self.sound, SampleRate(capture.sample_rate))
            .ok()
            .map(|s| s.accent);
        let setup = ListenSetup {
            output_rate: plan.rate().0,
            latency_s: mic.latency_s,
            click_sound,
            faded_feedback: mic.faded_feedback,
            gate_voice: mic.voice_reaches_mic,
            tolerances: self.tolerances,
        };
        Ok(Listener::start(
            capture,
            output_stamps,
            own_sounds,
            self.timeline,
            setup,
        ))
    }

    pub fn run(&self) -> CommandResult {
        // MIDI first: a missing MIDI system fails before any sound plays.
        let mut midi = match &self.midi {
            Some(setup) => Some(MidiLive::open(
                setup,
                self.timeline,
                self.style,
                &system_ports()?,
            )?),
            None => None,
        };
        let mut playing = self.open(&self.request, None)?;
        if let Some(midi) = &mut midi {
            midi.stream_started(&playing.health, &playing.stream, playing.plan.rate().0);
        }
        outln!(
            "Playing \"{}\" ({}) on {} at {} Hz, {} channels, {}.",
            self.timeline.name,
            clock_text(self.timeline.total_s()),
            playing.plan.device_name,
            playing.plan.rate().0,
            playing.plan.channels(),
            playing.plan.buffer_text()
        );
        if let (Some(listener), Some(mic)) = (&playing.listener, &self.mic) {
            let while_speaking = if mic.voice_reaches_mic {
                "not while the coach speaks"
            } else {
                "headphones: through the coach's voice too"
            };
            outln!(
                "Listening for footsteps on {} (round trip {:.0} ms; {while_speaking}).",
                listener.device_name,
                mic.latency_s * 1000.0
            );
        }
        // What the coach says, for the screen (times estimated).
        let cues = if self.speech.is_some() {
            build_cues(self.timeline, &estimated_speech_s)
        } else {
            Vec::new()
        };
        let listening = self.mic.is_some() || self.midi.as_ref().is_some_and(|m| m.input.is_some());
        let mut ui = SessionUi::new(self.timeline, listening);
        let mut last = Telemetry::default();
        let mut last_seen = Instant::now();
        // Whether this stream has played a second yet (see STARTUP_GRACE).
        let mut settled = false;
        let mut record = SessionRecord::default();
        // Steps from a MIDI drum trigger, judged on the control thread.
        let mut trigger_judge = StepJudge::new(self.tolerances, false);
        let mut earlier_clicks = 0u64;
        // After a reopen: where the session should be by the wall clock.
        let mut resync: Option<(Instant, f64)> = None;
        loop {
            std::thread::sleep(TICK);
            while let Ok(telemetry) = playing.controls.telemetry.pop() {
                if let Some(midi) = &mut midi {
                    midi.telemetry(&telemetry);
                }
                last = telemetry;
                last_seen = Instant::now();
                settled = telemetry.device_frames >= u64::from(playing.plan.rate().0);
                if let Some(listener) = &playing.listener {
                    let _ = listener.to_worker.send(telemetry);
                }
                if let Some(frame) = telemetry.last_click_frame {
                    let anchor = SessionAnchor::of(&telemetry);
                    trigger_judge.click(anchor.session_s_at(frame as f64, playing.plan.rate()));
                }
            }
            self.hear(&mut playing, &mut ui, &mut record);
            let now_s = last.session_s(playing.plan.rate());
            let last_cue = cues
                .iter()
                .take_while(|c| c.at_s <= now_s)
                .last()
                .map(|c| c.text.as_str());
            ui.show(&last, playing.plan.rate().0, last_cue);
            if let Some((opened, t_open)) = resync.filter(|_| settled) {
                resync = None;
                // A stream that waited before playing left the session
                // behind the runner; skip ahead to where it should be.
                let should_be = t_open + opened.elapsed().as_secs_f64();
                let is = last.session_s(playing.plan.rate());
                if should_be - is > 0.02 && !last.paused {
                    let _ = playing.controls.commands.push(Command::CatchUp(should_be));
                }
            }
            if last.finished {
                break;
            }
            let stalled = last_seen.elapsed() > if settled { STALLED } else { STARTUP_GRACE };
            if playing.health.device_lost.load(Ordering::Relaxed) || stalled {
                record.underruns += playing.health.underruns.load(Ordering::Relaxed);
                earlier_clicks += last.clicks;
                let sr = f64::from(playing.plan.rate().0);
                let why = if stalled {
                    "went quiet"
                } else {
                    "reported it is gone"
                };
                ui.message(format!(
                    "The audio device {why}; reopening the default device…"
                ));
                let (reopened_playing, t_open) = self.reopen(&last, last_seen, sr)?;
                ui.message(format!(
                    "Back on {}, the session at {t_open:.2} s.",
                    reopened_playing.plan.device_name
                ));
                playing = reopened_playing;
                if let Some(midi) = &mut midi {
                    midi.stream_started(&playing.health, &playing.stream, playing.plan.rate().0);
                }
                resync = Some((Instant::now(), t_open));
                // The new renderer counts its own clicks from zero.
                last.clicks = 0;
                record.reopened += 1;
                last_seen = Instant::now();
                settled = false;
                continue;
            }
            let mut actions = Vec::new();
            if let Some(midi) = &mut midi {
                actions.extend(midi.commands().into_iter().map(Action::Send));
                // Steps from a drum trigger, on the output clock: judged
                // like the microphone detector's steps.
                for step in midi.take_steps() {
                    let target = target_spm(self.timeline, step.t_s, last.nudge_spm);
                    for judgement in trigger_judge.step(step.t_s, target) {
                        act_on(judgement, &mut playing, &mut ui, &mut record);
                    }
                    record.midi_steps.push(step);
                }
            }
            actions.extend(std::iter::from_fn(|| ui.action()));
            for action in actions {
                match action {
                    Action::Send(command) => {
                        if command == Command::NextStep {
                            record.skip(self.timeline, now_s);
                        }
                        let _ = playing.controls.commands.push(command);
                        if let Some(midi) = &midi {
                            midi.command_sent();
                        }
                    }
                    Action::Volume(delta) => {
                        let volume = (last.volume + delta).clamp(0.0, 1.0);
                        let _ = playing.controls.commands.push(Command::SetVolume(volume));
                        ui.message(format!("volume {:.0} %", volume * 100.0));
                    }
                    Action::Quit => {
                        ui.finish();
                        return self.finish(&playing, &last, record, earlier_clicks, midi);
                    }
                }
            }
        }
        ui.finish();
        self.finish(&playing, &last, record, earlier_clicks, midi)
    }

    /// What the detector heard since the last tick: steps to the screen,
    /// warnings to the coach's voice, faded feedback to the clicks.
    fn hear(&self, playing: &mut Playing, ui: &mut SessionUi, record: &mut SessionRecord) {
        let Some(listener) = &playing.listener else {
            return;
        };
        let heard: Vec<Judgement> = listener.heard.try_iter().collect();
        for judgement in heard {
            act_on(judgement, playing, ui, record);
        }
    }

    /// Prints the summary once the session is over (or stopped).
    fn finish(
        &self,
        playing: &Playing,
        last: &Telemetry,
        mut record: SessionRecord,
        earlier_clicks: u64,
        midi: Option<MidiLive>,
    ) -> CommandResult {
        record.underruns += playing.health.underruns.load(Ordering::Relaxed);
        record.clicks = earlier_clicks + last.clicks;
        let reached = last.session_frame as f64 / f64::from(playing.plan.rate().0);
        outln!(
            "{}",
            summary(self.timeline, &record, reached, last.finished)
        );
        for line in midi.map(MidiLive::finish).unwrap_or_default() {
            outln!("{line}");
        }
        if let Some(health) = playing.listener.as_ref().map(|l| &l.health) {
            let dropped = health.dropped.load(Ordering::Relaxed);
            let overruns = health.overruns.load(Ordering::Relaxed);
            if dropped + overruns > 0 {
                outln!(
                    "Microphone: {dropped} samples lost (the detector fell behind), {overruns} device overruns."
                );
            }
        }
        Ok(())
    }

    /// The device vanished: reopen the default one and carry on where the
    /// session clock would be now, as if the clicks had never stopped.
    fn reopen(
        &self,
        last: &Telemetry,
        last_seen: Instant,
        sr: f64,
    ) -> Result<(Playing, f64), Failure> {
        let deadline = Instant::now() + REOPEN_FOR;
        let request = OutputRequest {
            device: None,
            ..self.request.clone()
        };
        loop {
            let gap = if last.paused {
                0.0
            } else {
                last_seen.elapsed().as_secs_f64()
            };
            let t = last.session_frame as f64 / sr + gap;
            match self.open(&request, Some((t, last.nudge_spm))) {
                Ok(playing) => {
                    outln!(
                        "Back on {}, the session at {t:.2} s.",
                        playing.plan.device_name
                    );
                    return Ok((playing, t));
                }
                Err(failure) if Instant::now() > deadline => return Err(failure),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }
}

/// What a judged step means for the runner: the meter, the coach's voice,
/// the clicks' fade.
fn act_on(
    judgement: Judgement,
    playing: &mut Playing,
    ui: &mut SessionUi,
    record: &mut SessionRecord,
) {
    match judgement {
        Judgement::Step {
            session_s,
            offset_ms,
            cadence_spm,
        } => {
            record.heard_steps += 1;
            record.offsets_ms.push(offset_ms);
            ui.heard_step(session_s, offset_ms, cadence_spm);
        }
        Judgement::Warning(warning) => {
            record.warnings.push(warning);
            ui.warning(format!("{}  {}", clock_text(warning.t), warning.text));
            let kind = WarningKind::ALL.iter().position(|k| *k == warning.kind);
            if let Some(clip) = kind.and_then(|k| playing.warning_clips.get(k)) {
                let _ = playing.controls.commands.push(Command::Say(*clip));
            }
        }
        Judgement::Fade(gain) => {
            let _ = playing.controls.commands.push(Command::SetFade(gain));
        }
    }
}

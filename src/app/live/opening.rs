//! What plays on each stream the stream manager opens: the session's
//! renderer at the device's rate (from the one builder), started after a
//! short lead-in or resumed where the lost stream left off, with its music
//! (`--music`) and with `--mic` a microphone listening to it.

use std::sync::mpsc::Sender;
use std::sync::Arc;

use rtrb::RingBuffer;

use super::events::SessionEvent;
use super::mic::{MicSetup, Microphone, OwnSounds};
use super::music::LiveMusic;
use crate::app::failure::Failure;
use crate::app::session_build::build_renderer;
use crate::app::session_spec::{MicSpec, SessionSpec};
use crate::app::sound_choice::click_sounds;
use crate::app::speech_setup::{ClipHolding, LivePhrase};
use crate::clock::Stamp;
use crate::detect::WarningKind;
use crate::engine::earcons::Earcon;
use crate::engine::LiveEngine;
use crate::io::input::start_capture;
use crate::io::output::{OutputError, OutputPlan};
use crate::io::stream_manager::{Resume, StreamParts};
use crate::units::SampleRate;

/// Silence before the first click: a stream's first periods may glitch.
const LEAD_IN_S: f64 = 0.25;
/// Output callback stamps kept for the microphone worker.
const OUTPUT_STAMPS: usize = 4096;

/// The detector's warnings as the coach says them (or their earcons), in
/// the order of `WarningKind::ALL`.
pub const WARNING_PHRASES: [LivePhrase; 5] = [
    (WarningKind::CadenceLow.text(), Earcon::Rising),
    (WarningKind::Lagging.text(), Earcon::Reminder),
    (WarningKind::SlowBelt.text(), Earcon::Falling),
    (WarningKind::WalkBreak.text(), Earcon::Finish),
    (WarningKind::Recovered.text(), Earcon::Chime),
];

type Opened = Result<StreamParts<Option<Microphone>>, Failure>;

/// The stream manager's `open`, for this session.
pub fn opener(
    spec: Arc<SessionSpec>,
    music: Option<Arc<LiveMusic>>,
    events: Sender<SessionEvent>,
) -> impl FnMut(&OutputPlan, Option<Resume>) -> Opened + Send + 'static {
    move |plan, resume| open_stream(&spec, music.as_deref(), plan, resume, &events)
}

fn open_stream(
    spec: &SessionSpec,
    music: Option<&LiveMusic>,
    plan: &OutputPlan,
    resume: Option<Resume>,
    events: &Sender<SessionEvent>,
) -> Opened {
    let live: &[LivePhrase] = if spec.hears_steps() {
        &WARNING_PHRASES
    } else {
        &[]
    };
    let built = build_renderer(spec, plan.rate(), live, ClipHolding::InMemory)?;
    let mut renderer = built.renderer;
    match resume {
        Some(resume) => renderer.jump_to(resume.session_s, resume.nudge_spm),
        None => renderer.set_lead_in((LEAD_IN_S * f64::from(plan.rate().0)) as u64),
    }
    if let Some(music) = music {
        music.attach(&mut renderer, plan.rate())?;
    }
    let _ = events.send(SessionEvent::WarningClips(built.live_clips));
    let (mut engine, controls) = LiveEngine::new(renderer);
    let (stamps, companion) = match &spec.mic {
        Some(mic) => {
            let own_sounds = OwnSounds {
                marks: engine.own_sound_feed(),
                music: engine.music_tap(),
            };
            let (stamps, stamps_rx) = RingBuffer::new(OUTPUT_STAMPS);
            let microphone = open_mic(spec, mic, plan.rate(), stamps_rx, own_sounds, events)?;
            (Some(stamps), Some(microphone))
        }
        None => (None, None),
    };
    Ok(StreamParts {
        engine,
        controls,
        stamps,
        companion,
    })
}

/// Opens the microphone and starts the detector's worker on it.
fn open_mic(
    spec: &SessionSpec,
    mic: &MicSpec,
    output_rate: SampleRate,
    output_stamps: rtrb::Consumer<Stamp>,
    own_sounds: OwnSounds,
    events: &Sender<SessionEvent>,
) -> Result<Microphone, Failure> {
    let capture = start_capture(mic.device.as_deref(), output_rate.0).map_err(|e| {
        if e.is_invalid_request() {
            Failure::invalid(e.to_string())
        } else {
            Failure::device(e.to_string())
        }
    })?;
    let click_sound = click_sounds(&spec.sound, SampleRate(capture.sample_rate))
        .ok()
        .map(|s| s.accent);
    let setup = MicSetup {
        output_rate: output_rate.0,
        latency_s: mic.latency_s,
        click_sound,
        gate_voice: mic.voice_reaches_mic,
    };
    Ok(Microphone::start(
        capture,
        output_stamps,
        own_sounds,
        &spec.timeline,
        setup,
        events.clone(),
    ))
}

impl From<OutputError> for Failure {
    fn from(error: OutputError) -> Failure {
        if error.is_invalid_request() {
            Failure::invalid(error.to_string())
        } else {
            Failure::device(error.to_string())
        }
    }
}

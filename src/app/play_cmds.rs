//! `treadbeat run PROFILE` and `treadbeat click SPM`: resolve everything
//! (profile, sound, device request) before a device is opened, then hand
//! over to the live session.

use super::cli::{ClickArgs, MicArgs, MidiArgs, OutputArgs, RunArgs};
use super::console::out;
use super::failure::{CommandResult, Failure};
use super::live_session::{LiveSession, MicRequest};
use super::sound_choice::parse_sound_flag;
use super::source::load_timeline;
use super::voice::speech_settings;
use crate::detect::Tolerances;
use crate::engine::ClickStyle;
use crate::io::config::{load_calibration, TAP_METHOD};
use crate::io::output::OutputRequest;
use crate::io::speech::SpeechSettings;
use crate::plan::quantity::parse_duration;
use crate::plan::{ClickSettings, Timeline};
use crate::shipped::DEFAULT_PROFILE;

/// Round trip assumed before any calibration: a laptop's default buffers
/// (measured 20–30 ms through PulseAudio here; see docs/figures.md).
const UNCALIBRATED_MS: f64 = 30.0;

fn request(output: &OutputArgs) -> OutputRequest {
    OutputRequest {
        device: output.device.clone(),
        buffer: output.buffer,
        sample_rate: output.sample_rate,
    }
}

pub fn run(args: &RunArgs) -> CommandResult {
    let profile = args.profile.as_deref().unwrap_or(DEFAULT_PROFILE);
    let (_, mut timeline) = load_timeline(profile)?;
    if let Some(level) = args.voice.coach {
        timeline.coach.level = level;
    }
    let speech = if args.voice.no_voice {
        None
    } else {
        Some(speech_settings(&args.voice, &timeline.coach)?)
    };
    let mic = mic_request(&args.mic)?;
    let listening = Listening {
        mic,
        tolerances: args.drift.tolerances(),
    };
    play(
        &timeline,
        &args.output,
        &args.midi,
        !args.no_count_in,
        speech,
        listening,
    )
}

/// Who listens to the steps, and when the coach speaks up.
#[derive(Default)]
struct Listening {
    mic: Option<MicRequest>,
    tolerances: Tolerances,
}

/// `--mic` with its latency: the flag's, else the calibration's, else a
/// typical figure with a line saying so. A calibration made by tapping
/// means headphones: the microphone cannot hear the coach's voice, so the
/// detector keeps listening while it speaks.
fn mic_request(args: &MicArgs) -> Result<Option<MicRequest>, Failure> {
    let Some(device) = &args.mic else {
        return Ok(None);
    };
    let calibration = load_calibration().map_err(|e| Failure::invalid(e.to_string()))?;
    let latency_ms = match (args.latency, &calibration) {
        (Some(ms), _) => ms,
        (None, Some(calibration)) => calibration.latency_ms,
        (None, None) => {
            eprintln!(
                "treadbeat: no calibration yet; assuming {UNCALIBRATED_MS} ms of round trip (run `treadbeat calibrate` for true beat offsets)"
            );
            UNCALIBRATED_MS
        }
    };
    let headphones = calibration.is_some_and(|c| c.method == TAP_METHOD);
    Ok(Some(MicRequest {
        device: (!device.is_empty()).then(|| device.clone()),
        latency_s: latency_ms / 1000.0,
        faded_feedback: args.fade,
        voice_reaches_mic: !headphones,
    }))
}

/// `--sound` over the timeline's own sound, then the live session.
fn play(
    timeline: &Timeline,
    output: &OutputArgs,
    midi: &MidiArgs,
    count_in: bool,
    speech: Option<SpeechSettings>,
    listening: Listening,
) -> CommandResult {
    let sound = output
        .sound
        .as_deref()
        .map_or_else(|| timeline.click.sound.clone(), parse_sound_flag);
    let style = ClickStyle::from_settings(&timeline.click, count_in);
    LiveSession {
        timeline,
        sound,
        style,
        request: request(output),
        speech,
        mic: listening.mic,
        tolerances: listening.tolerances,
        midi: super::midi_args::resolve(midi)?,
    }
    .run()
}

pub fn click(args: &ClickArgs) -> CommandResult {
    let duration_s = match &args.duration {
        Some(text) => parse_duration(text)
            .ok()
            .filter(|s| *s > 0.0 && *s <= 24.0 * 3600.0)
            .ok_or_else(|| {
                Failure::invalid(format!(
                    "--for {text}: write a time like \"20m\", \"45s\" or \"1:30:00\""
                ))
            })?,
        None => 24.0 * 3600.0,
    };
    let settings = ClickSettings {
        accent: args.accent,
        count_in: 0,
        ..ClickSettings::default()
    };
    let timeline = Timeline::metronome(args.spm, duration_s, settings);
    play(
        &timeline,
        &args.output,
        &args.midi,
        false,
        None,
        Listening::default(),
    )
}

pub fn devices() -> CommandResult {
    let text = crate::io::devices::describe_devices()
        .map_err(|e| Failure::device(format!("cannot list audio devices: {e}")))?;
    out!("{text}");
    out!("{}", midi_ports_text());
    Ok(())
}

/// The MIDI section of `devices`: ports, or why there are none.
#[cfg(feature = "midi")]
fn midi_ports_text() -> String {
    match crate::io::midi::ports::list_ports() {
        Ok((inputs, outputs)) => {
            let list = |names: Vec<String>| {
                if names.is_empty() {
                    "  (none)\n".to_string()
                } else {
                    names.iter().map(|n| format!("  {n}\n")).collect()
                }
            };
            format!(
                "\nMIDI outputs (for --midi-out; \"virtual\" opens a port named treadbeat):\n{}\nMIDI inputs (for --midi-in):\n{}",
                list(outputs),
                list(inputs)
            )
        }
        Err(crate::io::midi::MidiError::Unavailable(reason)) => {
            format!("\nMIDI: unavailable ({reason})\n")
        }
        Err(error) => format!("\nMIDI: unavailable ({error})\n"),
    }
}

#[cfg(not(feature = "midi"))]
fn midi_ports_text() -> String {
    "\nMIDI: unavailable (built without the `midi` feature)\n".to_string()
}

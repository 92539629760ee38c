//! What a session is, resolved once: the flags of `run`, `click`, `render`
//! or `calibrate`, the profile, the config file and the defaults become one
//! `SessionSpec` before anything is built or opened. Flags win over the
//! profile, the profile over the config file, the config file over the
//! defaults; every later stage reads the spec, never the flags.

use std::path::{Path, PathBuf};

use super::cli::{ClickArgs, MicArgs, RenderArgs, RunArgs, VoiceArgs};
use super::failure::Failure;
#[cfg(feature = "audio")]
use super::midi_args::MidiSetup;
use super::sound_choice::parse_sound_flag;
use super::source::{check_music_path, load, music_path};
use super::speech_setup::speech_settings;
use crate::detect::Tolerances;
use crate::engine::ClickStyle;
use crate::io::config::{load_calibration, TAP_METHOD};
use crate::io::speech::SpeechSettings;
use crate::plan::quantity::parse_duration;
use crate::plan::{ClickSettings, ClickSound, MusicSettings, SoundName, Timeline};
use crate::shipped::DEFAULT_PROFILE;

/// Round trip assumed before any calibration: a laptop's default buffers
/// (measured 20–30 ms through PulseAudio here; see docs/figures.md).
const UNCALIBRATED_MS: f64 = 30.0;
/// `click SPM` without `--for` plays for a day: longer than any run.
const ENDLESS_CLICK_S: f64 = 24.0 * 3600.0;
/// Clicks per minute while calibrating: far enough apart that no echo or
/// room ring is mistaken for the next click.
const CALIBRATION_SPM: f64 = 100.0;

/// Everything a session plays and listens for.
pub struct SessionSpec {
    pub timeline: Timeline,
    /// What the session log keeps of where it came from: the profile's
    /// text, or the command line of a bare metronome.
    pub source_text: String,
    pub sound: ClickSound,
    pub style: ClickStyle,
    /// The coach's voice, or `None` for clicks only.
    pub speech: Option<SpeechSettings>,
    /// The footstrike detector's microphone, or `None`.
    pub mic: Option<MicSpec>,
    /// When heard steps (microphone or drum trigger) draw a warning.
    pub tolerances: Tolerances,
    /// The runner's music (`--music` or `[music] path`), or `None`.
    pub music: Option<MusicSpec>,
    /// MIDI out and in for a live session, or `None` without MIDI flags.
    #[cfg(feature = "audio")]
    pub midi: Option<MidiSetup>,
}

/// The runner's music and how it plays.
#[derive(Debug, Clone)]
pub struct MusicSpec {
    /// A file, a folder or an M3U list.
    pub path: PathBuf,
    /// The profile's `[music]` table (its path overridden by `--music`).
    pub settings: MusicSettings,
}

/// `--mic [DEVICE]` with its round trip and what the microphone hears.
#[derive(Debug, Clone)]
pub struct MicSpec {
    pub device: Option<String>,
    pub latency_s: f64,
    pub faded_feedback: bool,
    /// The coach's voice reaches the microphone (speakers), so the detector
    /// must not listen while it speaks; false with headphones.
    pub voice_reaches_mic: bool,
}

impl SessionSpec {
    /// `treadbeat run [PROFILE]`.
    #[cfg(feature = "audio")]
    pub fn for_run(args: &RunArgs) -> Result<SessionSpec, Failure> {
        let profile = args.profile.as_deref().unwrap_or(DEFAULT_PROFILE);
        let (source_text, timeline, music) =
            coached_timeline(profile, &args.voice, args.music.as_deref())?;
        let speech = if args.voice.no_voice {
            None
        } else {
            Some(speech_settings(&args.voice, &timeline.coach)?)
        };
        Ok(SessionSpec {
            sound: sound_choice(args.output.sound.as_deref(), &timeline),
            style: ClickStyle::from_settings(&timeline.click, !args.no_count_in),
            speech,
            mic: mic_spec(&args.mic)?,
            tolerances: args.drift.tolerances(),
            midi: super::midi_args::resolve(&args.midi)?,
            music,
            timeline,
            source_text,
        })
    }

    /// `treadbeat click SPM [--for DURATION]`: a bare metronome.
    #[cfg(feature = "audio")]
    pub fn for_click(args: &ClickArgs) -> Result<SessionSpec, Failure> {
        let duration_s = match &args.duration {
            Some(text) => parse_duration(text)
                .ok()
                .filter(|s| *s > 0.0 && *s <= ENDLESS_CLICK_S)
                .ok_or_else(|| {
                    Failure::invalid(format!(
                        "--for {text}: write a time like \"20m\", \"45s\" or \"1:30:00\""
                    ))
                })?,
            None => ENDLESS_CLICK_S,
        };
        let settings = ClickSettings {
            accent: args.accent,
            count_in: 0,
            ..ClickSettings::default()
        };
        let timeline = Timeline::metronome(args.spm, duration_s, settings);
        let duration = args.duration.as_ref().map(|d| format!(" --for {d}"));
        Ok(SessionSpec {
            source_text: format!(
                "treadbeat click {}{}",
                args.spm,
                duration.unwrap_or_default()
            ),
            sound: sound_choice(args.output.sound.as_deref(), &timeline),
            style: ClickStyle::from_settings(&timeline.click, false),
            speech: None,
            mic: None,
            tolerances: Tolerances::default(),
            midi: super::midi_args::resolve(&args.midi)?,
            music: args.music.clone().map(|path| MusicSpec {
                path,
                settings: MusicSettings::default(),
            }),
            timeline,
        })
    }

    /// `treadbeat render PROFILE`: the speech settings are checked even
    /// with `--no-voice`, so a bad `--speech-command` fails either way.
    pub fn for_render(args: &RenderArgs) -> Result<SessionSpec, Failure> {
        let (source_text, timeline, music) =
            coached_timeline(&args.profile, &args.voice, args.music.as_deref())?;
        let speech = speech_settings(&args.voice, &timeline.coach)?;
        Ok(SessionSpec {
            source_text,
            sound: sound_choice(args.sound.as_deref(), &timeline),
            style: ClickStyle::from_settings(&timeline.click, !args.no_count_in),
            speech: (!args.voice.no_voice).then_some(speech),
            mic: None,
            tolerances: Tolerances::default(),
            #[cfg(feature = "audio")]
            midi: None,
            music,
            timeline,
        })
    }

    /// `treadbeat calibrate`: plain wood-block clicks, slow and unaccented.
    #[cfg(feature = "audio")]
    pub fn for_calibration(seconds: f64) -> SessionSpec {
        let settings = ClickSettings {
            count_in: 0,
            ..ClickSettings::default()
        };
        SessionSpec {
            timeline: Timeline::metronome(CALIBRATION_SPM, seconds, settings),
            source_text: String::new(),
            sound: ClickSound::Builtin(SoundName::Woodblock),
            style: ClickStyle::PLAIN,
            speech: None,
            mic: None,
            tolerances: Tolerances::default(),
            midi: None,
            music: None,
        }
    }

    /// Whether steps are heard at all (microphone or a drum trigger), so
    /// the coach needs words for the detector's warnings.
    #[cfg(feature = "audio")]
    pub fn hears_steps(&self) -> bool {
        self.mic.is_some() || self.midi.as_ref().is_some_and(|m| m.input.is_some())
    }
}

/// The profile's text and timeline with `--coach LEVEL` over its
/// `[coach] level`, and its music: `--music` over its `[music] path`
/// (which must be there).
fn coached_timeline(
    profile: &str,
    voice: &VoiceArgs,
    music_flag: Option<&Path>,
) -> Result<(String, Timeline, Option<MusicSpec>), Failure> {
    let loaded = load(profile)?;
    let path = match music_flag {
        Some(path) => Some(path.to_path_buf()),
        None => {
            check_music_path(&loaded)?;
            music_path(&loaded.profile).map(|(path, _)| path)
        }
    };
    let mut timeline = loaded.timeline;
    if let Some(level) = voice.coach {
        timeline.coach.level = level;
    }
    let music = path.map(|path| MusicSpec {
        path,
        settings: timeline.music.clone(),
    });
    Ok((loaded.source.text, timeline, music))
}

/// `--sound` over the timeline's own sound.
fn sound_choice(flag: Option<&str>, timeline: &Timeline) -> ClickSound {
    flag.map_or_else(|| timeline.click.sound.clone(), parse_sound_flag)
}

/// `--mic` with its latency: the flag's, else the calibration's, else a
/// typical figure with a line saying so. A calibration made by tapping
/// means headphones: the microphone cannot hear the coach's voice, so the
/// detector keeps listening while it speaks.
fn mic_spec(args: &MicArgs) -> Result<Option<MicSpec>, Failure> {
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
    Ok(Some(MicSpec {
        device: (!device.is_empty()).then(|| device.clone()),
        latency_s: latency_ms / 1000.0,
        faded_feedback: args.fade,
        voice_reaches_mic: !headphones,
    }))
}

//! The command line, as clap derives it. Values are parsed here only as far
//! as their syntax; `resolve`-style checks happen in each command.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::detect::Tolerances;
use crate::plan::limits::CADENCE_RANGE;

pub use super::history_args::{
    CheckinArgs, ExportArgs, HistoryArgs, NextArgs, ReportArgs, ShowArgs,
};
pub use super::midi_args::{MidiArgs, MidiNoteArgs};

#[derive(Debug, Parser)]
#[command(
    name = "treadbeat",
    version,
    about = "A cadence metronome and audio coach for runners on a treadmill",
    long_about = "A cadence metronome and audio coach for runners on a treadmill.\n\n\
        Plays a click on every step at the target cadence and walks you through \
        structured workouts (profiles). PROFILE is a .toml file or the name of a \
        shipped workout (see `treadbeat profiles`)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Play a workout live: clicks on every step, the plan on screen
    #[cfg(feature = "audio")]
    #[command(
        after_help = "Examples:\n  treadbeat run easy-run\n  treadbeat run tempo-intervals --mic --coach chatty\n  treadbeat run my-workout.toml --no-voice --buffer 256\n\nKeys: space pause/resume, + and - nudge the cadence, n next step, q quit."
    )]
    Run(RunArgs),
    /// A plain metronome at SPM steps per minute
    #[cfg(feature = "audio")]
    #[command(
        after_help = "Examples:\n  treadbeat click 170\n  treadbeat click 178 --for 20m --accent 2\n  treadbeat click 165 --sound clave"
    )]
    Click(ClickArgs),
    /// List audio outputs and inputs with their rates and buffer sizes,
    /// then MIDI inputs and outputs
    #[cfg(feature = "audio")]
    #[command(after_help = "Example:\n  treadbeat devices")]
    Devices,
    /// Measure the round trip from a click played to the click heard by the
    /// microphone, and store it for `run --mic`
    #[cfg(feature = "audio")]
    #[command(
        after_help = "Examples:\n  treadbeat calibrate            (speakers: the microphone hears the clicks)\n  treadbeat calibrate --tap      (headphones: press Enter on every click)"
    )]
    Calibrate(CalibrateArgs),
    /// Print a profile's timeline: each step's start, length, cadence,
    /// speed and pace in both unit systems, stride length and distance
    #[command(
        after_help = "Examples:\n  treadbeat plan tempo-intervals\n  treadbeat plan my-workout.toml --cues --coach quiet\n  treadbeat plan easy-run --json"
    )]
    Plan(PlanArgs),
    /// Validate profiles; exit 0 only when every one is valid
    #[command(
        after_help = "Examples:\n  treadbeat check my-workout.toml\n  treadbeat check profiles/*.toml"
    )]
    Check(CheckArgs),
    /// List the workouts shipped with treadbeat
    #[command(after_help = "Example:\n  treadbeat profiles")]
    Profiles,
    /// Render a whole session (count-in, clicks and the coach's voice) to a
    /// WAV, FLAC or MP3 file, for a phone or music player on an outdoor
    /// run, and/or its click track to a standard MIDI file for a DAW
    #[command(
        after_help = "Examples:\n  treadbeat render easy-run -o easy-run.mp3\n  treadbeat render tempo-intervals -o tempo.flac --sound clave\n  treadbeat render pyramid -o pyramid.wav --midi pyramid.mid --no-count-in"
    )]
    Render(RenderArgs),
    /// Find the footsteps in a recording: step times, cadence over time,
    /// and against a profile or cadence the beat offsets and warnings
    #[command(
        after_help = "Examples:\n  treadbeat detect run.wav\n  treadbeat detect run.flac --cadence 172\n  treadbeat detect run.wav --profile tempo-intervals --start 1.4 --json"
    )]
    Detect(DetectArgs),
    /// A music file's tempo and beats: BPM, how sure, beat and downbeat
    /// times (analysed once per file, then cached)
    #[command(
        after_help = "Examples:\n  treadbeat beats song.mp3\n  treadbeat beats song.flac --json"
    )]
    Beats(BeatsArgs),
    /// List the sessions you have run, newest first
    #[command(after_help = "Examples:\n  treadbeat history\n  treadbeat history --json")]
    History(HistoryArgs),
    /// One session step by step: cadence against target, time in band,
    /// drift, fatigue, warnings, and a cadence chart
    #[command(after_help = "Examples:\n  treadbeat show\n  treadbeat show 12")]
    Show(ShowArgs),
    /// Record hip pain and effort for a session
    #[command(
        after_help = "Examples:\n  treadbeat checkin --pain 2 --effort 6\n  treadbeat checkin 12 --pain 3"
    )]
    Checkin(CheckinArgs),
    /// Write a session as a FIT, TCX or CSV file for a watch app
    #[command(
        after_help = "Examples:\n  treadbeat export -o run.fit\n  treadbeat export 12 -o run.tcx\n  treadbeat export -o run.csv"
    )]
    Export(ExportArgs),
    /// A progress report: a session's cadence against its target, and the
    /// weekly trends of cadence, time in band, drift and pain
    #[command(
        after_help = "Examples:\n  treadbeat report -o report.html\n  treadbeat report --since 12w -o progress.png\n  treadbeat report 12 -o session.svg"
    )]
    Report(ReportArgs),
    /// Your next cadence-builder session, from your baseline and how the
    /// last sessions went, written as a profile
    #[command(
        after_help = "Examples:\n  treadbeat next -o next.toml && treadbeat run next.toml --mic\n  treadbeat next --baseline 162"
    )]
    Next(NextArgs),
    /// Print shell completions for treadbeat
    #[command(
        after_help = "Examples:\n  treadbeat completions bash > ~/.local/share/bash-completion/completions/treadbeat\n  treadbeat completions zsh > ~/.zfunc/_treadbeat\n  treadbeat completions fish > ~/.config/fish/completions/treadbeat.fish"
    )]
    Completions(CompletionsArgs),
    /// Print treadbeat's man page (roff)
    #[command(after_help = "Example:\n  treadbeat man > treadbeat.1 && man ./treadbeat.1")]
    Man,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// Output device (a name from `treadbeat devices`) [default: the system's]
    #[arg(long, value_name = "NAME")]
    pub device: Option<String>,
    /// Microphone (an input from `treadbeat devices`) [default: the system's]
    #[arg(long, value_name = "NAME")]
    pub mic: Option<String>,
    /// With headphones: press Enter on every click instead of recording them
    #[arg(long)]
    pub tap: bool,
    /// How long to play clicks, in seconds
    #[arg(long, default_value_t = 12.0, value_parser = within(4.0, 120.0))]
    pub seconds: f64,
}

#[derive(Debug, clap::Args)]
pub struct DetectArgs {
    /// The recording (WAV, FLAC, Ogg Vorbis, MP3, or M4A as phones record;
    /// any rate, mono or stereo)
    pub recording: PathBuf,
    /// Align against a steady beat at SPM, starting with the recording
    #[arg(long, value_name = "SPM", value_parser = parse_cadence_flag, conflicts_with = "profile")]
    pub cadence: Option<f64>,
    /// Align against a profile's clicks (a file or a shipped workout name)
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,
    /// The times clicks were played (a file: seconds of session time, one
    /// a line): heard in the recording, they are never counted as steps.
    /// A profile's clicks are used so without it
    #[arg(long, value_name = "FILE")]
    pub clicks: Option<PathBuf>,
    /// Where session t = 0 is in the recording, in seconds (e.g. after a
    /// rendered count-in)
    #[arg(long, value_name = "SECONDS", default_value_t = 0.0, value_parser = within(0.0, 86400.0))]
    pub start: f64,
    /// Print the result as JSON: steps, cadence, offsets_ms, warnings
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub drift: DriftArgs,
}

#[derive(Debug, clap::Args)]
pub struct BeatsArgs {
    /// The music file (MP3, FLAC, Ogg Vorbis, WAV or M4A)
    pub file: PathBuf,
    /// Print {"tempo", "confidence", "beats", "beats_per_bar", "downbeats"} as JSON
    #[arg(long)]
    pub json: bool,
}

/// A cadence in steps per minute, within the range a profile allows.
pub(super) fn parse_cadence_flag(text: &str) -> Result<f64, String> {
    let (lo, hi) = CADENCE_RANGE;
    let spm: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of steps per minute"))?;
    if (lo..=hi).contains(&spm) {
        Ok(spm)
    } else {
        Err(format!("{spm} spm is outside {lo} to {hi}"))
    }
}

#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// A profile file or the name of a shipped workout
    pub profile: String,
    /// Print the plan as JSON for other programs
    #[arg(long)]
    pub json: bool,
    /// List the coach's cues (what is said, and when) instead of the steps
    #[arg(long)]
    pub cues: bool,
    /// How much the coach says [default: the profile's `[coach] level`, else normal]
    #[arg(long, value_name = "LEVEL", value_enum)]
    pub coach: Option<crate::coach::CoachLevel>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Profile files (or shipped workout names) to validate
    #[arg(required = true)]
    pub profiles: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// A profile file or the name of a shipped workout
    pub profile: String,
    /// The audio file to write; its extension picks the format: .wav
    /// (16-bit PCM, RF64 past 4 GiB), .flac (lossless, about a third of
    /// the size) or .mp3 (for phones, about a tenth); optional with --midi
    #[arg(short, long, value_name = "OUT", required_unless_present = "midi")]
    pub output: Option<PathBuf>,
    /// Also (or only) write the click track as a standard MIDI file: a
    /// note per step and a tempo map, aligned with the WAV's first sample
    #[arg(long, value_name = "OUT.mid")]
    pub midi: Option<PathBuf>,
    #[command(flatten)]
    pub midi_notes: MidiNoteArgs,
    /// Output sample rate in Hz
    #[arg(long, value_name = "HZ", default_value_t = 48000, value_parser = clap::value_parser!(u32).range(8000..=192000))]
    pub sample_rate: u32,
    /// One channel instead of two (alternating left/right clicks are folded)
    #[arg(long)]
    pub mono: bool,
    /// Leave the count-in out: session t = 0 is the file's first sample
    #[arg(long)]
    pub no_count_in: bool,
    #[command(flatten)]
    pub voice: VoiceArgs,
    /// Click sound: woodblock, beep, clave, cowbell, hihat, or an audio file
    #[arg(long, value_name = "SOUND")]
    pub sound: Option<String>,
    /// Your music, every beat on a click: a file, a folder or an M3U
    /// playlist; tracks whose tempo (or its half or double) is within 10 %
    /// of the cadence are stretched to it, the others skipped
    #[arg(long, value_name = "PATH")]
    pub music: Option<PathBuf>,
}

/// Where and how live audio plays.
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArgs {
    /// Output device (a name from `treadbeat devices`) [default: the system's]
    #[arg(long, value_name = "NAME")]
    pub device: Option<String>,
    /// Buffer size in frames (smaller is lower latency) [default: 1024]
    #[arg(long, value_name = "FRAMES", value_parser = clap::value_parser!(u32).range(16..=16384))]
    pub buffer: Option<u32>,
    /// Sample rate in Hz [default: 48000 where the device offers it]
    #[arg(long, value_name = "HZ", value_parser = clap::value_parser!(u32).range(8000..=192000))]
    pub sample_rate: Option<u32>,
    /// Click sound: woodblock, beep, clave, cowbell, hihat, or an audio file
    #[arg(long, value_name = "SOUND")]
    pub sound: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// A profile file or the name of a shipped workout [default: easy-run]
    pub profile: Option<String>,
    /// Start on the first step without the count-in
    #[arg(long)]
    pub no_count_in: bool,
    #[command(flatten)]
    pub voice: VoiceArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub mic: MicArgs,
    #[command(flatten)]
    pub drift: DriftArgs,
    #[command(flatten)]
    pub midi: MidiArgs,
    /// Your music, every beat on a click: a file, a folder or an M3U
    /// playlist; tracks whose tempo (or its half or double) is within 10 %
    /// of the cadence are stretched to it, the others skipped
    #[arg(long, value_name = "PATH")]
    pub music: Option<PathBuf>,
}

/// When the coach warns that the steps are drifting (the microphone or a
/// drum trigger live, and `detect`).
#[derive(Debug, Clone, clap::Args)]
pub struct DriftArgs {
    /// Warn when the running cadence is this many percent under the target
    #[arg(long, value_name = "PCT", default_value_t = Tolerances::default().cadence_tolerance_pct, value_parser = within(0.5, 20.0))]
    pub cadence_tolerance: f64,
    /// Warn when the steps are this many ms behind the beat
    #[arg(long, value_name = "MS", default_value_t = Tolerances::default().lag_tolerance_ms, value_parser = within(10.0, 300.0))]
    pub lag_tolerance: f64,
    /// ... once it has held this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = Tolerances::default().hold_s, value_parser = within(1.0, 60.0))]
    pub warn_after: f64,
}

impl DriftArgs {
    pub fn tolerances(&self) -> Tolerances {
        Tolerances {
            cadence_tolerance_pct: self.cadence_tolerance,
            lag_tolerance_ms: self.lag_tolerance,
            hold_s: self.warn_after,
            ..Tolerances::default()
        }
    }
}

/// A parser for a number within [lo, hi].
fn within(lo: f64, hi: f64) -> impl Fn(&str) -> Result<f64, String> + Clone {
    move |text: &str| {
        let x: f64 = text
            .parse()
            .map_err(|_| format!("`{text}` is not a number"))?;
        if (lo..=hi).contains(&x) {
            Ok(x)
        } else {
            Err(format!("{x} is not between {lo} and {hi}"))
        }
    }
}

/// The footstrike detector, live.
#[derive(Debug, Clone, clap::Args)]
pub struct MicArgs {
    /// Listen for footsteps through a microphone (the default input, or
    /// DEVICE from `treadbeat devices`) and warn when they fall behind
    #[arg(long, value_name = "DEVICE", num_args = 0..=1, default_missing_value = "")]
    pub mic: Option<String>,
    /// Faded feedback: the clicks fade out while you hold the cadence and
    /// come back when you drift (needs --mic)
    #[arg(long, requires = "mic")]
    pub fade: bool,
    /// Round-trip latency in ms, instead of the one `treadbeat calibrate`
    /// stored (needs --mic)
    #[arg(long, value_name = "MS", requires = "mic", value_parser = within(0.0, 1000.0))]
    pub latency: Option<f64>,
}

#[derive(Debug, clap::Args)]
pub struct ClickArgs {
    /// Steps per minute (60 to 240)
    #[arg(value_parser = parse_cadence_flag)]
    pub spm: f64,
    /// Stop after this long ("20m", "45s", "1:30:00") [default: until q]
    #[arg(long = "for", value_name = "DURATION")]
    pub duration: Option<String>,
    /// Accent every Nth click (0 = none)
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=64))]
    pub accent: u32,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub midi: MidiArgs,
    /// Your music, every beat on a click: a file, a folder or an M3U
    /// playlist; tracks whose tempo (or its half or double) is within 10 %
    /// of the cadence are stretched to it, the others skipped
    #[arg(long, value_name = "PATH")]
    pub music: Option<PathBuf>,
}

/// The coach's voice; the profile's `[coach]` table unless a flag says otherwise.
#[derive(Debug, Clone, clap::Args)]
pub struct VoiceArgs {
    /// Clicks only: no spoken cues
    #[arg(long)]
    pub no_voice: bool,
    /// How much the coach says [default: the profile's `[coach] level`, else normal]
    #[arg(long, value_name = "LEVEL", value_enum)]
    pub coach: Option<crate::coach::CoachLevel>,
    /// Voice name for the speech command (espeak-ng: en, en-us, en-gb-x-rp, …)
    #[arg(long, value_name = "NAME")]
    pub voice: Option<String>,
    /// Speaking rate in words per minute (80 to 450)
    #[arg(long, value_name = "WPM", value_parser = clap::value_parser!(u32).range(80..=450))]
    pub speech_rate: Option<u32>,
    /// Voice level, 0.0 to 1.0 [default: the profile's `[coach] volume`, else 1.0]
    #[arg(long, value_name = "LEVEL", value_parser = parse_level)]
    pub voice_volume: Option<f32>,
    /// Speech command template writing a WAV: {out} the file, {text} the
    /// phrase, {voice}, {rate} [default: "espeak-ng -v {voice} -s {rate} -w {out} {text}"]
    #[arg(long, value_name = "TEMPLATE")]
    pub speech_command: Option<String>,
}

/// A level from 0.0 to 1.0.
fn parse_level(text: &str) -> Result<f32, String> {
    let level: f32 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if (0.0..=1.0).contains(&level) {
        Ok(level)
    } else {
        Err(format!("{level} is not between 0.0 and 1.0"))
    }
}

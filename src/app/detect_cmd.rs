//! `treadbeat detect REC`: the footstrike detector on a recording: the
//! steps, the cadence over time, and against a profile or a cadence the
//! offsets from the beat and the warnings the coach would have given.

use super::cli::DetectArgs;
use super::click_times::read_click_times;
use super::console::{out, outln};
use super::failure::{CommandResult, Failure};
use super::source::load_timeline;
use crate::detect::metronome::{find_metronomes_knowing, Metronome, Replay};
use crate::detect::params::{DetectorParams, MetronomeParams};
use crate::detect::repeating_music::{find_repeating_music, RepeatingMusic};
use crate::detect::{Analyser, Analysis, BeatPlan};
use crate::io::recording::{open_recording, read_mono, RecordingError, RecordingStats, LONGEST_S};
use crate::units::clock_text;
use std::path::Path;

/// Frames per block fed to the detector (10 ms at 48 kHz, as live).
const BLOCK: usize = 480;

fn recording_failure(error: RecordingError) -> Failure {
    if error.is_invalid_input() {
        Failure::invalid(error.to_string())
    } else {
        Failure::device(error.to_string())
    }
}

pub fn run(args: &DetectArgs) -> CommandResult {
    let timeline = args.profile.as_deref().map(load_timeline).transpose()?;
    let header = read_header(&args.recording)?;
    let plan = match (timeline, args.cadence) {
        (Some((_, timeline)), _) => Some(BeatPlan::from_timeline(&timeline)),
        (None, Some(spm)) => Some(BeatPlan::steady(spm, header.seconds)),
        (None, None) => None,
    };
    let start = args.start;
    let known_clicks = match (&args.clicks, &plan) {
        (Some(path), _) => read_click_times(path)?,
        (None, Some(plan)) if args.profile.is_some() => plan.beats().to_vec(),
        _ => Vec::new(),
    };
    let metronomes = metronomes_in(args, header.rate, &known_clicks);
    let mut music = repeating_music_in(args, header.rate);
    let mut analyser: Option<Analyser> = None;
    let tolerances = args.drift.tolerances();
    let mut skip = 0u64;
    let stats = read_mono(&args.recording, BLOCK, |block, rate| {
        // The session's t = 0 is `start` seconds in: drop what comes before.
        let before = (start * f64::from(rate)) as u64;
        let analyser = analyser.get_or_insert_with(|| {
            let mut analyser = Analyser::new(rate, plan.clone(), tolerances);
            analyser.expect_metronomes(&metronomes, before);
            if let Some(music) = music.take() {
                analyser.expect_repeating_music(music, before);
            }
            analyser
        });
        let from = (before.saturating_sub(skip) as usize).min(block.len());
        skip += block.len() as u64;
        analyser.feed(&block[from..]);
    })
    .map_err(recording_failure)?;
    let analysis = analyser.map(Analyser::finish).unwrap_or_default();
    if args.json {
        let json = serde_json::to_string_pretty(&analysis)
            .map_err(|e| Failure::device(format!("cannot write JSON: {e}")))?;
        outln!("{json}");
    } else {
        print_summary(args, &stats, &analysis);
    }
    Ok(())
}

/// What the recording's header tells before it is read.
struct Header {
    rate: u32,
    /// Its length (the longest a recording may be, if the header does
    /// not say).
    seconds: f64,
}

fn read_header(path: &Path) -> Result<Header, Failure> {
    let decoder = open_recording(path).map_err(recording_failure)?;
    Ok(Header {
        rate: decoder.sample_rate(),
        seconds: decoder
            .total_duration()
            .map_or(LONGEST_S, |length| length.as_secs_f64()),
    })
}

/// The recording played from its start to `sink`, for a quick pass
/// before the detector's. A read error shows in the detector's own pass,
/// with its message.
fn replay(path: &Path) -> Box<Replay<'_>> {
    Box::new(move |sink| {
        let _ = read_mono(path, BLOCK, |block, _| sink(block));
    })
}

/// The metronomes in the recording, found from the recording itself (two
/// quick passes before the detector's), the clicks played at `known`
/// (session time) among them where they are heard.
fn metronomes_in(args: &DetectArgs, rate: u32, known: &[f64]) -> Vec<Metronome> {
    let frames: Vec<u64> = known
        .iter()
        .map(|t| ((args.start + t) * f64::from(rate)).round() as u64)
        .collect();
    let params = MetronomeParams::default();
    find_metronomes_knowing(rate, &mut *replay(&args.recording), &frames, &params)
}

/// Music that repeats in the recording, if the detector listens for it
/// (`RepetitionParams::find`; one more pass).
fn repeating_music_in(args: &DetectArgs, rate: u32) -> Option<RepeatingMusic> {
    let params = DetectorParams::default().repetition;
    params
        .find
        .then(|| find_repeating_music(rate, &mut *replay(&args.recording), &params))
        .flatten()
}

fn print_summary(args: &DetectArgs, stats: &RecordingStats, analysis: &Analysis) {
    let name = args.recording.display();
    outln!(
        "{name}: {} ({} Hz, {} channel{})",
        clock_text(stats.seconds()),
        stats.sample_rate,
        stats.channels,
        if stats.channels == 1 { "" } else { "s" }
    );
    if stats.frames == 0 {
        outln!("The recording is empty: no steps.");
        return;
    }
    if stats.peak < 1e-4 {
        outln!("The recording is silent: no steps heard.");
        return;
    }
    let clipped = stats.clipped as f64 / (stats.frames as f64 * f64::from(stats.channels));
    if clipped > 0.001 {
        outln!(
            "{:.1} % of samples are clipped: the microphone was too loud; steps may be missed.",
            clipped * 100.0
        );
    }
    let steps = analysis.steps.len();
    if steps == 0 {
        outln!("No steps heard.");
        return;
    }
    let mut cadences: Vec<f64> = analysis.cadence.iter().map(|c| c.spm).collect();
    cadences.sort_by(f64::total_cmp);
    out!("Heard {steps} steps");
    if !cadences.is_empty() {
        let at = |p: f64| cadences[((cadences.len() - 1) as f64 * p).round() as usize];
        out!(
            "; cadence {:.0} spm (median), mostly {:.0} to {:.0}",
            at(0.5),
            at(0.1),
            at(0.9)
        );
    }
    outln!(".");
    if let Some(per_minute) = analysis.metronome_per_minute {
        outln!(
            "A metronome at {per_minute:.1} clicks a minute is in the recording: its clicks were not counted as steps."
        );
    }
    if !analysis.hum_hz.is_empty() {
        let tones: Vec<String> = analysis
            .hum_hz
            .iter()
            .map(|hz| format!("{hz:.0}"))
            .collect();
        outln!(
            "Steady tones taken out before listening (motor hum, mains, held notes): {} Hz.",
            tones.join(", ")
        );
    }
    if let Some(a) = analysis.asymmetry_pct {
        outln!("Left/right step-time difference over the last steps: {a:.1} %.");
    }
    if let Some(offsets) = &analysis.offsets_ms {
        let mut sorted = offsets.clone();
        sorted.sort_by(f64::total_cmp);
        let within = offsets.iter().filter(|o| o.abs() <= 25.0).count();
        outln!(
            "Against the beat: median offset {:+.0} ms (negative = early); {} of {steps} steps within ±25 ms.",
            sorted[sorted.len() / 2],
            within
        );
    }
    match &analysis.warnings {
        Some(warnings) if warnings.is_empty() => {
            outln!("The coach would have said nothing: the cadence held.")
        }
        Some(warnings) => {
            outln!("The coach would have said:");
            for w in warnings {
                outln!("  {}  {:<11} {}", clock_text(w.t), w.kind.name(), w.text);
            }
        }
        None => {}
    }
}

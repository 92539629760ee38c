//! `treadbeat render PROFILE -o OUT.wav [--midi OUT.mid]`: the whole
//! session, offline, through the same renderer the live stream uses; and
//! its click track as a standard MIDI file whose time 0 is the WAV's
//! first sample (the first count-in click, or t = 0 without count-in).

use std::path::Path;
use std::time::Instant;

use super::cli::RenderArgs;
use super::console::outln;
use super::failure::{CommandResult, Failure};
use super::midi_args::resolve_notes;
use super::music_library::MusicLibrary;
use super::music_render::add_music;
use super::output_paths::{refuse_clashes, Input};
use super::progress::RenderProgress;
use super::session_build::{build_midi_schedule, build_renderer, BuiltRenderer};
use super::session_spec::SessionSpec;
use super::speech_setup::ClipHolding;
use crate::io::output_file::write_bytes;
use crate::io::render_file::{write_session, AudioFormat};
use crate::midi::smf::click_track;
use crate::plan::ClickSound;
use crate::readout::count_text;
use crate::tempo::TempoMap;
use crate::units::{clock_text, SampleRate};

pub fn run(args: &RenderArgs) -> CommandResult {
    let spec = SessionSpec::for_render(args)?;
    check_outputs(args, &spec)?;
    // Resolve the MIDI notes before the long audio render: a bad config
    // fails at once.
    let notes = match &args.midi {
        Some(_) => Some(resolve_notes(&args.midi_notes)?),
        None => None,
    };
    if let Some(output) = &args.output {
        render_audio(args, &spec, output)?;
    }
    if let (Some(path), Some(notes)) = (&args.midi, notes) {
        let schedule = build_midi_schedule(&spec, notes);
        // File time 0 is the first count-in click, as in the WAV.
        let start_s = if spec.style.count_in {
            let map = TempoMap::from_timeline(&spec.timeline);
            let first = map.count_in_times().next();
            first.unwrap_or(0.0)
        } else {
            0.0
        };
        let (bytes, summary) = click_track(schedule, start_s, &spec.timeline.name);
        write_bytes(path, &bytes).map_err(Failure::io)?;
        outln!(
            "{}: {} notes (channel {}, note {}), {} tempo changes; time 0 is session t = {:.3} s",
            path.display(),
            count_text(summary.notes),
            notes.channel.user(),
            notes.note,
            count_text(summary.tempo_changes),
            start_s
        );
    }
    Ok(())
}

/// Refuses, before any work, an output that would overwrite an input or
/// the other output, and a format that cannot carry the rate.
fn check_outputs(args: &RenderArgs, spec: &SessionSpec) -> CommandResult {
    let profile = Path::new(&args.profile);
    let mut inputs = Vec::new();
    if profile.is_file() {
        inputs.push(Input {
            what: "profile",
            path: profile,
        });
    }
    if let ClickSound::File(path) = &spec.sound {
        inputs.push(Input {
            what: "click sound",
            path,
        });
    }
    let outputs: Vec<&Path> = [args.output.as_deref(), args.midi.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    refuse_clashes(&inputs, &outputs)?;
    if let Some(output) = &args.output {
        AudioFormat::from_path(output)
            .and_then(|format| format.check_rate(args.sample_rate))
            .map_err(Failure::invalid)?;
    }
    Ok(())
}

fn render_audio(args: &RenderArgs, spec: &SessionSpec, output: &Path) -> CommandResult {
    let rate = SampleRate(args.sample_rate);
    let BuiltRenderer {
        mut renderer,
        spoken_cues: spoken,
        ..
    } = build_renderer(spec, rate, &[], ClipHolding::OnDemand)?;
    if let Some(music) = &spec.music {
        let library = MusicLibrary::open(music)?;
        for line in add_music(&mut renderer, &spec.timeline, &library, rate) {
            outln!("music: {line}");
        }
    }
    let preroll = renderer.preroll();
    let channels = if args.mono { 1 } else { 2 };
    let started = Instant::now();
    let mut progress = RenderProgress::new();
    let written = write_session(&mut renderer, channels, output, &mut |done, total| {
        progress.update(done, total)
    });
    progress.finish();
    let frames = written.map_err(Failure::io)?;
    let seconds = frames as f64 / f64::from(rate.0);
    let elapsed = started.elapsed().as_secs_f64();
    outln!(
        "{}: {} of audio ({} Hz, {}), {} clicks, {spoken} coach cues; session t = 0 at frame {preroll}; rendered in {:.2} s ({:.0}x real time)",
        output.display(),
        clock_text(seconds),
        rate.0,
        if channels == 1 { "mono" } else { "stereo" },
        count_text(renderer.telemetry().clicks),
        elapsed,
        seconds / elapsed.max(1e-9),
    );
    Ok(())
}

//! `treadbeat render PROFILE -o OUT.wav`: the whole session, offline,
//! through the same renderer the live stream uses.

use std::time::Instant;

use super::cli::RenderArgs;
use super::failure::{CommandResult, Failure};
use super::format::count_text;
use super::sound_choice::{click_sounds, parse_sound_flag};
use super::source::load_timeline;
use super::voice::{speech_settings, speech_track};
use crate::engine::{renderer_for, ClickStyle};
use crate::io::wav::write_session;
use crate::units::{clock_text, SampleRate};

pub fn run(args: &RenderArgs) -> CommandResult {
    let (_, timeline) = load_timeline(&args.profile)?;
    let rate = SampleRate(args.sample_rate);
    let choice = args
        .sound
        .as_deref()
        .map_or_else(|| timeline.click.sound.clone(), parse_sound_flag);
    let sounds = click_sounds(&choice, rate)?;
    let style = ClickStyle::from_settings(&timeline.click, !args.no_count_in);
    let mut renderer = renderer_for(&timeline, sounds, style, rate);
    let speech = speech_settings(&args.voice, &timeline.coach)?;
    let mut spoken = 0;
    if !args.voice.no_voice {
        let (track, cues, _) = speech_track(&timeline, &speech, rate, &[]);
        renderer.set_speech(track, timeline.coach.duck);
        spoken = cues;
    }
    let preroll = renderer.preroll();
    let channels = if args.mono { 1 } else { 2 };
    let started = Instant::now();
    let frames = write_session(&mut renderer, channels, &args.output).map_err(Failure::io)?;
    let seconds = frames as f64 / f64::from(rate.0);
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{}: {} of audio ({} Hz, {}), {} clicks, {spoken} coach cues; session t = 0 at frame {preroll}; rendered in {:.2} s ({:.0}x real time)",
        args.output.display(),
        clock_text(seconds),
        rate.0,
        if channels == 1 { "mono" } else { "stereo" },
        count_text(renderer.telemetry().clicks),
        elapsed,
        seconds / elapsed.max(1e-9),
    );
    Ok(())
}

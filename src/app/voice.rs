//! The coach's voice for a session: every phrase rendered through the
//! speech command, the cues placed with their real lengths, the clips laid
//! on the engine's sample clock. Without a speech engine, one line says so
//! and the session goes on with clicks and text.

use super::cli::VoiceArgs;
use super::failure::Failure;
use crate::coach::{build_cues, phrases};
use crate::engine::SpeechTrack;
use crate::io::speech::{render_phrases, SpeechSettings};
use crate::plan::{CoachSettings, Timeline};
use crate::units::SampleRate;

/// The speech command, voice and rate: flags over the profile's `[coach]`.
/// `--speech-command` is split on spaces; each word is one argument and
/// `{text}` becomes the phrase as one argument.
pub fn speech_settings(args: &VoiceArgs, coach: &CoachSettings) -> Result<SpeechSettings, Failure> {
    let mut settings = SpeechSettings {
        voice: args.voice.clone().unwrap_or_else(|| coach.voice.clone()),
        rate_wpm: args.speech_rate.unwrap_or(coach.rate_wpm),
        ..SpeechSettings::default()
    };
    if let Some(command) = args.speech_command.as_deref() {
        let words: Vec<String> = command.split_whitespace().map(String::from).collect();
        if words.is_empty()
            || !words.iter().any(|w| w.contains("{out}"))
            || !words.iter().any(|w| w.contains("{text}"))
        {
            return Err(Failure::invalid(format!(
                "--speech-command \"{command}\": it needs {{out}} (a WAV file to write) and {{text}}"
            )));
        }
        settings.command = words;
    }
    Ok(settings)
}

/// The voice track, or `None` (with a one-line notice) when no speech
/// engine can be run.
pub fn speech_track(
    timeline: &Timeline,
    settings: &SpeechSettings,
    rate: SampleRate,
) -> Option<(SpeechTrack, usize)> {
    let texts = phrases(timeline);
    let rendered = match render_phrases(&texts, settings, rate) {
        Ok(rendered) => rendered,
        Err(error) => {
            eprintln!(
                "treadbeat: {error}; cues are shown as text only (install espeak-ng for the voice)"
            );
            return None;
        }
    };
    let sr = f64::from(rate.0);
    let length_s = |text: &str| {
        rendered
            .get(text)
            .map_or(0.0, |clip| clip.len() as f64 / sr)
    };
    let cues = build_cues(timeline, &length_s);
    let volume = timeline.coach.volume;
    let clips: Vec<Vec<f32>> = texts
        .iter()
        .map(|t| rendered[t].iter().map(|x| x * volume).collect())
        .collect();
    let schedule = cues
        .iter()
        .filter_map(|cue| {
            let clip = texts.binary_search(&cue.text).ok()?;
            Some(((cue.at_s.max(0.0) * sr).round() as u64, clip))
        })
        .collect::<Vec<_>>();
    let count = schedule.len();
    Some((SpeechTrack::new(clips, schedule), count))
}

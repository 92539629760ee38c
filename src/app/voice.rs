//! The coach's voice for a session: every phrase rendered through the
//! speech command, the cues placed with their real lengths, the clips laid
//! on the engine's sample clock. Without a speech engine, one line says so
//! and the session goes on with clicks and text.

use super::failure::Failure;
use crate::coach::{build_cues, phrases};
use crate::engine::SpeechTrack;
use crate::io::speech::{render_phrases, SpeechSettings};
use crate::plan::Timeline;
use crate::units::SampleRate;

/// `--speech-command` text -> an argument template (split on spaces; each
/// word is one argument, `{text}` becomes the phrase as one argument).
pub fn speech_settings(command: Option<&str>) -> Result<SpeechSettings, Failure> {
    let mut settings = SpeechSettings::default();
    if let Some(command) = command {
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
    let clips: Vec<Vec<f32>> = texts.iter().map(|t| rendered[t].clone()).collect();
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

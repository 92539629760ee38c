//! The coach's voice for a session: every phrase rendered through the
//! speech command, the cues placed with their real lengths, the clips laid
//! on the engine's sample clock. Without a speech engine, one line says so
//! and the session goes on with clicks and text.

use std::cell::RefCell;

use super::cli::VoiceArgs;
use super::failure::Failure;
use crate::coach::earcon_choice::earcon_for;
use crate::coach::{build_cues, estimated_speech_s, phrases, CoachLevel, Cue};
use crate::engine::earcons::Earcon;
use crate::engine::speech_track::ClipSource;
use crate::engine::SpeechTrack;
use crate::io::phrases_on_disk::PhrasesOnDisk;
use crate::io::speech::{
    phrase_files, phrase_lengths, render_phrases, SpeechError, SpeechSettings,
};
use crate::plan::{CoachSettings, Timeline};
use crate::units::SampleRate;

/// The speech command, voice and rate: flags over the profile's `[coach]`.
/// `--speech-command` is split on spaces; each word is one argument and
/// `{text}` becomes the phrase as one argument.
pub fn speech_settings(args: &VoiceArgs, coach: &CoachSettings) -> Result<SpeechSettings, Failure> {
    let profile = profile_speech(coach);
    let mut settings = SpeechSettings {
        voice: args.voice.clone().unwrap_or(profile.voice),
        rate_wpm: args.speech_rate.unwrap_or(profile.rate_wpm),
        volume: args.voice_volume.unwrap_or(profile.volume),
        ..profile
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

/// `--coach LEVEL` takes the names `[coach] level` takes.
impl clap::ValueEnum for CoachLevel {
    fn value_variants<'a>() -> &'a [Self] {
        &CoachLevel::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let help = match self {
            CoachLevel::Quiet => "the steps and their countdowns only",
            CoachLevel::Normal => "plus the profile's words, halfway, the send-off",
            CoachLevel::Chatty => "plus thirty seconds left and form reminders",
        };
        Some(clap::builder::PossibleValue::new(self.name()).help(help))
    }
}

/// The profile's `[coach]` voice, rate and volume through the default
/// speech command.
pub fn profile_speech(coach: &CoachSettings) -> SpeechSettings {
    SpeechSettings {
        voice: coach.voice.clone(),
        rate_wpm: coach.rate_wpm,
        volume: coach.volume,
        ..SpeechSettings::default()
    }
}

/// A phrase the coach may need at a moment no schedule knows (the
/// detector's warnings), with the earcon that stands for it without a voice.
pub type LivePhrase = (&'static str, Earcon);

/// The coach's voice for one session, ready for the renderer.
pub struct CoachVoice {
    pub track: SpeechTrack,
    /// Cues placed on the track.
    pub cues: usize,
    /// The clip of each live phrase asked for, in order (for `Command::Say`).
    pub live_clips: Vec<usize>,
}

/// How a session holds the phrases it may say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClipHolding {
    /// All in memory: a live session (the audio thread may not read files).
    InMemory,
    /// Read from the speech cache as each is reached: an offline render.
    OnDemand,
}

/// The voice track; where no speech engine can be run, a one-line notice
/// and a track of earcons instead.
pub fn speech_track(
    timeline: &Timeline,
    settings: &SpeechSettings,
    rate: SampleRate,
    live: &[LivePhrase],
    holding: ClipHolding,
) -> CoachVoice {
    let spoken = spoken_cues(timeline, settings, rate).and_then(|cues| {
        let mut texts: Vec<String> = cues.iter().map(|c| c.text.clone()).collect();
        texts.extend(live.iter().map(|(text, _)| text.to_string()));
        Ok((cues, voice_clips(&texts, settings, rate, holding)?))
    });
    let (cues, (texts, clips)) = match spoken {
        Ok(spoken) => spoken,
        Err(error) => {
            eprintln!("treadbeat: {error}; cues are earcons and text");
            let (track, cues) = earcon_track(timeline, rate);
            let live_clips = live
                .iter()
                .map(|(_, e)| Earcon::ALL.iter().position(|x| x == e).unwrap_or(0))
                .collect();
            return CoachVoice {
                track,
                cues,
                live_clips,
            };
        }
    };
    let live_clips = live
        .iter()
        .map(|(text, _)| {
            texts
                .binary_search_by(|t| t.as_str().cmp(text))
                .unwrap_or(0)
        })
        .collect();
    let sr = f64::from(rate.0);
    let schedule = cues
        .iter()
        .filter_map(|cue| {
            let clip = texts.binary_search(&cue.text).ok()?;
            Some(((cue.at_s.max(0.0) * sr).round() as u64, clip))
        })
        .collect::<Vec<_>>();
    CoachVoice {
        cues: schedule.len(),
        track: SpeechTrack::from_source(clips, schedule),
        live_clips,
    }
}

/// The distinct phrases of `texts`, sorted, and their clips at the
/// settings' volume, held as `holding` says.
fn voice_clips(
    texts: &[String],
    settings: &SpeechSettings,
    rate: SampleRate,
    holding: ClipHolding,
) -> Result<(Vec<String>, Box<dyn ClipSource>), SpeechError> {
    let volume = settings.volume;
    match holding {
        ClipHolding::InMemory => {
            // Scaled in place: the clips are the bulk of a live session's
            // memory, so they are never copied.
            let mut rendered: Vec<(String, Vec<f32>)> =
                render_phrases(texts, settings, rate)?.into_iter().collect();
            rendered.sort_by(|a, b| a.0.cmp(&b.0));
            let (texts, mut clips): (Vec<String>, Vec<Vec<f32>>) = rendered.into_iter().unzip();
            for clip in &mut clips {
                clip.iter_mut().for_each(|x| *x *= volume);
            }
            Ok((texts, Box::new(clips)))
        }
        ClipHolding::OnDemand => {
            let mut files: Vec<_> = phrase_files(texts, settings, rate)?.into_iter().collect();
            files.sort_by(|a, b| a.0.cmp(&b.0));
            let (texts, files): (Vec<String>, Vec<_>) = files.into_iter().unzip();
            Ok((texts, Box::new(PhrasesOnDisk::new(files, rate, volume))))
        }
    }
}

/// The cues placed with the real lengths of their phrases as the speech
/// command says them, rendered at `rate`. `render`, `run` and `plan
/// --cues` all place cues here, so the times `plan` prints are the times
/// the voice is heard.
pub fn spoken_cues(
    timeline: &Timeline,
    settings: &SpeechSettings,
    rate: SampleRate,
) -> Result<Vec<Cue>, SpeechError> {
    let lengths = RefCell::new(phrase_lengths(&phrases(timeline), settings, rate)?);
    // `phrases` lists every text the coach may measure; should one be
    // missing all the same, it is measured here rather than guessed.
    let failed = RefCell::new(None);
    let length_s = |text: &str| {
        if let Some(length) = lengths.borrow().get(text) {
            return *length;
        }
        match phrase_lengths(&[text.to_string()], settings, rate) {
            Ok(more) => {
                lengths.borrow_mut().extend(more);
                lengths.borrow().get(text).copied().unwrap_or(0.0)
            }
            Err(error) => {
                failed.borrow_mut().get_or_insert(error);
                estimated_speech_s(text)
            }
        }
    };
    let cues = build_cues(timeline, &length_s);
    match failed.into_inner() {
        Some(error) => Err(error),
        None => Ok(cues),
    }
}

/// The cues as earcons, placed with the earcons' lengths.
fn earcon_track(timeline: &Timeline, rate: SampleRate) -> (SpeechTrack, usize) {
    let clips: Vec<Vec<f32>> = Earcon::ALL.iter().map(|e| e.render(rate)).collect();
    let sr = f64::from(rate.0);
    // Placement with a short length for every cue; words become tones.
    let cues = build_cues(timeline, &|_| 0.45);
    let schedule: Vec<(u64, usize)> = cues
        .iter()
        .filter_map(|cue| {
            let earcon = earcon_for(cue, timeline)?;
            let clip = Earcon::ALL.iter().position(|e| *e == earcon)?;
            Some(((cue.at_s.max(0.0) * sr).round() as u64, clip))
        })
        .collect();
    let count = schedule.len();
    (SpeechTrack::new(clips, schedule), count)
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum;

    use super::*;

    #[test]
    fn the_coach_flag_takes_the_profile_key_s_names() {
        for level in CoachLevel::ALL {
            assert_eq!(CoachLevel::from_str(level.name(), false), Ok(level));
        }
        assert!(CoachLevel::from_str("loud", false).is_err());
    }
}

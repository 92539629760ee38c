//! One builder for every session: from a `SessionSpec`, the renderer with
//! its click sounds and the coach's voice at the rate of the device or the
//! file, and the MIDI schedule. `run`, `click`, `render` and `calibrate`
//! all build here, so what a render writes is what a live session plays.

use super::failure::Failure;
use super::session_spec::SessionSpec;
use super::sound_choice::click_sounds;
use super::speech_setup::{speech_track, ClipHolding, LivePhrase};
use crate::engine::{renderer_for, Renderer};
use crate::midi::{MidiSchedule, NoteSettings};
use crate::tempo::TempoMap;
use crate::units::SampleRate;

/// A renderer and what its voice track holds.
pub struct BuiltRenderer {
    pub renderer: Renderer,
    /// Coach cues placed on the voice track (0 without a voice).
    pub spoken_cues: usize,
    /// The voice clip of each live phrase asked for, in order.
    pub live_clips: Vec<usize>,
}

/// The session's renderer at `rate`, with the voice and any `live`
/// phrases (words no schedule knows in advance, said on `Command::Say`),
/// its phrases held as `holding` says.
pub fn build_renderer(
    spec: &SessionSpec,
    rate: SampleRate,
    live: &[LivePhrase],
    holding: ClipHolding,
) -> Result<BuiltRenderer, Failure> {
    let sounds = click_sounds(&spec.sound, rate)?;
    let mut renderer = renderer_for(&spec.timeline, sounds, spec.style, rate);
    let (spoken_cues, live_clips) = match &spec.speech {
        Some(settings) => {
            let voice = speech_track(&spec.timeline, settings, rate, live, holding);
            renderer.set_speech(voice.track, spec.timeline.coach.duck);
            (voice.cues, voice.live_clips)
        }
        None => (0, Vec::new()),
    };
    Ok(BuiltRenderer {
        renderer,
        spoken_cues,
        live_clips,
    })
}

/// The MIDI notes and clock the session's clicks make, on the same tempo
/// map the renderer plays.
pub fn build_midi_schedule(spec: &SessionSpec, notes: NoteSettings) -> MidiSchedule {
    let map = TempoMap::from_timeline(&spec.timeline);
    MidiSchedule::new(&map, spec.style, notes)
}

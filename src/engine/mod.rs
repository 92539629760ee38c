//! The audio engine: click sounds, voices and the block renderer that the
//! live stream and the WAV writer share.
//!
//! Real-time safe by construction: the renderer's `process` never
//! allocates, locks, blocks or does I/O (proved by tests/realtime_alloc.rs).
//! Knows nothing of devices or files; `io` feeds it and drains it.

pub mod command;
pub mod earcons;
pub mod live;
pub mod music_feed;
pub mod music_mix;
pub mod music_prefetch;
pub mod music_ring;
pub mod music_stretch;
pub mod music_tap;
pub mod music_worker;
pub mod offline;
pub mod renderer;
pub mod resample;
pub mod sample_click;
pub mod sounds;
pub mod speech_track;
pub mod voice;

pub use command::{Command, Telemetry};
pub use live::{Controls, LiveEngine, OwnSound};
pub use renderer::{ClickStyle, Renderer};
pub use sounds::ClickSounds;
pub use speech_track::SpeechTrack;

use crate::plan::Timeline;
use crate::tempo::TempoMap;
use crate::units::SampleRate;

/// Builds the renderer for a whole planned session.
pub fn renderer_for(
    timeline: &Timeline,
    sounds: ClickSounds,
    style: ClickStyle,
    rate: SampleRate,
) -> Renderer {
    let map = TempoMap::from_timeline(timeline);
    let starts = timeline.segments.iter().map(|s| s.start_s).collect();
    Renderer::new(map, starts, timeline.total_s(), sounds, style, rate)
}

impl ClickStyle {
    /// Unaccented, centred, full volume, no count-in: the bare beat, for
    /// measurements and tests.
    pub const PLAIN: ClickStyle = ClickStyle {
        accent_every: 0,
        stereo: crate::plan::Stereo::Center,
        volume: 1.0,
        count_in: false,
    };

    /// The profile's click settings, with `count_in` as the caller decides.
    pub fn from_settings(settings: &crate::plan::ClickSettings, count_in: bool) -> ClickStyle {
        ClickStyle {
            accent_every: settings.accent,
            stereo: settings.stereo,
            volume: settings.volume,
            count_in: count_in && settings.count_in > 0,
        }
    }
}

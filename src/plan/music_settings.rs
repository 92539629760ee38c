//! The `[music]` table's meaning: the runner's own tracks under the
//! clicks (docs/music.md). Plan records it; the app reads the files.

use std::path::PathBuf;

/// The clicks' level while the runner's music sounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClicksUnderMusic {
    /// Silent: the music's own beat is the metronome.
    Off,
    /// Half level (−6 dB): still clear over a loud track, no longer on top.
    Soft,
    #[default]
    Full,
}

impl ClicksUnderMusic {
    pub const NAMES: &'static [&'static str] = &["off", "soft", "full"];
    const ALL: [ClicksUnderMusic; 3] = [Self::Off, Self::Soft, Self::Full];

    pub fn parse(text: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .position(|n| *n == text)
            .map(|i| Self::ALL[i])
    }

    /// The clicks' gain while music sounds.
    pub fn gain(self) -> f32 {
        match self {
            Self::Off => 0.0,
            Self::Soft => 0.5,
            Self::Full => 1.0,
        }
    }
}

/// Music where no clicks play (stretch and rest steps, a walk with its
/// clicks off): nothing to pin its beat to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MusicInRests {
    /// Unstretched and 6 dB quieter.
    #[default]
    Quiet,
    /// None: the music stops with the clicks.
    Off,
}

impl MusicInRests {
    pub const NAMES: &'static [&'static str] = &["quiet", "off"];

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "quiet" => Some(Self::Quiet),
            "off" => Some(Self::Off),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct MusicSettings {
    /// A file, a folder or an M3U list, resolved against the profile's
    /// folder (`~/` is the app's to expand); `--music` overrides it.
    pub path: Option<PathBuf>,
    /// The music's level, 0.0 – 1.0.
    pub volume: f32,
    /// Play the playlist in a shuffled order.
    pub shuffle: bool,
    pub clicks: ClicksUnderMusic,
    pub rest: MusicInRests,
}

impl Default for MusicSettings {
    fn default() -> Self {
        MusicSettings {
            path: None,
            // Half of full scale, so that a loudly mastered track sits
            // beside the clicks (which peak at 0.55) instead of burying
            // them.
            volume: 0.5,
            shuffle: false,
            clicks: ClicksUnderMusic::Full,
            rest: MusicInRests::Quiet,
        }
    }
}

//! The validated profile: what a workout means, with every value in range
//! and in canonical units (seconds, metres, spm, km/h, %).
//!
//! Owns the vocabulary (step kinds, click settings, units). Built only by
//! `validate`; consumed by `timeline`.

use std::ops::Range;
use std::path::PathBuf;

use super::music_settings::MusicSettings;
use super::quantity::Ramp;

/// Display preference; both systems are always shown, this one first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Units {
    #[default]
    Metric,
    Imperial,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Run,
    Walk,
    Drill,
    Stretch,
    Rest,
}

impl StepKind {
    pub const NAMES: &'static [&'static str] = &["run", "walk", "drill", "stretch", "rest"];

    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "run" => StepKind::Run,
            "walk" => StepKind::Walk,
            "drill" => StepKind::Drill,
            "stretch" => StepKind::Stretch,
            "rest" => StepKind::Rest,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// On the belt: clicks, cadence, speed and incline apply.
    pub fn on_belt(self) -> bool {
        matches!(self, StepKind::Run | StepKind::Walk | StepKind::Drill)
    }

    pub fn title(self) -> &'static str {
        ["Run", "Walk", "Drill", "Stretch", "Rest"][self as usize]
    }
}

/// The built-in synthesized click sounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SoundName {
    #[default]
    Woodblock,
    Beep,
    Clave,
    Cowbell,
    HiHat,
}

impl SoundName {
    pub const NAMES: &'static [&'static str] = &["woodblock", "beep", "clave", "cowbell", "hihat"];
    pub const ALL: [SoundName; 5] = [
        SoundName::Woodblock,
        SoundName::Beep,
        SoundName::Clave,
        SoundName::Cowbell,
        SoundName::HiHat,
    ];

    pub fn parse(text: &str) -> Option<Self> {
        let wanted = text.to_ascii_lowercase().replace(['-', '_', ' '], "");
        Self::NAMES
            .iter()
            .position(|n| *n == wanted)
            .map(|i| Self::ALL[i])
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ClickSound {
    Builtin(SoundName),
    /// A sample file, resolved against the profile's directory.
    File(PathBuf),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stereo {
    #[default]
    Center,
    Alternate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClickSettings {
    pub sound: ClickSound,
    /// Accent every Nth click of a click run (0 = none).
    pub accent: u32,
    pub stereo: Stereo,
    pub volume: f32,
    pub count_in: u32,
}

impl Default for ClickSettings {
    fn default() -> Self {
        ClickSettings {
            sound: ClickSound::Builtin(SoundName::Woodblock),
            accent: 0,
            stereo: Stereo::Center,
            volume: 0.8,
            count_in: 4,
        }
    }
}

/// How the coach speaks.
#[derive(Debug, Clone, PartialEq)]
pub struct CoachSettings {
    /// A voice name the speech command knows (espeak-ng: "en", "en-us", …).
    pub voice: String,
    /// Words per minute.
    pub rate_wpm: u32,
    /// Voice level, 0.0 – 1.0.
    pub volume: f32,
    /// Click level while the coach speaks, 0.0 – 1.0 (0.5 is −6 dB).
    pub duck: f32,
    /// How much the coach says beyond the steps themselves.
    pub level: CoachLevel,
}

impl Default for CoachSettings {
    fn default() -> Self {
        CoachSettings {
            voice: "en".to_string(),
            rate_wpm: 175,
            volume: 1.0,
            duck: 0.5,
            level: CoachLevel::Normal,
        }
    }
}

/// How talkative the coach is (`[coach] level`, `--coach`). What each
/// level says is the coach's business (`crate::coach` documents it); the
/// profile only names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CoachLevel {
    Quiet,
    #[default]
    Normal,
    Chatty,
}

impl CoachLevel {
    pub const NAMES: &'static [&'static str] = &["quiet", "normal", "chatty"];
    pub const ALL: [CoachLevel; 3] = [CoachLevel::Quiet, CoachLevel::Normal, CoachLevel::Chatty];

    pub fn parse(text: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .position(|n| *n == text)
            .map(|i| Self::ALL[i])
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

impl std::str::FromStr for CoachLevel {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Self::parse(text).ok_or_else(|| {
            format!(
                "no coach level \"{text}\"; expected one of: {}",
                Self::NAMES.join(", ")
            )
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Length {
    Time { seconds: f64 },
    Distance { metres: f64 },
}

/// One plain step, with its inherited values resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub name: String,
    pub kind: StepKind,
    pub length: Length,
    pub duration_s: f64,
    /// Target cadence; `None` only off the belt.
    pub cadence: Option<Ramp>,
    /// km/h; `None` off the belt or when neither step nor defaults set one.
    pub speed: Option<Ramp>,
    /// %; `None` off the belt.
    pub incline: Option<Ramp>,
    pub say: Option<String>,
    pub click: bool,
    pub hold_s: Option<f64>,
    pub sides: bool,
    pub span: Range<usize>,
}

impl Step {
    /// Metres covered: the mean speed (speed is linear in time) times time.
    pub fn distance_m(&self) -> f64 {
        match (self.length, self.speed) {
            (Length::Distance { metres }, _) => metres,
            (_, Some(speed)) if self.kind.on_belt() => speed.mean() / 3.6 * self.duration_s,
            _ => 0.0,
        }
    }

    pub fn clicked(&self) -> bool {
        self.click && self.cadence.is_some() && self.kind.on_belt()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum StepNode {
    Step(Step),
    Repeat {
        count: u32,
        steps: Vec<StepNode>,
        span: Range<usize>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub name: String,
    pub about: String,
    pub units: Units,
    pub click: ClickSettings,
    pub coach: CoachSettings,
    pub music: MusicSettings,
    pub steps: Vec<StepNode>,
    /// Where `[click] sound` names a file: plan touches no filesystem, so
    /// the app checks the file is there and plays, and reports it here.
    pub sound_file_span: Option<Range<usize>>,
    /// Where `[music] path` is written, for the same reason.
    pub music_path_span: Option<Range<usize>>,
}

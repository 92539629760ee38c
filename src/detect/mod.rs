//! The footstrike detector and what follows from it: heard steps, their
//! offsets from the beat, the running cadence, and the coach's warnings
//! when fatigue pulls the runner off the beat.
//!
//! Pure: samples and click times in, step events and warnings out. The
//! microphone (cpal) and the files (rodio) are adapters in `io`; the same
//! code runs on a recording (`treadbeat detect`) and live (`run --mic`).

pub mod align;
pub mod analysis;
pub mod band_weights;
mod biquad;
pub mod click_cancel;
mod click_follow;
pub mod click_onsets;
mod click_template;
pub mod click_train;
pub mod drift;
mod exact_rhythm;
pub mod fade;
pub mod filterbank;
mod halfway;
pub mod hum;
pub mod judge;
pub mod metronome;
pub mod onset;
pub mod own_clicks;
pub mod own_music;
pub mod own_voice;
pub mod params;
mod passed_over;
mod repeat_lag;
pub mod repeating_music;
mod rival;
mod stats;
pub mod tracker;
mod transients;

pub use align::{AlignedStep, Aligner};
pub use analysis::{Analyser, Analysis, BeatPlan, CadencePoint};
pub use click_onsets::ClickOnsets;
pub use drift::{DriftRules, Tolerances, Warning, WarningKind};
pub use fade::FadedFeedback;
pub use judge::{Judgement, StepJudge};
pub use onset::{DetectorOptions, FootstrikeDetector, Step};
pub use params::DetectorParams;

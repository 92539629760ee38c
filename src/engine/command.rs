//! What crosses into and out of the audio thread: commands in, telemetry
//! out. Both are small `Copy` values carried by lock-free rings (rtrb).

use crate::units::{DeviceFrame, SampleRate, SessionFrame};

/// A request from the control side, applied at the start of the next block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Command {
    Pause,
    Resume,
    TogglePause,
    /// Add this many spm to the cadence from now on, phase continuous.
    Nudge(f64),
    /// Skip to the start of the next step.
    NextStep,
    /// Click volume, 0.0 – 1.0.
    SetVolume(f32),
    /// Move the session forward to this session time (seconds), dropping
    /// the clicks in between: how a reopened stream that started late
    /// catches up with the session's own timeline. Never moves back.
    CatchUp(f64),
    /// Faded feedback: click gain on top of the volume, 0.0 – 1.0.
    SetFade(f32),
    /// Speak this clip of the speech track now (after the one sounding).
    Say(usize),
}

/// A snapshot of the engine after a block.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Telemetry {
    /// Frames handed to the device since the stream started, after this
    /// block: the device frame the next block starts at.
    pub device_frames: DeviceFrame,
    /// The session frame the next block starts at.
    pub session_frame: SessionFrame,
    pub paused: bool,
    /// Timeline segment playing now (`None` during the count-in).
    pub segment: Option<usize>,
    /// Cadence added by nudges.
    pub nudge_spm: f64,
    /// Clicks started so far (count-in included).
    pub clicks: u64,
    pub volume: f32,
    /// Faded-feedback gain on the clicks.
    pub fade: f32,
    /// Device frame at which the latest click started (for the microphone
    /// worker, which places steps against it).
    pub last_click_frame: Option<DeviceFrame>,
    /// Whether that click was an accented one (for the screen's beat).
    pub last_click_accent: bool,
    /// The session has reached its end and the last click has rung out.
    pub finished: bool,
}

impl Telemetry {
    /// Session seconds at this snapshot (negative during the count-in).
    pub fn session_s(&self, rate: SampleRate) -> f64 {
        self.session_frame.seconds(rate)
    }
}

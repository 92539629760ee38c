//! Device frames ↔ session time, from one telemetry snapshot.
//!
//! While the session runs, device frames and session frames advance
//! together, so one pair (the device frame a block started at, and the
//! session frame it rendered) maps any nearby device frame to session
//! time. A pause or a catch-up breaks the pairing: take a new anchor from
//! the next telemetry.

use crate::engine::Telemetry;
use crate::units::{DeviceFrame, SampleRate, SessionFrame};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionAnchor {
    pub device_frame: DeviceFrame,
    /// The session frame rendered at that device frame.
    pub session_frame: SessionFrame,
}

impl SessionAnchor {
    pub fn of(telemetry: &Telemetry) -> SessionAnchor {
        SessionAnchor {
            device_frame: telemetry.device_frames,
            session_frame: telemetry.session_frame,
        }
    }

    /// Session seconds at (fractional) device frame `device_frame`.
    pub fn session_s_at(&self, device_frame: f64, rate: SampleRate) -> f64 {
        let session_frame =
            self.session_frame.0 as f64 + (device_frame - self.device_frame.0 as f64);
        session_frame / f64::from(rate.0)
    }

    /// The (fractional) device frame at which session time `session_s` plays.
    pub fn device_frame_at(&self, session_s: f64, rate: SampleRate) -> f64 {
        self.device_frame.0 as f64 + (session_s * f64::from(rate.0) - self.session_frame.0 as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_frames_and_session_time_map_both_ways() {
        let anchor = SessionAnchor {
            device_frame: DeviceFrame(96_000),
            session_frame: SessionFrame(-4_800),
        };
        let rate = SampleRate(48_000);
        // 0.1 s into the count-in's last tenth, then t = 0 a tenth later.
        assert_eq!(anchor.session_s_at(96_000.0, rate), -0.1);
        assert_eq!(anchor.session_s_at(100_800.0, rate), 0.0);
        assert_eq!(anchor.device_frame_at(0.0, rate), 100_800.0);
        assert_eq!(
            anchor.device_frame_at(anchor.session_s_at(123_456.5, rate), rate),
            123_456.5
        );
    }
}

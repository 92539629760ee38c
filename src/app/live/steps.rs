//! The one judge of a live session's steps: every step heard, whether by
//! the microphone or a MIDI drum trigger, goes through one `StepJudge`,
//! against the clicks the engine reported playing and the cadence the
//! clicks ask for then (nudges included).

use crate::clock::SessionAnchor;
use crate::detect::{Judgement, StepJudge, Tolerances};
use crate::engine::Telemetry;
use crate::plan::Timeline;
use crate::units::SampleRate;

pub struct Steps {
    judge: StepJudge,
}

impl Steps {
    pub fn new(tolerances: Tolerances, faded_feedback: bool) -> Steps {
        Steps {
            judge: StepJudge::new(tolerances, faded_feedback),
        }
    }

    /// Every telemetry snapshot: the latest click, on the session clock.
    pub fn telemetry(&mut self, telemetry: &Telemetry, rate: SampleRate) {
        if let Some(frame) = telemetry.last_click_frame {
            let at = SessionAnchor::of(telemetry).session_s_at(frame.0 as f64, rate);
            self.judge.click(at);
        }
    }

    /// A step heard at session time `t`.
    pub fn step(&mut self, timeline: &Timeline, t: f64, nudge_spm: f64) -> Vec<Judgement> {
        let target = timeline.clicked_cadence_at(t).map(|spm| spm + nudge_spm);
        self.judge.step(t, target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::ClickSettings;
    use crate::units::{DeviceFrame, SessionFrame};

    /// Steps from any source meet the same clicks and the same rules: a
    /// step 40 ms after a click reads +40 ms whichever way it came.
    #[test]
    fn a_step_is_placed_against_the_clicks_the_engine_reported() {
        let timeline = Timeline::metronome(180.0, 60.0, ClickSettings::default());
        let rate = SampleRate(48_000);
        let mut steps = Steps::new(Tolerances::default(), false);
        // Session t = 0 at device frame 12,000; clicks every 16,000 frames.
        for k in 0..4u64 {
            let click = 12_000 + k * 16_000;
            steps.telemetry(
                &Telemetry {
                    device_frames: DeviceFrame(click + 256),
                    session_frame: SessionFrame((click + 256 - 12_000) as i64),
                    last_click_frame: Some(DeviceFrame(click)),
                    ..Telemetry::default()
                },
                rate,
            );
        }
        let judged = steps.step(&timeline, 2.0 / 3.0 + 0.040, 0.0);
        let Judgement::Step { offset_ms, .. } = judged[0] else {
            panic!("{judged:?}");
        };
        assert!((offset_ms - 40.0).abs() < 0.01, "{offset_ms}");
    }
}

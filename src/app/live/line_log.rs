//! The plain line log of a live session, for terminals and pipes alike:
//! a line when the step changes (with its targets and the profile's words),
//! when the session pauses or resumes, and when the cadence is nudged.

use crate::app::console::outln;
use crate::engine::Telemetry;
use crate::plan::Timeline;
use crate::readout::{pace_text, ramp_text, speed_text};
use crate::units::clock_text;

/// Prints a line when the step, the pause state or the nudge changes.
pub struct LineLog<'a> {
    timeline: &'a Timeline,
    segment: Option<usize>,
    paused: bool,
    nudge: f64,
}

impl<'a> LineLog<'a> {
    pub fn new(timeline: &'a Timeline) -> Self {
        LineLog {
            timeline,
            segment: None,
            paused: false,
            nudge: 0.0,
        }
    }

    pub fn update(&mut self, telemetry: &Telemetry, rate: u32) {
        let at = clock_text((telemetry.session_frame.0.max(0) as f64) / f64::from(rate));
        if telemetry.segment != self.segment {
            self.segment = telemetry.segment;
            if let Some(segment) = telemetry
                .segment
                .and_then(|i| self.timeline.segments.get(i))
            {
                let mut line = format!("{at}  {} — {}", segment.name, segment.kind.name());
                if let Some(cadence) = segment.cadence {
                    let silent = if segment.clicked {
                        ""
                    } else {
                        " (no clicks: hold it yourself)"
                    };
                    line.push_str(&format!(", cadence {}{silent}", ramp_text(cadence, 0)));
                }
                if let Some(speed) = segment.speed_kmh {
                    line.push_str(&format!(
                        ", {}, {}",
                        speed_text(self.timeline.units, speed),
                        pace_text(self.timeline.units, speed)
                    ));
                }
                line.push_str(&format!(", for {}", clock_text(segment.duration_s)));
                outln!("{line}");
                if let Some(say) = &segment.say {
                    outln!("      {say}");
                }
            }
        }
        if telemetry.paused != self.paused {
            self.paused = telemetry.paused;
            outln!(
                "{at}  {}",
                if telemetry.paused {
                    "paused"
                } else {
                    "resumed"
                }
            );
        }
        if telemetry.nudge_spm != self.nudge {
            self.nudge = telemetry.nudge_spm;
            outln!("{at}  cadence {:+} spm from the plan", telemetry.nudge_spm);
        }
    }
}

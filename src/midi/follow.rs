//! Reads the renderer's telemetry, snapshot by snapshot, and tells the
//! MIDI side what the renderer did: where a nudge took effect, when the
//! session paused or resumed, when it skipped to a step or jumped ahead,
//! and whether the session clock is running so the audio clock can be
//! trusted to place messages.
//!
//! Commands reach the renderer at the start of a block and every block
//! ends with a snapshot, so two consecutive snapshots A, B bracket exactly
//! one block: whatever changed between them happened at session frame
//! A.session_frame. That is how the schedule re-plans a nudge at the very
//! frame the renderer did, without any change to the engine.

use crate::engine::Telemetry;

/// What happened in the block between two snapshots.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// The session clock froze at `at_s`.
    Pause { at_s: f64 },
    /// The session clock runs again from `at_s`.
    Resume { at_s: f64 },
    /// "Next step": the session left `from_s` for the step at `to_s`.
    Seek { from_s: f64, to_s: f64 },
    /// The clock moved forward from `from_s` to `to_s` without a step
    /// boundary (a reopened device catching up with the wall clock).
    Jump { from_s: f64, to_s: f64 },
    /// The cadence offset changed by `delta_spm` at `at_s`.
    Nudge { at_s: f64, delta_spm: f64 },
}

/// Follows one session's telemetry.
#[derive(Debug, Clone)]
pub struct Follower {
    rate: f64,
    /// Segment starts and the session's end, in seconds: where "next step"
    /// can land.
    step_starts: Vec<f64>,
    last: Option<Telemetry>,
    running: bool,
}

impl Follower {
    pub fn new(rate: u32, step_starts: Vec<f64>) -> Follower {
        Follower {
            rate: f64::from(rate),
            step_starts,
            last: None,
            running: false,
        }
    }

    /// The latest snapshot seen.
    pub fn last(&self) -> Option<&Telemetry> {
        self.last.as_ref()
    }

    /// Whether the latest block ran the session clock to its end: only then
    /// does session frame s play at device frame D + (s − S).
    pub fn running(&self) -> bool {
        self.running
    }

    /// The sample rate of the stream being followed.
    pub fn rate(&self) -> f64 {
        self.rate
    }

    fn seconds(&self, frame: i64) -> f64 {
        frame as f64 / self.rate
    }

    /// Takes the next snapshot; returns what changed since the previous.
    /// A snapshot from a new stream (device frames restarting) only
    /// re-anchors: the session continues where that stream says it is.
    pub fn update(&mut self, next: Telemetry) -> Vec<Change> {
        let mut changes = Vec::new();
        let Some(previous) = self.last.replace(next) else {
            self.running = false;
            return changes;
        };
        if next.device_frames < previous.device_frames {
            // A new stream: its renderer started where the session was.
            self.running = false;
            let (from_s, to_s) = (
                self.seconds(previous.session_frame.0),
                self.seconds(next.session_frame.0),
            );
            if to_s > from_s {
                changes.push(Change::Jump { from_s, to_s });
            }
            return changes;
        }
        let block = (next.device_frames.0 - previous.device_frames.0) as i64;
        let advanced = next.session_frame.0 - previous.session_frame.0;
        let at_s = self.seconds(previous.session_frame.0);
        if next.paused != previous.paused && next.paused {
            changes.push(Change::Pause { at_s });
        }
        // Forward by more than the block: a skip happened at the block's
        // start; the block then ran (or, paused, stood) from its target.
        let ran = if next.paused { 0 } else { block };
        if advanced > ran {
            let to_s = self.seconds(next.session_frame.0 - ran);
            let half_frame = 0.5 / self.rate;
            let is_step = self
                .step_starts
                .iter()
                .any(|s| (s - to_s).abs() <= half_frame);
            changes.push(if is_step {
                Change::Seek { from_s: at_s, to_s }
            } else {
                Change::Jump { from_s: at_s, to_s }
            });
        }
        if next.nudge_spm != previous.nudge_spm {
            let at_s = match changes.last() {
                Some(Change::Seek { to_s, .. } | Change::Jump { to_s, .. }) => *to_s,
                _ => at_s,
            };
            changes.push(Change::Nudge {
                at_s,
                delta_spm: next.nudge_spm - previous.nudge_spm,
            });
        }
        if next.paused != previous.paused && !next.paused {
            changes.push(Change::Resume { at_s });
        }
        // Running: the clock advanced and the block was not paused. During
        // the lead-in the clock stands still while the device plays.
        self.running = !next.paused && advanced > 0;
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::{DeviceFrame, SessionFrame};

    fn snap(device: u64, session: i64, paused: bool, nudge: f64) -> Telemetry {
        Telemetry {
            device_frames: DeviceFrame(device),
            session_frame: SessionFrame(session),
            paused,
            nudge_spm: nudge,
            ..Telemetry::default()
        }
    }

    #[test]
    fn steady_blocks_change_nothing_and_run() {
        let mut f = Follower::new(1000, vec![0.0, 10.0]);
        assert!(f.update(snap(100, 100, false, 0.0)).is_empty());
        assert!(!f.running(), "one snapshot proves nothing");
        assert!(f.update(snap(200, 200, false, 0.0)).is_empty());
        assert!(f.running());
    }

    #[test]
    fn lead_in_is_not_running_until_the_clock_moves() {
        let mut f = Follower::new(1000, vec![0.0]);
        f.update(snap(100, -500, false, 0.0));
        f.update(snap(200, -500, false, 0.0));
        assert!(!f.running());
        // The lead-in ends 30 frames into this block.
        assert!(f.update(snap(300, -430, false, 0.0)).is_empty());
        assert!(f.running());
    }

    #[test]
    fn pause_resume_nudge_land_on_the_block_start() {
        let mut f = Follower::new(1000, vec![0.0]);
        f.update(snap(100, 100, false, 0.0));
        assert_eq!(
            f.update(snap(200, 100, true, 0.0)),
            vec![Change::Pause { at_s: 0.1 }]
        );
        assert!(!f.running());
        assert_eq!(
            f.update(snap(300, 200, false, 2.0)),
            vec![
                Change::Nudge {
                    at_s: 0.1,
                    delta_spm: 2.0
                },
                Change::Resume { at_s: 0.1 }
            ]
        );
    }

    #[test]
    fn a_skip_to_a_step_start_is_a_seek_anything_else_a_jump() {
        let mut f = Follower::new(1000, vec![0.0, 10.0]);
        f.update(snap(100, 100, false, 0.0));
        assert_eq!(
            f.update(snap(200, 10_100, false, 0.0)),
            vec![Change::Seek {
                from_s: 0.1,
                to_s: 10.0
            }]
        );
        assert_eq!(
            f.update(snap(300, 10_700, false, 0.0)),
            vec![Change::Jump {
                from_s: 10.1,
                to_s: 10.6
            }]
        );
        // A new stream that resumed further on.
        assert_eq!(
            f.update(snap(50, 11_000, false, 0.0)),
            vec![Change::Jump {
                from_s: 10.7,
                to_s: 11.0
            }]
        );
        assert!(!f.running());
    }
}

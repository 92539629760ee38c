//! The end-of-session summary: time run, distance, steps, steps skipped,
//! clicks and under-runs, from the timeline and what happened live.

use crate::plan::Timeline;
use crate::readout::{count_text, distance_text};
use crate::units::clock_text;

/// What the control loop saw of a session.
#[derive(Debug, Default)]
pub struct SessionRecord {
    /// Session seconds jumped over with "next step": (from, to).
    pub skipped: Vec<(f64, f64)>,
    pub clicks: u64,
    pub underruns: u64,
    pub reopened: u32,
    /// With the detector on: steps heard, their offsets, what was said.
    pub heard_steps: u64,
    pub offsets_ms: Vec<f64>,
    pub warnings: Vec<crate::detect::Warning>,
    /// Steps heard from a MIDI drum trigger, on the output clock.
    pub midi_steps: Vec<crate::midi::StepEvent>,
}

impl SessionRecord {
    /// Records a skip from session time `from` to the next step's start.
    pub fn skip(&mut self, timeline: &Timeline, from: f64) {
        let to = timeline
            .segments
            .iter()
            .map(|s| s.start_s)
            .find(|start| *start > from + 1e-9)
            .unwrap_or(timeline.total_s());
        self.skipped.push((from, to));
    }
}

/// "Session finished: 28:10 played, 3.62 km (2.25 mi), 4,421 steps, 1 step
/// skipped, 4,420 clicks, 0 under-runs."
pub fn summary(
    timeline: &Timeline,
    record: &SessionRecord,
    reached_s: f64,
    finished: bool,
) -> String {
    let reached = reached_s.clamp(0.0, timeline.total_s());
    let (mut metres, mut steps) = timeline.covered(reached);
    let mut time = reached;
    for (from, to) in &record.skipped {
        let (from, to) = (from.min(reached), to.min(reached));
        let (skipped_m, skipped_steps) = (
            timeline.covered(to).0 - timeline.covered(from).0,
            timeline.covered(to).1 - timeline.covered(from).1,
        );
        metres -= skipped_m;
        steps -= skipped_steps;
        time -= to - from;
    }
    let skipped = record.skipped.len();
    let mut line = format!(
        "Session {}: {} played, {}, {} steps, {skipped} step{} skipped, {} clicks, {} under-runs",
        if finished { "finished" } else { "stopped" },
        clock_text(time),
        distance_text(timeline.units, metres.max(0.0)),
        count_text(steps.max(0.0).round() as u64),
        if skipped == 1 { "" } else { "s" },
        count_text(record.clicks),
        record.underruns,
    );
    if record.reopened > 0 {
        line.push_str(&format!(", device reopened {} time(s)", record.reopened));
    }
    line.push('.');
    if record.heard_steps > 0 {
        let mut offsets = record.offsets_ms.clone();
        offsets.sort_by(f64::total_cmp);
        let within = offsets.iter().filter(|o| o.abs() <= 25.0).count();
        line.push_str(&format!(
            "\nHeard {} steps: median {:+.0} ms from the beat, {} within ±25 ms; {} warning{} from the coach.",
            count_text(record.heard_steps),
            offsets[offsets.len() / 2],
            count_text(within as u64),
            record.warnings.len(),
            if record.warnings.len() == 1 { "" } else { "s" }
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{parse_profile, Timeline};

    #[test]
    fn skipped_steps_do_not_count() {
        let text = "[[step]]\ntime = \"10m\"\ncadence = 170\nspeed = \"12 km/h\"\n\
                    [[step]]\ntime = \"5m\"\ncadence = 180\nspeed = \"12 km/h\"\n";
        let profile = parse_profile("t.toml", text, std::path::Path::new(".")).unwrap();
        let timeline = Timeline::from_profile(&profile);
        let mut record = SessionRecord {
            clicks: 1800,
            ..Default::default()
        };
        // Ran 5 minutes of the first step, skipped its other 5, ran the second.
        record.skip(&timeline, 300.0);
        let line = summary(&timeline, &record, 900.0, true);
        assert_eq!(
            line,
            "Session finished: 10:00 played, 2.00 km (1.24 mi), 1,750 steps, 1 step skipped, 1,800 clicks, 0 under-runs."
        );
    }
}

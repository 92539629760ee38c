//! `treadbeat plan --json`: the timeline for other programs. Field names
//! carry their units; ramps are `[from, to]`; null where a value is absent.

use serde::Serialize;

use crate::plan::{Ramp, Segment, Timeline, Units};
use crate::tempo::TempoMap;

#[derive(Serialize)]
struct PlanJson<'a> {
    name: &'a str,
    about: &'a str,
    units: &'static str,
    total_s: f64,
    distance_m: f64,
    steps: f64,
    clicks: u64,
    count_in: u32,
    segments: Vec<SegmentJson<'a>>,
}

#[derive(Serialize)]
struct SegmentJson<'a> {
    name: &'a str,
    kind: &'static str,
    start_s: f64,
    duration_s: f64,
    /// Null where the segment plays no clicks.
    cadence: Option<[f64; 2]>,
    /// The target even where silent (null off the belt).
    target_cadence: Option<[f64; 2]>,
    speed_kmh: Option<[f64; 2]>,
    pace_s_per_km: Option<[f64; 2]>,
    incline_pct: [f64; 2],
    distance_m: f64,
    say: Option<&'a str>,
    hold_s: Option<f64>,
    sides: bool,
}

fn pair(ramp: Ramp) -> [f64; 2] {
    [ramp.from, ramp.to]
}

fn segment_json(segment: &Segment) -> SegmentJson<'_> {
    SegmentJson {
        name: &segment.name,
        kind: segment.kind.name(),
        start_s: segment.start_s,
        duration_s: segment.duration_s,
        cadence: segment.cadence.filter(|_| segment.clicked).map(pair),
        target_cadence: segment.cadence.map(pair),
        speed_kmh: segment.speed_kmh.map(pair),
        pace_s_per_km: segment.speed_kmh.map(|s| pair(s.map(|v| 3600.0 / v))),
        incline_pct: pair(segment.incline_pct.unwrap_or(Ramp::constant(0.0))),
        distance_m: segment.distance_m,
        say: segment.say.as_deref(),
        hold_s: segment.hold_s,
        sides: segment.sides,
    }
}

pub fn to_json(timeline: &Timeline, tempo: &TempoMap) -> String {
    let plan = PlanJson {
        name: &timeline.name,
        about: &timeline.about,
        units: match timeline.units {
            Units::Metric => "metric",
            Units::Imperial => "imperial",
        },
        total_s: timeline.total_s(),
        distance_m: timeline.distance_m(),
        steps: timeline.steps(),
        clicks: tempo.click_count(),
        count_in: tempo.count_in_cadence.map_or(0, |_| tempo.count_in),
        segments: timeline.segments.iter().map(segment_json).collect(),
    };
    serde_json::to_string_pretty(&plan).expect("plan JSON has only finite numbers and strings")
}

#[derive(Serialize)]
struct CueJson<'a> {
    at_s: f64,
    duration_s: f64,
    kind: String,
    text: &'a str,
    segment: usize,
}

/// The coach's cues: start and estimated length in seconds, kind, words.
pub fn cues_json(cues: &[crate::coach::Cue]) -> String {
    let list: Vec<CueJson> = cues
        .iter()
        .map(|c| CueJson {
            at_s: c.at_s,
            duration_s: c.duration_s,
            kind: format!("{:?}", c.kind).to_lowercase(),
            text: &c.text,
            segment: c.segment,
        })
        .collect();
    serde_json::to_string_pretty(&list).expect("cue JSON has only finite numbers and strings")
}

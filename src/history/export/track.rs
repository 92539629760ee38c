//! The track every export writes: a point per second of the run as
//! played, laps per step, and the pauses.

use super::super::analysis::SessionStats;
use super::super::as_run::AsRun;
use super::super::record::{Event, SessionRecord};

/// One point of the track.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackPoint {
    /// Whole seconds since the Unix epoch (what FIT and TCX keep).
    pub unix_s: i64,
    pub session_s: f64,
    pub step: usize,
    /// Metres since the start.
    pub distance_m: f64,
    /// m/s; `None` off the belt (and for `click`, which sets no speed).
    pub speed_mps: Option<f64>,
    pub incline_pct: Option<f64>,
    pub target_spm: Option<f64>,
    /// Heard cadence in the 5 s window around this point, steps per minute.
    pub cadence_spm: Option<f64>,
}

/// A step as a lap.
#[derive(Debug, Clone, PartialEq)]
pub struct Lap {
    pub name: String,
    pub start_unix_s: i64,
    pub end_unix_s: i64,
    /// Seconds the step's clock ran (pauses left out).
    pub timer_s: f64,
    pub distance_m: f64,
    pub cadence_spm: Option<f64>,
    /// Indexes into `Track::points` (first, one past the last).
    pub points: (usize, usize),
}

/// The run for export.
#[derive(Debug, Clone, PartialEq)]
pub struct Track {
    pub points: Vec<TrackPoint>,
    pub laps: Vec<Lap>,
    /// Wall-clock pauses: (stop, start again), whole Unix seconds.
    pub pauses: Vec<(i64, i64)>,
    pub sport_name: String,
    /// The runner's UTC offset in seconds, for FIT's local timestamp.
    pub utc_offset_s: i64,
    pub timer_s: f64,
    pub distance_m: f64,
    pub cadence_spm: Option<f64>,
}

impl Track {
    pub fn of(record: &SessionRecord, stats: &SessionStats) -> Track {
        let as_run = AsRun::of(record);
        let mut points: Vec<TrackPoint> = Vec::new();
        for sample in as_run.samples(record) {
            let unix_s = sample.wall_ms.div_euclid(1000);
            // One point per wall second: a piece's end and the next piece's
            // start can fall within the same second.
            if points.last().is_some_and(|p| p.unix_s >= unix_s) {
                continue;
            }
            let cadence_spm = stats
                .windows
                .iter()
                .find(|w| {
                    w.step == sample.step
                        && w.from_s <= sample.session_s
                        && (sample.session_s < w.to_s
                            || (sample.session_s == w.to_s && w.to_s >= record.head.reached_s))
                })
                .and_then(|w| w.cadence);
            points.push(TrackPoint {
                unix_s,
                session_s: sample.session_s,
                step: sample.step,
                distance_m: sample.distance_m,
                speed_mps: sample.speed_kmh.map(|v| v / 3.6),
                incline_pct: sample.incline_pct,
                target_spm: sample.target_spm,
                cadence_spm,
            });
        }
        let laps = laps(&points, stats);
        Track {
            pauses: pauses(record),
            sport_name: record.head.profile_name.clone(),
            utc_offset_s: record.head.utc_offset_s,
            timer_s: as_run.played_s(),
            distance_m: points.last().map_or(0.0, |p| p.distance_m),
            cadence_spm: stats.measured_mean,
            points,
            laps,
        }
    }

    pub fn start_unix_s(&self) -> Option<i64> {
        self.points.first().map(|p| p.unix_s)
    }

    pub fn end_unix_s(&self) -> Option<i64> {
        self.points.last().map(|p| p.unix_s)
    }
}

/// A lap per run of consecutive points in one step.
fn laps(points: &[TrackPoint], stats: &SessionStats) -> Vec<Lap> {
    let mut laps: Vec<Lap> = Vec::new();
    let mut first = 0;
    for i in 1..=points.len() {
        if i < points.len() && points[i].step == points[first].step {
            continue;
        }
        let (a, b) = (&points[first], &points[i - 1]);
        // A lap ends where the next begins, so the laps add up.
        let end = points.get(i).unwrap_or(b);
        let step = &stats.steps[a.step];
        laps.push(Lap {
            name: step.name.clone(),
            start_unix_s: a.unix_s,
            end_unix_s: end.unix_s,
            timer_s: step.played_s,
            distance_m: end.distance_m - a.distance_m,
            cadence_spm: step.measured_mean,
            points: (first, i),
        });
        first = i;
    }
    laps
}

fn pauses(record: &SessionRecord) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut stopped: Option<i64> = None;
    for event in &record.events {
        match event.what {
            Event::Paused => stopped = Some(event.wall_ms.div_euclid(1000)),
            Event::Resumed => {
                if let Some(at) = stopped.take() {
                    out.push((at, event.wall_ms.div_euclid(1000)));
                }
            }
            _ => {}
        }
    }
    out
}

//! The session as a FIT activity: file id, timer events, a record a
//! second, a lap per step, the session and the activity, with field
//! numbers and scales from the FIT SDK's profile.
//!
//! Cadence in FIT's running units. FIT's `cadence` field counts cycles per
//! minute, and for running a cycle is a stride: one step of each foot. So
//! a runner at 171 steps per minute is written as 85 strides per minute
//! plus `fractional_cadence` 0.5 (64/128). Garmin watches write it so and
//! Garmin Connect, Strava and intervals.icu double it back for display;
//! a file with steps per minute in `cadence` shows twice the real cadence.
//! The fractional part keeps odd step rates exact (171 is not 85 or 86).

use super::fit_writer::{Base, FitWriter, Layout};
use super::track::Track;

/// FIT's epoch, 1989-12-31T00:00:00Z, in Unix seconds.
pub const FIT_EPOCH_UNIX_S: i64 = 631_065_600;

const FILE_ID: Layout = Layout {
    local: 0,
    global: 0,
    fields: &[
        (0, Base::Enum),    // type
        (1, Base::UInt16),  // manufacturer
        (2, Base::UInt16),  // product
        (3, Base::UInt32z), // serial_number
        (4, Base::UInt32),  // time_created
    ],
};

const EVENT: Layout = Layout {
    local: 1,
    global: 21,
    fields: &[
        (253, Base::UInt32), // timestamp
        (0, Base::Enum),     // event
        (1, Base::Enum),     // event_type
    ],
};

const RECORD: Layout = Layout {
    local: 2,
    global: 20,
    fields: &[
        (253, Base::UInt32), // timestamp
        (5, Base::UInt32),   // distance, 1/100 m
        (6, Base::UInt16),   // speed, mm/s
        (73, Base::UInt32),  // enhanced_speed, mm/s
        (9, Base::SInt16),   // grade, 1/100 %
        (4, Base::UInt8),    // cadence, strides/min
        (53, Base::UInt8),   // fractional_cadence, 1/128 stride/min
    ],
};

const LAP: Layout = Layout {
    local: 3,
    global: 19,
    fields: &[
        (254, Base::UInt16), // message_index
        (253, Base::UInt32), // timestamp
        (0, Base::Enum),     // event
        (1, Base::Enum),     // event_type
        (2, Base::UInt32),   // start_time
        (7, Base::UInt32),   // total_elapsed_time, ms
        (8, Base::UInt32),   // total_timer_time, ms
        (9, Base::UInt32),   // total_distance, 1/100 m
        (13, Base::UInt16),  // avg_speed, mm/s
        (17, Base::UInt8),   // avg_cadence, strides/min
        (80, Base::UInt8),   // avg_fractional_cadence
        (24, Base::Enum),    // lap_trigger
        (25, Base::Enum),    // sport
        (39, Base::Enum),    // sub_sport
    ],
};

const SESSION: Layout = Layout {
    local: 4,
    global: 18,
    fields: &[
        (254, Base::UInt16), // message_index
        (253, Base::UInt32), // timestamp
        (0, Base::Enum),     // event
        (1, Base::Enum),     // event_type
        (2, Base::UInt32),   // start_time
        (5, Base::Enum),     // sport
        (6, Base::Enum),     // sub_sport
        (7, Base::UInt32),   // total_elapsed_time, ms
        (8, Base::UInt32),   // total_timer_time, ms
        (9, Base::UInt32),   // total_distance, 1/100 m
        (14, Base::UInt16),  // avg_speed, mm/s
        (18, Base::UInt8),   // avg_cadence, strides/min
        (92, Base::UInt8),   // avg_fractional_cadence
        (25, Base::UInt16),  // first_lap_index
        (26, Base::UInt16),  // num_laps
        (28, Base::Enum),    // trigger
    ],
};

const ACTIVITY: Layout = Layout {
    local: 5,
    global: 34,
    fields: &[
        (253, Base::UInt32), // timestamp
        (0, Base::UInt32),   // total_timer_time, ms
        (1, Base::UInt16),   // num_sessions
        (2, Base::Enum),     // type
        (3, Base::Enum),     // event
        (4, Base::Enum),     // event_type
        (5, Base::UInt32),   // local_timestamp
    ],
};

// Values of FIT's enums, as the profile numbers them.
const FILE_ACTIVITY: i64 = 4;
const MANUFACTURER_DEVELOPMENT: i64 = 255;
const EVENT_TIMER: i64 = 0;
const EVENT_SESSION: i64 = 8;
const EVENT_LAP: i64 = 9;
const EVENT_ACTIVITY: i64 = 26;
const EVENT_TYPE_START: i64 = 0;
const EVENT_TYPE_STOP: i64 = 1;
const EVENT_TYPE_STOP_ALL: i64 = 4;
const SPORT_RUNNING: i64 = 1;
const SUB_SPORT_TREADMILL: i64 = 1;
const LAP_TRIGGER_MANUAL: i64 = 0;
const LAP_TRIGGER_SESSION_END: i64 = 7;
const SESSION_TRIGGER_ACTIVITY_END: i64 = 0;
const ACTIVITY_MANUAL: i64 = 0;

/// Unix seconds as a FIT timestamp.
fn fit_time(unix_s: i64) -> Option<i64> {
    Some(unix_s - FIT_EPOCH_UNIX_S)
}

/// Steps per minute as FIT's (strides per minute, 1/128 strides).
pub fn strides(spm: f64) -> (i64, i64) {
    let per_foot = spm / 2.0;
    let whole = per_foot.floor();
    let fraction = ((per_foot - whole) * 128.0).round() as i64;
    // 127.6/128 rounds up into the next whole stride.
    if fraction >= 128 {
        (whole as i64 + 1, 0)
    } else {
        (whole as i64, fraction)
    }
}

fn scaled(value: f64, scale: f64) -> Option<i64> {
    value.is_finite().then(|| (value * scale).round() as i64)
}

pub fn encode(track: &Track) -> Vec<u8> {
    let mut fit = FitWriter::new();
    let (Some(start), Some(end)) = (track.start_unix_s(), track.end_unix_s()) else {
        // Nothing was played: a file id alone, which importers refuse
        // plainly rather than showing an empty run.
        fit.message(
            &FILE_ID,
            &[
                Some(FILE_ACTIVITY),
                Some(MANUFACTURER_DEVELOPMENT),
                Some(1),
                Some(1),
                None,
            ],
        );
        return fit.finish();
    };
    fit.message(
        &FILE_ID,
        &[
            Some(FILE_ACTIVITY),
            Some(MANUFACTURER_DEVELOPMENT),
            Some(1),
            Some(1),
            fit_time(start),
        ],
    );
    let timer = |at: i64, kind: i64| [fit_time(at), Some(EVENT_TIMER), Some(kind)];
    fit.message(&EVENT, &timer(start, EVENT_TYPE_START));
    let mut pauses = track.pauses.iter().peekable();
    for point in &track.points {
        while let Some(&&(stop, go)) = pauses.peek() {
            if go > point.unix_s {
                break;
            }
            fit.message(&EVENT, &timer(stop, EVENT_TYPE_STOP_ALL));
            fit.message(&EVENT, &timer(go, EVENT_TYPE_START));
            pauses.next();
        }
        let cadence = point.cadence_spm.map(strides);
        fit.message(
            &RECORD,
            &[
                fit_time(point.unix_s),
                scaled(point.distance_m, 100.0),
                point.speed_mps.and_then(|v| scaled(v, 1000.0)),
                point.speed_mps.and_then(|v| scaled(v, 1000.0)),
                point.incline_pct.and_then(|g| scaled(g, 100.0)),
                cadence.map(|c| c.0),
                cadence.map(|c| c.1),
            ],
        );
    }
    fit.message(&EVENT, &timer(end, EVENT_TYPE_STOP_ALL));
    let last_lap = track.laps.len().saturating_sub(1);
    for (index, lap) in track.laps.iter().enumerate() {
        let cadence = lap.cadence_spm.map(strides);
        let trigger = if index == last_lap {
            LAP_TRIGGER_SESSION_END
        } else {
            LAP_TRIGGER_MANUAL
        };
        fit.message(
            &LAP,
            &[
                Some(index as i64),
                fit_time(lap.end_unix_s),
                Some(EVENT_LAP),
                Some(EVENT_TYPE_STOP),
                fit_time(lap.start_unix_s),
                Some((lap.end_unix_s - lap.start_unix_s) * 1000),
                scaled(lap.timer_s, 1000.0),
                scaled(lap.distance_m, 100.0),
                average_speed(lap.distance_m, lap.timer_s),
                cadence.map(|c| c.0),
                cadence.map(|c| c.1),
                Some(trigger),
                Some(SPORT_RUNNING),
                Some(SUB_SPORT_TREADMILL),
            ],
        );
    }
    let cadence = track.cadence_spm.map(strides);
    fit.message(
        &SESSION,
        &[
            Some(0),
            fit_time(end),
            Some(EVENT_SESSION),
            Some(EVENT_TYPE_STOP),
            fit_time(start),
            Some(SPORT_RUNNING),
            Some(SUB_SPORT_TREADMILL),
            Some((end - start) * 1000),
            scaled(track.timer_s, 1000.0),
            scaled(track.distance_m, 100.0),
            average_speed(track.distance_m, track.timer_s),
            cadence.map(|c| c.0),
            cadence.map(|c| c.1),
            Some(0),
            Some(track.laps.len() as i64),
            Some(SESSION_TRIGGER_ACTIVITY_END),
        ],
    );
    fit.message(
        &ACTIVITY,
        &[
            fit_time(end),
            scaled(track.timer_s, 1000.0),
            Some(1),
            Some(ACTIVITY_MANUAL),
            Some(EVENT_ACTIVITY),
            Some(EVENT_TYPE_STOP),
            fit_time(end + track.utc_offset_s),
        ],
    );
    fit.finish()
}

/// Mean speed in mm/s; `None` for a lap off the belt.
fn average_speed(distance_m: f64, timer_s: f64) -> Option<i64> {
    (distance_m > 0.0 && timer_s > 0.0).then(|| (distance_m / timer_s * 1000.0).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_per_minute_become_strides_and_128ths() {
        assert_eq!(strides(170.0), (85, 0));
        assert_eq!(strides(171.0), (85, 64));
        assert_eq!(strides(164.5), (82, 32));
        assert_eq!(strides(179.999), (90, 0));
    }
}

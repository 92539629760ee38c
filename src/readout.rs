//! Numbers as a runner reads them: ramps as "a..b", speeds and paces in the
//! profile's units with the other system in brackets, distances, strides.

use crate::plan::{Ramp, Units};
use crate::units::{clock_text, trim_number, KmH, METRES_PER_MILE};

pub fn ramp_text(ramp: Ramp, decimals: usize) -> String {
    let from = trim_number(ramp.from, decimals);
    let to = trim_number(ramp.to, decimals);
    if from == to {
        from
    } else {
        format!("{from}..{to}")
    }
}

fn speed_in(units: Units, speed: Ramp) -> String {
    match units {
        Units::Metric => format!("{} km/h", ramp_text(speed, 1)),
        Units::Imperial => format!("{} mph", ramp_text(speed.map(|v| KmH(v).mph()), 1)),
    }
}

fn pace_in(units: Units, speed: Ramp) -> String {
    let pace = |v: f64| match units {
        Units::Metric => clock_text(KmH(v).pace_s_per_km()),
        Units::Imperial => clock_text(KmH(v).pace_s_per_mile()),
    };
    let (from, to) = (pace(speed.from), pace(speed.to));
    let unit = match units {
        Units::Metric => "/km",
        Units::Imperial => "/mi",
    };
    if from == to {
        format!("{from}{unit}")
    } else {
        format!("{from}..{to}{unit}")
    }
}

fn other(units: Units) -> Units {
    match units {
        Units::Metric => Units::Imperial,
        Units::Imperial => Units::Metric,
    }
}

/// "7..9 km/h (4.3..5.6 mph)".
pub fn speed_text(units: Units, speed: Ramp) -> String {
    format!(
        "{} ({})",
        speed_in(units, speed),
        speed_in(other(units), speed)
    )
}

/// "6:40/km (10:44/mi)".
pub fn pace_text(units: Units, speed: Ramp) -> String {
    format!(
        "{} ({})",
        pace_in(units, speed),
        pace_in(other(units), speed)
    )
}

fn distance_in(units: Units, metres: f64) -> String {
    match units {
        Units::Metric => format!("{:.2} km", metres / 1000.0),
        Units::Imperial => format!("{:.2} mi", metres / METRES_PER_MILE),
    }
}

/// "0.80 km (0.50 mi)".
pub fn distance_text(units: Units, metres: f64) -> String {
    format!(
        "{} ({})",
        distance_in(units, metres),
        distance_in(other(units), metres)
    )
}

/// Metres per step at the start and end: speed over cadence.
pub fn stride_text(cadence: Ramp, speed: Ramp) -> String {
    let stride = |v: f64, c: f64| v / 3.6 * 60.0 / c;
    let ramp = Ramp {
        from: stride(speed.from, cadence.from),
        to: stride(speed.to, cadence.to),
    };
    let text = if (ramp.from - ramp.to).abs() < 0.005 {
        format!("{:.2}", ramp.from)
    } else {
        format!("{:.2}..{:.2}", ramp.from, ramp.to)
    };
    format!("{text} m")
}

/// Thousands separated: 6954 -> "6,954" (in units, so plan's messages use it too).
pub use crate::units::count_text;

/// "1 step", "6,954 steps": the count and its noun in the right number.
pub fn count_of(count: u64, singular: &str, plural: &str) -> String {
    let noun = if count == 1 { singular } else { plural };
    format!("{} {noun}", count_text(count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts() {
        assert_eq!(
            speed_text(Units::Metric, Ramp { from: 7.0, to: 9.0 }),
            "7..9 km/h (4.3..5.6 mph)"
        );
        assert_eq!(
            pace_text(Units::Metric, Ramp::constant(12.0)),
            "5:00/km (8:03/mi)"
        );
        assert_eq!(
            stride_text(Ramp::constant(180.0), Ramp::constant(10.8)),
            "1.00 m"
        );
        assert_eq!(count_text(1234567), "1,234,567");
        assert_eq!(count_of(1, "step", "steps"), "1 step");
        assert_eq!(count_of(0, "step", "steps"), "0 steps");
        assert_eq!(count_of(6954, "click", "clicks"), "6,954 clicks");
        assert_eq!(
            distance_text(Units::Imperial, 1609.344),
            "1.00 mi (1.61 km)"
        );
    }
}

//! Parsing of the quantities a profile writes as text: durations, distances,
//! cadences, speeds, paces and inclines, each optionally a ramp `a..b`.
//!
//! Pure string -> number functions; messages are written for runners and
//! carry no position (the caller knows where the value is).

use crate::units::{KmH, METRES_PER_MILE};

/// A value that moves linearly in time from `from` to `to` across a step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ramp {
    pub from: f64,
    pub to: f64,
}

impl Ramp {
    pub fn constant(value: f64) -> Self {
        Ramp {
            from: value,
            to: value,
        }
    }
    pub fn mean(&self) -> f64 {
        (self.from + self.to) / 2.0
    }
    /// The value a fraction `x` (0..=1) of the way through.
    pub fn at(&self, x: f64) -> f64 {
        self.from + (self.to - self.from) * x
    }
    pub fn map(self, f: impl Fn(f64) -> f64) -> Ramp {
        Ramp {
            from: f(self.from),
            to: f(self.to),
        }
    }
}

/// Splits "a..b" into its ends; a plain value is a constant ramp.
fn split_ramp(text: &str) -> Result<(&str, Option<&str>), String> {
    match text.split_once("..") {
        None => Ok((text.trim(), None)),
        Some((a, b)) if b.contains("..") || a.trim().is_empty() || b.trim().is_empty() => Err(
            format!("`{text}` is not a ramp: write it as FROM..TO, e.g. \"160..170\""),
        ),
        Some((a, b)) => Ok((a.trim(), Some(b.trim()))),
    }
}

fn number(text: &str, what: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number ({what})"))?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(format!("`{text}` is not a finite number ({what})"))
    }
}

/// Strips a unit suffix (case-insensitive), returning the rest.
fn strip_unit<'a>(text: &'a str, units: &[&str]) -> Option<&'a str> {
    let lower = text.to_ascii_lowercase();
    units.iter().find_map(|unit| {
        lower
            .ends_with(unit)
            .then(|| text[..text.len() - unit.len()].trim_end())
    })
}

/// "45s", "3m", "1h10m", "1h10m30s", "2.5m", "1:30" (m:s), "1:05:00" (h:m:s).
pub fn parse_duration(text: &str) -> Result<f64, String> {
    let text = text.trim();
    let hint = "write a time like \"45s\", \"3m\", \"1h10m\", \"1:30\" or \"1:05:00\"";
    if text.is_empty() {
        return Err(format!("empty time: {hint}"));
    }
    if text.contains(':') {
        return parse_clock(text).ok_or_else(|| format!("`{text}` is not a time: {hint}"));
    }
    let mut total = 0.0;
    let mut rest = text;
    let mut seen_unit = false;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(format!("`{text}` is not a time: {hint}"));
        }
        let value = number(&rest[..digits], "time")?;
        let after = rest[digits..].trim_start();
        let unit_len = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        let scale = match after[..unit_len].to_ascii_lowercase().as_str() {
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
            "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
            "" => return Err(format!("`{text}` has no unit: {hint}")),
            other => return Err(format!("`{other}` is not a unit of time: {hint}")),
        };
        seen_unit = true;
        total += value * scale;
        rest = after[unit_len..].trim_start();
    }
    debug_assert!(seen_unit);
    Ok(total)
}

/// "m:ss" or "h:mm:ss"; every field after the first below 60.
fn parse_clock(text: &str) -> Option<f64> {
    let fields: Vec<&str> = text.split(':').collect();
    if fields.len() > 3 || fields.iter().any(|f| f.is_empty()) {
        return None;
    }
    let mut total = 0.0;
    for (i, field) in fields.iter().enumerate() {
        let value: f64 = if i + 1 == fields.len() {
            field.parse().ok()?
        } else {
            f64::from(field.parse::<u32>().ok()?)
        };
        if !value.is_finite() || value < 0.0 || (i > 0 && value >= 60.0) {
            return None;
        }
        total = total * 60.0 + value;
    }
    Some(total)
}

/// "800 m", "5 km", "1 mi", "1.5mi" -> metres.
pub fn parse_distance(text: &str) -> Result<f64, String> {
    let hint = "write a distance like \"800 m\", \"5 km\" or \"1 mi\"";
    let text = text.trim();
    let (value, scale) = if let Some(v) = strip_unit(text, &["km"]) {
        (v, 1000.0)
    } else if let Some(v) = strip_unit(text, &["mi", "mile", "miles"]) {
        (v, METRES_PER_MILE)
    } else if let Some(v) = strip_unit(text, &["m"]) {
        (v, 1.0)
    } else {
        return Err(format!("`{text}` has no distance unit: {hint}"));
    };
    Ok(number(value, "distance")? * scale)
}

/// 170, "170", "160..170", "170 spm".
pub fn parse_cadence(text: &str) -> Result<Ramp, String> {
    let body = strip_unit(text.trim(), &["spm"]).unwrap_or(text.trim());
    let (a, b) = split_ramp(body)?;
    let from = number(a, "cadence in steps per minute")?;
    let to = b.map_or(Ok(from), |b| number(b, "cadence in steps per minute"))?;
    Ok(Ramp { from, to })
}

/// "10 km/h", "6.2 mph", "3 m/s", "7..9 km/h" -> km/h.
pub fn parse_speed(text: &str) -> Result<Ramp, String> {
    let hint = "write a speed like \"10 km/h\", \"6.2 mph\", \"3 m/s\" or \"7..9 km/h\"";
    let text = text.trim();
    let (body, to_kmh): (&str, fn(f64) -> f64) =
        if let Some(v) = strip_unit(text, &["km/h", "kmh", "kph"]) {
            (v, |x| x)
        } else if let Some(v) = strip_unit(text, &["mph"]) {
            (v, |x| KmH::from_mph(x).0)
        } else if let Some(v) = strip_unit(text, &["m/s"]) {
            (v, |x| KmH::from_metres_per_second(x).0)
        } else {
            return Err(format!("`{text}` has no speed unit: {hint}"));
        };
    let (a, b) = split_ramp(body)?;
    let from = number(a, "speed")?;
    let to = b.map_or(Ok(from), |b| number(b, "speed"))?;
    Ok(Ramp { from, to }.map(to_kmh))
}

/// "5:30/km", "8:50/mi", "6:00..5:30/km" -> speed in km/h (a pace ramp
/// becomes a speed ramp between the two speeds, linear in time, which is
/// what a treadmill belt does).
pub fn parse_pace(text: &str) -> Result<Ramp, String> {
    let hint = "write a pace like \"5:30/km\", \"8:50/mi\" or \"6:00..5:30/km\"";
    let text = text.trim();
    let (body, metres) = if let Some(v) = strip_unit(text, &["/km", "min/km"]) {
        (v, 1000.0)
    } else if let Some(v) = strip_unit(text, &["/mi", "min/mi", "/mile"]) {
        (v, METRES_PER_MILE)
    } else {
        return Err(format!("`{text}` has no pace unit: {hint}"));
    };
    let (a, b) = split_ramp(body)?;
    let to_speed = |clock: &str| -> Result<f64, String> {
        let seconds = parse_clock(clock)
            .filter(|s| *s > 0.0)
            .ok_or_else(|| format!("`{clock}` is not a pace: {hint}"))?;
        Ok(metres / seconds * 3.6)
    };
    let from = to_speed(a)?;
    let to = b.map_or(Ok(from), to_speed)?;
    Ok(Ramp { from, to })
}

/// "4%", "1..6%", "-2%"; the % sign is optional ("4", like `incline = 4`):
/// an incline has no other unit it could be in.
pub fn parse_incline(text: &str) -> Result<Ramp, String> {
    let text = text.trim();
    let body = strip_unit(text, &["%"]).unwrap_or(text);
    let (a, b) = split_ramp(body)?;
    let from = number(a, "incline in %")?;
    let to = b.map_or(Ok(from), |b| number(b, "incline in %"))?;
    Ok(Ramp { from, to })
}

/// "165-175", "165 – 175" or "165 to 175" rewritten as the ramp
/// "165..175" it probably means; `None` when there is no such separator.
/// The caller offers it only when the rewrite parses.
pub fn dash_as_ramp(text: &str) -> Option<String> {
    let text = text.trim();
    // A leading minus is a sign ("-2..3%"), not a separator.
    let start = usize::from(text.starts_with('-'));
    ["\u{2013}", "\u{2014}", " to ", "-"]
        .iter()
        .find_map(|sep| {
            let at = start + text[start..].find(sep)?;
            let (a, b) = (text[..at].trim_end(), text[at + sep.len()..].trim_start());
            let digit_before = a.ends_with(|c: char| c.is_ascii_digit());
            let number_after = b.starts_with(|c: char| c.is_ascii_digit() || c == '-');
            (digit_before && number_after).then(|| format!("{a}..{b}"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("45s"), Ok(45.0));
        assert_eq!(parse_duration("3m"), Ok(180.0));
        assert_eq!(parse_duration("1h10m"), Ok(4200.0));
        assert_eq!(parse_duration("1h 10m 5s"), Ok(4205.0));
        assert_eq!(parse_duration("1:30"), Ok(90.0));
        assert_eq!(parse_duration("1:05:00"), Ok(3900.0));
        assert_eq!(parse_duration("2.5m"), Ok(150.0));
        assert!(parse_duration("1:75").is_err());
        assert!(parse_duration("10").is_err());
        assert!(parse_duration("10 parsecs").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("::").is_err());
    }

    #[test]
    fn distances() {
        assert_eq!(parse_distance("800 m"), Ok(800.0));
        assert_eq!(parse_distance("5 km"), Ok(5000.0));
        assert_eq!(parse_distance("1 mi"), Ok(METRES_PER_MILE));
        assert!(parse_distance("800").is_err());
    }

    #[test]
    fn speeds_and_paces() {
        assert_eq!(parse_speed("7..9 km/h"), Ok(Ramp { from: 7.0, to: 9.0 }));
        assert!((parse_speed("6 mph").unwrap().from - 9.656064).abs() < 1e-9);
        assert!((parse_speed("3 m/s").unwrap().from - 10.8).abs() < 1e-12);
        assert!((parse_pace("5:00/km").unwrap().from - 12.0).abs() < 1e-12);
        let ramp = parse_pace("6:00..5:00/km").unwrap();
        assert!((ramp.from - 10.0).abs() < 1e-12 && (ramp.to - 12.0).abs() < 1e-12);
        assert!(parse_pace("0:00/km").is_err());
        assert!(parse_speed("9").is_err());
        assert!(parse_speed("7.. km/h").is_err());
    }

    #[test]
    fn cadences_and_inclines() {
        assert_eq!(
            parse_cadence("160..170"),
            Ok(Ramp {
                from: 160.0,
                to: 170.0
            })
        );
        assert_eq!(parse_cadence("170 spm"), Ok(Ramp::constant(170.0)));
        assert_eq!(parse_incline("1..6%"), Ok(Ramp { from: 1.0, to: 6.0 }));
        assert_eq!(parse_incline("4"), Ok(Ramp::constant(4.0)));
        assert!(parse_incline("4 degrees").is_err());
        assert!(parse_cadence("1..2..3").is_err());
    }

    #[test]
    fn dashes_between_numbers_become_ramps() {
        assert_eq!(dash_as_ramp("165-175").as_deref(), Some("165..175"));
        assert_eq!(dash_as_ramp("7 - 9 km/h").as_deref(), Some("7..9 km/h"));
        assert_eq!(dash_as_ramp("165 to 175").as_deref(), Some("165..175"));
        assert_eq!(dash_as_ramp("160\u{2013}170").as_deref(), Some("160..170"));
        assert_eq!(dash_as_ramp("-5--2%").as_deref(), Some("-5..-2%"));
        assert_eq!(
            dash_as_ramp("6:00-5:30/km").as_deref(),
            Some("6:00..5:30/km")
        );
        assert_eq!(dash_as_ramp("-2%"), None);
        assert_eq!(dash_as_ramp("fast-ish"), None);
    }
}

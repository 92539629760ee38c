//! Across sessions, week by week (Monday to Sunday, in the runner's own
//! time zone): easy cadence, time in band, drift and hip pain. Pure.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate};

use super::analysis::SessionStats;
use super::record::SessionRecord;

/// What one session adds to the trends.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionPoint {
    pub id: i64,
    pub date: NaiveDate,
    pub easy_cadence: Option<f64>,
    pub in_band: Option<f64>,
    pub drift_spm: Option<f64>,
    pub pain: Option<u8>,
}

impl SessionPoint {
    pub fn of(record: &SessionRecord, stats: &SessionStats) -> SessionPoint {
        SessionPoint {
            id: record.head.id,
            date: local_date(record.head.started_ms, record.head.utc_offset_s),
            easy_cadence: stats.easy_cadence,
            in_band: stats.in_band,
            drift_spm: stats.drift_spm,
            pain: record.head.checkin.and_then(|c| c.pain),
        }
    }
}

/// A week of sessions: the means of what they measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Week {
    pub monday: NaiveDate,
    pub sessions: usize,
    pub easy_cadence: Option<f64>,
    pub in_band: Option<f64>,
    pub drift_spm: Option<f64>,
    pub pain: Option<f64>,
}

/// The date of `unix_ms` where the offset is `utc_offset_s`.
pub fn local_date(unix_ms: i64, utc_offset_s: i64) -> NaiveDate {
    let offset = FixedOffset::east_opt(utc_offset_s as i32)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero is a valid offset"));
    DateTime::from_timestamp_millis(unix_ms)
        .unwrap_or_default()
        .with_timezone(&offset)
        .date_naive()
}

pub fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// Every week from the one holding `from` to the one holding `to`, empty
/// weeks included (a gap in training is part of the picture).
pub fn weeks(points: &[SessionPoint], from: NaiveDate, to: NaiveDate) -> Vec<Week> {
    let mut out = Vec::new();
    let mut monday = monday_of(from);
    while monday <= to {
        let sunday = monday + Duration::days(6);
        let these: Vec<&SessionPoint> = points
            .iter()
            .filter(|p| p.date >= monday && p.date <= sunday)
            .collect();
        out.push(Week {
            monday,
            sessions: these.len(),
            easy_cadence: mean(these.iter().filter_map(|p| p.easy_cadence)),
            in_band: mean(these.iter().filter_map(|p| p.in_band)),
            drift_spm: mean(these.iter().filter_map(|p| p.drift_spm)),
            pain: mean(these.iter().filter_map(|p| p.pain.map(f64::from))),
        });
        monday += Duration::days(7);
    }
    out
}

/// "8w", "30d", "6m" (months of 30 days) as days.
pub fn span_days(text: &str) -> Option<i64> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit())?);
    let n: i64 = number.parse().ok().filter(|&n| n > 0 && n <= 5200)?;
    match unit.trim() {
        "d" => Some(n),
        "w" => Some(n * 7),
        "m" => Some(n * 30),
        _ => None,
    }
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(id: i64, date: &str, cadence: f64, pain: u8) -> SessionPoint {
        SessionPoint {
            id,
            date: date.parse().unwrap(),
            easy_cadence: Some(cadence),
            in_band: Some(0.9),
            drift_spm: None,
            pain: Some(pain),
        }
    }

    #[test]
    fn sessions_fall_into_monday_weeks_and_empty_weeks_stay() {
        let points = [
            point(1, "2026-03-02", 160.0, 4), // a Monday
            point(2, "2026-03-08", 164.0, 2), // that Sunday
            point(3, "2026-03-23", 170.0, 1),
        ];
        let weeks = weeks(
            &points,
            "2026-03-04".parse().unwrap(),
            "2026-03-24".parse().unwrap(),
        );
        let mondays: Vec<String> = weeks.iter().map(|w| w.monday.to_string()).collect();
        assert_eq!(
            mondays,
            ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"]
        );
        assert_eq!(weeks[0].sessions, 2);
        assert_eq!(weeks[0].easy_cadence, Some(162.0));
        assert_eq!(weeks[0].pain, Some(3.0));
        assert_eq!((weeks[1].sessions, weeks[1].easy_cadence), (0, None));
        assert_eq!(weeks[3].easy_cadence, Some(170.0));
    }

    #[test]
    fn spans_read_as_days() {
        assert_eq!(span_days("8w"), Some(56));
        assert_eq!(span_days("30d"), Some(30));
        assert_eq!(span_days("6m"), Some(180));
        assert_eq!(span_days("w"), None);
        assert_eq!(span_days("0w"), None);
        assert_eq!(span_days("8y"), None);
    }
}

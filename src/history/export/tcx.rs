//! The session as TCX (Garmin's Training Center XML, v2): an activity
//! with a lap per step and a trackpoint a second, speed and run cadence in
//! the ActivityExtension v2 (`TPX`). `RunCadence` is strides per minute,
//! as Garmin writes it (half the steps per minute; see `fit.rs`), and a
//! whole number, as the schema's type is a byte.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use super::track::Track;

/// ISO 8601 UTC, as TCX wants its times.
pub fn iso_time(unix_s: i64) -> String {
    DateTime::<Utc>::from_timestamp(unix_s, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn encode(track: &Track) -> String {
    let mut x = String::new();
    x.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\" \
         xmlns:ns3=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\">\n\
         <Activities>\n<Activity Sport=\"Running\">\n",
    );
    let start = track.start_unix_s().unwrap_or(0);
    let _ = writeln!(x, "<Id>{}</Id>", iso_time(start));
    for lap in &track.laps {
        let _ = writeln!(x, "<Lap StartTime=\"{}\">", iso_time(lap.start_unix_s));
        let _ = writeln!(x, "<TotalTimeSeconds>{:.1}</TotalTimeSeconds>", lap.timer_s);
        let _ = writeln!(x, "<DistanceMeters>{:.2}</DistanceMeters>", lap.distance_m);
        x.push_str("<Calories>0</Calories>\n<Intensity>Active</Intensity>\n");
        x.push_str("<TriggerMethod>Manual</TriggerMethod>\n<Track>\n");
        for p in &track.points[lap.points.0..lap.points.1] {
            let _ = write!(
                x,
                "<Trackpoint><Time>{}</Time><DistanceMeters>{:.2}</DistanceMeters>",
                iso_time(p.unix_s),
                p.distance_m
            );
            if p.speed_mps.is_some() || p.cadence_spm.is_some() {
                x.push_str("<Extensions><ns3:TPX>");
                if let Some(v) = p.speed_mps {
                    let _ = write!(x, "<ns3:Speed>{v:.3}</ns3:Speed>");
                }
                if let Some(spm) = p.cadence_spm {
                    let _ = write!(
                        x,
                        "<ns3:RunCadence>{}</ns3:RunCadence>",
                        (spm / 2.0).round()
                    );
                }
                x.push_str("</ns3:TPX></Extensions>");
            }
            x.push_str("</Trackpoint>\n");
        }
        x.push_str("</Track>\n");
        let _ = writeln!(x, "<Notes>{}</Notes>", escape(&lap.name));
        if let Some(spm) = lap.cadence_spm {
            let _ = writeln!(
                x,
                "<Extensions><ns3:LX><ns3:AvgRunCadence>{}</ns3:AvgRunCadence></ns3:LX></Extensions>",
                (spm / 2.0).round()
            );
        }
        x.push_str("</Lap>\n");
    }
    let _ = writeln!(x, "<Notes>{}</Notes>", escape(&track.sport_name));
    x.push_str("</Activity>\n</Activities>\n</TrainingCenterDatabase>\n");
    x
}

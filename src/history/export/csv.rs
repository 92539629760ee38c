//! The session as CSV: a row a second, for a spreadsheet. Units are in the
//! column names; an empty cell is a value that was not there (no cadence
//! heard, no belt).

use std::fmt::Write;

use super::tcx::iso_time;
use super::track::Track;

pub const HEADER: &str =
    "time,session_s,step,step_name,distance_m,speed_kmh,incline_pct,target_spm,cadence_spm";

fn cell(value: Option<f64>, decimals: usize) -> String {
    value.map_or(String::new(), |v| format!("{v:.decimals$}"))
}

/// A text cell, quoted when it holds a comma, quote or line break.
fn text_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

pub fn encode(track: &Track) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    for lap in &track.laps {
        let name = text_cell(&lap.name);
        for p in &track.points[lap.points.0..lap.points.1] {
            let _ = writeln!(
                out,
                "{},{:.1},{},{},{:.2},{},{},{},{}",
                iso_time(p.unix_s),
                p.session_s,
                p.step + 1,
                name,
                p.distance_m,
                cell(p.speed_mps.map(|v| v * 3.6), 2),
                cell(p.incline_pct, 1),
                cell(p.target_spm, 1),
                cell(p.cadence_spm, 1),
            );
        }
    }
    out
}

//! `treadbeat report [--since 8w] [ID] -o FILE`: a session's cadence
//! against its target and the weekly trends since then, as one HTML page,
//! an SVG or a PNG (by the extension).

use chrono::Duration;

use super::cli::ReportArgs;
use super::console::outln;
use super::failure::{CommandResult, Failure};
use super::history_access::{date_text, failure, open_log};
use crate::history::analysis::SessionStats;
use crate::history::report::{html, png, svg, Report};
use crate::history::trends::{local_date, span_days, weeks, SessionPoint};
use crate::io::output_file::write_bytes;

enum Kind {
    Html,
    Svg,
    Png,
}

pub fn run(args: &ReportArgs) -> CommandResult {
    let ext = args
        .output
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let kind = match ext.as_str() {
        "html" | "htm" => Kind::Html,
        "svg" => Kind::Svg,
        "png" => Kind::Png,
        _ => {
            return Err(Failure::invalid(format!(
                "{}: the extension picks the format: .html, .svg or .png",
                args.output.display()
            )))
        }
    };
    let days = span_days(&args.since).ok_or_else(|| {
        Failure::invalid(format!(
            "--since {}: give days, weeks or months, e.g. 30d, 8w, 6m",
            args.since
        ))
    })?;
    let store = open_log()?;
    let id = store.resolve(args.id).map_err(failure)?;
    let record = store.session(id).map_err(failure)?;
    let stats = SessionStats::of(&record);
    // The trends lead up to the session shown (the latest by default):
    // the report on an older session shows how things stood then.
    let to = local_date(record.head.started_ms, record.head.utc_offset_s);
    let from = to - Duration::days(days - 1);
    let mut points = Vec::new();
    for head in store.sessions().map_err(failure)? {
        let date = local_date(head.started_ms, head.utc_offset_s);
        if date < from || date > to {
            continue;
        }
        let other = store.session(head.id).map_err(failure)?;
        points.push(SessionPoint::of(&other, &SessionStats::of(&other)));
    }
    let weeks = weeks(&points, from, to);
    let since = format!("the {} days up to {}", days, to.format("%-d %b %Y"));
    let report = Report {
        record: &record,
        stats: &stats,
        weeks: &weeks,
        since: &since,
        date: date_text(&record.head),
    };
    let bytes = match kind {
        Kind::Html => html::page(&report).into_bytes(),
        Kind::Svg => svg::document(&report).into_bytes(),
        Kind::Png => png::render(&svg::document(&report))
            .map_err(|e| Failure::device(format!("cannot draw the PNG: {e}")))?,
    };
    write_bytes(&args.output, &bytes).map_err(Failure::io)?;
    outln!(
        "Report on session {id} and {} sessions in {} weeks written to {}.",
        points.len(),
        weeks.len(),
        args.output.display()
    );
    Ok(())
}

//! The report as one HTML page: the figures inline (SVG), a table per
//! step and per week, and a style sheet in the page. No script, no font,
//! image or style fetched from anywhere: it opens offline, mails as one
//! file, and prints.

use std::fmt::Write;

use super::svg::{escape, session_figure, trend_figure, TRENDS};
use super::Report;
use crate::units::clock_text;

const STYLE: &str = "body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;color:#222;\
max-width:820px;margin:24px auto;padding:0 10px}h1{font-size:22px}h2{font-size:17px;margin-top:28px}\
table{border-collapse:collapse;font-size:13px}td,th{padding:3px 8px;border-bottom:1px solid #ddd;\
text-align:right}td:nth-child(2),th:nth-child(2){text-align:left}.trends{display:flex;flex-wrap:wrap}\
.fatigue{color:#b71c1c;font-weight:bold}";

fn opt(value: Option<f64>, decimals: usize, suffix: &str) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.decimals$}{suffix}"))
}

pub fn page(report: &Report<'_>) -> String {
    let (record, stats) = (report.record, report.stats);
    let head = &record.head;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>treadbeat report: {}</title><style>{STYLE}</style></head><body>\n",
        escape(&head.profile_name)
    );
    let _ = writeln!(h, "<h1>treadbeat progress report</h1>");
    let checkin = head.checkin;
    let _ = writeln!(
        h,
        "<p id=\"summary\">Session {} · {} · {} · {}: played {} of {}, cadence {} spm, \
         time in band {}, drift {} spm, hip pain {}, effort {}.</p>",
        head.id,
        escape(&head.profile_name),
        escape(&report.date),
        head.outcome(),
        clock_text(stats.played_s),
        clock_text(head.planned_s),
        opt(stats.measured_mean, 1, ""),
        opt(stats.in_band.map(|b| b * 100.0), 0, " %"),
        opt(stats.drift_spm, 1, ""),
        checkin
            .and_then(|c| c.pain)
            .map_or("-".to_string(), |p| format!("{p}/10")),
        checkin
            .and_then(|c| c.effort)
            .map_or("-".to_string(), |e| format!("{e}/10")),
    );
    h.push_str(&session_figure(report, 0.0, 0.0));
    let _ = writeln!(
        h,
        "<h2>Step by step</h2>\n<table id=\"steps\"><tr><th>#</th><th>step</th><th>time</th>\
         <th>target</th><th>measured</th><th>in band</th><th>drift</th><th>step-time variability</th></tr>"
    );
    for step in &stats.steps {
        let variability = step.variability.map_or("-".to_string(), |v| {
            let flag = if v.fatigue() {
                " <span class=\"fatigue\">fatigue</span>"
            } else {
                ""
            };
            format!(
                "{:.1} % → {:.1} %{flag}",
                v.first_cv * 100.0,
                v.last_cv * 100.0
            )
        });
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            step.index + 1,
            escape(&step.name),
            clock_text(step.played_s),
            opt(step.target_mean, 0, ""),
            opt(step.measured_mean, 1, ""),
            opt(step.in_band.map(|b| b * 100.0), 0, " %"),
            opt(step.drift_spm, 1, ""),
            variability
        );
    }
    h.push_str("</table>\n");
    let warnings: Vec<_> = record.warnings().collect();
    if !warnings.is_empty() {
        h.push_str("<h2>Warnings</h2>\n<ul id=\"warnings\">\n");
        for (at, code, text) in warnings {
            let _ = writeln!(
                h,
                "<li>{} {} ({})</li>",
                clock_text(at),
                escape(text),
                escape(code)
            );
        }
        h.push_str("</ul>\n");
    }
    let _ = writeln!(
        h,
        "<h2>Week by week, {}</h2>\n<div class=\"trends\">",
        escape(report.since)
    );
    for trend in &TRENDS {
        h.push_str(&trend_figure(trend, report.weeks, 0.0, 0.0));
    }
    h.push_str(
        "</div>\n<table id=\"weeks\"><tr><th>week of</th><th>sessions</th><th>easy cadence</th>\
        <th>in band</th><th>drift</th><th>pain</th></tr>\n",
    );
    for week in report.weeks {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            week.monday,
            week.sessions,
            opt(week.easy_cadence, 1, ""),
            opt(week.in_band.map(|b| b * 100.0), 0, " %"),
            opt(week.drift_spm, 1, ""),
            opt(week.pain, 1, ""),
        );
    }
    h.push_str("</table>\n</body></html>\n");
    h
}

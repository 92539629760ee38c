//! The report's figures as SVG text: the session's cadence against its
//! target band, and a small chart per weekly trend. Each figure is a whole
//! `<svg>` element, so the HTML page inlines them as they are and the SVG
//! document nests them. Plain shapes and text only: no scripts, no
//! external references, nothing a viewer must fetch.

use std::fmt::Write;

use super::super::analysis::BAND_SPM;
use super::super::trends::Week;
use super::Report;
use crate::units::clock_text;

pub const WIDTH: f64 = 800.0;
pub const SESSION_HEIGHT: f64 = 320.0;
pub const TREND_WIDTH: f64 = 390.0;
pub const TREND_HEIGHT: f64 = 190.0;

/// Colours that print and survive a projector: the band a pale green, the
/// measured cadence a strong blue, warnings red.
pub const BAND_FILL: &str = "#b9e4c3";
pub const TARGET_STROKE: &str = "#2e7d32";
pub const MEASURED_STROKE: &str = "#1544b0";
pub const WARNING_FILL: &str = "#d32f2f";
const INK: &str = "#222222";
const GRID: &str = "#dddddd";

const FONT: &str = "font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\"";

/// Maps data to the plot area.
struct Frame {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
    x: (f64, f64),
    y: (f64, f64),
}

impl Frame {
    fn px(&self, x: f64) -> f64 {
        self.left + (x - self.x.0) / (self.x.1 - self.x.0).max(1e-9) * self.width
    }
    fn py(&self, y: f64) -> f64 {
        self.top + (self.y.1 - y) / (self.y.1 - self.y.0).max(1e-9) * self.height
    }
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn open(s: &mut String, id: &str, x: f64, y: f64, w: f64, h: f64) {
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" {FONT}>"
    );
    let _ = writeln!(s, "<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>");
}

/// A tick step that gives at most `most` ticks over `span`.
fn tick_step(span: f64, most: f64, steps: &[f64]) -> f64 {
    steps
        .iter()
        .copied()
        .find(|s| span / s <= most)
        .unwrap_or(*steps.last().unwrap_or(&1.0))
}

fn y_axis(s: &mut String, f: &Frame, step: f64, suffix: &str) {
    let mut v = (f.y.0 / step).ceil() * step;
    while v <= f.y.1 + 1e-9 {
        let y = f.py(v);
        let _ = writeln!(
            s,
            "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{GRID}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"{INK}\">{v:.0}{suffix}</text>",
            f.left,
            f.left + f.width,
            f.left - 6.0,
            y + 4.0
        );
        v += step;
    }
}

/// The session's cadence over session time against the target band.
pub fn session_figure(report: &Report<'_>, x: f64, y: f64) -> String {
    let (record, stats) = (report.record, report.stats);
    let mut s = String::new();
    open(&mut s, "session-cadence", x, y, WIDTH, SESSION_HEIGHT);
    let _ = writeln!(
        s,
        "<text x=\"16\" y=\"22\" font-size=\"15\" font-weight=\"bold\" fill=\"{INK}\">Cadence against target: {} · {}</text>",
        escape(&record.head.profile_name),
        escape(&report.date)
    );
    let end_s = record.head.reached_s.max(1.0);
    let mut values: Vec<f64> = Vec::new();
    for w in &stats.windows {
        if let Some(t) = w.target {
            values.extend([t - BAND_SPM, t + BAND_SPM]);
        }
        values.extend(w.cadence);
    }
    let lo = values.iter().copied().fold(f64::MAX, f64::min);
    let hi = values.iter().copied().fold(f64::MIN, f64::max);
    let (lo, hi) = if values.is_empty() {
        (150.0, 190.0)
    } else {
        (
            ((lo - 2.0) / 5.0).floor() * 5.0,
            ((hi + 2.0) / 5.0).ceil() * 5.0,
        )
    };
    let f = Frame {
        left: 56.0,
        top: 44.0,
        width: WIDTH - 56.0 - 20.0,
        height: SESSION_HEIGHT - 44.0 - 44.0,
        x: (0.0, end_s),
        y: (lo, hi.max(lo + 10.0)),
    };
    y_axis(
        &mut s,
        &f,
        tick_step(f.y.1 - f.y.0, 8.0, &[2.0, 5.0, 10.0, 20.0]),
        "",
    );
    // Time ticks in whole minutes.
    let minute = tick_step(end_s / 60.0, 10.0, &[1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0]) * 60.0;
    let mut t = 0.0;
    while t <= end_s + 1e-9 {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{INK}\">{}</text>",
            f.px(t),
            f.top + f.height + 16.0,
            clock_text(t)
        );
        t += minute;
    }
    // Step boundaries, named where there is room.
    for (i, step) in record.steps.iter().enumerate() {
        if step.start_s >= end_s {
            break;
        }
        let x0 = f.px(step.start_s);
        let room = f.px(step.end_s().min(end_s)) - x0;
        let _ = writeln!(
            s,
            "<line class=\"step-start\" x1=\"{x0:.1}\" y1=\"{:.1}\" x2=\"{x0:.1}\" y2=\"{:.1}\" stroke=\"#bbbbbb\" stroke-dasharray=\"3 3\"/>",
            f.top,
            f.top + f.height
        );
        if room > 70.0 {
            let name: String = step.name.chars().take((room / 7.0) as usize).collect();
            let _ = writeln!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"#666666\">{}. {}</text>",
                x0 + 3.0,
                f.top + 11.0,
                i + 1,
                escape(&name)
            );
        }
    }
    // The band, the target through it, the measured cadence over both.
    let mut band = String::new();
    let mut target = String::new();
    for w in &stats.windows {
        if let Some(t) = w.target {
            let _ = write!(
                band,
                "M{:.1} {:.1}H{:.1}V{:.1}H{:.1}Z",
                f.px(w.from_s),
                f.py(t + BAND_SPM),
                f.px(w.to_s),
                f.py(t - BAND_SPM),
                f.px(w.from_s)
            );
            let _ = write!(
                target,
                "M{:.1} {:.1}H{:.1}",
                f.px(w.from_s),
                f.py(t),
                f.px(w.to_s)
            );
        }
    }
    let _ = writeln!(
        s,
        "<path class=\"band\" d=\"{band}\" fill=\"{BAND_FILL}\"/>"
    );
    let _ = writeln!(
        s,
        "<path class=\"target\" d=\"{target}\" fill=\"none\" stroke=\"{TARGET_STROKE}\" stroke-width=\"1\"/>"
    );
    let mut measured = String::new();
    let mut previous_end: Option<f64> = None;
    let mut count = 0;
    for w in &stats.windows {
        match w.cadence {
            Some(c) => {
                let joined = previous_end.is_some_and(|e| (e - w.from_s).abs() < 1e-6);
                let cmd = if joined { 'L' } else { 'M' };
                let _ = write!(measured, "{cmd}{:.1} {:.1}", f.px(w.middle_s()), f.py(c));
                previous_end = Some(w.to_s);
                count += 1;
            }
            None => previous_end = None,
        }
    }
    let _ = writeln!(
        s,
        "<path class=\"measured\" data-windows=\"{count}\" d=\"{measured}\" fill=\"none\" stroke=\"{MEASURED_STROKE}\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>"
    );
    for (at, code, text) in record.warnings() {
        let x = f.px(at);
        let _ = writeln!(
            s,
            "<path class=\"warning\" d=\"M{:.1} {:.1}l6 -10h-12z\" fill=\"{WARNING_FILL}\"><title>{} {} ({})</title></path>",
            x,
            f.top + f.height,
            clock_text(at),
            escape(text),
            escape(code)
        );
    }
    if count == 0 {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"middle\" fill=\"#555555\">No steps heard: run with --mic to measure your cadence</text>",
            f.left + f.width / 2.0,
            f.top + f.height / 2.0
        );
    }
    let _ = writeln!(
        s,
        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"14\" height=\"10\" fill=\"{BAND_FILL}\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"{INK}\">target ±3 spm</text>\
         <line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{MEASURED_STROKE}\" stroke-width=\"2.5\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"{INK}\">measured (5 s windows)</text>\
         <path d=\"M{:.1} {:.1}l6 -10h-12z\" fill=\"{WARNING_FILL}\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"{INK}\">warning</text>",
        f.left,
        SESSION_HEIGHT - 18.0,
        f.left + 18.0,
        SESSION_HEIGHT - 9.0,
        f.left + 120.0,
        SESSION_HEIGHT - 13.0,
        f.left + 140.0,
        SESSION_HEIGHT - 13.0,
        f.left + 146.0,
        SESSION_HEIGHT - 9.0,
        f.left + 300.0,
        SESSION_HEIGHT - 8.0,
        f.left + 310.0,
        SESSION_HEIGHT - 9.0,
    );
    s.push_str("</svg>\n");
    s
}

/// One weekly trend: what it is, how to read its values.
pub struct Trend {
    pub id: &'static str,
    pub title: &'static str,
    pub value: fn(&Week) -> Option<f64>,
    /// Fixed y range, or `None` to fit the data.
    pub range: Option<(f64, f64)>,
    pub suffix: &'static str,
}

pub const TRENDS: [Trend; 4] = [
    Trend {
        id: "trend-cadence",
        title: "Easy cadence (spm)",
        value: |w| w.easy_cadence,
        range: None,
        suffix: "",
    },
    Trend {
        id: "trend-in-band",
        title: "Time within ±3 spm of target",
        value: |w| w.in_band.map(|b| b * 100.0),
        range: Some((0.0, 100.0)),
        suffix: "%",
    },
    Trend {
        id: "trend-drift",
        title: "Drift, last third against first (spm)",
        value: |w| w.drift_spm,
        range: None,
        suffix: "",
    },
    Trend {
        id: "trend-pain",
        title: "Hip pain after the run (0-10)",
        value: |w| w.pain,
        range: Some((0.0, 10.0)),
        suffix: "",
    },
];

pub fn trend_figure(trend: &Trend, weeks: &[Week], x: f64, y: f64) -> String {
    let mut s = String::new();
    open(&mut s, trend.id, x, y, TREND_WIDTH, TREND_HEIGHT);
    let _ = writeln!(
        s,
        "<text x=\"12\" y=\"18\" font-size=\"13\" font-weight=\"bold\" fill=\"{INK}\">{}</text>",
        escape(trend.title)
    );
    let values: Vec<Option<f64>> = weeks.iter().map(trend.value).collect();
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    let (lo, hi) = trend.range.unwrap_or_else(|| {
        let lo = known.iter().copied().fold(f64::MAX, f64::min);
        let hi = known.iter().copied().fold(f64::MIN, f64::max);
        if known.is_empty() {
            (0.0, 10.0)
        } else {
            ((lo - 2.0).floor(), (hi + 2.0).ceil())
        }
    });
    let f = Frame {
        left: 46.0,
        top: 30.0,
        width: TREND_WIDTH - 46.0 - 14.0,
        height: TREND_HEIGHT - 30.0 - 34.0,
        x: (-0.5, weeks.len().max(1) as f64 - 0.5),
        y: (lo, hi.max(lo + 1.0)),
    };
    y_axis(
        &mut s,
        &f,
        tick_step(f.y.1 - f.y.0, 5.0, &[1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0]),
        trend.suffix,
    );
    let label_every = weeks.len().div_ceil(6).max(1);
    for (i, week) in weeks.iter().enumerate() {
        if i % label_every == 0 {
            let _ = writeln!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"{INK}\">{}</text>",
                f.px(i as f64),
                f.top + f.height + 15.0,
                week.monday.format("%-d %b")
            );
        }
    }
    let mut line = String::new();
    let mut previous = false;
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => {
                let _ = write!(
                    line,
                    "{}{:.1} {:.1}",
                    if previous { 'L' } else { 'M' },
                    f.px(i as f64),
                    f.py(*v)
                );
                previous = true;
            }
            None => previous = false,
        }
    }
    let _ = writeln!(
        s,
        "<path d=\"{line}\" fill=\"none\" stroke=\"{MEASURED_STROKE}\" stroke-width=\"2\"/>"
    );
    for (i, v) in values.iter().enumerate() {
        if let Some(v) = v {
            let _ = writeln!(
                s,
                "<circle class=\"week-point\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"{MEASURED_STROKE}\"><title>week of {}: {v:.1}</title></circle>",
                f.px(i as f64),
                f.py(*v),
                weeks[i].monday
            );
        }
    }
    if known.is_empty() {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#555555\">no data in these weeks</text>",
            f.left + f.width / 2.0,
            f.top + f.height / 2.0
        );
    }
    s.push_str("</svg>\n");
    s
}

/// The whole report as one SVG: the session figure over a 2 x 2 grid of
/// trends.
pub fn document(report: &Report<'_>) -> String {
    let height = SESSION_HEIGHT + 2.0 * TREND_HEIGHT + 50.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" {FONT}>\n<rect width=\"{WIDTH}\" height=\"{height}\" fill=\"#ffffff\"/>"
    );
    s.push_str(&session_figure(report, 0.0, 0.0));
    let _ = writeln!(
        s,
        "<text x=\"16\" y=\"{:.1}\" font-size=\"15\" font-weight=\"bold\" fill=\"{INK}\">Week by week, {}</text>",
        SESSION_HEIGHT + 32.0,
        escape(report.since)
    );
    for (i, trend) in TRENDS.iter().enumerate() {
        let x = 10.0 + (i % 2) as f64 * (TREND_WIDTH + 0.0);
        let y = SESSION_HEIGHT + 44.0 + (i / 2) as f64 * TREND_HEIGHT;
        s.push_str(&trend_figure(trend, report.weeks, x, y));
    }
    s.push_str("</svg>\n");
    s
}

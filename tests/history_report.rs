//! `treadbeat report` looked at: the HTML page opened in a real headless
//! Chromium (its DOM as the browser built it, and a screenshot whose
//! pixels show the chart's band and measured line), the page self-contained
//! (nothing fetched), the PNG decoded and its pixels checked, the SVG
//! parsed. Chromium comes from `.ci/setup test`.

mod support;

use std::path::Path;
use std::process::Command;

use resvg::tiny_skia::Pixmap;
use support::history::{ok, on_target, treadbeat_in, Replay, DAY_MS, MONDAY_MS};

const BUILDER: &str = include_str!("fixtures/history/builder.toml");

/// The colours the report draws with (history::report::svg).
const BAND: [u8; 3] = [0xb9, 0xe4, 0xc3];
const MEASURED: [u8; 3] = [0x15, 0x44, 0xb0];
const WARNING: [u8; 3] = [0xd3, 0x2f, 0x2f];

/// Three sessions over three weeks, checked in; the first sags and is warned.
fn sessions(data: &Path) {
    let mut r = Replay::start(data, BUILDER, MONDAY_MS, true);
    let plan = r.timeline.clone();
    r.run_until(300.0, on_target(&plan));
    r.run_until(480.0, |t| {
        on_target(&plan)(t).map(|c| c - (t - 300.0) / 30.0)
    });
    r.warn("cadence_low", "Quick feet. Shorten your stride.");
    r.finish(on_target(&plan));
    ok(&treadbeat_in(
        data,
        &["checkin", "--pain", "4", "--effort", "7"],
    ));
    for week in 1..3 {
        let r = Replay::start(data, BUILDER, MONDAY_MS + week * 7 * DAY_MS, true);
        r.finish(on_target(&plan));
        ok(&treadbeat_in(
            data,
            &["checkin", "--pain", &(4 - week).to_string()],
        ));
    }
}

fn chromium() -> &'static str {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return name;
        }
    }
    panic!("a headless browser is needed: `.ci/setup test` installs chromium");
}

fn headless(browser: &str) -> Command {
    let mut c = Command::new(browser);
    // Root in a container has no sandbox to offer; no GPU, no profile kept.
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
    ]);
    c
}

/// How many pixels are within 12 of `rgb` in each channel, inside `rows`.
fn count(pixmap: &Pixmap, rgb: [u8; 3], rows: std::ops::Range<u32>) -> usize {
    let w = pixmap.width() as usize;
    let rows = rows.start.min(pixmap.height()) as usize..rows.end.min(pixmap.height()) as usize;
    pixmap.pixels()[rows.start * w..rows.end * w]
        .iter()
        .filter(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue()]
                .iter()
                .zip(rgb)
                .all(|(a, b)| a.abs_diff(b) <= 12)
        })
        .count()
}

/// The first and one past the last row holding a pixel of `rgb`.
fn rows_with(pixmap: &Pixmap, rgb: [u8; 3]) -> std::ops::Range<u32> {
    let rows: Vec<u32> = (0..pixmap.height())
        .filter(|&y| count(pixmap, rgb, y..y + 1) > 0)
        .collect();
    rows[0]..rows[rows.len() - 1] + 1
}

#[test]
fn the_html_report_shows_in_a_real_browser() {
    let browser = chromium();
    let data = tempfile::tempdir().unwrap();
    sessions(data.path());
    let page = data.path().join("report.html");
    let said = ok(&treadbeat_in(
        data.path(),
        &["report", "1", "--since", "3w", "-o", page.to_str().unwrap()],
    ));
    assert!(said.contains("session 1"), "{said}");
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained: nothing to fetch, nothing to run.
    for outside in [
        "<script", "<link", "<img", "src=", "href=", "url(", "@import",
    ] {
        assert!(
            !html.contains(outside),
            "the page refers outside: {outside}"
        );
    }

    let url = format!("file://{}", page.display());
    let dom = headless(browser)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    assert!(dom.status.success());
    let dom = String::from_utf8(dom.stdout).unwrap();
    // The DOM as the browser built it from the page (HTML, not XML: read
    // as text).
    let summary = dom
        .split("id=\"summary\">")
        .nth(1)
        .unwrap()
        .split("</p>")
        .next()
        .unwrap();
    assert!(
        summary.contains("Session 1") && summary.contains("hip pain 4/10"),
        "{summary}"
    );
    let steps = dom
        .split("id=\"steps\">")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    assert_eq!(
        steps.matches("<tr>").count(),
        1 + 7,
        "a header and a row per step"
    );
    assert!(steps.contains("Quick feet 1/2"));
    // The weeks up to session 1 (the report on an older session shows
    // how things stood then): 21 days up to a Monday touch four Monday
    // weeks; only the last has a session.
    let weeks = dom
        .split("id=\"weeks\">")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    assert_eq!(weeks.matches("<tr>").count(), 1 + 4);
    assert!(weeks.contains("<td>2026-03-02</td><td>1</td>"), "{weeks}");
    assert!(dom.contains("Quick feet. Shorten your stride."));
    for id in [
        "session-cadence",
        "trend-cadence",
        "trend-in-band",
        "trend-drift",
        "trend-pain",
    ] {
        assert!(dom.contains(&format!("id=\"{id}\"")), "{id} in the DOM");
    }

    // What it shows: the band and the measured line in the chart, the
    // warning's marker, on a white page.
    let shot = data.path().join("shot.png");
    let run = headless(browser)
        .args([
            "--window-size=900,1600",
            &format!("--screenshot={}", shot.display()),
        ])
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let pixmap = Pixmap::load_png(&shot).unwrap();
    assert_eq!((pixmap.width(), pixmap.height()), (900, 1600));
    // The band is drawn only in the session chart: where its rows are is
    // where the chart is, whatever the fonts did to the lines above it.
    let band_rows = rows_with(&pixmap, BAND);
    let chart = band_rows.start.saturating_sub(20)..band_rows.end + 60;
    assert!(
        band_rows.end - band_rows.start > 150,
        "a chart of height: {band_rows:?}"
    );
    assert!(
        count(&pixmap, BAND, chart.clone()) > 10_000,
        "the target band"
    );
    assert!(
        count(&pixmap, MEASURED, chart.clone()) > 1_200,
        "the measured line"
    );
    assert!(
        count(&pixmap, WARNING, chart.clone()) > 20,
        "the warning marker"
    );
    // The trends below it: one point in each (the week of session 1).
    let points = count(&pixmap, MEASURED, chart.end..pixmap.height());
    assert!(
        (4 * 30..4 * 80).contains(&points),
        "a weekly point in each trend: {points} px"
    );
}

#[test]
fn the_png_report_is_the_charts_drawn() {
    let data = tempfile::tempdir().unwrap();
    sessions(data.path());
    let png = data.path().join("report.png");
    ok(&treadbeat_in(
        data.path(),
        &["report", "-o", png.to_str().unwrap()],
    ));
    let pixmap = Pixmap::load_png(&png).unwrap();
    // 800 x 750 SVG units, drawn twice as large.
    assert_eq!((pixmap.width(), pixmap.height()), (1600, 1500));
    let white = pixmap.pixel(0, 0).unwrap().demultiply();
    assert_eq!((white.red(), white.green(), white.blue()), (255, 255, 255));
    // The latest session held the beat: band and line in the top figure.
    assert!(count(&pixmap, BAND, 80..580) > 40_000);
    assert!(count(&pixmap, MEASURED, 80..580) > 5_000);
    assert_eq!(
        count(&pixmap, WARNING, 80..580),
        0,
        "no warning in session 3"
    );
    // Three weekly points in each of the four trends (r = 4 units, 8 px).
    assert!(count(&pixmap, MEASURED, 700..1500) > 4 * 3 * 150);
}

#[test]
fn the_svg_report_is_one_document_with_every_figure() {
    let data = tempfile::tempdir().unwrap();
    sessions(data.path());
    let svg = data.path().join("report.svg");
    ok(&treadbeat_in(
        data.path(),
        &["report", "-o", svg.to_str().unwrap()],
    ));
    let text = std::fs::read_to_string(&svg).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    let ids: Vec<&str> = root
        .children()
        .filter(|n| n.has_tag_name("svg") || n.tag_name().name() == "svg")
        .filter_map(|n| n.attribute("id"))
        .collect();
    assert_eq!(
        ids,
        [
            "session-cadence",
            "trend-cadence",
            "trend-in-band",
            "trend-drift",
            "trend-pain"
        ]
    );
    let measured = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("measured"))
        .unwrap();
    // 15 minutes in 5 s windows, every one heard.
    assert_eq!(measured.attribute("data-windows"), Some("180"));
}

#[test]
fn a_bad_span_or_format_is_one_line_and_exit_1() {
    let data = tempfile::tempdir().unwrap();
    sessions(data.path());
    for args in [
        &["report", "--since", "8y", "-o", "r.html"][..],
        &["report", "-o", "r.pdf"],
        &["report", "9", "-o", "r.html"],
    ] {
        let out = treadbeat_in(data.path(), args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    }
}

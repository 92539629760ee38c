//! The big numbers and states: which ones the moment calls for (cadence,
//! time left, belt speed; or PAUSED, the count-in, a stretch's hold),
//! their captions with the units, and drawing them at the largest scale
//! the area allows.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::big_digits::BigText;
use super::layout::{arrange, number_rects, Tier};
use super::now::Now;
use super::theme::Theme;
use super::view::ScreenState;
use crate::plan::Units;
use crate::units::{clock_text, KmH};

/// Seconds before a step change when the time left turns into a countdown.
pub const COUNTDOWN_S: f64 = 10.0;

/// One big number (or word) with its caption.
#[derive(Debug, Clone, PartialEq)]
pub struct Big {
    pub caption: String,
    pub text: String,
    pub style: Style,
}

pub fn big(caption: impl Into<String>, text: impl Into<String>, style: Style) -> Big {
    Big {
        caption: caption.into(),
        text: text.into(),
        style,
    }
}

/// Whether the countdown to the next change is on.
pub fn counting_down(now: &Now) -> bool {
    now.next.is_some() && now.step_left_s <= COUNTDOWN_S
}

/// "10.0" and "km/h · 6:00/km" in the profile's units.
fn speed_big(units: Units, kmh: f64) -> (String, String) {
    let speed = KmH(kmh);
    match units {
        Units::Metric => (
            format!("{kmh:.1}"),
            format!("km/h · {}/km", clock_text(speed.pace_s_per_km())),
        ),
        Units::Imperial => (
            format!("{:.1}", speed.mph()),
            format!("mph · {}/mi", clock_text(speed.pace_s_per_mile())),
        ),
    }
}

/// The targets in words where speed has no big digits (Compact):
/// "Cadence 170 spm · Speed 10.0 km/h · 6:00/km · Incline 1%".
pub fn targets_short(state: &ScreenState, now: &Now) -> String {
    let mut parts = Vec::new();
    if let Some(c) = now.cadence_spm.filter(|_| now.segment.kind.on_belt()) {
        parts.push(format!("Cadence {c:.0} spm"));
    }
    if let Some(kmh) = now.speed_kmh {
        let (text, unit) = speed_big(state.timeline.units, kmh);
        parts.push(format!("Speed {text} {unit}"));
    }
    if let Some(i) = now.segment.incline_pct {
        parts.push(format!("Incline {}%", crate::readout::ramp_text(i, 1)));
    }
    parts.join(" · ")
}

/// The numbers the moment calls for, most important first.
pub fn items(state: &ScreenState, now: &Now, tier: Tier) -> Vec<Big> {
    let theme = state.theme;
    if state.telemetry.paused {
        return vec![big("PAUSED · space to go on", "PAUSED", theme.paused())];
    }
    let mut out = Vec::new();
    if let Some(beats) = now.count_in_beats {
        out.push(big("COUNT-IN", beats.to_string(), theme.upcoming()));
        if let Some(c) = now.cadence_spm {
            out.push(big("CADENCE spm", format!("{c:.0}"), theme.digits()));
        }
        return out;
    }
    if let Some(hold) = now.hold {
        let caption = match hold.side {
            Some(side) => format!("HOLD · side {side} of 2"),
            None => format!("HOLD {} of {}", hold.number, hold.of),
        };
        out.push(big(caption, clock_text(hold.left_s), theme.digits()));
    }
    if let Some(c) = now.cadence_spm.filter(|_| now.segment.kind.on_belt()) {
        let nudge = state.telemetry.nudge_spm;
        let mut caption = "CADENCE spm".to_string();
        if nudge != 0.0 {
            caption.push_str(&format!(" ({nudge:+})"));
        }
        if !now.segment.clicked {
            caption.push_str(" · no clicks");
        }
        if let Some(you) = state.heard.and_then(|h| h.cadence_spm) {
            caption.push_str(&format!(" · you {you:.0}"));
        }
        out.push(big(caption, format!("{c:.0}"), theme.digits()));
    }
    let (caption, style) = if counting_down(now) {
        ("NEXT CHANGE IN".to_string(), theme.upcoming())
    } else if now.segment.kind.on_belt() {
        ("STEP LEFT".to_string(), theme.digits())
    } else {
        (
            format!("{} LEFT", now.segment.kind.name().to_uppercase()),
            theme.digits(),
        )
    };
    out.push(big(caption, clock_text(now.step_left_s), style));
    if let (Tier::Full, Some(kmh)) = (tier, now.speed_kmh) {
        let (text, unit) = speed_big(state.timeline.units, kmh);
        out.push(big(format!("SPEED {unit}"), text, theme.digits()));
    }
    out
}

pub fn draw(frame: &mut Frame, area: Rect, state: &ScreenState, now: &Now, tier: Tier) {
    draw_big(frame, area, &items(state, now, tier), state.theme);
}

/// Captioned numbers (or words) at the largest scale `area` allows, on one
/// row or two; as words when not even scale 1 fits.
pub fn draw_big(frame: &mut Frame, area: Rect, items: &[Big], theme: Theme) {
    let pairs: Vec<(&str, &str)> = items
        .iter()
        .map(|b| (b.caption.as_str(), b.text.as_str()))
        .collect();
    let Some(arrangement) = arrange(&pairs, area.width, area.height) else {
        // Too small for blocks after all: captions and values as words.
        let lines: Vec<String> = items
            .iter()
            .map(|b| format!("{} {}", b.caption, b.text))
            .collect();
        frame.render_widget(Paragraph::new(lines.join("\n")), area);
        return;
    };
    for (i, rect) in number_rects(&arrangement, &pairs, area) {
        let item = &items[i];
        draw_one(frame, rect, item, arrangement.scale, theme);
    }
}

fn draw_one(frame: &mut Frame, rect: Rect, item: &Big, scale: u16, theme: Theme) {
    let caption = Rect { height: 1, ..rect };
    frame.render_widget(
        Paragraph::new(item.caption.as_str())
            .style(theme.caption())
            .centered(),
        caption,
    );
    let digits = Rect {
        y: rect.y + 1,
        height: rect.height.saturating_sub(1),
        ..rect
    };
    frame.render_widget(
        BigText {
            text: &item.text,
            scale,
            style: item.style,
        },
        digits,
    );
}

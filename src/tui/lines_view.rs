//! The live screen for a terminal too small for block digits: the step and
//! its time left, session time left, the targets, the next step, a
//! progress bar, the runner's steps, the coach's last words, in lines.

use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Gauge, Paragraph, Wrap};
use ratatui::Frame;

use super::steps_meter::meter_line;
use super::view::ScreenState;
use crate::plan::{Segment, Timeline};
use crate::readout::{pace_text, ramp_text, speed_text};
use crate::units::{clock_text, SampleRate};

/// "Cadence 170 spm   Speed 10 km/h (6.2 mph)   Pace 6:00/km (9:39/mi)".
pub fn targets(segment: &Segment, timeline: &Timeline, nudge: f64) -> String {
    let mut parts = Vec::new();
    if let Some(c) = segment.cadence {
        let shifted = c.map(|x| x + nudge);
        let silent = if segment.clicked { "" } else { " (no clicks)" };
        let nudged = if nudge != 0.0 {
            format!(" ({nudge:+})")
        } else {
            String::new()
        };
        parts.push(format!(
            "Cadence {} spm{nudged}{silent}",
            ramp_text(shifted, 0)
        ));
    }
    if let Some(speed) = segment.speed_kmh {
        parts.push(format!("Speed {}", speed_text(timeline.units, speed)));
        parts.push(format!("Pace {}", pace_text(timeline.units, speed)));
    }
    if let Some(incline) = segment.incline_pct {
        parts.push(format!("Incline {}%", ramp_text(incline, 1)));
    }
    parts.join("   ")
}

pub fn draw(frame: &mut Frame, state: &ScreenState) {
    let timeline = state.timeline;
    let t = state.telemetry.session_s(SampleRate(state.rate)).max(0.0);
    let total = timeline.total_s();
    let index = state.telemetry.segment.unwrap_or(0);
    let segment = &timeline.segments[index.min(timeline.segments.len() - 1)];
    let status = if state.telemetry.paused {
        "  PAUSED"
    } else {
        ""
    };
    let now = if state.telemetry.session_frame.0 < 0 {
        "Count-in…".to_string()
    } else {
        format!(
            "Step {}/{}  {} ({})   {} left in step{status}",
            index + 1,
            timeline.segments.len(),
            segment.name,
            segment.kind.name(),
            clock_text((segment.end_s() - t).max(0.0))
        )
    };
    let next = match timeline.segments.get(index + 1) {
        Some(n) => format!(
            "Next: {} — {}{}",
            n.name,
            n.cadence
                .map_or(String::new(), |c| format!("{} spm, ", ramp_text(c, 0))),
            clock_text(n.duration_s)
        ),
        None => "Next: the end".to_string(),
    };
    let cue = state
        .warning
        .as_deref()
        .or(state.last_cue)
        .map_or(String::new(), |c| format!("Coach: {c}"));
    let help = state
        .notice
        .clone()
        .unwrap_or_else(|| super::keys::HELP.to_string());
    let block = Block::bordered().title(format!(" treadbeat — {} ", timeline.name));
    let area = block.inner(frame.area());
    frame.render_widget(block, frame.area());
    let rows = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .split(area);
    frame.render_widget(
        Paragraph::new(Line::from(now).style(Style::new().add_modifier(Modifier::BOLD))),
        rows[0],
    );
    frame.render_widget(
        Paragraph::new(targets(segment, timeline, state.telemetry.nudge_spm))
            .wrap(Wrap { trim: true }),
        rows[1],
    );
    frame.render_widget(Paragraph::new(next), rows[2]);
    let ratio = if total > 0.0 {
        (t / total).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let label = format!(
        "{} / {}  ({} left)",
        clock_text(t.min(total)),
        clock_text(total),
        clock_text((total - t).max(0.0))
    );
    frame.render_widget(Gauge::default().ratio(ratio).label(label), rows[3]);
    if state.listening {
        let target = timeline
            .clicked_cadence_at(t)
            .map(|c| c + state.telemetry.nudge_spm);
        let width = usize::from(rows[4].width);
        frame.render_widget(
            Paragraph::new(meter_line(state.heard, target, width)),
            rows[4],
        );
    }
    frame.render_widget(Paragraph::new(cue).wrap(Wrap { trim: true }), rows[5]);
    frame.render_widget(Paragraph::new(help), rows[6]);
}

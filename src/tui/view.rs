//! Drawing the live screen: the step and its time left, session time left,
//! the targets, the next step, a progress bar, the coach's last words.

use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Gauge, Paragraph, Wrap};
use ratatui::Frame;

use crate::engine::Telemetry;
use crate::plan::{Segment, Timeline};
use crate::readout::{pace_text, ramp_text, speed_text};
use crate::units::clock_text;

/// Everything the screen shows, gathered by the control loop.
pub struct ScreenState<'a> {
    pub timeline: &'a Timeline,
    pub telemetry: Telemetry,
    pub rate: u32,
    pub last_cue: Option<&'a str>,
    /// A one-line message (a quit prompt, a volume change).
    pub notice: Option<String>,
    /// With the detector on: the running cadence and the latest step's
    /// offset from the beat (ms).
    pub heard: Option<(Option<f64>, f64)>,
}

/// Offsets the meter spans either side of the beat (ms).
const METER_MS: f64 = 100.0;
const METER_CELLS: usize = 21;

/// "Heard 172 spm   early [----------|--•-------] late   +12 ms"
pub fn heard_text(cadence_spm: Option<f64>, offset_ms: f64) -> String {
    let cadence = cadence_spm.map_or("…".to_string(), |c| format!("{c:.0}"));
    let half = (METER_CELLS / 2) as f64;
    let cell = (half + (offset_ms / METER_MS).clamp(-1.0, 1.0) * half).round() as usize;
    let meter: String = (0..METER_CELLS)
        .map(|i| match i {
            i if i == cell => '•',
            i if i == METER_CELLS / 2 => '|',
            _ => '-',
        })
        .collect();
    format!("Heard {cadence} spm   early [{meter}] late   {offset_ms:+.0} ms")
}

fn targets(segment: &Segment, timeline: &Timeline, nudge: f64) -> String {
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
    let t = (state.telemetry.session_frame as f64 / f64::from(state.rate)).max(0.0);
    let total = timeline.total_s();
    let index = state.telemetry.segment.unwrap_or(0);
    let segment = &timeline.segments[index.min(timeline.segments.len() - 1)];
    let status = if state.telemetry.paused {
        "  PAUSED"
    } else {
        ""
    };
    let now = if state.telemetry.session_frame < 0 {
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
        .last_cue
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
    if let Some((cadence, offset)) = state.heard {
        frame.render_widget(Paragraph::new(heard_text(cadence, offset)), rows[4]);
    }
    frame.render_widget(Paragraph::new(cue).wrap(Wrap { trim: true }), rows[5]);
    frame.render_widget(Paragraph::new(help), rows[6]);
}

//! Drawing the live screen from a `ScreenState`: the tier for the
//! terminal's size, then each band — header, big numbers and the beat,
//! targets, the next change, the runner's steps, the workout picture, the
//! coach, the keys; or, once the session is over, its end state. A state
//! in, widgets out: nothing here reads a device.

use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::beat::{pulse, BeatCell};
use super::end::EndState;
use super::layout::{regions, tier, Tier};
use super::lines_view;
use super::now::{now, Now};
use super::numbers::{self, counting_down};
use super::profile_graph::ProfileGraph;
use super::steps_meter::{Heard, StepsPanel};
use super::theme::Theme;
use crate::engine::Telemetry;
use crate::plan::Timeline;
use crate::readout::ramp_text;
use crate::units::{clock_text, DeviceFrame};

/// Everything the screen shows, gathered by the control loop.
pub struct ScreenState<'a> {
    pub timeline: &'a Timeline,
    pub telemetry: Telemetry,
    pub rate: u32,
    pub last_cue: Option<&'a str>,
    /// A one-line message (a quit prompt, a volume change).
    pub notice: Option<String>,
    /// Steps are being listened for (microphone or drum trigger).
    pub listening: bool,
    pub heard: Option<Heard>,
    /// The detector's latest warning, "0:42  Quicker steps".
    pub warning: Option<String>,
    pub theme: Theme,
    /// The device frame being heard as the screen is drawn (from the
    /// stream's playback stamp); `None` when not known, and the beat then
    /// lights from the frames handed to the device, a buffer early.
    pub heard_frame: Option<DeviceFrame>,
    /// The session is over: the end state instead of the live screen.
    pub end: Option<&'a EndState>,
}

pub fn draw(frame: &mut Frame, state: &ScreenState) {
    if let Some(end) = state.end {
        return super::end::draw(frame, state, end);
    }
    let area = frame.area();
    let tier = tier(area.width, area.height);
    if tier == Tier::Lines || state.timeline.segments.is_empty() {
        return lines_view::draw(frame, state);
    }
    let now = now(state.timeline, &state.telemetry, state.rate);
    let r = regions(area, tier, state.listening);
    let (left, right) = header(state, &now);
    let [left_area, right_area] = ratatui::layout::Layout::horizontal([
        ratatui::layout::Constraint::Min(1),
        ratatui::layout::Constraint::Length(right.width() as u16),
    ])
    .areas(r.header);
    frame.render_widget(Paragraph::new(left), left_area);
    frame.render_widget(Paragraph::new(right), right_area);
    numbers::draw(frame, r.numbers, state, &now, tier);
    frame.render_widget(
        BeatCell {
            pulse: pulse(&state.telemetry, state.rate, state.heard_frame),
            clicks: state.telemetry.clicks,
            theme: state.theme,
        },
        r.beat,
    );
    if let Some(targets) = r.targets {
        let text = numbers::targets_short(state, &now);
        frame.render_widget(Paragraph::new(text), targets);
    }
    frame.render_widget(Paragraph::new(next_line(state, &now)), r.next);
    if let Some(steps) = r.steps {
        frame.render_widget(
            StepsPanel {
                heard: state.heard,
                target_spm: now.cadence_spm.filter(|_| now.segment.clicked),
                warning: state.warning.as_deref(),
                theme: state.theme,
            },
            steps,
        );
    }
    frame.render_widget(
        ProfileGraph {
            timeline: state.timeline,
            t: now.t,
            index: now.index,
            theme: state.theme,
        },
        r.graph,
    );
    let cue = state
        .last_cue
        .map_or(String::new(), |c| format!("Coach: {c}"));
    frame.render_widget(Paragraph::new(cue), r.coach);
    let help = state
        .notice
        .clone()
        .unwrap_or_else(|| super::keys::HELP.to_string());
    frame.render_widget(Paragraph::new(help), r.help);
}

/// "treadbeat — Easy run · Step 2/5  Steady (run)" and, kept whole at the
/// right, " PAUSED  1:12 / 30:00".
fn header<'a>(state: &ScreenState, now: &Now) -> (Line<'a>, Line<'a>) {
    let timeline = state.timeline;
    let step = if now.count_in_beats.is_some() {
        "Count-in…".to_string()
    } else {
        format!(
            "Step {}/{}  {} ({})",
            now.index + 1,
            timeline.segments.len(),
            now.segment.name,
            now.segment.kind.name()
        )
    };
    let total = timeline.total_s();
    let clock = format!("{} / {}", clock_text(now.t.min(total)), clock_text(total));
    let left = Line::from(format!("treadbeat — {} · {step}", timeline.name));
    let mut spans = vec![Span::raw(" ")];
    if state.telemetry.paused {
        spans.push(Span::styled(" PAUSED ", state.theme.paused()));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::raw(clock));
    (left, Line::from(spans))
}

/// The next step, and in the last seconds of this one the countdown to it.
fn next_line<'a>(state: &ScreenState, now: &Now) -> Line<'a> {
    let Some(next) = now.next else {
        return Line::from("Next: the end");
    };
    let mut what = next.name.clone();
    if let Some(c) = next.cadence.filter(|_| next.kind.on_belt()) {
        what.push_str(&format!(" — {} spm", ramp_text(c, 0)));
    }
    if let Some(s) = next.speed_kmh {
        what.push_str(&format!(
            ", {}",
            crate::readout::speed_text(state.timeline.units, s)
        ));
    }
    if counting_down(now) {
        Line::from(vec![Span::styled(
            format!(
                " NEXT IN {:.0} s ▶ {what} ",
                now.step_left_s.ceil().max(1.0)
            ),
            state.theme.upcoming(),
        )])
    } else {
        Line::from(format!("Next: {what} ({})", clock_text(next.duration_s)))
    }
}

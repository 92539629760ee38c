//! `treadbeat plan PROFILE`: the timeline as a table, then totals; with
//! `--cues`, what the coach says and when.

use super::cli::PlanArgs;
use super::console::{out, outln};
use super::failure::CommandResult;
use super::source::load_timeline;
use super::speech_setup::{profile_speech, spoken_cues};
use crate::coach::{build_cues, estimated_speech_s, Cue, CueKind};
use crate::plan::{Segment, Timeline};
use crate::readout::{count_of, distance_text, pace_text, ramp_text, speed_text, stride_text};
use crate::tempo::TempoMap;
use crate::units::{clock_text, SampleRate};

/// The rate `render` writes unless told otherwise: a phrase's length is
/// counted in samples at the rate it is played at.
const RENDER_RATE: SampleRate = SampleRate(48_000);

/// The cues at the times `render` places them: the phrases measured as the
/// speech engine says them; without one, estimated, with a line saying so.
fn cues(timeline: &Timeline) -> Vec<Cue> {
    let settings = profile_speech(&timeline.coach);
    match spoken_cues(timeline, &settings, RENDER_RATE) {
        Ok(cues) => cues,
        Err(error) => {
            eprintln!("treadbeat: {error}; cue times are estimated from word counts");
            build_cues(timeline, &estimated_speech_s)
        }
    }
}

pub fn run(args: &PlanArgs) -> CommandResult {
    let (_, mut timeline) = load_timeline(&args.profile)?;
    if let Some(level) = args.coach {
        timeline.coach.level = level;
    }
    let tempo = TempoMap::from_timeline(&timeline);
    if args.cues {
        let cues = cues(&timeline);
        if args.json {
            outln!("{}", super::plan_json::cues_json(&cues));
        } else {
            out!("{}", cue_list(&cues));
        }
    } else if args.json {
        outln!("{}", super::plan_json::to_json(&timeline, &tempo));
    } else {
        out!("{}", table(&timeline, &tempo));
    }
    Ok(())
}

const HEADERS: [&str; 11] = [
    "#", "step", "kind", "start", "length", "cadence", "speed", "pace", "incline", "stride",
    "distance",
];

fn row(index: usize, segment: &Segment, timeline: &Timeline) -> [String; 11] {
    let units = timeline.units;
    let dash = || "-".to_string();
    let cadence = match segment.cadence {
        Some(c) if segment.clicked => ramp_text(c, 0),
        Some(c) => format!("{} (silent)", ramp_text(c, 0)),
        None => dash(),
    };
    let speed = segment.speed_kmh;
    [
        (index + 1).to_string(),
        segment.name.clone(),
        segment.kind.name().to_string(),
        clock_text(segment.start_s),
        clock_text(segment.duration_s),
        cadence,
        speed.map_or_else(dash, |s| speed_text(units, s)),
        speed.map_or_else(dash, |s| pace_text(units, s)),
        segment
            .incline_pct
            .map_or_else(dash, |i| format!("{}%", ramp_text(i, 1))),
        match (segment.cadence, speed) {
            (Some(c), Some(s)) => stride_text(c, s),
            _ => dash(),
        },
        if segment.distance_m > 0.0 {
            distance_text(units, segment.distance_m)
        } else {
            dash()
        },
    ]
}

pub fn table(timeline: &Timeline, tempo: &TempoMap) -> String {
    let rows: Vec<[String; 11]> = timeline
        .segments
        .iter()
        .enumerate()
        .map(|(i, s)| row(i, s, timeline))
        .collect();
    let mut widths = HEADERS.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        padded.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = format!("{}\n", timeline.name);
    if !timeline.about.is_empty() {
        out.push_str(&format!("{}\n", timeline.about));
    }
    out.push('\n');
    out.push_str(&line(&HEADERS.map(String::from)));
    for row in &rows {
        out.push_str(&line(row));
    }
    out.push_str(&format!(
        "\nTotal {} · {} · {} · {}",
        clock_text(timeline.total_s()),
        distance_text(timeline.units, timeline.distance_m()),
        count_of(timeline.steps().round() as u64, "step", "steps"),
        count_of(tempo.click_count(), "click", "clicks"),
    ));
    if let (Some(_), n @ 1..) = (tempo.count_in_cadence, tempo.count_in) {
        out.push_str(&format!(" (+{n} count-in)"));
    }
    out.push('\n');
    out
}

/// One line a cue: start (m:ss.s), kind, words.
fn cue_list(cues: &[Cue]) -> String {
    let mut out = String::from("time     cue          words\n");
    for cue in cues {
        let kind = match cue.kind {
            CueKind::Welcome => "welcome",
            CueKind::Announce => "announce",
            CueKind::Countdown => "countdown",
            CueKind::Say => "say",
            CueKind::Halfway => "halfway",
            CueKind::LastThirty => "last 30 s",
            CueKind::SwitchSides => "hold",
            CueKind::SendOff => "send-off",
            CueKind::Form => "form",
        };
        let t = cue.at_s.max(0.0);
        let stamp = format!("{}:{:04.1}", (t / 60.0).floor(), t % 60.0);
        out.push_str(&format!("{stamp:>7}  {kind:<11}  {}\n", cue.text));
    }
    out
}

//! Profile -> timeline: the flat list of segments a session plays, with
//! repeats expanded, absolute start times and resolved targets.
//!
//! Pure; the tempo map, the coach and the screen all read from here.

use super::model::{
    ClickSettings, CoachSettings, Length, Profile, Step, StepKind, StepNode, Units,
};
use super::music_settings::MusicSettings;
use super::quantity::Ramp;

/// Which pass of which repeat a segment belongs to (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepeatIndex {
    pub pass: u32,
    pub count: u32,
}

/// One step as played: where it sits in the session and what it asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// The step's name with its repeat position: "Tempo 3/5".
    pub name: String,
    pub kind: StepKind,
    pub start_s: f64,
    pub duration_s: f64,
    /// The target cadence (also for unclicked belt steps, for display).
    pub cadence: Option<Ramp>,
    /// Whether this segment plays clicks.
    pub clicked: bool,
    pub speed_kmh: Option<Ramp>,
    pub incline_pct: Option<Ramp>,
    pub distance_m: f64,
    /// Whether the length was given as a distance (for display).
    pub by_distance: bool,
    pub say: Option<String>,
    pub hold_s: Option<f64>,
    pub sides: bool,
    /// Innermost repeat first.
    pub repeats: Vec<RepeatIndex>,
}

impl Segment {
    pub fn end_s(&self) -> f64 {
        self.start_s + self.duration_s
    }

    /// Steps the runner takes in the segment: the integral of the cadence.
    pub fn steps(&self) -> f64 {
        match self.cadence {
            Some(c) if self.kind.on_belt() => c.mean() * self.duration_s / 60.0,
            _ => 0.0,
        }
    }
}

/// The whole session, flat.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub name: String,
    pub about: String,
    pub units: Units,
    pub click: ClickSettings,
    pub coach: CoachSettings,
    pub music: MusicSettings,
    pub segments: Vec<Segment>,
}

/// A stretch of session time with one cadence ramp across it: the unit in
/// which "the target cadence at t" is asked, live and on a recording.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CadenceSpan {
    pub start_s: f64,
    pub end_s: f64,
    pub cadence: Ramp,
}

impl CadenceSpan {
    /// The cadence at session time `t` (linear across the span).
    pub fn at(&self, t: f64) -> f64 {
        let x = (t - self.start_s) / (self.end_s - self.start_s).max(1e-9);
        self.cadence.at(x)
    }

    /// The target cadence at `t` among `spans`; `None` outside them all.
    pub fn among(spans: impl IntoIterator<Item = CadenceSpan>, t: f64) -> Option<f64> {
        spans
            .into_iter()
            .find(|s| (s.start_s..s.end_s).contains(&t))
            .map(|s| s.at(t))
    }
}

impl Timeline {
    /// The stretches where clicks play, with their cadence.
    pub fn clicked_spans(&self) -> impl Iterator<Item = CadenceSpan> + '_ {
        self.segments.iter().filter(|s| s.clicked).filter_map(|s| {
            Some(CadenceSpan {
                start_s: s.start_s,
                end_s: s.end_s(),
                cadence: s.cadence?,
            })
        })
    }

    /// The cadence the clicks ask for at session time `t` (before nudges);
    /// `None` where nothing clicks.
    pub fn clicked_cadence_at(&self, t: f64) -> Option<f64> {
        CadenceSpan::among(self.clicked_spans(), t)
    }

    pub fn from_profile(profile: &Profile) -> Timeline {
        let mut segments = Vec::new();
        let mut clock = 0.0;
        for node in &profile.steps {
            expand(node, &mut Vec::new(), &mut clock, &mut segments);
        }
        Timeline {
            name: profile.name.clone(),
            about: profile.about.clone(),
            units: profile.units,
            click: profile.click.clone(),
            coach: profile.coach.clone(),
            music: profile.music.clone(),
            segments,
        }
    }

    /// A plain metronome: one run step at `cadence` for `duration_s`.
    pub fn metronome(cadence: f64, duration_s: f64, click: ClickSettings) -> Timeline {
        let segment = Segment {
            name: format!("{} spm", crate::units::trim_number(cadence, 1)),
            kind: StepKind::Run,
            start_s: 0.0,
            duration_s,
            cadence: Some(Ramp::constant(cadence)),
            clicked: true,
            speed_kmh: None,
            incline_pct: None,
            distance_m: 0.0,
            by_distance: false,
            say: None,
            hold_s: None,
            sides: false,
            repeats: Vec::new(),
        };
        Timeline {
            name: "Metronome".to_string(),
            about: String::new(),
            units: Units::Metric,
            click,
            coach: CoachSettings::default(),
            music: MusicSettings::default(),
            segments: vec![segment],
        }
    }

    pub fn total_s(&self) -> f64 {
        self.segments.last().map_or(0.0, Segment::end_s)
    }

    pub fn distance_m(&self) -> f64 {
        self.segments.iter().map(|s| s.distance_m).sum()
    }

    pub fn steps(&self) -> f64 {
        self.segments.iter().map(Segment::steps).sum()
    }

    /// Metres covered and steps taken from t = 0 to session time `t`
    /// (speed and cadence are linear within a segment, so each partial
    /// segment is a trapezoid).
    pub fn covered(&self, t: f64) -> (f64, f64) {
        let mut metres = 0.0;
        let mut steps = 0.0;
        for segment in self.segments.iter().take_while(|s| s.start_s < t) {
            let tau = (t - segment.start_s).min(segment.duration_s);
            let fraction = tau / segment.duration_s;
            let mean_until = |r: Ramp| (r.from + r.at(fraction)) / 2.0;
            if segment.kind.on_belt() {
                if let Some(speed) = segment.speed_kmh {
                    metres += mean_until(speed) / 3.6 * tau;
                }
                if let Some(cadence) = segment.cadence {
                    steps += mean_until(cadence) / 60.0 * tau;
                }
            }
        }
        (metres, steps)
    }
}

fn expand(
    node: &StepNode,
    repeats: &mut Vec<RepeatIndex>,
    clock: &mut f64,
    out: &mut Vec<Segment>,
) {
    match node {
        StepNode::Step(step) => {
            let segment = segment_of(step, repeats, *clock);
            *clock += segment.duration_s;
            out.push(segment);
        }
        StepNode::Repeat { count, steps, .. } => {
            for pass in 1..=*count {
                repeats.insert(
                    0,
                    RepeatIndex {
                        pass,
                        count: *count,
                    },
                );
                for child in steps {
                    expand(child, repeats, clock, out);
                }
                repeats.remove(0);
            }
        }
    }
}

fn segment_of(step: &Step, repeats: &[RepeatIndex], start_s: f64) -> Segment {
    let mut name = step.name.clone();
    for (depth, r) in repeats.iter().enumerate() {
        name.push_str(if depth == 0 { " " } else { ", set " });
        name.push_str(&format!("{}/{}", r.pass, r.count));
    }
    Segment {
        name,
        kind: step.kind,
        start_s,
        duration_s: step.duration_s,
        cadence: step.cadence,
        clicked: step.clicked(),
        speed_kmh: step.speed.filter(|_| step.kind.on_belt()),
        incline_pct: step.incline,
        distance_m: step.distance_m(),
        by_distance: matches!(step.length, Length::Distance { .. }),
        say: step.say.clone(),
        hold_s: step.hold_s,
        sides: step.sides,
        repeats: repeats.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::parse_profile;

    #[test]
    fn the_clicked_cadence_follows_ramps_and_is_none_where_nothing_clicks() {
        let text = "name = \"T\"\n\
            [[step]]\ntime = \"60s\"\ncadence = \"160..170\"\n\
            [[step]]\ntime = \"30s\"\ncadence = 170\nclick = false\n\
            [[step]]\ntime = \"30s\"\ncadence = 180\n";
        let profile = parse_profile("t.toml", text, std::path::Path::new(".")).unwrap();
        let timeline = Timeline::from_profile(&profile);
        assert_eq!(timeline.clicked_cadence_at(0.0), Some(160.0));
        assert_eq!(timeline.clicked_cadence_at(30.0), Some(165.0));
        assert_eq!(timeline.clicked_cadence_at(75.0), None);
        assert_eq!(timeline.clicked_cadence_at(100.0), Some(180.0));
        assert_eq!(timeline.clicked_cadence_at(120.0), None);
    }
}

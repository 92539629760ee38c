//! What the session is doing at this moment, worked out from the engine's
//! telemetry and the timeline: the step, its time left, the targets right
//! now (ramps followed, nudges added), a stretch's hold, the count-in.
//! Pure: the views only format these values.

use crate::engine::Telemetry;
use crate::plan::{Segment, StepKind, Timeline};
use crate::units::SampleRate;

/// The moment the screen shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Now<'a> {
    /// Session time (s), 0 during the count-in.
    pub t: f64,
    pub index: usize,
    pub segment: &'a Segment,
    pub step_left_s: f64,
    /// The target cadence now, nudges included.
    pub cadence_spm: Option<f64>,
    pub speed_kmh: Option<f64>,
    pub hold: Option<Hold>,
    /// Count-in clicks still to come, while it lasts.
    pub count_in_beats: Option<u32>,
    pub next: Option<&'a Segment>,
}

/// Where a stretch is in its holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hold {
    pub left_s: f64,
    /// 1-based hold number and how many holds the step has.
    pub number: u32,
    pub of: u32,
    /// With `sides`: 1 or 2, the side being stretched.
    pub side: Option<u32>,
}

/// A stretch's holds: how long each is (the profile's hold, or half the
/// step when it only says "both sides").
fn hold_at(segment: &Segment, t: f64) -> Option<Hold> {
    if segment.kind != StepKind::Stretch {
        return None;
    }
    let hold = match (segment.hold_s, segment.sides) {
        (Some(h), _) if h > 0.0 => h,
        (None, true) => segment.duration_s / 2.0,
        _ => return None,
    };
    let into = (t - segment.start_s).clamp(0.0, segment.duration_s);
    let of = (segment.duration_s / hold - 1e-9).ceil().max(1.0) as u32;
    let number = ((into / hold).floor() as u32 + 1).min(of);
    let hold_end = (f64::from(number) * hold).min(segment.duration_s);
    Some(Hold {
        left_s: (hold_end - into).max(0.0),
        number,
        of,
        side: segment.sides.then_some((number - 1) % 2 + 1),
    })
}

pub fn now<'a>(timeline: &'a Timeline, telemetry: &Telemetry, rate: u32) -> Now<'a> {
    let session_s = telemetry.session_s(SampleRate(rate.max(1)));
    let t = session_s.max(0.0);
    let last = timeline.segments.len().saturating_sub(1);
    let index = telemetry.segment.unwrap_or(0).min(last);
    let segment = &timeline.segments[index];
    let x = ((t - segment.start_s) / segment.duration_s.max(1e-9)).clamp(0.0, 1.0);
    let count_in_beats = (session_s < 0.0).then(|| {
        let cadence = timeline
            .clicked_spans()
            .next()
            .map_or(60.0, |s| s.cadence.from);
        (-session_s * cadence / 60.0 - 1e-6).ceil().max(1.0) as u32
    });
    Now {
        t,
        index,
        segment,
        step_left_s: (segment.end_s() - t).max(0.0),
        cadence_spm: segment.cadence.map(|c| c.at(x) + telemetry.nudge_spm),
        speed_kmh: segment.speed_kmh.map(|s| s.at(x)),
        hold: hold_at(segment, t),
        count_in_beats,
        next: timeline.segments.get(index + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::parse_profile;
    use crate::units::SessionFrame;

    fn timeline(text: &str) -> Timeline {
        let profile = parse_profile("t.toml", text, std::path::Path::new(".")).unwrap();
        Timeline::from_profile(&profile)
    }

    fn at(session_s: f64, segment: usize) -> Telemetry {
        Telemetry {
            session_frame: SessionFrame((session_s * 1000.0) as i64),
            segment: (session_s >= 0.0).then_some(segment),
            ..Telemetry::default()
        }
    }

    const RAMP: &str = "name = \"r\"\n[[step]]\nname = \"Build\"\ntime = \"100s\"\n\
        cadence = \"160..180\"\nspeed = \"8..10 km/h\"\n\
        [[step]]\nname = \"Calf\"\nkind = \"stretch\"\ntime = \"80s\"\nhold = \"20s\"\nsides = true\n";

    #[test]
    fn ramps_are_followed_and_nudges_added() {
        let tl = timeline(RAMP);
        let mut tel = at(25.0, 0);
        tel.nudge_spm = 2.0;
        let n = now(&tl, &tel, 1000);
        assert_eq!(n.cadence_spm, Some(167.0));
        assert_eq!(n.speed_kmh, Some(8.5));
        assert_eq!(n.step_left_s, 75.0);
        assert_eq!(n.next.map(|s| s.name.as_str()), Some("Calf"));
        assert_eq!(n.hold, None);
    }

    #[test]
    fn a_stretch_counts_its_holds_and_sides() {
        let tl = timeline(RAMP);
        let n = now(&tl, &at(125.0, 1), 1000);
        assert_eq!(
            n.hold,
            Some(Hold {
                left_s: 15.0,
                number: 2,
                of: 4,
                side: Some(2)
            })
        );
        let n = now(&tl, &at(150.0, 1), 1000);
        assert_eq!(n.hold.unwrap().side, Some(1));
        assert_eq!(n.hold.unwrap().number, 3);
        assert_eq!(n.cadence_spm, None);
        assert_eq!(n.next, None);
    }

    #[test]
    fn the_count_in_counts_down_its_clicks() {
        let tl = timeline(RAMP);
        // 160 spm: a click every 0.375 s.
        assert_eq!(now(&tl, &at(-1.5, 0), 1000).count_in_beats, Some(4));
        assert_eq!(now(&tl, &at(-1.4, 0), 1000).count_in_beats, Some(4));
        assert_eq!(now(&tl, &at(-0.1, 0), 1000).count_in_beats, Some(1));
        assert_eq!(now(&tl, &at(0.0, 0), 1000).count_in_beats, None);
        assert_eq!(now(&tl, &at(-0.1, 0), 1000).t, 0.0);
    }
}

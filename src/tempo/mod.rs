//! The tempo map: where every click of a session falls, in closed form.
//!
//! A *click run* is a maximal sequence of consecutive clicked segments.
//! Within a run the phase is φ(t) = ∫ c(τ)/60 dτ from the run's start and
//! click k sounds at the exact root of φ(t_k) = k. A run contains every
//! k = 0, 1, 2, … whose t_k lies strictly before the run's end, so a run of
//! phase length Φ has ⌈Φ⌉ clicks (Φ itself when Φ is a whole number: that
//! click would fall on the run's end, which belongs to what follows).
//! "Whole" is judged with a tolerance of `beat_tolerance(Φ)` beats (10⁻¹¹
//! relative, far below a sample), so that float rounding of phase sums never
//! decides whether a click lands on a boundary.
//!
//! Pure and allocation-free after construction: the audio thread walks it
//! with a `ClickCursor`.

mod cursor;

pub use cursor::{Click, ClickCursor, CursorState};

use crate::plan::Timeline;
use crate::units::{Frame, SampleRate};

/// Beats closer than this to a piece's end belong to what follows: the
/// phase sums carry ~1e-16 relative error, a sample is ~1e-4 beat.
pub fn beat_tolerance(phase: f64) -> f64 {
    1e-11 * phase.abs().max(1.0)
}

/// One clicked segment, with a linear cadence from `c0` to `c1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TempoSegment {
    pub start_s: f64,
    pub duration_s: f64,
    pub c0: f64,
    pub c1: f64,
    /// True when the previous segment is silent or absent: phase restarts.
    pub starts_run: bool,
    /// Index of the segment in the timeline.
    pub segment: usize,
}

impl TempoSegment {
    /// Phase gained across the whole segment: the mean cadence times time.
    pub fn phase_length(&self) -> f64 {
        (self.c0 + self.c1) * self.duration_s / 120.0
    }

    pub fn end_s(&self) -> f64 {
        self.start_s + self.duration_s
    }
}

/// The clicked segments of a session and its count-in.
#[derive(Debug, Clone, PartialEq)]
pub struct TempoMap {
    pub segments: Vec<TempoSegment>,
    /// Cadence of the count-in clicks (the first step's starting cadence);
    /// `None` when the session does not start with a clicked step.
    pub count_in_cadence: Option<f64>,
    pub count_in: u32,
}

impl TempoMap {
    pub fn from_timeline(timeline: &Timeline) -> TempoMap {
        let mut segments: Vec<TempoSegment> = Vec::new();
        let mut previous_clicked = false;
        for (index, segment) in timeline.segments.iter().enumerate() {
            match segment.cadence.filter(|_| segment.clicked) {
                Some(cadence) => {
                    segments.push(TempoSegment {
                        start_s: segment.start_s,
                        duration_s: segment.duration_s,
                        c0: cadence.from,
                        c1: cadence.to,
                        starts_run: !previous_clicked,
                        segment: index,
                    });
                    previous_clicked = true;
                }
                None => previous_clicked = false,
            }
        }
        let count_in_cadence = segments.first().filter(|s| s.segment == 0).map(|s| s.c0);
        TempoMap {
            segments,
            count_in_cadence,
            count_in: timeline.click.count_in,
        }
    }

    /// A map of one constant cadence for `duration_s` (the `click` command).
    pub fn constant(cadence: f64, duration_s: f64, count_in: u32) -> TempoMap {
        TempoMap {
            segments: vec![TempoSegment {
                start_s: 0.0,
                duration_s,
                c0: cadence,
                c1: cadence,
                starts_run: true,
                segment: 0,
            }],
            count_in_cadence: Some(cadence),
            count_in,
        }
    }

    /// Times of the count-in clicks, earliest first: −k·60/c₀ for k = n…1.
    pub fn count_in_times(&self) -> impl Iterator<Item = f64> + '_ {
        let n = self.count_in_cadence.map_or(0, |_| self.count_in);
        let cadence = self.count_in_cadence.unwrap_or(1.0);
        (1..=n).rev().map(move |k| -(f64::from(k)) * 60.0 / cadence)
    }

    /// Frames of silence before session t = 0 that hold the count-in.
    pub fn preroll_frames(&self, rate: SampleRate) -> u64 {
        self.count_in_times()
            .next()
            .map_or(0, |t| (-t * f64::from(rate.0)).round() as u64)
    }

    /// Every click of the session (count-in excluded), in order.
    pub fn clicks(&self) -> ClickCursor<'_> {
        ClickCursor::new(self)
    }

    /// Frames (from session t = 0) of every click, in order.
    pub fn click_frames(&self, rate: SampleRate) -> impl Iterator<Item = Frame> + '_ {
        self.clicks()
            .map(move |c| rate.frame_of(crate::units::Seconds(c.time_s)))
    }

    /// Number of clicks in the session, count-in excluded, by the contract
    /// above: ⌈Φ⌉ per run (computed from the same phase sums the cursor uses).
    pub fn click_count(&self) -> u64 {
        let mut count = 0;
        let mut phase = 0.0;
        for (i, segment) in self.segments.iter().enumerate() {
            if segment.starts_run {
                phase = 0.0;
            }
            phase += segment.phase_length();
            let run_ends = self.segments.get(i + 1).is_none_or(|next| next.starts_run);
            if run_ends {
                count += (phase - beat_tolerance(phase)).ceil().max(0.0) as u64;
            }
        }
        count
    }
}

/// Solves φ(τ) = d for τ within one linear-cadence piece:
/// d = b·τ + a·τ² with b = c0/60, a = (c1 − c0)/(120·T). The form
/// 2d / (b + √(b² + 4ad)) is the quadratic root without cancellation, exact
/// for a constant cadence (a = 0) and stable for ramps either way.
pub fn time_of_phase(d: f64, c0: f64, c1: f64, duration_s: f64) -> f64 {
    let b = c0 / 60.0;
    let a = (c1 - c0) / (120.0 * duration_s);
    let discriminant = (b * b + 4.0 * a * d).max(0.0);
    2.0 * d / (b + discriminant.sqrt())
}

/// Phase gained τ seconds into a piece: c0·τ/60 + (c1 − c0)·τ²/(120·T).
pub fn phase_at(tau: f64, c0: f64, c1: f64, duration_s: f64) -> f64 {
    c0 * tau / 60.0 + (c1 - c0) * tau * tau / (120.0 * duration_s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_inverts_phase() {
        for (c0, c1) in [(170.0, 170.0), (160.0, 180.0), (190.0, 150.0)] {
            for tau in [0.0, 0.1, 7.3, 59.9] {
                let d = phase_at(tau, c0, c1, 60.0);
                assert!((time_of_phase(d, c0, c1, 60.0) - tau).abs() < 1e-12);
            }
        }
    }
}

//! Every click frame checked against exact rational arithmetic: a 3-hour
//! profile with ramps, and the first and last hour of a 24-hour session
//! (no drift: the end is as exact as the start).
//!
//! For click k at frame n, round(t_k·sr) = n means t_k lies within half a
//! frame of n. Phase is monotone, so that holds iff the exact rational phase
//! satisfies φ((n − ½ − ε)/sr) ≤ k ≤ φ((n + ½ + ε)/sr). ε = 10⁻⁴ frame only
//! forgives exact ties, where f64 may round either way.

mod support;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::Zero;
use treadbeat::tempo::TempoMap;
use treadbeat::units::{SampleRate, Seconds};

fn q(n: i64) -> BigRational {
    BigRational::from_integer(BigInt::from(n))
}

/// A clicked segment in exact numbers (profiles use whole seconds and spm).
struct ExactSegment {
    start: BigRational,
    duration: BigRational,
    c0: BigRational,
    c1: BigRational,
    run_phase_at_start: BigRational,
}

fn exact_segments(map: &TempoMap) -> Vec<ExactSegment> {
    let whole = |x: f64| {
        assert_eq!(x, x.round(), "reference needs whole numbers, got {x}");
        q(x as i64)
    };
    let mut out: Vec<ExactSegment> = Vec::new();
    for s in &map.segments {
        let run_phase_at_start = match out.last() {
            Some(prev) if !s.starts_run => {
                prev.run_phase_at_start.clone()
                    + (prev.c0.clone() + prev.c1.clone()) * prev.duration.clone() / q(120)
            }
            _ => BigRational::zero(),
        };
        out.push(ExactSegment {
            start: whole(s.start_s),
            duration: whole(s.duration_s),
            c0: whole(s.c0),
            c1: whole(s.c1),
            run_phase_at_start,
        });
    }
    out
}

/// Exact run phase at session time t inside segment s (t may stray a frame
/// outside it; the polynomial extends smoothly).
fn phase(s: &ExactSegment, t: &BigRational) -> BigRational {
    let tau = t - &s.start;
    let ramp = (&s.c1 - &s.c0) * &tau * &tau / (q(120) * &s.duration);
    &s.run_phase_at_start + &s.c0 * &tau / q(60) + ramp
}

/// Checks every click whose time falls in [from_s, to_s); returns how many.
fn verify(text: &str, rate: u32, from_s: f64, to_s: f64) -> usize {
    let timeline = support::timeline(text);
    let map = TempoMap::from_timeline(&timeline);
    let exact = exact_segments(&map);
    let sr = q(i64::from(rate));
    let tempo_index = |segment: usize| {
        map.segments
            .iter()
            .position(|s| s.segment == segment)
            .unwrap()
    };
    let mut checked = 0;
    for click in map
        .clicks()
        .filter(|c| c.time_s >= from_s && c.time_s < to_s)
    {
        let frame = SampleRate(rate).frame_of(Seconds(click.time_s)).0 as i64;
        let s = &exact[tempo_index(click.segment)];
        assert!(
            frame_is_exact(s, click.beat, frame, &sr),
            "click {} of segment {} at frame {frame} is not round(t_k·sr)",
            click.beat,
            click.segment
        );
        checked += 1;
    }
    checked
}

/// Whether beat k of segment s rounds to `frame` (see the module doc).
fn frame_is_exact(s: &ExactSegment, beat: u64, frame: i64, sr: &BigRational) -> bool {
    let half = BigRational::new(BigInt::from(5001), BigInt::from(10000));
    let k = q(beat as i64);
    let early = phase(s, &((q(frame) - &half) / sr));
    let late = phase(s, &((q(frame) + &half) / sr));
    early <= k && k <= late
}

#[test]
fn the_reference_rejects_a_click_one_frame_off() {
    let text = support::profile_of(&[(60, (160, 180), true)]);
    let map = support::tempo(&text);
    let exact = exact_segments(&map);
    let sr = q(48000);
    for click in map.clicks().skip(1).take(50) {
        let frame = SampleRate(48000).frame_of(Seconds(click.time_s)).0 as i64;
        assert!(frame_is_exact(&exact[0], click.beat, frame, &sr));
        assert!(!frame_is_exact(&exact[0], click.beat, frame + 1, &sr));
        assert!(!frame_is_exact(&exact[0], click.beat, frame - 1, &sr));
    }
}

#[test]
fn three_hours_of_ramps_place_every_click_exactly() {
    let text = support::three_hour_profile();
    assert!((support::timeline(&text).total_s() - 10800.0).abs() < 1.0);
    let checked = verify(&text, 48000, 0.0, f64::INFINITY);
    assert!(checked > 29_000, "only {checked} clicks checked");
}

#[test]
fn odd_sample_rates_are_exact_too() {
    let text = support::three_hour_profile();
    assert!(verify(&text, 44100, 0.0, 1800.0) > 4000);
    assert!(verify(&text, 7, 0.0, 10800.0) > 29_000);
}

#[test]
fn a_day_long_session_is_as_exact_at_its_end_as_at_its_start() {
    let mut text = String::from("name = \"24 h\"\n[click]\ncount_in = 0\n");
    for _ in 0..24 {
        text.push_str(&support::step(1800, (160, 190), true));
        text.push_str(&support::step(1800, (190, 160), true));
    }
    let timeline = support::timeline(&text);
    assert_eq!(timeline.total_s(), 86_400.0);
    assert!(verify(&text, 48000, 0.0, 3600.0) > 10_000);
    assert!(verify(&text, 48000, 82_800.0, 86_400.0) > 10_000);
    // The last click of a day lands where the closed form says: one run of
    // phase 24·(175·1800/60)·2 = 252,000 beats, the last at beat 251,999.
    let map = TempoMap::from_timeline(&timeline);
    let last = map.clicks().last().unwrap();
    assert_eq!(last.beat, 251_999);
}

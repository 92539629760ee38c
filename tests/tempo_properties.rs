//! Properties of the tempo map (SPEC section 3) over generated profiles:
//! exact intervals, monotone ramps, seamless step boundaries, phase reset
//! after silence, and click counts that follow the documented contract.

mod support;

use proptest::prelude::*;
use support::{profile_of, tempo};

fn times(steps: &[(u32, (u32, u32), bool)]) -> Vec<f64> {
    tempo(&profile_of(steps))
        .clicks()
        .map(|c| c.time_s)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn constant_cadence_gives_exact_intervals(c in 60u32..=240, seconds in 1u32..=1800) {
        let t = times(&[(seconds, (c, c), true)]);
        let period = 60.0 / f64::from(c);
        for (k, time) in t.iter().enumerate() {
            // Closed form: click k at exactly k·60/c, never a running sum.
            prop_assert!((time - k as f64 * period).abs() < 1e-9);
        }
        // ⌈c·T/60⌉ clicks: every k with k·60/c strictly before the end.
        let phase = f64::from(c) * f64::from(seconds) / 60.0;
        prop_assert_eq!(t.len() as f64, phase.ceil());
    }

    #[test]
    fn ramp_intervals_change_monotonically(c0 in 60u32..=240, c1 in 60u32..=240, seconds in 10u32..=900) {
        prop_assume!(c0 != c1);
        let t = times(&[(seconds, (c0, c1), true)]);
        let intervals: Vec<f64> = t.windows(2).map(|w| w[1] - w[0]).collect();
        for pair in intervals.windows(2) {
            if c1 > c0 {
                prop_assert!(pair[1] < pair[0], "faster ramp must shorten intervals");
            } else {
                prop_assert!(pair[1] > pair[0], "slower ramp must lengthen intervals");
            }
        }
        // Every interval lies between the two end cadences' periods.
        let (lo, hi) = (60.0 / f64::from(c0.max(c1)), 60.0 / f64::from(c0.min(c1)));
        for i in &intervals {
            prop_assert!(*i >= lo - 1e-9 && *i <= hi + 1e-9);
        }
    }

    #[test]
    fn no_gap_and_no_double_click_at_step_boundaries(
        steps in prop::collection::vec((1u32..=120, 60u32..=240, 60u32..=240), 2..8)
    ) {
        let steps: Vec<_> = steps.into_iter().map(|(s, a, b)| (s, (a, b), true)).collect();
        let t = times(&steps);
        let fastest = steps.iter().map(|(_, (a, b), _)| (*a).max(*b)).max().unwrap();
        let slowest = steps.iter().map(|(_, (a, b), _)| (*a).min(*b)).min().unwrap();
        for w in t.windows(2) {
            let interval = w[1] - w[0];
            prop_assert!(interval >= 60.0 / f64::from(fastest) - 1e-9, "double click: {interval}");
            prop_assert!(interval <= 60.0 / f64::from(slowest) + 1e-9, "gap: {interval}");
        }
    }

    #[test]
    fn silence_ends_a_run_and_the_next_run_clicks_at_its_start(
        a in 1u32..=300, gap in 1u32..=60, b in 1u32..=300, c in 60u32..=240
    ) {
        let map = tempo(&profile_of(&[(a, (c, c), true), (gap, (c, c), false), (b, (c, c), true)]));
        let clicks: Vec<_> = map.clicks().collect();
        let second_run: Vec<_> = clicks.iter().filter(|k| k.segment == 2).collect();
        prop_assert_eq!(second_run[0].beat, 0);
        prop_assert!((second_run[0].time_s - f64::from(a + gap)).abs() < 1e-9);
        prop_assert!(clicks.iter().all(|k| k.segment != 1), "a silent step clicked");
        prop_assert_eq!(map.click_count(), clicks.len() as u64);
    }

    #[test]
    fn click_count_matches_the_contract(
        steps in prop::collection::vec((1u32..=200, 60u32..=240, 60u32..=240, any::<bool>()), 1..10)
    ) {
        let steps: Vec<_> = steps.into_iter().map(|(s, a, b, on)| (s, (a, b), on)).collect();
        let map = tempo(&profile_of(&steps));
        // Expected: per run, the number of whole beats strictly below its
        // phase length Φ = Σ (c0 + c1)·T/120, computed in integers.
        let mut expected = 0u64;
        let mut run_numerator = 0u64; // Φ · 120
        for (i, (seconds, (c0, c1), on)) in steps.iter().enumerate() {
            if *on {
                run_numerator += u64::from(c0 + c1) * u64::from(*seconds);
            }
            let run_ends = !*on || steps.get(i + 1).is_none_or(|next| !next.2);
            if run_ends && run_numerator > 0 {
                expected += run_numerator.div_ceil(120);
                run_numerator = 0;
            }
        }
        prop_assert_eq!(map.clicks().count() as u64, expected);
        prop_assert_eq!(map.click_count(), expected);
    }
}

#[test]
fn count_in_is_before_zero_at_the_first_cadence() {
    let text = "[click]\ncount_in = 4\n[[step]]\ntime = \"1m\"\ncadence = \"150..180\"\n";
    let map = tempo(text);
    let count_in: Vec<f64> = map.count_in_times().collect();
    let expected = [-1.6, -1.2, -0.8, -0.4];
    assert_eq!(count_in.len(), expected.len());
    for (got, want) in count_in.iter().zip(expected) {
        assert!((got - want).abs() < 1e-12, "{got} != {want}");
    }
    assert_eq!(
        map.preroll_frames(treadbeat::units::SampleRate(48000)),
        76800
    );
}

#[test]
fn a_session_starting_with_a_stretch_has_no_count_in() {
    let text =
        "[[step]]\nkind = \"stretch\"\ntime = \"1m\"\n[[step]]\ntime = \"1m\"\ncadence = 170\n";
    let map = tempo(text);
    assert_eq!(map.count_in_times().count(), 0);
    assert_eq!(map.clicks().next().unwrap().time_s, 60.0);
}

//! Short steps and the coach: every step is announced before it starts
//! (said in the step before, or folded into the announcement before that),
//! none is dropped, countdowns never pile up, and a step under a second
//! still gets a length in words.

mod support;

use proptest::prelude::*;
use treadbeat::coach::{build_cues, estimated_speech_s, Cue, CueKind};
use treadbeat::plan::Timeline;

/// Run steps of the given lengths (cadence 160, 170, … so each announcement
/// differs), built through a valid profile and then resized: validation
/// may refuse sub-second steps, the coach must cope with them anyway.
fn steps_of(lengths: &[f64]) -> Timeline {
    let mut text = String::from("name = \"Short\"\n");
    for (i, _) in lengths.iter().enumerate() {
        let kind = if i % 2 == 1 { "walk" } else { "run" };
        text.push_str(&format!(
            "[[step]]\nname = \"Step\"\nkind = \"{kind}\"\ntime = \"1m\"\ncadence = {}\nspeed = \"{} km/h\"\n",
            150 + 5 * (i % 8),
            6 + i % 5
        ));
    }
    let mut timeline = support::timeline(&text);
    let mut start = 0.0;
    for (segment, length) in timeline.segments.iter_mut().zip(lengths) {
        segment.start_s = start;
        segment.duration_s = *length;
        start += length;
    }
    timeline
}

/// Step `i`'s announcement, which must exist.
fn announcement(cues: &[Cue], i: usize) -> &Cue {
    let found: Vec<&Cue> = cues
        .iter()
        .filter(|c| c.segment == i && c.kind == CueKind::Announce)
        .collect();
    assert_eq!(found.len(), 1, "step {i} announced {} times", found.len());
    found[0]
}

/// Every step after the first is announced, and the announcement ends
/// before the step's countdown (or the step itself, where there is none).
fn assert_announced_in_time(timeline: &Timeline, cues: &[Cue]) {
    for (i, segment) in timeline.segments.iter().enumerate().skip(1) {
        let said = announcement(cues, i);
        let deadline = cues
            .iter()
            .filter(|c| c.segment == i && c.kind == CueKind::Countdown)
            .map(|c| c.at_s)
            .fold(segment.start_s, f64::min);
        assert!(
            said.at_s + said.duration_s <= deadline + 1e-9,
            "step {i} (start {:.4}) announced {:.2}–{:.2}: {}",
            segment.start_s,
            said.at_s,
            said.at_s + said.duration_s,
            said.text
        );
    }
}

fn assert_no_overlap(cues: &[Cue]) {
    for pair in cues.windows(2) {
        assert!(
            pair[0].at_s + pair[0].duration_s <= pair[1].at_s + 1e-9,
            "{:?} at {} runs into {:?} at {}",
            pair[0].text,
            pair[0].at_s,
            pair[1].text,
            pair[1].at_s
        );
    }
}

#[test]
fn a_short_step_and_the_step_after_it_are_announced_before_they_start() {
    // A 12 s walk, a 5 s stride, a minute's jog: the stride cannot hold the
    // jog's announcement, the walk cannot hold both.
    let timeline = steps_of(&[60.0, 12.0, 5.0, 60.0]);
    let cues = build_cues(&timeline, &estimated_speech_s);
    assert_announced_in_time(&timeline, &cues);
    assert_no_overlap(&cues);
    // The jog after the stride is folded after the stride's announcement.
    let stride = announcement(&cues, 2);
    let jog = announcement(&cues, 3);
    assert!(jog.text.starts_with("Then "), "{}", jog.text);
    assert!((jog.at_s - (stride.at_s + stride.duration_s + 0.2)).abs() < 1e-9);
}

#[test]
fn strides_between_walks_are_each_announced_during_the_walk_before() {
    // Four strides of five seconds with 30 s walks: each stride and the walk
    // after it are said during the walk before the stride.
    let mut lengths = vec![90.0];
    for _ in 0..4 {
        lengths.extend([5.0, 30.0]);
    }
    let timeline = steps_of(&lengths);
    for slow in [1.0, 1.6] {
        let speech = |t: &str| slow * estimated_speech_s(t);
        let cues = build_cues(&timeline, &speech);
        assert_announced_in_time(&timeline, &cues);
        assert_no_overlap(&cues);
        for stride in (1..lengths.len()).step_by(2) {
            let said = announcement(&cues, stride);
            let walk_before = &timeline.segments[stride - 1];
            assert!(said.at_s >= walk_before.start_s, "{}", said.text);
        }
    }
}

#[test]
fn a_step_under_a_second_has_a_spoken_length_and_no_stacked_countdown() {
    let timeline = steps_of(&[60.0, 0.0001, 0.0001, 60.0]);
    let cues = build_cues(&timeline, &estimated_speech_s);
    assert_announced_in_time(&timeline, &cues);
    assert_no_overlap(&cues);
    for cue in &cues {
        assert!(!cue.text.contains(", ."), "empty length: {}", cue.text);
    }
    assert!(announcement(&cues, 1).text.contains("under a second"));
    // Only the countdown into the first tiny step: the steps that follow
    // start within a second, with no room for words.
    let countdown: Vec<(usize, &str)> = cues
        .iter()
        .filter(|c| c.kind == CueKind::Countdown)
        .map(|c| (c.segment, c.text.as_str()))
        .collect();
    assert_eq!(countdown, [(1, "three"), (1, "two"), (1, "one")]);
}

#[test]
fn a_two_second_step_gets_the_countdown_words_that_fit_in_it() {
    let timeline = steps_of(&[60.0, 2.0, 60.0]);
    let cues = build_cues(&timeline, &estimated_speech_s);
    let into_third: Vec<&str> = cues
        .iter()
        .filter(|c| c.kind == CueKind::Countdown && c.segment == 2)
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(into_third, ["two", "one"]);
    assert_no_overlap(&cues);
}

#[test]
fn a_first_step_shorter_than_the_opening_is_named_in_it() {
    // The opening (welcome and first step) takes longer than the first
    // step: the step after it is said in the same breath, and the
    // countdown into it gives way; nothing overlaps, nothing is dropped.
    let timeline = steps_of(&[4.0, 60.0, 30.0]);
    let cues = build_cues(&timeline, &estimated_speech_s);
    assert_no_overlap(&cues);
    let opening = announcement(&cues, 0);
    let second = announcement(&cues, 1);
    assert!(opening.at_s < 1.0);
    assert!(second.text.starts_with("Then "), "{}", second.text);
    assert!((second.at_s - (opening.at_s + opening.duration_s + 0.2)).abs() < 1e-9);
    let third = announcement(&cues, 2);
    assert!(third.at_s >= timeline.segments[1].start_s);
    assert!(third.at_s + third.duration_s <= timeline.segments[2].start_s - 3.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the step lengths and however slow the voice, each step is
    /// announced once, in time, and nothing overlaps.
    #[test]
    fn every_step_is_announced_once_before_it_starts(
        lengths in prop::collection::vec(
            prop_oneof![0.0001f64..1.0, 1.0f64..8.0, 8.0f64..40.0, 40.0f64..200.0],
            1..14,
        ),
        slow in 0.7f64..2.0,
    ) {
        // The first step is announced as the session opens; it is long
        // enough to say that before anything else starts.
        let mut all = vec![120.0];
        all.extend(lengths);
        let timeline = steps_of(&all);
        let speech = |t: &str| slow * estimated_speech_s(t);
        let cues = build_cues(&timeline, &speech);
        assert_announced_in_time(&timeline, &cues);
        assert_no_overlap(&cues);
        for (i, segment) in timeline.segments.iter().enumerate().skip(1) {
            let previous_start = timeline.segments[i - 1].start_s;
            for c in cues.iter().filter(|c| c.kind == CueKind::Countdown && c.segment == i) {
                prop_assert!(c.at_s >= previous_start - 1e-9 && c.at_s < segment.start_s);
            }
        }
    }

    /// With any first step too: every step announced exactly once, and
    /// nothing overlaps.
    #[test]
    fn no_announcement_is_ever_dropped(
        lengths in prop::collection::vec(
            prop_oneof![0.0001f64..1.0, 1.0f64..8.0, 8.0f64..40.0, 40.0f64..200.0],
            1..14,
        ),
        slow in 0.7f64..2.0,
    ) {
        let timeline = steps_of(&lengths);
        let speech = |t: &str| slow * estimated_speech_s(t);
        let cues = build_cues(&timeline, &speech);
        assert_no_overlap(&cues);
        for i in 0..lengths.len() {
            announcement(&cues, i);
        }
    }
}

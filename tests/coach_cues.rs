//! The coach's cue list for every shipped profile: nothing overlaps, every
//! step is announced before its countdown, the countdown's "one" ends
//! before the boundary, the profile's own words are all said, stretch holds
//! switch sides, and a session with running ends with the stretch offer.

mod support;

use treadbeat::coach::{build_cues, estimated_speech_s, Cue, CueKind};
use treadbeat::plan::{parse_profile, StepKind, Timeline};
use treadbeat::shipped::SHIPPED;

fn shipped() -> Vec<(&'static str, Timeline, Vec<Cue>)> {
    SHIPPED
        .iter()
        .map(|(name, text)| {
            let profile = parse_profile(name, text, std::path::Path::new(".")).unwrap();
            let timeline = Timeline::from_profile(&profile);
            let cues = build_cues(&timeline, &estimated_speech_s);
            (*name, timeline, cues)
        })
        .collect()
}

#[test]
fn cues_never_overlap() {
    for (name, _, cues) in shipped() {
        for pair in cues.windows(2) {
            let end = pair[0].at_s + pair[0].duration_s;
            assert!(
                end <= pair[1].at_s + 1e-9,
                "{name}: {:?} runs into {:?}",
                pair[0].text,
                pair[1].text
            );
        }
    }
}

#[test]
fn every_step_is_announced_then_counted_down_to_its_start() {
    for (name, timeline, cues) in shipped() {
        for (i, segment) in timeline.segments.iter().enumerate() {
            let announce = cues
                .iter()
                .find(|c| c.segment == i && c.kind == CueKind::Announce)
                .unwrap_or_else(|| panic!("{name}: step {i} ({}) is not announced", segment.name));
            if i == 0 {
                assert!(
                    announce.at_s < 1.0,
                    "{name}: the first step is announced late"
                );
                continue;
            }
            let countdown: Vec<&Cue> = cues
                .iter()
                .filter(|c| c.segment == i && c.kind == CueKind::Countdown)
                .collect();
            let words: Vec<&str> = countdown.iter().map(|c| c.text.as_str()).take(3).collect();
            assert_eq!(words, ["three", "two", "one"], "{name}: step {i}");
            let one = countdown[2];
            assert!(
                one.at_s + one.duration_s < segment.start_s,
                "{name}: \"one\" ends after the boundary"
            );
            assert!(
                segment.start_s - (one.at_s + one.duration_s) < 1.0,
                "{name}: \"one\" ends long before"
            );
            assert!(
                announce.at_s + announce.duration_s <= countdown[0].at_s,
                "{name}: step {i}"
            );
            // Said during the step before; or, folded, straight after that
            // step's own announcement.
            let previous = cues
                .iter()
                .find(|c| c.segment == i - 1 && c.kind == CueKind::Announce)
                .unwrap();
            let folded = announce.text.starts_with("Then ")
                && (announce.at_s - (previous.at_s + previous.duration_s) - 0.2).abs() < 1e-6;
            assert!(
                announce.at_s >= timeline.segments[i - 1].start_s || folded,
                "{name}: announced a step too early"
            );
            // Numbers are spoken as words, never digits.
            assert!(
                !announce.text.contains(|c: char| c.is_ascii_digit()),
                "{name}: {}",
                announce.text
            );
        }
    }
}

#[test]
fn the_profiles_own_words_are_all_said() {
    for (name, timeline, cues) in shipped() {
        for (i, segment) in timeline.segments.iter().enumerate() {
            if let Some(say) = &segment.say {
                let said = cues
                    .iter()
                    .any(|c| c.segment == i && c.kind == CueKind::Say && &c.text == say);
                assert!(said, "{name}: step {i} loses its `say`");
            }
        }
    }
}

#[test]
fn stretch_holds_switch_sides_and_runs_end_with_the_stretch_offer() {
    for (name, timeline, cues) in shipped() {
        for (i, segment) in timeline.segments.iter().enumerate() {
            if let (StepKind::Stretch, Some(hold), true) =
                (segment.kind, segment.hold_s, segment.sides)
            {
                let switches = cues
                    .iter()
                    .filter(|c| c.segment == i && c.kind == CueKind::SwitchSides)
                    .count();
                let holds = (segment.duration_s / hold).round() as usize;
                assert_eq!(switches, holds - 1, "{name}: {}", segment.name);
            }
        }
        let ran = timeline.segments.iter().any(|s| s.kind == StepKind::Run);
        let last = cues.last().unwrap();
        assert_eq!(ran, last.kind == CueKind::SendOff, "{name}");
        if ran {
            assert!(last.text.contains("hip flexors"), "{name}");
            assert!(last.at_s >= timeline.total_s());
        }
    }
}

#[test]
fn a_colliding_reminder_moves_or_drops_but_never_overlaps() {
    // A 4-minute step whose `say` sits where "halfway" would go.
    let text = "[[step]]\ntime = \"4m\"\ncadence = 170\nsay = \"one two three four five six seven eight nine ten\"\n\
        [[step]]\ntime = \"1m\"\ncadence = 172\n";
    let timeline = support::timeline(text);
    let long_say = |t: &str| {
        if t.starts_with("one two") {
            115.0
        } else {
            estimated_speech_s(t)
        }
    };
    let cues = build_cues(&timeline, &long_say);
    // The say waits for the opening announcement, then runs 115 s, over
    // halfway's preferred 120 s: halfway moves to just after it.
    let say = cues.iter().find(|c| c.kind == CueKind::Say).unwrap();
    let halfway = cues
        .iter()
        .find(|c| c.kind == CueKind::Halfway)
        .expect("halfway placed");
    assert!(
        say.at_s + say.duration_s > 120.0,
        "the test needs the say over 120 s"
    );
    assert!(
        (halfway.at_s - (say.at_s + say.duration_s + 0.2)).abs() < 1e-9,
        "{}",
        halfway.at_s
    );
    let mut crowded = timeline.clone();
    crowded.segments[0].say = Some("x".to_string());
    let huge = |t: &str| {
        if t == "x" {
            200.0
        } else {
            estimated_speech_s(t)
        }
    };
    let cues = build_cues(&crowded, &huge);
    assert!(
        cues.iter().all(|c| c.kind != CueKind::Halfway),
        "no room: halfway is dropped"
    );
}

//! What the coach says fits the moment: no "hold" while the cadence still
//! ramps, no "building" while the belt slows, and no stretch routine
//! offered after a session that stretched.

mod support;

use treadbeat::coach::{build_cues, estimated_speech_s, Cue, CueKind};

fn cues(text: &str) -> Vec<Cue> {
    build_cues(&support::timeline(text), &estimated_speech_s)
}

fn said(cues: &[Cue], kind: CueKind) -> Vec<&str> {
    cues.iter()
        .filter(|c| c.kind == kind)
        .map(|c| c.text.as_str())
        .collect()
}

#[test]
fn halfway_through_a_ramp_says_where_the_cadence_is_going() {
    let rising = cues("[[step]]\ntime = \"10m\"\ncadence = \"160..170\"\n");
    assert_eq!(
        said(&rising, CueKind::Halfway),
        ["Halfway. Cadence one sixty-five, rising to one seventy."]
    );
    let easing = cues("[[step]]\ntime = \"10m\"\ncadence = \"170..160\"\n");
    assert_eq!(
        said(&easing, CueKind::Halfway),
        ["Halfway. Cadence one sixty-five, easing to one sixty."]
    );
    // A held cadence is still "hold".
    let held = cues("[[step]]\ntime = \"10m\"\ncadence = 170\n");
    assert_eq!(
        said(&held, CueKind::Halfway),
        ["Halfway. Hold one seventy."]
    );
}

#[test]
fn a_belt_that_slows_is_easing_not_building() {
    let text = "[[step]]\ntime = \"5m\"\ncadence = 170\nspeed = \"9 km/h\"\n\
        [[step]]\nkind = \"walk\"\ntime = \"3m\"\ncadence = 115\nspeed = \"5..4.5 km/h\"\n\
        [[step]]\ntime = \"3m\"\ncadence = 165\nspeed = \"7..8 km/h\"\n";
    let cues = cues(text);
    let announced = said(&cues, CueKind::Announce);
    assert!(
        announced[1].contains("Speed five kilometres per hour, easing."),
        "{}",
        announced[1]
    );
    assert!(
        announced[2].contains("Speed seven kilometres per hour, building,"),
        "{}",
        announced[2]
    );
}

#[test]
fn no_stretch_offer_after_a_session_that_ends_with_its_own_stretch() {
    let text = std::fs::read_to_string("tests/fixtures/valid/spec-example.toml").unwrap();
    let timeline = support::timeline(&text);
    assert_eq!(
        timeline.segments.last().unwrap().kind,
        treadbeat::plan::StepKind::Stretch,
        "the fixture must end with its stretch"
    );
    let cues = build_cues(&timeline, &estimated_speech_s);
    let send_off = said(&cues, CueKind::SendOff);
    assert_eq!(send_off, ["Workout done. Well run."]);
    assert!(cues.iter().all(|c| !c.text.contains("routine")));
    // A run that ends without stretching is still offered the routine.
    let cues = cues_of_run_then_walk();
    let send_off = said(&cues, CueKind::SendOff);
    assert_eq!(send_off.len(), 1);
    assert!(
        send_off[0].contains("hip-flexor stretch routine"),
        "{send_off:?}"
    );
}

fn cues_of_run_then_walk() -> Vec<Cue> {
    cues("[[step]]\ntime = \"5m\"\ncadence = 170\n[[step]]\nkind = \"walk\"\ntime = \"2m\"\ncadence = 115\n")
}

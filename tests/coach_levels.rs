//! How much the coach says: `[coach] level` quiet, normal or chatty, and
//! at normal no "thirty seconds left" where the next step's announcement
//! follows anyway.

mod support;

use std::collections::HashSet;

use assert_cmd::Command;
use treadbeat::coach::{build_cues, estimated_speech_s, CoachLevel, Cue, CueKind};
use treadbeat::plan::{parse_profile, Timeline};

fn shipped(name: &str, level: CoachLevel) -> (Timeline, Vec<Cue>) {
    let text = treadbeat::shipped::find(name).unwrap();
    let profile = parse_profile(name, text, std::path::Path::new(".")).unwrap();
    let mut timeline = Timeline::from_profile(&profile);
    timeline.coach.level = level;
    let cues = build_cues(&timeline, &estimated_speech_s);
    (timeline, cues)
}

fn kinds(cues: &[Cue]) -> HashSet<CueKind> {
    cues.iter().map(|c| c.kind).collect()
}

fn count(cues: &[Cue], kind: CueKind) -> usize {
    cues.iter().filter(|c| c.kind == kind).count()
}

#[test]
fn normal_says_thirty_seconds_left_only_in_the_last_step() {
    // Five 3-minute intervals: before each change the announcement says
    // what comes; "thirty seconds left" would only crowd it.
    for name in ["tempo-intervals", "easy-run", "pyramid"] {
        let (timeline, cues) = shipped(name, CoachLevel::Normal);
        let last = timeline.segments.len() - 1;
        for cue in cues.iter().filter(|c| c.kind == CueKind::LastThirty) {
            assert_eq!(cue.segment, last, "{name}: {} at {}", cue.text, cue.at_s);
        }
        assert_eq!(count(&cues, CueKind::LastThirty), 1, "{name}");
    }
}

#[test]
fn quiet_says_the_steps_and_their_countdowns_only() {
    for name in ["tempo-intervals", "running-drills", "warm-up"] {
        let (timeline, quiet) = shipped(name, CoachLevel::Quiet);
        let allowed = HashSet::from([CueKind::Announce, CueKind::Countdown, CueKind::SwitchSides]);
        assert!(
            kinds(&quiet).is_subset(&allowed),
            "{name}: {:?}",
            kinds(&quiet)
        );
        assert!(!quiet[0].text.starts_with("Welcome"), "{}", quiet[0].text);
        // Every step still announced and counted down, as at normal.
        let (_, normal) = shipped(name, CoachLevel::Normal);
        for kind in [CueKind::Announce, CueKind::Countdown, CueKind::SwitchSides] {
            assert_eq!(
                count(&quiet, kind),
                count(&normal, kind),
                "{name}: {kind:?}"
            );
        }
        assert_eq!(count(&quiet, CueKind::Announce), timeline.segments.len());
    }
}

#[test]
fn chatty_adds_halfway_last_thirty_and_form_reminders() {
    let (timeline, normal) = shipped("tempo-intervals", CoachLevel::Normal);
    let (_, chatty) = shipped("tempo-intervals", CoachLevel::Chatty);
    // "Thirty seconds left" before every change after a step of 2 minutes
    // or more, halfway from 2 minutes, form reminders in the long runs.
    let long = timeline
        .segments
        .iter()
        .filter(|s| s.duration_s >= 120.0 && s.kind.on_belt())
        .count();
    assert_eq!(count(&chatty, CueKind::LastThirty), long);
    assert!(count(&chatty, CueKind::Halfway) > count(&normal, CueKind::Halfway));
    let form: Vec<&Cue> = chatty.iter().filter(|c| c.kind == CueKind::Form).collect();
    assert!(form.len() >= 2, "{} form reminders", form.len());
    assert!(form.iter().all(|c| {
        let s = &timeline.segments[c.segment];
        s.kind == treadbeat::plan::StepKind::Run && s.clicked
    }));
    assert_ne!(form[0].text, form[1].text, "the reminders take turns");
    // Nothing normal says is lost at chatty.
    for kind in kinds(&normal) {
        assert!(count(&chatty, kind) >= count(&normal, kind), "{kind:?}");
    }
}

#[test]
fn no_form_reminders_in_a_silent_run() {
    // A silent run measures (or trains) the runner's own rhythm, as in the
    // cadence baseline test: "quick feet" there would change it.
    let text = "name = \"S\"\n[coach]\nlevel = \"chatty\"\n\
        [[step]]\ntime = \"10m\"\ncadence = 170\nclick = false\n\
        [[step]]\ntime = \"10m\"\ncadence = 170\n";
    let timeline = support::timeline(text);
    let cues = build_cues(&timeline, &estimated_speech_s);
    let form_in = |segment: usize| {
        cues.iter()
            .filter(|c| c.kind == CueKind::Form && c.segment == segment)
            .count()
    };
    assert_eq!(form_in(0), 0);
    assert!(form_in(1) >= 2, "{} in the clicked run", form_in(1));
}

#[test]
fn the_profile_names_the_level() {
    let text = "name = \"Q\"\n[coach]\nlevel = \"quiet\"\n[[step]]\ntime = \"5m\"\ncadence = 170\nsay = \"Relax.\"\n[[step]]\ntime = \"5m\"\ncadence = 175\n";
    let timeline = support::timeline(text);
    assert_eq!(timeline.coach.level, CoachLevel::Quiet);
    assert_eq!(
        support::timeline(&text.replace("quiet", "chatty"))
            .coach
            .level,
        CoachLevel::Chatty
    );
    assert_eq!(
        support::timeline(&text.replace("level = \"quiet\"\n", ""))
            .coach
            .level,
        CoachLevel::Normal
    );
    // End to end: `plan --cues` at quiet has no `say` and no send-off.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("quiet.toml");
    std::fs::write(&path, text).unwrap();
    let output = Command::cargo_bin("treadbeat")
        .unwrap()
        .args(["plan", "--cues"])
        .arg(&path)
        .output()
        .unwrap();
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success());
    assert!(
        out.contains("announce") && out.contains("countdown"),
        "{out}"
    );
    assert!(
        !out.contains("Relax.") && !out.contains("Workout done"),
        "{out}"
    );
}

#[test]
fn the_coach_flag_overrides_the_profiles_level() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chatty.toml");
    let text = "name = \"C\"\n[coach]\nlevel = \"chatty\"\n[[step]]\ntime = \"5m\"\ncadence = 170\nsay = \"Relax.\"\n";
    std::fs::write(&path, text).unwrap();
    let cues = |level: Option<&str>| {
        let mut command = Command::cargo_bin("treadbeat").unwrap();
        command.args(["plan", "--cues"]).arg(&path);
        if let Some(level) = level {
            command.args(["--coach", level]);
        }
        let output = command.output().unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(cues(None).contains("Relax."));
    let quiet = cues(Some("quiet"));
    assert!(
        !quiet.contains("Relax.") && quiet.contains("announce"),
        "{quiet}"
    );
}

#[test]
fn a_level_is_read_from_its_name() {
    assert_eq!("quiet".parse::<CoachLevel>(), Ok(CoachLevel::Quiet));
    assert_eq!("chatty".parse::<CoachLevel>(), Ok(CoachLevel::Chatty));
    let error = "loud".parse::<CoachLevel>().unwrap_err();
    assert!(error.contains("quiet, normal, chatty"), "{error}");
    for level in CoachLevel::ALL {
        assert_eq!(level.name().parse::<CoachLevel>(), Ok(level));
    }
}

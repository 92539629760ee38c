//! Values a profile may write more than one way mean the same; values with
//! no unit of their own are refused the same way as a number and as text;
//! the limits on a whole file accept what they promise to.

use std::path::Path;

use treadbeat::plan::{parse_profile, Profile, ProfileErrors, Timeline};

fn parse(text: &str) -> Result<Profile, ProfileErrors> {
    parse_profile("v.toml", text, Path::new("."))
}

/// One run step with `key = value` added.
fn step_with(key: &str, value: &str) -> String {
    let time = if ["time", "distance"].contains(&key) {
        ""
    } else {
        "time = \"3m\"\n"
    };
    let cadence = if key == "cadence" {
        ""
    } else {
        "cadence = 170\n"
    };
    format!("[[step]]\n{time}{cadence}{key} = {value}\n")
}

fn first_segment(text: &str) -> treadbeat::plan::Segment {
    let profile = parse(text).unwrap_or_else(|e| panic!("{text}\n{e}"));
    Timeline::from_profile(&profile).segments[0].clone()
}

#[test]
fn cadence_and_incline_mean_the_same_as_a_number_or_as_text() {
    let cadences: Vec<_> = ["170", "170.0", "\"170\"", "\"170 spm\""]
        .iter()
        .map(|v| first_segment(&step_with("cadence", v)).cadence)
        .collect();
    assert!(cadences.iter().all(|c| *c == cadences[0]), "{cadences:?}");
    let inclines: Vec<_> = ["4", "4.0", "\"4\"", "\"4%\""]
        .iter()
        .map(|v| first_segment(&step_with("incline", v)).incline_pct)
        .collect();
    assert!(inclines.iter().all(|i| *i == inclines[0]), "{inclines:?}");
    let ramp = first_segment(&step_with("incline", "\"1..6\"")).incline_pct;
    assert_eq!(
        ramp,
        first_segment(&step_with("incline", "\"1..6%\"")).incline_pct
    );
}

#[test]
fn quantities_whose_unit_is_ambiguous_refuse_a_bare_number_either_way() {
    // 10 could be km/h or mph, 180 seconds or minutes: as a number or as
    // text, each is an error at the value, and the unit-ful form is fine.
    for (key, bare_number, bare_text, good) in [
        ("speed", "10", "\"10\"", "\"10 km/h\""),
        ("pace", "300", "\"5:00\"", "\"5:00/km\""),
        ("time", "180", "\"180\"", "\"3m\""),
        ("distance", "800", "\"800\"", "\"800 m\""),
    ] {
        let good_text = step_with(key, good);
        // A distance needs a speed to become a time.
        let with_speed = |text: String| match key {
            "distance" => text + "speed = \"10 km/h\"\n",
            _ => text,
        };
        for bad in [bare_number, bare_text] {
            let errors = parse(&with_speed(step_with(key, bad))).unwrap_err();
            assert_eq!(errors.0.len(), 1, "{key} = {bad}: {errors}");
            assert!(
                errors.0[0].message.starts_with(&format!("`{key}`")),
                "{errors}"
            );
        }
        parse(&with_speed(good_text)).unwrap_or_else(|e| panic!("{key} = {good}: {e}"));
    }
}

#[test]
fn a_huge_number_is_out_of_range_where_it_is_written_whatever_the_key() {
    for (key, value) in [
        ("cadence", "99999999999999999999"),
        ("incline", "-99999999999999999999"),
        ("cadence", "1e300"),
        ("cadence", "inf"),
        ("cadence", "nan"),
    ] {
        let text = step_with(key, value);
        let errors = parse(&text).unwrap_err();
        assert_eq!(errors.0.len(), 1, "{key} = {value}: {errors}");
        let at = (text.lines().count(), key.len() + 4);
        assert_eq!((errors.0[0].line, errors.0[0].column), at, "{errors}");
        assert!(errors.0[0].message.contains("out of range"), "{errors}");
    }
    let text = "[click]\nvolume = 99999999999999999999\naccent = 0x7FFFFFFFFFFFFFFFFF\n[[step]]\ntime = \"3m\"\ncadence = 170\n";
    let errors = parse(text).unwrap_err().to_string();
    assert_eq!(
        errors,
        "v.toml:2:10: `volume` is 99999999999999999999; it must be 0 to 1\n\
         v.toml:3:10: `accent` is 0x7FFFFFFFFFFFFFFFFF; it must be 0 to 64"
    );
}

#[test]
fn ten_thousand_steps_are_allowed_and_one_more_is_not() {
    let nested = |extra: &str| {
        format!("[[step]]\nrepeat = 100\nsteps = [ {{ repeat = 100, steps = [ {{ time = \"5s\", cadence = 170 }} ] }} ]\n{extra}")
    };
    let profile = parse(&nested("")).unwrap();
    assert_eq!(Timeline::from_profile(&profile).segments.len(), 10_000);
    let errors = parse(&nested("[[step]]\ntime = \"5s\"\ncadence = 170\n")).unwrap_err();
    assert_eq!(errors.0.len(), 1, "{errors}");
    assert!(errors.0[0].message.contains("10,000 steps"), "{errors}");
}

#[test]
fn a_file_with_thousands_of_errors_reports_a_hundred_and_a_count() {
    let bad_step = "[[step]]\ntime = \"0.1s\"\ncadence = 170\n";
    let errors = parse(&bad_step.repeat(2_000)).unwrap_err().0;
    assert_eq!(errors.len(), 101);
    assert!(errors[..100]
        .iter()
        .all(|e| e.message == "`time` must be at least 1 second"));
    assert_eq!(errors[99].line, 100 * 3 - 1);
    assert_eq!(errors[100].line, 101 * 3 - 1);
    assert_eq!(
        errors[100].message,
        "and 1,900 more problems from here on, not shown"
    );
}

#[test]
fn a_stretch_filled_by_its_holds_is_fine() {
    for (time, hold, sides) in [
        ("2m", "30s", true),
        ("90s", "30s", false),
        ("1m", "1m", false),
        ("2.5m", "50s", false),
    ] {
        let text = format!(
            "[[step]]\nkind = \"stretch\"\ntime = \"{time}\"\nhold = \"{hold}\"\nsides = {sides}\n"
        );
        parse(&text).unwrap_or_else(|e| panic!("{text}\n{e}"));
    }
}

#[test]
fn a_byte_order_mark_is_not_a_column() {
    let errors =
        parse("\u{feff}nme = \"x\"\n[[step]]\ntime = \"3m\"\ncadence = 170\n").unwrap_err();
    assert_eq!((errors.0[0].line, errors.0[0].column), (1, 1), "{errors}");
}

#[test]
fn a_typo_is_one_error_not_also_the_missing_key() {
    // `cadance` and `tim` are reported as unknown; the step is not also
    // reported for lacking a cadence and a length.
    let errors = parse("[[step]]\ntim = \"3m\"\ncadance = 170\n").unwrap_err();
    let messages: Vec<&str> = errors.0.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "unknown key `tim`; did you mean `time`?",
            "unknown key `cadance`; did you mean `cadence`?"
        ]
    );
    let errors = parse("[[steps]]\ntime = \"3m\"\ncadence = 170\n").unwrap_err();
    assert_eq!(
        errors.to_string(),
        "v.toml:1:3: unknown key `steps`; did you mean `step`?"
    );
}

#[test]
fn a_profile_needs_its_steps_as_a_list_of_tables() {
    for (text, expected) in [
        ("name = \"x\"\n", "v.toml:1:1: the profile has no `[[step]]`"),
        ("step = []\n", "v.toml:1:8: `step` is empty: the profile has no steps"),
        (
            "[step]\ntime = \"3m\"\n",
            "v.toml:1:1: write each step as `[[step]]`, with two brackets: a profile has a list of steps",
        ),
        (
            "step = [ 5 ]\n",
            "v.toml:1:10: a step is a table in braces, like { time = \"1m\", cadence = 170 }",
        ),
        (
            "click = 5\n[[step]]\ntime = \"3m\"\ncadence = 170\n",
            "v.toml:1:9: `click` is a table: write `[click]` on its own line and its keys below it",
        ),
    ] {
        assert_eq!(parse(text).unwrap_err().to_string(), expected, "{text}");
    }
}

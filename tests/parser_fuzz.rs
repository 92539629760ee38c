//! No input panics the parser, the planner or the tempo map: arbitrary
//! bytes (decoded as a profile file is, not just lossily), arbitrary
//! TOML-ish text, numbers of any size and form, made-up key names, and valid
//! profiles mutated byte by byte. Unknown keys never hide other errors.
//! (Property tests stand in for a coverage-guided fuzzer so that they run in
//! every `cargo test`.)

use std::path::Path;

use proptest::prelude::*;
use treadbeat::plan::{parse_profile, profile_text, Timeline};
use treadbeat::tempo::TempoMap;

/// Every key some table of a profile knows.
const KNOWN_KEYS: &[&str] = &[
    "name", "about", "units", "click", "defaults", "coach", "step", "sound", "accent", "stereo",
    "volume", "count_in", "voice", "rate", "duck", "cadence", "speed", "pace", "incline", "kind",
    "time", "distance", "say", "hold", "sides", "repeat", "steps",
];

/// Runs the whole pure pipeline; returns whether the profile was valid.
fn pipeline(text: &str) -> bool {
    match parse_profile("fuzz.toml", text, Path::new(".")) {
        Ok(profile) => {
            let timeline = Timeline::from_profile(&profile);
            let map = TempoMap::from_timeline(&timeline);
            // Walk at most a few thousand clicks: enough to exercise every
            // segment boundary of small profiles without a 24 h walk per case.
            let walked = map.clicks().take(5000).count() as u64;
            assert!(walked <= map.click_count());
            true
        }
        Err(errors) => {
            for error in &errors.0 {
                assert!(error.line >= 1 && error.column >= 1);
                assert!(
                    !error.message.contains('\n'),
                    "multi-line message: {}",
                    error.message
                );
            }
            false
        }
    }
}

/// A file's bytes through the same door the app uses.
fn pipeline_bytes(bytes: &[u8]) -> bool {
    match profile_text("fuzz.toml", bytes) {
        Ok(text) => pipeline(text),
        Err(errors) => {
            assert_eq!(errors.0.len(), 1);
            assert!(errors.0[0].line >= 1 && errors.0[0].column >= 1);
            assert!(
                std::str::from_utf8(bytes).is_err()
                    || bytes.starts_with(&[0xFF, 0xFE])
                    || bytes.starts_with(&[0xFE, 0xFF])
            );
            false
        }
    }
}

/// A TOML number of any size and in any of its forms.
fn any_number() -> impl Strategy<Value = String> {
    prop_oneof![
        "[+-]?[0-9]{1,40}",
        "0x[0-9A-F]{1,34}",
        "0o[0-7]{1,45}",
        "0b[01]{1,130}",
        "[+-]?[0-9]{1,25}\\.[0-9]{1,25}(e[+-]?[0-9]{1,4})?",
        "[+-]?(inf|nan)",
        "\"[+-]?[0-9]{1,30}(\\.\\.[0-9]{1,30})?( spm| km/h|%| s| m)?\"",
    ]
}

fn seeds() -> Vec<String> {
    let mut texts: Vec<String> = treadbeat::shipped::SHIPPED
        .iter()
        .map(|(_, t)| t.to_string())
        .collect();
    texts.push(std::fs::read_to_string("tests/fixtures/valid/spec-example.toml").unwrap());
    texts
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        pipeline(&String::from_utf8_lossy(&bytes));
        pipeline_bytes(&bytes);
    }

    #[test]
    fn a_stray_byte_in_a_valid_profile_is_located_exactly(
        seed in 0usize..16,
        at in any::<prop::sample::Index>(),
        byte in 0x80u8..=0xFF,
    ) {
        let seeds = seeds();
        let text = &seeds[seed % seeds.len()];
        // At a character boundary a byte of 0x80 or more is never valid
        // UTF-8: a continuation byte with nothing to continue, or a lead byte
        // followed by ASCII or another lead byte.
        let i = at.index(text.len() + 1);
        let i = (0..=i).rev().find(|&j| text.is_char_boundary(j)).unwrap();
        let mut bytes = text.clone().into_bytes();
        bytes.insert(i, byte);
        let errors = profile_text("fuzz.toml", &bytes).unwrap_err();
        let before = &text[..i];
        let line_start = before.rfind('\n').map_or(0, |n| n + 1);
        prop_assert_eq!(errors.0[0].line, before.matches('\n').count() + 1);
        prop_assert_eq!(errors.0[0].column, before[line_start..].chars().count() + 1);
        let expected = format!("not UTF-8 text (byte 0x{byte:02X})");
        prop_assert!(errors.0[0].message.starts_with(&expected));
    }

    #[test]
    fn numbers_of_any_size_and_form_get_our_messages(
        step in prop::collection::btree_map(
            prop::sample::select(&["cadence", "speed", "incline", "time", "hold", "distance", "pace"][..]),
            any_number(),
            0..4,
        ),
        click in prop::collection::btree_map(
            prop::sample::select(&["volume", "accent", "count_in"][..]), any_number(), 0..3,
        ),
        coach in prop::collection::btree_map(
            prop::sample::select(&["rate", "volume", "duck"][..]), any_number(), 0..3,
        ),
        repeat in any_number(),
    ) {
        let table = |header: &str, entries: &std::collections::BTreeMap<&str, String>| {
            let lines: String = entries.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
            format!("{header}\n{lines}")
        };
        let text = format!(
            "{}{}{}[[step]]\nrepeat = {repeat}\nsteps = [ {{ time = \"1m\", cadence = 170 }} ]\n",
            table("[click]", &click),
            table("[coach]", &coach),
            table("[[step]]", &step),
        );
        if let Err(errors) = parse_profile("fuzz.toml", &text, Path::new(".")) {
            for error in &errors.0 {
                // The parser's own words for a number it cannot hold
                // ("invalid type: integer ... as i128") never reach a runner.
                prop_assert!(!error.message.contains("invalid type"), "{}", error);
            }
        }
        pipeline(&text);
    }

    #[test]
    fn every_unknown_key_is_reported_and_hides_no_other_error(
        names in prop::collection::vec("[a-z_][a-z0-9_]{0,11}", 1..5),
        table in 0usize..4,
    ) {
        let names: Vec<String> = names
            .into_iter()
            .filter(|n| !KNOWN_KEYS.contains(&n.as_str()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let header = ["", "[click]\n", "[coach]\n", "[defaults]\n"][table];
        let mut text = header.to_string();
        for name in &names {
            text.push_str(&format!("{name} = 1\n"));
        }
        // And one value error that must still be reported.
        text.push_str("[[step]]\ntime = \"3m\"\ncadence = 300\n");
        let errors = parse_profile("fuzz.toml", &text, Path::new(".")).unwrap_err();
        let lines: Vec<String> = errors.0.iter().map(|e| e.to_string()).collect();
        let first_key_line = usize::from(!header.is_empty()) + 1;
        for (i, name) in names.iter().enumerate() {
            let expected = format!("fuzz.toml:{}:1: unknown key `{name}`", first_key_line + i);
            prop_assert!(lines.iter().any(|l| l.starts_with(&expected)), "{expected} not in {lines:?}");
        }
        let cadence = format!("fuzz.toml:{}:11: `cadence` 300 spm is out of range", first_key_line + names.len() + 2);
        prop_assert!(lines.iter().any(|l| l.starts_with(&cadence)), "{cadence} not in {lines:?}");
        prop_assert_eq!(lines.len(), names.len() + 1, "{:?}", lines);
    }

    #[test]
    fn toml_shaped_text_never_panics(text in "(\\[\\[step\\]\\]\n|\\[click\\]\n|\\[defaults\\]\n|\\[coach\\]\n|(name|time|cadence|speed|pace|incline|distance|repeat|steps|kind|hold|sides|click|count_in|accent|volume|voice|rate|duck) = (\"[0-9:.smhk/%a-z ]{0,12}\"|-?[0-9]{1,4}|true|\\[ \\{ time = \"1m\", cadence = 170 \\} \\])\n){0,14}") {
        pipeline(&text);
    }

    #[test]
    fn mutated_valid_profiles_never_panic(
        seed in 0usize..16,
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<u8>()), 1..6)
    ) {
        let seeds = seeds();
        let mut bytes = seeds[seed % seeds.len()].clone().into_bytes();
        for (at, op, byte) in edits {
            if bytes.is_empty() { break; }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = byte,
                1 => { bytes.remove(i); }
                2 => bytes.insert(i, byte),
                _ => bytes.insert(i, b"0123456789.:-\"=[]{}\n"[usize::from(byte) % 20]),
            }
        }
        pipeline(&String::from_utf8_lossy(&bytes));
        pipeline_bytes(&bytes);
    }
}

#[test]
fn extreme_but_valid_values_plan_without_trouble() {
    let text = "[[step]]\ntime = \"24h\"\ncadence = \"60..240\"\nspeed = \"0.5..30 km/h\"\nincline = \"-5..30%\"\n";
    assert!(pipeline(text));
    let text = "[[step]]\nrepeat = 100\nsteps = [ { repeat = 100, steps = [ { time = \"8s\", cadence = 240 } ] } ]\n";
    assert!(pipeline(text));
}

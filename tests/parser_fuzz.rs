//! No input panics the parser, the planner or the tempo map: arbitrary
//! bytes, arbitrary TOML-ish text, and valid profiles mutated byte by byte.
//! (Property tests stand in for a coverage-guided fuzzer so that they run in
//! every `cargo test`.)

use std::path::Path;

use proptest::prelude::*;
use treadbeat::plan::{parse_profile, Timeline};
use treadbeat::tempo::TempoMap;

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
    }
}

#[test]
fn extreme_but_valid_values_plan_without_trouble() {
    let text = "[[step]]\ntime = \"24h\"\ncadence = \"60..240\"\nspeed = \"0.5..30 km/h\"\nincline = \"-5..30%\"\n";
    assert!(pipeline(text));
    let text = "[[step]]\nrepeat = 100\nsteps = [ { repeat = 100, steps = [ { time = \"8s\", cadence = 240 } ] } ]\n";
    assert!(pipeline(text));
}

//! No flag value makes any command panic or hang: every subcommand's
//! options, given values from proptest (numbers at and past their limits,
//! negatives, NaN, huge, empty, non-ASCII), parse to a value or a clean
//! error; and the commands that need no audio device run with them to
//! exit 0, 1 or 2 with no panic on stderr.

use std::process::Command;
use std::time::Duration;

use clap::{CommandFactory, Parser};
use proptest::prelude::*;
use treadbeat::app::cli::Cli;

mod support;

/// Values that have broken command lines before.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|x| x.to_string()),
        (0u32..300_000).prop_map(|n| n.to_string()),
        Just("NaN".to_string()),
        Just("-inf".to_string()),
        Just("99999999999999999999999".to_string()),
        Just(String::new()),
        Just("0".to_string()),
        Just("-1".to_string()),
        "[a-z0-9:./%-]{0,12}",
        "\\PC{0,8}",
    ]
}

/// (subcommand, every long option it takes).
fn options() -> Vec<(String, Vec<String>)> {
    Cli::command()
        .get_subcommands()
        .map(|sub| {
            let longs = sub
                .get_arguments()
                .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
                .filter(|l| l != "--help")
                .collect();
            (sub.get_name().to_string(), longs)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_flag_value_parses_or_is_refused(
        which in any::<prop::sample::Index>(),
        flag in any::<prop::sample::Index>(),
        value in value(),
        positional in value(),
    ) {
        let all = options();
        let (sub, longs) = which.get(&all);
        let mut argv = vec!["treadbeat".to_string(), sub.clone(), positional];
        if !longs.is_empty() {
            argv.push(flag.get(longs).clone());
            argv.push(value);
        }
        let _ = Cli::try_parse_from(&argv);
    }
}

/// The commands that run without a device, on small inputs.
fn runnable(dir: &std::path::Path) -> Vec<Vec<String>> {
    let profile = dir.join("p.toml");
    std::fs::write(
        &profile,
        "name = \"f\"\n[[step]]\ntime = \"5s\"\ncadence = 170\n",
    )
    .unwrap();
    let recording = dir.join("r.wav");
    treadbeat::io::wav::write_mono(&recording, &vec![0.01; 16_000], 16_000).unwrap();
    let p = profile.to_str().unwrap().to_string();
    let r = recording.to_str().unwrap().to_string();
    let out = dir.join("o.wav").to_str().unwrap().to_string();
    vec![
        vec!["plan".into(), p.clone()],
        vec!["check".into(), p.clone()],
        vec!["render".into(), p, "--no-voice".into(), "-o".into(), out],
        vec!["detect".into(), r],
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn commands_run_with_any_flag_value_without_panicking(
        which in 0usize..4,
        flag in any::<prop::sample::Index>(),
        value in value(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut args = runnable(dir.path()).swap_remove(which);
        let all = options();
        let longs = &all.iter().find(|(name, _)| *name == args[0]).unwrap().1;
        if !longs.is_empty() {
            let long = flag.get(longs).clone();
            // --speech-command would run whatever the value names.
            prop_assume!(long != "--speech-command");
            args.push(long);
        }
        args.push(value);
        // In the temporary folder: a value after --midi or -o names a file.
        let mut command = Command::new(env!("CARGO_BIN_EXE_treadbeat"));
        command.current_dir(dir.path()).args(&args);
        let (code, stderr) =
            support::run::exit_and_stderr_within(&mut command, Duration::from_secs(30));
        prop_assert!(matches!(code, Some(0..=2)), "{args:?}: {code:?} {stderr}");
        prop_assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

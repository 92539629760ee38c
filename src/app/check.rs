//! `treadbeat check FILE…`: validates every file, prints every error, and
//! succeeds only when all are valid.

use super::cli::CheckArgs;
use super::console::outln;
use super::failure::{CommandResult, Failure};
use super::source::load_timeline;

pub fn run(args: &CheckArgs) -> CommandResult {
    let mut failures = Vec::new();
    for path in &args.profiles {
        let name = path.to_string_lossy();
        match load_timeline(&name) {
            Ok((profile, timeline)) => outln!(
                "{name}: ok ({}, {} steps, {})",
                profile.name,
                timeline.segments.len(),
                crate::units::clock_text(timeline.total_s())
            ),
            Err(failure) => failures.push(failure),
        }
    }
    match failures.iter().map(|f| f.code).max() {
        None => Ok(()),
        Some(code) => {
            let message: Vec<String> = failures.into_iter().map(|f| f.message).collect();
            Err(Failure {
                code,
                message: message.join("\n"),
            })
        }
    }
}

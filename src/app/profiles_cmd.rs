//! `treadbeat profiles`: the shipped workouts with their length and who
//! each is for.

use super::console::outln;
use super::failure::CommandResult;
use crate::plan::{parse_profile, Timeline};
use crate::shipped::{DEFAULT_PROFILE, SHIPPED};
use crate::units::clock_text;

pub fn run() -> CommandResult {
    let width = SHIPPED.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (stem, text) in SHIPPED {
        let file = format!("profiles/{stem}.toml");
        let line = match parse_profile(&file, text, std::path::Path::new(".")) {
            Ok(profile) => {
                let timeline = Timeline::from_profile(&profile);
                let marker = if *stem == DEFAULT_PROFILE {
                    " (default)"
                } else {
                    ""
                };
                format!(
                    "{stem:<width$}  {:>7}  {}{marker}\n{:width$}           {}",
                    clock_text(timeline.total_s()),
                    profile.name,
                    "",
                    profile.about
                )
            }
            Err(errors) => format!("{stem:<width$}  invalid: {errors}"),
        };
        outln!("{line}");
    }
    outln!("\nPlay one with `treadbeat run NAME`; see its steps with `treadbeat plan NAME`.");
    Ok(())
}

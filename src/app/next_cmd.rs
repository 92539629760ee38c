//! `treadbeat next`: placeholder until the builder lands.

use super::cli::NextArgs;
use super::failure::{CommandResult, Failure};

pub fn run(_args: &NextArgs) -> CommandResult {
    Err(Failure::invalid("next: not yet"))
}

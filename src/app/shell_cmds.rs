//! `treadbeat completions SHELL` and `treadbeat man`: generated from the
//! same clap definition as the parser, so they never fall behind it.

use clap::CommandFactory;

use super::cli::{Cli, CompletionsArgs};
use super::console::out;
use super::failure::{CommandResult, Failure};

pub fn completions(args: &CompletionsArgs) -> CommandResult {
    let mut text = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "treadbeat", &mut text);
    out!("{}", String::from_utf8_lossy(&text));
    Ok(())
}

pub fn man() -> CommandResult {
    let mut text = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut text)
        .map_err(|e| Failure::device(format!("cannot write the man page: {e}")))?;
    out!("{}", String::from_utf8_lossy(&text));
    Ok(())
}

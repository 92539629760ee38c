//! The command-line application: parses arguments, runs one command, maps
//! failures to one line on stderr and an exit code (SPEC section 1).
//!
//! One file per command; `source` finds profiles (numbers become text a
//! runner reads in `crate::readout`).

mod beats_cmd;
#[cfg(feature = "audio")]
mod calibrate_cmd;
mod check;
pub mod cli;
mod click_times;
mod console;
mod detect_cmd;
mod export_cmd;
mod failure;
mod history_access;
mod history_args;
mod history_cmds;
#[cfg(feature = "audio")]
mod live;
mod midi_args;
mod midi_config;
mod music_library;
mod music_render;
mod next_cmd;
mod output_paths;
mod plan_cmd;
mod plan_json;
#[cfg(feature = "audio")]
mod play_cmds;
mod profiles_cmd;
mod progress;
mod render_cmd;
mod report_cmd;
mod session_build;
mod session_spec;
mod shell_cmds;
mod sound_choice;
mod source;
mod speech_setup;

use std::process::ExitCode;

use clap::Parser;

pub use failure::{Failure, EXIT_DEVICE, EXIT_INVALID};

use cli::{Cli, Command};

/// Runs the binary: never panics on bad input, always exits with a code.
pub fn main() -> ExitCode {
    write_errors_not_signals();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return clap_exit(error),
    };
    let code = match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::from(failure.code)
        }
    };
    console::flush();
    code
}

fn run(command: Command) -> failure::CommandResult {
    match command {
        #[cfg(feature = "audio")]
        Command::Run(args) => play_cmds::run(&args),
        #[cfg(feature = "audio")]
        Command::Click(args) => play_cmds::click(&args),
        #[cfg(feature = "audio")]
        Command::Devices => play_cmds::devices(),
        #[cfg(feature = "audio")]
        Command::Calibrate(args) => calibrate_cmd::run(&args),
        Command::Plan(args) => plan_cmd::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Profiles => profiles_cmd::run(),
        Command::Render(args) => render_cmd::run(&args),
        Command::Detect(args) => detect_cmd::run(&args),
        Command::Beats(args) => beats_cmd::run(&args),
        Command::History(args) => history_cmds::history(&args),
        Command::Show(args) => history_cmds::show(&args),
        Command::Checkin(args) => history_cmds::checkin(&args),
        Command::Export(args) => export_cmd::run(&args),
        Command::Report(args) => report_cmd::run(&args),
        Command::Next(args) => next_cmd::run(&args),
        Command::Completions(args) => shell_cmds::completions(&args),
        Command::Man => shell_cmds::man(),
    }
}

/// A write past the file-size limit (`ulimit -f`) kills the process with
/// SIGXFSZ by default, leaving a half-written temporary file; ignored, it
/// is an error like a full disk, and the render cleans up after itself.
fn write_errors_not_signals() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN before any thread
    // starts has no preconditions.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// Help and version go to stdout with 0; a usage error is one line and 1.
fn clap_exit(error: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            console::out!("{error}");
            console::flush();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprint!("{error}");
            ExitCode::from(EXIT_INVALID)
        }
        _ => {
            let text = error.to_string();
            let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
            let first = lines.next().unwrap_or("error: bad arguments");
            // "…were not provided:" names the arguments on the next line.
            match lines.next().filter(|_| first.ends_with(':')) {
                Some(what) => eprintln!("{first} {what} (see --help)"),
                None => eprintln!("{first} (see --help)"),
            }
            ExitCode::from(EXIT_INVALID)
        }
    }
}

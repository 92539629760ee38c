//! The command line, as clap derives it. Values are parsed here only as far
//! as their syntax; `resolve`-style checks happen in each command.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "treadbeat",
    version,
    about = "A cadence metronome and audio coach for runners on a treadmill",
    long_about = "A cadence metronome and audio coach for runners on a treadmill.\n\n\
        Plays a click on every step at the target cadence and walks you through \
        structured workouts (profiles). PROFILE is a .toml file or the name of a \
        shipped workout (see `treadbeat profiles`)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a profile's timeline: each step's start, length, cadence,
    /// speed and pace in both unit systems, stride length and distance
    Plan(PlanArgs),
    /// Validate profiles; exit 0 only when every one is valid
    Check(CheckArgs),
    /// List the workouts shipped with treadbeat
    Profiles,
}

#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// A profile file or the name of a shipped workout
    pub profile: String,
    /// Print the plan as JSON for other programs
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Profile files (or shipped workout names) to validate
    #[arg(required = true)]
    pub profiles: Vec<PathBuf>,
}

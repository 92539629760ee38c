//! The flags of the session-log commands (`history`, `show`, `checkin`,
//! `export`, `report`, `next`), apart from `cli.rs` so that file only
//! names them.

use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// Print the sessions as a JSON array, newest first
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// A session id from `treadbeat history` [default: the latest]
    pub id: Option<i64>,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("answer").required(true).multiple(true).args(["pain", "effort"])))]
pub struct CheckinArgs {
    /// A session id from `treadbeat history` [default: the latest]
    pub id: Option<i64>,
    /// Hip pain after the run, 0 (none) to 10 (worst)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=10))]
    pub pain: Option<u8>,
    /// How hard the run felt (RPE), 1 (very easy) to 10 (all out)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=10))]
    pub effort: Option<u8>,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// A session id from `treadbeat history` [default: the latest]
    pub id: Option<i64>,
    /// The file to write; its extension picks the format: .fit (Garmin
    /// Connect, Strava, intervals.icu), .tcx or .csv
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The session to chart [default: the latest]
    pub id: Option<i64>,
    /// How far back the weekly trends go: days, weeks or months ("30d",
    /// "8w", "6m")
    #[arg(long, value_name = "SPAN", default_value = "8w")]
    pub since: String,
    /// The file to write; its extension picks the format: .html (one
    /// self-contained page), .svg or .png
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct NextArgs {
    /// Your easy cadence in steps per minute, if you counted it; stored
    /// for the next time [default: measured by `run cadence-baseline --mic`]
    #[arg(long, value_name = "SPM", value_parser = super::cli::parse_cadence_flag)]
    pub baseline: Option<f64>,
    /// Write the profile to FILE instead of printing it
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

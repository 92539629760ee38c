//! `treadbeat export [ID] -o FILE`: a session as FIT, TCX or CSV, the
//! format by the extension, written beside its target and renamed into
//! place (never a partial file).

use super::cli::ExportArgs;
use super::console::outln;
use super::failure::{CommandResult, Failure};
use super::history_access::{failure, open_log};
use crate::history::analysis::SessionStats;
use crate::history::export::{Format, Track};
use crate::io::output_file::write_bytes;

pub fn run(args: &ExportArgs) -> CommandResult {
    let ext = args
        .output
        .extension()
        .map(|e| e.to_string_lossy().to_string())
        .unwrap_or_default();
    let format = Format::from_extension(&ext).ok_or_else(|| {
        Failure::invalid(format!(
            "{}: the extension picks the format: .fit, .tcx or .csv",
            args.output.display()
        ))
    })?;
    let store = open_log()?;
    let id = store.resolve(args.id).map_err(failure)?;
    let record = store.session(id).map_err(failure)?;
    let stats = SessionStats::of(&record);
    let track = Track::of(&record, &stats);
    if track.points.is_empty() {
        return Err(Failure::invalid(format!(
            "session {id} never reached its first step: nothing to export"
        )));
    }
    write_bytes(&args.output, &format.bytes(&track)).map_err(Failure::io)?;
    let cadence = if track.points.iter().any(|p| p.cadence_spm.is_some()) {
        "cadence where steps were heard"
    } else {
        "no cadence (run with --mic to measure it)"
    };
    outln!(
        "Session {id} written to {} ({} points, {} laps, {cadence}).",
        args.output.display(),
        track.points.len(),
        track.laps.len()
    );
    Ok(())
}

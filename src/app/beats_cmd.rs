//! `treadbeat beats FILE [--json]`: a music file's tempo, how sure the
//! tracker is, and its beats and downbeats (computed once per file and
//! cached; see `io::beat_cache`).

use super::cli::BeatsArgs;
use super::console::outln;
use super::failure::{CommandResult, Failure};
use crate::io::beat_cache::{beat_grid, Source};
use crate::io::recording::RecordingError;
use crate::music::BeatGrid;
use crate::units::clock_text;

/// Beat times per line in the text report.
const PER_LINE: usize = 10;

fn recording_failure(error: RecordingError) -> Failure {
    if error.is_invalid_input() {
        Failure::invalid(error.to_string())
    } else {
        Failure::device(error.to_string())
    }
}

pub fn run(args: &BeatsArgs) -> CommandResult {
    let (grid, source) = beat_grid(&args.file).map_err(recording_failure)?;
    if args.json {
        let json = serde_json::to_string_pretty(&grid)
            .map_err(|e| Failure::device(format!("cannot write JSON: {e}")))?;
        outln!("{json}");
        return Ok(());
    }
    print_report(args, &grid, source);
    Ok(())
}

fn print_report(args: &BeatsArgs, grid: &BeatGrid, source: Source) {
    let name = args.file.display();
    let (Some(first), Some(last)) = (grid.beats.first(), grid.beats.last()) else {
        outln!("{name}: no steady beat found");
        return;
    };
    outln!(
        "{name}: {:.1} BPM (confidence {:.2}), {} beats from {} to {} ({}){}",
        grid.tempo,
        grid.confidence,
        grid.beats.len(),
        seconds_text(*first),
        seconds_text(*last),
        clock_text(*last),
        if source == Source::Cache {
            " (cached)"
        } else {
            ""
        }
    );
    match grid.downbeats.first() {
        Some(downbeat) => outln!(
            "bars of {} beats, the first downbeat at {}",
            grid.beats_per_bar,
            seconds_text(*downbeat)
        ),
        None => outln!("no bar found"),
    }
    outln!("beats (s):");
    for line in grid.beats.chunks(PER_LINE) {
        let times: Vec<String> = line.iter().map(|t| format!("{t:.3}")).collect();
        outln!("  {}", times.join(" "));
    }
}

fn seconds_text(t: f64) -> String {
    format!("{t:.3} s")
}

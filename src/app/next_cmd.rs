//! `treadbeat next [--baseline SPM] [-o FILE]`: the next cadence-builder
//! session from the log (`history::builder` decides), written as a
//! profile that `check` and `run` accept, with one paragraph saying why.
//!
//! The baseline is the latest of: one given with `--baseline` (stored for
//! next time) and one measured on a `cadence-baseline` session run with
//! `--mic`. Builder sessions are those whose workout is named "Cadence
//! builder ..." (the shipped weeks and every profile `next` writes).

use std::path::Path;
use std::time::SystemTime;

use super::cli::NextArgs;
use super::console::{out, outln};
use super::failure::{CommandResult, Failure};
use super::history_access::failure;
use crate::history::analysis::SessionStats;
use crate::history::builder::{decide, measured_baseline, BuilderSession};
use crate::history::builder_profile::{profile_text, wrap};
use crate::history::log::unix_ms;
use crate::history::{SessionRecord, Store, StoreError};
use crate::io::output_file::write_bytes;
use crate::plan::{parse_profile, StepKind};

/// A session counts for the builder by its workout's name.
const BUILDER_PREFIX: &str = "cadence builder";
const BASELINE_PREFIX: &str = "cadence baseline";

/// The belt speed when the log has none: the shipped builder weeks' easy
/// speed.
const DEFAULT_SPEED_KMH: f64 = 8.5;

fn named(record: &SessionRecord, prefix: &str) -> bool {
    record.head.profile_name.to_lowercase().starts_with(prefix)
}

pub fn run(args: &NextArgs) -> CommandResult {
    let now = SystemTime::now();
    let store = match args.baseline {
        Some(_) => Store::open_default(crate::history::Durability::Normal),
        None => Store::open_existing(),
    };
    let store = match store {
        Ok(store) => Some(store),
        Err(StoreError::Empty) => None,
        Err(e) => return Err(failure(e)),
    };
    if let (Some(spm), Some(store)) = (args.baseline, &store) {
        store.add_baseline(spm, unix_ms(now)).map_err(failure)?;
    }
    let mut records = Vec::new();
    if let Some(store) = &store {
        let mut heads = store.sessions().map_err(failure)?;
        heads.reverse(); // oldest first
        for head in heads {
            let record = store.session(head.id).map_err(failure)?;
            let stats = SessionStats::of(&record);
            records.push((record, stats));
        }
    }
    let stored = match &store {
        Some(store) => store.latest_baseline().map_err(failure)?,
        None => None,
    };
    let measured = records
        .iter()
        .filter(|(r, _)| named(r, BASELINE_PREFIX))
        .filter_map(|(r, s)| Some((r.head.started_ms, measured_baseline(r, s)?, r)))
        .next_back();
    let baseline = match (args.baseline, stored, &measured) {
        (Some(spm), _, _) => spm,
        (None, Some((at, spm)), Some((m_at, m_spm, _))) => {
            if *m_at > at {
                *m_spm
            } else {
                spm
            }
        }
        (None, Some((_, spm)), None) => spm,
        (None, None, Some((_, spm, _))) => *spm,
        (None, None, None) => {
            return Err(Failure::invalid(
                "no baseline cadence yet: run `treadbeat run cadence-baseline --mic`, or give your own with --baseline SPM",
            ))
        }
    };
    let pain_before = measured
        .as_ref()
        .and_then(|(_, _, r)| r.head.checkin.and_then(|c| c.pain));
    let sessions: Vec<BuilderSession> = records
        .iter()
        .filter(|(r, _)| named(r, BUILDER_PREFIX))
        .filter_map(|(r, s)| BuilderSession::of(r, s))
        .collect();
    let decision = decide(baseline, &sessions, pain_before, unix_ms(now));
    let speed = easy_speed(&records).unwrap_or(DEFAULT_SPEED_KMH);
    let text = profile_text(&decision, speed);
    // What is written must be what `check` accepts.
    parse_profile("next.toml", &text, Path::new("."))
        .map_err(|e| Failure::invalid(format!("next wrote an invalid profile (a bug): {e}")))?;
    match &args.output {
        Some(path) => {
            write_bytes(path, text.as_bytes()).map_err(Failure::io)?;
            for line in wrap(&decision.why, 78) {
                outln!("{line}");
            }
            outln!();
            outln!(
                "Wrote {}. Run it with: treadbeat run {} --mic",
                path.display(),
                path.display()
            );
        }
        None => out!("{text}"),
    }
    Ok(())
}

/// The belt speed of the runner's latest builder or baseline session: the
/// plan's speed of its longest clicked or counted run step.
fn easy_speed(records: &[(SessionRecord, SessionStats)]) -> Option<f64> {
    records
        .iter()
        .rev()
        .filter(|(r, _)| named(r, BUILDER_PREFIX) || named(r, BASELINE_PREFIX))
        .find_map(|(r, _)| {
            r.steps
                .iter()
                .filter(|s| s.kind == StepKind::Run)
                .filter_map(|s| Some((s.duration_s, s.speed_kmh?)))
                .filter(|(_, v)| (v.from - v.to).abs() < 0.01)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, v)| v.from)
        })
}

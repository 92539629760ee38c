//! `treadbeat history`, `show` and `checkin`: the log listed, one session
//! read step by step, and a check-in recorded after the fact.

use serde_json::json;

use super::cli::{CheckinArgs, HistoryArgs, ShowArgs};
use super::console::outln;
use super::failure::CommandResult;
use super::history_access::{date_text, failure, open_log, percent, signed, spm, started};
use crate::history::analysis::{SessionStats, StepStats};
use crate::history::chart::cadence_chart;
use crate::history::{Checkin, SessionRecord, Store, StoreError};
use crate::readout::distance_text;
use crate::units::clock_text;

const NO_SESSIONS: &str =
    "No sessions yet: every `treadbeat run` and `click` is logged from now on.";

/// Columns of the cadence chart: fits an 80-column terminal with labels.
const CHART_WIDTH: usize = 72;

pub fn history(args: &HistoryArgs) -> CommandResult {
    let store = match Store::open_existing() {
        Ok(store) => store,
        // No log yet: an empty list, and no folder made by asking.
        Err(StoreError::Empty) => {
            if args.json {
                outln!("[]");
            } else {
                outln!("{NO_SESSIONS}");
            }
            return Ok(());
        }
        Err(e) => return Err(failure(e)),
    };
    let heads = store.sessions().map_err(failure)?;
    let mut rows = Vec::new();
    for head in &heads {
        let record = store.session(head.id).map_err(failure)?;
        rows.push((SessionStats::of(&record), record));
    }
    if args.json {
        let list: Vec<serde_json::Value> = rows.iter().map(|(s, r)| session_json(r, s)).collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(&list).unwrap_or_default()
        );
        return Ok(());
    }
    if rows.is_empty() {
        outln!("{NO_SESSIONS}");
        return Ok(());
    }
    outln!(
        "{:>4}  {:16}  {:28}  {:>15}  {:9}  {:>7}  {:>7}  {:>4}  {:>6}",
        "id",
        "date",
        "workout",
        "time",
        "end",
        "cadence",
        "in band",
        "pain",
        "effort"
    );
    for (stats, record) in &rows {
        let head = &record.head;
        let checkin = head.checkin.unwrap_or(Checkin {
            pain: None,
            effort: None,
        });
        outln!(
            "{:>4}  {:16}  {:28}  {:>15}  {:9}  {:>7}  {:>7}  {:>4}  {:>6}",
            head.id,
            date_text(head),
            shorten(&head.profile_name, 28),
            format!(
                "{} of {}",
                clock_text(stats.played_s),
                clock_text(head.planned_s)
            ),
            head.outcome(),
            spm(stats.measured_mean),
            percent(stats.in_band),
            checkin.pain.map_or("-".into(), |p| p.to_string()),
            checkin.effort.map_or("-".into(), |e| e.to_string()),
        );
    }
    Ok(())
}

fn session_json(record: &SessionRecord, stats: &SessionStats) -> serde_json::Value {
    let head = &record.head;
    json!({
        "id": head.id,
        "started": started(head).map(|t| t.to_rfc3339()),
        "kind": head.kind.name(),
        "profile": head.profile_name,
        "profile_hash": head.profile_hash,
        "planned_s": head.planned_s,
        "reached_s": head.reached_s,
        "played_s": stats.played_s,
        "outcome": head.outcome(),
        "mic": head.mic,
        "heard_steps": stats.heard_steps,
        "distance_m": stats.distance_m,
        "cadence_spm": stats.measured_mean,
        "easy_cadence_spm": stats.easy_cadence,
        "in_band": stats.in_band,
        "drift_spm": stats.drift_spm,
        "fatigue_steps": stats.fatigue_steps.iter().map(|i| i + 1).collect::<Vec<_>>(),
        "underruns": head.underruns,
        "pain": head.checkin.and_then(|c| c.pain),
        "effort": head.checkin.and_then(|c| c.effort),
    })
}

pub fn show(args: &ShowArgs) -> CommandResult {
    let store = open_log()?;
    let id = store.resolve(args.id).map_err(failure)?;
    let record = store.session(id).map_err(failure)?;
    let stats = SessionStats::of(&record);
    let head = &record.head;
    outln!(
        "Session {} · {} · {} · {}",
        head.id,
        head.profile_name,
        date_text(head),
        head.outcome()
    );
    let mut facts = vec![
        format!(
            "played {} of {}",
            clock_text(stats.played_s),
            clock_text(head.planned_s)
        ),
        distance_text(head.units, stats.distance_m),
    ];
    if head.mic {
        facts.push(format!(
            "{} steps heard",
            crate::units::count_text(stats.heard_steps as u64)
        ));
    } else {
        facts.push("no microphone: cadence not measured".to_string());
    }
    facts.push(format!("{} under-runs", head.underruns));
    if let Some(c) = head.checkin {
        if let Some(p) = c.pain {
            facts.push(format!("hip pain {p}/10"));
        }
        if let Some(e) = c.effort {
            facts.push(format!("effort {e}/10"));
        }
    }
    outln!("{}", facts.join(" · "));
    if head.mic {
        outln!(
            "Cadence {} spm · in band (±3 spm) {} · drift {} spm (last third against first)",
            spm(stats.measured_mean),
            percent(stats.in_band),
            signed(stats.drift_spm)
        );
    }
    outln!();
    outln!(
        "{:>3}  {:24}  {:>11}  {:>11}  {:>8}  {:>7}  {:>6}  {}",
        "#",
        "step",
        "time",
        "target",
        "measured",
        "in band",
        "drift",
        "step-time variability"
    );
    for step in &stats.steps {
        step_line(&record, step);
    }
    let warnings: Vec<_> = record.warnings().collect();
    if !warnings.is_empty() {
        outln!();
        outln!("Warnings");
        for (at, code, text) in warnings {
            let step = record.step_at(at).map_or(String::new(), |i| {
                format!("{} {}", i + 1, record.steps[i].name)
            });
            outln!(
                "  {:>7}  {:24}  {}  ({code})",
                clock_text(at),
                shorten(&step, 24),
                text
            );
        }
    }
    let chart = cadence_chart(&stats, CHART_WIDTH);
    if !chart.is_empty() {
        outln!();
        for line in chart {
            outln!("{line}");
        }
    }
    if !head.mic {
        outln!();
        outln!("Run with --mic to measure your cadence: nothing here is guessed.");
    }
    Ok(())
}

fn step_line(record: &SessionRecord, step: &StepStats) {
    let planned = &record.steps[step.index];
    let target = match planned.cadence {
        Some(r) if (r.from - r.to).abs() < 0.05 => format!("{:.0}", r.from),
        Some(r) => format!("{:.0}-{:.0}", r.from, r.to),
        None => "-".to_string(),
    };
    let time = if step.skipped {
        format!("{} skip", clock_text(step.played_s))
    } else if step.played_s + 0.5 < step.planned_s {
        format!(
            "{}/{}",
            clock_text(step.played_s),
            clock_text(step.planned_s)
        )
    } else {
        clock_text(step.played_s)
    };
    let variability = match step.variability {
        Some(v) => format!(
            "{:.1} % → {:.1} %{}",
            v.first_cv * 100.0,
            v.last_cv * 100.0,
            if v.fatigue() { "  fatigue" } else { "" }
        ),
        None => "-".to_string(),
    };
    outln!(
        "{:>3}  {:24}  {:>11}  {:>11}  {:>8}  {:>7}  {:>6}  {}",
        step.index + 1,
        shorten(&step.name, 24),
        time,
        target,
        spm(step.measured_mean),
        percent(step.in_band),
        signed(step.drift_spm),
        variability
    );
}

pub fn checkin(args: &CheckinArgs) -> CommandResult {
    let store = open_log()?;
    let id = store.resolve(args.id).map_err(failure)?;
    store
        .check_in(
            id,
            Checkin {
                pain: args.pain,
                effort: args.effort,
            },
        )
        .map_err(failure)?;
    let head = store
        .session(id)
        .map_err(failure)?
        .head
        .checkin
        .ok_or_else(|| failure(StoreError::NoSuchSession(id)))?;
    let show = |v: Option<u8>| v.map_or("-".to_string(), |v| format!("{v}/10"));
    outln!(
        "Session {id}: hip pain {}, effort {}.",
        show(head.pain),
        show(head.effort)
    );
    Ok(())
}

/// `text` cut to `width` characters, with an ellipsis when cut.
pub fn shorten(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

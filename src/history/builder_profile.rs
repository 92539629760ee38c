//! The profile `next` writes: a builder session at the decided cadence,
//! shaped like the shipped builder weeks (warm-up walk, a jog that climbs
//! to the beat, blocks at the target with gentler minutes between, a
//! cool-down), with the reasons at the top as comments. At the top stage
//! each block has a silent minute (faded feedback: the rhythm becomes the
//! runner's own).

use std::fmt::Write;

use super::builder::Decision;

/// Blocks of work: 4 x 4 minutes at the target is about the 20-30 minutes
/// the trials ran with the metronome.
const BLOCKS: u32 = 4;

/// `speed_kmh`: the belt speed of the runner's easy runs.
pub fn profile_text(decision: &Decision, speed_kmh: f64) -> String {
    let t = decision.target_spm;
    let b = decision.baseline.round();
    let gentle = t - 4.0;
    let speed = (speed_kmh * 10.0).round() / 10.0;
    let top = decision.stage + 1 == decision.stages;
    let name = format!(
        "Cadence builder {t:.0} spm (+{:.0} %)",
        decision.raise_pct()
    );
    let mut p = String::new();
    let _ = writeln!(
        p,
        "# {name}: stage {} of {} over your baseline of {b:.0} spm, written by `treadbeat next`.",
        decision.stage + 1,
        decision.stages
    );
    for line in wrap(&decision.why, 76) {
        let _ = writeln!(p, "# {line}");
    }
    let _ = writeln!(p, "name = \"{name}\"");
    let _ = writeln!(
        p,
        "about = \"Blocks at {t:.0} steps per minute, {:.0} % over your own easy cadence of {b:.0}, at your easy belt speed: each step a little shorter, less load on the hips.\"",
        decision.raise_pct()
    );
    p.push_str("units = \"metric\"\n\n[click]\nsound = \"woodblock\"\nstereo = \"alternate\"\nvolume = 0.8\ncount_in = 4\n\n");
    let _ = writeln!(
        p,
        "[defaults]\ncadence = {t:.0}\nspeed = \"{speed} km/h\"\n"
    );
    p.push_str("[[step]]\nname = \"Warm-up walk\"\nkind = \"walk\"\ntime = \"3m\"\ncadence = \"115..125\"\nspeed = \"5..5.5 km/h\"\nsay = \"Easy walk to start. Stand tall and breathe out slowly.\"\n\n");
    let _ = writeln!(
        p,
        "[[step]]\nname = \"Easy jog\"\ntime = \"5m\"\ncadence = \"{:.0}..{gentle:.0}\"\nspeed = \"{:.1}..{speed} km/h\"\nsay = \"Jog at your usual rhythm while the beat climbs. Bring the belt up to your easy speed.\"\n",
        (b - 2.0).min(gentle),
        (speed - 1.0).max(0.5)
    );
    let _ = writeln!(p, "[[step]]\nrepeat = {BLOCKS}\nsteps = [");
    if top {
        let _ = writeln!(
            p,
            "  {{ name = \"Quick feet\", time = \"3m\", cadence = {t:.0}, say = \"Quick, light feet on the beat. Land under your hips.\" }},\n  {{ name = \"On your own\", time = \"1m\", cadence = {t:.0}, click = false, say = \"The clicks go quiet. Keep the same rhythm on your own.\" }},"
        );
    } else {
        let _ = writeln!(
            p,
            "  {{ name = \"Quick feet\", time = \"4m\", cadence = {t:.0}, say = \"Quick, light feet on the beat. The belt stays the same, so each step is a little shorter.\" }},"
        );
    }
    let _ = writeln!(
        p,
        "  {{ name = \"Gentle\", time = \"1m\", cadence = {gentle:.0}, say = \"Gentler beat. Stay light and tall.\" }},\n]\n"
    );
    let _ = writeln!(
        p,
        "[[step]]\nname = \"Cool-down jog\"\ntime = \"2m\"\ncadence = \"{gentle:.0}..{:.0}\"\nspeed = \"{speed}..{:.1} km/h\"\nsay = \"Good work. Bring the belt down and let the rhythm relax.\"\n",
        (b - 2.0).min(gentle),
        (speed - 1.0).max(0.5)
    );
    p.push_str("[[step]]\nname = \"Cool-down walk\"\nkind = \"walk\"\ntime = \"2m\"\ncadence = \"120..110\"\nspeed = \"5..4.5 km/h\"\nsay = \"Walk it out. Then tell treadbeat how your hips feel.\"\n");
    p
}

/// `text` in lines of at most `width` characters, broken at spaces.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::super::builder::{decide, Move};
    use super::*;
    use crate::plan::{parse_profile, Timeline};

    #[test]
    fn every_stage_writes_a_valid_profile_at_its_cadence() {
        for (baseline, stage) in [(150.0, 0), (160.0, 1), (175.0, 2)] {
            let mut d = decide(baseline, &[], None, 0);
            let ladder = super::super::builder::stages(baseline);
            d.stage = stage;
            d.target_spm = ladder[stage];
            d.step = Move::Hold;
            let text = profile_text(&d, 8.5);
            let profile = parse_profile("next.toml", &text, std::path::Path::new("."))
                .unwrap_or_else(|e| panic!("{e}\n{text}"));
            let timeline = Timeline::from_profile(&profile);
            let blocks: Vec<_> = timeline
                .segments
                .iter()
                .filter(|s| s.name.starts_with("Quick feet"))
                .collect();
            assert_eq!(blocks.len(), 4);
            assert!(blocks
                .iter()
                .all(|s| s.cadence.unwrap().from == ladder[stage]));
            let silent = timeline
                .segments
                .iter()
                .any(|s| !s.clicked && s.kind.on_belt());
            assert_eq!(silent, stage == 2, "silent minutes only at the top");
            assert!(text.starts_with("# Cadence builder"));
        }
    }
}

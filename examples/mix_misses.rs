//! Every step the detector missed, dated more than 15 ms off, or made up,
//! in one treadmill mix of recorded steps, with the file each step was cut
//! from: where to look when a cell of `real_corpus_eval`'s table is low.
//!
//! Run: `cargo run --release --example mix_misses -- SOURCE CONDITION
//! [--cadence] [--set NAME=V]... [--wav OUT.wav] [--times OUT.txt]
//! [--cache DIR]`. SOURCE is a source's name in
//! `treadbeat::eval::real_sources` or `synthetic`; CONDITION the start of a
//! condition's name; `--cadence` scores as `detect --cadence` does; `--wav`
//! writes the mix; `--times` the times heard and the true ones (a line
//! each, seconds), for a script. The source's files are read from the
//! corpus cache as `real_corpus_eval` leaves them (`--cache`,
//! default `~/.cache/treadbeat/corpus`); run that first to fill it.

use std::path::{Path, PathBuf};

use treadbeat::detect::DetectorParams;
use treadbeat::eval::real_eval::{analyse_like_the_command, plan_of};
use treadbeat::eval::real_mix::{
    mix_with_music, recorded_music_conditions, standard_mix_conditions,
};
use treadbeat::eval::real_music::{MusicTrack, RECORDED_MUSIC};
use treadbeat::eval::real_sources::REAL_SOURCES;
use treadbeat::eval::step_bank::{extract_steps, synthetic_bank, StepClip};

const RATE: u32 = 48000;
/// A matched step dated further than this from the truth is listed.
const LISTED_OFF_S: f64 = 0.015;
/// The F1 tolerance.
const MATCH_S: f64 = 0.025;

fn main() {
    if let Err(message) = run() {
        eprintln!("mix_misses: {message}");
        std::process::exit(1);
    }
}

fn value_of<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    args.windows(2)
        .find(|w| w[0] == flag)
        .map(|w| w[1].as_str())
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [source, condition_part, ..] = args.as_slice() else {
        return Err("usage: mix_misses SOURCE CONDITION [--cadence] [--set NAME=V] [--wav OUT] [--times OUT] [--cache DIR]".into());
    };
    let mut params = DetectorParams::default();
    for w in args.windows(2).filter(|w| w[0] == "--set") {
        let (name, value) = w[1].split_once('=').ok_or("--set NAME=V")?;
        let value: f64 = value
            .parse()
            .map_err(|_| format!("--set {}: not a number", w[1]))?;
        params.set(name, value)?;
    }
    let cache = value_of(&args, "--cache").map_or_else(
        || PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/treadbeat/corpus"),
        PathBuf::from,
    );
    let bank = bank_of(source, &cache)?;
    let condition = standard_mix_conditions()
        .into_iter()
        .chain(recorded_music_conditions())
        .find(|c| c.name.starts_with(condition_part.as_str()))
        .ok_or(format!("no condition named {condition_part:?}..."))?;
    let tracks = if condition.recorded_music {
        recorded_tracks(&cache)?
    } else {
        Vec::new()
    };
    let m = mix_with_music(&bank, &condition, RATE, &tracks);
    if let Some(track) = &m.music {
        println!("music: {track}");
    }
    if let Some(out) = value_of(&args, "--wav") {
        treadbeat::io::wav::write_mono(Path::new(out), &m.samples, RATE)
            .map_err(|e| e.to_string())?;
    }
    let plan = args
        .iter()
        .any(|a| a == "--cadence")
        .then(|| plan_of(&m, &condition));
    let heard = analyse_like_the_command(&m.samples, RATE, plan, &params).steps;
    if let Some(out) = value_of(&args, "--times") {
        let text = format!(
            "heard {}\ntruth {}\n",
            heard
                .iter()
                .map(|t| format!("{t:.5}"))
                .collect::<Vec<_>>()
                .join(" "),
            m.steps
                .iter()
                .map(|t| format!("{t:.5}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        std::fs::write(out, text).map_err(|e| e.to_string())?;
    }
    let mut taken = vec![false; heard.len()];
    let mut matched = 0;
    for (i, &truth) in m.steps.iter().enumerate() {
        let nearest = (0..heard.len()).min_by(|&a, &b| {
            (heard[a] - truth)
                .abs()
                .total_cmp(&(heard[b] - truth).abs())
        });
        let origin = &m.origins[i];
        match nearest {
            Some(j) if (heard[j] - truth).abs() <= MATCH_S && !taken[j] => {
                taken[j] = true;
                matched += 1;
                if (heard[j] - truth).abs() > LISTED_OFF_S {
                    println!(
                        "{i:4} {truth:7.3} s  dated {:+6.1} ms  {origin}",
                        (heard[j] - truth) * 1e3
                    );
                }
            }
            Some(j) => println!(
                "{i:4} {truth:7.3} s  MISSED (nearest {:+.1} ms)  {origin}",
                (heard[j] - truth) * 1e3
            ),
            None => println!("{i:4} {truth:7.3} s  MISSED  {origin}"),
        }
    }
    for (j, &t) in heard.iter().enumerate().filter(|(j, _)| !taken[*j]) {
        let off = m
            .steps
            .iter()
            .map(|s| t - s)
            .min_by(|a, b| a.abs().total_cmp(&b.abs()))
            .unwrap_or(f64::NAN);
        println!(
            "   {j:4} {t:7.3} s  MADE UP (nearest step {:+.1} ms)",
            off * 1e3
        );
    }
    let f1 = 2.0 * f64::from(matched) / (m.steps.len() + heard.len()).max(1) as f64;
    println!(
        "{} steps, {} heard, {matched} matched: F1 {f1:.2}",
        m.steps.len(),
        heard.len()
    );
    Ok(())
}

/// The recorded music's tracks, as `real_corpus_eval` leaves them in the
/// cache.
fn recorded_tracks(cache: &Path) -> Result<Vec<MusicTrack>, String> {
    RECORDED_MUSIC
        .tracks
        .iter()
        .map(|track| {
            let path = cache
                .join(RECORDED_MUSIC.name)
                .join(track.file.replace('/', "_"));
            Ok(MusicTrack {
                file: track.file.to_string(),
                bpm: track.bpm,
                samples: decoded(&path)?,
            })
        })
        .collect()
}

/// The source's step clips, in the order `real_corpus_eval` cuts them.
fn bank_of(source: &str, cache: &Path) -> Result<Vec<StepClip>, String> {
    if source == "synthetic" {
        return Ok(synthetic_bank(RATE, 6, 1));
    }
    let real = REAL_SOURCES
        .iter()
        .find(|s| s.name == source)
        .ok_or(format!("no source {source}"))?;
    let mut clips = Vec::new();
    for file in real.files {
        let path = cache.join(real.name).join(file.replace('/', "_"));
        clips.extend(extract_steps(&decoded(&path)?, RATE, file));
    }
    Ok(clips)
}

/// A cached file's samples at `RATE`, mono.
fn decoded(path: &Path) -> Result<Vec<f32>, String> {
    let mut samples = Vec::new();
    let mut rate = RATE;
    treadbeat::io::recording::read_mono(path, 4096, |block, r| {
        rate = r;
        samples.extend_from_slice(block);
    })
    .map_err(|e| {
        format!(
            "{}: {e} (run real_corpus_eval first to fill the cache)",
            path.display()
        )
    })?;
    treadbeat::engine::resample::resampled(&samples, f64::from(RATE) / f64::from(rate))
        .map_err(|e| e.to_string())
}

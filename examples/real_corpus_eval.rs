//! The detector on recorded steps: F1 within ±25 ms per source and per
//! condition, as `treadbeat detect` runs (without and with `--cadence`),
//! over treadmill mixes built from the sources of
//! `treadbeat::eval::real_sources` and the project's synthetic strikes.
//!
//! Run: `cargo run --release --example real_corpus_eval -- [FILTER]
//! [--mirrors DIR] [--cache DIR]`. The audio is never in the repository:
//! each source's files are read from the corpus cache (`--cache`, else
//! `$TREADBEAT_CORPUS`, else `~/.cache/treadbeat/corpus`), laid out as
//! `CACHE/SOURCE/PATH-WITH-SLASHES-AS-UNDERSCORES`. Files missing there are
//! copied in from local git snapshots of the repositories when `--mirrors
//! DIR` (or `$TREADBEAT_MIRRORS`) names a folder holding them as
//! `DIR/OWNER+NAME/repo` (bare, or with a `.git` inside), at the pinned
//! commit. A source with no file found is reported SKIPPED, not scored.
//! FILTER keeps the conditions whose name contains it.
//!
//! `--sweep NAME=V1,V2,...` (repeatable; NAME one of
//! `DetectorParams::NAMES`, e.g. `tracker.due_boost`) scores every
//! combination of the values, the defaults for the rest, and chooses leave
//! one source out: for each source, the combination with the best mean F1
//! (with and without `--cadence`) on the other sources, its figures on the
//! source held out. Without `--sweep` the one candidate is the detector as
//! it is. `--set NAME=V` (repeatable) changes the base the sweep starts from.
//!
//! Recorded music (`treadbeat::eval::real_music`, cached as the steps are)
//! adds the conditions of `recorded_music_conditions`: scored and printed,
//! but left out of the sweep's choice and of the per-source means (they
//! are evaluation only). `--measure-music` measures the tempo of every
//! track of the music's repository (this estimator's and the beat
//! tracker's, `treadbeat::music`) and exits.

use std::path::{Path, PathBuf};
use std::process::Command;

use treadbeat::detect::DetectorParams;
use treadbeat::eval::real_eval::{evaluate_cell_with_music, leave_one_source_out, Cell};
use treadbeat::eval::real_mix::{
    recorded_music_conditions, standard_mix_conditions, Group, MixCondition,
};
use treadbeat::eval::real_music::{measure_tempo, MusicTrack, RECORDED_MUSIC};
use treadbeat::eval::real_sources::{mirror_name, RealSource, REAL_SOURCES};
use treadbeat::eval::step_bank::{extract_steps, synthetic_bank, StepClip};

const RATE: u32 = 48000;
/// Synthetic clips per strike character: as many as a recorded source has.
const SYNTHETIC_PER_CHARACTER: usize = 6;

fn cache_dir(args: &[String]) -> PathBuf {
    if let Some(dir) = value_of(args, "--cache") {
        return PathBuf::from(dir);
    }
    if let Ok(dir) = std::env::var("TREADBEAT_CORPUS") {
        return PathBuf::from(dir);
    }
    let home = std::env::var("HOME").unwrap_or_else(|_| ".".into());
    Path::new(&home).join(".cache/treadbeat/corpus")
}

fn value_of(args: &[String], flag: &str) -> Option<String> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1).cloned())
}

/// The file in the cache, copied from the mirror if it is not there yet.
fn cached_file(
    source: &RealSource,
    file: &str,
    cache: &Path,
    mirrors: Option<&Path>,
) -> Option<PathBuf> {
    cached_file_of(
        source.name,
        source.repo,
        source.commit,
        file,
        cache,
        mirrors,
    )
}

/// `cached_file` for any pinned repository, cached under `name`.
fn cached_file_of(
    name: &str,
    repo: &str,
    commit: &str,
    file: &str,
    cache: &Path,
    mirrors: Option<&Path>,
) -> Option<PathBuf> {
    let path = cache.join(name).join(file.replace('/', "_"));
    if path.is_file() {
        return Some(path);
    }
    let mirror = mirrors?.join(mirror_name(repo)).join("repo");
    let git_dir = if mirror.join(".git").is_dir() {
        mirror.join(".git")
    } else {
        mirror
    };
    let output = Command::new("git")
        .arg("--git-dir")
        .arg(&git_dir)
        .arg("show")
        .arg(format!("{commit}:{file}"))
        .output()
        .ok()?;
    if !output.status.success() || output.stdout.is_empty() {
        eprintln!("{name}: {file} not at {commit} in {}", git_dir.display());
        return None;
    }
    std::fs::create_dir_all(path.parent()?).ok()?;
    std::fs::write(&path, &output.stdout).ok()?;
    Some(path)
}

/// A file's samples, mono, at `RATE`.
fn decoded(path: &Path) -> Option<Vec<f32>> {
    let mut samples = Vec::new();
    let mut rate = RATE;
    let read = treadbeat::io::recording::read_mono(path, 4096, |block, r| {
        rate = r;
        samples.extend_from_slice(block);
    });
    if let Err(e) = read {
        eprintln!("{}: {e}", path.display());
        return None;
    }
    treadbeat::engine::resample::resampled(&samples, f64::from(RATE) / f64::from(rate)).ok()
}

fn bank_of(source: &RealSource, cache: &Path, mirrors: Option<&Path>) -> Vec<StepClip> {
    let mut clips = Vec::new();
    for file in source.files {
        let Some(path) = cached_file(source, file, cache, mirrors) else {
            continue;
        };
        if let Some(samples) = decoded(&path) {
            clips.extend(extract_steps(&samples, RATE, file));
        }
    }
    clips
}

/// The tempos considered by `measure_tempo` here.
const MUSIC_BPM: (f64, f64) = (60.0, 200.0);

/// Every track of the music's folder, for `--measure-music`.
const ALL_TRACKS: [&str; 12] = [
    "music/track_01.ogg",
    "music/track_02.ogg",
    "music/track_03.ogg",
    "music/track_04.ogg",
    "music/track_05.ogg",
    "music/track_06.ogg",
    "music/track_07.ogg",
    "music/track_08.ogg",
    "music/track_09.ogg",
    "music/track_10.ogg",
    "music/track_11.ogg",
    "music/track_12.ogg",
];

fn music_file(file: &str, cache: &Path, mirrors: Option<&Path>) -> Option<Vec<f32>> {
    let m = RECORDED_MUSIC;
    let path = cached_file_of(m.name, m.repo, m.commit, file, cache, mirrors)?;
    decoded(&path)
}

/// Two one-pole low-passes at `hz`.
fn low_passed(x: &[f32], hz: f64) -> Vec<f32> {
    let a = (-std::f64::consts::TAU * hz / f64::from(RATE)).exp();
    let (mut y1, mut y2) = (0.0, 0.0);
    x.iter()
        .map(|v| {
            y1 = a * y1 + (1.0 - a) * f64::from(*v);
            y2 = a * y2 + (1.0 - a) * y1;
            y2 as f32
        })
        .collect()
}

/// Prints each track's tempo, by `measure_tempo` and by the beat tracker.
fn measure_music(cache: &Path, mirrors: Option<&Path>) {
    println!("| track | length | bpm | strength | comb | beat tracker bpm | its confidence | comb there | bass comb |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for file in ALL_TRACKS {
        let Some(samples) = music_file(file, cache, mirrors) else {
            println!("| {file} | SKIPPED | | | | | | | |");
            continue;
        };
        let tempo = measure_tempo(&samples, RATE, MUSIC_BPM.0, MUSIC_BPM.1);
        let grid = treadbeat::music::track_beats(&samples, RATE);
        // This estimator's comb within 1 % of the tracker's tempo.
        let there = measure_tempo(&samples, RATE, 0.99 * grid.tempo, 1.01 * grid.tempo);
        // The kick drum: the same comb under 150 Hz, at this tempo.
        let bass = measure_tempo(
            &low_passed(&samples, 150.0),
            RATE,
            0.995 * tempo.bpm,
            1.005 * tempo.bpm,
        );
        println!(
            "| {file} | {:.0} s | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} at {:.2} | {:.2} |",
            samples.len() as f64 / f64::from(RATE),
            tempo.bpm,
            tempo.strength,
            tempo.comb,
            grid.tempo,
            grid.confidence,
            there.comb,
            there.bpm,
            bass.comb
        );
    }
}

/// The listed tracks, at `RATE`, each measured again against its listing.
fn music_tracks(cache: &Path, mirrors: Option<&Path>) -> Vec<MusicTrack> {
    let mut tracks = Vec::new();
    for track in RECORDED_MUSIC.tracks {
        let Some(samples) = music_file(track.file, cache, mirrors) else {
            continue;
        };
        let tempo = measure_tempo(&samples, RATE, MUSIC_BPM.0, MUSIC_BPM.1);
        println!(
            "music: {} listed at {:.2} bpm, measured {:.2} (strength {:.2}, comb {:.2}), {:.0} s",
            track.file,
            track.bpm,
            tempo.bpm,
            tempo.strength,
            tempo.comb,
            samples.len() as f64 / f64::from(RATE)
        );
        tracks.push(MusicTrack {
            file: track.file.to_string(),
            bpm: track.bpm,
            samples,
        });
    }
    tracks
}

/// How many of the matched steps' report delays (ms) are over the 40 ms
/// a step is news for, the median and the latest.
fn lateness(delays: impl Iterator<Item = f64>) -> String {
    let mut delays: Vec<f64> = delays.collect();
    let late = delays.iter().filter(|d| **d > 40.0).count();
    let latest = delays.iter().copied().fold(f64::NAN, f64::max);
    let median = treadbeat::eval::score::median(&mut delays);
    format!(
        "{late} of {} matched steps, median {median:.1} ms, latest {latest:.1} ms",
        delays.len()
    )
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = values.collect();
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

/// Every value of a repeated flag.
fn values_of(args: &[String], flag: &str) -> Vec<String> {
    args.windows(2)
        .filter(|w| w[0] == flag)
        .map(|w| w[1].clone())
        .collect()
}

/// The candidates: every combination of the swept values over the base.
fn candidates(args: &[String]) -> Result<Vec<(String, DetectorParams)>, String> {
    let mut base = DetectorParams::default();
    for set in values_of(args, "--set") {
        let (name, value) = set.split_once('=').ok_or(format!("--set {set}: NAME=V"))?;
        let value: f64 = value
            .parse()
            .map_err(|_| format!("--set {set}: not a number"))?;
        base.set(name, value)?;
    }
    let mut out = vec![(String::from("defaults"), base)];
    for sweep in values_of(args, "--sweep") {
        let (name, list) = sweep
            .split_once('=')
            .ok_or(format!("--sweep {sweep}: NAME=V1,V2"))?;
        let values: Vec<f64> = list
            .split(',')
            .map(|v| {
                v.parse()
                    .map_err(|_| format!("--sweep {sweep}: {v} is not a number"))
            })
            .collect::<Result<_, _>>()?;
        let mut next = Vec::new();
        for (label, params) in &out {
            for v in &values {
                let mut p = *params;
                p.set(name, *v)?;
                let label = if label == "defaults" {
                    format!("{name}={v}")
                } else {
                    format!("{label} {name}={v}")
                };
                next.push((label, p));
            }
        }
        out = next;
    }
    Ok(out)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filter = args.first().filter(|a| !a.starts_with("--")).cloned();
    let cache = cache_dir(&args);
    let mirrors = value_of(&args, "--mirrors")
        .or_else(|| std::env::var("TREADBEAT_MIRRORS").ok())
        .map(PathBuf::from);
    let candidates = match candidates(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };

    if args.iter().any(|a| a == "--measure-music") {
        measure_music(&cache, mirrors.as_deref());
        return;
    }

    let mut banks: Vec<(String, Vec<StepClip>)> = Vec::new();
    for source in &REAL_SOURCES {
        let bank = bank_of(source, &cache, mirrors.as_deref());
        if bank.is_empty() {
            println!(
                "SKIPPED {}: no file of {} at {} in {} (give --mirrors DIR or fill the cache)",
                source.name,
                source.repo,
                &source.commit[..10],
                cache.display()
            );
            continue;
        }
        println!(
            "{}: {} steps cut from {} files of {}@{}",
            source.name,
            bank.len(),
            source.files.len(),
            source.repo,
            &source.commit[..10]
        );
        banks.push((source.name.to_string(), bank));
    }
    let real_count = banks.len();
    banks.push((
        "synthetic".into(),
        synthetic_bank(RATE, SYNTHETIC_PER_CHARACTER, 1),
    ));
    if real_count == 0 {
        println!("SKIPPED: no recorded source found; scoring the synthetic source only");
    }

    let tracks = music_tracks(&cache, mirrors.as_deref());
    if tracks.is_empty() {
        println!(
            "SKIPPED recorded music: no track of {} at {} in {}",
            RECORDED_MUSIC.repo,
            &RECORDED_MUSIC.commit[..10],
            cache.display()
        );
    }
    let recorded = if tracks.is_empty() {
        Vec::new()
    } else {
        recorded_music_conditions()
    };
    let conditions: Vec<MixCondition> = standard_mix_conditions()
        .into_iter()
        .chain(recorded)
        .filter(|c| filter.as_deref().is_none_or(|f| c.name.contains(f)))
        .collect();
    let (bank_count, condition_count) = (banks.len(), conditions.len());
    let jobs: Vec<(usize, usize, usize)> = (0..candidates.len())
        .flat_map(|k| {
            (0..bank_count).flat_map(move |b| (0..condition_count).map(move |c| (k, b, c)))
        })
        .collect();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut cells: Vec<((usize, usize, usize), Cell)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..cores)
            .map(|w| {
                let (banks, conditions, jobs, candidates, tracks) =
                    (&banks, &conditions, &jobs, &candidates, &tracks);
                scope.spawn(move || {
                    jobs.iter()
                        .skip(w)
                        .step_by(cores)
                        .map(|&(k, b, c)| {
                            let (name, bank) = &banks[b];
                            let params = &candidates[k].1;
                            (
                                (k, b, c),
                                evaluate_cell_with_music(
                                    name,
                                    bank,
                                    &conditions[c],
                                    RATE,
                                    params,
                                    tracks,
                                ),
                            )
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("an evaluation worker panicked"))
            .collect()
    });
    cells.sort_by_key(|(key, _)| *key);
    let at = |k: usize, b: usize, c: usize| {
        let i = cells
            .binary_search_by_key(&(k, b, c), |(key, _)| *key)
            .expect("every job ran");
        &cells[i].1
    };

    // Leave one source out over every source (the synthetic one too): the
    // candidate chosen on the others, by mean F1 with and without the hint,
    // over the conditions without recorded music (evaluation only).
    let sources = banks.len();
    let tuned: Vec<usize> = (0..conditions.len())
        .filter(|c| !conditions[*c].recorded_music)
        .collect();
    let fold_score = |k: usize, b: usize| {
        mean(
            tuned
                .iter()
                .map(|&c| 0.5 * (at(k, b, c).plain.f1 + at(k, b, c).hinted.f1)),
        )
    };
    let chosen: Vec<usize> = leave_one_source_out(candidates.len(), sources, fold_score)
        .into_iter()
        .map(|(_, k, _)| k)
        .collect();
    let cell = |b: usize, c: usize| at(chosen[b], b, c);

    let names: Vec<&str> = banks.iter().map(|(n, _)| n.as_str()).collect();
    if candidates.len() > 1 {
        println!();
        println!("Candidates, mean F1 (plain and --cadence) over the conditions, per source:");
        println!();
        println!("| candidate | {} | recorded mean |", names.join(" | "));
        println!("|---|{}---|", "---|".repeat(names.len()));
        for (k, (label, _)) in candidates.iter().enumerate() {
            let row: Vec<String> = (0..sources)
                .map(|b| format!("{:.3}", fold_score(k, b)))
                .collect();
            println!(
                "| {label} | {} | {:.3} |",
                row.join(" | "),
                mean((0..real_count).map(|b| fold_score(k, b)))
            );
        }
        println!();
        println!("Steps reported more than 40 ms after they landed (recorded sources, these conditions):");
        for (k, (label, _)) in candidates.iter().enumerate() {
            let delays = (0..real_count).flat_map(|b| {
                tuned
                    .iter()
                    .flat_map(move |&c| at(k, b, c).report_delays_ms.iter().copied())
            });
            println!("  {label}: {}", lateness(delays));
        }
        println!();
        println!("Leave one source out: the candidate chosen on the other sources:");
        for (b, k) in chosen.iter().enumerate() {
            println!("  held out {}: {}", names[b], candidates[*k].0);
        }
    }

    println!();
    if candidates.len() > 1 {
        println!("Held out: each source's F1 with the candidate chosen without it.");
    }
    println!("F1 within ±25 ms: `detect` / `detect --cadence`");
    println!();
    println!("| condition | {} | recorded mean |", names.join(" | "));
    println!("|---|{}---|", "---|".repeat(names.len()));
    for (c, condition) in conditions.iter().enumerate() {
        let row: Vec<String> = (0..banks.len())
            .map(|b| format!("{:.2} / {:.2}", cell(b, c).plain.f1, cell(b, c).hinted.f1))
            .collect();
        println!(
            "| {} | {} | {:.2} / {:.2} |",
            condition.name,
            row.join(" | "),
            mean((0..real_count).map(|b| cell(b, c).plain.f1)),
            mean((0..real_count).map(|b| cell(b, c).hinted.f1)),
        );
    }

    println!();
    let held_out_delays = (0..real_count).flat_map(|b| {
        tuned
            .iter()
            .flat_map(move |&c| cell(b, c).report_delays_ms.iter().copied())
    });
    println!(
        "Reported more than 40 ms after they landed (recorded sources, conditions above but the recorded music): {}",
        lateness(held_out_delays)
    );

    println!();
    println!("Without --cadence: seconds from the first step until the running cadence is within");
    println!("5 % for 10 s (- never), and the share of its readings off by more from 5 s on;");
    println!("with the beat the runner followed, warnings that say something false (drift");
    println!("warnings for a runner on the beat; for a sagging runner, lagging or anything");
    println!("before cadence_low):");
    println!();
    println!("| condition | {} | worst recorded |", names.join(" | "));
    println!("|---|{}---|", "---|".repeat(names.len()));
    let settle_text = |s: Option<f64>| s.map_or("-".to_string(), |s| format!("{s:.1} s"));
    for (c, condition) in conditions.iter().enumerate() {
        let row: Vec<String> = (0..banks.len())
            .map(|b| {
                format!(
                    "{} {:.0}% / {}",
                    settle_text(cell(b, c).settle_s),
                    100.0 * cell(b, c).cadence_wrong,
                    cell(b, c).wrong_warnings
                )
            })
            .collect();
        let worst_settle = (0..real_count)
            .map(|b| cell(b, c).settle_s.unwrap_or(f64::INFINITY))
            .fold(0.0f64, f64::max);
        let worst_warnings = (0..real_count)
            .map(|b| cell(b, c).wrong_warnings)
            .max()
            .unwrap_or(0);
        let worst_wrong = (0..real_count)
            .map(|b| cell(b, c).cadence_wrong)
            .fold(0.0f64, f64::max);
        println!(
            "| {} | {} | {} {:.0}% / {} |",
            condition.name,
            row.join(" | "),
            settle_text(worst_settle.is_finite().then_some(worst_settle)),
            100.0 * worst_wrong,
            worst_warnings
        );
    }

    println!();
    println!(
        "Per source (mean F1 ±25 ms over the conditions; SNR ≥ 0 dB leaves out the -5 dB one):"
    );
    println!();
    println!("| source | steps cut | all | all, --cadence | SNR ≥ 0 | SNR ≥ 0, --cadence | precision / recall |");
    println!("|---|---|---|---|---|---|---|");
    for (b, (name, bank)) in banks.iter().enumerate() {
        let at_least_0 = |c: &&usize| conditions[**c].snr_db >= 0.0;
        println!(
            "| {name} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.2} / {:.2} |",
            bank.len(),
            mean(tuned.iter().map(|&c| cell(b, c).plain.f1)),
            mean(tuned.iter().map(|&c| cell(b, c).hinted.f1)),
            mean(
                tuned
                    .iter()
                    .filter(at_least_0)
                    .map(|&c| cell(b, c).plain.f1)
            ),
            mean(
                tuned
                    .iter()
                    .filter(at_least_0)
                    .map(|&c| cell(b, c).hinted.f1)
            ),
            mean(tuned.iter().map(|&c| cell(b, c).plain.precision)),
            mean(tuned.iter().map(|&c| cell(b, c).plain.recall)),
        );
    }

    println!();
    println!("Per kind of condition, mean over the recorded sources:");
    println!();
    println!("| kind | F1 | F1 --cadence |");
    println!("|---|---|---|");
    for group in [
        Group::Noise,
        Group::Music,
        Group::ClickBleed,
        Group::Room,
        Group::Sag,
        Group::RecordedMusic,
        Group::RecordedMusicLoud,
    ] {
        let of: Vec<usize> = (0..conditions.len())
            .filter(|c| conditions[*c].group() == group)
            .collect();
        if of.is_empty() || real_count == 0 {
            continue;
        }
        let f1 = |hinted: bool| {
            mean(of.iter().flat_map(|c| {
                (0..real_count).map(move |b| {
                    let s = cell(b, *c);
                    if hinted {
                        s.hinted.f1
                    } else {
                        s.plain.f1
                    }
                })
            }))
        };
        println!("| {group:?} | {:.3} | {:.3} |", f1(false), f1(true));
    }

    let heard: Vec<String> = (0..conditions.len())
        .filter(|c| conditions[*c].recorded_music)
        .filter_map(|c| {
            cell(0, c)
                .music
                .as_ref()
                .map(|file| format!("  {}: {file}", conditions[c].name))
        })
        .collect();
    if !heard.is_empty() {
        println!();
        println!("Recorded music heard (evaluation only, in no sweep's choice nor the per-source means):");
        for line in heard {
            println!("{line}");
        }
    }
}

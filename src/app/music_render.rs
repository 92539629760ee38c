//! `render --music PATH`: the runner's tracks (a file, a folder or an M3U
//! playlist) fitted to the session's clicks and handed to the renderer.
//!
//! Each click run is filled with tracks in playlist order: a track starts
//! on a click (on its first downbeat), plays at the cadence through its
//! tempo, half or double, stretched within ±10 %, and ends when its beats
//! run out, the run ends, or the cadence leaves its range; the next track
//! starts on that click. A track that cannot follow is skipped and said.

use std::path::{Path, PathBuf};

use super::failure::Failure;
use crate::engine::music_mix::{PlacedTrack, StretchedMusic};
use crate::engine::resample::resampled;
use crate::engine::Renderer;
use crate::io::beat_cache::beat_grid;
use crate::io::music_file::{playlist, read_stereo};
use crate::music::fit::{level_for, place, MIN_CONFIDENCE, STRETCH_LIMIT};
use crate::music::BeatGrid;
use crate::plan::Timeline;
use crate::tempo::TempoMap;
use crate::units::{clock_text, SampleRate};

/// Music level: half of full scale, so that a loudly mastered track sits
/// beside the clicks (which peak at 0.55) instead of burying them.
pub const MUSIC_GAIN: f32 = 0.5;

/// The click runs of a session: each run's click times.
fn click_runs(map: &TempoMap) -> Vec<Vec<f64>> {
    let mut runs: Vec<Vec<f64>> = Vec::new();
    for click in map.clicks() {
        match runs.last_mut() {
            Some(run) if click.beat > 0 => run.push(click.time_s),
            _ => runs.push(vec![click.time_s]),
        }
    }
    runs
}

fn name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Plans the music for `timeline`, hands it to `renderer`, and returns
/// what was played and skipped, a line each.
pub fn add_music(
    renderer: &mut Renderer,
    timeline: &Timeline,
    path: &Path,
    rate: SampleRate,
) -> Result<Vec<String>, Failure> {
    let tracks = playlist(path).map_err(Failure::invalid)?;
    if tracks.is_empty() {
        return Err(Failure::invalid(format!(
            "{}: no music files in it",
            path.display()
        )));
    }
    let mut report = Vec::new();
    let mut grids: Vec<Option<BeatGrid>> = Vec::new();
    for track in &tracks {
        match beat_grid(track) {
            Ok((grid, _)) => grids.push(Some(grid)),
            Err(error) => {
                report.push(format!("skipped {}: {error}", name(track)));
                grids.push(None);
            }
        }
    }
    let sr = f64::from(rate.0);
    let mut placed = Vec::new();
    let mut next = 0;
    for run in click_runs(&TempoMap::from_timeline(timeline)) {
        let mut at = 0;
        while at + 1 < run.len() && next < tracks.len() {
            let index = next;
            next += 1;
            let Some(grid) = &grids[index] else { continue };
            let cadence = 60.0 / (run[at + 1] - run[at]);
            if grid.confidence < MIN_CONFIDENCE {
                report.push(format!(
                    "skipped {}: no clear beat (confidence {:.2})",
                    name(&tracks[index]),
                    grid.confidence
                ));
                continue;
            }
            let Some(level) = level_for(grid.tempo, cadence) else {
                report.push(format!(
                    "skipped {}: {:.0} BPM (or its half or double) is more than {:.0} % from {:.0} spm",
                    name(&tracks[index]),
                    grid.tempo,
                    STRETCH_LIMIT * 100.0,
                    cadence
                ));
                continue;
            };
            let first = grid
                .downbeats
                .first()
                .and_then(|d| grid.beats.iter().position(|b| b == d))
                .unwrap_or(0);
            let Some(placement) = place(&grid.beats, first, &run[at..], level) else {
                report.push(format!(
                    "skipped {}: too short or too uneven to follow",
                    name(&tracks[index])
                ));
                continue;
            };
            let (start, end) = (
                placement.anchors[0].1,
                placement.anchors[placement.anchors.len() - 1].1,
            );
            report.push(format!(
                "{}: {} to {}, {:.0} BPM at {:.2}x, {}",
                name(&tracks[index]),
                clock_text(start),
                clock_text(end),
                grid.tempo,
                level.speed,
                match level.clicks_per_beat {
                    c if c >= 2.0 => "a beat every two steps",
                    c if c <= 0.5 => "two beats a step",
                    _ => "a beat a step",
                }
            ));
            at += run[at..]
                .iter()
                .position(|t| *t >= end)
                .unwrap_or(run.len() - at);
            placed.push(PlacedTrack {
                track: index,
                anchors: placement
                    .anchors
                    .iter()
                    .map(|(x, t)| (x * sr, t * sr))
                    .collect(),
            });
        }
    }
    let paths: Vec<PathBuf> = tracks;
    let loader = Box::new(move |index: usize| load(&paths[index], rate));
    renderer.set_music(
        Box::new(StretchedMusic::new(rate.0, placed, loader)),
        MUSIC_GAIN,
    );
    Ok(report)
}

/// A track as interleaved stereo at the output rate; silence when it
/// cannot be read now (it was read for its beats a moment ago).
fn load(path: &Path, rate: SampleRate) -> Vec<f32> {
    let Ok((stereo, from)) = read_stereo(path) else {
        return Vec::new();
    };
    if from == rate.0 {
        return stereo;
    }
    let ratio = f64::from(rate.0) / f64::from(from);
    let channel = |c: usize| -> Vec<f32> {
        let mono: Vec<f32> = stereo.iter().skip(c).step_by(2).copied().collect();
        resampled(&mono, ratio).unwrap_or_default()
    };
    let (left, right) = (channel(0), channel(1));
    left.iter()
        .zip(&right)
        .flat_map(|(l, r)| [*l, *r])
        .collect()
}

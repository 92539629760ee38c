//! The runner's tracks for a session (`--music PATH` or `[music] path`: a
//! file, a folder or an M3U playlist, shuffled with `[music] shuffle`):
//! each analysed once (the beat cache), what the plan makes of them said a
//! line each, a loader that decodes a track at the output rate, and the
//! renderer given its music at the table's levels. `render` and the live
//! session both start here, so they plan the same music.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::failure::Failure;
use super::session_spec::MusicSpec;
use crate::engine::music_feed::MusicFeed;
use crate::engine::music_mix::Loader;
use crate::engine::resample::resampled;
use crate::engine::Renderer;
use crate::io::beat_cache::beat_grid;
use crate::io::music_file::{playlist, read_stereo};
use crate::music::fit::STRETCH_LIMIT;
use crate::music::plan::{plan_all, Decision, Playlist, Skip};
use crate::music::BeatGrid;
use crate::plan::{MusicInRests, MusicSettings, Timeline};
use crate::tempo::TempoMap;
use crate::units::{clock_text, SampleRate};

/// The playlist and each track's beats (`None`: unreadable).
pub struct MusicLibrary {
    paths: Arc<[PathBuf]>,
    pub grids: Arc<[Option<BeatGrid>]>,
    /// A line for each track that could not be read.
    unreadable: Vec<String>,
    settings: MusicSettings,
}

fn name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// What the runner sees when a track starts: "♪ Title — 163 BPM, +3 %"
/// (the file's name without its extension, the track's own tempo, and how
/// much faster or slower it plays).
fn now_line(path: &Path, tempo: Option<f64>, speed: f64) -> String {
    let title = path
        .file_stem()
        .map_or_else(|| name(path), |n| n.to_string_lossy().into_owned());
    let stretch = (speed - 1.0) * 100.0;
    let stretch = if stretch.abs() < 0.5 {
        "unstretched".to_string()
    } else {
        format!("{stretch:+.0} %")
    };
    match tempo {
        Some(bpm) => format!("♪ {title} — {bpm:.0} BPM, {stretch}"),
        None => format!("♪ {title} — {stretch}"),
    }
}

impl MusicLibrary {
    /// The line that says track `track` (its place in the playlist) has
    /// started, playing at `speed`.
    pub fn now_line(&self, track: usize, speed: f64) -> String {
        let Some(path) = self.paths.get(track) else {
            return String::new();
        };
        let tempo = self
            .grids
            .get(track)
            .and_then(|g| g.as_ref())
            .map(|g| g.tempo);
        now_line(path, tempo, speed)
    }

    /// Reads the playlist (shuffled if asked) and every track's beats
    /// (analysed once per file, then cached).
    pub fn open(spec: &MusicSpec) -> Result<MusicLibrary, Failure> {
        let path = &spec.path;
        let mut paths = playlist(path).map_err(Failure::invalid)?;
        if spec.settings.shuffle {
            shuffle(&mut paths, clock_seed());
        }
        if paths.is_empty() {
            return Err(Failure::invalid(format!(
                "{}: no music files in it",
                path.display()
            )));
        }
        let mut unreadable = Vec::new();
        let grids = paths
            .iter()
            .map(|track| match beat_grid(track) {
                Ok((grid, _)) => Some(grid),
                Err(error) => {
                    unreadable.push(format!("skipped {}: {error}", name(track)));
                    None
                }
            })
            .collect();
        Ok(MusicLibrary {
            paths: paths.into(),
            grids,
            unreadable,
            settings: spec.settings.clone(),
        })
    }

    /// Gives `renderer` its music at the table's level, and the clicks
    /// their level under it.
    pub fn attach(&self, renderer: &mut Renderer, music: Box<dyn MusicFeed>) {
        renderer.set_music(music, self.settings.volume);
        renderer.set_clicks_under_music(self.settings.clicks.gain());
    }

    /// Decodes a track as interleaved stereo at `rate`; silence when it
    /// cannot be read now (it was read for its beats a moment ago).
    pub fn loader(&self, rate: SampleRate) -> Loader {
        let paths = Arc::clone(&self.paths);
        Box::new(move |index: usize| load(&paths[index], rate))
    }

    /// What is planned over `timeline`: these tracks, its clicks, and the
    /// `[music] rest` choice.
    pub fn playlist(&self, timeline: &Timeline) -> Playlist {
        Playlist {
            grids: Arc::clone(&self.grids),
            map: Arc::new(TempoMap::from_timeline(timeline)),
            end_s: timeline.total_s(),
            rests: self.settings.rest == MusicInRests::Quiet,
        }
    }

    /// What the plan makes of `playlist`, a line a track: where each
    /// plays, or why it is skipped.
    pub fn report(&self, playlist: &Playlist) -> Vec<String> {
        let decisions = plan_all(playlist);
        let mut lines = self.unreadable.clone();
        lines.extend(decisions.iter().filter_map(|d| self.describe(d)));
        lines
    }

    fn describe(&self, decision: &Decision) -> Option<String> {
        Some(match decision {
            Decision::Placed(planned) if planned.quiet_from.is_some() => {
                let (start, end) = planned.span();
                let name = name(&self.paths[planned.track]);
                let end = clock_text(end);
                if planned.quiet_from == Some(start) {
                    format!(
                        "{name}: {} to {end}, quieter and unstretched (no clicks)",
                        clock_text(start)
                    )
                } else {
                    format!("{name}: on to {end}, quieter and unstretched (no clicks)")
                }
            }
            Decision::Placed(planned) => {
                let (start, end) = planned.span();
                let level = planned.placement.level;
                let tempo = self.grids[planned.track].as_ref()?.tempo;
                format!(
                    "{}: {} to {}, {tempo:.0} BPM at {:.2}x, {}",
                    name(&self.paths[planned.track]),
                    clock_text(start),
                    clock_text(end),
                    level.speed,
                    match level.clicks_per_beat {
                        c if c >= 2.0 => "a beat every two steps",
                        c if c <= 0.5 => "two beats a step",
                        _ => "a beat a step",
                    }
                )
            }
            Decision::Skipped { track, why } => {
                let name = name(&self.paths[*track]);
                match why {
                    // Said when it was read.
                    Skip::Unreadable => return None,
                    Skip::NoClearBeat { confidence } => {
                        format!("skipped {name}: no clear beat (confidence {confidence:.2})")
                    }
                    Skip::OutOfRange { tempo, cadence } => format!(
                        "skipped {name}: {tempo:.0} BPM (or its half or double) is more than {:.0} % from {cadence:.0} spm",
                        STRETCH_LIMIT * 100.0
                    ),
                    Skip::TooShort => format!("skipped {name}: too short or too uneven to follow"),
                }
            }
        })
    }
}

/// A seed that differs every session: the clock and the process.
fn clock_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ u64::from(std::process::id())
}

/// Fisher–Yates on an xorshift from `seed`: no randomness crate needed to
/// shuffle a playlist.
fn shuffle(paths: &mut [PathBuf], seed: u64) {
    let mut state = seed | 1;
    for i in (1..paths.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        paths.swap(i, (state % (i as u64 + 1)) as usize);
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_track_starting_is_said_with_its_tempo_and_stretch() {
        let path = Path::new("/music/Song title.mp3");
        assert_eq!(
            now_line(path, Some(163.2), 1.031),
            "♪ Song title — 163 BPM, +3 %"
        );
        assert_eq!(
            now_line(path, Some(170.0), 0.94),
            "♪ Song title — 170 BPM, -6 %"
        );
        assert_eq!(
            now_line(path, Some(160.0), 1.002),
            "♪ Song title — 160 BPM, unstretched"
        );
    }

    #[test]
    fn a_shuffle_is_a_new_order_of_the_same_tracks() {
        let tracks: Vec<PathBuf> = (0..12).map(|i| PathBuf::from(format!("{i}.mp3"))).collect();
        let orders: Vec<Vec<PathBuf>> = (1..=3u64)
            .map(|seed| {
                let mut order = tracks.clone();
                shuffle(&mut order, seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
                order
            })
            .collect();
        for order in &orders {
            let mut sorted = order.clone();
            sorted.sort_by_key(|p| {
                p.to_string_lossy()
                    .trim_end_matches(".mp3")
                    .parse::<u32>()
                    .ok()
            });
            assert_eq!(sorted, tracks);
            assert_ne!(*order, tracks);
        }
        assert_ne!(orders[0], orders[1]);
        assert_ne!(orders[1], orders[2]);
    }
}

//! A track's beat grid, computed once per file content and kept in the
//! platform's cache folder (`$XDG_CACHE_HOME/treadbeat/beats/` on Linux):
//! a runner's library is analysed once, then every session starts at once.
//!
//! The key is a hash of the file's bytes and the tracker's version, so a
//! renamed file is still found, an edited one is analysed again, and a
//! better tracker recomputes what an older one cached. A cache that cannot
//! be read or written only costs time: the grid is computed again.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use super::recording::{read_mono, RecordingError};
use crate::music::{BeatGrid, BeatTracker, TRACKER_VERSION};

/// Frames per block handed to the tracker.
const BLOCK: usize = 8192;

/// Where a grid came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Cache,
    Analysed,
}

/// The platform's cache folder for beat grids.
pub fn cache_dir() -> PathBuf {
    dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("treadbeat")
        .join("beats")
}

/// FNV-1a over the file's bytes: stable across Rust versions and
/// platforms (std's hasher is not), and a collision between two tracks of
/// one runner's library is vanishingly unlikely at 64 bits.
fn content_hash(path: &Path) -> std::io::Result<u64> {
    let mut reader = BufReader::with_capacity(1 << 16, File::open(path)?);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut buffer = [0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buffer)?;
        if n == 0 {
            return Ok(hash);
        }
        for byte in &buffer[..n] {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The cache file for a track, or `None` when the track cannot be read
/// (the decoder then says why).
pub fn cache_file(path: &Path) -> Option<PathBuf> {
    let hash = content_hash(path).ok()?;
    Some(cache_dir().join(format!("{hash:016x}-v{TRACKER_VERSION}.json")))
}

/// Decodes and analyses a track (no cache).
pub fn analyse(path: &Path) -> Result<BeatGrid, RecordingError> {
    let mut tracker: Option<BeatTracker> = None;
    read_mono(path, BLOCK, |block, rate| {
        tracker
            .get_or_insert_with(|| BeatTracker::new(rate))
            .feed(block);
    })?;
    Ok(tracker.map_or_else(BeatGrid::empty, BeatTracker::finish))
}

/// The track's grid from the cache, or analysed and then cached.
pub fn beat_grid(path: &Path) -> Result<(BeatGrid, Source), RecordingError> {
    let file = cache_file(path);
    if let Some(grid) = file.as_deref().and_then(read_cached) {
        return Ok((grid, Source::Cache));
    }
    let grid = analyse(path)?;
    if let Some(file) = file {
        write_cached(&file, &grid);
    }
    Ok((grid, Source::Analysed))
}

fn read_cached(file: &Path) -> Option<BeatGrid> {
    let text = std::fs::read_to_string(file).ok()?;
    serde_json::from_str(&text).ok()
}

/// Written beside its place and renamed, so a crash never leaves half a
/// grid for the next run to trust.
fn write_cached(file: &Path, grid: &BeatGrid) {
    let Some(dir) = file.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let Ok(json) = serde_json::to_string(grid) else {
        return;
    };
    let partial = file.with_extension(format!("{}.partial", std::process::id()));
    if std::fs::write(&partial, json).is_ok() && std::fs::rename(&partial, file).is_err() {
        let _ = std::fs::remove_file(&partial);
    }
}

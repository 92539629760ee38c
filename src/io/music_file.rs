//! A music track decoded whole, as interleaved stereo (mono doubled, more
//! channels folded to two), for the time-stretcher; and a playlist (a
//! file, a folder, or an M3U list) turned into its tracks.

use std::path::{Path, PathBuf};

use super::recording::{next_packet, open_recording, RecordingError};

/// Extensions a folder's tracks are recognised by.
const AUDIO: [&str; 7] = ["mp3", "flac", "ogg", "oga", "wav", "m4a", "mp4"];

/// The track's samples (stereo, interleaved) and rate.
pub fn read_stereo(path: &Path) -> Result<(Vec<f32>, u32), RecordingError> {
    let mut decoder = open_recording(path)?;
    let channels = usize::from(decoder.channels());
    let rate = decoder.sample_rate();
    let mut samples: Vec<f32> = Vec::new();
    while next_packet(&mut decoder, path)? {
        samples.extend_from_slice(decoder.samples());
    }
    let stereo = samples
        .chunks_exact(channels)
        .flat_map(|frame| match frame {
            [mono] => [*mono, *mono],
            [left, right, ..] => [*left, *right],
            [] => [0.0, 0.0],
        })
        .map(|x| if x.is_finite() { x } else { 0.0 })
        .collect();
    Ok((stereo, rate))
}

/// The tracks `path` names, in order: itself, a folder's audio files by
/// name, or an M3U playlist's entries (relative to the list's folder).
pub fn playlist(path: &Path) -> Result<Vec<PathBuf>, String> {
    let name = path.display();
    let metadata = std::fs::metadata(path).map_err(|e| format!("{name}: cannot open: {e}"))?;
    if metadata.is_dir() {
        let mut tracks: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("{name}: cannot list: {e}"))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| AUDIO.contains(&e.to_ascii_lowercase().as_str()))
            })
            .collect();
        tracks.sort();
        return Ok(tracks);
    }
    let is_list = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "m3u" | "m3u8"));
    if !is_list {
        return Ok(vec![path.to_path_buf()]);
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    let folder = path.parent().unwrap_or(Path::new("."));
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| folder.join(line))
        .collect())
}

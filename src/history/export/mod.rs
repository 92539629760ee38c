//! The session as a file for other programs: FIT (Garmin Connect, Strava,
//! intervals.icu), TCX and CSV. Pure: a session record in, bytes out.
//!
//! All three carry the same track (`track.rs`): a point a second while the
//! session ran, with the belt's speed and distance as the plan set them
//! (treadbeat has no sensor on the belt; the runner sets the speed the
//! coach announces), and cadence only where steps were heard. Cadence is
//! never invented: a session without `--mic` has none.

pub mod csv;
pub mod fit;
mod fit_writer;
pub mod tcx;
pub mod track;

pub use track::Track;

/// The formats, by the output file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Fit,
    Tcx,
    Csv,
}

impl Format {
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "fit" => Some(Format::Fit),
            "tcx" => Some(Format::Tcx),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    pub fn bytes(self, track: &Track) -> Vec<u8> {
        match self {
            Format::Fit => fit::encode(track),
            Format::Tcx => tcx::encode(track).into_bytes(),
            Format::Csv => csv::encode(track).into_bytes(),
        }
    }
}

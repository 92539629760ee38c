//! The progress report: one session's cadence against its target band,
//! and the weekly trends of easy cadence, time in band, drift and pain.
//! `svg.rs` draws the figures (pure text), `html.rs` puts them in one
//! self-contained page (inline SVG, no network, no script), `png.rs`
//! rasterises the SVG with resvg.

pub mod html;
pub mod png;
pub mod svg;

use super::analysis::SessionStats;
use super::record::SessionRecord;
use super::trends::Week;

/// Everything a report shows.
pub struct Report<'a> {
    pub record: &'a SessionRecord,
    pub stats: &'a SessionStats,
    pub weeks: &'a [Week],
    /// "since 8w": how far back the trends go, as asked.
    pub since: &'a str,
    /// The session's date as the runner saw it.
    pub date: String,
}

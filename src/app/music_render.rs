//! `render --music PATH`: the whole session's music planned at once
//! ([`crate::music::plan`]) and stretched as the render reaches it.

use super::music_library::MusicLibrary;
use crate::engine::music_mix::{PlacedTrack, StretchedMusic};
use crate::engine::Renderer;
use crate::music::plan::{plan_all, Decision};
use crate::plan::Timeline;
use crate::units::SampleRate;

/// Plans the music for `timeline`, hands it to `renderer`, and returns
/// what was played and skipped, a line each.
pub fn add_music(
    renderer: &mut Renderer,
    timeline: &Timeline,
    library: &MusicLibrary,
    rate: SampleRate,
) -> Vec<String> {
    let playlist = library.playlist(timeline);
    let report = library.report(&playlist);
    let sr = f64::from(rate.0);
    let placed = plan_all(&playlist)
        .into_iter()
        .filter_map(|decision| match decision {
            Decision::Placed(planned) => Some(PlacedTrack {
                track: planned.track,
                anchors: planned
                    .placement
                    .anchors
                    .iter()
                    .map(|(x, t)| (x * sr, t * sr))
                    .collect(),
                quiet_from: planned.quiet_from.map(|t| t * sr),
            }),
            Decision::Skipped { .. } => None,
        })
        .collect();
    let music = StretchedMusic::new(rate.0, placed, Box::new(library.loader(rate)));
    library.attach(renderer, Box::new(music));
    report
}

//! Where the worker cuts its re-planned music in, and when it does not.

use std::sync::Arc;

use super::*;
use crate::engine::music_feed::MusicFeed;
use crate::engine::music_mix::Loader;
use crate::engine::music_ring::{music_ring, RingFeed};
use crate::music::BeatGrid;
use crate::tempo::TempoMap;

const RATE: u32 = 48000;

/// Hits at 160 BPM from 0.5 s, and their grid.
fn track() -> (Vec<f32>, BeatGrid) {
    let sr = f64::from(RATE);
    let beats: Vec<f64> = (0..150).map(|k| 0.5 + f64::from(k) * 0.375).collect();
    let mut samples = vec![0.0f32; 2 * (60.0 * sr) as usize];
    for t in &beats {
        let at = (t * sr) as usize;
        for j in 0..2000 {
            let x = (-(j as f32) / 300.0).exp() * (j as f32 * 0.3).sin();
            samples[2 * (at + j)] += x;
            samples[2 * (at + j) + 1] += x;
        }
    }
    let grid = BeatGrid {
        tempo: 160.0,
        confidence: 0.5,
        downbeats: beats.iter().step_by(4).copied().collect(),
        beats,
        beats_per_bar: 4,
    };
    (samples, grid)
}

fn rig() -> (MusicWorker, RingFeed, Arc<TempoMap>) {
    let map = Arc::new(TempoMap::constant(165.0, 50.0, 0));
    let (samples, grid) = track();
    let plan = Playlist {
        grids: vec![Some(grid)].into(),
        map: Arc::clone(&map),
        end_s: 50.0,
        rests: true,
    };
    let start = MusicStart {
        frame: 0,
        clicks: CursorState::new(&map),
    };
    let (feed, fill) = music_ring(RATE, RING_LEAD_S, start.frame);
    let loader: Loader = Box::new(move |_| samples.clone());
    let mut worker = MusicWorker::new(RATE, plan, Box::new(loader), start, fill);
    while worker.work() {}
    (worker, feed, map)
}

/// The feed's music for `frames` frames from `from` (left channel), in
/// callbacks of 480 frames, the worker stepped between them.
fn play(worker: &mut MusicWorker, feed: &mut RingFeed, from: i64, frames: usize) -> Vec<f32> {
    let mut left = Vec::new();
    for k in 0..frames / 480 {
        let mut out = vec![0.0; 960];
        feed.mix(from + 480 * k as i64, &mut out, 2, 0, 480, 1.0);
        left.extend(out.iter().step_by(2));
        worker.work();
    }
    left
}

#[test]
fn a_nudge_is_cut_in_just_ahead_of_the_audio_clock_inside_the_queued_music() {
    let (mut worker, mut feed, map) = rig();
    play(&mut worker, &mut feed, 0, 48_000);
    // The track heard, told through the ring: track 0 at 165 spm.
    let now = feed.health().now_playing().expect("a track");
    assert_eq!(now.track, 0);
    assert!(
        (f64::from(now.speed) - 165.0 / 160.0).abs() < 1e-3,
        "{now:?}"
    );
    let queued = worker.made;
    assert!(queued >= 48_000 + (3.9 * 48_000.0) as i64, "{queued}");
    let mut clicks = CursorState::new(&map);
    clicks.nudge(&map, 1.0, 1.0);
    feed.moved(Moved::Retimed { at: 48_000, clicks });
    worker.replan();
    let cut = worker.made;
    let margin = (REPLAN_MARGIN_S * 48_000.0) as i64;
    assert_eq!(cut, 48_000 + 480 + margin);
    assert!(worker
        .splice
        .as_ref()
        .is_some_and(|s| s.at == cut && !s.old.is_empty()));
    // The ring never ran dry across the cut.
    play(&mut worker, &mut feed, 48_000, 48_000);
    assert_eq!(feed.health().underruns.load(Ordering::Relaxed), 0);
}

#[test]
fn a_jump_within_the_queued_music_goes_on_as_it_is() {
    let (mut told, mut feed, _) = rig();
    let (mut twin, mut twin_feed, _) = rig();
    play(&mut told, &mut feed, 0, 48_000);
    play(&mut twin, &mut twin_feed, 0, 48_000);
    let queued = told.made;
    feed.moved(Moved::Jumped { at: 96_000 });
    told.replan();
    assert_eq!(told.made, queued, "no rewind");
    assert!(told.splice.is_none());
    let heard = play(&mut told, &mut feed, 96_000, 96_000);
    let unmoved = play(&mut twin, &mut twin_feed, 96_000, 96_000);
    assert!(heard.iter().any(|x| x.abs() > 0.1));
    assert_eq!(heard, unmoved);
}

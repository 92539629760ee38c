//! The planner fills click runs with tracks in order and, after a nudge,
//! pins a playing track's bars to the clicks as they now fall.

use super::*;
use crate::tempo::TempoSegment;

/// A grid of `beats` beats at `bpm` from `start` s, every fourth a downbeat.
fn grid(bpm: f64, start: f64, beats: usize) -> BeatGrid {
    let times: Vec<f64> = (0..beats).map(|k| start + k as f64 * 60.0 / bpm).collect();
    BeatGrid {
        tempo: bpm,
        confidence: 0.5,
        downbeats: times.iter().step_by(4).copied().collect(),
        beats: times,
        beats_per_bar: 4,
    }
}

fn playlist(
    grids: Arc<[Option<BeatGrid>]>,
    map: Arc<TempoMap>,
    end_s: f64,
    rests: bool,
) -> Playlist {
    Playlist {
        grids,
        map,
        end_s,
        rests,
    }
}

/// Clicked runs of (start, duration, cadence from, to), each its own run.
fn map(runs: &[(f64, f64, f64, f64)]) -> Arc<TempoMap> {
    Arc::new(TempoMap {
        segments: runs
            .iter()
            .enumerate()
            .map(|(i, &(start_s, duration_s, c0, c1))| TempoSegment {
                start_s,
                duration_s,
                c0,
                c1,
                starts_run: true,
                segment: i,
            })
            .collect(),
        count_in_cadence: None,
        count_in: 0,
    })
}

#[test]
fn tracks_fill_the_runs_in_order_and_those_that_cannot_follow_are_skipped() {
    let mut no_beat = grid(160.0, 0.5, 100);
    no_beat.confidence = 0.05;
    let grids: Arc<[Option<BeatGrid>]> = vec![
        None,
        Some(no_beat),
        Some(grid(128.0, 0.5, 100)),
        // 40 beats: about 15 s at 160.
        Some(grid(160.0, 0.5, 40)),
        Some(grid(85.0, 0.2, 200)),
        Some(grid(165.0, 0.3, 400)),
        Some(grid(168.0, 0.3, 400)),
    ]
    .into();
    let map = map(&[(0.0, 60.0, 160.0, 160.0), (70.0, 30.0, 170.0, 170.0)]);
    let decisions = plan_all(&playlist(grids, map, 100.0, false));
    let kinds: Vec<String> = decisions
        .iter()
        .map(|d| match d {
            Decision::Placed(p) => format!("{} at {:.1}", p.track, p.span().0),
            Decision::Skipped { track, why } => format!("{track} {why:?}"),
        })
        .collect();
    assert_eq!(kinds[0], "0 Unreadable");
    assert_eq!(kinds[1], "1 NoClearBeat { confidence: 0.05 }");
    assert!(kinds[2].starts_with("2 OutOfRange"), "{}", kinds[2]);
    // Track 3 from the first click; its 40 beats end on a bar's click;
    // track 4 (half time) starts a bar (4 clicks) before, crossfading, and
    // plays to its last whole bar (8 clicks) before the run's end; track 5
    // crosses in over that bar and plays one of its own; the second run
    // starts track 6.
    assert_eq!(kinds[3], "3 at 0.0");
    let placed = placed_of(&decisions);
    let (three, four, five) = (placed[0], placed[1], placed[2]);
    let a = &three.placement.anchors;
    assert_eq!(four.span().0, a[a.len() - 5].1);
    assert_eq!(four.placement.level.clicks_per_beat, 2.0);
    assert_eq!(four.span(), (12.0, 57.0));
    assert_eq!(five.span(), (54.0, 58.5));
    assert_eq!(kinds[6], "6 at 70.0");
    assert_eq!(decisions.len(), 7);
}

#[test]
fn a_nudged_track_keeps_its_past_and_pins_its_next_bars_to_the_new_clicks() {
    let map = map(&[(0.0, 120.0, 160.0, 170.0)]);
    let grids: Arc<[Option<BeatGrid>]> = vec![Some(grid(163.0, 0.4, 300))].into();
    let list = playlist(Arc::clone(&grids), Arc::clone(&map), 120.0, true);
    let mut planner = Planner::new(&list, CursorState::new(&map), 0, 0.0);
    let Some(Decision::Placed(playing)) = planner.next() else {
        panic!("not placed")
    };
    // A nudge of +2 spm at 30.1 s, as the renderer applies it.
    let at = 30.1;
    let mut cursor = CursorState::new(&map);
    cursor.nudge(&map, at, 2.0);
    let nudged: Vec<crate::tempo::Click> = std::iter::from_fn(|| cursor.next_click(&map))
        .take_while(|c| c.time_s < 119.0)
        .collect();
    cursor = CursorState::new(&map);
    cursor.nudge(&map, at, 2.0);
    let mut replanner = Planner::new(&list, cursor, 1, at);
    let continued = replanner.continue_track(&playing, at);
    let anchors = &continued.placement.anchors;
    // The past is kept, `at` is where the track was then.
    let before: Vec<_> = playing
        .placement
        .anchors
        .iter()
        .filter(|a| a.1 <= at)
        .collect();
    for (old, new) in before.iter().zip(anchors) {
        assert_eq!(**old, *new);
    }
    let at_anchor = anchors[before.len()];
    assert_eq!(at_anchor.1, at);
    assert!((at_anchor.0 - track_time(&playing.placement.anchors, at)).abs() < 1e-12);
    // Every later anchor: a beat on the nudged click of the same run
    // index it had before.
    let (first_beat, click0) = playing.placed_from;
    let beats = &grids_beats(163.0, 0.4, 300);
    let later = &anchors[before.len() + 1..];
    assert!(later.len() > 10, "{} bars after the nudge", later.len());
    for (x, t) in later {
        let click = nudged.iter().find(|c| c.time_s == *t).expect("on a click");
        let beat = first_beat + (click.beat - click0) as usize;
        assert!((x - beats[beat]).abs() < 1e-9, "{x} for beat {beat}");
    }
    // They differ from the un-nudged plan: the nudge moved them.
    let old_last = playing
        .placement
        .anchors
        .iter()
        .find(|a| a.0 == later[5].0)
        .unwrap();
    assert!((old_last.1 - later[5].1).abs() > 0.01);
}

fn grids_beats(bpm: f64, start: f64, beats: usize) -> Vec<f64> {
    grid(bpm, start, beats).beats
}

use super::super::fit::track_time;

fn placed_of(decisions: &[Decision]) -> Vec<&PlannedTrack> {
    decisions
        .iter()
        .filter_map(|d| match d {
            Decision::Placed(p) => Some(p),
            Decision::Skipped { .. } => None,
        })
        .collect()
}

#[test]
fn where_no_clicks_play_the_music_goes_on_unstretched_and_quieter_or_stops() {
    // A 20 s rest first, a run at 150 spm, a 20 s rest, a run at 160.
    let map = map(&[(20.0, 30.0, 150.0, 150.0), (70.0, 30.0, 160.0, 160.0)]);
    let grids: Arc<[Option<BeatGrid>]> = vec![
        Some(grid(160.0, 0.5, 300)),
        // 40 beats: about 16 s at 150 spm.
        Some(grid(160.0, 0.5, 40)),
        Some(grid(158.0, 0.2, 200)),
    ]
    .into();
    let decisions = plan_all(&playlist(Arc::clone(&grids), Arc::clone(&map), 100.0, true));
    let placed = placed_of(&decisions);
    let spans: Vec<(usize, f64, f64, Option<f64>)> = placed
        .iter()
        .map(|p| (p.track, p.span().0, p.span().1, p.quiet_from))
        .collect();
    // Track 0 from the start, unstretched and quiet, until the clicks...
    assert_eq!(spans[0], (0, 0.0, 20.0, Some(0.0)));
    assert_eq!(placed[0].placement.anchors, vec![(0.0, 0.0), (20.0, 20.0)]);
    // ... then track 1 on the first click, pinned, until its beats end.
    assert_eq!((spans[1].0, spans[1].1, spans[1].3), (1, 20.0, None));
    // Track 2 fills the run, goes on through the rest from where its last
    // bar was pinned (quiet from the run's end at 50 s, at speed 1 after
    // it), and the next run starts on its first click with nothing left.
    assert_eq!((spans[2].0, spans[2].3), (2, None));
    let going_on = placed[3];
    assert_eq!(going_on.track, 2);
    assert_eq!(going_on.quiet_from, Some(50.0));
    assert_eq!(going_on.span(), (spans[2].2, 70.0));
    let a = &going_on.placement.anchors;
    assert_eq!(a[1].1, 50.0);
    assert!(
        ((a[2].0 - a[1].0) - (a[2].1 - a[1].1)).abs() < 1e-9,
        "unstretched"
    );
    assert_eq!(placed.len(), 4);
    // With `rest = "off"` tracks play under the clicks only: track 0
    // starts on the first click.
    let off = plan_all(&playlist(grids, map, 100.0, false));
    let off = placed_of(&off);
    assert!(off.iter().all(|p| p.quiet_from.is_none()));
    assert_eq!((off[0].track, off[0].span().0), (0, 20.0));
}

#[test]
fn consecutive_tracks_cross_over_the_outgoing_ones_last_bar_on_the_same_clicks() {
    // A ramp; tracks of 40 beats (about 15 s), a half-time one of two bars
    // (16 clicks), one of a single bar.
    let map = map(&[(0.0, 80.0, 150.0, 170.0)]);
    let grids: Arc<[Option<BeatGrid>]> = vec![
        Some(grid(160.0, 0.5, 40)),
        Some(grid(158.0, 0.3, 40)),
        Some(grid(80.0, 0.2, 9)),
        Some(grid(162.0, 0.2, 6)),
        Some(grid(165.0, 0.3, 400)),
    ]
    .into();
    let decisions = plan_all(&playlist(grids, Arc::clone(&map), 80.0, false));
    let placed = placed_of(&decisions);
    let tracks: Vec<usize> = placed.iter().map(|p| p.track).collect();
    assert_eq!(tracks, [0, 1, 2, 3, 4]);
    let clicks: Vec<f64> = map.clicks().map(|c| c.time_s).collect();
    let index = |t: f64| clicks.iter().position(|c| *c == t).expect("on a click");
    let mut overlaps = Vec::new();
    for pair in placed.windows(2) {
        let (out, inc) = (pair[0], pair[1]);
        let (out_a, in_a) = (&out.placement.anchors, &inc.placement.anchors);
        // The incoming track starts on a click of the outgoing one and
        // ends at least a bar after it; both are pinned to every click
        // between.
        let (start, end) = (index(inc.span().0), index(out.span().1));
        let bar = inc.placement.level.bar_steps().1;
        assert!(index(inc.span().1) >= end + bar);
        overlaps.push(end - start);
        for click in &clicks[start..=end] {
            assert!(out_a.iter().any(|a| a.1 == *click));
            assert!(in_a.iter().any(|a| a.1 == *click));
        }
        // On one of the outgoing track's bar lines.
        let out_bar = out.placement.level.bar_steps().1;
        assert_eq!((start - index(out.span().0)) % out_bar, 0);
    }
    // A bar of the outgoing track (4 clicks, 8 for the half-time one);
    // the single-bar track 3 would end within the crossfade, so it starts
    // where track 2 ends and crosses over its one bar into track 4.
    assert_eq!(overlaps, [4, 4, 0, 4]);
    // No three tracks at once.
    for triple in placed.windows(3) {
        assert!(triple[2].span().0 >= triple[0].span().1);
    }
}

#[test]
fn a_nudge_in_a_crossfade_re_pins_both_tracks_and_the_next_starts_after_both() {
    let map = map(&[(0.0, 120.0, 160.0, 160.0)]);
    // Track 1 at 146 BPM plays 1.096x at 160 spm: a +2 nudge takes it past
    // the limit, so its re-pinned bars stop at the nudge.
    let grids: Arc<[Option<BeatGrid>]> = vec![
        Some(grid(160.0, 0.5, 40)),
        Some(grid(146.0, 0.3, 80)),
        Some(grid(163.0, 0.3, 400)),
    ]
    .into();
    let list = playlist(Arc::clone(&grids), Arc::clone(&map), 120.0, false);
    let placed = plan_all(&list);
    let placed = placed_of(&placed);
    let (zero, one) = (placed[0].clone(), placed[1].clone());
    assert!(one.span().0 < zero.span().1, "a crossfade");
    // A nudge in the middle of the crossfade.
    let at = 0.5 * (one.span().0 + zero.span().1);
    let mut cursor = CursorState::new(&map);
    cursor.nudge(&map, at, 2.0);
    let mut replanner = Planner::new(&list, cursor, 2, at);
    let zero_on = replanner.continue_track(&zero, at);
    let one_on = replanner.continue_track(&one, at);
    assert!(zero_on.span().1 > at && zero_on.span().1 != zero.span().1);
    assert_eq!(one_on.span().1, at, "cut at the nudge: past the limit");
    let Some(Decision::Placed(two)) = replanner.next() else {
        panic!("track 2 not placed")
    };
    assert_eq!(two.track, 2);
    assert!(two.span().0 >= zero_on.span().1, "{:?}", two.span());
}

//! Music where no clicks play (stretch and rest steps, a walk with its
//! clicks off, before the first click run and after the last): nothing
//! to pin a beat to, so the music plays unstretched, and quieter (the
//! renderer's gain, from `quiet_from` on). The track that was playing when
//! its click run ended goes on, at its last bar's speed to the run's end,
//! then at its own; then the next tracks in order, each from its start,
//! until the next click run starts its own track on its first click. With
//! `[music] rest = "off"` these stretches are silent.

use super::{Decision, PlannedTrack, Planner, Skip};
use crate::music::fit::{Level, Placement, MIN_CONFIDENCE};
use crate::music::BeatGrid;
use crate::tempo::TempoMap;

/// A stretch without clicks shorter than this starts no new track (one
/// that ends as it begins is worse than a moment of quiet).
const SHORTEST_NEW_TRACK_S: f64 = 2.0;

/// The track that ended with its click run: where it was pinned last and
/// at what speed it played the last bar.
#[derive(Debug, Clone, Copy)]
pub(super) struct Continuation {
    track: usize,
    last: (f64, f64),
    speed: f64,
    level: Level,
}

/// A stretch of session time without clicks, filled from `from` on.
#[derive(Debug, Clone, Copy)]
pub(super) struct Gap {
    from: f64,
    to: f64,
    /// Where the clicks stopped: the music is quieter from here.
    quiet_from: f64,
    continuing: Option<Continuation>,
}

/// Where a track's music ends, as far as its beats tell: a beat after the
/// last one.
fn track_end(grid: &BeatGrid) -> f64 {
    grid.beats
        .last()
        .map_or(0.0, |last| last + 60.0 / grid.tempo.max(1.0))
}

/// The end of the click run holding session time `t`: the end of its last
/// clicked segment.
fn run_end(map: &TempoMap, t: f64) -> Option<f64> {
    let mut i = map.segments.partition_point(|s| s.end_s() <= t);
    while map.segments.get(i + 1).is_some_and(|s| !s.starts_run) {
        i += 1;
    }
    map.segments.get(i).map(|s| s.end_s())
}

/// Where the next click run after `t` starts.
fn next_run_start(map: &TempoMap, t: f64) -> Option<f64> {
    map.segments
        .iter()
        .find(|s| s.starts_run && s.start_s >= t)
        .map(|s| s.start_s)
}

impl Planner {
    /// A stretch without clicks from `from` to `to`, the track that ended
    /// with the clicks going on into it.
    pub(super) fn rest(&mut self, from: f64, to: f64, continuing: Option<Continuation>) {
        if self.rests && to > from {
            self.gap = Some(Gap {
                from,
                to,
                quiet_from: from,
                continuing,
            });
        }
    }

    /// The current click run is over: the stretch without clicks after it
    /// (to the next run or the session's end), then the next run. `false`
    /// when nothing follows.
    pub(super) fn next_click_run(&mut self) -> bool {
        let continuing = self.continuation.take();
        let Some(end) = self.run.last().and_then(|t| run_end(&self.map, *t)) else {
            self.last_run = true;
            return false;
        };
        let next = next_run_start(&self.map, end);
        self.rest(end, next.unwrap_or(self.end_s), continuing);
        self.run.clear();
        self.at = 0;
        match next {
            Some(start) => {
                // The cursor may have looked at the next run's first click
                // already; it starts there again.
                self.cursor.seek(&self.map, start);
                self.run_done = false;
                self.next_run = None;
            }
            None => self.last_run = true,
        }
        next.is_some() || self.gap.is_some()
    }

    /// A track was pinned: if its click run ends within a bar after it and
    /// it has music left, it goes on into what follows, and the next track
    /// starts where it ends; else the next starts its crossfade's length
    /// before that ([`super::crossfade_clicks`]).
    pub(super) fn ended(&mut self, planned: &PlannedTrack) {
        let anchors = &planned.placement.anchors;
        let last = anchors[anchors.len() - 1];
        // The next crossfade starts no earlier than this one ends, so that
        // no more than two tracks ever sound at once.
        let alone_from = self.last_end.map_or(self.at, |end| end.max(self.at));
        self.skip_to(last.1);
        let bar = planned.placement.level.bar_steps().1;
        let music_left = self.grids[planned.track]
            .as_ref()
            .is_some_and(|g| track_end(g) > last.0 + 1.0);
        let goes_on = self.rests && music_left && anchors.len() >= 2;
        self.continuation = (goes_on && self.run_ends_within(bar)).then(|| {
            let before = anchors[anchors.len() - 2];
            Continuation {
                track: planned.track,
                last,
                speed: (last.0 - before.0) / (last.1 - before.1),
                level: planned.placement.level,
            }
        });
        let end = self.at;
        // A track re-pinned after a nudge may end before the one it
        // crossfaded from (its stretch left the limit): the next starts
        // where the last of them ends.
        let reach = self.last_end.map_or(end, |e| e.max(end));
        self.last_end = Some(reach);
        if self.continuation.is_none() && end < self.run.len() {
            let level = planned.placement.level;
            self.at = if reach > end {
                reach
            } else {
                end - super::crossfade_clicks(level, end.saturating_sub(alone_from))
            };
        }
    }

    /// The next decision in the stretch without clicks, or `None` (and the
    /// stretch dropped) when it is full.
    pub(super) fn fill_gap(&mut self) -> Option<Decision> {
        let gap = self.gap.as_mut()?;
        let quiet_from = Some(gap.quiet_from);
        if let Some(going_on) = gap.continuing.take() {
            let Continuation {
                track,
                last,
                speed,
                level,
            } = going_on;
            let end = self.grids[track].as_ref().map_or(0.0, track_end);
            // At the last bar's speed to the run's end, then its own.
            let mut anchors = vec![last];
            let to_run_end = last.0 + (gap.from - last.1).max(0.0) * speed;
            if gap.from > last.1 && to_run_end < end {
                anchors.push((to_run_end, gap.from));
            }
            let (x, t) = anchors[anchors.len() - 1];
            let length = (gap.to - t).min(end - x);
            if length > 0.0 {
                anchors.push((x + length, t + length));
            }
            gap.from = anchors[anchors.len() - 1].1;
            if anchors.len() < 2 {
                return None;
            }
            return Some(Decision::Placed(PlannedTrack {
                track,
                placement: Placement { anchors, level },
                placed_from: (0, 0),
                quiet_from,
            }));
        }
        if gap.to - gap.from < SHORTEST_NEW_TRACK_S || self.next_track >= self.grids.len() {
            self.gap = None;
            return None;
        }
        let track = self.next_track;
        self.next_track += 1;
        let grid = match &self.grids[track] {
            None => {
                return Some(Decision::Skipped {
                    track,
                    why: Skip::Unreadable,
                })
            }
            Some(g) if g.confidence < MIN_CONFIDENCE => {
                let why = Skip::NoClearBeat {
                    confidence: g.confidence,
                };
                return Some(Decision::Skipped { track, why });
            }
            Some(g) => g,
        };
        let length = (gap.to - gap.from).min(track_end(grid));
        let anchors = vec![(0.0, gap.from), (length, gap.from + length)];
        gap.from += length;
        Some(Decision::Placed(PlannedTrack {
            track,
            placement: Placement {
                anchors,
                level: Level {
                    clicks_per_beat: 1.0,
                    speed: 1.0,
                },
            },
            placed_from: (0, 0),
            quiet_from,
        }))
    }
}

//! Which track plays where: the runner's playlist laid over the session's
//! clicks, in order, one decision at a time. Offline the whole session is
//! planned at once; live, a worker plans a track or two ahead and starts
//! again from the moment the clicks move (a nudge, a skip).
//!
//! Each click run is filled with tracks in playlist order: a track starts
//! on a click (on its first downbeat), plays at the cadence through its
//! tempo, half or double, stretched within ±10 % (see [`super::fit`]), and
//! ends when its beats run out, the run ends, or the cadence leaves its
//! range. The next track starts a bar before that, on the bar line of the
//! one ending ([`crossfade_clicks`]): the two play together over that bar,
//! both pinned to its clicks, crossfaded (the renderer's gains); or on the
//! next run's first click when less than a bar is left, or when the one
//! ending goes on into a stretch without clicks. A track that cannot follow is skipped,
//! with the reason. Each track plays once. Where no clicks play (stretch
//! and rest steps), the music goes on quieter and unstretched, or stops
//! ([`rests`]).
//!
//! Clicks are pulled from a tempo-map cursor only as far as a placement
//! needs them, so a day-long `click` session costs no more than a short one.

mod rests;

use std::sync::Arc;

use rests::{Continuation, Gap};

use super::fit::{
    clicks_needed, level_for, place, repin, Level, Placement, ANCHOR_BEATS, MIN_CONFIDENCE,
};
use super::BeatGrid;
use crate::tempo::{CursorState, TempoMap};

/// Why a track was passed over.
#[derive(Debug, Clone, PartialEq)]
pub enum Skip {
    /// It could not be read or analysed (the reason was said then).
    Unreadable,
    /// Its beats are a guess: the tracker's confidence.
    NoClearBeat { confidence: f64 },
    /// Neither its tempo nor its half or double is within the limit of the
    /// cadence where it would start.
    OutOfRange { tempo: f64, cadence: f64 },
    /// Not even one bar fits.
    TooShort,
}

/// A track pinned to the clicks.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedTrack {
    /// Its place in the playlist.
    pub track: usize,
    /// (track seconds, session seconds) anchors and the beat level.
    pub placement: Placement,
    /// Its first anchor: the grid beat and the run index of its click, so
    /// that bars can be pinned again to clicks that moved.
    pub placed_from: (usize, u64),
    /// Where no clicks play: from this session time on, the track plays
    /// quieter and unstretched, pinned to nothing.
    pub quiet_from: Option<f64>,
}

/// What is planned over: the playlist's beat grids (`None`: unreadable),
/// the session's clicks and end, and whether music plays (quieter) where
/// no clicks do.
#[derive(Clone)]
pub struct Playlist {
    pub grids: Arc<[Option<BeatGrid>]>,
    pub map: Arc<TempoMap>,
    pub end_s: f64,
    pub rests: bool,
}

impl PlannedTrack {
    /// Session seconds of its first and last anchors.
    pub fn span(&self) -> (f64, f64) {
        let anchors = &self.placement.anchors;
        (anchors[0].1, anchors[anchors.len() - 1].1)
    }
}

/// One step of the plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Placed(PlannedTrack),
    Skipped { track: usize, why: Skip },
}

/// The planner: the playlist, a cursor on the clicks, and where the next
/// track would start.
pub struct Planner {
    grids: Arc<[Option<BeatGrid>]>,
    map: Arc<TempoMap>,
    end_s: f64,
    rests: bool,
    cursor: CursorState,
    /// The current run's clicks (session seconds) pulled so far...
    run: Vec<f64>,
    /// ... the run index of the first of them...
    run_first: u64,
    /// ... and whether the run has no more (the next run's first click,
    /// if any, is in `next_run`).
    run_done: bool,
    next_run: Option<f64>,
    /// Where in `run` the next track would start.
    at: usize,
    /// The next playlist entry to consider.
    next_track: usize,
    /// Where planning starts (session seconds): before the first click, a
    /// stretch without clicks.
    from_s: Option<f64>,
    /// The stretch without clicks being filled.
    gap: Option<Gap>,
    /// The track that ended with its click run, to go on into the gap.
    continuation: Option<Continuation>,
    /// No clicks after the current run.
    last_run: bool,
    /// Where in `run` the last track placed in it ends: a track starting
    /// before it crossfades with that one.
    last_end: Option<usize>,
}

/// Clicks over which one track crosses into the next in a click run: the
/// outgoing track's last bar (its anchors' bar: 4 clicks for a beat a
/// step or two beats a step, 8 for a beat every two steps); never more
/// than the clicks it plays alone, so that no more than two tracks sound
/// at once (a guard: the planner gives every track a bar of its own after
/// the crossfade that brings it in).
///
/// Why a bar: it starts and ends on the outgoing track's bar lines, so the
/// incoming track's first downbeat falls on the outgoing one's downbeat
/// and both keep their beats on the same clicks; about 1.4 s at 170 spm
/// (2.8 s for half-time music) is long enough for an equal-power fade to
/// be heard as a blend and not a cut, and short enough that two songs the
/// planner knows nothing about (keys, phrases) clash only for a moment.
/// The outgoing track loses nothing: the bar is its own last, overlapped,
/// not cut.
pub fn crossfade_clicks(level: Level, alone: usize) -> usize {
    level.bar_steps().1.min(alone)
}

impl Planner {
    /// Plans from session time `from_s` on: the clicks `clicks` yields
    /// (all at or after it), playlist entries from `next_track` on.
    pub fn new(
        playlist: &Playlist,
        clicks: CursorState,
        next_track: usize,
        from_s: f64,
    ) -> Planner {
        Planner {
            grids: Arc::clone(&playlist.grids),
            map: Arc::clone(&playlist.map),
            end_s: playlist.end_s,
            rests: playlist.rests,
            cursor: clicks,
            run: Vec::new(),
            run_first: 0,
            run_done: false,
            next_run: None,
            at: 0,
            next_track,
            from_s: Some(from_s),
            gap: None,
            continuation: None,
            last_run: false,
            last_end: None,
        }
    }

    /// Pulls clicks until the current run holds `n` or has no more.
    fn pull(&mut self, n: usize) {
        while self.run.len() < n && !self.run_done {
            match self.cursor.next_click(&self.map) {
                Some(click) if self.run.is_empty() => {
                    self.run_first = click.beat;
                    self.last_end = None;
                    self.run.push(click.time_s);
                }
                Some(click) if click.beat > 0 => self.run.push(click.time_s),
                Some(click) => {
                    self.next_run = Some(click.time_s);
                    self.run_done = true;
                }
                None => self.run_done = true,
            }
        }
    }

    /// Whether fewer than `bar` clicks are left in the run after `at`.
    fn run_ends_within(&mut self, bar: usize) -> bool {
        self.pull(self.at + bar + 1);
        self.at + bar >= self.run.len()
    }

    /// The track placed, skipped (`Some` reason), or `None` when the run
    /// has not a bar left for it. It crossfades with the one before when
    /// it starts before that one ends and plays at least a bar after it;
    /// else it starts where that one ends (a track of a bar or so, or the
    /// run's end near).
    fn decide(&mut self, track: usize) -> Result<PlannedTrack, Option<Skip>> {
        let start = self.at;
        let placed = match (self.place_here(track), self.last_end) {
            (Ok(p), Some(end)) if start < end => {
                let last = start + p.placement.anchors.len() - 1;
                if last >= end + p.placement.level.bar_steps().1 {
                    Ok(p)
                } else {
                    self.at = end;
                    self.place_here(track)
                }
            }
            (placed, _) => placed,
        }?;
        self.ended(&placed);
        Ok(placed)
    }

    /// The track placed from the click at `at`, or why not.
    fn place_here(&mut self, track: usize) -> Result<PlannedTrack, Option<Skip>> {
        let grids = Arc::clone(&self.grids);
        let grid = grids[track].as_ref().ok_or(Some(Skip::Unreadable))?;
        if grid.confidence < MIN_CONFIDENCE {
            return Err(Some(Skip::NoClearBeat {
                confidence: grid.confidence,
            }));
        }
        if self.run_ends_within(ANCHOR_BEATS) {
            return Err(None);
        }
        let cadence = 60.0 / (self.run[self.at + 1] - self.run[self.at]);
        let level = level_for(grid.tempo, cadence).ok_or(Some(Skip::OutOfRange {
            tempo: grid.tempo,
            cadence,
        }))?;
        if self.run_ends_within(level.bar_steps().1) {
            return Err(None);
        }
        let first = grid
            .downbeats
            .first()
            .and_then(|d| grid.beats.iter().position(|b| b == d))
            .unwrap_or(0);
        self.pull(self.at + clicks_needed(grid.beats.len(), first, level));
        let placement =
            place(&grid.beats, first, &self.run[self.at..], level).ok_or(Some(Skip::TooShort))?;
        let placed_from = (first, self.run_first + self.at as u64);
        Ok(PlannedTrack {
            track,
            placement,
            placed_from,
            quiet_from: None,
        })
    }

    /// The next track starts on the first click at or after `end`.
    fn skip_to(&mut self, end: f64) {
        self.at += self.run[self.at..]
            .iter()
            .position(|t| *t >= end)
            .unwrap_or(self.run.len() - self.at);
    }

    /// Continues `playing` (sounding at session time `at`) on this
    /// planner's clicks, which start at or after `at` in its run: its bars
    /// from there are pinned to them, and the next track starts where it
    /// now ends.
    pub fn continue_track(&mut self, playing: &PlannedTrack, at: f64) -> PlannedTrack {
        let grids = Arc::clone(&self.grids);
        let beats = grids[playing.track]
            .as_ref()
            .map_or(&[][..], |g| &g.beats[..]);
        let (first_beat, _) = playing.placed_from;
        self.pull(1);
        let first_click = self.run_first;
        let level = playing.placement.level;
        let needed = clicks_needed(beats.len(), first_beat, level);
        self.pull(needed);
        let placement = repin(
            &playing.placement,
            beats,
            playing.placed_from,
            at,
            &self.run,
            first_click,
        );
        let planned = PlannedTrack {
            track: playing.track,
            placement,
            placed_from: playing.placed_from,
            quiet_from: None,
        };
        self.ended(&planned);
        planned
    }
}

impl Iterator for Planner {
    type Item = Decision;

    /// The next decision, or `None` once the playlist or the session ends.
    fn next(&mut self) -> Option<Decision> {
        loop {
            if self.gap.is_some() {
                match self.fill_gap() {
                    Some(decision) => return Some(decision),
                    None => continue,
                }
            }
            self.pull(self.at + 2);
            if let Some(from_s) = self.from_s.take() {
                let first = self.run.first().copied().unwrap_or(self.end_s);
                self.rest(from_s, first, None);
                continue;
            }
            if self.at + 1 >= self.run.len() {
                if self.last_run || !self.next_click_run() {
                    return None;
                }
                continue;
            }
            if self.next_track >= self.grids.len() {
                // No track left: the one playing may still go on into the
                // next steps without clicks, if it reaches them.
                self.continuation?;
                self.at = self.run.len();
                continue;
            }
            let track = self.next_track;
            let decision = match self.decide(track) {
                Ok(planned) => Decision::Placed(planned),
                Err(Some(why)) => Decision::Skipped { track, why },
                Err(None) => {
                    // Less than a bar of this run is left: the track is
                    // tried on the next run instead of being lost.
                    self.at = self.run.len();
                    continue;
                }
            };
            self.next_track += 1;
            return Some(decision);
        }
    }
}

/// Every decision for a whole session, in order (an offline render).
pub fn plan_all(playlist: &Playlist) -> Vec<Decision> {
    let clicks = CursorState::new(&playlist.map);
    Planner::new(playlist, clicks, 0, 0.0).collect()
}

#[cfg(test)]
mod tests;

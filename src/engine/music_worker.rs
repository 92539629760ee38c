//! The live music worker: plans the playlist over the clicks a track or
//! two ahead ([`crate::music::plan`]), stretches it ([`StretchedMusic`],
//! as offline) and keeps the ring ([`super::music_ring`]) [`RING_LEAD_S`]
//! ahead of the audio clock. The audio thread stays dumb: when the session
//! moves, it only says so; the worker plans again from that moment on
//! the renderer's own cursor (so the music's beats follow the clicks
//! exactly as the clicks follow the nudge) and cuts over just ahead of
//! the audio clock.
//!
//! Allocates, decodes (through its [`TrackSource`]) and sleeps: never on
//! the audio thread.

use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::mpsc::SyncSender;
use std::thread::JoinHandle;
use std::time::Duration;

use super::music_feed::Moved;
use super::music_mix::{PlacedTrack, StretchedMusic, TrackSource};
use super::music_ring::{Cutover, MusicBlock, NowPlaying, RingFill, BLOCK_FRAMES, RING_LEAD_S};
use crate::music::plan::{Decision, PlannedTrack, Planner, Playlist};
use crate::tempo::CursorState;

/// How long the worker sleeps when the ring is full: a move waits at most
/// this long to be heard. A block lasts 10.7 ms at 48 kHz.
const POLL: Duration = Duration::from_millis(4);
/// Blocks rendered between looks at the moves and at the feed.
const BLOCKS_PER_ROUND: usize = 8;
/// The worker's answer to a move is cut in this far beyond the frames the
/// audio callback may already have mixed: time to hear the move (`POLL`),
/// warm a fresh stretcher up (its 150 ms pre-roll takes a few ms) and
/// render the first block, on a busy machine.
const REPLAN_MARGIN_S: f64 = 0.04;
/// The old music and the new are crossfaded over this long at a cutover
/// (a fresh stretcher's output is the same music, not the same samples).
const SPLICE_S: f64 = 0.01;
/// Music the ring holds before a stream starts (see `spawn`).
const PRIME_S: f64 = 0.5;

/// Where a session starts (or resumes): its session frame and a cursor
/// yielding every click from there (`Renderer::upcoming_clicks`).
#[derive(Debug, Clone, Copy)]
pub struct MusicStart {
    pub frame: i64,
    pub clicks: CursorState,
}

/// The crossfade at a cutover: the old music from `at` (empty: fade in).
struct Splice {
    at: i64,
    old: Vec<f32>,
}

pub struct MusicWorker {
    rate: f64,
    playlist: Playlist,
    planner: Planner,
    /// Placed tracks (with past ones, for where to resume), in order.
    placed: Vec<PlannedTrack>,
    planner_done: bool,
    music: StretchedMusic,
    fill: RingFill,
    /// The next session frame to render.
    made: i64,
    epoch: u32,
    /// What was rendered lately (stereo), from session frame `history_from`.
    history: VecDeque<f32>,
    history_from: i64,
    splice: Option<Splice>,
    /// Where it started (see `spawn`).
    start: i64,
}

impl MusicWorker {
    pub fn new(
        rate: u32,
        playlist: Playlist,
        source: Box<dyn TrackSource>,
        start: MusicStart,
        fill: RingFill,
    ) -> MusicWorker {
        // The count-in plays no music.
        let from_s = start.frame.max(0) as f64 / f64::from(rate);
        MusicWorker {
            rate: f64::from(rate),
            planner: Planner::new(&playlist, start.clicks, 0, from_s),
            playlist,
            placed: Vec::new(),
            planner_done: false,
            music: StretchedMusic::new(rate, Vec::new(), source),
            fill,
            made: start.frame,
            epoch: 0,
            history: VecDeque::new(),
            history_from: start.frame,
            splice: None,
            start: start.frame,
        }
    }

    /// Runs on a thread of its own until the feed is dropped; `primed`
    /// hears once the ring holds `PRIME_S` of the session (or is full), so that
    /// a stream can wait for it before it starts.
    pub fn spawn(mut self, primed: SyncSender<()>) -> std::io::Result<JoinHandle<()>> {
        std::thread::Builder::new()
            .name("music".into())
            .spawn(move || {
                // Past the count-in: its silence is no music.
                let prime = self.start.max(0) + (PRIME_S * self.rate) as i64;
                let mut primed = Some(primed);
                while !self.fill.abandoned() {
                    let busy = self.work();
                    if primed.is_some() && (self.made >= prime || !busy) {
                        let _ = primed.take().map(|p| p.send(()));
                    }
                    if !busy {
                        std::thread::sleep(POLL);
                    }
                }
            })
    }

    /// One round: hears any moves, then renders up to a few blocks while
    /// the ring has room. Whether it rendered anything.
    pub fn work(&mut self) -> bool {
        if self.fill.moved() {
            self.replan();
        }
        let mut rendered = false;
        for _ in 0..BLOCKS_PER_ROUND {
            if !self.fill.has_room() || self.fill.moved() {
                break;
            }
            self.render_block();
            rendered = true;
        }
        rendered
    }

    fn frames(&self, seconds: f64) -> i64 {
        (seconds * self.rate).round() as i64
    }

    /// Places tracks until the one sounding at `until` and the next are
    /// known, so that the next can be read ahead.
    fn plan_ahead(&mut self, until: i64) {
        let until_s = until as f64 / self.rate;
        while !self.planner_done {
            let ahead = self.placed.iter().filter(|p| p.span().1 > until_s).count();
            if ahead >= 2 {
                break;
            }
            match self.planner.next() {
                Some(Decision::Placed(track)) => {
                    self.music.push(self.in_frames(&track));
                    self.placed.push(track);
                }
                Some(Decision::Skipped { .. }) => {}
                None => self.planner_done = true,
            }
        }
    }

    fn in_frames(&self, track: &PlannedTrack) -> PlacedTrack {
        PlacedTrack {
            track: track.track,
            anchors: track
                .placement
                .anchors
                .iter()
                .map(|(x, t)| (x * self.rate, t * self.rate))
                .collect(),
            quiet_from: track.quiet_from.map(|t| t * self.rate),
        }
    }

    fn render_block(&mut self) {
        let from = self.made;
        self.plan_ahead(from + BLOCK_FRAMES as i64);
        let mut block = MusicBlock {
            epoch: self.epoch,
            from,
            sounding: false,
            now: None,
            samples: [0.0; 2 * BLOCK_FRAMES],
        };
        self.music.render(from, &mut block.samples);
        block.sounding = self.music.sounding();
        block.now = self.music.now_playing().map(|(track, speed)| NowPlaying {
            track: track as u32,
            speed: speed as f32,
        });
        self.splice_in(&mut block);
        self.history.extend(block.samples.iter());
        let keep = 2 * self.frames(RING_LEAD_S + 1.0) as usize;
        if self.history.len() > keep + 2 * BLOCK_FRAMES {
            let drop = self.history.len() - keep;
            self.history.drain(..drop);
            self.history_from += (drop / 2) as i64;
        }
        self.fill.push(block);
        self.made += BLOCK_FRAMES as i64;
    }

    /// Crossfades the block from the old music into the new over the
    /// splice, if it overlaps one.
    fn splice_in(&mut self, block: &mut MusicBlock) {
        let Some(splice) = &self.splice else { return };
        let length = self.frames(SPLICE_S).max(1);
        for (i, pair) in block.samples.chunks_exact_mut(2).enumerate() {
            let k = block.from + i as i64 - splice.at;
            if !(0..length).contains(&k) {
                continue;
            }
            let gain = k as f32 / length as f32;
            let k = k as usize;
            let old = splice.old.get(2 * k..2 * k + 2).unwrap_or(&[0.0, 0.0]);
            pair[0] = gain * pair[0] + (1.0 - gain) * old[0];
            pair[1] = gain * pair[1] + (1.0 - gain) * old[1];
        }
        if block.from + BLOCK_FRAMES as i64 >= splice.at + length {
            self.splice = None;
        }
    }

    /// The playlist entry after the last track to have started by `at_s`.
    fn resume_after(&self, at_s: f64) -> usize {
        self.placed
            .iter()
            .rfind(|p| p.span().0 <= at_s)
            .map_or(0, |p| p.track + 1)
    }

    /// Hears every move waiting, plans again from the last, and cuts the
    /// new music in just ahead of the audio clock.
    fn replan(&mut self) {
        let moves: Vec<(u32, Moved)> = self.fill.moves().collect();
        let (mut replanned, mut skipped, mut moved_to) = (false, false, i64::MIN);
        for (epoch, moved) in moves {
            self.epoch = epoch;
            match moved {
                Moved::Retimed { at, clicks } => {
                    let at_s = at as f64 / self.rate;
                    let next = self.resume_after(at_s);
                    // Two tracks sound in a crossfade.
                    let playing: Vec<PlannedTrack> = self
                        .placed
                        .iter()
                        .filter(|p| p.span().0 <= at_s && at_s < p.span().1)
                        .cloned()
                        .collect();
                    self.placed.retain(|p| p.span().1 <= at_s);
                    let from_s = match playing.first() {
                        // Where no clicks play the music is pinned to
                        // nothing: it goes on as it is.
                        Some(playing) if playing.quiet_from.is_some() => playing.span().1,
                        _ => at_s,
                    };
                    self.planner = Planner::new(&self.playlist, clicks, next, from_s);
                    for playing in playing {
                        if playing.quiet_from.is_some() {
                            self.placed.push(playing);
                        } else {
                            let continued = self.planner.continue_track(&playing, at_s);
                            self.placed.push(continued);
                        }
                    }
                    replanned = true;
                    moved_to = moved_to.max(at);
                }
                Moved::Skipped { left, at, clicks } => {
                    let left_s = left as f64 / self.rate;
                    let next = self.resume_after(left_s);
                    self.placed.retain(|p| p.span().1 <= left_s);
                    let at_s = at as f64 / self.rate;
                    self.planner = Planner::new(&self.playlist, clicks, next, at_s);
                    (replanned, skipped) = (true, true);
                    moved_to = moved_to.max(at);
                }
                Moved::Jumped { at } => moved_to = moved_to.max(at),
            }
        }
        if replanned {
            self.planner_done = false;
            let tracks = self.placed.iter().map(|p| self.in_frames(p)).collect();
            self.music.replace(tracks);
        }
        let position = self.fill.health().position.load(Ordering::Relaxed);
        let reach = self.fill.health().reach.load(Ordering::Relaxed) as i64;
        let earliest = moved_to.max(position) + reach + self.frames(REPLAN_MARGIN_S);
        let cut = if !replanned && moved_to <= self.made {
            // A jump within what is queued: the music goes on as it is.
            self.made
        } else {
            earliest
        };
        self.fill.cutover(Cutover {
            epoch: self.epoch,
            at: cut,
        });
        if cut != self.made || replanned {
            self.cut_at(cut, !skipped && cut < self.made);
        }
    }

    /// Renders on from `cut`: crossfaded from what was queued there
    /// (`crossfade`), else faded in.
    fn cut_at(&mut self, cut: i64, crossfade: bool) {
        let start = 2 * (cut - self.history_from).max(0) as usize;
        let old: Vec<f32> = if crossfade {
            let length = 2 * self.frames(SPLICE_S) as usize;
            self.history
                .range(start.min(self.history.len())..)
                .take(length)
                .copied()
                .collect()
        } else {
            Vec::new()
        };
        if (self.history_from..=self.made).contains(&cut) {
            self.history.truncate(start);
        } else {
            self.history.clear();
            self.history_from = cut;
        }
        self.splice = Some(Splice { at: cut, old });
        self.made = cut;
    }
}

#[cfg(test)]
mod tests;

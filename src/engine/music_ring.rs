//! Live music through a ring: the audio thread only copies. A worker
//! ([`super::music_worker`]) stretches the music ahead into blocks stamped
//! with their session frame; the renderer's feed ([`RingFeed`]) mixes the
//! block frames its clock asks for, drops what is behind, plays silence
//! for what is missing (counted), and never waits. Three rtrb rings join
//! them, all wait-free:
//!
//! - blocks, worker → audio: [`RING_LEAD_S`] of music ahead;
//! - moves, audio → worker: the session moved ([`Moved`]: a nudge, a skip,
//!   a catch-up), numbered by an *epoch* the feed counts up;
//! - cutovers, worker → audio: "for epoch E, my blocks start at frame C;
//!   blocks of older epochs are good only before C".
//!
//! A nudge therefore keeps the old music playing (off by well under a
//! millisecond) until the worker's re-planned music takes over at C, a
//! moment it chooses just ahead of the audio clock, crossfaded. A skip
//! drops the old blocks at once (they belong to the step left behind).

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;

use rtrb::{Consumer, Producer, RingBuffer};

use super::music_feed::{mix_stereo, Moved, MusicFeed};

/// Frames in one block of the ring: 10.7 ms at 48 kHz. Small enough that
/// a re-plan's first block is ready within a millisecond or two, large
/// enough that a block's stamp and the ring's bookkeeping cost nothing
/// beside its samples (4 KB).
pub const BLOCK_FRAMES: usize = 512;

/// How far ahead of the audio clock the worker keeps the ring filled.
/// The worker never reads a file itself (tracks are decoded on a thread
/// of their own, a whole track ahead), so the lead covers the rest: the
/// worker descheduled on a busy two-core machine, a re-plan refilling
/// the ring, and the rare track that must be decoded when it is reached
/// (a nudge changed which track fits next). Decoding and resampling an
/// MP3 takes 0.34 s a minute of music here (docs/music.md), 1.4 s for a
/// 4-minute track: 4 s covers that on a disk twice as slow as this one,
/// or a disk spinning up (1–3 s), for 1.5 MB of memory at 48 kHz.
pub const RING_LEAD_S: f64 = 4.0;

/// Moves the audio thread can queue for the worker: far more than the
/// commands it can take in one block (64), and the worker reads them every
/// few milliseconds.
const MOVE_SLOTS: usize = 256;

/// One block of stereo music on the session clock.
#[derive(Clone, Copy)]
pub struct MusicBlock {
    /// The re-plan it was rendered for.
    pub epoch: u32,
    /// Session frame of its first frame.
    pub from: i64,
    /// Whether a track sounds at its last frame.
    pub sounding: bool,
    /// The track it ends on, for the runner's screen.
    pub now: Option<NowPlaying>,
    /// Interleaved stereo.
    pub samples: [f32; 2 * BLOCK_FRAMES],
}

/// The track sounding (the newest, in a crossfade) and the speed it plays
/// at there (1 = unstretched).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NowPlaying {
    /// Its place in the playlist.
    pub track: u32,
    pub speed: f32,
}

/// The worker's answer to a move: its blocks for `epoch` start at `at`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cutover {
    pub epoch: u32,
    pub at: i64,
}

/// What the feed tells the worker and anyone watching: counters and the
/// clock.
#[derive(Debug, Default)]
pub struct MusicHealth {
    /// The session frame after the last one mixed.
    pub position: AtomicI64,
    /// Most frames mixed in one call: the audio callback's reach ahead.
    pub reach: AtomicU64,
    /// Frames mixed from the ring (silence where no track plays included).
    pub played_frames: AtomicU64,
    /// Times the ring ran dry...
    pub underruns: AtomicU64,
    /// ... and the frames played as silence for it.
    pub underrun_frames: AtomicU64,
    /// Frames played as silence after a skip, before the worker's new
    /// music arrived (expected: a block or two).
    pub replan_frames: AtomicU64,
    /// Moves the worker never heard (the move ring was full; never seen).
    pub lost_moves: AtomicU64,
    /// The track of the last block mixed (`NowPlaying` packed: 0 for none,
    /// else the track + 1 above the speed's bits), as the runner hears it.
    pub now_playing: AtomicU64,
}

impl MusicHealth {
    /// The track the runner hears now, if any.
    pub fn now_playing(&self) -> Option<NowPlaying> {
        let packed = self.now_playing.load(Ordering::Relaxed);
        let track = (packed >> 32) as u32;
        (track > 0).then(|| NowPlaying {
            track: track - 1,
            speed: f32::from_bits(packed as u32),
        })
    }

    fn set_now_playing(&self, now: Option<NowPlaying>) {
        let packed = now.map_or(0, |n| {
            (u64::from(n.track.saturating_add(1)) << 32) | u64::from(n.speed.to_bits())
        });
        self.now_playing.store(packed, Ordering::Relaxed);
    }
}

/// The audio thread's end.
pub struct RingFeed {
    blocks: Consumer<MusicBlock>,
    moves: Producer<(u32, Moved)>,
    cutovers: Consumer<Cutover>,
    health: Arc<MusicHealth>,
    /// The latest move's epoch.
    epoch: u32,
    /// Blocks of epochs before this are dropped (a skip left them behind).
    drop_below: u32,
    /// The first cutover not yet reached by the blocks being played.
    next_cut: Option<Cutover>,
    /// The epoch of the last block played.
    playing_epoch: u32,
    /// Whether the last frame mixed had a track.
    sounding: bool,
}

/// The worker's end.
pub struct RingFill {
    blocks: Producer<MusicBlock>,
    moves: Consumer<(u32, Moved)>,
    cutovers: Producer<Cutover>,
    health: Arc<MusicHealth>,
}

/// A ring of `lead_s` of music at `rate` from session frame `start`.
pub fn music_ring(rate: u32, lead_s: f64, start: i64) -> (RingFeed, RingFill) {
    let slots = ((lead_s * f64::from(rate)) / BLOCK_FRAMES as f64)
        .ceil()
        .max(2.0) as usize;
    let (blocks_tx, blocks_rx) = RingBuffer::new(slots);
    let (moves_tx, moves_rx) = RingBuffer::new(MOVE_SLOTS);
    let (cuts_tx, cuts_rx) = RingBuffer::new(MOVE_SLOTS);
    let health = Arc::new(MusicHealth::default());
    health.position.store(start, Ordering::Relaxed);
    let feed = RingFeed {
        blocks: blocks_rx,
        moves: moves_tx,
        cutovers: cuts_rx,
        health: Arc::clone(&health),
        epoch: 0,
        drop_below: 0,
        next_cut: None,
        playing_epoch: 0,
        sounding: false,
    };
    let fill = RingFill {
        blocks: blocks_tx,
        moves: moves_rx,
        cutovers: cuts_tx,
        health,
    };
    (feed, fill)
}

impl RingFeed {
    pub fn health(&self) -> Arc<MusicHealth> {
        Arc::clone(&self.health)
    }

    /// Where the front block's epoch stops being good: the first cutover
    /// of a later epoch (cutovers come in epoch order).
    fn limit(&mut self, epoch: u32) -> i64 {
        while self.next_cut.is_none_or(|c| c.epoch <= epoch) {
            match self.cutovers.pop() {
                Ok(cut) => self.next_cut = Some(cut),
                Err(_) => {
                    self.next_cut = None;
                    break;
                }
            }
        }
        self.next_cut.map_or(i64::MAX, |c| c.at)
    }

    fn drop_front(&mut self) {
        if let Ok(chunk) = self.blocks.read_chunk(1) {
            chunk.commit_all();
        }
    }

    /// Mixes the ring's music for `frames` frames from session frame
    /// `from`; returns the frames it had none for.
    fn mix_from_ring(
        &mut self,
        from: i64,
        out: &mut [f32],
        channels: usize,
        at: usize,
        frames: usize,
        gain: f32,
    ) -> usize {
        let end = from + frames as i64;
        let mut frame = from;
        self.sounding = false;
        while frame < end {
            let Ok(&MusicBlock {
                epoch,
                from: start,
                sounding,
                now,
                ..
            }) = self.blocks.peek()
            else {
                self.sounding = false;
                return (end - frame) as usize;
            };
            if epoch < self.drop_below {
                self.drop_front();
                continue;
            }
            let block_end = (start + BLOCK_FRAMES as i64).min(self.limit(epoch));
            if block_end <= frame {
                self.drop_front();
                continue;
            }
            if start > frame {
                // Music resumes further on (after a skip): silence till then.
                frame = start.min(end);
                self.sounding = false;
                continue;
            }
            let stop = block_end.min(end);
            let (offset, n) = ((frame - start) as usize, (stop - frame) as usize);
            if let Ok(block) = self.blocks.peek() {
                let music = &block.samples[2 * offset..2 * (offset + n)];
                mix_stereo(music, out, channels, at + (frame - from) as usize, gain);
            }
            self.playing_epoch = epoch;
            self.sounding = sounding;
            self.health.set_now_playing(now);
            frame = stop;
            if stop == block_end {
                self.drop_front();
            }
        }
        0
    }
}

impl MusicFeed for RingFeed {
    fn mix(
        &mut self,
        from: i64,
        out: &mut [f32],
        channels: usize,
        at: usize,
        frames: usize,
        gain: f32,
    ) {
        let missing = self.mix_from_ring(from, out, channels, at, frames, gain) as u64;
        let played = frames as u64 - missing;
        self.health
            .played_frames
            .fetch_add(played, Ordering::Relaxed);
        if missing > 0 {
            // After a move the worker's answer is a block or two away:
            // that silence is the move's, not an under-run.
            if self.epoch > self.playing_epoch && self.drop_below == self.epoch {
                self.health
                    .replan_frames
                    .fetch_add(missing, Ordering::Relaxed);
            } else {
                self.health.underruns.fetch_add(1, Ordering::Relaxed);
                self.health
                    .underrun_frames
                    .fetch_add(missing, Ordering::Relaxed);
            }
        }
        let end = from + frames as i64;
        self.health.position.store(end, Ordering::Relaxed);
        self.health
            .reach
            .fetch_max(frames as u64, Ordering::Relaxed);
    }

    fn sounding(&self) -> bool {
        self.sounding
    }

    fn moved(&mut self, moved: Moved) {
        self.epoch += 1;
        if matches!(moved, Moved::Skipped { .. }) {
            self.drop_below = self.epoch;
        }
        if self.moves.push((self.epoch, moved)).is_err() {
            self.health.lost_moves.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl RingFill {
    pub fn health(&self) -> &MusicHealth {
        &self.health
    }

    /// The moves since the last call, oldest first.
    pub fn moves(&mut self) -> impl Iterator<Item = (u32, Moved)> + '_ {
        std::iter::from_fn(|| self.moves.pop().ok())
    }

    /// Whether a move is waiting.
    pub fn moved(&self) -> bool {
        !self.moves.is_empty()
    }

    /// Whether the ring has room for another block.
    pub fn has_room(&self) -> bool {
        self.blocks.slots() > 0
    }

    /// Queues a block; `false` (the block dropped) when the ring is full.
    pub fn push(&mut self, block: MusicBlock) -> bool {
        self.blocks.push(block).is_ok()
    }

    /// Announces where `epoch`'s blocks start.
    pub fn cutover(&mut self, cutover: Cutover) {
        // The ring holds as many cutovers as moves: never full.
        let _ = self.cutovers.push(cutover);
    }

    /// The feed is gone (its stream closed): the worker's cue to stop.
    pub fn abandoned(&self) -> bool {
        self.blocks.is_abandoned()
    }
}

#[cfg(test)]
mod tests;

//! The music as the audio thread played it, for a listener that must not
//! take its beats for steps (the footstrike detector, told by `run --mic`).
//!
//! While a tap is on, the renderer mixes each run of music into a scratch
//! block first, adds that to the output, and keeps a mono copy (the
//! *stem*: exactly what the music put in the block, ducking and volume
//! included). At the end of the block the stem leaves through a wait-free
//! ring in chunks stamped with the device frame of their first sample, so
//! the listener can place them on its own clock. Nothing here allocates
//! after `MusicTap::new`; a full ring drops chunks (the listener then
//! knows nothing of that music and hears as it would without being told).

use rtrb::{Consumer, Producer, RingBuffer};

use super::music_feed::{mix_stereo, MusicFeed};
use crate::units::DeviceFrame;

/// Frames in one chunk: 5.3 ms at 48 kHz.
pub const CHUNK_FRAMES: usize = 256;
/// Chunks the ring holds: 5.5 s at 48 kHz, for a listener that wakes
/// every few milliseconds.
const CHUNK_SLOTS: usize = 1024;
/// The longest block tapped whole (frames): larger than any output buffer
/// a stream asks for. A longer block's music is played, not tapped.
const LONGEST_BLOCK: usize = 16_384;

/// A run of the music's stem (mono) from device frame `from`.
#[derive(Clone, Copy)]
pub struct MusicChunk {
    pub from: DeviceFrame,
    pub len: usize,
    pub samples: [f32; CHUNK_FRAMES],
}

pub struct MusicTap {
    scratch: Vec<f32>,
    stem: Vec<f32>,
    /// Frames of the block being rendered (0: too long to tap).
    frames: usize,
    chunks: Producer<MusicChunk>,
}

impl MusicTap {
    /// A tap and the listener's end of its ring.
    pub fn new() -> (MusicTap, Consumer<MusicChunk>) {
        let (chunks, listener) = RingBuffer::new(CHUNK_SLOTS);
        let tap = MusicTap {
            scratch: vec![0.0; 2 * LONGEST_BLOCK],
            stem: vec![0.0; LONGEST_BLOCK],
            frames: 0,
            chunks,
        };
        (tap, listener)
    }

    /// A block of `frames` begins: its stem is silence until music is mixed.
    pub fn begin(&mut self, frames: usize) {
        self.frames = if frames <= LONGEST_BLOCK { frames } else { 0 };
        self.stem[..self.frames].fill(0.0);
    }

    /// Mixes `feed`'s music for session frames `from..from + frames` into
    /// `out` at frame `at`, as `MusicFeed::mix` would, keeping its stem.
    #[allow(clippy::too_many_arguments)]
    pub fn mix(
        &mut self,
        feed: &mut dyn MusicFeed,
        from: i64,
        out: &mut [f32],
        channels: usize,
        at: usize,
        frames: usize,
        gain: f32,
    ) {
        if at + frames > self.frames {
            feed.mix(from, out, channels, at, frames, gain);
            return;
        }
        let scratch = &mut self.scratch[..2 * frames];
        scratch.fill(0.0);
        feed.mix(from, scratch, 2, 0, frames, gain);
        mix_stereo(scratch, out, channels, at, 1.0);
        for (mono, pair) in self.stem[at..at + frames]
            .iter_mut()
            .zip(scratch.chunks_exact(2))
        {
            *mono = 0.5 * (pair[0] + pair[1]);
        }
    }

    /// The block that began at device frame `start` is rendered: its stem
    /// goes to the listener.
    pub fn publish(&mut self, start: DeviceFrame) {
        for (index, part) in self.stem[..self.frames].chunks(CHUNK_FRAMES).enumerate() {
            let mut chunk = MusicChunk {
                from: DeviceFrame(start.0 + (index * CHUNK_FRAMES) as u64),
                len: part.len(),
                samples: [0.0; CHUNK_FRAMES],
            };
            chunk.samples[..part.len()].copy_from_slice(part);
            if self.chunks.push(chunk).is_err() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Music whose left channel is its session frame and right its negative
    /// plus one: every frame's stem is 0.5 · gain.
    struct Counting;

    impl MusicFeed for Counting {
        fn mix(
            &mut self,
            from: i64,
            out: &mut [f32],
            channels: usize,
            at: usize,
            frames: usize,
            gain: f32,
        ) {
            for i in 0..frames {
                let frame = (from + i as i64) as f32;
                let music = [frame, 1.0 - frame];
                mix_stereo(&music, out, channels, at + i, gain);
            }
        }

        fn sounding(&self) -> bool {
            true
        }
    }

    #[test]
    fn the_stem_is_the_music_mixed_and_leaves_dated_by_device_frame() {
        let (mut tap, mut listener) = MusicTap::new();
        let mut out = vec![0.25f32; 2 * 600];
        tap.begin(600);
        // Music from frame 100 of the block on (a lead-in before it).
        tap.mix(&mut Counting, 0, &mut out, 2, 100, 500, 0.5);
        tap.publish(DeviceFrame(48_000));
        assert_eq!(out[2 * 99], 0.25);
        assert_eq!(out[2 * 100], 0.25);
        assert_eq!(out[2 * 101 + 1], 0.25 + 0.5 * (1.0 - 1.0));
        assert_eq!(out[2 * 110], 0.25 + 0.5 * 10.0);
        let mut chunks = Vec::new();
        while let Ok(chunk) = listener.pop() {
            chunks.push(chunk);
        }
        let starts: Vec<u64> = chunks.iter().map(|c| c.from.0).collect();
        assert_eq!(starts, [48_000, 48_256, 48_512]);
        assert_eq!(chunks[2].len, 600 - 512);
        let stem: Vec<f32> = chunks
            .iter()
            .flat_map(|c| c.samples[..c.len].to_vec())
            .collect();
        assert!(stem[..100].iter().all(|x| *x == 0.0));
        assert!(
            stem[100..].iter().all(|x| *x == 0.25),
            "{:?}",
            &stem[95..105]
        );
    }

    #[test]
    fn a_block_too_long_to_tap_still_plays_its_music() {
        let (mut tap, mut listener) = MusicTap::new();
        let frames = LONGEST_BLOCK + 1;
        let mut out = vec![0.0f32; frames];
        tap.begin(frames);
        tap.mix(&mut Counting, 0, &mut out, 1, 0, frames, 1.0);
        tap.publish(DeviceFrame(0));
        assert!(out.iter().all(|x| *x == 0.5));
        assert!(listener.pop().is_err());
    }
}

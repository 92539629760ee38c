//! "Device frame F starts playing at N ns on the stream's clock", written
//! by the audio callback after each block and read by threads that must
//! act when audio is heard (the MIDI sender).
//!
//! A sequence lock over three atomics: the callback's write is three
//! stores and never waits; a reader retries on the rare torn read. No
//! allocation, no lock, no syscall on the audio thread.

use std::sync::atomic::{fence, AtomicU64, Ordering};

#[derive(Debug, Default)]
pub struct PlaybackStamp {
    /// Even when stable, odd while the callback writes.
    sequence: AtomicU64,
    device_frame: AtomicU64,
    playback_ns: AtomicU64,
}

impl PlaybackStamp {
    /// The callback's side: the block starting at `device_frame` plays at
    /// `playback_ns` (the stream clock: cpal's `StreamInstant`).
    pub fn publish(&self, device_frame: u64, playback_ns: u64) {
        let sequence = self.sequence.load(Ordering::Relaxed);
        self.sequence
            .store(sequence.wrapping_add(1), Ordering::Relaxed);
        fence(Ordering::Release);
        self.device_frame.store(device_frame, Ordering::Relaxed);
        self.playback_ns.store(playback_ns, Ordering::Relaxed);
        self.sequence
            .store(sequence.wrapping_add(2), Ordering::Release);
    }

    /// The latest stamp, `None` before the first block.
    pub fn read(&self) -> Option<(u64, u64)> {
        loop {
            let before = self.sequence.load(Ordering::Acquire);
            if before == 0 {
                return None;
            }
            if before % 2 == 1 {
                std::hint::spin_loop();
                continue;
            }
            let frame = self.device_frame.load(Ordering::Relaxed);
            let ns = self.playback_ns.load(Ordering::Relaxed);
            fence(Ordering::Acquire);
            if self.sequence.load(Ordering::Relaxed) == before {
                return Some((frame, ns));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn readers_never_see_a_torn_stamp() {
        let stamp = Arc::new(PlaybackStamp::default());
        assert_eq!(stamp.read(), None);
        let writer = {
            let stamp = Arc::clone(&stamp);
            std::thread::spawn(move || {
                for i in 1..200_000u64 {
                    stamp.publish(i, i * 3);
                }
            })
        };
        while !writer.is_finished() {
            if let Some((frame, ns)) = stamp.read() {
                assert_eq!(ns, frame * 3);
            }
        }
        writer.join().unwrap();
        assert_eq!(stamp.read(), Some((199_999, 599_997)));
    }
}

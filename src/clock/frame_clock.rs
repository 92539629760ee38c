//! Wall-clock stamps of audio callbacks, and the clock model that turns
//! them into "when did frame N play (or get captured)".
//!
//! Over the ALSA pulse plugin input and output streams have timestamps
//! with different origins, so both are stamped with one `Instant` in their
//! callbacks. A callback is woken late by a varying amount but never early;
//! so the least-delayed stamp of the last few seconds is the best estimate
//! of where the stream's frames sit in time.

use std::collections::VecDeque;
use std::time::Instant;

/// One callback: when it ran, and the stream's frame count at that moment
/// (after the block for input, before it for output).
#[derive(Debug, Clone, Copy)]
pub struct Stamp {
    pub at: Instant,
    pub frames: u64,
}

/// How long the clock model remembers stamps: long enough to hold a few
/// dozen callbacks, short enough that a stream that slipped (frames lost
/// in an overrun) is followed within a second.
const WINDOW_S: f64 = 1.0;

/// Maps a stream's frames to seconds since `epoch`, and back.
#[derive(Debug, Clone)]
pub struct FrameClock {
    epoch: Instant,
    rate: f64,
    /// (seconds since epoch − frames / rate) per stamp, with its time.
    offsets: VecDeque<(f64, f64)>,
    best: Option<f64>,
}

impl FrameClock {
    pub fn new(epoch: Instant, rate: u32) -> FrameClock {
        FrameClock {
            epoch,
            rate: f64::from(rate),
            offsets: VecDeque::new(),
            best: None,
        }
    }

    pub fn add(&mut self, stamp: Stamp) {
        let t = stamp.at.saturating_duration_since(self.epoch).as_secs_f64();
        let offset = t - stamp.frames as f64 / self.rate;
        self.offsets.push_back((t, offset));
        while self
            .offsets
            .front()
            .is_some_and(|(at, _)| t - at > WINDOW_S)
        {
            self.offsets.pop_front();
        }
        self.best = self.offsets.iter().map(|(_, o)| *o).reduce(f64::min);
    }

    /// Seconds since the epoch of frame `frame`.
    pub fn time_of(&self, frame: f64) -> Option<f64> {
        Some(self.best? + frame / self.rate)
    }

    /// The (fractional) frame at `t` seconds since the epoch.
    pub fn frame_at(&self, t: f64) -> Option<f64> {
        Some((t - self.best?) * self.rate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_least_delayed_callback_sets_the_clock() {
        let epoch = Instant::now();
        let mut clock = FrameClock::new(epoch, 48000);
        for (k, late_ms) in [(1u64, 3.0), (2, 0.5), (3, 7.0), (4, 1.0)] {
            let frames = k * 480;
            let at = epoch + Duration::from_secs_f64(frames as f64 / 48000.0 + late_ms / 1000.0);
            clock.add(Stamp { at, frames });
        }
        let t = clock.time_of(48000.0).unwrap();
        assert!((t - 1.0005).abs() < 1e-6, "{t}");
        assert!((clock.frame_at(1.0005).unwrap() - 48000.0).abs() < 1e-3);
    }
}

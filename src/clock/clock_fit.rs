//! Where the audio clock is on the wall clock: from stamps "device frame F
//! starts playing at N ns" (taken in the audio callback), the offset
//! N − F/rate, smoothed as the median of the last stamps.
//!
//! Why a median: each stamp is the callback's wake-up time plus the delay
//! the device reports, and either can be off by a scheduling hiccup; the
//! median of a short window ignores those while still following the slow
//! drift between a sound card's crystal and the system clock (at 100 ppm,
//! 32 blocks of 21 ms lag it by under 0.1 ms).

/// Stamps kept for the median.
const WINDOW: usize = 32;

#[derive(Debug, Clone)]
pub struct ClockFit {
    rate: f64,
    offsets: [f64; WINDOW],
    len: usize,
    next: usize,
    last_frame: Option<u64>,
}

impl ClockFit {
    pub fn new(rate: u32) -> ClockFit {
        ClockFit {
            rate: f64::from(rate),
            offsets: [0.0; WINDOW],
            len: 0,
            next: 0,
            last_frame: None,
        }
    }

    /// Adds a stamp; a repeat of the latest device frame is ignored, a
    /// frame going back (a new stream) starts over.
    pub fn add(&mut self, device_frame: u64, playback_ns: u64) {
        match self.last_frame {
            Some(last) if last == device_frame => return,
            Some(last) if device_frame < last => {
                self.len = 0;
                self.next = 0;
            }
            _ => {}
        }
        self.last_frame = Some(device_frame);
        self.offsets[self.next] = playback_ns as f64 - device_frame as f64 * 1e9 / self.rate;
        self.next = (self.next + 1) % WINDOW;
        self.len = (self.len + 1).min(WINDOW);
    }

    /// Which device frame (fractional) plays at `playback_ns`: the
    /// inverse of `playback_ns`, for stamping incoming events.
    pub fn frame_at(&self, playback_ns: f64) -> Option<f64> {
        let zero = self.playback_ns(0.0)?;
        Some((playback_ns - zero) * self.rate / 1e9)
    }

    /// When device frame `frame` (fractional) plays, in ns on the stamps'
    /// clock; `None` before the first stamp.
    pub fn playback_ns(&self, frame: f64) -> Option<f64> {
        if self.len == 0 {
            return None;
        }
        let mut window = self.offsets;
        let window = &mut window[..self.len];
        window.sort_by(f64::total_cmp);
        let median = if self.len % 2 == 1 {
            window[self.len / 2]
        } else {
            (window[self.len / 2 - 1] + window[self.len / 2]) / 2.0
        };
        Some(median + frame * 1e9 / self.rate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_callback_does_not_move_the_fit() {
        let mut fit = ClockFit::new(48000);
        for block in 0..20u64 {
            let frame = block * 480;
            // 10 ms blocks starting at 5 ms; block 7 reported 3 ms late.
            let late = if block == 7 { 3_000_000 } else { 0 };
            fit.add(frame, 5_000_000 + block * 10_000_000 + late);
        }
        let at = fit.playback_ns(48000.0).unwrap();
        assert!((at - 1_005_000_000.0).abs() < 1.0, "{at}");
        assert!((fit.frame_at(at).unwrap() - 48000.0).abs() < 1e-6);
    }

    #[test]
    fn a_new_stream_starts_over() {
        let mut fit = ClockFit::new(1000);
        fit.add(1000, 2_000_000_000);
        fit.add(10, 7_000_000_000);
        assert_eq!(fit.playback_ns(10.0), Some(7_000_000_000.0));
        assert_eq!(ClockFit::new(1000).playback_ns(0.0), None);
    }
}

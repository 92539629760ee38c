//! The coach's own voice, as the microphone hears it through speakers.
//!
//! Speech is a string of onsets in every band a footstrike uses: syllables
//! would be heard as steps. Unlike a click it has no fixed sound to subtract,
//! and its fundamental leaks even into the lowest band (through the null
//! sink a syllable out of silence rose far enough there alone to pass for a
//! step), so while the coach speaks (as the engine reports it, a block at a
//! time, placed on the microphone's clock) the detector does not listen at
//! all, with a margin either side for the calibration's spread and the
//! room's tail. Steps in those seconds go unheard, which the cadence and the
//! drift rules tolerate (a missed step counts as two intervals); a syllable
//! taken for a step would not be tolerated.

use super::params::VoiceParams;

/// Spans remembered ahead of the microphone.
const SLOTS: usize = 8;
/// Stretches of the app's speech on the microphone's sample clock.
pub struct VoiceGate {
    /// (first, last) sample of each span, margins included.
    spans: [(u64, u64); SLOTS],
    len: usize,
    /// The last span's end is not known yet (it lasts `longest` until then).
    last_open: bool,
    before: u64,
    after: u64,
    longest: u64,
}

impl VoiceGate {
    /// The gate as shipped (`VoiceParams::default()`).
    pub fn new(sample_rate: u32) -> VoiceGate {
        VoiceGate::with_params(sample_rate, VoiceParams::default())
    }

    pub fn with_params(sample_rate: u32, p: VoiceParams) -> VoiceGate {
        let sr = f64::from(sample_rate);
        VoiceGate {
            spans: [(0, 0); SLOTS],
            len: 0,
            last_open: false,
            before: (p.before_s * sr) as u64,
            after: (p.after_s * sr) as u64,
            longest: (p.longest_s * sr) as u64,
        }
    }

    /// Speech reaches the microphone from sample `frame` on, until `until`
    /// says otherwise. When the memory is full the oldest span is dropped.
    pub fn from(&mut self, frame: u64) {
        if self.len == SLOTS {
            self.spans.copy_within(1.., 0);
            self.len -= 1;
        }
        let first = frame.saturating_sub(self.before);
        self.spans[self.len] = (first, first.saturating_add(self.longest));
        self.len += 1;
        self.last_open = true;
    }

    /// The speech that began last falls silent at sample `frame`.
    pub fn until(&mut self, frame: u64) {
        if !self.last_open {
            return;
        }
        self.last_open = false;
        if let Some(open) = self.spans[..self.len].last_mut() {
            open.1 = frame.saturating_add(self.after).max(open.0);
        }
    }

    /// Whether sample `frame` is not to be listened to (frames must come
    /// in order: spans behind them are forgotten).
    pub fn gated(&mut self, frame: u64) -> bool {
        while self.len > 0 && self.spans[0].1 < frame {
            self.spans.copy_within(1.., 0);
            self.len -= 1;
        }
        if self.len == 0 {
            self.last_open = false;
        }
        self.spans[..self.len]
            .iter()
            .any(|(first, last)| (*first..=*last).contains(&frame))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gates_from_just_before_the_voice_to_just_after_it() {
        let mut gate = VoiceGate::new(1000);
        gate.from(1000);
        assert!(!gate.gated(900));
        assert!(gate.gated(985), "within the calibration margin");
        assert!(gate.gated(5000), "still speaking: the end is not known");
        gate.until(6000);
        assert!(gate.gated(6050), "the room's tail");
        assert!(!gate.gated(6100));
        assert_eq!(gate.len, 0, "a span behind the microphone is forgotten");
    }

    #[test]
    fn a_voice_whose_end_never_came_stops_gating_after_thirty_seconds() {
        let mut gate = VoiceGate::new(1000);
        gate.from(1000);
        assert!(gate.gated(30_900));
        assert!(!gate.gated(31_100));
        gate.until(40_000);
        assert!(!gate.gated(40_050), "a late end reopens nothing");
    }

    #[test]
    fn spans_queue_up_ahead_of_the_microphone() {
        let mut gate = VoiceGate::new(1000);
        gate.from(100);
        gate.until(200);
        gate.from(1000);
        gate.until(1100);
        assert!(gate.gated(150));
        assert!(!gate.gated(500));
        assert!(gate.gated(1050));
        assert!(!gate.gated(1300));
    }
}

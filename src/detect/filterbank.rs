//! The detector's ears: a small bank of band-pass filters whose energy
//! envelopes are read once per hop (1 ms) as levels in dB.
//!
//! Bands, not an FFT: a footstrike is a broadband thump, motor hum and belt
//! noise are steady, and a click is narrow and high. Six bands are enough
//! to tell them apart, cost a few multiplies per sample, and add only the
//! filters' own short delay, so a step can be reported within the 40 ms
//! the coach needs. The low octaves are split in two because that is where
//! a heavy deck booms and where hum and belt rumble live: a band that holds
//! the rumble alone then stays flat while the boom next to it rises. The
//! middle is split so that a click (narrow, high) and a shoe's slap fall in
//! different bands, and a step on the beat is still heard beside the click.

use super::biquad::Biquad;

/// Band edges in Hz: deck boom (two octaves), body of the strike, shoe
/// slap (two bands), hiss.
pub const BANDS: [(f64, f64); BAND_COUNT] = [
    (40.0, 80.0),
    (80.0, 160.0),
    (160.0, 400.0),
    (400.0, 1000.0),
    (1000.0, 2500.0),
    (2500.0, 7000.0),
];
pub const BAND_COUNT: usize = 6;
/// One envelope reading per millisecond.
pub const HOP_S: f64 = 0.001;
/// Envelope smoothing per band: in the lowest band long enough to iron out
/// its own ripple and the slow flutter of hum and rumble (which would
/// otherwise look like small onsets), short elsewhere to keep attacks sharp.
const SMOOTH_S: [f64; BAND_COUNT] = [0.012, 0.012, 0.004, 0.003, 0.002, 0.002];
/// Levels never fall below this (dB re full scale): digital silence must
/// not look like a deep hole that any noise climbs out of as an "onset".
pub const FLOOR_DB: f32 = -120.0;

/// One band: two cascaded sections (fourth order) and an envelope follower.
#[derive(Debug, Clone, Copy)]
struct Band {
    sections: [Biquad; 2],
    /// Per-sample smoothing coefficient of the squared signal.
    smooth: f64,
    envelope: f64,
}

/// Turns samples into one `[f32; BAND_COUNT]` of dB levels per hop.
#[derive(Debug, Clone)]
pub struct FilterBank {
    bands: [Band; BAND_COUNT],
    hop_samples: usize,
    in_hop: usize,
}

impl FilterBank {
    pub fn new(sample_rate: u32) -> FilterBank {
        let sr = f64::from(sample_rate);
        let nyquist_room = 0.45 * sr;
        let bands = std::array::from_fn(|i| {
            let (lo, hi) = BANDS[i];
            // Low sample rates lose the top of the upper bands, not the band.
            let hi = hi.min(nyquist_room).max(lo * 1.5);
            let lo = lo.min(hi / 1.5);
            let centre = (lo * hi).sqrt();
            let q = centre / (hi - lo);
            Band {
                sections: [Biquad::band_pass(centre, q, sr); 2],
                smooth: 1.0 - (-1.0 / (SMOOTH_S[i] * sr)).exp(),
                envelope: 0.0,
            }
        });
        FilterBank {
            bands,
            hop_samples: ((HOP_S * sr).round() as usize).max(1),
            in_hop: 0,
        }
    }

    /// Samples per hop at this rate.
    pub fn hop_samples(&self) -> usize {
        self.hop_samples
    }

    /// Feeds one sample; returns the band levels when a hop completes.
    #[inline]
    pub fn push(&mut self, x: f32) -> Option<[f32; BAND_COUNT]> {
        let x = f64::from(x);
        for band in &mut self.bands {
            let first = band.sections[0].tick(x);
            let y = band.sections[1].tick(first);
            band.envelope += band.smooth * (y * y - band.envelope);
        }
        self.in_hop += 1;
        if self.in_hop < self.hop_samples {
            return None;
        }
        self.in_hop = 0;
        Some(std::array::from_fn(|i| {
            // Power of a full-scale sine is 0.5: +3 dB makes that 0 dBFS.
            let db = 10.0 * (self.bands[i].envelope + 1e-30).log10() + 3.0103;
            (db as f32).max(FLOOR_DB)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Band levels of a whole sound at its loudest.
    fn band_peaks(samples: &[f32], sample_rate: u32) -> [f32; BAND_COUNT] {
        let mut bank = FilterBank::new(sample_rate);
        let mut peaks = [FLOOR_DB; BAND_COUNT];
        let tail = (0.02 * f64::from(sample_rate)) as usize;
        for &x in samples.iter().chain(std::iter::repeat_n(&0.0, tail)) {
            if let Some(levels) = bank.push(x) {
                for (peak, level) in peaks.iter_mut().zip(levels) {
                    *peak = peak.max(level);
                }
            }
        }
        peaks
    }

    fn sine(hz: f64, seconds: f64, sr: u32) -> Vec<f32> {
        let n = (seconds * f64::from(sr)) as usize;
        (0..n)
            .map(|i| (std::f64::consts::TAU * hz * i as f64 / f64::from(sr)).sin() as f32)
            .collect()
    }

    #[test]
    fn a_tone_lights_its_own_band_and_not_the_others() {
        for sr in [16000, 44100, 48000, 96000] {
            for (band, &(low, high)) in BANDS.iter().enumerate() {
                let hz = (low * high).sqrt();
                let peaks = band_peaks(&sine(hz, 0.3, sr), sr);
                assert!(
                    peaks[band] > -1.5 && peaks[band] < 1.0,
                    "{sr} {hz}: {peaks:?}"
                );
                // Fourth-order octave-ish bands: a neighbour hears the
                // tone 10 dB down or more, any band farther away 18 dB.
                for (other, level) in peaks.iter().enumerate() {
                    let apart = other.abs_diff(band);
                    let rejection = match apart {
                        0 => continue,
                        1 => 10.0,
                        _ => 18.0,
                    };
                    assert!(*level < peaks[band] - rejection, "{sr} {hz}: {peaks:?}");
                }
            }
        }
    }

    #[test]
    fn one_reading_per_millisecond() {
        let mut bank = FilterBank::new(44100);
        let readings = (0..44100).filter_map(|_| bank.push(0.0)).count();
        assert_eq!(readings, 44100 / 44);
        assert!(bank.push(0.0).is_none() || bank.hop_samples() == 1);
    }
}

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

/// One section of every band, side by side: band `i`'s coefficients and
/// state are element `i` of each array. Laid out this way the six bands
/// are computed together with vector instructions (the bank was the
/// largest single cost of `detect`), each band exactly as a `Biquad`
/// would (the same operations in the same order: the same bits).
#[derive(Debug, Clone, Copy)]
struct Sections {
    b0: [f64; BAND_COUNT],
    b1: [f64; BAND_COUNT],
    b2: [f64; BAND_COUNT],
    a1: [f64; BAND_COUNT],
    a2: [f64; BAND_COUNT],
    z1: [f64; BAND_COUNT],
    z2: [f64; BAND_COUNT],
}

impl Sections {
    fn new(filters: [Biquad; BAND_COUNT]) -> Sections {
        let c = filters.map(|f| f.coefficients());
        Sections {
            b0: std::array::from_fn(|i| c[i][0]),
            b1: std::array::from_fn(|i| c[i][1]),
            b2: std::array::from_fn(|i| c[i][2]),
            a1: std::array::from_fn(|i| c[i][3]),
            a2: std::array::from_fn(|i| c[i][4]),
            z1: [0.0; BAND_COUNT],
            z2: [0.0; BAND_COUNT],
        }
    }

    /// Band `i` filters `x[i]`, in place (transposed direct form II).
    /// Indexed, not zipped: seven arrays in step read best as the formula.
    #[inline]
    #[allow(clippy::needless_range_loop)]
    fn tick(&mut self, x: &mut [f64; BAND_COUNT]) {
        for i in 0..BAND_COUNT {
            let y = self.b0[i] * x[i] + self.z1[i];
            self.z1[i] = self.b1[i] * x[i] - self.a1[i] * y + self.z2[i];
            self.z2[i] = self.b2[i] * x[i] - self.a2[i] * y;
            x[i] = y;
        }
    }
}

/// Turns samples into one `[f32; BAND_COUNT]` of dB levels per hop: per
/// band two cascaded band-pass sections (fourth order) and an envelope
/// follower.
#[derive(Debug, Clone)]
pub struct FilterBank {
    sections: [Sections; 2],
    /// Per-sample smoothing coefficient of the squared signal, per band.
    smooth: [f64; BAND_COUNT],
    envelope: [f64; BAND_COUNT],
    hop_samples: usize,
    in_hop: usize,
}

impl FilterBank {
    pub fn new(sample_rate: u32) -> FilterBank {
        let sr = f64::from(sample_rate);
        let nyquist_room = 0.45 * sr;
        let filters: [Biquad; BAND_COUNT] = std::array::from_fn(|i| {
            let (lo, hi) = BANDS[i];
            // Low sample rates lose the top of the upper bands, not the band.
            let hi = hi.min(nyquist_room).max(lo * 1.5);
            let lo = lo.min(hi / 1.5);
            let centre = (lo * hi).sqrt();
            let q = centre / (hi - lo);
            Biquad::band_pass(centre, q, sr)
        });
        FilterBank {
            sections: [Sections::new(filters); 2],
            smooth: std::array::from_fn(|i| 1.0 - (-1.0 / (SMOOTH_S[i] * sr)).exp()),
            envelope: [0.0; BAND_COUNT],
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
        let mut y = [f64::from(x); BAND_COUNT];
        self.sections[0].tick(&mut y);
        self.sections[1].tick(&mut y);
        for ((envelope, smooth), y) in self.envelope.iter_mut().zip(&self.smooth).zip(y) {
            *envelope += smooth * (y * y - *envelope);
        }
        self.in_hop += 1;
        if self.in_hop < self.hop_samples {
            return None;
        }
        self.in_hop = 0;
        Some(std::array::from_fn(|i| {
            // Power of a full-scale sine is 0.5: +3 dB makes that 0 dBFS.
            let db = 10.0 * (self.envelope[i] + 1e-30).log10() + 3.0103;
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

//! Second-order filter sections: the band-passes of the detector's filter
//! bank and the notches that take hum out before it.
//!
//! f64 throughout: the lowest bands and the hum notches have poles close
//! to the unit circle at high sample rates, where f32 coefficients would
//! move them audibly.

use std::f64::consts::TAU;

/// A second-order section, transposed direct form II.
#[derive(Debug, Clone, Copy, Default)]
pub struct Biquad {
    b0: f64,
    b1: f64,
    b2: f64,
    a1: f64,
    a2: f64,
    z1: f64,
    z2: f64,
}

impl Biquad {
    /// Band-pass with 0 dB at the centre (the audio cookbook's form).
    pub fn band_pass(centre_hz: f64, q: f64, sample_rate: f64) -> Biquad {
        let (cos, alpha) = Self::angle(centre_hz, q, sample_rate);
        Self::normalised([alpha, 0.0, -alpha], [1.0 + alpha, -2.0 * cos, 1.0 - alpha])
    }

    /// Notch: silence at `centre_hz`, unity far from it; `q` is the centre
    /// over the width of the notch at −3 dB.
    pub fn notch(centre_hz: f64, q: f64, sample_rate: f64) -> Biquad {
        let (cos, alpha) = Self::angle(centre_hz, q, sample_rate);
        Self::normalised(
            [1.0, -2.0 * cos, 1.0],
            [1.0 + alpha, -2.0 * cos, 1.0 - alpha],
        )
    }

    /// Takes another filter's coefficients and keeps this one's state, so
    /// that a notch can follow a tone that drifts without starting over
    /// (a small move of the coefficients is a small step in the output).
    pub fn retune(&mut self, to: Biquad) {
        *self = Biquad {
            z1: self.z1,
            z2: self.z2,
            ..to
        };
    }

    fn angle(centre_hz: f64, q: f64, sample_rate: f64) -> (f64, f64) {
        let w0 = TAU * centre_hz / sample_rate;
        (w0.cos(), w0.sin() / (2.0 * q))
    }

    fn normalised(b: [f64; 3], a: [f64; 3]) -> Biquad {
        Biquad {
            b0: b[0] / a[0],
            b1: b[1] / a[0],
            b2: b[2] / a[0],
            a1: a[1] / a[0],
            a2: a[2] / a[0],
            z1: 0.0,
            z2: 0.0,
        }
    }

    /// `[b0, b1, b2, a1, a2]`, normalised (a0 = 1).
    pub fn coefficients(&self) -> [f64; 5] {
        [self.b0, self.b1, self.b2, self.a1, self.a2]
    }

    #[inline]
    pub fn tick(&mut self, x: f64) -> f64 {
        let y = self.b0 * x + self.z1;
        self.z1 = self.b1 * x - self.a1 * y + self.z2;
        self.z2 = self.b2 * x - self.a2 * y;
        y
    }
}

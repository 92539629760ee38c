//! Which bands carry this runner's steps: each band's weight in the onset
//! curve, learned from the steps heard and the noise between them.
//!
//! Equal weights suit no room in particular. A heavy shoe on a booming
//! deck in a reverberant room puts its evidence in the two lowest bands,
//! while the upper bands rise about as often between steps (belt hiss, the
//! room's tail) as at them; a light forefoot runner is the other way round.
//! Summed equally, the bands that only carry noise bury a quiet foot. So
//! each band is weighted by how far the steps heard so far lift it above
//! its usual rise between steps, in units of that rise's spread (the
//! band's signal-to-noise ratio), the weights scaled to average 1.
//!
//! The weights are learned from the steps the detector accepted (mostly the
//! louder foot) and serve the quieter one, which sounds alike but fainter.
//! They sharpen the bands' sum against steady noise, but they also lift
//! the rare large flutter of a band that is quiet most of the time (deck
//! rumble), so the detector trusts the weighted sum only where a step is
//! due (see `onset`). Until a few steps have been heard every weight is 1.

use super::filterbank::BAND_COUNT;
use super::params::BandWeightParams;

#[derive(Debug, Clone)]
pub struct BandWeights {
    weights: [f32; BAND_COUNT],
    /// Each band's mean rise and mean squared rise between steps.
    noise_mean: [f32; BAND_COUNT],
    noise_square: [f32; BAND_COUNT],
    /// Each band's mean rise at the steps heard.
    step_mean: [f32; BAND_COUNT],
    steps: u32,
    p: BandWeightParams,
}

impl Default for BandWeights {
    fn default() -> BandWeights {
        BandWeights::new(BandWeightParams::default())
    }
}

impl BandWeights {
    pub fn new(p: BandWeightParams) -> BandWeights {
        BandWeights {
            weights: [1.0; BAND_COUNT],
            noise_mean: [0.0; BAND_COUNT],
            noise_square: [0.0; BAND_COUNT],
            step_mean: [0.0; BAND_COUNT],
            steps: 0,
            p,
        }
    }

    /// The weighted sum of one hop's band rises.
    pub fn weigh(&self, rises: &[f32; BAND_COUNT]) -> f32 {
        rises.iter().zip(&self.weights).map(|(r, w)| r * w).sum()
    }

    pub fn weights(&self) -> &[f32; BAND_COUNT] {
        &self.weights
    }

    /// One hop with no step in it, followed with smoothing `alpha`.
    pub fn observe_noise(&mut self, rises: &[f32; BAND_COUNT], alpha: f32) {
        for (band, rise) in rises.iter().enumerate() {
            self.noise_mean[band] += alpha * (rise - self.noise_mean[band]);
            self.noise_square[band] += alpha * (rise * rise - self.noise_square[band]);
        }
    }

    /// The band rises at a step the detector accepted.
    pub fn observe_step(&mut self, rises: &[f32; BAND_COUNT]) {
        self.steps += 1;
        let follow = (1.0 / self.steps as f32).max(self.p.step_follow);
        for (band, rise) in rises.iter().enumerate() {
            self.step_mean[band] += follow * (rise - self.step_mean[band]);
        }
        if self.steps >= self.p.steps_before_learning {
            self.relearn();
        }
    }

    fn relearn(&mut self) {
        let mut snr = [0.0f32; BAND_COUNT];
        for (band, s) in snr.iter_mut().enumerate() {
            let mean = self.noise_mean[band];
            let variance = (self.noise_square[band] - mean * mean).max(0.0);
            *s = (self.step_mean[band] - mean).max(0.0) / (variance + self.p.variance_floor).sqrt();
        }
        let total: f32 = snr.iter().sum();
        if total <= 0.0 {
            return;
        }
        for (w, s) in self.weights.iter_mut().zip(snr) {
            *w = (s * BAND_COUNT as f32 / total).clamp(self.p.lightest, self.p.heaviest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_until_steps_have_been_heard() {
        let mut weights = BandWeights::default();
        for _ in 0..BandWeightParams::default().steps_before_learning - 1 {
            weights.observe_step(&[10.0, 8.0, 1.0, 0.0, 0.0, 0.0]);
        }
        assert_eq!(weights.weights(), &[1.0; BAND_COUNT]);
    }

    #[test]
    fn bands_that_carry_the_steps_count_more_than_bands_that_carry_noise() {
        let mut weights = BandWeights::default();
        // Between steps: the low bands are still, the upper ones flutter.
        for k in 0..2000 {
            let flutter = if k % 2 == 0 { 3.0 } else { 0.0 };
            weights.observe_noise(&[0.0, 0.0, 0.5, flutter, flutter, flutter], 0.01);
        }
        // Steps: a boom in the low bands, a little in the upper ones.
        for _ in 0..20 {
            weights.observe_step(&[10.0, 7.0, 4.0, 1.5, 1.5, 1.0]);
        }
        let w = weights.weights();
        assert!(w[0] > w[1] && w[1] > w[2] && w[2] > w[3], "{w:?}");
        let p = BandWeightParams::default();
        assert!(w[0] <= p.heaviest && w[5] >= p.lightest, "{w:?}");
        let mean = w.iter().sum::<f32>() / BAND_COUNT as f32;
        assert!((0.8..=1.2).contains(&mean), "{w:?}");
        // A boom-only step now sums higher than a hiss-only flutter.
        assert!(weights.weigh(&[3.0, 3.0, 0.0, 0.0, 0.0, 0.0]) > 2.0 * 6.0);
        assert!(weights.weigh(&[0.0, 0.0, 0.0, 3.0, 3.0, 3.0]) < 6.0);
    }
}

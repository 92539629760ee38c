//! The track's beat period from its onset envelope: the lag at which the
//! envelope best matches itself (autocorrelation), weighted towards the
//! tempos people tap to (Ellis 2007, as librosa does).

use realfft::RealFftPlanner;

/// Tempos considered: below 40 BPM nobody taps along, above 240 BPM a
/// listener hears the half tempo.
pub const BPM_RANGE: (f64, f64) = (40.0, 240.0);
/// Centre of the tempo prior: where tapping experiments put the preferred
/// pulse (Moelants 2002; Ellis 2007 and librosa use 120 too).
const PRIOR_BPM: f64 = 120.0;
/// Width of the prior in octaves: librosa's `std_bpm = 1`, wide enough that
/// a clear 170 BPM pulse still wins over its 85 BPM half.
const PRIOR_OCTAVES: f64 = 1.0;

/// The estimated period and how clearly the envelope repeats at it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TempoEstimate {
    /// Beat period in frames (fractional).
    pub period: f64,
    /// Normalised autocorrelation of the mean-removed envelope at the
    /// period: 1 when every frame repeats one period later, 0 for no pulse.
    pub clarity: f64,
}

/// Autocorrelation of `x` (mean removed) for lags 0..max_lag, each divided
/// by the number of products it sums, computed through the FFT so that an
/// hour-long track costs no more than a few milliseconds per minute.
pub fn autocorrelation(x: &[f32], max_lag: usize) -> Vec<f64> {
    let n = x.len();
    let mean = x.iter().map(|v| f64::from(*v)).sum::<f64>() / n.max(1) as f64;
    let size = (2 * n).next_power_of_two().max(2);
    let mut planner = RealFftPlanner::<f64>::new();
    let forward = planner.plan_fft_forward(size);
    let inverse = planner.plan_fft_inverse(size);
    let mut buffer = vec![0.0f64; size];
    for (b, v) in buffer.iter_mut().zip(x) {
        *b = f64::from(*v) - mean;
    }
    let mut spectrum = forward.make_output_vec();
    if forward.process(&mut buffer, &mut spectrum).is_err() {
        return vec![0.0; max_lag.min(n)];
    }
    for c in &mut spectrum {
        *c = realfft::num_complex::Complex::new(c.norm_sqr(), 0.0);
    }
    if inverse.process(&mut spectrum, &mut buffer).is_err() {
        return vec![0.0; max_lag.min(n)];
    }
    (0..max_lag.min(n))
        .map(|lag| buffer[lag] / size as f64 / (n - lag) as f64)
        .collect()
}

fn prior(bpm: f64) -> f64 {
    let octaves = (bpm / PRIOR_BPM).log2() / PRIOR_OCTAVES;
    (-0.5 * octaves * octaves).exp()
}

/// The beat period of an envelope at `frame_rate` frames per second, or
/// `None` when it is too short to hold two beats at the slowest tempo.
pub fn estimate(envelope: &[f32], frame_rate: f64) -> Option<TempoEstimate> {
    let shortest = (frame_rate * 60.0 / BPM_RANGE.1).floor() as usize;
    let longest = (frame_rate * 60.0 / BPM_RANGE.0).ceil() as usize;
    if envelope.len() < 2 * longest || shortest < 2 {
        return None;
    }
    let ac = autocorrelation(envelope, longest + 2);
    if ac[0] <= 0.0 {
        return None;
    }
    let weighted = |lag: usize| ac[lag].max(0.0) * prior(60.0 * frame_rate / lag as f64);
    let best = (shortest..=longest).max_by(|a, b| weighted(*a).total_cmp(&weighted(*b)))?;
    // A parabola through the peak and its neighbours: the period to a
    // fraction of a frame.
    let (l, c, r) = (ac[best - 1], ac[best], ac[best + 1]);
    let curvature = l - 2.0 * c + r;
    let shift = if curvature < 0.0 {
        (0.5 * (l - r) / curvature).clamp(-0.5, 0.5)
    } else {
        0.0
    };
    Some(TempoEstimate {
        period: best as f64 + shift,
        clarity: (c / ac[0]).clamp(0.0, 1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pulses(period: f64, frames: usize) -> Vec<f32> {
        let mut x = vec![0.0f32; frames];
        let mut t = 0.0;
        while (t as usize) < frames {
            x[t as usize] = 1.0;
            t += period;
        }
        x
    }

    #[test]
    fn a_pulse_train_gives_its_period() {
        // 150 BPM at 200 frames a second: 80 frames. (A bare pulse train
        // is as periodic at every multiple of its period; the prior picks
        // the level nearest 120 BPM, so 170 and its half 85 would tie.)
        let period = 200.0 * 60.0 / 150.0;
        let estimate = estimate(&pulses(period, 12000), 200.0).unwrap();
        assert!((estimate.period - period).abs() < 0.5, "{estimate:?}");
        assert!(estimate.clarity > 0.5, "{estimate:?}");
    }

    #[test]
    fn noise_has_no_clear_pulse() {
        let mut state = 12345u64;
        let noise: Vec<f32> = (0..12000)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 40) as f32 / (1u64 << 24) as f32
            })
            .collect();
        let estimate = estimate(&noise, 200.0).unwrap();
        assert!(estimate.clarity < 0.1, "{estimate:?}");
    }

    #[test]
    fn too_short_is_none() {
        assert_eq!(estimate(&[1.0; 100], 200.0), None);
    }
}

//! The baseline: a classic offline spectral-flux onset detector, as found
//! in music-analysis toolkits, run on the same corpus as ours.
//!
//! Log-compressed STFT magnitudes (Hann window of 1024 samples at 48 kHz,
//! hop of 5.3 ms), half-wave-rectified frame-to-frame differences summed
//! over all bins, normalised to the curve's maximum; a frame is an onset
//! when it is the highest of the last 30 ms, exceeds the mean of ±100 ms
//! by 0.07, and comes at least 30 ms after the previous onset. It sees the
//! whole file at once (a non-causal, best-case setting for it).

use realfft::RealFftPlanner;

const WINDOW_S: f64 = 1024.0 / 48000.0;
const HOP_S: f64 = 256.0 / 48000.0;
const COMPRESSION: f32 = 100.0;
const PRE_MAX_S: f64 = 0.03;
const AVERAGE_S: f64 = 0.1;
const DELTA: f32 = 0.07;
const WAIT_S: f64 = 0.03;

/// Onset times in seconds.
pub fn spectral_flux_onsets(samples: &[f32], sample_rate: u32) -> Vec<f64> {
    let sr = f64::from(sample_rate);
    let window = ((WINDOW_S * sr) as usize).next_power_of_two();
    let hop = ((HOP_S * sr).round() as usize).max(1);
    let curve = flux_curve(samples, window, hop);
    let frames = |s: f64| ((s / (hop as f64 / sr)).round() as usize).max(1);
    pick_onsets(&curve, frames(PRE_MAX_S), frames(AVERAGE_S), frames(WAIT_S))
        .into_iter()
        .map(|frame| (frame * hop) as f64 / sr)
        .collect()
}

/// Spectral flux per frame; frame n is centred on sample n·hop.
fn flux_curve(samples: &[f32], window: usize, hop: usize) -> Vec<f32> {
    let mut planner = RealFftPlanner::<f32>::new();
    let fft = planner.plan_fft_forward(window);
    let hann: Vec<f32> = (0..window)
        .map(|i| {
            let x = std::f32::consts::TAU * i as f32 / window as f32;
            0.5 - 0.5 * x.cos()
        })
        .collect();
    let mut input = fft.make_input_vec();
    let mut spectrum = fft.make_output_vec();
    let mut previous = vec![0.0f32; spectrum.len()];
    let frames = samples.len() / hop + 1;
    let mut curve = Vec::with_capacity(frames);
    for n in 0..frames {
        let centre = (n * hop) as isize;
        for (i, (slot, w)) in input.iter_mut().zip(&hann).enumerate() {
            let at = centre - (window / 2) as isize + i as isize;
            let x = usize::try_from(at)
                .ok()
                .and_then(|at| samples.get(at))
                .copied()
                .unwrap_or(0.0);
            *slot = x * w;
        }
        // Lengths come from the planner, so processing cannot fail.
        let _ = fft.process(&mut input, &mut spectrum);
        let mut flux = 0.0;
        for (bin, prev) in spectrum.iter().zip(previous.iter_mut()) {
            let magnitude = (1.0 + COMPRESSION * bin.norm()).ln();
            flux += (magnitude - *prev).max(0.0);
            *prev = magnitude;
        }
        curve.push(if n == 0 { 0.0 } else { flux });
    }
    let max = curve.iter().copied().fold(0.0f32, f32::max);
    if max > 0.0 {
        curve.iter_mut().for_each(|v| *v /= max);
    }
    curve
}

fn pick_onsets(curve: &[f32], pre_max: usize, average: usize, wait: usize) -> Vec<usize> {
    let mut onsets: Vec<usize> = Vec::new();
    for n in 0..curve.len() {
        let from = n.saturating_sub(pre_max);
        if curve[from..n].iter().any(|v| *v > curve[n]) {
            continue;
        }
        let lo = n.saturating_sub(average);
        let hi = (n + average + 1).min(curve.len());
        let mean = curve[lo..hi].iter().sum::<f32>() / (hi - lo) as f32;
        if curve[n] < mean + DELTA {
            continue;
        }
        if onsets.last().is_some_and(|last| n - last < wait) {
            continue;
        }
        onsets.push(n);
    }
    onsets
}

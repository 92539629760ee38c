//! Resampling a mono clip once, at load: rubato's band-limited sinc
//! resampler (click samples, speech). Pure computation, so it lives with
//! the engine that needs samples at its rate.

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Async, FixedAsync, Resampler, SincInterpolationParameters, WindowFunction};

/// A mono clip resampled by `ratio` (output rate / input rate).
pub fn resampled(samples: &[f32], ratio: f64) -> Result<Vec<f32>, String> {
    if (ratio - 1.0).abs() < 1e-12 || samples.is_empty() {
        return Ok(samples.to_vec());
    }
    let parameters = SincInterpolationParameters::new(128, WindowFunction::BlackmanHarris2);
    let mut resampler = Async::<f32>::new_sinc(ratio, 1.0, &parameters, 1024, 1, FixedAsync::Input)
        .map_err(|e| e.to_string())?;
    let input = InterleavedSlice::new(samples, 1, samples.len()).map_err(|e| e.to_string())?;
    let output = resampler
        .process_all(&input, samples.len(), None)
        .map_err(|e| e.to_string())?;
    Ok(output.take_data())
}

/// How many samples [`resampled`] returns for `len` samples at `ratio`,
/// without resampling: what a phrase's length is at another rate.
pub fn resampled_len(len: usize, ratio: f64) -> usize {
    if (ratio - 1.0).abs() < 1e-12 || len == 0 {
        return len;
    }
    // rubato's `process_all` returns exactly ceil(ratio · len) frames.
    (ratio * len as f64).ceil() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_length_is_known_without_resampling() {
        for len in [1, 300, 4410, 13485, 55652] {
            let clip: Vec<f32> = (0..len).map(|i| (i as f32 * 0.01).sin()).collect();
            for (to, from) in [
                (48000.0, 22050.0),
                (44100.0, 22050.0),
                (8000.0, 22050.0),
                (22050.0, 22050.0),
            ] {
                let ratio: f64 = to / from;
                assert_eq!(
                    resampled(&clip, ratio).unwrap().len(),
                    resampled_len(len, ratio),
                    "{len} at {ratio}"
                );
            }
        }
    }

    #[test]
    fn resampling_keeps_length_in_proportion() {
        let clip: Vec<f32> = (0..4410).map(|i| (i as f32 * 0.1).sin()).collect();
        let out = resampled(&clip, 48000.0 / 44100.0).unwrap();
        assert!((out.len() as i64 - 4800).abs() <= 2, "{}", out.len());
    }
}

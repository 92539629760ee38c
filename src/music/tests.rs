//! The tracker on synthetic music whose beats are known exactly.

use super::*;

/// A drum pattern at `bpm` from `start_s`: a kick (decaying 60 Hz) on
/// every first beat of four (beater click and boom), a snare-like noise burst on the others, a
/// hi-hat between beats, over a quiet held chord.
pub(crate) fn drum_loop(bpm: f64, start_s: f64, seconds: f64, rate: u32) -> (Vec<f32>, Vec<f64>) {
    let sr = f64::from(rate);
    let mut out = vec![0.0f32; (seconds * sr) as usize];
    for (i, s) in out.iter_mut().enumerate() {
        let t = i as f64 / sr;
        *s = 0.03
            * ((2.0 * std::f64::consts::PI * 220.0 * t).sin()
                + (2.0 * std::f64::consts::PI * 277.2 * t).sin()) as f32;
    }
    let mut noise = 987654321u64;
    let mut rand = move || {
        noise = noise
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((noise >> 40) as f32 / (1u64 << 23) as f32) - 1.0
    };
    let period = 60.0 / bpm;
    let mut beats = Vec::new();
    let mut k = 0;
    loop {
        let t = start_s + k as f64 * period;
        if t + 0.3 > seconds {
            break;
        }
        beats.push(t);
        let at = (t * sr).round() as usize;
        for j in 0..(0.25 * sr) as usize {
            let tau = j as f64 / sr;
            let x = if k % 4 == 0 {
                // The beater's click, then the drum's boom.
                0.3 * (-tau / 0.004).exp() * f64::from(rand())
                    + 0.9 * (-tau / 0.08).exp() * (2.0 * std::f64::consts::PI * 60.0 * tau).sin()
            } else {
                0.5 * (-tau / 0.03).exp() * f64::from(rand())
            };
            out[at + j] += x as f32;
        }
        let off = ((t + period / 2.0) * sr).round() as usize;
        for j in 0..(0.04 * sr) as usize {
            if off + j < out.len() {
                out[off + j] += 0.15 * (-(j as f32) / (0.005 * sr as f32)).exp() * rand();
            }
        }
        k += 1;
    }
    (out, beats)
}

#[test]
fn a_drum_loop_is_tracked_to_within_a_few_milliseconds() {
    for (bpm, rate) in [(128.0, 44100), (150.0, 48000), (90.0, 22050)] {
        let (samples, truth) = drum_loop(bpm, 0.7, 30.0, rate);
        let grid = track_beats(&samples, rate);
        assert!((grid.tempo - bpm).abs() < 0.5, "{bpm}: {}", grid.tempo);
        assert!(grid.confidence > 0.2, "{bpm}: {}", grid.confidence);
        let errors: Vec<f64> = grid
            .beats
            .iter()
            .map(|b| {
                truth
                    .iter()
                    .map(|t| b - t)
                    .min_by(|x, y| x.abs().total_cmp(&y.abs()))
                    .unwrap()
            })
            .collect();
        let worst = errors.iter().map(|e| e.abs()).fold(0.0, f64::max);
        let mean = errors.iter().sum::<f64>() / errors.len() as f64;
        eprintln!(
            "{bpm} BPM at {rate} Hz: {} beats of {}, mean error {:.2} ms, worst {:.2} ms",
            grid.beats.len(),
            truth.len(),
            mean * 1e3,
            worst * 1e3
        );
        assert!(
            grid.beats.len() + 2 >= truth.len(),
            "{bpm}: {} of {}",
            grid.beats.len(),
            truth.len()
        );
        assert!(worst < 0.004, "{bpm}: worst {worst}");
        assert_eq!(grid.beats_per_bar, 4, "{bpm}");
        // The kick is on every fourth beat from the first.
        let first_kick = grid.downbeats[0];
        let index = truth
            .iter()
            .position(|t| (t - first_kick).abs() < 0.01)
            .unwrap();
        assert_eq!(index % 4, 0, "{bpm}: downbeat at beat {index}");
    }
}

#[test]
fn silence_has_no_beats() {
    let grid = track_beats(&vec![0.0; 44100 * 10], 44100);
    assert!(grid.beats.is_empty());
    let grid = track_beats(&[0.1; 100], 44100);
    assert!(grid.beats.is_empty());
}

//! The stretcher keeps pitch and lands the track's hits where the map says.

use super::*;

const RATE: u32 = 48000;

/// A stereo track of sharp hits at `times` (seconds).
fn hits(times: &[f64], seconds: f64) -> Vec<f32> {
    let frames = (seconds * f64::from(RATE)) as usize;
    let mut out = vec![0.0f32; 2 * frames];
    for t in times {
        let at = (t * f64::from(RATE)).round() as usize;
        for j in 0..2000 {
            let x = (-(j as f32) / 150.0).exp() * (j as f32 * 0.9).sin();
            if at + j < frames {
                out[2 * (at + j)] += x;
                out[2 * (at + j) + 1] += x;
            }
        }
    }
    out
}

/// Where hits start in a stereo buffer: the first frame whose 1 ms
/// envelope passes half the loudest within `search` of `near`.
pub(crate) fn onset_near(out: &[f32], near: f64, search: f64) -> f64 {
    let sr = f64::from(RATE);
    let lo = ((near - search) * sr).max(0.0) as usize;
    let hi = (((near + search) * sr) as usize).min(out.len() / 2);
    let env: Vec<f32> = (lo..hi).map(|f| out[2 * f].abs()).collect();
    let top = env.iter().copied().fold(0.0, f32::max);
    let first = env.iter().position(|e| *e >= 0.5 * top).unwrap_or(0);
    (lo + first) as f64 / sr
}

#[test]
fn hits_land_where_the_map_puts_them_at_every_speed() {
    let track = hits(&[1.0, 2.0, 3.0], 5.0);
    for speed in [1.0, 0.9, 1.1] {
        let map = move |o: f64| o * speed;
        let mut stretcher = MapStretcher::new(RATE, &track, &map);
        let frames = (3.5 / speed * f64::from(RATE)) as usize;
        let mut out = vec![0.0f32; 2 * frames];
        stretcher.produce(&track, &mut out, &map);
        for t in [1.0, 2.0, 3.0] {
            let found = onset_near(&out, t / speed, 0.2);
            assert!(
                (found - t / speed).abs() < 0.001,
                "speed {speed}: hit {t} at {found}"
            );
        }
    }
}

/// Frequency of a stereo tone from its zero crossings over the middle.
fn frequency(out: &[f32], from_s: f64, to_s: f64) -> f64 {
    let sr = f64::from(RATE);
    let (lo, hi) = ((from_s * sr) as usize, (to_s * sr) as usize);
    let crossings: Vec<f64> = (lo..hi)
        .filter(|&f| out[2 * f] <= 0.0 && out[2 * (f + 1)] > 0.0)
        .map(|f| {
            let (a, b) = (f64::from(out[2 * f]), f64::from(out[2 * (f + 1)]));
            f as f64 + a / (a - b)
        })
        .collect();
    let span = crossings.last().unwrap() - crossings.first().unwrap();
    (crossings.len() - 1) as f64 / span * sr
}

#[test]
fn pitch_is_unchanged_by_the_stretch() {
    let sr = f64::from(RATE);
    let tone: Vec<f32> = (0..(4.0 * sr) as usize)
        .flat_map(|i| {
            let x = (0.5 * (2.0 * std::f64::consts::PI * 440.0 * i as f64 / sr).sin()) as f32;
            [x, x]
        })
        .collect();
    assert!((frequency(&tone, 1.0, 3.0) - 440.0).abs() < 0.1);
    for speed in [0.92, 1.08] {
        let map = move |o: f64| o * speed;
        let mut stretcher = MapStretcher::new(RATE, &tone, &map);
        let mut out = vec![0.0f32; 2 * (3.5 / speed * sr) as usize];
        stretcher.produce(&tone, &mut out, &map);
        let f = frequency(&out, 0.5, 3.0);
        // Resampling instead of stretching would give 440 × speed
        // (405 or 475 Hz).
        assert!((f - 440.0).abs() < 0.5, "speed {speed}: {f} Hz");
    }
}

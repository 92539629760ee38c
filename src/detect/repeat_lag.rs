//! Where a recording repeats: the lag (hops of band levels) at which a
//! stretch of it comes back, as produced music does a bar or two later.
//!
//! The onset curve (each hop's rises summed over the bands) is reduced to
//! its peaks, the strongest few a second; the lags at which most peaks
//! have a partner (to the hop) are the candidates, each moved to where the
//! whole curve repeats best near it, and the one that repeats best is the
//! stretch's lag. Steps repeat too, at multiples of their period, a few
//! milliseconds off each time; nothing here tells the two apart (see
//! `repeating_music` for what that costs).

use super::filterbank::BAND_COUNT;
use super::params::RepetitionParams;
use super::stats::dot;

/// The lag (hops) at which each stretch of `stretch_hops` of `levels`
/// repeats most, measured over `window_s` around it; `None` where too
/// few onsets are heard to tell.
pub fn stretch_lags(
    levels: &[[f32; BAND_COUNT]],
    stretch_hops: usize,
    hop_s: f64,
    p: &RepetitionParams,
) -> Vec<Option<f64>> {
    let curve = onset_curve(levels);
    let peaks = onset_peaks(&curve, p, hop_s);
    let window = ((p.window_s / hop_s) as usize).max(stretch_hops);
    let shortest = ((p.shortest_s / hop_s) as usize).max(2);
    let longest = ((p.longest_s / hop_s) as usize).max(shortest);
    (0..levels.len().div_ceil(stretch_hops))
        .map(|i| {
            let centre = i * stretch_hops + stretch_hops / 2;
            let from = centre.saturating_sub(window / 2).min(curve.len());
            let to = (from + window).min(curve.len());
            let a = peaks.partition_point(|&h| h < from);
            let b = peaks.partition_point(|&h| h < to);
            let stretch = &curve[from..to];
            let mean = stretch.iter().sum::<f32>() / stretch.len().max(1) as f32;
            let centred: Vec<f32> = stretch.iter().map(|v| v - mean).collect();
            candidate_lags(&peaks[a..b], shortest, longest, p.candidates)
                .into_iter()
                .map(|lag| refined(&centred, lag, p.refine_hops))
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(lag, _)| lag as f64)
        })
        .collect()
}

/// Each hop's rise summed over the bands (dB).
fn onset_curve(levels: &[[f32; BAND_COUNT]]) -> Vec<f32> {
    let mut curve = vec![0.0; levels.len()];
    for (c, pair) in curve.iter_mut().skip(1).zip(levels.windows(2)) {
        *c = pair[1]
            .iter()
            .zip(&pair[0])
            .map(|(now, before)| (now - before).max(0.0))
            .sum();
    }
    curve
}

/// The hops where the onset curve peaks: the highest within
/// `peak_apart_s` either side, the strongest `peaks_per_s` a second.
fn onset_peaks(curve: &[f32], p: &RepetitionParams, hop_s: f64) -> Vec<usize> {
    let apart = ((p.peak_apart_s / hop_s) as usize).max(1);
    let second = ((1.0 / hop_s) as usize).max(1);
    let keep = p.peaks_per_s.max(1);
    let mut peaks = Vec::new();
    let mut in_second: Vec<(f32, usize)> = Vec::new();
    for start in (0..curve.len()).step_by(second) {
        in_second.clear();
        for hop in start..(start + second).min(curve.len()) {
            let lo = hop.saturating_sub(apart);
            let hi = (hop + apart + 1).min(curve.len());
            let v = curve[hop];
            if v > 0.0 && curve[lo..hi].iter().all(|&w| w <= v) {
                in_second.push((v, hop));
            }
        }
        in_second.sort_by(|a, b| b.0.total_cmp(&a.0));
        peaks.extend(in_second.iter().take(keep).map(|&(_, hop)| hop));
    }
    peaks.sort_unstable();
    peaks
}

/// The `n` lags in `shortest..=longest` hops at which most of `peaks` have
/// a partner (to the hop, within one either side), at least ten hops apart.
fn candidate_lags(peaks: &[usize], shortest: usize, longest: usize, n: usize) -> Vec<usize> {
    if peaks.len() < 8 || shortest < 2 {
        return Vec::new();
    }
    let mut counts = vec![0u32; longest + 2];
    for (i, &a) in peaks.iter().enumerate() {
        for &b in &peaks[i + 1..] {
            let d = b - a;
            if d > longest + 1 {
                break;
            }
            counts[d] += 1;
        }
    }
    let mut scored: Vec<(u32, usize)> = (shortest..=longest)
        .map(|d| (counts[d - 1] + counts[d] + counts[d + 1], d))
        .collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut chosen: Vec<usize> = Vec::new();
    for (_, d) in scored {
        if chosen.len() >= n {
            break;
        }
        if chosen.iter().all(|c| c.abs_diff(d) >= 10) {
            chosen.push(d);
        }
    }
    chosen
}

/// The lag within `reach` hops of `lag` at which `curve` (its mean
/// removed) correlates best with itself, and that correlation per hop.
fn refined(curve: &[f32], lag: usize, reach: usize) -> (usize, f32) {
    (lag.saturating_sub(reach).max(1)..=lag + reach)
        .filter(|&d| d < curve.len())
        .map(|d| {
            (
                d,
                dot(&curve[..curve.len() - d], &curve[d..]) / (curve.len() - d) as f32,
            )
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or((lag, 0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_repeating_every_bar_gives_a_whole_number_of_bars() {
        // Hits at 0, 250, 375 and 500 ms of a 1,700 ms bar, different in
        // each band, over a faint hiss: the lag is the bar.
        let bar = 1700;
        let levels: Vec<[f32; BAND_COUNT]> = (0..24_000usize)
            .map(|hop| {
                let at = hop % bar;
                // A hash of the hop: hiss that repeats at no lag.
                let mixed =
                    (hop as u64 ^ 0x9e37_79b9_7f4a_7c15).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                let noise = (mixed >> 60) as f32 * 0.3;
                std::array::from_fn(|band| {
                    let hit = [0, 250, 375, 500]
                        .iter()
                        .any(|&h| at >= h && at < h + 20 && (h / 125 + band) % 2 == 0);
                    if hit {
                        -20.0 + noise
                    } else {
                        -60.0 + noise
                    }
                })
            })
            .collect();
        let p = RepetitionParams::default();
        let lags = stretch_lags(&levels, 4000, 0.001, &p);
        assert_eq!(lags.len(), 6);
        for lag in lags {
            let lag = lag.expect("a lag");
            // The bar, or two: what repeats every bar repeats every two.
            let bars = (lag / 1700.0).round();
            assert!(bars >= 1.0 && (lag - bars * 1700.0).abs() <= 1.0, "{lag}");
        }
    }

    #[test]
    fn silence_has_no_lag() {
        let levels = vec![[-90.0; BAND_COUNT]; 20_000];
        let lags = stretch_lags(&levels, 4000, 0.001, &RepetitionParams::default());
        assert!(lags.iter().all(Option::is_none));
    }
}

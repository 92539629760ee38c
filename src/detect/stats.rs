//! Small statistics shared by the tracker, the exact-beat rule, the
//! alignment, the click canceller and the repetition finder.

/// Median of a small slice (reorders it); the mean of the middle two for
/// an even count. The slice must not be empty. Selected, not sorted: the
/// tracker and the exact-beat rule take it of every pair's slope at each
/// step.
pub fn median(values: &mut [f64]) -> f64 {
    let n = values.len();
    let (lower, middle, _) = values.select_nth_unstable_by(n / 2, f64::total_cmp);
    let middle = *middle;
    if n % 2 == 1 {
        middle
    } else {
        let below = lower.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        0.5 * (below + middle)
    }
}

/// Most points a line is fitted through (`theil_sen`).
pub const LINE_POINTS: usize = 32;

/// The Theil-Sen line through `times` against `numbers` (two or more, at
/// most `LINE_POINTS`, no two on one number): its slope the median of the
/// slopes between every two points, its offset the median of where each
/// puts number 0. One point far off the others moves neither. Returns
/// (the time at number 0, the slope).
pub fn theil_sen(times: &[f64], numbers: &[f64]) -> (f64, f64) {
    let n = times.len().min(numbers.len()).min(LINE_POINTS);
    let mut slopes = [0.0; LINE_POINTS * (LINE_POINTS - 1) / 2];
    let mut count = 0;
    for i in 0..n {
        for j in i + 1..n {
            slopes[count] = (times[j] - times[i]) / (numbers[j] - numbers[i]);
            count += 1;
        }
    }
    let slope = median(&mut slopes[..count]);
    let mut at_zero = [0.0; LINE_POINTS];
    for ((z, t), k) in at_zero.iter_mut().zip(times).zip(numbers) {
        *z = t - k * slope;
    }
    (median(&mut at_zero[..n]), slope)
}

/// The dot product of two slices of one length (eight lanes, so that it
/// vectorizes).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a8
        .remainder()
        .iter()
        .zip(b8.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in a8.zip(b8) {
        for lane in 0..8 {
            lanes[lane] += x[lane] * y[lane];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_odd_and_even_counts() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&mut [7.0]), 7.0);
        assert_eq!(median(&mut [2.0, 2.0, 1.0, 5.0, 2.0, 9.0]), 2.0);
    }

    #[test]
    fn a_line_through_points_one_far_off_it() {
        let numbers = [0.0, 1.0, 2.0, 4.0, 5.0];
        let times = [1.0, 1.5, 2.0, 9.0, 3.5];
        let (at_zero, slope) = theil_sen(&times, &numbers);
        assert!((slope - 0.5).abs() < 1e-12, "{slope}");
        assert!((at_zero - 1.0).abs() < 1e-12, "{at_zero}");
    }
}

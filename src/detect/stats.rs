//! Small statistics shared by the tracker and the alignment.

/// Median of a small slice (reorders it); the mean of the middle two for
/// an even count. The slice must not be empty.
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_unstable_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        0.5 * (values[n / 2 - 1] + values[n / 2])
    }
}

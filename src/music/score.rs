//! Beat-tracking accuracy as MIR reports it: the F-measure with a ±70 ms
//! window (mir_eval's `beat.f_measure`), each reference beat matched to at
//! most one estimated beat.

/// mir_eval's window: an estimate within 70 ms of a reference beat hits.
pub const WINDOW_S: f64 = 0.07;
/// mir_eval's `beat.evaluate` ignores beats in the first five seconds
/// (listeners and trackers both need time to find the pulse).
pub const SKIP_S: f64 = 5.0;

/// Pairs within `window` seconds, each beat used once. Both lists sorted:
/// on a line, taking the earliest possible pair is a maximum matching.
pub fn matched(reference: &[f64], estimated: &[f64], window: f64) -> usize {
    let (mut i, mut j, mut hits) = (0, 0, 0);
    while i < reference.len() && j < estimated.len() {
        let d = estimated[j] - reference[i];
        if d.abs() <= window {
            hits += 1;
            i += 1;
            j += 1;
        } else if d < 0.0 {
            j += 1;
        } else {
            i += 1;
        }
    }
    hits
}

/// F-measure of `estimated` against `reference` (seconds, sorted), after
/// dropping beats before `SKIP_S` from both, as mir_eval does.
pub fn f_measure(reference: &[f64], estimated: &[f64]) -> f64 {
    let reference: Vec<f64> = reference.iter().copied().filter(|t| *t >= SKIP_S).collect();
    let estimated: Vec<f64> = estimated.iter().copied().filter(|t| *t >= SKIP_S).collect();
    if reference.is_empty() || estimated.is_empty() {
        return 0.0;
    }
    let hits = matched(&reference, &estimated, WINDOW_S) as f64;
    let precision = hits / estimated.len() as f64;
    let recall = hits / reference.len() as f64;
    if hits == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mir_eval_examples() {
        let reference: Vec<f64> = (0..20).map(|i| 5.0 + 0.5 * f64::from(i)).collect();
        assert_eq!(f_measure(&reference, &reference), 1.0);
        // Every estimate 60 ms late still hits; 80 ms late misses.
        let late: Vec<f64> = reference.iter().map(|t| t + 0.06).collect();
        assert_eq!(f_measure(&reference, &late), 1.0);
        let later: Vec<f64> = reference.iter().map(|t| t + 0.08).collect();
        assert_eq!(f_measure(&reference, &later), 0.0);
        // Double tempo: every reference found, half the estimates wrong.
        let double: Vec<f64> = (0..40).map(|i| 5.0 + 0.25 * f64::from(i)).collect();
        let f = f_measure(&reference, &double);
        assert!((f - 2.0 * 0.5 * 1.0 / 1.5).abs() < 1e-9, "{f}");
    }

    #[test]
    fn beats_in_the_first_five_seconds_do_not_count() {
        let reference = [1.0, 2.0, 6.0, 7.0];
        assert_eq!(f_measure(&reference, &[6.0, 7.0]), 1.0);
    }
}

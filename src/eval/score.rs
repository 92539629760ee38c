//! Scoring detected steps against the truth: one-to-one matching within a
//! tolerance, precision, recall, F1, timing error and reporting delay.

/// Matches detections to truth one to one: pairs closer than `tolerance_s`
/// are taken closest first, each time used at most once. Returns the
/// matched (truth index, detection index) pairs, in truth order.
pub fn match_steps(truth: &[f64], detected: &[f64], tolerance_s: f64) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut first = 0;
    for (i, t) in truth.iter().enumerate() {
        while first < detected.len() && detected[first] < t - tolerance_s {
            first += 1;
        }
        for (j, d) in detected.iter().enumerate().skip(first) {
            if *d > t + tolerance_s {
                break;
            }
            pairs.push(((d - t).abs(), i, j));
        }
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut truth_used = vec![false; truth.len()];
    let mut detection_used = vec![false; detected.len()];
    let mut matched = Vec::new();
    for (_, i, j) in pairs {
        if !truth_used[i] && !detection_used[j] {
            truth_used[i] = true;
            detection_used[j] = true;
            matched.push((i, j));
        }
    }
    matched.sort_unstable();
    matched
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub truth: usize,
    pub detected: usize,
    pub matched: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Median of |detected − true| over matched steps (ms).
    pub median_error_ms: f64,
}

pub fn score(truth: &[f64], detected: &[f64], tolerance_s: f64) -> Score {
    let matched = match_steps(truth, detected, tolerance_s);
    let precision = ratio(matched.len(), detected.len());
    let recall = ratio(matched.len(), truth.len());
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    let mut errors: Vec<f64> = matched
        .iter()
        .map(|(i, j)| (detected[*j] - truth[*i]).abs() * 1000.0)
        .collect();
    Score {
        truth: truth.len(),
        detected: detected.len(),
        matched: matched.len(),
        precision,
        recall,
        f1,
        median_error_ms: median(&mut errors),
    }
}

/// How long after each matched step landed it was reported (ms), in
/// truth order: `reported[j]` is when `detected[j]` was.
pub fn report_delays_ms(
    truth: &[f64],
    detected: &[f64],
    reported: &[f64],
    tolerance_s: f64,
) -> Vec<f64> {
    match_steps(truth, detected, tolerance_s)
        .into_iter()
        .map(|(i, j)| (reported[j] - truth[i]) * 1000.0)
        .collect()
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        if a == 0 {
            1.0
        } else {
            0.0
        }
    } else {
        a as f64 / b as f64
    }
}

/// Median (NaN for none; the mean of the middle two for an even count);
/// reorders the slice.
pub fn median(values: &mut [f64]) -> f64 {
    let n = values.len();
    if n == 0 || n % 2 == 1 {
        return percentile(values, 0.5);
    }
    values.sort_by(f64::total_cmp);
    0.5 * (values[n / 2 - 1] + values[n / 2])
}

/// The value at fraction `p` of the sorted slice (nearest rank).
pub fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let rank = ((values.len() - 1) as f64 * p).round() as usize;
    values[rank]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_to_one_within_the_tolerance() {
        let truth = [1.0, 2.0, 3.0];
        // A double report of step 1, a miss of step 2, a late step 3.
        let detected = [1.01, 1.02, 3.04];
        let s = score(&truth, &detected, 0.025);
        assert_eq!(s.matched, 1);
        assert!((s.precision - 1.0 / 3.0).abs() < 1e-12);
        assert!((s.recall - 1.0 / 3.0).abs() < 1e-12);
        let s = score(&truth, &detected, 0.05);
        assert_eq!(s.matched, 2);
        assert!((s.median_error_ms - 25.0).abs() < 1e-9);
    }

    #[test]
    fn a_report_is_late_by_how_long_after_the_true_step_it_came() {
        // Step 1 dated 5 ms early and reported 20 ms after it was dated:
        // 15 ms after it landed. The made-up step at 5.0 is not counted.
        let delays = report_delays_ms(&[1.0, 2.0], &[0.995, 2.0, 5.0], &[1.015, 2.03, 5.01], 0.025);
        assert_eq!(delays.len(), 2);
        assert!((delays[0] - 15.0).abs() < 1e-9 && (delays[1] - 30.0).abs() < 1e-9);
    }

    #[test]
    fn closest_pairs_win() {
        let matched = match_steps(&[1.0, 1.04], &[1.03], 0.05);
        assert_eq!(matched, vec![(1, 0)]);
    }

    #[test]
    fn nothing_to_find_and_nothing_found_is_perfect() {
        let s = score(&[], &[], 0.025);
        assert_eq!((s.precision, s.recall), (1.0, 1.0));
    }
}

//! Beat positions by dynamic programming (Ellis 2007, "Beat tracking by
//! dynamic programming", J. New Music Research 36(1)), in the form librosa
//! ships: every frame's best chain of beats ending there, scored by onset
//! strength on the beats and a penalty for straying from the period.

/// How strongly beats keep to the period: the weight of the squared
/// log-ratio of an interval to the period (librosa's default, 100: a beat
/// interval 10 % off the period costs about as much as a typical onset is
/// worth).
const TIGHTNESS: f64 = 100.0;
/// Where the chain of beats starts: the first frame whose onset score
/// reaches this fraction of the largest (librosa's first-beat rule), so
/// that silence before the music holds no beats.
const FIRST_BEAT: f32 = 0.01;

/// The onset envelope smoothed by a Gaussian of a 32nd of the period
/// (spanning ±1 period): the score of a beat at each frame.
pub fn local_score(envelope: &[f32], period: f64) -> Vec<f32> {
    let half = period.round().max(1.0) as isize;
    let sigma = (period / 32.0).max(0.5);
    let kernel: Vec<f32> = (-half..=half)
        .map(|k| (-0.5 * (k as f64 / sigma).powi(2)).exp() as f32)
        .collect();
    let n = envelope.len() as isize;
    (0..n)
        .map(|i| {
            kernel
                .iter()
                .enumerate()
                .filter_map(|(k, w)| {
                    let j = i + k as isize - half;
                    (0..n).contains(&j).then(|| w * envelope[j as usize])
                })
                .sum()
        })
        .collect()
}

/// Frames of the beats: the best-scoring chain, with weak beats at either
/// end dropped. `period` in frames.
pub fn track(local: &[f32], period: f64) -> Vec<usize> {
    let n = local.len();
    if n == 0 || period < 2.0 {
        return Vec::new();
    }
    let nearest = (period / 2.0).round().max(1.0) as usize;
    let farthest = (2.0 * period).round() as usize;
    // The penalty for each possible interval, nearest first.
    let penalty: Vec<f64> = (nearest..=farthest)
        .map(|gap| -TIGHTNESS * (gap as f64 / period).ln().powi(2))
        .collect();
    let top = local.iter().copied().fold(0.0, f32::max);
    let mut cumulative = vec![0.0f64; n];
    let mut backlink: Vec<Option<usize>> = vec![None; n];
    let mut started = false;
    for i in 0..n {
        // Predecessors before the start of the track score their penalty
        // alone, so that the first beat may come at any phase.
        let mut best = f64::NEG_INFINITY;
        let mut best_at = None;
        for (offset, p) in penalty.iter().enumerate() {
            let gap = nearest + offset;
            let (score, at) = match i.checked_sub(gap) {
                Some(j) => (cumulative[j] + p, Some(j)),
                None => (*p, None),
            };
            if score > best {
                best = score;
                best_at = at;
            }
        }
        cumulative[i] = f64::from(local[i]) + best;
        if !started && local[i] < FIRST_BEAT * top {
            backlink[i] = None;
        } else {
            backlink[i] = best_at;
            started = true;
        }
    }
    let Some(last) = last_beat(&cumulative) else {
        return Vec::new();
    };
    let mut beats = vec![last];
    while let Some(previous) = backlink[*beats.last().unwrap_or(&0)] {
        beats.push(previous);
    }
    beats.reverse();
    trim_weak(local, beats)
}

/// The last frame where the cumulative score peaks at more than half the
/// median peak: the chain's end, not a trailing fade.
fn last_beat(cumulative: &[f64]) -> Option<usize> {
    let n = cumulative.len();
    let peaks: Vec<usize> = (1..n.saturating_sub(1))
        .filter(|&i| cumulative[i] > cumulative[i - 1] && cumulative[i] >= cumulative[i + 1])
        .collect();
    if peaks.is_empty() {
        return (n > 0).then(|| n - 1);
    }
    let mut values: Vec<f64> = peaks.iter().map(|&i| cumulative[i]).collect();
    values.sort_by(f64::total_cmp);
    let median = values[values.len() / 2];
    peaks
        .iter()
        .rev()
        .find(|&&i| cumulative[i] >= 0.5 * median)
        .copied()
}

/// Drops leading and trailing beats whose score is under half the RMS of
/// all the beats' scores: the beats a tracker invents over an intro or a
/// fade-out. (librosa compares with half the RMS of the scores smoothed
/// over five beats, which is about twice as high and dropped real,
/// quieter beats at the ends of the tests' drum loops.)
fn trim_weak(local: &[f32], beats: Vec<usize>) -> Vec<usize> {
    if beats.len() < 3 {
        return beats;
    }
    let scores: Vec<f64> = beats.iter().map(|&b| f64::from(local[b])).collect();
    let rms = (scores.iter().map(|s| s * s).sum::<f64>() / scores.len() as f64).sqrt();
    let threshold = 0.5 * rms;
    let first = scores.iter().position(|s| *s > threshold);
    let last = scores.iter().rposition(|s| *s > threshold);
    match (first, last) {
        (Some(first), Some(last)) => beats[first..=last].to_vec(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_pulse_is_tracked_on_its_pulses() {
        let period = 70.0;
        let mut envelope = vec![0.05f32; 3000];
        // Pulses from frame 105 on, with a louder off-beat now and then.
        let mut t = 105;
        while t < 2900 {
            envelope[t] = 1.0;
            if t % 3 == 0 {
                envelope[t + 35] = 0.6;
            }
            t += 70;
        }
        let beats = track(&local_score(&envelope, period), period);
        assert!(beats.len() >= 38, "{beats:?}");
        for b in &beats {
            assert_eq!((b - 105) % 70, 0, "{beats:?}");
        }
    }

    #[test]
    fn nothing_in_nothing_out() {
        assert!(track(&[], 50.0).is_empty());
        assert!(track(&[0.0; 10], 1.0).is_empty());
    }
}

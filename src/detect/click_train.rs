//! Click trains among a recording's sharp transients: a metronome's clicks
//! repeat at one period to the sample, where a runner's steps wander by
//! milliseconds from one to the next however steady the runner. A period
//! at which many transients line up on one grid within a millisecond is a
//! train (a metronome, or a drum machine, which must not be counted
//! either); a tempo that ramps is followed click by click
//! (`click_follow`); a metronome that changes tempo between parts of a
//! session is a train per tempo, looked for one after the other.

use super::click_follow::{ramping_train, LONGEST_UNHEARD};
use super::params::MetronomeParams;

/// A candidate grid is first followed over this many places near the two
/// clicks it was drawn from, and must hold half of them.
const NEARBY_PLACES: f64 = 12.0;

/// A metronome heard in a recording: one tempo, steady or ramping.
#[derive(Debug, Clone, PartialEq)]
pub struct ClickTrain {
    /// Frames of the grid, fitted: where each click reaches the recording,
    /// heard or hidden, from the first heard to the last.
    pub clicks: Vec<u64>,
    /// Frames between clicks.
    pub period: f64,
}

impl ClickTrain {
    pub fn clicks_per_minute(&self, sample_rate: u32) -> f64 {
        60.0 * f64::from(sample_rate) / self.period
    }
}

/// The strongest click train among `onsets` (steady, or ramping if a ramp
/// holds more clicks), if there is one.
pub fn find_click_train(onsets: &[u64], sample_rate: u32) -> Option<ClickTrain> {
    find_click_train_with(onsets, sample_rate, &MetronomeParams::default())
}

/// The same with the finder's parameters given.
pub fn find_click_train_with(
    onsets: &[u64],
    sample_rate: u32,
    p: &MetronomeParams,
) -> Option<ClickTrain> {
    let rate = f64::from(sample_rate);
    let tolerance = p.grid_tolerance_s * rate;
    let (shortest, longest) = (p.shortest_period_s * rate, p.longest_period_s * rate);
    let mut best: Option<(usize, f64, f64)> = None;
    for (i, &a) in onsets.iter().enumerate() {
        for &b in &onsets[i + 1..] {
            let period = (b - a) as f64;
            if period < shortest {
                continue;
            }
            if period > longest {
                break;
            }
            let Some((start, period)) = follow_grid(onsets, a as f64, period, tolerance) else {
                continue;
            };
            let hits = on_grid(onsets, start, period, tolerance).len();
            if best.is_none_or(|(n, _, _)| hits > n) {
                best = Some((hits, start, period));
            }
        }
    }
    let steady =
        best.map(|(_, start, period)| (start, period, on_grid(onsets, start, period, tolerance)));
    if p.ramp_per_click > 0.0 {
        // A metronome whose tempo ramps: followed click by click.
        let ramped = ramping_train(onsets, (shortest, longest), tolerance, p);
        let steady_hits = steady.as_ref().map_or(0, |s| s.2.len());
        if let Some(train) = ramped.filter(|r| r.clicks_heard > steady_hits) {
            return Some(train.train);
        }
    }
    let (start, period, hits) = steady?;
    // Only where the grid is heard: a metronome that stops, or changes
    // tempo, leaves places where an onset lands on its grid by chance, and
    // a click taken out where none played would add one.
    let clicks: Vec<u64> = heard_runs(&hits, p)
        .flat_map(|run| {
            let (first_k, last_k) = (run[0].0, run[run.len() - 1].0);
            (first_k..=last_k).map(move |k| (start + k as f64 * period).round().max(0.0) as u64)
        })
        .collect();
    (!clicks.is_empty()).then_some(ClickTrain { clicks, period })
}

/// The runs of a grid's hits, (place, onset) in order, with no more than
/// `LONGEST_UNHEARD` places unheard in a row, that hold enough clicks to
/// be a metronome: `min_clicks` of them and `min_share` of their places.
fn heard_runs<'h>(
    hits: &'h [(i64, u64)],
    p: &MetronomeParams,
) -> impl Iterator<Item = &'h [(i64, u64)]> + 'h {
    let (min_clicks, min_share) = (p.min_clicks, p.min_share);
    hits.chunk_by(|a, b| b.0 - a.0 <= LONGEST_UNHEARD + 1)
        .filter(move |run| {
            let places = (run[run.len() - 1].0 - run[0].0 + 1) as f64;
            run.len() >= min_clicks && run.len() as f64 >= min_share * places
        })
}

/// Every click train among `onsets`, strongest first, at most
/// `max_trains`: a metronome that changes tempo from one part of a
/// session to the next (a rendered profile) is a train per tempo, and
/// another app may click beside ours. Each train's onsets are set aside
/// before the next is looked for.
pub fn find_click_trains_with(
    onsets: &[u64],
    sample_rate: u32,
    p: &MetronomeParams,
) -> Vec<ClickTrain> {
    let tolerance = p.grid_tolerance_s * f64::from(sample_rate);
    let mut left = onsets.to_vec();
    let mut trains = Vec::new();
    while trains.len() < p.max_trains {
        let Some(train) = find_click_train_with(&left, sample_rate, p) else {
            break;
        };
        left.retain(|&o| !near_any(&train.clicks, o, tolerance));
        trains.push(train);
    }
    trains
}

/// Whether `frame` is within `tolerance` of one of `clicks` (in order).
pub(super) fn near_any(clicks: &[u64], frame: u64, tolerance: f64) -> bool {
    let at = clicks.partition_point(|&c| (c as f64) < frame as f64 - tolerance);
    clicks
        .get(at)
        .is_some_and(|&c| c as f64 <= frame as f64 + tolerance)
}

/// A candidate grid from two onsets, its period refined along the way: a
/// period measured between two clicks is off by up to a sample, which over
/// a hundred clicks would walk the grid off them. Fitted first over the
/// first few places, then over all; `None` when it holds too few onsets
/// even nearby.
fn follow_grid(onsets: &[u64], start: f64, period: f64, tolerance: f64) -> Option<(f64, f64)> {
    let end = start + NEARBY_PLACES * period;
    let nearby: Vec<u64> = onsets
        .iter()
        .copied()
        .filter(|&o| o as f64 >= start - tolerance && o as f64 <= end)
        .collect();
    let hits = on_grid(&nearby, start, period, tolerance);
    if hits.len() < (NEARBY_PLACES as usize) / 2 {
        return None;
    }
    let (start, period) = fit_line(&hits, start, period)?;
    fit_line(&on_grid(onsets, start, period, tolerance), start, period)
}

/// (grid index, onset frame) of every onset within `tolerance` of the grid
/// start + k·period (one per grid place; k may be negative).
fn on_grid(onsets: &[u64], start: f64, period: f64, tolerance: f64) -> Vec<(i64, u64)> {
    let mut hits: Vec<(i64, u64)> = Vec::new();
    for &onset in onsets {
        let k = ((onset as f64 - start) / period).round();
        let off = onset as f64 - (start + k * period);
        if off.abs() <= tolerance && hits.last().is_none_or(|&(last, _)| last != k as i64) {
            hits.push((k as i64, onset));
        }
    }
    hits
}

/// Least squares of frame = start + k·period through the hits.
fn fit_line(hits: &[(i64, u64)], start: f64, period: f64) -> Option<(f64, f64)> {
    if hits.len() < 2 {
        return Some((start, period));
    }
    let n = hits.len() as f64;
    let mean_k = hits.iter().map(|h| h.0 as f64).sum::<f64>() / n;
    let mean_f = hits.iter().map(|h| h.1 as f64).sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for &(k, f) in hits {
        let dk = k as f64 - mean_k;
        sxy += dk * (f as f64 - mean_f);
        sxx += dk * dk;
    }
    if sxx <= 0.0 {
        return Some((start, period));
    }
    let slope = sxy / sxx;
    Some((mean_f - slope * mean_k, slope))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::detect::transients::TransientFinder;

    pub(crate) fn click_at(samples: &mut [f32], at: usize, gain: f32) {
        for k in 0..200.min(samples.len() - at) {
            samples[at + k] += gain * (k as f32 * 1.9).sin() * (-(k as f32) / 30.0).exp();
        }
    }

    pub(crate) fn thud_at(samples: &mut [f32], at: usize, gain: f32) {
        for k in 0..1500.min(samples.len() - at) {
            let attack = (k as f32 / 60.0).min(1.0);
            samples[at + k] +=
                gain * attack * (k as f32 * 0.02).sin() * (-(k as f32) / 400.0).exp();
        }
    }

    /// 30 s at 16 kHz: a metronome at 172 per minute, steps at 180 with
    /// 6 ms of wander, both at the same level.
    pub(crate) fn recording() -> (Vec<f32>, Vec<usize>) {
        let rate = 16_000.0;
        let mut samples = vec![0.0f32; 16_000 * 30];
        let mut clicks = Vec::new();
        let period = 60.0 / 172.0 * rate;
        let mut k = 0.0;
        while ((k + 1.0) * period) < samples.len() as f64 - 400.0 {
            let at = (0.3 * rate + k * period) as usize;
            click_at(&mut samples, at, 0.5);
            clicks.push(at);
            k += 1.0;
        }
        let step = 60.0 / 180.0 * rate;
        for n in 0..85 {
            let wander = ((n * 7919) % 13) as f64 - 6.0;
            let at = (0.1 * rate + n as f64 * step + wander * 16.0) as usize;
            thud_at(&mut samples, at, 0.5);
        }
        (samples, clicks)
    }

    #[test]
    fn a_metronome_among_steps_is_found_on_its_grid() {
        let (samples, clicks) = recording();
        let mut finder = TransientFinder::new(16_000);
        for block in samples.chunks(160) {
            finder.feed(block);
        }
        let train = find_click_train(finder.onsets(), 16_000).expect("a train");
        let bpm = train.clicks_per_minute(16_000);
        assert!((bpm - 172.0).abs() < 0.1, "{bpm} per minute");
        // Within a millisecond of where each click starts (the grid is
        // where the clicks' first sharp sample is, a few samples in).
        let found: Vec<u64> = train.clicks.clone();
        let near = clicks
            .iter()
            .filter(|&&c| found.iter().any(|&f| f.abs_diff(c as u64) <= 16))
            .count();
        assert!(
            near + 2 >= clicks.len(),
            "{near} of {} clicks",
            clicks.len()
        );
    }

    #[test]
    fn a_metronome_that_changes_tempo_is_a_train_per_tempo() {
        // 40 s at 16 kHz: clicks at 120 a minute for 15 s, then at 172 on
        // another phase; steps at 170 throughout.
        let rate = 16_000.0;
        let mut samples = vec![0.0f32; 16_000 * 40];
        let mut clicks = Vec::new();
        let mut t = 0.2;
        while t < 39.5 {
            let at = (t * rate) as usize;
            click_at(&mut samples, at, 0.5);
            clicks.push(at as u64);
            t += if t < 15.0 { 0.5 } else { 60.0 / 172.0 };
        }
        for n in 0..110 {
            let wander = ((n * 7919) % 13) as f64 - 6.0;
            thud_at(
                &mut samples,
                (0.1 * rate + n as f64 * rate * 60.0 / 170.0 + wander * 16.0) as usize,
                0.5,
            );
        }
        let mut finder = TransientFinder::new(16_000);
        finder.feed(&samples);
        let trains = find_click_trains_with(finder.onsets(), 16_000, &MetronomeParams::default());
        assert_eq!(trains.len(), 2, "{trains:?}");
        let mut tempos: Vec<f64> = trains.iter().map(|t| t.clicks_per_minute(16_000)).collect();
        tempos.sort_by(f64::total_cmp);
        assert!(
            (tempos[0] - 120.0).abs() < 0.5 && (tempos[1] - 172.0).abs() < 0.5,
            "{tempos:?}"
        );
        // Every click in one of them, and no train where no click played.
        let found: Vec<u64> = trains
            .iter()
            .flat_map(|t| t.clicks.iter().copied())
            .collect();
        let near = |a: u64, b: u64| a.abs_diff(b) <= 16;
        let heard = clicks
            .iter()
            .filter(|&&c| found.iter().any(|&f| near(f, c)))
            .count();
        assert!(
            heard + 2 >= clicks.len(),
            "{heard} of {} clicks",
            clicks.len()
        );
        let made_up = found
            .iter()
            .filter(|&&f| !clicks.iter().any(|&c| near(f, c)))
            .count();
        assert!(made_up <= 1, "{made_up} clicks where none played");
    }

    #[test]
    fn steps_alone_are_no_metronome() {
        let rate = 16_000.0;
        let mut samples = vec![0.0f32; 16_000 * 30];
        let step = 60.0 / 180.0 * rate;
        for n in 0..85 {
            let wander = ((n * 7919) % 13) as f64 - 6.0;
            let at = (0.1 * rate + n as f64 * step + wander * 16.0) as usize;
            thud_at(&mut samples, at, 0.5);
        }
        let mut finder = TransientFinder::new(16_000);
        finder.feed(&samples);
        assert_eq!(find_click_train(finder.onsets(), 16_000), None);
    }
}

//! A click train whose tempo ramps (a rendered profile played aloud),
//! followed click by click: each next click is looked for within a
//! millisecond of where the last few put it, on the parabola through them,
//! or where the last period puts it (a ramp starts and stops from one
//! click to the next).

use super::click_train::ClickTrain;
use super::params::MetronomeParams;

/// A train found by following clicks one by one, and how many it heard.
pub(super) struct Followed {
    pub(super) train: ClickTrain,
    pub(super) clicks_heard: usize,
}

/// The longest run of places a followed train may go unheard (a runner's
/// steps on the clicks hide a few in a row).
pub(super) const LONGEST_UNHEARD: i64 = 8;

/// The strongest train whose period may change slowly from click to click
/// (by up to `ramp_per_click` of itself per place): each next click is
/// looked for within `tolerance` of where the last few put it.
pub(super) fn ramping_train(
    onsets: &[u64],
    (shortest, longest): (f64, f64),
    tolerance: f64,
    p: &MetronomeParams,
) -> Option<Followed> {
    let mut best: Option<Vec<(i64, u64)>> = None;
    for (i, &a) in onsets.iter().enumerate() {
        // Followed from a click of the best train so far, a train is that
        // one again or a part of it: not worth following.
        if best
            .as_ref()
            .is_some_and(|h| h.binary_search_by_key(&a, |&(_, f)| f).is_ok())
        {
            continue;
        }
        for &b in &onsets[i + 1..] {
            let period = (b - a) as f64;
            if period < shortest {
                continue;
            }
            if period > longest {
                break;
            }
            let hits = follow_ramp(onsets, vec![(0, a)], period, tolerance, p.ramp_per_click);
            if best.as_ref().is_none_or(|h| hits.len() > h.len()) {
                best = Some(hits);
            }
        }
    }
    let hits = with_clicks_before(onsets, best?, tolerance, p.ramp_per_click);
    let (&(first_k, _), &(last_k, _)) = (hits.first()?, hits.last()?);
    let places = (last_k - first_k + 1) as f64;
    if hits.len() < p.min_clicks || (hits.len() as f64) < p.min_share * places {
        return None;
    }
    // Every place, heard or hidden: between two heard clicks, spaced evenly.
    let mut clicks = Vec::with_capacity(places as usize);
    for pair in hits.windows(2) {
        let ((k0, f0), (k1, f1)) = (pair[0], pair[1]);
        let step = (f1 as f64 - f0 as f64) / (k1 - k0) as f64;
        for j in 0..(k1 - k0) {
            clicks.push((f0 as f64 + j as f64 * step).round() as u64);
        }
    }
    clicks.push(hits[hits.len() - 1].1);
    let span = (hits[hits.len() - 1].1 - hits[0].1) as f64;
    Some(Followed {
        train: ClickTrain {
            clicks,
            period: span / (last_k - first_k).max(1) as f64,
        },
        clicks_heard: hits.len(),
    })
}

/// A followed train (its hits in order) with the clicks before its first
/// that it heard, followed backwards: it was first heard from wherever
/// two of its clicks began a follow that went furthest, which need not be
/// its first click (a count-in at another tempo before a ramp).
fn with_clicks_before(
    onsets: &[u64],
    hits: Vec<(i64, u64)>,
    tolerance: f64,
    ramp: f64,
) -> Vec<(i64, u64)> {
    let Some(&end) = onsets.last() else {
        return hits;
    };
    if hits.len() < 2 {
        return hits;
    }
    // Backwards in time is forwards in the mirrored recording.
    let mirrored: Vec<u64> = onsets.iter().rev().map(|&o| end - o).collect();
    let seed: Vec<(i64, u64)> = hits
        .iter()
        .take(PREDICT_FROM)
        .rev()
        .map(|&(k, f)| (-k, end - f))
        .collect();
    let period = (hits[1].1 - hits[0].1) as f64 / (hits[1].0 - hits[0].0) as f64;
    let seeded = seed.len();
    let back = follow_ramp(&mirrored, seed, period, tolerance, ramp);
    let mut all: Vec<(i64, u64)> = back[seeded..]
        .iter()
        .rev()
        .map(|&(k, f)| (-k, end - f))
        .collect();
    all.extend(hits);
    all
}

/// (place, onset) of the clicks heard following a train on from the
/// clicks `seed` (at least one, in order) at `period`, each next click
/// looked for where the last few put it (`predict`), the period let
/// change by up to `ramp` of itself per place.
fn follow_ramp(
    onsets: &[u64],
    seed: Vec<(i64, u64)>,
    period: f64,
    tolerance: f64,
    ramp: f64,
) -> Vec<(i64, u64)> {
    let mut hits = seed;
    let mut period = period;
    let mut k = hits.last().map_or(0, |h| h.0);
    let last_onset = onsets.last().copied().unwrap_or(0) as f64;
    loop {
        k += 1;
        let &(last_k, last_f) = hits.last().expect("the start");
        let places = (k - last_k) as f64;
        if k - last_k > LONGEST_UNHEARD {
            break;
        }
        // Never further from the last period than the ramp allows.
        let most = ramp * places * period * places;
        let steady = last_f as f64 + places * period;
        if steady - most > last_onset + tolerance {
            break;
        }
        let found = match predict(&hits, k) {
            // Where the ramp so far puts it, or where the last period
            // does: a ramp starts and stops from one click to the next.
            Some(e) => nearest(onsets, e.clamp(steady - most, steady + most), tolerance)
                .into_iter()
                .chain(nearest(onsets, steady, tolerance))
                .min_by(|a, b| a.1.total_cmp(&b.1)),
            // Too few clicks yet to see a ramp: anywhere it may have
            // taken the period since.
            None => nearest(onsets, steady, tolerance + most),
        };
        let Some((found, _)) = found else {
            continue;
        };
        hits.push((k, found));
        let heard = (found - last_f) as f64 / places;
        let most = ramp * places * period;
        period += (heard - period).clamp(-most, most);
    }
    hits
}

/// The onset nearest `expected` within `within` of it, and how far it is.
fn nearest(onsets: &[u64], expected: f64, within: f64) -> Option<(u64, f64)> {
    let from = onsets.partition_point(|&o| (o as f64) < expected - within);
    onsets[from..]
        .iter()
        .take_while(|&&o| (o as f64) <= expected + within)
        .map(|&o| (o, (o as f64 - expected).abs()))
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// The last clicks a followed train's next one is predicted from.
const PREDICT_FROM: usize = 8;

/// Where the click at place `k` falls by the last `PREDICT_FROM` clicks
/// heard: a ramp in cadence changes the period click by click, so their
/// frames lie on a curve, not a line; a least-squares parabola through
/// them, evaluated at `k`. `None` with too few clicks to fit one (the
/// last interval is the period then).
fn predict(hits: &[(i64, u64)], k: i64) -> Option<f64> {
    if hits.len() < 4 {
        return None;
    }
    let recent = &hits[hits.len().saturating_sub(PREDICT_FROM)..];
    let (k0, f0) = recent[recent.len() - 1];
    // Normal equations of f = a + b·x + c·x² with x = place − k0 (small
    // numbers, so that the sums stay exact enough).
    let mut s = [0.0f64; 5];
    let mut t = [0.0f64; 3];
    for &(kk, f) in recent {
        let x = (kk - k0) as f64;
        let y = f as f64 - f0 as f64;
        let mut p = 1.0;
        for (i, si) in s.iter_mut().enumerate() {
            *si += p;
            if i < 3 {
                t[i] += p * y;
            }
            p *= x;
        }
    }
    let m = [[s[0], s[1], s[2]], [s[1], s[2], s[3]], [s[2], s[3], s[4]]];
    let det = det3(m);
    if det.abs() < 1e-9 {
        return None;
    }
    let column = |i: usize| {
        let mut c = m;
        for (row, ti) in c.iter_mut().zip(t) {
            row[i] = ti;
        }
        det3(c) / det
    };
    let x = (k - k0) as f64;
    Some(f0 as f64 + column(0) + column(1) * x + column(2) * x * x)
}

fn det3(m: [[f64; 3]; 3]) -> f64 {
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::click_train::tests::{click_at, thud_at};
    use crate::detect::click_train::{find_click_train, find_click_train_with};
    use crate::detect::transients::TransientFinder;

    #[test]
    fn a_metronome_whose_tempo_ramps_is_found_click_by_click() {
        // 60 s at 16 kHz: clicks ramping 160 -> 180 a minute, steps 30 ms
        // behind them with 6 ms of wander.
        let rate = 16_000.0;
        let mut samples = vec![0.0f32; 16_000 * 60];
        let mut clicks = Vec::new();
        let mut t = 0.3;
        while t < 59.5 {
            let at = (t * rate) as usize;
            click_at(&mut samples, at, 0.5);
            clicks.push(at);
            let wander = ((clicks.len() * 7919) % 13) as f64 - 6.0;
            thud_at(
                &mut samples,
                at + (0.03 * rate) as usize + (wander * 16.0) as usize,
                0.5,
            );
            t += 60.0 / (160.0 + 20.0 * t / 60.0);
        }
        let mut finder = TransientFinder::new(16_000);
        finder.feed(&samples);
        let train = find_click_train(finder.onsets(), 16_000).expect("a train");
        let near = clicks
            .iter()
            .filter(|&&c| train.clicks.iter().any(|&f| f.abs_diff(c as u64) <= 16))
            .count();
        assert!(
            near + 4 >= clicks.len(),
            "{near} of {} clicks",
            clicks.len()
        );
        // Held steady, a grid holds only a stretch of the ramp.
        let steady_only = MetronomeParams {
            ramp_per_click: 0.0,
            ..MetronomeParams::default()
        };
        let steady = find_click_train_with(finder.onsets(), 16_000, &steady_only);
        assert!(steady.is_none_or(|s| s.clicks.len() < clicks.len() / 2));
    }
}

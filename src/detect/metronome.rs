//! Any metronome in a recording, recognised from the recording itself.
//!
//! A metronome's click is a bright transient that repeats at one period to
//! the sample; a runner's steps wander by milliseconds from one to the
//! next, however steady the runner. So: find every sharp transient (a jump
//! in the sample-to-sample difference, which a click has and a thud has
//! less of), then look for a period at which many of them line up on one
//! grid within a millisecond. Such a train is a metronome (or a drum
//! machine, which must not be counted either); its clicks are then handed
//! to the detector exactly as the app's own clicks are live, with their
//! sound as the template, so that they are never heard as steps and a step
//! landing beside one still is.

use super::click_cancel::{ClickWave, WaveCollector};
use super::click_template::ClickTemplate;
use super::params::MetronomeParams;
use super::transients::TransientFinder;

/// A candidate grid is first followed over this many places near the two
/// clicks it was drawn from, and must hold half of them.
const NEARBY_PLACES: f64 = 12.0;

/// A metronome heard in a recording.
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

/// The strongest steady click train among `onsets`, if there is one.
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
    let (&(first_k, _), &(last_k, _)) = (hits.first()?, hits.last()?);
    let places = (last_k - first_k + 1) as f64;
    if hits.len() < p.min_clicks || (hits.len() as f64) < p.min_share * places {
        return None;
    }
    let clicks = (first_k..=last_k)
        .map(|k| (start + k as f64 * period).round().max(0.0) as u64)
        .collect();
    Some(ClickTrain { clicks, period })
}

/// A train found by following clicks one by one, and how many it heard.
struct Followed {
    train: ClickTrain,
    clicks_heard: usize,
}

/// The longest run of places a followed train may go unheard (a runner's
/// steps on the clicks hide a few in a row).
const LONGEST_UNHEARD: i64 = 8;

/// The strongest train whose period may change slowly from click to click
/// (by up to `ramp_per_click` of itself per place): each next click is
/// looked for within `tolerance` of where the last few put it.
fn ramping_train(
    onsets: &[u64],
    (shortest, longest): (f64, f64),
    tolerance: f64,
    p: &MetronomeParams,
) -> Option<Followed> {
    let mut best: Option<Vec<(i64, u64)>> = None;
    for (i, &a) in onsets.iter().enumerate() {
        for &b in &onsets[i + 1..] {
            let period = (b - a) as f64;
            if period < shortest {
                continue;
            }
            if period > longest {
                break;
            }
            let hits = follow_ramp(onsets, a, period, tolerance, p.ramp_per_click);
            if best.as_ref().is_none_or(|h| hits.len() > h.len()) {
                best = Some(hits);
            }
        }
    }
    let hits = best?;
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

/// (place, onset) of the clicks heard following a train from onset
/// `start` at `period`, the period taken from the last two clicks heard
/// and let change by up to `ramp` of itself per place.
fn follow_ramp(
    onsets: &[u64],
    start: u64,
    period: f64,
    tolerance: f64,
    ramp: f64,
) -> Vec<(i64, u64)> {
    let mut hits = vec![(0i64, start)];
    let mut period = period;
    let mut k = 0i64;
    let last_onset = onsets.last().copied().unwrap_or(0) as f64;
    loop {
        k += 1;
        let &(last_k, last_f) = hits.last().expect("the start");
        if k - last_k > LONGEST_UNHEARD {
            break;
        }
        let expected = last_f as f64 + (k - last_k) as f64 * period;
        if expected > last_onset + tolerance {
            break;
        }
        let from = onsets.partition_point(|&o| (o as f64) < expected - tolerance);
        let Some(&found) = onsets
            .get(from)
            .filter(|&&o| (o as f64) <= expected + tolerance)
        else {
            continue;
        };
        hits.push((k, found));
        // A metronome's clicks are where it put them to the sample: the
        // last interval is the period now (a fit through several would
        // lag a ramp).
        let heard = (found - last_f) as f64 / (k - last_k) as f64;
        let most = ramp * (k - last_k) as f64 * period;
        period += (heard - period).clamp(-most, most);
    }
    hits
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

/// A metronome heard in a recording, and its sound.
#[derive(Debug, Clone, PartialEq)]
pub struct Metronome {
    pub train: ClickTrain,
    /// The mean click heard alone; `None` when every click had company.
    pub sound: Option<Vec<f32>>,
    /// The click's waveform, to take it out of the recording
    /// (`click_cancel`); `None` when too few clicks were heard.
    pub wave: Option<ClickWave>,
}

/// Something that plays a recording through, block by block in order, to
/// the sink it is handed; it may be asked more than once.
pub type Replay<'a> = dyn FnMut(&mut dyn FnMut(&[f32])) + 'a;

/// Listens for a metronome in a recording that `stream` plays through
/// (called once or twice, each time handing every block in order to its
/// argument): the transients first, then, if a train is found, its sound.
pub fn find_metronome(sample_rate: u32, stream: &mut Replay<'_>) -> Option<Metronome> {
    find_metronome_with(sample_rate, stream, &MetronomeParams::default())
}

/// The same with the finder's parameters given.
pub fn find_metronome_with(
    sample_rate: u32,
    stream: &mut Replay<'_>,
    p: &MetronomeParams,
) -> Option<Metronome> {
    let mut finder = TransientFinder::with_params(sample_rate, p);
    stream(&mut |block| finder.feed(block));
    let train = find_click_train_with(finder.onsets(), sample_rate, p)?;
    let mut template = ClickTemplate::new(&train, finder.onsets(), sample_rate, p);
    let mut wave = WaveCollector::new(&train, sample_rate, p);
    stream(&mut |block| {
        template.feed(block);
        if p.cancel {
            wave.feed(block);
        }
    });
    Some(Metronome {
        sound: template.finish(),
        wave: if p.cancel { wave.finish() } else { None },
        train,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn click_at(samples: &mut [f32], at: usize, gain: f32) {
        for k in 0..200.min(samples.len() - at) {
            samples[at + k] += gain * (k as f32 * 1.9).sin() * (-(k as f32) / 30.0).exp();
        }
    }

    fn thud_at(samples: &mut [f32], at: usize, gain: f32) {
        for k in 0..1500.min(samples.len() - at) {
            let attack = (k as f32 / 60.0).min(1.0);
            samples[at + k] +=
                gain * attack * (k as f32 * 0.02).sin() * (-(k as f32) / 400.0).exp();
        }
    }

    /// 30 s at 16 kHz: a metronome at 172 per minute, steps at 180 with
    /// 6 ms of wander, both at the same level.
    fn recording() -> (Vec<f32>, Vec<usize>) {
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
    fn the_found_click_sounds_like_the_metronome() {
        let (samples, _) = recording();
        let mut replay = |sink: &mut dyn FnMut(&[f32])| {
            for block in samples.chunks(160) {
                sink(block);
            }
        };
        let metronome = find_metronome(16_000, &mut replay).expect("a metronome");
        let sound = metronome.sound.expect("clicks heard alone");
        let mut click = vec![0.0f32; sound.len()];
        click_at(&mut click, 0, 0.5);
        // The template starts at the click's first sharp sample, a few
        // samples in, and averages clicks whose sub-sample phases differ:
        // what the detector uses is its level over time (per band and 1 ms
        // hop), so compare the 1 ms envelopes at the best lag.
        let envelope = |x: &[f32]| -> Vec<f32> {
            x.chunks(16)
                .map(|c| (c.iter().map(|v| v * v).sum::<f32>() / c.len() as f32).sqrt())
                .collect()
        };
        // Over the click itself (its first 10 ms; after that the mean holds
        // what rang under it: steps and noise, far below its peak).
        let found = envelope(&sound[..160]);
        let correlation = |lag: usize| -> f32 {
            let wanted = envelope(&click[lag..]);
            let (mut xy, mut xx, mut yy) = (0.0, 0.0, 0.0);
            for (x, y) in found.iter().zip(&wanted) {
                xy += x * y;
                xx += x * x;
                yy += y * y;
            }
            xy / (xx * yy).sqrt().max(1e-12)
        };
        let best = (0..12).map(correlation).fold(f32::MIN, f32::max);
        assert!(best > 0.9, "correlation {best}");
    }

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

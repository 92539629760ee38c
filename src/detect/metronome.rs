//! Metronomes in a recording, recognised from the recording itself: the
//! sharp transients (a jump in the sample-to-sample difference, which a
//! click has and a thud has less of) are gathered, the click trains among
//! them found (`click_train`), and for each train its sound and its
//! waveform taken from the recording. The trains' clicks then go to the
//! detector exactly as the app's own clicks do live, with their sound as
//! the template, and are taken out of the samples before it listens
//! (`click_cancel`), so that they are never heard as steps and a step
//! landing beside one still is.

use super::click_cancel::{ClickWave, WaveCollector};
use super::click_template::ClickTemplate;
use super::click_train::{find_click_trains_with, near_any, ClickTrain};
use super::params::MetronomeParams;
use super::transients::TransientFinder;

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

/// Listens for metronomes in a recording that `stream` plays through
/// (called once or twice, each time handing every block in order to its
/// argument): the transients first, then, for each train found, its
/// sound. Strongest first; empty when there is none. (No click times
/// known: `find_metronomes_knowing` with none.)
pub fn find_metronomes_with(
    sample_rate: u32,
    stream: &mut Replay<'_>,
    p: &MetronomeParams,
) -> Vec<Metronome> {
    find_metronomes_knowing(sample_rate, stream, &[], p)
}

/// Each train with its sound and waveform, taken from the recording in one
/// more pass.
fn sounds_of(
    trains: Vec<ClickTrain>,
    onsets: &[u64],
    sample_rate: u32,
    stream: &mut Replay<'_>,
    p: &MetronomeParams,
) -> Vec<Metronome> {
    if trains.is_empty() {
        return Vec::new();
    }
    let mut listeners: Vec<(ClickTemplate, WaveCollector)> = trains
        .iter()
        .map(|train| {
            (
                ClickTemplate::new(train, onsets, sample_rate, p),
                WaveCollector::new(train, sample_rate, p),
            )
        })
        .collect();
    stream(&mut |block| {
        for (template, wave) in &mut listeners {
            template.feed(block);
            if p.cancel {
                wave.feed(block);
            }
        }
    });
    trains
        .into_iter()
        .zip(listeners)
        .map(|(train, (template, wave))| Metronome {
            sound: template.finish(),
            wave: if p.cancel { wave.finish() } else { None },
            train,
        })
        .collect()
}

/// The longest a click may take from where it was played to where the
/// recording holds it (s): a speaker, a room and a phone's input buffer.
const LONGEST_ARRIVAL_S: f64 = 0.3;

/// Metronomes in a recording where some clicks' times are known (`known`,
/// frames of the recording where they were played, in order: a profile
/// with `--start`, a file of click times): those clicks are looked for at
/// one arrival delay after their times (the median from each to the
/// nearest sharp transient after it, then within the grid's tolerance),
/// and if enough are heard there they are the first metronome, their
/// sound and waveform taken as a found one's. Any other metronome is then
/// looked for among the transients left. Clicks that are not in the
/// recording (played into headphones) make no metronome.
pub fn find_metronomes_knowing(
    sample_rate: u32,
    stream: &mut Replay<'_>,
    known: &[u64],
    p: &MetronomeParams,
) -> Vec<Metronome> {
    let mut finder = TransientFinder::with_params(sample_rate, p);
    stream(&mut |block| finder.feed(block));
    let rate = f64::from(sample_rate);
    let onsets = finder.onsets();
    let heard = known_train(onsets, known, rate, p);
    let left: Vec<u64> = match &heard {
        Some(train) => onsets
            .iter()
            .copied()
            .filter(|&o| !near_any(&train.clicks, o, p.grid_tolerance_s * rate))
            .collect(),
        None => onsets.to_vec(),
    };
    let trains: Vec<ClickTrain> = heard
        .into_iter()
        .chain(find_click_trains_with(&left, sample_rate, p))
        .take(p.max_trains.max(1))
        .collect();
    sounds_of(trains, onsets, sample_rate, stream, p)
}

/// The known clicks as heard: moved by their arrival delay, if at least
/// `min_clicks` and `min_share` of them are heard there.
fn known_train(
    onsets: &[u64],
    known: &[u64],
    rate: f64,
    p: &MetronomeParams,
) -> Option<ClickTrain> {
    let longest = (LONGEST_ARRIVAL_S * rate) as i64;
    let tolerance = p.grid_tolerance_s * rate;
    // An onset may be dated a few samples before the click (its first
    // sharp sample, within a hop).
    let earliest = tolerance as i64;
    let mut delays: Vec<i64> = known
        .iter()
        .filter_map(|&c| {
            let at = onsets.partition_point(|&o| (o as i64) < c as i64 - earliest);
            onsets
                .get(at)
                .map(|&o| o as i64 - c as i64)
                .filter(|&d| d <= longest)
        })
        .collect();
    if delays.len() < p.min_clicks {
        return None;
    }
    delays.sort_unstable();
    let delay = delays[delays.len() / 2];
    let clicks: Vec<u64> = known
        .iter()
        .filter_map(|&c| u64::try_from(c as i64 + delay).ok())
        .collect();
    if clicks.len() < 2 {
        return None;
    }
    let heard = clicks
        .iter()
        .filter(|&&c| {
            let at = onsets.partition_point(|&o| (o as f64) < c as f64 - tolerance);
            onsets
                .get(at)
                .is_some_and(|&o| o as f64 <= c as f64 + tolerance)
        })
        .count();
    if heard < p.min_clicks || (heard as f64) < p.min_share * clicks.len() as f64 {
        return None;
    }
    let span = (clicks[clicks.len() - 1] - clicks[0]) as f64;
    let period = span / (clicks.len() - 1).max(1) as f64;
    Some(ClickTrain { clicks, period })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::click_train::tests::{click_at, recording};

    #[test]
    fn the_found_click_sounds_like_the_metronome() {
        let (samples, _) = recording();
        let mut replay = |sink: &mut dyn FnMut(&[f32])| {
            for block in samples.chunks(160) {
                sink(block);
            }
        };
        let metronomes = find_metronomes_with(16_000, &mut replay, &MetronomeParams::default());
        let metronome = metronomes.first().cloned().expect("a metronome");
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
}

//! Single step sounds cut out of recordings: each clip starts a few
//! milliseconds before its onset and knows where that onset is, to the
//! sample, so a mix built from clips has its truth to the sample.
//!
//! Recordings of footsteps come as one step per file (game sound packs)
//! or as a walk (a field recording): both are cut the same way, at every
//! rise of the short-time energy well above the file's own floor. The
//! synthesised strikes of `sources` are turned into clips the same way, so
//! the project's own generator is one source among the others.

use super::rng::Rng;
use super::sources::{add_strike, StrikeCharacter};

/// One step sound.
#[derive(Debug, Clone, PartialEq)]
pub struct StepClip {
    pub samples: Vec<f32>,
    /// The sample at which the foot lands (the truth within the clip).
    pub onset: usize,
    /// Which file it was cut from, for the record.
    pub origin: String,
}

/// How much of the sound before an onset a clip keeps (s): enough for
/// the detector to see the rise, not so much that the file's own noise
/// floor becomes a second source of noise.
pub const PRE_ROLL_S: f64 = 0.005;
/// The longest a clip runs after its onset (s): a step's body and deck
/// ring are over well before the next step at 210 spm (286 ms).
pub const LONGEST_S: f64 = 0.26;
/// The shortest clip worth keeping after its onset (s).
const SHORTEST_S: f64 = 0.04;
/// The energy envelope's hop and window (s): fine enough to find an
/// onset within a couple of milliseconds before the sample search.
const HOP_S: f64 = 0.002;
const WINDOW_S: f64 = 0.004;
/// An onset rises this far (dB) above the file's floor (its 20th
/// percentile frame) and comes within `BELOW_PEAK_DB` of the loudest
/// frame: a step, not a scuff or a rustle.
const ABOVE_FLOOR_DB: f64 = 15.0;
const BELOW_PEAK_DB: f64 = 30.0;
/// Two onsets closer than this (s) are one step (a heel and its toe,
/// a strike and its rattle).
const SAME_STEP_S: f64 = 0.15;
/// Where within the rise the onset is put: the first sample whose
/// smoothed magnitude reaches this fraction of the step's peak.
const ONSET_FRACTION: f32 = 0.1;
/// The fade at a clip's end (s), so no clip ends in a click.
const FADE_S: f64 = 0.015;

fn db(power: f64) -> f64 {
    10.0 * power.max(1e-20).log10()
}

/// The onsets of the steps in `samples` (sample indices).
pub fn find_onsets(samples: &[f32], sample_rate: u32) -> Vec<usize> {
    let sr = f64::from(sample_rate);
    let hop = ((HOP_S * sr) as usize).max(1);
    let window = ((WINDOW_S * sr) as usize).max(hop);
    if samples.len() < window {
        return Vec::new();
    }
    let frames: Vec<f64> = (0..=(samples.len() - window) / hop)
        .map(|k| {
            let w = &samples[k * hop..k * hop + window];
            db(w.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>() / window as f64)
        })
        .collect();
    let mut sorted = frames.clone();
    sorted.sort_by(f64::total_cmp);
    let floor = sorted[sorted.len() / 5];
    let peak = sorted[sorted.len() - 1];
    let threshold = (floor + ABOVE_FLOOR_DB).max(peak - BELOW_PEAK_DB);
    let same_step = (SAME_STEP_S / HOP_S) as usize;
    let mut onsets = Vec::new();
    let mut last: Option<usize> = None;
    // A file may start on its step: before the first frame is silence.
    for k in 0..frames.len() {
        let before = if k == 0 {
            f64::NEG_INFINITY
        } else {
            frames[k - 1]
        };
        let rises = frames[k] >= threshold && before < threshold;
        if !rises || last.is_some_and(|l| k - l < same_step) {
            continue;
        }
        last = Some(k);
        onsets.push(refine(samples, k * hop, sr));
    }
    onsets
}

/// The first sample, in the 20 ms before a frame's start to the step's
/// peak, whose 1 ms smoothed magnitude reaches `ONSET_FRACTION` of the
/// peak of the following 30 ms.
fn refine(samples: &[f32], at: usize, sr: f64) -> usize {
    let smooth = ((0.001 * sr) as usize).max(1);
    let from = at.saturating_sub((0.02 * sr) as usize);
    let to = (at + (0.03 * sr) as usize).min(samples.len());
    let magnitude: Vec<f32> = (from..to)
        .map(|i| {
            let w = &samples[i..(i + smooth).min(samples.len())];
            w.iter().map(|x| x.abs()).sum::<f32>() / w.len() as f32
        })
        .collect();
    let peak = magnitude.iter().fold(0.0f32, |m, x| m.max(*x));
    let first = magnitude
        .iter()
        .position(|m| *m >= ONSET_FRACTION * peak)
        .unwrap_or(0);
    from + first
}

/// Cuts every step out of a recording.
pub fn extract_steps(samples: &[f32], sample_rate: u32, origin: &str) -> Vec<StepClip> {
    let sr = f64::from(sample_rate);
    let mean = samples.iter().map(|x| f64::from(*x)).sum::<f64>() / samples.len().max(1) as f64;
    let centred: Vec<f32> = samples.iter().map(|x| x - mean as f32).collect();
    let onsets = find_onsets(&centred, sample_rate);
    let pre = (PRE_ROLL_S * sr) as usize;
    let longest = (LONGEST_S * sr) as usize;
    let gap = (0.01 * sr) as usize;
    let mut clips = Vec::new();
    for (i, onset) in onsets.iter().enumerate() {
        let start = onset.saturating_sub(pre);
        let end = onsets
            .get(i + 1)
            .map_or(centred.len(), |next| next.saturating_sub(gap))
            .min(onset + longest)
            .min(centred.len());
        if end <= onset + (SHORTEST_S * sr) as usize {
            continue;
        }
        let mut clip = centred[start..end].to_vec();
        fade(&mut clip, onset - start, (FADE_S * sr) as usize);
        clips.push(StepClip {
            samples: clip,
            onset: onset - start,
            origin: format!("{origin}@{:.3}s", *onset as f64 / sr),
        });
    }
    clips
}

/// Raises the pre-roll from silence and fades out the end.
fn fade(clip: &mut [f32], rise: usize, fall: usize) {
    for (i, x) in clip.iter_mut().take(rise).enumerate() {
        *x *= i as f32 / rise as f32;
    }
    let n = clip.len();
    let fall = fall.min(n);
    for (i, x) in clip[n - fall..].iter_mut().enumerate() {
        *x *= 1.0 - (i + 1) as f32 / fall as f32;
    }
}

/// The project's synthesised strikes as clips: `per_character` of each
/// character, at `sample_rate`.
pub fn synthetic_bank(sample_rate: u32, per_character: usize, seed: u64) -> Vec<StepClip> {
    let sr = f64::from(sample_rate);
    let pre = (PRE_ROLL_S * sr) as usize;
    let len = pre + (LONGEST_S * sr) as usize;
    let mut rng = Rng::new(seed);
    let mut clips = Vec::new();
    for character in StrikeCharacter::ALL {
        for k in 0..per_character {
            let mut out = vec![0.0f64; len];
            add_strike(&mut out, pre, sr, character, 1.0, &mut rng);
            let mut clip: Vec<f32> = out.iter().map(|x| *x as f32).collect();
            fade(&mut clip, 0, (FADE_S * sr) as usize);
            clips.push(StepClip {
                samples: clip,
                onset: pre,
                origin: format!("synthetic {} #{k}", character.name()),
            });
        }
    }
    clips
}

#[cfg(test)]
mod tests {
    use super::*;

    const SR: u32 = 48000;

    /// A walk: decaying noise bursts at known samples over a faint hiss.
    fn walk(onsets: &[usize], len: usize) -> Vec<f32> {
        let mut rng = Rng::new(7);
        let mut x: Vec<f32> = (0..len).map(|_| 0.001 * rng.noise() as f32).collect();
        for at in onsets {
            for i in 0..(0.1 * f64::from(SR)) as usize {
                let t = i as f64 / f64::from(SR);
                x[at + i] += ((-t / 0.02).exp() * rng.noise()) as f32 * 0.5;
            }
        }
        x
    }

    #[test]
    fn finds_each_step_of_a_walk_within_a_millisecond() {
        let truth = [4800, 30000, 55555, 80000];
        let x = walk(&truth, 100000);
        let onsets = find_onsets(&x, SR);
        assert_eq!(onsets.len(), truth.len(), "{onsets:?}");
        for (found, true_at) in onsets.iter().zip(truth) {
            assert!(found.abs_diff(true_at) <= 48, "{found} vs {true_at}");
        }
    }

    #[test]
    fn a_clip_knows_its_onset_and_stops_before_the_next_step() {
        let truth = [4800, 14400];
        let x = walk(&truth, 40000);
        let clips = extract_steps(&x, SR, "walk");
        assert_eq!(clips.len(), 2);
        let first = &clips[0];
        let pre = (PRE_ROLL_S * f64::from(SR)) as usize;
        assert!(first.onset.abs_diff(pre) <= 48, "{}", first.onset);
        // Cut 10 ms before the second step's onset.
        assert!(first.samples.len() <= 14400 - 4800 + pre - 480 + 48);
        assert_eq!(*first.samples.last().unwrap(), 0.0);
    }

    #[test]
    fn a_strike_and_its_echo_30_ms_later_are_one_step() {
        let x = walk(&[4800, 4800 + 1440], 20000);
        assert_eq!(find_onsets(&x, SR).len(), 1);
    }

    #[test]
    fn silence_has_no_steps() {
        assert!(extract_steps(&vec![0.0; 48000], SR, "silence").is_empty());
        assert!(extract_steps(&[], SR, "nothing").is_empty());
    }

    #[test]
    fn the_synthetic_bank_has_every_character_with_its_onset() {
        let bank = synthetic_bank(SR, 3, 1);
        assert_eq!(bank.len(), 12);
        for clip in &bank {
            // Nothing before the onset, something right after it.
            assert!(clip.samples[..clip.onset].iter().all(|x| *x == 0.0));
            let after = &clip.samples[clip.onset..clip.onset + 240];
            assert!(after.iter().any(|x| x.abs() > 1e-3), "{}", clip.origin);
        }
    }
}

//! Music in a recording, recognised by its repetition (`detect` only;
//! off unless `RepetitionParams::find`).
//!
//! Produced music repeats: a bar's drums, bass and chords come back a bar
//! or two later. What a band heard at the same place in the bars either
//! side (the quietest of them, each at its loudest within a hop, for a lag
//! between hops) is taken for what the music alone puts there, and the
//! detector is handed these levels as it is handed the app's own music
//! live (`own_music`): a band counts only where it rises above them.
//!
//! Off, because it cannot tell music from a runner who keeps time: steps
//! at a steady cadence repeat at every multiple of their period, a few
//! milliseconds off each time, and the quietest of the bars either side
//! then holds a step too, which takes the step's rise away. Two guards
//! were tried (`agree_db`: nothing is expected where the bars disagree;
//! `rise_hops`: music is expected by the rise every bar makes at the very
//! same hop, which a step a few ms off does not): each keeps the steps
//! but lets most of the music through. The figures are in
//! docs/lab/detector-params.md; the sweep keeps the code honest.

use super::filterbank::{FilterBank, BAND_COUNT, FLOOR_DB};
use super::metronome::Replay;
use super::params::RepetitionParams;
use super::repeat_lag::stretch_lags;

/// The music found: the recording's band levels and, per stretch, the lag
/// (hops) at which they repeat.
pub struct RepeatingMusic {
    hop_samples: u64,
    levels: Vec<[f32; BAND_COUNT]>,
    /// One per `stretch_hops`.
    lags: Vec<Option<f64>>,
    stretch_hops: usize,
    /// The tuning constants (`repeats` at least 1).
    p: RepetitionParams,
}

/// Listens to the recording `stream` plays through (once) for music that
/// repeats; `None` where no stretch has a lag.
pub fn find_repeating_music(
    sample_rate: u32,
    stream: &mut Replay<'_>,
    p: &RepetitionParams,
) -> Option<RepeatingMusic> {
    let mut bank = FilterBank::new(sample_rate);
    let hop_samples = bank.hop_samples() as u64;
    let mut levels = Vec::new();
    stream(&mut |block| {
        for &x in block {
            if let Some(l) = bank.push(x) {
                levels.push(l);
            }
        }
    });
    let hop_s = hop_samples as f64 / f64::from(sample_rate);
    let stretch_hops = ((p.stretch_s / hop_s) as usize).max(1);
    let lags = stretch_lags(&levels, stretch_hops, hop_s, p);
    let mut p = *p;
    p.repeats = p.repeats.max(1);
    lags.iter().any(Option::is_some).then_some(RepeatingMusic {
        hop_samples,
        levels,
        lags,
        stretch_hops,
        p,
    })
}

impl RepeatingMusic {
    /// Samples per hop of the levels.
    pub fn hop_samples(&self) -> u64 {
        self.hop_samples
    }

    /// Hops of levels known.
    pub fn hops(&self) -> usize {
        self.levels.len()
    }

    /// What the music alone puts in each band at `hop`, if music repeats
    /// there: the quietest of the levels a lag (and `repeats` lags) either
    /// side, each the loudest within `widen_hops`.
    pub fn expected(&self, hop: usize) -> Option<[f32; BAND_COUNT]> {
        if self.p.rise_hops > 0 {
            return self.expected_rise(hop);
        }
        let lag = self.lags.get(hop / self.stretch_hops).copied().flatten()?;
        let n = self.levels.len() as i64;
        let widen = self.p.widen_hops as i64;
        let mut expected = [f32::INFINITY; BAND_COUNT];
        let mut highest = [FLOOR_DB; BAND_COUNT];
        let mut seen = 0;
        for k in 1..=self.p.repeats as i64 {
            for sign in [-1, 1] {
                let at = (hop as f64 + (sign * k) as f64 * lag).round() as i64;
                if at - widen < 0 || at + widen >= n {
                    continue;
                }
                seen += 1;
                let mut loudest = [FLOOR_DB; BAND_COUNT];
                for l in &self.levels[(at - widen) as usize..=(at + widen) as usize] {
                    for (m, v) in loudest.iter_mut().zip(l) {
                        *m = m.max(*v);
                    }
                }
                for ((e, h), l) in expected.iter_mut().zip(&mut highest).zip(loudest) {
                    *e = e.min(l);
                    *h = h.max(l);
                }
            }
        }
        // Bars that disagree are not music repeating there (a step lands
        // a few ms off in each): nothing is expected of the band.
        for (e, h) in expected.iter_mut().zip(highest) {
            if h - *e > self.p.agree_db {
                *e = FLOOR_DB;
            }
        }
        (seen >= 2).then_some(expected)
    }

    /// The level `rise_hops` ago raised by the least rise the bars either
    /// side make to the hop: music rises at the same hop of every bar, a
    /// step a few ms off in each.
    fn expected_rise(&self, hop: usize) -> Option<[f32; BAND_COUNT]> {
        let lag = self.lags.get(hop / self.stretch_hops).copied().flatten()?;
        let n = self.levels.len() as i64;
        let d = self.p.rise_hops as i64;
        if (hop as i64) < d {
            return None;
        }
        let mut least = [f32::INFINITY; BAND_COUNT];
        let mut seen = 0;
        for k in 1..=self.p.repeats as i64 {
            for sign in [-1, 1] {
                let at = (hop as f64 + (sign * k) as f64 * lag).round() as i64;
                if at - d < 0 || at >= n {
                    continue;
                }
                seen += 1;
                let (now, before) = (&self.levels[at as usize], &self.levels[(at - d) as usize]);
                for ((m, a), b) in least.iter_mut().zip(now).zip(before) {
                    *m = m.min(a - b);
                }
            }
        }
        let before = &self.levels[hop - self.p.rise_hops];
        let mut expected = [FLOOR_DB; BAND_COUNT];
        for ((e, m), b) in expected.iter_mut().zip(least).zip(before) {
            if m > 0.0 {
                *e = b + m;
            }
        }
        (seen >= 2).then_some(expected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: u32 = 48_000;

    /// A little pseudo-random noise, the same for the same seed.
    fn noise(seed: u64, n: usize) -> Vec<f32> {
        let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                ((x >> 40) as f32 / (1u64 << 24) as f32) - 0.5
            })
            .collect()
    }

    /// Twenty seconds of a drum loop (the same hiss burst at 0, 0.5, 1.0
    /// and 1.25 s of every 2 s bar) and a runner's thumps at 172 spm,
    /// 7 ms of jitter and a louder and a softer foot; the thumps' times
    /// (s). At 170 spm the steps fall in step with the loop every three
    /// bars (17 steps in 6 s), that lag is found, and the steps are
    /// expected as the loop is: the reason `find` is off.
    fn loop_and_steps() -> (Vec<f32>, Vec<f64>) {
        let n = 20 * RATE as usize;
        let mut samples = noise(99, n).iter().map(|v| v * 0.002).collect::<Vec<f32>>();
        let burst: Vec<f32> = noise(7, 2400)
            .iter()
            .enumerate()
            .map(|(i, v)| v * 0.6 * (-(i as f32) / 300.0).exp())
            .collect();
        for bar in 0..10 {
            for at in [0.0, 0.5, 1.0, 1.25] {
                let start = ((f64::from(bar) * 2.0 + at) * f64::from(RATE)) as usize;
                for (s, b) in samples[start..].iter_mut().zip(&burst) {
                    *s += b;
                }
            }
        }
        let jitter = noise(3, 200);
        let mut steps = Vec::new();
        let mut t = 0.13;
        let mut k = 0;
        while t < 19.8 {
            let start = (t * f64::from(RATE)) as usize;
            let gain = if k % 2 == 0 { 0.5 } else { 0.3 };
            for i in 0..4800.min(n - start) {
                let tt = i as f32 / RATE as f32;
                samples[start + i] +=
                    gain * (2.0 * std::f32::consts::PI * 90.0 * tt).sin() * (-tt / 0.03).exp();
            }
            steps.push(t);
            k += 1;
            t = 0.13 + f64::from(k) * 60.0 / 172.0 + f64::from(jitter[k as usize]) * 0.024;
        }
        (samples, steps)
    }

    fn found(samples: &[f32]) -> RepeatingMusic {
        let mut stream = |sink: &mut dyn FnMut(&[f32])| {
            for block in samples.chunks(480) {
                sink(block);
            }
        };
        find_repeating_music(RATE, &mut stream, &RepetitionParams::default()).expect("music")
    }

    #[test]
    fn the_loop_is_expected_and_the_steps_are_not() {
        let (samples, steps) = loop_and_steps();
        let music = found(&samples);
        let top = BAND_COUNT - 1;
        let bottom = 0;
        // The loop's third hit of bar 5 (10 s + 1.0 s), at its loudest in
        // the top band: the bars either side put it there too.
        let hit = 11_000 + 3;
        let expected = music.expected(hit).expect("a lag there");
        let heard = music.levels[hit][top];
        assert!(
            expected[top] > heard - 3.0,
            "{} against {heard}",
            expected[top]
        );
        // A thump's rise in the lowest band, a few hops in: no bar either
        // side has one there.
        let mut below = 0;
        let mut counted = 0;
        for t in steps.iter().filter(|t| **t > 4.5 && **t < 15.5) {
            let hop = (t * 1000.0) as usize + 4;
            let Some(expected) = music.expected(hop) else {
                continue;
            };
            counted += 1;
            if expected[bottom] < music.levels[hop][bottom] - 6.0 {
                below += 1;
            }
        }
        assert!(counted > 20, "{counted}");
        assert!(below * 10 >= counted * 8, "{below} of {counted}");
    }
}

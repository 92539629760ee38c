//! A metronome found in a recording, taken out of it sample by sample.
//!
//! A click reaches the microphone as the same waveform every time (the
//! same sound through the same speaker and room), where a footstep that
//! lands with it adds a sound the click does not hold. So the click's
//! waveform is learned from the recording (the median, sample by sample,
//! of clicks aligned on each other to the sample: a step under some of
//! them is no part of it, as it would be of a mean) and each click is
//! subtracted where it lines up best with the recording. What is left is
//! the steps and the noise; the detector listens to that, so a step on a
//! click is heard by its whole sound, not only by what rises over the
//! click's own level band by band.

use super::click_train::ClickTrain;
use super::params::MetronomeParams;
use super::stats::dot;

/// A click's waveform as heard in the recording: `samples[pre]` is where
/// the train's grid puts the click.
#[derive(Debug, Clone, PartialEq)]
pub struct ClickWave {
    pub samples: Vec<f32>,
    pub pre: usize,
    /// The part that carries most of its energy (from, to), where clicks
    /// are lined up with it.
    core: (usize, usize),
}

impl ClickWave {
    /// The waveform fades out over its last quarter: where it stops, what
    /// is left of a long click must not start abruptly.
    fn new(mut samples: Vec<f32>, pre: usize) -> ClickWave {
        let fade = samples.len() / 4;
        let from = samples.len() - fade;
        for (i, x) in samples[from..].iter_mut().enumerate() {
            let phase = std::f32::consts::PI * (i as f32 + 0.5) / fade as f32;
            *x *= 0.5 * (1.0 + phase.cos());
        }
        let total: f64 = samples.iter().map(|x| f64::from(x * x)).sum();
        let mut core = (0, samples.len());
        if total > 0.0 {
            // From where the energy starts to where 95 % of it is in.
            let mut sum = 0.0;
            let mut from = None;
            for (i, x) in samples.iter().enumerate() {
                sum += f64::from(x * x);
                if from.is_none() && sum > 0.001 * total {
                    from = Some(i);
                }
                if sum >= 0.95 * total {
                    core = (from.unwrap_or(0), i + 1);
                    break;
                }
            }
        }
        ClickWave { samples, pre, core }
    }
}

/// The lag in `-search..=search` at which `wave` best lines up with
/// `signal` (`signal[center + lag + k]` against `wave[k]`, over `core`),
/// with samples outside `signal` taken as silence.
fn best_lag(signal: &[f32], center: i64, wave: &[f32], core: (usize, usize), search: i64) -> i64 {
    let mut best = (0, f32::MIN);
    for lag in -search..=search {
        // The part of the core that falls inside the signal.
        let start = center + lag;
        let from = (core.0 as i64).max(-start);
        let to = (core.1 as i64).min(signal.len() as i64 - start);
        if from >= to {
            continue;
        }
        let (from, to) = (from as usize, to as usize);
        let at = (start + from as i64) as usize;
        let d = dot(&signal[at..at + (to - from)], &wave[from..to]);
        if d > best.1 {
            best = (lag, d);
        }
    }
    best.0
}

/// The element-wise median of `snippets` (all of one length).
fn median_of(snippets: &[Vec<f32>]) -> Vec<f32> {
    let len = snippets.first().map_or(0, Vec::len);
    let mut column = Vec::with_capacity(snippets.len());
    (0..len)
        .map(|i| {
            column.clear();
            column.extend(snippets.iter().map(|s| s[i]));
            column.sort_unstable_by(f32::total_cmp);
            let n = column.len();
            if n % 2 == 1 {
                column[n / 2]
            } else {
                0.5 * (column[n / 2 - 1] + column[n / 2])
            }
        })
        .collect()
}

/// Collects, in one pass through the recording, wide snippets around
/// clicks spread over the whole train, and makes their aligned median.
pub struct WaveCollector {
    /// Onset frames of the snippets to take (less `pre + search`), in order.
    starts: Vec<u64>,
    next: usize,
    len: usize,
    pre: usize,
    search: usize,
    snippets: Vec<Vec<f32>>,
    current: Vec<f32>,
    frame: u64,
}

impl WaveCollector {
    pub fn new(train: &ClickTrain, sample_rate: u32, p: &MetronomeParams) -> WaveCollector {
        let rate = f64::from(sample_rate);
        let pre = (p.cancel_pre_s * rate).round() as usize;
        let search = (p.cancel_search_s * rate).round() as usize;
        let len = ((p.cancel_s.min(p.shortest_period_s) * rate) as usize).max(1);
        let wanted = p.wave_clicks.max(1);
        let n = train.clicks.len();
        let every = n.div_ceil(wanted).max(1);
        let starts = train
            .clicks
            .iter()
            .step_by(every)
            .filter_map(|&c| c.checked_sub((pre + search) as u64))
            .collect();
        WaveCollector {
            starts,
            next: 0,
            len,
            pre,
            search,
            snippets: Vec::new(),
            current: Vec::new(),
            frame: 0,
        }
    }

    pub fn feed(&mut self, block: &[f32]) {
        let width = self.len + 2 * self.search;
        for &x in block {
            if let Some(&start) = self.starts.get(self.next) {
                if self.frame >= start {
                    self.current.push(if x.is_finite() { x } else { 0.0 });
                    if self.current.len() == width {
                        self.snippets.push(std::mem::take(&mut self.current));
                        self.next += 1;
                    }
                }
            }
            self.frame += 1;
        }
    }

    /// The clicks' waveform: each snippet lined up to the sample on the
    /// median of them all, then the median of the lined-up snippets (twice
    /// over). `None` with too few clicks to tell a click from a step.
    pub fn finish(self) -> Option<ClickWave> {
        if self.snippets.len() < 3 {
            return None;
        }
        let (search, len) = (self.search, self.len);
        let mut lags = vec![0i64; self.snippets.len()];
        let mut wave = ClickWave::new(
            median_of(
                &self
                    .snippets
                    .iter()
                    .map(|s| s[search..search + len].to_vec())
                    .collect::<Vec<_>>(),
            ),
            self.pre,
        );
        for _ in 0..2 {
            for (lag, s) in lags.iter_mut().zip(&self.snippets) {
                *lag = best_lag(s, search as i64, &wave.samples, wave.core, search as i64);
            }
            let aligned: Vec<Vec<f32>> = lags
                .iter()
                .zip(&self.snippets)
                .map(|(lag, s)| {
                    let from = (search as i64 + lag) as usize;
                    s[from..from + len].to_vec()
                })
                .collect();
            wave = ClickWave::new(median_of(&aligned), self.pre);
        }
        Some(wave)
    }
}

/// Takes a found metronome's clicks out of the recording as it streams
/// through: samples go out once every click that could reach them has
/// been taken out (some 100 ms later than they came in).
pub struct ClickCanceller {
    wave: ClickWave,
    clicks: Vec<u64>,
    next: usize,
    search: i64,
    buf: Vec<f32>,
    /// Frame of `buf[0]`.
    buf_start: u64,
}

impl ClickCanceller {
    /// `clicks`: frames of the grid as the samples will be pushed.
    pub fn new(
        wave: ClickWave,
        clicks: Vec<u64>,
        sample_rate: u32,
        p: &MetronomeParams,
    ) -> ClickCanceller {
        ClickCanceller {
            wave,
            clicks,
            next: 0,
            search: (p.cancel_search_s * f64::from(sample_rate)).round() as i64,
            buf: Vec::new(),
            buf_start: 0,
        }
    }

    /// The first frame a click `c` may change.
    fn reach_from(&self, c: u64) -> u64 {
        c.saturating_sub(self.wave.pre as u64 + self.search as u64)
    }

    /// Takes out the next click (whatever of its reach is buffered).
    fn cancel_next(&mut self) {
        let c = self.clicks[self.next];
        self.next += 1;
        let center = c as i64 - self.wave.pre as i64 - self.buf_start as i64;
        let lag = best_lag(
            &self.buf,
            center,
            &self.wave.samples,
            self.wave.core,
            self.search,
        );
        for (k, w) in self.wave.samples.iter().enumerate() {
            let at = center + lag + k as i64;
            if at >= 0 && (at as usize) < self.buf.len() {
                self.buf[at as usize] -= w;
            }
        }
    }

    /// Takes in `block`; appends to `out` the samples that are ready.
    pub fn push(&mut self, block: &[f32], out: &mut Vec<f32>) {
        self.buf.extend_from_slice(block);
        let end = self.buf_start + self.buf.len() as u64;
        let reach_after = (self.wave.samples.len() as i64 + self.search) as u64;
        while let Some(&c) = self.clicks.get(self.next) {
            if c.saturating_sub(self.wave.pre as u64) + reach_after > end {
                break;
            }
            self.cancel_next();
        }
        let ready_to = self
            .clicks
            .get(self.next)
            .map_or(end, |&c| self.reach_from(c).min(end))
            .max(self.buf_start);
        let n = (ready_to - self.buf_start) as usize;
        out.extend(self.buf.drain(..n));
        self.buf_start = ready_to;
    }

    /// Takes out the clicks left and appends every sample still held.
    pub fn finish(&mut self, out: &mut Vec<f32>) {
        let end = self.buf_start + self.buf.len() as u64;
        while self
            .clicks
            .get(self.next)
            .is_some_and(|&c| self.reach_from(c) < end)
        {
            self.cancel_next();
        }
        self.next = self.clicks.len();
        out.append(&mut self.buf);
        self.buf_start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: u32 = 48_000;

    fn click(k: usize) -> f32 {
        let t = k as f32 / RATE as f32;
        (std::f32::consts::TAU * 2500.0 * t).sin() * (-t / 0.004).exp()
    }

    fn thud(k: usize) -> f32 {
        let t = k as f32 / RATE as f32;
        let attack = (k as f32 / 48.0).min(1.0);
        attack * (std::f32::consts::TAU * 110.0 * t).sin() * (-t / 0.03).exp()
    }

    #[test]
    fn clicks_are_taken_out_and_a_step_on_one_is_left() {
        // 20 s: a click every 0.35 s (not on a whole sample period), a
        // step on every fourth click (a few ms from it), a little noise.
        let n = 20 * RATE as usize;
        let mut x = vec![0.0f32; n];
        let mut steps_only = vec![0.0f32; n];
        let mut noise = 7u32;
        for v in &mut x {
            noise = noise.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            *v = 0.002 * (noise as f32 / u32::MAX as f32 - 0.5);
        }
        let mut clicks = Vec::new();
        let mut k = 0;
        loop {
            let at =
                (0.2 * f64::from(RATE) + f64::from(k) * 0.35 * f64::from(RATE)).round() as usize;
            if at + 4800 >= n {
                break;
            }
            for i in 0..1000 {
                x[at + i] += 0.5 * click(i);
            }
            if k % 4 == 0 {
                let on = at + 100 + (k as usize * 53) % 600;
                for i in 0..4000 {
                    x[on + i] += 0.3 * thud(i);
                    steps_only[on + i] += 0.3 * thud(i);
                }
            }
            // The grid as a finder gives it: a few samples off.
            clicks.push((at + 3) as u64);
            k += 1;
        }
        let train = ClickTrain {
            clicks: clicks.clone(),
            period: 0.35 * f64::from(RATE),
        };
        let p = MetronomeParams::default();
        let mut collector = WaveCollector::new(&train, RATE, &p);
        collector.feed(&x);
        let wave = collector.finish().expect("a waveform");
        let mut canceller = ClickCanceller::new(wave, clicks, RATE, &p);
        let mut out = Vec::new();
        for block in x.chunks(480) {
            canceller.push(block, &mut out);
        }
        canceller.finish(&mut out);
        assert_eq!(out.len(), n);
        // What is left differs from the steps alone by little more than
        // the noise: the clicks are gone, the steps kept.
        let energy = |v: &[f32]| v.iter().map(|s| f64::from(s * s)).sum::<f64>();
        let error: Vec<f32> = out.iter().zip(&steps_only).map(|(a, b)| a - b).collect();
        let clicks_energy = energy(&x) - energy(&steps_only);
        assert!(
            energy(&error) < 0.02 * clicks_energy,
            "left {} of {}",
            energy(&error),
            clicks_energy
        );
        assert!(energy(&out) > 0.8 * energy(&steps_only));
    }
}

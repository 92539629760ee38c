//! The app's own clicks, as the microphone hears them through speakers.
//!
//! The detector is told when each click will arrive. It knows what the
//! click sounds like band by band (a template of levels per hop, from the
//! click's samples) and learns how loud it arrives (a gain in dB, from
//! what it hears when clicks land). While a click rings, a band counts
//! only where it rises above what the click alone would put there: a click
//! is never heard as a step, yet a step that lands with the click still is,
//! in every band where the step is louder than the click.
//!
//! Until the gain is learned (the first few clicks), or when no template
//! was given, the click's bands are simply not listened to while it rings.
//!
//! A metronome found in a recording (`metronome`) has for its sound the
//! mean of its clicks there, and where steps landed on the clicks that
//! mean holds them too: a template that rose where the steps do would hide
//! every step on a click. A click is struck once and rings down, so from a
//! few milliseconds after its onset such a template is made to only decay,
//! band by band.

use super::filterbank::{FilterBank, BANDS, BAND_COUNT, FLOOR_DB, HOP_S};
use super::params::ClickParams;

/// Clicks queued ahead of their arrival.
const SLOTS: usize = 64;
/// Capacity of the arrivals remembered for the gain
/// (`ClickParams::gain_memory` is clamped to it).
const GAIN_CAP: usize = 16;

/// Makes every band of `levels` (per hop) decay from hop `from` on: no
/// louder than the band was at its loudest before, nor than at any hop
/// since. A click is struck once and rings down; what grows later in the
/// mean of a metronome's clicks in a recording is the steps and the noise
/// that came with them, and a template that held them would hide the
/// steps that land on the clicks.
fn decay_from(levels: &mut [[f32; BAND_COUNT]], from: usize) {
    let from = from.min(levels.len());
    let mut cap = [FLOOR_DB; BAND_COUNT];
    for hop in &levels[..from] {
        for (c, l) in cap.iter_mut().zip(hop) {
            *c = c.max(*l);
        }
    }
    for hop in &mut levels[from..] {
        for (c, l) in cap.iter_mut().zip(hop.iter_mut()) {
            *c = c.min(*l);
            *l = *c;
        }
    }
}

/// What a click means for the current hop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ClickEffect {
    None,
    /// Don't listen in these bands.
    Blind([bool; BAND_COUNT]),
    /// The click alone would put each band at this level (dB).
    Expected([f32; BAND_COUNT]),
}

pub struct OwnClicks {
    queue: [u64; SLOTS],
    head: usize,
    len: usize,
    hop_samples: u64,
    before: u64,
    /// Band levels of the click at unit gain, per hop after its start.
    template: Vec<[f32; BAND_COUNT]>,
    /// Hop of the template's loudest reading, and its band.
    peak: (usize, usize),
    bands: [bool; BAND_COUNT],
    gains: [f32; GAIN_CAP],
    gain_count: usize,
    /// The click whose arrival gain is being measured, and the loudest its
    /// main band has been so far.
    measuring: Option<(u64, f32)>,
    /// Whether `set_sound` gave a template (without one, gating is blind).
    has_template: bool,
    p: ClickParams,
}

impl OwnClicks {
    pub fn new(sample_rate: u32, hop_samples: u64, params: ClickParams) -> OwnClicks {
        let mut p = params;
        p.gain_memory = p.gain_memory.clamp(1, GAIN_CAP);
        p.widen_hops = p.widen_hops.min(64);
        let sr = f64::from(sample_rate);
        let blind_hops = ((p.blind_after_s / HOP_S) as usize).max(1);
        OwnClicks {
            queue: [0; SLOTS],
            head: 0,
            len: 0,
            hop_samples,
            before: (p.before_s * sr) as u64,
            // No template: every band but the lowest ones, where none of the
            // built-in clicks has energy, for `blind_after_s`.
            template: vec![[FLOOR_DB; BAND_COUNT]; blind_hops],
            peak: (0, 0),
            bands: BANDS.map(|(low, _)| low >= p.clickless_below_hz),
            gains: [0.0; GAIN_CAP],
            gain_count: 0,
            measuring: None,
            has_template: false,
            p,
        }
    }

    /// Learns the click's band levels from its samples (at the detector's
    /// rate). Reserves everything `process` needs later.
    pub fn set_sound(&mut self, click: &[f32], sample_rate: u32) {
        self.set_sound_decaying(click, sample_rate, 0);
    }

    /// The same for a click found in the recording (its mean sound there):
    /// from `ClickParams::decay_after_hops` on, every band of the template
    /// only decays.
    pub fn set_found_sound(&mut self, click: &[f32], sample_rate: u32) {
        self.set_sound_decaying(click, sample_rate, self.p.decay_after_hops);
    }

    fn set_sound_decaying(&mut self, click: &[f32], sample_rate: u32, decay_after_hops: usize) {
        let mut bank = FilterBank::new(sample_rate);
        let longest = ((self.p.longest_template_s / HOP_S) as usize).max(1);
        let tail = (self.p.longest_template_s * f64::from(sample_rate)) as usize;
        let mut raw: Vec<[f32; BAND_COUNT]> = click
            .iter()
            .chain(std::iter::repeat_n(&0.0, tail))
            .filter_map(|x| bank.push(*x))
            .take(longest)
            .collect();
        if decay_after_hops > 0 {
            decay_from(&mut raw, decay_after_hops);
        }
        let mut peaks = [FLOOR_DB; BAND_COUNT];
        for levels in &raw {
            for (p, l) in peaks.iter_mut().zip(levels) {
                *p = p.max(*l);
            }
        }
        let loudest = peaks.iter().copied().fold(FLOOR_DB, f32::max);
        if loudest <= FLOOR_DB {
            return;
        }
        let last = raw
            .iter()
            .rposition(|l| {
                l.iter()
                    .zip(&peaks)
                    .any(|(x, p)| *x > p - self.p.template_range_db)
            })
            .unwrap_or(0);
        raw.truncate(last + 1);
        let band = (0..BAND_COUNT)
            .max_by(|a, b| peaks[*a].total_cmp(&peaks[*b]))
            .unwrap_or(0);
        let hop = raw.iter().position(|l| l[band] >= peaks[band]).unwrap_or(0);
        // Widen in time: the arrival is known to a few milliseconds.
        let widen = self.p.widen_hops;
        self.template = (0..raw.len() + widen)
            .map(|k| {
                let from = k.saturating_sub(widen);
                let to = (k + widen + 1).min(raw.len());
                let mut widest = [FLOOR_DB; BAND_COUNT];
                for levels in &raw[from.min(to)..to] {
                    for (w, l) in widest.iter_mut().zip(levels) {
                        *w = w.max(*l);
                    }
                }
                widest
            })
            .collect();
        self.peak = (hop, band);
        self.has_template = true;
        let blind_range = self.p.blind_range_db;
        self.bands = peaks.map(|p| p > loudest - blind_range);
    }

    /// A click will reach the microphone at sample `frame` (in order;
    /// when the queue is full the oldest is forgotten).
    pub fn expect(&mut self, frame: u64) {
        if self.len == SLOTS {
            self.head = (self.head + 1) % SLOTS;
            self.len -= 1;
        }
        self.queue[(self.head + self.len) % SLOTS] = frame;
        self.len += 1;
    }

    /// The learned arrival gain (dB over the template), once known.
    fn gain_db(&self) -> Option<f32> {
        if self.gain_count < self.p.gain_after_clicks.max(1) {
            return None;
        }
        let n = self.gain_count.min(self.p.gain_memory);
        let mut recent = self.gains;
        let recent = &mut recent[..n];
        recent.sort_unstable_by(f32::total_cmp);
        // A low one: the click alone, not a click with a step on top.
        Some(recent[n / 4])
    }

    /// Learns how loud clicks arrive: the loudest the click's main band
    /// gets around the click's peak (wherever within the calibration's
    /// spread it landed), against the template's peak.
    fn measure_gain(&mut self, arrival: u64, hop: usize, levels: &[f32; BAND_COUNT]) {
        if !self.has_template {
            return;
        }
        let (peak_hop, peak_band) = self.peak;
        let loudest = match self.measuring {
            Some((at, loudest)) if at == arrival => loudest.max(levels[peak_band]),
            _ => levels[peak_band],
        };
        self.measuring = Some((arrival, loudest));
        let last_hop = (peak_hop + 2 * self.p.widen_hops).min(self.template.len() - 1);
        if hop == last_hop {
            let heard = loudest - self.template[peak_hop][peak_band];
            self.gains[self.gain_count % self.p.gain_memory] = heard;
            self.gain_count += 1;
        }
    }

    /// What the clicks mean for the hop ending at sample `frame`, whose
    /// band levels are `levels`.
    pub fn effect(&mut self, frame: u64, levels: &[f32; BAND_COUNT]) -> ClickEffect {
        let span = self.template.len() as u64 * self.hop_samples;
        while self.len > 0 && self.queue[self.head] + span < frame {
            self.head = (self.head + 1) % SLOTS;
            self.len -= 1;
        }
        if self.len == 0 {
            return ClickEffect::None;
        }
        let arrival = self.queue[self.head];
        if frame + self.before < arrival {
            return ClickEffect::None;
        }
        let hop = (frame.saturating_sub(arrival) / self.hop_samples) as usize;
        self.measure_gain(arrival, hop, levels);
        match self.gain_db() {
            Some(gain) => {
                let template = self.template[hop.min(self.template.len() - 1)];
                ClickEffect::Expected(template.map(|t| t + gain))
            }
            None => ClickEffect::Blind(self.bands),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: u32 = 48_000;

    /// A click (a 900 Hz ring, 5 ms) with a step's thud on top (120 Hz,
    /// swelling over 20 ms): the mean of a metronome's clicks in a
    /// recording where every click had a step on it.
    fn click_with_a_thud() -> Vec<f32> {
        (0..(0.06 * f64::from(RATE)) as usize)
            .map(|i| {
                let t = i as f32 / RATE as f32;
                let click = (std::f32::consts::TAU * 900.0 * t).sin() * (-t / 0.005).exp();
                let swell = (t / 0.02).min(1.0) * (-t / 0.05).exp();
                let thud = 0.3 * (std::f32::consts::TAU * 120.0 * t).sin() * swell;
                click + thud
            })
            .collect()
    }

    fn template_of(found: bool) -> Vec<[f32; BAND_COUNT]> {
        let params = ClickParams {
            decay_after_hops: 6,
            ..ClickParams::default()
        };
        let mut clicks = OwnClicks::new(RATE, 48, params);
        if found {
            clicks.set_found_sound(&click_with_a_thud(), RATE);
        } else {
            clicks.set_sound(&click_with_a_thud(), RATE);
        }
        clicks.template
    }

    #[test]
    fn a_found_clicks_template_rings_down_without_the_steps_on_it() {
        let (found, as_given) = (template_of(true), template_of(false));
        // The thud's band (80-160 Hz) 30 ms on: the mean as given holds the
        // thud, which would hide any step landing on a click there; the
        // found click's template has rung down.
        let hop = 30;
        assert!(
            found[hop][1] < as_given[hop][1] - 10.0,
            "{} vs {}",
            found[hop][1],
            as_given[hop][1]
        );
        // The click's own band at its loudest is unchanged.
        let loudest = |t: &[[f32; BAND_COUNT]]| t.iter().map(|l| l[3]).fold(FLOOR_DB, f32::max);
        assert_eq!(loudest(&found), loudest(&as_given));
        // Every band only decays from the hop given on (widened by the
        // arrival's spread).
        let from = 6 + ClickParams::default().widen_hops;
        for band in 0..BAND_COUNT {
            let levels: Vec<f32> = found.iter().map(|l| l[band]).collect();
            assert!(
                levels[from..].windows(2).all(|w| w[1] <= w[0]),
                "band {band}: {levels:?}"
            );
        }
    }
}

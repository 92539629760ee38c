//! Sharp transients in a stream of samples: where a jump in the
//! sample-to-sample difference stands out from the 20 ms before it. A
//! click has such a jump; a footfall's thud has less of one. The first
//! stage of finding a metronome in a recording (`metronome.rs`).

use super::params::MetronomeParams;

/// Finds sharp transients in a stream of mono samples.
pub struct TransientFinder {
    hop: usize,
    in_hop: usize,
    hop_peak: f32,
    hop_start: u64,
    /// Frame and difference of the hop's first large sample.
    first_large: Option<u64>,
    previous: f32,
    background: Vec<f32>,
    /// The mean of `background`, which changes only at the end of a hop:
    /// summed there, not for every sample (it was a fifth of `detect`).
    floor: f32,
    next_background: usize,
    frame: u64,
    refractory: u64,
    last_onset: Option<u64>,
    onsets: Vec<u64>,
    rise: f32,
}

impl TransientFinder {
    /// The finder as shipped (`MetronomeParams::default()`).
    #[cfg(test)]
    pub fn new(sample_rate: u32) -> TransientFinder {
        TransientFinder::with_params(sample_rate, &MetronomeParams::default())
    }

    pub fn with_params(sample_rate: u32, p: &MetronomeParams) -> TransientFinder {
        let rate = f64::from(sample_rate);
        let hop = ((p.transient_hop_s * rate).round() as usize).max(1);
        TransientFinder {
            hop,
            in_hop: 0,
            hop_peak: 0.0,
            hop_start: 0,
            first_large: None,
            previous: 0.0,
            background: vec![0.0; ((p.transient_background_s * rate) as usize / hop).max(1)],
            floor: 0.0,
            next_background: 0,
            frame: 0,
            refractory: (p.transient_refractory_s * rate) as u64,
            last_onset: None,
            onsets: Vec::new(),
            rise: p.transient_rise,
        }
    }

    pub fn feed(&mut self, block: &[f32]) {
        for &x in block {
            let x = if x.is_finite() { x } else { 0.0 };
            let difference = (x - self.previous).abs();
            self.previous = x;
            let floor = self.floor;
            if self.first_large.is_none() && difference > self.rise * floor && floor > 0.0 {
                self.first_large = Some(self.frame);
            }
            self.hop_peak = self.hop_peak.max(difference);
            self.frame += 1;
            self.in_hop += 1;
            if self.in_hop == self.hop {
                self.end_hop(floor);
            }
        }
    }

    fn mean_background(&self) -> f32 {
        self.background.iter().sum::<f32>() / self.background.len() as f32
    }

    fn end_hop(&mut self, floor: f32) {
        let loud = floor > 0.0 && self.hop_peak > self.rise * floor && self.hop_peak > 1e-3;
        let free = self
            .last_onset
            .is_none_or(|last| self.hop_start >= last + self.refractory);
        if loud && free {
            let at = self.first_large.unwrap_or(self.hop_start);
            self.onsets.push(at);
            self.last_onset = Some(at);
        }
        self.background[self.next_background] = self.hop_peak;
        self.next_background = (self.next_background + 1) % self.background.len();
        self.floor = self.mean_background();
        self.in_hop = 0;
        self.hop_peak = 0.0;
        self.first_large = None;
        self.hop_start = self.frame;
    }

    /// Frames where a transient starts, in order.
    pub fn onsets(&self) -> &[u64] {
        &self.onsets
    }
}

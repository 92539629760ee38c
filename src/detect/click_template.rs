//! A metronome's click sound, taken from the recording: the mean of the
//! clicks heard alone, to serve the detector as the app's own click sound
//! does live.

use super::metronome::ClickTrain;

/// The click's sound: the mean of clicks heard alone (no other transient
/// within `ALONE_S` of them), each `TEMPLATE_S` long from its onset.
pub struct ClickTemplate {
    starts: Vec<u64>,
    next: usize,
    length: usize,
    sum: Vec<f32>,
    taken: usize,
    frame: u64,
    /// (start frame, samples so far) of snippets being collected.
    open: Vec<(u64, Vec<f32>)>,
}

const TEMPLATE_S: f64 = 0.06;
const ALONE_S: f64 = 0.08;
const TEMPLATE_CLICKS: usize = 16;

impl ClickTemplate {
    pub fn new(train: &ClickTrain, onsets: &[u64], sample_rate: u32) -> ClickTemplate {
        let rate = f64::from(sample_rate);
        let alone = (ALONE_S * rate) as u64;
        let starts: Vec<u64> = train
            .clicks
            .iter()
            .copied()
            .filter(|&c| onsets.iter().filter(|&&o| o.abs_diff(c) < alone).count() == 1)
            .take(TEMPLATE_CLICKS)
            .collect();
        let length = (TEMPLATE_S * rate) as usize;
        ClickTemplate {
            starts,
            next: 0,
            length,
            sum: vec![0.0; length],
            taken: 0,
            frame: 0,
            open: Vec::new(),
        }
    }

    pub fn feed(&mut self, block: &[f32]) {
        for &x in block {
            if self.next < self.starts.len() && self.starts[self.next] == self.frame {
                self.open
                    .push((self.frame, Vec::with_capacity(self.length)));
                self.next += 1;
            }
            for (_, snippet) in &mut self.open {
                snippet.push(x);
            }
            let length = self.length;
            let (done, open): (Vec<_>, Vec<_>) =
                self.open.drain(..).partition(|(_, s)| s.len() == length);
            self.open = open;
            for (_, snippet) in done {
                for (s, x) in self.sum.iter_mut().zip(snippet) {
                    *s += x;
                }
                self.taken += 1;
            }
            self.frame += 1;
        }
    }

    /// The mean click, or `None` when no click was heard alone.
    pub fn finish(self) -> Option<Vec<f32>> {
        let taken = self.taken as f32;
        (self.taken > 0).then(|| self.sum.into_iter().map(|s| s / taken).collect())
    }
}

//! A metronome's click sound, taken from the recording: the mean of the
//! clicks heard alone, to serve the detector as the app's own click sound
//! does live.

use super::click_train::ClickTrain;
use super::params::MetronomeParams;

/// The click's sound: the mean of clicks heard alone (no other transient
/// within `template_alone_s` of them), each `template_s` long from its
/// onset.
/// Clicks are farther apart than a snippet is long (a metronome's fastest
/// period is longer than the template), so one snippet at a time is
/// summed, in place.
pub struct ClickTemplate {
    /// Onset frames of the clicks to take, in order.
    starts: Vec<u64>,
    next: usize,
    sum: Vec<f32>,
    taken: usize,
    frame: u64,
}

impl ClickTemplate {
    /// `onsets` in order, as `TransientFinder` gives them.
    pub fn new(
        train: &ClickTrain,
        onsets: &[u64],
        sample_rate: u32,
        p: &MetronomeParams,
    ) -> ClickTemplate {
        let rate = f64::from(sample_rate);
        let alone = (p.template_alone_s * rate) as u64;
        let near = |c: u64| {
            let from = onsets.partition_point(|&o| o + alone <= c);
            let to = onsets.partition_point(|&o| o < c + alone);
            to - from
        };
        let starts: Vec<u64> = train
            .clicks
            .iter()
            .copied()
            .filter(|&c| near(c) == 1)
            .take(p.template_clicks)
            .collect();
        ClickTemplate {
            starts,
            next: 0,
            sum: vec![0.0; ((p.template_s.min(p.shortest_period_s) * rate) as usize).max(1)],
            taken: 0,
            frame: 0,
        }
    }

    pub fn feed(&mut self, block: &[f32]) {
        for &x in block {
            if let Some(&start) = self.starts.get(self.next) {
                if self.frame >= start {
                    let at = (self.frame - start) as usize;
                    self.sum[at] += x;
                    if at + 1 == self.sum.len() {
                        self.taken += 1;
                        self.next += 1;
                    }
                }
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

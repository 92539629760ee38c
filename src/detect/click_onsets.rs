//! Where a click starts in a capture of clicks: the first sample loud
//! enough after a stretch of quiet. This is how a loopback hears the
//! clicks it played (`calibrate`, the live tests, the latency example);
//! footsteps need the full detector, clicks in near silence only this.

/// What counts as a click's start.
#[derive(Debug, Clone, Copy)]
pub struct ClickOnsets {
    /// A sample at or above this magnitude is loud.
    pub loud: f32,
    /// A sample below this magnitude is quiet (a click's ring-out between
    /// `quiet` and `loud` neither starts a click nor ends the quiet).
    pub quiet: f32,
    /// Quiet samples needed before a loud one starts a new click: longer
    /// than a click rings, shorter than the time between two clicks.
    pub quiet_frames: usize,
}

impl ClickOnsets {
    /// Sample indices where a click starts; the first loud sample of the
    /// capture starts one too.
    pub fn find(&self, samples: &[f32]) -> Vec<usize> {
        let mut onsets = Vec::new();
        let mut quiet_run = self.quiet_frames;
        for (i, x) in samples.iter().enumerate() {
            let magnitude = x.abs();
            if magnitude >= self.loud {
                if quiet_run >= self.quiet_frames {
                    onsets.push(i);
                }
                quiet_run = 0;
            } else if magnitude < self.quiet {
                quiet_run += 1;
            }
        }
        onsets
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_click_starts_where_it_first_gets_loud_after_quiet() {
        let mut samples = vec![0.0f32; 1000];
        for at in [100, 500] {
            for k in 0..50 {
                samples[at + k] = if k % 2 == 0 { 0.5 } else { -0.5 } * (1.0 - k as f32 / 50.0);
            }
        }
        // A ring-out under `loud` and over `quiet` does not end the quiet run
        // nor start a click.
        samples[700] = 0.01;
        let onsets = ClickOnsets {
            loud: 0.1,
            quiet: 0.001,
            quiet_frames: 200,
        }
        .find(&samples);
        assert_eq!(onsets, [100, 500]);
    }
}

//! A sounding click: which sample, how far into it, at what gain per side.
//! Mixing adds into an interleaved buffer; no state beyond a position.

/// Left/right gains of a voice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pan {
    pub left: f32,
    pub right: f32,
}

impl Pan {
    pub const CENTER: Pan = Pan {
        left: 1.0,
        right: 1.0,
    };
    /// Off to one side but never silent on the other, so a runner with one
    /// earbud still hears every step.
    pub const LEFT: Pan = Pan {
        left: 1.0,
        right: 0.25,
    };
    pub const RIGHT: Pan = Pan {
        left: 0.25,
        right: 1.0,
    };
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Voice {
    pub active: bool,
    pub accent: bool,
    pub position: usize,
    pub left: f32,
    pub right: f32,
}

impl Voice {
    pub fn start(accent: bool, pan: Pan, gain: f32) -> Voice {
        Voice {
            active: true,
            accent,
            position: 0,
            left: pan.left * gain,
            right: pan.right * gain,
        }
    }

    /// Adds `frames` frames of `sample` (from the voice's position) into
    /// `out` starting at frame `at`, scaled by `duck`; deactivates when the
    /// sample ends.
    pub fn mix(
        &mut self,
        sample: &[f32],
        out: &mut [f32],
        channels: usize,
        at: usize,
        frames: usize,
        duck: f32,
    ) {
        let available = sample.len().saturating_sub(self.position);
        let n = frames.min(available);
        let source = &sample[self.position..self.position + n];
        let target = &mut out[at * channels..(at + n) * channels];
        match channels {
            1 => {
                let gain = self.left.max(self.right) * duck;
                for (o, s) in target.iter_mut().zip(source) {
                    *o += s * gain;
                }
            }
            2 => {
                let (left, right) = (self.left * duck, self.right * duck);
                for (frame, s) in target.chunks_exact_mut(2).zip(source) {
                    frame[0] += s * left;
                    frame[1] += s * right;
                }
            }
            _ => {
                // Surround layouts: the front pair carries the click.
                let (left, right) = (self.left * duck, self.right * duck);
                for (frame, s) in target.chunks_exact_mut(channels).zip(source) {
                    frame[0] += s * left;
                    frame[1] += s * right;
                }
            }
        }
        self.position += n;
        if self.position >= sample.len() {
            self.active = false;
        }
    }
}

//! Earcons: short synthesized tones that carry the coach's cues when no
//! speech engine exists. Each kind is distinct by contour, so a runner
//! learns them in a session: rising = faster next, falling = slower next,
//! a level chime = a new step at the same pace, pips = the countdown.

use crate::units::SampleRate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Earcon {
    /// The next step is faster: two notes up a fifth.
    Rising,
    /// The next step is slower: two notes down a fifth.
    Falling,
    /// A new step at the same cadence: one bell-like note.
    Chime,
    /// Countdown: a short high pip.
    Pip,
    /// Halfway, thirty seconds left, switch sides: two soft taps.
    Reminder,
    /// The end: three notes down.
    Finish,
}

impl Earcon {
    pub const ALL: [Earcon; 6] = [
        Earcon::Rising,
        Earcon::Falling,
        Earcon::Chime,
        Earcon::Pip,
        Earcon::Reminder,
        Earcon::Finish,
    ];

    /// The earcon's notes: (frequency in Hz, length in s).
    fn notes(self) -> &'static [(f64, f64)] {
        match self {
            Earcon::Rising => &[(660.0, 0.14), (990.0, 0.22)],
            Earcon::Falling => &[(990.0, 0.14), (660.0, 0.22)],
            Earcon::Chime => &[(880.0, 0.35)],
            Earcon::Pip => &[(1320.0, 0.07)],
            Earcon::Reminder => &[(740.0, 0.08), (740.0, 0.08)],
            Earcon::Finish => &[(990.0, 0.15), (880.0, 0.15), (660.0, 0.4)],
        }
    }

    /// Mono samples at `rate`, peaking at 0.6: soft sine notes with a few
    /// milliseconds of fade so they never click.
    pub fn render(self, rate: SampleRate) -> Vec<f32> {
        let sr = f64::from(rate.0);
        let mut out = Vec::new();
        for (frequency, seconds) in self.notes() {
            let n = (seconds * sr) as usize;
            let fade = (0.005 * sr) as usize;
            for i in 0..n {
                let t = i as f64 / sr;
                let envelope =
                    (i.min(n - i) as f64 / fade as f64).min(1.0) * (-t / (seconds * 0.8)).exp();
                let tone = (std::f64::consts::TAU * frequency * t).sin()
                    + 0.3 * (std::f64::consts::TAU * 2.0 * frequency * t).sin();
                out.push((0.6 / 1.3 * tone * envelope) as f32);
            }
            out.extend(std::iter::repeat_n(0.0, (0.03 * sr) as usize));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earcons_are_distinct_short_and_soft() {
        let rendered: Vec<Vec<f32>> = Earcon::ALL
            .iter()
            .map(|e| e.render(SampleRate(48000)))
            .collect();
        for (i, a) in rendered.iter().enumerate() {
            assert!(
                a.len() < 48000,
                "{:?} is longer than a second",
                Earcon::ALL[i]
            );
            assert!(a.iter().all(|x| x.abs() <= 0.6));
            for b in &rendered[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}

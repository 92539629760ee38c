//! Hum removal: the steady tones of a treadmill's motor (and of the mains)
//! found and notched out before the detector's filter bank hears them.
//!
//! Why: a motor hums in the same low octaves where a heavy footstrike
//! booms, and is often the loudest thing there. A steady tone does not
//! flutter, so it is never taken for a step, but it fills the band: a quiet
//! foot's boom then lifts the band by a few dB instead of the ten or more
//! it would lift it by over the belt's rumble alone. Notching the tone
//! gives those dB back.
//!
//! How: the input is decimated to about 1 kHz (block means, one addition
//! per sample), and every half second the spectrum of the last second
//! (1 Hz bins) joins a running average. A tone is a peak in that average
//! standing well above the spectrum just outside where its notch would
//! be: narrow, where a footstrike's resonance, a little different at every
//! step and gone within a tenth of a second, averages out broad. A tone
//! heard for four seconds in a row (a bass note moves on sooner) gets a
//! notch a few Hz wide, which follows it when it moves (a motor's pitch
//! follows the belt's speed) and goes only after the tone has been gone
//! for seconds. So a notch comes or goes only where a tone is or was, and
//! never makes a band's level rise as a step would.
//!
//! Everything is allocated in `new`; `process` allocates nothing.

use std::sync::Arc;

use realfft::num_complex::Complex;
use realfft::{RealFftPlanner, RealToComplex};

use super::biquad::Biquad;
use super::params::HumParams;

/// The rate the input is decimated to for the search (Hz).
const ANALYSIS_HZ: f64 = 1000.0;
/// Decimated samples per spectrum (about a second: 1 Hz bins)...
const FRAME: usize = 1024;
/// ... and between two spectra.
const FRAME_STEP: usize = 512;
/// At most this many notches (a motor's fundamental and harmonics, the
/// mains); the lowest tones are served first, they hide the most.
const MAX_TONES: usize = 8;

#[derive(Debug, Clone, Copy, Default)]
struct Notch {
    /// Where the notch sits, and where its tone has been heard of late
    /// (a running mean: a wobbling tone's peak jumps between the ends of
    /// its wobble, and the notch belongs in the middle).
    hz: f64,
    heard_hz: f64,
    filter: Biquad,
    last_seen: u32,
    /// Spectra in a row the tone was heard in, and whether the notch is
    /// in the signal path yet (see `HumParams::heard_before_notching`).
    heard_in_a_row: u32,
    engaged: bool,
}

pub struct HumRemover {
    sample_rate: f64,
    decimation: usize,
    analysis_rate: f64,
    block_sum: f64,
    in_block: usize,
    /// The last `FRAME` decimated samples (a ring) and how many were written.
    recent: Vec<f32>,
    written: usize,
    fft: Arc<dyn RealToComplex<f32>>,
    window: Vec<f32>,
    input: Vec<f32>,
    spectrum: Vec<Complex<f32>>,
    scratch: Vec<Complex<f32>>,
    average: Vec<f64>,
    spectra: u32,
    /// The notches in use, engaged or still being listened to, are the
    /// first `active`.
    notches: [Notch; MAX_TONES],
    active: usize,
    p: HumParams,
}

impl HumRemover {
    /// The remover as shipped (`HumParams::default()`).
    pub fn new(sample_rate: u32) -> HumRemover {
        HumRemover::with_params(sample_rate, HumParams::default())
    }

    pub fn with_params(sample_rate: u32, p: HumParams) -> HumRemover {
        let sample_rate = f64::from(sample_rate);
        let decimation = ((sample_rate / ANALYSIS_HZ).round() as usize).max(1);
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(FRAME);
        let window = (0..FRAME)
            .map(|i| {
                let x = std::f32::consts::TAU * i as f32 / FRAME as f32;
                0.5 - 0.5 * x.cos()
            })
            .collect();
        HumRemover {
            sample_rate,
            decimation,
            analysis_rate: sample_rate / decimation as f64,
            block_sum: 0.0,
            in_block: 0,
            recent: vec![0.0; FRAME],
            written: 0,
            input: fft.make_input_vec(),
            spectrum: fft.make_output_vec(),
            scratch: fft.make_scratch_vec(),
            average: vec![0.0; FRAME / 2 + 1],
            fft,
            window,
            spectra: 0,
            notches: [Notch::default(); MAX_TONES],
            active: 0,
            p,
        }
    }

    /// One sample in, the same sample less the hum out.
    #[inline]
    pub fn process(&mut self, x: f32) -> f32 {
        self.block_sum += f64::from(x);
        self.in_block += 1;
        if self.in_block == self.decimation {
            let mean = self.block_sum / self.decimation as f64;
            self.block_sum = 0.0;
            self.in_block = 0;
            self.recent[self.written % FRAME] = mean as f32;
            self.written += 1;
            if self.written >= FRAME && self.written.is_multiple_of(FRAME_STEP) {
                self.analyse();
            }
        }
        let mut y = f64::from(x);
        for notch in &mut self.notches[..self.active] {
            if notch.engaged {
                y = notch.filter.tick(y);
            }
        }
        y as f32
    }

    /// The frequencies being notched now (Hz), in no particular order.
    pub fn tones_hz(&self) -> impl Iterator<Item = f64> + '_ {
        self.notches[..self.active]
            .iter()
            .filter(|n| n.engaged)
            .map(|n| n.hz)
    }

    /// Adds the last second's spectrum to the average and follows its tones.
    fn analyse(&mut self) {
        let oldest = self.written % FRAME;
        for (i, (x, w)) in self.input.iter_mut().zip(&self.window).enumerate() {
            *x = self.recent[(oldest + i) % FRAME] * w;
        }
        let done =
            self.fft
                .process_with_scratch(&mut self.input, &mut self.spectrum, &mut self.scratch);
        if done.is_err() {
            return;
        }
        let first = self.spectra == 0;
        for (average, bin) in self.average.iter_mut().zip(&self.spectrum) {
            let power = f64::from(bin.norm_sqr());
            *average = if first {
                power
            } else {
                *average + self.p.new_spectrum_weight * (power - *average)
            };
        }
        self.spectra += 1;
        if self.spectra >= self.p.spectra_before_notching {
            self.follow_tones();
        }
    }

    fn follow_tones(&mut self) {
        let hz_per_bin = self.analysis_rate / FRAME as f64;
        let p = self.p;
        let widest_side = (notch_width_hz(&p, p.highest_hz) / hz_per_bin).ceil() as usize + 1;
        let widest_side = widest_side.max(p.min_side_bins + 1).max(p.peak_half_width);
        let lowest = ((p.lowest_hz / hz_per_bin).ceil() as usize).max(widest_side);
        let highest =
            ((p.highest_hz / hz_per_bin) as usize).min(self.average.len() - 1 - widest_side);
        for bin in lowest..=highest {
            let power = self.average[bin];
            let is_peak = (bin - p.peak_half_width..=bin + p.peak_half_width)
                .all(|other| other == bin || self.average[other] < power);
            if !is_peak {
                continue;
            }
            let hz_near = bin as f64 * hz_per_bin;
            let side = ((notch_width_hz(&p, hz_near) / hz_per_bin).ceil() as usize)
                .max(p.min_side_bins)
                .min(bin - 1);
            let mean = |a: usize, b: usize| 0.5 * (self.average[a] + self.average[b]);
            let below = mean(bin - side, bin - side - 1);
            let above = mean(bin + side, bin + side + 1);
            let standing_db = 10.0 * (power / below.max(above).max(1e-30)).log10();
            let notched = self.notch_near(hz_near).is_some_and(|n| n.engaged);
            if standing_db
                < if notched {
                    p.kept_tone_db
                } else {
                    p.new_tone_db
                }
            {
                continue;
            }
            // Between bins: the top of a parabola through the peak's dB.
            let db = |p: f64| 10.0 * p.max(1e-30).log10();
            let (left, top, right) = (
                db(self.average[bin - 1]),
                db(power),
                db(self.average[bin + 1]),
            );
            let curvature = left - 2.0 * top + right;
            let shift = if curvature < 0.0 {
                (0.5 * (left - right) / curvature).clamp(-0.5, 0.5)
            } else {
                0.0
            };
            self.follow((bin as f64 + shift) * hz_per_bin);
        }
        self.retire_lost_tones();
    }

    /// The notch on a tone at about `hz`, if there is one.
    fn notch_near(&mut self, hz: f64) -> Option<&mut Notch> {
        let width = notch_width_hz(&self.p, hz);
        self.notches[..self.active]
            .iter_mut()
            .find(|n| (n.hz - hz).abs() < width)
    }

    /// Keeps the notch on a tone heard at `hz`, or gives it one.
    fn follow(&mut self, hz: f64) {
        let p = self.p;
        let width = notch_width_hz(&p, hz);
        let spectra = self.spectra;
        let sample_rate = self.sample_rate;
        if let Some(notch) = self.notch_near(hz) {
            // A notch not yet engaged that was not heard in the last
            // spectrum is gone, so this counts a run. Heard as two peaks in
            // one spectrum, a tone is split wider than a motor's wobble,
            // and its run starts over: a tone that wide is not yet known
            // to be a motor's, and a notch too soon takes a bass note's or
            // a step's energy out of the band.
            notch.heard_in_a_row = if notch.last_seen == spectra {
                1
            } else {
                notch.heard_in_a_row + 1
            };
            notch.last_seen = spectra;
            notch.engaged |= notch.heard_in_a_row >= p.heard_before_notching;
            notch.heard_hz += p.heard_hz_weight * (hz - notch.heard_hz);
            // A tone inside its notch leaves it be: every retune is a small
            // step in the output. Only a tone that has moved is followed.
            if (notch.heard_hz - notch.hz).abs() > p.retune_share * width {
                notch.hz = notch.heard_hz;
                notch
                    .filter
                    .retune(Biquad::notch(notch.hz, notch.hz / width, sample_rate));
            }
        } else if self.active < MAX_TONES {
            self.notches[self.active] = Notch {
                hz,
                heard_hz: hz,
                filter: Biquad::notch(hz, hz / width, sample_rate),
                last_seen: spectra,
                heard_in_a_row: 1,
                engaged: false,
            };
            self.active += 1;
        }
    }

    fn retire_lost_tones(&mut self) {
        let mut i = 0;
        while i < self.active {
            let notch = &self.notches[i];
            let unheard = self.spectra - notch.last_seen;
            if unheard > self.p.retire_after_spectra || (!notch.engaged && unheard > 0) {
                self.active -= 1;
                self.notches.swap(i, self.active);
            } else {
                i += 1;
            }
        }
    }
}

fn notch_width_hz(p: &HumParams, hz: f64) -> f64 {
    p.min_width_hz.max(p.width_share * hz)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::rng::Rng;
    use crate::eval::sources::{add_belt, add_motor, add_strike, StrikeCharacter};

    const RATE: u32 = 48000;

    /// Mean power of the last two seconds of a signal.
    fn tail_power(x: &[f64]) -> f64 {
        let tail = &x[x.len() - 2 * RATE as usize..];
        tail.iter().map(|v| v * v).sum::<f64>() / tail.len() as f64
    }

    /// Runs `input` through a fresh remover and returns it.
    fn remover_after(input: &[f64]) -> HumRemover {
        let mut remover = HumRemover::new(RATE);
        for x in input {
            remover.process(*x as f32);
        }
        remover
    }

    /// A signal through (a copy of) the notches the remover has engaged.
    fn through_notches(remover: &HumRemover, signal: &[f64]) -> Vec<f64> {
        let mut notches = remover.notches;
        let engaged = &mut notches[..remover.active];
        signal
            .iter()
            .map(|x| {
                engaged
                    .iter_mut()
                    .filter(|n| n.engaged)
                    .fold(*x, |y, n| n.filter.tick(y))
            })
            .collect()
    }

    /// `seconds` of a motor humming at `hz`, at the level the tests use.
    fn motor(seconds: usize, hz: f64, rng: &mut Rng) -> Vec<f64> {
        let mut motor = vec![0.0; seconds * RATE as usize];
        add_motor(&mut motor, f64::from(RATE), hz, rng);
        motor.iter().map(|m| 0.1 * m).collect()
    }

    /// Belt noise as long as `other`, at `gain`.
    fn belt(other: &[f64], gain: f64, rng: &mut Rng) -> Vec<f64> {
        let mut belt = vec![0.0; other.len()];
        add_belt(&mut belt, f64::from(RATE), rng);
        belt.iter().map(|b| gain * b).collect()
    }

    fn mix(a: &[f64], b: &[f64]) -> Vec<f64> {
        a.iter().zip(b).map(|(x, y)| x + y).collect()
    }

    #[test]
    fn a_motor_hum_is_found_and_notched_out() {
        let mut rng = Rng::new(7);
        let motor = motor(12, 70.0, &mut rng);
        let belt = belt(&motor, 0.02, &mut rng);
        let input = mix(&motor, &belt);
        let remover = remover_after(&input);
        let tones: Vec<f64> = remover.tones_hz().collect();
        // The fundamental and the first harmonic: the two in the bands
        // where a heavy step booms, and most of the motor's power.
        for harmonic in [70.0, 140.0] {
            assert!(
                tones.iter().any(|t| (t - harmonic).abs() < 1.5),
                "{harmonic} Hz not notched: {tones:?}"
            );
        }
        // What is left of the motor is its higher harmonics (a fifth of
        // its power) and its whine; the belt's noise passes nearly whole.
        let motor_left = tail_power(&through_notches(&remover, &motor)) / tail_power(&motor);
        assert!(motor_left < 0.3, "motor power only down to {motor_left:.2}");
        let belt_left = tail_power(&through_notches(&remover, &belt)) / tail_power(&belt);
        assert!(belt_left > 0.9, "belt noise down to {belt_left:.2}");
    }

    #[test]
    fn footsteps_are_not_taken_for_hum() {
        let sr = f64::from(RATE);
        let mut rng = Rng::new(3);
        let mut feet = vec![0.0; 20 * RATE as usize];
        let period = 60.0 / 165.0;
        let mut t = 0.2;
        while t < 19.5 {
            let at = ((t + 0.006 * rng.gauss()) * sr) as usize;
            add_strike(&mut feet, at, sr, StrikeCharacter::Heavy, 0.3, &mut rng);
            t += period;
        }
        let input = mix(&feet, &belt(&feet, 0.005, &mut rng));
        let remover = remover_after(&input);
        let tones: Vec<f64> = remover.tones_hz().collect();
        assert!(tones.is_empty(), "steps notched as hum: {tones:?}");
    }

    #[test]
    fn a_notch_follows_the_motor_when_the_belt_speeds_up() {
        let mut rng = Rng::new(11);
        // Twelve seconds slow, then long enough for the old notches to go.
        let mut motors = motor(12, 60.0, &mut rng);
        motors.extend(motor(20, 75.0, &mut rng));
        let input = mix(&motors, &belt(&motors, 0.02, &mut rng));
        let remover = remover_after(&input);
        let tones: Vec<f64> = remover.tones_hz().collect();
        assert!(tones.iter().any(|t| (t - 75.0).abs() < 1.5), "{tones:?}");
        assert!(!tones.iter().any(|t| (t - 60.0).abs() < 1.5), "{tones:?}");
    }
}

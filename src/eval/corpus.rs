//! The evaluation corpus: synthetic treadmill recordings with the truth
//! attached (when every foot landed, where the beat was, when the app's
//! own clicks reached the microphone).
//!
//! Each condition is one recording; together they cover what a gym throws
//! at a microphone: signal-to-noise ratios from +20 to −5 dB (step power
//! against hum, belt and music power over the whole file), music with
//! drums at a tempo unrelated to the cadence and at one close to it, a
//! reverberant room, the app's own clicks, one foot 6 dB quieter than the
//! other with ±3 dB more from step to step, double strikes, cadences from
//! 150 to 200, a runner whose cadence sags 8 % over a minute, one who
//! falls further and further behind the beat, and one who stands on the
//! side rails for ten seconds (where anything heard is made up).

use super::rng::Rng;
use super::sources::{add_strike, power, reverberate, treadmill_noise, StrikeCharacter};
use crate::engine::ClickSounds;
use crate::plan::SoundName;
use crate::units::SampleRate;

/// How the runner's steps move against the beat.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rhythm {
    /// On the beat at this cadence, with natural step-to-step jitter.
    Steady(f64),
    /// The beat stays at `spm`; after `hold_s` the runner's cadence falls
    /// linearly by `drop` (a fraction) over `over_s`.
    Fatigue {
        spm: f64,
        hold_s: f64,
        drop: f64,
        over_s: f64,
    },
    /// On the beat until `hold_s`, then later by `ms_per_s` every second.
    Lagging {
        spm: f64,
        hold_s: f64,
        ms_per_s: f64,
    },
}

impl Rhythm {
    pub fn beat_spm(self) -> f64 {
        match self {
            Rhythm::Steady(spm) | Rhythm::Fatigue { spm, .. } | Rhythm::Lagging { spm, .. } => spm,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub name: &'static str,
    pub seconds: f64,
    pub snr_db: f64,
    pub rhythm: Rhythm,
    pub character: StrikeCharacter,
    /// Music bleeding in at this tempo (bpm).
    pub music_bpm: Option<f64>,
    /// A reverberant room with this RT60 (s).
    pub room_rt60_s: Option<f64>,
    /// The app's clicks reach the microphone.
    pub own_clicks: bool,
    /// The runner stands on the side rails from the first time to the
    /// second (s): no steps, while the belt, the motor and the clicks go on.
    pub steps_off: Option<(f64, f64)>,
    pub seed: u64,
}

/// One synthetic recording and its truth (all times in seconds from the
/// first sample).
#[derive(Debug, Clone)]
pub struct Recording {
    pub condition: Condition,
    pub sample_rate: u32,
    pub samples: Vec<f32>,
    /// When each foot landed.
    pub steps: Vec<f64>,
    /// The beat the runner hears (and the app clicks on).
    pub beats: Vec<f64>,
    /// When the app's clicks reached the microphone, as the detector is told
    /// (the truth plus a calibration error); empty without own clicks.
    pub click_arrivals: Vec<f64>,
    /// The click the app plays, at `sample_rate`.
    pub click_sound: Vec<f32>,
}

/// When the first beat falls: room for the detector to settle.
pub const FIRST_BEAT_S: f64 = 0.5;
/// How far the app's click travels from speaker to microphone.
const CLICK_PATH_S: f64 = 0.012;

/// The conditions behind the detector table in docs/figures.md.
pub fn standard_conditions() -> Vec<Condition> {
    use StrikeCharacter::*;
    let base = Condition {
        name: "",
        seconds: 60.0,
        snr_db: 0.0,
        rhythm: Rhythm::Steady(172.0),
        character: HeelToe,
        music_bpm: None,
        room_rt60_s: None,
        own_clicks: false,
        steps_off: None,
        seed: 1,
    };
    let c = |name, seed, f: &dyn Fn(&mut Condition)| {
        let mut condition = Condition {
            name,
            seed,
            ..base.clone()
        };
        f(&mut condition);
        condition
    };
    vec![
        c("quiet +20 dB", 1, &|c| {
            c.snr_db = 20.0;
            c.rhythm = Rhythm::Steady(170.0);
        }),
        c("noise +10 dB", 2, &|c| {
            c.snr_db = 10.0;
            c.rhythm = Rhythm::Steady(180.0);
            c.character = Forefoot;
        }),
        c("noise +5 dB", 3, &|c| {
            c.snr_db = 5.0;
            c.rhythm = Rhythm::Steady(160.0);
            c.character = Heavy;
        }),
        c("noise 0 dB", 4, &|c| {
            c.rhythm = Rhythm::Steady(175.0);
        }),
        c("noise -5 dB", 5, &|c| {
            c.snr_db = -5.0;
            c.rhythm = Rhythm::Steady(185.0);
            c.character = Light;
        }),
        c("150 spm 0 dB", 6, &|c| {
            c.rhythm = Rhythm::Steady(150.0);
            c.character = Heavy;
        }),
        c("200 spm 0 dB", 7, &|c| {
            c.rhythm = Rhythm::Steady(200.0);
            c.character = Forefoot;
        }),
        c("music 128 bpm 0 dB", 8, &|c| {
            c.music_bpm = Some(128.0);
        }),
        c("music near cadence 0 dB", 9, &|c| {
            c.rhythm = Rhythm::Steady(172.0);
            c.music_bpm = Some(168.0);
            c.character = Forefoot;
        }),
        c("reverberant room 0 dB", 10, &|c| {
            c.room_rt60_s = Some(0.8);
            c.rhythm = Rhythm::Steady(165.0);
            c.character = Heavy;
        }),
        c("own clicks 0 dB", 11, &|c| {
            c.own_clicks = true;
            c.rhythm = Rhythm::Steady(178.0);
            c.character = Light;
        }),
        c("gym: all of it 0 dB", 12, &|c| {
            c.own_clicks = true;
            c.music_bpm = Some(186.0);
            c.room_rt60_s = Some(0.6);
            c.rhythm = Rhythm::Steady(190.0);
        }),
        c("steps off for 10 s 0 dB", 15, &|c| {
            c.own_clicks = true;
            c.steps_off = Some((25.0, 35.0));
            c.rhythm = Rhythm::Steady(170.0);
        }),
        c("fatigue: -8 % in 1 min 0 dB", 13, &|c| {
            c.seconds = 85.0;
            c.music_bpm = Some(124.0);
            c.rhythm = Rhythm::Fatigue {
                spm: 176.0,
                hold_s: 20.0,
                drop: 0.08,
                over_s: 60.0,
            };
        }),
        c("lagging the beat +5 dB", 14, &|c| {
            c.seconds = 75.0;
            c.snr_db = 5.0;
            c.own_clicks = true;
            c.character = Forefoot;
            c.rhythm = Rhythm::Lagging {
                spm: 168.0,
                hold_s: 15.0,
                ms_per_s: 2.5,
            };
        }),
    ]
}

/// The truth: beat times, and step times that follow the rhythm.
fn timings(condition: &Condition, rng: &mut Rng) -> (Vec<f64>, Vec<f64>) {
    let period = 60.0 / condition.rhythm.beat_spm();
    let end = condition.seconds - 0.3;
    let beats: Vec<f64> = (0..)
        .map(|k| FIRST_BEAT_S + f64::from(k) * period)
        .take_while(|t| *t < end)
        .collect();
    // Step-to-step jitter of a runner entrained to a metronome, and a
    // small left/right timing difference.
    let jitter =
        |rng: &mut Rng, k: usize| 0.006 * rng.gauss() + if k % 2 == 1 { 0.004 } else { -0.004 };
    let steps = match condition.rhythm {
        Rhythm::Steady(_) => beats
            .iter()
            .enumerate()
            .map(|(k, b)| b + jitter(rng, k))
            .collect(),
        Rhythm::Lagging {
            hold_s, ms_per_s, ..
        } => beats
            .iter()
            .enumerate()
            .map(|(k, b)| b + jitter(rng, k) + ((b - hold_s).max(0.0) * ms_per_s / 1000.0))
            .collect(),
        Rhythm::Fatigue {
            spm,
            hold_s,
            drop,
            over_s,
        } => {
            let cadence = |t: f64| spm * (1.0 - drop * ((t - hold_s) / over_s).clamp(0.0, 1.0));
            let mut steps = Vec::new();
            let mut t = FIRST_BEAT_S;
            while t < end {
                steps.push(t + jitter(rng, steps.len()));
                t += 60.0 / cadence(t);
            }
            steps
        }
    };
    let steps = match condition.steps_off {
        Some((from, to)) => steps
            .into_iter()
            .filter(|t| *t < from || *t >= to)
            .collect(),
        None => steps,
    };
    (beats, steps)
}

fn scaled(x: &mut [f64], gain: f64) {
    x.iter_mut().for_each(|v| *v *= gain);
}

/// Synthesises one recording at `sample_rate`.
pub fn generate(condition: &Condition, sample_rate: u32) -> Recording {
    let sr = f64::from(sample_rate);
    let n = (condition.seconds * sr) as usize;
    let mut rng = Rng::new(condition.seed);
    let (beats, steps) = timings(condition, &mut rng);

    let mut feet = vec![0.0; n];
    for (k, t) in steps.iter().enumerate() {
        // One foot 6 dB quieter, and ±3 dB from step to step.
        let foot = if k % 2 == 0 { 1.0 } else { 0.5 };
        let level = 10f64.powf(rng.range(-3.0, 3.0) / 20.0);
        add_strike(
            &mut feet,
            (t * sr) as usize,
            sr,
            condition.character,
            foot * level,
            &mut rng,
        );
    }
    let mut noise = treadmill_noise(n, sr, condition.music_bpm, &mut rng);
    if let Some(rt60) = condition.room_rt60_s {
        feet = reverberate(&feet, sr, rt60, 3.0);
        noise = reverberate(&noise, sr, rt60, 3.0);
    }
    // Set the noise power for the wanted SNR against the feet.
    let wanted_noise = power(&feet) / 10f64.powf(condition.snr_db / 10.0);
    let noise_gain = (wanted_noise / power(&noise)).sqrt();
    scaled(&mut noise, noise_gain);

    let click_sound = ClickSounds::builtin(SoundName::Woodblock, SampleRate(sample_rate))
        .normal
        .clone();
    let mut mix: Vec<f64> = feet.iter().zip(&noise).map(|(a, b)| a + b).collect();
    let mut click_arrivals = Vec::new();
    if condition.own_clicks {
        // As loud at the microphone as the loudest steps.
        let step_peak = feet.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        for b in &beats {
            let at = b + CLICK_PATH_S;
            let start = (at * sr) as usize;
            for (y, x) in mix.iter_mut().skip(start).zip(&click_sound) {
                *y += step_peak * f64::from(*x);
            }
            // The calibration is good to a couple of milliseconds.
            click_arrivals.push(at + 0.002 * rng.gauss());
        }
    }
    let peak = mix.iter().fold(1e-9f64, |m, x| m.max(x.abs()));
    let samples = mix.iter().map(|x| (0.5 * x / peak) as f32).collect();
    Recording {
        condition: condition.clone(),
        sample_rate,
        samples,
        steps,
        beats,
        click_arrivals,
        click_sound,
    }
}

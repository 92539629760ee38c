//! Treadmill mixes built from step clips (recorded or synthesised), with
//! the truth to the sample: a runner at 140–210 spm whose feet differ in
//! level and timing, who jitters and sags; a motor, a belt, a room, music
//! with a beat near or away from the cadence, and a metronome on a speaker
//! (any click, any phase, up to 6 dB louder than the steps) that nobody
//! tells the detector about.
//!
//! The noise is `sources`' models (motor, belt, music, room), or for the
//! conditions of [`recorded_music_conditions`] the models' motor and belt
//! with recorded music (`real_music`); only the steps change from source
//! to source, so a difference between sources is the steps'.

use super::corpus::FIRST_BEAT_S;
use super::real_music::{excerpt_of, MusicTrack};
use super::rng::Rng;
use super::sources::{motor_and_belt, noise_of, power, reverberate, treadmill_noise};
use super::step_bank::StepClip;
use crate::engine::ClickSounds;
use crate::plan::SoundName;
use crate::units::SampleRate;

/// A metronome's click as the microphone hears it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ClickSound {
    /// One of this app's own sounds, played by another device.
    Ours(SoundName),
    /// Another app's: a 20 ms square-wave beep at 2 kHz.
    SquareBeep,
    /// Another app's: a 3 ms high-passed noise tick.
    NoiseTick,
}

/// A metronome bleeding into the recording, unannounced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClickBleed {
    pub sound: ClickSound,
    /// Where the steps fall after each click, as a fraction of the beat
    /// (0 on the click, 0.5 halfway between two).
    pub step_phase: f64,
    /// The click's peak over the median step's peak (dB).
    pub gain_db: f64,
}

/// A runner slowing down: after `hold_s` the cadence falls linearly by
/// `drop` (a fraction) over `over_s`; the clicks stay where they were.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sag {
    pub hold_s: f64,
    pub drop: f64,
    pub over_s: f64,
}

/// One recording to build.
#[derive(Debug, Clone, PartialEq)]
pub struct MixCondition {
    pub name: &'static str,
    pub seconds: f64,
    /// Step power against the noise's (motor, belt, music) over the file.
    pub snr_db: f64,
    /// The runner's cadence at the start, and the clicks' throughout.
    pub spm: f64,
    pub sag: Option<Sag>,
    pub music_bpm: Option<f64>,
    /// The music at `music_bpm` is recorded (`real_music`), not the
    /// synthetic model.
    pub recorded_music: bool,
    /// Recorded music this many dB over the steps' power, set on its own:
    /// the motor and the belt stay where `snr_db` puts them when the music
    /// is its usual third of the noise, and only the music is louder.
    /// `None`: the music is that third (about 10 dB under the steps at
    /// +5 dB).
    pub music_over_steps_db: Option<f64>,
    /// The recorded track to play (its file), if it is within 20 % of
    /// `music_bpm`; else, or if `None`, the track is drawn from the seed.
    pub prefer_track: Option<&'static str>,
    pub room_rt60_s: Option<f64>,
    pub clicks: Option<ClickBleed>,
    /// The quieter foot this many dB under the other (else 2–6 dB, drawn).
    pub weak_foot_db: Option<f64>,
    /// The clicks' tempo ramps linearly from `spm` to this over the mix
    /// (a rendered profile's ramp), and the runner follows it.
    pub ramp_to_spm: Option<f64>,
    pub seed: u64,
}

/// What a condition tests, for the per-condition table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    Noise,
    Music,
    /// Recorded music: evaluation only, never part of a sweep's choice.
    RecordedMusic,
    /// Recorded music as loud as the steps or louder
    /// (`music_over_steps_db`): evaluation only too.
    RecordedMusicLoud,
    ClickBleed,
    Room,
    Sag,
}

impl MixCondition {
    /// The runner's true cadence at `t` (s from the mix's start).
    pub fn cadence_at(&self, t: f64) -> f64 {
        if let Some(to) = self.ramp_to_spm {
            return self.spm + (to - self.spm) * (t / self.seconds).clamp(0.0, 1.0);
        }
        match self.sag {
            Some(s) => self.spm * (1.0 - s.drop * ((t - s.hold_s) / s.over_s).clamp(0.0, 1.0)),
            None => self.spm,
        }
    }

    pub fn group(&self) -> Group {
        if self.recorded_music && self.music_over_steps_db.is_some() {
            Group::RecordedMusicLoud
        } else if self.recorded_music {
            Group::RecordedMusic
        } else if self.clicks.is_some() {
            Group::ClickBleed
        } else if self.music_bpm.is_some() {
            Group::Music
        } else if self.sag.is_some() {
            Group::Sag
        } else if self.room_rt60_s.is_some() {
            Group::Room
        } else {
            Group::Noise
        }
    }
}

/// A mix and its truth (seconds from the first sample).
#[derive(Debug, Clone)]
pub struct Mix {
    pub samples: Vec<f32>,
    pub sample_rate: u32,
    /// When each foot landed: a clip's onset sample, exactly.
    pub steps: Vec<f64>,
    /// The file each step's clip was cut from (`StepClip::origin`).
    pub origins: Vec<String>,
    /// When each click sounded; empty without click bleed.
    pub clicks: Vec<f64>,
    /// The beat the runner was asked to follow (the clicks' times, heard
    /// or not).
    pub beats: Vec<f64>,
    /// The recorded track heard, if any.
    pub music: Option<String>,
}

/// The conditions of the real-step evaluation. Cadences are spread over
/// 140–210 spm so that no cadence is only ever heard in one condition.
pub fn standard_mix_conditions() -> Vec<MixCondition> {
    let base = MixCondition {
        name: "",
        seconds: 60.0,
        snr_db: 10.0,
        spm: 172.0,
        sag: None,
        music_bpm: None,
        recorded_music: false,
        music_over_steps_db: None,
        prefer_track: None,
        room_rt60_s: None,
        clicks: None,
        weak_foot_db: None,
        ramp_to_spm: None,
        seed: 1,
    };
    let c = |name, seed, f: &dyn Fn(&mut MixCondition)| {
        let mut condition = MixCondition {
            name,
            seed,
            ..base.clone()
        };
        f(&mut condition);
        condition
    };
    let bleed = |sound, step_phase, gain_db| {
        Some(ClickBleed {
            sound,
            step_phase,
            gain_db,
        })
    };
    vec![
        c("+20 dB", 1, &|c| {
            c.snr_db = 20.0;
            c.spm = 150.0;
        }),
        c("+10 dB", 2, &|c| c.spm = 168.0),
        c("+5 dB", 3, &|c| {
            c.snr_db = 5.0;
            c.spm = 182.0;
        }),
        c("0 dB", 4, &|c| {
            c.snr_db = 0.0;
            c.spm = 196.0;
        }),
        c("-5 dB", 5, &|c| {
            c.snr_db = -5.0;
            c.spm = 176.0;
        }),
        c("140 spm +5 dB", 6, &|c| {
            c.snr_db = 5.0;
            c.spm = 140.0;
        }),
        c("210 spm +5 dB", 7, &|c| {
            c.snr_db = 5.0;
            c.spm = 210.0;
        }),
        c("music 128 bpm +5 dB", 8, &|c| {
            c.snr_db = 5.0;
            c.music_bpm = Some(128.0);
        }),
        c("music near cadence +5 dB", 9, &|c| {
            c.snr_db = 5.0;
            c.spm = 176.0;
            c.music_bpm = Some(180.0);
        }),
        c("music half cadence 0 dB", 10, &|c| {
            c.snr_db = 0.0;
            c.spm = 186.0;
            c.music_bpm = Some(93.0);
        }),
        c("clicks on the steps +0 dB", 11, &|c| {
            c.spm = 170.0;
            c.clicks = bleed(ClickSound::Ours(SoundName::Woodblock), 0.0, 0.0);
        }),
        c("clicks off-phase +6 dB", 12, &|c| {
            c.spm = 180.0;
            c.clicks = bleed(ClickSound::SquareBeep, 0.5, 6.0);
        }),
        c("clicks, steps 60 ms behind +3 dB", 13, &|c| {
            c.snr_db = 5.0;
            c.spm = 160.0;
            // 60 ms of a 375 ms beat.
            c.clicks = bleed(ClickSound::NoiseTick, 0.16, 3.0);
        }),
        c("clicks, runner sags behind them +6 dB", 14, &|c| {
            c.seconds = 80.0;
            c.spm = 190.0;
            c.sag = Some(Sag {
                hold_s: 15.0,
                drop: 0.08,
                over_s: 50.0,
            });
            c.clicks = bleed(ClickSound::Ours(SoundName::Beep), 0.0, 6.0);
        }),
        c("reverberant room +5 dB", 15, &|c| {
            c.snr_db = 5.0;
            c.spm = 158.0;
            c.room_rt60_s = Some(0.8);
        }),
        c("sag 190 to 175 +10 dB", 16, &|c| {
            c.seconds = 80.0;
            c.spm = 190.0;
            c.sag = Some(Sag {
                hold_s: 15.0,
                drop: 0.08,
                over_s: 50.0,
            });
        }),
        c("gym: music, room, clicks +5 dB", 17, &|c| {
            c.snr_db = 5.0;
            c.spm = 200.0;
            c.music_bpm = Some(124.0);
            c.room_rt60_s = Some(0.6);
            c.clicks = bleed(ClickSound::Ours(SoundName::Clave), 0.3, 3.0);
        }),
        c("cold start 140 spm, weak foot -6 dB, +5 dB", 18, &|c| {
            c.snr_db = 5.0;
            c.spm = 140.0;
            c.weak_foot_db = Some(6.0);
        }),
        c("cold start 175 spm, weak foot -6 dB, +5 dB", 19, &|c| {
            c.snr_db = 5.0;
            c.spm = 175.0;
            c.weak_foot_db = Some(6.0);
        }),
        c("cold start 210 spm, weak foot -6 dB, +5 dB", 20, &|c| {
            c.snr_db = 5.0;
            c.spm = 210.0;
            c.weak_foot_db = Some(6.0);
        }),
        c("weak foot -6 dB, 0 dB", 21, &|c| {
            c.snr_db = 0.0;
            c.spm = 186.0;
            c.weak_foot_db = Some(6.0);
        }),
        c("clicks on the steps +6 dB, weak foot -6 dB", 23, &|c| {
            c.spm = 178.0;
            c.weak_foot_db = Some(6.0);
            c.clicks = bleed(ClickSound::Ours(SoundName::Beep), 0.0, 6.0);
        }),
        c(
            "clicks ramp 160 to 180, steps 30 ms behind +3 dB",
            22,
            &|c| {
                c.spm = 160.0;
                c.ramp_to_spm = Some(180.0);
                // 30 ms of a 375 ms beat.
                c.clicks = bleed(ClickSound::Ours(SoundName::Woodblock), 0.08, 3.0);
            },
        ),
    ]
}

/// The music conditions again with recorded music (`real_music`) instead
/// of the synthetic model, and a runner sagging under it: evaluation
/// only. Each mirrors a synthetic condition's seed, so the runner, the
/// steps, the motor and the belt are that condition's and only the music
/// differs; the track and the excerpt are drawn from the seed too.
/// After those four, the same with the music as loud as the steps or
/// louder (`music_over_steps_db`).
pub fn recorded_music_conditions() -> Vec<MixCondition> {
    recorded_music_conditions_quiet()
        .into_iter()
        .chain(loud_music_conditions())
        .collect()
}

/// The condition called `name` among `conditions`.
fn named(conditions: Vec<MixCondition>, name: &str) -> MixCondition {
    conditions
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no condition {name:?}"))
}

fn recorded_music_conditions_quiet() -> Vec<MixCondition> {
    let recorded = |name, like: &str, f: &dyn Fn(&mut MixCondition)| {
        let mut condition = MixCondition {
            name,
            recorded_music: true,
            ..named(standard_mix_conditions(), like)
        };
        f(&mut condition);
        condition
    };
    vec![
        recorded(
            "recorded music 128 bpm +5 dB",
            "music 128 bpm +5 dB",
            &|_| {},
        ),
        recorded(
            "recorded music near cadence +5 dB",
            "music near cadence +5 dB",
            &|_| {},
        ),
        recorded(
            "recorded music half cadence 0 dB",
            "music half cadence 0 dB",
            &|_| {},
        ),
        // The independent evaluation's failing case: a runner sagging
        // from 190 to 175 spm under music at about 180 bpm.
        recorded(
            "recorded music 180 bpm, sag 190 to 175 +5 dB",
            "sag 190 to 175 +10 dB",
            &|c| {
                c.snr_db = 5.0;
                c.music_bpm = Some(180.0);
            },
        ),
    ]
}

/// The recorded-music conditions again with the music as loud as a gym's
/// speaker or a headphone's bleed: its power the steps' (0 dB) or 6 dB
/// over them, the motor and the belt as in the quieter row (whose seed,
/// runner and name's SNR they keep). Each plays another track than its
/// quieter row (which heard `track_09` at 128 bpm and near the cadence,
/// `track_08` at half the cadence, `track_06` under the sag), and the
/// four at 0 dB four different tracks; the sag at +6 dB plays
/// `track_06`, the quieter sag's, so that the two 180 bpm tracks are
/// each heard loud under the sag.
fn loud_music_conditions() -> Vec<MixCondition> {
    let loud = |name, like: &str, over_db, track| MixCondition {
        name,
        music_over_steps_db: Some(over_db),
        prefer_track: Some(track),
        ..named(recorded_music_conditions_quiet(), like)
    };
    let sag = "recorded music 180 bpm, sag 190 to 175 +5 dB";
    vec![
        loud(
            "recorded music loud 128 bpm, music = steps +5 dB",
            "recorded music 128 bpm +5 dB",
            0.0,
            "music/track_04.ogg",
        ),
        loud(
            "recorded music loud near cadence, music = steps +5 dB",
            "recorded music near cadence +5 dB",
            0.0,
            "music/track_06.ogg",
        ),
        loud(
            "recorded music loud half cadence, music = steps 0 dB",
            "recorded music half cadence 0 dB",
            0.0,
            "music/track_03.ogg",
        ),
        loud(
            "recorded music loud 180 bpm, sag 190 to 175, music = steps +5 dB",
            sag,
            0.0,
            "music/track_09.ogg",
        ),
        loud(
            "recorded music loud 180 bpm, sag 190 to 175, music 6 dB over steps +5 dB",
            sag,
            6.0,
            "music/track_06.ogg",
        ),
    ]
}

/// The clicks and the steps, in seconds.
fn timings(condition: &MixCondition, rng: &mut Rng) -> (Vec<f64>, Vec<f64>) {
    let period = 60.0 / condition.spm;
    let end = condition.seconds - 0.4;
    let step_phase = condition.clicks.map_or(0.0, |c| c.step_phase);
    let phase = step_phase * period;
    // A runner's own rhythm: one foot a few milliseconds early, the other
    // late, and 4–9 ms of step-to-step jitter.
    let asymmetry = rng.range(0.002, 0.008);
    let jitter_sd = rng.range(0.004, 0.009);
    if condition.ramp_to_spm.is_some() {
        // The clicks follow the ramp, and the runner the clicks.
        let mut clicks = Vec::new();
        let mut t = FIRST_BEAT_S;
        while t < end {
            clicks.push(t);
            t += 60.0 / condition.cadence_at(t);
        }
        let steps = clicks
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let side = if k % 2 == 0 { -1.0 } else { 1.0 };
                let behind = step_phase * 60.0 / condition.cadence_at(*c);
                c + behind + side * asymmetry + jitter_sd * rng.gauss()
            })
            .collect();
        return (clicks, steps);
    }
    let clicks: Vec<f64> = (0..)
        .map(|k| FIRST_BEAT_S + f64::from(k) * period)
        .take_while(|t| *t < end)
        .collect();
    let cadence = |t: f64| condition.cadence_at(t);
    let mut steps = Vec::new();
    let mut t = FIRST_BEAT_S + phase;
    while t < end {
        let side = if steps.len() % 2 == 0 { -1.0 } else { 1.0 };
        steps.push(t + side * asymmetry + jitter_sd * rng.gauss());
        t += 60.0 / cadence(t);
    }
    (clicks, steps)
}

/// A clip played `factor` times faster (linear interpolation), and where
/// its onset lands then: a different shoe, a different deck.
fn repitched(clip: &StepClip, factor: f64) -> (Vec<f64>, usize) {
    let n = ((clip.samples.len() as f64 - 1.0) / factor)
        .floor()
        .max(0.0) as usize;
    let x = &clip.samples;
    let samples = (0..n)
        .map(|i| {
            let at = i as f64 * factor;
            let k = at as usize;
            let frac = at - k as f64;
            let next = x.get(k + 1).copied().unwrap_or(0.0);
            f64::from(x[k]) * (1.0 - frac) + f64::from(next) * frac
        })
        .collect();
    (samples, (clip.onset as f64 / factor).round() as usize)
}

fn peak(x: &[f64]) -> f64 {
    x.iter().fold(0.0f64, |m, v| m.max(v.abs()))
}

/// The click's sound at `sample_rate`, peak 1.
fn click_samples(sound: ClickSound, sample_rate: u32, rng: &mut Rng) -> Vec<f64> {
    let sr = f64::from(sample_rate);
    let x: Vec<f64> = match sound {
        ClickSound::Ours(name) => ClickSounds::builtin(name, SampleRate(sample_rate))
            .normal
            .iter()
            .map(|x| f64::from(*x))
            .collect(),
        ClickSound::SquareBeep => (0..(0.02 * sr) as usize)
            .map(|i| {
                let t = i as f64 / sr;
                let square = if (t * 2000.0).fract() < 0.5 {
                    1.0
                } else {
                    -1.0
                };
                square * (1.0 - t / 0.02)
            })
            .collect(),
        ClickSound::NoiseTick => {
            let mut last = 0.0;
            (0..(0.003 * sr) as usize)
                .map(|i| {
                    let white = rng.noise();
                    let high = white - last;
                    last = white;
                    high * (-(i as f64) / (0.001 * sr)).exp()
                })
                .collect()
        }
    };
    let p = peak(&x).max(1e-12);
    x.iter().map(|v| v / p).collect()
}

/// Builds one mix from a bank of step clips, at `sample_rate` (the
/// clips' rate).
///
/// # Panics
/// If the bank is empty, or the condition wants recorded music.
pub fn mix(bank: &[StepClip], condition: &MixCondition, sample_rate: u32) -> Mix {
    mix_with_music(bank, condition, sample_rate, &[])
}

/// [`mix`], with `tracks` (at `sample_rate`) for a condition that wants
/// recorded music.
///
/// # Panics
/// If the bank is empty, or the condition wants recorded music and no
/// track is within 20 % of its tempo.
pub fn mix_with_music(
    bank: &[StepClip],
    condition: &MixCondition,
    sample_rate: u32,
    tracks: &[MusicTrack],
) -> Mix {
    mix_parts(bank, condition, sample_rate, tracks).0
}

/// The parts of a mix at the levels they are summed at (before the sum is
/// scaled to a peak of 0.5); the tests read them.
#[derive(Debug, Clone)]
#[cfg_attr(not(test), allow(dead_code))]
struct Parts {
    feet: Vec<f64>,
    /// Motor, belt and music at its usual share; without the music if it
    /// is set on its own (`music`).
    noise: Vec<f64>,
    /// The music of a condition with `music_over_steps_db`.
    music: Option<Vec<f64>>,
    bleed: Vec<f64>,
}

fn mix_parts(
    bank: &[StepClip],
    condition: &MixCondition,
    sample_rate: u32,
    tracks: &[MusicTrack],
) -> (Mix, Parts) {
    assert!(!bank.is_empty(), "a mix needs at least one step clip");
    let sr = f64::from(sample_rate);
    let n = (condition.seconds * sr) as usize;
    let mut rng = Rng::new(condition.seed);
    let (clicks, step_times) = timings(condition, &mut rng);

    // Each foot draws from its own half of the bank when it can: the two
    // shoes of a runner do not sound alike.
    let drawn_weak_foot_db = rng.range(2.0, 6.0);
    let weak_foot_db = condition.weak_foot_db.unwrap_or(drawn_weak_foot_db);
    let mut feet = vec![0.0; n];
    let mut steps = Vec::with_capacity(step_times.len());
    let mut origins = Vec::with_capacity(step_times.len());
    let mut peaks = Vec::with_capacity(step_times.len());
    for (k, t) in step_times.iter().enumerate() {
        let foot = k % 2;
        let pick = if bank.len() >= 2 {
            let half = (bank.len() - foot).div_ceil(2);
            2 * ((rng.unit() * half as f64) as usize).min(half - 1) + foot
        } else {
            0
        };
        let (clip, onset) = repitched(&bank[pick], rng.range(0.94, 1.06));
        let level_db = rng.range(-2.0, 2.0) - if foot == 1 { weak_foot_db } else { 0.0 };
        let gain = 10f64.powf(level_db / 20.0) / peak(&clip).max(1e-12);
        let at = (t * sr).round() as usize;
        let Some(start) = at.checked_sub(onset) else {
            continue;
        };
        if at >= n {
            continue;
        }
        for (y, x) in feet.iter_mut().skip(start).zip(&clip) {
            *y += gain * x;
        }
        steps.push(at as f64 / sr);
        origins.push(bank[pick].origin.clone());
        peaks.push(10f64.powf(level_db / 20.0));
    }

    let mut heard = None;
    // With the music set on its own, the noise (motor and belt) is scaled
    // as if the music were in it at its usual share (`noise_level`).
    let mut loud_music = None;
    let mut noise_level = None;
    let mut noise = match condition.music_bpm {
        Some(bpm) if condition.recorded_music => {
            let (motor, belt) = motor_and_belt(n, sr, &mut rng);
            let (mut music, file) = excerpt_of(
                tracks,
                bpm,
                condition.seconds,
                sample_rate,
                &mut rng,
                condition.prefer_track,
            )
            .unwrap_or_else(|| panic!("{}: no recorded track near {bpm} bpm", condition.name));
            music.resize(n, 0.0);
            heard = Some(file);
            let usual = noise_of(&motor, &belt, Some(&music));
            if condition.music_over_steps_db.is_some() {
                noise_level = Some(usual);
                loud_music = Some(music);
                noise_of(&motor, &belt, Some(&vec![0.0; n]))
            } else {
                usual
            }
        }
        _ => treadmill_noise(n, sr, condition.music_bpm, &mut rng),
    };

    let mut bleed = vec![0.0; n];
    let mut click_times = Vec::new();
    if let Some(c) = condition.clicks {
        peaks.sort_by(f64::total_cmp);
        let median_step = peaks.get(peaks.len() / 2).copied().unwrap_or(1.0);
        let gain = median_step * 10f64.powf(c.gain_db / 20.0);
        let sound = click_samples(c.sound, sample_rate, &mut rng);
        for t in &clicks {
            let at = (t * sr).round() as usize;
            for (y, x) in bleed.iter_mut().skip(at).zip(&sound) {
                *y += gain * x;
            }
            click_times.push(at as f64 / sr);
        }
    }
    if let Some(rt60) = condition.room_rt60_s {
        feet = reverberate(&feet, sr, rt60, 3.0);
        noise = reverberate(&noise, sr, rt60, 3.0);
        bleed = reverberate(&bleed, sr, rt60, 3.0);
        noise_level = noise_level.map(|x| reverberate(&x, sr, rt60, 3.0));
        loud_music = loud_music.map(|x| reverberate(&x, sr, rt60, 3.0));
    }
    let noise_power = power(noise_level.as_ref().unwrap_or(&noise));
    let noise_gain = (power(&feet) / 10f64.powf(condition.snr_db / 10.0) / noise_power).sqrt();
    noise.iter_mut().for_each(|x| *x *= noise_gain);
    let music = loud_music.map(|mut music| {
        let over = condition.music_over_steps_db.unwrap_or(0.0);
        let gain = (power(&feet) * 10f64.powf(over / 10.0) / power(&music).max(1e-30)).sqrt();
        music.iter_mut().for_each(|x| *x *= gain);
        music
    });
    let mixed: Vec<f64> = (0..n)
        .map(|i| {
            let y = feet[i] + noise[i] + bleed[i];
            music.as_ref().map_or(y, |m| y + m[i])
        })
        .collect();
    let top = peak(&mixed).max(1e-12);
    let mix = Mix {
        samples: mixed.iter().map(|x| (0.5 * x / top) as f32).collect(),
        sample_rate,
        steps,
        origins,
        clicks: click_times,
        beats: clicks,
        music: heard,
    };
    (
        mix,
        Parts {
            feet,
            noise,
            music,
            bleed,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::step_bank::synthetic_bank;

    const SR: u32 = 48000;

    fn short(condition: &MixCondition) -> MixCondition {
        MixCondition {
            seconds: 8.0,
            ..condition.clone()
        }
    }

    #[test]
    fn every_condition_builds_with_steps_at_its_cadence() {
        let bank = synthetic_bank(SR, 2, 3);
        for condition in standard_mix_conditions() {
            let condition = short(&condition);
            let m = mix(&bank, &condition, SR);
            assert_eq!(m.samples.len(), 8 * SR as usize);
            assert!(m.samples.iter().all(|x| x.is_finite() && x.abs() <= 0.5));
            let gaps: Vec<f64> = m.steps.windows(2).map(|w| w[1] - w[0]).collect();
            let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
            let spm = 60.0 / mean;
            let expected = condition.cadence_at(0.5 * condition.seconds);
            assert!(
                (spm - expected).abs() < 0.04 * expected,
                "{}: {spm}",
                condition.name
            );
            assert_eq!(
                m.clicks.is_empty(),
                condition.clicks.is_none(),
                "{}",
                condition.name
            );
        }
    }

    #[test]
    fn the_truth_is_the_clip_onset_to_the_sample() {
        // One clip: a single impulse at its onset. In a quiet mix with no
        // room, the loudest sample near each true step is the impulse.
        let mut samples = vec![0.0f32; 4800];
        samples[240] = 1.0;
        let clip = StepClip {
            samples,
            onset: 240,
            origin: "impulse".into(),
        };
        let condition = MixCondition {
            snr_db: 60.0,
            seconds: 5.0,
            ..standard_mix_conditions()[0].clone()
        };
        let m = mix(&[clip], &condition, SR);
        let sr = f64::from(SR);
        for t in &m.steps {
            let at = (t * sr).round() as usize;
            let near = &m.samples[at - 100..at + 100];
            let loudest = near
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
                .unwrap()
                .0;
            // Within a sample or two (the repitch interpolates).
            assert!(loudest.abs_diff(100) <= 2, "{t}: {loudest}");
        }
    }

    #[test]
    fn off_phase_clicks_fall_between_the_steps() {
        let condition = standard_mix_conditions()
            .into_iter()
            .find(|c| c.name == "clicks off-phase +6 dB")
            .unwrap();
        let m = mix(&synthetic_bank(SR, 2, 3), &short(&condition), SR);
        let period = 60.0 / condition.spm;
        for step in &m.steps {
            let nearest = m
                .clicks
                .iter()
                .map(|c| (c - step).abs())
                .fold(f64::INFINITY, f64::min);
            assert!(nearest > 0.3 * period, "{step}: {nearest}");
        }
    }

    #[test]
    fn the_same_seed_makes_the_same_mix() {
        let bank = synthetic_bank(SR, 2, 3);
        let c = short(&standard_mix_conditions()[3]);
        assert_eq!(mix(&bank, &c, SR).samples, mix(&bank, &c, SR).samples);
    }

    fn click_tracks() -> Vec<MusicTrack> {
        [100.0, 150.0]
            .into_iter()
            .map(|bpm| MusicTrack {
                file: format!("clicks at {bpm}"),
                bpm,
                samples: crate::eval::real_music::click_track(bpm, 40.0, SR),
            })
            .collect()
    }

    #[test]
    fn recorded_music_changes_only_the_music() {
        // Each recorded-music condition's runner is the synthetic
        // condition's it mirrors: same steps, same clips.
        let bank = synthetic_bank(SR, 2, 3);
        let standard = standard_mix_conditions();
        for condition in recorded_music_conditions() {
            let loud = condition.music_over_steps_db.is_some();
            let group = if loud {
                Group::RecordedMusicLoud
            } else {
                Group::RecordedMusic
            };
            assert_eq!(condition.group(), group, "{}", condition.name);
            let condition = short(&condition);
            let twin = standard.iter().find(|c| c.seed == condition.seed).unwrap();
            let m = mix_with_music(&bank, &condition, SR, &click_tracks());
            let heard = m.music.clone().unwrap();
            let bpm = condition.music_bpm.unwrap();
            let track_bpm: f64 = heard.trim_start_matches("clicks at ").parse().unwrap();
            assert!((bpm / track_bpm - 1.0).abs() <= 0.2, "{}", condition.name);
            let twin = mix(
                &bank,
                &MixCondition {
                    seconds: 8.0,
                    ..twin.clone()
                },
                SR,
            );
            assert_eq!(m.steps, twin.steps, "{}", condition.name);
            assert_eq!(m.origins, twin.origins, "{}", condition.name);
            assert!(m.samples.iter().all(|x| x.is_finite() && x.abs() <= 0.5));
        }
    }

    fn db(a: &[f64], b: &[f64]) -> f64 {
        10.0 * (power(a) / power(b)).log10()
    }

    #[test]
    fn loud_music_is_as_loud_over_the_steps_as_its_row_says() {
        let bank = synthetic_bank(SR, 2, 3);
        let conditions = recorded_music_conditions();
        let loud: Vec<&MixCondition> = conditions
            .iter()
            .filter(|c| c.music_over_steps_db.is_some())
            .collect();
        assert_eq!(loud.len(), 5);
        for condition in loud {
            let condition = short(condition);
            let (m, parts) = mix_parts(&bank, &condition, SR, &click_tracks());
            let music = parts.music.as_ref().unwrap();
            let over = db(music, &parts.feet);
            let want = condition.music_over_steps_db.unwrap();
            assert!(
                (over - want).abs() < 0.5,
                "{}: {over:.2} dB",
                condition.name
            );
            // The mix is the sum of the parts.
            let sum: Vec<f64> = (0..parts.feet.len())
                .map(|i| parts.feet[i] + parts.noise[i] + parts.bleed[i] + music[i])
                .collect();
            let top = peak(&sum);
            assert!(m
                .samples
                .iter()
                .zip(&sum)
                .all(|(a, b)| (f64::from(*a) - 0.5 * b / top).abs() < 1e-6));
            // The motor and the belt are where the quieter row has them:
            // its noise less its music's third, 10 log10(0.67) dB.
            let quiet = conditions
                .iter()
                .find(|c| c.seed == condition.seed && c.music_over_steps_db.is_none())
                .unwrap();
            let (_, q) = mix_parts(&bank, &short(quiet), SR, &click_tracks());
            let motor_belt = db(&parts.noise, &parts.feet);
            let quiet_motor_belt = db(&q.noise, &q.feet) + 10.0 * 0.67f64.log10();
            assert!(
                (motor_belt - quiet_motor_belt).abs() < 0.5,
                "{}: {motor_belt:.2} against {quiet_motor_belt:.2}",
                condition.name
            );
            assert!((db(&q.noise, &q.feet) + quiet.snr_db).abs() < 0.01);
            assert!(q.music.is_none());
        }
    }

    #[test]
    #[should_panic(expected = "no recorded track")]
    fn recorded_music_with_no_track_near_its_tempo_is_refused() {
        let condition = short(&recorded_music_conditions()[0]);
        mix_with_music(
            &synthetic_bank(SR, 2, 3),
            &condition,
            SR,
            &click_tracks()[..1],
        );
    }
}

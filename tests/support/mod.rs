//! Helpers shared by the integration tests: build timelines from TOML
//! text, synthetic runners for the detector.
#![allow(dead_code)]

use std::path::Path;

use treadbeat::plan::{parse_profile, Timeline};
use treadbeat::tempo::TempoMap;

/// Parses a profile text that must be valid.
pub fn timeline(text: &str) -> Timeline {
    let profile = parse_profile("test.toml", text, Path::new("."))
        .unwrap_or_else(|e| panic!("test profile invalid: {e}\n{text}"));
    Timeline::from_profile(&profile)
}

pub fn tempo(text: &str) -> TempoMap {
    TempoMap::from_timeline(&timeline(text))
}

/// One `[[step]]` table.
pub fn step(seconds: u32, cadence: (u32, u32), clicked: bool) -> String {
    let cadence = if cadence.0 == cadence.1 {
        cadence.0.to_string()
    } else {
        format!("\"{}..{}\"", cadence.0, cadence.1)
    };
    format!("[[step]]\ntime = \"{seconds}s\"\ncadence = {cadence}\nclick = {clicked}\n")
}

pub fn profile_of(steps: &[(u32, (u32, u32), bool)]) -> String {
    let mut text = String::from("name = \"generated\"\n[click]\ncount_in = 0\n");
    for (seconds, cadence, clicked) in steps {
        text.push_str(&step(*seconds, *cadence, *clicked));
    }
    text
}

/// 3 hours: ramps up and down, constant blocks, silences that restart runs.
pub fn three_hour_profile() -> String {
    let mut text = String::from("name = \"3 h\"\n[click]\ncount_in = 0\n");
    for block in 0..12 {
        let base = 150 + (block * 7) % 40;
        text.push_str(&step(317, (base, base + 23), true));
        text.push_str(&step(241, (base + 23, base + 23), true));
        text.push_str(&step(193, (base + 23, base - 11), true));
        text.push_str(&step(149, (base, base), block % 3 != 0));
    }
    text
}

/// Checks SPEC section 3's placement rule at `frame` of an interleaved
/// buffer: silence just before, the click's first non-silent sample at
/// `frame` or the next one.
pub fn click_starts_at(samples: &[f32], channels: usize, frame: usize) -> Result<(), String> {
    let peak_at = |f: usize| -> f32 {
        samples[f * channels..(f + 1) * channels]
            .iter()
            .fold(0.0f32, |m, x| m.max(x.abs()))
    };
    if frame > 0 && peak_at(frame - 1) != 0.0 {
        return Err(format!(
            "sound before the click at frame {frame}: {}",
            peak_at(frame - 1)
        ));
    }
    let onset = peak_at(frame).max(peak_at(frame + 1));
    if onset < 0.05 {
        return Err(format!("no attack at frame {frame} (peak {onset})"));
    }
    Ok(())
}

pub mod history;
pub mod music;
pub mod pulse;
pub mod run;
pub mod tmux;

/// A synthetic runner at a steady `spm` (heel-toe strikes) in belt noise,
/// 10 dB over it, for `seconds`: the samples at `rate` and the steps' times.
pub fn steady_runner(
    name: &'static str,
    seconds: f64,
    spm: f64,
    seed: u64,
    rate: u32,
) -> (Vec<f32>, Vec<f64>) {
    let recording = treadbeat::eval::corpus::generate(
        &treadbeat::eval::corpus::Condition {
            name,
            seconds,
            snr_db: 10.0,
            rhythm: treadbeat::eval::corpus::Rhythm::Steady(spm),
            character: treadbeat::eval::sources::StrikeCharacter::HeelToe,
            music_bpm: None,
            room_rt60_s: None,
            own_clicks: false,
            steps_off: None,
            seed,
        },
        rate,
    );
    (recording.samples, recording.steps)
}

/// The steps `treadbeat detect` hears in `samples` (no plan, 10 ms
/// blocks) with the detector's parameters `params`, in seconds.
pub fn steps_heard(
    samples: &[f32],
    rate: u32,
    params: &treadbeat::detect::DetectorParams,
) -> Vec<f64> {
    let mut analyser = treadbeat::detect::Analyser::with_params(
        rate,
        None,
        treadbeat::detect::Tolerances::default(),
        params,
    );
    for block in samples.chunks(rate as usize / 100) {
        analyser.feed(block);
    }
    analyser.finish().steps
}

/// F1 and the rest within ±25 ms over the steps from `from_s` on.
pub fn score_from(from_s: f64, truth: &[f64], heard: &[f64]) -> treadbeat::eval::score::Score {
    let later = |t: &&f64| **t >= from_s;
    let truth: Vec<f64> = truth.iter().filter(later).copied().collect();
    let heard: Vec<f64> = heard.iter().filter(later).copied().collect();
    treadbeat::eval::score::score(&truth, &heard, 0.025)
}

/// White hiss in −0.5..0.5, the same sequence every time (xorshift).
pub fn hiss() -> impl FnMut() -> f32 {
    let mut noise = 0x2545_f491u32;
    move || {
        noise ^= noise << 13;
        noise ^= noise >> 17;
        noise ^= noise << 5;
        noise as f32 / u32::MAX as f32 - 0.5
    }
}

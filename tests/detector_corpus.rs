//! The detector against the synthetic corpus: accuracy where the bar is
//! met today (guarding against regressions; docs/figures.md has the
//! full table), the app's own clicks never counted, reporting delay in samples
//! (also for a step whose faint first strike fell short of the bar),
//! the same steps whatever the block size, and band weights that follow
//! the sound of the steps and find a faint foot.

use treadbeat::detect::filterbank::BAND_COUNT;
use treadbeat::detect::{DetectorOptions, FootstrikeDetector};
use treadbeat::engine::ClickSounds;
use treadbeat::eval::corpus::{generate, standard_conditions, Condition, Recording};
use treadbeat::eval::detect_recording;
use treadbeat::eval::rng::Rng;
use treadbeat::eval::score::{percentile, report_delays_ms, score};
use treadbeat::plan::SoundName;
use treadbeat::units::SampleRate;

const RATE: u32 = 48000;

fn condition(prefix: &str) -> Condition {
    standard_conditions()
        .into_iter()
        .find(|c| c.name.starts_with(prefix))
        .unwrap()
}

fn f1(prefix: &str) -> f64 {
    f1_of(&condition(prefix))
}

fn f1_of(condition: &Condition) -> f64 {
    let recording = generate(condition, RATE);
    let steps: Vec<f64> = detect_recording(&recording)
        .iter()
        .map(|s| s.frame as f64 / f64::from(RATE))
        .collect();
    score(&recording.steps, &steps, 0.025).f1
}

#[test]
fn clean_and_moderate_noise_are_heard_within_25_ms() {
    for (prefix, bar) in [
        ("quiet", 0.98),
        ("noise +10", 0.98),
        ("noise 0", 0.95),
        ("noise -5", 0.95),
        ("200 spm", 0.95),
        ("own clicks", 0.95),
        ("lagging", 0.95),
        ("music 128", 0.95),
        ("music near", 0.95),
        ("fatigue", 0.95),
        ("reverberant", 0.95),
        ("150 spm", 0.95),
        ("gym", 0.95),
    ] {
        let f1 = f1(prefix);
        assert!(f1 >= bar, "{prefix}: F1 {f1:.3} below {bar}");
    }
}

#[test]
fn own_clicks_are_never_counted_as_steps() {
    let sr = f64::from(RATE);
    let seconds = 30.0;
    // Each sound announced with a different calibration error (ms): the
    // arrival gain is learned wherever within the spread the click lands.
    for (sound, error_ms) in [
        (SoundName::Woodblock, 0.0),
        (SoundName::Beep, -4.0),
        (SoundName::Clave, 4.0),
        (SoundName::Cowbell, -2.0),
        (SoundName::HiHat, 2.0),
    ] {
        let click = ClickSounds::builtin(sound, SampleRate(RATE)).accent;
        // A quiet, steady room: anything heard is the click.
        let mut rng = Rng::new(3);
        let mut mix: Vec<f64> = (0..(seconds * sr) as usize)
            .map(|_| 0.002 * rng.noise())
            .collect();
        let period = 60.0 / 178.0;
        let arrivals: Vec<u64> = (0..)
            .map(|k| ((0.5 + f64::from(k) * period) * sr) as u64)
            .take_while(|f| (*f as usize) + click.len() < mix.len())
            .collect();
        for at in &arrivals {
            for (y, x) in mix[*at as usize..].iter_mut().zip(&click) {
                *y += 0.8 * f64::from(*x);
            }
        }
        let samples: Vec<f32> = mix.iter().map(|x| *x as f32).collect();
        let mut detector = FootstrikeDetector::new(
            RATE,
            DetectorOptions {
                cadence_hint_spm: Some(178.0),
            },
        );
        detector.set_click_sound(&click);
        let error = (error_ms / 1000.0 * sr) as i64;
        let announced: Vec<u64> = arrivals
            .iter()
            .map(|a| a.saturating_add_signed(error))
            .collect();
        // Announced up to a second ahead, as the live worker does.
        let mut upcoming = announced.iter().peekable();
        let mut heard = 0;
        for (i, block) in samples.chunks(480).enumerate() {
            let horizon = (i * 480) as u64 + RATE as u64;
            while let Some(at) = upcoming.next_if(|at| **at < horizon) {
                detector.expect_click(*at);
            }
            for step in detector.process(block) {
                // From just before a click's arrival to the end of its
                // ring: a detection there is the click heard as a step.
                let from_click = |a: &u64| step.frame as i64 - *a as i64;
                let window = -((0.01 * sr) as i64)..(0.06 * sr) as i64;
                if arrivals.iter().any(|a| window.contains(&from_click(a))) {
                    heard += 1;
                }
            }
        }
        assert_eq!(
            heard, 0,
            "{sound:?} announced {error_ms} ms off: {heard} clicks heard as steps"
        );
    }
}

/// The longest a step found within ±25 ms took from footstrike to report
/// (ms), and how many were found.
fn worst_delay_ms(recording: &Recording) -> (f64, usize) {
    let steps = detect_recording(recording);
    let times: Vec<f64> = steps
        .iter()
        .map(|s| s.frame as f64 / f64::from(RATE))
        .collect();
    let reported: Vec<f64> = steps
        .iter()
        .map(|s| s.reported_frame as f64 / f64::from(RATE))
        .collect();
    let mut delays = report_delays_ms(&recording.steps, &times, &reported, 0.025);
    (percentile(&mut delays, 1.0), delays.len())
}

#[test]
fn steps_are_reported_within_40_ms() {
    let (worst, found) = worst_delay_ms(&generate(&condition("noise 0"), RATE));
    assert!(found > 100);
    assert!(worst <= 40.0, "a step reported {worst:.1} ms late");
}

#[test]
fn a_step_whose_faint_first_strike_fell_short_is_not_reported_late() {
    // Two draws of the reverberant room where, in the first seconds, the
    // quiet foot's first strike fell short of the bar and its boom cleared
    // it 21-24 ms later: those steps were reported 42.2 and 45.0 ms after
    // they landed.
    for seed_shift in [1300, 2900] {
        let mut room = condition("reverberant");
        room.seed += seed_shift;
        let mut recording = generate(&room, RATE);
        let first_seconds = 8.0;
        recording
            .samples
            .truncate((first_seconds * f64::from(RATE)) as usize);
        recording.steps.retain(|t| *t < first_seconds - 0.1);
        let (worst, found) = worst_delay_ms(&recording);
        assert!(found > 10, "seed moved by {seed_shift}: {found} found");
        assert!(
            worst <= 40.0,
            "seed moved by {seed_shift}: a step reported {worst:.1} ms late"
        );
    }
}

#[test]
fn block_size_does_not_change_what_is_heard() {
    let recording = generate(&condition("noise +5"), RATE);
    let run = |block: usize| {
        let mut detector = FootstrikeDetector::new(RATE, DetectorOptions::default());
        let mut frames = Vec::new();
        for chunk in recording.samples.chunks(block) {
            frames.extend(detector.process(chunk).iter().map(|s| s.frame));
        }
        frames
    };
    let reference = run(480);
    assert!(reference.len() > 100);
    for block in [1, 64, 1000, 4096] {
        assert_eq!(run(block), reference, "block {block}");
    }
}

#[test]
fn nothing_is_heard_while_the_runner_is_off_the_belt() {
    let condition = condition("steps off");
    let (from, to) = condition.steps_off.unwrap();
    let recording = generate(&condition, RATE);
    let made_up: Vec<f64> = detect_recording(&recording)
        .iter()
        .map(|s| s.frame as f64 / f64::from(RATE))
        .filter(|t| *t > from + 0.05 && *t < to - 0.05)
        .collect();
    // The belt, the motor and the clicks go on: a tracker that reported
    // where a step was due would fill the gap.
    assert!(made_up.is_empty(), "steps made up: {made_up:?}");
}

/// The weights the detector has learned by the end of a recording.
fn learned_weights(prefix: &str) -> [f32; BAND_COUNT] {
    let recording = generate(&condition(prefix), RATE);
    let mut detector = FootstrikeDetector::new(
        RATE,
        DetectorOptions {
            cadence_hint_spm: Some(recording.condition.rhythm.beat_spm()),
        },
    );
    for block in recording.samples.chunks(480) {
        detector.process(block);
    }
    *detector.band_weights()
}

#[test]
fn the_bands_that_carry_the_steps_count_most() {
    // Heavy shoes on a booming deck in a reverberant room: the boom's two
    // octaves carry the steps, the upper bands mostly the room's tail.
    let room = learned_weights("reverberant");
    assert!(room[0] > 2.0 && room[1] > 2.0, "{room:?}");
    assert!(room[3..].iter().all(|w| *w < 0.5), "{room:?}");
    // Minimal shoes: a short mid-range tap, nothing in the deck's octave.
    let light = learned_weights("noise -5");
    assert!(light[0] < 0.5, "{light:?}");
    assert!(light[2] > 1.5 && light[5] > 1.5, "{light:?}");
}

#[test]
fn a_quiet_heavy_foot_in_a_reverberant_room_is_heard_by_its_boom() {
    // A draw of the room where the quiet foot is faint: summing the bands
    // equally it scored 0.874; with the bands weighted by what carries
    // the steps, where a step is due, 0.936.
    let mut room = condition("reverberant");
    room.seed += 900;
    let f1 = f1_of(&room);
    assert!(f1 >= 0.92, "F1 {f1:.3}");
}

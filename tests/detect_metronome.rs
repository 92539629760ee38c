//! `detect` on a recording with another metronome in it (not the app's,
//! not announced): the clicks are recognised from the recording itself,
//! reported, never counted as steps, and the steps beside them are found.
//! The steps are the synthetic corpus's; the clicks are each built-in
//! sound at +6 dB over the steps, off the steps' phase.

use treadbeat::engine::ClickSounds;
use treadbeat::eval::corpus::{generate, standard_conditions, Recording};
use treadbeat::eval::score::score;
use treadbeat::io::wav::write_mono;
use treadbeat::plan::SoundName;
use treadbeat::units::SampleRate;

mod support;

const RATE: u32 = 48_000;

/// Writes `samples` scaled to a peak of 0.9 (as a recorder's level would
/// leave them).
fn write_scaled(path: &std::path::Path, samples: &[f32]) {
    let loudest = peak(samples);
    let scaled: Vec<f32> = samples.iter().map(|x| x * 0.9 / loudest).collect();
    write_mono(path, &scaled, RATE).unwrap();
}

/// How many of the clicks away from every true step (30 ms) were reported
/// as steps (within 10 ms).
fn clicks_counted(clicks: &[f64], truth: &[f64], reported: &[f64]) -> usize {
    clicks
        .iter()
        .filter(|c| truth.iter().all(|s| (*s - **c).abs() > 0.03))
        .filter(|c| reported.iter().any(|s| (s - **c).abs() < 0.01))
        .count()
}

/// The synthetic runner at +10 dB SNR, the steps every test here lays
/// a metronome over.
fn runner_at_10_db() -> Recording {
    let condition = standard_conditions()
        .into_iter()
        .find(|c| c.name.starts_with("noise +10"))
        .unwrap();
    generate(&condition, RATE)
}

fn peak(samples: &[f32]) -> f32 {
    samples.iter().fold(0.0f32, |m, x| m.max(x.abs()))
}

#[test]
fn another_metronome_is_heard_as_a_metronome_not_as_steps() {
    let recording = runner_at_10_db();
    let step_peak = peak(&recording.samples);
    let dir = tempfile::tempdir().unwrap();
    for sound in [SoundName::Woodblock, SoundName::Beep, SoundName::Cowbell] {
        let click = ClickSounds::builtin(sound, SampleRate(RATE)).normal;
        // +6 dB over the steps' peak.
        let gain = 2.0 * step_peak / peak(&click);
        let mut samples = recording.samples.clone();
        let period = 60.0 / 172.0;
        let mut clicks = Vec::new();
        let mut t = 0.21;
        while t + 0.2 < samples.len() as f64 / f64::from(RATE) {
            let at = (t * f64::from(RATE)).round() as usize;
            for (k, x) in click.iter().enumerate() {
                if let Some(s) = samples.get_mut(at + k) {
                    *s += gain * x;
                }
            }
            clicks.push(t);
            t += period;
        }
        let path = dir.path().join(format!("{sound:?}.wav"));
        write_scaled(&path, &samples);

        let json = support::run::detect_json(&path);
        let per_minute = json["metronome_per_minute"].as_f64();
        assert!(
            per_minute.is_some_and(|m| (m - 172.0).abs() < 0.5),
            "{sound:?}: metronome {per_minute:?}"
        );
        let steps = support::run::json_steps(&json);
        let found = score(&recording.steps, &steps, 0.025);
        assert!(found.f1 >= 0.9, "{sound:?}: F1 {:.3} ({found:?})", found.f1);
        // No click away from every step was reported as one.
        let counted = clicks_counted(&clicks, &recording.steps, &steps);
        assert!(counted <= 1, "{sound:?}: {counted} clicks counted as steps");
    }
}

/// A rendered session played aloud beside a runner: the clicks change
/// tempo from step to step (a walk ramping up, a jog ramping, a steady
/// run, a ramp down), so no one grid holds them; every tempo is found and
/// none of its clicks is counted, and the steps are.
#[test]
fn a_session_whose_clicks_change_tempo_has_none_counted() {
    let recording = runner_at_10_db();
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("changes.toml");
    std::fs::write(
        &profile,
        "name = \"changes\"\n[click]\nsound = \"woodblock\"\ncount_in = 4\n\
         [[step]]\ntime = \"12s\"\ncadence = \"116..124\"\n\
         [[step]]\ntime = \"14s\"\ncadence = \"158..165\"\n\
         [[step]]\ntime = \"20s\"\ncadence = 165\n\
         [[step]]\ntime = \"20s\"\ncadence = \"165..150\"\n",
    )
    .unwrap();
    let session = dir.path().join("session.wav");
    let (code, _, stderr) = support::run::treadbeat(&[
        "render",
        profile.to_str().unwrap(),
        "-o",
        session.to_str().unwrap(),
        "--no-voice",
        "--mono",
        "--sample-rate",
        "48000",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    // 16-bit PCM.
    let clicks_only: Vec<f32> = hound::WavReader::open(&session)
        .unwrap()
        .into_samples::<i16>()
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect();
    // Where each click starts: the first sound after a silence.
    let clicks: Vec<f64> = (1..clicks_only.len())
        .filter(|&i| {
            clicks_only[i] != 0.0
                && clicks_only[i.saturating_sub(200)..i]
                    .iter()
                    .all(|x| *x == 0.0)
        })
        .map(|i| i as f64 / f64::from(RATE))
        .collect();
    assert!(clicks.len() > 100, "{} clicks rendered", clicks.len());

    // The clicks 6 dB over the steps.
    let gain = 2.0 * peak(&recording.samples) / peak(&clicks_only);
    let mut samples = recording.samples.clone();
    for (s, c) in samples.iter_mut().zip(&clicks_only) {
        *s += gain * c;
    }
    let path = dir.path().join("mixed.wav");
    write_scaled(&path, &samples);

    let json = support::run::detect_json(&path);
    assert!(json["metronome_per_minute"].as_f64().is_some(), "{json}");
    let steps = support::run::json_steps(&json);
    let found = score(&recording.steps, &steps, 0.025);
    assert!(found.f1 >= 0.9, "F1 {:.3} ({found:?})", found.f1);
    let counted = clicks_counted(&clicks, &recording.steps, &steps);
    assert!(counted <= 1, "{counted} clicks counted as steps");

    // The session alone: no steps at all.
    let alone = support::run::detect_json(&session);
    let heard = support::run::json_steps(&alone);
    assert!(
        heard.len() <= 1,
        "{} clicks counted as steps: {heard:?}",
        heard.len()
    );
}

/// Clicks at times no grid holds (a rhythm of uneven gaps), 6 dB over the
/// steps: found from the recording alone they cannot be, but given their
/// times (`--clicks FILE`) none is counted and the steps are found.
#[test]
fn clicks_whose_times_are_given_are_never_counted() {
    let recording = runner_at_10_db();
    let click = ClickSounds::builtin(SoundName::Woodblock, SampleRate(RATE)).normal;
    let gain = 2.0 * peak(&recording.samples) / peak(&click);
    let mut samples = recording.samples.clone();
    let seconds = samples.len() as f64 / f64::from(RATE);
    let mut clicks = Vec::new();
    let mut t = 0.3;
    let mut k = 0u32;
    while t + 0.2 < seconds {
        let at = (t * f64::from(RATE)).round() as usize;
        for (i, x) in click.iter().enumerate() {
            if let Some(s) = samples.get_mut(at + i) {
                *s += gain * x;
            }
        }
        clicks.push(t);
        // 0.29 to 0.43 s apart, in no order a grid or a ramp could follow.
        t += 0.29 + f64::from((k * 7919) % 15) * 0.01;
        k += 1;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("uneven.wav");
    write_scaled(&path, &samples);
    let times = dir.path().join("clicks.txt");
    let text: String = clicks.iter().map(|t| format!("{t:.6}\n")).collect();
    std::fs::write(&times, format!("# when the clicks played\n{text}")).unwrap();

    let counted = |steps: &[f64]| clicks_counted(&clicks, &recording.steps, steps);
    // Not told: the clicks are taken for steps.
    let untold = support::run::json_steps(&support::run::detect_json(&path));
    assert!(counted(&untold) > 20, "{} counted untold", counted(&untold));

    let (code, stdout, stderr) = support::run::treadbeat(&[
        "detect",
        path.to_str().unwrap(),
        "--clicks",
        times.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let steps = support::run::json_steps(&json);
    assert!(
        counted(&steps) <= 1,
        "{} clicks counted as steps",
        counted(&steps)
    );
    let found = score(&recording.steps, &steps, 0.025);
    assert!(found.f1 >= 0.9, "F1 {:.3} ({found:?})", found.f1);
}

/// A file of click times with something wrong in it: one line saying
/// where, exit 1; a file that cannot be read: exit 2.
#[test]
fn a_bad_file_of_click_times_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.wav");
    write_mono(&path, &vec![0.0; RATE as usize], RATE).unwrap();
    let times = dir.path().join("clicks.txt");
    std::fs::write(&times, "0.5\n0.9\n  0.7\n").unwrap();
    let (code, _, stderr) = support::run::treadbeat(&[
        "detect",
        path.to_str().unwrap(),
        "--clicks",
        times.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1));
    let expected = format!("{}:3:3: click times must increase", times.display());
    assert!(stderr.contains(&expected), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    let missing = dir.path().join("none.txt");
    let (code, _, _) = support::run::treadbeat(&[
        "detect",
        path.to_str().unwrap(),
        "--clicks",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2));
}

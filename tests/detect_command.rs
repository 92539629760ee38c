//! `treadbeat detect` end to end on files: what it finds in a synthetic
//! recording, its JSON, and every kind of bad recording (unreadable,
//! empty, silent, clipped, stereo at another rate) answered with one line
//! or an honest empty result, never a panic.

use assert_cmd::Command;
use treadbeat::eval::corpus::{generate, standard_conditions, Recording};
use treadbeat::eval::score::score;
use treadbeat::io::wav::write_mono;

fn detect(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("treadbeat")
        .unwrap()
        .arg("detect")
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The `steps` of `detect --json`, shifted by `start` back onto the
/// recording's clock.
fn json_steps(json: &serde_json::Value, start: f64) -> Vec<f64> {
    json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap() + start)
        .collect()
}

/// The synthetic corpus's recording of the standard condition whose name
/// starts with `name`, at `rate`.
fn corpus_recording(name: &str, rate: u32) -> Recording {
    let condition = standard_conditions()
        .into_iter()
        .find(|c| c.name.starts_with(name))
        .unwrap();
    generate(&condition, rate)
}

fn one_line_error(output: &std::process::Output, code: i32, needle: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(needle), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn json_has_the_steps_cadence_offsets_and_warnings_of_a_sagging_runner() {
    let dir = tempfile::tempdir().unwrap();
    let recording = corpus_recording("fatigue", 44100);
    let path = dir.path().join("fatigue.wav");
    write_mono(&path, &recording.samples, 44100).unwrap();
    let aligned = [
        path.to_str().unwrap(),
        "--cadence",
        "176",
        "--start",
        "0.5",
        "--json",
    ];
    let output = detect(&aligned);
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let steps = json_steps(&json, 0.5);
    let s = score(&recording.steps, &steps, 0.05);
    assert!(s.f1 > 0.8, "{s:?}");
    let cadence = json["cadence"].as_array().unwrap();
    let late: Vec<f64> = cadence
        .iter()
        .filter(|c| c["t"].as_f64().unwrap() > 75.0)
        .map(|c| c["spm"].as_f64().unwrap())
        .collect();
    let mut late_sorted = late.clone();
    late_sorted.sort_by(f64::total_cmp);
    let median = late_sorted[late_sorted.len() / 2];
    assert!((median - 162.0).abs() < 3.0, "cadence at the end {median}");
    assert_eq!(json["offsets_ms"].as_array().unwrap().len(), steps.len());
    // The recording's motor hums between 45 and 110 Hz, with harmonics:
    // the lowest tone taken out is its fundamental (listed lowest first).
    let hum: Vec<f64> = json["hum_hz"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hz| hz.as_f64().unwrap())
        .collect();
    let fundamental = hum.first().copied().unwrap_or_default();
    assert!((45.0..=110.0).contains(&fundamental), "{hum:?}");
    assert!(hum.windows(2).all(|w| w[0] <= w[1]), "{hum:?}");
    let warnings = json["warnings"].as_array().unwrap();
    let kinds: Vec<&str> = warnings
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    assert!(!kinds.is_empty(), "no warning for a runner losing 8 %");
    assert!(
        kinds.contains(&"cadence_low") || kinds.contains(&"lagging"),
        "{kinds:?}"
    );
    // The first warning comes only once the runner has drifted.
    assert!(warnings[0]["t"].as_f64().unwrap() > 20.0);
    assert!(warnings[0]["text"].as_str().unwrap().len() > 10);

    // Wider tolerances: the coach speaks up later (a sagging runner keeps
    // slipping behind the beat, so the lag rule still trips, in time).
    let first_default = warnings[0]["t"].as_f64().unwrap();
    let wider = ["--cadence-tolerance", "12", "--lag-tolerance", "300"];
    let output = detect(&[&aligned[..], &wider[..]].concat());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let warnings = json["warnings"].as_array().unwrap();
    assert!(
        warnings.is_empty() || warnings[0]["t"].as_f64().unwrap() > first_default + 5.0,
        "{warnings:?}"
    );
}

#[test]
fn a_steady_runner_gets_no_warning_and_a_readable_summary() {
    let dir = tempfile::tempdir().unwrap();
    let recording = corpus_recording("noise +10", 48000);
    let path = dir.path().join("steady.wav");
    write_mono(&path, &recording.samples, 48000).unwrap();
    let output = detect(&[path.to_str().unwrap(), "--cadence", "180", "--start", "0.5"]);
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("Heard 177 steps"), "{text}");
    assert!(text.contains("cadence 180 spm"), "{text}");
    assert!(text.contains("would have said nothing"), "{text}");
    assert!(
        text.contains("Steady tones taken out before listening"),
        "{text}"
    );
}

#[test]
fn bad_recordings_get_one_line_or_an_honest_empty_result() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.wav");
    one_line_error(&detect(&[missing.to_str().unwrap()]), 2, "cannot open");

    let garbage = dir.path().join("garbage.wav");
    std::fs::write(&garbage, b"RIFF this is not audio at all").unwrap();
    one_line_error(&detect(&[garbage.to_str().unwrap()]), 1, "not a recording");

    let zero_bytes = dir.path().join("zero.flac");
    std::fs::write(&zero_bytes, b"").unwrap();
    one_line_error(
        &detect(&[zero_bytes.to_str().unwrap()]),
        1,
        "not a recording",
    );

    one_line_error(&detect(&[dir.path().to_str().unwrap()]), 2, "directory");

    let empty = dir.path().join("empty.wav");
    write_mono(&empty, &[], 48000).unwrap();
    let output = detect(&[empty.to_str().unwrap()]);
    assert!(output.status.success());
    assert!(stdout(&output).contains("empty"), "{}", stdout(&output));
    let output = detect(&[empty.to_str().unwrap(), "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["steps"].as_array().unwrap().len(), 0);

    let silent = dir.path().join("silent.wav");
    write_mono(&silent, &vec![0.0; 48000 * 5], 48000).unwrap();
    let output = detect(&[silent.to_str().unwrap(), "--cadence", "170"]);
    assert!(output.status.success());
    assert!(stdout(&output).contains("silent"), "{}", stdout(&output));

    // Clipped: a recording driven far past full scale.
    let condition = standard_conditions().remove(0);
    let loud: Vec<f32> = generate(&condition, 16000)
        .samples
        .iter()
        .map(|x| (x * 20.0).clamp(-1.0, 1.0))
        .collect();
    let clipped = dir.path().join("clipped.wav");
    write_mono(&clipped, &loud, 16000).unwrap();
    let output = detect(&[clipped.to_str().unwrap()]);
    assert!(output.status.success());
    assert!(stdout(&output).contains("clipped"), "{}", stdout(&output));

    one_line_error(
        &detect(&[silent.to_str().unwrap(), "--cadence", "500"]),
        1,
        "outside 60 to 240",
    );
}

#[test]
fn stereo_at_another_rate_reads_as_mono() {
    let dir = tempfile::tempdir().unwrap();
    let condition = standard_conditions().remove(0);
    let recording = generate(&condition, 22050);
    let path = dir.path().join("stereo.wav");
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 22050,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(&path, spec).unwrap();
    for x in &recording.samples {
        let v = treadbeat::io::wav::to_i16(*x);
        writer.write_sample(v).unwrap();
        writer.write_sample(v / 2).unwrap();
    }
    writer.finalize().unwrap();
    let output = detect(&[path.to_str().unwrap(), "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let steps = json_steps(&json, 0.0);
    let s = score(&recording.steps, &steps, 0.025);
    assert!(s.f1 > 0.97, "{s:?}");
    assert!(json.get("offsets_ms").is_none(), "no beat, no offsets");
}

/// Many recordings begin with digital silence (a recorder's start, an
/// export's padding): the room coming in at its end is no footstep.
#[test]
fn a_recording_that_opens_on_silence_has_no_step_where_the_sound_begins() {
    let dir = tempfile::tempdir().unwrap();
    let recording = corpus_recording("noise +10", 48000);
    let silence_s = 0.3;
    let mut samples = vec![0.0; (silence_s * 48000.0) as usize];
    samples.extend_from_slice(&recording.samples);
    let path = dir.path().join("padded.wav");
    write_mono(&path, &samples, 48000).unwrap();
    let output = detect(&[path.to_str().unwrap(), "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let steps = json_steps(&json, -silence_s);
    let first_truth = recording.steps[0];
    let before_any = steps.iter().filter(|&&t| t < first_truth - 0.025).count();
    assert_eq!(before_any, 0, "first step at {first_truth}: {steps:?}");
    let s = score(&recording.steps, &steps, 0.025);
    assert!(s.f1 > 0.97, "{s:?}");
}

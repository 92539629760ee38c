//! `detect` reads what a phone records: M4A with AAC (voice memos, most
//! recorder apps) and with ALAC (lossless memos), encoded here by ffmpeg
//! from a synthetic treadmill recording. The steps found match the WAV's:
//! ALAC to the millisecond; AAC within the ±25 ms a step is scored at (the
//! decoder keeps the encoder's ~21 ms of priming, see docs/detector.md).

use std::path::Path;
use std::process::Command;

use treadbeat::eval::corpus::{generate, standard_conditions};
use treadbeat::io::wav::write_mono;

mod support;

fn steps(path: &Path) -> Vec<f64> {
    support::run::json_steps(&support::run::detect_json(path))
}

fn encode(wav: &Path, out: &Path, codec: &[&str]) {
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-i"])
        .arg(wav)
        .args(codec)
        .arg(out)
        .status()
        .expect("ffmpeg encodes the phone formats: .ci/setup test");
    assert!(status.success());
}

#[test]
fn m4a_recordings_give_the_wavs_steps() {
    let dir = tempfile::tempdir().unwrap();
    let condition = standard_conditions()
        .into_iter()
        .find(|c| c.name.starts_with("noise +10"))
        .unwrap();
    let recording = generate(&condition, 48_000);
    let wav = dir.path().join("memo.wav");
    write_mono(&wav, &recording.samples, 48_000).unwrap();
    let reference = steps(&wav);
    assert!(reference.len() > 100, "{}", reference.len());

    for (name, codec, tolerance_s) in [
        ("alac.m4a", &["-c:a", "alac"][..], 0.001),
        ("aac.m4a", &["-c:a", "aac", "-b:a", "64k"][..], 0.025),
    ] {
        let m4a = dir.path().join(name);
        encode(&wav, &m4a, codec);
        let heard = steps(&m4a);
        let matched = reference
            .iter()
            .filter(|t| heard.iter().any(|h| (h - *t).abs() <= tolerance_s))
            .count();
        // Every step but perhaps one at either end.
        assert!(
            matched + 2 >= reference.len() && heard.len() <= reference.len() + 2,
            "{name}: {matched} of {} steps matched, {} heard",
            reference.len(),
            heard.len()
        );
    }
}

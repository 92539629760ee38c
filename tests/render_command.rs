//! `treadbeat render` end to end: the WAV file the binary writes has every
//! click's first non-silent sample at round(t_k·sr) or the next sample
//! (with `--no-count-in`, t = 0 is sample 0), in the format asked for.
//! Clicks only (`--no-voice`); the voice is tests/voice_render.rs.

mod support;

use assert_cmd::Command;
use treadbeat::tempo::TempoMap;
use treadbeat::units::SampleRate;

const PROFILE: &str = "name = \"ramps\"\n[click]\naccent = 3\nstereo = \"alternate\"\n\
    [[step]]\ntime = \"40s\"\ncadence = \"150..195\"\n\
    [[step]]\nkind = \"rest\"\ntime = \"7s\"\n\
    [[step]]\ntime = \"30s\"\ncadence = \"190..170\"\n";

fn render(args: &[&str]) -> (hound::WavSpec, Vec<f32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("ramps.toml");
    let wav = dir.path().join("out.wav");
    std::fs::write(&profile, PROFILE).unwrap();
    let output = Command::cargo_bin("treadbeat")
        .unwrap()
        .arg("render")
        .arg(&profile)
        .arg("-o")
        .arg(&wav)
        .arg("--no-voice")
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut reader = hound::WavReader::open(&wav).unwrap();
    let spec = reader.spec();
    let samples = reader
        .samples::<i16>()
        .map(|s| f32::from(s.unwrap()) / 32767.0)
        .collect();
    (spec, samples, stdout)
}

fn expected_frames(rate: u32) -> Vec<usize> {
    let map = TempoMap::from_timeline(&support::timeline(PROFILE));
    map.click_frames(SampleRate(rate))
        .map(|f| f.0 as usize)
        .collect()
}

#[test]
fn every_click_in_the_wav_starts_on_its_frame() {
    for (rate, mono) in [(48000, false), (44100, true), (22050, false)] {
        let rate_text = rate.to_string();
        let mut args = vec![
            "--no-count-in",
            "--sample-rate",
            &rate_text,
            "--sound",
            "clave",
        ];
        if mono {
            args.push("--mono");
        }
        let (spec, samples, stdout) = render(&args);
        let channels = if mono { 1 } else { 2 };
        assert_eq!(
            (spec.sample_rate, spec.channels, spec.bits_per_sample),
            (rate, channels, 16)
        );
        let expected = expected_frames(rate);
        assert!(
            stdout.contains(&format!("{} clicks", expected.len())),
            "{stdout}"
        );
        for frame in &expected {
            support::click_starts_at(&samples, usize::from(channels), *frame)
                .unwrap_or_else(|e| panic!("{rate} Hz: {e}"));
        }
        // Nothing sounds during the rest step (40 s to 47 s).
        let rest = (41 * rate as usize)..(47 * rate as usize);
        let channels = usize::from(channels);
        assert!(samples[rest.start * channels..rest.end * channels]
            .iter()
            .all(|x| *x == 0.0));
    }
}

#[test]
fn with_a_count_in_t_zero_follows_the_count_in() {
    let (_, samples, stdout) = render(&["--sound", "woodblock"]);
    // Four count-in clicks at 150 spm: t = 0 is 1.6 s into the file.
    assert!(stdout.contains("session t = 0 at frame 76800"), "{stdout}");
    for frame in [0, 19_200, 38_400, 57_600] {
        support::click_starts_at(&samples, 2, frame).unwrap();
    }
    for frame in expected_frames(48000) {
        support::click_starts_at(&samples, 2, 76_800 + frame).unwrap();
    }
}

#[test]
fn an_unwritable_output_is_one_line_and_exit_2() {
    let output = Command::cargo_bin("treadbeat")
        .unwrap()
        .args(["render", "easy-run", "-o", "/nonexistent-dir/out.wav"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("/nonexistent-dir/out.wav"), "{stderr}");
}

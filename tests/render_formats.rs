//! `render -o OUT.wav|.flac|.mp3`, read back by an independent decoder
//! (ffmpeg, which `.ci/setup test` installs): the FLAC decodes to exactly
//! the WAV's samples, the MP3 to the same length with every click on the
//! same sample (LAME's encoder delay is recorded in its tag and dropped by
//! the decoder), and an RF64 file decodes like the plain WAV.

use std::path::Path;
use std::process::Command;

use treadbeat::io::render_file::{WavEncoder, WavLayout};

const PROFILE: &str = "name = \"Short\"
[click]
count_in = 4
[[step]]
name = \"Ramp\"
time = \"20s\"
cadence = \"160..180\"
[[step]]
name = \"Hold\"
time = \"10s\"
cadence = 175
";

fn render(dir: &Path, name: &str) -> std::path::PathBuf {
    let profile = dir.join("short.toml");
    std::fs::write(&profile, PROFILE).unwrap();
    let out = dir.join(name);
    let status = Command::new(env!("CARGO_BIN_EXE_treadbeat"))
        .arg("render")
        .arg(&profile)
        .args(["--no-voice", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    out
}

/// Interleaved stereo 16-bit samples, as ffmpeg decodes the file.
fn decode(path: &Path) -> Vec<i16> {
    let output = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-f", "s16le", "-acodec", "pcm_s16le", "-"])
        .output()
        .unwrap_or_else(|e| panic!("ffmpeg is needed to read renders back ({e}): .ci/setup test"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
        .stdout
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect()
}

/// The frame where each click first rises past a third of full scale.
fn click_onsets(stereo: &[i16]) -> Vec<usize> {
    let mut onsets = Vec::new();
    let mut last_loud: Option<usize> = None;
    for (frame, pair) in stereo.chunks_exact(2).enumerate() {
        let loud = pair.iter().any(|s| s.unsigned_abs() > 11_000);
        if loud {
            // A new click after at least 100 ms of quiet.
            if last_loud.is_none_or(|l| frame - l > 4800) {
                onsets.push(frame);
            }
            last_loud = Some(frame);
        }
    }
    onsets
}

#[test]
fn flac_decodes_to_exactly_the_wav() {
    let dir = tempfile::tempdir().unwrap();
    let wav = decode(&render(dir.path(), "s.wav"));
    let flac = decode(&render(dir.path(), "s.flac"));
    assert!(wav.len() > 48_000 * 2 * 30);
    assert!(wav == flac, "the FLAC is not sample-exact");
}

#[test]
fn mp3_keeps_the_length_and_every_click_on_its_sample() {
    let dir = tempfile::tempdir().unwrap();
    let wav = decode(&render(dir.path(), "s.wav"));
    let mp3 = decode(&render(dir.path(), "s.mp3"));
    assert_eq!(mp3.len(), wav.len(), "encoder delay or padding left in");
    let expected = click_onsets(&wav);
    let heard = click_onsets(&mp3);
    // Four count-in clicks; the session's phase reaches 85.8 in 30 s: 86 more.
    assert_eq!(expected.len(), 4 + 86);
    assert_eq!(heard.len(), expected.len());
    for (e, h) in expected.iter().zip(&heard) {
        // Within 0.5 ms: what a lossy codec may smear, far under a step.
        assert!(e.abs_diff(*h) <= 24, "click at frame {e} decodes at {h}");
    }
}

#[test]
fn rf64_decodes_like_the_plain_wav() {
    let dir = tempfile::tempdir().unwrap();
    let samples: Vec<f32> = (0..96_000)
        .map(|i| ((i as f32) * 0.01).sin() * 0.5)
        .collect();
    let mut paths = Vec::new();
    for (name, layout) in [
        ("plain.wav", WavLayout::Auto),
        ("rf64.wav", WavLayout::Rf64),
    ] {
        let path = dir.path().join(name);
        let file = std::fs::File::create(&path).unwrap();
        let mut wav = WavEncoder::new(file, 48_000, 2, layout).unwrap();
        wav.write(&samples).unwrap();
        wav.finish().unwrap();
        paths.push(path);
    }
    assert_eq!(&std::fs::read(&paths[1]).unwrap()[..4], b"RF64");
    let plain = decode(&paths[0]);
    assert_eq!(plain.len(), samples.len());
    assert!(decode(&paths[1]) == plain);
}

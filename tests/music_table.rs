//! The `[music]` table: its path (relative to the profile, checked with a
//! located error, overridden by `--music`), the music's volume, and the
//! clicks' level while the music sounds, through `render`.

mod support;

use std::path::Path;
use std::process::Command;

use support::music::{drum_track, read_wav, write_wav, RATE};
use treadbeat::plan::{parse_profile, ClicksUnderMusic};

const STEPS: &str = "[[step]]\ntime = \"20s\"\ncadence = 160\n";

fn treadbeat(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_treadbeat"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A profile in `dir` with `[click]` and `[music]` lines, and a 160 BPM
/// track at `dir/tracks/one.wav`.
fn profile(dir: &Path, click: &str, music: &str) -> String {
    std::fs::create_dir_all(dir.join("tracks")).unwrap();
    let track = dir.join("tracks/one.wav");
    if !track.exists() {
        write_wav(&track, &drum_track(160.0, 0.4, 30.0, 5));
    }
    let path = dir.join(format!("p{}.toml", music.len() + click.len()));
    let text = format!("[click]\ncount_in = 0\n{click}\n[music]\n{music}\n{STEPS}");
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn render(dir: &Path, profile: &str, out: &str, extra: &[&str]) -> Vec<f32> {
    let out = dir.join(out);
    let mut args = vec!["render", profile, "-o", out.to_str().unwrap(), "--no-voice"];
    args.extend(extra);
    let (code, stdout, stderr) = treadbeat(dir, &args);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    read_wav(&out)
}

#[test]
fn the_table_is_read_with_its_path_relative_to_the_profile() {
    let text = format!(
        "[music]\npath = \"tracks\"\nvolume = 0.3\nshuffle = true\nclicks = \"soft\"\n{STEPS}"
    );
    let profile = parse_profile("p.toml", &text, Path::new("/runs")).unwrap();
    assert_eq!(
        profile.music.path.as_deref(),
        Some(Path::new("/runs/tracks"))
    );
    assert_eq!(profile.music.volume, 0.3);
    assert!(profile.music.shuffle);
    assert_eq!(profile.music.clicks, ClicksUnderMusic::Soft);
    assert_eq!(&text[profile.music_path_span.unwrap()], "\"tracks\"");
    let home = parse_profile(
        "p.toml",
        "[music]\npath = \"~/Music\"\n[[step]]\ntime = \"3m\"\ncadence = 170\n",
        Path::new("/runs"),
    )
    .unwrap();
    assert_eq!(home.music.path.as_deref(), Some(Path::new("~/Music")));
}

#[test]
fn a_missing_music_path_is_an_error_at_its_value_unless_music_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = profile(dir.path(), "", "path = \"nowhere\"");
    let missing = dir.path().join("nowhere");
    let expected = format!("{file}:5:8: music `{}` not found\n", missing.display());
    for command in ["check", "render"] {
        let out = dir.path().join("x.wav");
        let args: &[&str] = if command == "check" {
            &["check", &file]
        } else {
            &["render", &file, "-o", out.to_str().unwrap(), "--no-voice"]
        };
        let (code, _, stderr) = treadbeat(dir.path(), args);
        assert_eq!(code, Some(1), "{command}");
        assert_eq!(stderr, expected, "{command}");
    }
    let track = dir.path().join("tracks/one.wav");
    let samples = render(
        dir.path(),
        &file,
        "y.wav",
        &["--music", track.to_str().unwrap()],
    );
    assert!(samples.iter().any(|x| x.abs() > 0.1));
}

#[test]
fn volume_sets_the_music_level_and_clicks_off_leaves_the_music_alone() {
    let dir = tempfile::tempdir().unwrap();
    let silent_clicks = "volume = 0.0";
    let half = profile(dir.path(), silent_clicks, "path = \"tracks\"");
    let quarter = profile(
        dir.path(),
        silent_clicks,
        "path = \"tracks\"\nvolume = 0.25",
    );
    let clicks_off = profile(dir.path(), "", "path = \"tracks\"\nclicks = \"off\"");
    let (a, b) = (
        render(dir.path(), &half, "a.wav", &[]),
        render(dir.path(), &quarter, "b.wav", &[]),
    );
    let peak = |s: &[f32]| s.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    let ratio = peak(&a) / peak(&b);
    assert!((ratio - 2.0).abs() < 0.01, "{ratio}");
    // Clicks off under music: where the music sounds (from its first beat
    // on the first click to its last bar), the file is the music alone.
    let off = render(dir.path(), &clicks_off, "c.wav", &[]);
    let span = (2 * RATE as usize)..(2 * 15 * RATE as usize);
    assert_eq!(&off[span.clone()], &a[span.clone()]);
    // With the clicks at full level they are there.
    let full = profile(dir.path(), "", "path = \"tracks\"\nclicks = \"full\"");
    let with_clicks = render(dir.path(), &full, "d.wav", &[]);
    assert_ne!(&with_clicks[span.clone()], &a[span]);
}

/// The hits in `left` between `from` and `to` seconds: the loudest 5 ms
/// window within 150 ms either side, if over a third of the loudest.
fn hits(left: &[f32], from: f64, to: f64) -> Vec<f64> {
    let window = (0.005 * f64::from(RATE)) as usize;
    let span = &left[(from * f64::from(RATE)) as usize..(to * f64::from(RATE)) as usize];
    let env: Vec<f32> = span
        .chunks(window)
        .map(|w| w.iter().fold(0.0f32, |m, x| m.max(x.abs())))
        .collect();
    let top = env.iter().copied().fold(0.0, f32::max);
    (0..env.len())
        .filter(|&k| {
            let near = &env[k.saturating_sub(30)..(k + 31).min(env.len())];
            env[k] >= top / 3.0 && near.iter().all(|e| *e <= env[k])
        })
        .map(|k| from + (k * window) as f64 / f64::from(RATE))
        .collect()
}

#[test]
fn in_a_rest_step_the_music_goes_on_unstretched_and_quieter_or_stops() {
    let dir = tempfile::tempdir().unwrap();
    let steps = "[[step]]\ntime = \"15s\"\ncadence = 150\n\
        [[step]]\nkind = \"rest\"\ntime = \"15s\"\n\
        [[step]]\ntime = \"10s\"\ncadence = 150\n";
    std::fs::create_dir_all(dir.path().join("tracks")).unwrap();
    write_wav(
        &dir.path().join("tracks/one.wav"),
        &drum_track(160.0, 0.4, 60.0, 5),
    );
    let write = |name: &str, music: &str| {
        let path = dir.path().join(name);
        let text = format!(
            "[click]\ncount_in = 0\nvolume = 0.0\n[music]\npath = \"tracks\"\n{music}\n{steps}"
        );
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    };
    let quiet = render(dir.path(), &write("quiet.toml", ""), "q.wav", &[]);
    let off = render(
        dir.path(),
        &write("off.toml", "rest = \"off\""),
        "o.wav",
        &[],
    );
    let left = |s: &[f32]| -> Vec<f32> { s.iter().step_by(2).copied().collect() };
    let (quiet, off) = (left(&quiet), left(&off));
    let peak = |s: &[f32], from: f64, to: f64| {
        let sr = f64::from(RATE);
        s[(from * sr) as usize..(to * sr) as usize]
            .iter()
            .fold(0.0f32, |m, x| m.max(x.abs()))
    };
    // Under the clicks (150 spm) the 160 BPM hits come every 0.4 s; in
    // the rest, a second after the clicks stop, every 0.375 s at -6 dB.
    let run = hits(&quiet, 2.0, 13.0);
    let rest = hits(&quiet, 16.5, 29.0);
    // The median spacing (5 ms windows: the mean of many).
    let interval = |h: &[f64]| {
        let mut gaps: Vec<f64> = h.windows(2).map(|w| w[1] - w[0]).collect();
        gaps.sort_by(f64::total_cmp);
        let middle = &gaps[gaps.len() / 4..3 * gaps.len() / 4];
        middle.iter().sum::<f64>() / middle.len() as f64
    };
    assert!((interval(&run) - 0.4).abs() < 0.002, "{run:?}");
    assert!((interval(&rest) - 0.375).abs() < 0.002, "{rest:?}");
    // The level by its energy (a stretched hit's peak is not the same
    // hit's peak unstretched; its energy a second is, a slower hit lasting
    // as much longer as it comes less often).
    let rms = |s: &[f32], from: f64, to: f64| {
        let sr = f64::from(RATE);
        let part = &s[(from * sr) as usize..(to * sr) as usize];
        (part.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>() / part.len() as f64).sqrt()
    };
    let level = rms(&quiet, 16.5, 29.0) / rms(&quiet, 2.0, 13.0);
    assert!((level - 0.5).abs() < 0.05, "{level}");
    // `rest = "off"`: the same under the clicks, silence in the rest.
    assert_eq!(peak(&off, 15.1, 30.0), 0.0);
    assert!((peak(&off, 2.0, 13.0) - peak(&quiet, 2.0, 13.0)).abs() < 1e-6);
}

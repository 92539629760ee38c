//! `render --music`: a generated track of known beats rendered through a
//! ramped workout; every beat of the music lands within 5 ms of its click.
//! The clicks are silenced (volume 0) so that what the file holds is the
//! music alone.

mod support;

use std::path::Path;
use std::process::Command;

const RATE: u32 = 48000;

/// A stereo track at `bpm` of sharp hits from `start` s (louder on every
/// fourth: the downbeat), 16-bit at 44.1 kHz (so the render resamples it).
fn drum_track(path: &Path, bpm: f64, start: f64, seconds: f64) {
    let rate = 44100u32;
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut samples = vec![0.0f32; (seconds * f64::from(rate)) as usize];
    let mut state = 7u64;
    let mut k = 0;
    while start + f64::from(k) * 60.0 / bpm + 0.2 < seconds {
        let at = ((start + f64::from(k) * 60.0 / bpm) * f64::from(rate)).round() as usize;
        let level = if k % 4 == 0 { 0.9 } else { 0.5 };
        for j in 0..4000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let noise = ((state >> 40) as f32 / (1u64 << 23) as f32) - 1.0;
            samples[at + j] += level * (-(j as f32) / 400.0).exp() * noise;
        }
        k += 1;
    }
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    for s in samples {
        let v = (s.clamp(-1.0, 1.0) * 32767.0) as i16;
        writer.write_sample(v).unwrap();
        writer.write_sample(v).unwrap();
    }
    writer.finalize().unwrap();
}

/// Where a hit starts near `near`: the first frame whose level passes half
/// the loudest within 100 ms either side.
fn onset_near(left: &[f32], near: f64) -> f64 {
    let sr = f64::from(RATE);
    let lo = ((near - 0.1) * sr).max(0.0) as usize;
    let hi = (((near + 0.1) * sr) as usize).min(left.len());
    let top = left[lo..hi].iter().map(|x| x.abs()).fold(0.0, f32::max);
    let first = left[lo..hi]
        .iter()
        .position(|x| x.abs() >= 0.5 * top)
        .unwrap();
    (lo + first) as f64 / sr
}

#[test]
fn every_beat_of_the_music_is_on_its_click_through_a_ramp() {
    let dir = tempfile::tempdir().unwrap();
    let track = dir.path().join("track.wav");
    drum_track(&track, 160.0, 0.4, 80.0);
    let profile = dir.path().join("ramp.toml");
    std::fs::write(
        &profile,
        "name = \"Ramp\"\n[click]\nvolume = 0.0\ncount_in = 0\n\
         [[step]]\nname = \"Steady\"\ntime = \"15s\"\ncadence = 150\n\
         [[step]]\nname = \"Ramp\"\ntime = \"30s\"\ncadence = \"150..172\"\n\
         [[step]]\nname = \"Fast\"\ntime = \"15s\"\ncadence = 172\n",
    )
    .unwrap();
    let out = dir.path().join("out.wav");
    let output = Command::new(env!("CARGO_BIN_EXE_treadbeat"))
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .args([
            "render",
            profile.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .args([
            "--no-voice",
            "--no-count-in",
            "--music",
            track.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("music: track.wav: 0:00 to "), "{stdout}");
    let mut reader = hound::WavReader::open(&out).unwrap();
    assert_eq!(reader.spec().sample_rate, RATE);
    let samples: Vec<f32> = reader
        .samples::<i16>()
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect();
    let left: Vec<f32> = samples.iter().step_by(2).copied().collect();
    let map = support::tempo(&std::fs::read_to_string(&profile).unwrap());
    let clicks: Vec<f64> = map.clicks().map(|c| c.time_s).collect();
    let mut worst: f64 = 0.0;
    // The music plays from the first click; its last bar ends the track
    // where the last whole bar fits, so the last few clicks may be silent.
    let covered = &clicks[..clicks.len() - 8];
    for t in covered {
        let found = onset_near(&left, *t);
        worst = worst.max((found - t).abs());
        assert!(
            (found - t).abs() < 0.005,
            "the beat for the click at {t:.3} s sounds at {found:.4} s"
        );
    }
    eprintln!(
        "{} beats, worst {:.2} ms from its click",
        covered.len(),
        worst * 1e3
    );
    // A tone's pitch survives the same path: see engine::music_stretch.
}

/// Two tracks in a ramp: the first (left channel only) crosses into the
/// second (right channel only) over its last bar, both on the clicks, at
/// an even level, the first going on under the second.
#[test]
fn consecutive_tracks_crossfade_over_a_bar_on_the_clicks() {
    use support::music::{crossfade, one_channel, tone_drum_track, write_wav};
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("music");
    std::fs::create_dir(&folder).unwrap();
    // 30 s at 160 BPM: it ends in the ramp.
    write_wav(
        &folder.join("a.wav"),
        &one_channel(tone_drum_track(160.0, 0.4, 30.0, 1, 220.0), 0),
    );
    write_wav(
        &folder.join("b.wav"),
        &one_channel(tone_drum_track(166.0, 0.3, 60.0, 2, 330.0), 1),
    );
    let profile = dir.path().join("ramp.toml");
    std::fs::write(
        &profile,
        "name = \"Ramp\"\n[click]\nvolume = 0.0\ncount_in = 0\n\
         [[step]]\nname = \"Steady\"\ntime = \"10s\"\ncadence = 150\n\
         [[step]]\nname = \"Ramp\"\ntime = \"40s\"\ncadence = \"150..172\"\n\
         [[step]]\nname = \"Fast\"\ntime = \"10s\"\ncadence = 172\n",
    )
    .unwrap();
    let out = dir.path().join("out.wav");
    let output = Command::new(env!("CARGO_BIN_EXE_treadbeat"))
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .args(["render", profile.to_str().unwrap(), "-o"])
        .arg(&out)
        .args(["--no-voice", "--no-count-in", "--music"])
        .arg(&folder)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let samples = support::music::read_wav(&out);
    let left: Vec<f32> = samples.iter().step_by(2).copied().collect();
    let right: Vec<f32> = samples.iter().skip(1).step_by(2).copied().collect();
    let map = support::tempo(&std::fs::read_to_string(&profile).unwrap());
    let clicks: Vec<usize> = map
        .clicks()
        .map(|c| (c.time_s * f64::from(RATE)).round() as usize)
        .collect();
    let join = crossfade(&left, &right, &clicks);
    let level = join
        .level_db
        .iter()
        .map(|db| format!("{db:+.2}"))
        .collect::<Vec<_>>();
    eprintln!(
        "{stdout}{} beats, worst {:.2} ms from its click; both heard on clicks {:?}; \
         level per beat, a bar before to a bar after (dB): {}",
        join.beats,
        join.worst_s * 1e3,
        join.both,
        level.join(" ")
    );
    assert!(join.worst_s < 0.005, "{join:?}");
    // The first goes on under the second: three clicks in a crossfade of
    // four heard both (the fourth has the incoming one at gain 0).
    assert_eq!(join.both.len(), 3, "{join:?}");
    assert!(join.both.windows(2).all(|w| w[1] == w[0] + 1), "{join:?}");
    // In the ramp (from click 25 at 10 s).
    let at = clicks[join.both[0]] as f64 / f64::from(RATE);
    assert!(at > 15.0 && at < 45.0, "the crossfade at {at:.1} s");
    // No dip: every beat within 1.5 dB of the tracks alone.
    assert_eq!(join.level_db.len(), 12);
    assert!(join.level_db.iter().all(|db| db.abs() < 1.5), "{level:?}");
}

//! The real-time rule, proved: the live engine's per-block work (commands
//! in, render, telemetry out) never allocates, across a whole session with
//! ramps, a count-in, accents, alternating stereo, a user sample, speech
//! with ducking and every live command. assert_no_alloc aborts the test binary on any allocation
//! inside the guarded region.

mod support;

use assert_no_alloc::{assert_no_alloc, AllocDisabler};
use treadbeat::engine::{renderer_for, ClickStyle, Command, LiveEngine, OwnSound, SpeechTrack};
use treadbeat::io::sample_file::load_click_sample;
use treadbeat::plan::Stereo;
use treadbeat::units::SampleRate;

#[global_allocator]
static ALLOCATOR: AllocDisabler = AllocDisabler;

/// A short decaying tone with leading silence, written as a WAV file.
fn user_sample(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("tick.wav");
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 44100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(&path, spec).unwrap();
    for i in 0..4410 {
        let t = i as f32 / 44100.0;
        let x = if i < 300 {
            0.0
        } else {
            (t * 2000.0 * std::f32::consts::TAU).sin() * (-(t - 0.0068) / 0.01).exp()
        };
        writer.write_sample((x * 20000.0) as i16).unwrap();
        writer.write_sample((x * 20000.0) as i16).unwrap();
    }
    writer.finalize().unwrap();
    path
}

#[test]
fn a_whole_live_session_renders_without_allocating() {
    let dir = tempfile::tempdir().unwrap();
    let rate = SampleRate(48000);
    let sounds = load_click_sample(&user_sample(dir.path()), rate).unwrap();
    let text = "[click]\ncount_in = 4\naccent = 4\n\
        [[step]]\ntime = \"2m\"\ncadence = \"150..190\"\n\
        [[step]]\ntime = \"30s\"\ncadence = 180\nclick = false\n\
        [[step]]\ntime = \"1m\"\ncadence = \"185..160\"\n\
        [[step]]\ntime = \"1m\"\ncadence = 170\n";
    let timeline = support::timeline(text);
    let style = ClickStyle {
        accent_every: 4,
        stereo: Stereo::Alternate,
        volume: 0.9,
        count_in: true,
    };
    let mut renderer = renderer_for(&timeline, sounds, style, rate);
    // Speech clips on the clock too (synthetic: no speech engine needed).
    let words = vec![vec![0.2f32; 24_000], vec![-0.1f32; 9_000]];
    let speech = SpeechTrack::new(
        words,
        vec![(10_000, 0), (200_000, 1), (2_000_000, 0), (9_000_000, 1)],
    );
    renderer.set_speech(speech, 0.5);
    let (mut engine, mut controls) = LiveEngine::new(renderer);
    // The microphone's feed of the app's own sounds is pushed from the
    // callback too.
    let mut own_sounds = engine.own_sound_feed();
    let (mut clicks_fed, mut voice_spans) = (0, 0);
    let mut block = vec![0.0f32; 128 * 2];
    let script = [
        (500, Command::Nudge(2.0)),
        (900, Command::Pause),
        (1000, Command::Resume),
        (1200, Command::SetVolume(0.5)),
        (1500, Command::NextStep),
        (1600, Command::Nudge(-3.0)),
        (2000, Command::TogglePause),
        (2050, Command::TogglePause),
    ];
    let mut last = Default::default();
    for i in 0..200_000usize {
        if let Some((_, command)) = script.iter().find(|(at, _)| *at == i) {
            controls.commands.push(*command).unwrap();
        }
        assert_no_alloc(|| engine.process(&mut block, 2));
        while let Ok(telemetry) = controls.telemetry.pop() {
            last = telemetry;
        }
        while let Ok(sound) = own_sounds.pop() {
            match sound {
                OwnSound::Click(_) => clicks_fed += 1,
                OwnSound::VoiceFrom(_) => voice_spans += 1,
                OwnSound::VoiceUntil(_) => {}
            }
        }
        if last.finished {
            break;
        }
    }
    assert!(last.finished, "the session never finished: {last:?}");
    assert!(last.clicks > 300, "{last:?}");
    assert_eq!(clicks_fed, last.clicks, "every click fed to the listener");
    assert!(
        voice_spans >= 2,
        "speech fed to the listener: {voice_spans}"
    );
    assert_eq!(last.nudge_spm, -1.0);
    assert_eq!(last.volume, 0.5);
}

/// The footstrike detector runs on a worker beside the audio, block after
/// block for a whole session: it too allocates nothing once built, hum
/// search, notches and own clicks included.
#[test]
fn the_footstrike_detector_hears_without_allocating() {
    use treadbeat::detect::{DetectorOptions, FootstrikeDetector};
    use treadbeat::eval::corpus::{generate, standard_conditions};
    let mut condition = standard_conditions()
        .into_iter()
        .find(|c| c.name.starts_with("gym"))
        .unwrap();
    condition.seconds = 12.0;
    let recording = generate(&condition, 48000);
    let mut detector = FootstrikeDetector::new(
        48000,
        DetectorOptions {
            cadence_hint_spm: Some(condition.rhythm.beat_spm()),
        },
    );
    detector.set_click_sound(&recording.click_sound);
    let clicks: Vec<u64> = recording
        .click_arrivals
        .iter()
        .map(|t| (t * 48000.0) as u64)
        .collect();
    let mut heard = 0;
    assert_no_alloc(|| {
        let mut next_click = 0;
        for (k, block) in recording.samples.chunks(480).enumerate() {
            let ahead = (k as u64 + 100) * 480;
            while next_click < clicks.len() && clicks[next_click] < ahead {
                detector.expect_click(clicks[next_click]);
                next_click += 1;
            }
            heard += detector.process(block).len();
        }
    });
    assert!(heard > recording.steps.len() / 2, "{heard}");
}

/// Music live: the engine mixes the runner's tracks out of the worker's
/// ring, and hears every nudge, skip and catch-up, without allocating. The
/// worker (which allocates freely: decoding, planning, stretching) runs
/// between the blocks, outside the guard, as its own thread would.
#[test]
fn a_live_session_with_music_renders_without_allocating() {
    use std::sync::atomic::Ordering;
    use support::music::{drum_track, live_music};
    let rate = SampleRate(support::music::RATE);
    let text = "[click]\ncount_in = 4\naccent = 4\n\
        [[step]]\ntime = \"40s\"\ncadence = \"150..170\"\n\
        [[step]]\ntime = \"10s\"\ncadence = 160\nclick = false\n\
        [[step]]\ntime = \"40s\"\ncadence = 165\n\
        [[step]]\ntime = \"30s\"\ncadence = 170\n";
    let timeline = support::timeline(text);
    let sounds = treadbeat::engine::ClickSounds::builtin(treadbeat::plan::SoundName::Clave, rate);
    let mut renderer = renderer_for(&timeline, sounds, ClickStyle::PLAIN, rate);
    let words = vec![vec![0.2f32; 24_000]];
    renderer.set_speech(SpeechTrack::new(words, vec![(400_000, 0)]), 0.5);
    let tracks = vec![
        drum_track(160.0, 0.4, 45.0, 0),
        drum_track(166.0, 0.3, 45.0, 1),
        drum_track(168.0, 0.2, 45.0, 2),
    ];
    let (mut worker, health) = live_music(&mut renderer, &timeline, tracks);
    let (mut engine, mut controls) = LiveEngine::new(renderer);
    // As with `run --mic --music`: the music as played leaves for the
    // detector too.
    let mut tapped = engine.music_tap().expect("the session has music");
    let mut stem_energy = 0.0f64;
    let mut block = vec![0.0f32; 256 * 2];
    let script = [
        (1_000, Command::Nudge(1.0)),
        (1_400, Command::Pause),
        (1_500, Command::Resume),
        (2_000, Command::NextStep),
        (2_600, Command::Nudge(-2.0)),
        (5_000, Command::NextStep),
        (5_001, Command::Nudge(1.0)),
        (5_002, Command::CatchUp(60.0)),
        (7_000, Command::CatchUp(70.0)),
        (7_001, Command::Nudge(1.0)),
    ];
    let mut last = Default::default();
    for i in 0..200_000usize {
        if let Some((_, command)) = script.iter().find(|(at, _)| *at == i) {
            controls.commands.push(*command).unwrap();
        }
        assert_no_alloc(|| engine.process(&mut block, 2));
        while let Ok(telemetry) = controls.telemetry.pop() {
            last = telemetry;
        }
        if last.finished {
            break;
        }
        worker.work();
        while let Ok(chunk) = tapped.pop() {
            stem_energy += chunk.samples[..chunk.len]
                .iter()
                .map(|x| f64::from(*x).powi(2))
                .sum::<f64>();
        }
    }
    assert!(last.finished, "the session never finished: {last:?}");
    assert!(stem_energy > 1.0, "the tap carried no music: {stem_energy}");
    // The ring's music was mixed whenever the clock ran: 56 s (the
    // count-in, 8.5 s of the first step, 16 s from the rest step on, the
    // last step's 30 s), all but a block or two after each skip.
    let played_s = health.played_frames.load(Ordering::Relaxed) as f64 / 48000.0;
    assert!(played_s > 55.5, "{played_s} s of music mixed");
    assert_eq!(health.underruns.load(Ordering::Relaxed), 0);
    assert_eq!(health.lost_moves.load(Ordering::Relaxed), 0);
}

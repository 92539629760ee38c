//! The live music path, driven through the `LiveEngine` block by block as
//! the audio callback drives it, the worker stepped between blocks as its
//! thread would run: every beat of the music lands within 5 ms of its
//! click across a ramp, through nudges, a pause and a skip to the next
//! step, and the ring never runs dry. The clicks are silent (volume 0) so
//! that the output holds the music alone; the clicks' frames come from the
//! engine's own feed of what it played.

mod support;

use support::music::{
    beat_offset_s, crossfade, drum_track, grid_of, live_music, one_channel, tone_drum_track, RATE,
};
use treadbeat::engine::offline::{render_session, OFFLINE_BLOCK};
use treadbeat::engine::{renderer_for, ClickSounds, ClickStyle, Command, LiveEngine, OwnSound};
use treadbeat::plan::SoundName;

use treadbeat::units::SampleRate;

const PROFILE: &str = "name = \"Ramp\"\n[click]\nvolume = 0.0\ncount_in = 2\n\
    [[step]]\ntime = \"15s\"\ncadence = 150\n\
    [[step]]\ntime = \"30s\"\ncadence = \"150..172\"\n\
    [[step]]\ntime = \"25s\"\ncadence = 172\n";

/// Frames per callback: not a multiple of the ring's blocks.
const CALLBACK: usize = 441;

struct Take {
    left: Vec<f32>,
    right: Vec<f32>,
    /// The output frames where the track told as playing changed, and to
    /// which (its place in the playlist).
    told: Vec<(usize, Option<u32>)>,
    clicks: Vec<usize>,
    underruns: u64,
}

/// Plays `profile` with tracks at `bpms` (60 s each), `script` giving
/// commands by the second of output they are sent at.
fn play(profile: &str, bpms: &[f64], script: &[(f64, Command)]) -> Take {
    let tracks = bpms
        .iter()
        .zip(0..)
        .map(|(bpm, seed)| drum_track(*bpm, 0.4, 60.0, seed))
        .collect();
    play_tracks(profile, tracks, script)
}

/// Plays `profile` with `tracks`, as `play`.
fn play_tracks(profile: &str, tracks: Vec<Vec<f32>>, script: &[(f64, Command)]) -> Take {
    let timeline = support::timeline(profile);
    let rate = SampleRate(RATE);
    let style = ClickStyle {
        volume: 0.0,
        count_in: true,
        ..ClickStyle::PLAIN
    };
    let sounds = ClickSounds::builtin(SoundName::Woodblock, rate);
    let mut renderer = renderer_for(&timeline, sounds, style, rate);
    let (mut worker, health) = live_music(&mut renderer, &timeline, tracks);
    let (mut engine, mut controls) = LiveEngine::new(renderer);
    let mut own_sounds = engine.own_sound_feed();
    let mut block = vec![0.0f32; 2 * CALLBACK];
    let (mut left, mut right, mut clicks) = (Vec::new(), Vec::new(), Vec::new());
    let mut told: Vec<(usize, Option<u32>)> = Vec::new();
    let mut next = 0;
    loop {
        let output_s = left.len() as f64 / f64::from(RATE);
        while next < script.len() && script[next].0 <= output_s {
            controls.commands.push(script[next].1).unwrap();
            next += 1;
        }
        engine.process(&mut block, 2);
        left.extend(block.iter().step_by(2));
        right.extend(block.iter().skip(1).step_by(2));
        let now = health.now_playing().map(|n| n.track);
        if told.last().map_or(now.is_some(), |t| t.1 != now) {
            told.push((left.len() - CALLBACK, now));
        }
        while let Ok(sound) = own_sounds.pop() {
            if let OwnSound::Click(frame) = sound {
                clicks.push(frame.0 as usize);
            }
        }
        let mut finished = false;
        while let Ok(telemetry) = controls.telemetry.pop() {
            finished = telemetry.finished;
        }
        if finished {
            break;
        }
        worker.work();
    }
    let underruns = health.underruns.load(std::sync::atomic::Ordering::Relaxed);
    Take {
        left,
        right,
        told,
        clicks,
        underruns,
    }
}

/// `profile` rendered offline with `tracks`, as `render --music` does
/// (the whole plan at once, `StretchedMusic` as the feed): left and right.
fn render_offline(profile: &str, tracks: Vec<Vec<f32>>) -> (Vec<f32>, Vec<f32>) {
    use treadbeat::engine::music_mix::{Loader, PlacedTrack, StretchedMusic};
    use treadbeat::music::plan::{plan_all, Decision, Playlist};
    let timeline = support::timeline(profile);
    let rate = SampleRate(RATE);
    let style = ClickStyle {
        volume: 0.0,
        count_in: true,
        ..ClickStyle::PLAIN
    };
    let sounds = ClickSounds::builtin(SoundName::Woodblock, rate);
    let mut renderer = renderer_for(&timeline, sounds, style, rate);
    let playlist = Playlist {
        grids: tracks.iter().map(|t| Some(grid_of(t))).collect(),
        map: std::sync::Arc::new(treadbeat::tempo::TempoMap::from_timeline(&timeline)),
        end_s: timeline.total_s(),
        rests: true,
    };
    let sr = f64::from(RATE);
    let placed = plan_all(&playlist)
        .into_iter()
        .filter_map(|d| match d {
            Decision::Placed(p) => Some(PlacedTrack {
                track: p.track,
                anchors: p
                    .placement
                    .anchors
                    .iter()
                    .map(|(x, t)| (x * sr, t * sr))
                    .collect(),
                quiet_from: p.quiet_from.map(|t| t * sr),
            }),
            Decision::Skipped { .. } => None,
        })
        .collect();
    let loader: Loader = Box::new(move |i: usize| tracks[i].clone());
    renderer.set_music(
        Box::new(StretchedMusic::new(RATE, placed, Box::new(loader))),
        0.5,
    );
    let (mut left, mut right) = (Vec::new(), Vec::new());
    render_session(&mut renderer, 2, OFFLINE_BLOCK, |block: &[f32]| {
        left.extend(block.iter().step_by(2));
        right.extend(block.iter().skip(1).step_by(2));
        Ok::<(), ()>(())
    })
    .unwrap();
    (left, right)
}

/// Every beat the music plays around a click within 5 ms of it, and at
/// most `without` clicks with no music around them.
fn beats_on_clicks(take: &Take, without: usize) {
    let mut worst: f64 = 0.0;
    let mut checked = 0;
    for click in &take.clicks {
        let Some(offset) = beat_offset_s(&take.left, *click) else {
            continue;
        };
        let t = *click as f64 / f64::from(RATE);
        assert!(
            offset.abs() < 0.005,
            "the beat for the click at {t:.3} s (output) sounds {:.2} ms off",
            offset * 1e3
        );
        worst = worst.max(offset.abs());
        checked += 1;
    }
    let clicks = take.clicks.len();
    eprintln!(
        "{clicks} clicks, {checked} with music, worst {:.2} ms",
        worst * 1e3
    );
    assert!(checked + without >= clicks, "{checked} of {clicks}");
}

#[test]
fn every_live_beat_is_on_its_click_through_a_ramp() {
    let take = play(PROFILE, &[160.0, 166.0], &[]);
    // The first track plays through the steady step and the ramp, the
    // second through the fast step; only the count-in and a last bar or
    // two go without music.
    beats_on_clicks(&take, 12);
    assert_eq!(take.underruns, 0);
}

#[test]
fn live_beats_follow_nudges_a_pause_and_a_skip() {
    let script = [
        (5.0, Command::Nudge(1.0)),
        (5.3, Command::Nudge(1.0)),
        (9.0, Command::Nudge(-3.0)),
        (12.0, Command::Pause),
        (13.5, Command::Resume),
        (20.0, Command::Nudge(2.0)),
        (30.0, Command::NextStep),
        (50.0, Command::Nudge(-1.0)),
    ];
    let take = play(PROFILE, &[160.0, 166.0], &script);
    beats_on_clicks(&take, 16);
    assert_eq!(take.underruns, 0);
}

/// Through a rest step the music goes on, quieter and unstretched, and
/// the next step's track is on its clicks again; a nudge in the rest and a
/// skip into it change neither.
#[test]
fn live_music_goes_on_through_a_rest_and_back_on_the_clicks() {
    let profile = "name = \"Rest\"\n[click]\nvolume = 0.0\ncount_in = 0\n\
        [[step]]\ntime = \"20s\"\ncadence = 155\n\
        [[step]]\nkind = \"rest\"\ntime = \"15s\"\n\
        [[step]]\ntime = \"20s\"\ncadence = 166\n\
        [[step]]\nkind = \"rest\"\ntime = \"10s\"\n\
        [[step]]\ntime = \"20s\"\ncadence = 166\n";
    // The first rest is reached by its time, the second by a skip.
    let script = [(27.0, Command::Nudge(1.0)), (45.0, Command::NextStep)];
    let take = play(profile, &[160.0, 166.0, 162.0, 168.0], &script);
    beats_on_clicks(&take, 12);
    // Music in the first rest (20-35 s), at about half its level.
    let sr = f64::from(RATE);
    let peak = |from: f64, to: f64| {
        take.left[(from * sr) as usize..(to * sr) as usize]
            .iter()
            .fold(0.0f32, |m, x| m.max(x.abs()))
    };
    let (run, rest) = (peak(5.0, 19.0), peak(22.0, 34.0));
    assert!(
        rest > 0.1 * run && rest < 0.8 * run,
        "run {run}, rest {rest}"
    );
    assert_eq!(take.underruns, 0);
}

/// Live, as offline (`tests/render_music.rs`): the first track (left
/// channel) crosses into the second (right) over its last bar in the ramp,
/// every beat of both on its click, at an even level; and the same with a
/// nudge in the middle of the crossfade, the worker re-planning both.
#[test]
fn live_tracks_crossfade_on_the_clicks_through_a_nudge() {
    let profile = "name = \"Ramp\"\n[click]\nvolume = 0.0\ncount_in = 0\n\
        [[step]]\ntime = \"10s\"\ncadence = 150\n\
        [[step]]\ntime = \"40s\"\ncadence = \"150..172\"\n";
    let tracks = || {
        vec![
            one_channel(tone_drum_track(160.0, 0.4, 30.0, 1, 220.0), 0),
            one_channel(tone_drum_track(166.0, 0.3, 40.0, 2, 330.0), 1),
        ]
    };
    let take = play_tracks(profile, tracks(), &[]);
    let join = crossfade(&take.left, &take.right, &take.clicks);
    eprintln!(
        "{} beats, worst {:.2} ms; both on clicks {:?}; level (dB) {:?}",
        join.beats,
        join.worst_s * 1e3,
        join.both,
        join.level_db
    );
    assert!(join.worst_s < 0.005, "{join:?}");
    assert_eq!(join.both.len(), 3, "{join:?}");
    assert!(join.level_db.iter().all(|db| db.abs() < 1.5), "{join:?}");
    assert_eq!(take.underruns, 0);
    // The runner is told of each track as it starts (the ring's blocks
    // say which one they are of): the first on the first click, the
    // second on the crossfade's first.
    let starts: Vec<(usize, Option<u32>)> = vec![
        (take.clicks[0], Some(0)),
        (take.clicks[join.both[0] - 1], Some(1)),
    ];
    // (Then none, once the music ends with the session.)
    assert!(
        take.told.len() == 3 && take.told[2].1.is_none(),
        "{:?}",
        take.told
    );
    for ((frame, track), (click, expected)) in take.told.iter().zip(&starts) {
        assert_eq!(track, expected);
        assert!(
            frame.abs_diff(*click) < 2048,
            "told at {frame}, click {click}"
        );
    }
    // Offline, the same mix, sample for sample (the stretcher makes its
    // output in whole chunks, however it is asked for it).
    let (left, right) = render_offline(profile, tracks());
    let n = take.left.len().min(left.len());
    assert!(n + 48_000 > left.len(), "{n} of {} frames", left.len());
    let apart = (0..n)
        .filter(|i| take.left[*i] != left[*i] || take.right[*i] != right[*i])
        .count();
    eprintln!("live against offline: {apart} of {n} frames differ");
    assert_eq!(apart, 0);
    // Nudged between the crossfade's second and third clicks.
    let k = join.both[1];
    let mid = 0.5 * (take.clicks[k] + take.clicks[k + 1]) as f64 / f64::from(RATE);
    let nudged = play_tracks(profile, tracks(), &[(mid, Command::Nudge(2.0))]);
    let join = crossfade(&nudged.left, &nudged.right, &nudged.clicks);
    eprintln!(
        "nudged at {mid:.2} s: {} beats, worst {:.2} ms; both on clicks {:?}; level (dB) {:?}",
        join.beats,
        join.worst_s * 1e3,
        join.both,
        join.level_db
    );
    assert!(join.worst_s < 0.005, "{join:?}");
    assert_eq!(join.both.len(), 3, "{join:?}");
    assert!(join.level_db.iter().all(|db| db.abs() < 1.5), "{join:?}");
    assert_eq!(nudged.underruns, 0);
}

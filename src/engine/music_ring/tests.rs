//! The feed plays blocks by session frame, never waits, and takes the
//! worker's re-planned music at the cutover it names.

use super::*;
use crate::tempo::{CursorState, TempoMap};

/// A block whose every sample (both channels) is `value`.
fn block(epoch: u32, from: i64, value: f32) -> MusicBlock {
    MusicBlock {
        epoch,
        from,
        sounding: true,
        now: Some(NowPlaying {
            track: epoch,
            speed: value,
        }),
        samples: [value; 2 * BLOCK_FRAMES],
    }
}

/// Mixes `frames` from `from` at gain 1 into a fresh stereo buffer; the
/// left channel.
fn mix(feed: &mut RingFeed, from: i64, frames: usize) -> Vec<f32> {
    let mut out = vec![0.0; 2 * frames];
    feed.mix(from, &mut out, 2, 0, frames, 1.0);
    out.iter().step_by(2).copied().collect()
}

fn counter(value: &AtomicU64) -> u64 {
    value.load(Ordering::Relaxed)
}

const N: i64 = BLOCK_FRAMES as i64;

#[test]
fn blocks_are_mixed_by_session_frame_dropped_when_behind_and_awaited_when_ahead() {
    let (mut feed, mut fill) = music_ring(48000, 1.0, 0);
    assert!(fill.push(block(0, -N, 0.1)));
    assert!(fill.push(block(0, 100, 0.2)));
    // The first block is behind the clock; the second starts 100 frames in.
    assert_eq!(feed.health().now_playing(), None);
    let left = mix(&mut feed, 0, 200);
    assert!(left[..100].iter().all(|x| *x == 0.0));
    assert!(left[100..].iter().all(|x| *x == 0.2));
    // What plays is told (for the runner's screen) as the block is mixed.
    let now = NowPlaying {
        track: 0,
        speed: 0.2,
    };
    assert_eq!(feed.health().now_playing(), Some(now));
    // The rest of the block, then nothing: an under-run.
    let left = mix(&mut feed, 200, N as usize);
    let rest = (100 + N - 200) as usize;
    assert!(left[..rest].iter().all(|x| *x == 0.2));
    assert!(left[rest..].iter().all(|x| *x == 0.0));
    assert_eq!(counter(&feed.health().underruns), 1);
    assert_eq!(
        counter(&feed.health().underrun_frames),
        (N as usize - rest) as u64
    );
    assert_eq!(feed.health().position.load(Ordering::Relaxed), 200 + N);
}

#[test]
fn after_a_nudge_the_old_music_plays_until_the_cutover_and_the_new_from_it() {
    let map = TempoMap::constant(170.0, 60.0, 0);
    let (mut feed, mut fill) = music_ring(48000, 1.0, 0);
    for k in 0..4 {
        fill.push(block(0, k * N, 0.1));
    }
    feed.moved(Moved::Retimed {
        at: 10,
        clicks: CursorState::new(&map),
    });
    // The old music goes on while the worker has not answered.
    assert!(mix(&mut feed, 0, 300).iter().all(|x| *x == 0.1));
    let moves: Vec<_> = fill.moves().collect();
    assert_eq!(moves.len(), 1);
    assert_eq!(moves[0].0, 1);
    let cut = N + 7;
    fill.cutover(Cutover { epoch: 1, at: cut });
    fill.push(block(1, cut, 0.3));
    let left = mix(&mut feed, 300, (cut + N - 300) as usize);
    let split = (cut - 300) as usize;
    assert!(left[..split].iter().all(|x| *x == 0.1), "old before {cut}");
    assert!(left[split..].iter().all(|x| *x == 0.3), "new from {cut}");
    assert_eq!(counter(&feed.health().underruns), 0);
}

#[test]
fn a_skip_drops_the_old_music_at_once_and_its_silence_is_no_under_run() {
    let map = TempoMap::constant(170.0, 60.0, 0);
    let (mut feed, mut fill) = music_ring(48000, 1.0, 0);
    for k in 0..4 {
        fill.push(block(0, 1000 + k * N, 0.1));
    }
    feed.moved(Moved::Skipped {
        left: 1000,
        at: 1200,
        clicks: CursorState::new(&map),
    });
    // Old blocks cover 1200.. but belong to the step left behind.
    let left = mix(&mut feed, 1200, 100);
    assert!(left.iter().all(|x| *x == 0.0));
    assert_eq!(counter(&feed.health().underruns), 0);
    assert_eq!(counter(&feed.health().replan_frames), 100);
    fill.cutover(Cutover { epoch: 1, at: 1300 });
    fill.push(block(1, 1300, 0.4));
    assert!(mix(&mut feed, 1300, 10).iter().all(|x| *x == 0.4));
}

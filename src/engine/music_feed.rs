//! Music in the renderer: the seam. The renderer asks a feed for the music
//! of each run of frames it renders, by session frame, and mixes it in,
//! ducked under the coach's voice like the clicks; and tells it when the
//! session's time or clicks move (a nudge, a skip, a catch-up), so that a
//! live feed's worker can plan again.
//!
//! Offline, the feed stretches on demand ([`super::music_mix`]); live, a
//! feed that only copies out of a ring filled by a worker keeps the audio
//! thread free of allocation ([`super::music_ring`]).

use crate::tempo::CursorState;

/// How the session moved, told on the audio thread the moment the
/// renderer applies the command. Session frames; `clicks` yields every
/// click from the clock on (the renderer's own cursor, copied).
#[derive(Debug, Clone, Copy)]
pub enum Moved {
    /// The cadence changed at `at` (a nudge): the clicks from there on are
    /// re-timed, phase continuous, in the same run.
    Retimed { at: i64, clicks: CursorState },
    /// The session left `left` for `at` (the next step): the clicks start
    /// a new run there.
    Skipped {
        left: i64,
        at: i64,
        clicks: CursorState,
    },
    /// The session jumped forward to `at`; the clicks are as planned (a
    /// reopened stream catching up with the wall clock).
    Jumped { at: i64 },
}

/// Music by session frame.
pub trait MusicFeed: Send {
    /// Adds the music of session frames `from..from + frames` (stereo,
    /// scaled by `gain`) into `out` (interleaved, `channels` wide) from its
    /// frame `at`. Session frames before 0 are the count-in.
    fn mix(
        &mut self,
        from: i64,
        out: &mut [f32],
        channels: usize,
        at: usize,
        frames: usize,
        gain: f32,
    );

    /// The session moved (see [`Moved`]). An offline render never moves.
    fn moved(&mut self, _moved: Moved) {}

    /// Whether a track sounded at the last frame mixed (the clicks may be
    /// softer under music: `[music] clicks`).
    fn sounding(&self) -> bool {
        false
    }
}

/// Adds stereo `music` into `out` (interleaved, `channels` wide, from its
/// frame `at`) at `gain`; one channel gets the two folded.
pub fn mix_stereo(music: &[f32], out: &mut [f32], channels: usize, at: usize, gain: f32) {
    let frames = music.len() / 2;
    let target = &mut out[at * channels..(at + frames) * channels];
    for (frame, music) in target.chunks_exact_mut(channels).zip(music.chunks_exact(2)) {
        if channels == 1 {
            frame[0] += gain * 0.5 * (music[0] + music[1]);
        } else {
            frame[0] += gain * music[0];
            frame[1] += gain * music[1];
        }
    }
}

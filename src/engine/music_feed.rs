//! Music in the renderer: the seam. The renderer asks a feed for the music
//! of each run of frames it renders, by session frame, and mixes it in,
//! ducked under the coach's voice like the clicks.
//!
//! Offline, the feed stretches on demand ([`super::music_mix`]); live, a
//! feed that only copies out of a ring filled by a worker keeps the audio
//! thread free of allocation (docs/music.md, "The live path").

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
}

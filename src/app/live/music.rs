//! Music in a live session: the playlist analysed once before the first
//! stream opens (and the plan said, as `render --music` says it); on each
//! stream, a ring and a worker that stretches into it, started before the
//! stream so that the first beat is ready; the track the runner hears, as
//! the audio thread tells it (`MusicHealth::now_playing`); and at the end,
//! a line on how well the worker kept ahead.

use std::sync::atomic::Ordering;
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::app::console::outln;
use crate::app::failure::Failure;
use crate::app::music_library::MusicLibrary;
use crate::app::session_spec::SessionSpec;
use crate::engine::music_prefetch::Prefetcher;
use crate::engine::music_ring::{music_ring, MusicHealth, NowPlaying, RING_LEAD_S};
use crate::engine::music_worker::MusicWorker;
use crate::engine::Renderer;
use crate::music::plan::Playlist;
use crate::units::SampleRate;

/// The longest a stream waits for the worker's first music: the first
/// track decoded on a slow disk. Past it the stream starts anyway and the
/// music comes in late (counted as under-runs).
const PRIME_WAIT: Duration = Duration::from_secs(5);

pub struct LiveMusic {
    library: MusicLibrary,
    playlist: Playlist,
    /// Each stream's counters and rate.
    streams: Mutex<Vec<(Arc<MusicHealth>, SampleRate)>>,
}

impl LiveMusic {
    /// The session's music, if it has any: analysed and its plan printed.
    pub fn open(spec: &SessionSpec) -> Result<Option<Arc<LiveMusic>>, Failure> {
        let Some(music) = &spec.music else {
            return Ok(None);
        };
        let library = MusicLibrary::open(music)?;
        let playlist = library.playlist(&spec.timeline);
        for line in library.report(&playlist) {
            outln!("music: {line}");
        }
        Ok(Some(Arc::new(LiveMusic {
            library,
            playlist,
            streams: Mutex::new(Vec::new()),
        })))
    }

    /// Gives `renderer` (ready to play from where it stands) its music: a
    /// ring fed by a worker, which has filled it before this returns.
    pub fn attach(&self, renderer: &mut Renderer, rate: SampleRate) -> Result<(), Failure> {
        let start = renderer.music_start();
        let (feed, fill) = music_ring(rate.0, RING_LEAD_S, start.frame);
        let cannot = |e: std::io::Error| Failure::device(format!("cannot start the music: {e}"));
        let source = Prefetcher::spawn(self.library.loader(rate)).map_err(cannot)?;
        let playlist = self.playlist.clone();
        let worker = MusicWorker::new(rate.0, playlist, Box::new(source), start, fill);
        let (primed, ready) = sync_channel(1);
        worker.spawn(primed).map_err(cannot)?;
        let _ = ready.recv_timeout(PRIME_WAIT);
        if let Ok(mut streams) = self.streams.lock() {
            streams.push((feed.health(), rate));
        }
        self.library.attach(renderer, Box::new(feed));
        Ok(())
    }

    /// The track the runner hears now (the stream playing's), if any.
    pub fn now_playing(&self) -> Option<NowPlaying> {
        let streams = self.streams.lock().ok()?;
        streams.last()?.0.now_playing()
    }

    /// The line that says a track started: its title, tempo and stretch.
    pub fn now_line(&self, now: NowPlaying) -> String {
        self.library
            .now_line(now.track as usize, f64::from(now.speed))
    }

    /// A line for the summary: the music's under-runs.
    pub fn summary(&self) -> String {
        let streams = self.streams.lock().map(|s| s.clone()).unwrap_or_default();
        let (mut underruns, mut silent_s) = (0, 0.0);
        for (health, rate) in &streams {
            underruns += health.underruns.load(Ordering::Relaxed);
            let frames = health.underrun_frames.load(Ordering::Relaxed);
            silent_s += frames as f64 / f64::from(rate.0);
        }
        format!(
            "Music: {underruns} under-runs ({:.0} ms of silence where the music fell behind).",
            silent_s * 1000.0
        )
    }
}

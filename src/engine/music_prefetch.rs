//! Tracks read ahead on a thread of their own, so that the music worker
//! never waits for a disk: the worker names the track planned next as soon
//! as it is placed (a whole track before it plays), and takes it, decoded,
//! when it is reached. Only when a re-plan picks a track nobody asked for
//! does the worker wait for its decoding, inside the ring's lead.

use std::collections::VecDeque;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;

use super::music_mix::{Loader, TrackSource};

/// Decoded tracks kept ready: the next, and one more in case a re-plan
/// goes back to the one before. A 4-minute track is 92 MB at 48 kHz.
const KEEP: usize = 2;

pub struct Prefetcher {
    requests: Sender<usize>,
    decoded: Receiver<(usize, Arc<Vec<f32>>)>,
    ready: VecDeque<(usize, Arc<Vec<f32>>)>,
    /// Asked for, not yet decoded.
    asked: Vec<usize>,
}

impl Prefetcher {
    /// Starts the reading thread; it ends when the prefetcher is dropped
    /// (after the track it is reading).
    pub fn spawn(mut loader: Loader) -> std::io::Result<Prefetcher> {
        let (requests, inbox) = channel::<usize>();
        let (outbox, decoded) = channel();
        std::thread::Builder::new()
            .name("music-read".into())
            .spawn(move || {
                for track in inbox {
                    if outbox.send((track, Arc::new(loader(track)))).is_err() {
                        break;
                    }
                }
            })?;
        Ok(Prefetcher {
            requests,
            decoded,
            ready: VecDeque::new(),
            asked: Vec::new(),
        })
    }

    fn keep(&mut self, (track, samples): (usize, Arc<Vec<f32>>)) {
        self.asked.retain(|t| *t != track);
        self.ready.push_back((track, samples));
        while self.ready.len() > KEEP {
            self.ready.pop_front();
        }
    }
}

impl TrackSource for Prefetcher {
    fn upcoming(&mut self, track: usize) {
        while let Ok(done) = self.decoded.try_recv() {
            self.keep(done);
        }
        let known = self.asked.contains(&track) || self.ready.iter().any(|(t, _)| *t == track);
        if !known && self.requests.send(track).is_ok() {
            self.asked.push(track);
        }
    }

    fn track(&mut self, track: usize) -> Arc<Vec<f32>> {
        loop {
            // Asked again if it was read and let go while others came in.
            self.upcoming(track);
            if let Some(at) = self.ready.iter().position(|(t, _)| *t == track) {
                return self
                    .ready
                    .remove(at)
                    .map_or_else(|| Arc::new(Vec::new()), |(_, s)| s);
            }
            match self.decoded.recv() {
                Ok(done) => self.keep(done),
                // The reading thread is gone: silence rather than a hang.
                Err(_) => return Arc::new(Vec::new()),
            }
        }
    }
}

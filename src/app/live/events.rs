//! Everything that happens to a live session arrives as one `SessionEvent`
//! on one channel: the runner's keys, the stream's telemetry and health,
//! steps the microphone heard, MIDI in. The control loop waits on that
//! channel alone (a tick when nothing comes, to redraw), so no source is
//! polled after a sleep and none waits for another.

use std::io::BufRead;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::Instant;

use crate::app::failure::Failure;
use crate::io::input::InputHealth;
use crate::io::stream_manager::StreamEvent;
use crate::midi::mapping::InputAction;
use crate::tui::{read_key, ScreenKey};

#[derive(Debug)]
pub enum SessionEvent {
    /// A key on the full screen.
    Key(ScreenKey),
    /// A line typed in the line interface.
    Line(String),
    /// The terminal changed size: redraw now.
    Resize,
    /// The output stream: started, telemetry, lost, gave up.
    Stream(StreamEvent<Failure>),
    /// A microphone started listening (first stream, or after a reopen).
    MicStarted {
        device_name: String,
        health: Arc<InputHealth>,
    },
    /// The voice clip of each of the detector's warnings (see
    /// `opening::WARNING_PHRASES`), for the stream just built.
    WarningClips(Vec<usize>),
    /// The microphone heard a step at this session time.
    HeardStep { session_s: f64 },
    /// A MIDI message the input map knows, when it arrived.
    Midi(InputAction, Instant),
}

impl From<StreamEvent<Failure>> for SessionEvent {
    fn from(event: StreamEvent<Failure>) -> SessionEvent {
        SessionEvent::Stream(event)
    }
}

/// Stops a key reader when the session ends, and waits for it (at most
/// one KEY_WAIT), so that no key typed afterwards (the check-in's) can
/// still be taken by it.
pub struct KeyReader {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for KeyReader {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Keys (and resizes) from the full screen, as events.
pub fn read_screen_keys(events: Sender<SessionEvent>) -> KeyReader {
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = Arc::clone(&stop);
    let thread = std::thread::spawn(move || {
        while !stopped.load(Ordering::Relaxed) {
            let event = match read_key() {
                Some(ScreenKey::Resize) => SessionEvent::Resize,
                Some(key) => SessionEvent::Key(key),
                None => continue,
            };
            if events.send(event).is_err() {
                break;
            }
        }
    });
    KeyReader {
        stop,
        thread: Some(thread),
    }
}

/// Lines from stdin, as events; a closed stdin simply sends nothing.
pub fn read_lines(events: Sender<SessionEvent>) {
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines().map_while(Result::ok) {
            if events.send(SessionEvent::Line(line)).is_err() {
                break;
            }
        }
    });
}

//! A live session's output stream, kept alive. The stream lives on this
//! module's own thread (a cpal stream may not move between threads on
//! every platform, and its owner must keep watching it): the thread hands
//! the runner's commands to the engine, reports every telemetry snapshot,
//! and watches for a device that is gone, whether the backend says so or
//! the callbacks simply stop, to reopen the default device and resume
//! where the session should be by the wall clock. kira's cpal backend
//! keeps its stream the same way.
//!
//! What plays is the caller's business: an `open` function builds the
//! engine (and anything that must live and die with the stream, such as
//! a microphone that listens to it) for the device's rate and the moment
//! to resume at.

use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use cpal::traits::StreamTrait;
use rtrb::Producer;

use super::output::{plan_output, start, OutputError, OutputPlan, OutputRequest, StreamHealth};
use crate::clock::Stamp;
use crate::engine::{Command, Controls, LiveEngine, Telemetry};
use crate::units::SampleRate;

/// How often the stream is looked at when no command arrives.
const TICK: Duration = Duration::from_millis(20);
/// A stream that has not called back for this long is dead, whether or not
/// the backend said so (a killed sound server often just goes quiet).
const STALLED: Duration = Duration::from_millis(500);
/// A new stream may call back once to prefill, then wait while a sound
/// server wakes up: until it has played a second of audio it is not called
/// stalled before this long.
const STARTUP_GRACE: Duration = Duration::from_secs(3);
/// How long to keep trying to reopen a vanished device.
const REOPEN_FOR: Duration = Duration::from_secs(10);
/// A resumed stream further behind the wall clock than this skips ahead.
const CATCH_UP_S: f64 = 0.02;

/// Where a reopened stream picks the session up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resume {
    pub session_s: f64,
    pub nudge_spm: f64,
}

/// What the caller's `open` makes for one stream.
pub struct StreamParts<C> {
    pub engine: LiveEngine,
    pub controls: Controls,
    /// Output callback stamps, for a listener on the same clock.
    pub stamps: Option<Producer<Stamp>>,
    /// Lives and dies with the stream; told every telemetry snapshot.
    pub companion: C,
}

/// Something that follows the stream's telemetry (a microphone worker).
pub trait Companion {
    fn telemetry(&mut self, telemetry: &Telemetry);
}

impl Companion for () {
    fn telemetry(&mut self, _: &Telemetry) {}
}

impl<C: Companion> Companion for Option<C> {
    fn telemetry(&mut self, telemetry: &Telemetry) {
        if let Some(companion) = self {
            companion.telemetry(telemetry);
        }
    }
}

/// A stream began to play.
#[derive(Debug, Clone)]
pub struct StreamStart {
    pub device_name: String,
    pub rate: SampleRate,
    pub channels: usize,
    pub buffer_text: String,
    pub health: Arc<StreamHealth>,
    /// The stream clock's zero on `Instant` (for threads that act on the
    /// audio clock: the MIDI sender).
    pub clock_origin: Instant,
    /// Session time it resumed at, after a lost device; `None` at first.
    pub resumed_at: Option<f64>,
}

/// What the manager reports, in order, on the caller's channel.
#[derive(Debug)]
pub enum StreamEvent<F> {
    Started(StreamStart),
    Telemetry(Telemetry),
    /// The device is gone (or `went_quiet`); reopening the default one.
    Lost {
        went_quiet: bool,
    },
    /// No device came back in time: the session cannot go on.
    GaveUp(F),
}

/// The handle: commands go in; dropping it stops the stream.
pub struct StreamManager {
    commands: Option<Sender<Command>>,
    thread: Option<JoinHandle<()>>,
}

impl StreamManager {
    /// Opens the first stream (its failure is returned here) and keeps it
    /// playing on a thread of its own; events go to `events`.
    pub fn spawn<C, F, E, O>(
        request: OutputRequest,
        open: O,
        events: Sender<E>,
    ) -> Result<StreamManager, F>
    where
        C: Companion + 'static,
        F: From<OutputError> + Send + 'static,
        E: From<StreamEvent<F>> + Send + 'static,
        O: FnMut(&OutputPlan, Option<Resume>) -> Result<StreamParts<C>, F> + Send + 'static,
    {
        let (commands, inbox) = mpsc::channel();
        let (opened_tx, opened) = mpsc::sync_channel(1);
        let thread = std::thread::spawn(move || {
            let mut keeper = Keeper {
                request,
                open,
                events,
                outage: Outage::default(),
            };
            match keeper.open_first() {
                Ok(playing) => {
                    let _ = opened_tx.send(Ok(()));
                    keeper.keep(playing, &inbox);
                }
                Err(failure) => {
                    let _ = opened_tx.send(Err(failure));
                }
            }
        });
        match opened.recv() {
            Ok(Ok(())) => Ok(StreamManager {
                commands: Some(commands),
                thread: Some(thread),
            }),
            Ok(Err(failure)) => {
                let _ = thread.join();
                Err(failure)
            }
            Err(_) => {
                let _ = thread.join();
                Err(F::from(OutputError::Open {
                    device: "the output device".into(),
                    reason: "the stream thread stopped".into(),
                }))
            }
        }
    }

    /// Hands a command to the engine at once.
    pub fn send(&self, command: Command) {
        if let Some(commands) = &self.commands {
            let _ = commands.send(command);
        }
    }
}

impl Drop for StreamManager {
    fn drop(&mut self) {
        // A closed command channel ends the thread, which drops the stream.
        self.commands = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One open stream and what the manager knows of it.
struct Playing<C> {
    _stream: cpal::Stream,
    controls: Controls,
    health: Arc<StreamHealth>,
    rate: SampleRate,
    companion: C,
    last: Telemetry,
    last_seen: Instant,
    /// Whether it has played a second yet (see STARTUP_GRACE).
    settled: bool,
    /// After a reopen: when it opened and where the session stood then.
    resync: Option<(Instant, f64)>,
}

impl<C: Companion> Playing<C> {
    /// Commands in, telemetry out; `false` once the caller has gone.
    fn pump<E, F>(&mut self, events: &Sender<E>) -> bool
    where
        E: From<StreamEvent<F>>,
    {
        while let Ok(telemetry) = self.controls.telemetry.pop() {
            self.companion.telemetry(&telemetry);
            self.last = telemetry;
            self.last_seen = Instant::now();
            self.settled = telemetry.device_frames.0 >= u64::from(self.rate.0);
            if events
                .send(E::from(StreamEvent::Telemetry(telemetry)))
                .is_err()
            {
                return false;
            }
        }
        self.catch_up();
        true
    }

    /// A stream that waited before playing left the session behind the
    /// runner: skip ahead to where the wall clock says it should be.
    fn catch_up(&mut self) {
        let Some((opened, t_open)) = self.resync.filter(|_| self.settled) else {
            return;
        };
        self.resync = None;
        let should_be = t_open + opened.elapsed().as_secs_f64();
        let is = self.last.session_s(self.rate);
        if should_be - is > CATCH_UP_S && !self.last.paused {
            let _ = self.controls.commands.push(Command::CatchUp(should_be));
        }
    }

    /// `Some(went_quiet)` when the device is gone.
    fn lost(&self) -> Option<bool> {
        let patience = if self.settled { STALLED } else { STARTUP_GRACE };
        let stalled = self.last_seen.elapsed() > patience;
        (self.health.device_lost.load(Ordering::Relaxed) || stalled).then_some(stalled)
    }

    /// Where the session should be now, had the clicks never stopped.
    fn resume_point(&self) -> Resume {
        let gap = if self.last.paused {
            0.0
        } else {
            self.last_seen.elapsed().as_secs_f64()
        };
        Resume {
            session_s: self.last.session_s(self.rate) + gap,
            nudge_spm: self.last.nudge_spm,
        }
    }
}

/// How long the device has been gone: from the first loss until a stream
/// plays a second again. A device that reopens but goes quiet again at
/// once is one outage, not a new one, so the session still gives up in
/// time instead of reopening forever.
#[derive(Debug, Default)]
struct Outage {
    since: Option<Instant>,
}

impl Outage {
    /// A stream was lost at `now`: until when to keep reopening.
    fn lost(&mut self, now: Instant) -> Instant {
        *self.since.get_or_insert(now) + REOPEN_FOR
    }

    /// A stream played a second: the outage is over.
    fn settled(&mut self) {
        self.since = None;
    }
}

/// The manager thread's state.
struct Keeper<O, E> {
    request: OutputRequest,
    open: O,
    events: Sender<E>,
    outage: Outage,
}

impl<C, F, E, O> Keeper<O, E>
where
    C: Companion,
    F: From<OutputError>,
    E: From<StreamEvent<F>>,
    O: FnMut(&OutputPlan, Option<Resume>) -> Result<StreamParts<C>, F>,
{
    fn open_first(&mut self) -> Result<Playing<C>, F> {
        let request = self.request.clone();
        self.open_on(&request, None)
    }

    /// Opens `request`'s device and starts playing from `resume`.
    fn open_on(
        &mut self,
        request: &OutputRequest,
        resume: Option<Resume>,
    ) -> Result<Playing<C>, F> {
        let plan = plan_output(request)?;
        let parts = (self.open)(&plan, resume)?;
        let health = Arc::new(StreamHealth::default());
        let stream = start(&plan, parts.engine, Arc::clone(&health), parts.stamps)?;
        let start = StreamStart {
            device_name: plan.device_name.clone(),
            rate: plan.rate(),
            channels: plan.channels(),
            buffer_text: plan.buffer_text(),
            health: Arc::clone(&health),
            clock_origin: clock_origin(&stream),
            resumed_at: resume.map(|r| r.session_s),
        };
        let _ = self.events.send(E::from(StreamEvent::Started(start)));
        Ok(Playing {
            _stream: stream,
            controls: parts.controls,
            health,
            rate: plan.rate(),
            companion: parts.companion,
            last: Telemetry::default(),
            last_seen: Instant::now(),
            settled: false,
            resync: resume.map(|r| (Instant::now(), r.session_s)),
        })
    }

    /// Keeps the session playing until the caller hangs up or no device
    /// comes back.
    fn keep(&mut self, mut playing: Playing<C>, inbox: &Receiver<Command>) {
        loop {
            match inbox.recv_timeout(TICK) {
                Ok(command) => {
                    let _ = playing.controls.commands.push(command);
                    continue;
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if !playing.pump(&self.events) {
                return;
            }
            if playing.settled {
                self.outage.settled();
            }
            let Some(went_quiet) = playing.lost() else {
                continue;
            };
            let _ = self.events.send(E::from(StreamEvent::Lost { went_quiet }));
            match self.reopen(&playing) {
                Ok(reopened) => playing = reopened,
                Err(failure) => {
                    let _ = self.events.send(E::from(StreamEvent::GaveUp(failure)));
                    return;
                }
            }
        }
    }

    /// The device vanished: the default one, from where the session would
    /// be now, tried until REOPEN_FOR has passed since the device was
    /// first lost.
    fn reopen(&mut self, lost: &Playing<C>) -> Result<Playing<C>, F> {
        let deadline = self.outage.lost(Instant::now());
        let request = OutputRequest {
            device: None,
            ..self.request.clone()
        };
        loop {
            match self.open_on(&request, Some(lost.resume_point())) {
                Ok(playing) => return Ok(playing),
                Err(failure) if Instant::now() > deadline => return Err(failure),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }
}

/// The stream clock's zero on `Instant`, read back to back.
fn clock_origin(stream: &cpal::Stream) -> Instant {
    let before = Instant::now();
    let stream_now = stream.now();
    before
        .checked_sub(Duration::from_nanos(stream_now.as_nanos() as u64))
        .unwrap_or(before)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_that_keeps_going_quiet_is_one_outage_until_a_stream_settles() {
        let mut outage = Outage::default();
        let t0 = Instant::now();
        assert_eq!(outage.lost(t0), t0 + REOPEN_FOR);
        // Reopened, quiet again 4 s later: still the first deadline.
        assert_eq!(outage.lost(t0 + Duration::from_secs(4)), t0 + REOPEN_FOR);
        // A stream played a second: the next loss starts a new outage.
        outage.settled();
        let t1 = t0 + Duration::from_secs(60);
        assert_eq!(outage.lost(t1), t1 + REOPEN_FOR);
    }
}

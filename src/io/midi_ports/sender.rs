//! The MIDI sender thread: takes the pure schedule's messages and sends
//! each when the audio at its session time reaches the listener.
//!
//! The audio clock decides *what* time it is: the renderer's telemetry
//! says which session frame sits at which device frame, the callback's
//! playback stamps (median-fitted) say when a device frame is heard, and
//! the stream clock's origin puts that on `Instant`. The thread only
//! sleeps until a message is due. Sends happen here, never in the audio
//! callback, because a port's send may allocate or block.
//!
//! Pause ends the note still sounding and sends Stop at the paused frame,
//! then nothing until resume, which sends Continue. Nudges and skips are
//! read from the telemetry (see `midi::follow`); while a runner's command is on its way to the
//! renderer, messages past what has been rendered wait, so nothing is
//! sent on a tempo the renderer is about to abandon.

use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use super::report::{Lateness, SendReport};
use super::MidiSink;
use crate::clock::{ClockFit, SessionAnchor};
use crate::engine::Telemetry;
use crate::io::playback_stamp::PlaybackStamp;
use crate::midi::follow::{Change, Follower};
use crate::midi::{Message, MidiSchedule};
use crate::units::SampleRate;

/// What the control loop tells the sender.
pub enum ToSender {
    /// Every telemetry snapshot, in order.
    Telemetry(Telemetry),
    /// A stream started (or restarted after a device loss): its stamps,
    /// the `Instant` of its clock's zero, and its rate.
    Stream {
        stamp: Arc<PlaybackStamp>,
        origin: Instant,
        rate: u32,
    },
    /// A command was pushed to the renderer: hold what is not yet rendered.
    Hold,
    /// The session is over: send what is due shortly, stop, end.
    Quit,
}

/// Messages due within this much are sent now: below the sleep's own
/// wake-up error, so waiting would only add jitter.
const EARLY_OK: Duration = Duration::from_micros(100);
/// Longest sleep, so new telemetry is looked at often enough.
const MAX_WAIT: Duration = Duration::from_millis(5);
/// A hold without a visible change ends after this (the command may have
/// changed nothing, like a nudge past the end).
const HOLD_FOR: Duration = Duration::from_millis(300);
/// After Quit, messages due within this long still go out on time.
const DRAIN_FOR: Duration = Duration::from_millis(300);

struct SenderState {
    sink: Box<dyn MidiSink>,
    schedule: MidiSchedule,
    follower: Follower,
    step_starts: Vec<f64>,
    fit: ClockFit,
    stamp: Option<Arc<PlaybackStamp>>,
    origin: Option<Instant>,
    rate: SampleRate,
    /// (device frame, session frame) of the latest block that ran.
    anchor: Option<SessionAnchor>,
    /// Transport messages outside the schedule: Stop at pause, Continue.
    extra: VecDeque<(Instant, Message)>,
    stopped_by_pause: bool,
    hold_until: Option<Instant>,
    report: SendReport,
}

/// Starts the sender; it runs until `Quit` (or the control side is gone)
/// and returns its report.
pub fn spawn(
    sink: Box<dyn MidiSink>,
    schedule: MidiSchedule,
    step_starts: Vec<f64>,
) -> (Sender<ToSender>, JoinHandle<SendReport>) {
    let (tx, rx) = std::sync::mpsc::channel();
    let state = SenderState {
        sink,
        schedule,
        follower: Follower::new(48000, step_starts.clone()),
        step_starts,
        fit: ClockFit::new(48000),
        stamp: None,
        origin: None,
        rate: SampleRate(48_000),
        anchor: None,
        extra: VecDeque::new(),
        stopped_by_pause: false,
        hold_until: None,
        report: SendReport::default(),
    };
    let handle = std::thread::Builder::new()
        .name("treadbeat-midi-out".into())
        .spawn(move || state.run(rx))
        .expect("spawning a thread");
    (tx, handle)
}

impl SenderState {
    fn run(mut self, rx: Receiver<ToSender>) -> SendReport {
        let mut wait = MAX_WAIT;
        loop {
            let quit = match rx.recv_timeout(wait) {
                Ok(message) => {
                    let mut quit = self.handle(message);
                    while let Ok(message) = rx.try_recv() {
                        quit |= self.handle(message);
                    }
                    quit
                }
                Err(RecvTimeoutError::Timeout) => false,
                Err(RecvTimeoutError::Disconnected) => true,
            };
            if quit {
                self.drain();
                return self.report;
            }
            wait = self.send_due();
        }
    }

    fn handle(&mut self, message: ToSender) -> bool {
        match message {
            ToSender::Telemetry(telemetry) => self.follow(telemetry),
            ToSender::Stream {
                stamp,
                origin,
                rate,
            } => {
                self.stamp = Some(stamp);
                self.origin = Some(origin);
                if SampleRate(rate) != self.rate || self.follower.last().is_none() {
                    self.rate = SampleRate(rate);
                    self.follower = Follower::new(rate, self.step_starts.clone());
                }
                self.fit = ClockFit::new(rate);
                self.anchor = None;
            }
            ToSender::Hold => self.hold_until = Some(Instant::now() + HOLD_FOR),
            ToSender::Quit => return true,
        }
        false
    }

    fn follow(&mut self, telemetry: Telemetry) {
        let old_anchor = self.anchor;
        let changes = self.follower.update(telemetry);
        if self.follower.running() {
            self.anchor = Some(SessionAnchor::of(&telemetry));
        }
        if !changes.is_empty() {
            self.hold_until = None;
        }
        for change in changes {
            match change {
                Change::Pause { at_s } => {
                    let running = self.schedule.running_at(at_s);
                    let due = self.wall(old_anchor, at_s).unwrap_or_else(Instant::now);
                    // A note still sounding would hang through the pause
                    // and end after the Continue: it ends at the pause.
                    let note_off = self.schedule.note_off();
                    for _ in 0..self.schedule.take_note_offs() {
                        self.extra.push_back((due, note_off));
                    }
                    if running {
                        self.stopped_by_pause = true;
                        self.extra.push_back((due, Message::Stop));
                    }
                }
                Change::Resume { at_s } => {
                    if std::mem::take(&mut self.stopped_by_pause) {
                        let due = self.wall(self.anchor, at_s).unwrap_or_else(Instant::now);
                        self.extra.push_back((due, Message::Continue));
                    }
                }
                Change::Nudge { at_s, delta_spm } => self.schedule.nudge(at_s, delta_spm),
                Change::Seek { from_s, to_s } => {
                    // The new step starts its own run with Start; a
                    // Continue after a pause would come first and mislead.
                    self.stopped_by_pause = false;
                    self.schedule.seek(from_s, to_s);
                }
                Change::Jump { to_s, .. } => self.schedule.skip_to(to_s),
            }
        }
    }

    /// When session time `t_s` is heard, through `anchor`.
    fn wall(&self, anchor: Option<SessionAnchor>, t_s: f64) -> Option<Instant> {
        let frame = anchor?.device_frame_at(t_s, self.rate);
        let ns = self.fit.playback_ns(frame)?;
        let origin = self.origin?;
        Some(if ns >= 0.0 {
            origin + Duration::from_nanos(ns as u64)
        } else {
            origin
                .checked_sub(Duration::from_nanos(-ns as u64))
                .unwrap_or(origin)
        })
    }

    fn refresh_fit(&mut self) {
        if let Some((frame, ns)) = self.stamp.as_ref().and_then(|s| s.read()) {
            self.fit.add(frame, ns);
        }
    }

    fn emit(&mut self, message: Message, due: Instant) {
        let (bytes, len) = message.bytes();
        let now = Instant::now();
        match self.sink.send(&bytes[..len]) {
            Ok(()) => {
                self.report.sent += 1;
                let late = now.saturating_duration_since(due).as_secs_f64()
                    - due.saturating_duration_since(now).as_secs_f64();
                self.report.late.add(late * 1e3);
            }
            Err(error) => {
                self.report.errors += 1;
                self.report.first_error.get_or_insert(error);
            }
        }
    }

    /// The next scheduled message and its due time, if it may go out:
    /// while the clock runs, anything (but during a hold only what is
    /// rendered); while paused or re-anchoring, only what was rendered
    /// before the clock stopped.
    fn next_scheduled(&self) -> Option<(Instant, Message)> {
        let next = self.schedule.peek()?;
        let rendered = self
            .follower
            .last()
            .is_some_and(|t| next.t_s < t.session_s(self.rate));
        let allowed = if self.follower.running() {
            rendered || self.hold_until.is_none()
        } else {
            rendered
        };
        if !allowed {
            return None;
        }
        Some((self.wall(self.anchor, next.t_s)?, next.message))
    }

    /// Sends everything due, in due order; returns how long to wait.
    fn send_due(&mut self) -> Duration {
        self.refresh_fit();
        loop {
            let now = Instant::now();
            if self.hold_until.is_some_and(|until| until <= now) {
                self.hold_until = None;
            }
            let extra = self.extra.front().copied();
            let scheduled = self.next_scheduled();
            // At equal times the transport message (Stop, Continue) goes first.
            let take_extra = match (extra, scheduled) {
                (Some((a, _)), Some((b, _))) => a <= b,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => return MAX_WAIT,
            };
            let (due, message) = if take_extra {
                extra.expect("checked above")
            } else {
                scheduled.expect("checked above")
            };
            if due > now + EARLY_OK {
                return MAX_WAIT.min(due - now);
            }
            if take_extra {
                self.extra.pop_front();
            } else {
                self.schedule.pop();
            }
            self.emit(message, due);
        }
    }

    /// The session ended: messages due very soon go out on time, then
    /// pending note-offs and a Stop go out at once so nothing hangs.
    fn drain(&mut self) {
        let until = Instant::now() + DRAIN_FOR;
        while Instant::now() < until {
            let wait = self.send_due();
            if self.schedule.peek().is_none() && self.extra.is_empty() {
                break;
            }
            std::thread::sleep(wait.min(until.saturating_duration_since(Instant::now())));
        }
        let running = self.schedule.running() && !self.stopped_by_pause;
        let now = Instant::now();
        let note_off = self.schedule.note_off();
        for _ in 0..self.schedule.take_note_offs() {
            self.emit(note_off, now);
        }
        if running {
            self.emit(Message::Stop, now);
        }
    }
}

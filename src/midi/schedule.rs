//! When each outgoing MIDI message is due, in session seconds: clock ticks
//! at 24 per step, a note per click (accented by velocity), start and stop
//! around every click run.
//!
//! Clock ticks come from the tempo map itself, not from a running sum: a
//! map whose cadences are all multiplied by 24 has its k-th click where the
//! original's phase is k/24, so walking it with the same `CursorState` the
//! renderer uses gives every tick as the closed-form root of φ(t) = k/24.
//! Notes walk the original map with a second cursor, so each note-on time
//! is bit-for-bit the time the renderer gives its click. Nudges and step
//! skips go to both cursors with the renderer's own semantics.
//!
//! Transport: `Start` just before the first tick of a run (with the
//! count-in, before its first tick), `Stop` at the run's end (a silent
//! stretch or rest stops a slaved drum machine; the next run starts it
//! again at its own beat 1). Pause and resume are not session-time events;
//! the sender adds `Stop` and `Continue` for them.

use std::collections::VecDeque;

use super::messages::{Channel, Message, CLOCKS_PER_BEAT};
use crate::engine::renderer::MAX_COUNT_IN;
use crate::engine::ClickStyle;
use crate::tempo::{Click, CursorState, TempoMap};

/// How long a step's note sounds: short enough to end before the next
/// step at 240 spm (250 ms), long enough for any sampler to trigger.
pub const NOTE_LENGTH_S: f64 = 0.05;

/// The note sent on every click.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoteSettings {
    pub channel: Channel,
    pub note: u8,
    pub velocity: u8,
    /// Velocity of accented clicks (the renderer's accent rule).
    pub accent_velocity: u8,
}

/// A message and its due time in session seconds (negative in the count-in).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timed {
    pub t_s: f64,
    pub message: Message,
}

/// Order of messages due at the same instant: a note ends before the next
/// begins, a run stops before the next starts, `Start` precedes its first
/// tick, and the tick (the timing reference) precedes the note.
fn rank(message: &Message) -> u8 {
    match message {
        Message::NoteOff { .. } => 0,
        Message::Stop => 1,
        Message::Start | Message::Continue => 2,
        Message::Clock => 3,
        Message::NoteOn { .. } => 4,
    }
}

/// Where the next message comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Source {
    /// Taken out before a re-plan, still to hand out.
    Ready,
    NoteOff,
    Stop,
    Start,
    CountInTick,
    Tick,
    CountInNote,
    Note,
}

/// Every outgoing message of a session, in time order, following live
/// nudges and skips. Allocates only its small note-off queue.
pub struct MidiSchedule {
    clicks_map: TempoMap,
    ticks_map: TempoMap,
    clicks: CursorState,
    ticks: CursorState,
    next_click: Option<Click>,
    next_tick: Option<Click>,
    /// Count-in: `count_in_ticks` ticks, one note every 24, ending at t = 0.
    count_in_ticks: u32,
    count_in_tick_s: f64,
    count_in_next: u32,
    /// Count-in clicks (every 24th count-in tick) already handed out.
    count_in_notes_next: u32,
    notes: NoteSettings,
    accent_every: u32,
    /// End of the click run each timeline segment belongs to (NaN: silent).
    run_end: Vec<f64>,
    running: bool,
    stop_at: Option<f64>,
    note_offs: VecDeque<f64>,
    /// Messages due before a re-plan's time, taken out before it.
    ready: VecDeque<Timed>,
    /// Time of the last tick and note handed out: a re-plan never repeats them.
    last_tick_s: f64,
    last_note_s: f64,
}

/// The same map with every cadence multiplied by `factor`.
fn scaled(map: &TempoMap, factor: f64) -> TempoMap {
    let mut map = map.clone();
    for segment in &mut map.segments {
        segment.c0 *= factor;
        segment.c1 *= factor;
    }
    map.count_in_cadence = map.count_in_cadence.map(|c| c * factor);
    map
}

impl MidiSchedule {
    /// The schedule for a session the renderer plays with `style`.
    pub fn new(map: &TempoMap, style: ClickStyle, notes: NoteSettings) -> MidiSchedule {
        let ticks_map = scaled(map, f64::from(CLOCKS_PER_BEAT));
        let count_in = if style.count_in {
            map.count_in_times().take(MAX_COUNT_IN).count() as u32
        } else {
            0
        };
        let cadence = map.count_in_cadence.unwrap_or(60.0);
        let mut run_end = Vec::new();
        let mut end = f64::NAN;
        for (i, segment) in map.segments.iter().enumerate().rev() {
            if map.segments.get(i + 1).is_none_or(|next| next.starts_run) {
                end = segment.end_s();
            }
            if run_end.len() <= segment.segment {
                run_end.resize(segment.segment + 1, f64::NAN);
            }
            run_end[segment.segment] = end;
        }
        let mut clicks = CursorState::new(map);
        let mut ticks = CursorState::new(&ticks_map);
        MidiSchedule {
            next_click: clicks.next_click(map),
            next_tick: ticks.next_click(&ticks_map),
            clicks_map: map.clone(),
            ticks_map,
            clicks,
            ticks,
            count_in_ticks: count_in * CLOCKS_PER_BEAT,
            count_in_tick_s: 60.0 / (cadence * f64::from(CLOCKS_PER_BEAT)),
            count_in_next: 0,
            count_in_notes_next: 0,
            notes,
            accent_every: style.accent_every,
            run_end,
            running: false,
            stop_at: None,
            note_offs: VecDeque::new(),
            ready: VecDeque::new(),
            last_tick_s: f64::NEG_INFINITY,
            last_note_s: f64::NEG_INFINITY,
        }
    }

    fn count_in_tick_time(&self, i: u32) -> f64 {
        -f64::from(self.count_in_ticks - i) * self.count_in_tick_s
    }

    /// The earliest pending message and where it comes from.
    fn earliest(&self) -> Option<(Timed, Source)> {
        if let Some(ready) = self.ready.front() {
            return Some((*ready, Source::Ready));
        }
        let mut best: Option<(Timed, Source)> = None;
        let mut offer = |t_s: f64, message: Message, source: Source| {
            let better = best.is_none_or(|(b, _)| {
                t_s < b.t_s || (t_s == b.t_s && rank(&message) < rank(&b.message))
            });
            if better {
                best = Some((Timed { t_s, message }, source));
            }
        };
        if let Some(&t) = self.note_offs.front() {
            let (channel, note) = (self.notes.channel, self.notes.note);
            offer(t, Message::NoteOff { channel, note }, Source::NoteOff);
        }
        if let Some(t) = self.stop_at {
            offer(t, Message::Stop, Source::Stop);
        }
        if self.count_in_next < self.count_in_ticks {
            let t = self.count_in_tick_time(self.count_in_next);
            if !self.running {
                offer(t, Message::Start, Source::Start);
            }
            offer(t, Message::Clock, Source::CountInTick);
        }
        let note_tick = self.count_in_notes_next * CLOCKS_PER_BEAT;
        if note_tick < self.count_in_ticks {
            let accent = self.count_in_notes_next == 0 && self.accent_every > 0;
            let t = self.count_in_tick_time(note_tick);
            offer(t, self.note_on(accent), Source::CountInNote);
        }
        if let Some(tick) = self.next_tick {
            if !self.running && self.count_in_next >= self.count_in_ticks {
                offer(tick.time_s, Message::Start, Source::Start);
            }
            offer(tick.time_s, Message::Clock, Source::Tick);
        }
        if let Some(click) = self.next_click {
            let accent = self.accent_every > 0 && click.beat % u64::from(self.accent_every) == 0;
            offer(click.time_s, self.note_on(accent), Source::Note);
        }
        best
    }

    fn note_on(&self, accent: bool) -> Message {
        Message::NoteOn {
            channel: self.notes.channel,
            note: self.notes.note,
            velocity: if accent {
                self.notes.accent_velocity
            } else {
                self.notes.velocity
            },
        }
    }

    /// The next message due, without taking it.
    pub fn peek(&self) -> Option<Timed> {
        self.earliest().map(|(timed, _)| timed)
    }

    /// Takes the next message due.
    pub fn pop(&mut self) -> Option<Timed> {
        let (timed, source) = self.earliest()?;
        match source {
            Source::Ready => {
                self.ready.pop_front();
            }
            Source::NoteOff => {
                self.note_offs.pop_front();
            }
            Source::Stop => {
                self.stop_at = None;
                self.running = false;
            }
            Source::Start => self.running = true,
            Source::CountInTick => {
                self.count_in_next += 1;
                self.last_tick_s = timed.t_s;
                // The count-in leads into the first run: stop at its end.
                self.stop_at = self.run_end.first().copied().filter(|t| !t.is_nan());
            }
            Source::Tick => {
                let tick = self.next_tick.take().expect("earliest saw a tick");
                self.last_tick_s = tick.time_s;
                self.stop_at = self.run_end.get(tick.segment).copied();
                self.next_tick = self.ticks.next_click(&self.ticks_map);
            }
            Source::CountInNote | Source::Note => {
                if source == Source::Note {
                    self.next_click = self.clicks.next_click(&self.clicks_map);
                } else {
                    self.count_in_notes_next += 1;
                }
                self.last_note_s = timed.t_s;
                self.note_offs.push_back(timed.t_s + NOTE_LENGTH_S);
            }
        }
        Some(timed)
    }

    /// Refills the buffered next tick and note after a re-plan, skipping
    /// anything before `from_s` or already handed out.
    fn refetch(&mut self, from_s: f64) {
        let tick_floor = self.last_tick_s;
        let note_floor = self.last_note_s;
        self.next_tick = std::iter::from_fn(|| self.ticks.next_click(&self.ticks_map))
            .find(|t| t.time_s >= from_s && t.time_s > tick_floor);
        self.next_click = std::iter::from_fn(|| self.clicks.next_click(&self.clicks_map))
            .find(|c| c.time_s >= from_s && c.time_s > note_floor);
    }

    /// Takes out everything due before `t_s`, in order, so that a re-plan
    /// at `t_s` keeps what the renderer already played but the caller has
    /// not yet sent (MIDI leaves when the audio is heard, after it was
    /// rendered).
    fn set_aside_before(&mut self, t_s: f64) {
        let mut early = VecDeque::new();
        while self.peek().is_some_and(|m| m.t_s < t_s) {
            early.extend(self.pop());
        }
        early.extend(self.ready.drain(..));
        self.ready = early;
    }

    /// The cadence changes by `delta_spm` from session time `at_s` on, as
    /// the renderer's `Command::Nudge` applied at that time.
    pub fn nudge(&mut self, at_s: f64, delta_spm: f64) {
        self.set_aside_before(at_s);
        self.clicks.nudge(&self.clicks_map, at_s, delta_spm);
        self.ticks.nudge(
            &self.ticks_map,
            at_s,
            delta_spm * f64::from(CLOCKS_PER_BEAT),
        );
        self.refetch(at_s);
    }

    /// The runner skipped from `from_s` to the step starting at `to_s`: the
    /// run stops now and the click restarts on the new step's first beat.
    pub fn seek(&mut self, from_s: f64, to_s: f64) {
        self.set_aside_before(from_s);
        self.count_in_next = self.count_in_ticks;
        self.count_in_notes_next = self.count_in_ticks / CLOCKS_PER_BEAT;
        self.clicks.seek(&self.clicks_map, to_s);
        self.ticks.seek(&self.ticks_map, to_s);
        self.refetch(to_s);
        if self.running {
            self.stop_at = Some(from_s);
        }
    }

    /// Drops every tick and note before `t_s` without touching the
    /// transport: how the schedule catches up when the session clock
    /// jumped forward (a reopened device). Pending note-offs stay.
    pub fn skip_to(&mut self, t_s: f64) {
        while self.count_in_next < self.count_in_ticks
            && self.count_in_tick_time(self.count_in_next) < t_s
        {
            self.count_in_next += 1;
        }
        while self.count_in_notes_next * CLOCKS_PER_BEAT < self.count_in_ticks
            && self.count_in_tick_time(self.count_in_notes_next * CLOCKS_PER_BEAT) < t_s
        {
            self.count_in_notes_next += 1;
        }
        while self.next_tick.is_some_and(|t| t.time_s < t_s) {
            self.next_tick = self.ticks.next_click(&self.ticks_map);
        }
        while self.next_click.is_some_and(|c| c.time_s < t_s) {
            self.next_click = self.clicks.next_click(&self.clicks_map);
        }
    }

    /// The note-off that ends this schedule's click note.
    pub fn note_off(&self) -> Message {
        Message::NoteOff {
            channel: self.notes.channel,
            note: self.notes.note,
        }
    }

    /// Forgets the note-offs still due and says how many there were: at a
    /// pause or the end of a session they all go out at once (each one
    /// `note_off`), so no note hangs.
    pub fn take_note_offs(&mut self) -> usize {
        let count = self.note_offs.len();
        self.note_offs.clear();
        count
    }

    /// Whether the transport is running (a `Start` went out, no `Stop` yet).
    pub fn running(&self) -> bool {
        self.running
    }

    /// Whether the transport runs at `t_s`, counting the messages due
    /// before it that the caller has not taken yet (they stay queued).
    pub fn running_at(&mut self, t_s: f64) -> bool {
        self.set_aside_before(t_s);
        self.running
    }
}

impl Iterator for MidiSchedule {
    type Item = Timed;

    fn next(&mut self) -> Option<Timed> {
        self.pop()
    }
}

//! Walks a tempo map click by click without allocating, so the audio thread
//! can ask "when is the next click?" one click at a time.
//!
//! Every click time is computed from its run's phase in closed form; the
//! only running sums are per segment (phase at a segment's start), never per
//! click, so nothing drifts. Live changes (cadence nudges, skipping to a
//! step) rebuild the current piece and keep the phase continuous.

use super::{beat_tolerance, phase_at, time_of_phase, TempoMap};

/// One click: its session time and where it sits in its run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Click {
    pub time_s: f64,
    /// Index in its click run (k in φ(t_k) = k): 0 at the run's start.
    pub beat: u64,
    /// Index of the timeline segment it falls in.
    pub segment: usize,
}

/// The part of a tempo segment still to play, with any nudge applied.
#[derive(Debug, Clone, Copy)]
struct Piece {
    start_s: f64,
    duration_s: f64,
    c0: f64,
    c1: f64,
    /// Run phase at the piece's start and end.
    phase_start: f64,
    phase_end: f64,
}

/// Where a walk through a tempo map stands. Holds no reference, so the
/// audio thread can keep it beside the map it owns; every call is handed
/// that map. `Copy`: the renderer hands a copy to the music worker.
#[derive(Debug, Clone, Copy)]
pub struct CursorState {
    /// Index into `map.segments` of the current piece; `len` when done.
    index: usize,
    piece: Option<Piece>,
    next_beat: u64,
    /// Cadence added to every piece by live nudges (spm).
    offset_spm: f64,
}

impl CursorState {
    pub fn new(map: &TempoMap) -> Self {
        let mut cursor = CursorState {
            index: 0,
            piece: None,
            next_beat: 0,
            offset_spm: 0.0,
        };
        cursor.load(map, 0, 0.0);
        cursor
    }

    /// Makes tempo segment `index` the current piece, its run phase
    /// starting at `phase_start` (ignored when the segment starts a run).
    fn load(&mut self, map: &TempoMap, index: usize, phase_start: f64) {
        self.index = index;
        self.piece = map.segments.get(index).map(|s| {
            let phase_start = if s.starts_run { 0.0 } else { phase_start };
            let (c0, c1) = (s.c0 + self.offset_spm, s.c1 + self.offset_spm);
            Piece {
                start_s: s.start_s,
                duration_s: s.duration_s,
                c0,
                c1,
                phase_start,
                phase_end: phase_start + (c0 + c1) * s.duration_s / 120.0,
            }
        });
        if map.segments.get(index).is_some_and(|s| s.starts_run) {
            self.next_beat = 0;
        }
    }

    /// Cadence offset currently applied by nudges.
    pub fn offset_spm(&self) -> f64 {
        self.offset_spm
    }

    /// Adds `delta_spm` to the cadence from session time `at_s` on. The
    /// phase at `at_s` is kept, so the next click follows on smoothly; the
    /// caller must drop any click it fetched but has not yet played.
    pub fn nudge(&mut self, map: &TempoMap, at_s: f64, delta_spm: f64) {
        self.offset_spm += delta_spm;
        let Some(piece) = self.piece else { return };
        let piece_end = piece.start_s + piece.duration_s;
        if at_s < piece.start_s || at_s >= piece_end {
            // In silence or before the piece: the new offset applies when loaded.
            let phase = piece.phase_start;
            self.load(map, self.index, phase);
            return;
        }
        let tau = at_s - piece.start_s;
        let phase_now = piece.phase_start + phase_at(tau, piece.c0, piece.c1, piece.duration_s);
        let cadence_now = piece.c0 + (piece.c1 - piece.c0) * tau / piece.duration_s;
        let (c0, c1) = (cadence_now + delta_spm, piece.c1 + delta_spm);
        let duration_s = piece_end - at_s;
        self.piece = Some(Piece {
            start_s: at_s,
            duration_s,
            c0,
            c1,
            phase_start: phase_now,
            phase_end: phase_now + (c0 + c1) * duration_s / 120.0,
        });
        self.next_beat = (phase_now - beat_tolerance(phase_now)).ceil().max(0.0) as u64;
    }

    /// Continues from the first tempo segment at or after `at_s`, as the
    /// start of a new run (the runner skipped ahead: the click restarts on
    /// the new step's first beat).
    pub fn seek(&mut self, map: &TempoMap, at_s: f64) {
        let index = map.segments.partition_point(|s| s.end_s() <= at_s);
        self.load(map, index, 0.0);
        self.next_beat = 0;
        if let (Some(piece), Some(segment)) = (&mut self.piece, map.segments.get(index)) {
            if at_s > segment.start_s {
                // Skipped into the middle of a clicked segment: restart there.
                let tau = at_s - segment.start_s;
                let cadence_now = piece.c0 + (piece.c1 - piece.c0) * tau / piece.duration_s;
                piece.start_s = at_s;
                piece.duration_s -= tau;
                piece.c0 = cadence_now;
                piece.phase_start = 0.0;
                piece.phase_end = (piece.c0 + piece.c1) * piece.duration_s / 120.0;
            }
        }
    }

    /// The next click, or `None` at the end of the session.
    pub fn next_click(&mut self, map: &TempoMap) -> Option<Click> {
        loop {
            let piece = self.piece?;
            // Each beat belongs to the piece whose phase span [start, end)
            // contains it: the same sums decide both sides of a boundary,
            // so no beat is lost or doubled there.
            let beat = self.next_beat as f64;
            if beat < piece.phase_end - beat_tolerance(piece.phase_end) {
                let d = (beat - piece.phase_start).max(0.0);
                let tau = time_of_phase(d, piece.c0, piece.c1, piece.duration_s)
                    .clamp(0.0, piece.duration_s);
                let click = Click {
                    time_s: piece.start_s + tau,
                    beat: self.next_beat,
                    segment: map.segments[self.index].segment,
                };
                self.next_beat += 1;
                return Some(click);
            }
            self.load(map, self.index + 1, piece.phase_end);
        }
    }
}

/// Iterates a tempo map's clicks (for planning, rendering and tests).
pub struct ClickCursor<'a> {
    map: &'a TempoMap,
    state: CursorState,
}

impl<'a> ClickCursor<'a> {
    pub fn new(map: &'a TempoMap) -> Self {
        ClickCursor {
            map,
            state: CursorState::new(map),
        }
    }

    pub fn nudge(&mut self, at_s: f64, delta_spm: f64) {
        self.state.nudge(self.map, at_s, delta_spm);
    }

    pub fn seek(&mut self, at_s: f64) {
        self.state.seek(self.map, at_s);
    }
}

impl Iterator for ClickCursor<'_> {
    type Item = Click;

    fn next(&mut self) -> Option<Click> {
        self.state.next_click(self.map)
    }
}

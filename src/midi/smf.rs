//! A session's click track as a Standard MIDI File (format 0, 960 ticks
//! per quarter note): a note on every click, accents by velocity, and a
//! tempo map dense enough that each note lands on its click's exact time.
//!
//! One quarter note is one step. Between consecutive clicks of a run the
//! file has exactly one quarter, its tempo set to that interval; across a
//! silent stretch it has a whole number of quarters at about the previous
//! beat, so bars in a DAW stay on the clicks. Each tempo is rounded to the
//! microsecond *against the file's own running time*, not the exact
//! interval, so rounding never accumulates: every note is within 0.5 µs
//! of its click, over any length of session.

use super::messages::Message;
use super::schedule::MidiSchedule;

/// Ticks per quarter note (one step).
pub const PPQ: u16 = 960;
/// A note lasts a sixteenth, always shorter than the gap to the next click.
const NOTE_TICKS: u32 = PPQ as u32 / 4;
/// The largest tempo a file can hold: 24 bits of microseconds per quarter.
const MAX_TEMPO_US: u64 = 0xFF_FFFF;

/// What was written, for the command's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SmfSummary {
    pub notes: u64,
    pub tempo_changes: u64,
}

/// An event at an absolute tick, before delta encoding.
struct Event {
    tick: u64,
    /// Orders simultaneous events: tempo, then note-off, then note-on.
    order: u8,
    bytes: Vec<u8>,
}

/// Writes the notes of `schedule` (its clock ticks are left out: a file
/// carries tempo instead), with file time 0 at session time `start_s`.
pub fn click_track(schedule: MidiSchedule, start_s: f64, name: &str) -> (Vec<u8>, SmfSummary) {
    let mut events = vec![Event {
        tick: 0,
        order: 0,
        bytes: meta(0x03, name.as_bytes()),
    }];
    let mut summary = SmfSummary::default();
    // The file's time at `tick`, in µs × PPQ (exact integer arithmetic).
    let mut tick = 0u64;
    let mut time_q = 0u128;
    let mut tempo_us: Option<u64> = None;
    let mut previous: Option<f64> = None;
    let mut stopped_since = false;
    for timed in schedule {
        let (velocity, note, channel) = match timed.message {
            Message::NoteOn {
                velocity,
                note,
                channel,
            } => (velocity, note, channel),
            Message::Stop => {
                stopped_since = true;
                continue;
            }
            _ => continue,
        };
        let t_us = ((timed.t_s - start_s) * 1e6).max(0.0);
        let target_q = (t_us * f64::from(PPQ)).round() as u128;
        let position = match (previous, tempo_us) {
            (None, _) if target_q == 0 => 0,
            (prev, tempo) => {
                // Quarters to the next click: one within a run; across a
                // gap, as many as fit at the last beat (at least one).
                let gap_us = t_us - prev.map_or(0.0, |p| (p - start_s) * 1e6);
                let quarters = match tempo {
                    Some(beat) if stopped_since || prev.is_none() => {
                        ((gap_us / beat as f64).round() as u64).max(1)
                    }
                    None => (gap_us / MAX_TEMPO_US as f64).ceil().max(1.0) as u64,
                    Some(_) => 1,
                };
                let span = u128::from(quarters) * u128::from(PPQ);
                let tempo = ((target_q.saturating_sub(time_q) + span / 2) / span) as u64;
                let tempo = tempo.clamp(1, MAX_TEMPO_US);
                if tempo_us != Some(tempo) {
                    events.push(Event {
                        tick,
                        order: 0,
                        bytes: meta(0x51, &tempo.to_be_bytes()[5..]),
                    });
                    summary.tempo_changes += 1;
                    tempo_us = Some(tempo);
                }
                time_q += span * u128::from(tempo);
                quarters * u64::from(PPQ)
            }
        };
        tick += position;
        let ch = channel.wire();
        events.push(Event {
            tick,
            order: 2,
            bytes: vec![0x90 | ch, note, velocity],
        });
        events.push(Event {
            tick: tick + u64::from(NOTE_TICKS),
            order: 1,
            bytes: vec![0x80 | ch, note, 64],
        });
        summary.notes += 1;
        previous = Some(timed.t_s);
        stopped_since = false;
    }
    events.sort_by_key(|e| (e.tick, e.order));
    let end = events.last().map_or(0, |e| e.tick);
    events.push(Event {
        tick: end,
        order: 3,
        bytes: meta(0x2F, &[]),
    });
    (file_bytes(&events), summary)
}

/// A meta event's bytes after its delta time.
fn meta(kind: u8, data: &[u8]) -> Vec<u8> {
    let mut bytes = vec![0xFF, kind];
    push_vlq(&mut bytes, data.len() as u64);
    bytes.extend_from_slice(data);
    bytes
}

/// MIDI's variable-length quantity: 7 bits a byte, high bit "more follows".
fn push_vlq(out: &mut Vec<u8>, value: u64) {
    let mut groups = vec![(value & 0x7F) as u8];
    let mut rest = value >> 7;
    while rest > 0 {
        groups.push((rest & 0x7F) as u8 | 0x80);
        rest >>= 7;
    }
    out.extend(groups.iter().rev());
}

fn file_bytes(events: &[Event]) -> Vec<u8> {
    let mut track = Vec::new();
    let mut at = 0;
    for event in events {
        push_vlq(&mut track, event.tick - at);
        at = event.tick;
        track.extend_from_slice(&event.bytes);
    }
    let mut out = Vec::with_capacity(track.len() + 22);
    out.extend_from_slice(b"MThd");
    out.extend_from_slice(&6u32.to_be_bytes());
    out.extend_from_slice(&0u16.to_be_bytes()); // format 0: one track
    out.extend_from_slice(&1u16.to_be_bytes());
    out.extend_from_slice(&PPQ.to_be_bytes());
    out.extend_from_slice(b"MTrk");
    out.extend_from_slice(&(track.len() as u32).to_be_bytes());
    out.extend_from_slice(&track);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_length_quantities_match_the_standard_examples() {
        for (value, bytes) in [
            (0u64, vec![0x00]),
            (0x40, vec![0x40]),
            (0x7F, vec![0x7F]),
            (0x80, vec![0x81, 0x00]),
            (0x2000, vec![0xC0, 0x00]),
            (0x3FFF, vec![0xFF, 0x7F]),
            (0x0FFF_FFFF, vec![0xFF, 0xFF, 0xFF, 0x7F]),
        ] {
            let mut out = Vec::new();
            push_vlq(&mut out, value);
            assert_eq!(out, bytes, "{value:#x}");
        }
    }
}

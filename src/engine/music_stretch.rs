//! Time-stretching a track without changing its pitch: Signalsmith
//! Stretch (MIT; its Rust bindings call the C++ library), driven so that
//! every output frame plays the track position a time map gives it.
//!
//! Pure computation, like the resampler: samples in, samples out. It
//! allocates, so it runs before a session or on a worker, never on the
//! audio thread.

use signalsmith_stretch::Stretch;

/// Frames handed to the stretcher per call: the time map is applied as a
/// constant rate within each chunk (5 ms at 48 kHz), far finer than a
/// tempo ramp changes.
pub const CHUNK: usize = 256;

/// A stereo stretcher following a time map: output frame `o` plays track
/// frame `position(o)`. Track frames outside the track are silence.
pub struct MapStretcher {
    stretch: Stretch,
    /// Output frames produced so far.
    produced: u64,
    /// The next track frame to feed (negative: before the track).
    fed: i64,
    /// How far ahead of what it outputs the stretcher must be fed, beyond
    /// its input latency: its output latency, in output frames (measured:
    /// fed only the input latency ahead, every hit came out exactly the
    /// output latency late, at speeds 0.9, 1 and 1.1).
    lead: f64,
    scratch: Vec<f32>,
    /// The rest of the last chunk, made but not yet asked for...
    held: Vec<f32>,
    /// ... from this frame of it.
    held_at: usize,
}

fn frame_of(track: &[f32], frame: i64, channel: usize) -> f32 {
    usize::try_from(frame)
        .ok()
        .and_then(|f| track.get(2 * f + channel))
        .copied()
        .unwrap_or(0.0)
}

impl MapStretcher {
    /// A stretcher whose output frame 0 plays track frame `position(0.0)`.
    /// `track` is interleaved stereo at the output rate.
    pub fn new(rate: u32, track: &[f32], position: &dyn Fn(f64) -> f64) -> MapStretcher {
        let mut stretch = Stretch::preset_default(2, rate);
        let speed = position(1.0) - position(0.0);
        let input_latency = stretch.input_latency() as f64;
        let output_latency = stretch.output_latency() as f64;
        // The input lead in track frames: the input latency, and the output
        // latency at this speed (as `produce` feeds).
        let ahead = (input_latency + output_latency * speed).round() as i64;
        // Pre-roll: what the stretcher would have heard by now, so that its
        // output is the music at once, not a fade-in.
        let start = position(0.0).round() as i64;
        let preroll: Vec<f32> = (start - ahead..start + ahead)
            .flat_map(|f| [frame_of(track, f, 0), frame_of(track, f, 1)])
            .collect();
        stretch.seek(&preroll, speed);
        MapStretcher {
            stretch,
            produced: 0,
            fed: start + ahead,
            lead: output_latency,
            scratch: Vec::new(),
            held: Vec::new(),
            held_at: 0,
        }
    }

    /// Produces the next `out.len() / 2` output frames. They are made a
    /// whole chunk at a time, whatever the calls ask for, so that the
    /// output does not depend on how it is asked for: an offline render
    /// (asked between clicks) and the live worker (asked a ring block at a
    /// time) make the same samples.
    pub fn produce(&mut self, track: &[f32], out: &mut [f32], position: &dyn Fn(f64) -> f64) {
        let frames = out.len() / 2;
        let mut done = 0;
        while done < frames {
            let held = self.held.len() / 2 - self.held_at;
            if held > 0 {
                let n = held.min(frames - done);
                let from = 2 * self.held_at;
                out[2 * done..2 * (done + n)].copy_from_slice(&self.held[from..from + 2 * n]);
                self.held_at += n;
                done += n;
            } else if frames - done >= CHUNK {
                self.chunk(track, &mut out[2 * done..2 * (done + CHUNK)], position);
                done += CHUNK;
            } else {
                let mut held = std::mem::take(&mut self.held);
                held.resize(2 * CHUNK, 0.0);
                self.chunk(track, &mut held, position);
                (self.held, self.held_at) = (held, 0);
            }
        }
    }

    /// The next chunk of output (`CHUNK` frames).
    fn chunk(&mut self, track: &[f32], out: &mut [f32], position: &dyn Fn(f64) -> f64) {
        let end = self.produced + CHUNK as u64;
        // The input this chunk needs: up to where the map puts the frame
        // `lead` output frames past its end, plus the input latency (in
        // track frames, whatever the speed: fed it scaled by the speed,
        // hits came out 6 ms late at 0.9 and 5 ms early at 1.1).
        let ahead = position(end as f64 + self.lead);
        let input_latency = self.stretch.input_latency() as f64;
        let to = ((ahead + input_latency).round() as i64).max(self.fed);
        self.scratch.clear();
        for f in self.fed..to {
            self.scratch.push(frame_of(track, f, 0));
            self.scratch.push(frame_of(track, f, 1));
        }
        self.stretch.process(&self.scratch, out);
        self.fed = to;
        self.produced = end;
    }
}

#[cfg(test)]
mod tests;

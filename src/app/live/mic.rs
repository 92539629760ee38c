//! The microphone side of a live session (`run --mic`): a worker thread
//! that drains the capture ring, runs the detector, places each heard step
//! on the output clock (the calibrated round trip taken off) and sends it
//! to the control loop as a session event, where it is judged against the
//! clicks like every other heard step. The microphone lives and dies with
//! the output stream it listens to (a `Companion` of the stream manager).
//!
//! Clocks: both streams' callbacks are stamped with one `Instant`; the
//! engine reports the device frame of every click it starts and of every
//! stretch of speech, and (with `--music`) the music as it mixed it, all
//! of which the detector is told to expect. A step heard
//! at input frame i happened at wall time in(i) − latency, which is output
//! device frame out⁻¹(that), and its beat is the nearest click there.

use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::events::SessionEvent;
use crate::clock::{FrameClock, SessionAnchor, Stamp};
use crate::detect::filterbank::{FilterBank, BAND_COUNT};
use crate::detect::{DetectorOptions, FootstrikeDetector};
use crate::engine::music_tap::MusicChunk;
use crate::engine::{OwnSound, Telemetry};
use crate::io::input::Capture;
use crate::io::stream_manager::Companion;
use crate::plan::Timeline;
use crate::units::{DeviceFrame, SampleRate};

/// How often the worker wakes to drain the ring.
const POLL: Duration = Duration::from_millis(5);

/// What the app plays that the microphone may hear: the engine's marks
/// (each click, each stretch of speech) and, with `--music`, the music as
/// played.
pub struct OwnSounds {
    pub marks: rtrb::Consumer<OwnSound>,
    pub music: Option<rtrb::Consumer<MusicChunk>>,
}

/// What the worker needs beyond the capture.
pub struct MicSetup {
    pub output_rate: u32,
    /// Input + output latency measured by `treadbeat calibrate` (s).
    pub latency_s: f64,
    /// The click as the microphone may hear it, at the input rate.
    pub click_sound: Option<Vec<f32>>,
    /// Stop listening while the coach speaks (it reaches the microphone).
    pub gate_voice: bool,
}

/// A running microphone and its detector worker.
pub struct Microphone {
    _stream: cpal::Stream,
    /// Every engine telemetry snapshot, from the stream manager.
    to_worker: Sender<Telemetry>,
    worker: Option<JoinHandle<()>>,
}

impl Microphone {
    /// Starts the worker on a running capture; says so on `events`, where
    /// the heard steps go too. `output_stamps` is the output callback's
    /// stamp ring (see `io::output::start`).
    pub fn start(
        capture: Capture,
        output_stamps: rtrb::Consumer<Stamp>,
        own_sounds: OwnSounds,
        timeline: &Timeline,
        setup: MicSetup,
        events: Sender<SessionEvent>,
    ) -> Microphone {
        let (to_worker, inbox) = mpsc::channel();
        let Capture {
            stream,
            samples,
            stamps,
            sample_rate,
            device_name,
            health,
        } = capture;
        // One epoch for both clocks: they are compared with each other.
        let epoch = Instant::now();
        let mut worker = Worker {
            in_clock: FrameClock::new(epoch, sample_rate),
            out_clock: FrameClock::new(epoch, setup.output_rate),
            detector: FootstrikeDetector::new(
                sample_rate,
                DetectorOptions {
                    cadence_hint_spm: timeline
                        .segments
                        .iter()
                        .find(|s| s.clicked)
                        .and_then(|s| s.cadence.map(|c| c.from)),
                },
            ),
            telemetry: Telemetry::default(),
            unannounced: Vec::new(),
            music: MusicHeard::new(setup.output_rate),
            setup,
        };
        if let Some(click) = &worker.setup.click_sound {
            worker.detector.set_click_sound(click);
        }
        let _ = events.send(SessionEvent::MicStarted {
            device_name,
            health,
        });
        let handle = std::thread::spawn(move || {
            worker.run(samples, stamps, output_stamps, own_sounds, inbox, events);
        });
        Microphone {
            _stream: stream,
            to_worker,
            worker: Some(handle),
        }
    }
}

impl Companion for Microphone {
    fn telemetry(&mut self, telemetry: &Telemetry) {
        let _ = self.to_worker.send(*telemetry);
    }
}

impl Drop for Microphone {
    fn drop(&mut self) {
        // Closing the channel stops the worker at its next wake-up.
        let (dead, _) = mpsc::channel();
        self.to_worker = dead;
        if let Some(handle) = self.worker.take() {
            let _ = handle.join();
        }
    }
}

struct Worker {
    in_clock: FrameClock,
    out_clock: FrameClock,
    detector: FootstrikeDetector,
    telemetry: Telemetry,
    /// Own sounds rendered but not yet placed on the microphone's clock.
    unannounced: Vec<OwnSound>,
    /// The music played, read into band levels as the detector reads.
    music: MusicHeard,
    setup: MicSetup,
}

impl Worker {
    fn run(
        &mut self,
        mut samples: rtrb::Consumer<f32>,
        mut in_stamps: rtrb::Consumer<Stamp>,
        mut out_stamps: rtrb::Consumer<Stamp>,
        mut own_sounds: OwnSounds,
        inbox: Receiver<Telemetry>,
        events: Sender<SessionEvent>,
    ) {
        loop {
            loop {
                match inbox.try_recv() {
                    Ok(telemetry) => self.telemetry = telemetry,
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => return,
                }
            }
            while let Ok(stamp) = in_stamps.pop() {
                self.in_clock.add(stamp);
            }
            while let Ok(stamp) = out_stamps.pop() {
                self.out_clock.add(stamp);
            }
            while let Ok(sound) = own_sounds.marks.pop() {
                self.unannounced.push(sound);
            }
            self.announce_own_sounds();
            if let Some(music) = &mut own_sounds.music {
                self.announce_music(music);
            }
            let available = samples.slots();
            if let Ok(chunk) = samples.read_chunk(available) {
                let (first, second) = chunk.as_slices();
                let mut heard = Vec::new();
                for part in [first, second] {
                    heard.extend_from_slice(self.detector.process(part));
                }
                chunk.commit_all();
                for step in heard {
                    let Some(session_s) = self.place(step.frame) else {
                        continue;
                    };
                    if events.send(SessionEvent::HeardStep { session_s }).is_err() {
                        return;
                    }
                }
            }
            std::thread::sleep(POLL);
        }
    }

    /// Tells the detector where the microphone will hear each new click and
    /// each stretch of speech, once both clocks can say (the first
    /// callbacks may still be due).
    fn announce_own_sounds(&mut self) {
        while let Some(&sound) = self.unannounced.first() {
            let (OwnSound::Click(frame) | OwnSound::VoiceFrom(frame) | OwnSound::VoiceUntil(frame)) =
                sound;
            let Some(at) = self.heard_at(frame) else {
                return;
            };
            self.unannounced.remove(0);
            match sound {
                OwnSound::Click(_) => self.detector.expect_click(at),
                OwnSound::VoiceFrom(_) if self.setup.gate_voice => {
                    self.detector.expect_voice_from(at);
                }
                OwnSound::VoiceUntil(_) if self.setup.gate_voice => {
                    self.detector.expect_voice_until(at);
                }
                OwnSound::VoiceFrom(_) | OwnSound::VoiceUntil(_) => {}
            }
        }
    }

    /// Tells the detector the music's band levels, hop by hop, where the
    /// microphone will hear them. Music played before both clocks could
    /// say is passed over (the detector hears it as it would untold).
    fn announce_music(&mut self, chunks: &mut rtrb::Consumer<MusicChunk>) {
        while let Ok(chunk) = chunks.pop() {
            for (frame, levels) in self.music.hops(&chunk) {
                if let Some(at) = self.heard_at(frame) {
                    self.detector.expect_music(at, levels);
                }
            }
        }
    }

    /// Where the microphone hears what output device frame `frame` played.
    fn heard_at(&self, frame: DeviceFrame) -> Option<u64> {
        self.out_clock
            .time_of(frame.0 as f64)
            .and_then(|t| self.in_clock.frame_at(t + self.setup.latency_s))
            .map(|at| at.max(0.0) as u64)
    }

    /// Session time of output device frame `frame`, by the latest telemetry.
    fn session_s(&self, device_frame: f64) -> f64 {
        SessionAnchor::of(&self.telemetry)
            .session_s_at(device_frame, SampleRate(self.setup.output_rate))
    }

    /// Session time of a step heard at input frame `frame`: on the output
    /// clock, the round trip taken off (`None` until both clocks can say).
    fn place(&self, frame: u64) -> Option<f64> {
        let device_frame = self
            .in_clock
            .time_of(frame as f64)
            .and_then(|t| self.out_clock.frame_at(t - self.setup.latency_s))?;
        Some(self.session_s(device_frame))
    }
}

/// The music as played, read by a filter bank like the detector's: band
/// levels per hop, each dated by the device frame where its hop ends.
struct MusicHeard {
    bank: FilterBank,
    /// The device frame after the last sample read (a gap in the chunks,
    /// lost to a full ring, starts the bank afresh).
    next: Option<u64>,
    rate: u32,
}

impl MusicHeard {
    fn new(output_rate: u32) -> MusicHeard {
        MusicHeard {
            bank: FilterBank::new(output_rate),
            next: None,
            rate: output_rate,
        }
    }

    fn hops(&mut self, chunk: &MusicChunk) -> Vec<(DeviceFrame, [f32; BAND_COUNT])> {
        if self.next != Some(chunk.from.0) {
            self.bank = FilterBank::new(self.rate);
        }
        self.next = Some(chunk.from.0 + chunk.len as u64);
        let mut hops = Vec::new();
        for (i, &x) in chunk.samples[..chunk.len].iter().enumerate() {
            if let Some(levels) = self.bank.push(x) {
                hops.push((DeviceFrame(chunk.from.0 + i as u64 + 1), levels));
            }
        }
        hops
    }
}

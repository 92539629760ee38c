//! The microphone side of a live session (`run --mic`): a worker thread
//! that drains the capture ring, runs the detector, places each heard step
//! on the output clock (the calibrated round trip taken off), holds it
//! against the clicks the engine actually played, and tells the control
//! loop what it heard and what the coach should say.
//!
//! Clocks: both streams' callbacks are stamped with one `Instant`; the
//! engine reports the device frame of every click it starts and of every
//! stretch of speech, which the detector is told to expect. A step heard
//! at input frame i happened at wall time in(i) − latency, which is output
//! device frame out⁻¹(that), and its beat is the nearest click there.

use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::clock::{FrameClock, SessionAnchor, Stamp};
use crate::detect::{DetectorOptions, FootstrikeDetector, Judgement, StepJudge, Tolerances};
use crate::engine::{OwnSound, Telemetry};
use crate::io::input::{Capture, InputHealth};
use crate::plan::Timeline;
use crate::units::SampleRate;

/// How often the worker wakes to drain the ring.
const POLL: Duration = Duration::from_millis(5);

/// What the worker needs beyond the capture.
pub struct ListenSetup {
    pub output_rate: u32,
    /// Input + output latency measured by `treadbeat calibrate` (s).
    pub latency_s: f64,
    /// The click as the microphone may hear it, at the input rate.
    pub click_sound: Option<Vec<f32>>,
    pub faded_feedback: bool,
    /// Stop listening while the coach speaks (it reaches the microphone).
    pub gate_voice: bool,
    pub tolerances: Tolerances,
}

pub struct Listener {
    _stream: cpal::Stream,
    pub device_name: String,
    /// Every engine telemetry snapshot, forwarded by the control loop.
    pub to_worker: Sender<Telemetry>,
    /// Samples the capture ring had no room for, and device overruns.
    pub health: Arc<InputHealth>,
    pub heard: Receiver<Judgement>,
    worker: Option<JoinHandle<()>>,
}

impl Listener {
    /// Starts the worker on a running capture. `output_stamps` is the
    /// output callback's stamp ring (see `io::output::start`).
    pub fn start(
        capture: Capture,
        output_stamps: rtrb::Consumer<Stamp>,
        own_sounds: rtrb::Consumer<OwnSound>,
        timeline: &Timeline,
        setup: ListenSetup,
    ) -> Listener {
        let (to_worker, inbox) = mpsc::channel();
        let (outbox, heard) = mpsc::channel();
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
            timeline: timeline.clone(),
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
            judge: StepJudge::new(setup.tolerances, setup.faded_feedback),
            telemetry: Telemetry::default(),
            unannounced: Vec::new(),
            setup,
        };
        if let Some(click) = &worker.setup.click_sound {
            worker.detector.set_click_sound(click);
        }
        let handle = std::thread::spawn(move || {
            worker.run(samples, stamps, output_stamps, own_sounds, inbox, outbox);
        });
        Listener {
            _stream: stream,
            device_name,
            to_worker,
            health,
            heard,
            worker: Some(handle),
        }
    }
}

impl Drop for Listener {
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
    timeline: Timeline,
    in_clock: FrameClock,
    out_clock: FrameClock,
    detector: FootstrikeDetector,
    judge: StepJudge,
    telemetry: Telemetry,
    /// Own sounds rendered but not yet placed on the microphone's clock.
    unannounced: Vec<OwnSound>,
    setup: ListenSetup,
}

impl Worker {
    fn run(
        &mut self,
        mut samples: rtrb::Consumer<f32>,
        mut in_stamps: rtrb::Consumer<Stamp>,
        mut out_stamps: rtrb::Consumer<Stamp>,
        mut own_sounds: rtrb::Consumer<OwnSound>,
        inbox: Receiver<Telemetry>,
        outbox: Sender<Judgement>,
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
            while let Ok(sound) = own_sounds.pop() {
                self.unannounced.push(sound);
            }
            self.announce_own_sounds();
            let available = samples.slots();
            if let Ok(chunk) = samples.read_chunk(available) {
                let (first, second) = chunk.as_slices();
                let mut heard = Vec::new();
                for part in [first, second] {
                    heard.extend_from_slice(self.detector.process(part));
                }
                chunk.commit_all();
                for step in heard {
                    for message in self.place(step.frame) {
                        if outbox.send(message).is_err() {
                            return;
                        }
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
            let heard_at = self
                .out_clock
                .time_of(frame as f64)
                .and_then(|t| self.in_clock.frame_at(t + self.setup.latency_s));
            let Some(at) = heard_at else { return };
            self.unannounced.remove(0);
            let at = at.max(0.0) as u64;
            match sound {
                OwnSound::Click(_) => {
                    self.detector.expect_click(at);
                    let session_s = self.session_s(frame as f64);
                    self.judge.click(session_s);
                }
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

    /// Session time of output device frame `frame`, by the latest telemetry.
    fn session_s(&self, device_frame: f64) -> f64 {
        SessionAnchor::of(&self.telemetry)
            .session_s_at(device_frame, SampleRate(self.setup.output_rate))
    }

    /// A heard step at input frame `frame`: on the output clock, then
    /// judged against the clicks.
    fn place(&mut self, frame: u64) -> Vec<Judgement> {
        let Some(device_frame) = self
            .in_clock
            .time_of(frame as f64)
            .and_then(|t| self.out_clock.frame_at(t - self.setup.latency_s))
        else {
            return Vec::new();
        };
        let session_s = self.session_s(device_frame);
        let target = target_spm(&self.timeline, session_s, self.telemetry.nudge_spm);
        self.judge.step(session_s, target)
    }
}

/// The cadence the clicks ask for at session time `t`, nudges included.
pub fn target_spm(timeline: &Timeline, t: f64, nudge_spm: f64) -> Option<f64> {
    Some(timeline.clicked_cadence_at(t)? + nudge_spm)
}

//! `treadbeat calibrate`: how long a click takes from the engine to the
//! microphone and back into the program (output plus input latency), so
//! that `run --mic` can report a step's true offset from the beat.
//!
//! Loopback (default): clicks play through the speakers (or a loopback
//! device) and are recorded; each click's latency is the time from the
//! output callback that rendered it to the moment the microphone captured
//! it, both on one wall clock (see `io::stamps`). With headphones the
//! microphone hears nothing: `--tap` asks the runner to press Enter on
//! every click instead and takes the median, plus the input buffer.

use std::io::BufRead;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rtrb::RingBuffer;

use super::cli::CalibrateArgs;
use super::console::outln;
use super::failure::{CommandResult, Failure};
use super::session_build::build_renderer;
use super::session_spec::SessionSpec;
use super::speech_setup::ClipHolding;
use crate::clock::{FrameClock, Stamp};
use crate::detect::ClickOnsets;
use crate::engine::{Controls, LiveEngine, Telemetry};
use crate::io::config::{save_calibration, Calibration, LOOPBACK_METHOD, TAP_METHOD};
use crate::io::input::{start_capture, Capture};
use crate::io::output::{plan_output, start, OutputPlan, OutputRequest, StreamHealth};

/// A click is matched to a capture onset at most this long after it.
const LONGEST_LATENCY_S: f64 = 0.5;
/// Below this share of the loudest sample the microphone is quiet.
const ONSET_SHARE: f32 = 0.3;

pub fn run(args: &CalibrateArgs) -> CommandResult {
    let plan = plan_output(&OutputRequest {
        device: args.device.clone(),
        ..OutputRequest::default()
    })
    .map_err(|e| Failure::device(e.to_string()))?;
    let measured = measure(args, &plan)?;
    let mut latencies = match_latencies(&measured.clicks, &measured.heard);
    if latencies.len() < 5 {
        return Err(Failure::device(if args.tap {
            format!(
                "only {} taps matched a click; try again, pressing Enter on each click",
                latencies.len()
            )
        } else {
            format!(
                "the microphone heard {} of {} clicks: turn the speakers up, or with headphones use `treadbeat calibrate --tap`",
                latencies.len(),
                measured.clicks.len()
            )
        }));
    }
    latencies.sort_by(f64::total_cmp);
    let at = |p: f64| latencies[((latencies.len() - 1) as f64 * p).round() as usize];
    let (median, spread) = (at(0.5), at(0.75) - at(0.25));
    let calibration = Calibration {
        latency_ms: median * 1000.0,
        spread_ms: spread * 1000.0,
        method: measured.method.to_string(),
        output: plan.device_name.clone(),
        input: measured.input_name,
    };
    let path = save_calibration(&calibration).map_err(|e| Failure::device(e.to_string()))?;
    outln!(
        "Round trip {:.1} ms (spread {:.1} ms over {} clicks, {}); saved to {}.",
        calibration.latency_ms,
        calibration.spread_ms,
        latencies.len(),
        measured.method,
        path.display()
    );
    Ok(())
}

/// When each click played and when each was heard (or tapped), in
/// seconds on one wall clock.
struct Measured {
    clicks: Vec<f64>,
    heard: Vec<f64>,
    method: &'static str,
    input_name: String,
}

/// Plays the calibration clicks and listens (or takes taps) until they end.
fn measure(args: &CalibrateArgs, plan: &OutputPlan) -> Result<Measured, Failure> {
    let rate = plan.rate();
    let seconds = args.seconds;
    let spec = SessionSpec::for_calibration(seconds);
    let mut renderer = build_renderer(&spec, rate, &[], ClipHolding::InMemory)?.renderer;
    renderer.set_lead_in(u64::from(rate.0) / 2);
    let (engine, controls) = LiveEngine::new(renderer);
    let capture = if args.tap {
        None
    } else {
        Some(
            start_capture(args.mic.as_deref(), rate.0)
                .map_err(|e| Failure::device(e.to_string()))?,
        )
    };
    let (stamps, out_stamps) = RingBuffer::new(1 << 14);
    let health = std::sync::Arc::new(StreamHealth::default());
    let _stream =
        start(plan, engine, health, Some(stamps)).map_err(|e| Failure::device(e.to_string()))?;
    let epoch = Instant::now();
    let taps = args.tap.then(spawn_tap_reader);
    if args.tap {
        outln!("Press Enter on every click you hear, for {seconds:.0} s…");
    } else {
        outln!("Playing clicks for {seconds:.0} s; keep the microphone where it will be while you run…");
    }
    let mut listening = Listening {
        out_clock: FrameClock::new(epoch, rate.0),
        out_stamps,
        controls,
        capture,
        recorded: Recorded::default(),
        taps,
        epoch,
        clicks: Vec::new(),
        tap_times: Vec::new(),
        last: Telemetry::default(),
    };
    let deadline = Instant::now() + Duration::from_secs_f64(seconds + 1.5);
    while Instant::now() < deadline && !listening.last.finished {
        std::thread::sleep(Duration::from_millis(10));
        listening.poll();
    }
    Ok(listening.finish())
}

/// The calibration as it runs: clicks on the output clock, what the
/// microphone captured, the taps.
struct Listening {
    out_clock: FrameClock,
    out_stamps: rtrb::Consumer<Stamp>,
    controls: Controls,
    capture: Option<Capture>,
    recorded: Recorded,
    taps: Option<mpsc::Receiver<Instant>>,
    epoch: Instant,
    clicks: Vec<f64>,
    tap_times: Vec<f64>,
    last: Telemetry,
}

impl Listening {
    fn poll(&mut self) {
        while let Ok(stamp) = self.out_stamps.pop() {
            self.out_clock.add(stamp);
        }
        while let Ok(t) = self.controls.telemetry.pop() {
            if let Some(frame) = t.last_click_frame.filter(|_| t.clicks != self.last.clicks) {
                if let Some(at) = self.out_clock.time_of(frame.0 as f64) {
                    self.clicks.push(at);
                }
            }
            self.last = t;
        }
        if let Some(c) = &mut self.capture {
            self.recorded.drain(c);
        }
        if let Some(taps) = &self.taps {
            while let Ok(at) = taps.try_recv() {
                let since = at.saturating_duration_since(self.epoch).as_secs_f64();
                self.tap_times.push(since);
            }
        }
    }

    /// The last captured echoes, then what was heard.
    fn finish(mut self) -> Measured {
        let Some(capture) = &mut self.capture else {
            return Measured {
                clicks: self.clicks,
                heard: self.tap_times,
                method: TAP_METHOD,
                input_name: "keyboard".to_string(),
            };
        };
        std::thread::sleep(Duration::from_millis(300));
        self.recorded.drain(capture);
        Measured {
            heard: self.recorded.onset_times(self.epoch, capture.sample_rate),
            clicks: self.clicks,
            method: LOOPBACK_METHOD,
            input_name: capture.device_name.clone(),
        }
    }
}

/// For each click, the first heard time within LONGEST_LATENCY_S after it.
fn match_latencies(clicks: &[f64], heard: &[f64]) -> Vec<f64> {
    clicks
        .iter()
        .filter_map(|c| {
            heard
                .iter()
                .map(|h| h - c)
                .find(|d| (-0.05..LONGEST_LATENCY_S).contains(d))
        })
        .collect()
}

/// What the microphone captured, with its callback stamps.
#[derive(Default)]
struct Recorded {
    samples: Vec<f32>,
    stamps: Vec<Stamp>,
}

impl Recorded {
    fn drain(&mut self, capture: &mut Capture) {
        while let Ok(x) = capture.samples.pop() {
            self.samples.push(x);
        }
        while let Ok(s) = capture.stamps.pop() {
            self.stamps.push(s);
        }
    }

    /// Seconds since `epoch` of every click onset in the capture.
    fn onset_times(&self, epoch: Instant, rate: u32) -> Vec<f64> {
        let mut clock = FrameClock::new(epoch, rate);
        for s in &self.stamps {
            clock.add(*s);
        }
        let peak = self.samples.iter().fold(0.0f32, |m, x| m.max(x.abs()));
        if peak < 1e-4 {
            return Vec::new();
        }
        let threshold = ONSET_SHARE * peak;
        ClickOnsets {
            loud: threshold,
            quiet: threshold,
            quiet_frames: (0.15 * f64::from(rate)) as usize,
        }
        .find(&self.samples)
        .into_iter()
        .filter_map(|i| clock.time_of(i as f64))
        .collect()
    }
}

/// Enter presses, stamped as they arrive.
fn spawn_tap_reader() -> mpsc::Receiver<Instant> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for _ in std::io::stdin().lock().lines().map_while(Result::ok) {
            if sender.send(Instant::now()).is_err() {
                break;
            }
        }
    });
    receiver
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_click_takes_the_first_sound_after_it() {
        let clicks = [1.0, 1.6, 2.2];
        let heard = [1.031, 1.3, 1.629, 2.5];
        let latencies = match_latencies(&clicks, &heard);
        assert_eq!(latencies.len(), 3);
        assert!((latencies[0] - 0.031).abs() < 1e-9);
        assert!((latencies[1] - 0.029).abs() < 1e-9);
        assert!((latencies[2] - 0.3).abs() < 1e-9);
    }
}

//! Measures live output latency and its jitter through a loopback: the
//! engine plays a click every 0.5 s to an output device while an input
//! stream records that device's monitor (PulseAudio: `nullsink.monitor` as
//! the default source, see .ci/pulse-up). Each click's latency is the time
//! from the output callback that rendered it to the input callback that
//! captured it, both stamped on one wall clock (`Instant`), since over the
//! ALSA pulse plugin the streams' own timestamps have different origins.
//!
//! Run: `source .ci/pulse-up; cargo run --release --example loopback_latency -- 128`
//! (arguments: buffer frames, or `default`; seconds, default 10).

use std::time::{Duration, Instant};

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{BufferSize, StreamConfig};
use rtrb::RingBuffer;
use treadbeat::engine::{renderer_for, ClickSounds, ClickStyle, LiveEngine};
use treadbeat::io::output::device_key;
use treadbeat::plan::{ClickSettings, SoundName, Timeline};
use treadbeat::units::SampleRate;

const RATE: u32 = 48000;
const CLICK_EVERY: usize = 24_000; // 120 spm

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let buffer = match args.first().map(String::as_str) {
        None | Some("default") => BufferSize::Default,
        Some(n) => BufferSize::Fixed(n.parse().expect("buffer: frames or `default`")),
    };
    let seconds: f64 = args.get(1).map_or(10.0, |s| s.parse().expect("seconds"));

    let host = cpal::default_host();
    let find = |devices: Vec<cpal::Device>| devices.into_iter().find(|d| device_key(d) == "pulse");
    let output = find(host.output_devices().unwrap().collect()).expect("no `pulse` output");
    let input = find(host.input_devices().unwrap().collect()).expect("no `pulse` input");
    let config = StreamConfig {
        channels: 2,
        sample_rate: RATE,
        buffer_size: buffer,
    };

    let timeline = Timeline::metronome(120.0, seconds, ClickSettings::default());
    let rate = SampleRate(RATE);
    let style = ClickStyle::PLAIN;
    let renderer = renderer_for(
        &timeline,
        ClickSounds::builtin(SoundName::Beep, rate),
        style,
        rate,
    );
    let (mut engine, _controls) = LiveEngine::new(renderer);

    // (when, first frame, frames) of every output and input callback.
    let (mut out_stamps, mut out_stamps_rx) = RingBuffer::<(Instant, u64, usize)>::new(1 << 16);
    let (mut in_stamps, mut in_stamps_rx) = RingBuffer::<(Instant, u64, usize)>::new(1 << 16);
    let (mut in_samples, mut in_samples_rx) =
        RingBuffer::<f32>::new((seconds as usize + 2) * RATE as usize);
    let (mut played, mut heard) = (0u64, 0u64);

    let out_stream = output
        .build_output_stream::<f32, _, _>(
            config,
            move |data, _| {
                engine.process(data, 2);
                let frames = data.len() / 2;
                let _ = out_stamps.push((Instant::now(), played, frames));
                played += frames as u64;
            },
            |e| eprintln!("output: {e}"),
            None,
        )
        .unwrap();
    let in_stream = input
        .build_input_stream::<f32, _, _>(
            config,
            move |data: &[f32], _| {
                let frames = data.len() / 2;
                let _ = in_stamps.push((Instant::now(), heard, frames));
                for frame in data.chunks_exact(2) {
                    let _ = in_samples.push(frame[0]);
                }
                heard += frames as u64;
            },
            |e| eprintln!("input: {e}"),
            None,
        )
        .unwrap();
    in_stream.play().unwrap();
    out_stream.play().unwrap();
    std::thread::sleep(Duration::from_secs_f64(seconds + 0.5));
    drop(out_stream);
    drop(in_stream);

    let out: Vec<_> = std::iter::from_fn(|| out_stamps_rx.pop().ok()).collect();
    let inp: Vec<_> = std::iter::from_fn(|| in_stamps_rx.pop().ok()).collect();
    let samples: Vec<f32> = std::iter::from_fn(|| in_samples_rx.pop().ok()).collect();
    let sr = f64::from(RATE);
    // When output frame f was handed over: its callback's stamp plus its
    // offset in the block (the moment it would play, were the block to
    // start playing at once).
    let out_time = |f: u64| -> Option<Instant> {
        let (at, start, _) = out
            .iter()
            .find(|(_, start, n)| f >= *start && f < start + *n as u64)?;
        Some(*at + Duration::from_secs_f64((f - start) as f64 / sr))
    };
    // When input sample s was captured: the block arrives after its last
    // sample, so sample s is (end − s) frames before the callback.
    let in_time = |s: u64| -> Option<Instant> {
        let (at, start, n) = inp
            .iter()
            .find(|(_, start, n)| s >= *start && s < start + *n as u64)?;
        at.checked_sub(Duration::from_secs_f64((start + *n as u64 - s) as f64 / sr))
    };
    let onsets: Vec<u64> = treadbeat::detect::ClickOnsets {
        loud: 0.02,
        quiet: 0.02,
        quiet_frames: 2001,
    }
    .find(&samples)
    .into_iter()
    .map(|i| i as u64)
    .collect();
    let mut latencies: Vec<f64> = onsets
        .iter()
        .enumerate()
        .filter_map(|(k, onset)| {
            let sent = out_time((k * CLICK_EVERY) as u64)?;
            let got = in_time(*onset)?;
            Some(got.checked_duration_since(sent)?.as_secs_f64() * 1000.0)
        })
        .collect();
    let clicks = latencies.len();
    latencies.sort_by(f64::total_cmp);
    if clicks == 0 {
        println!("no clicks heard");
        return;
    }
    let median = latencies[clicks / 2];
    let mean = latencies.iter().sum::<f64>() / clicks as f64;
    let sd = (latencies.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / clicks as f64).sqrt();
    println!(
        "buffer {:?}: {clicks} clicks, latency median {median:.2} ms (min {:.2}, max {:.2}), jitter sd {sd:.2} ms",
        buffer,
        latencies[0],
        latencies[clicks - 1]
    );
}

//! Live playback through cpal: find a device, agree a configuration, run
//! the engine in the device's callback.
//!
//! The callback body is the engine's `process` and a sample-format
//! conversion into memory allocated before the stream starts; nothing else.
//! Errors from the device are counted in atomics (never logged from the
//! audio thread); the control thread reads them.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{BufferSize, FromSample, SampleFormat, SizedSample, StreamConfig, SupportedBufferSize};
use thiserror::Error;

use rtrb::Producer;
use std::time::Instant;

use super::playback_stamp::PlaybackStamp;
use crate::clock::Stamp;
use crate::engine::LiveEngine;
use crate::units::SampleRate;

/// The rate we ask for when the device offers it: what most headphones run at.
pub const PREFERRED_RATE: u32 = 48000;
/// Default buffer: 1024 frames is 21 ms at 48 kHz. Clicks are scheduled,
/// not triggered, so latency costs nothing but key response; 256 frames
/// and 512 under-ran through PulseAudio on the test VM (docs/figures.md).
pub const DEFAULT_BUFFER: u32 = 1024;
/// Scratch for devices that want a format other than f32.
const SCRATCH_SAMPLES: usize = 1 << 16;

#[derive(Debug, Error)]
pub enum OutputError {
    #[error("no audio output device{0}: use `treadbeat render PROFILE -o OUT.wav` to write the session to a file, or `treadbeat devices` to see what is there")]
    NoDevice(String),
    #[error("no output device named \"{0}\" (see `treadbeat devices`)")]
    UnknownDevice(String),
    #[error("{device} does not play {rate} Hz (it offers {offered})")]
    UnsupportedRate {
        device: String,
        rate: u32,
        offered: String,
    },
    #[error("{device} takes buffers of {min} to {max} frames, not {asked}")]
    UnsupportedBuffer {
        device: String,
        asked: u32,
        min: u32,
        max: u32,
    },
    #[error("cannot open audio output {device}: {reason} (`treadbeat render PROFILE -o OUT.wav` writes the session to a file instead; `treadbeat devices` lists devices)")]
    Open { device: String, reason: String },
}

impl OutputError {
    /// Whether the user asked for something impossible (exit 1) rather
    /// than the device failing (exit 2).
    pub fn is_invalid_request(&self) -> bool {
        matches!(
            self,
            OutputError::UnknownDevice(_)
                | OutputError::UnsupportedRate { .. }
                | OutputError::UnsupportedBuffer { .. }
        )
    }
}

/// What the user asked for; `None` means "choose for me".
#[derive(Debug, Clone, Default)]
pub struct OutputRequest {
    pub device: Option<String>,
    pub buffer: Option<u32>,
    pub sample_rate: Option<u32>,
}

/// Counters the device's error callback fills and the control thread reads.
#[derive(Debug, Default)]
pub struct StreamHealth {
    pub underruns: AtomicU64,
    pub errors: AtomicU64,
    pub device_lost: AtomicBool,
    /// When each block is heard, for threads that act on the audio clock
    /// (the MIDI sender); written by the data callback.
    pub playback: Arc<PlaybackStamp>,
}

/// A device and the configuration agreed with it, before any stream runs.
pub struct OutputPlan {
    pub device: cpal::Device,
    pub device_name: String,
    pub config: StreamConfig,
    pub format: SampleFormat,
}

impl OutputPlan {
    pub fn rate(&self) -> SampleRate {
        SampleRate(self.config.sample_rate)
    }
    pub fn channels(&self) -> usize {
        usize::from(self.config.channels)
    }
    pub fn buffer_text(&self) -> String {
        match self.config.buffer_size {
            BufferSize::Fixed(n) => format!("{n} frames"),
            BufferSize::Default => "the device's default buffer".to_string(),
        }
    }
}

/// The name a user types for a device: its id without the host prefix.
pub fn device_key(device: &cpal::Device) -> String {
    let id = device.id().map(|id| id.to_string()).unwrap_or_default();
    id.split_once(':')
        .map_or(id.clone(), |(_, rest)| rest.to_string())
}

pub fn device_label(device: &cpal::Device) -> String {
    device
        .description()
        .map(|d| d.name().to_string())
        .unwrap_or_else(|_| device_key(device))
}

fn find_device(host: &cpal::Host, name: Option<&str>) -> Result<cpal::Device, OutputError> {
    let Some(name) = name else {
        return host
            .default_output_device()
            .ok_or(OutputError::NoDevice(String::new()));
    };
    let devices = host
        .output_devices()
        .map_err(|e| OutputError::NoDevice(format!(" ({e})")))?;
    for device in devices {
        if device_key(&device) == name || device_label(&device) == name {
            return Ok(device);
        }
    }
    Err(OutputError::UnknownDevice(name.to_string()))
}

/// Picks device, rate, channels, format and buffer size for a request.
pub fn plan_output(request: &OutputRequest) -> Result<OutputPlan, OutputError> {
    super::quiet::quietly(|| negotiate(request))
}

fn negotiate(request: &OutputRequest) -> Result<OutputPlan, OutputError> {
    let host = cpal::default_host();
    let device = find_device(&host, request.device.as_deref())?;
    let device_name = device_key(&device);
    let open_error = |e: &dyn std::fmt::Display| OutputError::Open {
        device: device_name.clone(),
        reason: e.to_string(),
    };
    let default = device.default_output_config().map_err(|e| open_error(&e))?;
    let ranges: Vec<_> = device
        .supported_output_configs()
        .map_err(|e| open_error(&e))?
        .filter(|r| r.channels() == default.channels())
        .collect();
    let offers = |rate: u32| {
        ranges
            .iter()
            .any(|r| (r.min_sample_rate()..=r.max_sample_rate()).contains(&rate))
    };
    let rate = match request.sample_rate {
        Some(rate) if offers(rate) => rate,
        Some(rate) => {
            let offered: Vec<String> = ranges
                .iter()
                .map(|r| format!("{}-{} Hz", r.min_sample_rate(), r.max_sample_rate()))
                .collect();
            return Err(OutputError::UnsupportedRate {
                device: device_name,
                rate,
                offered: offered.join(", "),
            });
        }
        None if offers(PREFERRED_RATE) => PREFERRED_RATE,
        None => default.sample_rate(),
    };
    let format = [
        SampleFormat::F32,
        SampleFormat::I16,
        SampleFormat::I32,
        SampleFormat::U16,
    ]
    .into_iter()
    .find(|f| ranges.iter().any(|r| r.sample_format() == *f))
    .unwrap_or(default.sample_format());
    let buffer_range = ranges.iter().find_map(|r| match r.buffer_size() {
        SupportedBufferSize::Range { min, max } => Some((*min, *max)),
        SupportedBufferSize::Unknown => None,
    });
    let buffer_size = match (request.buffer, buffer_range) {
        (Some(asked), Some((min, max))) if !(min..=max).contains(&asked) => {
            return Err(OutputError::UnsupportedBuffer {
                device: device_name,
                asked,
                min,
                max,
            });
        }
        (Some(asked), _) => BufferSize::Fixed(asked),
        (None, Some((min, max))) if (min..=max).contains(&DEFAULT_BUFFER) => {
            BufferSize::Fixed(DEFAULT_BUFFER)
        }
        (None, _) => BufferSize::Default,
    };
    let config = StreamConfig {
        channels: default.channels(),
        sample_rate: rate,
        buffer_size,
    };
    Ok(OutputPlan {
        device,
        device_name,
        config,
        format,
    })
}

/// Starts the stream; the engine moves into the audio callback. With
/// `stamps`, every callback also records when it ran and how many frames
/// had been played before it (for the microphone's clock).
pub fn start(
    plan: &OutputPlan,
    engine: LiveEngine,
    health: Arc<StreamHealth>,
    stamps: Option<Producer<Stamp>>,
) -> Result<cpal::Stream, OutputError> {
    super::quiet::quietly(|| start_quietly(plan, engine, health, stamps))
}

fn start_quietly(
    plan: &OutputPlan,
    mut engine: LiveEngine,
    health: Arc<StreamHealth>,
    stamps: Option<Producer<Stamp>>,
) -> Result<cpal::Stream, OutputError> {
    let channels = plan.channels();
    let h = health;
    let s = stamps;
    let stream = match plan.format {
        // f32 devices: render straight into the device buffer.
        SampleFormat::F32 => build(plan, h, s, move |data: &mut [f32]| {
            engine.process(data, channels)
        }),
        SampleFormat::I16 => build(plan, h, s, converting::<i16>(engine, channels)),
        SampleFormat::I32 => build(plan, h, s, converting::<i32>(engine, channels)),
        SampleFormat::U16 => build(plan, h, s, converting::<u16>(engine, channels)),
        other => Err(OutputError::Open {
            device: plan.device_name.clone(),
            reason: format!("unsupported sample format {other}"),
        }),
    }?;
    stream.play().map_err(|e| OutputError::Open {
        device: plan.device_name.clone(),
        reason: e.to_string(),
    })?;
    Ok(stream)
}

/// A callback that renders into f32 scratch, allocated here before the
/// stream starts, and converts to the device's format.
fn converting<T: SizedSample + FromSample<f32>>(
    mut engine: LiveEngine,
    channels: usize,
) -> impl FnMut(&mut [T]) + Send + 'static {
    let mut scratch = vec![0.0f32; SCRATCH_SAMPLES - SCRATCH_SAMPLES % channels];
    move |data: &mut [T]| {
        for chunk in data.chunks_mut(scratch.len()) {
            let rendered = &mut scratch[..chunk.len()];
            engine.process(rendered, channels);
            for (out, x) in chunk.iter_mut().zip(rendered.iter()) {
                *out = T::from_sample(*x);
            }
        }
    }
}

fn build<T, F>(
    plan: &OutputPlan,
    health: Arc<StreamHealth>,
    mut stamps: Option<Producer<Stamp>>,
    mut render: F,
) -> Result<cpal::Stream, OutputError>
where
    T: SizedSample + Send + 'static,
    F: FnMut(&mut [T]) + Send + 'static,
{
    let stamp = Arc::clone(&health.playback);
    let channels = plan.channels().max(1);
    let mut device_frames = 0u64;
    let on_data = move |data: &mut [T], info: &cpal::OutputCallbackInfo| {
        // When this block's first frame will be heard: three atomic stores.
        let playback_ns = info.timestamp().playback.as_nanos() as u64;
        stamp.publish(device_frames, playback_ns);
        let first_frame = device_frames;
        device_frames += (data.len() / channels) as u64;
        // Debug builds prove the real-time rule on the live path too.
        #[cfg(debug_assertions)]
        assert_no_alloc::assert_no_alloc(|| render(data));
        #[cfg(not(debug_assertions))]
        render(data);
        if let Some(stamps) = &mut stamps {
            // A vDSO clock read, not a system call; a full ring skips.
            let _ = stamps.push(Stamp {
                at: Instant::now(),
                frames: first_frame,
            });
        }
    };
    let on_error = move |error: cpal::Error| match error.kind() {
        cpal::ErrorKind::Xrun => {
            health.underruns.fetch_add(1, Ordering::Relaxed);
        }
        cpal::ErrorKind::DeviceNotAvailable
        | cpal::ErrorKind::StreamInvalidated
        | cpal::ErrorKind::HostUnavailable => {
            health.device_lost.store(true, Ordering::Relaxed);
        }
        _ => {
            health.errors.fetch_add(1, Ordering::Relaxed);
        }
    };
    plan.device
        .build_output_stream::<T, _, _>(plan.config, on_data, on_error, None)
        .map_err(|e| OutputError::Open {
            device: plan.device_name.clone(),
            reason: e.to_string(),
        })
}

//! Microphone capture through cpal. The input callback does one thing:
//! mixes each frame to mono and copies it into a lock-free ring (rtrb),
//! then stamps the block with the wall clock so the worker can place the
//! samples in time. A full ring drops samples and counts them; it never
//! waits, allocates or locks.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{FromSample, SampleFormat, SizedSample, StreamConfig};
use rtrb::{Producer, RingBuffer};

use super::output::{device_key, device_label};
use crate::clock::Stamp;

/// Seconds of samples the ring holds for a slow worker.
const RING_S: u32 = 4;
/// Block stamps the ring holds.
const STAMP_SLOTS: usize = 4096;

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("no microphone (audio input device){0}: `treadbeat devices` lists inputs; run without --mic to play clicks only")]
    NoDevice(String),
    #[error("no input device named \"{0}\" (see `treadbeat devices`)")]
    UnknownDevice(String),
    #[error("cannot open microphone {device}: {reason}")]
    Open { device: String, reason: String },
}

impl InputError {
    pub fn is_invalid_request(&self) -> bool {
        matches!(self, InputError::UnknownDevice(_))
    }
}

/// Counters the input callbacks fill.
#[derive(Debug, Default)]
pub struct InputHealth {
    pub dropped: AtomicU64,
    pub overruns: AtomicU64,
}

/// A running capture: the stream and the worker's ends of its rings.
pub struct Capture {
    pub stream: cpal::Stream,
    pub samples: rtrb::Consumer<f32>,
    pub stamps: rtrb::Consumer<Stamp>,
    pub sample_rate: u32,
    pub device_name: String,
    pub health: Arc<InputHealth>,
}

fn find_input(host: &cpal::Host, name: Option<&str>) -> Result<cpal::Device, InputError> {
    let Some(name) = name else {
        return host
            .default_input_device()
            .ok_or(InputError::NoDevice(String::new()));
    };
    let devices = host
        .input_devices()
        .map_err(|e| InputError::NoDevice(format!(" ({e})")))?;
    for device in devices {
        if device_key(&device) == name || device_label(&device) == name {
            return Ok(device);
        }
    }
    Err(InputError::UnknownDevice(name.to_string()))
}

/// Opens the named (or default) microphone at its default configuration,
/// preferring `rate` where it is offered.
pub fn start_capture(name: Option<&str>, rate: u32) -> Result<Capture, InputError> {
    super::quiet::quietly(|| start_quietly(name, rate))
}

fn start_quietly(name: Option<&str>, rate: u32) -> Result<Capture, InputError> {
    let host = cpal::default_host();
    let device = find_input(&host, name)?;
    let device_name = device_key(&device);
    let open = |reason: String| InputError::Open {
        device: device_name.clone(),
        reason,
    };
    let default = device
        .default_input_config()
        .map_err(|e| open(e.to_string()))?;
    let offers_rate = device
        .supported_input_configs()
        .map_err(|e| open(e.to_string()))?
        .any(|r| {
            r.channels() == default.channels()
                && r.sample_format() == default.sample_format()
                && (r.min_sample_rate()..=r.max_sample_rate()).contains(&rate)
        });
    let config = StreamConfig {
        channels: default.channels(),
        sample_rate: if offers_rate {
            rate
        } else {
            default.sample_rate()
        },
        buffer_size: cpal::BufferSize::Default,
    };
    let (producer, samples) = RingBuffer::new((RING_S * config.sample_rate) as usize);
    let (stamp_tx, stamps) = RingBuffer::new(STAMP_SLOTS);
    let health = Arc::new(InputHealth::default());
    let channels = usize::from(config.channels);
    let h = Arc::clone(&health);
    let stream = match default.sample_format() {
        SampleFormat::F32 => build::<f32>(&device, &config, channels, producer, stamp_tx, h),
        SampleFormat::I16 => build::<i16>(&device, &config, channels, producer, stamp_tx, h),
        SampleFormat::I32 => build::<i32>(&device, &config, channels, producer, stamp_tx, h),
        SampleFormat::U16 => build::<u16>(&device, &config, channels, producer, stamp_tx, h),
        other => return Err(open(format!("unsupported sample format {other}"))),
    }
    .map_err(|e| open(e.to_string()))?;
    stream.play().map_err(|e| open(e.to_string()))?;
    Ok(Capture {
        stream,
        samples,
        stamps,
        sample_rate: config.sample_rate,
        device_name,
        health,
    })
}

fn build<T>(
    device: &cpal::Device,
    config: &StreamConfig,
    channels: usize,
    mut samples: Producer<f32>,
    mut stamps: Producer<Stamp>,
    health: Arc<InputHealth>,
) -> Result<cpal::Stream, cpal::Error>
where
    T: SizedSample + Send + 'static,
    f32: FromSample<T>,
{
    let mut frames = 0u64;
    let errors = Arc::clone(&health);
    device.build_input_stream::<T, _, _>(
        *config,
        move |data: &[T], _: &cpal::InputCallbackInfo| {
            let scale = 1.0 / channels as f32;
            for frame in data.chunks_exact(channels) {
                let mono: f32 = frame
                    .iter()
                    .map(|x| <f32 as FromSample<T>>::from_sample_(*x))
                    .sum::<f32>()
                    * scale;
                if samples.push(mono).is_err() {
                    health.dropped.fetch_add(1, Ordering::Relaxed);
                }
            }
            frames += (data.len() / channels) as u64;
            let _ = stamps.push(Stamp {
                at: Instant::now(),
                frames,
            });
        },
        move |_| {
            errors.overruns.fetch_add(1, Ordering::Relaxed);
        },
        None,
    )
}

//! `treadbeat devices`: what cpal sees — outputs and inputs with their
//! rates, channel counts and buffer ranges, the defaults marked.

use cpal::traits::{DeviceTrait, HostTrait};
use cpal::SupportedBufferSize;

use super::output::{device_key, device_label};

/// A device per line, then one line summing up what it offers.
pub fn describe_devices() -> Result<String, String> {
    super::quiet::quietly(describe)
}

fn describe() -> Result<String, String> {
    let host = cpal::default_host();
    let mut out = format!("Audio host: {}\n", host.id().name());
    let default_out = host.default_output_device().map(|d| device_key(&d));
    let default_in = host.default_input_device().map(|d| device_key(&d));
    let devices: Vec<cpal::Device> = host.devices().map_err(|e| e.to_string())?.collect();
    for (title, output, default) in [
        ("Outputs", true, &default_out),
        ("Inputs", false, &default_in),
    ] {
        out.push_str(&format!("\n{title}:\n"));
        let mut any = false;
        for device in &devices {
            let summary = if output {
                device
                    .supported_output_configs()
                    .ok()
                    .map(|c| summarize(c.collect()))
            } else {
                device
                    .supported_input_configs()
                    .ok()
                    .map(|c| summarize(c.collect()))
            };
            let Some(Some(summary)) = summary else {
                continue;
            };
            let key = device_key(device);
            let marker = if default.as_deref() == Some(key.as_str()) {
                "  (default)"
            } else {
                ""
            };
            let label = device_label(device);
            let name = if label == key {
                key.clone()
            } else {
                format!("{key} — {label}")
            };
            out.push_str(&format!("  {name}{marker}\n      {summary}\n"));
            any = true;
        }
        if !any {
            out.push_str("  (none)\n");
        }
    }
    Ok(out)
}

/// "1-32 ch, 1-384000 Hz, u8 i16 f32, buffer 16-174763 frames (stereo)".
fn summarize(ranges: Vec<cpal::SupportedStreamConfigRange>) -> Option<String> {
    let min_ch = ranges.iter().map(|r| r.channels()).min()?;
    let max_ch = ranges.iter().map(|r| r.channels()).max()?;
    let min_rate = ranges.iter().map(|r| r.min_sample_rate()).min()?;
    let max_rate = ranges.iter().map(|r| r.max_sample_rate()).max()?;
    let mut formats: Vec<String> = ranges
        .iter()
        .map(|r| r.sample_format().to_string())
        .collect();
    formats.dedup();
    formats.sort();
    formats.dedup();
    let stereo = ranges
        .iter()
        .find(|r| r.channels() == 2)
        .or(ranges.first())?;
    let buffer = match stereo.buffer_size() {
        SupportedBufferSize::Range { min, max } => format!("buffer {min}-{max} frames"),
        SupportedBufferSize::Unknown => "buffer size unknown".to_string(),
    };
    let span = |a: u32, b: u32| {
        if a == b {
            a.to_string()
        } else {
            format!("{a}-{b}")
        }
    };
    Some(format!(
        "{} ch, {} Hz, {}, {buffer}",
        span(u32::from(min_ch), u32::from(max_ch)),
        span(min_rate, max_rate),
        formats.join(" ")
    ))
}

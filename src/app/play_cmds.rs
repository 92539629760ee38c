//! `treadbeat run PROFILE`, `treadbeat click SPM` and `treadbeat devices`:
//! the session resolved once (`SessionSpec`) before a device is opened,
//! then the live session.

use super::cli::{ClickArgs, OutputArgs, RunArgs};
use super::console::out;
use super::failure::{CommandResult, Failure};
use super::live;
use super::session_spec::SessionSpec;
use crate::history::SessionKind;
use crate::io::output::OutputRequest;

fn request(output: &OutputArgs) -> OutputRequest {
    OutputRequest {
        device: output.device.clone(),
        buffer: output.buffer,
        sample_rate: output.sample_rate,
    }
}

pub fn run(args: &RunArgs) -> CommandResult {
    live::play(
        SessionSpec::for_run(args)?,
        request(&args.output),
        SessionKind::Run,
    )
}

pub fn click(args: &ClickArgs) -> CommandResult {
    live::play(
        SessionSpec::for_click(args)?,
        request(&args.output),
        SessionKind::Click,
    )
}

pub fn devices() -> CommandResult {
    let text = crate::io::devices::describe_devices()
        .map_err(|e| Failure::device(format!("cannot list audio devices: {e}")))?;
    out!("{text}");
    out!("{}", midi_ports_text());
    Ok(())
}

/// The MIDI section of `devices`: ports, or why there are none.
#[cfg(feature = "midi")]
fn midi_ports_text() -> String {
    match crate::io::midi_ports::ports::list_ports() {
        Ok((inputs, outputs)) => {
            let list = |names: Vec<String>| {
                if names.is_empty() {
                    "  (none)\n".to_string()
                } else {
                    names.iter().map(|n| format!("  {n}\n")).collect()
                }
            };
            format!(
                "\nMIDI outputs (for --midi-out; \"virtual\" opens a port named treadbeat):\n{}\nMIDI inputs (for --midi-in):\n{}",
                list(outputs),
                list(inputs)
            )
        }
        Err(crate::io::midi_ports::MidiError::Unavailable(reason)) => {
            format!("\nMIDI: unavailable ({reason})\n")
        }
        Err(error) => format!("\nMIDI: unavailable ({error})\n"),
    }
}

#[cfg(not(feature = "midi"))]
fn midi_ports_text() -> String {
    "\nMIDI: unavailable (built without the `midi` feature)\n".to_string()
}

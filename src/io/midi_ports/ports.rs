//! MIDI ports through midir: listing, opening an output (a named port or
//! a virtual one called "treadbeat") and an input.
//!
//! Where the system has no MIDI subsystem (no ALSA sequencer, or with the
//! `midi-jack` feature no running JACK server) midir fails to initialise;
//! that is one clear error, never a panic.

use midir::{Ignore, MidiInput, MidiInputConnection, MidiOutput, MidiOutputConnection};

use super::{MidiError, MidiSink, VIRTUAL};
use crate::io::quiet::quietly;

/// The client name other MIDI software sees.
const CLIENT: &str = "treadbeat";
const CLIENT_IN: &str = "treadbeat-in";

/// Input and output port names, or why MIDI is unavailable.
pub fn list_ports() -> Result<(Vec<String>, Vec<String>), MidiError> {
    let input =
        quietly(|| MidiInput::new(CLIENT_IN)).map_err(|e| MidiError::Unavailable(e.to_string()))?;
    let output =
        quietly(|| MidiOutput::new(CLIENT)).map_err(|e| MidiError::Unavailable(e.to_string()))?;
    let inputs = input
        .ports()
        .iter()
        .filter_map(|p| input.port_name(p).ok())
        .collect();
    let outputs = output
        .ports()
        .iter()
        .filter_map(|p| output.port_name(p).ok())
        .collect();
    Ok((inputs, outputs))
}

/// The port `wanted` names: an exact name, else the one port whose name
/// contains it (ALSA names carry client and port numbers nobody types).
fn pick(names: &[String], wanted: &str) -> Option<usize> {
    if let Some(i) = names.iter().position(|n| n == wanted) {
        return Some(i);
    }
    let lower = wanted.to_lowercase();
    let mut matches = names
        .iter()
        .enumerate()
        .filter(|(_, n)| n.to_lowercase().contains(&lower));
    match (matches.next(), matches.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

fn unknown(kind: &'static str, wanted: &str, names: Vec<String>) -> MidiError {
    MidiError::UnknownPort {
        kind,
        name: wanted.to_string(),
        available: if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        },
    }
}

struct MidirSink(MidiOutputConnection);

impl Drop for MidirSink {
    /// midir's JACK backend queues sends for the server's next period; a
    /// connection closed at once would lose the session's last Stop. A few
    /// periods' wait costs nothing at the end of a session.
    fn drop(&mut self) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

impl MidiSink for MidirSink {
    fn send(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.0.send(bytes).map_err(|e| e.to_string())
    }
}

/// Opens `name` (or a virtual port for "virtual") for sending.
pub fn open_output(name: &str) -> Result<Box<dyn MidiSink>, MidiError> {
    let output =
        quietly(|| MidiOutput::new(CLIENT)).map_err(|e| MidiError::Unavailable(e.to_string()))?;
    if name == VIRTUAL {
        #[cfg(unix)]
        {
            use midir::os::unix::VirtualOutput;
            let connection = output
                .create_virtual(CLIENT)
                .map_err(|e| MidiError::Connect(e.to_string()))?;
            return Ok(Box::new(MidirSink(connection)));
        }
        #[cfg(not(unix))]
        return Err(MidiError::Connect(
            "virtual ports need macOS or Linux; name a port from `treadbeat devices`".into(),
        ));
    }
    let ports = output.ports();
    let names: Vec<String> = ports
        .iter()
        .map(|p| output.port_name(p).unwrap_or_default())
        .collect();
    let Some(index) = pick(&names, name) else {
        return Err(unknown("output", name, names));
    };
    let connection = output
        .connect(&ports[index], CLIENT)
        .map_err(|e| MidiError::Connect(e.to_string()))?;
    Ok(Box::new(MidirSink(connection)))
}

/// An open input; dropping it closes the port.
pub struct InputPort(#[allow(dead_code)] MidiInputConnection<()>);

/// Opens `name` (or a virtual input port for "virtual"); `on_message`
/// runs on midir's thread with each complete message.
pub fn open_input(
    name: &str,
    mut on_message: impl FnMut(&[u8]) + Send + 'static,
) -> Result<InputPort, MidiError> {
    let mut input =
        quietly(|| MidiInput::new(CLIENT_IN)).map_err(|e| MidiError::Unavailable(e.to_string()))?;
    // Clock and active sensing from a master would only be noise here.
    input.ignore(Ignore::All);
    let callback = move |_: u64, bytes: &[u8], _: &mut ()| on_message(bytes);
    if name == VIRTUAL {
        #[cfg(unix)]
        {
            use midir::os::unix::VirtualInput;
            let connection = input
                .create_virtual(CLIENT_IN, callback, ())
                .map_err(|e| MidiError::Connect(e.to_string()))?;
            return Ok(InputPort(connection));
        }
        #[cfg(not(unix))]
        return Err(MidiError::Connect(
            "virtual ports need macOS or Linux; name a port from `treadbeat devices`".into(),
        ));
    }
    let ports = input.ports();
    let names: Vec<String> = ports
        .iter()
        .map(|p| input.port_name(p).unwrap_or_default())
        .collect();
    let Some(index) = pick(&names, name) else {
        return Err(unknown("input", name, names));
    };
    let connection = input
        .connect(&ports[index], CLIENT_IN, callback, ())
        .map_err(|e| MidiError::Connect(e.to_string()))?;
    Ok(InputPort(connection))
}

#[cfg(test)]
mod tests {
    use super::pick;

    #[test]
    fn ports_match_exactly_or_by_a_unique_part() {
        let names = vec![
            "Midi Through:Midi Through Port-0 14:0".to_string(),
            "USB Foot:USB Foot MIDI 1 20:0".to_string(),
            "USB Foot:USB Foot MIDI 2 20:1".to_string(),
        ];
        assert_eq!(
            pick(&names, "Midi Through:Midi Through Port-0 14:0"),
            Some(0)
        );
        assert_eq!(pick(&names, "through"), Some(0));
        assert_eq!(pick(&names, "MIDI 2"), Some(2));
        assert_eq!(pick(&names, "USB Foot"), None, "ambiguous");
        assert_eq!(pick(&names, "drum"), None);
    }
}

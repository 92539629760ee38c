//! In-process MIDI ports for tests: an output that records what was sent
//! and when, an input the test plays messages into.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::{InputHandler, MidiError, MidiPorts, MidiSink};

/// One message as a fake output received it.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    pub at: Instant,
    pub bytes: Vec<u8>,
}

/// Shared log of a fake output.
pub type SendLog = Arc<Mutex<Vec<Received>>>;

/// A fake output port: every send is appended to the log.
pub struct FakeSink {
    log: SendLog,
}

impl FakeSink {
    pub fn new() -> (FakeSink, SendLog) {
        let log = SendLog::default();
        (
            FakeSink {
                log: Arc::clone(&log),
            },
            log,
        )
    }
}

impl MidiSink for FakeSink {
    fn send(&mut self, bytes: &[u8]) -> Result<(), String> {
        let mut log = self
            .log
            .lock()
            .map_err(|_| "fake log poisoned".to_string())?;
        log.push(Received {
            at: Instant::now(),
            bytes: bytes.to_vec(),
        });
        Ok(())
    }
}

/// Fake ports: outputs log into `sent`; `play` feeds the open input.
#[derive(Default)]
pub struct FakePorts {
    pub sent: SendLog,
    input: Arc<Mutex<Option<InputHandler>>>,
    /// Port names that exist; others are unknown.
    pub names: Vec<String>,
}

impl FakePorts {
    pub fn with_ports(names: &[&str]) -> FakePorts {
        FakePorts {
            names: names.iter().map(|n| n.to_string()).collect(),
            ..FakePorts::default()
        }
    }

    /// Delivers a message to the open input, as a port's thread would.
    pub fn play(&self, bytes: &[u8]) {
        if let Some(handler) = self.input.lock().unwrap().as_mut() {
            handler(bytes);
        }
    }

    fn check(&self, kind: &'static str, name: &str) -> Result<(), MidiError> {
        if name == super::VIRTUAL || self.names.iter().any(|n| n == name) {
            Ok(())
        } else {
            Err(MidiError::UnknownPort {
                kind,
                name: name.to_string(),
                available: self.names.join(", "),
            })
        }
    }
}

impl MidiPorts for FakePorts {
    fn open_output(&self, name: &str) -> Result<Box<dyn MidiSink>, MidiError> {
        self.check("output", name)?;
        Ok(Box::new(FakeSink {
            log: Arc::clone(&self.sent),
        }))
    }

    fn open_input(&self, name: &str, on_message: InputHandler) -> Result<Box<dyn Send>, MidiError> {
        self.check("input", name)?;
        *self.input.lock().unwrap() = Some(on_message);
        Ok(Box::new(()))
    }
}

//! The renderer as the audio thread sees it: commands drained from a
//! lock-free ring before each block, a telemetry snapshot pushed after it.
//! Nothing here allocates, locks or waits; a full telemetry ring just
//! skips a snapshot.

use rtrb::{Consumer, Producer, RingBuffer};

use super::command::{Command, Telemetry};
use super::renderer::Renderer;

/// Ring sizes: a few hundred blocks of slack for a slow control thread.
const COMMAND_SLOTS: usize = 64;
const TELEMETRY_SLOTS: usize = 256;

pub struct LiveEngine {
    renderer: Renderer,
    commands: Consumer<Command>,
    telemetry: Producer<Telemetry>,
}

/// The control side's ends of the two rings.
pub struct Controls {
    pub commands: Producer<Command>,
    pub telemetry: Consumer<Telemetry>,
}

impl LiveEngine {
    pub fn new(renderer: Renderer) -> (LiveEngine, Controls) {
        let (command_tx, command_rx) = RingBuffer::new(COMMAND_SLOTS);
        let (telemetry_tx, telemetry_rx) = RingBuffer::new(TELEMETRY_SLOTS);
        let engine = LiveEngine {
            renderer,
            commands: command_rx,
            telemetry: telemetry_tx,
        };
        let controls = Controls {
            commands: command_tx,
            telemetry: telemetry_rx,
        };
        (engine, controls)
    }

    /// The audio callback's whole job, for one interleaved block.
    pub fn process(&mut self, out: &mut [f32], channels: usize) {
        while let Ok(command) = self.commands.pop() {
            self.renderer.apply(command);
        }
        self.renderer.process(out, channels);
        let _ = self.telemetry.push(self.renderer.telemetry());
    }
}

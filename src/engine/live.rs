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
    /// Device frames of clicks as they start, for a listener that must
    /// know them before they are heard (see `click_feed`).
    clicks: Option<Producer<u64>>,
    last_click: Option<u64>,
}

/// Clicks the feed holds for a slow reader.
const CLICK_SLOTS: usize = 256;

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
            clicks: None,
            last_click: None,
        };
        let controls = Controls {
            commands: command_tx,
            telemetry: telemetry_rx,
        };
        (engine, controls)
    }

    /// A ring that receives the device frame of every click as the block
    /// holding it is rendered: a block ahead of the listener hearing it,
    /// without waiting for the control loop.
    pub fn click_feed(&mut self) -> Consumer<u64> {
        let (producer, consumer) = RingBuffer::new(CLICK_SLOTS);
        self.clicks = Some(producer);
        consumer
    }

    /// The audio callback's whole job, for one interleaved block.
    pub fn process(&mut self, out: &mut [f32], channels: usize) {
        while let Ok(command) = self.commands.pop() {
            self.renderer.apply(command);
        }
        self.renderer.process(out, channels);
        let telemetry = self.renderer.telemetry();
        if let (Some(clicks), Some(frame)) = (&mut self.clicks, telemetry.last_click_frame) {
            if self.last_click != Some(frame) {
                self.last_click = Some(frame);
                let _ = clicks.push(frame);
            }
        }
        let _ = self.telemetry.push(telemetry);
    }
}

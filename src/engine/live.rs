//! The renderer as the audio thread sees it: commands drained from a
//! lock-free ring before each block, a telemetry snapshot pushed after it.
//! Nothing here allocates, locks or waits; a full telemetry ring just
//! skips a snapshot.

use rtrb::{Consumer, Producer, RingBuffer};

use super::command::{Command, Telemetry};
use super::music_tap::MusicChunk;
use super::renderer::Renderer;
use crate::units::DeviceFrame;

/// Ring sizes: a few hundred blocks of slack for a slow control thread.
const COMMAND_SLOTS: usize = 64;
const TELEMETRY_SLOTS: usize = 256;

pub struct LiveEngine {
    renderer: Renderer,
    commands: Consumer<Command>,
    telemetry: Producer<Telemetry>,
    /// The app's own sounds as they are rendered, for a listener that must
    /// know them before they are heard (see `own_sound_feed`).
    own_sounds: Option<Producer<OwnSound>>,
    last_click: Option<DeviceFrame>,
    was_speaking: bool,
}

/// Sounds the feed holds for a slow reader.
const OWN_SOUND_SLOTS: usize = 256;

/// A sound of the app's own, on the output device's frame clock: what a
/// microphone near the speakers will hear and must not take for a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnSound {
    /// A click starts at this device frame.
    Click(DeviceFrame),
    /// The coach's voice (or an earcon) sounds from the block starting at
    /// this device frame...
    VoiceFrom(DeviceFrame),
    /// ... until the block ending at this one.
    VoiceUntil(DeviceFrame),
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
            own_sounds: None,
            last_click: None,
            was_speaking: false,
        };
        let controls = Controls {
            commands: command_tx,
            telemetry: telemetry_rx,
        };
        (engine, controls)
    }

    /// A ring that receives every click and every stretch of speech as the
    /// block holding it is rendered: a block ahead of the listener hearing
    /// it, without waiting for the control loop. Speech is marked to the
    /// block (its edges are padded by the listener anyway).
    pub fn own_sound_feed(&mut self) -> Consumer<OwnSound> {
        let (producer, consumer) = RingBuffer::new(OWN_SOUND_SLOTS);
        self.own_sounds = Some(producer);
        consumer
    }

    /// A ring that receives the music exactly as each block plays it (see
    /// `music_tap`); `None` when the session has no music.
    pub fn music_tap(&mut self) -> Option<Consumer<MusicChunk>> {
        self.renderer.tap_music()
    }

    /// The audio callback's whole job, for one interleaved block.
    pub fn process(&mut self, out: &mut [f32], channels: usize) {
        while let Ok(command) = self.commands.pop() {
            self.renderer.apply(command);
        }
        self.renderer.process(out, channels);
        let telemetry = self.renderer.telemetry();
        if let Some(feed) = &mut self.own_sounds {
            if let Some(frame) = telemetry.last_click_frame {
                if self.last_click != Some(frame) {
                    self.last_click = Some(frame);
                    let _ = feed.push(OwnSound::Click(frame));
                }
            }
            let speaking = self.renderer.speaking();
            if speaking != self.was_speaking {
                self.was_speaking = speaking;
                let end = telemetry.device_frames;
                let start = DeviceFrame(end.0.saturating_sub((out.len() / channels.max(1)) as u64));
                let _ = feed.push(if speaking {
                    OwnSound::VoiceFrom(start)
                } else {
                    OwnSound::VoiceUntil(end)
                });
            }
        }
        let _ = self.telemetry.push(telemetry);
    }
}

//! A live session: the engine playing through cpal (kept alive by the
//! stream manager in `io`), the runner's screen or line log, and one
//! control loop that takes every `SessionEvent` from one channel: keys,
//! telemetry, heard steps, MIDI in, a lost device. A summary at the end,
//! the session kept in the history as it goes, and a check-in after it.
//!
//! The control loop owns everything but the audio callback and the
//! stream's thread. It never decides when a click sounds: the renderer's
//! sample clock does that.
//!
//! Files: `events` (what arrives and the key readers), `session` (the
//! loop), `opening` (what plays on each stream), `music` (the runner's
//! music on each stream), `steps` (the one step
//! judge), `mic` (the microphone worker), `midi` (MIDI in and out), `ui`
//! and `line_log` (what the runner sees), `summary`, `history_log` (the
//! session log as it happens), `checkin` (pain and effort afterwards).

mod checkin;
mod events;
mod history_log;
mod line_log;
mod mic;
mod midi;
mod music;
mod opening;
mod session;
mod steps;
mod summary;
mod ui;

use std::sync::mpsc;
use std::sync::Arc;

use super::failure::CommandResult;
use super::session_spec::SessionSpec;
use crate::history::SessionKind;
use crate::io::output::OutputRequest;
use crate::io::stream_manager::StreamManager;
use history_log::HistoryLog;
use session::Session;

/// Plays `spec` live on the device `request` names, until it ends or the
/// runner stops it; the session is kept in the history as `kind`.
pub fn play(spec: SessionSpec, request: OutputRequest, kind: SessionKind) -> CommandResult {
    let spec = Arc::new(spec);
    let (events_tx, events) = mpsc::channel();
    // MIDI first: a missing MIDI system fails before any sound plays.
    let midi = midi::open_for(&spec, &events_tx)?;
    let music = music::LiveMusic::open(&spec)?;
    let opener = opening::opener(Arc::clone(&spec), music.clone(), events_tx.clone());
    let stream = StreamManager::spawn(request, opener, events_tx.clone())?;
    let history = HistoryLog::begin(&spec, kind);
    let mut session = Session::new(&spec, stream, midi, music, history);
    session.wait_for_start(&events)?;
    let ui = ui::SessionUi::new(&spec.timeline, spec.hears_steps(), events_tx);
    session.run(ui, &events)
}

//! The check-in after a session on the full screen: hip pain 0–10, then
//! effort 1–10, one key each, either skippable (the questions and their
//! keys are `history::checkin_prompt`'s). Only on a terminal: a session
//! run from a script is never held up by a question.

use std::io::Write;
use std::time::Duration;

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::crossterm::terminal;

use crate::app::console::outln;
use crate::history::checkin_prompt::{CheckinPrompt, Key};
use crate::history::{Durability, Store};

/// A runner who walks away is not asked forever.
const WAIT_FOR_KEY: Duration = Duration::from_secs(120);

/// Asks, and keeps the answers with session `id`.
pub fn ask(id: i64) {
    let Some(answers) = answers() else { return };
    if answers.pain.is_none() && answers.effort.is_none() {
        return;
    }
    let saved = Store::open_default(Durability::Normal).and_then(|s| s.check_in(id, answers));
    match saved {
        Ok(()) => outln!("Check-in kept with session {id} (`treadbeat show {id}`)."),
        Err(error) => {
            outln!("The check-in could not be kept ({error}); `treadbeat checkin` takes it later.")
        }
    }
}

/// The questions answered key by key, in raw mode; `None` when the
/// terminal will not do it or nobody answers.
fn answers() -> Option<crate::history::Checkin> {
    terminal::enable_raw_mode().ok()?;
    let mut prompt = CheckinPrompt::new();
    let mut out = std::io::stdout();
    while !prompt.is_done() {
        let _ = write!(out, "\r\x1b[2K{}", prompt.prompt());
        let _ = out.flush();
        match next_key() {
            Some(key) => prompt.key(key),
            None => break,
        }
    }
    let _ = terminal::disable_raw_mode();
    let _ = write!(out, "\r\x1b[2K");
    let _ = out.flush();
    Some(prompt.answers())
}

/// The next key the prompt understands; `None` on Ctrl-C or a timeout.
fn next_key() -> Option<Key> {
    loop {
        if !event::poll(WAIT_FOR_KEY).ok()? {
            return None;
        }
        let Event::Key(key) = event::read().ok()? else {
            continue;
        };
        if key.kind != KeyEventKind::Press {
            continue;
        }
        return match key.code {
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => None,
            KeyCode::Char(c) if c.is_ascii_digit() => Some(Key::Digit(c as u8 - b'0')),
            KeyCode::Enter => Some(Key::Enter),
            KeyCode::Backspace => Some(Key::Backspace),
            KeyCode::Esc | KeyCode::Char('q') => Some(Key::Skip),
            _ => continue,
        };
    }
}

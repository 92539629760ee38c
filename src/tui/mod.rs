//! The live screen (ratatui): state gathered by the session's control loop,
//! drawn each tick; keys read without waiting. Used when stdin and stdout
//! are a terminal; otherwise the session keeps its plain line log.
//! `ratatui::init` installs a panic hook that restores the terminal.
//!
//! One concern a file: `now` works out the moment from telemetry,
//! `layout` decides what fits, `big_digits` draws block text, `numbers`
//! picks the big numbers and states, `beat` the pulse, `profile_graph` the
//! workout picture, `steps_meter` the runner's own steps, `theme` the
//! styles, `view` puts them together, `lines_view` is the small-terminal
//! fallback, `keys` what the keys mean.

pub mod beat;
pub mod big_digits;
pub mod keys;
pub mod layout;
pub mod lines_view;
pub mod now;
pub mod numbers;
pub mod profile_graph;
pub mod steps_meter;
pub mod theme;
pub mod view;

use std::io::IsTerminal;
use std::time::Duration;

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};

pub use steps_meter::Heard;
pub use theme::Theme;
pub use view::{draw as draw_screen, ScreenState};

/// Whether the session can take over the terminal.
pub fn is_terminal() -> bool {
    std::io::stdout().is_terminal() && std::io::stdin().is_terminal()
}

/// A typed key, if one is waiting; Ctrl-C reads as 'q' twice (quit now).
pub fn poll_key() -> Option<char> {
    if !event::poll(Duration::ZERO).ok()? {
        return None;
    }
    match event::read().ok()? {
        Event::Key(key) if key.kind == KeyEventKind::Press => match key.code {
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => Some('\u{3}'),
            KeyCode::Char(c) => Some(c),
            KeyCode::Esc => Some('q'),
            _ => None,
        },
        _ => None,
    }
}

//! The live screen (ratatui): state gathered by the session's control loop,
//! drawn each tick; keys read without waiting. Used when stdin and stdout
//! are a terminal; otherwise the session keeps its plain line log.
//! `ratatui::init` installs a panic hook that restores the terminal.
//!
//! One concern a file: `now` works out the moment from telemetry,
//! `layout` decides what fits, `big_digits` draws block text, `numbers`
//! picks the big numbers and states, `beat` the pulse, `profile_graph` the
//! workout picture, `steps_meter` the runner's own steps, `end` the end
//! state, `theme` the styles, `view` puts them together, `lines_view` is
//! the small-terminal fallback, `keys` what the keys mean.

pub mod beat;
pub mod big_digits;
pub mod end;
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

pub use end::{EndNumber, EndState};
pub use steps_meter::Heard;
pub use theme::Theme;
pub use view::{draw as draw_screen, ScreenState};

/// Whether the session can take over the terminal.
pub fn is_terminal() -> bool {
    std::io::stdout().is_terminal() && std::io::stdin().is_terminal()
}

/// What the full screen reads from the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenKey {
    Char(char),
    /// Ctrl-C: quit at once.
    Interrupt,
    Resize,
}

/// How long `read_key` waits, so that its thread notices a session's end.
const KEY_WAIT: Duration = Duration::from_millis(50);

/// The next key (Esc reads as q) or resize, if one comes within KEY_WAIT.
pub fn read_key() -> Option<ScreenKey> {
    if !event::poll(KEY_WAIT).ok()? {
        return None;
    }
    match event::read().ok()? {
        Event::Key(key) if key.kind == KeyEventKind::Press => match key.code {
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                Some(ScreenKey::Interrupt)
            }
            KeyCode::Char(c) => Some(ScreenKey::Char(c)),
            KeyCode::Esc => Some(ScreenKey::Char('q')),
            _ => None,
        },
        Event::Resize(..) => Some(ScreenKey::Resize),
        _ => None,
    }
}

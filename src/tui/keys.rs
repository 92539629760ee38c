//! What the runner's keys mean, for the full screen (single keys) and the
//! line interface (a key, then Enter) alike.

use crate::engine::Command;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Action {
    Send(Command),
    /// Change the click volume by this much (0.0 – 1.0 scale).
    Volume(f32),
    Quit,
}

/// The action for one typed character.
pub fn action_for(key: char) -> Option<Action> {
    Some(match key {
        'p' | 'P' | ' ' => Action::Send(Command::TogglePause),
        '+' | '=' => Action::Send(Command::Nudge(1.0)),
        '-' | '_' => Action::Send(Command::Nudge(-1.0)),
        'n' | 'N' => Action::Send(Command::NextStep),
        ']' => Action::Volume(0.1),
        '[' => Action::Volume(-0.1),
        'q' | 'Q' => Action::Quit,
        _ => return None,
    })
}

/// The action for a line typed in the line interface: its first
/// character; a lone space (then Enter) pauses.
pub fn action_for_line(line: &str) -> Option<Action> {
    let trimmed = line.trim();
    match trimmed.chars().next() {
        Some(key) if trimmed.chars().count() == 1 => action_for(key),
        None if line.contains(' ') => action_for(' '),
        _ => match trimmed {
            "pause" => action_for('p'),
            "next" => action_for('n'),
            "quit" => action_for('q'),
            _ => None,
        },
    }
}

pub const HELP: &str = "space pause · + - cadence · n next step · [ ] volume · q quit";

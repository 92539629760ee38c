//! What an incoming note or controller asks for: pause, next step, nudge
//! up or down, or "a foot landed" from a drum trigger on the deck.
//!
//! A trigger is written `cc64` (a controller) or `note60` / `60` (a note).
//! A note triggers on note-on; a controller on its press, the value
//! crossing from below 64 to 64 or above (a footswitch sends 127 down and
//! 0 up, so holding it does not repeat). Channels are not filtered (omni).

use std::fmt;
use std::str::FromStr;

use super::messages::{data_byte, Incoming};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Note(u8),
    Control(u8),
}

impl FromStr for Trigger {
    type Err = String;

    fn from_str(text: &str) -> Result<Trigger, String> {
        let lower = text.trim().to_ascii_lowercase();
        let (make, number): (fn(u8) -> Trigger, &str) = if let Some(rest) = lower.strip_prefix("cc")
        {
            (Trigger::Control, rest)
        } else if let Some(rest) = lower.strip_prefix("note") {
            (Trigger::Note, rest)
        } else {
            (Trigger::Note, lower.as_str())
        };
        let value: u32 = number.trim().parse().map_err(|_| {
            format!("`{text}` is not a MIDI trigger: write a note (\"note60\" or \"60\") or a controller (\"cc64\")")
        })?;
        data_byte(value)
            .map(make)
            .map_err(|e| format!("`{text}`: {e}"))
    }
}

impl fmt::Display for Trigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Trigger::Note(n) => write!(f, "note{n}"),
            Trigger::Control(c) => write!(f, "cc{c}"),
        }
    }
}

/// What a trigger means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputAction {
    TogglePause,
    NextStep,
    NudgeUp,
    NudgeDown,
    /// A step heard from a drum trigger, with its velocity.
    Step(u8),
}

/// Triggers for each action; `None` leaves an action unmapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputMap {
    pub pause: Option<Trigger>,
    pub next: Option<Trigger>,
    pub nudge_up: Option<Trigger>,
    pub nudge_down: Option<Trigger>,
    pub step: Option<Trigger>,
    /// Controllers currently held at 64 or above, so a press fires once.
    held: [bool; 128],
}

impl Default for InputMap {
    /// A sustain pedal (CC 64) pauses; nothing else is mapped.
    fn default() -> InputMap {
        InputMap::new(Some(Trigger::Control(64)), None, None, None, None)
    }
}

impl InputMap {
    pub fn new(
        pause: Option<Trigger>,
        next: Option<Trigger>,
        nudge_up: Option<Trigger>,
        nudge_down: Option<Trigger>,
        step: Option<Trigger>,
    ) -> InputMap {
        InputMap {
            pause,
            next,
            nudge_up,
            nudge_down,
            step,
            held: [false; 128],
        }
    }

    /// The action an incoming message asks for, if any.
    pub fn action(&mut self, incoming: Incoming) -> Option<InputAction> {
        let (trigger, velocity) = match incoming {
            Incoming::Note { note, velocity, .. } => (Trigger::Note(note), velocity),
            Incoming::Control {
                controller, value, ..
            } => {
                let down = value >= 64;
                let was = std::mem::replace(&mut self.held[usize::from(controller)], down);
                if !down || was {
                    return None;
                }
                (Trigger::Control(controller), value)
            }
        };
        let is = |slot: Option<Trigger>| slot == Some(trigger);
        if is(self.step) {
            Some(InputAction::Step(velocity))
        } else if is(self.pause) {
            Some(InputAction::TogglePause)
        } else if is(self.next) {
            Some(InputAction::NextStep)
        } else if is(self.nudge_up) {
            Some(InputAction::NudgeUp)
        } else if is(self.nudge_down) {
            Some(InputAction::NudgeDown)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::midi::messages::Channel;

    fn cc(controller: u8, value: u8) -> Incoming {
        Incoming::Control {
            channel: Channel::from_user(1).unwrap(),
            controller,
            value,
        }
    }

    fn note(note: u8, velocity: u8) -> Incoming {
        Incoming::Note {
            channel: Channel::from_user(10).unwrap(),
            note,
            velocity,
        }
    }

    #[test]
    fn triggers_parse_and_print() {
        assert_eq!("cc64".parse(), Ok(Trigger::Control(64)));
        assert_eq!("CC 1".parse(), Ok(Trigger::Control(1)));
        assert_eq!("note60".parse(), Ok(Trigger::Note(60)));
        assert_eq!("36".parse(), Ok(Trigger::Note(36)));
        assert!("cc128".parse::<Trigger>().is_err());
        assert!("pedal".parse::<Trigger>().is_err());
        assert_eq!(Trigger::Control(64).to_string(), "cc64");
    }

    #[test]
    fn a_footswitch_press_pauses_once_until_released() {
        let mut map = InputMap::default();
        assert_eq!(map.action(cc(64, 127)), Some(InputAction::TogglePause));
        assert_eq!(map.action(cc(64, 127)), None, "still held");
        assert_eq!(map.action(cc(64, 0)), None, "release does nothing");
        assert_eq!(map.action(cc(64, 100)), Some(InputAction::TogglePause));
        assert_eq!(map.action(cc(1, 127)), None, "unmapped");
    }

    #[test]
    fn notes_map_to_actions_and_steps() {
        let t = |s: &str| Some(s.parse::<Trigger>().unwrap());
        let mut map = InputMap::new(None, t("62"), t("cc20"), t("cc21"), t("36"));
        assert_eq!(map.action(note(62, 90)), Some(InputAction::NextStep));
        assert_eq!(map.action(cc(20, 127)), Some(InputAction::NudgeUp));
        assert_eq!(map.action(cc(21, 64)), Some(InputAction::NudgeDown));
        assert_eq!(map.action(note(36, 77)), Some(InputAction::Step(77)));
        assert_eq!(map.action(cc(64, 127)), None);
    }
}

//! The screen's styles. Numbers use the terminal's own foreground in bold:
//! whatever the runner chose for their background, that is the colour with
//! the most contrast against it, in a dark room or a bright one. States
//! and the beat are blocks of solid background (reversed without colour),
//! which a washed-out screen still shows. `NO_COLOR` (https://no-color.org)
//! keeps only bold and reverse.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless NO_COLOR is set to anything but the empty string.
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn solid(self, background: Color) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(background)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    /// The big numbers.
    pub fn digits(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Captions and small text beside the numbers.
    pub fn caption(self) -> Style {
        Style::new()
    }

    /// Paused: the one state that must never be missed.
    pub fn paused(self) -> Style {
        self.solid(Color::Yellow)
    }

    /// Count-in and the countdown to the next change.
    pub fn upcoming(self) -> Style {
        self.solid(Color::Cyan)
    }

    /// The end state's word: DONE in green, STOPPED in the paused
    /// yellow (a session cut short, as a pause is one held).
    pub fn ended(self, finished: bool) -> Style {
        self.solid(if finished {
            Color::Green
        } else {
            Color::Yellow
        })
    }

    pub fn warning(self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    /// The lit beat cell; an accent also lights its border.
    pub fn beat(self, accent: bool) -> Style {
        let style = self.solid(if accent { Color::Magenta } else { Color::Green });
        if accent {
            style
        } else {
            style.remove_modifier(Modifier::BOLD)
        }
    }

    /// The workout's profile: done, to come, and the cursor column.
    pub fn graph(self, past: bool) -> Style {
        match (self.color, past) {
            (true, true) => Style::new().fg(Color::Blue),
            (true, false) => Style::new().fg(Color::Green),
            (false, true) => Style::new(),
            (false, false) => Style::new().add_modifier(Modifier::BOLD),
        }
    }

    pub fn cursor(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_colour_no_style_names_a_colour() {
        let t = Theme { color: false };
        let styles = [
            t.digits(),
            t.caption(),
            t.paused(),
            t.upcoming(),
            t.ended(true),
            t.ended(false),
            t.warning(),
            t.beat(true),
            t.beat(false),
            t.graph(true),
            t.graph(false),
            t.cursor(),
        ];
        for s in styles {
            assert_eq!((s.fg, s.bg), (None, None), "{s:?}");
        }
        assert!(t.paused().add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn states_are_solid_blocks_in_colour() {
        let t = Theme { color: true };
        for s in [
            t.paused(),
            t.upcoming(),
            t.ended(true),
            t.ended(false),
            t.warning(),
            t.beat(false),
        ] {
            assert!(s.bg.is_some() && s.fg.is_some(), "{s:?}");
        }
    }
}

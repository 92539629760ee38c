//! How a live session talks to the runner: the full screen when stdin and
//! stdout are a terminal, else the plain line log with keys typed then
//! Enter. Both read the same keys (tui::keys) and show the same session;
//! the keys arrive as session events (see `events`).

use std::sync::mpsc::Sender;

use super::events::{read_lines, read_screen_keys, KeyReader, SessionEvent};
use super::line_log::LineLog;
use crate::app::console::outln;
use crate::engine::Telemetry;
use crate::plan::Timeline;
use crate::tui::keys::{action_for, action_for_line, Action, HELP};
use crate::tui::{draw_screen, is_terminal, Heard, ScreenKey, ScreenState, Theme};

pub enum SessionUi<'a> {
    Lines {
        log: LineLog<'a>,
    },
    Screen {
        terminal: ratatui::DefaultTerminal,
        _keys: KeyReader,
        timeline: &'a Timeline,
        /// q was pressed once: the next q quits.
        quit_armed: bool,
        notice: Option<String>,
        /// Steps are listened for: the screen keeps a band for them.
        listening: bool,
        heard: Option<Heard>,
        warning: Option<String>,
        theme: Theme,
    },
}

impl<'a> SessionUi<'a> {
    /// The screen or the line log; its keys go to `events`.
    pub fn new(
        timeline: &'a Timeline,
        listening: bool,
        events: Sender<SessionEvent>,
    ) -> SessionUi<'a> {
        if is_terminal() {
            if let Ok(terminal) = ratatui::try_init() {
                return SessionUi::Screen {
                    terminal,
                    _keys: read_screen_keys(events),
                    timeline,
                    quit_armed: false,
                    notice: None,
                    listening,
                    heard: None,
                    warning: None,
                    theme: Theme::from_env(),
                };
            }
        }
        outln!("Keys (then Enter): {HELP}");
        read_lines(events);
        SessionUi::Lines {
            log: LineLog::new(timeline),
        }
    }

    /// What a line typed in the line interface asks for.
    pub fn line_action(&mut self, line: &str) -> Option<Action> {
        let action = action_for_line(line);
        if action.is_none() && !line.trim().is_empty() {
            outln!("keys: {HELP}");
        }
        action
    }

    /// What a key on the screen asks for; quitting asks once.
    pub fn key_action(&mut self, key: ScreenKey) -> Option<Action> {
        match self {
            SessionUi::Lines { .. } => None,
            SessionUi::Screen {
                quit_armed, notice, ..
            } => {
                let key = match key {
                    ScreenKey::Interrupt => return Some(Action::Quit),
                    ScreenKey::Char(c) => c,
                    ScreenKey::Resize => return None,
                };
                let action = action_for(key);
                if action == Some(Action::Quit) && !*quit_armed {
                    *quit_armed = true;
                    *notice =
                        Some("Press q again to end the session, any other key to go on.".into());
                    return None;
                }
                *quit_armed = false;
                *notice = None;
                action
            }
        }
    }

    /// Shows the session as it stands.
    pub fn show(&mut self, telemetry: &Telemetry, rate: u32, last_cue: Option<&str>) {
        match self {
            SessionUi::Lines { log, .. } => log.update(telemetry, rate),
            SessionUi::Screen { .. } => self.draw(telemetry, rate, last_cue),
        }
    }

    fn draw(&mut self, telemetry: &Telemetry, rate: u32, last_cue: Option<&str>) {
        if let SessionUi::Screen {
            terminal,
            timeline,
            notice,
            listening,
            heard,
            warning,
            theme,
            ..
        } = self
        {
            let state = ScreenState {
                timeline,
                telemetry: *telemetry,
                rate,
                last_cue,
                notice: notice.clone(),
                listening: *listening,
                heard: *heard,
                warning: warning.clone(),
                theme: *theme,
            };
            let _ = terminal.draw(|frame| draw_screen(frame, &state));
        }
    }

    /// A step the detector heard: the meter on screen, a line in the log.
    pub fn heard_step(&mut self, session_s: f64, offset_ms: f64, cadence_spm: Option<f64>) {
        match self {
            SessionUi::Lines { .. } => {
                let cadence = cadence_spm.map_or(String::new(), |c| format!(", {c:.1} spm"));
                outln!("step heard at {session_s:.3} s: {offset_ms:+.0} ms from the beat{cadence}");
            }
            SessionUi::Screen { heard, .. } => {
                *heard = Some(Heard {
                    cadence_spm,
                    offset_ms,
                })
            }
        }
    }

    /// The detector's warning: kept on screen until the next one.
    pub fn warning(&mut self, text: String) {
        match self {
            SessionUi::Lines { .. } => outln!("{text}"),
            SessionUi::Screen { warning, .. } => *warning = Some(text),
        }
    }

    /// A message for the runner (a device reopened, a volume change).
    pub fn message(&mut self, text: String) {
        match self {
            SessionUi::Lines { .. } => outln!("{text}"),
            SessionUi::Screen { notice, .. } => *notice = Some(text),
        }
    }

    /// Whether this is the full screen (a runner at a terminal).
    pub fn is_screen(&self) -> bool {
        matches!(self, SessionUi::Screen { .. })
    }

    /// Gives the terminal back before the summary is printed.
    pub fn finish(self) {
        if let SessionUi::Screen { .. } = self {
            ratatui::restore();
        }
    }
}

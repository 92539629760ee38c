//! How a live session talks to the runner: the full screen when stdin and
//! stdout are a terminal, else the plain line log with keys typed then
//! Enter. Both read the same keys (tui::keys) and show the same session;
//! the keys arrive as session events (see `events`). At the end the screen
//! holds the session's end state for the runner to read before the
//! terminal is given back.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::events::{read_lines, read_screen_keys, KeyReader, SessionEvent};
use super::line_log::LineLog;
use crate::app::console::outln;
use crate::engine::Telemetry;
use crate::io::playback_stamp::PlaybackStamp;
use crate::io::stream_manager::StreamStart;
use crate::plan::Timeline;
use crate::tui::beat::heard_frame;
use crate::tui::keys::{action_for, action_for_line, Action, HELP};
use crate::tui::{
    draw_screen, is_terminal, EndNumber, EndState, Heard, ScreenKey, ScreenState, Theme,
};
use crate::units::{clock_text, DeviceFrame, SessionFrame};

/// How long the end state stays when the session ran to its end, unless a
/// key closes it: the clicks stopping is the runner's cue to look, and a
/// runner still on the belt needs a moment to look up and read at arm's
/// length; the summary printed after it stays on the terminal for longer.
const FINISHED_HOLD: Duration = Duration::from_secs(5);
/// The end state after q: the runner asked to stop and is looking at the
/// screen already, so a glance; any key closes it at once, and Ctrl-C
/// skips it.
const STOPPED_HOLD: Duration = Duration::from_secs(2);
/// How often the end state is redrawn for its countdown.
const END_TICK: Duration = Duration::from_millis(250);

/// The stream's playback clock, so the beat lights when a click is heard.
#[derive(Clone)]
pub struct AudioClock {
    playback: Arc<PlaybackStamp>,
    /// The stream clock's zero on `Instant`.
    origin: Instant,
}

impl AudioClock {
    pub fn of(start: &StreamStart) -> AudioClock {
        AudioClock {
            playback: Arc::clone(&start.health.playback),
            origin: start.clock_origin,
        }
    }

    /// The device frame heard now; `None` before the first block.
    fn heard_frame(&self, rate: u32, device_frames: DeviceFrame) -> Option<DeviceFrame> {
        let (frame, playback_ns) = self.playback.read()?;
        let now_ns = u64::try_from(self.origin.elapsed().as_nanos()).ok()?;
        Some(heard_frame(
            (DeviceFrame(frame), playback_ns),
            now_ns,
            rate,
            device_frames,
        ))
    }
}

pub enum SessionUi<'a> {
    Lines {
        log: LineLog<'a>,
    },
    /// Boxed: the screen holds the terminal and all it shows, the line
    /// log little more than a reference.
    Screen(Box<Screen<'a>>),
}

/// The full screen and what it shows besides the telemetry.
pub struct Screen<'a> {
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
    /// Ctrl-C was pressed: out at once, no end state.
    interrupted: bool,
    clock: Option<AudioClock>,
    /// The session frame and rate drawn last: where the session stood,
    /// for the end state's header.
    shown: (SessionFrame, u32),
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
                return SessionUi::Screen(Box::new(Screen {
                    terminal,
                    _keys: read_screen_keys(events),
                    timeline,
                    quit_armed: false,
                    notice: None,
                    listening,
                    heard: None,
                    warning: None,
                    theme: Theme::from_env(),
                    interrupted: false,
                    clock: None,
                    shown: (SessionFrame(0), 48_000),
                }));
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
            SessionUi::Screen(screen) => screen.key_action(key),
        }
    }

    /// Shows the session as it stands.
    pub fn show(&mut self, telemetry: &Telemetry, rate: u32, last_cue: Option<&str>) {
        match self {
            SessionUi::Lines { log, .. } => log.update(telemetry, rate),
            SessionUi::Screen(screen) => screen.draw(telemetry, rate, last_cue, None),
        }
    }

    /// The stream now playing (the first, or one reopened after a lost
    /// device): the beat cell follows its playback clock.
    pub fn audio_clock(&mut self, clock: AudioClock) {
        if let SessionUi::Screen(screen) = self {
            screen.clock = Some(clock);
        }
    }

    /// The session is over: its end state on the screen (the numbers of
    /// `summary`, from `summary::summary`), held until a key or a few
    /// seconds (FINISHED_HOLD, STOPPED_HOLD), never after Ctrl-C. Keys
    /// and resizes arrive on `events`; everything else there is let go.
    /// The line log has nothing to hold: the summary is printed next.
    pub fn end(&mut self, summary: &str, finished: bool, events: &Receiver<SessionEvent>) {
        if let SessionUi::Screen(screen) = self {
            if !screen.interrupted {
                screen.hold_end(end_state(summary, finished), events);
            }
        }
    }

    /// A step the detector heard: the meter on screen, a line in the log.
    pub fn heard_step(&mut self, session_s: f64, offset_ms: f64, cadence_spm: Option<f64>) {
        match self {
            SessionUi::Lines { .. } => {
                let cadence = cadence_spm.map_or(String::new(), |c| format!(", {c:.1} spm"));
                outln!("step heard at {session_s:.3} s: {offset_ms:+.0} ms from the beat{cadence}");
            }
            SessionUi::Screen(screen) => {
                screen.heard = Some(Heard {
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
            SessionUi::Screen(screen) => screen.warning = Some(text),
        }
    }

    /// A message for the runner (a device reopened, a volume change).
    pub fn message(&mut self, text: String) {
        match self {
            SessionUi::Lines { .. } => outln!("{text}"),
            SessionUi::Screen(screen) => screen.notice = Some(text),
        }
    }

    /// A track started (`♪ Title — 163 BPM, +3 %`): the screen's message
    /// line (unless it asks whether to quit), a line in the log at the
    /// session's time `session_s`.
    pub fn music(&mut self, text: String, session_s: f64) {
        match self {
            SessionUi::Lines { .. } => outln!("{}  {text}", clock_text(session_s.max(0.0))),
            SessionUi::Screen(screen) if screen.quit_armed => {}
            SessionUi::Screen(screen) => screen.notice = Some(text),
        }
    }

    /// Whether this is the full screen (a runner at a terminal).
    pub fn is_screen(&self) -> bool {
        matches!(self, SessionUi::Screen { .. })
    }

    /// Gives the terminal back before the summary is printed.
    pub fn finish(self) {
        if let SessionUi::Screen(..) = self {
            ratatui::restore();
        }
    }
}

impl Screen<'_> {
    fn key_action(&mut self, key: ScreenKey) -> Option<Action> {
        let key = match key {
            ScreenKey::Interrupt => {
                self.interrupted = true;
                return Some(Action::Quit);
            }
            ScreenKey::Char(c) => c,
            ScreenKey::Resize => return None,
        };
        let action = action_for(key);
        if action == Some(Action::Quit) && !self.quit_armed {
            self.quit_armed = true;
            self.notice = Some("Press q again to end the session, any other key to go on.".into());
            return None;
        }
        self.quit_armed = false;
        self.notice = None;
        action
    }

    fn draw(
        &mut self,
        telemetry: &Telemetry,
        rate: u32,
        last_cue: Option<&str>,
        end: Option<&EndState>,
    ) {
        self.shown = (telemetry.session_frame, rate);
        let state = ScreenState {
            timeline: self.timeline,
            telemetry: *telemetry,
            rate,
            last_cue,
            notice: self.notice.clone(),
            listening: self.listening,
            heard: self.heard,
            warning: self.warning.clone(),
            theme: self.theme,
            heard_frame: self
                .clock
                .as_ref()
                .and_then(|c| c.heard_frame(rate, telemetry.device_frames)),
            end,
        };
        let _ = self.terminal.draw(|frame| draw_screen(frame, &state));
    }

    /// `end` on the screen, its countdown redrawn, until a key or the
    /// hold is over.
    fn hold_end(&mut self, mut end: EndState, events: &Receiver<SessionEvent>) {
        let (session_frame, rate) = self.shown;
        let telemetry = Telemetry {
            session_frame,
            ..Telemetry::default()
        };
        let hold = if end.finished {
            FINISHED_HOLD
        } else {
            STOPPED_HOLD
        };
        let until = Instant::now() + hold;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            end.closes_in_s = left.as_secs_f64().ceil() as u64;
            self.draw(&telemetry, rate, None, Some(&end));
            match events.recv_timeout(left.min(END_TICK)) {
                Ok(SessionEvent::Key(_)) | Err(RecvTimeoutError::Disconnected) => return,
                Ok(_) | Err(RecvTimeoutError::Timeout) => {}
            }
        }
    }
}

/// The end state from the summary's text: time run, distance and steps
/// (and with steps heard, their median offset) big, the rest as notes. It
/// is read from the text the runner will see printed rather than worked
/// out again, so the two never disagree; the test below holds this
/// reading to `summary::summary`'s wording. A phrase it does not know
/// stays a note, so nothing is lost if that wording changes.
fn end_state(summary: &str, finished: bool) -> EndState {
    let number = |label: &str, value: &str, unit: &str| EndNumber {
        label: label.into(),
        value: value.into(),
        unit: unit.into(),
    };
    let mut lines = summary.lines();
    let first = lines.next().unwrap_or_default();
    let body = first
        .split_once(": ")
        .map_or(first, |(_, rest)| rest)
        .trim_end_matches('.');
    let (mut numbers, mut rest) = (Vec::new(), Vec::new());
    for phrase in body.split(", ") {
        let (value, what) = phrase.split_once(' ').unwrap_or((phrase, ""));
        // A stretch routine covers no distance and counts no steps.
        let zero = value.chars().all(|c| !c.is_ascii_digit() || c == '0');
        match what {
            "played" => numbers.push(number("TIME RUN", value, "")),
            "steps" if !zero => numbers.push(number("STEPS", value, "")),
            "steps" => {}
            w if w.starts_with("km (") || w.starts_with("mi (") => {
                if !zero {
                    // "km (1.24 mi)" -> "km · 1.24 mi"
                    let unit = w.replacen(" (", " · ", 1).trim_end_matches(')').to_string();
                    numbers.push(number("DISTANCE", value, &unit));
                }
            }
            _ => rest.push(phrase),
        }
    }
    let mut notes = vec![rest.join(" · ")];
    for line in lines {
        let median = line
            .split_once("median ")
            .and_then(|(_, after)| after.split_once(" ms"));
        if let Some((value, _)) = median {
            numbers.push(number("MEDIAN", value, "ms from the beat"));
        }
        notes.push(line.to_string());
    }
    notes.retain(|n| !n.is_empty());
    EndState {
        finished,
        numbers,
        notes,
        closes_in_s: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::super::summary::{summary, SessionRecord};
    use super::*;
    use crate::plan::parse_profile;

    fn timeline(text: &str) -> Timeline {
        let profile = parse_profile("t.toml", text, std::path::Path::new(".")).unwrap();
        Timeline::from_profile(&profile)
    }

    fn numbers(end: &EndState) -> Vec<(&str, &str, &str)> {
        end.numbers
            .iter()
            .map(|n| (n.label.as_str(), n.value.as_str(), n.unit.as_str()))
            .collect()
    }

    #[test]
    fn the_end_state_reads_the_summarys_numbers() {
        let tl = timeline(
            "[[step]]\ntime = \"10m\"\ncadence = 170\nspeed = \"12 km/h\"\n\
             [[step]]\ntime = \"5m\"\ncadence = 180\nspeed = \"12 km/h\"\n",
        );
        let mut record = SessionRecord {
            clicks: 1800,
            heard_steps: 3,
            offsets_ms: vec![-4.0, 12.0, 30.0],
            ..Default::default()
        };
        record.skip(&tl, 300.0);
        let text = summary(&tl, &record, 900.0, true);
        let end = end_state(&text, true);
        assert_eq!(
            numbers(&end),
            vec![
                ("TIME RUN", "10:00", ""),
                ("DISTANCE", "2.00", "km · 1.24 mi"),
                ("STEPS", "1,750", ""),
                ("MEDIAN", "+12", "ms from the beat"),
            ],
            "{text}"
        );
        assert_eq!(end.notes[0], "1 step skipped · 1,800 clicks · 0 under-runs");
        assert!(end.notes[1].starts_with("Heard 3 steps: median +12 ms"));
        // The printed summary's own first line is not on the screen: tests
        // wait for it as the sign that the terminal was given back.
        assert!(end.notes.iter().all(|n| !n.contains("Session ")));
    }

    #[test]
    fn a_stopped_stretch_shows_its_time_without_distance_or_steps() {
        let tl = timeline("[[step]]\nkind = \"stretch\"\ntime = \"2m\"\nhold = \"30s\"\n");
        let text = summary(&tl, &SessionRecord::default(), 42.0, false);
        let end = end_state(&text, false);
        assert_eq!(numbers(&end), vec![("TIME RUN", "0:42", "")], "{text}");
        assert_eq!(end.notes, vec!["0 steps skipped · 0 clicks · 0 under-runs"]);
        assert_eq!(end.word(), "STOPPED");
    }
}

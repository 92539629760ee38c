//! The end of a session as its own large-text state: DONE (the session ran
//! to its end) or STOPPED (the runner quit) in block letters, the numbers
//! a runner reads from the belt — time run, distance, steps, with the
//! microphone the median offset from the beat — in block digits, the rest
//! of the summary small beneath, and how the screen closes. The control
//! loop fills `EndState`; nothing here knows the summary's wording.

use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

use super::big_digits::{size, BigText, MAX_SCALE};
use super::layout::{arrange, tier, Tier};
use super::numbers::{big, draw_big, Big};
use super::theme::Theme;
use super::view::ScreenState;
use crate::units::{clock_text, SampleRate};

/// One number of the summary: "DISTANCE" "3.62" "km · 2.25 mi".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndNumber {
    pub label: String,
    /// As the summary writes it ("4,421"); block digits drop the commas.
    pub value: String,
    pub unit: String,
}

/// What the end state shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndState {
    /// Ran to its end (DONE) or was stopped (STOPPED).
    pub finished: bool,
    /// The big numbers, most important first.
    pub numbers: Vec<EndNumber>,
    /// The rest of the summary, a line each.
    pub notes: Vec<String>,
    /// Whole seconds until the screen closes by itself.
    pub closes_in_s: u64,
}

impl EndState {
    pub fn word(&self) -> &'static str {
        if self.finished {
            "DONE"
        } else {
            "STOPPED"
        }
    }

    /// "any key closes · closing in 3 s".
    pub fn help(&self) -> String {
        format!("any key closes · closing in {} s", self.closes_in_s.max(1))
    }
}

/// The word's scale and the numbers': the numbers as large as the room
/// allows, then the word as large as it can be without shrinking them and
/// at most one step larger (the figures are what is read; the word says
/// which state). `None` when not even scale 1 fits both.
fn scales(word: &str, numbers: &[(&str, &str)], width: u16, height: u16) -> Option<(u16, u16)> {
    let numbers_with_word_at = |k: u16| {
        let (w, h) = size(word, k);
        // The letters and a blank row under them.
        let rows = h + 1;
        if w > width || rows >= height {
            return None;
        }
        arrange(numbers, width, height - rows).map(|a| a.scale)
    };
    let numbers_k = numbers_with_word_at(1)?;
    let word_k = (1..=(numbers_k + 1).min(MAX_SCALE))
        .rev()
        .find(|&k| numbers_with_word_at(k) == Some(numbers_k))?;
    Some((word_k, numbers_k))
}

/// Lines `notes` take wrapped at `width`, at most `max`.
fn notes_rows(notes: &[String], width: u16, max: u16) -> u16 {
    let width = usize::from(width.max(1));
    let rows: usize = notes
        .iter()
        .map(|n| n.chars().count().div_ceil(width).max(1))
        .sum();
    (rows as u16).min(max)
}

fn big_numbers(end: &EndState, theme: Theme) -> Vec<Big> {
    end.numbers
        .iter()
        .map(|n| {
            let caption = if n.unit.is_empty() {
                n.label.clone()
            } else {
                format!("{} {}", n.label, n.unit)
            };
            big(caption, n.value.replace(',', ""), theme.digits())
        })
        .collect()
}

pub fn draw(frame: &mut Frame, state: &ScreenState, end: &EndState) {
    let area = frame.area();
    let word = end.word();
    let items = big_numbers(end, state.theme);
    let pairs: Vec<(&str, &str)> = items
        .iter()
        .map(|b| (b.caption.as_str(), b.text.as_str()))
        .collect();
    let notes_h = notes_rows(&end.notes, area.width, 3);
    // Header and help a row each.
    let room = area.height.saturating_sub(2 + notes_h);
    let planned = scales(word, &pairs, area.width, room);
    let Some((scale, _)) = planned.filter(|_| tier(area.width, area.height) != Tier::Lines) else {
        return draw_lines(frame, state, end);
    };
    let word_area = size(word, scale).1 + 1;
    let [header, word_band, numbers, notes, help] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(word_area),
        Constraint::Min(3),
        Constraint::Length(notes_h),
        Constraint::Length(1),
    ])
    .areas(area);
    let (left, right) = header_text(state, end);
    let [left_area, right_area] = Layout::horizontal([
        Constraint::Min(1),
        Constraint::Length(right.chars().count() as u16),
    ])
    .areas(header);
    frame.render_widget(Paragraph::new(left), left_area);
    frame.render_widget(Paragraph::new(right), right_area);
    frame.render_widget(
        BigText {
            text: word,
            scale,
            style: state.theme.ended(end.finished),
        },
        word_band,
    );
    draw_big(frame, numbers, &items, state.theme);
    frame.render_widget(
        Paragraph::new(end.notes.join("\n")).wrap(Wrap { trim: true }),
        notes,
    );
    frame.render_widget(Paragraph::new(end.help()), help);
}

/// "treadbeat — Easy run · session finished" and "30:00 / 30:00".
fn header_text(state: &ScreenState, end: &EndState) -> (String, String) {
    let how = if end.finished { "finished" } else { "stopped" };
    let total = state.timeline.total_s();
    let t = state
        .telemetry
        .session_s(SampleRate(state.rate.max(1)))
        .clamp(0.0, total);
    (
        format!("treadbeat — {} · session {how}", state.timeline.name),
        format!(" {} / {}", clock_text(t), clock_text(total)),
    )
}

/// The end state for a terminal too small for block letters: the word in
/// its style, then the numbers and the notes as lines.
fn draw_lines(frame: &mut Frame, state: &ScreenState, end: &EndState) {
    let block = Block::bordered().title(format!(" treadbeat — {} ", state.timeline.name));
    let inner = block.inner(frame.area());
    frame.render_widget(block, frame.area());
    let (_, clock) = header_text(state, end);
    let mut lines = vec![Line::from(vec![
        Span::styled(format!(" {} ", end.word()), state.theme.ended(end.finished)),
        Span::raw(clock),
    ])];
    let numbers: Vec<String> = end
        .numbers
        .iter()
        .map(|n| {
            format!("{} {} {}", n.label, n.value, n.unit)
                .trim()
                .to_string()
        })
        .collect();
    lines.push(Line::styled(
        numbers.join("   "),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    lines.extend(end.notes.iter().map(|n| Line::from(n.as_str())));
    let [body, help] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
    frame.render_widget(Paragraph::new(end.help()), help);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Telemetry;
    use crate::plan::{parse_profile, Timeline};
    use crate::tui::big_digits::render;
    use ratatui::backend::TestBackend;
    use ratatui::buffer::Buffer;
    use ratatui::style::Color;
    use ratatui::Terminal;

    fn timeline() -> Timeline {
        let text = "name = \"End\"\n[[step]]\ntime = \"10m\"\ncadence = 170\nspeed = \"10 km/h\"\n";
        let profile = parse_profile("t.toml", text, std::path::Path::new(".")).unwrap();
        Timeline::from_profile(&profile)
    }

    fn number(label: &str, value: &str, unit: &str) -> EndNumber {
        EndNumber {
            label: label.into(),
            value: value.into(),
            unit: unit.into(),
        }
    }

    fn end(finished: bool) -> EndState {
        EndState {
            finished,
            numbers: vec![
                number("TIME RUN", "10:00", ""),
                number("DISTANCE", "1.67", "km · 1.04 mi"),
                number("STEPS", "1,700", ""),
                number("MEDIAN", "+12", "ms from the beat"),
            ],
            notes: vec!["0 steps skipped · 1,700 clicks · 0 under-runs".into()],
            closes_in_s: 3,
        }
    }

    fn drawn(width: u16, height: u16, end: &EndState, color: bool) -> Buffer {
        let timeline = timeline();
        let state = ScreenState {
            timeline: &timeline,
            telemetry: Telemetry {
                session_frame: crate::units::SessionFrame(600_000),
                ..Telemetry::default()
            },
            rate: 1000,
            last_cue: None,
            notice: None,
            listening: true,
            heard: None,
            warning: None,
            theme: Theme { color },
            heard_frame: None,
            end: Some(end),
        };
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|frame| super::super::view::draw(frame, &state))
            .unwrap();
        terminal.backend().buffer().clone()
    }

    fn text(buf: &Buffer) -> String {
        let area = buf.area;
        (0..area.height)
            .map(|y| {
                (0..area.width)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Whether `word` is on the screen in block letters at scale `k`.
    fn has_block(screen: &str, word: &str, k: u16) -> bool {
        let rows: Vec<Vec<char>> = render(word, k)
            .iter()
            .map(|r| r.trim_end().chars().collect())
            .collect();
        let lines: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
        let at = |line: &[char], col: usize, row: &[char]| {
            line.len() >= col + row.len() && line[col..col + row.len()] == *row
        };
        (0..lines.len()).any(|y| {
            (0..lines[y].len()).any(|x| {
                rows.iter()
                    .enumerate()
                    .all(|(j, row)| lines.get(y + j).is_some_and(|l| at(l, x, row)))
            })
        })
    }

    #[test]
    fn the_numbers_get_the_room_and_the_word_at_most_a_step_more() {
        let three = [
            ("TIME RUN", "0:04"),
            ("DISTANCE km", "0.01"),
            ("STEPS", "11"),
        ];
        // 80x24 less header, notes and help: the numbers on one row at 2
        // (all a scale 3 row or two would need), the word at 3.
        assert_eq!(scales("DONE", &three, 80, 21), Some((3, 2)));
        // Wide numbers held to scale 1 on a tall screen: the word could
        // be 5, but stays a step above them.
        let wide = [
            ("TIME RUN", "1:02:03"),
            ("DISTANCE km", "10.25"),
            ("STEPS", "11000"),
            ("MEDIAN ms", "+12"),
        ];
        assert_eq!(scales("DONE", &wide, 80, 60), Some((2, 1)));
        // 60x20 with four numbers: the word gives way to them.
        let four = [three[0], three[1], three[2], ("MEDIAN ms", "+12")];
        assert_eq!(scales("STOPPED", &four, 60, 16), Some((2, 1)));
        assert_eq!(scales("STOPPED", &four, 20, 16), None);
    }

    #[test]
    fn at_80x24_the_word_and_the_numbers_are_big() {
        let screen = text(&drawn(80, 24, &end(true), true));
        assert!(has_block(&screen, "DONE", 2), "{screen}");
        for value in ["10:00", "1.67", "1700", "+12"] {
            assert!(
                (1..=2).any(|k| has_block(&screen, value, k)),
                "{value}:\n{screen}"
            );
        }
        assert!(screen.contains("DISTANCE km · 1.04 mi"), "{screen}");
        assert!(screen.contains("MEDIAN ms from the beat"), "{screen}");
        assert!(screen.contains("1,700 clicks"), "{screen}");
        assert!(
            screen.contains("any key closes · closing in 3 s"),
            "{screen}"
        );
        assert!(screen.contains("session finished"), "{screen}");
        // Nothing of the live screen is left: no beat, no workout cursor.
        assert!(!screen.contains('▲'), "{screen}");
        let stopped = text(&drawn(80, 24, &end(false), true));
        assert!(has_block(&stopped, "STOPPED", 2), "{stopped}");
        assert!(stopped.contains("session stopped"), "{stopped}");
    }

    #[test]
    fn at_60x20_the_word_fits_and_a_small_terminal_gets_lines() {
        let screen = text(&drawn(60, 20, &end(false), true));
        assert!(has_block(&screen, "STOPPED", 2), "{screen}");
        assert!(has_block(&screen, "10:00", 1), "{screen}");
        assert!(has_block(&screen, "+12", 1), "{screen}");
        let small = text(&drawn(50, 12, &end(false), true));
        assert!(small.contains(" STOPPED "), "{small}");
        assert!(small.contains("TIME RUN 10:00"), "{small}");
        assert!(small.contains("closing in 3 s"), "{small}");
    }

    #[test]
    fn the_word_is_a_solid_block_in_colour_and_reversed_without() {
        let word_cell = |buf: &Buffer| {
            // The first inked cell of the word's top row (row 1).
            (0..buf.area.width)
                .map(|x| buf[(x, 1)].clone())
                .find(|c| c.symbol() != " ")
                .unwrap()
        };
        let coloured = drawn(80, 24, &end(true), true);
        assert_eq!(word_cell(&coloured).bg, Color::Green);
        assert_eq!(
            word_cell(&drawn(80, 24, &end(false), true)).bg,
            Color::Yellow
        );
        let plain = drawn(80, 24, &end(true), false);
        assert!(word_cell(&plain).modifier.contains(Modifier::REVERSED));
        for y in 0..24 {
            for x in 0..80 {
                let cell = &plain[(x, y)];
                assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{x},{y}");
            }
        }
    }
}

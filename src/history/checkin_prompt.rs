//! The check-in at the end of a session as a state machine: keys in,
//! answers out, nothing drawn and nothing read here (the live screen maps
//! its key events to `Key`, shows `prompt()`, and stores `answers()` with
//! `Store::check_in` once `is_done()`).
//!
//! Two questions, one key each: hip pain 0-10, then effort (RPE) 1-10.
//! A digit answers at once, except `1`, which may start `10`: it waits for
//! `0` (ten) or Enter (one); another digit instead replaces it. Enter with
//! nothing typed skips the question; Backspace takes back the half-typed
//! `1`, or goes back to the pain question; Esc skips what is left.

use super::record::Checkin;

/// A key as the prompt understands it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Digit(u8),
    Enter,
    Backspace,
    /// Esc (or q): no more questions.
    Skip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    /// Hip pain, 0 (none) to 10 (worst).
    Pain,
    /// Effort (RPE), 1 (very easy) to 10 (all out).
    Effort,
}

impl Question {
    fn range(self) -> (u8, u8) {
        match self {
            Question::Pain => (0, 10),
            Question::Effort => (1, 10),
        }
    }
}

/// The check-in being answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinPrompt {
    asking: Option<Question>,
    /// A `1` typed that may become `10`.
    pending_one: bool,
    pain: Option<u8>,
    effort: Option<u8>,
}

impl Default for CheckinPrompt {
    fn default() -> Self {
        CheckinPrompt::new()
    }
}

impl CheckinPrompt {
    pub fn new() -> CheckinPrompt {
        CheckinPrompt {
            asking: Some(Question::Pain),
            pending_one: false,
            pain: None,
            effort: None,
        }
    }

    /// The question being asked; `None` once done.
    pub fn question(&self) -> Option<Question> {
        self.asking
    }

    pub fn is_done(&self) -> bool {
        self.asking.is_none()
    }

    /// What was answered so far (a skipped question is `None`).
    pub fn answers(&self) -> Checkin {
        Checkin {
            pain: self.pain,
            effort: self.effort,
        }
    }

    /// The line to show: the question, what is typed, how to skip.
    pub fn prompt(&self) -> String {
        let typed = if self.pending_one { " 1_" } else { "" };
        match self.asking {
            Some(Question::Pain) => {
                format!("Hip pain now? 0 none … 10 worst (Enter skips, Esc skips both){typed}")
            }
            Some(Question::Effort) => {
                format!("How hard was it? 1 very easy … 10 all out (Enter skips){typed}")
            }
            None => "Thanks: noted.".to_string(),
        }
    }

    /// Takes one key.
    pub fn key(&mut self, key: Key) {
        let Some(question) = self.asking else { return };
        let (lo, _) = question.range();
        match key {
            Key::Skip => {
                self.pending_one = false;
                self.asking = None;
            }
            Key::Enter => {
                let answer = self.pending_one.then_some(1);
                self.answer(question, answer);
            }
            Key::Backspace => {
                if self.pending_one {
                    self.pending_one = false;
                } else if question == Question::Effort {
                    self.pain = None;
                    self.asking = Some(Question::Pain);
                }
            }
            Key::Digit(0) if self.pending_one => self.answer(question, Some(10)),
            Key::Digit(1) => self.pending_one = true,
            Key::Digit(d) if d <= 9 && d >= lo => self.answer(question, Some(d)),
            // Effort has no 0; a key that is no digit changes nothing.
            Key::Digit(_) => {}
        }
    }

    fn answer(&mut self, question: Question, value: Option<u8>) {
        self.pending_one = false;
        match question {
            Question::Pain => {
                self.pain = value;
                self.asking = Some(Question::Effort);
            }
            Question::Effort => {
                self.effort = value;
                self.asking = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(keys: &[Key]) -> CheckinPrompt {
        let mut p = CheckinPrompt::new();
        for &k in keys {
            p.key(k);
        }
        p
    }

    fn digits(text: &str) -> Vec<Key> {
        text.chars()
            .map(|c| match c {
                '\n' => Key::Enter,
                '<' => Key::Backspace,
                'x' => Key::Skip,
                d => Key::Digit(d.to_digit(10).unwrap() as u8),
            })
            .collect()
    }

    fn answered(text: &str) -> (Option<u8>, Option<u8>, bool) {
        let p = keys(&digits(text));
        (p.answers().pain, p.answers().effort, p.is_done())
    }

    #[test]
    fn one_key_answers_each_question() {
        assert_eq!(answered("36"), (Some(3), Some(6), true));
        assert_eq!(answered("09"), (Some(0), Some(9), true));
    }

    #[test]
    fn one_waits_for_zero_or_enter() {
        assert_eq!(answered("10"), (Some(10), None, false));
        assert_eq!(answered("1\n10"), (Some(1), Some(10), true));
        assert_eq!(answered("101\n"), (Some(10), Some(1), true));
        // Another digit replaces the half-typed 1.
        assert_eq!(answered("147"), (Some(4), Some(7), true));
    }

    #[test]
    fn enter_skips_a_question_and_esc_skips_the_rest() {
        assert_eq!(answered("\n5"), (None, Some(5), true));
        assert_eq!(answered("2\n"), (Some(2), None, true));
        assert_eq!(answered("x"), (None, None, true));
        assert_eq!(answered("3x"), (Some(3), None, true));
        // Keys after the end change nothing.
        assert_eq!(answered("368"), (Some(3), Some(6), true));
    }

    #[test]
    fn effort_has_no_zero_and_backspace_goes_back() {
        assert_eq!(answered("204"), (Some(2), Some(4), true));
        assert_eq!(answered("2<5"), (Some(5), None, false));
        assert_eq!(answered("1<3"), (Some(3), None, false));
        let p = keys(&digits("1"));
        assert!(p.prompt().ends_with("1_"), "{}", p.prompt());
        assert_eq!(p.question(), Some(Question::Pain));
        let p = keys(&digits("4"));
        assert_eq!(p.question(), Some(Question::Effort));
        assert!(p.prompt().starts_with("How hard"));
    }
}

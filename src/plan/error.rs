//! Profile errors: one line `FILE:LINE:COL: message` pointing at the value.
//!
//! Owns the conversion from byte spans to 1-based line and column, the
//! rewriting of the TOML parser's messages into ours, and the "did you
//! mean" hint.

use std::fmt;
use std::ops::Range;

/// One problem in one profile, already located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ProfileError {}

/// All the problems found in one file, in source order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileErrors(pub Vec<ProfileError>);

impl fmt::Display for ProfileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ProfileErrors {}

/// Turns byte offsets of one source text into `FILE:LINE:COL` errors.
pub struct Locator<'a> {
    file: &'a str,
    source: &'a str,
}

impl<'a> Locator<'a> {
    pub fn new(file: &'a str, source: &'a str) -> Self {
        Locator { file, source }
    }

    /// Line and column (both 1-based, column in characters) of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.source[..offset];
        let line = before.matches('\n').count() + 1;
        // A byte-order mark some editors write is not a column.
        let line_start = before
            .rfind('\n')
            .map_or(before.strip_prefix('\u{feff}').map_or(0, |_| 3), |i| i + 1);
        let column = before[line_start.min(before.len())..].chars().count() + 1;
        (line, column)
    }

    pub fn error(&self, span: &Range<usize>, message: impl Into<String>) -> ProfileError {
        let (line, column) = self.line_col(span.start);
        ProfileError {
            file: self.file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }

    /// Our message for an error from the TOML parser or serde.
    pub fn from_toml(&self, error: &toml::de::Error) -> ProfileError {
        let span = error.span().unwrap_or(0..0);
        let message = rewrite_toml_message(error.message(), &self.source[span.clone()]);
        self.error(&span, message)
    }
}

/// The TOML parser's message, made ours: one line, naming the key.
fn rewrite_toml_message(message: &str, spanned_text: &str) -> String {
    let message = message.trim().trim_end_matches('.');
    if message == "duplicate key" {
        return format!("duplicate key `{}`", spanned_text.trim());
    }
    first_line(message).to_string()
}

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or(message)
}

/// The closest known key, if it is close enough to be a typo.
pub fn suggest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&key.to_lowercase(), k), *k))
        .filter(|(distance, k)| *distance <= 2.max(k.len() / 3))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        let locator = Locator::new("f.toml", "a = 1\nbé = 2\n");
        assert_eq!(locator.line_col(0), (1, 1));
        assert_eq!(locator.line_col(6), (2, 1));
        assert_eq!(locator.line_col(10), (2, 4));
        let with_bom = Locator::new("f.toml", "\u{feff}a = 1\n");
        assert_eq!(with_bom.line_col(3), (1, 1));
        assert_eq!(with_bom.line_col(7), (1, 5));
    }

    #[test]
    fn suggestions() {
        let keys = ["cadence", "speed", "sides"];
        assert_eq!(suggest("cadance", &keys), Some("cadence"));
        assert_eq!(suggest("Speed", &keys), Some("speed"));
        assert_eq!(suggest("zzzzzz", &keys), None);
    }
}

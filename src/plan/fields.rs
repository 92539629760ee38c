//! Typed reading of one profile value: the right TOML type, a parsable
//! quantity, inside its range. Every failure becomes a located error and
//! reading goes on, so one `check` reports every problem in a file; the
//! `Reader` keeps those errors and puts them in source order.

use std::ops::Range;

use toml::de::{DeInteger, DeValue};
use toml::Spanned;

use super::error::{Locator, ProfileError};
use super::limits::{
    CADENCE_RANGE, INCLINE_RANGE, MAX_REPORTED_ERRORS, MAX_STEP_S, MIN_STEP_S, SPEED_RANGE_KMH,
};
use super::profile::Field;
use super::quantity::{self, Ramp};
use crate::units::trim_number;

/// An integer as TOML wrote it, in any base; `None` past i64.
fn integer_value(n: &DeInteger) -> Option<i64> {
    i64::from_str_radix(n.as_str(), n.radix()).ok()
}

/// A TOML number as f64, however large: an integer too big for i64 is
/// still a number (just outside every range), not a different type.
fn number_value(value: &DeValue) -> Option<f64> {
    match value {
        DeValue::Integer(n) => Some(integer_value(n).map_or_else(
            || match n.radix() {
                10 => n.as_str().parse().unwrap_or(f64::INFINITY),
                radix => {
                    u128::from_str_radix(n.as_str(), radix).map_or(f64::INFINITY, |v| v as f64)
                }
            },
            |v| v as f64,
        )),
        DeValue::Float(x) => Some(x.as_str().parse().unwrap_or(f64::NAN)),
        _ => None,
    }
}

/// A number as the profile wrote it, for messages.
fn written(value: &DeValue) -> String {
    match value {
        DeValue::Integer(n) => n.to_string(),
        DeValue::Float(x) => x.as_str().to_string(),
        _ => String::new(),
    }
}

/// Collects errors while reading the values of one file.
pub struct Reader<'a> {
    locator: Locator<'a>,
    /// Byte offset and message: turned into lines and columns only for the
    /// errors reported, so that a file with thousands of errors stays quick.
    errors: Vec<(usize, String)>,
}

impl<'a> Reader<'a> {
    pub fn new(locator: Locator<'a>) -> Self {
        Reader {
            locator,
            errors: Vec::new(),
        }
    }

    pub fn fail<T>(&mut self, span: &Range<usize>, message: impl Into<String>) -> Option<T> {
        self.errors.push((span.start, message.into()));
        None
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The errors, in source order; past `MAX_REPORTED_ERRORS`, one more
    /// line at the first unreported error says how many were left out.
    pub fn into_errors(mut self) -> Vec<ProfileError> {
        self.errors.sort_by_key(|(offset, _)| *offset);
        if self.errors.len() > MAX_REPORTED_ERRORS {
            let left_out = self.errors.len() - MAX_REPORTED_ERRORS;
            self.errors.truncate(MAX_REPORTED_ERRORS + 1);
            self.errors[MAX_REPORTED_ERRORS].1 = format!(
                "and {} more {} from here on, not shown",
                crate::units::count_text(left_out as u64),
                if left_out == 1 { "problem" } else { "problems" }
            );
        }
        let locator = &self.locator;
        self.errors
            .iter()
            .map(|(offset, message)| locator.error(&(*offset..*offset), message.as_str()))
            .collect()
    }

    fn wrong_type<T>(&mut self, value: &Spanned<DeValue>, key: &str, wanted: &str) -> Option<T> {
        let found = match value.get_ref() {
            DeValue::String(_) => "text",
            DeValue::Integer(_) => "a whole number",
            DeValue::Float(_) => "a decimal number",
            DeValue::Boolean(_) => "true/false",
            DeValue::Datetime(_) => "a date",
            DeValue::Array(_) => "a list",
            DeValue::Table(_) => "a table",
        };
        self.fail(
            &value.span(),
            format!("`{key}` must be {wanted}, not {found}"),
        )
    }

    pub fn string(&mut self, field: &Field, key: &str) -> Option<String> {
        let value = field.as_ref()?;
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => self.wrong_type(value, key, "a string"),
        }
    }

    /// A string that must be one of `choices`, with a hint when it is close.
    pub fn choice(&mut self, field: &Field, key: &str, choices: &[&str]) -> Option<String> {
        let text = self.string(field, key)?;
        if choices.contains(&text.as_str()) {
            return Some(text);
        }
        let span = field.as_ref()?.span();
        let hint = match super::error::suggest(&text, choices) {
            Some(close) => format!("did you mean \"{close}\"?"),
            None => format!("expected one of: {}", choices.join(", ")),
        };
        self.fail(&span, format!("`{key}` cannot be \"{text}\"; {hint}"))
    }

    pub fn boolean(&mut self, field: &Field, key: &str) -> Option<bool> {
        let value = field.as_ref()?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => self.wrong_type(value, key, "true or false"),
        }
    }

    pub fn integer(&mut self, field: &Field, key: &str, range: (i64, i64)) -> Option<i64> {
        let value = field.as_ref()?;
        let DeValue::Integer(n) = value.get_ref() else {
            return self.wrong_type(value, key, "a whole number");
        };
        match integer_value(n) {
            Some(n) if (range.0..=range.1).contains(&n) => Some(n),
            _ => {
                let (lo, hi) = range;
                self.fail(
                    &value.span(),
                    format!("`{key}` is {n}; it must be {lo} to {hi}"),
                )
            }
        }
    }

    pub fn number(&mut self, field: &Field, key: &str, range: (f64, f64)) -> Option<f64> {
        let value = field.as_ref()?;
        let Some(n) = number_value(value.get_ref()) else {
            return self.wrong_type(value, key, "a number");
        };
        if n >= range.0 && n <= range.1 {
            Some(n)
        } else {
            let (lo, hi) = range;
            let n = written(value.get_ref());
            self.fail(
                &value.span(),
                format!("`{key}` is {n}; it must be {lo} to {hi}"),
            )
        }
    }

    /// A text value parsed by `parse`; a number is accepted where
    /// `from_number` says how to read it.
    fn quantity<T>(
        &mut self,
        field: &Field,
        key: &str,
        wanted: &str,
        parse: impl Fn(&str) -> Result<T, String>,
        from_number: Option<fn(f64) -> T>,
    ) -> Option<(T, Range<usize>)> {
        let value = field.as_ref()?;
        let span = value.span();
        let parsed = match (value.get_ref(), from_number) {
            (DeValue::String(s), _) => parse(s).map_err(|message| {
                // "165-175" is a ramp written with a dash: say how to write it.
                match quantity::dash_as_ramp(s).filter(|fixed| parse(fixed).is_ok()) {
                    Some(fixed) => {
                        format!("`{s}` is not a ramp: write it with two dots, \"{fixed}\"")
                    }
                    None => message,
                }
            }),
            (DeValue::Integer(_) | DeValue::Float(_), Some(f)) => {
                Ok(f(number_value(value.get_ref()).unwrap_or(f64::NAN)))
            }
            _ => return self.wrong_type(value, key, wanted),
        };
        match parsed {
            Ok(v) => Some((v, span)),
            Err(message) => self.fail(&span, format!("`{key}`: {message}")),
        }
    }

    /// A duration of 1 s to 24 h.
    pub fn duration(&mut self, field: &Field, key: &str) -> Option<f64> {
        let wanted = "a time in quotes, like \"90s\", \"3m\" or \"1:30\"";
        let negative = field
            .as_ref()?
            .get_ref()
            .as_str()
            .is_some_and(|s| s.trim().starts_with('-'));
        if negative {
            let span = field.as_ref()?.span();
            return self.fail(&span, format!("`{key}` must be longer than zero"));
        }
        let (seconds, span) = self.quantity(field, key, wanted, quantity::parse_duration, None)?;
        if seconds <= 0.0 {
            return self.fail(&span, format!("`{key}` must be longer than zero"));
        }
        if seconds < MIN_STEP_S {
            return self.fail(&span, format!("`{key}` must be at least 1 second"));
        }
        if seconds > MAX_STEP_S {
            return self.fail(&span, format!("`{key}` is longer than 24 hours"));
        }
        Some(seconds)
    }

    pub fn distance(&mut self, field: &Field) -> Option<f64> {
        let wanted = "a distance in quotes, like \"800 m\" or \"1 mi\"";
        let (metres, span) =
            self.quantity(field, "distance", wanted, quantity::parse_distance, None)?;
        if metres > 0.0 {
            Some(metres)
        } else {
            self.fail(&span, "`distance` must be longer than zero")
        }
    }

    pub fn cadence(&mut self, field: &Field) -> Option<Ramp> {
        let wanted = "a number like 170 or a ramp like \"160..170\"";
        let (ramp, span) = self.quantity(
            field,
            "cadence",
            wanted,
            quantity::parse_cadence,
            Some(Ramp::constant),
        )?;
        let ramp = self.in_range(ramp, &span, CADENCE_RANGE, |x| {
            let x = written_number(x);
            format!("`cadence` {x} spm is out of range (60 to 240 spm)")
        })?;
        // The docs promise whole steps per minute, and the screen and the
        // announcements show whole numbers: 170.5 would show as 170.
        match [ramp.from, ramp.to].into_iter().find(|x| x.fract() != 0.0) {
            Some(x) => {
                let (below, above) = (x.floor(), x.ceil());
                self.fail(
                    &span,
                    format!("`cadence` {x} is not a whole number of steps per minute; write {below} or {above}"),
                )
            }
            None => Some(ramp),
        }
    }

    pub fn speed(&mut self, field: &Field) -> Option<Ramp> {
        let wanted = "a speed in quotes, like \"10 km/h\" or \"6.2 mph\"";
        let (ramp, span) = self.quantity(field, "speed", wanted, quantity::parse_speed, None)?;
        self.in_range(ramp, &span, SPEED_RANGE_KMH, |x| {
            let x = trim_number(x, 2);
            format!("`speed` {x} km/h is out of range (0.5 to 30 km/h)")
        })
    }

    pub fn pace(&mut self, field: &Field) -> Option<Ramp> {
        let wanted = "a pace in quotes, like \"5:30/km\" or \"8:50/mi\"";
        let (ramp, span) = self.quantity(field, "pace", wanted, quantity::parse_pace, None)?;
        self.in_range(ramp, &span, SPEED_RANGE_KMH, |x| {
            let x = trim_number(x, 2);
            format!("`pace` means a speed of {x} km/h, out of range (0.5 to 30 km/h)")
        })
    }

    pub fn incline(&mut self, field: &Field) -> Option<Ramp> {
        let wanted = "a percentage like \"4%\" or a ramp like \"1..6%\"";
        let (ramp, span) = self.quantity(
            field,
            "incline",
            wanted,
            quantity::parse_incline,
            Some(Ramp::constant),
        )?;
        self.in_range(ramp, &span, INCLINE_RANGE, |x| {
            let x = written_number(x);
            format!("`incline` {x}% is out of range (-5% to 30%)")
        })
    }

    /// Checks both ends of a ramp (a constant is a ramp with equal ends).
    fn in_range(
        &mut self,
        ramp: Ramp,
        span: &Range<usize>,
        (lo, hi): (f64, f64),
        message: impl Fn(f64) -> String,
    ) -> Option<Ramp> {
        for end in [ramp.from, ramp.to] {
            if !(lo..=hi).contains(&end) {
                return self.fail(span, message(end));
            }
        }
        Some(ramp)
    }
}

/// A number for a message: as is when it is modest, in scientific notation
/// when it is huge (a 20-digit integer in a profile is a slip, not a value).
fn written_number(x: f64) -> String {
    if x.abs() < 1e9 {
        x.to_string()
    } else {
        format!("{x:e}")
    }
}

//! Typed reading of one profile value: the right TOML type, a parsable
//! quantity, inside its range. Every failure becomes a located error and
//! reading goes on, so one `check` reports every problem in a file.

use std::ops::Range;

use toml::{Spanned, Value};

use super::error::{Locator, ProfileError};
use super::quantity::{self, Ramp};
use crate::units::trim_number;

pub const MAX_STEP_S: f64 = 24.0 * 3600.0;
pub const CADENCE_RANGE: (f64, f64) = (60.0, 240.0);
pub const SPEED_RANGE_KMH: (f64, f64) = (0.5, 30.0);
pub const INCLINE_RANGE: (f64, f64) = (-5.0, 30.0);

/// Collects errors while reading the values of one file.
pub struct Reader<'a> {
    locator: Locator<'a>,
    pub errors: Vec<ProfileError>,
}

type Field = Option<Spanned<Value>>;

impl<'a> Reader<'a> {
    pub fn new(locator: Locator<'a>) -> Self {
        Reader {
            locator,
            errors: Vec::new(),
        }
    }

    pub fn fail<T>(&mut self, span: &Range<usize>, message: impl Into<String>) -> Option<T> {
        self.errors.push(self.locator.error(span, message));
        None
    }

    fn wrong_type<T>(&mut self, value: &Spanned<Value>, key: &str, wanted: &str) -> Option<T> {
        let found = match value.get_ref() {
            Value::String(_) => "text",
            Value::Integer(_) => "a whole number",
            Value::Float(_) => "a decimal number",
            Value::Boolean(_) => "true/false",
            Value::Datetime(_) => "a date",
            Value::Array(_) => "a list",
            Value::Table(_) => "a table",
        };
        self.fail(
            &value.span(),
            format!("`{key}` must be {wanted}, not {found}"),
        )
    }

    pub fn string(&mut self, field: &Field, key: &str) -> Option<String> {
        let value = field.as_ref()?;
        match value.get_ref() {
            Value::String(s) => Some(s.clone()),
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
            Value::Boolean(b) => Some(*b),
            _ => self.wrong_type(value, key, "true or false"),
        }
    }

    pub fn integer(&mut self, field: &Field, key: &str, range: (i64, i64)) -> Option<i64> {
        let value = field.as_ref()?;
        let Value::Integer(n) = value.get_ref() else {
            return self.wrong_type(value, key, "a whole number");
        };
        if (range.0..=range.1).contains(n) {
            Some(*n)
        } else {
            let (lo, hi) = range;
            self.fail(
                &value.span(),
                format!("`{key}` is {n}; it must be {lo} to {hi}"),
            )
        }
    }

    pub fn number(&mut self, field: &Field, key: &str, range: (f64, f64)) -> Option<f64> {
        let value = field.as_ref()?;
        let n = match value.get_ref() {
            Value::Integer(n) => *n as f64,
            Value::Float(x) => *x,
            _ => return self.wrong_type(value, key, "a number"),
        };
        if n >= range.0 && n <= range.1 {
            Some(n)
        } else {
            let (lo, hi) = range;
            self.fail(
                &value.span(),
                format!("`{key}` is {n}; it must be {lo} to {hi}"),
            )
        }
    }

    /// A text value parsed by `parse`; a number is accepted where `number_ok`.
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
            (Value::String(s), _) => parse(s),
            (Value::Integer(n), Some(f)) => Ok(f(*n as f64)),
            (Value::Float(x), Some(f)) if x.is_finite() => Ok(f(*x)),
            _ => return self.wrong_type(value, key, wanted),
        };
        match parsed {
            Ok(v) => Some((v, span)),
            Err(message) => self.fail(&span, format!("`{key}`: {message}")),
        }
    }

    /// A positive duration of at most 24 h.
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
        self.in_range(ramp, &span, CADENCE_RANGE, |x| {
            format!("`cadence` {x} spm is out of range (60 to 240 spm)")
        })
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
            format!("`incline` {x}% is out of range (-5% to 30%)")
        })
    }

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

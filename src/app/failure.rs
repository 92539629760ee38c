//! What a command failure means to the shell: a message of one line per
//! problem, and the exit code SPEC section 1 gives it.

use std::fmt;

use crate::plan::ProfileErrors;

/// Exit code for invalid input: a bad profile or flag value.
pub const EXIT_INVALID: u8 = 1;
/// Exit code for a device or I/O failure.
pub const EXIT_DEVICE: u8 = 2;

#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn invalid(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_INVALID,
            message: message.into(),
        }
    }

    pub fn device(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_DEVICE,
            message: message.into(),
        }
    }

    /// An I/O error with its whole context chain on one line.
    pub fn io(error: anyhow::Error) -> Self {
        Failure::device(format!("{error:#}"))
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<ProfileErrors> for Failure {
    fn from(errors: ProfileErrors) -> Self {
        Failure::invalid(errors.to_string())
    }
}

pub type CommandResult = Result<(), Failure>;

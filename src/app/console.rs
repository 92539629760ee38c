//! Standard output for the commands' reports, without `println!`'s panic.
//!
//! `println!` panics when stdout is closed or full (`treadbeat plan x |
//! head -1`, `> /dev/full`). Here a reader that went away ends the process
//! quietly with 0, as `cat` ends on SIGPIPE: the report was wanted no
//! further. Any other write error (a full disk) is one line on stderr and
//! exit 2. Both end the process at once: stdout is where every command
//! reports, so nothing is left to do once it is gone, and every command
//! writes its files before it reports them.

use std::fmt;
use std::io::{self, Write};

use super::failure::EXIT_DEVICE;

/// Prints to stdout like `print!`; a closed or full stdout ends the process.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::app::console::write(format_args!($($arg)*))
    };
}

/// Prints a line to stdout like `println!`; a closed or full stdout ends the process.
macro_rules! outln {
    () => {
        $crate::app::console::write(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::app::console::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {out, outln};

/// Writes to stdout, or ends the process as the module doc says.
pub fn write(text: fmt::Arguments<'_>) {
    let mut stdout = io::stdout().lock();
    if let Err(error) = stdout.write_fmt(text) {
        stdout_failed(&error);
    }
}

/// Flushes what is buffered (the last line without a newline) before exit.
pub fn flush() {
    if let Err(error) = io::stdout().lock().flush() {
        stdout_failed(&error);
    }
}

fn stdout_failed(error: &io::Error) -> ! {
    if error.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("cannot write to standard output: {}", plain_io_error(error));
    std::process::exit(i32::from(EXIT_DEVICE));
}

/// "No space left on device", without std's " (os error 28)".
pub fn plain_io_error(error: &io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

//! The `treadbeat` binary: parse arguments, run the command, exit with its code.

use std::process::ExitCode;

fn main() -> ExitCode {
    treadbeat::app::main()
}

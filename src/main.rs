//! The `treadbeat` binary: parse arguments, run the command, exit with its code.

use std::process::ExitCode;

// Debug builds forbid allocation inside the live audio callback (see
// io::output); the allocator is what enforces it.
#[cfg(debug_assertions)]
#[global_allocator]
static ALLOCATOR: assert_no_alloc::AllocDisabler = assert_no_alloc::AllocDisabler;

fn main() -> ExitCode {
    treadbeat::app::main()
}

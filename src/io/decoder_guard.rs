//! A decoder's panic becomes an error, quietly.
//!
//! The decoders (symphonia, through rodio) are well-kept, but a hostile or
//! broken file can still trip an assertion inside one (seen: a stray
//! ADTS-looking header in random bytes panics the AAC reader). A recording
//! or sample is user input, and no input may panic treadbeat: decoding runs
//! under `catch_unwind`, and while it does the panic hook stays silent, so
//! the user sees one line, not a backtrace.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static DECODING: Cell<bool> = const { Cell::new(false) };
}

static QUIET_HOOK: Once = Once::new();

/// Runs `decode`; a panic inside it comes back as `Err` with its message.
pub fn guarded<T>(decode: impl FnOnce() -> T) -> Result<T, String> {
    QUIET_HOOK.call_once(|| {
        let loud = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !DECODING.with(Cell::get) {
                loud(info);
            }
        }));
    });
    let was = DECODING.with(|d| d.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(decode));
    DECODING.with(|d| d.set(was));
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".into());
        format!("the decoder failed: {message}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_is_an_error_outside() {
        assert_eq!(guarded(|| 7), Ok(7));
        let error = guarded(|| -> u8 { panic!("step != 0") }).unwrap_err();
        assert_eq!(error, "the decoder failed: step != 0");
        // The guard is left as it was found.
        assert!(!DECODING.with(Cell::get));
    }
}

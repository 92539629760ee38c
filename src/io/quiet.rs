//! Device libraries talk: ALSA and its JACK/OSS plugins print diagnostics
//! straight to stderr while devices are probed. treadbeat's promise is one
//! clear line per error, so probing runs with stderr silenced.

/// Runs `probe` with the process's stderr sent to /dev/null (on Unix).
pub fn quietly<T>(probe: impl FnOnce() -> T) -> T {
    #[cfg(unix)]
    let _gag = gag::Gag::stderr().ok();
    probe()
}

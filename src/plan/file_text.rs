//! A profile file's bytes -> its text: the size limit and UTF-8, checked
//! before any parsing, with errors located like every other profile error.

use super::error::{Locator, ProfileError, ProfileErrors};
use super::limits::MAX_PROFILE_BYTES;

/// The message for a file over `MAX_PROFILE_BYTES`, reported at 1:1.
pub fn too_large_message() -> String {
    format!(
        "the profile is larger than {} MB, the most a profile may be",
        MAX_PROFILE_BYTES / 1_000_000
    )
}

/// The text of a profile file, or where it stops being UTF-8. A reader
/// need pass at most `MAX_PROFILE_BYTES + 1` bytes of a larger file.
pub fn profile_text<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str, ProfileErrors> {
    let at_start = |message: String| {
        Err(ProfileErrors(vec![ProfileError {
            file: file.to_string(),
            line: 1,
            column: 1,
            message,
        }]))
    };
    if bytes.len() > MAX_PROFILE_BYTES {
        return at_start(too_large_message());
    }
    // What Windows editors call "Unicode" is UTF-16: say so, not "byte 0xFF".
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return at_start("the profile is UTF-16 text; save it as UTF-8".to_string());
    }
    std::str::from_utf8(bytes).map_err(|error| {
        let valid_up_to = error.valid_up_to();
        let valid = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
        let message = format!(
            "not UTF-8 text (byte 0x{:02X}); save the profile as UTF-8",
            bytes[valid_up_to]
        );
        let span = valid.len()..valid.len();
        ProfileErrors(vec![Locator::new(file, valid).error(&span, message)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_and_the_first_bad_byte_is_located() {
        assert_eq!(
            profile_text("p.toml", b"name = \"ok\"\n"),
            Ok("name = \"ok\"\n")
        );
        let errors = profile_text("p.toml", b"name = \"x\"\nsay = \"caf\xE9\"\n").unwrap_err();
        assert_eq!(
            errors.to_string(),
            "p.toml:2:11: not UTF-8 text (byte 0xE9); save the profile as UTF-8"
        );
        let errors = profile_text("p.toml", b"\xFF\xFEn\0a\0").unwrap_err();
        assert!(errors
            .to_string()
            .starts_with("p.toml:1:1: the profile is UTF-16"));
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_decoding() {
        let bytes = vec![b'#'; MAX_PROFILE_BYTES + 1];
        let errors = profile_text("big.toml", &bytes).unwrap_err();
        assert_eq!(
            errors.to_string(),
            "big.toml:1:1: the profile is larger than 1 MB, the most a profile may be"
        );
        assert!(profile_text("ok.toml", &bytes[..MAX_PROFILE_BYTES]).is_ok());
    }
}

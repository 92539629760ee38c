//! `detect --clicks FILE`: the times the clicks were played, one number of
//! seconds a line (session time: t = 0 at `--start`), `#` starting a
//! comment. What is wrong in it is reported as `FILE:LINE:COL: what`.

use std::path::Path;

use super::failure::Failure;

/// The click times in `text` (seconds, increasing), or the first thing
/// wrong with it as `LINE:COL: what`.
pub fn parse_click_times(text: &str) -> Result<Vec<f64>, String> {
    let mut times: Vec<f64> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let content = line.split('#').next().unwrap_or("");
        let word = content.trim();
        if word.is_empty() {
            continue;
        }
        let col = content.find(word).unwrap_or(0) + 1;
        let at = format!("{}:{col}", n + 1);
        let t: f64 = word
            .parse()
            .map_err(|_| format!("{at}: not a time in seconds: {word:?}"))?;
        if !t.is_finite() || t < 0.0 {
            return Err(format!("{at}: a click time is 0 s or more, not {word}"));
        }
        if times.last().is_some_and(|&last| t <= last) {
            return Err(format!(
                "{at}: click times must increase ({word} after {})",
                times[times.len() - 1]
            ));
        }
        times.push(t);
    }
    Ok(times)
}

/// The click times in the file at `path`.
pub fn read_click_times(path: &Path) -> Result<Vec<f64>, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::device(format!("cannot read {}: {e}", path.display())))?;
    parse_click_times(&text).map_err(|e| Failure::invalid(format!("{}:{e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_comments_and_blank_lines() {
        let text = "# clicks of a metronome app\n0.5\n  0.85   # the second\n\n1.2\n";
        assert_eq!(parse_click_times(text), Ok(vec![0.5, 0.85, 1.2]));
    }

    #[test]
    fn what_is_wrong_says_where() {
        assert_eq!(
            parse_click_times("0.5\n  abc\n"),
            Err("2:3: not a time in seconds: \"abc\"".to_string())
        );
        assert_eq!(
            parse_click_times("0.5\n0.4\n"),
            Err("2:1: click times must increase (0.4 after 0.5)".to_string())
        );
        assert!(parse_click_times("-1\n").unwrap_err().starts_with("1:1: "));
        assert!(parse_click_times("NaN\n").unwrap_err().starts_with("1:1: "));
    }
}

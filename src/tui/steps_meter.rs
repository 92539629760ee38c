//! The runner's own steps, heard by the microphone or a drum trigger: the
//! measured cadence beside the target, a meter of how far the latest step
//! landed ahead of or behind its click, and the last warning.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::theme::Theme;

/// What the detector heard last.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Heard {
    /// The running cadence, once enough steps are in.
    pub cadence_spm: Option<f64>,
    /// The latest step's offset from its click (ms; negative is early).
    pub offset_ms: f64,
}

/// Offsets the meter spans either side of the beat (ms): past this a step
/// is plainly off the beat and the exact number is on the line anyway.
pub const METER_MS: f64 = 100.0;
pub const STEP_MARK: char = '●';

/// The meter, `cells` wide (odd keeps the beat in the middle): the beat as
/// '┃', the step as '●', clamped to the ends.
pub fn meter(offset_ms: f64, cells: usize) -> String {
    let cells = cells.max(3) | 1;
    let half = (cells / 2) as f64;
    let at = (half + (offset_ms / METER_MS).clamp(-1.0, 1.0) * half).round() as usize;
    (0..cells)
        .map(|i| match i {
            i if i == at => STEP_MARK,
            i if i == cells / 2 => '┃',
            _ => '─',
        })
        .collect()
}

/// "you 172 spm / 170" and "+12 ms", the two ends of the meter line.
fn ends(heard: Option<Heard>, target: Option<f64>) -> (String, String) {
    let you = heard
        .and_then(|h| h.cadence_spm)
        .map_or("…".to_string(), |c| format!("{c:.0}"));
    let target = target.map_or(String::new(), |t| format!(" / {t:.0}"));
    let offset = heard.map_or("  — ms".to_string(), |h| {
        format!("{:+4.0} ms", h.offset_ms)
    });
    (
        format!("YOU {you} spm{target}  early "),
        format!(" late {offset}"),
    )
}

/// The meter line at `width` columns, the meter taking what is left.
pub fn meter_line(heard: Option<Heard>, target: Option<f64>, width: usize) -> String {
    let (left, right) = ends(heard, target);
    let room = width.saturating_sub(left.chars().count() + right.chars().count());
    let bar = match heard {
        Some(h) => meter(h.offset_ms, room.saturating_sub(1)),
        None => " ".repeat(room.saturating_sub(1) | 1),
    };
    format!("{left}{bar}{right}")
}

pub struct StepsPanel<'a> {
    pub heard: Option<Heard>,
    pub target_spm: Option<f64>,
    pub warning: Option<&'a str>,
    pub theme: Theme,
}

impl Widget for StepsPanel<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height == 0 {
            return;
        }
        let line = meter_line(self.heard, self.target_spm, usize::from(area.width));
        buf.set_stringn(
            area.x,
            area.y,
            line,
            usize::from(area.width),
            self.theme.digits(),
        );
        if let (Some(text), true) = (self.warning, area.height > 1) {
            let warning = Line::from(vec![Span::styled(
                format!(" ⚠ {text} "),
                self.theme.warning(),
            )]);
            buf.set_line(area.x, area.y + 1, &warning, area.width);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meter_places_the_step_against_the_beat() {
        assert_eq!(meter(0.0, 11), "─────●─────");
        assert_eq!(meter(-50.0, 11), "───●─┃─────");
        assert_eq!(meter(100.0, 11), "─────┃────●");
        assert_eq!(meter(-400.0, 11), "●────┃─────");
        // An even width grows by one to keep the beat centred.
        assert_eq!(meter(0.0, 10).chars().count(), 11);
    }

    #[test]
    fn the_line_fits_its_width_with_both_numbers() {
        let heard = Some(Heard {
            cadence_spm: Some(171.6),
            offset_ms: 12.0,
        });
        let line = meter_line(heard, Some(170.0), 60);
        assert!(line.starts_with("YOU 172 spm / 170  early "), "{line}");
        assert!(line.ends_with(" late  +12 ms"), "{line}");
        assert!(line.chars().count() <= 60, "{line}");
        assert!(line.contains(STEP_MARK));
        let waiting = meter_line(None, Some(170.0), 60);
        assert!(waiting.starts_with("YOU … spm / 170"), "{waiting}");
        assert!(!waiting.contains(STEP_MARK));
    }
}

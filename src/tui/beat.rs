//! The beat cell: a block that lights on every click, harder on accents.
//! Whether it is lit comes from the engine's telemetry (the device frame
//! of the latest click against the frames handed to the device), so it
//! follows the audio clock, never a timer of the screen's own; the count
//! of clicks under it changes on every one, lit or not when drawn.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::theme::Theme;
use crate::engine::Telemetry;

/// How long the cell stays lit after a click (s): long enough to be drawn
/// by a 20 ms screen tick and seen, short enough to go dark between beats
/// at 200 spm (300 ms apart).
pub const FLASH_S: f64 = 0.12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pulse {
    Dark,
    Beat,
    Accent,
}

/// The cell's state for this telemetry at `rate` frames a second.
pub fn pulse(telemetry: &Telemetry, rate: u32) -> Pulse {
    let Some(frame) = telemetry.last_click_frame else {
        return Pulse::Dark;
    };
    let since = telemetry.device_frames.0.saturating_sub(frame.0) as f64 / f64::from(rate.max(1));
    match () {
        _ if telemetry.paused || since >= FLASH_S => Pulse::Dark,
        _ if telemetry.last_click_accent => Pulse::Accent,
        _ => Pulse::Beat,
    }
}

/// What fills the cell: solid on an accent, shaded on a beat, dots when
/// dark, so the pulse reads without colour too.
pub fn fill(pulse: Pulse) -> char {
    match pulse {
        Pulse::Dark => '·',
        Pulse::Beat => '▒',
        Pulse::Accent => '█',
    }
}

pub struct BeatCell {
    pub pulse: Pulse,
    pub clicks: u64,
    pub theme: Theme,
}

impl Widget for BeatCell {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height == 0 || area.width < 2 {
            return;
        }
        // The last row counts the clicks; the rest is the light.
        let light = Rect {
            height: area.height.saturating_sub(1).max(1),
            x: area.x + 1,
            width: area.width - 1,
            ..area
        };
        let style = match self.pulse {
            Pulse::Dark => self.theme.caption(),
            lit => self.theme.beat(lit == Pulse::Accent),
        };
        let symbol = fill(self.pulse).to_string();
        for y in light.top()..light.bottom() {
            for x in light.left()..light.right() {
                buf[(x, y)].set_symbol(&symbol).set_style(style);
            }
        }
        if area.height > 1 {
            let count = format!("{:>w$}", self.clicks, w = usize::from(light.width));
            buf.set_stringn(
                light.x,
                area.bottom() - 1,
                count,
                usize::from(light.width),
                self.theme.caption(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::DeviceFrame;

    fn clicked(device: u64, frame: u64, accent: bool) -> Telemetry {
        Telemetry {
            device_frames: DeviceFrame(device),
            last_click_frame: Some(DeviceFrame(frame)),
            last_click_accent: accent,
            ..Telemetry::default()
        }
    }

    #[test]
    fn lit_just_after_a_click_and_dark_before_the_next() {
        let rate = 1000;
        assert_eq!(pulse(&clicked(1010, 1000, false), rate), Pulse::Beat);
        assert_eq!(pulse(&clicked(1010, 1000, true), rate), Pulse::Accent);
        assert_eq!(pulse(&clicked(1119, 1000, true), rate), Pulse::Accent);
        assert_eq!(pulse(&clicked(1120, 1000, true), rate), Pulse::Dark);
        assert_eq!(pulse(&Telemetry::default(), rate), Pulse::Dark);
        let mut paused = clicked(1010, 1000, false);
        paused.paused = true;
        assert_eq!(pulse(&paused, rate), Pulse::Dark);
    }

    #[test]
    fn the_cell_fills_by_pulse_and_counts_clicks() {
        let area = Rect::new(0, 0, 6, 3);
        let draw = |pulse| {
            let mut buf = Buffer::empty(area);
            BeatCell {
                pulse,
                clicks: 42,
                theme: Theme { color: false },
            }
            .render(area, &mut buf);
            (0..3)
                .map(|y| (0..6).map(|x| buf[(x, y)].symbol()).collect::<String>())
                .collect::<Vec<_>>()
        };
        assert_eq!(draw(Pulse::Accent), vec![" █████", " █████", "    42"]);
        assert_eq!(draw(Pulse::Beat), vec![" ▒▒▒▒▒", " ▒▒▒▒▒", "    42"]);
        assert_eq!(draw(Pulse::Dark), vec![" ·····", " ·····", "    42"]);
    }
}

//! The beat cell: a block that lights on every click, harder on accents.
//! Whether it is lit comes from the audio clock, never a timer of the
//! screen's own: the device frame of the latest click (telemetry) against
//! the device frame being heard now (the stream's playback stamp). The
//! frames handed to the device run a buffer or so ahead of what is heard,
//! so lighting from them would flash before the click sounds. The count of
//! clicks under the cell changes on every one, lit or not when drawn.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::theme::Theme;
use crate::engine::Telemetry;
use crate::units::DeviceFrame;

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

/// The device frame heard at `now_ns` on the stream clock, from a stamp
/// "device frame F starts playing at N ns": F plus the frames played since
/// N (minus those still to play before it), and never a frame not yet
/// handed to the device.
pub fn heard_frame(
    stamp: (DeviceFrame, u64),
    now_ns: u64,
    rate: u32,
    device_frames: DeviceFrame,
) -> DeviceFrame {
    let (frame, playback_ns) = stamp;
    let since_ns = i128::from(now_ns) - i128::from(playback_ns);
    let heard = i128::from(frame.0) + since_ns * i128::from(rate) / 1_000_000_000;
    DeviceFrame(heard.clamp(0, i128::from(device_frames.0)) as u64)
}

/// The cell's state for this telemetry at `rate` frames a second, with
/// `heard` the device frame being heard now (`None`: the frames handed to
/// the device stand in for it).
pub fn pulse(telemetry: &Telemetry, rate: u32, heard: Option<DeviceFrame>) -> Pulse {
    let Some(frame) = telemetry.last_click_frame else {
        return Pulse::Dark;
    };
    let heard = heard.unwrap_or(telemetry.device_frames);
    // A click rendered but not yet heard: dark until it sounds (the one
    // before it rang out at least a beat ago).
    let Some(since) = heard.0.checked_sub(frame.0) else {
        return Pulse::Dark;
    };
    let since = since as f64 / f64::from(rate.max(1));
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
        assert_eq!(pulse(&clicked(1010, 1000, false), rate, None), Pulse::Beat);
        assert_eq!(pulse(&clicked(1010, 1000, true), rate, None), Pulse::Accent);
        assert_eq!(pulse(&clicked(1119, 1000, true), rate, None), Pulse::Accent);
        assert_eq!(pulse(&clicked(1120, 1000, true), rate, None), Pulse::Dark);
        assert_eq!(pulse(&Telemetry::default(), rate, None), Pulse::Dark);
        let mut paused = clicked(1010, 1000, false);
        paused.paused = true;
        assert_eq!(pulse(&paused, rate, None), Pulse::Dark);
    }

    /// 48 kHz, 1024-frame buffers: the callback at 0 ns renders the block
    /// [2048, 3072), which the stamp says starts playing one buffer later
    /// (the block before it is still playing). A click rendered at frame
    /// 2148 is heard at 0 ns + (100 + 1024) frames, not when rendered.
    #[test]
    fn the_cell_lights_when_the_click_is_heard_not_when_it_is_rendered() {
        let (rate, buffer) = (48_000u32, 1024u64);
        let ns = |frames: u64| frames * 1_000_000_000 / u64::from(rate);
        let stamp = (DeviceFrame(2048), ns(buffer));
        let click = 2148;
        // The telemetry after that block, and one 8 blocks on (same click).
        let rendered = clicked(2048 + buffer, click, false);
        let later = clicked(2048 + 8 * buffer, click, false);
        let heard_at = |t: &Telemetry, now_ns| heard_frame(stamp, now_ns, rate, t.device_frames);
        let lit = |t: &Telemetry, now_ns| pulse(t, rate, Some(heard_at(t, now_ns)));
        // Handed to the device: the cell without the stamp lights already.
        assert_eq!(pulse(&rendered, rate, None), Pulse::Beat);
        assert_eq!(lit(&rendered, 0), Pulse::Dark);
        // One frame before render frame + latency: still dark.
        let sounds_ns = ns(click - 2048 + buffer);
        assert_eq!(
            heard_at(&rendered, sounds_ns - ns(1)),
            DeviceFrame(click - 1)
        );
        assert_eq!(lit(&rendered, sounds_ns - ns(1)), Pulse::Dark);
        // At render frame + latency it lights, and stays lit FLASH_S.
        assert_eq!(heard_at(&rendered, sounds_ns + 1), DeviceFrame(click));
        assert_eq!(lit(&rendered, sounds_ns + 1), Pulse::Beat);
        assert_eq!(lit(&later, sounds_ns + 110_000_000), Pulse::Beat);
        assert_eq!(lit(&later, sounds_ns + 121_000_000), Pulse::Dark);
    }

    #[test]
    fn the_heard_frame_never_runs_past_what_the_device_was_given() {
        // A stamp a second old with nothing rendered since: held at the end.
        let heard = |frame, playback_ns, now_ns, device| {
            heard_frame(
                (DeviceFrame(frame), playback_ns),
                now_ns,
                48_000,
                DeviceFrame(device),
            )
            .0
        };
        assert_eq!(heard(0, 0, 1_000_000_000, 4096), 4096);
        // Before the stamp's block plays: frames before it, never below 0.
        assert_eq!(heard(1024, 1_000_000, 0, 2048), 976);
        assert_eq!(heard(0, 1_000_000_000, 0, 2048), 0);
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

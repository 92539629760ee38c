//! The workout as a picture: the whole session across the screen's width,
//! the cadence as bars (eighth blocks, so ramps climb smoothly) over the
//! belt speed, stretches and rests marked on the floor, a cursor at now and
//! the next change marked on the row beneath. The picture is computed as
//! text first (pure, tested), then styled by the widget.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::theme::Theme;
use crate::plan::{Segment, StepKind, Timeline};

/// Bar heights in eighths of a row.
const EIGHTHS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/// Marks under the picture.
pub const NOW_MARK: char = '▲';
pub const NEXT_MARK: char = '◆';

/// The picture as text, one string per row, the marker row last.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub rows: Vec<String>,
    pub cursor: usize,
    pub next: Option<usize>,
}

/// The segment at session time `t`.
fn segment_at(timeline: &Timeline, t: f64) -> Option<&Segment> {
    timeline
        .segments
        .iter()
        .find(|s| (s.start_s..s.end_s()).contains(&t))
}

/// The column that session time `t` falls in.
fn column_of(t: f64, total: f64, width: usize) -> usize {
    ((t / total.max(1e-9)) * width as f64)
        .floor()
        .clamp(0.0, (width - 1) as f64) as usize
}

/// Sampled values of one quantity at each column's middle.
fn sample(
    timeline: &Timeline,
    width: usize,
    value: impl Fn(&Segment) -> Option<crate::plan::Ramp>,
) -> Vec<Option<f64>> {
    let total = timeline.total_s();
    (0..width)
        .map(|col| {
            let t = (col as f64 + 0.5) / width as f64 * total;
            let s = segment_at(timeline, t)?;
            let x = (t - s.start_s) / s.duration_s.max(1e-9);
            value(s).map(|r| r.at(x))
        })
        .collect()
}

/// Bars for `values` in `rows` rows, the smallest value still a fifth of
/// the band high so a low step never vanishes.
fn bars(values: &[Option<f64>], rows: usize) -> Vec<Vec<char>> {
    let present = values.iter().flatten();
    let hi = present.clone().fold(f64::MIN, |a, &b| a.max(b));
    let lo = present.fold(f64::MAX, |a, &b| a.min(b));
    let floor = lo - (hi - lo) * 0.25;
    let eighths_total = (rows * 8) as f64;
    let mut grid = vec![vec![' '; values.len()]; rows];
    for (col, v) in values.iter().enumerate() {
        let Some(v) = v else { continue };
        let fraction = if hi > floor {
            (v - floor) / (hi - floor)
        } else {
            1.0
        };
        let eighths = (fraction * eighths_total).round().max(1.0) as usize;
        for (r, row) in grid.iter_mut().enumerate() {
            // Row 0 is the top; eighths fill from the bottom.
            let below = (rows - 1 - r) * 8;
            row[col] = match eighths.saturating_sub(below) {
                0 => ' ',
                n => EIGHTHS[n.min(8) - 1],
            };
        }
    }
    grid
}

/// The picture of `timeline` at session time `t`, `width`×`height` (the
/// marker row included).
pub fn picture(timeline: &Timeline, t: f64, index: usize, width: usize, height: usize) -> Picture {
    let width = width.max(1);
    let band = height.saturating_sub(1).max(1);
    let total = timeline.total_s();
    let cadence = sample(timeline, width, |s| s.cadence);
    let speed = sample(timeline, width, |s| s.speed_kmh);
    let speed_rows = if speed.iter().any(Option::is_some) && band >= 5 {
        band / 3
    } else {
        0
    };
    // A blank row between the bands once there is room, so the two
    // profiles do not read as one.
    let gap = usize::from(speed_rows > 0 && band >= 8);
    let mut rows = bars(&cadence, band - speed_rows - gap);
    rows.extend(vec![vec![' '; width]; gap]);
    rows.extend(bars(&speed, speed_rows));
    // Stretches and rests: no bars, a mark on the floor.
    for col in 0..width {
        let t_col = (col as f64 + 0.5) / width as f64 * total;
        let kind = segment_at(timeline, t_col).map(|s| s.kind);
        let mark = match kind {
            Some(StepKind::Stretch) => '≈',
            Some(StepKind::Rest) => '·',
            _ => continue,
        };
        if let Some(floor) = rows.last_mut() {
            floor[col] = mark;
        }
    }
    let cursor = column_of(t, total, width);
    let next = timeline
        .segments
        .get(index + 1)
        .map(|s| column_of(s.start_s, total, width));
    let mut markers = vec![' '; width];
    if let Some(n) = next {
        markers[n] = NEXT_MARK;
    }
    markers[cursor] = NOW_MARK;
    rows.push(markers);
    Picture {
        rows: rows.into_iter().map(|r| r.into_iter().collect()).collect(),
        cursor,
        next,
    }
}

pub struct ProfileGraph<'a> {
    pub timeline: &'a Timeline,
    pub t: f64,
    pub index: usize,
    pub theme: Theme,
}

impl Widget for ProfileGraph<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width == 0 || area.height == 0 || self.timeline.segments.is_empty() {
            return;
        }
        let pic = picture(
            self.timeline,
            self.t,
            self.index,
            usize::from(area.width),
            usize::from(area.height),
        );
        let last = pic.rows.len() - 1;
        for (r, row) in pic.rows.iter().enumerate() {
            for (c, ch) in row.chars().enumerate() {
                let style = if r == last {
                    self.theme.caption()
                } else if c == pic.cursor {
                    self.theme.cursor()
                } else {
                    self.theme.graph(c < pic.cursor)
                };
                let (x, y) = (area.x + c as u16, area.y + r as u16);
                buf[(x, y)].set_char(ch).set_style(style);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::parse_profile;

    fn timeline(text: &str) -> Timeline {
        let profile = parse_profile("t.toml", text, std::path::Path::new(".")).unwrap();
        Timeline::from_profile(&profile)
    }

    const TWO: &str = "name = \"g\"\n[[step]]\nname = \"a\"\ntime = \"60s\"\ncadence = 160\n\
        [[step]]\nname = \"b\"\ntime = \"60s\"\ncadence = 180\n\
        [[step]]\nname = \"s\"\nkind = \"stretch\"\ntime = \"40s\"\n";

    #[test]
    fn steps_draw_as_bars_with_the_stretch_on_the_floor() {
        let pic = picture(&timeline(TWO), 0.0, 0, 16, 4);
        // 160 s over 16 columns: 6 of a, 6 of b, 4 of the stretch.
        assert_eq!(
            pic.rows,
            vec![
                "      ██████    ",
                "      ██████    ",
                "▅▅▅▅▅▅██████≈≈≈≈",
                "▲     ◆         ",
            ]
        );
    }

    #[test]
    fn the_cursor_follows_now_and_the_next_change_moves_on() {
        let tl = timeline(TWO);
        let pic = picture(&tl, 70.0, 1, 16, 4);
        assert_eq!((pic.cursor, pic.next), (7, Some(12)));
        assert_eq!(pic.rows[3], "       ▲    ◆   ");
        let end = picture(&tl, 159.9, 2, 16, 4);
        assert_eq!((end.cursor, end.next), (15, None));
    }

    #[test]
    fn a_ramp_climbs_and_speed_gets_its_own_band() {
        let tl = timeline(
            "name = \"r\"\n[[step]]\nname = \"up\"\ntime = \"80s\"\ncadence = \"150..180\"\n\
             speed = \"8..12 km/h\"\n",
        );
        let pic = picture(&tl, 0.0, 0, 8, 7);
        assert_eq!(pic.rows.len(), 7);
        // Four rows of cadence, two of speed, the markers.
        let heights: Vec<usize> = (0..8)
            .map(|c| {
                pic.rows[..4]
                    .iter()
                    .filter(|r| r.chars().nth(c) != Some(' '))
                    .count()
            })
            .collect();
        assert!(heights.windows(2).all(|w| w[0] <= w[1]), "{heights:?}");
        assert!(heights[0] < heights[7]);
        assert!(pic.rows[5].chars().all(|c| c != ' '), "{:?}", pic.rows);
    }
}

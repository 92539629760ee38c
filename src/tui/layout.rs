//! Where things go on the live screen, decided from its size alone: which
//! tier (plain lines, two big numbers, three), the bands from top to
//! bottom, and how the big numbers are arranged and scaled. Pure, so the
//! decisions are tested without a terminal.

use ratatui::layout::{Constraint, Layout, Rect};

use super::big_digits;

/// How much the screen can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// Too small for block digits: the plain lines view.
    Lines,
    /// Cadence and time left large (a 60×20 terminal).
    Compact,
    /// Cadence, time left and belt speed large (80×24 and up).
    Full,
}

/// Narrowest and lowest screen that gets block digits: below this even
/// scale-1 digits for two numbers, the workout graph and the help line do
/// not fit together.
const MIN_BIG: (u16, u16) = (40, 16);
/// From this size the third number (belt speed) gets its own big digits.
const MIN_FULL: (u16, u16) = (76, 22);
/// Columns of the beat cell beside the numbers.
const BEAT_WIDTH: (u16, u16) = (6, 8);

pub fn tier(width: u16, height: u16) -> Tier {
    if width < MIN_BIG.0 || height < MIN_BIG.1 {
        Tier::Lines
    } else if width < MIN_FULL.0 || height < MIN_FULL.1 {
        Tier::Compact
    } else {
        Tier::Full
    }
}

/// The bands of a big-digit screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Regions {
    /// Step, its kind, the session clock; the state when not running.
    pub header: Rect,
    pub numbers: Rect,
    pub beat: Rect,
    /// The next step, or the countdown to it.
    pub next: Rect,
    /// Compact only: the targets as words (speed and pace have no big
    /// digits there).
    pub targets: Option<Rect>,
    /// Measured cadence, the beat-offset meter, the last warning.
    pub steps: Option<Rect>,
    /// The workout picture, its marker row included.
    pub graph: Rect,
    pub coach: Rect,
    pub help: Rect,
}

/// Rows of the workout picture: a fifth of the screen, at least three
/// bars' worth and never so many that the numbers shrink for it.
fn graph_rows(height: u16) -> u16 {
    (height / 5).clamp(3, 10) + 1
}

pub fn regions(area: Rect, tier: Tier, steps_panel: bool) -> Regions {
    let steps_rows = if steps_panel { 2 } else { 0 };
    let targets_rows = u16::from(tier == Tier::Compact);
    let [header, numbers, targets, next, steps, graph, coach, help] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(targets_rows),
        Constraint::Length(1),
        Constraint::Length(steps_rows),
        Constraint::Length(graph_rows(area.height)),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let beat_width = match tier {
        Tier::Full => BEAT_WIDTH.1,
        _ => BEAT_WIDTH.0,
    };
    let [numbers, beat] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(beat_width)]).areas(numbers);
    Regions {
        header,
        numbers,
        beat: Rect {
            height: beat.height.min(4),
            ..beat
        },
        next,
        targets: (targets_rows > 0).then_some(targets),
        steps: steps_panel.then_some(steps),
        graph,
        coach,
        help,
    }
}

/// The big numbers in rows, all at one scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrangement {
    pub scale: u16,
    /// Indices into the numbers, row by row.
    pub rows: Vec<Vec<usize>>,
}

/// Columns between two numbers on a row at scale `k`.
fn gap(k: u16) -> u16 {
    (2 * k).max(3)
}

/// The digits' width for sizing: every digit counted as an '8' so the
/// scale does not jump when 1:00 becomes 0:59.
fn sizing_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_digit() { '8' } else { c })
        .collect()
}

/// Width and height of one captioned number at scale `k`.
fn block(caption: &str, text: &str, k: u16) -> (u16, u16) {
    let (w, h) = big_digits::size(&sizing_text(text), k);
    (w.max(caption.chars().count() as u16), h + 1)
}

/// The largest scale that fits all `numbers` (caption, text) in `width`×
/// `height`, on one row or split over two (first two, then the rest);
/// at a tie, one row.
pub fn arrange(numbers: &[(&str, &str)], width: u16, height: u16) -> Option<Arrangement> {
    let all: Vec<usize> = (0..numbers.len()).collect();
    let mut layouts = vec![vec![all.clone()]];
    if numbers.len() >= 2 {
        let split = if numbers.len() == 2 { 1 } else { 2 };
        layouts.push(vec![all[..split].to_vec(), all[split..].to_vec()]);
    }
    let fits = |rows: &Vec<Vec<usize>>, k: u16| {
        let mut total_h = 0;
        for row in rows {
            let sizes: Vec<_> = row
                .iter()
                .map(|&i| block(numbers[i].0, numbers[i].1, k))
                .collect();
            let w: u16 = sizes.iter().map(|s| s.0).sum::<u16>()
                + gap(k) * (sizes.len() as u16).saturating_sub(1);
            if w > width {
                return false;
            }
            total_h += sizes.iter().map(|s| s.1).max().unwrap_or(0);
        }
        total_h + (rows.len() as u16 - 1) <= height
    };
    let mut best: Option<Arrangement> = None;
    for rows in layouts {
        if let Some(k) = (1..=big_digits::MAX_SCALE).rev().find(|&k| fits(&rows, k)) {
            if best.as_ref().is_none_or(|b| k > b.scale) {
                best = Some(Arrangement { scale: k, rows });
            }
        }
    }
    best
}

/// The rectangle of each number of an arrangement inside `area`, rows
/// centred vertically, numbers spread across each row with even space
/// between them (each as wide as it draws, so a row that nearly fills the
/// width keeps its gaps).
pub fn number_rects(
    arrangement: &Arrangement,
    numbers: &[(&str, &str)],
    area: Rect,
) -> Vec<(usize, Rect)> {
    let k = arrangement.scale;
    let row_heights: Vec<u16> = arrangement
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|&i| block(numbers[i].0, numbers[i].1, k).1)
                .max()
                .unwrap_or(0)
        })
        .collect();
    let used = row_heights.iter().sum::<u16>() + row_heights.len() as u16 - 1;
    let mut y = area.y + area.height.saturating_sub(used) / 2;
    let mut out = Vec::new();
    for (row, h) in arrangement.rows.iter().zip(&row_heights) {
        let band = Rect::new(
            area.x,
            y,
            area.width,
            (*h).min(area.bottom().saturating_sub(y)),
        );
        let widths: Vec<u16> = row
            .iter()
            .map(|&i| block(numbers[i].0, numbers[i].1, k).0)
            .collect();
        let cells = spread(&widths, gap(k), band);
        out.extend(row.iter().copied().zip(cells));
        y += h + 1;
    }
    out
}

/// Blocks of `widths` across `band`, the room left over shared evenly
/// before, between and after them, but never less than `min_gap` between
/// two (what `arrange` counted on).
fn spread(widths: &[u16], min_gap: u16, band: Rect) -> Vec<Rect> {
    let n = widths.len() as u16;
    let spare = band.width.saturating_sub(widths.iter().sum());
    let between = (spare / (n + 1)).max(min_gap);
    let edge = spare.saturating_sub(between * n.saturating_sub(1)) / 2;
    let mut x = band.x + edge;
    widths
        .iter()
        .map(|&w| {
            let w = w.min(band.right().saturating_sub(x));
            let rect = Rect {
                x,
                width: w,
                ..band
            };
            x += w + between;
            rect
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CADENCE: (&str, &str) = ("CADENCE spm", "170");
    const LEFT: (&str, &str) = ("STEP LEFT", "0:48");
    const SPEED: (&str, &str) = ("SPEED km/h", "10.0");

    fn numbers_area(width: u16, height: u16, mic: bool) -> Rect {
        let area = Rect::new(0, 0, width, height);
        regions(area, tier(width, height), mic).numbers
    }

    #[test]
    fn tiers_by_size() {
        assert_eq!(tier(100, 14), Tier::Lines);
        assert_eq!(tier(39, 30), Tier::Lines);
        assert_eq!(tier(60, 20), Tier::Compact);
        assert_eq!(tier(80, 24), Tier::Full);
        assert_eq!(tier(120, 40), Tier::Full);
    }

    #[test]
    fn at_60x20_cadence_and_time_left_sit_side_by_side_at_scale_two() {
        for mic in [false, true] {
            let area = numbers_area(60, 20, mic);
            let a = arrange(&[CADENCE, LEFT], area.width, area.height).unwrap();
            assert_eq!(a.scale, 2, "mic {mic}");
            assert_eq!(a.rows, vec![vec![0, 1]]);
        }
    }

    #[test]
    fn at_80x24_the_three_numbers_take_two_rows_at_scale_two() {
        for mic in [false, true] {
            let area = numbers_area(80, 24, mic);
            let a = arrange(&[CADENCE, LEFT, SPEED], area.width, area.height).unwrap();
            assert_eq!(a.scale, 2, "mic {mic}");
            assert_eq!(a.rows, vec![vec![0, 1], vec![2]]);
        }
    }

    #[test]
    fn at_120x40_the_numbers_grow_to_scale_four() {
        let area = numbers_area(120, 40, true);
        let a = arrange(&[CADENCE, LEFT, SPEED], area.width, area.height).unwrap();
        assert_eq!(a.scale, 4);
        assert_eq!(a.rows, vec![vec![0, 1], vec![2]]);
    }

    #[test]
    fn a_wide_low_screen_keeps_one_row() {
        let a = arrange(&[CADENCE, LEFT, SPEED], 200, 8).unwrap();
        assert_eq!(a.rows, vec![vec![0, 1, 2]]);
        assert_eq!(a.scale, 2);
    }

    #[test]
    fn nothing_fits_a_sliver() {
        assert_eq!(arrange(&[CADENCE], 5, 10), None);
    }

    #[test]
    fn the_scale_holds_as_digits_change() {
        let a = arrange(&[CADENCE, ("STEP LEFT", "1:00")], 54, 11);
        let b = arrange(&[CADENCE, ("STEP LEFT", "0:59")], 54, 11);
        assert_eq!(a, b);
    }

    #[test]
    fn bands_stack_without_overlap_and_fill_the_screen() {
        for (w, h, mic) in [(60, 20, false), (80, 24, true), (120, 40, true)] {
            let area = Rect::new(0, 0, w, h);
            let r = regions(area, tier(w, h), mic);
            let mut bands = vec![r.header, r.numbers, r.next, r.graph, r.coach, r.help];
            bands.extend(r.steps);
            bands.extend(r.targets);
            let rows: u16 = bands.iter().map(|b| b.height).sum();
            assert_eq!(rows, h, "{w}x{h}");
            assert!(r.beat.x >= r.numbers.right());
            assert_eq!(r.graph.height, (h / 5).clamp(3, 10) + 1);
        }
    }

    #[test]
    fn a_full_row_keeps_its_gaps() {
        // 26 + 26 + 14 columns at scale 2 in 80: the old equal thirds put
        // the first two numbers one column apart.
        let nums = [("TIME RUN", "0:04"), ("DISTANCE", "0.01"), ("STEPS", "11")];
        let a = arrange(&nums, 80, 10).unwrap();
        assert_eq!((a.scale, a.rows.len()), (2, 1));
        let rects = number_rects(&a, &nums, Rect::new(0, 0, 80, 10));
        let widths: Vec<u16> = rects.iter().map(|(_, r)| r.width).collect();
        assert_eq!(widths, vec![26, 26, 14], "each as wide as it draws");
        for pair in rects.windows(2) {
            let gap = pair[1].1.x - pair[0].1.right();
            assert!(gap >= super::gap(2), "{rects:?}");
        }
        // Still spread: the room left over goes around them too.
        assert!(rects[0].1.x > 0, "{rects:?}");
    }

    #[test]
    fn number_rects_stay_inside_the_area() {
        let area = Rect::new(0, 1, 112, 25);
        let nums = [CADENCE, LEFT, SPEED];
        let a = arrange(&nums, area.width, area.height).unwrap();
        let rects = number_rects(&a, &nums, area);
        assert_eq!(rects.len(), 3);
        for (_, r) in rects {
            assert!(area.contains(r.as_position()) && r.bottom() <= area.bottom());
        }
    }
}

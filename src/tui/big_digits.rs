//! Large block text for the numbers a runner reads from a metre away: a
//! 3×5 pixel font (digits, the clock's colon, a few letters for the
//! states) drawn with full and half blocks at any whole scale.
//!
//! A pixel is `k` columns wide and `k` half-rows high: terminal cells are
//! about twice as tall as wide, so that keeps the glyphs' proportions, and
//! the half-row step lets the text grow one column at a time.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

/// Pixel rows in a glyph.
const ROWS: usize = 5;
/// Largest scale used: beyond this the digits stop helping and start
/// crowding out the workout picture.
pub const MAX_SCALE: u16 = 8;

/// The glyph for `c`: rows of '#' (ink) and '.', all one width.
fn glyph(c: char) -> [&'static str; ROWS] {
    match c.to_ascii_uppercase() {
        '0' => ["###", "#.#", "#.#", "#.#", "###"],
        '1' => [".#.", "##.", ".#.", ".#.", "###"],
        '2' => ["###", "..#", "###", "#..", "###"],
        '3' => ["###", "..#", ".##", "..#", "###"],
        '4' => ["#.#", "#.#", "###", "..#", "..#"],
        '5' => ["###", "#..", "###", "..#", "###"],
        '6' => ["###", "#..", "###", "#.#", "###"],
        '7' => ["###", "..#", ".#.", ".#.", ".#."],
        '8' => ["###", "#.#", "###", "#.#", "###"],
        '9' => ["###", "#.#", "###", "..#", "###"],
        ':' => [".", "#", ".", "#", "."],
        '.' => [".", ".", ".", ".", "#"],
        '-' => ["...", "...", "###", "...", "..."],
        '+' => ["...", ".#.", "###", ".#.", "..."],
        ' ' => ["..", "..", "..", "..", ".."],
        'A' => ["###", "#.#", "###", "#.#", "#.#"],
        'C' => ["###", "#..", "#..", "#..", "###"],
        'D' => ["##.", "#.#", "#.#", "#.#", "##."],
        'E' => ["###", "#..", "##.", "#..", "###"],
        'G' => ["###", "#..", "#.#", "#.#", "###"],
        'H' => ["#.#", "#.#", "###", "#.#", "#.#"],
        'I' => ["###", ".#.", ".#.", ".#.", "###"],
        'L' => ["#..", "#..", "#..", "#..", "###"],
        'N' => ["##.", "#.#", "#.#", "#.#", "#.#"],
        'O' => ["###", "#.#", "#.#", "#.#", "###"],
        'P' => ["###", "#.#", "###", "#..", "#.."],
        'R' => ["##.", "#.#", "##.", "#.#", "#.#"],
        'S' => ["###", "#..", "###", "..#", "###"],
        'T' => ["###", ".#.", ".#.", ".#.", ".#."],
        'U' => ["#.#", "#.#", "#.#", "#.#", "###"],
        'Y' => ["#.#", "#.#", ".#.", ".#.", ".#."],
        // Anything else: a blank the width of a digit, never a panic.
        _ => ["...", "...", "...", "...", "..."],
    }
}

/// The text as a pixel grid, glyphs one pixel apart.
fn pixels(text: &str) -> Vec<Vec<bool>> {
    let mut rows = vec![Vec::new(); ROWS];
    for (i, c) in text.chars().enumerate() {
        let g = glyph(c);
        for (row, line) in rows.iter_mut().zip(g) {
            if i > 0 {
                row.push(false);
            }
            row.extend(line.chars().map(|p| p == '#'));
        }
    }
    rows
}

/// Columns and rows `text` takes at scale `k`.
pub fn size(text: &str, k: u16) -> (u16, u16) {
    let width = pixels(text)[0].len() as u16;
    (width * k, (ROWS as u16 * k).div_ceil(2))
}

/// The largest scale (1..=MAX_SCALE) at which `text` fits `width`×`height`.
pub fn largest_scale(text: &str, width: u16, height: u16) -> Option<u16> {
    (1..=MAX_SCALE).rev().find(|&k| {
        let (w, h) = size(text, k);
        w <= width && h <= height
    })
}

/// `text` drawn at scale `k`, one string per terminal row.
pub fn render(text: &str, k: u16) -> Vec<String> {
    let grid = pixels(text);
    let k = usize::from(k.max(1));
    let half_rows = ROWS * k;
    let ink = |half: usize, col: usize| half < half_rows && grid[half / k][col / k];
    let width = grid[0].len() * k;
    (0..half_rows.div_ceil(2))
        .map(|row| {
            (0..width)
                .map(|col| match (ink(2 * row, col), ink(2 * row + 1, col)) {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    (false, false) => ' ',
                })
                .collect()
        })
        .collect()
}

/// Big text centred in its area at a given scale; what does not fit is cut.
pub struct BigText<'a> {
    pub text: &'a str,
    pub scale: u16,
    pub style: Style,
}

impl Widget for BigText<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let lines = render(self.text, self.scale);
        let (w, _) = size(self.text, self.scale);
        let x = area.x + area.width.saturating_sub(w) / 2;
        for (i, line) in lines.iter().enumerate().take(usize::from(area.height)) {
            let width = area.right().saturating_sub(x);
            buf.set_stringn(x, area.y + i as u16, line, usize::from(width), self.style);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_glyph_is_five_rows_of_one_width() {
        for c in "0123456789:.-+ ACDEGHILNOPRSTUY?".chars() {
            let g = glyph(c);
            assert!(g.iter().all(|r| r.len() == g[0].len()), "{c:?}");
        }
    }

    #[test]
    fn digits_are_distinct() {
        let all: Vec<_> = "0123456789".chars().map(glyph).collect();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn scale_one_uses_half_blocks_and_scale_two_full_ones() {
        assert_eq!(render("7", 1), vec!["▀▀█", " █ ", " ▀ "]);
        assert_eq!(
            render("1:", 2),
            vec![
                "  ██      ",
                "████    ██",
                "  ██      ",
                "  ██    ██",
                "██████    "
            ]
        );
    }

    #[test]
    fn size_counts_the_gaps_and_rounds_half_rows_up() {
        // 3 + 1 + 1 + 1 + 3 + 1 + 3 pixels.
        assert_eq!(size("1:23", 1), (13, 3));
        assert_eq!(size("1:23", 2), (26, 5));
        assert_eq!(size("170", 3), (33, 8));
        assert_eq!(render("170", 3).len(), 8);
        assert!(render("170", 3).iter().all(|r| r.chars().count() == 33));
    }

    #[test]
    fn largest_scale_fits_both_ways() {
        assert_eq!(largest_scale("170", 33, 8), Some(3));
        assert_eq!(largest_scale("170", 32, 8), Some(2));
        assert_eq!(largest_scale("170", 100, 5), Some(2));
        assert_eq!(largest_scale("170", 10, 3), None);
        assert_eq!(largest_scale("8", 500, 500), Some(MAX_SCALE));
    }

    #[test]
    fn the_widget_centres_and_clips() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 7, 2));
        BigText {
            text: "7",
            scale: 1,
            style: Style::new(),
        }
        .render(buf.area, &mut buf);
        let rows: Vec<String> = (0..2)
            .map(|y| (0..7).map(|x| buf[(x, y)].symbol()).collect())
            .collect();
        assert_eq!(rows, vec!["  ▀▀█  ", "   █   "]);
    }
}

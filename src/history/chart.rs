//! The cadence chart `show` prints: measured cadence (`●`) over played
//! time against the target band (`░`, ±3 spm), in plain characters that
//! any terminal and any pager shows.

use super::analysis::{SessionStats, BAND_SPM};
use super::cadence::Window;
use crate::units::clock_text;

/// Rows of the chart: enough to tell 2 spm apart over a typical range.
pub const HEIGHT: usize = 12;

/// The chart as lines, `width` columns of plot; empty when there is
/// nothing to draw (no targets and no steps heard).
pub fn cadence_chart(stats: &SessionStats, width: usize) -> Vec<String> {
    let windows: Vec<&Window> = stats
        .windows
        .iter()
        .filter(|w| w.target.is_some() || w.cadence.is_some())
        .collect();
    if windows.is_empty() || width < 10 {
        return Vec::new();
    }
    // Each column: the windows whose played position falls in it.
    let columns: Vec<(Option<f64>, Option<f64>)> = (0..width)
        .map(|c| {
            let a = c * windows.len() / width;
            let b = ((c + 1) * windows.len() / width)
                .max(a + 1)
                .min(windows.len());
            let group = &windows[a.min(windows.len() - 1)..b];
            (
                mean(group.iter().filter_map(|w| w.target)),
                mean(group.iter().filter_map(|w| w.cadence)),
            )
        })
        .collect();
    let values = columns.iter().flat_map(|&(t, m)| {
        [t.map(|t| t - BAND_SPM), t.map(|t| t + BAND_SPM), m]
            .into_iter()
            .flatten()
    });
    let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let lo = (lo - 1.0).floor();
    let hi = (hi + 1.0).ceil().max(lo + HEIGHT as f64);
    let step = (hi - lo) / HEIGHT as f64;
    let row_of = |v: f64| (((hi - v) / step) as usize).min(HEIGHT - 1);
    let mut lines = Vec::new();
    for row in 0..HEIGHT {
        let top = hi - row as f64 * step;
        let middle = top - step / 2.0;
        let label = if row % 3 == 0 {
            format!("{:>4.0} ┤", middle)
        } else {
            "     │".to_string()
        };
        let mut line = label;
        for &(target, measured) in &columns {
            let ch = if measured.is_some_and(|m| row_of(m) == row) {
                '●'
            } else if target.is_some_and(|t| (middle - t).abs() <= BAND_SPM + step / 2.0) {
                '░'
            } else {
                ' '
            };
            line.push(ch);
        }
        lines.push(line.trim_end().to_string());
    }
    lines.push(format!("     └{}", "─".repeat(width)));
    let played = windows.iter().map(|w| w.to_s - w.from_s).sum::<f64>();
    let end = clock_text(played);
    let half = clock_text(played / 2.0);
    let mut axis = format!(
        "      0:00{}",
        " ".repeat((width / 2).saturating_sub(4 + half.len() / 2))
    );
    axis.push_str(&half);
    let used = axis.chars().count();
    axis.push_str(&" ".repeat((6 + width).saturating_sub(used + end.len()).max(1)));
    axis.push_str(&end);
    lines.push(axis);
    let legend = if columns.iter().any(|c| c.1.is_some()) {
        "      ● measured   ░ target ±3 spm   (time as played)"
    } else {
        "      ░ target ±3 spm   (no steps heard: nothing measured)"
    };
    lines.push(legend.to_string());
    lines
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

//! A progress bar on stderr for a render that takes more than a second;
//! nothing when stderr is not a terminal (indicatif's stderr target hides
//! itself there), nothing for the short renders most sessions are.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// Renders shorter than this show no bar: it would only flicker.
const SHOW_AFTER: Duration = Duration::from_secs(1);

pub struct RenderProgress {
    started: Instant,
    bar: Option<ProgressBar>,
}

impl RenderProgress {
    pub fn new() -> Self {
        RenderProgress {
            started: Instant::now(),
            bar: None,
        }
    }

    /// `done` of `total` frames rendered.
    pub fn update(&mut self, done: u64, total: u64) {
        if self.bar.is_none() && self.started.elapsed() >= SHOW_AFTER {
            let bar = ProgressBar::new(total);
            if let Ok(style) =
                ProgressStyle::with_template("rendering {bar:40} {percent:>3}%  {eta} left")
            {
                bar.set_style(style);
            }
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(done);
        }
    }

    /// Takes the bar off the screen before the summary line.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

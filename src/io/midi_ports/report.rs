//! How the MIDI sender did: messages sent, send errors, and how late each
//! message left against the time its audio was heard, for the session
//! summary and the figures in docs/figures.md.

/// Send time minus due time, as a histogram of 10 µs bins from −1 ms to
/// +99 ms (outliers in the end bins): a day-long session keeps the same
/// few kilobytes, not a value per message.
#[derive(Debug, Clone)]
pub struct Lateness {
    bins: Vec<u64>,
    max_ms: f64,
}

const BIN_MS: f64 = 0.01;
const FIRST_MS: f64 = -1.0;
const BINS: usize = 10_000;

impl Default for Lateness {
    fn default() -> Lateness {
        Lateness {
            bins: vec![0; BINS],
            max_ms: f64::NEG_INFINITY,
        }
    }
}

impl Lateness {
    pub fn add(&mut self, late_ms: f64) {
        let bin = ((late_ms - FIRST_MS) / BIN_MS)
            .floor()
            .clamp(0.0, (BINS - 1) as f64);
        self.bins[bin as usize] += 1;
        self.max_ms = self.max_ms.max(late_ms);
    }

    pub fn count(&self) -> u64 {
        self.bins.iter().sum()
    }

    /// The q-quantile (0–1), to a bin's width; `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let count = self.count();
        if count == 0 {
            return None;
        }
        let rank = ((count - 1) as f64 * q).round() as u64;
        let mut seen = 0;
        for (i, n) in self.bins.iter().enumerate() {
            seen += n;
            if seen > rank {
                return Some(FIRST_MS + (i as f64 + 0.5) * BIN_MS);
            }
        }
        None
    }

    pub fn max_ms(&self) -> Option<f64> {
        (self.count() > 0).then_some(self.max_ms)
    }
}

/// How sending went, for the session summary and docs/figures.md.
#[derive(Debug, Default, Clone)]
pub struct SendReport {
    pub sent: u64,
    pub errors: u64,
    /// Send time minus due time of every scheduled message.
    pub late: Lateness,
    pub first_error: Option<String>,
}

impl SendReport {
    /// "1,234 MIDI messages sent, send time vs due: median 0.06 ms, …".
    pub fn summary(&self) -> String {
        let mut text = format!("{} MIDI messages sent", self.sent);
        if let (Some(median), Some(p99), Some(max)) = (
            self.late.quantile(0.5),
            self.late.quantile(0.99),
            self.late.max_ms(),
        ) {
            text.push_str(&format!(
                ", send time vs due: median {median:.2} ms, p99 {p99:.2} ms, max {max:.2} ms"
            ));
        }
        if self.errors > 0 {
            text.push_str(&format!(
                ", {} send errors ({})",
                self.errors,
                self.first_error.as_deref().unwrap_or("")
            ));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::Lateness;

    #[test]
    fn lateness_quantiles_come_from_the_histogram() {
        let mut late = Lateness::default();
        assert_eq!(late.quantile(0.5), None);
        for i in 0..1000 {
            late.add(f64::from(i) * 0.001); // 0 to 0.999 ms
        }
        late.add(250.0); // an outlier lands in the last bin
        assert!((late.quantile(0.5).unwrap() - 0.5).abs() < 0.011);
        assert!((late.quantile(0.99).unwrap() - 0.99).abs() < 0.011);
        assert_eq!(late.max_ms(), Some(250.0));
        assert_eq!(late.count(), 1001);
    }
}

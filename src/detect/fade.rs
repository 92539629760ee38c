//! Faded feedback: the clicks step back while the runner holds the cadence
//! on their own, and return the moment they drift, so the new rhythm
//! becomes the runner's and not the metronome's.

/// On target this long before the clicks fade...
pub const HOLD_S: f64 = 30.0;
/// ... to this level (silence would leave nothing to catch up with).
pub const FADED_GAIN: f32 = 0.0;

#[derive(Debug, Clone, Default)]
pub struct FadedFeedback {
    on_target_since: Option<f64>,
    faded: bool,
}

impl FadedFeedback {
    /// Takes the rules' verdict at time `t`; returns a new click gain when
    /// it should change.
    pub fn observe(&mut self, t: f64, on_target: bool) -> Option<f32> {
        if !on_target {
            self.on_target_since = None;
            return std::mem::take(&mut self.faded).then_some(1.0);
        }
        let since = *self.on_target_since.get_or_insert(t);
        if !self.faded && t - since >= HOLD_S {
            self.faded = true;
            return Some(FADED_GAIN);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fades_after_holding_and_returns_on_drift() {
        let mut fade = FadedFeedback::default();
        assert_eq!(fade.observe(0.0, true), None);
        assert_eq!(fade.observe(29.9, true), None);
        assert_eq!(fade.observe(30.0, true), Some(FADED_GAIN));
        assert_eq!(fade.observe(40.0, true), None);
        assert_eq!(fade.observe(41.0, false), Some(1.0));
        assert_eq!(fade.observe(42.0, false), None);
    }
}

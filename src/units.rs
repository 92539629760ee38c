//! Newtypes for the quantities that get confused: km/h, seconds of session
//! time, output frames and sample rates (cadences stay plain spm `f64`s,
//! always named `cadence` or `*_spm`).
//!
//! Owns only the types and their conversions; parsing of user text lives in
//! `plan::quantity`.

/// Metres in a statute mile.
pub const METRES_PER_MILE: f64 = 1609.344;

/// Treadmill belt speed in kilometres per hour.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct KmH(pub f64);

impl KmH {
    pub fn from_mph(mph: f64) -> Self {
        KmH(mph * METRES_PER_MILE / 1000.0)
    }
    pub fn from_metres_per_second(mps: f64) -> Self {
        KmH(mps * 3.6)
    }
    pub fn mph(self) -> f64 {
        self.0 * 1000.0 / METRES_PER_MILE
    }
    /// Seconds per kilometre; infinite for a stopped belt.
    pub fn pace_s_per_km(self) -> f64 {
        3600.0 / self.0
    }
    /// Seconds per mile; infinite for a stopped belt.
    pub fn pace_s_per_mile(self) -> f64 {
        3600.0 / self.mph()
    }
}

/// A span of session time in seconds. f64 keeps 24 h exact to ~2e-11 s,
/// a millionth of a sample at 48 kHz.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Seconds(pub f64);

/// An index on the output clock: frames since session t = 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Frame(pub u64);

/// A frame on the output device's clock: frames handed to the device
/// since its stream started, pauses included. It only moves forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DeviceFrame(pub u64);

/// A frame on the session clock: frames since session t = 0, negative
/// during the count-in. It stands still while paused and jumps on a skip
/// or a catch-up, so it maps to device frames only between such events
/// (`crate::clock::SessionAnchor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SessionFrame(pub i64);

impl SessionFrame {
    /// Session seconds at this frame.
    pub fn seconds(self, rate: SampleRate) -> f64 {
        self.0 as f64 / f64::from(rate.0)
    }
}

/// Output frames per second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SampleRate(pub u32);

impl SampleRate {
    /// The frame at which something at `t` seconds starts: round(t · sr).
    /// Negative times (count-in) are handled by the caller's offset.
    pub fn frame_of(self, t: Seconds) -> Frame {
        Frame((t.0 * f64::from(self.0)).round().max(0.0) as u64)
    }
}

/// Formats with at most `decimals` decimals and no trailing zeros: 9 -> "9", 8.5 -> "8.5".
pub fn trim_number(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// Thousands separated: 6954 -> "6,954".
pub fn count_text(count: u64) -> String {
    let digits = count.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// m:ss for paces and short lengths; h:mm:ss once past an hour.
pub fn clock_text(seconds: f64) -> String {
    if !seconds.is_finite() {
        return "--:--".to_string();
    }
    let total = seconds.round() as u64;
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_trip() {
        let v = KmH::from_mph(6.0);
        assert!((v.mph() - 6.0).abs() < 1e-12);
        assert!((KmH(12.0).pace_s_per_km() - 300.0).abs() < 1e-9);
        assert!((KmH::from_metres_per_second(3.0).0 - 10.8).abs() < 1e-12);
    }

    #[test]
    fn formatting() {
        assert_eq!(trim_number(9.0, 1), "9");
        assert_eq!(trim_number(8.54, 1), "8.5");
        assert_eq!(clock_text(90.0), "1:30");
        assert_eq!(clock_text(3900.0), "1:05:00");
        assert_eq!(SampleRate(48000).frame_of(Seconds(0.5)), Frame(24000));
    }
}

//! The runner's music, as the microphone hears it through speakers.
//!
//! Music is a stream of onsets in every band a footstrike uses: a kick, a
//! snare, a hi-hat on the off-beats would all be heard as steps. Unlike the
//! speech it plays for the whole session, so the detector cannot stop
//! listening; unlike a click it is a different sound at every beat, so no
//! template can be learned. But the app knows exactly what it played: the
//! live session hands the detector the music's own band levels, hop by hop,
//! placed on the microphone's clock. The music reaches the microphone
//! through an unknown path (speaker, room, distance), a gain per band that
//! is learned as a low quantile of how far the microphone's level stands
//! above the music's: where the music dominates that is the path's gain;
//! where noise dominates it is how far the noise stands above the music at
//! its loudest, so the music can never be expected louder than what is
//! heard (give or take a dB or two at its loudest, the price of a quantile
//! that a step's extra level does not move). A band then counts only where
//! it rises above what the music alone would put there: a drum hit is not a step, yet a step that lands
//! on it still is, in every band where the step is the louder.

use super::filterbank::{BAND_COUNT, FLOOR_DB};
use super::params::MusicParams;

/// Hops of music remembered ahead of the microphone: 4 s, more than any
/// output buffer and round trip.
const SLOTS: usize = 4096;
/// Differences remembered per band for the path's quantile: half a second
/// of continuous music, a few seconds of sparse drums. A window, not a
/// running estimate, so that a bad start (the microphone not yet hearing
/// what the clocks say it should) is forgotten within it.
const WINDOW: usize = 512;
/// The quantile is taken again after this many new differences.
const RETAKE: usize = 16;

pub struct OwnMusic {
    /// Band levels of the music (dB, at unit path gain) by microphone hop,
    /// each tagged with its hop.
    levels: Box<[(u64, [f32; BAND_COUNT])]>,
    hop_samples: u64,
    /// Per band: the learned path gain (dB), from the last `WINDOW`
    /// differences (a ring) and how many were ever taught.
    path_db: [f32; BAND_COUNT],
    differences: Box<[[f32; WINDOW]; BAND_COUNT]>,
    taught: [usize; BAND_COUNT],
    scratch: Box<[f32; WINDOW]>,
    p: MusicParams,
}

impl OwnMusic {
    pub fn new(hop_samples: u64, params: MusicParams) -> OwnMusic {
        let mut p = params;
        p.spread_hops = p.spread_hops.min(32);
        OwnMusic {
            levels: vec![(u64::MAX, [FLOOR_DB; BAND_COUNT]); SLOTS].into_boxed_slice(),
            hop_samples: hop_samples.max(1),
            path_db: [0.0; BAND_COUNT],
            differences: Box::new([[0.0; WINDOW]; BAND_COUNT]),
            taught: [0; BAND_COUNT],
            scratch: Box::new([0.0; WINDOW]),
            p,
        }
    }

    /// The music put `levels` (its band levels, as the detector's filter
    /// bank reads them) into the hop that reaches the microphone at sample
    /// `frame`.
    pub fn played(&mut self, frame: u64, levels: [f32; BAND_COUNT]) {
        let hop = frame / self.hop_samples;
        self.levels[(hop % SLOTS as u64) as usize] = (hop, levels);
    }

    /// The music's levels told for `hop`, if any.
    fn told(&self, hop: u64) -> Option<&[f32; BAND_COUNT]> {
        let (tag, levels) = &self.levels[(hop % SLOTS as u64) as usize];
        (*tag == hop).then_some(levels)
    }

    /// The music's loudest levels around `hop` (the spread covers the
    /// round trip's jitter), if any are known.
    fn loudest_around(&self, hop: u64) -> Option<[f32; BAND_COUNT]> {
        let spread = self.p.spread_hops as u64;
        let mut loudest: Option<[f32; BAND_COUNT]> = None;
        for levels in (hop.saturating_sub(spread)..=hop + spread).filter_map(|h| self.told(h)) {
            let max = loudest.get_or_insert([FLOOR_DB; BAND_COUNT]);
            for (m, l) in max.iter_mut().zip(levels) {
                *m = m.max(*l);
            }
        }
        loudest
    }

    /// What the music alone puts in each band at the hop ending at sample
    /// `frame`, given what the microphone hears there (`heard`, which also
    /// teaches the path's gain): `FLOOR_DB` where the music is silent or
    /// its path not yet learned, `None` where no music is known.
    ///
    /// Our own clicks teach the path too where they ring with the music
    /// (on the beat, a drum hit and a click are one sound to the
    /// microphone): learning only where no click rings left a drum track
    /// with a hit on every click nothing to learn from, and heard fewer
    /// steps through the null sink (64 of 77 against 68).
    pub fn expected(&mut self, frame: u64, heard: &[f32; BAND_COUNT]) -> Option<[f32; BAND_COUNT]> {
        let hop = frame / self.hop_samples;
        let music = self.loudest_around(hop)?;
        // The path is learned from the hop's own music, not the spread's
        // loudest: just before a hit the spread already holds it while
        // the microphone does not yet.
        let own = self.told(hop).copied().unwrap_or([FLOOR_DB; BAND_COUNT]);
        let mut expected = [FLOOR_DB; BAND_COUNT];
        for band in 0..BAND_COUNT {
            // A microphone is never silent: silence here is one not yet
            // running, and teaches nothing.
            if own[band] >= self.p.audible_db && heard[band] > FLOOR_DB + 1.0 {
                self.learn(band, heard[band] - own[band]);
            }
            if music[band] >= self.p.audible_db && self.taught[band] >= self.p.learn_hops {
                expected[band] = music[band] + self.path_db[band];
            }
        }
        Some(expected)
    }

    /// Remembers one difference (heard − music, dB) and now and then takes
    /// the path's gain again: the `quantile` of the differences remembered.
    fn learn(&mut self, band: usize, difference: f32) {
        let taught = self.taught[band];
        self.differences[band][taught % WINDOW] = difference;
        self.taught[band] = taught.saturating_add(1);
        let known = self.taught[band].min(WINDOW);
        if self.taught[band].is_multiple_of(RETAKE) || known < RETAKE {
            let window = &mut self.scratch[..known];
            window.copy_from_slice(&self.differences[band][..known]);
            let rank = ((known - 1) as f32 * self.p.quantile) as usize;
            let (_, quantile, _) = window.select_nth_unstable_by(rank, f32::total_cmp);
            self.path_db[band] = *quantile;
        }
    }

    /// The path's gain learned for each band (dB), for tests and tuning.
    pub fn path_db(&self) -> [f32; BAND_COUNT] {
        self.path_db
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn music(level: f32) -> [f32; BAND_COUNT] {
        [level; BAND_COUNT]
    }

    #[test]
    fn nothing_is_expected_where_no_music_was_played() {
        let mut own = OwnMusic::new(48, MusicParams::default());
        own.played(48 * 100, music(-30.0));
        assert!(own.expected(48 * 10, &music(-50.0)).is_none());
        assert!(own.expected(48 * 100, &music(-50.0)).is_some());
    }

    #[test]
    fn the_path_gain_is_learned_where_the_music_dominates() {
        let mut own = OwnMusic::new(48, MusicParams::default());
        let mut last = None;
        for hop in 0..2000u64 {
            // Music between -40 and -20 dB, heard 12 dB down, a step's
            // 20 dB on top one hop in twenty.
            let level = -40.0 + (hop % 37) as f32 * 0.55;
            own.played(hop * 48, music(level));
            let step = if hop % 20 == 0 { 20.0 } else { 0.0 };
            last = own.expected(hop * 48, &music(level - 12.0 + step));
        }
        let path = own.path_db()[0];
        assert!((-14.5..=-11.0).contains(&path), "{path}");
        assert!(last.is_some());
    }

    #[test]
    fn music_under_the_noise_is_not_expected_above_what_is_heard() {
        let mut own = OwnMusic::new(48, MusicParams::default());
        let mut over = 0;
        for hop in 0..3000u64 {
            // Noise steady at -30 dB; music swinging -90..-50 dB beneath.
            let level = -90.0 + (hop % 41) as f32;
            own.played(hop * 48, music(level));
            let expected = own.expected(hop * 48, &music(-30.0)).unwrap();
            // A low quantile, not the minimum: at the music's loudest
            // the expectation may stand a little over the noise.
            if hop > 1000 && expected[0] > -30.0 + 2.0 {
                over += 1;
            }
        }
        assert_eq!(over, 0);
    }
}

//! The footstrike detector: samples in, heard steps out, block by block.
//!
//! First the steady tones of the treadmill's motor (and the mains) are
//! notched out (see `hum`): they fill the low bands where a heavy step
//! booms. Then, per hop (1 ms), each band's level is compared with a
//! reference: the higher of its lowest level over the last 20 ms and its
//! mean level over the 40 ms before that. The lowest recent level follows a
//! decaying tail (the last step, the room), so a step landing in it still
//! rises; the mean of the longer window is steady where the lowest of a
//! fluctuating band (belt rumble, hum beating against the deck) is biased
//! far down, which would make every flutter look like a rise. A footstrike
//! lifts several bands at once by many dB, while hum and belt noise barely
//! move and a click lifts only its own bands. The rises, less each band's
//! usual jitter and each held a few milliseconds at its highest (a strike's
//! bands do not peak together), are summed into one onset curve; its peaks
//! are candidates, and a candidate is a step when it clears an adaptive
//! bar scaled by the tracker's sense of timing. Where a step is due, the
//! bands are also summed with weights learned from the steps heard so far
//! (see `band_weights`), and the louder sum counts: a quiet foot is found
//! by the bands that carry this runner's steps, and a step that lands
//! another way (another shoe, another floor) by all of them. Elsewhere
//! they count equally, so that a band's rare flutter is not taken for a
//! step while none is expected. While one of the app's own clicks
//! reaches the microphone, a band counts only above what the click alone
//! gives it (see `own_clicks`), and while the app's music plays, only
//! above what the music gives it (see `own_music`); while the coach
//! speaks, nothing is (see `own_voice`). A louder sound that has followed
//! most recent steps at one delay takes the rhythm, and the sound it held
//! is no longer taken (see `rival`); a beat the steps taken show to be
//! kept to the millisecond is a machine's, and nothing on it is taken
//! again (see `exact_rhythm`).
//!
//! Delay: a peak is confirmed `lookahead_hops` after it, and a step whose
//! evidence came later than `max_delay_s` after it landed (a faint heel
//! heard only through the forefoot's slap) teaches the tracker its rhythm
//! but is not reported: the coach needs steps while they are news. A step
//! dated well after where it was due was most likely heard by its later
//! part, so its delay is counted from nearer where it was due. And a step
//! accepted just after a candidate that fell short of the bar may have
//! begun there (a faint heel, then the forefoot that cleared the bar; see
//! `passed_over`): it is reported only if it is still news counted from
//! that candidate. `process` allocates nothing.

use super::band_weights::BandWeights;
use super::exact_rhythm::ExactRhythm;
use super::filterbank::{FilterBank, BAND_COUNT, FLOOR_DB, HOP_S};
use super::hum::HumRemover;
use super::own_clicks::{ClickEffect, OwnClicks};
use super::own_music::OwnMusic;
use super::own_voice::VoiceGate;
use super::params::{DetectorParams, MusicParams, OnsetParams};
use super::passed_over::PassedOver;
use super::rival::RivalRhythm;
use super::tracker::StepTracker;

/// Band levels kept (a ring): room for the longest references the
/// parameters may ask for (`rise_hops`, and `mean_gap_hops + mean_hops + 1`
/// are clamped to it).
const HISTORY_HOPS: usize = 128;
/// Added to every sample (see `process`).
const SUBNORMAL_GUARD: f32 = 1e-15;
/// Hops of onset curve kept for peak picking and backtracking.
const CURVE_HOPS: usize = 64;
/// Hops of per-band rises kept for the hold (the longest hold allowed and
/// the current hop).
const HELD_HOPS: usize = 16;

/// A heard step: when the foot landed (index of the sample, counting from
/// the first one passed to `process`) and when the detector knew.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub frame: u64,
    /// The sample count at which the step was reported (its delay is
    /// `reported_frame - frame`).
    pub reported_frame: u64,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct DetectorOptions {
    /// The cadence the runner is expected to hold, if known.
    pub cadence_hint_spm: Option<f64>,
}

pub struct FootstrikeDetector {
    sample_rate: u32,
    hum: HumRemover,
    bank: FilterBank,
    hop_samples: u64,
    hops: u64,
    samples: u64,
    /// Band levels of the last `HISTORY_HOPS` hops (a ring).
    levels: [[f32; BAND_COUNT]; HISTORY_HOPS],
    /// Sum of each band's levels over the mean's window (kept running: the
    /// worker also runs in unoptimised test builds beside the audio).
    mean_sums: [f64; BAND_COUNT],
    rise_norm: [f32; BAND_COUNT],
    /// The onset curve with the bands weighted (a ring): peaks are picked
    /// and dated on it.
    curve: [f32; CURVE_HOPS],
    /// Each band's held rise at each hop of the curve (their plain sum is
    /// a candidate's strength where no step is due).
    held_rises: [[f32; BAND_COUNT]; CURVE_HOPS],
    weights: BandWeights,
    /// Each band's counted rise over the last `HELD_HOPS` hops (a ring).
    band_rises: [[f32; BAND_COUNT]; HELD_HOPS],
    noise: f32,
    rise_alpha: f32,
    noise_alpha: f32,
    tracker: StepTracker,
    clicks: OwnClicks,
    /// How far a band must rise over a ringing click's level to count.
    over_click_db: f32,
    voice: VoiceGate,
    /// The runner's music, once a live session tells of it.
    music: Option<OwnMusic>,
    music_params: MusicParams,
    passed_over: PassedOver,
    /// A louder sound at a steady delay after the steps taken.
    rival: RivalRhythm,
    /// Beats kept to the millisecond, found among the steps taken.
    exact: ExactRhythm,
    steps: Vec<Step>,
    /// The first hop with any sound in it (see `room_known`).
    first_sound_hop: Option<u64>,
    /// The tuning constants (ring sizes clamped).
    p: OnsetParams,
}

impl FootstrikeDetector {
    /// The detector as shipped (`DetectorParams::default()`).
    pub fn new(sample_rate: u32, options: DetectorOptions) -> FootstrikeDetector {
        FootstrikeDetector::with_params(sample_rate, options, &DetectorParams::default())
    }

    /// A detector with every tuning constant given (the evaluation's
    /// sweeps). Parameters that size a ring are clamped to its capacity.
    pub fn with_params(
        sample_rate: u32,
        options: DetectorOptions,
        params: &DetectorParams,
    ) -> FootstrikeDetector {
        let mut p = params.onset;
        p.rise_hops = p.rise_hops.clamp(1, HISTORY_HOPS - 1);
        p.mean_hops = p.mean_hops.clamp(1, HISTORY_HOPS / 2);
        p.mean_gap_hops = p.mean_gap_hops.min(HISTORY_HOPS - 1 - p.mean_hops);
        p.hold_hops = p.hold_hops.map(|h| h.min(HELD_HOPS - 1));
        p.lookahead_hops = p.lookahead_hops.clamp(1, CURVE_HOPS / 4);
        p.lookback_hops = p.lookback_hops.clamp(1, CURVE_HOPS / 4);
        let bank = FilterBank::new(sample_rate);
        let hop_samples = bank.hop_samples() as u64;
        let per_hop = |tau: f64| (1.0 - (-HOP_S / tau).exp()) as f32;
        FootstrikeDetector {
            sample_rate,
            hum: HumRemover::with_params(sample_rate, params.hum),
            bank,
            hop_samples,
            hops: 0,
            samples: 0,
            levels: [[FLOOR_DB; BAND_COUNT]; HISTORY_HOPS],
            mean_sums: [f64::from(FLOOR_DB) * p.mean_hops as f64; BAND_COUNT],
            rise_norm: [0.0; BAND_COUNT],
            curve: [0.0; CURVE_HOPS],
            held_rises: [[0.0; BAND_COUNT]; CURVE_HOPS],
            weights: BandWeights::new(params.band_weights),
            band_rises: [[0.0; BAND_COUNT]; HELD_HOPS],
            noise: 0.0,
            rise_alpha: per_hop(p.rise_norm_s),
            noise_alpha: per_hop(p.noise_s),
            tracker: StepTracker::with_params(options.cadence_hint_spm, params.tracker),
            clicks: OwnClicks::new(sample_rate, hop_samples, params.clicks),
            over_click_db: p.over_click_db,
            voice: VoiceGate::with_params(sample_rate, params.voice),
            music: None,
            music_params: params.music,
            passed_over: PassedOver::default(),
            rival: RivalRhythm::new(params.rival),
            exact: ExactRhythm::new(params.exact),
            steps: Vec::with_capacity(64),
            first_sound_hop: None,
            p,
        }
    }

    /// Tells the detector what the app's click sounds like (its samples at
    /// this detector's rate): its level per band and hop, against which the
    /// microphone's bands are judged while it rings.
    pub fn set_click_sound(&mut self, click: &[f32]) {
        self.clicks.set_sound(click, self.sample_rate);
    }

    /// Judges the clicks announced from now on as a metronome found in the
    /// recording itself: `sound` is its mean click (taken to ring down, see
    /// `own_clicks`), and a band counts over it by `over_found_click_db`.
    pub fn expect_found_metronome(&mut self, sound: &[f32]) {
        self.clicks.set_found_sound(sound, self.sample_rate);
        self.over_click_db = self.p.over_found_click_db;
    }

    /// The app will click so that the sound reaches the microphone at
    /// sample `frame`. Clicks must be announced in order and before they
    /// arrive; when the queue is full the oldest is forgotten.
    pub fn expect_click(&mut self, frame: u64) {
        self.clicks.expect(frame);
    }

    /// The app's speech will reach the microphone from sample `frame` on.
    pub fn expect_voice_from(&mut self, frame: u64) {
        self.voice.from(frame);
    }

    /// ... and fall silent at sample `frame`.
    pub fn expect_voice_until(&mut self, frame: u64) {
        self.voice.until(frame);
    }

    /// The app's music put `levels` (band levels as a `FilterBank` at any
    /// rate reads them, from the music alone) into the hop that reaches the
    /// microphone at sample `frame`. Hops must be told before they arrive;
    /// from then on a band counts only above what the music explains.
    pub fn expect_music(&mut self, frame: u64, levels: [f32; BAND_COUNT]) {
        self.music_played(frame, levels, self.music_params.spread_hops);
    }

    /// Music found repeating in the recording itself put `levels` into
    /// the hop ending at sample `frame` (see `repeating_music`): as
    /// `expect_music`, with no spread, for the levels are the recording's
    /// own, on its clock.
    pub fn expect_found_music(&mut self, frame: u64, levels: [f32; BAND_COUNT]) {
        self.music_played(frame, levels, 0);
    }

    /// Music's `levels` at `frame`, its level taken as its loudest
    /// `spread_hops` either side (fixed by the first call).
    fn music_played(&mut self, frame: u64, levels: [f32; BAND_COUNT], spread_hops: usize) {
        let (hop_samples, mut params) = (self.hop_samples, self.music_params);
        params.spread_hops = spread_hops;
        self.music
            .get_or_insert_with(|| OwnMusic::new(hop_samples, params))
            .played(frame, levels);
    }

    /// The steady tones (a treadmill's motor, the mains) being notched out
    /// before the detector listens, in Hz, lowest first.
    pub fn hum_hz(&self) -> Vec<f64> {
        let mut tones: Vec<f64> = self.hum.tones_hz().collect();
        tones.sort_by(f64::total_cmp);
        tones
    }

    /// Feeds a block of mono samples; returns the steps confirmed in it.
    pub fn process(&mut self, block: &[f32]) -> &[Step] {
        self.steps.clear();
        for &x in block {
            self.samples += 1;
            // A little DC far under any sound: in digital silence (a
            // recording whose metronome was taken out) the filters' states
            // would otherwise decay into subnormal floats, many times
            // slower to compute with.
            let x = self.hum.process(x + SUBNORMAL_GUARD);
            if let Some(levels) = self.bank.push(x) {
                self.hop(levels);
            }
        }
        &self.steps
    }

    /// Band levels `back` hops before the current one (1 = the last).
    fn levels_back(&self, back: usize) -> &[f32; BAND_COUNT] {
        let slot = (self.hops + HISTORY_HOPS as u64 - back as u64) % HISTORY_HOPS as u64;
        &self.levels[slot as usize]
    }

    /// What a band's level now is measured against (see the module doc).
    fn reference(&self, band: usize) -> f32 {
        let lowest = (1..=self.p.rise_hops)
            .map(|back| self.levels_back(back)[band])
            .fold(f32::INFINITY, f32::min);
        let mean = (self.mean_sums[band] / self.p.mean_hops as f64) as f32;
        lowest.max(mean)
    }

    /// Slides the mean's window on by one hop.
    fn slide_mean(&mut self) {
        let entering = *self.levels_back(self.p.mean_gap_hops + 1);
        let leaving = *self.levels_back(self.p.mean_gap_hops + self.p.mean_hops + 1);
        for ((sum, e), l) in self.mean_sums.iter_mut().zip(entering).zip(leaving) {
            *sum += f64::from(e) - f64::from(l);
        }
    }

    fn hop(&mut self, levels: [f32; BAND_COUNT]) {
        self.slide_mean();
        let click = if self.voice.gated(self.samples) {
            ClickEffect::Blind([true; BAND_COUNT])
        } else {
            self.clicks.effect(self.samples, &levels)
        };
        let music = self
            .music
            .as_mut()
            .and_then(|music| music.expected(self.samples, &levels));
        let mut held = [0.0; BAND_COUNT];
        for band in 0..BAND_COUNT {
            // Music of our own raises the band's reference to what it
            // alone would put there.
            let lowest = match music {
                Some(music) => self
                    .reference(band)
                    .max(music[band] + self.music_params.over_db),
                None => self.reference(band),
            };
            let rise = (levels[band] - lowest).max(0.0);
            self.rise_norm[band] += self.rise_alpha * (rise - self.rise_norm[band]);
            let counted = match click {
                ClickEffect::None => rise,
                ClickEffect::Blind(bands) if bands[band] => 0.0,
                ClickEffect::Blind(_) => rise,
                // Only what rises above the click alone is a footstep.
                ClickEffect::Expected(expected) => {
                    (levels[band] - lowest.max(expected[band] + self.over_click_db)).max(0.0)
                }
            };
            // Less the band's usual jitter: a noisy band must rise further
            // than a quiet one to count.
            let slot = (self.hops % HELD_HOPS as u64) as usize;
            self.band_rises[slot][band] =
                (counted - self.p.jitter_factor * self.rise_norm[band] - self.p.jitter_floor_db)
                    .max(0.0);
            held[band] = self.held_rise(band);
        }
        self.levels[(self.hops % HISTORY_HOPS as u64) as usize] = levels;
        if self.first_sound_hop.is_none() && levels.iter().any(|&level| level > FLOOR_DB) {
            self.first_sound_hop = Some(self.hops);
        }
        let onset = self.weights.weigh(&held);
        let at = (self.hops % CURVE_HOPS as u64) as usize;
        self.curve[at] = onset;
        self.held_rises[at] = held;
        self.hops += 1;
        if self.hops > CURVE_HOPS as u64 {
            self.pick_peak();
        }
        if onset < self.bar() {
            self.noise += self.noise_alpha * (onset - self.noise);
            self.weights.observe_noise(&held, self.noise_alpha);
        }
    }

    /// A band's highest counted rise over its hold (see `OnsetParams::hold_hops`),
    /// the current hop included.
    fn held_rise(&self, band: usize) -> f32 {
        let held = (self.p.hold_hops[band] as u64).min(self.hops);
        (self.hops - held..=self.hops)
            .map(|hop| self.band_rises[(hop % HELD_HOPS as u64) as usize][band])
            .fold(0.0, f32::max)
    }

    fn curve_at(&self, hop: u64) -> f32 {
        self.curve[(hop % CURVE_HOPS as u64) as usize]
    }

    /// The weights learned so far for each band (see `band_weights`).
    pub fn band_weights(&self) -> &[f32; BAND_COUNT] {
        self.weights.weights()
    }

    fn bar(&self) -> f32 {
        let now_s = (self.hops * self.hop_samples) as f64 / f64::from(self.sample_rate);
        let relative = self
            .tracker
            .typical_strength_at(now_s)
            .map_or(0.0, |s| self.p.relative_bar * s);
        self.p
            .absolute_bar
            .max(self.p.noise_bar * self.noise)
            .max(relative)
    }

    /// Whether the references describe the room at `hop`: a full window
    /// of them has passed since the first sound. Before it, a band is
    /// measured against the level floor of the digital silence a stream
    /// may open on (a capture does, until the device delivers), and the
    /// room's own noise coming in is the strongest rise there can be: not
    /// a step, and never taken for one.
    fn room_known(&self, hop: u64) -> bool {
        let settle = (self.p.mean_gap_hops + self.p.mean_hops + 1) as u64;
        self.first_sound_hop
            .is_some_and(|first| hop >= first + settle)
    }

    /// Looks at the hop `lookahead_hops` back: a peak of the onset curve?
    fn pick_peak(&mut self) {
        let peak_hop = self.hops - 1 - self.p.lookahead_hops as u64;
        let peak = self.curve_at(peak_hop);
        if peak <= 0.0 || !self.room_known(peak_hop) {
            return;
        }
        let before =
            (peak_hop - self.p.lookback_hops as u64..peak_hop).all(|h| self.curve_at(h) < peak);
        let after = (peak_hop + 1..self.hops).all(|h| self.curve_at(h) <= peak);
        if !(before && after) {
            return;
        }
        // Back to where the rise began: that is when the foot landed.
        let mut start = peak_hop;
        let earliest = self.hops - CURVE_HOPS as u64 + 1;
        while start > earliest && self.curve_at(start - 1) > self.p.onset_share * peak {
            start -= 1;
        }
        // Hop h's reading covers the samples up to (h + 1)·hop; the strike
        // began within the hop before the first one that rose.
        let frame = start * self.hop_samples;
        let t_s = frame as f64 / f64::from(self.sample_rate);
        let weight = self.tracker.weight(t_s);
        let late_after_due = self
            .tracker
            .after_due_s(t_s)
            .map_or(0.0, |after| (after - self.p.late_after_due_s).max(0.0));
        let at = (peak_hop % CURVE_HOPS as u64) as usize;
        // Only where a step is due (the tracker weighs a candidate above 1
        // nowhere else) is the weighted sum believed, and there the plain
        // one too, whichever is louder (see the module doc).
        let plain: f32 = self.held_rises[at].iter().sum();
        let strength = if weight > 1.0 {
            peak.max(self.p.due_plain_share * plain)
        } else {
            plain
        };
        let bar = self.bar();
        // Too soon after the last step, but it outweighs it: the last one
        // was most likely not the step (see `StepTracker::outweighs_last`).
        // A step taken only as a guess gives its place to a sound as strong
        // as the steps in the gap after it (see
        // `StepTracker::outweighs_guess`; off as shipped), not within the
        // 40 ms a step is news for: the guess was reported, and a sound
        // that soon is most likely its own louder part.
        let replaces_guess = weight == 0.0
            && self
                .tracker
                .outweighs_guess(t_s, strength, bar, self.p.news_s);
        let replaces_last = replaces_guess
            || (weight == 0.0 && strength >= bar && self.tracker.outweighs_last(t_s, strength));
        // The louder sound that has followed every step at one delay, where
        // it was next expected: the rhythm moves to it (see `rival`).
        let rival = self.rival.takes_rhythm(t_s, plain, bar);
        let left_behind = self
            .tracker
            .period_s()
            .is_some_and(|period| self.rival.left_behind(t_s, period));
        // A machine's beat is never a step (see `exact_rhythm`).
        let machine = self.exact.heard(t_s);
        let on_time = weight > 0.0 && strength * weight >= bar && !left_behind;
        if !machine && (rival.is_some() || replaces_last || on_time) {
            self.weights.observe_step(&self.held_rises[at]);
            if let Some(delay) = rival {
                self.tracker.move_to(t_s, delay, plain);
                self.rival.moved_to_rival(t_s, delay, plain);
                self.exact.forget_steps();
            } else if replaces_last {
                self.tracker.replace_last(t_s, strength);
                if replaces_guess {
                    // For the rules that watch what was taken, the guess
                    // stays: a machine's beat taken as one is still the
                    // machine's, and a louder sound after each guess is a
                    // rival rhythm, which moves the whole line at once.
                    self.rival.passed_over(t_s, plain);
                } else {
                    self.rival.moved(t_s, plain);
                    self.exact.replaced(t_s);
                }
            } else {
                self.tracker.accept(t_s, strength);
                // Taken only because it came where a step was due.
                if strength < bar {
                    self.tracker.mark_last_guessed();
                }
                self.rival.step(t_s, plain);
                self.exact.step(t_s);
            }
            let sr = f64::from(self.sample_rate);
            let delay_s = (self.samples - frame) as f64 / sr;
            let earlier_part = self.passed_over.earliest_before(
                frame,
                (self.p.earlier_part_s * sr) as u64,
                self.p.earlier_part_share * bar,
            );
            let news_from_earlier_part = earlier_part
                .is_none_or(|start| (self.samples - start) as f64 / sr <= self.p.news_s);
            if delay_s + late_after_due <= self.p.max_delay_s && news_from_earlier_part {
                self.steps.push(Step {
                    frame,
                    reported_frame: self.samples,
                });
            }
        } else if !machine {
            self.passed_over.remember(frame, strength);
            self.tracker.pass_over(t_s, strength);
            self.rival.passed_over(t_s, plain);
        }
    }
}

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
//! bands are summed with weights learned from the steps heard so far (see
//! `band_weights`): a quiet foot is found by the bands that carry this
//! runner's steps. Elsewhere they count equally, so that a band's rare
//! flutter is not taken for a step while none is expected. While one of
//! the app's own clicks reaches the microphone, a band counts only above
//! what the click alone gives it (see `own_clicks`); while the coach
//! speaks, nothing is (see `own_voice`).
//!
//! Delay: a peak is confirmed `LOOKAHEAD_HOPS` after it, and a step whose
//! evidence came later than `MAX_DELAY_S` after it landed (a faint heel
//! heard only through the forefoot's slap) teaches the tracker its rhythm
//! but is not reported: the coach needs steps while they are news. A step
//! dated well after where it was due was most likely heard by its later
//! part, so its delay is counted from nearer where it was due. And a step
//! accepted just after a candidate that fell short of the bar may have
//! begun there (a faint heel, then the forefoot that cleared the bar; see
//! `passed_over`): it is reported only if it is still news counted from
//! that candidate. `process` allocates nothing.

use super::band_weights::BandWeights;
use super::filterbank::{FilterBank, BAND_COUNT, FLOOR_DB, HOP_S};
use super::hum::HumRemover;
use super::own_clicks::{ClickEffect, OwnClicks};
use super::own_voice::VoiceGate;
use super::passed_over::PassedOver;
use super::tracker::StepTracker;

/// Hops over which a band's lowest recent level is taken (20 ms).
const RISE_HOPS: usize = 20;
/// The mean-level reference: this many hops, ending this many hops ago.
const MEAN_HOPS: usize = 40;
const MEAN_GAP_HOPS: usize = 8;
/// Band levels kept: enough for both references, and the one leaving the
/// mean's window.
const HISTORY_HOPS: usize = MEAN_GAP_HOPS + MEAN_HOPS + 1;
/// Hops of onset curve kept for peak picking and backtracking.
const CURVE_HOPS: usize = 64;
/// How long each band's rise is held at its highest before it is summed.
/// A footstrike's bands do not peak together: the slap's upper bands jump
/// at once and fall within a few milliseconds, while the boom climbs
/// through the narrow low filters for ten milliseconds. Held for about the
/// time the slowest takes to climb, every band's evidence of one strike
/// adds up at the same hop, while a flutter in one band still adds only
/// that band.
const HOLD_HOPS: [usize; BAND_COUNT] = [0, 0, 4, 6, 8, 8];
/// Hops of per-band rises kept for the hold (the longest hold and the
/// current hop).
const HELD_HOPS: usize = 9;
/// A peak must stay the highest for this many hops after it... (3 ms:
/// the held bands already gather a strike's evidence at one hop, so a
/// longer wait finds no more steps and only delays every report.)
const LOOKAHEAD_HOPS: usize = 3;
/// ... and have been the highest for this many before it.
const LOOKBACK_HOPS: usize = 12;
/// While a click rings, a band must rise this far above the level the
/// click alone would give it: the app's click reaches the microphone a
/// little differently each time (speaker, room, the sound server's timing).
const OVER_CLICK_DB: f32 = 3.0;
/// The same for a metronome found in a recording: its clicks are one
/// digital sound repeated, and the template is their mean in that very
/// recording, so only the noise separates a click from its template.
pub const OVER_FOUND_CLICK_DB: f32 = 1.0;
/// The bar a candidate must clear, in summed dB of rise...
const ABSOLUTE_BAR: f32 = 10.0;
/// ... and relative to the typical recent step...
const RELATIVE_BAR: f32 = 0.2;
/// ... and relative to the onset curve's level between steps.
const NOISE_BAR: f32 = 4.0;
/// Time constants of the running statistics.
const RISE_NORM_S: f64 = 1.0;
const NOISE_S: f64 = 2.0;
/// The onset's start is where the curve first reached this share of its peak.
const ONSET_SHARE: f32 = 0.2;
/// A step confirmed later than this after it landed (as the detector times
/// it) is not reported, so that a step is news when it reaches the coach.
/// 10 ms under the 40 ms bar, because a step the detector heard only by
/// its later part (a faint heel, then the forefoot's slap) is dated up to
/// about 20 ms late, and its true delay is that much longer.
const MAX_DELAY_S: f64 = 0.030;
/// A step dated more than this after where the runner's rhythm put it is
/// taken to have landed this long after it was due, for its delay. Dated
/// that late, it was most likely heard by its later part, so its date
/// understates how long ago the foot landed. Nearer the due time a late
/// date is as likely the runner's own timing, and the step keeps it; 20 ms
/// is about how late a step heard by its later part is dated (see
/// `MAX_DELAY_S`).
const LATE_AFTER_DUE_S: f64 = 0.020;
/// A candidate passed over with at least this share of the bar (low
/// enough for a quiet foot's faint first strike, which can reach as little
/// as about a third of the bar; below it, the belt's and the room's flutter)...
const EARLIER_PART_SHARE: f32 = 0.3;
/// ... that began up to this long before a step accepted after it may have
/// been the step's faint first part (the boom or forefoot that clears the
/// bar follows a faint heel by up to about 25 ms)...
const EARLIER_PART_S: f64 = 0.025;
/// ... and the step is reported only this long from that candidate: the
/// 40 ms within which the coach needs a step, counted from where it may
/// really have begun.
const NEWS_S: f64 = 0.040;

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
    passed_over: PassedOver,
    steps: Vec<Step>,
}

impl FootstrikeDetector {
    pub fn new(sample_rate: u32, options: DetectorOptions) -> FootstrikeDetector {
        let bank = FilterBank::new(sample_rate);
        let hop_samples = bank.hop_samples() as u64;
        let per_hop = |tau: f64| (1.0 - (-HOP_S / tau).exp()) as f32;
        FootstrikeDetector {
            sample_rate,
            hum: HumRemover::new(sample_rate),
            bank,
            hop_samples,
            hops: 0,
            samples: 0,
            levels: [[FLOOR_DB; BAND_COUNT]; HISTORY_HOPS],
            mean_sums: [f64::from(FLOOR_DB) * MEAN_HOPS as f64; BAND_COUNT],
            rise_norm: [0.0; BAND_COUNT],
            curve: [0.0; CURVE_HOPS],
            held_rises: [[0.0; BAND_COUNT]; CURVE_HOPS],
            weights: BandWeights::default(),
            band_rises: [[0.0; BAND_COUNT]; HELD_HOPS],
            noise: 0.0,
            rise_alpha: per_hop(RISE_NORM_S),
            noise_alpha: per_hop(NOISE_S),
            tracker: StepTracker::new(options.cadence_hint_spm),
            clicks: OwnClicks::new(sample_rate, hop_samples),
            over_click_db: OVER_CLICK_DB,
            voice: VoiceGate::new(sample_rate),
            passed_over: PassedOver::default(),
            steps: Vec::with_capacity(64),
        }
    }

    /// Tells the detector what the app's click sounds like (its samples at
    /// this detector's rate): its level per band and hop, against which the
    /// microphone's bands are judged while it rings.
    pub fn set_click_sound(&mut self, click: &[f32]) {
        self.clicks.set_sound(click, self.sample_rate);
    }

    /// How far a band must rise over a ringing click's expected level to
    /// count as a step (`OVER_FOUND_CLICK_DB` for a metronome found in the
    /// recording itself).
    pub fn set_over_click_db(&mut self, db: f32) {
        self.over_click_db = db;
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
            let x = self.hum.process(x);
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
        let lowest = (1..=RISE_HOPS)
            .map(|back| self.levels_back(back)[band])
            .fold(f32::INFINITY, f32::min);
        let mean = (self.mean_sums[band] / MEAN_HOPS as f64) as f32;
        lowest.max(mean)
    }

    /// Slides the mean's window on by one hop.
    fn slide_mean(&mut self) {
        let entering = *self.levels_back(MEAN_GAP_HOPS + 1);
        let leaving = *self.levels_back(MEAN_GAP_HOPS + MEAN_HOPS + 1);
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
        let mut held = [0.0; BAND_COUNT];
        for band in 0..BAND_COUNT {
            let lowest = self.reference(band);
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
            self.band_rises[slot][band] = (counted - 2.0 * self.rise_norm[band] - 1.0).max(0.0);
            held[band] = self.held_rise(band);
        }
        self.levels[(self.hops % HISTORY_HOPS as u64) as usize] = levels;
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

    /// A band's highest counted rise over its hold (see `HOLD_HOPS`),
    /// the current hop included.
    fn held_rise(&self, band: usize) -> f32 {
        let held = (HOLD_HOPS[band] as u64).min(self.hops);
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
        let relative = self
            .tracker
            .typical_strength()
            .map_or(0.0, |s| RELATIVE_BAR * s);
        ABSOLUTE_BAR.max(NOISE_BAR * self.noise).max(relative)
    }

    /// Looks at the hop `LOOKAHEAD_HOPS` back: a peak of the onset curve?
    fn pick_peak(&mut self) {
        let peak_hop = self.hops - 1 - LOOKAHEAD_HOPS as u64;
        let peak = self.curve_at(peak_hop);
        if peak <= 0.0 {
            return;
        }
        let before = (peak_hop - LOOKBACK_HOPS as u64..peak_hop).all(|h| self.curve_at(h) < peak);
        let after = (peak_hop + 1..self.hops).all(|h| self.curve_at(h) <= peak);
        if !(before && after) {
            return;
        }
        // Back to where the rise began: that is when the foot landed.
        let mut start = peak_hop;
        let earliest = self.hops - CURVE_HOPS as u64 + 1;
        while start > earliest && self.curve_at(start - 1) > ONSET_SHARE * peak {
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
            .map_or(0.0, |after| (after - LATE_AFTER_DUE_S).max(0.0));
        let at = (peak_hop % CURVE_HOPS as u64) as usize;
        // Only where a step is due (the tracker weighs a candidate above 1
        // nowhere else) is the weighted sum believed (see the module doc).
        let strength = if weight > 1.0 {
            peak
        } else {
            self.held_rises[at].iter().sum()
        };
        let bar = self.bar();
        if weight > 0.0 && strength * weight >= bar {
            self.weights.observe_step(&self.held_rises[at]);
            self.tracker.accept(t_s, strength);
            let sr = f64::from(self.sample_rate);
            let delay_s = (self.samples - frame) as f64 / sr;
            let earlier_part = self.passed_over.earliest_before(
                frame,
                (EARLIER_PART_S * sr) as u64,
                EARLIER_PART_SHARE * bar,
            );
            let news_from_earlier_part =
                earlier_part.is_none_or(|start| (self.samples - start) as f64 / sr <= NEWS_S);
            if delay_s + late_after_due <= MAX_DELAY_S && news_from_earlier_part {
                self.steps.push(Step {
                    frame,
                    reported_frame: self.samples,
                });
            }
        } else {
            self.passed_over.remember(frame, strength);
        }
    }
}

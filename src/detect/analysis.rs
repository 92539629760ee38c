//! A whole analysis, as `treadbeat detect` prints it and as the live
//! worker accumulates it: the detector, the beat it is held against, the
//! alignment and the drift rules, chained.

use serde::Serialize;

use super::click_cancel::ClickCanceller;
use super::drift::{Tolerances, Warning};
use super::judge::{Judgement, StepJudge};
use super::metronome::Metronome;
use super::onset::{DetectorOptions, FootstrikeDetector};
use super::params::{DetectorParams, MetronomeParams};
use super::repeating_music::RepeatingMusic;
use crate::plan::{CadenceSpan, Ramp, Timeline};
use crate::tempo::TempoMap;

/// The beat a runner was asked to hold: click times and target cadence.
#[derive(Debug, Clone)]
pub struct BeatPlan {
    beats: Vec<f64>,
    /// Every clicked stretch with its cadence.
    targets: Vec<CadenceSpan>,
}

impl BeatPlan {
    /// A profile's clicks, session t = 0 at the recording's first sample.
    pub fn from_timeline(timeline: &Timeline) -> BeatPlan {
        let map = TempoMap::from_timeline(timeline);
        BeatPlan {
            beats: map.clicks().map(|c| c.time_s).collect(),
            targets: timeline.clicked_spans().collect(),
        }
    }

    /// Clicks at the given times (s, in order), with the target cadence
    /// of each clicked stretch.
    pub fn from_beats(beats: Vec<f64>, targets: Vec<CadenceSpan>) -> BeatPlan {
        BeatPlan { beats, targets }
    }

    /// A steady beat at `spm` from t = 0 for `duration_s`.
    pub fn steady(spm: f64, duration_s: f64) -> BeatPlan {
        let period = 60.0 / spm;
        BeatPlan {
            beats: (0..)
                .map(|k| f64::from(k) * period)
                .take_while(|t| *t <= duration_s + period)
                .collect(),
            targets: vec![CadenceSpan {
                start_s: 0.0,
                end_s: duration_s + period,
                cadence: Ramp::constant(spm),
            }],
        }
    }

    /// When each click plays (session time, s).
    pub fn beats(&self) -> &[f64] {
        &self.beats
    }

    /// The target cadence at `t`, where clicks play.
    pub fn target_spm(&self, t: f64) -> Option<f64> {
        CadenceSpan::among(self.targets.iter().copied(), t)
    }

    pub fn first_target(&self) -> Option<f64> {
        self.targets.first().map(|t| t.cadence.from)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CadencePoint {
    pub t: f64,
    pub spm: f64,
}

/// What a recording says about the runner.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Analysis {
    /// Seconds from the start of the recording.
    pub steps: Vec<f64>,
    /// Per step, when the detector reported it: seconds of the recording
    /// it had heard by then (live, the coach learns of the step then).
    #[serde(skip)]
    pub reported_s: Vec<f64>,
    pub cadence: Vec<CadencePoint>,
    /// Per step, when aligned against a beat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offsets_ms: Option<Vec<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<Warning>>,
    pub asymmetry_pct: Option<f64>,
    /// A metronome heard in the recording (clicks a minute), whose clicks
    /// were not counted as steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metronome_per_minute: Option<f64>,
    /// The steady tones taken out before listening (a treadmill's motor,
    /// the mains, a note held for seconds), in Hz, as at the end of the
    /// recording.
    pub hum_hz: Vec<f64>,
}

/// Feeds a recording block by block and collects the analysis: the
/// detector's steps judged against the plan's beats by the same
/// `StepJudge` a live session uses.
pub struct Analyser {
    sample_rate: u32,
    detector: FootstrikeDetector,
    judge: StepJudge,
    plan: Option<BeatPlan>,
    /// Beats of the plan handed to the judge so far.
    beats_given: usize,
    /// A metronome's clicks in the recording (frames as fed), and how many
    /// the detector has been told of.
    foreign_clicks: Vec<u64>,
    clicks_told: usize,
    fed: u64,
    metronome: MetronomeParams,
    /// Each found metronome's clicks, taken out of the samples in turn
    /// before the detector hears them (`click_cancel`), the samples ready
    /// and those between one canceller and the next.
    cancellers: Vec<ClickCanceller>,
    cancelled: Vec<f32>,
    between: Vec<f32>,
    /// Music found repeating in the recording, the hops of it not fed
    /// (before `--start`), and how many hops the detector has been told of.
    music: Option<RepeatingMusic>,
    music_skipped: usize,
    music_told: usize,
    analysis: Analysis,
}

impl Analyser {
    pub fn new(sample_rate: u32, plan: Option<BeatPlan>, tolerances: Tolerances) -> Analyser {
        Analyser::with_params(sample_rate, plan, tolerances, &DetectorParams::default())
    }

    /// The same with every tuning constant of the detector given.
    pub fn with_params(
        sample_rate: u32,
        plan: Option<BeatPlan>,
        tolerances: Tolerances,
        params: &DetectorParams,
    ) -> Analyser {
        let options = DetectorOptions {
            cadence_hint_spm: plan.as_ref().and_then(BeatPlan::first_target),
        };
        let aligned = plan.is_some();
        Analyser {
            sample_rate,
            detector: FootstrikeDetector::with_params(sample_rate, options, params),
            judge: StepJudge::new(tolerances, false),
            plan,
            beats_given: 0,
            foreign_clicks: Vec::new(),
            clicks_told: 0,
            fed: 0,
            metronome: params.metronome,
            cancellers: Vec::new(),
            cancelled: Vec::new(),
            between: Vec::new(),
            music: None,
            music_skipped: 0,
            music_told: 0,
            analysis: Analysis {
                offsets_ms: aligned.then(Vec::new),
                warnings: aligned.then(Vec::new),
                ..Analysis::default()
            },
        }
    }

    /// Metronomes are in the recording (found by `find_metronomes_knowing`,
    /// strongest first), their clicks at their frames less `skipped` (the
    /// frames not fed): the detector hears them as it hears the app's own
    /// clicks live, never as steps, and each train's clicks are taken out
    /// of the samples before it listens.
    pub fn expect_metronomes(&mut self, metronomes: &[Metronome], skipped: u64) {
        if let Some(sound) = metronomes.iter().find_map(|m| m.sound.as_ref()) {
            self.detector.expect_found_metronome(sound);
        }
        let as_fed = |m: &Metronome| -> Vec<u64> {
            m.train
                .clicks
                .iter()
                .filter_map(|f| f.checked_sub(skipped))
                .collect()
        };
        for metronome in metronomes {
            let clicks = as_fed(metronome);
            if let Some(wave) = &metronome.wave {
                self.cancellers.push(ClickCanceller::new(
                    wave.clone(),
                    clicks.clone(),
                    self.sample_rate,
                    &self.metronome,
                ));
            }
            self.foreign_clicks.extend(clicks);
        }
        self.foreign_clicks.sort_unstable();
        self.foreign_clicks.dedup();
        self.analysis.metronome_per_minute = metronomes
            .first()
            .map(|m| m.train.clicks_per_minute(self.sample_rate));
    }

    /// Music repeats in the recording (found by `find_repeating_music`
    /// from its first sample on; `skipped` frames of it are not fed): the
    /// detector hears it as it hears the app's own music live, a band
    /// counting only above it.
    pub fn expect_repeating_music(&mut self, music: RepeatingMusic, skipped: u64) {
        self.music_skipped = (skipped as f64 / music.hop_samples() as f64).round() as usize;
        self.music = Some(music);
        self.music_told = 0;
    }

    pub fn feed(&mut self, block: &[f32]) {
        if self.cancellers.is_empty() {
            self.listen(block);
            return;
        }
        let mut ready = std::mem::take(&mut self.cancelled);
        ready.clear();
        ready.extend_from_slice(block);
        self.cancel(&mut ready, |canceller, input, out| {
            canceller.push(input, out)
        });
        self.listen(&ready);
        self.cancelled = ready;
    }

    /// Runs `samples` through every canceller in turn (each `step` hands
    /// a canceller its input and the vector for its output), leaving in
    /// `samples` what the last one gave out.
    fn cancel(
        &mut self,
        samples: &mut Vec<f32>,
        mut step: impl FnMut(&mut ClickCanceller, &[f32], &mut Vec<f32>),
    ) {
        let mut out = std::mem::take(&mut self.between);
        for canceller in &mut self.cancellers {
            out.clear();
            step(canceller, samples, &mut out);
            std::mem::swap(samples, &mut out);
        }
        self.between = out;
    }

    /// Tells the detector what the music found in the recording puts in
    /// each band, up to frame `ahead` (as fed).
    fn tell_music(&mut self, ahead: u64) {
        let Some(music) = &self.music else {
            return;
        };
        let hop_samples = music.hop_samples();
        let last = (ahead / hop_samples) as usize;
        let known = music.hops().saturating_sub(self.music_skipped);
        while self.music_told < known.min(last) {
            let hop = self.music_told;
            if let Some(levels) = music.expected(hop + self.music_skipped) {
                // The hop's levels are read when its last sample is in.
                self.detector
                    .expect_found_music((hop as u64 + 1) * hop_samples, levels);
            }
            self.music_told += 1;
        }
    }

    /// Feeds the detector (after any metronome was taken out).
    fn listen(&mut self, block: &[f32]) {
        if block.is_empty() {
            return;
        }
        // Clicks are announced a little ahead of their arrival, in order,
        // never so many that the detector's queue would overflow.
        let ahead = self.fed + block.len() as u64 + u64::from(self.sample_rate) / 10;
        while let Some(&click) = self.foreign_clicks.get(self.clicks_told) {
            if click > ahead {
                break;
            }
            self.detector.expect_click(click);
            self.clicks_told += 1;
        }
        self.tell_music(ahead);
        self.fed += block.len() as u64;
        let sr = f64::from(self.sample_rate);
        let steps: Vec<(f64, f64)> = self
            .detector
            .process(block)
            .iter()
            .map(|s| (s.frame as f64 / sr, s.reported_frame as f64 / sr))
            .collect();
        for (t, reported) in steps {
            let target = self.plan.as_ref().and_then(|plan| {
                // Every beat up to the step and the first after it.
                let beats = &plan.beats;
                while self.beats_given < beats.len()
                    && (self.beats_given == 0 || beats[self.beats_given - 1] <= t)
                {
                    self.judge.click(beats[self.beats_given]);
                    self.beats_given += 1;
                }
                plan.target_spm(t)
            });
            for judgement in self.judge.step(t, target) {
                let a = &mut self.analysis;
                match judgement {
                    Judgement::Step {
                        offset_ms,
                        cadence_spm,
                        ..
                    } => {
                        a.steps.push(t);
                        a.reported_s.push(reported);
                        if let Some(spm) = cadence_spm {
                            a.cadence.push(CadencePoint { t, spm });
                        }
                        if let Some(offsets) = &mut a.offsets_ms {
                            offsets.push(offset_ms);
                        }
                    }
                    Judgement::Warning(warning) => {
                        if let Some(warnings) = &mut a.warnings {
                            warnings.push(warning);
                        }
                    }
                    Judgement::Fade(_) => {}
                }
            }
        }
    }

    pub fn finish(mut self) -> Analysis {
        if !self.cancellers.is_empty() {
            // Each canceller gives out what it held, after what the one
            // before it gave out.
            let mut rest = Vec::new();
            self.cancel(&mut rest, |canceller, input, out| {
                canceller.push(input, out);
                canceller.finish(out);
            });
            self.listen(&rest);
        }
        self.analysis.asymmetry_pct = self.judge.asymmetry_pct();
        self.analysis.hum_hz = self.detector.hum_hz();
        self.analysis
    }
}

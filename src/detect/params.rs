//! Every tuning constant of the footstrike detector, in one value.
//!
//! `DetectorParams::default()` is the detector as shipped; the evaluation
//! (`eval::real_eval`, `examples/real_corpus_eval.rs --sweep`) builds
//! variants of it by name (`set`) and chooses among them leave one source
//! out. Each part of the detector takes its own group: the onset curve and
//! the bar (`onset`), the rhythm (`tracker`), the band weights
//! (`band_weights`), the app's clicks and voice (`clicks`, `voice`), the
//! hum remover (`hum`) and the metronome finder (`metronome`).
//!
//! Not here, because they are the detector's shape rather than a setting:
//! the six bands and the 1 ms hop (`filterbank`), the hum search's FFT
//! size and rate, and the capacities of the rings (each parameter that
//! sizes a ring is clamped to its capacity, so `process` still allocates
//! nothing).

use super::filterbank::BAND_COUNT;

/// The onset curve, the bar a candidate must clear, and when a step is
/// reported (`onset`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OnsetParams {
    /// Hops (1 ms) over which a band's lowest recent level is taken: long
    /// enough to reach back before a strike's own rise (a boom climbs for
    /// about 10 ms), short enough to follow the decaying tail of the last
    /// step or the room.
    pub rise_hops: usize,
    /// The mean-level reference: this many hops...
    pub mean_hops: usize,
    /// ... ending this many hops ago (so that the strike's own first
    /// milliseconds are not in it).
    pub mean_gap_hops: usize,
    /// How long each band's rise is held at its highest before the sum: a
    /// strike's slap (upper bands) is over in a few ms while its boom climbs
    /// through the narrow low filters for about 10 ms; held for about the
    /// time the slowest takes to climb, one strike adds up at one hop, while
    /// a flutter in one band still adds only that band.
    pub hold_hops: [usize; BAND_COUNT],
    /// A peak must stay the highest for this many hops after it: the held
    /// bands already gather a strike at one hop, so a longer wait only
    /// delays every report.
    pub lookahead_hops: usize,
    /// ... and have been the highest for this many before it (one strike's
    /// bands, not two peaks of one strike).
    pub lookback_hops: usize,
    /// While the app's own click rings, a band counts only this far (dB)
    /// above what the click alone would give it: the click reaches the
    /// microphone a little differently each time (speaker, room, server).
    pub over_click_db: f32,
    /// The same for a metronome found in the recording: one digital sound
    /// repeated, its template the mean of its own clicks, so only the
    /// noise separates a click from the template.
    pub over_found_click_db: f32,
    /// The bar a candidate must clear, in summed dB of rise: under it, the
    /// belt and the room flutter.
    pub absolute_bar: f32,
    /// ... and this share of the typical recent step (a loud runner's
    /// echoes and scuffs stay under it).
    pub relative_bar: f32,
    /// ... and this many times the onset curve's level between steps.
    pub noise_bar: f32,
    /// A band's rise counts less this many times its usual rise...
    pub jitter_factor: f32,
    /// ... and less this many dB: a band full of belt noise must rise
    /// further than a quiet one.
    pub jitter_floor_db: f32,
    /// Time constant of each band's usual rise (s).
    pub rise_norm_s: f64,
    /// Time constant of the curve's level between steps (s).
    pub noise_s: f64,
    /// A step is dated where the curve first reached this share of its peak.
    pub onset_share: f32,
    /// Where a step is due, a candidate counts at least this share of its
    /// bands' plain sum, however little their weighted sum gives it: a
    /// step on another floor or shoe than the ones the weights learned
    /// puts its rise in the bands they turned down (a dirt step: 5.1 plain,
    /// 1.3 weighted). 0: the weighted sum alone; 1, as shipped: the louder
    /// of the two (every fold chose 1 of 0 / 0.5 / 0.75 / 1;
    /// docs/lab/detector-params.md).
    pub due_plain_share: f32,
    /// A step confirmed later than this after it landed is not reported:
    /// 10 ms under the coach's 40 ms, for a step heard only by its later
    /// part, dated up to about 20 ms late.
    pub max_delay_s: f64,
    /// A step dated more than this after where the rhythm put it is taken
    /// to have landed this long after it was due, for its delay: about how
    /// late a step heard by its later part is dated.
    pub late_after_due_s: f64,
    /// A candidate passed over with at least this share of the bar (a
    /// quiet foot's faint first strike reaches about a third of it)...
    pub earlier_part_share: f32,
    /// ... up to this long before an accepted step may have been its faint
    /// first part (the forefoot follows a faint heel by up to about 25 ms)...
    pub earlier_part_s: f64,
    /// ... and the step is reported only this long from that candidate:
    /// the 40 ms within which the coach needs a step.
    pub news_s: f64,
}

impl Default for OnsetParams {
    fn default() -> OnsetParams {
        OnsetParams {
            rise_hops: 20,
            mean_hops: 40,
            mean_gap_hops: 8,
            hold_hops: [0, 0, 4, 6, 8, 8],
            lookahead_hops: 3,
            lookback_hops: 12,
            over_click_db: 3.0,
            over_found_click_db: 1.0,
            absolute_bar: 10.0,
            relative_bar: 0.2,
            noise_bar: 4.0,
            jitter_factor: 2.0,
            jitter_floor_db: 1.0,
            rise_norm_s: 1.0,
            noise_s: 2.0,
            onset_share: 0.2,
            due_plain_share: 1.0,
            max_delay_s: 0.030,
            late_after_due_s: 0.020,
            earlier_part_share: 0.3,
            earlier_part_s: 0.025,
            news_s: 0.040,
        }
    }
}

/// The rhythm: where the next step is due and how much a candidate there
/// counts (`tracker`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrackerParams {
    /// Recent intervals and strengths the period and the bar are medians of.
    pub memory: usize,
    /// Steps the line of where steps are due is fitted through (about five
    /// seconds): enough that a few steps dated late at the end cannot tilt
    /// it, few enough that it follows a tiring runner's falling cadence.
    pub line_steps: usize,
    /// The slowest period believed (s): fast walking.
    pub slowest_period_s: f64,
    /// The fastest (s): sprinting.
    pub fastest_period_s: f64,
    /// Before the period is known, nothing within this of a step starts
    /// another (s): under the shorter step of a runner at 210 spm (one foot
    /// landing a few milliseconds early makes it about 270 ms), well over a
    /// heel-then-forefoot double strike. Half the slowest period would keep
    /// out every other step of such a runner, and the rhythm learned would
    /// be half the cadence.
    pub first_gap_s: f64,
    /// Nothing within this time of a step starts another (s)...
    pub min_gap_s: f64,
    /// ... nor within this share of a period (heel-then-forefoot double
    /// strikes, echoes).
    pub min_gap_periods: f64,
    /// A candidate is on time from this share of a period before where the
    /// step is due (the line's own error; what comes just before a step is
    /// most often a kick drum or an echo)...
    pub early_window: f64,
    /// ... to this share after it (a faint step is dated by its louder,
    /// later part).
    pub late_window: f64,
    /// How much more a candidate counts where a step is due: a quiet foot
    /// under music or in a room clears the bar there, while belt noise in
    /// the window does not pass for a step while the runner stands on the
    /// rails.
    pub due_boost: f32,
    /// Outside the window a candidate counts less by this much per period
    /// it is off...
    pub off_beat_slope: f64,
    /// ... down to this (a new rhythm, a stumble, must still get through).
    pub off_beat_floor: f64,
    /// A gap of this many periods starts a new run of steps (a pause).
    pub lost_after: f64,
    /// A period is trusted once the median interval is within this share
    /// of it...
    pub lock_spread: f64,
    /// ... over at least this many intervals.
    pub lock_intervals: usize,
    /// Steps heard before their typical strength raises the bar: from the
    /// first (every fold chose 1 over 3: a beat of the music a fifth as
    /// loud as the first step, half a period after it, was taken at a cold
    /// start and held the line for 9 s; docs/lab/detector-params.md).
    pub strengths_for_bar: usize,
    /// Once the rhythm is trusted, candidates this close to halfway
    /// between two steps (a share of the period either side of one half)...
    pub halfway_window: f64,
    /// ... at least this strong against the typical step...
    pub halfway_share: f32,
    /// ... after this many of the last `memory` periods had one, the
    /// runner's cadence is double the one tracked: every other step (the
    /// weak foot) was missed while the rhythm was learned. Half of them: a
    /// weak foot heard every other time is enough, a sound that falls
    /// halfway now and then is not. 0 never halves the period.
    pub halfway_votes: usize,
    /// Until the rhythm is trusted, a candidate too soon after a step but
    /// this many times as strong as it takes its place on the line (see
    /// `StepTracker::outweighs_last`). 0 never.
    pub outweigh_last: f64,
    /// A step taken only because it came where one was due (fainter than
    /// the bar on its own) gives its place to a candidate too soon after
    /// it that clears the bar on its own, is as strong as the typical step
    /// and this many times the guess, rhythm trusted or not (see
    /// `StepTracker::outweighs_guess`). 0 never, as shipped: the
    /// evaluation's folds did not choose it (docs/lab/detector-params.md).
    pub outweigh_guess: f64,
}

impl Default for TrackerParams {
    fn default() -> TrackerParams {
        TrackerParams {
            memory: 8,
            line_steps: 16,
            slowest_period_s: 60.0 / 100.0,
            fastest_period_s: 60.0 / 240.0,
            first_gap_s: 0.26,
            min_gap_s: 0.18,
            min_gap_periods: 0.5,
            early_window: 0.04,
            late_window: 0.10,
            due_boost: 2.65,
            off_beat_slope: 5.0,
            off_beat_floor: 0.3,
            lost_after: 2.5,
            lock_spread: 0.08,
            lock_intervals: 4,
            strengths_for_bar: 1,
            halfway_window: 0.1,
            halfway_share: 0.25,
            halfway_votes: 4,
            outweigh_last: 2.0,
            outweigh_guess: 0.0,
        }
    }
}

/// A louder sound at a steady delay after every step (`rival`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RivalParams {
    /// Gaps after the steps voting...
    pub gaps: usize,
    /// ... and how many of them must have a rival at one delay.
    pub min_votes: usize,
    /// How far a rival's delay may be from the others' median (s).
    pub tolerance_s: f64,
    /// A rival is this many times the step's strength (the median).
    pub min_ratio: f32,
    /// Delays watched after a step (s): past the step's own first ms, up
    /// to well before the next step even at 210 spm.
    pub shortest_delay_s: f64,
    pub longest_delay_s: f64,
}

impl Default for RivalParams {
    fn default() -> RivalParams {
        RivalParams {
            gaps: 8,
            min_votes: 6,
            tolerance_s: 0.01,
            min_ratio: 1.3,
            shortest_delay_s: 0.02,
            longest_delay_s: 0.15,
        }
    }
}

/// A beat kept to the millisecond, no runner's (`exact_rhythm`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExactParams {
    /// Steps taken in a window (0: never look)...
    pub steps: usize,
    /// ... and how many of them must lie within `within_s` of their line.
    pub agree: usize,
    pub within_s: f64,
    /// A candidate this close to a machine's beat is on it (s): a hop's
    /// dating either side, and a little.
    pub tolerance_s: f64,
    /// A machine unheard on its beat for this many periods is forgotten.
    pub lost_after: f64,
    /// This many candidates refused on a grid before any step was taken
    /// beside it: the grid was the runner's own.
    pub alone_after: usize,
}

impl Default for ExactParams {
    fn default() -> ExactParams {
        ExactParams {
            steps: 24,
            agree: 16,
            within_s: 0.002,
            tolerance_s: 0.0025,
            lost_after: 16.0,
            alone_after: 8,
        }
    }
}

/// Which bands carry this runner's steps (`band_weights`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandWeightParams {
    /// Steps heard before the weights move off equal: a handful, so one
    /// odd step does not set them.
    pub steps_before_learning: u32,
    /// The steps' mean rise follows each new step by at least this much
    /// (about the last ten steps: shoes and floors do not change faster).
    pub step_follow: f32,
    /// Added to a band's noise variance (dB²): a band that never moves
    /// between steps must not get an unbounded weight.
    pub variance_floor: f32,
    /// The lightest weight: a band never drops out entirely.
    pub lightest: f32,
    /// The heaviest: no band alone makes a step.
    pub heaviest: f32,
}

impl Default for BandWeightParams {
    fn default() -> BandWeightParams {
        BandWeightParams {
            steps_before_learning: 6,
            step_follow: 0.1,
            variance_floor: 0.25,
            lightest: 0.25,
            heaviest: 2.5,
        }
    }
}

/// Clicks whose arrival the detector is told (`own_clicks`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClickParams {
    /// Listening stops this long before an announced arrival when the click
    /// is gated blind (the calibration's spread).
    pub before_s: f64,
    /// The template is cut where every band is this far below its peak.
    pub template_range_db: f32,
    /// The longest template (a long user sample is gated only this long).
    pub longest_template_s: f64,
    /// Hops either side the template is widened by: the calibration's
    /// spread and a sound server that shifts its latency by a few ms.
    pub widen_hops: usize,
    /// A band excited to within this of the click's loudest band is gated
    /// blind while the gain is not yet known.
    pub blind_range_db: f32,
    /// Arrivals remembered for the gain (a low one is the click alone).
    pub gain_memory: usize,
    /// Arrivals heard before the gain is trusted.
    pub gain_after_clicks: usize,
    /// Without a template, bands from this frequency up are gated blind
    /// (Hz): none of the built-in clicks has energy below it.
    pub clickless_below_hz: f64,
    /// Without a template, the blind gate lasts this long (s).
    pub blind_after_s: f64,
    /// A click found in the recording is taken to ring down in every band
    /// from this many hops after its onset: a click is struck once, its
    /// attack is over within a few milliseconds (the template is then
    /// widened by `widen_hops` for the arrival's spread), and what still
    /// grows in the mean of its clicks is the steps that landed on them.
    /// 0 takes the mean as it is.
    pub decay_after_hops: usize,
}

impl Default for ClickParams {
    fn default() -> ClickParams {
        ClickParams {
            before_s: 0.008,
            template_range_db: 50.0,
            longest_template_s: 0.12,
            widen_hops: 6,
            blind_range_db: 60.0,
            gain_memory: 8,
            gain_after_clicks: 3,
            clickless_below_hz: 160.0,
            blind_after_s: 0.05,
            decay_after_hops: 3,
        }
    }
}

/// The coach's own voice (`own_voice`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VoiceParams {
    /// Listening stops this long before the voice is due (calibration
    /// spread)...
    pub before_s: f64,
    /// ... and resumes this long after it ends (the room's tail).
    pub after_s: f64,
    /// A span whose end never came closes after this long: no cue is
    /// this long, and the detector must not stay deaf for the session.
    pub longest_s: f64,
}

impl Default for VoiceParams {
    fn default() -> VoiceParams {
        VoiceParams {
            before_s: 0.02,
            after_s: 0.08,
            longest_s: 30.0,
        }
    }
}

/// The runner's music, told to the detector by a live session (`own_music`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MusicParams {
    /// A band counts only this far above what the music alone would put
    /// there: the same margin as over a click of our own
    /// (`OnsetParams::over_click_db`).
    pub over_db: f32,
    /// The path's gain is this quantile of how far the microphone's level
    /// stands above the music's: low, so that a step's extra level (a few
    /// per cent of the hops) never moves it, and the music is never
    /// expected much louder than what is heard; not the minimum, which one
    /// dropout of the microphone would drag down.
    pub quantile: f32,
    /// Hops that teach a band's path before its music counts (0.2 s).
    pub learn_hops: usize,
    /// The music's level is taken as its loudest this many hops either
    /// side: the calibration's spread and a sound server that shifts its
    /// latency by a few ms (as `ClickParams::widen_hops`).
    pub spread_hops: usize,
    /// Music quieter than this (dB full scale, its own level) is not
    /// there for the microphone.
    pub audible_db: f32,
}

impl Default for MusicParams {
    fn default() -> MusicParams {
        MusicParams {
            over_db: 3.0,
            quantile: 0.05,
            learn_hops: 200,
            spread_hops: 6,
            audible_db: -80.0,
        }
    }
}

/// The hum remover (`hum`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HumParams {
    /// Where tones are searched for (Hz): the bands where footstrikes boom
    /// and thud; above it a tone is a small part of a band full of hiss.
    pub lowest_hz: f64,
    pub highest_hz: f64,
    /// How far a new tone must stand above the bins either side (dB)...
    pub new_tone_db: f64,
    /// ... and a notched one to keep its notch (a tone on top of the
    /// steps' boom stands out less some seconds than others).
    pub kept_tone_db: f64,
    /// A tone must stand above the spectrum at least this many bins from
    /// its peak (past the window's main lobe; close, because a step's
    /// resonance averages into a hump many Hz wide).
    pub min_side_bins: usize,
    /// A tone is the highest bin within this many either side.
    pub peak_half_width: usize,
    /// Weight of each new spectrum in the running average (about 2 s).
    pub new_spectrum_weight: f64,
    /// Spectra averaged before the first notch.
    pub spectra_before_notching: u32,
    /// A notch is this wide at −3 dB (Hz)...
    pub min_width_hz: f64,
    /// ... or this share of its frequency if wider (a motor's wobble of
    /// about 1 %).
    pub width_share: f64,
    /// Weight of each new hearing in a tone's running frequency...
    pub heard_hz_weight: f64,
    /// ... and how far (a share of the notch's width) that may be from the
    /// notch before the notch moves.
    pub retune_share: f64,
    /// A tone is notched once heard in this many spectra in a row (4 s: a
    /// bass note moves on with the music, a motor hums on).
    pub heard_before_notching: u32,
    /// A notch whose tone has not been heard for this many spectra goes.
    pub retire_after_spectra: u32,
}

impl Default for HumParams {
    fn default() -> HumParams {
        HumParams {
            lowest_hz: 35.0,
            highest_hz: 420.0,
            new_tone_db: 8.0,
            kept_tone_db: 4.0,
            min_side_bins: 3,
            peak_half_width: 2,
            new_spectrum_weight: 0.25,
            spectra_before_notching: 3,
            min_width_hz: 3.0,
            width_share: 0.04,
            heard_hz_weight: 0.3,
            retune_share: 0.25,
            heard_before_notching: 8,
            retire_after_spectra: 10,
        }
    }
}

/// Recognising a metronome in a recording (`metronome`, `transients`,
/// `click_template`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetronomeParams {
    /// A metronome keeps time within this (s); a runner never does.
    pub grid_tolerance_s: f64,
    /// The periods a metronome may have (s): 240 to 40 clicks a minute.
    pub shortest_period_s: f64,
    pub longest_period_s: f64,
    /// A train needs at least this many clicks on its grid...
    pub min_clicks: usize,
    /// ... and this share of the grid's places between its first and last
    /// click heard (a step on a click can hide the click's onset).
    pub min_share: f64,
    /// At most this many trains are looked for, one after the other (a
    /// metronome changing tempo is a train per tempo).
    pub max_trains: usize,
    /// A grid's period may change by at most this share from one click to
    /// the next, for a metronome whose tempo ramps (a rendered profile):
    /// 160 to 180 clicks a minute over a minute changes it by under 0.1 %
    /// a click, a walk from 116 to 124 over 12 s by 0.29 %; the runner's
    /// steps are kept out by the grid's 1 ms, not by this. 0 finds steady
    /// trains only.
    pub ramp_per_click: f64,
    /// Transients are looked for in hops of this long (s)...
    pub transient_hop_s: f64,
    /// ... and are a hop whose peak sample-to-sample difference is this
    /// many times the mean of the hops before it...
    pub transient_rise: f32,
    /// ... over this long (s).
    pub transient_background_s: f64,
    /// A new transient no sooner than this after the last one (s).
    pub transient_refractory_s: f64,
    /// The click's template is this long from its onset (s)...
    pub template_s: f64,
    /// ... the mean of clicks with no other transient within this of them...
    pub template_alone_s: f64,
    /// ... at most this many.
    pub template_clicks: usize,
    /// A found metronome's clicks are subtracted from the recording, sample
    /// by sample, before the detector listens (`click_cancel`)...
    pub cancel: bool,
    /// ... its waveform taken from this long before where the grid puts a
    /// click (s)...
    pub cancel_pre_s: f64,
    /// ... to this long after it (s)...
    pub cancel_s: f64,
    /// ... each click lined up with the recording within this (s)...
    pub cancel_search_s: f64,
    /// ... the waveform the median of this many clicks, spread over the
    /// train.
    pub wave_clicks: usize,
}

impl Default for MetronomeParams {
    fn default() -> MetronomeParams {
        MetronomeParams {
            grid_tolerance_s: 0.001,
            shortest_period_s: 0.25,
            longest_period_s: 1.5,
            min_clicks: 16,
            min_share: 0.6,
            max_trains: 6,
            ramp_per_click: 0.005,
            transient_hop_s: 0.0005,
            transient_rise: 4.0,
            transient_background_s: 0.02,
            transient_refractory_s: 0.03,
            template_s: 0.06,
            template_alone_s: 0.08,
            template_clicks: 16,
            cancel: true,
            cancel_pre_s: 0.002,
            cancel_s: 0.2,
            cancel_search_s: 0.001,
            wave_clicks: 31,
        }
    }
}

/// Recognising music in a recording by its repetition
/// (`repeating_music`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RepetitionParams {
    /// Whether `detect` listens for repeating music at all (off: see
    /// `repeating_music`).
    pub find: bool,
    /// The lags searched (s): a bar at 180 bpm up to two bars at 80.
    pub shortest_s: f64,
    pub longest_s: f64,
    /// A lag is measured over this much of the recording...
    pub window_s: f64,
    /// ... once per stretch this long.
    pub stretch_s: f64,
    /// Onset peaks are the highest this far either side (s)...
    pub peak_apart_s: f64,
    /// ... the strongest this many a second.
    pub peaks_per_s: usize,
    /// Lags tested per stretch: those at which most onset peaks have a
    /// partner.
    pub candidates: usize,
    /// Each is moved to where the onset curve repeats best within this
    /// many hops.
    pub refine_hops: usize,
    /// Bars looked at either side.
    pub repeats: usize,
    /// Each bar's level is its loudest this many hops either side.
    pub widen_hops: usize,
    /// A band is expected to hold the music only where the bars either
    /// side agree within this (dB; infinite: wherever they are).
    pub agree_db: f32,
    /// When not 0, the music is expected by its rises over this many
    /// hops, not by its levels.
    pub rise_hops: usize,
}

impl Default for RepetitionParams {
    fn default() -> RepetitionParams {
        RepetitionParams {
            find: false,
            shortest_s: 1.2,
            longest_s: 6.0,
            window_s: 24.0,
            stretch_s: 4.0,
            peak_apart_s: 0.02,
            peaks_per_s: 8,
            candidates: 5,
            refine_hops: 8,
            repeats: 2,
            widen_hops: 1,
            agree_db: f32::INFINITY,
            rise_hops: 0,
        }
    }
}

/// Every tuning constant of the detector.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DetectorParams {
    pub onset: OnsetParams,
    pub tracker: TrackerParams,
    pub rival: RivalParams,
    pub exact: ExactParams,
    pub band_weights: BandWeightParams,
    pub clicks: ClickParams,
    pub voice: VoiceParams,
    pub music: MusicParams,
    pub repetition: RepetitionParams,
    pub hum: HumParams,
    pub metronome: MetronomeParams,
}

/// A parameter's value as the sweep writes it (every scalar is swept as
/// an f64 and stored in its own type).
trait Scalar: Copy {
    fn from_f64(v: f64) -> Self;
    fn to_f64(self) -> f64;
}

impl Scalar for f64 {
    fn from_f64(v: f64) -> f64 {
        v
    }
    fn to_f64(self) -> f64 {
        self
    }
}

impl Scalar for f32 {
    fn from_f64(v: f64) -> f32 {
        v as f32
    }
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

impl Scalar for bool {
    fn from_f64(v: f64) -> bool {
        v != 0.0
    }
    fn to_f64(self) -> f64 {
        f64::from(u8::from(self))
    }
}

impl Scalar for usize {
    fn from_f64(v: f64) -> usize {
        v.round().max(0.0) as usize
    }
    fn to_f64(self) -> f64 {
        self as f64
    }
}

impl Scalar for u32 {
    fn from_f64(v: f64) -> u32 {
        v.round().max(0.0) as u32
    }
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

/// The scalar parameters by name (`group.field`), for `get` and `set`.
macro_rules! named_scalars {
    ($($group:ident . $field:ident),* $(,)?) => {
        impl DetectorParams {
            /// Every scalar parameter's name, `group.field`.
            pub const NAMES: &'static [&'static str] =
                &[$(concat!(stringify!($group), ".", stringify!($field))),*];

            /// A scalar parameter's value, by name.
            pub fn get(&self, name: &str) -> Option<f64> {
                match name {
                    $(concat!(stringify!($group), ".", stringify!($field)) =>
                        Some(Scalar::to_f64(self.$group.$field)),)*
                    _ => None,
                }
            }

            /// Sets a scalar parameter by name (rounded for counts).
            pub fn set(&mut self, name: &str, value: f64) -> Result<(), String> {
                match name {
                    $(concat!(stringify!($group), ".", stringify!($field)) => {
                        self.$group.$field = Scalar::from_f64(value);
                        Ok(())
                    })*
                    _ => Err(format!("no detector parameter named {name}")),
                }
            }
        }
    };
}

named_scalars!(
    onset.rise_hops,
    onset.mean_hops,
    onset.mean_gap_hops,
    onset.lookahead_hops,
    onset.lookback_hops,
    onset.over_click_db,
    onset.over_found_click_db,
    onset.absolute_bar,
    onset.relative_bar,
    onset.noise_bar,
    onset.jitter_factor,
    onset.jitter_floor_db,
    onset.rise_norm_s,
    onset.noise_s,
    onset.onset_share,
    onset.due_plain_share,
    onset.max_delay_s,
    onset.late_after_due_s,
    onset.earlier_part_share,
    onset.earlier_part_s,
    onset.news_s,
    tracker.memory,
    tracker.line_steps,
    tracker.slowest_period_s,
    tracker.fastest_period_s,
    tracker.first_gap_s,
    tracker.min_gap_s,
    tracker.min_gap_periods,
    tracker.early_window,
    tracker.late_window,
    tracker.due_boost,
    tracker.off_beat_slope,
    tracker.off_beat_floor,
    tracker.lost_after,
    tracker.lock_spread,
    tracker.lock_intervals,
    tracker.strengths_for_bar,
    tracker.halfway_window,
    tracker.halfway_share,
    tracker.halfway_votes,
    tracker.outweigh_last,
    tracker.outweigh_guess,
    rival.gaps,
    rival.min_votes,
    rival.tolerance_s,
    rival.min_ratio,
    rival.shortest_delay_s,
    rival.longest_delay_s,
    exact.steps,
    exact.agree,
    exact.within_s,
    exact.tolerance_s,
    exact.lost_after,
    exact.alone_after,
    band_weights.steps_before_learning,
    band_weights.step_follow,
    band_weights.variance_floor,
    band_weights.lightest,
    band_weights.heaviest,
    clicks.before_s,
    clicks.template_range_db,
    clicks.longest_template_s,
    clicks.widen_hops,
    clicks.blind_range_db,
    clicks.gain_memory,
    clicks.gain_after_clicks,
    clicks.clickless_below_hz,
    clicks.blind_after_s,
    clicks.decay_after_hops,
    voice.before_s,
    voice.after_s,
    voice.longest_s,
    music.over_db,
    music.quantile,
    music.learn_hops,
    music.spread_hops,
    music.audible_db,
    repetition.find,
    repetition.shortest_s,
    repetition.longest_s,
    repetition.window_s,
    repetition.stretch_s,
    repetition.peak_apart_s,
    repetition.peaks_per_s,
    repetition.candidates,
    repetition.refine_hops,
    repetition.repeats,
    repetition.widen_hops,
    repetition.agree_db,
    repetition.rise_hops,
    hum.lowest_hz,
    hum.highest_hz,
    hum.new_tone_db,
    hum.kept_tone_db,
    hum.min_side_bins,
    hum.peak_half_width,
    hum.new_spectrum_weight,
    hum.spectra_before_notching,
    hum.min_width_hz,
    hum.width_share,
    hum.heard_hz_weight,
    hum.retune_share,
    hum.heard_before_notching,
    hum.retire_after_spectra,
    metronome.grid_tolerance_s,
    metronome.shortest_period_s,
    metronome.longest_period_s,
    metronome.min_clicks,
    metronome.min_share,
    metronome.max_trains,
    metronome.ramp_per_click,
    metronome.transient_hop_s,
    metronome.transient_rise,
    metronome.transient_background_s,
    metronome.transient_refractory_s,
    metronome.template_s,
    metronome.template_alone_s,
    metronome.template_clicks,
    metronome.cancel,
    metronome.cancel_pre_s,
    metronome.cancel_s,
    metronome.cancel_search_s,
    metronome.wave_clicks,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scalar_is_reachable_by_name() {
        let mut params = DetectorParams::default();
        for name in DetectorParams::NAMES {
            let value = params.get(name).expect(name);
            params.set(name, value).expect(name);
        }
        assert_eq!(params, DetectorParams::default());
        params.set("tracker.due_boost", 2.0).unwrap();
        assert_eq!(params.tracker.due_boost, 2.0);
        params.set("tracker.line_steps", 11.6).unwrap();
        assert_eq!(params.tracker.line_steps, 12);
        assert!(params.set("tracker.nothing", 1.0).is_err());
    }
}

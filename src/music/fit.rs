//! Fitting tracks to the tempo map: which tracks can follow the cadence,
//! at what beat level, and the anchors that pin their beats to clicks.
//!
//! A track plays at the cadence through its tempo, its half or its double
//! (one beat per step, per two steps, or two beats per step), stretched at
//! most `STRETCH_LIMIT` either way. Beyond that a time-stretch is heard:
//! DJ decks' ±8 % pitch faders are the range mixing lives in, and
//! Signalsmith Stretch, like every phase-vocoder stretcher, smears
//! transients more the further it goes (its authors recommend 0.75–1.5×
//! for "best" quality; ±10 % stays well inside it). ±10 % also spans a
//! whole interval workout's cadence range (160–176 spm) with one track.

/// The most a track is sped up or slowed down: ±10 %.
pub const STRETCH_LIMIT: f64 = 0.10;
/// Tracks whose pulse is less clear than this are not played: their beats
/// are a guess (noise scores under 0.1; see docs/music.md).
pub const MIN_CONFIDENCE: f64 = 0.1;
/// Beats between two anchors: a bar, so that a tracked beat's few
/// milliseconds of jitter do not become a wobble in the stretch. Also the
/// fewest clicks a bar spans (at a beat a step, or two beats a step).
pub const ANCHOR_BEATS: usize = 4;

/// How a track's beats meet the clicks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Level {
    /// Clicks per track beat: 1, 2 (half-time music) or 0.5 (double-time).
    pub clicks_per_beat: f64,
    /// Playback speed at the cadence it was chosen for (1 = unstretched).
    pub speed: f64,
}

/// The level closest to unstretched that keeps within the limit, if any.
pub fn level_for(track_bpm: f64, cadence_spm: f64) -> Option<Level> {
    [1.0, 2.0, 0.5]
        .into_iter()
        .map(|clicks_per_beat| Level {
            clicks_per_beat,
            speed: cadence_spm / clicks_per_beat / track_bpm,
        })
        .filter(|l| (l.speed - 1.0).abs() <= STRETCH_LIMIT + 1e-12)
        .min_by(|a, b| a.speed.ln().abs().total_cmp(&b.speed.ln().abs()))
}

/// A track pinned to the session: (track seconds, session seconds) pairs,
/// both increasing; between them the track plays linearly.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub anchors: Vec<(f64, f64)>,
    pub level: Level,
}

/// Pins `beats` (from `first_beat` on) to `clicks` (from the first), a
/// bar at a time, while every bar's speed stays within the limit, the
/// track has beats and the clicks last. `None` when not even one bar fits.
pub fn place(beats: &[f64], first_beat: usize, clicks: &[f64], level: Level) -> Option<Placement> {
    let (beat_step, click_step) = level.bar_steps();
    let mut anchors = vec![(*beats.get(first_beat)?, *clicks.first()?)];
    let (mut b, mut c) = (first_beat, 0);
    loop {
        let (nb, nc) = (b + beat_step, c + click_step);
        let (Some(&tb), Some(&tc)) = (beats.get(nb), clicks.get(nc)) else {
            break;
        };
        if !within_limit(beats[b], clicks[c], tb, tc) {
            break;
        }
        pin_bar(&mut anchors, (beats[b], tb), &clicks[c + 1..=nc], 0);
        (b, c) = (nb, nc);
    }
    (anchors.len() >= 2).then_some(Placement { anchors, level })
}

/// Pins a bar's clicks: the bar runs from track time `bar.0` to `bar.1`
/// (on the last of `clicks`), the track's tempo taken as steady within
/// it, so its k-th click plays the track k bar-clicks' share on; `done`
/// of the bar's clicks were pinned before. Every click, not only the bar
/// lines: through a ramp the clicks of a bar are not evenly spaced, and a
/// track played linearly in time between bar lines put mid-bar beats off
/// by a·T³/30 (a the ramp in spm/s, T the beat period): 3.7 ms in a ramp
/// of 18 spm over 10 s. Between two clicks the curvature leaves < 0.3 ms.
fn pin_bar(anchors: &mut Vec<(f64, f64)>, bar: (f64, f64), clicks: &[f64], done: usize) {
    let n = clicks.len() + done;
    for (k, click) in clicks.iter().enumerate() {
        let share = (done + k + 1) as f64 / n as f64;
        anchors.push((bar.0 + share * (bar.1 - bar.0), *click));
    }
}

/// Whether the stretch between two anchors stays within the limit.
fn within_limit(beat0: f64, click0: f64, beat1: f64, click1: f64) -> bool {
    let speed = (beat1 - beat0) / (click1 - click0);
    (speed - 1.0).abs() <= STRETCH_LIMIT
}

impl Level {
    /// Track beats and clicks between two anchors: a bar of the track's
    /// beats (or of the clicks, for double-time music).
    pub fn bar_steps(&self) -> (usize, usize) {
        let (beat_step, click_step) = if self.clicks_per_beat >= 2.0 {
            (1, 2)
        } else if self.clicks_per_beat <= 0.5 {
            (2, 1)
        } else {
            (1, 1)
        };
        (beat_step * ANCHOR_BEATS, click_step * ANCHOR_BEATS)
    }
}

/// The most clicks `place` can use for a track of `beats` beats started on
/// beat `first_beat`: enough to pin every bar it has.
pub fn clicks_needed(beats: usize, first_beat: usize, level: Level) -> usize {
    let (beat_step, click_step) = level.bar_steps();
    let bars = beats.saturating_sub(first_beat + 1) / beat_step;
    bars * click_step + 1
}

/// Re-pins a placed track whose clicks moved from session time `at` on (a
/// live nudge): its anchors up to `at` stay, `at` itself becomes an anchor
/// where the track was then, and the bars after it are pinned to the new
/// `clicks` (session times of run clicks `first_click`, `first_click + 1`,
/// ...). `placed_from` is the (grid beat, run click) pair of its first
/// anchor. The limit holds as in `place`; the track ends where it breaks.
pub fn repin(
    placement: &Placement,
    beats: &[f64],
    placed_from: (usize, u64),
    at: f64,
    clicks: &[f64],
    first_click: u64,
) -> Placement {
    let (beat_step, click_step) = placement.level.bar_steps();
    let mut anchors: Vec<(f64, f64)> = placement
        .anchors
        .iter()
        .copied()
        .take_while(|a| a.1 <= at)
        .collect();
    if anchors.last().is_none_or(|a| a.1 < at) {
        anchors.push((track_time(&placement.anchors, at), at));
    }
    let (first_beat, click0) = placed_from;
    // Bar lines from the one ending the bar under way at `at`.
    let bars_done = first_click
        .saturating_sub(click0)
        .div_ceil(click_step as u64);
    for bar in bars_done.max(1).. {
        let b = first_beat + bar as usize * beat_step;
        let bar_click = click0 + bar * click_step as u64;
        let index = |k: u64| (k - first_click) as usize;
        let (Some(&tb), Some(&tc)) = (beats.get(b), clicks.get(index(bar_click))) else {
            break;
        };
        let (pb, pc) = anchors[anchors.len() - 1];
        if tc <= pc {
            continue;
        }
        if !within_limit(pb, pc, tb, tc) {
            break;
        }
        // The bar's clicks not yet pinned (the first bar may be under way).
        let bar_start = bar_click - click_step as u64;
        let from = (bar_start + 1).max(first_click);
        let pending: Vec<f64> = clicks[index(from)..=index(bar_click)]
            .iter()
            .copied()
            .filter(|t| *t > pc)
            .collect();
        let done = click_step - pending.len();
        pin_bar(&mut anchors, (beats[b - beat_step], tb), &pending, done);
    }
    Placement {
        anchors,
        level: placement.level,
    }
}

/// Where a placed track is at session time `t`: linear between anchors,
/// extended at the first and last bar's speed beyond them.
pub fn track_time(anchors: &[(f64, f64)], t: f64) -> f64 {
    let i = anchors
        .partition_point(|a| a.1 <= t)
        .clamp(1, anchors.len() - 1);
    let ((x0, t0), (x1, t1)) = (anchors[i - 1], anchors[i]);
    x0 + (t - t0) * (x1 - x0) / (t1 - t0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_level_nearest_unstretched_within_ten_percent() {
        let same = level_for(170.0, 165.0).unwrap();
        assert_eq!(same.clicks_per_beat, 1.0);
        assert!((same.speed - 165.0 / 170.0).abs() < 1e-12);
        assert_eq!(level_for(86.0, 170.0).unwrap().clicks_per_beat, 2.0);
        assert_eq!(
            level_for(340.0 / 2.0 * 2.0, 170.0).unwrap().clicks_per_beat,
            0.5
        );
        // 128 BPM at 170 spm: 1.33x, 0.66x or 2.66x: nothing fits.
        assert_eq!(level_for(128.0, 170.0), None);
    }

    #[test]
    fn beats_are_pinned_bar_by_bar_until_the_stretch_would_exceed_the_limit() {
        // 160 BPM; clicks at 170 spm for 20 clicks, then at 185 spm (too
        // fast: 1.156x).
        let beats: Vec<f64> = (0..40).map(|i| 0.5 + f64::from(i) * 0.375).collect();
        let mut clicks: Vec<f64> = (0..20).map(|i| f64::from(i) * 60.0 / 170.0).collect();
        let last = *clicks.last().unwrap();
        clicks.extend((1..30).map(|i| last + f64::from(i) * 60.0 / 185.0));
        let level = level_for(160.0, 170.0).unwrap();
        let placed = place(&beats, 0, &clicks, level).unwrap();
        // Bars 0 → 4, …, 16 → 20 are still at 170, the next one at 185 is
        // refused; every click of them is pinned.
        assert_eq!(placed.anchors.len(), 21);
        assert_eq!(placed.anchors[20], (beats[20], clicks[20]));
        assert!((track_time(&placed.anchors, clicks[8]) - beats[8]).abs() < 1e-9);
    }

    #[test]
    fn through_a_steep_ramp_every_beat_plays_on_its_click() {
        // 152 → 170 spm over 10 s, a steady 160 BPM track: mid-bar clicks
        // are not evenly spaced (the bar-line-only anchors put beat 2 of
        // a bar 3.7 ms early here).
        let map = crate::tempo::TempoMap {
            segments: vec![crate::tempo::TempoSegment {
                start_s: 0.0,
                duration_s: 10.0,
                c0: 152.0,
                c1: 170.0,
                starts_run: true,
                segment: 0,
            }],
            count_in_cadence: None,
            count_in: 0,
        };
        let clicks: Vec<f64> = map.clicks().map(|c| c.time_s).collect();
        let beats: Vec<f64> = (0..60).map(|i| 0.4 + f64::from(i) * 0.375).collect();
        let placed = place(&beats, 0, &clicks, level_for(160.0, 152.0).unwrap()).unwrap();
        let pinned = placed.anchors.len();
        assert!(pinned > 20, "{pinned} clicks pinned");
        for (click, beat) in clicks[..pinned].iter().zip(&beats) {
            assert!((track_time(&placed.anchors, *click) - beat).abs() < 1e-9);
        }
    }
}

//! Every limit a profile is held to, each with the reason for its value.
//!
//! Ranges keep a profile to what a runner can do on a treadmill; size limits
//! keep planning, cue building and rendering quick and small for any input.

/// SPEC: a step, and a whole session, is at most 24 hours.
pub const MAX_STEP_S: f64 = 24.0 * 3600.0;

/// Shortest step or stretch hold. The coach counts down in whole seconds
/// and the screen shows whole seconds, so anything shorter cannot even be
/// shown; such a value is a slip ("0.0001s", a missing unit digit). Belt
/// steps of a few seconds are odd (the belt takes seconds to change speed;
/// strides, the shortest real belt steps, last 10–20 s) but runnable when
/// only the cadence changes, so they are allowed.
pub const MIN_STEP_S: f64 = 1.0;

/// SPEC ranges: cadence in steps per minute, speed in km/h, incline in %.
pub const CADENCE_RANGE: (f64, f64) = (60.0, 240.0);
pub const SPEED_RANGE_KMH: (f64, f64) = (0.5, 30.0);
pub const INCLINE_RANGE: (f64, f64) = (-5.0, 30.0);

/// Longest running step (one foot to the other), in metres. Sprinters at
/// full speed take the longest steps there are, about 2.4–2.7 m, at speeds
/// far beyond a treadmill's 30 km/h; distance runners take 1–2 m. At 30 km/h
/// a 2.5 m step means only 200 spm, so anything longer is a slip in the
/// speed or the cadence. Applies to drills too (bounds and strides are runs).
pub const MAX_RUN_STEP_M: f64 = 2.5;

/// Longest walking step, in metres. Everyday walking steps are 0.6–0.8 m;
/// race walkers at world-record pace (15.7 km/h at about 200 spm) reach about
/// 1.3 m, the most a walking step can be (one foot is always on the ground).
pub const MAX_WALK_STEP_M: f64 = 1.3;

/// Largest profile file, in bytes. The longest shipped profile is about
/// 3 KB; a megabyte is hundreds of times any hand-written workout, yet
/// parses and validates in well under a second.
pub const MAX_PROFILE_BYTES: usize = 1_000_000;

/// Most steps a session may have once its repeats are expanded. A 24-hour
/// session of 10 s strides with 10 s recoveries is 8,640 steps, beyond any
/// real workout; the cap keeps the timeline, its cues and the `plan` table
/// small whatever a file asks for.
pub const MAX_SESSION_STEPS: usize = 10_000;

/// Most errors reported for one file; past this, one line says how many
/// more there are. A hand-written file has a handful; thousands come only
/// from a generated file with one mistake repeated.
pub const MAX_REPORTED_ERRORS: usize = 100;

//! Live controls on the real renderer, driven block by block as the audio
//! callback would: pause freezes the session timeline, a nudge keeps the
//! phase continuous, next-step lands the first click on the new step.

mod support;

use treadbeat::engine::{renderer_for, ClickSounds, ClickStyle, Command, LiveEngine};
use treadbeat::plan::SoundName;
use treadbeat::units::SampleRate;

const RATE: u32 = 48000;
const BLOCK: usize = 128;

/// Runs the engine for `blocks` blocks, sending `script` commands at their
/// block index; returns the device frames at which clicks started.
fn click_onsets(text: &str, script: &[(usize, Command)], blocks: usize) -> Vec<u64> {
    let timeline = support::timeline(text);
    let rate = SampleRate(RATE);
    let style = ClickStyle::PLAIN;
    let renderer = renderer_for(
        &timeline,
        ClickSounds::builtin(SoundName::Beep, rate),
        style,
        rate,
    );
    let (mut engine, mut controls) = LiveEngine::new(renderer);
    let mut block = vec![0.0f32; BLOCK];
    let mut onsets = Vec::new();
    let mut previous = 0.0f32;
    for i in 0..blocks {
        for (_, command) in script.iter().filter(|(at, _)| *at == i) {
            controls.commands.push(*command).unwrap();
        }
        engine.process(&mut block, 1);
        while controls.telemetry.pop().is_ok() {}
        for (j, x) in block.iter().enumerate() {
            if previous == 0.0 && *x != 0.0 {
                onsets.push((i * BLOCK + j) as u64);
            }
            previous = *x;
        }
    }
    onsets
}

#[test]
fn pause_freezes_the_timeline_and_resume_continues_the_phase() {
    let text = "[[step]]\ntime = \"20s\"\ncadence = 150\n"; // a click every 19,200 frames
    let plain = click_onsets(text, &[], 4000);
    // Pause at block 1000 (frame 128,000) for 700 blocks (89,600 frames).
    let paused = click_onsets(
        text,
        &[(1000, Command::Pause), (1700, Command::Resume)],
        4000,
    );
    let cut = plain.iter().position(|f| *f >= 128_000).unwrap();
    assert_eq!(&paused[..cut], &plain[..cut]);
    for (after, before) in paused[cut..].iter().zip(&plain[cut..]) {
        assert_eq!(
            *after,
            before + 89_600,
            "clicks after a pause shift by exactly the pause"
        );
    }
}

#[test]
fn a_nudge_changes_the_tempo_without_a_jump() {
    let text = "[[step]]\ntime = \"60s\"\ncadence = 160\n"; // 18,000 frames apart
    let onsets = click_onsets(text, &[(1000, Command::Nudge(20.0))], 6000);
    let intervals: Vec<u64> = onsets.windows(2).map(|w| w[1] - w[0]).collect();
    let at = onsets.iter().position(|f| *f > 128_000).unwrap();
    assert!(intervals[..at - 1].iter().all(|i| *i == 18_000));
    // The interval spanning the nudge lies between the two periods…
    let spanning = intervals[at - 1];
    assert!((16_000..=18_000).contains(&spanning), "{spanning}");
    // …and after it the clicks come every 60/180 s = 16,000 frames.
    assert!(
        intervals[at..].iter().all(|i| *i == 16_000),
        "{:?}",
        &intervals[at..]
    );
}

#[test]
fn next_step_restarts_the_click_on_the_next_step() {
    let text = "[[step]]\ntime = \"30s\"\ncadence = 150\n[[step]]\ntime = \"30s\"\ncadence = 180\n";
    let onsets = click_onsets(text, &[(100, Command::NextStep)], 1000);
    // The skip, sent before block 100 (frame 12,800), jumps the session to
    // t = 30 s: the new step's first beat sounds on that block's first frame.
    let after: Vec<u64> = onsets.iter().copied().filter(|f| *f >= 12_800).collect();
    assert_eq!(after[0], 12_800);
    assert!(after.windows(2).all(|w| w[1] - w[0] == 16_000));
}

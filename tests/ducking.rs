//! The clicks duck under the coach's voice and come back up the moment the
//! words end, even in the middle of a click and of a long offline block.

mod support;

use treadbeat::engine::{renderer_for, ClickSounds, ClickStyle, SpeechTrack};
use treadbeat::units::SampleRate;

/// A click that rings at a constant 0.5 for half a second, so its level
/// can be read at any frame.
fn ringing_click() -> ClickSounds {
    ClickSounds {
        normal: vec![0.5; 24_000],
        accent: vec![0.5; 24_000],
    }
}

#[test]
fn a_click_ringing_past_the_last_word_is_unducked_at_that_word_s_end() {
    let rate = SampleRate(48_000);
    // 60 spm without count-in: one click at t = 0, the next at t = 1 s.
    let timeline =
        support::timeline("[click]\ncount_in = 0\n[[step]]\ntime = \"10s\"\ncadence = 60\n");
    let mut renderer = renderer_for(&timeline, ringing_click(), ClickStyle::PLAIN, rate);
    // Silent "words" from frame 0 to 6,000: only their ducking is heard.
    let speech = SpeechTrack::new(vec![vec![0.0; 6_000]], vec![(0, 0)]);
    renderer.set_speech(speech, 0.25);
    let preroll = renderer.preroll() as usize;
    // One long block, as the offline render uses.
    let mut block = vec![0.0f32; (preroll + 20_000) * 2];
    renderer.process(&mut block, 2);
    let left = |frame: usize| block[(preroll + frame) * 2];
    assert!((left(3_000) - 0.125).abs() < 1e-6, "{}", left(3_000));
    assert!((left(5_999) - 0.125).abs() < 1e-6, "{}", left(5_999));
    // The words are over: the click is back at full level at once.
    assert!((left(6_000) - 0.5).abs() < 1e-6, "{}", left(6_000));
    assert!((left(19_000) - 0.5).abs() < 1e-6, "{}", left(19_000));
}

//! The offline render path places every click where SPEC section 3 says:
//! its first non-silent sample at round(t_k·sr) or the next sample, over a
//! 3-hour session with ramps, at several rates, in blocks of any size.

mod support;

use treadbeat::engine::offline::render_session;
use treadbeat::engine::{renderer_for, ClickSounds, ClickStyle};
use treadbeat::plan::{SoundName, Stereo};
use treadbeat::tempo::TempoMap;
use treadbeat::units::SampleRate;

fn style(count_in: bool) -> ClickStyle {
    ClickStyle {
        accent_every: 4,
        stereo: Stereo::Alternate,
        volume: 0.8,
        count_in,
    }
}

/// Renders `text` block by block and checks every click as it streams past.
fn check_streaming(text: &str, rate: u32, sound: SoundName, block: usize) -> u64 {
    let timeline = support::timeline(text);
    let map = TempoMap::from_timeline(&timeline);
    let rate = SampleRate(rate);
    let mut expected = map.click_frames(rate).map(|f| f.0 as usize).peekable();
    let mut renderer = renderer_for(
        &timeline,
        ClickSounds::builtin(sound, rate),
        style(false),
        rate,
    );
    // Keep the previous block too, so a click on a block's first frame can
    // be checked against the frame before it.
    let mut window: Vec<f32> = Vec::new();
    let mut window_start = 0usize;
    let mut checked = 0;
    render_session(&mut renderer, 2, block, |samples| -> Result<(), String> {
        let keep_from = window.len().saturating_sub(4 * 2);
        window_start += keep_from / 2;
        window.drain(..keep_from);
        window.extend_from_slice(samples);
        let window_end = window_start + window.len() / 2;
        while let Some(&frame) = expected.peek() {
            if frame + 2 > window_end {
                break;
            }
            support::click_starts_at(&window, 2, frame - window_start)?;
            expected.next();
            checked += 1;
        }
        Ok(())
    })
    .unwrap();
    assert!(expected.next().is_none(), "clicks left unrendered");
    checked
}

#[test]
fn three_hours_of_ramps_place_every_click_on_its_frame() {
    let text = support::three_hour_profile();
    let clicks = check_streaming(&text, 48000, SoundName::Woodblock, 8192);
    assert!(clicks > 29_000, "{clicks}");
}

#[test]
fn every_sound_and_odd_rates_and_block_sizes_place_clicks_exactly() {
    let text = support::profile_of(&[
        (40, (150, 210), true),
        (10, (200, 200), false),
        (30, (190, 140), true),
    ]);
    for sound in SoundName::ALL {
        for (rate, block) in [(44100, 1), (48000, 37), (96000, 128), (22050, 4096)] {
            assert!(check_streaming(&text, rate, sound, block) > 150);
        }
    }
}

#[test]
fn block_size_never_changes_the_output() {
    let text = support::profile_of(&[
        (20, (160, 200), true),
        (5, (180, 180), false),
        (10, (170, 170), true),
    ]);
    let render = |block: usize| -> Vec<f32> {
        let timeline = support::timeline(&text);
        let rate = SampleRate(48000);
        let sounds = ClickSounds::builtin(SoundName::Cowbell, rate);
        let mut renderer = renderer_for(&timeline, sounds, style(true), rate);
        let mut out = Vec::new();
        render_session(&mut renderer, 2, block, |b| -> Result<(), ()> {
            out.extend_from_slice(b);
            Ok(())
        })
        .unwrap();
        out
    };
    let reference = render(1);
    for block in [2, 64, 127, 128, 1000, 8192] {
        assert!(
            render(block) == reference,
            "block size {block} changed the output"
        );
    }
}

#[test]
fn the_count_in_precedes_t_zero_at_the_first_cadence() {
    let text = "[click]\ncount_in = 3\n[[step]]\ntime = \"10s\"\ncadence = 150\n";
    let timeline = support::timeline(text);
    let rate = SampleRate(48000);
    let mut renderer = renderer_for(
        &timeline,
        ClickSounds::builtin(SoundName::Beep, rate),
        style(true),
        rate,
    );
    assert_eq!(renderer.preroll(), 57_600); // 3 clicks at 0.4 s
    let mut out = Vec::new();
    render_session(&mut renderer, 2, 512, |b| -> Result<(), ()> {
        out.extend_from_slice(b);
        Ok(())
    })
    .unwrap();
    for frame in [0, 19_200, 38_400, 57_600, 57_600 + 19_200] {
        support::click_starts_at(&out, 2, frame).unwrap();
    }
    // 10 s at 150 spm: 25 clicks after the 3 of the count-in.
    assert_eq!(renderer.telemetry().clicks, 28);
}

#[test]
fn the_telemetry_says_which_clicks_were_accented() {
    // 150 spm at 48 kHz: a click every 19,200 frames; accents every 4th.
    let text = "[[step]]\ntime = \"4s\"\ncadence = 150\n";
    let timeline = support::timeline(text);
    let rate = SampleRate(48000);
    let mut renderer = renderer_for(
        &timeline,
        ClickSounds::builtin(SoundName::Beep, rate),
        style(false),
        rate,
    );
    let mut out = vec![0.0f32; 2 * 512];
    let mut seen = Vec::new();
    while !renderer.finished() {
        renderer.process(&mut out, 2);
        let t = renderer.telemetry();
        if let Some(frame) = t.last_click_frame {
            if seen.last().is_none_or(|(f, _)| *f != frame) {
                seen.push((frame, t.last_click_accent));
            }
        }
    }
    let accents: Vec<bool> = seen.iter().map(|s| s.1).collect();
    assert_eq!(accents.len(), 10, "{seen:?}");
    let expected: Vec<bool> = (0..10).map(|beat| beat % 4 == 0).collect();
    assert_eq!(accents, expected);
}

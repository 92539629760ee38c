//! An offline render reads the coach's phrases from the speech cache one at
//! a time (`PhrasesOnDisk`) instead of holding them all: the samples must
//! be exactly those a live session holds in memory.

mod support;

use treadbeat::engine::speech_track::ClipSource;
use treadbeat::io::phrases_on_disk::PhrasesOnDisk;
use treadbeat::io::speech::{phrase_files, render_phrases, SpeechSettings};
use treadbeat::units::SampleRate;

#[test]
fn phrases_read_on_demand_are_the_phrases_held_in_memory() {
    if !support::run::espeak_available("phrases_on_disk") {
        return;
    }
    let texts: Vec<String> = ["Warm-up. Cadence 165.", "Quick feet, stay tall.", "Done."]
        .map(String::from)
        .to_vec();
    let settings = SpeechSettings {
        volume: 0.7,
        ..SpeechSettings::default()
    };
    let rate = SampleRate(44_100);
    let in_memory = render_phrases(&texts, &settings, rate).unwrap();
    let files = phrase_files(&texts, &settings, rate).unwrap();
    let order: Vec<&String> = texts.iter().collect();
    let mut on_disk = PhrasesOnDisk::new(
        order.iter().map(|t| files[*t].clone()).collect(),
        rate,
        settings.volume,
    );
    assert_eq!(on_disk.count(), 3);
    // Out of order and again: each read is the clip asked for.
    for clip in [2, 0, 1, 0] {
        let held: Vec<f32> = in_memory[order[clip]].iter().map(|x| x * 0.7).collect();
        assert_eq!(on_disk.len(clip), held.len(), "{}", order[clip]);
        assert_eq!(on_disk.samples(clip), &held[..], "{}", order[clip]);
    }
}

//! The coach's phrases read from the speech cache one at a time, as an
//! offline render reaches each: the same samples `speech::render_phrases`
//! gives, but only one phrase in memory, so an hour of coaching renders in
//! a few megabytes. (A live session holds its phrases in memory instead:
//! the audio thread may not read files.)

use std::path::PathBuf;

use super::speech::phrase_samples;
use crate::engine::speech_track::ClipSource;
use crate::units::SampleRate;

#[derive(Debug)]
pub struct PhrasesOnDisk {
    /// Each clip's rendered file in the cache and its length at `rate`.
    clips: Vec<(PathBuf, usize)>,
    rate: SampleRate,
    volume: f32,
    /// The clip in `samples`.
    loaded: Option<usize>,
    samples: Vec<f32>,
}

impl PhrasesOnDisk {
    pub fn new(clips: Vec<(PathBuf, usize)>, rate: SampleRate, volume: f32) -> PhrasesOnDisk {
        PhrasesOnDisk {
            clips,
            rate,
            volume,
            loaded: None,
            samples: Vec::new(),
        }
    }
}

impl ClipSource for PhrasesOnDisk {
    fn count(&self) -> usize {
        self.clips.len()
    }

    fn len(&self, clip: usize) -> usize {
        self.clips[clip].1
    }

    /// A file gone from the cache since the render began reads as
    /// silence of the same length: the schedule stays as placed.
    fn samples(&mut self, clip: usize) -> &[f32] {
        if self.loaded != Some(clip) {
            let (file, len) = &self.clips[clip];
            self.samples = phrase_samples(file, self.rate).unwrap_or_default();
            self.samples.iter_mut().for_each(|x| *x *= self.volume);
            self.samples.resize(*len, 0.0);
            self.loaded = Some(clip);
        }
        &self.samples
    }
}

//! A recording decoded a packet at a time, through symphonia (the
//! decoders rodio itself uses), as whole packets of interleaved f32
//! samples.
//!
//! Why not rodio's `Decoder`: it is an iterator of single samples, and
//! `detect` reads a recording three times (two passes of the metronome
//! finder, then the detector's). Pulled a sample at a time, with a buffer
//! allocated per packet, decoding took about a third of the command (a
//! 30 minute WAV, `perf`, 2026-12-06); a packet at a time into one reused
//! buffer it is the decoder's own work and a copy.
//!
//! Like rodio: the first track with a known codec is read, a packet that
//! fails to decode is skipped, and any other error ends the stream.
//! Unlike it, packets of other tracks are skipped too.

use std::fs::File;
use std::time::Duration;

use symphonia::core::audio::{SampleBuffer, SignalSpec};
use symphonia::core::codecs::{Decoder, DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error;
use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

/// An open recording: its format, and the samples packet by packet.
pub struct DecodedStream {
    format: Box<dyn FormatReader>,
    decoder: Box<dyn Decoder>,
    track_id: u32,
    spec: SignalSpec,
    total_duration: Option<Duration>,
    /// The last packet's samples; reused while packets fit in it.
    buffer: Option<SampleBuffer<f32>>,
    /// The first packet is decoded when opening (its spec is the
    /// recording's rate and channels) and handed out first.
    first_pending: bool,
}

impl DecodedStream {
    /// Opens `file` and decodes its first packet. `Err` holds the reason
    /// in a few words.
    pub fn open(file: File) -> Result<DecodedStream, String> {
        let source = MediaSourceStream::new(Box::new(file), Default::default());
        let probed = symphonia::default::get_probe()
            .format(
                &Hint::new(),
                source,
                // The encoder's delay and padding trimmed (MP3, AAC), as
                // rodio does: untrimmed, an MP3 starts about 25 ms late
                // and every step in it is dated that late.
                &FormatOptions {
                    enable_gapless: true,
                    ..FormatOptions::default()
                },
                &MetadataOptions::default(),
            )
            .map_err(|e| reason(&e))?;
        let format = probed.format;
        let track = format
            .tracks()
            .iter()
            .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
            .ok_or("no audio track with a codec treadbeat can decode")?;
        let track_id = track.id;
        // The header's word for a recording without a single frame.
        let announced = track
            .codec_params
            .sample_rate
            .zip(track.codec_params.channels)
            .map(|(rate, channels)| SignalSpec::new(rate, channels));
        let total_duration = track
            .codec_params
            .time_base
            .zip(track.codec_params.n_frames)
            .map(|(base, frames)| base.calc_time(frames).into())
            .filter(|d: &Duration| !d.is_zero());
        let decoder = symphonia::default::get_codecs()
            .make(&track.codec_params, &DecoderOptions::default())
            .map_err(|e| reason(&e))?;
        let mut stream = DecodedStream {
            format,
            decoder,
            track_id,
            spec: SignalSpec::new(0, Default::default()),
            total_duration,
            buffer: None,
            first_pending: false,
        };
        if stream.decode_next() {
            stream.first_pending = true;
        } else {
            // Nothing to decode: an empty recording if the header says
            // what it would have held.
            stream.spec = announced.ok_or("no audio in it")?;
        }
        Ok(stream)
    }

    /// Frames per second, as the first packet has it.
    pub fn sample_rate(&self) -> u32 {
        self.spec.rate
    }

    /// Channels, as the first packet has them.
    pub fn channels(&self) -> u16 {
        self.spec.channels.count() as u16
    }

    /// How long the recording is, if its header says.
    pub fn total_duration(&self) -> Option<Duration> {
        self.total_duration
    }

    /// Moves to the next packet; `false` at the end. Its samples are then
    /// `samples()`.
    pub fn advance(&mut self) -> bool {
        std::mem::take(&mut self.first_pending) || self.decode_next()
    }

    /// The current packet's samples, interleaved at the first packet's
    /// channel count.
    pub fn samples(&self) -> &[f32] {
        self.buffer.as_ref().map_or(&[], SampleBuffer::samples)
    }

    /// Decodes the next packet of the track that has audio in it into the
    /// buffer; `false` at the end or on an error that ends the stream.
    fn decode_next(&mut self) -> bool {
        loop {
            let Ok(packet) = self.format.next_packet() else {
                return false;
            };
            if packet.track_id() != self.track_id {
                continue;
            }
            let decoded = match self.decoder.decode(&packet) {
                Ok(decoded) => decoded,
                Err(Error::DecodeError(_)) => continue,
                Err(_) => return false,
            };
            if decoded.frames() == 0 {
                continue;
            }
            let spec = *decoded.spec();
            if self.buffer.is_none() {
                self.spec = spec;
            }
            if spec.channels != self.spec.channels {
                // A stream that changes its channels midway (rare, chained
                // Ogg) is not read past the change: every sample before it
                // is one of a frame of the channels first announced.
                return false;
            }
            let samples = decoded.capacity() * spec.channels.count();
            let fits = self
                .buffer
                .as_ref()
                .is_some_and(|b| b.capacity() >= samples);
            if !fits {
                self.buffer = Some(SampleBuffer::new(decoded.capacity() as u64, spec));
            }
            if let Some(buffer) = self.buffer.as_mut() {
                buffer.copy_interleaved_ref(decoded);
            }
            return true;
        }
    }
}

/// symphonia's error in a few words.
fn reason(error: &Error) -> String {
    match error {
        Error::Unsupported(_) => "unrecognized format".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_wav(path: &std::path::Path, channels: u16, frames: &[[f32; 2]]) {
        let spec = hound::WavSpec {
            channels,
            sample_rate: 44100,
            bits_per_sample: 32,
            sample_format: hound::SampleFormat::Float,
        };
        let mut writer = hound::WavWriter::create(path, spec).unwrap();
        for frame in frames {
            for &x in &frame[..usize::from(channels)] {
                writer.write_sample(x).unwrap();
            }
        }
        writer.finalize().unwrap();
    }

    #[test]
    fn a_stereo_file_comes_out_interleaved_sample_for_sample() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stereo.wav");
        let frames: Vec<[f32; 2]> = (0..10_000)
            .map(|i| [i as f32 / 20_000.0, -(i as f32) / 40_000.0])
            .collect();
        write_wav(&path, 2, &frames);
        let mut stream = DecodedStream::open(File::open(&path).unwrap()).unwrap();
        assert_eq!((stream.sample_rate(), stream.channels()), (44100, 2));
        let mut read = Vec::new();
        while stream.advance() {
            read.extend_from_slice(stream.samples());
        }
        let written: Vec<f32> = frames.iter().flatten().copied().collect();
        assert_eq!(read, written);
    }

    #[test]
    fn a_file_without_frames_opens_empty_with_its_format() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.wav");
        write_wav(&path, 1, &[]);
        let mut stream = DecodedStream::open(File::open(&path).unwrap()).unwrap();
        assert_eq!((stream.sample_rate(), stream.channels()), (44100, 1));
        assert!(!stream.advance());
        assert!(stream.samples().is_empty());
    }

    #[test]
    fn bytes_that_are_no_recording_are_refused_in_a_few_words() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("noise.mp3");
        std::fs::write(&path, b"RIFF this is not audio at all").unwrap();
        let error = DecodedStream::open(File::open(&path).unwrap())
            .err()
            .unwrap();
        assert_eq!(error, "unrecognized format");
    }
}

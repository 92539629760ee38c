//! Speech: every phrase of a session rendered to samples before it starts,
//! by a text-to-speech command run as a subprocess with an argument vector
//! (never a shell), cached on disk across sessions.
//!
//! The command is a template, so a runner can plug in a better voice
//! without code changes: `{text}`, `{out}` (a WAV file to write), `{voice}`
//! and `{rate}` are replaced in each argument. The default is espeak-ng.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use thiserror::Error;

use crate::engine::resample::{resampled, resampled_len};
use crate::engine::sounds::normalized;
use crate::units::SampleRate;

/// Speech peaks here, louder than a normal click (0.55), so words carry
/// over the beat.
pub const SPEECH_PEAK: f32 = 0.8;

#[derive(Debug, Clone, PartialEq)]
pub struct SpeechSettings {
    /// argv template; the first word is the program.
    pub command: Vec<String>,
    pub voice: String,
    /// Words per minute.
    pub rate_wpm: u32,
    /// Level the rendered voice is played at, 0.0 – 1.0.
    pub volume: f32,
    /// How long one phrase may take to render before the command is
    /// stopped: a command that never exits must not hang the session.
    pub timeout: Duration,
}

/// espeak-ng takes ~8 ms a phrase and a neural voice (piper) about a
/// second; thirty seconds is a command that is stuck, not slow.
pub const PHRASE_TIMEOUT: Duration = Duration::from_secs(30);

impl Default for SpeechSettings {
    fn default() -> Self {
        SpeechSettings {
            command: [
                "espeak-ng",
                "-v",
                "{voice}",
                "-s",
                "{rate}",
                "-w",
                "{out}",
                "{text}",
            ]
            .map(String::from)
            .to_vec(),
            voice: "en".to_string(),
            rate_wpm: 175,
            volume: 1.0,
            timeout: PHRASE_TIMEOUT,
        }
    }
}

#[derive(Debug, Error)]
pub enum SpeechError {
    #[error("no speech engine: `{0}` was not found (install espeak-ng for the voice)")]
    Unavailable(String),
    #[error("the speech command failed for \"{text}\": {reason}")]
    Failed { text: String, reason: String },
}

/// Rendered phrases: text -> mono samples at the engine's rate.
pub type Phrases = HashMap<String, Vec<f32>>;

/// Renders every phrase (from the cache where it can), four at a time.
pub fn render_phrases(
    texts: &[String],
    settings: &SpeechSettings,
    rate: SampleRate,
) -> Result<Phrases, SpeechError> {
    each_phrase(texts, settings, |file| phrase_samples(file, rate))
}

/// A rendered phrase's samples at `rate`, at the speech peak.
pub(crate) fn phrase_samples(file: &Path, rate: SampleRate) -> Result<Vec<f32>, String> {
    let (samples, source_rate) = read_mono(file)?;
    let out = resampled(&samples, f64::from(rate.0) / f64::from(source_rate))?;
    Ok(normalized(out, SPEECH_PEAK))
}

/// Every phrase rendered into the cache but not read: its file and its
/// length in frames at `rate` (from the header: exactly the length
/// [`render_phrases`] gives).
pub fn phrase_files(
    texts: &[String],
    settings: &SpeechSettings,
    rate: SampleRate,
) -> Result<HashMap<String, (PathBuf, usize)>, SpeechError> {
    each_phrase(texts, settings, |file| {
        Ok((file.to_path_buf(), frames_at(file, rate)?))
    })
}

/// A rendered phrase's length in frames once resampled to `rate`.
fn frames_at(file: &Path, rate: SampleRate) -> Result<usize, String> {
    let reader = hound::WavReader::open(file).map_err(|e| e.to_string())?;
    let ratio = f64::from(rate.0) / f64::from(reader.spec().sample_rate);
    Ok(resampled_len(reader.duration() as usize, ratio))
}

/// How long each phrase lasts, in seconds, once rendered at `rate`: what
/// the coach places cues by. Renders (into the cache) what is not there
/// yet, but reads only the files' headers: exactly the length
/// [`render_phrases`] gives, without resampling.
pub fn phrase_lengths(
    texts: &[String],
    settings: &SpeechSettings,
    rate: SampleRate,
) -> Result<HashMap<String, f64>, SpeechError> {
    each_phrase(texts, settings, |file| {
        Ok(frames_at(file, rate)? as f64 / f64::from(rate.0))
    })
}

/// `read` applied to each phrase's rendered file, four phrases at a time.
fn each_phrase<T: Send>(
    texts: &[String],
    settings: &SpeechSettings,
    read: impl Fn(&Path) -> Result<T, String> + Sync,
) -> Result<HashMap<String, T>, SpeechError> {
    let program = settings.command.first().cloned().unwrap_or_default();
    if which(&program).is_none() {
        return Err(SpeechError::Unavailable(program));
    }
    let cache = cache_dir();
    let mut unique: Vec<&String> = texts.iter().collect();
    unique.sort();
    unique.dedup();
    let workers = 4;
    let chunk = unique.len().div_ceil(workers).max(1);
    let read = &read;
    let results: Vec<Result<Vec<(String, T)>, SpeechError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = unique
            .chunks(chunk)
            .map(|texts| {
                let cache = cache.clone();
                scope.spawn(move || {
                    texts
                        .iter()
                        .map(|text| {
                            let file = rendered_file(text, settings, &cache)?;
                            let value = read(&file).map_err(|reason| SpeechError::Failed {
                                text: (*text).clone(),
                                reason,
                            })?;
                            Ok(((*text).clone(), value))
                        })
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("speech worker"))
            .collect()
    });
    let mut phrases = HashMap::new();
    for result in results {
        phrases.extend(result?);
    }
    Ok(phrases)
}

/// The phrase's WAV in the cache, rendered first if it is not there.
fn rendered_file(
    text: &str,
    settings: &SpeechSettings,
    cache: &Path,
) -> Result<PathBuf, SpeechError> {
    let failed = |reason: String| SpeechError::Failed {
        text: text.to_string(),
        reason,
    };
    let mut key = DefaultHasher::new();
    (text, &settings.command, &settings.voice, settings.rate_wpm).hash(&mut key);
    let file = cache.join(format!("{:016x}.wav", key.finish()));
    if !file.is_file() {
        std::fs::create_dir_all(cache)
            .map_err(|e| failed(format!("cache {}: {e}", cache.display())))?;
        let partial = file.with_extension(format!("{}.partial", std::process::id()));
        let args: Vec<String> = settings.command[1..]
            .iter()
            .map(|a| {
                a.replace("{text}", text)
                    .replace("{out}", &partial.to_string_lossy())
                    .replace("{voice}", &settings.voice)
                    .replace("{rate}", &settings.rate_wpm.to_string())
            })
            .collect();
        let child = Command::new(&settings.command[0])
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| failed(e.to_string()))?;
        let status = wait_at_most(child, settings.timeout).map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            failed(e)
        })?;
        if !status.success() {
            let _ = std::fs::remove_file(&partial);
            return Err(failed(status.to_string()));
        }
        std::fs::rename(&partial, &file).map_err(|e| failed(e.to_string()))?;
    }
    Ok(file)
}

/// Waits for the command, stopping it after `timeout`.
fn wait_at_most(mut child: Child, timeout: Duration) -> Result<ExitStatus, String> {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok(status);
        }
        if started.elapsed() >= timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "it did not finish within {} s and was stopped",
                timeout.as_secs_f64()
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Any PCM or float WAV, mixed to mono.
fn read_mono(path: &Path) -> Result<(Vec<f32>, u32), String> {
    let mut reader = hound::WavReader::open(path).map_err(|e| e.to_string())?;
    let spec = reader.spec();
    let channels = usize::from(spec.channels.max(1));
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .samples::<f32>()
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?,
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1i64 << (spec.bits_per_sample - 1)) as f32;
            reader
                .samples::<i32>()
                .map(|s| s.map(|v| v as f32 * scale))
                .collect::<Result<_, _>>()
                .map_err(|e| e.to_string())?
        }
    };
    let mono = interleaved
        .chunks(channels)
        .map(|f| f.iter().sum::<f32>() / channels as f32)
        .collect();
    Ok((mono, spec.sample_rate))
}

/// The platform's cache folder for rendered speech.
fn cache_dir() -> PathBuf {
    dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("treadbeat")
        .join("speech")
}

/// Where `program` would be run from, if anywhere (a path, or on PATH).
fn which(program: &str) -> Option<PathBuf> {
    let path = Path::new(program);
    if path.components().count() > 1 {
        return path.is_file().then(|| path.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

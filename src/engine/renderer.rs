//! The renderer: turns a tempo map into samples, block by block, splitting
//! each block at the exact frame of every click.
//!
//! Real-time safe: `process` never allocates, locks or blocks. Everything it
//! touches is allocated in `new`. The same code renders live (cpal
//! callback) and offline (WAV), so what is tested offline is what plays.
//!
//! Denormals: the callback only copies precomputed samples scaled by a
//! gain; no filter or feedback runs there, so no value decays towards the
//! denormal range and no flush-to-zero mode is needed. Synthesis (decaying
//! exponentials) happens once, off the audio thread, in f64.

use rtrb::Consumer;

use super::command::{Command, Telemetry};
use super::music_feed::{Moved, MusicFeed};
use super::music_tap::{MusicChunk, MusicTap};
use super::music_worker::MusicStart;
use super::sounds::ClickSounds;
use super::speech_track::SpeechTrack;
use super::voice::{Pan, Voice};
use crate::plan::Stereo;
use crate::tempo::{CursorState, TempoMap};
use crate::units::{DeviceFrame, SampleRate, SessionFrame};

/// Enough for a click to ring over the next few at 240 spm.
const MAX_VOICES: usize = 8;
/// The most count-in clicks a profile may ask for.
pub const MAX_COUNT_IN: usize = 16;

/// How clicks sound; fixed for a session except the volume.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClickStyle {
    /// Accent every Nth click of a run (0 = none).
    pub accent_every: u32,
    pub stereo: Stereo,
    pub volume: f32,
    /// Play the count-in before t = 0.
    pub count_in: bool,
}

/// The next click to start, on the renderer's clock.
#[derive(Debug, Clone, Copy)]
struct Pending {
    at: u64,
    accent: bool,
    right: bool,
    /// Counts the count-in (false) apart from session clicks (true).
    in_session: bool,
}

pub struct Renderer {
    map: TempoMap,
    cursor: CursorState,
    /// The cursor as it was before the pending session click was taken
    /// from it: it yields every click not yet started (for the music).
    before_pending: CursorState,
    sounds: ClickSounds,
    style: ClickStyle,
    rate: SampleRate,
    /// Start times of the timeline's segments, for telemetry and skipping.
    segment_starts: Vec<f64>,
    /// Frames of count-in before session t = 0.
    preroll: u64,
    count_in: [u64; MAX_COUNT_IN],
    count_in_len: usize,
    count_in_next: usize,
    /// The session clock in frames from the start of the preroll. Stops
    /// while paused; session frame = clock − preroll.
    clock: u64,
    /// Clock at which the session ends.
    end: u64,
    pending: Option<Pending>,
    voices: [Voice; MAX_VOICES],
    paused: bool,
    device_frames: u64,
    clicks: u64,
    /// Device frames of silence still to play before the clock starts.
    lead_in: u64,
    speech: SpeechTrack,
    /// Click gain while speech sounds.
    duck: f32,
    /// Click gain set by faded feedback (1 = full).
    fade: f32,
    /// Device frame at which the latest click started.
    last_click_frame: Option<u64>,
    last_click_accent: bool,
    /// The runner's music and its level (`set_music`).
    music: Option<Box<dyn MusicFeed>>,
    music_gain: f32,
    /// Click gain while the music sounds (`[music] clicks`).
    clicks_under_music: f32,
    /// The music as played, for a listener (`tap_music`).
    music_tap: Option<MusicTap>,
}

impl Renderer {
    /// Builds a renderer; all allocation happens here.
    pub fn new(
        map: TempoMap,
        segment_starts: Vec<f64>,
        total_s: f64,
        sounds: ClickSounds,
        style: ClickStyle,
        rate: SampleRate,
    ) -> Renderer {
        let sr = f64::from(rate.0);
        let mut count_in = [0u64; MAX_COUNT_IN];
        let mut count_in_len = 0;
        let mut preroll = 0;
        if style.count_in {
            let times: Vec<f64> = map.count_in_times().take(MAX_COUNT_IN).collect();
            preroll = times.first().map_or(0, |t| (-t * sr).round() as u64);
            for (slot, t) in count_in.iter_mut().zip(&times) {
                *slot = preroll - (-t * sr).round() as u64;
            }
            count_in_len = times.len();
        }
        let cursor = CursorState::new(&map);
        let mut renderer = Renderer {
            map,
            cursor,
            before_pending: cursor,
            sounds,
            style,
            rate,
            segment_starts,
            preroll,
            count_in,
            count_in_len,
            count_in_next: 0,
            clock: 0,
            end: preroll + (total_s * sr).round() as u64,
            pending: None,
            voices: [Voice::default(); MAX_VOICES],
            paused: false,
            device_frames: 0,
            clicks: 0,
            lead_in: 0,
            speech: SpeechTrack::default(),
            // Ducking only applies while speech sounds; `set_speech` sets it.
            duck: 1.0,
            fade: 1.0,
            last_click_frame: None,
            last_click_accent: false,
            music: None,
            music_gain: 0.0,
            clicks_under_music: 1.0,
            music_tap: None,
        };
        renderer.fetch_next();
        renderer
    }

    pub fn rate(&self) -> SampleRate {
        self.rate
    }

    /// Frames of count-in before session t = 0.
    pub fn preroll(&self) -> u64 {
        self.preroll
    }

    pub fn finished(&self) -> bool {
        self.clock >= self.end
            && self.pending.is_none()
            && !self.voices.iter().any(|v| v.active)
            && !self.speech.speaking()
            && self.speech.next_start().is_none()
    }

    fn session_time(&self) -> f64 {
        (self.clock as f64 - self.preroll as f64) / f64::from(self.rate.0)
    }

    /// Queues the earliest click not yet started: count-in first, then the map.
    fn fetch_next(&mut self) {
        if self.count_in_next < self.count_in_len {
            let i = self.count_in_next;
            self.count_in_next += 1;
            self.pending = Some(Pending {
                at: self.count_in[i],
                accent: i == 0 && self.style.accent_every > 0,
                right: i % 2 == 1,
                in_session: false,
            });
            return;
        }
        let sr = f64::from(self.rate.0);
        self.before_pending = self.cursor;
        self.pending = self.cursor.next_click(&self.map).map(|click| Pending {
            at: self.preroll + (click.time_s * sr).round() as u64,
            accent: self.style.accent_every > 0
                && click.beat % u64::from(self.style.accent_every) == 0,
            right: click.beat % 2 == 1,
            in_session: true,
        });
    }

    /// Adds the coach's voice (its schedule in session frames from t = 0)
    /// and the click gain to use while it speaks.
    pub fn set_speech(&mut self, mut speech: SpeechTrack, duck: f32) {
        speech.offset(self.preroll);
        speech.seek(self.clock);
        self.speech = speech;
        self.duck = duck.clamp(0.0, 1.0);
    }

    /// Adds the runner's music at `gain`; it follows the session clock
    /// (paused with it) and ducks under speech by the clicks' duck.
    pub fn set_music(&mut self, music: Box<dyn MusicFeed>, gain: f32) {
        self.music = Some(music);
        self.music_gain = gain.clamp(0.0, 1.0);
    }

    /// From now on every block's music is kept and sent, as played, to the
    /// ring returned (see `music_tap`); `None` without music.
    pub fn tap_music(&mut self) -> Option<Consumer<MusicChunk>> {
        self.music.as_ref()?;
        let (tap, listener) = MusicTap::new();
        self.music_tap = Some(tap);
        Some(listener)
    }

    /// The clicks' gain while the music sounds (1 = as loud as without).
    pub fn set_clicks_under_music(&mut self, gain: f32) {
        self.clicks_under_music = gain.clamp(0.0, 1.0);
    }

    /// Where the music starts: the session frame now and a cursor that
    /// yields every click from here (after `jump_to`, where it resumes).
    pub fn music_start(&self) -> MusicStart {
        MusicStart {
            frame: self.session_frame(),
            clicks: self.upcoming_clicks(),
        }
    }

    fn session_frame(&self) -> i64 {
        self.clock as i64 - self.preroll as i64
    }

    /// A cursor yielding every session click not yet started.
    fn upcoming_clicks(&self) -> CursorState {
        match self.pending {
            Some(click) if click.in_session => self.before_pending,
            _ => self.cursor,
        }
    }

    /// Tells the music how the session moved.
    fn tell_music(&mut self, moved: Moved) {
        if let Some(music) = self.music.as_mut() {
            music.moved(moved);
        }
    }

    /// Frames an offline render needs: the session, the ring-out of a last
    /// click, and any words said after the end.
    pub fn total_frames(&self) -> u64 {
        (self.end + self.sounds.max_len() as u64).max(self.speech.end())
    }

    /// Plays `frames` of silence before the session clock starts, so that a
    /// device's start-up hiccups fall before the first click, not between
    /// clicks.
    pub fn set_lead_in(&mut self, frames: u64) {
        self.lead_in = frames;
    }

    /// Continues the session from session time `t` (seconds; negative is in
    /// the count-in) with `nudge_spm` applied: how a session resumes on a
    /// new device after the old one vanished. The clicks that follow are
    /// where the tempo map puts them. Walks the map from the start, so it
    /// is for the control thread, before the stream starts.
    pub fn jump_to(&mut self, t: f64, nudge_spm: f64) {
        let sr = f64::from(self.rate.0);
        self.clock = (self.preroll as f64 + t * sr).round().max(0.0) as u64;
        self.count_in_next = self.count_in[..self.count_in_len]
            .iter()
            .take_while(|at| **at < self.clock)
            .count();
        self.cursor = CursorState::new(&self.map);
        let session_t = t.max(0.0);
        // Advance to the piece containing t, then re-plan it with the nudge.
        while let Some(click) = self.cursor.clone().next_click(&self.map) {
            if click.time_s >= session_t {
                break;
            }
            self.cursor.next_click(&self.map);
        }
        if nudge_spm != 0.0 {
            self.cursor.nudge(&self.map, session_t, nudge_spm);
        }
        self.fetch_next();
        while self.pending.is_some_and(|p| p.at < self.clock) {
            self.fetch_next();
        }
        // The voice resumes at the same moment, whichever was set first.
        self.speech.seek(self.clock);
    }

    pub fn apply(&mut self, command: Command) {
        match command {
            Command::Pause => self.paused = true,
            Command::Resume => self.paused = false,
            Command::TogglePause => self.paused = !self.paused,
            Command::SetVolume(volume) => self.style.volume = volume.clamp(0.0, 1.0),
            Command::SetFade(gain) => self.fade = gain.clamp(0.0, 1.0),
            Command::Say(clip) => self.speech.say(clip),
            Command::Nudge(delta) => {
                let now = self.session_time();
                self.cursor.nudge(&self.map, now, delta);
                // The cursor now yields the clicks from `now` on.
                let clicks = self.cursor;
                if self.pending.is_some_and(|p| p.in_session) {
                    // Every click due at or before the clock has already
                    // started; the re-planned beats resume after it.
                    self.fetch_next();
                    while self.pending.is_some_and(|p| p.at <= self.clock) {
                        self.fetch_next();
                    }
                }
                let at = self.session_frame();
                self.tell_music(Moved::Retimed { at, clicks });
            }
            Command::NextStep => self.next_step(),
            Command::CatchUp(t) => self.catch_up(t),
        }
    }

    /// Forward only, and cheap: walks just the clicks being skipped.
    fn catch_up(&mut self, t: f64) {
        // NaN or a time behind the clock: nothing to do.
        let target = (self.preroll as f64 + t * f64::from(self.rate.0)).round();
        if target.is_nan() || target <= self.clock as f64 {
            return;
        }
        self.clock = target as u64;
        while self.pending.is_some_and(|p| p.at < self.clock) {
            self.fetch_next();
        }
        self.speech.seek(self.clock);
        let at = self.session_frame();
        self.tell_music(Moved::Jumped { at });
    }

    fn next_step(&mut self) {
        let left = self.session_frame();
        self.skip_step();
        let (at, clicks) = (self.session_frame(), self.upcoming_clicks());
        self.tell_music(Moved::Skipped { left, at, clicks });
    }

    fn skip_step(&mut self) {
        let now = self.session_time();
        let Some(&next) = self
            .segment_starts
            .iter()
            .find(|start| **start > now + 1e-9)
        else {
            self.clock = self.clock.max(self.end);
            self.pending = None;
            self.count_in_next = self.count_in_len;
            return;
        };
        self.count_in_next = self.count_in_len;
        self.clock = self.preroll + (next * f64::from(self.rate.0)).round() as u64;
        self.cursor.seek(&self.map, next);
        self.fetch_next();
        self.speech.seek(self.clock);
    }

    fn start_voice(&mut self, click: Pending) {
        let pan = match (self.style.stereo, click.right) {
            (Stereo::Center, _) => Pan::CENTER,
            (Stereo::Alternate, false) => Pan::LEFT,
            (Stereo::Alternate, true) => Pan::RIGHT,
        };
        // Reuse a free voice, else steal the oldest.
        let slot = self
            .voices
            .iter()
            .position(|v| !v.active)
            .unwrap_or_else(|| {
                (0..MAX_VOICES)
                    .max_by_key(|&i| self.voices[i].position)
                    .unwrap_or(0)
            });
        let under_music = match &self.music {
            Some(music) if music.sounding() => self.clicks_under_music,
            _ => 1.0,
        };
        let gain = self.style.volume * self.fade * under_music;
        self.voices[slot] = Voice::start(click.accent, pan, gain);
        self.clicks += 1;
    }

    fn mix_voices(&mut self, out: &mut [f32], channels: usize, at: usize, frames: usize) {
        let duck = if self.speech.speaking() {
            self.duck
        } else {
            1.0
        };
        for voice in self.voices.iter_mut().filter(|v| v.active) {
            let sample = if voice.accent {
                &self.sounds.accent
            } else {
                &self.sounds.normal
            };
            voice.mix(sample, out, channels, at, frames, duck);
        }
    }

    fn mix_music(&mut self, out: &mut [f32], channels: usize, at: usize, frames: usize) {
        let duck = if self.speech.speaking() {
            self.duck
        } else {
            1.0
        };
        let from = self.clock as i64 - self.preroll as i64;
        let gain = self.music_gain * duck;
        match (self.music.as_mut(), self.music_tap.as_mut()) {
            (Some(music), Some(tap)) => {
                tap.mix(music.as_mut(), from, out, channels, at, frames, gain)
            }
            (Some(music), None) => music.mix(from, out, channels, at, frames, gain),
            (None, _) => {}
        }
    }

    /// Renders one block of interleaved frames into `out` (overwritten).
    pub fn process(&mut self, out: &mut [f32], channels: usize) {
        out.fill(0.0);
        let channels = channels.max(1);
        let frames = out.len() / channels;
        if let Some(tap) = self.music_tap.as_mut() {
            tap.begin(frames);
        }
        let silent = (self.lead_in.min(frames as u64)) as usize;
        self.lead_in -= silent as u64;
        let mut position = silent;
        while position < frames {
            let mut run = frames - position;
            if !self.paused {
                if let Some(click) = self.pending {
                    run = run.min(click.at.saturating_sub(self.clock) as usize);
                }
                if let Some(words) = self.speech.next_start() {
                    run = run.min(words.saturating_sub(self.clock) as usize);
                }
                // The clicks come back up the moment the words end, not
                // at the next click.
                if let Some(left) = self.speech.frames_left().filter(|n| *n > 0) {
                    run = run.min(left);
                }
            }
            if run > 0 {
                self.mix_voices(out, channels, position, run);
                if !self.paused {
                    self.mix_music(out, channels, position, run);
                    self.speech.mix(out, channels, position, run);
                    self.clock += run as u64;
                }
                position += run;
            }
            if !self.paused {
                self.speech.start_due(self.clock);
            }
            while !self.paused {
                match self.pending {
                    Some(click) if click.at <= self.clock => {
                        self.last_click_frame = Some(self.device_frames + position as u64);
                        self.last_click_accent = click.accent;
                        self.start_voice(click);
                        self.fetch_next();
                    }
                    _ => break,
                }
            }
        }
        if let Some(tap) = self.music_tap.as_mut() {
            tap.publish(DeviceFrame(self.device_frames));
        }
        self.device_frames += frames as u64;
    }

    /// Whether speech (or an earcon) was sounding at the end of the last
    /// block.
    pub fn speaking(&self) -> bool {
        self.speech.speaking()
    }

    pub fn telemetry(&self) -> Telemetry {
        let now = self.session_time();
        let in_session = self.clock >= self.preroll;
        let segment = in_session
            .then(|| {
                self.segment_starts
                    .partition_point(|s| *s <= now)
                    .checked_sub(1)
            })
            .flatten();
        Telemetry {
            device_frames: DeviceFrame(self.device_frames),
            session_frame: SessionFrame(self.clock as i64 - self.preroll as i64),
            paused: self.paused,
            segment,
            nudge_spm: self.cursor.offset_spm(),
            clicks: self.clicks,
            volume: self.style.volume,
            fade: self.fade,
            last_click_frame: self.last_click_frame.map(DeviceFrame),
            last_click_accent: self.last_click_accent,
            finished: self.finished(),
        }
    }
}

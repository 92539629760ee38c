//! How long a phrase takes to say, estimated from its words: what planning
//! uses before any speech is rendered. The coach times cues with it too, and
//! validation uses it to reject a `say` that cannot fit its step.

/// Seconds a phrase takes, estimated: about 180 words a minute plus a
/// breath, close to espeak-ng at its default rate.
pub fn estimated_speech_s(text: &str) -> f64 {
    0.15 + 0.33 * text.split_whitespace().count() as f64
}

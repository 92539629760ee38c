//! Offline rendering: the whole session through the live renderer, block
//! by block, handed to a sink (a WAV writer, a buffer in memory, a test).

use super::renderer::Renderer;

/// Block size for offline work: large, to amortise per-block costs.
pub const OFFLINE_BLOCK: usize = 8192;

/// Frames an offline render produces: the session from the first count-in
/// click to the end, plus the ring-out of a click at the very end and any
/// words said after it.
pub fn session_frames(renderer: &Renderer) -> u64 {
    renderer.total_frames()
}

/// Renders the session into `sink`, `block` frames at a time (the last
/// block shorter). Returns the number of frames rendered.
pub fn render_session<E>(
    renderer: &mut Renderer,
    channels: usize,
    block: usize,
    mut sink: impl FnMut(&[f32]) -> Result<(), E>,
) -> Result<u64, E> {
    let total = session_frames(renderer);
    let mut buffer = vec![0.0f32; block * channels];
    let mut done = 0u64;
    while done < total {
        let frames = (total - done).min(block as u64) as usize;
        let out = &mut buffer[..frames * channels];
        renderer.process(out, channels);
        sink(out)?;
        done += frames as u64;
    }
    Ok(done)
}

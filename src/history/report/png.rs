//! The report's SVG as a PNG, rasterised by resvg with the system's fonts
//! (the charts' words need one; where none is found the shapes are still
//! drawn). Twice the SVG's size, so that it stays sharp on a phone.

use resvg::{tiny_skia, usvg};

/// Pixels per SVG unit.
pub const SCALE: f32 = 2.0;

pub fn render(svg: &str) -> Result<Vec<u8>, String> {
    let mut options = usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let size = tree.size().to_int_size();
    let (w, h) = (
        (size.width() as f32 * SCALE).ceil() as u32,
        (size.height() as f32 * SCALE).ceil() as u32,
    );
    let mut pixmap =
        tiny_skia::Pixmap::new(w, h).ok_or_else(|| format!("cannot draw a {w} x {h} image"))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| e.to_string())
}

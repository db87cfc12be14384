//! PNG copies of the figures, rasterised from the very same SVG documents
//! (so both formats always show the same thing) with resvg and the
//! machine's fonts. CJK labels need a font with CJK glyphs; when none is
//! installed the PNGs are still written and a warning says which package
//! to install.

use resvg::tiny_skia;
use resvg::usvg;

/// Families tried, in order, for labels (CJK-capable first).
const PREFERRED_FAMILIES: [&str; 9] = [
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "DejaVu Sans",
    "Liberation Sans",
];

/// A rasteriser with the system fonts loaded once.
pub struct Rasteriser {
    options: usvg::Options<'static>,
    /// What the user should know about fonts, if anything.
    pub warnings: Vec<String>,
}

/// Rasterising failed.
#[derive(Debug, thiserror::Error)]
#[error("cannot rasterise the {figure} figure to PNG: {message}")]
pub struct PngError {
    /// Which figure.
    pub figure: String,
    /// Why.
    pub message: String,
}

impl Rasteriser {
    /// Loads the system fonts and picks the family used for labels.
    pub fn new() -> Rasteriser {
        let mut options = usvg::Options::default();
        let database = options.fontdb_mut();
        database.load_system_fonts();
        let families: Vec<String> = database
            .faces()
            .flat_map(|face| face.families.iter().map(|(name, _)| name.clone()))
            .collect();
        let mut warnings = Vec::new();
        let chosen = PREFERRED_FAMILIES
            .iter()
            .find(|wanted| families.iter().any(|f| f == *wanted))
            .map(|f| f.to_string())
            .or_else(|| families.first().cloned());
        match &chosen {
            None => warnings.push(
                "no fonts found on this machine: PNG figures are drawn without text (install fonts-noto-cjk)"
                    .to_string(),
            ),
            Some(family) if PREFERRED_FAMILIES[..7].iter().all(|cjk| cjk != family) => warnings.push(format!(
                "no font with Chinese glyphs found (using {family}): Chinese labels in PNG figures will not show (install fonts-noto-cjk); the SVG and HTML figures are unaffected"
            )),
            Some(_) => {}
        }
        if let Some(family) = chosen {
            options.fontdb_mut().set_sans_serif_family(family);
        }
        Rasteriser { options, warnings }
    }

    /// Rasterises one SVG document at twice its size, for sharp text.
    pub fn png(&self, figure: &str, svg: &str) -> Result<Vec<u8>, PngError> {
        let error = |message: String| PngError {
            figure: figure.to_string(),
            message,
        };
        let tree = usvg::Tree::from_str(svg, &self.options).map_err(|e| error(e.to_string()))?;
        let size = tree.size().to_int_size();
        let mut pixmap = tiny_skia::Pixmap::new(size.width() * 2, size.height() * 2)
            .ok_or_else(|| error("the figure has no area".to_string()))?;
        pixmap.fill(tiny_skia::Color::WHITE);
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(2.0, 2.0),
            &mut pixmap.as_mut(),
        );
        pixmap.encode_png().map_err(|e| error(e.to_string()))
    }
}

impl Default for Rasteriser {
    fn default() -> Self {
        Rasteriser::new()
    }
}

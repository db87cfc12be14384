//! The report stage, last before the front ends: the plan as files (`plan.json`, `links.csv`,
//! `projects.csv`), as a readable summary for the terminal, and as a report
//! a park administrator can present (`report.html`, `report.md` and the
//! figures, SVG and optionally PNG).
//!
//! A single file is written to a temporary name and renamed into place
//! ([`write_atomic`]), so an interrupted run never leaves a half-written
//! file; a command's files land as one set with a manifest ([`set`],
//! [`manifest`]), never over an input or a file ecopark did not write.
//!
//! Each decision analysis's outputs — its table, summary and figure — are
//! in [`analyses`], one file per analysis. The analysis commands write
//! their figures into the same folder; the report shows those it finds
//! there in an "Analyses" section, after checking that the analysis's
//! manifest names the same park and plan and the figure's hash, and that
//! each is an SVG
//! document of the kind ecopark draws: the check reads the document with
//! an XML parser (`roxmltree`) and looks at the tree, because a file in
//! that folder may have been put there by anyone and is inlined into
//! `report.html` as it is.

pub mod analyses;
mod csv;
pub mod document;
pub mod figures;
pub mod html;
pub mod manifest;
pub mod markdown;
pub mod outputs;
pub mod png;
pub mod set;
pub mod summary;

pub use analyses::{write_analysis_outputs, AnalysisOutputs};
pub use outputs::{write_solve_outputs, OutputOptions};
pub use set::{check_writable, write_new_file, OutputError, OutputFile, Source};
pub use summary::summary;

use crate::solution::Plan;
use manifest::Manifest;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A report could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {source}")]
pub struct WriteError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

/// Writes `contents` to `path` atomically: into a temporary file in the
/// same folder (created first if need be; a random name, created
/// exclusively, never through a symlink planted there), flushed to disk,
/// then renamed over `path`, so a reader sees the old file or the new one,
/// never half of one. The temporary file is removed if anything fails. The
/// folder's lock ([`set`]) is held meanwhile, waited for if need be.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    let error = |source| WriteError {
        path: path.to_path_buf(),
        source,
    };
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder).map_err(error)?;
    if let Ok(metadata) = std::fs::symlink_metadata(path) {
        if !set::replaceable(&metadata) {
            return Err(error(std::io::Error::other(
                "a folder, a device or a named pipe is in its place",
            )));
        }
    }
    let _lock = set::FolderLock::wait(folder).map_err(error)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let prefix = format!("{}{file_name}-", set::TEMPORARY_PREFIX);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // As readable as a file `File::create` makes (0o666 less the umask),
    // not the owner-only default of a temporary file.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temporary = builder.tempfile_in(folder).map_err(error)?;
    temporary
        .write_all(contents)
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(error)?;
    temporary.persist(path).map_err(|e| error(e.error))?;
    Ok(())
}

/// A park name as a folder name: letters, digits, `-` and `_` kept (any
/// script), everything else as `-`.
pub fn folder_name(park_name: &str) -> String {
    let name: String = park_name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches('-').to_string();
    if name.is_empty() {
        "park".to_string()
    } else {
        name
    }
}

/// The plan's own files: `plan.json`, `links.csv` and `projects.csv`.
pub fn plan_files(plan: &Plan) -> Vec<OutputFile> {
    let json = serde_json::to_string_pretty(plan).expect("a plan always serialises") + "\n";
    vec![
        OutputFile::new("plan.json", json),
        OutputFile::new("links.csv", csv::links(plan)),
        OutputFile::new("projects.csv", csv::projects(plan)),
    ]
}

/// Figure formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImageFormat {
    /// SVG only (the HTML report inlines SVG either way).
    #[default]
    Svg,
    /// SVG and PNG.
    Png,
}

impl std::str::FromStr for ImageFormat {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "svg" => Ok(ImageFormat::Svg),
            "png" => Ok(ImageFormat::Png),
            other => Err(format!("unknown figure format '{other}': use svg or png")),
        }
    }
}

/// A report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A figure could not be drawn.
    #[error(transparent)]
    Draw(#[from] figures::canvas::DrawError),
    /// A PNG could not be made.
    #[error(transparent)]
    Png(#[from] png::PngError),
    /// A file could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// A set of files was refused or could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The plan does not fit the park (its per-firm ledger cannot be read).
    #[error(transparent)]
    Ledger(#[from] crate::solution::firms::NotThisPark),
}

/// What writing a report produced.
#[derive(Debug, Clone, Default)]
pub struct WrittenFiles {
    /// Files written, in order.
    pub files: Vec<PathBuf>,
    /// Things the user should know (missing fonts).
    pub warnings: Vec<String>,
}

/// Elements of the SVG documents ecopark draws (plotters' SVG backend).
const SVG_ELEMENTS: [&str; 7] = [
    "svg", "rect", "circle", "line", "polyline", "polygon", "text",
];

/// Attributes of the SVG documents ecopark draws (besides `xmlns`, which
/// an XML parser reads as a namespace declaration, not an attribute).
const SVG_ATTRIBUTES: [&str; 24] = [
    "width",
    "height",
    "viewBox",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "dy",
    "cx",
    "cy",
    "r",
    "points",
    "fill",
    "stroke",
    "stroke-width",
    "opacity",
    "text-anchor",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "transform",
];

/// The one URI an SVG figure may hold: its namespace, a name rather than a link.
const SVG_NAMESPACE: &str = "http://www.w3.org/2000/svg";

/// Largest analysis figure read, bytes.
const MAX_SVG_BYTES: u64 = 8 << 20;

/// Whether an attribute is one ecopark writes, with a value (as the XML
/// parser decoded it, character references resolved) that points nowhere
/// outside the document: no `url(…)` or other function but `rotate(…)` in
/// a transform, no `scheme:`.
fn attribute_ok(attribute: &roxmltree::Attribute) -> bool {
    let name = attribute.name();
    let value = attribute.value().to_ascii_lowercase();
    let value_ok = if name == "transform" {
        value
            .strip_prefix("rotate(")
            .is_some_and(|rest| !rest.contains('('))
    } else {
        !value.contains('(')
    };
    attribute.namespace().is_none()
        && SVG_ATTRIBUTES.contains(&name)
        && value_ok
        && !value.contains(':')
}

/// Whether an element is one ecopark draws, in the SVG namespace or none
/// (as the root says), declaring no other namespace, with only attributes
/// ecopark writes.
fn element_ok(element: roxmltree::Node, root: roxmltree::Node) -> bool {
    let name = element.tag_name().name();
    let is_root = element == root;
    SVG_ELEMENTS.contains(&name)
        && (name == "svg") == is_root
        && element.tag_name().namespace() == root.tag_name().namespace()
        && element
            .namespaces()
            .all(|ns| ns.name().is_none() && ns.uri() == SVG_NAMESPACE)
        && element.attributes().all(|a| attribute_ok(&a))
}

/// The SVG document in `text` when it is of the kind ecopark draws: after
/// an optional XML declaration, well-formed XML with one `<svg>` root
/// holding only the elements and attributes plotters writes, and nothing
/// that loads or runs anything (no scripts, styles, links, `url(…)`,
/// entities beyond XML's own, DTDs, comments, processing instructions or
/// CDATA sections). The check reads the tree an XML parser builds, values
/// decoded, so a character reference cannot hide what it spells. Returns
/// the document without the declaration, ready to inline in HTML.
fn own_svg(text: &str) -> Option<&str> {
    let mut body = text.trim();
    if let Some(declaration) = body.strip_prefix("<?xml ") {
        let (_, after) = declaration.split_once("?>")?;
        body = after.trim_start();
    }
    // Nothing before the root: no second declaration, no byte-order mark.
    if !body.starts_with("<svg") {
        return None;
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    let document = roxmltree::Document::parse_with_options(body, options).ok()?;
    let root = document.root_element();
    // In well-formed XML without comments or processing instructions
    // (refused below), `<![CDATA[` can only open a CDATA section: the
    // parser merges those into the text around them.
    if body.contains("<![CDATA[") {
        return None;
    }
    let tree_ok = document.descendants().all(|node| match node.node_type() {
        roxmltree::NodeType::Root | roxmltree::NodeType::Text => true,
        roxmltree::NodeType::Element => element_ok(node, root),
        roxmltree::NodeType::Comment | roxmltree::NodeType::PI => false,
    });
    tree_ok.then_some(body)
}

/// Why an analysis figure in a folder is not one for this park and plan,
/// judged by the analysis manifest that lists it; `None` when it is.
fn not_for_this_plan(
    manifest: Option<&Manifest>,
    park_sha256: &str,
    plan_sha256: &str,
) -> Option<String> {
    let Some(manifest) = manifest else {
        return Some("no analysis manifest beside it lists it".to_string());
    };
    if manifest.park_sha256 != park_sha256 {
        return Some(format!(
            "it was drawn for another park ({})",
            manifest.park_path
        ));
    }
    match &manifest.plan_sha256 {
        Some(plan) if plan == plan_sha256 => None,
        Some(_) => Some("it was drawn beside another plan of this park".to_string()),
        None => Some("it was drawn before a plan of this park was written there".to_string()),
    }
}

/// The analysis figures in `dir` drawn for this park and plan, in report
/// order, each with its SVG document. A figure that is there but that no
/// analysis manifest names for this park (`park_sha256`) and plan
/// (`plan_sha256`) with its hash, or that is not an SVG document of the
/// kind ecopark draws, is left out, with a warning.
fn find_analyses(
    dir: &Path,
    park_sha256: &str,
    plan_sha256: &str,
) -> (Vec<(figures::Analysis, String)>, Vec<String>) {
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    let manifests = manifest::manifests_in(dir);
    for analysis in figures::ANALYSES {
        let file_name = format!("{}.svg", analysis.name);
        let path = dir.join(&file_name);
        let Ok(metadata) = std::fs::metadata(&path) else {
            continue;
        };
        let listing = manifests
            .iter()
            .map(|(_, manifest)| manifest)
            .find(|manifest| manifest.hash_of(&file_name).is_some());
        if let Some(why) = not_for_this_plan(listing, park_sha256, plan_sha256) {
            warnings.push(format!(
                "{} is left out of the report: {why}; re-run `{}` into this folder after `ecopark solve` to draw it for this plan",
                path.display(),
                analysis.command
            ));
            continue;
        }
        let bytes = if metadata.is_file() && metadata.len() <= MAX_SVG_BYTES {
            std::fs::read(&path).ok()
        } else {
            None
        };
        let listed = listing.and_then(|manifest| manifest.hash_of(&file_name));
        let text = bytes
            .filter(|bytes| listed == Some(manifest::sha256_hex(bytes).as_str()))
            .and_then(|bytes| String::from_utf8(bytes).ok());
        match text.as_deref().and_then(own_svg) {
            Some(svg) => found.push((analysis, svg.to_string())),
            None => warnings.push(format!(
                "{} is not the SVG figure ecopark drew there (changed since, or not of the kind ecopark draws); left out of the report (re-run `{}` to draw it again)",
                path.display(),
                analysis.command
            )),
        }
    }
    (found, warnings)
}

/// The report of a plan as files: `report.html`, `report.md` and the
/// figures (SVG, and PNG copies when asked), with the analysis figures
/// found in `dir` that were drawn for this park and plan; and the warnings
/// (missing fonts, figures left out).
pub fn report_files(
    park: &crate::park::Park,
    plan: &Plan,
    dir: &Path,
    format: ImageFormat,
    park_sha256: &str,
    plan_sha256: &str,
) -> Result<(Vec<OutputFile>, Vec<String>), ReportError> {
    let drawn = figures::draw_all(park, plan)?;
    let scorecard = figures::scorecard::scorecard_data(park, plan);
    let ledger = crate::solution::firms::firm_ledger(park, plan)?;
    let document = document::document(plan, &scorecard, &ledger);
    let (analyses, mut warnings) = find_analyses(dir, park_sha256, plan_sha256);
    let mut files: Vec<OutputFile> = drawn
        .iter()
        .map(|figure| OutputFile::new(format!("{}.svg", figure.name), figure.svg.as_bytes()))
        .collect();
    let extension = match format {
        ImageFormat::Svg => "svg",
        ImageFormat::Png => {
            let rasteriser = png::Rasteriser::new();
            warnings.extend(rasteriser.warnings.iter().cloned());
            for figure in &drawn {
                let png = rasteriser.png(figure.name, &figure.svg)?;
                files.push(OutputFile::new(format!("{}.png", figure.name), png));
            }
            "png"
        }
    };
    files.push(OutputFile::new(
        "report.html",
        html::html(&document, &drawn, &analyses),
    ));
    files.push(OutputFile::new(
        "report.md",
        markdown::markdown(&document, &drawn, &analyses, extension),
    ));
    Ok((files, warnings))
}

/// Writes the report of a plan ([`report_files`]) into `dir` as a set:
/// added to the folder's set when that is of the same park and plan
/// (`plan_sha256`, the hash of the plan file's bytes); the set of another
/// park or plan is refused, or replaced with `source.force`. Returns the files written, the manifest last, and the warnings.
pub fn write_report(
    park: &crate::park::Park,
    plan: &Plan,
    dir: &Path,
    format: ImageFormat,
    source: &Source,
    plan_sha256: &str,
) -> Result<WrittenFiles, ReportError> {
    let (files, warnings) =
        report_files(park, plan, dir, format, &source.park_sha256, plan_sha256)?;
    let set = set::OutputSet {
        manifest_name: manifest::MANIFEST_FILE.to_string(),
        source,
        plan_sha256: Some(plan_sha256.to_string()),
        files,
        extends_same_plan: true,
    };
    Ok(WrittenFiles {
        files: set::write_set(dir, &set)?,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_keep_chinese_and_drop_punctuation() {
        assert_eq!(folder_name("Tangshan Caofeidian"), "tangshan-caofeidian");
        assert_eq!(folder_name("唐山 园区"), "唐山-园区");
        assert_eq!(folder_name("../etc"), "etc");
        assert_eq!(folder_name("   "), "park");
    }

    fn pareto_svg() -> String {
        use figures::pareto::{draw_pareto, FrontPoint, ParetoChart};
        let point = |co2: f64, cost_m_cny: f64, mark: &str| FrontPoint {
            co2,
            cost_m_cny,
            mark: Some(mark.to_string()),
            changes: String::new(),
            co2_avoided_t: None,
            extra_cost_m_cny: None,
            mac_cny_per_t: None,
        };
        draw_pareto(&ParetoChart {
            title: "Cost–CO2 trade-off of 唐山 & co".into(),
            co2_unit: "kt/yr".into(),
            first_projects: vec!["classifier".into()],
            points: vec![
                point(-20.0, -10.0, "cost optimum"),
                point(-24.0, -9.0, "CO2 optimum"),
            ],
        })
        .unwrap()
    }

    #[test]
    fn our_own_figures_pass_and_anything_else_does_not() {
        let svg = pareto_svg();
        assert_eq!(own_svg(&svg), Some(svg.trim()));
        let declared = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}");
        assert_eq!(own_svg(&declared), Some(svg.trim()));
        let open = "<svg width=\"10\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\">";
        let ok = format!("{open}<rect x=\"1\" y=\"1\" fill=\"#FFFFFF\"/><text x=\"1\" transform=\"rotate(270, 1, 1)\">a &lt; b &#21776;</text></svg>");
        assert!(own_svg(&ok).is_some());
        for bad in [
            format!("{open}<script>alert(1)</script></svg>"),
            format!("{open}<image href=\"http://example.com/x.png\"/></svg>"),
            format!("{open}<rect fill=\"url(http://example.com/#p)\"/></svg>"),
            format!("{open}<rect onload=\"alert(1)\"/></svg>"),
            format!("{open}<rect x=\"1\" x=\"2\"/></svg>"),
            format!("{open}<foreignObject></foreignObject></svg>"),
            format!("{open}<style>@import url(x)</style></svg>"),
            format!("{open}<text>&ext;</text></svg>"),
            format!("{open}<!-- c --></svg>"),
            format!("{open}<svg></svg></svg>"),
            format!("{open}<rect></svg>"),
            format!("{open}</svg><svg></svg>"),
            format!("{open}</svg>trailing"),
            format!("{open}<rect/>"),
            "<!DOCTYPE svg [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><svg></svg>".to_string(),
            "<svg xmlns=\"http://evil.example\"></svg>".to_string(),
            "<html><svg></svg></html>".to_string(),
            format!("{open}<?xml-stylesheet href=\"x.css\"?></svg>"),
            format!("{open}<text><![CDATA[<script>alert(1)</script>]]></text></svg>"),
            format!(
                "{open}<rect xlink:href=\"x\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"/></svg>"
            ),
            format!("{open}<rect xml:base=\"http://example.com/\"/></svg>"),
            format!("{open}<svg:rect xmlns:svg=\"http://www.w3.org/2000/svg\"/></svg>"),
            format!("{open}<rect xmlns=\"http://evil.example\"/></svg>"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg><svg></svg>".to_string(),
            "<rect/>".to_string(),
            format!("<?xml version=\"1.0\"?>\n<?xml version=\"1.0\"?>{open}</svg>"),
            format!("\u{feff}{open}</svg>"),
            "not svg".to_string(),
            String::new(),
        ] {
            assert_eq!(own_svg(&bad), None, "{bad}");
        }
    }

    #[test]
    fn a_character_reference_cannot_spell_what_is_refused() {
        // The text search this check replaced looked for `(` and `:` in the
        // raw attribute text, so `url&#40;//example.com/x)` (a browser reads
        // `url(//example.com/x)`, a remote fill) and `&#58;` got through.
        // The parser decodes the value before it is checked.
        let open = "<svg width=\"10\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\">";
        for bad in [
            format!("{open}<rect fill=\"url&#40;//example.com/x)\"/></svg>"),
            format!("{open}<rect fill=\"url&#x28;#p)\"/></svg>"),
            format!("{open}<text transform=\"rotate(1) translate&#40;1)\">a</text></svg>"),
            format!("{open}<rect fill=\"javascript&#58;x\"/></svg>"),
        ] {
            assert_eq!(own_svg(&bad), None, "{bad}");
        }
        // What the XML grammar allows beside it is read the same: single
        // quotes, a `>` inside a value, space around `=`.
        let fine = format!("{open}<text x='1' font-family=\"a>b\" y = \"2\">a</text></svg>");
        assert_eq!(own_svg(&fine), Some(fine.as_str()));
    }

    #[test]
    fn analysis_figures_beside_the_report_are_inlined_and_linked() {
        let park = crate::park::testing::tiny();
        let plan = crate::park::testing::optimal_plan(&park);
        let dir = tempfile::tempdir().unwrap();
        let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();

        let source = Source {
            park_path: "tiny/park.toml".into(),
            park_sha256: manifest::sha256_hex(b"tiny"),
            ..Source::default()
        };
        let plan_sha256 = manifest::sha256_hex(&plan_files(&plan)[0].bytes);
        let report = |source: &Source, plan_sha256: &str| {
            write_report(
                &park,
                &plan,
                dir.path(),
                ImageFormat::Svg,
                source,
                plan_sha256,
            )
            .unwrap()
        };
        let made = report(&source, &plan_sha256);
        assert!(made.warnings.is_empty(), "{:?}", made.warnings);
        assert!(!read("report.html").contains("Analyses"));
        assert!(!read("report.md").contains("Analyses"));

        let svg = pareto_svg();
        let analysis = |name: &str, figure: &'static str, svg: &str, source: &Source| {
            let outputs = AnalysisOutputs {
                name: name.into(),
                csv: String::new(),
                json: String::new(),
                svg: Some((figure, svg.to_string())),
                extra: Vec::new(),
                summary: String::new(),
            };
            write_analysis_outputs(&outputs, dir.path(), source).unwrap();
        };
        analysis("pareto", "pareto", &svg, &source);
        analysis(
            "subsidies",
            "macc",
            "<svg><script>alert(1)</script></svg>",
            &source,
        );
        let other_park = Source {
            park_path: "other/park.toml".into(),
            park_sha256: manifest::sha256_hex(b"other"),
            ..Source::default()
        };
        analysis("sensitivity", "tornado", &svg, &other_park);
        let made = report(&source, &plan_sha256);
        let html = read("report.html");
        assert!(html.contains("<h2 id=\"analyses\">Analyses</h2>"));
        assert!(html.contains(svg.trim()), "inlined as drawn");
        assert!(html.contains("Cost–CO2 trade-off of 唐山 &amp; co"));
        assert!(html.contains("Drawn by <code>ecopark pareto</code> into pareto.svg; re-running that command updates pareto.svg, and writing the report again updates this copy."));
        assert!(
            !html.contains("<script"),
            "a file that is not ours stays out"
        );
        assert!(html.find("<h2>Links</h2>") < html.find("<h2 id=\"analyses\">"));
        assert_eq!(made.warnings.len(), 2, "{:?}", made.warnings);
        assert!(made.warnings[0].contains("macc.svg"), "{:?}", made.warnings);
        assert!(
            made.warnings[1].contains("tornado.svg")
                && made.warnings[1].contains("drawn for another park (other/park.toml)"),
            "{:?}",
            made.warnings
        );
        assert_eq!(
            html.matches("<svg").count(),
            5,
            "four figures of the plan and pareto.svg, not the other park's"
        );
        let markdown = read("report.md");
        assert!(markdown.contains("## Analyses"));
        assert!(markdown.contains("![Cost–CO2 trade-off (Pareto front)](pareto.svg)"));
        assert!(markdown.contains(
            "*Drawn by `ecopark pareto` into pareto.svg; re-running that command updates it.*"
        ));
        assert!(!markdown.contains("macc.svg"));
        assert!(
            !made.files.contains(&dir.path().join("pareto.svg")),
            "not ours to write"
        );

        // A figure left by an analysis beside another plan of the park,
        // or changed since it was drawn, stays out.
        let another_plan = manifest::sha256_hex(b"another plan");
        let (files, warnings) = report_files(
            &park,
            &plan,
            dir.path(),
            ImageFormat::Svg,
            &source.park_sha256,
            &another_plan,
        )
        .unwrap();
        let html = files
            .iter()
            .find(|file| file.name == "report.html")
            .unwrap();
        assert!(!String::from_utf8_lossy(&html.bytes).contains("Analyses"));
        assert!(
            warnings[0].contains("pareto.svg") && warnings[0].contains("beside another plan"),
            "{warnings:?}"
        );
        let mut changed = svg.clone();
        changed.insert_str(changed.rfind("</svg>").unwrap(), "<text>forged</text>");
        std::fs::write(dir.path().join("pareto.svg"), changed).unwrap();
        let made = report(&source, &plan_sha256);
        assert!(!read("report.html").contains("forged"));
        assert!(
            made.warnings[0].contains("pareto.svg"),
            "{:?}",
            made.warnings
        );
    }

    #[test]
    fn atomic_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.txt");
        write_atomic(&path, b"hello").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "hello");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn atomic_write_replaces_the_file_and_names_the_one_it_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.txt");
        write_atomic(&path, b"old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        #[cfg(unix)]
        {
            // As readable as a file made the ordinary way, not owner-only.
            use std::os::unix::fs::PermissionsExt;
            let ordinary = dir.path().join("ordinary.txt");
            std::fs::File::create(&ordinary).unwrap();
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), mode(&ordinary));
        }
        // A folder that cannot be made: a file is in its place.
        let blocked = path.join("c.txt");
        let error = write_atomic(&blocked, b"x").unwrap_err();
        assert_eq!(error.path, blocked);
        assert!(error.to_string().contains("c.txt"), "{error}");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
    }
}

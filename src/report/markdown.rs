//! `report.md`: the report's content for people who keep it in Git, with
//! the figures beside it as files.

use super::document::{Document, Table};
use super::figures::{Analysis, Figure, Shown};

/// Escapes a table cell (pipes and line breaks would break the table).
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn table(table: &Table) -> String {
    let mut out = format!(
        "| {} |\n|",
        table
            .header
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    for i in 0..table.header.len() {
        out.push_str(if table.numeric.get(i).copied().unwrap_or(false) {
            " ---: |"
        } else {
            " --- |"
        });
    }
    out.push('\n');
    for row in &table.rows {
        out.push_str(&format!(
            "| {} |\n",
            row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    out
}

/// The whole Markdown report; `extension` is the figures' file extension;
/// `found` are the analysis figures found beside it, linked as the SVG
/// files their commands write.
pub fn markdown(
    document: &Document,
    figures: &[Figure],
    found: &[(Analysis, String)],
    extension: &str,
) -> String {
    let image = |name: &str| {
        figures
            .iter()
            .find(|f| f.name == name)
            .map(|f| format!("![{}]({}.{extension})\n\n", cell(&f.title), f.name))
            .unwrap_or_default()
    };
    let mut out = format!(
        "# {}: circularity plan\n\n{}\n\n",
        document.park, document.status_line
    );
    out.push_str("| Headline | Value | |\n| --- | ---: | --- |\n");
    for (label, value, note) in &document.headline {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            cell(label),
            cell(value),
            cell(note)
        ));
    }
    out.push_str("\n## Map\n\n");
    out.push_str(&image("map"));
    out.push_str("## Material and heat flows\n\n");
    out.push_str(&image("flows"));
    out.push_str("## Cost and carbon\n\n");
    out.push_str(&image("waterfall"));
    out.push_str(&table(&document.categories));
    out.push_str("\n## Green-park scorecard\n\n");
    out.push_str(&image("scorecard"));
    out.push_str(&table(&document.scorecard));
    out.push_str("\n## Projects\n\n");
    out.push_str(&table(&document.projects));
    out.push_str("\n## Links\n\n");
    out.push_str(&table(&document.links));
    out.push_str("\n## Who pays and who gains\n\n");
    out.push_str(&format!("{}\n\n", super::document::FIRMS_NOTE));
    out.push_str(&table(&document.firms));
    if !found.is_empty() {
        out.push_str("\n## Analyses\n");
        for (analysis, _) in found {
            out.push_str(&format!(
                "\n### {}\n\n![{}]({}.svg)\n\n*{}*\n",
                analysis.title,
                analysis.title,
                analysis.name,
                analysis.caption(Shown::Linked)
            ));
        }
    }
    out
}

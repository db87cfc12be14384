//! `report.html`: one self-contained page (figures inlined as SVG, styles
//! inline, no scripts, no network) in the order a committee reads it.

use super::document::{Document, Table};
use super::figures::{Analysis, Figure, Shown};

/// Escapes text for HTML content and attribute values (control
/// characters shown as escapes, see [`crate::text::xml_safe`]).
pub fn escape(text: &str) -> String {
    let text = crate::text::xml_safe(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body { font-family: 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'Helvetica Neue', Arial, sans-serif; color: #1e1e1e; margin: 0; background: #f4f5f7; }
main { max-width: 1340px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 10px; border-bottom: 2px solid #e2e4e8; padding-bottom: 6px; }
h3 { font-size: 16px; margin: 24px 0 8px; }
p.status { color: #555; margin: 0 0 18px; font-size: 14px; }
.cards { display: grid; grid-template-columns: repeat(5, 1fr); gap: 12px; }
.card { border: 1px solid #e2e4e8; border-radius: 8px; padding: 12px 14px; }
.card .label { font-size: 13px; color: #555; }
.card .value { font-size: 22px; font-weight: 700; margin: 4px 0; }
.card .note { font-size: 12px; color: #666; }
figure { margin: 0; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 13px; color: #555; margin-top: 4px; }
figcaption code { font-size: 12px; background: #f4f5f7; padding: 0 3px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin-top: 8px; }
th, td { border-bottom: 1px solid #e2e4e8; padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f4f5f7; }
td.num, th.num { text-align: right; white-space: nowrap; }
footer { margin-top: 36px; font-size: 12px; color: #777; }
";

fn table(table: &Table) -> String {
    let class = |i: usize| {
        if table.numeric.get(i).copied().unwrap_or(false) {
            " class=\"num\""
        } else {
            ""
        }
    };
    let mut out = String::from("<table>\n<thead><tr>");
    for (i, h) in table.header.iter().enumerate() {
        out.push_str(&format!("<th{}>{}</th>", class(i), escape(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            out.push_str(&format!("<td{}>{}</td>", class(i), escape(cell)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

fn figure(figure: &Figure) -> String {
    format!(
        "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
        figure.svg.trim(),
        escape(&figure.title)
    )
}

/// Escapes text and shows `quoted` parts as code.
fn escape_with_code(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", escape(part))
            } else {
                escape(part)
            }
        })
        .collect()
}

/// The "Analyses" section: each analysis figure found beside the report,
/// inlined, with its caption; nothing when there is none.
fn analyses(found: &[(Analysis, String)]) -> String {
    if found.is_empty() {
        return String::new();
    }
    let mut out = String::from("<h2 id=\"analyses\">Analyses</h2>\n");
    for (analysis, svg) in found {
        out.push_str(&format!(
            "<h3>{}</h3>\n<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
            escape(analysis.title),
            svg.trim(),
            escape_with_code(&analysis.caption(Shown::Inlined))
        ));
    }
    out
}

/// The whole page; `found` are the analysis figures found beside it, with
/// their SVG documents, already checked to be SVG of the kind ecopark draws.
pub fn html(document: &Document, figures: &[Figure], found: &[(Analysis, String)]) -> String {
    let find = |name: &str| {
        figures
            .iter()
            .find(|f| f.name == name)
            .map(figure)
            .unwrap_or_default()
    };
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<title>ecopark — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        escape(&document.park)
    ));
    out.push_str(&format!(
        "<h1>{}: circularity plan</h1>\n",
        escape(&document.park)
    ));
    out.push_str(&format!(
        "<p class=\"status\">{}</p>\n<div class=\"cards\">\n",
        escape(&document.status_line)
    ));
    for (label, value, note) in &document.headline {
        out.push_str(&format!(
            "<div class=\"card\"><div class=\"label\">{}</div><div class=\"value\">{}</div><div class=\"note\">{}</div></div>\n",
            escape(label),
            escape(value),
            escape(note)
        ));
    }
    out.push_str("</div>\n<h2>Map</h2>\n");
    out.push_str(&find("map"));
    out.push_str("<h2>Material and heat flows</h2>\n");
    out.push_str(&find("flows"));
    out.push_str("<h2>Cost and carbon</h2>\n");
    out.push_str(&find("waterfall"));
    out.push_str(&table(&document.categories));
    out.push_str("<h2>Green-park scorecard</h2>\n");
    out.push_str(&find("scorecard"));
    out.push_str(&table(&document.scorecard));
    out.push_str("<h2>Projects</h2>\n");
    out.push_str(&table(&document.projects));
    out.push_str("<h2>Links</h2>\n");
    out.push_str(&table(&document.links));
    out.push_str("<h2>Who pays and who gains</h2>\n");
    out.push_str(&format!("<p>{}</p>\n", escape(super::document::FIRMS_NOTE)));
    out.push_str(&table(&document.firms));
    out.push_str(&analyses(found));
    out.push_str("<footer>Costs are annual (capital annualised over each asset's life at the park's discount rate); CO2 is net of the virgin material replaced and what products displace. Library sources: src/library/SOURCES.md in ecopark.</footer>\n");
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

//! `report.md`: the report's content for people who keep it in Git, with
//! the figures beside it as files.
//!
//! Every text taken from the plan (the park's name, plants', projects' and
//! links' names and ids, the numbers around them) is escaped
//! ([`escaped`]): a name holding `<script>`, `<img onerror=…>` or
//! `![x](http://…/track.png)` renders as that text, never as HTML, an
//! image fetched from elsewhere, a link or emphasis. The report's own
//! words (headings, analysis captions) are written as Markdown.

use super::document::{Document, Table};
use super::figures::{Analysis, Figure, Shown};

/// `text` as inert Markdown inline text: HTML's `&`, `<`, `>` as entities;
/// the characters that start Markdown syntax (`\`, `` ` ``, `*`, `[`, `]`,
/// `!`, `#`, `|`, `~`, and `_` unless between two letters or digits,
/// where it cannot emphasise) behind a backslash; line breaks as spaces;
/// a leading `-`, `+`, `=` or `>` that would start a list, a heading rule
/// or a quote escaped too, unless the text is a number (`-3.5`).
pub fn escaped(text: &str) -> String {
    let chars: Vec<char> = crate::text::xml_safe(text).chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let word = |at: Option<&char>| at.is_some_and(|c| c.is_alphanumeric());
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '[' | ']' | '!' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(i > 0 && word(chars.get(i - 1)) && word(chars.get(i + 1))) => {
                out.push_str("\\_");
            }
            '-' | '+' | '=' if i == 0 && !starts_a_number(text) => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Whether `text` begins with a signed number (`-3.5 %`, `+1.20`), whose
/// sign is no list marker in a table cell.
fn starts_a_number(text: &str) -> bool {
    text.chars()
        .nth(1)
        .is_some_and(|c| c.is_ascii_digit() || c == '.')
}

fn table(table: &Table) -> String {
    let mut out = format!(
        "| {} |\n|",
        table
            .header
            .iter()
            .map(|h| escaped(h))
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
            row.iter()
                .map(|c| escaped(c))
                .collect::<Vec<_>>()
                .join(" | ")
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
            .map(|f| format!("![{}]({}.{extension})\n\n", escaped(&f.title), f.name))
            .unwrap_or_default()
    };
    let mut out = format!(
        "# {}: circularity plan\n\n{}\n\n",
        escaped(&document.park),
        escaped(&document.status_line)
    );
    out.push_str("| Headline | Value | |\n| --- | ---: | --- |\n");
    for (label, value, note) in &document.headline {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            escaped(label),
            escaped(value),
            escaped(note)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_and_images_in_a_name_are_inert() {
        assert_eq!(
            escaped("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            escaped("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(
            escaped("![x](http://evil.example/track.png)"),
            "\\!\\[x\\](http://evil.example/track.png)"
        );
        assert_eq!(escaped("A & B"), "A &amp; B");
    }

    #[test]
    fn markdown_syntax_is_escaped_and_ordinary_text_kept() {
        assert_eq!(
            escaped("*bold* `code` # | ~x~"),
            "\\*bold\\* \\`code\\` \\# \\| \\~x\\~"
        );
        assert_eq!(escaped("_emphasis_ fly_ash"), "\\_emphasis\\_ fly_ash");
        assert_eq!(escaped("- item"), "\\- item");
        assert_eq!(escaped("+ item"), "\\+ item");
        assert_eq!(escaped("two\nlines"), "two lines");
        assert_eq!(escaped("-3.50"), "-3.50");
        assert_eq!(escaped("+1.2 M CNY/yr"), "+1.2 M CNY/yr");
        assert_eq!(
            escaped("电厂 A (steel-slag), 30 %"),
            "电厂 A (steel-slag), 30 %"
        );
    }
}

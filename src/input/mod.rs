//! Stage 1, parse: reads a park file (TOML, or JSON by extension) into the
//! raw [`ParkFile`] structs.
//!
//! Parsing stops at the first syntax or type error (the file cannot be read
//! past it), but collects *every* unknown field, each with the closest valid
//! field name, so that misspellings are all reported in one run.

pub mod generate;
mod introspect;

pub use introspect::field_names;
mod schema;

pub use schema::*;

use crate::diagnostic::{closest, Issue, Report};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Largest park file accepted, bytes. Real parks are a few kB; a region of
/// ten thousand plants is 7 MB, one of a hundred thousand 68 MB.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// A park file as read from disk, with its text kept for locating entities.
#[derive(Debug, Clone)]
pub struct LoadedPark {
    /// The file as the user named it.
    pub path: String,
    /// The raw contents.
    pub text: String,
    /// The parsed file.
    pub file: ParkFile,
    /// Whether the file is JSON (otherwise TOML).
    pub is_json: bool,
    /// Unknown fields found while parsing, one error each; validation
    /// reports them with everything else it finds.
    pub unknown_fields: Vec<Issue>,
    /// Line of each id, found in one pass over the text when first asked
    /// (a region can have tens of thousands of issues to place).
    id_lines: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
}

impl LoadedPark {
    /// 1-based line where the entity with this id is defined, if it can be found.
    pub fn line_of_id(&self, id: &str) -> Option<usize> {
        self.id_lines
            .get_or_init(|| self.index_id_lines())
            .get(id)
            .copied()
    }

    /// The first line of every `id = "…"` (TOML) or `"id": "…"` (JSON).
    fn index_id_lines(&self) -> std::collections::HashMap<String, usize> {
        let mut lines = std::collections::HashMap::new();
        let key = if self.is_json { "\"id\":\"" } else { "id=\"" };
        for (index, line) in self.text.lines().enumerate() {
            let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
            let mut rest = compact.as_str();
            if !self.is_json && !rest.starts_with(key) {
                continue;
            }
            while let Some(start) = rest.find(key) {
                rest = &rest[start + key.len()..];
                let Some(end) = rest.find('"') else {
                    break;
                };
                lines.entry(rest[..end].to_string()).or_insert(index + 1);
                rest = &rest[end..];
                if !self.is_json {
                    break;
                }
            }
        }
        lines
    }

    /// 1-based line of the first `[name]` table header, if any.
    pub fn line_of_table(&self, name: &str) -> Option<usize> {
        let header = format!("[{name}]");
        let json_key = format!("\"{name}\"");
        self.text
            .lines()
            .position(|line| {
                let line = line.trim_start();
                line.starts_with(&header) || (self.is_json && line.starts_with(&json_key))
            })
            .map(|index| index + 1)
    }
}

/// Reads and parses a park file. On failure (unreadable, not TOML/JSON, a
/// missing field or a wrong type) the report holds every problem found
/// before parsing had to stop; unknown fields do not stop parsing and are
/// kept in [`LoadedPark::unknown_fields`].
pub fn load(path: &Path) -> Result<LoadedPark, Report> {
    let shown = path.display().to_string();
    let mut report = Report::new(&shown);
    let size = match std::fs::metadata(path) {
        Ok(metadata) => metadata.len(),
        Err(error) => {
            report.push(Issue::error("file", "", format!("cannot be read: {error}")));
            return Err(report);
        }
    };
    if size > MAX_FILE_BYTES {
        report.push(Issue::error(
            "file",
            "",
            format!("is {size} bytes; park files are limited to {MAX_FILE_BYTES} bytes"),
        ));
        return Err(report);
    }
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => {
            report.push(Issue::error(
                "file",
                "",
                format!("cannot be read as UTF-8 text: {error}"),
            ));
            return Err(report);
        }
    };
    let is_json = path
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("json"));
    parse(&shown, text, is_json)
}

/// Parses park text; `shown` names the file in messages.
pub fn parse(shown: &str, text: String, is_json: bool) -> Result<LoadedPark, Report> {
    let mut report = Report::new(shown);
    let mut unknown = Vec::new();
    let parsed: Result<ParkFile, Issue> = if is_json {
        let mut deserializer = serde_json::Deserializer::from_str(&text);
        serde_ignored::deserialize(&mut deserializer, |path| unknown.push(segments(&path)))
            .map_err(|error| {
                Issue::error("file", "", format!("is not a valid park file: {error}"))
                    .at_line(Some(error.line()))
            })
            .and_then(|file: ParkFile| {
                deserializer.end().map(|()| file).map_err(|error| {
                    Issue::error("file", "", format!("has trailing content: {error}"))
                })
            })
    } else {
        toml_parse(&text, &mut unknown)
    };
    let file = match parsed {
        Ok(file) => Some(file),
        Err(issue) => {
            report.push(issue);
            None
        }
    };
    for path in &unknown {
        report.push(unknown_field_issue(path, file.as_ref()));
    }
    match file {
        Some(file) => {
            let mut loaded = LoadedPark {
                path: shown.to_string(),
                text,
                file,
                is_json,
                unknown_fields: Vec::new(),
                id_lines: Default::default(),
            };
            for mut issue in report.issues {
                issue.line = issue.line.or_else(|| locate(&loaded, &issue.entity));
                loaded.unknown_fields.push(issue);
            }
            Ok(loaded)
        }
        None => Err(report),
    }
}

fn toml_parse(text: &str, unknown: &mut Vec<Vec<String>>) -> Result<ParkFile, Issue> {
    let to_issue = |error: toml::de::Error| {
        let line = error
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        Issue::error(
            "file",
            "",
            format!("is not a valid park file: {}", error.message().trim()),
        )
        .at_line(line)
    };
    let deserializer = toml::de::Deserializer::parse(text).map_err(to_issue)?;
    serde_ignored::deserialize(deserializer, |path| unknown.push(segments(&path))).map_err(to_issue)
}

/// Line of an entity named as in messages (`waste 'x'`).
fn locate(loaded: &LoadedPark, entity: &str) -> Option<usize> {
    match entity.split_once('\'') {
        Some((_, rest)) => loaded.line_of_id(rest.trim_end_matches('\'')),
        None => loaded.line_of_table(entity.trim_matches(['[', ']'])),
    }
}

/// A serde_ignored path as plain segments (`["waste", "3", "t_per_yer"]`).
fn segments(path: &serde_ignored::Path) -> Vec<String> {
    use serde_ignored::Path as P;
    let mut out = Vec::new();
    let mut current = path;
    loop {
        match current {
            P::Root => break,
            P::Seq { parent, index } => {
                out.push(index.to_string());
                current = parent;
            }
            P::Map { parent, key } => {
                out.push(key.clone());
                current = parent;
            }
            P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
                current = parent
            }
        }
    }
    out.reverse();
    out
}

/// The entity a record belongs to, as named in messages.
pub fn entity_name(table: &str, index: usize, file: Option<&ParkFile>) -> String {
    let id = file.and_then(|file| record_id(file, table, index));
    match id {
        Some(id) => format!("{table} '{id}'"),
        None => format!("{table} #{}", index + 1),
    }
}

fn record_id<'a>(file: &'a ParkFile, table: &str, index: usize) -> Option<&'a str> {
    let id = match table {
        "plant" => &file.plant.get(index)?.id,
        "waste" => &file.waste.get(index)?.id,
        "heat_source" => &file.heat_source.get(index)?.id,
        "heat_demand" => &file.heat_demand.get(index)?.id,
        "material_demand" => &file.material_demand.get(index)?.id,
        "project" => &file.project.get(index)?.id,
        "exclusion_zone" => &file.exclusion_zone.get(index)?.id,
        _ => return None,
    };
    Some(id)
}

/// Field names of the record type behind a top-level table.
fn fields_of_table(table: &str) -> Option<&'static [&'static str]> {
    fn of<T: DeserializeOwned>() -> Option<&'static [&'static str]> {
        introspect::field_names::<T>()
    }
    match table {
        "park" => of::<ParkSection>(),
        "plant" => of::<PlantRecord>(),
        "waste" => of::<WasteRecord>(),
        "heat_source" => of::<HeatSourceRecord>(),
        "heat_demand" => of::<HeatDemandRecord>(),
        "material_demand" => of::<MaterialDemandRecord>(),
        "project" => of::<ProjectRecord>(),
        "exclusion_zone" => of::<ExclusionZoneRecord>(),
        _ => None,
    }
}

fn unknown_field_issue(path: &[String], file: Option<&ParkFile>) -> Issue {
    let (entity, field, known) = match path {
        [field] => (
            "park file".to_string(),
            field.as_str(),
            introspect::field_names::<ParkFile>(),
        ),
        [table, field] => (format!("[{table}]"), field.as_str(), fields_of_table(table)),
        [table, index, field, ..] => {
            let index: usize = index.parse().unwrap_or(0);
            (
                entity_name(table, index, file),
                field.as_str(),
                fields_of_table(table),
            )
        }
        [] => ("park file".to_string(), "", None),
    };
    let known = known.unwrap_or(&[]);
    let mut message = format!("unknown field '{field}'");
    if let Some(best) = closest(field, known.iter().copied()) {
        message.push_str(&format!("; did you mean '{best}'?"));
    }
    if !known.is_empty() {
        message.push_str(&format!(" (valid fields: {})", known.join(", ")));
    }
    Issue::error(entity, "", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[park]
name = "p"
region = "north"

[[plant]]
id = "a"
location = [118.0, 39.0]

[[waste]]
id = "w"
plant = "a"
kind = "fly_ash"
t_per_yer = 5
"#;

    #[test]
    fn every_unknown_field_is_reported_with_a_suggestion() {
        let text = MINIMAL.replace(
            "t_per_yer = 5",
            "t_per_year = 5\nt_per_yer = 5\nplnt = \"a\"",
        );
        let loaded = parse("park.toml", text, false).unwrap();
        let messages: Vec<String> = loaded
            .unknown_fields
            .iter()
            .map(|i| i.to_string())
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        let all = messages.join("\n");
        assert!(
            all.contains("waste 'w': unknown field 't_per_yer'; did you mean 't_per_year'"),
            "{all}"
        );
        assert!(
            all.contains("waste 'w': unknown field 'plnt'; did you mean 'plant'"),
            "{all}"
        );
        assert!(loaded.unknown_fields[0].line.is_some());
    }

    #[test]
    fn missing_field_is_a_parse_error_with_a_line() {
        let report = parse("park.toml", MINIMAL.to_string(), false).unwrap_err();
        let text = report.to_string();
        assert!(text.contains("missing field `t_per_year`"), "{text}");
        assert!(report.issues[0].line.is_some());
    }

    #[test]
    fn json_is_accepted() {
        let json = r#"{"park": {"name": "p", "region": "north"},
            "plant": [{"id": "a", "location": [118.0, 39.0]}]}"#;
        let loaded = parse("park.json", json.to_string(), true).unwrap();
        assert_eq!(loaded.file.plant[0].id, "a");
        assert_eq!(loaded.line_of_id("a"), Some(2));
    }
}

//! Stage 1, parse: reads a park file (TOML, or JSON by extension) into the
//! raw [`ParkFile`] structs.
//!
//! Parsing stops at the first syntax or type error (the file cannot be read
//! past it), but collects *every* unknown field, each with the closest valid
//! field name, so that misspellings are all reported in one run.

pub use crate::fields::field_names;
mod schema;

pub use schema::*;

use crate::diagnostic::{closest, Issue, Report};
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::io::Read;
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
}

impl LoadedPark {
    /// Where the file's entities are, for attaching lines to issues.
    pub fn entity_lines(&self) -> EntityLines {
        EntityLines::new(&self.text, self.is_json)
    }
}

/// The line of every id and table header of a park file, found in one pass
/// over its text, so that placing every issue of a large file stays linear
/// in its size.
#[derive(Debug, Clone, Default)]
pub struct EntityLines {
    /// 1-based line where each id is first given (`id = "x"` in TOML,
    /// `"id": "x"` in JSON).
    ids: HashMap<String, usize>,
    /// 1-based line of each table's first header (`[name]` in TOML, a line
    /// starting with the key `"name"` in JSON).
    tables: HashMap<String, usize>,
}

impl EntityLines {
    fn new(text: &str, is_json: bool) -> EntityLines {
        let mut lines = EntityLines::default();
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            let trimmed = line.trim_start();
            let table = if is_json {
                trimmed
                    .strip_prefix('"')
                    .and_then(|rest| rest.split_once('"'))
            } else {
                trimmed
                    .strip_prefix('[')
                    .filter(|rest| !rest.starts_with('['))
                    .and_then(|rest| rest.split_once(']'))
            };
            if let Some((name, _)) = table {
                lines.tables.entry(name.to_string()).or_insert(number);
            }
            if !line.contains("id") {
                continue;
            }
            let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
            if is_json {
                for (at, key) in compact.match_indices("\"id\":\"") {
                    lines.add_id(&compact[at + key.len()..], number);
                }
            } else if let Some(rest) = compact.strip_prefix("id=\"") {
                lines.add_id(rest, number);
            }
        }
        lines
    }

    /// Records the id that starts `rest` (up to its closing quote).
    fn add_id(&mut self, rest: &str, number: usize) {
        if let Some((id, _)) = rest.split_once('"') {
            self.ids.entry(id.to_string()).or_insert(number);
        }
    }

    /// 1-based line of an entity named as in messages: `kind 'id'` by its
    /// id, `[table]` or `[library.table]` by its header.
    pub fn of_entity(&self, entity: &str) -> Option<usize> {
        if let Some((_, rest)) = entity.split_once('\'') {
            let id = rest.split('\'').next().unwrap_or_default();
            return self.ids.get(id).copied();
        }
        let table = entity
            .trim_start_matches('[')
            .trim_start_matches("library.")
            .split(']')
            .next()
            .unwrap_or_default();
        self.tables.get(table).copied()
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
    if let Some(issue) = size_issue(size) {
        report.push(issue);
        return Err(report);
    }
    // Bounded even when the size was not known beforehand (a pipe, a device
    // such as /dev/zero, a file still growing): one byte past the limit is
    // enough to reject it.
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path)
        .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes));
    if let Err(error) = read {
        report.push(Issue::error("file", "", format!("cannot be read: {error}")));
        return Err(report);
    }
    let is_json = path
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("json"));
    parse_bytes(&shown, &bytes, is_json)
}

/// The error for a park file of `size` bytes, if it is over [`MAX_FILE_BYTES`].
fn size_issue(size: u64) -> Option<Issue> {
    (size > MAX_FILE_BYTES).then(|| {
        Issue::error(
            "file",
            "",
            format!("is at least {size} bytes; park files are limited to {MAX_FILE_BYTES} bytes"),
        )
    })
}

/// Parses a park file's raw contents, as [`load`] does once it has read
/// them: checks the size limit and UTF-8, then [`parse`]s. `shown` names the
/// file in messages. Any bytes at all give a park or a report, never a panic.
pub fn parse_bytes(shown: &str, bytes: &[u8], is_json: bool) -> Result<LoadedPark, Report> {
    let mut report = Report::new(shown);
    if let Some(issue) = size_issue(u64::try_from(bytes.len()).unwrap_or(u64::MAX)) {
        report.push(issue);
        return Err(report);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(shown, text.to_string(), is_json),
        Err(error) => {
            let line = bytes[..error.valid_up_to()]
                .iter()
                .filter(|byte| **byte == b'\n')
                .count()
                + 1;
            report.push(
                Issue::error("file", "", format!("cannot be read as UTF-8 text: {error}"))
                    .at_line(Some(line)),
            );
            Err(report)
        }
    }
}

/// Parses park text; `shown` names the file in messages.
pub fn parse(shown: &str, text: String, is_json: bool) -> Result<LoadedPark, Report> {
    let mut report = Report::new(shown);
    let mut unknown = Vec::new();
    let parsed = if is_json {
        json_parse(&text, &mut unknown)
    } else {
        toml_parse(&text, &mut unknown)
    };
    let ids = match (&parsed, unknown.is_empty()) {
        (Ok(_), true) => RawIds(None),
        _ => RawIds::read(&text, is_json),
    };
    let file = match parsed {
        Ok(file) => Some(file),
        Err(stop) => {
            report.push(stop.issue(&ids));
            None
        }
    };
    for path in &unknown {
        report.push(unknown_field_issue(path, &ids));
    }
    match file {
        Some(file) => {
            let mut loaded = LoadedPark {
                path: shown.to_string(),
                text,
                file,
                is_json,
                unknown_fields: Vec::new(),
            };
            let lines = loaded.entity_lines();
            for mut issue in report.issues {
                issue.line = issue.line.or_else(|| lines.of_entity(&issue.entity));
                loaded.unknown_fields.push(issue);
            }
            Ok(loaded)
        }
        None => Err(report),
    }
}

/// Where and why parsing had to stop.
struct Stop {
    /// Path to the value at fault (`["waste", "0", "t_per_year"]`); empty
    /// for a syntax error.
    path: Vec<String>,
    /// What is wrong.
    message: String,
    /// 1-based line, when known.
    line: Option<usize>,
}

impl Stop {
    /// A stop at the value a deserialisation error points to.
    fn at(path: &serde_path_to_error::Path, message: String, line: Option<usize>) -> Stop {
        let (path, message) = error_at(path, &message);
        Stop {
            path,
            message,
            line,
        }
    }

    /// The issue, naming the entity and field where there is a path.
    fn issue(self, ids: &RawIds) -> Issue {
        if self.path.is_empty() {
            let message = format!("is not a valid park file: {}", self.message);
            return Issue::error("file", "", message).at_line(self.line);
        }
        let (entity, field) = place(&self.path, ids);
        Issue::error(entity, field, self.message).at_line(self.line)
    }
}

/// A deserialisation error's path as plain segments and its message as
/// said of the field; a missing field moves from the message to the end of
/// the path, so that it is named as the field: (`["waste", "0"]`, "missing
/// field `kind`") becomes (`["waste", "0", "kind"]`, "is required but
/// missing").
pub(crate) fn error_at(path: &serde_path_to_error::Path, message: &str) -> (Vec<String>, String) {
    use serde_path_to_error::Segment;
    let mut segments: Vec<String> = path
        .iter()
        .map(|segment| match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => "?".to_string(),
        })
        .collect();
    let message = message.trim();
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'));
    match missing {
        Some(field) => {
            segments.push(field.to_string());
            (segments, "is required but missing".to_string())
        }
        None if segments.is_empty() => (segments, message.to_string()),
        None => (segments, format!("is not valid: {message}")),
    }
}

fn json_parse(text: &str, unknown: &mut Vec<Vec<String>>) -> Result<ParkFile, Stop> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let mut callback = |path: serde_ignored::Path| unknown.push(segments(&path));
    let file: ParkFile = serde_path_to_error::deserialize(serde_ignored::Deserializer::new(
        &mut deserializer,
        &mut callback,
    ))
    .map_err(|error| {
        let line = Some(error.inner().line()).filter(|line| *line > 0);
        Stop::at(error.path(), error.inner().to_string(), line)
    })?;
    deserializer.end().map_err(|error| Stop {
        path: Vec::new(),
        message: format!("trailing content: {error}"),
        line: Some(error.line()),
    })?;
    Ok(file)
}

fn toml_parse(text: &str, unknown: &mut Vec<Vec<String>>) -> Result<ParkFile, Stop> {
    let line_of = |error: &toml::de::Error| {
        error.span().map(|span| {
            let before = &text.as_bytes()[..span.start.min(text.len())];
            before.iter().filter(|byte| **byte == b'\n').count() + 1
        })
    };
    let deserializer = toml::de::Deserializer::parse(text).map_err(|error| Stop {
        path: Vec::new(),
        message: error.message().trim().to_string(),
        line: line_of(&error),
    })?;
    let mut callback = |path: serde_ignored::Path| unknown.push(segments(&path));
    serde_path_to_error::deserialize(serde_ignored::Deserializer::new(
        deserializer,
        &mut callback,
    ))
    .map_err(|error| {
        let line = line_of(error.inner());
        Stop::at(error.path(), error.inner().message().to_string(), line)
    })
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

/// Records' ids read from the text as plain TOML or JSON, to name records
/// in messages about fields that stopped the park file from parsing.
struct RawIds(Option<serde_json::Value>);

impl RawIds {
    fn read(text: &str, is_json: bool) -> RawIds {
        let value = if is_json {
            serde_json::from_str(text).ok()
        } else {
            text.parse::<toml::Table>()
                .ok()
                .and_then(|table| serde_json::to_value(table).ok())
        };
        RawIds(value)
    }

    /// The id of record `index` of `table`, if it has a string id.
    fn get(&self, table: &str, index: usize) -> Option<&str> {
        self.0.as_ref()?.get(table)?.get(index)?.get("id")?.as_str()
    }
}

/// The entity and field a path into the park file names, as in messages:
/// `["waste", "3", "t_per_year"]` is (`waste 'id'`, or `waste #4` without
/// an id, `t_per_year`); `["park", "boundary", "2"]` is (`[park]`,
/// `boundary`); `["plant"]` is (`park file`, `plant`).
fn place(path: &[String], ids: &RawIds) -> (String, String) {
    let (table, rest) = match path {
        [] => return ("park file".to_string(), String::new()),
        [field] => return ("park file".to_string(), field.clone()),
        [table, rest @ ..] => (table, rest),
    };
    let record = rest
        .split_first()
        .and_then(|(index, fields)| Some((index.parse::<usize>().ok()?, fields)));
    match record {
        Some((index, fields)) => {
            let entity = match ids.get(table, index) {
                Some(id) => format!("{table} '{id}'"),
                None => format!("{table} #{}", index + 1),
            };
            (entity, fields.first().cloned().unwrap_or_default())
        }
        None => (format!("[{table}]"), rest[0].clone()),
    }
}

/// Field names of the record type behind a top-level table.
fn fields_of_table(table: &str) -> Option<&'static [&'static str]> {
    fn of<T: DeserializeOwned>() -> Option<&'static [&'static str]> {
        field_names::<T>()
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

fn unknown_field_issue(path: &[String], ids: &RawIds) -> Issue {
    let (entity, field) = place(path, ids);
    let known = match path {
        [_] => field_names::<ParkFile>(),
        [table, ..] => fields_of_table(table),
        [] => None,
    };
    let known = known.unwrap_or(&[]);
    let mut message = format!("unknown field '{field}'");
    if let Some(best) = closest(&field, known.iter().copied()) {
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
    fn missing_field_is_a_parse_error_naming_entity_field_and_line() {
        let report = parse("park.toml", MINIMAL.to_string(), false).unwrap_err();
        let text = report.to_string();
        assert!(
            text.contains("waste 'w': t_per_year is required but missing"),
            "{text}"
        );
        assert!(report.issues[0].line.is_some());
    }

    #[test]
    fn json_is_accepted() {
        let json = r#"{"park": {"name": "p", "region": "north"},
            "plant": [{"id": "a", "location": [118.0, 39.0]}]}"#;
        let loaded = parse("park.json", json.to_string(), true).unwrap();
        assert_eq!(loaded.file.plant[0].id, "a");
        assert_eq!(loaded.entity_lines().of_entity("plant 'a'"), Some(2));
    }
}

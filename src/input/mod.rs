//! Stage 1, parse: reads a park file (TOML, or JSON by extension) into the
//! raw [`ParkFile`] structs.
//!
//! Parsing stops at the first syntax or type error (the file cannot be read
//! past it), but collects *every* unknown field, each with the closest valid
//! field name, so that misspellings are all reported in one run.

pub use crate::fields::field_names;
mod schema;

pub use schema::*;

use crate::diagnostic::{closest, Diagnostics, Entity, Issue};
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// Largest park file accepted, bytes. Real parks are a few kB; a region of
/// ten thousand plants is 7 MB, one of a hundred thousand 68 MB.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Why a file of the user's could not be read whole.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A directory, a named pipe, a device: reading it could block forever
    /// (a pipe with no writer) or never end (`/dev/zero`).
    #[error(
        "is not a regular file (a directory, a named pipe or a device); give the path of a file"
    )]
    NotAFile,
    /// Larger than the cap.
    #[error("is at least {size} bytes; {what} are limited to {limit} bytes")]
    TooLarge {
        /// Bytes found (at least).
        size: u64,
        /// What kind of file, plural ("park files").
        what: &'static str,
        /// The cap, bytes.
        limit: u64,
    },
    /// The operating system refused.
    #[error("cannot be read: {0}")]
    Io(std::io::Error),
}

/// The bytes of the regular file at `path` if it has at most `limit` bytes
/// (`what` names such files in the message). The file's kind and size are
/// checked before it is opened, and the reading stops one byte past the
/// limit even when the file grows meanwhile.
pub fn read_regular_file(
    path: &Path,
    limit: u64,
    what: &'static str,
) -> Result<Vec<u8>, ReadError> {
    let metadata = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !metadata.is_file() {
        return Err(ReadError::NotAFile);
    }
    let too_large = |size: u64| ReadError::TooLarge { size, what, limit };
    if metadata.len() > limit {
        return Err(too_large(metadata.len()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(limit + 1).read_to_end(&mut bytes))
        .map_err(ReadError::Io)?;
    if u64::try_from(bytes.len()).map_or(true, |read| read > limit) {
        return Err(too_large(limit + 1));
    }
    Ok(bytes)
}

/// The syntax of a park file, chosen by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML, the format parks are written in.
    Toml,
    /// JSON (a `.json` file), for files written by other programs.
    Json,
}

impl Format {
    /// JSON for a `.json` extension (any case), TOML otherwise.
    pub fn of_path(path: &Path) -> Format {
        let json = path
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("json"));
        if json {
            Format::Json
        } else {
            Format::Toml
        }
    }
}

/// A park file as read from disk, with where its entities are.
#[derive(Debug, Clone)]
pub struct LoadedPark {
    /// The file as the user named it.
    pub path: String,
    /// The raw contents.
    pub text: String,
    /// The parsed file.
    pub file: ParkFile,
    /// TOML or JSON.
    pub format: Format,
    /// The line of each entity, for attaching lines to issues.
    pub lines: EntityLines,
    /// Unknown fields found while parsing, one error each; validation
    /// reports them with everything else it finds.
    pub unknown_fields: Vec<Issue>,
}

/// The line of every record and table of a park file, found once, so that
/// placing every issue of a large file stays linear in its size.
///
/// In TOML they come from the parser's spans: a record is found by its
/// table and id whatever characters the id holds, a table by its dotted
/// path. JSON has no spans in serde_json, so there a text scan finds the
/// first line `"id": "x"` for an id and the first line starting with the
/// key `"name"` for a table, which is right for the files other programs
/// write (one key a line).
#[derive(Debug, Clone, Default)]
pub struct EntityLines {
    /// 1-based line of each record's id, by table and id (TOML).
    records: HashMap<(String, String), usize>,
    /// 1-based line where each id is first given, in any table (JSON).
    ids: HashMap<String, usize>,
    /// 1-based line of each table: by dotted path (TOML), by key (JSON).
    tables: HashMap<String, usize>,
}

impl EntityLines {
    /// The lines of a TOML document from its spans.
    fn of_toml(text: &str, root: &toml::de::DeTable) -> EntityLines {
        let mut lines = EntityLines::default();
        let line_of = LineIndex::new(text);
        lines.add_toml_table(&line_of, &mut Vec::new(), root);
        lines
    }

    fn add_toml_table<'a>(
        &mut self,
        line_of: &LineIndex,
        path: &mut Vec<&'a str>,
        table: &'a toml::de::DeTable,
    ) {
        use toml::de::DeValue;
        for (key, value) in table {
            path.push(key.get_ref());
            match value.get_ref() {
                DeValue::Table(inner) => {
                    let line = line_of.line(key.span().start);
                    self.tables.entry(path.join(".")).or_insert(line);
                    self.add_toml_table(line_of, path, inner);
                }
                DeValue::Array(records) => {
                    for id in records
                        .iter()
                        .filter_map(|record| record.get_ref().get("id"))
                    {
                        if let DeValue::String(text) = id.get_ref() {
                            let line = line_of.line(id.span().start);
                            self.records
                                .entry((path.join("."), text.to_string()))
                                .or_insert(line);
                        }
                    }
                }
                _ => {}
            }
            path.pop();
        }
    }

    /// The lines of a JSON document from a scan of its text.
    fn of_json(text: &str) -> EntityLines {
        let mut lines = EntityLines::default();
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            let key = line
                .trim_start()
                .strip_prefix('"')
                .and_then(|rest| rest.split_once('"'));
            if let Some((name, _)) = key {
                lines.tables.entry(name.to_string()).or_insert(number);
            }
            if !line.contains("id") {
                continue;
            }
            let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
            for (at, key) in compact.match_indices("\"id\":\"") {
                if let Some((id, _)) = compact[at + key.len()..].split_once('"') {
                    lines.ids.entry(id.to_string()).or_insert(number);
                }
            }
        }
        lines
    }

    /// 1-based line of an entity: a record by its id, a table by its
    /// header (a library table also by the top-level table merged into it,
    /// as `[transport.truck]` is into `[library.transport.truck]`).
    pub fn of_entity(&self, entity: &Entity) -> Option<usize> {
        match entity {
            Entity::Record { table, id } => self
                .records
                .get(&(table.clone(), id.clone()))
                .or_else(|| self.ids.get(id))
                .copied(),
            Entity::Table(path) => {
                let of = |path: &[String]| self.tables.get(&path.join(".")).copied();
                of(path).or_else(|| match path.split_first() {
                    Some((first, rest)) if first == "library" => of(rest),
                    _ => None,
                })
            }
            _ => None,
        }
    }
}

/// Byte offsets to 1-based line numbers, by binary search over the offsets
/// where lines start.
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        LineIndex(starts)
    }

    /// The 1-based line holding byte `offset`.
    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|start| *start <= offset)
    }
}

/// Reads and parses a park file. On failure (unreadable, not TOML/JSON, a
/// missing field or a wrong type) the report holds every problem found
/// before parsing had to stop; unknown fields do not stop parsing and are
/// kept in [`LoadedPark::unknown_fields`].
pub fn load(path: &Path) -> Result<LoadedPark, Diagnostics> {
    let shown = path.display().to_string();
    match read_regular_file(path, MAX_FILE_BYTES, PARK_FILES) {
        Ok(bytes) => parse_bytes(&shown, &bytes, Format::of_path(path)),
        Err(error) => {
            let mut report = Diagnostics::new(&shown);
            report.push(Issue::error(Entity::File, "", error.to_string()));
            Err(report)
        }
    }
}

/// Park files, as the size cap's message names them.
const PARK_FILES: &str = "park files";

/// The error for a park file of `size` bytes, if it is over [`MAX_FILE_BYTES`].
fn size_issue(size: u64) -> Option<Issue> {
    (size > MAX_FILE_BYTES).then(|| {
        let error = ReadError::TooLarge {
            size,
            what: PARK_FILES,
            limit: MAX_FILE_BYTES,
        };
        Issue::error(Entity::File, "", error.to_string())
    })
}

/// Parses a park file's raw contents, as [`load`] does once it has read
/// them: checks the size limit and UTF-8, then [`parse`]s. `shown` names the
/// file in messages. Any bytes at all give a park or a report, never a panic.
pub fn parse_bytes(shown: &str, bytes: &[u8], format: Format) -> Result<LoadedPark, Diagnostics> {
    let mut report = Diagnostics::new(shown);
    if let Some(issue) = size_issue(u64::try_from(bytes.len()).unwrap_or(u64::MAX)) {
        report.push(issue);
        return Err(report);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(shown, text.to_string(), format),
        Err(error) => {
            let line = bytes[..error.valid_up_to()]
                .iter()
                .filter(|byte| **byte == b'\n')
                .count()
                + 1;
            report.push(
                Issue::error(
                    Entity::File,
                    "",
                    format!("cannot be read as UTF-8 text: {error}"),
                )
                .at_line(Some(line)),
            );
            Err(report)
        }
    }
}

/// Parses park text; `shown` names the file in messages.
pub fn parse(shown: &str, text: String, format: Format) -> Result<LoadedPark, Diagnostics> {
    let mut report = Diagnostics::new(shown);
    let mut unknown = Vec::new();
    let parsed = match format {
        Format::Json => json_parse(&text, &mut unknown),
        Format::Toml => toml_parse(&text, &mut unknown),
    };
    let ids = match (&parsed, unknown.is_empty()) {
        (Ok(_), true) => RawIds(None),
        _ => RawIds::read(&text, format),
    };
    let file = match parsed {
        Ok(parsed) => Some(parsed),
        Err(stop) => {
            report.push(stop.issue(&ids));
            None
        }
    };
    for path in &unknown {
        report.push(unknown_field_issue(path, &ids));
    }
    match file {
        Some((file, lines)) => {
            let unknown_fields = report
                .issues
                .into_iter()
                .map(|mut issue| {
                    issue.line = issue.line.or_else(|| lines.of_entity(&issue.entity));
                    issue
                })
                .collect();
            Ok(LoadedPark {
                path: shown.to_string(),
                text,
                file,
                format,
                lines,
                unknown_fields,
            })
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
            return Issue::error(Entity::File, "", message).at_line(self.line);
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

fn json_parse(text: &str, unknown: &mut Vec<Vec<String>>) -> Result<(ParkFile, EntityLines), Stop> {
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
    Ok((file, EntityLines::of_json(text)))
}

fn toml_parse(text: &str, unknown: &mut Vec<Vec<String>>) -> Result<(ParkFile, EntityLines), Stop> {
    let line_of = |error: &toml::de::Error| {
        error.span().map(|span| {
            let before = &text.as_bytes()[..span.start.min(text.len())];
            before.iter().filter(|byte| **byte == b'\n').count() + 1
        })
    };
    let root = toml::de::DeTable::parse(text).map_err(|error| Stop {
        path: Vec::new(),
        message: error.message().trim().to_string(),
        line: line_of(&error),
    })?;
    let lines = EntityLines::of_toml(text, root.get_ref());
    let mut callback = |path: serde_ignored::Path| unknown.push(segments(&path));
    let file = serde_path_to_error::deserialize(serde_ignored::Deserializer::new(
        toml::de::Deserializer::from(root),
        &mut callback,
    ))
    .map_err(|error| {
        let line = line_of(error.inner());
        Stop::at(error.path(), error.inner().message().to_string(), line)
    })?;
    Ok((file, lines))
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
    fn read(text: &str, format: Format) -> RawIds {
        let value = match format {
            Format::Json => serde_json::from_str(text).ok(),
            Format::Toml => text
                .parse::<toml::Table>()
                .ok()
                .and_then(|table| serde_json::to_value(table).ok()),
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
fn place(path: &[String], ids: &RawIds) -> (Entity, String) {
    let (table, rest) = match path {
        [] => return (Entity::TopLevel, String::new()),
        [field] => return (Entity::TopLevel, field.clone()),
        [table, rest @ ..] => (table, rest),
    };
    let record = rest
        .split_first()
        .and_then(|(index, fields)| Some((index.parse::<usize>().ok()?, fields)));
    match record {
        Some((index, fields)) => {
            let entity = match ids.get(table, index) {
                Some(id) => Entity::record(table, id),
                None => Entity::Numbered {
                    table: table.clone(),
                    number: index + 1,
                },
            };
            (entity, fields.first().cloned().unwrap_or_default())
        }
        None => (Entity::Table(vec![table.clone()]), rest[0].clone()),
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
        let loaded = parse("park.toml", text, Format::Toml).unwrap();
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
        let report = parse("park.toml", MINIMAL.to_string(), Format::Toml).unwrap_err();
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
        let loaded = parse("park.json", json.to_string(), Format::Json).unwrap();
        assert_eq!(loaded.file.plant[0].id, "a");
        assert_eq!(
            loaded.lines.of_entity(&Entity::record("plant", "a")),
            Some(2)
        );
    }

    #[test]
    fn toml_entities_are_found_by_table_and_id_whatever_the_id_holds() {
        let text = MINIMAL
            .replace("id = \"a\"", "id = 'it\"s [a]'")
            .replace("plant = \"a\"", "plant = 'it\"s [a]'")
            .replace("t_per_yer = 5", "t_per_year = 5")
            + "\n[[project]]\nid = \"w\"\n\n[library.waste_kind.fly_ash]\nx = 1\n";
        let lines = EntityLines::of_toml(&text, toml::de::DeTable::parse(&text).unwrap().get_ref());
        let line = |entity: Entity| lines.of_entity(&entity);
        assert_eq!(line(Entity::record("plant", "it\"s [a]")), Some(7));
        assert_eq!(line(Entity::record("waste", "w")), Some(11));
        assert_eq!(line(Entity::record("project", "w")), Some(17));
        assert_eq!(line(Entity::record("waste", "it\"s [a]")), None);
        assert_eq!(line(Entity::table(["park"])), Some(2));
        assert_eq!(
            line(Entity::table(["library", "waste_kind", "fly_ash"])),
            Some(19)
        );
        assert_eq!(line(Entity::File), None);
    }
}

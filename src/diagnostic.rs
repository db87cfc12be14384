//! Problems found in a user's files, collected rather than thrown.
//!
//! Parsing and validation gather every problem they find into
//! [`Diagnostics`] so that a user fixes a park file in one pass, not one
//! error per run. Each [`Issue`] names the file, the line where it can be
//! found, the [`Entity`] and the field, and says what is wrong in the
//! field's own units. Shown, a user's text is cut when long and its
//! control characters escaped ([`crate::text`]). The entity is a value, not text: the parse stage
//! finds its line from the parser's spans by its table and id, so an id
//! holding a quote or a bracket is found like any other.

use crate::text::{cut, printable, MAX_ID_CHARS};
use serde::Serialize;
use std::fmt;

/// How serious an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The park cannot be solved until this is fixed.
    Error,
    /// The park can be solved, but the result may not be what was meant.
    Warning,
}

/// What an issue is about, shown as a user would name it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    /// The file as a whole (unreadable, too large, not UTF-8, bad syntax):
    /// `file`.
    File,
    /// A field at the top level of a park file: `park file`.
    TopLevel,
    /// A table by its dotted path: `[park]`, `[transport.truck]`,
    /// `[library.waste_kind.fly_ash]`.
    Table(Vec<String>),
    /// A record of an array of tables by its id: `waste 'steel-slag'`.
    Record {
        /// The array's name (`waste`, `plant`, …).
        table: String,
        /// The record's id.
        id: String,
    },
    /// A record whose id could not be read, by its 1-based position:
    /// `waste #4`.
    Numbered {
        /// The array's name.
        table: String,
        /// 1-based position in the file.
        number: usize,
    },
    /// A record whose id is empty: `a [[waste]]`.
    Unnamed {
        /// The array's name.
        table: String,
    },
    /// A word of a line-based file (a batch list's token): `'name=x'`.
    Token(String),
    /// A line of a line-based file as a whole; shown by its line number
    /// only, so its name is empty.
    Line,
}

impl Entity {
    /// A record by its table and id.
    pub fn record(table: &str, id: &str) -> Entity {
        Entity::Record {
            table: table.to_string(),
            id: id.to_string(),
        }
    }

    /// An entry of a library table: `[library.waste_kind.fly_ash]`.
    pub fn library(table: &str, id: &str) -> Entity {
        Entity::table(["library", table, id])
    }

    /// A table by the segments of its dotted path.
    pub fn table<'a>(path: impl IntoIterator<Item = &'a str>) -> Entity {
        Entity::Table(path.into_iter().map(str::to_string).collect())
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Entity::File => f.write_str("file"),
            Entity::TopLevel => f.write_str("park file"),
            Entity::Table(path) => {
                let segments: Vec<String> = path.iter().map(|segment| shown(segment)).collect();
                write!(f, "[{}]", segments.join("."))
            }
            Entity::Record { table, id } => write!(f, "{table} '{}'", shown(id)),
            Entity::Numbered { table, number } => write!(f, "{table} #{number}"),
            Entity::Unnamed { table } => write!(f, "a [[{table}]]"),
            Entity::Token(token) => write!(f, "'{}'", shown(token)),
            Entity::Line => Ok(()),
        }
    }
}

/// The most characters of an issue's message shown: enough for any
/// message with its suggestions, and a bound on one that quotes a huge
/// value of the user's (a 100,000-character material name).
const MAX_MESSAGE_CHARS: usize = 4_096;

/// An id of the user's quoted in a message: cut when longer than any valid
/// id, its control characters escaped (an id over the length limit or
/// holding an escape sequence is reported, not reproduced).
fn shown(text: &str) -> String {
    printable(&cut(text, MAX_ID_CHARS)).into_owned()
}

/// An issue's entity from a borrowed one, so that one entity serves the
/// issues of all its fields.
impl From<&Entity> for Entity {
    fn from(entity: &Entity) -> Entity {
        entity.clone()
    }
}

/// Written as it is shown (`"waste 'steel-slag'"`), so machine-readable
/// issues read like printed ones.
impl Serialize for Entity {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// One problem in a park file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issue {
    /// Error or warning.
    pub severity: Severity,
    /// What the issue is about.
    pub entity: Entity,
    /// The field concerned, empty when the issue is about the whole entity.
    pub field: String,
    /// What is wrong and, where possible, what to write instead.
    pub message: String,
    /// 1-based line in the file where the entity or field was found.
    pub line: Option<usize>,
}

impl Issue {
    /// An error about `field` of `entity`.
    pub fn error(
        entity: impl Into<Entity>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Issue {
        Issue {
            severity: Severity::Error,
            entity: entity.into(),
            field: field.into(),
            message: message.into(),
            line: None,
        }
    }

    /// A warning about `field` of `entity`.
    pub fn warning(
        entity: impl Into<Entity>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Issue {
        Issue {
            severity: Severity::Warning,
            ..Issue::error(entity, field, message)
        }
    }

    /// The issue with a line number attached.
    pub fn at_line(mut self, line: Option<usize>) -> Issue {
        self.line = self.line.or(line);
        self
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        write!(f, "{label}: {}", self.entity)?;
        if !self.field.is_empty() {
            write!(f, ": {}", printable(&self.field))?;
            f.write_str(" ")?;
        } else {
            f.write_str(": ")?;
        }
        f.write_str(&printable(&cut(&self.message, MAX_MESSAGE_CHARS)))
    }
}

/// Every issue found in one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Diagnostics {
    /// The file the issues are about, as the user named it.
    pub file: String,
    /// The issues, errors first, then in file order.
    pub issues: Vec<Issue>,
}

impl Diagnostics {
    /// No issues yet about `file`.
    pub fn new(file: impl Into<String>) -> Diagnostics {
        Diagnostics {
            file: file.into(),
            issues: Vec::new(),
        }
    }

    /// Adds an issue.
    pub fn push(&mut self, issue: Issue) {
        self.issues.push(issue);
    }

    /// Whether any issue is an error.
    pub fn has_errors(&self) -> bool {
        self.issues
            .iter()
            .any(|issue| issue.severity == Severity::Error)
    }

    /// The number of errors.
    pub fn error_count(&self) -> usize {
        self.issues
            .iter()
            .filter(|issue| issue.severity == Severity::Error)
            .count()
    }

    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.issues
            .iter()
            .filter(|issue| issue.severity == Severity::Warning)
    }

    /// Sorts errors before warnings, then by line, keeping the order of
    /// discovery among equals.
    pub fn sort(&mut self) {
        self.issues
            .sort_by_key(|issue| (issue.severity, issue.line.unwrap_or(usize::MAX)));
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = printable(&self.file);
        for issue in &self.issues {
            writeln!(f, "{file}: {issue}")?;
        }
        let errors = self.error_count();
        let warnings = self.issues.len() - errors;
        write!(f, "{file}: {errors} error(s), {warnings} warning(s)")
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be what
/// the user meant.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, candidate)| candidate)
}

/// How many known names a message lists at most; the rest are counted.
const LISTED_NAMES: usize = 20;

/// How many name comparisons one [`KnownNames`] spends on suggestions in
/// all, about a tenth of a second.
const SUGGESTION_COMPARISONS: usize = 2_000_000;

/// The known names of one kind (plants, waste kinds, …) that a reference
/// must match, for "unknown X 'word'; did you mean 'y'?" messages.
///
/// Finding the closest name compares the word with every known name, so a
/// file full of unknown references into a large set of names would take
/// time quadratic in its size. One set therefore spends at most
/// `SUGGESTION_COMPARISONS` comparisons on suggestions; past that,
/// messages still name the unknown word and list known names, without a
/// suggestion. Messages list at most `LISTED_NAMES` known names.
#[derive(Debug, Clone)]
pub struct KnownNames<'a> {
    what: &'a str,
    names: Vec<&'a str>,
    comparisons_left: usize,
}

impl<'a> KnownNames<'a> {
    /// The names `names`, of things called `what` in messages.
    pub fn new(what: &'a str, names: Vec<&'a str>) -> KnownNames<'a> {
        KnownNames {
            what,
            names,
            comparisons_left: SUGGESTION_COMPARISONS,
        }
    }

    /// "unknown X 'word'; did you mean 'y'? (known: a, b, c)" for a word
    /// not among the names.
    pub fn unknown(&mut self, word: &str) -> String {
        let mut message = format!("unknown {} '{}'", self.what, shown(word));
        // A word longer than any id is no misspelling of one (and comparing
        // a huge one with every name would take long).
        let comparable = word.chars().nth(MAX_ID_CHARS).is_none();
        if comparable && self.comparisons_left >= self.names.len() {
            self.comparisons_left -= self.names.len();
            if let Some(best) = closest(word, self.names.iter().copied()) {
                message.push_str(&format!("; did you mean '{best}'?"));
            }
        }
        let listed = &self.names[..self.names.len().min(LISTED_NAMES)];
        message.push_str(&format!(" (known: {}", listed.join(", ")));
        if self.names.len() > listed.len() {
            message.push_str(&format!(" and {} more", self.names.len() - listed.len()));
        }
        message.push(')');
        message
    }
}

/// [`KnownNames::unknown`] for a single message.
pub fn unknown_name(what: &str, word: &str, known: &[&str]) -> String {
    KnownNames::new(what, known.to_vec()).unknown(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_known_name() {
        assert_eq!(
            closest("flyash", ["fly_ash", "bf_slag", "red_mud"]),
            Some("fly_ash")
        );
        assert_eq!(
            closest("t_per_yer", ["t_per_year", "plant", "kind"]),
            Some("t_per_year")
        );
        assert_eq!(closest("zzzz", ["fly_ash", "bf_slag"]), None);
    }

    #[test]
    fn issue_reads_as_entity_field_message() {
        let issue = Issue::error(
            Entity::record("waste", "steel-slag"),
            "t_per_year",
            "must be a finite number ≥ 0, got -5",
        )
        .at_line(Some(12));
        assert_eq!(
            issue.to_string(),
            "line 12: error: waste 'steel-slag': t_per_year must be a finite number ≥ 0, got -5"
        );
    }

    #[test]
    fn entities_read_as_a_user_names_them() {
        let shown = [
            (Entity::File, "file"),
            (Entity::TopLevel, "park file"),
            (Entity::table(["park"]), "[park]"),
            (
                Entity::table(["library", "waste_kind", "fly_ash"]),
                "[library.waste_kind.fly_ash]",
            ),
            (Entity::record("waste", "it's"), "waste 'it's'"),
            (
                Entity::Numbered {
                    table: "plant".into(),
                    number: 4,
                },
                "plant #4",
            ),
            (
                Entity::Unnamed {
                    table: "project".into(),
                },
                "a [[project]]",
            ),
            (Entity::Token("a=b".into()), "'a=b'"),
            (Entity::Line, ""),
        ];
        for (entity, text) in shown {
            assert_eq!(entity.to_string(), text);
            assert_eq!(
                serde_json::to_string(&entity).unwrap(),
                serde_json::to_string(text).unwrap()
            );
        }
    }

    #[test]
    fn long_name_lists_are_cut() {
        let names: Vec<String> = (0..25).map(|i| format!("plant-{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let message = unknown_name("plant", "plant-x", &names);
        assert!(message.contains("plant-19 and 5 more)"), "{message}");
        assert!(!message.contains("plant-20"), "{message}");
    }

    #[test]
    fn suggestions_stop_when_their_budget_is_spent() {
        let names: Vec<String> = (0..1000).map(|i| format!("plant-{i}")).collect();
        let mut known = KnownNames::new("plant", names.iter().map(String::as_str).collect());
        let rounds = SUGGESTION_COMPARISONS / names.len();
        for _ in 0..rounds {
            assert!(known.unknown("plant-1x").contains("did you mean"));
        }
        let spent = known.unknown("plant-1x");
        assert!(!spent.contains("did you mean"), "{spent}");
        assert!(
            spent.starts_with("unknown plant 'plant-1x' (known: plant-0, "),
            "{spent}"
        );
    }
}

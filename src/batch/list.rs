//! The list file's grammar: one item a line, a park file then `key=value`
//! overrides, and the names that give each item its own folder.
//!
//! The parser reads the whole list and reports every problem at once, as
//! validation does for a park file, so that a study's list is fixed in
//! one pass: each problem names the list file, the line and the token at
//! fault, and for a misspelt key the closest one. Problems are collected
//! as validation's [`Issue`]s in a [`Diagnostics`]; they are shown in the
//! list's own `list:line: 'token': message` form.

use super::overrides::{known_keys, parse_change, Override, NAME};
use super::BatchError;
use crate::diagnostic::{Diagnostics, Entity, Issue};
use crate::input::{read_regular_file, ReadError, MAX_FILE_BYTES};
use crate::park::Park;
use crate::report;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One line of a batch list: a park and how to change it.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchItem {
    /// 1-based line in the list file.
    pub line: usize,
    /// The park file as written in the list.
    pub park_as_written: String,
    /// The park file to read: relative paths are resolved against the
    /// list file's folder.
    pub park: PathBuf,
    /// Overrides, applied in the order written.
    pub overrides: Vec<Override>,
    /// Output folder name, unique within the list.
    pub name: String,
}

impl BatchItem {
    /// The park this item solves: its file loaded, changed by the
    /// overrides, validated, and checked again when scaled (see
    /// [`Override`]); or every problem found on the way.
    pub fn scenario(&self) -> Result<Park, Diagnostics> {
        super::overrides::scenario(&self.park, &self.overrides)
    }

    /// The overrides as written.
    pub fn override_texts(&self) -> Vec<String> {
        self.overrides.iter().map(|o| o.text.clone()).collect()
    }
}

/// A parsed batch list.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchList {
    /// The list file, as given.
    pub file: PathBuf,
    /// Items, in list order.
    pub items: Vec<BatchItem>,
}

impl BatchList {
    /// Reads and parses a list file.
    pub fn load(file: &Path) -> Result<BatchList, BatchError> {
        let error = |source| BatchError::Read {
            file: file.to_path_buf(),
            source,
        };
        let bytes = read_regular_file(file, MAX_FILE_BYTES, "batch lists").map_err(error)?;
        let text = String::from_utf8(bytes).map_err(|_| {
            error(ReadError::Io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "it is not UTF-8 text",
            )))
        })?;
        BatchList::parse(file, &text)
    }

    /// Parses the text of a list file; `file` names it in messages and is
    /// the base of relative park paths.
    ///
    /// The format: plain text, one item a line; blank lines and everything
    /// from a `#` that starts a word are ignored. An item is a park file
    /// (no spaces in the path; relative to the list file's folder) followed
    /// by optional `key=value` overrides, each key at most once:
    ///
    /// - `carbon_price_cny_per_t=P` sets the carbon price (0 to 100000),
    /// - `discount_rate=R` sets the real discount rate (0 to 0.5),
    /// - `scale.GROUP=F` multiplies a group by `F > 0`, GROUP being one of
    ///   the sensitivity groups (`waste_tonnages`, `waste_heat`,
    ///   `product_prices`, `carbon_price`, `transport_cost`, `capex`,
    ///   `fuel_prices`, `virgin_material_prices`, `electricity_price`),
    /// - `name=N` names the item's output folder (letters, digits, `-`,
    ///   `_`, lower case).
    ///
    /// Overrides apply in the order written. Without `name=`, the name is
    /// the park's folder name (for `park.toml`/`park.json`, else the file
    /// name without extension) followed by the overrides, made safe for a
    /// folder name. Two items with the same name are an error.
    ///
    /// Every problem is reported, in line order, in one
    /// [`BatchError::List`]; a list without problems or items is
    /// [`BatchError::Empty`].
    pub fn parse(file: &Path, text: &str) -> Result<BatchList, BatchError> {
        let base = file.parent().unwrap_or(Path::new(""));
        let mut problems = Diagnostics::new(file.display().to_string());
        let mut items = Vec::new();
        let mut lines_of: BTreeMap<String, usize> = BTreeMap::new();
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            let (name, item) = match parse_line(line, number, base, &mut problems) {
                None => continue,
                Some(Parsed::Item(item)) => (Some(item.name.clone()), Some(item)),
                Some(Parsed::Broken(name)) => (name, None),
            };
            if let Some(name) = name {
                if let Some(&first) = lines_of.get(&name) {
                    problems.push(
                        Issue::error(
                            Entity::Line,
                            "",
                            format!("item name '{name}' is also the name of line {first}; give one of them its own name="),
                        )
                        .at_line(Some(number)),
                    );
                    continue;
                }
                lines_of.insert(name, number);
            }
            items.extend(item);
        }
        if problems.has_errors() {
            return Err(BatchError::List(problems));
        }
        if items.is_empty() {
            return Err(BatchError::Empty {
                file: file.to_path_buf(),
            });
        }
        Ok(BatchList {
            file: file.to_path_buf(),
            items,
        })
    }
}

/// A line that is not blank.
enum Parsed {
    /// Its item.
    Item(BatchItem),
    /// The line has problems, already reported; the item's name when it
    /// is known (given with `name=`), to find names used twice all the
    /// same.
    Broken(Option<String>),
}

/// Parses line `number` of a list, pushing its problems onto `problems`;
/// `None` for a blank or comment line.
fn parse_line(
    line: &str,
    number: usize,
    base: &Path,
    problems: &mut Diagnostics,
) -> Option<Parsed> {
    let line = line.trim_start_matches('\u{feff}');
    let tokens: Vec<&str> = line
        .split_whitespace()
        .take_while(|token| !token.starts_with('#'))
        .collect();
    let (&park_text, rest) = tokens.split_first()?;
    let mut found = Vec::new();
    let mut problem = |token: &str, message: String| {
        found.push(
            Issue::error(Entity::Token(token.to_string()), "", message).at_line(Some(number)),
        );
    };
    if park_text.contains('=') {
        problem(
            park_text,
            "an item starts with its park file, then key=value overrides".into(),
        );
    }
    let mut overrides = Vec::new();
    let mut name = None;
    let mut seen: Vec<&str> = Vec::new();
    for &token in rest {
        let Some((key, value)) = token.split_once('=') else {
            problem(
                token,
                format!(
                    "expected key=value after the park file (keys: {})",
                    known_keys().join(", ")
                ),
            );
            continue;
        };
        if seen.contains(&key) {
            problem(token, format!("{key} is given twice on this line"));
            continue;
        }
        seen.push(key);
        let parsed = if key == NAME {
            parse_name(value).map(|value| name = Some(value))
        } else {
            parse_change(key, value).map(|change| {
                overrides.push(Override {
                    text: token.to_string(),
                    change,
                })
            })
        };
        if let Err(message) = parsed {
            problem(token, message);
        }
    }
    if !found.is_empty() {
        problems.issues.extend(found);
        return Some(Parsed::Broken(name));
    }
    let path = Path::new(park_text);
    let park = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    let name = name.unwrap_or_else(|| default_name(path, &overrides));
    Some(Parsed::Item(BatchItem {
        line: number,
        park_as_written: park_text.to_string(),
        park,
        overrides,
        name,
    }))
}

/// An item name given with `name=`: it must already be a folder name.
fn parse_name(value: &str) -> Result<String, String> {
    // A folder name is at most 255 bytes on common file systems; ids are
    // capped at 256 characters too, so 128 leaves room and stays readable.
    const MAX_NAME_CHARS: usize = 128;
    if value.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "a name has at most {MAX_NAME_CHARS} characters, this one {}",
            value.chars().count()
        ));
    }
    let safe = report::folder_name(value);
    if value == safe {
        Ok(safe)
    } else {
        Err(format!(
            "a name must be a folder name: lower-case letters, digits, - and _ (e.g. name={safe})"
        ))
    }
}

/// The name of an item without `name=`: the park's folder name (for
/// `park.toml` or `park.json`; the file name without extension otherwise)
/// and the overrides as written, made safe for a folder.
fn default_name(park: &Path, overrides: &[Override]) -> String {
    let stem = park.file_stem().map(|s| s.to_string_lossy().to_string());
    let folder = park
        .parent()
        .and_then(Path::file_name)
        .map(|f| f.to_string_lossy().to_string());
    let label = match (stem, folder) {
        (Some(stem), Some(folder)) if stem == "park" => folder,
        (Some(stem), _) => stem,
        (None, _) => "park".to_string(),
    };
    let mut words = vec![label];
    words.extend(overrides.iter().map(|o| o.text.clone()));
    report::folder_name(&words.join(" "))
}

/// The problems of a list file, one a line: `list:line: 'token': message`
/// (or `list:line: message` for a problem of no one token). With more than
/// one, a last line counts them, as validation's reports end.
pub(super) fn render(problems: &Diagnostics) -> String {
    let mut lines: Vec<String> = problems
        .issues
        .iter()
        .map(|issue| {
            let mut line = problems.file.clone();
            if let Some(number) = issue.line {
                line.push_str(&format!(":{number}"));
            }
            if issue.entity != Entity::Line {
                line.push_str(&format!(": {}", issue.entity));
            }
            line + ": " + &issue.message
        })
        .collect();
    if lines.len() > 1 {
        lines.push(format!(
            "{}: {} error(s)",
            problems.file,
            problems.error_count()
        ));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::super::testing::parse;
    use super::super::Change;
    use super::*;
    use crate::analysis::sensitivity::Group;

    #[test]
    fn a_name_longer_than_a_folder_name_can_be_is_refused() {
        let long = "a".repeat(300);
        let error = parse(&format!("tiny/park.toml name={long}\n")).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("a name has at most 128 characters, this one 300"),
            "{error}"
        );
    }

    #[test]
    fn lists_skip_comments_and_resolve_paths_against_their_folder() {
        let list = parse(
            "# a study\n\n\
             ../parks/tiny/park.toml   # today's prices\n\
             /abs/ts/park.toml carbon_price_cny_per_t=200 scale.capex=1.2 name=ts-cp200\n\
             \u{20}  scenarios/high-2030.toml discount_rate=0.05\n",
        )
        .unwrap();
        assert_eq!(list.items.len(), 3);
        let [tiny, ts, high] = &list.items[..] else {
            unreachable!()
        };
        assert_eq!((tiny.line, tiny.name.as_str()), (3, "tiny"));
        assert_eq!(tiny.park, Path::new("studies/../parks/tiny/park.toml"));
        assert_eq!(tiny.park_as_written, "../parks/tiny/park.toml");
        assert!(tiny.overrides.is_empty());
        assert_eq!((ts.line, ts.name.as_str()), (4, "ts-cp200"));
        assert_eq!(ts.park, Path::new("/abs/ts/park.toml"));
        assert_eq!(
            ts.overrides.iter().map(|o| o.change).collect::<Vec<_>>(),
            [Change::CarbonPrice(200.0), Change::Scale(Group::Capex, 1.2)]
        );
        assert_eq!(
            ts.override_texts(),
            ["carbon_price_cny_per_t=200", "scale.capex=1.2"]
        );
        assert_eq!(high.name, "high-2030-discount_rate-0-05");
        assert_eq!(high.park, Path::new("studies/scenarios/high-2030.toml"));
    }

    #[test]
    fn a_misspelt_key_is_named_with_its_line_and_a_suggestion() {
        let error = parse("a/park.toml\na/park.toml carbon_price_cny_per_tt=200\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("studies/parks.list:2: 'carbon_price_cny_per_tt=200': unknown override 'carbon_price_cny_per_tt'; did you mean 'carbon_price_cny_per_t'?"),
            "{error}"
        );
        let error = parse("a/park.toml scale.capx=2\n").unwrap_err().to_string();
        assert!(error.contains("did you mean 'scale.capex'?"), "{error}");
    }

    #[test]
    fn bad_values_and_tokens_say_what_is_wanted() {
        for (line, wanted) in [
            (
                "a/park.toml carbon_price_cny_per_t=-5",
                "carbon_price_cny_per_t must be a number of CNY per t from 0 to 100000, got '-5'",
            ),
            (
                "a/park.toml discount_rate=8%",
                "discount_rate must be a fraction from 0 to 0.5, got '8%'",
            ),
            (
                "a/park.toml scale.capex=0",
                "scale.capex must be a factor > 0, got '0'",
            ),
            ("a/park.toml scale.capex=NaN", "got 'NaN'"),
            ("a/park.toml name=TS/cp200", "e.g. name=ts-cp200"),
            ("a/park.toml 200", "expected key=value"),
            (
                "carbon_price_cny_per_t=200",
                "an item starts with its park file",
            ),
            (
                "a/park.toml discount_rate=0.1 discount_rate=0.2",
                "discount_rate is given twice",
            ),
        ] {
            let error = parse(line).unwrap_err().to_string();
            assert!(error.starts_with("studies/parks.list:1: '"), "{error}");
            assert!(error.contains(wanted), "{line}: {error}");
        }
        assert!(matches!(
            parse("# nothing\n\n"),
            Err(BatchError::Empty { .. })
        ));
    }

    #[test]
    fn two_items_with_one_name_are_an_error_naming_both_lines() {
        let error = parse("a/tiny/park.toml\nb/tiny/park.toml\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "studies/parks.list:2: item name 'tiny' is also the name of line 1; give one of them its own name="
        );
        let error = parse("a/park.toml name=x\n# gap\nb/park.toml name=x\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(":3: item name 'x' is also the name of line 1"),
            "{error}"
        );
    }

    #[test]
    fn every_problem_of_a_list_is_reported_at_once() {
        let error = parse(
            "a/park.toml scale.capx=1.3 discount_rate=0.9\n\
             a/park.toml\n\
             b/park.toml carbon_price_cny_per_t=-1 name=a\n\
             c/park.toml 200\n\
             d/park.toml name=d\n",
        )
        .unwrap_err();
        let BatchError::List(report) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(report.error_count(), 5, "{error}");
        let lines: Vec<String> = error.to_string().lines().map(str::to_string).collect();
        assert!(lines[0].starts_with("studies/parks.list:1: 'scale.capx=1.3': unknown override 'scale.capx'; did you mean 'scale.capex'? (known: "), "{error}");
        assert_eq!(lines[1], "studies/parks.list:1: 'discount_rate=0.9': discount_rate must be a fraction from 0 to 0.5, got '0.9'");
        assert_eq!(lines[2], "studies/parks.list:3: 'carbon_price_cny_per_t=-1': carbon_price_cny_per_t must be a number of CNY per t from 0 to 100000, got '-1'");
        assert_eq!(
            lines[3],
            "studies/parks.list:3: item name 'a' is also the name of line 2; give one of them its own name=",
            "a line with problems still claims the name it gives"
        );
        assert!(
            lines[4].starts_with("studies/parks.list:4: '200': expected key=value"),
            "{error}"
        );
        assert_eq!(lines[5], "studies/parks.list: 5 error(s)");
        assert_eq!(lines.len(), 6, "{error}");
    }
}

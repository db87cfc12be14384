//! CSV tables: the one place ecopark writes CSV.
//!
//! Every stage from the solution up writes tables for spreadsheets
//! (`links.csv`, `firms.csv`, each analysis's table). They all go through
//! here, below them all, so that they quote alike (RFC 4180, a field quoted
//! only when it holds a comma, a quote or a line break) and so that a
//! table's columns are named once, by the fields of its row struct, instead
//! of a header string and a format string kept in step by hand.
//!
//! # Writing a table
//!
//! A table is a slice of rows; a row is a struct deriving `Serialize` and
//! `Deserialize`, one field per column, named as the column and in its
//! order. [`to_csv`] writes the header from the field names (read off the
//! struct's `Deserialize`, so an empty table still has its header), then a
//! line per row:
//!
//! ```
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize)]
//! struct Row<'a> {
//!     name: &'a str,
//!     #[serde(serialize_with = "ecopark::table::fixed::<2, _>")]
//!     cost_cny: f64,
//!     #[serde(serialize_with = "ecopark::table::optional_fixed::<3, _>")]
//!     co2_t: Option<f64>,
//! }
//!
//! let rows = [
//!     Row { name: "fly ash, dry", cost_cny: 1.5, co2_t: None },
//!     Row { name: "slag", cost_cny: -2.0, co2_t: Some(0.25) },
//! ];
//! assert_eq!(
//!     ecopark::table::to_csv(&rows),
//!     "name,cost_cny,co2_t\n\"fly ash, dry\",1.50,\nslag,-2.00,0.250\n",
//! );
//! ```
//!
//! Cells print as follows, so that a table's text does not depend on how
//! the `csv` crate would print a number:
//!
//! - text (`String`, `&str`) as it is, quoted when needed;
//! - `bool` as `true`/`false`, integers in decimal;
//! - an enum's unit variant by its serde name (`#[serde(rename_all)]`
//!   included), never a re-typed string;
//! - `f64` with [`fixed`] (`{:.N}`) or [`display`] (Rust's `{}`, so `40000`
//!   rather than the `40000.0` the `csv` crate writes for a bare `f64`);
//!   `Option`s with [`optional_fixed`] or [`optional_display`], `None` as an
//!   empty cell. A bare `f64` field is a mistake: give it one of these.
//! - a text cell that a spreadsheet would run as a formula (beginning
//!   with `=`, `+`, `-`, `@`, a tab or a carriage return) with a leading
//!   `'` ([`neutralised`]), in the header too; numbers such as `-3.5`
//!   stay numbers;
//! - a `Vec` of cells as that many cells (only with
//!   [`to_csv_with_header`], whose header is given: a table whose columns
//!   depend on the park, such as the sweep's one column per project).
//!
//! # Moving a hand-written table onto it
//!
//! 1. A row struct whose fields are the header's names, in its order
//!    (borrowing text as `&'a str` is fine).
//! 2. Each cell's format as a field: `{:.N}` → `fixed::<N, _>`, `{}` of an
//!    `f64` → [`display`], `x.map_or(String::new(), …)` →
//!    [`optional_fixed`]/[`optional_display`], an always-quoted or a
//!    bare text → a plain text field, a match writing an enum's name → the
//!    enum (deriving `Serialize` and `Deserialize`), a joined list → a
//!    `String` of it joined.
//! 3. `table::to_csv(&rows)` for the text.
//!
//! The records stay the same; only their quoting becomes "when needed".
//!
//! Serialised and deserialised field names must agree (no asymmetric
//! `rename`, no `skip_serializing_if`): the header comes from the
//! `Deserialize` side, the cells from the `Serialize` side. A row with more
//! or fewer cells than the header is caught when the table is written.

use serde::{Deserialize, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt::Display;

/// The table as CSV: a header of `R`'s field names, then one line per row.
///
/// `R` may borrow (`&'a str` fields): any lifetime meets the bound
/// `Deserialize<'static>`, and nothing is ever deserialised, only the
/// field names read.
///
/// # Panics
///
/// When `R` is not a struct with named fields whose cells are scalars (or
/// `Option`s of them), a programming error that any test writing the
/// table finds; never because of the rows' values.
pub fn to_csv<R: Serialize + Deserialize<'static>>(rows: &[R]) -> String {
    let header = columns::<R>();
    assert!(
        !header.is_empty(),
        "a table's row must be a struct with named fields"
    );
    to_csv_with_header(header, rows)
}

/// The table as CSV under a header given here, for a table whose columns
/// are not all known at compile time; `R` serialises to as many cells as
/// `header` has names (a struct, a tuple, `Vec` fields flattened).
///
/// # Panics
///
/// When a row does not have as many cells as the header, or holds a cell
/// CSV cannot print (a map, a nested struct's enum): a programming error,
/// found by any test that writes the table.
pub fn to_csv_with_header<H: AsRef<str>, R: Serialize>(header: &[H], rows: &[R]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    let fail = |error: csv::Error| -> ! {
        let names: Vec<&str> = header.iter().map(AsRef::as_ref).collect();
        panic!("a row does not fit the table {names:?}: {error}")
    };
    writer
        .write_record(header.iter().map(AsRef::as_ref))
        .unwrap_or_else(|e| fail(e));
    for row in rows {
        writer.serialize(row).unwrap_or_else(|e| fail(e));
    }
    let bytes = writer
        .into_inner()
        .unwrap_or_else(|_| unreachable!("writing into memory does not fail"));
    neutralise_formulas(&bytes)
}

/// The CSV text `bytes` again, every cell through [`neutralised`]: the
/// cells are only known as text once serde has written them, so the table
/// is read back and written once more.
fn neutralise_formulas(bytes: &[u8]) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    for record in reader.records() {
        let record =
            record.unwrap_or_else(|e| unreachable!("the csv crate reads what it wrote: {e}"));
        writer
            .write_record(record.iter().map(|cell| neutralised(cell).into_owned()))
            .unwrap_or_else(|e| unreachable!("writing into memory does not fail: {e}"));
    }
    let bytes = writer
        .into_inner()
        .unwrap_or_else(|_| unreachable!("writing into memory does not fail"));
    String::from_utf8(bytes).expect("every cell is written from UTF-8 text")
}

/// A cell as a spreadsheet may safely open it: a text that begins with a
/// character a spreadsheet takes as the start of a formula (`=`, `+`, `-`,
/// `@`) or that it drops (tab, carriage return) gets a leading `'`, as
/// OWASP advises against CSV injection (`=HYPERLINK(…)`,
/// `-2+3+cmd|' /C calc'!A0`); a number (`-3.5`, `+2`, `1e-3`) stays a
/// number.
pub fn neutralised(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Whether `cell` is a plain decimal number: a sign, digits with at most
/// one point, an optional exponent (no `inf`, no `NaN`, no spaces).
fn is_number(cell: &str) -> bool {
    let unsigned = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (unsigned, None),
    };
    let digits = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (digits(whole) || whole.is_empty())
                && (digits(fraction) || fraction.is_empty())
                && !(whole.is_empty() && fraction.is_empty())
        }
        None => digits(mantissa),
    };
    mantissa_ok
        && exponent
            .is_none_or(|exponent| digits(exponent.strip_prefix(['+', '-']).unwrap_or(exponent)))
}

/// The column names of row struct `R`, in order: its field names as serde
/// sees them (after `rename`/`rename_all`). Empty when `R` is not a
/// struct with named fields.
pub fn columns<R: Deserialize<'static>>() -> &'static [&'static str] {
    crate::fields::field_names::<R>().unwrap_or(&[])
}

/// A number with `DECIMALS` decimals (`{:.N}`), for
/// `#[serde(serialize_with = "table::fixed::<2, _>")]`.
pub fn fixed<const DECIMALS: usize, S: Serializer>(
    value: &f64,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&format_args!("{:.*}", DECIMALS, value))
}

/// [`fixed`] for an optional number; `None` is an empty cell.
pub fn optional_fixed<const DECIMALS: usize, S: Serializer>(
    value: &Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => fixed::<DECIMALS, S>(value, serializer),
        None => serializer.serialize_none(),
    }
}

/// A value as `Display` prints it (for `f64`: shortest exact form, no
/// exponent, no `.0`), for `#[serde(serialize_with = "table::display")]`.
pub fn display<T: Display, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

/// [`display`] for an optional value; `None` is an empty cell.
pub fn optional_display<T: Display, S: Serializer>(
    value: &Option<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => serializer.collect_str(value),
        None => serializer.serialize_none(),
    }
}

/// The name a unit enum variant is written by in files (its serde name,
/// `#[serde(rename_all)]` included), for text outside a table: a printed
/// status, a message. Empty for a value that does not serialise as a
/// string.
pub fn name_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// The records of a CSV text, for tests that read a table back.
#[cfg(test)]
pub(crate) fn records(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|record| {
            record
                .expect("well-formed CSV")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Plant,
        WasteStream,
    }

    #[derive(Serialize, Deserialize)]
    struct Row<'a> {
        name: &'a str,
        kind: Kind,
        count: usize,
        built: bool,
        #[serde(serialize_with = "display")]
        tonnes: f64,
        #[serde(serialize_with = "fixed::<2, _>")]
        cost: f64,
        #[serde(serialize_with = "optional_fixed::<3, _>")]
        co2: Option<f64>,
        #[serde(serialize_with = "optional_display")]
        temperature: Option<f64>,
    }

    fn row(name: &str) -> Row<'_> {
        Row {
            name,
            kind: Kind::WasteStream,
            count: 7,
            built: true,
            tonnes: 40_000.0,
            cost: -2.0 / 3.0,
            co2: None,
            temperature: Some(0.1),
        }
    }

    #[test]
    fn cells_print_as_their_helpers_say() {
        assert_eq!(
            to_csv(&[row("plain")]),
            "name,kind,count,built,tonnes,cost,co2,temperature\n\
             plain,waste_stream,7,true,40000,-0.67,,0.1\n"
        );
        let mut second = row("b");
        second.kind = Kind::Plant;
        second.co2 = Some(1.0);
        second.temperature = None;
        assert!(to_csv(&[second]).ends_with("\nb,plant,7,true,40000,-0.67,1.000,\n"));
    }

    #[test]
    fn fields_are_quoted_only_when_they_need_it() {
        let text = to_csv(&[
            row("a,b"),
            row("say \"hi\""),
            row("two\nlines"),
            row("电厂 A"),
        ]);
        let lines: Vec<&str> = text.split_terminator('\n').collect();
        assert!(lines[1].starts_with("\"a,b\",waste_stream,"), "{text}");
        assert!(lines[2].starts_with("\"say \"\"hi\"\"\","), "{text}");
        assert!(lines[3].starts_with("\"two"), "{text}");
        assert!(lines[5].starts_with("电厂 A,"), "{text}");
        let names: Vec<String> = records(&text).into_iter().map(|r| r[0].clone()).collect();
        assert_eq!(names, ["name", "a,b", "say \"hi\"", "two\nlines", "电厂 A"]);
    }

    #[test]
    fn formulas_are_neutralised_and_numbers_are_not() {
        let text = to_csv(&[
            row("=HYPERLINK(\"http://x\",\"y\")"),
            row("-2+3+cmd|' /C calc'!A0"),
            row("@SUM(A1)"),
            row("+1 plant"),
            row("\tslag"),
            row("-3.5"),
            row("slag-2"),
        ]);
        let names: Vec<String> = records(&text).into_iter().map(|r| r[0].clone()).collect();
        assert_eq!(
            names[1..],
            [
                "'=HYPERLINK(\"http://x\",\"y\")",
                "'-2+3+cmd|' /C calc'!A0",
                "'@SUM(A1)",
                "'+1 plant",
                "'\tslag",
                "-3.5",
                "slag-2"
            ]
        );
        assert!(
            text.contains("\n-3.5,waste_stream,7,true,40000,-0.67,,0.1\n"),
            "{text}"
        );
        let header = to_csv_with_header(&["price", "=cmd"], &[(1, 2)]);
        assert_eq!(header, "price,'=cmd\n1,2\n");
    }

    #[test]
    fn only_plain_decimals_count_as_numbers() {
        for number in ["-3.5", "+2", "-0.67", "1e-3", "-2E+5", "-.5", "7."] {
            assert!(is_number(number), "{number}");
            assert_eq!(neutralised(number), number);
        }
        for text in [
            "-", "-inf", "-NaN", "-1-1", "-1e", "- 1", "-.", "+1+1", "-1e2.5",
        ] {
            assert!(!is_number(text), "{text}");
            assert_eq!(neutralised(text), format!("'{text}"));
        }
    }

    #[test]
    fn an_empty_table_keeps_its_header() {
        assert_eq!(
            to_csv::<Row>(&[]),
            "name,kind,count,built,tonnes,cost,co2,temperature\n"
        );
        assert_eq!(columns::<Row>().len(), 8);
    }

    #[test]
    fn a_given_header_takes_rows_with_a_list_of_cells() {
        #[derive(Serialize)]
        struct Point {
            #[serde(serialize_with = "display")]
            price: f64,
            built: Vec<u8>,
        }
        let text = to_csv_with_header(
            &["price", "fly-ash, dry", "slag"],
            &[Point {
                price: 12.5,
                built: vec![1, 0],
            }],
        );
        assert_eq!(text, "price,\"fly-ash, dry\",slag\n12.5,1,0\n");
    }

    #[test]
    #[should_panic(expected = "does not fit the table")]
    fn a_row_of_the_wrong_width_is_caught() {
        to_csv_with_header(&["a", "b"], &[(1, 2, 3)]);
    }

    #[test]
    fn an_enum_is_named_by_its_serde_name() {
        #[derive(Serialize)]
        #[serde(rename_all = "snake_case")]
        enum Status {
            NoPlan,
        }
        assert_eq!(name_of(&Status::NoPlan), "no_plan");
        assert_eq!(name_of(&1.5), "");
    }
}

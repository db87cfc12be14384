//! Tidy test: functions and files stay a size a reader can hold.
//!
//! ARCHITECTURE.md asks for no function over 120 lines and no source file
//! over 700 lines outside its test module; this test holds that line for
//! everything under `src/` (the binary included).
//! A function's length is counted from its `fn` line to the closing brace
//! rustfmt puts at the `fn` line's indentation, so the count needs no
//! parser and cannot be fooled by braces in strings.

/// Most lines of one function, signature and closing brace included.
const MAX_FUNCTION_LINES: usize = 120;

/// Most lines of one file before its test module.
const MAX_FILE_LINES: usize = 700;

/// Every `.rs` file under `src/` with its text.
fn source_files() -> Vec<(String, String)> {
    crate::layering::source_files()
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(crate::layering::src().join(&file))
                .expect("a source file is UTF-8");
            (file, text)
        })
        .collect()
}

/// The lines of a file before its test module.
fn code_before_tests(text: &str) -> Vec<&str> {
    text.lines()
        .take_while(|line| !line.starts_with("#[cfg(test)]"))
        .collect()
}

/// Whether a line starts a function: `fn name`, after any of `pub`,
/// `pub(crate)`, `const`, `async`, `unsafe`.
fn function_name(line: &str) -> Option<&str> {
    let mut rest = line.trim_start();
    loop {
        let before = rest;
        for prefix in [
            "pub(crate) ",
            "pub(super) ",
            "pub ",
            "const ",
            "async ",
            "unsafe ",
        ] {
            rest = rest.strip_prefix(prefix).unwrap_or(rest);
        }
        if let Some(restricted) = rest.strip_prefix("pub(in ") {
            rest = restricted.split_once(") ").map_or(rest, |(_, after)| after);
        }
        if rest == before {
            break;
        }
    }
    let name = rest.strip_prefix("fn ")?;
    let end = name
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(name.len());
    Some(&name[..end])
}

/// `(name, first line, length)` of every function with a body in `lines`.
fn functions(lines: &[&str]) -> Vec<(String, usize, usize)> {
    let mut found = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        let Some(name) = function_name(line) else {
            continue;
        };
        let indent = line.len() - line.trim_start().len();
        let closing = format!("{}}}", &line[..indent]);
        for (offset, later) in lines[start + 1..].iter().enumerate() {
            if *later == closing {
                found.push((name.to_string(), start + 1, offset + 2));
                break;
            }
            // A signature's `) -> T {`, `where` and `{` lines sit at the
            // `fn` line's indentation; any other line there (or left of
            // it) means the function had no body of its own lines.
            let trimmed = later.trim_start();
            let later_indent = later.len() - trimmed.len();
            let signature = trimmed.starts_with([')', '{']) || trimmed.starts_with("where");
            if !trimmed.is_empty() && later_indent <= indent && !signature {
                break;
            }
        }
    }
    found
}

#[test]
fn no_function_is_longer_than_the_limit() {
    let mut long = Vec::new();
    for (file, text) in source_files() {
        for (name, line, length) in functions(&code_before_tests(&text)) {
            if length > MAX_FUNCTION_LINES {
                long.push(format!("src/{file}:{line}: fn {name} has {length} lines"));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines (split them):\n{}",
        long.join("\n")
    );
}

#[test]
fn no_file_is_longer_than_the_limit() {
    let long: Vec<String> = source_files()
        .into_iter()
        .filter_map(|(file, text)| {
            let lines = code_before_tests(&text).len();
            (lines > MAX_FILE_LINES).then(|| format!("src/{file}: {lines} lines"))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_FILE_LINES} lines before their tests (split them):\n{}",
        long.join("\n")
    );
}

#[test]
fn a_long_function_is_measured() {
    let mut text = String::from("pub(crate) fn long(\n    a: u8,\n) -> u8 {\n");
    text.push_str(&"    let _ = a;\n".repeat(200));
    text.push_str("    a\n}\n\n    fn declared(&self);\nfn short() {}\nimpl X {\n    fn inner() {\n        1\n    }\n}\n");
    let lines: Vec<&str> = text.lines().collect();
    let found = functions(&lines);
    assert_eq!(found[0], ("long".to_string(), 1, 205));
    assert!(
        found.iter().any(|f| f == &("inner".to_string(), 210, 3)),
        "{found:?}"
    );
    assert!(!found.iter().any(|f| f.0 == "declared"), "{found:?}");
}

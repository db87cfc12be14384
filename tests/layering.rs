//! Tidy test: the library's stages import only downward.
//!
//! ARCHITECTURE.md lists the stages in pipeline order; a stage may use the
//! stages before it and never one after it, so a change to a late stage
//! (a report, a front end) can never break an early one (parsing,
//! validation, the model). This test reads every `crate::…` path (in `use`
//! lines, `use crate::{…}` groups, `super::` paths resolved from the file's
//! module, and paths written inline) in the non-test code under `src/` and fails
//! on any that points to a later stage, naming the file and line. Test
//! modules (`#[cfg(test)]`, last in their file by convention) may reach up
//! for fixtures. Within a stage, its direct submodules must not form a
//! cycle either.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The library's top-level modules, lowest first: the order of
/// ARCHITECTURE.md. The binary (`src/main.rs`, `src/cli/`) sits above all.
const ORDER: &[&str] = &[
    "units",
    "text",
    "fields",
    "table",
    "diagnostic",
    "random",
    "progress",
    "deadline",
    "input",
    "library",
    "park",
    "validate",
    "candidates",
    "economics",
    "graph",
    "formulation",
    "solve",
    "solution",
    "pipeline",
    "analysis",
    "report",
    "batch",
    "generate",
];

/// One `crate::` reference in a source file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Reference {
    /// The file, relative to `src/`.
    file: String,
    /// 1-based line.
    line: usize,
    /// The module path the file is (`analysis::pareto` for `analysis/pareto.rs`).
    from: Vec<String>,
    /// The module path referred to, as far as it names modules.
    to: Vec<String>,
}

pub(crate) fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/`, binary included, relative to it and sorted.
pub(crate) fn source_files() -> Vec<String> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("src/ is readable")
            .map(|entry| entry.expect("a directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(root).expect("under src/");
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut files = Vec::new();
    walk(&src(), &src(), &mut files);
    files
}

/// Every `.rs` file of the library (not the binary), relative to `src/`.
fn library_files() -> Vec<String> {
    let mut files = source_files();
    files.retain(|f| f != "main.rs" && f != "lib.rs" && !f.starts_with("cli/"));
    files
}

/// `analysis/pareto.rs` → `[analysis, pareto]`; `analysis/mod.rs` → `[analysis]`.
fn module_path(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_string)
        .collect();
    if parts.last().is_some_and(|last| last == "mod") {
        parts.pop();
    }
    parts
}

/// The code of a file before its test module, without comments and with
/// string literals blanked, line by line.
fn code_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let mut code = String::new();
        let mut in_string = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (in_string, c) {
                (false, '/') if chars.peek() == Some(&'/') => break,
                (false, '"') => in_string = true,
                (true, '\\') => {
                    chars.next();
                }
                (true, '"') => in_string = false,
                (true, _) => {}
                (false, _) => code.push(c),
            }
        }
        lines.push(code);
    }
    lines
}

/// The identifier path starting at `rest` (`a::b::{c, d}` → `[a, b]`).
fn path_segments(rest: &str) -> Vec<String> {
    let mut segments = Vec::new();
    let mut rest = rest;
    loop {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        segments.push(rest[..end].to_string());
        match rest[end..].strip_prefix("::") {
            Some(next) => rest = next,
            None => break,
        }
    }
    segments
}

/// The module paths a `use crate::{…}` group names, one per item.
fn group_items(group: &str) -> Vec<Vec<String>> {
    let mut depth = 0;
    let mut items = Vec::new();
    let mut start = 0;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&group[start..]);
    items
        .into_iter()
        .map(|item| path_segments(item.trim()))
        .filter(|segments| !segments.is_empty())
        .collect()
}

/// Every reference of one file to a module of the crate.
fn references(file: &str, text: &str) -> Vec<Reference> {
    let from = module_path(file);
    let lines = code_lines(text);
    let mut found = Vec::new();
    let mut push = |line: usize, to: Vec<String>| {
        found.push(Reference {
            file: file.to_string(),
            line,
            from: from.clone(),
            to,
        })
    };
    // `use crate::{…};` groups may span lines: join each statement.
    let joined = lines.join("\n");
    for (at, _) in joined.match_indices("crate::{") {
        let line = joined[..at].matches('\n').count() + 1;
        let body = &joined[at + "crate::{".len()..];
        let mut depth = 1;
        let end = body
            .char_indices()
            .find(|&(_, c)| {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map_or(body.len(), |(i, _)| i);
        for item in group_items(&body[..end]) {
            push(line, item);
        }
    }
    for (index, code) in lines.iter().enumerate() {
        for (at, _) in code.match_indices("crate::") {
            let before = code[..at].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let segments = path_segments(&code[at + "crate::".len()..]);
            if !segments.is_empty() {
                push(index + 1, segments);
            }
        }
        // `super::` chains, resolved from the file's own module path.
        for (at, _) in code.match_indices("super::") {
            let before = code[..at].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let mut rest = &code[at..];
            let mut climbs = 0;
            while let Some(next) = rest.strip_prefix("super::") {
                climbs += 1;
                rest = next;
            }
            let segments = path_segments(rest);
            if segments.is_empty() || climbs > from.len() {
                continue;
            }
            let mut to = from[..from.len() - climbs].to_vec();
            to.extend(segments);
            push(index + 1, to);
        }
    }
    found
}

fn all_references() -> Vec<Reference> {
    library_files()
        .iter()
        .flat_map(|file| {
            let text = std::fs::read_to_string(src().join(file)).expect("a source file");
            references(file, &text)
        })
        .collect()
}

fn rank(module: &str) -> Option<usize> {
    ORDER.iter().position(|m| *m == module)
}

/// The references that point to a later stage, as messages.
fn upward(references: &[Reference]) -> Vec<String> {
    references
        .iter()
        .filter_map(|r| {
            let (from, to) = (r.from.first()?, r.to.first()?);
            let (Some(a), Some(b)) = (rank(from), rank(to)) else {
                return None;
            };
            (b > a).then(|| {
                format!(
                    "src/{}:{}: {from} uses crate::{}, a later stage (ARCHITECTURE.md: {from} comes before {to})",
                    r.file,
                    r.line,
                    r.to.join("::")
                )
            })
        })
        .collect()
}

/// A cycle among the direct submodules of one stage, if any.
fn submodule_cycle(references: &[Reference]) -> Option<Vec<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in references {
        let (Some(stage), Some(to_stage)) = (r.from.first(), r.to.first()) else {
            continue;
        };
        if stage != to_stage || r.from.len() < 2 || r.to.len() < 2 {
            continue;
        }
        let (a, b) = (
            format!("{stage}::{}", r.from[1]),
            format!("{stage}::{}", r.to[1]),
        );
        if a != b {
            edges.entry(a).or_default().insert(b);
        }
    }
    // Depth-first search with colours: 1 on the stack, 2 done.
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        colour: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        colour.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            match colour.get(next.as_str()) {
                Some(1) => {
                    let start = stack.iter().position(|n| n == next).unwrap_or(0);
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(cycle) = visit(next, edges, colour, stack) {
                        return Some(cycle);
                    }
                }
            }
        }
        stack.pop();
        colour.insert(node.to_string(), 2);
        None
    }
    let mut colour = BTreeMap::new();
    let nodes: Vec<String> = edges.keys().cloned().collect();
    for node in nodes {
        if !colour.contains_key(&node) {
            if let Some(cycle) = visit(&node, &edges, &mut colour, &mut Vec::new()) {
                return Some(cycle);
            }
        }
    }
    None
}

#[test]
fn the_order_names_every_module_of_the_library_once() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).expect("src/lib.rs");
    let declared: BTreeSet<String> = lib
        .lines()
        .filter_map(|line| line.trim().strip_prefix("pub mod "))
        .map(|rest| rest.trim_end_matches(';').to_string())
        .collect();
    let ordered: BTreeSet<String> = ORDER.iter().map(|m| m.to_string()).collect();
    assert_eq!(ORDER.len(), ordered.len(), "a module is listed twice");
    assert_eq!(
        declared, ordered,
        "src/lib.rs's modules and the layering order (tests/layering.rs, ARCHITECTURE.md) differ"
    );
    let architecture = std::fs::read_to_string(src().join("../ARCHITECTURE.md"))
        .expect("ARCHITECTURE.md at the root");
    let listed = ORDER.join(" → ");
    assert!(
        architecture.contains(&listed),
        "ARCHITECTURE.md does not list the import order as `{listed}`"
    );
}

#[test]
fn stages_import_only_downward() {
    let references = all_references();
    assert!(
        references.len() > 100,
        "the reader found only {} references: is it still reading src/?",
        references.len()
    );
    let wrong = upward(&references);
    assert!(
        wrong.is_empty(),
        "imports of later stages:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_stage_has_submodules_in_a_cycle() {
    // Only references to submodules count (`crate::solution::Plan` names an
    // item of the stage's own `mod.rs`).
    let modules: BTreeSet<Vec<String>> = library_files().iter().map(|f| module_path(f)).collect();
    let references: Vec<Reference> = all_references()
        .into_iter()
        .filter(|r| r.to.len() >= 2 && modules.contains(&r.to[..2]))
        .collect();
    if let Some(cycle) = submodule_cycle(&references) {
        panic!("submodules import each other: {}", cycle.join(" → "));
    }
}

#[test]
fn a_wrong_way_import_is_caught() {
    // The same reader on made-up files: an early stage reaching up, in
    // each form a reference can take.
    let cases = [
        ("input/mod.rs", "use crate::report::thousands;\n"),
        (
            "input/mod.rs",
            "use crate::{diagnostic::Report, solve::Backend};\n",
        ),
        (
            "input/mod.rs",
            "use crate::{\n    diagnostic::Report,\n    analysis::Variant,\n};\n",
        ),
        ("park.rs", "fn f() { crate::pipeline::optimise(); }\n"),
        ("validate/checks.rs", "use super::super::solution::Plan;\n"),
    ];
    for (file, text) in cases {
        let found = upward(&references(file, text));
        assert_eq!(found.len(), 1, "{file}: {text:?} → {found:?}");
    }
    // Downward, comments, strings and test modules pass.
    let fine = "use crate::diagnostic::Report; // crate::report::x\n\
                const S: &str = \"crate::analysis\";\n\
                #[cfg(test)]\nmod tests { use crate::pipeline::optimise; }\n";
    assert!(upward(&references("validate/mod.rs", fine)).is_empty());
}

#[test]
fn a_cycle_between_submodules_is_caught() {
    let mut found = references("report/figures/map.rs", "use crate::report::summary::x;\n");
    found.extend(references(
        "report/summary.rs",
        "use super::figures::map::y;\n",
    ));
    let cycle = submodule_cycle(&found).expect("a cycle");
    assert_eq!(
        cycle,
        ["report::figures", "report::summary", "report::figures"],
        "{found:?}"
    );
    // One way only is no cycle.
    let one_way = references("report/summary.rs", "use super::figures::map::y;\n");
    assert_eq!(submodule_cycle(&one_way), None);
}

//! The layering of the source: no module imports from a layer above it.
//!
//! From the top: the crate root (`run`) and `main` parse the command line and hand it over;
//! `commands` run it, each given its arguments as `cli` defines them; `output` renders what they
//! return; `report` is that plain data; the domain modules know deployments; `check`, `shell`
//! and `par` are the vocabulary and tools they share; `error`, the words of failures, sits at
//! the bottom and imports nothing of substractl. A module may name its own layer and the layers
//! below it, never one above: no domain module knows of commands, reports or printing, and
//! nothing below `commands` knows the command line.

use std::path::{Path, PathBuf};

/// The layers, top first; a module of a layer may use its own and those after it.
const LAYERS: &[&[&str]] = &[
    &["lib", "main"],
    &["commands"],
    &["cli"],
    &["output"],
    &["report"],
    &["deployment", "exchange", "kube", "mesh", "pki", "probe", "values", "workspace"],
    &["check", "shell", "par"],
    &["error"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The top module a file of src/ belongs to: `src/commands/init.rs` -> `commands`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("a file of src");
    let first =
        rel.components().next().expect("a path in src").as_os_str().to_string_lossy().into_owned();
    first.trim_end_matches(".rs").to_string()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("src is readable").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `crate::NAME` a line of code names, outside comments.
fn named_modules(line: &str) -> Vec<String> {
    let code = line.trim_start();
    if code.starts_with("//") {
        return Vec::new();
    }
    let code = match code.find("//") {
        // A `//` inside a string ("https://...") is not a comment, but the modules named after
        // it on the same line would be in that string: skipping them errs on the quiet side
        // only for such lines, which name no module.
        Some(i) => &code[..i],
        None => code,
    };
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        let before = rest[..i].chars().next_back();
        // `xcrate::` is another word.
        if !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            // `crate::{a, b::C}` names a and b.
            let names = match after.strip_prefix('{') {
                Some(group) => group.split('}').next().unwrap_or("").split(',').collect(),
                None => vec![after],
            };
            for n in names {
                let name: String = n
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.push(name);
                }
            }
        }
        rest = after;
    }
    found
}

#[test]
fn no_module_imports_from_a_layer_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        let Some(from) = layer_of(&module) else {
            wrong.push(format!(
                "{}: module {module} has no layer: add it to LAYERS",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("a source file is text");
        for (n, line) in text.lines().enumerate() {
            for name in named_modules(line) {
                match layer_of(&name) {
                    Some(to) if to >= from => {}
                    Some(_) => wrong.push(format!(
                        "{}:{}: {module} names crate::{name}, a layer above it",
                        file.strip_prefix(&src).expect("a file of src").display(),
                        n + 1
                    )),
                    // `crate::run` and the like: items of the crate root, the top layer.
                    None if from == 0 => {}
                    None => wrong.push(format!(
                        "{}:{}: {module} names crate::{name}, of the crate root",
                        file.strip_prefix(&src).expect("a file of src").display(),
                        n + 1
                    )),
                }
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layering:\n{}", wrong.join("\n"));
}

/// Which top modules each top module names (itself left out).
fn module_graph() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph = std::collections::BTreeMap::<String, std::collections::BTreeSet<String>>::new();
    for file in &files {
        let module = module_of(&src, file);
        let text = std::fs::read_to_string(file).expect("a source file is text");
        let named = text.lines().flat_map(named_modules).filter(|n| layer_of(n).is_some());
        let edges = graph.entry(module.clone()).or_default();
        edges.extend(named.filter(|n| *n != module));
    }
    graph
}

/// Modules of one layer may name each other, but never in a circle: each can be read, and
/// changed, knowing only the modules it names.
#[test]
fn no_import_cycle_between_modules() {
    let graph = module_graph();
    // Depth-first search; a module met again while still on the path closes a cycle.
    fn visit<'a>(
        at: &'a str,
        graph: &'a std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut std::collections::BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|m| *m == at) {
            let mut cycle: Vec<String> = path[i..].iter().map(|m| m.to_string()).collect();
            cycle.push(at.to_string());
            return Some(cycle);
        }
        if !done.insert(at) {
            return None;
        }
        path.push(at);
        for next in graph.get(at).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = std::collections::BTreeSet::new();
    for module in graph.keys() {
        let found = visit(module, &graph, &mut Vec::new(), &mut done);
        assert!(found.is_none(), "an import cycle: {}", found.unwrap_or_default().join(" -> "));
    }
}

#[test]
fn the_layering_check_sees_an_import_from_above() {
    assert_eq!(named_modules("use crate::report::outgoing::Trouble;"), ["report"]);
    assert_eq!(named_modules("    if let Some(h) = crate::error::hint(err) {"), ["error"]);
    assert_eq!(named_modules("/// see [`crate::output`]"), Vec::<String>::new());
    assert_eq!(named_modules("use crate::{cli, output::Printer}; // crate::x"), ["cli", "output"]);
    assert!(layer_of("error") > layer_of("report"));
    assert!(layer_of("report") < layer_of("probe"), "report may name domain types");
}

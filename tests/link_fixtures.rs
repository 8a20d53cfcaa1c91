//! `link` and `unlink` as file trees: tests/fixtures/link/<case>/{in/, cmd, out/}. The command in
//! `cmd` runs on a copy of `in/`; the result must equal `out/`, where every secret that the run
//! generated is written `<secret-N>` (numbered by first appearance, files in name order), so that
//! two sides sharing one secret show the same number. `SUBSTRACTL_BLESS=1` rewrites `out/`.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;

use crate::support::{fixture, substractl};

fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in fs::read_dir(dir).expect("read dir") {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        out.insert(name, fs::read_to_string(entry.path()).expect("read file"));
    }
    out
}

fn is_generated(word: &str) -> bool {
    word.len() == 64 && word.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Replaces generated secrets by `<secret-N>`, consistently across the files.
fn normalize(tree: BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut numbers: HashMap<String, usize> = HashMap::new();
    tree.into_iter()
        .map(|(name, text)| {
            let mut out = String::with_capacity(text.len());
            let mut word = String::new();
            let mut flush = |word: &mut String, out: &mut String| {
                if is_generated(word) {
                    let next = numbers.len() + 1;
                    let n = *numbers.entry(word.clone()).or_insert(next);
                    out.push_str(&format!("<secret-{n}>"));
                } else {
                    out.push_str(word);
                }
                word.clear();
            };
            for c in text.chars() {
                if c.is_ascii_alphanumeric() {
                    word.push(c);
                } else {
                    flush(&mut word, &mut out);
                    out.push(c);
                }
            }
            flush(&mut word, &mut out);
            (name, out)
        })
        .collect()
}

fn run_case(case: &str) {
    let root = fixture(&format!("link/{case}"));
    let work = tempfile::tempdir().expect("temp dir");
    for (name, text) in read_tree(&root.join("in")) {
        fs::write(work.path().join(name), text).expect("copy");
    }
    let cmd = fs::read_to_string(root.join("cmd")).expect("cmd");
    substractl().current_dir(work.path()).args(cmd.split_whitespace()).assert().success();
    let got = normalize(read_tree(work.path()));
    let out_dir = root.join("out");
    if std::env::var_os("SUBSTRACTL_BLESS").is_some() {
        let _ = fs::remove_dir_all(&out_dir);
        fs::create_dir_all(&out_dir).expect("mkdir out");
        for (name, text) in &got {
            fs::write(out_dir.join(name), text).expect("bless");
        }
    }
    let want = read_tree(&out_dir);
    assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>(), "files of {case}");
    for (name, text) in &want {
        similar_asserts_eq(case, name, &got[name], text);
    }
}

fn similar_asserts_eq(case: &str, name: &str, got: &str, want: &str) {
    if got != want {
        let diff = similar::TextDiff::from_lines(want, got)
            .unified_diff()
            .header("expected", "got")
            .to_string();
        panic!("{case}/{name} differs (SUBSTRACTL_BLESS=1 rewrites out/):\n{diff}");
    }
}

#[test]
fn chart_two_orgs() {
    run_case("chart-two-orgs");
}

#[test]
fn guide_mistakes() {
    run_case("guide-mistakes");
}

#[test]
fn flow_styles() {
    run_case("flow-styles");
}

#[test]
fn unlink() {
    run_case("unlink");
}

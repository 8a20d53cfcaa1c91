//! `link` and `unlink` as file trees: tests/fixtures/link/<case>/{in/, cmd, out/}. The command in
//! `cmd` runs on a copy of `in/`; the result must equal `out/`, where every secret that the run
//! generated is written `<secret-N>` (numbered by first appearance, files in name order), so that
//! two sides sharing one secret show the same number. `SUBSTRACTL_BLESS=1` rewrites `out/`.

use std::fs;

use crate::support::{fixture, normalize_tree, read_tree, substractl};

fn run_case(case: &str) {
    let root = fixture(&format!("link/{case}"));
    let work = tempfile::tempdir().expect("temp dir");
    for (name, text) in read_tree(&root.join("in")) {
        fs::write(work.path().join(name), text).expect("copy");
    }
    let cmd = fs::read_to_string(root.join("cmd")).expect("cmd");
    substractl().current_dir(work.path()).args(cmd.split_whitespace()).assert().success();
    let got = normalize_tree(&read_tree(work.path()));
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

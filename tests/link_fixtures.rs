//! `link` and `unlink` as file trees: tests/fixtures/link/<case>/{in/, cmd, out/}. The command in
//! `cmd` runs on a copy of `in/`; the result must equal `out/`, where every secret that the run
//! generated is written `<secret-N>` (numbered by first appearance, files in name order), so that
//! two sides sharing one secret show the same number. `SUBSTRACTL_BLESS=1` rewrites `out/`.

use crate::support::{fixture, Test};

fn run_case(case: &str) {
    let cmd = std::fs::read_to_string(fixture(&format!("link/{case}/cmd"))).expect("cmd");
    Test::new()
        .tree(format!("link/{case}/in"))
        .args(cmd.split_whitespace())
        .out_tree(format!("link/{case}/out"))
        .run();
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
fn create() {
    run_case("create");
}

#[test]
fn unlink() {
    run_case("unlink");
}

//! The command line as a whole: help, version, completions, exit codes.

use predicates::prelude::*;

use crate::support::substractl;

#[test]
fn help_lists_only_working_commands() {
    let out = substractl().arg("--help").assert().success().get_output().stdout.clone();
    let help = String::from_utf8(out).expect("utf-8");
    assert!(help.contains("link"), "{help}");
    assert!(help.contains("unlink"), "{help}");
}

#[test]
fn unknown_flag_is_a_usage_error() {
    substractl()
        .args(["link", "--nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--nope"));
}

#[test]
fn checked_in_completions_are_current() {
    for (shell, file) in
        [("bash", "substractl.bash"), ("zsh", "_substractl"), ("fish", "substractl.fish")]
    {
        let out = substractl()
            .args(["completions", shell])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let path = crate::support::fixture("../../completions").join(file);
        if std::env::var_os("SUBSTRACTL_BLESS").is_some() {
            std::fs::write(&path, &out).expect("write completions");
        }
        let checked_in = std::fs::read(&path).unwrap_or_default();
        assert!(
            checked_in == out,
            "completions/{file} is stale: run SUBSTRACTL_BLESS=1 cargo test checked_in_completions"
        );
    }
}

#[test]
fn checked_in_man_page_is_current() {
    let out = substractl().arg("man").assert().success().get_output().stdout.clone();
    let path = crate::support::fixture("../../completions/substractl.1");
    if std::env::var_os("SUBSTRACTL_BLESS").is_some() {
        std::fs::write(&path, &out).expect("write man page");
    }
    assert!(
        std::fs::read(&path).unwrap_or_default() == out,
        "completions/substractl.1 is stale: run SUBSTRACTL_BLESS=1 cargo test checked_in_man_page"
    );
}

//! Waiting for another run: every command that locks a directory waits for the lock at most
//! `--lock-wait` seconds, then exits 2 naming the directory, and changes nothing.

use std::time::Duration;

use crate::support::journal::committed_batch;
use crate::support::{backend_values, hold_lock, Test};

const BUSY: &str = "another substractl run holds the lock of";
const HINT: &str = "wait longer with --lock-wait";

/// Two organizations' values files, mode 0600.
fn two_orgs() -> Test {
    Test::new()
        .file("backend-ingen-values.yaml", &backend_values("ingen"))
        .mode("backend-ingen-values.yaml", 0o600)
        .file("backend-tyrell-values.yaml", &backend_values("tyrell"))
        .mode("backend-tyrell-values.yaml", 0o600)
}

#[test]
fn link_gives_up_on_a_directory_another_run_holds() {
    let test = two_orgs();
    let dir = std::fs::canonicalize(test.path()).expect("real path");
    let _held = hold_lock(&dir);
    test.args(["link", "ingen", "tyrell", "--lock-wait", "0.5"])
        .status(2)
        .stderr_contains("waiting for another substractl run to finish in")
        .stderr_contains(&format!("{BUSY} {}", dir.display()))
        .stderr_contains(HINT)
        .unchanged()
        .timeout(Duration::from_secs(30))
        .run();
}

#[test]
fn check_all_and_check_values_give_up_too() {
    let test = two_orgs();
    let dir = std::fs::canonicalize(test.path()).expect("real path");
    let _held = hold_lock(&dir);
    let out = test
        .args(["check", "all", "--timeout", "1", "--lock-wait", "0"])
        .status(2)
        .stderr_contains(&format!("{BUSY} {}", dir.display()))
        .stderr_contains(HINT)
        .unchanged()
        .timeout(Duration::from_secs(30))
        .run();
    out.then()
        .args(["check", "values", "--lock-wait", "0.2"])
        .status(2)
        .stderr_contains(BUSY)
        .unchanged()
        .timeout(Duration::from_secs(30))
        .run();
}

#[test]
fn init_and_certs_gen_give_up_too() {
    let test = two_orgs();
    let dir = std::fs::canonicalize(test.path()).expect("real path");
    let _held = hold_lock(&dir);
    let d = dir.to_str().expect("utf-8").to_string();
    let out = test
        .args(["init", "--yes", "ingen", "tyrell", "--out", &d, "--lock-wait", "0.2"])
        .status(2)
        .stderr_contains(BUSY)
        .stderr_contains(HINT)
        .unchanged()
        .timeout(Duration::from_secs(30))
        .run();
    out.then()
        .args(["certs", "gen", "--out", &d, "--host", "orchestrator.example.com"])
        .args(["--org", "ingen", "--lock-wait", "0.2"])
        .status(2)
        .stderr_contains(BUSY)
        .unchanged()
        .timeout(Duration::from_secs(30))
        .run();
}

#[test]
fn the_run_goes_on_once_the_other_run_is_over() {
    let test = two_orgs();
    let dir = std::fs::canonicalize(test.path()).expect("real path");
    let held = hold_lock(&dir);
    let mut running = test
        .args(["link", "ingen", "tyrell"])
        .stderr_contains("waiting for another substractl run to finish")
        .timeout(Duration::from_secs(60))
        .spawn();
    // Waiting while the lock is held, then done once it is released.
    running.wait_for_stderr("waiting for another substractl run to finish");
    drop(held);
    running.wait();
}

#[test]
fn a_bad_lock_wait_is_refused_by_clap() {
    Test::new()
        .args(["check", "values", "--lock-wait=-1"])
        .status(2)
        .stderr_contains("expected a number of seconds from 0 to 86400")
        .run();
}

#[test]
fn the_exchange_commands_give_up_too() {
    let test = two_orgs();
    let dir = std::fs::canonicalize(test.path()).expect("real path");
    let _held = hold_lock(&dir);
    let d = dir.to_str().expect("utf-8").to_string();
    let values = dir.join("backend-ingen-values.yaml");
    test.args(["exchange", "identity", "--dir", &d, "--values"])
        .args([values.to_str().expect("utf-8"), "--lock-wait", "0.2"])
        .status(2)
        .stderr_contains("waiting for another substractl run to finish in")
        .stderr_contains(&format!("{BUSY} {}", dir.display()))
        .stderr_contains(HINT)
        .unchanged()
        .timeout(Duration::from_secs(30))
        .run();
}

#[test]
fn check_outgoing_gives_up_too() {
    // It reads the values files under the directory's lock, like check values: never a batch
    // another run is renaming.
    let test = two_orgs();
    let dir = std::fs::canonicalize(test.path()).expect("real path");
    let _held = hold_lock(&dir);
    let d = dir.to_str().expect("utf-8").to_string();
    let out = test
        .args(["check", "outgoing", "--all", "--timeout", "1", "--dir", &d, "--lock-wait", "0.2"])
        .status(2)
        .stderr_contains("waiting for another substractl run to finish in")
        .stderr_contains(&format!("{BUSY} {}", dir.display()))
        .stderr_contains(HINT)
        .unchanged()
        .timeout(Duration::from_secs(30))
        .run();
    let out = out
        .then()
        .args(["check", "outgoing", "--org", "ingen", "--timeout", "1", "--dir", &d])
        .args(["--lock-wait", "0.2"])
        .status(2)
        .stderr_contains(&format!("{BUSY} {}", dir.display()))
        .unchanged()
        .timeout(Duration::from_secs(30))
        .run();
    // In the cluster too: the values file is compared with the backend's table.
    out.then()
        .args(["check", "outgoing", "--in-cluster", "--org", "ingen", "--timeout", "1"])
        .args(["--dir", &d, "--lock-wait", "0.2"])
        .status(2)
        .stderr_contains(&format!("{BUSY} {}", dir.display()))
        .unchanged()
        .timeout(Duration::from_secs(30))
        .run();
}

/// Two organizations and a batch that links them, killed after its commit mark: ingen's file
/// is still the old one. Returns the run that linked them, the real directory and ingen's
/// file as the batch writes it.
fn interrupted_link() -> (crate::support::Output, std::path::PathBuf, String) {
    let test = two_orgs();
    let dir = std::fs::canonicalize(test.path()).expect("real path");
    let linked = test.args(["link", "ingen", "tyrell"]).run();
    let new_ingen = linked.read("backend-ingen-values.yaml");
    std::fs::write(dir.join("backend-ingen-values.yaml"), backend_values("ingen"))
        .expect("put back");
    committed_batch(&dir, &[("backend-ingen-values.yaml", &new_ingen)]);
    (linked, dir, new_ingen)
}

#[test]
fn check_outgoing_finishes_an_interrupted_run_before_reading() {
    // A kill after the commit mark of a batch that links ingen to tyrell: the next command
    // that opens the directory finishes it, so check outgoing reads the linked files.
    let (linked, dir, new_ingen) = interrupted_link();
    let d = dir.to_str().expect("utf-8").to_string();
    let out = linked
        .then()
        .args(["check", "outgoing", "--org", "ingen", "--timeout", "1", "--dir", &d])
        .args(["--address", "tyrell=http://127.0.0.1:9", "--no-auth"])
        .status_in(&[0, 1])
        .stderr_contains("finished the writes of an interrupted run")
        .timeout(Duration::from_secs(60))
        .run();
    assert_eq!(out.read("backend-ingen-values.yaml"), new_ingen);
    assert!(!out.stderr.contains("outgoingOrganizations is empty"), "{}", out.stderr);
}

#[test]
fn a_dry_run_finishes_an_interrupted_run_and_says_so() {
    // The diff of a dry run is read from the files as the interrupted batch left them once
    // finished; what it does not write is its own change set, and it says no more.
    let (linked, _, new_ingen) = interrupted_link();
    let out = linked
        .then()
        .args(["link", "ingen", "tyrell", "--rotate", "--dry-run"])
        .stderr_contains("finished the writes of an interrupted run")
        .stdout_contains("\ndry run: none of these changes was written\n")
        .stdout_lacks("nothing was written")
        .run();
    assert_eq!(out.read("backend-ingen-values.yaml"), new_ingen);
}

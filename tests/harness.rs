//! The `Test` builder itself: each expectation fails when the run does not meet it, so that a
//! test written with it can fail.

use std::time::Duration;

use crate::support::{backend_values, Test};

#[test]
#[should_panic(expected = "exit status")]
fn a_wrong_status_fails() {
    Test::new().args(["link", "--nope"]).run();
}

#[test]
#[should_panic(expected = "exit status")]
fn a_wrong_status_fails_at_a_terminal() {
    Test::new().args(["link", "--nope"]).pty(80).run();
}

#[test]
#[should_panic(expected = "stdout differs")]
fn other_stdout_fails() {
    Test::new().args(["--help"]).stdout("link\n").run();
}

#[test]
#[should_panic(expected = "stderr lacks")]
fn missing_text_fails() {
    Test::new().args(["link", "--nope"]).status(2).stderr_contains("--yes-please").run();
}

#[test]
#[should_panic(expected = "stdout holds")]
fn unwanted_text_fails() {
    Test::new().args(["--help"]).stdout_lacks("link").run();
}

#[test]
#[should_panic(expected = "does not match")]
fn a_pattern_that_does_not_match_fails() {
    Test::new().args(["--help"]).stdout_matches(r"\Alink").run();
}

#[test]
#[should_panic(expected = "a secret on stdout")]
fn a_shown_secret_fails_even_when_it_normalizes() {
    // 64 letters and digits read `<secret-N>` after normalizing; never_shows sees them as printed.
    let secret = "k7Q2".repeat(16);
    Test::new()
        .file(
            &format!("backend-{secret}-values.yaml"),
            &format!("orchestrator:\n  mspID: {secret}\n"),
        )
        .args(["check", "links"])
        .status_in(&[0, 1, 2])
        .never_shows(&secret)
        .run();
}

#[test]
#[should_panic(expected = "error line lacks")]
fn another_error_fails() {
    Test::new().args(["link", "--nope"]).status(2).error("nothing like this", "").run();
}

#[test]
#[should_panic(expected = "changed (bytes or mtime)")]
fn a_change_under_unchanged_fails() {
    Test::new()
        .file("backend-o1-values.yaml", &backend_values("o1"))
        .file("backend-o2-values.yaml", &backend_values("o2"))
        .args(["link", "o1", "o2"])
        .unchanged()
        .run();
}

#[test]
#[should_panic(expected = "did not end within")]
fn a_run_past_its_timeout_is_killed_and_fails() {
    // init at a terminal waits for its next answer: the run is killed at its deadline.
    Test::new().args(["init"]).stdin("x").pty(80).timeout(Duration::from_secs(2)).run();
}

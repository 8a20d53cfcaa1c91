//! Helpers shared by the integration tests: a clean command and fixture paths.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The substractl binary with a clean environment: no HOME, no KUBECONFIG, no colour.
pub fn substractl() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("substractl").expect("binary built");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .env("TERM", "dumb");
    cmd
}

/// A file under tests/fixtures.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// The chart's real default backend values (substra-backend 26.15.3).
pub fn backend_chart_values() -> String {
    std::fs::read_to_string(fixture("charts/substra-backend-chart-values.yaml")).expect("fixture")
}

/// The chart's real default orchestrator values (orchestrator 8.8.0).
pub fn orchestrator_chart_values() -> String {
    std::fs::read_to_string(fixture("charts/orchestrator-chart-values.yaml")).expect("fixture")
}

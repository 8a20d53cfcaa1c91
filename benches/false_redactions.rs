//! How often the redactor of a deployment of many organizations removes text that holds no
//! credential: a deployment of N organizations made by `init` holds N×N pair secrets, each
//! looked for in about 30 spellings as runs of 8 letters and digits, and ordinary text holds
//! such a run by chance now and then. The ordinary text is the README's and the changelog's
//! lines (none holds a credential of those deployments); the figure is the share of lines that
//! scrubbing changes.
//!
//! Each size is measured on `RUNS` deployments (3 by default), as each has new secrets. Run
//! with `cargo bench --bench false_redactions` (`SIZES="40 100"`, `RUNS=5` for others). It
//! prints the figures quoted in the README.

use std::path::Path;
use std::process::Command;

use substractl::deployment::{Deployment, Select};
use substractl::probe::redact::REDACTED;
use substractl::workspace::Workspace;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut lines: Vec<String> = Vec::new();
    for file in ["README.md", "CHANGELOG.md"] {
        let text = std::fs::read_to_string(root.join(file)).expect("read");
        lines.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty() && !l.contains(REDACTED))
                .map(str::to_string),
        );
    }
    let sizes = std::env::var("SIZES").unwrap_or_else(|_| "40 100 200".into());
    let runs: usize = std::env::var("RUNS").map_or(3, |r| r.parse().expect("RUNS, a number"));
    println!(
        "{:<18} {:>13}   lines changed of {} (each of {runs} deployments)",
        "deployment",
        "pair secrets",
        lines.len()
    );
    for n in sizes.split_whitespace().map(|n| n.parse::<usize>().expect("a size")) {
        let mut counts = Vec::new();
        let mut examples = Vec::new();
        for _ in 0..runs {
            let changed = changed_lines(n, &lines);
            counts.push(changed.len());
            examples.extend(changed.into_iter().take(2));
        }
        let mean = counts.iter().sum::<usize>() as f64 / counts.len() as f64;
        println!(
            "{:<18} {:>13}   {:?}: {:.2}% on average",
            format!("{n} organizations"),
            n * n,
            counts,
            100.0 * mean / lines.len() as f64
        );
        for (line, scrubbed) in examples.iter().take(3) {
            println!("    {}\n      -> {}", line.trim(), scrubbed.trim());
        }
    }
}

/// The lines that the redactor of a new deployment of `n` organizations changes, scrubbed.
fn changed_lines(n: usize, lines: &[String]) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("d");
    let orgs: Vec<String> = (1..=n).map(|i| format!("o{i}")).collect();
    let status = Command::new(env!("CARGO_BIN_EXE_substractl"))
        .arg("init")
        .args(&orgs)
        .args(["--yes", "--no-tls", "--out"])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run substractl init");
    assert!(status.success(), "substractl init failed");
    let ws = Workspace::new(&out, "backend-{org}-values.yaml")
        .and_then(|ws| ws.existing())
        .expect("the deployment");
    let select = Select {
        orgs: &[],
        create: None,
        orchestrator: Some(Path::new("orchestrator-values.yaml")),
    };
    let deployment = Deployment::open(&ws, select).expect("open the deployment");
    let redactor = deployment.held().redactor();
    lines
        .iter()
        .map(|l| (l.clone(), redactor.scrub(l)))
        .filter(|(l, scrubbed)| l != scrubbed)
        .collect()
}

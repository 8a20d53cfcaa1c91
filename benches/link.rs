//! Benchmark of `substractl link` on the chart's full values file: 100 organizations, each
//! file a copy of the chart's values with its own MSP ID (10,000 secrets, 100 files of about
//! 1,200 lines), then smaller meshes to show how the time grows with the bytes written.
//!
//! Run with `cargo bench --bench link`. It prints the figures quoted in the README.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

fn chart() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/charts/substra-backend-chart-values.yaml");
    std::fs::read_to_string(path).expect("chart values fixture")
}

/// A directory with `n` copies of the chart's values, each with its own MSP ID.
fn deployment(n: usize, chart: &str) -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let orgs: Vec<String> = (0..n).map(|i| format!("org{i:03}")).collect();
    for org in &orgs {
        let text = chart.replace("  mspID: OwkinPeerMSP\n", &format!("  mspID: {org}\n"));
        let path = dir.path().join(format!("backend-{org}-values.yaml"));
        std::fs::write(&path, text).expect("write");
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .expect("chmod");
    }
    (dir, orgs)
}

fn link(dir: &Path, orgs: &[String]) -> Duration {
    let start = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_substractl"))
        .arg("link")
        .args(orgs)
        .arg("-o")
        .arg("json")
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run substractl");
    let elapsed = start.elapsed();
    assert!(status.success(), "substractl link failed");
    elapsed
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").metadata().expect("meta").len())
        .sum()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let chart = chart();
    println!(
        "substractl link, chart values {} lines, {RUNS} runs each (median, min)",
        chart.lines().count()
    );
    println!(
        "{:>5} {:>8} {:>10} {:>10} {:>10} {:>12} {:>14}",
        "orgs", "secrets", "bytes", "first", "min", "second run", "ms per MB"
    );
    for n in [25, 50, 100] {
        let mut first = Vec::new();
        let mut second = Vec::new();
        let mut bytes = 0;
        for _ in 0..RUNS {
            let (dir, orgs) = deployment(n, &chart);
            first.push(link(dir.path(), &orgs));
            bytes = dir_bytes(dir.path());
            second.push(link(dir.path(), &orgs));
        }
        let min = *first.iter().min().expect("runs");
        let med = median(first);
        let per_mb = med.as_secs_f64() * 1000.0 / (bytes as f64 / 1_000_000.0);
        println!(
            "{n:>5} {:>8} {bytes:>10} {:>8.1}ms {:>8.1}ms {:>10.1}ms {per_mb:>14.1}",
            n * n,
            med.as_secs_f64() * 1000.0,
            min.as_secs_f64() * 1000.0,
            median(second).as_secs_f64() * 1000.0,
        );
    }
}

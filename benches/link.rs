//! Benchmark of `substractl link` on the chart's full values file: 100 organizations, each
//! file a copy of the chart's values with its own MSP ID (10,000 secrets, 100 files of about
//! 1,200 lines), then smaller meshes to show how the time grows with the bytes written.
//!
//! Run with `cargo bench --bench link`. It prints the figures quoted in the README. With
//! `SUBSTRACTL_BASELINE=/path/to/another/substractl`, each run of this build is followed by one
//! of that binary on a fresh copy of the same files, and the two CPU times are compared: the
//! way to compare two versions on one machine in one run.

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

/// Runs `substractl link` once; returns its wall time and its CPU time (user + system, as
/// bash's `times` reports it for the child), which a busy machine disturbs far less.
fn link(dir: &Path, orgs: &[String]) -> (Duration, Duration) {
    link_with(env!("CARGO_BIN_EXE_substractl"), dir, orgs)
}

fn link_with(binary: &str, dir: &Path, orgs: &[String]) -> (Duration, Duration) {
    let script = format!("{binary} link {} -o json >/dev/null || exit 1; times", orgs.join(" "));
    let start = Instant::now();
    let out =
        Command::new("bash").args(["-c", &script]).current_dir(dir).output().expect("run bash");
    let elapsed = start.elapsed();
    assert!(
        out.status.success(),
        "substractl link failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `times` prints the shell's user and system times, then its children's: "0m0.600s 0m0.139s".
    let text = String::from_utf8_lossy(&out.stdout);
    let cpu =
        text.lines().nth(1).map(|l| l.split_whitespace().map(seconds).sum::<f64>()).unwrap_or(0.0);
    (elapsed, Duration::from_secs_f64(cpu))
}

fn seconds(field: &str) -> f64 {
    let (min, sec) = field.trim_end_matches('s').split_once('m').unwrap_or(("0", field));
    min.parse::<f64>().unwrap_or(0.0) * 60.0 + sec.parse::<f64>().unwrap_or(0.0)
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
    if let Ok(baseline) = std::env::var("SUBSTRACTL_BASELINE") {
        return compare(&chart, &baseline);
    }
    println!(
        "substractl link, chart values ({} lines), {RUNS} runs each; wall and CPU are medians",
        chart.lines().count()
    );
    println!(
        "{:>5} {:>8} {:>10} {:>10} {:>10} {:>12} {:>12}",
        "orgs", "secrets", "bytes", "wall", "cpu", "second run", "cpu ms/MB"
    );
    for n in [25, 50, 100] {
        let mut wall = Vec::new();
        let mut cpu = Vec::new();
        let mut second = Vec::new();
        let mut bytes = 0;
        for _ in 0..RUNS {
            let (dir, orgs) = deployment(n, &chart);
            let (w, c) = link(dir.path(), &orgs);
            wall.push(w);
            cpu.push(c);
            bytes = dir_bytes(dir.path());
            second.push(link(dir.path(), &orgs).0);
        }
        let cpu = median(cpu);
        let per_mb = cpu.as_secs_f64() * 1000.0 / (bytes as f64 / 1_000_000.0);
        println!(
            "{n:>5} {:>8} {bytes:>10} {:>8.0}ms {:>8.0}ms {:>10.0}ms {per_mb:>12.1}",
            n * n,
            median(wall).as_secs_f64() * 1000.0,
            cpu.as_secs_f64() * 1000.0,
            median(second).as_secs_f64() * 1000.0,
        );
    }
}

/// This build against another binary, 100 organizations, runs interleaved.
fn compare(chart: &str, baseline: &str) {
    const PAIRS: usize = 11;
    println!("substractl link, 100 organizations, {PAIRS} interleaved runs of each binary");
    println!("baseline: {baseline}");
    let (mut this, mut that) = (Vec::new(), Vec::new());
    let mut bytes = 0;
    for _ in 0..PAIRS {
        let (dir, orgs) = deployment(100, chart);
        this.push(link(dir.path(), &orgs).1);
        bytes = dir_bytes(dir.path());
        let (dir, orgs) = deployment(100, chart);
        that.push(link_with(baseline, dir.path(), &orgs).1);
    }
    let mb = bytes as f64 / 1_000_000.0;
    let (this, that) = (median(this), median(that));
    println!("{:>10} {:>12} {:>12}", "", "cpu (median)", "cpu ms/MB");
    for (name, cpu) in [("this build", this), ("baseline", that)] {
        let ms = cpu.as_secs_f64() * 1000.0;
        println!("{name:>10} {ms:>10.0}ms {:>12.1}", ms / mb);
    }
    println!(
        "ratio: this build takes {:.0}% of the baseline's CPU time per MB",
        100.0 * this.as_secs_f64() / that.as_secs_f64()
    );
}

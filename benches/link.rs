//! Benchmark of `substractl link` on the chart's full values file: 100 organizations, each
//! file a copy of the chart's values with its own MSP ID (10,000 secrets, 100 files of about
//! 1,200 lines), then smaller meshes to show how the time grows with the bytes written.
//!
//! Run with `cargo bench --bench link`. It prints the figures quoted in the README. With
//! `SUBSTRACTL_BASELINE=/path/to/another/substractl`, each run of this build is followed by one
//! of that binary on a fresh copy of the same files, and the two CPU times are compared: the
//! way to compare two versions on one machine in one run. That mode also times, in this
//! process, the two readings of a file by the strict parser that `link` keeps (the read into the
//! model and the read-back of the edit), and prints the system time of the runs: the part of the
//! CPU time that no change to the rest of the code can remove.

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

/// One run's times: wall, CPU (user + system, as bash's `times` reports it for the child,
/// which a busy machine disturbs far less) and the system part of that CPU time.
struct Times {
    wall: Duration,
    cpu: Duration,
    system: Duration,
}

/// Runs `substractl link` once.
fn link(dir: &Path, orgs: &[String]) -> Times {
    link_with(env!("CARGO_BIN_EXE_substractl"), dir, orgs)
}

fn link_with(binary: &str, dir: &Path, orgs: &[String]) -> Times {
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
    let fields: Vec<f64> = text
        .lines()
        .nth(1)
        .map(|l| l.split_whitespace().map(seconds).collect())
        .unwrap_or_default();
    Times {
        wall: elapsed,
        cpu: Duration::from_secs_f64(fields.iter().sum()),
        system: Duration::from_secs_f64(fields.get(1).copied().unwrap_or(0.0)),
    }
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
            let t = link(dir.path(), &orgs);
            wall.push(t.wall);
            cpu.push(t.cpu);
            bytes = dir_bytes(dir.path());
            second.push(link(dir.path(), &orgs).wall);
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
    let (mut this, mut that, mut system) = (Vec::new(), Vec::new(), Vec::new());
    let mut bytes = 0;
    let mut linked = String::new();
    for _ in 0..PAIRS {
        let (dir, orgs) = deployment(100, chart);
        let t = link(dir.path(), &orgs);
        this.push(t.cpu);
        system.push(t.system);
        bytes = dir_bytes(dir.path());
        linked = std::fs::read_to_string(dir.path().join("backend-org000-values.yaml"))
            .expect("linked file");
        let (dir, orgs) = deployment(100, chart);
        that.push(link_with(baseline, dir.path(), &orgs).cpu);
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
    let share = |d: Duration| 100.0 * d.as_secs_f64() / that.as_secs_f64();
    let system = median(system);
    println!(
        "system time of this build (writing, syncing and renaming the files; memory): {:.0}ms, \
         {:.0}% of the baseline's CPU time",
        system.as_secs_f64() * 1000.0,
        share(system)
    );
    let (read, read_back) = strict_readings(chart, &linked);
    let readings = (read + read_back) * 100;
    println!(
        "the strict parser's two readings of each file (the read, {:.2} ms; the read-back of the \
         edited file, {:.2} ms): {:.0}ms for 100 files, {:.0}% of the baseline's CPU time",
        read.as_secs_f64() * 1000.0,
        read_back.as_secs_f64() * 1000.0,
        readings.as_secs_f64() * 1000.0,
        share(readings)
    );
}

/// The time of the strict parser's two readings of one file, in this process, as `link` makes
/// them: the read of the file into the model, and the read-back of the edited text, which
/// compares as it reads. The mean of 400 of each, in this thread's CPU time.
fn strict_readings(original: &str, linked: &str) -> (Duration, Duration) {
    use substractl::values::{readback, Doc};
    const READS: u32 = 400;
    let path = Path::new("backend-org000-values.yaml");
    let expected = Doc::from_text(path, linked.to_string(), true).expect("linked file reads").data;
    let texts: Vec<String> = (0..READS).map(|_| original.to_string()).collect();
    let start = thread_cpu();
    for text in texts {
        let doc = Doc::from_text(path, text, true).expect("chart file reads");
        std::hint::black_box(doc);
    }
    let read = (thread_cpu() - start) / READS;
    let start = thread_cpu();
    for _ in 0..READS {
        assert!(readback::reads_as(linked, &expected), "the linked file reads back");
    }
    (read, (thread_cpu() - start) / READS)
}

/// The CPU time this thread has used (user and system, counted in clock ticks of 10 ms).
fn thread_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("thread stat");
    // After the command name, which is in parentheses: utime and stime are the 12th and 13th
    // fields that follow it.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 =
        after.split_whitespace().skip(11).take(2).filter_map(|f| f.parse::<u64>().ok()).sum();
    Duration::from_millis(ticks * 10)
}

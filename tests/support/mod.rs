//! Helpers shared by the integration tests: a clean command and fixture paths.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
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

/// A backend values file for `org`: the chart's default values with the organization's own
/// MSP ID.
pub fn backend_values(org: &str) -> String {
    backend_chart_values().replace("  mspID: OwkinPeerMSP\n", &format!("  mspID: {org}\n"))
}

/// Whether the tests run as root.
pub fn is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false)
}

/// What a stream must hold.
#[derive(Debug, Clone)]
enum Expect {
    Exact(String),
    Contains(Vec<String>),
}

/// One run of substractl in a fresh directory, built step by step:
///
/// ```ignore
/// Test::new()
///     .tree("link/chart-two-orgs/in")
///     .args(["link", "ingen", "biotechnica"])
///     .stderr("")
///     .out_tree("link/chart-two-orgs/out")
///     .run();
/// ```
///
/// The command runs in `<temp>/in` with a clean environment. Its status must be `.status(n)`
/// (0 unless told). Streams are compared after [`normalize`]: generated secrets read
/// `<secret-N>` and dates `<date>`. `SUBSTRACTL_BLESS=1` rewrites an `.out_tree(..)` fixture.
pub struct Test {
    dir: tempfile::TempDir,
    args: Vec<String>,
    env: Vec<(String, String)>,
    status: i32,
    stdout: Option<Expect>,
    stderr: Option<Expect>,
    out_tree: Option<PathBuf>,
    unchanged: bool,
    timeout: Option<std::time::Duration>,
    user: Option<u32>,
}

/// What a [`Test`] left: its streams, normalized, and its directory for more assertions.
pub struct Output {
    pub dir: tempfile::TempDir,
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// The `in/` directory the command ran in.
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("in")
    }

    /// A file of the `in/` directory.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).expect("read file")
    }
}

impl Default for Test {
    fn default() -> Self {
        Test::new()
    }
}

impl Test {
    pub fn new() -> Test {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("in")).expect("mkdir in");
        Test {
            dir,
            args: Vec::new(),
            env: Vec::new(),
            status: 0,
            stdout: None,
            stderr: None,
            out_tree: None,
            unchanged: false,
            timeout: None,
            user: None,
        }
    }

    /// The `in/` directory the command runs in.
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("in")
    }

    /// Copies a directory (a path under tests/fixtures, or any other path) into `in/`.
    pub fn tree(self, dir: impl AsRef<Path>) -> Test {
        let dir = dir.as_ref();
        let src =
            if dir.is_absolute() { dir.to_path_buf() } else { fixture(&dir.to_string_lossy()) };
        copy_tree(&src, &self.path());
        self
    }

    /// Writes a file of `in/` (its directories are made).
    pub fn file(self, rel: &str, text: &str) -> Test {
        let path = self.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, text).expect("write file");
        self
    }

    /// Sets the mode of a file of `in/`.
    pub fn mode(self, rel: &str, mode: u32) -> Test {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(self.path().join(rel), std::fs::Permissions::from_mode(mode))
            .expect("chmod");
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Test
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.args.extend(args.into_iter().map(|a| a.as_ref().to_string()));
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Test {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// The exact exit status (0 unless told).
    pub fn status(mut self, code: i32) -> Test {
        self.status = code;
        self
    }

    /// The exact standard output, after [`normalize`].
    pub fn stdout(mut self, text: &str) -> Test {
        self.stdout = Some(Expect::Exact(text.to_string()));
        self
    }

    /// The exact standard error, after [`normalize`].
    pub fn stderr(mut self, text: &str) -> Test {
        self.stderr = Some(Expect::Exact(text.to_string()));
        self
    }

    /// Standard output must contain `text` (repeatable).
    pub fn stdout_contains(mut self, text: &str) -> Test {
        push_contains(&mut self.stdout, text);
        self
    }

    /// Standard error must contain `text` (repeatable).
    pub fn stderr_contains(mut self, text: &str) -> Test {
        push_contains(&mut self.stderr, text);
        self
    }

    /// After the run, `in/` must equal this directory (a path under tests/fixtures): the same
    /// files, the same bytes after [`normalize`].
    pub fn out_tree(mut self, dir: impl AsRef<Path>) -> Test {
        let dir = dir.as_ref();
        self.out_tree = Some(if dir.is_absolute() {
            dir.to_path_buf()
        } else {
            fixture(&dir.to_string_lossy())
        });
        self
    }

    /// After the run, every file of `in/` must have its bytes and modification time of before.
    pub fn unchanged(mut self) -> Test {
        self.unchanged = true;
        self
    }

    /// Kills the command after this long (a test must never hang).
    pub fn timeout(mut self, limit: std::time::Duration) -> Test {
        self.timeout = Some(limit);
        self
    }

    /// Runs the command as this user and group id (through setpriv), when the tests run as root.
    pub fn user(mut self, id: u32) -> Test {
        self.user = Some(id);
        self
    }

    /// Runs the command and checks every expectation.
    pub fn run(self) -> Output {
        let before = self.unchanged.then(|| snapshot(&self.path()));
        let mut cmd = match self.user.filter(|_| is_root()) {
            Some(id) => {
                // The other user must reach in/ through the temporary directory.
                std::fs::set_permissions(
                    self.dir.path(),
                    std::os::unix::fs::PermissionsExt::from_mode(0o755),
                )
                .expect("chmod");
                let mut c = assert_cmd::Command::new("setpriv");
                c.env_clear()
                    .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                    .env("NO_COLOR", "1")
                    .env("TERM", "dumb")
                    .arg(format!("--reuid={id}"))
                    .arg(format!("--regid={id}"))
                    .arg("--clear-groups")
                    .arg(assert_cmd::cargo::cargo_bin("substractl"));
                c
            }
            None => substractl(),
        };
        cmd.current_dir(self.path()).args(&self.args);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd.timeout(self.timeout.unwrap_or(std::time::Duration::from_secs(120)));
        let out = cmd.output().expect("substractl runs");
        let stdout = normalize(&String::from_utf8_lossy(&out.stdout));
        let stderr = normalize(&String::from_utf8_lossy(&out.stderr));
        let status = out.status.code().unwrap_or(-1);
        let shown = format!(
            "substractl {}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
            self.args.join(" ")
        );
        assert_eq!(status, self.status, "exit status of {shown}");
        check_stream("stdout", &stdout, self.stdout.as_ref(), &shown);
        check_stream("stderr", &stderr, self.stderr.as_ref(), &shown);
        if let Some(before) = before {
            let after = snapshot(&self.path());
            assert_eq!(
                before.keys().collect::<Vec<_>>(),
                after.keys().collect::<Vec<_>>(),
                "files changed by {shown}"
            );
            for (name, was) in &before {
                assert!(after[name] == *was, "{name} changed (bytes or mtime) by {shown}");
            }
        }
        if let Some(want_dir) = &self.out_tree {
            let got: BTreeMap<String, String> =
                normalize_tree(&read_tree(&self.path())).into_iter().collect();
            if std::env::var_os("SUBSTRACTL_BLESS").is_some() {
                let _ = std::fs::remove_dir_all(want_dir);
                for (name, text) in &got {
                    let path = want_dir.join(name);
                    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
                    std::fs::write(path, text).expect("bless");
                }
            }
            let want = read_tree(want_dir);
            assert_eq!(
                got.keys().collect::<Vec<_>>(),
                want.keys().collect::<Vec<_>>(),
                "files after {shown} (SUBSTRACTL_BLESS=1 rewrites {})",
                want_dir.display()
            );
            for (name, text) in &want {
                if got[name] != *text {
                    let diff = similar::TextDiff::from_lines(text.as_str(), got[name].as_str())
                        .unified_diff()
                        .header("expected", "got")
                        .to_string();
                    panic!(
                        "{name} differs after {shown}\n(SUBSTRACTL_BLESS=1 rewrites {}):\n{diff}",
                        want_dir.display()
                    );
                }
            }
        }
        Output { dir: self.dir, status, stdout, stderr }
    }
}

fn push_contains(slot: &mut Option<Expect>, text: &str) {
    match slot {
        Some(Expect::Contains(v)) => v.push(text.to_string()),
        _ => *slot = Some(Expect::Contains(vec![text.to_string()])),
    }
}

fn check_stream(name: &str, got: &str, want: Option<&Expect>, shown: &str) {
    match want {
        None => {}
        Some(Expect::Exact(text)) if got != text => {
            let diff = similar::TextDiff::from_lines(text.as_str(), got)
                .unified_diff()
                .header("expected", "got")
                .to_string();
            panic!("{name} differs:\n{diff}\n{shown}");
        }
        Some(Expect::Exact(_)) => {}
        Some(Expect::Contains(parts)) => {
            for part in parts {
                assert!(got.contains(part.as_str()), "{name} lacks {part:?}:\n{shown}");
            }
        }
    }
}

fn copy_tree(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for entry in std::fs::read_dir(src).unwrap_or_else(|e| panic!("{}: {e}", src.display())) {
        let entry = entry.expect("entry");
        let to = dst.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).expect("copy");
        }
    }
}

/// Every regular file under `dir`, by relative path, with its text.
pub fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut |rel, path, meta| {
        if meta.is_file() {
            out.insert(rel, std::fs::read_to_string(path).expect("read file"));
        }
    });
    out
}

/// What a file is, for [`snapshot`]: a FIFO is never opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    File(Vec<u8>, std::time::SystemTime),
    Link(PathBuf),
    Dir,
    Other,
}

/// Every entry under `dir` (symbolic links not followed), with bytes and modification times.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut |rel, path, meta| {
        let t = meta.file_type();
        let entry = if t.is_file() {
            Entry::File(std::fs::read(path).expect("read"), meta.modified().expect("mtime"))
        } else if t.is_symlink() {
            Entry::Link(std::fs::read_link(path).expect("readlink"))
        } else if t.is_dir() {
            Entry::Dir
        } else {
            Entry::Other
        };
        out.insert(rel, entry);
    });
    out
}

fn walk(root: &Path, dir: &Path, f: &mut dyn FnMut(String, &Path, &std::fs::Metadata)) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries {
        let entry = entry.expect("entry");
        let path = entry.path();
        let meta = std::fs::symlink_metadata(&path).expect("metadata");
        let rel = path.strip_prefix(root).expect("under root").to_string_lossy().into_owned();
        f(rel, &path, &meta);
        if meta.is_dir() {
            walk(root, &path, f);
        }
    }
}

fn is_secret(word: &str) -> bool {
    word.len() == 64 && word.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Replaces generated secrets (64 letters and digits) by `<secret-N>`, numbered by first
/// appearance, and dates (YYYY-MM-DD, with any time after them) by `<date>`.
pub fn normalize(text: &str) -> String {
    normalize_with(text, &mut HashMap::new())
}

/// [`normalize`] over several files, numbering secrets across them (in name order), so that two
/// sides sharing one secret show the same number.
pub fn normalize_tree(tree: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut numbers = HashMap::new();
    tree.iter().map(|(name, text)| (name.clone(), normalize_with(text, &mut numbers))).collect()
}

fn normalize_with(text: &str, numbers: &mut HashMap<String, usize>) -> String {
    let dates = regex::Regex::new(
        r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2}| UTC)?)?",
    )
    .expect("regex");
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let mut flush = |word: &mut String, out: &mut String| {
        if is_secret(word) {
            let next = numbers.len() + 1;
            let n = *numbers.entry(word.clone()).or_insert(next);
            out.push_str(&format!("<secret-{n}>"));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    dates.replace_all(&out, "<date>").into_owned()
}

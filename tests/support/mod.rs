//! What the integration tests share: the `Test` builder that runs the real binary, fixture
//! paths and trees, and (in submodules) the test servers and the test PKI.

#![allow(dead_code)]

pub mod backend;
pub mod grpc;
pub mod hostile;
pub mod hostile_text;
pub mod http;
pub mod journal;
pub mod kubectl;
pub mod pki;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The runtime of the test servers, shared by every test of the binary.
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("test runtime")
    })
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

/// Credentials of the kinds the charts' values hold, written in one of the ways YAML can
/// write them, to put around the lists a command edits so that a dry run's diff shows their
/// lines (three lines of context each side).
pub struct ChartCredentials {
    /// Lines that end right before `addAccountOperator:`: a `postgresql.auth.postgresPassword`.
    pub before: &'static str,
    /// Lines that start right after the last list: minio's `rootPassword` and an `env` entry.
    pub after: &'static str,
    /// What a diff must never show of them.
    pub values: &'static [&'static str],
}

/// One [`ChartCredentials`] for each way of writing `postgresPassword`: plain, quoted, folded
/// over two lines (the key out of the diff's context), and in a flow mapping with the password
/// in a URL of a comment above it; minio's `rootPassword` in block and flow style.
pub fn chart_credentials() -> [ChartCredentials; 4] {
    const BLOCK: &str = "minio:\n  auth:\n    rootPassword: MinioRootPw12345678\n\
                         extraEnv:\n  - name: API_TOKEN\n    value: ApiT0kenValue555\n";
    const FLOW: &str = "minio: {auth: {rootUser: admin, rootPassword: MinioRootPw12345678}}\n\
                        extraEnv:\n  - {name: API_TOKEN, value: ApiT0kenValue555}\n";
    const AFTER: [&str; 2] = ["MinioRootPw12345678", "ApiT0kenValue555"];
    [
        ChartCredentials {
            before: "postgresql:\n  auth:\n    postgresPassword: PgPlainPw4567\n",
            after: BLOCK,
            values: &["PgPlainPw4567", AFTER[0], AFTER[1]],
        },
        ChartCredentials {
            before: "postgresql:\n  auth:\n    postgresPassword: 'Pg''Quoted: #9'\n",
            after: FLOW,
            values: &["Pg'Quoted", "Pg''Quoted", "Quoted: #9", AFTER[0], AFTER[1]],
        },
        ChartCredentials {
            before:
                "postgresql:\n  auth:\n    postgresPassword: >-\n      PgFolded1\n      PgFolded2\n",
            after: BLOCK,
            values: &["PgFolded1", "PgFolded2", AFTER[0], AFTER[1]],
        },
        ChartCredentials {
            before: "# DATABASE_URL=postgres://postgres:PgFlow9876@db/substra\n\
                     postgresql: {auth: {username: substra, postgresPassword: PgFlow9876}}\n",
            after: FLOW,
            values: &["PgFlow9876", AFTER[0], AFTER[1]],
        },
    ]
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
    Contains(String),
    Lacks(String),
    Matches(regex::Regex),
}

/// One run of substractl, built step by step:
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
/// The command runs in `<temp>/in` (or in the directory given to [`Test::in_dir`]) with a clean
/// environment. Its status must be `.status(n)` (0 unless told). Streams are compared as printed
/// or after [`normalize`] (generated secrets read `<secret-N>` and dates `<date>`), either may
/// match; `.never_shows(..)`, `.stdout_lacks(..)` and the [`Output`] see them as printed.
/// `SUBSTRACTL_BLESS=1` rewrites an `.out_tree(..)` fixture.
pub struct Test {
    dir: Option<tempfile::TempDir>,
    cwd: PathBuf,
    args: Vec<String>,
    env: Vec<(String, Option<String>)>,
    stdin: Option<Vec<u8>>,
    pty: Option<u16>,
    stdout_closed: bool,
    status: Vec<i32>,
    stdout: Vec<Expect>,
    stderr: Vec<Expect>,
    never: Vec<String>,
    error: Option<(String, String)>,
    out_tree: Option<PathBuf>,
    unchanged: bool,
    timeout: Option<std::time::Duration>,
    user: Option<u32>,
    faults: Option<String>,
    wrapper: Option<String>,
}

/// What a [`Test`] left: its exit status, its streams as printed (lossy UTF-8, a terminal's
/// `\r\n` read as `\n`), and its directory for more assertions.
pub struct Output {
    dir: Option<tempfile::TempDir>,
    cwd: PathBuf,
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
    /// How long the command ran (benchmarks print it; a deadline may bound it).
    pub elapsed: std::time::Duration,
}

impl Output {
    /// The directory the command ran in (`in/` of a fresh test).
    pub fn path(&self) -> PathBuf {
        self.cwd.clone()
    }

    /// The temporary directory holding `in/` (where a command may write beside it).
    pub fn root(&self) -> PathBuf {
        self.dir.as_ref().map(|d| d.path().to_path_buf()).unwrap_or_else(|| self.cwd.clone())
    }

    /// A file of the directory the command ran in.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).expect("read file")
    }

    /// Standard output as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// The `Test` of another command in the same directory (which it keeps alive).
    pub fn then(self) -> Test {
        let mut test = Test::in_dir(&self.cwd);
        test.dir = self.dir;
        test
    }
}

impl Default for Test {
    fn default() -> Self {
        Test::new()
    }
}

impl Test {
    /// A run in the `in/` directory of a fresh temporary directory.
    pub fn new() -> Test {
        let dir = tempfile::tempdir().expect("temp dir");
        let cwd = dir.path().join("in");
        std::fs::create_dir(&cwd).expect("mkdir in");
        Test { dir: Some(dir), ..Test::in_dir(cwd) }
    }

    /// A run in a directory the test holds (the files `.tree(..)` and `.file(..)` write go there).
    pub fn in_dir(dir: impl AsRef<Path>) -> Test {
        Test {
            dir: None,
            cwd: dir.as_ref().to_path_buf(),
            args: Vec::new(),
            env: Vec::new(),
            stdin: None,
            pty: None,
            stdout_closed: false,
            status: vec![0],
            stdout: Vec::new(),
            stderr: Vec::new(),
            never: Vec::new(),
            error: None,
            out_tree: None,
            unchanged: false,
            timeout: None,
            user: None,
            faults: None,
            wrapper: None,
        }
    }

    /// The directory the command runs in.
    pub fn path(&self) -> PathBuf {
        self.cwd.clone()
    }

    /// Copies a directory (a path under tests/fixtures, or any other path) into the directory.
    pub fn tree(self, dir: impl AsRef<Path>) -> Test {
        let dir = dir.as_ref();
        let src =
            if dir.is_absolute() { dir.to_path_buf() } else { fixture(&dir.to_string_lossy()) };
        copy_tree(&src, &self.path());
        self
    }

    /// Writes a file of the directory (its directories are made).
    pub fn file(self, rel: &str, text: &str) -> Test {
        let path = self.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, text).expect("write file");
        self
    }

    /// Sets the mode of a file of the directory.
    pub fn mode(self, rel: &str, mode: u32) -> Test {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(self.path().join(rel), std::fs::Permissions::from_mode(mode))
            .expect("chmod");
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Test
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.args.extend(
            args.into_iter().map(|a| a.as_ref().to_str().expect("arguments are UTF-8").to_string()),
        );
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Test {
        let value = value.as_ref().to_str().expect("UTF-8 environment").to_string();
        self.env.push((key.to_string(), Some(value)));
        self
    }

    /// Removes a variable of the clean environment (`NO_COLOR`, `TERM`, `PATH`).
    pub fn env_remove(mut self, key: &str) -> Test {
        self.env.push((key.to_string(), None));
        self
    }

    /// What the command reads on standard input (nothing, an end of file, unless told). At a
    /// terminal ([`Test::pty`]) these are keys typed, and input stays open until the command ends.
    pub fn stdin(mut self, text: &str) -> Test {
        self.stdin = Some(text.as_bytes().to_vec());
        self
    }

    /// Runs the command in a pseudo-terminal `columns` wide (util-linux `script`): standard
    /// output is what the terminal showed (both streams), standard error is empty.
    pub fn pty(mut self, columns: u16) -> Test {
        self.pty = Some(columns);
        self
    }

    /// Standard output is a pipe whose reader has gone (`substractl ... | head`): the command
    /// writes into a closed pipe.
    pub fn stdout_closed(mut self) -> Test {
        self.stdout_closed = true;
        self
    }

    /// The exact exit status (0 unless told).
    pub fn status(mut self, code: i32) -> Test {
        self.status = vec![code];
        self
    }

    /// The exit status is one of these (where a run may or may not find a problem).
    pub fn status_in(mut self, codes: &[i32]) -> Test {
        self.status = codes.to_vec();
        self
    }

    /// The exact standard output, after [`normalize`].
    pub fn stdout(mut self, text: &str) -> Test {
        self.stdout.push(Expect::Exact(text.to_string()));
        self
    }

    /// The exact standard error, after [`normalize`].
    pub fn stderr(mut self, text: &str) -> Test {
        self.stderr.push(Expect::Exact(text.to_string()));
        self
    }

    /// Standard output must contain `text` (repeatable).
    pub fn stdout_contains(mut self, text: &str) -> Test {
        self.stdout.push(Expect::Contains(text.to_string()));
        self
    }

    /// Standard error must contain `text` (repeatable).
    pub fn stderr_contains(mut self, text: &str) -> Test {
        self.stderr.push(Expect::Contains(text.to_string()));
        self
    }

    /// Standard output, as printed, must not contain `text` (repeatable).
    pub fn stdout_lacks(mut self, text: &str) -> Test {
        self.stdout.push(Expect::Lacks(text.to_string()));
        self
    }

    /// Standard error, as printed, must not contain `text` (repeatable).
    pub fn stderr_lacks(mut self, text: &str) -> Test {
        self.stderr.push(Expect::Lacks(text.to_string()));
        self
    }

    /// Standard output must match this regular expression (after [`normalize`]).
    pub fn stdout_matches(mut self, pattern: &str) -> Test {
        self.stdout.push(Expect::Matches(regex::Regex::new(pattern).expect("regex")));
        self
    }

    /// Standard error must match this regular expression (after [`normalize`]).
    pub fn stderr_matches(mut self, pattern: &str) -> Test {
        self.stderr.push(Expect::Matches(regex::Regex::new(pattern).expect("regex")));
        self
    }

    /// Neither stream, as printed, holds `secret` (repeatable).
    pub fn never_shows(mut self, secret: &str) -> Test {
        self.never.push(secret.to_string());
        self
    }

    /// The error line (`substractl: error: ...`) contains `message` and the hint line `hint`.
    pub fn error(mut self, message: &str, hint: &str) -> Test {
        self.error = Some((message.to_string(), hint.to_string()));
        self
    }

    /// After the run, the directory must equal this one (a path under tests/fixtures): the same
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

    /// After the run, every file of the directory must have its bytes and modification time of
    /// before.
    pub fn unchanged(mut self) -> Test {
        self.unchanged = true;
        self
    }

    /// Kills the command after this long (a test must never hang; 120 s unless told).
    pub fn timeout(mut self, limit: std::time::Duration) -> Test {
        self.timeout = Some(limit);
        self
    }

    /// Runs the command as this user and group id (through setpriv), when the tests run as root.
    /// Runs substractl under strace, which makes system calls fail as `spec` says (strace's
    /// `-e inject=` syntax, e.g. `rename:error=EIO:when=3+`).
    pub fn faults(mut self, spec: &str) -> Test {
        self.faults = Some(spec.to_string());
        self
    }

    /// Runs substractl from a shell that runs `script` first and then `exec`s substractl (as
    /// wrappers and container entrypoints do), so that substractl inherits its children.
    pub fn wrapper(mut self, script: &str) -> Test {
        self.wrapper = Some(script.to_string());
        self
    }

    pub fn user(mut self, id: u32) -> Test {
        self.user = Some(id);
        self
    }

    /// Runs the command and checks every expectation.
    pub fn run(self) -> Output {
        self.spawn().wait()
    }

    /// Starts the command without waiting for it (for concurrent runs and kills); its
    /// expectations are checked by [`Running::wait`].
    pub fn spawn(self) -> Running {
        use std::process::Stdio;
        let before = self.unchanged.then(|| snapshot(&self.path()));
        let bin = Path::new(env!("CARGO_BIN_EXE_substractl"));
        let mut cmd = match self.user.filter(|_| is_root()) {
            Some(id) => {
                // The other user must reach the directory through the temporary directory.
                if let Some(dir) = &self.dir {
                    std::fs::set_permissions(
                        dir.path(),
                        std::os::unix::fs::PermissionsExt::from_mode(0o755),
                    )
                    .expect("chmod");
                }
                let mut c = std::process::Command::new("setpriv");
                c.arg(format!("--reuid={id}"))
                    .arg(format!("--regid={id}"))
                    .arg("--clear-groups")
                    .arg(bin)
                    .args(&self.args);
                c
            }
            None => match self.pty {
                Some(columns) => {
                    let line = std::iter::once(bin.to_string_lossy().into_owned())
                        .chain(self.args.iter().cloned())
                        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
                        .collect::<Vec<_>>()
                        .join(" ");
                    let mut c = std::process::Command::new("script");
                    c.args(["-qec", &format!("stty cols {columns} rows 200 && exec {line}")])
                        .arg("/dev/null");
                    c
                }
                None => match &self.faults {
                    None if self.wrapper.is_some() => {
                        let script = self.wrapper.as_deref().unwrap_or_default();
                        let mut c = std::process::Command::new("sh");
                        c.arg("-c")
                            .arg(format!("{script}\nexec \"$0\" \"$@\""))
                            .arg(bin)
                            .args(&self.args);
                        c
                    }
                    Some(spec) => {
                        let mut c = std::process::Command::new("strace");
                        c.args(["-f", "-qq", "-o", "/dev/null", "-e", &format!("inject={spec}")])
                            .arg(bin)
                            .args(&self.args);
                        c
                    }
                    None => {
                        let mut c = std::process::Command::new(bin);
                        c.args(&self.args);
                        c
                    }
                },
            },
        };
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("NO_COLOR", "1")
            .env("TERM", "dumb")
            .current_dir(self.path())
            .stdin(if self.stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in &self.env {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        let mut child = Child(cmd.spawn().unwrap_or_else(|e| {
            panic!("{:?} runs (scripts/test-deps installs util-linux): {e}", cmd.get_program())
        }));
        let read = |stream: Option<Box<dyn std::io::Read + Send>>| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                if let Some(mut s) = stream {
                    let _ = s.read_to_end(&mut bytes);
                }
                bytes
            })
        };
        let stdout = child.0.stdout.take().filter(|_| !self.stdout_closed);
        let stdout = read(stdout.map(|s| Box::new(s) as _));
        // stderr is kept where a test can read it while the command runs.
        let stderr_so_far = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let stderr = {
            let so_far = stderr_so_far.clone();
            let pipe = child.0.stderr.take();
            std::thread::spawn(move || {
                if let Some(mut pipe) = pipe {
                    let mut buf = [0u8; 4096];
                    loop {
                        match std::io::Read::read(&mut pipe, &mut buf) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => so_far.lock().expect("stderr").extend_from_slice(&buf[..n]),
                        }
                    }
                }
                so_far.lock().expect("stderr").clone()
            })
        };
        let mut stdin = child.0.stdin.take();
        if let (Some(pipe), Some(text)) = (stdin.as_mut(), &self.stdin) {
            std::io::Write::write_all(pipe, text).expect("write stdin");
            std::io::Write::flush(pipe).expect("flush stdin");
        }
        // At a terminal an end of input reaches the command as an answer: keep it open.
        if self.pty.is_none() {
            stdin = None;
        }
        Running {
            child,
            stdin,
            stdout,
            stderr,
            stderr_so_far,
            started: std::time::Instant::now(),
            before,
            test: self,
        }
    }
}

/// A child process, killed if it is dropped while it runs (a failed test leaves none behind).
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// A command started by [`Test::spawn`]; dropped while it runs, it is killed.
pub struct Running {
    child: Child,
    stdin: Option<std::process::ChildStdin>,
    stdout: std::thread::JoinHandle<Vec<u8>>,
    stderr: std::thread::JoinHandle<Vec<u8>>,
    stderr_so_far: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    started: std::time::Instant,
    before: Option<BTreeMap<String, Entry>>,
    test: Test,
}

impl Running {
    /// Whether the command has ended.
    pub fn ended(&mut self) -> bool {
        self.child.0.try_wait().expect("try_wait").is_some()
    }

    /// Waits until the command has said `text` on stderr; panics when it ends first or at its
    /// timeout.
    pub fn wait_for_stderr(&mut self, text: &str) {
        let limit = self.test.timeout.unwrap_or(std::time::Duration::from_secs(120));
        loop {
            let so_far =
                String::from_utf8_lossy(&self.stderr_so_far.lock().expect("stderr")).into_owned();
            if so_far.contains(text) {
                return;
            }
            assert!(!self.ended(), "substractl ended without saying {text:?}:\n{so_far}");
            assert!(self.started.elapsed() < limit, "substractl never said {text:?}:\n{so_far}");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    /// Kills the command (if it still runs) and waits for it; nothing is checked.
    pub fn kill(self) {
        drop(self.child);
    }

    /// Waits for the command (killing it at its timeout) and checks every expectation.
    pub fn wait(mut self) -> Output {
        let limit = self.test.timeout.unwrap_or(std::time::Duration::from_secs(120));
        let status = loop {
            if let Some(status) = self.child.0.try_wait().expect("try_wait") {
                break status;
            }
            if self.started.elapsed() > limit {
                panic!("substractl {} did not end within {limit:?}", self.test.args.join(" "));
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        drop(self.stdin.take());
        let text = |bytes: Vec<u8>| {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if self.test.pty.is_some() {
                text.replace("\r\n", "\n")
            } else {
                text
            }
        };
        let stdout = text(self.stdout.join().expect("stdout"));
        let stderr = text(self.stderr.join().expect("stderr"));
        let elapsed = self.started.elapsed();
        let status = status.code().unwrap_or(-1);
        let test = self.test;
        test.check(self.before, status, &stdout, &stderr);
        Output { dir: test.dir, cwd: test.cwd, status, stdout, stderr, elapsed }
    }
}

impl Test {
    fn check(
        &self,
        before: Option<BTreeMap<String, Entry>>,
        status: i32,
        raw_out: &str,
        raw_err: &str,
    ) {
        let stdout = normalize(raw_out);
        let stderr = normalize(raw_err);
        let shown = format!(
            "substractl {}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
            self.args.join(" ")
        );
        match self.status.as_slice() {
            [code] => assert_eq!(status, *code, "exit status of {shown}"),
            codes => {
                assert!(codes.contains(&status), "exit status {status}, not in {codes:?}: {shown}")
            }
        }
        check_stream("stdout", raw_out, &stdout, &self.stdout, &shown);
        check_stream("stderr", raw_err, &stderr, &self.stderr, &shown);
        for secret in &self.never {
            assert!(!raw_out.contains(secret.as_str()), "a secret on stdout: {shown}");
            assert!(!raw_err.contains(secret.as_str()), "a secret on stderr: {shown}");
        }
        if let Some((message, hint)) = &self.error {
            let error = raw_err.lines().find(|l| l.starts_with("substractl: error:")).unwrap_or("");
            assert!(error.contains(message.as_str()), "error line lacks {message:?}:\n{shown}");
            let hint_line =
                raw_err.lines().find(|l| l.trim_start().starts_with("hint:")).unwrap_or("");
            assert!(hint_line.contains(hint.as_str()), "hint lacks {hint:?}:\n{shown}");
        }
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
    }
}

/// Compares a stream as printed or normalized (either may match); `Lacks` looks at it as printed
/// only, so that a secret cannot hide behind its `<secret-N>`.
fn check_stream(name: &str, raw: &str, got: &str, want: &[Expect], shown: &str) {
    for expect in want {
        match expect {
            Expect::Exact(text) if got != text && raw != text => {
                let diff = similar::TextDiff::from_lines(text.as_str(), got)
                    .unified_diff()
                    .header("expected", "got")
                    .to_string();
                panic!("{name} differs:\n{diff}\n{shown}");
            }
            Expect::Exact(_) => {}
            Expect::Contains(part) => assert!(
                got.contains(part.as_str()) || raw.contains(part.as_str()),
                "{name} lacks {part:?}:\n{shown}"
            ),
            Expect::Lacks(part) => {
                assert!(!raw.contains(part.as_str()), "{name} holds {part:?}:\n{shown}")
            }
            Expect::Matches(re) => assert!(
                re.is_match(got) || re.is_match(raw),
                "{name} does not match {re}:\n{shown}"
            ),
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
    /// A directory, with its modification time: a file created and removed again changes it.
    Dir(std::time::SystemTime),
    Other,
}

/// `dir` (as `.`) and every entry under it (symbolic links not followed), with bytes and
/// modification times.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    if let Ok(meta) = std::fs::symlink_metadata(dir) {
        out.insert(".".to_string(), Entry::Dir(meta.modified().expect("mtime")));
    }
    walk(dir, dir, &mut |rel, path, meta| {
        let t = meta.file_type();
        let entry = if t.is_file() {
            Entry::File(std::fs::read(path).expect("read"), meta.modified().expect("mtime"))
        } else if t.is_symlink() {
            Entry::Link(std::fs::read_link(path).expect("readlink"))
        } else if t.is_dir() {
            Entry::Dir(meta.modified().expect("mtime"))
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

/// The lock another substractl run would hold on a directory (an exclusive `flock` on the
/// directory itself), held until dropped.
pub struct HeldLock(std::fs::File);

/// Takes the lock of `dir` as a running substractl holds it.
pub fn hold_lock(dir: &Path) -> HeldLock {
    let file = std::fs::File::open(dir).expect("open the directory");
    file.try_lock().expect("the directory is not locked yet");
    HeldLock(file)
}

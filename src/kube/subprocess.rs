//! The one way substractl runs an external program: in a process group of its own, bounded by a
//! deadline for the whole run, with what it prints capped.
//!
//! When the program exits, or the deadline passes, or it prints more than the cap, the whole
//! group is killed: a helper it started (a credential plugin, a wrapper's child) can neither
//! keep a pipe open past the end nor stay behind. The program is seen to exit without being
//! reaped (`waitid` with `WNOWAIT`), so its process group id cannot be reused before the group
//! is killed. On Linux, substractl is a child subreaper while programs run: a process that
//! leaves the group (`setsid`) is handed to substractl when its parent ends, and once the last
//! program is over every such process is killed and reaped, so that none outlives the run; a
//! child substractl had before (left to it by a shell that `exec`ed it) is never touched.
//! Elsewhere, such a process that keeps a pipe open is waited for no longer than the deadline.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{mpsc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rustix::process::{kill_process_group, waitid, Pid, Signal, WaitId, WaitIdOptions};

/// The most a program may print on each stream, as files are read: 8 MiB.
pub const MAX_OUTPUT_BYTES: usize = 8 << 20;

/// How often the program's state is looked at while nothing else happens.
const POLL: Duration = Duration::from_millis(10);

/// A program that ran to its end.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// One of the two streams read from a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    pub fn name(self) -> &'static str {
        match self {
            Stream::Stdout => "standard output",
            Stream::Stderr => "standard error",
        }
    }
}

/// Why a program gave no complete answer. Its whole process group is gone in every case.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Spawn(std::io::Error),
    /// The deadline passed. `exited`: the program itself had exited, but a process it started
    /// outside its group kept its output open.
    #[error("did not finish in time")]
    Deadline { exited: bool },
    #[error("printed more than {} MiB on its {}", .cap >> 20, .stream.name())]
    TooMuch { stream: Stream, cap: usize },
}

enum Event {
    Eof(Stream, Vec<u8>),
    Over(Stream),
}

/// The process group of a running program; dropping it kills the group and reaps the program.
struct Group {
    pid: Pid,
    child: Child,
    status: Option<ExitStatus>,
}

impl Group {
    fn kill(&self) {
        // ESRCH (nothing left in the group) is the usual case once the program has exited.
        let _ = kill_process_group(self.pid, Signal::KILL);
    }

    /// Whether the program has exited, looked at without reaping it.
    fn exited(&self) -> bool {
        matches!(
            waitid(
                WaitId::Pid(self.pid),
                WaitIdOptions::EXITED | WaitIdOptions::NOHANG | WaitIdOptions::NOWAIT
            ),
            Ok(Some(_))
        )
    }

    /// Kills what is left of the group, then reaps the program, then (when it was the last
    /// one running) every process it left outside its group.
    fn finish(&mut self) -> Option<ExitStatus> {
        if self.status.is_none() {
            self.kill();
            self.status = self.child.wait().ok();
            orphans::release(self.pid);
        }
        self.status
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Runs `command` with no input, in its own process group, until `deadline`; each stream may
/// carry at most `cap` bytes.
pub fn run(mut command: Command, deadline: Instant, cap: usize) -> Result<Finished, RunError> {
    command.process_group(0).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = orphans::spawn(&mut command).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => RunError::NotFound,
        _ => RunError::Spawn(e),
    })?;
    let (tx, rx) = mpsc::channel();
    if let Some(out) = child.stdout.take() {
        read_capped(out, Stream::Stdout, cap, tx.clone());
    }
    if let Some(err) = child.stderr.take() {
        read_capped(err, Stream::Stderr, cap, tx.clone());
    }
    drop(tx);
    let mut group = Group { pid: Pid::from_child(&child), child, status: None };
    let mut stdout = None;
    let mut stderr = None;
    loop {
        if group.status.is_none() && group.exited() {
            // The program is over: so is every process it left in its group.
            group.finish();
        }
        if let (Some(status), Some(_), Some(_)) = (group.status, &stdout, &stderr) {
            return Ok(Finished {
                status,
                stdout: stdout.unwrap_or_default(),
                stderr: stderr.unwrap_or_default(),
            });
        }
        let now = Instant::now();
        if now >= deadline {
            let exited = group.status.is_some();
            group.finish();
            return Err(RunError::Deadline { exited });
        }
        let wait = if group.status.is_some() { deadline - now } else { POLL.min(deadline - now) };
        match rx.recv_timeout(wait) {
            Ok(Event::Eof(Stream::Stdout, bytes)) => stdout = Some(bytes),
            Ok(Event::Eof(Stream::Stderr, bytes)) => stderr = Some(bytes),
            Ok(Event::Over(stream)) => {
                group.finish();
                return Err(RunError::TooMuch { stream, cap });
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            // Both readers are done; only the program's exit is awaited.
            Err(mpsc::RecvTimeoutError::Disconnected) => std::thread::sleep(POLL.min(wait)),
        }
    }
}

/// The processes the programs leave behind. Every program substractl runs is started here and
/// counted while it runs; the lock is held from its start to its count, so that a sweep never
/// takes a program just started for a process left behind.
///
/// substractl may have children it did not start: a shell that `exec`s it (a wrapper, a
/// container's entrypoint `sh -c 'sidecar & exec substractl ...'`) leaves its own children to
/// it. Those are never touched: a sweep kills only a process started at or after the first
/// program this run started, that was not already a child when substractl became a subreaper,
/// that substractl did not start itself, and that is in neither substractl's process group
/// nor the group of a child it had before.
mod orphans {
    use super::*;

    /// A process, named by its pid and its start time (so that a reused pid is another one).
    type Proc = (i32, u64);

    struct State {
        /// The programs running now, by pid.
        running: Vec<Pid>,
        /// Every program started, so that none is ever taken for a process left behind.
        started: Vec<Proc>,
        /// When the first program started, in clock ticks since boot.
        first_start: Option<u64>,
        /// The children substractl had before it first became a subreaper, and their groups.
        before: Vec<Proc>,
        before_groups: Vec<i32>,
    }

    static STATE: Mutex<State> = Mutex::new(State {
        running: Vec::new(),
        started: Vec::new(),
        first_start: None,
        before: Vec::new(),
        before_groups: Vec::new(),
    });

    /// The longest a sweep waits for a killed group to be gone.
    const GROUP_GONE: Duration = Duration::from_secs(2);

    fn state() -> MutexGuard<'static, State> {
        STATE.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Starts `command`, counted as running; substractl becomes a child subreaper first, and
    /// records the children it has then.
    pub(super) fn spawn(command: &mut Command) -> std::io::Result<Child> {
        let mut state = state();
        if state.running.is_empty() {
            subreaper(true);
            for (pid, stat) in children() {
                if !state.before.contains(&(pid, stat.start)) {
                    state.before.push((pid, stat.start));
                }
                if !state.before_groups.contains(&stat.group) {
                    state.before_groups.push(stat.group);
                }
            }
        }
        let child = command.spawn();
        match &child {
            Ok(child) => {
                let pid = Pid::from_child(child);
                state.running.push(pid);
                // The program is not reaped before its group is killed: its stat is there.
                if let Some(stat) = stat_of(pid.as_raw_nonzero().get()) {
                    state.started.push((pid.as_raw_nonzero().get(), stat.start));
                    state.first_start.get_or_insert(stat.start);
                }
            }
            Err(_) if state.running.is_empty() => subreaper(false),
            Err(_) => {}
        }
        child
    }

    /// The program `pid` (its group killed, itself reaped) is over: when no other program
    /// runs, every process left behind is killed and reaped, and substractl stops being a
    /// subreaper.
    pub(super) fn release(pid: Pid) {
        let mut state = state();
        state.running.retain(|p| *p != pid);
        if state.running.is_empty() {
            sweep(&state, pid);
            subreaper(false);
        }
    }

    #[cfg(target_os = "linux")]
    fn subreaper(on: bool) {
        // Without it (an old kernel), a process that leaves the group is not handed to
        // substractl: the deadline still bounds the run.
        let _ = rustix::process::set_child_subreaper(on.then(rustix::process::getpid));
    }

    #[cfg(not(target_os = "linux"))]
    fn subreaper(_on: bool) {}

    /// Whether the child `pid` is a process a program left behind (see the module's text).
    #[cfg(target_os = "linux")]
    fn left_behind(state: &State, pid: i32, stat: &Stat) -> bool {
        let own_group = rustix::process::getpgrp().as_raw_nonzero().get();
        state.first_start.is_some_and(|first| stat.start >= first)
            && !state.before.contains(&(pid, stat.start))
            && !state.started.contains(&(pid, stat.start))
            && stat.group != own_group
            && !state.before_groups.contains(&stat.group)
    }

    /// Kills and reaps the processes left behind until none is left: no program runs, so
    /// they were handed over as their parents ended; their own children are handed over in
    /// turn. While the group `pgid` still has members (killed, not yet gone), more may come.
    #[cfg(target_os = "linux")]
    fn sweep(state: &State, pgid: Pid) {
        use rustix::process::{kill_process, test_kill_process_group, waitpid, WaitOptions};
        // Bounded: a process stuck in the kernel is left for the system once this passes.
        let until = Instant::now() + GROUP_GONE;
        loop {
            let found: Vec<Pid> = children()
                .into_iter()
                .filter(|(pid, stat)| left_behind(state, *pid, stat))
                .filter_map(|(pid, _)| Pid::from_raw(pid))
                .collect();
            for pid in &found {
                let _ = kill_process(*pid, Signal::KILL);
            }
            for pid in &found {
                // This pid only: never a wait for any child.
                while let Ok(None) = waitpid(Some(*pid), WaitOptions::NOHANG) {
                    if Instant::now() >= until {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
            let group_left = test_kill_process_group(pgid).is_ok();
            if (found.is_empty() && !group_left) || Instant::now() >= until {
                return;
            }
            if found.is_empty() {
                std::thread::sleep(POLL);
            }
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn sweep(_state: &State, _pgid: Pid) {}

    /// What substractl reads of a process in /proc/PID/stat.
    struct Stat {
        parent: i32,
        group: i32,
        /// Field 22: when the process started, in clock ticks since boot.
        start: u64,
    }

    /// The processes whose parent is substractl, from /proc.
    #[cfg(target_os = "linux")]
    fn children() -> Vec<(i32, Stat)> {
        let me = rustix::process::getpid().as_raw_nonzero().get();
        let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
        entries
            .flatten()
            .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()))
            .filter_map(|pid| stat_of(pid).map(|s| (pid, s)))
            .filter(|(_, s)| s.parent == me)
            .collect()
    }

    #[cfg(not(target_os = "linux"))]
    fn children() -> Vec<(i32, Stat)> {
        Vec::new()
    }

    /// The first 1 KiB of /proc/PID/stat: `pid (comm) state ppid pgrp ...`, where comm may
    /// hold blanks and parentheses.
    #[cfg(target_os = "linux")]
    fn stat_of(pid: i32) -> Option<Stat> {
        let mut buf = [0u8; 1024];
        let mut file = std::fs::File::open(format!("/proc/{pid}/stat")).ok()?;
        let n = file.read(&mut buf).ok()?;
        let text = std::str::from_utf8(&buf[..n]).ok()?;
        let (_, rest) = text.rsplit_once(") ")?;
        // `rest` starts at field 3 (the state).
        let fields: Vec<&str> = rest.split(' ').collect();
        Some(Stat {
            parent: fields.get(1)?.parse().ok()?,
            group: fields.get(2)?.parse().ok()?,
            start: fields.get(19)?.parse().ok()?,
        })
    }

    #[cfg(not(target_os = "linux"))]
    fn stat_of(_pid: i32) -> Option<Stat> {
        None
    }
}

/// Reads a pipe to its end on another thread (a full pipe never blocks the program), stopping
/// at `cap` bytes.
fn read_capped<R: Read + Send + 'static>(
    mut pipe: R,
    stream: Stream,
    cap: usize,
    tx: mpsc::Sender<Event>,
) {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match pipe.read(&mut buf) {
                Ok(0) => break,
                Ok(n) if bytes.len() + n > cap => {
                    let _ = tx.send(Event::Over(stream));
                    return;
                }
                Ok(n) => bytes.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = tx.send(Event::Eof(stream, bytes));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut c = Command::new("sh");
        c.arg("-c").arg(script);
        c
    }

    fn soon(secs: u64) -> Instant {
        Instant::now() + Duration::from_secs(secs)
    }

    #[test]
    fn output_and_status_come_back() {
        let done =
            run(sh("echo out; echo err >&2; exit 3"), soon(20), MAX_OUTPUT_BYTES).expect("runs");
        assert_eq!(done.stdout, b"out\n");
        assert_eq!(done.stderr, b"err\n");
        assert_eq!(done.status.code(), Some(3));
    }

    #[test]
    fn a_child_holding_stdout_is_killed_with_the_group() {
        // The program exits at once; its child would keep the pipe open for ten minutes.
        let done = run(sh("echo table; sleep 600 & exit 0"), soon(20), MAX_OUTPUT_BYTES)
            .expect("the program's own end is the end");
        assert_eq!(done.stdout, b"table\n");
    }

    #[test]
    fn the_deadline_kills_the_group() {
        let err = run(sh("sleep 600 & wait"), Instant::now() + Duration::from_millis(300), 1024)
            .expect_err("deadline");
        assert!(matches!(err, RunError::Deadline { exited: false }), "{err:?}");
    }

    #[test]
    fn output_over_the_cap_is_refused() {
        let err = run(sh("yes"), soon(20), 1 << 20).expect_err("cap");
        assert!(matches!(err, RunError::TooMuch { stream: Stream::Stdout, .. }), "{err:?}");
        assert_eq!(err.to_string(), "printed more than 1 MiB on its standard output");
    }

    #[test]
    fn a_missing_program_is_not_found() {
        let err =
            run(Command::new("/nonexistent/substractl-test"), soon(5), 1024).expect_err("missing");
        assert!(matches!(err, RunError::NotFound), "{err:?}");
    }
}

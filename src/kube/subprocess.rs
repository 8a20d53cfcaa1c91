//! The one way substractl runs an external program: under a reaper, in a process group of its
//! own, bounded by a deadline for the whole run, with what it prints capped.
//!
//! substractl never runs a program directly: it starts itself again as a reaper
//! (`substractl __reap -- PROGRAM ARGS...`, read in `main` before the command line is parsed),
//! and the reaper starts the program. The reaper is a child subreaper (on Linux): every
//! process the program starts, even one that leaves the group (`setsid`), a double fork, or
//! one that joins another group, is handed to the reaper when its parent ends. Once the
//! program exits, or substractl tells it to stop, the reaper kills and reaps all its
//! descendants until none is left, then exits with the program's code. substractl itself is
//! never a subreaper, so a process it did not start (a child or a daemon of a wrapper that
//! `exec`ed it) is never touched.
//!
//! substractl talks to the reaper over a socket that is the reaper's standard input: the
//! reaper answers whether the program started, and substractl closing its end (at the
//! deadline, past the output cap, or because substractl ended, even killed) tells the reaper
//! to stop, and so does a signal the reaper can catch (a `pkill substractl`, or one the program
//! sends); a stopped reaper is woken first. The reaper's group is killed once the reaper is
//! gone, or has not gone in time.
//! Elsewhere than on Linux, a process that leaves the group and keeps a pipe open is waited
//! for no longer than the deadline.

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use rustix::process::{kill_process_group, waitid, Pid, Signal, WaitId, WaitIdOptions};

/// The first argument that makes substractl the reaper of one program, not the CLI.
pub const REAPER_ARG: &str = "__reap";

/// The reaper's flag that bounds the program's run by itself (milliseconds).
const WITHIN_ARG: &str = "--within";

/// The most a program may print on each stream, as files are read: 8 MiB.
pub const MAX_OUTPUT_BYTES: usize = 8 << 20;

/// How often the program's state is looked at while nothing else happens.
const POLL: Duration = Duration::from_millis(10);

/// The longest the reaper spends killing what the program left (a process stuck in the
/// kernel is left for the system once this passes).
const CLEAN_UP: Duration = Duration::from_secs(2);

/// How long the reaper is given to clean up once told to stop, before its group is killed:
/// longer than its clean-up, which killing the reaper would cut short (what is left would go to
/// init). It usually takes a few milliseconds.
const REAPER_GRACE: Duration = Duration::from_millis(2500);

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
    /// The deadline passed. `exited`: the program itself had exited, but a process kept its
    /// output open.
    #[error("did not finish in time")]
    Deadline { exited: bool },
    #[error("printed more than {} MiB on its {}", .cap >> 20, .stream.name())]
    TooMuch { stream: Stream, cap: usize },
}

enum Event {
    Eof(Stream, Vec<u8>),
    Over(Stream),
}

/// The reaper of a running program, in a process group of its own; dropping it stops the
/// reaper, kills the group and reaps the reaper.
struct Group {
    pid: Pid,
    child: Child,
    /// substractl's end of the socket: closing it tells the reaper to stop.
    control: Option<UnixStream>,
    status: Option<ExitStatus>,
}

impl Group {
    /// Whether the reaper has exited, looked at without reaping it (so that its process group
    /// id cannot be reused before the group is killed).
    fn exited(&self) -> bool {
        matches!(
            waitid(
                WaitId::Pid(self.pid),
                WaitIdOptions::EXITED | WaitIdOptions::NOHANG | WaitIdOptions::NOWAIT
            ),
            Ok(Some(_))
        )
    }

    /// Tells the reaper to stop and gives it a moment to kill what the program started, then
    /// kills what is left of the group and reaps the reaper.
    fn finish(&mut self) -> Option<ExitStatus> {
        if self.status.is_none() {
            self.control = None;
            let until = Instant::now() + REAPER_GRACE;
            while !self.exited() && Instant::now() < until {
                // A reaper stopped (SIGSTOP, by the program, even again and again) goes on,
                // to end what it started.
                let _ = rustix::process::kill_process(self.pid, Signal::CONT);
                std::thread::sleep(Duration::from_millis(5));
            }
            if !self.exited() {
                // Still there (stopped again, or traced): what it holds, every process below
                // it, is ended from here.
                kill_below(self.pid.as_raw_nonzero().get());
            }
            // ESRCH (nothing left in the group) is the usual case.
            let _ = kill_process_group(self.pid, Signal::KILL);
            // Never waited for without end (a traced reaper's exit goes to its tracer first).
            let until = Instant::now() + CLEAN_UP;
            self.status = loop {
                match self.child.try_wait() {
                    Ok(Some(status)) => break Some(status),
                    Ok(None) if Instant::now() < until => {
                        std::thread::sleep(Duration::from_millis(5))
                    }
                    _ => break None,
                }
            };
        }
        self.status
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Runs `command` with no input, under a reaper in its own process group, until `deadline`;
/// each stream may carry at most `cap` bytes.
pub fn run(command: Command, deadline: Instant, cap: usize) -> Result<Finished, RunError> {
    let exe = std::env::current_exe().map_err(RunError::Spawn)?;
    let (ours, theirs) = UnixStream::pair().map_err(RunError::Spawn)?;
    let mut reaper = Command::new(exe);
    let within = deadline.saturating_duration_since(Instant::now()).as_millis().to_string();
    reaper
        .arg(REAPER_ARG)
        .arg(WITHIN_ARG)
        .arg(within)
        .arg("--")
        .arg(command.get_program())
        .args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => reaper.env(key, value),
            None => reaper.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        reaper.current_dir(dir);
    }
    reaper
        .process_group(0)
        .stdin(Stdio::from(std::os::fd::OwnedFd::from(theirs)))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = reaper.spawn().map_err(RunError::Spawn)?;
    let (tx, rx) = mpsc::channel();
    if let Some(out) = child.stdout.take() {
        read_capped(out, Stream::Stdout, cap, tx.clone());
    }
    if let Some(err) = child.stderr.take() {
        read_capped(err, Stream::Stderr, cap, tx.clone());
    }
    drop(tx);
    let mut group = Group { pid: Pid::from_child(&child), child, control: None, status: None };
    group.control = Some(ours);
    started(&mut group, deadline)?;
    let mut stdout = None;
    let mut stderr = None;
    loop {
        if group.status.is_none() && group.exited() {
            // The reaper is over, and with it the program and all it started.
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
            // Both readers are done; only the reaper's exit is awaited.
            Err(mpsc::RecvTimeoutError::Disconnected) => std::thread::sleep(POLL.min(wait)),
        }
    }
}

/// Reads the reaper's answer: whether the program started (`S`), was not found (`N`), or
/// could not be started (`E` and why).
fn started(group: &mut Group, deadline: Instant) -> Result<(), RunError> {
    let Some(control) = group.control.as_mut() else { return Ok(()) };
    let left = deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(1));
    let _ = control.set_read_timeout(Some(left));
    let mut answer = Vec::new();
    let mut byte = [0u8; 1];
    while answer.len() < 1024 && !answer.ends_with(b"\n") {
        match control.read(&mut byte) {
            Ok(1) => answer.push(byte[0]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                group.finish();
                return Err(RunError::Deadline { exited: false });
            }
            _ => break,
        }
    }
    let text = String::from_utf8_lossy(&answer);
    match text.trim_end().split_at_checked(1) {
        Some(("S", _)) => Ok(()),
        Some(("N", _)) => {
            group.finish();
            Err(RunError::NotFound)
        }
        Some(("E", why)) => {
            group.finish();
            Err(RunError::Spawn(std::io::Error::other(why.trim().to_string())))
        }
        _ => {
            group.finish();
            Err(RunError::Spawn(std::io::Error::other("the reaper did not start")))
        }
    }
}

/// The reaper (`substractl __reap -- PROGRAM ARGS...`; `args` is what follows `__reap`): runs
/// the program with standard input closed and its own output, and returns the code to exit
/// with once the program and everything it started are gone. Standard input is the socket to
/// substractl (see the module's text).
pub fn reap(args: &[OsString]) -> i32 {
    // `--within MS`: the reaper ends the program by itself once that long has passed, so that
    // a substractl kept stopped (by the program: SIGSTOP, SIGTSTP) is not needed for it.
    let (within, args) = match args {
        [flag, ms, rest @ ..] if flag == OsStr::new(WITHIN_ARG) => {
            (ms.to_str().and_then(|m| m.parse::<u64>().ok()).map(Duration::from_millis), rest)
        }
        _ => (None, args),
    };
    let until = within.and_then(|w| Instant::now().checked_add(w));
    let args = match args.first() {
        Some(first) if first == OsStr::new("--") => &args[1..],
        _ => args,
    };
    let Some((program, rest)) = args.split_first() else { return 2 };
    let parent = rustix::process::getppid();
    let control = std::io::stdin().as_fd().try_clone_to_owned().map(UnixStream::from).ok();
    subreaper();
    not_traceable();
    let stop = Arc::new(AtomicBool::new(false));
    stop_on_signals(&stop);
    let spawned = Command::new(program).args(rest).stdin(Stdio::null()).spawn();
    let answer = match &spawned {
        Ok(_) => "S\n".to_string(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "N\n".to_string(),
        Err(e) => format!("E{}\n", e.to_string().replace('\n', " ")),
    };
    if let Some(mut control) = control {
        let _ = control.write_all(answer.as_bytes());
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut buf = [0u8; 64];
            // Anything but more bytes (the end, an error) means substractl wants it over.
            loop {
                match control.read(&mut buf) {
                    Ok(n) if n > 0 => {}
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    _ => break,
                }
            }
            stop.store(true, Ordering::SeqCst);
        });
    } else {
        stop.store(true, Ordering::SeqCst);
    }
    let Ok(mut child) = spawned else { return 127 };
    let code = loop {
        let over = until.is_some_and(|u| Instant::now() >= u);
        match child.try_wait() {
            Ok(Some(status)) => break exit_code(status),
            Ok(None) if !stop.load(Ordering::SeqCst) && !over => std::thread::sleep(POLL),
            // Told to stop, out of time, or the program cannot be waited for: it is killed
            // with the rest.
            _ => break 128 + Signal::TERM.as_raw(),
        }
    };
    kill_descendants();
    // substractl may have been stopped by the program (a signal can stop any process of the
    // user): it is woken once the run's time is over (a stop at the terminal, Ctrl-Z, holds
    // until then), and reads that all is over. Only while it is still the parent.
    let ours = |p: &Pid| rustix::process::getppid() == Some(*p);
    if let Some(parent) = parent.filter(ours) {
        while is_stopped(parent) && ours(&parent) && until.is_some_and(|u| Instant::now() < u) {
            std::thread::sleep(POLL);
        }
        if is_stopped(parent) && ours(&parent) {
            let _ = rustix::process::kill_process(parent, Signal::CONT);
        }
    }
    code
}

/// Whether a process is stopped (`T` in /proc/PID/stat); false where that cannot be read.
fn is_stopped(pid: Pid) -> bool {
    let Ok(stat) = std::fs::read(format!("/proc/{}/stat", pid.as_raw_nonzero())) else {
        return false;
    };
    matches!(after_name(&stat).and_then(|rest| rest.first()), Some(b'T' | b't'))
}

/// What follows the name in the text of a /proc/PID/stat (from field 3, the state): the name
/// may hold any bytes (a process names itself), so only what follows its last `) ` is read.
fn after_name(stat: &[u8]) -> Option<&[u8]> {
    let end = stat.windows(2).rposition(|w| w == b") ")?;
    Some(&stat[end + 2..])
}

/// Sets `stop` when the reaper is sent a signal that would end it and that it can catch (TERM,
/// INT, HUP, QUIT, the user and real-time signals...): a `kill` or `pkill` of substractl's
/// processes, or one from the program, then ends the program and all it started as the end of
/// the run does. KILL, STOP and the signals of a fault (SEGV, ILL, FPE) cannot be caught, and
/// the program's own signals are not touched: an exec puts them back as they were.
fn stop_on_signals(stop: &Arc<AtomicBool>) {
    use tokio::signal::unix::{signal, SignalKind};
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_io().build() else {
        return;
    };
    let mut caught = vec![
        libc::SIGTERM,
        libc::SIGINT,
        libc::SIGHUP,
        libc::SIGQUIT,
        libc::SIGUSR1,
        libc::SIGUSR2,
        libc::SIGALRM,
        libc::SIGVTALRM,
        libc::SIGPROF,
        libc::SIGXCPU,
        libc::SIGXFSZ,
        libc::SIGTRAP,
        libc::SIGABRT,
        libc::SIGBUS,
        libc::SIGSYS,
        // The stops a program can send (or a terminal, but the reaper has a group of its own).
        libc::SIGTSTP,
        libc::SIGTTIN,
        libc::SIGTTOU,
    ];
    #[cfg(target_os = "linux")]
    caught.extend([libc::SIGIO, libc::SIGPWR, libc::SIGSTKFLT]);
    #[cfg(target_os = "linux")]
    caught.extend(libc::SIGRTMIN()..=libc::SIGRTMAX());
    let (tx, mut rx) = tokio::sync::mpsc::channel::<()>(1);
    {
        let _entered = runtime.enter();
        for n in caught {
            let Ok(mut stream) = signal(SignalKind::from_raw(n)) else { continue };
            let tx = tx.clone();
            runtime.spawn(async move {
                stream.recv().await;
                let _ = tx.send(()).await;
            });
        }
    }
    drop(tx);
    let stop = Arc::clone(stop);
    std::thread::spawn(move || {
        if runtime.block_on(rx.recv()).is_some() {
            stop.store(true, Ordering::SeqCst);
        }
    });
}

/// The code a shell gives for `status`: its exit code, or 128 and the signal that ended it.
fn exit_code(status: ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(0))
}

#[cfg(target_os = "linux")]
fn subreaper() {
    // Without it (an old kernel), a process that leaves the group is not handed to the
    // reaper: the deadline still bounds the run.
    let _ = rustix::process::set_child_subreaper(Some(rustix::process::getpid()));
}

#[cfg(not(target_os = "linux"))]
fn subreaper() {}

/// The reaper cannot be traced (ptrace) by a process of the same user that is not root: a
/// program's daemon attached to it would hold it, and its end, for as long as it likes. The
/// program gets its own setting back when it is executed.
#[cfg(target_os = "linux")]
fn not_traceable() {
    use rustix::process::{set_dumpable_behavior, DumpableBehavior};
    let _ = set_dumpable_behavior(DumpableBehavior::NotDumpable);
}

#[cfg(not(target_os = "linux"))]
fn not_traceable() {}

/// Kills every process below `root` (substractl's side: the reaper did not end in time), in
/// rounds until none is left or [`CLEAN_UP`] is over; the reaper reaps them.
#[cfg(target_os = "linux")]
fn kill_below(root: i32) {
    let until = Instant::now() + CLEAN_UP;
    loop {
        let tree = descendants(root, &parents());
        if tree.is_empty() || Instant::now() >= until {
            return;
        }
        for pid in tree.iter().filter_map(|p| Pid::from_raw(*p)) {
            let _ = rustix::process::kill_process(pid, Signal::KILL);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[cfg(not(target_os = "linux"))]
fn kill_below(_root: i32) {}

/// Kills every descendant of the reaper, and reaps them, until none is left: each is the
/// program or a process it started. Each round kills the whole tree at once (found through the
/// parents in /proc), so that a chain of processes that each left the session of the one
/// before dies in a round or two rather than one level a round; the killed ones whose parent
/// died too are handed to the reaper, which reaps them in the next round.
#[cfg(target_os = "linux")]
fn kill_descendants() {
    use rustix::process::{kill_process, waitpid, WaitOptions};
    let me = rustix::process::getpid().as_raw_nonzero().get();
    let until = Instant::now() + CLEAN_UP;
    loop {
        let parents = parents();
        let tree = descendants(me, &parents);
        if tree.is_empty() {
            return;
        }
        for pid in tree.iter().filter_map(|p| Pid::from_raw(*p)) {
            let _ = kill_process(pid, Signal::KILL);
        }
        for (pid, _) in parents.iter().filter(|(_, parent)| *parent == me) {
            if let Some(pid) = Pid::from_raw(*pid) {
                // This pid only: a child of the reaper stays until it is reaped.
                let _ = waitpid(Some(pid), WaitOptions::NOHANG);
            }
        }
        if Instant::now() >= until {
            return;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Every process below `root`, from (pid, parent) pairs.
fn descendants(root: i32, parents: &[(i32, i32)]) -> Vec<i32> {
    let mut children: std::collections::HashMap<i32, Vec<i32>> = std::collections::HashMap::new();
    for (pid, parent) in parents {
        children.entry(*parent).or_default().push(*pid);
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let mut next = vec![root];
    while let Some(p) = next.pop() {
        for c in children.get(&p).into_iter().flatten() {
            if *c != root && seen.insert(*c) {
                out.push(*c);
                next.push(*c);
            }
        }
    }
    out
}

#[cfg(not(target_os = "linux"))]
fn kill_descendants() {
    // Without /proc, only the group is known: substractl kills it once the reaper is gone.
}

/// Every process of /proc with its parent.
#[cfg(target_os = "linux")]
fn parents() -> Vec<(i32, i32)> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()))
        .filter_map(|pid| parent_of(pid).map(|parent| (pid, parent)))
        .collect()
}

/// The parent of `pid`, from the first 1 KiB of /proc/PID/stat: `pid (comm) state ppid ...`,
/// where comm may hold blanks and parentheses.
#[cfg(target_os = "linux")]
fn parent_of(pid: i32) -> Option<i32> {
    let mut buf = [0u8; 1024];
    let mut file = std::fs::File::open(format!("/proc/{pid}/stat")).ok()?;
    let n = file.read(&mut buf).ok()?;
    parse_parent(&buf[..n])
}

/// The parent pid in the text of a /proc/PID/stat.
fn parse_parent(stat: &[u8]) -> Option<i32> {
    // Only what follows the name is read, and that is ASCII.
    let rest = std::str::from_utf8(after_name(stat)?).ok()?;
    // `rest` starts at field 3 (the state).
    rest.split(' ').nth(1)?.parse().ok()
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

    #[test]
    fn the_parent_is_read_past_a_command_name_with_blanks_and_parentheses() {
        assert_eq!(parse_parent(b"42 (a) b (c) S 7 42 42 0 -1"), Some(7));
        assert_eq!(parse_parent(b"42 (kubectl) R 1234 42 42 0 -1 4194560"), Some(1234));
        assert_eq!(parse_parent(b"42 (cut"), None);
        // A name that is not UTF-8 (a process may name itself with any bytes).
        assert_eq!(parse_parent(b"42 (\xff\xfe x) S 7 42 42 0 -1"), Some(7));
    }

    #[test]
    fn the_whole_tree_below_the_reaper_is_found() {
        // 1 is the reaper; 2 -> 3 -> 4 a chain below it; 5 is another process's child.
        let parents = [(2, 1), (3, 2), (4, 3), (5, 9), (9, 0)];
        let mut found = super::descendants(1, &parents);
        found.sort();
        assert_eq!(found, vec![2, 3, 4]);
        assert!(super::descendants(4, &parents).is_empty());
    }

    #[test]
    fn a_signal_is_told_as_a_shell_tells_it() {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(exit_code(ExitStatus::from_raw(3 << 8)), 3);
        assert_eq!(exit_code(ExitStatus::from_raw(9)), 137);
    }
}

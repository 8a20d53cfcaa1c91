//! Hostile peers: a fake `kubectl` first on PATH that answers `get pod` and `exec` the way
//! wrappers, credential plugins, broken pods and attackers do (a child that keeps stdout open,
//! an exec that never returns, a flood, a cut-off table). Every process a script starts
//! records its pid, so that a test can tell whether it was left running, and kills any that
//! were when the fake is dropped.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The backend command's table as the real one prints it (SUBSTRA.md 2).
pub const TABLE: &str = "|   org_id    |          org_address           | http_status |\n\
                         | biotechnica | http://api.cluster-2.DOMAIN:80 |     200     |\n\
                         |   tyrell    |  http://api.tyrell.example:80  |     503     |\n";

/// A fake kubectl in a directory of its own.
pub struct Kubectl {
    dir: tempfile::TempDir,
}

impl Kubectl {
    /// A kubectl whose `get pod` prints one pod and whose `exec` runs `exec` (shell code; `$D`
    /// is a directory for its files, `$PIDS` a file where it appends the pids it starts).
    pub fn exec(exec: &str) -> Kubectl {
        let dir = tempfile::tempdir().expect("temp dir");
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).expect("bin");
        std::fs::write(dir.path().join("table"), TABLE).expect("table");
        let script = format!(
            "#!/bin/sh\nD='{d}'\nPIDS=\"$D/pids\"\ncase \"$*\" in\n  *'get pod '*) if [ -f \"$D/pods\" ]; then cat \"$D/pods\"; else echo pod/backend-server-0; fi ;;\n  *'exec '*)\n{exec}\n  ;;\n  *) exit 1 ;;\nesac\n",
            d = dir.path().display()
        );
        let kubectl = bin.join("kubectl");
        std::fs::write(&kubectl, script).expect("script");
        std::fs::set_permissions(&kubectl, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        Kubectl { dir }
    }

    /// `get pod` prints `pods` (`pod/NAME` lines); `exec` prints the table.
    pub fn pods(pods: &str) -> Kubectl {
        let k = Kubectl::exec("cat \"$D/table\"");
        std::fs::write(k.dir.path().join("pods"), pods).expect("pods");
        k
    }

    /// `exec` prints `stderr` on its standard error and exits 1.
    pub fn fails_with(stderr: &str) -> Kubectl {
        let k = Kubectl::exec("cat \"$D/table\" >&2\nexit 1");
        std::fs::write(k.dir.path().join("table"), stderr).expect("table");
        k
    }

    /// `exec` prints `table` and exits 0.
    pub fn table(table: &str) -> Kubectl {
        let k = Kubectl::exec("cat \"$D/table\"");
        std::fs::write(k.dir.path().join("table"), table).expect("table");
        k
    }

    /// `exec` prints the table and exits, leaving a child that holds its stdout open (as
    /// credential plugins and wrappers do) for ten minutes.
    pub fn child_holds_stdout() -> Kubectl {
        Kubectl::exec("cat \"$D/table\"\nsleep 600 &\necho $! >> \"$PIDS\"\nexit 0")
    }

    /// As [`Kubectl::child_holds_stdout`], but the child leaves the process group (`setsid`).
    pub fn escaped_child_holds_stdout() -> Kubectl {
        // The child records its pid once it has left the group; kubectl exits only then.
        Kubectl::exec(
            "cat \"$D/table\"\nexport PIDS\nsetsid sh -c 'echo $$ >> \"$PIDS\"; exec sleep 600' &\nwhile [ ! -s \"$PIDS\" ]; do sleep 0.05; done\nexit 0",
        )
    }

    /// `exec` prints the table and exits, leaving a child in a session of its own (`setsid`)
    /// that holds no pipe of kubectl's and sleeps ten minutes.
    pub fn escaped_child() -> Kubectl {
        Kubectl::exec(
            r#"export PIDS
setsid sh -c 'echo $$ >> "$PIDS"; exec sleep 600' </dev/null >/dev/null 2>&1 &
while [ ! -s "$PIDS" ]; do sleep 0.05; done
cat "$D/table"
exit 0"#,
        )
    }

    /// As [`Kubectl::escaped_child`], with the child started by a process that exits at once
    /// (a double fork), and kubectl never returning.
    pub fn escaped_grandchild_and_exec_never_returns() -> Kubectl {
        Kubectl::exec(
            r#"export PIDS
sh -c 'setsid sh -c "echo \$\$ >> \"\$PIDS\"; exec sleep 600" </dev/null >/dev/null 2>&1 &'
while [ ! -s "$PIDS" ]; do sleep 0.05; done
sleep 600 &
echo $! >> "$PIDS"
wait"#,
        )
    }

    /// `exec` prints the table and exits, leaving a child that holds its stdout open and has
    /// joined substractl's own process group (the group of the nearest ancestor that is
    /// substractl itself, not the reaper it runs programs under).
    pub fn child_joins_the_group_of_substractl() -> Kubectl {
        Kubectl::exec(
            r#"cat "$D/table"
export PIDS
perl -e '
  my $p = getppid();
  while ($p > 1) {
    open(my $c, "<", "/proc/$p/cmdline") or last;
    my $line = do { local $/; <$c> };
    last if $line =~ /substractl/ && $line !~ /__reap/;
    open(my $s, "<", "/proc/$p/stat") or last;
    my $stat = <$s>;
    $stat =~ s/.*\) //s;
    $p = (split / /, $stat)[1];
  }
  my $group = getpgrp($p);
  if (fork() == 0) {
    setpgrp(0, $group) or die "setpgid: $!";
    open(my $o, ">>", $ENV{PIDS}); print $o "$$\n"; close $o;
    exec "sleep", "600";
  }
'
while [ ! -s "$PIDS" ]; do sleep 0.05; done
exit 0"#,
        )
    }

    /// `exec` prints the table and exits, leaving a chain of `depth` + 1 processes in which
    /// each started the next and the next left its session (`setsid`): the reaper gets them one
    /// level at a time as their parents die, unless it kills the whole tree at once.
    /// With `hang`, kubectl then never returns, so that the run ends at its deadline.
    pub fn chain_of_sessions(depth: u32, hang: bool) -> Kubectl {
        let end = if hang { "sleep 600" } else { "exit 0" };
        Kubectl::exec(&format!(
            r#"cat "$D/table"
export PIDS
perl -MPOSIX -e '
  for my $i (1..$ARGV[0]) {{
    my $pid = fork();
    die "fork: $!" unless defined $pid;
    if ($pid) {{ open(my $o, ">>", $ENV{{PIDS}}); print $o "$$\n"; close $o; exec "sleep", "600"; }}
    POSIX::setsid();
  }}
  open(my $o, ">>", $ENV{{PIDS}}); print $o "$$\n"; close $o; exec "sleep", "600";
' {depth} </dev/null >/dev/null 2>&1 &
while [ "$(cat "$PIDS" 2>/dev/null | wc -l)" -le {depth} ]; do sleep 0.05; done
{end}"#
        ))
    }

    /// `exec` prints the table and exits, leaving a child in a session of its own that named
    /// itself with bytes that are not UTF-8.
    pub fn escaped_child_named_in_bytes() -> Kubectl {
        Kubectl::exec(
            r#"export PIDS
perl -MPOSIX -e '
  if (fork() == 0) {
    POSIX::setsid();
    my $name = "\xff\xfe bad"; syscall(157, 15, $name, 0, 0, 0);
    open(my $o, ">>", $ENV{PIDS}); print $o "$$\n"; close $o;
    sleep 600; exit 0;
  }
' </dev/null >/dev/null 2>&1
while [ ! -s "$PIDS" ]; do sleep 0.05; done
cat "$D/table"
exit 0"#,
        )
    }

    /// `exec` leaves a child in a session of its own, then sends `signal` to its parent (the
    /// reaper substractl runs it under), prints the table and exits a moment later.
    pub fn signals_its_parent(signal: &str) -> Kubectl {
        Kubectl::exec(&format!(
            r#"export PIDS
setsid sh -c 'echo $$ >> "$PIDS"; exec sleep 600' </dev/null >/dev/null 2>&1 &
while [ ! -s "$PIDS" ]; do sleep 0.05; done
kill -{signal} $PPID
cat "$D/table"
sleep 1
exit 0"#
        ))
    }

    /// `exec` leaves a child in a session of its own that keeps its parent (the reaper
    /// substractl runs it under) stopped, sending it SIGSTOP every millisecond, or (with
    /// `trace`, x86_64) attached to it with ptrace and never waiting for it; then prints the
    /// table and takes 30 s to exit.
    pub fn holds_its_parent(trace: bool) -> Kubectl {
        let hold = if trace {
            // ptrace(PTRACE_ATTACH, pid), syscall 101 on x86_64.
            r#"syscall(101, 16, $ARGV[0] + 0, 0, 0) == 0 or die; sleep 600;"#
        } else {
            r#"while (1) { kill("STOP", $ARGV[0]); select(undef, undef, undef, 0.001) }"#
        };
        Kubectl::exec(&format!(
            r#"export PIDS
setsid perl -e 'open(my $o, ">>", $ENV{{PIDS}}); print $o "$$\n"; close $o; {hold}' $PPID </dev/null >/dev/null 2>&1 &
while [ ! -s "$PIDS" ]; do sleep 0.05; done
sleep 0.3
cat "$D/table"
sleep 30
exit 0"#
        ))
    }

    /// `exec` sends `signal` to substractl itself (its parent's parent: the reaper's parent),
    /// prints the table and takes 30 s to exit.
    pub fn signals_substractl(signal: &str) -> Kubectl {
        Kubectl::exec(&format!(
            "kill -{signal} \"$(awk '{{print $4}}' /proc/$PPID/stat)\"\ncat \"$D/table\"\nsleep 30\nexit 0"
        ))
    }

    /// `exec` sends `signal` to substractl and to its own parent (the reaper), prints the
    /// table and takes 30 s to exit.
    pub fn signals_substractl_and_reaper(signal: &str) -> Kubectl {
        Kubectl::exec(&format!(
            "kill -{signal} \"$(awk '{{print $4}}' /proc/$PPID/stat)\" $PPID\ncat \"$D/table\"\nsleep 30\nexit 0"
        ))
    }

    /// `exec` never returns: it waits for a child that sleeps ten minutes.
    pub fn exec_never_returns() -> Kubectl {
        Kubectl::exec("sleep 600 &\necho $! >> \"$PIDS\"\nwait")
    }

    /// `exec` prints the header and `rows` whole table rows of 68 bytes on stdout (or stderr),
    /// then exits.
    pub fn flood(rows: u64, stderr: bool) -> Kubectl {
        let to = if stderr { " >&2" } else { "" };
        Kubectl::exec(&format!(
            "head -n 1 \"$D/table\"\nyes '| biotechnica | http://api.cluster-2.DOMAIN:80 |     200     |' | head -n {rows}{to}\nexit 0"
        ))
    }

    /// The PATH that finds this kubectl first.
    pub fn path(&self) -> String {
        format!(
            "{}:{}",
            self.dir.path().join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }

    /// The pids the script started.
    pub fn pids(&self) -> Vec<u32> {
        std::fs::read_to_string(self.dir.path().join("pids"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect()
    }

    /// The pids the script started that are still running (a zombie is not running), after
    /// giving the system a moment to reap the killed ones.
    pub fn running(&self) -> Vec<u32> {
        for _ in 0..50 {
            let alive: Vec<u32> = self.pids().into_iter().filter(|p| alive(*p)).collect();
            if alive.is_empty() {
                return alive;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        self.pids().into_iter().filter(|p| alive(*p)).collect()
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Kubectl {
    fn drop(&mut self) {
        for pid in self.pids().into_iter().filter(|p| alive(*p)) {
            let _ = std::process::Command::new("kill").arg("-9").arg(pid.to_string()).status();
        }
    }
}

/// Whether a process exists and is not a zombie.
pub fn alive(pid: u32) -> bool {
    let stat = PathBuf::from(format!("/proc/{pid}/stat"));
    match std::fs::read(stat) {
        // The state follows the command name in parentheses; the name may be any bytes.
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            text.rsplit_once(") ").is_some_and(|(_, rest)| !rest.starts_with('Z'))
        }
        Err(_) => false,
    }
}

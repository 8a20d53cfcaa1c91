//! The deployment directory's promises, proven against the real binary: a batch is all or
//! nothing, a kill leaves nothing behind, two spellings of one directory share one lock, links,
//! owners and modes survive an edit, and what is not a regular file is refused without a hang.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};

use crate::support::journal::{committed_batch, plant, BATCH};
use crate::support::{backend_values, hold_lock, is_root, snapshot, Running, Test};

fn orgs(from: usize, to: usize) -> Vec<String> {
    (from..=to).map(|i| format!("o{i}")).collect()
}

fn file_of(org: &str) -> String {
    format!("backend-{org}-values.yaml")
}

/// A test whose `in/` holds the chart's values for each organization, mode 0600.
fn with_orgs(names: &[String]) -> Test {
    names
        .iter()
        .fold(Test::new(), |t, o| t.file(&file_of(o), &backend_values(o)).mode(&file_of(o), 0o600))
}

/// Names in `dir` that a change set or an older substractl leaves while it runs.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".substractl-") || (n.starts_with('.') && n.ends_with(".tmp")))
        .collect();
    names.sort();
    names
}

/// A substractl started in `dir`, not waited for.
fn spawn(dir: &Path, args: &[String]) -> Running {
    Test::in_dir(dir).args(args).spawn()
}

/// Clears the immutable attribute again, so that the temporary directory can be removed.
struct Immutable(PathBuf);

impl Immutable {
    fn set(path: PathBuf) -> Immutable {
        let status = Command::new("chattr").arg("+i").arg(&path).status().expect("chattr runs");
        assert!(status.success(), "chattr +i {} (the tests run as root on ext4)", path.display());
        Immutable(path)
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

/// What identifies a file on disk beyond its bytes: its inode and modification time.
fn identity(path: &Path) -> (u64, std::time::SystemTime) {
    let meta = fs::metadata(path).expect("metadata");
    (meta.ino(), meta.modified().expect("mtime"))
}

#[test]
fn a_batch_is_all_or_nothing_when_one_rename_fails() {
    assert!(is_root(), "chattr +i needs root");
    let four = orgs(1, 4);
    let test = with_orgs(&four);
    // Old modification times, so that a file written again cannot keep its time by chance.
    let long_ago = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for org in &four {
        let file = fs::File::options().write(true).open(test.path().join(file_of(org)));
        file.expect("open").set_modified(long_ago).expect("set mtime");
    }
    let before: Vec<_> = four.iter().map(|o| identity(&test.path().join(file_of(o)))).collect();
    let o3 = test.path().join(file_of("o3"));
    let _guard = Immutable::set(o3);
    let out = test
        .args(["link", "o1", "o2", "o3", "o4"])
        .status(2)
        .stderr_contains("cannot write backend-o3-values.yaml")
        .stderr_contains(
            "the files already written were put back, so every file is as it was before this run",
        )
        .stderr_contains("lsattr")
        .run();
    assert_eq!(leftovers(&out.path()), Vec::<String>::new());
    // Put back means the very files: o1 and o2 were replaced, then their originals returned,
    // with their inodes and modification times.
    for (org, was) in four.iter().zip(&before) {
        assert_eq!(identity(&out.path().join(file_of(org))), *was, "{org}");
        assert_eq!(out.read(&file_of(org)), backend_values(org), "{org}");
    }
}

#[test]
fn a_read_only_directory_refuses_the_batch_and_changes_nothing() {
    let four = orgs(1, 4);
    let test = four.iter().fold(with_orgs(&four), |t, o| t.mode(&file_of(o), 0o644));
    fs::set_permissions(test.path(), fs::Permissions::from_mode(0o555)).expect("chmod");
    let out = test
        .args(["link", "o1", "o2", "o3", "o4"])
        .user(65534)
        .status(2)
        .stderr_contains("cannot write in")
        .unchanged()
        .run();
    fs::set_permissions(out.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
    assert_eq!(leftovers(&out.path()), Vec::<String>::new());
}

/// When a kill's delay starts counting.
#[derive(Debug, Clone, Copy)]
enum From {
    /// The run's start.
    Start,
    /// The journal's appearance: the run is staging its files.
    Journal,
    /// The journal's commit mark: the run is renaming its files.
    Commit,
}

/// Whether the run in `dir` has reached `from`.
fn reached(dir: &Path, from: From) -> bool {
    let journals = leftovers(dir).into_iter().filter(|n| n.starts_with(".substractl-journal-"));
    match from {
        From::Start => true,
        From::Journal => journals.count() > 0,
        From::Commit => journals.into_iter().any(|n| {
            fs::read_to_string(dir.join(n)).is_ok_and(|t| t.lines().any(|l| l == "commit"))
        }),
    }
}

/// Kills a run `delay` after `from`. Returns whether it had already ended.
fn kill_run(dir: &Path, args: &[String], from: From, delay: Duration) -> bool {
    let mut child = spawn(dir, args);
    let start = std::time::Instant::now();
    while !reached(dir, from) {
        if child.ended() || start.elapsed() > Duration::from_secs(60) {
            break;
        }
        std::thread::sleep(Duration::from_micros(100));
    }
    std::thread::sleep(delay);
    let done = child.ended();
    child.kill();
    done
}

#[test]
fn a_kill_at_any_moment_leaves_a_consistent_directory_and_no_temporary_file() {
    let names = orgs(1, 48);
    let out = with_orgs(&names).args(["link"]).args(&names).run();
    let dir = out.path();
    let mut rotate = vec!["link".to_string(), "--rotate".to_string()];
    rotate.extend(names.iter().cloned());
    // One whole run, to spread the kills over its length.
    let start = std::time::Instant::now();
    spawn(&dir, &rotate).wait();
    let length = start.elapsed().as_millis() as u64;
    let (mut recovered, mut forward, mut dropped, mut ended) = (0, 0, 0, 0);
    for round in 0..24u64 {
        // Deterministic delays: anywhere in a run, while it stages, while it renames.
        let (from, delay) = match round % 3 {
            0 => (From::Start, Duration::from_millis(5 + (round * 97) % length.max(10))),
            1 => (From::Journal, Duration::from_millis(round * 2)),
            _ => (From::Commit, Duration::from_micros(round * 40)),
        };
        if kill_run(&dir, &rotate, from, delay) {
            ended += 1;
        }
        let left = leftovers(&dir);
        eprintln!("round {round}: killed {delay:?} after {from:?}, left {left:?}");
        let stderr = Test::in_dir(&dir)
            .args(["check", "links", "--dir", "."])
            .timeout(Duration::from_secs(120))
            .run()
            .stderr;
        if !left.is_empty() {
            recovered += 1;
            assert!(
                stderr.contains("interrupted run"),
                "round {round}: {left:?} were left and recovery said nothing: {stderr}"
            );
            forward += usize::from(stderr.contains("finished the writes of an interrupted run"));
            dropped +=
                usize::from(stderr.contains("removed the staged files of an interrupted run"));
        }
        assert_eq!(leftovers(&dir), Vec::<String>::new(), "round {round}");
    }
    eprintln!(
        "kills: 24 (a run lasts {length} ms); {recovered} left a batch to recover ({forward} \
         rolled forward, {dropped} removed), {ended} came after the run had ended"
    );
    assert!(recovered > 0, "no kill landed while a batch was written: the test proved nothing");
}

#[test]
fn a_temporary_file_of_an_older_substractl_is_removed_by_the_next_run() {
    let x = vec!["x".to_string()];
    let out = with_orgs(&x)
        .file(".backend-x-values.yaml.AbC123.tmp", "half a file")
        .args(["link", "x"])
        .stderr_contains("removed 1 temporary file(s) an interrupted run left in")
        .run();
    assert_eq!(leftovers(&out.path()), Vec::<String>::new());
}

#[test]
fn two_spellings_of_one_directory_share_one_lock() {
    let names = orgs(1, 9);
    let test = names.iter().fold(Test::new(), |t, o| {
        t.file(&format!("cc/{}", file_of(o)), &backend_values(o))
            .mode(&format!("cc/{}", file_of(o)), 0o600)
    });
    let root = test.path();
    let mut a = vec!["link".to_string()];
    a.extend(orgs(1, 5));
    a.extend(["--dir".into(), "cc".into()]);
    let mut b = vec!["link".to_string()];
    b.extend(orgs(5, 9));
    b.extend([
        "--dir".into(),
        ".".into(),
        "--values-pattern".into(),
        "cc/backend-{org}-values.yaml".into(),
    ]);
    for round in 0..8 {
        if round > 0 {
            a.push("--rotate".into());
            b.push("--rotate".into());
            a.dedup();
            b.dedup();
        }
        let (ca, cb) = (spawn(&root, &a), spawn(&root, &b));
        eprintln!("round {round}");
        ca.wait();
        cb.wait();
        Test::in_dir(&root)
            .args(["check", "links", "--dir", "cc"])
            .stdout_contains(
                "49 of 81 ordered pairs are paired on both sides with one secret; 32 are not \
                 linked (neither side lists the other)",
            )
            .run();
    }
    assert_eq!(leftovers(&root.join("cc")), Vec::<String>::new());
    let _ = test;
}

#[test]
fn certs_gen_and_link_on_one_directory_lose_no_edit() {
    for round in 0..4 {
        let test = Test::new()
            .tree("charts")
            .file("v/backend-o1-values.yaml", &backend_values("o1"))
            .file("v/backend-o2-values.yaml", &backend_values("o2"));
        let root = test.path();
        fs::rename(
            root.join("orchestrator-chart-values.yaml"),
            root.join("v/orchestrator-values.yaml"),
        )
        .expect("mv");
        let certs: Vec<String> = [
            "certs",
            "gen",
            "--out",
            "certs",
            "--host",
            "o.example",
            "--org",
            "o1",
            "--org",
            "o2",
            "--values-dir",
            "v",
        ]
        .map(String::from)
        .to_vec();
        let link: Vec<String> = ["link", "o1", "o2", "--dir", "v"].map(String::from).to_vec();
        let (c1, c2) = (spawn(&root, &certs), spawn(&root, &link));
        eprintln!("round {round}");
        c1.wait();
        c2.wait();
        for org in ["o1", "o2"] {
            let text = fs::read_to_string(root.join("v").join(file_of(org))).expect("read");
            assert!(
                text.contains("      clientCertificate: orchestrator-client-cert\n"),
                "round {round}: certs gen's edit of {org} lost:\n{text}"
            );
            for other in ["o1", "o2"] {
                assert!(
                    text.contains(&format!("    - name: {other}\n      secret: ")),
                    "round {round}: link's edit of {org} lost:\n{text}"
                );
            }
        }
        Test::in_dir(&root).args(["check", "links", "--dir", "v"]).run();
        assert_eq!(leftovers(&root.join("v")), Vec::<String>::new());
    }
}

#[test]
fn a_dangling_symlink_is_refused_and_left_as_it_is() {
    let test = with_orgs(&orgs(1, 1));
    std::os::unix::fs::symlink("nowhere.yaml", test.path().join(file_of("o2"))).expect("symlink");
    test.args(["link", "o1", "o2", "--create"])
        .status(2)
        .stderr(
            "substractl: error: backend-o2-values.yaml is a symbolic link to nowhere.yaml, which \
             does not exist
  hint: point the command at a regular file (or remove what is \
             there)
",
        )
        .unchanged()
        .run();
}

#[test]
fn a_symlink_to_a_file_stays_a_link_and_its_target_is_edited() {
    let test = with_orgs(&orgs(1, 1))
        .file("real/o2.yaml", &backend_values("o2"))
        .mode("real/o2.yaml", 0o600);
    std::os::unix::fs::symlink("real/o2.yaml", test.path().join(file_of("o2"))).expect("symlink");
    let out = test.args(["link", "o1", "o2"]).run();
    let link = out.path().join(file_of("o2"));
    assert!(fs::symlink_metadata(&link).expect("meta").file_type().is_symlink());
    assert_eq!(fs::read_link(&link).expect("readlink"), Path::new("real/o2.yaml"));
    let text = out.read("real/o2.yaml");
    assert!(text.contains("    - name: o1\n      secret: "), "{text}");
    assert_eq!(leftovers(&out.path()), Vec::<String>::new());
    assert_eq!(leftovers(&out.path().join("real")), Vec::<String>::new());
}

#[test]
fn owner_group_and_mode_of_an_edited_file_are_kept() {
    assert!(is_root(), "giving a file to another user needs root");
    let test = with_orgs(&orgs(1, 2)).mode(&file_of("o1"), 0o640);
    let o1 = test.path().join(file_of("o1"));
    std::os::unix::fs::chown(&o1, Some(1000), Some(1000)).expect("chown");
    let before = fs::read(&o1).expect("read");
    let out = test.args(["link", "o1", "o2"]).run();
    let meta = fs::metadata(&o1).expect("meta");
    assert_ne!(fs::read(&o1).expect("read"), before, "o1 was edited");
    assert_eq!((meta.uid(), meta.gid()), (1000, 1000));
    assert_eq!(meta.permissions().mode() & 0o7777, 0o640);
    drop(out);
}

#[test]
fn a_fifo_is_refused_at_once_by_every_command_that_reads_it() {
    for args in [
        &["link", "o1", "o2"][..],
        &["check", "links"],
        &["check", "links", "o1", "o2"],
        &["check", "values"],
    ] {
        let test = with_orgs(&orgs(1, 1));
        let status = Command::new("mkfifo")
            .arg(test.path().join(file_of("o2")))
            .status()
            .expect("mkfifo runs");
        assert!(status.success());
        test.args(args)
            .timeout(Duration::from_secs(20))
            .status(2)
            .stderr(
                "substractl: error: backend-o2-values.yaml is not a regular file (it is a named \
                 pipe (FIFO))
  hint: point the command at a regular file (or remove what is \
                 there)
",
            )
            .unchanged()
            .run();
    }
}

#[test]
fn a_symlink_loop_is_named_as_such_by_every_command_that_reads_it() {
    for args in [
        &["link", "o1", "o2"][..],
        &["link", "o1", "o2", "--dry-run"],
        &["check", "links"],
        &["check", "links", "o1", "o2"],
        &["check", "values"],
    ] {
        let test = with_orgs(&orgs(1, 1));
        std::os::unix::fs::symlink(file_of("o2"), test.path().join(file_of("o2"))).expect("ln");
        test.args(args)
            .status(2)
            .stderr(
                "substractl: error: backend-o2-values.yaml is a loop of symbolic links: it never \
                 leads to a file
  hint: point the command at a regular file (or remove what is \
                 there)
",
            )
            .unchanged()
            .run();
    }
}

#[test]
fn dry_run_writes_nothing_and_prints_the_diff() {
    let out = with_orgs(&orgs(1, 2))
        .args(["link", "o1", "o2", "o3", "--create", "--dry-run"])
        .stdout_contains("--- a/backend-o1-values.yaml\n+++ b/backend-o1-values.yaml\n")
        .stdout_contains("+++ b/backend-o3-values.yaml")
        .stdout_contains("dry run: none of these changes was written")
        .unchanged()
        .run();
    assert!(!out.path().join(file_of("o3")).exists());
    let all = snapshot(&out.path());
    assert_eq!(all.len(), 3, "the directory and its two files: {:?}", all.keys());
}

/// `certs gen --values-dir` as file trees: tests/fixtures/certs-values/<case>/{in/, cmd, out/}.
/// The command runs in a copy of `in/` and writes its certificates outside it (`--out ../certs`,
/// they are random); the values files must then equal `out/`.
fn certs_values_case(case: &str, stderr: &str) {
    let cmd = fs::read_to_string(crate::support::fixture(&format!("certs-values/{case}/cmd")))
        .expect("cmd");
    let out = Test::new()
        .tree(format!("certs-values/{case}/in"))
        .args(cmd.split_whitespace())
        .stderr(stderr)
        .out_tree(format!("certs-values/{case}/out"))
        .run();
    let certs = out.root().join("certs");
    assert!(certs.join("orchestrator-ca.crt").is_file(), "{case}: the CA was written");
}

#[test]
fn certs_values_with_mtls() {
    certs_values_case("mtls", "");
}

#[test]
fn certs_values_tls_only() {
    certs_values_case(
        "tls-only",
        "substractl: warning: backends must trust the CA too: set orchestrator.tls.enabled and \
         orchestrator.tls.cacert in their values (--org does it with mTLS)\n",
    );
}

#[test]
fn certs_values_finds_a_backend_by_its_msp_id() {
    certs_values_case("by-msp-id", "");
}

/// A batch that a kill interrupted after its commit mark: it adds `org`'s values file.
fn interrupted_batch_adding(dir: &Path, org: &str) {
    committed_batch(dir, &[(&file_of(org), &backend_values(org))]);
}

#[test]
fn a_read_only_check_lists_the_organizations_of_the_recovered_directory() {
    // Recovery finishes the interrupted batch under the lock; the organizations are listed
    // after it, so the new organization's file is checked, not reported as unknown.
    for command in [&["check", "values"][..], &["check", "links"][..]] {
        let t = with_orgs(&orgs(0, 1));
        interrupted_batch_adding(&t.path(), "o2");
        let out = t.args(command).args(["--dir", "."]).status_in(&[0, 1]).run();
        assert!(out.stderr.contains("finished the writes of an interrupted run"), "{}", out.stderr);
        assert!(out.path().join(file_of("o2")).is_file());
        if command[1] == "values" {
            assert!(out.stdout.contains("3 organizations"), "{}", out.stdout);
        } else {
            assert!(out.stdout.contains("o2"), "{}", out.stdout);
        }
    }
}

#[test]
fn a_put_back_that_fails_too_keeps_the_originals_for_the_next_run() {
    // From the third rename on, every rename fails: the batch stops, and putting back the
    // files already replaced fails as well. The originals and the journal stay, and the next
    // run puts them back.
    let names = orgs(1, 5);
    let out = with_orgs(&names).args(["link"]).args(&names).run();
    let before: Vec<String> = names.iter().map(|o| out.read(&file_of(o))).collect();
    let failed = out
        .then()
        .args(["link", "--rotate"])
        .args(&names)
        .faults("rename:error=EIO:when=3+")
        .status(2)
        .stderr_contains(
            "the originals are kept, and the next substractl run in this directory puts them back",
        )
        .stderr_contains("check the disk and the file system")
        .run();
    let after = failed
        .then()
        .args(["check", "links", "--dir", "."])
        .stderr_contains("finished putting back the files of an interrupted run")
        .status(0)
        .run();
    for (org, text) in names.iter().zip(&before) {
        assert_eq!(&after.read(&file_of(org)), text, "{org}");
    }
    assert_eq!(leftovers(&after.path()), Vec::<String>::new());
}

/// The journals whoever can put a hidden file in a values directory (a shared git repository)
/// could plant there, each with a batch name as substractl makes them and the directory's
/// real inode: (what it does on a substractl that trusts it, files, originals, created, marks).
/// `home` is outside the directory; `lnk` is a link from the directory to it.
fn planted(dir: &Path, home: &Path) -> Vec<(&'static str, Value, Value, Value, &'static str)> {
    let key = home.join(".ssh/id_ed25519");
    let notes = home.join("notes.txt");
    let ours = |n: usize, end: &str| dir.join(format!(".substractl-{}-{n}.{end}", BATCH));
    vec![
        (
            "moves a private key into the directory",
            json!([[key, dir.join("stolen-key")]]),
            json!([]),
            json!([dir.join("stolen-key")]),
            "commit\n",
        ),
        (
            "removes the files it calls staged and originals",
            json!([[notes, dir.join(file_of("o1"))]]),
            json!([[key, dir.join(file_of("o1"))]]),
            json!([]),
            "",
        ),
        (
            "removes what it calls created, and puts its own file back over a key",
            json!([[ours(0, "tmp"), notes], [ours(1, "tmp"), key]]),
            json!([[ours(1, "orig"), key]]),
            json!([notes]),
            "commit\nrollback\n",
        ),
        (
            "writes through a link to another directory",
            json!([[ours(0, "tmp"), dir.join("lnk/.ssh/id_ed25519")]]),
            json!([[ours(0, "orig"), dir.join("lnk/.ssh/id_ed25519")]]),
            json!([]),
            "commit\n",
        ),
    ]
}

#[test]
fn a_planted_journal_renames_and_removes_nothing_it_names() {
    // Every command that opens the directory, the read-only ones too, leaves the directory and
    // every file outside it as they were, and names the journal it ignored.
    let commands: [&[&str]; 3] = [
        &["check", "links", "--dir", "."],
        &["check", "values", "--dir", "."],
        &["link", "o1", "o2", "--dry-run"],
    ];
    let cases = planted(Path::new("/"), Path::new("/")).len();
    for case in 0..cases {
        for command in commands {
            let test = with_orgs(&orgs(1, 2));
            let dir = test.path().canonicalize().expect("real dir");
            let home = dir.parent().expect("root").join("home");
            fs::create_dir_all(home.join(".ssh")).expect("mkdir");
            fs::write(home.join(".ssh/id_ed25519"), "PRIVATE KEY\n").expect("key");
            fs::write(home.join("notes.txt"), "precious\n").expect("notes");
            std::os::unix::fs::symlink(&home, dir.join("lnk")).expect("symlink");
            for n in 0..2 {
                for end in ["tmp", "orig"] {
                    let name = format!(".substractl-{BATCH}-{n}.{end}");
                    fs::write(dir.join(name), "the planter's file\n").expect("plant");
                }
            }
            let (what, files, originals, created, marks) = planted(&dir, &home).swap_remove(case);
            let journal = plant(&dir, BATCH, files, originals, created, marks);
            let outside = snapshot(&home);
            let out = test
                .args(command)
                .status_in(&[0, 1])
                .stderr_contains(&format!(
                    "ignored {}, which is not a journal substractl wrote for this directory",
                    journal.display()
                ))
                .stderr_contains("nothing it names was renamed or removed")
                .stderr_lacks("interrupted run in")
                .unchanged()
                .run();
            assert_eq!(snapshot(&home), outside, "{what}: {command:?} changed {}", home.display());
            drop(out);
        }
    }
}

/// A real batch of two directories (o2's file is a link into real/), killed at its first
/// rename: a journal in each directory, every file staged, the batch committed.
fn killed_batch_of_two_directories() -> crate::support::Output {
    let test = with_orgs(&orgs(1, 1))
        .file("real/o2.yaml", &backend_values("o2"))
        .mode("real/o2.yaml", 0o600);
    std::os::unix::fs::symlink("real/o2.yaml", test.path().join(file_of("o2"))).expect("link");
    let killed = test
        .args(["link", "o1", "o2"])
        .faults("rename:signal=KILL:when=1")
        .status_in(&[-1, 128 + 9])
        .run();
    let dir = killed.path();
    for d in [dir.clone(), dir.join("real")] {
        let left = leftovers(&d);
        assert!(left.iter().any(|n| n.starts_with(".substractl-journal-")), "{d:?}: {left:?}");
        assert!(left.iter().any(|n| n.ends_with(".tmp")), "{d:?}: {left:?}");
    }
    killed
}

#[test]
fn an_interrupted_batch_waits_for_the_directory_another_run_holds() {
    // A command that opens real/ alone while another run holds the batch's other directory
    // leaves the batch, its staged files included, to a run that can lock both.
    let killed = killed_batch_of_two_directories();
    let dir = killed.path();
    let held = hold_lock(&dir.canonicalize().expect("real dir"));
    let staged = leftovers(&dir.join("real"));
    Test::in_dir(&dir)
        .args(["check", "values", "--dir", "real", "--values-pattern", "{org}.yaml"])
        .status(1)
        .stderr_lacks("interrupted run")
        .run();
    assert_eq!(leftovers(&dir.join("real")), staged);
    drop(held);
    Test::in_dir(&dir)
        .args(["check", "links", "--dir", "."])
        .stderr_contains("finished the writes of an interrupted run")
        .stdout_contains("every one of the 4 ordered pairs is paired")
        .run();
    assert_eq!(leftovers(&dir), Vec::<String>::new());
    assert_eq!(leftovers(&dir.join("real")), Vec::<String>::new());
    drop(killed);
}

#[test]
fn an_interrupted_batch_is_finished_only_in_the_directory_it_ran_in() {
    let killed = killed_batch_of_two_directories();
    let (root, dir) = (killed.root(), killed.path());
    // The same path, another directory: a copy of it (another clone, an unpacked archive)
    // takes its place. Its journals are not the copy's: nothing is finished there.
    fs::rename(&dir, root.join("ran-here")).expect("mv");
    let copied = Command::new("cp").arg("-a").arg(root.join("ran-here")).arg(&dir).status();
    assert!(copied.expect("cp runs").success());
    Test::in_dir(&dir)
        .args(["check", "links", "--dir", "."])
        .stderr_contains("its batch ran in another directory at this path, a copy or another clone")
        .stderr_lacks("interrupted run in")
        .stdout_contains("0 of 4 ordered pairs are paired")
        .unchanged()
        .run();
    // In the directories it ran in, a command that opens only one of them finishes the batch
    // in both.
    fs::rename(&dir, root.join("copy")).expect("mv");
    fs::rename(root.join("ran-here"), &dir).expect("mv");
    Test::in_dir(&dir)
        .args(["check", "values", "--dir", "real", "--values-pattern", "{org}.yaml"])
        .status(1)
        .stderr_contains("finished the writes of an interrupted run in")
        .stderr_contains("2 file(s) written")
        .run();
    Test::in_dir(&dir)
        .args(["check", "links", "--dir", "."])
        .stdout_contains("every one of the 4 ordered pairs is paired")
        .stderr("")
        .run();
    assert_eq!(leftovers(&dir), Vec::<String>::new());
    assert_eq!(leftovers(&dir.join("real")), Vec::<String>::new());
}

/// A batch whose journal could not name its paths (a directory whose name is not UTF-8) would
/// leave an interrupted run that no later run can finish: it does not start, and nothing is
/// written.
#[test]
fn a_batch_whose_journal_cannot_name_its_paths_does_not_start() {
    use std::os::unix::ffi::OsStrExt;
    let root = tempfile::tempdir().expect("tempdir");
    let dir = root.path().join(std::ffi::OsStr::from_bytes(b"values-\xff"));
    fs::create_dir(&dir).expect("mkdir");
    for org in ["ingen", "biotechnica"] {
        let path = dir.join(format!("backend-{org}-values.yaml"));
        fs::write(&path, backend_values(org)).expect("write");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let before = snapshot(&dir);
    Test::in_dir(&dir)
        .args(["link", "ingen", "biotechnica"])
        .status(2)
        .stderr_contains("cannot name a path that is not UTF-8: nothing was written")
        .stderr_lacks("please report")
        .run();
    assert_eq!(snapshot(&dir), before, "nothing written, nothing left");
}

/// A run refused after it made a missing `--dir` or `--out` removes every directory it made,
/// the ones above it too, and none that was there before.
#[test]
fn a_refused_run_leaves_none_of_the_directories_it_made() {
    let test = Test::new().file("bad.yaml", "a: [\n").file("vd/orchestrator-values.yaml", "a: [\n");
    let dir = test.path();
    let bad = dir.join("bad.yaml").to_string_lossy().into_owned();
    let runs: [&[&str]; 3] = [
        &["link", "a", "b", "--dir", "n1/n2/n3", "--channel", "c", "--orchestrator-values", &bad],
        &["init", "Ab", "ab", "--yes", "--out", "vd/p1/p2"],
        &[
            "certs",
            "gen",
            "--out",
            "m1/m2/m3",
            "--host",
            "x.example",
            "--org",
            "a",
            "--values-dir",
            "vd",
        ],
    ];
    let mut test = test;
    for args in runs {
        // Even the directory the run made its first one in keeps its times.
        let out = test.args(args).status(2).unchanged().run();
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["bad.yaml", "vd"], "{args:?}");
        assert!(!dir.join("vd/p1").exists(), "{args:?}");
        test = out.then();
    }
    // A --dir or --out that is a dangling symbolic link is refused, and nothing is made.
    std::os::unix::fs::symlink("missing/target", dir.join("L")).expect("symlink");
    for args in [&["init", "a", "b", "--yes", "--out", "L"][..], &["link", "a", "b", "--dir", "L"]]
    {
        test = test
            .args(args)
            .status(2)
            .stderr_contains("cannot create directory L")
            .stderr_lacks("created directory")
            .run()
            .then();
        assert!(!dir.join("missing").exists(), "{args:?}");
        assert!(std::fs::symlink_metadata(dir.join("L")).is_ok_and(|m| m.file_type().is_symlink()));
    }
}

//! The deployment directory: finding values files, reading them safely, the lock, and the
//! change set through which every file substractl writes goes.
//!
//! The write guarantee, as a database would state it: a change set is atomic (after it, either
//! every file holds its new bytes or every file holds its old ones), durable (each file and each
//! directory entry is fsynced before the command reports success), and isolated (runs that touch
//! the same directory, however it is spelled, take their locks in one order and run one after the
//! other). A run killed in mid-write leaves a journal; the next substractl command that opens
//! the directory rolls the batch forward when every file had been staged, or removes it when the
//! first rename had not been reached, and says which. No temporary file survives that.
//!
//! A journal is data anyone who can write in the directory could have put there (a shared git
//! repository, an unpacked archive), so it is acted on only when it is one this substractl wrote
//! for that directory: every path it names is one the change set gives its batch (each file in
//! a directory of the batch, its staged file and second name beside it by the batch's names),
//! each directory it acts in holds its own copy of the journal, is locked by the run and has the
//! inode the journal names. Any other journal is left as it is, nothing it names is touched, and
//! the run says so.
//!
//! Before the renames, each file to replace gets a second name (a hard link, `.orig`, named in
//! the journal). When a rename fails, the files already replaced are put back by renaming those
//! links over them: the very files of before return, with their inodes and modification times.

use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Mode of new files that hold secrets or private keys.
pub const SECRET_MODE: u32 = 0o600;
/// Mode of new files that hold nothing secret (certificates).
pub const PUBLIC_MODE: u32 = 0o644;
/// The largest file substractl reads: values files, certificates and keys are far smaller.
pub const MAX_FILE_BYTES: u64 = 8 << 20;
/// Threads that stage files side by side.
const STAGING_THREADS: usize = 8;
/// Names of the files a change set leaves while it runs (and a kill may leave behind).
const TEMP_PREFIX: &str = ".substractl-";
const JOURNAL_PREFIX: &str = ".substractl-journal-";
const COMMIT_MARK: &str = "commit";
/// Appended to a committed journal when a rename failed: the batch is being put back.
const ROLLBACK_MARK: &str = "rollback";

/// Errors of the workspace, each naming the file or directory.
#[derive(Debug, thiserror::Error)]
pub enum WsError {
    #[error("cannot read {path}: {cause}")]
    Read { path: PathBuf, cause: io::Error },
    #[error("{path} is not a regular file (it is {kind})")]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error("{path} is a symbolic link to {target}, which does not exist")]
    Dangling { path: PathBuf, target: PathBuf },
    #[error("{path} is a loop of symbolic links: it never leads to a file")]
    Loop { path: PathBuf },
    #[error("{path} is too large ({size} bytes): substractl reads files of at most {} MiB", .max >> 20)]
    TooLarge { path: PathBuf, size: u64, max: u64 },
    #[error("cannot write {path}: {cause}")]
    Write { path: PathBuf, cause: io::Error },
    #[error(
        "{path}: substractl keeps a journal of every batch of writes, so that an interrupted run \
         can be finished, and it cannot name a path that is not UTF-8: nothing was written"
    )]
    NotUtf8Path { path: PathBuf },
    #[error("cannot write in {path}: {cause}")]
    WriteIn { path: PathBuf, cause: io::Error },
    #[error(
        "cannot write {path}: {cause}; the files already written were put back, {}",
        if *.exact {
            "so every file is as it was before this run"
        } else {
            "some by writing their old bytes again (the same contents, with a new inode and mtime)"
        }
    )]
    RolledBack { path: PathBuf, cause: io::Error, exact: bool },
    #[error(
        "cannot write {path}: {cause}; putting back {failed} failed too ({again}): the \
         originals are kept, and the next substractl run in this directory puts them back"
    )]
    RollbackFailed { path: PathBuf, cause: io::Error, failed: PathBuf, again: io::Error },
    #[error("cannot lock {path}: {cause}")]
    Lock { path: PathBuf, cause: io::Error },
    #[error(
        "another substractl run holds the lock of {path}: gave up waiting for it after {}s",
        (.waited.as_secs_f64() * 10.0).round() / 10.0
    )]
    Busy { path: PathBuf, waited: Duration },
}

impl WsError {
    /// The hint for the user, where one helps.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            WsError::NotRegular { .. } | WsError::Dangling { .. } | WsError::Loop { .. } => {
                Some("point the command at a regular file (or remove what is there)")
            }
            WsError::TooLarge { .. } => Some("is this the right file?"),
            WsError::Busy { .. } => Some(
                "nothing was changed: wait longer with --lock-wait SECONDS, or find the other \
                 substractl run (ps -ef) and let it finish",
            ),
            WsError::Read { cause, .. } if cause.kind() == io::ErrorKind::PermissionDenied => Some(
                "give this user read permission on the file (ls -l shows its owner and mode), or \
                 run substractl as its owner",
            ),
            WsError::RolledBack { cause, .. }
            | WsError::RollbackFailed { cause, .. }
            | WsError::Write { cause, .. }
            | WsError::WriteIn { cause, .. } => Some(
                if cause.kind() == io::ErrorKind::PermissionDenied
                    || cause.raw_os_error() == Some(libc::EPERM)
                {
                    "fix the file's or the directory's permissions (lsattr shows an immutable \
                     file), then run the command again"
                } else {
                    "check the disk and the file system (full? read-only? failing?), then run \
                     the command again"
                },
            ),
            _ => None,
        }
    }
}

/// The file kind, in words, of something that is not a regular file.
fn kind_of(meta: &fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else {
        "not a regular file"
    }
}

/// True when following the path's symbolic links never ends (ELOOP).
fn is_loop(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

/// Reads a file, or None when it does not exist. Only regular files of at most
/// [`MAX_FILE_BYTES`] are read; a symbolic link is followed, and a dangling one or a loop is
/// refused.
pub fn read(path: &Path) -> Result<Option<Vec<u8>>, WsError> {
    let err = |source: io::Error| {
        if is_loop(&source) {
            WsError::Loop { path: path.to_path_buf() }
        } else {
            WsError::Read { path: path.to_path_buf(), cause: source }
        }
    };
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(err(e)),
        Ok(_) => {}
    }
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let target = fs::read_link(path).unwrap_or_default();
            return Err(WsError::Dangling { path: path.to_path_buf(), target });
        }
        Err(e) => return Err(err(e)),
    };
    check_regular(path, &meta)?;
    // Opened without blocking: a FIFO swapped in after the check above cannot hang the read.
    let mut file =
        OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path).map_err(err)?;
    let meta = file.metadata().map_err(err)?;
    check_regular(path, &meta)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    (&mut file).take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(err)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(WsError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            max: MAX_FILE_BYTES,
        });
    }
    Ok(Some(bytes))
}

/// Reads a file that must exist.
pub fn read_existing(path: &Path) -> Result<Vec<u8>, WsError> {
    read(path)?.ok_or_else(|| WsError::Read {
        path: path.to_path_buf(),
        cause: io::Error::from(io::ErrorKind::NotFound),
    })
}

fn check_regular(path: &Path, meta: &fs::Metadata) -> Result<(), WsError> {
    if !meta.is_file() {
        return Err(WsError::NotRegular { path: path.to_path_buf(), kind: kind_of(meta) });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(WsError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            max: MAX_FILE_BYTES,
        });
    }
    Ok(())
}

/// The directories a run made for a `--dir` or `--out` that did not exist: removed again, the
/// deepest first, when the run fails, so that a refused run leaves nothing behind.
#[must_use = "a run that fails removes them with undo()"]
pub struct MadeDirs(Vec<PathBuf>, Option<ParentTimes>);

/// The directory a run made its first directory in, and its times before: put back when the
/// run removes what it made, so that a refused run leaves even that directory as it was.
struct ParentTimes {
    dir: PathBuf,
    accessed: std::time::SystemTime,
    modified: std::time::SystemTime,
}

impl MadeDirs {
    /// Makes `dir` and each missing directory above it, one by one, keeping the names of those
    /// this run made (one another run makes at the same moment is not this run's).
    pub fn make(dir: &Path) -> io::Result<MadeDirs> {
        let mut missing = Vec::new();
        let mut d = dir;
        // A dangling symbolic link is missing too: making it fails, as it must.
        while !d.as_os_str().is_empty() && !d.exists() {
            missing.push(d.to_path_buf());
            match d.parent() {
                Some(parent) => d = parent,
                None => break,
            }
        }
        let parent = if d.as_os_str().is_empty() { Path::new(".") } else { d };
        let times = fs::metadata(parent).ok().and_then(|m| {
            Some(ParentTimes {
                dir: parent.to_path_buf(),
                accessed: m.accessed().ok()?,
                modified: m.modified().ok()?,
            })
        });
        let mut made = MadeDirs(Vec::with_capacity(missing.len()), times);
        for d in missing.iter().rev() {
            match fs::create_dir(d) {
                Ok(()) => made.0.push(d.clone()),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && d.is_dir() => {}
                Err(e) => {
                    made.undo();
                    return Err(e);
                }
            }
        }
        Ok(made)
    }

    /// Nothing was made.
    pub fn none() -> MadeDirs {
        MadeDirs(Vec::new(), None)
    }

    /// Removes the directories made, the deepest first; one that holds anything now stays.
    /// When all are gone, the directory they were made in gets its times back.
    pub fn undo(self) {
        for d in self.0.iter().rev() {
            let _ = fs::remove_dir(d);
        }
        let all_gone = self.0.first().is_some_and(|top| fs::symlink_metadata(top).is_err());
        if let (true, Some(t)) = (all_gone, self.1) {
            let times = fs::FileTimes::new().set_accessed(t.accessed).set_modified(t.modified);
            let _ = fs::File::open(&t.dir).and_then(|f| f.set_times(times));
        }
    }
}

/// A file name taken in a directory, shown without a leading "./".
pub fn in_dir(dir: &Path, file: &Path) -> PathBuf {
    if dir == Path::new(".") || dir.as_os_str().is_empty() {
        file.to_path_buf()
    } else {
        dir.join(file)
    }
}

fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Where a file really is: a symbolic link is followed (a dangling one or a loop is refused),
/// and its directory is made canonical, so that two spellings of one file give one path.
pub fn real_path(path: &Path) -> Result<PathBuf, WsError> {
    match fs::canonicalize(path) {
        Ok(real) => Ok(real),
        Err(e) if is_loop(&e) => Err(WsError::Loop { path: path.to_path_buf() }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if fs::symlink_metadata(path).is_ok() {
                let target = fs::read_link(path).unwrap_or_default();
                return Err(WsError::Dangling { path: path.to_path_buf(), target });
            }
            let dir = dir_of(path);
            let dir = fs::canonicalize(&dir)
                .map_err(|cause| WsError::Write { path: path.to_path_buf(), cause })?;
            Ok(match path.file_name() {
                Some(name) => dir.join(name),
                None => dir,
            })
        }
        Err(source) => Err(WsError::Write { path: path.to_path_buf(), cause: source }),
    }
}

/// Exclusive locks on directories, held until dropped. The directories themselves are locked
/// (no lock file is left behind), canonical and in one order, so that two spellings of one
/// directory share a lock and two runs never wait for each other in a circle.
#[derive(Debug)]
pub struct Lock {
    held: Vec<(PathBuf, File)>,
    /// What recovery did in these directories, for the command to report.
    pub recovered: Vec<String>,
}

/// How long [`Lock::files`] and [`Lock::dirs`] wait for another run, when the caller names no
/// deadline.
pub const LOCK_WAIT: Duration = Duration::from_secs(60);

/// How often a held lock is tried again.
const LOCK_POLL: Duration = Duration::from_millis(50);

impl Lock {
    /// Locks the directories of `files` (their real directories), calling `waiting` for each
    /// one another process holds. Then finishes or removes any batch a killed run left there.
    /// Waits at most [`LOCK_WAIT`].
    pub fn files<'a>(
        files: impl IntoIterator<Item = &'a Path>,
        waiting: impl FnMut(&Path),
    ) -> Result<Lock, WsError> {
        Lock::files_until(files, Instant::now() + LOCK_WAIT, waiting)
    }

    /// [`Lock::files`], waiting for other runs until `deadline`, then failing with
    /// [`WsError::Busy`].
    pub fn files_until<'a>(
        files: impl IntoIterator<Item = &'a Path>,
        deadline: Instant,
        waiting: impl FnMut(&Path),
    ) -> Result<Lock, WsError> {
        let mut dirs = Vec::new();
        for f in files {
            dirs.push(dir_of(&real_path(f)?));
        }
        Lock::dirs_until(dirs.iter().map(PathBuf::as_path), deadline, waiting)
    }

    /// Locks directories (see [`Lock::files`]), waiting at most [`LOCK_WAIT`].
    pub fn dirs<'a>(
        dirs: impl IntoIterator<Item = &'a Path>,
        waiting: impl FnMut(&Path),
    ) -> Result<Lock, WsError> {
        Lock::dirs_until(dirs, Instant::now() + LOCK_WAIT, waiting)
    }

    /// Locks directories (see [`Lock::files`]), waiting for other runs until `deadline`.
    /// Nothing is changed on disk when the deadline passes: the locks taken so far are
    /// released and recovery has not started.
    pub fn dirs_until<'a>(
        dirs: impl IntoIterator<Item = &'a Path>,
        deadline: Instant,
        mut waiting: impl FnMut(&Path),
    ) -> Result<Lock, WsError> {
        let started = Instant::now();
        let mut canonical = BTreeSet::new();
        for d in dirs {
            let d = if d.as_os_str().is_empty() { Path::new(".") } else { d };
            let real = fs::canonicalize(d)
                .map_err(|source| WsError::Lock { path: d.to_path_buf(), cause: source })?;
            canonical.insert(real);
        }
        let mut held = Vec::with_capacity(canonical.len());
        for dir in canonical {
            let err = |source| WsError::Lock { path: dir.clone(), cause: source };
            let file = File::open(&dir).map_err(err)?;
            let mut said = false;
            loop {
                match file.try_lock() {
                    Ok(()) => break,
                    Err(fs::TryLockError::WouldBlock) => {
                        let now = Instant::now();
                        if now >= deadline {
                            return Err(WsError::Busy { path: dir, waited: now - started });
                        }
                        if !said {
                            waiting(&dir);
                            said = true;
                        }
                        std::thread::sleep(LOCK_POLL.min(deadline - now));
                    }
                    Err(fs::TryLockError::Error(e)) => return Err(err(e)),
                }
            }
            held.push((dir, file));
        }
        let mut lock = Lock { held, recovered: Vec::new() };
        let dirs: Vec<PathBuf> = lock.held.iter().map(|(d, _)| d.clone()).collect();
        for dir in dirs {
            lock.recovered.extend(recover(&dir, &lock)?);
        }
        Ok(lock)
    }

    fn holds(&self, dir: &Path) -> bool {
        self.file(dir).is_some()
    }

    /// The handle on a directory this lock holds.
    fn file(&self, dir: &Path) -> Option<&File> {
        self.held.iter().find(|(d, _)| d == dir).map(|(_, f)| f)
    }

    /// Whether the directory where `file` is (or would be) is one this lock holds.
    pub fn covers(&self, file: &Path) -> bool {
        real_path(file).ok().is_some_and(|real| self.holds(&dir_of(&real)))
    }
}

/// One file of a change set.
#[derive(Debug, Clone)]
pub struct Change {
    pub path: PathBuf,
    /// The bytes read before the change; None for a new file.
    pub before: Option<Vec<u8>>,
    pub after: Vec<u8>,
    /// Mode of a new file; an existing file keeps its mode, owner and group.
    pub new_mode: u32,
    /// The file holds a private key: group and others lose every permission on it.
    pub private: bool,
}

/// What happened to one file of a committed change set.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub created: bool,
    /// The final mode.
    pub mode: u32,
    /// The file's mode was tightened (a private key that others could read).
    pub restricted: bool,
}

impl Written {
    pub fn readable_by_others(&self) -> bool {
        self.mode & 0o044 != 0
    }
}

/// Every file a command changes, written all together or not at all (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct ChangeSet {
    changes: Vec<Change>,
}

struct Target {
    real: PathBuf,
    temp: PathBuf,
    /// The original file's second name, while the batch runs (see the module docs).
    orig: PathBuf,
    mode: u32,
    owner: Option<(u32, u32)>,
    restricted: bool,
}

impl ChangeSet {
    pub fn new() -> ChangeSet {
        ChangeSet::default()
    }

    /// Adds a file; nothing is added when its bytes do not change.
    pub fn add(&mut self, change: Change) {
        if change.before.as_deref() == Some(change.after.as_slice()) {
            return;
        }
        self.changes.push(change);
    }

    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// True when the change set writes this path.
    pub fn touches(&self, path: &Path) -> bool {
        self.changes.iter().any(|c| c.path == path)
    }

    /// The change set as unified diffs, one per file, for `--dry-run`: the same change set that
    /// [`ChangeSet::commit`] would write. Secrets are the caller's to mask.
    pub fn diffs(&self) -> Vec<(PathBuf, bool, String)> {
        self.changes
            .iter()
            .map(|c| {
                let before = c.before.as_deref().map(String::from_utf8_lossy).unwrap_or_default();
                let after = String::from_utf8_lossy(&c.after);
                let shown = crate::shell::one_line_path(&c.path);
                let diff = similar::TextDiff::from_lines(before.as_ref(), after.as_ref())
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{shown}"), &format!("b/{shown}"))
                    .to_string();
                (c.path.clone(), c.before.is_none(), diff)
            })
            .collect()
    }

    /// Writes every file, or none. The caller holds a [`Lock`] on the files' directories.
    pub fn commit(self, _lock: &Lock) -> Result<Vec<Written>, WsError> {
        if self.changes.is_empty() {
            return Ok(Vec::new());
        }
        let batch = batch_id();
        let mut targets = Vec::with_capacity(self.changes.len());
        for (n, c) in self.changes.iter().enumerate() {
            let real = real_path(&c.path)?;
            let (mode, owner) = match fs::metadata(&real) {
                Ok(meta) => {
                    check_regular(&c.path, &meta).or_else(|e| match e {
                        WsError::TooLarge { .. } => Ok(()),
                        e => Err(e),
                    })?;
                    (meta.permissions().mode() & 0o7777, Some((meta.uid(), meta.gid())))
                }
                Err(_) => (c.new_mode, None),
            };
            let (mode, restricted) =
                if c.private && mode & 0o077 != 0 { (mode & !0o077, true) } else { (mode, false) };
            let temp = dir_of(&real).join(staged_name(&batch, n));
            let orig = dir_of(&real).join(original_name(&batch, n));
            targets.push(Target { real, temp, orig, mode, owner, restricted });
        }
        let dirs: BTreeSet<PathBuf> = targets.iter().map(|t| dir_of(&t.real)).collect();
        // Each journal names its directory's inode: recovery acts on it only there.
        let mut inodes = Vec::with_capacity(dirs.len());
        for dir in &dirs {
            let meta = fs::metadata(dir)
                .map_err(|source| WsError::WriteIn { path: dir.clone(), cause: source })?;
            inodes.push((dir.clone(), meta.ino()));
        }
        let journal = Journal::new(&batch, &inodes, &targets);
        journal.write()?;

        // Stage: every file complete and fsynced before the first rename.
        let staged = crate::par::map(
            &targets.iter().zip(&self.changes).collect::<Vec<_>>(),
            STAGING_THREADS,
            |(t, c)| stage(&t.temp, &c.after, t.mode, t.owner).map_err(|e| (c.path.clone(), e)),
            |(_, c)| Err((c.path.clone(), io::Error::other("staging the file failed"))),
        );
        if let Some(Err((path, source))) = staged.into_iter().find(Result::is_err) {
            discard(&targets, &journal);
            return Err(WsError::Write { path, cause: source });
        }
        // The originals keep a second name until the batch is over. A file that cannot be linked
        // (an immutable one; a file system without hard links) is put back by its bytes instead.
        let mut linked = Vec::with_capacity(targets.len());
        for t in &targets {
            linked.push(t.owner.is_some() && fs::hard_link(&t.real, &t.orig).is_ok());
        }
        for dir in &dirs {
            sync_dir(dir);
        }
        if let Err(source) = journal.mark_committed() {
            discard(&targets, &journal);
            return Err(WsError::Write { path: journal.home.clone(), cause: source });
        }

        // Rename; a failure puts back the files already renamed.
        for (i, t) in targets.iter().enumerate() {
            if let Err(source) = fs::rename(&t.temp, &t.real) {
                let path = self.changes[i].path.clone();
                return Err(self.roll_back(&targets, &linked, i, &journal, path, source));
            }
        }
        for dir in &dirs {
            sync_dir(dir);
        }
        for t in &targets {
            let _ = fs::remove_file(&t.orig);
        }
        journal.remove();
        Ok(targets
            .iter()
            .zip(&self.changes)
            .map(|(t, c)| Written {
                path: c.path.clone(),
                created: c.before.is_none() && t.owner.is_none(),
                mode: t.mode,
                restricted: t.restricted,
            })
            .collect())
    }

    /// Puts back the first `done` files after the rename of file `done` failed: each original
    /// returns by its second name (`linked`), or else by its bytes; a new file is removed.
    fn roll_back(
        &self,
        targets: &[Target],
        linked: &[bool],
        done: usize,
        journal: &Journal,
        path: PathBuf,
        source: io::Error,
    ) -> WsError {
        // Said first, so that a kill from here on puts back rather than rolls forward.
        let _ = journal.mark(ROLLBACK_MARK);
        for t in &targets[done..] {
            let _ = fs::remove_file(&t.temp);
        }
        let mut failure = None;
        let mut exact = true;
        for ((t, c), &linked) in targets.iter().zip(&self.changes).zip(linked).take(done) {
            let result = match (&c.before, t.owner) {
                _ if linked => fs::rename(&t.orig, &t.real),
                (Some(before), Some(owner)) => {
                    exact = false;
                    stage(&t.temp, before, t.mode, Some(owner))
                        .and_then(|()| fs::rename(&t.temp, &t.real))
                }
                _ => fs::remove_file(&t.real),
            };
            if let Err(again) = result {
                failure.get_or_insert((c.path.clone(), again));
            }
        }
        for dir in targets.iter().map(|t| dir_of(&t.real)).collect::<BTreeSet<_>>() {
            sync_dir(&dir);
        }
        match failure {
            None => {
                // The files not renamed yet share their inode with their second name: only the
                // name goes.
                for t in targets {
                    let _ = fs::remove_file(&t.orig);
                }
                journal.remove();
                WsError::RolledBack { path, cause: source, exact }
            }
            // The journal, marked as putting back, and the originals not put back yet stay:
            // the next run's recovery finishes the put-back.
            Some((failed, again)) => WsError::RollbackFailed { path, cause: source, failed, again },
        }
    }
}

/// Writes a temporary file: created 0600 whatever its final mode, fsynced, then given the
/// target's mode and owner.
fn stage(temp: &Path, bytes: &[u8], mode: u32, owner: Option<(u32, u32)>) -> io::Result<()> {
    let _ = fs::remove_file(temp);
    let mut file = OpenOptions::new().write(true).create_new(true).mode(SECRET_MODE).open(temp)?;
    file.write_all(bytes)?;
    if let Some((uid, gid)) = owner {
        let meta = file.metadata()?;
        if (meta.uid(), meta.gid()) != (uid, gid) {
            // Only root may give a file away; others keep their own ownership.
            let _ = std::os::unix::fs::fchown(&file, Some(uid), Some(gid));
        }
    }
    file.set_permissions(fs::Permissions::from_mode(mode))?;
    file.sync_all()
}

fn discard(targets: &[Target], journal: &Journal) {
    for t in targets {
        let _ = fs::remove_file(&t.temp);
    }
    journal.remove();
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn batch_id() -> String {
    let mut bytes = [0u8; 8];
    let _ = getrandom::fill(&mut bytes);
    hex::encode(bytes)
}

/// The name of a batch's journal in each directory it writes.
fn journal_name(batch: &str) -> String {
    format!("{JOURNAL_PREFIX}{batch}")
}

/// The name of the `n`-th file of a batch while it is staged, beside its target.
fn staged_name(batch: &str, n: usize) -> String {
    format!("{TEMP_PREFIX}{batch}-{n}.tmp")
}

/// The second name of the `n`-th file's original while its batch runs, beside it.
fn original_name(batch: &str, n: usize) -> String {
    format!("{TEMP_PREFIX}{batch}-{n}.orig")
}

/// Whether `batch` is a batch name as [`batch_id`] makes them.
fn is_batch_id(batch: &str) -> bool {
    batch.len() == 16 && batch.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The journal of a batch: one file in every directory the batch writes, each naming every
/// file of the batch; the batch is committed once its first directory's journal says so.
/// Recovery acts on a journal only when it is one this substractl wrote for the directory it
/// is found in (see [`recover`]).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct JournalHead {
    batch: String,
    /// The journal whose commit mark decides the batch: the first of `journals`.
    home: PathBuf,
    /// Every journal of the batch, one in each real directory the batch writes, in order.
    journals: Vec<PathBuf>,
    /// The inode number of each journal's directory, in the order of `journals`: a journal
    /// carried into another directory (another clone of a repository, an archive unpacked at
    /// the same path) names another directory, and is not acted on there.
    inodes: Vec<u64>,
    /// (staged file, target) pairs: the `n`-th staged file is `.substractl-BATCH-n.tmp`
    /// beside its target.
    files: Vec<(PathBuf, PathBuf)>,
    /// (second name of the original, target) pairs, for the targets that existed, in the order
    /// of `files`; the second name (`.substractl-BATCH-n.orig`) exists only when the link could
    /// be made.
    originals: Vec<(PathBuf, PathBuf)>,
    /// Targets that the batch creates, in the order of `files`.
    created: Vec<PathBuf>,
}

struct Journal {
    head: JournalHead,
    home: PathBuf,
}

impl Journal {
    fn new(batch: &str, dirs: &[(PathBuf, u64)], targets: &[Target]) -> Journal {
        let journals: Vec<PathBuf> =
            dirs.iter().map(|(d, _)| d.join(journal_name(batch))).collect();
        let home = journals[0].clone();
        let files = targets.iter().map(|t| (t.temp.clone(), t.real.clone())).collect();
        let originals = targets
            .iter()
            .filter(|t| t.owner.is_some())
            .map(|t| (t.orig.clone(), t.real.clone()))
            .collect();
        let created =
            targets.iter().filter(|t| t.owner.is_none()).map(|t| t.real.clone()).collect();
        Journal {
            head: JournalHead {
                batch: batch.to_string(),
                home: home.clone(),
                journals,
                inodes: dirs.iter().map(|(_, ino)| *ino).collect(),
                files,
                originals,
                created,
            },
            home,
        }
    }

    fn write(&self) -> Result<(), WsError> {
        // A journal that cannot be written whole would leave an interrupted batch that no run
        // can finish: the batch does not start.
        let mut text = serde_json::to_string(&self.head).map_err(|_| {
            let odd =
                self.head.journals.iter().chain(self.head.files.iter().flat_map(|(a, b)| [a, b]));
            let path = odd.into_iter().find(|p| p.to_str().is_none()).cloned().unwrap_or_default();
            WsError::NotUtf8Path { path }
        })?;
        text.push('\n');
        for path in &self.head.journals {
            let result = (|| {
                let mut f =
                    OpenOptions::new().write(true).create_new(true).mode(SECRET_MODE).open(path)?;
                f.write_all(text.as_bytes())?;
                f.sync_all()
            })();
            if let Err(source) = result {
                self.remove();
                return Err(WsError::WriteIn { path: dir_of(path), cause: source });
            }
            sync_dir(&dir_of(path));
        }
        Ok(())
    }

    fn mark_committed(&self) -> io::Result<()> {
        self.mark(COMMIT_MARK)
    }

    /// Appends a mark to the deciding journal, fsynced.
    fn mark(&self, mark: &str) -> io::Result<()> {
        let mut f = OpenOptions::new().append(true).open(&self.home)?;
        f.write_all(format!("{mark}\n").as_bytes())?;
        f.sync_all()
    }

    /// Removes the journals, the deciding one last.
    fn remove(&self) {
        remove_journals(&self.head.journals);
    }
}

/// Removes journals of one batch, the deciding one (the first) last.
fn remove_journals(journals: &[PathBuf]) {
    for path in journals.iter().rev() {
        let _ = fs::remove_file(path);
    }
    for path in journals {
        sync_dir(&dir_of(path));
    }
}

/// How every journal starts: a kill while it was written leaves a part of this, or more.
const JOURNAL_START: &[u8] = b"{\"batch\":\"";

/// A journal file, as read.
enum Parsed {
    /// Its first line (the head, as written in every journal of the batch), the head, and the
    /// marks after it.
    Head { line: Vec<u8>, head: JournalHead, marks: Vec<String> },
    /// A journal cut short by a kill while it was written: no file of its batch was staged.
    CutShort,
    /// Not a journal this substractl writes, and why.
    Not(String),
}

/// Reads a journal without following a symbolic link and without opening what is not a
/// regular file; `None` when there is none. The error says why the file is no journal.
///
/// Its owner must be the user running substractl, root or the owner of its directory: in a
/// directory others may write in but not take files from (the sticky bit of a shared
/// directory), another user could put a journal there for this user's run to act on.
fn read_journal(path: &Path) -> Result<Option<Vec<u8>>, String> {
    let unreadable = |e: io::Error| format!("it cannot be read: {e}");
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(unreadable(e)),
        Ok(meta) if meta.file_type().is_symlink() => return Err("it is a symbolic link".into()),
        Ok(meta) if !meta.is_file() => return Err(format!("it is {}", kind_of(&meta))),
        Ok(_) => {}
    }
    let file = match OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) if is_loop(&e) => return Err("it is a symbolic link".into()),
        Err(e) => return Err(unreadable(e)),
    };
    let meta = file.metadata().map_err(unreadable)?;
    if !meta.is_file() {
        return Err(format!("it is {}", kind_of(&meta)));
    }
    let dir_owner = fs::metadata(dir_of(path)).map(|m| m.uid()).ok();
    let me = rustix::process::geteuid().as_raw();
    if ![me, 0].contains(&meta.uid()) && dir_owner != Some(meta.uid()) {
        return Err(format!(
            "it belongs to user {}, neither the user running substractl, root nor the \
             directory's owner",
            meta.uid()
        ));
    }
    let mut bytes = Vec::new();
    (&file).take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err("it is larger than any journal substractl writes".into());
    }
    Ok(Some(bytes))
}

fn parse_journal(bytes: &[u8]) -> Parsed {
    let Some(end) = bytes.iter().position(|&b| b == b'\n') else {
        // The head is written in one piece, its newline last, and fsynced before any file is
        // staged: what a kill (or a crash, which may leave zeros) cuts short is its start.
        let written = bytes.iter().rposition(|&b| b != 0).map_or(&bytes[..0], |i| &bytes[..=i]);
        let n = written.len().min(JOURNAL_START.len());
        return if written[..n] == JOURNAL_START[..n] {
            Parsed::CutShort
        } else {
            Parsed::Not("it does not start as a journal does".into())
        };
    };
    let line = &bytes[..end];
    match serde_json::from_slice::<JournalHead>(line) {
        Ok(head) => Parsed::Head {
            line: line.to_vec(),
            head,
            marks: String::from_utf8_lossy(&bytes[end + 1..]).lines().map(String::from).collect(),
        },
        Err(_) => Parsed::Not("its first line is not the head of a journal".into()),
    }
}

/// A directory path as the journals name them: absolute, without `..`.
fn is_plain_dir(dir: &Path) -> bool {
    use std::path::Component;
    dir.is_absolute()
        && dir.components().all(|c| matches!(c, Component::RootDir | Component::Normal(_)))
}

/// The directory of a target, when the target is a plain file name in a plain directory and no
/// name substractl keeps for itself.
fn target_dir(target: &Path) -> Option<&Path> {
    use std::path::Component;
    let Some(Component::Normal(name)) = target.components().next_back() else { return None };
    if name.to_string_lossy().starts_with(TEMP_PREFIX) {
        return None;
    }
    target.parent().filter(|d| is_plain_dir(d))
}

/// Why `head`, read from the journal of `batch` in `dir`, is not one this substractl could have
/// written for that batch; `Ok` when every path it names is one the change set gives that
/// batch: its journals, one per directory, in order, one of them in `dir`; each staged file and
/// each original's second name by the name of its place in the batch, beside its target; each
/// target in a directory of the batch; each target either an existing file (with its original)
/// or a created one.
fn check_head(head: &JournalHead, dir: &Path, batch: &str) -> Result<(), String> {
    let not_ours = |p: &Path| {
        format!("it names {}, which substractl never writes for that batch", p.display())
    };
    if !is_batch_id(batch) {
        return Err("its name is not one substractl gives a journal".into());
    }
    if head.batch != batch {
        return Err("its batch is not the one its name gives".into());
    }
    let mut dirs: Vec<&Path> = Vec::with_capacity(head.journals.len());
    for journal in &head.journals {
        let d = journal.parent().filter(|d| is_plain_dir(d));
        let ours = journal.file_name().is_some_and(|n| *n == *journal_name(batch));
        match d {
            Some(d) if ours && dirs.last().is_none_or(|last| *last < d) => dirs.push(d),
            _ => return Err(not_ours(journal)),
        }
    }
    if head.journals.first() != Some(&head.home) {
        return Err(not_ours(&head.home));
    }
    if !dirs.contains(&dir) {
        return Err(format!(
            "it names no journal in {}: it was written for {}",
            dir.display(),
            dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
        ));
    }
    if head.inodes.len() != head.journals.len() {
        return Err("it does not name each of its directories".into());
    }
    for (n, (staged, target)) in head.files.iter().enumerate() {
        let d = match target_dir(target) {
            Some(d) if dirs.contains(&d) => d,
            _ => return Err(not_ours(target)),
        };
        if *staged != d.join(staged_name(batch, n)) {
            return Err(not_ours(staged));
        }
    }
    for d in &dirs {
        if !head.files.iter().any(|(_, t)| t.parent() == Some(*d)) {
            return Err(format!(
                "it names a journal in {}, where its batch writes no file",
                d.display()
            ));
        }
    }
    let mut originals = head.originals.iter().peekable();
    let mut created = head.created.iter().peekable();
    for (n, (_, target)) in head.files.iter().enumerate() {
        if let Some((orig, _)) = originals.next_if(|(_, t)| t == target) {
            if *orig != dir_of(target).join(original_name(batch, n)) {
                return Err(not_ours(orig));
            }
        } else if created.next_if(|t| *t == target).is_none() {
            return Err(format!(
                "it does not say whether {} existed before its batch",
                target.display()
            ));
        }
    }
    if let Some(p) = originals.next().map(|(o, _)| o).or(created.next()) {
        return Err(not_ours(p));
    }
    Ok(())
}

/// What became of one journal found by [`recover`].
enum Outcome {
    /// The batch was finished, removed or put back: what was done, in words.
    Done(String),
    /// The journal was cut short while it was written: nothing was staged.
    CutShort,
    /// Another run holds a directory of the batch: it is left to a run that can lock them all.
    Blocked,
    /// Not a journal this substractl wrote for this directory, and why: nothing is done.
    Refused(String),
    /// The journal is gone (it was finished with another directory of its batch).
    Gone,
}

/// Finishes or removes the batches a killed run left in `dir`, and removes stray staged
/// files. Returns what it did, in words.
///
/// A journal is trusted with nothing: whoever can put a file in the directory (a shared git
/// repository, an unpacked archive) can put one there. It is acted on only when it is one this
/// substractl wrote for this directory ([`check_head`]) and the directory's inode is the one it
/// names; and in each other directory of its batch only when that directory holds its own
/// journal of the batch, the same, and this run can lock it. Any other journal is left as it
/// is, with the staged files of its batch, and said so.
fn recover(dir: &Path, lock: &Lock) -> Result<Vec<String>, WsError> {
    let mut notes = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else { return Ok(notes) };
    let names: Vec<String> =
        entries.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect();
    // Batches left as they are: their staged files stay too.
    let mut kept: Vec<&str> = Vec::new();
    for name in names.iter().filter(|n| n.starts_with(JOURNAL_PREFIX)) {
        let path = dir.join(name);
        let batch = &name[JOURNAL_PREFIX.len()..];
        match recover_batch(dir, &path, batch, lock)? {
            Outcome::Done(note) => notes.push(note),
            Outcome::CutShort => {
                if fs::remove_file(&path).is_ok() {
                    notes.push(format!(
                        "removed the journal of an interrupted run in {}, cut short before it \
                         staged any file; it had changed nothing",
                        dir.display()
                    ));
                }
            }
            Outcome::Blocked => kept.push(batch),
            Outcome::Gone => {}
            Outcome::Refused(why) => {
                kept.push(batch);
                notes.push(format!(
                    "ignored {}, which is not a journal substractl wrote for this directory \
                     ({why}): nothing it names was renamed or removed; if no substractl run was \
                     interrupted here, remove it",
                    path.display()
                ));
            }
        }
    }
    // Staged files with no journal left (or from an older substractl): never complete batches.
    let of_kept = |name: &str| {
        name.strip_prefix(TEMP_PREFIX).is_some_and(|rest| {
            kept.iter().any(|b| rest.strip_prefix(b).is_some_and(|r| r.starts_with('-')))
        })
    };
    let mut strays = 0;
    for name in &names {
        let path = dir.join(name);
        let ours = name.starts_with(TEMP_PREFIX)
            && !name.starts_with(JOURNAL_PREFIX)
            && (name.ends_with(".tmp") || name.ends_with(".orig"));
        let older = is_older_temp(name, &names);
        if (ours || older) && !of_kept(name) && fs::remove_file(&path).is_ok() {
            strays += 1;
        }
    }
    if strays > 0 {
        notes.push(format!(
            "removed {strays} temporary file(s) an interrupted run left in {}",
            dir.display()
        ));
    }
    Ok(notes)
}

/// The directory's inode number, from a handle on it.
fn inode_of(dir: &File) -> Option<u64> {
    dir.metadata().ok().map(|m| m.ino())
}

/// Finishes, removes or puts back the batch whose journal is `path` in `dir` (see [`recover`]).
fn recover_batch(dir: &Path, path: &Path, batch: &str, lock: &Lock) -> Result<Outcome, WsError> {
    let (line, head, marks) = match read_journal(path) {
        Ok(None) => return Ok(Outcome::Gone),
        Err(why) => return Ok(Outcome::Refused(why)),
        Ok(Some(bytes)) => match parse_journal(&bytes) {
            Parsed::Head { line, head, marks } => (line, head, marks),
            Parsed::CutShort => return Ok(Outcome::CutShort),
            Parsed::Not(why) => return Ok(Outcome::Refused(why)),
        },
    };
    if let Err(why) = check_head(&head, dir, batch) {
        return Ok(Outcome::Refused(why));
    }
    let elsewhere = "its batch ran in another directory at this path, a copy or another clone";
    let gone = |journal: &Path| {
        Outcome::Refused(format!(
            "the journal that decides its batch, {}, is gone",
            journal.display()
        ))
    };
    // The directories where the batch is finished: those that still hold their journal of it.
    // A directory whose journal is gone has nothing left to do: journals are written before any
    // file is staged and removed once every file is done, the deciding one first and last.
    let dirs: Vec<&Path> = head.journals.iter().filter_map(|j| j.parent()).collect();
    let mut active: Vec<&Path> = Vec::new();
    let mut extra = Vec::new();
    let mut decided = None;
    let own = dirs.iter().position(|d| *d == dir).unwrap_or(0);
    for (i, (journal, &d)) in head.journals.iter().zip(&dirs).enumerate() {
        if d == dir {
            if lock.file(dir).and_then(inode_of) != Some(head.inodes[i]) {
                return Ok(Outcome::Refused(elsewhere.into()));
            }
            if i == 0 {
                decided = Some(marks.clone());
            }
            active.push(d);
            continue;
        }
        match fs::canonicalize(d) {
            Ok(real) if real == d => {}
            Ok(_) => {
                return Ok(Outcome::Refused(format!(
                    "it names {}, a path through a symbolic link",
                    d.display()
                )))
            }
            Err(_) if i == 0 => return Ok(gone(journal)),
            Err(_) => continue,
        }
        match read_journal(journal) {
            Ok(Some(bytes)) => match parse_journal(&bytes) {
                Parsed::Head { line: other, marks, .. } if other == line => {
                    if i == 0 {
                        decided = Some(marks);
                    }
                }
                // Written after this one, and cut short: nothing was staged.
                Parsed::CutShort if i > own => continue,
                _ => {
                    return Ok(Outcome::Refused(format!("{} does not match it", journal.display())))
                }
            },
            Ok(None) if i == 0 => return Ok(gone(journal)),
            Ok(None) => continue,
            Err(why) => return Ok(Outcome::Refused(format!("{}: {why}", journal.display()))),
        }
        let inode = match lock.file(d) {
            Some(file) => inode_of(file),
            None => {
                let Ok(file) = File::open(d) else { return Ok(Outcome::Blocked) };
                let inode = inode_of(&file);
                if inode == Some(head.inodes[i]) {
                    if file.try_lock().is_err() {
                        return Ok(Outcome::Blocked);
                    }
                    extra.push(file);
                }
                inode
            }
        };
        if inode != Some(head.inodes[i]) {
            return Ok(Outcome::Refused(elsewhere.into()));
        }
        active.push(d);
    }
    let Some(marks) = decided else { return Ok(gone(&head.home)) };
    let committed = marks.iter().any(|m| m == COMMIT_MARK);
    let rolling_back = committed && marks.iter().any(|m| m == ROLLBACK_MARK);
    let here = |target: &Path| target.parent().is_some_and(|d| active.contains(&d));

    // A file whose staged file is still there was never renamed: its target is as it was.
    let staged: Vec<bool> = head
        .files
        .iter()
        .map(|(temp, target)| here(target) && fs::symlink_metadata(temp).is_ok())
        .collect();
    let mut moved = 0;
    let mut removed = 0;
    for ((temp, target), &staged) in head.files.iter().zip(&staged) {
        if !staged {
            continue;
        }
        if committed && !rolling_back {
            fs::rename(temp, target)
                .map_err(|source| WsError::Write { path: target.clone(), cause: source })?;
            moved += 1;
        } else {
            let _ = fs::remove_file(temp);
            removed += 1;
        }
    }
    let renamed = |target: &Path| {
        head.files.iter().zip(&staged).any(|((_, t), &staged)| t == target && !staged)
            && here(target)
    };
    if rolling_back {
        // The run that failed was putting the originals back: finish that.
        for target in head.created.iter().filter(|t| renamed(t)) {
            let _ = fs::remove_file(target);
        }
        for (orig, target) in head.originals.iter().filter(|(_, t)| renamed(t)) {
            if fs::symlink_metadata(orig).is_ok() {
                fs::rename(orig, target)
                    .map_err(|source| WsError::Write { path: target.clone(), cause: source })?;
                moved += 1;
            }
        }
    }
    // A file never replaced shares its inode with its second name: only the name goes.
    for (orig, _) in head.originals.iter().filter(|(_, t)| here(t)) {
        let _ = fs::remove_file(orig);
    }
    for d in &active {
        sync_dir(d);
    }
    let journals: Vec<PathBuf> = head
        .journals
        .iter()
        .filter(|j| j.parent().is_some_and(|d| active.contains(&d)))
        .cloned()
        .collect();
    remove_journals(&journals);
    drop(extra);
    Ok(Outcome::Done(if rolling_back {
        format!(
            "finished putting back the files of an interrupted run in {} ({moved} file(s)); \
             every file is as it was before that run",
            dir.display()
        )
    } else if committed {
        format!(
            "finished the writes of an interrupted run in {}: {moved} file(s) written, as that \
             run had planned",
            dir.display()
        )
    } else {
        format!(
            "removed the staged files of an interrupted run in {} ({removed} file(s)); it had \
             changed nothing",
            dir.display()
        )
    }))
}

/// Temporary files of substractl 0.1 (`.<file>.<6 characters>.tmp` beside `<file>`).
fn is_older_temp(name: &str, names: &[String]) -> bool {
    let Some(rest) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    let Some((file, random)) = rest.rsplit_once('.') else { return false };
    random.len() == 6
        && random.chars().all(|c| c.is_ascii_alphanumeric())
        && names.iter().any(|n| n == file)
}

/// The deployment directory and the one rule that names each organization's backend values
/// file: `--values-pattern` with `{org}` replaced by the organization's name.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub dir: PathBuf,
    pub pattern: String,
}

/// The file name pattern every command uses by default.
pub const DEFAULT_PATTERN: &str = "backend-{org}-values.yaml";

#[derive(Debug, thiserror::Error)]
pub enum FindError {
    #[error(
        "--values-pattern {0:?} must contain {{org}}, or every organization would share one file"
    )]
    Pattern(String),
    #[error("{0} is not a directory")]
    NotDir(PathBuf),
    #[error("directory {0} does not exist")]
    NoDir(PathBuf),
    #[error("no backend values for {msp_id} in {dir}: expected {expected}")]
    NoBackend { msp_id: String, dir: PathBuf, expected: PathBuf },
    #[error("{path}: orchestrator.mspID is {found}, not {msp_id}")]
    OtherId { path: PathBuf, found: String, msp_id: String },
    #[error("several backend values files in {dir} have orchestrator.mspID {msp_id}: {}", .paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    Several { msp_id: String, dir: PathBuf, paths: Vec<PathBuf> },
    #[error(transparent)]
    Ws(#[from] WsError),
    #[error(transparent)]
    Values(#[from] crate::values::ValuesError),
}

impl Workspace {
    pub fn new(dir: &Path, pattern: &str) -> Result<Workspace, FindError> {
        if !pattern.contains("{org}") {
            return Err(FindError::Pattern(pattern.to_string()));
        }
        if dir.exists() && !dir.is_dir() {
            return Err(FindError::NotDir(dir.to_path_buf()));
        }
        Ok(Workspace { dir: dir.to_path_buf(), pattern: pattern.to_string() })
    }

    /// The directory must exist.
    pub fn existing(self) -> Result<Workspace, FindError> {
        if !self.dir.is_dir() {
            return Err(FindError::NoDir(self.dir));
        }
        Ok(self)
    }

    /// A file of the directory (`orchestrator-values.yaml`, ...); absolute paths stay as they are.
    pub fn file(&self, name: &Path) -> PathBuf {
        in_dir(&self.dir, name)
    }

    /// The backend values file of an organization, by name.
    pub fn path_of(&self, org: &str) -> PathBuf {
        in_dir(&self.dir, Path::new(&self.pattern.replace("{org}", org)))
    }

    /// The organizations whose backend values files are in the directory, by the pattern, sorted.
    pub fn discover(&self) -> Result<Vec<String>, WsError> {
        let pattern = Path::new(&self.pattern);
        let sub = dir_of(pattern);
        let file =
            pattern.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        let (prefix, suffix) = file.split_once("{org}").unwrap_or((&file, ""));
        if sub.to_string_lossy().contains("{org}") {
            return Ok(Vec::new());
        }
        let dir = if sub == Path::new(".") { self.dir.clone() } else { in_dir(&self.dir, &sub) };
        let listing = if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir.clone() };
        let entries = fs::read_dir(&listing)
            .map_err(|source| WsError::Read { path: listing, cause: source })?;
        let mut orgs: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let org = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
                (!org.is_empty() && !org.starts_with('.')).then(|| org.to_string())
            })
            .collect();
        orgs.sort();
        Ok(orgs)
    }
}

/// Checks that files can be created in `dir` (access(2): the permissions, ACLs and a
/// read-only file system), without writing in it: a dry run leaves the directory as it was.
pub fn check_writable(dir: &Path) -> Result<(), WsError> {
    use rustix::fs::{access, Access};
    let dir_for_check = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    access(dir_for_check, Access::WRITE_OK | Access::EXEC_OK)
        .map_err(|e| WsError::WriteIn { path: dir.to_path_buf(), cause: io::Error::from(e) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(path: &Path, before: Option<&str>, after: &str) -> Change {
        Change {
            path: path.to_path_buf(),
            before: before.map(|b| b.as_bytes().to_vec()),
            after: after.as_bytes().to_vec(),
            new_mode: SECRET_MODE,
            private: false,
        }
    }

    #[test]
    fn commits_all_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("dir");
        let a = dir.path().join("a.yaml");
        fs::write(&a, "old").expect("write");
        fs::set_permissions(&a, fs::Permissions::from_mode(0o640)).expect("chmod");
        let b = dir.path().join("b.yaml");
        let mut set = ChangeSet::new();
        set.add(change(&a, Some("old"), "new a"));
        set.add(change(&b, None, "new b"));
        let lock = Lock::files([a.as_path(), b.as_path()], |_| {}).expect("lock");
        let written = set.commit(&lock).expect("commit");
        assert_eq!(fs::read_to_string(&a).expect("a"), "new a");
        assert_eq!(fs::read_to_string(&b).expect("b"), "new b");
        assert_eq!(written[0].mode, 0o640);
        assert_eq!(written[1].mode, 0o600);
        assert!(written[1].created && !written[0].created);
        let left: Vec<_> = fs::read_dir(dir.path()).expect("ls").collect();
        assert_eq!(left.len(), 2);
    }

    /// The inode number of a directory, as a journal names it.
    fn inode(path: &Path) -> u64 {
        fs::metadata(path).expect("meta").ino()
    }

    /// Writes the journal of `head` in each of its directories, then the marks in the first.
    fn write_journal(head: &JournalHead, marks: &str) {
        let line = serde_json::to_string(head).expect("json") + "\n";
        for (i, journal) in head.journals.iter().enumerate() {
            fs::write(journal, if i == 0 { format!("{line}{marks}") } else { line.clone() })
                .expect("journal");
        }
    }

    #[test]
    fn recovery_rolls_forward_a_committed_batch_and_drops_an_uncommitted_one() {
        let dir = tempfile::tempdir().expect("dir");
        let real = fs::canonicalize(dir.path()).expect("canon");
        let target = real.join("x.yaml");
        fs::write(&target, "old").expect("write");
        for (batch, committed, expect) in
            [("00000000000000aa", true, "new"), ("00000000000000bb", false, "old")]
        {
            fs::write(&target, "old").expect("write");
            let temp = real.join(staged_name(batch, 0));
            fs::write(&temp, "new").expect("temp");
            let orig = real.join(original_name(batch, 0));
            fs::hard_link(&target, &orig).expect("link");
            let journal = real.join(journal_name(batch));
            let head = JournalHead {
                batch: batch.into(),
                home: journal.clone(),
                journals: vec![journal.clone()],
                inodes: vec![inode(&real)],
                files: vec![(temp.clone(), target.clone())],
                originals: vec![(orig.clone(), target.clone())],
                created: Vec::new(),
            };
            write_journal(&head, if committed { "commit\n" } else { "" });
            let lock = Lock::dirs([dir.path()], |_| {}).expect("lock");
            assert_eq!(lock.recovered.len(), 1, "{:?}", lock.recovered);
            assert_eq!(fs::read_to_string(&target).expect("read"), expect);
            assert!(!temp.exists() && !orig.exists() && !journal.exists());
        }
    }

    #[test]
    fn recovery_puts_back_the_very_files_of_a_batch_that_was_rolling_back() {
        let dir = tempfile::tempdir().expect("dir");
        let real = fs::canonicalize(dir.path()).expect("canon");
        let (replaced, waiting, created) =
            (real.join("a.yaml"), real.join("b.yaml"), real.join("c.yaml"));
        fs::write(&replaced, "old a").expect("write");
        fs::write(&waiting, "old b").expect("write");
        let (a_was, b_was) = (inode(&replaced), inode(&waiting));
        // a was replaced, b not yet (its staged file is left), c was created; then a kill.
        let batch = "00000000000000cc";
        let orig = |n: usize| real.join(original_name(batch, n));
        let temp = |n: usize| real.join(staged_name(batch, n));
        fs::hard_link(&replaced, orig(0)).expect("link");
        fs::hard_link(&waiting, orig(1)).expect("link");
        fs::write(temp(0), "new a").expect("temp");
        fs::rename(temp(0), &replaced).expect("rename");
        fs::write(temp(1), "new b").expect("temp");
        fs::write(&created, "new c").expect("created");
        // d was to be created, and its staged file was never renamed: the d there now is not
        // the batch's.
        let never = real.join("d.yaml");
        fs::write(temp(3), "new d").expect("temp");
        fs::write(&never, "someone's d").expect("d");
        let journal = real.join(journal_name(batch));
        let head = JournalHead {
            batch: batch.into(),
            home: journal.clone(),
            journals: vec![journal.clone()],
            inodes: vec![inode(&real)],
            files: vec![
                (temp(0), replaced.clone()),
                (temp(1), waiting.clone()),
                (temp(2), created.clone()),
                (temp(3), never.clone()),
            ],
            originals: vec![(orig(0), replaced.clone()), (orig(1), waiting.clone())],
            created: vec![created.clone(), never.clone()],
        };
        write_journal(&head, "commit\nrollback\n");
        let lock = Lock::dirs([dir.path()], |_| {}).expect("lock");
        assert!(lock.recovered[0].contains("finished putting back"), "{:?}", lock.recovered);
        assert_eq!(fs::read_to_string(&replaced).expect("a"), "old a");
        assert_eq!((inode(&replaced), inode(&waiting)), (a_was, b_was));
        assert_eq!(fs::read_to_string(&waiting).expect("b"), "old b");
        assert!(!created.exists());
        assert_eq!(fs::read_to_string(&never).expect("d"), "someone's d");
        let left: Vec<_> = fs::read_dir(&real).expect("ls").collect();
        assert_eq!(left.len(), 3, "{left:?}");
    }

    #[test]
    fn recovery_says_so_when_it_removes_a_journal_cut_short() {
        // Cut short by a kill, or zeros after a crash before its fsync.
        for text in ["{\"batch\":", "{\"batch\":\"00000000\0\0\0", "\0\0\0\0", ""] {
            let dir = tempfile::tempdir().expect("dir");
            fs::write(dir.path().join(journal_name("00000000000000dd")), text).expect("write");
            let lock = Lock::dirs([dir.path()], |_| {}).expect("lock");
            assert!(lock.recovered[0].contains("changed nothing"), "{:?}", lock.recovered);
            assert_eq!(fs::read_dir(dir.path()).expect("ls").count(), 0);
        }
    }

    #[test]
    fn recovery_leaves_what_is_no_journal_and_its_staged_files() {
        let batch = "00000000000000dd";
        for text in ["not a journal", "{\"batch\":\"00000000000000dd\"}\ncommit\n"] {
            let dir = tempfile::tempdir().expect("dir");
            let journal = dir.path().join(journal_name(batch));
            fs::write(&journal, text).expect("write");
            fs::write(dir.path().join(staged_name(batch, 0)), "new").expect("write");
            let lock = Lock::dirs([dir.path()], |_| {}).expect("lock");
            assert_eq!(lock.recovered.len(), 1, "{:?}", lock.recovered);
            assert!(lock.recovered[0].starts_with("ignored"), "{:?}", lock.recovered);
            assert_eq!(fs::read_dir(dir.path()).expect("ls").count(), 2);
        }
        // A link to a file elsewhere, and a FIFO, which is never opened: no hang.
        let dir = tempfile::tempdir().expect("dir");
        let elsewhere = tempfile::NamedTempFile::new().expect("file");
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join(journal_name(batch)))
            .expect("symlink");
        let fifo = dir.path().join(journal_name("00000000000000de"));
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
        assert!(made.success());
        let lock = Lock::dirs([dir.path()], |_| {}).expect("lock");
        let said = lock.recovered.join("\n");
        assert!(said.contains("it is a symbolic link") && said.contains("a named pipe"), "{said}");
        assert_eq!(fs::read_dir(dir.path()).expect("ls").count(), 2);
    }

    /// A committed batch of two directories, `a` and `b`, each file staged: (root, head).
    fn two_directory_batch(batch: &str) -> (tempfile::TempDir, JournalHead) {
        let root = tempfile::tempdir().expect("dir");
        let real = fs::canonicalize(root.path()).expect("canon");
        let (a, b) = (real.join("a"), real.join("b"));
        let mut head = JournalHead {
            batch: batch.into(),
            home: a.join(journal_name(batch)),
            journals: vec![a.join(journal_name(batch)), b.join(journal_name(batch))],
            inodes: Vec::new(),
            files: Vec::new(),
            originals: Vec::new(),
            created: Vec::new(),
        };
        for (n, d) in [&a, &b].into_iter().enumerate() {
            fs::create_dir(d).expect("mkdir");
            head.inodes.push(inode(d));
            fs::write(d.join(staged_name(batch, n)), "new").expect("temp");
            head.files.push((d.join(staged_name(batch, n)), d.join("x.yaml")));
            head.created.push(d.join("x.yaml"));
        }
        (root, head)
    }

    #[test]
    fn recovery_finishes_a_batch_of_two_directories_from_either() {
        let batch = "00000000000000ee";
        for from in ["a", "b"] {
            let (root, head) = two_directory_batch(batch);
            write_journal(&head, "commit\n");
            let real = fs::canonicalize(root.path()).expect("canon");
            let lock = Lock::dirs([real.join(from).as_path()], |_| {}).expect("lock");
            assert!(lock.recovered[0].contains("2 file(s) written"), "{:?}", lock.recovered);
            for d in ["a", "b"] {
                assert_eq!(fs::read_to_string(real.join(d).join("x.yaml")).expect("x"), "new");
                assert_eq!(fs::read_dir(real.join(d)).expect("ls").count(), 1, "{d}");
            }
        }
    }

    #[test]
    fn recovery_acts_only_in_the_directories_that_hold_their_journal_of_the_batch() {
        // The journal in b is missing: a journal in a cannot make a run act in b.
        let (root, head) = two_directory_batch("00000000000000ff");
        write_journal(&head, "commit\n");
        let real = fs::canonicalize(root.path()).expect("canon");
        fs::remove_file(&head.journals[1]).expect("rm");
        let lock = Lock::dirs([real.join("a").as_path()], |_| {}).expect("lock");
        assert!(lock.recovered[0].contains("1 file(s) written"), "{:?}", lock.recovered);
        assert!(real.join("a/x.yaml").exists());
        assert!(!real.join("b/x.yaml").exists() && head.files[1].0.exists());
    }

    #[test]
    fn recovery_refuses_a_journal_that_names_what_its_batch_never_writes() {
        let dir = tempfile::tempdir().expect("dir");
        let real = fs::canonicalize(dir.path()).expect("canon");
        let outside = tempfile::tempdir().expect("outside");
        let secret = fs::canonicalize(outside.path()).expect("canon").join("id_ed25519");
        let batch = "0123456789abcdef";
        let journal = real.join(journal_name(batch));
        let temp = real.join(staged_name(batch, 0));
        let target = real.join("x.yaml");
        let good = JournalHead {
            batch: batch.into(),
            home: journal.clone(),
            journals: vec![journal.clone()],
            inodes: vec![inode(&real)],
            files: vec![(temp.clone(), target.clone())],
            originals: Vec::new(),
            created: vec![target.clone()],
        };
        type Edit<'a> = Box<dyn Fn(&mut JournalHead) + 'a>;
        let variants: Vec<(&str, Edit)> = vec![
            ("outside staged", Box::new(|h| h.files[0].0 = secret.clone())),
            ("outside target", Box::new(|h| h.files[0].1 = secret.clone())),
            ("outside created", Box::new(|h| h.created[0] = secret.clone())),
            ("renamed staged", Box::new(|h| h.files[0].0 = real.join("notes.txt"))),
            ("dot-dot", Box::new(|h| h.files[0].1 = real.join("..").join("x.yaml"))),
            ("other batch", Box::new(|h| h.batch = "1123456789abcdef".into())),
            ("other inode", Box::new(|h| h.inodes[0] += 1)),
            (
                "two directories",
                Box::new(|h| {
                    let other = secret.parent().expect("dir").join(journal_name(batch));
                    h.journals.push(other);
                    h.inodes.push(inode(secret.parent().expect("dir")));
                }),
            ),
        ];
        for (what, change) in variants {
            fs::write(&secret, "key").expect("secret");
            fs::write(&temp, "new").expect("temp");
            let mut head: JournalHead =
                serde_json::from_value(serde_json::to_value(&good).expect("json")).expect("head");
            change(&mut head);
            let line = serde_json::to_string(&head).expect("json");
            fs::write(&journal, format!("{line}\ncommit\nrollback\n")).expect("journal");
            let lock = Lock::dirs([dir.path()], |_| {}).expect("lock");
            assert_eq!(lock.recovered.len(), 1, "{what}: {:?}", lock.recovered);
            assert!(lock.recovered[0].starts_with("ignored"), "{what}: {:?}", lock.recovered);
            assert_eq!(fs::read_to_string(&secret).expect("secret"), "key", "{what}");
            assert!(journal.exists() && temp.exists() && !target.exists(), "{what}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_regular_file() {
        let dir = tempfile::tempdir().expect("dir");
        let link = dir.path().join("dangling.yaml");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &link).expect("symlink");
        assert!(matches!(read(&link), Err(WsError::Dangling { .. })));
        assert!(matches!(read(dir.path()), Err(WsError::NotRegular { .. })));
        assert!(matches!(read(&dir.path().join("missing")), Ok(None)));
    }
}

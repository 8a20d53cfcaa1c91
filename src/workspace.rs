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
        self.held.iter().any(|(d, _)| d == dir)
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
            let temp = dir_of(&real).join(format!("{TEMP_PREFIX}{batch}-{n}.tmp"));
            let orig = dir_of(&real).join(format!("{TEMP_PREFIX}{batch}-{n}.orig"));
            targets.push(Target { real, temp, orig, mode, owner, restricted });
        }
        let dirs: BTreeSet<PathBuf> = targets.iter().map(|t| dir_of(&t.real)).collect();
        let journal = Journal::new(&batch, &dirs, &targets);
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

/// The journal of a batch: one file in every directory the batch writes, each naming every
/// file of the batch; the batch is committed once its first directory's journal says so.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct JournalHead {
    batch: String,
    /// The journal whose commit mark decides the batch.
    home: PathBuf,
    /// Every journal of the batch.
    journals: Vec<PathBuf>,
    /// (staged file, target) pairs.
    files: Vec<(PathBuf, PathBuf)>,
    /// (second name of the original, target) pairs, for the targets that existed; the second
    /// name exists only when the link could be made. Empty in journals of substractl 0.1.
    #[serde(default)]
    originals: Vec<(PathBuf, PathBuf)>,
    /// Targets that the batch creates.
    #[serde(default)]
    created: Vec<PathBuf>,
}

struct Journal {
    head: JournalHead,
    home: PathBuf,
}

impl Journal {
    fn new(batch: &str, dirs: &BTreeSet<PathBuf>, targets: &[Target]) -> Journal {
        let journals: Vec<PathBuf> =
            dirs.iter().map(|d| d.join(format!("{JOURNAL_PREFIX}{batch}"))).collect();
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
                files,
                originals,
                created,
            },
            home,
        }
    }

    fn write(&self) -> Result<(), WsError> {
        let mut text = serde_json::to_string(&self.head).unwrap_or_default();
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
        for path in self.head.journals.iter().rev() {
            let _ = fs::remove_file(path);
        }
        for path in &self.head.journals {
            sync_dir(&dir_of(path));
        }
    }
}

fn has_mark(home: &Path, mark: &str) -> bool {
    fs::read_to_string(home).is_ok_and(|text| text.lines().any(|l| l == mark))
}

/// Finishes or removes the batches a killed run left in `dir`, and removes stray staged
/// files. Returns what it did, in words.
fn recover(dir: &Path, lock: &Lock) -> Result<Vec<String>, WsError> {
    let mut notes = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else { return Ok(notes) };
    let names: Vec<String> =
        entries.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect();
    let mut known_temps = BTreeSet::new();
    for name in names.iter().filter(|n| n.starts_with(JOURNAL_PREFIX)) {
        let path = dir.join(name);
        let Some(head) = fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str::<JournalHead>(t.lines().next()?).ok())
        else {
            // A journal cut short by a kill while it was written: no file was staged yet.
            if fs::remove_file(&path).is_ok() {
                notes.push(format!(
                    "removed the journal of an interrupted run in {}, cut short before it staged \
                     any file; it had changed nothing",
                    dir.display()
                ));
            }
            continue;
        };
        // The batch spans directories this run has not locked: leave it to a run that has.
        let other_dirs: Vec<PathBuf> =
            head.journals.iter().map(|j| dir_of(j)).filter(|d| !lock.holds(d)).collect();
        let mut extra = Vec::new();
        let mut blocked = false;
        for d in other_dirs {
            match File::open(&d).map(|f| (f.try_lock().is_ok(), f)) {
                Ok((true, f)) => extra.push(f),
                Ok((false, _)) => blocked = true,
                Err(_) => {}
            }
        }
        if blocked {
            continue;
        }
        known_temps.extend(head.files.iter().map(|(t, _)| t.clone()));
        known_temps.extend(head.originals.iter().map(|(o, _)| o.clone()));
        let committed = has_mark(&head.home, COMMIT_MARK);
        let rolling_back = committed && has_mark(&head.home, ROLLBACK_MARK);
        let mut moved = 0;
        let mut removed = 0;
        for (temp, target) in &head.files {
            if fs::symlink_metadata(temp).is_err() {
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
        if rolling_back {
            // The run that failed was putting the originals back: finish that.
            for target in &head.created {
                let _ = fs::remove_file(target);
            }
            for (orig, target) in &head.originals {
                if fs::symlink_metadata(orig).is_ok() {
                    fs::rename(orig, target)
                        .map_err(|source| WsError::Write { path: target.clone(), cause: source })?;
                    moved += 1;
                }
            }
        }
        // A file never replaced shares its inode with its second name: only the name goes.
        for (orig, _) in &head.originals {
            let _ = fs::remove_file(orig);
        }
        let journal = Journal { home: head.home.clone(), head };
        journal.remove();
        drop(extra);
        notes.push(if rolling_back {
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
        });
    }
    // Staged files with no journal left (or from an older substractl): never complete batches.
    let mut strays = 0;
    for name in &names {
        let path = dir.join(name);
        let ours = name.starts_with(TEMP_PREFIX)
            && !name.starts_with(JOURNAL_PREFIX)
            && (name.ends_with(".tmp") || name.ends_with(".orig"));
        let older = is_older_temp(name, &names);
        if (ours || older) && !known_temps.contains(&path) && fs::remove_file(&path).is_ok() {
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

/// Checks that files can be created in `dir`, without leaving anything behind.
pub fn check_writable(dir: &Path) -> Result<(), WsError> {
    let dir_for_temp = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(".tmp")
        .tempfile_in(dir_for_temp)
        .map(drop)
        .map_err(|e| WsError::WriteIn {
            path: dir.to_path_buf(),
            // tempfile's error names its random file: keep only the system's reason.
            cause: e.raw_os_error().map_or(io::Error::from(e.kind()), io::Error::from_raw_os_error),
        })
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

    #[test]
    fn recovery_rolls_forward_a_committed_batch_and_drops_an_uncommitted_one() {
        let dir = tempfile::tempdir().expect("dir");
        let real = fs::canonicalize(dir.path()).expect("canon");
        let target = real.join("x.yaml");
        fs::write(&target, "old").expect("write");
        for (batch, committed, expect) in [("aa", true, "new"), ("bb", false, "old")] {
            fs::write(&target, "old").expect("write");
            let temp = real.join(format!("{TEMP_PREFIX}{batch}-0.tmp"));
            fs::write(&temp, "new").expect("temp");
            let journal = real.join(format!("{JOURNAL_PREFIX}{batch}"));
            let head = JournalHead {
                batch: batch.into(),
                home: journal.clone(),
                journals: vec![journal.clone()],
                files: vec![(temp.clone(), target.clone())],
                originals: Vec::new(),
                created: Vec::new(),
            };
            let mut text = serde_json::to_string(&head).expect("json") + "\n";
            if committed {
                text.push_str("commit\n");
            }
            fs::write(&journal, text).expect("journal");
            let lock = Lock::dirs([dir.path()], |_| {}).expect("lock");
            assert_eq!(lock.recovered.len(), 1, "{:?}", lock.recovered);
            assert_eq!(fs::read_to_string(&target).expect("read"), expect);
            assert!(!temp.exists() && !journal.exists());
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
        let inode = |p: &Path| fs::metadata(p).expect("meta").ino();
        let (a_was, b_was) = (inode(&replaced), inode(&waiting));
        // a was replaced, b not yet (its staged file is left), c was created; then a kill.
        let orig = |n: usize| real.join(format!("{TEMP_PREFIX}cc-{n}.orig"));
        let temp = |n: usize| real.join(format!("{TEMP_PREFIX}cc-{n}.tmp"));
        fs::hard_link(&replaced, orig(0)).expect("link");
        fs::hard_link(&waiting, orig(1)).expect("link");
        fs::write(temp(0), "new a").expect("temp");
        fs::rename(temp(0), &replaced).expect("rename");
        fs::write(temp(1), "new b").expect("temp");
        fs::write(&created, "new c").expect("created");
        let journal = real.join(format!("{JOURNAL_PREFIX}cc"));
        let head = JournalHead {
            batch: "cc".into(),
            home: journal.clone(),
            journals: vec![journal.clone()],
            files: vec![
                (temp(0), replaced.clone()),
                (temp(1), waiting.clone()),
                (temp(2), created.clone()),
            ],
            originals: vec![(orig(0), replaced.clone()), (orig(1), waiting.clone())],
            created: vec![created.clone()],
        };
        let text = serde_json::to_string(&head).expect("json") + "\ncommit\nrollback\n";
        fs::write(&journal, text).expect("journal");
        let lock = Lock::dirs([dir.path()], |_| {}).expect("lock");
        assert!(lock.recovered[0].contains("finished putting back"), "{:?}", lock.recovered);
        assert_eq!(fs::read_to_string(&replaced).expect("a"), "old a");
        assert_eq!((inode(&replaced), inode(&waiting)), (a_was, b_was));
        assert_eq!(fs::read_to_string(&waiting).expect("b"), "old b");
        assert!(!created.exists());
        let left: Vec<_> = fs::read_dir(&real).expect("ls").collect();
        assert_eq!(left.len(), 2, "{left:?}");
    }

    #[test]
    fn recovery_says_so_when_it_removes_a_journal_cut_short() {
        let dir = tempfile::tempdir().expect("dir");
        fs::write(dir.path().join(format!("{JOURNAL_PREFIX}dd")), "{\"batch\":").expect("write");
        let lock = Lock::dirs([dir.path()], |_| {}).expect("lock");
        assert!(lock.recovered[0].contains("changed nothing"), "{:?}", lock.recovered);
        assert_eq!(fs::read_dir(dir.path()).expect("ls").count(), 0);
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

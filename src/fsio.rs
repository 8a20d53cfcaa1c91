//! Files on disk: atomic multi-file writes, modes, and the directory lock.
//!
//! Every command that changes files stages all of them first (a temporary file beside each
//! target, written and fsynced), and only then renames them into place, so a failure while
//! preparing leaves every file as it was. A symlink is followed and its target replaced.

use std::fs::{self, File};
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// Mode of files that substractl creates and that hold secrets or private keys.
pub const SECRET_MODE: u32 = 0o600;
/// Threads that stage files side by side in [`commit`].
const STAGING_THREADS: usize = 8;

/// Mode of new files that hold nothing secret (certificates).
pub const PUBLIC_MODE: u32 = 0o644;

/// Errors of file operations, each naming the file.
#[derive(Debug, thiserror::Error)]
pub enum FsError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot write in {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error("cannot lock {path}: {source}")]
    Lock { path: PathBuf, source: io::Error },
}

/// Reads a file, or None when it does not exist.
pub fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, FsError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(FsError::Read { path: path.to_path_buf(), source }),
    }
}

/// A file that will be written: where, what, and the mode of a new file.
#[derive(Debug, Clone)]
pub struct PlannedWrite {
    pub path: PathBuf,
    pub contents: Vec<u8>,
    /// Mode given to the file if it does not exist yet; an existing file keeps its own.
    pub new_mode: u32,
}

/// What happened to one file of a [`commit`].
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub created: bool,
    /// The final mode, and whether users other than the owner may read it.
    pub mode: u32,
}

impl Written {
    pub fn readable_by_others(&self) -> bool {
        self.mode & 0o044 != 0
    }
}

struct Staged {
    temp: NamedTempFile,
    target: PathBuf,
    shown: PathBuf,
    created: bool,
    mode: u32,
}

/// Writes all files or none: stages every file beside its target, then renames them in turn.
///
/// Files are staged (written and fsynced) in parallel, so that the filesystem can commit
/// their syncs together; each directory is synced once, after every rename.
pub fn commit(writes: &[PlannedWrite]) -> Result<Vec<Written>, FsError> {
    // Staging is mostly waiting for fsync: a few threads overlap those waits.
    let staged = crate::par::map(writes, STAGING_THREADS, stage, |w| {
        Err(FsError::Write {
            path: w.path.clone(),
            source: io::Error::other("staging the file failed"),
        })
    });
    let staged = staged.into_iter().collect::<Result<Vec<_>, _>>()?;
    let mut done = Vec::with_capacity(staged.len());
    let mut dirs: Vec<PathBuf> = Vec::new();
    for s in staged {
        let dir = match s.target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        s.temp
            .persist(&s.target)
            .map_err(|e| FsError::Write { path: s.shown.clone(), source: e.error })?;
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
        done.push(Written { path: s.shown, created: s.created, mode: s.mode });
    }
    // Make the renames themselves durable; a failure here loses nothing already written.
    for dir in dirs {
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
    }
    Ok(done)
}

/// Checks that files can be created in `dir`, without leaving anything behind.
pub fn check_writable(dir: &Path) -> Result<(), FsError> {
    let dir_for_temp = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    tempfile::Builder::new()
        .prefix(".substractl-")
        .tempfile_in(dir_for_temp)
        .map(drop)
        .map_err(|source| FsError::Write { path: dir.to_path_buf(), source })
}

fn stage(w: &PlannedWrite) -> Result<Staged, FsError> {
    let err = |source| FsError::Write { path: w.path.clone(), source };
    // Follow a symlink so that its target is replaced, not the link.
    let (target, existing) = match fs::canonicalize(&w.path) {
        Ok(real) => {
            let meta = fs::metadata(&real).map_err(err)?;
            (real, Some(meta.permissions().mode() & 0o7777))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => (w.path.clone(), None),
        Err(e) => return Err(err(e)),
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(err)?;
    let mode = existing.unwrap_or(w.new_mode);
    temp.as_file().set_permissions(fs::Permissions::from_mode(mode)).map_err(err)?;
    temp.write_all(&w.contents).map_err(err)?;
    temp.as_file().sync_all().map_err(err)?;
    Ok(Staged { temp, target, shown: w.path.clone(), created: existing.is_none(), mode })
}

/// An exclusive lock on a directory, held until dropped, so that two runs on one directory
/// do not lose each other's changes. Locks the directory itself: no lock file is left behind.
#[derive(Debug)]
pub struct DirLock {
    _dir: File,
}

/// Locks `dir`, calling `waiting` once if another process holds the lock.
pub fn lock_dir(dir: &Path, waiting: impl FnOnce()) -> Result<DirLock, FsError> {
    let shown = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let err = |source| FsError::Lock { path: shown.to_path_buf(), source };
    let file = File::open(shown).map_err(err)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            waiting();
            file.lock().map_err(err)?;
        }
        Err(fs::TryLockError::Error(e)) => return Err(err(e)),
    }
    Ok(DirLock { _dir: file })
}

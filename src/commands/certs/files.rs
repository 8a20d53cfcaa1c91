//! The files `certs request`, `sign` and `install` write: planned in memory, then written in
//! one change set under the lock, and reported as `certs gen` reports its own.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::gen::{cert_info, mode_str};
use crate::report::certs::GenFile;
use crate::workspace::{self, Change, ChangeSet, Lock, SECRET_MODE};

/// One file to write.
pub(super) struct Planned {
    pub path: PathBuf,
    pub contents: Vec<u8>,
    /// Mode of a new file; a private key's file (0600) never stays readable by others.
    pub new_mode: u32,
    pub kind: &'static str,
    pub org: Option<String>,
    /// The certificate a file holds, for the report.
    pub cert_der: Option<Vec<u8>>,
    /// The key type a file holds, for the report.
    pub key_type: Option<String>,
}

/// Writes every file whose bytes change, all or none, under `lock`; returns each file as
/// reported (an unchanged one included).
pub(super) fn commit(
    lock: &Lock,
    files: &[Planned],
    now: OffsetDateTime,
    warnings: &mut Vec<String>,
) -> anyhow::Result<Vec<GenFile>> {
    let mut set = ChangeSet::new();
    let mut changed = Vec::new();
    for f in files {
        let before = workspace::read(&f.path)?;
        changed.push(before.as_deref() != Some(f.contents.as_slice()));
        set.add(Change {
            path: f.path.clone(),
            before,
            after: f.contents.clone(),
            new_mode: f.new_mode,
            private: f.new_mode == SECRET_MODE,
        });
    }
    let mut written = set.commit(lock)?.into_iter();
    let mut reported = Vec::new();
    for (f, changed) in files.iter().zip(changed) {
        let (status, mode) = match changed.then(|| written.next()).flatten() {
            Some(w) => {
                if w.restricted {
                    warnings.push(format!(
                        "{} was readable by others; it is now mode {:04o}",
                        w.path.display(),
                        w.mode
                    ));
                }
                let status = if w.created {
                    "created"
                } else if f.kind == "values" {
                    "updated"
                } else {
                    "replaced"
                };
                (status, w.mode)
            }
            None => ("unchanged", mode_of(&f.path).unwrap_or(f.new_mode)),
        };
        reported.push(GenFile {
            path: f.path.clone(),
            kind: f.kind,
            status,
            mode: mode_str(mode),
            org: f.org.clone(),
            certificate: f.cert_der.as_deref().map(|d| cert_info(d, now)).transpose()?,
            key_type: f.key_type.clone(),
        });
    }
    Ok(reported)
}

/// A file that is read but not written (a kept key), as reported.
pub(super) fn kept(
    path: &Path,
    kind: &'static str,
    org: Option<&str>,
    key_type: String,
) -> GenFile {
    GenFile {
        path: path.to_path_buf(),
        kind,
        status: "kept",
        mode: mode_str(mode_of(path).unwrap_or(SECRET_MODE)),
        org: org.map(str::to_string),
        certificate: None,
        key_type: Some(key_type),
    }
}

/// The permission bits of a file.
pub(super) fn mode_of(path: &Path) -> Option<u32> {
    std::fs::metadata(path).ok().map(|m| m.permissions().mode() & 0o7777)
}

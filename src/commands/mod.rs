//! One module per command: arguments in, domain calls, a report out.

pub mod certs;
pub mod check;
pub mod check_all;
pub mod check_links;
pub mod check_outgoing;
pub mod check_values;
pub mod exchange;
pub mod failure;
pub mod grpc;
pub mod init;
pub mod link;
pub mod meta;
pub mod secrets;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::error::Explained;
use crate::output::Printer;
use crate::report::link::{FileReport, FileStatus};
use crate::workspace::{Change, ChangeSet, Lock, Workspace, Written, WsError, LOCK_WAIT};

static LOCK_WAIT_SET: OnceLock<Duration> = OnceLock::new();

/// Sets how long this run waits for another run's lock (`--lock-wait`), once, before any
/// command runs.
pub fn set_lock_wait(wait: Duration) {
    let _ = LOCK_WAIT_SET.set(wait);
}

/// The moment a lock taken now stops waiting for another run.
pub(crate) fn lock_deadline() -> Instant {
    Instant::now() + LOCK_WAIT_SET.get().copied().unwrap_or(LOCK_WAIT)
}

/// Locks directories until [`lock_deadline`], saying so while another run holds one.
pub(crate) fn lock_dirs<'a>(
    dirs: impl IntoIterator<Item = &'a Path>,
    printer: Option<&Printer>,
) -> Result<Lock, WsError> {
    Lock::dirs_until(dirs, lock_deadline(), |dir| {
        if let Some(printer) = printer {
            printer.note(&waiting_note(dir));
        }
    })
}

/// What is said while another run holds `dir`.
pub(crate) fn waiting_note(dir: &Path) -> String {
    format!("waiting for another substractl run to finish in {}", dir.display())
}

/// Locks the directories of the files a run touches, saying so while another run holds one,
/// and what recovery finished; a directory that does not exist yet (a dry run's new --dir) has
/// nothing to lock.
pub(crate) fn lock(
    ws: &Workspace,
    touched: &[PathBuf],
    printer: &Printer,
) -> anyhow::Result<Option<Lock>> {
    if !ws.dir.is_dir() {
        return Ok(None);
    }
    let lock = Lock::files_until(touched.iter().map(PathBuf::as_path), lock_deadline(), |dir| {
        printer.note(&waiting_note(dir))
    })?;
    for note in &lock.recovered {
        printer.warn(note);
    }
    Ok(Some(lock))
}

/// Locks the directory, then lists its organizations: recovery of an interrupted run happens
/// under the lock, so the list is the one the files hold once it is done (a listing taken
/// before would miss the organizations the recovered batch added). `also` are the other
/// files the run reads (the orchestrator values).
pub(crate) fn lock_discovered(
    ws: &Workspace,
    also: &[PathBuf],
    printer: &Printer,
) -> anyhow::Result<(Option<Lock>, Vec<String>)> {
    let mut orgs = if ws.dir.is_dir() { ws.discover()? } else { Vec::new() };
    loop {
        // A file name inside the directory locks the directory itself, even while it holds
        // no values file yet.
        let mut touched: Vec<PathBuf> = vec![ws.dir.join(".substractl-lock")];
        touched.extend(orgs.iter().map(|o| ws.path_of(o)));
        touched.extend(also.iter().cloned());
        let held = lock(ws, &touched, printer)?;
        let now = if ws.dir.is_dir() { ws.discover()? } else { Vec::new() };
        // The files of an organization found only now may live in a directory not locked yet:
        // lock again with them (the list only grows by what recovery or another run added).
        let covered = now.iter().all(|o| held.as_ref().is_none_or(|l| l.covers(&ws.path_of(o))));
        if covered {
            return Ok((held, now));
        }
        drop(held);
        orgs = now;
    }
}

/// [`lock_discovered`] for the commands that check a whole deployment: a directory without a
/// values file, or with names that clash, is refused.
pub(crate) fn lock_deployment(
    ws: &Workspace,
    also: &[PathBuf],
    printer: &Printer,
) -> anyhow::Result<(Option<Lock>, Vec<String>)> {
    let (lock, orgs) = lock_discovered(ws, also, printer)?;
    if orgs.is_empty() {
        return Err(crate::error::Explained::input(format!(
            "no values file matching {} in {}",
            ws.pattern,
            ws.dir.display()
        ))
        .hint(crate::error::hints::DEPLOYMENT_DIR)
        .into());
    }
    crate::deployment::pairs::check_names(&orgs)?;
    Ok((lock, orgs))
}

/// The files of a change set as a run reports them. In a dry run nothing is written and each
/// file comes with the diff `shown` makes of it (masked: the change, its path, its plain diff);
/// else the set is committed under `lock`, and `written` sees each file written.
pub(crate) fn commit_or_show(
    set: &ChangeSet,
    lock: &Option<Lock>,
    dry_run: bool,
    mut shown: impl FnMut(&Change, &Path, String) -> String,
    mut written: impl FnMut(&Written),
) -> anyhow::Result<Vec<FileReport>> {
    let mut reports = Vec::new();
    if dry_run {
        for (change, (path, created, diff)) in set.changes().iter().zip(set.diffs()) {
            let status = if created { FileStatus::WouldCreate } else { FileStatus::WouldUpdate };
            let diff = shown(change, &path, diff);
            reports.push(FileReport { path, status, mode: None, diff: Some(diff) });
        }
    } else {
        let lock = lock.as_ref().ok_or_else(|| Explained::bug("writing without a lock"))?;
        for w in set.clone().commit(lock)? {
            written(&w);
            let status = if w.created { FileStatus::Created } else { FileStatus::Updated };
            reports.push(FileReport { path: w.path, status, mode: Some(w.mode), diff: None });
        }
    }
    Ok(reports)
}

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

use std::path::PathBuf;

use crate::output::Printer;
use crate::workspace::{Lock, Workspace};

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
    let lock = Lock::files(touched.iter().map(PathBuf::as_path), |dir| {
        printer.note(&format!("waiting for another substractl run to finish in {}", dir.display()))
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

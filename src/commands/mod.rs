//! One module per command: arguments in, domain calls, a report out.

pub mod certs;
pub mod check;
pub mod check_all;
pub mod check_links;
pub mod check_outgoing;
pub mod check_values;
pub mod exchange;
pub mod grpc;
pub mod init;
pub mod link;
pub mod meta;

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

//! `substractl exchange roster`: the orchestrator's owner issues the roster again (after a new
//! CA, a new address, or channels edited in the orchestrator's values), with the cards it
//! admitted and one more serial.

use std::path::Path;

use super::admit::{issue, previous_roster};
use super::{add, commit, existing_dir, lock, read_identity};
use crate::cli::ExchangeRosterArgs;
use crate::exchange::{self as ex};
use crate::output::Printer;
use crate::report::exchange::ExchangeReport;
use crate::values::Doc;
use crate::workspace::{self, ChangeSet, PUBLIC_MODE};

pub fn roster(args: ExchangeRosterArgs, printer: &Printer) -> anyhow::Result<ExchangeReport> {
    let dir = args.dir.clone();
    existing_dir(&dir)?;
    let values_path = workspace::in_dir(&dir, &args.orchestrator_values);
    let roster_path = workspace::in_dir(&dir, Path::new(ex::ROSTER_FILE));
    let lock = lock(&[dir.as_path()], printer)?;
    let owner = read_identity(&dir, printer)?;
    let doc = Doc::parse(&values_path, Some(workspace::read_existing(&values_path)?))?;
    let before = workspace::read(&roster_path)?;
    let previous = previous_roster(&roster_path, before.as_deref(), &owner)?;
    let members = previous.as_ref().map(|r| r.members.clone()).unwrap_or_default();
    let roster = issue(
        &dir,
        &doc,
        args.ca.as_deref(),
        args.orchestrator.as_deref(),
        previous.as_ref(),
        members,
        &owner,
    )?;
    let text = super::signed_roster(&roster, &owner, &roster_path)?;
    let mut set = ChangeSet::new();
    add(&mut set, &roster_path, before, text, PUBLIC_MODE, false);
    let files = commit(set, &lock, std::slice::from_ref(&roster_path))?;
    let members: Vec<&str> = roster.members.iter().map(|m| m.msp_id.as_str()).collect();
    let next = if members.is_empty() {
        vec!["admit the organizations' cards: substractl exchange admit card-MSPID.yaml --fingerprint SHA256:...".to_string()]
    } else {
        vec![format!("send {} to every member: {}", roster_path.display(), members.join(", "))]
    };
    Ok(ExchangeReport {
        roster_serial: Some(roster.serial),
        ..ExchangeReport::written(files, next)
    })
}

//! `substractl exchange take ROSTER`: an organization takes the roster of the orchestrator's
//! owner. The first time, the owner's key is trusted by the fingerprint the owner read out;
//! later rosters must be signed by that key and be no older than the one taken.

use std::path::Path;

use super::{
    add, add_state, check_own_card, commit, existing_dir, lock_party, read_identity, read_org,
    read_state, values_path,
};
use crate::cli::ExchangeTakeArgs;
use crate::error::Explained;
use crate::exchange::roster::{Roster, Trust};
use crate::exchange::{self as ex, ExchangeError};
use crate::output::Printer;
use crate::report::exchange::ExchangeReport;
use crate::workspace::{self, ChangeSet, PUBLIC_MODE};

pub fn take(args: ExchangeTakeArgs, printer: &Printer) -> anyhow::Result<ExchangeReport> {
    let dir = args.party.dir.clone();
    existing_dir(&dir)?;
    let lock = lock_party(&args.party, &[], printer)?;
    let values = values_path(&args.party)?;
    let org = read_org(&values)?;
    let identity = read_identity(&dir, printer)?;
    let (state_path, state_before, mut state) = read_state(&dir)?;
    let mut warnings = Vec::new();
    let given = args.owner_fingerprint.as_deref().map(str::trim);
    let trust =
        match (&state.owner, given) {
            (Some(key), None) => Trust::Key(key.clone()),
            (Some(key), Some(fp)) if key.fingerprint() == fp => Trust::Key(key.clone()),
            (Some(key), Some(fp)) => {
                warnings.push(format!(
                    "the orchestrator's owner you trusted had the key {}; from now on, {fp}",
                    key.fingerprint()
                ));
                Trust::Fingerprint(fp.to_string())
            }
            (None, Some(fp)) => Trust::Fingerprint(fp.to_string()),
            (None, None) => return Err(Explained::input(format!(
                "{} trusts no orchestrator owner yet",
                dir.display()
            ))
            .hint("pass --owner-fingerprint SHA256:... as the orchestrator's owner read it to you")
            .into()),
        };
    let bytes = workspace::read_existing(&args.roster)?;
    let roster = Roster::read(&args.roster, &bytes, &trust)?;
    if roster.serial < state.roster_serial && matches!(trust, Trust::Key(_)) {
        return Err(ExchangeError::new(
            &args.roster,
            format!(
                "the roster has serial {}, older than the one taken already ({}): an old roster sent again",
                roster.serial, state.roster_serial
            ),
        )
        .hint("take the newest roster from the orchestrator's owner")
        .into());
    }
    check_own_card(&roster, &args.roster, &org.msp_id, &identity)?;
    let here = Some(&org.view.default_domain).filter(|_| !org.view.default_domain_from_chart);
    if let (Some(card), Some(here)) = (roster.member(&org.msp_id), here) {
        if card.address != *here {
            warnings.push(format!(
                "the roster gives {} the address {}, and {} says server.defaultDomain: {}: send the owner a new card",
                org.msp_id,
                crate::probe::redact::without_credentials(&card.address),
                values.display(),
                crate::probe::redact::without_credentials(here)
            ));
        }
    }
    let roster_path = workspace::in_dir(&dir, Path::new(ex::ROSTER_FILE));
    let kept = workspace::read(&roster_path)?;
    // A partner whose key changed since the roster taken before: the owner admitted a new
    // card for it, and what is sealed from now on goes to that key.
    let previous = match (&state.owner, &kept) {
        (Some(owner), Some(b)) => Roster::read(&roster_path, b, &Trust::Key(owner.clone())).ok(),
        _ => None,
    };
    for old in previous.iter().flat_map(|r| r.members.iter()) {
        if let Some(new) = roster.member(&old.msp_id) {
            if new.key.fingerprint() != old.key.fingerprint() && old.msp_id != org.msp_id {
                warnings.push(format!(
                    "{}'s key changed since the roster taken before: {} is now {}; confirm the new fingerprint with {} by another channel than the roster before you seal to it",
                    old.msp_id,
                    old.key.fingerprint(),
                    new.key.fingerprint(),
                    old.msp_id
                ));
            }
        }
    }
    state.owner = Some(roster.owner.clone());
    state.roster_serial = roster.serial;
    let mut set = ChangeSet::new();
    let text = String::from_utf8(bytes).unwrap_or_default();
    add(&mut set, &roster_path, kept, text, PUBLIC_MODE, false);
    add_state(&mut set, &state_path, state_before, &state);
    let files = commit(set, &lock, &[roster_path.clone(), state_path.clone()])?;
    let partners: Vec<&str> = roster
        .partners(&org.msp_id)
        .iter()
        .map(|c| c.msp_id.as_str())
        .filter(|p| *p != org.msp_id)
        .collect();
    let mut next = vec![format!(
        "rosters are checked against the orchestrator's owner's key {}",
        roster.owner.fingerprint()
    )];
    if partners.is_empty() {
        next.push("the roster lists no partner in your channels yet".to_string());
    } else {
        next.push(format!(
            "pair with {}: substractl exchange seal{}",
            partners.join(", "),
            dir_flag(&dir)
        ));
    }
    Ok(ExchangeReport {
        msp_id: Some(org.msp_id),
        roster_serial: Some(roster.serial),
        warnings,
        ..ExchangeReport::written(files, next)
    })
}

/// ` --dir DIR` for a next step, empty for the current directory.
pub(super) fn dir_flag(dir: &Path) -> String {
    if dir == Path::new(".") {
        String::new()
    } else {
        format!(" --dir {}", crate::shell::quote_path(dir))
    }
}

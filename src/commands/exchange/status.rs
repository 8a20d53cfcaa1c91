//! `substractl exchange status`: per partner of the roster, whether this side's entries exist
//! (I let it in, I can log in to it) and which sealed files are still to make or to apply.

use std::path::Path;

use super::{existing_dir, lock_party, read_org, read_roster, read_state, values_path};
use crate::cli::ExchangeStatusArgs;
use crate::exchange as ex;
use crate::exchange::roster::Roster;
use crate::exchange::state::State;
use crate::mesh;
use crate::output::Printer;
use crate::report::exchange::{PartnerStatus, StatusReport};
use crate::values::backend::Side;

/// Reads under the lock, as every other reader: an interrupted run is recovered first, so the
/// report is of the files as that run left them.
pub fn status(args: ExchangeStatusArgs, printer: &Printer) -> anyhow::Result<StatusReport> {
    let dir = args.party.dir.clone();
    existing_dir(&dir)?;
    let _lock = lock_party(&args.party, &[], printer)?;
    let values_file = values_path(&args.party)?;
    let (_, _, state) = read_state(&dir)?;
    let roster = read_roster(&dir, &state)?;
    report(&values_file, &state, &roster)
}

/// The exchange's view of an organization's directory for `check links`: None when the
/// directory took no roster with `exchange take`.
pub(crate) fn partners_status(
    dir: &Path,
    values_file: &Path,
) -> anyhow::Result<Option<StatusReport>> {
    let (_, _, state) = read_state(dir)?;
    if state.owner.is_none() {
        return Ok(None);
    }
    let roster = read_roster(dir, &state)?;
    report(values_file, &state, &roster).map(Some)
}

fn report(values_file: &Path, state: &State, roster: &Roster) -> anyhow::Result<StatusReport> {
    let org = read_org(values_file)?;
    let me = org.msp_id.clone();
    // By link's rule, as seal and open judge it: one entry for the partner, without a
    // `channel`, with a secret seal would keep (not too short, not a placeholder). Two entries
    // for one partner leave the backend to pick one, and seal rewrites them.
    let has = |side: Side, name: &str| {
        let credentials = org.credentials(side);
        let mut entries = credentials.iter().filter(|e| e.name == name);
        match (entries.next(), entries.next()) {
            (Some(e), None) => {
                !e.has_channel
                    && e.secret.as_deref().is_some_and(|s| mesh::unkept_secret(s).is_none())
            }
            _ => false,
        }
    };
    let mut partners = Vec::new();
    for card in roster.partners(&me) {
        let p = &card.msp_id;
        let incoming = has(Side::Incoming, p);
        let outgoing = has(Side::Outgoing, p);
        let sealed = state.sealed.get(p).copied();
        let applied = state.applied.get(p).copied();
        let mut todo = Vec::new();
        if *p == me {
            if !incoming || !outgoing {
                todo.push("run substractl exchange seal".to_string());
            }
        } else {
            if !incoming || sealed.is_none() {
                todo.push(format!(
                    "run substractl exchange seal, then send {} to {p}",
                    ex::sealed_file(&me, p)
                ));
            }
            if !outgoing || applied.is_none() {
                todo.push(format!("apply {} when {p} sends it", ex::sealed_file(p, &me)));
            }
        }
        partners.push(PartnerStatus {
            msp_id: p.clone(),
            incoming,
            outgoing,
            sealed,
            applied,
            todo,
        });
    }
    let ok = partners.iter().all(|p| p.incoming && p.outgoing);
    Ok(StatusReport { msp_id: me, roster_serial: roster.serial, partners, ok })
}

//! `substractl exchange open FILE...`: an organization applies the sealed secrets its partners
//! sent. Every file is checked first (addressed to it, a pair the roster lists, signed by the
//! server's card, opened by its identity, newer than the last applied from that server); then
//! the `outgoingOrganizations` entries and the state are written in one change set.

use std::collections::HashMap;
use std::path::Path;

use super::{
    add, add_state, existing_dir, lock_party, read_identity, read_org, read_roster, read_state,
    values_path,
};
use crate::cli::ExchangeOpenArgs;
use crate::exchange::{self as ex, sealed, ExchangeError};
use crate::output::Printer;
use crate::report::exchange::{ExchangeReport, PairLine};
use crate::values::backend::{Side, Want};
use crate::workspace::{self, ChangeSet, SECRET_MODE};

pub fn open(args: ExchangeOpenArgs, printer: &Printer) -> anyhow::Result<ExchangeReport> {
    let dir = args.party.dir.clone();
    existing_dir(&dir)?;
    let lock = lock_party(&args.party, &[], printer)?;
    let values_file = values_path(&args.party)?;
    let mut org = read_org(&values_file)?;
    let me = org.msp_id.clone();
    let identity = read_identity(&dir, printer)?;
    let (state_path, state_before, mut state) = read_state(&dir)?;
    let roster = read_roster(&dir, &state)?;
    let roster_path = workspace::in_dir(&dir, Path::new(ex::ROSTER_FILE));
    super::check_own_card(&roster, &roster_path, &me, &identity)?;

    let mut outgoing: HashMap<String, Want> = HashMap::new();
    let mut pairs = Vec::new();
    for file in &args.files {
        let bytes = workspace::read_existing(file)?;
        let opened = sealed::open(file, &bytes, &me, &identity, &roster)?;
        if outgoing.contains_key(&opened.server) {
            return Err(ExchangeError::new(
                file,
                format!(
                    "another file given holds a sealed secret from {} too: give only its newest",
                    opened.server
                ),
            )
            .into());
        }
        let last = state.applied.get(&opened.server).copied().unwrap_or(0);
        let current = org
            .credentials(Side::Outgoing)
            .into_iter()
            .find(|e| e.name == opened.server)
            .and_then(|e| e.secret);
        let same = current.as_deref() == Some(opened.secret.expose());
        let action = if opened.sequence > last {
            "applied"
        } else if opened.sequence == last && same {
            "unchanged"
        } else if opened.sequence == last {
            return Err(ExchangeError::new(
                file,
                format!(
                    "sequence {} from {} was applied already, with another secret: this file is not the one applied",
                    opened.sequence, opened.server
                ),
            )
            .hint("ask the sender for its newest sealed file (substractl exchange seal makes it)")
            .into());
        } else {
            return Err(ExchangeError::new(
                file,
                format!(
                    "sequence {} is older than the last applied from {} ({last}): an old sealed file sent again",
                    opened.sequence, opened.server
                ),
            )
            .hint("ask the sender for its newest sealed file (substractl exchange seal makes it)")
            .into());
        };
        outgoing.insert(opened.server.clone(), Want::Secret(opened.secret.expose().to_string()));
        state.applied.insert(opened.server.clone(), opened.sequence.max(last));
        pairs.push(PairLine {
            server: opened.server.clone(),
            client: me.clone(),
            action: action.to_string(),
            sequence: Some(opened.sequence),
            sealed_file: Some(file.clone()),
        });
    }
    let order: Vec<String> = roster.partners(&me).iter().map(|c| c.msp_id.clone()).collect();
    org.apply(&HashMap::new(), &outgoing, &order)?;
    org.keep_in_manifest(&args.secrets)?;
    let mut set = ChangeSet::new();
    let manifest = org.stage_manifest(&mut set)?;
    add(
        &mut set,
        &values_file,
        org.original.clone().map(String::into_bytes),
        org.values.doc.text.clone(),
        SECRET_MODE,
        false,
    );
    add_state(&mut set, &state_path, state_before, &state);
    let mut listed = vec![values_file.clone(), state_path.clone()];
    listed.extend(manifest.clone());
    super::PairsRun {
        set,
        lock: &lock,
        listed,
        dry_run: args.dry_run,
        values_file: &values_file,
        manifest,
        me,
        roster_serial: roster.serial,
        pairs,
        next: Vec::new(),
        warnings: Vec::new(),
    }
    .finish()
}

//! `substractl secrets move`: an organization's credentials (`users`, `incomingOrganizations`,
//! `outgoingOrganizations`) leave its values file for a Secret manifest beside it, which the
//! values file then names as `addAccountOperator.existingSecret`. Entry order is kept; the
//! values file loses only the lists, through the values editor with read-back; both files are
//! one change set.

use std::path::PathBuf;

use super::lock;
use crate::cli::SecretsMoveArgs;
use crate::deployment::accounts::{manifest_path, move_credentials};
use crate::deployment::pairs::{check_names, masked_diff, read_all, stage, SecretLabels};
use crate::deployment::Manifest;
use crate::deployment::{BackendFile, Store};
use crate::error::Explained;
use crate::output::Printer;
use crate::report::secrets::{MoveReport, MovedOrg};
use crate::shell::quote_path;
use crate::workspace::{ChangeSet, Workspace};

pub fn run_move(args: SecretsMoveArgs, printer: &Printer) -> anyhow::Result<MoveReport> {
    check_names(&args.orgs)?;
    let ws = Workspace::new(&args.files.dir, &args.files.values_pattern)?.existing()?;
    let mut touched: Vec<PathBuf> = Vec::new();
    for org in &args.orgs {
        let values = ws.path_of(org);
        touched.push(manifest_path(&values));
        touched.push(values);
    }
    let lock = lock(&ws, &touched, printer)?;
    let mut files = read_all(&ws, &args.orgs, false)?;
    let mut organizations = Vec::new();
    for f in &mut files {
        organizations.push(move_one(f, &args)?);
    }

    let mut set = ChangeSet::new();
    stage(&mut set, &files, Vec::new())?;
    // Read only in a dry run, for the diffs.
    let mut labels = None;
    let reports = super::commit_or_show(
        &set,
        &lock,
        args.dry_run,
        |change, _, diff| {
            masked_diff(
                change,
                &diff,
                &files,
                &[],
                labels.get_or_insert_with(|| SecretLabels::new(set.changes())),
            )
        },
        |_| {},
    )?;
    let mut next_steps = Vec::new();
    for o in organizations.iter().filter(|o| !o.already) {
        let ns = o.namespace.as_deref().map(|n| format!(" -n {n}")).unwrap_or_default();
        next_steps.push(format!("kubectl apply{ns} -f {}", quote_path(&o.manifest)));
        next_steps.push(format!(
            "helm upgrade RELEASE-NAME{} substra/substra-backend --version VERSION --values {}",
            o.namespace.as_deref().map(|n| format!(" --namespace {n}")).unwrap_or_default(),
            quote_path(&o.values)
        ));
    }
    Ok(MoveReport { dry_run: args.dry_run, organizations, files: reports, next_steps })
}

/// Moves one file's credentials into a new manifest, in memory.
fn move_one(f: &mut BackendFile, args: &SecretsMoveArgs) -> anyhow::Result<MovedOrg> {
    let values = f.path().to_path_buf();
    match &f.store {
        Store::Values => {}
        Store::Manifest(m) if !f.values_hold_credentials() => return Ok(moved(f, m, true)),
        Store::Manifest(m) => {
            return Err(Explained::input(format!(
                "{} names addAccountOperator.existingSecret {} and holds lists too: which one \
                 holds the credentials the organization uses is not for substractl to guess",
                values.display(),
                m.name
            ))
            .hint("empty the lists of one of the two stores, then run the command again")
            .into())
        }
        Store::Missing { .. } => {
            return Err(Explained::input(f.credentials_missing().unwrap_or_default())
                .hint(crate::error::hints::MANIFEST_MISSING)
                .into())
        }
    }
    let m = move_credentials(f, &args.secret_name, args.namespace.as_deref())?;
    Ok(moved(f, &m, false))
}

/// The report of one organization whose credentials are (`already`) or now go in `m`.
fn moved(f: &BackendFile, m: &Manifest, already: bool) -> MovedOrg {
    MovedOrg {
        name: f.name.clone(),
        values: f.path().to_path_buf(),
        manifest: m.path.clone(),
        secret: m.name.clone(),
        namespace: m.namespace.clone(),
        users: m.users.len(),
        incoming: m.incoming.len(),
        outgoing: m.outgoing.len(),
        already,
    }
}

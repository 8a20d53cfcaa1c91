//! `substractl secrets move`: an organization's credentials (`users`, `incomingOrganizations`,
//! `outgoingOrganizations`) leave its values file for a Secret manifest beside it, which the
//! values file then names as `addAccountOperator.existingSecret`. Entry order is kept; the
//! values file loses only the lists, through the values editor with read-back; both files are
//! one change set.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::lock;
use crate::cli::SecretsMoveArgs;
use crate::deployment::accounts::manifest_path;
use crate::deployment::pairs::{check_names, masked_diff, read_all, stage, SecretLabels};
use crate::deployment::{BackendFile, Manifest, Store};
use crate::error::Explained;
use crate::kube;
use crate::output::Printer;
use crate::report::link::{FileReport, FileStatus};
use crate::report::secrets::{MoveReport, MovedOrg};
use crate::shell::quote_path;
use crate::values::accounts::{self, Account};
use crate::values::backend::{scalar_text, Side};
use crate::values::edit;
use crate::workspace::{ChangeSet, Workspace};

const LISTS: [&str; 3] = ["users", "incomingOrganizations", "outgoingOrganizations"];

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
    stage(&mut set, &files, Vec::new());
    let mut reports = Vec::new();
    if args.dry_run {
        let mut labels = SecretLabels::new(set.changes());
        for (change, (path, created, diff)) in set.changes().iter().zip(set.diffs()) {
            let status = if created { FileStatus::WouldCreate } else { FileStatus::WouldUpdate };
            let diff = masked_diff(change, &diff, &files, &[], &mut labels);
            reports.push(FileReport { path, status, mode: None, diff: Some(diff) });
        }
    } else {
        let lock = lock.as_ref().ok_or_else(|| Explained::bug("writing without a lock"))?;
        for w in set.clone().commit(lock)? {
            let status = if w.created { FileStatus::Created } else { FileStatus::Updated };
            reports.push(FileReport { path: w.path, status, mode: Some(w.mode), diff: None });
        }
    }
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
    let path = manifest_path(&values);
    let fill = |pattern: &str| pattern.replace("{org}", &f.name);
    match &f.store {
        Store::Values => {}
        Store::Manifest(m) if !f.values_hold_credentials() => {
            return Ok(MovedOrg {
                name: f.name.clone(),
                values,
                manifest: m.path.clone(),
                secret: m.name.clone(),
                namespace: m.namespace.clone(),
                users: m.users.len(),
                incoming: m.incoming.len(),
                outgoing: m.outgoing.len(),
                already: true,
            });
        }
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
    let name = fill(&args.secret_name);
    let namespace = args.namespace.as_deref().map(fill);
    for (what, n) in [("Secret name", Some(&name)), ("namespace", namespace.as_ref())] {
        if let Some(n) = n.filter(|n| !kube::valid_namespace(n)) {
            return Err(Explained::input(format!(
                "{what} {n:?} is not a Kubernetes name (lowercase letters, digits and -, at \
                 most 63 characters)"
            ))
            .hint("pass --secret-name and --namespace")
            .into());
        }
    }
    let at = |key: &str| format!("{}: addAccountOperator.{key}", values.display());
    let mut manifest = Manifest::new(path, &name, namespace.as_deref());
    manifest.users = users(f.doc().get(&["addAccountOperator", "users"]), &at("users"))?;
    for side in [Side::Incoming, Side::Outgoing] {
        let mut list = Vec::new();
        for e in f.values.entries(side) {
            let where_ = at(side.key());
            if e.has_channel {
                return Err(Explained::input(format!(
                    "{where_}: the entry for {} has a channel, which the backend would read as \
                     its password",
                    e.name
                ))
                .hint(format!(
                    "drop the channel of the entry first (substractl link {} repairs it)",
                    f.name
                ))
                .into());
            }
            let Some(secret) = e.secret.clone() else {
                return Err(Explained::input(format!(
                    "{where_}: the secret for {} is not a text",
                    e.name
                ))
                .into());
            };
            list.push(Account { name: e.name.clone(), secret, channel: None });
        }
        match side {
            Side::Incoming => manifest.incoming = list,
            Side::Outgoing => manifest.outgoing = list,
        }
    }
    manifest.text().map_err(|e| Explained::input(format!("{}: {e}", values.display())))?;
    let report = MovedOrg {
        name: f.name.clone(),
        values: values.clone(),
        manifest: manifest.path.clone(),
        secret: name.clone(),
        namespace: namespace.clone(),
        users: manifest.users.len(),
        incoming: manifest.incoming.len(),
        outgoing: manifest.outgoing.len(),
        already: false,
    };
    // The values file: the Secret named, the lists emptied; every other byte as it was.
    let doc = &mut f.values.doc;
    edit::set(doc, &edit::keys(&["addAccountOperator", "existingSecret"]), json!(name))?;
    for key in LISTS {
        let non_empty = doc.get(&["addAccountOperator", key]).is_some_and(|v| {
            !matches!(v, Value::Null) && v.as_array().is_none_or(|l| !l.is_empty())
        });
        if non_empty {
            edit::set(doc, &edit::keys(&["addAccountOperator", key]), json!([]))?;
        }
    }
    f.store = Store::Manifest(Box::new(manifest));
    Ok(report)
}

/// The admin users of `addAccountOperator.users`, each `{name, secret, channel}`.
fn users(list: Option<&Value>, at: &str) -> anyhow::Result<Vec<Account>> {
    let items = match list {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(Explained::input(format!("{at} must be a list")).into()),
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = |k: &str| item.get(k).and_then(scalar_text);
        let (Some(name), Some(secret)) = (field("name"), field("secret")) else {
            return Err(Explained::input(format!(
                "{at}: entry {} needs a name and a secret",
                i + 1
            ))
            .into());
        };
        let channel = field("channel").filter(|c| !c.is_empty());
        let user = Account { name, secret, channel };
        accounts::render(std::slice::from_ref(&user))
            .map_err(|e| Explained::input(format!("{at}: entry {}: {e}", i + 1)))?;
        out.push(user);
    }
    Ok(out)
}

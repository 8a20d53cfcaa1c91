//! `substractl link` and `substractl unlink`: pair organizations in their backend values
//! files, and optionally list them in a channel of the orchestrator values.
//!
//! Every file is read and checked before any is written; all writes are one change set of the
//! workspace, committed under the lock of every directory touched.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::cli::{HelmArgs, LinkArgs, UnlinkArgs};
use crate::deployment::{Deployment, DeploymentError, Select};
use crate::error::hints;
use crate::error::Explained;
use crate::mesh::{self, Action, EntryState, OrgLinks, PairPlan};
use crate::output::Printer;
use crate::report::link::{FileReport, FileStatus, LinkReport, OrgReport, PairReport};
use crate::shell::quote_path;
use crate::values::backend::{Side, Want};
use crate::values::edit::{self, Seg};
use crate::values::{Doc, ValuesError};
use crate::workspace::{self, Change, ChangeSet, Lock, Workspace, SECRET_MODE};

/// The MSP ID the chart ships as default: two files copied from it share it.
const CHART_DEFAULT_MSP_ID: &str = "OwkinPeerMSP";

pub fn run(args: LinkArgs, printer: &Printer) -> anyhow::Result<LinkReport> {
    check_names(&args.orgs)?;
    if let Some(channel) = &args.channel {
        check_channel(channel)?;
    }
    let ws = Workspace::new(&args.files.dir, &args.files.values_pattern)?;
    // A missing --dir is created (not in a dry run), and removed again if the run fails.
    let created_dir = !ws.dir.is_dir() && !args.dry_run;
    if created_dir {
        std::fs::create_dir_all(&ws.dir).map_err(|e| {
            Explained::input(format!("cannot create directory {}: {e}", ws.dir.display()))
        })?;
        printer.note(&format!("created directory {}", ws.dir.display()));
    }
    let result = link(&ws, args, printer);
    if result.is_err() && created_dir {
        let _ = std::fs::remove_dir(&ws.dir);
    }
    result
}

fn link(ws: &Workspace, args: LinkArgs, printer: &Printer) -> anyhow::Result<LinkReport> {
    let orchestrator_path = args.channel.as_ref().map(|_| ws.file(&args.orchestrator_values));
    let mut touched: Vec<PathBuf> = args.orgs.iter().map(|o| ws.path_of(o)).collect();
    touched.extend(orchestrator_path.clone());
    let _lock = lock(ws, &touched, printer)?;
    if !args.create {
        refuse_typos(ws, &args.orgs)?;
    }
    let Planned { mut files, links, plans } =
        plan(ws, &args.orgs, true, args.rotate, &new_file_text, printer)?;
    let mut extra = Vec::new();
    if let (Some(channel), Some(path)) = (&args.channel, &orchestrator_path) {
        let msp_ids: Vec<String> = links.iter().map(|l| l.msp_id.clone()).collect();
        for f in &mut files {
            add_backend_channel(&mut f.values.doc, channel)?;
        }
        let doc = Doc::parse(path, workspace::read(path)?)?;
        extra.push(add_orchestrator_channel(doc, channel, &msp_ids)?);
    }
    let mut next = helm_commands(&files, &args.helm);
    if let Some(path) = &orchestrator_path {
        next.push(format!(
            "helm upgrade ORCHESTRATOR-RELEASE --namespace ORCHESTRATOR-NAMESPACE substra/orchestrator \
             --version ORCHESTRATOR-VERSION --values {}",
            quote_path(path)
        ));
    }
    finish(&_lock, args.dry_run, files, extra, &links, plans, args.channel, next)
}

pub fn run_unlink(args: UnlinkArgs, printer: &Printer) -> anyhow::Result<LinkReport> {
    check_names(&args.orgs)?;
    let ws = Workspace::new(&args.files.dir, &args.files.values_pattern)?.existing()?;
    let touched: Vec<PathBuf> = args.orgs.iter().map(|o| ws.path_of(o)).collect();
    let lock = lock(&ws, &touched, printer)?;
    let mut files = read_all(&ws, &args.orgs, false)?;
    let links = links_of(&files, printer)?;
    let pair: [OrgLinks; 2] = [links[0].clone(), links[1].clone()];
    if pair[0].msp_id == pair[1].msp_id {
        return Err(Explained::input(format!(
            "{} and {} are one organization (MSP ID {}); unlink takes two different ones",
            args.orgs[0], args.orgs[1], pair[0].msp_id
        ))
        .into());
    }
    let plans = mesh::plan_unlink(&pair);
    apply_plans(&mut files, &links, &plans)?;
    let next = helm_commands(&files, &args.helm);
    finish(&lock, args.dry_run, files, Vec::new(), &links, plans, None, next)
}

/// A link decided and made in memory: the edited files, their MSP IDs and every pair's plan.
pub(crate) struct Planned {
    pub files: Vec<OrgFile>,
    pub links: Vec<OrgLinks>,
    pub plans: Vec<PairPlan>,
}

/// Reads (or, with `create`, starts) the files of `orgs` and links every ordered pair among
/// them in memory, keeping the secrets that work unless `rotate`. Nothing is written: the
/// caller edits the files further if it wants, then adds them to its change set with
/// [`stage`]. A file it creates starts as `new_text` makes it (see [`new_file_text`]).
pub(crate) fn plan(
    ws: &Workspace,
    orgs: &[String],
    create: bool,
    rotate: bool,
    new_text: &dyn Fn(&str) -> String,
    printer: &Printer,
) -> anyhow::Result<Planned> {
    let mut files = read_all_with(ws, orgs, create, new_text)?;
    let links = links_of(&files, printer)?;
    let plans = mesh::plan_link(&links, rotate);
    apply_plans(&mut files, &links, &plans)?;
    Ok(Planned { files, links, plans })
}

/// Adds every edited file (the backends' and `extra` documents with their original text) to
/// a caller's change set, and returns the report of each pair.
pub(crate) fn stage(
    set: &mut ChangeSet,
    files: &[OrgFile],
    extra: Vec<(Doc, String)>,
    links: &[OrgLinks],
    plans: &[PairPlan],
) -> Vec<PairReport> {
    for f in files.iter().filter(|f| f.changed()) {
        set.add(Change {
            path: f.doc().path.clone(),
            before: f.doc().exists.then(|| f.original.clone().into_bytes()),
            after: f.doc().text.clone().into_bytes(),
            new_mode: SECRET_MODE,
            private: false,
        });
    }
    for (doc, original) in extra {
        if !doc.exists || doc.text != original {
            set.add(Change {
                path: doc.path.clone(),
                before: doc.exists.then(|| original.into_bytes()),
                after: doc.text.clone().into_bytes(),
                new_mode: SECRET_MODE,
                private: false,
            });
        }
    }
    plans
        .iter()
        .map(|p| PairReport {
            server: links[p.pair.server].msp_id.clone(),
            client: links[p.pair.client].msp_id.clone(),
            action: p.action,
            reason: p.reason.clone(),
        })
        .collect()
}

/// A change's diff with every secret it could show masked (see [`known_secrets`]), each
/// one under its label.
pub(crate) fn masked_diff(
    change: &Change,
    diff: &str,
    files: &[OrgFile],
    plans: &[PairPlan],
    labels: &mut SecretLabels,
) -> String {
    let known = known_secrets(change, files, plans);
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    mesh::mask_secrets_with(diff, &known, &mut |s| labels.label(s))
}

/// The labels of the secrets a dry run shows: nothing secret in them, yet enough to tell a
/// placeholder from a new secret or one that stays, and to see one secret on both sides of
/// a pair (numbers follow the order the diffs show them in).
pub(crate) struct SecretLabels {
    before: HashSet<String>,
    after: HashSet<String>,
    numbers: HashMap<String, usize>,
}

impl SecretLabels {
    /// The labels of a change set: which secrets its files hold before and after.
    pub fn new(changes: &[Change]) -> SecretLabels {
        let mut before = HashSet::new();
        let mut after = HashSet::new();
        for c in changes {
            let was = c.before.as_deref().map(String::from_utf8_lossy).unwrap_or_default();
            before.extend(crate::values::secrets_in_text(&was));
            after.extend(crate::values::secrets_in_text(&String::from_utf8_lossy(&c.after)));
        }
        SecretLabels { before, after, numbers: HashMap::new() }
    }

    fn label(&mut self, secret: &str) -> String {
        if is_placeholder(secret) {
            return format!("<placeholder {secret}>");
        }
        let next = self.numbers.len() + 1;
        let n = *self.numbers.entry(secret.to_string()).or_insert(next);
        match (self.before.contains(secret), self.after.contains(secret)) {
            (true, true) => format!("<secret #{n}, unchanged>"),
            (true, false) => format!("<secret #{n}, replaced>"),
            (false, _) => format!("<new secret #{n}, {} characters>", secret.chars().count()),
        }
    }
}

/// The placeholders of substractl's examples (`REPLACE-ME`, `REPLACE-ME-3`): shown as they
/// are, since they hold nothing secret.
fn is_placeholder(s: &str) -> bool {
    s.strip_prefix("REPLACE-ME").is_some_and(|rest| {
        rest.is_empty()
            || rest.strip_prefix('-').is_some_and(|n| {
                !n.is_empty() && n.len() <= 6 && n.bytes().all(|b| b.is_ascii_digit())
            })
    })
}

/// What `check links` and `check values` both report: every ordered pair among the files,
/// decided as `link` would (kept, or what is wrong with it), without drawing a secret.
pub(crate) fn pairs_as_found(
    files: &[OrgFile],
    printer: &Printer,
) -> anyhow::Result<(Vec<OrgLinks>, Vec<PairPlan>)> {
    let links = links_of(files, printer)?;
    let plans = mesh::inspect_links(&links);
    Ok((links, plans))
}

/// One organization's backend values file while it is being edited.
pub(crate) use crate::deployment::BackendFile as OrgFile;

/// Locks the directories of the files a run touches; a directory that does not exist yet (a
/// dry run's new --dir) has nothing to lock.
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

/// Reads and checks every file; a missing one is created only when `create` is set.
pub(crate) fn read_all(
    ws: &Workspace,
    orgs: &[String],
    create: bool,
) -> anyhow::Result<Vec<OrgFile>> {
    read_all_with(ws, orgs, create, &new_file_text)
}

/// [`read_all`], with `new_text` giving the first text of a file it creates.
fn read_all_with(
    ws: &Workspace,
    orgs: &[String],
    create: bool,
    new_text: &dyn Fn(&str) -> String,
) -> anyhow::Result<Vec<OrgFile>> {
    let select = Select { orgs, create: create.then_some(new_text), orchestrator: None };
    match Deployment::open(ws, select) {
        Ok(d) => Ok(d.backends),
        Err(DeploymentError::Missing(path)) => {
            Err(Explained::input(format!("{} does not exist", path.display()))
                .hint(hints::CHECK_ORG_NAME)
                .into())
        }
        Err(e) => Err(e.into()),
    }
}

/// Turns the edited files into one change set, and commits it or, in a dry run, shows it.
#[allow(clippy::too_many_arguments)]
fn finish(
    lock: &Option<Lock>,
    dry_run: bool,
    files: Vec<OrgFile>,
    extra: Vec<(Doc, String)>,
    links: &[OrgLinks],
    plans: Vec<PairPlan>,
    channel: Option<String>,
    next_steps: Vec<String>,
) -> anyhow::Result<LinkReport> {
    let mut set = ChangeSet::new();
    let orgs = files
        .iter()
        .zip(links)
        .map(|(f, l)| OrgReport {
            name: f.name.clone(),
            msp_id: l.msp_id.clone(),
            file: f.doc().path.clone(),
        })
        .collect();
    let pairs = stage(&mut set, &files, extra, links, &plans);

    let mut file_reports = Vec::new();
    let mut warnings = Vec::new();
    if dry_run {
        let mut labels = SecretLabels::new(set.changes());
        for (change, (path, created, diff)) in set.changes().iter().zip(set.diffs()) {
            let status = if created { FileStatus::WouldCreate } else { FileStatus::WouldUpdate };
            file_reports.push(FileReport {
                path,
                status,
                mode: None,
                diff: Some(masked_diff(change, &diff, &files, &plans, &mut labels)),
            });
        }
    } else {
        let backends: Vec<PathBuf> = files.iter().map(|f| f.doc().path.clone()).collect();
        let lock = lock.as_ref().ok_or_else(|| Explained::bug("writing without a lock"))?;
        for w in set.clone().commit(lock)? {
            if backends.contains(&w.path) && w.readable_by_others() {
                warnings.push(format!(
                    "{} holds secrets and other users can read it (mode {:04o}): chmod 600 {}",
                    w.path.display(),
                    w.mode,
                    quote_path(&w.path)
                ));
            }
            let status = if w.created { FileStatus::Created } else { FileStatus::Updated };
            file_reports.push(FileReport { path: w.path, status, mode: Some(w.mode), diff: None });
        }
    }
    for f in &files {
        if !set.touches(&f.doc().path) {
            file_reports.push(FileReport {
                path: f.doc().path.clone(),
                status: FileStatus::Unchanged,
                mode: None,
                diff: None,
            });
        }
    }
    let warnings = match warnings.as_slice() {
        [] | [_] => warnings,
        [first, rest @ ..] => vec![format!(
            "{first}\n  ({} more files that hold secrets can be read by other users: chmod 600 them too)",
            rest.len()
        )],
    };
    Ok(LinkReport {
        dry_run,
        organizations: orgs,
        pairs,
        files: file_reports,
        channel,
        next_steps,
        warnings,
    })
}

/// Refuses a named organization without a values file when the directory holds other
/// organizations' files: the name is more likely a typo than a new organization.
fn refuse_typos(ws: &Workspace, orgs: &[String]) -> anyhow::Result<()> {
    if !ws.dir.is_dir() {
        return Ok(());
    }
    let existing = ws.discover()?;
    if existing.is_empty() {
        return Ok(());
    }
    let Some(missing) = orgs.iter().find(|o| std::fs::symlink_metadata(ws.path_of(o)).is_err())
    else {
        return Ok(());
    };
    let shown: Vec<String> =
        existing.iter().take(6).map(|o| ws.path_of(o).display().to_string()).collect();
    let more = match existing.len().saturating_sub(shown.len()) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    let closest = existing
        .iter()
        .filter(|o| !orgs.contains(o))
        .min_by_key(|o| edit_distance(o, missing))
        .filter(|o| edit_distance(o, missing) <= missing.chars().count().max(2) / 2);
    let hint = hints::typo(closest.map(String::as_str), missing);
    Err(Explained::input(format!(
        "{} does not exist, and {} holds the values files {}{more}",
        ws.path_of(missing).display(),
        if ws.dir == Path::new(".") {
            "the directory".to_string()
        } else {
            ws.dir.display().to_string()
        },
        shown.join(", ")
    ))
    .hint(hint)
    .into())
}

/// Levenshtein distance between two names, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The first lines of a values file that `link` creates.
pub(crate) fn new_file_text(org: &str) -> String {
    let id = crate::values::scalar(org);
    format!(
        "# Backend values for {org}, generated by substractl link.\n\
         # This file holds secrets: keep it private (mode 0600) and out of version control.\n\
         organizationName: {id}\n\
         orchestrator:\n  mspID: {id}\n"
    )
}

pub(crate) fn check_names(orgs: &[String]) -> anyhow::Result<()> {
    for (i, org) in orgs.iter().enumerate() {
        mesh::validate_name(org)
            .map_err(|e| Explained::input(e.to_string()).hint(hints::ORG_NAME_FORM))?;
        if orgs[..i].contains(org) {
            return Err(Explained::input(format!("organization {org:?} is named twice")).into());
        }
    }
    Ok(())
}

pub(crate) fn check_channel(channel: &str) -> anyhow::Result<()> {
    if channel.is_empty() || channel.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Explained::input(format!(
            "channel name {channel:?} must be non-empty and without whitespace"
        ))
        .into());
    }
    Ok(())
}

/// Takes the MSP IDs as Helm deploys them (the file's `orchestrator.mspID`, else the chart's
/// default), checks that they are valid and distinct, and gathers what each file holds for
/// the others.
pub(crate) fn links_of(files: &[OrgFile], printer: &Printer) -> anyhow::Result<Vec<OrgLinks>> {
    let mut ids: Vec<String> = Vec::with_capacity(files.len());
    for f in files {
        let id = f.view.msp_id.clone();
        let line = f.msp_id_line();
        let at = format!("{}:{line}", f.doc().path.display());
        mesh::validate_name(&id)
            .map_err(|e| Explained::input(format!("{at}: orchestrator.mspID: {e}")))?;
        if let Some(j) = ids.iter().position(|other| *other == id) {
            let mut err = Explained::input(format!(
                "{} and {} both have the MSP ID {id} (orchestrator.mspID): each organization needs its own",
                files[j].doc().path.display(),
                f.doc().path.display()
            ));
            if id == CHART_DEFAULT_MSP_ID {
                err = err.hint(hints::CHART_DEFAULT_MSP_ID);
            }
            return Err(err.into());
        }
        if id == CHART_DEFAULT_MSP_ID {
            printer.warn(&format!(
                "{at}: orchestrator.mspID is the chart's default {CHART_DEFAULT_MSP_ID}; \
                 is that really {}'s MSP ID?",
                f.name
            ));
        }
        ids.push(id);
    }
    Ok(files
        .iter()
        .zip(&ids)
        .map(|(f, id)| {
            let gather = |side| {
                let mut map: HashMap<String, EntryState> = HashMap::new();
                for e in f.values.entries(side) {
                    if !ids.contains(&e.name) {
                        continue;
                    }
                    let state = map.entry(e.name.clone()).or_default();
                    if state.count == 0 {
                        state.secret = e.secret.clone();
                    }
                    state.has_channel |= e.has_channel;
                    state.count += 1;
                }
                map
            };
            OrgLinks {
                msp_id: id.clone(),
                incoming: gather(Side::Incoming),
                outgoing: gather(Side::Outgoing),
            }
        })
        .collect())
}

/// Turns the pair decisions into wanted entries per file, and edits each file.
fn apply_plans(
    files: &mut [OrgFile],
    links: &[OrgLinks],
    plans: &[PairPlan],
) -> anyhow::Result<()> {
    let n = files.len();
    let mut incoming: Vec<HashMap<String, Want>> = vec![HashMap::new(); n];
    let mut outgoing: Vec<HashMap<String, Want>> = vec![HashMap::new(); n];
    for p in plans {
        let want = match (&p.secret, p.action) {
            (_, Action::Removed | Action::Absent) | (None, _) => Want::Absent,
            (Some(s), _) => Want::Secret(s.expose().to_string()),
        };
        incoming[p.pair.server].insert(links[p.pair.client].msp_id.clone(), want.clone());
        outgoing[p.pair.client].insert(links[p.pair.server].msp_id.clone(), want);
    }
    let order: Vec<String> = links.iter().map(|l| l.msp_id.clone()).collect();
    let mut edited = Vec::new();
    let mut pending = Vec::new();
    for (i, f) in files.iter().enumerate() {
        if let Some(p) = f.values.plan(&incoming[i], &outgoing[i], &order)? {
            edited.push(i);
            pending.push(p);
        }
    }
    // Every edit is read back by the strict parser before it is taken; side by side, as
    // reading is most of the work on large files.
    let checked = crate::values::check_all(&pending);
    for ((i, p), data) in edited.into_iter().zip(pending).zip(checked) {
        files[i].values.doc.take(p.text, data?);
    }
    Ok(())
}

/// Makes sure a backend's `orchestrator.channels` holds the channel.
pub(crate) fn add_backend_channel(doc: &mut Doc, channel: &str) -> Result<bool, ValuesError> {
    let item = json!({ channel: { "restricted": false, "model_export_enabled": false } });
    edit::ensure_item(doc, &edit::keys(&["orchestrator", "channels"]), item, |v| {
        v.get(channel).is_some()
    })
}

/// Makes sure the orchestrator's `channels` holds the channel with every MSP ID; returns the
/// edited document and its original text.
pub(crate) fn add_orchestrator_channel(
    mut doc: Doc,
    channel: &str,
    msp_ids: &[String],
) -> Result<(Doc, String), ValuesError> {
    // The channels must be the chart's list of {name, organizations}: an entry of another
    // shape is refused with its line, never appended to.
    crate::deployment::Orchestrator::of(&doc)?;
    let original = doc.text.clone();
    let named = |v: &Value| v.get("name").and_then(Value::as_str) == Some(channel);
    let item = json!({ "name": channel, "organizations": msp_ids });
    edit::ensure_item(&mut doc, &edit::keys(&["channels"]), item, named)?;
    let index = doc
        .get(&["channels"])
        .and_then(Value::as_array)
        .and_then(|items| items.iter().position(named))
        .ok_or_else(|| ValuesError::Verify { path: doc.path.clone() })?;
    for id in msp_ids {
        let path = [Seg::Key("channels"), Seg::Index(index), Seg::Key("organizations")];
        edit::ensure_item(&mut doc, &path, Value::String(id.clone()), |v| v.as_str() == Some(id))?;
    }
    Ok((doc, original))
}

/// Every secret that a change's diff could show, to mask them: each one the document holds
/// under a `secret` key, before and after, and each one the run made or kept for a pair of
/// the file's organization (every pair for a file of no organization). Per file, so that
/// masking stays quick with thousands of pairs.
fn known_secrets(change: &Change, files: &[OrgFile], plans: &[PairPlan]) -> Vec<String> {
    let org = files.iter().position(|f| f.doc().path == change.path);
    let mut out: Vec<String> = plans
        .iter()
        .filter(|p| org.is_none_or(|i| p.pair.server == i || p.pair.client == i))
        .filter_map(|p| p.secret.as_ref().map(|s| s.expose().to_string()))
        .collect();
    let before = change.before.as_deref().map(String::from_utf8_lossy).unwrap_or_default();
    out.extend(crate::values::secrets_in_text(&before));
    out.extend(crate::values::secrets_in_text(&String::from_utf8_lossy(&change.after)));
    out
}

/// The `helm upgrade` command for each backend file that changed.
fn helm_commands(files: &[OrgFile], helm: &HelmArgs) -> Vec<String> {
    let release = helm.release.as_deref().unwrap_or("RELEASE-NAME");
    let namespace = helm.namespace.as_deref().unwrap_or("NAMESPACE");
    let version = helm.chart_version.as_deref().unwrap_or("VERSION");
    files
        .iter()
        .filter(|f| f.changed())
        .map(|f| {
            format!(
                "helm upgrade {release} --namespace {namespace} substra/substra-backend --version {version} --values {}",
                quote_path(&f.doc().path)
            )
        })
        .collect()
}

//! Pairing organizations in the model: every ordered pair among backend files decided as
//! `link` decides it (mesh), made as edits of their documents, staged in a change set, with
//! every secret a diff could show masked. Used by `link`, `unlink`, `check links`, `check
//! values` and `init`.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Value};

use super::accounts::Store;
pub use super::BackendFile;
use super::{Deployment, DeploymentError, Select};
use crate::error::hints;
use crate::error::Explained;
use crate::mesh::{self, Action, EntryState, OrgLinks, PairPlan};
use crate::values::backend::{Side, Want};
use crate::values::edit::{self, Seg};
use crate::values::{Doc, ValuesError};
use crate::workspace::{Change, ChangeSet, Workspace, SECRET_MODE};

/// A link decided and made in memory: the edited files, their MSP IDs and every pair's plan.
pub struct Planned {
    pub files: Vec<BackendFile>,
    pub links: Vec<OrgLinks>,
    pub plans: Vec<PairPlan>,
}

/// Reads (or, with `create`, starts) the files of `orgs` and links every ordered pair among
/// them in memory, keeping the secrets that work unless `rotate`. Nothing is written: the
/// caller edits the files further if it wants, then adds them to its change set with
/// [`stage`]. A file it creates starts as `new_text` makes it (see [`new_file_text`]).
pub fn plan(
    ws: &Workspace,
    orgs: &[String],
    create: bool,
    rotate: bool,
    new_text: &dyn Fn(&str) -> String,
    warn: &dyn Fn(&str),
) -> anyhow::Result<Planned> {
    let files = read_all_with(ws, orgs, create, new_text)?;
    decide(files, rotate, &|_, _| false, warn)
}

/// [`plan`] for `init`, with `prepare` editing each file first (it returns whether it changed
/// the document): the pairs are decided on what the files hold after it, read again. Two
/// organizations `apart` names (by their files' names) whose files hold no entry for each
/// other, in either direction, are left unlinked: what `unlink` leaves.
pub fn plan_prepared(
    ws: &Workspace,
    orgs: &[String],
    new_text: &dyn Fn(&str) -> String,
    prepare: &dyn Fn(&mut BackendFile) -> Result<bool, ValuesError>,
    apart: &dyn Fn(&str, &str) -> bool,
    warn: &dyn Fn(&str),
) -> anyhow::Result<Planned> {
    let mut files = read_all_with(ws, orgs, true, new_text)?;
    for f in &mut files {
        if prepare(f)? {
            let mut again = BackendFile::read(&f.name, f.values.doc.clone())?;
            again.original = std::mem::take(&mut f.original);
            *f = again;
        }
    }
    decide(files, false, apart, warn)
}

/// Decides every pair among the files and makes it in memory; see [`plan_prepared`] for
/// `apart`.
fn decide(
    mut files: Vec<BackendFile>,
    rotate: bool,
    apart: &dyn Fn(&str, &str) -> bool,
    warn: &dyn Fn(&str),
) -> anyhow::Result<Planned> {
    let links = links_of(&files, warn)?;
    let mut plans = mesh::plan_link(&links, rotate);
    let unlinked = |a: usize, b: usize| {
        let (a, b) = (&links[a], &links[b]);
        [&a.incoming, &a.outgoing].iter().all(|m| !m.contains_key(&b.msp_id))
            && [&b.incoming, &b.outgoing].iter().all(|m| !m.contains_key(&a.msp_id))
    };
    for p in &mut plans {
        let (s, c) = (p.pair.server, p.pair.client);
        if s != c && apart(&files[s].name, &files[c].name) && unlinked(s, c) {
            p.action = Action::Absent;
            p.secret = None;
            p.problem = None;
            p.reason = Some("not linked before this run: left so".into());
        }
    }
    apply_plans(&mut files, &links, &plans)?;
    Ok(Planned { files, links, plans })
}

/// Adds every edited file (the backends' and `extra` documents with their original text) to
/// a caller's change set; an error, with nothing added, for a Secret manifest that cannot be
/// edited.
pub fn stage(
    set: &mut ChangeSet,
    files: &[BackendFile],
    extra: Vec<(Doc, String)>,
) -> Result<(), ValuesError> {
    let manifests: Vec<_> =
        files.iter().map(BackendFile::manifest_change).collect::<Result<_, _>>()?;
    for (f, manifest) in files.iter().zip(manifests) {
        let changed = !f.doc().exists || f.doc().text != f.original || manifest.is_some();
        if !changed {
            continue;
        }
        set.add(Change {
            path: f.doc().path.clone(),
            before: f.doc().exists.then(|| f.original.clone().into_bytes()),
            after: f.doc().text.clone().into_bytes(),
            new_mode: SECRET_MODE,
            private: false,
        });
        if let Some((path, before, after)) = manifest {
            set.add(Change {
                path,
                before: before.map(String::into_bytes),
                after: after.into_bytes(),
                new_mode: SECRET_MODE,
                private: true,
            });
        }
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
    Ok(())
}

/// A change's diff with every secret it could show masked (see [`known_secrets`]), each
/// one under its label, and every other credential of the change set's files
/// ([`SecretLabels::credentials`]) too.
pub fn masked_diff(
    change: &Change,
    diff: &str,
    files: &[BackendFile],
    plans: &[PairPlan],
    labels: &mut SecretLabels,
) -> String {
    let mut known = known_secrets(change, files, plans);
    known.extend(labels.credentials.iter().cloned());
    let manifest =
        files.iter().any(|f| matches!(&f.store, Store::Manifest(m) if m.path == change.path));
    if manifest {
        let before = change.before.as_deref().map(String::from_utf8_lossy);
        let shown = super::accounts::masked_manifest_diff_with(
            &change.path,
            before.as_deref(),
            &String::from_utf8_lossy(&change.after),
            &known,
            &mut |s| labels.label(s),
        );
        if let Some(shown) = shown {
            return shown;
        }
    }
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    let masked = mesh::mask_secrets_with(diff, &known, &mut |s| labels.label(s));
    // The secrets of the other files, where this file holds one as a word of its own (under a
    // misspelt key, in a comment): a look-up of each word, quick with thousands of secrets.
    let (before, after) = (&labels.before, &labels.after);
    let everywhere = labels.everywhere.get_or_insert_with(|| {
        files
            .iter()
            .flat_map(|f| crate::values::secrets_in(&f.doc().data))
            .chain(before.iter().chain(after).cloned())
            .filter(|s| super::secrets::worth_hiding(s))
            .collect()
    });
    if everywhere.is_empty() {
        return masked;
    }
    let word = |c: char| {
        !(c.is_whitespace() || matches!(c, '"' | '\'' | ':' | ',' | '[' | ']' | '{' | '}' | '#'))
    };
    let mut out = String::with_capacity(masked.len());
    let mut rest = masked.as_str();
    while let Some(start) = rest.find(word) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail.find(|c: char| !word(c)).unwrap_or(tail.len());
        let w = &tail[..end];
        out.push_str(if everywhere.contains(w) { "********" } else { w });
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// The labels of the secrets and credentials a dry run shows: nothing secret in them, yet
/// enough to tell a placeholder from a new secret or one that stays, and to see one secret on
/// both sides of a pair (numbers follow the order the diffs show them in).
pub struct SecretLabels {
    /// The account operator's secrets (pair secrets, admin users' passwords) the files hold.
    before: HashSet<String>,
    after: HashSet<String>,
    /// Every other credential they hold that is hidden by value
    /// ([`super::secrets::worth_hiding`], or an example's placeholder).
    credentials_before: HashSet<String>,
    credentials_after: HashSet<String>,
    /// Those credentials, to search every diff for.
    pub credentials: Vec<String>,
    numbers: HashMap<String, usize>,
    /// Account secrets read `********` rather than a numbered label.
    plain: bool,
    /// Every account secret of every file the run read, met as a word in any diff (under a
    /// misspelt key, in a comment): found the first time a diff is masked.
    everywhere: Option<HashSet<String>>,
}

impl SecretLabels {
    /// The labels of a change set: which secrets and credentials its files hold before and
    /// after.
    pub fn new(changes: &[Change]) -> SecretLabels {
        let mut labels = SecretLabels {
            before: HashSet::new(),
            after: HashSet::new(),
            credentials_before: HashSet::new(),
            credentials_after: HashSet::new(),
            credentials: Vec::new(),
            numbers: HashMap::new(),
            plain: false,
            everywhere: None,
        };
        for c in changes {
            let was = c.before.as_deref().map(String::from_utf8_lossy).unwrap_or_default();
            let now = String::from_utf8_lossy(&c.after);
            for (text, accounts, credentials) in [
                (&*was, &mut labels.before, &mut labels.credentials_before),
                (&*now, &mut labels.after, &mut labels.credentials_after),
            ] {
                let hidden = crate::values::hidden_in_text(text);
                accounts.extend(hidden.accounts);
                accounts.extend(super::accounts::secrets_in_manifest_text(text));
                credentials.extend(
                    hidden
                        .credentials
                        .into_iter()
                        .filter(|c| super::secrets::worth_hiding(c) || is_placeholder(c)),
                );
            }
        }
        let not_account = |c: &&String| !labels.before.contains(*c) && !labels.after.contains(*c);
        let mut credentials: Vec<String> = labels
            .credentials_before
            .iter()
            .chain(&labels.credentials_after)
            .filter(not_account)
            .cloned()
            .collect();
        credentials.sort();
        credentials.dedup();
        labels.credentials = credentials;
        labels
    }

    /// [`SecretLabels::new`], with the account secrets masked as `********` and the other
    /// credentials labelled.
    pub fn plain(changes: &[Change]) -> SecretLabels {
        SecretLabels { plain: true, ..SecretLabels::new(changes) }
    }

    /// The label of a secret or credential: a placeholder as it is; an account secret
    /// numbered, unchanged, replaced or new (with its length, as substractl makes them); any
    /// other credential unchanged, replaced or new, without number nor length.
    pub fn label(&mut self, secret: &str) -> String {
        if is_placeholder(secret) {
            return format!("<placeholder {secret}>");
        }
        let account = self.before.contains(secret) || self.after.contains(secret);
        let (was, is) =
            (self.credentials_before.contains(secret), self.credentials_after.contains(secret));
        if !account && (was || is) {
            return match (was, is) {
                (true, true) => "<credential, unchanged>",
                (true, false) => "<credential, replaced>",
                (false, _) => "<new credential>",
            }
            .to_string();
        }
        if self.plain {
            return "********".to_string();
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
pub fn pairs_as_found(
    files: &[BackendFile],
    warn: &dyn Fn(&str),
) -> anyhow::Result<(Vec<OrgLinks>, Vec<PairPlan>)> {
    let links = links_of(files, warn)?;
    let plans = mesh::inspect_links(&links);
    Ok((links, plans))
}

/// Reads and checks every file; a missing one is created only when `create` is set.
pub fn read_all(ws: &Workspace, orgs: &[String], create: bool) -> anyhow::Result<Vec<BackendFile>> {
    read_all_with(ws, orgs, create, &new_file_text)
}

/// [`read_all`], with `new_text` giving the first text of a file it creates.
fn read_all_with(
    ws: &Workspace,
    orgs: &[String],
    create: bool,
    new_text: &dyn Fn(&str) -> String,
) -> anyhow::Result<Vec<BackendFile>> {
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

/// The first lines of a values file that `link` creates.
pub fn new_file_text(org: &str) -> String {
    new_file_text_by(org, "link")
}

/// The second line of the header of a values file substractl creates with its credentials.
const HOLDS_SECRETS: &str =
    "# This file holds secrets: keep it private (mode 0600) and out of version control.";
/// The second line of the header of a values file substractl creates without them.
const NAMES_THE_SECRET: &str =
    "# Its credentials are in the Secret named by addAccountOperator.existingSecret.";

/// The first lines of a values file that `substractl COMMAND` creates.
pub fn new_file_text_by(org: &str, command: &str) -> String {
    new_file_text_saying(org, command, HOLDS_SECRETS)
}

/// [`new_file_text_by`] for a file whose credentials go to a Secret manifest beside it.
pub fn new_file_text_without_secrets(org: &str, command: &str) -> String {
    new_file_text_saying(org, command, NAMES_THE_SECRET)
}

/// The text of a values file once its credentials went to a Secret, when substractl's own
/// header still says the file holds them: the header names the Secret instead. `None` for any
/// other text.
pub fn header_without_secrets(text: &str) -> Option<String> {
    let first = text.split_inclusive('\n').next()?;
    let second = text[first.len()..].split_inclusive('\n').next()?;
    let line = second.trim_end_matches(['\r', '\n']);
    let ours = first.starts_with("# Backend values for ")
        && first.trim_end().ends_with('.')
        && first.contains(", generated by substractl ");
    (ours && line == HOLDS_SECRETS).then(|| {
        let rest = &text[first.len() + line.len()..];
        format!("{first}{NAMES_THE_SECRET}{rest}")
    })
}

fn new_file_text_saying(org: &str, command: &str, second_line: &str) -> String {
    let id = crate::values::scalar(org);
    format!(
        "# Backend values for {org}, generated by substractl {command}.\n\
         {second_line}\n\
         organizationName: {id}\n\
         orchestrator:\n  mspID: {id}\n"
    )
}

pub fn check_names(orgs: &[String]) -> anyhow::Result<()> {
    for (i, org) in orgs.iter().enumerate() {
        mesh::validate_name(org)
            .map_err(|e| Explained::input(e.to_string()).hint(hints::ORG_NAME_FORM))?;
        if orgs[..i].contains(org) {
            return Err(Explained::input(format!("organization {org:?} is named twice")).into());
        }
    }
    Ok(())
}

pub fn check_channel(channel: &str) -> anyhow::Result<()> {
    if channel.is_empty() || channel.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Explained::input(format!(
            "channel name {channel:?} must be non-empty and without whitespace"
        ))
        .into());
    }
    if let Some(why) = channel_name_problem(channel) {
        return Err(Explained::input(format!("channel name {channel:?} {why}")).into());
    }
    Ok(())
}

/// Why an MSP ID cannot be written where the orchestrator's chart writes it: unquoted, as an
/// item of a channel's list in its configuration file (`- {{ . }}`), which the orchestrator
/// reads with go-yaml v2: one that starts with a YAML indicator (`&bio` is an anchor, `*bio` an
/// alias) or that YAML reads as a number, a boolean or a null is not read as itself.
pub fn msp_id_problem(id: &str) -> Option<&'static str> {
    if id.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`~".contains(c)) {
        return Some(
            "starts with a character YAML reads as syntax where the orchestrator's chart writes \
             the MSP ID unquoted (an anchor, an alias, a tag...)",
        );
    }
    (!crate::values::goyaml::go_reads_as_text(id)).then_some(
        "is read by YAML as a number, a boolean or a null where the orchestrator's chart writes \
         the MSP ID unquoted",
    )
}

/// Why a channel name cannot be written where the orchestrator's chart writes it: unquoted, as
/// a key of its configuration file (`{{ .name }}:`), which the orchestrator reads with go-yaml
/// v2. A name of letters, digits, `-`, `_` and `.`, starting with a letter or a digit, that
/// YAML does not read as a number, a boolean or a null, is read as itself.
pub fn channel_name_problem(channel: &str) -> Option<&'static str> {
    if !plain_name(channel) {
        return Some(
            "must be letters, digits, '-', '_' and '.', starting with a letter or a digit: the \
             orchestrator's chart writes it unquoted into its configuration",
        );
    }
    (!crate::values::goyaml::go_reads_as_text(channel)).then_some(
        "is read by YAML as a number, a boolean or a null where the orchestrator's chart writes \
         it unquoted: choose a name YAML reads as text",
    )
}

/// Why a name cannot be a backend's `organizationName`: the chart writes it unquoted into its
/// workers' command lines (`"celery ... -Q {{ .Values.organizationName }}.worker,..."`, a
/// quoted YAML string that a shell runs), where a quote breaks the YAML, a blank splits the
/// command and `$(...)` runs another.
pub fn organization_name_problem(name: &str) -> Option<&'static str> {
    (!plain_name(name)).then_some(
        "must be letters, digits, '-', '_' and '.', starting with a letter or a digit: the \
         backend's chart writes it unquoted into its workers' shell command lines (celery -Q \
         NAME.worker,...)",
    )
}

/// Letters, digits, `-`, `_` and `.`, starting with a letter or a digit.
fn plain_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Takes the MSP IDs as Helm deploys them (the file's `orchestrator.mspID`, else the chart's
/// default), checks that they are valid and distinct, and gathers what each file holds for
/// the others.
pub fn links_of(files: &[BackendFile], warn: &dyn Fn(&str)) -> anyhow::Result<Vec<OrgLinks>> {
    let chart_msp_id = super::chart::backend_default(&["orchestrator", "mspID"]);
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
            if id == chart_msp_id {
                err = err.hint(hints::CHART_DEFAULT_MSP_ID);
            }
            return Err(err.into());
        }
        if id == chart_msp_id {
            warn(&format!(
                "{at}: orchestrator.mspID is the chart's default {chart_msp_id}; \
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
                for e in f.credentials(side) {
                    if !ids.contains(&e.name) {
                        continue;
                    }
                    let state = map.entry(e.name.clone()).or_default();
                    if state.count == 0 {
                        state.secret = e.secret.clone();
                        state.rendered = e.secret_rendered.clone();
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
pub fn apply_plans(
    files: &mut [BackendFile],
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
    for (i, f) in files.iter_mut().enumerate() {
        let writes = |w: &HashMap<String, Want>| w.values().any(|w| matches!(w, Want::Secret(_)));
        match &mut f.store {
            Store::Values => {}
            Store::Manifest(m) => {
                m.apply(Side::Incoming, &incoming[i], &order);
                m.apply(Side::Outgoing, &outgoing[i], &order);
                continue;
            }
            Store::Missing { .. } if !writes(&incoming[i]) && !writes(&outgoing[i]) => continue,
            Store::Missing { .. } => {
                let why = f.credentials_missing().unwrap_or_default();
                return Err(Explained::input(format!(
                    "{why}: the chart would ignore credentials written to the values file"
                ))
                .hint(hints::MANIFEST_MISSING)
                .into());
            }
        }
        if let Some(p) = f.values.plan(&incoming[i], &outgoing[i], &order)? {
            edited.push(i);
            pending.push(p);
        }
    }
    // Every edit is read back by the strict parser before it is taken; side by side, as
    // reading is most of the work on large files.
    let checked = crate::values::check_all(&pending);
    for ((i, p), checked) in edited.into_iter().zip(pending).zip(checked) {
        checked?;
        files[i].values.doc.take(p.text, p.expected);
    }
    for f in files.iter() {
        f.manifest_change()?;
    }
    Ok(())
}

/// Makes sure a backend's `orchestrator.channels` holds the channel.
pub fn add_backend_channel(doc: &mut Doc, channel: &str) -> Result<bool, ValuesError> {
    let item = json!({ channel: { "restricted": false, "model_export_enabled": false } });
    edit::ensure_item(doc, &edit::keys(&["orchestrator", "channels"]), item, |v| {
        v.get(channel).is_some()
    })
}

/// Makes sure the orchestrator's `channels` holds the channel with every MSP ID; returns the
/// edited document and its original text.
pub fn add_orchestrator_channel(
    mut doc: Doc,
    channel: &str,
    msp_ids: &[String],
) -> Result<(Doc, String), ValuesError> {
    // The channels must be the chart's list of {name, organizations}: an entry of another
    // shape is refused with its line, never appended to.
    let orchestrator = crate::deployment::Orchestrator::of(&doc)?;
    if let Some((id, why)) = msp_ids.iter().find_map(|id| msp_id_problem(id).map(|w| (id, w))) {
        return Err(ValuesError::Unsupported {
            path: doc.path.clone(),
            message: format!(
                "the MSP ID {id:?} {why}: it cannot be listed in the channel {channel:?}; \
                 change orchestrator.mspID in its values file"
            ),
        });
    }
    let named = |v: &Value| v.get("name").and_then(Value::as_str) == Some(channel);
    // The orchestrator's chart writes the channels into a mapping: of two entries of one name,
    // the last is read. Which one to edit is not guessed.
    if orchestrator.channels.iter().filter(|c| c.name == channel).count() > 1 {
        use crate::values::cst;
        // The line of the second entry, when the list is written plainly.
        let second = doc.top().and_then(|top| {
            let list = cst::entry_value(&cst::lookup(&top, "channels")?)?;
            let mut same = cst::items(&cst::untagged(&list)).into_iter().filter(|item| {
                cst::item_value(item)
                    .filter(|m| m.kind() == yaml_edit::SyntaxKind::MAPPING)
                    .and_then(|m| cst::entry_value(&cst::lookup(&m, "name")?))
                    .and_then(|v| cst::scalar_string(&v))
                    .is_some_and(|n| n == channel)
            });
            same.nth(1).map(|item| cst::range(&item).start)
        });
        return Err(doc.shape_error(
            second.unwrap_or(0),
            format!(
                "channels lists the channel {channel:?} twice, and the orchestrator reads the \
                 last entry only: merge the two entries into one"
            ),
        ));
    }
    let original = doc.text.clone();
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

/// Every account secret that a change's diff could show, to mask them: each one the
/// document's account operator holds, before and after, and each one the run made or kept for
/// a pair of the file's organization (every pair for a file of no organization). Per file, so
/// that masking stays quick with thousands of pairs.
fn known_secrets(change: &Change, files: &[BackendFile], plans: &[PairPlan]) -> Vec<String> {
    let org = files.iter().position(|f| {
        f.doc().path == change.path
            || matches!(&f.store, Store::Manifest(m) if m.path == change.path)
    });
    let mut out: Vec<String> = plans
        .iter()
        .filter(|p| org.is_none_or(|i| p.pair.server == i || p.pair.client == i))
        .filter_map(|p| p.secret.as_ref().map(|s| s.expose().to_string()))
        .collect();
    let before = change.before.as_deref().map(String::from_utf8_lossy).unwrap_or_default();
    out.extend(crate::values::hidden_in_text(&before).accounts);
    out.extend(crate::values::hidden_in_text(&String::from_utf8_lossy(&change.after)).accounts);
    out
}

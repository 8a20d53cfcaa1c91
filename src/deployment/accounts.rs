//! Where an organization's credentials are kept: its values file's `addAccountOperator` lists,
//! or, when the values file names `addAccountOperator.existingSecret`, the Secret manifest
//! beside it (`backend-<org>-values.yaml` -> `backend-<org>-accounts.yaml`), which holds the
//! keys `users`, `incoming_organizations` and `outgoing_organizations` in the chart's line
//! format ([`crate::values::accounts`]).
//!
//! The model reads the manifest once with its values file; checks and edits then work on the
//! entries whatever their store. A new manifest is written as `kubectl create secret generic`
//! writes it; one that exists is edited in place, in the same change set as the values file:
//! only the credential keys that changed (and `metadata.namespace` when `init` moves it) get
//! new text, where the manifest keeps them (`data` as base64 or `stringData` as text), and
//! every other byte (labels, annotations, `type`, other keys, comments, order) is kept.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use serde_json::json;

use super::chart::{render as render_value, truthy};
use super::BackendFile;
use crate::error::Explained;
use crate::kube;
use crate::values::backend::scalar_text;
use crate::values::edit;

const LISTS: [&str; 3] = ["users", "incomingOrganizations", "outgoingOrganizations"];
use crate::values::accounts::{self, Account, INCOMING, KEYS, OUTGOING, USERS};
use crate::values::backend::{BackendValues, Side, Want};
use crate::values::{Doc, ValuesError};
use crate::workspace;

/// The manifest beside a values file: `...values.yaml` -> `...accounts.yaml`, anything else
/// `<stem>-accounts.yaml`.
pub fn manifest_path(values: &Path) -> PathBuf {
    let file = values.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let name = match file.strip_suffix("values.yaml") {
        Some(stem) => format!("{stem}accounts.yaml"),
        None => {
            let stem = file
                .strip_suffix(".yaml")
                .or_else(|| file.strip_suffix(".yml"))
                .unwrap_or(&file)
                .to_string();
            format!("{stem}-accounts.yaml")
        }
    };
    values.with_file_name(name)
}

/// The text of a credential key as the chart's Secret gives it: `stringData`, which the API
/// server writes over `data`, else `data` decoded; empty when neither holds it. Errors say
/// which (`data.KEY is not base64`) and where (the offset of the value).
fn key_text(doc: &Doc, key: &str) -> Result<String, (usize, String)> {
    let at = |section: &str| super::offset_of(doc, &[section, key], None);
    match (doc.get(&["data", key]), doc.get(&["stringData", key])) {
        (_, Some(Value::String(s))) => Ok(s.clone()),
        (Some(Value::String(s)), None) => {
            let bytes = crate::kube::base64_decode(s)
                .ok_or_else(|| (at("data"), format!("data.{key} is not base64")))?;
            String::from_utf8(bytes).map_err(|_| (at("data"), format!("data.{key} is not UTF-8")))
        }
        (None | Some(Value::Null), None) => Ok(String::new()),
        _ => Err((at("data"), format!("data.{key} must be a string"))),
    }
}

/// The entries of a text if it is an account manifest (None otherwise), key by key.
fn manifest_entries(text: &str) -> Option<Vec<(&'static str, Vec<Account>)>> {
    let doc = Doc::from_text(Path::new(""), text.to_string(), true).ok()?;
    if doc.get(&["kind"]).and_then(Value::as_str) != Some("Secret") {
        return None;
    }
    let mut out = Vec::new();
    for key in [INCOMING, OUTGOING, USERS] {
        let lines = key_text(&doc, key).ok()?;
        out.push((key, accounts::parse(&lines, key == USERS).ok()?));
    }
    Some(out)
}

/// Every secret a text holds if it is an account manifest (nothing otherwise): for masking.
pub fn secrets_in_manifest_text(text: &str) -> Vec<String> {
    manifest_entries(text)
        .into_iter()
        .flatten()
        .flat_map(|(_, entries)| entries.into_iter().map(|a| a.secret))
        .collect()
}

/// A Secret manifest's text as a dry run shows it, and what must be masked in it.
struct View {
    text: String,
    /// The secrets of the credential entries, shown in `text` for the caller to label.
    secrets: Vec<String>,
    /// Every value of `data` and `stringData` as written (and decoded, but for the credential
    /// keys, whose names are no secret): shown nowhere.
    hidden: Vec<String>,
}

/// The text of a Secret manifest (None for anything else) with every value of `data` and
/// `stringData` out of sight: a credential key's value reads `<base64 of the lines below>` (or
/// `<the lines below>` in `stringData`), its account lines follow on lines of their own, one
/// per entry, for the caller to mask the secrets in; any other key's value reads
/// `<not shown>`. Every other byte is the file's.
fn view(text: &str) -> Option<View> {
    use crate::values::cst;
    let doc = Doc::from_text(Path::new(""), text.to_string(), true).ok()?;
    if doc.get(&["kind"]).and_then(Value::as_str) != Some("Secret") {
        return None;
    }
    let mut out = View { text: String::new(), secrets: Vec::new(), hidden: Vec::new() };
    let mut edits = Vec::new();
    let top = doc.top()?;
    let nl = cst::newline_of(text);
    for section in ["data", "stringData"] {
        let map = cst::lookup(&top, section).and_then(|e| cst::entry_value(&e));
        let Some(map) = map.filter(|m| m.kind() == yaml_edit::SyntaxKind::MAPPING) else {
            continue;
        };
        for entry in cst::entries(&map) {
            let Some(value) = cst::entry_value(&entry) else { continue };
            let key = cst::entry_key(&entry).unwrap_or_default();
            let written = doc.get(&[section, &key]).and_then(Value::as_str);
            let decoded = match (section, written) {
                ("data", Some(w)) => {
                    crate::kube::base64_decode(w).and_then(|b| String::from_utf8(b).ok())
                }
                (_, w) => w.map(str::to_string),
            };
            let credential = [INCOMING, OUTGOING, USERS].contains(&key.as_str());
            let lines = decoded
                .as_deref()
                .filter(|_| credential)
                .and_then(|d| accounts::parse(d, key == USERS).ok());
            let range = cst::range(&value).start..cst::content_end(&value);
            // A credential key's lines hold names, which are no secret: only its raw base64.
            if section == "data" || lines.is_none() {
                out.hidden.extend(written.map(str::to_string));
            }
            let Some(lines) = lines else {
                out.hidden.extend(decoded);
                edits.push(cst::TextEdit::replace(range, "<not shown>".into()));
                continue;
            };
            let what =
                if section == "data" { "base64 of the lines below" } else { "the lines below" };
            let pad = " ".repeat(cst::column(text, cst::range(&entry).start) + 4);
            let mut below = String::new();
            if !text[..cst::line_end_after(text, range.end)].ends_with('\n') {
                below.push_str(nl);
            }
            for a in lines {
                below.push_str(&format!("{pad}{} {}", a.name, a.secret));
                if let Some(c) = &a.channel {
                    below.push_str(&format!(" {c}"));
                }
                below.push_str(nl);
                out.secrets.push(a.secret);
            }
            let after = cst::line_end_after(text, range.end);
            edits.push(cst::TextEdit::replace(range, format!("<{what}>")));
            edits.push(cst::TextEdit::insert(after, below));
        }
    }
    out.text = cst::apply(text, edits);
    Some(out)
}

/// A dry run's diff of a Secret manifest's texts (`before` None: a new file), or None when
/// `after` is not a Secret manifest: the texts as [`view`] shows them, every credential secret
/// (of the entries and of `known`) replaced by what `label` gives it, and every other value
/// of `data` and `stringData`, wherever it stands, by asterisks.
pub fn masked_manifest_diff_with(
    path: &Path,
    before: Option<&str>,
    after: &str,
    known: &[String],
    label: &mut dyn FnMut(&str) -> String,
) -> Option<String> {
    let new = view(after)?;
    let old = before.and_then(view);
    let shown = crate::shell::one_line_path(path);
    let diff = similar::TextDiff::from_lines(
        old.as_ref().map_or("", |v| v.text.as_str()),
        new.text.as_str(),
    )
    .unified_diff()
    .context_radius(3)
    .header(&format!("a/{shown}"), &format!("b/{shown}"))
    .to_string();
    let mut hidden: Vec<&str> = new.hidden.iter().map(String::as_str).collect();
    hidden.extend(old.iter().flat_map(|v| v.hidden.iter().map(String::as_str)));
    let mut secrets: Vec<&str> = known.iter().map(String::as_str).collect();
    secrets.extend(new.secrets.iter().map(String::as_str));
    secrets.extend(old.iter().flat_map(|v| v.secrets.iter().map(String::as_str)));
    // The values shown nowhere first (as they may stand in a comment or an annotation), then
    // the secrets of the entries, by their labels.
    let masked = crate::mesh::mask_secrets(&diff, &hidden);
    Some(crate::mesh::mask_secrets_with(&masked, &secrets, label))
}

/// [`masked_manifest_diff_with`], every secret replaced by asterisks.
pub fn masked_manifest_diff(path: &Path, before: Option<&str>, after: &str) -> Option<String> {
    masked_manifest_diff_with(path, before, after, &[], &mut |_| "********".to_string())
}

/// The git work tree a file is in: the nearest directory up from it that holds a `.git`
/// (read from the file system, without running git).
pub fn git_work_tree(file: &Path) -> Option<PathBuf> {
    let real = std::fs::canonicalize(file).ok()?;
    real.ancestors()
        .skip(1)
        .find(|d| std::fs::symlink_metadata(d.join(".git")).is_ok())
        .map(Path::to_path_buf)
}

/// `addAccountOperator.existingSecret` as the chart's `if` reads it: the name, when set.
pub fn existing_secret(data: &Value) -> Option<String> {
    let v = data.get("addAccountOperator").and_then(|a| a.get("existingSecret"));
    truthy(v).then(|| render_value(v))
}

/// The credentials of one organization held in a Secret manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub path: PathBuf,
    /// `metadata.name`: the values file's `existingSecret`.
    pub name: String,
    pub namespace: Option<String>,
    pub users: Vec<Account>,
    pub incoming: Vec<Account>,
    pub outgoing: Vec<Account>,
    /// The text as read; None for a manifest not written yet.
    pub original: Option<String>,
}

/// Where an organization's credentials are.
#[derive(Debug, Clone)]
pub enum Store {
    /// In the values file's lists.
    Values,
    /// In the Secret manifest the values file names.
    Manifest(Box<Manifest>),
    /// The values file names a Secret whose manifest is not in the directory.
    Missing { name: String, path: PathBuf },
}

/// One credential entry, whatever its store.
#[derive(Debug, Clone)]
pub struct Credential {
    pub name: String,
    pub secret: Option<String>,
    pub has_channel: bool,
    /// What helm renders the secret as when it is not a YAML string (never, in a manifest).
    pub secret_rendered: Option<String>,
}

/// The entries of one organization list, from wherever the chart takes them: the manifest
/// when the values file names one (none when it is missing), else the file's list.
pub fn credentials_of(values: &BackendValues, store: &Store, side: Side) -> Vec<Credential> {
    match store {
        Store::Values => values
            .entries(side)
            .iter()
            .map(|e| Credential {
                name: e.name.clone(),
                secret: e.secret.clone(),
                has_channel: e.has_channel,
                secret_rendered: e.secret_rendered.clone(),
            })
            .collect(),
        Store::Manifest(m) => m
            .list(side)
            .iter()
            .map(|a| Credential {
                name: a.name.clone(),
                secret: Some(a.secret.clone()),
                has_channel: a.channel.is_some(),
                secret_rendered: None,
            })
            .collect(),
        Store::Missing { .. } => Vec::new(),
    }
}

impl Manifest {
    /// A new manifest for these entries.
    pub fn new(path: PathBuf, name: &str, namespace: Option<&str>) -> Manifest {
        Manifest {
            path,
            name: name.to_string(),
            namespace: namespace.map(str::to_string),
            users: Vec::new(),
            incoming: Vec::new(),
            outgoing: Vec::new(),
            original: None,
        }
    }

    /// Reads the manifest at `path` (None when there is none), which must be a Secret named
    /// `name` holding the account lines.
    pub fn read(path: &Path, name: &str) -> Result<Option<Manifest>, ValuesError> {
        let Some(bytes) = workspace::read(path).map_err(|e| ValuesError::Unsupported {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?
        else {
            return Ok(None);
        };
        let doc = Doc::parse(path, Some(bytes)).map_err(|e| match e {
            // kubectl applies a file of several documents, but the chart mounts one Secret.
            ValuesError::Syntax { path, line, column, message } => ValuesError::Syntax {
                path,
                line,
                column,
                message: message.replace(
                    "substractl reads and edits files of one YAML document",
                    "a Secret manifest holds one YAML document",
                ),
            },
            e => e,
        })?;
        let at = |keys: &[&str]| super::offset_of(&doc, keys, None);
        if doc.get(&["kind"]).and_then(Value::as_str) != Some("Secret") {
            return Err(doc.shape_error(at(&["kind"]), "the manifest must be a kind: Secret"));
        }
        let found = doc.get(&["metadata", "name"]).and_then(Value::as_str).unwrap_or_default();
        if found != name {
            return Err(doc.shape_error(
                at(&["metadata", "name"]),
                format!(
                    "metadata.name is {found:?}, but the values file's \
                     addAccountOperator.existingSecret names {name:?}: the chart would mount \
                     another Secret"
                ),
            ));
        }
        let namespace =
            doc.get(&["metadata", "namespace"]).and_then(Value::as_str).map(str::to_string);
        let key = |key: &str, with_channel: bool| -> Result<Vec<Account>, ValuesError> {
            let text = key_text(&doc, key).map_err(|(at, message)| doc.shape_error(at, message))?;
            let section =
                if doc.get(&["stringData", key]).is_some() { "stringData" } else { "data" };
            accounts::parse(&text, with_channel)
                .map_err(|e| doc.shape_error(at(&[section, key]), format!("{key}: {e}")))
        };
        Ok(Some(Manifest {
            path: path.to_path_buf(),
            name: name.to_string(),
            namespace,
            users: key(USERS, true)?,
            incoming: key(INCOMING, false)?,
            outgoing: key(OUTGOING, false)?,
            original: Some(doc.text.clone()),
        }))
    }

    /// The lines of each key, `incoming_organizations`, `outgoing_organizations` and `users`;
    /// an error for an entry a line cannot hold.
    pub fn lines(&self) -> Result<[(&'static str, String); 3], accounts::LineError> {
        Ok([
            (INCOMING, accounts::render(&self.incoming)?),
            (OUTGOING, accounts::render(&self.outgoing)?),
            (USERS, accounts::render(&self.users)?),
        ])
    }

    /// The manifest's text. A new one is what `kubectl create secret generic NAME
    /// --from-literal=users=... --from-literal=incoming_organizations=...
    /// --from-literal=outgoing_organizations=... [-n NAMESPACE] --dry-run=client -o yaml`
    /// writes. One read from a file is that file edited in place by the values editor, each
    /// edit read back: a credential key whose entries changed gets its new lines where the
    /// file keeps it (`stringData` as text, else `data` as base64; a key it lacks goes where
    /// the others are), and `metadata.namespace` the namespace when it names another; every
    /// other byte stays. A key written so that an edit would change more than it (an alias,
    /// an anchor read elsewhere, a tag, a merge key) is refused with its line.
    pub fn text(&self) -> Result<String, ValuesError> {
        let lines = self.lines().map_err(|e| ValuesError::Unsupported {
            path: self.path.clone(),
            message: e.to_string(),
        })?;
        let Some(original) = &self.original else {
            let data: Vec<(&str, &[u8])> = lines.iter().map(|(k, l)| (*k, l.as_bytes())).collect();
            return Ok(crate::kube::secret(&self.name, self.namespace.as_deref(), &data));
        };
        let mut doc = Doc::from_text(&self.path, original.clone(), true)?;
        // Where a key the file lacks goes: `stringData` when the file keeps its other
        // credential keys there and none in `data`.
        let is_text = |doc: &Doc, section: &str, key: &str| {
            matches!(doc.get(&[section, key]), Some(Value::String(_)))
        };
        let in_string = KEYS.iter().any(|k| is_text(&doc, "stringData", k));
        let in_data =
            KEYS.iter().any(|k| is_text(&doc, "data", k) && !is_text(&doc, "stringData", k));
        let default = if in_string && !in_data { "stringData" } else { "data" };
        for (key, want) in &lines {
            let had = key_text(&doc, key).map_err(|(at, message)| doc.shape_error(at, message))?;
            let same = accounts::parse(&had, *key == USERS)
                .is_ok_and(|entries| Ok(entries) == accounts::parse(want, *key == USERS));
            if same {
                continue;
            }
            let section = if is_text(&doc, "stringData", key) {
                "stringData"
            } else if is_text(&doc, "data", key) || doc.get(&["data", key]).is_some() {
                "data"
            } else {
                default
            };
            refuse_uneditable(&doc, section, key)?;
            let path = edit::keys(&[section, key]);
            if section == "stringData" {
                edit::set_text(&mut doc, &path, want)?;
            } else {
                let encoded = crate::kube::base64(want.as_bytes());
                edit::set_written(&mut doc, &path, Value::String(encoded.clone()), &encoded)?;
            }
        }
        if let Some(namespace) = &self.namespace {
            let path = edit::keys(&["metadata", "namespace"]);
            if doc.get(&["metadata", "namespace"]).and_then(Value::as_str) != Some(namespace) {
                refuse_uneditable(&doc, "metadata", "namespace")?;
                edit::set(&mut doc, &path, Value::String(namespace.clone()))?;
            }
        }
        Ok(doc.text)
    }

    pub fn list(&self, side: Side) -> &[Account] {
        match side {
            Side::Incoming => &self.incoming,
            Side::Outgoing => &self.outgoing,
        }
    }

    fn list_mut(&mut self, side: Side) -> &mut Vec<Account> {
        match side {
            Side::Incoming => &mut self.incoming,
            Side::Outgoing => &mut self.outgoing,
        }
    }

    /// Brings one list to the wanted state as the values editor does: entries of names not
    /// in `want` stay where they are, a wanted secret replaces the first entry of its name
    /// (later duplicates go), an absent name goes, and new names come last in `order`.
    pub fn apply(&mut self, side: Side, want: &HashMap<String, Want>, order: &[String]) {
        let list = self.list_mut(side);
        let mut seen: Vec<String> = Vec::new();
        let mut out = Vec::with_capacity(list.len());
        for e in list.drain(..) {
            match want.get(&e.name) {
                None => out.push(e),
                Some(Want::Absent) => {}
                Some(Want::Secret(s)) => {
                    if !seen.contains(&e.name) {
                        seen.push(e.name.clone());
                        out.push(Account { name: e.name, secret: s.clone(), channel: None });
                    }
                }
            }
        }
        let mut names: Vec<&String> = want.keys().collect();
        names.sort_by_key(|n| order.iter().position(|o| o == *n).unwrap_or(usize::MAX));
        for name in names {
            if let Some(Want::Secret(s)) = want.get(name) {
                if !seen.contains(name) {
                    out.push(Account { name: name.clone(), secret: s.clone(), channel: None });
                }
            }
        }
        *list = out;
    }

    /// Every secret it holds, for masking.
    pub fn secrets(&self) -> Vec<String> {
        self.users
            .iter()
            .chain(&self.incoming)
            .chain(&self.outgoing)
            .map(|a| a.secret.clone())
            .collect()
    }
}

/// Refuses an edit of `section.key` of a manifest (nothing changed, the line named) when the
/// value is written so that an edit would change more than it, or would be read otherwise
/// than meant: an alias (`*name`) shares a value written elsewhere, a tag (`!!binary`) gives
/// it another type, a merge key `<<` supplies it too (an anchor read elsewhere, and a key only
/// a merge key supplies, are refused by the values editor itself).
fn refuse_uneditable(doc: &Doc, section: &str, key: &str) -> Result<(), ValuesError> {
    use crate::values::cst;
    use yaml_edit::SyntaxKind as K;
    edit::refuse_ambiguous(doc, &[section, key])?;
    let Some(top) = doc.top() else { return Ok(()) };
    let value = cst::lookup(&top, section)
        .and_then(|e| cst::entry_value(&e))
        .filter(|m| m.kind() == K::MAPPING)
        .and_then(|m| cst::lookup(&m, key))
        .and_then(|e| cst::entry_value(&e));
    let Some(value) = value else { return Ok(()) };
    let written = value.text().to_string();
    let written = written.split_whitespace().next().unwrap_or_default();
    let why = match value.kind() {
        K::ALIAS => format!(
            "{section}.{key} is the alias {written} of a value written elsewhere: substractl \
             does not edit it, as the two places would then differ; write the value out here"
        ),
        K::TAGGED_NODE => format!(
            "{section}.{key} is written with the tag {written}: substractl does not edit a \
             tagged value; write it without the tag"
        ),
        _ => return Ok(()),
    };
    Err(doc.shape_error(cst::range(&value).start, why))
}

/// Moves the credentials of a file whose store is its values file into a new manifest, in
/// memory: the users and both lists, in their order, into the Secret `name_pattern` (`{org}`:
/// the organization's name) in `namespace`; the values file keeps every other byte, with the
/// lists emptied and `existingSecret` naming the Secret, read back by the values editor. The
/// file's entries are read again first, so that a file edited in memory moves what it holds.
pub fn move_credentials(
    f: &mut BackendFile,
    name_pattern: &str,
    namespace: Option<&str>,
) -> anyhow::Result<Manifest> {
    let values = f.path().to_path_buf();
    let path = manifest_path(&values);
    let fill = |pattern: &str| pattern.replace("{org}", &f.name);
    f.values = BackendValues::read(f.values.doc.clone())?;
    for path in [
        &["addAccountOperator"][..],
        &["addAccountOperator", "existingSecret"],
        &["addAccountOperator", "users"],
        &["addAccountOperator", "incomingOrganizations"],
        &["addAccountOperator", "outgoingOrganizations"],
    ] {
        edit::refuse_ambiguous(f.doc(), path)?;
    }
    for key in LISTS {
        edit::refuse_ambiguous_within(f.doc(), &["addAccountOperator", key])?;
    }
    refuse_non_strings(f.doc())?;
    let name = fill(name_pattern);
    let namespace = namespace.map(fill);
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
    manifest.lines().map_err(|e| Explained::input(format!("{}: {e}", values.display())))?;
    // A file already where the manifest goes is written into, never over: it must be the
    // Secret `name`, and it keeps its credentials only when the values file holds none. Its
    // other bytes stay, its namespace too unless another one is asked for.
    let there = |what: &str| {
        format!(
            "{} is already there: substractl writes into it only when it is the Secret {name}, \
             and never over it; {what}",
            manifest.path.display()
        )
    };
    let existing = Manifest::read(&manifest.path, &name).map_err(|e| {
        Explained::input(e.to_string()).hint(there("move it away, or fix it, first"))
    })?;
    if let Some(existing) = existing {
        let count = |m: &Manifest| m.users.len() + m.incoming.len() + m.outgoing.len();
        if count(&manifest) > 0 && count(&existing) > 0 {
            return Err(Explained::input(format!(
                "{} holds {} credential entries already, and {} holds {} more: which ones the \
                 organization uses is not for substractl to guess",
                manifest.path.display(),
                count(&existing),
                values.display(),
                count(&manifest)
            ))
            .hint(there("empty the lists of one of the two, then run the command again"))
            .into());
        }
        let namespace = manifest.namespace.take().or(existing.namespace.clone());
        if count(&manifest) == 0 {
            manifest = existing;
        } else {
            manifest.original = existing.original;
        }
        manifest.namespace = namespace;
    }
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
    // substractl's own header said the file holds the credentials: it names the Secret now.
    if let Some(text) = crate::deployment::pairs::header_without_secrets(&doc.text) {
        let data = doc.data.clone();
        doc.accept(text, &data)?;
    }
    f.store = Store::Manifest(Box::new(manifest.clone()));
    Ok(manifest)
}

/// Refuses credentials (a name, secret or channel of the users and both lists) that are not
/// YAML strings: the chart prints `%!s(bool=true)` for `yes`, a Secret would hold `true`.
fn refuse_non_strings(doc: &Doc) -> Result<(), ValuesError> {
    for key in LISTS {
        let Some(Value::Array(items)) = doc.get(&["addAccountOperator", key]) else { continue };
        for (i, item) in items.iter().enumerate() {
            // The Secret's account lines carry a name, a secret and a channel: any other key
            // of an entry would be lost by the move.
            let extra = item.as_object().and_then(|m| {
                m.keys().find(|k| !["name", "secret", "channel"].contains(&k.as_str()))
            });
            if let Some(extra) = extra {
                let path = [
                    edit::Seg::Key("addAccountOperator"),
                    edit::Seg::Key(key),
                    edit::Seg::Index(i),
                    edit::Seg::Key(extra),
                ];
                return Err(doc.shape_error(
                    edit::offset_of(doc, &path),
                    format!(
                        "entry {} of addAccountOperator.{key} holds the key {extra:?}, which the \
                         Secret's account lines (name, secret, channel) cannot carry: moving the \
                         entry would lose it; remove it first",
                        i + 1
                    ),
                ));
            }
            for field in ["name", "secret", "channel"] {
                let value = match item.get(field) {
                    None | Some(Value::Null | Value::String(_)) => continue,
                    Some(v) => v,
                };
                let path = [
                    edit::Seg::Key("addAccountOperator"),
                    edit::Seg::Key(key),
                    edit::Seg::Index(i),
                    edit::Seg::Key(field),
                ];
                let kind = match value {
                    Value::Bool(_) => "a boolean",
                    Value::Number(_) => "a number",
                    _ => "not a text",
                };
                return Err(doc.shape_error(
                    edit::offset_of(doc, &path),
                    format!(
                        "the {field} of entry {} of addAccountOperator.{key} is {kind} to YAML, \
                         not a string: Helm would not pass it on as written; quote it \
                         (\"...\") first",
                        i + 1
                    ),
                ));
            }
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn org(n: &str, s: &str) -> Account {
        Account { name: n.into(), secret: s.into(), channel: None }
    }

    fn b64(s: &str) -> String {
        crate::kube::base64(s.as_bytes())
    }

    /// A manifest read from `text`, as `backend-x-accounts.yaml` of the Secret `acc`.
    fn read(text: &str) -> Result<Manifest, ValuesError> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("backend-x-accounts.yaml");
        std::fs::write(&path, text).expect("write");
        let mut m = Manifest::read(&path, "acc")?.expect("there");
        m.path = PathBuf::from("acc.yaml");
        Ok(m)
    }

    #[test]
    fn an_edit_changes_only_the_keys_whose_entries_changed() {
        let text = format!(
            "# kept by ops\nkind: Secret\napiVersion: v1\ntype: Opaque\nmetadata:\n  name: acc\n  \
             labels: {{team: ops}}\n  annotations:\n    owner: me # who\ndata:\n  db: {db}\n  \
             incoming_organizations: {inc} # in\n  outgoing_organizations: \"{out}\"\n  users: \
             \"\"\nstringData:\n  extra: |\n    hello\n",
            db = b64("pw"),
            inc = b64("a s1\nb s2\n"),
            out = b64("a s3\n"),
        );
        let mut m = read(&text).expect("reads");
        assert_eq!(m.text().expect("text"), text, "nothing changed, nothing written");
        m.incoming[1].secret = "s9".into();
        m.outgoing.push(org("c", "s4"));
        m.namespace = Some("ns".into());
        let after = m.text().expect("text");
        let want = text
            .replace(&b64("a s1\nb s2\n"), &b64("a s1\nb s9\n"))
            .replace(&format!("\"{}\"", b64("a s3\n")), &b64("a s3\nc s4\n"))
            // The namespace goes after the last key of metadata.
            .replace("    owner: me # who\n", "    owner: me # who\n  namespace: ns\n");
        assert_eq!(after, want);
        assert_eq!(read(&after).expect("reads back").outgoing.len(), 2);
    }

    #[test]
    fn a_block_emptied_keeps_the_lines_after_it() {
        let text = "kind: Secret\nmetadata:\n  name: acc\nstringData:\n  incoming_organizations: |\n    b s1\n\n  # how we log in to the others\n  outgoing_organizations: \"\"\n";
        let mut m = read(text).expect("reads");
        m.incoming.clear();
        assert_eq!(
            m.text().expect("text"),
            "kind: Secret\nmetadata:\n  name: acc\nstringData:\n  incoming_organizations: \"\"\n\n  # how we log in to the others\n  outgoing_organizations: \"\"\n"
        );
    }

    #[test]
    fn credentials_in_string_data_stay_text_there() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: acc\nstringData:\n  users: |- # admins\n      admin pw ch\n  incoming_organizations: \"a s1\\n\"\n";
        let mut m = read(text).expect("reads");
        m.users[0].secret = "pw2".into();
        m.incoming.push(org("b", "s2"));
        m.outgoing.push(org("a", "s3"));
        assert_eq!(
            m.text().expect("text"),
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: acc\nstringData:\n  users: | # admins\n      admin pw2 ch\n  incoming_organizations: \"a s1\\nb s2\\n\"\n  outgoing_organizations: \"a s3\\n\"\n"
        );
        // A key neither holds goes to data when the others are there.
        let text = format!(
            "kind: Secret\nmetadata: {{name: acc}}\ndata: {{users: {}}}\n",
            b64("admin pw ch\n")
        );
        let mut m = read(&text).expect("reads");
        m.incoming.push(org("a", "s1"));
        let after = m.text().expect("text");
        assert_eq!(
            after,
            format!(
                "kind: Secret\nmetadata: {{name: acc}}\ndata: {{users: {}, incoming_organizations: {}}}\n",
                b64("admin pw ch\n"),
                b64("a s1\n")
            )
        );
    }

    #[test]
    fn a_key_an_edit_would_change_more_than_is_refused_with_its_line() {
        let inc = b64("a s1\n");
        for (text, says) in [
            (
                format!("kind: Secret\nmetadata:\n  name: acc\ndata:\n  incoming_organizations: &i {inc}\n  outgoing_organizations: *i\n"),
                "acc.yaml:5:27: data.incoming_organizations holds the anchor &i",
            ),
            (
                format!("kind: Secret\nmetadata:\n  name: acc\nx: &i {inc}\ndata:\n  incoming_organizations: *i\n"),
                "acc.yaml:6:27: data.incoming_organizations is the alias *i of a value",
            ),
            (
                format!("kind: Secret\nmetadata:\n  name: acc\ndata:\n  incoming_organizations: !!str {inc}\n"),
                "acc.yaml:5:27: data.incoming_organizations is written with the tag !!str",
            ),
            (
                format!("kind: Secret\nmetadata:\n  name: acc\nbase: &b\n  incoming_organizations: {inc}\ndata:\n  <<: *b\n"),
                "acc.yaml:7:3: data.incoming_organizations comes from this merge key",
            ),
            (
                format!("kind: Secret\nmetadata:\n  name: acc\nbase: &b\n  incoming_organizations: {inc}\ndata:\n  <<: *b\n  incoming_organizations: {inc}\n"),
                "acc.yaml:7:3: data.incoming_organizations is written out and supplied by this merge key",
            ),
        ] {
            let mut m = read(&text).expect(&text);
            m.incoming[0].secret = "s2".into();
            let err = m.text().expect_err(&text).to_string();
            assert!(err.starts_with(says), "{text}\n{err}");
        }
        // Two documents are refused when the manifest is read.
        let err = read("kind: Secret\nmetadata:\n  name: acc\n---\nkind: Secret\n")
            .expect_err("two documents")
            .to_string();
        assert!(err.contains(":5:1: a Secret manifest holds one YAML document"), "{err}");
    }

    #[test]
    fn a_manifest_with_crlf_line_endings_keeps_them() {
        let text = "kind: Secret\r\nmetadata:\r\n  name: acc\r\nstringData:\r\n  users: |\r\n    admin pw ch\r\n  x: y\r\n";
        let mut m = read(text).expect("reads");
        m.users.push(Account { name: "b".into(), secret: "pw2".into(), channel: None });
        m.incoming.push(org("a", "s1"));
        assert_eq!(
            m.text().expect("text"),
            "kind: Secret\r\nmetadata:\r\n  name: acc\r\nstringData:\r\n  users: |\r\n    admin pw ch\r\n    b pw2\r\n  x: y\r\n  incoming_organizations: \"a s1\\n\"\r\n"
        );
    }

    #[test]
    fn a_new_manifest_is_what_kubectl_writes() {
        let mut m = Manifest::new(PathBuf::from("acc.yaml"), "acc", Some("ns"));
        m.incoming.push(org("a", "s1"));
        assert_eq!(
            m.text().expect("text"),
            format!(
                "apiVersion: v1\ndata:\n  incoming_organizations: {}\n  \
                 outgoing_organizations: \"\"\n  users: \"\"\nkind: Secret\nmetadata:\n  \
                 creationTimestamp: null\n  name: acc\n  namespace: ns\n",
                b64("a s1\n")
            )
        );
    }

    #[test]
    fn the_dry_run_view_shows_the_file_and_no_value_of_the_secret() {
        let before = format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: acc\n  \
             annotations:\n    copy: '{{\"data\":{{\"db\":\"{db}\"}}}}'\ndata:\n  db: {db}\n  \
             incoming_organizations: {inc}\nstringData:\n  other: |\n    hunter2-long\n  \
             users: |\n    admin adminpw ch\n",
            db = b64("dbpassword"),
            inc = b64("a s1-secret\n"),
        );
        let mut m = read(&before).expect("reads");
        m.incoming[0].secret = "s2-secret".into();
        let after = m.text().expect("text");
        let diff =
            masked_manifest_diff(Path::new("acc.yaml"), Some(&before), &after).expect("a Secret");
        for hidden in [
            b64("dbpassword"),
            "dbpassword".into(),
            b64("a s1-secret\n"),
            b64("a s2-secret\n"),
            "s1-secret".into(),
            "s2-secret".into(),
            "hunter2-long".into(),
            "adminpw".into(),
        ] {
            assert!(!diff.contains(&hidden), "{hidden} in\n{diff}");
        }
        assert!(diff.contains("\n   db: <not shown>\n"), "{diff}");
        assert!(diff.contains("\n   incoming_organizations: <base64 of the lines below>\n-      a ********\n+      a ********\n"), "{diff}");
        assert!(diff.contains("\n   other: <not shown>\n"), "{diff}");
        assert!(diff.contains("\n   users: <the lines below>\n"), "{diff}");
        // Out of the diff's context, the lines of users: the secret for the caller to mask.
        let shown = view(&after).expect("a Secret");
        assert!(shown.text.ends_with("  users: <the lines below>\n      admin adminpw ch\n"));
        assert_eq!(shown.secrets, ["s2-secret", "adminpw"]);
    }

    #[test]
    fn the_manifest_is_named_after_the_values_file() {
        let p = |s: &str| manifest_path(Path::new(s)).display().to_string();
        assert_eq!(p("d/backend-ingen-values.yaml"), "d/backend-ingen-accounts.yaml");
        assert_eq!(p("values.yaml"), "accounts.yaml");
        assert_eq!(p("d/ingen.yaml"), "d/ingen-accounts.yaml");
    }

    #[test]
    fn edits_keep_the_order_of_entries_they_do_not_touch() {
        let org = |n: &str, s: &str| Account { name: n.into(), secret: s.into(), channel: None };
        let mut m = Manifest::new(PathBuf::from("a.yaml"), "acc", None);
        m.incoming = vec![org("x", "1"), org("b", "2"), org("x", "3"), org("c", "4")];
        let want: HashMap<String, Want> = [
            ("x".to_string(), Want::Secret("9".into())),
            ("c".to_string(), Want::Absent),
            ("n".to_string(), Want::Secret("5".into())),
        ]
        .into_iter()
        .collect();
        m.apply(Side::Incoming, &want, &["n".into()]);
        assert_eq!(m.incoming, vec![org("x", "9"), org("b", "2"), org("n", "5")]);
    }
}

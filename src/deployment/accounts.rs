//! Where an organization's credentials are kept: its values file's `addAccountOperator` lists,
//! or, when the values file names `addAccountOperator.existingSecret`, the Secret manifest
//! beside it (`backend-<org>-values.yaml` -> `backend-<org>-accounts.yaml`), which holds the
//! keys `users`, `incoming_organizations` and `outgoing_organizations` in the chart's line
//! format ([`crate::values::accounts`]).
//!
//! The model reads the manifest once with its values file; checks and edits then work on the
//! entries whatever their store, and the manifest is written back as `kubectl create secret
//! generic` writes it, in the same change set as the values file.

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
use crate::values::accounts::{self, Account, INCOMING, OUTGOING, USERS};
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

/// The entries of a text if it is an account manifest (None otherwise), key by key.
fn manifest_entries(text: &str) -> Option<Vec<(&'static str, Vec<Account>)>> {
    let doc = Doc::from_text(Path::new(""), text.to_string(), true).ok()?;
    if doc.get(&["kind"]).and_then(Value::as_str) != Some("Secret") {
        return None;
    }
    let mut out = Vec::new();
    for key in [INCOMING, OUTGOING, USERS] {
        let Some(v) = doc.get(&["data", key]).and_then(Value::as_str) else { continue };
        let lines = if v.is_empty() {
            String::new()
        } else {
            String::from_utf8(crate::kube::base64_decode(v)?).ok()?
        };
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

/// A dry run's diff of an account manifest's texts (`before` None: a new file), as
/// [`Manifest::masked_diff`] shows it: its secrets and the `known` ones masked by `mask`. None
/// when `after` is not an account manifest.
pub fn masked_manifest_diff(
    path: &Path,
    before: Option<&str>,
    after: &str,
    known: &[String],
    mask: &mut dyn FnMut(&str) -> String,
) -> Option<String> {
    let view = |text: &str| -> Option<String> {
        let mut out = String::new();
        for (key, entries) in manifest_entries(text)? {
            for a in entries {
                out.push_str(&format!("{key}: {} {}", a.name, a.secret));
                if let Some(c) = &a.channel {
                    out.push_str(&format!(" {c}"));
                }
                out.push('\n');
            }
        }
        Some(out)
    };
    let new = view(after)?;
    let old = before.and_then(view).unwrap_or_default();
    let shown = crate::shell::one_line_path(path);
    let diff = similar::TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{shown}"), &format!("b/{shown}"))
        .to_string();
    let mut all = secrets_in_manifest_text(after);
    all.extend(before.map(secrets_in_manifest_text).unwrap_or_default());
    all.extend(known.iter().cloned());
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    Some(crate::mesh::mask_secrets_with(&diff, &all, mask))
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
    /// [`Manifest::view`] and [`Manifest::secrets`] as read, for a dry run's diff.
    pub original_view: String,
    pub original_secrets: Vec<String>,
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
            original_view: String::new(),
            original_secrets: Vec::new(),
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
        let doc = Doc::parse(path, Some(bytes))?;
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
            let text = match (doc.get(&["data", key]), doc.get(&["stringData", key])) {
                (_, Some(Value::String(s))) => s.clone(),
                (Some(Value::String(s)), None) => {
                    let bytes = crate::kube::base64_decode(s).ok_or_else(|| {
                        doc.shape_error(at(&["data", key]), format!("data.{key} is not base64"))
                    })?;
                    String::from_utf8(bytes).map_err(|_| {
                        doc.shape_error(at(&["data", key]), format!("data.{key} is not UTF-8"))
                    })?
                }
                (None | Some(Value::Null), None) => String::new(),
                _ => {
                    return Err(
                        doc.shape_error(at(&["data", key]), format!("data.{key} must be a string"))
                    )
                }
            };
            accounts::parse(&text, with_channel)
                .map_err(|e| doc.shape_error(at(&["data", key]), format!("{key}: {e}")))
        };
        let mut m = Manifest {
            path: path.to_path_buf(),
            name: name.to_string(),
            namespace,
            users: key(USERS, true)?,
            incoming: key(INCOMING, false)?,
            outgoing: key(OUTGOING, false)?,
            original: Some(doc.text.clone()),
            original_view: String::new(),
            original_secrets: Vec::new(),
        };
        m.original_view = m.view();
        m.original_secrets = m.secrets();
        Ok(Some(m))
    }

    /// The manifest as `kubectl create secret generic NAME --from-literal=users=...
    /// --from-literal=incoming_organizations=... --from-literal=outgoing_organizations=...
    /// [-n NAMESPACE] --dry-run=client -o yaml` writes it.
    pub fn text(&self) -> Result<String, accounts::LineError> {
        let incoming = accounts::render(&self.incoming)?;
        let outgoing = accounts::render(&self.outgoing)?;
        let users = accounts::render(&self.users)?;
        Ok(crate::kube::secret(
            &self.name,
            self.namespace.as_deref(),
            &[
                (INCOMING, incoming.as_bytes()),
                (OUTGOING, outgoing.as_bytes()),
                (USERS, users.as_bytes()),
            ],
        ))
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

    /// A dry run's diff of the manifest: its entries as [`Manifest::view`] shows them, before
    /// and after, with every secret masked by `mask`.
    pub fn masked_diff(&self, known: &[String], mask: &mut dyn FnMut(&str) -> String) -> String {
        let shown = crate::shell::one_line_path(&self.path);
        let after = self.view();
        let diff = similar::TextDiff::from_lines(&self.original_view, &after)
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{shown}"), &format!("b/{shown}"))
            .to_string();
        let mut all: Vec<String> = known.to_vec();
        all.extend(self.secrets());
        all.extend(self.original_secrets.iter().cloned());
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        crate::mesh::mask_secrets_with(&diff, &all, mask)
    }

    /// A text of the entries for a dry run's diff: one line per entry, `key: name secret
    /// [channel]`, the secrets to be masked by the caller.
    pub fn view(&self) -> String {
        let mut out =
            format!("# Secret {} ({})\n", self.name, crate::shell::one_line_path(&self.path));
        for (key, list) in
            [(INCOMING, &self.incoming), (OUTGOING, &self.outgoing), (USERS, &self.users)]
        {
            for a in list {
                out.push_str(&format!("{key}: {} {}", a.name, a.secret));
                if let Some(c) = &a.channel {
                    out.push_str(&format!(" {c}"));
                }
                out.push('\n');
            }
        }
        out
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
    manifest.text().map_err(|e| Explained::input(format!("{}: {e}", values.display())))?;
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
    f.store = Store::Manifest(Box::new(manifest.clone()));
    Ok(manifest)
}

/// Refuses credentials (a name, secret or channel of the users and both lists) that are not
/// YAML strings: the chart prints `%!s(bool=true)` for `yes`, a Secret would hold `true`.
fn refuse_non_strings(doc: &Doc) -> Result<(), ValuesError> {
    for key in LISTS {
        let Some(Value::Array(items)) = doc.get(&["addAccountOperator", key]) else { continue };
        for (i, item) in items.iter().enumerate() {
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

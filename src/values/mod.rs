//! The Helm values documents: strict reading, comment-preserving edits, and typed reads.
//!
//! A file is first read by a strict YAML parser (serde-saphyr), which gives the data and
//! precise syntax errors. Edits are then found on yaml-edit's lossless tree and made as byte
//! edits ([`cst`]), and every edited text is read back by the strict parser and compared with
//! the data the edit was meant to give: a file is never written from an edit that did not
//! read back as intended.

pub mod accounts;
pub mod backend;
pub mod cst;
pub mod documents;
pub mod edit;
pub mod goscan;
pub mod goyaml;
pub mod readback;
pub mod tls;

use std::path::{Path, PathBuf};

use serde_json::Value;

use cst::Node;

/// A values file that cannot be read or edited. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum ValuesError {
    #[error("{path}:{line}: the file is not valid UTF-8")]
    NotUtf8 { path: PathBuf, line: usize },
    #[error("{path}:{line}:{column}: {message}")]
    Syntax { path: PathBuf, line: usize, column: usize, message: String },
    #[error("{path}:{line}:{column}: {message}")]
    Shape { path: PathBuf, line: usize, column: usize, message: String },
    #[error("{path}: {message}")]
    Unsupported { path: PathBuf, message: String },
    #[error(
        "{path}: the lines end with a lone CR (carriage return, as on classic Mac OS); \
         convert the file to LF or CRLF line endings first, e.g. with `tr '\\r' '\\n'`"
    )]
    CrOnly { path: PathBuf },
    #[error(
        "{path}: the edit did not read back as intended, so the file was left alone; \
         please report this with a copy of the file (secrets removed)"
    )]
    Verify { path: PathBuf },
}

/// A parsed values file: its text, its lossless tree and its data.
#[derive(Debug, Clone)]
pub struct Doc {
    pub path: PathBuf,
    pub text: String,
    /// False for a file that does not exist yet (the text is then empty).
    pub exists: bool,
    pub data: Value,
    /// The lossless tree, parsed when the document is first edited (a run that only reads
    /// never needs it), and again when an edited document is edited further.
    root: std::cell::OnceCell<Node>,
}

impl Doc {
    /// Reads the bytes of a file (None: it does not exist) into a document.
    pub fn parse(path: &Path, bytes: Option<Vec<u8>>) -> Result<Doc, ValuesError> {
        let exists = bytes.is_some();
        let text = match bytes {
            None => String::new(),
            Some(b) => String::from_utf8(b).map_err(|e| {
                let valid = e.utf8_error().valid_up_to();
                let line = e.as_bytes()[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
                ValuesError::NotUtf8 { path: path.to_path_buf(), line }
            })?,
        };
        lone_cr(path, &text)?;
        Doc::from_text(path, text, exists)
    }

    pub fn from_text(path: &Path, text: String, exists: bool) -> Result<Doc, ValuesError> {
        let data = read_data(path, &text)?;
        if !matches!(data, Value::Object(_) | Value::Null) {
            let (line, column) = first_content(&text);
            return Err(ValuesError::Shape {
                path: path.to_path_buf(),
                line,
                column,
                message: "the top level of a values file must be a mapping".into(),
            });
        }
        let doc =
            Doc { path: path.to_path_buf(), text, exists, data, root: std::cell::OnceCell::new() };
        let tree = || doc.root.get_or_init(|| cst::parse(&doc.text)).clone();
        if let Some((at, message)) = goyaml::disagreement(&doc.text, tree) {
            return Err(doc.shape_error(at, message));
        }
        if let Some((at, message)) = goyaml::aliasing(&doc.text, tree) {
            return Err(doc.shape_error(at, message));
        }
        Ok(doc)
    }

    /// The top-level mapping node (through a tag such as `!!map`), None for an empty document.
    pub fn top(&self) -> Option<Node> {
        let root = self.root.get_or_init(|| cst::parse(&self.text));
        let content = cst::document_content(root)?;
        let content = if content.kind() == yaml_edit::SyntaxKind::TAGGED_NODE {
            content.children().find(|n| n.kind() == yaml_edit::SyntaxKind::MAPPING)?
        } else {
            content
        };
        (content.kind() == yaml_edit::SyntaxKind::MAPPING).then_some(content)
    }

    /// Where a first top-level block goes in a document without a mapping (empty, comments
    /// only, or a null such as `~`): the range it replaces, and whether a newline must come
    /// first.
    pub fn empty_insert(&self) -> (std::ops::Range<usize>, bool) {
        let root = self.root.get_or_init(|| cst::parse(&self.text));
        match cst::null_content(root).filter(|_| self.data.is_null()) {
            // A block cannot start on the line of `--- ~`: it goes on the next one.
            Some(r) => {
                let before = &self.text[cst::line_start(&self.text, r.start)..r.start];
                let blanks = before.len() - before.trim_end_matches([' ', '\t']).len();
                (r.start - blanks..r.end, blanks < before.len())
            }
            None => {
                let end = self.text.len();
                (end..end, !self.text.is_empty() && !self.text.ends_with('\n'))
            }
        }
    }

    /// An error about the shape of the node at `offset`.
    pub fn shape_error(&self, offset: usize, message: impl Into<String>) -> ValuesError {
        let (line, column) = cst::line_col(&self.text, offset);
        ValuesError::Shape { path: self.path.clone(), line, column, message: message.into() }
    }

    /// Replaces the text with an edited one, after checking that it reads back as `expected`.
    pub fn accept(&mut self, text: String, expected: &Value) -> Result<(), ValuesError> {
        let pending = Pending { path: self.path.clone(), text, expected: expected.clone() };
        pending.check()?;
        self.take(pending.text, pending.expected);
        Ok(())
    }

    /// Takes an edited text whose data was checked (see [`Pending::check`]).
    pub fn take(&mut self, text: String, data: Value) {
        self.root = std::cell::OnceCell::new();
        self.text = text;
        self.data = data;
    }

    /// The data at a path of mapping keys, if present.
    pub fn get(&self, path: &[&str]) -> Option<&Value> {
        path.iter().try_fold(&self.data, |v, k| v.get(k))
    }
}

/// An edited text waiting to be checked: it must read back as `expected`. Plain data, so that
/// many can be checked side by side ([`check_all`]).
#[derive(Debug, Clone)]
pub struct Pending {
    pub path: PathBuf,
    pub text: String,
    pub expected: Value,
}

impl Pending {
    /// Reads the text with the strict parser and compares it with what the edit meant; the
    /// document's data is then `expected`.
    pub fn check(&self) -> Result<(), ValuesError> {
        let verify = || {
            if self.text.starts_with('\u{feff}') {
                // yaml-edit reads the byte order mark as text, the strict parser skips it.
                return ValuesError::Shape {
                    path: self.path.clone(),
                    line: 1,
                    column: 1,
                    message: "the file starts with a byte order mark (U+FEFF), which substractl \
                              cannot edit around: remove it (sed -i '1s/^\\xEF\\xBB\\xBF//' FILE)"
                        .into(),
                };
            }
            ValuesError::Verify { path: self.path.clone() }
        };
        if readback::reads_as(&self.text, &self.expected) {
            Ok(())
        } else {
            Err(verify())
        }
    }
}

/// Checks pending edits on all the machine's cores; results in the same order.
pub fn check_all(pending: &[Pending]) -> Vec<Result<(), ValuesError>> {
    crate::par::map(pending, crate::par::cores(), Pending::check, |p| {
        Err(ValuesError::Verify { path: p.path.clone() })
    })
}

/// Reads YAML text into data with the strict parser; syntax errors carry line and column.
fn read_data(path: &Path, text: &str) -> Result<Value, ValuesError> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_saphyr::from_str_with_options::<Value>(text, helm_options()).map_err(|e| {
        let (line, column) =
            e.location().map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
        ValuesError::Syntax { path: path.to_path_buf(), line, column, message: first_line(&e) }
    })
}

/// The strict parser's options for values files: numbers as Helm's YAML reader (go-yaml v2,
/// YAML 1.1) reads them, where a plain integer with a leading zero is octal (`0755` is 493).
pub(crate) fn helm_options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.legacy_octal_numbers = true;
    // The ratio of aliases to anchors is not what Helm's reader limits (a hundred aliases of one
    // anchor are read): go-yaml v2's own count is followed instead (`goyaml::aliasing`); the
    // budgets of nodes, events and depth stand.
    let mut budget = serde_saphyr::Budget::default();
    budget.enforce_alias_anchor_ratio = false;
    options.budget = Some(budget);
    options
}

/// The message of a parser error without its location prefix and source excerpt.
fn first_line(e: &serde_saphyr::Error) -> String {
    let text = e.to_string();
    let line = text.lines().next().unwrap_or("invalid YAML").trim();
    let line = line.strip_prefix("error:").unwrap_or(line).trim();
    // "line 3 column 2: message" -> "message"
    let line = match line.strip_prefix("line ") {
        Some(rest) => rest.split_once(": ").map_or(line, |(_, msg)| msg),
        None => line,
    };
    if line.contains("budget breached") {
        // The parser's limits on work (nodes, events, aliases, depth) protect against files
        // that are not values files, or are built to exhaust memory.
        return "the file holds far more YAML than a values file does (over 250,000 values, \
                many aliases or nesting deeper than 64 levels): check that it is the right file"
            .into();
    }
    if line.starts_with("multiple YAML documents") {
        return "substractl reads and edits files of one YAML document, and this one has several \
                (a second `---`)"
            .into();
    }
    if line.starts_with("duplicate mapping key") {
        // The key is not repeated: an operator may have written a secret as a key.
        return "this key is written a second time in its mapping: keep one".into();
    }
    if let Some((kind, _)) = line.split_once(": ").filter(|(k, _)| k.starts_with("invalid ")) {
        // `invalid type: string "..."`: the value is not repeated either.
        return plain_message(line).unwrap_or(kind).to_string();
    }
    plain_message(line).unwrap_or(line).to_string()
}

/// Refuses a text with a lone CR: yaml-edit and the strict parser disagree on them, so new
/// lines would be misplaced.
pub(crate) fn lone_cr(path: &Path, text: &str) -> Result<(), ValuesError> {
    if text.split('\r').skip(1).any(|after| !after.starts_with('\n')) {
        return Err(ValuesError::CrOnly { path: path.to_path_buf() });
    }
    Ok(())
}

/// The line and column (from 1) where the content of a document starts: past blank lines,
/// comments and a `---` line.
fn first_content(text: &str) -> (usize, usize) {
    for (i, line) in text.lines().enumerate() {
        let body = line.trim_start_matches([' ', '\t']);
        let marker = line.strip_prefix("---").is_some_and(|rest| {
            let rest_trimmed = rest.trim_matches([' ', '\t', '\r']);
            rest.is_empty()
                || rest.starts_with([' ', '\t', '\r'])
                    && (rest_trimmed.is_empty() || rest_trimmed.starts_with('#'))
        });
        if body.trim_end().is_empty() || body.starts_with('#') || marker {
            continue;
        }
        return (i + 1, line.len() - body.len() + 1);
    }
    (1, 1)
}

/// The parser's messages about keys and numbers it does not take, in the words of a values file.
fn plain_message(line: &str) -> Option<&'static str> {
    Some(if line.starts_with("cannot deserialize null into string") {
        "a key here is null (`~`, `null` or nothing): write it as text, quoted (\"null\") if \
         it is the word"
    } else if line == "expected string scalar" {
        "a key here is a list or a mapping (`? [...]`, `? {...}`): write each key as a \
         single text value"
    } else if line.starts_with("cannot deserialize tagged scalar") {
        "substractl does not read this tagged value (a tag such as `!!timestamp`, or a tag other \
         than `!!str` on a key), though Helm's YAML reader may: write it without its tag"
    } else if matches!(
        line,
        "invalid u64" | "invalid i64" | "invalid floating point" | "invalid boolean"
    ) {
        "substractl does not read this value as its tag (`!!int`, `!!float`, `!!bool`) says, \
         though Helm's YAML reader may (it drops `_` from numbers and reads `0x` under \
         `!!float`): write the value plainly, without its tag"
    } else if line == "alias references unknown anchor" {
        "this alias names no anchor written before it (an alias used as a key needs a blank \
         before its colon: `*name :`)"
    } else if line.starts_with("non-finite float") {
        "this value is infinity or not-a-number (`.inf`, `.nan`) or a number too large for \
         substractl's reader (`1e400`, which Helm's YAML reader takes for text): quote it \
         (\".inf\") if it is text, or write a finite number"
    } else {
        return None;
    })
}

/// Every scalar that a document holds under a `secret` (or `password`) key, at any depth
/// (admin users included), as Helm reads it: for masking.
pub fn secrets_in(data: &Value) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    if k == "secret" || k == "password" {
                        every_scalar(v, out);
                    } else {
                        walk(v, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    /// Whatever a `secret` key holds, even a list or a mapping, is secret.
    fn every_scalar(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => map.values().for_each(|v| every_scalar(v, out)),
            Value::Array(items) => items.iter().for_each(|v| every_scalar(v, out)),
            other => out.extend(backend::scalar_text(other)),
        }
    }
    let mut out = Vec::new();
    walk(data, &mut out);
    out
}

/// [`secrets_in`] for a text (nothing when it does not parse).
pub fn secrets_in_text(text: &str) -> Vec<String> {
    read_data(Path::new(""), text).map(|d| secrets_in(&d)).unwrap_or_default()
}

/// What a dry run's diff of a text must hide, found by parsing it (nothing when it does not
/// parse): the account operator's secrets (the [`secrets_in`] of `addAccountOperator`: the
/// pair secrets and the admin users' passwords), and every other credential
/// ([`credentials_in`], and whatever a `secret` or `password` key holds elsewhere).
#[derive(Debug, Default)]
pub struct Hidden {
    pub accounts: Vec<String>,
    pub credentials: Vec<String>,
}

/// [`Hidden`] of a text.
pub fn hidden_in_text(text: &str) -> Hidden {
    let Ok(data) = read_data(Path::new(""), text) else { return Hidden::default() };
    let mut accounts = data.get("addAccountOperator").map(secrets_in).unwrap_or_default();
    let mut credentials = credentials_in(&data);
    credentials.extend(secrets_in(&data));
    credentials.extend(private_keys_in(&data));
    let numbers = accounts.iter().chain(&credentials).any(|c| c.parse::<f64>().is_ok());
    if numbers || text.contains('\\') || text.contains("binary") {
        // A credential is found by what YAML reads; its text as written (`0x5EC12E7A`,
        // `"hun\x74er2"`) may be elsewhere in the file (a comment) too.
        let mut accounts_written = Vec::new();
        for (decoded, written) in written_forms(text) {
            if accounts.contains(&decoded) {
                accounts_written.push(written);
            } else {
                credentials.push(written);
            }
        }
        accounts.extend(accounts_written);
    }
    if text.contains("PRIVATE KEY") || text.contains("LS0tLS1CRUdJT") {
        credentials.extend(private_key_lines(text));
    }
    let held: std::collections::HashSet<&String> = accounts.iter().collect();
    credentials.retain(|c| !held.contains(c));
    credentials.sort();
    credentials.dedup();
    Hidden { accounts, credentials }
}

/// Every text a document holds, under any key, that holds a PEM private key (`-----BEGIN
/// PRIVATE KEY-----`, `RSA`, `EC`, `ENCRYPTED`, `OPENSSH`): a key is a credential wherever it
/// stands (`tls.key: |`).
fn private_keys_in(data: &Value) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => map.values().for_each(|v| walk(v, out)),
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            Value::String(s) if holds_private_key(s) => out.push(s.clone()),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(data, &mut out);
    out
}

/// The text, as written, of the credentials a text holds where it differs from what YAML reads
/// (each with what it reads as): an unquoted number (`0x5EC12E7A`, `1.5e10`), a double-quoted
/// text with escapes (`"hun\x74er2"`), and `!!binary` text (its base64), under a credential
/// key or as the `value` beside a credential's `name`; and `!!binary` text, under any key,
/// that holds a private key.
fn written_forms(text: &str) -> Vec<(String, String)> {
    use yaml_edit::SyntaxKind as K;
    let root = cst::parse(text);
    let mut out = Vec::new();
    let binary = |scalar: &Node| {
        scalar.parent().is_some_and(|p| {
            p.kind() == K::TAGGED_NODE
                && p.first_token().is_some_and(|t| cst::yaml_tag(t.text()) == Some("binary"))
        })
    };
    for map in root.descendants().filter(|n| n.kind() == K::MAPPING) {
        let named_credential = cst::entries(&map).any(|e| {
            cst::entry_key(&e).as_deref() == Some("name")
                && cst::entry_value(&e)
                    .and_then(|v| cst::scalar_string(&cst::untagged(&v)))
                    .is_some_and(|name| is_credential_key(&name))
        });
        for entry in cst::entries(&map) {
            let Some(value) = cst::entry_value(&entry) else { continue };
            let key = cst::entry_key(&entry).unwrap_or_default();
            let credential = is_credential_key(&key) || (named_credential && key == "value");
            let scalars = std::iter::once(value.clone())
                .chain(value.descendants())
                .filter(|n| n.kind() == K::SCALAR);
            for scalar in scalars {
                let written = scalar.text().to_string().trim().to_string();
                let decoded = cst::scalar_string(&scalar).unwrap_or_default();
                let inner = match cst::quote_of(&scalar) {
                    Some(_) => written.get(1..written.len().saturating_sub(1)).unwrap_or_default(),
                    None => written.as_str(),
                };
                let shown = if binary(&scalar) || holds_private_key(&decoded) {
                    // A private key, under any key: as written too (`!!binary`, escapes).
                    credential || holds_private_key(&decoded) || {
                        let bytes: String = decoded.split_whitespace().collect();
                        base64::Engine::decode(
                            &base64::engine::general_purpose::STANDARD,
                            bytes.as_bytes(),
                        )
                        .is_ok_and(|b| holds_private_key(&String::from_utf8_lossy(&b)))
                    }
                } else {
                    // Whatever a credential's value reads as (a number under `!!int "0x.."`),
                    // its text is hidden as written; a switch or a null is no credential.
                    credential
                        && !inner.is_empty()
                        && !read_data(Path::new(""), inner)
                            .is_ok_and(|v| v.is_boolean() || v.is_null())
                };
                if shown {
                    out.push((decoded, inner.to_string()));
                }
            }
        }
    }
    out
}

/// Whether a text holds a private key: a PEM or PGP private key block (`-----BEGIN ...
/// PRIVATE KEY...`), as it is or in base64 (as a Kubernetes Secret's data holds it).
fn holds_private_key(text: &str) -> bool {
    let pem = |t: &str| t.contains("-----BEGIN") && t.contains("PRIVATE KEY");
    if pem(text) {
        return true;
    }
    let bytes: String = text.split_whitespace().collect();
    bytes.contains("LS0tLS1CRUdJT")
        && base64::Engine::decode(&base64::engine::general_purpose::STANDARD, bytes.as_bytes())
            .is_ok_and(|b| pem(&String::from_utf8_lossy(&b)))
}

/// The base64 of every private key a text holds as it is written, comments included: the runs
/// of base64 after a `BEGIN ... PRIVATE KEY` marker up to its `END` marker (over lines, or on
/// one line: a key commented out, split over a flow list), and a key written in base64.
fn private_key_lines(text: &str) -> Vec<String> {
    let base64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=');
    let runs = |t: &str| -> Vec<String> {
        t.split(|c: char| !base64(c)).filter(|run| run.len() >= 8).map(String::from).collect()
    };
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let mut rest = line;
        loop {
            if inside {
                // Up to its end, or to the next block's start (a block left open).
                let end = rest.find("-----END");
                let next = rest.find("-----BEGIN");
                match (end, next) {
                    (_, Some(next)) if end.is_none_or(|end| next < end) => {
                        out.extend(runs(&rest[..next]));
                        inside = false;
                        rest = &rest[next..];
                    }
                    (Some(end), _) => {
                        out.extend(runs(&rest[..end]));
                        inside = false;
                        rest = &rest[end + "-----END".len()..];
                    }
                    _ => {
                        out.extend(runs(rest));
                        break;
                    }
                }
            } else {
                match rest.find("-----BEGIN") {
                    Some(begin) => {
                        let after = &rest[begin + "-----BEGIN".len()..];
                        // The marker's own words up to its closing dashes are no key.
                        let close = after.find("-----").map_or(after.len(), |i| i + 5);
                        inside = after[..close].contains("PRIVATE KEY");
                        rest = &after[close..];
                    }
                    None => break,
                }
            }
        }
        // A key written in base64 (`LS0tLS1CRUdJTi...` is `-----BEGIN`).
        for run in runs(line).iter().filter(|r| r.contains("LS0tLS1CRUdJT")) {
            let start = run.find("LS0tLS1CRUdJT").unwrap_or(0);
            let run = &run[start..];
            let whole = &run[..run.len() - run.len() % 4];
            let decoded = base64::Engine::decode(
                &base64::engine::general_purpose::STANDARD_NO_PAD,
                whole.trim_end_matches('='),
            );
            if decoded.is_ok_and(|b| String::from_utf8_lossy(&b).contains("PRIVATE KEY")) {
                out.push(run.to_string());
            }
        }
    }
    out
}

/// The endings of a key's name (in lower case, without `_`, `-` and `.`) that make its value
/// a credential: `password`, `postgresPassword`, `rootPassword`, `secret`, `clientSecret`,
/// `token`, `apiKey`, `AWS_SECRET_ACCESS_KEY`...
const CREDENTIAL_KEYS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "secretkey",
    "privatekey",
    "secretaccesskey",
];

/// Whether the value of a key of this name is a credential (see [`CREDENTIAL_KEYS`]). A key
/// whose name starts with `existing` (`existingSecret`) names a Kubernetes Secret, not a
/// credential; so do the keys that end otherwise (`credentialsSecretName`,
/// `existingSecretPasswordKey`, `pullSecrets`), which the endings leave out.
pub fn is_credential_key(key: &str) -> bool {
    let name: String = key
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | '.'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    !name.starts_with("existing") && CREDENTIAL_KEYS.iter().any(|end| name.ends_with(end))
}

/// Every credential a values document holds, as Helm reads it, at any depth: the value of
/// every key [`is_credential_key`] takes (`secret` and `password` as in [`secrets_in`], and
/// `postgresql.auth.postgresPassword`, `minio.auth.rootPassword`, `redis.auth.password`, a
/// `clientSecret`, a `token`...), a list there item by item, and the `value` of every `{name,
/// value}` pair whose name is one (a container's `env`: `AWS_SECRET_ACCESS_KEY`). Booleans
/// and nulls are switches, not credentials (`forcePassword: true`); an http or https URL is
/// an address (`oidc.provider.endpoints.token`), of which only a password in its user info is
/// a credential. Nothing is left out for its length or for being a placeholder: that is the
/// caller's to decide.
pub fn credentials_in(data: &Value) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                if let (Some(Value::String(name)), Some(value)) =
                    (map.get("name"), map.get("value"))
                {
                    if is_credential_key(name) {
                        credential(value, out);
                    }
                }
                for (k, v) in map {
                    if is_credential_key(k) && !v.is_object() {
                        credential(v, out);
                    } else {
                        walk(v, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    /// The credential a credential key holds: a scalar, or each item of a list (a mapping in
    /// it is read key by key).
    fn credential(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.extend(unless_address(s)),
            Value::Number(n) => out.push(n.to_string()),
            Value::Array(items) => items.iter().for_each(|i| match i {
                Value::Object(_) => walk(i, out),
                other => credential(other, out),
            }),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(data, &mut out);
    out
}

/// `text`, unless it is an http or https URL: then only the password of its user info.
fn unless_address(text: &str) -> Option<String> {
    let lower = text.trim().to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Some(text.to_string());
    }
    let url = reqwest::Url::parse(text.trim()).ok()?;
    url.password().map(percent_decoded)
}

/// `%XX` escapes decoded (as UTF-8, lossily).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(b) if bytes[i] == b'%' => {
                out.push(b);
                i += 3;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a YAML file may hold `c` at all (YAML's printable characters): not the
/// noncharacters U+FFFE and U+FFFF, surrogates or C0/C1 controls but tab, line feed, carriage
/// return and NEL. A name holding another cannot be written in any file a YAML reader reads.
pub fn yaml_printable(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}'
        | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// A YAML scalar for a string: plain when that reads back as the same string, else
/// double-quoted.
pub fn scalar(s: &str) -> String {
    if plain_is_safe(s) {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
    }
}

fn plain_is_safe(s: &str) -> bool {
    const RESERVED: &[&str] =
        &["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~", "nan", "inf"];
    let Some(first) = s.chars().next() else { return false };
    (first.is_ascii_alphabetic() || first == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
        && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_back_as_strings() {
        for s in ["ingen", "OwkinPeerMSP", "123", "true", "a:b", "#x", "Yes", "1e3", "a b", "", "é"]
        {
            let text = format!("k: {}\n", scalar(s));
            let v: Value = serde_saphyr::from_str(&text).expect("valid");
            assert_eq!(v["k"], Value::String(s.into()), "{text}");
        }
    }

    #[test]
    fn credentials_are_found_by_the_names_of_their_keys() {
        let text = "a:\n  rootPassword: r00t\n  client_secret: 12345678\n  existingSecret: sec\n\
                    \x20 forcePassword: true\n  secretName: n\n  API-KEY: [k1, k2]\n\
                    \x20 token: https://idp.example/token\n  dbPassword: \"postgres://u:p%40ss@db/x\"\n\
                    \x20 url_token: \"https://u:t%2Fk@h/\"\n  secret: {name: n, data: d}\n\
                    env:\n  - {name: DATABASE_PASSWORD, value: dbpw}\n  - {name: HOST, value: h}\n";
        let data = read_data(Path::new("x.yaml"), text).expect("reads");
        let mut found = credentials_in(&data);
        found.sort();
        assert_eq!(
            found,
            ["12345678", "dbpw", "k1", "k2", "postgres://u:p%40ss@db/x", "r00t", "t/k"]
        );
    }

    #[test]
    fn a_diff_hides_the_account_secrets_and_every_other_credential() {
        let text = "addAccountOperator:\n  users: [{name: admin, secret: AdminPw1}]\n\
                    \x20 incomingOrganizations: [{name: a, secret: PairSecret2}]\n\
                    postgresql: {auth: {postgresPassword: PgPw3, password: postgres}}\n\
                    env: [{name: API_TOKEN, value: Tok4}]\nsecret: {name: n1, data: d1}\n";
        let hidden = hidden_in_text(text);
        assert_eq!(hidden.accounts, ["AdminPw1", "PairSecret2"]);
        assert_eq!(hidden.credentials, ["PgPw3", "Tok4", "d1", "n1", "postgres"]);
        assert!(hidden_in_text("a: {{ .Values.x }}\n").credentials.is_empty());
    }

    #[test]
    fn a_hundred_aliases_of_one_anchor_are_read_as_helm_reads_them() {
        let text = format!("s: &s x\nl: [{}]\n", vec!["*s"; 150].join(", "));
        let doc = Doc::parse(Path::new("x.yaml"), Some(text.into_bytes())).expect("reads");
        assert_eq!(doc.get(&["l"]).and_then(Value::as_array).map(Vec::len), Some(150));
    }

    #[test]
    fn a_private_key_is_hidden_under_any_key() {
        // The markers are put together here, so that no key-shaped text stands in the sources.
        let pem = |text: &str| {
            let marker = |kind: &str, what: &str| format!("-----{kind} {what}KEY-----");
            text.replace(
                "<BPGP>",
                &marker("BEGIN", "PGP PRIVATE ").replace("KEY-----", "KEY BLOCK-----"),
            )
            .replace("<BEC>", &marker("BEGIN", "EC PRIVATE "))
            .replace("<B>", &marker("BEGIN", "PRIVATE "))
            .replace("<E>", &marker("END", "PRIVATE "))
        };
        let text = "tls:\n  key: |\n    <B>\n    MC4CAQAwBQYDK2VwBCIEIA\n    \
                    <E>\nextra: {k: \"<BEC>\\nMHc\\n\"}\n\
                    cert: \"-----BEGIN CERTIFICATE-----\"\n";
        let hidden = hidden_in_text(&pem(text));
        assert!(hidden.credentials.iter().any(|c| c.contains("MC4CAQAwBQYDK2VwBCIEIA")));
        assert!(hidden.credentials.iter().any(|c| c.contains("MHc")));
        assert!(!hidden.credentials.iter().any(|c| c.contains("CERTIFICATE")));
        // Commented out, and as `!!binary`: hidden as written.
        let text = "# <B>\n# MC4CAQAwBQYDK2VwBCIEIB\n# <E>\n\
                    k: !!binary LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1DNA==\n";
        let hidden = hidden_in_text(&pem(text));
        assert!(hidden.credentials.iter().any(|c| c == "MC4CAQAwBQYDK2VwBCIEIB"), "{hidden:?}");
        assert!(hidden.credentials.iter().any(|c| c.starts_with("LS0tLS1CRUdJTi")), "{hidden:?}");
        // On one line, split over a list, in base64, escaped, a PGP block.
        for (text, body) in [
            ("# old: <B> MC4CAQAwBQYDK2VwBCIEIC <E>\n", "MC4CAQAwBQYDK2VwBCIEIC"),
            ("k: [<B>, MC4CAQAwBQYDK2VwBCIEID, <E>]\n", "MC4CAQAwBQYDK2VwBCIEID"),
            (
                "k: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1DNENBUUF3QlFZREsyVndCQ0lFSUU=\n",
                "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1DNENBUUF3QlFZREsyVndCQ0lFSUU=",
            ),
            ("k: \"<B>\\nMC4CAQA\\x77BQYDK2V\\n<E>\\n\"\n", "MC4CAQA\\x77BQYDK2V"),
            ("k: \"<BPGP>\\n\\nlQOYBF2lAbCdEfGh\\n\"\n", "lQOYBF2lAbCdEfGh"),
        ] {
            let hidden = hidden_in_text(&pem(text));
            assert!(hidden.credentials.iter().any(|c| c.contains(body)), "{text}: {hidden:?}");
        }
    }

    #[test]
    fn a_credential_written_with_escapes_is_hidden_as_written() {
        let text = "a:\n  \"pass\\x77ord\": \"hun\\x74er2\"\n  incoming:\n    - {\"s\\x65cret\": \"\\x4fOb2qg\"}\n\
                    env: {name: DB_PASSWORD,\n  value: \"hun\\x74er3\"}\npassword: !!int \"0x5EC12E7A\"\n\
                    apiKey: !!float '1e9'\nforcePassword: !!bool \"true\"\n";
        let hidden = hidden_in_text(text);
        assert!(!hidden.credentials.iter().any(|c| c == "true"), "{hidden:?}");
        for written in ["hun\\x74er2", "\\x4fOb2qg", "hun\\x74er3", "0x5EC12E7A", "1e9"] {
            assert!(hidden.credentials.iter().any(|c| c == written), "{written}: {hidden:?}");
        }
    }

    #[test]
    fn a_number_credential_is_hidden_as_written_too() {
        let text =
            "# was 0x5EC12E7A, 0o7654321, 1.5e10, 0b1011011101111\npostgresql:\n  auth:\n    \
                    password: 0x5EC12E7A\n    rootPassword: [0o7654321]\nenv:\n  - name: \
                    API_TOKEN\n    value: 1.5e10\n  - {name: x, value: 0b1011011101111}\n\
                    forcePassword: true\n";
        let hidden = hidden_in_text(text);
        for written in ["0x5EC12E7A", "0o7654321", "1.5e10"] {
            assert!(hidden.credentials.iter().any(|c| c == written), "{written}: {hidden:?}");
        }
        // Not a credential's value, and a switch: neither is hidden.
        assert!(!hidden.credentials.iter().any(|c| c == "0b1011011101111" || c == "true"));
    }

    #[test]
    fn integers_with_a_leading_zero_are_octal_as_helm_reads_them() {
        // go-yaml v2 resolves a plain integer with strconv.ParseInt(s, 0, 64): a leading 0
        // is octal.
        let text = "a: 0755\nb: 0123\nc: 007\nd: 0\ne: 10\nf: -010\ng: '0755'\nh: 089\n";
        let v = read_data(Path::new("x.yaml"), text).expect("reads");
        eprintln!("{v}");
        assert_eq!(v["a"], 493);
        assert_eq!(v["b"], 83);
        assert_eq!(v["c"], 7);
        assert_eq!(v["d"], 0);
        assert_eq!(v["e"], 10);
        assert_eq!(v["f"], -8);
        assert_eq!(v["g"], "0755");
        assert!(super::readback::reads_as(text, &v));
    }

    #[test]
    fn syntax_errors_name_file_line_and_column() {
        let err = Doc::parse(Path::new("x.yaml"), Some(b"a: 1\n  b: 2\n".to_vec()))
            .expect_err("bad yaml");
        assert_eq!(err.to_string(), "x.yaml:2:4: mapping values are not allowed in this context");
        let err = Doc::parse(Path::new("x.yaml"), Some(b"a: 1\nb: \xff\n".to_vec()))
            .expect_err("not utf-8");
        assert_eq!(err.to_string(), "x.yaml:2: the file is not valid UTF-8");
        let err = Doc::parse(Path::new("x.yaml"), Some(b"a: 1\n---\nb: 2\n".to_vec()))
            .expect_err("two documents");
        assert_eq!(
            err.to_string(),
            "x.yaml:3:1: substractl reads and edits files of one YAML document, and this one has several (a second `---`)"
        );
        let huge = format!("a: [{}]\n", "1,".repeat(300_000));
        let err = Doc::parse(Path::new("x.yaml"), Some(huge.into_bytes())).expect_err("budget");
        assert!(err.to_string().contains("far more YAML than a values file"), "{err}");
        assert!(!err.to_string().contains("budget"), "{err}");
        // A key written twice is not repeated in the message: it may be a secret.
        let err = Doc::parse(Path::new("x.yaml"), Some(b"a:\n  S3cret: 1\n  S3cret: 2\n".to_vec()))
            .expect_err("duplicate");
        assert_eq!(
            err.to_string(),
            "x.yaml:3:3: this key is written a second time in its mapping: keep one"
        );
        let err = Doc::parse(Path::new("x.yaml"), Some(b"a: 1\rb: 2\r".to_vec())).expect_err("cr");
        assert!(err.to_string().starts_with("x.yaml: the lines end with a lone CR"), "{err}");
        let err =
            Doc::parse(Path::new("x.yaml"), Some(b"- a\n".to_vec())).expect_err("not a mapping");
        assert!(err.to_string().contains("top level"));
    }
}

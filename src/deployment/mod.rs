//! The deployment directory read once: every backend values file and the orchestrator values,
//! each parsed once, with typed views of what Helm deploys from them.
//!
//! A view holds the values a running backend or orchestrator ends up with: the file's values
//! over the chart's own defaults ([`chart`]), switches read as the program reads them
//! (SUBSTRA.md section 8). Every command and every check reads values from here; the editing
//! machinery of [`crate::values`] works on the same parsed documents.
//!
//! A command that writes opens the model while it holds the workspace lock, so that what it
//! decides from the files is what they hold when it writes.

pub mod accounts;
pub mod audit;
pub mod chart;
pub mod pairs;
pub mod secrets;

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::values::backend::{BackendValues, Side};
use crate::values::documents::OneOf;
use crate::values::edit::{self, Seg, Written};
use crate::values::{cst, Doc, ValuesError};
use crate::workspace::{self, FindError, Workspace, WsError};
pub use accounts::{Credential, Manifest, Store};
use chart::{and, coalesced, go_bool, render, to_bool, truthy};

/// The file `init` writes with each release's chart and version.
pub const HELMFILE: &str = "helmfile.yaml";

/// Why a deployment cannot be read. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum DeploymentError {
    #[error("{0} does not exist")]
    Missing(PathBuf),
    #[error(transparent)]
    Ws(#[from] WsError),
    #[error(transparent)]
    Values(#[from] ValuesError),
}

/// What a backend runs with, as Helm deploys its values file.
#[derive(Debug, Clone, Serialize)]
pub struct Backend {
    /// `organizationName`.
    pub organization_name: String,
    /// `orchestrator.mspID`: the file's, else the chart's default (`OwkinPeerMSP`); empty when
    /// the file removes it with null.
    pub msp_id: String,
    /// The file does not set `orchestrator.mspID`, so the chart's default applies.
    #[serde(skip)]
    pub msp_id_from_chart: bool,
    /// `ORCHESTRATOR_HOST` and `ORCHESTRATOR_PORT`: where the backend dials.
    pub orchestrator_host: String,
    pub orchestrator_port: String,
    /// The file does not set `orchestrator.host`, so the chart's `orchestrator.local` applies.
    #[serde(skip)]
    pub orchestrator_host_from_chart: bool,
    /// `ORCHESTRATOR_TLS_ENABLED` as the backend's `to_bool` reads it.
    pub tls: bool,
    /// `ORCHESTRATOR_MTLS_ENABLED` (`and tls.enabled mtls.enabled`) as `to_bool` reads it.
    pub mtls: bool,
    /// The chart mounts the CA volume (`if tls.enabled`: any non-empty string is true).
    #[serde(skip)]
    pub tls_mounted: bool,
    /// The names of `orchestrator.channels`: the keys of its single-key maps, or plain strings.
    pub channels: Vec<String>,
    /// The file does not set `orchestrator.channels`, so the chart's `mychannel` applies.
    #[serde(skip)]
    pub channels_from_chart: bool,
    /// `server.defaultDomain`: the address this backend announces (shown without user info
    /// or query, which may hold credentials).
    #[serde(serialize_with = "url_shown")]
    pub default_domain: String,
    /// The file does not set `server.defaultDomain`, so the chart's `localhost` applies.
    #[serde(skip)]
    pub default_domain_from_chart: bool,
}

/// A URL as reports show it: without user info or query.
fn url_shown<S: serde::Serializer>(url: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::probe::redact::without_credentials(url))
}

impl Backend {
    /// Reads a backend's values over the chart's defaults.
    pub fn of(data: &Value) -> Backend {
        let d = chart::backend_defaults();
        let get = |path: &[&str]| coalesced(data, d, path);
        let text = |path: &[&str]| render(get(path));
        let tls = get(&["orchestrator", "tls", "enabled"]);
        let mtls = get(&["orchestrator", "tls", "mtls", "enabled"]);
        let user_msp = data.get("orchestrator").and_then(|o| o.get("mspID"));
        let user_host = data.get("orchestrator").and_then(|o| o.get("host"));
        let user_channels = data.get("orchestrator").and_then(|o| o.get("channels"));
        Backend {
            organization_name: text(&["organizationName"]),
            msp_id: text(&["orchestrator", "mspID"]),
            msp_id_from_chart: user_msp.is_none() && !removed(data, &["orchestrator"]),
            orchestrator_host: text(&["orchestrator", "host"]),
            orchestrator_port: text(&["orchestrator", "port"]),
            orchestrator_host_from_chart: user_host.is_none() && !removed(data, &["orchestrator"]),
            tls: to_bool(&render(tls)),
            mtls: to_bool(&render(and(&[tls, mtls]))),
            tls_mounted: truthy(tls),
            channels: channel_names(get(&["orchestrator", "channels"])),
            channels_from_chart: user_channels.is_none() && !removed(data, &["orchestrator"]),
            // As written: a blank around it (a no-break space) is deployed too.
            default_domain: text(&["server", "defaultDomain"]),
            default_domain_from_chart: data
                .get("server")
                .and_then(|s| s.get("defaultDomain"))
                .is_none_or(|d| d.is_null()),
        }
    }

    /// The port as a number, when it is one.
    pub fn port(&self) -> Option<u16> {
        self.orchestrator_port.trim().parse().ok()
    }
}

/// True when the file sets this key to null.
fn removed(data: &Value, path: &[&str]) -> bool {
    path.iter().try_fold(data, |v, k| v.get(k)).is_some_and(Value::is_null)
}

/// The channel names of a backend's `orchestrator.channels`.
fn channel_names(list: Option<&Value>) -> Vec<String> {
    let Some(Value::Array(items)) = list else { return Vec::new() };
    let mut names = Vec::new();
    for item in items {
        match item {
            Value::Object(map) => names.extend(map.keys().cloned()),
            Value::String(s) => names.push(s.clone()),
            _ => {}
        }
    }
    names
}

/// A channel of the orchestrator: its name and member MSP IDs.
#[derive(Debug, Clone, Serialize)]
pub struct Channel {
    pub name: String,
    pub organizations: Vec<String>,
}

/// What the orchestrator runs with, as Helm deploys its values file.
#[derive(Debug, Clone, Serialize)]
pub struct Orchestrator {
    /// `if ingress.enabled`.
    pub ingress: bool,
    /// `ingress.hostname` when the ingress is on and names one.
    pub hostname: Option<String>,
    /// `ORCHESTRATOR_TLS_ENABLED`, read by Go's ParseBool.
    pub tls: bool,
    /// `ORCHESTRATOR_MTLS_ENABLED` (`and tls.enabled mtls.enabled`).
    pub mtls: bool,
    /// `orchestrator.verifyClientMSPID` as written (it takes effect only with TLS and mTLS).
    pub verify_client_msp_id: bool,
    /// `service.port`: the in-cluster Service's port.
    pub service_port: String,
    pub channels: Vec<Channel>,
    /// The keys of `orchestrator.tls.mtls.clientCACerts`.
    pub client_ca_keys: Vec<String>,
}

impl Orchestrator {
    /// Reads the orchestrator's values over the chart's defaults; the channels must be the
    /// chart's list of `{name, organizations}` (its template cannot render anything else).
    pub fn of(doc: &Doc) -> Result<Orchestrator, ValuesError> {
        let data = &doc.data;
        let d = chart::orchestrator_defaults();
        let get = |path: &[&str]| coalesced(data, d, path);
        let tls = get(&["orchestrator", "tls", "enabled"]);
        let mtls = get(&["orchestrator", "tls", "mtls", "enabled"]);
        let verify = get(&["orchestrator", "verifyClientMSPID"]);
        let ingress = truthy(get(&["ingress", "enabled"]));
        let hostname = render(get(&["ingress", "hostname"])).trim().to_string();
        // Keys Helm reads otherwise than written (`yes:` is `true`) name no MSP ID it matches.
        let problem = doc.top().and_then(|top| {
            let maps: Vec<cst::Node> =
                cst::values_at(&top, &top, &["orchestrator", "tls", "mtls", "clientCACerts"])
                    .iter()
                    .filter_map(|m| cst::resolve(&top, m))
                    .filter(|m| m.kind() == yaml_edit::SyntaxKind::MAPPING)
                    .collect();
            crate::values::backend::key_read_otherwise(&top, &maps)
        });
        if let Some((at, key, what)) = problem {
            let message = crate::values::backend::key_read_otherwise_message(
                "clientCACerts",
                "MSP ID",
                &key,
                what,
            );
            return Err(doc.shape_error(at, message));
        }
        let client_ca_keys = match get(&["orchestrator", "tls", "mtls", "clientCACerts"]) {
            Some(Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        };
        Ok(Orchestrator {
            ingress,
            hostname: (ingress && !hostname.is_empty()).then_some(hostname),
            tls: go_bool(&render(tls)).unwrap_or(false),
            mtls: go_bool(&render(and(&[tls, mtls]))).unwrap_or(false),
            verify_client_msp_id: go_bool(&render(verify)).unwrap_or(false),
            service_port: render(get(&["service", "port"])),
            channels: orchestrator_channels(doc, get(&["channels"]))?,
            client_ca_keys,
        })
    }

    /// The members of a channel, if the orchestrator defines it.
    pub fn channel(&self, name: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.name == name)
    }
}

/// The text Helm renders for a value of the orchestrator's values file, over the chart's
/// defaults (`orchestrator.tls.cacert`, `orchestrator.tls.secrets.pair`); empty when neither
/// sets it.
pub fn orchestrator_text(doc: &Doc, path: &[&str]) -> String {
    render(coalesced(&doc.data, chart::orchestrator_defaults(), path)).trim().to_string()
}

/// The orchestrator's `channels`, each a mapping with a name and a list of MSP IDs.
fn orchestrator_channels(doc: &Doc, list: Option<&Value>) -> Result<Vec<Channel>, ValuesError> {
    let items = match list {
        None => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => {
            let at = offset_of(doc, &["channels"], None);
            return Err(doc.shape_error(
                at,
                "channels must be a list of {name: CHANNEL, organizations: [MSPID, ...]}",
            ));
        }
    };
    let mut channels = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let name = item.get("name").and_then(Value::as_str).filter(|n| !n.is_empty());
        let orgs = match item.get("organizations") {
            None | Some(Value::Null) => Some(Vec::new()),
            Some(Value::Array(orgs)) => orgs.iter().map(|o| o.as_str().map(String::from)).collect(),
            Some(_) => None,
        };
        match (item.is_object(), name, orgs) {
            (true, Some(name), Some(organizations)) => {
                channels.push(Channel { name: name.to_string(), organizations })
            }
            _ => {
                let at = offset_of(doc, &["channels"], Some(i));
                return Err(doc.shape_error(
                    at,
                    format!(
                        "each entry of channels must be a mapping {{name: CHANNEL, organizations: \
                         [MSPID, ...]}}, not {}: the orchestrator chart cannot render it",
                        describe(item)
                    ),
                ));
            }
        }
    }
    Ok(channels)
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the name {s:?} alone"),
        Value::Object(_) => {
            "a mapping without a name or with organizations that are not a list of names".into()
        }
        Value::Array(_) => "a list".into(),
        other => format!("{other}"),
    }
}

/// The offset of a key's value (or of one item of the list there) in a document, for
/// messages; the start of the nearest enclosing key when the exact place is not written.
/// Refuses orchestrator values whose `clientCACerts` an edit keyed by an MSP ID of `added`
/// that the chart cannot name a volume after (see [`chart::client_ca_volume_problems`]): the
/// Deployment would be refused by Kubernetes. The error names the file and the MSP ID, no
/// line: the edit that would add the key was not written.
pub fn check_client_ca_volumes(doc: &Doc, added: &[&str]) -> Result<(), ValuesError> {
    match client_ca_volume_problem(doc, added) {
        Some(message) => Err(ValuesError::Unsupported { path: doc.path.clone(), message }),
        None => Ok(()),
    }
}

/// What [`check_client_ca_volumes`] refuses, and why.
pub fn client_ca_volume_problem(doc: &Doc, added: &[&str]) -> Option<String> {
    const PATH: [&str; 4] = ["orchestrator", "tls", "mtls", "clientCACerts"];
    let Some(Value::Object(map)) = doc.get(&PATH) else { return None };
    let keys: Vec<String> = map.keys().cloned().collect();
    let problems = chart::client_ca_volume_problems(&keys);
    let (key, why) = problems.into_iter().find(|(k, _)| added.contains(&k.as_str()))?;
    Some(format!(
        "MSP ID {key:?}: {why}. With mTLS, each MSP ID must be ASCII letters, digits, '-' \
             and '_', at most 32 characters in kebab case (OwkinPeerMSP is owkin-peer-msp), and \
             unlike the others in kebab case"
    ))
}

fn offset_of(doc: &Doc, path: &[&str], item: Option<usize>) -> usize {
    let Some(mut node) = doc.top() else { return 0 };
    let mut at = 0;
    for (i, key) in path.iter().enumerate() {
        let Some(entry) = cst::lookup(&node, key) else { return at };
        at = cst::range(&entry).start;
        let Some(value) = cst::entry_value(&entry) else { return at };
        at = cst::range(&value).start;
        if i + 1 < path.len() {
            node = value;
        } else if let Some(n) = item {
            if let Some(it) = cst::items(&value).get(n) {
                at = cst::range(it).start;
            }
        }
    }
    at
}

/// The line of a key's value in a document (1 when the file does not write it).
pub fn line_of(doc: &Doc, path: &[&str]) -> usize {
    cst::line_col(&doc.text, offset_of(doc, path, None)).0
}

/// The line of the `item`-th item of a list (of the list itself when it has fewer).
pub fn line_of_item(doc: &Doc, path: &[&str], item: usize) -> usize {
    cst::line_col(&doc.text, offset_of(doc, path, Some(item))).0
}

/// A warning about a file of the deployment, with its place.
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub path: PathBuf,
    pub line: usize,
    /// The value it is about (`orchestrator.tls.enabled`), or `chart`.
    pub key: String,
    pub message: String,
    pub hint: String,
}

/// One organization's backend values file: its name (by the file name pattern), the parsed
/// document with the entries `link` edits, and what Helm deploys from it.
#[derive(Debug, Clone)]
pub struct BackendFile {
    pub name: String,
    pub values: BackendValues,
    /// The text as read, to tell whether an edit changed it and to show a diff.
    pub original: String,
    /// What the backend runs with, as read (edits made since are not in it).
    pub view: Backend,
    /// Where its credentials are: the values file's lists or the Secret manifest it names.
    pub store: Store,
}

impl BackendFile {
    fn read(name: &str, doc: Doc) -> Result<BackendFile, ValuesError> {
        let msp_id = doc.get(&["orchestrator", "mspID"]);
        if matches!(msp_id, Some(Value::Array(_) | Value::Object(_))) {
            let at = offset_of(&doc, &["orchestrator", "mspID"], None);
            return Err(
                doc.shape_error(at, "orchestrator.mspID must be a name, not a list or a mapping")
            );
        }
        let original = if doc.exists { doc.text.clone() } else { String::new() };
        let view = Backend::of(&doc.data);
        let store = match accounts::existing_secret(&doc.data) {
            None => Store::Values,
            Some(secret) => {
                let path = accounts::manifest_path(&doc.path);
                match Manifest::read(&path, &secret)? {
                    Some(m) => Store::Manifest(Box::new(m)),
                    None => Store::Missing { name: secret, path },
                }
            }
        };
        let values = BackendValues::read(doc)?;
        Ok(BackendFile { name: name.to_string(), values, original, view, store })
    }

    /// The entries of one organization list, from wherever the chart takes them: the
    /// manifest when the values file names one (none when it is missing), else the file.
    pub fn credentials(&self, side: Side) -> Vec<Credential> {
        crate::deployment::accounts::credentials_of(&self.values, &self.store, side)
    }

    /// Why its credentials cannot be read: the values file names a Secret whose manifest is
    /// not in the directory.
    pub fn credentials_missing(&self) -> Option<String> {
        match &self.store {
            Store::Missing { name, path } => Some(format!(
                "{} names addAccountOperator.existingSecret {name}, and {} is not there",
                self.path().display(),
                path.display()
            )),
            _ => None,
        }
    }

    /// The values file itself holds credentials: a non-empty `users`,
    /// `incomingOrganizations` or `outgoingOrganizations`.
    /// Whether the values file holds a credential that is not empty and not a placeholder
    /// (`REPLACE-ME`, the guide's `organizationSecret`...): one that must not be committed.
    pub fn values_hold_real_credentials(&self) -> bool {
        self.doc()
            .get(&["addAccountOperator"])
            .map(|aao| {
                ["users", "incomingOrganizations", "outgoingOrganizations"]
                    .iter()
                    .filter_map(|k| aao.get(k))
                    .flat_map(crate::values::secrets_in)
                    .any(|s| !s.is_empty() && !crate::mesh::is_placeholder(&s))
            })
            .unwrap_or(false)
    }

    pub fn values_hold_credentials(&self) -> bool {
        ["users", "incomingOrganizations", "outgoingOrganizations"].iter().any(|k| {
            self.doc()
                .get(&["addAccountOperator", k])
                .and_then(Value::as_array)
                .is_some_and(|l| !l.is_empty())
        })
    }

    /// The manifest's change, when its entries differ from what was read.
    pub fn manifest_change(
        &self,
    ) -> Result<Option<(PathBuf, Option<String>, String)>, ValuesError> {
        let Store::Manifest(m) = &self.store else { return Ok(None) };
        let text = m.text().map_err(|e| ValuesError::Unsupported {
            path: m.path.clone(),
            message: e.to_string(),
        })?;
        if m.original.as_deref() == Some(text.as_str()) {
            return Ok(None);
        }
        Ok(Some((m.path.clone(), m.original.clone(), text)))
    }

    pub fn doc(&self) -> &Doc {
        &self.values.doc
    }

    pub fn path(&self) -> &Path {
        &self.values.doc.path
    }

    pub fn changed(&self) -> bool {
        !self.doc().exists
            || self.doc().text != self.original
            || self.manifest_change().map_or(true, |c| c.is_some())
    }

    /// The line of `orchestrator.mspID` (1 when the file does not write it).
    pub fn msp_id_line(&self) -> usize {
        line_of(self.doc(), &["orchestrator", "mspID"])
    }

    /// The switches written as something other than a YAML boolean.
    pub fn notes(&self) -> Vec<Note> {
        let mut out = Vec::new();
        for path in
            [&["orchestrator", "tls", "enabled"][..], &["orchestrator", "tls", "mtls", "enabled"]]
        {
            if let Some(note) = switch_note(self.doc(), path, Reader::Backend) {
                out.push(note);
            }
        }
        out
    }
}

/// The orchestrator values file: the document (to edit) and what Helm deploys from it.
#[derive(Debug, Clone)]
pub struct OrchestratorFile {
    pub doc: Doc,
    pub view: Orchestrator,
}

impl OrchestratorFile {
    pub fn read(doc: Doc) -> Result<OrchestratorFile, ValuesError> {
        let view = Orchestrator::of(&doc)?;
        Ok(OrchestratorFile { doc, view })
    }

    pub fn notes(&self) -> Vec<Note> {
        let mut out = Vec::new();
        for path in [
            &["orchestrator", "tls", "enabled"][..],
            &["orchestrator", "tls", "mtls", "enabled"],
            &["orchestrator", "verifyClientMSPID"],
            &["ingress", "enabled"],
        ] {
            let reader = if path[0] == "ingress" { Reader::Template } else { Reader::Orchestrator };
            if let Some(note) = switch_note(&self.doc, path, reader) {
                out.push(note);
            }
        }
        out
    }
}

/// Who reads a switch besides the chart's `if`.
#[derive(Clone, Copy)]
enum Reader {
    /// The backend, through its ConfigMap and `to_bool`.
    Backend,
    /// The orchestrator, through its ConfigMap and Go's ParseBool.
    Orchestrator,
    /// Only the chart's templates.
    Template,
}

/// A note when a switch is written as anything but a YAML boolean: the chart's templates and
/// the program may read it differently (SUBSTRA.md section 8).
fn switch_note(doc: &Doc, path: &[&str], reader: Reader) -> Option<Note> {
    let value = path.iter().try_fold(&doc.data, |v, k| v.get(k))?;
    if matches!(value, Value::Bool(_) | Value::Null) {
        return None;
    }
    let on = |b: bool| if b { "on" } else { "off" };
    let template = on(truthy(Some(value)));
    let shown = match value {
        Value::String(s) => format!("{s:?} (a string)"),
        other => format!("{other} (not a boolean)"),
    };
    let program = match reader {
        Reader::Backend => format!(", the backend {}", on(to_bool(&render(Some(value))))),
        Reader::Orchestrator => match go_bool(&render(Some(value))) {
            Some(b) => format!(", the orchestrator {}", on(b)),
            None => ", the orchestrator cannot read it at all".to_string(),
        },
        Reader::Template => String::new(),
    };
    let key = path.join(".");
    Some(Note {
        path: doc.path.clone(),
        line: line_of(doc, path),
        message: format!("{key} is {shown}: the chart's templates read it as {template}{program}"),
        hint: format!("write {key}: true or {key}: false"),
        key,
    })
}

/// The chart versions of the releases in the directory's helmfile.yaml that differ from the
/// ones whose defaults substractl holds: their defaults may differ, so say so.
pub fn chart_notes(dir: &Path) -> Result<Vec<Note>, DeploymentError> {
    let path = workspace::in_dir(dir, Path::new(HELMFILE));
    let Some(bytes) = workspace::read(&path)? else { return Ok(Vec::new()) };
    let Ok(doc) = OneOf::parse(&path, Some(bytes), "releases").map(|(doc, _)| doc) else {
        return Ok(Vec::new());
    };
    let Some(releases) = doc.get(&["releases"]).and_then(Value::as_array) else {
        return Ok(Vec::new());
    };
    let mut notes = Vec::new();
    for (i, r) in releases.iter().enumerate() {
        let chart = r.get("chart").and_then(Value::as_str).unwrap_or_default();
        let known = match chart {
            chart::BACKEND_CHART => chart::BACKEND_VERSION,
            chart::ORCHESTRATOR_CHART => chart::ORCHESTRATOR_VERSION,
            _ => continue,
        };
        // helmfile reads a version written as a number as its text: `26.150` is not `26.15`.
        let at = [Seg::Key("releases"), Seg::Index(i), Seg::Key("version")];
        let version = match (r.get("version"), edit::written(&doc, &at)) {
            (Some(v), Written::Plain(text)) if v.is_number() => text,
            (v, _) => v.map(|v| render(Some(v))).unwrap_or_default(),
        };
        if version == known {
            continue;
        }
        let line = cst::line_col(&doc.text, offset_of(&doc, &["releases"], Some(i))).0;
        let name = r.get("name").map(|v| render(Some(v))).unwrap_or_default();
        let shown = if version.is_empty() {
            "no version".to_string()
        } else {
            format!("version {version}")
        };
        notes.push(Note {
            path: path.clone(),
            line,
            key: "chart".into(),
            message: format!(
                "release {name} uses {chart} {shown}; substractl knows the defaults of {known}: \
                 where a values file leaves a key out, the checks take {known}'s default"
            ),
            hint: format!(
                "compare the keys these checks read with `helm show values {chart} --version {version}`, \
                 or set them in the values files"
            ),
        });
    }
    Ok(notes)
}

/// A deployment directory read once: the backends asked for and the orchestrator values.
#[derive(Debug)]
pub struct Deployment {
    pub ws: Workspace,
    pub backends: Vec<BackendFile>,
    /// Where the orchestrator values are (or would be).
    pub orchestrator_path: PathBuf,
    /// None when the file does not exist or was not asked for.
    pub orchestrator: Option<OrchestratorFile>,
}

/// What to read of a directory.
#[derive(Default)]
pub struct Select<'a> {
    /// The organizations, by file name; empty: every file that matches the pattern.
    pub orgs: &'a [String],
    /// Start the missing files of `orgs` with this text (else a missing file is an error).
    pub create: Option<&'a dyn Fn(&str) -> String>,
    /// The orchestrator values file (relative to the directory), when it is read.
    pub orchestrator: Option<&'a Path>,
}

impl Deployment {
    /// Reads the files of a directory, each once. A command that writes holds the lock of the
    /// directory while it calls this.
    pub fn open(ws: &Workspace, select: Select<'_>) -> Result<Deployment, DeploymentError> {
        let discovered;
        let orgs = if select.orgs.is_empty() && ws.dir.is_dir() {
            discovered = ws.discover()?;
            &discovered
        } else {
            select.orgs
        };
        let mut backends = Vec::with_capacity(orgs.len());
        for org in orgs {
            let path = ws.path_of(org);
            let doc = match (workspace::read(&path)?, select.create) {
                (Some(bytes), _) => Doc::parse(&path, Some(bytes))?,
                (None, Some(new_text)) => Doc::from_text(&path, new_text(org), false)?,
                (None, None) => return Err(DeploymentError::Missing(path)),
            };
            backends.push(BackendFile::read(org, doc)?);
        }
        let orchestrator_path =
            ws.file(select.orchestrator.unwrap_or(Path::new("orchestrator-values.yaml")));
        let orchestrator = match select.orchestrator {
            None => None,
            Some(_) => match workspace::read(&orchestrator_path)? {
                None => None,
                Some(bytes) => {
                    Some(OrchestratorFile::read(Doc::parse(&orchestrator_path, Some(bytes))?)?)
                }
            },
        };
        Ok(Deployment { ws: ws.clone(), backends, orchestrator_path, orchestrator })
    }

    /// Every note about the files read: switches that are not YAML booleans, and chart
    /// versions other than the ones whose defaults substractl holds.
    pub fn notes(&self) -> Result<Vec<Note>, DeploymentError> {
        let mut out = if self.ws.dir.is_dir() { chart_notes(&self.ws.dir)? } else { Vec::new() };
        for b in &self.backends {
            out.extend(b.notes());
        }
        if let Some(o) = &self.orchestrator {
            out.extend(o.notes());
        }
        Ok(out)
    }
}

/// Reads one backend values file that must exist (`name`: the organization's by the file
/// name pattern, or empty).
pub fn read_backend(path: &Path, name: &str) -> Result<BackendFile, DeploymentError> {
    let Some(bytes) = workspace::read(path)? else {
        return Err(DeploymentError::Missing(path.to_path_buf()));
    };
    Ok(BackendFile::read(name, Doc::parse(path, Some(bytes))?)?)
}

/// The backend values file of the organization whose MSP ID (as Helm deploys it) is
/// `msp_id`: the file of that name, or else the one file in the directory with that MSP ID.
pub fn find_by_msp_id(ws: &Workspace, msp_id: &str) -> Result<BackendFile, FindError> {
    // A file whose MSP ID is written out and supplied by a merge key `<<` too has two MSP IDs
    // (YAML readers disagree on which wins): it is refused, not guessed.
    let read = |org: &str, path: &Path, bytes| -> Result<BackendFile, FindError> {
        let file = BackendFile::read(org, Doc::parse(path, Some(bytes))?)?;
        crate::values::edit::refuse_ambiguous(file.doc(), &["orchestrator", "mspID"])?;
        Ok(file)
    };
    let by_name = ws.path_of(msp_id);
    if let Some(bytes) = workspace::read(&by_name)? {
        let file = read(msp_id, &by_name, bytes)?;
        if file.view.msp_id != msp_id {
            return Err(FindError::OtherId {
                path: by_name,
                found: file.view.msp_id,
                msp_id: msp_id.to_string(),
            });
        }
        return Ok(file);
    }
    let mut found = Vec::new();
    for org in ws.discover()? {
        let path = ws.path_of(&org);
        let Some(bytes) = workspace::read(&path)? else { continue };
        let file = read(&org, &path, bytes)?;
        if file.view.msp_id == msp_id {
            found.push(file);
        }
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(FindError::NoBackend {
            msp_id: msp_id.to_string(),
            dir: if ws.dir.as_os_str().is_empty() { PathBuf::from(".") } else { ws.dir.clone() },
            expected: by_name,
        }),
        _ => Err(FindError::Several {
            msp_id: msp_id.to_string(),
            dir: ws.dir.clone(),
            paths: found.into_iter().map(|f| f.path().to_path_buf()).collect(),
        }),
    }
}

#[cfg(test)]
mod tests;

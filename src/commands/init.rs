//! `substractl init`: a whole deployment of several organizations in one change set.
//!
//! The answers (flags, prompts or defaults) become the orchestrator's and every backend's
//! values, every pair linked by [`super::link::plan`], the certificates and manifests of
//! [`super::certs::stage`], a `helmfile.yaml` and a `NEXT-STEPS.md`. Everything is decided in
//! memory and written in one commit of the workspace, so a second run on the same directory
//! keeps the CA, the certificates and every secret, and adds only the organizations that are new.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use time::OffsetDateTime;

use super::certs::{self, ORCHESTRATOR_VALUES, SECRETS};
use super::link::{self, Planned};
use crate::cli::{CertsGenArgs, InitArgs};
use crate::error::hints;
use crate::error::Explained;
use crate::kube::{self, Release};
use crate::output::Printer;
use crate::report::init::{
    contexts_of, mtls_flag, tls_flag, InitOrg, InitReport, DEFAULT_CHANNEL, DEFAULT_HOST,
    DEFAULT_ORGS, DEFAULT_OUT, DEFAULT_PLAIN_ADDRESS, DEFAULT_TLS_ADDRESS, NEXT_STEPS,
    ORCHESTRATOR,
};
use crate::report::link::{FileReport, FileStatus};
use crate::values::edit::{self, keys};
use crate::values::{Doc, ValuesError};
use crate::workspace::{self, Change, ChangeSet, Workspace, DEFAULT_PATTERN, PUBLIC_MODE};

/// Each organization's backend release (in its own namespace).
pub const BACKEND_RELEASE: &str = "backend";
pub const HELMFILE: &str = "helmfile.yaml";
/// What a dry run shows of a file that holds a private key.
const KEY_NOT_SHOWN: &str = "(private key, not shown)";

/// The deployment asked for, every question answered.
#[derive(Debug, Clone)]
pub struct Answers {
    pub orgs: Vec<String>,
    pub channels: Vec<String>,
    pub backend_address: String,
    pub orchestrator_host: String,
    pub tls: bool,
    pub mtls: bool,
    /// Kube context by organization, and by [`ORCHESTRATOR`] for the orchestrator's.
    pub contexts: BTreeMap<String, String>,
    pub out: PathBuf,
}

impl Answers {
    fn context(&self, who: &str) -> String {
        self.contexts.get(who).cloned().unwrap_or_else(|| who.to_string())
    }
}

/// The namespace of an organization's backend.
pub fn namespace_of(org: &str) -> String {
    format!("org-{}", org.to_ascii_lowercase())
}

/// The flags a run without a terminal and without --yes must be given: each question that
/// no flag answers.
pub fn missing_flags(args: &InitArgs) -> Vec<String> {
    let mut missing = Vec::new();
    if args.orgs.is_empty() {
        missing.push("ORG... (the organizations, as arguments)".to_string());
    }
    if args.channels.is_empty() {
        missing.push("--channel".into());
    }
    if args.backend_address.is_none() {
        missing.push("--backend-address".into());
    }
    if args.orchestrator_host.is_none() {
        missing.push("--orchestrator-host".into());
    }
    match tls_flag(args) {
        None => missing.push("--tls or --no-tls".into()),
        Some(true) if mtls_flag(args).is_none() => missing.push("--mtls or --no-mtls".into()),
        Some(_) => {}
    }
    let given = contexts_of(args).unwrap_or_default();
    let lacking: Vec<&str> = args
        .orgs
        .iter()
        .map(String::as_str)
        .chain([ORCHESTRATOR])
        .filter(|o| !given.contains_key(*o))
        .collect();
    if !lacking.is_empty() {
        missing.push(format!("--context ORG=CONTEXT (for {})", lacking.join(", ")));
    }
    if args.out.is_none() {
        missing.push("--out".into());
    }
    missing
}

/// Refuses a run that would have to ask without a terminal to ask on.
pub fn require_flags(args: &InitArgs) -> anyhow::Result<()> {
    let missing = missing_flags(args);
    if missing.is_empty() {
        return Ok(());
    }
    Err(Explained::input(format!(
        "init asks its questions only on a terminal; without one, give {}",
        missing.join(", ")
    ))
    .hint(hints::INIT_PASS_YES)
    .into())
}

/// The answers of the flags, defaults for the rest; checked.
pub fn answers(args: &InitArgs) -> anyhow::Result<Answers> {
    let orgs: Vec<String> = if args.orgs.is_empty() {
        DEFAULT_ORGS.iter().map(|o| o.to_string()).collect()
    } else {
        args.orgs.clone()
    };
    link::check_names(&orgs)?;
    for org in &orgs {
        crate::pki::leaf::check_mspid(org)?;
        if org == ORCHESTRATOR || !kube::valid_namespace(&namespace_of(org)) {
            return Err(Explained::input(format!(
                "organization {org:?} cannot name a namespace org-{org}"
            ))
            .hint(hints::INIT_NAMESPACE_NAME)
            .into());
        }
    }
    let channels: Vec<String> = if args.channels.is_empty() {
        vec![DEFAULT_CHANNEL.to_string()]
    } else {
        args.channels.clone()
    };
    for c in &channels {
        link::check_channel(c)?;
    }
    let tls = tls_flag(args).unwrap_or(true);
    let mtls = mtls_flag(args).unwrap_or(tls);
    if mtls && !tls {
        return Err(Explained::input("--mtls needs TLS: drop --no-tls or pass --no-mtls").into());
    }
    let backend_address = args.backend_address.clone().unwrap_or_else(|| {
        if tls { DEFAULT_TLS_ADDRESS } else { DEFAULT_PLAIN_ADDRESS }.to_string()
    });
    if !backend_address.contains("{org}") {
        return Err(Explained::input(format!(
            "--backend-address {backend_address}: it must contain {{org}}, or every backend would register one address"
        ))
        .into());
    }
    if !(backend_address.starts_with("http://") || backend_address.starts_with("https://")) {
        return Err(Explained::input(format!(
            "--backend-address {backend_address}: it must start with http:// or https://"
        ))
        .into());
    }
    let orchestrator_host =
        args.orchestrator_host.clone().unwrap_or_else(|| DEFAULT_HOST.to_string());
    crate::pki::leaf::Name::parse(&orchestrator_host)
        .map_err(|e| Explained::input(format!("--orchestrator-host {orchestrator_host}: {e}")))?;
    let contexts = contexts_of(args)?;
    if let Some(unknown) = contexts.keys().find(|k| k.as_str() != ORCHESTRATOR && !orgs.contains(k))
    {
        return Err(Explained::input(format!(
            "--context {unknown}=...: {unknown} is not one of the organizations ({})",
            orgs.join(", ")
        ))
        .into());
    }
    Ok(Answers {
        orgs,
        channels,
        backend_address,
        orchestrator_host,
        tls,
        mtls,
        contexts,
        out: args.out.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_OUT)),
    })
}

pub fn run(args: InitArgs, printer: &Printer) -> anyhow::Result<InitReport> {
    let a = answers(&args)?;
    if a.out.exists() && !a.out.is_dir() {
        return Err(Explained::input(format!("--out {}: not a directory", a.out.display())).into());
    }
    let created_dir = !a.out.is_dir() && !args.dry_run;
    if created_dir {
        std::fs::create_dir_all(&a.out).map_err(|e| {
            Explained::input(format!("cannot create directory {}: {e}", a.out.display()))
        })?;
    }
    let result = init(&a, &args, printer);
    if result.is_err() && created_dir {
        let _ = std::fs::remove_dir(&a.out);
    }
    result
}

fn init(a: &Answers, args: &InitArgs, printer: &Printer) -> anyhow::Result<InitReport> {
    let ws = Workspace::new(&a.out, DEFAULT_PATTERN)?;
    let existing = if ws.dir.is_dir() { ws.discover()? } else { Vec::new() };
    let mut orgs = a.orgs.clone();
    orgs.extend(existing.iter().filter(|o| !a.orgs.contains(o)).cloned());
    let orchestrator_path = ws.file(Path::new(ORCHESTRATOR_VALUES));
    let helmfile_path = ws.file(Path::new(HELMFILE));
    let next_path = ws.file(Path::new(NEXT_STEPS));
    let mut touched: Vec<PathBuf> = orgs.iter().map(|o| ws.path_of(o)).collect();
    touched.extend([orchestrator_path.clone(), helmfile_path.clone(), next_path.clone()]);
    let lock = link::lock(&ws, &touched, printer)?;
    let mut warnings: Vec<String> = Vec::new();
    let a = &with_earlier_contexts(a, &helmfile_path, &orgs)?;

    // Values and links, edited in memory.
    let new_text = |org: &str| new_backend_text(a, org);
    let Planned { mut files, links, plans } =
        link::plan(&ws, &orgs, true, false, &new_text, printer)?;
    let msp_ids: Vec<String> = links.iter().map(|l| l.msp_id.clone()).collect();
    for f in &mut files {
        backend_values(&mut f.values.doc, a, &f.name)?;
    }
    let mut orchestrator = Doc::parse(&orchestrator_path, workspace::read(&orchestrator_path)?)?;
    let original = orchestrator.text.clone();
    if !orchestrator.exists {
        orchestrator = Doc::from_text(&orchestrator_path, orchestrator_header(), false)?;
    }
    for channel in &a.channels {
        for f in &mut files {
            link::add_backend_channel(&mut f.values.doc, channel)?;
        }
        orchestrator = link::add_orchestrator_channel(orchestrator, channel, &msp_ids)?.0;
    }
    orchestrator_values(&mut orchestrator, a, &msp_ids)?;
    let mut set = ChangeSet::new();
    let pairs = link::stage(&mut set, &files, vec![(orchestrator, original)], &links, &plans);

    // Certificates and manifests, through the steps of `certs gen`.
    let mut ca = None;
    let mut manifests: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if a.tls {
        let (created, ca_pem, staged_warnings) = stage_certs(a, args, &msp_ids, &mut set)?;
        warnings.extend(staged_warnings);
        ca = Some(if created { "created" } else { "reused" });
        manifests = manifest_files(a, &msp_ids, &orgs, &ca_pem, &mut set)?;
    }

    // helmfile.yaml and NEXT-STEPS.md, made again from the whole deployment each run.
    let values: Vec<PathBuf> = files.iter().map(|f| f.doc().path.clone()).collect();
    let releases = releases(a, args, &orgs, &values);
    let steps = next_steps(a, &orgs, &releases, &manifests);
    for (path, text) in
        [(&helmfile_path, kube::helmfile(&releases)), (&next_path, next_steps_text(a, &steps))]
    {
        set.add(Change {
            path: path.clone(),
            before: workspace::read(path)?,
            after: text.into_bytes(),
            new_mode: PUBLIC_MODE,
            private: false,
        });
    }

    // One commit, or the diffs of a dry run.
    let mut reports = Vec::new();
    if args.dry_run {
        let mut labels = link::SecretLabels::new(set.changes());
        for (change, (path, created, diff)) in set.changes().iter().zip(set.diffs()) {
            let diff = if change.private {
                format!("--- a/{p}\n+++ b/{p}\n{KEY_NOT_SHOWN}\n", p = path.display())
            } else {
                link::masked_diff(change, &diff, &files, &plans, &mut labels)
            };
            let status = if created { FileStatus::WouldCreate } else { FileStatus::WouldUpdate };
            reports.push(FileReport { path, status, mode: None, diff: Some(diff) });
        }
    } else {
        let lock = lock.as_ref().ok_or_else(|| Explained::bug("writing without a lock"))?;
        for w in set.clone().commit(lock)? {
            let status = if w.created { FileStatus::Created } else { FileStatus::Updated };
            reports.push(FileReport { path: w.path, status, mode: Some(w.mode), diff: None });
        }
    }
    for path in
        files.iter().map(|f| f.doc().path.clone()).chain(touched.into_iter().skip(orgs.len()))
    {
        if !set.touches(&path) && !reports.iter().any(|r| r.path == path) {
            reports.push(FileReport {
                path,
                status: FileStatus::Unchanged,
                mode: None,
                diff: None,
            });
        }
    }
    let organizations = files
        .iter()
        .zip(&links)
        .map(|(f, l)| InitOrg {
            name: f.name.clone(),
            msp_id: l.msp_id.clone(),
            file: f.doc().path.clone(),
            added: !existing.contains(&f.name),
            context: a.context(&f.name),
            namespace: namespace_of(&f.name),
        })
        .collect();
    Ok(InitReport {
        out: a.out.clone(),
        dry_run: args.dry_run,
        organizations,
        channels: a.channels.clone(),
        orchestrator_host: a.orchestrator_host.clone(),
        tls: a.tls,
        mtls: a.mtls,
        ca,
        pairs,
        files: reports,
        next_steps: steps.into_iter().map(|(_, cmd)| cmd).collect(),
        warnings,
    })
}

/// The answers, with the kube context of each cluster that no flag named taken from the
/// helmfile.yaml of an earlier run, so that running init again does not reset them.
fn with_earlier_contexts(a: &Answers, helmfile: &Path, orgs: &[String]) -> anyhow::Result<Answers> {
    let mut a = a.clone();
    let Some(bytes) = workspace::read(helmfile)? else { return Ok(a) };
    let doc = Doc::parse(helmfile, Some(bytes))?;
    let Some(releases) = doc.get(&["releases"]).and_then(Value::as_array) else { return Ok(a) };
    for r in releases {
        let (Some(ns), Some(ctx)) = (
            r.get("namespace").and_then(Value::as_str),
            r.get("kubeContext").and_then(Value::as_str),
        ) else {
            continue;
        };
        let who = if ns == ORCHESTRATOR {
            Some(ORCHESTRATOR.to_string())
        } else {
            orgs.iter().find(|o| namespace_of(o) == ns).cloned()
        };
        if let Some(who) = who {
            a.contexts.entry(who).or_insert_with(|| ctx.to_string());
        }
    }
    Ok(a)
}

fn orchestrator_header() -> String {
    "# Orchestrator values, generated by substractl init.\n".to_string()
}

/// Sets a value only where the file has none, so that what an operator changed is kept.
fn put(doc: &mut Doc, path: &[&str], value: Value) -> Result<bool, ValuesError> {
    if doc.get(path).is_some() {
        return Ok(false);
    }
    edit::set(doc, &keys(path), value)
}

/// The first text of a new backend's values file: what [`backend_values`] and the channels
/// would set, written at once, so that a large deployment is not parsed again after each edit.
/// The edits that follow find every value in place and change nothing.
fn new_backend_text(a: &Answers, org: &str) -> String {
    use crate::values::scalar;
    let mut t = link::new_file_text(org).replacen("substractl link", "substractl init", 1);
    t.push_str(&format!("  host: {}\n", scalar(&a.orchestrator_host)));
    t.push_str(&format!("  port: {}\n", if a.tls { 443 } else { 80 }));
    if a.tls {
        t.push_str(&format!("  tls:\n    enabled: true\n    cacert: {}\n", scalar(SECRETS.ca)));
        if a.mtls {
            t.push_str(&format!(
                "    mtls:\n      enabled: true\n      clientCertificate: {}\n",
                scalar(SECRETS.client)
            ));
        }
    }
    t.push_str("  channels:\n");
    for c in &a.channels {
        t.push_str(&format!(
            "    - {}: {{restricted: false, model_export_enabled: false}}\n",
            scalar(c)
        ));
    }
    let address = a.backend_address.replace("{org}", org);
    t.push_str(&format!("server:\n  defaultDomain: {}\n", serde_json::Value::from(address)));
    t
}

/// A backend's own values: its names, its address, the orchestrator's address and TLS.
fn backend_values(doc: &mut Doc, a: &Answers, org: &str) -> Result<(), ValuesError> {
    put(doc, &["organizationName"], org.into())?;
    put(doc, &["orchestrator", "mspID"], org.into())?;
    put(doc, &["server", "defaultDomain"], a.backend_address.replace("{org}", org).into())?;
    put(doc, &["orchestrator", "host"], a.orchestrator_host.clone().into())?;
    put(doc, &["orchestrator", "port"], Value::from(if a.tls { 443 } else { 80 }))?;
    if a.mtls {
        crate::values::tls::backend(doc, SECRETS)?;
    } else if a.tls {
        edit::set(doc, &keys(&["orchestrator", "tls", "enabled"]), Value::Bool(true))?;
        edit::set(doc, &keys(&["orchestrator", "tls", "cacert"]), SECRETS.ca.into())?;
    }
    Ok(())
}

/// The orchestrator's values: its ingress, TLS, and with mTLS one client CA per MSP ID and the
/// MSP-ID check.
fn orchestrator_values(doc: &mut Doc, a: &Answers, msp_ids: &[String]) -> Result<(), ValuesError> {
    put(doc, &["ingress", "enabled"], Value::Bool(true))?;
    put(doc, &["ingress", "hostname"], a.orchestrator_host.clone().into())?;
    if a.tls {
        let ids: Vec<&str> =
            if a.mtls { msp_ids.iter().map(String::as_str).collect() } else { Vec::new() };
        crate::values::tls::orchestrator(doc, SECRETS, &ids)?;
    }
    if a.mtls {
        edit::set(doc, &keys(&["orchestrator", "verifyClientMSPID"]), Value::Bool(true))?;
    }
    Ok(())
}

/// The host name of an address (`https://api.ingen.example.com:443/x` -> `api.ingen.example.com`).
fn host_of(address: &str) -> &str {
    let rest = address.split_once("://").map_or(address, |(_, r)| r);
    let end = rest.find(['/', ':', '?']).unwrap_or(rest.len());
    &rest[..end]
}

/// Adds the CA, the server's and each new organization's certificates and manifests to the
/// change set; returns whether the CA is new, its PEM and the warnings of `certs gen`.
fn stage_certs(
    a: &Answers,
    args: &InitArgs,
    msp_ids: &[String],
    set: &mut ChangeSet,
) -> anyhow::Result<(bool, String, Vec<String>)> {
    let at = |name: &str| workspace::in_dir(&a.out, Path::new(name));
    let make_server = !at(certs::SERVER_CRT).exists() && !at(certs::SERVER_KEY).exists();
    let new_clients: Vec<String> = if a.mtls {
        msp_ids
            .iter()
            .filter(|id| !at(&format!("{id}.crt")).exists() && !at(&format!("{id}.key")).exists())
            .map(|id| {
                let host = host_of(&a.backend_address.replace("{org}", id)).to_string();
                if crate::pki::leaf::Name::parse(&host).is_ok() && !host.is_empty() {
                    format!("{id}={host}")
                } else {
                    id.clone()
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let ca_crt = at(certs::CA_CRT);
    if !make_server && new_clients.is_empty() {
        let pem = workspace::read_existing(&ca_crt)?;
        return Ok((false, String::from_utf8_lossy(&pem).into_owned(), Vec::new()));
    }
    let services = if make_server {
        // The names the chart's probes and in-cluster clients dial (SUBSTRA.md section 4).
        [ORCHESTRATOR, "orchestrator-server", "orchestrator-orchestrator-server"]
            .iter()
            .map(|s| format!("{s}.{ORCHESTRATOR}"))
            .collect()
    } else {
        Vec::new()
    };
    let gen_args = CertsGenArgs {
        out: a.out.clone(),
        ca_cn: "Orchestrator Root CA".into(),
        hosts: if make_server { vec![a.orchestrator_host.clone()] } else { Vec::new() },
        sans: Vec::new(),
        services,
        orgs: new_clients,
        key_type: args.key_type,
        days: 365,
        ca_days: 1825,
        force: false,
        manifests: true,
        namespace: Some(ORCHESTRATOR.into()),
        backend_namespace: None,
        cacert_configmap: false,
        values_dir: None,
        values_pattern: DEFAULT_PATTERN.into(),
    };
    let namespaces = msp_ids.iter().map(|id| (id.clone(), namespace_of(id))).collect();
    let staged = certs::stage(&gen_args, OffsetDateTime::now_utc(), namespaces, set)?;
    let pem = match set.changes().iter().find(|c| c.path == ca_crt) {
        Some(c) => String::from_utf8_lossy(&c.after).into_owned(),
        None => String::from_utf8_lossy(&workspace::read_existing(&ca_crt)?).into_owned(),
    };
    Ok((staged.ca_created, pem, staged.warnings))
}

/// The manifest files each cluster applies, by kube context owner (organization name or
/// [`ORCHESTRATOR`]). Without mTLS, each backend's cluster gets the CA Secret alone, made here.
fn manifest_files(
    a: &Answers,
    msp_ids: &[String],
    orgs: &[String],
    ca_pem: &str,
    set: &mut ChangeSet,
) -> anyhow::Result<BTreeMap<String, Vec<String>>> {
    let mut map = BTreeMap::new();
    map.insert(
        ORCHESTRATOR.to_string(),
        vec![format!("{}.yaml", SECRETS.ca), format!("{}.yaml", SECRETS.server_pair)],
    );
    for (org, id) in orgs.iter().zip(msp_ids) {
        let name = if a.mtls {
            format!("{}-{id}.yaml", SECRETS.client)
        } else {
            let name = format!("{}-{id}.yaml", SECRETS.ca);
            let path = workspace::in_dir(&a.out, Path::new(&name));
            let yaml =
                kube::secret(SECRETS.ca, Some(&namespace_of(id)), &[("ca.crt", ca_pem.as_bytes())]);
            set.add(Change {
                before: workspace::read(&path)?,
                path,
                after: yaml.into_bytes(),
                new_mode: PUBLIC_MODE,
                private: false,
            });
            name
        };
        map.insert(org.clone(), vec![name]);
    }
    Ok(map)
}

/// The releases of the deployment: the orchestrator first, then each backend.
fn releases(a: &Answers, args: &InitArgs, orgs: &[String], values: &[PathBuf]) -> Vec<Release> {
    let relative =
        |p: &Path| p.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let mut out = vec![Release {
        name: ORCHESTRATOR.into(),
        namespace: ORCHESTRATOR.into(),
        chart: "substra/orchestrator".into(),
        version: args.orchestrator_chart_version.clone(),
        context: a.context(ORCHESTRATOR),
        values: ORCHESTRATOR_VALUES.into(),
    }];
    for (org, path) in orgs.iter().zip(values) {
        out.push(Release {
            name: BACKEND_RELEASE.into(),
            namespace: namespace_of(org),
            chart: "substra/substra-backend".into(),
            version: args.backend_chart_version.clone(),
            context: a.context(org),
            values: relative(path),
        });
    }
    out
}

/// The ordered commands of NEXT-STEPS.md, each with what it is for.
fn next_steps(
    a: &Answers,
    orgs: &[String],
    releases: &[Release],
    manifests: &BTreeMap<String, Vec<String>>,
) -> Vec<(String, String)> {
    let mut steps = Vec::new();
    for who in [ORCHESTRATOR].into_iter().chain(orgs.iter().map(String::as_str)) {
        if let Some(files) = manifests.get(who) {
            let ns = if who == ORCHESTRATOR { ORCHESTRATOR.to_string() } else { namespace_of(who) };
            steps.push((
                format!("the TLS Secrets of {who}'s cluster"),
                kube::apply_files(&a.context(who), &ns, files),
            ));
        }
    }
    if a.tls {
        steps.push((
            "ingress-nginx with SSL passthrough in the orchestrator's cluster (the orchestrator ends TLS itself)".into(),
            kube::ingress_nginx_passthrough(&a.context(ORCHESTRATOR)),
        ));
    }
    steps.push(("every release, with helmfile".into(), "helmfile apply".into()));
    steps.push((
        "the orchestrator, with plain helm (instead of helmfile)".into(),
        format!("helm repo add substra {}", kube::SUBSTRA_CHARTS),
    ));
    for r in releases {
        steps.push((
            format!("{} in {}, with plain helm (instead of helmfile)", r.name, r.namespace),
            kube::helm_upgrade_install(r),
        ));
    }
    steps.push((
        "check that everything reaches and accepts everything else".into(),
        "substractl check all --dir . --wait 10m".to_string(),
    ));
    steps
}

fn next_steps_text(a: &Answers, steps: &[(String, String)]) -> String {
    let mut t = String::from("# Next steps\n\n");
    t.push_str(&format!(
        "Generated by substractl init for {} organization(s); run these commands in this \
         directory, in this order. Running `substractl init` again here rewrites this file.\n\n",
        a.orgs.len()
    ));
    let mut n = 0;
    let mut helm_intro = false;
    for (what, cmd) in steps {
        if what.contains("plain helm") {
            if !helm_intro {
                t.push_str("Or, without helmfile, the same with helm:\n\n");
                helm_intro = true;
            }
            t.push_str(&format!("```console\n{cmd}\n```\n\n"));
            continue;
        }
        n += 1;
        t.push_str(&format!("{n}. {}:\n\n```console\n{cmd}\n```\n\n", capitalize(what)));
    }
    t
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

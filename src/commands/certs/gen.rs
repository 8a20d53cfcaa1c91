//! `substractl certs gen`: every decision first, then one all-or-nothing write.
//!
//! `gen` decides everything before it writes anything: names and MSP IDs are checked, the CA
//! in --out is loaded (or a new one planned), files that would be overwritten are refused
//! without --force, values files are parsed and edited in memory. Only then are keys made
//! and every file (certificates, keys, manifests, values) written in one all-or-nothing commit.
//! Each of these steps is a function below, in the order [`gen_locked`] calls them; the
//! checked plan they share is made in `validate.rs`.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::validate::{validate, GenPlan};
use super::{
    at, read, GenOptions, CA_CRT, CA_KEY, ORCHESTRATOR_VALUES, SECRETS, SERVER_CRT, SERVER_KEY,
};
use crate::cli::CertsGenArgs;
use crate::deployment;
use crate::error::hints;
use crate::error::Explained;
use crate::kube;
use crate::pki::inspect::{self, CertInfo};
use crate::pki::leaf::{self, Role};
use crate::pki::{self, Ca, KeyAlg};
use crate::report::certs::{GenFile, GenReport};
use crate::values;
use crate::workspace::{
    self, Change, ChangeSet, Lock, MadeDirs, Workspace, Written, PUBLIC_MODE, SECRET_MODE,
};

impl GenPlan<'_> {
    fn out(&self) -> &Path {
        &self.args.out
    }

    fn namespace(&self) -> Option<&str> {
        self.args.namespace.as_deref()
    }

    fn backend_namespace(&self, mspid: &str) -> Option<&str> {
        self.backend_namespaces
            .get(mspid)
            .map(String::as_str)
            .or(self.args.backend_namespace.as_deref())
    }

    fn makes_server(&self) -> bool {
        !self.names.is_empty()
    }

    /// The certificate and key files of the server.
    fn server_files(&self) -> [PathBuf; 2] {
        [at(self.out(), SERVER_CRT), at(self.out(), SERVER_KEY)]
    }

    /// The certificate and key files of an organization's client.
    fn client_files(&self, mspid: &str) -> [PathBuf; 2] {
        [at(self.out(), &format!("{mspid}.crt")), at(self.out(), &format!("{mspid}.key"))]
    }
}

/// The CA of this run and where its files are.
struct CaFiles {
    ca: Ca,
    /// Made in this run (else loaded from --out).
    created: bool,
    crt: PathBuf,
    key: PathBuf,
}

/// A file `certs gen` writes: where, what, and the mode of a new file.
#[derive(Debug, Clone)]
struct PlannedWrite {
    path: PathBuf,
    contents: Vec<u8>,
    new_mode: u32,
}

/// A planned file and how to report it.
struct PlannedFile {
    write: PlannedWrite,
    kind: &'static str,
    org: Option<String>,
    cert_der: Option<Vec<u8>>,
    key_type: Option<String>,
    /// For values files: whether the edit changed anything (unchanged files are not written).
    changed: bool,
}

/// The leaves issued in this run, and the files that hold them and a new CA.
struct IssuedSet {
    server: Option<leaf::Issued>,
    clients: Vec<(String, leaf::Issued)>,
    files: Vec<PlannedFile>,
}

pub fn gen(args: CertsGenArgs) -> anyhow::Result<GenReport> {
    gen_report(&GenOptions::from(args), OffsetDateTime::now_utc())
}

/// Everything `certs gen` does, returning its report.
pub fn gen_report(args: &GenOptions, now: OffsetDateTime) -> anyhow::Result<GenReport> {
    let plan = validate(args, now)?;
    let out = &args.out;
    // A missing --out is made now, so that it can be locked, and removed if the run fails.
    let made = MadeDirs::make(out)
        .map_err(|e| Explained::input(format!("cannot create --out {}: {e}", out.display())))?;
    let result = gen_locked(&plan);
    if result.is_err() {
        made.undo();
    }
    result
}

/// `certs gen` once --out exists: everything under the lock of --out and --values-dir.
fn gen_locked(plan: &GenPlan) -> anyhow::Result<GenReport> {
    let mut dirs = vec![plan.out()];
    dirs.extend(plan.args.values_dir.as_deref());
    let lock = crate::commands::lock_dirs(dirs, None)?;
    let mut warnings = lock.recovered.clone();

    let (ca, files) = plan_files(plan, &mut warnings)?;
    let written = commit(&files, &lock, &mut warnings)?;
    report(plan, &ca, &files, written, warnings)
}

/// Every step before the commit: the CA, the refusal to overwrite, the values edits, the keys
/// and certificates, the manifests; returns the CA and the files in the order reported.
fn plan_files(
    plan: &GenPlan,
    warnings: &mut Vec<String>,
) -> anyhow::Result<(CaFiles, Vec<PlannedFile>)> {
    let ca = load_or_make_ca(plan, warnings)?;
    refuse_overwrites(plan)?;
    let values = plan_values(plan, warnings)?;
    let issued = issue(plan, &ca, warnings)?;
    let mut files = issued.files;
    files.extend(manifests(plan, &ca.ca, issued.server.as_ref(), &issued.clients));
    files.extend(values);
    Ok((ca, files))
}

/// What [`stage`] added to a caller's change set.
pub(crate) struct Staged {
    /// The CA was made in this run (else it was loaded from --out).
    pub ca_created: bool,
    pub warnings: Vec<String>,
}

/// The steps of `certs gen` up to, not including, its commit, adding every file to a caller's
/// change set (a file whose bytes do not change drops out): the CA in --out is reused or made,
/// leaves are never overwritten, and each MSP ID's manifest goes to its namespace in
/// `backend_namespaces`. The caller holds the lock of --out, or writes nothing (a dry run).
pub(crate) fn stage(
    args: &GenOptions,
    now: OffsetDateTime,
    backend_namespaces: BTreeMap<String, String>,
    set: &mut ChangeSet,
) -> anyhow::Result<Staged> {
    let mut plan = validate(args, now)?;
    plan.backend_namespaces = backend_namespaces;
    let mut warnings = Vec::new();
    let (ca, files) = plan_files(&plan, &mut warnings)?;
    add_to(set, &files, true)?;
    Ok(Staged { ca_created: ca.created, warnings })
}

/// Adds the changed files to a change set; `read_all` reads every file's bytes before (else
/// only values files'), so that a file written again with the same bytes drops out.
fn add_to(set: &mut ChangeSet, files: &[PlannedFile], read_all: bool) -> anyhow::Result<()> {
    for p in files.iter().filter(|p| p.changed) {
        let before =
            if read_all || p.kind == "values" { workspace::read(&p.write.path)? } else { None };
        set.add(Change {
            path: p.write.path.clone(),
            before,
            after: p.write.contents.clone(),
            new_mode: p.write.new_mode,
            private: p.write.new_mode == SECRET_MODE,
        });
    }
    Ok(())
}

/// The CA: reuse the one in --out, never overwrite it, and make one only when neither of its
/// files is there (a lone certificate or key is a mistake to fix, not a CA to replace).
fn load_or_make_ca(plan: &GenPlan, warnings: &mut Vec<String>) -> anyhow::Result<CaFiles> {
    let args = plan.args;
    let crt = at(plan.out(), CA_CRT);
    let key = at(plan.out(), CA_KEY);
    let (ca, created) = match (crt.exists(), key.exists()) {
        (true, true) => {
            let ca = Ca::load(&crt, &read(&crt)?, &key, &read(&key)?).map_err(|e| {
                let hint = match &e {
                    pki::PkiError::KeyMismatch { .. } => Some(hints::ca_key_mismatch(&key)),
                    _ => None,
                };
                let mut ex = Explained::input(e.to_string());
                if let Some(h) = hint {
                    ex = ex.hint(h);
                }
                ex
            })?;
            if ca.key_id.is_none() {
                warnings.push(format!(
                    "{} has no subjectKeyIdentifier: orchestrator.verifyClientMSPID cannot match client certificates to it; consider a new CA",
                    crt.display()
                ));
            }
            (ca, false)
        }
        (true, false) | (false, true) => {
            let (has, lacks) = if crt.exists() { (&crt, &key) } else { (&key, &crt) };
            return Err(Explained::input(format!(
                "{} exists but {} does not: a CA needs both",
                has.display(),
                lacks.display()
            ))
            .hint(hints::CA_HALF)
            .into());
        }
        (false, false) => (Ca::generate(&args.ca_cn, plan.alg, args.ca_days, plan.now)?, true),
    };
    Ok(CaFiles { ca, created, crt, key })
}

/// Leaf files are replaced only with --force, so that a second run cannot silently swap the
/// certificates a cluster already uses.
fn refuse_overwrites(plan: &GenPlan) -> anyhow::Result<()> {
    let mut leaf_files: Vec<PathBuf> = Vec::new();
    if plan.makes_server() {
        leaf_files.extend(plan.server_files());
    }
    for org in &plan.orgs {
        leaf_files.extend(plan.client_files(&org.mspid));
    }
    let existing: Vec<&PathBuf> = leaf_files.iter().filter(|p| p.exists()).collect();
    if !existing.is_empty() && !plan.args.force {
        return Err(Explained::input(format!(
            "{} already exist{}",
            existing.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
            if existing.len() == 1 { "s" } else { "" }
        ))
        .hint(hints::FORCE_OR_OUT)
        .into());
    }
    Ok(())
}

/// The TLS edits of --values-dir (the orchestrator's values, and each --org backend's found by
/// its MSP ID), parsed and made in memory now, so that a bad file stops everything.
fn plan_values(plan: &GenPlan, warnings: &mut Vec<String>) -> anyhow::Result<Vec<PlannedFile>> {
    let mut files = Vec::new();
    let Some(dir) = &plan.args.values_dir else { return Ok(files) };
    let ws = Workspace::new(dir, &plan.args.values_pattern)?;
    let path = at(dir, ORCHESTRATOR_VALUES);
    let mut doc = values::Doc::parse(&path, workspace::read(&path)?)?;
    let ids: Vec<&str> = plan.orgs.iter().map(|o| o.mspid.as_str()).collect();
    let changed = values::tls::orchestrator(&mut doc, SECRETS, &ids)?;
    deployment::check_client_ca_volumes(&doc, &ids)?;
    files.push(values_file(&doc, changed, None));
    for org in &plan.orgs {
        let mut doc = deployment::find_by_msp_id(&ws, &org.mspid)?.values.doc;
        let changed = values::tls::backend(&mut doc, SECRETS)?;
        files.push(values_file(&doc, changed, Some(org.mspid.clone())));
    }
    if plan.orgs.is_empty() {
        warnings.push("backends must trust the CA too: set orchestrator.tls.enabled and orchestrator.tls.cacert in their values (--org does it with mTLS)".into());
    }
    Ok(files)
}

fn values_file(doc: &values::Doc, changed: bool, org: Option<String>) -> PlannedFile {
    PlannedFile {
        write: PlannedWrite {
            path: doc.path.clone(),
            contents: doc.text.clone().into_bytes(),
            new_mode: PUBLIC_MODE,
        },
        kind: "values",
        org,
        cert_der: None,
        key_type: None,
        changed,
    }
}

/// Makes the keys and certificates (a new CA's files first, then the server's, then each
/// client's), and warns when the CA ends before them, as clients then reject them.
fn issue(plan: &GenPlan, ca: &CaFiles, warnings: &mut Vec<String>) -> anyhow::Result<IssuedSet> {
    let (args, now, alg) = (plan.args, plan.now, plan.alg);
    let mut files: Vec<PlannedFile> = Vec::new();
    let ca_end = {
        let (_, c) = x509_parser::parse_x509_certificate(ca.ca.cert_der.as_ref())
            .map_err(|e| anyhow::anyhow!("{}: {e}", ca.crt.display()))?;
        c.validity().not_after.to_datetime()
    };
    if ca_end < now + time::Duration::days(i64::from(args.days) - 1) {
        warnings.push(format!(
            "the CA expires on {}, before the new certificates: clients reject them from then on",
            inspect::rfc3339(ca_end)
        ));
    }
    if let Some(key_pem) = &ca.ca.new_key_pem {
        files.push(PlannedFile {
            write: PlannedWrite {
                path: ca.crt.clone(),
                contents: ca.ca.cert_pem.clone().into_bytes(),
                new_mode: PUBLIC_MODE,
            },
            kind: "ca-certificate",
            org: None,
            cert_der: Some(ca.ca.cert_der.to_vec()),
            key_type: None,
            changed: true,
        });
        files.push(PlannedFile {
            write: PlannedWrite {
                path: ca.key.clone(),
                contents: key_pem.clone().into_bytes(),
                new_mode: SECRET_MODE,
            },
            kind: "ca-key",
            org: None,
            cert_der: None,
            key_type: Some(describe_alg(alg)),
            changed: true,
        });
    }
    let mut roles = Vec::new();
    if plan.makes_server() {
        roles.push(Role::Server { names: plan.names.clone() });
    }
    for org in &plan.orgs {
        roles.push(Role::Client { mspid: org.mspid.clone(), cn: org.cn.clone() });
    }
    let mut issued_all = leaf::issue_all(&ca.ca, &roles, alg, args.days, now)?.into_iter();
    let missing = || anyhow::anyhow!("a certificate was not made; please report this");
    let mut server = None;
    if plan.makes_server() {
        let issued = issued_all.next().ok_or_else(missing)?;
        files.extend(leaf_files(
            &issued,
            plan.server_files(),
            ["server-certificate", "server-key"],
            None,
            alg,
        ));
        server = Some(issued);
    }
    let mut clients = Vec::new();
    for org in &plan.orgs {
        let issued = issued_all.next().ok_or_else(missing)?;
        files.extend(leaf_files(
            &issued,
            plan.client_files(&org.mspid),
            ["client-certificate", "client-key"],
            Some(org.mspid.clone()),
            alg,
        ));
        clients.push((org.mspid.clone(), issued));
    }
    Ok(IssuedSet { server, clients, files })
}

/// The certificate (0644) and key (0600) files of one issued leaf, of the given kinds.
fn leaf_files(
    issued: &leaf::Issued,
    [crt, key]: [PathBuf; 2],
    [crt_kind, key_kind]: [&'static str; 2],
    org: Option<String>,
    alg: KeyAlg,
) -> [PlannedFile; 2] {
    [
        PlannedFile {
            write: PlannedWrite {
                path: crt,
                contents: issued.cert_pem.clone().into_bytes(),
                new_mode: PUBLIC_MODE,
            },
            kind: crt_kind,
            org: org.clone(),
            cert_der: Some(issued.cert_der.to_vec()),
            key_type: None,
            changed: true,
        },
        PlannedFile {
            write: PlannedWrite {
                path: key,
                contents: issued.key_pem.clone().into_bytes(),
                new_mode: SECRET_MODE,
            },
            kind: key_kind,
            org,
            cert_der: None,
            key_type: Some(describe_alg(alg)),
            changed: true,
        },
    ]
}

pub(super) fn describe_alg(alg: KeyAlg) -> String {
    match alg {
        KeyAlg::EcdsaP256 => "ECDSA P-256".into(),
        KeyAlg::EcdsaP384 => "ECDSA P-384".into(),
        KeyAlg::Rsa2048 => "RSA 2048".into(),
        KeyAlg::Rsa3072 => "RSA 3072".into(),
        KeyAlg::Rsa4096 => "RSA 4096".into(),
        KeyAlg::Ed25519 => "Ed25519".into(),
    }
}

/// With --manifests, the Kubernetes manifests that carry the CA and the pairs to the clusters,
/// so that they can be applied as files rather than typed as kubectl commands.
fn manifests(
    plan: &GenPlan,
    ca: &Ca,
    server: Option<&leaf::Issued>,
    clients: &[(String, leaf::Issued)],
) -> Vec<PlannedFile> {
    let mut files = Vec::new();
    if !plan.args.manifests {
        return files;
    }
    let (out, namespace) = (plan.out(), plan.namespace());
    let ca_cert_pem = &ca.cert_pem;
    let (ca_yaml, ca_file) = if plan.args.cacert_configmap {
        (
            kube::configmap(SECRETS.ca, namespace, "ca.crt", ca_cert_pem),
            format!("{}.configmap.yaml", SECRETS.ca),
        )
    } else {
        (
            kube::secret(SECRETS.ca, namespace, &[("ca.crt", ca_cert_pem.as_bytes())]),
            format!("{}.yaml", SECRETS.ca),
        )
    };
    let mut manifest = |path: PathBuf, yaml: String, mode: u32, org: Option<String>| {
        files.push(PlannedFile {
            write: PlannedWrite { path, contents: yaml.into_bytes(), new_mode: mode },
            kind: "manifest",
            org,
            cert_der: None,
            key_type: None,
            changed: true,
        });
    };
    manifest(at(out, &ca_file), ca_yaml, PUBLIC_MODE, None);
    if let Some(s) = server {
        let yaml = kube::tls_secret(
            SECRETS.server_pair,
            namespace,
            s.cert_pem.as_bytes(),
            s.key_pem.as_bytes(),
        );
        manifest(at(out, &format!("{}.yaml", SECRETS.server_pair)), yaml, SECRET_MODE, None);
    }
    // Each backend's file holds all that its cluster needs: the CA and its client pair,
    // in the backend's namespace (which is not the orchestrator's).
    for (mspid, c) in clients {
        let backend_namespace = plan.backend_namespace(mspid);
        let backend_ca = if plan.args.cacert_configmap {
            kube::configmap(SECRETS.ca, backend_namespace, "ca.crt", ca_cert_pem)
        } else {
            kube::secret(SECRETS.ca, backend_namespace, &[("ca.crt", ca_cert_pem.as_bytes())])
        };
        let pair = kube::tls_secret(
            SECRETS.client,
            backend_namespace,
            c.cert_pem.as_bytes(),
            c.key_pem.as_bytes(),
        );
        let yaml = format!("{backend_ca}---\n{pair}");
        manifest(
            at(out, &format!("{}-{mspid}.yaml", SECRETS.client)),
            yaml,
            SECRET_MODE,
            Some(mspid.clone()),
        );
    }
    files
}

/// Writes every changed file in one ChangeSet, under the lock, so that a failure leaves
/// --out and --values-dir as they were. Files that hold a private key are never left readable
/// by others, even when an existing file of a looser mode is replaced.
fn commit(
    files: &[PlannedFile],
    lock: &Lock,
    warnings: &mut Vec<String>,
) -> anyhow::Result<Vec<Written>> {
    let mut set = ChangeSet::new();
    add_to(&mut set, files, false)?;
    let written = set.commit(lock)?;
    for w in written.iter().filter(|w| w.restricted) {
        warnings.push(format!(
            "{} was readable by others; it is now mode {:04o}",
            w.path.display(),
            w.mode
        ));
    }
    Ok(written)
}

/// What the run did to each file (a reused CA included), and what the operator does next.
fn report(
    plan: &GenPlan,
    ca: &CaFiles,
    files: &[PlannedFile],
    written: Vec<Written>,
    warnings: Vec<String>,
) -> anyhow::Result<GenReport> {
    let now = plan.now;
    let mut reported = Vec::new();
    if !ca.created {
        let mode = std::fs::metadata(&ca.crt)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(PUBLIC_MODE);
        reported.push(GenFile {
            path: ca.crt.clone(),
            kind: "ca-certificate",
            status: "kept",
            mode: mode_str(mode),
            org: None,
            certificate: Some(cert_info(ca.ca.cert_der.as_ref(), now)?),
            key_type: None,
        });
    }
    let mut written = written.into_iter();
    for p in files {
        let (status, mode) = if p.changed {
            match written.next() {
                Some(w) => (
                    if w.created {
                        "created"
                    } else if p.kind == "values" {
                        "updated"
                    } else {
                        "replaced"
                    },
                    w.mode,
                ),
                None => ("created", p.write.new_mode),
            }
        } else {
            let mode = std::fs::metadata(&p.write.path)
                .map(|m| m.permissions().mode() & 0o7777)
                .unwrap_or(p.write.new_mode);
            ("unchanged", mode)
        };
        reported.push(GenFile {
            path: p.write.path.clone(),
            kind: p.kind,
            status,
            mode: mode_str(mode),
            org: p.org.clone(),
            certificate: p.cert_der.as_deref().map(|d| cert_info(d, now)).transpose()?,
            key_type: p.key_type.clone(),
        });
    }

    Ok(GenReport {
        out: plan.args.out.clone(),
        ca: if ca.created { "created" } else { "reused" },
        files: reported,
        warnings,
        next_steps: next_steps(plan, files),
    })
}

pub(super) fn mode_str(mode: u32) -> String {
    format!("{mode:04o}")
}

pub(super) fn cert_info(der: &[u8], now: OffsetDateTime) -> anyhow::Result<CertInfo> {
    let (_, c) = x509_parser::parse_x509_certificate(der).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(inspect::info(der, &c, now))
}

/// The commands that put the files in the clusters: `kubectl apply` of the manifests written,
/// or else `kubectl create` from the certificate and key files.
fn next_steps(plan: &GenPlan, files: &[PlannedFile]) -> Vec<String> {
    let (args, out) = (plan.args, plan.out());
    let manifests: Vec<(&Path, &Option<String>)> = files
        .iter()
        .filter(|p| p.kind == "manifest")
        .map(|p| (p.write.path.as_path(), &p.org))
        .collect();
    let ns = args.namespace.as_ref().map(|n| format!(" -n {n}")).unwrap_or_default();
    let mut steps = Vec::new();
    if args.manifests {
        let orch: Vec<String> = manifests
            .iter()
            .filter(|(_, org)| org.is_none())
            .map(|(p, _)| format!("-f {}", p.display()))
            .collect();
        if plan.makes_server() {
            steps.push(format!("orchestrator's cluster: kubectl apply{ns} {}", orch.join(" ")));
        }
        let backend_ns =
            format!(" -n {}", args.backend_namespace.as_deref().unwrap_or("BACKEND-NAMESPACE"));
        for (p, org) in &manifests {
            if let Some(org) = org {
                steps
                    .push(format!("{org}'s cluster: kubectl apply{backend_ns} -f {}", p.display()));
            }
        }
    } else {
        let ca = at(out, CA_CRT);
        let cacert = if args.cacert_configmap { "configmap" } else { "secret generic" };
        if plan.makes_server() {
            let [crt, key] = plan.server_files();
            steps.push(format!(
                "orchestrator's cluster: kubectl create{ns} {cacert} {} --from-file=ca.crt={} && kubectl create{ns} secret tls {} --cert={} --key={}",
                SECRETS.ca, ca.display(), SECRETS.server_pair, crt.display(), key.display()
            ));
        }
        for org in &plan.orgs {
            let [crt, key] = plan.client_files(&org.mspid);
            steps.push(format!(
                "{}'s cluster: kubectl create{ns} {cacert} {} --from-file=ca.crt={} && kubectl create{ns} secret tls {} --cert={} --key={}",
                org.mspid, SECRETS.ca, ca.display(), SECRETS.client, crt.display(), key.display()
            ));
        }
    }
    if args.values_dir.is_some() {
        steps.push("helm upgrade each release with its values file (orchestrator first)".into());
    }
    steps
}

//! `substractl certs gen | inspect | verify`: arguments in, pki calls, a report out.
//!
//! `gen` decides everything before it writes anything: names and MSP IDs are checked, the CA
//! in --out is loaded (or a new one planned), files that would be overwritten are refused
//! without --force, values files are parsed and edited in memory. Only then are keys made
//! and every file (certificates, keys, manifests, values) written in one all-or-nothing commit.

use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use crate::cli::{CertsGenArgs, CertsInspectArgs, CertsVerifyArgs, KeyType};
use crate::error::Explained;
use crate::kube;
use crate::pki::inspect::{self, CertInfo};
use crate::pki::leaf::{self, Name, Role};
use crate::pki::verify::{self, Purpose};
use crate::pki::{self, Ca, KeyAlg};
use crate::report::certs::{GenFile, GenReport, InspectReport, InspectedCert};
use crate::report::check::CheckReport;
use crate::values::{self, tls::SecretNames};
use crate::workspace::{self, Change, ChangeSet, Lock, Workspace, PUBLIC_MODE, SECRET_MODE};

pub const CA_CRT: &str = "orchestrator-ca.crt";
pub const CA_KEY: &str = "orchestrator-ca.key";
pub const SERVER_CRT: &str = "orchestrator-tls.crt";
pub const SERVER_KEY: &str = "orchestrator-tls.key";
/// The Secret names of the guide and the charts' defaults.
pub const SECRETS: SecretNames<'static> = SecretNames {
    ca: "orchestrator-tls-cacert",
    server_pair: "orchestrator-tls-server-pair",
    client: "orchestrator-client-cert",
};
pub const ORCHESTRATOR_VALUES: &str = "orchestrator-values.yaml";

pub fn key_alg(k: KeyType) -> KeyAlg {
    match k {
        KeyType::EcdsaP256 => KeyAlg::EcdsaP256,
        KeyType::EcdsaP384 => KeyAlg::EcdsaP384,
        KeyType::Rsa2048 => KeyAlg::Rsa2048,
        KeyType::Rsa3072 => KeyAlg::Rsa3072,
        KeyType::Rsa4096 => KeyAlg::Rsa4096,
        KeyType::Ed25519 => KeyAlg::Ed25519,
    }
}

/// A client certificate to make.
#[derive(Debug, Clone)]
struct OrgSpec {
    mspid: String,
    cn: String,
}

/// `dir/name`, or just `name` in the current directory, for shorter messages.
fn at(dir: &Path, name: &str) -> PathBuf {
    if dir == Path::new(".") || dir.as_os_str().is_empty() {
        PathBuf::from(name)
    } else {
        dir.join(name)
    }
}

fn input(message: impl Into<String>) -> anyhow::Error {
    Explained::input(message).into()
}

fn parse_orgs(specs: &[String]) -> anyhow::Result<Vec<OrgSpec>> {
    let mut seen = BTreeSet::new();
    let mut orgs = Vec::new();
    for spec in specs {
        let (mspid, host) = match spec.split_once('=') {
            Some((id, host)) => (id.to_string(), Some(host)),
            None => (spec.clone(), None),
        };
        leaf::check_mspid(&mspid)?;
        if mspid == "orchestrator-ca" || mspid == "orchestrator-tls" {
            return Err(Explained::input(format!(
                "--org {mspid}: its files would be the CA's or the server's; pick another MSP ID"
            ))
            .into());
        }
        let cn = match host {
            Some(h) => match Name::parse(h)? {
                Name::Dns(n) => n,
                Name::Ip(ip) => ip.to_string(),
            },
            None => mspid.clone(),
        };
        if !seen.insert(mspid.clone()) {
            return Err(input(format!("--org {mspid} is given twice")));
        }
        orgs.push(OrgSpec { mspid, cn });
    }
    Ok(orgs)
}

fn server_names(args: &CertsGenArgs) -> anyhow::Result<Vec<Name>> {
    let mut names: Vec<Name> = Vec::new();
    let mut push = |n: Name| {
        if !names.contains(&n) {
            names.push(n);
        }
    };
    for h in &args.hosts {
        push(Name::parse(h)?);
    }
    for s in &args.sans {
        push(Name::parse(s)?);
    }
    for svc in &args.services {
        for n in leaf::service_names(svc)? {
            push(n);
        }
    }
    if let Some(Name::Dns(first)) = names.first() {
        if first.len() > 64 {
            return Err(Explained::input(format!(
                "--host {first}: a common name holds at most 64 characters"
            ))
            .hint("give a shorter --host first; longer names can follow as --san")
            .into());
        }
    }
    Ok(names)
}

/// Reads a file that must exist, naming it on failure.
fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    Ok(workspace::read_existing(path)?)
}

/// A file `certs gen` writes: where, what, and the mode of a new file.
#[derive(Debug, Clone)]
struct PlannedWrite {
    path: PathBuf,
    contents: Vec<u8>,
    new_mode: u32,
}

/// The nearest existing directory at or above `dir`, where a missing --out would be created.
fn existing_ancestor(dir: &Path) -> PathBuf {
    let mut d = dir.to_path_buf();
    loop {
        if d.as_os_str().is_empty() {
            return PathBuf::from(".");
        }
        if d.exists() {
            return d;
        }
        match d.parent() {
            Some(p) => d = p.to_path_buf(),
            None => return PathBuf::from("."),
        }
    }
}

fn mode_str(mode: u32) -> String {
    format!("{mode:04o}")
}

/// A planned file and how to report it.
struct Plan {
    write: PlannedWrite,
    kind: &'static str,
    org: Option<String>,
    cert_der: Option<Vec<u8>>,
    key_type: Option<String>,
    /// For values files: whether the edit changed anything (unchanged files are not written).
    changed: bool,
}

/// The certificate (0644) and key (0600) files of one issued leaf, of the given kinds.
fn leaf_plans(
    issued: &leaf::Issued,
    [crt, key]: [PathBuf; 2],
    [crt_kind, key_kind]: [&'static str; 2],
    org: Option<String>,
    alg: KeyAlg,
) -> [Plan; 2] {
    [
        Plan {
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
        Plan {
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

fn describe_alg(alg: KeyAlg) -> String {
    match alg {
        KeyAlg::EcdsaP256 => "ECDSA P-256".into(),
        KeyAlg::EcdsaP384 => "ECDSA P-384".into(),
        KeyAlg::Rsa2048 => "RSA 2048".into(),
        KeyAlg::Rsa3072 => "RSA 3072".into(),
        KeyAlg::Rsa4096 => "RSA 4096".into(),
        KeyAlg::Ed25519 => "Ed25519".into(),
    }
}

pub fn gen(args: CertsGenArgs) -> anyhow::Result<GenReport> {
    gen_report(&args, OffsetDateTime::now_utc())
}

/// The longest validity `certs gen` makes: 100 years.
pub const MAX_DAYS: u32 = 36_500;

/// A validity in days: 1 to [`MAX_DAYS`], and ending by the year 9999 (the last a certificate
/// can hold).
fn check_days(flag: &str, days: u32, now: OffsetDateTime) -> anyhow::Result<()> {
    if days == 0 || days > MAX_DAYS {
        return Err(Explained::input(format!(
            "{flag} {days} is out of range: give 1 to {MAX_DAYS} days (100 years)"
        ))
        .into());
    }
    let end = now.checked_add(time::Duration::days(i64::from(days)));
    if end.is_none_or(|end| end.year() > 9999) {
        return Err(Explained::input(format!(
            "{flag} {days} ends after the year 9999, the last date a certificate can hold"
        ))
        .into());
    }
    Ok(())
}

/// Everything `certs gen` does, returning its report.
pub fn gen_report(args: &CertsGenArgs, now: OffsetDateTime) -> anyhow::Result<GenReport> {
    let alg = key_alg(args.key_type);
    let names = server_names(args)?;
    let orgs = parse_orgs(&args.orgs)?;
    if names.is_empty() && orgs.is_empty() {
        return Err(Explained::input("nothing to make")
            .hint("pass --host NAME for the orchestrator's server certificate, --org MSPID for a backend's client certificate, or both")
            .into());
    }
    check_days("--days", args.days, now)?;
    check_days("--ca-days", args.ca_days, now)?;
    if args.ca_cn.trim().is_empty() {
        return Err(Explained::input("--ca-cn is empty: a CA needs a common name")
            .hint("pass --ca-cn NAME, or leave it out for \"Orchestrator Root CA\"")
            .into());
    }
    let namespace = args.namespace.as_deref();
    if let Some(ns) = namespace {
        if !kube::valid_namespace(ns) {
            return Err(input(format!(
                "--namespace {ns}: a namespace is lowercase letters, digits and '-', at most 63 characters"
            )));
        }
    }
    let backend_namespace = args.backend_namespace.as_deref();
    if let Some(ns) = backend_namespace {
        if !kube::valid_namespace(ns) {
            return Err(input(format!(
                "--backend-namespace {ns}: a namespace is lowercase letters, digits and '-', at most 63 characters"
            )));
        }
    }

    let out = &args.out;
    if out.exists() && !out.is_dir() {
        return Err(input(format!("--out {}: not a directory", out.display())));
    }
    let writable_dir = existing_ancestor(out);
    workspace::check_writable(&writable_dir).map_err(|e| {
        Explained::input(format!("--out {}: {e}", out.display()))
            .hint("choose another --out, or fix the directory's permissions")
    })?;
    if let Some(dir) = &args.values_dir {
        if !dir.is_dir() {
            return Err(input(format!("--values-dir {}: not a directory", dir.display())));
        }
    }
    // A missing --out is made now, so that it can be locked, and removed if the run fails.
    let created_out = !out.exists();
    if created_out {
        std::fs::create_dir_all(out)
            .map_err(|e| Explained::input(format!("cannot create --out {}: {e}", out.display())))?;
    }
    let result = gen_locked(args, now, alg, names, orgs, namespace, backend_namespace);
    if result.is_err() && created_out {
        let _ = std::fs::remove_dir(out);
    }
    result
}

/// `certs gen` once --out exists: everything under the lock of --out and --values-dir.
#[allow(clippy::too_many_arguments)]
fn gen_locked(
    args: &CertsGenArgs,
    now: OffsetDateTime,
    alg: KeyAlg,
    names: Vec<Name>,
    orgs: Vec<OrgSpec>,
    namespace: Option<&str>,
    backend_namespace: Option<&str>,
) -> anyhow::Result<GenReport> {
    let out = &args.out;
    let mut dirs = vec![out.as_path()];
    dirs.extend(args.values_dir.as_deref());
    let lock = Lock::dirs(dirs, |_| {})?;
    let mut warnings = lock.recovered.clone();

    // The CA: reuse the one in --out, never overwrite it.
    let ca_crt = at(out, CA_CRT);
    let ca_key = at(out, CA_KEY);
    let (ca, ca_created) = match (ca_crt.exists(), ca_key.exists()) {
        (true, true) => {
            let ca = Ca::load(&ca_crt, &read(&ca_crt)?, &ca_key, &read(&ca_key)?).map_err(|e| {
                let hint = match &e {
                    pki::PkiError::KeyMismatch { .. } => Some(format!(
                        "put the CA's own key in {}, or move both files away to make a new CA",
                        ca_key.display()
                    )),
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
                    ca_crt.display()
                ));
            }
            (ca, false)
        }
        (true, false) | (false, true) => {
            let (has, lacks) =
                if ca_crt.exists() { (&ca_crt, &ca_key) } else { (&ca_key, &ca_crt) };
            return Err(Explained::input(format!(
                "{} exists but {} does not: a CA needs both",
                has.display(),
                lacks.display()
            ))
            .hint("restore the missing file, or move the other away to make a new CA")
            .into());
        }
        (false, false) => (Ca::generate(&args.ca_cn, alg, args.ca_days, now)?, true),
    };

    // Leaf files: refuse to overwrite without --force.
    let mut leaf_files: Vec<PathBuf> = Vec::new();
    if !names.is_empty() {
        leaf_files.push(at(out, SERVER_CRT));
        leaf_files.push(at(out, SERVER_KEY));
    }
    for org in &orgs {
        leaf_files.push(at(out, &format!("{}.crt", org.mspid)));
        leaf_files.push(at(out, &format!("{}.key", org.mspid)));
    }
    let existing: Vec<&PathBuf> = leaf_files.iter().filter(|p| p.exists()).collect();
    if !existing.is_empty() && !args.force {
        return Err(Explained::input(format!(
            "{} already exist{}",
            existing.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
            if existing.len() == 1 { "s" } else { "" }
        ))
        .hint("pass --force to replace them (the CA is never replaced), or choose another --out")
        .into());
    }

    // Values: parse and edit in memory now, so that a bad file stops everything.
    let mut value_plans = Vec::new();
    if let Some(dir) = &args.values_dir {
        let ws = Workspace::new(dir, &args.values_pattern)?;
        let path = at(dir, ORCHESTRATOR_VALUES);
        let mut doc = values::Doc::parse(&path, workspace::read(&path)?)?;
        let ids: Vec<&str> = orgs.iter().map(|o| o.mspid.as_str()).collect();
        let changed = values::tls::orchestrator(&mut doc, SECRETS, &ids)?;
        value_plans.push((doc, changed, None));
        for org in &orgs {
            let mut doc = ws.find_by_msp_id(&org.mspid)?;
            let changed = values::tls::backend(&mut doc, SECRETS)?;
            value_plans.push((doc, changed, Some(org.mspid.clone())));
        }
        if orgs.is_empty() {
            warnings.push("backends must trust the CA too: set orchestrator.tls.enabled and orchestrator.tls.cacert in their values (--org does it with mTLS)".into());
        }
    }

    // Make the keys and certificates.
    let mut plans: Vec<Plan> = Vec::new();
    let ca_cert_pem = ca.cert_pem.clone();
    let ca_end = {
        let (_, c) = x509_parser::parse_x509_certificate(ca.cert_der.as_ref())
            .map_err(|e| anyhow::anyhow!("{}: {e}", ca_crt.display()))?;
        c.validity().not_after.to_datetime()
    };
    if ca_end < now + time::Duration::days(i64::from(args.days) - 1) {
        warnings.push(format!(
            "the CA expires on {}, before the new certificates: clients reject them from then on",
            inspect::rfc3339(ca_end)
        ));
    }
    if let Some(key_pem) = &ca.new_key_pem {
        plans.push(Plan {
            write: PlannedWrite {
                path: ca_crt.clone(),
                contents: ca_cert_pem.clone().into_bytes(),
                new_mode: PUBLIC_MODE,
            },
            kind: "ca-certificate",
            org: None,
            cert_der: Some(ca.cert_der.to_vec()),
            key_type: None,
            changed: true,
        });
        plans.push(Plan {
            write: PlannedWrite {
                path: ca_key.clone(),
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
    if !names.is_empty() {
        roles.push(Role::Server { names: names.clone() });
    }
    for org in &orgs {
        roles.push(Role::Client { mspid: org.mspid.clone(), cn: org.cn.clone() });
    }
    let mut issued_all = leaf::issue_all(&ca, &roles, alg, args.days, now)?.into_iter();
    let missing = || anyhow::anyhow!("a certificate was not made; please report this");
    let mut server = None;
    if !names.is_empty() {
        let issued = issued_all.next().ok_or_else(missing)?;
        plans.extend(leaf_plans(
            &issued,
            [at(out, SERVER_CRT), at(out, SERVER_KEY)],
            ["server-certificate", "server-key"],
            None,
            alg,
        ));
        server = Some(issued);
    }
    let mut clients = Vec::new();
    for org in &orgs {
        let issued = issued_all.next().ok_or_else(missing)?;
        let paths =
            [at(out, &format!("{}.crt", org.mspid)), at(out, &format!("{}.key", org.mspid))];
        plans.extend(leaf_plans(
            &issued,
            paths,
            ["client-certificate", "client-key"],
            Some(org.mspid.clone()),
            alg,
        ));
        clients.push((org.mspid.clone(), issued));
    }

    // Manifests.
    let mut manifest_paths: Vec<(PathBuf, Option<String>)> = Vec::new();
    if args.manifests {
        let (ca_yaml, ca_file) = if args.cacert_configmap {
            (
                kube::configmap(SECRETS.ca, namespace, "ca.crt", &ca_cert_pem),
                format!("{}.configmap.yaml", SECRETS.ca),
            )
        } else {
            (
                kube::secret(SECRETS.ca, namespace, &[("ca.crt", ca_cert_pem.as_bytes())]),
                format!("{}.yaml", SECRETS.ca),
            )
        };
        let mut manifest = |path: PathBuf, yaml: String, mode: u32, org: Option<String>| {
            manifest_paths.push((path.clone(), org.clone()));
            plans.push(Plan {
                write: PlannedWrite { path, contents: yaml.into_bytes(), new_mode: mode },
                kind: "manifest",
                org,
                cert_der: None,
                key_type: None,
                changed: true,
            });
        };
        manifest(at(out, &ca_file), ca_yaml, PUBLIC_MODE, None);
        if let Some(s) = &server {
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
        let backend_ca = if args.cacert_configmap {
            kube::configmap(SECRETS.ca, backend_namespace, "ca.crt", &ca_cert_pem)
        } else {
            kube::secret(SECRETS.ca, backend_namespace, &[("ca.crt", ca_cert_pem.as_bytes())])
        };
        for (mspid, c) in &clients {
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
    }
    for (doc, changed, org) in value_plans {
        plans.push(Plan {
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
        });
    }

    // Files that hold a private key are never left readable by others, even when an existing
    // file of a looser mode is replaced.
    let mut set = ChangeSet::new();
    for p in plans.iter().filter(|p| p.changed) {
        let before = if p.kind == "values" { workspace::read(&p.write.path)? } else { None };
        set.add(Change {
            path: p.write.path.clone(),
            before,
            after: p.write.contents.clone(),
            new_mode: p.write.new_mode,
            private: p.write.new_mode == SECRET_MODE,
        });
    }
    let written = set.commit(&lock)?;
    for w in written.iter().filter(|w| w.restricted) {
        warnings.push(format!(
            "{} was readable by others; it is now mode {:04o}",
            w.path.display(),
            w.mode
        ));
    }

    let mut files = Vec::new();
    if !ca_created {
        let mode = std::fs::metadata(&ca_crt)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(PUBLIC_MODE);
        files.push(GenFile {
            path: ca_crt.clone(),
            kind: "ca-certificate",
            status: "kept",
            mode: mode_str(mode),
            org: None,
            certificate: Some(cert_info(ca.cert_der.as_ref(), now)?),
            key_type: None,
        });
    }
    let mut written = written.into_iter();
    for p in &plans {
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
        files.push(GenFile {
            path: p.write.path.clone(),
            kind: p.kind,
            status,
            mode: mode_str(mode),
            org: p.org.clone(),
            certificate: p.cert_der.as_deref().map(|d| cert_info(d, now)).transpose()?,
            key_type: p.key_type.clone(),
        });
    }

    let next_steps = next_steps(args, &manifest_paths, server.is_some(), &orgs, out);
    Ok(GenReport {
        out: out.clone(),
        ca: if ca_created { "created" } else { "reused" },
        files,
        warnings,
        next_steps,
    })
}

fn cert_info(der: &[u8], now: OffsetDateTime) -> anyhow::Result<CertInfo> {
    let (_, c) = x509_parser::parse_x509_certificate(der).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(inspect::info(der, &c, now))
}

fn next_steps(
    args: &CertsGenArgs,
    manifests: &[(PathBuf, Option<String>)],
    server: bool,
    orgs: &[OrgSpec],
    out: &Path,
) -> Vec<String> {
    let ns = args.namespace.as_ref().map(|n| format!(" -n {n}")).unwrap_or_default();
    let mut steps = Vec::new();
    if args.manifests {
        let orch: Vec<String> = manifests
            .iter()
            .filter(|(_, org)| org.is_none())
            .map(|(p, _)| format!("-f {}", p.display()))
            .collect();
        if server {
            steps.push(format!("orchestrator's cluster: kubectl apply{ns} {}", orch.join(" ")));
        }
        let backend_ns =
            format!(" -n {}", args.backend_namespace.as_deref().unwrap_or("BACKEND-NAMESPACE"));
        for (p, org) in manifests {
            if let Some(org) = org {
                steps
                    .push(format!("{org}'s cluster: kubectl apply{backend_ns} -f {}", p.display()));
            }
        }
    } else {
        let ca = at(out, CA_CRT);
        let cacert = if args.cacert_configmap { "configmap" } else { "secret generic" };
        if server {
            steps.push(format!(
                "orchestrator's cluster: kubectl create{ns} {cacert} {} --from-file=ca.crt={} && kubectl create{ns} secret tls {} --cert={} --key={}",
                SECRETS.ca, ca.display(), SECRETS.server_pair, at(out, SERVER_CRT).display(), at(out, SERVER_KEY).display()
            ));
        }
        for org in orgs {
            steps.push(format!(
                "{}'s cluster: kubectl create{ns} {cacert} {} --from-file=ca.crt={} && kubectl create{ns} secret tls {} --cert={} --key={}",
                org.mspid, SECRETS.ca, ca.display(), SECRETS.client,
                at(out, &format!("{}.crt", org.mspid)).display(), at(out, &format!("{}.key", org.mspid)).display()
            ));
        }
    }
    if args.values_dir.is_some() {
        steps.push("helm upgrade each release with its values file (orchestrator first)".into());
    }
    steps
}

pub fn inspect_files(args: CertsInspectArgs) -> anyhow::Result<InspectReport> {
    let now = OffsetDateTime::now_utc();
    let mut certificates = Vec::new();
    for file in &args.files {
        let bytes = read(file)?;
        let certs = pki::read_certs(file, &bytes)?;
        for (index, der) in certs.iter().enumerate() {
            let parsed = pki::parse(file, der)?;
            certificates.push(InspectedCert {
                file: file.clone(),
                index,
                info: inspect::info(der.as_ref(), &parsed, now),
            });
        }
    }
    Ok(InspectReport { certificates })
}

pub fn verify_cert(args: CertsVerifyArgs) -> anyhow::Result<CheckReport> {
    let now = OffsetDateTime::now_utc();
    let host = args.host.as_deref().map(Name::parse).transpose()?;
    let ca_certs = pki::read_certs(&args.ca, &read(&args.ca)?)?;
    let certs = pki::read_certs(&args.cert, &read(&args.cert)?)?;
    let key = match &args.key {
        Some(path) => Some(pki::read_key(path, &read(path)?)?),
        None => None,
    };
    let req = verify::Request {
        ca_path: &args.ca,
        ca_certs: &ca_certs,
        cert_path: &args.cert,
        cert: &certs[0],
        host: host.as_ref(),
        purpose: if args.client { Purpose::Client } else { Purpose::Server },
        key: key.as_ref(),
        now,
    };
    let (cert, ca) = (args.cert.display().to_string(), args.ca.display().to_string());
    let mut report = CheckReport::new(format!("certificate {cert} (CA {ca})"));
    report.about = vec![("certificate", cert), ("ca", ca)];
    report.checks = verify::verify(&req)?;
    Ok(report)
}

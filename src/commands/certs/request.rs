//! `substractl certs request`, on an organization's machine: its private key stays there (made
//! once, kept for renewals unless --new-key) and only the certificate signing request leaves,
//! for the orchestrator's owner to sign with `certs sign`.

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::files::{self, Planned};
use super::gen::describe_alg;
use super::validate::names_of;
use super::{at, input, key_alg, read, refuse_reserved, CA_CRT, SECRETS};
use crate::cli::CertsRequestArgs;
use crate::deployment::{self, audit};
use crate::error::{hints, Explained};
use crate::pki::leaf::{check_mspid, Name};
use crate::pki::{self, request};
use crate::report::certs::RequestReport;
use crate::values;
use crate::workspace::{Lock, MadeDirs, PUBLIC_MODE, SECRET_MODE};

/// What the organization's backend values say about it.
#[derive(Debug, Default)]
pub(super) struct Identity {
    pub msp_id: Option<String>,
    /// The host of server.defaultDomain, when it is set to something else than the chart's.
    pub host: Option<String>,
}

/// Reads the MSP ID and the host of an organization's backend values file.
/// Both as Helm deploys them, but only when the file sets them: a certificate is not made for
/// the chart's defaults.
pub(super) fn identity(path: &Path) -> anyhow::Result<(Identity, values::Doc)> {
    read(path)?;
    let file = deployment::read_backend(path, "")?;
    // A list or a map where the address belongs renders as Go's text of it: refused, rather
    // than a certificate made for another name.
    if let Some(found) = file.doc().get(&["server", "defaultDomain"]) {
        if !(found.is_string() || found.is_null()) {
            let line = deployment::line_of(file.doc(), &["server", "defaultDomain"]);
            return Err(input(format!(
                "{}:{line}: server.defaultDomain is not a text (it holds {found}): it must be the \
                 backend's address, such as http://api.ingen.example:80",
                path.display()
            )));
        }
    }
    let v = &file.view;
    let chart_domain = deployment::chart::backend_default(&["server", "defaultDomain"]);
    let host = Some(audit::host_of(&v.default_domain).to_string())
        .filter(|h| !v.default_domain_from_chart && !h.is_empty() && *h != chart_domain);
    let msp_id = Some(v.msp_id.clone()).filter(|id| !v.msp_id_from_chart && !id.is_empty());
    Ok((Identity { msp_id, host }, file.values.doc))
}

/// The MSP ID of --msp-id, else of the values file; the two must agree.
pub(super) fn msp_id_of(
    flag: Option<&str>,
    values: Option<(&Path, &Identity)>,
) -> anyhow::Result<String> {
    let from_file = values.and_then(|(p, i)| i.msp_id.as_deref().map(|id| (p, id)));
    let id = match (flag, from_file) {
        (Some(flag), Some((path, id))) if flag != id => {
            return Err(input(format!(
                "--msp-id {flag} differs from orchestrator.mspID {id} in {}",
                path.display()
            )))
        }
        (Some(flag), _) => flag.to_string(),
        (None, Some((_, id))) => id.to_string(),
        (None, None) => {
            let path = values.map(|(p, _)| p.display().to_string()).unwrap_or_default();
            return Err(Explained::input(format!("{path}: orchestrator.mspID is not set"))
                .hint(hints::MSP_ID_OR_FLAG)
                .into());
        }
    };
    check_mspid(&id)?;
    refuse_reserved(&id, "MSP ID ")?;
    Ok(id)
}

/// Who a request is for: its subject and names, and the stem of its key and request files.
struct Subject {
    org: Option<String>,
    cn: String,
    names: Vec<Name>,
    stem: String,
}

/// The organization's request: O from --msp-id or --values, CN its host.
fn organization(args: &CertsRequestArgs, warnings: &mut Vec<String>) -> anyhow::Result<Subject> {
    let values = args.values.as_deref().map(identity).transpose()?.map(|(i, _)| i);
    let from_values = args.values.as_deref().zip(values.as_ref());
    let msp_id = msp_id_of(args.msp_id.as_deref(), from_values)?;
    let cn = match (&args.host, values.as_ref().and_then(|v| v.host.as_deref())) {
        (Some(flag), _) => host_name(flag, "--host")?,
        (None, Some(host)) => match host_name(host, "server.defaultDomain") {
            Ok(h) => h,
            Err(e) => {
                warnings.push(format!("{e:#}; the request's CN is the MSP ID"));
                msp_id.clone()
            }
        },
        (None, None) => msp_id.clone(),
    };
    let names: Vec<Name> =
        if cn == msp_id { Vec::new() } else { Name::parse(&cn).ok().into_iter().collect() };
    Ok(Subject { stem: msp_id.clone(), org: Some(msp_id), cn, names })
}

/// The orchestrator's server request: CN the first of its names, every name a SAN.
fn server(args: &CertsRequestArgs) -> anyhow::Result<Subject> {
    let hosts: Vec<String> = args.host.iter().cloned().collect();
    let names = names_of(&hosts, &args.sans, &args.services)?;
    let cn = match names.first() {
        Some(Name::Dns(n)) => n.clone(),
        Some(Name::Ip(ip)) => ip.to_string(),
        None => {
            return Err(input("--server needs --host NAME, the orchestrator's public host name"))
        }
    };
    Ok(Subject { org: None, cn, names, stem: SERVER_STEM.to_string() })
}

/// The stem of the orchestrator's server files (orchestrator-tls.crt, .key, .csr).
const SERVER_STEM: &str = "orchestrator-tls";

pub fn request(args: CertsRequestArgs) -> anyhow::Result<RequestReport> {
    let now = OffsetDateTime::now_utc();
    let mut warnings = Vec::new();
    let subject = if args.server { server(&args)? } else { organization(&args, &mut warnings)? };

    let out = &args.out;
    if out.exists() && !out.is_dir() {
        return Err(input(format!("--out {}: not a directory", out.display())));
    }
    let made = MadeDirs::make(out)
        .map_err(|e| input(format!("cannot create --out {}: {e}", out.display())))?;
    let result = (|| {
        let lock = crate::commands::lock_dirs([out.as_path()], None)?;
        warnings.extend(lock.recovered.clone());
        write_request(&args, &subject, &lock, now, &mut warnings)
    })();
    if result.is_err() {
        made.undo();
    }
    let (files, key_status, shown, key_path, csr_path) = result?;
    let stem = &subject.stem;
    let in_out =
        if out == Path::new(".") { String::new() } else { format!(" --out {}", out.display()) };
    let next_steps = if args.server {
        let mut flags: Vec<String> = args.host.iter().map(|h| format!("--host {h}")).collect();
        flags.extend(args.sans.iter().map(|n| format!("--san {n}")));
        flags.extend(args.services.iter().map(|n| format!("--service {n}")));
        vec![
            format!(
                "where the CA is: substractl certs sign --server {} {} --out CA-DIR",
                csr_path.display(),
                flags.join(" ")
            ),
            format!(
                "orchestrator's cluster: kubectl create secret tls {} --cert={} --key={}",
                SECRETS.server_pair,
                at(out, &format!("{stem}.crt")).display(),
                key_path.display()
            ),
        ]
    } else {
        let values_arg =
            args.values.as_ref().map(|p| p.display().to_string()).unwrap_or("VALUES.yaml".into());
        vec![
            format!(
                "send {} (and only it: {} stays here) to the orchestrator's owner, who runs: \
                 substractl certs sign {stem}.csr --values-dir DIR",
                csr_path.display(),
                key_path.display()
            ),
            format!(
                "when {stem}.crt and {CA_CRT} come back into {}: substractl certs install {} --ca \
                 {} --values {values_arg}{in_out}",
                out.display(),
                at(out, &format!("{stem}.crt")).display(),
                at(out, CA_CRT).display(),
            ),
        ]
    };
    Ok(RequestReport {
        msp_id: subject.org.clone(),
        subject: shown,
        names: subject.names.iter().map(Name::show).collect(),
        key: key_status,
        files,
        warnings,
        next_steps,
    })
}

type Written = (Vec<crate::report::certs::GenFile>, &'static str, String, PathBuf, PathBuf);

/// Under the lock of --out: the key (kept, or made), the request, one change set.
fn write_request(
    args: &CertsRequestArgs,
    subject: &Subject,
    lock: &Lock,
    now: OffsetDateTime,
    warnings: &mut Vec<String>,
) -> anyhow::Result<Written> {
    let Subject { org, cn, names, stem } = subject;
    let org = org.as_deref();
    let who = org.unwrap_or("orchestrator");
    let key_kind = if org.is_some() { "client-key" } else { "server-key" };
    let key_path = at(&args.out, &format!("{stem}.key"));
    let csr_path = at(&args.out, &format!("{stem}.csr"));
    let existing = crate::workspace::read(&key_path)?;
    let mut planned = Vec::new();
    let mut reported = Vec::new();
    let (key, status) = match existing {
        Some(bytes) if !args.new_key => {
            let key = pki::read_key(&key_path, &bytes)?;
            let alg = request::key_alg_of(&key_path, &key)
                .map_err(|e| Explained::input(e.to_string()).hint(hints::NEW_KEY))?;
            if files::mode_of(&key_path).is_some_and(|m| m & 0o077 != 0) {
                warnings.push(format!(
                    "{} can be read by other users: chmod 600 {}",
                    key_path.display(),
                    key_path.display()
                ));
            }
            reported.push(files::kept(&key_path, key_kind, org, describe_alg(alg)));
            (key, "kept")
        }
        existing => {
            let alg = key_alg(args.key_type);
            let key = alg.generate()?;
            planned.push(Planned {
                path: key_path.clone(),
                contents: pki::key_pem(&key).into_bytes(),
                new_mode: SECRET_MODE,
                kind: key_kind,
                org: org.map(str::to_string),
                cert_der: None,
                key_type: Some(describe_alg(alg)),
            });
            (key, if existing.is_some() { "replaced" } else { "created" })
        }
    };
    let csr_pem = request::make_request(&key, org, cn, names)?;
    // The request is read back as `certs sign` reads it: what is sent is what will be signed.
    let vetted = request::read_request(&csr_path, csr_pem.as_bytes())?;
    if vetted.organizations.first().map(String::as_str) != org {
        return Err(Explained::bug(format!("the request made for {who} does not read back")).into());
    }
    planned.push(Planned {
        path: csr_path.clone(),
        contents: csr_pem.into_bytes(),
        new_mode: PUBLIC_MODE,
        kind: "request",
        org: org.map(str::to_string),
        cert_der: None,
        key_type: None,
    });
    reported.extend(files::commit(lock, &planned, now, warnings)?);
    let shown = match org {
        Some(o) => format!("O={o}, CN={cn}"),
        None => format!("CN={cn}"),
    };
    Ok((reported, status, shown, key_path, csr_path))
}

/// A host name for the request's CN, which holds at most 64 characters.
fn host_name(text: &str, from: &str) -> anyhow::Result<String> {
    match Name::parse(text)? {
        Name::Dns(h) if h.starts_with('*') => {
            Err(input(format!("{from} {h}: a backend's host name cannot be a wildcard")))
        }
        Name::Dns(h) if h.len() > 64 => {
            Err(input(format!("{from} {h}: a common name holds at most 64 characters")))
        }
        Name::Dns(h) => Ok(h),
        Name::Ip(ip) => Ok(ip.to_string()),
    }
}

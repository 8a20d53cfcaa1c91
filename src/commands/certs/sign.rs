//! `substractl certs sign`, on the orchestrator owner's machine: every request is read and
//! vetted, its organization must be one the orchestrator knows, and only then are the
//! certificates signed (with substractl's own extensions, never the request's) and written,
//! with the orchestrator's clientCACerts entries, in one change set.

use std::collections::BTreeSet;
use std::path::PathBuf;

use time::OffsetDateTime;

use super::files::{self, Planned};
use super::validate::{check_days, names_of};
use super::{
    at, input, read, refuse_reserved, CA_CRT, CA_KEY, ORCHESTRATOR_VALUES, SECRETS, SERVER_CRT,
};
use crate::cli::CertsSignArgs;
use crate::error::{hints, Explained};
use crate::pki::leaf::{check_mspid, Name, Role};
use crate::pki::request::{self, SigningRequest};
use crate::pki::{self, inspect, Ca, PkiError};
use crate::report::certs::{SignReport, SignedRequest};
use crate::values;
use crate::workspace::{self, PUBLIC_MODE};

/// One request to sign: the certificate it becomes, and where that is written.
struct Job<'r> {
    req: &'r SigningRequest,
    role: Role,
    crt: PathBuf,
    /// The organization's MSP ID (none for the orchestrator's server request).
    msp_id: Option<String>,
}

pub fn sign(args: CertsSignArgs) -> anyhow::Result<SignReport> {
    let now = OffsetDateTime::now_utc();
    check_days("--days", args.days, now)?;
    if args.server && args.requests.len() != 1 {
        return Err(input(format!(
            "--server signs the orchestrator's one request, not {}",
            args.requests.len()
        )));
    }
    let flag_names = names_of(&args.hosts, &args.sans, &args.services)?;
    for id in &args.msp_ids {
        check_mspid(id)?;
    }
    let out = &args.out;
    if !out.is_dir() {
        return Err(Explained::input(format!("--out {}: not a directory", out.display()))
            .hint(hints::CA_DIR)
            .into());
    }
    if let Some(dir) = &args.values_dir {
        if !dir.is_dir() {
            return Err(input(format!("--values-dir {}: not a directory", dir.display())));
        }
    }
    let mut dirs = vec![out.as_path()];
    dirs.extend(args.values_dir.as_deref());
    let lock = crate::commands::lock_dirs(dirs, None)?;
    let mut warnings = lock.recovered.clone();

    // Everything is read and vetted before anything is signed.
    let ca = load_ca(&args, now, &mut warnings)?;
    let requests = args
        .requests
        .iter()
        .map(|path| Ok(request::read_request(path, &read(path)?)?))
        .collect::<anyhow::Result<Vec<SigningRequest>>>()?;
    let mut orchestrator = match &args.values_dir {
        Some(dir) => {
            let path = at(dir, ORCHESTRATOR_VALUES);
            Some(values::Doc::parse(&path, Some(read(&path)?))?)
        }
        None => None,
    };
    let jobs = vet(&args, &requests, orchestrator.as_ref(), &flag_names)?;

    let mut planned = Vec::new();
    let mut signed = Vec::new();
    for job in &jobs {
        let cert = request::sign_request(&ca, job.req, &job.role, args.days, now)?;
        planned.push(Planned {
            path: job.crt.clone(),
            contents: cert.cert_pem.into_bytes(),
            new_mode: PUBLIC_MODE,
            kind: if args.server { "server-certificate" } else { "client-certificate" },
            org: job.msp_id.clone(),
            cert_der: Some(cert.cert_der.to_vec()),
            key_type: None,
        });
        let dropped = dropped_names(job);
        if !dropped.is_empty() {
            let why = if args.server {
                "pass the names the server needs with --host, --san and --service"
            } else {
                "a client certificate holds the DNS host names asked for, nothing else"
            };
            warnings.push(format!(
                "{} asked for {}, which the certificate leaves out ({why})",
                job.req.path.display(),
                dropped.join(", ")
            ));
        }
        signed.push(SignedRequest {
            request: job.req.path.clone(),
            msp_id: job.msp_id.clone(),
            certificate: job.crt.clone(),
            dropped_names: dropped,
        });
    }
    // Each organization's client CA, keyed by its MSP ID, as `certs gen --org` lists it.
    if let Some(doc) = orchestrator.as_mut() {
        let ids: Vec<&str> = jobs.iter().filter_map(|j| j.msp_id.as_deref()).collect();
        let changed = values::tls::orchestrator(doc, SECRETS, &ids)?;
        crate::deployment::check_client_ca_volumes(doc, &ids)?;
        if changed {
            planned.push(Planned {
                path: doc.path.clone(),
                contents: doc.text.clone().into_bytes(),
                new_mode: PUBLIC_MODE,
                kind: "values",
                org: None,
                cert_der: None,
                key_type: None,
            });
        }
    }
    let files = files::commit(&lock, &planned, now, &mut warnings)?;
    let next_steps = next_steps(&args, &signed);
    Ok(SignReport { out: out.clone(), signed, files, warnings, next_steps })
}

/// What each request becomes: a client certificate for an MSP ID the orchestrator knows (one
/// per organization), or with --server the orchestrator's; a certificate already in --out is
/// replaced only with --force.
fn vet<'r>(
    args: &CertsSignArgs,
    requests: &'r [SigningRequest],
    orchestrator: Option<&values::Doc>,
    flag_names: &[Name],
) -> anyhow::Result<Vec<Job<'r>>> {
    let mut known: BTreeSet<String> = args.msp_ids.iter().cloned().collect();
    if let Some(doc) = orchestrator {
        let view = crate::deployment::Orchestrator::of(doc)?;
        known.extend(view.channels.into_iter().flat_map(|c| c.organizations));
    }
    let mut jobs: Vec<Job<'r>> = Vec::new();
    for req in requests {
        if args.server {
            let role = Role::Server { names: server_names(req, flag_names)? };
            jobs.push(Job { req, role, crt: at(&args.out, SERVER_CRT), msp_id: None });
            continue;
        }
        let msp_id = req.msp_id()?.to_string();
        refuse_reserved(&msp_id, &format!("{}: O=", req.path.display()))?;
        if !known.contains(&msp_id) {
            return Err(unknown(req, &msp_id, args).into());
        }
        if jobs.iter().any(|j| j.msp_id.as_deref() == Some(msp_id.as_str())) {
            return Err(input(format!(
                "{}: a second request for O={msp_id}: sign one request per organization",
                req.path.display()
            )));
        }
        let role = Role::Client { cn: req.client_cn(&msp_id), mspid: msp_id.clone() };
        let crt = at(&args.out, &format!("{msp_id}.crt"));
        jobs.push(Job { req, role, crt, msp_id: Some(msp_id) });
    }
    let existing: Vec<String> =
        jobs.iter().filter(|j| j.crt.exists()).map(|j| j.crt.display().to_string()).collect();
    if !existing.is_empty() && !args.force {
        return Err(Explained::input(format!(
            "{} already exist{}",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" }
        ))
        .hint(hints::FORCE_SIGNED)
        .into());
    }
    Ok(jobs)
}

/// The server certificate's names: --host, --san and --service when given (the signer
/// decides, and a name the request adds is dropped and said); else the request's host names,
/// else its common name when that is a host name.
fn server_names(req: &SigningRequest, flag_names: &[Name]) -> anyhow::Result<Vec<Name>> {
    let mut names = flag_names.to_vec();
    if names.is_empty() {
        names = req.names.clone();
    }
    if names.is_empty() {
        if let Some(Ok(name @ Name::Dns(_))) = req.common_name.as_deref().map(Name::parse) {
            names.push(name);
        }
    }
    if names.is_empty() {
        return Err(Explained::input(format!(
            "{}: the request names no host: the server certificate needs one",
            req.path.display()
        ))
        .hint(hints::SERVER_HOST)
        .into());
    }
    Ok(names)
}

/// The names a request asked for that its certificate does not hold.
fn dropped_names(job: &Job<'_>) -> Vec<String> {
    match &job.role {
        // Names given as flags are the server's, whatever the request held.
        Role::Server { names } => job
            .req
            .dropped
            .iter()
            .filter(|d| !names.iter().any(|n| n.show() == **d))
            .cloned()
            .chain(job.req.names.iter().filter(|n| !names.contains(n)).map(Name::show))
            .collect(),
        Role::Client { .. } => job.req.dropped.clone(),
    }
}

/// The CA in --out: both files, a pair, a CA; with a warning when it cannot serve MSP-ID
/// verification or ends before the certificates it is about to sign.
fn load_ca(
    args: &CertsSignArgs,
    now: OffsetDateTime,
    warnings: &mut Vec<String>,
) -> anyhow::Result<Ca> {
    let crt = at(&args.out, CA_CRT);
    let key = at(&args.out, CA_KEY);
    let (crt_bytes, key_bytes) = (workspace::read(&crt)?, workspace::read(&key)?);
    let (Some(crt_bytes), Some(key_bytes)) = (crt_bytes, key_bytes) else {
        let missing: Vec<String> =
            [&crt, &key].iter().filter(|p| !p.exists()).map(|p| p.display().to_string()).collect();
        return Err(Explained::input(format!(
            "no CA in {}: {} missing",
            args.out.display(),
            missing.join(" and ")
        ))
        .hint(hints::NO_CA)
        .into());
    };
    let ca = Ca::load(&crt, &crt_bytes, &key, &key_bytes).map_err(|e| {
        let mut ex = Explained::input(e.to_string());
        if matches!(e, PkiError::KeyMismatch { .. }) {
            ex = ex.hint(hints::ca_key_mismatch(&key));
        }
        ex
    })?;
    if ca.key_id.is_none() {
        warnings.push(format!(
            "{} has no subjectKeyIdentifier: with verifyClientMSPID the orchestrator cannot match \
             the certificates it signs to it; consider a new CA",
            crt.display()
        ));
    }
    let ca_end = pki::parse(&crt, &ca.cert_der)?.validity().not_after.to_datetime();
    if ca_end < now + time::Duration::days(i64::from(args.days) - 1) {
        warnings.push(format!(
            "the CA expires on {}, before the certificates signed now: clients reject them from \
             then on",
            inspect::rfc3339(ca_end)
        ));
    }
    Ok(ca)
}

/// A request whose O= is no organization the orchestrator knows.
fn unknown(req: &SigningRequest, msp_id: &str, args: &CertsSignArgs) -> Explained {
    let path = req.path.display();
    match &args.values_dir {
        Some(dir) => Explained::input(format!(
            "{path}: O={msp_id} is not an organization of the orchestrator: no channel of {} \
             lists it{}",
            at(dir, ORCHESTRATOR_VALUES).display(),
            if args.msp_ids.is_empty() { "" } else { ", nor does --msp-id" }
        ))
        .hint(hints::admit_msp_id(msp_id)),
        None if args.msp_ids.is_empty() => Explained::input(format!(
            "{path}: cannot tell whether O={msp_id} is an organization of the orchestrator"
        ))
        .hint(hints::name_msp_id(msp_id)),
        None => Explained::input(format!(
            "{path}: O={msp_id} is not an MSP ID given with --msp-id ({})",
            args.msp_ids.join(", ")
        ))
        .hint(hints::CHECK_SENDER),
    }
}

/// Who gets which file back.
fn next_steps(args: &CertsSignArgs, signed: &[SignedRequest]) -> Vec<String> {
    let ca = at(&args.out, CA_CRT);
    let mut steps = Vec::new();
    for s in signed {
        match &s.msp_id {
            Some(id) => steps.push(format!(
                "send {} and {} to {id} (no key leaves here), who runs: substractl certs install \
                 {id}.crt --ca {CA_CRT} --values VALUES.yaml",
                s.certificate.display(),
                ca.display()
            )),
            None => steps.push(format!(
                "orchestrator's cluster: kubectl create secret tls {} --cert={} --key=KEY (the \
                 key of the request)",
                SECRETS.server_pair,
                s.certificate.display()
            )),
        }
    }
    if args.values_dir.is_some() {
        steps.push("helm upgrade the orchestrator with its values file".into());
    }
    steps
}

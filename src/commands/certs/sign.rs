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
use crate::values::{self, audit};
use crate::workspace::{self, Lock, PUBLIC_MODE};

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
            .hint("pass the directory of the CA (orchestrator-ca.crt and .key) with --out")
            .into());
    }
    if let Some(dir) = &args.values_dir {
        if !dir.is_dir() {
            return Err(input(format!("--values-dir {}: not a directory", dir.display())));
        }
    }
    let mut dirs = vec![out.as_path()];
    dirs.extend(args.values_dir.as_deref());
    let lock = Lock::dirs(dirs, |_| {})?;
    let mut warnings = lock.recovered.clone();

    let ca = load_ca(&args)?;
    if ca.key_id.is_none() {
        warnings.push(format!(
            "{} has no subjectKeyIdentifier: with verifyClientMSPID the orchestrator cannot match \
             the certificates it signs to it; consider a new CA",
            at(out, CA_CRT).display()
        ));
    }
    let ca_end = pki::parse(&at(out, CA_CRT), &ca.cert_der)?.validity().not_after.to_datetime();
    if ca_end < now + time::Duration::days(i64::from(args.days) - 1) {
        warnings.push(format!(
            "the CA expires on {}, before the certificates signed now: clients reject them from \
             then on",
            inspect::rfc3339(ca_end)
        ));
    }
    let requests = args
        .requests
        .iter()
        .map(|path| Ok(request::read_request(path, &read(path)?)?))
        .collect::<anyhow::Result<Vec<SigningRequest>>>()?;

    // The orchestrator's values: who it knows, and where the client CAs are listed.
    let mut orchestrator = match &args.values_dir {
        Some(dir) => {
            let path = at(dir, ORCHESTRATOR_VALUES);
            Some(values::Doc::parse(&path, Some(read(&path)?))?)
        }
        None => None,
    };
    let mut known: BTreeSet<String> = args.msp_ids.iter().cloned().collect();
    if let Some(doc) = &orchestrator {
        known.extend(audit::orchestrator_channels(doc).into_values().flatten());
    }

    // Every request is vetted before anything is signed.
    let mut jobs: Vec<(&SigningRequest, Role, PathBuf, Option<String>)> = Vec::new();
    for req in &requests {
        if args.server {
            let mut names = flag_names.clone();
            for n in &req.names {
                if !names.contains(n) {
                    names.push(n.clone());
                }
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
                .hint("pass --host NAME (and --service NAME.NAMESPACE for in-cluster names)")
                .into());
            }
            jobs.push((req, Role::Server { names }, at(out, SERVER_CRT), None));
            continue;
        }
        let msp_id = req.msp_id()?.to_string();
        refuse_reserved(&msp_id, &format!("{}: O=", req.path.display()))?;
        if !known.contains(&msp_id) {
            return Err(unknown(req, &msp_id, &args).into());
        }
        if jobs.iter().any(|(_, _, _, id)| id.as_deref() == Some(msp_id.as_str())) {
            return Err(input(format!(
                "{}: a second request for O={msp_id}: sign one request per organization",
                req.path.display()
            )));
        }
        let role = Role::Client { cn: req.client_cn(&msp_id), mspid: msp_id.clone() };
        jobs.push((req, role, at(out, &format!("{msp_id}.crt")), Some(msp_id)));
    }
    let existing: Vec<String> = jobs
        .iter()
        .filter(|(_, _, crt, _)| crt.exists())
        .map(|(_, _, crt, _)| crt.display().to_string())
        .collect();
    if !existing.is_empty() && !args.force {
        return Err(Explained::input(format!(
            "{} already exist{}",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" }
        ))
        .hint("pass --force to replace them with the certificates signed now")
        .into());
    }

    let mut planned = Vec::new();
    let mut signed = Vec::new();
    for (req, role, crt, msp_id) in &jobs {
        let cert = request::sign_request(&ca, req, role, args.days, now)?;
        let kind = if args.server { "server-certificate" } else { "client-certificate" };
        planned.push(Planned {
            path: crt.clone(),
            contents: cert.cert_pem.into_bytes(),
            new_mode: PUBLIC_MODE,
            kind,
            org: msp_id.clone(),
            cert_der: Some(cert.cert_der.to_vec()),
            key_type: None,
        });
        let dropped: Vec<&String> = match role {
            // Names given as flags are the server's, whatever the request held.
            Role::Server { names } => {
                req.dropped.iter().filter(|d| !names.iter().any(|n| n.show() == **d)).collect()
            }
            Role::Client { .. } => req.dropped.iter().collect(),
        };
        if !dropped.is_empty() {
            let why = if args.server {
                "pass the names the server needs with --host, --san and --service"
            } else {
                "a client certificate holds the DNS host names asked for, nothing else"
            };
            warnings.push(format!(
                "{} asked for {}, which the certificate leaves out ({why})",
                req.path.display(),
                dropped.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(", ")
            ));
        }
        signed.push(SignedRequest {
            request: req.path.clone(),
            msp_id: msp_id.clone(),
            certificate: crt.clone(),
            dropped_names: req.dropped.clone(),
        });
    }
    if let Some(doc) = orchestrator.as_mut() {
        let ids: Vec<&str> = jobs.iter().filter_map(|(_, _, _, id)| id.as_deref()).collect();
        if values::tls::orchestrator(doc, SECRETS, &ids)? {
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

/// The CA in --out: both files, a pair, a CA.
fn load_ca(args: &CertsSignArgs) -> anyhow::Result<Ca> {
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
        .hint("pass the directory of `substractl certs gen` (or of the guide's openssl CA) with --out")
        .into());
    };
    Ca::load(&crt, &crt_bytes, &key, &key_bytes).map_err(|e| {
        let mut ex = Explained::input(e.to_string());
        if matches!(e, PkiError::KeyMismatch { .. }) {
            ex = ex.hint(hints::ca_key_mismatch(&key));
        }
        ex.into()
    })
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
        .hint(format!(
            "check who sent the request; to admit {msp_id}, add it to a channel (substractl link \
             --channel) or pass --msp-id {msp_id}"
        )),
        None if args.msp_ids.is_empty() => Explained::input(format!(
            "{path}: cannot tell whether O={msp_id} is an organization of the orchestrator"
        ))
        .hint(format!(
            "pass --values-dir DIR (its orchestrator-values.yaml lists the organizations in its \
             channels), or --msp-id {msp_id} once you know who sent the request"
        )),
        None => Explained::input(format!(
            "{path}: O={msp_id} is not an MSP ID given with --msp-id ({})",
            args.msp_ids.join(", ")
        ))
        .hint("check who sent the request, and the MSP ID it should hold"),
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

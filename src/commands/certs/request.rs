//! `substractl certs request`, on an organization's machine: its private key stays there (made
//! once, kept for renewals unless --new-key) and only the certificate signing request leaves,
//! for the orchestrator's owner to sign with `certs sign`.

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::files::{self, Planned};
use super::gen::describe_alg;
use super::{at, input, key_alg, read, CA_CRT};
use crate::cli::CertsRequestArgs;
use crate::error::Explained;
use crate::pki::leaf::{check_mspid, Name};
use crate::pki::{self, request};
use crate::report::certs::RequestReport;
use crate::values::{self, audit, backend::BackendValues};
use crate::workspace::{Lock, PUBLIC_MODE, SECRET_MODE};

/// What the organization's backend values say about it.
#[derive(Debug, Default)]
pub(super) struct Identity {
    pub msp_id: Option<String>,
    /// The host of server.defaultDomain, when it is set to something else than the chart's.
    pub host: Option<String>,
}

/// Reads the MSP ID and the host of an organization's backend values file.
pub(super) fn identity(path: &Path) -> anyhow::Result<(Identity, values::Doc)> {
    let doc = values::Doc::parse(path, Some(read(path)?))?;
    let host = doc
        .get(&["server", "defaultDomain"])
        .and_then(|v| v.as_str())
        .map(|d| audit::host_of(d.trim()).to_string())
        .filter(|h| !h.is_empty() && h != audit::CHART_DEFAULT_DOMAIN);
    let values = BackendValues::read(doc)?;
    Ok((Identity { msp_id: values.msp_id.clone(), host }, values.doc))
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
                .hint("set it to the organization's MSP ID, or pass --msp-id ID")
                .into());
        }
    };
    check_mspid(&id)?;
    if id == "orchestrator-ca" || id == "orchestrator-tls" {
        return Err(input(format!(
            "MSP ID {id}: its files would be the CA's or the orchestrator's server's"
        )));
    }
    Ok(id)
}

pub fn request(args: CertsRequestArgs) -> anyhow::Result<RequestReport> {
    let now = OffsetDateTime::now_utc();
    let mut warnings = Vec::new();
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

    let out = &args.out;
    if out.exists() && !out.is_dir() {
        return Err(input(format!("--out {}: not a directory", out.display())));
    }
    let created_out = !out.exists();
    if created_out {
        std::fs::create_dir_all(out)
            .map_err(|e| input(format!("cannot create --out {}: {e}", out.display())))?;
    }
    let result = (|| {
        let lock = Lock::dirs([out.as_path()], |_| {})?;
        warnings.extend(lock.recovered.clone());
        write_request(&args, &msp_id, &cn, &names, &lock, now, &mut warnings)
    })();
    if result.is_err() && created_out {
        let _ = std::fs::remove_dir(out);
    }
    let (files, key_status, subject, key_path, csr_path) = result?;
    let values_arg =
        args.values.as_ref().map(|p| p.display().to_string()).unwrap_or("VALUES.yaml".into());
    let next_steps = vec![
        format!(
            "send {} (and only it: {} stays here) to the orchestrator's owner, who runs: \
             substractl certs sign {msp_id}.csr --values-dir DIR",
            csr_path.display(),
            key_path.display()
        ),
        format!(
            "when {msp_id}.crt and {CA_CRT} come back into {}: substractl certs install {} --ca {} \
             --values {values_arg}{}",
            out.display(),
            at(out, &format!("{msp_id}.crt")).display(),
            at(out, CA_CRT).display(),
            if out == Path::new(".") { String::new() } else { format!(" --out {}", out.display()) }
        ),
    ];
    Ok(RequestReport {
        msp_id,
        subject,
        names: names.iter().map(Name::show).collect(),
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
    msp_id: &str,
    cn: &str,
    names: &[Name],
    lock: &Lock,
    now: OffsetDateTime,
    warnings: &mut Vec<String>,
) -> anyhow::Result<Written> {
    let key_path = at(&args.out, &format!("{msp_id}.key"));
    let csr_path = at(&args.out, &format!("{msp_id}.csr"));
    let existing = crate::workspace::read(&key_path)?;
    let mut planned = Vec::new();
    let mut reported = Vec::new();
    let (key, status) = match existing {
        Some(bytes) if !args.new_key => {
            let key = pki::read_key(&key_path, &bytes)?;
            let alg = request::key_alg_of(&key_path, &key).map_err(|e| {
                Explained::input(e.to_string())
                    .hint("pass --new-key to replace it with a key of --key-type")
            })?;
            if files::mode_of(&key_path).is_some_and(|m| m & 0o077 != 0) {
                warnings.push(format!(
                    "{} can be read by other users: chmod 600 {}",
                    key_path.display(),
                    key_path.display()
                ));
            }
            reported.push(files::kept(&key_path, "client-key", msp_id, describe_alg(alg)));
            (key, "kept")
        }
        existing => {
            let alg = key_alg(args.key_type);
            let key = alg.generate()?;
            planned.push(Planned {
                path: key_path.clone(),
                contents: pki::key_pem(&key).into_bytes(),
                new_mode: SECRET_MODE,
                kind: "client-key",
                org: Some(msp_id.to_string()),
                cert_der: None,
                key_type: Some(describe_alg(alg)),
            });
            (key, if existing.is_some() { "replaced" } else { "created" })
        }
    };
    let csr_pem = request::make_request(&key, Some(msp_id), cn, names)?;
    // The request is read back as `certs sign` reads it: what is sent is what will be signed.
    let vetted = request::read_request(&csr_path, csr_pem.as_bytes())?;
    if vetted.msp_id()? != msp_id {
        return Err(Explained::bug("the request made does not name its MSP ID").into());
    }
    planned.push(Planned {
        path: csr_path.clone(),
        contents: csr_pem.into_bytes(),
        new_mode: PUBLIC_MODE,
        kind: "request",
        org: Some(msp_id.to_string()),
        cert_der: None,
        key_type: None,
    });
    reported.extend(files::commit(lock, &planned, now, warnings)?);
    let subject = format!("O={msp_id}, CN={cn}");
    Ok((reported, status, subject, key_path, csr_path))
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

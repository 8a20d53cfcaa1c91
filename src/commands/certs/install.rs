//! `substractl certs install`, on an organization's machine: the certificate the
//! orchestrator's owner sent back is checked against what only this side knows (its key, its
//! MSP ID) and against the CA, and only then are the backend's TLS values and the Secret
//! manifests written, in one change set.

use std::path::Path;

use time::OffsetDateTime;

use super::files::{self, Planned};
use super::request::{identity, msp_id_of};
use super::{at, input, read, SECRETS};
use crate::cli::CertsInstallArgs;
use crate::error::{hints, Explained};
use crate::kube;
use crate::pki::request::signed_by;
use crate::pki::verify::{self, Purpose};
use crate::pki::{self, PkiError};
use crate::report::certs::InstallReport;
use crate::report::check::Mark;
use crate::values;
use crate::workspace::{PUBLIC_MODE, SECRET_MODE};

pub fn install(args: CertsInstallArgs) -> anyhow::Result<InstallReport> {
    let now = OffsetDateTime::now_utc();
    if let Some(ns) = args.namespace.as_deref() {
        if !kube::valid_namespace(ns) {
            return Err(input(format!(
                "--namespace {ns}: a namespace is lowercase letters, digits and '-', at most 63 characters"
            )));
        }
    }
    let out = &args.out;
    if !out.is_dir() {
        return Err(input(format!("--out {}: not a directory", out.display())));
    }
    let mut dirs = vec![out.to_path_buf()];
    if let Some(v) = &args.values {
        dirs.push(
            v.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).into(),
        );
    }
    let lock = crate::commands::lock_dirs(dirs.iter().map(|d| d.as_path()), None)?;
    let mut warnings = lock.recovered.clone();

    let (id, doc) = match &args.values {
        Some(path) => {
            let (id, doc) = identity(path)?;
            (Some(id), Some(doc))
        }
        None => (None, None),
    };
    let from_values = args.values.as_deref().zip(id.as_ref());
    let msp_id = msp_id_of(args.msp_id.as_deref(), from_values)?;
    let key_path = args.key.clone().unwrap_or_else(|| at(out, &format!("{msp_id}.key")));

    let cert_bytes = read(&args.cert)?;
    let certs = pki::read_certs(&args.cert, &cert_bytes)?;
    let cert = pki::parse(&args.cert, &certs[0])?;
    let ca_bytes = read(&args.ca)?;
    let ca_certs = pki::read_certs(&args.ca, &ca_bytes)?;
    let key_bytes = read(&key_path)?;
    let key = pki::read_key(&key_path, &key_bytes)?;

    let ca_der = check_answer(&args, &msp_id, &key_path, &key, &cert, &ca_certs)?;

    // What the orchestrator will think of it: said, not refused.
    let checks = verify::verify(&verify::Request {
        ca_path: &args.ca,
        ca_certs: std::slice::from_ref(ca_der),
        cert_path: &args.cert,
        cert: &certs[0],
        hosts: &[],
        organization: None,
        purpose: Purpose::Client,
        key: Some(&key),
        msp_id_verification: None,
        now,
    })?;
    for c in checks.iter().filter(|c| c.status != Mark::Ok) {
        let hint = c.hint.as_deref().map(|h| format!(" ({h})")).unwrap_or_default();
        warnings.push(format!("{}: {}{hint}", args.cert.display(), c.detail));
    }

    let ns = args.namespace.as_deref();
    let ca_manifest = at(out, &format!("{}.yaml", SECRETS.ca));
    let pair_manifest = at(out, &format!("{}.yaml", SECRETS.client));
    let mut planned = vec![
        Planned {
            path: ca_manifest.clone(),
            contents: kube::secret(SECRETS.ca, ns, &[("ca.crt", &ca_bytes)]).into_bytes(),
            new_mode: PUBLIC_MODE,
            kind: "manifest",
            org: Some(msp_id.clone()),
            cert_der: None,
            key_type: None,
        },
        Planned {
            path: pair_manifest.clone(),
            contents: kube::tls_secret(SECRETS.client, ns, &cert_bytes, &key_bytes).into_bytes(),
            new_mode: SECRET_MODE,
            kind: "manifest",
            org: Some(msp_id.clone()),
            cert_der: None,
            key_type: None,
        },
    ];
    if let Some(mut doc) = doc {
        values::tls::backend(&mut doc, SECRETS)?;
        planned.push(Planned {
            path: doc.path.clone(),
            contents: doc.text.into_bytes(),
            new_mode: PUBLIC_MODE,
            kind: "values",
            org: Some(msp_id.clone()),
            cert_der: None,
            key_type: None,
        });
    }
    let files = files::commit(&lock, &planned, now, &mut warnings)?;
    let n = ns.map_or(" -n NAMESPACE".to_string(), |_| String::new());
    let mut next_steps = vec![format!(
        "{msp_id}'s cluster: kubectl apply{n} -f {} -f {}",
        ca_manifest.display(),
        pair_manifest.display()
    )];
    if let Some(v) = &args.values {
        next_steps.push(format!("helm upgrade {msp_id}'s backend with {}", v.display()));
    }
    Ok(InstallReport {
        msp_id,
        certificate: args.cert.clone(),
        key: key_path,
        ca: args.ca.clone(),
        files,
        warnings,
        next_steps,
    })
}

/// The answer checked against what only this side knows (its key, its MSP ID), then against
/// the CA; returns the CA certificate that signed it. Every refusal names both sides.
fn check_answer<'c>(
    args: &CertsInstallArgs,
    msp_id: &str,
    key_path: &Path,
    key: &rcgen::KeyPair,
    cert: &x509_parser::certificate::X509Certificate<'_>,
    ca_certs: &'c [rustls_pki_types::CertificateDer<'static>],
) -> anyhow::Result<&'c rustls_pki_types::CertificateDer<'static>> {
    if !pki::key_matches(key, cert) {
        return Err(Explained::input(format!(
            "{} is not the certificate of {}: it holds another public key",
            args.cert.display(),
            key_path.display()
        ))
        .hint(hints::install_own_pair(key_path, msp_id))
        .into());
    }
    let orgs: Vec<String> = cert
        .subject()
        .iter_organization()
        .filter_map(|o| o.as_str().ok().map(str::to_string))
        .collect();
    if orgs != [msp_id] {
        let holds = if orgs.is_empty() {
            "no O=".to_string()
        } else {
            format!("O={}", orgs.join(", O=").escape_debug())
        };
        let whose = match &args.values {
            Some(p) if args.msp_id.is_none() => format!("orchestrator.mspID in {}", p.display()),
            _ => "--msp-id".to_string(),
        };
        return Err(Explained::input(format!(
            "{} is for {holds}, not for {msp_id} ({whose})",
            args.cert.display()
        ))
        .hint(hints::OTHER_MSP_ID)
        .into());
    }
    // What `certs sign` would never issue, and what the orchestrator would refuse.
    let signs_certificates =
        cert.key_usage().ok().flatten().is_some_and(|ku| ku.value.key_cert_sign());
    if cert.is_ca() || signs_certificates {
        return Err(Explained::input(format!(
            "{} is a CA certificate (CA:TRUE or keyCertSign): an organization's client \
             certificate must not be able to sign others",
            args.cert.display()
        ))
        .hint(hints::SIGN_AS_CLIENT)
        .into());
    }
    if let Ok(Some(eku)) = cert.extended_key_usage() {
        if !eku.value.client_auth && !eku.value.any {
            return Err(Explained::input(format!(
                "{} does not allow clientAuth (its extended key usage leaves it out): the \
                 orchestrator refuses it as a client certificate",
                args.cert.display()
            ))
            .hint(hints::SIGN_AS_CLIENT)
            .into());
        }
    }
    let mut signer = None;
    for der in ca_certs {
        let ca = pki::parse(&args.ca, der)?;
        if signed_by(cert, &ca) {
            if !ca.is_ca() {
                return Err(PkiError::NotCa { path: args.ca.clone() }.into());
            }
            signer = Some(der);
            break;
        }
    }
    signer.ok_or_else(|| {
        Explained::input(format!(
            "{} is not signed by the CA {} (its issuer is \"{}\")",
            args.cert.display(),
            args.ca.display(),
            cert.issuer().to_string().escape_debug()
        ))
        .hint(hints::ORCHESTRATOR_CA)
        .into()
    })
}

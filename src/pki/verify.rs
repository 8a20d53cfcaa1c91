//! `certs verify`: is a certificate signed by the CA, valid now (and its CA with it), valid for
//! a host name and a purpose, usable by the chart's health probe, and the pair of a private
//! key? Each answer is one [`Check`] of the common vocabulary, with a hint when it is not ok.

use std::path::Path;

use rcgen::KeyPair;
use rustls_pki_types::CertificateDer;
use serde::Serialize;
use time::OffsetDateTime;
use x509_parser::certificate::X509Certificate;

use super::inspect::{self, days_until, rfc3339};
use super::leaf::Name;
use super::names::{self, Usage};
use super::{colon_hex, key_matches, parse, PkiError};
use crate::check::{Check, EXPIRY_WARNING_DAYS};
use crate::workspace::WsError;

/// The group of every check of `certs verify`.
pub const GROUP: &str = "certificate";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    Server,
    Client,
}

/// What to verify.
pub struct Request<'a> {
    pub ca_path: &'a Path,
    pub ca_certs: &'a [CertificateDer<'a>],
    pub cert_path: &'a Path,
    pub cert: &'a CertificateDer<'a>,
    /// The host names the certificate must be valid for.
    pub hosts: &'a [Name],
    /// The MSP ID a client certificate must carry as its Subject O.
    pub organization: Option<&'a str>,
    pub purpose: Purpose,
    pub key: Option<&'a KeyPair>,
    /// Whether the orchestrator verifies clients' MSP IDs (`verifyClientMSPID`, which compares
    /// a client certificate's authorityKeyIdentifier with its CA's subjectKeyIdentifier); None
    /// when it is not known, which counts as on.
    pub msp_id_verification: Option<bool>,
    pub now: OffsetDateTime,
}

/// Runs every check that applies. The certificate is valid when none fails.
pub fn verify(req: &Request<'_>) -> Result<Vec<Check>, PkiError> {
    let cert = parse(req.cert_path, req.cert)?;
    let cas = req.ca_certs.iter().map(|c| parse(req.ca_path, c)).collect::<Result<Vec<_>, _>>()?;
    let (chain_check, signer) = chain(&cert, &cas, req.purpose);
    let mut checks = vec![chain_check];
    checks.push(validity(&cert, signer, req.now, req.purpose));
    for host in req.hosts {
        checks.push(host_check(&cert, host));
    }
    checks.push(purpose(&cert, req.purpose));
    if req.purpose == Purpose::Server {
        checks.push(health_probe(GROUP, names::usage(&cert)));
    }
    if let (Purpose::Client, Some(ca)) = (req.purpose, signer) {
        checks.push(issuer_key_id(&cert, ca, req.msp_id_verification));
    }
    if let Some(key) = req.key {
        checks.push(if key_matches(key, &cert) {
            Check::ok(GROUP, "key", "the private key matches the certificate")
        } else {
            Check::failure(
                GROUP,
                "key",
                "the private key is not the pair of this certificate's public key",
                "pass the key made with this certificate",
            )
        });
    }
    if let Some(msp_id) = req.organization {
        checks.push(organization(GROUP, "organization", &cert, msp_id));
    }
    Ok(checks)
}

/// A certificate and its private key as files, checked against a CA already read (see
/// [`read_ca`]): what `certs verify` checks, and `check all` for each pair of a deployment.
pub struct Files<'a> {
    pub ca_path: &'a Path,
    pub ca_certs: &'a [CertificateDer<'a>],
    pub cert: &'a Path,
    pub key: Option<&'a Path>,
    pub hosts: &'a [Name],
    pub organization: Option<&'a str>,
    pub purpose: Purpose,
    pub msp_id_verification: Option<bool>,
    pub now: OffsetDateTime,
}

/// A file that cannot be checked: it cannot be read, or holds no usable certificate or key.
#[derive(Debug, thiserror::Error)]
pub enum Unusable {
    #[error(transparent)]
    Read(#[from] WsError),
    #[error(transparent)]
    Pki(#[from] PkiError),
}

impl Unusable {
    /// The file, when this user may not read it: it may well be sound.
    pub fn denied(&self) -> Option<&Path> {
        match self {
            Unusable::Read(WsError::Read { path, cause })
                if cause.kind() == std::io::ErrorKind::PermissionDenied =>
            {
                Some(path)
            }
            _ => None,
        }
    }

    /// The error itself, for a command that stops on it.
    pub fn into_error(self) -> anyhow::Error {
        match self {
            Unusable::Read(e) => e.into(),
            Unusable::Pki(e) => e.into(),
        }
    }
}

/// The checks of a pair, and the key's file when it could not be used: the certificate is
/// still checked without it.
pub struct Verified {
    pub checks: Vec<Check>,
    pub key: Option<Unusable>,
}

/// The certificates of a CA file.
pub fn read_ca(path: &Path) -> Result<Vec<CertificateDer<'static>>, Unusable> {
    Ok(super::read_certs(path, &crate::workspace::read_existing(path)?)?)
}

/// Reads the certificate and its key, and runs every check that applies to them.
pub fn verify_files(f: &Files<'_>) -> Result<Verified, Unusable> {
    let certs = super::read_certs(f.cert, &crate::workspace::read_existing(f.cert)?)?;
    let key = f.key.map(|path| -> Result<KeyPair, Unusable> {
        Ok(super::read_key(path, &crate::workspace::read_existing(path)?)?)
    });
    let (key, key_error) = match key {
        Some(Ok(k)) => (Some(k), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    let checks = verify(&Request {
        ca_path: f.ca_path,
        ca_certs: f.ca_certs,
        cert_path: f.cert,
        cert: &certs[0],
        hosts: f.hosts,
        organization: f.organization,
        purpose: f.purpose,
        key: key.as_ref(),
        msp_id_verification: f.msp_id_verification,
        now: f.now,
    })?;
    Ok(Verified { checks, key: key_error })
}

const PASS_THE_CA: &str = "pass the CA that signed it with --ca";

/// The chain check, and the CA that signed the certificate when it is among `cas`.
fn chain<'c, 'a>(
    cert: &X509Certificate<'_>,
    cas: &'c [X509Certificate<'a>],
    purpose: Purpose,
) -> (Check, Option<&'c X509Certificate<'a>>) {
    let issuer = cert.issuer();
    let named: Vec<&X509Certificate<'_>> =
        cas.iter().filter(|ca| ca.subject().as_raw() == issuer.as_raw()).collect();
    if named.is_empty() {
        let names: Vec<String> = cas.iter().map(|c| c.subject().to_string()).collect();
        let detail =
            format!("issued by \"{issuer}\", not by the CA given (\"{}\")", names.join("\", \""));
        return (Check::failure(GROUP, "chain", detail, PASS_THE_CA), None);
    }
    let Some(ca) =
        named.iter().copied().find(|ca| cert.verify_signature(Some(ca.public_key())).is_ok())
    else {
        let detail = format!(
            "signed by another CA named \"{issuer}\": the signature does not verify with the key \
             of the CA given"
        );
        let hint = format!(
            "{PASS_THE_CA} (a CA made again keeps its name but has another key), or re-issue the \
             certificate from this CA"
        );
        return (Check::failure(GROUP, "chain", detail, hint), None);
    };
    if !ca.is_ca() {
        let detail = format!("\"{}\" is not a CA (no basicConstraints CA:TRUE)", ca.subject());
        return (Check::failure(GROUP, "chain", detail, PASS_THE_CA), None);
    }
    // A client certificate's identifiers have a check of their own (see `issuer_key_id`).
    let server = purpose == Purpose::Server;
    if let (true, Some(aki), Some(ski)) =
        (server, inspect::authority_key_id(cert), inspect::subject_key_id(ca))
    {
        if aki != ski {
            let detail = format!(
                "authorityKeyIdentifier {} differs from the CA's subjectKeyIdentifier {}",
                colon_hex(&aki),
                colon_hex(&ski)
            );
            let hint = "re-issue the certificate from this CA: with verifyClientMSPID the \
                        orchestrator matches these identifiers";
            return (Check::failure(GROUP, "chain", detail, hint), Some(ca));
        }
    }
    (Check::ok(GROUP, "chain", format!("signed by \"{}\"", ca.subject())), Some(ca))
}

/// The certificate's dates, and its CA's: a chain is only as valid as its shortest link.
fn validity(
    cert: &X509Certificate<'_>,
    ca: Option<&X509Certificate<'_>>,
    now: OffsetDateTime,
    purpose: Purpose,
) -> Check {
    let start = cert.validity().not_before.to_datetime();
    let end = cert.validity().not_after.to_datetime();
    if now < start {
        return Check::failure(
            GROUP,
            "validity",
            format!("not valid before {}", rfc3339(start)),
            "check this machine's clock, or wait until then",
        );
    }
    if now > end {
        return Check::failure(
            GROUP,
            "validity",
            format!("expired on {}", rfc3339(end)),
            match purpose {
                Purpose::Server => {
                    "renew it (substractl certs gen --force re-issues it from the same CA)".into()
                }
                Purpose::Client => format!("renew it, {}", renewal_round(cert)),
            },
        );
    }
    let days = days_until(end, now);
    let detail = format!("valid until {} ({days} days left)", rfc3339(end));
    if let Some(ca) = ca {
        let ca_name = ca.subject();
        let ca_start = ca.validity().not_before.to_datetime();
        let ca_end = ca.validity().not_after.to_datetime();
        if now > ca_end {
            return Check::failure(
                GROUP,
                "validity",
                format!(
                    "its CA \"{ca_name}\" expired on {}: the chain is no longer valid",
                    rfc3339(ca_end)
                ),
                "make a new CA and re-issue every certificate it signed (substractl certs gen \
                 with a new --out)",
            );
        }
        if now < ca_start {
            return Check::failure(
                GROUP,
                "validity",
                format!("its CA \"{ca_name}\" is not valid before {}", rfc3339(ca_start)),
                "check this machine's clock, or wait until then",
            );
        }
        if ca_end < end {
            return Check::warning(
                GROUP,
                "validity",
                format!(
                    "{detail} but its CA \"{ca_name}\" expires on {} ({} days left): the chain is \
                     only as valid as its shortest link",
                    rfc3339(ca_end),
                    days_until(ca_end, now)
                ),
                format!(
                    "renew the CA before {}, then re-issue the certificates it signed",
                    rfc3339(ca_end)
                ),
            );
        }
    }
    if days < EXPIRY_WARNING_DAYS {
        let hint = match purpose {
            Purpose::Server => "renew it soon".to_string(),
            Purpose::Client => format!("renew it soon, {}", renewal_round(cert)),
        };
        Check::warning(GROUP, "validity", detail, hint)
    } else {
        Check::ok(GROUP, "validity", detail)
    }
}

/// How an organization renews its client certificate without a new key: a new request made
/// with the key it has, signed by the orchestrator's owner, installed where the key is.
fn renewal_round(cert: &X509Certificate<'_>) -> String {
    let id = msp_id_of(cert).unwrap_or("MSPID");
    format!(
        "keeping its key: `substractl certs request --values VALUES.yaml` where {id}.key is \
         (it reuses the key), the orchestrator's owner runs `substractl certs sign {id}.csr`, \
         then `substractl certs install {id}.crt --ca orchestrator-ca.crt --values VALUES.yaml`"
    )
}

/// The one Subject O of a certificate.
fn msp_id_of<'a>(cert: &'a X509Certificate<'_>) -> Option<&'a str> {
    let mut orgs = cert.subject().iter_organization();
    match (orgs.next(), orgs.next()) {
        (Some(o), None) => o.as_str().ok(),
        _ => None,
    }
}

/// Whether a client certificate's authorityKeyIdentifier is its CA's subjectKeyIdentifier:
/// under MSP-ID verification the orchestrator finds the CA of a client's MSP ID by this match
/// alone, and refuses the client without it. The guide's `openssl x509 -req` without an
/// extension file makes certificates with no extensions at all, so with no such identifier.
fn issuer_key_id(
    cert: &X509Certificate<'_>,
    ca: &X509Certificate<'_>,
    msp_id_verification: Option<bool>,
) -> Check {
    const CHECK: &str = "msp-issuer";
    let aki = inspect::authority_key_id(cert);
    let ski = inspect::subject_key_id(ca);
    let problem = match (&aki, &ski) {
        (Some(aki), Some(ski)) if aki == ski => {
            return Check::ok(
                GROUP,
                CHECK,
                format!(
                    "authorityKeyIdentifier {} is the CA's subjectKeyIdentifier, as MSP-ID \
                     verification needs",
                    colon_hex(aki)
                ),
            )
        }
        (None, _) => "no authorityKeyIdentifier (openssl x509 -req without an extension file \
                      makes none)"
            .to_string(),
        (Some(_), None) => {
            format!("its CA \"{}\" has no subjectKeyIdentifier to match", ca.subject())
        }
        (Some(aki), Some(ski)) => format!(
            "authorityKeyIdentifier {} differs from the CA's subjectKeyIdentifier {}",
            colon_hex(aki),
            colon_hex(ski)
        ),
    };
    let id = msp_id_of(cert).unwrap_or("MSPID");
    let refusal = format!("invalid MSPID: invalid issuer for MSPID \"{id}\"");
    let hint = format!(
        "sign the organization's request again with substractl certs sign {id}.csr, which sets the \
         authorityKeyIdentifier to the CA's subjectKeyIdentifier (the request can be the one \
         already signed; the key stays where it is), then install the new {id}.crt"
    );
    match msp_id_verification {
        Some(false) => Check::warning(
            GROUP,
            CHECK,
            format!(
                "{problem}: harmless while verifyClientMSPID is off, but once it is on the \
                 orchestrator refuses it ({refusal})"
            ),
            hint,
        ),
        _ => Check::failure(
            GROUP,
            CHECK,
            format!("{problem}: with verifyClientMSPID the orchestrator refuses it ({refusal})"),
            hint,
        ),
    }
}

/// Whether the certificate holds a host name in its subjectAltName.
pub fn host_check(cert: &X509Certificate<'_>, host: &Name) -> Check {
    let sans = inspect::sans(cert);
    let shown = match host {
        Name::Dns(h) => h.clone(),
        Name::Ip(ip) => ip.to_string(),
    };
    let hint = format!(
        "re-issue the certificate with {shown} as a subject alternative name (substractl certs \
         gen --host/--san)"
    );
    if sans.is_empty() {
        return Check::failure(
            GROUP,
            "host",
            format!("no subjectAltName: clients ignore the common name, so no host name is valid (wanted {shown})"),
            hint,
        );
    }
    if names::names_cover(&names::san_names(cert), &shown) {
        Check::ok(GROUP, "host", format!("{shown} is in the subjectAltName"))
    } else {
        Check::failure(
            GROUP,
            "host",
            format!("{shown} is not in the subjectAltName ({})", sans.join(", ")),
            hint,
        )
    }
}

fn purpose(cert: &X509Certificate<'_>, purpose: Purpose) -> Check {
    let label = match purpose {
        Purpose::Server => "serverAuth",
        Purpose::Client => "clientAuth",
    };
    let ku = inspect::key_usage(cert);
    if !ku.is_empty()
        && !ku
            .iter()
            .any(|u| u == "Digital Signature" || u == "Key Encipherment" || u == "Key Agreement")
    {
        return Check::failure(
            GROUP,
            "purpose",
            format!("keyUsage ({}) does not allow TLS", ku.join(", ")),
            "re-issue it with keyUsage digitalSignature",
        );
    }
    let usage = names::usage(cert);
    if !usage.restricted {
        return Check::ok(
            GROUP,
            "purpose",
            format!("no extendedKeyUsage: any purpose, {label} included"),
        );
    }
    let allowed = match purpose {
        Purpose::Server => usage.server_auth,
        Purpose::Client => usage.client_auth,
    };
    if allowed {
        Check::ok(GROUP, "purpose", format!("extendedKeyUsage {label}"))
    } else {
        let hint = match purpose {
            Purpose::Server => "a client certificate? check it with --client",
            Purpose::Client => "a server certificate? drop --client",
        };
        let eku = inspect::extended_key_usage(cert);
        Check::failure(
            GROUP,
            "purpose",
            format!("extendedKeyUsage lacks {label}: {}", eku.join(", ")),
            hint,
        )
    }
}

/// Whether the server certificate can also be the client certificate of the orchestrator
/// chart's own health probes under mTLS (they present the server pair, and the orchestrator
/// checks it for clientAuth). Used by `certs verify` and `check orchestrator`.
pub fn health_probe(group: &str, usage: Usage) -> Check {
    if usage.client_auth {
        let eku = if usage.restricted {
            "extendedKeyUsage serverAuth and clientAuth"
        } else {
            "no extendedKeyUsage (any purpose)"
        };
        Check::ok(
            group,
            "health-probe",
            format!("{eku}: usable as the health probe's client certificate under mTLS"),
        )
    } else {
        Check::failure(
            group,
            "health-probe",
            "extendedKeyUsage lacks clientAuth: under mTLS the orchestrator's health probe \
             cannot present this certificate",
            "the orchestrator chart's startup and liveness probes run grpc_health_probe with \
             -tls-client-cert/-tls-client-key = this server pair, and with \
             orchestrator.tls.mtls.enabled the orchestrator accepts only client certificates \
             allowed for clientAuth, so the pod never becomes ready: re-issue it with \
             extendedKeyUsage serverAuth and clientAuth (substractl certs gen --force does)",
        )
    }
}

/// Whether a client certificate's Subject O is the MSP ID it is sent with: with
/// verifyClientMSPID the orchestrator refuses any other.
pub fn organization(group: &str, check: &str, cert: &X509Certificate<'_>, msp_id: &str) -> Check {
    let found: Vec<String> = cert
        .subject()
        .iter_organization()
        .filter_map(|o| o.as_str().ok().map(str::to_string))
        .collect();
    if found.iter().any(|o| o == msp_id) && found.len() == 1 {
        Check::ok(group, check, format!("Subject O={msp_id}, the MSP ID"))
    } else {
        let holds = if found.is_empty() {
            "no Subject O".to_string()
        } else {
            format!("Subject O={}", found.join(", O="))
        };
        Check::failure(
            group,
            check,
            format!("{holds}, not the MSP ID {msp_id}"),
            format!(
                "with verifyClientMSPID the orchestrator refuses it: re-issue it with \
                 substractl certs gen --org {msp_id} --force, or, where the organization keeps \
                 its own key, sign its request made with `substractl certs request --msp-id \
                 {msp_id}` (substractl certs sign {msp_id}.csr)"
            ),
        )
    }
}

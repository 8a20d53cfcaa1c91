//! Server and mTLS client certificates signed by the CA, and the names they may carry.

use std::net::IpAddr;

use rcgen::{
    CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, KeyIdMethod,
    KeyUsagePurpose, SanType,
};
use time::OffsetDateTime;

use super::{ca::not_before, key_id, random_serial, Ca, KeyAlg, PkiError};

/// A subject alternative name: a DNS name (possibly a `*.` wildcard) or an IP address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    Dns(String),
    Ip(IpAddr),
}

impl Name {
    /// Reads a host name or an IP address, checking RFC 1123 syntax; names are lowercased.
    pub fn parse(text: &str) -> Result<Name, PkiError> {
        let bad =
            |reason: &str| PkiError::BadName { name: text.to_string(), reason: reason.into() };
        if let Ok(ip) = text.parse::<IpAddr>() {
            return Ok(Name::Ip(ip));
        }
        let name = text.strip_suffix('.').unwrap_or(text).to_ascii_lowercase();
        if name.is_empty() {
            return Err(bad("it is empty"));
        }
        if name.len() > 253 {
            return Err(bad("it is longer than 253 characters"));
        }
        let labels: Vec<&str> = name.split('.').collect();
        for (i, label) in labels.iter().enumerate() {
            if i == 0 && *label == "*" {
                if labels.len() < 3 {
                    return Err(bad(
                        "a wildcard needs at least two labels after it, as in *.example.org",
                    ));
                }
                continue;
            }
            if label.is_empty() {
                return Err(bad("it has an empty label (two dots in a row, or a leading dot)"));
            }
            if label.len() > 63 {
                return Err(bad("a label is longer than 63 characters"));
            }
            if label.contains('*') {
                return Err(bad(
                    "a wildcard is allowed only as the whole first label, as in *.example.org",
                ));
            }
            if !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(bad("only letters, digits, '-' and '.' are allowed (use punycode for other letters)"));
            }
            if label.starts_with('-') || label.ends_with('-') {
                return Err(bad("a label cannot start or end with '-'"));
            }
        }
        if labels.last().is_some_and(|l| l.chars().all(|c| c.is_ascii_digit())) {
            return Err(bad(
                "the last label is all digits: not a host name, and not a valid IP address",
            ));
        }
        Ok(Name::Dns(name))
    }

    /// As openssl prints it: `DNS:name` or `IP:address`.
    pub fn show(&self) -> String {
        match self {
            Name::Dns(n) => format!("DNS:{n}"),
            Name::Ip(ip) => format!("IP:{ip}"),
        }
    }

    pub(crate) fn san(&self) -> Result<SanType, PkiError> {
        Ok(match self {
            Name::Dns(n) => SanType::DnsName(n.as_str().try_into()?),
            Name::Ip(ip) => SanType::IpAddress(*ip),
        })
    }
}

/// The names of an in-cluster Service `NAME.NAMESPACE`: as dialled within the namespace's
/// neighbours, and through the cluster DNS (`.svc`, `.svc.cluster.local`).
pub fn service_names(service: &str) -> Result<Vec<Name>, PkiError> {
    let bad = || PkiError::BadService(service.to_string());
    let (name, namespace) = service.split_once('.').ok_or_else(bad)?;
    if namespace.contains('.') || name.is_empty() || namespace.is_empty() {
        return Err(bad());
    }
    let dns_label = |s: &str| {
        s.len() <= 63
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-')
    };
    if !dns_label(name) || !dns_label(namespace) {
        return Err(bad());
    }
    [
        format!("{name}.{namespace}"),
        format!("{name}.{namespace}.svc"),
        format!("{name}.{namespace}.svc.cluster.local"),
    ]
    .iter()
    .map(|n| Name::parse(n))
    .collect()
}

/// Checks an MSP ID: it names files, Secrets' values keys and a certificate's O.
pub fn check_mspid(id: &str) -> Result<(), PkiError> {
    let bad = |reason: &str| PkiError::BadMspId { name: id.to_string(), reason: reason.into() };
    if id.is_empty() {
        return Err(bad("it is empty"));
    }
    if id.chars().count() > 64 {
        return Err(bad("it is longer than 64 characters"));
    }
    if id.starts_with('.') || id.starts_with('-') {
        return Err(bad("it cannot start with '.' or '-'"));
    }
    if !id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err(bad("only letters, digits, '-', '_' and '.' are allowed"));
    }
    Ok(())
}

/// What a leaf certificate is for.
#[derive(Debug, Clone)]
pub enum Role {
    /// The orchestrator's server certificate: CN = the first name, every name in the SANs.
    Server { names: Vec<Name> },
    /// A backend's mTLS client certificate: O = MSP ID, CN = host name (or the MSP ID).
    Client { mspid: String, cn: String },
}

/// A certificate signed by the CA, with its new key.
pub struct Issued {
    pub cert_pem: String,
    pub cert_der: rustls_pki_types::CertificateDer<'static>,
    pub key_pem: String,
}

impl std::fmt::Debug for Issued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issued").field("cert_pem", &self.cert_pem).finish_non_exhaustive()
    }
}

/// Makes a key and a certificate for `role`, signed by `ca`.
pub fn issue(
    ca: &Ca,
    role: &Role,
    alg: KeyAlg,
    days: u32,
    now: OffsetDateTime,
) -> Result<Issued, PkiError> {
    let key = alg.generate()?;
    let params = leaf_params(role, alg, key_id(key.public_key_raw()), days, now)?;
    let cert = params.signed_by(&key, ca.issuer())?;
    Ok(Issued { cert_pem: cert.pem(), cert_der: cert.der().clone(), key_pem: super::key_pem(&key) })
}

/// The subject and extensions of every leaf substractl signs, whoever made its key: for a
/// certificate made here and for one signed from a request alike (a request's own asks never
/// reach it). `subject_key_id` is the key identifier of the leaf's public key.
pub(crate) fn leaf_params(
    role: &Role,
    alg: KeyAlg,
    subject_key_id: Vec<u8>,
    days: u32,
    now: OffsetDateTime,
) -> Result<CertificateParams, PkiError> {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    match role {
        Role::Server { names } => {
            if let Some(first) = names.first() {
                let cn = match first {
                    Name::Dns(n) => n.clone(),
                    Name::Ip(ip) => ip.to_string(),
                };
                dn.push(DnType::CommonName, cn);
            }
            params.subject_alt_names = names.iter().map(Name::san).collect::<Result<_, _>>()?;
            // clientAuth too: under mTLS the orchestrator chart's startup and liveness probes
            // (grpc_health_probe) present this very pair as their client certificate, and the
            // orchestrator (Go's crypto/tls) refuses a client certificate without clientAuth,
            // so with serverAuth alone the pod never becomes ready.
            params.extended_key_usages =
                vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth];
        }
        Role::Client { mspid, cn } => {
            dn.push(DnType::OrganizationName, mspid.as_str());
            dn.push(DnType::CommonName, cn.as_str());
            params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        }
    }
    params.distinguished_name = dn;
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    if alg.is_rsa() {
        // TLS 1.2 RSA key exchange encrypts with the server's key.
        params.key_usages.push(KeyUsagePurpose::KeyEncipherment);
    }
    params.use_authority_key_identifier_extension = true;
    params.key_identifier_method = KeyIdMethod::PreSpecified(subject_key_id);
    params.serial_number = Some(random_serial()?);
    params.not_before = not_before(now);
    params.not_after = super::not_after(now, days)?;
    Ok(params)
}

/// Issues several certificates at once, one thread each: making RSA keys is the slow part,
/// and it parallelizes. Results are in the order of `roles`.
pub fn issue_all(
    ca: &Ca,
    roles: &[Role],
    alg: KeyAlg,
    days: u32,
    now: OffsetDateTime,
) -> Result<Vec<Issued>, PkiError> {
    std::thread::scope(|scope| {
        let handles: Vec<_> =
            roles.iter().map(|role| scope.spawn(move || issue(ca, role, alg, days, now))).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(Err(PkiError::Make(rcgen::Error::RingUnspecified))))
            .collect()
    })
}

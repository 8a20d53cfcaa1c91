//! Certificates by request: an organization makes its key and a PKCS#10 certificate signing
//! request where the key is used, and the orchestrator's owner signs the request with the CA.
//!
//! A request is read whole before anything is decided: its signature must verify with its own
//! key, its key must be one of the types `certs gen` makes, and it must not ask for what only a
//! CA may have. Its subject's O, its common name and its DNS names are read; every other ask
//! is dropped. The certificate signed from it has the subject and extensions substractl gives
//! every leaf ([`super::leaf::leaf_params`]), whatever the request asked.

use std::path::{Path, PathBuf};

use rcgen::{
    CertificateParams, DistinguishedName, DnType, KeyPair, PublicKeyData, SignatureAlgorithm,
};
use rustls_pki_types::CertificateDer;
use time::OffsetDateTime;
use x509_parser::certificate::X509Certificate;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;
use x509_parser::public_key::PublicKey;
use x509_parser::x509::SubjectPublicKeyInfo;

use super::leaf::{self, check_mspid, Name, Role};
use super::{key_id, Ca, KeyAlg, PkiError};

/// A certificate signing request, read and vetted.
#[derive(Debug, Clone)]
pub struct SigningRequest {
    pub path: PathBuf,
    /// Every O of the subject, in order.
    pub organizations: Vec<String>,
    /// The subject's first CN.
    pub common_name: Option<String>,
    pub key: KeyAlg,
    /// The requested DNS names that are valid host names, kept for the certificate.
    pub names: Vec<Name>,
    /// The requested names left out (IP addresses, e-mail addresses, invalid host names...),
    /// as openssl prints them.
    pub dropped: Vec<String>,
    /// The subject public key's bit string.
    key_bits: Vec<u8>,
}

impl SigningRequest {
    /// The one O of the subject, which is the organization's MSP ID.
    pub fn msp_id(&self) -> Result<&str, PkiError> {
        let path = self.path.clone();
        match self.organizations.as_slice() {
            [] => Err(PkiError::CsrNoOrg { path }),
            [one] => {
                check_mspid(one).map_err(|e| PkiError::BadCsr { path, reason: e.to_string() })?;
                Ok(one)
            }
            several => Err(PkiError::CsrSeveralOrgs { path, orgs: several.join(", O=") }),
        }
    }

    /// The common name of a client certificate signed from it: the requested one when it is a
    /// host name, else the MSP ID (as `certs gen --org MSPID` makes it).
    pub fn client_cn(&self, msp_id: &str) -> String {
        match self.common_name.as_deref().map(Name::parse) {
            Some(Ok(Name::Dns(host))) if !host.starts_with('*') && host.len() <= 64 => host,
            _ => msp_id.to_string(),
        }
    }
}

/// Reads a request in PEM (`-----BEGIN CERTIFICATE REQUEST-----`) or DER, and vets it.
pub fn read_request(path: &Path, bytes: &[u8]) -> Result<SigningRequest, PkiError> {
    let der = request_der(path, bytes)?;
    let (rest, csr) = X509CertificationRequest::from_der(&der)
        .map_err(|e| PkiError::BadCsr { path: path.to_path_buf(), reason: e.to_string() })?;
    if !rest.is_empty() {
        return Err(PkiError::BadCsr {
            path: path.to_path_buf(),
            reason: format!("{} bytes follow the request", rest.len()),
        });
    }
    let info = &csr.certification_request_info;
    let key = request_key(path, &info.subject_pki)?;
    csr.verify_signature().map_err(|e| match e {
        x509_parser::error::X509Error::SignatureUnsupportedAlgorithm => PkiError::BadCsr {
            path: path.to_path_buf(),
            reason: format!(
                "its signature algorithm {} is not supported",
                csr.signature_algorithm.algorithm.to_id_string()
            ),
        },
        _ => PkiError::CsrSignature { path: path.to_path_buf() },
    })?;
    let subject = &info.subject;
    let text = |attr: &x509_parser::x509::AttributeTypeAndValue<'_>| {
        attr.as_str().map(str::to_string).map_err(|_| PkiError::BadCsr {
            path: path.to_path_buf(),
            reason: "its subject holds a name that is not text".into(),
        })
    };
    let organizations =
        subject.iter_organization().map(text).collect::<Result<Vec<_>, PkiError>>()?;
    let common_name = subject.iter_common_name().next().map(text).transpose()?;
    let mut names = Vec::new();
    let mut dropped = Vec::new();
    for ext in csr.requested_extensions().into_iter().flatten() {
        match ext {
            ParsedExtension::BasicConstraints(bc) if bc.ca => {
                return Err(PkiError::CsrAsks { path: path.to_path_buf(), what: "CA:TRUE" })
            }
            ParsedExtension::KeyUsage(ku) if ku.key_cert_sign() => {
                return Err(PkiError::CsrAsks {
                    path: path.to_path_buf(),
                    what: "keyUsage keyCertSign",
                })
            }
            ParsedExtension::KeyUsage(ku) if ku.crl_sign() => {
                return Err(PkiError::CsrAsks {
                    path: path.to_path_buf(),
                    what: "keyUsage cRLSign",
                })
            }
            ParsedExtension::SubjectAlternativeName(san) => {
                for general in &san.general_names {
                    match general {
                        GeneralName::DNSName(dns) => match Name::parse(dns) {
                            Ok(name @ Name::Dns(_)) if !dns.starts_with('*') => {
                                if !names.contains(&name) {
                                    names.push(name);
                                }
                            }
                            _ => dropped.push(format!("DNS:{}", dns.escape_debug())),
                        },
                        other => dropped.push(
                            super::inspect::show_general_name(other).escape_debug().to_string(),
                        ),
                    }
                }
            }
            // Any other ask (extendedKeyUsage, a key usage, basicConstraints CA:FALSE, an
            // extension unknown here) is dropped: the certificate gets substractl's own.
            _ => {}
        }
    }
    Ok(SigningRequest {
        path: path.to_path_buf(),
        organizations,
        common_name,
        key,
        names,
        dropped,
        key_bits: info.subject_pki.subject_public_key.data.to_vec(),
    })
}

/// The DER of the request in a file: its PEM block, or the file itself when it is not PEM.
fn request_der(path: &Path, bytes: &[u8]) -> Result<Vec<u8>, PkiError> {
    let not_csr = |holds: String| PkiError::NotCsr { path: path.to_path_buf(), holds };
    if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        let mut labels = Vec::new();
        let mut found: Option<Vec<u8>> = None;
        let mut reader = bytes;
        for item in rustls_pemfile::read_all(&mut reader) {
            match item {
                // One request a file: a second one would otherwise be left unsigned unsaid.
                Ok(rustls_pemfile::Item::Csr(_)) if found.is_some() => {
                    return Err(PkiError::BadCsr {
                        path: path.to_path_buf(),
                        reason: "it holds more than one request: give one file per request".into(),
                    })
                }
                Ok(rustls_pemfile::Item::Csr(csr)) => found = Some(csr.as_ref().to_vec()),
                Ok(rustls_pemfile::Item::X509Certificate(_)) => labels.push("a CERTIFICATE"),
                Ok(
                    rustls_pemfile::Item::Pkcs1Key(_)
                    | rustls_pemfile::Item::Pkcs8Key(_)
                    | rustls_pemfile::Item::Sec1Key(_),
                ) => labels.push("a PRIVATE KEY"),
                Ok(_) => labels.push("another PEM block"),
                Err(e) => {
                    return Err(PkiError::BadCsr {
                        path: path.to_path_buf(),
                        reason: format!("invalid PEM: {e}"),
                    })
                }
            }
        }
        if let Some(der) = found {
            return Ok(der);
        }
        labels.dedup();
        let holds = if labels.is_empty() {
            String::new()
        } else {
            format!(" (it holds {})", labels.join(" and "))
        };
        return Err(not_csr(holds));
    }
    // DER: a SEQUENCE that parses as a request.
    if bytes.first() == Some(&0x30) && X509CertificationRequest::from_der(bytes).is_ok() {
        return Ok(bytes.to_vec());
    }
    Err(not_csr(String::new()))
}

/// What kind of public key a subject public key info holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyKind {
    /// One of the types `certs gen` makes.
    Listed(KeyAlg),
    /// RSA under 2048 bits.
    WeakRsa(usize),
    /// Anything else, in words ("RSA 2560", "ECDSA P-521", "Ed448"...).
    Other(String),
}

/// The exact size of an RSA modulus in bits (x509-parser rounds it down to whole bytes, so a
/// 2047-bit key would read as 2040).
fn rsa_bits(modulus: &[u8]) -> usize {
    let first = modulus.iter().position(|b| *b != 0).unwrap_or(modulus.len());
    match modulus.get(first) {
        None => 0,
        Some(top) => (modulus.len() - first) * 8 - top.leading_zeros() as usize,
    }
}

/// The kind of a public key.
pub fn key_kind(spki: &SubjectPublicKeyInfo<'_>) -> KeyKind {
    use x509_parser::oid_registry::{OID_EC_P256, OID_NIST_EC_P384, OID_SIG_ED25519};
    match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => match rsa_bits(rsa.modulus) {
            2048 => KeyKind::Listed(KeyAlg::Rsa2048),
            3072 => KeyKind::Listed(KeyAlg::Rsa3072),
            4096 => KeyKind::Listed(KeyAlg::Rsa4096),
            bits if bits < 2048 => KeyKind::WeakRsa(bits),
            bits => KeyKind::Other(format!("RSA {bits}-bit")),
        },
        Ok(PublicKey::EC(_)) => {
            let curve = spki.algorithm.parameters.as_ref().and_then(|p| p.as_oid().ok());
            match curve {
                Some(c) if c == OID_EC_P256 => KeyKind::Listed(KeyAlg::EcdsaP256),
                Some(c) if c == OID_NIST_EC_P384 => KeyKind::Listed(KeyAlg::EcdsaP384),
                _ => KeyKind::Other(super::inspect::spki_kind(spki).0),
            }
        }
        _ if spki.algorithm.algorithm == OID_SIG_ED25519 => KeyKind::Listed(KeyAlg::Ed25519),
        _ => KeyKind::Other(super::inspect::spki_kind(spki).0),
    }
}

/// The key type of a request or of a private key in `path`, refused when it is not listed.
fn request_key(path: &Path, spki: &SubjectPublicKeyInfo<'_>) -> Result<KeyAlg, PkiError> {
    match key_kind(spki) {
        KeyKind::Listed(alg) => Ok(alg),
        KeyKind::WeakRsa(bits) => Err(PkiError::WeakRsa { path: path.to_path_buf(), bits }),
        KeyKind::Other(found) => Err(PkiError::KeyType { path: path.to_path_buf(), found }),
    }
}

/// The type of a private key read from `path`, refused when it is not one `certs gen` makes.
pub fn key_alg_of(path: &Path, key: &KeyPair) -> Result<KeyAlg, PkiError> {
    let spki_der = key.subject_public_key_info();
    let (_, spki) = SubjectPublicKeyInfo::from_der(&spki_der)
        .map_err(|e| PkiError::BadKey { path: path.to_path_buf(), reason: e.to_string() })?;
    request_key(path, &spki)
}

/// A new request, PEM: subject `O=<org>` (when given) and `CN=<cn>`, and the names as DNS or
/// IP subject alternative names; no other extension is asked for.
pub fn make_request(
    key: &KeyPair,
    org: Option<&str>,
    cn: &str,
    names: &[Name],
) -> Result<String, PkiError> {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    if let Some(org) = org {
        dn.push(DnType::OrganizationName, org);
    }
    dn.push(DnType::CommonName, cn);
    params.distinguished_name = dn;
    params.subject_alt_names = names.iter().map(Name::san).collect::<Result<_, _>>()?;
    Ok(params.serialize_request(key)?.pem()?)
}

/// A certificate signed from a request (its key stays with whoever made the request).
pub struct Signed {
    pub cert_pem: String,
    pub cert_der: CertificateDer<'static>,
}

/// The public key of a request, as rcgen writes it into a certificate.
struct RequestKey<'a> {
    bits: &'a [u8],
    alg: &'static SignatureAlgorithm,
}

impl PublicKeyData for RequestKey<'_> {
    fn der_bytes(&self) -> &[u8] {
        self.bits
    }

    fn algorithm(&self) -> &'static SignatureAlgorithm {
        self.alg
    }
}

/// Signs a vetted request as a certificate for `role`, valid `days` from `now`: the subject,
/// the names and every extension are the role's (see [`leaf::leaf_params`]); the request gives
/// its public key and, for a client, the valid host names it asked for.
pub fn sign_request(
    ca: &Ca,
    req: &SigningRequest,
    role: &Role,
    days: u32,
    now: OffsetDateTime,
) -> Result<Signed, PkiError> {
    let alg = match req.key {
        KeyAlg::EcdsaP256 => &rcgen::PKCS_ECDSA_P256_SHA256,
        KeyAlg::EcdsaP384 => &rcgen::PKCS_ECDSA_P384_SHA384,
        KeyAlg::Rsa2048 | KeyAlg::Rsa3072 | KeyAlg::Rsa4096 => &rcgen::PKCS_RSA_SHA256,
        KeyAlg::Ed25519 => &rcgen::PKCS_ED25519,
    };
    let mut params = leaf::leaf_params(role, req.key, key_id(&req.key_bits), days, now)?;
    if let Role::Client { .. } = role {
        // The host names a backend asked for, which `read_request` kept.
        params.subject_alt_names = req.names.iter().map(Name::san).collect::<Result<_, _>>()?;
    }
    let cert = params.signed_by(&RequestKey { bits: &req.key_bits, alg }, ca.issuer())?;
    // The certificate must hold the request's key, bit for bit.
    let (_, parsed) = x509_parser::parse_x509_certificate(cert.der().as_ref())
        .map_err(|e| rcgen::Error::X509(e.to_string()))?;
    if parsed.public_key().subject_public_key.data.as_ref() != req.key_bits.as_slice() {
        return Err(PkiError::Make(rcgen::Error::X509(
            "the signed certificate does not hold the request's key".into(),
        )));
    }
    Ok(Signed { cert_pem: cert.pem(), cert_der: cert.der().clone() })
}

/// Whether `cert` was signed by `ca`: it names the CA's subject as its issuer and its
/// signature verifies with the CA's key.
pub fn signed_by(cert: &X509Certificate<'_>, ca: &X509Certificate<'_>) -> bool {
    cert.issuer().as_raw() == ca.subject().as_raw()
        && cert.verify_signature(Some(ca.public_key())).is_ok()
}

#[cfg(test)]
mod tests {
    use rcgen::{BasicConstraints, IsCa, KeyUsagePurpose, SanType};

    use super::*;
    use crate::pki::{inspect, key_matches};

    fn now() -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }

    fn csr(params: &CertificateParams, key: &KeyPair) -> String {
        params.serialize_request(key).expect("request").pem().expect("pem")
    }

    #[test]
    fn every_key_type_round_trips_with_the_leaf_extensions_and_the_cas_key_id() {
        let ca = Ca::generate("Orchestrator Root CA", KeyAlg::EcdsaP256, 30, now()).expect("ca");
        for alg in KeyAlg::ALL {
            let key = alg.generate().expect("key");
            let host = Name::parse("api.ingen.example").expect("name");
            let pem =
                make_request(&key, Some("ingen"), "api.ingen.example", std::slice::from_ref(&host))
                    .expect("request");
            let req = read_request(Path::new("ingen.csr"), pem.as_bytes()).expect("vetted");
            assert_eq!(req.key, alg);
            assert_eq!(req.msp_id().expect("O"), "ingen");
            assert_eq!(req.names, [host]);
            let role = Role::Client { mspid: "ingen".into(), cn: req.client_cn("ingen") };
            let signed = sign_request(&ca, &req, &role, 10, now()).expect("signed");
            let (_, cert) =
                x509_parser::parse_x509_certificate(signed.cert_der.as_ref()).expect("parse");
            assert_eq!(cert.subject().to_string(), "O=ingen, CN=api.ingen.example");
            assert!(key_matches(&key, &cert), "{alg:?}");
            assert_eq!(inspect::authority_key_id(&cert), ca.key_id, "{alg:?}");
            assert_eq!(inspect::extended_key_usage(&cert), ["TLS Web Client Authentication"]);
            assert_eq!(inspect::sans(&cert), ["DNS:api.ingen.example"]);
            assert!(!cert.is_ca());
        }
    }

    #[test]
    fn rsa_sizes_are_counted_in_bits() {
        assert_eq!(rsa_bits(&[0x00, 0x80, 0, 0]), 24);
        assert_eq!(rsa_bits(&[0x7f, 0, 0]), 23);
        assert_eq!(rsa_bits(&[0x01, 0]), 9);
        assert_eq!(rsa_bits(&[]), 0);
    }

    #[test]
    fn asks_that_only_a_ca_may_have_are_refused_and_others_dropped() {
        let key = KeyAlg::EcdsaP256.generate().expect("key");
        let mut params = CertificateParams::default();
        params.distinguished_name.push(DnType::OrganizationName, "ingen");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let err =
            read_request(Path::new("x.csr"), csr(&params, &key).as_bytes()).expect_err("refused");
        assert!(matches!(err, PkiError::CsrAsks { what: "CA:TRUE", .. }), "{err}");

        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyCertSign];
        let err =
            read_request(Path::new("x.csr"), csr(&params, &key).as_bytes()).expect_err("refused");
        assert!(matches!(err, PkiError::CsrAsks { what: "keyUsage keyCertSign", .. }), "{err}");

        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.subject_alt_names = vec![
            SanType::DnsName("good.example".try_into().expect("dns")),
            SanType::DnsName("bad_name.example".try_into().expect("dns")),
            SanType::DnsName("*.wild.example".try_into().expect("dns")),
            SanType::IpAddress("10.0.0.1".parse().expect("ip")),
        ];
        let req = read_request(Path::new("x.csr"), csr(&params, &key).as_bytes()).expect("ok");
        assert_eq!(req.names, [Name::Dns("good.example".into())]);
        assert_eq!(req.dropped, ["DNS:bad_name.example", "DNS:*.wild.example", "IP:10.0.0.1"]);
    }

    #[test]
    fn subjects_keys_and_signatures_are_vetted() {
        let key = KeyAlg::EcdsaP256.generate().expect("key");
        let pem = make_request(&key, None, "x", &[]).expect("request");
        let req = read_request(Path::new("x.csr"), pem.as_bytes()).expect("reads");
        assert!(matches!(req.msp_id(), Err(PkiError::CsrNoOrg { .. })));
        let pem = make_request(&key, Some("../etc"), "x", &[]).expect("request");
        let req = read_request(Path::new("x.csr"), pem.as_bytes()).expect("reads");
        assert!(matches!(req.msp_id(), Err(PkiError::BadCsr { .. })));

        let p521 = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).expect("key");
        let pem = make_request(&p521, Some("ingen"), "x", &[]).expect("request");
        let err = read_request(Path::new("x.csr"), pem.as_bytes()).expect_err("refused");
        assert!(matches!(&err, PkiError::KeyType { found, .. } if found == "ECDSA P-521"), "{err}");

        // One bit of the signed part changed: the signature no longer verifies.
        let der = CertificateParams::default().serialize_request(&key).expect("request");
        let mut bytes = der.der().to_vec();
        let at = bytes.len() / 3;
        bytes[at] ^= 1;
        let err = read_request(Path::new("x.der"), &bytes).expect_err("refused");
        assert!(
            matches!(
                err,
                PkiError::CsrSignature { .. } | PkiError::BadCsr { .. } | PkiError::NotCsr { .. }
            ),
            "{err}"
        );
        let good = read_request(Path::new("x.der"), der.der().as_ref());
        assert!(good.is_ok(), "DER is read as well as PEM");

        let err = read_request(
            Path::new("x.pem"),
            b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        )
        .expect_err("refused");
        assert!(matches!(err, PkiError::NotCsr { .. } | PkiError::BadCsr { .. }), "{err}");
        let err = read_request(Path::new("x.txt"), b"hello").expect_err("refused");
        assert!(matches!(err, PkiError::NotCsr { .. }), "{err}");
    }
}

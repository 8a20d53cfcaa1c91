//! The orchestrator's public-key infrastructure: its certificate authority, server and mTLS
//! client certificates, and the reading, inspection and verification of certificates.
//!
//! Everything here works on bytes and returns values; nothing prints or reads the
//! environment. Keys are made with aws-lc-rs through rcgen. Key identifiers are the SHA-1 of
//! the public key bit string, as openssl's `subjectKeyIdentifier = hash` makes them, so that
//! certificates made here and by the guide's openssl commands can sign for each other.

pub mod ca;
pub mod der;
pub mod inspect;
pub mod leaf;
pub mod names;
pub mod request;
pub mod verify;

use std::path::{Path, PathBuf};

use rcgen::{KeyPair, RsaKeySize, SerialNumber};
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use sha1::{Digest, Sha1};

pub use ca::Ca;
pub use leaf::{Issued, Name};

/// Why a certificate or key could not be made or read. Every variant names its file or value.
#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    #[error("{path}: no PEM certificate found (expected -----BEGIN CERTIFICATE-----)")]
    NotPem { path: PathBuf },
    #[error("{path}: the certificate cannot be parsed: {reason}")]
    BadCert { path: PathBuf, reason: String },
    #[error("{path}: no PEM private key found (expected a PRIVATE KEY block)")]
    NoKey { path: PathBuf },
    #[error(
        "{path}: the private key is encrypted and substractl reads only plain keys; decrypt it \
         (umask 077; openssl pkey -in {path} -out plain.key) and put plain.key in its place"
    )]
    EncryptedKey { path: PathBuf },
    #[error("{path}: the private key cannot be used: {reason}")]
    BadKey { path: PathBuf, reason: String },
    #[error("{key} does not match the certificate {cert}: they are not one key pair")]
    KeyMismatch { cert: PathBuf, key: PathBuf },
    #[error("{path}: this certificate is not a CA (it lacks basicConstraints CA:TRUE)")]
    NotCa { path: PathBuf },
    #[error("invalid host name or IP address {name:?}: {reason}")]
    BadName { name: String, reason: String },
    #[error(
        "invalid service {0:?}: expected NAME.NAMESPACE, e.g. orchestrator-server.orchestrator"
    )]
    BadService(String),
    #[error("invalid MSP ID {name:?}: {reason}")]
    BadMspId { name: String, reason: String },
    #[error(
        "a validity of {days} days ends past the year 9999, the last date a certificate can hold"
    )]
    BadValidity { days: u32 },
    #[error(
        "{path}: not a certificate signing request{holds}: expected PEM (-----BEGIN CERTIFICATE \
         REQUEST-----) or DER"
    )]
    NotCsr { path: PathBuf, holds: String },
    #[error("{path}: the certificate signing request cannot be read: {reason}")]
    BadCsr { path: PathBuf, reason: String },
    #[error(
        "{path}: the request's signature does not verify with its own public key: it was changed \
         or damaged on its way"
    )]
    CsrSignature { path: PathBuf },
    #[error(
        "{path}: the request's subject has no O=: the orchestrator reads the organization's MSP ID \
         there"
    )]
    CsrNoOrg { path: PathBuf },
    #[error(
        "{path}: the request's subject has several O= (O={orgs}): a client certificate names one \
         MSP ID"
    )]
    CsrSeveralOrgs { path: PathBuf, orgs: String },
    #[error("{path}: the request asks for {what}, which only a CA may have; substractl signs leaf certificates only")]
    CsrAsks { path: PathBuf, what: &'static str },
    #[error("{path}: an RSA key of {bits} bits is too weak: the key must have at least 2048 bits")]
    WeakRsa { path: PathBuf, bits: usize },
    #[error(
        "{path}: a key of type {found}, which substractl does not sign: use ecdsa-p256, \
         ecdsa-p384, rsa-2048, rsa-3072, rsa-4096 or ed25519"
    )]
    KeyType { path: PathBuf, found: String },
    #[error("cannot make the key or certificate: {0}")]
    Make(#[from] rcgen::Error),
}

/// The algorithm of a new key. RSA keys sign with SHA-256, as the guide's openssl commands do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAlg {
    EcdsaP256,
    EcdsaP384,
    Rsa2048,
    Rsa3072,
    Rsa4096,
    Ed25519,
}

impl KeyAlg {
    pub const ALL: [KeyAlg; 6] = [
        KeyAlg::EcdsaP256,
        KeyAlg::EcdsaP384,
        KeyAlg::Rsa2048,
        KeyAlg::Rsa3072,
        KeyAlg::Rsa4096,
        KeyAlg::Ed25519,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            KeyAlg::EcdsaP256 => "ecdsa-p256",
            KeyAlg::EcdsaP384 => "ecdsa-p384",
            KeyAlg::Rsa2048 => "rsa-2048",
            KeyAlg::Rsa3072 => "rsa-3072",
            KeyAlg::Rsa4096 => "rsa-4096",
            KeyAlg::Ed25519 => "ed25519",
        }
    }

    pub fn is_rsa(self) -> bool {
        matches!(self, KeyAlg::Rsa2048 | KeyAlg::Rsa3072 | KeyAlg::Rsa4096)
    }

    /// A fresh key pair.
    pub fn generate(self) -> Result<KeyPair, PkiError> {
        let key = match self {
            KeyAlg::EcdsaP256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?,
            KeyAlg::EcdsaP384 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384)?,
            KeyAlg::Rsa2048 => {
                KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, RsaKeySize::_2048)?
            }
            KeyAlg::Rsa3072 => {
                KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, RsaKeySize::_3072)?
            }
            KeyAlg::Rsa4096 => {
                KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, RsaKeySize::_4096)?
            }
            KeyAlg::Ed25519 => KeyPair::generate_for(&rcgen::PKCS_ED25519)?,
        };
        Ok(key)
    }
}

/// The key identifier of a public key: SHA-1 of its bit string, as openssl's `hash`.
pub fn key_id(public_key_bits: &[u8]) -> Vec<u8> {
    Sha1::digest(public_key_bits).to_vec()
}

/// The end of a validity of `days` from `now`, refused past the year 9999.
pub fn not_after(now: time::OffsetDateTime, days: u32) -> Result<time::OffsetDateTime, PkiError> {
    now.checked_add(time::Duration::days(i64::from(days)))
        .filter(|end| end.year() <= 9999)
        .ok_or(PkiError::BadValidity { days })
}

/// A random positive serial number of 16 bytes (RFC 5280 allows up to 20).
pub fn random_serial() -> Result<SerialNumber, PkiError> {
    let mut bytes = [0u8; 16];
    aws_lc_rs::rand::fill(&mut bytes).map_err(|_| PkiError::Make(rcgen::Error::RingUnspecified))?;
    // Positive, and never a leading zero byte, so that the encoding keeps its 16 bytes.
    bytes[0] = (bytes[0] & 0x7f) | 0x40;
    Ok(SerialNumber::from_slice(&bytes))
}

/// The one PEM reader of certificates (for `certs` and for the probes' `--cacert`, `--cert`
/// and CA bundles): every CERTIFICATE block, in order, not yet parsed. A file without one is
/// an error.
pub fn pem_certs(path: &Path, bytes: &[u8]) -> Result<Vec<CertificateDer<'static>>, PkiError> {
    let mut reader = bytes;
    let mut certs = Vec::new();
    for item in rustls_pemfile::certs(&mut reader) {
        let cert = item.map_err(|e| PkiError::BadCert {
            path: path.to_path_buf(),
            reason: format!("invalid PEM: {e}"),
        })?;
        certs.push(cert);
    }
    if certs.is_empty() {
        return Err(PkiError::NotPem { path: path.to_path_buf() });
    }
    Ok(certs)
}

/// Every certificate in a PEM file, in order, each checked to parse as X.509.
pub fn read_certs(path: &Path, bytes: &[u8]) -> Result<Vec<CertificateDer<'static>>, PkiError> {
    let certs = pem_certs(path, bytes)?;
    for cert in &certs {
        parse(path, cert)?;
    }
    Ok(certs)
}

/// Parses DER, naming the file on failure.
pub fn parse<'a>(
    path: &Path,
    der: &'a CertificateDer<'_>,
) -> Result<x509_parser::certificate::X509Certificate<'a>, PkiError> {
    x509_parser::parse_x509_certificate(der.as_ref())
        .map(|(_, c)| c)
        .map_err(|e| PkiError::BadCert { path: path.to_path_buf(), reason: e.to_string() })
}

/// The one PEM reader of private keys: a plaintext PKCS#8, PKCS#1 (RSA) or SEC1 (EC) key.
pub fn read_key_der(path: &Path, bytes: &[u8]) -> Result<PrivateKeyDer<'static>, PkiError> {
    let text = String::from_utf8_lossy(bytes);
    if text.contains(concat!("-----BEGIN ENCRYPTED ", "PRIVATE KEY-----"))
        || text.contains("Proc-Type: 4,ENCRYPTED")
    {
        return Err(PkiError::EncryptedKey { path: path.to_path_buf() });
    }
    let mut reader = bytes;
    rustls_pemfile::private_key(&mut reader)
        .map_err(|e| PkiError::BadKey {
            path: path.to_path_buf(),
            reason: format!("invalid PEM: {e}"),
        })?
        .ok_or_else(|| PkiError::NoKey { path: path.to_path_buf() })
}

/// Reads a plaintext private key from PEM, as a key pair able to sign.
pub fn read_key(path: &Path, bytes: &[u8]) -> Result<KeyPair, PkiError> {
    let key = read_key_der(path, bytes)?;
    KeyPair::try_from(&key).map_err(|e| PkiError::BadKey {
        path: path.to_path_buf(),
        reason: format!("{e} (supported: RSA, ECDSA P-256 and P-384, Ed25519)"),
    })
}

/// Whether a key pair holds the public key of a certificate.
pub fn key_matches(key: &KeyPair, cert: &x509_parser::certificate::X509Certificate<'_>) -> bool {
    key.public_key_raw() == cert.public_key().subject_public_key.data.as_ref()
}

/// Uppercase hex bytes joined by colons, as openssl prints them.
pub fn colon_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// The SHA-256 fingerprint of a certificate, as `openssl x509 -fingerprint -sha256` prints it.
pub fn fingerprint(der: &[u8]) -> String {
    colon_hex(&sha2::Sha256::digest(der))
}

#[cfg(test)]
mod tests;

/// PEM text, lines of 64 characters.
pub fn pem_encode(label: &str, der: &[u8]) -> String {
    let b64 = crate::kube::base64(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The PEM of a new private key, PKCS#8 v1 for every algorithm. aws-lc-rs writes Ed25519
/// keys as PKCS#8 v2 (with the public key), which OpenSSL 3.0 and others cannot read.
pub fn key_pem(key: &KeyPair) -> String {
    const V2_PREFIX: [u8; 16] = [
        0x30, 0x51, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    const V1_PREFIX: [u8; 16] = [
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    let der = key.serialized_der();
    match der.strip_prefix(&V2_PREFIX[..]) {
        Some(rest) if rest.len() >= 32 => {
            let mut v1 = V1_PREFIX.to_vec();
            v1.extend_from_slice(&rest[..32]);
            pem_encode("PRIVATE KEY", &v1)
        }
        _ => key.serialize_pem(),
    }
}

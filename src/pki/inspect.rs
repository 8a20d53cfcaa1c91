//! What a certificate holds, in the terms openssl uses, for `certs inspect` and reports.

use serde::Serialize;
use time::OffsetDateTime;
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::public_key::PublicKey;

use super::{colon_hex, fingerprint};

/// The facts of one certificate. Field names are part of the stable JSON output.
#[derive(Debug, Clone, Serialize)]
pub struct CertInfo {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub not_before: String,
    pub not_after: String,
    /// Whole days until not_after; negative once expired.
    pub days_left: i64,
    pub sans: Vec<String>,
    pub key_type: String,
    pub key_bits: usize,
    pub ca: bool,
    pub key_usage: Vec<String>,
    pub extended_key_usage: Vec<String>,
    pub subject_key_id: Option<String>,
    pub authority_key_id: Option<String>,
    pub sha256_fingerprint: String,
}

/// RFC 3339 in UTC, seconds precision.
pub fn rfc3339(t: OffsetDateTime) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.to_offset(time::UtcOffset::UTC).format(&f).unwrap_or_else(|_| t.to_string())
}

/// Whole days from `now` to `t` (rounded down; negative in the past).
pub fn days_until(t: OffsetDateTime, now: OffsetDateTime) -> i64 {
    let secs = (t - now).whole_seconds();
    secs.div_euclid(86_400)
}

/// The key algorithm and size: ("RSA", 2048), ("ECDSA P-256", 256), ("Ed25519", 256)...
pub fn key_kind(cert: &X509Certificate<'_>) -> (String, usize) {
    spki_kind(cert.public_key())
}

/// [`key_kind`] of a subject public key info (a certificate's or a request's).
pub fn spki_kind(spki: &x509_parser::x509::SubjectPublicKeyInfo<'_>) -> (String, usize) {
    let oid = spki.algorithm.algorithm.to_id_string();
    match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => ("RSA".into(), rsa.key_size()),
        Ok(PublicKey::EC(ec)) => {
            let bits = ec.key_size();
            // The curve's name by its OID; the size of the point alone rounds P-521 up to 528.
            let named = spki.algorithm.parameters.as_ref().and_then(|p| p.as_oid().ok());
            let named = named.map(|c| c.to_id_string());
            let (curve, bits) = match (named.as_deref(), bits) {
                (Some("1.3.132.0.35"), _) | (None, 521) => ("ECDSA P-521".to_string(), 521),
                (Some("1.3.132.0.34"), _) | (None, 384) => ("ECDSA P-384".to_string(), 384),
                (Some("1.2.840.10045.3.1.7"), _) | (None, 256) => ("ECDSA P-256".to_string(), 256),
                _ => (format!("ECDSA ({bits} bits)"), bits),
            };
            (curve, bits)
        }
        _ if oid == "1.3.101.112" => ("Ed25519".into(), 256),
        _ if oid == "1.3.101.113" => ("Ed448".into(), 456),
        _ => (format!("unknown ({oid})"), 0),
    }
}

pub fn sans(cert: &X509Certificate<'_>) -> Vec<String> {
    let Ok(Some(ext)) = cert.subject_alternative_name() else { return Vec::new() };
    ext.value.general_names.iter().map(show_general_name).collect()
}

pub fn show_general_name(name: &GeneralName<'_>) -> String {
    match name {
        GeneralName::DNSName(n) => format!("DNS:{n}"),
        GeneralName::IPAddress(bytes) => match bytes.len() {
            4 => {
                let a: [u8; 4] = [bytes[0], bytes[1], bytes[2], bytes[3]];
                format!("IP:{}", std::net::Ipv4Addr::from(a))
            }
            16 => {
                let mut a = [0u8; 16];
                a.copy_from_slice(bytes);
                format!("IP:{}", std::net::Ipv6Addr::from(a))
            }
            _ => format!("IP:{}", colon_hex(bytes)),
        },
        GeneralName::RFC822Name(n) => format!("email:{n}"),
        GeneralName::URI(u) => format!("URI:{u}"),
        GeneralName::DirectoryName(n) => format!("DirName:{n}"),
        other => format!("{other:?}"),
    }
}

pub fn subject_key_id(cert: &X509Certificate<'_>) -> Option<Vec<u8>> {
    cert.iter_extensions().find_map(|ext| match ext.parsed_extension() {
        ParsedExtension::SubjectKeyIdentifier(id) => Some(id.0.to_vec()),
        _ => None,
    })
}

pub fn authority_key_id(cert: &X509Certificate<'_>) -> Option<Vec<u8>> {
    cert.iter_extensions().find_map(|ext| match ext.parsed_extension() {
        ParsedExtension::AuthorityKeyIdentifier(aki) => {
            aki.key_identifier.as_ref().map(|k| k.0.to_vec())
        }
        _ => None,
    })
}

/// Key usage names as openssl prints them.
pub fn key_usage(cert: &X509Certificate<'_>) -> Vec<String> {
    let Ok(Some(ku)) = cert.key_usage() else { return Vec::new() };
    let ku = ku.value;
    [
        (ku.digital_signature(), "Digital Signature"),
        (ku.non_repudiation(), "Non Repudiation"),
        (ku.key_encipherment(), "Key Encipherment"),
        (ku.data_encipherment(), "Data Encipherment"),
        (ku.key_agreement(), "Key Agreement"),
        (ku.key_cert_sign(), "Certificate Sign"),
        (ku.crl_sign(), "CRL Sign"),
        (ku.encipher_only(), "Encipher Only"),
        (ku.decipher_only(), "Decipher Only"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, n)| n.to_string())
    .collect()
}

/// Extended key usage names as openssl prints them.
pub fn extended_key_usage(cert: &X509Certificate<'_>) -> Vec<String> {
    let Ok(Some(eku)) = cert.extended_key_usage() else { return Vec::new() };
    let e = eku.value;
    let mut out: Vec<String> = [
        (e.any, "Any Extended Key Usage"),
        (e.server_auth, "TLS Web Server Authentication"),
        (e.client_auth, "TLS Web Client Authentication"),
        (e.code_signing, "Code Signing"),
        (e.email_protection, "E-mail Protection"),
        (e.time_stamping, "Time Stamping"),
        (e.ocsp_signing, "OCSP Signing"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, n)| n.to_string())
    .collect();
    out.extend(e.other.iter().map(|o| o.to_id_string()));
    out
}

/// Everything `certs inspect` shows about a certificate, at `now`.
pub fn info(der: &[u8], cert: &X509Certificate<'_>, now: OffsetDateTime) -> CertInfo {
    let not_after = cert.validity().not_after.to_datetime();
    let (key_type, key_bits) = key_kind(cert);
    CertInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        serial: colon_hex(cert.raw_serial()),
        not_before: rfc3339(cert.validity().not_before.to_datetime()),
        not_after: rfc3339(not_after),
        days_left: days_until(not_after, now),
        sans: sans(cert),
        key_type,
        key_bits,
        ca: cert.is_ca(),
        key_usage: key_usage(cert),
        extended_key_usage: extended_key_usage(cert),
        subject_key_id: subject_key_id(cert).map(|k| colon_hex(&k)),
        authority_key_id: authority_key_id(cert).map(|k| colon_hex(&k)),
        sha256_fingerprint: fingerprint(der),
    }
}

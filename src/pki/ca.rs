//! The orchestrator's certificate authority: made new, or loaded from the files an earlier
//! run (or the guide's openssl commands) left, and used to sign server and client certificates.

use std::path::Path;

use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType, IsCa, Issuer,
    KeyIdMethod, KeyPair, KeyUsagePurpose,
};
use rustls_pki_types::CertificateDer;
use time::{Duration, OffsetDateTime};

use super::{der, key_id, parse, random_serial, read_certs, read_key, KeyAlg, PkiError};

/// OID of authorityKeyIdentifier.
const AKI_OID: &[u64] = &[2, 5, 29, 35];

/// A CA able to sign: its certificate, and its key behind an rcgen issuer.
pub struct Ca {
    pub cert_der: CertificateDer<'static>,
    pub cert_pem: String,
    /// PEM of the private key of a CA made in this run (None for a loaded CA).
    pub new_key_pem: Option<String>,
    /// The CA's subjectKeyIdentifier, which every certificate it signs names as its AKI.
    pub key_id: Option<Vec<u8>>,
    issuer: Issuer<'static, KeyPair>,
}

impl std::fmt::Debug for Ca {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ca").field("cert_pem", &self.cert_pem).finish_non_exhaustive()
    }
}

/// Start of validity: a few minutes back, so that a clock slightly behind still accepts it.
pub(crate) fn not_before(now: OffsetDateTime) -> OffsetDateTime {
    let t = now - Duration::minutes(5);
    t.replace_nanosecond(0).unwrap_or(t)
}

impl Ca {
    /// A new self-signed CA, with the extensions of the guide's `v3_ca` section.
    pub fn generate(cn: &str, alg: KeyAlg, days: u32, now: OffsetDateTime) -> Result<Ca, PkiError> {
        let key = alg.generate()?;
        let ski = key_id(key.public_key_raw());
        let serial = random_serial()?;
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, cn);
        let mut params = CertificateParams::default();
        params.distinguished_name = dn;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        params.key_identifier_method = KeyIdMethod::PreSpecified(ski.clone());
        params.serial_number = Some(serial.clone());
        params.not_before = not_before(now);
        params.not_after = super::not_after(now, days)?;

        // The AKI names the issuer's Name exactly as encoded in the certificate: sign once
        // to learn those bytes, then sign the certificate that carries them.
        let draft = params.self_signed(&key)?;
        let name_der = {
            let (_, parsed) = x509_parser::parse_x509_certificate(draft.der().as_ref())
                .map_err(|e| rcgen::Error::X509(e.to_string()))?;
            parsed.subject().as_raw().to_vec()
        };
        params.custom_extensions = vec![CustomExtension::from_oid_content(
            AKI_OID,
            der::authority_key_identifier(&ski, &name_der, &serial.to_bytes()),
        )];
        let cert = params.self_signed(&key)?;
        let new_key_pem = Some(super::key_pem(&key));
        Ok(Ca {
            cert_der: cert.der().clone(),
            cert_pem: cert.pem(),
            new_key_pem,
            key_id: Some(ski),
            issuer: Issuer::new(params, key),
        })
    }

    /// Loads a CA certificate and its key, checking that they are a pair and a CA.
    pub fn load(
        cert_path: &Path,
        cert_bytes: &[u8],
        key_path: &Path,
        key_bytes: &[u8],
    ) -> Result<Ca, PkiError> {
        let certs = read_certs(cert_path, cert_bytes)?;
        let cert_der = certs
            .into_iter()
            .next()
            .ok_or_else(|| PkiError::NotPem { path: cert_path.to_path_buf() })?;
        let key = read_key(key_path, key_bytes)?;
        let parsed = parse(cert_path, &cert_der)?;
        if !parsed.is_ca() {
            return Err(PkiError::NotCa { path: cert_path.to_path_buf() });
        }
        if !super::key_matches(&key, &parsed) {
            return Err(PkiError::KeyMismatch {
                cert: cert_path.to_path_buf(),
                key: key_path.to_path_buf(),
            });
        }
        let key_id = parsed.iter_extensions().find_map(|ext| match ext.parsed_extension() {
            x509_parser::extensions::ParsedExtension::SubjectKeyIdentifier(id) => {
                Some(id.0.to_vec())
            }
            _ => None,
        });
        let issuer = Issuer::from_ca_cert_der(&cert_der, key).map_err(|e| PkiError::BadCert {
            path: cert_path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let cert_pem = pem_of(&cert_der);
        Ok(Ca { cert_der, cert_pem, new_key_pem: None, key_id, issuer })
    }

    pub fn issuer(&self) -> &Issuer<'static, KeyPair> {
        &self.issuer
    }
}

/// PEM text of one certificate.
pub fn pem_of(der: &CertificateDer<'_>) -> String {
    super::pem_encode("CERTIFICATE", der.as_ref())
}

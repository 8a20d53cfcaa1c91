//! TLS client settings for probes: the CA to trust (`--cacert` or the system bundle), the mTLS
//! client identity, `--insecure`, and the name checked against the server's certificate.
//!
//! The verifier and the client-certificate resolver record what the server showed (its chain,
//! whether it asked for a client certificate), so that a failed handshake can be explained with
//! the certificate's names and issuer rather than a bare "unknown issuer".

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{ResolvesClientCert, WebPkiServerVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::sign::CertifiedKey;
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::pki::names::{self, Usage};
use crate::pki::PkiError;

/// Where the trusted CAs come from.
#[derive(Debug, Clone)]
pub enum Roots {
    /// `--cacert FILE`: only these CAs.
    File(PathBuf),
    /// The operating system's bundle: the first of these files that exists.
    System(Vec<PathBuf>),
}

/// CA bundles of the common Linux distributions and macOS (Homebrew), in order of preference.
pub const SYSTEM_BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
    "/opt/homebrew/etc/openssl@3/cert.pem",
    "/usr/local/etc/openssl@3/cert.pem",
];

/// What the TLS client needs to know.
#[derive(Debug, Clone)]
pub struct TlsOptions {
    pub roots: Roots,
    /// `--cert` and `--key`.
    pub identity: Option<(PathBuf, PathBuf)>,
    /// `--insecure`: accept any certificate.
    pub insecure: bool,
    /// The name sent in SNI and checked against the certificate (`--authority` or the host).
    pub server_name: String,
}

/// Why the TLS settings could not be built: bad input, nothing was sent.
#[derive(Debug, thiserror::Error)]
pub enum TlsConfigError {
    /// Read as every file is: regular files only, bounded in size, never blocking on a FIFO.
    #[error(transparent)]
    Read(#[from] crate::workspace::WsError),
    /// Read by pki's one PEM reader, which names the file.
    #[error(transparent)]
    Pem(#[from] PkiError),
    #[error("{} is not a usable certificate: {detail}", path.display())]
    BadCertificate { path: PathBuf, detail: String },
    #[error("{} is not a usable private key: {detail}", path.display())]
    BadKey { path: PathBuf, detail: String },
    #[error("the key {} does not belong to the certificate {}", key.display(), cert.display())]
    KeyMismatch { cert: PathBuf, key: PathBuf },
    #[error("{name:?} is not a valid server name")]
    BadServerName { name: String },
    #[error("no CA bundle found on this system (looked at {})", looked.join(", "))]
    NoSystemRoots { looked: Vec<String> },
    #[error("cannot set up TLS: {0}")]
    Rustls(rustls::Error),
}

/// What the server showed during the handshake, kept even when the handshake fails.
#[derive(Debug, Default)]
pub struct HandshakeRecord {
    chain: Mutex<Vec<CertificateDer<'static>>>,
    client_cert_requested: AtomicBool,
}

impl HandshakeRecord {
    /// The server's chain, leaf first (empty if the server sent none).
    pub fn chain(&self) -> Vec<CertificateDer<'static>> {
        self.chain.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// True when the server sent a CertificateRequest (it asks for mTLS).
    pub fn client_cert_requested(&self) -> bool {
        self.client_cert_requested.load(Ordering::Relaxed)
    }
}

/// A ready client configuration and what it records.
#[derive(Debug, Clone)]
pub struct TlsClient {
    pub config: Arc<ClientConfig>,
    pub server_name: ServerName<'static>,
    pub record: Arc<HandshakeRecord>,
    pub has_identity: bool,
    pub insecure: bool,
    /// The CA file given, for messages.
    pub cacert: Option<PathBuf>,
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

impl TlsClient {
    pub fn new(opts: &TlsOptions) -> Result<TlsClient, TlsConfigError> {
        let provider = provider();
        let record = Arc::new(HandshakeRecord::default());
        let server_name = server_name(&opts.server_name)?;

        let inner = if opts.insecure {
            None
        } else {
            let roots = load_roots(&opts.roots)?;
            let verifier =
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .build()
                    .map_err(|e| TlsConfigError::Rustls(rustls::Error::General(e.to_string())))?;
            Some(verifier)
        };
        let verifier =
            RecordingVerifier { inner, provider: provider.clone(), record: record.clone() };

        let key = match &opts.identity {
            Some((cert, key)) => Some(Arc::new(load_identity(cert, key, &provider)?)),
            None => None,
        };
        let resolver = RecordingResolver { key, record: record.clone() };

        let mut config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(TlsConfigError::Rustls)?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_client_cert_resolver(Arc::new(resolver));
        // gRPC servers (grpc-go since 1.67 among them) refuse TLS without ALPN h2.
        config.alpn_protocols = vec![b"h2".to_vec()];

        Ok(TlsClient {
            config: Arc::new(config),
            server_name,
            record,
            has_identity: opts.identity.is_some(),
            insecure: opts.insecure,
            cacert: match &opts.roots {
                Roots::File(path) => Some(path.clone()),
                Roots::System(_) => None,
            },
        })
    }
}

/// The name checked against the certificate: an IP literal (with or without brackets) is an
/// IP address name, anything else a DNS name.
pub fn server_name(name: &str) -> Result<ServerName<'static>, TlsConfigError> {
    let bare = name.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(ServerName::IpAddress(ip.into()));
    }
    ServerName::try_from(name.to_string())
        .map_err(|_| TlsConfigError::BadServerName { name: name.to_string() })
}

fn read(path: &Path) -> Result<Vec<u8>, TlsConfigError> {
    Ok(crate::workspace::read_existing(path)?)
}

fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsConfigError> {
    Ok(crate::pki::pem_certs(path, &read(path)?)?)
}

fn load_roots(roots: &Roots) -> Result<RootCertStore, TlsConfigError> {
    let path = match roots {
        Roots::File(path) => path.clone(),
        Roots::System(candidates) => match candidates.iter().find(|p| p.is_file()) {
            Some(path) => path.clone(),
            None => {
                let looked = candidates.iter().map(|p| p.display().to_string()).collect();
                return Err(TlsConfigError::NoSystemRoots { looked });
            }
        },
    };
    let mut store = RootCertStore::empty();
    for cert in read_certs(&path)? {
        store.add(cert).map_err(|e| TlsConfigError::BadCertificate {
            path: path.clone(),
            detail: e.to_string(),
        })?;
    }
    Ok(store)
}

fn load_identity(
    cert: &Path,
    key: &Path,
    provider: &CryptoProvider,
) -> Result<CertifiedKey, TlsConfigError> {
    let chain = read_certs(cert)?;
    let der: PrivateKeyDer<'static> = crate::pki::read_key_der(key, &read(key)?)?;
    match CertifiedKey::from_der(chain, der, provider) {
        Ok(certified) => Ok(certified),
        Err(rustls::Error::InconsistentKeys(_)) => {
            Err(TlsConfigError::KeyMismatch { cert: cert.into(), key: key.into() })
        }
        Err(e) => Err(TlsConfigError::BadKey { path: key.into(), detail: e.to_string() }),
    }
}

/// Verifies as webpki does (or not at all with `--insecure`) and keeps the chain it was shown.
#[derive(Debug)]
struct RecordingVerifier {
    inner: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
    record: Arc<HandshakeRecord>,
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        {
            let mut chain = self.record.chain.lock().unwrap_or_else(PoisonError::into_inner);
            chain.clear();
            chain.push(end_entity.clone().into_owned());
            chain.extend(intermediates.iter().map(|c| c.clone().into_owned()));
        }
        match &self.inner {
            None => Ok(ServerCertVerified::assertion()),
            Some(inner) => {
                inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            }
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// Offers the `--cert` identity, if any, and notes that the server asked for one.
#[derive(Debug)]
struct RecordingResolver {
    key: Option<Arc<CertifiedKey>>,
    record: Arc<HandshakeRecord>,
}

impl ResolvesClientCert for RecordingResolver {
    fn resolve(
        &self,
        _root_hint_subjects: &[&[u8]],
        _sigschemes: &[SignatureScheme],
    ) -> Option<Arc<CertifiedKey>> {
        self.record.client_cert_requested.store(true, Ordering::Relaxed);
        self.key.clone()
    }

    fn has_certs(&self) -> bool {
        // Always true, so that rustls keeps what it needs to answer a CertificateRequest
        // and lets `resolve` record it.
        true
    }
}

/// What a certificate says about itself, for reports and error messages.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CertSummary {
    pub subject: String,
    pub issuer: String,
    /// DNS and IP subject alternative names, in the certificate's order.
    pub names: Vec<String>,
    /// Seconds since the Unix epoch.
    pub not_before: i64,
    pub not_after: i64,
    /// basicConstraints CA:TRUE.
    pub ca: bool,
    /// What its extendedKeyUsage allows.
    pub usage: Usage,
}

impl CertSummary {
    pub fn parse(der: &[u8]) -> Option<CertSummary> {
        let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
        Some(CertSummary {
            subject: cert.subject().to_string(),
            issuer: cert.issuer().to_string(),
            names: names::san_names(&cert),
            not_before: cert.validity().not_before.timestamp(),
            not_after: cert.validity().not_after.timestamp(),
            ca: cert.is_ca(),
            usage: names::usage(&cert),
        })
    }

    /// Whole days from `now` (Unix seconds) until the certificate expires; negative once expired.
    pub fn days_left(&self, now: i64) -> i64 {
        (self.not_after - now).div_euclid(86_400)
    }

    /// True when one of the names covers `wanted` (one wildcard label allowed, as browsers do).
    pub fn covers(&self, wanted: &str) -> bool {
        names::names_cover(&self.names, wanted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_literals_become_ip_server_names() {
        assert!(matches!(server_name("127.0.0.1"), Ok(ServerName::IpAddress(_))));
        assert!(matches!(server_name("[::1]"), Ok(ServerName::IpAddress(_))));
        assert!(matches!(server_name("orchestrator.example"), Ok(ServerName::DnsName(_))));
        assert!(server_name("bad name").is_err());
    }

    #[test]
    fn summary_reads_names_and_expiry() {
        let key = rcgen::KeyPair::generate().expect("key");
        let mut params = rcgen::CertificateParams::new(vec![
            "orch.example".to_string(),
            "127.0.0.1".to_string(),
        ])
        .expect("params");
        params.not_after = rcgen::date_time_ymd(2031, 1, 2);
        let cert = params.self_signed(&key).expect("cert");
        let summary = CertSummary::parse(cert.der()).expect("parse");
        assert_eq!(summary.names, ["orch.example", "127.0.0.1"]);
        assert!(summary.covers("orch.example") && summary.covers("127.0.0.1"));
        let jan_1_2031 = 1_924_992_000;
        assert_eq!(summary.days_left(jan_1_2031), 1);
    }
}

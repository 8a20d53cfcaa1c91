//! The test PKI, once: a CA made with rcgen and its leaves, the openssl CLI as an independent
//! maker and judge of certificates, and real TLS handshakes on 127.0.0.1 with rustls.

use std::path::Path;
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};

/// A certificate authority made in the test.
pub struct Ca {
    key: KeyPair,
    params: CertificateParams,
    pub pem: String,
}

impl Ca {
    pub fn new(cn: &str) -> Ca {
        let key = KeyPair::generate().expect("key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
        params.distinguished_name.push(DnType::CommonName, cn);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let pem = params.self_signed(&key).expect("ca").pem();
        Ca { key, params, pem }
    }

    /// A leaf with these names (DNS or IP), valid for `days`; `org` sets Subject O.
    pub fn leaf(&self, names: &[&str], org: Option<&str>, days: i64) -> (String, String) {
        let key = KeyPair::generate().expect("key");
        let mut params =
            CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .expect("params");
        params.distinguished_name.push(DnType::CommonName, names.first().copied().unwrap_or("x"));
        if let Some(org) = org {
            params.distinguished_name.push(DnType::OrganizationName, org);
        }
        params.not_before = time::OffsetDateTime::now_utc() - time::Duration::days(1);
        params.not_after = time::OffsetDateTime::now_utc() + time::Duration::days(days);
        params.use_authority_key_identifier_extension = true;
        let issuer = Issuer::from_params(&self.params, &self.key);
        let cert = params.signed_by(&key, &issuer).expect("leaf");
        (cert.pem(), key.serialize_pem())
    }

    /// A leaf for these names whose extendedKeyUsage is exactly `ekus`.
    pub fn leaf_with_eku(
        &self,
        names: &[&str],
        ekus: &[ExtendedKeyUsagePurpose],
    ) -> (String, String) {
        let key = KeyPair::generate().expect("key");
        let mut params =
            CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .expect("params");
        params.distinguished_name.push(DnType::CommonName, names.first().copied().unwrap_or("x"));
        params.extended_key_usages = ekus.to_vec();
        params.use_authority_key_identifier_extension = true;
        let issuer = Issuer::from_params(&self.params, &self.key);
        let cert = params.signed_by(&key, &issuer).expect("leaf");
        (cert.pem(), key.serialize_pem())
    }
}

impl Ca {
    /// A TLS server configuration (no client authentication) with a leaf for `names`.
    pub fn server_config(&self, names: &[&str]) -> Arc<rustls::ServerConfig> {
        let (cert, key) = self.leaf(names, None, 365);
        server_config(&cert, &key)
    }
}

/// A TLS server configuration (no client authentication) from PEM text.
pub fn server_config(cert: &str, key: &str) -> Arc<rustls::ServerConfig> {
    let certs =
        rustls_pemfile::certs(&mut cert.as_bytes()).collect::<Result<Vec<_>, _>>().expect("cert");
    let key = rustls_pemfile::private_key(&mut key.as_bytes()).expect("pem").expect("key");
    let config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("server cert");
    Arc::new(config)
}

/// Runs the openssl CLI in `dir`: (whether it succeeded, stdout and stderr).
pub fn openssl(args: &[&str], dir: &Path) -> (bool, String) {
    let out = std::process::Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the openssl CLI runs (scripts/test-deps installs it)");
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// A certificate signed by the CA in `dir` (orchestrator-ca.crt and .key) with openssl, as the
/// guide makes server certificates but with `extendedKeyUsage = serverAuth` only, written with a
/// new P-256 key as `name.crt` and `name.key`.
pub fn openssl_server_auth_only(dir: &Path, name: &str, host: &str) {
    std::fs::write(
        dir.join(format!("{name}.ext")),
        format!(
            "subjectAltName = DNS:{host}\nextendedKeyUsage = serverAuth\n\
             authorityKeyIdentifier = keyid\nkeyUsage = digitalSignature\n"
        ),
    )
    .expect("ext");
    let (ok, msg) = openssl(
        &[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-subj",
            &format!("/CN={host}"),
            "-out",
            &format!("{name}.csr"),
        ],
        dir,
    );
    assert!(ok, "{msg}");
    let (ok, msg) = openssl(
        &[
            "x509",
            "-req",
            "-in",
            &format!("{name}.csr"),
            "-CA",
            "orchestrator-ca.crt",
            "-CAkey",
            "orchestrator-ca.key",
            "-set_serial",
            "4242",
            "-days",
            "365",
            "-sha256",
            "-extfile",
            &format!("{name}.ext"),
            "-out",
            &format!("{name}.crt"),
        ],
        dir,
    );
    assert!(ok, "{msg}");
}

// ---- Real TLS handshakes on 127.0.0.1.

pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

pub fn load_certs(path: &Path) -> Vec<rustls_pki_types::CertificateDer<'static>> {
    rustls_pemfile::certs(&mut std::fs::read(path).expect("read").as_slice())
        .map(|c| c.expect("pem"))
        .collect()
}

pub fn load_key(path: &Path) -> rustls_pki_types::PrivateKeyDer<'static> {
    rustls_pemfile::private_key(&mut std::fs::read(path).expect("read").as_slice())
        .expect("pem")
        .expect("key")
}

pub fn roots(ca: &Path) -> Arc<rustls::RootCertStore> {
    let mut roots = rustls::RootCertStore::empty();
    for c in load_certs(ca) {
        roots.add(c).expect("root");
    }
    Arc::new(roots)
}

/// One handshake on loopback: the server with orchestrator-tls.* (requiring a client
/// certificate from orchestrator-ca.crt when `client` names an organization), the client
/// trusting `client_ca` and dialling `server_name`. Returns (server, client) outcomes.
pub fn handshake(
    dir: &Path,
    client: Option<&str>,
    server_name: &str,
    client_ca: &str,
) -> (Result<(), String>, Result<(), String>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let server_cfg = {
        let builder = rustls::ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .expect("versions");
        let builder = match client {
            Some(_) => builder.with_client_cert_verifier(
                rustls::server::WebPkiClientVerifier::builder_with_provider(
                    roots(&dir.join("orchestrator-ca.crt")),
                    provider(),
                )
                .build()
                .expect("verifier"),
            ),
            None => builder.with_no_client_auth(),
        };
        builder
            .with_single_cert(
                load_certs(&dir.join("orchestrator-tls.crt")),
                load_key(&dir.join("orchestrator-tls.key")),
            )
            .expect("server cert")
    };
    let client_cfg = {
        let builder = rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_root_certificates(roots(&dir.join(client_ca)));
        match client {
            Some(path) => builder
                .with_client_auth_cert(
                    load_certs(&dir.join(format!("{path}.crt"))),
                    load_key(&dir.join(format!("{path}.key"))),
                )
                .expect("client cert"),
            None => builder.with_no_client_auth(),
        }
    };
    let name = rustls_pki_types::ServerName::try_from(server_name.to_string()).expect("name");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server_cfg));
        let server = tokio::spawn(async move {
            let (tcp, _) = listener.accept().await.map_err(|e| e.to_string())?;
            let mut tls = acceptor.accept(tcp).await.map_err(|e| e.to_string())?;
            tls.write_all(b"hello").await.map_err(|e| e.to_string())?;
            tls.shutdown().await.map_err(|e| e.to_string())
        });
        let connector = tokio_rustls::TlsConnector::from(Arc::new(client_cfg));
        let client = async {
            let tcp = tokio::net::TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
            let mut tls = connector.connect(name, tcp).await.map_err(|e| e.to_string())?;
            let mut buf = Vec::new();
            tls.read_to_end(&mut buf).await.map_err(|e| e.to_string())?;
            if buf == b"hello" {
                Ok(())
            } else {
                Err(format!("read {buf:?}"))
            }
        };
        let limit = std::time::Duration::from_secs(10);
        let client = tokio::time::timeout(limit, client)
            .await
            .unwrap_or_else(|_| Err("client timed out".into()));
        let server = match tokio::time::timeout(limit, server).await {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("server timed out".into()),
        };
        (server, client)
    })
}

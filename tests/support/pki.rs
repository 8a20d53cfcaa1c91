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
    let (server, client) = loopback(server_cfg, client_cfg, server_name);
    (server.map(|_| ()), client)
}

// ---- Certificates by request: the guide's commands, the orchestrator's MSP-ID rules, and a
// mutual-TLS handshake that returns the client certificate the server received.

/// Runs openssl in `dir`, which must succeed; returns what it printed.
pub fn openssl_ok(args: &[&str], dir: &Path) -> String {
    let (ok, text) = openssl(args, dir);
    assert!(ok, "openssl {}: {text}", args.join(" "));
    text
}

/// The guide's request, exactly: `openssl req -newkey rsa:2048 -nodes -keyout ORG.key -subj
/// "/O=ORG/CN=HOST" -out ORG.csr`.
pub fn guide_request(dir: &Path, org: &str, host: &str) {
    let (key, csr, subj) =
        (format!("{org}.key"), format!("{org}.csr"), format!("/O={org}/CN={host}"));
    openssl_ok(
        &["req", "-newkey", "rsa:2048", "-nodes", "-keyout", &key, "-subj", &subj, "-out", &csr],
        dir,
    );
}

/// The guide's signing, exactly: `openssl x509 -req -days 365 -in ORG.csr -CA ca.crt -CAkey
/// ca.key -CAcreateserial -out ORG.crt -sha256`, with the CA files of `certs gen`.
pub fn guide_sign(dir: &Path, org: &str) {
    let (csr, crt) = (format!("{org}.csr"), format!("{org}.crt"));
    openssl_ok(
        &[
            "x509",
            "-req",
            "-days",
            "365",
            "-in",
            &csr,
            "-CA",
            "orchestrator-ca.crt",
            "-CAkey",
            "orchestrator-ca.key",
            "-CAcreateserial",
            "-out",
            &crt,
            "-sha256",
        ],
        dir,
    );
}

/// The lines of `openssl x509 -text` after a header line, up to the next header.
pub fn ext_value(text: &str, header: &str) -> String {
    let mut lines = text.lines().skip_while(|l| !l.contains(header));
    lines.next();
    lines
        .take_while(|l| l.starts_with("                "))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The keyid of a certificate's extension ("X509v3 Subject Key Identifier" or "X509v3
/// Authority Key Identifier"), as openssl prints it; empty when it has none.
pub fn key_id(dir: &Path, cert: &str, header: &str) -> String {
    let text = openssl_ok(&["x509", "-in", cert, "-noout", "-text"], dir);
    ext_value(&text, header).lines().next().unwrap_or("").trim_start_matches("keyid:").to_string()
}

/// The orchestrator's MSP-ID rules, applied to the client certificate it received with the
/// mspid header `msp_id` (its `verifyClientMSPID`): the Subject O is the MSP ID, the MSP ID
/// has a client CA, and the certificate's authorityKeyIdentifier is that CA's
/// subjectKeyIdentifier. Errors are the orchestrator's own words.
pub fn msp_id_rules(
    client: &[u8],
    msp_id: &str,
    client_cas: &[(&str, &Path)],
) -> Result<(), String> {
    let (_, cert) = x509_parser::parse_x509_certificate(client).map_err(|e| e.to_string())?;
    let orgs: Vec<&str> =
        cert.subject().iter_organization().filter_map(|o| o.as_str().ok()).collect();
    if orgs != [msp_id] {
        return Err(format!("invalid MSPID: certificate is for {orgs:?}, header is {msp_id}"));
    }
    let ids: Vec<Vec<u8>> = client_cas
        .iter()
        .filter(|(key, _)| *key == msp_id)
        .flat_map(|(_, path)| load_certs(path))
        .filter_map(|der| {
            let (_, ca) = x509_parser::parse_x509_certificate(der.as_ref()).ok()?;
            let id = ca.iter_extensions().find_map(|e| match e.parsed_extension() {
                x509_parser::extensions::ParsedExtension::SubjectKeyIdentifier(k) => {
                    Some(k.0.to_vec())
                }
                _ => None,
            });
            id
        })
        .collect();
    if ids.is_empty() {
        return Err(format!(
            "invalid MSPID: cannot find MSPID {msp_id:?} in allowed organizations"
        ));
    }
    let aki = cert.iter_extensions().find_map(|e| match e.parsed_extension() {
        x509_parser::extensions::ParsedExtension::AuthorityKeyIdentifier(a) => {
            a.key_identifier.as_ref().map(|k| k.0.to_vec())
        }
        _ => None,
    });
    match aki {
        Some(aki) if ids.contains(&aki) => Ok(()),
        _ => Err(format!("invalid MSPID: invalid issuer for MSPID {msp_id:?}")),
    }
}

/// Where the two ends of a handshake find their files.
pub struct Handshake<'a> {
    pub server_cert: &'a Path,
    pub server_key: &'a Path,
    /// The CA the server requires client certificates from.
    pub client_ca: &'a Path,
    pub client_cert: &'a Path,
    pub client_key: &'a Path,
    /// The CA the client trusts the server by.
    pub server_ca: &'a Path,
    pub server_name: &'a str,
}

/// One mutual-TLS handshake on loopback: the server requires a client certificate from
/// `client_ca` (rustls' WebPKI client verifier) and returns the certificate it received; the
/// client reads the server's greeting. Returns (server, client) outcomes.
pub fn mtls_handshake(h: &Handshake<'_>) -> (Result<Vec<u8>, String>, Result<(), String>) {
    let mut roots = rustls::RootCertStore::empty();
    for c in load_certs(h.client_ca) {
        roots.add(c).expect("client CA");
    }
    let verifier =
        rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider())
            .build()
            .expect("verifier");
    let server_cfg = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_client_cert_verifier(verifier)
        .with_single_cert(load_certs(h.server_cert), load_key(h.server_key))
        .expect("server cert");
    let mut trusted = rustls::RootCertStore::empty();
    for c in load_certs(h.server_ca) {
        trusted.add(c).expect("server CA");
    }
    let client_cfg = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(trusted)
        .with_client_auth_cert(load_certs(h.client_cert), load_key(h.client_key))
        .expect("client cert");
    let (server, client) = loopback(server_cfg, client_cfg, h.server_name);
    (server.and_then(|peer| peer.ok_or_else(|| "no client certificate".to_string())), client)
}

/// A certificate, DER-encoded.
type Der = Vec<u8>;

/// One TLS handshake on loopback between the two configurations, the client dialling
/// `server_name`: the server greets, the client reads the greeting. Returns (server, client)
/// outcomes, the server's with the client certificate it received, if any.
fn loopback(
    server_cfg: rustls::ServerConfig,
    client_cfg: rustls::ClientConfig,
    server_name: &str,
) -> (Result<Option<Der>, String>, Result<(), String>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let name = rustls_pki_types::ServerName::try_from(server_name.to_string()).expect("name");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server_cfg));
        let server = tokio::spawn(async move {
            let (tcp, _) = listener.accept().await.map_err(|e| e.to_string())?;
            let mut tls = acceptor.accept(tcp).await.map_err(|e| e.to_string())?;
            let peer = tls
                .get_ref()
                .1
                .peer_certificates()
                .and_then(|c| c.first())
                .map(|c| c.as_ref().to_vec());
            tls.write_all(b"hello").await.map_err(|e| e.to_string())?;
            tls.shutdown().await.map_err(|e| e.to_string())?;
            Ok::<_, String>(peer)
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

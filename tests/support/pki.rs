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

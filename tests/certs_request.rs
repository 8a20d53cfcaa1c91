//! Certificates by request: `certs request` where the organization's key is, `certs sign` where
//! the CA is, `certs install` back where the key is; each directory used by its own side only.
//! Proven with the guide's own openssl commands on either side, openssl's verdict, a real
//! mutual-TLS handshake under the orchestrator's MSP-ID rules, the Python grpcio peer, kubectl's
//! manifests, and every bad input refused with nothing written.

use std::path::Path;

use crate::support::grpc::python_peer;
use crate::support::kubectl::manifest;
use crate::support::pki::{
    guide_request, guide_sign, key_id, msp_id_rules, mtls_handshake, openssl, openssl_ok, Handshake,
};
use crate::support::{backend_values, orchestrator_chart_values, Output, Test};

const HOST: &str = "api.ingen.example";
/// What `grpc list` shows of the Python peer.
const PYTHON_LISTING: &str = "grpc.health.v1.Health\ngrpc.reflection.v1alpha.ServerReflection\n";
const AKI: &str = "X509v3 Authority Key Identifier";
const SKI: &str = "X509v3 Subject Key Identifier";

/// The organization's backend values: the chart's, with its MSP ID and its address.
fn org_values(org: &str) -> String {
    backend_values(org).replace(
        "  defaultDomain: localhost\n",
        &format!("  defaultDomain: https://api.{org}.example\n"),
    )
}

/// The orchestrator's values: the chart's, with a channel of ingen and biotechnica and MSP-ID
/// verification on.
fn orchestrator_values() -> String {
    orchestrator_chart_values()
        .replace(
            "channels: []\n",
            "channels:\n  - name: our-channel\n    organizations: [ingen, biotechnica]\n",
        )
        .replace("  verifyClientMSPID: false\n", "  verifyClientMSPID: true\n")
}

/// The orchestrator owner's directory: the orchestrator values, and the CA and server pair of
/// `certs gen` (for localhost and 127.0.0.1, where the tests serve).
fn owner() -> Output {
    Test::new()
        .file("orchestrator-values.yaml", &orchestrator_values())
        .args(["certs", "gen", "--host", "localhost", "--san", "127.0.0.1"])
        .run()
}

/// The organization's directory: its backend values only.
fn organization(org: &str) -> Test {
    Test::new().file(&format!("backend-{org}-values.yaml"), &org_values(org))
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("exists").permissions().mode() & 0o777
}

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

#[test]
fn a_guide_request_signed_by_certs_sign_passes_openssl_and_mutual_tls_under_msp_id_rules() {
    let org = tempfile::tempdir().expect("the organization's directory");
    guide_request(org.path(), "ingen", HOST);
    let csr = std::fs::read_to_string(org.path().join("ingen.csr")).expect("csr");
    let owner = owner()
        .then()
        .file("ingen.csr", &csr)
        .args(["certs", "sign", "ingen.csr", "--values-dir", "."])
        .stdout_contains("ingen.crt (created, 0644)")
        .stdout_contains("O=ingen, CN=api.ingen.example")
        .stdout_contains("orchestrator-values.yaml (updated, 0644)")
        .run();
    let d = owner.path();

    let verdict = openssl_ok(
        &["verify", "-purpose", "sslclient", "-CAfile", "orchestrator-ca.crt", "ingen.crt"],
        &d,
    );
    assert_eq!(verdict.trim(), "ingen.crt: OK");
    let ca_ski = key_id(&d, "orchestrator-ca.crt", SKI);
    assert_eq!(ca_ski.len(), 59, "a SHA-1 key id: {ca_ski}");
    assert_eq!(key_id(&d, "ingen.crt", AKI), ca_ski);
    let text = openssl_ok(&["x509", "-in", "ingen.crt", "-noout", "-text"], &d);
    assert!(text.contains("Subject: O = ingen, CN = api.ingen.example"), "{text}");
    assert!(text.contains("TLS Web Client Authentication"), "{text}");
    assert!(text.contains("CA:FALSE"), "{text}");
    let values = owner.read("orchestrator-values.yaml");
    assert!(
        values.contains("      clientCACerts:\n        ingen: [orchestrator-tls-cacert]\n"),
        "{values}"
    );

    // The orchestrator's side: mTLS with the CA, then its MSP-ID rules on what it received.
    let org_key = org.path().join("ingen.key");
    assert!(!d.join("ingen.key").exists());
    let (server, client) = mtls_handshake(&Handshake {
        server_cert: &d.join("orchestrator-tls.crt"),
        server_key: &d.join("orchestrator-tls.key"),
        client_ca: &d.join("orchestrator-ca.crt"),
        client_cert: &d.join("ingen.crt"),
        client_key: &org_key,
        server_ca: &d.join("orchestrator-ca.crt"),
        server_name: "localhost",
    });
    assert!(client.is_ok(), "{client:?}");
    let received = server.expect("the server accepts the client certificate");
    // The client CAs the orchestrator trusts, by MSP ID, as `certs sign` left its values: each
    // key's Secret orchestrator-tls-cacert holds the CA certificate.
    let ca = d.join("orchestrator-ca.crt");
    let path = d.join("orchestrator-values.yaml");
    let doc = substractl::values::Doc::parse(&path, Some(values.into_bytes())).expect("parse");
    let client_cas: Vec<(&str, &Path)> = doc
        .get(&["orchestrator", "tls", "mtls", "clientCACerts"])
        .and_then(serde_json::Value::as_object)
        .expect("clientCACerts")
        .iter()
        .filter(|(_, secrets)| {
            secrets.as_array().is_some_and(|l| l.contains(&"orchestrator-tls-cacert".into()))
        })
        .map(|(id, _)| (id.as_str(), ca.as_path()))
        .collect();
    assert_eq!(msp_id_rules(&received, "ingen", &client_cas), Ok(()));
    assert_eq!(
        msp_id_rules(&received, "biotechnica", &client_cas),
        Err("invalid MSPID: certificate is for [\"ingen\"], header is biotechnica".into())
    );
    // A certificate of the guide's openssl signing, from the same request: the orchestrator's
    // rules refuse it (a version 1 certificate, which rustls would not even take).
    guide_sign(&d, "ingen");
    let pem = std::fs::read(d.join("ingen.crt")).expect("read");
    let guide = rustls_pemfile::certs(&mut pem.as_slice()).next().expect("one").expect("pem");
    assert_eq!(
        msp_id_rules(guide.as_ref(), "ingen", &client_cas),
        Err("invalid MSPID: invalid issuer for MSPID \"ingen\"".into())
    );
    // Signed again by certs sign, for the peer below.
    Test::new()
        .args(["certs", "sign", s(&d.join("ingen.csr")), "--values-dir", s(&d), "--force"])
        .args(["--out", s(&d)])
        .run();

    // A peer that is not Rust: Python grpcio requiring client certificates from the CA.
    let (cert, key, ca) = (d.join("orchestrator-tls.crt"), d.join("orchestrator-tls.key"), ca);
    let peer = python_peer(&["--cert", s(&cert), "--key", s(&key), "--client-ca", s(&ca)])
        .expect("the Python peer");
    Test::new()
        .args(["grpc", "list", &peer.addr, "--cacert", s(&ca)])
        .args(["--cert", s(&d.join("ingen.crt")), "--key", s(&org_key)])
        .stdout(PYTHON_LISTING)
        .run();
}

#[test]
fn the_guides_openssl_signature_fails_msp_id_verification_and_certs_sign_fixes_it() {
    let owner = owner();
    let d = owner.path();
    guide_request(&d, "ingen", HOST);
    guide_sign(&d, "ingen");
    assert_eq!(key_id(&d, "ingen.crt", AKI), "", "OpenSSL 3 adds no extension without -extfile");
    let hint = "hint: sign the organization's request again with substractl certs sign ingen.csr";
    let refusal = "with verifyClientMSPID the orchestrator refuses it (invalid MSPID: invalid \
                   issuer for MSPID \"ingen\")";
    let verify = ["certs", "verify", "--ca", "orchestrator-ca.crt", "ingen.crt", "--client"];
    let out = owner
        .then()
        .args(verify)
        .status(1)
        .stdout_contains("failure  msp-issuer   no authorityKeyIdentifier")
        .stdout_contains(refusal)
        .stdout_contains(hint)
        .run();
    let out = out
        .then()
        .args(verify)
        .args(["--msp-id-verification", "on"])
        .status(1)
        .stdout_contains(refusal)
        .run();
    let out = out
        .then()
        .args(verify)
        .args(["--msp-id-verification", "off"])
        .stdout_contains("warning  msp-issuer   no authorityKeyIdentifier")
        .stdout_contains("harmless while verifyClientMSPID is off")
        .stdout_contains(hint)
        .run();
    // The same request, signed by certs sign: the chain and the key id pass.
    let out = out
        .then()
        .args(["certs", "sign", "ingen.csr", "--msp-id", "ingen", "--force"])
        .stdout_contains("ingen.crt (replaced, 0644)")
        .run();
    let out = out
        .then()
        .args(verify)
        .args(["--key", "ingen.key"])
        .stdout_contains("ok       msp-issuer   authorityKeyIdentifier")
        .stdout_contains("passed: 5 ok, 0 warning(s), 0 failure(s)")
        .run();
    let d = out.path();
    assert_eq!(key_id(&d, "ingen.crt", AKI), key_id(&d, "orchestrator-ca.crt", SKI));
}

#[test]
fn check_all_fails_a_client_certificate_without_the_cas_key_id_under_msp_id_verification() {
    for (verify, status) in [("true", "failure"), ("false", "warning")] {
        let mut test = Test::new().file(
            "orchestrator-values.yaml",
            &format!(
                "channels:\n  - name: our-channel\n    organizations: [ingen]\norchestrator:\n  \
                 verifyClientMSPID: {verify}\n"
            ),
        );
        test = test.file("backend-ingen-values.yaml", &org_values("ingen"));
        let out = test
            .args(["certs", "gen", "--host", "localhost", "--org", "ingen", "--values-dir", "."])
            .run();
        // The organization's pair, signed again by the guide's openssl command.
        let d = out.path();
        openssl_ok(
            &[
                "req",
                "-new",
                "-key",
                "ingen.key",
                "-subj",
                "/O=ingen/CN=ingen",
                "-out",
                "ingen.csr",
            ],
            &d,
        );
        guide_sign(&d, "ingen");
        let out = out
            .then()
            .args(["check", "all", "--orchestrator", "127.0.0.1:1", "--timeout", "2", "-o", "json"])
            .status(1)
            .run();
        let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
        let check = json["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .find(|c| c["group"] == "certificates" && c["check"] == "ingen msp-issuer")
            .unwrap_or_else(|| panic!("no key id check: {}", out.stdout))
            .clone();
        assert_eq!(check["status"], status, "verifyClientMSPID {verify}: {check}");
        let detail = check["detail"].as_str().expect("detail");
        assert!(detail.contains("invalid MSPID: invalid issuer for MSPID \"ingen\""), "{detail}");
        let hint = check["hint"].as_str().expect("hint");
        assert!(hint.contains("substractl certs sign ingen.csr"), "{hint}");
    }
}

#[test]
fn a_request_from_certs_request_passes_openssl_and_a_renewal_keeps_the_key() {
    let out = organization("ingen")
        .args(["certs", "request", "--values", "backend-ingen-values.yaml"])
        .stdout_contains("ingen.key (created, 0600)")
        .stdout_contains("ingen.csr (created, 0644)")
        .stdout_contains("request for O=ingen, CN=api.ingen.example (DNS:api.ingen.example)")
        .stdout_contains("send ingen.csr (and only it: ingen.key stays here)")
        .stderr("")
        .run();
    assert!(!out.stdout.contains("PRIVATE KEY"), "{}", out.stdout);
    let d = out.path();
    assert_eq!(mode(&d.join("ingen.key")), 0o600);
    assert_eq!(mode(&d.join("ingen.csr")), 0o644);
    let (ok, verified) = openssl(&["req", "-in", "ingen.csr", "-verify", "-noout"], &d);
    assert!(ok && verified.contains("verify OK"), "{verified}");
    let text = openssl_ok(&["req", "-in", "ingen.csr", "-noout", "-text"], &d);
    assert!(text.contains("Subject: O = ingen, CN = api.ingen.example"), "{text}");
    assert!(text.contains("DNS:api.ingen.example"), "{text}");
    assert!(text.contains("NIST CURVE: P-256"), "{text}");
    let pubkey = |d: &Path| openssl_ok(&["req", "-in", "ingen.csr", "-noout", "-pubkey"], d);
    let first = pubkey(&d);
    let key = out.read("ingen.key");

    // A renewal: the same key, a new request for it.
    let out = out
        .then()
        .args(["certs", "request", "--values", "backend-ingen-values.yaml"])
        .stdout_contains("ingen.key (kept, 0600)")
        .stdout_contains("the private key was kept")
        .run();
    assert_eq!(out.read("ingen.key"), key);
    assert_eq!(pubkey(&out.path()), first);

    // --new-key replaces it, of the type asked for.
    let out = out
        .then()
        .args(["certs", "request", "--values", "backend-ingen-values.yaml", "--new-key"])
        .args(["--key-type", "rsa-2048", "--host", "ingen.example.org"])
        .stdout_contains("ingen.key (replaced, 0600)")
        .stdout_contains("private key, RSA 2048")
        .run();
    assert_ne!(out.read("ingen.key"), key);
    let text = openssl_ok(&["req", "-in", "ingen.csr", "-noout", "-text"], &out.path());
    assert!(text.contains("Subject: O = ingen, CN = ingen.example.org"), "{text}");
    assert!(text.contains("Public-Key: (2048 bit)"), "{text}");

    // Without a values file: --msp-id, and the MSP ID as the CN, as certs gen --org makes it.
    let out = Test::new()
        .args(["certs", "request", "--msp-id", "biotechnica", "--key-type", "ed25519"])
        .stdout_contains("request for O=biotechnica, CN=biotechnica;")
        .run();
    openssl_ok(&["req", "-in", "biotechnica.csr", "-verify", "-noout"], &out.path());
}

/// Every file of a directory, as bytes.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    names(dir)
        .into_iter()
        .map(|n| (n.clone(), std::fs::read(dir.join(&n)).expect("read")))
        .collect()
}

#[test]
fn a_round_trip_across_two_directories_moves_only_the_request_and_the_certificates() {
    // The organization: its key and request.
    let org = organization("ingen")
        .args(["certs", "request", "--values", "backend-ingen-values.yaml"])
        .run();
    let key = org.read("ingen.key");
    // The orchestrator's owner: the request in, the certificate out.
    let owner = owner()
        .then()
        .file("ingen.csr", &org.read("ingen.csr"))
        .args(["certs", "sign", "ingen.csr", "--values-dir", "."])
        .run();
    // The organization: the certificate and the CA certificate in, the values and manifests out.
    let org = org
        .then()
        .file("ingen.crt", &owner.read("ingen.crt"))
        .file("orchestrator-ca.crt", &owner.read("orchestrator-ca.crt"))
        .args(["certs", "install", "ingen.crt", "--ca", "orchestrator-ca.crt"])
        .args(["--values", "backend-ingen-values.yaml", "--namespace", "org-ingen"])
        .stdout_contains("orchestrator-client-cert.yaml (created, 0600)")
        .stdout_contains("orchestrator-tls-cacert.yaml (created, 0644)")
        .stdout_contains("backend-ingen-values.yaml (updated, 0644)")
        .stdout_contains(
            "ingen.crt matches ingen.key, names O=ingen and is signed by orchestrator-ca.crt",
        )
        .stderr("")
        .run();

    let (o, w) = (org.path(), owner.path());
    assert_eq!(
        names(&o),
        [
            "backend-ingen-values.yaml",
            "ingen.crt",
            "ingen.csr",
            "ingen.key",
            "orchestrator-ca.crt",
            "orchestrator-client-cert.yaml",
            "orchestrator-tls-cacert.yaml",
        ]
    );
    assert_eq!(
        names(&w),
        [
            "ingen.crt",
            "ingen.csr",
            "orchestrator-ca.crt",
            "orchestrator-ca.key",
            "orchestrator-tls.crt",
            "orchestrator-tls.key",
            "orchestrator-values.yaml",
        ]
    );
    // The organization's key is nowhere on the owner's side, in PEM or in base64 of PEM.
    let body: String = key.lines().filter(|l| !l.starts_with("-----")).collect();
    let b64 = substractl::kube::base64(key.as_bytes());
    for (name, bytes) in contents(&w) {
        let text = String::from_utf8_lossy(&bytes);
        // The middle of each, past what every key of the type shares.
        let (pem_part, b64_part) = (&body[60..100], &b64[100..140]);
        assert!(!text.contains(pem_part) && !text.contains(b64_part), "{name} holds the key");
    }
    assert_eq!(org.read("ingen.key"), key, "the key never changed");
    assert_eq!(mode(&o.join("orchestrator-client-cert.yaml")), 0o600);

    // The manifests are kubectl's, byte for byte.
    let pair = manifest(
        &o,
        "org-ingen",
        &[
            "create",
            "secret",
            "tls",
            "orchestrator-client-cert",
            "--cert=ingen.crt",
            "--key=ingen.key",
        ],
    );
    assert_eq!(org.read("orchestrator-client-cert.yaml"), pair);
    let ca = manifest(
        &o,
        "org-ingen",
        &[
            "create",
            "secret",
            "generic",
            "orchestrator-tls-cacert",
            "--from-file=ca.crt=orchestrator-ca.crt",
        ],
    );
    assert_eq!(org.read("orchestrator-tls-cacert.yaml"), ca);

    // The backend's values, as the chart reads them.
    let values = org.read("backend-ingen-values.yaml");
    let path = o.join("backend-ingen-values.yaml");
    let doc = substractl::values::Doc::parse(&path, Some(values.into_bytes())).expect("parse");
    for (keys, want) in [
        (&["orchestrator", "tls", "enabled"][..], serde_json::json!(true)),
        (&["orchestrator", "tls", "cacert"][..], serde_json::json!("orchestrator-tls-cacert")),
        (&["orchestrator", "tls", "mtls", "enabled"][..], serde_json::json!(true)),
        (
            &["orchestrator", "tls", "mtls", "clientCertificate"][..],
            serde_json::json!("orchestrator-client-cert"),
        ),
    ] {
        assert_eq!(doc.get(keys), Some(&want), "{keys:?}");
    }
    // A second install changes nothing.
    org.then()
        .args(["certs", "install", "ingen.crt", "--ca", "orchestrator-ca.crt"])
        .args(["--values", "backend-ingen-values.yaml", "--namespace", "org-ingen"])
        .stdout_contains("orchestrator-client-cert.yaml (unchanged, 0600)")
        .stdout_contains("backend-ingen-values.yaml (unchanged, 0644)")
        .unchanged()
        .run();
}

#[test]
fn the_orchestrators_server_request_is_signed_with_the_server_extensions() {
    let owner = owner();
    let d = owner.path();
    openssl_ok(
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-subj",
            "/CN=orchestrator.example",
            "-addext",
            "basicConstraints=CA:FALSE",
            "-out",
            "server.csr",
        ],
        &d,
    );
    let out = owner
        .then()
        .args(["certs", "sign", "--server", "server.csr", "--force"])
        .args(["--host", "orchestrator.example", "--service", "orchestrator-server.orchestrator"])
        .stdout_contains("orchestrator-tls.crt (replaced, 0644)")
        .run();
    let d = out.path();
    let text = openssl_ok(&["x509", "-in", "orchestrator-tls.crt", "-noout", "-text"], &d);
    assert!(
        text.contains("TLS Web Server Authentication, TLS Web Client Authentication"),
        "{text}"
    );
    assert!(
        text.contains(
            "DNS:orchestrator.example, DNS:orchestrator-server.orchestrator, \
             DNS:orchestrator-server.orchestrator.svc, \
             DNS:orchestrator-server.orchestrator.svc.cluster.local"
        ),
        "{text}"
    );
    for purpose in ["sslserver", "sslclient"] {
        openssl_ok(
            &[
                "verify",
                "-purpose",
                purpose,
                "-CAfile",
                "orchestrator-ca.crt",
                "orchestrator-tls.crt",
            ],
            &d,
        );
    }
    out.then()
        .args(["certs", "verify", "--ca", "orchestrator-ca.crt", "orchestrator-tls.crt"])
        .args(["--host", "orchestrator-server.orchestrator.svc", "--key", "server.key"])
        .stdout_contains("passed: 6 ok")
        .run();
}

/// A request made by openssl in `dir` with `extra` arguments (its key in `name`.key).
fn openssl_request(dir: &Path, name: &str, newkey: &str, subj: &str, extra: &[&str]) {
    let (key, csr) = (format!("{name}.key"), format!("{name}.csr"));
    let mut args = vec!["req", "-newkey", newkey, "-nodes", "-keyout", &key, "-subj", subj];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["-out", &csr]);
    openssl_ok(&args, dir);
}

/// `certs sign` of one request in the owner's directory: refused, exit 2, the file named,
/// nothing written.
fn sign_refused(owner: Output, csr: &str, more: &[&str], message: &str) -> Output {
    owner
        .then()
        .args(["certs", "sign", csr, "--values-dir", "."])
        .args(more)
        .status(2)
        .stdout("")
        .stderr_contains(message)
        .unchanged()
        .run()
}

#[test]
fn bad_requests_exit_2_name_the_file_and_write_nothing() {
    let owner = owner();
    let d = owner.path();
    std::fs::write(d.join("junk.csr"), "hello\n").expect("write");
    std::fs::copy(d.join("orchestrator-tls.crt"), d.join("cert.csr")).expect("copy");
    openssl_request(&d, "noorg", "rsa:2048", "/CN=api.ingen.example", &[]);
    openssl_request(&d, "tyrell", "rsa:2048", "/O=tyrell/CN=api.tyrell.example", &[]);
    openssl_request(
        &d,
        "ca",
        "rsa:2048",
        "/O=ingen/CN=x",
        &["-addext", "basicConstraints=critical,CA:TRUE"],
    );
    openssl_request(
        &d,
        "certsign",
        "rsa:2048",
        "/O=ingen/CN=x",
        &["-addext", "keyUsage=digitalSignature,keyCertSign"],
    );
    openssl_request(&d, "weak", "rsa:1024", "/O=ingen/CN=x", &[]);
    openssl_request(&d, "p521", "ec", "/O=ingen/CN=x", &["-pkeyopt", "ec_paramgen_curve:P-521"]);
    openssl_request(&d, "ed448", "ed448", "/O=ingen/CN=x", &[]);
    guide_request(&d, "ingen", HOST);
    // One base64 letter of the signature changed: the request no longer verifies.
    let pem = std::fs::read_to_string(d.join("ingen.csr")).expect("read");
    let body: Vec<&str> = pem.lines().collect();
    let line = body.len() - 3;
    let mut bytes = body[line].as_bytes().to_vec();
    bytes[10] = if bytes[10] == b'A' { b'B' } else { b'A' };
    let mut lines: Vec<String> = body.iter().map(|l| l.to_string()).collect();
    lines[line] = String::from_utf8(bytes).expect("ascii");
    std::fs::write(d.join("forged.csr"), lines.join("\n") + "\n").expect("write");

    let owner = sign_refused(
        owner,
        "junk.csr",
        &[],
        "junk.csr: not a certificate signing request: expected PEM",
    );
    let owner = sign_refused(
        owner,
        "cert.csr",
        &[],
        "cert.csr: not a certificate signing request (it holds a CERTIFICATE)",
    );
    let owner = sign_refused(
        owner,
        "forged.csr",
        &[],
        "forged.csr: the request's signature does not verify",
    );
    let owner = sign_refused(owner, "noorg.csr", &[], "noorg.csr: the request's subject has no O=");
    std::fs::write(d.join("two.csr"), pem.clone() + &pem).expect("write");
    let owner = sign_refused(
        owner,
        "two.csr",
        &[],
        "two.csr: the certificate signing request cannot be read: it holds more than one request",
    );
    let owner = sign_refused(
        owner,
        "tyrell.csr",
        &[],
        "tyrell.csr: O=tyrell is not an organization of the orchestrator: no channel of orchestrator-values.yaml lists it",
    );
    let owner = sign_refused(owner, "ca.csr", &[], "ca.csr: the request asks for CA:TRUE");
    let owner = sign_refused(
        owner,
        "certsign.csr",
        &[],
        "certsign.csr: the request asks for keyUsage keyCertSign",
    );
    let owner =
        sign_refused(owner, "weak.csr", &[], "weak.csr: an RSA key of 1024 bits is too weak");
    let owner = sign_refused(
        owner,
        "p521.csr",
        &[],
        "p521.csr: a key of type ECDSA P-521, which substractl does not sign",
    );
    let owner = sign_refused(
        owner,
        "ed448.csr",
        &[],
        "ed448.csr: a key of type Ed448, which substractl does not sign",
    );
    // An MSP ID whose certificate would overwrite the CA's.
    openssl_request(&d, "reserved", "rsa:2048", "/O=orchestrator-ca/CN=x", &[]);
    let owner = sign_refused(
        owner,
        "reserved.csr",
        &["--msp-id", "orchestrator-ca", "--force"],
        "reserved.csr: O=orchestrator-ca: its files would be the CA's or the orchestrator server's",
    );
    // Without the orchestrator's values, an organization must be named.
    let owner = owner
        .then()
        .args(["certs", "sign", "ingen.csr"])
        .status(2)
        .stderr_contains(
            "ingen.csr: cannot tell whether O=ingen is an organization of the orchestrator",
        )
        .stderr_contains("--msp-id ingen")
        .unchanged()
        .run();
    // One bad request among good ones: none is signed.
    let owner =
        sign_refused(owner, "ingen.csr", &["weak.csr"], "weak.csr: an RSA key of 1024 bits");

    // A CA key that is not the CA certificate's.
    openssl_ok(
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            "other.key",
        ],
        &d,
    );
    std::fs::rename(d.join("other.key"), d.join("orchestrator-ca.key")).expect("swap the CA key");
    sign_refused(
        owner,
        "ingen.csr",
        &[],
        "orchestrator-ca.key does not match the certificate orchestrator-ca.crt",
    );
}

#[test]
fn an_answer_for_another_key_msp_id_or_ca_is_refused_naming_both() {
    let org = organization("ingen")
        .args(["certs", "request", "--values", "backend-ingen-values.yaml"])
        .run();
    let o = org.path();
    // The organization's key in a request for another MSP ID, and another key's request.
    openssl_ok(
        &["req", "-new", "-key", "ingen.key", "-subj", "/O=biotechnica/CN=x", "-out", "bio.csr"],
        &o,
    );
    guide_request(&o, "other", HOST);
    let owner = owner()
        .then()
        .file("ingen.csr", &org.read("ingen.csr"))
        .file("biotechnica.csr", &org.read("bio.csr"))
        .args(["certs", "sign", "ingen.csr", "biotechnica.csr", "--values-dir", "."])
        .run();
    let stranger = Test::new().args(["certs", "gen", "--org", "ingen"]).run();
    let test = org
        .then()
        .file("biotechnica.crt", &owner.read("biotechnica.crt"))
        .file("ingen.crt", &owner.read("ingen.crt"))
        .file("orchestrator-ca.crt", &owner.read("orchestrator-ca.crt"))
        .file("stranger.crt", &stranger.read("ingen.crt"))
        .file("stranger-ca.crt", &stranger.read("orchestrator-ca.crt"));
    // Another MSP ID.
    let out = test
        .args(["certs", "install", "biotechnica.crt", "--ca", "orchestrator-ca.crt"])
        .args(["--values", "backend-ingen-values.yaml"])
        .status(2)
        .stderr_contains(
            "biotechnica.crt is for O=biotechnica, not for ingen (orchestrator.mspID in backend-ingen-values.yaml)",
        )
        .unchanged()
        .run();
    // Another key.
    let out = out
        .then()
        .args(["certs", "install", "ingen.crt", "--ca", "orchestrator-ca.crt"])
        .args(["--values", "backend-ingen-values.yaml", "--key", "other.key"])
        .status(2)
        .stderr_contains(
            "ingen.crt is not the certificate of other.key: it holds another public key",
        )
        .unchanged()
        .run();
    // Another CA.
    let out = out
        .then()
        .args(["certs", "install", "ingen.crt", "--ca", "stranger-ca.crt"])
        .args(["--values", "backend-ingen-values.yaml"])
        .status(2)
        .stderr_contains(
            "ingen.crt is not signed by the CA stranger-ca.crt (its issuer is \"CN=Orchestrator Root CA\")",
        )
        .unchanged()
        .run();
    // A certificate of the same MSP ID from another owner's CA, for another key.
    let out = out
        .then()
        .args([
            "certs",
            "install",
            "stranger.crt",
            "--ca",
            "orchestrator-ca.crt",
            "--msp-id",
            "ingen",
        ])
        .status(2)
        .stderr_contains("stranger.crt is not the certificate of ingen.key")
        .unchanged()
        .run();
    // --msp-id and the values file disagree.
    out.then()
        .args(["certs", "install", "ingen.crt", "--ca", "orchestrator-ca.crt"])
        .args(["--values", "backend-ingen-values.yaml", "--msp-id", "biotechnica"])
        .status(2)
        .stderr_contains("--msp-id biotechnica differs from orchestrator.mspID ingen in backend-ingen-values.yaml")
        .unchanged()
        .run();
}

#[test]
fn a_requests_own_asks_never_reach_the_certificate() {
    let owner = owner();
    let d = owner.path();
    openssl_request(
        &d,
        "ingen",
        "rsa:2048",
        "/O=ingen/CN=api.ingen.example",
        &[
            "-addext",
            "extendedKeyUsage=serverAuth,codeSigning",
            "-addext",
            "subjectAltName=DNS:api.ingen.example,DNS:*.ingen.example,IP:10.0.0.1,email:ops@ingen.example",
            "-addext",
            "basicConstraints=CA:FALSE,pathlen:0",
            "-addext",
            "nsComment=please make me a CA",
        ],
    );
    let out = owner
        .then()
        .args(["certs", "sign", "ingen.csr", "--values-dir", ".", "--days", "10", "-o", "json"])
        .stderr_contains(
            "ingen.csr asked for DNS:*.ingen.example, IP:10.0.0.1, email:ops@ingen.example, which \
             the certificate leaves out (a client certificate holds the DNS host names asked for, \
             nothing else)",
        )
        .run();
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(json["signed"][0]["msp_id"], "ingen");
    assert_eq!(json["signed"][0]["certificate"], "ingen.crt");
    assert_eq!(
        json["files"][0]["certificate"]["sans"],
        serde_json::json!(["DNS:api.ingen.example"])
    );
    assert_eq!(
        json["files"][0]["certificate"]["extended_key_usage"],
        serde_json::json!(["TLS Web Client Authentication"])
    );
    let d = out.path();
    let text = openssl_ok(&["x509", "-in", "ingen.crt", "-noout", "-text"], &d);
    assert!(!text.contains("Code Signing") && !text.contains("Server Authentication"), "{text}");
    assert!(!text.contains("Netscape Comment") && !text.contains("pathlen"), "{text}");

    // Ten days left: the renewal hint names the round that keeps the key.
    out.then()
        .args(["certs", "verify", "--ca", "orchestrator-ca.crt", "ingen.crt", "--client"])
        .stdout_contains("warning  validity")
        .stdout_contains(
            "hint: renew it soon, keeping its key: `substractl certs request --values VALUES.yaml` \
             where ingen.key is (it reuses the key), the orchestrator's owner runs `substractl \
             certs sign ingen.csr`, then `substractl certs install ingen.crt --ca \
             orchestrator-ca.crt --values VALUES.yaml`",
        )
        .run();
}

#[test]
fn the_orchestrators_server_key_is_made_where_it_is_used_and_signed_by_request() {
    let owner = owner();
    let out = owner
        .then()
        .args(["certs", "request", "--server", "--host", "orchestrator.example", "--san", "127.0.0.1"])
        .args(["--service", "orchestrator-server.orchestrator", "--out", "server"])
        .stdout_contains("server/orchestrator-tls.key (created, 0600)")
        .stdout_contains("request for CN=orchestrator.example (DNS:orchestrator.example, IP:127.0.0.1,")
        .stdout_contains(
            "where the CA is: substractl certs sign --server server/orchestrator-tls.csr --host \
             orchestrator.example --san 127.0.0.1 --service orchestrator-server.orchestrator --out CA-DIR",
        )
        .run();
    let d = out.path();
    assert_eq!(mode(&d.join("server/orchestrator-tls.key")), 0o600);
    let text = openssl_ok(&["req", "-in", "server/orchestrator-tls.csr", "-noout", "-text"], &d);
    assert!(text.contains("Subject: CN = orchestrator.example"), "{text}");
    let out = out
        .then()
        .args(["certs", "sign", "--server", "server/orchestrator-tls.csr", "--force"])
        .args(["--host", "orchestrator.example", "--san", "127.0.0.1"])
        .args(["--service", "orchestrator-server.orchestrator"])
        .stdout_contains("orchestrator-tls.crt (replaced, 0644)")
        .stderr("")
        .run();
    out.then()
        .args(["certs", "verify", "--ca", "orchestrator-ca.crt", "orchestrator-tls.crt"])
        .args(["--host", "127.0.0.1", "--key", "server/orchestrator-tls.key"])
        .stdout_contains("ok       health-probe")
        .stdout_contains("passed: 6 ok, 0 warning(s), 0 failure(s)")
        .run();
}

#[test]
fn signing_past_the_cas_end_is_said() {
    let out = Test::new().args(["certs", "gen", "--host", "localhost", "--ca-days", "5"]).run();
    guide_request(&out.path(), "ingen", HOST);
    out.then()
        .args(["certs", "sign", "ingen.csr", "--msp-id", "ingen", "--days", "30"])
        .stderr_contains("warning: the CA expires on ")
        .stderr_contains("before the certificates signed now: clients reject them from then on")
        .stdout_contains("ingen.crt (created, 0644)")
        .run();
}

#[test]
fn a_server_request_gets_the_names_the_signer_gives_and_no_other() {
    // The request asks for names of its own beside the orchestrator's: with --host given, the
    // signer decides, and the extra names are dropped and said.
    let owner = owner();
    let d = owner.path();
    openssl_request(
        &d,
        "server",
        "rsa:2048",
        "/CN=orch.example",
        &["-addext", "subjectAltName=DNS:api.biotechnica.example,DNS:login.bank.example"],
    );
    let out = owner
        .then()
        .args(["certs", "sign", "--server", "server.csr", "--force", "--host", "orch.example"])
        .stderr_contains(
            "server.csr asked for DNS:api.biotechnica.example, DNS:login.bank.example, which the \
             certificate leaves out",
        )
        .run();
    let text = openssl_ok(&["x509", "-in", "orchestrator-tls.crt", "-noout", "-text"], &out.path());
    assert!(text.contains("DNS:orch.example"), "{text}");
    assert!(!text.contains("login.bank.example"), "{text}");
    assert!(!text.contains("api.biotechnica.example"), "{text}");
}

#[test]
fn install_refuses_a_ca_certificate_and_one_without_client_auth() {
    let org = organization("ingen")
        .args(["certs", "request", "--values", "backend-ingen-values.yaml"])
        .run();
    let owner = owner().then().file("ingen.csr", &org.read("ingen.csr")).args(["--version"]).run();
    let d = owner.path();
    // Signed by the right CA with openssl, with what `certs sign` never gives.
    for (name, ext) in [
        ("as-ca", "basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,digitalSignature\n"),
        ("server-only", "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"),
    ] {
        std::fs::write(d.join(format!("{name}.ext")), ext).expect("write ext");
        openssl_ok(
            &[
                "x509",
                "-req",
                "-days",
                "30",
                "-in",
                "ingen.csr",
                "-CA",
                "orchestrator-ca.crt",
                "-CAkey",
                "orchestrator-ca.key",
                "-CAcreateserial",
                "-extfile",
                &format!("{name}.ext"),
                "-out",
                &format!("{name}.crt"),
            ],
            &d,
        );
    }
    let test = org
        .then()
        .file("as-ca.crt", &owner.read("as-ca.crt"))
        .file("server-only.crt", &owner.read("server-only.crt"))
        .file("orchestrator-ca.crt", &owner.read("orchestrator-ca.crt"));
    let out = test
        .args(["certs", "install", "as-ca.crt", "--ca", "orchestrator-ca.crt"])
        .args(["--values", "backend-ingen-values.yaml"])
        .status(2)
        .error("as-ca.crt is a CA certificate (CA:TRUE or keyCertSign)", "substractl certs sign")
        .unchanged()
        .run();
    out.then()
        .args(["certs", "install", "server-only.crt", "--ca", "orchestrator-ca.crt"])
        .args(["--values", "backend-ingen-values.yaml"])
        .status(2)
        .error("server-only.crt does not allow clientAuth", "substractl certs sign")
        .unchanged()
        .run();
}

#[test]
fn a_request_refuses_an_address_that_is_not_a_text() {
    Test::new()
        .file(
            "backend-ingen-values.yaml",
            "orchestrator:\n  mspID: ingen\nserver:\n  defaultDomain: [http://api.ingen.example]\n",
        )
        .args(["certs", "request", "--values", "backend-ingen-values.yaml"])
        .status(2)
        .stderr_contains("backend-ingen-values.yaml:4: server.defaultDomain is not a text")
        .unchanged()
        .run();
}

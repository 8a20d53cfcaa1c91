//! `substractl certs`: files and modes, openssl's verdict, real TLS handshakes, kubectl's
//! manifests, values edits, and every bad input refused with nothing written.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use tempfile::TempDir;

use crate::support::pki::{handshake, openssl, openssl_server_auth_only};
use crate::support::Test;

const KEY_TYPES: [&str; 6] =
    ["ecdsa-p256", "ecdsa-p384", "rsa-2048", "rsa-3072", "rsa-4096", "ed25519"];

fn mode(path: &Path) -> u32 {
    fs::metadata(path).expect("exists").permissions().mode() & 0o777
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The lines of `openssl x509 -text` after a header line, up to the next header.
fn ext_value(text: &str, header: &str) -> String {
    let mut lines = text.lines().skip_while(|l| !l.contains(header));
    lines.next();
    lines
        .take_while(|l| l.starts_with("                "))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `certs gen` in a fresh directory, with the server and two organizations.
fn gen(key_type: &str, extra: &[&str]) -> (TempDir, String, String) {
    let dir = TempDir::new().expect("tempdir");
    let (stdout, stderr) = gen_in(dir.path(), key_type, extra);
    (dir, stdout, stderr)
}

/// Runs `certs gen` in `dir`, with the server and two organizations: (stdout, stderr).
fn gen_in(dir: &Path, key_type: &str, extra: &[&str]) -> (String, String) {
    let mut args = vec![
        "certs",
        "gen",
        "--host",
        "orchestrator.cluster-1.example",
        "--san",
        "127.0.0.1",
        "--service",
        "orchestrator-server.orchestrator",
        "--org",
        "ingen=api.ingen.example",
        "--org",
        "biotechnica",
        "--key-type",
        key_type,
    ];
    args.extend_from_slice(extra);
    let out = Test::in_dir(dir).args(&args).run();
    (out.stdout, out.stderr)
}

/// A full key set made by `certs gen` for one key type, with what the run printed.
struct KeySet {
    key_type: &'static str,
    dir: PathBuf,
    stdout: String,
    stderr: String,
}

/// One key set per key type, made once per test run (side by side) and shared by the tests that
/// only read them: RSA 4096 keys are slow to make. They live under the target directory, which
/// the next run clears.
fn every_key_type() -> &'static [KeySet] {
    static SETS: OnceLock<Vec<KeySet>> = OnceLock::new();
    SETS.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("certs-every-key-type");
        let _ = fs::remove_dir_all(&root);
        std::thread::scope(|scope| {
            let runs: Vec<_> = KEY_TYPES
                .iter()
                .map(|&key_type| {
                    let dir = root.join(key_type);
                    scope.spawn(move || {
                        fs::create_dir_all(&dir).expect("mkdir");
                        let (stdout, stderr) = gen_in(&dir, key_type, &[]);
                        KeySet { key_type, dir, stdout, stderr }
                    })
                })
                .collect();
            runs.into_iter().map(|r| r.join().expect("certs gen for a key type")).collect()
        })
    })
}

#[test]
fn gen_for_every_key_type_passes_openssl_with_the_guides_extensions() {
    let scratch = TempDir::new().expect("tempdir");
    for set in every_key_type() {
        let (kt, d, stdout, stderr) = (set.key_type, set.dir.as_path(), &set.stdout, &set.stderr);
        assert_eq!(
            names(d),
            [
                "biotechnica.crt",
                "biotechnica.key",
                "ingen.crt",
                "ingen.key",
                "orchestrator-ca.crt",
                "orchestrator-ca.key",
                "orchestrator-tls.crt",
                "orchestrator-tls.key"
            ],
            "{kt}: no CSR or serial left behind"
        );
        for key in ["orchestrator-ca.key", "orchestrator-tls.key", "ingen.key", "biotechnica.key"] {
            assert_eq!(mode(&d.join(key)), 0o600, "{kt} {key}");
            let pem = fs::read_to_string(d.join(key)).expect("key");
            let body = pem.lines().nth(1).expect("base64 line");
            assert!(!stdout.contains(body) && !stderr.contains(body), "{kt}: a key was printed");
        }
        for crt in ["orchestrator-ca.crt", "orchestrator-tls.crt", "ingen.crt"] {
            assert_eq!(mode(&d.join(crt)), 0o644, "{kt} {crt}");
        }
        assert!(!stdout.contains("PRIVATE KEY") && !stderr.contains("PRIVATE KEY"));

        let ok = |args: &[&str]| openssl(args, d);
        let (pass, msg) = ok(&[
            "verify",
            "-CAfile",
            "orchestrator-ca.crt",
            "-purpose",
            "sslserver",
            "orchestrator-tls.crt",
        ]);
        assert!(pass, "{kt}: {msg}");
        for client in ["ingen.crt", "biotechnica.crt"] {
            let (pass, msg) =
                ok(&["verify", "-CAfile", "orchestrator-ca.crt", "-purpose", "sslclient", client]);
            assert!(pass, "{kt}: {msg}");
        }
        // The chart's health probe presents the server pair as its client certificate.
        let (pass, msg) = ok(&[
            "verify",
            "-CAfile",
            "orchestrator-ca.crt",
            "-purpose",
            "sslclient",
            "orchestrator-tls.crt",
        ]);
        assert!(pass, "{kt}: the server certificate must also pass as a client one: {msg}");
        let (pass, _) =
            ok(&["verify", "-CAfile", "orchestrator-ca.crt", "-purpose", "sslserver", "ingen.crt"]);
        assert!(!pass, "{kt}: a client certificate must not pass as a server one");

        let (_, ca) = ok(&["x509", "-in", "orchestrator-ca.crt", "-noout", "-text"]);
        assert!(ca.contains("Subject: CN = Orchestrator Root CA"), "{ca}");
        assert!(ca.contains("X509v3 Basic Constraints: critical"), "{ca}");
        assert_eq!(ext_value(&ca, "X509v3 Basic Constraints"), "CA:TRUE");
        assert_eq!(ext_value(&ca, "X509v3 Key Usage"), "Certificate Sign, CRL Sign");
        let ski = ext_value(&ca, "X509v3 Subject Key Identifier");
        let aki = ext_value(&ca, "X509v3 Authority Key Identifier");
        let serial = ok(&["x509", "-in", "orchestrator-ca.crt", "-noout", "-serial"]).1;
        let serial = serial.trim().trim_start_matches("serial=");
        let serial_colons: Vec<String> =
            serial.as_bytes().chunks(2).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
        assert_eq!(
            aki,
            format!(
                "keyid:{ski}\nDirName:/CN=Orchestrator Root CA\nserial:{}",
                serial_colons.join(":")
            ),
            "{kt}: keyid:always,issuer:always"
        );

        let (_, server) = ok(&["x509", "-in", "orchestrator-tls.crt", "-noout", "-text"]);
        assert!(server.contains("Subject: CN = orchestrator.cluster-1.example"), "{server}");
        assert_eq!(
            ext_value(&server, "X509v3 Subject Alternative Name"),
            "DNS:orchestrator.cluster-1.example, IP Address:127.0.0.1, DNS:orchestrator-server.orchestrator, \
             DNS:orchestrator-server.orchestrator.svc, DNS:orchestrator-server.orchestrator.svc.cluster.local"
        );
        assert_eq!(
            ext_value(&server, "X509v3 Extended Key Usage"),
            "TLS Web Server Authentication, TLS Web Client Authentication"
        );
        assert_eq!(ext_value(&server, "X509v3 Authority Key Identifier"), ski, "{kt}");
        assert!(!ext_value(&server, "X509v3 Subject Key Identifier").is_empty());

        let (_, client) = ok(&["x509", "-in", "ingen.crt", "-noout", "-text"]);
        assert!(client.contains("Subject: O = ingen, CN = api.ingen.example"), "{client}");
        assert_eq!(
            ext_value(&client, "X509v3 Extended Key Usage"),
            "TLS Web Client Authentication"
        );
        assert_eq!(
            ext_value(&client, "X509v3 Authority Key Identifier"),
            ski,
            "{kt}: AKI = CA's SKI"
        );
        let (_, client) = ok(&["x509", "-in", "biotechnica.crt", "-noout", "-subject"]);
        assert!(client.contains("O = biotechnica, CN = biotechnica"), "{client}");

        // The SKI is what openssl's own `subjectKeyIdentifier = hash` makes of the same key
        // (written aside: the key set is shared).
        let theirs_crt =
            scratch.path().join(format!("{kt}-openssl-ca.crt")).to_string_lossy().into_owned();
        let (made, msg) = ok(&[
            "req",
            "-new",
            "-x509",
            "-key",
            "orchestrator-ca.key",
            "-subj",
            "/CN=t",
            "-addext",
            "subjectKeyIdentifier=hash",
            "-out",
            &theirs_crt,
        ]);
        assert!(made, "{msg}");
        let (_, theirs) = ok(&["x509", "-in", &theirs_crt, "-noout", "-text"]);
        assert_eq!(ext_value(&theirs, "X509v3 Subject Key Identifier"), ski, "{kt}");
    }
}

#[test]
fn rsa_2048_gives_what_the_guides_commands_give() {
    let (dir, _, _) = gen("rsa-2048", &["--days", "365", "--ca-days", "365"]);
    let (_, ca) = openssl(&["x509", "-in", "orchestrator-ca.crt", "-noout", "-text"], dir.path());
    assert!(ca.contains("Public-Key: (2048 bit)"), "{ca}");
    assert!(ca.contains("Signature Algorithm: sha256WithRSAEncryption"), "{ca}");
    let (_, dates) = openssl(
        &["x509", "-in", "orchestrator-tls.crt", "-noout", "-checkend", &(364 * 86400).to_string()],
        dir.path(),
    );
    assert!(dates.contains("will not expire"), "{dates}");
    let (_, dates) = openssl(
        &["x509", "-in", "orchestrator-tls.crt", "-noout", "-checkend", &(366 * 86400).to_string()],
        dir.path(),
    );
    assert!(dates.contains("will expire"), "{dates}");
}

/// The guide's openssl steps, with the CA key in the given `genpkey`/`genrsa` form.
fn openssl_ca(dir: &Path, keygen: &[&str]) {
    fs::write(
        dir.join("example-openssl.cnf"),
        "[ req ]\ndefault_bits = 2048\ndefault_md = sha256\ndistinguished_name = req_distinguished_name\n\
         [ req_distinguished_name ]\n[ v3_ca ]\nbasicConstraints = critical,CA:TRUE\n\
         subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always,issuer:always\n\
         keyUsage = cRLSign, keyCertSign\n",
    )
    .expect("cnf");
    let (ok, msg) = openssl(keygen, dir);
    assert!(ok, "{msg}");
    let (ok, msg) = openssl(
        &[
            "req",
            "-new",
            "-x509",
            "-days",
            "365",
            "-sha256",
            "-key",
            "orchestrator-ca.key",
            "-extensions",
            "v3_ca",
            "-config",
            "example-openssl.cnf",
            "-subj",
            "/CN=Orchestrator Root CA",
            "-out",
            "orchestrator-ca.crt",
        ],
        dir,
    );
    assert!(ok, "{msg}");
}

#[test]
fn a_ca_made_by_the_guides_openssl_commands_is_reused_never_replaced() {
    for (label, keygen) in [
        ("PKCS#1", vec!["genrsa", "-traditional", "-out", "orchestrator-ca.key", "2048"]),
        (
            "SEC1",
            vec![
                "ecparam",
                "-name",
                "prime256v1",
                "-genkey",
                "-noout",
                "-out",
                "orchestrator-ca.key",
            ],
        ),
        ("PKCS#8", vec!["genpkey", "-algorithm", "ed25519", "-out", "orchestrator-ca.key"]),
    ] {
        let dir = TempDir::new().expect("tempdir");
        let d = dir.path();
        openssl_ca(d, &keygen);
        let ca_before = fs::read(d.join("orchestrator-ca.crt")).expect("ca");
        let key_before = fs::read(d.join("orchestrator-ca.key")).expect("key");
        Test::in_dir(d)
            .args([
                "certs",
                "gen",
                "--host",
                "orchestrator.example",
                "--org",
                "ingen",
                "-o",
                "json",
            ])
            .stdout_contains("\"ca\": \"reused\"")
            .run();
        assert_eq!(fs::read(d.join("orchestrator-ca.crt")).expect("ca"), ca_before, "{label}");
        assert_eq!(fs::read(d.join("orchestrator-ca.key")).expect("key"), key_before, "{label}");
        for (cert, purpose) in [("orchestrator-tls.crt", "sslserver"), ("ingen.crt", "sslclient")] {
            let (ok, msg) = openssl(
                &["verify", "-CAfile", "orchestrator-ca.crt", "-purpose", purpose, cert],
                d,
            );
            assert!(ok, "{label}: {msg}");
        }
        let (_, ca) = openssl(&["x509", "-in", "orchestrator-ca.crt", "-noout", "-text"], d);
        let (_, client) = openssl(&["x509", "-in", "ingen.crt", "-noout", "-text"], d);
        assert_eq!(
            ext_value(&client, "X509v3 Authority Key Identifier"),
            ext_value(&ca, "X509v3 Subject Key Identifier"),
            "{label}"
        );
        // And the files work in a handshake, whose verifier compares names byte for byte.
        let (server, client) =
            handshake(d, Some("ingen"), "orchestrator.example", "orchestrator-ca.crt");
        assert!(server.is_ok() && client.is_ok(), "{label}: {server:?} {client:?}");
    }
}

#[test]
fn existing_leaves_need_force_and_the_ca_is_never_replaced() {
    let (dir, _, _) = gen("ecdsa-p256", &[]);
    let d = dir.path();
    let ca = fs::read(d.join("orchestrator-ca.crt")).expect("ca");
    let tls = fs::read(d.join("orchestrator-tls.crt")).expect("tls");
    Test::in_dir(d)
        .args(["certs", "gen", "--host", "orchestrator.cluster-1.example"])
        .status(2)
        .stderr_contains("orchestrator-tls.crt, orchestrator-tls.key already exist")
        .stderr_contains("--force")
        .run();
    assert_eq!(fs::read(d.join("orchestrator-tls.crt")).expect("tls"), tls);
    fs::set_permissions(d.join("orchestrator-tls.key"), fs::Permissions::from_mode(0o644))
        .expect("chmod");
    Test::in_dir(d)
        .args([
            "certs",
            "gen",
            "--host",
            "orchestrator.cluster-1.example",
            "--force",
            "--ca-cn",
            "Other",
        ])
        .stderr_contains("orchestrator-tls.key was readable by others; it is now mode 0600")
        .run();
    assert_ne!(fs::read(d.join("orchestrator-tls.crt")).expect("tls"), tls);
    assert_eq!(fs::read(d.join("orchestrator-ca.crt")).expect("ca"), ca);
    assert_eq!(mode(&d.join("orchestrator-tls.key")), 0o600);
    // A new client certificate is added later, signed by the same CA, without --force.
    Test::in_dir(d).args(["certs", "gen", "--org", "tyrell"]).run();
    let (ok, msg) = openssl(
        &["verify", "-CAfile", "orchestrator-ca.crt", "-purpose", "sslclient", "tyrell.crt"],
        d,
    );
    assert!(ok, "{msg}");
}

#[test]
fn bad_input_is_refused_with_exit_2_and_nothing_written() {
    let cases: &[(&[&str], &str)] = &[
        (&["--host", "a.example", "--key-type", "rsa-1024"], "invalid value 'rsa-1024'"),
        (&["--host", "bad_name.example"], "invalid host name or IP address \"bad_name.example\""),
        (&["--host", "a..example"], "empty label"),
        (&["--host", "a.example", "--san", "10.0.0.256"], "\"10.0.0.256\""),
        (&["--host", "a.example", "--san", "*.*.example"], "wildcard"),
        (&["--host", "a.example", "--days", "0"], "--days 0 is out of range: give 1 to 36500 days"),
        (
            &["--host", "a.example", "--ca-days", "0"],
            "--ca-days 0 is out of range: give 1 to 36500 days",
        ),
        (
            &["--host", "a.example", "--days", "2932896"],
            "--days 2932896 is out of range: give 1 to 36500 days",
        ),
        (
            &["--org", "ingen", "--ca-days", "4000000"],
            "--ca-days 4000000 is out of range: give 1 to 36500 days",
        ),
        (&["--host", "a.example", "--ca-cn", ""], "--ca-cn is empty: a CA needs a common name"),
        (&["--org", "ingen", "--ca-cn", "  "], "--ca-cn is empty: a CA needs a common name"),
        (&["--host", "a.example", "--service", "orchestrator"], "expected NAME.NAMESPACE"),
        (&["--org", "a b"], "invalid MSP ID \"a b\""),
        (&["--org", "ingen", "--org", "ingen"], "--org ingen is given twice"),
        (&["--org", "orchestrator-ca"], "pick another MSP ID"),
        (&["--host", "a.example", "--manifests", "--namespace", "Bad_NS"], "--namespace Bad_NS"),
        (&[], "nothing to make"),
    ];
    for (args, message) in cases {
        let dir = TempDir::new().expect("tempdir");
        Test::in_dir(dir.path())
            .args(["certs", "gen", "--out", "out"])
            .args(*args)
            .status(2)
            .stderr_contains(message)
            .run();
        assert!(names(dir.path()).is_empty(), "{args:?} wrote {:?}", names(dir.path()));
    }
}

#[test]
fn a_bad_ca_in_out_is_refused_and_left_alone() {
    // Encrypted key.
    let dir = TempDir::new().expect("tempdir");
    let d = dir.path();
    let (ok, msg) = openssl(
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-aes256",
            "-pass",
            "pass:secret",
            "-out",
            "orchestrator-ca.key",
        ],
        d,
    );
    assert!(ok, "{msg}");
    let (ok, msg) = openssl(
        &[
            "req",
            "-new",
            "-x509",
            "-key",
            "orchestrator-ca.key",
            "-passin",
            "pass:secret",
            "-subj",
            "/CN=x",
            "-out",
            "orchestrator-ca.crt",
        ],
        d,
    );
    assert!(ok, "{msg}");
    let before = names(d);
    Test::in_dir(d)
        .args(["certs", "gen", "--host", "a.example"])
        .status(2)
        .stderr_contains("orchestrator-ca.key: the private key is encrypted")
        .run();
    assert_eq!(names(d), before);

    // A key that is not the CA's.
    let dir = TempDir::new().expect("tempdir");
    let d = dir.path();
    openssl_ca(d, &["genrsa", "-out", "orchestrator-ca.key", "2048"]);
    openssl(&["genrsa", "-out", "orchestrator-ca.key", "2048"], d);
    let before = names(d);
    Test::in_dir(d)
        .args(["certs", "gen", "--host", "a.example"])
        .status(2)
        .stderr_contains("orchestrator-ca.key does not match the certificate orchestrator-ca.crt")
        .run();
    assert_eq!(names(d), before);

    // A certificate that is not PEM, and a CA without its key.
    fs::write(d.join("orchestrator-ca.crt"), "not a certificate\n").expect("write");
    Test::in_dir(d)
        .args(["certs", "gen", "--host", "a.example"])
        .status(2)
        .stderr_contains("orchestrator-ca.crt: no PEM certificate found")
        .run();
    fs::remove_file(d.join("orchestrator-ca.key")).expect("rm");
    Test::in_dir(d)
        .args(["certs", "gen", "--host", "a.example"])
        .status(2)
        .stderr_contains("orchestrator-ca.crt exists but orchestrator-ca.key does not")
        .run();
}

#[test]
fn an_unwritable_out_is_refused() {
    let dir = TempDir::new().expect("tempdir");
    fs::write(dir.path().join("file"), "x").expect("write");
    Test::in_dir(dir.path())
        .args(["certs", "gen", "--host", "a.example", "--out", "file"])
        .status(2)
        .stderr_contains("--out file: not a directory")
        .run();
    // A directory another user owns, where this one may not write.
    let test = Test::new();
    let ro = test.path().join("ro");
    fs::create_dir(&ro).expect("mkdir");
    fs::set_permissions(&ro, std::os::unix::fs::PermissionsExt::from_mode(0o555)).expect("chmod");
    test.user(65534)
        .args(["certs", "gen", "--host", "a.example", "--out", "ro/pki"])
        .status(2)
        .stderr_contains("--out ro/pki: cannot write in ro")
        .unchanged()
        .run();
}

#[test]
fn gen_json_is_stable() {
    let (dir, stdout, _) = gen("ecdsa-p256", &["-o", "json", "--manifests"]);
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["ca"], "created");
    assert_eq!(v["out"], ".");
    let files = v["files"].as_array().expect("files");
    let kinds: Vec<&str> = files.iter().map(|f| f["kind"].as_str().expect("kind")).collect();
    assert_eq!(
        kinds,
        [
            "ca-certificate",
            "ca-key",
            "server-certificate",
            "server-key",
            "client-certificate",
            "client-key",
            "client-certificate",
            "client-key",
            "manifest",
            "manifest",
            "manifest",
            "manifest"
        ]
    );
    let server = &files[2];
    assert_eq!(server["path"], "orchestrator-tls.crt");
    assert_eq!(server["status"], "created");
    assert_eq!(server["mode"], "0644");
    assert_eq!(server["certificate"]["subject"], "CN=orchestrator.cluster-1.example");
    assert_eq!(server["certificate"]["sans"][1], "IP:127.0.0.1");
    assert_eq!(files[3]["mode"], "0600");
    assert_eq!(files[3]["key_type"], "ECDSA P-256");
    assert_eq!(files[4]["org"], "ingen");
    let fp = server["certificate"]["sha256_fingerprint"].as_str().expect("fp");
    let (_, theirs) = openssl(
        &["x509", "-in", "orchestrator-tls.crt", "-noout", "-fingerprint", "-sha256"],
        dir.path(),
    );
    assert!(theirs.contains(fp), "{theirs} vs {fp}");
    assert!(v["next_steps"].as_array().is_some_and(|s| !s.is_empty()));
}

#[test]
fn manifests_are_what_kubectl_makes() {
    let (dir, _, _) = gen(
        "ecdsa-p256",
        &["--manifests", "--namespace", "orchestrator", "--backend-namespace", "org-ingen"],
    );
    let d = dir.path();
    assert_eq!(mode(&d.join("orchestrator-tls-cacert.yaml")), 0o644);
    for secret in [
        "orchestrator-tls-server-pair.yaml",
        "orchestrator-client-cert-ingen.yaml",
        "orchestrator-client-cert-biotechnica.yaml",
    ] {
        assert_eq!(mode(&d.join(secret)), 0o600, "{secret} holds a private key");
    }
    let kubectl_works = Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        kubectl_works,
        "kubectl is the judge of the manifests and is not installed: run scripts/test-deps"
    );
    let kubectl_in = |ns: &str, args: &[&str]| crate::support::kubectl::manifest(d, ns, args);
    let kubectl = |args: &[&str]| kubectl_in("orchestrator", args);
    // `same_doc(file, i, ..)`: the i-th YAML document of a manifest file.
    let same_doc = |file: &str, i: usize, theirs: String| {
        let text = fs::read_to_string(d.join(file)).expect("manifest");
        let ours = text.split("\n---\n").nth(i).expect("document");
        let a: serde_json::Value = saphyr_value(ours);
        let b: serde_json::Value = saphyr_value(&theirs);
        assert_eq!(a, b, "{file} #{i}:\n{ours}\nkubectl:\n{theirs}");
    };
    let same = |file: &str, theirs: String| same_doc(file, 0, theirs);
    same(
        "orchestrator-tls-cacert.yaml",
        kubectl(&[
            "create",
            "secret",
            "generic",
            "orchestrator-tls-cacert",
            "--from-file=ca.crt=orchestrator-ca.crt",
        ]),
    );
    same(
        "orchestrator-tls-server-pair.yaml",
        kubectl(&[
            "create",
            "secret",
            "tls",
            "orchestrator-tls-server-pair",
            "--cert=orchestrator-tls.crt",
            "--key=orchestrator-tls.key",
        ]),
    );
    // A backend's file holds what its cluster needs, in its own namespace: the CA, then its pair.
    same_doc(
        "orchestrator-client-cert-ingen.yaml",
        0,
        kubectl_in(
            "org-ingen",
            &[
                "create",
                "secret",
                "generic",
                "orchestrator-tls-cacert",
                "--from-file=ca.crt=orchestrator-ca.crt",
            ],
        ),
    );
    same_doc(
        "orchestrator-client-cert-ingen.yaml",
        1,
        kubectl_in(
            "org-ingen",
            &[
                "create",
                "secret",
                "tls",
                "orchestrator-client-cert",
                "--cert=ingen.crt",
                "--key=ingen.key",
            ],
        ),
    );

    // For charts before orchestrator 8.6.0 / backend 26.0.0, the CA as a ConfigMap.
    Test::in_dir(d)
        .args([
            "certs",
            "gen",
            "--org",
            "tyrell",
            "--manifests",
            "--namespace",
            "orchestrator",
            "--cacert-configmap",
        ])
        .run();
    same(
        "orchestrator-tls-cacert.configmap.yaml",
        kubectl(&[
            "create",
            "configmap",
            "orchestrator-tls-cacert",
            "--from-file=ca.crt=orchestrator-ca.crt",
        ]),
    );
}

/// YAML to JSON data, without the `creationTimestamp: null` that kubectl versions disagree on.
fn saphyr_value(text: &str) -> serde_json::Value {
    use saphyr::{LoadableYamlNode, Yaml};
    fn conv(y: &Yaml) -> serde_json::Value {
        match y {
            Yaml::Mapping(m) => {
                let mut out = serde_json::Map::new();
                for (k, v) in m {
                    let key = k.as_str().map(str::to_string).unwrap_or_else(|| format!("{k:?}"));
                    if key == "creationTimestamp" && v.is_null() {
                        continue;
                    }
                    out.insert(key, conv(v));
                }
                serde_json::Value::Object(out)
            }
            Yaml::Sequence(s) => serde_json::Value::Array(s.iter().map(conv).collect()),
            other => match other.as_str() {
                Some(s) => serde_json::Value::String(s.to_string()),
                None => serde_json::Value::String(format!("{other:?}")),
            },
        }
    }
    let docs = Yaml::load_from_str(text).expect("yaml");
    conv(&docs[0])
}

#[test]
fn values_dir_sets_tls_keeping_comments() {
    let dir = TempDir::new().expect("tempdir");
    let d = dir.path();
    fs::create_dir(d.join("values")).expect("mkdir");
    fs::write(
        d.join("values/orchestrator-values.yaml"),
        crate::support::orchestrator_chart_values(),
    )
    .expect("w");
    let backend =
        crate::support::backend_chart_values().replace("mspID: OwkinPeerMSP", "mspID: ingen");
    fs::write(d.join("values/backend-ingen-values.yaml"), &backend).expect("w");
    // A backend file named otherwise is found by its MSP ID.
    let bio = crate::support::backend_chart_values()
        .replace("mspID: OwkinPeerMSP", "mspID: BiotechnicaMSP");
    fs::write(d.join("values/backend-bio-values.yaml"), &bio).expect("w");
    Test::in_dir(d)
        .args([
            "certs",
            "gen",
            "--out",
            "certs",
            "--host",
            "o.example",
            "--org",
            "ingen",
            "--org",
            "BiotechnicaMSP",
            "--values-dir",
            "values",
        ])
        .run();
    let orch = fs::read_to_string(d.join("values/orchestrator-values.yaml")).expect("read");
    assert!(orch.contains("    ## @param orchestrator.tls.enabled If true, enable TLS for the orchestrator gRPC endpoint\n    ##\n    enabled: true\n"), "comments kept");
    assert!(orch.contains("      clientCACerts:\n        ingen: [orchestrator-tls-cacert]\n        BiotechnicaMSP: [orchestrator-tls-cacert]\n"), "{orch}");
    assert!(orch.contains("    secrets:\n      pair: orchestrator-tls-server-pair\n"));
    assert!(orch.contains("    cacert: orchestrator-tls-cacert\n"));
    for file in ["values/backend-ingen-values.yaml", "values/backend-bio-values.yaml"] {
        let text = fs::read_to_string(d.join(file)).expect("read");
        assert!(
            text.contains("    enabled: true\n    ## @param orchestrator.tls.cacert"),
            "{file}"
        );
        assert!(text.contains("    cacert: orchestrator-tls-cacert\n"), "{file}");
        assert!(
            text.contains(
                "      enabled: true\n      ## @param orchestrator.tls.mtls.clientCertificate"
            ),
            "{file}"
        );
        assert!(text.contains("      clientCertificate: orchestrator-client-cert\n"), "{file}");
    }
    assert_eq!(names(&d.join("certs")).len(), 8);

    // An MSP ID without a backend file: exit 2, nothing written anywhere.
    let before = fs::read_to_string(d.join("values/orchestrator-values.yaml")).expect("read");
    Test::in_dir(d)
        .args(["certs", "gen", "--out", "more", "--org", "tyrell", "--values-dir", "values"])
        .status(2)
        .stderr_contains(
            "no backend values for tyrell in values: expected values/backend-tyrell-values.yaml",
        )
        .run();
    assert!(!d.join("more").exists());
    assert_eq!(
        fs::read_to_string(d.join("values/orchestrator-values.yaml")).expect("read"),
        before
    );

    // A file named for one MSP ID that holds another.
    fs::write(d.join("values/backend-acme-values.yaml"), "orchestrator:\n  mspID: AcmeMSP\n")
        .expect("w");
    Test::in_dir(d)
        .args(["certs", "gen", "--out", "more", "--org", "acme", "--values-dir", "values"])
        .status(2)
        .stderr_contains("values/backend-acme-values.yaml: orchestrator.mspID is AcmeMSP, not acme")
        .run();
    assert!(!d.join("more").exists());
}

#[test]
fn inspect_shows_what_openssl_shows() {
    let (dir, _, _) = gen("rsa-2048", &[]);
    let d = dir.path();
    let v = Test::in_dir(d)
        .args(["certs", "inspect", "orchestrator-tls.crt", "ingen.crt", "-o", "json"])
        .run()
        .json();
    let certs = v["certificates"].as_array().expect("certificates");
    assert_eq!(certs.len(), 2);
    let s = &certs[0];
    assert_eq!(s["file"], "orchestrator-tls.crt");
    assert_eq!(s["index"], 0);
    assert_eq!(s["subject"], "CN=orchestrator.cluster-1.example");
    assert_eq!(s["issuer"], "CN=Orchestrator Root CA");
    assert_eq!(s["key_type"], "RSA");
    assert_eq!(s["key_bits"], 2048);
    assert_eq!(s["ca"], false);
    assert_eq!(s["key_usage"], serde_json::json!(["Digital Signature", "Key Encipherment"]));
    assert_eq!(
        s["extended_key_usage"],
        serde_json::json!(["TLS Web Server Authentication", "TLS Web Client Authentication"])
    );
    assert!(s["days_left"].as_i64().is_some_and(|d| (363..=365).contains(&d)));
    for field in [
        "serial",
        "not_before",
        "not_after",
        "sans",
        "subject_key_id",
        "authority_key_id",
        "sha256_fingerprint",
    ] {
        assert!(!s[field].is_null(), "{field}");
    }
    let (_, text) =
        openssl(&["x509", "-in", "orchestrator-tls.crt", "-noout", "-text", "-serial"], d);
    assert!(text.contains(s["subject_key_id"].as_str().expect("ski")), "{text}");
    let serial = s["serial"].as_str().expect("serial").replace(':', "");
    assert!(text.contains(&format!("serial={serial}")), "{text}");
    assert_eq!(certs[1]["subject"], "O=ingen, CN=api.ingen.example");

    Test::in_dir(d)
        .args(["certs", "inspect", "orchestrator-ca.crt"])
        .stdout_contains("CA                yes")
        .stdout_contains("key usage         Certificate Sign, CRL Sign")
        .run();
    Test::in_dir(d)
        .args(["certs", "inspect", "orchestrator-ca.key"])
        .status(2)
        .stderr_contains("orchestrator-ca.key: no PEM certificate found")
        .stdout("")
        .run();
}

#[test]
fn verify_names_the_reason_and_exits_1() {
    let (dir, _, _) = gen("ecdsa-p256", &[]);
    let d = dir.path();
    let other = TempDir::new().expect("tempdir");
    Test::in_dir(other.path()).args(["certs", "gen", "--org", "ingen"]).run();
    let other_ca = other.path().join("orchestrator-ca.crt");
    let other_ca = other_ca.to_str().expect("utf-8");

    let v = Test::in_dir(d)
        .args([
            "certs",
            "verify",
            "--ca",
            "orchestrator-ca.crt",
            "orchestrator-tls.crt",
            "--host",
            "orchestrator-server.orchestrator.svc.cluster.local",
            "--key",
            "orchestrator-tls.key",
            "-o",
            "json",
        ])
        .run()
        .json();
    assert_eq!(v["certificate"], "orchestrator-tls.crt");
    assert_eq!(v["ca"], "orchestrator-ca.crt");
    assert_eq!(v["ok"], true);
    assert_eq!(v["summary"]["failure"], 0);
    let checks: Vec<(&str, &str)> = v["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| (c["check"].as_str().expect("check"), c["status"].as_str().expect("status")))
        .collect();
    assert_eq!(
        checks,
        [
            ("chain", "ok"),
            ("validity", "ok"),
            ("host", "ok"),
            ("purpose", "ok"),
            ("health-probe", "ok"),
            ("key", "ok")
        ]
    );

    let fails: &[(&[&str], &str, &str)] = &[
        (
            &["--ca", other_ca, "orchestrator-tls.crt"],
            "failure  chain        signed by another CA named \"CN=Orchestrator Root CA\": the signature does not verify with the key of the CA given",
            "hint: pass the CA that signed it with --ca",
        ),
        (
            &["--ca", "orchestrator-ca.crt", "orchestrator-tls.crt", "--host", "evil.example"],
            "failure  host         evil.example is not in the subjectAltName",
            "hint: re-issue the certificate with evil.example",
        ),
        (
            &["--ca", "orchestrator-ca.crt", "ingen.crt"],
            "failure  purpose      extendedKeyUsage lacks serverAuth",
            "hint: a client certificate? check it with --client",
        ),
        (
            &["--ca", "orchestrator-ca.crt", "ingen.crt", "--client", "--key", "biotechnica.key"],
            "failure  key          the private key is not the pair of this certificate's public key",
            "hint: pass the key made with this certificate",
        ),
        (
            &["--ca", "ingen.crt", "biotechnica.crt", "--client"],
            "failure  chain        issued by \"CN=Orchestrator Root CA\", not by the CA given (\"O=ingen, CN=api.ingen.example\")",
            "hint: pass the CA that signed it with --ca",
        ),
    ];
    for (args, line, hint) in fails {
        Test::in_dir(d)
            .args(["certs", "verify"])
            .args(*args)
            .status(1)
            .stdout_contains(line)
            .stdout_contains(hint)
            .stdout_contains("failed: ")
            .run();
    }
    Test::in_dir(d)
        .args(["certs", "verify", "--ca", "orchestrator-ca.crt", "ingen.crt", "--client"])
        .stdout_matches(r"\Acertificate ingen\.crt \(CA orchestrator-ca\.crt\)\n")
        .stdout_contains("passed: 4 ok, 0 warning(s), 0 failure(s), 0 skipped")
        .run();
    // The server certificate is also good for the client side (its health probe under mTLS).
    Test::in_dir(d)
        .args([
            "certs",
            "verify",
            "--ca",
            "orchestrator-ca.crt",
            "orchestrator-tls.crt",
            "--client",
        ])
        .status(0)
        .run();

    // Under 30 days left: valid, with a warning.
    Test::in_dir(d).args(["certs", "gen", "--org", "short", "--days", "10"]).run();
    Test::in_dir(d)
        .args(["certs", "verify", "--ca", "orchestrator-ca.crt", "short.crt", "--client"])
        .status(0)
        .stdout_contains("warning  validity")
        .stdout_contains("hint: renew it soon")
        .run();
    // Bad input is exit 2.
    Test::in_dir(d)
        .args(["certs", "verify", "--ca", "orchestrator-ca.key", "ingen.crt"])
        .status(2)
        .run();
    Test::in_dir(d)
        .args(["certs", "verify", "--ca", "orchestrator-ca.crt", "ingen.crt", "--host", "a..b"])
        .status(2)
        .run();
    Test::in_dir(d)
        .args(["certs", "verify", "--ca", "orchestrator-ca.crt", "missing.crt"])
        .status(2)
        .stderr_contains("cannot read missing.crt")
        .run();
}

#[test]
fn the_server_pair_serves_as_the_health_probes_client_certificate_under_mtls() {
    // The orchestrator chart's probes dial with -tls-client-cert/-tls-client-key = the server
    // pair, and the orchestrator checks that certificate for clientAuth.
    let (dir, _, _) = gen("ecdsa-p256", &[]);
    let d = dir.path();
    let (server, client) = handshake(
        d,
        Some("orchestrator-tls"),
        "orchestrator.cluster-1.example",
        "orchestrator-ca.crt",
    );
    assert!(server.is_ok() && client.is_ok(), "probe with the server pair: {server:?} {client:?}");

    // A serverAuth-only certificate (as substractl made them before) is refused as a client.
    let old = TempDir::new().expect("tempdir");
    let o = old.path();
    fs::copy(d.join("orchestrator-ca.crt"), o.join("orchestrator-ca.crt")).expect("copy");
    fs::copy(d.join("orchestrator-ca.key"), o.join("orchestrator-ca.key")).expect("copy");
    openssl_server_auth_only(o, "orchestrator-tls", "orchestrator.cluster-1.example");
    let (pass, _) = openssl(
        &[
            "verify",
            "-CAfile",
            "orchestrator-ca.crt",
            "-purpose",
            "sslclient",
            "orchestrator-tls.crt",
        ],
        o,
    );
    assert!(!pass, "openssl must refuse a serverAuth-only certificate as a client");
    let (pass, msg) = openssl(
        &[
            "verify",
            "-CAfile",
            "orchestrator-ca.crt",
            "-purpose",
            "sslserver",
            "orchestrator-tls.crt",
        ],
        o,
    );
    assert!(pass, "{msg}");
    let (server, _) = handshake(
        o,
        Some("orchestrator-tls"),
        "orchestrator.cluster-1.example",
        "orchestrator-ca.crt",
    );
    let err = server.expect_err("a serverAuth-only client certificate is refused");
    assert!(err.contains("invalid peer certificate"), "{err}");

    // certs verify says so, and why.
    Test::in_dir(o)
        .args(["certs", "verify", "--ca", "orchestrator-ca.crt", "orchestrator-tls.crt"])
        .status(1)
        .stdout_contains(
            "failure  health-probe extendedKeyUsage lacks clientAuth: under mTLS the \
             orchestrator's health probe cannot present this certificate",
        )
        .stdout_contains(
            "hint: the orchestrator chart's startup and liveness probes run grpc_health_probe \
             with -tls-client-cert/-tls-client-key = this server pair, and with \
             orchestrator.tls.mtls.enabled the orchestrator accepts only client certificates \
             allowed for clientAuth, so the pod never becomes ready: re-issue it with \
             extendedKeyUsage serverAuth and clientAuth (substractl certs gen --force does)",
        )
        .run();
    Test::in_dir(d)
        .args(["certs", "verify", "--ca", "orchestrator-ca.crt", "orchestrator-tls.crt"])
        .status(0)
        .stdout_contains(
            "ok       health-probe extendedKeyUsage serverAuth and clientAuth: usable as the \
             health probe's client certificate under mTLS",
        )
        .run();
}

#[test]
fn verify_says_the_chain_ends_with_its_ca() {
    // A CA with 20 days left signs a certificate for 364 days: valid for 364 days no more.
    let dir = TempDir::new().expect("tempdir");
    let d = dir.path();
    fs::write(
        d.join("ca.cnf"),
        "[ req ]\ndistinguished_name = dn\n[ dn ]\n[ v3_ca ]\nbasicConstraints = critical,CA:TRUE\n\
         subjectKeyIdentifier = hash\nkeyUsage = cRLSign, keyCertSign\n",
    )
    .expect("cnf");
    let (ok, msg) = openssl(
        &[
            "req",
            "-new",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-days",
            "20",
            "-keyout",
            "orchestrator-ca.key",
            "-extensions",
            "v3_ca",
            "-config",
            "ca.cnf",
            "-subj",
            "/CN=Orchestrator Root CA",
            "-out",
            "orchestrator-ca.crt",
        ],
        d,
    );
    assert!(ok, "{msg}");
    let (_, end) = openssl(
        &["x509", "-in", "orchestrator-ca.crt", "-noout", "-enddate", "-dateopt", "iso_8601"],
        d,
    );
    let ca_date = end.trim().trim_start_matches("notAfter=").replace(' ', "T");
    Test::in_dir(d).args(["certs", "gen", "--host", "orchestrator.example", "--days", "364"]).run();
    let stdout = Test::in_dir(d)
        .args(["certs", "verify", "--ca", "orchestrator-ca.crt", "orchestrator-tls.crt"])
        .run()
        .stdout;
    let line = stdout.lines().find(|l| l.contains("validity")).unwrap_or_default();
    assert!(
        line.starts_with("  warning  validity")
            && line.contains(&format!(
                "but its CA \"CN=Orchestrator Root CA\" expires on {ca_date} (19 days left): the \
             chain is only as valid as its shortest link"
            )),
        "{stdout}"
    );
    assert!(stdout.contains("hint: renew the CA before"), "{stdout}");

    // A CA that has expired fails, naming its date.
    let ca_key = rcgen::KeyPair::generate().expect("key");
    let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    ca.distinguished_name.push(rcgen::DnType::CommonName, "Old CA");
    ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca.not_before = time::macros::datetime!(2020-01-01 0:00 UTC);
    ca.not_after = time::macros::datetime!(2021-01-01 0:00 UTC);
    fs::write(d.join("old-ca.crt"), ca.self_signed(&ca_key).expect("ca").pem()).expect("write");
    let leaf_key = rcgen::KeyPair::generate().expect("key");
    let mut leaf =
        rcgen::CertificateParams::new(vec!["orchestrator.example".to_string()]).expect("params");
    leaf.not_before = time::OffsetDateTime::now_utc() - time::Duration::days(1);
    leaf.not_after = time::OffsetDateTime::now_utc() + time::Duration::days(300);
    let issuer = rcgen::Issuer::from_params(&ca, &ca_key);
    fs::write(d.join("leaf.crt"), leaf.signed_by(&leaf_key, &issuer).expect("leaf").pem())
        .expect("write");
    Test::in_dir(d)
        .args(["certs", "verify", "--ca", "old-ca.crt", "leaf.crt"])
        .status(1)
        .stdout_contains(
            "failure  validity     its CA \"CN=Old CA\" expired on 2021-01-01T00:00:00Z: the \
             chain is no longer valid",
        )
        .run();
}

// ---- Real TLS handshakes on 127.0.0.1 with the generated files.

#[test]
fn handshakes_tls_and_mtls_for_every_key_type() {
    for set in every_key_type() {
        let (kt, d) = (set.key_type, set.dir.as_path());
        for host in [
            "orchestrator.cluster-1.example",
            "orchestrator-server.orchestrator.svc.cluster.local",
            "127.0.0.1",
        ] {
            let (server, client) = handshake(d, None, host, "orchestrator-ca.crt");
            assert!(server.is_ok() && client.is_ok(), "{kt} TLS to {host}: {server:?} {client:?}");
        }
        let (server, client) =
            handshake(d, Some("ingen"), "orchestrator.cluster-1.example", "orchestrator-ca.crt");
        assert!(server.is_ok() && client.is_ok(), "{kt} mTLS: {server:?} {client:?}");
    }
}

#[test]
fn handshakes_refuse_a_foreign_client_and_a_wrong_host() {
    let (dir, _, _) = gen("ecdsa-p256", &[]);
    let d = dir.path();
    let (server, client) = handshake(d, None, "wrong.example", "orchestrator-ca.crt");
    let err = client.expect_err("wrong host refused");
    assert!(err.contains("not valid for name \"wrong.example\""), "{err}");
    assert!(server.is_err());

    // A client certificate from another CA (of the same name), copied in.
    let other = TempDir::new().expect("tempdir");
    Test::in_dir(other.path()).args(["certs", "gen", "--org", "mallory"]).run();
    fs::copy(other.path().join("mallory.crt"), d.join("mallory.crt")).expect("copy");
    fs::copy(other.path().join("mallory.key"), d.join("mallory.key")).expect("copy");
    let (server, client) =
        handshake(d, Some("mallory"), "orchestrator.cluster-1.example", "orchestrator-ca.crt");
    let err = server.expect_err("foreign client refused");
    assert!(err.contains("invalid peer certificate: BadSignature"), "{err}");
    assert!(client.is_err(), "the client learns it was refused");

    // A server whose CA the client does not trust.
    fs::copy(other.path().join("orchestrator-ca.crt"), d.join("other-ca.crt")).expect("copy");
    let (_, client) = handshake(d, None, "orchestrator.cluster-1.example", "other-ca.crt");
    let err = client.expect_err("untrusted");
    assert!(err.contains("invalid peer certificate: BadSignature"), "{err}");
}

#[test]
fn help_lists_certs() {
    Test::new().args(["--help"]).stdout_contains("certs").run();
    let help = Test::new().args(["certs", "gen", "--help"]).run().stdout;
    for flag in [
        "--out",
        "--host",
        "--san",
        "--service",
        "--org",
        "--key-type",
        "--days",
        "--ca-days",
        "--force",
        "--manifests",
        "--namespace",
        "--cacert-configmap",
        "--values-dir",
    ] {
        assert!(help.contains(flag), "{flag}");
    }
}

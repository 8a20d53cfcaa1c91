//! `grpc list` and `check orchestrator` against the gRPC test servers of tests/support/grpc.rs
//! (reflection v1 + v1alpha, v1alpha only, none; an imitation of the orchestrator's header
//! checks; plaintext, TLS and mTLS with certificates made with rcgen; and a Python grpcio
//! server, a peer that is not Rust).

use std::path::{Path, PathBuf};
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair};
use serde_json::Value;

use crate::support::grpc::{
    closed_port, python_peer, serve, silent_port, stalled_h2_port, Reflection, Spec, Tls,
};
use crate::support::pki::Ca;
use crate::support::Test;

/// Files in a temporary directory.
struct Files(tempfile::TempDir);

impl Files {
    fn new() -> Files {
        Files(tempfile::tempdir().expect("tempdir"))
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.path().join(name);
        std::fs::write(&path, text).expect("write");
        path
    }
}

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

// ---------------------------------------------------------------------------------------------
// Running the binary

/// A run of substractl with these arguments (exit status 0 unless told).
fn run(args: &[&str]) -> Test {
    Test::new().args(args).timeout(Duration::from_secs(30))
}

const HEALTH_AND_REFLECTION: &str =
    "grpc.health.v1.Health\ngrpc.reflection.v1.ServerReflection\ngrpc.reflection.v1alpha.ServerReflection\n";

fn orchestrator_listing() -> String {
    let mut lines = String::from(HEALTH_AND_REFLECTION);
    for s in substractl::probe::ORCHESTRATOR_SERVICES {
        lines.push_str(s);
        lines.push('\n');
    }
    lines
}

// ---------------------------------------------------------------------------------------------
// grpc list: reflection versions

#[test]
fn lists_services_sorted_one_a_line_like_grpcurl() {
    let addr = serve(Spec::plain(Reflection::Both)).to_string();
    let out = run(&["grpc", "list", "--plaintext", &addr]).run();
    assert_eq!(out.stdout, HEALTH_AND_REFLECTION);
    assert_eq!(out.stderr, "");
    // Through an ingress, plaintext calls are routed by :authority.
    let out =
        run(&["grpc", "list", "--plaintext", &addr, "--authority", "orchestrator.example"]).run();
    assert_eq!(out.stdout, HEALTH_AND_REFLECTION);
}

#[test]
fn falls_back_to_v1alpha_when_v1_is_unimplemented() {
    let addr = serve(Spec::plain(Reflection::V1AlphaOnly)).to_string();
    let out = run(&["grpc", "list", "--plaintext", &addr]).run();
    assert_eq!(out.stdout, "grpc.health.v1.Health\ngrpc.reflection.v1alpha.ServerReflection\n");
    let json = run(&["-o", "json", "grpc", "list", "--plaintext", &addr]).run().json();
    assert_eq!(json["reflection"], "v1alpha");
    assert_eq!(json["address"], addr.as_str());
}

#[test]
fn json_shape_of_a_listing() {
    let addr = serve(Spec::plain(Reflection::Both)).to_string();
    let json = run(&["grpc", "list", "--plaintext", &addr, "-o", "json"]).run().json();
    assert_eq!(
        json,
        serde_json::json!({
            "address": addr,
            "reflection": "v1",
            "services": [
                "grpc.health.v1.Health",
                "grpc.reflection.v1.ServerReflection",
                "grpc.reflection.v1alpha.ServerReflection"
            ]
        })
    );
}

#[test]
fn no_reflection_is_explained() {
    let addr = serve(Spec::plain(Reflection::None)).to_string();
    run(&["grpc", "list", "--plaintext", &addr])
        .status(1)
        .error("has no server reflection", "does not offer reflection")
        .run();
}

#[test]
fn lists_the_methods_of_a_service() {
    let addr = serve(Spec::orchestrator()).to_string();
    let args =
        ["grpc", "list", "--plaintext", &addr, "--mspid", "ingen", "--channel", "our-channel"];
    let mut with_service = args.to_vec();
    with_service.push("orchestrator.OrganizationService");
    let out = run(&with_service).run();
    assert_eq!(
        out.stdout,
        "orchestrator.OrganizationService.GetAllOrganizations\n\
         orchestrator.OrganizationService.PingOrganization\n\
         orchestrator.OrganizationService.RegisterOrganization\n"
    );
    with_service.extend(["-o", "json"]);
    let json = run(&with_service).run().json();
    assert_eq!(json["service"], "orchestrator.OrganizationService");
    assert_eq!(json["methods"].as_array().map(Vec::len), Some(3));

    let mut unknown = args.to_vec();
    unknown.push("orchestrator.NoSuchService");
    run(&unknown)
        .status(1)
        .error("has no service \"orchestrator.NoSuchService\"", "substractl grpc list ADDR")
        .run();
}

// ---------------------------------------------------------------------------------------------
// grpc list: the orchestrator's headers

#[test]
fn without_headers_the_orchestrator_answers_oe0003() {
    let addr = serve(Spec::orchestrator()).to_string();
    run(&["grpc", "list", "--plaintext", &addr])
        .status(1)
        .error("OE0003: missing or invalid header 'mspid'", "pass --mspid ID --channel NAME")
        .run();
}

#[test]
fn with_valid_headers_the_orchestrator_lists_its_services() {
    let addr = serve(Spec::orchestrator()).to_string();
    let out = run(&[
        "grpc",
        "list",
        "--plaintext",
        &addr,
        "--mspid",
        "ingen",
        "--channel",
        "our-channel",
    ])
    .run();
    assert_eq!(out.stdout, orchestrator_listing());
    // The same headers given with -H.
    let out = run(&[
        "grpc",
        "list",
        "--plaintext",
        &addr,
        "-H",
        "mspid: biotechnica",
        "-H",
        "Channel: our-channel",
    ])
    .run();
    assert_eq!(out.stdout, orchestrator_listing());
}

#[test]
fn each_header_refusal_says_what_is_wrong_and_where() {
    let addr = serve(Spec::orchestrator()).to_string();
    let list = |extra: &[&str]| {
        let mut args = vec!["grpc", "list", "--plaintext", addr.as_str()];
        args.extend_from_slice(extra);
        run(&args)
    };
    list(&["--mspid", "ingen"])
        .status(1)
        .error("missing or invalid header 'channel'", "pass --channel NAME")
        .run();
    list(&["--mspid", "tyrell", "--channel", "our-channel"])
        .status(1)
        .error("organization \"tyrell\" is unknown", "under `channels` in the orchestrator values")
        .run();
    list(&["--mspid", "ingen", "--channel", "their-channel"])
        .status(1)
        .error(
            "has not access to channel \"their-channel\"",
            "add ingen to the organizations of channel their-channel",
        )
        .run();
    list(&["--mspid", "mallory", "--channel", "our-channel"])
        .status(1)
        .error("OE0102: invalid MSPID", "client certificate's Subject O must equal")
        .run();
}

// ---------------------------------------------------------------------------------------------
// grpc list: TLS and mTLS

struct TlsWorld {
    files: Files,
    ca: Ca,
    ca_path: PathBuf,
}

fn tls_world() -> TlsWorld {
    let files = Files::new();
    let ca = Ca::new("Orchestrator Root CA");
    let ca_path = files.write("ca.crt", &ca.pem);
    TlsWorld { files, ca, ca_path }
}

impl TlsWorld {
    fn server_tls(&self, names: &[&str], days: i64) -> Tls {
        let (cert, key) = self.ca.leaf(names, None, days);
        Tls { cert, key, client_ca: None }
    }
}

#[test]
fn lists_over_tls_with_the_ca() {
    let w = tls_world();
    let addr = serve(Spec::orchestrator().tls(w.server_tls(&["localhost", "127.0.0.1"], 365)));
    let out = run(&[
        "grpc",
        "list",
        &addr.to_string(),
        "--cacert",
        s(&w.ca_path),
        "--mspid",
        "ingen",
        "--channel",
        "our-channel",
    ])
    .run();
    assert_eq!(out.stdout, orchestrator_listing());
    // Through the DNS name, as an operator would reach the ingress.
    let by_name = format!("localhost:{}", addr.port());
    run(&["grpc", "list", &by_name, "--cacert", s(&w.ca_path)])
        .status(1)
        .error("OE0003: missing or invalid header 'mspid'", "--mspid")
        .run();
}

#[test]
fn unknown_authority_asks_for_cacert() {
    let w = tls_world();
    let addr =
        serve(Spec::plain(Reflection::Both).tls(w.server_tls(&["127.0.0.1"], 365))).to_string();
    run(&["grpc", "list", &addr])
        .status(1)
        .error("is signed by an unknown authority (CN=Orchestrator Root CA)", "pass --cacert")
        .run();
    let other = Ca::new("Some Other CA");
    let other_path = w.files.write("other.crt", &other.pem);
    run(&["grpc", "list", &addr, "--cacert", s(&other_path)])
        .status(1)
        .error("not by the CA in", "signed by another CA than")
        .run();
}

#[test]
fn name_mismatch_lists_the_names_and_authority_fixes_it() {
    let w = tls_world();
    let tls = w.server_tls(&["orchestrator.example", "orchestrator.ns.svc.cluster.local"], 365);
    let addr = serve(Spec::plain(Reflection::Both).tls(tls)).to_string();
    run(&["grpc", "list", &addr, "--cacert", s(&w.ca_path)]).status(1).error(
        "is not valid for \"127.0.0.1\": it holds orchestrator.example, orchestrator.ns.svc.cluster.local",
        "pass --authority with a name the certificate holds (orchestrator.example, orchestrator.ns.svc.cluster.local)",
    ).run();
    let out = run(&[
        "grpc",
        "list",
        &addr,
        "--cacert",
        s(&w.ca_path),
        "--authority",
        "orchestrator.example",
    ])
    .run();
    assert_eq!(out.stdout, HEALTH_AND_REFLECTION);
}

#[test]
fn insecure_skips_verification_and_says_so() {
    let w = tls_world();
    let addr =
        serve(Spec::plain(Reflection::Both).tls(w.server_tls(&["elsewhere"], 365))).to_string();
    let out = run(&["grpc", "list", &addr, "--insecure"]).run();
    assert_eq!(out.stdout, HEALTH_AND_REFLECTION);
    assert!(out.stderr.contains("warning: --insecure"), "{}", out.stderr);
    assert!(out.stderr.contains("not verified"), "{}", out.stderr);
}

#[test]
fn tls_to_a_plaintext_port_says_add_plaintext() {
    let addr = serve(Spec::plain(Reflection::Both)).to_string();
    run(&["grpc", "list", &addr])
        .status(1)
        .error(
            "does not speak TLS: it answered the TLS handshake with plaintext HTTP/2",
            "add --plaintext",
        )
        .run();
}

#[test]
fn plaintext_to_a_tls_port_says_drop_plaintext() {
    let w = tls_world();
    let addr =
        serve(Spec::plain(Reflection::Both).tls(w.server_tls(&["127.0.0.1"], 365))).to_string();
    run(&["grpc", "list", "--plaintext", &addr])
        .status(1)
        .error(
            &format!("{addr} speaks TLS: it answered plaintext HTTP/2 with TLS"),
            "drop --plaintext",
        )
        .run();
    let json = check_json(&["--plaintext", &addr], 1);
    assert_eq!(json["checks"][2]["status"], "failure", "{json:#}");
    assert!(
        json["checks"][2]["hint"].as_str().unwrap_or("").contains("drop --plaintext"),
        "{json:#}"
    );
}

#[test]
fn mtls_requires_and_checks_the_client_certificate() {
    let w = tls_world();
    let mut tls = w.server_tls(&["127.0.0.1"], 365);
    tls.client_ca = Some(w.ca.pem.clone());
    let addr = serve(Spec::orchestrator().tls(tls)).to_string();

    run(&["grpc", "list", &addr, "--cacert", s(&w.ca_path)])
        .status(1)
        .error("requires a client certificate (mutual TLS)", "pass --cert and --key")
        .run();

    let (cert, key) = w.ca.leaf(&["backend.ingen"], Some("ingen"), 365);
    let cert_path = w.files.write("client.crt", &cert);
    let key_path = w.files.write("client.key", &key);
    let out = run(&[
        "grpc",
        "list",
        &addr,
        "--cacert",
        s(&w.ca_path),
        "--cert",
        s(&cert_path),
        "--key",
        s(&key_path),
        "--mspid",
        "ingen",
        "--channel",
        "our-channel",
    ])
    .run();
    assert_eq!(out.stdout, orchestrator_listing());

    let stranger = Ca::new("Stranger CA");
    let (cert, key) = stranger.leaf(&["backend.tyrell"], Some("tyrell"), 365);
    let cert_path = w.files.write("stranger.crt", &cert);
    let key_path = w.files.write("stranger.key", &key);
    run(&[
        "grpc",
        "list",
        &addr,
        "--cacert",
        s(&w.ca_path),
        "--cert",
        s(&cert_path),
        "--key",
        s(&key_path),
    ])
    .status(1)
    .error(
        "the client certificate",
        "must be signed by a CA in orchestrator.tls.mtls.clientCACerts",
    )
    .run();
}

#[test]
fn a_key_that_does_not_match_is_bad_input() {
    let w = tls_world();
    let (cert, _) = w.ca.leaf(&["a"], None, 365);
    let (_, other_key) = w.ca.leaf(&["b"], None, 365);
    let cert_path = w.files.write("a.crt", &cert);
    let key_path = w.files.write("b.key", &other_key);
    run(&["grpc", "list", "127.0.0.1:1", "--cert", s(&cert_path), "--key", s(&key_path)])
        .status(2)
        .stderr_contains("does not belong to the certificate")
        .run();
}

// ---------------------------------------------------------------------------------------------
// grpc list: the network

#[test]
fn refused_connection_names_the_port() {
    let addr = closed_port().to_string();
    run(&["grpc", "list", "--plaintext", &addr])
        .status(1)
        .error("refused the connection", "check the port")
        .run();
}

#[test]
fn dns_failure_is_named() {
    run(&["grpc", "list", "--connect-timeout", "5", "orchestrator.nonexistent.invalid:443"])
        .status(1)
        .error("cannot resolve host \"orchestrator.nonexistent.invalid\"", "check the host name")
        .run();
}

#[test]
fn a_silent_port_times_out_in_the_tls_handshake() {
    let addr = silent_port().to_string();
    run(&["grpc", "list", &addr, "--insecure", "--connect-timeout", "0.3"])
        .status(1)
        .error("did not answer within 0.3 s (TLS handshake)", "never finished TLS")
        .run();
    run(&["grpc", "list", "--plaintext", &addr, "--connect-timeout", "0.3"])
        .status(1)
        .error("did not answer within 0.3 s (HTTP/2 handshake)", "never spoke HTTP/2")
        .run();
    run(&["grpc", "list", "--plaintext", &addr, "--max-time", "0.3"])
        .status(1)
        .error("did not finish within --max-time 0.3 s", "raise --max-time")
        .run();
}

#[test]
fn a_timeout_is_shown_in_seconds_a_user_reads() {
    let addr = silent_port().to_string();
    run(&["grpc", "list", "--plaintext", &addr, "--connect-timeout", "0.2718"])
        .status(1)
        .error("did not answer within 0.3 s (HTTP/2 handshake)", "never spoke HTTP/2")
        .stderr_lacks("0.2718")
        .run();
}

#[test]
fn a_header_without_a_colon_is_refused_without_showing_its_value() {
    const TOKEN: &str = "Zq7Kp2Lm9XwvutsrR4Tn8Wb3Vc6Yd1Hf5Jg0QsNyBe";
    for header in [format!("Authorization Bearer {TOKEN}"), TOKEN.to_string()] {
        run(&["grpc", "list", "127.0.0.1:1", "--plaintext", "-H", &header])
            .status(2)
            .stderr_contains("(value hidden) is not 'name: value'")
            .never_shows(&TOKEN[..7])
            .run();
    }
    run(&[
        "grpc",
        "list",
        "127.0.0.1:1",
        "--plaintext",
        "-H",
        &format!("Authorization Bearer {TOKEN}"),
    ])
    .status(2)
    .stderr_contains("header \"Authorization…\" (value hidden)")
    .run();
}

#[test]
fn check_stops_at_max_time_and_marks_what_did_not_run() {
    let addr = silent_port().to_string();
    let json = check_json(&["--plaintext", &addr, "--max-time", "0.5"], 1);
    assert_eq!(
        marks(&json),
        pairs(&[
            ("tcp/connect", "ok"),
            ("tls/handshake", "skipped"),
            ("time/max-time", "failure"),
            ("health/check", "skipped"),
            ("reflection/list", "skipped"),
            ("services/orchestrator", "skipped"),
            ("headers/accepted", "skipped"),
        ])
    );
}

#[test]
fn bad_usage_exits_2() {
    for args in [
        vec!["grpc", "list", "https://orchestrator.example.com"],
        vec!["grpc", "list", "host:99999"],
        vec!["grpc", "list", "host:1", "-H", "no-colon"],
        vec!["grpc", "list", "host:1", "--cert", "c.pem"],
        vec!["grpc", "list", "host:1", "--plaintext", "--cacert", "ca.crt"],
        vec!["grpc", "list", "host:1", "--connect-timeout", "0"],
        vec!["grpc", "list", "host:1", "--cacert", "/nonexistent/ca.crt"],
    ] {
        run(&args).status(2).run();
    }
}

// ---------------------------------------------------------------------------------------------
// check orchestrator

/// `check orchestrator -o json` with these arguments, which must exit with `status`.
fn check_json(args: &[&str], status: i32) -> Value {
    let mut all = vec!["check", "orchestrator", "-o", "json"];
    all.extend_from_slice(args);
    run(&all).status(status).run().json()
}

fn marks(json: &Value) -> Vec<(String, String)> {
    json["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| {
            (
                format!(
                    "{}/{}",
                    c["group"].as_str().unwrap_or(""),
                    c["check"].as_str().unwrap_or("")
                ),
                c["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn check_passes_over_mtls_with_headers() {
    let w = tls_world();
    let mut tls = w.server_tls(&["localhost", "127.0.0.1"], 365);
    tls.client_ca = Some(w.ca.pem.clone());
    let addr = serve(Spec::orchestrator().tls(tls)).to_string();
    let (cert, key) = w.ca.leaf(&["backend.ingen"], Some("ingen"), 365);
    let cert_path = w.files.write("client.crt", &cert);
    let key_path = w.files.write("client.key", &key);
    let args = [
        addr.as_str(),
        "--cacert",
        s(&w.ca_path),
        "--cert",
        s(&cert_path),
        "--key",
        s(&key_path),
        "--mspid",
        "ingen",
        "--channel",
        "our-channel",
    ];
    let json = check_json(&args, 0);
    assert_eq!(
        marks(&json),
        pairs(&[
            ("tcp/connect", "ok"),
            ("tls/handshake", "ok"),
            ("tls/expiry", "ok"),
            ("tls/names", "ok"),
            ("tls/health-probe", "ok"),
            ("health/check", "ok"),
            ("reflection/list", "ok"),
            ("services/orchestrator", "ok"),
            ("headers/accepted", "ok"),
        ])
    );
    assert_eq!(json["ok"], true);
    assert_eq!(json["address"], addr.as_str());
    assert_eq!(
        json["summary"],
        serde_json::json!({"ok": 9, "warning": 0, "failure": 0, "skipped": 0})
    );
    assert!(json["checks"][1]["detail"].as_str().unwrap_or("").contains("client certificate sent"));

    let mut table_args = vec!["check", "orchestrator"];
    table_args.extend_from_slice(&args);
    let out = run(&table_args).run();
    assert!(out.stdout.contains("  ok       connect"), "{}", out.stdout);
    assert!(
        out.stdout.ends_with("passed: 9 ok, 0 warning(s), 0 failure(s), 0 skipped\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn check_without_mspid_counts_oe0003_as_reachable_and_says_what_it_skipped() {
    let addr = serve(Spec::orchestrator()).to_string();
    let out = run(&["check", "orchestrator", "--plaintext", &addr]).run();
    assert!(out.stdout.contains("OE0003: missing or invalid header 'mspid'"), "{}", out.stdout);
    assert!(
        out.stdout.contains("skipped  orchestrator needs --mspid and --channel"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("skipped  accepted     needs --mspid and --channel"),
        "{}",
        out.stdout
    );
    let json = check_json(&["--plaintext", &addr], 0);
    assert_eq!(
        marks(&json),
        pairs(&[
            ("tcp/connect", "ok"),
            ("tls/handshake", "skipped"),
            ("health/check", "ok"),
            ("reflection/list", "ok"),
            ("services/orchestrator", "skipped"),
            ("headers/accepted", "skipped"),
        ])
    );
}

#[test]
fn check_explains_refused_headers_and_exits_1() {
    let addr = serve(Spec::orchestrator()).to_string();
    let json = check_json(&["--plaintext", &addr, "--mspid", "ingen", "--channel", "other"], 1);
    let headers = &json["checks"][5];
    assert_eq!(headers["group"], "headers");
    assert_eq!(headers["status"], "failure");
    assert!(headers["hint"]
        .as_str()
        .unwrap_or("")
        .contains("add ingen to the organizations of channel other"));
    assert_eq!(json["ok"], false);
}

#[test]
fn check_warns_about_a_certificate_that_expires_soon() {
    let w = tls_world();
    let addr = serve(Spec::orchestrator().tls(w.server_tls(&["127.0.0.1"], 10))).to_string();
    let json = check_json(
        &[&addr, "--cacert", s(&w.ca_path), "--mspid", "ingen", "--channel", "our-channel"],
        0,
    );
    let expiry = &json["checks"][2];
    assert_eq!(expiry["check"], "expiry");
    assert_eq!(expiry["status"], "warning");
    assert!(expiry["detail"].as_str().unwrap_or("").starts_with("expires in"), "{expiry}");
}

#[test]
fn check_of_a_server_that_is_not_an_orchestrator() {
    let mut spec = Spec::plain(Reflection::V1AlphaOnly);
    spec.serving = false;
    let addr = serve(spec).to_string();
    let out = run(&["check", "orchestrator", "--plaintext", &addr]).status(1).run();
    assert!(
        out.stdout.contains("failure  check        grpc.health.v1.Health/Check: NOT_SERVING"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("this server is not an orchestrator"), "{}", out.stdout);
}

#[test]
fn check_stops_at_a_failed_handshake_but_shows_the_certificate() {
    let w = tls_world();
    let addr =
        serve(Spec::orchestrator().tls(w.server_tls(&["orchestrator.example"], 365))).to_string();
    let json = check_json(&[&addr, "--cacert", s(&w.ca_path)], 1);
    assert_eq!(
        marks(&json),
        pairs(&[
            ("tcp/connect", "ok"),
            ("tls/handshake", "failure"),
            ("tls/expiry", "ok"),
            ("tls/names", "failure"),
            ("health/check", "skipped"),
            ("reflection/list", "skipped"),
            ("services/orchestrator", "skipped"),
            ("headers/accepted", "skipped"),
        ])
    );
    assert!(json["checks"][1]["hint"].as_str().unwrap_or("").contains("--authority"));
}

#[test]
fn check_of_a_closed_port() {
    let addr = closed_port().to_string();
    let json = check_json(&["--plaintext", &addr], 1);
    assert_eq!(json["checks"][0]["status"], "failure");
    assert!(json["checks"][0]["hint"].as_str().unwrap_or("").contains("check the port"));
    assert_eq!(json["summary"]["skipped"], 5);
}

#[test]
fn help_shows_grpc_and_check() {
    let out = run(&["--help"]).run();
    assert!(out.stdout.contains("grpc "), "{}", out.stdout);
    assert!(out.stdout.contains("check "), "{}", out.stdout);
    let out = run(&["grpc", "list", "--help"]).run();
    for flag in [
        "--plaintext",
        "--cacert",
        "--authority",
        "--insecure",
        "--mspid",
        "--channel",
        "--max-time",
        "--rpc-timeout",
    ] {
        assert!(out.stdout.contains(flag), "{flag}: {}", out.stdout);
    }
    assert!(out.stdout.contains("TCP, TLS and the HTTP/2 handshake"), "{}", out.stdout);
}

// ---------------------------------------------------------------------------------------------
// A peer that is not Rust: Python grpcio with grpcio-reflection (v1alpha only)

const PYTHON_LISTING: &str = "grpc.health.v1.Health\ngrpc.reflection.v1alpha.ServerReflection\n";

#[test]
fn python_peer_over_plaintext() {
    let Some(peer) = python_peer(&[]) else { return };
    let out = run(&["grpc", "list", "--plaintext", &peer.addr]).run();
    assert_eq!(out.stdout, PYTHON_LISTING);
    let json = run(&["grpc", "list", "--plaintext", &peer.addr, "-o", "json"]).run().json();
    assert_eq!(json["reflection"], "v1alpha");
    let out = run(&["grpc", "list", "--plaintext", &peer.addr, "grpc.health.v1.Health"]).run();
    let methods: Vec<&str> = out.stdout.lines().collect();
    assert!(methods.contains(&"grpc.health.v1.Health.Check"), "{}", out.stdout);
    assert!(methods.contains(&"grpc.health.v1.Health.Watch"), "{}", out.stdout);
    assert!(methods.windows(2).all(|w| w[0] < w[1]), "sorted: {}", out.stdout);
    run(&["grpc", "list", "--plaintext", &peer.addr, "grpc.health.v1.Nope"])
        .status(1)
        .error("has no service \"grpc.health.v1.Nope\"", "substractl grpc list ADDR")
        .run();
    run(&["grpc", "list", &peer.addr])
        .status(1)
        .error("does not speak TLS", "add --plaintext")
        .run();
}

#[test]
fn python_peer_over_tls_and_mtls() {
    let w = tls_world();
    let (cert, key) = w.ca.leaf(&["localhost", "127.0.0.1"], None, 365);
    let cert_path = w.files.write("server.crt", &cert);
    let key_path = w.files.write("server.key", &key);
    let Some(peer) = python_peer(&["--cert", s(&cert_path), "--key", s(&key_path)]) else { return };
    let out = run(&["grpc", "list", &peer.addr, "--cacert", s(&w.ca_path)]).run();
    assert_eq!(out.stdout, PYTHON_LISTING);
    run(&["grpc", "list", &peer.addr])
        .status(1)
        .error("signed by an unknown authority", "pass --cacert")
        .run();
    run(&["grpc", "list", "--plaintext", &peer.addr])
        .status(1)
        .error("speaks TLS", "drop --plaintext")
        .run();
    drop(peer);

    let ca_path = s(&w.ca_path).to_string();
    let args = ["--cert", s(&cert_path), "--key", s(&key_path), "--client-ca", &ca_path];
    let Some(peer) = python_peer(&args) else { return };
    run(&["grpc", "list", &peer.addr, "--cacert", s(&w.ca_path)])
        .status(1)
        .error("requires a client certificate", "pass --cert and --key")
        .run();
    let (cert, key) = w.ca.leaf(&["backend.ingen"], Some("ingen"), 365);
    let client_cert = w.files.write("client.crt", &cert);
    let client_key = w.files.write("client.key", &key);
    let out = run(&[
        "grpc",
        "list",
        &peer.addr,
        "--cacert",
        s(&w.ca_path),
        "--cert",
        s(&client_cert),
        "--key",
        s(&client_key),
    ])
    .run();
    assert_eq!(out.stdout, PYTHON_LISTING);
}

#[test]
fn certificates_from_certs_gen_serve_tls_and_mtls_end_to_end() {
    // The files an operator makes with `substractl certs gen`, used as the orchestrator and a
    // backend would use them.
    let files = Files::new();
    let dir = files.0.path();
    run(&["certs", "gen", "--out", s(dir)])
        .args(["--host", "localhost", "--san", "127.0.0.1", "--org", "ingen=api.ingen.example"])
        .run();
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("generated file");
    let ca = read("orchestrator-ca.crt");
    let tls = Tls {
        cert: read("orchestrator-tls.crt"),
        key: read("orchestrator-tls.key"),
        client_ca: Some(ca.clone()),
    };
    let addr = serve(Spec::orchestrator().tls(tls)).to_string();
    let path = |name: &str| dir.join(name).to_str().expect("utf-8 path").to_string();
    let (ca_path, cert, key) = (path("orchestrator-ca.crt"), path("ingen.crt"), path("ingen.key"));

    // Without the client certificate the server refuses; with it, every check passes.
    run(&["grpc", "list", &addr, "--cacert", &ca_path])
        .status(1)
        .error("requires a client certificate (mutual TLS)", "pass --cert and --key")
        .run();
    let out = run(&[
        "grpc",
        "list",
        &addr,
        "--cacert",
        &ca_path,
        "--cert",
        &cert,
        "--key",
        &key,
        "--mspid",
        "ingen",
        "--channel",
        "our-channel",
    ])
    .run();
    assert_eq!(out.stdout, orchestrator_listing());
    let by_name = format!("localhost:{}", addr.rsplit(':').next().expect("port"));
    let json = check_json(
        &[
            &by_name,
            "--cacert",
            &ca_path,
            "--cert",
            &cert,
            "--key",
            &key,
            "--mspid",
            "ingen",
            "--channel",
            "our-channel",
        ],
        0,
    );
    assert!(marks(&json).iter().all(|(_, status)| status == "ok"), "{json}");
}

// ---------------------------------------------------------------------------------------------
// The chart's health probe under mTLS: the server pair is also a client certificate

/// `certs gen` for localhost and 127.0.0.1 in a new directory: (files, CA, server cert, key).
fn gen_server_pair() -> (Files, String, String, String) {
    let files = Files::new();
    let dir = files.0.path();
    run(&["certs", "gen", "--out", s(dir), "--host", "localhost", "--san", "127.0.0.1"]).run();
    let path = |name: &str| dir.join(name).to_str().expect("utf-8 path").to_string();
    let (ca, cert, key) =
        (path("orchestrator-ca.crt"), path("orchestrator-tls.crt"), path("orchestrator-tls.key"));
    (files, ca, cert, key)
}

#[test]
fn the_server_pair_from_certs_gen_passes_mtls_as_the_health_probe_presents_it() {
    // grpc_health_probe -tls-client-cert/-tls-client-key = the server pair, against a server
    // that requires client certificates from its own CA.
    let (_files, ca, cert, key) = gen_server_pair();
    let peer = python_peer(&["--cert", &cert, "--key", &key, "--client-ca", &ca]).expect("peer");
    let out =
        run(&["grpc", "list", &peer.addr, "--cacert", &ca, "--cert", &cert, "--key", &key]).run();
    assert_eq!(out.stdout, PYTHON_LISTING);
    drop(peer);

    let ca_pem = std::fs::read_to_string(&ca).expect("ca");
    let tls = Tls {
        cert: std::fs::read_to_string(&cert).expect("cert"),
        key: std::fs::read_to_string(&key).expect("key"),
        client_ca: Some(ca_pem),
    };
    let addr = serve(Spec::orchestrator().tls(tls)).to_string();
    let json = check_json(&[&addr, "--cacert", &ca, "--cert", &cert, "--key", &key], 0);
    let probe =
        json["checks"].as_array().expect("checks").iter().find(|c| c["check"] == "health-probe");
    let probe = probe.expect("a health-probe check under mTLS");
    assert_eq!(probe["group"], "tls");
    assert_eq!(probe["status"], "ok", "{probe}");
}

#[test]
fn a_server_auth_only_certificate_cannot_be_the_health_probes_client_certificate() {
    let w = tls_world();
    let (cert, key) =
        w.ca.leaf_with_eku(&["localhost", "127.0.0.1"], &[ExtendedKeyUsagePurpose::ServerAuth]);
    let cert_path = w.files.write("server.crt", &cert);
    let key_path = w.files.write("server.key", &key);
    let (cert_arg, key_arg, ca_arg) = (s(&cert_path), s(&key_path), s(&w.ca_path));

    // grpcio (BoringSSL) refuses it as a client certificate.
    let peer =
        python_peer(&["--cert", cert_arg, "--key", key_arg, "--client-ca", ca_arg]).expect("peer");
    run(&["grpc", "list", &peer.addr, "--cacert", ca_arg, "--cert", cert_arg, "--key", key_arg])
        .status(1)
        .error("the client certificate", "clientAuth")
        .run();
    drop(peer);

    // So does rustls (WebPkiClientVerifier), as Go's crypto/tls does in the orchestrator.
    let tls = Tls { cert: cert.clone(), key: key.clone(), client_ca: Some(w.ca.pem.clone()) };
    let addr = serve(Spec::orchestrator().tls(tls)).to_string();
    run(&["grpc", "list", &addr, "--cacert", ca_arg, "--cert", cert_arg, "--key", key_arg])
        .status(1)
        .error("the client certificate", "clientAuth")
        .run();

    // check orchestrator, with a backend's client certificate, sees the server's certificate,
    // sees that the server asks for mTLS, and says the pod's own probe will fail.
    let (client_cert, client_key) = w.ca.leaf(&["backend.ingen"], Some("ingen"), 365);
    let client_cert = w.files.write("client.crt", &client_cert);
    let client_key = w.files.write("client.key", &client_key);
    let json = check_json(
        &[&addr, "--cacert", ca_arg, "--cert", s(&client_cert), "--key", s(&client_key)],
        1,
    );
    let probe =
        json["checks"].as_array().expect("checks").iter().find(|c| c["check"] == "health-probe");
    let probe = probe.expect("a health-probe check under mTLS");
    assert_eq!(probe["group"], "tls");
    assert_eq!(probe["status"], "failure", "{probe}");
    assert_eq!(
        probe["detail"],
        "extendedKeyUsage lacks clientAuth: under mTLS the orchestrator's health probe cannot \
         present this certificate"
    );
    assert!(
        probe["hint"].as_str().unwrap_or("").contains("grpc_health_probe with -tls-client-cert"),
        "{probe}"
    );

    // Without mTLS the probe presents no certificate: nothing to report.
    let plain_tls = Tls { cert, key, client_ca: None };
    let addr = serve(Spec::orchestrator().tls(plain_tls)).to_string();
    let json = check_json(&[&addr, "--cacert", ca_arg], 0);
    assert!(
        !json["checks"].as_array().expect("checks").iter().any(|c| c["check"] == "health-probe"),
        "{json:#}"
    );
}

// ---------------------------------------------------------------------------------------------
// Certificates that do not fit, explained

#[test]
fn a_server_signed_by_another_ca_of_the_same_name_is_explained() {
    let w = tls_world();
    let addr =
        serve(Spec::plain(Reflection::Both).tls(w.server_tls(&["127.0.0.1"], 365))).to_string();
    // A CA made again: same name, another key.
    let twin = Ca::new("Orchestrator Root CA");
    let twin_path = w.files.write("twin.crt", &twin.pem);
    let twin_arg = s(&twin_path);
    run(&["grpc", "list", &addr, "--cacert", twin_arg])
        .status(1)
        .error(
            &format!(
            "the certificate of {addr} was signed by another CA than the one in {twin_arg}, with \
             the same name (CN=Orchestrator Root CA)"
        ),
            &format!(
            "{twin_arg} holds a CA of that name with another key (a CA made again keeps its name): \
             pass the CA that signed the server's certificate with --cacert"
        ),
        )
        .run();
}

#[test]
fn a_server_presenting_a_ca_certificate_is_explained() {
    let files = Files::new();
    let key = KeyPair::generate().expect("key");
    let mut params = CertificateParams::new(vec!["127.0.0.1".to_string()]).expect("params");
    params.distinguished_name.push(DnType::CommonName, "orchestrator");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).expect("cert").pem();
    let path = files.write("self.crt", &cert);
    let tls = Tls { cert, key: key.serialize_pem(), client_ca: None };
    let addr = serve(Spec::plain(Reflection::Both).tls(tls)).to_string();
    run(&["grpc", "list", &addr, "--cacert", s(&path)]).status(1).error(
        &format!(
            "the certificate of {addr} (CN=orchestrator) is a CA certificate (basicConstraints \
             CA:TRUE), not a server certificate"
        ),
        "the server presents a CA certificate as its own: issue a server certificate signed by \
         that CA (substractl certs gen --host NAME) and serve that instead",
    ).run();
}

// ---------------------------------------------------------------------------------------------
// Deadlines: a server that finishes the HTTP/2 handshake and then says nothing

#[test]
fn every_rpc_has_a_deadline_plaintext_and_tls() {
    let plain = stalled_h2_port(None).to_string();
    run(&["grpc", "list", "--plaintext", &plain, "--rpc-timeout", "0.5"]).status(1).error(
        &format!(
            "{plain} did not answer grpc.reflection.v1.ServerReflection within 0.5 s (--rpc-timeout)"
        ),
        "the server finished the HTTP/2 handshake but did not answer the call",
    ).run();
    let json = check_json(&["--plaintext", &plain, "--rpc-timeout", "0.5"], 1);
    assert_eq!(
        marks(&json),
        pairs(&[
            ("tcp/connect", "ok"),
            ("tls/handshake", "skipped"),
            ("health/check", "failure"),
            ("reflection/list", "skipped"),
            ("services/orchestrator", "skipped"),
            ("headers/accepted", "skipped"),
        ])
    );
    assert_eq!(
        json["checks"][2]["detail"],
        format!("{plain} did not answer grpc.health.v1.Health/Check within 0.5 s (--rpc-timeout)")
    );

    let w = tls_world();
    let tls = stalled_h2_port(Some(w.server_tls(&["127.0.0.1"], 365))).to_string();
    run(&["grpc", "list", &tls, "--cacert", s(&w.ca_path), "--rpc-timeout", "0.5"])
        .status(1)
        .error(
            &format!(
            "{tls} did not answer grpc.reflection.v1.ServerReflection within 0.5 s (--rpc-timeout)"
        ),
            "raise --rpc-timeout",
        )
        .run();
    let json = check_json(&[&tls, "--cacert", s(&w.ca_path), "--rpc-timeout", "0.5"], 1);
    assert_eq!(json["checks"][4]["group"], "health", "{json:#}");
    assert_eq!(json["checks"][4]["status"], "failure", "{json:#}");

    run(&["grpc", "list", "host:1", "--rpc-timeout", "0"]).status(2).run();
}

#[test]
fn tls_files_that_are_not_regular_files_are_refused_at_once() {
    // /dev/zero never ends and a FIFO without a writer never answers: both were read whole (or
    // forever) before any deadline applied.
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("ca.pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    for (flag, path, kind) in [
        ("--cacert", "/dev/zero", "a character device"),
        ("--cacert", s(&fifo), "a named pipe (FIFO)"),
        ("--cert", "/dev/zero", "a character device"),
    ] {
        let mut args = vec!["grpc", "list", "127.0.0.1:1", flag, path];
        if flag == "--cert" {
            args.extend(["--key", "/dev/zero"]);
        }
        run(&args)
            .timeout(Duration::from_secs(10))
            .status(2)
            .stderr_contains(&format!("{path} is not a regular file (it is {kind})"))
            .run();
    }
}

#[test]
fn a_server_echoing_the_headers_never_shows_a_credential() {
    // The server refuses every call with the metadata it received in its message: a token
    // given with -H must not reach the terminal or the JSON through that echo.
    let Some(peer) = python_peer(&["--echo-metadata"]) else { return };
    let token = "TOPSECRETTOKEN123abcdef";
    for format in ["table", "json"] {
        run(&[
            "grpc",
            "list",
            &peer.addr,
            "--plaintext",
            "-H",
            &format!("authorization: Bearer {token}"),
            "-H",
            "x-api-key: k3y-9f8e7d6c5b4a",
            "-o",
            format,
        ])
        .status(1)
        .stderr_contains("got: ")
        .never_shows(token)
        .never_shows("k3y-9f8e7d6c5b4a")
        .never_shows(&token[..14])
        .run();
    }
}

#[test]
fn a_reflection_answer_of_80000_names_is_read_up_to_the_first_1000() {
    use crate::support::hostile_text::{reflection_saying, Reflected};
    // 3.7 MB of names: reading all of them for the run's credentials took minutes. The first
    // 1000 names (as sent) are read and shown, and the rest counted. The builder's deadline
    // only keeps a run that never ends from holding the suite.
    let addr = reflection_saying(|_: &str| {
        Reflected::Services(
            (0..80_000)
                .map(|i| format!("orchestrator.Service{i:05}.with.some.words.here"))
                .collect(),
        )
    })
    .to_string();
    let header = "authorization: Bearer Zq7Kp2LXm9XabcdefGHIJ";
    let warning = "substractl: warning: 79000 of the 80000 services 127.0.0.1:";
    let out = run(&["grpc", "list", "--plaintext", &addr, "-H", header, "--max-time", "5"])
        .timeout(Duration::from_secs(120))
        .stderr_contains(warning)
        .stderr_contains(
            "listed were not shown: substractl reads the first 1000 names a server lists",
        )
        .run();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 1000, "{}", &out.stdout[..200]);
    assert_eq!(lines.first(), Some(&"orchestrator.Service00000.with.some.words.here"));
    assert_eq!(lines.last(), Some(&"orchestrator.Service00999.with.some.words.here"));
    let out = run(&["grpc", "list", "--plaintext", &addr, "-H", header, "-o", "json"])
        .timeout(Duration::from_secs(120))
        .stderr_contains(warning)
        .run();
    let json: Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(json["not_shown"], 79_000);
    assert_eq!(json["services"].as_array().map(Vec::len), Some(1000));
    run(&["check", "orchestrator", "--plaintext", &addr, "-H", header, "--max-time", "5"])
        .timeout(Duration::from_secs(120))
        .status(1)
        .stdout_contains(
            "80000 services listed (grpc.reflection.v1.ServerReflection); 79000 of them were not \
             read: substractl reads the first 1000 names a server lists",
        )
        .stdout_contains(
            "none of the 13 orchestrator.* services is there among the first 1000 names listed",
        )
        .run();
}

// Finding (a later pass): a host name lookup that the system's resolver never answers held the
// run until the resolver gave up (30 s below), long after --max-time had reported it.
#[test]
fn a_lookup_the_resolver_never_answers_does_not_outlive_the_deadline() {
    assert!(crate::support::is_root(), "a resolver of its own needs a mount namespace");
    // A name server that reads nothing and never answers, and a resolv.conf that waits 30 s
    // for it; substractl sees them through a mount namespace of its own.
    let silent = std::net::UdpSocket::bind("127.0.0.9:53").expect("bind a name server");
    let files = Files::new();
    let conf = files.write("resolv.conf", "nameserver 127.0.0.9\noptions timeout:30 attempts:1\n");
    let namespace = format!(
        "exec unshare -m sh -c 'mount --bind {} /etc/resolv.conf && exec \"$0\" \"$@\"' \"$0\" \"$@\"",
        s(&conf)
    );
    Test::new()
        .wrapper(&namespace)
        .args([
            "grpc",
            "list",
            "orchestrator.example:443",
            "--connect-timeout",
            "1",
            "--max-time",
            "1",
        ])
        .status(1)
        .stderr_contains("did not answer within 1 s")
        .timeout(Duration::from_secs(15))
        .run();
    Test::new()
        .wrapper(&namespace)
        .args([
            "check",
            "orchestrator",
            "orchestrator.example:443",
            "--connect-timeout",
            "1",
            "--rpc-timeout",
            "1",
        ])
        .status(1)
        .stdout_contains("did not answer within 1 s")
        .timeout(Duration::from_secs(15))
        .run();
    Test::new()
        .wrapper(&namespace)
        .file("backend-ingen-values.yaml", "orchestrator:\n  mspID: ingen\naddAccountOperator:\n  outgoingOrganizations:\n    - name: ingen\n      secret: S3cretIngenToIngen0123456789abcdefghij\n")
        .args(["check", "outgoing", "--org", "ingen", "--timeout", "1", "--address", "ingen=http://api.ingen.example:80"])
        .status(1)
        .stdout_contains("timeout after 1s")
        .timeout(Duration::from_secs(15))
        .run();
    drop(silent);
}

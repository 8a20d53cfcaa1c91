//! `grpc list` and `check orchestrator` against servers run in this process on 127.0.0.1:0:
//! reflection v1 + v1alpha, v1alpha only, none; an imitation of the orchestrator's header
//! checks; plaintext, TLS and mTLS with certificates made here with rcgen; and a Python grpcio
//! server (tests/peers), a peer that is not Rust.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use prost::Message as _;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use serde_json::Value;
use tokio::runtime::Runtime;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Certificate, Identity, Server, ServerTlsConfig};
use tonic::{Request, Status};

use crate::support::substractl;

pub(crate) fn runtime() -> &'static Runtime {
    static RT: OnceLock<Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("test runtime")
    })
}

// ---------------------------------------------------------------------------------------------
// Certificates

struct Ca {
    key: KeyPair,
    params: CertificateParams,
    pem: String,
}

impl Ca {
    fn new(cn: &str) -> Ca {
        let key = KeyPair::generate().expect("key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
        params.distinguished_name.push(DnType::CommonName, cn);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let pem = params.self_signed(&key).expect("ca").pem();
        Ca { key, params, pem }
    }

    /// A leaf with these names (DNS or IP), valid for `days`; `org` sets Subject O.
    fn leaf(&self, names: &[&str], org: Option<&str>, days: i64) -> (String, String) {
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
    fn leaf_with_eku(&self, names: &[&str], ekus: &[ExtendedKeyUsagePurpose]) -> (String, String) {
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
// Servers

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reflection {
    Both,
    V1AlphaOnly,
    None,
}

pub(crate) struct Tls {
    pub(crate) cert: String,
    pub(crate) key: String,
    pub(crate) client_ca: Option<String>,
}

pub(crate) struct Spec {
    reflection: Reflection,
    orchestrator: bool,
    tls: Option<Tls>,
    serving: bool,
}

impl Spec {
    fn plain(reflection: Reflection) -> Spec {
        Spec { reflection, orchestrator: false, tls: None, serving: true }
    }

    pub(crate) fn orchestrator() -> Spec {
        Spec { reflection: Reflection::Both, orchestrator: true, tls: None, serving: true }
    }

    pub(crate) fn tls(mut self, tls: Tls) -> Spec {
        self.tls = Some(tls);
        self
    }
}

const ORG_SERVICE_METHODS: &[&str] =
    &["GetAllOrganizations", "PingOrganization", "RegisterOrganization"];

/// The orchestrator's services as a descriptor set, so that reflection lists them.
fn orchestrator_descriptors() -> Vec<u8> {
    use prost_types::{
        DescriptorProto, FileDescriptorProto, FileDescriptorSet, MethodDescriptorProto,
        ServiceDescriptorProto,
    };
    let method = |name: &str| MethodDescriptorProto {
        name: Some(name.to_string()),
        input_type: Some(".orchestrator.Empty".into()),
        output_type: Some(".orchestrator.Empty".into()),
        ..Default::default()
    };
    let service = substractl::probe::ORCHESTRATOR_SERVICES
        .iter()
        .map(|full| {
            let name = full.trim_start_matches("orchestrator.");
            let methods: Vec<_> = if name == "OrganizationService" {
                ORG_SERVICE_METHODS.iter().rev().map(|m| method(m)).collect()
            } else {
                vec![method("Ping")]
            };
            ServiceDescriptorProto {
                name: Some(name.into()),
                method: methods,
                ..Default::default()
            }
        })
        .collect();
    let file = FileDescriptorProto {
        name: Some("orchestrator.proto".into()),
        package: Some("orchestrator".into()),
        message_type: vec![DescriptorProto { name: Some("Empty".into()), ..Default::default() }],
        service,
        syntax: Some("proto3".into()),
        ..Default::default()
    };
    FileDescriptorSet { file: vec![file] }.encode_to_vec()
}

/// The orchestrator's stream interceptors, as orchestrator 8.8.0 words their refusals.
#[allow(clippy::result_large_err)]
fn orchestrator_headers(request: Request<()>) -> Result<Request<()>, Status> {
    let md = request.metadata();
    let one = |name: &str| {
        let values: Vec<_> = md.get_all(name).iter().collect();
        match values.as_slice() {
            [v] => v.to_str().ok().filter(|v| !v.is_empty()).map(str::to_string),
            _ => None,
        }
    };
    let Some(mspid) = one("mspid") else {
        return Err(Status::unknown("OE0003: missing or invalid header 'mspid'"));
    };
    if mspid == "mallory" {
        return Err(Status::unknown(
            "OE0102: invalid MSPID: certificate is for ingen, header is mallory",
        ));
    }
    let Some(channel) = one("channel") else {
        return Err(Status::unknown("missing or invalid header 'channel'"));
    };
    if mspid != "ingen" && mspid != "biotechnica" {
        return Err(Status::unknown(format!("organization {mspid:?} is unknown")));
    }
    if channel != "our-channel" {
        return Err(Status::unknown(format!(
            "organization {mspid:?} has not access to channel {channel:?}"
        )));
    }
    Ok(request)
}

/// Starts a server on 127.0.0.1:0 and returns its address; it lives as long as the tests.
pub(crate) fn serve(spec: Spec) -> SocketAddr {
    let rt = runtime();
    let listener =
        rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    let _guard = rt.enter();

    let mut builder = Server::builder().timeout(Duration::from_secs(10));
    if let Some(tls) = &spec.tls {
        let mut config = ServerTlsConfig::new().identity(Identity::from_pem(&tls.cert, &tls.key));
        if let Some(ca) = &tls.client_ca {
            config = config.client_ca_root(Certificate::from_pem(ca));
        }
        builder = builder.tls_config(config).expect("server tls");
    }

    let (reporter, health) = tonic_health::server::health_reporter();
    if !spec.serving {
        rt.block_on(reporter.set_service_status("", tonic_health::ServingStatus::NotServing));
    }
    let descriptors: &'static [u8] = Box::leak(orchestrator_descriptors().into_boxed_slice());
    let orchestrator = spec.orchestrator;
    let both = spec.reflection == Reflection::Both;
    let reflection = move || {
        // Like the orchestrator, each reflection service also lists the other version.
        let mut builder = tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(
                tonic_reflection::pb::v1alpha::FILE_DESCRIPTOR_SET,
            );
        if both {
            builder = builder.register_encoded_file_descriptor_set(
                tonic_reflection::pb::v1::FILE_DESCRIPTOR_SET,
            );
        }
        if orchestrator {
            builder.register_encoded_file_descriptor_set(descriptors)
        } else {
            builder
        }
    };
    let intercept = spec.orchestrator;
    let mut router = builder.add_service(health);
    macro_rules! add {
        ($svc:expr) => {{
            let svc = $svc;
            router = if intercept {
                router.add_service(tonic::service::interceptor::InterceptedService::new(
                    svc,
                    orchestrator_headers,
                ))
            } else {
                router.add_service(tonic::service::interceptor::InterceptedService::new(svc, Ok))
            };
        }};
    }
    match spec.reflection {
        Reflection::Both => {
            add!(reflection().build_v1().expect("v1"));
            add!(reflection().build_v1alpha().expect("v1alpha"));
        }
        Reflection::V1AlphaOnly => add!(reflection().build_v1alpha().expect("v1alpha")),
        Reflection::None => {}
    }
    let incoming = TcpIncoming::from(listener);
    rt.spawn(router.serve_with_incoming(incoming));
    addr
}

/// A TCP port that accepts and then says nothing.
fn silent_port() -> SocketAddr {
    let rt = runtime();
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
    let addr = listener.local_addr().expect("addr");
    rt.spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    addr
}

/// A port with nothing listening.
fn closed_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    addr
}

/// A port that completes the HTTP/2 handshake (over TLS when `tls` is given: ALPN h2) and then
/// never answers a call: it reads and drops whatever the client sends.
fn stalled_h2_port(tls: Option<Tls>) -> SocketAddr {
    use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

    async fn stall<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S) {
        // The client's preface (24 bytes) and its SETTINGS frame, then ours and our ACK.
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            if buf.len() >= 33 {
                let len =
                    usize::from(buf[24]) << 16 | usize::from(buf[25]) << 8 | usize::from(buf[26]);
                if buf.len() >= 33 + len {
                    break;
                }
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let settings = [0u8, 0, 0, 4, 0, 0, 0, 0, 0];
        let ack = [0u8, 0, 0, 4, 1, 0, 0, 0, 0];
        if stream.write_all(&settings).await.is_err() || stream.write_all(&ack).await.is_err() {
            return;
        }
        let _ = stream.flush().await;
        while let Ok(n) = stream.read(&mut chunk).await {
            if n == 0 {
                return;
            }
        }
    }

    let acceptor = tls.map(|tls| {
        let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let certs = rustls_pemfile::certs(&mut tls.cert.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .expect("cert");
        let key = rustls_pemfile::private_key(&mut tls.key.as_bytes()).expect("pem").expect("key");
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .expect("server cert");
        config.alpn_protocols = vec![b"h2".to_vec()];
        tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config))
    });
    let rt = runtime();
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
    let addr = listener.local_addr().expect("addr");
    rt.spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                match acceptor {
                    None => stall(tcp).await,
                    Some(acceptor) => {
                        if let Ok(tls) = acceptor.accept(tcp).await {
                            stall(tls).await;
                        }
                    }
                }
            });
        }
    });
    addr
}

// ---------------------------------------------------------------------------------------------
// Running the binary

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out =
        substractl().args(args).timeout(Duration::from_secs(30)).output().expect("run substractl");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Run {
    fn ok(self) -> Run {
        assert_eq!(self.code, 0, "stdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    /// Exit 1 with this in the error message and this in the hint.
    fn fails(self, message: &str, hint: &str) -> Run {
        assert_eq!(self.code, 1, "stdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        let error = self.stderr.lines().find(|l| l.starts_with("substractl: error:")).unwrap_or("");
        assert!(error.contains(message), "error line lacks {message:?}:\n{}", self.stderr);
        let hint_line =
            self.stderr.lines().find(|l| l.trim_start().starts_with("hint:")).unwrap_or("");
        assert!(hint_line.contains(hint), "hint lacks {hint:?}:\n{}", self.stderr);
        self
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).expect("stdout is JSON")
    }
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
    let out = run(&["grpc", "list", "--plaintext", &addr]).ok();
    assert_eq!(out.stdout, HEALTH_AND_REFLECTION);
    assert_eq!(out.stderr, "");
    // Through an ingress, plaintext calls are routed by :authority.
    let out =
        run(&["grpc", "list", "--plaintext", &addr, "--authority", "orchestrator.example"]).ok();
    assert_eq!(out.stdout, HEALTH_AND_REFLECTION);
}

#[test]
fn falls_back_to_v1alpha_when_v1_is_unimplemented() {
    let addr = serve(Spec::plain(Reflection::V1AlphaOnly)).to_string();
    let out = run(&["grpc", "list", "--plaintext", &addr]).ok();
    assert_eq!(out.stdout, "grpc.health.v1.Health\ngrpc.reflection.v1alpha.ServerReflection\n");
    let json = run(&["-o", "json", "grpc", "list", "--plaintext", &addr]).ok().json();
    assert_eq!(json["reflection"], "v1alpha");
    assert_eq!(json["address"], addr.as_str());
}

#[test]
fn json_shape_of_a_listing() {
    let addr = serve(Spec::plain(Reflection::Both)).to_string();
    let json = run(&["grpc", "list", "--plaintext", &addr, "-o", "json"]).ok().json();
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
        .fails("has no server reflection", "does not offer reflection");
}

#[test]
fn lists_the_methods_of_a_service() {
    let addr = serve(Spec::orchestrator()).to_string();
    let args =
        ["grpc", "list", "--plaintext", &addr, "--mspid", "ingen", "--channel", "our-channel"];
    let mut with_service = args.to_vec();
    with_service.push("orchestrator.OrganizationService");
    let out = run(&with_service).ok();
    assert_eq!(
        out.stdout,
        "orchestrator.OrganizationService.GetAllOrganizations\n\
         orchestrator.OrganizationService.PingOrganization\n\
         orchestrator.OrganizationService.RegisterOrganization\n"
    );
    with_service.extend(["-o", "json"]);
    let json = run(&with_service).ok().json();
    assert_eq!(json["service"], "orchestrator.OrganizationService");
    assert_eq!(json["methods"].as_array().map(Vec::len), Some(3));

    let mut unknown = args.to_vec();
    unknown.push("orchestrator.NoSuchService");
    run(&unknown)
        .fails("has no service \"orchestrator.NoSuchService\"", "substractl grpc list ADDR");
}

// ---------------------------------------------------------------------------------------------
// grpc list: the orchestrator's headers

#[test]
fn without_headers_the_orchestrator_answers_oe0003() {
    let addr = serve(Spec::orchestrator()).to_string();
    run(&["grpc", "list", "--plaintext", &addr])
        .fails("OE0003: missing or invalid header 'mspid'", "pass --mspid ID --channel NAME");
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
    .ok();
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
    .ok();
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
    list(&["--mspid", "ingen"]).fails("missing or invalid header 'channel'", "pass --channel NAME");
    list(&["--mspid", "tyrell", "--channel", "our-channel"])
        .fails("organization \"tyrell\" is unknown", "under `channels` in the orchestrator values");
    list(&["--mspid", "ingen", "--channel", "their-channel"]).fails(
        "has not access to channel \"their-channel\"",
        "add ingen to the organizations of channel their-channel",
    );
    list(&["--mspid", "mallory", "--channel", "our-channel"])
        .fails("OE0102: invalid MSPID", "client certificate's Subject O must equal");
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
    .ok();
    assert_eq!(out.stdout, orchestrator_listing());
    // Through the DNS name, as an operator would reach the ingress.
    let by_name = format!("localhost:{}", addr.port());
    run(&["grpc", "list", &by_name, "--cacert", s(&w.ca_path)])
        .fails("OE0003: missing or invalid header 'mspid'", "--mspid");
}

#[test]
fn unknown_authority_asks_for_cacert() {
    let w = tls_world();
    let addr =
        serve(Spec::plain(Reflection::Both).tls(w.server_tls(&["127.0.0.1"], 365))).to_string();
    run(&["grpc", "list", &addr])
        .fails("is signed by an unknown authority (CN=Orchestrator Root CA)", "pass --cacert");
    let other = Ca::new("Some Other CA");
    let other_path = w.files.write("other.crt", &other.pem);
    run(&["grpc", "list", &addr, "--cacert", s(&other_path)])
        .fails("not by the CA in", "signed by another CA than");
}

#[test]
fn name_mismatch_lists_the_names_and_authority_fixes_it() {
    let w = tls_world();
    let tls = w.server_tls(&["orchestrator.example", "orchestrator.ns.svc.cluster.local"], 365);
    let addr = serve(Spec::plain(Reflection::Both).tls(tls)).to_string();
    run(&["grpc", "list", &addr, "--cacert", s(&w.ca_path)]).fails(
        "is not valid for \"127.0.0.1\": it holds orchestrator.example, orchestrator.ns.svc.cluster.local",
        "pass --authority with a name the certificate holds (orchestrator.example, orchestrator.ns.svc.cluster.local)",
    );
    let out = run(&[
        "grpc",
        "list",
        &addr,
        "--cacert",
        s(&w.ca_path),
        "--authority",
        "orchestrator.example",
    ])
    .ok();
    assert_eq!(out.stdout, HEALTH_AND_REFLECTION);
}

#[test]
fn insecure_skips_verification_and_says_so() {
    let w = tls_world();
    let addr =
        serve(Spec::plain(Reflection::Both).tls(w.server_tls(&["elsewhere"], 365))).to_string();
    let out = run(&["grpc", "list", &addr, "--insecure"]).ok();
    assert_eq!(out.stdout, HEALTH_AND_REFLECTION);
    assert!(out.stderr.contains("warning: --insecure"), "{}", out.stderr);
    assert!(out.stderr.contains("not verified"), "{}", out.stderr);
}

#[test]
fn tls_to_a_plaintext_port_says_add_plaintext() {
    let addr = serve(Spec::plain(Reflection::Both)).to_string();
    run(&["grpc", "list", &addr]).fails(
        "does not speak TLS: it answered the TLS handshake with plaintext HTTP/2",
        "add --plaintext",
    );
}

#[test]
fn plaintext_to_a_tls_port_says_drop_plaintext() {
    let w = tls_world();
    let addr =
        serve(Spec::plain(Reflection::Both).tls(w.server_tls(&["127.0.0.1"], 365))).to_string();
    run(&["grpc", "list", "--plaintext", &addr]).fails(
        &format!("{addr} speaks TLS: it answered plaintext HTTP/2 with TLS"),
        "drop --plaintext",
    );
    let (code, json) = check_json(&["--plaintext", &addr]);
    assert_eq!(code, 1);
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
        .fails("requires a client certificate (mutual TLS)", "pass --cert and --key");

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
    .ok();
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
    .fails(
        "the client certificate",
        "must be signed by a CA in orchestrator.tls.mtls.clientCACerts",
    );
}

#[test]
fn a_key_that_does_not_match_is_bad_input() {
    let w = tls_world();
    let (cert, _) = w.ca.leaf(&["a"], None, 365);
    let (_, other_key) = w.ca.leaf(&["b"], None, 365);
    let cert_path = w.files.write("a.crt", &cert);
    let key_path = w.files.write("b.key", &other_key);
    let out = run(&["grpc", "list", "127.0.0.1:1", "--cert", s(&cert_path), "--key", s(&key_path)]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("does not belong to the certificate"), "{}", out.stderr);
}

// ---------------------------------------------------------------------------------------------
// grpc list: the network

#[test]
fn refused_connection_names_the_port() {
    let addr = closed_port().to_string();
    run(&["grpc", "list", "--plaintext", &addr]).fails("refused the connection", "check the port");
}

#[test]
fn dns_failure_is_named() {
    run(&["grpc", "list", "--connect-timeout", "5", "orchestrator.nonexistent.invalid:443"])
        .fails("cannot resolve host \"orchestrator.nonexistent.invalid\"", "check the host name");
}

#[test]
fn a_silent_port_times_out_in_the_tls_handshake() {
    let addr = silent_port().to_string();
    run(&["grpc", "list", &addr, "--insecure", "--connect-timeout", "0.3"])
        .fails("did not answer within 0.3 s (TLS handshake)", "never finished TLS");
    run(&["grpc", "list", "--plaintext", &addr, "--connect-timeout", "0.3"])
        .fails("did not answer within 0.3 s (HTTP/2 handshake)", "never spoke HTTP/2");
    run(&["grpc", "list", "--plaintext", &addr, "--max-time", "0.3"])
        .fails("did not finish within --max-time 0.3 s", "raise --max-time");
}

#[test]
fn check_stops_at_max_time_and_marks_what_did_not_run() {
    let addr = silent_port().to_string();
    let (code, json) = check_json(&["--plaintext", &addr, "--max-time", "0.5"]);
    assert_eq!(code, 1);
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
        let out = run(&args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
    }
}

// ---------------------------------------------------------------------------------------------
// check orchestrator

fn check_json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "orchestrator", "-o", "json"];
    all.extend_from_slice(args);
    let out = run(&all);
    let json = out.json();
    (out.code, json)
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
    let (code, json) = check_json(&args);
    assert_eq!(code, 0, "{json:#}");
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
    let out = run(&table_args).ok();
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
    let out = run(&["check", "orchestrator", "--plaintext", &addr]).ok();
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
    let (code, json) = check_json(&["--plaintext", &addr]);
    assert_eq!(code, 0);
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
    let (code, json) =
        check_json(&["--plaintext", &addr, "--mspid", "ingen", "--channel", "other"]);
    assert_eq!(code, 1);
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
    let (code, json) = check_json(&[
        &addr,
        "--cacert",
        s(&w.ca_path),
        "--mspid",
        "ingen",
        "--channel",
        "our-channel",
    ]);
    assert_eq!(code, 0, "{json:#}");
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
    let out = run(&["check", "orchestrator", "--plaintext", &addr]);
    assert_eq!(out.code, 1, "{}", out.stdout);
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
    let (code, json) = check_json(&[&addr, "--cacert", s(&w.ca_path)]);
    assert_eq!(code, 1);
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
    let (code, json) = check_json(&["--plaintext", &addr]);
    assert_eq!(code, 1);
    assert_eq!(json["checks"][0]["status"], "failure");
    assert!(json["checks"][0]["hint"].as_str().unwrap_or("").contains("check the port"));
    assert_eq!(json["summary"]["skipped"], 5);
}

#[test]
fn help_shows_grpc_and_check() {
    let out = run(&["--help"]).ok();
    assert!(out.stdout.contains("grpc "), "{}", out.stdout);
    assert!(out.stdout.contains("check "), "{}", out.stdout);
    let out = run(&["grpc", "list", "--help"]).ok();
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

/// The Python server of tests/peers, killed when dropped (it also exits when its stdin closes).
struct PythonPeer {
    child: std::process::Child,
    addr: String,
}

impl Drop for PythonPeer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the peer; a missing Python or grpcio package fails the test, saying how to install it.
fn python_peer(args: &[&str]) -> Option<PythonPeer> {
    use std::io::BufRead;
    use std::process::{Command, Stdio};

    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());
    let probe = Command::new(&python)
        .args(["-c", "import grpc, grpc_reflection, grpc_health"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    assert!(
        probe.is_ok_and(|s| s.success()),
        "{python} with grpcio, grpcio-reflection and grpcio-health-checking is needed for the \
         Python peer tests: run scripts/test-deps"
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/reflection_server.py");
    let mut child = Command::new(&python)
        .arg(script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .env("GRPC_VERBOSITY", "NONE")
        .spawn()
        .expect("start the Python peer");
    let stdout = child.stdout.take().expect("peer stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = std::io::BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let mut peer = PythonPeer { child, addr: String::new() };
    let line = rx.recv_timeout(Duration::from_secs(20)).expect("the Python peer printed no port");
    let port: u16 = line.trim().parse().expect("the Python peer printed its port");
    peer.addr = format!("127.0.0.1:{port}");
    Some(peer)
}

const PYTHON_LISTING: &str = "grpc.health.v1.Health\ngrpc.reflection.v1alpha.ServerReflection\n";

#[test]
fn python_peer_over_plaintext() {
    let Some(peer) = python_peer(&[]) else { return };
    let out = run(&["grpc", "list", "--plaintext", &peer.addr]).ok();
    assert_eq!(out.stdout, PYTHON_LISTING);
    let json = run(&["grpc", "list", "--plaintext", &peer.addr, "-o", "json"]).ok().json();
    assert_eq!(json["reflection"], "v1alpha");
    let out = run(&["grpc", "list", "--plaintext", &peer.addr, "grpc.health.v1.Health"]).ok();
    let methods: Vec<&str> = out.stdout.lines().collect();
    assert!(methods.contains(&"grpc.health.v1.Health.Check"), "{}", out.stdout);
    assert!(methods.contains(&"grpc.health.v1.Health.Watch"), "{}", out.stdout);
    assert!(methods.windows(2).all(|w| w[0] < w[1]), "sorted: {}", out.stdout);
    run(&["grpc", "list", "--plaintext", &peer.addr, "grpc.health.v1.Nope"])
        .fails("has no service \"grpc.health.v1.Nope\"", "substractl grpc list ADDR");
    run(&["grpc", "list", &peer.addr]).fails("does not speak TLS", "add --plaintext");
}

#[test]
fn python_peer_over_tls_and_mtls() {
    let w = tls_world();
    let (cert, key) = w.ca.leaf(&["localhost", "127.0.0.1"], None, 365);
    let cert_path = w.files.write("server.crt", &cert);
    let key_path = w.files.write("server.key", &key);
    let Some(peer) = python_peer(&["--cert", s(&cert_path), "--key", s(&key_path)]) else { return };
    let out = run(&["grpc", "list", &peer.addr, "--cacert", s(&w.ca_path)]).ok();
    assert_eq!(out.stdout, PYTHON_LISTING);
    run(&["grpc", "list", &peer.addr]).fails("signed by an unknown authority", "pass --cacert");
    run(&["grpc", "list", "--plaintext", &peer.addr]).fails("speaks TLS", "drop --plaintext");
    drop(peer);

    let ca_path = s(&w.ca_path).to_string();
    let args = ["--cert", s(&cert_path), "--key", s(&key_path), "--client-ca", &ca_path];
    let Some(peer) = python_peer(&args) else { return };
    run(&["grpc", "list", &peer.addr, "--cacert", s(&w.ca_path)])
        .fails("requires a client certificate", "pass --cert and --key");
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
    .ok();
    assert_eq!(out.stdout, PYTHON_LISTING);
}

#[test]
fn certificates_from_certs_gen_serve_tls_and_mtls_end_to_end() {
    // The files an operator makes with `substractl certs gen`, used as the orchestrator and a
    // backend would use them.
    let files = Files::new();
    let dir = files.0.path();
    substractl()
        .args(["certs", "gen", "--out"])
        .arg(dir)
        .args(["--host", "localhost", "--san", "127.0.0.1", "--org", "ingen=api.ingen.example"])
        .assert()
        .success();
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
        .fails("requires a client certificate (mutual TLS)", "pass --cert and --key");
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
    .ok();
    assert_eq!(out.stdout, orchestrator_listing());
    let by_name = format!("localhost:{}", addr.rsplit(':').next().expect("port"));
    let (code, json) = check_json(&[
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
    ]);
    assert_eq!(code, 0, "{json}");
    assert!(marks(&json).iter().all(|(_, status)| status == "ok"), "{json}");
}

// ---------------------------------------------------------------------------------------------
// The chart's health probe under mTLS: the server pair is also a client certificate

/// `certs gen` for localhost and 127.0.0.1 in a new directory: (files, CA, server cert, key).
fn gen_server_pair() -> (Files, String, String, String) {
    let files = Files::new();
    let dir = files.0.path();
    substractl()
        .args(["certs", "gen", "--out"])
        .arg(dir)
        .args(["--host", "localhost", "--san", "127.0.0.1"])
        .assert()
        .success();
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
        run(&["grpc", "list", &peer.addr, "--cacert", &ca, "--cert", &cert, "--key", &key]).ok();
    assert_eq!(out.stdout, PYTHON_LISTING);
    drop(peer);

    let ca_pem = std::fs::read_to_string(&ca).expect("ca");
    let tls = Tls {
        cert: std::fs::read_to_string(&cert).expect("cert"),
        key: std::fs::read_to_string(&key).expect("key"),
        client_ca: Some(ca_pem),
    };
    let addr = serve(Spec::orchestrator().tls(tls)).to_string();
    let (code, json) = check_json(&[&addr, "--cacert", &ca, "--cert", &cert, "--key", &key]);
    assert_eq!(code, 0, "{json:#}");
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
        .fails("the client certificate", "clientAuth");
    drop(peer);

    // So does rustls (WebPkiClientVerifier), as Go's crypto/tls does in the orchestrator.
    let tls = Tls { cert: cert.clone(), key: key.clone(), client_ca: Some(w.ca.pem.clone()) };
    let addr = serve(Spec::orchestrator().tls(tls)).to_string();
    run(&["grpc", "list", &addr, "--cacert", ca_arg, "--cert", cert_arg, "--key", key_arg])
        .fails("the client certificate", "clientAuth");

    // check orchestrator, with a backend's client certificate, sees the server's certificate,
    // sees that the server asks for mTLS, and says the pod's own probe will fail.
    let (client_cert, client_key) = w.ca.leaf(&["backend.ingen"], Some("ingen"), 365);
    let client_cert = w.files.write("client.crt", &client_cert);
    let client_key = w.files.write("client.key", &client_key);
    let (code, json) = check_json(&[
        &addr,
        "--cacert",
        ca_arg,
        "--cert",
        s(&client_cert),
        "--key",
        s(&client_key),
    ]);
    assert_eq!(code, 1, "{json:#}");
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
    let (_, json) = check_json(&[&addr, "--cacert", ca_arg]);
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
    run(&["grpc", "list", &addr, "--cacert", twin_arg]).fails(
        &format!(
            "the certificate of {addr} was signed by another CA than the one in {twin_arg}, with \
             the same name (CN=Orchestrator Root CA)"
        ),
        &format!(
            "{twin_arg} holds a CA of that name with another key (a CA made again keeps its name): \
             pass the CA that signed the server's certificate with --cacert"
        ),
    );
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
    run(&["grpc", "list", &addr, "--cacert", s(&path)]).fails(
        &format!(
            "the certificate of {addr} (CN=orchestrator) is a CA certificate (basicConstraints \
             CA:TRUE), not a server certificate"
        ),
        "the server presents a CA certificate as its own: issue a server certificate signed by \
         that CA (substractl certs gen --host NAME) and serve that instead",
    );
}

// ---------------------------------------------------------------------------------------------
// Deadlines: a server that finishes the HTTP/2 handshake and then says nothing

#[test]
fn every_rpc_has_a_deadline_plaintext_and_tls() {
    let plain = stalled_h2_port(None).to_string();
    run(&["grpc", "list", "--plaintext", &plain, "--rpc-timeout", "0.5"]).fails(
        &format!(
            "{plain} did not answer grpc.reflection.v1.ServerReflection within 0.5 s (--rpc-timeout)"
        ),
        "the server finished the HTTP/2 handshake but did not answer the call",
    );
    let (code, json) = check_json(&["--plaintext", &plain, "--rpc-timeout", "0.5"]);
    assert_eq!(code, 1, "{json:#}");
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
    run(&["grpc", "list", &tls, "--cacert", s(&w.ca_path), "--rpc-timeout", "0.5"]).fails(
        &format!(
            "{tls} did not answer grpc.reflection.v1.ServerReflection within 0.5 s (--rpc-timeout)"
        ),
        "raise --rpc-timeout",
    );
    let (code, json) = check_json(&[&tls, "--cacert", s(&w.ca_path), "--rpc-timeout", "0.5"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(json["checks"][4]["group"], "health", "{json:#}");
    assert_eq!(json["checks"][4]["status"], "failure", "{json:#}");

    let out = run(&["grpc", "list", "host:1", "--rpc-timeout", "0"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}

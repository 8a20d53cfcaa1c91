//! The gRPC test servers, once: tonic servers on 127.0.0.1:0 with reflection v1 + v1alpha,
//! v1alpha only or none, an imitation of the orchestrator's header checks, plaintext, TLS and
//! mTLS; ports that refuse, stay silent or stall after the HTTP/2 handshake; and a Python grpcio
//! server (tests/peers), a peer that is not Rust.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use prost::Message as _;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Certificate, Identity, Server, ServerTlsConfig};
use tonic::{Request, Status};

use super::runtime;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Reflection {
    Both,
    V1AlphaOnly,
    None,
}

pub struct Tls {
    pub cert: String,
    pub key: String,
    pub client_ca: Option<String>,
}

pub struct Spec {
    reflection: Reflection,
    orchestrator: bool,
    tls: Option<Tls>,
    pub serving: bool,
}

impl Spec {
    pub fn plain(reflection: Reflection) -> Spec {
        Spec { reflection, orchestrator: false, tls: None, serving: true }
    }

    pub fn orchestrator() -> Spec {
        Spec { reflection: Reflection::Both, orchestrator: true, tls: None, serving: true }
    }

    pub fn tls(mut self, tls: Tls) -> Spec {
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
pub fn serve(spec: Spec) -> SocketAddr {
    let listener =
        runtime().block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind 127.0.0.1:0");
    serve_on(spec, listener)
}

/// Starts a server on an address chosen beforehand; None when it is taken.
pub fn serve_at(spec: Spec, addr: SocketAddr) -> Option<SocketAddr> {
    let listener = runtime().block_on(tokio::net::TcpListener::bind(addr)).ok()?;
    Some(serve_on(spec, listener))
}

fn serve_on(spec: Spec, listener: tokio::net::TcpListener) -> SocketAddr {
    let rt = runtime();
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
pub fn silent_port() -> SocketAddr {
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
pub fn closed_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    addr
}

/// A port that completes the HTTP/2 handshake (over TLS when `tls` is given: ALPN h2) and then
/// never answers a call: it reads and drops whatever the client sends.
pub fn stalled_h2_port(tls: Option<Tls>) -> SocketAddr {
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
        let mut config = (*super::pki::server_config(&tls.cert, &tls.key)).clone();
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

/// The Python server of tests/peers, killed when dropped (it also exits when its stdin closes).
pub struct PythonPeer {
    child: std::process::Child,
    pub addr: String,
}

impl Drop for PythonPeer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the peer; a missing Python or grpcio package fails the test, saying how to install it.
pub fn python_peer(args: &[&str]) -> Option<PythonPeer> {
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

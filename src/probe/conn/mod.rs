//! Connecting step by step: DNS, TCP, TLS, then HTTP/2 for tonic. Each step is timed and fails
//! with its own [`ProbeError`], and the bytes the server sent first are kept, so that a TLS
//! client facing a plaintext port (or the reverse) can be told apart from a closed port.
//!
//! The parts live beside this file: `sniff` keeps and reads the server's first bytes,
//! `diagnose` turns failures into explanations, and `adapter` hands the connection to tonic.

mod adapter;
mod diagnose;
mod sniff;

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;
use tonic::transport::{Channel, Endpoint, Uri};

use super::addr::Addr;
use super::tls::{CertSummary, TlsClient};
use super::{ProbeError, Stage};
use adapter::{Io, OneShot};
use diagnose::explain_handshake;
use sniff::{heard_from, lock, SeenCell, Sniff};

pub use diagnose::Diag;
pub use sniff::speaks_tls;

/// A TCP connection, made with one attempt per resolved address.
pub struct Tcp {
    stream: Sniff<TcpStream>,
    raw_seen: SeenCell,
    pub peer: SocketAddr,
    pub elapsed: Duration,
}

/// Resolves the host (IP literals are not looked up) and connects, within `timeout`.
pub async fn tcp(addr: &Addr, timeout: Duration) -> Result<Tcp, ProbeError> {
    let start = Instant::now();
    let shown = addr.authority();
    let work = async {
        let candidates: Vec<SocketAddr> = match addr.ip() {
            Some(ip) => vec![SocketAddr::new(ip, addr.port)],
            None => tokio::net::lookup_host((addr.host.as_str(), addr.port))
                .await
                .map_err(|e| ProbeError::Resolve {
                    host: addr.host.clone(),
                    detail: e.to_string(),
                })?
                .collect(),
        };
        if candidates.is_empty() {
            return Err(ProbeError::Resolve {
                host: addr.host.clone(),
                detail: "no address found".to_string(),
            });
        }
        let mut last = None;
        for candidate in candidates {
            match TcpStream::connect(candidate).await {
                Ok(stream) => return Ok((stream, candidate)),
                Err(err) => last = Some((candidate, err)),
            }
        }
        let (candidate, err) = last.ok_or_else(|| ProbeError::Connect {
            addr: shown.clone(),
            detail: "no address to connect to".into(),
        })?;
        Err(match err.kind() {
            _ if super::out_of_files(&err) => ProbeError::OpenFiles { addr: shown.clone() },
            io::ErrorKind::ConnectionRefused => {
                ProbeError::ConnectionRefused { addr: shown.clone(), ip: candidate.to_string() }
            }
            _ => ProbeError::Connect { addr: shown.clone(), detail: format!("{candidate}: {err}") },
        })
    };
    let (stream, peer) =
        tokio::time::timeout(timeout, work).await.map_err(|_| ProbeError::ConnectTimeout {
            addr: shown.clone(),
            secs: timeout.as_secs_f64(),
            stage: Stage::Tcp,
        })??;
    let _ = stream.set_nodelay(true);
    let (stream, raw_seen) = Sniff::new(stream);
    Ok(Tcp { stream, raw_seen, peer, elapsed: start.elapsed() })
}

/// What the TLS handshake established.
#[derive(Debug, Clone)]
pub struct TlsInfo {
    pub version: String,
    pub alpn: Option<String>,
    pub chain: Vec<CertSummary>,
    pub client_cert_requested: bool,
    pub elapsed: Duration,
}

/// A connection ready for HTTP/2: plaintext TCP or TLS over TCP.
pub struct Transport {
    io: Box<dyn Io>,
    raw_seen: SeenCell,
    tls_seen: Option<SeenCell>,
    tls: Option<TlsClient>,
    addr: String,
}

impl Tcp {
    /// Plaintext HTTP/2 (`--plaintext`).
    pub fn plaintext(self, addr: &Addr) -> Transport {
        Transport {
            io: Box::new(self.stream),
            raw_seen: self.raw_seen,
            tls_seen: None,
            tls: None,
            addr: addr.authority(),
        }
    }

    /// The TLS handshake, within `timeout`.
    pub async fn tls(
        self,
        addr: &Addr,
        client: &TlsClient,
        timeout: Duration,
    ) -> Result<(Transport, TlsInfo), ProbeError> {
        let start = Instant::now();
        let shown = addr.authority();
        let connector = tokio_rustls::TlsConnector::from(client.config.clone());
        let handshake = connector.connect(client.server_name.clone(), self.stream);
        let result = tokio::time::timeout(timeout, handshake).await.map_err(|_| {
            ProbeError::ConnectTimeout {
                addr: shown.clone(),
                secs: timeout.as_secs_f64(),
                stage: Stage::Tls,
            }
        })?;
        let stream = match result {
            Ok(stream) => stream,
            Err(err) => return Err(explain_handshake(&shown, client, &self.raw_seen, &err)),
        };
        let (_, conn) = stream.get_ref();
        let version = match conn.protocol_version() {
            Some(rustls::ProtocolVersion::TLSv1_3) => "TLS 1.3".to_string(),
            Some(rustls::ProtocolVersion::TLSv1_2) => "TLS 1.2".to_string(),
            Some(other) => format!("{other:?}"),
            None => "TLS".to_string(),
        };
        let alpn = conn.alpn_protocol().map(|p| String::from_utf8_lossy(p).into_owned());
        let info = TlsInfo {
            version,
            alpn: alpn.clone(),
            chain: client.record.chain().iter().filter_map(|c| CertSummary::parse(c)).collect(),
            client_cert_requested: client.record.client_cert_requested(),
            elapsed: start.elapsed(),
        };
        if alpn.as_deref().is_some_and(|p| p != "h2") {
            return Err(ProbeError::NoHttp2 { addr: shown, detail: format!("ALPN {alpn:?}") });
        }
        let (stream, tls_seen) = Sniff::new(stream);
        let transport = Transport {
            io: Box::new(stream),
            raw_seen: self.raw_seen,
            tls_seen: Some(tls_seen),
            tls: Some(client.clone()),
            addr: shown,
        };
        Ok((transport, info))
    }
}

/// An HTTP/2 channel over one connection, and what is needed to explain its failures.
#[derive(Clone)]
pub struct H2 {
    pub channel: Channel,
    pub diag: Diag,
    /// The deadline of each call on this channel.
    pub rpc_timeout: Duration,
}

/// The deadline of each call unless the command sets another (`--rpc-timeout`).
pub const DEFAULT_RPC_TIMEOUT: Duration = Duration::from_secs(10);

impl H2 {
    pub fn with_rpc_timeout(mut self, timeout: Duration) -> H2 {
        self.rpc_timeout = timeout;
        self
    }
}

impl Transport {
    /// Starts HTTP/2; `authority` is the `:authority` sent with every call.
    pub async fn h2(self, authority: &str, timeout: Duration) -> Result<H2, ProbeError> {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        let bad =
            |detail: String| ProbeError::BadAuthority { authority: authority.to_string(), detail };
        let endpoint =
            Endpoint::from_shared(format!("http://{authority}")).map_err(|e| bad(e.to_string()))?;
        let origin: Uri = format!("{scheme}://{authority}")
            .parse()
            .map_err(|e: http::uri::InvalidUri| bad(e.to_string()))?;
        let endpoint = endpoint.origin(origin);
        let connector = OneShot::new(self.io);
        let app_seen = self.tls_seen.clone().unwrap_or_else(|| self.raw_seen.clone());
        let diag = Diag {
            raw_seen: self.raw_seen,
            tls_seen: self.tls_seen,
            tls: self.tls,
            addr: self.addr,
        };
        let channel = match endpoint.connect_with_connector(connector).await {
            Ok(channel) => channel,
            Err(err) => return Err(diag.explain_transport(&err.to_string())),
        };
        // A gRPC server opens with its SETTINGS frame. Waiting for it within the connect
        // timeout, as grpc-go clients do, makes a port that says nothing fail in time.
        if tokio::time::timeout(timeout, heard_from(&app_seen)).await.is_err() {
            return Err(ProbeError::ConnectTimeout {
                addr: diag.addr.clone(),
                secs: timeout.as_secs_f64(),
                stage: Stage::Http2,
            });
        }
        let silent_close = {
            let seen = lock(&app_seen);
            seen.first_bytes.is_empty() && (seen.eof || seen.error.is_some())
        };
        if silent_close {
            return Err(diag.explain_transport("the server closed the connection"));
        }
        Ok(H2 { channel, diag, rpc_timeout: DEFAULT_RPC_TIMEOUT })
    }
}

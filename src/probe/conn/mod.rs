//! Connecting step by step: DNS, TCP, TLS, then HTTP/2 for tonic. Each step is timed and fails
//! with its own [`ProbeError`], and the bytes the server sent first are kept, so that a TLS
//! client facing a plaintext port (or the reverse) can be told apart from a closed port.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper_util::rt::TokioIo;
use rustls::AlertDescription;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tonic::transport::{Channel, Endpoint, Uri};

use super::addr::Addr;
use super::tls::{CertSummary, TlsClient};
use super::{PeerSpeaks, ProbeError, Stage};

/// How many of the server's first bytes are kept.
const SNIFF_LEN: usize = 64;

/// What one side of a stream has seen from the server.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    pub first_bytes: Vec<u8>,
    pub eof: bool,
    pub error: Option<SeenError>,
}

#[derive(Debug, Clone)]
pub(crate) struct SeenError {
    pub tls: Option<rustls::Error>,
    /// The peer closed or reset the connection.
    pub closed: bool,
    pub text: String,
}

impl SeenError {
    fn from_io(err: &io::Error) -> SeenError {
        let tls = err.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()).cloned();
        let closed = matches!(
            err.kind(),
            io::ErrorKind::BrokenPipe
                | io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::UnexpectedEof
        );
        SeenError { tls, closed, text: err.to_string() }
    }
}

/// What was seen, and a signal raised when the server first sends, closes or fails.
#[derive(Debug, Default)]
pub(crate) struct SeenShared {
    state: Mutex<Seen>,
    heard: tokio::sync::Notify,
}

type SeenCell = Arc<SeenShared>;

fn lock(cell: &SeenCell) -> std::sync::MutexGuard<'_, Seen> {
    cell.state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Waits until the server has sent something, closed, or failed.
async fn heard_from(cell: &SeenCell) {
    loop {
        {
            let seen = lock(cell);
            if !seen.first_bytes.is_empty() || seen.eof || seen.error.is_some() {
                return;
            }
        }
        cell.heard.notified().await;
    }
}

/// A stream that remembers the first bytes read, end of stream, and the first error.
struct Sniff<S> {
    inner: S,
    seen: SeenCell,
}

impl<S> Sniff<S> {
    fn new(inner: S) -> (Sniff<S>, SeenCell) {
        let seen = SeenCell::default();
        (Sniff { inner, seen: seen.clone() }, seen)
    }

    fn note_error(&self, err: &io::Error) {
        {
            let mut seen = lock(&self.seen);
            if seen.error.is_none() {
                seen.error = Some(SeenError::from_io(err));
            }
        }
        self.seen.heard.notify_one();
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Sniff<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let poll = Pin::new(&mut this.inner).poll_read(cx, buf);
        match &poll {
            Poll::Ready(Ok(())) => {
                let new = &buf.filled()[before..];
                {
                    let mut seen = lock(&this.seen);
                    if new.is_empty() {
                        seen.eof = true;
                    } else if seen.first_bytes.len() < SNIFF_LEN {
                        let room = SNIFF_LEN - seen.first_bytes.len();
                        seen.first_bytes.extend_from_slice(&new[..new.len().min(room)]);
                    }
                }
                this.seen.heard.notify_one();
            }
            Poll::Ready(Err(err)) => this.note_error(err),
            Poll::Pending => {}
        }
        poll
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Sniff<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write(cx, buf);
        if let Poll::Ready(Err(err)) = &poll {
            this.note_error(err);
        }
        poll
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

trait Io: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Io for T {}

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

fn leaf(client: &TlsClient) -> Option<CertSummary> {
    client.record.chain().first().and_then(|c| CertSummary::parse(c))
}

/// What the first bytes from a server say it speaks, when it is not TLS.
fn peer_speaks(bytes: &[u8]) -> Option<PeerSpeaks> {
    let first = *bytes.first()?;
    if (0x14..=0x17).contains(&first) && bytes.get(1) == Some(&0x03) {
        return None;
    }
    if bytes.starts_with(b"HTTP/") {
        return Some(PeerSpeaks::Http1(
            String::from_utf8_lossy(bytes).lines().next().unwrap_or_default().to_string(),
        ));
    }
    // An HTTP/2 server opens with a SETTINGS frame: 3 bytes of length, type 4, flags, stream 0.
    if bytes.len() >= 9 && bytes[3] == 0x04 && bytes[5..9] == [0, 0, 0, 0] {
        return Some(PeerSpeaks::Http2);
    }
    Some(PeerSpeaks::Other)
}

fn explain_handshake(
    addr: &str,
    client: &TlsClient,
    raw: &SeenCell,
    err: &io::Error,
) -> ProbeError {
    let addr = addr.to_string();
    let seen = lock(raw);
    if let Some(what) = peer_speaks(&seen.first_bytes) {
        return ProbeError::NotTls { addr, what };
    }
    let tls_err = err.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()).cloned();
    let requested = client.record.client_cert_requested();
    match tls_err {
        Some(rustls::Error::InvalidCertificate(cert_err)) => {
            explain_certificate(addr, client, cert_err)
        }
        Some(rustls::Error::AlertReceived(alert)) => explain_alert(addr, client, alert),
        Some(rustls::Error::NoApplicationProtocol) => ProbeError::NoHttp2 {
            addr,
            detail: "the server does not offer HTTP/2 (ALPN h2)".into(),
        },
        Some(other) => ProbeError::Tls { addr, detail: other.to_string() },
        None if seen.first_bytes.is_empty()
            && matches!(
                err.kind(),
                io::ErrorKind::UnexpectedEof
                    | io::ErrorKind::ConnectionReset
                    | io::ErrorKind::BrokenPipe
            ) =>
        {
            ProbeError::Closed { addr, stage: Stage::Tls }
        }
        None if requested && !client.has_identity => ProbeError::ClientCertRequired { addr },
        None => ProbeError::Tls { addr, detail: err.to_string() },
    }
}

fn explain_certificate(
    addr: String,
    client: &TlsClient,
    err: rustls::CertificateError,
) -> ProbeError {
    use rustls::CertificateError as C;
    let leaf = leaf(client);
    if let Some(l) = leaf.as_ref().filter(|l| l.ca) {
        // webpki's CaUsedAsEndEntity: the server serves its CA's certificate, or a self-signed
        // certificate made as a CA.
        return ProbeError::CaAsServerCert { addr, subject: l.subject.clone() };
    }
    match err {
        // Another key signed it than the CA of that name we trust: a CA made again.
        C::BadSignature => ProbeError::SameNameCa {
            addr,
            issuer: leaf.map(|l| l.issuer).unwrap_or_default(),
            cacert: client.cacert.clone(),
        },
        C::UnknownIssuer => ProbeError::UnknownAuthority {
            addr,
            issuer: leaf.as_ref().map(|l| l.issuer.clone()),
            cacert: client.cacert.clone(),
        },
        C::NotValidForName | C::NotValidForNameContext { .. } => {
            let expected = match &client.server_name {
                rustls::pki_types::ServerName::DnsName(d) => d.as_ref().to_string(),
                rustls::pki_types::ServerName::IpAddress(ip) => {
                    std::net::IpAddr::from(*ip).to_string()
                }
                other => format!("{other:?}"),
            };
            // Our own reading of the leaf gives plain names; rustls's context is the fallback.
            let presented = match (leaf, err) {
                (Some(leaf), _) => leaf.names,
                (None, C::NotValidForNameContext { presented, .. }) => presented,
                (None, _) => Vec::new(),
            };
            ProbeError::NameMismatch { addr, expected, presented }
        }
        C::Expired | C::ExpiredContext { .. } => {
            ProbeError::CertExpired { addr, not_after: leaf.map(|l| l.not_after) }
        }
        C::NotValidYet | C::NotValidYetContext { .. } => {
            ProbeError::CertNotYetValid { addr, not_before: leaf.map(|l| l.not_before) }
        }
        other => ProbeError::BadCertificate { addr, detail: format!("{other:?}") },
    }
}

fn explain_alert(addr: String, client: &TlsClient, alert: AlertDescription) -> ProbeError {
    let requested = client.record.client_cert_requested();
    match alert {
        AlertDescription::CertificateRequired => ProbeError::ClientCertRequired { addr },
        AlertDescription::HandshakeFailure | AlertDescription::BadCertificate
            if requested && !client.has_identity =>
        {
            ProbeError::ClientCertRequired { addr }
        }
        AlertDescription::BadCertificate
        | AlertDescription::UnknownCA
        | AlertDescription::CertificateUnknown
        | AlertDescription::UnsupportedCertificate
        | AlertDescription::CertificateExpired
        | AlertDescription::CertificateRevoked
        | AlertDescription::AccessDenied
        | AlertDescription::DecryptError
        | AlertDescription::HandshakeFailure
            if requested && client.has_identity =>
        {
            ProbeError::ClientCertRejected { addr, alert: Some(alert_name(alert)) }
        }
        AlertDescription::NoApplicationProtocol => ProbeError::NoHttp2 {
            addr,
            detail: "the server does not offer HTTP/2 (ALPN h2)".into(),
        },
        other => ProbeError::Tls {
            addr,
            detail: format!("the server sent the alert {}", alert_name(other)),
        },
    }
}

fn alert_name(alert: AlertDescription) -> String {
    // "BadCertificate" -> "bad certificate", as the TLS RFCs name alerts.
    let name = format!("{alert:?}");
    let mut out = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if ch.is_ascii_uppercase() && prev_lower {
            out.push(' ');
        }
        prev_lower = ch.is_ascii_lowercase();
        out.push(ch.to_ascii_lowercase());
    }
    out
}

/// True when the port answers a TLS ClientHello with a TLS record: used to tell a server that
/// hung up on plaintext HTTP/2 apart from one that hung up for another reason.
pub async fn speaks_tls(addr: &Addr, timeout: Duration) -> bool {
    let Ok(tcp) = tcp(addr, timeout).await else { return false };
    let options = super::tls::TlsOptions {
        roots: super::tls::Roots::System(Vec::new()),
        identity: None,
        insecure: true,
        server_name: addr.host.clone(),
    };
    let Ok(client) = TlsClient::new(&options) else { return false };
    let raw = tcp.raw_seen.clone();
    let connector = tokio_rustls::TlsConnector::from(client.config.clone());
    let _ =
        tokio::time::timeout(timeout, connector.connect(client.server_name.clone(), tcp.stream))
            .await;
    let seen = lock(&raw);
    matches!(seen.first_bytes.as_slice(), [0x15 | 0x16, 0x03, ..])
}

/// Hands a connection made beforehand to tonic, once.
#[derive(Clone)]
struct OneShot(Arc<Mutex<Option<Box<dyn Io>>>>);

impl tower::Service<Uri> for OneShot {
    type Response = TokioIo<Box<dyn Io>>;
    type Error = io::Error;
    type Future = std::future::Ready<io::Result<Self::Response>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _uri: Uri) -> Self::Future {
        let io = self.0.lock().unwrap_or_else(PoisonError::into_inner).take();
        std::future::ready(match io {
            Some(io) => Ok(TokioIo::new(io)),
            None => Err(io::Error::new(io::ErrorKind::NotConnected, "the connection was closed")),
        })
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

/// What was seen on a connection, to explain transport failures.
#[derive(Clone)]
pub struct Diag {
    raw_seen: SeenCell,
    tls_seen: Option<SeenCell>,
    tls: Option<TlsClient>,
    pub addr: String,
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
        let connector = OneShot(Arc::new(Mutex::new(Some(self.io))));
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

impl Diag {
    /// Explains a failure that did not come from the server's gRPC layer: the connection was
    /// closed, the server spoke TLS to our plaintext, refused our client certificate, ...
    pub fn explain_transport(&self, detail: &str) -> ProbeError {
        let addr = self.addr.clone();
        match &self.tls {
            None => {
                let seen = lock(&self.raw_seen);
                match peer_speaks(&seen.first_bytes) {
                    None if !seen.first_bytes.is_empty() => {
                        ProbeError::PlaintextToTls { addr, certain: true }
                    }
                    Some(PeerSpeaks::Http1(line)) => {
                        let text = String::from_utf8_lossy(&seen.first_bytes).to_ascii_lowercase();
                        if text.contains("https") || text.contains("tls") {
                            ProbeError::PlaintextToTls { addr, certain: true }
                        } else {
                            ProbeError::NoHttp2 {
                                addr,
                                detail: format!("the server answered HTTP/1: {line}"),
                            }
                        }
                    }
                    None if seen.eof || seen.error.is_some() => {
                        ProbeError::PlaintextToTls { addr, certain: false }
                    }
                    _ => ProbeError::Transport { addr, detail: detail.to_string() },
                }
            }
            Some(client) => {
                let seen =
                    self.tls_seen.as_ref().map(|s| lock(s).error.clone()).unwrap_or_default();
                let tls_err = seen.as_ref().and_then(|e| e.tls.clone());
                match tls_err {
                    Some(rustls::Error::AlertReceived(alert)) => explain_alert(addr, client, alert),
                    Some(other) => ProbeError::Tls { addr, detail: other.to_string() },
                    None if client.record.client_cert_requested() && !client.has_identity => {
                        ProbeError::ClientCertRequired { addr }
                    }
                    // The server hung up right after a TLS 1.3 handshake in which it asked for
                    // our certificate: its alert was lost when our write hit the closed socket.
                    None if client.record.client_cert_requested()
                        && seen.as_ref().is_some_and(|e| e.closed) =>
                    {
                        ProbeError::ClientCertRejected { addr, alert: None }
                    }
                    None => match seen {
                        Some(e) => ProbeError::Transport { addr, detail: e.text },
                        None => ProbeError::Transport { addr, detail: detail.to_string() },
                    },
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_bytes_tell_what_the_server_speaks() {
        let settings = [0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100];
        assert_eq!(peer_speaks(&settings), Some(PeerSpeaks::Http2));
        assert!(
            matches!(peer_speaks(b"HTTP/1.1 400 Bad Request\r\n"), Some(PeerSpeaks::Http1(l)) if l == "HTTP/1.1 400 Bad Request")
        );
        assert_eq!(peer_speaks(&[0x16, 0x03, 0x03, 0, 10]), None);
        assert_eq!(peer_speaks(&[0x15, 0x03, 0x01, 0, 2]), None);
        assert_eq!(peer_speaks(b"SSH-2.0-OpenSSH"), Some(PeerSpeaks::Other));
        assert_eq!(peer_speaks(b""), None);
    }

    #[test]
    fn alert_names_read_like_the_rfc() {
        assert_eq!(alert_name(AlertDescription::CertificateRequired), "certificate required");
        assert_eq!(alert_name(AlertDescription::UnknownCA), "unknown ca");
    }
}

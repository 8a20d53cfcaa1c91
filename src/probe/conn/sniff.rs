//! Protocol sniffing: a stream wrapper that keeps the first bytes the server sent, whether it
//! closed, and its first error, and the reading of those bytes that says what the server
//! speaks when it is not TLS (plaintext HTTP/2, HTTP/1, anything else). Diagnosis reads what
//! is kept here to tell a TLS client facing a plaintext port (or the reverse) from a closed port.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::tcp;
use crate::probe::addr::Addr;
use crate::probe::tls::{Roots, TlsClient, TlsOptions};
use crate::probe::PeerSpeaks;

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

pub(super) type SeenCell = Arc<SeenShared>;

pub(super) fn lock(cell: &SeenCell) -> std::sync::MutexGuard<'_, Seen> {
    cell.state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Waits until the server has sent something, closed, or failed.
pub(super) async fn heard_from(cell: &SeenCell) {
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
pub(super) struct Sniff<S> {
    inner: S,
    seen: SeenCell,
}

impl<S> Sniff<S> {
    pub(super) fn new(inner: S) -> (Sniff<S>, SeenCell) {
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

/// What the first bytes from a server say it speaks, when it is not TLS.
pub(super) fn peer_speaks(bytes: &[u8]) -> Option<PeerSpeaks> {
    let first = *bytes.first()?;
    if (0x14..=0x17).contains(&first) && bytes.get(1) == Some(&0x03) {
        return None;
    }
    if bytes.starts_with(b"HTTP/") {
        return Some(PeerSpeaks::Http1(status_line(bytes)));
    }
    // An HTTP/2 server opens with a SETTINGS frame: 3 bytes of length, type 4, flags, stream 0.
    if bytes.len() >= 9 && bytes[3] == 0x04 && bytes[5..9] == [0, 0, 0, 0] {
        return Some(PeerSpeaks::Http2);
    }
    Some(PeerSpeaks::Other)
}

/// An HTTP/1 status line in a closed form: `HTTP/1.1 400`, with the standard reason phrase of
/// the code (`Bad Request`) rather than the server's, which it may fill with what it received.
fn status_line(bytes: &[u8]) -> String {
    let line = String::from_utf8_lossy(bytes).lines().next().unwrap_or_default().to_string();
    let mut parts = line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    let version = if matches!(version, "HTTP/1.0" | "HTTP/1.1") { version } else { "HTTP/1" };
    let code = parts
        .next()
        .filter(|c| c.len() == 3)
        .and_then(|c| reqwest::StatusCode::from_bytes(c.as_bytes()).ok());
    match code {
        Some(code) => match code.canonical_reason() {
            Some(reason) => format!("{version} {} {reason}", code.as_u16()),
            None => format!("{version} {}", code.as_u16()),
        },
        None => format!("{version} without a status code"),
    }
}

/// True when the port answers a TLS ClientHello with a TLS record: used to tell a server that
/// hung up on plaintext HTTP/2 apart from one that hung up for another reason.
pub async fn speaks_tls(addr: &Addr, timeout: Duration) -> bool {
    let Ok(tcp) = tcp(addr, timeout).await else { return false };
    let options = TlsOptions {
        roots: Roots::System(Vec::new()),
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
        // The server's own reason phrase is not shown: the standard one is.
        assert!(
            matches!(peer_speaks(b"HTTP/1.1 400 Zq7 Kp2-Lm9 Xwv\r\n"), Some(PeerSpeaks::Http1(l)) if l == "HTTP/1.1 400 Bad Request")
        );
        assert!(
            matches!(peer_speaks(b"HTTP/1.1 7 x\r\n"), Some(PeerSpeaks::Http1(l)) if l == "HTTP/1.1 without a status code")
        );
        assert_eq!(peer_speaks(&[0x16, 0x03, 0x03, 0, 10]), None);
        assert_eq!(peer_speaks(&[0x15, 0x03, 0x01, 0, 2]), None);
        assert_eq!(peer_speaks(b"SSH-2.0-OpenSSH"), Some(PeerSpeaks::Other));
        assert_eq!(peer_speaks(b""), None);
    }
}

//! Diagnosis: turning what a failed connection showed (the rustls error, the TLS alert, the
//! first bytes sniffed, whether a client certificate was asked for) into a [`ProbeError`] that
//! says what went wrong in an operator's terms, rather than the library's.

use std::io;

use rustls::AlertDescription;

use super::sniff::{lock, peer_speaks, SeenCell};
use crate::probe::redact::kinds_only;
use crate::probe::tls::{CertSummary, TlsClient};
use crate::probe::{PeerSpeaks, ProbeError, Stage};

/// What was seen on a connection, to explain transport failures.
#[derive(Clone)]
pub struct Diag {
    pub(super) raw_seen: SeenCell,
    pub(super) tls_seen: Option<SeenCell>,
    pub(super) tls: Option<TlsClient>,
    pub addr: String,
}

fn leaf(client: &TlsClient) -> Option<CertSummary> {
    client.record.chain().first().and_then(|c| CertSummary::parse(c))
}

/// Explains a failed TLS handshake: a server that answered with something else than TLS, a
/// certificate rustls refused, an alert, or a hang-up.
pub(super) fn explain_handshake(
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
        Some(other) => ProbeError::Tls { addr, detail: kinds_only(&other.to_string()) },
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
        None => ProbeError::Tls { addr, detail: kinds_only(&err.to_string()) },
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
        other => ProbeError::BadCertificate { addr, detail: kinds_only(&format!("{other:?}")) },
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
                    Some(other) => ProbeError::Tls { addr, detail: kinds_only(&other.to_string()) },
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
                        Some(e) => ProbeError::Transport { addr, detail: kinds_only(&e.text) },
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
    fn alert_names_read_like_the_rfc() {
        assert_eq!(alert_name(AlertDescription::CertificateRequired), "certificate required");
        assert_eq!(alert_name(AlertDescription::UnknownCA), "unknown ca");
    }
}

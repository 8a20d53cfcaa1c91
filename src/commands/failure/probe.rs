//! The explanation of every probe failure: the message names the server, the hint says what
//! to do next (shared by `grpc list` and `check orchestrator`).

use crate::error::Explained;
use crate::pki::PkiError;
use crate::probe::tls::TlsConfigError;
use crate::probe::{PeerSpeaks, ProbeError, Refusal, Stage};
use crate::report::date;

/// The error to report for a failed probe: exit 2 for bad input, 1 for what the server did.
pub fn explain(err: &ProbeError) -> Explained {
    let message = err.to_string();
    let explained =
        if err.is_input() { Explained::input(message) } else { Explained::problem(message) };
    match hint(err) {
        Some(hint) => explained.hint(hint),
        None => explained,
    }
}

const CLIENT_CA_VALUES: &str = "orchestrator.tls.mtls.clientCACerts";

/// What to do next, for each way a probe fails.
pub fn hint(err: &ProbeError) -> Option<String> {
    Some(match err {
        ProbeError::Resolve { .. } => "check the host name in ADDR and this machine's DNS; from outside \
             the cluster use the orchestrator's ingress host name"
            .into(),
        ProbeError::ConnectionRefused { .. } => "check the port: the orchestrator's ingress listens on 443 \
             with TLS and 80 without, its in-cluster Service on 9000"
            .into(),
        ProbeError::ConnectTimeout { stage: Stage::Tcp, .. } => {
            "the host did not answer: check that it is up and that no firewall drops the packets, \
             or raise --connect-timeout"
                .into()
        }
        ProbeError::ConnectTimeout { stage: Stage::Tls, .. } => {
            "the port accepted TCP but never finished TLS: check that it is the orchestrator's TLS \
             port (ingress-nginx needs --enable-ssl-passthrough), or raise --connect-timeout"
                .into()
        }
        ProbeError::ConnectTimeout { stage: Stage::Http2, .. } => {
            "the port accepted the connection but never spoke HTTP/2: check that it is a gRPC \
             port, and --plaintext (present for a plaintext port, absent for a TLS one)"
                .into()
        }
        ProbeError::Connect { .. } => "check ADDR and the network between this machine and the server".into(),
        ProbeError::OpenFiles { .. } => crate::error::hints::OPEN_FILES.into(),
        ProbeError::Timeout { .. } => "raise --max-time, or run `substractl check orchestrator` to see \
             which step is slow"
            .into(),
        ProbeError::NotTls { what: PeerSpeaks::Http2, .. } => {
            "this port speaks plaintext gRPC: add --plaintext (through the ingress, the orchestrator's \
             plaintext port is 80)"
                .into()
        }
        ProbeError::NotTls { what: PeerSpeaks::Http1(_), .. } => {
            "this port speaks plaintext HTTP: if the orchestrator is served without TLS add \
             --plaintext, otherwise use its TLS port (443 through the ingress)"
                .into()
        }
        ProbeError::NotTls { what: PeerSpeaks::Other, .. } => {
            "check the port: whatever listens there is neither TLS nor HTTP/2".into()
        }
        ProbeError::PlaintextToTls { certain: true, .. } => {
            "this port expects TLS: drop --plaintext (and pass --cacert with the orchestrator's CA \
             if it is private)"
                .into()
        }
        ProbeError::PlaintextToTls { certain: false, .. } => {
            "the port may expect TLS: try without --plaintext, with --cacert for a private CA".into()
        }
        ProbeError::UnknownAuthority { cacert: None, .. } => {
            "pass --cacert with the CA that signed the server's certificate (the ca.crt of the \
             Secret orchestrator-tls-cacert)"
                .into()
        }
        ProbeError::UnknownAuthority { cacert: Some(path), .. } => format!(
            "the server's certificate was signed by another CA than {}: pass the CA that signed \
             it with --cacert, or re-issue the server certificate from this CA",
            path.display()
        ),
        ProbeError::NameMismatch { expected, presented, .. } if presented.is_empty() => format!(
            "re-issue the server certificate with {expected} as a subject alternative name"
        ),
        ProbeError::NameMismatch { expected, presented, .. } => format!(
            "pass --authority with a name the certificate holds ({}), or re-issue it with {expected} \
             as a subject alternative name",
            crate::probe::shown_names(presented)
        ),
        ProbeError::CertExpired { not_after, .. } => format!(
            "renew the server certificate (Secret orchestrator-tls-server-pair){}",
            not_after.and_then(date).map(|d| format!("; it expired on {d}")).unwrap_or_default()
        ),
        ProbeError::CertNotYetValid { not_before, .. } => format!(
            "check the clocks of this machine and of the server{}",
            not_before.and_then(date).map(|d| format!("; it is valid from {d}")).unwrap_or_default()
        ),
        ProbeError::SameNameCa { cacert: Some(path), .. } => format!(
            "{} holds a CA of that name with another key (a CA made again keeps its name): pass \
             the CA that signed the server's certificate with --cacert, or re-issue the server \
             certificate from the CA in {}",
            path.display(),
            path.display()
        ),
        ProbeError::SameNameCa { cacert: None, .. } => {
            "a CA of that name with another key is trusted here: pass the CA that signed the \
             server's certificate with --cacert"
                .into()
        }
        ProbeError::CaAsServerCert { .. } => {
            "the server presents a CA certificate as its own: issue a server certificate signed by \
             that CA (substractl certs gen --host NAME) and serve that instead"
                .into()
        }
        ProbeError::RpcTimeout { .. } => {
            "the server finished the HTTP/2 handshake but did not answer the call: check that ADDR \
             is the orchestrator and read its logs (kubectl logs on the orchestrator-server pod), \
             or raise --rpc-timeout"
                .into()
        }
        ProbeError::BadCertificate { .. } => {
            "inspect the server certificate (openssl x509 -text) and re-issue it".into()
        }
        ProbeError::ClientCertRequired { .. } => format!(
            "the server uses mutual TLS: pass --cert and --key with a client certificate signed by \
             a CA in {CLIENT_CA_VALUES}"
        ),
        ProbeError::ClientCertRejected { .. } => format!(
            "the client certificate must be signed by a CA in {CLIENT_CA_VALUES}, allow clientAuth \
             (extendedKeyUsage) and carry an authorityKeyIdentifier; with verifyClientMSPID that \
             CA's key must be the MSP ID"
        ),
        ProbeError::NoHttp2 { .. } => "check that ADDR is the orchestrator's gRPC port".into(),
        ProbeError::Tls { .. } => "check the server's TLS settings (the orchestrator needs TLS 1.2 or \
             later) and that ADDR is its TLS port"
            .into(),
        ProbeError::Closed { .. } => "the server hung up during the handshake: if the port is \
             plaintext add --plaintext; behind ingress-nginx check --enable-ssl-passthrough"
            .into(),
        ProbeError::Transport { .. } => "retry; if it goes on, read the server's logs".into(),
        ProbeError::Refused { refusal, mspid, channel, code, .. } => {
            return refusal_hint(refusal, mspid.as_deref(), channel.as_deref(), code)
        }
        ProbeError::NoReflection { .. } => "the server does not offer reflection, so it cannot be \
             listed: the orchestrator registers it, so check that ADDR is the orchestrator"
            .into(),
        ProbeError::NoHealth { .. } => "check that ADDR is the orchestrator: it registers \
             grpc.health.v1.Health"
            .into(),
        ProbeError::ServiceNotFound { .. } => "run `substractl grpc list ADDR` (with the same flags) to see \
             the services; names are package.Service and case-sensitive"
            .into(),
        ProbeError::BadAnswer { .. } => return None,
        ProbeError::BadAuthority { .. } => "--authority takes a host name or IP address, with an \
             optional :port"
            .into(),
        ProbeError::Header(_) => "write headers as -H 'name: value'".into(),
        ProbeError::TlsConfig(e) => return tls_config_hint(e),
    })
}

fn refusal_hint(
    refusal: &Refusal,
    mspid: Option<&str>,
    channel: Option<&str>,
    code: &str,
) -> Option<String> {
    Some(match refusal {
        Refusal::MissingMspid if mspid.is_none() => {
            "the orchestrator answered, so the connection works; to list its services pass \
             --mspid ID --channel NAME (the organization's orchestrator.mspID and one of its channels)"
                .into()
        }
        Refusal::MissingMspid => {
            "the mspid header was sent but refused: give --mspid exactly once, not empty".into()
        }
        Refusal::MissingChannel if channel.is_none() => {
            "pass --channel NAME: a channel of the organization, as listed under `channels` in the \
             orchestrator values"
                .into()
        }
        Refusal::MissingChannel => {
            "the channel header was sent but refused: give --channel exactly once, not empty".into()
        }
        Refusal::UnknownOrganization { org } => format!(
            "{org:?} is in no channel of the orchestrator: check --mspid (the backend's \
             orchestrator.mspID), or add {org} to a channel's organizations under `channels` in \
             the orchestrator values and upgrade the orchestrator"
        ),
        Refusal::NoChannelAccess { org, channel } => format!(
            "add {org} to the organizations of channel {channel} under `channels` in the \
             orchestrator values and upgrade the orchestrator, or pass --channel with a channel \
             {org} belongs to"
        ),
        Refusal::InvalidMspid => format!(
            "with verifyClientMSPID the client certificate's Subject O must equal the mspid header{}: \
             pass that organization's certificate with --cert/--key, or re-issue it with O set to \
             the MSP ID",
            mspid.map(|m| format!(" ({m})")).unwrap_or_default()
        ),
        Refusal::Other => match code {
            "Unimplemented" => "the server does not implement this call".into(),
            "Unauthenticated" | "Permission denied" | "PermissionDenied" => {
                "check the headers (-H, --mspid, --channel) and the client certificate".into()
            }
            _ => return None,
        },
    })
}

fn tls_config_hint(err: &TlsConfigError) -> Option<String> {
    Some(match err {
        TlsConfigError::Pem(PkiError::NotPem { .. } | PkiError::BadCert { .. })
        | TlsConfigError::BadCertificate { .. } => {
            "give a PEM file with -----BEGIN CERTIFICATE----- blocks".into()
        }
        TlsConfigError::Pem(PkiError::NoKey { .. } | PkiError::BadKey { .. })
        | TlsConfigError::BadKey { .. } => {
            "give the PEM private key (a PRIVATE KEY block) made with --cert".into()
        }
        TlsConfigError::Pem(_) => return None,
        TlsConfigError::KeyMismatch { .. } => {
            "pass the key that was made with this certificate".into()
        }
        TlsConfigError::NoSystemRoots { .. } => {
            "pass --cacert with the CA that signed the server's certificate".into()
        }
        TlsConfigError::BadServerName { .. } => {
            "--authority and ADDR take a DNS name or an IP address".into()
        }
        TlsConfigError::Read(e) => return e.hint().map(str::to_string),
        TlsConfigError::Rustls(_) => return None,
    })
}

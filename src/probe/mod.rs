//! Probes of gRPC servers: connect (DNS, TCP, TLS, HTTP/2), server reflection, health.
//!
//! Nothing here prints or reads the environment. Every failure is a [`ProbeError`] that says
//! which step failed and what the server showed, so that commands can explain it to operators.

pub mod addr;
pub mod conn;
pub mod grpc;
pub mod http;
pub mod redact;
pub mod tls;

use std::path::PathBuf;
use std::time::Duration;

pub use addr::Addr;
pub use conn::{TlsInfo, H2};
pub use grpc::{Headers, Health, ReflectionVersion};
pub use tls::{CertSummary, TlsClient, TlsOptions};

/// The services an orchestrator registers (orchestrator chart 8.8.0), besides health and
/// reflection.
pub const ORCHESTRATOR_SERVICES: &[&str] = &[
    "orchestrator.ComputePlanService",
    "orchestrator.ComputeTaskService",
    "orchestrator.DataManagerService",
    "orchestrator.DataSampleService",
    "orchestrator.DatasetService",
    "orchestrator.EventService",
    "orchestrator.FailureReportService",
    "orchestrator.FunctionService",
    "orchestrator.InfoService",
    "orchestrator.ModelService",
    "orchestrator.OrganizationService",
    "orchestrator.PerformanceService",
    "orchestrator.ProfilingService",
];

/// A connection step, for timeouts and closures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Tcp,
    Tls,
    Http2,
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Stage::Tcp => "TCP connect",
            Stage::Tls => "TLS handshake",
            Stage::Http2 => "HTTP/2 handshake",
        })
    }
}

/// What a server that is not TLS answered to a TLS ClientHello.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerSpeaks {
    Http2,
    Http1(String),
    Other,
}

impl std::fmt::Display for PeerSpeaks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PeerSpeaks::Http2 => f.write_str("plaintext HTTP/2"),
            PeerSpeaks::Http1(line) => write!(f, "plaintext HTTP/1 ({line})"),
            PeerSpeaks::Other => f.write_str("bytes that are not TLS"),
        }
    }
}

/// What the orchestrator meant when it refused a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `OE0003: missing or invalid header 'mspid'`.
    MissingMspid,
    /// `missing or invalid header 'channel'`.
    MissingChannel,
    /// `organization "X" is unknown`: X is in no channel of the orchestrator values.
    UnknownOrganization { org: String },
    /// `organization "X" has not access to channel "Y"`.
    NoChannelAccess { org: String, channel: String },
    /// `OE0102: invalid MSPID`: the client certificate's O differs from the header.
    InvalidMspid,
    /// `Unimplemented`, `PermissionDenied`, anything else.
    Other,
}

impl Refusal {
    pub fn classify(code: tonic::Code, message: &str) -> Refusal {
        if message.contains("missing or invalid header 'mspid'") {
            return Refusal::MissingMspid;
        }
        if message.contains("missing or invalid header 'channel'") {
            return Refusal::MissingChannel;
        }
        if message.contains("OE0102") || message.contains("invalid MSPID") {
            return Refusal::InvalidMspid;
        }
        let quoted: Vec<&str> = message.split('"').skip(1).step_by(2).collect();
        if message.contains("has not access to channel") && quoted.len() >= 2 {
            return Refusal::NoChannelAccess {
                org: quoted[0].to_string(),
                channel: quoted[1].to_string(),
            };
        }
        if message.contains("is unknown") && message.contains("organization") && !quoted.is_empty()
        {
            return Refusal::UnknownOrganization { org: quoted[0].to_string() };
        }
        let _ = code;
        Refusal::Other
    }

    /// True for the refusals about Substra's headers.
    pub fn is_about_headers(&self) -> bool {
        !matches!(self, Refusal::Other)
    }
}

/// Why a probe failed. Messages name the server; commands add what to do next.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error("cannot resolve host {host:?}: {detail}")]
    Resolve { host: String, detail: String },
    #[error("{addr} refused the connection ({ip}): nothing listens on that port")]
    ConnectionRefused { addr: String, ip: String },
    #[error("{addr} did not answer within {} s ({stage})", shown_secs(*secs))]
    ConnectTimeout { addr: String, secs: f64, stage: Stage },
    #[error("cannot connect to {addr}: {detail}")]
    Connect { addr: String, detail: String },
    #[error("cannot connect to {addr}: substractl has too many open files")]
    OpenFiles { addr: String },
    #[error("{addr} did not finish within --max-time {} s", shown_secs(*secs))]
    Timeout { addr: String, secs: f64 },
    #[error("{addr} does not speak TLS: it answered the TLS handshake with {what}")]
    NotTls { addr: String, what: PeerSpeaks },
    #[error("{}", if *certain {
        format!("{addr} speaks TLS: it answered plaintext HTTP/2 with TLS")
    } else {
        format!("{addr} closed the connection without an HTTP/2 answer")
    })]
    PlaintextToTls { addr: String, certain: bool },
    #[error("the certificate of {addr} is signed by an unknown authority{}{}",
        issuer.as_ref().map(|i| format!(" ({i})")).unwrap_or_default(),
        cacert.as_ref().map(|p| format!(", not by the CA in {}", p.display())).unwrap_or_default())]
    UnknownAuthority { addr: String, issuer: Option<String>, cacert: Option<PathBuf> },
    #[error("the certificate of {addr} is not valid for {expected:?}: {}",
        if presented.is_empty() { "it holds no DNS or IP name".to_string() }
        else { format!("it holds {}", shown_names(presented)) })]
    NameMismatch { addr: String, expected: String, presented: Vec<String> },
    #[error("the certificate of {addr} has expired")]
    CertExpired { addr: String, not_after: Option<i64> },
    #[error("the certificate of {addr} is not valid yet")]
    CertNotYetValid { addr: String, not_before: Option<i64> },
    #[error("the certificate of {addr} was signed by another CA than {}, with the same name ({issuer})",
        match cacert { Some(p) => format!("the one in {}", p.display()), None => "the trusted one".into() })]
    SameNameCa { addr: String, issuer: String, cacert: Option<PathBuf> },
    #[error(
        "the certificate of {addr} ({subject}) is a CA certificate (basicConstraints CA:TRUE), \
             not a server certificate"
    )]
    CaAsServerCert { addr: String, subject: String },
    #[error("{addr} did not answer {call} within {} s (--rpc-timeout)", shown_secs(*secs))]
    RpcTimeout { addr: String, call: &'static str, secs: f64 },
    #[error("the certificate of {addr} was rejected: {detail}")]
    BadCertificate { addr: String, detail: String },
    #[error("{addr} requires a client certificate (mutual TLS)")]
    ClientCertRequired { addr: String },
    #[error("{}", match alert {
        Some(alert) => format!("{addr} rejected the client certificate (TLS alert: {alert})"),
        None => format!("{addr} closed the connection after the client certificate was sent: it \
                         probably rejected it"),
    })]
    ClientCertRejected { addr: String, alert: Option<String> },
    #[error("{addr} does not speak gRPC over HTTP/2: {detail}")]
    NoHttp2 { addr: String, detail: String },
    #[error("TLS with {addr} failed: {detail}")]
    Tls { addr: String, detail: String },
    #[error("{addr} closed the connection during the {stage}")]
    Closed { addr: String, stage: Stage },
    #[error("the connection to {addr} failed: {detail}")]
    Transport { addr: String, detail: String },
    #[error("{addr} refused the call: {message} (status {code})")]
    Refused {
        addr: String,
        refusal: Refusal,
        code: String,
        message: String,
        mspid: Option<String>,
        channel: Option<String>,
    },
    #[error(
        "{addr} has no server reflection: grpc.reflection.v1 and v1alpha are both unimplemented"
    )]
    NoReflection { addr: String },
    #[error("{addr} has no health service: grpc.health.v1.Health is unimplemented")]
    NoHealth { addr: String },
    #[error("{addr} has no service {service:?}")]
    ServiceNotFound { addr: String, service: String },
    #[error("{addr} gave an unexpected reflection answer: {detail}")]
    BadAnswer { addr: String, detail: String },
    #[error("--authority {authority:?} cannot be used: {detail}")]
    BadAuthority { authority: String, detail: String },
    #[error(transparent)]
    Header(#[from] grpc::HeaderError),
    #[error(transparent)]
    TlsConfig(#[from] tls::TlsConfigError),
}

impl ProbeError {
    /// A connect timeout names the --connect-timeout given, not the part left for its step.
    pub fn with_connect_timeout(self, total: Duration) -> ProbeError {
        match self {
            ProbeError::ConnectTimeout { addr, stage, .. } => {
                ProbeError::ConnectTimeout { addr, stage, secs: total.as_secs_f64() }
            }
            other => other,
        }
    }

    /// Bad input (exit 2) rather than a problem found on the server (exit 1).
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            ProbeError::BadAuthority { .. } | ProbeError::Header(_) | ProbeError::TlsConfig(_)
        )
    }
}

/// A number of seconds as a user reads it: whole seconds from 10 s, tenths below (hundredths
/// below 0.1 s), without trailing zeros: `2`, `0.4`, `12`.
/// Whether `err` says that this process (or the system) has no file left to open: a socket
/// asked for beyond `ulimit -n`, most likely with a large `--concurrency`.
pub fn out_of_files(err: &std::io::Error) -> bool {
    // EMFILE and ENFILE.
    matches!(err.raw_os_error(), Some(24 | 23))
}

pub fn shown_secs(secs: f64) -> String {
    let text = if secs >= 10.0 {
        format!("{secs:.0}")
    } else if secs >= 0.1 {
        format!("{secs:.1}")
    } else {
        format!("{secs:.2}")
    };
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// Where and how to connect.
#[derive(Debug, Clone)]
pub struct Target {
    pub addr: Addr,
    /// None for plaintext.
    pub tls: Option<TlsClient>,
    /// `--authority`: the `:authority` sent (the TLS name is taken from it too).
    pub authority: Option<String>,
    /// TCP, TLS and the HTTP/2 handshake together.
    pub connect_timeout: Duration,
    /// Each call (health, reflection), from the request to the first answer.
    pub rpc_timeout: Duration,
}

impl Target {
    /// The `:authority` of every call: `--authority` (an IPv6 literal bracketed) or ADDR.
    pub fn authority_header(&self) -> String {
        match &self.authority {
            Some(a) if a.parse::<std::net::Ipv6Addr>().is_ok() => format!("[{a}]"),
            Some(a) => a.clone(),
            None => self.addr.authority(),
        }
    }
}

/// The TLS server name for a target: `--authority` without its port, or the host of ADDR.
pub fn tls_name(addr: &Addr, authority: Option<&str>) -> String {
    match authority {
        Some(a) => match Addr::parse(a, addr.port) {
            Ok(parsed) => parsed.host,
            Err(_) => a.to_string(),
        },
        None => addr.host.clone(),
    }
}

/// The time left of `total` after `spent`, never zero (tokio would fail at once).
pub fn remaining(total: Duration, spent: Duration) -> Duration {
    total.saturating_sub(spent).max(Duration::from_millis(1))
}

/// Makes an unsure explanation sure where one more connection can: a server that hung up on
/// plaintext HTTP/2 and answers a TLS ClientHello is a TLS port.
pub async fn confirm(err: ProbeError, target: &Target) -> ProbeError {
    match err {
        ProbeError::PlaintextToTls { addr, certain: false } => {
            let certain = conn::speaks_tls(&target.addr, target.connect_timeout).await;
            ProbeError::PlaintextToTls { addr, certain }
        }
        other => other,
    }
}

/// TCP, TLS (unless plaintext), then HTTP/2, with one attempt and `connect_timeout` for all.
pub async fn connect(target: &Target) -> Result<H2, ProbeError> {
    let start = std::time::Instant::now();
    let tcp = conn::tcp(&target.addr, target.connect_timeout).await?;
    let transport = match &target.tls {
        None => tcp.plaintext(&target.addr),
        Some(client) => {
            let left = remaining(target.connect_timeout, start.elapsed());
            let tls = tcp.tls(&target.addr, client, left).await;
            tls.map_err(|e| e.with_connect_timeout(target.connect_timeout))?.0
        }
    };
    let left = remaining(target.connect_timeout, start.elapsed());
    let h2 = transport.h2(&target.authority_header(), left).await;
    let h2 = h2.map_err(|e| e.with_connect_timeout(target.connect_timeout))?;
    Ok(h2.with_rpc_timeout(target.rpc_timeout))
}

/// The most names of a certificate shown, and the most characters of each.
const SHOWN_NAMES: usize = 10;
const SHOWN_NAME_CHARS: usize = 100;

/// A certificate's names as shown: the first ten, each cut at 100 characters, joined by ", ",
/// and how many more there are (a server chooses how many it sends).
pub fn shown_names(names: &[String]) -> String {
    let mut shown: Vec<String> = names
        .iter()
        .take(SHOWN_NAMES)
        .map(|n| redact::cut_to(n.clone(), SHOWN_NAME_CHARS))
        .collect();
    if names.len() > SHOWN_NAMES {
        shown.push(format!("and {} more", names.len() - SHOWN_NAMES));
    }
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonic::Code;

    #[test]
    fn orchestrator_refusals() {
        let c = Code::Unknown;
        assert_eq!(
            Refusal::classify(c, "OE0003: missing or invalid header 'mspid'"),
            Refusal::MissingMspid
        );
        assert_eq!(
            Refusal::classify(
                c,
                "failed to extract organization: missing or invalid header 'channel'"
            ),
            Refusal::MissingChannel
        );
        assert_eq!(
            Refusal::classify(c, "organization \"tyrell\" is unknown"),
            Refusal::UnknownOrganization { org: "tyrell".into() }
        );
        assert_eq!(
            Refusal::classify(c, "organization \"ingen\" has not access to channel \"other\""),
            Refusal::NoChannelAccess { org: "ingen".into(), channel: "other".into() }
        );
        assert_eq!(
            Refusal::classify(c, "OE0102: invalid MSPID: expected ingen, got tyrell"),
            Refusal::InvalidMspid
        );
        assert_eq!(Refusal::classify(c, "boom"), Refusal::Other);
    }

    #[test]
    fn seconds_are_shown_rounded() {
        assert_eq!(shown_secs(0.435261702), "0.4");
        assert_eq!(shown_secs(2.0), "2");
        assert_eq!(shown_secs(1.96), "2");
        assert_eq!(shown_secs(12.7), "13");
        assert_eq!(shown_secs(0.05), "0.05");
        assert_eq!(shown_secs(30.0), "30");
    }

    #[test]
    fn authority_and_tls_name() {
        let addr = Addr::parse("127.0.0.1:8443", 443).expect("addr");
        let mut t = Target {
            addr: addr.clone(),
            tls: None,
            authority: None,
            connect_timeout: Duration::from_secs(1),
            rpc_timeout: Duration::from_secs(1),
        };
        assert_eq!(t.authority_header(), "127.0.0.1:8443");
        t.authority = Some("::1".into());
        assert_eq!(t.authority_header(), "[::1]");
        assert_eq!(tls_name(&addr, Some("orch.example:443")), "orch.example");
        assert_eq!(tls_name(&addr, Some("[::1]:443")), "::1");
        assert_eq!(tls_name(&addr, None), "127.0.0.1");
    }
}

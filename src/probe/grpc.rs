//! gRPC calls of the probes: server reflection (v1, falling back to v1alpha on Unimplemented,
//! as grpcurl does) and `grpc.health.v1.Health/Check`. Statuses are sorted into what the
//! orchestrator means by them ([`Refusal`]) and transport failures into [`ProbeError`]s.

use std::borrow::Cow;
use std::sync::Arc;

use prost::Message as _;
use tonic::metadata::{AsciiMetadataKey, AsciiMetadataValue, MetadataMap};
use tonic::{Code, Status};

use super::conn::H2;
use super::redact::Redactor;
use super::{ProbeError, Refusal};

/// Which reflection service answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ReflectionVersion {
    #[serde(rename = "v1")]
    V1,
    #[serde(rename = "v1alpha")]
    V1Alpha,
}

impl ReflectionVersion {
    pub fn service(self) -> &'static str {
        match self {
            ReflectionVersion::V1 => "grpc.reflection.v1.ServerReflection",
            ReflectionVersion::V1Alpha => "grpc.reflection.v1alpha.ServerReflection",
        }
    }
}

/// Headers as sent: Substra's two and the extra `-H` ones.
#[derive(Debug, Clone, Default)]
pub struct Headers {
    pub mspid: Option<String>,
    pub channel: Option<String>,
    pub extra: Vec<(String, String)>,
    /// The other credentials the run holds (a deployment's secrets, in `check all`), kept out
    /// of what a server sends back as the headers' are. Shared by every probe of the run, never
    /// copied unless extra headers are added to it; it keeps the names of the organizations and
    /// channels it knows (a deployment's does), Substra's headers among them.
    pub known: Arc<Redactor>,
}

impl Headers {
    /// The values of the extra headers (`-H`), which may be credentials (`authorization`,
    /// an API key), kept out of what a server sends back, with the credentials of
    /// [`Headers::known`]. Substra's `mspid` and `channel` are names, not secrets.
    pub fn redactor(&self) -> Cow<'_, Redactor> {
        if self.extra.is_empty() {
            return Cow::Borrowed(&*self.known);
        }
        let mut redactor = (*self.known).clone();
        // Substra's headers are names, not secrets, and are kept where they stand.
        for name in self.mspid.iter().chain(&self.channel) {
            redactor.keep(name);
        }
        for (_, value) in &self.extra {
            redactor.add(value);
            // `authorization: Bearer TOKEN` or `Basic B64`: the credential without its scheme.
            if let Some((_, credential)) = value.split_once(' ') {
                redactor.add(credential.trim());
            }
        }
        Cow::Owned(redactor)
    }
}

/// A header that cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    /// The header as it may be shown: the name it seems to start with, never its value.
    #[error("header {0} is not 'name: value'")]
    Form(String),
    #[error("header name {0} is not a valid gRPC metadata name (lowercase letters, digits, '-', '_', '.')")]
    Name(String),
    #[error(
        "the value of header {0:?} holds characters that cannot be sent (use printable ASCII)"
    )]
    Value(String),
    #[error("header {0:?} ends in -bin: binary headers are not supported")]
    Binary(String),
}

impl Headers {
    /// Parses one `-H 'name: value'` argument, as grpcurl does (the name is lowercased).
    pub fn parse_one(text: &str) -> Result<(String, String), HeaderError> {
        let form = || HeaderError::Form(shown_header(text));
        let (name, value) = text.split_once(':').ok_or_else(form)?;
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty() {
            return Err(form());
        }
        Ok((name, value.trim().to_string()))
    }

    /// The metadata sent on calls that need the headers.
    pub fn metadata(&self) -> Result<MetadataMap, HeaderError> {
        let mut md = MetadataMap::new();
        let pairs = self
            .extra
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .chain(self.mspid.as_deref().map(|v| ("mspid", v)))
            .chain(self.channel.as_deref().map(|v| ("channel", v)));
        for (name, value) in pairs {
            if name.ends_with("-bin") {
                return Err(HeaderError::Binary(name.into()));
            }
            // Shown as a name only: a colon put after a token (`Bearer TOKEN: x`) makes the
            // token part of the name.
            let key: AsciiMetadataKey =
                name.parse().map_err(|_| HeaderError::Name(shown_header(name)))?;
            let value: AsciiMetadataValue =
                value.parse().map_err(|_| HeaderError::Value(name.to_string()))?;
            md.append(key, value);
        }
        Ok(md)
    }
}

/// The longest header name shown in an error.
const MAX_SHOWN_NAME: usize = 20;

/// A `-H` argument that is not `name: value`, as it may be shown: the header name it starts
/// with (letters, digits, `-_.`, at most 20 characters), when something follows it, and never
/// the rest, which is likely a credential (`Authorization Bearer TOKEN`).
fn shown_header(text: &str) -> String {
    let text = text.trim_start();
    let name_len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
        .unwrap_or(text.len());
    if name_len == 0 || name_len == text.len() || name_len > MAX_SHOWN_NAME {
        return "…(value hidden)".to_string();
    }
    format!("\"{}…\" (value hidden)", &text[..name_len])
}

enum Ask {
    Services,
    Symbol(String),
}

enum Answer {
    Services(Vec<String>),
    Files(Vec<Vec<u8>>),
    Error { code: i32, message: String },
    Nothing,
}

macro_rules! reflect {
    ($version:ident, $channel:expr, $md:expr, $ask:expr) => {{
        use pb::server_reflection_request::MessageRequest;
        use pb::server_reflection_response::MessageResponse;
        use tonic_reflection::pb::$version as pb;
        let message_request = match $ask {
            Ask::Services => MessageRequest::ListServices(String::new()),
            Ask::Symbol(name) => MessageRequest::FileContainingSymbol(name.clone()),
        };
        let message = pb::ServerReflectionRequest {
            host: String::new(),
            message_request: Some(message_request),
        };
        let mut request = tonic::Request::new(tokio_stream::once(message));
        *request.metadata_mut() = $md.clone();
        let mut client = pb::server_reflection_client::ServerReflectionClient::new($channel);
        let mut stream = client.server_reflection_info(request).await?.into_inner();
        let answer = match stream.message().await? {
            None => Answer::Nothing,
            Some(response) => match response.message_response {
                Some(MessageResponse::ListServicesResponse(list)) => {
                    Answer::Services(list.service.into_iter().map(|s| s.name).collect())
                }
                Some(MessageResponse::FileDescriptorResponse(files)) => {
                    Answer::Files(files.file_descriptor_proto)
                }
                Some(MessageResponse::ErrorResponse(e)) => {
                    Answer::Error { code: e.error_code, message: e.error_message }
                }
                _ => Answer::Nothing,
            },
        };
        Ok::<Answer, Status>(answer)
    }};
}

async fn ask_v1(h2: &H2, md: &MetadataMap, ask: &Ask) -> Result<Answer, Status> {
    reflect!(v1, h2.channel.clone(), md, ask)
}

async fn ask_v1alpha(h2: &H2, md: &MetadataMap, ask: &Ask) -> Result<Answer, Status> {
    reflect!(v1alpha, h2.channel.clone(), md, ask)
}

/// Runs one call within the channel's deadline; `call` names it when it is not answered.
async fn deadline<T>(
    h2: &H2,
    call: &'static str,
    work: impl std::future::Future<Output = Result<T, Status>>,
) -> Result<Result<T, Status>, ProbeError> {
    tokio::time::timeout(h2.rpc_timeout, work).await.map_err(|_| ProbeError::RpcTimeout {
        addr: h2.diag.addr.clone(),
        call,
        secs: h2.rpc_timeout.as_secs_f64(),
    })
}

/// Asks v1, then v1alpha if v1 is Unimplemented.
async fn ask(
    h2: &H2,
    headers: &Headers,
    ask: Ask,
) -> Result<(ReflectionVersion, Answer), ProbeError> {
    let md = headers.metadata().map_err(ProbeError::Header)?;
    let v1 = ReflectionVersion::V1.service();
    let v1alpha = ReflectionVersion::V1Alpha.service();
    let first = deadline(h2, v1, ask_v1(h2, &md, &ask)).await?;
    // What the server said is scrubbed next: the run's redactor is waited for without holding
    // up the runtime (see [`Redactor::made`]).
    headers.known.made().await;
    match first {
        Ok(answer) => Ok((ReflectionVersion::V1, answer)),
        Err(status) if status.code() == Code::Unimplemented && !is_transport(&status) => {
            match deadline(h2, v1alpha, ask_v1alpha(h2, &md, &ask)).await? {
                Ok(answer) => Ok((ReflectionVersion::V1Alpha, answer)),
                Err(status) if status.code() == Code::Unimplemented && !is_transport(&status) => {
                    Err(ProbeError::NoReflection { addr: h2.diag.addr.clone() })
                }
                Err(status) => Err(from_status(h2, headers, status)),
            }
        }
        Err(status) => Err(from_status(h2, headers, status)),
    }
}

/// The most names of a list (services, or a service's methods) that are read, in the order
/// the server sent them. An orchestrator lists about twenty services, and its services a few
/// methods each; a reflection answer may hold 4 MiB of names, which would take longer than
/// any deadline to read for credentials (the run cannot stop while it reads them).
pub const MAX_NAMES: usize = 1000;

/// A list a server gave through reflection.
#[derive(Debug, Clone)]
pub struct Listing {
    /// Which reflection version gave it.
    pub version: ReflectionVersion,
    /// The first [`MAX_NAMES`] names, as they may be shown ([`super::redact::shown_items`]),
    /// sorted, without repeats.
    pub names: Vec<String>,
    /// How many names the server sent.
    pub sent: usize,
}

impl Listing {
    /// The names sent after the first [`MAX_NAMES`], which were neither read nor shown.
    pub fn not_shown(&self) -> usize {
        self.sent.saturating_sub(MAX_NAMES)
    }

    fn of(version: ReflectionVersion, names: Vec<String>, headers: &Headers) -> Listing {
        let sent = names.len();
        // A server can spread a credential over its names, a piece in each: they are read
        // together, in the order sent.
        let first = &names[..sent.min(MAX_NAMES)];
        let mut names = super::redact::shown_items(first, &headers.redactor());
        names.sort();
        names.dedup();
        Listing { version, names, sent }
    }
}

/// The services, sorted, and which reflection version listed them.
pub async fn list_services(h2: &H2, headers: &Headers) -> Result<Listing, ProbeError> {
    let (version, answer) = ask(h2, headers, Ask::Services).await?;
    match answer {
        Answer::Services(services) => Ok(Listing::of(version, services, headers)),
        other => Err(unexpected(h2, headers, other)),
    }
}

/// The methods of `service`, as `package.Service.Method`, sorted.
pub async fn list_methods(
    h2: &H2,
    headers: &Headers,
    service: &str,
) -> Result<Listing, ProbeError> {
    let not_found =
        || ProbeError::ServiceNotFound { addr: h2.diag.addr.clone(), service: service.to_string() };
    let (version, answer) = match ask(h2, headers, Ask::Symbol(service.to_string())).await {
        Ok(found) => found,
        // Some servers (tonic's among them) answer an unknown symbol with a NotFound status.
        Err(ProbeError::Refused { code, .. }) if code == "NotFound" => return Err(not_found()),
        Err(err) => return Err(err),
    };
    let files = match answer {
        Answer::Files(files) => files,
        Answer::Error { code, .. } if code == Code::NotFound as i32 => return Err(not_found()),
        other => return Err(unexpected(h2, headers, other)),
    };
    for bytes in files {
        let file = prost_types::FileDescriptorProto::decode(bytes.as_slice()).map_err(|e| {
            ProbeError::BadAnswer { addr: h2.diag.addr.clone(), detail: e.to_string() }
        })?;
        let package = file.package.clone().unwrap_or_default();
        for svc in &file.service {
            let name = svc.name.clone().unwrap_or_default();
            let full = if package.is_empty() { name } else { format!("{package}.{name}") };
            if full == service {
                let methods: Vec<String> = svc
                    .method
                    .iter()
                    .map(|m| format!("{full}.{}", m.name.clone().unwrap_or_default()))
                    .collect();
                return Ok(Listing::of(version, methods, headers));
            }
        }
    }
    // The symbol exists but is not a service (a message, a method): grpcurl says the same.
    Err(not_found())
}

fn unexpected(h2: &H2, headers: &Headers, answer: Answer) -> ProbeError {
    let detail = match answer {
        Answer::Error { code, message } => format!(
            "reflection error {:?}: {}",
            Code::from_i32(code),
            super::redact::shown_text(&message, &headers.redactor())
        ),
        Answer::Nothing => "the reflection stream ended without an answer".to_string(),
        Answer::Services(_) | Answer::Files(_) => "an answer to another question".to_string(),
    };
    ProbeError::BadAnswer { addr: h2.diag.addr.clone(), detail }
}

/// `grpc.health.v1.Health/Check` for the whole server, without headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Health {
    Unknown,
    Serving,
    NotServing,
    ServiceUnknown,
}

impl Health {
    pub fn name(self) -> &'static str {
        match self {
            Health::Unknown => "UNKNOWN",
            Health::Serving => "SERVING",
            Health::NotServing => "NOT_SERVING",
            Health::ServiceUnknown => "SERVICE_UNKNOWN",
        }
    }
}

pub async fn health(h2: &H2) -> Result<Health, ProbeError> {
    use tonic_health::pb::health_check_response::ServingStatus;
    use tonic_health::pb::health_client::HealthClient;
    use tonic_health::pb::HealthCheckRequest;
    let mut client = HealthClient::new(h2.channel.clone());
    let request = HealthCheckRequest { service: String::new() };
    match deadline(h2, "grpc.health.v1.Health/Check", client.check(request)).await? {
        Ok(response) => Ok(match ServingStatus::try_from(response.into_inner().status) {
            Ok(ServingStatus::Serving) => Health::Serving,
            Ok(ServingStatus::NotServing) => Health::NotServing,
            Ok(ServingStatus::ServiceUnknown) => Health::ServiceUnknown,
            _ => Health::Unknown,
        }),
        Err(status) if status.code() == Code::Unimplemented && !is_transport(&status) => {
            Err(ProbeError::NoHealth { addr: h2.diag.addr.clone() })
        }
        Err(status) => Err(from_status(h2, &Headers::default(), status)),
    }
}

/// A status made on our side (the connection failed) rather than sent by the server.
fn is_transport(status: &Status) -> bool {
    std::error::Error::source(status).is_some()
        || status.message().starts_with("h2 protocol error")
        || status.message().starts_with("transport error")
}

fn from_status(h2: &H2, headers: &Headers, status: Status) -> ProbeError {
    if is_transport(&status) {
        return h2.diag.explain_transport(status.message());
    }
    ProbeError::Refused {
        addr: h2.diag.addr.clone(),
        refusal: Refusal::classify(status.code(), status.message()),
        code: format!("{:?}", status.code()),
        // The server's own words, bounded and scrubbed of the headers' credentials.
        message: super::redact::shown_text(status.message(), &headers.redactor()),
        mspid: headers.mspid.clone(),
        channel: headers.channel.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_parsing() {
        assert_eq!(Headers::parse_one("MSPID: ingen"), Ok(("mspid".into(), "ingen".into())));
        assert_eq!(Headers::parse_one("x:a:b"), Ok(("x".into(), "a:b".into())));
        assert!(Headers::parse_one("novalue").is_err());
        assert!(Headers::parse_one(": v").is_err());
        let typo =
            Headers::parse_one("Authorization Bearer Zq7Kp2Lm9X").map(|_| ()).expect_err("refused");
        assert_eq!(
            typo.to_string(),
            "header \"Authorization…\" (value hidden) is not 'name: value'"
        );
        let bare = Headers::parse_one("Zq7Kp2Lm9Xabcdef").map(|_| ()).expect_err("refused");
        assert_eq!(bare.to_string(), "header …(value hidden) is not 'name: value'");
        let bad = Headers { extra: vec![("a b".into(), "v".into())], ..Headers::default() };
        assert!(matches!(bad.metadata(), Err(HeaderError::Name(_))));
        // `-H "Bearer Zq7Kp2Lm9Xabcdef: x"`: the token is in the name, which is not shown.
        let typo = Headers {
            extra: vec![("bearer zq7kp2lm9xabcdef".into(), "x".into())],
            ..Headers::default()
        };
        let e = typo.metadata().expect_err("not a name").to_string();
        assert!(!e.contains("Zq7Kp2") && !e.to_lowercase().contains("zq7kp2"), "{e}");
        let bin = Headers { extra: vec![("x-bin".into(), "v".into())], ..Headers::default() };
        assert!(matches!(bin.metadata(), Err(HeaderError::Binary(_))));
    }

    #[test]
    fn substra_headers_are_sent() {
        let h = Headers {
            mspid: Some("ingen".into()),
            channel: Some("our-channel".into()),
            extra: vec![("x-a".into(), "1".into())],
            ..Headers::default()
        };
        let md = h.metadata().expect("metadata");
        assert_eq!(md.get("mspid").and_then(|v| v.to_str().ok()), Some("ingen"));
        assert_eq!(md.get("channel").and_then(|v| v.to_str().ok()), Some("our-channel"));
        assert_eq!(md.get("x-a").and_then(|v| v.to_str().ok()), Some("1"));
    }
}

//! HTTP probes of Substra backends: `GET /info/` without credentials (does the address
//! answer?) and `GET /model/?page_size=1` with an organization's outgoing credentials (does the
//! other side accept them?).
//!
//! Every request is bounded by one timeout. A failure is reduced to a short kind
//! (`connection refused`, `tls: unknown issuer`, ...) that fits in a table cell; no error text
//! ever carries the password, which travels only in the `Authorization` header.

use std::sync::Arc;
use std::time::Duration;
use tokio::time::error::Elapsed;

use super::redact::{
    kinds_only, redirect_target, shown_media_type, shown_text, shown_url, Redactor,
};

/// How the probes reach backends.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Bound of each request, from connecting to the end of the response headers.
    pub timeout: Duration,
    /// PEM certificates trusted instead of the system's roots.
    pub cacert_pem: Option<Vec<u8>>,
    /// Do not verify certificates at all.
    pub insecure: bool,
}

/// The settings could not be turned into a client (a bad --cacert file).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpSetupError(String);

/// The outcome of one request: the status code, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Status(u16),
    /// 429, with the wait the server asked for in `Retry-After` (seconds; an HTTP date is not
    /// read).
    Throttled {
        retry_after: Option<Duration>,
    },
    /// A 3xx answer, which is not followed: the credentials are never sent elsewhere, and what
    /// another origin answers says nothing about this one. `location` says where it leads in a
    /// closed form ([`redirect_target`]): its host, path and query are the server's to fill.
    Redirect {
        status: u16,
        location: Option<String>,
    },
    /// A 2xx answer to `/model/` that is not the backend's page of models (`{"count": ...,
    /// "results": [...]}`): a catch-all ingress or a default web page, which proves nothing
    /// about the credentials. `content_type`: the media type in a closed form
    /// ([`shown_media_type`]).
    NotBackend {
        status: u16,
        content_type: String,
    },
    Failed(Failure),
}

/// The most of a `/model/?page_size=1` answer that is read: a page of one model is far smaller.
const MAX_PAGE_BYTES: usize = 256 * 1024;

/// Why a request got no status code, as short as a table cell allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Refused,
    NoSuchHost,
    Dns(String),
    Timeout(Duration),
    /// The connection itself was not made in time (shown as [`Failure::Timeout`] is; python
    /// `requests` words it differently).
    ConnectTimeout(Duration),
    TlsUnknownIssuer,
    TlsNameMismatch,
    TlsExpired,
    /// The server does not speak TLS (an `https://` address on a plaintext port).
    TlsNotTls,
    Tls(String),
    Reset,
    /// The server closed the connection without an answer.
    Closed,
    /// The address is not a usable URL.
    BadAddress(String),
    /// The credentials hold a character outside latin-1, which the backend's client cannot
    /// encode: they were not sent.
    NotLatin1,
    /// This process has no file left for the connection (`--concurrency` against `ulimit -n`).
    OpenFiles,
    Other(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Refused => f.write_str("connection refused"),
            Failure::NoSuchHost => f.write_str("dns: no such host"),
            Failure::Dns(m) => write!(f, "dns: {m}"),
            Failure::Timeout(t) | Failure::ConnectTimeout(t) => {
                write!(f, "timeout after {}s", super::shown_secs(t.as_secs_f64()))
            }
            Failure::TlsUnknownIssuer => f.write_str("tls: unknown issuer"),
            Failure::TlsNameMismatch => f.write_str("tls: name mismatch"),
            Failure::TlsExpired => f.write_str("tls: certificate expired"),
            Failure::TlsNotTls => f.write_str("tls: the server does not speak TLS"),
            Failure::Tls(m) => write!(f, "tls: {m}"),
            Failure::Reset => f.write_str("connection reset"),
            Failure::Closed => f.write_str("connection closed without an answer"),
            Failure::BadAddress(m) => write!(f, "bad address: {m}"),
            Failure::NotLatin1 => f.write_str("not sent: the credentials are not latin-1"),
            Failure::OpenFiles => f.write_str("not sent: substractl has too many open files"),
            Failure::Other(m) => f.write_str(m),
        }
    }
}

/// How much later than reqwest's own deadline the outer one falls.
const OUTER_MARGIN: Duration = Duration::from_millis(100);

/// Why `address` cannot be a backend's address (what `server.defaultDomain` announces and
/// other backends call), or None: an http or https URL naming one host, with a port from 1 to
/// 65535, and no user name or password, query, fragment, blank or control character (the
/// backends would send a user name to the host, and `/model/` would land in the query).
pub fn address_problem(address: &str) -> Option<String> {
    if let Some(c) = address.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Some(format!("it holds {c:?}: an address has no blank or control character"));
    }
    let lower = address.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("http://").or_else(|| lower.strip_prefix("https://"))
    else {
        return Some("it does not start with http:// or https://".into());
    };
    if address.contains(['?', '#']) {
        return Some(
            "it has a query or a fragment (? or #): a backend's address has neither".into(),
        );
    }
    let authority = rest.split('/').next().unwrap_or(rest);
    if authority.contains('@') {
        return Some(
            "it has a user name (before @): no credentials go in an address, and the backends \
             would send them to the host"
                .into(),
        );
    }
    match reqwest::Url::parse(address) {
        Err(e) => Some(format!("it is not a URL ({e})")),
        // As the URL is read (`http:///user:pw@host` is read with credentials too).
        Ok(url) if !url.username().is_empty() || url.password().is_some() => Some(
            "it has a user name (before @): no credentials go in an address, and the backends \
             would send them to the host"
                .into(),
        ),
        Ok(url) if url.host_str().is_none_or(str::is_empty) => Some("it names no host".into()),
        Ok(url) if url.port() == Some(0) => Some("port 0 is not a port".into()),
        // An IPv6 literal is written in brackets.
        Ok(url) => match url.host_str() {
            Some(host) if !host.starts_with('[') && !crate::probe::addr::is_host_name(host) => {
                Some(format!(
                    "its host {host:?} is not a host name (letters, digits, '-', '.' and '_'): \
                     a wildcard or a sign is no host to call"
                ))
            }
            _ => None,
        },
    }
}

/// Basic credentials and Substra's channel header for an authenticated request.
pub struct Credentials<'a> {
    /// The caller's MSP ID.
    pub user: &'a str,
    /// The caller's outgoing secret for this server.
    pub password: &'a str,
    pub channel: &'a str,
}

/// A client for backends, shared by every probe of a run.
#[derive(Debug, Clone)]
pub struct Prober {
    client: reqwest::Client,
    timeout: Duration,
    redactor: Arc<Redactor>,
}

impl Prober {
    pub fn new(opts: &HttpOptions) -> Result<Prober, HttpSetupError> {
        let mut builder = reqwest::Client::builder()
            .timeout(opts.timeout)
            .connect_timeout(opts.timeout)
            .user_agent(concat!("substractl/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(64);
        if let Some(pem) = &opts.cacert_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| HttpSetupError(format!("not a PEM certificate: {e}")))?;
            if certs.is_empty() {
                return Err(HttpSetupError("holds no PEM certificate".into()));
            }
            builder = builder.tls_certs_only(certs);
        }
        if opts.insecure {
            builder = builder.tls_danger_accept_invalid_certs(true);
        }
        let client = builder.build().map_err(|e| HttpSetupError(chain_text(&e)))?;
        Ok(Prober { client, timeout: opts.timeout, redactor: Arc::new(Redactor::new()) })
    }

    /// Every credential of the run, kept out of every string a server sends back (a server can
    /// echo what another request of the run sent it). Built once for the run and shared by
    /// every request: a request never copies it.
    pub fn redacting(mut self, redactor: Arc<Redactor>) -> Prober {
        self.redactor = redactor;
        self
    }

    /// `GET {address}/info/` with no credentials, as the backend's own check does.
    pub async fn info(&self, address: &str) -> Outcome {
        let url = format!("{}/info/", address.trim_end_matches('/'));
        self.send(self.client.get(url), &self.scrub(None)).await
    }

    /// How the failures of one request are scrubbed: of the run's credentials, and of the
    /// ones it sent (`user`, `password`).
    fn scrub<'a>(&'a self, sent: Option<(&'a str, &'a str)>) -> Scrub<'a> {
        Scrub { run: &self.redactor, sent }
    }

    /// `GET {address}/model/?page_size=1` with HTTP Basic credentials and Substra's headers,
    /// as one backend calls another.
    /// The credentials are encoded in latin-1, as the backend's client encodes them; ones it
    /// could not encode are not sent.
    pub async fn model(&self, address: &str, creds: &Credentials<'_>) -> Outcome {
        let url = format!("{}/model/?page_size=1", address.trim_end_matches('/'));
        let Some(authorization) = basic_latin1(creds.user, creds.password) else {
            return Outcome::Failed(Failure::NotLatin1);
        };
        let Ok(mut authorization) = reqwest::header::HeaderValue::from_str(&authorization) else {
            return Outcome::Failed(Failure::NotLatin1);
        };
        authorization.set_sensitive(true);
        let request = self
            .client
            .get(url)
            .header(reqwest::header::AUTHORIZATION, authorization)
            .header("Accept", "application/json;version=0.0")
            .header("Substra-Channel-Name", creds.channel);
        self.send_expecting_page(request, &self.scrub(Some((creds.user, creds.password)))).await
    }

    /// [`Prober::send`], where a 2xx answer must be the backend's page of models.
    async fn send_expecting_page(
        &self,
        request: reqwest::RequestBuilder,
        redactor: &Scrub<'_>,
    ) -> Outcome {
        let sent = tokio::time::timeout(self.timeout + OUTER_MARGIN, request.send()).await;
        let response = match sent {
            Ok(Ok(response)) if response.status().is_success() => response,
            other => {
                if let Ok(Err(err)) = &other {
                    self.before_scrub(err).await;
                }
                return self.outcome(other, redactor);
            }
        };
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .map(|v| shown_media_type(v.as_bytes()))
            .unwrap_or_default();
        let body = tokio::time::timeout(self.timeout, bounded_body(response)).await;
        if let Ok(Err(err)) = &body {
            self.before_scrub(err).await;
        }
        match body {
            Ok(Ok(Some(body))) if is_page(&body) => Outcome::Status(status),
            Err(_) => Outcome::Failed(Failure::Timeout(self.timeout)),
            // A body cut short or late says nothing of what the server is.
            Ok(Err(err)) => Outcome::Failed(scrubbed(classify(&err, self.timeout), redactor)),
            Ok(Ok(_)) => Outcome::NotBackend { status, content_type },
        }
    }

    async fn send(&self, request: reqwest::RequestBuilder, redactor: &Scrub<'_>) -> Outcome {
        // reqwest's timeout covers the request; this one also covers anything around it, a
        // moment later, so that reqwest says first whether the connection or the answer was late.
        let sent = tokio::time::timeout(self.timeout + OUTER_MARGIN, request.send()).await;
        if let Ok(Err(err)) = &sent {
            self.before_scrub(err).await;
        }
        self.outcome(sent, redactor)
    }

    /// When the failure `err` carries text to scrub, waits for the run's redactor (see
    /// [`Redactor::made`]); a refused connection or a timeout carries none and never waits.
    async fn before_scrub(&self, err: &reqwest::Error) {
        let failure = classify(err, self.timeout);
        if matches!(
            failure,
            Failure::Dns(_) | Failure::Tls(_) | Failure::BadAddress(_) | Failure::Other(_)
        ) {
            self.redactor.made().await;
        }
    }

    fn outcome(
        &self,
        sent: Result<Result<reqwest::Response, reqwest::Error>, Elapsed>,
        redactor: &Scrub<'_>,
    ) -> Outcome {
        match sent {
            Err(_) => Outcome::Failed(Failure::Timeout(self.timeout)),
            Ok(Ok(response)) if response.status().is_redirection() => {
                let location = response
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                    .map(|l| match response.url().join(&l) {
                        Ok(url) => redirect_target(response.url(), &url),
                        Err(_) => "a URL substractl does not follow".to_string(),
                    });
                Outcome::Redirect { status: response.status().as_u16(), location }
            }
            Ok(Ok(response)) if response.status().as_u16() == 429 => {
                let retry_after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(retry_after);
                Outcome::Throttled { retry_after }
            }
            Ok(Ok(response)) => Outcome::Status(response.status().as_u16()),
            Ok(Err(err)) => Outcome::Failed(scrubbed(classify(&err, self.timeout), redactor)),
        }
    }
}

/// `Retry-After` as seconds or as an HTTP date (RFC 9110), at most a day; a number too large
/// for the clock reads as that day.
fn retry_after(value: &str) -> Option<Duration> {
    const DAY: u64 = 24 * 3600;
    let value = value.trim();
    let secs = if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        value.parse::<u64>().unwrap_or(DAY)
    } else {
        let at = httpdate::parse_http_date(value).ok()?;
        at.duration_since(std::time::SystemTime::now()).map_or(0, |d| d.as_secs())
    };
    Some(Duration::from_secs(secs.min(DAY)))
}

/// The body of an answer: None when it is longer than [`MAX_PAGE_BYTES`], the error when it
/// was cut short or late.
async fn bounded_body(mut response: reqwest::Response) -> Result<Option<Vec<u8>>, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_PAGE_BYTES {
            return Ok(None);
        }
    }
    Ok(Some(body))
}

/// Whether a body is Django REST framework's page of a list: a JSON object with `results`.
fn is_page(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .is_ok_and(|v| v.get("results").is_some_and(serde_json::Value::is_array))
}

/// `Basic base64(user:password)` with the text encoded in latin-1, as the backend's client
/// (python requests) encodes it; None when a character is outside latin-1.
pub fn basic_latin1(user: &str, password: &str) -> Option<String> {
    use base64::Engine;
    let bytes = latin1(&format!("{user}:{password}"))?;
    Some(format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(bytes)))
}

/// The latin-1 bytes of a text; None when a character is outside latin-1.
pub fn latin1(text: &str) -> Option<Vec<u8>> {
    text.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
}

/// The text of the exception python `requests` raises for a failure, as the backend's
/// `get_outgoing_organization` prints it in its table. `timeout` is the run's own. urllib3
/// puts an object's memory address in some of these texts, which changes from run to run;
/// it is printed as `0x0`.
pub fn python_exception(failure: &Failure, address: &str, timeout: Duration) -> String {
    let url = reqwest::Url::parse(address.trim()).ok();
    let https = url.as_ref().is_some_and(|u| u.scheme() == "https");
    let host = url.as_ref().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
    let port = url.as_ref().and_then(|u| u.port_or_known_default()).unwrap_or(80);
    let s = if https { "S" } else { "" };
    let pool = format!("HTTP{s}ConnectionPool(host='{host}', port={port})");
    let conn = format!("<urllib3.connection.HTTP{s}Connection object at 0x0>");
    let path = url.as_ref().map(|u| u.path().trim_end_matches('/').to_string()).unwrap_or_default();
    let max = |cause: String| {
        format!("{pool}: Max retries exceeded with url: {path}/info/ (Caused by {cause})")
    };
    let secs = {
        let t = timeout.as_secs_f64();
        if t.fract() == 0.0 {
            format!("{}", t as u64)
        } else {
            format!("{t}")
        }
    };
    match failure {
        Failure::Refused => max(format!(
            "NewConnectionError('{conn}: Failed to establish a new connection: [Errno 111] Connection refused')"
        )),
        Failure::NoSuchHost | Failure::Dns(_) => max(format!(
            "NameResolutionError(\"{conn}: Failed to resolve '{host}' ([Errno -2] Name or service not known)\")"
        )),
        Failure::Timeout(_) => format!("{pool}: Read timed out. (read timeout={secs})"),
        Failure::ConnectTimeout(_) => max(format!(
            "ConnectTimeoutError({conn}, 'Connection to {host} timed out. (connect timeout={secs})')"
        )),
        Failure::TlsUnknownIssuer => max("SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1000)'))".to_string()),
        Failure::TlsNameMismatch => max(format!("SSLError(SSLCertVerificationError(1, \"[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for '{host}'. (_ssl.c:1000)\"))")),
        Failure::TlsExpired => max("SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1000)'))".to_string()),
        Failure::TlsNotTls => max("SSLError(SSLError(1, '[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1000)'))".to_string()),
        Failure::Tls(m) => max(format!("SSLError({m:?})")),
        Failure::Reset => "('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))".to_string(),
        Failure::Closed => "('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))".to_string(),
        Failure::BadAddress(_) => {
            let target = format!("{}/info/", address.trim().trim_end_matches('/'));
            match &url {
                None if !address.contains("://") => format!(
                    "Invalid URL '{target}': No scheme supplied. Perhaps you meant https://{target}?"
                ),
                Some(u) if !matches!(u.scheme(), "http" | "https") => {
                    format!("No connection adapters were found for '{target}'")
                }
                _ => failure.to_string(),
            }
        }
        Failure::NotLatin1 | Failure::OpenFiles | Failure::Other(_) => failure.to_string(),
    }
}

/// What is kept out of the text of one request's failure: the run's credentials (shared by
/// every request of the run), and the credentials this request sent. The request's own are
/// looked for with a redactor of them alone, made only when a failure carries text: no request
/// does work in proportion to the run's credentials but the scrub of its own text.
struct Scrub<'a> {
    run: &'a Redactor,
    /// The user and password of the request's Basic credentials.
    sent: Option<(&'a str, &'a str)>,
}

impl Scrub<'_> {
    /// `text` from the network, bounded, without the run's credentials nor the request's.
    fn text(&self, text: &str) -> String {
        let own = self.sent.map(|(user, password)| {
            let mut own = Redactor::new();
            own.keep(user);
            own.basic(user, password);
            own.scrub(text)
        });
        shown_text(own.as_deref().unwrap_or(text), self.run)
    }
}

/// A failure whose text came from the network, with the credentials removed and its length
/// bounded.
fn scrubbed(failure: Failure, redactor: &Scrub<'_>) -> Failure {
    match failure {
        Failure::Dns(m) => Failure::Dns(redactor.text(&m)),
        Failure::Tls(m) => Failure::Tls(redactor.text(&m)),
        Failure::BadAddress(m) => Failure::BadAddress(redactor.text(&m)),
        Failure::Other(m) => Failure::Other(redactor.text(&m)),
        other => other,
    }
}

/// The short kind of a failed request, found along the error's chain of causes.
fn classify(err: &reqwest::Error, timeout: Duration) -> Failure {
    if err.is_builder() {
        return Failure::BadAddress(
            err.url().map(|u| shown_url(u.as_str())).unwrap_or_else(|| "not a URL".into()),
        );
    }
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cause {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return tls_failure(tls);
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind as K;
            if super::out_of_files(io) {
                return Failure::OpenFiles;
            }
            match io.kind() {
                K::ConnectionRefused => return Failure::Refused,
                K::ConnectionReset | K::ConnectionAborted => return Failure::Reset,
                K::TimedOut => return timed_out(err, timeout),
                _ => {}
            }
            if let Some(inner) = io.get_ref() {
                if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
                    return tls_failure(tls);
                }
            }
        }
        let text = e.to_string();
        if let Some(tls) = tls_text(&text) {
            return tls;
        }
        if text.contains("failed to lookup address") || text.starts_with("dns error") {
            let detail = last_cause(e).unwrap_or(text);
            return if detail.contains("Name or service not known")
                || detail.contains("No address associated")
                || detail.contains("nodename nor servname")
                || detail.contains("not known")
            {
                Failure::NoSuchHost
            } else {
                Failure::Dns(detail)
            };
        }
        cause = e.source();
    }
    if err.is_timeout() {
        return timed_out(err, timeout);
    }
    let text = last_cause(err).unwrap_or_else(|| err.to_string());
    if text.contains("connection closed before message completed")
        || text.contains("IncompleteMessage")
    {
        return Failure::Closed;
    }
    Failure::Other(text)
}

fn timed_out(err: &reqwest::Error, timeout: Duration) -> Failure {
    if err.is_connect() {
        Failure::ConnectTimeout(timeout)
    } else {
        Failure::Timeout(timeout)
    }
}

fn tls_failure(err: &rustls::Error) -> Failure {
    use rustls::CertificateError as C;
    match err {
        rustls::Error::InvalidCertificate(c) => match c {
            C::UnknownIssuer => Failure::TlsUnknownIssuer,
            C::NotValidForName | C::NotValidForNameContext { .. } => Failure::TlsNameMismatch,
            C::Expired | C::ExpiredContext { .. } => Failure::TlsExpired,
            other => Failure::Tls(kinds_only(&format!("invalid certificate: {other:?}"))),
        },
        rustls::Error::InvalidMessage(_) => Failure::TlsNotTls,
        other => Failure::Tls(kinds_only(&other.to_string())),
    }
}

/// A TLS failure known only by its text (a cause that was turned into a string on the way).
fn tls_text(text: &str) -> Option<Failure> {
    if !text.contains("invalid peer certificate") {
        return None;
    }
    Some(if text.contains("UnknownIssuer") || text.contains("unknown issuer") {
        Failure::TlsUnknownIssuer
    } else if text.contains("not valid for name") || text.contains("NotValidForName") {
        Failure::TlsNameMismatch
    } else if text.contains("expired") || text.contains("Expired") {
        Failure::TlsExpired
    } else {
        Failure::Tls(kinds_only(text.trim_start_matches("invalid peer certificate: ")))
    })
}

/// The message of the innermost cause.
fn last_cause(err: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut last = None;
    let mut cause = err.source();
    while let Some(e) = cause {
        last = Some(e.to_string());
        cause = e.source();
    }
    last
}

fn chain_text(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(e) = cause {
        text.push_str(": ");
        text.push_str(&e.to_string());
        cause = e.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tls_error_is_told_by_its_kinds_never_by_the_bytes_it_carries() {
        // A server can put what it was sent (a pair secret) into a certificate's signature
        // algorithm: rustls carries those bytes in its error, and its text renders them as
        // numbers.
        let secret = b"Zq7Kp2LXm9XabcDEFgh";
        let err = rustls::Error::InvalidCertificate(
            rustls::CertificateError::UnsupportedSignatureAlgorithmContext {
                signature_algorithm_id: secret.to_vec(),
                supported_algorithms: Vec::new(),
            },
        );
        let decimals = secret.iter().map(u8::to_string).collect::<Vec<_>>().join(", ");
        assert!(format!("{err:?}").contains(&decimals) && err.to_string().contains(&decimals));
        let Failure::Tls(shown) = tls_failure(&err) else { panic!("a TLS failure") };
        assert_eq!(shown, "invalid certificate: unsupported signature algorithm context");
        let Some(Failure::Tls(shown)) = tls_text(&err.to_string()) else { panic!("a TLS failure") };
        assert_eq!(shown, "unsupported signature algorithm context");
    }

    #[test]
    fn an_address_carries_no_credentials_however_written() {
        for bad in [
            "http://u:pw@api.example:80",
            "http:///u:pw@api.example:80",
            "https:////u@api.example",
            "http://api.example/?token=x",
            "http://*.biotec.example.com",
            "https://a!b.example:443",
        ] {
            assert!(address_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(address_problem("https://api.ingen.example:443"), None);
    }

    #[test]
    fn basic_credentials_are_latin1() {
        // "é" is one byte in latin-1, two in UTF-8.
        assert_eq!(basic_latin1("ingen", "é").as_deref(), Some("Basic aW5nZW466Q=="));
        assert_eq!(basic_latin1("ingen", "€"), None);
    }

    #[test]
    fn a_failure_never_shows_the_credentials_its_request_sent() {
        // The run's redactor does not hold them (a prober made without its deployment's): the
        // request's own are still removed, the run's too.
        let mut run = Redactor::new();
        run.add("RunWideSecret0123456789");
        let scrub = Scrub { run: &run, sent: Some(("ingen", "S3cretIngenToBiotechnica0123")) };
        let header = basic_latin1("ingen", "S3cretIngenToBiotechnica0123").unwrap_or_default();
        let text =
            format!("error sending {header}: S3cretIngenToBiotechnica0123 RunWideSecret0123456789");
        let shown = scrub.text(&text);
        assert!(!shown.contains("S3cret") && !shown.contains("RunWide"), "{shown}");
        assert!(!shown.contains(&header[6..20]), "{shown}");
        assert!(shown.starts_with("error sending"), "{shown}");
    }

    /// A server on 127.0.0.1 that answers every request with `answer` after `after`.
    fn answering(answer: &'static [u8], after: Duration) -> String {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        let addr = listener.local_addr().expect("an address");
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                std::thread::spawn(move || {
                    let mut request = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !request.ends_with(b"\r\n\r\n") {
                        match stream.read(&mut buf) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                    }
                    std::thread::sleep(after);
                    let _ = stream.write_all(answer);
                });
            }
        });
        format!("http://{addr}")
    }

    #[test]
    fn a_probe_waiting_for_the_runs_redactor_holds_up_no_other_probe() {
        // The run's redactor takes 3 s to make; one server answers garbage at once (a failure
        // whose text is scrubbed), the other 401 after 300 ms, well within the 1 s timeout.
        let garbage = answering(b"garbage, not HTTP\r\n\r\n", Duration::ZERO);
        let slow = answering(
            b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            Duration::from_millis(300),
        );
        let run = Redactor::building(|| {
            std::thread::sleep(Duration::from_secs(3));
            Redactor::new()
        });
        let options =
            HttpOptions { timeout: Duration::from_secs(1), cacert_pem: None, insecure: false };
        let prober = Prober::new(&options).expect("a prober").redacting(Arc::new(run));
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
        let (first, second) = runtime
            .expect("a runtime")
            .block_on(async { tokio::join!(prober.info(&garbage), prober.info(&slow)) });
        assert!(matches!(first, Outcome::Failed(_)), "{first:?}");
        assert!(matches!(second, Outcome::Status(401)), "{second:?}");
        // A failure with no text to scrub (a refused connection) never waits for it.
        let run = Redactor::building(|| {
            std::thread::sleep(Duration::from_secs(3));
            Redactor::new()
        });
        let prober = Prober::new(&options).expect("a prober").redacting(Arc::new(run));
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
        let started = std::time::Instant::now();
        let refused = runtime.expect("a runtime").block_on(prober.info("http://127.0.0.1:1"));
        assert_eq!(refused, Outcome::Failed(Failure::Refused));
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    }

    #[test]
    fn python_texts_of_failures() {
        let t = Duration::from_secs(30);
        assert_eq!(
            python_exception(&Failure::Timeout(t), "http://10.0.0.7:8000", t),
            "HTTPConnectionPool(host='10.0.0.7', port=8000): Read timed out. (read timeout=30)"
        );
        assert_eq!(
            python_exception(&Failure::ConnectTimeout(t), "http://10.0.0.7", t),
            "HTTPConnectionPool(host='10.0.0.7', port=80): Max retries exceeded with url: /info/ (Caused by ConnectTimeoutError(<urllib3.connection.HTTPConnection object at 0x0>, 'Connection to 10.0.0.7 timed out. (connect timeout=30)'))"
        );
        assert_eq!(
            python_exception(&Failure::Refused, "https://api.tyrell.example", Duration::from_millis(1500)),
            "HTTPSConnectionPool(host='api.tyrell.example', port=443): Max retries exceeded with url: /info/ (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x0>: Failed to establish a new connection: [Errno 111] Connection refused'))"
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(retry_after("99999999999999999999"), Some(Duration::from_secs(24 * 3600)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2099 07:28:00 GMT"),
            Some(Duration::from_secs(24 * 3600))
        );
        assert_eq!(retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(retry_after("soon"), None);
    }

    #[test]
    fn failures_are_short_cells() {
        assert_eq!(Failure::Timeout(Duration::from_secs(10)).to_string(), "timeout after 10s");
        assert_eq!(Failure::Timeout(Duration::from_millis(500)).to_string(), "timeout after 0.5s");
        assert_eq!(Failure::NoSuchHost.to_string(), "dns: no such host");
        assert_eq!(Failure::TlsUnknownIssuer.to_string(), "tls: unknown issuer");
    }
}

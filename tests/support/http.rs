//! The HTTP test server, once: on 127.0.0.1, plaintext or TLS, behaving as a Substra backend
//! (`/info/` for anyone, `/model/` behind HTTP Basic) or failing as real deployments fail (a
//! status, silence, slowness); it records what it was asked.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::runtime;

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

#[derive(Clone)]
pub enum Behaviour {
    /// A backend: `/info/` answers 200; `/model/` answers 200 to these Basic credentials
    /// (user, password) and `reject` to anything else.
    Backend { incoming: Vec<(String, String)>, reject: u16 },
    /// Every path answers this status.
    Status(u16),
    /// Accepts, reads the request and never answers.
    Silent,
    /// Answers 200 after a delay.
    Slow(Duration),
    /// `/info/` answers 200; `/model/` answers 302 to this location, where `{auth}` is replaced
    /// by the Authorization header the request carried (a hostile backend).
    Redirect(String),
    /// Every path answers 200 with an HTML welcome page, whatever the credentials: a
    /// catch-all ingress.
    CatchAll,
    /// Every path answers this status with these header lines (`Name: value`, one a line) and
    /// an HTML page, the lines spelled out by [`echo`] from the Authorization header the
    /// request carried (a hostile backend).
    Answer { status: u16, headers: String },
}

/// `template` with the credentials a request carried put in, as a hostile server would echo
/// them: `{auth}` the Authorization header, `{secret}` the password it holds, `{spaced}`,
/// `{dashed}` and `{dotted}` the password in pieces of three joined by a blank, `-` or `.`,
/// `{pieces}` in pieces of ten joined by `/`, `{pct}` every byte of it percent-escaped,
/// `{b32}` its base32 in lower case without padding, `{hexz}` its hex with a `z` after every
/// seven characters, `{reversed}` the password backwards.
pub fn echo(template: &str, authorization: &str) -> String {
    use base64::Engine;
    let decoded = authorization
        .strip_prefix("Basic ")
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let secret = decoded.split_once(':').map(|(_, p)| p.to_string()).unwrap_or_default();
    let chunks = |n: usize, sep: &str| {
        secret
            .as_bytes()
            .chunks(n)
            .map(|c| String::from_utf8_lossy(c))
            .collect::<Vec<_>>()
            .join(sep)
    };
    template
        .replace("{auth}", authorization)
        .replace("{secret}", &secret)
        .replace("{spaced}", &chunks(3, " "))
        .replace("{dashed}", &chunks(3, "-"))
        .replace("{dotted}", &chunks(3, "."))
        .replace("{pieces}", &chunks(10, "/"))
        .replace("{pct}", &secret.bytes().map(|b| format!("%{b:02X}")).collect::<String>())
        .replace("{b32}", &base32(secret.as_bytes()).to_lowercase())
        .replace("{hexz}", &every(&hex::encode(&secret), 7, "z"))
        .replace("{reversed}", &secret.chars().rev().collect::<String>())
}

/// `text` with `sep` after every `n` characters.
pub fn every(text: &str, n: usize, sep: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(n).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(sep)
}

/// RFC 4648 base32 (A-Z, 2-7), without padding. Written here again rather than taken from
/// substractl's redactor, so that a mistake in the redactor's own spelling cannot hide a leak.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

pub struct Server {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }
}

pub fn serve(behaviour: Behaviour) -> Server {
    serve_with(behaviour, None)
}

pub fn serve_with(behaviour: Behaviour, tls: Option<Arc<rustls::ServerConfig>>) -> Server {
    let listener =
        runtime().block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind 127.0.0.1:0");
    serve_on(listener, behaviour, tls)
}

/// A backend on an address chosen beforehand (one that starts answering late).
pub fn serve_at(addr: SocketAddr, behaviour: Behaviour) -> Server {
    let listener = runtime().block_on(tokio::net::TcpListener::bind(addr)).expect("bind");
    serve_on(listener, behaviour, None)
}

fn serve_on(
    listener: tokio::net::TcpListener,
    behaviour: Behaviour,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> Server {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let addr = listener.local_addr().expect("addr");
    let record = seen.clone();
    runtime().spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let behaviour = behaviour.clone();
            let record = record.clone();
            let tls = tls.clone();
            tokio::spawn(async move {
                match tls {
                    None => handle(stream, behaviour, record).await,
                    Some(cfg) => {
                        let acceptor = tokio_rustls::TlsAcceptor::from(cfg);
                        if let Ok(stream) = acceptor.accept(stream).await {
                            handle(stream, behaviour, record).await;
                        }
                    }
                }
            });
        }
    });
    Server { addr, seen }
}

async fn handle<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
    mut stream: S,
    behaviour: Behaviour,
    record: Arc<Mutex<Vec<Seen>>>,
) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.len() > 64 * 1024 {
            return;
        }
    }
    let text = String::from_utf8_lossy(&buf).to_string();
    let mut lines = text.split("\r\n");
    let path = lines.next().unwrap_or("").split(' ').nth(1).unwrap_or("").to_string();
    let headers: Vec<(String, String)> = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let seen = Seen { path: path.clone(), headers };
    record.lock().expect("lock").push(seen.clone());
    let status = match behaviour {
        Behaviour::Silent => {
            tokio::time::sleep(Duration::from_secs(120)).await;
            return;
        }
        Behaviour::Slow(delay) => {
            tokio::time::sleep(delay).await;
            200
        }
        Behaviour::Status(code) => code,
        Behaviour::CatchAll => {
            let page = "<html><body><h1>Welcome to nginx!</h1></body></html>";
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
            return;
        }
        Behaviour::Answer { status, headers } => {
            let page = "<html><body>hello</body></html>";
            let headers = echo(&headers, seen.header("authorization").unwrap_or(""));
            let mut response = format!("HTTP/1.1 {status} X\r\n");
            for line in headers.lines() {
                response.push_str(line);
                response.push_str("\r\n");
            }
            response.push_str(&format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            ));
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
            return;
        }
        Behaviour::Redirect(to) if path.starts_with("/model/") => {
            let location = echo(&to, seen.header("authorization").unwrap_or(""));
            let response = format!(
                "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
            return;
        }
        Behaviour::Redirect(_) => 200,
        Behaviour::Backend { incoming, reject } => {
            if path.starts_with("/info/") {
                200
            } else if path.starts_with("/model/") {
                let accepted = incoming.iter().any(|(user, password)| {
                    let expected = format!(
                        "Basic {}",
                        substractl::kube::base64(format!("{user}:{password}").as_bytes())
                    );
                    seen.header("authorization") == Some(expected.as_str())
                });
                if accepted {
                    200
                } else {
                    reject
                }
            } else {
                404
            }
        }
    };
    // The backend's page of models, as Django REST framework writes it, for an accepted /model/.
    let body = if path.starts_with("/model/") && (200..300).contains(&status) {
        r#"{"count":0,"next":null,"previous":null,"results":[]}"#
    } else {
        "{}"
    };
    let response = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// A URL on 127.0.0.1 where nothing listens.
pub fn refused_url() -> String {
    format!("http://{}", super::grpc::closed_port())
}

/// A deployment of `n` organizations (`org01`...) made by init without TLS in `d`, and one
/// loopback server that accepts every backend's requests at once: the `--address` flags that
/// send each organization there.
pub fn deployment_behind_one_server(n: usize) -> (Server, crate::support::Output, Vec<String>) {
    let server = serve(Behaviour::Status(200));
    let orgs: Vec<String> = (1..=n).map(|i| format!("org{i:02}")).collect();
    let init = crate::support::Test::new()
        .args(["init"])
        .args(&orgs)
        .args(["--no-tls", "--yes", "--out", "d"])
        .status(0)
        .run();
    let addresses =
        orgs.iter().flat_map(|o| ["--address".into(), format!("{o}={}", server.url())]).collect();
    (server, init, addresses)
}

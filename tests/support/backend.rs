//! A loopback server that answers as the real substra-backend 1.0.1 does (SUBSTRA.md 9), for
//! the requests substractl sends:
//!
//! - `/info/` without credentials is throttled as DRF's `AnonRateThrottle` does: 40 a minute
//!   per client address, then 429 with `Retry-After` (the seconds until the oldest request of
//!   the window leaves it); throttled requests do not count. Authenticated requests are never
//!   throttled.
//! - `/model/` wants HTTP Basic credentials of an incoming organization: none gets 401
//!   `{"detail":"Authentication credentials were not provided."}`, wrong ones 401
//!   `{"detail":"Invalid username/password."}`, both with `WWW-Authenticate: Token`; accepted
//!   ones without `Substra-Channel-Name` get 400 `{"detail":"Could not determine channel
//!   name"}`, with any channel name 200.
//! - Basic credentials are decoded as DRF decodes them: UTF-8, else latin-1 (the backend's own
//!   client sends latin-1).

use std::collections::{HashMap, VecDeque};
use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;

/// The anonymous rate of the real backend: `40/minute`.
pub const ANON_RATE: usize = 40;
const WINDOW: Duration = Duration::from_secs(60);
const TOKEN: &str = "WWW-Authenticate: Token\r\n";

/// One request as the backend saw it, and its answer.
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    /// The raw `Authorization` header.
    pub authorization: Option<String>,
    pub channel: Option<String>,
    pub status: u16,
}

#[derive(Default)]
struct State {
    incoming: Vec<(String, String)>,
    anonymous: HashMap<IpAddr, VecDeque<Instant>>,
    seen: Vec<Request>,
}

pub struct Backend {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl Backend {
    /// A backend whose incoming organizations are these (MSP ID, secret) pairs.
    pub fn start(incoming: &[(&str, &str)]) -> Backend {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("addr");
        let state = Arc::new(Mutex::new(State::default()));
        let backend = Backend { addr, state: state.clone() };
        backend.set_incoming(incoming);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = state.clone();
                std::thread::spawn(move || handle(stream, &state));
            }
        });
        backend
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// What `helm upgrade` and the sync job would give the running backend.
    pub fn set_incoming(&self, incoming: &[(&str, &str)]) {
        self.lock().incoming =
            incoming.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect();
    }

    /// Spends the anonymous allowance of 127.0.0.1, as other clients behind the same address
    /// (or earlier checks) would have.
    pub fn spend_anonymous_allowance(&self) {
        let ip: IpAddr = [127, 0, 0, 1].into();
        let now = Instant::now();
        self.lock().anonymous.insert(ip, (0..ANON_RATE).map(|_| now).collect());
    }

    pub fn requests(&self) -> Vec<Request> {
        self.lock().seen.clone()
    }

    /// The requests that carried no credentials.
    pub fn anonymous(&self) -> Vec<Request> {
        self.requests().into_iter().filter(|r| r.authorization.is_none()).collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// `user:password` of a Basic header, decoded as DRF's BasicAuthentication does.
pub fn drf_basic(header: &str) -> Option<(String, String)> {
    let mut parts = header.split_whitespace();
    if !parts.next()?.eq_ignore_ascii_case("basic") {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD.decode(parts.next()?).ok()?;
    if parts.next().is_some() {
        return None;
    }
    let text = match String::from_utf8(bytes.clone()) {
        Ok(t) => t,
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    };
    let (user, password) = text.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

fn handle(mut stream: TcpStream, state: &Mutex<State>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let peer = stream.peer_addr().map(|a| a.ip()).unwrap_or([127, 0, 0, 1].into());
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.len() > 64 * 1024 {
            return;
        }
    }
    // Header values are bytes: a latin-1 text stays as it came.
    let text: String = buf.iter().map(|&b| char::from(b)).collect();
    let mut lines = text.split("\r\n");
    let path = lines.next().unwrap_or("").split(' ').nth(1).unwrap_or("").to_string();
    let headers: Vec<(String, String)> = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let authorization = header("authorization");
    let channel = header("substra-channel-name");

    let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
    let authenticated = authorization.as_deref().map(|h| {
        drf_basic(h).is_some_and(|(user, password)| {
            state.incoming.iter().any(|(u, p)| *u == user && *p == password)
        })
    });
    let (status, extra, body) = match authenticated {
        Some(false) => {
            (401, TOKEN.to_string(), r#"{"detail":"Invalid username/password."}"#.to_string())
        }
        _ if path.starts_with("/info/") => {
            if authenticated.is_none() {
                let now = Instant::now();
                let history = state.anonymous.entry(peer).or_default();
                while history.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
                    history.pop_front();
                }
                if history.len() >= ANON_RATE {
                    let oldest = history.front().copied().unwrap_or(now);
                    let wait = (WINDOW - now.duration_since(oldest)).as_secs_f64().ceil() as u64;
                    let body = format!(
                        r#"{{"detail":"Request was throttled. Expected available in {wait} seconds."}}"#
                    );
                    let extra = format!("Retry-After: {wait}\r\n");
                    respond(&mut stream, 429, &extra, &body);
                    state.seen.push(Request { path, authorization, channel, status: 429 });
                    return;
                }
                history.push_back(now);
            }
            (200, String::new(), r#"{"host":"http://backend.test","version":"1.0.1"}"#.to_string())
        }
        None if path.starts_with("/model/") => (
            401,
            TOKEN.to_string(),
            r#"{"detail":"Authentication credentials were not provided."}"#.to_string(),
        ),
        Some(true) if path.starts_with("/model/") => match &channel {
            None => {
                (400, String::new(), r#"{"detail":"Could not determine channel name"}"#.to_string())
            }
            Some(_) => (
                200,
                String::new(),
                r#"{"count":0,"next":null,"previous":null,"results":[]}"#.to_string(),
            ),
        },
        _ => (404, String::new(), r#"{"detail":"Not found."}"#.to_string()),
    };
    state.seen.push(Request { path, authorization, channel, status });
    drop(state);
    respond(&mut stream, status, &extra, &body);
}

fn respond(stream: &mut TcpStream, status: u16, extra: &str, body: &str) {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        _ => "X",
    };
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
}

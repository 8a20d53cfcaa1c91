//! Hostile peers: values files, a gRPC server, an HTTP server and a kubectl whose text is made to
//! erase or forge lines on a terminal (ESC and OSC sequences, BEL, C1 controls, carriage
//! returns, newlines, bidi overrides), and the assertions that none of it reaches the terminal.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::Path;

/// Erases the line, paints a forged `failure`, sets the window title, opens a hyperlink, turns
/// the text right to left, and starts a forged line of its own.
pub const PAYLOAD: &str = "x\x1b[2K\r\x1b[31mfailure\x1b[0m forged\x1b]0;owned\x07\u{9b}31m\
     \u{202e}evil\u{2066}\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\\u{90}dcs\u{9c}\x7f\
     \n  failure  forged-2";

/// The payload without whitespace, for names that may not hold any.
pub const WORD: &str = "x\x1b]0;owned\x07\x1b[2K\r\u{9b}31m\u{202e}evil\u{2066}\x7f";

/// A YAML double-quoted scalar holding `text` exactly (every character that is not printable
/// ASCII written as an escape, as YAML wants for C1 controls).
pub fn yaml_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c => out.push_str(&format!("\\u{:04x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Characters that act on a terminal instead of showing: controls other than the newline that
/// ends a line, and the invisible marks that reorder text.
fn acts_on_terminal(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// Asserts that `text` (a stream of substractl, printed as a table or as text) holds nothing that
/// acts on a terminal and that no line was forged; `colour` allows substractl's own colours.
pub fn assert_visible(what: &str, text: &str, colour: bool) {
    let text = if colour {
        regex::Regex::new("\x1b\\[[0-9;]*m").expect("regex").replace_all(text, "").into_owned()
    } else {
        text.to_string()
    };
    let raw: Vec<char> = text.chars().filter(|c| acts_on_terminal(*c)).collect();
    assert!(raw.is_empty(), "{what}: {raw:?} reached the terminal:\n{text}");
    for line in text.lines() {
        assert!(
            !line.trim_start().starts_with("failure  forged-2"),
            "{what}: a forged line:\n{text}"
        );
    }
}

/// Asserts that a JSON document on stdout is one valid document holding `exact` in one of its
/// strings, and that its bytes hold nothing that acts on a terminal.
pub fn assert_json_exact(what: &str, stdout: &str, exact: &str) {
    let doc: serde_json::Value =
        serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{what}: {e}:\n{stdout}"));
    let mut strings = Vec::new();
    collect_strings(&doc, &mut strings);
    assert!(
        strings.iter().any(|s| s.contains(exact)),
        "{what}: the exact text is not in the JSON:\n{stdout}"
    );
    let raw: Vec<char> = stdout.chars().filter(|c| acts_on_terminal(*c)).collect();
    assert!(raw.is_empty(), "{what}: {raw:?} written raw in the JSON:\n{stdout}");
}

fn collect_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| {
            out.push(k.clone());
            collect_strings(v, out);
        }),
        _ => {}
    }
}

/// An HTTP server on 127.0.0.1 that answers every request with hostile bytes where a server can
/// put them: the reason phrase, a redirect's Location, a header and the body (the escape byte
/// itself is not allowed in a status line or a header, so those carry C1 controls and bidi
/// overrides in UTF-8). `/info/` redirects, every other path answers 599.
pub fn http_server() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 65536 {
                    match stream.read(&mut chunk) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let request = String::from_utf8_lossy(&buf);
                let path = request.split(' ').nth(1).unwrap_or("");
                let c1 = "\u{9b}2K\u{202e}evil\u{2066}\u{85}";
                let body = PAYLOAD;
                let head = if path.starts_with("/info/") {
                    format!("HTTP/1.1 302 {c1}\r\nLocation: http://127.0.0.1:1/{c1}\r\n")
                } else {
                    format!("HTTP/1.1 599 {c1}\r\nX-Evil: {c1}\r\n")
                };
                let response = format!(
                    "{head}Content-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes());
            });
        }
    });
    addr
}

/// A kubectl first on PATH (the returned PATH) that prints `pods` for `get pod`, and for `exec`
/// prints `table` on stdout and `stderr` on stderr, exiting with `status`.
pub fn kubectl(dir: &Path, pods: &str, table: &str, stderr: &str, status: i32) -> String {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).expect("bin");
    std::fs::write(dir.join("pods"), pods).expect("pods");
    std::fs::write(dir.join("table"), table).expect("table");
    std::fs::write(dir.join("stderr"), stderr).expect("stderr");
    let script = format!(
        "#!/bin/sh\ncase \"$*\" in\n  *'get pod '*) cat '{d}/pods' ;;\n  *'exec '*) cat '{d}/table'; cat '{d}/stderr' >&2; exit {status} ;;\n  *) exit 1 ;;\nesac\n",
        d = dir.display()
    );
    let kubectl = bin.join("kubectl");
    std::fs::write(&kubectl, script).expect("script");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&kubectl, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default())
}

/// A plaintext gRPC server on 127.0.0.1 whose reflection lists a service named with [`WORD`]
/// (and one method named so too); with `refuse`, every call is refused with [`PAYLOAD`] as the
/// grpc-status message.
pub fn grpc_server(refuse: bool) -> SocketAddr {
    grpc_server_saying(refuse.then_some(|_: &str| PAYLOAD.to_string()))
}

/// [`grpc_server`], refusing every call with the grpc-status message `say` makes of the
/// `authorization` header the call carried (a hostile server echoing credentials).
pub fn grpc_server_saying(
    say: Option<impl Fn(&str) -> String + Clone + Send + Sync + 'static>,
) -> SocketAddr {
    use prost::Message as _;
    use prost_types::{
        DescriptorProto, FileDescriptorProto, FileDescriptorSet, MethodDescriptorProto,
        ServiceDescriptorProto,
    };
    let rt = super::runtime();
    let listener =
        rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("addr");
    let _guard = rt.enter();
    let file = FileDescriptorProto {
        name: Some("evil.proto".into()),
        package: Some("evil".into()),
        message_type: vec![DescriptorProto { name: Some("Empty".into()), ..Default::default() }],
        service: vec![ServiceDescriptorProto {
            name: Some(WORD.into()),
            method: vec![MethodDescriptorProto {
                name: Some(WORD.into()),
                input_type: Some(".evil.Empty".into()),
                output_type: Some(".evil.Empty".into()),
                ..Default::default()
            }],
            ..Default::default()
        }],
        syntax: Some("proto3".into()),
        ..Default::default()
    };
    let set: &'static [u8] =
        Box::leak(FileDescriptorSet { file: vec![file] }.encode_to_vec().into_boxed_slice());
    let reflection = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(tonic_reflection::pb::v1::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(set)
        .build_v1()
        .expect("reflection");
    #[allow(clippy::result_large_err)]
    let intercept = move |request: tonic::Request<()>| match &say {
        Some(say) => {
            let auth = request
                .metadata()
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            Err(tonic::Status::unknown(say(&auth)))
        }
        None => Ok(request),
    };
    let (_, health) = tonic_health::server::health_reporter();
    let router = tonic::transport::Server::builder()
        .add_service(tonic::service::interceptor::InterceptedService::new(
            health,
            intercept.clone(),
        ))
        .add_service(tonic::service::interceptor::InterceptedService::new(reflection, intercept));
    let incoming = tonic::transport::server::TcpIncoming::from(listener);
    rt.spawn(router.serve_with_incoming(incoming));
    addr
}

/// What [`reflection_saying`] answers a reflection request with.
pub enum Reflected {
    /// A reflection `ErrorResponse` (NotFound) with this message.
    Error(String),
    /// A list of services with these names, in this order.
    Services(Vec<String>),
}

/// A plaintext gRPC server on 127.0.0.1 with a health service and a reflection (v1) service
/// that answers every request with what `answer` makes of the `authorization` header the call
/// carried (a hostile server echoing credentials in its reflection answers).
pub fn reflection_saying(answer: impl Fn(&str) -> Reflected + Send + Sync + 'static) -> SocketAddr {
    use tonic_reflection::pb::v1 as pb;
    type Answers = std::pin::Pin<
        Box<
            dyn tokio_stream::Stream<Item = Result<pb::ServerReflectionResponse, tonic::Status>>
                + Send,
        >,
    >;
    struct Hostile<F>(F);
    #[tonic::async_trait]
    impl<F: Fn(&str) -> Reflected + Send + Sync + 'static>
        pb::server_reflection_server::ServerReflection for Hostile<F>
    {
        type ServerReflectionInfoStream = Answers;
        async fn server_reflection_info(
            &self,
            request: tonic::Request<tonic::Streaming<pb::ServerReflectionRequest>>,
        ) -> Result<tonic::Response<Answers>, tonic::Status> {
            use pb::server_reflection_response::MessageResponse;
            let auth = request
                .metadata()
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            let message = match (self.0)(&auth) {
                Reflected::Error(error_message) => {
                    MessageResponse::ErrorResponse(pb::ErrorResponse {
                        error_code: 5,
                        error_message,
                    })
                }
                Reflected::Services(names) => {
                    MessageResponse::ListServicesResponse(pb::ListServiceResponse {
                        service: names
                            .into_iter()
                            .map(|name| pb::ServiceResponse { name })
                            .collect(),
                    })
                }
            };
            let response = pb::ServerReflectionResponse {
                valid_host: String::new(),
                original_request: None,
                message_response: Some(message),
            };
            Ok(tonic::Response::new(Box::pin(tokio_stream::once(Ok(response)))))
        }
    }
    let rt = super::runtime();
    let listener =
        rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("addr");
    let _guard = rt.enter();
    let (_, health) = tonic_health::server::health_reporter();
    let router = tonic::transport::Server::builder()
        .add_service(health)
        .add_service(pb::server_reflection_server::ServerReflectionServer::new(Hostile(answer)));
    let incoming = tonic::transport::server::TcpIncoming::from(listener);
    rt.spawn(router.serve_with_incoming(incoming));
    addr
}

//! Server addresses as operators write them: `host:port`, a bare host, `[v6]:port` or a bare
//! IPv6 literal, with the default port of the transport (443 with TLS, 80 without).

use std::fmt;
use std::net::IpAddr;

/// A parsed `ADDR`: the host as given (without brackets) and the port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addr {
    pub host: String,
    pub port: u16,
}

/// Why an `ADDR` could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddrError {
    #[error("the address is empty")]
    Empty,
    #[error("{0:?} is a URL; the address is host:port")]
    Url(String),
    #[error("{addr:?} has an invalid port {port:?}: it must be a number from 1 to 65535")]
    Port { addr: String, port: String },
    #[error("{0:?} has no host before the port")]
    NoHost(String),
    #[error("{0:?} is not host:port; an IPv6 address with a port is written [ADDRESS]:PORT")]
    Ambiguous(String),
    #[error("{0:?} has an unclosed or invalid [IPv6] bracket")]
    Bracket(String),
    #[error("{0:?} holds a blank or a control character")]
    Blank(String),
    #[error("{addr:?}: {host:?} is not a host name (letters, digits, '-', '.' and '_') nor an IP address: a wildcard or a sign is no host to dial")]
    Host { addr: String, host: String },
}

/// A host name as a resolver takes it: ASCII letters, digits, `-`, `.` and `_` (an IPv4
/// literal is one too), not empty.
pub fn is_host_name(host: &str) -> bool {
    !host.is_empty()
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
}

/// 443 with TLS, 80 for plaintext: the ports of the orchestrator's ingress.
pub fn default_port(plaintext: bool) -> u16 {
    if plaintext {
        80
    } else {
        443
    }
}

impl Addr {
    /// Reads `host:port`, `host`, `[v6]:port`, `[v6]` or a bare IPv6 literal.
    pub fn parse(text: &str, default_port: u16) -> Result<Addr, AddrError> {
        if text.is_empty() {
            return Err(AddrError::Empty);
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(AddrError::Blank(text.to_string()));
        }
        if text.contains("://") || text.contains('/') {
            return Err(AddrError::Url(text.to_string()));
        }
        if let Some(rest) = text.strip_prefix('[') {
            let (inside, after) =
                rest.split_once(']').ok_or_else(|| AddrError::Bracket(text.into()))?;
            if inside.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(AddrError::Bracket(text.to_string()));
            }
            let port = match after {
                "" => default_port,
                _ => match after.strip_prefix(':') {
                    Some(port) => parse_port(text, port)?,
                    None => return Err(AddrError::Bracket(text.to_string())),
                },
            };
            return Ok(Addr { host: inside.to_string(), port });
        }
        match text.matches(':').count() {
            0 if !is_host_name(text) => {
                Err(AddrError::Host { addr: text.to_string(), host: text.to_string() })
            }
            0 => Ok(Addr { host: text.to_string(), port: default_port }),
            1 => {
                let (host, port) = text.split_once(':').ok_or(AddrError::Empty)?;
                if host.is_empty() {
                    return Err(AddrError::NoHost(text.to_string()));
                }
                let port = parse_port(text, port)?;
                if !is_host_name(host) {
                    return Err(AddrError::Host { addr: text.to_string(), host: host.to_string() });
                }
                Ok(Addr { host: host.to_string(), port })
            }
            _ => match text.parse::<std::net::Ipv6Addr>() {
                Ok(_) => Ok(Addr { host: text.to_string(), port: default_port }),
                Err(_) => Err(AddrError::Ambiguous(text.to_string())),
            },
        }
    }

    /// The host as an IP address, when it is a literal.
    pub fn ip(&self) -> Option<IpAddr> {
        self.host.parse().ok()
    }

    /// `host:port`, with brackets around an IPv6 literal: the HTTP/2 `:authority`.
    pub fn authority(&self) -> String {
        join_host_port(&self.host, self.port)
    }
}

impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.authority())
    }
}

/// `host:port`, bracketing IPv6 literals.
pub fn join_host_port(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

fn parse_port(addr: &str, port: &str) -> Result<u16, AddrError> {
    match port.parse::<u16>() {
        Ok(p) if p != 0 && port.bytes().all(|b| b.is_ascii_digit()) => Ok(p),
        _ => Err(AddrError::Port { addr: addr.to_string(), port: port.to_string() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Addr, AddrError> {
        Addr::parse(text, 443)
    }

    fn addr(host: &str, port: u16) -> Addr {
        Addr { host: host.to_string(), port }
    }

    #[test]
    fn host_and_port() {
        assert_eq!(
            parse("orchestrator.example.com:9000"),
            Ok(addr("orchestrator.example.com", 9000))
        );
        assert_eq!(parse("127.0.0.1:80"), Ok(addr("127.0.0.1", 80)));
    }

    #[test]
    fn bare_host_gets_the_default_port() {
        assert_eq!(parse("orchestrator.example.com"), Ok(addr("orchestrator.example.com", 443)));
        assert_eq!(Addr::parse("h", default_port(true)), Ok(addr("h", 80)));
    }

    #[test]
    fn ipv6_forms() {
        assert_eq!(parse("[::1]:9000"), Ok(addr("::1", 9000)));
        assert_eq!(parse("[::1]"), Ok(addr("::1", 443)));
        assert_eq!(parse("::1"), Ok(addr("::1", 443)));
        assert_eq!(parse("fe80::1:2"), Ok(addr("fe80::1:2", 443)));
        assert_eq!(addr("::1", 443).authority(), "[::1]:443");
        assert!(matches!(parse("[::1"), Err(AddrError::Bracket(_))));
        assert!(matches!(parse("[nothost]:1"), Err(AddrError::Bracket(_))));
        assert!(matches!(parse("a:b:c"), Err(AddrError::Ambiguous(_))));
    }

    #[test]
    fn bad_forms() {
        assert!(matches!(parse("https://orchestrator.example.com"), Err(AddrError::Url(_))));
        assert!(matches!(parse("host:0"), Err(AddrError::Port { .. })));
        assert!(matches!(parse("host:https"), Err(AddrError::Port { .. })));
        assert!(matches!(parse(":443"), Err(AddrError::NoHost(_))));
        assert!(matches!(parse(""), Err(AddrError::Empty)));
        // A blank anywhere, a sign before the port, a wildcard or another sign in the host.
        for blank in ["orchestrator example.com:443", "orch\tx:443", " 127.0.0.1:1", "h:1 "] {
            assert!(matches!(parse(blank), Err(AddrError::Blank(_))), "{blank:?}");
        }
        assert!(matches!(parse("127.0.0.1:+18977"), Err(AddrError::Port { .. })));
        for host in ["*.example.com:443", "*.example.com", "a!b:1", "h\u{e9}te:1"] {
            assert!(matches!(parse(host), Err(AddrError::Host { .. })), "{host:?}");
        }
        assert_eq!(parse("svc_grpc.ns:9000"), Ok(addr("svc_grpc.ns", 9000)));
    }
}

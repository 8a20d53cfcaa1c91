//! The names and uses a certificate is valid for, read one way for `certs verify` and for the
//! probes: its DNS and IP subject alternative names, how a wanted name matches them, and
//! whether its extendedKeyUsage allows server or client authentication.

use std::net::IpAddr;

use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;

/// The DNS and IP subject alternative names, in the certificate's order, as plain text
/// (`orchestrator.example`, `10.0.0.1`, `::1`). Other kinds of names are left out.
pub fn san_names(cert: &X509Certificate<'_>) -> Vec<String> {
    let Ok(Some(san)) = cert.subject_alternative_name() else { return Vec::new() };
    san.value
        .general_names
        .iter()
        .filter_map(|name| match name {
            GeneralName::DNSName(dns) => Some((*dns).to_string()),
            GeneralName::IPAddress(bytes) => ip_from_bytes(bytes).map(|ip| ip.to_string()),
            _ => None,
        })
        .collect()
}

fn ip_from_bytes(bytes: &[u8]) -> Option<IpAddr> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok().map(IpAddr::from),
        16 => <[u8; 16]>::try_from(bytes).ok().map(IpAddr::from),
        _ => None,
    }
}

/// Name matching as RFC 6125 has it: exact (case-insensitive, a final dot ignored) or `*.` for
/// one whole leftmost label; an IP address (bracketed or not) matches IP names only.
pub fn names_cover(names: &[String], wanted: &str) -> bool {
    let wanted = wanted.trim_start_matches('[').trim_end_matches(']').trim_end_matches('.');
    if let Ok(ip) = wanted.parse::<IpAddr>() {
        return names.iter().any(|n| n.parse::<IpAddr>().is_ok_and(|n| n == ip));
    }
    let wanted = wanted.to_ascii_lowercase();
    names.iter().any(|name| {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if name.parse::<IpAddr>().is_ok() {
            return false;
        }
        match name.strip_prefix("*.") {
            Some(suffix) => wanted
                .split_once('.')
                .is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
            None => name == wanted,
        }
    })
}

/// What the extendedKeyUsage allows: without the extension, every use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Usage {
    pub server_auth: bool,
    pub client_auth: bool,
    /// The extension is present (its absence allows every use).
    pub restricted: bool,
}

pub fn usage(cert: &X509Certificate<'_>) -> Usage {
    match cert.extended_key_usage() {
        Ok(Some(eku)) => {
            let e = eku.value;
            Usage {
                server_auth: e.server_auth || e.any,
                client_auth: e.client_auth || e.any,
                restricted: true,
            }
        }
        _ => Usage { server_auth: true, client_auth: true, restricted: false },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_cover_exact_wildcard_and_ip() {
        let n = names(&["orchestrator.example.com", "*.svc.example", "10.0.0.1", "::1"]);
        assert!(names_cover(&n, "Orchestrator.Example.com"));
        assert!(names_cover(&n, "orchestrator.example.com."));
        assert!(names_cover(&n, "a.svc.example"));
        assert!(!names_cover(&n, "a.b.svc.example"));
        assert!(!names_cover(&n, "svc.example"));
        assert!(names_cover(&n, "10.0.0.1"));
        assert!(names_cover(&n, "[::1]"));
        assert!(!names_cover(&n, "10.0.0.2"));
        assert!(!names_cover(&names(&["10.0.0.1"]), "host"));
        assert!(names_cover(&names(&["Orchestrator.Example.org."]), "orchestrator.example.org"));
    }
}

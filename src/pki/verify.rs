//! `certs verify`: is a certificate signed by the CA, valid now, valid for a host name and a
//! purpose, and the pair of a private key? Each answer is one [`Check`] naming its reason.

use std::path::Path;

use rcgen::KeyPair;
use rustls_pki_types::CertificateDer;
use serde::Serialize;
use time::OffsetDateTime;
use x509_parser::certificate::X509Certificate;

use super::inspect::{self, days_until, rfc3339};
use super::leaf::Name;
use super::{colon_hex, key_matches, parse, PkiError};

/// Fewer days left than this make the validity check a warning.
pub const WARN_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    Server,
    Client,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Warn,
    Fail,
}

/// One check: `name` is one of chain, validity, host, purpose, key.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub status: Status,
    pub detail: String,
}

fn check(name: &'static str, status: Status, detail: impl Into<String>) -> Check {
    Check { name, status, detail: detail.into() }
}

/// What to verify.
pub struct Request<'a> {
    pub ca_path: &'a Path,
    pub ca_certs: &'a [CertificateDer<'a>],
    pub cert_path: &'a Path,
    pub cert: &'a CertificateDer<'a>,
    pub host: Option<&'a Name>,
    pub purpose: Purpose,
    pub key: Option<&'a KeyPair>,
    pub now: OffsetDateTime,
}

/// Runs every check that applies. The certificate is valid when none fails.
pub fn verify(req: &Request<'_>) -> Result<Vec<Check>, PkiError> {
    let cert = parse(req.cert_path, req.cert)?;
    let cas = req.ca_certs.iter().map(|c| parse(req.ca_path, c)).collect::<Result<Vec<_>, _>>()?;
    let mut checks = vec![chain(&cert, &cas, req.now)];
    checks.push(validity(&cert, req.now));
    if let Some(host) = req.host {
        checks.push(host_check(&cert, host));
    }
    checks.push(purpose(&cert, req.purpose));
    if let Some(key) = req.key {
        checks.push(if key_matches(key, &cert) {
            check("key", Status::Ok, "the private key matches the certificate")
        } else {
            check(
                "key",
                Status::Fail,
                "the private key is not the pair of this certificate's public key",
            )
        });
    }
    Ok(checks)
}

fn chain(cert: &X509Certificate<'_>, cas: &[X509Certificate<'_>], now: OffsetDateTime) -> Check {
    let issuer = cert.issuer();
    let Some(ca) = cas.iter().find(|ca| ca.subject().as_raw() == issuer.as_raw()) else {
        let names: Vec<String> = cas.iter().map(|c| c.subject().to_string()).collect();
        return check(
            "chain",
            Status::Fail,
            format!("issued by \"{issuer}\", not by the CA given (\"{}\")", names.join("\", \"")),
        );
    };
    if !ca.is_ca() {
        return check(
            "chain",
            Status::Fail,
            format!("\"{}\" is not a CA (no basicConstraints CA:TRUE)", ca.subject()),
        );
    }
    if cert.verify_signature(Some(ca.public_key())).is_err() {
        return check(
            "chain",
            Status::Fail,
            format!("the signature does not verify with the key of \"{}\": another CA of the same name signed it", ca.subject()),
        );
    }
    if let (Some(aki), Some(ski)) = (inspect::authority_key_id(cert), inspect::subject_key_id(ca)) {
        if aki != ski {
            return check(
                "chain",
                Status::Fail,
                format!(
                    "authorityKeyIdentifier {} differs from the CA's subjectKeyIdentifier {}",
                    colon_hex(&aki),
                    colon_hex(&ski)
                ),
            );
        }
    }
    let ca_end = ca.validity().not_after.to_datetime();
    if ca_end < now {
        return check(
            "chain",
            Status::Fail,
            format!("the CA \"{}\" expired on {}", ca.subject(), rfc3339(ca_end)),
        );
    }
    if ca.validity().not_before.to_datetime() > now {
        return check(
            "chain",
            Status::Fail,
            format!("the CA \"{}\" is not valid yet", ca.subject()),
        );
    }
    check("chain", Status::Ok, format!("signed by \"{}\"", ca.subject()))
}

fn validity(cert: &X509Certificate<'_>, now: OffsetDateTime) -> Check {
    let start = cert.validity().not_before.to_datetime();
    let end = cert.validity().not_after.to_datetime();
    if now < start {
        return check("validity", Status::Fail, format!("not valid before {}", rfc3339(start)));
    }
    if now > end {
        return check("validity", Status::Fail, format!("expired on {}", rfc3339(end)));
    }
    let days = days_until(end, now);
    let detail = format!("valid until {} ({days} days left)", rfc3339(end));
    if days < WARN_DAYS {
        check("validity", Status::Warn, format!("{detail}: renew it soon"))
    } else {
        check("validity", Status::Ok, detail)
    }
}

/// Whether a SAN (as `DNS:x` / `IP:y`) covers the host; `*.` matches one whole first label.
fn covers(san: &str, host: &Name) -> bool {
    match host {
        Name::Ip(ip) => {
            san.strip_prefix("IP:").and_then(|a| a.parse::<std::net::IpAddr>().ok()) == Some(*ip)
        }
        Name::Dns(h) => {
            let Some(n) = san.strip_prefix("DNS:") else { return false };
            let n = n.trim_end_matches('.').to_ascii_lowercase();
            match n.strip_prefix("*.") {
                Some(rest) => {
                    h.split_once('.').is_some_and(|(first, tail)| !first.is_empty() && tail == rest)
                }
                None => n == *h,
            }
        }
    }
}

fn host_check(cert: &X509Certificate<'_>, host: &Name) -> Check {
    let sans = inspect::sans(cert);
    let shown = match host {
        Name::Dns(h) => h.clone(),
        Name::Ip(ip) => ip.to_string(),
    };
    if sans.is_empty() {
        return check(
            "host",
            Status::Fail,
            format!("no subjectAltName: clients ignore the common name, so no host name is valid (wanted {shown})"),
        );
    }
    if sans.iter().any(|s| covers(s, host)) {
        check("host", Status::Ok, format!("{shown} is in the subjectAltName"))
    } else {
        check(
            "host",
            Status::Fail,
            format!("{shown} is not in the subjectAltName ({})", sans.join(", ")),
        )
    }
}

fn purpose(cert: &X509Certificate<'_>, purpose: Purpose) -> Check {
    let (want, label) = match purpose {
        Purpose::Server => ("TLS Web Server Authentication", "serverAuth"),
        Purpose::Client => ("TLS Web Client Authentication", "clientAuth"),
    };
    let eku = inspect::extended_key_usage(cert);
    let ku = inspect::key_usage(cert);
    if !ku.is_empty()
        && !ku
            .iter()
            .any(|u| u == "Digital Signature" || u == "Key Encipherment" || u == "Key Agreement")
    {
        return check(
            "purpose",
            Status::Fail,
            format!("keyUsage ({}) does not allow TLS", ku.join(", ")),
        );
    }
    if eku.is_empty() {
        return check(
            "purpose",
            Status::Ok,
            format!("no extendedKeyUsage: any purpose, {label} included"),
        );
    }
    if eku.iter().any(|e| e == want || e == "Any Extended Key Usage") {
        check("purpose", Status::Ok, format!("extendedKeyUsage {label}"))
    } else {
        let hint = match purpose {
            Purpose::Server => " (a client certificate? check it with --client)",
            Purpose::Client => " (a server certificate? drop --client)",
        };
        check(
            "purpose",
            Status::Fail,
            format!("extendedKeyUsage lacks {label}: {}{hint}", eku.join(", ")),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_cover_one_label_only() {
        let h = |s: &str| Name::parse(s).expect("valid");
        assert!(covers("DNS:*.example.org", &h("a.example.org")));
        assert!(!covers("DNS:*.example.org", &h("a.b.example.org")));
        assert!(!covers("DNS:*.example.org", &h("example.org")));
        assert!(covers("DNS:Orchestrator.Example.org", &h("orchestrator.example.org")));
        assert!(covers("IP:127.0.0.1", &h("127.0.0.1")));
        assert!(!covers("DNS:127.0.0.1", &h("127.0.0.1")));
    }
}

//! The roster: the network as the orchestrator's owner vouches for it. The orchestrator's
//! address and TLS settings, its CA certificate, the channels and their members, and every
//! member's card, signed by the owner's identity. An organization that trusts the owner's
//! key (checked once by its fingerprint) trusts every card the roster carries.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;

use super::card::{check_word, Card};
use super::identity::{printable, Identity, Public};
use super::{
    check_msp_id, check_size, from_yaml, signed, travelled_text, ExchangeError, MAX_ROSTER_BYTES,
};
use crate::values::scalar;

pub const KIND: &str = "substractl-roster";

/// How backends reach the orchestrator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Orchestrator {
    /// host:port, when the owner knows it.
    pub address: Option<String>,
    pub tls: bool,
    pub mtls: bool,
    pub verify_client_msp_id: bool,
    /// The CA certificate (PEM) that signed the orchestrator's certificates.
    pub ca_certificate: Option<String>,
}

/// A channel and the MSP IDs it lists.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub name: String,
    #[serde(default)]
    pub organizations: Vec<String>,
}

/// A roster whose signature and cards were checked.
#[derive(Debug, Clone)]
pub struct Roster {
    /// Grows by one at each roster the owner issues: an older one is refused.
    pub serial: u64,
    pub owner: Public,
    pub orchestrator: Orchestrator,
    pub channels: Vec<Channel>,
    pub members: Vec<Card>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    kind: String,
    version: u32,
    serial: u64,
    owner: OwnerBody,
    #[serde(default)]
    orchestrator: Option<OrchestratorBody>,
    #[serde(default)]
    channels: Vec<Channel>,
    #[serde(default)]
    members: Vec<MemberBody>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnerBody {
    key: String,
    fingerprint: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct OrchestratorBody {
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    tls: bool,
    #[serde(default)]
    mtls: bool,
    #[serde(default, rename = "verifyClientMSPID")]
    verify_client_msp_id: bool,
    #[serde(default)]
    ca_certificate: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberBody {
    #[serde(rename = "mspID")]
    msp_id: String,
    card: String,
}

impl Roster {
    /// Signs the roster with the owner's identity (which must be `self.owner`).
    pub fn sign(&self, owner: &Identity) -> String {
        let o = &self.orchestrator;
        let mut body = format!(
            "# The roster of a Substra network, signed by the orchestrator's owner ({}).\n\
             # Public: every member gets it, and substractl checks it against the owner's key.\n\
             kind: {KIND}\n\
             version: 1\n\
             serial: {}\n\
             owner:\n  key: {}\n  fingerprint: {}\n\
             orchestrator:\n  address: {}\n  tls: {}\n  mtls: {}\n  verifyClientMSPID: {}\n",
            self.owner.fingerprint(),
            self.serial,
            self.owner.to_openssh(),
            self.owner.fingerprint(),
            o.address.as_deref().map_or("null".to_string(), scalar),
            o.tls,
            o.mtls,
            o.verify_client_msp_id,
        );
        if let Some(pem) = &o.ca_certificate {
            body.push_str("  caCertificate: |\n");
            body.push_str(&indent(pem, 4));
        }
        if self.channels.is_empty() {
            body.push_str("channels: []\n");
        } else {
            body.push_str("channels:\n");
        }
        for c in &self.channels {
            let orgs: Vec<String> = c.organizations.iter().map(|o| scalar(o)).collect();
            body.push_str(&format!(
                "  - name: {}\n    organizations: [{}]\n",
                scalar(&c.name),
                orgs.join(", ")
            ));
        }
        if self.members.is_empty() {
            body.push_str("members: []\n");
        } else {
            body.push_str("members:\n");
        }
        for m in &self.members {
            body.push_str(&format!("  - mspID: {}\n    card: |\n", scalar(&m.msp_id)));
            body.push_str(&indent(&m.text, 6));
        }
        signed::sign(&body, owner)
    }

    /// Reads a roster and checks it: signed by `owner` (the key this party trusts, or, the
    /// first time, the key whose fingerprint it was given), every card sound and unique.
    pub fn read(path: &Path, bytes: &[u8], owner: &Trust) -> Result<Roster, ExchangeError> {
        check_size(path, bytes, MAX_ROSTER_BYTES, "a roster")?;
        let text = travelled_text(path, bytes)?;
        let doc = signed::split(path, &text)?;
        let body: Body = from_yaml(path, doc.body)?;
        if body.kind != KIND || body.version != 1 {
            return Err(ExchangeError::new(
                path,
                format!(
                    "this is not a roster of substractl (kind {:?}, version {})",
                    printable(&body.kind),
                    body.version
                ),
            ));
        }
        let named = Public::parse(path, &body.owner.key)?;
        let trusted = match owner {
            Trust::Key(key) => key.clone(),
            Trust::Fingerprint(fp) => {
                if named.fingerprint() != *fp {
                    return Err(ExchangeError::new(
                        path,
                        format!(
                            "the roster names the owner key {}, not {fp}, the fingerprint you were given",
                            named.fingerprint()
                        ),
                    )
                    .hint("compare the fingerprint with the orchestrator's owner again, by another channel than the file"));
                }
                named.clone()
            }
        };
        doc.verify(path, &trusted, "the orchestrator's owner you trust")
            .map_err(|e| e.hint("take rosters only from the orchestrator's owner; if the owner's key really changed, check its new fingerprint with them and pass --owner-fingerprint"))?;
        if named != trusted || body.owner.fingerprint != trusted.fingerprint() {
            return Err(ExchangeError::new(
                path,
                "the roster's owner section does not name the key that signed it",
            ));
        }
        let orchestrator = match body.orchestrator {
            None => Orchestrator::default(),
            Some(o) => {
                if let Some(a) = &o.address {
                    check_address(path, "orchestrator.address", a)?;
                }
                if let Some(pem) = &o.ca_certificate {
                    certificates_only(path, pem).map_err(|e| {
                        ExchangeError::new(
                            path,
                            format!("orchestrator.caCertificate {}", e.message),
                        )
                    })?;
                }
                Orchestrator {
                    address: o.address,
                    tls: o.tls,
                    mtls: o.mtls,
                    verify_client_msp_id: o.verify_client_msp_id,
                    ca_certificate: o.ca_certificate,
                }
            }
        };
        for c in &body.channels {
            check_word(path, "channel", &c.name)?;
            for o in &c.organizations {
                check_msp_id(path, o)?;
            }
        }
        let mut members = Vec::with_capacity(body.members.len());
        let mut seen = BTreeSet::new();
        let mut keys = BTreeSet::new();
        for m in body.members {
            let card = Card::parse(path, &m.card).map_err(|e| {
                ExchangeError::new(
                    path,
                    format!("the card of {}: {}", printable(&m.msp_id), e.message),
                )
            })?;
            if card.msp_id != m.msp_id {
                return Err(ExchangeError::new(
                    path,
                    format!(
                        "the member {} carries the card of {}",
                        printable(&m.msp_id),
                        card.msp_id
                    ),
                ));
            }
            if !seen.insert(card.msp_id.clone()) {
                return Err(ExchangeError::new(path, format!("{} is a member twice", card.msp_id)));
            }
            if !keys.insert(card.key.fingerprint()) {
                return Err(ExchangeError::new(
                    path,
                    format!(
                        "{} has the key of another member ({})",
                        card.msp_id,
                        card.key.fingerprint()
                    ),
                ));
            }
            members.push(card);
        }
        Ok(Roster {
            serial: body.serial,
            owner: trusted,
            orchestrator,
            channels: body.channels,
            members,
        })
    }

    pub fn member(&self, msp_id: &str) -> Option<&Card> {
        self.members.iter().find(|m| m.msp_id == msp_id)
    }

    /// The members that share a channel with `msp_id`, itself included when it is in one, in
    /// the roster's order.
    pub fn partners(&self, msp_id: &str) -> Vec<&Card> {
        let mut wanted = BTreeSet::new();
        for c in self.channels.iter().filter(|c| c.organizations.iter().any(|o| o == msp_id)) {
            wanted.extend(c.organizations.iter().map(String::as_str));
        }
        self.members.iter().filter(|m| wanted.contains(m.msp_id.as_str())).collect()
    }

    /// The channels that list `msp_id`.
    pub fn channels_of(&self, msp_id: &str) -> Vec<&str> {
        self.channels
            .iter()
            .filter(|c| c.organizations.iter().any(|o| o == msp_id))
            .map(|c| c.name.as_str())
            .collect()
    }
}

/// Whom a party trusts to sign its rosters.
#[derive(Debug, Clone)]
pub enum Trust {
    /// The owner's key, remembered from an earlier roster.
    Key(Public),
    /// The first time: the owner's fingerprint, given by the user.
    Fingerprint(String),
}

/// Every line of `text` indented by `n` spaces (a YAML literal block's content).
fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    let mut out = String::with_capacity(text.len() + text.lines().count() * n);
    for line in text.lines() {
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// The most a roster's CA certificates may take: a chain of a few RSA certificates.
pub const MAX_CA_BYTES: usize = 64 << 10;

/// The orchestrator's address a roster carries: `host:port` (or a host), the host a DNS name
/// or an IP address; no user info, path, query or anything a member would dial otherwise.
pub fn check_address(path: &Path, what: &str, address: &str) -> Result<(), ExchangeError> {
    let bad = |why: String| {
        ExchangeError::new(path, format!("{what} {}: {why}", super::identity::printable(address)))
    };
    // Credentials are never shown, not even to say they are refused.
    if address.contains('@') {
        return Err(ExchangeError::new(
            path,
            format!("{what}: it has a user name (before @): no credentials go in a roster"),
        ));
    }
    check_word(path, what, address)?;
    let addr = crate::probe::addr::Addr::parse(address, 443).map_err(|e| bad(e.to_string()))?;
    match crate::pki::leaf::Name::parse(&addr.host) {
        Ok(crate::pki::leaf::Name::Dns(host)) if host.starts_with('*') => {
            Err(bad("a wildcard is no host to dial".into()))
        }
        Ok(_) => Ok(()),
        Err(e) => Err(bad(e.to_string())),
    }
}

/// The certificates of a PEM text, written again block by block (64 columns, `\n`): every
/// block must be a `CERTIFICATE` that parses, so that nothing else (a private key put in the
/// same file) travels in a roster; text between blocks is left out.
pub fn certificates_only(path: &Path, text: &str) -> Result<String, ExchangeError> {
    if text.len() > MAX_CA_BYTES {
        return Err(ExchangeError::new(
            path,
            format!("the CA certificates take over {} KiB", MAX_CA_BYTES >> 10),
        ));
    }
    let mut out = String::new();
    for block in x509_parser::pem::Pem::iter_from_buffer(text.as_bytes()) {
        let Ok(block) = block else {
            return Err(ExchangeError::new(path, "not PEM certificates"));
        };
        if block.label != "CERTIFICATE" {
            // The label only: the block itself may be a private key.
            return Err(ExchangeError::new(
                path,
                format!(
                    "holds a {} block: only certificates travel in a roster",
                    super::identity::printable(&block.label)
                ),
            ));
        }
        // The certificate and nothing after it in the block (bytes there could be anything).
        match x509_parser::parse_x509_certificate(&block.contents) {
            Ok(([], _)) => {}
            Ok(_) => {
                return Err(ExchangeError::new(
                    path,
                    "holds a CERTIFICATE block with bytes after the certificate",
                ))
            }
            Err(_) => {
                return Err(ExchangeError::new(path, "holds a certificate that does not parse"))
            }
        }
        out.push_str("-----BEGIN CERTIFICATE-----\n");
        let encoded = crate::kube::base64(&block.contents);
        for line in encoded.as_bytes().chunks(64) {
            out.push_str(&String::from_utf8_lossy(line));
            out.push('\n');
        }
        out.push_str("-----END CERTIFICATE-----\n");
    }
    if out.is_empty() {
        return Err(ExchangeError::new(path, "not a PEM certificate"));
    }
    if out.len() > MAX_CA_BYTES {
        return Err(ExchangeError::new(
            path,
            format!("the CA certificates take over {} KiB", MAX_CA_BYTES >> 10),
        ));
    }
    // A block not read as one (joined to the line of another's end) is not left out unsaid.
    if text.matches("-----BEGIN ").count() != out.matches("-----BEGIN ").count() {
        return Err(ExchangeError::new(
            path,
            "holds a PEM block that does not stand on lines of its own (two files joined without a line break?)",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_certificates_travel() {
        let key = rcgen::KeyPair::generate().expect("key");
        let params = rcgen::CertificateParams::new(vec!["orch.example".to_string()]).expect("p");
        let cert = params.self_signed(&key).expect("cert").pem();
        let p = Path::new("ca.pem");
        assert_eq!(certificates_only(p, &cert).expect("a certificate"), cert);
        // Text around the blocks (openssl's -text, CRLF) is left out.
        let around = format!("Certificate:\n  Data: ...\n{}\n", cert.replace('\n', "\r\n"));
        assert_eq!(certificates_only(p, &around).expect("a certificate"), cert);
        let two = certificates_only(p, &format!("{cert}{cert}")).expect("two");
        assert_eq!(two, format!("{cert}{cert}"));
        // A private key beside it: refused, and the message shows no byte of it.
        let bundle = format!("{cert}{}", key.serialize_pem());
        let e = certificates_only(p, &bundle).expect_err("a key");
        assert_eq!(e.message, "holds a PRIVATE KEY block: only certificates travel in a roster");
        assert!(certificates_only(p, "no PEM here").is_err());
        // Two joined without a line break: neither dropped unsaid.
        let joined = format!("{}{cert}", cert.trim_end());
        assert!(certificates_only(p, &joined).is_err());
        // Bytes after the certificate inside its block (a key's DER, say).
        let mut der = rcgen::CertificateParams::new(vec!["o.example".to_string()])
            .expect("p")
            .self_signed(&key)
            .expect("cert")
            .der()
            .to_vec();
        der.extend_from_slice(key.serialized_der());
        let trailing = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            crate::kube::base64(&der)
        );
        let e = certificates_only(p, &trailing).expect_err("trailing bytes");
        assert_eq!(e.message, "holds a CERTIFICATE block with bytes after the certificate");
        // Under the limit as given (one base64 line a certificate), over it as written again.
        let der = rcgen::CertificateParams::new(vec!["o.example".to_string()])
            .expect("p")
            .self_signed(&key)
            .expect("cert")
            .der()
            .to_vec();
        let one_line = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            crate::kube::base64(&der)
        );
        let wrapped = certificates_only(p, &one_line).expect("one");
        let n = MAX_CA_BYTES / wrapped.len() + 1;
        assert!(n * one_line.len() <= MAX_CA_BYTES && n * wrapped.len() > MAX_CA_BYTES);
        let e = certificates_only(p, &one_line.repeat(n)).expect_err("over the limit");
        assert_eq!(e.message, "the CA certificates take over 64 KiB");
        assert!(certificates_only(p, &"x".repeat(MAX_CA_BYTES + 1)).is_err());
    }

    #[test]
    fn the_orchestrator_is_a_host_and_a_port() {
        let p = Path::new("r.yaml");
        for good in ["orch.example:443", "orch.example", "10.0.0.1:7000", "[::1]:443"] {
            assert!(check_address(p, "a", good).is_ok(), "{good}");
        }
        for bad in [
            "https://orch.example:443",
            "admin:pw@orch.example:443",
            "pw@orch.example:443",
            "https://admin:pw@orch.example:443",
            "orch host:443",
            "",
            "*.example:443",
            "orch.example:0",
            "orch\u{fffe}:443",
        ] {
            assert!(check_address(p, "a", bad).is_err(), "{bad:?}");
        }
    }

    fn roster(owner: &Identity, members: Vec<Card>) -> Roster {
        Roster {
            serial: 1,
            owner: owner.public(),
            orchestrator: Orchestrator::default(),
            channels: vec![Channel {
                name: "c".into(),
                organizations: vec!["ingen".into(), "tyrell".into()],
            }],
            members,
        }
    }

    #[test]
    fn a_roster_reads_back_and_names_partners() {
        let owner = Identity::generate("o").expect("key");
        let ingen = Identity::generate("i").expect("key");
        let tyrell = Identity::generate("t").expect("key");
        let umbrella = Identity::generate("u").expect("key");
        let cards = vec![
            Card::make(&ingen, "ingen", "Ingen", "https://a.example", &["c".into()]),
            Card::make(&tyrell, "tyrell", "Tyrell", "https://t.example", &[]),
            Card::make(&umbrella, "umbrella", "Umbrella", "https://u.example", &[]),
        ];
        let text = roster(&owner, cards).sign(&owner);
        let p = Path::new("r");
        let back = Roster::read(p, text.as_bytes(), &Trust::Key(owner.public())).expect("read");
        let partners: Vec<&str> =
            back.partners("ingen").iter().map(|c| c.msp_id.as_str()).collect();
        assert_eq!(partners, ["ingen", "tyrell"]);
        assert!(back.partners("umbrella").is_empty());
        // The first time, the owner's fingerprint decides; a wrong one is refused.
        let fp = Trust::Fingerprint(owner.public().fingerprint());
        assert!(Roster::read(p, text.as_bytes(), &fp).is_ok());
        let wrong = Trust::Fingerprint(ingen.public().fingerprint());
        let err = Roster::read(p, text.as_bytes(), &wrong).expect_err("wrong fingerprint");
        assert!(err.message.contains("the fingerprint you were given"), "{err}");
    }

    #[test]
    fn a_member_twice_or_under_another_name_is_refused() {
        let owner = Identity::generate("o").expect("key");
        let ingen = Identity::generate("i").expect("key");
        let card = Card::make(&ingen, "ingen", "Ingen", "https://a.example", &[]);
        let p = Path::new("r");
        let twice = roster(&owner, vec![card.clone(), card.clone()]).sign(&owner);
        let err =
            Roster::read(p, twice.as_bytes(), &Trust::Key(owner.public())).expect_err("twice");
        assert!(err.message.contains("ingen is a member twice"), "{err}");
        let mut renamed = card.clone();
        renamed.msp_id = "tyrell".into();
        let text = roster(&owner, vec![renamed]).sign(&owner);
        let err =
            Roster::read(p, text.as_bytes(), &Trust::Key(owner.public())).expect_err("renamed");
        assert!(err.message.contains("the member tyrell carries the card of ingen"), "{err}");
        let other = Identity::generate("x").expect("key");
        let same_key = Card::make(&ingen, "tyrell", "Tyrell", "https://t.example", &[]);
        let text = roster(&owner, vec![card, same_key]).sign(&owner);
        let err = Roster::read(p, text.as_bytes(), &Trust::Key(owner.public())).expect_err("key");
        assert!(err.message.contains("has the key of another member"), "{err}");
        let err =
            Roster::read(p, text.as_bytes(), &Trust::Key(other.public())).expect_err("signer");
        assert!(err.message.contains("not by the orchestrator's owner you trust"), "{err}");
    }
}

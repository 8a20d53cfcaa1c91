//! A sealed pair secret: for "server serves client", the server makes the secret, keeps it in
//! its `incomingOrganizations`, and sends it to the client encrypted to the client's identity
//! (age, `ssh-ed25519` recipient) and signed by its own. The encrypted payload names the pair
//! and the sequence again, so that a payload moved under another signed header is refused.

use std::path::Path;

use serde::Deserialize;

use super::identity::{printable, Identity};
use super::roster::Roster;
use super::{
    check_msp_id, check_size, from_yaml, signed, travelled_text, ExchangeError, MAX_SMALL_BYTES,
};
use crate::mesh::{self, Secret};
use crate::values::scalar;

pub const KIND: &str = "substractl-sealed-pair-secret";

/// The signed header.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    kind: String,
    version: u32,
    server: String,
    client: String,
    sequence: u64,
    /// The fingerprint of the client's key the secret is encrypted to.
    recipient: String,
    sealed: String,
}

/// What a sealed file's signed header says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub server: String,
    pub client: String,
    pub sequence: u64,
    pub recipient: String,
}

impl Header {
    /// True when the file is sealed to this key.
    pub fn recipient_matches(&self, key: &super::identity::Public) -> bool {
        self.recipient == key.fingerprint()
    }
}

/// The header of a sealed file's body (the signature is the caller's to check).
pub fn header(path: &Path, body: &str) -> Result<Header, ExchangeError> {
    let body: Body = from_yaml(path, body)?;
    if body.kind != KIND || body.version != 1 {
        return Err(ExchangeError::new(
            path,
            format!(
                "this is not a sealed pair secret of substractl (kind {:?}, version {})",
                printable(&body.kind),
                body.version
            ),
        ));
    }
    Ok(Header {
        server: body.server,
        client: body.client,
        sequence: body.sequence,
        recipient: body.recipient,
    })
}

/// The encrypted payload.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Payload {
    server: String,
    client: String,
    sequence: u64,
    secret: String,
}

/// Seals `secret` for "server serves client": encrypted to the client's card, signed by the
/// server's identity.
pub fn seal(
    identity: &Identity,
    server: &str,
    client: &super::card::Card,
    sequence: u64,
    secret: &Secret,
) -> Result<String, String> {
    let payload = format!(
        "server: {}\nclient: {}\nsequence: {sequence}\nsecret: {}\n",
        scalar(server),
        scalar(&client.msp_id),
        scalar(secret.expose())
    );
    let armored = client.key.seal(payload.as_bytes())?;
    let mut body = format!(
        "# A pair secret sealed by substractl: {server} lets {client} log in with it.\n\
         # Only {client}'s identity opens it: {client} applies it with `substractl exchange open`.\n\
         kind: {KIND}\n\
         version: 1\n\
         server: {}\n\
         client: {}\n\
         sequence: {sequence}\n\
         recipient: {}\n\
         sealed: |\n",
        scalar(server),
        scalar(&client.msp_id),
        client.key.fingerprint(),
        client = client.msp_id,
    );
    for line in armored.lines() {
        body.push_str("  ");
        body.push_str(line);
        body.push('\n');
    }
    Ok(signed::sign(&body, identity))
}

/// A sealed file opened and checked.
#[derive(Debug)]
pub struct Opened {
    pub server: String,
    pub client: String,
    pub sequence: u64,
    pub secret: Secret,
}

/// Opens a sealed file addressed to `me`: the roster must pair its server with `me`, the
/// server's card in the roster must have signed it, and `identity` must open it.
pub fn open(
    path: &Path,
    bytes: &[u8],
    me: &str,
    identity: &Identity,
    roster: &Roster,
) -> Result<Opened, ExchangeError> {
    check_size(path, bytes, MAX_SMALL_BYTES, "a sealed pair secret")?;
    let text = travelled_text(path, bytes)?;
    let doc = signed::split(path, &text)?;
    let body: Body = from_yaml(path, doc.body)?;
    header(path, doc.body)?;
    check_msp_id(path, &body.server)?;
    check_msp_id(path, &body.client)?;
    if body.client != me {
        return Err(ExchangeError::new(
            path,
            format!("the sealed secret is addressed to {}, not to {me}", body.client),
        )
        .hint(
            "give each organization only the sealed files named sealed-*-for-<its MSP ID>.yaml",
        ));
    }
    let Some(server) = roster.member(&body.server) else {
        return Err(ExchangeError::new(
            path,
            format!(
                "{} is not a member of the roster: the roster does not list the pair {}/{me}",
                body.server, body.server
            ),
        )
        .hint("take the newest roster from the orchestrator's owner first"));
    };
    if !roster.partners(me).iter().any(|c| c.msp_id == body.server) || body.server == me {
        return Err(ExchangeError::new(
            path,
            format!("the roster does not list the pair {}/{me}: they share no channel", body.server),
        )
        .hint("ask the orchestrator's owner to put both organizations in a channel, then take the new roster"));
    }
    doc.verify(path, &server.key, &format!("{}'s identity in the roster", body.server))?;
    let plain = identity.open(path, &body.sealed)?;
    let plain = std::str::from_utf8(&plain)
        .map_err(|_| ExchangeError::new(path, "the sealed payload is not text"))?;
    let payload: Payload = from_yaml(path, plain)
        .map_err(|_| ExchangeError::new(path, "the sealed payload is not a pair secret"))?;
    if payload.server != body.server
        || payload.client != body.client
        || payload.sequence != body.sequence
    {
        return Err(ExchangeError::new(
            path,
            "the sealed payload names another pair or sequence than its signed header: it was moved from another file",
        ));
    }
    if let Some(problem) = mesh::unkept_secret(&payload.secret) {
        // A secret that link would replace is not applied either: a partner's weak secret
        // would otherwise guard the pair until someone runs link.
        return Err(ExchangeError::new(
            path,
            format!(
                "{} sealed a secret for {me} that link would replace ({problem}): it is not \
                 applied",
                body.server
            ),
        )
        .hint(
            "ask the sender to run substractl exchange seal again, which replaces such a \
             secret, and to send the new sealed file",
        ));
    }
    Ok(Opened {
        server: body.server,
        client: body.client,
        sequence: body.sequence,
        secret: Secret::from_existing(&payload.secret),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::card::Card;
    use crate::exchange::roster::{Channel, Orchestrator};

    #[test]
    fn a_payload_moved_under_another_header_is_refused() {
        let owner = Identity::generate("o").expect("key");
        let ingen = Identity::generate("i").expect("key");
        let bio = Identity::generate("b").expect("key");
        let bio_card = Card::make(&bio, "bio", "Bio", "https://b.example", &[]);
        let roster = Roster {
            serial: 1,
            owner: owner.public(),
            orchestrator: Orchestrator::default(),
            channels: vec![Channel {
                name: "c".into(),
                organizations: vec!["ingen".into(), "bio".into()],
            }],
            members: vec![
                Card::make(&ingen, "ingen", "Ingen", "https://i.example", &[]),
                bio_card.clone(),
            ],
        };
        let p = Path::new("s.yaml");
        let one = seal(&ingen, "ingen", &bio_card, 1, &Secret::generate()).expect("seal");
        let opened = open(p, one.as_bytes(), "bio", &bio, &roster).expect("open");
        assert_eq!((opened.server.as_str(), opened.sequence), ("ingen", 1));
        // Sequence 1's payload under a header saying 2, signed by its real sender.
        let two = seal(&ingen, "ingen", &bio_card, 2, &Secret::generate()).expect("seal");
        let block = |t: &str| {
            t[t.find("  -----BEGIN AGE").expect("age")..t.find("-----BEGIN SSH").expect("sig")]
                .to_string()
        };
        let body = signed::split(p, &two).expect("split").body.replace(&block(&two), &block(&one));
        let moved = signed::sign(&body, &ingen);
        let err = open(p, moved.as_bytes(), "bio", &bio, &roster).expect_err("moved");
        assert!(err.message.contains("moved from another file"), "{err}");
    }
}

//! An organization's card: who it is (MSP ID, name), where its backend answers
//! (`server.defaultDomain`), the channels it asks to join, and its public identity with the
//! fingerprint. Public; signed by the organization's own identity.

use std::path::Path;

use serde::Deserialize;

use super::identity::{Identity, Public};
use super::{
    check_msp_id, check_size, from_yaml, signed, travelled_text, ExchangeError, MAX_SMALL_BYTES,
};
use crate::values::scalar;

pub const KIND: &str = "substractl-card";

/// A card whose signature and fingerprint were checked.
#[derive(Debug, Clone)]
pub struct Card {
    pub msp_id: String,
    pub organization: String,
    pub address: String,
    pub channels: Vec<String>,
    pub key: Public,
    /// The signed text as read or written, which a roster carries whole.
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Body {
    kind: String,
    version: u32,
    #[serde(rename = "mspID")]
    msp_id: String,
    organization_name: String,
    address: String,
    #[serde(default)]
    channels: Vec<String>,
    key: String,
    fingerprint: String,
}

impl Card {
    /// Makes and signs the card of the organization holding `identity`.
    pub fn make(
        identity: &Identity,
        msp_id: &str,
        organization: &str,
        address: &str,
        channels: &[String],
    ) -> Card {
        let key = identity.public();
        let list: Vec<String> = channels.iter().map(|c| scalar(c)).collect();
        let body = format!(
            "# The card of {msp_id} in a Substra network: public. Send it to the orchestrator's owner,\n\
             # who admits it after comparing its fingerprint with {msp_id}'s administrator.\n\
             kind: {KIND}\n\
             version: 1\n\
             mspID: {}\n\
             organizationName: {}\n\
             address: {}\n\
             channels: [{}]\n\
             key: {}\n\
             fingerprint: {}\n",
            scalar(msp_id),
            scalar(organization),
            scalar(address),
            list.join(", "),
            key.to_openssh(),
            key.fingerprint(),
        );
        let text = signed::sign(&body, identity);
        Card {
            msp_id: msp_id.to_string(),
            organization: organization.to_string(),
            address: address.to_string(),
            channels: channels.to_vec(),
            key,
            text,
        }
    }

    /// Reads a card file and checks it: its own key signed it and the fingerprint is the key's.
    pub fn read(path: &Path, bytes: &[u8]) -> Result<Card, ExchangeError> {
        check_size(path, bytes, MAX_SMALL_BYTES, "a card")?;
        Card::parse(path, &travelled_text(path, bytes)?)
    }

    /// [`Card::read`] on a text (a card carried in a roster).
    pub fn parse(path: &Path, text: &str) -> Result<Card, ExchangeError> {
        let doc = signed::split(path, text)?;
        let body: Body = from_yaml(path, doc.body)?;
        if body.kind != KIND || body.version != 1 {
            return Err(ExchangeError::new(
                path,
                format!(
                    "this is not a card of substractl (kind {:?}, version {})",
                    body.kind, body.version
                ),
            ));
        }
        check_msp_id(path, &body.msp_id)?;
        for c in &body.channels {
            check_word(path, "channel", c)?;
        }
        check_text(path, "organizationName", &body.organization_name)?;
        check_text(path, "address", &body.address)?;
        // As `exchange identity` writes it: no credential, query or odd character rides in it.
        if let Some(why) = crate::probe::http::address_problem(&body.address) {
            return Err(ExchangeError::new(path, format!("the card's address: {why}")));
        }
        let key = Public::parse(path, &body.key)?;
        if key.fingerprint() != body.fingerprint {
            return Err(ExchangeError::new(
                path,
                format!(
                    "the card says its fingerprint is {}, but its key's is {}: the card was changed",
                    super::identity::printable(&body.fingerprint),
                    key.fingerprint()
                ),
            ));
        }
        doc.verify(path, &key, &format!("the key of the card ({})", body.msp_id))?;
        Ok(Card {
            msp_id: body.msp_id,
            organization: body.organization_name,
            address: body.address,
            channels: body.channels,
            key,
            text: text.to_string(),
        })
    }
}

/// A channel name: non-empty, no whitespace or control character.
pub(crate) fn check_word(path: &Path, what: &str, s: &str) -> Result<(), ExchangeError> {
    let odd = |c: char| c.is_whitespace() || c.is_control() || !crate::values::yaml_printable(c);
    if s.is_empty() || s.len() > 256 || s.chars().any(odd) {
        return Err(ExchangeError::new(
            path,
            format!(
                "{what} {:?} must be a non-empty word of printable characters, without whitespace",
                super::identity::printable(s)
            ),
        ));
    }
    Ok(())
}

/// A short line of text: no control character.
pub(crate) fn check_text(path: &Path, what: &str, s: &str) -> Result<(), ExchangeError> {
    if s.len() > 2048 || s.chars().any(|c| c.is_control() || !crate::values::yaml_printable(c)) {
        return Err(ExchangeError::new(path, format!("{what} must be one short line of text")));
    }
    Ok(())
}

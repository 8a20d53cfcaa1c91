//! What an organization remembers of the exchange between runs, in its own directory: the
//! owner key it trusts, the newest roster serial taken, and per partner the sequence of the
//! last sealed file made for it and of the last one applied from it, with a keyed digest of
//! what that sealed file holds. The digest is keyed with a value only the party's private
//! identity gives: it reveals nothing of the secret, yet the file is written 0600.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::identity::Public;
use super::{check_size, from_yaml, text_of, ExchangeError, MAX_ROSTER_BYTES};
use crate::values::scalar;

#[derive(Debug, Clone, Default)]
pub struct State {
    pub owner: Option<Public>,
    pub roster_serial: u64,
    /// Sequence of the last sealed file made for each client (this party serves it).
    pub sealed: BTreeMap<String, u64>,
    /// Keyed digest of the pair, sequence and secret of the last sealed file made for each
    /// client (see `Identity::keyed_digest`). Absent in the states written before substractl recorded it:
    /// then what the sealed file holds is unknown.
    pub sealed_digest: BTreeMap<String, String>,
    /// Sequence of the last sealed file applied from each server (it serves this party).
    pub applied: BTreeMap<String, u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Body {
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    roster_serial: u64,
    #[serde(default)]
    sealed: BTreeMap<String, u64>,
    #[serde(default)]
    sealed_digest: BTreeMap<String, String>,
    #[serde(default)]
    applied: BTreeMap<String, u64>,
}

impl State {
    pub fn read(path: &Path, bytes: Option<&[u8]>) -> Result<State, ExchangeError> {
        let Some(bytes) = bytes else { return Ok(State::default()) };
        check_size(path, bytes, MAX_ROSTER_BYTES, "the exchange's state")?;
        let body: Body = from_yaml(path, text_of(path, bytes)?)?;
        let owner = body.owner.as_deref().map(|k| Public::parse(path, k)).transpose()?;
        Ok(State {
            owner,
            roster_serial: body.roster_serial,
            sealed: body.sealed,
            sealed_digest: body.sealed_digest,
            applied: body.applied,
        })
    }

    pub fn render(&self) -> String {
        let mut text = String::from(
            "# What substractl remembers of the exchange for this directory: the owner's key it\n\
             # trusts, the sequence numbers of the sealed files made and applied, and a digest of\n\
             # what each sealed file made holds, keyed with the identity: it reveals no secret.\n",
        );
        if let Some(owner) = &self.owner {
            text.push_str(&format!("owner: {}\n", owner.to_openssh()));
        }
        text.push_str(&format!("rosterSerial: {}\n", self.roster_serial));
        for (name, map) in [("sealed", &self.sealed), ("applied", &self.applied)] {
            if map.is_empty() {
                text.push_str(&format!("{name}: {{}}\n"));
                continue;
            }
            text.push_str(&format!("{name}:\n"));
            for (org, n) in map {
                text.push_str(&format!("  {}: {n}\n", scalar(org)));
            }
        }
        if !self.sealed_digest.is_empty() {
            text.push_str("sealedDigest:\n");
            for (org, digest) in &self.sealed_digest {
                text.push_str(&format!("  {}: {}\n", scalar(org), scalar(digest)));
            }
        }
        text
    }
}

//! What an organization remembers of the exchange between runs, in its own directory: the
//! owner key it trusts, the newest roster serial taken, and per partner the sequence of the
//! last sealed file made for it and of the last one applied from it. Nothing secret.

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
            applied: body.applied,
        })
    }

    pub fn render(&self) -> String {
        let mut text = String::from(
            "# What substractl remembers of the exchange for this directory: the owner's key it\n\
             # trusts and the sequence numbers of the sealed files made and applied. Nothing secret.\n",
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
        text
    }
}

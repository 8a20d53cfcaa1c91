//! The reports of `exchange identity | admit | take | seal | open | status`: plain data,
//! rendered by `output::exchange`. They name files and fingerprints, never a secret.

use std::path::PathBuf;

use serde::Serialize;

pub use super::link::{FileReport, FileStatus};

/// What one command of the exchange did.
#[derive(Debug, Serialize)]
pub struct ExchangeReport {
    /// Nothing was written: `files` holds what would be, with diffs.
    pub dry_run: bool,
    /// The party of the directory: an MSP ID, or None for the orchestrator's owner.
    pub msp_id: Option<String>,
    /// The party's fingerprint (for `identity`), or the card's (for `admit`).
    pub fingerprint: Option<String>,
    /// The owner admitted the card of `msp_id` (`admit`).
    pub admitted: bool,
    /// The roster's serial, when a roster was read or written.
    pub roster_serial: Option<u64>,
    /// One line per pair decided or applied.
    pub pairs: Vec<PairLine>,
    pub files: Vec<FileReport>,
    pub next_steps: Vec<String>,
    /// Printed on stderr, not part of the JSON document.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

impl ExchangeReport {
    /// The report of a run that wrote `files`: every other field empty, for the command to set
    /// what it has to say.
    pub fn written(files: Vec<FileReport>, next_steps: Vec<String>) -> ExchangeReport {
        ExchangeReport {
            dry_run: false,
            msp_id: None,
            fingerprint: None,
            admitted: false,
            roster_serial: None,
            pairs: Vec::new(),
            files,
            next_steps,
            warnings: Vec::new(),
        }
    }
}

/// One ordered pair: `server` lets `client` in.
#[derive(Debug, Serialize)]
pub struct PairLine {
    pub server: String,
    pub client: String,
    /// created, kept, rotated, resealed, applied, unchanged
    pub action: String,
    pub sequence: Option<u64>,
    /// The sealed file written for the client, or read from the server.
    pub sealed_file: Option<PathBuf>,
}

/// `exchange status`: per partner of the roster, this side's entries and the sealed files.
#[derive(Debug, Serialize)]
pub struct StatusReport {
    pub msp_id: String,
    pub roster_serial: u64,
    pub partners: Vec<PartnerStatus>,
    pub ok: bool,
}

#[derive(Debug, Serialize)]
pub struct PartnerStatus {
    pub msp_id: String,
    /// This side's incomingOrganizations entry for the partner: I let it in.
    pub incoming: bool,
    /// This side's outgoingOrganizations entry for the partner: I can log in to it.
    pub outgoing: bool,
    /// Sequence of the last sealed file made for the partner.
    pub sealed: Option<u64>,
    /// Sequence of the last sealed file applied from the partner.
    pub applied: Option<u64>,
    /// What is still to do for this partner, in words.
    pub todo: Vec<String>,
}

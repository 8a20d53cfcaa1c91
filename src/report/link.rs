//! The reports of `link`, `unlink` and `check links`: plain data, rendered by `output::link`.

use std::path::PathBuf;

use serde::Serialize;

use crate::mesh::{Action, OrgLinks, PairPlan};

#[derive(Debug, Serialize)]
pub struct LinkReport {
    pub dry_run: bool,
    pub organizations: Vec<OrgReport>,
    pub pairs: Vec<PairReport>,
    pub files: Vec<FileReport>,
    pub channel: Option<String>,
    pub next_steps: Vec<String>,
    /// Printed on stderr, not part of the JSON document.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct OrgReport {
    pub name: String,
    pub msp_id: String,
    pub file: PathBuf,
}

/// One ordered pair: `server` accepts logins from `client` (both MSP IDs).
#[derive(Debug, Serialize)]
pub struct PairReport {
    pub server: String,
    pub client: String,
    pub action: Action,
    pub reason: Option<String>,
}

impl PairReport {
    /// The report of every pair decided among `links`.
    pub fn all(links: &[OrgLinks], plans: &[PairPlan]) -> Vec<PairReport> {
        plans
            .iter()
            .map(|p| PairReport {
                server: links[p.pair.server].msp_id.clone(),
                client: links[p.pair.client].msp_id.clone(),
                action: p.action,
                reason: p.reason.clone(),
            })
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileStatus {
    Created,
    Updated,
    Unchanged,
    WouldCreate,
    WouldUpdate,
}

impl FileStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FileStatus::Created => "created",
            FileStatus::Updated => "updated",
            FileStatus::Unchanged => "unchanged",
            FileStatus::WouldCreate => "would create",
            FileStatus::WouldUpdate => "would update",
        }
    }
}

#[derive(Debug, Serialize)]
pub struct FileReport {
    pub path: PathBuf,
    pub status: FileStatus,
    /// The file's mode after writing, as an octal string.
    #[serde(serialize_with = "mode_octal")]
    pub mode: Option<u32>,
    /// With --dry-run: the unified diff of the change, secrets masked.
    pub diff: Option<String>,
}

fn mode_octal<S: serde::Serializer>(mode: &Option<u32>, s: S) -> Result<S::Ok, S::Error> {
    match mode {
        Some(m) => s.serialize_str(&format!("{m:04o}")),
        None => s.serialize_none(),
    }
}

/// The result of `check links`.
#[derive(Debug, Serialize)]
pub struct CheckLinksReport {
    pub ok: bool,
    pub organizations: Vec<OrgReport>,
    pub pairs: Vec<PairCheck>,
    /// The command that repairs what is wrong.
    pub fix: Option<String>,
    /// In an organization's directory of the exchange: each partner of its roster.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange: Option<super::exchange::StatusReport>,
}

/// One ordered pair: `server` accepts logins from `client` (both MSP IDs).
#[derive(Debug, Serialize)]
pub struct PairCheck {
    pub server: String,
    pub client: String,
    pub ok: bool,
    /// False for a pair that neither side lists: not a problem (it may have been unlinked on
    /// purpose), only not linked.
    pub linked: bool,
    pub problem: Option<String>,
    /// Why the pair was not checked: a side's credentials are in a Secret manifest that is
    /// not in the directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
}

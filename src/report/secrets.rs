//! What `secrets move` reports: each organization's Secret and the files written.

use std::path::PathBuf;

use serde::Serialize;

use super::link::FileReport;

#[derive(Debug, Serialize)]
pub struct MoveReport {
    pub dry_run: bool,
    pub organizations: Vec<MovedOrg>,
    pub files: Vec<FileReport>,
    pub next_steps: Vec<String>,
}

/// One organization: where its credentials are now (never what they are).
#[derive(Debug, Serialize)]
pub struct MovedOrg {
    pub name: String,
    pub values: PathBuf,
    pub manifest: PathBuf,
    pub secret: String,
    pub namespace: Option<String>,
    /// How many entries moved: users, incoming and outgoing organizations.
    pub users: usize,
    pub incoming: usize,
    pub outgoing: usize,
    /// The values file named the Secret already and held no list: nothing to move.
    pub already: bool,
}

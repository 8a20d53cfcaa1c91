//! The report of `substractl init`: plain data, rendered by `output::init`.

use std::path::PathBuf;

use serde::Serialize;

use super::link::{FileReport, PairReport};

#[derive(Debug, Serialize)]
pub struct InitReport {
    pub out: PathBuf,
    pub dry_run: bool,
    pub organizations: Vec<InitOrg>,
    pub channels: Vec<String>,
    pub orchestrator_host: String,
    pub tls: bool,
    pub mtls: bool,
    /// `created` or `reused`; none without TLS.
    pub ca: Option<&'static str>,
    pub pairs: Vec<PairReport>,
    pub files: Vec<FileReport>,
    /// The commands of NEXT-STEPS.md, in order.
    pub next_steps: Vec<String>,
    /// Values kept as the files have them that differ from what init would have written.
    pub kept: Vec<KeptValue>,
    /// Printed on stderr, not part of the JSON document.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct InitOrg {
    pub name: String,
    pub msp_id: String,
    pub file: PathBuf,
    /// New in this run (its values file did not exist).
    pub added: bool,
    pub context: String,
    pub namespace: String,
}

/// A value of a file that init kept, as an operator set it, though it would have written
/// another.
#[derive(Debug, Serialize)]
pub struct KeptValue {
    pub file: PathBuf,
    /// The path of the value (`orchestrator.tls.cacert`, `releases[1].version`).
    pub key: String,
    pub value: String,
    pub init_writes: String,
}

/// The file of the ordered commands that deploy what init wrote.
pub const NEXT_STEPS: &str = "NEXT-STEPS.md";
/// The orchestrator's release, namespace and default kube context.
pub const ORCHESTRATOR: &str = "orchestrator";

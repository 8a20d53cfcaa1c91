//! The report of `substractl init`: plain data, rendered by `output::init`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use super::link::{FileReport, PairReport};
use crate::cli::InitArgs;
use crate::error::hints;
use crate::error::Explained;

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

// The questions of `init` and their defaults: shared by the command and by the prompts that
// `output::init` asks on a terminal.

/// The file of the ordered commands that deploy what init wrote.
pub const NEXT_STEPS: &str = "NEXT-STEPS.md";
pub const DEFAULT_ORGS: [&str; 2] = ["ingen", "biotechnica"];
pub const DEFAULT_CHANNEL: &str = "our-channel";
pub const DEFAULT_TLS_ADDRESS: &str = "https://api.{org}.example.com";
pub const DEFAULT_PLAIN_ADDRESS: &str = "http://api.{org}.example.com:80";
pub const DEFAULT_HOST: &str = "orchestrator.example.com";
pub const DEFAULT_OUT: &str = "substra-deployment";
/// The orchestrator's release, namespace and default kube context.
pub const ORCHESTRATOR: &str = "orchestrator";
/// TLS as the flags say: None when neither `--tls` nor `--no-tls` was given.
pub fn tls_flag(args: &InitArgs) -> Option<bool> {
    (args.tls || args.no_tls).then_some(args.tls)
}

/// mTLS as the flags say: None when neither `--mtls` nor `--no-mtls` was given.
pub fn mtls_flag(args: &InitArgs) -> Option<bool> {
    (args.mtls || args.no_mtls).then_some(args.mtls)
}

/// The `--context` flags as a map; `ORG=CONTEXT` each.
pub fn contexts_of(args: &InitArgs) -> anyhow::Result<BTreeMap<String, String>> {
    let mut map = BTreeMap::new();
    for c in &args.contexts {
        let Some((who, ctx)) = c.split_once('=').filter(|(w, c)| !w.is_empty() && !c.is_empty())
        else {
            return Err(Explained::input(format!("--context {c}: expected ORG=CONTEXT"))
                .hint(hints::CONTEXT_FORM)
                .into());
        };
        map.insert(who.to_string(), ctx.to_string());
    }
    Ok(map)
}

//! `substractl certs gen | inspect | verify | request | sign | install`: arguments in, pki
//! calls, a report out.
//!
//! This file holds what the commands share (file and Secret names, the key types) and the two
//! read-only commands; `gen`, which writes, lives in `gen.rs` with its argument checks in
//! `validate.rs`. Certificates by request are three commands, one per step and side:
//! `request.rs` (the organization), `sign.rs` (the orchestrator's owner), `install.rs` (the
//! organization again); they write through `files.rs`.

mod files;
mod gen;
mod install;
mod request;
mod sign;
mod validate;

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use crate::cli::{CertsGenArgs, CertsInspectArgs, CertsVerifyArgs, KeyType, OnOff};
use crate::error::Explained;
use crate::pki::inspect;
use crate::pki::leaf::Name;
use crate::pki::verify::{self, Purpose};
use crate::pki::{self, KeyAlg};
use crate::report::certs::{InspectReport, InspectedCert};
use crate::report::check::CheckReport;
use crate::values::tls::SecretNames;
use crate::workspace;

pub(crate) use gen::stage;
pub use gen::{gen, gen_report};
pub use install::install;
pub use request::request;
pub use sign::sign;
pub use validate::MAX_DAYS;

pub const CA_CRT: &str = "orchestrator-ca.crt";
pub const CA_KEY: &str = "orchestrator-ca.key";
pub const SERVER_CRT: &str = "orchestrator-tls.crt";
pub const SERVER_KEY: &str = "orchestrator-tls.key";
/// The Secret names of the guide and the charts' defaults.
pub const SECRETS: SecretNames<'static> = SecretNames {
    ca: "orchestrator-tls-cacert",
    server_pair: "orchestrator-tls-server-pair",
    client: "orchestrator-client-cert",
};
pub const ORCHESTRATOR_VALUES: &str = "orchestrator-values.yaml";

/// What `certs gen` runs on: its flags, turned into options once (`init` makes its own).
#[derive(Debug, Clone)]
pub struct GenOptions {
    pub out: PathBuf,
    pub ca_cn: String,
    pub hosts: Vec<String>,
    pub sans: Vec<String>,
    pub services: Vec<String>,
    pub orgs: Vec<String>,
    pub key_type: KeyType,
    pub days: u32,
    pub ca_days: u32,
    pub force: bool,
    pub manifests: bool,
    pub namespace: Option<String>,
    pub backend_namespace: Option<String>,
    pub cacert_configmap: bool,
    pub values_dir: Option<PathBuf>,
    pub values_pattern: String,
}

impl From<CertsGenArgs> for GenOptions {
    fn from(a: CertsGenArgs) -> GenOptions {
        GenOptions {
            out: a.out,
            ca_cn: a.ca_cn,
            hosts: a.hosts,
            sans: a.sans,
            services: a.services,
            orgs: a.orgs,
            key_type: a.key_type,
            days: a.days,
            ca_days: a.ca_days,
            force: a.force,
            manifests: a.manifests,
            namespace: a.namespace,
            backend_namespace: a.backend_namespace,
            cacert_configmap: a.cacert_configmap,
            values_dir: a.values_dir,
            values_pattern: a.values_pattern,
        }
    }
}

pub fn key_alg(k: KeyType) -> KeyAlg {
    match k {
        KeyType::EcdsaP256 => KeyAlg::EcdsaP256,
        KeyType::EcdsaP384 => KeyAlg::EcdsaP384,
        KeyType::Rsa2048 => KeyAlg::Rsa2048,
        KeyType::Rsa3072 => KeyAlg::Rsa3072,
        KeyType::Rsa4096 => KeyAlg::Rsa4096,
        KeyType::Ed25519 => KeyAlg::Ed25519,
    }
}

/// `dir/name`, or just `name` in the current directory, for shorter messages.
fn at(dir: &Path, name: &str) -> PathBuf {
    if dir == Path::new(".") || dir.as_os_str().is_empty() {
        PathBuf::from(name)
    } else {
        dir.join(name)
    }
}

/// An MSP ID whose files would be the CA's or the orchestrator server's (`<MSP ID>.crt`).
fn refuse_reserved(msp_id: &str, what: &str) -> anyhow::Result<()> {
    if msp_id == "orchestrator-ca" || msp_id == "orchestrator-tls" {
        return Err(input(format!(
            "{what}{msp_id}: its files would be the CA's or the orchestrator server's"
        )));
    }
    Ok(())
}

fn input(message: impl Into<String>) -> anyhow::Error {
    Explained::input(message).into()
}

/// Reads a file that must exist, naming it on failure.
fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    Ok(workspace::read_existing(path)?)
}

pub fn inspect_files(args: CertsInspectArgs) -> anyhow::Result<InspectReport> {
    let now = OffsetDateTime::now_utc();
    let mut certificates = Vec::new();
    for file in &args.files {
        let bytes = read(file)?;
        let certs = pki::read_certs(file, &bytes)?;
        for (index, der) in certs.iter().enumerate() {
            let parsed = pki::parse(file, der)?;
            certificates.push(InspectedCert {
                file: file.clone(),
                index,
                info: inspect::info(der.as_ref(), &parsed, now),
            });
        }
    }
    Ok(InspectReport { certificates })
}

pub fn verify_cert(args: CertsVerifyArgs) -> anyhow::Result<CheckReport> {
    let hosts: Vec<Name> = args.host.as_deref().map(Name::parse).transpose()?.into_iter().collect();
    let ca_certs = verify::read_ca(&args.ca).map_err(verify::Unusable::into_error)?;
    let verified = verify::verify_files(&verify::Files {
        ca_path: &args.ca,
        ca_certs: &ca_certs,
        cert: &args.cert,
        key: args.key.as_deref(),
        hosts: &hosts,
        organization: None,
        purpose: if args.client { Purpose::Client } else { Purpose::Server },
        msp_id_verification: args.msp_id_verification.map(|v| v == OnOff::On),
        now: OffsetDateTime::now_utc(),
    })
    .map_err(verify::Unusable::into_error)?;
    if let Some(e) = verified.key {
        return Err(e.into_error());
    }
    let (cert, ca) = (args.cert.display().to_string(), args.ca.display().to_string());
    let mut report = CheckReport::new(format!("certificate {cert} (CA {ca})"));
    report.about = vec![("certificate", cert), ("ca", ca)];
    report.checks = verified.checks;
    Ok(report)
}

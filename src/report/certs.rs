//! The reports of `certs gen` and `certs inspect` (`certs verify` reports checks).

use std::path::PathBuf;

use serde::Serialize;

use crate::pki::inspect::CertInfo;

/// One file of a `gen` run, as reported.
#[derive(Debug, Clone, Serialize)]
pub struct GenFile {
    pub path: PathBuf,
    /// ca-certificate, ca-key, server-certificate, server-key, client-certificate,
    /// client-key, manifest, values
    pub kind: &'static str,
    /// created, replaced, updated, kept, unchanged
    pub status: &'static str,
    /// Octal mode, e.g. "0600".
    pub mode: String,
    /// The MSP ID of a client certificate, key or manifest.
    pub org: Option<String>,
    /// What a certificate holds (certificates only).
    pub certificate: Option<CertInfo>,
    /// The key algorithm (keys only), e.g. "ECDSA P-256".
    pub key_type: Option<String>,
}

/// The report of `certs gen`.
#[derive(Debug, Clone, Serialize)]
pub struct GenReport {
    pub out: PathBuf,
    /// "created" or "reused".
    pub ca: &'static str,
    pub files: Vec<GenFile>,
    pub warnings: Vec<String>,
    /// Commands to run next, in order.
    pub next_steps: Vec<String>,
}

/// The report of `certs inspect`: every certificate of every file, in order.
#[derive(Debug, Clone, Serialize)]
pub struct InspectReport {
    pub certificates: Vec<InspectedCert>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InspectedCert {
    pub file: PathBuf,
    /// Position in the file (0 for the first certificate).
    pub index: usize,
    #[serde(flatten)]
    pub info: CertInfo,
}

//! The reports of `certs gen`, `inspect`, `request`, `sign` and `install` (`certs verify`
//! reports checks).

use std::path::PathBuf;

use serde::Serialize;

use crate::pki::inspect::CertInfo;

/// One file of a `gen` run, as reported.
#[derive(Debug, Clone, Serialize)]
pub struct GenFile {
    pub path: PathBuf,
    /// ca-certificate, ca-key, server-certificate, server-key, client-certificate,
    /// client-key, request, manifest, values
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

/// The report of `certs request`.
#[derive(Debug, Clone, Serialize)]
pub struct RequestReport {
    /// The organization's MSP ID, the request's O (none for the orchestrator's server request).
    pub msp_id: Option<String>,
    /// The request's subject, as openssl prints it (`O=ingen, CN=api.ingen.example`).
    pub subject: String,
    /// The names the request asks for, as openssl prints them.
    pub names: Vec<String>,
    /// "created", "kept" or "replaced": what happened to the private key.
    pub key: &'static str,
    pub files: Vec<GenFile>,
    pub warnings: Vec<String>,
    /// Commands to run next, in order.
    pub next_steps: Vec<String>,
}

/// One request signed by `certs sign`.
#[derive(Debug, Clone, Serialize)]
pub struct SignedRequest {
    pub request: PathBuf,
    /// The request's MSP ID (none for the orchestrator's server request).
    pub msp_id: Option<String>,
    pub certificate: PathBuf,
    /// The names the request asked for and the certificate left out.
    pub dropped_names: Vec<String>,
}

/// The report of `certs sign`.
#[derive(Debug, Clone, Serialize)]
pub struct SignReport {
    pub out: PathBuf,
    pub signed: Vec<SignedRequest>,
    pub files: Vec<GenFile>,
    pub warnings: Vec<String>,
    /// Commands to run next, in order.
    pub next_steps: Vec<String>,
}

/// The report of `certs install`.
#[derive(Debug, Clone, Serialize)]
pub struct InstallReport {
    pub msp_id: String,
    pub certificate: PathBuf,
    pub key: PathBuf,
    pub ca: PathBuf,
    pub files: Vec<GenFile>,
    pub warnings: Vec<String>,
    /// Commands to run next, in order.
    pub next_steps: Vec<String>,
}

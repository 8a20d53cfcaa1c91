//! The exchange between organizations that share no files: identities, cards, the roster the
//! orchestrator's owner signs, and the sealed pair secrets that organizations send each other.
//!
//! Every format is a standard one with its own command-line tool: an identity is an Ed25519
//! key in OpenSSH format (`ssh-keygen -lf` prints its fingerprint), signatures are OpenSSH
//! signatures (`ssh-keygen -Y verify -n substractl`), and a pair secret is encrypted with age
//! to the receiver's `ssh-ed25519` key (`age -d -i KEY` opens it). Each document substractl
//! writes is a small YAML text followed by its signature block: the signed bytes are exactly
//! the text before the line `-----BEGIN SSH SIGNATURE-----`.
//!
//! This module decides and checks; it never prints, reads no environment and writes no file.

pub mod card;
pub mod identity;
pub mod roster;
pub mod sealed;
pub mod signed;
pub mod state;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// The namespace of every signature substractl makes (`ssh-keygen -Y ... -n substractl`).
pub const NAMESPACE: &str = "substractl";
/// A party's private identity, in its own directory (mode 0600).
pub const IDENTITY_FILE: &str = "substractl-identity";
/// Its public half, one OpenSSH line.
pub const PUBLIC_FILE: &str = "substractl-identity.pub";
/// The roster, signed by the orchestrator's owner.
pub const ROSTER_FILE: &str = "roster.yaml";
/// What an organization remembers between runs: the owner's key, the sequences sent and applied.
pub const STATE_FILE: &str = "exchange-state.yaml";

/// The largest card and sealed file substractl reads: they are well under 2 KiB.
pub const MAX_SMALL_BYTES: usize = 16 << 10;
/// The largest roster substractl reads: a member's card is about 1 KiB.
pub const MAX_ROSTER_BYTES: usize = 2 << 20;

/// The card of an organization, by MSP ID.
pub fn card_file(msp_id: &str) -> String {
    format!("card-{msp_id}.yaml")
}

/// The sealed secret for "server serves client", made by the server for the client.
pub fn sealed_file(server: &str, client: &str) -> String {
    format!("sealed-{server}-for-{client}.yaml")
}

/// A document of the exchange that cannot be used, naming its file.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", .path.display())]
pub struct ExchangeError {
    pub path: PathBuf,
    pub message: String,
    /// What to do next, where one helps.
    pub hint: Option<&'static str>,
}

impl ExchangeError {
    pub fn new(path: &Path, message: impl Into<String>) -> ExchangeError {
        ExchangeError { path: path.to_path_buf(), message: message.into(), hint: None }
    }

    pub fn hint(mut self, hint: &'static str) -> ExchangeError {
        self.hint = Some(hint);
        self
    }
}

/// Refuses an empty file or one far larger than the document it should be.
pub fn check_size(path: &Path, bytes: &[u8], max: usize, what: &str) -> Result<(), ExchangeError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExchangeError::new(path, format!("the file is empty: expected {what}")));
    }
    if bytes.len() > max {
        return Err(ExchangeError::new(
            path,
            format!(
                "the file holds {} bytes, far more than {what} ({} KiB at most): is this the right file?",
                bytes.len(),
                max >> 10
            ),
        ));
    }
    Ok(())
}

/// The text of a document, which must be UTF-8.
pub fn text_of<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, ExchangeError> {
    std::str::from_utf8(bytes)
        .map_err(|_| ExchangeError::new(path, "the file is not text (not valid UTF-8)"))
}

/// The text of a document that travels between parties: a card, a roster, a sealed file. Mail
/// and some editors convert line endings to CRLF; substractl writes LF only and signs those
/// bytes, so a file in CRLF is read as the LF text it was converted from. Its signature is then
/// checked on that text: what is accepted is exactly what was signed.
pub fn travelled_text<'a>(path: &Path, bytes: &'a [u8]) -> Result<Cow<'a, str>, ExchangeError> {
    let text = text_of(path, bytes)?;
    Ok(if text.contains("\r\n") {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    })
}

/// Reads a YAML body into a typed document; errors name the file.
fn from_yaml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, ExchangeError> {
    serde_saphyr::from_str::<T>(text).map_err(|e| {
        let first = e.to_string();
        let first = identity::printable(first.lines().next().unwrap_or("invalid YAML").trim());
        ExchangeError::new(path, format!("cannot read the document: {first}"))
    })
}

/// An MSP ID read from a document: the rules of every organization name.
pub(crate) fn check_msp_id(path: &Path, id: &str) -> Result<(), ExchangeError> {
    crate::mesh::validate_name(id).map_err(|e| ExchangeError::new(path, e.to_string()))
}

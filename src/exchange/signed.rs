//! Signed documents: a YAML body, then the armored OpenSSH signature of exactly those bytes.
//!
//! `ssh-keygen -Y verify -n substractl` checks one with the body on its standard input and the
//! signature block as its `-s` file.

use std::path::Path;

use ssh_key::SshSig;

use super::identity::{Identity, Public, SignatureMismatch};
use super::ExchangeError;

const BEGIN: &str = "-----BEGIN SSH SIGNATURE-----";
const END: &str = "-----END SSH SIGNATURE-----";

/// A body with its signature appended.
pub fn sign(body: &str, identity: &Identity) -> String {
    let mut text = body.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let signature = identity.sign(text.as_bytes());
    text.push_str(&signature);
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// A signed document split into its body and its signature, not yet verified.
#[derive(Debug, Clone)]
pub struct Signed<'a> {
    pub body: &'a str,
    pub signature: SshSig,
}

/// Splits a document at its (last) signature block, which must end the file.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Signed<'a>, ExchangeError> {
    let start = if text.starts_with(BEGIN) {
        Some(0)
    } else {
        text.rfind(&format!("\n{BEGIN}")).map(|i| i + 1)
    };
    let Some(start) = start else {
        return Err(ExchangeError::new(
            path,
            format!("the document is not signed: it has no {BEGIN} block"),
        )
        .hint("ask its author for the file as substractl wrote it"));
    };
    let (body, block) = text.split_at(start);
    let block = block.trim_end();
    if !block.ends_with(END) {
        return Err(ExchangeError::new(
            path,
            format!("the signature block must end the file with {END}"),
        ));
    }
    let signature = SshSig::from_pem(block).map_err(|e| {
        ExchangeError::new(path, format!("the signature block cannot be read ({e})"))
    })?;
    Ok(Signed { body, signature })
}

impl Signed<'_> {
    /// Checks the signature against `key`; `whose` names the key's owner in messages.
    pub fn verify(&self, path: &Path, key: &Public, whose: &str) -> Result<(), ExchangeError> {
        self.verify_reason(key).map_err(|why| {
            ExchangeError::new(path, format!("{why}, not by {whose} ({})", key.fingerprint()))
        })
    }

    fn verify_reason(&self, key: &Public) -> Result<(), String> {
        match key.verify(self.body.as_bytes(), &self.signature) {
            Ok(()) => Ok(()),
            Err(SignatureMismatch::OtherKey(fp)) => Err(format!("the document is signed by the key {fp}")),
            Err(SignatureMismatch::Namespace(ns)) => {
                Err(format!("the signature is for {ns:?}, not for substractl, so it was not made by substractl"))
            }
            Err(SignatureMismatch::Content) => {
                Err("the signature does not match the content: the document was changed after it was signed".into())
            }
        }
    }

    /// The key that made the signature, as the block itself says (not yet trusted).
    pub fn signer(&self) -> Public {
        Public::from_key_data(self.signature.public_key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_splits_and_refuses_changes() {
        let id = Identity::generate("x").expect("key");
        let text = sign("kind: card\n", &id);
        let p = Path::new("d.yaml");
        let doc = split(p, &text).expect("split");
        assert_eq!(doc.body, "kind: card\n");
        doc.verify(p, &id.public(), "me").expect("verify");
        let changed = text.replace("kind: card", "kind: cart");
        let err =
            split(p, &changed).expect("split").verify(p, &id.public(), "me").expect_err("changed");
        assert!(err.to_string().contains("changed after it was signed"), "{err}");
        let other = Identity::generate("y").expect("key");
        let err = doc.verify(p, &other.public(), "the owner").expect_err("other key");
        assert!(err.to_string().contains("signed by the key SHA256:"), "{err}");
        assert!(split(p, "kind: card\n").is_err());
        assert!(split(p, &format!("{text}extra\n")).is_err());
    }
}

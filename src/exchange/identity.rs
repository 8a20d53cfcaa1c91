//! A party's identity: an Ed25519 key in OpenSSH format. The private half signs and opens
//! sealed files; the public half (one `ssh-ed25519 ...` line) is what cards and rosters carry,
//! and its SHA-256 fingerprint is what people read to each other.

use std::io::Read;
use std::path::Path;

use ssh_key::private::Ed25519Keypair;
use ssh_key::{Algorithm, HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};

use super::{ExchangeError, NAMESPACE};

/// The most a sealed payload may hold once decrypted.
const MAX_PLAINTEXT: u64 = 8 << 10;

/// The private identity of this directory's party. Never displayed.
pub struct Identity {
    key: PrivateKey,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Identity({})", self.public().fingerprint())
    }
}

impl Identity {
    /// A fresh key from the operating system's random source; `comment` names the party.
    pub fn generate(comment: &str) -> Result<Identity, getrandom::Error> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed)?;
        let pair = Ed25519Keypair::from_seed(&seed);
        seed.fill(0);
        let mut key = PrivateKey::from(pair);
        key.set_comment(comment);
        Ok(Identity { key })
    }

    /// Reads an identity file: an unencrypted OpenSSH Ed25519 private key.
    pub fn parse(path: &Path, text: &str) -> Result<Identity, ExchangeError> {
        let key = PrivateKey::from_openssh(text.trim_start())
            .map_err(|e| ExchangeError::new(path, format!("not an OpenSSH private key ({e})")))?;
        if key.algorithm() != Algorithm::Ed25519 {
            return Err(ExchangeError::new(
                path,
                format!("the key is {}, substractl's identities are Ed25519", key.algorithm()),
            ));
        }
        if key.is_encrypted() {
            return Err(ExchangeError::new(
                path,
                "the key is protected by a passphrase, which substractl cannot ask for",
            ));
        }
        Ok(Identity { key })
    }

    /// The private key in OpenSSH format, for the 0600 identity file.
    pub fn to_openssh(&self) -> String {
        self.key.to_openssh(LineEnding::LF).map(|s| s.to_string()).unwrap_or_default()
    }

    pub fn public(&self) -> Public {
        Public::bare(self.key.public_key().clone())
    }

    /// An armored OpenSSH signature of `msg` (SHA-512, as `ssh-keygen -Y sign` makes).
    pub fn sign(&self, msg: &[u8]) -> String {
        self.key
            .sign(NAMESPACE, HashAlg::Sha512, msg)
            .and_then(|sig| sig.to_pem(LineEnding::LF))
            .unwrap_or_default()
    }

    /// A keyed digest (HMAC-SHA256) of `parts`, its key derived from the private key and
    /// `label`: the same parts give the same digest under this identity, and the digest tells
    /// nothing about them to whoever lacks the identity. `v1:` then 64 hex digits.
    pub fn keyed_digest(&self, label: &str, parts: &[&[u8]]) -> Option<String> {
        use aws_lc_rs::hmac;
        let mut seed = self.key.key_data().ed25519()?.private.to_bytes();
        let derived = hmac::sign(
            &hmac::Key::new(hmac::HMAC_SHA256, &seed),
            format!("substractl {NAMESPACE} keyed digest: {label}").as_bytes(),
        );
        seed.fill(0);
        let key = hmac::Key::new(hmac::HMAC_SHA256, derived.as_ref());
        let mut ctx = hmac::Context::with_key(&key);
        for part in parts {
            // Each part after its length: ("ab", "c") and ("a", "bc") differ.
            ctx.update(&(part.len() as u64).to_be_bytes());
            ctx.update(part);
        }
        Some(format!("v1:{}", hex::encode(ctx.sign().as_ref())))
    }

    /// Decrypts an armored age file sealed to this identity's `ssh-ed25519` recipient.
    pub(crate) fn open(&self, path: &Path, armored: &str) -> Result<Vec<u8>, ExchangeError> {
        let private = self.to_openssh();
        let identity = age::ssh::Identity::from_buffer(private.as_bytes(), None).map_err(|e| {
            ExchangeError::new(path, format!("the identity cannot open age files: {e}"))
        })?;
        let reader = age::armor::ArmoredReader::new(armored.as_bytes());
        let decryptor = age::Decryptor::new(reader).map_err(|e| {
            ExchangeError::new(path, format!("the sealed secret is not an age file ({e})"))
        })?;
        let mut stream =
            decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)).map_err(|e| {
                let why = match e {
                    age::DecryptError::NoMatchingKeys => {
                        "the sealed secret was not encrypted to this organization's identity".to_string()
                    }
                    e => format!("the sealed secret cannot be decrypted ({e}): it was changed after it was sealed"),
                };
                ExchangeError::new(path, why)
            })?;
        let mut plain = Vec::new();
        (&mut stream).take(MAX_PLAINTEXT + 1).read_to_end(&mut plain).map_err(|e| {
            ExchangeError::new(
                path,
                format!("the sealed secret cannot be decrypted ({e}): it was changed after it was sealed"),
            )
        })?;
        if plain.len() as u64 > MAX_PLAINTEXT {
            return Err(ExchangeError::new(
                path,
                "the sealed secret is far larger than a pair secret",
            ));
        }
        Ok(plain)
    }
}

/// A public identity: an `ssh-ed25519` key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Public {
    key: PublicKey,
}

impl Public {
    /// Reads one OpenSSH public key line (`ssh-ed25519 AAAA... [comment]`).
    pub fn parse(path: &Path, line: &str) -> Result<Public, ExchangeError> {
        let key = PublicKey::from_openssh(line.trim()).map_err(|e| {
            ExchangeError::new(
                path,
                format!("{:?} is not an OpenSSH public key ({e})", short(line)),
            )
        })?;
        if key.algorithm() != Algorithm::Ed25519 {
            return Err(ExchangeError::new(
                path,
                format!("the key is {}, substractl's identities are Ed25519", key.algorithm()),
            ));
        }
        Ok(Public::bare(key))
    }

    /// Keys are compared and written without their comment.
    fn bare(mut key: PublicKey) -> Public {
        key.set_comment("");
        Public { key }
    }

    /// The key a signature block names.
    pub(crate) fn from_key_data(data: &ssh_key::public::KeyData) -> Public {
        Public { key: PublicKey::new(data.clone(), "") }
    }

    /// The key as one OpenSSH line, without its comment.
    pub fn to_openssh(&self) -> String {
        self.key.to_openssh().unwrap_or_default()
    }

    /// The SHA-256 fingerprint, as `ssh-keygen -lf` prints it: `SHA256:...`.
    pub fn fingerprint(&self) -> String {
        self.key.fingerprint(HashAlg::Sha256).to_string()
    }

    /// True when an armored signature was made by this key over `msg`, in substractl's
    /// namespace. Errors say which of the two failed.
    pub fn verify(&self, msg: &[u8], signature: &SshSig) -> Result<(), SignatureMismatch> {
        if signature.public_key() != self.key.key_data() {
            let other = PublicKey::new(signature.public_key().clone(), "");
            return Err(SignatureMismatch::OtherKey(
                other.fingerprint(HashAlg::Sha256).to_string(),
            ));
        }
        if signature.namespace() != NAMESPACE {
            return Err(SignatureMismatch::Namespace(signature.namespace().to_string()));
        }
        self.key.verify(NAMESPACE, msg, signature).map_err(|_| SignatureMismatch::Content)
    }

    /// Encrypts `plain` to this key's age `ssh-ed25519` recipient, ASCII-armored.
    pub(crate) fn seal(&self, plain: &[u8]) -> Result<String, String> {
        use std::io::Write;
        let recipient: age::ssh::Recipient =
            self.to_openssh().parse().map_err(|e| format!("not an age recipient: {e:?}"))?;
        let encryptor =
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        let armor =
            age::armor::ArmoredWriter::wrap_output(&mut out, age::armor::Format::AsciiArmor)
                .map_err(|e| e.to_string())?;
        let mut writer = encryptor.wrap_output(armor).map_err(|e| e.to_string())?;
        writer.write_all(plain).map_err(|e| e.to_string())?;
        writer.finish().and_then(|armor| armor.finish()).map_err(|e| e.to_string())?;
        String::from_utf8(out).map_err(|e| e.to_string())
    }
}

/// Why a signature does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureMismatch {
    /// Made by another key (its fingerprint).
    OtherKey(String),
    /// Made for another namespace.
    Namespace(String),
    /// The right key, but the signed bytes changed.
    Content,
}

/// Untrusted text for a message: control characters dropped, at most 80 characters.
pub(crate) fn printable(text: &str) -> String {
    let cut: String = text.chars().filter(|c| !c.is_control()).take(80).collect();
    if cut.chars().count() < text.chars().count() {
        format!("{cut}...")
    } else {
        cut
    }
}

/// The start of an untrusted line, for a message.
fn short(line: &str) -> String {
    let line = line.trim();
    let cut: String = line.chars().filter(|c| !c.is_control()).take(40).collect();
    if cut.chars().count() < line.chars().count() {
        format!("{cut}...")
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_round_trips_signs_and_seals() {
        let id = Identity::generate("ingen").expect("key");
        let again = Identity::parse(Path::new("k"), &id.to_openssh()).expect("parse");
        assert_eq!(id.public(), again.public());
        assert!(id.public().fingerprint().starts_with("SHA256:"));
        let sig = SshSig::from_pem(id.sign(b"hello")).expect("pem");
        assert_eq!(id.public().verify(b"hello", &sig), Ok(()));
        assert_eq!(id.public().verify(b"hellO", &sig), Err(SignatureMismatch::Content));
        let other = Identity::generate("other").expect("key");
        assert!(matches!(
            other.public().verify(b"hello", &sig),
            Err(SignatureMismatch::OtherKey(_))
        ));
        let sealed = id.public().seal(b"secret").expect("seal");
        assert!(sealed.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));
        assert_eq!(id.open(Path::new("s"), &sealed).expect("open"), b"secret");
        let err = other.open(Path::new("s"), &sealed).expect_err("not for other");
        assert!(err.message.contains("not encrypted to this organization"), "{err}");
        let public = Public::parse(Path::new("p"), &id.public().to_openssh()).expect("public");
        assert_eq!(public, id.public());
        let d = id.keyed_digest("t", &[b"ab", b"c"]).expect("digest");
        assert_eq!(d.len(), 3 + 64);
        assert_eq!(again.keyed_digest("t", &[b"ab", b"c"]).as_ref(), Some(&d));
        assert_ne!(id.keyed_digest("t", &[b"a", b"bc"]).as_ref(), Some(&d));
        assert_ne!(id.keyed_digest("u", &[b"ab", b"c"]).as_ref(), Some(&d));
        assert_ne!(other.keyed_digest("t", &[b"ab", b"c"]).as_ref(), Some(&d));
    }
}

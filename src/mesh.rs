//! Organizations, the ordered pairs between them, and the secrets that pair them.
//!
//! For every ordered pair (server A, client B) there is one secret: A's
//! `incomingOrganizations` holds `{name: B, secret}` and B's `outgoingOrganizations` holds
//! `{name: A, secret}`. Every organization is also paired with itself.

use std::fmt;

/// Longest organization name (MSP ID) the backend accepts.
pub const MAX_NAME_LEN: usize = 64;
/// Longest secret the backend accepts.
pub const MAX_SECRET_LEN: usize = 128;
/// Length of the secrets substractl makes: 64 of [A-Za-z0-9], over 380 bits.
pub const SECRET_LEN: usize = 64;

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Why a name cannot be an organization name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("an organization name cannot be empty")]
    Empty,
    #[error("organization name {0:?} contains whitespace")]
    Whitespace(String),
    #[error("organization name {0:?} contains a path separator")]
    Separator(String),
    #[error("organization name {0:?} starts with a dot")]
    Dot(String),
    #[error("organization name {0:?} is longer than {MAX_NAME_LEN} characters")]
    TooLong(String),
    #[error("organization name {0:?} contains a control character")]
    Control(String),
}

/// Checks a name given on the command line or read as an MSP ID.
pub fn validate_name(name: &str) -> Result<(), NameError> {
    let owned = || name.to_string();
    if name.is_empty() {
        Err(NameError::Empty)
    } else if name.chars().any(char::is_whitespace) {
        Err(NameError::Whitespace(owned()))
    } else if name.chars().any(char::is_control) {
        Err(NameError::Control(owned()))
    } else if name.contains(['/', '\\']) {
        Err(NameError::Separator(owned()))
    } else if name.starts_with('.') {
        Err(NameError::Dot(owned()))
    } else if name.chars().count() > MAX_NAME_LEN {
        Err(NameError::TooLong(owned()))
    } else {
        Ok(())
    }
}

/// True when a secret found in a file can be kept: non-empty, within the backend's length,
/// and without the whitespace its `name secret` line format forbids.
pub fn secret_is_usable(secret: &str) -> bool {
    !secret.is_empty()
        && secret.len() <= MAX_SECRET_LEN
        && !secret.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A secret shared by the two sides of one ordered pair. Never displayed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// A fresh secret from the operating system's CSPRNG.
    pub fn generate() -> Secret {
        let mut out = String::with_capacity(SECRET_LEN);
        let mut buf = [0u8; 96];
        while out.len() < SECRET_LEN {
            getrandom::fill(&mut buf).expect("the operating system's random source failed");
            // Rejection sampling: 248 = 4 * 62 keeps every character equally likely.
            for &b in buf.iter().filter(|&&b| b < 248) {
                if out.len() == SECRET_LEN {
                    break;
                }
                out.push(ALPHABET[(b % 62) as usize] as char);
            }
        }
        Secret(out)
    }

    pub fn from_existing(s: &str) -> Secret {
        Secret(s.to_string())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// One ordered pair: `server` accepts logins from `client`. Indices into the organization list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pair {
    pub server: usize,
    pub client: usize,
}

/// Every ordered pair among `n` organizations, self pairs included: n * n pairs.
pub fn full_mesh(n: usize) -> impl Iterator<Item = Pair> {
    (0..n).flat_map(move |server| (0..n).map(move |client| Pair { server, client }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_alphanumeric_and_distinct() {
        let a = Secret::generate();
        let b = Secret::generate();
        assert_eq!(a.expose().len(), SECRET_LEN);
        assert!(a.expose().bytes().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
        assert!(secret_is_usable(a.expose()));
        assert_eq!(format!("{a:?}"), "Secret(***)");
    }

    #[test]
    fn names_are_checked() {
        assert!(validate_name("ingen").is_ok());
        assert!(validate_name("OwkinPeerMSP").is_ok());
        assert_eq!(validate_name(""), Err(NameError::Empty));
        assert!(matches!(validate_name("a b"), Err(NameError::Whitespace(_))));
        assert!(matches!(validate_name("a/b"), Err(NameError::Separator(_))));
        assert!(matches!(validate_name(".hidden"), Err(NameError::Dot(_))));
        assert!(matches!(validate_name(&"x".repeat(65)), Err(NameError::TooLong(_))));
        assert!(validate_name(&"x".repeat(64)).is_ok());
    }

    #[test]
    fn mesh_has_n_squared_pairs_with_self_pairs() {
        let pairs: Vec<_> = full_mesh(3).collect();
        assert_eq!(pairs.len(), 9);
        assert!(pairs.contains(&Pair { server: 1, client: 1 }));
        assert!(pairs.contains(&Pair { server: 2, client: 0 }));
    }
}

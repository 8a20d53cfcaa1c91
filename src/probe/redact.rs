//! Keeping the credentials a run holds out of everything a server sends back.
//!
//! A server that received a request's `Authorization` header can put it anywhere in its answer:
//! a redirect's `Location`, a URL that the client then fails to follow, a reason phrase. Every
//! string that came from the network goes through [`Redactor::scrub`] before it becomes part
//! of a report, and URLs are shown by [`shown_url`], which drops user info, query and fragment.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;

/// What replaces a credential found in untrusted text.
pub const REDACTED: &str = "<redacted>";

/// The credentials of a run, in every spelling a server could echo them in.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    needles: Vec<String>,
}

impl Redactor {
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Adds HTTP Basic credentials: the password itself and the header's base64 of
    /// `user:password`, each also percent-encoded (as in a URL).
    pub fn basic(&mut self, user: &str, password: &str) {
        self.add(password);
        let pair = format!("{user}:{password}");
        for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
            self.add(&engine.encode(pair.as_bytes()));
        }
    }

    /// Adds one secret, raw and percent-encoded, in upper and lower case hex.
    pub fn add(&mut self, secret: &str) {
        // A very short secret would redact half of every message; the backend's own secrets are
        // long, and `check links` flags short ones.
        if secret.chars().count() < 4 {
            return;
        }
        for needle in [secret.to_string(), percent(secret, false), percent(secret, true)] {
            if !self.needles.contains(&needle) {
                self.needles.push(needle);
            }
        }
        // Longest first, so that a secret is not left half-replaced by a shorter one it contains.
        self.needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
    }

    /// `text` with every credential replaced by [`REDACTED`], compared case-insensitively for
    /// the percent-encoded spellings.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for needle in &self.needles {
            if out.contains(needle.as_str()) {
                out = out.replace(needle.as_str(), REDACTED);
            }
        }
        out
    }
}

/// Percent-encodes every byte outside the URL-unreserved set.
fn percent(text: &str, lower: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else if lower {
            out.push_str(&format!("%{b:02x}"));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A URL as it may be shown: scheme, host, port and path, never user info, query or fragment
/// (where credentials and tokens travel). Text that is not a URL is shown as `not a URL`.
pub fn shown_url(text: &str) -> String {
    match reqwest::Url::parse(text.trim()) {
        Ok(mut url) => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.set_query(None);
            url.set_fragment(None);
            url.to_string()
        }
        Err(_) => "not a URL".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_basic_credentials_is_redacted() {
        let mut r = Redactor::new();
        r.basic("ingen", "s3cr/t+value=");
        let header = STANDARD.encode("ingen:s3cr/t+value=");
        for text in [
            format!("ftp://Basic%20{}@127.0.0.1:1/x", percent(&header, false)),
            format!("Basic {header}"),
            "pw s3cr/t+value= end".to_string(),
            format!("q={}", percent("s3cr/t+value=", true)),
            URL_SAFE_NO_PAD.encode("ingen:s3cr/t+value="),
        ] {
            let scrubbed = r.scrub(&text);
            assert!(scrubbed.contains(REDACTED), "{text} -> {scrubbed}");
            assert!(!scrubbed.contains("s3cr"), "{scrubbed}");
            assert!(!scrubbed.contains(&header[..12]), "{scrubbed}");
        }
    }

    #[test]
    fn urls_lose_user_info_query_and_fragment() {
        assert_eq!(
            shown_url("ftp://Basic%20aW5nZW46cw==@127.0.0.1:1/x?token=1#f"),
            "ftp://127.0.0.1:1/x"
        );
        assert_eq!(shown_url("https://u:p@api.example.com/info/"), "https://api.example.com/info/");
        assert_eq!(shown_url("::"), "not a URL");
    }
}

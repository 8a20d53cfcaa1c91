//! Keeping the credentials a run holds out of everything a server sends back.
//!
//! A server that received a request's `Authorization` header can put it anywhere in its answer:
//! a redirect's `Location`, a URL that the client then fails to follow, a reason phrase. Every
//! string that came from the network goes through [`Redactor::scrub`] before it becomes part
//! of a report, and URLs are shown by [`shown_url`], which drops user info, query and fragment.

use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use base64::Engine;

/// What replaces a credential found in untrusted text.
pub const REDACTED: &str = "<redacted>";

/// The shortest run of a secret's characters that is redacted wherever it appears: a server
/// may echo part of a secret, and twelve characters of a 64-character random secret are as good
/// as a fingerprint of it.
pub const FRAGMENT: usize = 12;

/// The credentials of a run, in every spelling a server could echo them in.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    needles: Vec<String>,
    /// The secrets as characters, for runs of [`FRAGMENT`] or more.
    secrets: Vec<Vec<char>>,
}

impl Redactor {
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Adds HTTP Basic credentials: the password, and `user:password` as the header carries
    /// it (base64), each in every encoding of [`Redactor::add`].
    pub fn basic(&mut self, user: &str, password: &str) {
        self.add(password);
        let pair = format!("{user}:{password}");
        self.encodings(&pair);
        // The header is built from the latin-1 bytes (as the backend's client does): beyond
        // ASCII they differ from the UTF-8 ones, and are covered too.
        let latin1: Option<Vec<u8>> =
            pair.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect();
        if let Some(bytes) = latin1.filter(|b| b.as_slice() != pair.as_bytes()) {
            self.byte_encodings(&bytes, Vec::new());
        }
    }

    /// Adds one secret: as is, percent-encoded, hex and base64 (at any alignment, in both
    /// alphabets), and any run of [`FRAGMENT`] of its characters.
    pub fn add(&mut self, secret: &str) {
        // A very short secret would redact half of every message; the backend's own secrets are
        // long, and `check links` flags short ones.
        if secret.chars().count() < 4 {
            return;
        }
        self.encodings(secret);
        let chars: Vec<char> = secret.chars().collect();
        if chars.len() >= FRAGMENT && !self.secrets.contains(&chars) {
            self.secrets.push(chars);
        }
    }

    fn encodings(&mut self, text: &str) {
        let found = vec![
            text.to_string(),
            percent(text, false, false),
            percent(text, true, false),
            percent(text, false, true),
            percent(text, true, true),
        ];
        self.byte_encodings(text.as_bytes(), found);
    }

    /// `found` and the hex and base64 spellings of `bytes`, as needles.
    fn byte_encodings(&mut self, bytes: &[u8], mut found: Vec<String>) {
        found.push(hex::encode(bytes));
        found.push(hex::encode_upper(bytes));
        // base64 of the text inside a longer message: with 0, 1 or 2 bytes before it, the
        // groups that hold only its bytes are the same whatever surrounds them.
        for shift in 0..3usize {
            let mut padded = vec![0u8; shift];
            padded.extend_from_slice(bytes);
            for engine in [&STANDARD, &URL_SAFE] {
                let full = engine.encode(&padded);
                if shift == 0 {
                    found.push(full.clone());
                    found.push(full.trim_end_matches('=').to_string());
                }
                let skip = if shift == 0 { 0 } else { 4 };
                let keep = (padded.len() / 3) * 4;
                if keep > skip + 8 {
                    found.push(full[skip..keep].to_string());
                }
            }
        }
        for needle in found {
            if needle.len() >= 4 && !self.needles.contains(&needle) {
                self.needles.push(needle);
            }
        }
        // Longest first, so that a secret is not left half-replaced by a shorter one it contains.
        self.needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
    }

    /// `text` with every credential replaced by [`REDACTED`].
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for needle in &self.needles {
            if out.contains(needle.as_str()) {
                out = out.replace(needle.as_str(), REDACTED);
            }
        }
        self.scrub_fragments(&out)
    }

    /// Replaces every run of at least [`FRAGMENT`] characters that also stands in a secret.
    fn scrub_fragments(&self, text: &str) -> String {
        if self.secrets.is_empty() {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        while i < chars.len() {
            let longest = self
                .secrets
                .iter()
                .map(|secret| longest_run_at(&chars[i..], secret))
                .max()
                .unwrap_or(0);
            if longest >= FRAGMENT {
                out.push_str(REDACTED);
                i += longest;
            } else {
                out.push(chars[i]);
                i += 1;
            }
        }
        out
    }
}

/// The length of the longest prefix of `text` that stands somewhere in `secret`.
fn longest_run_at(text: &[char], secret: &[char]) -> usize {
    let mut best = 0;
    for start in 0..secret.len() {
        let n = text.iter().zip(&secret[start..]).take_while(|(a, b)| a == b).count();
        best = best.max(n);
    }
    best
}

/// Percent-encodes every byte outside the URL-unreserved set (or every byte, with `all`).
fn percent(text: &str, lower: bool, all: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if !all && (b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')) {
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
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    #[test]
    fn every_spelling_of_basic_credentials_is_redacted() {
        let mut r = Redactor::new();
        r.basic("ingen", "s3cr/t+value=");
        let header = STANDARD.encode("ingen:s3cr/t+value=");
        for text in [
            format!("ftp://Basic%20{}@127.0.0.1:1/x", percent(&header, false, false)),
            format!("Basic {header}"),
            "pw s3cr/t+value= end".to_string(),
            format!("q={}", percent("s3cr/t+value=", true, false)),
            percent("s3cr/t+value=", true, true),
            URL_SAFE_NO_PAD.encode("ingen:s3cr/t+value="),
            hex::encode("s3cr/t+value="),
            hex::encode_upper("s3cr/t+value="),
            STANDARD.encode("s3cr/t+value="),
            STANDARD.encode("x-ingen:s3cr/t+value="),
            STANDARD.encode("xy-ingen:s3cr/t+value=!"),
            URL_SAFE.encode("__ingen:s3cr/t+value="),
        ] {
            let scrubbed = r.scrub(&text);
            assert!(scrubbed.contains(REDACTED), "{text} -> {scrubbed}");
            assert!(!scrubbed.contains("s3cr"), "{scrubbed}");
            assert!(!scrubbed.contains(&header[..12]), "{scrubbed}");
        }
    }

    #[test]
    fn a_run_of_a_secret_is_redacted_and_ordinary_text_is_kept() {
        let mut r = Redactor::new();
        let secret = "Zq7Kp2Lm9XabcdefR4Tn8Wb3Vc6Yd1Hf5Jg0Qs";
        r.basic("ingen", secret);
        let scrubbed = r.scrub(&format!("see http://127.0.0.1:1/{}/x", &secret[..FRAGMENT + 3]));
        assert_eq!(scrubbed, format!("see http://127.0.0.1:1/{REDACTED}/x"));
        let scrubbed = r.scrub(&format!("tail {}", &secret[10..30]));
        assert_eq!(scrubbed, format!("tail {REDACTED}"));
        let plain = "connection refused by 127.0.0.1:8443 after 10s";
        assert_eq!(r.scrub(plain), plain);
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

    #[test]
    fn latin1_credentials_are_redacted_as_sent() {
        let mut r = Redactor::new();
        r.basic("ingen", "Sécurité-élevée-0123456789");
        let latin1: Vec<u8> = "ingen:Sécurité-élevée-0123456789".chars().map(|c| c as u8).collect();
        let header = STANDARD.encode(latin1);
        let scrubbed = r.scrub(&format!("Basic {header}"));
        assert!(!scrubbed.contains(&header[..16]), "{scrubbed}");
    }
}

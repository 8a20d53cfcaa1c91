//! Keeping the credentials a run holds out of everything a server sends back.
//!
//! A server that received a request's `Authorization` header can put it anywhere in its answer:
//! a redirect's `Location`, a URL that the client then fails to follow, a reason phrase. Every
//! string that came from the network goes through [`Redactor::scrub`] before it becomes part
//! of a report, and URLs are shown by [`shown_url`], which drops user info, query and fragment,
//! or by [`shown_origin`], which keeps scheme, host and port alone.

use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use base64::Engine;
use std::cmp::Reverse;
use std::collections::{BTreeSet, HashSet};

/// A run of [`FRAGMENT`] characters.
type Gram = [char; FRAGMENT];

/// What replaces a credential found in untrusted text.
pub const REDACTED: &str = "<redacted>";

/// The shortest run of a secret's letters and digits that is redacted wherever it appears, once
/// the text's separators are set aside (see [`Redactor::scrub`]): a server may echo a secret in
/// pieces, or spaced out, and eight characters of a long random secret are as good as a
/// fingerprint of it, while ordinary text almost never holds eight of them in a row by chance.
pub const FRAGMENT: usize = 8;

/// The credentials of a run, in every spelling a server could echo them in.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// Longest first, so that a secret is not left half-replaced by a shorter one it contains.
    needles: BTreeSet<(Reverse<usize>, String)>,
    /// Every run of [`FRAGMENT`] letters and digits of a secret or of one of its encodings.
    grams: HashSet<Gram>,
    /// The same for the hex encodings, in lower case: hex is compared without case.
    folded_grams: HashSet<Gram>,
    /// Every run of both sets in lower case, for text whose case a server or a parser may
    /// have changed (host names, URL schemes, media types).
    any_case: HashSet<Gram>,
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
        // Its text spellings are looked for whole only: their runs that are mostly the user
        // name are no secret (the password's own runs are looked for above).
        self.encodings(&pair, false);
        // The header is built from the latin-1 bytes (as the backend's client does): beyond
        // ASCII they differ from the UTF-8 ones, and are covered too.
        let latin1: Option<Vec<u8>> =
            pair.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect();
        if let Some(bytes) = latin1.filter(|b| b.as_slice() != pair.as_bytes()) {
            self.byte_encodings(&bytes, Vec::new(), true);
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
        self.encodings(secret, true);
    }

    /// The spellings of `text`; `runs`: its text spellings are looked for in runs too.
    fn encodings(&mut self, text: &str, runs: bool) {
        let found = vec![
            text.to_string(),
            percent(text, false, false),
            percent(text, true, false),
            percent(text, false, true),
            percent(text, true, true),
        ];
        self.byte_encodings(text.as_bytes(), found, runs);
    }

    /// `found` and the hex and base64 spellings of `bytes`, as needles, and their runs of
    /// [`FRAGMENT`] (those of `found` only with `runs`).
    fn byte_encodings(&mut self, bytes: &[u8], mut found: Vec<String>, runs: bool) {
        let texts = found.len();
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
        for (n, needle) in found.into_iter().enumerate() {
            // The letters and digits of every spelling (a percent-encoded one has those of the
            // text itself), hex without case.
            let hex = !needle.is_empty() && needle.bytes().all(|b| b.is_ascii_hexdigit());
            let chars: Vec<char> = project(&needle).into_iter().map(|p| p.0).collect();
            let grams = if runs || n >= texts { chars.windows(FRAGMENT) } else { [].windows(1) };
            for gram in grams {
                let Ok(gram) = Gram::try_from(gram) else { continue };
                let folded = gram.map(|c| c.to_ascii_lowercase());
                if hex {
                    self.folded_grams.insert(folded);
                } else {
                    self.grams.insert(gram);
                }
                self.any_case.insert(folded);
            }
            if needle.len() >= 4 {
                self.needles.insert((Reverse(needle.len()), needle));
            }
        }
    }

    /// `text` with every credential replaced by [`REDACTED`].
    pub fn scrub(&self, text: &str) -> String {
        self.scrub_fragments(&self.scrub_needles(text), false)
    }

    /// [`Redactor::scrub`] for text whose case may have been changed on the way (a host name,
    /// a URL scheme, a media type): runs of a secret are looked for in any case.
    pub fn scrub_any_case(&self, text: &str) -> String {
        self.scrub_fragments(&self.scrub_needles(text), true)
    }

    /// `text` with every credential spelled whole (as sent, percent-encoded, hex, base64)
    /// replaced by [`REDACTED`], and no more: for text substractl composed around what a
    /// server said, where a run of a word-like secret could stand by chance.
    pub fn scrub_whole(&self, text: &str) -> String {
        self.scrub_needles(text)
    }

    fn scrub_needles(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (_, needle) in &self.needles {
            if out.contains(needle.as_str()) {
                out = out.replace(needle.as_str(), REDACTED);
            }
        }
        out
    }

    /// Replaces every run of at least [`FRAGMENT`] letters and digits that also stands, in
    /// that order, in a secret or one of its encodings. The run is looked for in the text's
    /// letters and digits alone, percent-escapes decoded, so that blanks, punctuation and
    /// escapes between the pieces of a secret do not hide it; the whole stretch of text it
    /// spans is replaced.
    fn scrub_fragments(&self, text: &str, any_case: bool) -> String {
        if self.any_case.is_empty() {
            return text.to_string();
        }
        let projected = project(text);
        let plain: Vec<char> = projected.iter().map(|p| p.0).collect();
        let folded: Vec<char> = plain.iter().map(char::to_ascii_lowercase).collect();
        let gram = |chars: &[char], i: usize| Gram::try_from(&chars[i..i + FRAGMENT]).ok();
        let known = |i: usize| {
            i + FRAGMENT <= plain.len()
                && if any_case {
                    gram(&folded, i).is_some_and(|g| self.any_case.contains(&g))
                } else {
                    gram(&plain, i).is_some_and(|g| self.grams.contains(&g))
                        || gram(&folded, i).is_some_and(|g| self.folded_grams.contains(&g))
                }
        };
        // Byte ranges of the text to replace: from the first run of a secret to the last one
        // that follows it without a gap.
        let mut spans: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < plain.len() {
            if !known(i) {
                i += 1;
                continue;
            }
            let mut last = i;
            while known(last + 1) {
                last += 1;
            }
            spans.push((projected[i].1, projected[last + FRAGMENT - 1].2));
            i = last + FRAGMENT;
        }
        if spans.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, end) in spans {
            out.push_str(&text[at..start]);
            out.push_str(REDACTED);
            at = end;
        }
        out.push_str(&text[at..]);
        out
    }
}

/// The letters and digits of `text`, each with the byte range it came from: a percent-escape
/// (`%41`) stands for the character it encodes when that is a letter or a digit, and every
/// other character (blanks, punctuation, controls) is left out.
fn project(text: &str) -> Vec<(char, usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let hex = |k: usize| bytes.get(k).is_some_and(u8::is_ascii_hexdigit);
        if c == '%' && hex(at + 1) && hex(at + 2) {
            let escaped = std::str::from_utf8(&bytes[at + 1..at + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = escaped {
                if b.is_ascii_alphanumeric() {
                    out.push((char::from(b), at, at + 3));
                }
                chars.next();
                chars.next();
                continue;
            }
        }
        if c.is_alphanumeric() {
            out.push((c, at, at + c.len_utf8()));
        }
    }
    out
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

/// The most of a redirect's target that is shown: its origin, `scheme://host[:port]`, with the
/// scheme only when it is a common one, and the run's credentials removed in any case. A path,
/// query or user info is where a hostile server would put what it received.
pub fn shown_origin(url: &reqwest::Url, redactor: &Redactor) -> String {
    let scheme = url.scheme();
    if !matches!(scheme, "http" | "https" | "ftp" | "ws" | "wss") {
        return "a URL of another scheme".to_string();
    }
    let Some(host) = url.host_str().filter(|h| !h.is_empty() && h.len() <= 253) else {
        return format!("a {scheme} URL without a usable host");
    };
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    redactor.scrub_any_case(&format!("{scheme}://{host}{port}"))
}

/// The longest media type shown.
const MAX_MEDIA_TYPE: usize = 64;

/// A `Content-Type` as it may be shown: the media type alone (`type/subtype`, letters, digits
/// and `.+-`, at most 64 characters, in lower case), without its parameters, and the run's
/// credentials removed in any case; anything else is not shown.
pub fn shown_media_type(value: &[u8], redactor: &Redactor) -> String {
    let text = String::from_utf8_lossy(value);
    let media = text.split(';').next().unwrap_or("").trim();
    let token = |t: &str| {
        !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b".+-".contains(&b))
    };
    match media.split_once('/') {
        _ if media.is_empty() => "no content type".to_string(),
        Some((kind, sub)) if token(kind) && token(sub) && media.len() <= MAX_MEDIA_TYPE => {
            redactor.scrub_any_case(&media.to_ascii_lowercase())
        }
        _ => "a content type not shown".to_string(),
    }
}

/// The longest text from the network shown in a message (a gRPC status message, a library's
/// error): longer text is cut, with `…`.
pub const MAX_SHOWN: usize = 200;

/// `text` from the network, at most [`MAX_SHOWN`] characters, the run's credentials removed.
pub fn shown_text(text: &str, redactor: &Redactor) -> String {
    let scrubbed = redactor.scrub(text);
    match scrubbed.char_indices().nth(MAX_SHOWN) {
        Some((at, _)) => format!("{}…", &scrubbed[..at]),
        None => scrubbed,
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
    fn a_secret_spaced_out_or_escaped_is_redacted() {
        let mut r = Redactor::new();
        let secret = "Zq7Kp2Lm9XabcdefR4Tn8Wb3Vc6Yd1Hf5Jg0Qs";
        r.basic("biotechnicaMSP", secret);
        let spaced: Vec<String> =
            secret.as_bytes().chunks(3).map(|c| c.escape_ascii().to_string()).collect();
        for text in [
            format!("text/{}", spaced.join(" ")),
            format!("x-{}-y", spaced.join("-")),
            format!("http://{}.example", spaced.join(".")),
            secret.bytes().map(|b| format!("%{b:02x}")).collect::<String>(),
            format!("<{}>", &secret[3..3 + FRAGMENT]),
            hex::encode(secret)
                .chars()
                .enumerate()
                .map(|(i, c)| if i % 2 == 0 { c.to_ascii_uppercase() } else { c })
                .collect(),
        ] {
            let scrubbed = r.scrub(&text);
            assert!(scrubbed.contains(REDACTED), "{text} -> {scrubbed}");
            for piece in &spaced[1..spaced.len() - 1] {
                assert!(!scrubbed.contains(piece.as_str()), "{text} -> {scrubbed}");
            }
        }
        // The user name alone, ordinary words and numbers stay as they are.
        for plain in [
            "http://api.biotechnicaMSP.example:8443",
            "biotechnicaMSP: status 503 after 10 seconds",
            "application/json",
            "2026-11-30T00:51:28Z",
        ] {
            assert_eq!(r.scrub(plain), plain);
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

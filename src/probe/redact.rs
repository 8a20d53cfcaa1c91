//! Keeping the credentials a run holds out of everything a server sends back.
//!
//! A server that received a request's `Authorization` header can put it anywhere in its answer:
//! a redirect's `Location`, a URL that the client then fails to follow, a reason phrase. Every
//! string that came from the network goes through [`Redactor::scrub`] before it becomes part
//! of a report, and URLs are shown by [`shown_url`], which drops user info, query and fragment.
//! What a server structures itself (where a redirect leads, a content type) is shown only in a
//! closed form: [`redirect_target`], [`shown_media_type`].

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

/// How many words of each item, from its start and from its end, [`Redactor::scrub_items`]
/// reads across items.
const MAX_WORD: usize = 4;

/// The periods of a character inserted between the pieces of a secret that are looked
/// through: `Zq7Kp2LXm9Xabc…` (one character added after every 4 to 8 characters). Shorter
/// periods would find runs of a word-like secret in ordinary text.
const PERIODS: std::ops::RangeInclusive<usize> = 5..=9;

/// The credentials of a run, in every spelling a server could echo them in.
///
/// No redactor recognises every encoding a server could choose; this one removes every
/// spelling listed on [`Redactor::add`], in any case, spaced out or cut by punctuation,
/// reversed, with a character added at a regular interval, and in fullwidth characters.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// Longest first, so that a secret is not left half-replaced by a shorter one it contains.
    needles: BTreeSet<(Reverse<usize>, String)>,
    /// Every run of [`FRAGMENT`] letters and digits of a secret or of one of its encodings, in
    /// lower case: runs are compared without case (a host name, a media type or a server's
    /// message may have changed it).
    grams: HashSet<Gram>,
    /// Names that are not secret (organizations, channels), in lower case: a secret may be
    /// made of them, and their runs are not redacted where they stand alone.
    kept: BTreeSet<Vec<char>>,
    /// Short credentials ([`Redactor::add_word`]), redacted where they stand as a word.
    words: BTreeSet<String>,
}

impl Redactor {
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Keeps `name` (an organization's, a channel's: no secret) where it stands in a text,
    /// even when a secret holds it: its letters and digits never count towards a run of a
    /// secret. A secret spelled whole is still redacted whole.
    pub fn keep(&mut self, name: &str) {
        let chars: Vec<char> = project(name).into_iter().map(|p| p.0).collect();
        if chars.len() >= 3 {
            self.kept.insert(chars);
        }
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

    /// Adds one secret: as is, percent-encoded, hex, base64 (at any alignment, in both
    /// alphabets), base32 (in both alphabets), and any run of [`FRAGMENT`] of its characters
    /// or of one of those encodings.
    pub fn add(&mut self, secret: &str) {
        // A very short secret would redact half of every message; the backend's own secrets are
        // long, and `check links` flags short ones.
        if secret.chars().count() < 4 {
            return;
        }
        self.encodings(secret, true);
    }

    /// Adds a short credential (fewer than [`FRAGMENT`] characters, at least 4): it is
    /// redacted, in any case, where it stands as a word of its own, never inside a longer run
    /// of letters and digits. A short credential is often a word or a number a report uses
    /// (`admin`, a port): as a piece of a longer word (`admin` in `administrator`) it is left,
    /// so that the report stays readable; too short to be recognised in pieces, it is not
    /// looked for in other spellings.
    pub fn add_word(&mut self, secret: &str) {
        if secret.chars().count() >= 4 {
            self.words.insert(secret.to_string());
        }
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

    /// `found` and the hex, base64 and base32 spellings of `bytes`, as needles, and their runs
    /// of [`FRAGMENT`] (those of `found` only with `runs`).
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
        // base32 of a secret on its own (as a server would spell it into a host name), in the
        // standard and the "extended hex" alphabets (any case: runs are compared without it).
        // Not at every alignment nor for `user:password`: a deployment's redactor holds every
        // pair, and each spelling adds about a hundred runs per secret.
        if runs {
            for alphabet in [BASE32, BASE32_HEX] {
                found.push(base32(bytes, alphabet));
            }
        }
        for (n, needle) in found.into_iter().enumerate() {
            // The letters and digits of every spelling (a percent-encoded one has those of the
            // text itself), in lower case.
            let chars: Vec<char> = project(&needle).into_iter().map(|p| p.0).collect();
            if runs || n >= texts {
                for gram in chars.windows(FRAGMENT) {
                    if let Ok(gram) = Gram::try_from(gram) {
                        self.grams.insert(gram);
                    }
                }
            }
            if needle.len() >= 4 {
                self.needles.insert((Reverse(needle.len()), needle));
            }
        }
    }

    /// `text` with every credential replaced by [`REDACTED`].
    pub fn scrub(&self, text: &str) -> String {
        let text = self.scrub_words(&self.scrub_needles(text));
        let spans = self.spans(&text);
        if spans.is_empty() {
            return text;
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

    /// `items` (a server's list: service names), each scrubbed, and each that holds a piece of
    /// a credential spread over several items replaced by [`REDACTED`]. The items are read
    /// one after the other in the order the server sent them: whole, and by their n-th word
    /// (a run of letters and digits) from the start and from the end, so that a name around
    /// each piece (`svc.Zq7Kp2`, `svc.Lm9Xab` ...) does not hide it.
    pub fn scrub_items(&self, items: &[String]) -> Vec<String> {
        let mut out: Vec<String> = items.iter().map(|i| self.scrub(i)).collect();
        if self.grams.is_empty() {
            return out;
        }
        let words: Vec<Vec<&str>> = items
            .iter()
            .map(|i| i.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect())
            .collect();
        let mut readings: Vec<Vec<Option<&str>>> =
            vec![items.iter().map(|i| Some(i.as_str())).collect()];
        for n in 0..MAX_WORD {
            readings.push(words.iter().map(|w| w.get(n).copied()).collect());
            readings.push(words.iter().map(|w| w.iter().rev().nth(n).copied()).collect());
        }
        for reading in readings {
            let mut joined = String::new();
            let mut ranges = Vec::new();
            for part in &reading {
                let start = joined.len();
                joined.push_str(part.unwrap_or(""));
                ranges.push((start, joined.len()));
            }
            let spans = self.spans(&joined);
            for (n, (start, end)) in ranges.into_iter().enumerate() {
                if spans.iter().any(|&(s, e)| s < end && start < e) {
                    out[n] = REDACTED.to_string();
                }
            }
        }
        out
    }

    /// `text` with every short credential that stands as a word (no letter or digit right
    /// before or after it) replaced, compared without ASCII case.
    fn scrub_words(&self, text: &str) -> String {
        let mut out = text.to_string();
        for word in &self.words {
            let mut found = String::with_capacity(out.len());
            let mut at = 0;
            let mut i = 0;
            let bytes = out.as_bytes();
            while i + word.len() <= bytes.len() {
                let here = out.is_char_boundary(i)
                    && out.is_char_boundary(i + word.len())
                    && bytes[i..i + word.len()].eq_ignore_ascii_case(word.as_bytes())
                    && !out[..i].chars().next_back().is_some_and(char::is_alphanumeric)
                    && !out[i + word.len()..].chars().next().is_some_and(char::is_alphanumeric);
                if here {
                    found.push_str(&out[at..i]);
                    found.push_str(REDACTED);
                    i += word.len();
                    at = i;
                } else {
                    i += 1;
                }
            }
            if at > 0 {
                found.push_str(&out[at..]);
                out = found;
            }
        }
        out
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

    /// The byte ranges of `text` to replace, sorted and apart: every run of at least
    /// [`FRAGMENT`] letters and digits that also stands, in that order or reversed, in a
    /// secret or one of its encodings. The run is looked for in the text's letters and digits
    /// alone, in lower case, fullwidth forms and percent-escapes decoded, so that blanks,
    /// punctuation and escapes between the pieces of a secret do not hide it, and again with
    /// every k-th of them left out (k in [`PERIODS`]), for a character added at a regular
    /// interval; the whole stretch of text it spans is replaced.
    fn spans(&self, text: &str) -> Vec<(usize, usize)> {
        if self.grams.is_empty() {
            return Vec::new();
        }
        let mut projected = project(text);
        // Kept names are masked: no run goes through them.
        for name in &self.kept {
            let mut at = 0;
            while at + name.len() <= projected.len() {
                if projected[at..at + name.len()].iter().map(|p| p.0).eq(name.iter().copied()) {
                    for p in &mut projected[at..at + name.len()] {
                        p.0 = '\0';
                    }
                    at += name.len();
                } else {
                    at += 1;
                }
            }
        }
        let mut spans = Vec::new();
        self.find(&projected, &mut spans);
        if projected.len() > FRAGMENT {
            for period in PERIODS {
                for offset in 0..period {
                    let kept: Vec<(char, usize, usize)> = projected
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % period != offset)
                        .map(|(_, p)| *p)
                        .collect();
                    self.find(&kept, &mut spans);
                }
            }
        }
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (start, end) in spans {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        merged
    }

    /// Adds to `spans` the byte ranges of the runs of `chars` that are runs of a secret.
    fn find(&self, chars: &[(char, usize, usize)], spans: &mut Vec<(usize, usize)>) {
        let known = |i: usize| {
            i + FRAGMENT <= chars.len() && {
                let mut gram: Gram = ['\0'; FRAGMENT];
                for (k, c) in chars[i..i + FRAGMENT].iter().enumerate() {
                    gram[k] = c.0;
                }
                self.grams.contains(&gram) || {
                    gram.reverse();
                    self.grams.contains(&gram)
                }
            }
        };
        // From the first run of a secret to the last one that follows it without a gap.
        let mut i = 0;
        while i < chars.len() {
            if !known(i) {
                i += 1;
                continue;
            }
            let mut last = i;
            while known(last + 1) {
                last += 1;
            }
            spans.push((chars[i].1, chars[last + FRAGMENT - 1].2));
            i = last + FRAGMENT;
        }
    }
}

/// RFC 4648's base32 alphabets.
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE32_HEX: &[u8; 32] = b"0123456789ABCDEFGHIJKLMNOPQRSTUV";

/// `bytes` in base32, without padding.
fn base32(bytes: &[u8], alphabet: &[u8; 32]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(alphabet[((buffer >> bits) & 31) as usize]));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(alphabet[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// The letters and digits of `text` in lower case, each with the byte range it came from: a
/// percent-escape (`%41`) stands for the character it encodes when that is a letter or a
/// digit, a fullwidth form (U+FF01 to U+FF5E) for its ASCII character, and every other
/// character (blanks, punctuation, controls) is left out.
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
                    out.push((char::from(b).to_ascii_lowercase(), at, at + 3));
                }
                chars.next();
                chars.next();
                continue;
            }
        }
        let folded = match u32::from(c) {
            wide @ 0xFF01..=0xFF5E => char::from_u32(wide - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        if folded.is_alphanumeric() {
            let lower = folded.to_lowercase().next().unwrap_or(folded);
            out.push((lower, at, at + c.len_utf8()));
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

/// Where a redirect leads, in a closed form relative to the request it answered: the scheme
/// from a fixed list, and whether the host and port are the request's, never a host name,
/// port, path or query the server chose (where a hostile server would put what it received).
pub fn redirect_target(request: &reqwest::Url, target: &reqwest::Url) -> String {
    let scheme = match target.scheme() {
        "http" => "http",
        "https" => "https",
        _ => return "a URL substractl does not follow".to_string(),
    };
    let same_host = match (request.host(), target.host()) {
        (Some(a), Some(b)) => a.to_string().eq_ignore_ascii_case(&b.to_string()),
        _ => false,
    };
    if !same_host {
        return format!("{scheme} on another host");
    }
    let same_scheme = request.scheme() == scheme;
    let same_port = request.port_or_known_default() == target.port_or_known_default();
    match (same_scheme, same_port) {
        (true, true) => "another path of the same address".to_string(),
        (true, false) => format!("another port of the same host ({scheme})"),
        (false, _) if target.port().is_none() => format!("{scheme} on the same host"),
        (false, _) => format!("{scheme} on another port of the same host"),
    }
}

/// The media types shown as they are; any other is `another content type`.
const MEDIA_TYPES: &[&str] = &[
    "text/html",
    "text/plain",
    "text/xml",
    "text/css",
    "text/javascript",
    "text/csv",
    "application/json",
    "application/xml",
    "application/xhtml+xml",
    "application/octet-stream",
    "application/problem+json",
    "application/problem+xml",
    "application/javascript",
    "application/grpc",
    "application/grpc+proto",
    "application/x-www-form-urlencoded",
    "application/pdf",
    "multipart/form-data",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/svg+xml",
    "image/x-icon",
];

/// A `Content-Type` as it may be shown: its media type (without parameters, in lower case)
/// when it is a common one ([`MEDIA_TYPES`]), else `another content type`: a media type is
/// the server's to spell, and it could spell what it received.
pub fn shown_media_type(value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    let media = text.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media.is_empty() {
        return "no content type".to_string();
    }
    match MEDIA_TYPES.iter().find(|m| **m == media) {
        Some(known) => (*known).to_string(),
        None => "another content type".to_string(),
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
    fn a_secret_in_any_case_reversed_interleaved_base32_or_fullwidth_is_redacted() {
        let token = "Zq7Kp2Lm9XabcdefR4Tn8Wb3Vc6Yd1Hf5Jg0Qs";
        let mut r = Redactor::new();
        r.add(token);
        let every = |text: &str, n: usize, sep: char| -> String {
            let chars: Vec<char> = text.chars().collect();
            let parts: Vec<String> = chars.chunks(n).map(|c| c.iter().collect()).collect();
            parts.join(&sep.to_string())
        };
        let fullwidth: String =
            token.chars().map(|c| char::from_u32(u32::from(c) + 0xFEE0).unwrap_or(c)).collect();
        for text in [
            format!("got {}", token.to_uppercase()),
            format!("got {}", token.to_lowercase()),
            format!("got {}", token.chars().rev().collect::<String>()),
            format!("got {}", every(token, 7, 'X')),
            format!("got {}", every(&hex::encode(token), 7, 'z')),
            format!("http://{}.example/", base32(token.as_bytes(), BASE32).to_lowercase()),
            format!("{}.example", base32(token.as_bytes(), BASE32_HEX)),
            format!("got {fullwidth}"),
            format!("not found: {}", every(token, 3, ' ')),
            format!("CN={}", every(&token.to_uppercase(), 12, '.')),
        ] {
            let scrubbed = r.scrub(&text);
            assert!(scrubbed.contains(REDACTED), "{text} -> {scrubbed}");
            assert!(!scrubbed.to_lowercase().contains("lm9xab"), "{text} -> {scrubbed}");
        }
        for plain in [
            "connection refused by 127.0.0.1:8443 after 10s",
            "orchestrator.ComputePlanService",
            "the certificate of 127.0.0.1:8443 is not valid for \"orchestrator.example\"",
        ] {
            assert_eq!(r.scrub(plain), plain);
        }
    }

    #[test]
    fn a_secret_spread_over_items_redacts_them() {
        let token = "Zq7Kp2Lm9XabcdefR4Tn8Wb3Vc6Yd1Hf5Jg0Qs";
        let mut r = Redactor::new();
        r.add(token);
        for form in ["svc.{}", "svc.{}\u{1b}]0;x\u{7}", "a.{}.b.c"] {
            let mut items: Vec<String> = token
                .as_bytes()
                .chunks(6)
                .map(|c| form.replace("{}", &String::from_utf8_lossy(c)))
                .collect();
            items.push("grpc.health.v1.Health".to_string());
            let scrubbed = r.scrub_items(&items);
            assert_eq!(scrubbed.last().map(String::as_str), Some("grpc.health.v1.Health"));
            assert!(scrubbed[..items.len() - 1].iter().all(|s| s == REDACTED), "{scrubbed:?}");
        }
    }

    #[test]
    fn a_short_credential_is_redacted_where_it_stands_as_a_word() {
        let mut r = Redactor::new();
        r.add_word("adm1n");
        r.add_word("abc");
        assert_eq!(
            r.scrub("user adm1n, ADM1N (Adm1n) x-adm1n"),
            "user <redacted>, <redacted> (<redacted>) x-<redacted>"
        );
        // Inside a longer word or number, and too short to be a credential: kept.
        assert_eq!(r.scrub("adm1nistrator 2adm1n abc"), "adm1nistrator 2adm1n abc");
    }

    #[test]
    fn redirects_and_media_types_are_closed_forms() {
        let from = reqwest::Url::parse("http://127.0.0.1:8080/model/?page_size=1").expect("url");
        let to = |u: &str| redirect_target(&from, &reqwest::Url::parse(u).expect("url"));
        assert_eq!(to("https://127.0.0.1/"), "https on the same host");
        assert_eq!(to("https://127.0.0.1:8443/"), "https on another port of the same host");
        assert_eq!(to("http://127.0.0.1:9/x"), "another port of the same host (http)");
        assert_eq!(to("http://127.0.0.1:8080/elsewhere"), "another path of the same address");
        assert_eq!(to("http://jnru24sun5.example/"), "http on another host");
        assert_eq!(to("ftp://127.0.0.1:8080/"), "a URL substractl does not follow");
        assert_eq!(shown_media_type(b"Text/HTML; charset=utf-8"), "text/html");
        assert_eq!(shown_media_type(b"application/problem+json"), "application/problem+json");
        assert_eq!(shown_media_type(b"text/jnru24sun5"), "another content type");
        assert_eq!(shown_media_type(b""), "no content type");
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

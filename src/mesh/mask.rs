//! Masking the secrets and credentials of a text (a dry run's diff) by value and by key.

use std::collections::HashMap;

use crate::values::is_credential_key;

/// Replaces every secret in `text` by asterisks, for diffs that must not leak. First by value:
/// each of the `known` secrets (every one the documents hold and every one the run made) is
/// masked wherever it appears, in every rendering a YAML or JSON text can give it (as is,
/// escaped, single-quoted) and piece by piece (each line and each word of a multi-line or
/// folded value, and percent-encoded as in a URL). Then, as a second net, the value of every
/// credential key ([`crate::values::is_credential_key`]: `secret`, `password`,
/// `rootPassword`, `token`...) and of every `{name, value}` entry whose name is one, on its
/// line and on the lines a value of several lines goes on over (see [`mask_by_key`]).
pub fn mask_secrets(text: &str, known: &[&str]) -> String {
    mask_secrets_with(text, known, &mut |_| MASK.to_string())
}

/// [`mask_secrets`], with each whole secret replaced by the label `label` gives it (which must
/// reveal nothing secret), in the order they appear in the text; pieces of a secret and
/// values that are no known secret read `********`.
pub fn mask_secrets_with(
    text: &str,
    known: &[&str],
    label: &mut dyn FnMut(&str) -> String,
) -> String {
    // needle -> the secret it renders whole (None for a piece of one)
    let mut needles: Vec<(String, Option<&str>)> = Vec::new();
    for s in known.iter().copied().filter(|s| !s.is_empty()) {
        let json = serde_json::to_string(s).unwrap_or_default();
        let escaped = json.get(1..json.len().saturating_sub(1)).unwrap_or_default().to_string();
        needles.push((s.to_string(), Some(s)));
        needles.push((escaped, Some(s)));
        needles.push((s.replace('\'', "''"), Some(s)));
        needles.push((percent_encoded(s), Some(s)));
        needles.extend(s.lines().map(|l| (l.trim().to_string(), None)));
        needles.extend(s.split_whitespace().map(|w| (w.to_string(), None)));
    }
    needles.retain(|(n, _)| n.chars().count() >= MIN_PIECE);
    // Longest first, so that a secret is masked whole rather than a piece of it; a whole
    // rendering before a piece of the same text.
    needles.sort_by(|a, b| {
        b.0.len()
            .cmp(&a.0.len())
            .then_with(|| a.0.cmp(&b.0))
            .then_with(|| b.1.is_some().cmp(&a.1.is_some()))
    });
    needles.dedup_by(|a, b| a.0 == b.0);
    // One pass over the text, looking needles up by their first bytes: quick with the
    // thousands of secrets of a large mesh.
    let mut by_prefix: HashMap<&[u8], Vec<&(String, Option<&str>)>> = HashMap::new();
    for n in &needles {
        by_prefix.entry(&n.0.as_bytes()[..MIN_PIECE]).or_default().push(n);
    }
    // Labels are put in after the second net, which must not mask them: until then each one
    // is a marker of control characters that no YAML text holds.
    let mut labels: Vec<String> = Vec::new();
    let mut numbers: HashMap<&str, usize> = HashMap::new();
    // The key net first, on the text as written: the value pass below may mask a piece of a
    // credential key (`password` within a longer secret), and the key net would then miss
    // that key's value. A known secret is left for the value pass to label.
    let renderings: Vec<String> = known
        .iter()
        .flat_map(|s| {
            let json = serde_json::to_string(s).unwrap_or_default();
            let escaped = json.get(1..json.len().saturating_sub(1)).unwrap_or_default().to_string();
            [s.to_string(), escaped, s.replace('\'', "''")]
        })
        .collect();
    let renderings: Vec<&str> = renderings.iter().map(String::as_str).collect();
    let first = mask_by_key_keeping(text, &renderings);
    let text = first.as_str();
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i + MIN_PIECE <= bytes.len() {
        let found =
            text.is_char_boundary(i).then(|| by_prefix.get(&bytes[i..i + MIN_PIECE])).flatten();
        match found.and_then(|c| c.iter().find(|n| text[i..].starts_with(n.0.as_str()))) {
            Some((n, whole)) => {
                out.push_str(&text[copied..i]);
                match whole {
                    Some(secret) => {
                        let next = labels.len();
                        let k = *numbers.entry(secret).or_insert_with(|| {
                            labels.push(label(secret));
                            next
                        });
                        out.push_str(&format!("{LABEL_START}{k}{LABEL_END}"));
                    }
                    None => out.push_str(MASK),
                }
                i += n.len();
                copied = i;
            }
            None => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    let out = mask_fragments(&out, known);
    let masked = mask_by_key(&out);
    if labels.is_empty() {
        return masked;
    }
    let mut out = String::with_capacity(masked.len());
    let mut rest = masked.as_str();
    while let Some(start) = rest.find(LABEL_START) {
        out.push_str(&rest[..start]);
        let after = &rest[start + LABEL_START.len_utf8()..];
        let end = after.find(LABEL_END).unwrap_or(after.len());
        let k: usize = after[..end].parse().unwrap_or(usize::MAX);
        out.push_str(labels.get(k).map_or(MASK, String::as_str));
        rest = after.get(end + LABEL_END.len_utf8()..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// Masks every run of [`FRAGMENT`] or more bytes that also stands in a known secret: a value
/// that YAML splits over lines in a way no rendering above foresees (an escaped line break in a
/// double-quoted scalar, say) still shows no piece of a secret long enough to matter.
fn mask_fragments(text: &str, known: &[&str]) -> String {
    let windows: std::collections::HashSet<&[u8]> =
        known.iter().flat_map(|s| s.as_bytes().windows(FRAGMENT)).collect();
    if windows.is_empty() {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i + FRAGMENT <= bytes.len() {
        if !text.is_char_boundary(i) || !windows.contains(&bytes[i..i + FRAGMENT]) {
            i += 1;
            continue;
        }
        // Extend the run while each next window is a piece of a secret too.
        let mut end = i + FRAGMENT;
        while end < bytes.len() && windows.contains(&bytes[end + 1 - FRAGMENT..=end]) {
            end += 1;
        }
        while !text.is_char_boundary(end) {
            end += 1;
        }
        out.push_str(&text[copied..i]);
        out.push_str(MASK);
        copied = end;
        i = end;
    }
    out.push_str(&text[copied..]);
    out
}

/// The shortest run of a secret's bytes that [`mask_fragments`] masks wherever it stands.
const FRAGMENT: usize = 8;

/// What a dry run's view of a Secret manifest writes in place of a value
/// (`deployment::accounts`): no value, and more telling than asterisks.
const IN_PLACE: &[&str] = &["<not shown>", "<base64 of the lines below>", "<the lines below>"];

const LABEL_START: char = '\u{1}';
const LABEL_END: char = '\u{2}';
const MASK: &str = "********";
/// Shorter pieces of a secret are not masked by value: they would hide half of the diff.
const MIN_PIECE: usize = 3;

/// `text` percent-encoded as the user info of a URL holds it (`p@ss/1` is `p%40ss%2F1`).
fn percent_encoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The second net, over the lines of a diff (each one after its `+`, `-` or ` `): masks the
/// value of every credential key and of every `{name, value}` entry whose name is one, as
/// [`crate::values::credentials_in`] reads them: a scalar on the key's line (quoted or plain,
/// after an anchor or a tag, in a flow mapping or not), the items of a flow list, and the lines
/// a value goes on over (a block scalar, a quoted or plain scalar over several lines, a value
/// or list that starts on the next line). Booleans, nulls, aliases and http or https URLs
/// without a password are left as they are, as values already labelled. This catches what is
/// not known by value (a value too short to be searched for, or a text that does not parse);
/// a line of a value whose key the diff does not show is masked by value only.
fn mask_by_key(text: &str) -> String {
    mask_by_key_keeping(text, &[])
}

/// [`mask_by_key`], leaving a value that is one of `keep` as it is written (unquoted): the
/// value pass labels it.
fn mask_by_key_keeping(text: &str, keep: &[&str]) -> String {
    let mut net = KeyNet { keep: keep.to_vec(), ..KeyNet::default() };
    text.split_inclusive('\n').map(|line| net.line(line)).collect()
}

#[derive(Default)]
struct KeyNet<'k> {
    /// Values left for the value pass to label (see [`mask_by_key_keeping`]).
    keep: Vec<&'k str>,
    /// The column of the `name` key of an entry whose name is a credential key (`- name:
    /// API_TOKEN`): its `value`, on the next lines too, is a credential.
    named: Option<usize>,
    /// A credential whose value goes on over the next lines.
    open: Option<Open>,
}

#[derive(Clone, Copy)]
enum Open {
    /// A block scalar (`|`, `>-`) of a key at this column: every line indented more is its text.
    Block(usize),
    /// A plain scalar or a list of a key at this column, on the lines indented more (a
    /// mapping there is no credential: its keys are read one by one).
    Plain(usize),
    /// A quoted scalar not closed on its line, until its closing quote.
    Quoted(char),
}

/// A value as it stands after its key, and what the net does with it.
enum Shown {
    /// Shown as it is.
    Kept,
    /// A flow mapping or list: its keys and items are read in turn.
    Flow,
    /// Masked, with the anchor or tag before it.
    Masked,
}

impl KeyNet<'_> {
    fn line(&mut self, line: &str) -> String {
        if line.starts_with("@@") || line.starts_with("--- a/") || line.starts_with("+++ b/") {
            let keep = std::mem::take(&mut self.keep);
            *self = KeyNet { keep, ..KeyNet::default() };
            return line.to_string();
        }
        let (prefix, body) = match line.as_bytes().first() {
            Some(b' ' | b'+' | b'-') => line.split_at(1),
            _ => ("", line),
        };
        let content = body.trim_end_matches(['\n', '\r']);
        let eol = &body[content.len()..];
        let indent = content.len() - content.trim_start_matches(' ').len();
        let blank = content.trim().is_empty();
        let mut out = String::with_capacity(line.len());
        out.push_str(prefix);
        if self.named.is_some_and(|col| !blank && indent < col) {
            self.named = None;
        }
        let mut start = 0;
        match self.open.take() {
            open if blank => self.open = open,
            Some(Open::Quoted(q)) => match closing_quote(content, q, 0) {
                Some(end) => {
                    out.push_str(&content[..indent]);
                    out.push_str(MASK);
                    start = end;
                }
                None => {
                    self.open = Some(Open::Quoted(q));
                    return format!("{out}{}{MASK}{eol}", &content[..indent]);
                }
            },
            Some(Open::Block(col)) if indent > col => {
                self.open = Some(Open::Block(col));
                return format!("{out}{}{MASK}{eol}", &content[..indent]);
            }
            Some(Open::Plain(col)) if indent > col && !holds_key(content) => {
                self.open = Some(Open::Plain(col));
                let item = content[indent..].strip_prefix("- ").map_or(0, |_| 2);
                let item = item + content[indent + item..].len()
                    - content[indent + item..].trim_start().len();
                return format!("{out}{}{MASK}{eol}", &content[..indent + item]);
            }
            _ => {}
        }
        self.keys(content, start, &mut out);
        out.push_str(eol);
        out
    }

    /// Reads the keys of a line from byte `start` on, masking the values of credentials.
    fn keys(&mut self, content: &str, start: usize, out: &mut String) {
        let mut i = start;
        // How deep in flow collections (`{`, `[`) the text read so far is.
        let mut depth = 0usize;
        let mut named_here = false;
        while let Some(colon) = key_colon(content, i) {
            let (key, key_at) = key_before(content, i, colon);
            let gap = content[colon + 1..].len() - content[colon + 1..].trim_start().len();
            let value_at = colon + 1 + gap;
            for c in content[i..value_at].chars() {
                match c {
                    '{' | '[' => depth += 1,
                    '}' | ']' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
            let value = &content[value_at..];
            let end = value_end(value, depth > 0);
            let credential =
                is_credential_key(key) || key == "value" && (named_here || self.named.is_some());
            if credential {
                // An anchor or a tag written before a credential's key (`&x secret:`) is
                // masked: its name may be anything, a credential too.
                let before = &content[i..key_at];
                let props = properties_at_end(before);
                out.push_str(&before[..props]);
                if props < before.len() {
                    out.push_str(MASK);
                    out.push(' ');
                }
                out.push_str(&content[key_at..value_at]);
            } else {
                out.push_str(&content[i..value_at]);
            }
            if key == "name" {
                let name = unquoted(&value[..end]);
                named_here = !name.is_empty() && is_credential_key(name);
                self.named = named_here.then_some(key_at);
            }
            let (props, shown) = if credential {
                self.judge(value, end, key_at, depth > 0)
            } else if value.starts_with(['{', '[']) {
                (0, Shown::Flow)
            } else {
                (0, Shown::Kept)
            };
            // An anchor or a tag before a credential's value is masked with it.
            if props > 0 && !matches!(shown, Shown::Masked) {
                out.push_str(MASK);
                out.push(' ');
            }
            i = match shown {
                Shown::Kept => {
                    out.push_str(&value[props..end]);
                    value_at + end
                }
                Shown::Flow => value_at + props,
                Shown::Masked => {
                    out.push_str(MASK);
                    value_at + end
                }
            };
        }
        out.push_str(&content[i..]);
    }

    /// What to do with the value of a credential key at column `key_at`, which stands as
    /// `value[..end]` on its line (its rest is `value[end..]`), and how many bytes of anchors
    /// and tags stand before it.
    fn judge(&mut self, value: &str, end: usize, key_at: usize, flow: bool) -> (usize, Shown) {
        let shown = self.judge_scalar(value, end, key_at, flow);
        (properties_len(&value[..end]), shown)
    }

    /// [`KeyNet::judge`]'s decision.
    fn judge_scalar(&mut self, value: &str, end: usize, key_at: usize, flow: bool) -> Shown {
        let text = value[..end].trim_end();
        // An anchor or a tag before the value: `&pw secret`, `!!str 1234`.
        let scalar = &text[properties_len(text).min(text.len())..];
        let to_line_end =
            value[end..].trim().is_empty() || value[end..].trim_start().starts_with('#');
        if scalar.is_empty() {
            if to_line_end && !flow {
                self.open = Some(Open::Plain(key_at));
            }
            return Shown::Kept;
        }
        if scalar.contains(LABEL_START)
            || scalar.starts_with('*')
            || IN_PLACE.contains(&scalar)
            || self.keep.contains(&unquoted(scalar))
        {
            return Shown::Kept;
        }
        if scalar.starts_with(['|', '>'])
            && scalar.chars().all(|c| matches!(c, '|' | '>' | '-' | '+') || c.is_ascii_digit())
        {
            self.open = Some(Open::Block(key_at));
            return Shown::Kept;
        }
        if scalar.starts_with('{') {
            return Shown::Flow;
        }
        const NOT_TEXT: &[&str] =
            &["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"];
        if NOT_TEXT.contains(&scalar.to_ascii_lowercase().as_str()) {
            return Shown::Kept;
        }
        let unquoted = unquoted(scalar);
        let lower = unquoted.to_ascii_lowercase();
        if (lower.starts_with("http://") || lower.starts_with("https://"))
            && reqwest::Url::parse(unquoted).is_ok_and(|u| u.password().is_none())
        {
            return Shown::Kept;
        }
        match scalar.chars().next() {
            Some(q @ ('"' | '\'')) if closing_quote(scalar, q, 1).is_none() => {
                self.open = Some(Open::Quoted(q));
            }
            Some('"' | '\'' | '[') => {}
            _ if to_line_end && !flow => self.open = Some(Open::Plain(key_at)),
            _ => {}
        }
        Shown::Masked
    }
}

/// How many bytes of anchors and tags (`&pw `, `!!str `) a value starts with, with the blanks
/// after them.
fn properties_len(text: &str) -> usize {
    let mut from = 0;
    while text[from..].starts_with(['&', '!']) {
        let token = text[from..].find([' ', '\t']).unwrap_or(text.len() - from);
        let rest = &text[from + token..];
        from += token + (rest.len() - rest.trim_start().len());
    }
    from
}

/// Where the anchors and tags that end `text` (the text before a key: `- &x `) start; its
/// length when none does.
fn properties_at_end(text: &str) -> usize {
    let mut start = text.len();
    loop {
        let head = text[..start].trim_end_matches([' ', '\t']);
        let word = head.rfind([' ', '\t', '{', '[', ',']).map_or(0, |i| i + 1);
        if head.len() > word && head[word..].starts_with(['&', '!']) {
            start = word;
        } else {
            return start;
        }
    }
}

/// The byte after the quote that closes a scalar quoted with `q` in `text`, looking from
/// byte `from` on (`''` in a single-quoted scalar and `\"` in a double-quoted one are no end).
fn closing_quote(text: &str, q: char, from: usize) -> Option<usize> {
    let mut chars = text[from..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if q == '"' && c == '\\' {
            chars.next();
        } else if c == q {
            if q == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                chars.next();
                continue;
            }
            return Some(from + i + 1);
        }
    }
    None
}

/// A scalar without its quotes, as far as a line holds it.
fn unquoted(text: &str) -> &str {
    let text = text.trim();
    for q in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(q) {
            return inner.strip_suffix(q).unwrap_or(inner);
        }
    }
    text
}

/// Whether a line holds a key (`key: value`, `key:`): a line of a mapping, not of a scalar.
fn holds_key(content: &str) -> bool {
    key_colon(content, 0).is_some()
}

/// The next `:` from byte `from` that ends a key: followed by a space, a tab or the line end,
/// and not inside a quoted scalar.
fn key_colon(content: &str, from: usize) -> Option<usize> {
    let bytes = content.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'"' | b'\'') => match closing_quote(content, q as char, i + 1) {
                Some(end) => i = end,
                None => return None,
            },
            b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t') => {
                // A comment: its words are read as keys too (`# secret: xyz`), but a quote
                // in them is no scalar.
                return content[i..]
                    .match_indices(':')
                    .map(|(j, _)| i + j)
                    .find(|&j| matches!(bytes.get(j + 1), None | Some(b' ' | b'\t')));
            }
            b':' if matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')) => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The key that ends at the `:` at byte `colon` (after byte `from`), and the byte it starts at:
/// quoted (`'secret' :`, `"secret":`) or plain, after a space, a flow indicator or a `- `.
fn key_before(content: &str, from: usize, colon: usize) -> (&str, usize) {
    let head = content[from..colon].trim_end_matches([' ', '\t']);
    let head_end = from + head.len();
    if let Some(q) = head.chars().next_back().filter(|c| matches!(c, '"' | '\'')) {
        if let Some(open) = head[..head.len() - 1].rfind(q) {
            return (&content[from + open + 1..head_end - 1], from + open);
        }
    }
    let start = head.rfind([' ', '\t', '{', '[', ',']).map_or(0, |i| i + 1);
    (&content[from + start..head_end], from + start)
}

/// Where a scalar written after a key ends on its line: a quoted one at its closing quote (or
/// the line end), a plain one before a comment or the line end, and in a flow collection
/// before a flow indicator too.
fn value_end(value: &str, flow: bool) -> usize {
    match value.chars().next() {
        Some(q @ ('"' | '\'')) => closing_quote(value, q, 1).unwrap_or(value.len()),
        Some('[') => {
            // A flow list: to its closing bracket.
            let mut depth = 0;
            let mut i = 0;
            let bytes = value.as_bytes();
            while i < bytes.len() {
                match bytes[i] {
                    q @ (b'"' | b'\'') => {
                        i = closing_quote(value, q as char, i + 1).unwrap_or(value.len());
                        continue;
                    }
                    b'[' => depth += 1,
                    b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return i + 1;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            value.len()
        }
        _ => {
            let comment = value.find(" #").unwrap_or(value.len());
            let end = if flow {
                value[..comment].find([',', '}', ']']).unwrap_or(comment)
            } else {
                comment
            };
            value[..end].trim_end().len()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_in_every_form() {
        let text =
            "+      secret: abcdef\n-    - { name: a, secret: 'xyz1' }\n ctx S3CRET and more\n";
        let masked = mask_secrets(text, &["S3CRET"]);
        assert!(
            !masked.contains("abcdef") && !masked.contains("xyz1") && !masked.contains("S3CRET"),
            "{masked}"
        );
        assert!(masked.contains("secret: ********"));
    }

    #[test]
    fn labels_replace_whole_secrets_and_survive_the_second_net() {
        let text = "-  secret: \"Old1Old1\"\n+  secret: New2New2\n   users: [{secret: 'It''s3'}]\n+  secret: unknown-value\n";
        let mut seen = Vec::new();
        let masked = mask_secrets_with(text, &["Old1Old1", "New2New2", "It's3"], &mut |s| {
            seen.push(s.to_string());
            format!("<label {}>", seen.len())
        });
        assert_eq!(
            masked,
            "-  secret: \"<label 1>\"\n+  secret: <label 2>\n   users: [{secret: '<label 3>'}]\n+  secret: ********\n"
        );
        assert_eq!(seen, ["Old1Old1", "New2New2", "It's3"], "one label per secret, in order");
    }

    #[test]
    fn masking_by_value_covers_every_rendering() {
        let text = "+  secret: \"a\\\"b Comma,Pw1\"\n-  'secret' : |\n-    line-one\n-    line-two\n  users: {\"secret\": Hunter22}\n";
        let masked = mask_secrets(text, &["a\"b Comma,Pw1", "line-one\nline-two\n", "Hunter22"]);
        for s in ["Comma", "Pw1", "line-one", "line-two", "Hunter22"] {
            assert!(!masked.contains(s), "{masked}");
        }
        assert!(masked.contains("'secret' : |"), "{masked}");
    }

    #[test]
    fn a_secret_split_by_an_escaped_line_break_shows_no_piece() {
        // YAML joins `"abc\` + newline + `   def"` into `abcdef`: neither half is a rendering
        // of the secret, and the second half sits on a line without a `secret` key.
        let secret = "Zq7Kp2Lm9Xzzzzzzzzzzzzr4Tn8Wb3Vc6Yd1Hf5Jg0Qs";
        let text =
            " - name: b\n   secret: \"Zq7Kp2Lm9Xzzzzzzzzzzzz\\\n   r4Tn8Wb3Vc6Yd1Hf5Jg0Qs\"\n";
        let masked = mask_secrets(text, &[secret]);
        assert!(!masked.contains("r4Tn8Wb3"), "{masked}");
        assert!(!masked.contains("Zq7Kp2Lm"), "{masked}");
        assert!(masked.contains("name: b"), "{masked}");
    }

    #[test]
    fn the_net_masks_every_credential_key_and_leaves_the_rest() {
        let text = " minio:\n   auth:\n     rootPassword: abc\n-    forcePassword: true\n\
                    +    existingSecret: minio-creds\n     postgresPassword: \"q'z\" # set by hand\n\
                    +  token: https://idp.example/token\n+  dbToken: https://u:pw@db.example/\n\
                    \x20 api_key: &k 'x1' \n  other: *k\n  secretName: creds\n  passwordKey: pw\n";
        let masked = mask_by_key(text);
        assert_eq!(
            masked,
            " minio:\n   auth:\n     rootPassword: ********\n-    forcePassword: true\n\
             +    existingSecret: minio-creds\n     postgresPassword: ******** # set by hand\n\
             +  token: https://idp.example/token\n+  dbToken: ********\n\
             \x20 api_key: ******** \n  other: *k\n  secretName: creds\n  passwordKey: pw\n"
        );
        // The anchors and tags of a credential's line go with its value: their names may be
        // anything.
        let text = "- &AnchorName secret: x\n- secret: !<TagName> z\n- {a: &n b, secret: !t |}\n";
        assert_eq!(
            mask_by_key(text),
            "- ******** secret: ********\n- secret: ********\n- {a: &n b, secret: ******** |}\n"
        );
    }

    #[test]
    fn the_net_reads_flow_collections_and_env_entries() {
        let text = "+minio: {auth: {rootPassword: abc, user: admin}}\n\
                    +  - {name: API_TOKEN, value: t0k}\n\
                    +  - {name: HOST, value: h0st}\n\
                    +  - name: DB_PASSWORD\n+    value: \"p1\"\n\
                    +  - name: PORT\n+    value: 5432\n\
                    +  apiKey: [k1, \"k,2\"]\n  list: [a, b]\n";
        let masked = mask_by_key(text);
        assert_eq!(
            masked,
            "+minio: {auth: {rootPassword: ********, user: admin}}\n\
             +  - {name: API_TOKEN, value: ********}\n\
             +  - {name: HOST, value: h0st}\n\
             +  - name: DB_PASSWORD\n+    value: ********\n\
             +  - name: PORT\n+    value: 5432\n\
             +  apiKey: ********\n  list: [a, b]\n"
        );
    }

    #[test]
    fn the_net_follows_a_value_over_its_lines() {
        let text = " a:\n   rootPassword: >-\n     pw1\n\n     pw2\n   user: admin\n\
                    \x20  password: \"first\n     last\" # kept\n   next: 1\n\
                    \x20  token:\n     t0k\n   keys:\n     clientSecret: c1\n\
                    \x20  apiKey:\n     - k1\n     - k2\n   plainPassword: one\n     two\n b: 2\n";
        let masked = mask_by_key(text);
        assert_eq!(
            masked,
            " a:\n   rootPassword: >-\n     ********\n\n     ********\n   user: admin\n\
             \x20  password: ********\n     ******** # kept\n   next: 1\n\
             \x20  token:\n     ********\n   keys:\n     clientSecret: ********\n\
             \x20  apiKey:\n     - ********\n     - ********\n   plainPassword: ********\n     ********\n b: 2\n"
        );
    }

    #[test]
    fn credentials_are_masked_by_value_wherever_they_stand() {
        let text = "   url: postgres://postgres:Pg%40Super99@db/x\n   note: \"MinioRoot99 and\n\
                    \x20    more\"\n   ref: &pw MinioRoot99\n";
        let masked = mask_secrets_with(text, &["Pg@Super99", "MinioRoot99"], &mut |_| "<c>".into());
        assert_eq!(
            masked,
            "   url: postgres://postgres:<c>@db/x\n   note: \"<c> and\n     more\"\n   ref: &pw <c>\n"
        );
    }
}

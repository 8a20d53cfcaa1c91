//! What Helm's YAML reader (go-yaml v2, YAML 1.1) refuses or reads otherwise than the strict
//! parser substractl reads values with: a file where the two disagree is refused with its line,
//! so that every value substractl checks is the value Helm deploys.
//!
//! - NEL, LS and PS (U+0085, U+2028, U+2029) end a line for go-yaml v2: text after one in a
//!   comment is a key to Helm.
//! - A `%YAML` directive other than 1.1 makes go-yaml v2 refuse the file.
//! - A mapping with two merge keys `<<`: go-yaml v2 applies each in turn, over the keys written
//!   before it.
//! - A merge key whose value is no mapping, no alias of one, and no list of those (`<< : ~`,
//!   `<<: *list`): go-yaml v2 refuses the file ("map merge requires map or sequence of maps").
//! - A plain scalar with underscores that go-yaml v2 reads as a number (it drops every `_`
//!   before it reads a number: `1__0` is 10, `10_` is 10), which the strict parser reads as
//!   text.

use yaml_edit::SyntaxKind as K;

use super::cst::{self, Node};

/// The first place in `text` (its offset) that Helm's YAML reader refuses or reads otherwise
/// than the strict parser, and why. `text` has been read by the strict parser; `tree` gives its
/// lossless tree, asked for only when the text holds a merge key or a word with an underscore.
pub fn disagreement(text: &str, tree: impl FnOnce() -> Node) -> Option<(usize, String)> {
    if let Some((at, c)) =
        text.char_indices().find(|(_, c)| matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}'))
    {
        return Some((
            at,
            format!(
                "this line holds U+{:04X}, which Helm's YAML reader takes for a line break \
                 (what follows it is read as a new line): remove it",
                c as u32
            ),
        ));
    }
    if let Some(at) = directive_not_1_1(text) {
        return Some((
            at,
            "Helm's YAML reader reads YAML 1.1 only and refuses this file for its %YAML \
             directive: remove the directive"
                .into(),
        ));
    }
    let merges = text.contains("<<");
    let underscores = underscored_number_candidate(text);
    if !merges && !underscores {
        return None;
    }
    let root = tree();
    let top = cst::document_content(&root)?;
    if merges {
        if let Some(found) = merge_problem(&top) {
            return Some(found);
        }
    }
    if underscores {
        if let Some(found) = underscored_number(&root) {
            return Some(found);
        }
    }
    None
}

/// The offset of a `%YAML` directive whose version is not 1.1.
fn directive_not_1_1(text: &str) -> Option<usize> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let here = at;
        at += line.len();
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") {
            // Directives come before the document's start only.
            return None;
        }
        if let Some(rest) = trimmed.strip_prefix("%YAML") {
            let version = rest.split('#').next().unwrap_or_default().trim();
            return (version != "1.1").then_some(here);
        }
    }
    None
}

/// A merge key in a mapping that already has one, or a merge key whose value go-yaml v2
/// refuses: its offset and why.
fn merge_problem(top: &Node) -> Option<(usize, String)> {
    let maps =
        std::iter::once(top.clone()).chain(top.descendants()).filter(|n| n.kind() == K::MAPPING);
    for map in maps {
        let mut merges = cst::entries(&map).filter(cst::is_merge_key);
        let Some(first) = merges.next() else { continue };
        if let Some(second) = merges.next() {
            return Some((
                cst::range(&second).start,
                "this mapping has a second merge key `<<`: Helm's YAML reader applies each in \
                 turn, over the keys written before it; merge one list instead (`<<: [*a, *b]`)"
                    .into(),
            ));
        }
        if let Some(at) = refused_merge_value(top, &first) {
            return Some((
                at,
                "Helm's YAML reader refuses this merge key `<<`: its value must be a mapping, an \
                 alias of one, or a list of those"
                    .into(),
            ));
        }
    }
    None
}

/// Where the value of a merge key is not one go-yaml v2 merges: a mapping, an alias of a
/// mapping, or a list (written in place) of mappings and aliases of mappings.
fn refused_merge_value(top: &Node, entry: &Node) -> Option<usize> {
    let at = |n: &Node| cst::range(n).start;
    let Some(value) = cst::entry_value(entry) else {
        return Some(cst::colon_end(entry).unwrap_or_else(|| at(entry)));
    };
    let is_map = |n: &Node| match untagged(n).kind() {
        K::MAPPING => true,
        K::ALIAS => cst::anchored_node(top, n).is_some_and(|t| untagged(&t).kind() == K::MAPPING),
        _ => false,
    };
    let value_untagged = untagged(&value);
    if value_untagged.kind() == K::SEQUENCE {
        let items = cst::items(&value_untagged);
        return items.iter().filter_map(cst::item_value).find(|i| !is_map(i)).map(|i| at(&i));
    }
    (!is_map(&value)).then(|| at(&value))
}

/// The content under a tag (`!!map {...}`), or the node itself.
fn untagged(node: &Node) -> Node {
    if node.kind() == K::TAGGED_NODE {
        if let Some(inner) = node
            .children()
            .find(|n| matches!(n.kind(), K::MAPPING | K::SEQUENCE | K::SCALAR | K::ALIAS))
        {
            return inner;
        }
    }
    node.clone()
}

/// Whether the text holds a word that starts as a number and has an underscore in it: only
/// then is the tree walked for [`underscored_number`].
fn underscored_number_candidate(text: &str) -> bool {
    text.split(|c: char| {
        c.is_whitespace() || matches!(c, ':' | ',' | '[' | ']' | '{' | '}' | '#' | '"' | '\'')
    })
    .any(|w| {
        w.contains('_')
            && w.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
    })
}

/// A plain scalar with an underscore that go-yaml v2 reads as a number and the strict parser
/// does not read as that number.
fn underscored_number(root: &Node) -> Option<(usize, String)> {
    for node in root.descendants().filter(|n| n.kind() == K::SCALAR) {
        if cst::quote_of(&node).is_some() || in_tagged(&node) {
            continue;
        }
        let text = node.text().to_string();
        let text = text.trim();
        if !text.contains('_') || text.contains(char::is_whitespace) {
            continue;
        }
        let Some(number) = go_number(text) else { continue };
        let strict =
            serde_saphyr::from_str_with_options::<serde_json::Value>(text, super::helm_options())
                .ok()
                .and_then(|v| v.as_f64());
        if strict != Some(number) {
            // The value is not shown: it may be a secret.
            return Some((
                cst::range(&node).start,
                "Helm's YAML reader drops the underscores of this unquoted value and reads it as \
                 a number: write the number without them, or quote the value if it is text"
                    .into(),
            ));
        }
    }
    None
}

/// Whether a scalar is under a tag (`!!str 1__0`): the tag says what it is.
fn in_tagged(node: &Node) -> bool {
    node.parent().is_some_and(|p| p.kind() == K::TAGGED_NODE)
}

/// The number go-yaml v2 reads a plain scalar as, for one that starts as a number does (a
/// digit, a sign or a dot); `None` when it reads it otherwise (as text, or as a timestamp,
/// which has no underscore).
pub fn go_number(text: &str) -> Option<f64> {
    let first = text.chars().next()?;
    if first == '.' {
        // Only a float, read as Go's ParseFloat reads it (underscores between digits).
        return go_float_literal(text, true);
    }
    if !(first.is_ascii_digit() || first == '+' || first == '-') {
        return None;
    }
    let plain: String = text.chars().filter(|c| *c != '_').collect();
    if let Some(n) = go_parse_int(&plain) {
        return Some(n as f64);
    }
    go_float_literal(&plain, false)
}

/// Go's `strconv.ParseInt(s, 0, 64)`, then `ParseUint(s, 0, 64)`: a sign (ParseInt only), then
/// `0x`, `0o`, `0b` or a leading `0` (octal), else decimal.
fn go_parse_int(s: &str) -> Option<i128> {
    let (negative, unsigned) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = unsigned.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let value = u128::from_str_radix(digits, radix).ok()?;
    let n = if negative { -(i128::try_from(value).ok()?) } else { i128::try_from(value).ok()? };
    let fits = i64::try_from(n).is_ok() || (!negative && u64::try_from(n).is_ok());
    fits.then_some(n)
}

/// go-yaml v2's float: its pattern `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`,
/// then a finite ParseFloat. With `underscores`, Go's rule for them in a literal: each one
/// between two digits.
fn go_float_literal(text: &str, underscores: bool) -> Option<f64> {
    let plain: String = if underscores {
        let b = text.as_bytes();
        let ok = b.iter().enumerate().all(|(i, &c)| {
            c != b'_'
                || (i > 0
                    && b[i - 1].is_ascii_digit()
                    && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        });
        if !ok {
            return None;
        }
        text.chars().filter(|c| *c != '_').collect()
    } else {
        text.to_string()
    };
    let body = plain.strip_prefix(['-', '+']).unwrap_or(&plain);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits(frac),
        Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    if !(mantissa_ok && exponent_ok) {
        return None;
    }
    plain.parse::<f64>().ok().filter(|f| f.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_go_yaml_v2_reads_them() {
        for (text, n) in [
            ("1__0", 10.0),
            ("10_", 10.0),
            ("0_8", 8.0),
            ("1_0.5", 10.5),
            ("1_e3", 1000.0),
            ("0_o7", 7.0),
            ("1_000", 1000.0),
            ("-0x_1f", -31.0),
            ("1234567890_1234567890_1234567890_12", 1.2345678901234567e31),
            (".5_0", 0.5),
            // Past 64 bits, an integer is read as a float.
            ("1234_5678_9012_3456_7890_1234_5678_9012", 1.2345678901234567e31),
            ("12_345678901234567890123456789012.5", 1.2345678901234567e31),
        ] {
            assert_eq!(go_number(text), Some(n), "{text}");
        }
        for text in ["1_a", "_1", "1-2_3", "0x_", "._5", "1e999_", "2001-12-14_"] {
            assert_eq!(go_number(text), None, "{text}");
        }
    }

    #[test]
    fn what_helm_reads_otherwise_is_found_at_its_place() {
        let at = |text: &str| {
            disagreement(text, || cst::parse(text)).map(|(at, _)| cst::line_col(text, at).0)
        };
        assert_eq!(at("a: 1\nb: x # note\u{85}c: 2\n"), Some(2));
        assert_eq!(at("%YAML 1.2\n---\na: 1\n"), Some(1));
        assert_eq!(at("%YAML 1.1\n---\na: 1\n"), None);
        assert_eq!(at("d: &d {a: 1}\nm:\n  <<: *d\n  b: 2\n  <<: {c: 3}\n"), Some(5));
        assert_eq!(at("l: &l [{a: 1}]\nm:\n  <<: *l\n"), Some(3));
        assert_eq!(at("m:\n  <<: ~\n"), Some(2));
        assert_eq!(at("m:\n  <<: [[{a: 1}]]\n"), Some(2));
        assert_eq!(at("d: &d {a: 1}\nm:\n  <<: [*d, {b: 2}]\n  c: 3\n"), None);
        assert_eq!(at("m:\n  <<: !!map {b: 2}\n"), None);
        assert_eq!(at("a:\n  b: x\n  secret: 1__0\n"), Some(3));
        assert_eq!(at("a: {1_0.5: x}\n"), Some(1));
        // Read alike by both: a number with underscores between digits, text, quoted, tagged.
        assert_eq!(at("a: 1_000\nb: v1_2\nc: \"1__0\"\nd: !!str 1__0\ne: my_name\n"), None);
    }
}

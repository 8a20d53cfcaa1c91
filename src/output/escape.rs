//! Untrusted text made visible before it reaches a terminal.
//!
//! Organization names, channels and addresses come from values files; service names and
//! status messages from servers; pod names and error lines from kubectl. Any of them may hold
//! an escape sequence that erases a line, paints a forged `failure`, sets the window title or
//! opens a hyperlink, a carriage return or a newline that starts a forged line, or a bidi
//! override that shows text in another order. Every such character is written as its Rust
//! escape (`\u{1b}`, `\r`, `\n`, `\u{202e}`), so the reader sees that it is there and nothing
//! acts on the terminal. The printer applies this to every string it is given (table cells,
//! check lines, warnings, notes, errors and hints); a renderer that writes free text wraps each
//! report string in [`Esc`]. JSON keeps the exact text: [`json_safe`] only writes the
//! characters that JSON leaves raw (C1 controls, bidi marks) as `\u` escapes.

use std::borrow::Cow;
use std::fmt;

/// True for a character that acts on a terminal or reorders text instead of showing: C0 and C1
/// controls, DEL, the line and paragraph separators, and the invisible bidi and zero-width
/// marks.
pub fn is_hostile(c: char) -> bool {
    crate::shell::is_hostile(c)
}

/// The text with every hostile character (see [`is_hostile`]) written as its escape, newlines
/// included: the result is one line that shows exactly what the text holds.
pub fn escape(text: &str) -> Cow<'_, str> {
    crate::shell::one_line(text)
}

/// Text of several lines (a diff, a file): each line escaped, the newlines that end them kept.
pub fn escape_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_hostile(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.split_inclusive('\n') {
        match line.strip_suffix('\n') {
            Some(body) => {
                out.push_str(&escape(body));
                out.push('\n');
            }
            None => out.push_str(&escape(line)),
        }
    }
    Cow::Owned(out)
}

/// The last guard of the printer: text a renderer made, whose report strings it escaped,
/// written with any hostile character that is still there escaped too, except the newlines and
/// tabs of the layout and substractl's own colours (`ESC [ digits ; m`).
pub fn backstop(text: &str) -> Cow<'_, str> {
    let hostile = |c: char| c != '\n' && c != '\t' && is_hostile(c);
    if !text.chars().any(hostile) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\x1b' {
            let colour = rest[1..].strip_prefix('[').and_then(|r| {
                let params = r.find(|c: char| !c.is_ascii_digit() && c != ';')?;
                r[params..].starts_with('m').then_some(params + 3)
            });
            if let Some(len) = colour {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                continue;
            }
        }
        if hostile(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// Formats a value escaped: `format!("{}", Esc(&name))`, `Esc(path.display())`.
pub struct Esc<T>(pub T);

impl<T: fmt::Display> fmt::Display for Esc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape(&self.0.to_string()))
    }
}

/// A JSON document with the characters that JSON allows raw but a terminal obeys (C1 controls,
/// DEL, bidi and zero-width marks) written as `\u` escapes. They can only stand inside strings,
/// so the document means exactly the same; serde_json already escapes the C0 controls.
pub fn json_safe(json: &str) -> Cow<'_, str> {
    if !json.chars().any(is_hostile_in_json) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_hostile_in_json(c) {
            // Every character this escapes is in the Basic Multilingual Plane: one \u each.
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// serde_json escapes the C0 controls in strings; the newlines and spaces outside them are its
/// own layout.
fn is_hostile_in_json(c: char) -> bool {
    u32::from(c) >= 0x7f && is_hostile(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_newlines_and_bidi_become_visible() {
        assert_eq!(escape("plain name-1.example"), "plain name-1.example");
        assert_eq!(
            escape("a\x1b[2K\rb\x1b]0;t\x07\u{9b}c\u{202e}d\u{2066}\ne\t\x7f"),
            "a\\u{1b}[2K\\rb\\u{1b}]0;t\\u{7}\\u{9b}c\\u{202e}d\\u{2066}\\ne\\t\\u{7f}"
        );
        // Text already escaped stays as it is: escaping twice changes nothing.
        let once = escape("x\x1bm").into_owned();
        assert_eq!(escape(&once), once);
        assert_eq!(escape("Ünïcödé 組織"), "Ünïcödé 組織");
        // Characters that show nothing: a soft hyphen, a tag letter, a format character.
        assert_eq!(
            escape("our\u{ad}\u{e0041}\u{600}\u{2065}channel"),
            "our\\u{ad}\\u{e0041}\\u{600}\\u{2065}channel"
        );
    }

    #[test]
    fn the_backstop_keeps_the_layout_and_the_colours_only() {
        assert_eq!(backstop("a\tb\n\x1b[31mfailed\x1b[0m\n"), "a\tb\n\x1b[31mfailed\x1b[0m\n");
        assert_eq!(
            backstop("x\x1b[2K\ry\x1b]0;t\x07\u{9b}1m\x1b"),
            "x\\u{1b}[2K\\ry\\u{1b}]0;t\\u{7}\\u{9b}1m\\u{1b}"
        );
    }

    /// Any text: controls, C1, bidi and zero-width marks among ordinary characters.
    fn any_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let hostile = prop_oneof![
            (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap_or('\0')),
            (0x7fu32..0xa0).prop_map(|c| char::from_u32(c).unwrap_or('\0')),
            prop::sample::select(vec!['\u{202e}', '\u{2066}', '\u{200f}', '\u{2028}', '\u{feff}']),
        ];
        let ordinary =
            prop::sample::select(vec!['a', '[', ']', ';', '0', 'm', ' ', 'é', '組', '\\']);
        prop::collection::vec(prop_oneof![hostile, ordinary], 0..40)
            .prop_map(|chars| chars.into_iter().collect())
    }

    proptest::proptest! {
        #[test]
        fn nothing_hostile_survives_and_escaping_twice_changes_nothing(text in any_text()) {
            let once = escape(&text).into_owned();
            proptest::prop_assert!(!once.chars().any(is_hostile), "{:?}", once);
            proptest::prop_assert_eq!(escape(&once), once.as_str());
            let lines = escape_lines(&text);
            proptest::prop_assert!(!lines.chars().any(|c| c != '\n' && is_hostile(c)));
            proptest::prop_assert_eq!(lines.matches('\n').count(), text.matches('\n').count());
            let kept = backstop(&text);
            let colours = regex_free_strip_sgr(&kept);
            proptest::prop_assert!(
                !colours.chars().any(|c| c != '\n' && c != '\t' && is_hostile(c)),
                "{:?}", kept
            );
            let json = serde_json::to_string_pretty(&serde_json::json!({ "k": text })).unwrap_or_default();
            let safe = json_safe(&json);
            proptest::prop_assert!(!safe.chars().any(|c| c != '\n' && is_hostile(c)));
            let back: serde_json::Value = serde_json::from_str(&safe).unwrap_or_default();
            proptest::prop_assert_eq!(back["k"].as_str(), Some(text.as_str()));
        }
    }

    /// The text without substractl's colour sequences (`ESC [ digits ; m`).
    fn regex_free_strip_sgr(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find("\x1b[") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 2..];
            let end = after.find(|c: char| !c.is_ascii_digit() && c != ';').unwrap_or(after.len());
            if after[end..].starts_with('m') {
                rest = &after[end + 1..];
            } else {
                out.push('\x1b');
                rest = &rest[at + 1..];
            }
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn lines_keep_their_newlines() {
        assert_eq!(escape_lines("-a\x1b\n+b\r\n"), "-a\\u{1b}\n+b\\r\n");
        assert_eq!(escape_lines("a\nb"), "a\nb");
    }

    #[test]
    fn json_keeps_the_exact_text() {
        let text = "x\x1b\u{9b}\u{202e}\x7fé";
        let json = serde_json::to_string(&serde_json::json!({ "k": text })).expect("json");
        let safe = json_safe(&json);
        assert!(!safe.chars().any(is_hostile), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).expect("valid JSON");
        assert_eq!(back["k"], text);
    }
}

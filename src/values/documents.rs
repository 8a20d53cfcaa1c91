//! A file of several YAML documents (helmfile's layers: `environments:`, `---`, `releases:`),
//! read and edited as the one of them that holds a key, every other document kept byte for
//! byte.
//!
//! The document is read from the file's text with every line of the other documents (and the
//! `---` lines) turned into a comment of the same length: its lines, columns and offsets are
//! the file's, so that every message names the file's line, and an edit of it is put back in
//! the file between the other documents as they were.

use std::path::Path;

use super::{Doc, ValuesError};

/// What is around one document of a file, as [`OneOf::parse`] chose it: the other documents,
/// to put back around it.
#[derive(Debug)]
pub struct OneOf {
    /// The file's text; the document is `original[start..end]`.
    original: String,
    start: usize,
    end: usize,
    /// The text before and after the document as `doc.text` had them when read.
    masked_before: String,
    masked_after: String,
}

/// A line of the file: where it starts, where its text ends (before `\r\n` or `\n`), where
/// the next line starts.
struct Line {
    start: usize,
    end: usize,
    next: usize,
}

impl OneOf {
    /// The document of the file that holds `key` at its top level: the only one, or the last
    /// document when none does (a key added goes there), read in the file's text with the
    /// other documents' lines as comments. A file of one document is that document. Several
    /// documents holding `key` are refused with the line of the second.
    pub fn parse(
        path: &Path,
        bytes: Option<Vec<u8>>,
        key: &str,
    ) -> Result<(Doc, OneOf), ValuesError> {
        let whole = |doc: Doc| {
            let original = doc.text.clone();
            let end = original.len();
            let around = OneOf {
                original,
                start: 0,
                end,
                masked_before: String::new(),
                masked_after: String::new(),
            };
            (doc, around)
        };
        let Some(bytes) = bytes else { return Ok(whole(Doc::parse(path, None)?)) };
        let Some(text) = std::str::from_utf8(&bytes).ok().map(str::to_string) else {
            return Ok(whole(Doc::parse(path, Some(bytes))?));
        };
        let parts = match documents(&text) {
            Some(parts) if !parts.is_empty() => parts,
            // Only comments, or markers this reading does not take (`--- |`, `...`, a
            // directive): the file as one document says what it is.
            _ => return Ok(whole(Doc::parse(path, Some(bytes))?)),
        };
        super::lone_cr(path, &text)?;
        // Each document read on its own (a document read among the others' comments would
        // read the whole file each time); one that is refused is read again in place, for
        // the file's line.
        let in_place =
            |&(start, end): &(usize, usize)| Doc::from_text(path, masked(&text, start, end), true);
        let mut holding = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            match Doc::from_text(path, text[part.0..part.1].to_string(), true) {
                Ok(doc) if doc.data.get(key).is_some() => holding.push(i),
                Ok(_) => {}
                Err(err) => return Err(in_place(part).err().unwrap_or(err)),
            }
        }
        let chosen = match holding.as_slice() {
            [] => parts.len() - 1,
            [one] => *one,
            [first, second, ..] => {
                let (first, second) = (in_place(&parts[*first])?, in_place(&parts[*second])?);
                let line = |doc: &Doc| super::cst::line_col(&text, key_offset(doc, key)).0;
                return Err(second.shape_error(
                    key_offset(&second, key),
                    format!(
                        "{key} is in two documents of this file (lines {} and {}): substractl \
                         edits the {key} of one document; put them together",
                        line(&first),
                        line(&second)
                    ),
                ));
            }
        };
        let (start, end) = parts[chosen];
        let doc = in_place(&parts[chosen])?;
        let masked_before = doc.text[..start].to_string();
        let masked_after = doc.text[end..].to_string();
        Ok((doc, OneOf { original: text, start, end, masked_before, masked_after }))
    }

    /// The file's text with the document as `doc` (the one read, edited) has it now, the
    /// other documents as they were. An edit that reached beyond the document is refused.
    pub fn text(&self, doc: &Doc) -> Result<String, ValuesError> {
        let edited = &doc.text;
        let (before, after) = (self.masked_before.len(), self.masked_after.len());
        let kept = edited.len() >= before + after
            && edited.is_char_boundary(before)
            && edited.is_char_boundary(edited.len() - after)
            && edited[..before] == self.masked_before
            && edited[edited.len() - after..] == self.masked_after;
        if !kept {
            return Err(ValuesError::Verify { path: doc.path.clone() });
        }
        Ok(format!(
            "{}{}{}",
            &self.original[..self.start],
            &edited[before..edited.len() - after],
            &self.original[self.end..]
        ))
    }
}

/// Where `key` is written at the top level of `doc`: the line that starts with it, else where
/// its value is.
fn key_offset(doc: &Doc, key: &str) -> usize {
    let written = format!("{key}:");
    lines(&doc.text)
        .into_iter()
        .find(|l| doc.text[l.start..l.end].starts_with(&written))
        .map_or_else(|| super::edit::offset_of(doc, &[super::edit::Seg::Key(key)]), |l| l.start)
}

/// The lines of `text`.
fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\n') {
        let end = if text[..i].ends_with('\r') { i - 1 } else { i };
        out.push(Line { start, end, next: i + 1 });
        start = i + 1;
    }
    if start < text.len() {
        out.push(Line { start, end: text.len(), next: text.len() });
    }
    out
}

/// The documents of `text` that hold more than comments and blank lines, as byte ranges
/// between `---` lines (a `---` line belongs to neither side). None when the text has a
/// marker this reading does not take: `---` with content after it on its line, a `...` end
/// marker, or a `%` directive.
fn documents(text: &str) -> Option<Vec<(usize, usize)>> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut content = false;
    for line in lines(text) {
        let l = &text[line.start..line.end];
        // A comment needs a blank before its `#`: `---#c` is a scalar, not a marker.
        let marker = |m: &str| {
            l.strip_prefix(m).is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
        };
        if marker("---") {
            let rest = l[3..].trim_start_matches([' ', '\t']);
            if !(rest.is_empty() || rest.starts_with('#')) {
                return None;
            }
            if content {
                parts.push((start, line.start));
            }
            start = line.next;
            content = false;
            continue;
        }
        if marker("...") || l.starts_with('%') {
            return None;
        }
        let t = l.trim_start_matches([' ', '\t']);
        // A comment with a character Helm's reader takes for a line break (U+2028, U+2029,
        // U+0085) holds content for it: its document is read, and refused at that line.
        let breaks = l.contains(['\u{2028}', '\u{2029}', '\u{85}']);
        if !(t.is_empty() || t.starts_with('#')) || breaks {
            content = true;
        }
    }
    if content {
        parts.push((start, text.len()));
    }
    Some(parts)
}

/// `text` with every line outside `start..end` made a comment of the same length (`#` and
/// blanks; an empty line stays empty), line endings kept.
fn masked(text: &str, start: usize, end: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in lines(text) {
        if line.start >= start && line.start < end {
            out.push_str(&text[line.start..line.end]);
        } else if line.end > line.start {
            out.push('#');
            out.extend(std::iter::repeat_n(' ', line.end - line.start - 1));
        }
        // The line's ending as written.
        out.push_str(&text[line.end..line.next]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_told_apart_by_their_marker_lines() {
        assert_eq!(documents("a: 1\n---\nb: 2\n"), Some(vec![(0, 5), (9, 14)]));
        assert_eq!(documents("# c\n---\na: 1\n---  # end\n\n"), Some(vec![(8, 13)]));
        assert_eq!(documents("a: 1\r\n---\r\nb: 2"), Some(vec![(0, 6), (11, 15)]));
        // `----`, `---#c` (a comment needs a blank before it) and an indented `---` are
        // content, not markers.
        assert_eq!(documents("a: |\n  ---\n----: 1\n"), Some(vec![(0, 19)]));
        assert_eq!(documents("a: 1\n---#c\n"), Some(vec![(0, 11)]));
        for other in ["a: 1\n--- |\n x\n", "a: 1\n...\n", "%YAML 1.2\n---\na: 1\n"] {
            assert_eq!(documents(other), None, "{other:?}");
        }
    }

    #[test]
    fn the_document_holding_the_key_is_read_with_the_files_lines_and_put_back() {
        let text = "x: 1\n---\r\nreleases: [a]\n---\ny: 2\n";
        let path = Path::new("helmfile.yaml");
        let (doc, around) =
            OneOf::parse(path, Some(text.as_bytes().to_vec()), "releases").expect("read");
        assert_eq!(doc.data, serde_json::json!({"releases": ["a"]}));
        assert_eq!(doc.text, "#   \n#  \r\nreleases: [a]\n#  \n#   \n");
        assert_eq!(around.text(&doc).expect("put back"), text);
        // None holds it: the last document.
        let (doc, _) = OneOf::parse(path, Some(text.as_bytes().to_vec()), "z").expect("read");
        assert_eq!(doc.data, serde_json::json!({"y": 2}));
        // An edit that reached beyond the document is refused.
        let (mut doc, around) =
            OneOf::parse(path, Some(text.as_bytes().to_vec()), "releases").expect("read");
        doc.text.insert_str(0, "z: 0\n");
        assert!(matches!(around.text(&doc), Err(ValuesError::Verify { .. })));
        // A message names the file's line.
        for (broken, at) in [
            ("x: 1\n---\nreleases: [a\n", "helmfile.yaml:3:"),
            ("x: 1\n---\n# a list\n- a\n---\nreleases: []\n", "helmfile.yaml:4:1: the top"),
            ("x: 1\n---#c\nreleases: []\n", "helmfile.yaml:2:1:"),
        ] {
            let err =
                OneOf::parse(path, Some(broken.as_bytes().to_vec()), "releases").expect_err(broken);
            assert!(err.to_string().starts_with(at), "{broken:?}: {err}");
        }
        // A comment document holding a line break of Helm's is refused at its line.
        for text in ["# x\u{2028}releases: []\n---\nreleases: [a]\n", "a: 1\n---\n# x\u{85}y: 1\n"]
        {
            let err =
                OneOf::parse(path, Some(text.as_bytes().to_vec()), "releases").expect_err(text);
            assert!(err.to_string().starts_with("helmfile.yaml:"), "{err}");
        }
        // One document between empty ones (a `---` at the end) is that document.
        let text = "---\n# c\n---\nreleases: [a]\n---\n";
        let (doc, around) =
            OneOf::parse(path, Some(text.as_bytes().to_vec()), "releases").expect("read");
        assert_eq!(doc.data, serde_json::json!({"releases": ["a"]}));
        assert_eq!(around.text(&doc).expect("put back"), text);
    }

    #[test]
    fn the_document_of_thousands_that_holds_the_key_is_found() {
        let mut text: String = (0..3000).map(|i| format!("k{i}: {i}\n---\n")).collect();
        text.push_str("releases: []\n---\nlast: 1\n");
        let path = Path::new("helmfile.yaml");
        let (doc, around) =
            OneOf::parse(path, Some(text.clone().into_bytes()), "releases").expect("read");
        assert_eq!(doc.data, serde_json::json!({"releases": []}));
        assert_eq!(around.text(&doc).expect("put back"), text);
    }
}

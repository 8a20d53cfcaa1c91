//! What go-yaml v2's scanner (Helm's YAML reader, as sigs.k8s.io/yaml vendors it) refuses or
//! splits otherwise than the strict parser, in the characters of a file rather than its values:
//!
//! - Escapes in double-quoted text: `\/` (YAML 1.2 only) and a UTF-16 surrogate written as
//!   `\uD83D\uDE00` (go-yaml v2 refuses each half).
//! - Tabs: in a line's indentation outside quoted text, flow collections and the content of a
//!   block scalar (where a tab before the content's indentation is refused too), and after a
//!   `-`, `?` or a `:` that starts a line.
//! - Flow collections (`[...]`, `{...}`): `?` is a key mark wherever a value starts (`[?c]` is
//!   `[{c: null}]` to go-yaml v2) and ends a plain value (`[a?b]`); `:` followed by text where a
//!   value starts (`[:c]`); a `:` followed by `,`, `[`, `]`, `{` or `}` inside a plain value (text
//!   to go-yaml v2: `[a:, b]` is `["a:", "b"]`); a key written over two lines. (A tag followed
//!   by anything but a blank is refused by `goyaml`.)
//!
//! No value is ever put in a message: it may be a secret.

use yaml_edit::SyntaxKind as K;

use super::cst::{self, Node};

/// The first place in `text` (its offset) that go-yaml v2's scanner refuses or splits otherwise
/// than the strict parser, and why. `root` is the lossless tree of `text`.
pub fn disagreement(text: &str, root: &Node) -> Option<(usize, String)> {
    let mut found: Vec<(usize, String)> = Vec::new();
    if text.contains('\\') {
        found.extend(escape_problem(root));
    }
    if text.contains('\t') {
        found.extend(tab_problem(text, root));
    }
    if candidate(text) {
        found.extend(flow_problem(text, root));
    }
    found.into_iter().min_by_key(|(at, _)| *at)
}

/// Whether the text may hold what [`disagreement`] finds, by a scan of its lines that needs no
/// tree: a backslash, a tab, or a line with a flow collection that holds a `?`, a `!`, a `:`
/// after `[`, `{` or `,` or before `,`, `[`, `]`, `{` or `}`, or brackets left open (a
/// collection over several lines). Empty collections (`[]`, `{ }`) and lists of quoted text
/// need no tree.
pub fn candidate(text: &str) -> bool {
    if text.contains(['\\', '\t']) {
        return true;
    }
    text.lines().any(|line| {
        if !line.contains(['[', '{']) {
            return false;
        }
        // A comment is left out, unless a quote before it may hold its `#`.
        let hash = line.match_indices('#').find(|(i, _)| *i == 0 || line[..*i].ends_with(' '));
        let line = match hash {
            Some((i, _)) if !line[..i].contains(['"', '\'']) => &line[..i],
            _ => line,
        };
        let bytes = line.as_bytes();
        let mut depth = 0i32;
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'[' | b'{' => depth += 1,
                b']' | b'}' => depth -= 1,
                b'?' | b'!' => return true,
                b':' => {
                    let next = bytes.get(i + 1).copied();
                    let before = line[..i].trim_end().bytes().last();
                    if matches!(next, Some(b',' | b'[' | b']' | b'{' | b'}'))
                        || matches!(before, Some(b'[' | b'{' | b','))
                    {
                        return true;
                    }
                }
                _ => {}
            }
        }
        depth != 0
    })
}

/// Whether a token is the first of its scalar (a quote there opens quoted text; in the content
/// of a block scalar it is text).
fn opens_scalar(token: &cst::Token) -> bool {
    token.parent().and_then(|p| p.first_token()).is_some_and(|first| &first == token)
}

/// A double-quoted scalar holding `\/` or a `\u`/`\U` escape of a UTF-16 surrogate.
fn escape_problem(root: &Node) -> Option<(usize, String)> {
    let quoted = root
        .descendants_with_tokens()
        .filter_map(|el| el.into_token())
        .filter(|t| t.kind() == K::STRING && t.text().starts_with('"') && opens_scalar(t));
    for token in quoted {
        let text = token.text();
        let start = usize::from(token.text_range().start());
        let mut chars = text.char_indices().skip(1);
        while let Some((at, c)) = chars.next() {
            if c != '\\' {
                continue;
            }
            let Some((_, escaped)) = chars.next() else { break };
            let digits =
                match escaped {
                    '/' => return Some((
                        start + at,
                        "Helm's YAML reader refuses the escape `\\/` (YAML 1.2 only): write `/`"
                            .into(),
                    )),
                    'u' => 4,
                    'U' => 8,
                    _ => continue,
                };
            let hex: String = chars.clone().take(digits).map(|(_, c)| c).collect();
            let code = u32::from_str_radix(&hex, 16).ok();
            if code.is_some_and(|c| (0xD800..=0xDFFF).contains(&c)) {
                return Some((
                    start + at,
                    "Helm's YAML reader refuses an escape of half a UTF-16 surrogate pair \
                     (`\\uD83D\\uDE00`): write the character itself, or `\\U0001F600`"
                        .into(),
                ));
            }
        }
    }
    None
}

/// A tab go-yaml v2 refuses: in a line's indentation (see the module's notes), or right after a
/// `-`, a `?` or a `:` that starts a line, in block context.
fn tab_problem(text: &str, root: &Node) -> Option<(usize, String)> {
    let indentation = "Helm's YAML reader does not take a tab in a line's indentation here: \
                       indent with spaces";
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        let blank = line.len() - line.trim_start_matches([' ', '\t']).len();
        let Some(tab) = line[..blank].find('\t') else { continue };
        let at = start + tab;
        let Some(token) = root.token_at_offset(rowan::TextSize::from(at as u32)).right_biased()
        else {
            continue;
        };
        let Some(parent) = token.parent() else { continue };
        let quoted = token.kind() == K::STRING
            && token.text().starts_with(['"', '\''])
            && opens_scalar(&token);
        if quoted || cst::in_flow(&parent) {
            continue;
        }
        let block = std::iter::successors(Some(parent), |n| n.parent())
            .find(|n| n.kind() == K::SCALAR)
            .filter(|s| s.first_token().is_some_and(|t| matches!(t.kind(), K::PIPE | K::GREATER)));
        if let Some(scalar) = block {
            if block_tab_refused(text, &scalar, start, tab) {
                return Some((
                    at,
                    "Helm's YAML reader refuses a tab before the indentation of a block \
                     scalar's content (`|`, `>`): indent with spaces"
                        .into(),
                ));
            }
            continue;
        }
        return Some((at, indentation.into()));
    }
    // After `-`, `?`, or a `:` that starts its line (an explicit value), a tab is refused.
    let indicators = root
        .descendants_with_tokens()
        .filter_map(|el| el.into_token())
        .filter(|t| matches!(t.kind(), K::DASH | K::QUESTION | K::COLON));
    for token in indicators {
        let next_is_tab = token
            .next_token()
            .is_some_and(|n| n.kind() == K::WHITESPACE && n.text().contains('\t'));
        if !next_is_tab || token.parent().is_some_and(|p| cst::in_flow(&p)) {
            continue;
        }
        let at = usize::from(token.text_range().start());
        if token.kind() == K::COLON && !text[cst::line_start(text, at)..at].trim().is_empty() {
            continue;
        }
        return Some((
            at + 1,
            "Helm's YAML reader refuses a tab after `-`, `?` or a `:` that starts a line: \
             use a space"
                .into(),
        ));
    }
    None
}

/// Whether the tab at `tab` of the line starting at `line` is refused in the block scalar
/// `scalar`: before its content's indentation is known (on the lines up to the first that
/// holds text), or before that indentation.
fn block_tab_refused(text: &str, scalar: &Node, line: usize, tab: usize) -> bool {
    let range = cst::range(scalar);
    let body_start = text[range.start..].find('\n').map_or(text.len(), |i| range.start + i + 1);
    if line < body_start {
        return false;
    }
    let mut indent = None;
    let mut at = body_start;
    for l in text[body_start..].split_inclusive('\n') {
        let content = l.trim_start_matches([' ', '\t']).trim_end_matches(['\r', '\n']);
        if at == line {
            return match indent {
                // The indentation is read on this line, spaces only.
                None => true,
                Some(indent) => tab < indent,
            };
        }
        if indent.is_none() && !content.is_empty() {
            indent = Some(l.len() - l.trim_start_matches(' ').len());
        }
        at += l.len();
    }
    false
}

/// What go-yaml v2 reads otherwise or refuses in a flow collection (see the module's notes).
fn flow_problem(text: &str, root: &Node) -> Option<(usize, String)> {
    let flow = |n: &Node| matches!(n.kind(), K::SEQUENCE | K::MAPPING) && cst::is_flow(n);
    let outermost =
        root.descendants().filter(|n| flow(n) && !n.parent().is_some_and(|p| cst::in_flow(&p)));
    outermost.filter_map(|flow| flow_text_problem(text, cst::range(&flow))).next()
}

/// [`flow_problem`] in the text of one outermost flow collection.
fn flow_text_problem(text: &str, range: std::ops::Range<usize>) -> Option<(usize, String)> {
    let bytes = text.as_bytes();
    let end = range.end.min(bytes.len());
    let blank = |i: usize| i >= end || matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n');
    let indicator = |i: usize| i < end && matches!(bytes[i], b',' | b'[' | b']' | b'{' | b'}');
    let refused = |at: usize, why: &str| Some((at, format!("{why}: quote the text")));
    // Whether a value may start here: after `[`, `{`, `,`, a key mark or a value mark.
    let mut value_start = true;
    let mut i = range.start;
    while i < end {
        let b = bytes[i];
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' if i == range.start || blank(i - 1) => {
                while i < end && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' | b'\'' => {
                i += 1;
                while i < end {
                    match bytes[i] {
                        b'\\' if b == b'"' => i += 2,
                        b'\'' if b == b'\'' && i + 1 < end && bytes[i + 1] == b'\'' => i += 2,
                        c if c == b => break,
                        _ => i += 1,
                    }
                }
                i += 1;
                value_start = false;
            }
            b'[' | b'{' | b',' => {
                i += 1;
                value_start = true;
            }
            b']' | b'}' => {
                i += 1;
                value_start = false;
            }
            b'?' if value_start => {
                if !blank(i + 1) {
                    return refused(
                        i,
                        "Helm's YAML reader takes `?` here for a key mark, not for text",
                    );
                }
                i += 1;
            }
            b':' => {
                if value_start && !blank(i + 1) && !indicator(i + 1) {
                    return refused(i, "Helm's YAML reader refuses a `:` followed by text here");
                }
                i += 1;
                value_start = true;
            }
            b'!' | b'&' | b'*' => {
                while i < end && !blank(i) && !matches!(bytes[i], b'{' | b'}' | b',' | b'[' | b']')
                {
                    i += 1;
                }
                // A tag not followed by a blank is refused by `goyaml`.
                value_start = b != b'*';
            }
            _ => {
                // A plain value, read as go-yaml v2 reads it: it ends at `: `, at a blank
                // before `#`, and at `,`, `?`, `[`, `]`, `{` or `}`.
                let start = i;
                let mut lines = false;
                while i < end {
                    let c = bytes[i];
                    if c == b':' && blank(i + 1) {
                        if lines {
                            return Some((
                                start,
                                "Helm's YAML reader refuses a key written over two lines in a \
                                 flow mapping: write it on one line"
                                    .into(),
                            ));
                        }
                        break;
                    }
                    if c == b':' && indicator(i + 1) {
                        return refused(
                            i,
                            "Helm's YAML reader reads a `:` followed by `,`, `[`, `]`, `{` or \
                             `}` as part of the text, substractl's as a value mark",
                        );
                    }
                    if c == b'?' {
                        return refused(
                            i,
                            "Helm's YAML reader takes `?` in a flow collection for a key mark, \
                             not for text",
                        );
                    }
                    if indicator(i) {
                        break;
                    }
                    if blank(i) {
                        let mut j = i;
                        while j < end && blank(j) {
                            lines |= bytes[j] == b'\n';
                            j += 1;
                        }
                        if j >= end || bytes[j] == b'#' || indicator(j) {
                            i = j;
                            break;
                        }
                        // The text goes on (a `: ` next ends it, above).
                        i = j;
                        continue;
                    }
                    i += 1;
                }
                value_start = false;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<usize> {
        let found = disagreement(text, &cst::parse(text));
        // What is found is always a candidate.
        assert!(found.is_none() || candidate(text), "{text:?}");
        found.map(|(at, _)| cst::line_col(text, at).0)
    }

    #[test]
    fn files_without_candidates_need_no_tree() {
        let chart = "a: []\nb: { }\nc: [\"ReadWriteOnce\"]\nd: {restricted: false}\n\
                     # see [go format](https://x/#y) ?\ne: [a, b] # [?\n";
        assert!(!candidate(chart));
    }

    #[test]
    fn escapes_go_yaml_v2_refuses() {
        assert_eq!(at("a: 1\nb: \"http:\\/\\/x\"\n"), Some(2));
        assert_eq!(at("b: \"\\ud83d\\ude00\"\n"), Some(1));
        assert_eq!(at("b: \"\\U0001F600 \\u00e9 \\x41 \\\\/ \\e\"\nc: 'a\\/b'\nd: a\\/b\n"), None);
    }

    /// Each of `refused` is found, none of `read` is.
    fn refused_and_read(refused: &[&str], read: &[&str]) {
        for text in refused {
            assert!(at(text).is_some(), "{text:?}");
        }
        for text in read {
            assert_eq!(at(text), None, "{text:?}");
        }
    }

    #[test]
    fn tabs_go_yaml_v2_refuses() {
        refused_and_read(
            &[
                "note: >\n \tfolded\n",
                "note: |-\n  a\n\t\n",
                "note: a\n\t# a comment\n",
                "note:\n  a: 1\n\t\n",
                "note:\n  -\tb\n",
                "note:\n  - \tb\n",
                "note:\n  ? a\n  :\tb\n",
                "note:\n  ?\ta\n  : b\n",
                "a: 1\n\t\nb: 2\n",
            ],
            &[
                "note:\ta\n",
                "note: a\t# c\n",
                "note: |-\n  a\n  \tb\n",
                "note: [a,\n\tb]\n",
                "note: {a:\tb}\n",
                "note:\n  a:\t1\n",
                "note: a\t\n",
                "# comment\t\n",
            ],
        );
    }

    #[test]
    fn flow_collections_go_yaml_v2_reads_otherwise() {
        refused_and_read(&[
            "note: [a, :c]\n",
            "note: {:c: d}\n",
            "note: [a, ?c]\n",
            "note: [?]\n",
            "note: [a:, b]\n",
            "note: {a\n  b: c}\n",
            "note: [a ? b]\n",
            "note: [a?b]\n",
        ], &[
            "note: [a:b, {a: b:c}, http://x, {url: http://x/y}, -c, {a:b}, b:c]\n",
            "note: [{\"a\":b}, \"a\":b, ? a, {a: 1, ? b}, {? a}, {a: b, c}, [a #c\n  , b]]\n",
            "note: [a\n  b, &x a, *x, \"a\" : b, ! a, '?', \"[?]\"]\n",
            "a: {restricted: false, model_export_enabled: true}\nb: [{name: x, organizations: [a, b]}]\n",
            "a: [a, {b: [c, {d: e}]}, ? f : g]\n",
            "a: # c [?x\n  b\n",
        ]);
    }
}

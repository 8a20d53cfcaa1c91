//! What Helm's YAML reader (go-yaml v2, YAML 1.1, as sigs.k8s.io/yaml vendors it) refuses or
//! reads otherwise than the strict parser substractl reads values with: a file where the two
//! disagree is refused with its line, so that every value substractl checks is the value Helm
//! deploys. The cases known and checked (the README lists them too):
//!
//! - NEL, LS and PS (U+0085, U+2028, U+2029) end a line for go-yaml v2: text after one in a
//!   comment is a key to Helm.
//! - Directives: a `%YAML` other than 1.1, any directive but `%YAML` and `%TAG`.
//! - Tags: a tag written with `%` escapes or under a `%TAG` handle, which go-yaml v2 decodes
//!   (`!!m%65rge` is `!!merge`) and substractl's own reading of keys does not: refused, though
//!   Helm reads them, so that every tag substractl compares is written out.
//! - Anchor and alias names outside `[0-9A-Za-z_-]`, or followed by `[` or `{`.
//! - Merge keys: two in one mapping (go-yaml v2 applies each in turn, over the keys written
//!   before it), a value that is no mapping, alias of one or list of those, and `<<` spelled so
//!   that one reader merges and the other does not (an alias, the tag `!`, escapes).
//! - Plain scalars the two read apart: numbers (go-yaml v2 drops every `_`, reads a sign after
//!   `0b`, takes no sign on an unsigned number), booleans and nulls in a mixed case, keys read as
//!   unsigned 64-bit numbers (which sigs.k8s.io/yaml refuses), and tagged scalars whose text is
//!   not of their tag's kind (`!!binary` text that Go's base64 decoder refuses).
//!
//! - What go-yaml v2's scanner reads otherwise: escapes, tabs, flow collections (`goscan`).
//!
//! No value is ever put in a message: it may be a secret.

use yaml_edit::SyntaxKind as K;

use super::cst::{self, Node};

/// A block scalar (`|`, `>`, `|+`: not `|-`) that ends the file without a line break: Helm's
/// YAML reader reads it without a final line break, the strict parser with one, and any line
/// written after it would give it one.
fn unended_block_scalar(text: &str, root: &Node) -> Option<(usize, String)> {
    let end = text.trim_end_matches([' ', '\t']).len().checked_sub(1)?;
    let token = root.token_at_offset(rowan::TextSize::from(end as u32)).left_biased()?;
    let scalar = std::iter::successors(token.parent(), |n| n.parent())
        .find(|n| n.kind() == K::SCALAR)
        .filter(|s| s.first_token().is_some_and(|t| matches!(t.kind(), K::PIPE | K::GREATER)))?;
    let start = cst::range(&scalar).start;
    let header = text[start..].lines().next().unwrap_or_default();
    let header = header.split('#').next().unwrap_or_default();
    if header.contains('-') {
        return None;
    }
    Some((
        start,
        "this block scalar ends the file without a line break: Helm's YAML reader reads it \
         without its final line break, substractl with it; end the file with a line break"
            .into(),
    ))
}

/// The first place in `text` (its offset) that Helm's YAML reader refuses or reads otherwise
/// than the strict parser, and why. `text` has been read by the strict parser; `tree` gives its
/// lossless tree, asked for only when a cheap scan of the text finds a candidate for a check.
pub fn disagreement(text: &str, tree: impl FnOnce() -> Node) -> Option<(usize, String)> {
    // One search for each character (a byte search each), the first found.
    let breaks = ['\u{85}', '\u{2028}', '\u{2029}'];
    if let Some((at, c)) = breaks.iter().filter_map(|&c| text.find(c).map(|at| (at, c))).min() {
        return Some((
            at,
            format!(
                "this line holds U+{:04X}, which Helm's YAML reader takes for a line break \
                 (what follows it is read as a new line): remove it",
                c as u32
            ),
        ));
    }
    // A byte order mark is no part of the first word.
    let words_text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let directives = words_text.starts_with('%') || text.contains("\n%");
    // `<<` may be written with escapes in a quoted key (`"\x3c<"`).
    let merges = text.contains("<<") || text.contains('\\');
    let scalars = scalar_candidate(words_text);
    let anchors = odd_anchor_candidate(words_text);
    let tagged = text.contains('!');
    let escaped_tags = text.contains('!') && text.contains('%');
    // Escapes, tabs and flow collections, read by go-yaml v2's scanner (see `goscan`).
    let scanned = super::goscan::candidate(text);
    // A file that ends without a line break, perhaps inside a block scalar.
    let unended = !text.is_empty() && !text.ends_with('\n') && text.contains(['|', '>']);
    if !(directives || merges || scalars || anchors || tagged || escaped_tags || scanned || unended)
    {
        return None;
    }
    let root = tree();
    if unended {
        if let Some(found) = unended_block_scalar(text, &root) {
            return Some(found);
        }
    }
    if scanned {
        if let Some(found) = super::goscan::disagreement(text, &root) {
            return Some(found);
        }
    }
    if escaped_tags {
        if let Some(found) = escaped_tag(&root) {
            return Some(found);
        }
    }
    if tagged {
        if let Some(found) = tag_without_blank(text, &root) {
            return Some(found);
        }
        if let Some(found) = tagged_scalar_refused(&root) {
            return Some(found);
        }
    }
    if directives {
        if let Some(found) = directive_problem(&root) {
            return Some(found);
        }
    }
    if anchors {
        if let Some(found) = odd_anchor(&root, text) {
            return Some(found);
        }
    }
    let top = cst::document_content(&root)?;
    if merges {
        if let Some(found) = merge_problem(&top) {
            return Some(found);
        }
    }
    if scalars {
        if let Some(found) = scalar_read_otherwise(&root) {
            return Some(found);
        }
    }
    if tagged {
        if let Some(found) = tagged_key(&top) {
            return Some(found);
        }
    }
    None
}

/// [`disagreement`]'s last check: go-yaml v2 refuses a document with excessive aliasing (see
/// [`excessive_aliasing`]). Only a document that may hold enough aliases for it is followed
/// through its tree (see [`aliasing_candidate`]).
pub fn aliasing(text: &str, tree: impl FnOnce() -> Node) -> Option<(usize, String)> {
    if !aliasing_candidate(text) {
        return None;
    }
    let root = tree();
    let top = cst::document_content(&root)?;
    excessive_aliasing(&root, &top).then(|| {
        (
            0,
            "Helm's YAML reader refuses this file: so many of its values come from aliases (of \
             aliases) that it takes it for an attack (\"document contains excessive \
             aliasing\"); write the repeated values out"
                .into(),
        )
    })
}

/// Whether a text may hold what go-yaml v2 counts as excessive aliasing, which takes over 990
/// nodes decoded through aliases: over 900 aliases, or an alias of an anchor on a collection
/// (an anchor followed, past blanks and tags, by `[`, `{`, a comment or the line's end). An
/// alias of a scalar adds one node only.
fn aliasing_candidate(text: &str) -> bool {
    let bytes = text.as_bytes();
    let name_byte = anchor_byte;
    let name_at = |i: usize| {
        let end = (i..bytes.len()).find(|&j| !name_byte(bytes[j])).unwrap_or(bytes.len());
        (&text[i..end], end)
    };
    let mut aliases = Vec::new();
    let mut collections = std::collections::HashSet::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if (b == b'*' || b == b'&') && bytes.get(i + 1).is_some_and(|&n| name_byte(n)) {
            let (name, end) = name_at(i + 1);
            if b == b'*' {
                aliases.push(name);
            } else {
                // Past blanks and tags: what the anchor is on.
                let mut j = end;
                loop {
                    while j < bytes.len() && matches!(bytes[j], b' ' | b'\t') {
                        j += 1;
                    }
                    if bytes.get(j) == Some(&b'!') {
                        while j < bytes.len() && !matches!(bytes[j], b' ' | b'\t' | b'\n') {
                            j += 1;
                        }
                        continue;
                    }
                    break;
                }
                if bytes.get(j).is_none_or(|c| matches!(c, b'[' | b'{' | b'#' | b'\n' | b'\r')) {
                    collections.insert(name);
                }
            }
            i = end;
            continue;
        }
        i += 1;
    }
    aliases.len() > 900 || aliases.iter().any(|a| collections.contains(a))
}

/// Whether go-yaml v2 refuses the document for excessive aliasing: it counts every node it
/// decodes, and those decoded through an alias, and stops when over 100 of more than 1,000
/// come from aliases at a rate above what it allows (99% up to 400,000 nodes, down to 10% at
/// 4,000,000). The count follows its order: keys and values, a merge key's value (not the
/// `<<` itself), an alias's node again each time it is used.
fn excessive_aliasing(root: &Node, top: &Node) -> bool {
    struct Count<'r> {
        root: &'r Node,
        decoded: u64,
        aliased: u64,
        depth: u32,
    }
    fn allowed(decoded: u64) -> f64 {
        const LOW: f64 = 400_000.0;
        const HIGH: f64 = 4_000_000.0;
        let d = decoded as f64;
        if d <= LOW {
            0.99
        } else if d >= HIGH {
            0.10
        } else {
            0.99 - 0.89 * ((d - LOW) / (HIGH - LOW))
        }
    }
    /// Err(true): refused; Err(false): too large to follow (the strict parser's limits
    /// stand then).
    fn visit(c: &mut Count<'_>, node: &Node) -> Result<(), bool> {
        let node = if node.kind() == K::TAGGED_NODE { cst::untagged(node) } else { node.clone() };
        c.decoded += 1;
        if c.depth > 0 {
            c.aliased += 1;
        }
        if c.aliased > 100
            && c.decoded > 1000
            && c.aliased as f64 / c.decoded as f64 > allowed(c.decoded)
        {
            return Err(true);
        }
        if c.decoded > 5_000_000 {
            return Err(false);
        }
        match node.kind() {
            K::ALIAS => {
                let Some(target) = cst::anchored_node(c.root, &node) else { return Ok(()) };
                c.depth += 1;
                let done = visit(c, &target);
                c.depth -= 1;
                done
            }
            K::MAPPING => {
                for entry in cst::entries(&node) {
                    let value = cst::entry_value(&entry);
                    if cst::is_merge_key(&entry) {
                        let Some(value) = value else { continue };
                        let untagged = cst::untagged(&value);
                        if untagged.kind() == K::SEQUENCE {
                            // The last first: earlier ones take precedence.
                            let items = cst::items(&untagged);
                            for item in items.iter().rev().filter_map(cst::item_value) {
                                visit(c, &item)?;
                            }
                        } else {
                            visit(c, &value)?;
                        }
                        continue;
                    }
                    let key = cst::entry_key_node(&entry)
                        .and_then(|k| k.children().find(|n| cst::is_content(n.kind())));
                    // An absent key or value is a null node to go-yaml v2: counted alike.
                    match key {
                        Some(key) => visit(c, &key)?,
                        None => c.decoded += 1,
                    }
                    match value {
                        Some(value) => visit(c, &value)?,
                        None => c.decoded += 1,
                    }
                }
                Ok(())
            }
            K::SEQUENCE => {
                for item in cst::items(&node) {
                    match cst::item_value(&item) {
                        Some(value) => visit(c, &value)?,
                        None => c.decoded += 1,
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
    let mut count = Count { root, decoded: 1, aliased: 0, depth: 0 };
    visit(&mut count, top) == Err(true)
}

/// A key under a tag other than `!!str` (`!foo orchestrator:`, `!!binary ...:`): Helm's YAML
/// reader reads it as a text key (the tag's own reading of it), which substractl does not
/// name, so that it could neither find nor edit what Helm reads there. Merge keys are judged
/// by [`merge_problem`].
fn tagged_key(top: &Node) -> Option<(usize, String)> {
    let maps =
        std::iter::once(top.clone()).chain(top.descendants()).filter(|n| n.kind() == K::MAPPING);
    for map in maps {
        for entry in cst::entries(&map) {
            let Some(key) = cst::entry_key_node(&entry) else { continue };
            let Some(tagged) = key.children().find(|n| n.kind() == K::TAGGED_NODE) else {
                continue;
            };
            let Some(tag) = tagged.first_token().map(|t| t.text().to_string()) else { continue };
            let merge = cst::is_merge_key(&entry)
                || cst::scalar_string(&cst::untagged(&tagged)).is_some_and(|t| t == "<<");
            if cst::yaml_tag(&tag) == Some("str") || merge {
                continue;
            }
            return Some((
                cst::range(&tagged).start,
                "this key is written under a tag other than `!!str`, which substractl does not \
                 read on a key (Helm's YAML reader reads it as text): write the key without it"
                    .into(),
            ));
        }
    }
    None
}

/// A directive go-yaml v2 refuses: a `%YAML` whose version is not 1.1 (each part read as a
/// number of at most two digits: `01.01` is 1.1, `001.1` is refused), or a directive other
/// than `%YAML` and `%TAG`. Directives are read from the tree, where a line of a scalar that
/// starts with `%` is no directive.
fn directive_problem(root: &Node) -> Option<(usize, String)> {
    let directives = root
        .descendants_with_tokens()
        .filter_map(|el| el.into_token())
        .filter(|t| t.kind() == K::DIRECTIVE);
    for token in directives {
        let at = usize::from(token.text_range().start());
        let text = token.text().to_string();
        let mut words = text.split_whitespace();
        let refused = match words.next() {
            Some("%YAML") => {
                let version = words.next().unwrap_or_default();
                let part = |p: &str| {
                    let digits =
                        !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit());
                    digits.then(|| p.parse::<u32>().ok()).flatten()
                };
                let one_one = version
                    .split_once('.')
                    .is_some_and(|(major, minor)| part(major) == Some(1) && part(minor) == Some(1));
                (!one_one).then_some(
                    "Helm's YAML reader reads YAML 1.1 only and refuses this file for its %YAML \
                     directive: remove the directive",
                )
            }
            Some("%TAG") => Some(
                "substractl does not read %TAG directives (Helm's YAML reader does): write each \
                 tag out in full (`!!str`, `!<tag:...>`) and remove the directive",
            ),
            _ => Some(
                "Helm's YAML reader refuses this file for this directive (it knows %YAML and \
                 %TAG only): remove it",
            ),
        };
        if let Some(why) = refused {
            return Some((at, why.into()));
        }
    }
    None
}

/// A tag followed by anything but a blank or a line end (`{a: !!str}`, `[!!str, b]`):
/// go-yaml v2 takes `,`, `[` and `]` into the tag (it then reads the rest otherwise) and refuses
/// anything else there.
fn tag_without_blank(text: &str, root: &Node) -> Option<(usize, String)> {
    let token = root.descendants_with_tokens().filter_map(|el| el.into_token()).find(|t| {
        let end = usize::from(t.text_range().end());
        t.kind() == K::TAG && end < text.len() && !text[end..].starts_with([' ', '\t', '\r', '\n'])
    })?;
    Some((
        usize::from(token.text_range().start()),
        "Helm's YAML reader needs a blank after a tag: it takes the characters after it into \
         the tag, or refuses the file; write a blank after the tag"
            .into(),
    ))
}

/// A tag written with a `%` escape (`!!m%65rge`, `!<tag%3Ayaml.org,2002:str>`): go-yaml v2
/// decodes it, substractl compares tags as written.
fn escaped_tag(root: &Node) -> Option<(usize, String)> {
    let token = root
        .descendants_with_tokens()
        .filter_map(|el| el.into_token())
        .find(|t| t.kind() == K::TAG && t.text().contains('%'))?;
    Some((
        usize::from(token.text_range().start()),
        "this tag is written with a `%` escape, which Helm's YAML reader decodes and substractl \
         does not: write the tag without escapes"
            .into(),
    ))
}

/// Whether the text holds an anchor or alias whose name has a character go-yaml v2 does not
/// take in one (it takes `[0-9A-Za-z_-]`): only then is the tree walked for [`odd_anchor`].
fn odd_anchor_candidate(text: &str) -> bool {
    let b = text.as_bytes();
    let blank = |c: u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
    // Each `&` or `*` that starts a word (after a blank, `[`, `{` or `,`), to where a name may
    // end (a blank, `,`, `]`, `}`): `[` or `{` on the way may not follow a name.
    (0..b.len()).filter(|&i| matches!(b[i], b'&' | b'*')).any(|i| {
        let starts = i == 0 || blank(b[i - 1]) || matches!(b[i - 1], b'[' | b'{' | b',');
        let name = b[i + 1..].iter().take_while(|&&c| !blank(c) && !b",]}".contains(&c));
        let mut name = name.peekable();
        starts && name.peek().is_some() && !name.all(|&c| anchor_byte(c))
    })
}

/// The bytes words are split at: YAML's white space (space, tab, line breaks), the flow
/// indicators, `:`, `#` and quotes.
const SPLIT: [bool; 256] = {
    let mut table = [false; 256];
    let split = b" \t\n\r:,[]{}#\"'";
    let mut i = 0;
    while i < split.len() {
        table[split[i] as usize] = true;
        i += 1;
    }
    table
};

/// The words of a text, split at [`SPLIT`]: one pass over the bytes, for the checks every file
/// read goes through.
fn words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let split = |b: u8| SPLIT[usize::from(b)];
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && split(bytes[i]) {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !split(bytes[i]) {
            i += 1;
        }
        // Split at ASCII bytes only: each word is whole UTF-8.
        (i > start).then(|| &text[start..i])
    })
}

/// Whether the text holds a word the two readers may read apart: a number spelled unusually
/// ([`unusual_number`]) or a boolean or null in a case go-yaml v2 reads as text (`tRUE`,
/// `oFF`): only then is the tree walked for [`scalar_read_otherwise`] and
/// [`boolean_read_otherwise`].
fn scalar_candidate(text: &str) -> bool {
    words(text).any(|w| match w.as_bytes()[0] {
        b'0'..=b'9' | b'+' | b'-' | b'.' | b'_' => unusual_number(w),
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' => {
            boolean_like(w) && !go_bool_or_null(w)
        }
        _ => false,
    })
}

/// A byte go-yaml v2 takes in an anchor's name.
fn anchor_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// An anchor or alias whose name go-yaml v2 refuses (`&ca.crt`, `*défaut`), or that is followed
/// by what may not follow one (`&a[1]`): go-yaml v2 wants a blank, the end, or one of
/// ``?:,]}%@` ``.
fn odd_anchor(root: &Node, text: &str) -> Option<(usize, String)> {
    let follows =
        |end: usize| text.as_bytes().get(end).is_none_or(|b| b" \t\r\n?:,]}%@`".contains(b));
    root.descendants_with_tokens()
        .filter_map(|el| el.into_token())
        .filter(|t| matches!(t.kind(), K::ANCHOR | K::REFERENCE))
        .find(|t| {
            let name_ok = t.text().trim_start_matches(['&', '*']).bytes().all(anchor_byte);
            !name_ok || !follows(usize::from(t.text_range().end()))
        })
        .map(|t| {
            let at = usize::from(t.text_range().start());
            let why = "Helm's YAML reader refuses this anchor or alias: its name may hold \
                       letters, digits, _ and - only, and be followed by a blank";
            (at, why.to_string())
        })
}

/// A merge key in a mapping that already has one, or a merge key whose value go-yaml v2
/// refuses: its offset and why.
fn merge_problem(top: &Node) -> Option<(usize, String)> {
    let maps =
        std::iter::once(top.clone()).chain(top.descendants()).filter(|n| n.kind() == K::MAPPING);
    for map in maps {
        if let Some(found) = cst::entries(&map).find_map(|e| merge_spelling_problem(top, &e)) {
            return Some(found);
        }
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
        if let Some(line) = overridden_before(top, &map, &first) {
            return Some((
                cst::range(&first).start,
                format!(
                    "the key on line {line} is written before this merge key `<<`, which \
                     supplies it too: Helm's YAML reader takes the merged value, substractl's \
                     the one written; write the key after `<<`, or only once"
                ),
            ));
        }
    }
    None
}

/// The line of the first key of `map` written before its merge key `merge` that the merge key
/// supplies too: go-yaml v2 applies the merge over it, the strict parser keeps it.
fn overridden_before(top: &Node, map: &Node, merge: &Node) -> Option<usize> {
    let value = cst::entry_value(merge)?;
    let supplied = cst::supplied_keys(top, &value)?;
    let before = cst::entries(map).take_while(|e| e != merge);
    let mut written = before.filter(|e| cst::entry_key(e).is_some_and(|k| supplied.contains(&k)));
    let entry = written.next()?;
    let text = top.ancestors().last().unwrap_or_else(|| top.clone()).text().to_string();
    Some(cst::line_col(&text, cst::range(&entry).start).0)
}

/// A key whose text is `<<` that one reader takes for a merge key and the other does not: an
/// alias (never a merge key to go-yaml v2, which the strict parser may merge), `<<` under the
/// tag `!` or `!<!>` (a merge key to go-yaml v2 only), or a tagged `<<` written with escapes
/// (`!!merge "\x3c<"`). The strict parser's merge keys are those [`cst::is_merge_key`] names.
fn merge_spelling_problem(top: &Node, entry: &Node) -> Option<(usize, String)> {
    let key = cst::entry_key_node(entry)?;
    let content =
        key.children().find(|n| matches!(n.kind(), K::SCALAR | K::TAGGED_NODE | K::ALIAS))?;
    let at = cst::range(&content).start;
    let decoded = |n: &Node| cst::scalar_string(&cst::untagged(n)).is_some_and(|t| t == "<<");
    match content.kind() {
        K::ALIAS => {
            let target = cst::anchored_node(top, &content)?;
            decoded(&target).then(|| {
                (
                    at,
                    "this key is an alias of `<<`: Helm's YAML reader takes it for an ordinary \
                     key named <<, not a merge key; write `<<` itself"
                        .into(),
                )
            })
        }
        K::TAGGED_NODE if decoded(&content) => {
            let tag = content.first_token()?.text().to_string();
            let merge_tag = cst::yaml_tag(&tag) == Some("merge");
            let go_merges = merge_tag || matches!(tag.as_str(), "!" | "!<!>");
            let strict_merges = cst::is_merge_key(entry);
            (go_merges != strict_merges).then(|| {
                (
                    at,
                    "this key is `<<` written so that Helm's YAML reader takes it for a merge key \
                     and substractl's does not (under the tag `!`, or with escapes): write `<<` \
                     plainly"
                        .into(),
                )
            })
        }
        _ => None,
    }
}

/// Where the value of a merge key is not one go-yaml v2 merges: a mapping, an alias of a
/// mapping, or a list (written in place) of mappings and aliases of mappings.
fn refused_merge_value(top: &Node, entry: &Node) -> Option<usize> {
    let at = |n: &Node| cst::range(n).start;
    let Some(value) = cst::entry_value(entry) else {
        return Some(cst::colon_end(entry).unwrap_or_else(|| at(entry)));
    };
    let is_map = |n: &Node| match cst::untagged(n).kind() {
        K::MAPPING => true,
        K::ALIAS => {
            cst::anchored_node(top, n).is_some_and(|t| cst::untagged(&t).kind() == K::MAPPING)
        }
        _ => false,
    };
    let value_untagged = cst::untagged(&value);
    if value_untagged.kind() == K::SEQUENCE {
        let items = cst::items(&value_untagged);
        return items.iter().filter_map(cst::item_value).find(|i| !is_map(i)).map(|i| at(&i));
    }
    (!is_map(&value)).then(|| at(&value))
}

/// A word that starts as a number does and that the two readers may read apart: one with an
/// underscore, a prefixed number (`0x`, `0o`, `0b`) with a sign before or after its prefix, or
/// a number of 19 digits or more (near and past 64 bits).
fn unusual_number(word: &str) -> bool {
    // Read as go-yaml v2 would start to: underscores dropped, a sign, then a digit or a dot
    // and a digit (`.mychannel_x` in a comment is no number).
    let mut body = word.bytes().filter(|&b| b != b'_').peekable();
    body.next_if(|b| matches!(b, b'+' | b'-'));
    let starts_as_number = match body.next() {
        Some(b'.') => body.next().is_some_and(|b| b.is_ascii_digit()),
        first => first.is_some_and(|b| b.is_ascii_digit()),
    };
    if !starts_as_number {
        return false;
    }
    let unsigned = word.strip_prefix(['+', '-']).unwrap_or(word).to_ascii_lowercase();
    let prefixed = radix_prefix(&unsigned).is_some();
    word.contains('_')
        || (prefixed && (unsigned.len() != word.len() || unsigned[2..].starts_with(['+', '-'])))
        || (prefixed && unsigned.len() >= 18)
        || word.bytes().filter(u8::is_ascii_digit).count() >= 19
}

/// A plain scalar that go-yaml v2 reads as another number, or another kind, than the strict
/// parser (a number, a boolean or null); or a key it reads as an unsigned 64-bit number, which
/// Helm refuses.
fn scalar_read_otherwise(root: &Node) -> Option<(usize, String)> {
    // An alias as a key is read as its anchor's scalar: an unsigned 64-bit number there too.
    let alias_keys = root
        .descendants()
        .filter(|n| n.kind() == K::KEY)
        .filter_map(|key| key.children().find(|n| n.kind() == K::ALIAS));
    for alias in alias_keys {
        let Some(target) = cst::anchored_node(root, &alias).map(|t| cst::untagged(&t)) else {
            continue;
        };
        let text = target.text().to_string();
        let plain = target.kind() == K::SCALAR && cst::quote_of(&target).is_none();
        if plain && target.parent().is_some_and(|p| p.kind() != K::TAGGED_NODE) {
            if let GoScalar::Uint(_) = go_resolve(text.trim()) {
                return Some((
                    cst::range(&alias).start,
                    "Helm refuses this key: its YAML reader reads it (through its alias) as an \
                     unsigned 64-bit number, which no key can be; quote the anchored value"
                        .into(),
                ));
            }
        }
    }
    for node in root.descendants().filter(|n| n.kind() == K::SCALAR) {
        if cst::quote_of(&node).is_some() || in_tagged(&node) {
            continue;
        }
        let text = node.text().to_string();
        let text = text.trim();
        if let Some(found) = boolean_read_otherwise(&node, text) {
            return Some(found);
        }
        if text.contains(char::is_whitespace) || !unusual_number(text) {
            continue;
        }
        let go = go_resolve(text);
        let is_key = node.parent().is_some_and(|p| p.kind() == K::KEY);
        // Past 64 bits, a prefixed number is text to go-yaml v2 and a number to the fork that
        // sigs.k8s.io/yaml vendors (big.Int): which one a Helm reads is not guessed.
        if prefixed_past_64_bits(text) {
            return Some((
                cst::range(&node).start,
                "this unquoted value is a 0x, 0o or 0b number past 64 bits, which some of Helm's \
                 YAML readers read as a number and others as text: quote it"
                    .into(),
            ));
        }
        // The value is never shown: it may be a secret.
        if is_key && matches!(go, GoScalar::Uint(_)) {
            return Some((
                cst::range(&node).start,
                "Helm refuses this key: its YAML reader reads it as an unsigned 64-bit number, \
                 which no key can be; quote it"
                    .into(),
            ));
        }
        let strict = strict_reading(text);
        let strict_number = strict.as_ref().and_then(serde_json::Value::as_f64);
        let agree = match go.number() {
            Some(n) => strict_number == Some(n),
            None => strict.as_ref().is_some_and(serde_json::Value::is_string),
        };
        if !agree {
            let message = match (go.number(), strict_number) {
                (Some(_), None) => {
                    "Helm's YAML reader reads this unquoted value as a number (it drops \
                     underscores, and reads a sign after 0b): write the number plainly, or quote \
                     the value if it is text"
                }
                (Some(_), Some(_)) => {
                    "Helm's YAML reader reads this unquoted value as another number than written \
                     (it drops underscores, and reads a number past 64 bits as a float): write \
                     the number plainly, or quote the value if it is text"
                }
                (None, _) => {
                    "Helm's YAML reader reads this unquoted value as text, not as the number it \
                     looks like (a sign before 0x, 0o or 0b, or past 64 bits): quote it, or \
                     write the number plainly"
                }
            };
            return Some((cst::range(&node).start, message.into()));
        }
    }
    None
}

/// go-yaml v2's booleans: these spellings exactly (`tRUE` is text to it).
pub const GO_BOOLS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no", "No",
    "NO", "false", "False", "FALSE", "off", "Off", "OFF",
];

/// go-yaml v2's nulls, written out.
pub const GO_NULLS: &[&str] = &["~", "null", "Null", "NULL"];

/// Whether go-yaml v2 reads a plain word as a boolean or null.
fn go_bool_or_null(word: &str) -> bool {
    GO_BOOLS.contains(&word) || GO_NULLS.contains(&word)
}

/// Whether go-yaml v2 reads a plain scalar as text: no number, boolean or null.
pub fn go_reads_as_text(word: &str) -> bool {
    go_resolve(word) == GoScalar::Text && !go_bool_or_null(word)
}

/// A word that is a boolean or null in some case: the two readers may read its case apart.
fn boolean_like(word: &str) -> bool {
    ["y", "yes", "n", "no", "true", "false", "on", "off", "null"]
        .iter()
        .any(|b| word.eq_ignore_ascii_case(b))
}

/// A plain scalar that one reader takes for a boolean or null and the other for text.
fn boolean_read_otherwise(node: &Node, text: &str) -> Option<(usize, String)> {
    if !boolean_like(text) {
        return None;
    }
    let go_text = !go_bool_or_null(text);
    let strict = strict_reading(text);
    let strict_text = strict.as_ref().is_some_and(serde_json::Value::is_string);
    (go_text != strict_text).then(|| {
        (
            cst::range(node).start,
            "Helm's YAML reader reads this unquoted word otherwise than substractl's (it takes \
             only true, True, TRUE, yes, on... for booleans: a mixed case is text to it): write \
             true or false, or quote it"
                .into(),
        )
    })
}

/// A scalar under `!!bool`, `!!null`, `!!int`, `!!float` or `!!binary` whose text go-yaml v2
/// does not read as that kind (`!!bool tRUE`, `!!null x`, `!!int 1.5`, `!!binary` text that is
/// not base64 to Go): it refuses the file. (An integer is a float to `!!float`.) The value is
/// not shown.
fn tagged_scalar_refused(root: &Node) -> Option<(usize, String)> {
    for node in root.descendants().filter(|n| n.kind() == K::TAGGED_NODE) {
        let Some(tag) = node.first_token().map(|t| t.text().to_string()) else { continue };
        let Some(scalar) = node.children().find(|n| n.kind() == K::SCALAR) else { continue };
        let kind = cst::yaml_tag(&tag).unwrap_or_default();
        if !matches!(kind, "bool" | "null" | "int" | "float" | "binary" | "str") {
            // Any other tag (`!`, `!foo`, `!!timestamp`): go-yaml v2 reads the scalar as text.
            if cst::quote_of(&scalar).is_none() && text_read_otherwise(&tag, &scalar) {
                return Some((
                    cst::range(&node).start,
                    // The tag is not shown: its name may be anything, a secret too.
                    "Helm's YAML reader reads a value under a tag other than those of the YAML \
                     types (`!!str`, `!!int`...) as text, and substractl's reads this one as \
                     another kind: drop the tag, and quote the value if it is text"
                        .to_string(),
                ));
            }
            continue;
        }
        if kind == "binary" {
            // The value as YAML reads it (folded lines, escapes, block scalars), then Go's
            // base64.StdEncoding, which skips line breaks only.
            let value = cst::scalar_string(&scalar).unwrap_or_default();
            if !go_base64(&value) {
                return Some((
                    cst::range(&node).start,
                    "Helm's YAML reader refuses this value: its text is not base64 as the tag \
                     !!binary says (padded, with line breaks only between its characters)"
                        .into(),
                ));
            }
            continue;
        }
        let value = if cst::quote_of(&scalar).is_some() {
            cst::scalar_string(&scalar).unwrap_or_default()
        } else {
            scalar.text().to_string().trim().to_string()
        };
        let read = || go_resolve(&value);
        let ok = match kind {
            "bool" => GO_BOOLS.contains(&value.as_str()),
            "null" => value.is_empty() || GO_NULLS.contains(&value.as_str()),
            "int" => matches!(read(), GoScalar::Int(_) | GoScalar::Uint(_)),
            "float" => read() != GoScalar::Text,
            _ => true,
        };
        if !ok {
            return Some((
                cst::range(&node).start,
                format!(
                    "Helm's YAML reader refuses this value: it does not read its text as the \
                     tag {tag} says; write a value of that kind, or drop the tag"
                ),
            ));
        }
    }
    None
}

/// Whether the strict parser reads a plain scalar under a tag other than those of the YAML
/// types as something else than text (`!foo false` as a boolean), as go-yaml v2 does not.
fn text_read_otherwise(tag: &str, scalar: &Node) -> bool {
    let lone = format!("{tag} {}", scalar.text().to_string().trim());
    strict_reading(&lone).is_some_and(|read| !read.is_string())
}

/// Whether Go's `base64.StdEncoding.DecodeString` takes a text: the standard alphabet, padded
/// to whole groups of four, `\r` and `\n` skipped anywhere, bits after the last byte allowed.
fn go_base64(value: &str) -> bool {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine as _;
    let engine = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
    );
    let text: String = value.chars().filter(|c| !matches!(c, '\r' | '\n')).collect();
    engine.decode(text).is_ok()
}

/// What the strict parser reads a lone plain scalar as (`None` when it refuses it).
fn strict_reading(text: &str) -> Option<serde_json::Value> {
    serde_saphyr::from_str_with_options::<serde_json::Value>(text, super::helm_options()).ok()
}

/// Whether a scalar is under a tag (`!!str 1__0`): the tag says what it is.
fn in_tagged(node: &Node) -> bool {
    node.parent().is_some_and(|p| p.kind() == K::TAGGED_NODE)
}

/// What go-yaml v2 reads a plain scalar that starts as a number does as.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GoScalar {
    Int(i64),
    /// Past the largest int64 only (a smaller one is an `Int`).
    Uint(u64),
    Float(f64),
    /// Text (or a timestamp: none has an underscore).
    Text,
}

impl GoScalar {
    pub fn number(self) -> Option<f64> {
        match self {
            GoScalar::Int(n) => Some(n as f64),
            GoScalar::Uint(n) => Some(n as f64),
            GoScalar::Float(f) => Some(f),
            GoScalar::Text => None,
        }
    }
}

/// go-yaml v2's `resolve` for a plain scalar starting with a digit, a sign or a dot: with a
/// digit or a sign, every `_` dropped, then Go's `ParseInt(s, 0, 64)`, `ParseUint(s, 0, 64)`,
/// its float pattern, and last `0b`/`-0b` read by `ParseInt(rest, 2, 64)` (a sign allowed after
/// `0b`); with a dot, Go's `ParseFloat`.
pub fn go_resolve(text: &str) -> GoScalar {
    let Some(first) = text.chars().next() else { return GoScalar::Text };
    if first == '.' {
        return go_float_literal(text, true).map_or(GoScalar::Text, GoScalar::Float);
    }
    if !(first.is_ascii_digit() || first == '+' || first == '-') {
        return GoScalar::Text;
    }
    let plain: String = text.chars().filter(|c| *c != '_').collect();
    let (negative, unsigned) = match plain.as_bytes()[0] {
        b'-' => (true, &plain[1..]),
        b'+' => (false, &plain[1..]),
        _ => (false, plain.as_str()),
    };
    if let Some(value) = base0(unsigned) {
        let signed = if negative { 0i128 - i128::from(value) } else { i128::from(value) };
        if let Ok(n) = i64::try_from(signed) {
            return GoScalar::Int(n);
        }
        // ParseUint takes no sign.
        if unsigned.len() == plain.len() {
            return GoScalar::Uint(value);
        }
    }
    if let Some(f) = go_float_literal(&plain, false) {
        return GoScalar::Float(f);
    }
    let binary = |digits: &str| {
        let (negative, d) = match digits.as_bytes().first() {
            Some(b'-') => (true, &digits[1..]),
            Some(b'+') => (false, &digits[1..]),
            _ => (false, digits),
        };
        let value = u64::from_str_radix(d, 2).ok().filter(|_| !d.starts_with(['+', '-']))?;
        let n = if negative { 0i128 - i128::from(value) } else { i128::from(value) };
        i64::try_from(n).ok()
    };
    let last = if let Some(rest) = plain.strip_prefix("0b") {
        binary(rest)
    } else if let Some(rest) = plain.strip_prefix("-0b") {
        binary(&format!("-{rest}"))
    } else {
        None
    };
    last.map_or(GoScalar::Text, GoScalar::Int)
}

/// Whether a plain scalar is a `0x`, `0o` or `0b` number (underscores dropped, signed or not)
/// whose value does not fit 64 bits.
fn prefixed_past_64_bits(text: &str) -> bool {
    let plain: String = text.chars().filter(|c| *c != '_').collect();
    let unsigned = plain.strip_prefix(['+', '-']).unwrap_or(&plain).to_ascii_lowercase();
    let Some((radix, digits)) = radix_prefix(&unsigned) else { return false };
    !digits.is_empty()
        && digits.chars().all(|c| c.is_digit(radix))
        && u64::from_str_radix(digits, radix).is_err()
}

/// The radix of a lowercase number's `0x`, `0o` or `0b` prefix, and its digits after it.
fn radix_prefix(lower: &str) -> Option<(u32, &str)> {
    [("0x", 16), ("0o", 8), ("0b", 2)].iter().find_map(|&(p, r)| Some((r, lower.strip_prefix(p)?)))
}

/// Go's base-0 reading of an unsigned number (`0x`, `0o`, `0b`, a leading `0` for octal, else
/// decimal), within 64 bits.
fn base0(unsigned: &str) -> Option<u64> {
    let lower = unsigned.to_ascii_lowercase();
    let (radix, digits) = match radix_prefix(&lower) {
        Some(prefixed) => prefixed,
        None if lower.len() > 1 && lower.starts_with('0') => (8, &lower[1..]),
        None => (10, lower.as_str()),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
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
        use GoScalar::*;
        for (text, read) in [
            ("1__0", Int(10)),
            ("10_", Int(10)),
            ("0_8", Float(8.0)),
            ("1_0.5", Float(10.5)),
            ("1_e3", Float(1000.0)),
            ("0_o7", Int(7)),
            ("1_000", Int(1000)),
            ("-0x_1f", Int(-31)),
            (".5_0", Float(0.5)),
            // Past 64 bits, an integer is read as a float.
            ("1234_5678_9012_3456_7890_1234_5678_9012", Float(1.2345678901234567e31)),
            ("12_345678901234567890123456789012.5", Float(1.2345678901234567e31)),
            ("18446744073709551615", Uint(u64::MAX)),
            // A sign after 0b, read by the last rule.
            ("0b+1", Int(1)),
            ("0b-1_0", Int(-2)),
            // ParseUint takes no sign: a signed hex past int64 is text; a signed octal-looking
            // one matches the float pattern.
            ("+0xFFFFFFFFFFFFFFFF", Text),
            ("+01777777777777777777777", Float(1.7777777777777778e21)),
        ] {
            assert_eq!(go_resolve(text), read, "{text}");
        }
        for text in ["1_a", "_1", "1-2_3", "0x_", "._5", "1e999_", "2001-12-14_", "0b+"] {
            assert_eq!(go_resolve(text), Text, "{text}");
        }
    }

    #[test]
    fn excessive_aliasing_is_found_as_go_yaml_v2_counts_it() {
        // Lists of aliases of lists, level after level: (fan-out, levels, values before).
        let doc = |fan: usize, levels: usize, pad: usize| {
            let mut text = String::from("organizationName: x\n");
            if pad > 0 {
                text += &format!("pad: [{}]\n", vec!["p"; pad].join(", "));
            }
            let keys: Vec<String> = (0..fan).map(|j| format!("k{j}: x")).collect();
            text += &format!("l0: &a0 {{{}}}\n", keys.join(", "));
            for i in 1..levels {
                text +=
                    &format!("l{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); fan].join(", "));
            }
            text
        };
        // As kubectl (go-yaml v2) reads them: refused past these bounds, read up to them.
        for (fan, levels, pad, refused) in [
            (4, 5, 0, false),
            (4, 6, 0, true),
            (6, 4, 0, false),
            (7, 4, 0, true),
            (10, 4, 900, false),
            (40, 2, 0, false),
            (2, 12, 0, true),
        ] {
            let text = doc(fan, levels, pad);
            let found = aliasing(&text, || cst::parse(&text));
            assert_eq!(found.is_some(), refused, "{fan} {levels} {pad}");
            // A comment changes nothing.
            let text = format!("{text}# {}\n", ":".repeat(100_000));
            assert_eq!(aliasing(&text, || cst::parse(&text)).is_some(), refused);
        }
        // A merge key's list is merged from its last item to its first, and counted so.
        // (As kubectl reads them: the plain mapping merged last is refused, first read.)
        let big: Vec<String> = (0..100).map(|j| format!("p{j}: x")).collect();
        let cs: Vec<String> = (0..50).map(|j| format!("c{j}: *B")).collect();
        let c = format!(
            "a0: &A [x, x, x, x, x, x, x, x, x, x]\nb0: &B [{}]\nc0: &C {{{}}}\n",
            vec!["*A"; 20].join(", "),
            cs.join(", ")
        );
        for (merge, refused) in [
            (format!("[{{{}}}, *C]", big.join(", ")), true),
            (format!("[*C, {{{}}}]", big.join(", ")), false),
        ] {
            let text = format!("{c}m: {{<<: {merge}}}\n");
            assert_eq!(aliasing(&text, || cst::parse(&text)).is_some(), refused, "{merge}");
        }
        // The chart's aliases are of scalars: no tree is needed.
        assert!(!aliasing_candidate("a: &u postgres\nb: *u\nc: &l\n  - 1\n"));
        assert!(aliasing_candidate("c: &l\n  - 1\nd: *l\n"));
        assert!(aliasing_candidate("c: &l !!seq [1]\nd: *l\n"));
    }

    #[test]
    fn what_helm_reads_otherwise_is_found_at_its_place() {
        let at = |text: &str| {
            disagreement(text, || cst::parse(text)).map(|(at, _)| cst::line_col(text, at).0)
        };
        assert_eq!(at("a: 1\nb: x # note\u{85}c: 2\n"), Some(2));
        assert_eq!(at("%YAML 1.2\n---\na: 1\n"), Some(1));
        assert_eq!(at("%YAML 1.1\n---\na: 1\n"), None);
        assert_eq!(at("%YAML 01.01\n---\na: 1\n"), None);
        assert_eq!(at("\u{feff}%YAML 1.2\n---\na: 1\n"), Some(1));
        assert_eq!(at("d: &d {a: 1}\nm:\n  <<: *d\n  b: 2\n  <<: {c: 3}\n"), Some(5));
        assert_eq!(at("l: &l [{a: 1}]\nm:\n  <<: *l\n"), Some(3));
        assert_eq!(at("m:\n  <<: ~\n"), Some(2));
        assert_eq!(at("m:\n  <<: [[{a: 1}]]\n"), Some(2));
        assert_eq!(at("d: &d {a: 1}\nm:\n  <<: [*d, {b: 2}]\n  c: 3\n"), None);
        // A key written before a merge key that supplies it: the merged value wins in Helm.
        assert_eq!(at("d: &d {a: 1}\nm:\n  a: 2\n  <<: *d\n"), Some(4));
        assert_eq!(at("m: {b: 0, a: 2, <<: [{c: 1}, {a: 1}]}\n"), Some(1));
        assert_eq!(at("d: &d {<<: {a: 1}}\nm:\n  a: 2\n  <<: *d\n"), Some(4));
        assert_eq!(at("d: &d {a: 1}\nm:\n  <<: *d\n  a: 2\n"), None);
        assert_eq!(at("m:\n  <<: !!map {b: 2}\n"), None);
        assert_eq!(at("a:\n  b: x\n  secret: 1__0\n"), Some(3));
        assert_eq!(at("a: {1_0.5: x}\n"), Some(1));
        assert_eq!(at("a: 0b+1\n"), Some(1));
        assert_eq!(at("a: +0xFFFFFFFFFFFFFFFF\n"), Some(1));
        assert_eq!(at("a:\n  9223372036854775808: x\n"), Some(2));
        assert_eq!(at("m: &m <<\nn:\n  *m : {a: 1}\n"), Some(3));
        assert_eq!(at("n:\n  <<: {a: 1}\n  !!merge \"<<\": {a: 2}\n"), Some(3));
        assert_eq!(at("n:\n  a: 1\n  ! \"<<\": {a: 2}\n"), Some(3));
        assert_eq!(at("n:\n  a: 1\n  !!merge \"\\x3c<\": {a: 2}\n"), Some(3));
        assert_eq!(at("n:\n  a: 1\n  ! \"\\u003c<\": {a: 2}\n"), Some(3));
        assert_eq!(at("m: &m !!merge <<\nn:\n  *m : {a: 1}\n"), Some(3));
        assert_eq!(at("\u{feff}18446744073709551615: x\n"), Some(1));
        assert_eq!(at("\u{feff}x: &a.b 1\n"), Some(1));
        assert_eq!(at("big: &k 18446744073709551615\nextra:\n  *k : x\n"), Some(3));
        assert_eq!(at("extra: &a[1, 2]\n"), Some(1));
        assert_eq!(at("extra: [&a[1]]\n"), Some(1));
        assert_eq!(at("extra: [&a {b: 1}, *a]\n"), None);
        assert_eq!(at("a:\n  enabled: oFF\n"), Some(2));
        assert_eq!(at("a:\n  b: !!bool tRUE\n"), Some(2));
        assert_eq!(at("a: {b: !!null x}\n"), Some(1));
        assert_eq!(at("a: !!int \"+0xFFFFFFFFFFFFFFFF\"\n"), Some(1));
        assert_eq!(at("a: !!int 1.5\n"), Some(1));
        assert_eq!(
            at("a: [!!bool true, !!bool \"yes\", !!null ~, !!int 0x10, !!float 16]\n"),
            None
        );
        assert_eq!(at("a: [tRUE]\n"), Some(1));
        assert_eq!(at("a: {b: true, c: Off, d: yes, e: \"tRUE\", f: !!str oFF, g: NULL}\n"), None);
        assert_eq!(at("a:\n  0xFFFFFFFFFFFFFFFF: x\n"), Some(2));
        assert_eq!(at("a: 0x10000000000000000\n"), Some(1));
        assert_eq!(at("%YAML 001.1\n---\na: 1\n"), Some(1));
        assert_eq!(at("%FOO bar\n---\na: 1\n"), Some(1));
        assert_eq!(at("x: &ca.crt 1\ny: *ca.crt\n"), Some(1));
        // A line of a scalar that starts with % is no directive.
        assert_eq!(at("notes: [\"a\n%YAML 1.2\"]\n"), None);
        assert_eq!(at("a: 0xFFFFFFFFFFFFFFFF\nb: &ok-1_x 2\nc: *ok-1_x\n"), None);
        // Tags written with `%` escapes or a `%TAG` handle: Helm decodes them, substractl
        // refuses them.
        assert_eq!(at("n:\n  a: 1\n  !!m%65rge <<: {a: 2}\n"), Some(3));
        assert_eq!(at("n:\n  a: 1\n  !<%21> <<: {a: 2}\n"), Some(3));
        assert_eq!(at("n:\n  !<tag%3Ayaml.org,2002:merge> <<: {a: 2}\n"), Some(2));
        assert_eq!(at("a: !<tag%3Ayaml.org,2002:bool> tRUE\n"), Some(1));
        assert_eq!(at("a: !f%6Fo x\nb: 100% sure\n"), Some(1));
        assert_eq!(at("%TAG !e! tag:yaml.org,2002:\n---\nn:\n  !e!merge <<: {a: 2}\n"), Some(1));
        assert_eq!(at("a: 100% sure # !\nb: '50%!'\n"), None);
        // The tags of the YAML types, written out in full, are the short ones.
        assert_eq!(at("a: !<tag:yaml.org,2002:bool> tRUE\n"), Some(1));
        assert_eq!(at("a: !<tag:yaml.org,2002:int> 1.5\n"), Some(1));
        // Any other tag makes a plain scalar text to go-yaml v2.
        assert_eq!(at("a:\n  enabled: !foo false\n"), Some(2));
        assert_eq!(at("a: [!!foo 10, x]\n"), Some(1));
        assert_eq!(at("a: &x !e ~\n"), Some(1));
        assert_eq!(at("a: !foo\n  false\n"), Some(1));
        assert_eq!(at("a: [! false, ! 10, !foo \"false\", !foo name, !foo |\n  1\n]\n"), None);
        // A tag must be followed by a blank.
        assert_eq!(at("a: {b: !!str}\n"), Some(1));
        assert_eq!(at("a:\n  - [!!str, b]\n"), Some(2));
        assert_eq!(at("a: {b: !!str,c: d}\n"), Some(1));
        assert_eq!(at("x: [a, !!null]\n"), Some(1));
        assert_eq!(at("a: !!str\nb: [!!str x, !!int 1]\nc: !!str"), None);
        // A key under a tag other than `!!str`.
        assert_eq!(at("a: 1\n!foo orchestrator:\n  mspID: x\n"), Some(2));
        assert_eq!(at("a: {!!binary b3JjaA==: x}\n"), Some(1));
        assert_eq!(at("a:\n  ! b: x\n"), Some(2));
        assert_eq!(at("a:\n  !!str b: x\n  !<tag:yaml.org,2002:str> c: y\n"), None);
        // !!binary: Go's base64 with padding, line breaks skipped.
        assert_eq!(at("a: !!binary aW5nZW4=\n"), None);
        assert_eq!(at("a: !!binary |\n  aW5n\n  ZW4=\nb: !!binary ''\nc: !!binary aG==\n"), None);
        assert_eq!(at("a: !<tag:yaml.org,2002:binary> \"aW5nZW4=\"\n"), None);
        assert_eq!(at("x: 1\na: !!binary \"aW5n ZW4=\"\n"), Some(2));
        assert_eq!(at("a:\n  b: !!binary aW5nZW4\n"), Some(2));
        assert_eq!(at("a: !!binary >\n  aW5n\n  ZW4=\n"), Some(1));
        assert_eq!(at("a: !!binary aW5n\n  ZW4=\n"), Some(1));
        assert_eq!(at("a: !<tag:yaml.org,2002:binary> aGk=aGk=\n"), Some(1));
        assert_eq!(at("a: !!binary aGk\t=\n"), Some(1));
        // Read alike by both: a number with underscores between digits, text, quoted, tagged.
        assert_eq!(at("a: 1_000\nb: v1_2\nc: \"1__0\"\nd: !!str 1__0\ne: my_name\n"), None);
    }
}

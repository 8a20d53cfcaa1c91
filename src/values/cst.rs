//! Byte-exact edits on yaml-edit's lossless syntax tree.
//!
//! The tree is used to find where things are; changes are made as text edits on the
//! original bytes, so that everything outside an edited range is kept as it was, whatever
//! the tree would print. The editors above check the result with a second parser.

use std::ops::Range;

use rowan::ast::AstNode;
use yaml_edit::SyntaxKind as K;

pub type Node = rowan::SyntaxNode<yaml_edit::Lang>;
pub type Token = rowan::SyntaxToken<yaml_edit::Lang>;

/// A replacement of one byte range of the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub range: Range<usize>,
    pub text: String,
}

impl TextEdit {
    pub fn insert(at: usize, text: String) -> Self {
        TextEdit { range: at..at, text }
    }
    pub fn replace(range: Range<usize>, text: String) -> Self {
        TextEdit { range, text }
    }
    pub fn delete(range: Range<usize>) -> Self {
        TextEdit { range, text: String::new() }
    }
}

/// Applies edits to `text`. Edits must not overlap; inserts at one offset keep their order.
pub fn apply(text: &str, mut edits: Vec<TextEdit>) -> String {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let extra: usize = edits.iter().map(|e| e.text.len()).sum();
    let mut out = String::with_capacity(text.len() + extra);
    let mut pos = 0;
    for e in edits {
        debug_assert!(e.range.start >= pos, "overlapping edits");
        let start = e.range.start.max(pos);
        out.push_str(&text[pos..start]);
        out.push_str(&e.text);
        pos = e.range.end.max(start);
    }
    out.push_str(&text[pos..]);
    out
}

/// Parses text into yaml-edit's tree (syntax was checked before, by the strict parser).
///
/// The tree is read, never changed (edits are made on the text): it is made immutable, whose
/// nodes cost the same however many siblings they have (yaml-edit's own tree is mutable, where
/// each node is linked among its siblings: a mapping of 20,000 keys took seconds to walk).
pub fn parse(text: &str) -> Node {
    let green = yaml_edit::YamlFile::parse(text).tree().syntax().green().into_owned();
    Node::new_root(green)
}

pub fn range(node: &Node) -> Range<usize> {
    let r = node.text_range();
    usize::from(r.start())..usize::from(r.end())
}

fn token_range(token: &Token) -> Range<usize> {
    let r = token.text_range();
    usize::from(r.start())..usize::from(r.end())
}

/// The node holding the first document's content (a MAPPING, SEQUENCE, SCALAR...), if any.
pub fn document_content(root: &Node) -> Option<Node> {
    let doc = if root.kind() == K::DOCUMENT {
        root.clone()
    } else {
        root.children().find(|n| n.kind() == K::DOCUMENT)?
    };
    doc.children().find(|n| is_content(n.kind()))
}

pub fn is_content(kind: K) -> bool {
    matches!(kind, K::MAPPING | K::SEQUENCE | K::SCALAR | K::ALIAS | K::TAGGED_NODE)
}

/// The range of a document whose only content is a null scalar (`~`, `null`): a new block
/// replaces it. None when the document holds something else, or nothing at all.
pub fn null_content(root: &Node) -> Option<Range<usize>> {
    let content = document_content(root)?;
    let null = match content.kind() {
        K::SCALAR => scalar_string(&content).is_none(),
        // `!!null`, `!!null ""`: the caller knows that the document's data is null.
        K::TAGGED_NODE => true,
        _ => false,
    };
    null.then(|| range(&content))
}

/// True for a node written inside a flow collection (`[...]`, `{...}`), where a block
/// cannot go.
pub fn in_flow(node: &Node) -> bool {
    node.ancestors().any(|a| matches!(a.kind(), K::MAPPING | K::SEQUENCE) && is_flow(&a))
}

/// The kind of value a node holds, in words, for error messages.
pub fn describe(node: Option<&Node>) -> &'static str {
    match node.map(Node::kind) {
        None => "empty",
        Some(K::MAPPING) => "a mapping",
        Some(K::SEQUENCE) => "a list",
        Some(K::SCALAR) => "a scalar",
        Some(K::ALIAS) => "an alias",
        // A `!!map` or `!!seq` too: substractl does not edit through a tag.
        Some(K::TAGGED_NODE) => {
            "a value under a tag (substractl reads and edits these lists and mappings only \
             without one: write it without the tag)"
        }
        Some(_) => "not a value",
    }
}

/// True for `[...]` and `{...}` collections.
pub fn is_flow(node: &Node) -> bool {
    node.first_token().is_some_and(|t| matches!(t.kind(), K::LEFT_BRACKET | K::LEFT_BRACE))
}

/// The MAPPING_ENTRY children of a mapping, in order.
pub fn entries(map: &Node) -> impl Iterator<Item = Node> + '_ {
    map.children().filter(|n| n.kind() == K::MAPPING_ENTRY)
}

/// Offset just past the colon of a mapping entry.
pub fn colon_end(entry: &Node) -> Option<usize> {
    entry
        .children_with_tokens()
        .filter_map(|el| el.into_token())
        .find(|t| t.kind() == K::COLON)
        .map(|t| usize::from(t.text_range().end()))
}

/// The key of a mapping entry, unquoted.
pub fn entry_key(entry: &Node) -> Option<String> {
    let key = entry.children().find(|n| n.kind() == K::KEY)?;
    let node = key.children().find(|n| is_content(n.kind()))?;
    if node.kind() == K::TAGGED_NODE {
        // `!!str key`: the same key as `key` to every reader.
        let tag = node.first_token()?.text().to_string();
        if yaml_tag(&tag) != Some("str") {
            return None;
        }
        let scalar = node.children().find(|n| n.kind() == K::SCALAR)?;
        return scalar_string(&scalar).or_else(|| Some(String::new()));
    }
    scalar_string(&node)
}

/// The name of a tag of the YAML types (`str` for `!!str` and `!<tag:yaml.org,2002:str>`), as
/// both readers name it; None for any other tag. (Tags written with `%` escapes or a `%TAG`
/// handle are refused when a file is read: see `goyaml`.)
pub fn yaml_tag(tag: &str) -> Option<&str> {
    tag.strip_prefix("!!")
        .or_else(|| tag.strip_prefix("!<tag:yaml.org,2002:")?.strip_suffix('>'))
        .filter(|name| !name.is_empty())
}

/// The KEY node of an entry.
pub fn entry_key_node(entry: &Node) -> Option<Node> {
    entry.children().find(|n| n.kind() == K::KEY)
}

/// The value of a mapping entry; None for an absent (null) value.
pub fn entry_value(entry: &Node) -> Option<Node> {
    let value = entry.children().find(|n| n.kind() == K::VALUE)?;
    value.children().find(|n| is_content(n.kind()) && !n.text_range().is_empty())
}

/// The names of every alias (`*name`) in a tree.
pub fn alias_names(root: &Node) -> Vec<Alias> {
    // Walked on the green tree: no cursor node is made for each of the file's many tokens.
    fn walk(
        node: &rowan::GreenNodeData,
        reference: rowan::SyntaxKind,
        mut at: usize,
        out: &mut Vec<Alias>,
    ) {
        for child in node.children() {
            let len = usize::from(child.text_len());
            match child {
                rowan::NodeOrToken::Node(n) => walk(n, reference, at, out),
                rowan::NodeOrToken::Token(t) if t.kind() == reference => {
                    out.push((t.text().trim_start_matches('*').to_string(), at))
                }
                rowan::NodeOrToken::Token(_) => {}
            }
            at += len;
        }
    }
    use rowan::Language;
    let mut out = Vec::new();
    walk(&root.green(), yaml_edit::Lang::kind_to_raw(K::REFERENCE), range(root).start, &mut out);
    out
}

/// An alias: its name (without `*`) and offset.
pub type Alias = (String, usize);

/// The first anchor (`&name`) inside `node` that one of `aliases` refers to: its offset and
/// name. `shallow` looks only at the anchors written directly on `node` (not deeper). An alias
/// refers to the last anchor of its name written before it: one after an anchor of the same
/// name written again reads that one.
pub fn used_anchor(node: &Node, aliases: &[Alias], shallow: bool) -> Option<(usize, String)> {
    if aliases.is_empty() {
        return None;
    }
    let root = node.ancestors().last().unwrap_or_else(|| node.clone());
    let is_used = |t: &Token| {
        if t.kind() != K::ANCHOR {
            return None;
        }
        let name = t.text().trim_start_matches('&');
        let at = token_range(t).start;
        // The next anchor of that name is looked up only for a name an alias after it reads.
        let read_after = |q: usize| {
            aliases.iter().any(|(a, at_alias)| a == name && at < *at_alias && *at_alias <= q)
        };
        read_after(usize::MAX)
            .then(|| next_anchor(&root, name, at).unwrap_or(usize::MAX))
            .filter(|&until| read_after(until - 1))
            .map(|_| (at, name.to_string()))
    };
    if shallow {
        node.children_with_tokens().filter_map(|el| el.into_token()).find_map(|t| is_used(&t))
    } else {
        node.descendants_with_tokens().filter_map(|el| el.into_token()).find_map(|t| is_used(&t))
    }
}

/// The VALUE node of a mapping entry (it carries the value's anchor and tag tokens).
pub fn entry_value_node(entry: &Node) -> Option<Node> {
    entry.children().find(|n| n.kind() == K::VALUE)
}

/// The entry for `key` in a mapping.
pub fn lookup(map: &Node, key: &str) -> Option<Node> {
    entries(map).find(|e| entry_key(e).as_deref() == Some(key))
}

/// The first merge key entry (`<<: ...`, `? <<`, `!!merge <<: ...`) of a mapping. A quoted
/// `"<<"` is an ordinary key.
pub fn merge_entry(map: &Node) -> Option<Node> {
    entries(map).find(is_merge_key)
}

/// The merge key `<<` entry of `map` that supplies `key`, when `map` has one: the merge key
/// whose value (a mapping, an alias of one, or a list of them) holds `key`, or whose value
/// cannot be resolved here (it could supply it).
pub fn merge_supplying(root: &Node, map: &Node, key: &str) -> Option<Node> {
    let merge = merge_entry(map)?;
    let value = entry_value(&merge)?;
    supplied_keys(root, &value).is_none_or(|keys| keys.contains(key)).then_some(merge)
}

/// The keys a merge key's value brings in (theirs in turn included); `None` when that cannot
/// be told here (an alias with no anchor before it could bring in anything).
pub fn supplied_keys(root: &Node, value: &Node) -> Option<std::collections::HashSet<String>> {
    let value = resolve(root, value)?;
    let brought: Vec<Node> = match value.kind() {
        K::SEQUENCE => items(&value).iter().filter_map(item_value).collect(),
        _ => vec![value],
    };
    let (maps, whole) = merged_maps_whole(root, &brought);
    whole.then(|| {
        maps.iter()
            .flat_map(entries)
            .filter(|e| !is_merge_key(e))
            .filter_map(|e| entry_key(&e))
            .collect()
    })
}

/// The content under a tag (`!!map {...}`), or the node itself (an alias is not followed: see
/// [`resolve`]).
pub fn untagged(node: &Node) -> Node {
    if node.kind() == K::TAGGED_NODE {
        if let Some(inner) = node.children().find(|n| is_content(n.kind())) {
            return inner;
        }
    }
    node.clone()
}

/// How deep [`resolve`] and [`values_at`] follow tags, aliases and merge keys.
const MAX_DEPTH: usize = 16;

/// What a value stands for: the content under its tag (`!!map {...}`), and for an alias the
/// content its anchor is on. None for an alias with no anchor before it.
pub fn resolve(root: &Node, node: &Node) -> Option<Node> {
    let mut node = node.clone();
    for _ in 0..MAX_DEPTH {
        node = match node.kind() {
            K::TAGGED_NODE => node.children().find(|n| is_content(n.kind()))?,
            K::ALIAS => anchored_node(root, &node)?,
            _ => return Some(node),
        };
    }
    None
}

/// Whether an entry's key is a merge key (`<<`, `? <<`, `!!merge <<`, `!!merge "<<"`, anchored
/// or not); a quoted `"<<"` without the tag is an ordinary key.
pub fn is_merge_key(entry: &Node) -> bool {
    let Some(key) = entry_key_node(entry) else { return false };
    let text = key.text().to_string();
    let words: Vec<&str> =
        text.split_whitespace().filter(|w| *w != "?" && !w.starts_with('&')).collect();
    match words.as_slice() {
        ["<<"] => true,
        [tag, "<<" | "\"<<\"" | "'<<'"] => yaml_tag(tag) == Some("merge"),
        _ => false,
    }
}

/// Every mapping whose keys a reader finds in one of `maps`: each of them, then those their
/// merge keys bring in (a mapping, an alias of one, a list of them, and theirs in turn), each
/// once however many merge keys bring it in.
pub fn merged_maps(root: &Node, maps: &[Node]) -> Vec<Node> {
    merged_maps_whole(root, maps).0
}

/// [`merged_maps`], and whether every alias on the way was resolved.
fn merged_maps_whole(root: &Node, maps: &[Node]) -> (Vec<Node>, bool) {
    let mut whole = true;
    let mut out: Vec<Node> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    // (node, whether a merge key's list holds it): a list is a merge key's value only.
    let mut todo: Vec<(Node, bool)> = maps.iter().rev().map(|m| (m.clone(), true)).collect();
    while let Some((node, in_list)) = todo.pop() {
        let Some(node) = resolve(root, &node) else {
            whole = false;
            continue;
        };
        if !seen.insert((range(&node).start, node.kind())) {
            continue;
        }
        match node.kind() {
            K::MAPPING => {
                let merged = entries(&node).filter(is_merge_key).filter_map(|e| entry_value(&e));
                todo.extend(merged.map(|v| (v, false)));
                out.push(node);
            }
            // A list brings its mappings in, the first one winning: pushed last, taken first.
            K::SEQUENCE if !in_list => {
                todo.extend(items(&node).iter().rev().filter_map(item_value).map(|v| (v, true)))
            }
            _ => {}
        }
    }
    (out, whole)
}

/// Every value a reader may find at `path` below `node`, through tags, aliases and merge keys:
/// at each step, the value of the key in every mapping found (written out first, then brought
/// in by a merge key), each once, as written (an alias, a tagged value: see [`resolve`]).
pub fn values_at(root: &Node, node: &Node, path: &[&str]) -> Vec<Node> {
    let mut found = vec![node.clone()];
    for key in path {
        let mut seen = std::collections::HashSet::new();
        found = merged_maps(root, &found)
            .iter()
            .filter_map(|map| lookup(map, key).and_then(|e| entry_value(&e)))
            .filter(|value| seen.insert(range(value).start))
            .collect();
    }
    found
}

/// The node an alias refers to: the content holding the last anchor of its name written
/// before it.
pub fn anchored_node(root: &Node, alias: &Node) -> Option<Node> {
    let name = alias.text().to_string();
    let name = name.trim().trim_start_matches('*');
    let before = range(alias).start;
    let token = ANCHORS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.as_ref().is_none_or(|(r, _)| r != root) {
            *cache = Some((root.clone(), anchors_of(root)));
        }
        let (_, anchors) = cache.as_ref()?;
        // Sorted by name, then offset: the last one of this name before the alias.
        let end = anchors.partition_point(|(n, start, _)| (n.as_str(), *start) < (name, before));
        anchors[..end].last().filter(|(n, _, _)| n == name).map(|(_, _, t)| t.clone())
    })?;
    let holder = token.parent()?;
    if matches!(holder.kind(), K::MAPPING | K::SEQUENCE) {
        return Some(holder);
    }
    holder.children().find(|n| is_content(n.kind()) && range(n).start > token_range(&token).start)
}

/// The offset of the next anchor named `name` after offset `after`, if any.
fn next_anchor(root: &Node, name: &str, after: usize) -> Option<usize> {
    ANCHORS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.as_ref().is_none_or(|(r, _)| r != root) {
            *cache = Some((root.clone(), anchors_of(root)));
        }
        let (_, anchors) = cache.as_ref()?;
        let from = anchors.partition_point(|(n, start, _)| (n.as_str(), *start) <= (name, after));
        anchors.get(from).filter(|(n, _, _)| n == name).map(|(_, start, _)| *start)
    })
}

thread_local! {
    /// The anchors of the last tree an alias was resolved in: a file of many aliases is read
    /// once, not once for each alias.
    static ANCHORS: std::cell::RefCell<Option<(Node, Vec<Anchor>)>> =
        const { std::cell::RefCell::new(None) };
}

/// An anchor: its name, offset and token.
type Anchor = (String, usize, Token);

/// Every anchor of a tree, sorted by name, then offset.
fn anchors_of(root: &Node) -> Vec<Anchor> {
    let mut anchors: Vec<Anchor> = root
        .descendants_with_tokens()
        .filter_map(|el| el.into_token())
        .filter(|t| t.kind() == K::ANCHOR)
        .map(|t| (t.text().trim_start_matches('&').to_string(), token_range(&t).start, t))
        .collect();
    anchors.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    anchors
}

/// Every key written explicitly in `map` that a merge key `<<` of `map` supplies too, with
/// the merge key entry: YAML readers disagree on which one wins.
pub fn merge_conflicts(root: &Node, map: &Node) -> Vec<(String, Node)> {
    let Some(merge) = merge_entry(map) else { return Vec::new() };
    let Some(value) = entry_value(&merge) else { return Vec::new() };
    let supplied = supplied_keys(root, &value);
    entries(map)
        .filter(|e| e != &merge)
        .filter_map(|e| entry_key(&e))
        .filter(|k| supplied.as_ref().is_none_or(|keys| keys.contains(k)))
        .map(|k| (k, merge.clone()))
        .collect()
}

/// The SEQUENCE_ENTRY children of a sequence.
pub fn items(seq: &Node) -> Vec<Node> {
    seq.children().filter(|n| n.kind() == K::SEQUENCE_ENTRY).collect()
}

/// The value of a sequence entry.
pub fn item_value(item: &Node) -> Option<Node> {
    item.children().find(|n| is_content(n.kind()))
}

/// A scalar's value, unquoted; None for anything but a plain or quoted scalar.
pub fn scalar_string(node: &Node) -> Option<String> {
    if node.kind() != K::SCALAR {
        return None;
    }
    let scalar = yaml_edit::Scalar::cast(node.clone())?;
    if scalar.is_null() {
        return None;
    }
    Some(scalar.as_string())
}

/// True when a scalar is written with quotes; which quote, if so.
pub fn quote_of(node: &Node) -> Option<char> {
    let text = node.text().to_string();
    match text.chars().next() {
        Some(c @ ('"' | '\'')) => Some(c),
        _ => None,
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// Byte offset of the start of the line holding `offset`.
pub fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// Column (in bytes, 0-based) of `offset` on its line.
pub fn column(text: &str, offset: usize) -> usize {
    offset - line_start(text, offset)
}

/// The newline style of a text: "\r\n" when its first line ends so, else "\n".
pub fn newline_of(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Offset just past the end of the line holding `offset` (past its newline, or the end).
pub fn line_end_after(text: &str, offset: usize) -> usize {
    text[offset..].find('\n').map_or(text.len(), |i| offset + i + 1)
}

/// End of the meaningful content of a node: its range without trailing newlines,
/// whitespace and comments (which belong to what follows).
pub fn content_end(node: &Node) -> usize {
    let mut end = range(node).start;
    for el in node.descendants_with_tokens() {
        if let rowan::NodeOrToken::Token(t) = el {
            if !matches!(t.kind(), K::NEWLINE | K::WHITESPACE | K::INDENT | K::COMMENT) {
                end = end.max(token_range(&t).end);
            }
        }
    }
    end
}

/// Where a new line can be inserted after a block node: just past the newline that ends its
/// last line of content. Returns the offset and whether a newline must be written first
/// (the file ends without one).
pub fn after_block(text: &str, node: &Node) -> (usize, bool) {
    let end = content_end(node);
    let mut after = line_end_after(text, end);
    // A block scalar that keeps its final line breaks (`|+`, `>+`) holds the blank lines after
    // its last line: what follows goes after them.
    if keeps_final_breaks(&text[range(node).start..end]) {
        while after < text.len() {
            let next = line_end_after(text, after);
            if !text[after..next].trim_matches([' ', '\t', '\r', '\n']).is_empty() {
                break;
            }
            after = next;
        }
    }
    let needs_newline = !text[..after].ends_with('\n');
    (after, needs_newline)
}

/// Whether `text` has the header of a block scalar with keep chomping (`|+`, `>2+`, `|+1`...).
/// Read loosely: a false match only moves an insertion past blank lines.
fn keeps_final_breaks(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        (b == b'|' || b == b'>')
            && bytes[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit() || **c == b'+')
                .any(|c| *c == b'+')
    })
}

/// The trailing comment on the same line as `offset`, as (range of " # ..." starting at the
/// whitespace before it), if the rest of the line is only that comment.
pub fn trailing_comment(text: &str, offset: usize) -> Option<Range<usize>> {
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let rest = &text[offset..line_end];
    let rest_trimmed = rest.trim_end_matches('\r');
    let stripped = rest_trimmed.trim_start_matches([' ', '\t']);
    if stripped.starts_with('#') {
        Some(offset..offset + rest_trimmed.len())
    } else {
        None
    }
}

/// The COMMA token directly inside a node (flow mapping entries and flow sequence entries
/// carry the comma that follows them).
pub fn comma_in(node: &Node) -> Option<Range<usize>> {
    node.children_with_tokens()
        .filter_map(|el| el.into_token())
        .find(|t| t.kind() == K::COMMA)
        .map(|t| token_range(&t))
}

/// The closing bracket or brace of a flow collection.
pub fn flow_close(node: &Node) -> Option<usize> {
    node.children_with_tokens()
        .filter_map(|el| el.into_token())
        .filter(|t| matches!(t.kind(), K::RIGHT_BRACKET | K::RIGHT_BRACE))
        .last()
        .map(|t| token_range(&t).start)
}

/// Whether a flow mapping is written with inner spaces, `{ a: b }` rather than `{a: b}`.
pub fn flow_padded(node: &Node) -> bool {
    node.children_with_tokens()
        .nth(1)
        .and_then(|el| el.into_token())
        .is_some_and(|t| t.kind() == K::WHITESPACE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keys_that_supply_a_key_written_out_are_found() {
        let text = "d: &d\n  a: 1\nm:\n  a: 2\n  b: 3\n  <<: [*d, {c: 4}]\nn:\n  <<: *d\n  b: 1\n";
        let root = parse(text);
        let top = document_content(&root).expect("content");
        let m = entry_value(&lookup(&top, "m").expect("m")).expect("m value");
        let found: Vec<String> = merge_conflicts(&top, &m).into_iter().map(|(k, _)| k).collect();
        assert_eq!(found, ["a"]);
        assert!(merge_supplying(&top, &m, "c").is_some());
        assert!(merge_supplying(&top, &m, "b").is_none());
        let n = entry_value(&lookup(&top, "n").expect("n")).expect("n value");
        assert!(merge_conflicts(&top, &n).is_empty());
        // An alias with no anchor before it could supply anything.
        let root = parse("m:\n  a: 1\n  <<: *nowhere\n");
        let top = document_content(&root).expect("content");
        let m = entry_value(&lookup(&top, "m").expect("m")).expect("m value");
        assert!(merge_supplying(&top, &m, "a").is_some());
    }

    #[test]
    fn edits_apply_in_order_and_keep_the_rest() {
        let text = "a: 1\nb: 2\n";
        let out = apply(
            text,
            vec![
                TextEdit::replace(3..4, "9".into()),
                TextEdit::insert(10, "c: 3\n".into()),
                TextEdit::insert(0, "# top\n".into()),
            ],
        );
        assert_eq!(out, "# top\na: 9\nb: 2\nc: 3\n");
    }

    #[test]
    fn finds_entries_values_and_positions() {
        let text = "# c\nk:\n  - name: \"x y\"\n    secret: 's'\nz: [] # none\n";
        let root = parse(text);
        let map = document_content(&root).expect("content");
        let k = lookup(&map, "k").expect("k");
        let seq = entry_value(&k).expect("seq");
        assert!(!is_flow(&seq));
        let its = items(&seq);
        assert_eq!(its.len(), 1);
        let m = item_value(&its[0]).expect("map");
        let name = entry_value(&lookup(&m, "name").expect("name")).expect("v");
        assert_eq!(scalar_string(&name).as_deref(), Some("x y"));
        assert_eq!(quote_of(&name), Some('"'));
        let z = entry_value(&lookup(&map, "z").expect("z")).expect("z value");
        assert!(is_flow(&z));
        assert_eq!(line_col(text, range(&z).start), (5, 4));
        let c = trailing_comment(text, range(&z).end).expect("comment");
        assert_eq!(&text[c], " # none");
        assert_eq!(after_block(text, &seq), (39, false));
    }
}

//! Generic comment-preserving edits of a values document: set a value at a path, make sure
//! a list holds an item. Missing mappings on the way are created as blocks, indented like
//! their neighbours; everything else keeps its bytes.

use serde_json::Value;
use yaml_edit::SyntaxKind as K;

use super::cst::{self, Node, TextEdit};
use super::{scalar, Doc, ValuesError};

/// One step of a path: a mapping key or a list index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// A path of mapping keys.
pub fn keys<'a>(path: &[&'a str]) -> Vec<Seg<'a>> {
    path.iter().map(|k| Seg::Key(k)).collect()
}

fn show(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// The value as one line of YAML (flow style for collections).
pub fn inline(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar(s),
        Value::Array(items) => {
            format!("[{}]", items.iter().map(inline).collect::<Vec<_>>().join(", "))
        }
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", scalar(k), inline(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A list item in block style at `indent`: a mapping's first key on the dash line, the
/// others below it; their values inline.
fn block_item(value: &Value, indent: usize, nl: &str) -> String {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) if !map.is_empty() => {
            let mut out = String::new();
            for (i, (k, v)) in map.iter().enumerate() {
                let lead = if i == 0 { format!("{pad}- ") } else { format!("{pad}  ") };
                out.push_str(&format!("{lead}{}: {}{nl}", scalar(k), inline(v)));
            }
            out
        }
        other => format!("{pad}- {}{nl}", inline(other)),
    }
}

/// `key: value` lines for the remaining path, nested as blocks, ending with a newline.
fn nested_block(rest: &[&str], value: &Value, indent: usize, nl: &str) -> String {
    let pad = " ".repeat(indent);
    match rest {
        [] => String::new(),
        [last] => format!("{pad}{}: {}{nl}", scalar(last), inline(value)),
        [first, more @ ..] => {
            format!("{pad}{}:{nl}{}", scalar(first), nested_block(more, value, indent + 2, nl))
        }
    }
}

/// Where to put new entries of a block mapping: after its last entry, at its indentation.
fn mapping_insert_point(doc: &Doc, map: &Node) -> (usize, usize, bool) {
    let first = cst::entries(map).next();
    let indent = first.as_ref().map_or(0, |e| cst::column(&doc.text, cst::range(e).start));
    match cst::entries(map).last() {
        Some(last) => {
            let (at, nl_first) = cst::after_block(&doc.text, &last);
            (at, indent, nl_first)
        }
        None => (doc.text.len(), indent, !doc.text.is_empty() && !doc.text.ends_with('\n')),
    }
}

/// The edit that makes an entry's value `text`, where `text` starts on the key's line (inline
/// values start with a space; block values with a newline).
pub(crate) fn replace_entry_value(doc: &Doc, entry: &Node, text: String) -> Option<TextEdit> {
    let colon = cst::colon_end(entry)?;
    match cst::entry_value(entry) {
        // `key: # comment` then a block: the block goes after the comment.
        None if text.starts_with(['\n', '\r']) => match cst::trailing_comment(&doc.text, colon) {
            Some(c) => Some(TextEdit::insert(c.end, text)),
            // Blanks after the colon go, rather than to the end of the block's last line.
            None => Some(TextEdit::replace(colon..colon + blanks_to_eol(&doc.text, colon), text)),
        },
        None => Some(TextEdit::insert(colon, text)),
        Some(v) if v.kind() == K::SCALAR || cst::is_flow(&v) => {
            let r = cst::range(&v);
            let trimmed = text.trim_start_matches(' ');
            if trimmed.starts_with(['\n', '\r']) {
                // A block replaces an inline value: keep a trailing comment on the key's line.
                match cst::trailing_comment(&doc.text, r.end) {
                    Some(c) => {
                        let comment = doc.text[c.clone()].trim_start().to_string();
                        Some(TextEdit::replace(r.start..c.end, format!("{comment}{trimmed}")))
                    }
                    None => {
                        // Trailing blanks after the old value go with it, rather than to the
                        // end of the block's last line.
                        let end = r.end + blanks_to_eol(&doc.text, r.end);
                        Some(TextEdit::replace(colon..end, trimmed.to_string()))
                    }
                }
            } else {
                // A block scalar's node runs to the line break after its last line (and past
                // blank lines): they stay, or the line after it would join the key's.
                let written = &doc.text[r.clone()];
                let end = if written.starts_with(['|', '>']) {
                    r.start + written.trim_end().len()
                } else {
                    r.end
                };
                Some(TextEdit::replace(r.start..end, trimmed.to_string()))
            }
        }
        Some(v) => {
            let end = cst::content_end(&v);
            Some(TextEdit::replace(colon..end, text.trim_end_matches(['\n', '\r']).to_string()))
        }
    }
}

/// How many blanks (spaces, tabs) follow `at` up to the end of its line; 0 when something
/// else follows them on the line.
fn blanks_to_eol(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let eol = rest[blanks..].is_empty() || rest[blanks..].starts_with(['\n', '\r']);
    if eol {
        blanks
    } else {
        0
    }
}

fn entry_indent(doc: &Doc, entry: &Node) -> usize {
    cst::column(&doc.text, cst::range(entry).start)
}

/// Finds the node at a path; returns the deepest node reached and how many segments it took.
fn walk<'a>(doc: &Doc, path: &[Seg<'a>]) -> Result<(Option<Node>, Vec<Node>), ValuesError> {
    // entries[i] is the MAPPING_ENTRY (or SEQUENCE_ENTRY) of path[i]
    let mut found = Vec::new();
    let mut current = doc.top();
    for (i, seg) in path.iter().enumerate() {
        // A null on the way (`server: ~`) is as good as absent: what follows is created.
        let is_null = |n: &Node| n.kind() == K::SCALAR && cst::scalar_string(n).is_none();
        let Some(node) = current.clone().filter(|n| !is_null(n)) else {
            return Ok((None, found));
        };
        match seg {
            Seg::Key(k) => {
                if node.kind() != K::MAPPING {
                    return Err(doc.shape_error(
                        cst::range(&node).start,
                        format!(
                            "{} must be a mapping, not {}",
                            show(&path[..i]),
                            cst::describe(Some(&node))
                        ),
                    ));
                }
                match cst::lookup(&node, k) {
                    Some(entry) => {
                        refuse_overridden(doc, &node, &path[..=i])?;
                        current = cst::entry_value(&entry);
                        found.push(entry);
                    }
                    None => {
                        refuse_merged(doc, &node, &path[..=i])?;
                        return Ok((Some(node), found));
                    }
                }
            }
            Seg::Index(idx) => {
                if node.kind() != K::SEQUENCE {
                    return Err(doc.shape_error(
                        cst::range(&node).start,
                        format!(
                            "{} must be a list, not {}",
                            show(&path[..i]),
                            cst::describe(Some(&node))
                        ),
                    ));
                }
                match cst::items(&node).get(*idx) {
                    Some(item) => {
                        current = cst::item_value(item);
                        found.push(item.clone());
                    }
                    None => return Ok((Some(node), found)),
                }
            }
        }
    }
    Ok((current, found))
}

/// Refuses an edit that would write the last key of `path` into `map`, which does not hold
/// it, when a merge key `<<` of `map` supplies it: the key written out would replace all that
/// `<<` brings in under it.
fn refuse_merged(doc: &Doc, map: &Node, path: &[Seg]) -> Result<(), ValuesError> {
    let Some(merge) = cst::merge_entry(map) else { return Ok(()) };
    let Some((Seg::Key(key), parent)) = path.split_last() else { return Ok(()) };
    let supplied = match data_at(&doc.data, parent) {
        Some(Value::Object(m)) => m.contains_key(*key),
        // The data does not say: `<<` could supply it.
        _ => true,
    };
    if !supplied {
        return Ok(());
    }
    Err(merged_error(doc, &merge, &show(path), key))
}

/// Refuses an edit of the last key of `path`, written in `map`, when a merge key `<<` of
/// `map` supplies it too: YAML readers disagree on which one wins.
fn refuse_overridden(doc: &Doc, map: &Node, path: &[Seg]) -> Result<(), ValuesError> {
    match overridden(doc, map, path) {
        Some((at, why)) => Err(doc.shape_error(at, why)),
        None => Ok(()),
    }
}

/// Where and why the last key of `path`, written in `map`, is supplied by a merge key `<<`
/// of `map` too.
fn overridden(doc: &Doc, map: &Node, path: &[Seg]) -> Option<(usize, String)> {
    let (Seg::Key(key), _) = path.split_last()? else { return None };
    let merge = cst::merge_supplying(&doc.top()?, map, key)?;
    Some((cst::range(&merge).start, overridden_message(&show(path), key)))
}

/// Refuses a read of `path` that YAML readers disagree on: a key on the way that is written
/// out and supplied by a merge key `<<` of the same mapping too. Keys that only a merge key
/// supplies are fine to read.
pub fn refuse_ambiguous(doc: &Doc, path: &[&str]) -> Result<(), ValuesError> {
    match ambiguous(doc, path) {
        Some((at, why)) => Err(doc.shape_error(at, why)),
        None => Ok(()),
    }
}

/// [`refuse_ambiguous`], and the same for every key of the mappings below `path` (the entries
/// of a list, the keys of a mapping): for a read of all that `path` holds.
pub fn refuse_ambiguous_within(doc: &Doc, path: &[&str]) -> Result<(), ValuesError> {
    refuse_ambiguous(doc, path)?;
    let Some(top) = doc.top() else { return Ok(()) };
    let mut current = Some(top.clone());
    let mut holder = None;
    for k in path {
        let map = current.filter(|n| n.kind() == K::MAPPING);
        let entry = map.and_then(|m| cst::lookup(&m, k));
        holder = entry.as_ref().and_then(cst::entry_value_node);
        current = entry.and_then(|e| cst::entry_value(&e));
    }
    let Some(node) = current else { return Ok(()) };
    // An anchor anywhere inside that an alias reads: what is moved out would leave the alias
    // without its anchor.
    let aliases = cst::alias_names(&top);
    if let Some((at, name)) = holder.and_then(|h| cst::used_anchor(&h, &aliases, false)) {
        return Err(doc.shape_error(
            at,
            format!(
                "{} holds the anchor &{name}, which an alias (*{name}) reads: moving it would \
                 change that place too; write that place out in full and remove the anchor",
                path.join(".")
            ),
        ));
    }
    let mut maps: Vec<Node> = node.descendants().filter(|n| n.kind() == K::MAPPING).collect();
    maps.sort_by_key(|m| cst::range(m).start);
    for map in maps {
        if let Some((key, merge)) = cst::merge_conflicts(&top, &map).into_iter().next() {
            let what = format!("the key {key} here (in {})", path.join("."));
            return Err(doc.shape_error(cst::range(&merge).start, overridden_message(&what, &key)));
        }
    }
    Ok(())
}

/// Where and why a read of `path` is one YAML readers disagree on (see [`refuse_ambiguous`]).
pub fn ambiguous(doc: &Doc, path: &[&str]) -> Option<(usize, String)> {
    let segs = keys(path);
    let mut current = doc.top();
    for i in 0..segs.len() {
        let map = current.filter(|n| n.kind() == K::MAPPING)?;
        let Seg::Key(k) = segs[i] else { return None };
        let entry = cst::lookup(&map, k)?;
        if let Some(found) = overridden(doc, &map, &segs[..=i]) {
            return Some(found);
        }
        current = cst::entry_value(&entry);
    }
    None
}

/// Why an edit of `what` (its last key `key`), written out and supplied by a merge key `<<`
/// of the same mapping too, is refused.
pub(crate) fn overridden_message(what: &str, key: &str) -> String {
    format!(
        "{what} is written out and supplied by this merge key `<<` too: YAML readers disagree \
         on which one wins (Helm takes the later one), so substractl does not edit it; remove \
         {key} from what `<<` brings in, or drop the merge key"
    )
}

/// The refusal of an edit of `what` (its last key `key`), which the merge key `<<` entry
/// `merge` supplies.
fn merged_error(doc: &Doc, merge: &Node, what: &str, key: &str) -> ValuesError {
    doc.shape_error(cst::range(merge).start, merged_message(what, key))
}

/// Why an edit of `what` (its last key `key`), which a merge key `<<` supplies, is refused.
pub(crate) fn merged_message(what: &str, key: &str) -> String {
    format!(
        "{what} comes from this merge key `<<`, and substractl cannot edit it there: writing \
         it here would replace all that `<<` brings in under it; write {key} out in full \
         instead of through `<<`"
    )
}

/// Refuses an edit of a node that holds (or lies inside) an anchor an alias reads elsewhere:
/// the edit would change that place too.
fn refuse_anchored(doc: &Doc, path: &[Seg], found: &[Node]) -> Result<(), ValuesError> {
    let Some(top) = doc.top() else { return Ok(()) };
    let aliases = cst::alias_names(&top);
    if aliases.is_empty() {
        return Ok(());
    }
    for (i, node) in found.iter().enumerate() {
        let holders = [
            Some(node.clone()),
            cst::entry_value_node(node),
            cst::entry_value(node),
            cst::item_value(node),
        ];
        let hit = holders.iter().flatten().find_map(|h| cst::used_anchor(h, &aliases, true));
        if let Some((at, name)) = hit {
            return Err(doc.shape_error(
                at,
                format!(
                    "{} holds the anchor &{name}, which an alias (*{name}) reads elsewhere: \
                     editing it would change that place too; write that place out in full and \
                     remove the anchor",
                    show(&path[..=i])
                ),
            ));
        }
    }
    Ok(())
}

/// The offset of the value at `path` (or of the deepest node on the way), for messages.
/// How a scalar at a path is written, for a reader that takes it as text (a string field, as
/// helmfile's chart `version`): `26.150` is that text, not the number `26.15`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// A plain scalar (through an alias): its text as written.
    Plain(String),
    /// Under a tag (`!!float 26.1`), here or at its anchor: what a reader makes of it is not
    /// guessed.
    Tagged,
    /// Anything else (a quoted string, a collection, nothing): its value says what it is.
    Other,
}

/// How the value at `path` is written (see [`Written`]), found as a reader finds it: through
/// aliases, tags and merge keys, the key written out first.
pub fn written(doc: &Doc, path: &[Seg]) -> Written {
    let Some(top) = doc.top() else { return Written::Other };
    let mut node = top.clone();
    for seg in path {
        let next = match seg {
            Seg::Key(k) => cst::values_at(&top, &node, &[k]).into_iter().next(),
            Seg::Index(i) => cst::resolve(&top, &node)
                .filter(|n| n.kind() == K::SEQUENCE)
                .and_then(|list| cst::items(&list).get(*i).and_then(cst::item_value)),
        };
        let Some(next) = next else { return Written::Other };
        node = next;
    }
    if node.kind() == K::ALIAS {
        let Some(target) = cst::anchored_node(&top, &node) else { return Written::Other };
        node = target;
    }
    match node.kind() {
        K::TAGGED_NODE => Written::Tagged,
        K::SCALAR if cst::quote_of(&node).is_none() && cst::scalar_string(&node).is_some() => {
            Written::Plain(node.text().to_string().trim().to_string())
        }
        _ => Written::Other,
    }
}

pub fn offset_of(doc: &Doc, path: &[Seg]) -> usize {
    match walk(doc, path) {
        Ok((Some(node), _)) => cst::range(&node).start,
        _ => 0,
    }
}

/// The expected data after setting `path` to `value`.
fn with_value(data: &Value, path: &[Seg], value: Value) -> Value {
    let mut out = data.clone();
    let mut cur = &mut out;
    for seg in path {
        if cur.is_null() {
            *cur = Value::Object(Default::default());
        }
        cur = match seg {
            Seg::Key(k) => match cur {
                Value::Object(m) => m.entry(k.to_string()).or_insert(Value::Null),
                _ => return Value::Null,
            },
            Seg::Index(i) => match cur.get_mut(*i) {
                Some(v) => v,
                None => return Value::Null,
            },
        };
    }
    *cur = value;
    out
}

fn data_at<'v>(data: &'v Value, path: &[Seg]) -> Option<&'v Value> {
    path.iter().try_fold(data, |v, seg| match seg {
        Seg::Key(k) => v.get(k),
        Seg::Index(i) => v.get(i),
    })
}

/// Sets the value at `path`, creating missing mappings. Returns whether the text changed.
pub fn set(doc: &mut Doc, path: &[Seg], value: Value) -> Result<bool, ValuesError> {
    if data_at(&doc.data, path) == Some(&value) {
        return Ok(false);
    }
    let nl = cst::newline_of(&doc.text);
    let (_, found) = walk(doc, path)?;
    refuse_anchored(doc, path, &found)?;
    let edit = if found.len() == path.len() {
        let entry = found.last().cloned().ok_or_else(|| unsupported(doc, path))?;
        if entry.kind() != K::MAPPING_ENTRY {
            return Err(unsupported(doc, path));
        }
        replace_entry_value(doc, &entry, format!(" {}", inline(&value)))
            .ok_or_else(|| unsupported(doc, path))?
    } else {
        create_missing(doc, path, &found, &value, nl)?
    };
    let text = cst::apply(&doc.text, vec![edit]);
    let expected = with_value(&doc.data, path, value);
    doc.accept(text, &expected)?;
    Ok(true)
}

/// Sets the value at `path` as [`set`] does, then writes it as the plain scalar `written`
/// when that reads back as `value` (a base64 text, which [`set`] quotes for its `=`, is then
/// written as kubectl writes it); as [`set`] writes it otherwise. Returns whether the text
/// changed.
pub fn set_written(
    doc: &mut Doc,
    path: &[Seg],
    value: Value,
    written: &str,
) -> Result<bool, ValuesError> {
    if !set(doc, path, value)? {
        return Ok(false);
    }
    let (node, found) = walk(doc, path)?;
    let Some(scalar) = node.filter(|n| found.len() == path.len() && n.kind() == K::SCALAR) else {
        return Ok(true);
    };
    let range = cst::range(&scalar);
    if doc.text[range.clone()] != *written {
        let edited = cst::apply(&doc.text, vec![TextEdit::replace(range, written.to_string())]);
        let expected = doc.data.clone();
        // A text that reads as another value (`true`, a number) keeps the form `set` gave it.
        let _ = doc.accept(edited, &expected);
    }
    Ok(true)
}

/// Sets the text at `path` as [`set`] does, except that a value written as a block scalar
/// (`|`, `>`) stays one: a literal block `|` holding `text`, at the block's indentation, with
/// a comment on its header line kept. That needs `text` to be lines a literal block keeps as
/// they are (each ending with a newline, none empty or starting with a blank); other texts
/// are written as [`set`] writes them. Returns whether the text changed.
pub fn set_text(doc: &mut Doc, path: &[Seg], text: &str) -> Result<bool, ValuesError> {
    let value = Value::String(text.to_string());
    if data_at(&doc.data, path) == Some(&value) {
        return Ok(false);
    }
    let literal = text.ends_with('\n')
        && text.lines().all(|l| !l.is_empty() && !l.starts_with([' ', '\t']) && !l.contains('\r'));
    let (node, found) = walk(doc, path)?;
    let block = node.filter(|n| {
        found.len() == path.len()
            && n.kind() == K::SCALAR
            && doc.text[cst::range(n)].starts_with(['|', '>'])
    });
    let (Some(block), true) = (block, literal) else { return set(doc, path, value) };
    refuse_anchored(doc, path, &found)?;
    let entry = found.last().cloned().ok_or_else(|| unsupported(doc, path))?;
    let start = cst::range(&block).start;
    let end = cst::content_end(&block);
    let written = &doc.text[start..end];
    let header = written.lines().next().unwrap_or_default();
    let comment = header.find(" #").map_or("", |i| header[i..].trim_end_matches('\r'));
    // The indentation of the block's first line of content, or two more than its key's.
    let indent = written
        .lines()
        .skip(1)
        .find(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .filter(|&i| i > entry_indent(doc, &entry))
        .unwrap_or(entry_indent(doc, &entry) + 2);
    let nl = cst::newline_of(&doc.text);
    let mut out = format!("|{comment}");
    for line in text.lines() {
        out.push_str(&format!("{nl}{}{line}", " ".repeat(indent)));
    }
    let edited = cst::apply(&doc.text, vec![TextEdit::replace(start..end, out)]);
    let expected = with_value(&doc.data, path, value);
    doc.accept(edited, &expected)?;
    Ok(true)
}

fn unsupported(doc: &Doc, path: &[Seg]) -> ValuesError {
    ValuesError::Unsupported {
        path: doc.path.clone(),
        message: format!("cannot edit {} here; edit it by hand", show(path)),
    }
}

/// The edit that creates `path[found.len()..]` below the last node found.
fn create_missing(
    doc: &Doc,
    path: &[Seg],
    found: &[Node],
    value: &Value,
    nl: &str,
) -> Result<TextEdit, ValuesError> {
    let rest: Vec<&str> = path[found.len()..]
        .iter()
        .map(|s| match s {
            Seg::Key(k) => Ok(*k),
            Seg::Index(_) => Err(unsupported(doc, path)),
        })
        .collect::<Result<_, _>>()?;
    let parent_entry = found.last();
    let parent_value = match parent_entry {
        Some(e) if e.kind() == K::MAPPING_ENTRY => cst::entry_value(e),
        Some(e) => cst::item_value(e),
        None => doc.top(),
    };
    match parent_value {
        Some(map) if map.kind() == K::MAPPING && !cst::is_flow(&map) => {
            let (at, indent, nl_first) = mapping_insert_point(doc, &map);
            let mut text = nested_block(&rest, value, indent, nl);
            if nl_first {
                text.insert_str(0, nl);
            }
            Ok(TextEdit::insert(at, text))
        }
        Some(map) if map.kind() == K::MAPPING && cst::entries(&map).next().is_some() => {
            // A non-empty flow mapping: add `key: value` before its closing brace.
            let close = cst::flow_close(&map).ok_or_else(|| unsupported(doc, path))?;
            let end = cst::entries(&map).last().map_or(close, |e| cst::content_end(&e));
            let v = nested_value(&rest[1..], value);
            Ok(TextEdit::insert(end, format!(", {}: {}", scalar(rest[0]), inline(&v))))
        }
        None if parent_entry.is_none() => {
            // An empty document, or a null one (`~`), which the block replaces.
            let (range, nl_first) = doc.empty_insert();
            let mut text = nested_block(&rest, value, 0, nl);
            if nl_first {
                text.insert_str(0, nl);
            }
            if !range.is_empty() {
                text.truncate(text.trim_end_matches(['\n', '\r']).len());
            }
            Ok(TextEdit::replace(range, text))
        }
        Some(map) if parent_entry.is_none() && map.kind() == K::MAPPING => {
            // A top level of `{}`: it becomes a block.
            let text = nested_block(&rest, value, 0, nl);
            Ok(TextEdit::replace(cst::range(&map), text.trim_end_matches(['\n', '\r']).into()))
        }
        // A null value, or an empty `{}`: the entry's value becomes a block.
        Some(v)
            if !(v.kind() == K::MAPPING
                || v.kind() == K::SCALAR && cst::scalar_string(&v).is_none()) =>
        {
            Err(doc.shape_error(
                cst::range(&v).start,
                format!(
                    "{} must be a mapping, not {}",
                    show(&path[..found.len()]),
                    cst::describe(Some(&v))
                ),
            ))
        }
        _ => {
            let entry = parent_entry.ok_or_else(|| unsupported(doc, path))?;
            if entry.kind() != K::MAPPING_ENTRY {
                return Err(unsupported(doc, path));
            }
            if cst::in_flow(entry) {
                // Inside `{...}` or `[...]` no block can go: the value is written inline.
                let text = format!(" {}", inline(&nested_value(&rest, value)));
                return replace_entry_value(doc, entry, text).ok_or_else(|| unsupported(doc, path));
            }
            let indent = entry_indent(doc, entry) + 2;
            let block = nested_block(&rest, value, indent, nl);
            let text = format!("{nl}{}", block.trim_end_matches(['\n', '\r']));
            replace_entry_value(doc, entry, text).ok_or_else(|| unsupported(doc, path))
        }
    }
}

/// `value` under the mappings of `keys`, outermost first.
fn nested_value(keys: &[&str], value: &Value) -> Value {
    keys.iter().rev().fold(value.clone(), |v, k| {
        let mut m = serde_json::Map::new();
        m.insert(k.to_string(), v);
        Value::Object(m)
    })
}

/// Makes sure the list at `path` holds an item for which `same` is true; appends `item`
/// otherwise (creating the list if needed). Returns whether the text changed.
pub fn ensure_item(
    doc: &mut Doc,
    path: &[Seg],
    item: Value,
    same: impl Fn(&Value) -> bool,
) -> Result<bool, ValuesError> {
    let current = data_at(&doc.data, path).cloned();
    let items = match &current {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.clone(),
        Some(_) => {
            let (node, _) = walk(doc, path)?;
            let at = node.map_or(0, |n| cst::range(&n).start);
            return Err(doc.shape_error(at, format!("{} must be a list", show(path))));
        }
    };
    if items.iter().any(&same) {
        return Ok(false);
    }
    let mut expected_items = items.clone();
    expected_items.push(item.clone());
    let expected = with_value(&doc.data, path, Value::Array(expected_items.clone()));
    let nl = cst::newline_of(&doc.text);
    let (node, found) = walk(doc, path)?;
    refuse_anchored(doc, path, &found)?;
    let edit = match node {
        Some(seq)
            if seq.kind() == K::SEQUENCE
                && found.len() == path.len()
                && !cst::items(&seq).is_empty() =>
        {
            let its = cst::items(&seq);
            let last = its.last().cloned().ok_or_else(|| unsupported(doc, path))?;
            if cst::is_flow(&seq) {
                TextEdit::insert(cst::content_end(&last), format!(", {}", inline(&item)))
            } else {
                let indent = cst::column(&doc.text, cst::range(&its[0]).start);
                let (at, nl_first) = cst::after_block(&doc.text, &last);
                let mut text = block_item(&item, indent, nl);
                if nl_first {
                    text.insert_str(0, nl);
                }
                TextEdit::insert(at, text)
            }
        }
        _ if found.len() == path.len() => {
            // Null or `[]`: the value becomes a block list.
            let entry = found.last().cloned().ok_or_else(|| unsupported(doc, path))?;
            if entry.kind() != K::MAPPING_ENTRY {
                return Err(unsupported(doc, path));
            }
            if cst::in_flow(&entry) {
                // Inside `{...}` or `[...]` no block can go: the list is written inline.
                let text = format!(" {}", inline(&Value::Array(expected_items)));
                let edit = replace_entry_value(doc, &entry, text);
                let edit = edit.ok_or_else(|| unsupported(doc, path))?;
                let text = cst::apply(&doc.text, vec![edit]);
                doc.accept(text, &expected)?;
                return Ok(true);
            }
            let indent = entry_indent(doc, &entry) + 2;
            let block: String = expected_items.iter().map(|i| block_item(i, indent, nl)).collect();
            let text = format!("{nl}{}", block.trim_end_matches(['\n', '\r']));
            replace_entry_value(doc, &entry, text).ok_or_else(|| unsupported(doc, path))?
        }
        _ => {
            // Missing: create it with the value as a flow list, then done.
            create_missing(doc, path, &found, &Value::Array(expected_items), nl)?
        }
    };
    let text = cst::apply(&doc.text, vec![edit]);
    doc.accept(text, &expected)?;
    Ok(true)
}

/// Appends `item` to the list at `path`. In a block list that has items, the new item is
/// written as `text` gives it for the list's indent and newline (whole lines), and checked
/// to read back as `item`; elsewhere as [`ensure_item`] writes it.
pub fn append_item(
    doc: &mut Doc,
    path: &[Seg],
    item: Value,
    text: impl Fn(usize, &str) -> String,
) -> Result<(), ValuesError> {
    let (node, found) = walk(doc, path)?;
    refuse_anchored(doc, path, &found)?;
    let seq = node.filter(|n| {
        n.kind() == K::SEQUENCE
            && found.len() == path.len()
            && !cst::is_flow(n)
            && !cst::items(n).is_empty()
    });
    let (Some(seq), Some(Value::Array(items))) = (seq, data_at(&doc.data, path)) else {
        ensure_item(doc, path, item, |_| false)?;
        return Ok(());
    };
    let mut expected_items = items.clone();
    expected_items.push(item);
    let expected = with_value(&doc.data, path, Value::Array(expected_items));
    let its = cst::items(&seq);
    let last = its.last().cloned().ok_or_else(|| unsupported(doc, path))?;
    let indent = cst::column(&doc.text, cst::range(&its[0]).start);
    let nl = cst::newline_of(&doc.text);
    let (at, nl_first) = cst::after_block(&doc.text, &last);
    let mut lines = text(indent, nl);
    if nl_first {
        lines.insert_str(0, nl);
    }
    let edited = cst::apply(&doc.text, vec![TextEdit::insert(at, lines)]);
    doc.accept(edited, &expected)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn doc(text: &str) -> Doc {
        Doc::from_text(Path::new("v.yaml"), text.to_string(), true).expect("parse")
    }

    #[test]
    fn sets_existing_null_and_missing_values() {
        let mut d = doc("# head\norchestrator:\n  tls:\n    enabled: false # why\n    cacert:\n  mspID: x\nother: 1\n");
        assert!(set(&mut d, &keys(&["orchestrator", "tls", "enabled"]), Value::Bool(true))
            .expect("set"));
        assert!(set(&mut d, &keys(&["orchestrator", "tls", "cacert"]), "ca".into()).expect("set"));
        assert!(set(&mut d, &keys(&["orchestrator", "tls", "mtls", "enabled"]), true.into())
            .expect("set"));
        assert!(set(&mut d, &keys(&["orchestrator", "tls", "secrets", "pair"]), "p".into())
            .expect("set"));
        assert!(!set(&mut d, &keys(&["orchestrator", "tls", "enabled"]), Value::Bool(true))
            .expect("set"));
        assert_eq!(
            d.text,
            "# head\norchestrator:\n  tls:\n    enabled: true # why\n    cacert: ca\n    mtls:\n      enabled: true\n    secrets:\n      pair: p\n  mspID: x\nother: 1\n"
        );
    }

    #[test]
    fn edits_inside_flow_collections_stay_inline() {
        let same = |c: &'static str| move |v: &Value| v == c;
        let mut d = doc("orchestrator: {channels: []}\n");
        ensure_item(&mut d, &keys(&["orchestrator", "channels"]), "c".into(), same("c"))
            .expect("[]");
        assert_eq!(d.text, "orchestrator: {channels: [c]}\n");
        let path = [Seg::Key("channels"), Seg::Index(0), Seg::Key("organizations")];
        for (text, want) in [
            (
                "channels: [{name: c, organizations: ~}]\n",
                "channels: [{name: c, organizations: [a]}]\n",
            ),
            (
                "channels: [{name: c, organizations: }]\n",
                "channels: [{name: c, organizations: [a] }]\n",
            ),
            ("channels: [{name: c}]\n", "channels: [{name: c, organizations: [a]}]\n"),
        ] {
            let mut d = doc(text);
            ensure_item(&mut d, &path, "a".into(), same("a")).expect(text);
            assert_eq!(d.text, want);
        }
        let mut d = doc("o: {tls: {}}\n");
        set(&mut d, &keys(&["o", "tls", "mtls", "enabled"]), true.into()).expect("{}");
        assert_eq!(d.text, "o: {tls: {mtls: {enabled: true}}}\n");
    }

    #[test]
    fn null_documents_are_replaced() {
        for (text, want) in [
            ("~\n", "a: 1\n"),
            ("# c\nnull # n\n", "# c\na: 1 # n\n"),
            ("--- ~\n", "---\na: 1\n"),
            ("!!null\n", "a: 1\n"),
            ("{}\n", "a: 1\n"),
        ] {
            let mut d = doc(text);
            set(&mut d, &keys(&["a"]), 1.into()).expect(text);
            assert_eq!(d.text, want, "{text:?}");
        }
    }

    #[test]
    fn an_anchor_read_elsewhere_is_not_edited() {
        let mut d = doc("o: &x {c: []}\np: *x\n");
        let err = ensure_item(&mut d, &keys(&["o", "c"]), "a".into(), |v| v == "a")
            .expect_err("anchored");
        assert!(err.to_string().starts_with("v.yaml:1:4: o holds the anchor &x"), "{err}");
    }

    #[test]
    fn a_key_a_merge_key_supplies_is_not_written_over_it() {
        for (text, at) in [
            ("<<: {o: {a: 1}}\n", "v.yaml:1:1: o comes from this merge key"),
            ("x: 1\n? <<\n: {o: {a: 1}}\n", "v.yaml:2:1: o comes from this merge key"),
            ("p:\n  !!merge <<: {o: 1}\n", "v.yaml:2:3: p.o comes from this merge key"),
        ] {
            let path =
                if text.starts_with('p') { keys(&["p", "o", "b"]) } else { keys(&["o", "b"]) };
            let mut d = doc(text);
            let err = set(&mut d, &path, 2.into()).expect_err(text);
            assert!(err.to_string().starts_with(at), "{err}");
            assert_eq!(d.text, text);
        }
        // A quoted "<<" is an ordinary key; a merge key that does not supply the key stays.
        let mut d = doc("\"<<\": {o: {a: 1}}\n");
        set(&mut d, &keys(&["o", "b"]), 2.into()).expect("quoted");
        let mut d = doc("<<: {q: 1}\n");
        set(&mut d, &keys(&["o", "b"]), 2.into()).expect("not supplied");
        assert_eq!(d.text, "<<: {q: 1}\no:\n  b: 2\n");
    }

    #[test]
    fn blanks_after_a_replaced_value_do_not_move_to_another_line() {
        let mut d = doc("a: [] \nb:  \t\nc: 1\n");
        ensure_item(&mut d, &keys(&["a"]), "x".into(), |v| v == "x").expect("a");
        ensure_item(&mut d, &keys(&["b"]), "z".into(), |v| v == "z").expect("b");
        assert_eq!(d.text, "a:\n  - x\nb:\n  - z\nc: 1\n");
    }

    #[test]
    fn creates_in_empty_and_flow_mappings() {
        let mut d = doc("");
        set(&mut d, &keys(&["a", "b"]), "c".into()).expect("set");
        assert_eq!(d.text, "a:\n  b: c\n");
        let mut d = doc("m:\n  certs: {} # none\n");
        set(&mut d, &keys(&["m", "certs", "ingen"]), serde_json::json!(["ca"])).expect("set");
        assert_eq!(d.text, "m:\n  certs: # none\n    ingen: [ca]\n");
    }

    #[test]
    fn ensures_list_items_in_every_style() {
        let same = |name: &str| {
            let name = name.to_string();
            move |v: &Value| v.get("name").and_then(Value::as_str) == Some(name.as_str())
        };
        let mut d = doc("channels: []\n");
        let item = serde_json::json!({"name": "c1", "organizations": ["a", "b"]});
        assert!(ensure_item(&mut d, &keys(&["channels"]), item.clone(), same("c1")).expect("ok"));
        assert!(!ensure_item(&mut d, &keys(&["channels"]), item, same("c1")).expect("ok"));
        assert_eq!(d.text, "channels:\n  - name: c1\n    organizations: [a, b]\n");
        let item2 = serde_json::json!({"name": "c2", "organizations": []});
        ensure_item(&mut d, &keys(&["channels"]), item2, same("c2")).expect("ok");
        assert!(d.text.ends_with("  - name: c2\n    organizations: []\n"));
        let path = [Seg::Key("channels"), Seg::Index(0), Seg::Key("organizations")];
        ensure_item(&mut d, &path, "c".into(), |v| v == "c").expect("ok");
        assert!(d.text.contains("organizations: [a, b, c]\n"));
        let mut d = doc("x: 1\n");
        ensure_item(&mut d, &keys(&["channels"]), "z".into(), |v| v == "z").expect("ok");
        assert_eq!(d.text, "x: 1\nchannels: [z]\n");
    }

    #[test]
    fn an_item_after_a_block_scalar_that_keeps_its_final_lines_leaves_them_to_it() {
        // `|+` holds the blank line after `hi`: the new item goes after it (before, the edit
        // changed the scalar, failed its read-back and exited 70).
        let text = "releases:\n  - name: a\n    notes: |+\n      hi\n\n";
        let mut d = doc(text);
        let item = serde_json::json!({"name": "b"});
        append_item(&mut d, &keys(&["releases"]), item, |indent, nl| {
            format!("{}- name: b{nl}", " ".repeat(indent))
        })
        .expect("appended");
        assert_eq!(d.text, format!("{text}  - name: b\n"));
        let mut d = doc("x: 1\nnotes: >2+\n  hi\n\n\n");
        ensure_item(&mut d, &keys(&["channels"]), "z".into(), |v| v == "z").expect("ok");
        assert_eq!(d.data["notes"], "hi\n\n\n");
    }
}

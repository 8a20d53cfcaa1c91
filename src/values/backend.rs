//! The backend values file: its `addAccountOperator` organization lists,
//! read with their positions, and the edits that bring those lists to a wanted state.
//!
//! Only entries for the organizations being linked are touched; every other entry, comment
//! and byte stays as it was.

use std::collections::HashMap;

use serde_json::{json, Value};
use yaml_edit::SyntaxKind as K;

use super::cst::{self, Node, TextEdit};
use super::{edit, scalar, Doc, Pending, ValuesError};

/// The two lists of `addAccountOperator` that pair organizations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// Who may log in to me: `incomingOrganizations`.
    Incoming,
    /// How I log in to others: `outgoingOrganizations`.
    Outgoing,
}

impl Side {
    pub fn key(self) -> &'static str {
        match self {
            Side::Incoming => "incomingOrganizations",
            Side::Outgoing => "outgoingOrganizations",
        }
    }
}

/// One entry of an organization list, as found in the file.
#[derive(Debug, Clone)]
pub struct OrgEntry {
    pub name: String,
    /// The secret as Helm reads it (tags, aliases and quoting resolved), when it is a scalar.
    pub secret: Option<String>,
    /// The entry carries a `channel` key (the backend would then misread the line).
    pub has_channel: bool,
    /// What helm renders the secret as when it is not a YAML string (`%!s(float64=...)`).
    pub secret_rendered: Option<String>,
    item: Node,
    map: Node,
    secret_value: Option<Node>,
    channel_entry: Option<Node>,
    /// An anchor in the entry that an alias elsewhere uses (offset and name): changing or
    /// removing the entry would change that place too.
    anchored: Option<(usize, String)>,
}

/// An organization list: where it is and what it holds.
#[derive(Debug, Clone)]
struct OrgList {
    /// The `incomingOrganizations:` entry, if the key exists.
    entry: Option<Node>,
    /// The list node, if the value is a list (None for null or a missing key).
    seq: Option<Node>,
    entries: Vec<OrgEntry>,
    /// An anchor on the list that an alias elsewhere uses: editing the list would change that
    /// place too (offset and anchor name).
    anchored: Option<(usize, String)>,
    /// The list is written elsewhere (an alias, a merge key): it is read, never edited
    /// (offset and why).
    elsewhere: Option<(usize, String)>,
}

/// A backend values file read for linking.
#[derive(Debug, Clone)]
pub struct BackendValues {
    pub doc: Doc,
    /// `addAccountOperator` entry of the top mapping.
    aao: Option<Node>,
    /// An anchor on `addAccountOperator` that an alias elsewhere uses.
    aao_anchored: Option<(usize, String)>,
    /// `addAccountOperator` is an alias of a mapping written elsewhere (offset and why).
    aao_elsewhere: Option<(usize, String)>,
    incoming: OrgList,
    outgoing: OrgList,
}

/// What should happen to the entry for one organization in one list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Want {
    /// The entry exists once, with this secret and no `channel` key.
    Secret(String),
    /// No entry for this organization.
    Absent,
}

impl BackendValues {
    /// Reads the linking-related parts of a parsed document, checking their shapes.
    pub fn read(doc: Doc) -> Result<BackendValues, ValuesError> {
        if let Some((at, key, what)) = channel_key_read_otherwise(&doc) {
            let message = key_read_otherwise_message("channel", "channel", &key, what);
            return Err(doc.shape_error(at, message));
        }
        let top = doc.top();
        let aliases = top.as_ref().map(cst::alias_names).unwrap_or_default();
        let mut aao = None;
        let mut aao_map = None;
        let mut aao_anchored = None;
        let mut aao_elsewhere = None;
        if let Some(top) = &top {
            if let Some(e) = cst::lookup(top, "addAccountOperator") {
                match cst::entry_value(&e) {
                    None => {}
                    Some(v) if v.kind() == K::SCALAR && cst::scalar_string(&v).is_none() => {}
                    Some(v) if v.kind() == K::MAPPING => {
                        if cst::is_flow(&v) && cst::entries(&v).next().is_some() {
                            return Err(doc.shape_error(
                                cst::range(&v).start,
                                "addAccountOperator is written as a flow mapping `{...}`; \
                                 write it as a block mapping so that it can be edited",
                            ));
                        }
                        aao_map = Some(v);
                    }
                    Some(v) if v.kind() == K::ALIAS => {
                        // Read as Helm reads it; edits are refused (see `plan`).
                        aao_elsewhere = Some((
                            cst::range(&v).start,
                            format!(
                                "addAccountOperator is an alias ({}) of a mapping written \
                                 elsewhere: editing it would change that place too; write \
                                 addAccountOperator out in full here",
                                v.text().to_string().trim()
                            ),
                        ));
                    }
                    Some(v) => {
                        return Err(doc.shape_error(
                            cst::range(&v).start,
                            format!(
                                "addAccountOperator must be a mapping, not {}",
                                cst::describe(Some(&v))
                            ),
                        ))
                    }
                }
                if let Some(merge) = cst::merge_supplying(top, top, "addAccountOperator") {
                    aao_elsewhere = Some((
                        cst::range(&merge).start,
                        edit::overridden_message("addAccountOperator", "addAccountOperator"),
                    ));
                }
                aao_anchored =
                    cst::entry_value_node(&e).and_then(|v| cst::used_anchor(&v, &aliases, true));
                aao = Some(e);
            } else if doc.get(&["addAccountOperator"]).is_some_and(|v| !v.is_null()) {
                // `addAccountOperator` comes from a merge key: read, never edited.
                if let Some(merge) = cst::merge_entry(top) {
                    aao_elsewhere = Some((
                        cst::range(&merge).start,
                        edit::merged_message("addAccountOperator", "addAccountOperator"),
                    ));
                }
            }
        }
        // What link relies on besides the lists: an edit is refused when YAML readers
        // disagree on it.
        for path in [
            &["organizationName"][..],
            &["orchestrator", "mspID"],
            &["addAccountOperator", "existingSecret"],
            &["addAccountOperator", "users"],
        ] {
            if let Some(found) = edit::ambiguous(&doc, path) {
                aao_elsewhere.get_or_insert(found);
            }
        }
        let incoming = read_list(&doc, aao_map.as_ref(), Side::Incoming, &aliases)?;
        let outgoing = read_list(&doc, aao_map.as_ref(), Side::Outgoing, &aliases)?;
        Ok(BackendValues { doc, aao, aao_anchored, aao_elsewhere, incoming, outgoing })
    }

    /// The entries of one list, in file order.
    pub fn entries(&self, side: Side) -> &[OrgEntry] {
        &self.list(side).entries
    }

    fn list(&self, side: Side) -> &OrgList {
        match side {
            Side::Incoming => &self.incoming,
            Side::Outgoing => &self.outgoing,
        }
    }

    /// Brings both lists to the wanted state; names not in a map are left alone.
    /// Returns whether the text changed; the edited document is in `self.doc`, and the
    /// entry positions are stale afterwards (read the document again to edit it further).
    pub fn apply(
        &mut self,
        incoming: &HashMap<String, Want>,
        outgoing: &HashMap<String, Want>,
        wanted_order: &[String],
    ) -> Result<bool, ValuesError> {
        match self.plan(incoming, outgoing, wanted_order)? {
            Some(pending) => {
                self.doc.accept(pending.text, &pending.expected)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// The edited text that brings both lists to the wanted state, and the data it must read
    /// back as, not yet checked; None when nothing changes.
    pub fn plan(
        &self,
        incoming: &HashMap<String, Want>,
        outgoing: &HashMap<String, Want>,
        wanted_order: &[String],
    ) -> Result<Option<Pending>, ValuesError> {
        let nl = cst::newline_of(&self.doc.text);
        let mut edits = Vec::new();
        let mut expected = self.doc.data.clone();
        let mut missing_lists = Vec::new();
        for (side, want) in [(Side::Incoming, incoming), (Side::Outgoing, outgoing)] {
            let list = self.list(side);
            let plan = plan_list(list, want, wanted_order);
            if plan.is_noop() {
                continue;
            }
            if let Some(top) = self.doc.top().filter(cst::is_flow) {
                return Err(self.doc.shape_error(
                    cst::range(&top).start,
                    "the values are written as one flow mapping `{...}` (JSON style); write \
                     them as a block mapping (`key: value` lines) so that addAccountOperator \
                     can be edited",
                ));
            }
            if let Some((at, why)) = self.aao_elsewhere.as_ref().or(list.elsewhere.as_ref()) {
                return Err(self.doc.shape_error(*at, why.clone()));
            }
            let entry_anchor = list
                .entries
                .iter()
                .zip(&plan.actions)
                .find_map(|(e, a)| e.anchored.as_ref().filter(|_| *a != Action::Keep));
            let blocked = match (&list.anchored, &self.aao_anchored, entry_anchor) {
                (Some(a), _, _) => Some((a, format!("addAccountOperator.{}", side.key()))),
                (None, Some(a), _) => Some((a, "addAccountOperator".to_string())),
                (None, None, Some(a)) => {
                    Some((a, format!("an entry of addAccountOperator.{}", side.key())))
                }
                (None, None, None) => None,
            };
            if let Some(((at, name), what)) = blocked {
                return Err(self.doc.shape_error(
                    *at,
                    format!(
                        "{what} holds the anchor &{name}, which an alias (*{name}) reads elsewhere: \
                         editing it would change that place too; write that place out in full \
                         and remove the anchor"
                    ),
                ));
            }
            // A `channel` dropped from an entry that holds a merge key `<<`: `<<` supplies it,
            // or could once the entry's own `channel` is gone.
            let merged_channel = list.entries.iter().zip(&plan.actions).find_map(|(e, a)| {
                matches!(a, Action::Patch { drop_channel: true, .. })
                    .then(|| Some((e, cst::merge_entry(&e.map)?)))
                    .flatten()
            });
            if let Some((e, merge)) = merged_channel {
                return Err(self.doc.shape_error(
                    cst::range(&merge).start,
                    format!(
                        "the entry for {} of addAccountOperator.{} has a channel to drop and \
                         holds this merge key `<<`, which supplies the channel or could once \
                         the entry's own is gone: write the entry out in full instead of \
                         through `<<`",
                        e.name,
                        side.key()
                    ),
                ));
            }
            let data_list = self.doc.get(&["addAccountOperator", side.key()]).cloned();
            let final_items = plan
                .final_items(data_list.as_ref(), list.entries.len())
                .ok_or_else(|| ValuesError::Verify { path: self.doc.path.clone() })?;
            set_data(&mut expected, side.key(), Value::Array(final_items.clone()));
            match (&list.entry, &list.seq) {
                (Some(_), Some(seq)) if cst::is_flow(seq) && !list.entries.is_empty() => {
                    edits.extend(flow_list_edits(&self.doc, seq, list, &plan));
                }
                (Some(_), Some(seq)) if !cst::is_flow(seq) => {
                    edits.extend(block_list_edits(&self.doc, seq, list, &plan, nl));
                }
                (Some(entry), _) => {
                    // `[]` or null: the value becomes a block list of the final items.
                    let indent = cst::column(&self.doc.text, cst::range(entry).start) + 2;
                    let block: String = plan
                        .appends
                        .iter()
                        .map(|(n, s)| new_entry(n, s, indent, nl, None))
                        .collect();
                    edits.push(value_to_block(&self.doc, entry, &block, nl)?);
                }
                (None, _) => missing_lists.push((side, plan.appends.clone())),
            }
        }
        if !missing_lists.is_empty() {
            edits.push(self.insert_lists(&missing_lists, nl)?);
        }
        if edits.is_empty() {
            return Ok(None);
        }
        let text = cst::apply(&self.doc.text, edits);
        if text == self.doc.text {
            return Ok(None);
        }
        Ok(Some(Pending { path: self.doc.path.clone(), text, expected }))
    }

    /// The edit that adds missing lists (and `addAccountOperator` itself when missing).
    fn insert_lists(
        &self,
        lists: &[(Side, Vec<(String, String)>)],
        nl: &str,
    ) -> Result<TextEdit, ValuesError> {
        let render = |indent: usize| -> String {
            let pad = " ".repeat(indent);
            lists
                .iter()
                .map(|(side, appends)| {
                    let items: String = appends
                        .iter()
                        .map(|(n, s)| new_entry(n, s, indent + 2, nl, None))
                        .collect();
                    format!("{pad}{}:{nl}{items}", side.key())
                })
                .collect()
        };
        let aao_map =
            self.aao.as_ref().and_then(cst::entry_value).filter(|v| v.kind() == K::MAPPING);
        match (&self.aao, aao_map) {
            (Some(_), Some(map)) if cst::entries(&map).next().is_some() => {
                let first = cst::entries(&map).next().map(|e| cst::range(&e).start).unwrap_or(0);
                let indent = cst::column(&self.doc.text, first);
                let last = cst::entries(&map).last().ok_or_else(|| self.verify_error())?;
                let (at, nl_first) = cst::after_block(&self.doc.text, &last);
                let mut text = render(indent);
                if nl_first {
                    text.insert_str(0, nl);
                }
                Ok(TextEdit::insert(at, text))
            }
            (Some(entry), _) => {
                let indent = cst::column(&self.doc.text, cst::range(entry).start) + 2;
                value_to_block(&self.doc, entry, &render(indent), nl)
            }
            (None, _) => {
                let (at, indent, nl_first) = match self.doc.top() {
                    Some(top) => {
                        let indent = cst::entries(&top)
                            .next()
                            .map_or(0, |e| cst::column(&self.doc.text, cst::range(&e).start));
                        match cst::entries(&top).last() {
                            Some(last) => {
                                let (at, nl_first) = cst::after_block(&self.doc.text, &last);
                                (at, indent, nl_first)
                            }
                            None => (self.doc.text.len(), 0, false),
                        }
                    }
                    None => {
                        // Empty, or a null (`~`) that the block replaces.
                        let (range, nl_first) = self.doc.empty_insert();
                        let mut text = format!("addAccountOperator:{nl}{}", render(2));
                        if nl_first {
                            text.insert_str(0, nl);
                        }
                        if !range.is_empty() {
                            text.truncate(text.trim_end_matches(['\n', '\r']).len());
                        }
                        return Ok(TextEdit::replace(range, text));
                    }
                };
                let mut text =
                    format!("{}addAccountOperator:{nl}{}", " ".repeat(indent), render(indent + 2));
                if nl_first {
                    text.insert_str(0, nl);
                }
                Ok(TextEdit::insert(at, text))
            }
        }
    }

    fn verify_error(&self) -> ValuesError {
        ValuesError::Verify { path: self.doc.path.clone() }
    }
}

fn set_data(data: &mut Value, key: &str, list: Value) {
    if !data.is_object() {
        *data = json!({});
    }
    let aao = &mut data["addAccountOperator"];
    if !aao.is_object() {
        *aao = json!({});
    }
    aao[key] = list;
}

/// The edit that turns an entry's `[]` or null value into a block (text of full lines).
fn value_to_block(doc: &Doc, entry: &Node, block: &str, nl: &str) -> Result<TextEdit, ValuesError> {
    let body = block.trim_end_matches(['\n', '\r']);
    edit::replace_entry_value(doc, entry, format!("{nl}{body}"))
        .ok_or_else(|| ValuesError::Verify { path: doc.path.clone() })
}

/// A scalar as Helm renders it in a template: strings as they are, numbers and booleans in
/// their usual spelling; None for null, lists and mappings.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// What the chart's `printf "%s %s"` makes of a scalar that is not a string, as Go prints it:
/// `%!s(float64=1.2345678901234568e+39)`, `%!s(bool=true)`. None for a string (or no scalar).
pub fn helm_rendering(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(format!("%!s(float64={})", go_float(n.as_f64()?))),
        Value::Bool(b) => Some(format!("%!s(bool={b})")),
        _ => None,
    }
}

/// A float64 as Go's `%v` prints it (`strconv.FormatFloat(f, 'g', -1, 64)`): the shortest
/// digits that read back, in exponent form when the exponent is below -4 or at least 6
/// (`1e+06`, `1.234567e+06`, `123456`). Helm reads every number of a values file as a float64.
pub fn go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if f != 0.0 && !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        format!("{f}")
    }
}

/// A list written elsewhere, read from the data alone: checks see what Helm sees, and any
/// edit is refused with `why`. `node` stands in for the entries' nodes, which are never used.
fn read_elsewhere(
    doc: &Doc,
    data: Option<&Value>,
    what: &str,
    at: usize,
    why: String,
    node: Node,
    entry: Option<Node>,
) -> Result<OrgList, ValuesError> {
    let items = match data {
        Some(Value::Array(items)) => items.as_slice(),
        None | Some(Value::Null) => &[],
        Some(_) => return Err(doc.shape_error(at, format!("{what} must be a list"))),
    };
    let mut entries = Vec::new();
    for item in items {
        let name = item.get("name").and_then(scalar_text).filter(|n| !n.is_empty());
        let Some(name) = name.filter(|_| item.is_object()) else {
            return Err(doc.shape_error(
                at,
                format!("each entry of {what} must be a mapping with a name and a secret"),
            ));
        };
        entries.push(OrgEntry {
            name,
            secret: item.get("secret").and_then(scalar_text),
            has_channel: item.get("channel").is_some(),
            secret_rendered: item.get("secret").and_then(helm_rendering),
            item: node.clone(),
            map: node.clone(),
            secret_value: None,
            channel_entry: None,
            anchored: None,
        });
    }
    Ok(OrgList { entry, seq: None, entries, anchored: None, elsewhere: Some((at, why)) })
}

/// The KEY node of an entry of `map` written as `key` with a tag (`!foo key:`), if any.
fn tagged_key(map: &Node, key: &str) -> Option<Node> {
    cst::entries(map).filter_map(|e| cst::entry_key_node(&e)).find(|k| {
        let text = k.text().to_string();
        let words: Vec<&str> = text.split_whitespace().collect();
        words.len() == 2 && words[0].starts_with('!') && words[1] == key
    })
}

fn read_list(
    doc: &Doc,
    aao: Option<&Node>,
    side: Side,
    aliases: &[cst::Alias],
) -> Result<OrgList, ValuesError> {
    let what = format!("addAccountOperator.{}", side.key());
    let entry = aao.and_then(|m| cst::lookup(m, side.key()));
    let data = doc.get(&["addAccountOperator", side.key()]);
    let mut elsewhere = None;
    let seq = match entry.as_ref().and_then(cst::entry_value) {
        None => None,
        Some(v) if v.kind() == K::SCALAR && cst::scalar_string(&v).is_none() => None,
        Some(v) if v.kind() == K::SEQUENCE => Some(v),
        Some(v) if v.kind() == K::ALIAS => {
            let why = format!(
                "{what} is an alias ({}) of a list written elsewhere: editing it would \
                 change that place too; write the list out in full here",
                v.text().to_string().trim()
            );
            elsewhere = Some((cst::range(&v).start, why, v));
            None
        }
        Some(v) => {
            return Err(doc.shape_error(
                cst::range(&v).start,
                format!("{what} must be a list, not {}", cst::describe(Some(&v))),
            ))
        }
    };
    if let (Some(_), Some(map), Some(top)) = (&entry, aao, doc.top()) {
        if let Some(merge) = cst::merge_supplying(&top, map, side.key()) {
            let why = edit::overridden_message(&what, side.key());
            elsewhere = Some((cst::range(&merge).start, why, merge));
        }
    }
    if entry.is_none() && data.is_some_and(|d| !d.is_null()) {
        // The list comes from a merge key (`<<: *base`) or an aliased addAccountOperator.
        if let Some(merge) = aao.and_then(cst::merge_entry) {
            let why = edit::merged_message(&what, side.key());
            elsewhere = Some((cst::range(&merge).start, why, merge));
        } else if let Some(key) = aao.and_then(|m| tagged_key(m, side.key())) {
            let why = format!(
                "the key {} is written with a tag, which substractl does not edit through; \
                 write it plain ({}:)",
                key.text().to_string().trim(),
                side.key()
            );
            elsewhere = Some((cst::range(&key).start, why, key));
        } else if let Some(node) = aao.cloned().or_else(|| doc.top()) {
            let why = format!(
                "{what} is written elsewhere (through an alias or a merge key `<<`): editing it \
                 would change that place too; write the list out in full here"
            );
            elsewhere = Some((cst::range(&node).start, why, node));
        }
    }
    // An entry that writes out a key a merge key `<<` of its own supplies too: YAML readers
    // disagree on which one wins, so the list is read as the data says and never edited.
    if let (None, Some(seq), Some(top)) = (&elsewhere, &seq, doc.top()) {
        let items = cst::items(seq);
        let conflict = items.iter().enumerate().find_map(|(i, item)| {
            let map = cst::item_value(item).filter(|v| v.kind() == K::MAPPING)?;
            let (key, merge) = cst::merge_conflicts(&top, &map).into_iter().next()?;
            Some((i, key, merge))
        });
        if let Some((i, key, merge)) = conflict {
            let why = edit::overridden_message(&format!("{what}[{i}].{key}"), &key);
            elsewhere = Some((cst::range(&merge).start, why, merge));
        }
    }
    if let Some((at, why, node)) = elsewhere {
        return read_elsewhere(doc, data, &what, at, why, node, entry);
    }
    let anchored = entry
        .as_ref()
        .and_then(cst::entry_value_node)
        .and_then(|v| cst::used_anchor(&v, aliases, true));
    let items = seq.as_ref().map(cst::items).unwrap_or_default();
    let data_items = match data {
        Some(Value::Array(items)) => items.as_slice(),
        _ => &[],
    };
    if items.len() != data_items.len() {
        return Err(ValuesError::Unsupported {
            path: doc.path.clone(),
            message: format!("{what} could not be read; edit it by hand"),
        });
    }
    let mut entries = Vec::new();
    for (item, data) in items.into_iter().zip(data_items) {
        let value = cst::item_value(&item);
        let at = cst::range(&item).start;
        let Some(map) = value.filter(|v| v.kind() == K::MAPPING) else {
            let message = if data.is_object() {
                format!(
                    "this entry of {what} is an alias or a tagged mapping; write it out as a \
                     mapping with name and secret so that it can be edited"
                )
            } else {
                format!("each entry of {what} must be a mapping with name and secret")
            };
            return Err(doc.shape_error(at, message));
        };
        let name = match data.get("name") {
            None | Some(Value::Null) => None,
            Some(v) => Some(scalar_text(v).ok_or_else(|| {
                doc.shape_error(
                    at,
                    format!("the name of an entry of {what} must be a single value"),
                )
            })?),
        };
        let Some(name) = name.filter(|n| !n.is_empty()) else {
            return Err(doc.shape_error(at, format!("an entry of {what} has no name")));
        };
        let secret = data.get("secret").and_then(scalar_text);
        let secret_value =
            cst::lookup(&map, "secret").and_then(|e| cst::entry_value(&e)).filter(|v| {
                secret.is_some() && matches!(v.kind(), K::SCALAR | K::TAGGED_NODE | K::ALIAS)
            });
        let channel_entry = cst::lookup(&map, "channel");
        let anchored = cst::used_anchor(&item, aliases, false);
        entries.push(OrgEntry {
            name,
            secret,
            has_channel: data.get("channel").is_some(),
            secret_rendered: data.get("secret").and_then(helm_rendering),
            item,
            map,
            secret_value,
            channel_entry,
            anchored,
        });
    }
    Ok(OrgList { entry, seq, entries, anchored, elsewhere: None })
}

/// What happens to each existing entry of a list, and what is appended.
#[derive(Debug, Default)]
struct ListPlan {
    actions: Vec<Action>,
    appends: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Action {
    Keep,
    Remove,
    /// Change the secret in place (if Some) and/or drop the `channel` key.
    Patch {
        secret: Option<String>,
        drop_channel: bool,
    },
}

impl ListPlan {
    fn is_noop(&self) -> bool {
        self.appends.is_empty() && self.actions.iter().all(|a| *a == Action::Keep)
    }

    /// The list's data after the plan, from its data before (entries in the same order).
    fn final_items(&self, before: Option<&Value>, count: usize) -> Option<Vec<Value>> {
        let items = match before {
            Some(Value::Array(items)) => items.clone(),
            _ => Vec::new(),
        };
        if items.len() != count {
            return None;
        }
        let mut out = Vec::new();
        for (item, action) in items.into_iter().zip(&self.actions) {
            match action {
                Action::Keep => out.push(item),
                Action::Remove => {}
                Action::Patch { secret, drop_channel } => {
                    let mut item = item;
                    let map = item.as_object_mut()?;
                    if let Some(s) = secret {
                        map.insert("secret".into(), Value::String(s.clone()));
                    }
                    if *drop_channel {
                        map.remove("channel");
                    }
                    out.push(item);
                }
            }
        }
        out.extend(self.appends.iter().map(|(n, s)| json!({"name": n, "secret": s})));
        Some(out)
    }
}

fn plan_list(list: &OrgList, want: &HashMap<String, Want>, order: &[String]) -> ListPlan {
    let mut plan = ListPlan::default();
    let mut seen: HashMap<&str, bool> = HashMap::new();
    for e in &list.entries {
        let action = match want.get(&e.name) {
            None => Action::Keep,
            Some(Want::Absent) => Action::Remove,
            Some(Want::Secret(_)) if seen.contains_key(e.name.as_str()) => Action::Remove,
            Some(Want::Secret(s)) => {
                if e.secret.as_deref() == Some(s) && !e.has_channel {
                    Action::Keep
                } else if e.secret_value.is_none() {
                    // No scalar secret to patch: write the entry anew.
                    plan.appends.push((e.name.clone(), s.clone()));
                    Action::Remove
                } else {
                    let secret = (e.secret.as_deref() != Some(s)).then(|| s.clone());
                    if secret.is_none() && !e.has_channel {
                        Action::Keep
                    } else {
                        Action::Patch { secret, drop_channel: e.has_channel }
                    }
                }
            }
        };
        seen.insert(e.name.as_str(), true);
        plan.actions.push(action);
    }
    for name in order {
        if let Some(Want::Secret(s)) = want.get(name) {
            if !seen.contains_key(name.as_str()) {
                plan.appends.push((name.clone(), s.clone()));
                seen.insert(name.as_str(), true);
            }
        }
    }
    plan
}

/// A new entry in block style at `indent`; `flow` gives the flow style of its neighbours.
fn new_entry(name: &str, secret: &str, indent: usize, nl: &str, flow: Option<bool>) -> String {
    let pad = " ".repeat(indent);
    match flow {
        Some(padded) => {
            let sp = if padded { " " } else { "" };
            format!("{pad}- {{{sp}name: {}, secret: {}{sp}}}{nl}", scalar(name), scalar(secret))
        }
        None => format!("{pad}- name: {}{nl}{pad}  secret: {}{nl}", scalar(name), scalar(secret)),
    }
}

/// A new secret written where an old scalar was, in the old one's quoting style.
fn secret_text(old: &Node, secret: &str) -> String {
    match cst::quote_of(old) {
        Some('\'') => format!("'{secret}'"),
        Some(_) => serde_json::to_string(secret).unwrap_or_else(|_| format!("\"{secret}\"")),
        None => scalar(secret),
    }
}

/// Edits inside one entry: the new secret, and the `channel` key removed.
fn patch_edits(
    doc: &Doc,
    e: &OrgEntry,
    secret: &Option<String>,
    drop_channel: bool,
) -> Vec<TextEdit> {
    let mut edits = Vec::new();
    if let (Some(s), Some(old)) = (secret, &e.secret_value) {
        let r = cst::range(old);
        edits.push(TextEdit::replace(r.start..cst::content_end(old), secret_text(old, s)));
    }
    if drop_channel {
        if let Some(ch) = &e.channel_entry {
            edits.push(remove_map_entry(doc, &e.map, ch));
        }
    }
    edits
}

/// Removes one entry of a mapping, block or flow, keeping the mapping well formed.
fn remove_map_entry(doc: &Doc, map: &Node, entry: &Node) -> TextEdit {
    let all: Vec<Node> = cst::entries(map).collect();
    let idx = all.iter().position(|e| e == entry).unwrap_or(0);
    let r = cst::range(entry);
    if cst::is_flow(map) {
        if cst::comma_in(entry).is_some() {
            // `a: 1, ` -> ``: up to the start of the next entry.
            let end = all.get(idx + 1).map_or(r.end, |n| cst::range(n).start);
            TextEdit::delete(r.start..end)
        } else if idx > 0 {
            // The last entry: remove from the comma before it.
            let start = cst::comma_in(&all[idx - 1]).map_or(r.start, |c| c.start);
            TextEdit::delete(start..cst::content_end(entry))
        } else {
            TextEdit::delete(r.start..cst::content_end(entry))
        }
    } else if idx == 0 && all.len() > 1 {
        // The first key may sit on the dash line: pull the next key up to where it was.
        TextEdit::delete(r.start..cst::range(&all[1]).start)
    } else {
        let start = cst::line_start(&doc.text, r.start);
        TextEdit::delete(start..cst::line_end_after(&doc.text, cst::content_end(entry)))
    }
}

fn block_list_edits(
    doc: &Doc,
    seq: &Node,
    list: &OrgList,
    plan: &ListPlan,
    nl: &str,
) -> Vec<TextEdit> {
    let mut edits = Vec::new();
    let items = cst::items(seq);
    let kept = plan.actions.iter().filter(|a| **a != Action::Remove).count();
    for (e, action) in list.entries.iter().zip(&plan.actions) {
        match action {
            Action::Keep => {}
            Action::Remove => {
                let r = cst::range(&e.item);
                let start = cst::line_start(&doc.text, r.start);
                let end = cst::line_end_after(&doc.text, cst::content_end(&e.item));
                edits.push(TextEdit::delete(start..end));
            }
            Action::Patch { secret, drop_channel } => {
                edits.extend(patch_edits(doc, e, secret, *drop_channel))
            }
        }
    }
    if plan.appends.is_empty() {
        if kept == 0 {
            // Every entry removed: the key keeps an empty list rather than null.
            if let Some(colon) = list.entry.as_ref().and_then(cst::colon_end) {
                edits.push(TextEdit::insert(colon, " []".into()));
            }
        }
        return edits;
    }
    let Some(first) = items.first() else { return edits };
    let indent = cst::column(&doc.text, cst::range(first).start);
    let last = items.last().unwrap_or(first);
    let style =
        list.entries.last().filter(|e| cst::is_flow(&e.map)).map(|e| cst::flow_padded(&e.map));
    let (at, nl_first) = cst::after_block(&doc.text, last);
    let mut text: String =
        plan.appends.iter().map(|(n, s)| new_entry(n, s, indent, nl, style)).collect();
    if nl_first {
        text.insert_str(0, nl);
    }
    edits.push(TextEdit::insert(at, text));
    edits
}

/// A non-empty flow list is rewritten whole: kept entries keep their text (with patches),
/// new ones are added as flow mappings.
fn flow_list_edits(doc: &Doc, seq: &Node, list: &OrgList, plan: &ListPlan) -> Vec<TextEdit> {
    let r = cst::range(seq);
    if doc.text[r.start..cst::content_end(seq)].contains('\n') {
        if let Some(edits) = multi_line_flow_edits(doc, list, plan) {
            return edits;
        }
    }
    let mut parts = Vec::new();
    for (e, action) in list.entries.iter().zip(&plan.actions) {
        let r = cst::range(&e.map);
        let original = &doc.text[r.start..cst::content_end(&e.map)];
        match action {
            Action::Keep => parts.push(original.to_string()),
            Action::Remove => {}
            Action::Patch { secret, drop_channel } => {
                let edits = patch_edits(doc, e, secret, *drop_channel)
                    .into_iter()
                    .map(|ed| {
                        TextEdit::replace(ed.range.start - r.start..ed.range.end - r.start, ed.text)
                    })
                    .collect();
                parts.push(cst::apply(original, edits));
            }
        }
    }
    for (n, s) in &plan.appends {
        parts.push(format!("{{name: {}, secret: {}}}", scalar(n), scalar(s)));
    }
    let padded = cst::flow_padded(seq);
    let sp = if padded && !parts.is_empty() { " " } else { "" };
    let r = cst::range(seq);
    vec![TextEdit::replace(
        r.start..cst::content_end(seq),
        format!("[{sp}{}{sp}]", parts.join(", ")),
    )]
}

/// A flow list written over several lines (often with comments) is edited in place, entry by
/// entry: removed entries lose their lines, new ones get a line each after the last entry.
/// None for a layout this does not handle (the list is then rewritten whole).
fn multi_line_flow_edits(doc: &Doc, list: &OrgList, plan: &ListPlan) -> Option<Vec<TextEdit>> {
    let nl = cst::newline_of(&doc.text);
    let mut edits = Vec::new();
    let entries = &list.entries;
    for (i, (e, action)) in entries.iter().zip(&plan.actions).enumerate() {
        match action {
            Action::Keep => {}
            Action::Patch { secret, drop_channel } => {
                edits.extend(patch_edits(doc, e, secret, *drop_channel))
            }
            Action::Remove => {
                let r = cst::range(&e.item);
                let line_start = cst::line_start(&doc.text, r.start);
                let own_line = doc.text[line_start..r.start].trim().is_empty();
                let ends_line = doc.text[..r.end].ends_with('\n');
                if own_line && ends_line {
                    edits.push(TextEdit::delete(line_start..r.end));
                } else if let Some(comma) = cst::comma_in(&e.item) {
                    let after = &doc.text[comma.end..r.end];
                    let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
                    edits.push(TextEdit::delete(r.start..comma.end + spaces));
                } else if i > 0 {
                    let prev = cst::comma_in(&entries[i - 1].item)?;
                    edits.push(TextEdit::delete(prev.start..cst::content_end(&e.item)));
                } else {
                    edits.push(TextEdit::delete(r.start..cst::content_end(&e.item)));
                }
            }
        }
    }
    if plan.appends.is_empty() {
        return Some(edits);
    }
    let first = entries.first()?;
    let last = entries.last()?;
    let last_kept = plan.actions.last().is_some_and(|a| *a != Action::Remove);
    // New lines line up with the last entry when it starts its line, else with the first.
    let own_line = |e: &OrgEntry| {
        let at = cst::range(&e.item).start;
        doc.text[cst::line_start(&doc.text, at)..at].trim().is_empty()
    };
    let lead = if own_line(last) { last } else { first };
    let pad = " ".repeat(cst::column(&doc.text, cst::range(&lead.item).start));
    let new: Vec<String> = plan
        .appends
        .iter()
        .map(|(n, s)| format!("{pad}{{name: {}, secret: {}}}", scalar(n), scalar(s)))
        .collect();
    let r = cst::range(&last.item);
    if doc.text[..r.end].ends_with('\n') {
        // The closing bracket is on a later line: one line per new entry, before it.
        if last_kept && cst::comma_in(&last.item).is_none() {
            edits.push(TextEdit::insert(cst::content_end(&last.map), ",".into()));
        }
        let text: String = new.join(&format!(",{nl}")) + nl;
        edits.push(TextEdit::insert(r.end, text));
    } else if last_kept && cst::comma_in(&last.item).is_none() {
        // `  {y}]`: the new entries go between the last entry and the bracket.
        let text = format!(",{nl}{}", new.join(&format!(",{nl}")));
        edits.push(TextEdit::insert(cst::content_end(&last.map), text));
    } else {
        return None;
    }
    Some(edits)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn read(text: &str) -> BackendValues {
        BackendValues::read(Doc::from_text(Path::new("b.yaml"), text.into(), true).expect("parse"))
            .expect("read")
    }

    fn wants(pairs: &[(&str, Option<&str>)]) -> HashMap<String, Want> {
        pairs
            .iter()
            .map(|(n, s)| (n.to_string(), s.map_or(Want::Absent, |s| Want::Secret(s.into()))))
            .collect()
    }

    #[test]
    fn empty_lists_become_blocks_keeping_comments() {
        let mut b = read("addAccountOperator:\n  ## e.g.\n  outgoingOrganizations: []\n  incomingOrganizations: [] # none\n  users: []\n");
        let order = vec!["a".to_string()];
        b.apply(&wants(&[("a", Some("S1"))]), &wants(&[("a", Some("S2"))]), &order).expect("apply");
        assert_eq!(
            b.doc.text,
            "addAccountOperator:\n  ## e.g.\n  outgoingOrganizations:\n    - name: a\n      secret: S2\n  incomingOrganizations: # none\n    - name: a\n      secret: S1\n  users: []\n"
        );
    }

    #[test]
    fn patches_block_and_flow_entries_and_drops_channel() {
        let text = "addAccountOperator:\n  incomingOrganizations:\n    - name: a # keep me\n      secret: \"old\"\n      channel: c\n    - { name: b, secret: x, channel: c }\n    - name: other\n      secret: o\n";
        let mut b = read(text);
        assert!(b.entries(Side::Incoming)[0].has_channel);
        let order = vec!["a".to_string(), "b".to_string(), "nn".to_string()];
        b.apply(
            &wants(&[("a", Some("new")), ("b", Some("x")), ("nn", Some("z"))]),
            &HashMap::new(),
            &order,
        )
        .expect("apply");
        assert_eq!(
            b.doc.text,
            "addAccountOperator:\n  incomingOrganizations:\n    - name: a # keep me\n      secret: \"new\"\n    - { name: b, secret: x }\n    - name: other\n      secret: o\n    - name: nn\n      secret: z\n"
        );
    }

    #[test]
    fn removes_entries_and_leaves_an_empty_list() {
        let mut b = read("addAccountOperator:\n  outgoingOrganizations:\n    - name: a\n      secret: s\n  incomingOrganizations: [{name: a, secret: s}, {name: b, secret: t}]\n");
        b.apply(&wants(&[("a", None)]), &wants(&[("a", None)]), &[]).expect("apply");
        assert_eq!(
            b.doc.text,
            "addAccountOperator:\n  outgoingOrganizations: []\n  incomingOrganizations: [{name: b, secret: t}]\n"
        );
    }

    #[test]
    fn a_null_list_with_a_comment_keeps_it_on_the_key_line() {
        let mut b = read("addAccountOperator:\n  incomingOrganizations: # later\n  users: []\n");
        b.apply(&wants(&[("a", Some("s"))]), &HashMap::new(), &["a".to_string()]).expect("apply");
        assert_eq!(
            b.doc.text,
            "addAccountOperator:\n  incomingOrganizations: # later\n    - name: a\n      secret: s\n  users: []\n"
        );
    }

    #[test]
    fn multi_line_flow_lists_are_edited_in_place() {
        let text = "addAccountOperator:\n  incomingOrganizations: [\n    {name: a, secret: s},  # c1\n    {name: b, secret: t},  # c2\n    {name: c, secret: u}  # c3\n  ]\n";
        let mut b = read(text);
        b.apply(&wants(&[("b", None), ("c", Some("new"))]), &HashMap::new(), &[]).expect("apply");
        assert_eq!(
            b.doc.text,
            "addAccountOperator:\n  incomingOrganizations: [\n    {name: a, secret: s},  # c1\n    {name: c, secret: new}  # c3\n  ]\n"
        );
        let mut b = read("addAccountOperator:\n  incomingOrganizations: [{name: a, secret: s},\n    {name: b, secret: t}]\n");
        b.apply(&wants(&[("nn", Some("z"))]), &HashMap::new(), &["nn".to_string()]).expect("apply");
        assert_eq!(
            b.doc.text,
            "addAccountOperator:\n  incomingOrganizations: [{name: a, secret: s},\n    {name: b, secret: t},\n    {name: nn, secret: z}]\n"
        );
    }

    #[test]
    fn values_are_taken_as_helm_reads_them() {
        let b = read("x: &n BioMSP\norchestrator:\n  mspID: *n\naddAccountOperator:\n  incomingOrganizations:\n    - name: !!str 123\n      secret: !!str abc\n    - {'name': 42, \"secret\" : \"multi\"}\n");
        let e = b.entries(Side::Incoming);
        assert_eq!((e[0].name.as_str(), e[0].secret.as_deref()), ("123", Some("abc")));
        assert_eq!(e[0].secret_rendered, None);
        assert_eq!(e[1].name, "42");
    }

    #[test]
    fn an_anchor_used_elsewhere_blocks_only_what_it_would_change() {
        let text = "addAccountOperator:\n  incomingOrganizations:\n    - &e {name: other, secret: o}\n    - name: a\n      secret: s\ncopy: *e\n";
        let mut b = read(text);
        b.apply(&wants(&[("n", Some("z"))]), &HashMap::new(), &["n".to_string()]).expect("append");
        let mut b = read(text);
        let err = b.apply(&wants(&[("other", None)]), &HashMap::new(), &[]).expect_err("anchor");
        assert!(err.to_string().starts_with("b.yaml:3:7: an entry of addAccountOperator.incomingOrganizations holds the anchor &e"), "{err}");
    }

    #[test]
    fn lists_written_elsewhere_are_read_but_not_edited() {
        let text = "base: &b\n  incomingOrganizations:\n    - {name: a, secret: s}\naddAccountOperator:\n  <<: *b\n  users: []\n";
        let mut b = read(text);
        assert_eq!(b.entries(Side::Incoming)[0].secret.as_deref(), Some("s"));
        b.apply(&wants(&[("a", Some("s"))]), &HashMap::new(), &[]).expect("nothing to do");
        let err = b.apply(&wants(&[("a", Some("t"))]), &HashMap::new(), &[]).expect_err("merge");
        assert!(
            err.to_string().starts_with(
                "b.yaml:5:3: addAccountOperator.incomingOrganizations comes from this merge key"
            ),
            "{err}"
        );
    }

    #[test]
    fn creates_missing_sections() {
        let mut b = read("organizationName: x\n");
        let order = vec!["x".to_string()];
        b.apply(&wants(&[("x", Some("s"))]), &wants(&[("x", Some("t"))]), &order).expect("apply");
        assert_eq!(
            b.doc.text,
            "organizationName: x\naddAccountOperator:\n  incomingOrganizations:\n    - name: x\n      secret: s\n  outgoingOrganizations:\n    - name: x\n      secret: t\n"
        );
    }

    #[test]
    fn shapes_are_checked_with_positions() {
        let doc = Doc::from_text(
            Path::new("b.yaml"),
            "addAccountOperator:\n  incomingOrganizations: nope\n".into(),
            true,
        )
        .expect("parse");
        let err = BackendValues::read(doc).expect_err("shape");
        assert_eq!(
            err.to_string(),
            "b.yaml:2:26: addAccountOperator.incomingOrganizations must be a list, not a scalar"
        );
    }

    #[test]
    fn numbers_render_as_helm_prints_them() {
        let n = |v: Value| helm_rendering(&v).unwrap_or_default();
        assert_eq!(n(json!(1.2345678901234568e39)), "%!s(float64=1.2345678901234568e+39)");
        assert_eq!(n(json!(123)), "%!s(float64=123)");
        assert_eq!(n(json!(0.5)), "%!s(float64=0.5)");
        assert_eq!(n(json!(1e21)), "%!s(float64=1e+21)");
        assert_eq!(n(json!(0.00001)), "%!s(float64=1e-05)");
        assert_eq!(n(json!(true)), "%!s(bool=true)");
        assert_eq!(helm_rendering(&json!("123")), None);
    }
}

/// A key of `orchestrator.channels` written plain that Helm's YAML reader (go-yaml v2, YAML
/// 1.1) takes for something else than a string, so that the deployed backend names the
/// channel otherwise (`yes` is `true`, `1e3` is `1000`, `0x10` is `16`): its offset, its text
/// and what it is read as.
fn channel_key_read_otherwise(doc: &Doc) -> Option<(usize, String, &'static str)> {
    let top = doc.top()?;
    let maps: Vec<cst::Node> = cst::values_at(&top, &top, &["orchestrator", "channels"])
        .iter()
        .filter_map(|list| cst::resolve(&top, list))
        .filter(|list| list.kind() == K::SEQUENCE)
        .flat_map(|list| cst::items(&list))
        .filter_map(|item| cst::item_value(&item).and_then(|v| cst::resolve(&top, &v)))
        .filter(|m| m.kind() == K::MAPPING)
        .collect();
    key_read_otherwise(&top, &maps)
}

/// Why a key found by [`key_read_otherwise`] is refused: `place` names the mapping's keys
/// (`channel`, `clientCACerts`), `named` what a key names.
pub fn key_read_otherwise_message(place: &str, named: &str, key: &str, what: &str) -> String {
    if what == "an alias" || what == "a tagged key" {
        format!("the {place} key {key} is {what}: write the {named}'s name out, quoted")
    } else {
        format!(
            "the {place} key {key} is {what} to Helm's YAML reader, which names the {named} \
             otherwise; quote it (\"{key}\")"
        )
    }
}

/// The first key of the mappings `maps` (and of those their merge keys `<<` bring in, through
/// tags and aliases) that Helm's YAML reader takes for something else than its text: its offset,
/// text and what it is read as (`an alias`, `a tagged key`, `a boolean`, `null`, `a number`).
pub fn key_read_otherwise(
    root: &cst::Node,
    maps: &[cst::Node],
) -> Option<(usize, String, &'static str)> {
    let maps = cst::merged_maps(root, maps);
    let entries = maps.iter().flat_map(cst::entries).filter(|e| !cst::is_merge_key(e));
    for entry in entries {
        let Some(key) = cst::entry_key_node(&entry) else { continue };
        let written = key.text().to_string();
        let written = written.trim().trim_start_matches('?').trim_start();
        let at = cst::range(&key).start;
        // An alias as a key is the text of its anchor's, wherever that is: not guessed.
        if written.starts_with('*') {
            return Some((at, written.to_string(), "an alias"));
        }
        // Its anchor (`&k yes:`) is no part of its text; a tag other than `!!str` makes it
        // something else than a string.
        let mut text = written;
        let mut tagged_str = false;
        while text.starts_with(['&', '!']) {
            let (property, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
            if property.starts_with('!') {
                if cst::yaml_tag(property) != Some("str") {
                    return Some((at, written.to_string(), "a tagged key"));
                }
                tagged_str = true;
            }
            text = rest.trim_start();
        }
        if tagged_str {
            continue;
        }
        if let Some(what) = yaml11_not_a_string(text) {
            return Some((at, text.to_string(), what));
        }
    }
    None
}

/// What a plain scalar is to a YAML 1.1 reader when it is not a string whose text Helm keeps:
/// a boolean, null, or a number not written as its own decimal (`1e3`, `0x10`, `010`, `+1`,
/// `1_000`, `.inf`). A canonical decimal integer (`42`, `-7`) stays the same text.
fn yaml11_not_a_string(text: &str) -> Option<&'static str> {
    if super::goyaml::GO_BOOLS.contains(&text) {
        return Some("a boolean");
    }
    if super::goyaml::GO_NULLS.contains(&text) {
        return Some("null");
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let lower = unsigned.to_ascii_lowercase();
    if matches!(lower.as_str(), ".inf" | ".nan") {
        return Some("a number");
    }
    // Its own decimal: what a 64-bit integer (signed, or unsigned) is written as. `-0` is 0,
    // and a longer number is a float (`1e+20`).
    let canonical = (text == "0"
        || (unsigned.starts_with(|c: char| ('1'..='9').contains(&c))
            && unsigned.chars().all(|c| c.is_ascii_digit())
            && !text.starts_with('+')))
        && (text.parse::<i64>().is_ok() || text.parse::<u64>().is_ok());
    if canonical {
        return None;
    }
    let digits: String = lower.chars().filter(|c| *c != '_').collect();
    let radix = |prefix: &str, ok: fn(char) -> bool| {
        digits.strip_prefix(prefix).is_some_and(|d| !d.is_empty() && d.chars().all(ok))
    };
    let number = radix("0x", |c| c.is_ascii_hexdigit())
        || radix("0o", |c| ('0'..='7').contains(&c))
        || radix("0b", |c| c == '0' || c == '1')
        || (digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
            && digits.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '-' | '+'))
            && digits.parse::<f64>().is_ok());
    number.then_some("a number")
}

#[cfg(test)]
mod key_tests {
    use super::yaml11_not_a_string;

    #[test]
    fn keys_helm_reads_as_other_than_their_text() {
        for (text, what) in [
            ("yes", "a boolean"),
            ("Off", "a boolean"),
            ("y", "a boolean"),
            ("~", "null"),
            ("1e3", "a number"),
            ("0x10", "a number"),
            ("010", "a number"),
            ("+1", "a number"),
            ("1_000", "a number"),
            ("1.5", "a number"),
            ("-.inf", "a number"),
            ("-0", "a number"),
            ("99999999999999999999", "a number"),
        ] {
            assert_eq!(yaml11_not_a_string(text), Some(what), "{text}");
        }
        for text in [
            "mychannel",
            "our-channel",
            "42",
            "-7",
            "0",
            "18446744073709551615",
            "yes-please",
            "1a",
            "e3",
            "x1",
        ] {
            assert_eq!(yaml11_not_a_string(text), None, "{text}");
        }
    }
}

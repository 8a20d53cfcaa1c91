//! The static audit of a deployment directory (`check values`): what the backend values and
//! the orchestrator values say about each other, as groups of checks, without any network.
//!
//! Every value comes from the model ([`super::Backend`], [`super::Orchestrator`]): what Helm
//! deploys, a key a file leaves out taking the chart's default. Secrets are compared elsewhere
//! (the pairs come from `check links`) and never appear in a check.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::chart::backend_default;
use super::{BackendFile, Note, Orchestrator, OrchestratorFile, Store};
use crate::check::Check;
use crate::mesh::{self, OrgLinks, PairPlan};
use crate::values::cst;

const PAIRS: &str = "pairs";
const IDENTITY: &str = "identity";
const ADDRESSES: &str = "addresses";
const ORCHESTRATOR: &str = "orchestrator";
const TLS: &str = "tls";
const SWITCHES: &str = "switches";
const CHART: &str = "chart";
const CREDENTIALS: &str = "credentials";

/// Everything the audit looks at.
pub struct Audit<'a> {
    pub backends: &'a [BackendFile],
    /// The orchestrator values, or the path where they were looked for.
    pub orchestrator: Result<&'a OrchestratorFile, &'a Path>,
    /// Switches that are not YAML booleans, chart versions substractl does not know.
    pub notes: &'a [Note],
    /// The ordered pairs exactly as `check links` decides them, or why they were not decided.
    pub pairs: Result<(&'a [OrgLinks], &'a [PairPlan]), String>,
    /// How the hints name the files: the `link` command for these organizations, with
    /// `--dir` and `--orchestrator-values` as given (`{channel}` marks where `--channel` goes).
    pub link_command: String,
    /// The directory as a shell word, for `--values-dir`.
    pub dir: String,
}

impl Audit<'_> {
    fn link(&self) -> String {
        self.link_command.replace("{channel}", "")
    }

    fn link_channel(&self, channel: &str) -> String {
        self.link_command.replace("{channel}", &format!(" --channel {channel}"))
    }
}

/// Why the pairs cannot be decided: MSP IDs missing, invalid or shared. None when they can.
pub fn pairs_blocked(backends: &[BackendFile]) -> Option<String> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for b in backends {
        if b.view.msp_id_from_chart {
            return Some(format!("{} sets no orchestrator.mspID (see identity)", b.name));
        }
        let id = b.view.msp_id.clone();
        if mesh::validate_name(&id).is_err() {
            return Some(format!("{}'s MSP ID {id:?} is not valid (see identity)", b.name));
        }
        if let Some(other) = seen.insert(id.clone(), &b.name) {
            return Some(format!("{other} and {} share the MSP ID {id} (see identity)", b.name));
        }
    }
    None
}

/// Every check of the audit, group after group.
pub fn audit(a: &Audit<'_>) -> Vec<Check> {
    let mut out = Vec::new();
    notes(a, &mut out);
    merge_overrides(a, &mut out);
    credentials(a, &mut out);
    pairs(a, &mut out);
    identity(a, &mut out);
    addresses(a, &mut out);
    let ids: Vec<String> = a.backends.iter().map(|b| b.view.msp_id.clone()).collect();
    match a.orchestrator {
        Ok(o) => {
            orchestrator(a, o, &ids, &mut out);
            tls(a, o, &ids, &mut out);
        }
        Err(path) => {
            out.push(Check::failure(
                ORCHESTRATOR,
                "file",
                format!("{} does not exist", path.display()),
                format!(
                    "pass --orchestrator-values FILE, or write it with the organizations' channel: {}",
                    a.link_channel("NAME")
                ),
            ));
            let why = format!("no orchestrator values ({})", path.display());
            for check in ["ingress", "channels"] {
                out.push(Check::skipped(ORCHESTRATOR, check, why.clone()));
            }
            out.push(Check::skipped(TLS, "settings", why));
        }
    }
    out
}

/// The notes of the model as warnings: a switch the chart and the program read differently,
/// a chart version whose defaults substractl does not hold.
fn notes(a: &Audit<'_>, out: &mut Vec<Check>) {
    for n in a.notes {
        let group = if n.key == "chart" { CHART } else { SWITCHES };
        out.push(Check::warning(
            group,
            n.key.clone(),
            format!("{}:{}: {}", shown(&n.path), n.line, n.message),
            n.hint.clone(),
        ));
    }
}

/// The keys substractl reads from a backend's values: the mappings under them are looked at
/// for keys a merge key `<<` supplies too.
const BACKEND_READS: [&str; 4] =
    ["organizationName", "server", "orchestrator", "addAccountOperator"];

/// A key both written out and supplied by a merge key `<<` of the same mapping, in a mapping
/// substractl reads: YAML readers disagree on which one wins, so what substractl reads may
/// not be what Helm deploys.
fn merge_overrides(a: &Audit<'_>, out: &mut Vec<Check>) {
    let mut docs: Vec<(&crate::values::Doc, Option<&[&str]>)> =
        a.backends.iter().map(|b| (b.doc(), Some(&BACKEND_READS[..]))).collect();
    if let Ok(o) = a.orchestrator {
        docs.push((&o.doc, None));
    }
    for (doc, reads) in docs {
        let Some(top) = doc.top() else { continue };
        let mut found = Vec::new();
        overrides_in(&top, &top, "", reads, &mut found);
        for (path, merge) in found {
            let (line, _) = cst::line_col(&doc.text, cst::range(&merge).start);
            out.push(Check::warning(
                SWITCHES,
                "merge key",
                format!(
                    "{}:{line}: {path} is written out and supplied by this merge key `<<` too: \
                     YAML readers disagree on which one wins (go-yaml v2, which Helm uses, takes \
                     the later one), so substractl may read another value than Helm deploys",
                    shown(&doc.path)
                ),
                format!(
                    "in {}, write {path} only once: out in full, or through `<<`",
                    shown(&doc.path)
                ),
            ));
        }
    }
}

/// Collects the keys of `map` (at `path`) and of the mappings below it that a merge key
/// supplies too; at the top, only the keys in `reads` (all when None).
fn overrides_in(
    root: &cst::Node,
    map: &cst::Node,
    path: &str,
    reads: Option<&[&str]>,
    out: &mut Vec<(String, cst::Node)>,
) {
    let keep = |k: &str| path.is_empty() && reads.is_some_and(|r| !r.contains(&k));
    for (key, merge) in cst::merge_conflicts(root, map) {
        if !keep(&key) {
            out.push((join(path, &key), merge));
        }
    }
    for entry in cst::entries(map) {
        let Some(key) = cst::entry_key(&entry) else { continue };
        if keep(&key) || key == "<<" {
            continue;
        }
        let Some(value) = cst::entry_value(&entry) else { continue };
        let here = join(path, &key);
        match value.kind() {
            yaml_edit::SyntaxKind::MAPPING => overrides_in(root, &value, &here, None, out),
            yaml_edit::SyntaxKind::SEQUENCE => {
                for (i, item) in cst::items(&value).iter().enumerate() {
                    if let Some(v) = cst::item_value(item) {
                        if v.kind() == yaml_edit::SyntaxKind::MAPPING {
                            overrides_in(root, &v, &format!("{here}[{i}]"), None, out);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Where each organization keeps its credentials: a values file that names an
/// `existingSecret` and holds lists too (the chart ignores the lists), a values file in a git
/// work tree that holds them in clear.
fn credentials(a: &Audit<'_>, out: &mut Vec<Check>) {
    for b in a.backends {
        let file = path_of(b);
        let check = format!("{} credentials", b.name);
        let named = !matches!(b.store, Store::Values);
        if named && b.values_hold_credentials() {
            out.push(Check::warning(
                CREDENTIALS,
                check,
                format!(
                    "{file} names addAccountOperator.existingSecret and holds users or \
                     organization lists too: the chart ignores the lists"
                ),
                format!(
                    "empty users, incomingOrganizations and outgoingOrganizations in {file}, \
                     after making sure the Secret holds what they hold"
                ),
            ));
        } else if !named && b.values_hold_real_credentials() {
            if let Some(top) = super::accounts::git_work_tree(b.path()) {
                out.push(Check::warning(
                    CREDENTIALS,
                    check,
                    format!(
                        "{file} holds credentials in clear inside the git work tree {}",
                        shown(&top)
                    ),
                    format!(
                        "move them to a Secret manifest: substractl secrets move {} --dir {}",
                        crate::shell::quote(&b.name),
                        a.dir
                    ),
                ));
            }
        }
    }
}

/// The one channel of the backend chart's `orchestrator.channels`.
fn chart_channel() -> String {
    super::Backend::of(&serde_json::Value::Null).channels.join(", ")
}

fn path_of(b: &BackendFile) -> String {
    shown(b.path())
}

fn shown(path: &Path) -> String {
    let s = path.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

fn pairs(a: &Audit<'_>, out: &mut Vec<Check>) {
    let (links, plans) = match &a.pairs {
        Ok(p) => *p,
        Err(why) => {
            out.push(Check::skipped(PAIRS, "mesh", why.clone()));
            return;
        }
    };
    for p in plans {
        let server = &links[p.pair.server].msp_id;
        let client = &links[p.pair.client].msp_id;
        let name = format!("{server} <- {client}");
        let missing =
            a.backends.get(p.pair.server).and_then(BackendFile::credentials_missing).or_else(
                || a.backends.get(p.pair.client).and_then(BackendFile::credentials_missing),
            );
        if let Some(why) = missing {
            out.push(Check::skipped(PAIRS, name, why));
            continue;
        }
        out.push(match (&p.problem, p.action) {
            (None, mesh::Action::Kept) => Check::ok(
                PAIRS,
                name,
                format!("{client} logs in to {server} with one secret, the same on both sides"),
            ),
            (_, mesh::Action::Created) => Check::warning(
                PAIRS,
                name,
                "not linked: neither side lists the other, so they cannot work together",
                format!(
                    "if they should, run `{}` (add --dry-run to see the changes first)",
                    a.link()
                ),
            ),
            (problem, _) => Check::failure(
                PAIRS,
                name,
                problem.clone().unwrap_or_else(|| "the two sides disagree".into()),
                format!("run `{}` (add --dry-run to see the changes first)", a.link()),
            ),
        });
    }
}

fn identity(a: &Audit<'_>, out: &mut Vec<Check>) {
    let chart_msp_id = backend_default(&["orchestrator", "mspID"]);
    let chart_org_name = backend_default(&["organizationName"]);
    let chart_channel = chart_channel();
    // MSP IDs: set, valid, distinct.
    let mut by_id: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for b in a.backends {
        if !b.view.msp_id_from_chart {
            by_id.entry(b.view.msp_id.clone()).or_default().push(b.name.as_str());
        }
    }
    for b in a.backends {
        let name = format!("{} mspID", b.name.as_str());
        let file = path_of(b);
        let set_it = format!("set orchestrator.mspID in {file} to {}'s MSP ID", b.name.as_str());
        let id = &b.view.msp_id;
        if b.view.msp_id_from_chart {
            out.push(Check::failure(
                IDENTITY,
                name,
                format!(
                    "orchestrator.mspID is not set: the chart's default {chart_msp_id} applies"
                ),
                set_it,
            ));
            continue;
        };
        let others: Vec<&str> = by_id
            .get(id)
            .into_iter()
            .flatten()
            .copied()
            .filter(|o| *o != b.name.as_str())
            .collect();
        if let Err(e) = mesh::validate_name(id) {
            out.push(Check::failure(IDENTITY, name, format!("orchestrator.mspID: {e}"), set_it));
        } else if !others.is_empty() {
            let mut detail =
                format!("{id}, as {}: each organization needs its own", others.join(", "));
            if *id == chart_msp_id {
                detail.push_str(&format!(" ({chart_msp_id} is the chart's default)"));
            }
            out.push(Check::failure(IDENTITY, name, detail, set_it));
        } else if *id == chart_msp_id {
            out.push(Check::warning(
                IDENTITY,
                name,
                format!("{id} is the chart's default: is it really {}'s MSP ID?", b.name.as_str()),
                set_it,
            ));
        } else {
            out.push(Check::ok(IDENTITY, name, id.clone()));
        }
    }

    // organizationName: not the chart's default in several files, and distinct.
    let org_name = |b: &BackendFile| b.view.organization_name.clone();
    let mut by_name: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for b in a.backends {
        by_name.entry(org_name(b)).or_default().push(b.name.as_str());
    }
    for b in a.backends {
        let name = org_name(b);
        let check = format!("{} organizationName", b.name.as_str());
        let others: Vec<&str> = by_name
            .get(&name)
            .into_iter()
            .flatten()
            .copied()
            .filter(|o| *o != b.name.as_str())
            .collect();
        if let Some(why) = super::pairs::organization_name_problem(&name) {
            out.push(Check::failure(
                IDENTITY,
                check,
                format!("{name} {why}"),
                format!("set organizationName in {} to {}'s own name", path_of(b), b.name.as_str()),
            ));
            continue;
        }
        if others.is_empty() {
            out.push(Check::ok(IDENTITY, check, name));
            continue;
        }
        let default = if name == chart_org_name { " (the chart's default)" } else { "" };
        out.push(Check::failure(
            IDENTITY,
            check,
            format!("{name}{default}, as {}", others.join(", ")),
            format!("set organizationName in {} to {}'s own name", path_of(b), b.name.as_str()),
        ));
    }

    // The chart's channel left beside the real one.
    for b in a.backends {
        let check = format!("{} channels", b.name.as_str());
        let list = &b.view.channels;
        match list {
            _ if b.view.channels_from_chart => out.push(Check::warning(
                IDENTITY,
                check,
                format!(
                    "orchestrator.channels is not set: the chart's default {chart_channel} applies"
                ),
                format!("list the organizations' channel: {}", a.link_channel("NAME")),
            )),
            list if list.is_empty() => out.push(Check::warning(
                IDENTITY,
                check,
                "orchestrator.channels lists no channel",
                format!("list the organizations' channel: {}", a.link_channel("NAME")),
            )),
            list if list.len() > 1 && list.contains(&chart_channel) => {
                let real: Vec<&str> =
                    list.iter().map(String::as_str).filter(|c| *c != chart_channel).collect();
                out.push(Check::warning(
                    IDENTITY,
                    check,
                    format!(
                        "{chart_channel} (the chart's default) is still listed beside {}",
                        real.join(", ")
                    ),
                    format!(
                        "remove the {chart_channel} entry of orchestrator.channels in {}",
                        path_of(b)
                    ),
                ));
            }
            list => out.push(Check::ok(IDENTITY, check, list.join(", "))),
        }
    }
}

/// The host of an address `scheme://host[:port][/path]`.
pub fn host_of(address: &str) -> &str {
    let rest = address.split_once("://").map_or(address, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or(v6);
    }
    authority.split(':').next().unwrap_or(authority)
}

fn addresses(a: &Audit<'_>, out: &mut Vec<Check>) {
    let chart_domain = backend_default(&["server", "defaultDomain"]);
    let example = |org: &str| format!("http://api.{org}.example:80");
    let mut announced: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for b in a.backends {
        let check = format!("{} defaultDomain", b.name.as_str());
        let file = path_of(b);
        let set_it = |what: &str| {
            format!(
                "set server.defaultDomain in {file} to {what} (e.g. {})",
                example(b.name.as_str())
            )
        };
        // Shown without user info or query, where credentials travel.
        let domain = &crate::probe::redact::without_credentials(&b.view.default_domain);
        if b.view.default_domain_from_chart || domain.is_empty() {
            out.push(Check::failure(
                ADDRESSES,
                check,
                format!(
                    "server.defaultDomain is not set: the chart's default {chart_domain} \
                     is announced, which no other organization can reach"
                ),
                set_it("the address the other organizations reach this backend at"),
            ));
            continue;
        };
        let written = &b.view.default_domain;
        let lower = written.to_ascii_lowercase();
        let host = host_of(&lower);
        let has_scheme = lower.starts_with("http://") || lower.starts_with("https://");
        let problem = has_scheme.then(|| crate::probe::http::address_problem(written)).flatten();
        if let Some(why) = problem {
            out.push(Check::failure(
                ADDRESSES,
                check,
                format!("{}: {why}", crate::probe::redact::shown_url(written)),
                set_it("http(s)://HOST[:PORT]"),
            ));
        } else if host == chart_domain || host == "127.0.0.1" || host == "::1" {
            out.push(Check::failure(
                ADDRESSES,
                check,
                format!("{domain} is this machine ({chart_domain} is the chart's default)"),
                set_it("the address the other organizations reach this backend at"),
            ));
        } else if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            out.push(Check::failure(
                ADDRESSES,
                check,
                format!("{domain} has no scheme: other backends call it as a URL"),
                set_it(&format!("http://{domain} or https://{domain}")),
            ));
        } else {
            out.push(Check::ok(ADDRESSES, check, domain.clone()));
        }
        // By host: two addresses that differ only by a user name, a port or a path still
        // send every organization's requests to one host.
        let host = host.trim_end_matches('.').to_string();
        announced.entry(host).or_default().push(b.name.as_str());
    }
    let shared: Vec<String> = announced
        .iter()
        .filter(|(_, orgs)| orgs.len() > 1)
        .map(|(host, orgs)| {
            let mut orgs = orgs.clone();
            orgs.sort_unstable();
            format!("{} all announce the host {host}", orgs.join(", "))
        })
        .collect();
    if shared.is_empty() {
        out.push(Check::ok(
            ADDRESSES,
            "distinct",
            format!("{} organizations, {} addresses", a.backends.len(), announced.len()),
        ));
    } else {
        out.push(Check::failure(
            ADDRESSES,
            "distinct",
            shared.join("; "),
            "give each organization its own server.defaultDomain: the orchestrator sends \
             every request for an organization to the address it announced",
        ));
    }
}

/// The orchestrator's channels: name -> member MSP IDs. Of two entries of one name, the last
/// (its chart writes them into a mapping, which the orchestrator reads the last key of).
fn orchestrator_channels(o: &Orchestrator) -> BTreeMap<String, BTreeSet<String>> {
    let mut channels = BTreeMap::new();
    for c in &o.channels {
        channels.insert(c.name.clone(), c.organizations.iter().cloned().collect());
    }
    channels
}

/// Channels of the orchestrator's file that its chart cannot carry as written: a name listed
/// twice (the orchestrator reads the last entry), a name YAML reads otherwise where the chart
/// writes it unquoted.
fn channel_entries(o: &Orchestrator, file: &str, out: &mut Vec<Check>) {
    let mut seen = BTreeSet::new();
    for c in &o.channels {
        if !seen.insert(c.name.as_str()) {
            out.push(Check::failure(
                ORCHESTRATOR,
                format!("channel {}", c.name),
                format!(
                    "{} is listed twice in {file}: the orchestrator reads the last entry only",
                    c.name
                ),
                format!("merge the entries of {} in {file} into one", c.name),
            ));
        }
        for id in &c.organizations {
            if let Some(why) = super::pairs::msp_id_problem(id) {
                out.push(Check::failure(
                    ORCHESTRATOR,
                    format!("channel {}", c.name),
                    format!("the MSP ID {id:?} {why}"),
                    format!("change that organization's orchestrator.mspID, and {file}"),
                ));
            }
        }
        if let Some(why) = super::pairs::channel_name_problem(&c.name) {
            out.push(Check::failure(
                ORCHESTRATOR,
                format!("channel {}", c.name),
                format!("the channel name {:?} {why}", c.name),
                format!("rename the channel in {file} and in the backends' orchestrator.channels"),
            ));
        }
    }
}

fn orchestrator(a: &Audit<'_>, f: &OrchestratorFile, ids: &[String], out: &mut Vec<Check>) {
    let o = &f.view;
    let file = shown(&f.doc.path);
    let chart_channel = chart_channel();
    out.push(Check::ok(ORCHESTRATOR, "file", file.clone()));
    if !o.ingress {
        out.push(Check::ok(
            ORCHESTRATOR,
            "ingress",
            "disabled (ingress.enabled is not true): backends reach the orchestrator another way",
        ));
    } else if let Some(host) = &o.hostname {
        out.push(Check::ok(ORCHESTRATOR, "ingress", format!("enabled, hostname {host}")));
    } else {
        out.push(Check::failure(
            ORCHESTRATOR,
            "ingress",
            "enabled, but ingress.hostname is empty: the ingress has no host to route",
            format!("set ingress.hostname in {file} to the orchestrator's public host name"),
        ));
    }

    channel_entries(o, &file, out);
    let channels = orchestrator_channels(o);
    let mut used: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, b) in a.backends.iter().enumerate() {
        let id = &ids[i];
        let list = b.view.channels.clone();
        for channel in &list {
            let check = format!("{} in {channel}", b.name.as_str());
            let leftover = *channel == chart_channel && list.len() > 1;
            let hint = if leftover {
                format!(
                    "remove the {chart_channel} entry of orchestrator.channels in {}",
                    path_of(b)
                )
            } else {
                format!("run `{}`", a.link_channel(channel))
            };
            match channels.get(channel) {
                None => out.push(Check::failure(
                    ORCHESTRATOR,
                    check,
                    format!("{} lists {channel}, which {file} does not define", path_of(b)),
                    hint,
                )),
                Some(members) if !members.contains(id) => out.push(Check::failure(
                    ORCHESTRATOR,
                    check,
                    format!("{channel} in {file} does not list {id}"),
                    hint,
                )),
                Some(_) => out.push(Check::ok(
                    ORCHESTRATOR,
                    check,
                    format!("{channel} in {file} lists {id}"),
                )),
            }
        }
        used.push((i, list));
    }

    // Both organizations of every pair share a channel that lists them both.
    for (x, (i, xs)) in used.iter().enumerate() {
        for (j, ys) in used.iter().skip(x + 1) {
            let (bi, bj) = (&a.backends[*i], &a.backends[*j]);
            if ids[*i] == ids[*j] {
                continue;
            }
            let check = format!("{} + {}", bi.name, bj.name);
            let shared: Vec<&str> = xs
                .iter()
                .filter(|c| ys.contains(c))
                .filter(|c| {
                    channels.get(*c).is_some_and(|m| m.contains(&ids[*i]) && m.contains(&ids[*j]))
                })
                .map(String::as_str)
                .collect();
            if shared.is_empty() {
                out.push(Check::failure(
                    ORCHESTRATOR,
                    check,
                    format!(
                        "no channel is listed by both backends and lists both {} and {} in {file}",
                        ids[*i], ids[*j]
                    ),
                    format!("run `{}`", a.link_channel("NAME")),
                ));
            } else {
                out.push(Check::ok(ORCHESTRATOR, check, format!("share {}", shared.join(", "))));
            }
        }
    }
}

/// Whether a backend can dial `host` as its orchestrator's host: a DNS name or an IP address
/// (an IPv6 address in brackets or not), nothing before or after it.
fn is_host(host: &str) -> bool {
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
    if let Some(v6) = bare {
        return v6.parse::<std::net::Ipv6Addr>().is_ok();
    }
    matches!(crate::pki::leaf::Name::parse(host), Ok(crate::pki::leaf::Name::Ip(_)))
        || matches!(crate::pki::leaf::Name::parse(host),
            Ok(crate::pki::leaf::Name::Dns(name)) if !name.starts_with('*'))
}

/// True for the in-cluster names of the orchestrator's Service.
fn is_service_name(host: &str) -> bool {
    host.ends_with(".svc") || host.ends_with(".svc.cluster.local") || !host.contains('.')
}

fn tls(a: &Audit<'_>, f: &OrchestratorFile, ids: &[String], out: &mut Vec<Check>) {
    let o = &f.view;
    let file = shown(&f.doc.path);
    let chart_host = backend_default(&["orchestrator", "host"]);
    let (tls_on, mtls_on, verify) = (o.tls, o.mtls, o.verify_client_msp_id);
    let on_off = |b: bool| if b { "on" } else { "off" };
    let ingress = o.hostname.clone();
    let service_port = o.service_port.clone();
    let (port, scheme) = if tls_on { ("443", "TLS") } else { ("80", "plaintext") };

    for (i, b) in a.backends.iter().enumerate() {
        let bfile = path_of(b);

        // Where the backend dials.
        let check = format!("{} address", b.name.as_str());
        // Compared as written; shown without user info or query, where credentials travel.
        let written_host = b.view.orchestrator_host.as_str();
        let shown = |h: &str| crate::probe::redact::without_credentials(h);
        let host = Some(written_host).filter(|h| !h.is_empty() && **h != chart_host);
        let bport = b.view.orchestrator_port.clone();
        let target = ingress.clone().unwrap_or_else(|| "ORCHESTRATOR-HOST".into());
        let set_it = format!(
            "set orchestrator.host: {target} and orchestrator.port: {port} in {bfile} \
             ({scheme} goes through the ingress on {port})"
        );
        match host {
            Some(h) if !is_host(h) => out.push(Check::failure(
                TLS,
                check,
                format!(
                    "orchestrator.host {} is not a host name (a DNS name or an IP address): the \
                     backend cannot dial it",
                    shown(h)
                ),
                set_it,
            )),
            None => out.push(Check::failure(
                TLS,
                check,
                format!("{chart_host}:{bport} is the chart's default, not the orchestrator"),
                set_it,
            )),
            Some(h) if Some(h) == ingress.as_deref() => {
                if bport == port {
                    out.push(Check::ok(
                        TLS,
                        check,
                        format!("{h}:{bport}, the orchestrator's ingress"),
                    ));
                } else {
                    let detail = format!(
                        "{h}:{bport}: the ingress takes {scheme} gRPC on {port}, not {bport}"
                    );
                    out.push(if tls_on {
                        Check::failure(TLS, check, detail, set_it)
                    } else {
                        Check::warning(TLS, check, detail, set_it)
                    });
                }
            }
            Some(h) if is_service_name(h) && bport == service_port => out.push(Check::ok(
                TLS,
                check,
                format!("{h}:{bport}, the orchestrator's Service inside its cluster"),
            )),
            Some(h) => match &ingress {
                Some(i) => out.push(Check::failure(
                    TLS,
                    check,
                    format!("{h}:{bport} is not the orchestrator's ingress hostname {i}"),
                    set_it,
                )),
                None => out.push(Check::skipped(
                    TLS,
                    check,
                    format!("{h}:{bport}: {file} has no ingress hostname to compare with"),
                )),
            },
        }

        // TLS on both sides, or on neither.
        let check = format!("{} tls", b.name.as_str());
        let b_tls = b.view.tls;
        if b_tls == tls_on {
            out.push(Check::ok(TLS, check, format!("{}, as the orchestrator", on_off(b_tls))));
        } else {
            out.push(Check::failure(
                TLS,
                check,
                format!(
                    "{} in {bfile}, {} in {file}: the two cannot talk",
                    on_off(b_tls),
                    on_off(tls_on)
                ),
                format!("set orchestrator.tls.enabled: {tls_on} in {bfile}"),
            ));
        }

        let check = format!("{} mtls", b.name.as_str());
        let b_mtls = b.view.mtls;
        if !tls_on {
            out.push(Check::skipped(TLS, check, format!("TLS is off in {file}")));
        } else if !b_tls {
            // The backend reads mTLS as `and tls.enabled mtls.enabled`: off without TLS.
            out.push(Check::skipped(TLS, check, format!("TLS is off in {bfile}")));
        } else if b_mtls == mtls_on {
            out.push(Check::ok(TLS, check, format!("{}, as the orchestrator", on_off(b_mtls))));
        } else {
            let fix = if mtls_on {
                format!(
                    "make its client certificate and set it: substractl certs gen --org {} \
                     --values-dir {} (or set orchestrator.tls.mtls.enabled: true and \
                     clientCertificate in {bfile})",
                    ids[i], a.dir
                )
            } else {
                format!("set orchestrator.tls.mtls.enabled: false in {bfile}")
            };
            out.push(Check::failure(
                TLS,
                check,
                format!("{} in {bfile}, {} in {file}", on_off(b_mtls), on_off(mtls_on)),
                fix,
            ));
        }
    }

    // The client CAs the orchestrator trusts, keyed by MSP ID.
    if !mtls_on {
        out.push(Check::skipped(TLS, "clientCACerts", format!("mTLS is off in {file}")));
    } else {
        let keys = &o.client_ca_keys;
        let known: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
        let known_list = known.iter().copied().collect::<Vec<_>>().join(", ");
        let unknown: Vec<&str> =
            keys.iter().map(String::as_str).filter(|k| !known.contains(k)).collect();
        let missing: Vec<&str> =
            known.iter().copied().filter(|id| !keys.iter().any(|k| k == id)).collect();
        let mut problems = Vec::new();
        if !unknown.is_empty() {
            problems.push(format!(
                "key {} is not the MSP ID of a backend ({known_list})",
                unknown.join(", "),
            ));
        }
        if verify && !missing.is_empty() {
            problems.push(format!(
                "no key for {}: with verifyClientMSPID its client certificate is refused",
                missing.join(", ")
            ));
        }
        // The pod volume the chart names after each key (kebabcase of the MSP ID).
        let volumes: Vec<String> = super::chart::client_ca_volume_problems(keys)
            .into_iter()
            .map(|(key, why)| format!("key {key}: {why}"))
            .collect();
        if !volumes.is_empty() {
            out.push(Check::failure(
                TLS,
                "client CA volumes",
                volumes.join("; "),
                "with mTLS, give each organization an MSP ID of ASCII letters, digits, '-' and \
                 '_', at most 32 characters in kebab case (OwkinPeerMSP is owkin-peer-msp), \
                 unlike the others in kebab case: Kubernetes refuses the orchestrator's \
                 Deployment otherwise",
            ));
        }
        if problems.is_empty() {
            out.push(Check::ok(TLS, "clientCACerts", format!("keys {}", keys.join(", "))));
        } else {
            out.push(Check::failure(
                TLS,
                "clientCACerts",
                problems.join("; "),
                format!(
                    "key each entry of orchestrator.tls.mtls.clientCACerts in {file} by a backend's \
                     MSP ID: substractl certs gen --org {} --values-dir {} writes them",
                    known.iter().copied().collect::<Vec<_>>().join(" --org "),
                    a.dir
                ),
            ));
        }
    }

    // MSP-ID verification.
    let set_verify = |v: bool| format!("set orchestrator.verifyClientMSPID: {v} in {file}");
    if mtls_on && verify {
        out.push(Check::ok(TLS, "verifyClientMSPID", "on: a client certificate proves its MSP ID"));
    } else if mtls_on {
        out.push(Check::warning(
            TLS,
            "verifyClientMSPID",
            "off while mTLS is on: a client with a certificate of the CA may send any mspid",
            set_verify(true),
        ));
    } else if verify {
        out.push(Check::failure(
            TLS,
            "verifyClientMSPID",
            "on, but it needs TLS and mTLS, which are off",
            format!(
                "turn mTLS on (substractl certs gen --org MSPID --values-dir {}), or {}",
                a.dir,
                set_verify(false)
            ),
        ));
    } else {
        out.push(Check::skipped(TLS, "verifyClientMSPID", format!("mTLS is off in {file}")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_addresses() {
        assert_eq!(host_of("http://api.x:80"), "api.x");
        assert_eq!(host_of("https://u:p@localhost/x"), "localhost");
        assert_eq!(host_of("http://[::1]:80"), "::1");
        assert_eq!(host_of("api.x"), "api.x");
    }

    #[test]
    fn service_names() {
        assert!(is_service_name("orch-orchestrator-server"));
        assert!(is_service_name("orch-server.orchestrator.svc.cluster.local"));
        assert!(!is_service_name("orchestrator.example.com"));
    }
}

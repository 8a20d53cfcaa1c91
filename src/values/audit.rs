//! The static audit of a deployment directory (`check values`): what the backend values and
//! the orchestrator values say about each other, as groups of checks, without any network.
//!
//! A key a file leaves out takes the chart's default (SUBSTRA.md sections 1, 3, 4), so the
//! chart defaults below are what Helm would deploy. Secrets are compared elsewhere (the pairs
//! come from `check links`) and never appear in a check.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use super::backend::BackendValues;
use super::Doc;
use crate::mesh::{self, OrgLinks, PairPlan};
use crate::report::check::Check;

/// `organizationName` in the backend chart.
pub const CHART_ORG_NAME: &str = "owkin";
/// `orchestrator.mspID` in the backend chart.
pub const CHART_MSP_ID: &str = "OwkinPeerMSP";
/// `server.defaultDomain` in the backend chart.
pub const CHART_DEFAULT_DOMAIN: &str = "localhost";
/// The one entry of `orchestrator.channels` in the backend chart.
pub const CHART_CHANNEL: &str = "mychannel";
/// `orchestrator.host` and `orchestrator.port` in the backend chart.
pub const CHART_ORCHESTRATOR_HOST: &str = "orchestrator.local";
pub const CHART_ORCHESTRATOR_PORT: &str = "9000";

const PAIRS: &str = "pairs";
const IDENTITY: &str = "identity";
const ADDRESSES: &str = "addresses";
const ORCHESTRATOR: &str = "orchestrator";
const TLS: &str = "tls";

/// One backend values file, named by the organization in its file name.
pub struct Backend<'a> {
    pub org: &'a str,
    pub values: &'a BackendValues,
}

/// Everything the audit looks at.
pub struct Audit<'a> {
    pub backends: &'a [Backend<'a>],
    /// The orchestrator values, or the path where they were looked for.
    pub orchestrator: Result<&'a Doc, &'a Path>,
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
pub fn pairs_blocked(backends: &[Backend<'_>]) -> Option<String> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for b in backends {
        let Some(id) = b.values.msp_id.clone() else {
            return Some(format!("{} sets no orchestrator.mspID (see identity)", b.org));
        };
        if mesh::validate_name(&id).is_err() {
            return Some(format!("{}'s MSP ID {id:?} is not valid (see identity)", b.org));
        }
        if let Some(other) = seen.insert(id.clone(), b.org) {
            return Some(format!("{other} and {} share the MSP ID {id} (see identity)", b.org));
        }
    }
    None
}

/// Every check of the audit, group after group.
pub fn audit(a: &Audit<'_>) -> Vec<Check> {
    let mut out = Vec::new();
    pairs(a, &mut out);
    identity(a, &mut out);
    addresses(a, &mut out);
    let ids = msp_ids(a.backends);
    match a.orchestrator {
        Ok(doc) => {
            orchestrator(a, doc, &ids, &mut out);
            tls(a, doc, &ids, &mut out);
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

/// The MSP ID each backend runs with (the chart's default when the file sets none).
fn msp_ids(backends: &[Backend<'_>]) -> Vec<String> {
    backends
        .iter()
        .map(|b| b.values.msp_id.clone().unwrap_or_else(|| CHART_MSP_ID.to_string()))
        .collect()
}

fn path_of(b: &Backend<'_>) -> String {
    shown(&b.values.doc.path)
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

fn str_at(doc: &Doc, path: &[&str]) -> Option<String> {
    match doc.get(path)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A flag as a Helm template's `if` reads it; absent or null: the chart's default.
fn flag_at(doc: &Doc, path: &[&str], default: bool) -> bool {
    match doc.get(path) {
        None | Some(Value::Null) => default,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::Array(v)) => !v.is_empty(),
        Some(Value::Object(m)) => !m.is_empty(),
    }
}

/// The channel names of a backend: the keys of `orchestrator.channels`; None when the file
/// does not set the list (the chart's `mychannel` then applies).
fn backend_channels(doc: &Doc) -> Option<Vec<String>> {
    let list = doc.get(&["orchestrator", "channels"])?;
    let items = match list {
        Value::Array(items) => items,
        _ => return Some(Vec::new()),
    };
    let mut names = Vec::new();
    for item in items {
        match item {
            Value::Object(map) => names.extend(map.keys().cloned()),
            Value::String(s) => names.push(s.clone()),
            _ => {}
        }
    }
    Some(names)
}

fn identity(a: &Audit<'_>, out: &mut Vec<Check>) {
    // MSP IDs: set, valid, distinct.
    let mut by_id: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for b in a.backends {
        if let Some(id) = &b.values.msp_id {
            by_id.entry(id.clone()).or_default().push(b.org);
        }
    }
    for b in a.backends {
        let name = format!("{} mspID", b.org);
        let file = path_of(b);
        let set_it = format!("set orchestrator.mspID in {file} to {}'s MSP ID", b.org);
        let Some(id) = &b.values.msp_id else {
            out.push(Check::failure(
                IDENTITY,
                name,
                format!(
                    "orchestrator.mspID is not set: the chart's default {CHART_MSP_ID} applies"
                ),
                set_it,
            ));
            continue;
        };
        let others: Vec<&str> =
            by_id.get(id).into_iter().flatten().copied().filter(|o| *o != b.org).collect();
        if let Err(e) = mesh::validate_name(id) {
            out.push(Check::failure(IDENTITY, name, format!("orchestrator.mspID: {e}"), set_it));
        } else if !others.is_empty() {
            let mut detail =
                format!("{id}, as {}: each organization needs its own", others.join(", "));
            if id == CHART_MSP_ID {
                detail.push_str(&format!(" ({CHART_MSP_ID} is the chart's default)"));
            }
            out.push(Check::failure(IDENTITY, name, detail, set_it));
        } else if id == CHART_MSP_ID {
            out.push(Check::warning(
                IDENTITY,
                name,
                format!("{id} is the chart's default: is it really {}'s MSP ID?", b.org),
                set_it,
            ));
        } else {
            out.push(Check::ok(IDENTITY, name, id.clone()));
        }
    }

    // organizationName: not the chart's default in several files, and distinct.
    let org_name = |b: &Backend<'_>| {
        str_at(&b.values.doc, &["organizationName"])
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| CHART_ORG_NAME.to_string())
    };
    let mut by_name: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for b in a.backends {
        by_name.entry(org_name(b)).or_default().push(b.org);
    }
    for b in a.backends {
        let name = org_name(b);
        let check = format!("{} organizationName", b.org);
        let others: Vec<&str> =
            by_name.get(&name).into_iter().flatten().copied().filter(|o| *o != b.org).collect();
        if others.is_empty() {
            out.push(Check::ok(IDENTITY, check, name));
            continue;
        }
        let default = if name == CHART_ORG_NAME { " (the chart's default)" } else { "" };
        out.push(Check::failure(
            IDENTITY,
            check,
            format!("{name}{default}, as {}", others.join(", ")),
            format!("set organizationName in {} to {}'s own name", path_of(b), b.org),
        ));
    }

    // The chart's channel left beside the real one.
    for b in a.backends {
        let check = format!("{} channels", b.org);
        match backend_channels(&b.values.doc) {
            None => out.push(Check::warning(
                IDENTITY,
                check,
                format!(
                    "orchestrator.channels is not set: the chart's default {CHART_CHANNEL} applies"
                ),
                format!("list the organizations' channel: {}", a.link_channel("NAME")),
            )),
            Some(list) if list.is_empty() => out.push(Check::warning(
                IDENTITY,
                check,
                "orchestrator.channels lists no channel",
                format!("list the organizations' channel: {}", a.link_channel("NAME")),
            )),
            Some(list) if list.len() > 1 && list.iter().any(|c| c == CHART_CHANNEL) => {
                let real: Vec<&str> =
                    list.iter().map(String::as_str).filter(|c| *c != CHART_CHANNEL).collect();
                out.push(Check::warning(
                    IDENTITY,
                    check,
                    format!(
                        "{CHART_CHANNEL} (the chart's default) is still listed beside {}",
                        real.join(", ")
                    ),
                    format!(
                        "remove the {CHART_CHANNEL} entry of orchestrator.channels in {}",
                        path_of(b)
                    ),
                ));
            }
            Some(list) => out.push(Check::ok(IDENTITY, check, list.join(", "))),
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
    let example = |org: &str| format!("http://api.{org}.example:80");
    let mut announced: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for b in a.backends {
        let check = format!("{} defaultDomain", b.org);
        let file = path_of(b);
        let set_it = |what: &str| {
            format!("set server.defaultDomain in {file} to {what} (e.g. {})", example(b.org))
        };
        let domain = str_at(&b.values.doc, &["server", "defaultDomain"]).filter(|s| !s.is_empty());
        let Some(domain) = domain else {
            out.push(Check::failure(
                ADDRESSES,
                check,
                format!(
                    "server.defaultDomain is not set: the chart's default {CHART_DEFAULT_DOMAIN} \
                     is announced, which no other organization can reach"
                ),
                set_it("the address the other organizations reach this backend at"),
            ));
            continue;
        };
        let lower = domain.to_ascii_lowercase();
        let host = host_of(&lower);
        if host == CHART_DEFAULT_DOMAIN || host == "127.0.0.1" || host == "::1" {
            out.push(Check::failure(
                ADDRESSES,
                check,
                format!("{domain} is this machine ({CHART_DEFAULT_DOMAIN} is the chart's default)"),
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
        announced.entry(host).or_default().push(b.org);
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

/// The orchestrator's channels: name -> member MSP IDs.
pub fn orchestrator_channels(doc: &Doc) -> BTreeMap<String, BTreeSet<String>> {
    let mut channels = BTreeMap::new();
    let Some(Value::Array(items)) = doc.get(&["channels"]) else { return channels };
    for item in items {
        let Some(name) = item.get("name").and_then(Value::as_str) else { continue };
        let members: BTreeSet<String> = match item.get("organizations") {
            Some(Value::Array(orgs)) => {
                orgs.iter().filter_map(Value::as_str).map(str::to_string).collect()
            }
            _ => BTreeSet::new(),
        };
        channels.entry(name.to_string()).or_insert_with(BTreeSet::new).extend(members);
    }
    channels
}

/// The orchestrator's public host name when its ingress is on and names one.
fn ingress_host(doc: &Doc) -> Option<String> {
    if !flag_at(doc, &["ingress", "enabled"], false) {
        return None;
    }
    str_at(doc, &["ingress", "hostname"]).filter(|h| !h.is_empty())
}

fn orchestrator(a: &Audit<'_>, doc: &Doc, ids: &[String], out: &mut Vec<Check>) {
    let file = shown(&doc.path);
    out.push(Check::ok(ORCHESTRATOR, "file", file.clone()));
    if !flag_at(doc, &["ingress", "enabled"], false) {
        out.push(Check::ok(
            ORCHESTRATOR,
            "ingress",
            "disabled (ingress.enabled is not true): backends reach the orchestrator another way",
        ));
    } else if let Some(host) = ingress_host(doc) {
        out.push(Check::ok(ORCHESTRATOR, "ingress", format!("enabled, hostname {host}")));
    } else {
        out.push(Check::failure(
            ORCHESTRATOR,
            "ingress",
            "enabled, but ingress.hostname is empty: the ingress has no host to route",
            format!("set ingress.hostname in {file} to the orchestrator's public host name"),
        ));
    }

    let channels = orchestrator_channels(doc);
    let mut used: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, b) in a.backends.iter().enumerate() {
        let id = &ids[i];
        let list = backend_channels(&b.values.doc).unwrap_or_else(|| vec![CHART_CHANNEL.into()]);
        for channel in &list {
            let check = format!("{} in {channel}", b.org);
            let leftover = channel == CHART_CHANNEL && list.len() > 1;
            let hint = if leftover {
                format!(
                    "remove the {CHART_CHANNEL} entry of orchestrator.channels in {}",
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
            let check = format!("{} + {}", bi.org, bj.org);
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

/// True for the in-cluster names of the orchestrator's Service.
fn is_service_name(host: &str) -> bool {
    host.ends_with(".svc") || host.ends_with(".svc.cluster.local") || !host.contains('.')
}

fn tls(a: &Audit<'_>, doc: &Doc, ids: &[String], out: &mut Vec<Check>) {
    let file = shown(&doc.path);
    let tls_on = flag_at(doc, &["orchestrator", "tls", "enabled"], false);
    let mtls_on = tls_on && flag_at(doc, &["orchestrator", "tls", "mtls", "enabled"], false);
    let verify = flag_at(doc, &["orchestrator", "verifyClientMSPID"], false);
    let on_off = |b: bool| if b { "on" } else { "off" };
    let ingress = ingress_host(doc);
    let service_port = str_at(doc, &["service", "port"]).unwrap_or_else(|| "9000".into());
    let (port, scheme) = if tls_on { ("443", "TLS") } else { ("80", "plaintext") };

    for (i, b) in a.backends.iter().enumerate() {
        let bdoc = &b.values.doc;
        let bfile = path_of(b);

        // Where the backend dials.
        let check = format!("{} address", b.org);
        let host = str_at(bdoc, &["orchestrator", "host"]).filter(|h| !h.is_empty());
        let bport = str_at(bdoc, &["orchestrator", "port"])
            .unwrap_or_else(|| CHART_ORCHESTRATOR_PORT.to_string());
        let target = ingress.clone().unwrap_or_else(|| "ORCHESTRATOR-HOST".into());
        let set_it = format!(
            "set orchestrator.host: {target} and orchestrator.port: {port} in {bfile} \
             ({scheme} goes through the ingress on {port})"
        );
        match host.as_deref() {
            None | Some(CHART_ORCHESTRATOR_HOST) => out.push(Check::failure(
                TLS,
                check,
                format!(
                    "{CHART_ORCHESTRATOR_HOST}:{bport} is the chart's default, not the orchestrator"
                ),
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
        let check = format!("{} tls", b.org);
        let b_tls = flag_at(bdoc, &["orchestrator", "tls", "enabled"], false);
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

        let check = format!("{} mtls", b.org);
        let b_mtls = flag_at(bdoc, &["orchestrator", "tls", "mtls", "enabled"], false);
        if !tls_on {
            out.push(Check::skipped(TLS, check, format!("TLS is off in {file}")));
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
        let keys: Vec<String> = match doc.get(&["orchestrator", "tls", "mtls", "clientCACerts"]) {
            Some(Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        };
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

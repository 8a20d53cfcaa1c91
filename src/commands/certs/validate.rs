//! The checks `certs gen` makes on its arguments before it touches any file: server names,
//! MSP IDs, validity periods, the CA's name, namespaces, and the --out and --values-dir
//! directories. A bad argument is an input error (exit 2), found while nothing has changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::{input, key_alg, GenOptions};
use crate::error::hints;
use crate::error::Explained;
use crate::kube;
use crate::pki::leaf::{self, Name};
use crate::pki::KeyAlg;
use crate::workspace;

/// A client certificate to make.
#[derive(Debug, Clone)]
pub(super) struct OrgSpec {
    pub mspid: String,
    pub cn: String,
}

/// What flows from one step of `certs gen` to the next: the arguments and what was read from
/// them once they were checked.
pub(super) struct GenPlan<'a> {
    pub args: &'a GenOptions,
    pub now: OffsetDateTime,
    pub alg: KeyAlg,
    /// The server certificate's names; none when no server certificate is made.
    pub names: Vec<Name>,
    pub orgs: Vec<OrgSpec>,
    /// The namespace of each MSP ID's backend manifest, where it is not --backend-namespace.
    pub backend_namespaces: BTreeMap<String, String>,
}

/// The longest validity `certs gen` makes: 100 years.
pub const MAX_DAYS: u32 = 36_500;

/// Checks every argument of `certs gen`, so that a mistake stops the run before --out is made
/// or locked; returns what the later steps need.
pub(super) fn validate(args: &GenOptions, now: OffsetDateTime) -> anyhow::Result<GenPlan<'_>> {
    let alg = key_alg(args.key_type);
    let names = server_names(args)?;
    let orgs = parse_orgs(&args.orgs)?;
    if names.is_empty() && orgs.is_empty() {
        return Err(Explained::input("nothing to make").hint(hints::NOTHING_TO_MAKE).into());
    }
    check_days("--days", args.days, now)?;
    check_days("--ca-days", args.ca_days, now)?;
    if args.ca_cn.trim().is_empty() {
        return Err(Explained::input("--ca-cn is empty: a CA needs a common name")
            .hint(hints::CA_CN)
            .into());
    }
    if let Some(ns) = args.namespace.as_deref() {
        if !kube::valid_namespace(ns) {
            return Err(input(format!(
                "--namespace {ns}: a namespace is lowercase letters, digits and '-', at most 63 characters"
            )));
        }
    }
    if let Some(ns) = args.backend_namespace.as_deref() {
        if !kube::valid_namespace(ns) {
            return Err(input(format!(
                "--backend-namespace {ns}: a namespace is lowercase letters, digits and '-', at most 63 characters"
            )));
        }
    }
    check_dirs(args)?;
    Ok(GenPlan { args, now, alg, names, orgs, backend_namespaces: Default::default() })
}

/// --out must be a directory (or be creatable) that can be written, and --values-dir must
/// exist: both are locked and written later, so their problems are found first.
fn check_dirs(args: &GenOptions) -> anyhow::Result<()> {
    let out = &args.out;
    if out.exists() && !out.is_dir() {
        return Err(input(format!("--out {}: not a directory", out.display())));
    }
    let writable_dir = existing_ancestor(out);
    workspace::check_writable(&writable_dir).map_err(|e| {
        Explained::input(format!("--out {}: {e}", out.display())).hint(hints::OUT_UNWRITABLE)
    })?;
    if let Some(dir) = &args.values_dir {
        if !dir.is_dir() {
            return Err(input(format!("--values-dir {}: not a directory", dir.display())));
        }
    }
    Ok(())
}

/// The client certificates of the --org flags (`MSPID` or `MSPID=HOST`), each MSP ID once and
/// none whose files would be the CA's or the server's.
fn parse_orgs(specs: &[String]) -> anyhow::Result<Vec<OrgSpec>> {
    let mut seen = BTreeSet::new();
    let mut orgs = Vec::new();
    for spec in specs {
        let (mspid, host) = match spec.split_once('=') {
            Some((id, host)) => (id.to_string(), Some(host)),
            None => (spec.clone(), None),
        };
        leaf::check_mspid(&mspid)?;
        if mspid == "orchestrator-ca" || mspid == "orchestrator-tls" {
            return Err(Explained::input(format!(
                "--org {mspid}: its files would be the CA's or the server's; pick another MSP ID"
            ))
            .into());
        }
        let cn = match host {
            Some(h) => match Name::parse(h)? {
                Name::Dns(n) => n,
                Name::Ip(ip) => ip.to_string(),
            },
            None => mspid.clone(),
        };
        if !seen.insert(mspid.clone()) {
            return Err(input(format!("--org {mspid} is given twice")));
        }
        orgs.push(OrgSpec { mspid, cn });
    }
    Ok(orgs)
}

/// The server certificate's names from --host, --san and --service, in that order and each
/// once; the first becomes the common name, so it must fit in one.
fn server_names(args: &GenOptions) -> anyhow::Result<Vec<Name>> {
    names_of(&args.hosts, &args.sans, &args.services)
}

/// The server certificate's names from --host, --san and --service (see [`server_names`]).
pub(super) fn names_of(
    hosts: &[String],
    sans: &[String],
    services: &[String],
) -> anyhow::Result<Vec<Name>> {
    let mut names: Vec<Name> = Vec::new();
    let mut push = |n: Name| {
        if !names.contains(&n) {
            names.push(n);
        }
    };
    for h in hosts {
        push(Name::parse(h)?);
    }
    for s in sans {
        push(Name::parse(s)?);
    }
    for svc in services {
        for n in leaf::service_names(svc)? {
            push(n);
        }
    }
    if let Some(Name::Dns(first)) = names.first() {
        if first.len() > 64 {
            return Err(Explained::input(format!(
                "--host {first}: a common name holds at most 64 characters"
            ))
            .hint(hints::SHORTER_HOST)
            .into());
        }
    }
    Ok(names)
}

/// A validity in days: 1 to [`MAX_DAYS`], and ending by the year 9999 (the last a certificate
/// can hold).
pub(super) fn check_days(flag: &str, days: u32, now: OffsetDateTime) -> anyhow::Result<()> {
    if days == 0 || days > MAX_DAYS {
        return Err(Explained::input(format!(
            "{flag} {days} is out of range: give 1 to {MAX_DAYS} days (100 years)"
        ))
        .into());
    }
    let end = now.checked_add(time::Duration::days(i64::from(days)));
    if end.is_none_or(|end| end.year() > 9999) {
        return Err(Explained::input(format!(
            "{flag} {days} ends after the year 9999, the last date a certificate can hold"
        ))
        .into());
    }
    Ok(())
}

/// The nearest existing directory at or above `dir`, where a missing --out would be created.
fn existing_ancestor(dir: &Path) -> PathBuf {
    let mut d = dir.to_path_buf();
    loop {
        if d.as_os_str().is_empty() {
            return PathBuf::from(".");
        }
        if d.exists() {
            return d;
        }
        match d.parent() {
            Some(p) => d = p.to_path_buf(),
            None => return PathBuf::from("."),
        }
    }
}

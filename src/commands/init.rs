//! `substractl init`: a whole deployment of several organizations in one change set.
//!
//! The answers (flags, prompts or defaults) become the orchestrator's and every backend's
//! values, every pair linked by [`crate::deployment::pairs::plan`], the certificates and manifests of
//! [`super::certs::stage`], a `helmfile.yaml` and a `NEXT-STEPS.md`. Everything is decided in
//! memory, under the directory's lock, and written in one commit of the workspace, so a second
//! run on the same directory keeps the CA, the certificates, every secret and every value an
//! operator changed (and says which of those differ from what it would write), and adds only
//! the organizations that are new.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;
use time::OffsetDateTime;

use super::certs::{self, ORCHESTRATOR_VALUES, SECRETS};
use crate::cli::InitArgs;
use crate::deployment::accounts::move_credentials;
use crate::deployment::pairs::{self, Planned};
use crate::deployment::Store;
use crate::error::hints;
use crate::error::Explained;
use crate::kube::{self, Release};
use crate::output::init::{ask_text, ask_yes};
use crate::output::Printer;
use crate::report::init::{InitOrg, InitReport, KeptValue, NEXT_STEPS, ORCHESTRATOR};
use crate::report::link::PairReport;
use crate::report::link::{FileReport, FileStatus};
use crate::values::cst;
use crate::values::documents::OneOf;
use crate::values::edit::{self, keys, Seg};
use crate::values::{Doc, ValuesError};
use crate::workspace::{
    self, Change, ChangeSet, Lock, MadeDirs, Workspace, WsError, DEFAULT_PATTERN, PUBLIC_MODE,
    SECRET_MODE,
};

/// Each organization's backend release (in its own namespace).
pub const BACKEND_RELEASE: &str = "backend";
pub const HELMFILE: &str = "helmfile.yaml";
/// What a dry run shows of a file that holds a private key.
const KEY_NOT_SHOWN: &str = "(private key, not shown)";

/// The deployment asked for, every question answered.
#[derive(Debug, Clone)]
pub struct Answers {
    pub orgs: Vec<String>,
    pub channels: Vec<String>,
    /// Whether `--channel` named the channels (else: a deployment's own, or the default).
    pub channels_given: bool,
    pub backend_address: String,
    pub orchestrator_host: String,
    pub tls: bool,
    pub mtls: bool,
    /// TLS and mTLS as the flags say (None: not given), and whether --backend-address was
    /// given: a deployment's own choices hold where no flag is given.
    pub tls_flag: Option<bool>,
    pub mtls_flag: Option<bool>,
    pub address_given: bool,
    /// Kube context by organization, and by [`ORCHESTRATOR`] for the orchestrator's.
    pub contexts: BTreeMap<String, String>,
    /// Namespace by organization (and [`ORCHESTRATOR`]) where a kept helmfile.yaml deploys
    /// the release elsewhere than init's own namespace.
    pub namespaces: BTreeMap<String, String>,
    pub out: PathBuf,
}

impl Answers {
    fn context(&self, who: &str) -> String {
        self.contexts.get(who).cloned().unwrap_or_else(|| who.to_string())
    }

    /// Where the release of `who` (an organization or [`ORCHESTRATOR`]) is deployed: the
    /// namespace helmfile.yaml keeps, else init's own.
    fn namespace(&self, who: &str) -> String {
        self.namespaces.get(who).cloned().unwrap_or_else(|| {
            if who == ORCHESTRATOR {
                ORCHESTRATOR.to_string()
            } else {
                namespace_of(who)
            }
        })
    }
}

// The questions of `init` and their defaults, asked on a terminal by [`ask`] for what no flag
// answered.

pub const DEFAULT_ORGS: [&str; 2] = ["ingen", "biotechnica"];
pub const DEFAULT_CHANNEL: &str = "our-channel";
pub const DEFAULT_TLS_ADDRESS: &str = "https://api.{org}.example.com";
pub const DEFAULT_PLAIN_ADDRESS: &str = "http://api.{org}.example.com:80";
pub const DEFAULT_HOST: &str = "orchestrator.example.com";
pub const DEFAULT_OUT: &str = "substra-deployment";
/// TLS as the flags say: None when neither `--tls` nor `--no-tls` was given.
pub fn tls_flag(args: &InitArgs) -> Option<bool> {
    (args.tls || args.no_tls).then_some(args.tls)
}

/// mTLS as the flags say: None when neither `--mtls` nor `--no-mtls` was given.
pub fn mtls_flag(args: &InitArgs) -> Option<bool> {
    (args.mtls || args.no_mtls).then_some(args.mtls)
}

/// The `--context` flags as a map; `ORG=CONTEXT` each.
pub fn contexts_of(args: &InitArgs) -> anyhow::Result<BTreeMap<String, String>> {
    let mut map = BTreeMap::new();
    for c in &args.contexts {
        let Some((who, ctx)) = c.split_once('=').filter(|(w, c)| !w.is_empty() && !c.is_empty())
        else {
            return Err(Explained::input(format!("--context {c}: expected ORG=CONTEXT"))
                .hint(hints::CONTEXT_FORM)
                .into());
        };
        if let Some(problem) = kube::context_problem(ctx) {
            return Err(Explained::input(format!("--context {c}: {problem}"))
                .hint(hints::CONTEXT_FORM)
                .into());
        }
        map.insert(who.to_string(), ctx.to_string());
    }
    Ok(map)
}

/// Asks every question no flag answered, each with its default, and returns the arguments
/// with every answer filled in.
pub fn ask(mut args: InitArgs) -> anyhow::Result<InitArgs> {
    if args.orgs.is_empty() {
        let answer = ask_text("Organizations (separated by spaces)", DEFAULT_ORGS.join(" "))?;
        args.orgs = answer.split_whitespace().map(String::from).collect();
    }
    if args.channels.is_empty() {
        let answer = ask_text("Channels (separated by spaces)", DEFAULT_CHANNEL.into())?;
        args.channels = answer.split_whitespace().map(String::from).collect();
    }
    if args.orchestrator_host.is_none() {
        args.orchestrator_host = Some(ask_text("Orchestrator's host name", DEFAULT_HOST.into())?);
    }
    let tls = match tls_flag(&args) {
        Some(t) => t,
        None => ask_yes("TLS between the backends and the orchestrator?", true)?,
    };
    (args.tls, args.no_tls) = (tls, !tls);
    let mtls = match mtls_flag(&args) {
        Some(m) => m,
        None if tls => ask_yes("Mutual TLS (a client certificate per backend)?", true)?,
        None => false,
    };
    (args.mtls, args.no_mtls) = (mtls, !mtls);
    if args.backend_address.is_none() {
        let default = if tls { DEFAULT_TLS_ADDRESS } else { DEFAULT_PLAIN_ADDRESS };
        args.backend_address =
            Some(ask_text("Backends' addresses ({org} is each organization)", default.into())?);
    }
    let given = contexts_of(&args)?;
    let orgs = args.orgs.clone();
    for who in orgs.iter().map(String::as_str).chain([ORCHESTRATOR]) {
        if !given.contains_key(who) {
            let prompt = if who == ORCHESTRATOR {
                "Kube context of the orchestrator's cluster".to_string()
            } else {
                format!("Kube context of {}'s cluster", crate::output::Esc(who))
            };
            let ctx = ask_text(&prompt, who.to_string())?;
            args.contexts.push(format!("{who}={ctx}"));
        }
    }
    if args.out.is_none() {
        args.out = Some(PathBuf::from(ask_text("Output directory", DEFAULT_OUT.into())?));
    }
    Ok(args)
}

/// The namespace of an organization's backend.
pub fn namespace_of(org: &str) -> String {
    format!("org-{}", org.to_ascii_lowercase())
}

/// The flags a run without a terminal and without --yes must be given: each question that
/// no flag answers.
pub fn missing_flags(args: &InitArgs) -> Vec<String> {
    let mut missing = Vec::new();
    if args.orgs.is_empty() {
        missing.push("ORG... (the organizations, as arguments)".to_string());
    }
    if args.channels.is_empty() {
        missing.push("--channel".into());
    }
    if args.backend_address.is_none() {
        missing.push("--backend-address".into());
    }
    if args.orchestrator_host.is_none() {
        missing.push("--orchestrator-host".into());
    }
    match tls_flag(args) {
        None => missing.push("--tls or --no-tls".into()),
        Some(true) if mtls_flag(args).is_none() => missing.push("--mtls or --no-mtls".into()),
        Some(_) => {}
    }
    let given = contexts_of(args).unwrap_or_default();
    let lacking: Vec<&str> = args
        .orgs
        .iter()
        .map(String::as_str)
        .chain([ORCHESTRATOR])
        .filter(|o| !given.contains_key(*o))
        .collect();
    if !lacking.is_empty() {
        missing.push(format!("--context ORG=CONTEXT (for {})", lacking.join(", ")));
    }
    if args.out.is_none() {
        missing.push("--out".into());
    }
    missing
}

/// Refuses a run that would have to ask without a terminal to ask on.
pub fn require_flags(args: &InitArgs) -> anyhow::Result<()> {
    let missing = missing_flags(args);
    if missing.is_empty() {
        return Ok(());
    }
    Err(Explained::input(format!(
        "init asks its questions only on a terminal; without one, give {}",
        missing.join(", ")
    ))
    .hint(hints::INIT_PASS_YES)
    .into())
}

/// Each organization's name can name its files, its MSP ID and its namespace `org-<org>`.
fn check_orgs(orgs: &[String]) -> anyhow::Result<()> {
    pairs::check_names(orgs)?;
    for org in orgs {
        crate::pki::leaf::check_mspid(org)?;
        if org == ORCHESTRATOR || !kube::valid_namespace(&namespace_of(org)) {
            return Err(Explained::input(format!(
                "organization {org:?} cannot name a namespace org-{org}"
            ))
            .hint(hints::INIT_NAMESPACE_NAME)
            .into());
        }
    }
    Ok(())
}

/// The answers of the flags, defaults for the rest; checked.
pub fn answers(args: &InitArgs) -> anyhow::Result<Answers> {
    // Without names, the organizations are the directory's, or the defaults in an empty one:
    // decided under the directory's lock (see [`settle`]).
    let orgs: Vec<String> = if args.orgs.is_empty() {
        DEFAULT_ORGS.iter().map(|o| o.to_string()).collect()
    } else {
        args.orgs.clone()
    };
    pairs::check_names(&orgs)?;
    let orgs = if args.orgs.is_empty() { Vec::new() } else { orgs };
    check_orgs(&orgs)?;
    let mut channels: Vec<String> = if args.channels.is_empty() {
        vec![DEFAULT_CHANNEL.to_string()]
    } else {
        args.channels.clone()
    };
    // A channel named twice is one channel (its first place kept).
    let mut named = std::collections::HashSet::new();
    channels.retain(|c| named.insert(c.clone()));
    for c in &channels {
        pairs::check_channel(c)?;
    }
    // The chart versions go into the helm and helmfile commands of NEXT-STEPS.md.
    for (flag, version) in [
        ("--backend-chart-version", &args.backend_chart_version),
        ("--orchestrator-chart-version", &args.orchestrator_chart_version),
    ] {
        if let Some(why) = kube::command_text_problem(version) {
            return Err(Explained::input(format!("{flag} {version:?}: {why}")).into());
        }
    }
    let tls = tls_flag(args).unwrap_or(true);
    let mtls = mtls_flag(args).unwrap_or(tls);
    if mtls && !tls {
        return Err(Explained::input("--mtls needs TLS: drop --no-tls or pass --no-mtls").into());
    }
    let backend_address = args.backend_address.clone().unwrap_or_else(|| {
        if tls { DEFAULT_TLS_ADDRESS } else { DEFAULT_PLAIN_ADDRESS }.to_string()
    });
    check_backend_address(&backend_address, &orgs).map_err(|why| {
        Explained::input(format!("--backend-address {backend_address:?}: {why}"))
            .hint(hints::INIT_BACKEND_ADDRESS)
    })?;
    let orchestrator_host =
        args.orchestrator_host.clone().unwrap_or_else(|| DEFAULT_HOST.to_string());
    match crate::pki::leaf::Name::parse(&orchestrator_host) {
        Err(e) => {
            return Err(
                Explained::input(format!("--orchestrator-host {orchestrator_host:?}: {e}")).into()
            )
        }
        Ok(crate::pki::leaf::Name::Dns(d)) if d.starts_with("*.") => {
            return Err(Explained::input(format!(
                "--orchestrator-host {orchestrator_host:?}: a wildcard is no host to dial: give \
                 the one name the backends reach the orchestrator at"
            ))
            .into())
        }
        Ok(_) => {}
    }
    let contexts = contexts_of(args)?;
    Ok(Answers {
        orgs,
        channels,
        channels_given: !args.channels.is_empty(),
        backend_address,
        orchestrator_host,
        tls,
        mtls,
        tls_flag: tls_flag(args),
        mtls_flag: mtls_flag(args),
        address_given: args.backend_address.is_some(),
        contexts,
        namespaces: BTreeMap::new(),
        out: args.out.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_OUT)),
    })
}

pub fn run(args: InitArgs, printer: &Printer) -> anyhow::Result<InitReport> {
    let a = answers(&args)?;
    if a.out.exists() && !a.out.is_dir() {
        return Err(Explained::input(format!("--out {}: not a directory", a.out.display())).into());
    }
    let made = if !a.out.is_dir() && !args.dry_run {
        MadeDirs::make(&a.out).map_err(|e| {
            Explained::input(format!("cannot create directory {}: {e}", a.out.display()))
        })?
    } else {
        MadeDirs::none()
    };
    let result = init(&a, &args, printer);
    if result.is_err() {
        made.undo();
    }
    result
}

fn init(a: &Answers, args: &InitArgs, printer: &Printer) -> anyhow::Result<InitReport> {
    let ws = Workspace::new(&a.out, DEFAULT_PATTERN)?;
    let orchestrator_path = ws.file(Path::new(ORCHESTRATOR_VALUES));
    let helmfile_path = ws.file(Path::new(HELMFILE));
    let next_path = ws.file(Path::new(NEXT_STEPS));
    let fixed = [orchestrator_path.clone(), helmfile_path.clone(), next_path.clone()];
    // The lock comes first: the organizations the directory holds, its earlier answers and
    // its certificates are read under it, so that a run that waited sees what the one before
    // it wrote.
    let (lock, existing) = lock_and_discover(&ws, &fixed, printer)?;
    let a = &settle(a, &existing, &orchestrator_path)?;
    // The directory's organizations in the order its helmfile.yaml deploys them (the order
    // of the run that made them), then the new ones: a run again changes no order.
    let mut orgs = in_release_order(&ws, &helmfile_path, &existing)?;
    orgs.extend(a.orgs.iter().filter(|o| !existing.contains(o)).cloned());
    let mut touched: Vec<PathBuf> = orgs.iter().map(|o| ws.path_of(o)).collect();
    touched.extend(fixed);
    let mut warnings: Vec<String> = Vec::new();
    let mut keep = Keeper::default();
    let a = &with_earlier_releases(a, &ws, &helmfile_path, &orgs)?;

    // Values and links, edited in memory.
    let new_text = |org: &str| new_backend_text(a, org);
    // A file without an MSP ID gets its organization's name, which the pairs are made with.
    let name_it = |f: &mut pairs::BackendFile| {
        Keeper::put_quietly(&mut f.values.doc, &["orchestrator", "mspID"], f.name.clone().into())
    };
    // Two organizations the directory held before this run stay as they are: linked, or
    // unlinked (by `unlink`); only a pair with a new organization is made.
    let held =
        |a: &str, b: &str| existing.iter().any(|o| o == a) && existing.iter().any(|o| o == b);
    let Planned { mut files, links, plans } =
        pairs::plan_prepared(&ws, &orgs, &new_text, &name_it, &held, &|m| printer.warn(m))?;
    let msp_ids: Vec<String> = links.iter().map(|l| l.msp_id.clone()).collect();
    for f in &mut files {
        backend_values(&mut f.values.doc, a, &f.name, &mut keep)?;
    }
    let mut orchestrator = Doc::parse(&orchestrator_path, workspace::read(&orchestrator_path)?)?;
    let original = orchestrator.text.clone();
    if !orchestrator.exists {
        orchestrator = Doc::from_text(&orchestrator_path, orchestrator_header(), false)?;
    }
    // A channel the deployment has keeps its members: new organizations join it, and so does
    // one whose file lists no channel, or one that only one side lists (its own file or the
    // orchestrator's), as a pair one side lists is repaired. One that neither lists was taken
    // out, and stays out. A channel the deployment does not have yet is made with every
    // organization.
    let before = crate::deployment::Orchestrator::of(&orchestrator)?;
    let own: Vec<Option<Vec<String>>> = files
        .iter()
        .map(|f| {
            let v = &f.view;
            (!v.channels_from_chart && !v.channels.is_empty()).then(|| v.channels.clone())
        })
        .collect();
    for channel in &a.channels {
        let listed = before.channel(channel);
        let mut members = Vec::new();
        for ((f, l), own) in files.iter_mut().zip(&links).zip(&own) {
            let either_lists = own.as_ref().is_none_or(|o| o.contains(channel))
                || listed.is_some_and(|c| c.organizations.contains(&l.msp_id));
            if listed.is_none() || either_lists || !existing.contains(&f.name) {
                pairs::add_backend_channel(&mut f.values.doc, channel)?;
                members.push(l.msp_id.clone());
            } else if let Some(c) =
                listed.filter(|c| a.channels_given && !c.organizations.contains(&l.msp_id))
            {
                let with: Vec<String> =
                    c.organizations.iter().chain([&l.msp_id]).cloned().collect();
                keep.note(
                    &orchestrator.path,
                    format!("channels {channel}"),
                    &Value::from(c.organizations.clone()),
                    &Value::from(with),
                );
            }
        }
        orchestrator = pairs::add_orchestrator_channel(orchestrator, channel, &members)?.0;
    }
    orchestrator_values(&mut orchestrator, a, &msp_ids, &mut keep)?;
    if a.mtls {
        // Named with the file that was there, else by the MSP ID alone.
        let ids: Vec<&str> = msp_ids.iter().map(String::as_str).collect();
        if !original.is_empty() {
            crate::deployment::check_client_ca_volumes(&orchestrator, &ids)?;
        } else if let Some(why) = crate::deployment::client_ca_volume_problem(&orchestrator, &ids) {
            return Err(Explained::input(why).into());
        }
    }
    let mut accounts: BTreeMap<String, String> = BTreeMap::new();
    for f in &mut files {
        if let (Some(pattern), Store::Values) = (&args.existing_secret, &f.store) {
            move_credentials(f, pattern, Some(&a.namespace(&f.name)))?;
        }
        if let Store::Manifest(m) = &mut f.store {
            // A kept manifest that names a namespace names the one its release is deployed in.
            if m.namespace.is_some() {
                m.namespace = Some(a.namespace(&f.name));
            }
            let file = m.path.file_name().map(|n| n.to_string_lossy().into_owned());
            accounts.insert(f.name.clone(), file.unwrap_or_default());
        }
    }
    let mut set = ChangeSet::new();
    pairs::stage(&mut set, &files, vec![(orchestrator, original)])?;
    let pairs = PairReport::all(&links, &plans);

    // Certificates and manifests, through the steps of `certs gen`.
    let mut ca = None;
    let mut manifests: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if a.tls {
        check_kept_pki(a, &msp_ids)?;
        let (created, ca_pem, staged_warnings) = stage_certs(a, args, &orgs, &msp_ids, &mut set)?;
        warnings.extend(staged_warnings);
        ca = Some(if created { "created" } else { "reused" });
        manifests = manifest_files(a, &msp_ids, &orgs, &ca_pem, &mut set)?;
        renamespace_manifests(a, &manifests, &mut set)?;
    }

    // helmfile.yaml, edited (its other releases and keys keep their bytes), and
    // NEXT-STEPS.md, made again from the whole deployment each run.
    let values: Vec<PathBuf> = files.iter().map(|f| f.doc().path.clone()).collect();
    let wanted = releases(a, args, &orgs, &values);
    let (helmfile, releases) = edit_helmfile(&helmfile_path, wanted, &mut keep, &mut warnings)?;
    // Every command deploys a cluster's objects where helmfile.yaml deploys its release.
    let a = &with_release_placement(a, &orgs, &releases);
    let steps = next_steps(a, &orgs, &releases, &manifests, &accounts);
    for (path, text) in [(&helmfile_path, helmfile), (&next_path, next_steps_text(&orgs, &steps))] {
        set.add(Change {
            path: path.clone(),
            before: workspace::read(path)?,
            after: text.into_bytes(),
            new_mode: PUBLIC_MODE,
            private: false,
        });
    }

    // One commit, or the diffs of a dry run.
    // Read only in a dry run, for the diffs.
    let mut labels = None;
    let mut reports = super::commit_or_show(
        &set,
        &lock,
        args.dry_run,
        |change, path, diff| {
            let manifest =
                files.iter().any(|f| matches!(&f.store, Store::Manifest(m) if m.path == path));
            if change.private && !manifest {
                format!(
                    "--- a/{p}\n+++ b/{p}\n{KEY_NOT_SHOWN}\n",
                    p = crate::shell::one_line_path(path)
                )
            } else {
                pairs::masked_diff(
                    change,
                    &diff,
                    &files,
                    &plans,
                    labels.get_or_insert_with(|| pairs::SecretLabels::new(set.changes())),
                )
            }
        },
        |_| {},
    )?;
    for path in
        files.iter().map(|f| f.doc().path.clone()).chain(touched.into_iter().skip(orgs.len()))
    {
        if !set.touches(&path) && !reports.iter().any(|r| r.path == path) {
            reports.push(FileReport {
                path,
                status: FileStatus::Unchanged,
                mode: None,
                diff: None,
            });
        }
    }
    let organizations = files
        .iter()
        .zip(&links)
        .map(|(f, l)| InitOrg {
            name: f.name.clone(),
            msp_id: l.msp_id.clone(),
            file: f.doc().path.clone(),
            added: !existing.contains(&f.name),
            context: a.context(&f.name),
            namespace: a.namespace(&f.name),
        })
        .collect();
    Ok(InitReport {
        out: a.out.clone(),
        dry_run: args.dry_run,
        organizations,
        channels: a.channels.clone(),
        orchestrator_host: a.orchestrator_host.clone(),
        tls: a.tls,
        mtls: a.mtls,
        ca,
        pairs,
        files: reports,
        next_steps: steps.into_iter().map(|(_, cmd)| cmd).collect(),
        kept: keep.kept,
        warnings,
    })
}

/// Locks the directory (and the directories of every file the run touches, which a symbolic
/// link may put elsewhere), then lists the organizations it holds. When those organizations'
/// files turn out to lie in a directory not yet locked, all the locks are taken again in
/// their one order, with that directory too, and the directory is listed again.
fn lock_and_discover(
    ws: &Workspace,
    fixed: &[PathBuf],
    printer: &Printer,
) -> anyhow::Result<(Option<Lock>, Vec<String>)> {
    if !ws.dir.is_dir() {
        // A dry run's new directory: nothing to lock, nothing in it.
        return Ok((None, Vec::new()));
    }
    let real_dir = |f: &Path| -> Result<PathBuf, WsError> {
        let real = workspace::real_path(f)?;
        let dir = real.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::canonicalize(dir).map_err(|cause| WsError::Lock { path: dir.to_path_buf(), cause })
    };
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    dirs.insert(
        std::fs::canonicalize(&ws.dir)
            .map_err(|cause| WsError::Lock { path: ws.dir.clone(), cause })?,
    );
    for f in fixed {
        dirs.insert(real_dir(f)?);
    }
    loop {
        let lock = super::lock_dirs(dirs.iter().map(PathBuf::as_path), Some(printer))?;
        let existing = ws.discover()?;
        let mut more = false;
        for org in &existing {
            more |= dirs.insert(real_dir(&ws.path_of(org))?);
        }
        if !more {
            for note in &lock.recovered {
                printer.warn(note);
            }
            return Ok((Some(lock), existing));
        }
    }
}

/// The answers, settled against what the directory holds (read under its lock): without
/// names, its organizations (the defaults only in an empty directory); TLS and mTLS as the
/// deployment has them unless a flag says otherwise, and a flag that contradicts the
/// deployment is refused; no two names that share a namespace.
fn settle(a: &Answers, existing: &[String], orchestrator: &Path) -> anyhow::Result<Answers> {
    let mut a = a.clone();
    if a.orgs.is_empty() && existing.is_empty() {
        a.orgs = DEFAULT_ORGS.iter().map(|o| o.to_string()).collect();
    }
    let all: Vec<&String> =
        a.orgs.iter().chain(existing.iter().filter(|o| !a.orgs.contains(o))).collect();
    // The organizations the directory holds are named by its files' names, which anyone who
    // can write there chose: they are checked as names given on the command line are.
    check_orgs(existing).map_err(|e| {
        anyhow::Error::from(Explained::input(format!(
            "{e:#}, from the file names of {}",
            a.out.display()
        )))
    })?;
    for (i, later) in all.iter().enumerate() {
        if let Some(first) = all[..i].iter().find(|o| namespace_of(o) == namespace_of(later)) {
            return Err(Explained::input(format!(
                "{first} and {later} would share the namespace {}: organizations' names must \
                 differ in more than case",
                namespace_of(later)
            ))
            .hint(hints::INIT_NAMESPACE_NAME)
            .into());
        }
    }
    if let Some(unknown) =
        a.contexts.keys().find(|k| k.as_str() != ORCHESTRATOR && !all.iter().any(|o| o == k))
    {
        return Err(Explained::input(format!(
            "--context {unknown}=...: {unknown} is not one of the organizations ({})",
            all.iter().map(|o| o.as_str()).collect::<Vec<_>>().join(", ")
        ))
        .into());
    }
    let Some(bytes) = workspace::read(orchestrator)? else { return Ok(a) };
    let doc = Doc::parse(orchestrator, Some(bytes))?;
    // Without --channel, new organizations join the channels the deployment has.
    let listed: Vec<String> =
        crate::deployment::Orchestrator::of(&doc)?.channels.into_iter().map(|c| c.name).collect();
    if !a.channels_given && !existing.is_empty() && !listed.is_empty() {
        a.channels = listed;
    }
    // A switch an existing deployment leaves unset is off, as in the chart's defaults.
    let deployed = !existing.is_empty();
    let switch = |path: &[&str]| match doc.get(path).filter(|v| !v.is_null()) {
        Some(v) => v.as_bool(),
        None => deployed.then_some(false),
    };
    let deployed_tls = switch(&["orchestrator", "tls", "enabled"]);
    let deployed_mtls = match deployed_tls {
        Some(true) => switch(&["orchestrator", "tls", "mtls", "enabled"]),
        _ => None,
    };
    let refuse = |flag: &str, key: &str, is: bool| -> anyhow::Error {
        let set = doc.get(&key.split('.').collect::<Vec<_>>()).is_some_and(|v| !v.is_null());
        Explained::input(format!(
            "{flag}: {}: {key} is {}; init keeps the TLS choices of a deployment (changing \
             them takes every backend's values, the certificates and the Secrets)",
            orchestrator.display(),
            if set { is.to_string() } else { format!("not set (so {is})") }
        ))
        .hint(hints::INIT_TLS_KEPT)
        .into()
    };
    if let (Some(want), Some(is)) = (a.tls_flag, deployed_tls) {
        if want != is {
            let flag = if want { "--tls" } else { "--no-tls" };
            return Err(refuse(flag, "orchestrator.tls.enabled", is));
        }
    }
    if let (Some(want), Some(is)) = (a.mtls_flag, deployed_mtls) {
        if want != is {
            let flag = if want { "--mtls" } else { "--no-mtls" };
            return Err(refuse(flag, "orchestrator.tls.mtls.enabled", is));
        }
    }
    if a.tls_flag.is_none() {
        if let Some(tls) = deployed_tls {
            a.tls = tls;
            a.mtls = a.mtls_flag.or(deployed_mtls).unwrap_or(tls);
            if !a.address_given {
                let default = if tls { DEFAULT_TLS_ADDRESS } else { DEFAULT_PLAIN_ADDRESS };
                a.backend_address = default.to_string();
            }
        }
    } else if a.mtls_flag.is_none() {
        if let Some(mtls) = deployed_mtls {
            a.mtls = mtls;
        }
    }
    if a.mtls && !a.tls {
        return Err(Explained::input("--mtls needs TLS: drop --no-tls or pass --no-mtls").into());
    }
    Ok(a)
}

/// Checks every key and certificate this run keeps before it relies on one: each parses,
/// each key matches its certificate, and the CA signed each certificate. A half pair (a
/// certificate without its key, or the reverse) is refused as well.
fn check_kept_pki(a: &Answers, msp_ids: &[String]) -> anyhow::Result<()> {
    use crate::pki;
    let at = |name: &str| workspace::in_dir(&a.out, Path::new(name));
    let mut pairs = vec![(at(certs::SERVER_CRT), at(certs::SERVER_KEY))];
    if a.mtls {
        pairs.extend(msp_ids.iter().map(|id| (at(&format!("{id}.crt")), at(&format!("{id}.key")))));
    }
    let half = |has: &Path, lacks: &Path| -> anyhow::Error {
        Explained::input(format!(
            "{} exists but {} does not: a key and its certificate are kept together",
            has.display(),
            lacks.display()
        ))
        .hint(hints::PAIR_HALF)
        .into()
    };
    let (ca_crt, ca_key) = (at(certs::CA_CRT), at(certs::CA_KEY));
    let ca_der = match (ca_crt.exists(), ca_key.exists()) {
        (true, true) => {
            let crt_bytes = workspace::read_existing(&ca_crt)?;
            let key_bytes = workspace::read_existing(&ca_key)?;
            pki::Ca::load(&ca_crt, &crt_bytes, &ca_key, &key_bytes)?.cert_der
        }
        (true, false) => return Err(half(&ca_crt, &ca_key)),
        (false, true) => return Err(half(&ca_key, &ca_crt)),
        (false, false) => {
            // A new CA is made: a kept certificate could not be signed by it.
            if let Some((crt, _)) = pairs.iter().find(|(c, k)| c.exists() || k.exists()) {
                return Err(Explained::input(format!(
                    "{} is kept, but there is no CA ({}) that signed it",
                    crt.display(),
                    ca_crt.display()
                ))
                .hint(hints::PAIR_HALF)
                .into());
            }
            return Ok(());
        }
    };
    let ca = pki::parse(&ca_crt, &ca_der)?;
    for (crt, key) in &pairs {
        match (crt.exists(), key.exists()) {
            (false, false) => continue,
            (true, false) => return Err(half(crt, key)),
            (false, true) => return Err(half(key, crt)),
            (true, true) => {}
        }
        let der = pki::read_certs(crt, &workspace::read_existing(crt)?)?.remove(0);
        let cert = pki::parse(crt, &der)?;
        let pair = pki::read_key(key, &workspace::read_existing(key)?)?;
        if !pki::key_matches(&pair, &cert) {
            return Err(pki::PkiError::KeyMismatch { cert: crt.clone(), key: key.clone() }.into());
        }
        if cert.verify_signature(Some(ca.public_key())).is_err() {
            return Err(Explained::input(format!(
                "{} is not signed by the CA {}: clients that trust this CA reject it",
                crt.display(),
                ca_crt.display()
            ))
            .hint(hints::PAIR_HALF)
            .into());
        }
    }
    Ok(())
}

/// The text of helmfile.yaml with every release of the deployment in it, and those releases
/// as the file has them. An existing file is edited, not rebuilt: a release init manages is
/// found by its values file (else by its namespace and name) and keeps the values an
/// operator gave it, reported when they differ; a missing one is appended; every other
/// release and key keeps its bytes.
fn edit_helmfile(
    path: &Path,
    wanted: Vec<Release>,
    keep: &mut Keeper,
    warnings: &mut Vec<String>,
) -> anyhow::Result<(String, Vec<Release>)> {
    let Some(bytes) = workspace::read(path)? else {
        return Ok((kube::helmfile(&wanted), wanted));
    };
    // helmfile's layers (`environments:`, `---`, `releases:`): the document of the releases.
    let (mut doc, around) = OneOf::parse(path, Some(bytes), "releases")?;
    let mut out = Vec::with_capacity(wanted.len());
    for r in wanted {
        let values_file = Value::String(r.values.clone());
        let is_it = |v: &Value| {
            let values = v.get("values").and_then(Value::as_array);
            values.is_some_and(|l| l.contains(&values_file))
        };
        let by_name = |v: &Value| {
            v.get("namespace").and_then(Value::as_str) == Some(r.namespace.as_str())
                && v.get("name").and_then(Value::as_str) == Some(r.name.as_str())
        };
        let list = doc.get(&["releases"]).and_then(Value::as_array);
        let index =
            list.and_then(|l| l.iter().position(is_it).or_else(|| l.iter().position(by_name)));
        let Some(i) = index else {
            let item = serde_json::json!({
                "name": r.name,
                "namespace": r.namespace,
                "createNamespace": true,
                "chart": r.chart,
                "version": r.version,
                "kubeContext": r.context,
                "values": [r.values],
            });
            edit::append_item(&mut doc, &keys(&["releases"]), item, |indent, nl| {
                kube::helmfile_release(&r, indent, nl)
            })?;
            out.push(r);
            continue;
        };
        let mut fields = [
            ("name", r.name.clone()),
            ("namespace", r.namespace.clone()),
            ("chart", r.chart.clone()),
            ("version", r.version.clone()),
            ("kubeContext", r.context.clone()),
        ];
        for (key, want) in &mut fields {
            let path = [Seg::Key("releases"), Seg::Index(i), Seg::Key(key)];
            let found = doc.data["releases"][i].get(*key).filter(|v| !v.is_null()).cloned();
            match found {
                None => {
                    edit::set(&mut doc, &path, Value::String(want.clone()))?;
                }
                // A chart version may be written as a number (`version: 26`); a name, a
                // namespace or a context is text, and a number there reads otherwise in
                // helmfile (`0x1f`) than here.
                Some(v) if !(v.is_string() || v.is_number() && *key == "version") => {
                    return Err(doc
                        .shape_error(
                            edit::offset_of(&doc, &path),
                            format!(
                                "releases[{i}].{key} must be a string, not {}",
                                edit::inline(&v)
                            ),
                        )
                        .into());
                }
                Some(v) => {
                    // A version written as a number is text to helmfile (a string field), as
                    // written: `26.150` is not `26.15`.
                    let text = match edit::written(&doc, &path) {
                        _ if !v.is_number() => shown(&v),
                        edit::Written::Plain(text) => text,
                        // A tag is not the text helmfile reads: not guessed.
                        edit::Written::Tagged | edit::Written::Other => {
                            return Err(doc
                                .shape_error(
                                    edit::offset_of(&doc, &path),
                                    format!(
                                        "releases[{i}].version is written under a tag: write \
                                         it out as text, quoted (\"{}\")",
                                        edit::inline(&v)
                                    ),
                                )
                                .into());
                        }
                    };
                    // The value goes into NEXT-STEPS.md's commands and the report. (An
                    // empty or padded one is the operator's choice; the commands quote it.)
                    let problem = if text.chars().any(char::is_control) {
                        Some(
                            "it holds a control character, which the commands of NEXT-STEPS.md \
                             cannot carry"
                                .to_string(),
                        )
                    } else {
                        kube::command_text_problem(&text)
                            .map(|why| format!("{why} in NEXT-STEPS.md"))
                    };
                    if let Some(problem) = problem {
                        return Err(doc
                            .shape_error(
                                edit::offset_of(&doc, &path),
                                format!("releases[{i}].{key} {}: {problem}", edit::inline(&v)),
                            )
                            .into());
                    }
                    if text != *want {
                        if *key == "kubeContext" {
                            let (line, _) = cst::line_col(&doc.text, edit::offset_of(&doc, &path));
                            warnings.push(format!(
                                "{}:{line}: releases[{i}].kubeContext is {text}, not {want}: \
                                 init keeps it, and NEXT-STEPS.md deploys {} with context \
                                 {text}; edit that line to move the release",
                                doc.path.display(),
                                r.namespace,
                            ));
                        }
                        keep.note(
                            &doc.path,
                            format!("releases[{i}].{key}"),
                            &Value::String(text.clone()),
                            &want.clone().into(),
                        );
                        *want = text;
                    }
                }
            }
        }
        let [name, namespace, chart, version, context] = fields.map(|(_, v)| v);
        out.push(Release { name, namespace, chart, version, context, values: r.values });
    }
    Ok((around.text(&doc)?, out))
}

/// The answers, with the kube context and namespace of each release as helmfile.yaml deploys
/// it (`releases` are the orchestrator's, then each organization's, in order).
fn with_release_placement(a: &Answers, orgs: &[String], releases: &[Release]) -> Answers {
    let mut a = a.clone();
    for (who, r) in [ORCHESTRATOR].into_iter().chain(orgs.iter().map(String::as_str)).zip(releases)
    {
        a.contexts.insert(who.to_string(), r.context.clone());
        a.namespaces.insert(who.to_string(), r.namespace.clone());
    }
    a
}

/// `orgs` in the order of the releases of `helmfile` that deploy their values files; those it
/// does not deploy after them, in their order.
fn in_release_order(
    ws: &Workspace,
    helmfile: &Path,
    orgs: &[String],
) -> anyhow::Result<Vec<String>> {
    let mut orgs = orgs.to_vec();
    let Some(bytes) = workspace::read(helmfile)? else { return Ok(orgs) };
    let doc = OneOf::parse(helmfile, Some(bytes), "releases")?.0;
    let Some(releases) = doc.get(&["releases"]).and_then(Value::as_array) else { return Ok(orgs) };
    let position = |org: &String| {
        let file = ws.path_of(org).file_name().map(|f| f.to_string_lossy().into_owned());
        releases.iter().position(|r| deploys(r, file.as_deref()))
    };
    orgs.sort_by_key(|o| position(o).unwrap_or(usize::MAX));
    Ok(orgs)
}

/// Whether a release of helmfile.yaml deploys the values file named `file`.
fn deploys(release: &Value, file: Option<&str>) -> bool {
    let values = release.get("values").and_then(Value::as_array);
    values.is_some_and(|l| l.iter().any(|v| v.as_str() == file))
}

/// The answers, with where the helmfile.yaml of an earlier run deploys each release: its kube
/// context, unless a flag names one, and its namespace, so that running init again neither
/// resets them nor sends a cluster's Secrets elsewhere than its release. A release is found
/// as [`edit_helmfile`] finds it: by its values file, else by init's namespace for it.
fn with_earlier_releases(
    a: &Answers,
    ws: &Workspace,
    helmfile: &Path,
    orgs: &[String],
) -> anyhow::Result<Answers> {
    let mut a = a.clone();
    let Some(bytes) = workspace::read(helmfile)? else { return Ok(a) };
    let doc = OneOf::parse(helmfile, Some(bytes), "releases")?.0;
    let Some(releases) = doc.get(&["releases"]).and_then(Value::as_array) else { return Ok(a) };
    let file_name = |p: PathBuf| p.file_name().map(|f| f.to_string_lossy().into_owned());
    let mut owners: Vec<(String, Option<String>, String)> =
        orgs.iter().map(|o| (o.clone(), file_name(ws.path_of(o)), namespace_of(o))).collect();
    owners.push((ORCHESTRATOR.into(), Some(ORCHESTRATOR_VALUES.into()), ORCHESTRATOR.into()));
    for (who, values_file, own_namespace) in owners {
        let uses = |r: &Value| deploys(r, values_file.as_deref());
        let named = |r: &Value| r.get("namespace").and_then(Value::as_str) == Some(&own_namespace);
        let Some(i) = releases.iter().position(uses).or_else(|| releases.iter().position(named))
        else {
            continue;
        };
        let r = &releases[i];
        if let Some(ctx) = r.get("kubeContext").and_then(Value::as_str) {
            a.contexts.entry(who.clone()).or_insert_with(|| ctx.to_string());
        }
        // A value with a control or formatting character is refused by [`edit_helmfile`], with
        // its own words.
        let shown_safely = |ns: &&str| {
            !ns.chars().any(char::is_control) && kube::command_text_problem(ns).is_none()
        };
        if let Some(ns) = r.get("namespace").and_then(Value::as_str).filter(shown_safely) {
            if !kube::valid_namespace(ns) {
                let path = [Seg::Key("releases"), Seg::Index(i), Seg::Key("namespace")];
                return Err(doc
                    .shape_error(
                        edit::offset_of(&doc, &path),
                        format!(
                            "releases[{i}].namespace {} is not a Kubernetes namespace name \
                             (lower-case letters, digits and '-', at most 63)",
                            edit::inline(&Value::String(ns.to_string()))
                        ),
                    )
                    .into());
            }
            a.namespaces.insert(who, ns.to_string());
        }
    }
    // Two releases in one namespace of one cluster would overwrite each other's Secrets.
    let everyone: Vec<&str> =
        [ORCHESTRATOR].into_iter().chain(orgs.iter().map(String::as_str)).collect();
    for (i, later) in everyone.iter().enumerate() {
        let place = (a.context(later), a.namespace(later));
        if let Some(first) = everyone[..i].iter().find(|o| (a.context(o), a.namespace(o)) == place)
        {
            return Err(Explained::input(format!(
                "{}: {first} and {later} are deployed in the namespace {} of the cluster {}: \
                 their Secrets would overwrite each other",
                helmfile.display(),
                place.1,
                place.0
            ))
            .hint("give each release its own namespace or kubeContext in helmfile.yaml")
            .into());
        }
    }
    Ok(a)
}

fn orchestrator_header() -> String {
    "# Orchestrator values, generated by substractl init.\n".to_string()
}

/// Sets values only where a file has none, so that what an operator changed is kept; and
/// remembers each kept value that differs from what init would have written.
#[derive(Default)]
struct Keeper {
    kept: Vec<KeptValue>,
}

impl Keeper {
    fn put(&mut self, doc: &mut Doc, path: &[&str], value: Value) -> Result<bool, ValuesError> {
        match doc.get(path) {
            Some(v) if !v.is_null() => {
                if *v != value {
                    self.note(&doc.path, path.join("."), v, &value);
                }
                Ok(false)
            }
            _ => edit::set(doc, &keys(path), value),
        }
    }

    /// [`Keeper::put`] of a value that names the file's organization: never reported, as
    /// the file's own name is what every other value is read by.
    fn put_quietly(doc: &mut Doc, path: &[&str], value: Value) -> Result<bool, ValuesError> {
        match doc.get(path) {
            Some(v) if !v.is_null() => Ok(false),
            _ => edit::set(doc, &keys(path), value),
        }
    }

    fn note(&mut self, file: &Path, key: String, value: &Value, init_writes: &Value) {
        // An address is reported without user info or query, where credentials travel (a
        // kube context named `admin@cluster` is no address).
        let reported = |v: &Value| {
            let text = shown(v);
            let address = ["defaultDomain", "host", "hostname"].iter().any(|k| key.ends_with(k))
                || text.contains("://")
                || text.rfind('@').is_some_and(|at| text[..at].contains(':'));
            if address {
                crate::probe::redact::without_credentials(&text)
            } else {
                text
            }
        };
        let (value, init_writes) = (reported(value), reported(init_writes));
        self.kept.push(KeptValue { file: file.to_path_buf(), key, value, init_writes });
    }
}

/// A value as a reader of the file sees it: a string as it is, anything else as YAML.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => edit::inline(other),
    }
}

/// The first text of a new backend's values file: what [`backend_values`] and the channels
/// would set, written at once, so that a large deployment is not parsed again after each edit.
/// The edits that follow find every value in place and change nothing.
fn new_backend_text(a: &Answers, org: &str) -> String {
    use crate::values::scalar;
    let mut t = pairs::new_file_text_by(org, "init");
    t.push_str(&format!("  host: {}\n", scalar(&a.orchestrator_host)));
    t.push_str(&format!("  port: {}\n", if a.tls { 443 } else { 80 }));
    if a.tls {
        t.push_str(&format!("  tls:\n    enabled: true\n    cacert: {}\n", scalar(SECRETS.ca)));
        if a.mtls {
            t.push_str(&format!(
                "    mtls:\n      enabled: true\n      clientCertificate: {}\n",
                scalar(SECRETS.client)
            ));
        }
    }
    t.push_str("  channels:\n");
    for c in &a.channels {
        t.push_str(&format!(
            "    - {}: {{restricted: false, model_export_enabled: false}}\n",
            scalar(c)
        ));
    }
    let address = a.backend_address.replace("{org}", org);
    t.push_str(&format!("server:\n  defaultDomain: {}\n", serde_json::Value::from(address)));
    t
}

/// A backend's own values: its names, its address, the orchestrator's address and TLS.
fn backend_values(
    doc: &mut Doc,
    a: &Answers,
    org: &str,
    keep: &mut Keeper,
) -> Result<(), ValuesError> {
    Keeper::put_quietly(doc, &["organizationName"], org.into())?;
    Keeper::put_quietly(doc, &["orchestrator", "mspID"], org.into())?;
    let address = a.backend_address.replace("{org}", org);
    keep.put(doc, &["server", "defaultDomain"], address.into())?;
    keep.put(doc, &["orchestrator", "host"], a.orchestrator_host.clone().into())?;
    keep.put(doc, &["orchestrator", "port"], Value::from(if a.tls { 443 } else { 80 }))?;
    if a.tls {
        keep.put(doc, &["orchestrator", "tls", "enabled"], Value::Bool(true))?;
        keep.put(doc, &["orchestrator", "tls", "cacert"], SECRETS.ca.into())?;
    }
    if a.mtls {
        keep.put(doc, &["orchestrator", "tls", "mtls", "enabled"], Value::Bool(true))?;
        let client = ["orchestrator", "tls", "mtls", "clientCertificate"];
        keep.put(doc, &client, SECRETS.client.into())?;
    }
    Ok(())
}

/// The orchestrator's values: its ingress, TLS, and with mTLS one client CA per MSP ID and the
/// MSP-ID check.
fn orchestrator_values(
    doc: &mut Doc,
    a: &Answers,
    msp_ids: &[String],
    keep: &mut Keeper,
) -> Result<(), ValuesError> {
    keep.put(doc, &["ingress", "enabled"], Value::Bool(true))?;
    keep.put(doc, &["ingress", "hostname"], a.orchestrator_host.clone().into())?;
    if a.tls {
        keep.put(doc, &["orchestrator", "tls", "enabled"], Value::Bool(true))?;
        keep.put(doc, &["orchestrator", "tls", "secrets", "pair"], SECRETS.server_pair.into())?;
        keep.put(doc, &["orchestrator", "tls", "cacert"], SECRETS.ca.into())?;
    }
    if a.mtls {
        keep.put(doc, &["orchestrator", "tls", "mtls", "enabled"], Value::Bool(true))?;
        for id in msp_ids {
            let path = ["orchestrator", "tls", "mtls", "clientCACerts", id.as_str()];
            keep.put(doc, &path, Value::Array(vec![SECRETS.ca.into()]))?;
        }
        keep.put(doc, &["orchestrator", "verifyClientMSPID"], Value::Bool(true))?;
    }
    Ok(())
}

/// The host name of an address (`https://api.ingen.example.com:443/x` -> `api.ingen.example.com`);
/// the address was checked by [`check_backend_address`].
fn host_of(address: &str) -> &str {
    let rest = address.split_once("://").map_or(address, |(_, r)| r);
    let end = rest.find(['/', ':', '?', '#']).unwrap_or(rest.len());
    &rest[..end]
}

/// Checks the template of the backends' addresses: an http or https URL whose host holds
/// `{org}` (so that each organization registers its own host) and which, for each
/// organization, names one host: no user name or password, query, fragment or blank, and a
/// port from 1 to 65535.
fn check_backend_address(template: &str, orgs: &[String]) -> Result<(), String> {
    if let Some(c) = template.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("it holds {c:?}: an address has no blank or control character"));
    }
    if let Some(why) = kube::command_text_problem(template) {
        return Err(why);
    }
    let Some(rest) = template.strip_prefix("http://").or_else(|| template.strip_prefix("https://"))
    else {
        return Err("it must start with http:// or https://".into());
    };
    if template.contains('?') || template.contains('#') {
        return Err("it has a query or a fragment (? or #): a backend's address has neither".into());
    }
    let authority = rest.split('/').next().unwrap_or(rest);
    if authority.contains('@') {
        return Err("it has a user name (before @): the backends would send it to the host after @, and no credentials go in an address".into());
    }
    if !authority.contains("{org}") {
        return Err("its host must contain {org}, or every backend would register one host".into());
    }
    if authority.contains(['[', ']']) {
        return Err("an IPv6 address cannot hold {org}".into());
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    if let Some(p) = port {
        match p.parse::<u32>() {
            Ok(n) if (1..=65535).contains(&n) && p.chars().all(|c| c.is_ascii_digit()) => {}
            _ => return Err(format!("port {p:?} is not a number from 1 to 65535")),
        }
    }
    for org in orgs {
        let host = host.replace("{org}", org);
        match crate::pki::leaf::Name::parse(&host) {
            Ok(crate::pki::leaf::Name::Dns(d)) if d.contains('*') => {
                return Err(format!("{host} is a wildcard, not a host"))
            }
            Ok(_) => {}
            Err(e) => return Err(format!("for {org}: {e}")),
        }
    }
    Ok(())
}

/// Adds the CA, the server's and each new organization's certificates and manifests to the
/// change set; returns whether the CA is new, its PEM and the warnings of `certs gen`.
fn stage_certs(
    a: &Answers,
    args: &InitArgs,
    orgs: &[String],
    msp_ids: &[String],
    set: &mut ChangeSet,
) -> anyhow::Result<(bool, String, Vec<String>)> {
    let at = |name: &str| workspace::in_dir(&a.out, Path::new(name));
    let make_server = !at(certs::SERVER_CRT).exists() && !at(certs::SERVER_KEY).exists();
    let new_clients: Vec<String> = if a.mtls {
        msp_ids
            .iter()
            .filter(|id| !at(&format!("{id}.crt")).exists() && !at(&format!("{id}.key")).exists())
            .map(|id| {
                let host = host_of(&a.backend_address.replace("{org}", id)).to_string();
                if crate::pki::leaf::Name::parse(&host).is_ok() && !host.is_empty() {
                    format!("{id}={host}")
                } else {
                    id.clone()
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let ca_crt = at(certs::CA_CRT);
    if !make_server && new_clients.is_empty() {
        let pem = workspace::read_existing(&ca_crt)?;
        return Ok((false, String::from_utf8_lossy(&pem).into_owned(), Vec::new()));
    }
    let services = if make_server {
        // The names the chart's probes and in-cluster clients dial (SUBSTRA.md section 4).
        [ORCHESTRATOR, "orchestrator-server", "orchestrator-orchestrator-server"]
            .iter()
            .map(|s| format!("{s}.{}", a.namespace(ORCHESTRATOR)))
            .collect()
    } else {
        Vec::new()
    };
    let gen_args = certs::GenOptions {
        out: a.out.clone(),
        ca_cn: "Orchestrator Root CA".into(),
        hosts: if make_server { vec![a.orchestrator_host.clone()] } else { Vec::new() },
        sans: Vec::new(),
        services,
        orgs: new_clients,
        key_type: args.key_type,
        days: 365,
        ca_days: 1825,
        force: false,
        manifests: true,
        namespace: Some(a.namespace(ORCHESTRATOR)),
        backend_namespace: None,
        cacert_configmap: false,
        values_dir: None,
        values_pattern: DEFAULT_PATTERN.into(),
    };
    let namespaces =
        orgs.iter().zip(msp_ids).map(|(org, id)| (id.clone(), a.namespace(org))).collect();
    let staged = certs::stage(&gen_args, OffsetDateTime::now_utc(), namespaces, set)?;
    let pem = match set.changes().iter().find(|c| c.path == ca_crt) {
        Some(c) => String::from_utf8_lossy(&c.after).into_owned(),
        None => String::from_utf8_lossy(&workspace::read_existing(&ca_crt)?).into_owned(),
    };
    Ok((staged.ca_created, pem, staged.warnings))
}

/// The manifest files each cluster applies, by kube context owner (organization name or
/// [`ORCHESTRATOR`]). Without mTLS, each backend's cluster gets the CA Secret alone, made here.
fn manifest_files(
    a: &Answers,
    msp_ids: &[String],
    orgs: &[String],
    ca_pem: &str,
    set: &mut ChangeSet,
) -> anyhow::Result<BTreeMap<String, Vec<String>>> {
    let mut map = BTreeMap::new();
    map.insert(
        ORCHESTRATOR.to_string(),
        vec![format!("{}.yaml", SECRETS.ca), format!("{}.yaml", SECRETS.server_pair)],
    );
    for (org, id) in orgs.iter().zip(msp_ids) {
        let name = if a.mtls {
            format!("{}-{id}.yaml", SECRETS.client)
        } else {
            let name = format!("{}-{id}.yaml", SECRETS.ca);
            let path = workspace::in_dir(&a.out, Path::new(&name));
            let yaml =
                kube::secret(SECRETS.ca, Some(&a.namespace(org)), &[("ca.crt", ca_pem.as_bytes())]);
            set.add(Change {
                before: workspace::read(&path)?,
                path,
                after: yaml.into_bytes(),
                new_mode: PUBLIC_MODE,
                private: false,
            });
            name
        };
        map.insert(org.clone(), vec![name]);
    }
    Ok(map)
}

/// The releases of the deployment as init writes them: the orchestrator first, then each
/// backend (a kept helmfile.yaml's own values win, see [`edit_helmfile`]).
fn releases(a: &Answers, args: &InitArgs, orgs: &[String], values: &[PathBuf]) -> Vec<Release> {
    let relative =
        |p: &Path| p.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let mut out = vec![Release {
        name: ORCHESTRATOR.into(),
        namespace: ORCHESTRATOR.into(),
        chart: "substra/orchestrator".into(),
        version: args.orchestrator_chart_version.clone(),
        context: a.context(ORCHESTRATOR),
        values: ORCHESTRATOR_VALUES.into(),
    }];
    for (org, path) in orgs.iter().zip(values) {
        out.push(Release {
            name: BACKEND_RELEASE.into(),
            namespace: namespace_of(org),
            chart: "substra/substra-backend".into(),
            version: args.backend_chart_version.clone(),
            context: a.context(org),
            values: relative(path),
        });
    }
    out
}

/// The manifests kept from an earlier run, with the namespace of each object set to where
/// helmfile.yaml now deploys its cluster's release: `kubectl apply --namespace` refuses a
/// manifest that names another namespace.
fn renamespace_manifests(
    a: &Answers,
    manifests: &BTreeMap<String, Vec<String>>,
    set: &mut ChangeSet,
) -> anyhow::Result<()> {
    for (who, files) in manifests {
        for file in files {
            let path = workspace::in_dir(&a.out, Path::new(file));
            if set.touches(&path) {
                continue;
            }
            let Some(before) = workspace::read(&path)? else { continue };
            let Ok(text) = std::str::from_utf8(&before) else { continue };
            let Some(after) = kube::with_namespace(text, &a.namespace(who)) else { continue };
            if after.as_bytes() != before.as_slice() {
                // A pair's manifest holds its private key.
                let private = text.contains("\n  tls.key: ");
                set.add(Change {
                    path,
                    before: Some(before),
                    after: after.into_bytes(),
                    new_mode: if private { SECRET_MODE } else { PUBLIC_MODE },
                    private,
                });
            }
        }
    }
    Ok(())
}

/// The ordered commands of NEXT-STEPS.md, each with what it is for.
fn next_steps(
    a: &Answers,
    orgs: &[String],
    releases: &[Release],
    manifests: &BTreeMap<String, Vec<String>>,
    accounts: &BTreeMap<String, String>,
) -> Vec<(String, String)> {
    let mut steps = Vec::new();
    for (org, file) in accounts {
        steps.push((
            format!("the credentials Secret of {org}'s backend (never commit it in clear)"),
            kube::apply_files(&a.context(org), &a.namespace(org), std::slice::from_ref(file)),
        ));
    }
    for who in [ORCHESTRATOR].into_iter().chain(orgs.iter().map(String::as_str)) {
        if let Some(files) = manifests.get(who) {
            steps.push((
                format!("the TLS Secrets of {who}'s cluster"),
                kube::apply_files(&a.context(who), &a.namespace(who), files),
            ));
        }
    }
    if a.tls {
        steps.push((
            "ingress-nginx with SSL passthrough in the orchestrator's cluster (the orchestrator ends TLS itself)".into(),
            kube::ingress_nginx_passthrough(&a.context(ORCHESTRATOR)),
        ));
    }
    steps.push(("every release, with helmfile".into(), "helmfile apply".into()));
    steps.push((
        "the orchestrator, with plain helm (instead of helmfile)".into(),
        format!("helm repo add substra {}", kube::SUBSTRA_CHARTS),
    ));
    for r in releases {
        steps.push((
            format!("{} in {}, with plain helm (instead of helmfile)", r.name, r.namespace),
            kube::helm_upgrade_install(r),
        ));
    }
    steps.push((
        "check that everything reaches and accepts everything else".into(),
        "substractl check all --dir . --wait 10m".to_string(),
    ));
    steps
}

fn next_steps_text(orgs: &[String], steps: &[(String, String)]) -> String {
    let mut t = String::from("# Next steps\n\n");
    t.push_str(&format!(
        "Generated by substractl init for {} organization(s); run these commands in this \
         directory, in this order. Running `substractl init` again here rewrites this file.\n\n",
        orgs.len()
    ));
    let mut n = 0;
    let mut helm_intro = false;
    for (what, cmd) in steps {
        if what.contains("plain helm") {
            if !helm_intro {
                t.push_str("Or, without helmfile, the same with helm:\n\n");
                helm_intro = true;
            }
            t.push_str(&format!("```console\n{cmd}\n```\n\n"));
            continue;
        }
        n += 1;
        t.push_str(&format!("{n}. {}:\n\n```console\n{cmd}\n```\n\n", capitalize(what)));
    }
    t
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

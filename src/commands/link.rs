//! `substractl link` and `substractl unlink`: pair organizations in their backend values
//! files, and optionally list them in a channel of the orchestrator values.
//!
//! Every file is read and checked before any is written; all writes are one change set of the
//! workspace, committed under the lock of every directory touched.

use std::path::{Path, PathBuf};

use super::lock;
use crate::cli::{HelmArgs, LinkArgs, UnlinkArgs};
use crate::deployment::accounts::move_credentials;
use crate::deployment::pairs::{
    add_backend_channel, add_orchestrator_channel, apply_plans, check_channel, check_names,
    links_of, masked_diff, new_file_text, new_file_text_without_secrets, plan, read_all, stage,
    Planned, SecretLabels,
};
use crate::deployment::BackendFile as OrgFile;
use crate::deployment::Store;
use crate::error::hints;
use crate::error::Explained;
use crate::mesh::{self, OrgLinks, PairPlan};
use crate::output::Printer;
use crate::report::link::{FileReport, FileStatus, LinkReport, OrgReport, PairReport};
use crate::shell::quote_path;
use crate::values::Doc;
use crate::workspace::{self, ChangeSet, Lock, MadeDirs, Workspace};

pub fn run(args: LinkArgs, printer: &Printer) -> anyhow::Result<LinkReport> {
    check_names(&args.orgs)?;
    if let Some(channel) = &args.channel {
        check_channel(channel)?;
    }
    let ws = Workspace::new(&args.files.dir, &args.files.values_pattern)?;
    // A missing --dir is created (not in a dry run), and removed again if the run fails.
    let made = if !ws.dir.is_dir() && !args.dry_run {
        let made = MadeDirs::make(&ws.dir).map_err(|e| {
            Explained::input(format!("cannot create directory {}: {e}", ws.dir.display()))
        })?;
        printer.note(&format!("created directory {}", ws.dir.display()));
        made
    } else {
        MadeDirs::none()
    };
    let result = link(&ws, args, printer);
    if result.is_err() {
        made.undo();
    }
    result
}

fn link(ws: &Workspace, args: LinkArgs, printer: &Printer) -> anyhow::Result<LinkReport> {
    let orchestrator_path = args.channel.as_ref().map(|_| ws.file(&args.orchestrator_values));
    let mut touched: Vec<PathBuf> = args.orgs.iter().map(|o| ws.path_of(o)).collect();
    touched.extend(orchestrator_path.clone());
    let _lock = lock(ws, &touched, printer)?;
    if !args.create {
        refuse_typos(ws, &args.orgs)?;
    }
    let without_secrets = |org: &str| new_file_text_without_secrets(org, "link");
    let new_text: &dyn Fn(&str) -> String =
        if args.existing_secret.is_some() { &without_secrets } else { &new_file_text };
    let Planned { mut files, links, plans } =
        plan(ws, &args.orgs, true, args.rotate, new_text, &|m| printer.warn(m))?;
    let mut extra = Vec::new();
    if let (Some(channel), Some(path)) = (&args.channel, &orchestrator_path) {
        let msp_ids: Vec<String> = links.iter().map(|l| l.msp_id.clone()).collect();
        for f in &mut files {
            add_backend_channel(&mut f.values.doc, channel)?;
        }
        let doc = Doc::parse(path, workspace::read(path)?)?;
        extra.push(add_orchestrator_channel(doc, channel, &msp_ids)?);
    }
    if let Some(pattern) = &args.existing_secret {
        for f in files.iter_mut().filter(|f| matches!(f.store, Store::Values)) {
            move_credentials(f, pattern, args.helm.namespace.as_deref())?;
        }
    }
    let mut next = helm_commands(&files, &args.helm);
    if let Some(path) = &orchestrator_path {
        next.push(format!(
            "helm upgrade ORCHESTRATOR-RELEASE --namespace ORCHESTRATOR-NAMESPACE substra/orchestrator \
             --version ORCHESTRATOR-VERSION --values {}",
            quote_path(path)
        ));
    }
    finish(&_lock, args.dry_run, files, extra, &links, plans, args.channel, next)
}

pub fn run_unlink(args: UnlinkArgs, printer: &Printer) -> anyhow::Result<LinkReport> {
    check_names(&args.orgs)?;
    let ws = Workspace::new(&args.files.dir, &args.files.values_pattern)?.existing()?;
    let touched: Vec<PathBuf> = args.orgs.iter().map(|o| ws.path_of(o)).collect();
    let lock = lock(&ws, &touched, printer)?;
    let mut files = read_all(&ws, &args.orgs, false)?;
    let links = links_of(&files, &|m| printer.warn(m))?;
    let pair: [OrgLinks; 2] = [links[0].clone(), links[1].clone()];
    if pair[0].msp_id == pair[1].msp_id {
        return Err(Explained::input(format!(
            "{} and {} are one organization (MSP ID {}); unlink takes two different ones",
            args.orgs[0], args.orgs[1], pair[0].msp_id
        ))
        .into());
    }
    let plans = mesh::plan_unlink(&pair);
    apply_plans(&mut files, &links, &plans)?;
    let next = helm_commands(&files, &args.helm);
    finish(&lock, args.dry_run, files, Vec::new(), &links, plans, None, next)
}

/// Turns the edited files into one change set, and commits it or, in a dry run, shows it.
#[allow(clippy::too_many_arguments)]
fn finish(
    lock: &Option<Lock>,
    dry_run: bool,
    files: Vec<OrgFile>,
    extra: Vec<(Doc, String)>,
    links: &[OrgLinks],
    plans: Vec<PairPlan>,
    channel: Option<String>,
    next_steps: Vec<String>,
) -> anyhow::Result<LinkReport> {
    let mut set = ChangeSet::new();
    let orgs = files
        .iter()
        .zip(links)
        .map(|(f, l)| OrgReport {
            name: f.name.clone(),
            msp_id: l.msp_id.clone(),
            file: f.doc().path.clone(),
        })
        .collect();
    stage(&mut set, &files, extra)?;
    let pairs = PairReport::all(links, &plans);

    // The values files that hold credentials (not those whose credentials are in a Secret
    // manifest, which is written 0600 whatever the values file's mode).
    let backends: Vec<PathBuf> = files
        .iter()
        .filter(|f| matches!(f.store, Store::Values))
        .map(|f| f.doc().path.clone())
        .collect();
    // Read only in a dry run, for the diffs.
    let mut labels = None;
    let mut warnings = Vec::new();
    let mut file_reports = super::commit_or_show(
        &set,
        lock,
        dry_run,
        |change, _, diff| {
            masked_diff(
                change,
                &diff,
                &files,
                &plans,
                labels.get_or_insert_with(|| SecretLabels::new(set.changes())),
            )
        },
        |w| {
            if backends.contains(&w.path) && w.readable_by_others() {
                warnings.push(format!(
                    "{} holds secrets and other users can read it (mode {:04o}): chmod 600 {}",
                    w.path.display(),
                    w.mode,
                    quote_path(&w.path)
                ));
            }
        },
    )?;
    for f in &files {
        if !set.touches(&f.doc().path) {
            file_reports.push(FileReport {
                path: f.doc().path.clone(),
                status: FileStatus::Unchanged,
                mode: None,
                diff: None,
            });
        }
    }
    let warnings = match warnings.as_slice() {
        [] | [_] => warnings,
        [first, rest @ ..] => vec![
            first.clone(),
            format!(
                "{} more files that hold secrets can be read by other users: chmod 600 them too",
                rest.len()
            ),
        ],
    };
    // The files' trees and data are many small allocations, which the end of the process frees
    // at once: freeing them one by one took about a tenth of the CPU time of linking 100
    // chart-size files (README, Performance). A run links once, so nothing accumulates.
    std::mem::forget(files);
    Ok(LinkReport {
        dry_run,
        organizations: orgs,
        pairs,
        files: file_reports,
        channel,
        next_steps,
        warnings,
    })
}

/// Refuses a named organization without a values file when the directory holds other
/// organizations' files: the name is more likely a typo than a new organization.
fn refuse_typos(ws: &Workspace, orgs: &[String]) -> anyhow::Result<()> {
    if !ws.dir.is_dir() {
        return Ok(());
    }
    let existing = ws.discover()?;
    if existing.is_empty() {
        return Ok(());
    }
    let Some(missing) = orgs.iter().find(|o| std::fs::symlink_metadata(ws.path_of(o)).is_err())
    else {
        return Ok(());
    };
    let shown: Vec<String> =
        existing.iter().take(6).map(|o| ws.path_of(o).display().to_string()).collect();
    let more = match existing.len().saturating_sub(shown.len()) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    let closest = existing
        .iter()
        .filter(|o| !orgs.contains(o))
        .min_by_key(|o| edit_distance(o, missing))
        .filter(|o| edit_distance(o, missing) <= missing.chars().count().max(2) / 2);
    let hint = hints::typo(closest.map(String::as_str), missing);
    Err(Explained::input(format!(
        "{} does not exist, and {} holds the values files {}{more}",
        ws.path_of(missing).display(),
        if ws.dir == Path::new(".") {
            "the directory".to_string()
        } else {
            ws.dir.display().to_string()
        },
        shown.join(", ")
    ))
    .hint(hint)
    .into())
}

/// Levenshtein distance between two names, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The `helm upgrade` command for each backend file that changed.
fn helm_commands(files: &[OrgFile], helm: &HelmArgs) -> Vec<String> {
    let release = helm.release.as_deref().unwrap_or("RELEASE-NAME");
    let namespace = helm.namespace.as_deref().unwrap_or("NAMESPACE");
    let version = helm.chart_version.as_deref().unwrap_or("VERSION");
    let mut out = Vec::new();
    for f in files.iter().filter(|f| f.changed()) {
        // The Secret first: the chart's sync job reads it at the upgrade.
        if let (Ok(Some((path, _, _))), Store::Manifest(m)) = (f.manifest_change(), &f.store) {
            let ns = m.namespace.as_deref().map(|n| format!(" -n {n}")).unwrap_or_default();
            out.push(format!("kubectl apply{ns} -f {}", quote_path(&path)));
        }
        out.push(format!(
            "helm upgrade {release} --namespace {namespace} substra/substra-backend --version {version} --values {}",
            quote_path(&f.doc().path)
        ));
    }
    out
}

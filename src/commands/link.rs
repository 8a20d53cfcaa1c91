//! `substractl link` and `substractl unlink`: pair organizations in their backend values
//! files, and optionally list them in a channel of the orchestrator values.
//!
//! Every file is read and checked before any is written; all writes happen together at the
//! end, atomically, under a lock on the directory.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{json, Value};

use crate::cli::{CheckLinksArgs, HelmArgs, LinkArgs, UnlinkArgs, ValuesFiles};
use crate::error::Explained;
use crate::fsio::{self, PlannedWrite, SECRET_MODE};
use crate::mesh::{self, Action, EntryState, OrgLinks, PairPlan};
use crate::output::link::{
    FileReport, FileStatus, LinkReport, LinksCheckReport, OrgReport, PairCheck, PairReport,
};
use crate::output::Printer;
use crate::values::backend::{BackendValues, Side, Want};
use crate::values::edit::{self, Seg};
use crate::values::{Doc, ValuesError};

/// The MSP ID the chart ships as default: two files copied from it share it.
const CHART_DEFAULT_MSP_ID: &str = "OwkinPeerMSP";

pub fn run(args: LinkArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    check_names(&args.orgs)?;
    if let Some(channel) = &args.channel {
        check_channel(channel)?;
    }
    let job = Job::new(&args.files, args.dry_run, true)?;
    if job.created_dir {
        printer.note(&format!("created directory {}", job.dir.display()));
    }
    let result = link(&job, args, printer);
    if result.is_err() {
        job.undo_dir();
    }
    result
}

fn link(job: &Job, args: LinkArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let _lock = job.lock(printer)?;
    let mut files = job.read_all(&args.orgs, true)?;
    let links = links_of(&files, printer)?;
    let plans = mesh::plan_link(&links, args.rotate);

    apply_plans(&mut files, &links, &plans)?;
    let mut extra = Vec::new();
    if let Some(channel) = &args.channel {
        let msp_ids: Vec<String> = links.iter().map(|l| l.msp_id.clone()).collect();
        for f in &mut files {
            add_backend_channel(&mut f.values.doc, channel)?;
        }
        let path = in_dir(&job.dir, &args.orchestrator_values);
        let doc = Doc::parse(&path, fsio::read_optional(&path)?)?;
        extra.push(add_orchestrator_channel(doc, channel, &msp_ids)?);
    }
    let mut next = helm_commands(&files, &args.helm);
    if args.channel.is_some() {
        let path = in_dir(&job.dir, &args.orchestrator_values);
        next.push(format!(
            "helm upgrade ORCHESTRATOR-RELEASE --namespace ORCHESTRATOR-NAMESPACE substra/orchestrator \
             --version ORCHESTRATOR-VERSION --values {}",
            shell_quote(&path)
        ));
    }
    job.finish(files, extra, &links, plans, args.channel, next, printer)
}

pub fn run_unlink(args: UnlinkArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    check_names(&args.orgs)?;
    let job = Job::new(&args.files, args.dry_run, false)?;
    let _lock = job.lock(printer)?;
    let mut files = job.read_all(&args.orgs, false)?;
    let links = links_of(&files, printer)?;
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
    job.finish(files, Vec::new(), &links, plans, None, next, printer)
}

/// `substractl check links`: the pairing rule, checked without changing anything.
pub fn run_check(args: CheckLinksArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let job = Job::new(&args.files, false, false)?;
    let orgs = if args.orgs.is_empty() { job.discover()? } else { args.orgs.clone() };
    check_names(&orgs)?;
    if orgs.is_empty() {
        return Err(Explained::input(format!(
            "no values file matching {} in {}",
            job.pattern,
            job.dir.display()
        ))
        .hint("name the organizations, or pass --dir and --values-pattern")
        .into());
    }
    let files = job.read_all(&orgs, false)?;
    let (links, plans) = pairs_as_found(&files, printer)?;
    let pairs: Vec<PairCheck> = plans
        .iter()
        .map(|p| PairCheck {
            server: links[p.pair.server].msp_id.clone(),
            client: links[p.pair.client].msp_id.clone(),
            ok: p.action == Action::Kept,
            problem: p.problem.clone(),
        })
        .collect();
    let ok = pairs.iter().all(|p| p.ok);
    let organizations = files
        .iter()
        .zip(&links)
        .map(|(f, l)| OrgReport {
            name: f.name.clone(),
            msp_id: l.msp_id.clone(),
            file: f.doc().path.clone(),
        })
        .collect();
    let fix = link_fix(&orgs, &job.dir, "");
    let report = LinksCheckReport { ok, organizations, pairs, fix: (!ok).then_some(fix) };
    crate::output::link::render_check(printer, &report)?;
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// What `check links` and `check values` both report: every ordered pair among the files,
/// decided as `link` would (kept, or what is wrong with it).
pub(crate) fn pairs_as_found(
    files: &[OrgFile],
    printer: &Printer,
) -> anyhow::Result<(Vec<OrgLinks>, Vec<PairPlan>)> {
    let links = links_of(files, printer)?;
    let plans = mesh::plan_link(&links, false);
    Ok((links, plans))
}

/// The `link` command that repairs the pairs of `orgs` in `dir`; `extra` goes before `--dir`.
pub(crate) fn link_fix(orgs: &[String], dir: &Path, extra: &str) -> String {
    let mut fix = vec!["substractl".to_string(), "link".to_string()];
    fix.extend(orgs.iter().cloned());
    let mut fix = fix.join(" ");
    fix.push_str(extra);
    if dir != Path::new(".") {
        fix.push_str(&format!(" --dir {}", shell_quote(dir)));
    }
    fix
}

/// One organization's backend values file while it is being edited.
pub(crate) struct OrgFile {
    pub(crate) name: String,
    pub(crate) values: BackendValues,
    /// The text as read, to tell whether it changed and to show a diff.
    original: String,
}

impl OrgFile {
    fn doc(&self) -> &Doc {
        &self.values.doc
    }

    fn changed(&self) -> bool {
        !self.doc().exists || self.doc().text != self.original
    }
}

pub(crate) struct Job {
    pub(crate) dir: PathBuf,
    pub(crate) pattern: String,
    dry_run: bool,
    created_dir: bool,
}

/// A file that changes, with what to report about it.
struct Change {
    path: PathBuf,
    before: Option<String>,
    after: String,
    /// The file holds secrets (a backend's values).
    secret: bool,
}

impl Job {
    /// Checks the pattern and the directory; `link` creates a missing directory (not in a dry
    /// run), `unlink` does not.
    pub(crate) fn new(files: &ValuesFiles, dry_run: bool, create_dir: bool) -> anyhow::Result<Job> {
        if !files.values_pattern.contains("{org}") {
            return Err(Explained::input(format!(
                "--values-pattern {:?} must contain {{org}}, or every organization would share one file",
                files.values_pattern
            ))
            .into());
        }
        if files.dir.exists() && !files.dir.is_dir() {
            return Err(Explained::input(format!("{} is not a directory", files.dir.display()))
                .hint("pass the directory of the values files with --dir")
                .into());
        }
        let mut created_dir = false;
        if !files.dir.is_dir() {
            if !create_dir {
                return Err(Explained::input(format!(
                    "directory {} does not exist",
                    files.dir.display()
                ))
                .hint("pass the directory of the values files with --dir")
                .into());
            }
            if !dry_run {
                std::fs::create_dir_all(&files.dir).map_err(|e| {
                    Explained::input(format!(
                        "cannot create directory {}: {e}",
                        files.dir.display()
                    ))
                })?;
                created_dir = true;
            }
        }
        Ok(Job {
            dir: files.dir.clone(),
            pattern: files.values_pattern.clone(),
            dry_run,
            created_dir,
        })
    }

    /// Removes the directory this run created when the run failed (it is still empty then).
    fn undo_dir(&self) {
        if self.created_dir {
            let _ = std::fs::remove_dir(&self.dir);
        }
    }

    fn lock(&self, printer: &Printer) -> anyhow::Result<Option<fsio::DirLock>> {
        if self.dry_run {
            return Ok(None);
        }
        let lock = fsio::lock_dir(&self.dir, || {
            printer.note(&format!(
                "waiting for another substractl run to finish in {}",
                self.dir.display()
            ))
        })?;
        Ok(Some(lock))
    }

    /// The organizations whose values files are in the directory, by the pattern, sorted.
    pub(crate) fn discover(&self) -> anyhow::Result<Vec<String>> {
        let (prefix, suffix) = self.pattern.split_once("{org}").unwrap_or((&self.pattern, ""));
        let entries = std::fs::read_dir(&self.dir)
            .map_err(|e| Explained::input(format!("cannot read {}: {e}", self.dir.display())))?;
        let mut orgs: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let org = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
                (!org.is_empty()).then(|| org.to_string())
            })
            .collect();
        orgs.sort();
        Ok(orgs)
    }

    fn path_of(&self, org: &str) -> PathBuf {
        in_dir(&self.dir, Path::new(&self.pattern.replace("{org}", org)))
    }

    /// Reads and checks every file; a missing one is created only when `create` is set.
    pub(crate) fn read_all(&self, orgs: &[String], create: bool) -> anyhow::Result<Vec<OrgFile>> {
        let mut files = Vec::with_capacity(orgs.len());
        for org in orgs {
            let path = self.path_of(org);
            let bytes = fsio::read_optional(&path)?;
            if bytes.is_none() && !create {
                return Err(Explained::input(format!("{} does not exist", path.display()))
                    .hint("check the organization's name, --dir and --values-pattern")
                    .into());
            }
            let doc = match bytes {
                Some(b) => Doc::parse(&path, Some(b))?,
                None => Doc::from_text(&path, new_file_text(org), false)?,
            };
            let original = if doc.exists { doc.text.clone() } else { String::new() };
            let values = BackendValues::read(doc)?;
            files.push(OrgFile { name: org.clone(), values, original });
        }
        Ok(files)
    }

    #[allow(clippy::too_many_arguments)]
    fn finish(
        &self,
        files: Vec<OrgFile>,
        extra: Vec<(Doc, String)>,
        links: &[OrgLinks],
        plans: Vec<PairPlan>,
        channel: Option<String>,
        next_steps: Vec<String>,
        printer: &Printer,
    ) -> anyhow::Result<ExitCode> {
        let mut changes = Vec::new();
        let mut orgs = Vec::new();
        for f in &files {
            orgs.push(OrgReport {
                name: f.name.clone(),
                msp_id: links[orgs.len()].msp_id.clone(),
                file: f.doc().path.clone(),
            });
            if f.changed() {
                let before = f.doc().exists.then(|| f.original.clone());
                let after = f.doc().text.clone();
                changes.push(Change { path: f.doc().path.clone(), before, after, secret: true });
            }
        }
        for (doc, original) in extra {
            if !doc.exists || doc.text != original {
                let before = doc.exists.then_some(original);
                let after = doc.text.clone();
                changes.push(Change { path: doc.path.clone(), before, after, secret: false });
            }
        }
        let pairs = plans
            .iter()
            .map(|p| PairReport {
                server: links[p.pair.server].msp_id.clone(),
                client: links[p.pair.client].msp_id.clone(),
                action: p.action,
                reason: p.reason.clone(),
            })
            .collect();

        let mut file_reports = Vec::new();
        let mut warnings = Vec::new();
        if self.dry_run {
            let known = known_secrets(&files, &plans);
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            for c in &changes {
                let status = if c.before.is_some() {
                    FileStatus::WouldUpdate
                } else {
                    FileStatus::WouldCreate
                };
                let diff = unified_diff(c.before.as_deref().unwrap_or(""), &c.after, &c.path);
                file_reports.push(FileReport {
                    path: c.path.clone(),
                    status,
                    mode: None,
                    diff: Some(mesh::mask_secrets(&diff, &known)),
                });
            }
        } else {
            fsio::check_writable(&self.dir)?;
            let writes: Vec<PlannedWrite> = changes
                .iter()
                .map(|c| PlannedWrite {
                    path: c.path.clone(),
                    contents: c.after.clone().into_bytes(),
                    new_mode: SECRET_MODE,
                })
                .collect();
            for (w, change) in fsio::commit(&writes)?.into_iter().zip(&changes) {
                if change.secret && w.readable_by_others() {
                    warnings.push(format!(
                        "{} holds secrets and other users can read it (mode {:04o}): chmod 600 {}",
                        w.path.display(),
                        w.mode,
                        shell_quote(&w.path)
                    ));
                }
                let status = if w.created { FileStatus::Created } else { FileStatus::Updated };
                file_reports.push(FileReport {
                    path: w.path,
                    status,
                    mode: Some(w.mode),
                    diff: None,
                });
            }
        }
        let changed: Vec<&Path> = changes.iter().map(|c| c.path.as_path()).collect();
        for f in &files {
            if !changed.contains(&f.doc().path.as_path()) {
                file_reports.push(FileReport {
                    path: f.doc().path.clone(),
                    status: FileStatus::Unchanged,
                    mode: None,
                    diff: None,
                });
            }
        }
        match warnings.as_slice() {
            [] => {}
            [one] => printer.warn(one),
            [first, rest @ ..] => printer.warn(&format!(
                "{first}\n  ({} more files that hold secrets can be read by other users: chmod 600 them too)",
                rest.len()
            )),
        }
        let report = LinkReport {
            dry_run: self.dry_run,
            organizations: orgs,
            pairs,
            files: file_reports,
            channel,
            next_steps,
        };
        crate::output::link::render(printer, &report)?;
        Ok(ExitCode::SUCCESS)
    }
}

/// A file name taken in a directory, shown without a leading "./".
pub(crate) fn in_dir(dir: &Path, file: &Path) -> PathBuf {
    if dir == Path::new(".") || dir.as_os_str().is_empty() {
        file.to_path_buf()
    } else {
        dir.join(file)
    }
}

/// The first lines of a values file that `link` creates.
fn new_file_text(org: &str) -> String {
    let id = crate::values::scalar(org);
    format!(
        "# Backend values for {org}, generated by substractl link.\n\
         # This file holds secrets: keep it private (mode 0600) and out of version control.\n\
         organizationName: {id}\n\
         orchestrator:\n  mspID: {id}\n"
    )
}

pub(crate) fn check_names(orgs: &[String]) -> anyhow::Result<()> {
    for (i, org) in orgs.iter().enumerate() {
        mesh::validate_name(org).map_err(|e| {
            Explained::input(e.to_string())
                .hint("organization names are MSP IDs: at most 64 characters, no whitespace or '/'")
        })?;
        if orgs[..i].contains(org) {
            return Err(Explained::input(format!("organization {org:?} is named twice")).into());
        }
    }
    Ok(())
}

fn check_channel(channel: &str) -> anyhow::Result<()> {
    if channel.is_empty() || channel.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Explained::input(format!(
            "channel name {channel:?} must be non-empty and without whitespace"
        ))
        .into());
    }
    Ok(())
}

/// Resolves MSP IDs (the file's `orchestrator.mspID`, else the name given), checks that they
/// are valid and distinct, and gathers what each file holds for the others.
fn links_of(files: &[OrgFile], printer: &Printer) -> anyhow::Result<Vec<OrgLinks>> {
    let mut ids: Vec<String> = Vec::with_capacity(files.len());
    for f in files {
        let id = f.values.msp_id.clone().unwrap_or_else(|| f.name.clone());
        let line = f.values.msp_id_line.unwrap_or(1);
        let at = format!("{}:{line}", f.doc().path.display());
        mesh::validate_name(&id)
            .map_err(|e| Explained::input(format!("{at}: orchestrator.mspID: {e}")))?;
        if let Some(j) = ids.iter().position(|other| *other == id) {
            let mut err = Explained::input(format!(
                "{} and {} both have the MSP ID {id} (orchestrator.mspID): each organization needs its own",
                files[j].doc().path.display(),
                f.doc().path.display()
            ));
            if id == CHART_DEFAULT_MSP_ID {
                err = err.hint(
                    "OwkinPeerMSP is the chart's default: set orchestrator.mspID in each file \
                     to the organization's MSP ID",
                );
            }
            return Err(err.into());
        }
        if id == CHART_DEFAULT_MSP_ID {
            printer.warn(&format!(
                "{at}: orchestrator.mspID is the chart's default {CHART_DEFAULT_MSP_ID}; \
                 is that really {}'s MSP ID?",
                f.name
            ));
        }
        ids.push(id);
    }
    Ok(files
        .iter()
        .zip(&ids)
        .map(|(f, id)| {
            let gather = |side| {
                let mut map: HashMap<String, EntryState> = HashMap::new();
                for e in f.values.entries(side) {
                    if !ids.contains(&e.name) {
                        continue;
                    }
                    let state = map.entry(e.name.clone()).or_default();
                    if state.count == 0 {
                        state.secret = e.secret.clone();
                    }
                    state.has_channel |= e.has_channel;
                    state.count += 1;
                }
                map
            };
            OrgLinks {
                msp_id: id.clone(),
                incoming: gather(Side::Incoming),
                outgoing: gather(Side::Outgoing),
            }
        })
        .collect())
}

/// Turns the pair decisions into wanted entries per file, and edits each file.
fn apply_plans(
    files: &mut [OrgFile],
    links: &[OrgLinks],
    plans: &[PairPlan],
) -> anyhow::Result<()> {
    let n = files.len();
    let mut incoming: Vec<HashMap<String, Want>> = vec![HashMap::new(); n];
    let mut outgoing: Vec<HashMap<String, Want>> = vec![HashMap::new(); n];
    for p in plans {
        let want = match (&p.secret, p.action) {
            (_, Action::Removed | Action::Absent) | (None, _) => Want::Absent,
            (Some(s), _) => Want::Secret(s.expose().to_string()),
        };
        incoming[p.pair.server].insert(links[p.pair.client].msp_id.clone(), want.clone());
        outgoing[p.pair.client].insert(links[p.pair.server].msp_id.clone(), want);
    }
    let order: Vec<String> = links.iter().map(|l| l.msp_id.clone()).collect();
    let mut edited = Vec::new();
    let mut pending = Vec::new();
    for (i, f) in files.iter().enumerate() {
        if let Some(p) = f.values.plan(&incoming[i], &outgoing[i], &order)? {
            edited.push(i);
            pending.push(p);
        }
    }
    // Every edit is read back by the strict parser before it is taken; side by side, as
    // reading is most of the work on large files.
    let checked = crate::values::check_all(&pending);
    for ((i, p), data) in edited.into_iter().zip(pending).zip(checked) {
        files[i].values.doc.take(p.text, data?);
    }
    Ok(())
}

/// Makes sure a backend's `orchestrator.channels` holds the channel.
fn add_backend_channel(doc: &mut Doc, channel: &str) -> Result<bool, ValuesError> {
    let item = json!({ channel: { "restricted": false, "model_export_enabled": false } });
    edit::ensure_item(doc, &edit::keys(&["orchestrator", "channels"]), item, |v| {
        v.get(channel).is_some()
    })
}

/// Makes sure the orchestrator's `channels` holds the channel with every MSP ID; returns the
/// edited document and its original text.
fn add_orchestrator_channel(
    mut doc: Doc,
    channel: &str,
    msp_ids: &[String],
) -> Result<(Doc, String), ValuesError> {
    let original = doc.text.clone();
    let named = |v: &Value| v.get("name").and_then(Value::as_str) == Some(channel);
    let item = json!({ "name": channel, "organizations": msp_ids });
    edit::ensure_item(&mut doc, &edit::keys(&["channels"]), item, named)?;
    let index = doc
        .get(&["channels"])
        .and_then(Value::as_array)
        .and_then(|items| items.iter().position(named))
        .ok_or_else(|| ValuesError::Verify { path: doc.path.clone() })?;
    for id in msp_ids {
        let path = [Seg::Key("channels"), Seg::Index(index), Seg::Key("organizations")];
        edit::ensure_item(&mut doc, &path, Value::String(id.clone()), |v| v.as_str() == Some(id))?;
    }
    Ok((doc, original))
}

/// Every secret the run has seen or made, to mask them in a diff.
fn known_secrets(files: &[OrgFile], plans: &[PairPlan]) -> Vec<String> {
    let mut out: Vec<String> =
        plans.iter().filter_map(|p| p.secret.as_ref().map(|s| s.expose().to_string())).collect();
    for f in files {
        for side in [Side::Incoming, Side::Outgoing] {
            out.extend(f.values.entries(side).iter().filter_map(|e| e.secret.clone()));
        }
    }
    out
}

fn unified_diff(before: &str, after: &str, path: &Path) -> String {
    let shown = path.display().to_string();
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{shown}"), &format!("b/{shown}"))
        .to_string()
}

/// The `helm upgrade` command for each backend file that changed.
fn helm_commands(files: &[OrgFile], helm: &HelmArgs) -> Vec<String> {
    let release = helm.release.as_deref().unwrap_or("RELEASE-NAME");
    let namespace = helm.namespace.as_deref().unwrap_or("NAMESPACE");
    let version = helm.chart_version.as_deref().unwrap_or("VERSION");
    files
        .iter()
        .filter(|f| f.changed())
        .map(|f| {
            format!(
                "helm upgrade {release} --namespace {namespace} substra/substra-backend --version {version} --values {}",
                shell_quote(&f.doc().path)
            )
        })
        .collect()
}

/// A path as a shell word: as is when safe, else single-quoted.
pub(crate) fn shell_quote(path: &Path) -> String {
    let s = path.display().to_string();
    let s = s.strip_prefix("./").map(str::to_string).unwrap_or(s);
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:@+,".contains(c)) {
        s
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

//! `substractl exchange ...`: link organizations that share no files. Each party runs these
//! commands on its own directory only; what travels between directories is public (cards,
//! the roster) or sealed to its receiver (pair secrets). The formats are in
//! [`crate::exchange`].

mod admit;
mod identity;
mod open;
mod roster;
mod seal;
mod status;
mod take;

use std::path::{Path, PathBuf};

pub use admit::admit;
pub use identity::identity;
pub use open::open;
pub use roster::roster;
pub use seal::seal;
pub(crate) use status::partners_status;
pub use status::status;
pub use take::take;

use crate::cli::ExchangeParty;
use crate::error::{hints, Explained};
use crate::exchange::identity::Identity;
use crate::exchange::roster::{Roster, Trust};
use crate::exchange::state::State;
use crate::exchange::{self as ex, ExchangeError};
use crate::mesh;
use crate::output::Printer;
use crate::report::exchange::{ExchangeReport, FileReport, FileStatus, PairLine};
use std::collections::HashMap;

use crate::deployment::pairs::{masked_diff, SecretLabels};
use crate::deployment::{Credential, Store};
use crate::values::backend::{BackendValues, Side, Want};
use crate::workspace::{self, Change, ChangeSet, Lock, Workspace, SECRET_MODE};

/// The party's directory, which must exist.
fn existing_dir(dir: &Path) -> anyhow::Result<()> {
    if !dir.is_dir() {
        return Err(Explained::input(format!("directory {} does not exist", dir.display())).into());
    }
    Ok(())
}

/// Locks the directories a run writes in; notes what recovery did.
fn lock(dirs: &[&Path], printer: &Printer) -> anyhow::Result<Lock> {
    let lock = crate::commands::lock_dirs(dirs.iter().copied(), Some(printer))?;
    for note in &lock.recovered {
        printer.warn(note);
    }
    Ok(lock)
}

/// Locks the party's directory, the directory of its `--values` file and `extra` ones: what
/// the run reads there, it reads under the lock.
fn lock_party(party: &ExchangeParty, extra: &[&Path], printer: &Printer) -> anyhow::Result<Lock> {
    let mut dirs: Vec<PathBuf> = vec![party.dir.clone()];
    if let Some(values) = &party.values {
        dirs.push(match values.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        });
    }
    dirs.extend(extra.iter().map(|d| d.to_path_buf()));
    let refs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
    lock(&refs, printer)
}

/// The party's identity, which must have been made.
fn read_identity(dir: &Path, printer: &Printer) -> anyhow::Result<Identity> {
    let path = workspace::in_dir(dir, Path::new(ex::IDENTITY_FILE));
    let Some(bytes) = workspace::read(&path)? else {
        return Err(Explained::input(format!(
            "{} has no identity: {} does not exist",
            dir.display(),
            path.display()
        ))
        .hint("make it with `substractl exchange identity` in that directory")
        .into());
    };
    warn_if_readable(&path, printer);
    ex::check_size(&path, &bytes, ex::MAX_SMALL_BYTES, "a private key")?;
    Ok(Identity::parse(&path, ex::text_of(&path, &bytes)?)?)
}

fn warn_if_readable(path: &Path, printer: &Printer) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            printer.warn(&format!(
                "{} is a private key and other users can read it (mode {mode:04o}): chmod 600 {}",
                path.display(),
                crate::shell::quote_path(path)
            ));
        }
    }
}

/// The organization's backend values file: `--values`, or the one file of --dir that the
/// default pattern names.
fn values_path(party: &ExchangeParty) -> anyhow::Result<PathBuf> {
    if let Some(v) = &party.values {
        return Ok(v.clone());
    }
    let ws = Workspace::new(&party.dir, workspace::DEFAULT_PATTERN)?.existing()?;
    let orgs = ws.discover()?;
    match orgs.as_slice() {
        [one] => Ok(ws.path_of(one)),
        [] => Err(Explained::input(format!(
            "{} holds no backend values file (backend-*-values.yaml)",
            party.dir.display()
        ))
        .hint("pass the organization's backend values file with --values FILE")
        .into()),
        several => Err(Explained::input(format!(
            "{} holds the backend values files of {}: the exchange works on one organization's directory",
            party.dir.display(),
            several.join(", ")
        ))
        .hint("pass the organization's own file with --values FILE")
        .into()),
    }
}

/// An organization's values file read for the exchange, with its MSP ID.
struct OrgValues {
    values: BackendValues,
    original: Option<String>,
    msp_id: String,
    /// Where its credentials are (the values file, or the Secret manifest it names).
    store: Store,
    /// The name in the values file's name (`ingen` of `backend-ingen-values.yaml`).
    name: String,
    view: crate::deployment::Backend,
}

impl OrgValues {
    /// The entries of one list, from wherever the chart takes them.
    fn credentials(&self, side: Side) -> Vec<Credential> {
        crate::deployment::accounts::credentials_of(&self.values, &self.store, side)
    }

    /// Brings both lists to the wanted state where the credentials are; a values file that
    /// names a Secret whose manifest is not there is refused.
    fn apply(
        &mut self,
        incoming: &HashMap<String, Want>,
        outgoing: &HashMap<String, Want>,
        order: &[String],
    ) -> anyhow::Result<()> {
        match &mut self.store {
            Store::Values => {
                self.values.apply(incoming, outgoing, order)?;
            }
            Store::Manifest(m) => {
                m.apply(Side::Incoming, incoming, order);
                m.apply(Side::Outgoing, outgoing, order);
                m.text()?;
            }
            Store::Missing { name, path } => {
                return Err(Explained::input(format!(
                    "{} names addAccountOperator.existingSecret {name}, and {} is not there: \
                     the chart would ignore credentials written to the values file",
                    self.values.doc.path.display(),
                    path.display()
                ))
                .hint(hints::MANIFEST_MISSING)
                .into())
            }
        }
        Ok(())
    }

    /// With `--existing-secret`, moves credentials kept in the values file into a Secret
    /// manifest beside it (see [`crate::deployment::accounts::move_credentials`]).
    fn keep_in_manifest(&mut self, args: &crate::cli::ExistingSecretArgs) -> anyhow::Result<()> {
        let Some(pattern) = &args.existing_secret else { return Ok(()) };
        if !matches!(self.store, Store::Values) {
            return Ok(());
        }
        let mut file = crate::deployment::BackendFile {
            name: self.name.clone(),
            values: self.values.clone(),
            original: self.original.clone().unwrap_or_default(),
            view: self.view.clone(),
            store: Store::Values,
        };
        crate::deployment::accounts::move_credentials(
            &mut file,
            pattern,
            args.namespace.as_deref(),
        )?;
        self.values = file.values;
        self.store = file.store;
        Ok(())
    }

    /// Adds the manifest's change, if any, to a change set.
    fn stage_manifest(&self, set: &mut ChangeSet) -> anyhow::Result<Option<PathBuf>> {
        let Store::Manifest(m) = &self.store else { return Ok(None) };
        let text = m.text()?;
        add(set, &m.path, m.original.clone().map(String::into_bytes), text, SECRET_MODE, true);
        Ok(Some(m.path.clone()))
    }
}

fn read_org(path: &Path) -> anyhow::Result<OrgValues> {
    workspace::read_existing(path)?;
    let file = crate::deployment::read_backend(path, "")?;
    let original = Some(file.original.clone());
    // Sealed secrets name the MSP ID the file sets, never the chart's default.
    if file.view.msp_id_from_chart {
        return Err(Explained::input(format!("{}: orchestrator.mspID is not set", path.display()))
            .hint(hints::SET_MSP_ID)
            .into());
    }
    let msp_id = file.view.msp_id.clone();
    let line = file.msp_id_line();
    let values = file.values;
    let store = file.store;
    let view = file.view;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .and_then(|n| n.strip_prefix("backend-")?.strip_suffix("-values.yaml").map(str::to_string))
        .unwrap_or_else(|| msp_id.to_lowercase());
    mesh::validate_name(&msp_id).map_err(|e| {
        Explained::input(format!("{}:{line}: orchestrator.mspID: {e}", path.display()))
    })?;
    Ok(OrgValues { values, original, msp_id, store, name, view })
}

/// The state file and what it holds (empty when it does not exist yet).
fn read_state(dir: &Path) -> anyhow::Result<(PathBuf, Option<Vec<u8>>, State)> {
    let path = workspace::in_dir(dir, Path::new(ex::STATE_FILE));
    let bytes = workspace::read(&path)?;
    let state = State::read(&path, bytes.as_deref())?;
    Ok((path, bytes, state))
}

/// The roster this directory took, checked against the owner key it trusts.
fn read_roster(dir: &Path, state: &State) -> anyhow::Result<Roster> {
    let path = workspace::in_dir(dir, Path::new(ex::ROSTER_FILE));
    let (Some(owner), Some(bytes)) = (&state.owner, workspace::read(&path)?) else {
        return Err(Explained::input(format!("{} has taken no roster yet", dir.display()))
            .hint("take the roster of the orchestrator's owner first: substractl exchange take ROSTER --owner-fingerprint SHA256:...")
            .into());
    };
    Ok(Roster::read(&path, &bytes, &Trust::Key(owner.clone()))?)
}

/// This organization's card in the roster must carry this directory's identity.
fn check_own_card(
    roster: &Roster,
    roster_path: &Path,
    msp_id: &str,
    identity: &Identity,
) -> Result<(), ExchangeError> {
    let Some(card) = roster.member(msp_id) else {
        return Err(ExchangeError::new(roster_path, format!("the roster does not list {msp_id}"))
            .hint(
            "send your card to the orchestrator's owner, who admits it and sends the roster again",
        ));
    };
    let mine = identity.public();
    if card.key != mine {
        return Err(ExchangeError::new(
            roster_path,
            format!(
                "the roster carries a card for {msp_id} with the key {}, not this directory's identity {}: \
                 the card was swapped, or the identity was made again after the card was sent",
                card.key.fingerprint(),
                mine.fingerprint()
            ),
        ));
    }
    Ok(())
}

/// Adds a file to the change set.
fn add(
    set: &mut ChangeSet,
    path: &Path,
    before: Option<Vec<u8>>,
    after: String,
    mode: u32,
    private: bool,
) {
    set.add(Change {
        path: path.to_path_buf(),
        before,
        after: after.into_bytes(),
        new_mode: mode,
        private,
    });
}

/// Stages the exchange's state: 0600, and tightened to it if it was readable by others, since
/// it holds digests of the sealed secrets (keyed, but derived from them all the same).
fn add_state(set: &mut ChangeSet, path: &Path, before: Option<Vec<u8>>, state: &State) {
    add(set, path, before, state.render(), SECRET_MODE, true);
}

/// Commits the change set and says what happened to each file, `listed` included.
fn commit(set: ChangeSet, lock: &Lock, listed: &[PathBuf]) -> anyhow::Result<Vec<FileReport>> {
    let touched: Vec<PathBuf> = set.changes().iter().map(|c| c.path.clone()).collect();
    let mut files = Vec::new();
    for w in set.commit(lock)? {
        let status = if w.created { FileStatus::Created } else { FileStatus::Updated };
        files.push(FileReport { path: w.path, status, mode: Some(w.mode), diff: None });
    }
    files.extend(unchanged(listed, |p| touched.contains(p)));
    Ok(files)
}

/// The files of `listed` a change set does not touch, reported unchanged.
fn unchanged<'a>(
    listed: &'a [PathBuf],
    touched: impl Fn(&PathBuf) -> bool + 'a,
) -> impl Iterator<Item = FileReport> + 'a {
    listed.iter().filter(move |p| !touched(p)).map(|path| FileReport {
        path: path.clone(),
        status: FileStatus::Unchanged,
        mode: None,
        diff: None,
    })
}

/// [`commit`], or in a dry run the diff of every file, each secret it could show masked
/// (sealed files show no diff: their ciphertext tells nothing).
fn commit_or_show(
    set: ChangeSet,
    lock: &Lock,
    listed: &[PathBuf],
    dry_run: bool,
) -> anyhow::Result<Vec<FileReport>> {
    if !dry_run {
        return commit(set, lock, listed);
    }
    let mut files = Vec::new();
    let mut labels = SecretLabels::plain(set.changes());
    for (change, (path, created, diff)) in set.changes().iter().zip(set.diffs()) {
        let status = if created { FileStatus::WouldCreate } else { FileStatus::WouldUpdate };
        let sealed =
            path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("sealed-"));
        let before = change.before.as_deref().map(String::from_utf8_lossy);
        let credentials = labels.credentials.clone();
        let manifest = crate::deployment::accounts::masked_manifest_diff_with(
            &path,
            before.as_deref(),
            &String::from_utf8_lossy(&change.after),
            &credentials,
            &mut |s| labels.label(s),
        );
        let diff = if manifest.is_some() {
            manifest
        } else {
            (!sealed).then(|| masked_diff(change, &diff, &[], &[], &mut labels))
        };
        files.push(FileReport { path, status, mode: None, diff });
    }
    files.extend(unchanged(listed, |p| set.touches(p)));
    Ok(files)
}

/// What `seal` and `open` decided for a party's pairs, to commit and report.
struct PairsRun<'a> {
    set: ChangeSet,
    lock: &'a Lock,
    /// Every file the run read or wrote, reported unchanged when the set does not touch it.
    listed: Vec<PathBuf>,
    dry_run: bool,
    values_file: &'a Path,
    /// The Secret manifest that holds the party's credentials, if any.
    manifest: Option<PathBuf>,
    me: String,
    roster_serial: u64,
    pairs: Vec<PairLine>,
    next: Vec<String>,
    warnings: Vec<String>,
}

impl PairsRun<'_> {
    /// Commits (or shows) the change set and reports it: `helm upgrade` is the last step when
    /// the values or their manifest change, and a values file others may read is a warning.
    fn finish(self) -> anyhow::Result<ExchangeReport> {
        let changed_values = self.set.touches(self.values_file)
            || self.manifest.as_ref().is_some_and(|m| self.set.touches(m));
        let files = commit_or_show(self.set, self.lock, &self.listed, self.dry_run)?;
        let mut next = self.next;
        if changed_values {
            next.push(helm_upgrade(self.values_file));
        }
        let mut warnings = self.warnings;
        warnings.extend(values_warnings(&files, self.values_file));
        Ok(ExchangeReport {
            dry_run: self.dry_run,
            msp_id: Some(self.me),
            roster_serial: Some(self.roster_serial),
            pairs: self.pairs,
            warnings,
            ..ExchangeReport::written(files, next)
        })
    }
}

/// The `helm upgrade` command of an organization's backend values.
fn helm_upgrade(values: &Path) -> String {
    format!(
        "helm upgrade RELEASE-NAME --namespace NAMESPACE substra/substra-backend --version VERSION --values {}",
        crate::shell::quote_path(values)
    )
}

/// A warning when the values file, which holds the pair secrets, can be read by other users.
fn values_warnings(files: &[FileReport], values: &Path) -> Vec<String> {
    files
        .iter()
        .filter(|f| f.path == values && f.mode.is_some_and(|m| m & 0o044 != 0))
        .map(|f| {
            format!(
                "{} holds secrets and other users can read it (mode {:04o}): chmod 600 {}",
                f.path.display(),
                f.mode.unwrap_or_default(),
                crate::shell::quote_path(&f.path)
            )
        })
        .collect()
}

/// The roster signed by the owner, read back as every member will read it before it is written.
pub(super) fn signed_roster(
    roster: &Roster,
    owner: &Identity,
    path: &Path,
) -> anyhow::Result<String> {
    let text = roster.sign(owner);
    if text.len() > ex::MAX_ROSTER_BYTES {
        return Err(Explained::input(format!(
            "{}: the roster would take {} KiB, more than the {} KiB a member reads",
            path.display(),
            text.len() >> 10,
            ex::MAX_ROSTER_BYTES >> 10
        ))
        .hint("a roster carries every channel, member card and the CA: keep fewer or shorter channels in the orchestrator's values")
        .into());
    }
    Roster::read(path, text.as_bytes(), &Trust::Key(owner.public()))
        .map_err(|e| Explained::bug(format!("the roster made does not read back: {e}")))?;
    Ok(text)
}

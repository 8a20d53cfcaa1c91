//! `substractl check outgoing`: the backend's `get_outgoing_organization`, run from anywhere
//! and all at once. For every organization in an organization's `outgoingOrganizations`: is
//! its address known, does `GET /info/` answer 200, and does `GET /model/` accept this
//! organization's outgoing credentials? `--all` checks every organization in --dir;
//! `--in-cluster` runs the backend's own command in its pod and reads its table.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::cli::{CheckOutgoingArgs, Format, OutgoingLayout, ValuesFiles};
use crate::commands::failure::outgoing::{rejected_hint, row_hint, FilesSay, UNTRUSTED_ROW};
use crate::deployment::secrets::Held;
use crate::deployment::{self, BackendFile, DeploymentError};
use crate::error::hints;
use crate::error::Explained;
use crate::kube::{self, KubeError, Kubectl, BACKEND_SERVER_SELECTOR};
use crate::mesh;
use crate::output::{self, Printer};
use crate::probe::http::{
    address_problem, latin1, python_exception, Credentials, Failure, HttpOptions, Outcome, Prober,
};
use crate::probe::redact::{shown_url, Redactor};
use crate::report::check::Mark;
use crate::report::outgoing::Outgoing;
use crate::report::outgoing::{Cell, MatrixReport, OutgoingReport, Row, Trouble};
use crate::values::backend::Side;
use crate::values::Doc;
use crate::workspace::{self, Lock, Workspace};

/// What `check outgoing` runs on: its flags, turned into options once (`check all` makes its
/// own with [`Options::every`]).
#[derive(Debug, Clone)]
pub struct Options {
    pub org: Option<String>,
    pub values: Option<PathBuf>,
    pub all: bool,
    pub files: ValuesFiles,
    pub addresses: Vec<String>,
    pub channel: Option<String>,
    pub no_auth: bool,
    pub timeout: f64,
    pub concurrency: usize,
    pub cacert: Option<PathBuf>,
    pub insecure: bool,
    pub format: Option<OutgoingLayout>,
    pub in_cluster: bool,
    pub context: Option<String>,
    pub namespace: Option<String>,
    /// The orchestrator's values file (relative paths are taken in the directory), read for
    /// the credentials it holds when it is there.
    pub orchestrator_values: PathBuf,
    /// Every credential of the deployment, when the caller has read it already (`check all`):
    /// the run keeps them out of what servers say instead of reading them from the files again.
    pub known: Option<Arc<Redactor>>,
}

impl From<CheckOutgoingArgs> for Options {
    fn from(a: CheckOutgoingArgs) -> Options {
        Options {
            org: a.org,
            values: a.values,
            all: a.all,
            files: a.files,
            addresses: a.addresses,
            channel: a.channel,
            no_auth: a.no_auth,
            timeout: a.timeout,
            concurrency: usize::from(a.concurrency),
            cacert: a.cacert,
            insecure: a.insecure,
            format: a.format,
            in_cluster: a.in_cluster,
            context: a.context,
            namespace: a.namespace,
            orchestrator_values: PathBuf::from(ORCHESTRATOR_VALUES),
            known: None,
        }
    }
}

impl Options {
    /// Every organization of a directory against every one it logs in to, with credentials;
    /// `known`: every credential the directory holds, from the deployment read.
    pub fn every(
        files: ValuesFiles,
        orchestrator_values: PathBuf,
        addresses: Vec<String>,
        timeout: f64,
        concurrency: usize,
        known: Arc<Redactor>,
    ) -> Options {
        Options {
            org: None,
            values: None,
            all: true,
            files,
            addresses,
            channel: None,
            no_auth: false,
            timeout,
            concurrency,
            cacert: None,
            insecure: false,
            format: None,
            in_cluster: false,
            context: None,
            namespace: None,
            orchestrator_values,
            known: Some(known),
        }
    }
}

/// The orchestrator values file `check outgoing` reads in --dir for its credentials.
const ORCHESTRATOR_VALUES: &str = "orchestrator-values.yaml";

pub fn run(args: CheckOutgoingArgs, printer: &Printer) -> anyhow::Result<Outgoing> {
    check(Options::from(args), printer)
}

/// `check outgoing` on its options.
pub fn check(args: Options, printer: &Printer) -> anyhow::Result<Outgoing> {
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 86_400.0) {
        return Err(Explained::input(format!(
            "--timeout {} is not a positive number of seconds",
            args.timeout
        ))
        .into());
    }
    let legacy = args.format == Some(OutgoingLayout::Legacy);
    if legacy && printer.format() == Format::Json {
        return Err(
            Explained::input("--format legacy and -o json are two layouts: pick one").into()
        );
    }
    if legacy && args.all {
        return Err(Explained::input("--format legacy shows one organization's table")
            .hint(hints::LEGACY_OR_ALL)
            .into());
    }
    let timeout = Duration::from_secs_f64(args.timeout);
    if args.in_cluster {
        return in_cluster(&args, timeout, legacy, printer);
    }
    if args.all {
        return all(&args, timeout, printer);
    }
    one(&args, timeout, legacy, printer)
}

// ---------------------------------------------------------------------------------------------
// The values files

/// What `check outgoing` reads from one backend values file.
#[derive(Debug, Clone)]
struct OrgValues {
    /// The name in the file's name, when the file matches the pattern.
    name: Option<String>,
    path: PathBuf,
    msp_id: Option<String>,
    domain: Option<String>,
    channels: Vec<String>,
    /// `outgoingOrganizations`, in file order.
    outgoing: Vec<ListEntry>,
    /// `incomingOrganizations`, in file order.
    incoming: Vec<ListEntry>,
    /// Why the credentials cannot be read (a Secret manifest missing from the directory).
    missing: Option<String>,
    /// The file as read, for the credentials it holds.
    file: BackendFile,
}

/// One entry of an organization list: the name, the secret, and what helm renders the secret
/// as when it is not a YAML string.
#[derive(Debug, Clone)]
struct ListEntry {
    name: String,
    secret: Option<String>,
    rendered: Option<String>,
}

impl OrgValues {
    fn read(path: &Path, name: Option<String>) -> anyhow::Result<OrgValues> {
        let file = match deployment::read_backend(path, name.as_deref().unwrap_or_default()) {
            Err(DeploymentError::Missing(path)) => {
                return Err(Explained::input(format!("{} does not exist", path.display()))
                    .hint(hints::CHECK_ORG_NAME)
                    .into())
            }
            other => other?,
        };
        Ok(OrgValues::of(file, name))
    }

    /// What `check outgoing` takes from a backend file of the model.
    fn of(file: BackendFile, name: Option<String>) -> OrgValues {
        let view = &file.view;
        let list = |side| {
            file.credentials(side)
                .into_iter()
                .map(|e| ListEntry { name: e.name, secret: e.secret, rendered: e.secret_rendered })
                .collect()
        };
        let outgoing = list(Side::Outgoing);
        let incoming = list(Side::Incoming);
        OrgValues {
            name,
            path: file.path().to_path_buf(),
            msp_id: Some(view.msp_id.clone()).filter(|id| !id.is_empty()),
            domain: Some(view.default_domain.clone())
                .filter(|d| !d.is_empty() && !view.default_domain_from_chart),
            channels: view.channels.clone(),
            outgoing,
            incoming,
            missing: file.credentials_missing(),
            file,
        }
    }

    fn msp_id(&self) -> anyhow::Result<&str> {
        self.msp_id.as_deref().ok_or_else(|| {
            Explained::input(format!("{}: orchestrator.mspID is not set", self.path.display()))
                .hint(hints::SET_MSP_ID)
                .into()
        })
    }

    /// The name used with `link`: the file's, else the MSP ID.
    fn link_name(&self) -> String {
        self.name.clone().or_else(|| self.msp_id.clone()).unwrap_or_default()
    }
}

/// The values files found in --dir by the pattern, sorted by name. A file that cannot be read
/// is skipped with a warning where it is only a peer (its address), and refused where it is
/// one of the organizations checked (`strict`): a check that could not run never passes.
fn scan(files: &ValuesFiles, printer: &Printer, strict: bool) -> anyhow::Result<Vec<OrgValues>> {
    let ws = Workspace::new(&files.dir, &files.values_pattern)?.existing()?;
    let mut orgs = Vec::new();
    for name in ws.discover()? {
        match OrgValues::read(&ws.path_of(&name), Some(name)) {
            Ok(org) => orgs.push(org),
            Err(err) if strict => return Err(err),
            Err(err) => printer.warn(&format!("skipped: {err:#}")),
        }
    }
    Ok(orgs)
}

/// The orchestrator values file of the directory, read for the credentials it holds: none
/// when it is not there. One that cannot be read is no reason not to check the links: a
/// warning says that its credentials are not known.
fn orchestrator_doc(args: &Options, printer: &Printer) -> Option<Doc> {
    if !args.files.dir.is_dir() {
        return None;
    }
    let path = workspace::in_dir(&args.files.dir, &args.orchestrator_values);
    let read = workspace::read(&path).map_err(anyhow::Error::from).and_then(|bytes| match bytes {
        None => Ok(None),
        Some(bytes) => Ok(Some(Doc::parse(&path, Some(bytes))?)),
    });
    read.unwrap_or_else(|err| {
        printer.warn(&format!(
            "{err:#}: the credentials it holds are not removed from what servers say"
        ));
        None
    })
}

/// A redactor of every credential the files read hold ([`Held`]): the organizations' values
/// files, the Secret manifests they name, and the orchestrator's values (read from --dir);
/// the one the caller gave ([`Options::known`]) when it has read them already. It is built
/// once a run and shared by every request.
fn redactor_of<'a>(
    args: &Options,
    orgs: impl IntoIterator<Item = &'a OrgValues>,
    printer: &Printer,
) -> Arc<Redactor> {
    if let Some(known) = &args.known {
        return Arc::clone(known);
    }
    let orchestrator = orchestrator_doc(args, printer);
    let held = Held::of(orgs.into_iter().map(|o| &o.file), orchestrator.as_ref());
    Arc::new(Redactor::building(move || held.redactor()))
}

/// `--address ORG=URL` pairs, in order.
fn parse_addresses(raw: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    raw.iter()
        .map(|a| match a.split_once('=') {
            Some((org, url)) if !org.trim().is_empty() && !url.trim().is_empty() => {
                match address_problem(url.trim()) {
                    None => Ok((org.trim().to_string(), url.trim().to_string())),
                    Some(why) => Err(Explained::input(format!(
                        "--address {}={}: {why}",
                        org.trim(),
                        shown_url(url.trim())
                    ))
                    .hint(hints::ADDRESS_FORM)
                    .into()),
                }
            }
            _ => Err(Explained::input(format!("--address {a:?} is not ORG=URL"))
                .hint(hints::ADDRESS_FORM)
                .into()),
        })
        .collect()
}

/// Where to find the other organizations: --address first, then their values files, then the
/// roster the directory took with `exchange take`.
struct Directory<'a> {
    addresses: &'a [(String, String)],
    peers: &'a [OrgValues],
    roster: &'a RosterAddresses,
}

/// The members' addresses in the roster of an organization's directory, with the roster's path.
#[derive(Debug, Default)]
struct RosterAddresses {
    path: PathBuf,
    members: Vec<(String, String)>,
}

/// Reads the roster that `exchange take` left in `dir`, checked against the owner key the
/// directory trusts; none when the directory took no roster.
fn roster_addresses(dir: &Path) -> anyhow::Result<RosterAddresses> {
    use crate::exchange::{roster, state, ROSTER_FILE, STATE_FILE};
    let path = workspace::in_dir(dir, Path::new(ROSTER_FILE));
    let state_path = workspace::in_dir(dir, Path::new(STATE_FILE));
    let (Some(bytes), Some(state_bytes)) = (workspace::read(&path)?, workspace::read(&state_path)?)
    else {
        return Ok(RosterAddresses::default());
    };
    let Some(owner) = state::State::read(&state_path, Some(&state_bytes))?.owner else {
        return Ok(RosterAddresses::default());
    };
    let taken = roster::Roster::read(&path, &bytes, &roster::Trust::Key(owner))?;
    let members = taken.members.into_iter().map(|c| (c.msp_id, c.address)).collect();
    Ok(RosterAddresses { path, members })
}

impl Directory<'_> {
    /// The peer file of an MSP ID.
    fn peer(&self, msp_id: &str) -> Option<&OrgValues> {
        self.peers.iter().find(|p| p.msp_id.as_deref() == Some(msp_id))
    }

    /// The address of an organization and where it came from.
    fn address(&self, msp_id: &str) -> Option<(String, String)> {
        let peer = self.peer(msp_id);
        let by_flag = self.addresses.iter().find(|(org, _)| {
            org == msp_id || peer.and_then(|p| p.name.as_deref()) == Some(org.as_str())
        });
        if let Some((org, url)) = by_flag {
            return Some((url.clone(), format!("--address {org}")));
        }
        if let Some(domain) = peer.and_then(|p| p.domain.clone()) {
            let path = peer.map(|p| p.path.display().to_string()).unwrap_or_default();
            return Some((domain, format!("server.defaultDomain in {path}")));
        }
        let (_, address) = self.roster.members.iter().find(|(id, _)| id == msp_id)?;
        Some((address.clone(), format!("the roster {}", self.roster.path.display())))
    }

    /// Flags that name no organization in `known`.
    fn unused(&self, known: &[&str]) -> Vec<String> {
        self.addresses
            .iter()
            .filter(|(org, _)| {
                !known.iter().any(|id| {
                    org == id || self.peer(id).and_then(|p| p.name.as_deref()) == Some(org.as_str())
                })
            })
            .map(|(org, _)| org.clone())
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Probing

/// One organization to probe on behalf of another.
#[derive(Clone)]
struct Target {
    org_id: String,
    address: Option<(String, String)>,
    /// `None` with --no-auth; else the credentials, or why there are none (the trouble and
    /// the cell's text).
    auth: Option<Result<Auth, (Trouble, String)>>,
    /// What to do when the credentials are refused, from what the values files say.
    on_reject: String,
}

#[derive(Clone)]
struct Auth {
    user: String,
    secret: String,
    channel: String,
}

/// The targets of one organization, in the order of its outgoing list.
fn targets(org: &OrgValues, dir: &Directory<'_>, args: &Options) -> anyhow::Result<Vec<Target>> {
    let me = org.msp_id()?.to_string();
    let channel = args.channel.clone().or_else(|| org.channels.first().cloned());
    Ok(org
        .outgoing
        .iter()
        .map(|out| {
            let auth = if args.no_auth {
                None
            } else {
                let unusable = out
                    .secret
                    .as_deref()
                    .and_then(|s| mesh::entry_secret_problem(s, out.rendered.as_deref()))
                    .or_else(|| {
                        latin1(&me).is_none().then(|| {
                            format!(
                                "the MSP ID {me:?} holds a character outside latin-1: the \
                                 backend's client encodes HTTP Basic credentials in latin-1"
                            )
                        })
                    });
                Some(match (&out.secret, &channel, unusable) {
                    (None, _, _) => {
                        Err((Trouble::NoSecret, "no secret in the values file".to_string()))
                    }
                    (_, _, Some(problem)) => {
                        Err((Trouble::UnusableSecret, format!("not sent: {problem}")))
                    }
                    (_, None, _) => {
                        Err((Trouble::NoChannel, "no channel: pass --channel".to_string()))
                    }
                    (Some(secret), Some(channel), None) => Ok(Auth {
                        user: me.clone(),
                        secret: secret.clone(),
                        channel: channel.clone(),
                    }),
                })
            };
            let server = if out.name == me { Some(org) } else { dir.peer(&out.name) };
            Target {
                org_id: out.name.clone(),
                address: dir.address(&out.name),
                auth,
                on_reject: on_reject(org, &me, out, server, &args.files.dir),
            }
        })
        .collect())
}

/// The hint for refused credentials, built from what the two values files say about the pair.
fn on_reject(
    client: &OrgValues,
    me: &str,
    out: &ListEntry,
    server: Option<&OrgValues>,
    dir: &Path,
) -> String {
    let link = match server {
        Some(s) if std::ptr::eq(s, client) || s.msp_id.as_deref() == Some(me) => {
            crate::shell::link_command(&[client.link_name()], dir, "")
        }
        Some(s) => crate::shell::link_command(&[client.link_name(), s.link_name()], dir, ""),
        None => crate::shell::link_command(&[client.link_name(), out.name.clone()], dir, ""),
    };
    let said = match server {
        None => FilesSay::ServerUnknown { server: &out.name, link: &link },
        // Its lists are in a Secret manifest that is not here: they are unknown, not empty.
        Some(OrgValues { missing: Some(why), .. }) => {
            FilesSay::ServerManifestMissing { server: &out.name, why, link: &link }
        }
        Some(s) => match s.incoming.iter().find(|e| e.name == me) {
            None => FilesSay::MissingOnServer {
                server: &out.name,
                client: me,
                file: s.path.display().to_string(),
                link: &link,
            },
            Some(e) if e.secret.is_some() && e.secret == out.secret => FilesSay::Agree {
                server: &out.name,
                client: me,
                file: s.path.display().to_string(),
                helm: kube::helm_upgrade_backend(&s.path.display().to_string()),
            },
            Some(_) => FilesSay::Differ { server: &out.name, client: me, link: &link },
        },
    };
    rejected_hint(&said)
}

/// How the probes run: `legacy` asks `/info/` of every organization, as the backend's own
/// command does, and writes failures as its Python exception texts.
#[derive(Clone, Copy)]
struct Mode {
    legacy: bool,
    timeout: Duration,
}

/// `/info/` of each address, asked at most once a run however many organizations log in to
/// it: anonymous requests are throttled per client address.
type InfoCache = Arc<Mutex<HashMap<String, Arc<tokio::sync::OnceCell<Outcome>>>>>;

async fn info_once(prober: &Prober, cache: &InfoCache, address: &str) -> Outcome {
    let cell = {
        let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(address.to_string()).or_default().clone()
    };
    cell.get_or_init(|| prober.info(address)).await.clone()
}

/// What asks the targets: the HTTP client and its runtime, made before any request (in
/// `check all`, before the orchestrator's probes take their share of the open files).
pub struct Asker {
    prober: Prober,
    runtime: tokio::runtime::Runtime,
    mode: Mode,
}

impl Asker {
    fn new(
        args: &Options,
        mode: Mode,
        known: Arc<Redactor>,
        printer: &Printer,
    ) -> anyhow::Result<Asker> {
        let prober = prober(args, mode, known, printer)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Explained::problem(format!("cannot start the async runtime: {e}")))?;
        Ok(Asker { prober, runtime, mode })
    }
}

/// The HTTP client of the requests, with the run's credentials to keep out of what servers
/// say.
fn prober(
    args: &Options,
    mode: Mode,
    known: Arc<Redactor>,
    printer: &Printer,
) -> anyhow::Result<Prober> {
    let cacert_pem = match &args.cacert {
        None => None,
        Some(path) => Some(std::fs::read(path).map_err(|e| {
            Explained::input(format!("cannot read --cacert {}: {e}", path.display()))
        })?),
    };
    let prober =
        Prober::new(&HttpOptions { timeout: mode.timeout, cacert_pem, insecure: args.insecure })
            .map_err(|e| match &args.cacert {
                Some(path) => Explained::input(format!("--cacert {}: {e}", path.display())),
                None => {
                    Explained::problem(format!("cannot load the system's CA certificates: {e}"))
                }
            })?;
    // Every credential of the deployment: the credentials sent are among them (the targets'
    // are the outgoing entries of the files it was made of), and each request also keeps its
    // own out of what its server says.
    let prober = prober.redacting(known);
    if args.insecure {
        printer.warn("--insecure: the backends' certificates are not verified");
    }
    Ok(prober)
}

/// Probes every target of every job at once (at most `concurrency` organizations at a time);
/// rows come back in the order of the targets.
fn probe_all(
    jobs: Vec<Vec<Target>>,
    args: &Options,
    asker: Asker,
    printer: &Printer,
) -> Vec<Vec<Row>> {
    let Asker { prober, runtime, mode } = asker;
    let total: usize = jobs.iter().map(Vec::len).sum();
    let spinner = output::outgoing::Spinner::start(printer, total);
    let limit = Arc::new(tokio::sync::Semaphore::new(args.concurrency));
    let cache = InfoCache::default();
    let rows = runtime.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for (j, job) in jobs.iter().enumerate() {
            for (t, target) in job.iter().enumerate() {
                let prober = prober.clone();
                let target = target.clone();
                let limit = limit.clone();
                let spinner = spinner.clone();
                let cache = cache.clone();
                set.spawn(async move {
                    let _permit = limit.acquire_owned().await;
                    let row = probe_one(&prober, &cache, &target, mode).await;
                    spinner.tick_one();
                    (j, t, row)
                });
            }
        }
        let mut rows: Vec<Vec<Option<Row>>> =
            jobs.iter().map(|job| vec![None; job.len()]).collect();
        while let Some(done) = set.join_next().await {
            if let Ok((j, t, row)) = done {
                rows[j][t] = Some(row);
            }
        }
        rows
    });
    // A host name lookup a timeout gave up on is not waited for (see `grpc`'s `block_on`).
    runtime.shutdown_background();
    spinner.finish();
    rows.into_iter()
        .zip(&jobs)
        .map(|(rows, job)| {
            rows.into_iter()
                .zip(job)
                .map(|(row, target)| {
                    row.unwrap_or_else(|| {
                        finish_row(
                            target,
                            Cell::failure("the probe stopped unexpectedly"),
                            Cell::skipped("not checked"),
                            vec![Trouble::Unreachable],
                            None,
                        )
                    })
                })
                .collect()
        })
        .collect()
}

/// An answer of `/model/` that proves the address reaches a backend: it authenticated the
/// request, one way or the other.
fn answers_as_backend(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Status(200..=299 | 401 | 403))
}

/// One row. With credentials, `/model/` is asked first and, when it answers as a backend,
/// `/info/` is not asked at all: the authenticated answer proves the address too, and spends
/// nothing of the backend's anonymous allowance. `/info/` is asked without credentials to check
/// (--no-auth, none in the file), for --format legacy (whose column is its status), and when
/// `/model/` answered something else.
async fn probe_one(prober: &Prober, cache: &InfoCache, target: &Target, mode: Mode) -> Row {
    // An address with credentials or a query in it is never called, nor shown whole.
    if let Some(why) = target.address.as_ref().and_then(|(a, _)| address_problem(a)) {
        let auth = match target.auth {
            None => Cell::skipped("--no-auth"),
            Some(_) => Cell::skipped("bad address"),
        };
        return finish_row(
            target,
            Cell::failure(format!("bad address: {why}")),
            auth,
            vec![Trouble::BadAddress],
            None,
        );
    }
    let Some((address, _)) = &target.address else {
        let auth = match target.auth {
            None => Cell::skipped("--no-auth"),
            Some(_) => Cell::skipped("no address"),
        };
        return finish_row(
            target,
            Cell::failure("no address"),
            auth,
            vec![Trouble::NoAddress],
            None,
        );
    };
    let model = async {
        match &target.auth {
            Some(Ok(a)) => {
                let creds = Credentials { user: &a.user, password: &a.secret, channel: &a.channel };
                Some(prober.model(address, &creds).await)
            }
            _ => None,
        }
    };
    let (info, model) = if mode.legacy {
        let (info, model) = tokio::join!(info_once(prober, cache, address), model);
        (Some(info), model)
    } else {
        let model = model.await;
        let info = match &model {
            Some(m) if answers_as_backend(m) => None,
            Some(Outcome::Status(_) | Outcome::NotBackend { .. }) | None => {
                Some(info_once(prober, cache, address).await)
            }
            Some(_) => None,
        };
        (info, model)
    };
    let mut troubles = Vec::new();
    let mut retry_after = None;
    let http = match (info, &model) {
        (Some(info), _) => {
            info_cell(info, address, &target.org_id, mode, &mut troubles, &mut retry_after)
        }
        (None, Some(Outcome::Failed(f))) => {
            troubles.push(failure_trouble(f));
            Cell::failure(f.to_string())
        }
        (None, _) => Cell::skipped("not asked: /model/ answered"),
    };
    let auth = match (&target.auth, model) {
        (None, _) => Cell::skipped("--no-auth"),
        (Some(Err((t, text))), _) => {
            troubles.push(t.clone());
            Cell::failure(text.clone())
        }
        (Some(Ok(_)), None) => Cell::skipped("not checked"),
        (Some(Ok(_)), Some(Outcome::Failed(_))) if !troubles.is_empty() && !mode.legacy => {
            Cell::skipped("not checked: unreachable")
        }
        (Some(Ok(_)), Some(outcome)) => {
            auth_cell(outcome, &target.org_id, &mut troubles, &mut retry_after)
        }
    };
    troubles.dedup();
    finish_row(target, http, auth, troubles, retry_after.map(|d: Duration| d.as_secs()))
}

/// The `http_status` cell from `/info/`'s answer.
fn info_cell(
    info: Outcome,
    address: &str,
    org_id: &str,
    mode: Mode,
    troubles: &mut Vec<Trouble>,
    retry_after: &mut Option<Duration>,
) -> Cell {
    match info {
        Outcome::Status(200) => Cell::new("200", Mark::Ok, Some(200)),
        Outcome::Status(code) | Outcome::NotBackend { status: code, .. } => {
            troubles.push(Trouble::BadStatus);
            Cell::new(code.to_string(), Mark::Failure, Some(code))
        }
        Outcome::Throttled { retry_after: wait } => {
            troubles.push(Trouble::Throttled);
            *retry_after = wait.max(*retry_after);
            let text = if mode.legacy {
                "429".to_string()
            } else {
                throttled_text(&format!("{org_id}'s backend"), wait, "anonymous /info/")
            };
            Cell::new(text, Mark::Failure, Some(429))
        }
        Outcome::Redirect { status, location } => {
            troubles.push(Trouble::Redirected);
            if mode.legacy {
                Cell::new(status.to_string(), Mark::Failure, Some(status))
            } else {
                redirect_cell(status, location)
            }
        }
        Outcome::Failed(f) => {
            troubles.push(failure_trouble(&f));
            if mode.legacy {
                Cell::failure(python_exception(&f, address, mode.timeout))
            } else {
                Cell::failure(f.to_string())
            }
        }
    }
}

/// `throttled (429) by WHO (what was throttled), retry after Ns`.
fn throttled_text(who: &str, wait: Option<Duration>, what: &str) -> String {
    let mut text = format!("throttled (429) by {who} ({what})");
    if let Some(w) = wait {
        text.push_str(&format!(", retry after {}s", w.as_secs()));
    }
    text
}

fn auth_cell(
    outcome: Outcome,
    org_id: &str,
    troubles: &mut Vec<Trouble>,
    retry_after: &mut Option<Duration>,
) -> Cell {
    let mut push = |t: Trouble| {
        if !troubles.contains(&t) {
            troubles.push(t);
        }
    };
    match outcome {
        Outcome::Status(code @ 200..=299) => Cell::new("accepted", Mark::Ok, Some(code)),
        Outcome::Status(code @ (401 | 403)) => {
            push(Trouble::Rejected);
            Cell::new(format!("rejected ({code})"), Mark::Failure, Some(code))
        }
        Outcome::Throttled { retry_after: wait } => {
            push(Trouble::ThrottledAuthenticated);
            *retry_after = wait.max(*retry_after);
            let who = format!("something in front of {org_id}'s backend");
            Cell::new(throttled_text(&who, wait, "authenticated /model/"), Mark::Failure, Some(429))
        }
        Outcome::Status(code) => {
            push(Trouble::BadStatus);
            Cell::new(format!("status {code}"), Mark::Failure, Some(code))
        }
        // Never an answer about the credentials: they are not sent to the redirect's target,
        // and what another origin answers proves nothing about this one.
        Outcome::Redirect { status, location } => {
            push(Trouble::Redirected);
            redirect_cell(status, location)
        }
        // A catch-all ingress or a default page answers 200 to anything.
        Outcome::NotBackend { status, content_type } => {
            push(Trouble::BadStatus);
            let what =
                if content_type.is_empty() { "no content type".into() } else { content_type };
            Cell::new(
                format!("{status}, not a backend's answer ({what})"),
                Mark::Failure,
                Some(status),
            )
        }
        Outcome::Failed(f) => {
            push(failure_trouble(&f));
            Cell::failure(f.to_string())
        }
    }
}

fn redirect_cell(status: u16, location: Option<String>) -> Cell {
    let text = match location {
        Some(to) => format!("redirect ({status}) to {to}"),
        None => format!("redirect ({status}) without a location"),
    };
    Cell::new(text, Mark::Failure, Some(status))
}

fn failure_trouble(f: &Failure) -> Trouble {
    match f {
        Failure::TlsUnknownIssuer
        | Failure::TlsNameMismatch
        | Failure::TlsExpired
        | Failure::Tls(_) => Trouble::Tls,
        Failure::NotLatin1 => Trouble::UnusableSecret,
        Failure::OpenFiles => Trouble::OpenFiles,
        _ => Trouble::Unreachable,
    }
}

fn finish_row(
    target: &Target,
    http: Cell,
    auth: Cell,
    trouble: Vec<Trouble>,
    retry_after: Option<u64>,
) -> Row {
    let hint = row_hint(&trouble, &target.org_id, Some(&target.on_reject));
    Row {
        org_id: target.org_id.clone(),
        org_address: target.address.as_ref().map(|(a, _)| match address_problem(a) {
            Some(_) => shown_url(a),
            None => a.clone(),
        }),
        address_from: target.address.as_ref().map(|(_, from)| from.clone()),
        http_status: http,
        auth,
        trouble,
        hint,
        retry_after,
    }
}

// ---------------------------------------------------------------------------------------------
// The three ways to run

/// Locks --dir, and the directory of --values, while the values files are read, like every
/// command that opens a directory: a run writing there is waited for (at most --lock-wait), and
/// what an interrupted run left is finished first, so no half-written batch is read. The lock
/// is released before any server is asked.
fn lock_reads(args: &Options, printer: &Printer) -> anyhow::Result<Option<Lock>> {
    let ws = Workspace::new(&args.files.dir, &args.files.values_pattern)?;
    let also: Vec<PathBuf> = args.values.iter().filter(|p| p.is_file()).cloned().collect();
    let (lock, _) = crate::commands::lock_discovered(&ws, &also, printer)?;
    Ok(lock)
}

fn one(
    args: &Options,
    timeout: Duration,
    legacy: bool,
    printer: &Printer,
) -> anyhow::Result<Outgoing> {
    let lock = lock_reads(args, printer)?;
    let (org, peers) = match (&args.org, &args.values) {
        (Some(name), _) => {
            let peers = scan(&args.files, printer, false)?;
            let path = Workspace::new(&args.files.dir, &args.files.values_pattern)?.path_of(name);
            let org = match peers.iter().find(|p| p.name.as_deref() == Some(name.as_str())) {
                Some(org) => org.clone(),
                None => OrgValues::read(&path, Some(name.clone()))?,
            };
            (org, peers)
        }
        (None, Some(path)) => {
            let org = OrgValues::read(path, None)?;
            let peers = if args.files.dir.is_dir() {
                scan(&args.files, printer, false)?
            } else {
                Vec::new()
            };
            (org, peers)
        }
        (None, None) => {
            return Err(Explained::input("say which organization to check")
                .hint(hints::OUTGOING_WHICH)
                .into())
        }
    };
    let addresses = parse_addresses(&args.addresses)?;
    let roster = if args.files.dir.is_dir() {
        roster_addresses(&args.files.dir)?
    } else {
        RosterAddresses::default()
    };
    let dir = Directory { addresses: &addresses, peers: &peers, roster: &roster };
    let targets = targets(&org, &dir, args)?;
    let known = redactor_of(args, std::iter::once(&org).chain(&peers), printer);
    // The files are read: other runs may write them while the servers are probed.
    drop(lock);
    let ids: Vec<&str> = targets.iter().map(|t| t.org_id.as_str()).collect();
    let mode = Mode { legacy, timeout };
    for unused in dir.unused(&ids) {
        printer.warn(&format!(
            "--address {unused}=...: {unused} is not in the outgoing organizations of {}",
            org.path.display()
        ));
    }
    if let Some(why) = &org.missing {
        printer.warn(&format!("skipped: {why}"));
    } else if targets.is_empty() {
        printer.warn(&format!(
            "{}: addAccountOperator.outgoingOrganizations is empty: nothing to check",
            org.path.display()
        ));
    }
    let asker = Asker::new(args, mode, known, printer)?;
    let rows =
        probe_all(vec![targets], args, asker, printer).into_iter().next().unwrap_or_default();
    let report = OutgoingReport {
        organization: org.msp_id()?.to_string(),
        source: "probe",
        auth_checked: !args.no_auth,
        rows,
        skipped: org.missing.clone(),
    };
    Ok(Outgoing::One { report, legacy })
}

fn all(args: &Options, timeout: Duration, printer: &Printer) -> anyhow::Result<Outgoing> {
    let lock = lock_reads(args, printer)?;
    let orgs = scan(&args.files, printer, true)?;
    if orgs.is_empty() {
        return Err(Explained::input(format!(
            "no values file matching {} in {}",
            args.files.values_pattern,
            args.files.dir.display()
        ))
        .hint(hints::DIR_AND_PATTERN)
        .into());
    }
    let links = Links::of(&orgs, args, timeout, printer)?;
    drop(lock);
    Ok(links.ask(args, printer))
}

/// The links of `--all`, ready to be asked: plain data, which another thread can ask.
pub struct Links {
    jobs: Vec<Vec<Target>>,
    /// Each organization's MSP ID, and why its credentials are unknown.
    orgs: Vec<(String, Option<String>)>,
    asker: Asker,
}

impl Links {
    /// `--all` over the backends of a deployment model read already (`check all`'s): the
    /// directory is not read again. `args` are [`Options::every`]'s.
    pub fn of_model(
        backends: &[BackendFile],
        args: &Options,
        printer: &Printer,
    ) -> anyhow::Result<Links> {
        let orgs: Vec<OrgValues> =
            backends.iter().map(|b| OrgValues::of(b.clone(), Some(b.name.clone()))).collect();
        Links::of(&orgs, args, Duration::from_secs_f64(args.timeout), printer)
    }

    /// The links of `orgs`, each asked within `timeout`.
    fn of(
        orgs: &[OrgValues],
        args: &Options,
        timeout: Duration,
        printer: &Printer,
    ) -> anyhow::Result<Links> {
        let addresses = parse_addresses(&args.addresses)?;
        let roster = RosterAddresses::default();
        let dir = Directory { addresses: &addresses, peers: orgs, roster: &roster };
        let jobs =
            orgs.iter().map(|o| targets(o, &dir, args)).collect::<anyhow::Result<Vec<_>>>()?;
        let ids = orgs
            .iter()
            .map(|o| Ok((o.msp_id()?.to_string(), o.missing.clone())))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let mode = Mode { legacy: false, timeout };
        let asker = Asker::new(args, mode, redactor_of(args, orgs, printer), printer)?;
        Ok(Links { jobs, orgs: ids, asker })
    }

    /// Asks every link, at most `args.concurrency` at a time.
    pub fn ask(self, args: &Options, printer: &Printer) -> Outgoing {
        let rows = probe_all(self.jobs, args, self.asker, printer);
        let mut ids = Vec::new();
        let mut reports = Vec::new();
        for ((id, missing), rows) in self.orgs.into_iter().zip(rows) {
            ids.push(id.clone());
            reports.push(OutgoingReport {
                organization: id,
                source: "probe",
                auth_checked: !args.no_auth,
                rows,
                skipped: missing,
            });
        }
        let matrix = MatrixReport { organizations: ids, reports };
        Outgoing::Matrix(matrix)
    }
}

/// `--in-cluster`: kubectl finds the backend's server pod and runs its own command there, both
/// within one deadline of --timeout. With --org or --values, every organization of the values
/// file's outgoing list must be in the table.
fn in_cluster(
    args: &Options,
    timeout: Duration,
    legacy: bool,
    printer: &Printer,
) -> anyhow::Result<Outgoing> {
    let lock = lock_reads(args, printer)?;
    let expected = match (&args.org, &args.values) {
        (Some(name), _) => {
            let path = Workspace::new(&args.files.dir, &args.files.values_pattern)?.path_of(name);
            if workspace::read(&path)?.is_some() {
                Some(OrgValues::read(&path, Some(name.clone()))?)
            } else {
                printer.warn(&format!(
                    "{} does not exist: the table is not compared with {name}'s outgoing list",
                    path.display()
                ));
                None
            }
        }
        (None, Some(path)) => Some(OrgValues::read(path, None)?),
        (None, None) => None,
    };
    // Credentials kept in a Secret manifest that is not here: the outgoing list is unknown.
    let expected = match expected {
        Some(org) if org.missing.is_some() => {
            printer.warn(&format!(
                "{}: the table is not compared with {}'s outgoing list",
                org.missing.as_deref().unwrap_or_default(),
                org.link_name()
            ));
            None
        }
        other => other,
    };
    // What the pod prints is the backend's to write (and kubectl's, the pod's name): every
    // credential of the deployment's files is kept out of it as out of what a server says,
    // whichever organization is checked: the values file compared, every backend file of
    // --dir with the manifests they name, and the orchestrator's values.
    let peers =
        if args.files.dir.is_dir() { scan(&args.files, printer, false)? } else { Vec::new() };
    let redactor = redactor_of(args, expected.iter().chain(&peers), printer);
    drop(lock);
    let deadline = Instant::now() + timeout;
    let kubectl = Kubectl { context: args.context.clone(), namespace: args.namespace.clone() };
    let pod = kubectl
        .one_pod(BACKEND_SERVER_SELECTOR, deadline, timeout)
        .map_err(|e| kube_error(e, &kubectl, &redactor))?;
    let command = ["./manage.py", "get_outgoing_organization"];
    let out = kubectl
        .exec(&pod, &command, deadline, timeout)
        .map_err(|e| kube_error(e, &kubectl, &redactor))?;
    let shown = kubectl.command_line(&["exec", &pod, "--", command[0], command[1]]);
    let mut rows = parse_backend_table(&out).map_err(|e| {
        // The broken line is scrubbed as it came, before it is cut and escaped (escaping
        // writes letters between the pieces of a secret: `\u{1}`).
        let e = match e {
            TableError::Broken { line, text } => {
                let text = redactor.scrub(&text).chars().take(SHOWN_LINE).collect();
                TableError::Broken { line, text }
            }
            e => e,
        };
        // The command line holds the pod's name, which kubectl printed.
        let message = redactor.scrub(&format!("`{shown}` {e}"));
        Explained::problem(format!("{message} ({})", kubectl.place()))
            .hint(hints::IN_CLUSTER_OUTPUT)
    })?;
    if let Some(org) = &expected {
        for ListEntry { name: org_id, .. } in &org.outgoing {
            if rows.iter().any(|r| &r.org_id == org_id) {
                continue;
            }
            let trouble = vec![Trouble::NotInTable];
            rows.push(Row {
                org_id: org_id.clone(),
                org_address: None,
                address_from: Some(format!("outgoingOrganizations in {}", org.path.display())),
                http_status: Cell::failure("not in the backend's table"),
                auth: Cell::skipped("not checked in cluster"),
                hint: row_hint(&trouble, org_id, None),
                trouble,
                retry_after: None,
            });
        }
    }
    // Read as a table: a credential cut into cells (one piece a row, or a row of pieces) is
    // found across them, row after row and down each column.
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.org_id.clone(),
                r.org_address.clone().unwrap_or_default(),
                r.http_status.text.clone(),
            ]
        })
        .collect();
    for (row, cells) in rows.iter_mut().zip(redactor.scrub_table(&cells)) {
        let [org_id, address, status] = <[String; 3]>::try_from(cells).unwrap_or_default();
        // The hint names the organization as the row does.
        if org_id != row.org_id && !row.org_id.is_empty() {
            row.hint = row.hint.take().map(|h| h.replace(&row.org_id, &org_id));
        }
        row.hint = row.hint.take().map(|h| redactor.scrub(&h));
        row.org_id = org_id;
        row.org_address = row.org_address.is_some().then_some(address);
        row.http_status.text = status;
    }
    let organization = match (&expected, &args.org) {
        (Some(org), _) => org.msp_id()?.to_string(),
        (None, Some(name)) => name.clone(),
        (None, None) => redactor.scrub(pod.trim_start_matches("pod/")),
    };
    let report = OutgoingReport {
        organization,
        source: "in-cluster",
        auth_checked: false,
        rows,
        skipped: None,
    };
    Ok(Outgoing::One { report, legacy })
}

fn kube_error(mut err: KubeError, kubectl: &Kubectl, redactor: &Redactor) -> anyhow::Error {
    // The pods' names are read together: a credential may be cut over several.
    match &mut err {
        KubeError::SeveralPods { pods, .. } => *pods = redactor.scrub_items(pods),
        // Scrubbed as it came, before it is escaped.
        KubeError::BadPodName { got, .. } => *got = redactor.scrub(got),
        _ => {}
    }
    let hint = crate::commands::failure::outgoing::kube_hint(&err, &kubectl.place());
    let message = redactor.scrub(&err.to_string());
    let explained = match err {
        KubeError::Missing | KubeError::NoPod { .. } | KubeError::SeveralPods { .. } => {
            Explained::input(message)
        }
        _ => Explained::problem(message),
    };
    explained.hint(hint).into()
}

// ---------------------------------------------------------------------------------------------
// The backend's table

/// Removes ANSI escape sequences (colours) from a line.
fn strip_ansi(line: &str) -> String {
    // Every control sequence goes whole (colours, and control strings with what they carry:
    // what is not shown is not read either), and an ESC that starts none.
    let mut out = String::with_capacity(line.len());
    let mut at = 0;
    while let Some(c) = line[at..].chars().next() {
        if c == '\x1b' || ('\u{80}'..='\u{9f}').contains(&c) {
            if let Some((len, _)) = crate::probe::redact::control_sequence(&line[at..]) {
                at += len.max(c.len_utf8());
                continue;
            }
            if c == '\x1b' {
                at += 1;
                continue;
            }
        }
        out.push(c);
        at += c.len_utf8();
    }
    out
}

/// How much of a broken line of the table an error shows.
const SHOWN_LINE: usize = 120;

/// Why the output of `get_outgoing_organization` is not a whole table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    #[error("did not print the table of get_outgoing_organization")]
    NoHeader,
    #[error("printed the header of get_outgoing_organization's table and no row: either the backend has no outgoing organization or its output was cut off")]
    NoRows,
    #[error("printed a table of get_outgoing_organization that is cut off or broken at line {line}: {text:?}")]
    Broken { line: usize, text: String },
    #[error(
        "printed a table of more than {MAX_ROWS} rows, more organizations than a network holds"
    )]
    TooManyRows,
    #[error("printed more than {} MiB, more than the table of any network takes", MAX_TABLE_BYTES >> 20)]
    TooLarge,
}

/// The most of the backend's output read as its table: 10,000 rows of 100 bytes. Reading a
/// text for credentials takes time with its size (up to seconds a MiB for text a hostile
/// kubectl chose), after kubectl has answered.
const MAX_TABLE_BYTES: usize = 1 << 20;

/// The most rows the backend's table is read for: a row per organization of the network.
const MAX_ROWS: usize = 10_000;

/// Reads the table printed by `./manage.py get_outgoing_organization`, with or without colour
/// codes: the header row `org_id | org_address | http_status`, then one row per organization,
/// every line after the header a whole row. A status is a number only when it is three digits.
pub fn parse_backend_table(text: &str) -> Result<Vec<Row>, TableError> {
    if text.len() > MAX_TABLE_BYTES {
        return Err(TableError::TooLarge);
    }
    let mut lines = text.lines().map(strip_ansi).map(|l| l.trim().to_string()).enumerate();
    let cells = |line: &str| -> Option<Vec<String>> {
        let inner = line.strip_prefix('|')?.strip_suffix('|')?;
        Some(inner.split('|').map(|c| c.trim().to_string()).collect())
    };
    lines
        .by_ref()
        .find(|(_, l)| {
            cells(l).is_some_and(|c| c.len() == 3 && c[0] == "org_id" && c[2] == "http_status")
        })
        .ok_or(TableError::NoHeader)?;
    let mut rows = Vec::new();
    for (n, line) in lines {
        if line.is_empty() {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(TableError::TooManyRows);
        }
        let mut c = match cells(&line) {
            Some(c) if c.len() >= 3 && !c[0].is_empty() => c,
            _ => {
                // A line of kubectl's output can be megabytes long: show its start.
                // Twice what is shown: the caller scrubs it before it is cut and shown.
                let text: String = line.chars().take(2 * SHOWN_LINE).collect();
                return Err(TableError::Broken { line: n + 1, text });
            }
        };
        // An exception text may hold `|`: everything after the address is the status.
        let status = c.split_off(2).join("|");
        let org_id = c[0].clone();
        let address = c[1].clone();
        let code = (status.len() == 3 && status.bytes().all(|b| b.is_ascii_digit()))
            .then(|| status.parse::<u16>().ok())
            .flatten()
            .filter(|c| (100..=599).contains(c));
        let (http, trouble) = match code {
            Some(200) => (Cell::new("200", Mark::Ok, Some(200)), Vec::new()),
            Some(429) => {
                (Cell::new(status.clone(), Mark::Failure, Some(429)), vec![Trouble::Throttled])
            }
            Some(code) => {
                (Cell::new(status.clone(), Mark::Failure, Some(code)), vec![Trouble::BadStatus])
            }
            None => (Cell::failure(status.clone()), vec![Trouble::Unreachable]),
        };
        // The backend's command never prints a control character: a row holding one (a NUL,
        // a carriage return) was not written by it, and proves nothing.
        let (http, trouble, hint) = if line.chars().any(|c| c.is_control() && c != '\t') {
            let hint = Some(UNTRUSTED_ROW.to_string());
            (Cell::failure("the row holds control characters"), vec![Trouble::BadStatus], hint)
        } else {
            let hint = row_hint(&trouble, &org_id, None);
            (http, trouble, hint)
        };
        // An announced address is shown without user info or query.
        let address = match address_problem(&address) {
            Some(_) if address.contains("://") => shown_url(&address),
            _ => address,
        };
        rows.push(Row {
            org_id,
            org_address: (!address.is_empty() && address != "None").then_some(address),
            address_from: Some("the orchestrator (in cluster)".into()),
            http_status: http,
            auth: Cell::skipped("not checked in cluster"),
            trouble,
            hint,
            retry_after: None,
        });
    }
    if rows.is_empty() {
        return Err(TableError::NoRows);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: &str = "|   org_id    |          org_address           | http_status |\n\
                         | biotechnica | http://api.cluster-2.DOMAIN:80 |     200     |\n\
                         |   tyrell    |  http://api.tyrell.example:80  |     503     |\n";

    #[test]
    fn reads_the_backend_table() {
        let rows = parse_backend_table(PLAIN).expect("table");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].org_id, "biotechnica");
        assert_eq!(rows[0].org_address.as_deref(), Some("http://api.cluster-2.DOMAIN:80"));
        assert!(rows[0].ok());
        assert_eq!(rows[1].http_status.code, Some(503));
        assert!(!rows[1].ok());
    }

    #[test]
    fn reads_the_backend_table_in_colour() {
        let coloured = "Warning: something\n\
            \x1b[1m|   org_id    |          org_address           | http_status |\x1b[0m\n\
            | biotechnica | http://api.cluster-2.DOMAIN:80 |     \x1b[32m200\x1b[0m     |\n\
            |   tyrell    |  http://api.tyrell.example:80  | \x1b[31mHTTPConnectionPool(host='x', port=80): Max retries\x1b[0m |\n";
        let rows = parse_backend_table(coloured).expect("table");
        assert_eq!(rows.len(), 2);
        assert!(rows[0].ok());
        assert_eq!(rows[1].http_status.text, "HTTPConnectionPool(host='x', port=80): Max retries");
        assert_eq!(
            parse_backend_table("Traceback (most recent call last):\nKeyError: 'x'\n").err(),
            Some(TableError::NoHeader)
        );
    }

    #[test]
    fn an_incomplete_table_is_an_error() {
        let header = PLAIN.lines().next().unwrap_or_default();
        assert_eq!(parse_backend_table(&format!("{header}\n")).err(), Some(TableError::NoRows));
        let cut = &PLAIN[..PLAIN.len() - 12];
        assert!(matches!(parse_backend_table(cut), Err(TableError::Broken { line: 3, .. })));
        let long = format!("{PLAIN}| {}", "x".repeat(900 << 10));
        match parse_backend_table(&long) {
            // Twice what is shown: scrubbed, then cut.
            Err(TableError::Broken { line: 4, text }) => assert_eq!(text.chars().count(), 240),
            other => panic!("{other:?}"),
        }
        let larger = format!("{PLAIN}| {}", "x".repeat(1 << 20));
        assert_eq!(parse_backend_table(&larger).err(), Some(TableError::TooLarge));
        let plus = PLAIN.replace("    200     ", "    +200    ");
        let rows = parse_backend_table(&plus).expect("table");
        assert_eq!(rows[0].http_status.code, None);
        assert!(!rows[0].ok());
        for status in ["0200", "2e2", "999", " 20 0"] {
            let text = PLAIN.replace("    200     ", status);
            let rows = parse_backend_table(&text).expect("table");
            assert!(!rows[0].ok(), "{status}");
        }
    }

    #[test]
    fn addresses_are_org_equals_url() {
        assert!(parse_addresses(&["a=http://x".into()]).is_ok());
        assert!(parse_addresses(&["a".into()]).is_err());
        assert!(parse_addresses(&["=http://x".into()]).is_err());
    }
}

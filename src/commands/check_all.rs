//! `substractl check all`: one report that proves a deployment directory, grouped as the
//! operator meets the pieces: the values (the checks of `check values`), the certificates of
//! `certs gen`, the orchestrator as each organization reaches it (the checks of `check
//! orchestrator`, every organization at once), and every backend's outgoing links (`check
//! outgoing --all`). The directory is read once into the deployment model; each group is a
//! function of that model and plain options, and what cannot run is skipped, with why.
//! `--wait` retries the failing network checks until they pass or time runs out.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use time::OffsetDateTime;

use crate::cli::{CheckAllArgs, GrpcTarget};
use crate::commands::certs::{CA_CRT, SERVER_CRT, SERVER_KEY};
use crate::commands::grpc::Setup;
use crate::commands::{check, check_outgoing as outgoing, check_values};
use crate::deployment::{BackendFile, Deployment, Select};
use crate::error::hints;
use crate::error::Explained;
use crate::output::check::Waiting;
use crate::output::Printer;
use crate::pki::leaf::Name;
use crate::pki::verify::{self, Purpose};
use crate::probe::redact::Redactor;
use crate::report::check::{Check, CheckReport, Mark};
use crate::report::outgoing::Outgoing;
use crate::workspace::Workspace;

const CERTIFICATES: &str = "certificates";
const OUTGOING: &str = "outgoing";

/// What `check all` takes from one backend of the model: where and how it dials the
/// orchestrator, as Helm deploys its values.
struct Backend {
    path: PathBuf,
    msp_id: String,
    /// `orchestrator.host`, unless the file leaves it to the chart's default.
    host: Option<String>,
    /// `host:port` as the chart's default gives it, for the message of a skipped check.
    chart_address: String,
    port: String,
    tls: bool,
    mtls: bool,
    channel: Option<String>,
}

impl Backend {
    fn of(b: &BackendFile) -> Backend {
        let v = &b.view;
        let set = !v.orchestrator_host.is_empty() && !v.orchestrator_host_from_chart;
        Backend {
            path: b.path().to_path_buf(),
            msp_id: v.msp_id.clone(),
            host: set.then(|| v.orchestrator_host.clone()),
            chart_address: format!("{}:{}", v.orchestrator_host, v.orchestrator_port),
            port: v.orchestrator_port.clone(),
            tls: v.tls,
            mtls: v.mtls,
            channel: v.channels.first().cloned(),
        }
    }
}

pub fn run(args: CheckAllArgs, printer: &Printer) -> anyhow::Result<CheckReport> {
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 86_400.0) {
        return Err(Explained::input(format!(
            "--timeout {} is not a positive number of seconds",
            args.timeout
        ))
        .into());
    }
    let timeout = Duration::from_secs_f64(args.timeout);
    let wait = args.wait.as_deref().map(parse_duration).transpose()?;

    // The directory, read once.
    let ws = Workspace::new(&args.files.dir, &args.files.values_pattern)?.existing()?;
    let also = [ws.file(&args.orchestrator_values)];
    let (lock, orgs) = crate::commands::lock_deployment(&ws, &also, printer)?;
    let deployment = {
        let _lock = lock;
        let select = Select {
            orgs: &orgs,
            create: None,
            orchestrator: Some(args.orchestrator_values.as_path()),
        };
        Deployment::open(&ws, select)?
    };

    // 1. Values: the groups of `check values`, under "values".
    let values = check_values::values_report(&deployment, &args.orchestrator_values, printer)?;
    let dir = args.files.dir.clone();
    let mut report = CheckReport::new(format!(
        "deployment in {}: {} organizations ({})",
        dir.display(),
        orgs.len(),
        orgs.join(", ")
    ));
    report.about.push(("dir", dir.display().to_string()));
    for mut c in values.checks {
        c.group = format!("values {}", c.group);
        report.push(c);
    }

    let backends: Vec<Backend> = deployment.backends.iter().map(Backend::of).collect();
    let ingress = deployment.orchestrator.as_ref().and_then(|o| o.view.hostname.clone());
    // Whether the orchestrator verifies clients' MSP IDs (tls, mtls and verifyClientMSPID on).
    let msp_id_verification =
        deployment.orchestrator.as_ref().map(|o| o.view.mtls && o.view.verify_client_msp_id);

    // 2. Certificates.
    let certs = find_certs(&dir, args.certs.as_deref());
    match &certs {
        Ok(certs_dir) => {
            report.about.push(("certs", certs_dir.display().to_string()));
            for c in
                certificate_checks(certs_dir, &backends, ingress.as_deref(), msp_id_verification)
            {
                report.push(c);
            }
        }
        Err(why) => report.push(Check::skipped(CERTIFICATES, "files", why.clone()).with_hint(
            "make them with substractl certs gen --values-dir DIR, or pass --certs DIR",
        )),
    }

    // 3 and 4. The network, retried with --wait. Every probe keeps every credential of the
    // deployment (its values files, the orchestrator's included, and the Secret manifests
    // beside them) out of what it shows.
    let held = deployment.held();
    let redactor = Arc::new(Redactor::building(move || held.redactor()));
    let deadline = wait.map(|w| Instant::now() + w);
    let waiting = Waiting::start(printer, wait.is_some());
    let mut orchestrators: Vec<Option<Vec<Check>>> = vec![None; backends.len()];
    let mut links: Option<Vec<Check>> = None;
    let mut pause = FIRST_PAUSE;
    loop {
        let step = match deadline {
            Some(d) => timeout.min(d.saturating_duration_since(Instant::now())).max(MIN_STEP),
            None => timeout,
        };
        // Every organization's view of the orchestrator at once, at most --concurrency, while
        // the outgoing links are asked on a thread of their own: a round takes the longer of
        // the two, not their sum.
        let due: Vec<usize> = (0..backends.len())
            .filter(|i| orchestrators[*i].as_ref().is_none_or(|checks| failed(checks)))
            .collect();
        let probes: Vec<Probe> = due
            .iter()
            .map(|i| {
                orchestrator_probe(&args, &backends[*i], certs.as_deref().ok(), step, &redactor)
            })
            .collect();
        // The links, set up from the model here (its trees stay on this thread), asked there.
        let links_due = links
            .as_ref()
            .is_none_or(|checks| failed(checks))
            .then(|| outgoing_links(&args, &deployment.backends, step, &redactor, printer));
        let (found, asked) = std::thread::scope(|scope| {
            let outgoing = links_due.map(|due| scope.spawn(|| outgoing_checks(due, printer)));
            let found = orchestrator_round(probes, usize::from(args.concurrency));
            let asked = outgoing.map(|thread| {
                thread.join().unwrap_or_else(|_| {
                    let stopped = "the probe stopped unexpectedly";
                    (vec![Check::failure(OUTGOING, "links", stopped, "")], None)
                })
            });
            (found, asked)
        });
        for (i, checks) in due.into_iter().zip(found) {
            orchestrators[i] = Some(checks);
        }
        let mut asked_to_wait = None;
        if let Some((checks, retry_after)) = asked {
            links = Some(checks);
            asked_to_wait = retry_after;
        }
        let failing: usize = orchestrators
            .iter()
            .flatten()
            .chain(links.iter())
            .map(|checks| checks.iter().filter(|c| c.status == Mark::Failure).count())
            .sum();
        let Some(deadline) = deadline else { break };
        let left = deadline.saturating_duration_since(Instant::now());
        if failing == 0 || left.is_zero() {
            break;
        }
        // Back off, and never ask again before a throttling server said to: when that is
        // beyond --wait, asking again cannot pass.
        if asked_to_wait.is_some_and(|w| w >= left) {
            break;
        }
        let next = pause.max(asked_to_wait.unwrap_or_default()).min(left);
        waiting.say(&format!(
            "waiting for {failing} failing network check(s), next try in {}s, {}s left",
            next.as_secs_f64().ceil(),
            left.as_secs_f64().ceil()
        ));
        std::thread::sleep(next);
        pause = (pause * 2).min(MAX_PAUSE);
    }
    waiting.finish();
    // A server can echo what another probe of the run sent to it (the orchestrator and a
    // backend may be one host): what the network said is scrubbed of every credential of the
    // deployment, in every spelling the redactor knows.
    // Each text once: the checks of hundreds of organizations say the same few things.
    let mut scrubbed: HashMap<String, String> = HashMap::new();
    let mut scrub = |text: String| -> String {
        scrubbed.entry(text).or_insert_with_key(|t| redactor.scrub(t)).clone()
    };
    for checks in orchestrators.into_iter().flatten().chain(links) {
        for mut c in checks {
            c.detail = scrub(c.detail);
            c.hint = c.hint.map(&mut scrub);
            report.push(c);
        }
    }
    // The model's trees and the redactor's spellings are millions of small allocations for a
    // deployment of many organizations, which the end of the process frees at once: freeing
    // them one by one took a second of a 200-organization run, after its last probe (as
    // `link` does with its files).
    std::mem::forget(scrubbed);
    std::mem::forget(redactor);
    std::mem::forget(deployment);
    Ok(report)
}

/// How long `--wait` pauses after the first round of failing checks; the pause doubles after
/// each round up to [`MAX_PAUSE`], and is at least what a 429's `Retry-After` asked for.
const FIRST_PAUSE: Duration = Duration::from_millis(500);
const MAX_PAUSE: Duration = Duration::from_secs(8);
/// The least time a network step is given, even when `--wait` is about to run out.
const MIN_STEP: Duration = Duration::from_millis(200);

fn failed(checks: &[Check]) -> bool {
    checks.iter().any(|c| c.status == Mark::Failure)
}

/// `90s`, `500ms`, `5m`, `1h`, or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, Explained> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let scale = match unit.trim() {
        "" | "s" => 1.0,
        "ms" => 0.001,
        "m" => 60.0,
        "h" => 3600.0,
        _ => f64::NAN,
    };
    let secs = number.parse::<f64>().map(|n| n * scale).unwrap_or(f64::NAN);
    if secs.is_finite() && secs > 0.0 && secs <= 86_400.0 {
        Ok(Duration::from_secs_f64(secs))
    } else {
        Err(Explained::input(format!("--wait {text:?} is not a duration"))
            .hint(hints::DURATION_FORM))
    }
}

/// The directory of the certificates: --certs, else DIR when it holds the CA, else DIR/certs.
fn find_certs(dir: &Path, given: Option<&Path>) -> Result<PathBuf, String> {
    let candidates: Vec<PathBuf> = match given {
        Some(d) => vec![d.to_path_buf()],
        None => vec![dir.to_path_buf(), dir.join("certs")],
    };
    candidates.iter().find(|d| !missing(&d.join(CA_CRT))).cloned().ok_or_else(|| {
        let places: Vec<String> = candidates.iter().map(|d| d.display().to_string()).collect();
        format!("no {CA_CRT} in {}: the certificate checks need it", places.join(" or "))
    })
}

/// Whether nothing at all is at `path` (no directory entry). Anything else there, a dangling
/// link, a FIFO, a directory or a device included, is read, and fails the check that reads it
/// with what it is, rather than being taken for missing and skipping the check.
fn missing(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
}

/// The hint for a file the certificate checks could not use. A file this user may not read may
/// well be sound: its hint is the permission, never to make the file again.
fn unusable_hint(e: &verify::Unusable, otherwise: &str) -> String {
    match e.denied() {
        Some(path) => hints::read_permission(path),
        None => otherwise.to_string(),
    }
}

/// Every certificate check: the server pair against the CA and the names it is dialled with,
/// and each organization's client pair against its MSP ID.
fn certificate_checks(
    dir: &Path,
    backends: &[Backend],
    ingress: Option<&str>,
    msp_id_verification: Option<bool>,
) -> Vec<Check> {
    let now = OffsetDateTime::now_utc();
    let ca_path = dir.join(CA_CRT);
    let ca_certs = match verify::read_ca(&ca_path) {
        Ok(c) => c,
        Err(e) => {
            // Never "make it again": a new CA would invalidate every certificate deployed.
            let hint = unusable_hint(
                &e,
                "put there the CA certificate (PEM) the deployment uses, or pass --certs DIR; a \
                 new CA would invalidate every certificate already deployed",
            );
            return vec![Check::failure(CERTIFICATES, "ca", e.to_string(), hint)];
        }
    };
    let mut names: Vec<String> = backends.iter().filter_map(|b| b.host.clone()).collect();
    names.extend(ingress.map(String::from));
    names.sort();
    names.dedup();
    let mut hosts = Vec::new();
    let mut unparsed = Vec::new();
    for name in &names {
        match Name::parse(name) {
            Ok(n) => hosts.push(n),
            Err(e) => unparsed.push(Check::failure(
                CERTIFICATES,
                "server host",
                e.to_string(),
                "fix orchestrator.host in the backend values",
            )),
        }
    }
    let files = || verify::Files {
        ca_path: &ca_path,
        ca_certs: &ca_certs,
        cert: Path::new(""),
        key: None,
        hosts: &[],
        organization: None,
        purpose: Purpose::Server,
        msp_id_verification,
        now,
    };
    let (crt, key) = (dir.join(SERVER_CRT), dir.join(SERVER_KEY));
    let mut out = pair_checks(
        "server",
        &verify::Files { cert: &crt, key: Some(&key), hosts: &hosts, ..files() },
    );
    out.extend(unparsed);
    for b in backends {
        let crt = dir.join(format!("{}.crt", b.msp_id));
        if !b.mtls && missing(&crt) {
            out.push(Check::skipped(
                CERTIFICATES,
                format!("{} client", b.msp_id),
                format!("mTLS is off in {} and there is no {}", b.path.display(), crt.display()),
            ));
            continue;
        }
        let key = dir.join(format!("{}.key", b.msp_id));
        out.extend(pair_checks(
            &b.msp_id,
            &verify::Files {
                cert: &crt,
                key: Some(&key),
                organization: Some(&b.msp_id),
                purpose: Purpose::Client,
                ..files()
            },
        ));
    }
    out
}

/// The checks of one certificate and its key, as `certs verify` makes them, named after `who`
/// in the certificates group: a file that cannot be used is a failed check.
fn pair_checks(who: &str, files: &verify::Files<'_>) -> Vec<Check> {
    let name = |check: &str| format!("{who} {check}");
    let remake = "make it with substractl certs gen (--org MSPID for a client certificate)";
    let mut checks = match verify::verify_files(files) {
        Ok(verified) => {
            let mut checks = verified.checks;
            if let Some(e) = verified.key {
                checks.push(Check::failure(
                    verify::GROUP,
                    "key",
                    e.to_string(),
                    unusable_hint(&e, remake),
                ));
            }
            checks
        }
        Err(e) => {
            let hint = unusable_hint(&e, remake);
            return vec![Check::failure(CERTIFICATES, name("certificate"), e.to_string(), hint)];
        }
    };
    for c in &mut checks {
        c.group = CERTIFICATES.into();
        c.check = name(&c.check);
    }
    checks
}

/// One organization's group of orchestrator checks before the network: decided already
/// (skipped, or its setup failed), or a probe to run.
enum Probe {
    Decided(Vec<Check>),
    Ready { group: String, setup: Box<Setup> },
}

/// `check orchestrator` as one organization's backend reaches it: its checks, renamed into its
/// group, not yet scrubbed.
async fn ask_orchestrator(group: String, setup: Box<Setup>) -> Vec<Check> {
    check::orchestrator_checks(&setup)
        .await
        .checks
        .into_iter()
        .map(|mut c| {
            c.check = format!("{} {}", c.group, c.check);
            c.group = group.clone();
            c
        })
        .collect()
}

/// Every probe at once on one runtime, at most `concurrency` at a time; the checks come back
/// in the probes' order.
fn orchestrator_round(probes: Vec<Probe>, concurrency: usize) -> Vec<Vec<Check>> {
    let mut found: Vec<Option<Vec<Check>>> = Vec::with_capacity(probes.len());
    let mut groups: Vec<(usize, String)> = Vec::new();
    let mut ready = Vec::new();
    for (i, probe) in probes.into_iter().enumerate() {
        match probe {
            Probe::Decided(checks) => found.push(Some(checks)),
            Probe::Ready { group, setup } => {
                found.push(None);
                groups.push((i, group.clone()));
                ready.push((i, group, setup));
            }
        }
    }
    let limit = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let asked = crate::commands::grpc::on_runtime(async move {
        let mut set = tokio::task::JoinSet::new();
        for (i, group, setup) in ready {
            let limit = Arc::clone(&limit);
            set.spawn(async move {
                let _permit = limit.acquire_owned().await;
                (i, ask_orchestrator(group, setup).await)
            });
        }
        let mut asked = Vec::new();
        while let Some(done) = set.join_next().await {
            asked.extend(done.ok());
        }
        asked
    });
    match asked {
        Ok(asked) => {
            for (i, checks) in asked {
                found[i] = Some(checks);
            }
        }
        Err(err) => {
            for (i, group) in &groups {
                found[*i] = Some(vec![Check::failure(group, "probe", format!("{err:#}"), "")]);
            }
        }
    }
    // A probe whose task panicked (the panic was reported): its group says so.
    for (i, group) in groups {
        found[i].get_or_insert_with(|| {
            vec![Check::failure(group, "probe", "the probe stopped unexpectedly", "")]
        });
    }
    found.into_iter().map(Option::unwrap_or_default).collect()
}

/// `check orchestrator` as one organization's backend reaches it, set up.
fn orchestrator_probe(
    args: &CheckAllArgs,
    b: &Backend,
    certs: Option<&Path>,
    step: Duration,
    redactor: &Arc<Redactor>,
) -> Probe {
    let group = format!("orchestrator {}", b.msp_id);
    let skip = |why: String| Probe::Decided(vec![Check::skipped(group.clone(), "connect", why)]);
    let addr = match (&args.orchestrator, &b.host) {
        (Some(addr), _) => addr.clone(),
        (None, Some(host)) => format!("{host}:{}", b.port),
        (None, None) => {
            return skip(format!(
                "no orchestrator.host in {}: the chart's default {} is not the orchestrator; \
                 set it, or pass --orchestrator",
                b.path.display(),
                b.chart_address
            ))
        }
    };
    let mut cacert = None;
    let mut pair = None;
    if b.tls {
        let Some(certs) = certs else {
            return skip("TLS is on and the CA is missing (see certificates)".into());
        };
        cacert = Some(certs.join(CA_CRT));
        if b.mtls {
            let crt = certs.join(format!("{}.crt", b.msp_id));
            let key = certs.join(format!("{}.key", b.msp_id));
            if missing(&crt) || missing(&key) {
                return skip(format!(
                    "mTLS is on and there is no client pair {} and .key",
                    crt.display()
                ));
            }
            pair = Some((crt, key));
        }
    }
    let (cert, key) = pair.unzip();
    let target = GrpcTarget {
        addr,
        plaintext: !b.tls,
        cacert,
        cert,
        key,
        authority: if args.orchestrator.is_some() { b.host.clone() } else { None },
        insecure: false,
        headers: Vec::new(),
        mspid: Some(b.msp_id.clone()),
        channel: b.channel.clone(),
        connect_timeout: step.as_secs_f64(),
        rpc_timeout: step.as_secs_f64(),
        max_time: None,
    };
    match Setup::from_args(&target) {
        Ok(mut setup) => {
            setup.headers.known = Arc::clone(redactor);
            Probe::Ready { group, setup: Box::new(setup) }
        }
        Err(err) => {
            let err = anyhow::Error::from(err);
            let mut c = Check::failure(group, "setup", format!("{err:#}"), "");
            c.hint = crate::commands::failure::hint(&err);
            Probe::Decided(vec![c])
        }
    }
}

/// `check outgoing --all` over the model's backends, set up: its options and links, or the
/// failure that stopped it.
type OutgoingLinks = Result<(outgoing::Options, outgoing::Links), anyhow::Error>;

fn outgoing_links(
    args: &CheckAllArgs,
    backends: &[BackendFile],
    step: Duration,
    redactor: &Arc<Redactor>,
    printer: &Printer,
) -> OutgoingLinks {
    let options = outgoing::Options::every(
        args.files.clone(),
        args.orchestrator_values.clone(),
        args.addresses.clone(),
        step.as_secs_f64(),
        usize::from(args.concurrency),
        Arc::clone(redactor),
    );
    let links = outgoing::Links::of_model(backends, &options, printer)?;
    Ok((options, links))
}

/// The links asked: one check a link, and the longest wait a 429 asked for.
fn outgoing_checks(links: OutgoingLinks, printer: &Printer) -> (Vec<Check>, Option<Duration>) {
    match links.map(|(options, links)| links.ask(&options, printer)) {
        Ok(Outgoing::Matrix(m)) => {
            let retry_after = m
                .reports
                .iter()
                .flat_map(|r| &r.rows)
                .filter_map(|row| row.retry_after)
                .max()
                .map(Duration::from_secs);
            (m.checks(OUTGOING), retry_after)
        }
        Ok(Outgoing::One { .. }) => (Vec::new(), None),
        Err(err) => {
            let mut c = Check::failure(OUTGOING, "links", format!("{err:#}"), "");
            c.hint = crate::commands::failure::hint(&err);
            (vec![c], None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_have_units() {
        assert_eq!(parse_duration("10s").ok(), Some(Duration::from_secs(10)));
        assert_eq!(parse_duration("500ms").ok(), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m").ok(), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("3").ok(), Some(Duration::from_secs(3)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("5 parsecs").is_err());
    }
}

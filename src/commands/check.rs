//! `substractl check orchestrator`: the guide's grpcurl step as a list of checks, each with a
//! mark, from TCP up to Substra's headers. A check that cannot run says why it was skipped.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::cli::CheckOrchestratorArgs;
use crate::commands::grpc::Setup;
use crate::output::Printer;
use crate::probe::{self, conn, ProbeError, Refusal, ORCHESTRATOR_SERVICES};
use crate::report::check::{Check, CheckReport, Mark, EXPIRY_WARNING_DAYS};

/// The groups in the order they run, with the name of their main check.
const GROUPS: [(&str, &str); 6] = [
    ("tcp", "connect"),
    ("tls", "handshake"),
    ("health", "check"),
    ("reflection", "list"),
    ("services", "orchestrator"),
    ("headers", "accepted"),
];

trait Push {
    fn add(&mut self, group: &str, check: &str, status: Mark, detail: String);
    fn fail(&mut self, group: &str, check: &str, err: &ProbeError);
    fn skip_rest(&mut self, from: usize, why: &str);
}

impl Push for CheckReport {
    fn add(&mut self, group: &str, check: &str, status: Mark, detail: String) {
        self.push(Check::new(group, check, status, detail));
    }

    fn fail(&mut self, group: &str, check: &str, err: &ProbeError) {
        let mut check = Check::new(group, check, Mark::Failure, err.to_string());
        check.hint = crate::commands::failure::probe::hint(err);
        self.push(check);
    }

    /// Marks the groups after the first `from + 1` as skipped.
    fn skip_rest(&mut self, from: usize, why: &str) {
        for (group, check) in GROUPS.iter().skip(from + 1) {
            self.add(group, check, Mark::Skipped, why.to_string());
        }
    }
}

pub fn orchestrator(args: CheckOrchestratorArgs, printer: &Printer) -> anyhow::Result<CheckReport> {
    let setup = Setup::from_args(&args.target)?;
    orchestrator_report(&setup, printer)
}

/// The checks of `check orchestrator` on a probe set up from plain options.
fn orchestrator_report(setup: &Setup, printer: &Printer) -> anyhow::Result<CheckReport> {
    setup.warn_insecure(printer);
    let mut report = crate::commands::grpc::on_runtime(orchestrator_checks(setup))?;
    // The server may echo the run's credentials in anything it says: its messages, its
    // certificate's names. Its own words were scrubbed as they came; this removes them, in
    // every spelling the redactor knows, wherever else they went.
    let redactor = setup.headers.redactor();
    for c in &mut report.checks {
        c.detail = redactor.scrub(&c.detail);
        c.hint = c.hint.take().map(|h| redactor.scrub(&h));
    }
    Ok(report)
}

/// The checks of `check orchestrator`, on the caller's runtime (each organization's group of
/// `check all`, all at once on one). Not yet scrubbed of the credentials the run holds
/// (only of the headers' own, as the server's words came): the caller scrubs them.
pub async fn orchestrator_checks(setup: &Setup) -> CheckReport {
    let address = setup.target.addr.authority();
    let mut report = CheckReport::new(format!("orchestrator {address}"));
    report.about.push(("address", address));
    let outcome = setup
        .within(async {
            run_checks(setup, &mut report).await;
            Ok(())
        })
        .await;
    if let Err(err) = outcome {
        // --max-time ran out: what ran is kept, the rest is marked.
        report.fail("time", "max-time", &err);
        for (group, check) in GROUPS {
            if !report.checks.iter().any(|c| c.group == *group) {
                report.add(group, check, Mark::Skipped, "--max-time ran out".into());
            }
        }
    }
    report
}

fn now_unix() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

async fn run_checks(setup: &Setup, report: &mut CheckReport) {
    let target = &setup.target;
    let addr = &target.addr;

    // 1. TCP
    let connect_start = Instant::now();
    let tcp = match conn::tcp(addr, target.connect_timeout).await {
        Ok(tcp) => tcp,
        Err(err) => {
            report.fail("tcp", "connect", &err);
            report.skip_rest(0, "the TCP connection failed");
            return;
        }
    };
    report.add(
        "tcp",
        "connect",
        Mark::Ok,
        format!("connected to {} in {} ms", tcp.peer, tcp.elapsed.as_millis()),
    );

    // 2. TLS
    let left = probe::remaining(target.connect_timeout, connect_start.elapsed());
    let transport = match &target.tls {
        None => {
            report.add("tls", "handshake", Mark::Skipped, "--plaintext: no TLS".into());
            tcp.plaintext(addr)
        }
        Some(client) => match tcp.tls(addr, client, left).await {
            Ok((transport, info)) => {
                let verified = if client.insecure {
                    None
                } else {
                    Some(match &client.cacert {
                        Some(path) => format!("chain verified against {}", path.display()),
                        None => "chain verified against the system's CAs".to_string(),
                    })
                };
                let mut detail = format!(
                    "{}, ALPN {}, {}",
                    info.version,
                    info.alpn.as_deref().unwrap_or("none"),
                    verified.as_deref().unwrap_or("chain NOT verified (--insecure)")
                );
                if info.client_cert_requested {
                    detail.push_str(if client.has_identity {
                        "; client certificate sent (mTLS)"
                    } else {
                        "; the server asks for a client certificate (mTLS) and none was given"
                    });
                }
                let mark = if verified.is_some() { Mark::Ok } else { Mark::Warning };
                report.add("tls", "handshake", mark, detail);
                let mtls = info.client_cert_requested;
                certificate_checks(report, info.chain.first(), &client_name(client), mtls);
                transport
            }
            Err(err) => {
                let err = err.with_connect_timeout(target.connect_timeout);
                report.fail("tls", "handshake", &err);
                let chain = client.record.chain();
                let leaf = chain.first().and_then(|c| probe::CertSummary::parse(c));
                if leaf.is_some() {
                    let mtls = client.record.client_cert_requested();
                    certificate_checks(report, leaf.as_ref(), &client_name(client), mtls);
                }
                report.skip_rest(1, "the TLS handshake failed");
                return;
            }
        },
    };

    // 3. Health, without headers.
    let left = probe::remaining(target.connect_timeout, connect_start.elapsed());
    let h2 = match transport.h2(&target.authority_header(), left).await {
        Ok(h2) => h2.with_rpc_timeout(target.rpc_timeout),
        Err(err) => {
            let err =
                probe::confirm(err.with_connect_timeout(target.connect_timeout), target).await;
            report.fail("health", "check", &err);
            report.skip_rest(2, "the HTTP/2 connection failed");
            return;
        }
    };
    let start = Instant::now();
    match probe::grpc::health(&h2).await {
        Ok(probe::Health::Serving) => report.add(
            "health",
            "check",
            Mark::Ok,
            format!("grpc.health.v1.Health/Check: SERVING in {} ms", start.elapsed().as_millis()),
        ),
        Ok(status) => report.push(Check::failure(
            "health",
            "check",
            format!("grpc.health.v1.Health/Check: {}", status.name()),
            "the orchestrator says it is not serving: read its logs (kubectl logs on the \
             orchestrator-server pod), often its database is unreachable",
        )),
        Err(err @ ProbeError::NoHealth { .. }) => report.fail("health", "check", &err),
        Err(err) => {
            let err = probe::confirm(err, target).await;
            report.fail("health", "check", &err);
            report.skip_rest(2, "the health check could not reach the server");
            return;
        }
    }

    // 4. Reflection with the headers.
    let headers = &setup.headers;
    let listing = match probe::grpc::list_services(&h2, headers).await {
        Ok(listing) => {
            let mut detail =
                format!("{} services listed ({})", listing.sent, listing.version.service());
            if listing.not_shown() > 0 {
                detail.push_str(&format!(
                    "; {} of them were not read: substractl reads the first {} names a server \
                     lists",
                    listing.not_shown(),
                    probe::grpc::MAX_NAMES
                ));
            }
            report.add("reflection", "list", Mark::Ok, detail);
            listing
        }
        Err(ProbeError::Refused { refusal: Refusal::MissingMspid, message, .. })
            if headers.mspid.is_none() =>
        {
            report.add(
                "reflection",
                "list",
                Mark::Ok,
                format!("the orchestrator answered without headers: {message}"),
            );
            let why = "needs --mspid and --channel";
            report.add("services", "orchestrator", Mark::Skipped, why.into());
            report.add("headers", "accepted", Mark::Skipped, why.into());
            return;
        }
        Err(err @ ProbeError::Refused { .. }) if is_header_refusal(&err) => {
            report.add(
                "reflection",
                "list",
                Mark::Skipped,
                "the headers were refused (see headers)".into(),
            );
            report.add(
                "services",
                "orchestrator",
                Mark::Skipped,
                "the headers were refused".into(),
            );
            report.fail("headers", "accepted", &err);
            return;
        }
        Err(err) => {
            report.fail("reflection", "list", &err);
            report.skip_rest(4, "reflection failed");
            return;
        }
    };

    // 5. The orchestrator's services.
    let services = &listing.names;
    let missing: Vec<&str> = ORCHESTRATOR_SERVICES
        .iter()
        .copied()
        .filter(|s| !services.iter().any(|have| have == s))
        .collect();
    let unread = if listing.not_shown() > 0 {
        format!(" among the first {} names listed", probe::grpc::MAX_NAMES)
    } else {
        String::new()
    };
    if missing.is_empty() {
        report.add(
            "services",
            "orchestrator",
            Mark::Ok,
            format!("all {} orchestrator services are there", ORCHESTRATOR_SERVICES.len()),
        );
    } else {
        report.push(Check {
            group: "services".into(),
            check: "orchestrator".into(),
            status: Mark::Failure,
            detail: if missing.len() == ORCHESTRATOR_SERVICES.len() {
                format!("none of the {} orchestrator.* services is there{unread}", missing.len())
            } else {
                format!("missing{unread}: {}", missing.join(", "))
            },
            hint: Some(if missing.len() == ORCHESTRATOR_SERVICES.len() {
                "this server is not an orchestrator: check ADDR (and the ingress it goes through)"
                    .into()
            } else {
                "the orchestrator is older or newer than substractl expects: compare the versions"
                    .into()
            }),
        });
    }

    // 6. The headers.
    match (&headers.mspid, &headers.channel) {
        _ if missing.len() == ORCHESTRATOR_SERVICES.len() => report.add(
            "headers",
            "accepted",
            Mark::Skipped,
            "not an orchestrator: its headers mean nothing here".into(),
        ),
        (Some(mspid), channel) => report.add(
            "headers",
            "accepted",
            Mark::Ok,
            format!(
                "mspid {mspid:?}{} accepted",
                channel.as_ref().map(|c| format!(" and channel {c:?}")).unwrap_or_default()
            ),
        ),
        (None, _) => report.add(
            "headers",
            "accepted",
            Mark::Skipped,
            "no --mspid given (this server did not ask for one)".into(),
        ),
    }
}

fn is_header_refusal(err: &ProbeError) -> bool {
    matches!(err, ProbeError::Refused { refusal, .. } if refusal.is_about_headers())
}

fn client_name(client: &probe::TlsClient) -> String {
    match &client.server_name {
        rustls::pki_types::ServerName::DnsName(d) => d.as_ref().to_string(),
        rustls::pki_types::ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
        other => format!("{other:?}"),
    }
}

/// Expiry and names of the server's certificate, and, when the server asks for client
/// certificates (mTLS), whether its own health probe can present it.
fn certificate_checks(
    report: &mut CheckReport,
    leaf: Option<&probe::CertSummary>,
    name: &str,
    mtls: bool,
) {
    let Some(leaf) = leaf else {
        report.add("tls", "certificate", Mark::Failure, "the server sent no certificate".into());
        return;
    };
    let days = leaf.days_left(now_unix());
    let until = crate::report::date(leaf.not_after).unwrap_or_default();
    let renew = "renew the server certificate (Secret orchestrator-tls-server-pair) and restart \
                 the orchestrator";
    let (status, detail, hint) = if days < 0 {
        (Mark::Failure, format!("expired on {until}"), Some(renew.to_string()))
    } else if days < EXPIRY_WARNING_DAYS {
        (Mark::Warning, format!("expires in {days} days ({until})"), Some(renew.to_string()))
    } else {
        (Mark::Ok, format!("valid for {days} more days (until {until})"), None)
    };
    report.push(Check { group: "tls".into(), check: "expiry".into(), status, detail, hint });

    let holds = if leaf.names.is_empty() {
        "no DNS or IP name".to_string()
    } else {
        probe::shown_names(&leaf.names)
    };
    if leaf.covers(name) {
        report.add("tls", "names", Mark::Ok, format!("{holds}: covers {name}"));
    } else {
        report.push(Check::failure(
            "tls",
            "names",
            format!("{holds}: does not cover {name}"),
            format!(
                "re-issue the server certificate with {name} as a subject alternative name, or \
                 connect with --authority set to a name it holds"
            ),
        ));
    }
    if mtls {
        report.push(crate::pki::verify::health_probe("tls", leaf.usage));
    }
}

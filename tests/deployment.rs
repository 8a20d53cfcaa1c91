//! One deployment model: `check values`, `check all` and `check outgoing` read a backend's
//! values as Helm deploys them, and agree with one another on odd values files.
//!
//! What the chart deploys is written down from its templates (substra-backend 26.15.3):
//! - `templates/configmap-orchestrator.yaml` line 9: `ORCHESTRATOR_HOST: {{ .Values.orchestrator.host | quote }}`
//! - line 10: `ORCHESTRATOR_PORT: {{ .Values.orchestrator.port | quote }}`, default `port: 9000`
//!   (`values.yaml` line 774)
//! - line 11: `ORCHESTRATOR_TLS_ENABLED: {{ .Values.orchestrator.tls.enabled | quote }}`, read by
//!   the backend's `to_bool` (true for "true", false for "false" and "0")
//! - line 18: `MSP_ID: {{ .Values.orchestrator.mspID | quote }}`, default `OwkinPeerMSP`
//!   (`values.yaml` line 791)
//! - line 20: `CHANNELS: {{ .Values.orchestrator.channels | toJson | quote }}`, default the list
//!   `[{mychannel: {...}}]` (`values.yaml` line 797); Helm's coalescing drops a key set to null.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use crate::support::grpc::{serve_at as serve_grpc_at, Spec, Tls};
use crate::support::http::{serve, Behaviour, Server};
use crate::support::{Output, Test};

const SECRET: &str = "S3cretOfTheDeploymentModelTests0123456789";

/// A loopback address of its own for each case whose port 9000 is free, so that every case
/// can listen on port 9000 (Linux routes all of 127.0.0.0/8 to the loopback interface).
fn loopback(case: u8) -> Ipv4Addr {
    let start = std::process::id() % 200;
    (0..200)
        .map(|k| Ipv4Addr::new(127, 20 + ((start + k) % 200) as u8, case, 1))
        .find(|ip| std::net::TcpListener::bind((*ip, 9000)).is_ok())
        .expect("a loopback address with port 9000 free")
}

/// The orchestrator imitation on `addr`, with TLS from the certificates in `certs`.
fn orchestrator_at(addr: SocketAddr, certs: Option<&Output>) -> SocketAddr {
    let mut spec = Spec::orchestrator();
    if let Some(c) = certs {
        spec = spec.tls(Tls {
            cert: c.read("orchestrator-tls.crt"),
            key: c.read("orchestrator-tls.key"),
            client_ca: None,
        });
    }
    serve_grpc_at(spec, addr).unwrap_or_else(|| panic!("{addr} is taken"))
}

/// A CA and a server certificate for `host`, made by `certs gen`.
fn certs_for(host: &str) -> Output {
    Test::new().args(["certs", "gen", "--host", host, "--key-type", "ecdsa-p256"]).run()
}

fn json_of(out: &Output) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

/// The checks of one group of a JSON report, by name: (status, detail).
fn group(doc: &Value, group: &str) -> Vec<(String, String, String)> {
    doc["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["group"] == group)
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            (s("check"), s("status"), s("detail"))
        })
        .collect()
}

fn find<'a>(checks: &'a [(String, String, String)], name: &str) -> &'a (String, String, String) {
    checks.iter().find(|c| c.0 == name).unwrap_or_else(|| panic!("no check {name}: {checks:?}"))
}

#[test]
fn check_all_dials_the_charts_port_9000_with_tls_when_tls_enabled_is_the_string_true() {
    // The backend of an operator who wrote `enabled: "true"` and no port: the chart renders
    // ORCHESTRATOR_PORT "9000" and ORCHESTRATOR_TLS_ENABLED "true", so the backend dials
    // 127.0.0.1:9000 with TLS; check all must dial the same.
    let wanted = SocketAddr::from(([127, 0, 0, 1], 9000));
    let (host, certs, server) = match std::net::TcpListener::bind(wanted) {
        Ok(probe) => {
            drop(probe);
            let certs = certs_for("127.0.0.1");
            let server = orchestrator_at(wanted, Some(&certs));
            ("127.0.0.1".to_string(), certs, server)
        }
        // Port 9000 of 127.0.0.1 is taken on this machine: another loopback address.
        Err(_) => {
            let ip = loopback(200);
            let certs = certs_for(&ip.to_string());
            let server = orchestrator_at(SocketAddr::from((ip, 9000)), Some(&certs));
            (ip.to_string(), certs, server)
        }
    };
    let values = format!(
        "orchestrator:\n  host: {host}\n  mspID: ingen\n  tls:\n    enabled: \"true\"\n  \
         channels:\n    - our-channel: {{restricted: false}}\n"
    );
    let out = Test::new()
        .tree(certs.path())
        .file("backend-ingen-values.yaml", &values)
        .args(["check", "all", "-o", "json", "--timeout", "5"])
        .status(1)
        .run();
    let checks = group(&json_of(&out), "orchestrator ingen");
    let connect = find(&checks, "tcp connect");
    assert_eq!(connect.1, "ok", "{checks:?}");
    assert!(connect.2.contains(&format!("connected to {}", server)), "{connect:?}");
    assert_eq!(server.port(), 9000);
    assert_eq!(find(&checks, "tls handshake").1, "ok", "{checks:?}");
    assert_eq!(find(&checks, "headers accepted").1, "ok", "{checks:?}");
    // check values sees the same and says the string is read two ways.
    let out = Test::new()
        .tree(certs.path())
        .file("backend-ingen-values.yaml", &values)
        .args(["check", "values", "-o", "json"])
        .status(1)
        .run();
    let doc = json_of(&out);
    assert_eq!(doc["organizations"]["ingen"]["orchestrator_port"], 9000);
    assert_eq!(doc["organizations"]["ingen"]["tls"], true);
    let switches = group(&doc, "switches");
    assert_eq!(
        switches,
        [(
            "orchestrator.tls.enabled".to_string(),
            "warning".to_string(),
            "backend-ingen-values.yaml:5: orchestrator.tls.enabled is \"true\" (a string): the \
             chart's templates read it as on, the backend on"
                .to_string()
        )]
    );
}

/// How a case's backend reaches the orchestrator, as the chart deploys it.
#[derive(Clone, Copy)]
enum Host {
    /// `orchestrator.host` is the case's loopback address.
    Loopback,
    /// The file leaves the host to the chart: `orchestrator.local`.
    Chart,
}

#[derive(Clone, Copy)]
enum Port {
    /// The chart's 9000.
    Chart,
    /// Written as a string holding a free port.
    Quoted,
}

struct Case {
    name: &'static str,
    /// The `orchestrator:` block (without the host and port lines, which the case adds).
    orchestrator: Option<&'static str>,
    host: Host,
    port: Port,
    /// What Helm deploys.
    msp_id: &'static str,
    tls: bool,
    channels: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "no port",
        orchestrator: Some("  mspID: ingen\n  channels:\n    - our-channel: {restricted: false}\n"),
        host: Host::Loopback,
        port: Port::Chart,
        msp_id: "ingen",
        tls: false,
        channels: &["our-channel"],
    },
    Case {
        name: "port as a string",
        orchestrator: Some("  mspID: ingen\n  channels:\n    - our-channel: {restricted: false}\n"),
        host: Host::Loopback,
        port: Port::Quoted,
        msp_id: "ingen",
        tls: false,
        channels: &["our-channel"],
    },
    Case {
        name: "tls.enabled \"true\"",
        orchestrator: Some("  mspID: ingen\n  tls:\n    enabled: \"true\"\n  channels:\n    - our-channel: {}\n"),
        host: Host::Loopback,
        port: Port::Chart,
        msp_id: "ingen",
        tls: true,
        channels: &["our-channel"],
    },
    Case {
        // The chart mounts the TLS volumes (`if "false"` is true), the backend dials in
        // plaintext: to_bool("false") is false.
        name: "tls.enabled \"false\"",
        orchestrator: Some("  mspID: ingen\n  tls:\n    enabled: \"false\"\n  channels:\n    - our-channel: {}\n"),
        host: Host::Loopback,
        port: Port::Chart,
        msp_id: "ingen",
        tls: false,
        channels: &["our-channel"],
    },
    Case {
        name: "tls.enabled 0",
        orchestrator: Some("  mspID: ingen\n  tls:\n    enabled: 0\n  channels:\n    - our-channel: {}\n"),
        host: Host::Loopback,
        port: Port::Chart,
        msp_id: "ingen",
        tls: false,
        channels: &["our-channel"],
    },
    Case {
        // null drops the chart's `mychannel`: CHANNELS renders "null", no channel at all.
        name: "null overriding a default",
        orchestrator: Some("  mspID: ingen\n  channels: null\n"),
        host: Host::Loopback,
        port: Port::Chart,
        msp_id: "ingen",
        tls: false,
        channels: &[],
    },
    Case {
        name: "a missing orchestrator key",
        orchestrator: None,
        host: Host::Chart,
        port: Port::Chart,
        msp_id: "OwkinPeerMSP",
        tls: false,
        channels: &["mychannel"],
    },
    Case {
        name: "a missing MSP ID",
        orchestrator: Some("  channels:\n    - our-channel: {}\n"),
        host: Host::Loopback,
        port: Port::Chart,
        msp_id: "OwkinPeerMSP",
        tls: false,
        channels: &["our-channel"],
    },
    Case {
        name: "channels as single-key maps",
        orchestrator: Some("  mspID: ingen\n  channels:\n    - our-channel: {restricted: false}\n    - second: {model_export_enabled: true}\n"),
        host: Host::Loopback,
        port: Port::Chart,
        msp_id: "ingen",
        tls: false,
        channels: &["our-channel", "second"],
    },
    Case {
        name: "channels as plain strings",
        orchestrator: Some("  mspID: ingen\n  channels: [our-channel, second]\n"),
        host: Host::Loopback,
        port: Port::Chart,
        msp_id: "ingen",
        tls: false,
        channels: &["our-channel", "second"],
    },
];

/// The values file of a case: the organization's address, the orchestrator block, and one
/// outgoing entry to itself (under the MSP ID Helm deploys).
fn values_of(case: &Case, host: &str, port: Option<u16>) -> String {
    let mut y = "organizationName: ingen\nserver:\n  defaultDomain: http://api.ingen.example:80\n"
        .to_string();
    if let Some(block) = case.orchestrator {
        y.push_str("orchestrator:\n");
        if let Host::Loopback = case.host {
            y.push_str(&format!("  host: {host}\n"));
        }
        if let Some(p) = port {
            y.push_str(&format!("  port: \"{p}\"\n"));
        }
        y.push_str(block);
    }
    y.push_str(&format!(
        "addAccountOperator:\n  outgoingOrganizations:\n    - name: {}\n      secret: {SECRET}\n",
        case.msp_id
    ));
    y
}

/// Runs the three checks on one case and compares each with what the chart deploys.
fn run_case(n: u8, case: &Case) {
    let ip = loopback(n);
    let (port, server_addr) = match case.port {
        Port::Chart => (None, SocketAddr::from((ip, 9000))),
        Port::Quoted => {
            let free = std::net::TcpListener::bind((ip, 0)).expect("bind");
            let addr = free.local_addr().expect("addr");
            drop(free);
            (Some(addr.port()), addr)
        }
    };
    let host = ip.to_string();
    let certs = case.tls.then(|| certs_for(&host));
    if let Host::Loopback = case.host {
        orchestrator_at(server_addr, certs.as_ref());
    }
    let backend: Server = serve(Behaviour::Backend {
        incoming: vec![(case.msp_id.into(), SECRET.into())],
        reject: 401,
    });
    let values = values_of(case, &host, port);
    let address = format!("{}={}", case.msp_id, backend.url());
    let start = |args: &[&str]| {
        let mut t = Test::new().file("backend-ingen-values.yaml", &values);
        if let Some(c) = &certs {
            t = t.tree(c.path());
        }
        t.args(args)
    };
    let (want_host, want_port) = match case.host {
        Host::Loopback => (host.clone(), server_addr.port()),
        Host::Chart => ("orchestrator.local".to_string(), 9000),
    };

    // check values: the values it used are what the chart deploys.
    let out = start(&["check", "values", "-o", "json"]).status(1).run();
    let used = &json_of(&out)["organizations"]["ingen"];
    assert_eq!(
        *used,
        json!({
            "file": "backend-ingen-values.yaml",
            "msp_id": case.msp_id,
            "orchestrator_host": want_host,
            "orchestrator_port": want_port,
            "tls": case.tls,
            "mtls": false,
            "channels": case.channels,
            "default_domain": "http://api.ingen.example:80",
        }),
        "check values, case {}",
        case.name
    );

    // check all: the address it dials, with or without TLS, and the headers it sends.
    let out = start(&["check", "all", "-o", "json", "--timeout", "5", "--address", &address])
        .status(1)
        .run();
    let doc = json_of(&out);
    let checks = group(&doc, &format!("orchestrator {}", case.msp_id));
    match case.host {
        Host::Chart => {
            let skipped = find(&checks, "connect");
            assert_eq!(skipped.1, "skipped", "case {}: {checks:?}", case.name);
            assert!(
                skipped.2.contains("orchestrator.local:9000"),
                "case {}: {skipped:?}",
                case.name
            );
        }
        Host::Loopback => {
            let connect = find(&checks, "tcp connect");
            assert_eq!(
                (connect.1.as_str(), connect.2.contains(&format!("connected to {server_addr}"))),
                ("ok", true),
                "case {}: {checks:?}",
                case.name
            );
            let tls = find(&checks, "tls handshake");
            assert_eq!(
                tls.1,
                if case.tls { "ok" } else { "skipped" },
                "case {}: {tls:?}",
                case.name
            );
            let headers = find(&checks, "headers accepted");
            // The imitation knows ingen and biotechnica in our-channel (see tests/grpc.rs).
            let expected = match (case.msp_id, case.channels.first()) {
                ("ingen", Some(&"our-channel")) => "accepted".to_string(),
                ("ingen", None) => "missing or invalid header 'channel'".to_string(),
                ("ingen", Some(c)) => format!("has not access to channel \"{c}\""),
                (other, _) => format!("organization \"{other}\" is unknown"),
            };
            assert!(headers.2.contains(&expected), "case {}: {headers:?}", case.name);
        }
    }
    let outgoing = group(&doc, "outgoing");
    let link = find(&outgoing, &format!("{0} -> {0}", case.msp_id));

    // check outgoing: it logs in as the MSP ID Helm deploys, on the first channel.
    let out = start(&["check", "outgoing", "--org", "ingen", "--address", &address, "-o", "json"])
        .status(if case.channels.is_empty() { 1 } else { 0 })
        .run();
    let doc = json_of(&out);
    let row = &doc["organizations"][0];
    assert_eq!(doc["organization"], case.msp_id, "case {}", case.name);
    let seen_channels: Vec<String> = backend
        .seen()
        .iter()
        .filter(|s| s.path.starts_with("/model/"))
        .filter_map(|s| s.header("Substra-Channel-Name").map(str::to_string))
        .collect();
    match case.channels.first() {
        Some(channel) => {
            assert_eq!(row["auth"]["status"], "ok", "case {}: {row}", case.name);
            // Both check all and check outgoing sent the first channel.
            assert_eq!(seen_channels, [*channel, *channel], "case {}", case.name);
            assert_eq!(link.1, "ok", "case {}: {link:?}", case.name);
        }
        None => {
            assert!(seen_channels.is_empty(), "case {}: {seen_channels:?}", case.name);
            assert_eq!(row["auth"]["status"], "failure", "case {}: {row}", case.name);
            assert_eq!(link.1, "failure", "case {}: {link:?}", case.name);
        }
    }
}

#[test]
fn odd_values_files_are_read_alike_by_check_values_all_and_outgoing() {
    for (n, case) in CASES.iter().enumerate() {
        run_case(n as u8 + 1, case);
    }
}

#[test]
fn a_switch_that_is_not_a_boolean_is_a_warning_naming_file_and_line() {
    let out = Test::new()
        .file(
            "backend-ingen-values.yaml",
            "orchestrator:\n  mspID: ingen\n  tls:\n    enabled: \"false\"\n    mtls:\n      enabled: \"yes\"\n",
        )
        .file("orchestrator-values.yaml", "orchestrator:\n  tls:\n    enabled: 1\n")
        .args(["check", "values"])
        .status(1)
        .run();
    for line in [
        " backend-ingen-values.yaml:4: orchestrator.tls.enabled is \"false\" (a string): the chart's templates read it as on, the backend off\n",
        "           hint: write orchestrator.tls.enabled: true or orchestrator.tls.enabled: false\n",
        " backend-ingen-values.yaml:6: orchestrator.tls.mtls.enabled is \"yes\" (a string): the chart's templates read it as on, the backend on\n",
        " orchestrator-values.yaml:3: orchestrator.tls.enabled is 1 (not a boolean): the chart's templates read it as on, the orchestrator on\n",
    ] {
        assert!(out.stdout.contains(line), "{line}\nnot in:\n{}", out.stdout);
    }
}

#[test]
fn a_chart_version_other_than_the_known_one_is_a_warning() {
    let helmfile = "releases:\n  - name: backend\n    namespace: org-ingen\n    chart: substra/substra-backend\n    version: 26.14.0\n    values:\n      - backend-ingen-values.yaml\n  - name: orchestrator\n    namespace: orchestrator\n    chart: substra/orchestrator\n    version: 8.8.0\n";
    let out = Test::new()
        .file("backend-ingen-values.yaml", "orchestrator:\n  mspID: ingen\n")
        .file("helmfile.yaml", helmfile)
        .args(["check", "values", "-o", "json"])
        .status(1)
        .run();
    let chart = group(&json_of(&out), "chart");
    assert_eq!(chart.len(), 1, "{chart:?}");
    assert_eq!(chart[0].1, "warning");
    assert_eq!(
        chart[0].2,
        "helmfile.yaml:2: release backend uses substra/substra-backend version 26.14.0; substractl \
         knows the defaults of 26.15.3: where a values file leaves a key out, the checks take \
         26.15.3's default"
    );
}

#[test]
fn files_without_an_msp_id_run_as_the_charts_default_and_cannot_be_paired() {
    // Helm deploys both as OwkinPeerMSP: pairing them by their file names would write entries
    // that neither backend answers to.
    Test::new()
        .file("backend-ingen-values.yaml", "organizationName: ingen\n")
        .file("backend-biotechnica-values.yaml", "organizationName: biotechnica\n")
        .args(["link", "ingen", "biotechnica"])
        .status(2)
        .stderr_contains("both have the MSP ID OwkinPeerMSP (orchestrator.mspID)")
        .unchanged()
        .run();
}

#[test]
fn link_refuses_an_orchestrator_channel_list_of_names() {
    Test::new()
        .file("backend-ingen-values.yaml", "orchestrator:\n  mspID: ingen\n")
        .file("orchestrator-values.yaml", "channels: [our-channel]\n")
        .args(["link", "ingen", "--channel", "our-channel"])
        .status(2)
        .stderr_contains("orchestrator-values.yaml:1:")
        .stderr_contains(
            "each entry of channels must be a mapping {name: CHANNEL, organizations: [MSPID, ...]}",
        )
        .unchanged()
        .run();
}

/// A TCP server that accepts, never answers, and counts the connections open at once.
fn silent_counter(ip: Ipv4Addr) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind((ip, 0)).expect("bind");
    let addr = listener.local_addr().expect("addr");
    let open = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let seen = most.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let (open, most) = (open.clone(), most.clone());
            std::thread::spawn(move || {
                let now = open.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                let mut buf = [0u8; 1024];
                while matches!(std::io::Read::read(&mut stream, &mut buf), Ok(n) if n > 0) {}
                open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    (addr, seen)
}

#[test]
fn check_all_probes_every_organizations_orchestrator_at_once() {
    // Four organizations whose orchestrator never answers: probed at once, the four
    // connections are open together; with --concurrency 1, one at a time (the server may see
    // the closing one beside the next for a moment under load, so at most two).
    const ORGS: [&str; 4] = ["ingen", "biotechnica", "tyrell", "umbrella"];
    for (n, concurrency, most) in [(150u8, "4", 4..=4), (151, "1", 1..=2)] {
        let ip = loopback(n);
        let (addr, seen) = silent_counter(ip);
        let mut t = Test::new();
        for org in ORGS {
            t = t.file(
                &format!("backend-{org}-values.yaml"),
                &format!("orchestrator:\n  mspID: {org}\n  host: {ip}\n  port: {}\n", addr.port()),
            );
        }
        let out = t
            .args(["check", "all", "-o", "json", "--timeout", "2", "--concurrency", concurrency])
            .status(1)
            .run();
        let doc = json_of(&out);
        for org in ORGS {
            let checks = group(&doc, &format!("orchestrator {org}"));
            assert_eq!(find(&checks, "tcp connect").1, "ok", "{org}: {checks:?}");
        }
        let seen = seen.load(Ordering::SeqCst);
        assert!(most.contains(&seen), "--concurrency {concurrency}: {seen} open at once");
    }
    Test::new()
        .file("backend-ingen-values.yaml", "orchestrator:\n  mspID: ingen\n")
        .args(["check", "all", "--concurrency", "0"])
        .status(2)
        .stderr_contains("0 is not in 1..=65535")
        .run();
    // A number past what a semaphore can hold was a panic.
    Test::new()
        .file("backend-ingen-values.yaml", "orchestrator:\n  mspID: ingen\n")
        .args(["check", "all", "--concurrency", "18446744073709551615"])
        .status(2)
        .stderr_contains("invalid value '18446744073709551615' for '--concurrency <N>'")
        .run();
}

#[test]
fn check_all_asks_the_outgoing_links_while_the_orchestrator_is_silent() {
    // Two paired organizations (four links, each backend to itself too) whose orchestrator
    // and backends are one server that accepts and never answers: the two orchestrator
    // probes and the four links' requests are open together. Asked one group after the
    // other, the run waited the orchestrator's timeout, then the links' (four open at most).
    let ip = loopback(152);
    let (addr, seen) = silent_counter(ip);
    let values = |org: &str| {
        format!("orchestrator:\n  mspID: {org}\n  host: {ip}\n  port: {}\n", addr.port())
    };
    let out = Test::new()
        .file("backend-ingen-values.yaml", &values("ingen"))
        .file("backend-biotechnica-values.yaml", &values("biotechnica"))
        .args(["link", "ingen", "biotechnica"])
        .status(0)
        .run()
        .then()
        .args(["check", "all", "-o", "json", "--timeout", "2"])
        .args(["--address", &format!("ingen=http://{addr}/i")])
        .args(["--address", &format!("biotechnica=http://{addr}/b")])
        .status(1)
        .run();
    let doc = json_of(&out);
    for org in ["ingen", "biotechnica"] {
        let checks = group(&doc, &format!("orchestrator {org}"));
        assert_eq!(find(&checks, "tcp connect").1, "ok", "{org}: {checks:?}");
    }
    let links = group(&doc, "outgoing");
    assert_eq!(links.len(), 4, "{links:?}");
    for link in &links {
        assert_eq!(link.1, "failure", "{links:?}");
        assert!(link.2.contains("timed out") || link.2.contains("timeout"), "{links:?}");
    }
    assert_eq!(seen.load(Ordering::SeqCst), 6, "{}", out.stdout);
}

#[test]
fn check_all_probes_the_orchestrator_of_200_organizations_in_one_round() {
    // 200 organizations whose orchestrator never answers, with the default --concurrency,
    // under a soft limit of 128 open files: the 200 connections are open at once (the
    // default covers them, and substractl lifts its own soft limit of open files), and none
    // fails to open ("Too many open files").
    let ip = loopback(153);
    let (addr, seen) = silent_counter(ip);
    let mut t = Test::new();
    for i in 1..=200 {
        t = t.file(
            &format!("backend-org{i}-values.yaml"),
            &format!("orchestrator:\n  mspID: org{i}\n  host: {ip}\n  port: {}\n", addr.port()),
        );
    }
    let out = t
        .wrapper("ulimit -Sn 128")
        .args(["check", "all", "-o", "json", "--timeout", "3"])
        .timeout(Duration::from_secs(60))
        .status(1)
        .run();
    let doc = json_of(&out);
    for i in 1..=200 {
        let checks = group(&doc, &format!("orchestrator org{i}"));
        assert_eq!(find(&checks, "tcp connect").1, "ok", "org{i}: {checks:?}");
    }
    assert_eq!(seen.load(Ordering::SeqCst), 200);
}

#[test]
fn check_all_out_of_open_files_keeps_every_link_and_says_why() {
    // 40 organizations whose orchestrator and backend never answer, each linked to itself,
    // under a hard limit of 64 open files: 80 sockets cannot all be open. Every link still has
    // its check (the links' client and runtime were made first: they were lost to the
    // orchestrator's probes, and 40 links became one "cannot start the async runtime"), and
    // a probe without a file says so, with what to do.
    let ip = loopback(154);
    let (addr, _) = silent_counter(ip);
    let mut t = Test::new();
    let mut addresses = Vec::new();
    for i in 1..=40 {
        addresses.push(format!("--address=o{i}=http://{addr}/o{i}"));
        t = t.file(
            &format!("backend-o{i}-values.yaml"),
            &format!(
                "orchestrator:\n  mspID: o{i}\n  host: {ip}\n  port: {}\n\
                     addAccountOperator:\n  outgoingOrganizations:\n    - name: o{i}\n      \
                     secret: Zq7Kp2Lw9XabcdefR4Tn8Wb3o{i}\n  incomingOrganizations:\n    - name: \
                     o{i}\n      secret: Zq7Kp2Lw9XabcdefR4Tn8Wb3o{i}\n",
                addr.port()
            ),
        );
    }
    let out = t
        .wrapper("ulimit -Sn 32 && ulimit -Hn 64")
        .args(["check", "all", "-o", "json", "--timeout", "2"])
        .args(&addresses)
        .timeout(Duration::from_secs(60))
        .status(1)
        .run();
    let doc = json_of(&out);
    let links = group(&doc, "outgoing");
    assert_eq!(links.len(), 40, "{links:?}");
    let checks = doc["checks"].as_array().expect("checks");
    let out_of_files: Vec<&Value> = checks
        .iter()
        .filter(|c| c["detail"].as_str().is_some_and(|d| d.contains("too many open files")))
        .collect();
    assert!(!out_of_files.is_empty(), "{}", out.stdout);
    for c in out_of_files {
        assert!(c["hint"].as_str().is_some_and(|h| h.contains("lower --concurrency")), "{c}");
    }
}

/// Files Helm's YAML reader (go-yaml v2) refuses or reads otherwise than the strict parser:
/// refused with their line by every command, nothing written, no value shown.
#[test]
fn what_helms_yaml_reader_reads_otherwise_is_refused_at_its_line() {
    let secret = "1234567890_1234567890_1234567890_12";
    let pair = format!(
        "addAccountOperator:\n  incomingOrganizations:\n    - name: biotechnica\n      secret: {secret}\n"
    );
    let cases: [(&str, String, &str); 13] = [
        // A second merge key: go-yaml v2 applies it over the keys written before it.
        (
            "second merge key",
            "e: &e {}\nold: &old {mspID: other}\norchestrator:\n  <<: *e\n  mspID: ingen\n  <<: *old\n".into(),
            ":6:3: this mapping has a second merge key `<<`",
        ),
        (
            "merge of an alias of a list",
            "l: &l [{a: 1}]\norchestrator:\n  mspID: ingen\n  <<: *l\n".into(),
            ":4:7: Helm's YAML reader refuses this merge key `<<`",
        ),
        (
            "merge of null",
            "orchestrator:\n  mspID: ingen\n  <<: ~\n".into(),
            ":3:7: Helm's YAML reader refuses this merge key `<<`",
        ),
        // NEL ends the comment's line for go-yaml v2: mspID is evil to Helm.
        (
            "NEL",
            "orchestrator:\n  mspID: ingen # note\u{85}  mspID: evil\n".into(),
            ":2:22: this line holds U+0085",
        ),
        ("directive", "%YAML 1.2\n---\norchestrator:\n  mspID: ingen\n".into(), ":1:1: Helm's YAML reader reads YAML 1.1 only"),
        // A sign after 0b is a number to Helm; a key past int64 is refused by Helm; an alias of
        // `<<` as a key is no merge key to Helm.
        ("0b", "orchestrator:\n  mspID: 0b+1\n".into(), ":2:10: Helm's YAML reader reads this unquoted value as a number"),
        ("uint64 key", "orchestrator:\n  mspID: ingen\nx: {9223372036854775808: a}\n".into(), ":3:5: Helm refuses this key"),
        ("alias of <<", "m: &m <<\norchestrator:\n  *m : {mspID: other}\n  mspID: ingen\n".into(), ":3:3: this key is an alias of `<<`"),
        // Refused by Helm: an anchor name with a dot, an unknown directive; `! <<` merges.
        ("anchor", "orchestrator:\n  mspID: &ca.crt ingen\n".into(), ":2:10: Helm's YAML reader refuses this anchor"),
        ("directive", "%FOO bar\n---\norchestrator:\n  mspID: ingen\n".into(), ":1:1: Helm's YAML reader refuses this file for this directive"),
        ("! <<", "orchestrator:\n  mspID: ingen\n  ! <<: {mspID: other}\n".into(), ":3:3: this key is `<<` written so that Helm's YAML reader takes it for a merge key"),
        // go-yaml v2 drops the underscores: a number to Helm, never shown.
        ("underscores", format!("orchestrator:\n  mspID: ingen\n{pair}"), ":6:15: Helm's YAML reader reads this unquoted value as a number"),
        // Without a final line break, go-yaml v2 reads `ingen`, the strict parser `ingen\n`.
        ("unended block scalar", "orchestrator:\n  mspID: |\n    ingen".into(), ":2:10: this block scalar ends the file without a line break"),
    ];
    for (_what, text, message) in cases {
        for args in
            [&["check", "values"][..], &["check", "links"], &["link", "ingen", "biotechnica"]]
        {
            Test::new()
                .file("backend-ingen-values.yaml", &text)
                .file("backend-biotechnica-values.yaml", "orchestrator:\n  mspID: biotechnica\n")
                .args(args)
                .status(2)
                .stderr_contains(&format!("backend-ingen-values.yaml{message}"))
                .never_shows(secret)
                .never_shows("1.2345678901234567e+31")
                .unchanged()
                .run();
        }
    }
    // Read alike by both: one merge of a list of mappings, a number with underscores between
    // its digits, a quoted or tagged value, a name with an underscore, %YAML 1.1.
    let alike = "%YAML 1.1\n---\nd: &d {a: 1}\nx: [1_000, \"1__0\", !!str 1__0, my_name]\norchestrator:\n  <<: [*d, {b: 2}]\n  mspID: ingen\n";
    Test::new()
        .file("backend-ingen-values.yaml", alike)
        .args(["check", "values"])
        .status_in(&[0, 1])
        .stdout_contains("ingen")
        .run();
}

/// What substractl says Helm's YAML reader makes of a value, checked against that reader
/// itself (kubectl's, sigs.k8s.io/yaml): each spelling is read by kubectl, then put in a values
/// file that substractl must refuse exactly when its own reader reads it otherwise.
#[test]
fn values_are_read_as_kubernetes_yaml_reader_reads_them() {
    let scratch = tempfile::tempdir().expect("temp dir");
    // (spelling, kubectl's reading, refused by substractl)
    let cases: [(&str, Value, bool); 15] = [
        ("1__0", json!(10), true),
        ("10_", json!(10), true),
        ("0b+1", json!(1), true),
        ("+0xFFFFFFFFFFFFFFFF", json!("+0xFFFFFFFFFFFFFFFF"), true),
        ("1234_5678_9012_3456_7890_1234_5678_9012", json!(1.2345678901234567e31), true),
        ("1_000", json!(1000), false),
        ("0x10", json!(16), false),
        ("v1_2", json!("v1_2"), false),
        ("18446744073709551615", json!(18446744073709551615u64), false),
        // Booleans in the cases go-yaml v2 knows only.
        ("oFF", json!("oFF"), true),
        ("Off", json!(false), false),
        // A tag other than those of the YAML types makes a value text.
        ("!foo false", json!("false"), true),
        ("! false", json!("false"), false),
        ("!foo name", json!("name"), false),
        ("!!binary aGk=", json!("hi"), false),
    ];
    for (spelling, helm, refused) in cases {
        let read = crate::support::kubectl::reads(
            scratch.path(),
            &format!("{{apiVersion: v1, kind: Foo, v: {spelling}}}"),
        );
        let read = read.map(|e| e["v"].clone()).unwrap_or_else(|e| panic!("{spelling}: {e}"));
        // Numbers compared as float64 (serde_json's reading of a long float may differ in its
        // last bit).
        let same = match (read.as_f64(), helm.as_f64()) {
            (Some(a), Some(b)) => (a - b).abs() <= b.abs() * 1e-15,
            _ => read == helm,
        };
        assert!(same, "kubectl reads {spelling} as {read}, not {helm}");
        Test::new()
            .file(
                "backend-ingen-values.yaml",
                &format!("orchestrator:\n  mspID: ingen\nx: {spelling}\n"),
            )
            .args(["check", "values"])
            .status_in(if refused { &[2] } else { &[0, 1] })
            .run();
    }
    // Files the reader refuses, refused by substractl with their line.
    for (text, message) in [
        ("{apiVersion: v1, kind: Foo, v: &a.b 1}", ":3:35: Helm's YAML reader refuses this anchor"),
        ("{apiVersion: v1, kind: Foo, v: &a[1]}", ":3:35: Helm's YAML reader refuses this anchor"),
        (
            "{apiVersion: v1, kind: Foo, v: !!bool tRUE}",
            ":3:35: Helm's YAML reader refuses this value",
        ),
        (
            "{apiVersion: v1, kind: Foo, v: !!binary \"aW5n ZW4=\"}",
            ":3:35: Helm's YAML reader refuses this value: its text is not base64",
        ),
        // What go-yaml v2's scanner refuses: escapes, tags in flow, tabs.
        (
            "{apiVersion: v1, kind: Foo, v: \"http:\\/\\/x\"}",
            ":3:41: Helm's YAML reader refuses the escape `\\/`",
        ),
        (
            "{apiVersion: v1, kind: Foo, v: \"\\ud83d\\ude00\"}",
            ":3:36: Helm's YAML reader refuses an escape of half a UTF-16 surrogate pair",
        ),
        ("{apiVersion: v1, kind: Foo, v: [:c]}", ":3:36: Helm's YAML reader refuses a `:`"),
        (
            "{apiVersion: v1, kind: Foo, v: [!!str]}",
            ":3:36: Helm's YAML reader needs a blank after a tag",
        ),
        (
            "{apiVersion: v1, kind: Foo, v: {a: !!str}}",
            ":3:39: Helm's YAML reader needs a blank after a tag",
        ),
        (
            "{apiVersion: v1, kind: Foo, v: {a\n  b: c}}",
            ":3:36: Helm's YAML reader refuses a key written over two lines",
        ),
    ] {
        let read = crate::support::kubectl::reads(scratch.path(), text);
        assert!(read.is_err(), "kubectl read {text}: {read:?}");
        Test::new()
            .file(
                "backend-ingen-values.yaml",
                &format!("orchestrator:\n  mspID: ingen\nx: {text}\n"),
            )
            .args(["check", "values"])
            .status(2)
            .stderr_contains(&format!("backend-ingen-values.yaml{message}"))
            .run();
    }
    // Read otherwise in a flow collection: `?` is a key mark, `:` before `,` is text.
    for (v, helm) in [("[a, ?c]", json!(["a", {"c": null}])), ("[a:, b]", json!(["a:", "b"]))] {
        let read = crate::support::kubectl::reads(scratch.path(), &format!("{{v: {v}}}"));
        assert_eq!(read.map(|e| e["v"].clone()), Ok(helm), "{v}");
        Test::new()
            .file("backend-ingen-values.yaml", &format!("orchestrator:\n  mspID: ingen\nx: {v}\n"))
            .args(["check", "values"])
            .status(2)
            .stderr_contains("backend-ingen-values.yaml:3:")
            .stderr_contains("Helm's YAML reader")
            .run();
    }
    // Tabs go-yaml v2 refuses in block context, which the strict parser reads.
    for text in ["x:\n  -\tb\n", "x: a\n\t# note\n", "x: |-\n  a\n\t\ny: 1\n"] {
        let kubeconfig = scratch.path().join("tabs.yaml");
        std::fs::write(&kubeconfig, format!("apiVersion: v1\nkind: Config\n{text}"))
            .expect("write");
        let out = std::process::Command::new("kubectl")
            .args(["config", "view"])
            .env("KUBECONFIG", &kubeconfig)
            .output()
            .expect("kubectl");
        assert!(!out.status.success(), "kubectl reads {text:?}");
        Test::new()
            .file("backend-ingen-values.yaml", &format!("orchestrator:\n  mspID: ingen\n{text}"))
            .args(["check", "values"])
            .status(2)
            .stderr_contains("Helm's YAML reader")
            .stderr_contains("tab")
            .run();
    }
    // Merge keys whose tag is written with `%` escapes or a `%TAG` handle: merged by the reader,
    // refused by substractl (which compares tags as written) at their line.
    for (directives, key, message) in [
        ("", "!!m%65rge <<", ":5:3: this tag is written with a `%` escape"),
        ("", "!<%21> <<", ":5:3: this tag is written with a `%` escape"),
        ("", "!<tag%3Ayaml.org,2002:merge> <<", ":5:3: this tag is written with a `%` escape"),
        (
            "%TAG !e! tag:yaml.org,2002:\n---\n",
            "!e!merge <<",
            ":1:1: substractl does not read %TAG directives",
        ),
    ] {
        let text =
            format!("{directives}{{apiVersion: v1, kind: Foo, v: {{a: 1, {key}: {{a: 2}}}}}}");
        let read = crate::support::kubectl::reads(scratch.path(), &text);
        assert_eq!(read.map(|e| e["v"].clone()), Ok(json!({"a": 2})), "{key}");
        Test::new()
            .file(
                "backend-ingen-values.yaml",
                &format!(
                    "{directives}orchestrator:\n  mspID: ingen\nx:\n  a: 1\n  {key}: {{a: 2}}\n"
                ),
            )
            .args(["check", "values"])
            .status(2)
            .stderr_contains(&format!("backend-ingen-values.yaml{message}"))
            .run();
    }
}

//! `substractl check all`: a deployment directory made by `link` and `certs gen`, checked
//! against an orchestrator imitation (TLS, mTLS, Substra's headers) and HTTP backends on
//! 127.0.0.1; then broken one thing at a time.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::support::grpc::{serve as serve_grpc, Spec, Tls};
use crate::support::http::{refused_url, serve, serve_at, Behaviour, Server};
use crate::support::pki::openssl_server_auth_only;
use crate::support::{Output, Test};

const ORGS: [&str; 2] = ["ingen", "biotechnica"];
const HOST: &str = "orchestrator.example.com";

/// A deployment directory: the backends' and the orchestrator's values written as an operator
/// would, then `link --channel` and `certs gen --values-dir` with ECDSA keys.
fn deployment() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    for org in ORGS {
        let text = format!(
            "organizationName: {org}\nserver:\n  defaultDomain: http://api.{org}.example:80\n\
             orchestrator:\n  host: {HOST}\n  port: 443\n  mspID: {org}\n"
        );
        std::fs::write(d.join(format!("backend-{org}-values.yaml")), text).expect("write");
    }
    std::fs::write(
        d.join("orchestrator-values.yaml"),
        format!("ingress:\n  enabled: true\n  hostname: {HOST}\norchestrator:\n  verifyClientMSPID: true\n"),
    )
    .expect("write");
    let dir_s = d.to_str().expect("utf-8");
    Test::new()
        .args(["link", "ingen", "biotechnica", "--channel", "our-channel", "--dir", dir_s])
        .run();
    Test::new()
        .args(["certs", "gen", "--out", dir_s, "--host", HOST, "--key-type", "ecdsa-p256"])
        .args(["--org", "ingen", "--org", "biotechnica", "--values-dir", dir_s])
        .run();
    dir
}

fn read(d: &Path, name: &str) -> String {
    std::fs::read_to_string(d.join(name)).expect("read")
}

/// The orchestrator imitation with the server pair of the directory, trusting its CA for
/// client certificates (mTLS).
fn orchestrator(d: &Path) -> SocketAddr {
    serve_grpc(Spec::orchestrator().tls(Tls {
        cert: read(d, "orchestrator-tls.crt"),
        key: read(d, "orchestrator-tls.key"),
        client_ca: Some(read(d, "orchestrator-ca.crt")),
    }))
}

/// The (user, password) pairs an organization's backend accepts: its incoming entries.
fn incoming(d: &Path, org: &str) -> Vec<(String, String)> {
    let path = d.join(format!("backend-{org}-values.yaml"));
    let bytes = std::fs::read(&path).expect("read");
    let doc = substractl::values::Doc::parse(&path, Some(bytes)).expect("parse");
    doc.get(&["addAccountOperator", "incomingOrganizations"])
        .and_then(Value::as_array)
        .expect("incoming entries")
        .iter()
        .map(|e| {
            (
                e["name"].as_str().expect("name").to_string(),
                e["secret"].as_str().expect("secret").to_string(),
            )
        })
        .collect()
}

fn backend(d: &Path, org: &str) -> Server {
    serve(Behaviour::Backend { incoming: incoming(d, org), reject: 401 })
}

/// "group / check" of every check with this status in a JSON report, sorted.
fn marked(out: &Output, status: &str) -> Vec<String> {
    let mut found: Vec<String> = out.json()["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["status"] == status)
        .map(|c| {
            format!("{} / {}", c["group"].as_str().unwrap_or(""), c["check"].as_str().unwrap_or(""))
        })
        .collect();
    found.sort();
    found
}

fn failures(out: &Output) -> Vec<String> {
    marked(out, "failure")
}

/// `check all` of the directory against these servers; no secret of the directory may show.
fn check_all(
    d: &Path,
    orchestrator: Option<SocketAddr>,
    urls: &[(&str, String)],
    extra: &[&str],
) -> Test {
    let mut test = Test::new()
        .args(["check", "all", "--dir", d.to_str().expect("utf-8"), "--timeout", "5"])
        .timeout(Duration::from_secs(60));
    if let Some(addr) = orchestrator {
        test = test.args(["--orchestrator", &addr.to_string()]);
    }
    for (org, url) in urls {
        test = test.args(["--address", &format!("{org}={url}")]);
    }
    ORGS.iter()
        .flat_map(|org| incoming(d, org))
        .fold(test.args(extra), |t, (_, s)| t.never_shows(&s))
}

/// A working deployment: the directory, its orchestrator and its two backends.
struct World {
    dir: tempfile::TempDir,
    orchestrator: SocketAddr,
    backends: Vec<(&'static str, Server)>,
}

impl World {
    fn new() -> World {
        let dir = deployment();
        let orchestrator = orchestrator(dir.path());
        let backends = ORGS.iter().map(|org| (*org, backend(dir.path(), org))).collect();
        World { dir, orchestrator, backends }
    }

    fn urls(&self) -> Vec<(&str, String)> {
        self.backends.iter().map(|(org, s)| (*org, s.url())).collect()
    }

    fn run(&self, extra: &[&str]) -> Test {
        check_all(self.dir.path(), Some(self.orchestrator), &self.urls(), extra)
    }
}

#[test]
fn a_sound_deployment_passes_every_group() {
    let world = World::new();
    let run = world.run(&[]).status(0).run();
    for group in [
        "values pairs",
        "values tls",
        "certificates",
        "orchestrator ingen",
        "orchestrator biotechnica",
        "outgoing",
    ] {
        assert!(run.stdout.lines().any(|l| l == group), "no group {group}: {}", run.stdout);
    }
    assert!(run.stdout.contains("headers accepted"), "{}", run.stdout);
    assert!(run.stdout.contains("ingen -> biotechnica"), "{}", run.stdout);
    assert!(run.stdout.lines().last().unwrap_or("").starts_with("passed: "), "{}", run.stdout);
}

#[test]
fn json_shape_of_check_all() {
    let world = World::new();
    let run = world.run(&["-o", "json"]).status(0).run();
    let doc = run.json();
    let keys: Vec<&str> = doc.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(keys, ["dir", "certs", "ok", "summary", "checks"]);
    assert_eq!(doc["dir"], world.dir.path().to_str().expect("utf-8"));
    assert_eq!(doc["certs"], world.dir.path().to_str().expect("utf-8"));
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["summary"]["failure"], 0);
    let check = doc["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["group"] == "orchestrator biotechnica" && c["check"] == "headers accepted")
        .cloned()
        .expect("the headers check of biotechnica");
    assert_eq!(
        check,
        serde_json::json!({
            "group": "orchestrator biotechnica",
            "check": "headers accepted",
            "status": "ok",
            "detail": "mspid \"biotechnica\" and channel \"our-channel\" accepted",
            "hint": null,
        })
    );
}

#[test]
fn a_secret_that_differs_fails_that_link_only() {
    let world = World::new();
    let d = world.dir.path();
    // biotechnica's backend holds another secret for ingen than ingen sends.
    let mut accepted = incoming(d, "biotechnica");
    for (user, password) in &mut accepted {
        if user == "ingen" {
            *password = "another-secret".into();
        }
    }
    let biotechnica = serve(Behaviour::Backend { incoming: accepted, reject: 401 });
    let urls = vec![("ingen", world.backends[0].1.url()), ("biotechnica", biotechnica.url())];
    let run = check_all(d, Some(world.orchestrator), &urls, &["-o", "json"]).status(1).run();
    assert_eq!(failures(&run), ["outgoing / ingen -> biotechnica"]);
    let text = check_all(d, Some(world.orchestrator), &urls, &[]).status(1).run();
    assert!(text.stdout.contains("rejected (401)"), "{}", text.stdout);
    // The files agree: biotechnica's running backend has not been given its file.
    assert!(text.stdout.contains("the values files agree"), "{}", text.stdout);
    assert!(
        text.stdout.contains("helm upgrade RELEASE substra/substra-backend"),
        "{}",
        text.stdout
    );
    assert!(!text.stdout.contains("substractl link"), "{}", text.stdout);
}

#[test]
fn a_server_certificate_for_another_host_fails_the_host_checks() {
    let world = World::new();
    let d = world.dir.path();
    Test::new()
        .args(["certs", "gen", "--out", d.to_str().expect("utf-8"), "--host", "other.example.com"])
        .args(["--key-type", "ecdsa-p256", "--force"])
        .run();
    let run = check_all(d, Some(orchestrator(d)), &world.urls(), &["-o", "json"]).status(1).run();
    assert_eq!(
        failures(&run),
        [
            "certificates / server host",
            "orchestrator biotechnica / tls handshake",
            "orchestrator biotechnica / tls names",
            "orchestrator ingen / tls handshake",
            "orchestrator ingen / tls names",
        ]
    );
}

#[test]
fn a_channel_the_orchestrator_does_not_give_fails_that_organizations_headers() {
    let world = World::new();
    let d = world.dir.path();
    let path = d.join("backend-biotechnica-values.yaml");
    let text = read(d, "backend-biotechnica-values.yaml").replace("our-channel:", "their-channel:");
    std::fs::write(&path, text).expect("write");
    let run = world.run(&["-o", "json"]).status(1).run();
    let failures = failures(&run);
    assert!(
        failures.contains(&"orchestrator biotechnica / headers accepted".to_string()),
        "{failures:?}"
    );
    assert!(!failures.iter().any(|f| f.starts_with("orchestrator ingen")), "{failures:?}");
    assert!(
        !failures.iter().any(|f| f.starts_with("certificates") || f.starts_with("outgoing")),
        "{failures:?}"
    );
}

#[test]
fn a_server_certificate_without_client_auth_fails_the_health_probe_checks() {
    let world = World::new();
    let d = world.dir.path();
    // Signed again by the directory's CA, for serverAuth only.
    openssl_server_auth_only(d, "orchestrator-tls", HOST);
    let run = check_all(d, Some(orchestrator(d)), &world.urls(), &["-o", "json"]).status(1).run();
    assert_eq!(
        failures(&run),
        [
            "certificates / server health-probe",
            "orchestrator biotechnica / tls health-probe",
            "orchestrator ingen / tls health-probe",
        ]
    );
}

#[test]
fn without_certificates_their_groups_are_skipped_with_why() {
    let world = World::new();
    let d = world.dir.path();
    for entry in std::fs::read_dir(d).expect("read dir") {
        let path = entry.expect("entry").path();
        if matches!(path.extension().and_then(|e| e.to_str()), Some("crt" | "key")) {
            std::fs::remove_file(path).expect("remove");
        }
    }
    let run = world.run(&["-o", "json"]).status(0).run();
    let skipped = marked(&run, "skipped");
    assert!(skipped.contains(&"certificates / files".to_string()), "{skipped:?}");
    assert!(skipped.contains(&"orchestrator ingen / connect".to_string()), "{skipped:?}");
    assert!(skipped.contains(&"orchestrator biotechnica / connect".to_string()), "{skipped:?}");
    let text = world.run(&[]).status(0).run();
    assert!(text.stdout.contains("no orchestrator-ca.crt in"), "{}", text.stdout);
    assert!(text.stdout.contains("TLS is on and the CA is missing"), "{}", text.stdout);
}

#[test]
fn a_certificate_file_that_is_no_file_fails_rather_than_being_skipped() {
    let world = World::new();
    let cases: [(&str, &str, &str); 5] = [
        ("orchestrator-ca.crt", "link", "certificates / ca"),
        ("orchestrator-ca.crt", "fifo", "certificates / ca"),
        ("orchestrator-ca.crt", "dir", "certificates / ca"),
        ("ingen.key", "link", "certificates / ingen key"),
        ("biotechnica.crt", "fifo", "certificates / biotechnica certificate"),
    ];
    for (file, kind, check) in cases {
        let test = Test::new().tree(world.dir.path());
        let path = test.path().join(file);
        std::fs::remove_file(&path).expect("rm");
        let says = match kind {
            "link" => {
                std::os::unix::fs::symlink("/nonexistent/x", &path).expect("ln");
                "is a symbolic link to /nonexistent/x, which does not exist"
            }
            "fifo" => {
                let made =
                    std::process::Command::new("mkfifo").arg(&path).status().expect("mkfifo");
                assert!(made.success());
                "is not a regular file (it is a named pipe (FIFO))"
            }
            _ => {
                std::fs::create_dir(&path).expect("mkdir");
                "is not a regular file (it is a directory)"
            }
        };
        let mut test = test
            .args(["check", "all", "-o", "json", "--timeout", "5"])
            .args(["--orchestrator", &world.orchestrator.to_string()])
            .timeout(Duration::from_secs(60));
        for (org, url) in world.urls() {
            test = test.args(["--address", &format!("{org}={url}")]);
        }
        let out = test.status(1).run();
        let failed = failures(&out);
        assert!(failed.contains(&check.to_string()), "{file} {kind}: {failed:?}");
        let skipped = marked(&out, "skipped");
        assert!(skipped.is_empty(), "{file} {kind}: {skipped:?}");
        let detail = out.json()["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .find(|c| {
                format!(
                    "{} / {}",
                    c["group"].as_str().unwrap_or(""),
                    c["check"].as_str().unwrap_or("")
                ) == check
            })
            .map(|c| c["detail"].as_str().unwrap_or("").to_string())
            .unwrap_or_default();
        assert!(detail.ends_with(&format!("{file} {says}")), "{file} {kind}: {detail}");
    }
}

#[test]
fn an_unreadable_ca_is_a_permission_to_fix_not_a_ca_to_make_again() {
    assert!(crate::support::is_root(), "another user is needed to be refused the file");
    let world = World::new();
    let d = world.dir.path();
    let test = crate::support::Test::new().tree(d);
    let ca = test.path().join("orchestrator-ca.crt");
    std::fs::set_permissions(&ca, std::os::unix::fs::PermissionsExt::from_mode(0o600))
        .expect("chmod");
    let mut test = test.args(["check", "all", "-o", "json", "--timeout", "5"]);
    test = test.args(["--orchestrator", &world.orchestrator.to_string()]);
    for (org, url) in world.urls() {
        test = test.args(["--address", &format!("{org}={url}")]);
    }
    let out = test.user(65534).status(1).run();
    let json: Value = serde_json::from_str(&out.stdout).expect("json");
    let ca_check = json["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["group"] == "certificates" && c["check"] == "ca")
        .unwrap_or_else(|| panic!("no CA check:\n{}", out.stdout))
        .clone();
    assert_eq!(ca_check["status"], "failure", "{ca_check}");
    let detail = ca_check["detail"].as_str().expect("detail");
    assert!(detail.contains("Permission denied"), "{detail}");
    let hint = ca_check["hint"].as_str().expect("hint");
    assert!(hint.contains("read permission on ") && hint.contains("orchestrator-ca.crt"), "{hint}");
    assert!(!hint.contains("make the CA again"), "{hint}");

    // The same file for `certs verify`: the permission is named there too.
    let test = crate::support::Test::new().tree(d);
    let ca = test.path().join("orchestrator-ca.crt");
    std::fs::set_permissions(&ca, std::os::unix::fs::PermissionsExt::from_mode(0o600))
        .expect("chmod");
    test.args(["certs", "verify", "--ca", "orchestrator-ca.crt", "orchestrator-tls.crt"])
        .user(65534)
        .status(2)
        .stderr(
            "substractl: error: cannot read orchestrator-ca.crt: Permission denied (os error 13)
  hint: give this user read permission on the file (ls -l shows its owner and mode), or run \
             substractl as its owner
",
        )
        .run();
}

#[test]
fn wait_retries_until_a_late_backend_answers() {
    let world = World::new();
    let d = world.dir.path();
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let late: SocketAddr = port.local_addr().expect("addr");
    drop(port);
    let accepted = incoming(d, "biotechnica");
    let starter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(1));
        serve_at(late, Behaviour::Backend { incoming: accepted, reject: 401 })
    });
    let urls =
        vec![("ingen", world.backends[0].1.url()), ("biotechnica", format!("http://{late}"))];
    let run = check_all(d, Some(world.orchestrator), &urls, &["--wait", "10s", "-o", "json"])
        .status(0)
        .run();
    let _server = starter.join().expect("late server");
    assert!(failures(&run).is_empty());
}

#[test]
fn wait_gives_up_when_its_time_runs_out() {
    let world = World::new();
    let urls = vec![("ingen", world.backends[0].1.url()), ("biotechnica", refused_url())];
    let run = check_all(
        world.dir.path(),
        Some(world.orchestrator),
        &urls,
        &["--wait", "1s", "-o", "json"],
    )
    .status(1)
    .run();
    assert_eq!(
        failures(&run),
        ["outgoing / biotechnica -> biotechnica", "outgoing / ingen -> biotechnica"]
    );
}

#[test]
fn bad_wait_is_bad_input() {
    let dir = deployment();
    let run = check_all(dir.path(), None, &[], &["--wait", "soon"]).status(2).run();
    assert!(run.stderr.contains("--wait \"soon\" is not a duration"), "{}", run.stderr);
}

#[test]
fn a_deployment_of_25_organizations_is_checked_in_half_a_gibibyte() {
    // A deployment of 25 organizations made by init (625 links, every backend one loopback
    // server that accepts them at once), in 512 MiB of memory (`ulimit -d`, as a container's
    // limit), with the default --timeout and --concurrency: every link passes, and each
    // organization's orchestrator check says the port is closed. The credentials of the
    // directory (625 pairs, in every spelling a server could echo) are held once for the run:
    // a copy per organization checked at once and per request in flight took gigabytes.
    let (_server, init, addresses) = crate::support::http::deployment_behind_one_server(25);
    let orchestrator = crate::support::grpc::closed_port();
    let out = init
        .then()
        .wrapper("ulimit -d 524288")
        .args(["check", "all", "--dir", "d", "-o", "json"])
        .args(["--orchestrator", &orchestrator.to_string()])
        .args(&addresses)
        .timeout(Duration::from_secs(120))
        .status(1)
        .run();
    let links = marked(&out, "ok").into_iter().filter(|c| c.starts_with("outgoing / ")).count();
    assert_eq!(links, 625, "{}", out.stdout);
    let failed = failures(&out);
    let expected: Vec<String> =
        (1..=25).map(|i| format!("orchestrator org{i:02} / tcp connect")).collect();
    assert_eq!(failed, expected);
}

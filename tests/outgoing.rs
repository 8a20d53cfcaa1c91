//! `check outgoing` against HTTP servers run in this process on 127.0.0.1, behaving as Substra
//! backends (`/info/` for anyone, `/model/` behind HTTP Basic) or failing in the ways real
//! deployments fail: a refused port, a server that never answers, a slow one, a 500, a 429, a
//! self-signed TLS server, a name that cannot resolve. `--in-cluster` runs against a fake
//! kubectl that records its command line.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::support::hostile::Kubectl;
use crate::support::http::{refused_url, serve, serve_with, Behaviour};
use crate::support::kubectl::fake as fake_kubectl;
use crate::support::pki::Ca;
use crate::support::{Output, Test};

// ---------------------------------------------------------------------------------------------
// Values files

struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Dir {
        Dir(tempfile::tempdir().expect("tempdir"))
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    fn s(&self) -> &str {
        self.path().to_str().expect("utf-8")
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path().join(name);
        std::fs::write(&path, text).expect("write");
        path
    }

    /// backend-{name}-values.yaml with MSP ID = name.
    fn backend(
        &self,
        name: &str,
        domain: Option<&str>,
        channel: Option<&str>,
        outgoing: &[(&str, &str)],
    ) {
        let mut y = String::new();
        if let Some(d) = domain {
            y.push_str(&format!("server:\n  defaultDomain: {d}\n"));
        }
        y.push_str(&format!("orchestrator:\n  mspID: {name}\n"));
        if let Some(c) = channel {
            y.push_str(&format!("  channels:\n    - {c}: {{restricted: false}}\n"));
        }
        y.push_str("addAccountOperator:\n  outgoingOrganizations:\n");
        for (org, secret) in outgoing {
            y.push_str(&format!("    - name: {org}\n      secret: {secret}\n"));
        }
        self.write(&format!("backend-{name}-values.yaml"), &y);
    }
}

/// The row of an organization in a JSON report.
fn row(out: &Output, org: &str) -> Value {
    out.json()["organizations"]
        .as_array()
        .expect("organizations")
        .iter()
        .find(|r| r["org_id"] == org)
        .cloned()
        .unwrap_or_else(|| panic!("no row for {org}: {}", out.stdout))
}

/// `check outgoing` with these arguments.
fn run(args: &[&str]) -> Test {
    Test::new().args(["check", "outgoing"]).args(args).timeout(Duration::from_secs(60))
}

/// `check outgoing` with this PATH.
fn run_with(args: &[&str], path: Option<String>) -> Test {
    match path {
        Some(path) => run(args).env("PATH", path),
        None => run(args),
    }
}

const SECRET_IB: &str = "S3cretIngenToBiotechnica0123456789abcdef";

/// Every spelling of the Basic credentials of ingen -> biotechnica that a server could echo.
fn credential_spellings() -> Vec<String> {
    let header = substractl::kube::base64(format!("ingen:{SECRET_IB}").as_bytes());
    vec![
        SECRET_IB.to_string(),
        header.clone(),
        header.replace('=', "%3D"),
        header[..20].to_string(),
    ]
}

// ---------------------------------------------------------------------------------------------
// Tests

#[test]
fn a_redirect_echoing_the_credentials_never_shows_them() {
    // The backend answers /model/ with a redirect whose user info is the Authorization header
    // it received, to a scheme the client cannot follow.
    let server = serve(Behaviour::Redirect("ftp://{auth}@127.0.0.1:1/x?{auth}#{auth}".into()));
    let dir = Dir::new();
    dir.backend("ingen", None, Some("our-channel"), &[("biotechnica", SECRET_IB)]);
    dir.backend("biotechnica", Some(&server.url()), None, &[]);
    let hidden = |test: Test| credential_spellings().iter().fold(test, |t, s| t.never_shows(s));
    for format in ["table", "json"] {
        let args = ["--org", "ingen", "--dir", dir.s(), "-o", format, "--timeout", "5"];
        hidden(run(&args))
            .status(1)
            .stdout_contains("redirect (302) to a URL substractl does not follow")
            .stdout_lacks("127.0.0.1:1")
            .run();
    }
    hidden(run(&["--all", "--dir", dir.s(), "-o", "json", "--timeout", "5"])).status(1).run();
    hidden(Test::new())
        .args(["check", "all", "--dir", dir.s(), "--timeout", "2", "-o", "json"])
        .timeout(Duration::from_secs(60))
        .status(1)
        .run();
}

#[test]
fn a_redirect_to_an_accepting_origin_is_not_accepted() {
    // A plain http -> https-style move of an ingress: the other origin would accept anything,
    // but the credentials are not sent there and its answer proves nothing.
    let elsewhere = serve(Behaviour::Status(200));
    let server = serve(Behaviour::Redirect(format!("{}/model/?page_size=1", elsewhere.url())));
    let dir = Dir::new();
    dir.backend("ingen", None, Some("our-channel"), &[("biotechnica", SECRET_IB)]);
    dir.backend("biotechnica", Some(&server.url()), None, &[]);
    let r =
        run(&["--org", "ingen", "--dir", dir.s(), "-o", "json", "--timeout", "5"]).status(1).run();
    let row = row(&r, "biotechnica");
    assert_eq!(row["auth"]["status"], "failure", "{row}");
    assert_eq!(row["auth"]["code"], 302, "{row}");
    let text = row["auth"]["text"].as_str().unwrap_or("");
    assert_eq!(text, "redirect (302) to another port of the same host (http)", "{row}");
    assert!(row["trouble"].to_string().contains("redirected"), "{row}");
    assert!(!row["hint"].to_string().contains("re-pair"), "{row}");
    assert!(elsewhere.seen().is_empty(), "the redirect was followed");
}

#[test]
fn all_refuses_a_values_file_it_cannot_read_rather_than_passing_without_it() {
    let dir = Dir::new();
    dir.backend("ingen", None, Some("our-channel"), &[]);
    let looped = dir.path().join("backend-loop-values.yaml");
    std::os::unix::fs::symlink(&looped, &looped).expect("symlink loop");
    run(&["--all", "--dir", dir.s()])
        .status(2)
        .stderr_contains("backend-loop-values.yaml is a loop of symbolic links")
        .stdout("")
        .run();
}

#[test]
fn a_catch_all_page_is_not_an_accepted_secret() {
    // An ingress that answers 200 with its welcome page to every path proves neither the
    // address nor the secret.
    let server = serve(Behaviour::CatchAll);
    let dir = Dir::new();
    dir.backend("ingen", None, Some("our-channel"), &[("biotechnica", SECRET_IB)]);
    dir.backend("biotechnica", Some(&server.url()), None, &[]);
    let r = run(&["--org", "ingen", "--dir", dir.s(), "-o", "json", "--timeout", "5"])
        .status(1)
        .never_shows(SECRET_IB)
        .run();
    let row = row(&r, "biotechnica");
    assert_eq!(row["auth"]["status"], "failure", "{row}");
    assert_eq!(row["auth"]["text"], "200, not a backend's answer (text/html)", "{row}");
}

#[test]
fn an_address_with_credentials_or_a_query_is_neither_called_nor_shown() {
    let server = serve(Behaviour::Status(200));
    let port = server.url().rsplit(':').next().unwrap_or_default().to_string();
    let hostile = format!("http://u:pw0rdpw0rd@127.0.0.1:{port}/?tok=abcdef123");
    let dir = Dir::new();
    dir.backend("ingen", None, Some("our-channel"), &[("biotechnica", SECRET_IB)]);
    dir.backend("biotechnica", Some(&hostile), None, &[]);
    for format in ["table", "json"] {
        let r = run(&["--org", "ingen", "--dir", dir.s(), "-o", format, "--timeout", "5"])
            .status(1)
            .stdout_contains("bad address: it has a query or a fragment")
            .never_shows("pw0rdpw0rd")
            .never_shows("tok=abcdef123")
            .run();
        drop(r);
    }
    assert!(server.seen().is_empty(), "the address was called");
    // Given on the command line, it is refused before anything runs.
    let clean = Dir::new();
    clean.backend("ingen", None, Some("our-channel"), &[("biotechnica", SECRET_IB)]);
    run(&["--org", "ingen", "--dir", clean.s(), "--address", &format!("biotechnica={hostile}")])
        .status(2)
        .stderr_contains(&format!("--address biotechnica=http://127.0.0.1:{port}/: it has"))
        .never_shows("pw0rdpw0rd")
        .run();
    // check values says so too, without the credentials.
    Test::new()
        .args(["check", "values", "--dir", dir.s()])
        .status(1)
        .stdout_contains("biotechnica defaultDomain")
        .stdout_contains("it has a query or a fragment")
        .never_shows("pw0rdpw0rd")
        .run();
}

#[test]
fn accepted_credentials_pass_and_carry_substra_headers() {
    let server = serve(Behaviour::Backend {
        incoming: vec![("ingen".into(), SECRET_IB.into())],
        reject: 401,
    });
    let dir = Dir::new();
    dir.backend("ingen", None, Some("our-channel"), &[("biotechnica", SECRET_IB)]);
    dir.backend("biotechnica", Some(&server.url()), None, &[]);

    let r = run(&["--org", "ingen", "--dir", dir.s()]).status(0).never_shows(SECRET_IB).run();
    assert!(r.stdout.contains("org_id"), "{}", r.stdout);
    assert!(r.stdout.contains("auth"), "{}", r.stdout);
    assert!(r.stdout.contains(&server.url()), "{}", r.stdout);
    assert!(r.stdout.contains("accepted"), "{}", r.stdout);
    assert!(r.stdout.contains("passed: 1 of 1"), "{}", r.stdout);

    let seen = server.seen();
    assert!(seen.iter().all(|s| s.path != "/info/"), "an anonymous /info/ was spent");
    let model = seen.iter().find(|s| s.path == "/model/?page_size=1").expect("GET /model/");
    assert_eq!(model.header("accept"), Some("application/json;version=0.0"));
    assert_eq!(model.header("substra-channel-name"), Some("our-channel"));
    let basic = model.header("authorization").expect("basic auth");
    assert!(basic.starts_with("Basic "), "{basic}");

    // JSON: stable fields, no secret.
    let r = run(&["--org", "ingen", "--dir", dir.s(), "-o", "json"])
        .status(0)
        .never_shows(SECRET_IB)
        .run();
    let doc = r.json();
    assert_eq!(doc["organization"], "ingen");
    assert_eq!(doc["ok"], true);
    let row = row(&r, "biotechnica");
    assert_eq!(row["http_status"]["status"], "skipped");
    assert_eq!(row["auth"]["text"], "accepted");
    assert_eq!(row["org_address"], server.url());
}

#[test]
fn a_refusal_by_a_backend_whose_manifest_is_not_here_is_not_blamed_on_its_lists() {
    // biotechnica keeps its lists in a Secret manifest that is not in --dir: its incoming list
    // is unknown, not empty, and re-pairing would rotate a secret that may well be right.
    let server = serve(Behaviour::Backend { incoming: vec![], reject: 401 });
    let dir = Dir::new();
    dir.backend("ingen", None, Some("our-channel"), &[("biotechnica", SECRET_IB)]);
    dir.write(
        "backend-biotechnica-values.yaml",
        &format!(
            "server:\n  defaultDomain: {}\norchestrator:\n  mspID: biotechnica\n\
             addAccountOperator:\n  existingSecret: backend-biotechnica-accounts\n",
            server.url()
        ),
    );
    let r = run(&["--org", "ingen", "--dir", dir.s()]).status(1).never_shows(SECRET_IB).run();
    assert!(r.stdout.contains("rejected (401)"), "{}", r.stdout);
    assert!(!r.stdout.contains("has no incomingOrganizations entry"), "{}", r.stdout);
    assert!(r.stdout.contains("biotechnica's credentials cannot be compared"), "{}", r.stdout);
    assert!(r.stdout.contains("backend-biotechnica-accounts.yaml is not there"), "{}", r.stdout);
}

#[test]
fn rejected_credentials_fail_with_the_relink_command() {
    for reject in [401, 403] {
        let server = serve(Behaviour::Backend {
            incoming: vec![("ingen".into(), "the-other-side-has-this".into())],
            reject,
        });
        let dir = Dir::new();
        dir.backend("ingen", None, Some("our-channel"), &[("biotechnica", SECRET_IB)]);
        dir.backend("biotechnica", Some(&server.url()), None, &[]);
        let r = run(&["--org", "ingen", "--dir", dir.s()]).status(1).never_shows(SECRET_IB).run();
        assert!(r.stdout.contains(&format!("rejected ({reject})")), "{}", r.stdout);
        assert!(r.stdout.contains("has no incomingOrganizations entry for ingen"), "{}", r.stdout);
        assert!(
            r.stdout.contains(&format!("substractl link ingen biotechnica --dir {}", dir.s())),
            "{}",
            r.stdout
        );
        // The user is the MSP ID of the organization checked.
        let seen = server.seen();
        let model = seen.iter().find(|s| s.path.starts_with("/model/")).expect("GET /model/");
        let expected =
            format!("Basic {}", substractl::kube::base64(format!("ingen:{SECRET_IB}").as_bytes()));
        assert_eq!(model.header("authorization"), Some(expected.as_str()));
    }
}

#[test]
fn every_fault_gives_its_row_within_the_timeout() {
    let silent = serve(Behaviour::Silent);
    let slow = serve(Behaviour::Slow(Duration::from_secs(30)));
    let quick = serve(Behaviour::Slow(Duration::from_millis(200)));
    let broken = serve(Behaviour::Status(500));
    let throttled = serve(Behaviour::Status(429));
    let dir = Dir::new();
    let outgoing = [
        ("refused", "s1"),
        ("silent", "s2"),
        ("slow", "s3"),
        ("quick", "s4"),
        ("broken", "s5"),
        ("throttled", "s6"),
        ("nowhere", "s7"),
        ("unknown", "s8"),
    ];
    dir.backend("ingen", None, Some("our-channel"), &outgoing);
    let refused = refused_url();
    dir.backend("refused", Some(&refused), None, &[]);
    dir.backend("silent", Some(&silent.url()), None, &[]);
    dir.backend("slow", Some(&slow.url()), None, &[]);
    dir.backend("quick", Some(&quick.url()), None, &[]);
    dir.backend("broken", Some(&broken.url()), None, &[]);
    dir.backend("nowhere", Some("http://backend.substractl-test.invalid"), None, &[]);
    // `throttled` has no values file: its address comes from --address.
    let flag = format!("throttled={}", throttled.url());

    let r = run(&[
        "--org",
        "ingen",
        "--dir",
        dir.s(),
        "--timeout",
        "1",
        "--address",
        &flag,
        "-o",
        "json",
    ])
    .status(1)
    .run();
    assert!(r.elapsed < Duration::from_secs(1 + 5), "took {:?}", r.elapsed);

    let cell = |org: &str, col: &str| row(&r, org)[col]["text"].as_str().unwrap_or("").to_string();
    assert_eq!(cell("refused", "http_status"), "connection refused");
    assert_eq!(cell("silent", "http_status"), "timeout after 1s");
    assert_eq!(cell("slow", "http_status"), "timeout after 1s");
    // Accepted credentials prove the address too: no anonymous /info/ is spent.
    assert_eq!(cell("quick", "http_status"), "not asked: /model/ answered");
    assert_eq!(cell("quick", "auth"), "accepted");
    assert!(quick.seen().iter().all(|s| s.path != "/info/"));
    assert_eq!(cell("broken", "http_status"), "500");
    assert_eq!(cell("broken", "auth"), "status 500");
    // Authenticated requests are not throttled by a backend: something in front of it did.
    assert_eq!(cell("throttled", "http_status"), "not asked: /model/ answered");
    assert!(cell("throttled", "auth").starts_with("throttled (429) by something in front of"));
    assert_eq!(cell("nowhere", "http_status"), "dns: no such host");
    assert_eq!(cell("unknown", "http_status"), "no address");
    assert!(row(&r, "unknown")["hint"].as_str().unwrap_or("").contains("--address unknown=URL"));
    assert_eq!(row(&r, "throttled")["address_from"], "--address throttled");
    // Rows keep the order of the outgoing list.
    let order: Vec<String> = r.json()["organizations"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| row["org_id"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(order, outgoing.iter().map(|(o, _)| o.to_string()).collect::<Vec<_>>());
    for secret in ["s1", "s2"] {
        assert!(!r.stdout.contains(&format!("\"{secret}\"")));
    }

    // Only the quick one passes on its own.
    run(&[
        "--values",
        &dir.path().join("backend-ingen-values.yaml").display().to_string(),
        "--dir",
        dir.s(),
        "--timeout",
        "1",
        "--address",
        &format!("ingen={}", quick.url()),
    ])
    .status(1)
    .run();
}

#[test]
fn tls_needs_the_right_ca_and_name() {
    let ca = Ca::new("Test Backend CA");
    let (ca_pem, cfg) = (ca.pem.clone(), ca.server_config(&["localhost", "127.0.0.1"]));
    let server = serve_with(
        Behaviour::Backend { incoming: vec![("ingen".into(), SECRET_IB.into())], reject: 401 },
        Some(cfg),
    );
    let dir = Dir::new();
    let ca = dir.write("ca.crt", &ca_pem);
    dir.backend("ingen", None, Some("our-channel"), &[("biotechnica", SECRET_IB)]);
    let url = format!("https://localhost:{}", server.addr.port());
    dir.backend("biotechnica", Some(&url), None, &[]);

    // System roots: the private CA is unknown.
    let r =
        run(&["--org", "ingen", "--dir", dir.s(), "--timeout", "5", "-o", "json"]).status(1).run();
    assert_eq!(row(&r, "biotechnica")["http_status"]["text"], "tls: unknown issuer");
    assert!(row(&r, "biotechnica")["hint"].as_str().unwrap_or("").contains("--cacert"));

    // With the CA: reachable and accepted.
    let ca_s = ca.display().to_string();
    let r = run(&["--org", "ingen", "--dir", dir.s(), "--cacert", &ca_s])
        .status(0)
        .never_shows(SECRET_IB)
        .run();
    assert!(r.stdout.contains("accepted"), "{}", r.stdout);

    // --insecure: no verification, a warning says so.
    let r = run(&["--org", "ingen", "--dir", dir.s(), "--insecure"]).status(0).run();
    assert!(r.stderr.contains("--insecure"), "{}", r.stderr);
}

#[test]
fn a_certificate_for_another_name_is_a_name_mismatch() {
    let ca = Ca::new("Test Backend CA");
    let (ca_pem, cfg) = (ca.pem.clone(), ca.server_config(&["backend.example"]));
    let server = serve_with(Behaviour::Status(200), Some(cfg));
    let dir = Dir::new();
    let ca = dir.write("ca.crt", &ca_pem);
    dir.backend("ingen", None, Some("our-channel"), &[("biotechnica", SECRET_IB)]);
    dir.backend(
        "biotechnica",
        Some(&format!("https://127.0.0.1:{}", server.addr.port())),
        None,
        &[],
    );
    let r = run(&[
        "--org",
        "ingen",
        "--dir",
        dir.s(),
        "--cacert",
        &ca.display().to_string(),
        "-o",
        "json",
    ])
    .status(1)
    .run();
    assert_eq!(row(&r, "biotechnica")["http_status"]["text"], "tls: name mismatch");
}

/// The backend command's table, built by the rules of its source: widths from the longest
/// value, `f" {v: ^{w}} "` (odd padding: the extra space on the right), `|` separators.
fn python_table(rows: &[[&str; 3]]) -> String {
    let mut all = vec![["org_id", "org_address", "http_status"]];
    all.extend_from_slice(rows);
    let widths: Vec<usize> =
        (0..3).map(|i| all.iter().map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for row in &all {
        let mut line = String::from("|");
        for i in 0..3 {
            let pad = widths[i] - row[i].chars().count();
            let (left, right) = (pad / 2, pad - pad / 2);
            line.push_str(&format!(" {}{}{} |", " ".repeat(left), row[i], " ".repeat(right)));
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The text python requests gives a refused connection, as the backend's table shows it.
fn python_refused(url: &str) -> String {
    let port = url.rsplit(':').next().unwrap_or_default();
    format!(
        "HTTPConnectionPool(host='127.0.0.1', port={port}): Max retries exceeded with url: /info/ \
         (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x0>: Failed \
         to establish a new connection: [Errno 111] Connection refused'))"
    )
}

#[test]
fn legacy_format_is_the_backend_table_byte_for_byte() {
    let server = serve(Behaviour::Backend { incoming: vec![], reject: 401 });
    let refused = refused_url();
    let dir = Dir::new();
    dir.backend("ingen", None, Some("our-channel"), &[("biotechnica", "x"), ("tyrell", "y")]);
    dir.backend("biotechnica", Some(&server.url()), None, &[]);
    dir.backend("tyrell", Some(&refused), None, &[]);
    let r = run(&["--org", "ingen", "--dir", dir.s(), "--format", "legacy", "--timeout", "5"])
        // /info/ answers 200 but the credentials are rejected: the legacy layout has no auth
        // column, the exit code still says so.
        .status(1)
        .run();
    let expected = python_table(&[
        ["biotechnica", &server.url(), "200"],
        ["tyrell", &refused, &python_refused(&refused)],
    ]);
    assert_eq!(r.stdout, expected);
    // The odd rule: "200" in an 11-wide column is 4 spaces left, 4 right; "org_id" in an
    // 11-wide column is 2 left and 3 right.
    assert!(r.stdout.starts_with("|   org_id    |"), "{}", r.stdout);

    run(&[
        "--org",
        "ingen",
        "--dir",
        dir.s(),
        "--format",
        "legacy",
        "--no-auth",
        "--address",
        "tyrell=",
    ])
    .status(2)
    .run();
}

#[test]
fn no_auth_checks_reachability_only() {
    let server = serve(Behaviour::Backend { incoming: vec![], reject: 401 });
    let dir = Dir::new();
    dir.backend("ingen", None, None, &[("biotechnica", "x")]);
    dir.backend("biotechnica", Some(&server.url()), None, &[]);
    let r = run(&["--org", "ingen", "--dir", dir.s(), "--no-auth"]).status(0).run();
    assert!(!r.stdout.contains("auth"), "{}", r.stdout);
    assert!(server.seen().iter().all(|s| s.path == "/info/"));

    // Without --no-auth and without channels in the file, the chart's mychannel is sent, as
    // the backend would send it.
    let r = run(&["--org", "ingen", "--dir", dir.s(), "-o", "json"]).status(1).run();
    assert_eq!(row(&r, "biotechnica")["auth"]["text"], "rejected (401)");
    assert!(server.seen().iter().any(|s| s.header("Substra-Channel-Name") == Some("mychannel")));
    let r =
        run(&["--org", "ingen", "--dir", dir.s(), "--channel", "c1", "-o", "json"]).status(1).run();
    assert_eq!(row(&r, "biotechnica")["auth"]["text"], "rejected (401)");
}

#[test]
fn all_is_a_matrix_of_every_organization() {
    let a = serve(Behaviour::Backend {
        incoming: vec![("ingen".into(), "s-ii".into()), ("biotechnica".into(), "s-bi".into())],
        reject: 401,
    });
    let b = serve(Behaviour::Backend {
        incoming: vec![("ingen".into(), "s-ib".into()), ("biotechnica".into(), "WRONG".into())],
        reject: 401,
    });
    let dir = Dir::new();
    dir.backend("ingen", Some(&a.url()), Some("ch"), &[("ingen", "s-ii"), ("biotechnica", "s-ib")]);
    dir.backend(
        "biotechnica",
        Some(&b.url()),
        Some("ch"),
        &[("ingen", "s-bi"), ("biotechnica", "s-bb")],
    );
    let r = run(&["--all", "--dir", dir.s()]).status(1).never_shows("s-ib").run();
    assert!(r.stdout.contains("from \\ to"), "{}", r.stdout);
    assert!(r.stdout.contains("biotechnica -> biotechnica: rejected (401)"), "{}", r.stdout);
    assert!(r.stdout.contains("failed: 3 of 4 links"), "{}", r.stdout);

    let r = run(&["--all", "--dir", dir.s(), "-o", "json"]).status(1).run();
    let doc = r.json();
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["organizations"], serde_json::json!(["biotechnica", "ingen"]));
    run(&["--all", "--dir", dir.s(), "--no-auth"]).status(0).run();
}

const BACKEND_TABLE: &str = "|   org_id    |          org_address           | http_status |\n\
                             | biotechnica | http://api.cluster-2.DOMAIN:80 |     200     |\n\
                             |   tyrell    |  http://api.tyrell.example:80  |     503     |\n";

#[test]
fn in_cluster_runs_the_backend_command_in_its_pod() {
    let dir = Dir::new();
    let (path, argv) = fake_kubectl(dir.path(), "pod/backend-server-0\n", BACKEND_TABLE);
    let r = run_with(
        &["--in-cluster", "--context", "cluster-1", "--namespace", "org-1", "-o", "json"],
        Some(path.clone()),
    )
    .status(1)
    .run();
    assert_eq!(row(&r, "biotechnica")["http_status"]["code"], 200);
    assert_eq!(row(&r, "tyrell")["http_status"]["code"], 503);
    assert_eq!(r.json()["source"], "in-cluster");
    let calls = std::fs::read_to_string(&argv).expect("argv");
    assert_eq!(
        calls,
        "--context cluster-1 --namespace org-1 get pod -l app.kubernetes.io/name=substra-backend-server -o name\n\
         --context cluster-1 --namespace org-1 exec pod/backend-server-0 -- ./manage.py get_outgoing_organization\n"
    );

    // The legacy layout gives back the backend's table as it printed it.
    let r = run_with(&["--in-cluster", "--format", "legacy"], Some(path)).status(1).run();
    assert_eq!(r.stdout, BACKEND_TABLE);
}

#[test]
fn in_cluster_never_passes_a_pod_name_that_reads_as_a_flag() {
    let dir = Dir::new();
    let (path, argv) = fake_kubectl(dir.path(), "--kubeconfig=/tmp/evil\n", BACKEND_TABLE);
    run_with(&["--in-cluster"], Some(path))
        .status(1)
        .stderr_contains(
            "`kubectl get pod` printed \"--kubeconfig=/tmp/evil\", which is not pod/NAME",
        )
        .run();
    let calls = std::fs::read_to_string(&argv).expect("argv");
    assert!(!calls.contains("exec"), "{calls}");
}

#[test]
fn in_cluster_reads_a_coloured_table() {
    let dir = Dir::new();
    let coloured = "\x1b[1m| org_id |        org_address        | http_status |\x1b[0m\n\
                    | ingen  | \x1b[36mhttp://api.ingen.example\x1b[0m  |     \x1b[32m200\x1b[0m     |\n";
    let (path, _) = fake_kubectl(dir.path(), "pod/backend-server-0\n", coloured);
    let r = run_with(&["--in-cluster"], Some(path)).status(0).run();
    assert!(r.stdout.contains("http://api.ingen.example"), "{}", r.stdout);
    assert!(!r.stdout.contains('\x1b'), "{:?}", r.stdout);
}

#[test]
fn in_cluster_errors_name_the_context_and_namespace() {
    let dir = Dir::new();
    let (path, _) = fake_kubectl(dir.path(), "", BACKEND_TABLE);
    let r =
        run_with(&["--in-cluster", "--context", "cluster-9", "--namespace", "org-9"], Some(path))
            .status(2)
            .run();
    assert!(
        r.stderr.contains("no pod labelled app.kubernetes.io/name=substra-backend-server"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("context cluster-9, namespace org-9"), "{}", r.stderr);

    let dir = Dir::new();
    let (path, _) = fake_kubectl(dir.path(), "pod/a\npod/b\n", BACKEND_TABLE);
    let r = run_with(&["--in-cluster", "--namespace", "org-9"], Some(path)).status(2).run();
    assert!(r.stderr.contains("2 pods"), "{}", r.stderr);

    let dir = Dir::new();
    let (path, _) =
        fake_kubectl(dir.path(), "pod/a\n", "Traceback (most recent call last):\nKeyError: 'x'\n");
    let r = run_with(&["--in-cluster"], Some(path)).status(1).run();
    assert!(r.stderr.contains("did not print the table"), "{}", r.stderr);

    // The exec fails: its last line of stderr, with the context and namespace.
    let dir = Dir::new();
    let (path, _) = fake_kubectl(dir.path(), "pod/a\n", "");
    let script = dir.path().join("bin/kubectl");
    let text = std::fs::read_to_string(&script).expect("script").replace(
        "*'exec '*) cat",
        "*'exec '*) echo 'error: unable to upgrade connection: container not found' >&2; exit 1; cat",
    );
    std::fs::write(&script, text).expect("script");
    let r = run_with(&["--in-cluster", "--context", "c3", "--namespace", "n3"], Some(path))
        .status(1)
        .run();
    assert!(
        r.stderr.contains("exec pod/a -- ./manage.py get_outgoing_organization"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("context c3, namespace n3"), "{}", r.stderr);
    assert!(r.stderr.contains("container not found"), "{}", r.stderr);

    // No kubectl at all.
    let empty = Dir::new();
    let r = run_with(&["--in-cluster"], Some(empty.s().to_string())).status(2).run();
    assert!(r.stderr.contains("kubectl was not found"), "{}", r.stderr);
}

/// Credentials of ingen's deployment besides its pair secrets: `minio.auth.rootPassword`,
/// `postgresql.auth.postgresPassword`, the orchestrator's `database.auth.password`, an admin
/// password only its `existingSecret` manifest holds, and a short `redis.auth.password`.
const HELD: [&str; 5] = [
    "Mn3Rt8Yu1Io6Pa4Sd9Fg2",
    "Pq5Wc2Ex7Rv4Tb9Yn1Um6",
    "Oz8Lk3Jh6Gf1Ds9Aq4Wx2",
    "Ad7Mi2Np5Qr8St3Uv6Wy1",
    "rd5x9k",
];

/// A directory holding [`HELD`] for ingen, each where an operator keeps it.
fn holding_credentials() -> Dir {
    let [minio, postgres, orchestrator, admin, redis] = HELD;
    let dir = Dir::new();
    dir.write(
        "backend-ingen-values.yaml",
        &format!(
            "orchestrator:\n  mspID: ingen\naddAccountOperator:\n  existingSecret: backend-ingen-accounts\n\
             minio:\n  auth:\n    rootPassword: {minio}\n\
             postgresql:\n  auth:\n    postgresPassword: {postgres}\n\
             redis:\n  auth:\n    password: {redis}\n"
        ),
    );
    let users = format!("--from-literal=users=admin {admin} our-channel\n");
    let manifest = crate::support::kubectl::manifest(
        dir.path(),
        "org-ingen",
        &[
            "create",
            "secret",
            "generic",
            "backend-ingen-accounts",
            &users,
            "--from-literal=incoming_organizations=",
            "--from-literal=outgoing_organizations=",
        ],
    );
    dir.write("backend-ingen-accounts.yaml", &manifest);
    dir.write(
        "orchestrator-values.yaml",
        &format!("database:\n  auth:\n    password: {orchestrator}\n"),
    );
    dir
}

#[test]
fn in_cluster_never_shows_a_credential_of_the_deployment_the_backend_prints() {
    // The backend's own command prints what it likes: an address and an exception text
    // holding every credential of the deployment, as written and in upper case.
    let dir = holding_credentials();
    let said = HELD.join(" ");
    let table = format!(
        "|   org_id    |   org_address   | http_status |\n\
         | biotechnica | http://{}.example:80 | 200 |\n\
         | tyrell | http://api.tyrell.example:80 | ConnectionError({said}; {}) |\n",
        HELD[3].to_lowercase(),
        said.to_uppercase()
    );
    let (path, _) = fake_kubectl(dir.path(), "pod/backend-server-0\n", &table);
    for layout in [&["-o", "table"][..], &["-o", "json"], &["--format", "legacy"]] {
        HELD.iter()
            .fold(run(&["--in-cluster", "--org", "ingen", "--dir", dir.s()]), |t, s| {
                t.never_shows(s).never_shows(&s.to_uppercase()).never_shows(&s.to_lowercase())
            })
            .env("PATH", &path)
            .args(layout)
            .status(1)
            .stdout_contains("ConnectionError(<redacted>")
            .stdout_contains("tyrell")
            .run();
    }
}

/// A pair secret of biotechnica's values file, beside ingen's credentials ([`HELD`]).
const SECRET_BI: &str = "S3cretBiotechnicaToIngen0123456789abcdef";

#[test]
fn in_cluster_never_shows_a_credential_of_any_file_of_the_directory() {
    // Whichever organization's pod is asked (--org names another, or none is named), what it
    // prints is scrubbed of every credential of every file of --dir.
    let dir = holding_credentials();
    dir.backend("biotechnica", None, Some("our-channel"), &[("ingen", SECRET_BI)]);
    let held: Vec<&str> = HELD.iter().copied().chain([SECRET_BI]).collect();
    let said = held.join(" ");
    let table = format!(
        "|   org_id    |   org_address   | http_status |\n\
         | biotechnica | http://api.biotechnica.example:80 | 200 |\n\
         | tyrell | http://api.tyrell.example:80 | ConnectionError({said}; {}) |\n",
        said.to_uppercase()
    );
    let (path, _) = fake_kubectl(dir.path(), "pod/backend-server-0\n", &table);
    for org in [&[][..], &["--org", "biotechnica"]] {
        for layout in [&["-o", "table"][..], &["-o", "json"]] {
            held.iter()
                .fold(run(&["--in-cluster", "--dir", dir.s()]), |t, s| {
                    t.never_shows(s).never_shows(&s.to_uppercase()).never_shows(&s.to_lowercase())
                })
                .env("PATH", &path)
                .args(org)
                .args(layout)
                .status(1)
                .stdout_contains("ConnectionError(<redacted>")
                .run();
        }
    }
}

#[test]
fn in_cluster_never_shows_a_pod_name_that_is_a_credential() {
    // kubectl names the pod after a credential of the directory (ingen's admin password, in
    // lower case as pod names are): the command line an error quotes, and the report's title
    // when no organization is named, show it redacted.
    let dir = holding_credentials();
    let pod = HELD[3].to_lowercase();
    let cut = &BACKEND_TABLE[..BACKEND_TABLE.len() - 12];
    let (path, _) = fake_kubectl(dir.path(), &format!("pod/{pod}\n"), cut);
    for org in [&[][..], &["--org", "ingen"]] {
        run(&["--in-cluster", "--dir", dir.s()])
            .env("PATH", &path)
            .args(org)
            .never_shows(&pod)
            .status(1)
            .stderr_contains(
                "`kubectl exec pod/<redacted> -- ./manage.py get_outgoing_organization`",
            )
            .stderr_contains("cut off or broken at line 3")
            .run();
    }
    let (path, _) = fake_kubectl(dir.path(), &format!("pod/{pod}\n"), BACKEND_TABLE);
    for layout in ["table", "json"] {
        run(&["--in-cluster", "--dir", dir.s(), "-o", layout])
            .env("PATH", &path)
            .never_shows(&pod)
            .status(1)
            .stdout_contains("tyrell")
            .run();
    }
}

#[test]
fn in_cluster_never_shows_a_credential_cut_over_the_cells_of_the_table() {
    // The backend's table holds a credential of the directory cut into pieces of 7 characters,
    // each too short to be known by itself: three in one row, then one a row; and pods named
    // after pieces of another.
    let dir = holding_credentials();
    let secret = format!("{}{}", HELD[0], HELD[1]);
    dir.backend("biotechnica", None, None, &[("ingen", &secret)]);
    let pieces: Vec<String> =
        secret.as_bytes().chunks(7).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    let mut table = format!(
        "|   org_id    |   org_address   | http_status |\n| {} | {} | {} |\n",
        pieces[0], pieces[1], pieces[2]
    );
    for piece in &pieces[3..] {
        table.push_str(&format!("| {piece} | http://api.tyrell.example:80 | 200 |\n"));
    }
    table.push_str("| tyrell | http://api.tyrell.example:80 | 200 |\n");
    let (path, _) = fake_kubectl(dir.path(), "pod/backend-server-0\n", &table);
    for layout in ["table", "json"] {
        let out = pieces
            .iter()
            .fold(run(&["--in-cluster", "--dir", dir.s(), "-o", layout]), |t, p| t.never_shows(p))
            .env("PATH", &path)
            .status(1)
            .stdout_contains("tyrell")
            .run();
        assert!(out.stdout.contains("<redacted>"), "{}", out.stdout);
    }
    let admin = HELD[3].to_lowercase();
    let pods: String = admin
        .as_bytes()
        .chunks(7)
        .map(|c| format!("pod/{}\n", String::from_utf8_lossy(c)))
        .collect();
    let (path, _) = fake_kubectl(dir.path(), &pods, BACKEND_TABLE);
    admin
        .as_bytes()
        .chunks(7)
        .fold(run(&["--in-cluster", "--dir", dir.s()]), |t, p| {
            t.never_shows(std::str::from_utf8(p).expect("ascii"))
        })
        .env("PATH", &path)
        .status(2)
        .stderr_contains("pods labelled")
        .run();
}

/// Whether `text`, with the escapes substractl writes for control characters set aside, shows
/// 8 characters of `secret` in a row.
fn shows_a_run_of(text: &str, secret: &str) -> bool {
    let plain = [
        "\\u{1}",
        "\\u{1b}[1m",
        "\\u{1b}]8;;http://a\\u{1b}\\\\",
        "\\u{1b}]8;;http://a\\u{1b}\\",
        "]8;;http://a\\\\",
        "]8;;http://a\\",
    ]
    .iter()
    .fold(text.to_string(), |t, s| t.replace(s, ""));
    (0..=secret.len() - 8).any(|i| plain.contains(&secret[i..i + 8]))
}

#[test]
fn in_cluster_text_is_read_for_credentials_as_it_came() {
    // A credential of the directory cut into pieces of 3 characters, joined by a control
    // character (a broken line of the table, escaped `\u{1}` when shown) or by a colour code
    // (kubectl's error): found before it is escaped, with the codes set aside.
    let dir = holding_credentials();
    let secret = format!("{}{}", HELD[0], HELD[1]);
    dir.backend("biotechnica", None, None, &[("ingen", &secret)]);
    let pieces = |sep: &str| -> String {
        let p: Vec<String> =
            secret.as_bytes().chunks(3).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
        p.join(sep)
    };
    let broken = format!("|   org_id    |   org_address   | http_status |\n{}\n", pieces("\x01"));
    let (path, _) = fake_kubectl(dir.path(), "pod/backend-server-0\n", &broken);
    let out = run(&["--in-cluster", "--dir", dir.s()])
        .env("PATH", &path)
        .status(1)
        .stderr_contains("cut off or broken at line 2")
        .run();
    assert!(!shows_a_run_of(&out.stderr, &secret), "{}", out.stderr);
    // A cell of the table: pieces between OSC 8 hyperlinks, set aside with what they carry.
    let cell = format!(
        "|   org_id    |   org_address   | http_status |\n| {} | http://a.example:80 | 200 |\n",
        pieces("\x1b]8;;http://a\x1b\\")
    );
    let (path, _) = fake_kubectl(dir.path(), "pod/backend-server-0\n", &cell);
    let out = run(&["--in-cluster", "--dir", dir.s()]).env("PATH", &path).run();
    assert!(!shows_a_run_of(&out.stdout, &secret), "{}", out.stdout);
    let k = Kubectl::fails_with(&format!("error: {}\n", pieces("\x1b[1m")));
    let out = run(&["--in-cluster", "--dir", dir.s()])
        .env("PATH", k.path())
        .status_in(&[1, 2])
        .stderr_contains("failed")
        .run();
    assert!(!shows_a_run_of(&out.stderr, &secret), "{}", out.stderr);
}

#[test]
fn in_cluster_rows_are_never_wrapped_and_never_too_many() {
    // Wrapped to the terminal, the end of one cell's line would stand beside the start of the
    // next: each row of the pod's table is one line, however wide the terminal.
    let dir = holding_credentials();
    let long = format!("http://{}.example:80", "a".repeat(120));
    let table = format!(
        "|   org_id    |   org_address   | http_status |\n| biotechnica | {long} | 200 |\n"
    );
    let (path, _) = fake_kubectl(dir.path(), "pod/backend-server-0\n", &table);
    run(&["--in-cluster", "--dir", dir.s()])
        .env("PATH", &path)
        .env("COLUMNS", "80")
        .stdout_contains(&format!(" biotechnica   {long}   200\n"))
        .run();
    // A table of more rows than a network has organizations is not read.
    let mut table = "|   org_id    |   org_address   | http_status |\n".to_string();
    table.push_str(&"| biotechnica | http://b.example:80 | 200 |\n".repeat(10_001));
    let (path, _) = fake_kubectl(dir.path(), "pod/backend-server-0\n", &table);
    run(&["--in-cluster", "--dir", dir.s()])
        .env("PATH", &path)
        .status(1)
        .stderr_contains("more than 10000 rows")
        .run();
}

#[test]
fn forty_organizations_pass_every_link_against_a_server_that_answers_at_once() {
    // 1600 links of a deployment made by init, every backend one loopback server that accepts
    // them at once, with the default --timeout and --concurrency, in 1 GiB of memory (`ulimit
    // -d`, as a container's limit): every link passes. The run holds the credentials of the
    // directory (1600 pairs, in every spelling a server could echo) once, shared by every
    // request: a copy per request in flight took gigabytes, and made links time out.
    let (_server, init, addresses) = crate::support::http::deployment_behind_one_server(40);
    let out = init
        .then()
        .wrapper("ulimit -d 1048576")
        .args(["check", "outgoing", "--all", "--dir", "d", "-o", "json"])
        .args(&addresses)
        .timeout(Duration::from_secs(120))
        .status(0)
        .run();
    let doc = out.json();
    assert_eq!(doc["ok"], true, "{}", out.stdout);
    let reports = doc["reports"].as_array().expect("reports");
    let rows: Vec<&Value> =
        reports.iter().flat_map(|r| r["organizations"].as_array().expect("rows")).collect();
    assert_eq!(rows.len(), 1600);
    let failing: Vec<&&Value> = rows.iter().filter(|r| r["auth"]["text"] != "accepted").collect();
    assert!(failing.is_empty(), "{} links failed, as {}", failing.len(), failing[0]);
}

#[test]
fn bad_input_exits_2() {
    let dir = Dir::new();
    dir.backend("ingen", None, Some("c"), &[]);
    run(&["--org", "missing", "--dir", dir.s()]).status(2).run();
    run(&["--org", "ingen", "--dir", dir.s(), "--address", "nourl"]).status(2).run();
    run(&["--dir", dir.s()]).status(2).run();
    run(&["--org", "ingen", "--dir", dir.s(), "--format", "legacy", "-o", "json"]).status(2).run();
}

// ---------------------------------------------------------------------------------------------
// A backend that echoes the credentials in pieces

/// A long random secret, as `link` makes them: no word of it stands in the output by chance.
const RANDOM_SECRET: &str = "Zq7Kp2Lm9XwvutsrR4Tn8Wb3Vc6Yd1Hf5Jg0QsNyBe";

/// Every run of eight of the secret's characters and every run of eleven of its spaced-out
/// spellings, as is and in lower case (a host name is): none may reach the output.
fn secret_pieces() -> Vec<String> {
    let chars: Vec<char> = RANDOM_SECRET.chars().collect();
    let mut pieces: Vec<String> = chars.windows(8).map(|w| w.iter().collect()).collect();
    pieces.extend(chars.windows(8).map(|w| w.iter().collect::<String>().to_lowercase()));
    for sep in [" ", "-", "."] {
        let spaced: Vec<char> = RANDOM_SECRET
            .as_bytes()
            .chunks(3)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(sep)
            .chars()
            .collect();
        pieces.extend(spaced.windows(11).map(|w| w.iter().collect::<String>()));
        pieces.extend(spaced.windows(11).map(|w| w.iter().collect::<String>().to_lowercase()));
    }
    pieces.push(RANDOM_SECRET.bytes().take(6).map(|b| format!("%{b:02X}")).collect());
    // Its base32, hex and reversed spellings, in lower case (a host name is).
    let reversed: String = RANDOM_SECRET.chars().rev().collect();
    for encoded in [
        crate::support::http::base32(RANDOM_SECRET.as_bytes()),
        hex::encode(RANDOM_SECRET),
        crate::support::http::every(&hex::encode(RANDOM_SECRET), 7, "z"),
        reversed,
    ] {
        let chars: Vec<char> = encoded.to_lowercase().chars().collect();
        pieces.extend(chars.windows(8).map(|w| w.iter().collect::<String>()));
    }
    pieces
}

/// A deployment where ingen reaches biotechnica's hostile backend at `url`.
fn hostile_pair(url: &str) -> Dir {
    let dir = Dir::new();
    dir.backend("ingen", None, Some("our-channel"), &[("biotechnica", RANDOM_SECRET)]);
    dir.backend("biotechnica", Some(url), None, &[]);
    dir
}

/// `check outgoing` (one organization, table and JSON, and --all) and `check all` on `dir`:
/// no piece of the secret in any output; `shown` in the table of the first.
fn never_shows_a_piece(dir: &Dir, shown: &str) {
    let hidden = |test: Test| secret_pieces().iter().fold(test, |t, s| t.never_shows(s));
    for format in ["table", "json"] {
        let args = ["--org", "ingen", "--dir", dir.s(), "-o", format, "--timeout", "5"];
        let test = hidden(run(&args)).status(1);
        let test = if format == "table" { test.stdout_contains(shown) } else { test };
        test.run();
    }
    hidden(run(&["--all", "--dir", dir.s(), "-o", "json", "--timeout", "5"])).status(1).run();
    hidden(Test::new())
        .args(["check", "all", "--dir", dir.s(), "--timeout", "2"])
        .timeout(Duration::from_secs(60))
        .status(1)
        .run();
}

#[test]
fn a_redirect_is_shown_relative_to_the_request_only() {
    for target in [
        "http://127.0.0.1:1/{pieces}/x?{spaced}",
        "http://127.0.0.1:1/{dashed}",
        "http://127.0.0.1:1/a%20{pct}",
    ] {
        let server = serve(Behaviour::Redirect(target.into()));
        let dir = hostile_pair(&server.url());
        never_shows_a_piece(&dir, "redirect (302) to another port of the same host (http)\n");
    }
}

#[test]
fn a_redirect_to_a_host_spelled_with_the_secret_never_shows_it() {
    for target in [
        "https://{dotted}.example/",
        "http://{b32}.example/",
        "http://{hexz}.example/",
        "http://{reversed}.example/",
        "http://{secret}.example/",
    ] {
        let server = serve(Behaviour::Redirect(target.into()));
        let dir = hostile_pair(&server.url());
        let scheme = target.split(':').next().unwrap_or_default();
        never_shows_a_piece(&dir, &format!("redirect (302) to {scheme} on another host"));
    }
}

#[test]
fn a_content_type_echoing_the_secret_in_pieces_never_shows_it() {
    for (content_type, shown) in [
        ("Content-Type: text/html; charset={pieces}", "not a backend's answer (text/html)"),
        ("Content-Type: {spaced}", "not a backend's answer (another content type)"),
        ("Content-Type: text/{dashed}", "not a backend's answer (another content type)"),
        ("Content-Type: x/{dotted}", "not a backend's answer (another content type)"),
        ("Content-Type: text/{b32}", "not a backend's answer (another content type)"),
        ("Content-Type: x/{hexz}", "not a backend's answer (another content type)"),
        ("Content-Type: text/html\r\nX-Echo: {secret}", "not a backend's answer (text/html)"),
    ] {
        let server = serve(Behaviour::Answer { status: 200, headers: content_type.into() });
        let dir = hostile_pair(&server.url());
        never_shows_a_piece(&dir, shown);
    }
}

#[test]
fn a_content_type_is_shown_as_a_media_type() {
    let server = serve(Behaviour::Answer {
        status: 200,
        headers: "Content-Type: Text/HTML; charset=utf-8".into(),
    });
    let dir = hostile_pair(&server.url());
    let r =
        run(&["--org", "ingen", "--dir", dir.s(), "-o", "json", "--timeout", "5"]).status(1).run();
    let row = row(&r, "biotechnica");
    assert_eq!(row["auth"]["text"], "200, not a backend's answer (text/html)", "{row}");
}

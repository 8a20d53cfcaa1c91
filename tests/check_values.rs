//! `substractl check values` on deployment directories: a clean one, and one per finding
//! (tests/fixtures/check-values/<case>/in), through the real binary.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{fixture, Output, Test};

/// Runs `check values` in a copy of a case's directory (so that paths read as file names); it
/// must exit with `status`.
fn run(case: &str, extra: &[&str], status: i32) -> Output {
    Test::new()
        .tree(format!("check-values/{case}/in"))
        .args(["check", "values"])
        .args(extra)
        .status(status)
        .run()
}

/// The checks that warn or fail, as (status, group, check), from the JSON report of a run that
/// exits with `status`.
fn findings(case: &str, status: i32) -> Vec<(String, String, String)> {
    let doc = run(case, &["-o", "json"], status).json();
    doc["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["status"] == "warning" || c["status"] == "failure")
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            (s("status"), s("group"), s("check"))
        })
        .collect()
}

fn expect(case: &str, code: i32, wanted: &[(&str, &str, &str)]) {
    let got = findings(case, code);
    let wanted: Vec<(String, String, String)> =
        wanted.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect();
    assert_eq!(got, wanted, "{case}");
}

/// The line of one check and its hint, as printed.
fn lines_of<'a>(stdout: &'a str, check: &str) -> Vec<&'a str> {
    let mut lines = stdout.lines().skip_while(|l| !l[2.min(l.len())..].contains(check));
    let mut out: Vec<&str> = lines.next().into_iter().collect();
    out.extend(lines.take_while(|l| l.trim_start().starts_with("hint:")));
    out
}

#[test]
fn a_clean_deployment_passes() {
    let Output { stdout, stderr, .. } = run("clean", &[], 0);
    assert_eq!(
        stdout,
        "\
values in .: 2 organizations (biotechnica, ingen)
pairs
  ok       BiotechnicaMSP <- BiotechnicaMSP BiotechnicaMSP logs in to BiotechnicaMSP with one secret, the same on both sides
  ok       BiotechnicaMSP <- IngenMSP       IngenMSP logs in to BiotechnicaMSP with one secret, the same on both sides
  ok       IngenMSP <- BiotechnicaMSP       BiotechnicaMSP logs in to IngenMSP with one secret, the same on both sides
  ok       IngenMSP <- IngenMSP             IngenMSP logs in to IngenMSP with one secret, the same on both sides
identity
  ok       biotechnica mspID                BiotechnicaMSP
  ok       ingen mspID                      IngenMSP
  ok       biotechnica organizationName     biotechnica
  ok       ingen organizationName           ingen
  ok       biotechnica channels             our-channel
  ok       ingen channels                   our-channel
addresses
  ok       biotechnica defaultDomain        https://api.biotechnica.example:443
  ok       ingen defaultDomain              https://api.ingen.example:443
  ok       distinct                         2 organizations, 2 addresses
orchestrator
  ok       file                             orchestrator-values.yaml
  ok       ingress                          enabled, hostname orchestrator.example
  ok       biotechnica in our-channel       our-channel in orchestrator-values.yaml lists BiotechnicaMSP
  ok       ingen in our-channel             our-channel in orchestrator-values.yaml lists IngenMSP
  ok       biotechnica + ingen              share our-channel
tls
  ok       biotechnica address              orchestrator.example:443, the orchestrator's ingress
  ok       biotechnica tls                  on, as the orchestrator
  ok       biotechnica mtls                 on, as the orchestrator
  ok       ingen address                    orchestrator.example:443, the orchestrator's ingress
  ok       ingen tls                        on, as the orchestrator
  ok       ingen mtls                       on, as the orchestrator
  ok       clientCACerts                    keys BiotechnicaMSP, IngenMSP
  ok       verifyClientMSPID                on: a client certificate proves its MSP ID
passed: 26 ok, 0 warning(s), 0 failure(s), 0 skipped
"
    );
    assert_eq!(stderr, "");
}

#[test]
fn the_json_report_has_a_stable_shape() {
    let stdout = run("verify-mspid-off", &["-o", "json"], 0).stdout;
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let keys: Vec<&str> = doc.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(keys, ["dir", "organizations", "ok", "summary", "checks"]);
    assert_eq!(doc["dir"], ".");
    assert_eq!(doc["ok"], true);
    assert_eq!(
        doc["summary"],
        serde_json::json!({"ok": 25, "warning": 1, "failure": 0, "skipped": 0})
    );
    let warning = doc["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["status"] == "warning")
        .expect("a warning");
    assert_eq!(
        warning,
        &serde_json::json!({
            "group": "tls",
            "check": "verifyClientMSPID",
            "status": "warning",
            "detail": "off while mTLS is on: a client with a certificate of the CA may send any mspid",
            "hint": "set orchestrator.verifyClientMSPID: true in orchestrator-values.yaml",
        })
    );
    let ok = &doc["checks"][0];
    assert_eq!(ok["group"], "pairs");
    assert_eq!(ok["status"], "ok");
    assert!(ok["hint"].is_null());
}

#[test]
fn pairs_are_what_check_links_finds() {
    for (case, pair) in [
        ("pairs-different-secrets", "BiotechnicaMSP <- IngenMSP"),
        ("pairs-one-sided", "BiotechnicaMSP <- IngenMSP"),
        ("pairs-channel-key", "IngenMSP <- BiotechnicaMSP"),
        ("pairs-duplicate", "IngenMSP <- IngenMSP"),
    ] {
        expect(case, 1, &[("failure", "pairs", pair)]);
        // check links finds the same pair, with the same words.
        let audit = run(case, &[], 1).stdout;
        let problem = lines_of(&audit, pair)[0].split(pair).nth(1).expect("detail").trim();
        Test::new()
            .tree(format!("check-values/{case}/in"))
            .args(["check", "links"])
            .status(1)
            .stdout_contains(problem)
            .run();
    }
    let stdout = run("pairs-different-secrets", &[], 1).stdout;
    assert_eq!(
        lines_of(&stdout, "BiotechnicaMSP <- IngenMSP"),
        [
            "  failure  BiotechnicaMSP <- IngenMSP       the two sides hold different secrets",
            "           hint: run `substractl link biotechnica ingen` (add --dry-run to see the changes first)",
        ]
    );
}

#[test]
fn identity_findings() {
    expect(
        "identity-mspid-unset",
        1,
        &[
            ("failure", "identity", "ingen mspID"),
            ("failure", "orchestrator", "ingen in our-channel"),
            ("failure", "orchestrator", "biotechnica + ingen"),
            ("failure", "tls", "clientCACerts"),
        ],
    );
    expect(
        "identity-mspid-shared",
        1,
        &[
            ("failure", "identity", "biotechnica mspID"),
            ("failure", "identity", "ingen mspID"),
            ("failure", "tls", "clientCACerts"),
        ],
    );
    let stdout = run("identity-mspid-shared", &[], 1).stdout;
    assert_eq!(
        lines_of(&stdout, "mesh"),
        ["  skipped  mesh                         biotechnica and ingen share the MSP ID BiotechnicaMSP (see identity)"]
    );
    expect(
        "identity-owkin-twice",
        1,
        &[
            ("failure", "identity", "biotechnica organizationName"),
            ("failure", "identity", "ingen organizationName"),
        ],
    );
    let stdout = run("identity-owkin-twice", &[], 1).stdout;
    assert_eq!(
        lines_of(&stdout, "ingen organizationName"),
        [
            "  failure  ingen organizationName           owkin (the chart's default), as biotechnica",
            "           hint: set organizationName in backend-ingen-values.yaml to ingen's own name",
        ]
    );
    // The leftover channel warns, and the orchestrator does not know it.
    expect(
        "identity-mychannel-left",
        1,
        &[
            ("warning", "identity", "biotechnica channels"),
            ("failure", "orchestrator", "biotechnica in mychannel"),
        ],
    );
    let stdout = run("identity-mychannel-left", &[], 1).stdout;
    assert_eq!(
        lines_of(&stdout, "biotechnica channels"),
        [
            "  warning  biotechnica channels             mychannel (the chart's default) is still listed beside our-channel",
            "           hint: remove the mychannel entry of orchestrator.channels in backend-biotechnica-values.yaml",
        ]
    );
}

#[test]
fn address_findings() {
    for case in ["addresses-unset", "addresses-no-scheme", "addresses-chart-default"] {
        expect(case, 1, &[("failure", "addresses", "ingen defaultDomain")]);
    }
    expect("addresses-shared", 1, &[("failure", "addresses", "distinct")]);
    let stdout = run("addresses-no-scheme", &[], 1).stdout;
    assert_eq!(
        lines_of(&stdout, "ingen defaultDomain"),
        [
            "  failure  ingen defaultDomain              api.ingen.example:443 has no scheme: other backends call it as a URL",
            "           hint: set server.defaultDomain in backend-ingen-values.yaml to http://api.ingen.example:443 or https://api.ingen.example:443 (e.g. http://api.ingen.example:80)",
        ]
    );
    let stdout = run("addresses-chart-default", &[], 1).stdout;
    assert!(
        stdout.contains("localhost is this machine (localhost is the chart's default)"),
        "{stdout}"
    );
}

#[test]
fn orchestrator_findings() {
    let stdout = run("orchestrator-missing", &[], 1).stdout;
    let tail: Vec<&str> = stdout.lines().skip_while(|l| *l != "orchestrator").collect();
    assert_eq!(
        tail,
        [
            "orchestrator",
            "  failure  file                             orchestrator-values.yaml does not exist",
            "           hint: pass --orchestrator-values FILE, or write it with the organizations' channel: substractl link biotechnica ingen --channel NAME",
            "  skipped  ingress                          no orchestrator values (orchestrator-values.yaml)",
            "  skipped  channels                         no orchestrator values (orchestrator-values.yaml)",
            "tls",
            "  skipped  settings                         no orchestrator values (orchestrator-values.yaml)",
            "failed: 13 ok, 0 warning(s), 1 failure(s), 3 skipped",
        ]
    );
    expect(
        "orchestrator-channel-undefined",
        1,
        &[
            ("failure", "orchestrator", "biotechnica in our-channel"),
            ("failure", "orchestrator", "ingen in our-channel"),
            ("failure", "orchestrator", "biotechnica + ingen"),
        ],
    );
    expect(
        "orchestrator-channel-lacks-org",
        1,
        &[
            ("failure", "orchestrator", "ingen in our-channel"),
            ("failure", "orchestrator", "biotechnica + ingen"),
        ],
    );
    let stdout = run("orchestrator-channel-lacks-org", &[], 1).stdout;
    assert_eq!(
        lines_of(&stdout, "ingen in our-channel"),
        [
            "  failure  ingen in our-channel             our-channel in orchestrator-values.yaml does not list IngenMSP",
            "           hint: run `substractl link biotechnica ingen --channel our-channel`",
        ]
    );
    expect(
        "orchestrator-no-shared-channel",
        1,
        &[("failure", "orchestrator", "biotechnica + ingen")],
    );
    expect("orchestrator-ingress-hostname", 1, &[("failure", "orchestrator", "ingress")]);
}

#[test]
fn tls_findings() {
    expect("tls-chart-default-host", 1, &[("failure", "tls", "ingen address")]);
    let stdout = run("tls-chart-default-host", &[], 1).stdout;
    assert_eq!(
        lines_of(&stdout, "ingen address"),
        [
            "  failure  ingen address                    orchestrator.local:9000 is the chart's default, not the orchestrator",
            "           hint: set orchestrator.host: orchestrator.example and orchestrator.port: 443 in backend-ingen-values.yaml (TLS goes through the ingress on 443)",
        ]
    );
    expect("tls-wrong-port", 1, &[("failure", "tls", "ingen address")]);
    expect("tls-off-in-backend", 1, &[("failure", "tls", "ingen tls")]);
    expect("mtls-off-in-backend", 1, &[("failure", "tls", "ingen mtls")]);
    expect("client-ca-guide-key", 1, &[("failure", "tls", "clientCACerts")]);
    let stdout = run("client-ca-guide-key", &[], 1).stdout;
    assert!(
        stdout
            .contains("key orchestrator is not the MSP ID of a backend (BiotechnicaMSP, IngenMSP)"),
        "{stdout}"
    );
    expect("verify-mspid-off", 0, &[("warning", "tls", "verifyClientMSPID")]);
}

#[test]
fn no_secret_of_the_fixtures_is_ever_printed() {
    let root = fixture("check-values");
    let mut cases: Vec<PathBuf> =
        fs::read_dir(&root).expect("fixtures").map(|e| e.expect("entry").path()).collect();
    cases.sort();
    assert!(cases.len() >= 20);
    for case in cases {
        let dir = case.join("in");
        let mut secrets = Vec::new();
        for file in fs::read_dir(&dir).expect("case").map(|e| e.expect("entry").path()) {
            let text = fs::read_to_string(&file).expect("read");
            for line in text.lines() {
                if let Some((_, s)) = line.split_once("secret:") {
                    let s = s.trim();
                    if s.len() >= 8 {
                        secrets.push(s.to_string());
                    }
                }
            }
        }
        assert!(!secrets.is_empty(), "{}", case.display());
        for format in ["table", "json"] {
            // A case may pass or find problems; neither stream shows a secret.
            let test = Test::new().tree(&dir).args(["check", "values", "-o", format]);
            secrets.iter().fold(test.status_in(&[0, 1]), |t, s| t.never_shows(s)).run();
        }
    }
}

#[test]
fn the_example_passes_once_linked_in_a_channel() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/two-orgs");
    let test = [
        "backend-ingen-values.yaml",
        "backend-biotechnica-values.yaml",
        "orchestrator-values.yaml",
    ]
    .iter()
    .fold(Test::new(), |t, name| {
        t.file(name, &fs::read_to_string(example.join(name)).expect("example"))
    });
    let out = test.args(["check", "values"]).status(1).stdout_contains("failed: ").run();
    let out = out.then().args(["link", "ingen", "biotechnica", "--channel", "our-channel"]).run();
    out.then()
        .args(["check", "values"])
        .stdout_matches(r"passed: 20 ok, 2 warning\(s\), 0 failure\(s\), 4 skipped\n\z")
        .run();
}

#[test]
fn bad_input_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    Test::new()
        .args(["check", "values", "--dir"])
        .args([dir.path()])
        .status(2)
        .stderr_contains("no values file matching backend-{org}-values.yaml")
        .run();
    fs::write(dir.path().join("backend-a-values.yaml"), "a: [\n").expect("write");
    Test::new()
        .args(["check", "values", "--dir"])
        .args([dir.path()])
        .status(2)
        .stderr_contains("backend-a-values.yaml:")
        .run();
}

#[test]
fn another_orchestrator_values_file_is_named_in_hints() {
    let stdout = run("clean", &["--orchestrator-values", "elsewhere.yaml"], 1).stdout;
    assert!(stdout.contains("  failure  file                             elsewhere.yaml does not exist\n           hint: pass --orchestrator-values FILE, or write it with the organizations' channel: substractl link biotechnica ingen --channel NAME --orchestrator-values elsewhere.yaml\n"), "{stdout}");
}

/// An orchestrator host or a backend address with more than a host in it (a fragment, a query,
/// a blank Helm keeps) fails as written, and is never shown cut as if it were the host.
#[test]
fn a_host_is_checked_as_written_and_shown_marked_where_cut() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/two-orgs");
    let original =
        std::fs::read_to_string(example.join("backend-ingen-values.yaml")).expect("read");
    let host = "  host: orchestrator.cluster-1.DOMAIN\n";
    for (written, shown) in [
        ("orchestrator.cluster-1.DOMAIN#x", "orchestrator.cluster-1.DOMAIN#…"),
        ("orchestrator.cluster-1.DOMAIN?token=abc", "orchestrator.cluster-1.DOMAIN?…"),
        ("\"orchestrator.cluster-1.DOMAIN \"", "orchestrator.cluster-1.DOMAIN "),
    ] {
        let doc = original.replace(host, &format!("  host: {written}\n"));
        let out = Test::new()
            .tree(&example)
            .file("backend-ingen-values.yaml", &doc)
            .args(["check", "values"])
            .status(1)
            .stdout_contains(&format!(
                "  failure  ingen address                orchestrator.host {shown} is not a \
                 host name (a DNS name or an IP address): the backend cannot dial it"
            ))
            .never_shows("token=abc")
            .run();
        // Not read as the host it starts with.
        assert!(
            !out.stdout.contains("ingen address                orchestrator.cluster-1.DOMAIN:443"),
            "{}",
            out.stdout
        );
        let json = Test::new()
            .tree(&example)
            .file("backend-ingen-values.yaml", &doc)
            .args(["check", "values", "-o", "json"])
            .status(1)
            .never_shows("token=abc")
            .run();
        let json: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
        assert_eq!(json["organizations"]["ingen"]["orchestrator_host"], shown);
    }
    // A no-break space after the address is deployed with it.
    let doc = original.replace(
        "  defaultDomain: http://api.cluster-1.DOMAIN:80\n",
        "  defaultDomain: http://api.cluster-1.DOMAIN:80\u{a0}\n",
    );
    Test::new()
        .tree(&example)
        .file("backend-ingen-values.yaml", &doc)
        .args(["check", "values"])
        .status(1)
        .stdout_contains("ingen defaultDomain")
        .stdout_contains("it holds '\\u{a0}': an address has no blank or control character")
        .run();
}

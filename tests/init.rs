//! `substractl init`: a whole deployment written by the real binary, checked by substractl's
//! own checks, the openssl CLI and kubectl, run again, grown, and driven at a terminal.

use std::fs;
use std::path::Path;
use std::time::Duration;

use crate::support::kubectl::manifest as kubectl;
use crate::support::pki::openssl;
use crate::support::Test;

const ORGS: [&str; 6] = ["ingen", "biotechnica", "tyrell", "weyland", "cyberdyne", "umbrella"];

/// `substractl init` in `dir`.
fn init(dir: &Path, args: &[&str]) -> Test {
    Test::in_dir(dir).args(["init"]).args(args)
}

/// Every file of a directory with its bytes, sorted by name.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            let e = e.expect("entry");
            (e.file_name().to_string_lossy().into_owned(), fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

fn yaml_docs(text: &str) -> Vec<saphyr::Yaml<'_>> {
    use saphyr::LoadableYamlNode;
    saphyr::Yaml::load_from_str(text).expect("valid YAML")
}

fn openssl_verify(dir: &Path, cert: &str) {
    let (ok, msg) = openssl(&["verify", "-CAfile", "orchestrator-ca.crt", cert], dir);
    assert!(ok, "{cert}: {msg}");
}

/// A manifest as data, without kubectl's `creationTimestamp: null`.
fn manifest_data(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().starts_with("creationTimestamp"))
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

fn check_deployment(d: &Path, orgs: &[&str]) {
    // Every output file parses.
    for (name, bytes) in snapshot(d) {
        if name.ends_with(".yaml") {
            let text = String::from_utf8(bytes).expect("utf-8");
            assert!(!yaml_docs(&text).is_empty(), "{name} holds YAML");
        }
    }
    // substractl's own audit passes.
    Test::new().args(["check", "values", "--dir"]).args([d]).run();
    Test::new().args(["check", "links", "--dir"]).args([d]).run();
    // The openssl CLI accepts every certificate.
    openssl_verify(d, "orchestrator-tls.crt");
    // The server certificate carries the names the chart's probes and in-cluster clients dial.
    let (ok, sans) =
        openssl(&["x509", "-noout", "-ext", "subjectAltName", "-in", "orchestrator-tls.crt"], d);
    assert!(ok, "{sans}");
    for name in [
        "DNS:orchestrator.example.com",
        "DNS:orchestrator.orchestrator.svc.cluster.local",
        "DNS:orchestrator-server.orchestrator.svc.cluster.local",
        "DNS:orchestrator-orchestrator-server.orchestrator.svc.cluster.local",
    ] {
        assert!(sans.contains(name), "{name} in {sans}");
    }
    for org in orgs {
        openssl_verify(d, &format!("{org}.crt"));
    }
    // helmfile.yaml names every values file, each on its context and namespace.
    let helmfile = fs::read_to_string(d.join("helmfile.yaml")).expect("helmfile.yaml");
    let docs = yaml_docs(&helmfile);
    let releases = docs[0]["releases"].as_vec().expect("releases");
    assert_eq!(releases.len(), orgs.len() + 1);
    let values: Vec<&str> =
        releases.iter().map(|r| r["values"][0].as_str().expect("values file")).collect();
    assert!(values.contains(&"orchestrator-values.yaml"));
    for org in orgs {
        let file = format!("backend-{org}-values.yaml");
        assert!(values.contains(&file.as_str()), "{file} in helmfile.yaml");
        assert!(d.join(&file).is_file());
        let release = releases
            .iter()
            .find(|r| r["values"][0].as_str() == Some(&file))
            .expect("release of the org");
        assert_eq!(release["kubeContext"].as_str(), Some(*org));
        assert_eq!(release["namespace"].as_str(), Some(format!("org-{org}").as_str()));
        assert_eq!(release["chart"].as_str(), Some("substra/substra-backend"));
        assert_eq!(release["version"].as_str(), Some("26.15.3"));
    }
    let next = fs::read_to_string(d.join("NEXT-STEPS.md")).expect("NEXT-STEPS.md");
    assert!(next.contains("enable-ssl-passthrough"));
    assert!(next.contains("helmfile apply"));
    assert!(next.contains("substractl check all --dir . --wait 10m"));
}

#[test]
fn init_yes_writes_deployments_that_check_and_runs_again_safely() {
    for n in [1, 2, 5] {
        let tmp = tempfile::tempdir().expect("tempdir");
        let orgs = &ORGS[..n];
        let mut args = vec!["--yes", "--out", "deploy"];
        args.extend(orgs);
        init(tmp.path(), &args).run();
        let d = tmp.path().join("deploy");
        check_deployment(&d, orgs);

        // Again: not one byte changes.
        let before = snapshot(&d);
        init(tmp.path(), &args).stdout_contains("nothing to change").run();
        assert_eq!(before, snapshot(&d), "a second run with {n} organizations changed files");

        // With one organization more: it is added and linked, nothing secret changes.
        let new = ORGS[n];
        args.push(new);
        init(tmp.path(), &args).stdout_contains(&format!("({new} new)")).run();
        let after = snapshot(&d);
        for (name, bytes) in &before {
            let kept = name.ends_with(".key")
                || name.ends_with(".crt")
                || name.starts_with("orchestrator-tls-")
                || name.starts_with("orchestrator-client-cert-");
            if kept {
                let now = after.iter().find(|(n, _)| n == name).expect("still there");
                assert_eq!(&now.1, bytes, "{name} changed");
            }
        }
        let grown = &ORGS[..=n];
        check_deployment(&d, grown);
        // Every old secret is still in its file.
        for (name, bytes) in before.iter().filter(|(n, _)| n.starts_with("backend-")) {
            let old = String::from_utf8_lossy(bytes);
            let now = fs::read_to_string(d.join(name)).expect("values");
            for line in old.lines().filter(|l| l.contains("secret:")) {
                assert!(now.contains(line), "{name} lost {line:?}");
            }
            assert!(now.contains(&format!("name: {new}")), "{name} is linked with {new}");
        }
    }
}

#[test]
fn manifests_are_what_kubectl_makes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    init(tmp.path(), &["--yes", "--out", "d", "ingen", "biotechnica"]).run();
    let d = tmp.path().join("d");
    let same = |file: &str, doc: usize, theirs: String| {
        let text = fs::read_to_string(d.join(file)).expect("manifest");
        let ours = text.split("---\n").nth(doc).expect("document");
        assert_eq!(manifest_data(ours), manifest_data(&theirs), "{file} #{doc}");
    };
    let ca = ["create", "secret", "generic", "orchestrator-tls-cacert"];
    let from_ca = "--from-file=ca.crt=orchestrator-ca.crt";
    same(
        "orchestrator-tls-cacert.yaml",
        0,
        kubectl(&d, "orchestrator", &[&ca[..], &[from_ca]].concat()),
    );
    same(
        "orchestrator-tls-server-pair.yaml",
        0,
        kubectl(
            &d,
            "orchestrator",
            &[
                "create",
                "secret",
                "tls",
                "orchestrator-tls-server-pair",
                "--cert=orchestrator-tls.crt",
                "--key=orchestrator-tls.key",
            ],
        ),
    );
    for org in ["ingen", "biotechnica"] {
        let ns = format!("org-{org}");
        let file = format!("orchestrator-client-cert-{org}.yaml");
        same(&file, 0, kubectl(&d, &ns, &[&ca[..], &[from_ca]].concat()));
        let (cert, key) = (format!("--cert={org}.crt"), format!("--key={org}.key"));
        same(
            &file,
            1,
            kubectl(&d, &ns, &["create", "secret", "tls", "orchestrator-client-cert", &cert, &key]),
        );
    }
}

#[test]
fn without_a_terminal_it_names_the_missing_flags_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    init(tmp.path(), &["ingen", "biotechnica", "--channel", "c1"])
        .status(2)
        .stderr_contains("--backend-address")
        .stderr_contains("--orchestrator-host")
        .stderr_contains("--tls or --no-tls")
        .stderr_contains("--context ORG=CONTEXT (for ingen, biotechnica, orchestrator)")
        .stderr_contains("--out")
        .stderr_lacks("--channel,")
        .run();
    assert!(snapshot(tmp.path()).is_empty(), "nothing is written");
}

#[test]
fn every_flag_answers_its_question() {
    let tmp = tempfile::tempdir().expect("tempdir");
    init(
        tmp.path(),
        &[
            "a1",
            "b2",
            "--channel",
            "c1",
            "--channel",
            "c2",
            "--backend-address",
            "http://{org}.lan:80",
            "--orchestrator-host",
            "orc.lan",
            "--no-tls",
            "--context",
            "a1=k-a",
            "--context",
            "b2=k-b",
            "--context",
            "orchestrator=k-o",
            "--out",
            "o",
            "--backend-chart-version",
            "26.0.0",
        ],
    )
    .run();
    let d = tmp.path().join("o");
    let a1 = fs::read_to_string(d.join("backend-a1-values.yaml")).expect("values");
    assert!(
        a1.contains("defaultDomain: \"http://a1.lan:80\"")
            || a1.contains("defaultDomain: http://a1.lan:80"),
        "{a1}"
    );
    assert!(a1.contains("port: 80") && a1.contains("host: orc.lan") && a1.contains("c2"), "{a1}");
    assert!(!d.join("orchestrator-ca.crt").exists(), "no certificates without TLS");
    let helmfile = fs::read_to_string(d.join("helmfile.yaml")).expect("helmfile");
    for want in ["\"k-a\"", "\"k-b\"", "\"k-o\"", "\"26.0.0\"", "\"8.8.0\""] {
        assert!(helmfile.contains(want), "{want} in {helmfile}");
    }
    assert!(!fs::read_to_string(d.join("NEXT-STEPS.md"))
        .expect("next")
        .contains("ssl-passthrough"));
    Test::new().args(["check", "values", "--dir"]).args([&d]).run();
    // Again with a new organization and no --context: the contexts given before are kept.
    init(tmp.path(), &["a1", "b2", "c3", "--yes", "--no-tls", "--out", "o"]).run();
    let helmfile = fs::read_to_string(d.join("helmfile.yaml")).expect("helmfile");
    for want in ["\"k-a\"", "\"k-b\"", "\"k-o\"", "kubeContext: \"c3\""] {
        assert!(helmfile.contains(want), "{want} in {helmfile}");
    }
}

#[test]
fn dry_run_writes_nothing_and_shows_no_secret_or_key() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = init(tmp.path(), &["--yes", "--dry-run", "--out", "d", "ingen", "biotechnica"])
        .run()
        .stdout;
    assert!(snapshot(tmp.path()).is_empty(), "a dry run writes nothing");
    assert!(out.contains("(private key, not shown)"), "{out}");
    assert!(out.contains("+      secret: <new secret #1, 64 characters>"), "{out}");
    assert!(!out.contains("PRIVATE KEY"), "{out}");
    assert!(!out.contains("tls.key:"), "{out}");
    let secret = regex::Regex::new(r"secret: [A-Za-z0-9]{20,}").expect("regex");
    assert!(!secret.is_match(&out), "{out}");

    // On an existing deployment, a dry run with a new organization shows only what it adds.
    init(tmp.path(), &["--yes", "--out", "d", "ingen"]).run();
    let before = snapshot(&tmp.path().join("d"));
    let secrets: Vec<String> = before
        .iter()
        .flat_map(|(_, b)| {
            String::from_utf8_lossy(b).lines().map(str::to_string).collect::<Vec<_>>()
        })
        .filter_map(|l| l.trim().strip_prefix("secret: ").map(str::to_string))
        .collect();
    assert!(!secrets.is_empty());
    let out = init(tmp.path(), &["--yes", "--dry-run", "--out", "d", "biotechnica"]).run().stdout;
    assert_eq!(before, snapshot(&tmp.path().join("d")));
    for s in &secrets {
        assert!(!out.contains(s.as_str()), "a kept secret is shown");
    }
    assert!(out.contains("would create  d/backend-biotechnica-values.yaml"), "{out}");
}

/// Runs `substractl init` in a pseudo-terminal in `dir`, typing `keys`: what the terminal showed.
fn at_terminal(dir: &Path, keys: &str) -> String {
    Test::in_dir(dir)
        .args(["init"])
        .env("TERM", "xterm")
        .env_remove("NO_COLOR")
        .stdin(keys)
        .pty(80)
        .timeout(Duration::from_secs(60))
        .run()
        .stdout
}

#[test]
fn at_a_terminal_it_asks_every_question() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // Organizations, channels (default), host, TLS yes, mTLS no, address, context of acme,
    // of beta (default), of the orchestrator (default), output directory.
    let screen = at_terminal(tmp.path(), "acme beta\r\rorch.test.org\ryn\rctx-a\r\r\rout\r");
    for question in [
        "Organizations",
        "Channels",
        "host name",
        "TLS",
        "Mutual TLS",
        "Kube context of acme",
        "Output directory",
    ] {
        assert!(screen.contains(question), "{question} asked:\n{screen}");
    }
    let d = tmp.path().join("out");
    let helmfile = fs::read_to_string(d.join("helmfile.yaml")).expect("helmfile written");
    assert!(helmfile.contains("\"ctx-a\"") && helmfile.contains("kubeContext: \"beta\""));
    let acme = fs::read_to_string(d.join("backend-acme-values.yaml")).expect("values");
    assert!(acme.contains("host: orch.test.org") && acme.contains("https://api.acme.example.com"));
    assert!(!acme.contains("clientCertificate"), "mTLS was declined:\n{acme}");
    assert!(d.join("orchestrator-tls.crt").is_file());
    assert!(!d.join("acme.crt").exists());
    Test::new().args(["check", "values", "--dir"]).args([&d]).run();
}

#[test]
fn the_three_orgs_example_holds_no_secret_and_is_flagged() {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/three-orgs");
    let secret = regex::Regex::new(r"secret: [A-Za-z0-9]{32,}").expect("regex");
    for (name, bytes) in snapshot(&d) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("PRIVATE KEY"), "{name} holds a private key");
        assert!(!secret.is_match(&text), "{name} holds a real secret");
    }
    Test::new().args(["check", "values", "--dir"]).args([&d]).status(1).run();
    Test::new().args(["check", "links", "--dir"]).args([&d]).status(1).run();
    assert!(fs::read_to_string(d.join("README.md")).expect("README").contains("Do not deploy it"));
}

//! `substractl init` run again on a deployment, beside another run, on files it did not
//! write and with hostile answers: what it keeps, what it refuses (exit 2, nothing written),
//! and what its dry run tells apart.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::{fixture, Output, Test};

/// A first deployment made by init in `d` (without TLS unless `tls`).
fn deployment(orgs: &[&str], tls: bool) -> Output {
    let mut args = vec!["init", "--yes", "--out", "d", if tls { "--tls" } else { "--no-tls" }];
    args.extend(orgs);
    Test::new().args(args).run()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{from:?} in {}:\n{text}", path.display());
    fs::write(path, text.replacen(from, to, 1)).expect("write");
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/three-orgs")
}

// Finding: a lost update between two runs.

#[test]
fn init_decides_under_the_lock_which_organizations_the_directory_holds() {
    let first = deployment(&["a"], false);
    let d = first.path().join("d");
    let held = fs::File::open(&d).expect("open the directory");
    held.lock().expect("lock the directory as another run does");
    let mut run = Test::new()
        .args(["init", "--yes", "--no-tls", "--out"])
        .args([&d])
        .args(["x"])
        .stderr_contains("waiting for another substractl run to finish")
        .timeout(Duration::from_secs(60))
        .spawn();
    run.wait_for_stderr("waiting for another substractl run to finish");
    // What the run that holds the lock adds meanwhile: an organization.
    fs::write(
        d.join("backend-late-values.yaml"),
        "organizationName: late\norchestrator:\n  mspID: late\n",
    )
    .expect("write");
    drop(held);
    run.wait();
    let helmfile = fs::read_to_string(d.join("helmfile.yaml")).expect("helmfile");
    for file in ["backend-a-values.yaml", "backend-x-values.yaml", "backend-late-values.yaml"] {
        assert!(helmfile.contains(file), "{file} in helmfile.yaml:\n{helmfile}");
    }
    let x = fs::read_to_string(d.join("backend-x-values.yaml")).expect("x");
    let late = fs::read_to_string(d.join("backend-late-values.yaml")).expect("late");
    assert!(x.contains("name: late") && x.contains("name: a"), "x is linked:\n{x}");
    assert!(late.contains("name: x"), "late is linked with x:\n{late}");
    let next = fs::read_to_string(d.join("NEXT-STEPS.md")).expect("next steps");
    assert!(next.contains("org-late"), "{next}");
}

// Finding: a run again loses what the operator changed.

#[test]
fn init_again_keeps_what_the_operator_changed_and_says_so() {
    let first = deployment(&["a", "b"], true);
    let d = first.path().join("d");
    edit(&d.join("orchestrator-values.yaml"), "cacert: orchestrator-tls-cacert", "cacert: our-ca");
    edit(
        &d.join("orchestrator-values.yaml"),
        "verifyClientMSPID: true",
        "verifyClientMSPID: false",
    );
    let helmfile = d.join("helmfile.yaml");
    let text = fs::read_to_string(&helmfile).expect("helmfile");
    fs::write(&helmfile, text.replace("version: \"26.15.3\"", "version: \"26.16.0\""))
        .expect("write");
    edit(&helmfile, "version: \"8.8.0\"", "version: 8.9.1 # tested here");
    let ours = "  # our monitoring, installed with the rest\n  - name: prometheus\n    namespace: monitoring\n    chart: prometheus-community/prometheus\n    version: \"27.1.0\"\n";
    let mut text = fs::read_to_string(&helmfile).expect("helmfile");
    text.push_str(ours);
    text.push_str("helmDefaults:\n  wait: true\n");
    fs::write(&helmfile, &text).expect("write");

    let again = Test::new()
        .tree(first.path())
        .args(["init", "--yes", "--out", "d", "a", "b", "c"])
        .stdout_contains("kept  d/orchestrator-values.yaml: orchestrator.tls.cacert is our-ca (init writes orchestrator-tls-cacert)")
        .stdout_contains("kept  d/orchestrator-values.yaml: orchestrator.verifyClientMSPID is false (init writes true)")
        .stdout_contains("kept  d/helmfile.yaml: releases[1].version is 26.16.0 (init writes 26.15.3)")
        .stdout_contains("kept  d/helmfile.yaml: releases[0].version is 8.9.1 (init writes 8.8.0)")
        .run();
    let d = again.path().join("d");
    let orchestrator = fs::read_to_string(d.join("orchestrator-values.yaml")).expect("values");
    assert!(orchestrator.contains("cacert: our-ca\n"), "{orchestrator}");
    assert!(orchestrator.contains("verifyClientMSPID: false\n"), "{orchestrator}");
    assert!(orchestrator.contains("c: [orchestrator-tls-cacert]"), "c is trusted:\n{orchestrator}");
    let now = fs::read_to_string(d.join("helmfile.yaml")).expect("helmfile");
    assert!(now.contains(ours), "the operator's release keeps its bytes:\n{now}");
    assert!(now.contains("version: 8.9.1 # tested here\n"), "{now}");
    assert!(now.ends_with("helmDefaults:\n  wait: true\n"), "{now}");
    assert_eq!(now.matches("version: \"26.16.0\"").count(), 2, "{now}");
    assert!(now.contains("backend-c-values.yaml"), "{now}");
    assert!(now.contains("version: \"26.15.3\""), "c's release takes the flag's version:\n{now}");
    // Helmfile still reads it as a list of releases.
    assert!(now.find("prometheus").expect("kept") < now.find("backend-c").expect("added"), "{now}");

    // Nothing left to change: the same run again writes nothing and reports the kept values,
    // in JSON too.
    Test::new()
        .tree(again.path())
        .args(["init", "--yes", "--out", "d", "a", "b", "c"])
        .stdout_contains("nothing to change")
        .stdout_contains("orchestrator.tls.cacert is our-ca")
        .unchanged()
        .run();
    let json = Test::new()
        .tree(again.path())
        .args(["init", "--yes", "--out", "d", "a", "b", "c", "-o", "json"])
        .unchanged()
        .run();
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert!(
        report["kept"].as_array().expect("kept").contains(&serde_json::json!({
            "file": "d/orchestrator-values.yaml",
            "key": "orchestrator.verifyClientMSPID",
            "value": "false",
            "init_writes": "true"
        })),
        "{report}"
    );
}

// Finding (a later pass): a run again undid an `unlink` and a channel edited by hand.
#[test]
fn init_again_keeps_an_unlinked_pair_and_the_channels_an_operator_edited() {
    let first = deployment(&["ingen", "bio", "tyrell"], false);
    let linked = |out: &Output, a: &str, b: &str| {
        let file = |o: &str| out.read(&format!("d/backend-{o}-values.yaml"));
        file(a).contains(&format!("name: {b}\n")) || file(b).contains(&format!("name: {a}\n"))
    };
    let unlinked =
        Test::new().tree(first.path()).args(["unlink", "ingen", "tyrell", "--dir", "d"]).run();
    assert!(!linked(&unlinked, "ingen", "tyrell"));
    let d = unlinked.path().join("d");
    edit(
        &d.join("orchestrator-values.yaml"),
        "channels: [{name: our-channel, organizations: [ingen, bio, tyrell]}]",
        "channels: [{name: our-channel, organizations: [ingen, bio]}, {name: solo, organizations: [tyrell, ingen]}]",
    );
    edit(&d.join("backend-tyrell-values.yaml"), "- our-channel: {", "- solo: {");
    edit(
        &d.join("backend-ingen-values.yaml"),
        "    - our-channel: {restricted: false, model_export_enabled: false}\n",
        "    - our-channel: {restricted: false, model_export_enabled: false}\n    - solo: {restricted: false, model_export_enabled: false}\n",
    );

    // Without names: nothing of it is undone, and the report says which pair stays apart.
    let values = [
        "backend-ingen-values.yaml",
        "backend-bio-values.yaml",
        "backend-tyrell-values.yaml",
        "orchestrator-values.yaml",
    ];
    let again = Test::new()
        .tree(unlinked.path())
        .args(["init", "--yes", "--out", "d"])
        .stdout_contains("kept  ingen and tyrell not linked, as before this run (substractl link ingen tyrell --dir d links them)\n")
        .stdout_contains("3 organizations (none new), 9 ordered pairs (0 created, 7 kept, 0 repaired, 2 left unlinked)\n")
        .run();
    for v in values {
        assert_eq!(again.read(&format!("d/{v}")), unlinked.read(&format!("d/{v}")), "{v}");
    }

    // A new organization is linked with every other and joins the deployment's channels;
    // the pair and the channels kept stay as they are.
    let more = Test::new()
        .tree(again.path())
        .args(["init", "--yes", "--out", "d", "umbrella"])
        .stdout_contains("4 organizations (umbrella new), 16 ordered pairs (7 created, 7 kept, 0 repaired, 2 left unlinked)\n")
        .run();
    for o in ["ingen", "bio", "tyrell"] {
        assert!(linked(&more, o, "umbrella"), "{o} and umbrella");
    }
    assert!(!linked(&more, "ingen", "tyrell"));
    let o = more.read("d/orchestrator-values.yaml");
    assert!(o.contains("channels: [{name: our-channel, organizations: [ingen, bio, umbrella]}, {name: solo, organizations: [tyrell, ingen, umbrella]}]"), "{o}");
    assert!(!more.read("d/backend-tyrell-values.yaml").contains("our-channel"));
    Test::new().tree(more.path()).args(["check", "links", "--dir", "d"]).run();

    // A channel named by --channel is not forced on those the operator took out of it: the
    // run says so.
    Test::new()
        .tree(more.path())
        .args(["init", "--yes", "--out", "d", "--channel", "our-channel"])
        .stdout_contains("kept  d/orchestrator-values.yaml: channels our-channel is [ingen, bio, umbrella] (init writes [ingen, bio, umbrella, tyrell])\n")
        .unchanged()
        .run();
}

// Finding (a later pass): names the charts write where Kubernetes or a shell cannot take them.
#[test]
fn names_the_charts_cannot_render_are_refused_and_failed() {
    // With mTLS, the orchestrator's chart names one pod volume after each MSP ID, in kebab case.
    Test::new()
        .args(["init", "ingen", "verylongorganizationidentifier-0123456789", "--yes", "--out", "d"])
        .status(2)
        .stderr_contains("MSP ID \"verylongorganizationidentifier-0123456789\": the orchestrator's chart names its client CA volume orchestrator-tls-client-cacert-verylongorganizationidentifier-0123456789: 72 characters, over the 63 Kubernetes takes")
        .unchanged()
        .run();
    Test::new()
        .args(["init", "OrgA", "org-a", "--yes", "--out", "d"])
        .status(2)
        .stderr_contains(
            "names OrgA's client CA volume orchestrator-tls-client-cacert-org-a, as org-a's",
        )
        .unchanged()
        .run();
    // Without mTLS there is no such volume.
    Test::new().args(["init", "OrgA", "org-a", "--no-mtls", "--yes", "--out", "d"]).run();

    // certs gen adding a client CA entry is refused the same way, at the file's line.
    let first = deployment(&["ingen", "bio"], true);
    Test::new()
        .tree(first.path())
        .args([
            "certs",
            "gen",
            "--out",
            "c",
            "--host",
            "orchestrator.example.com",
            "--org",
            "ingen",
            "--org",
            "Ingen",
            "--values-dir",
            "d",
        ])
        .status(2)
        .stderr_contains("error: d/orchestrator-values.yaml: MSP ID \"")
        .stderr_contains("client CA volume orchestrator-tls-client-cacert-ingen, as ")
        .unchanged()
        .run();

    // check values fails what the charts cannot render: a volume name, an organizationName
    // in the workers' command lines.
    let d = first.path().join("d");
    edit(
        &d.join("orchestrator-values.yaml"),
        "        bio: [orchestrator-tls-cacert]\n",
        "        bio: [orchestrator-tls-cacert]\n        Bio: [orchestrator-tls-cacert]\n",
    );
    for (name, shown) in [("'a\"b'", "a\"b"), ("my org", "my org"), ("x$(id)", "x$(id)")] {
        let out = Test::new()
            .tree(first.path())
            .file("d/backend-ingen-values.yaml", &fs::read_to_string(d.join("backend-ingen-values.yaml")).expect("read").replace("organizationName: ingen", &format!("organizationName: {name}")))
            .args(["check", "values", "--dir", "d"])
            .status(1)
            .stdout_contains(&format!("  failure  ingen organizationName {shown} must be letters, digits, '-', '_' and '.', starting with a letter or a digit: the backend's chart writes it unquoted into its workers' shell command lines"))
            .stdout_contains("key Bio: the orchestrator's chart names Bio's client CA volume orchestrator-tls-client-cacert-bio, as bio's")
            .run();
        assert!(out.stdout.contains("ok       bio organizationName"), "{}", out.stdout);
    }
}

#[test]
fn init_yes_without_names_in_a_deployment_adds_no_demo_organizations() {
    let first = deployment(&["a"], false);
    for tls in [None, Some("--no-tls")] {
        let mut args = vec!["init", "--yes", "--out", "d"];
        args.extend(tls);
        Test::new()
            .tree(first.path())
            .args(args)
            .stdout_contains("1 organization (none new)")
            .stdout_contains("nothing to change")
            .unchanged()
            .run();
    }
}

#[test]
fn tls_flags_that_contradict_the_deployment_are_refused() {
    let tls = deployment(&["a"], true);
    Test::new()
        .tree(tls.path())
        .args(["init", "--yes", "--no-tls", "--out", "d", "a", "b"])
        .status(2)
        .stderr_contains("--no-tls: d/orchestrator-values.yaml")
        .stderr_contains("orchestrator.tls.enabled is true")
        .unchanged()
        .run();
    Test::new()
        .tree(tls.path())
        .args(["init", "--yes", "--no-mtls", "--out", "d", "a"])
        .status(2)
        .stderr_contains("--no-mtls")
        .unchanged()
        .run();
    let plain = deployment(&["a"], false);
    Test::new()
        .tree(plain.path())
        .args(["init", "--yes", "--tls", "--out", "d", "a"])
        .status(2)
        .stderr_contains("--tls: d/orchestrator-values.yaml")
        .unchanged()
        .run();
    // Without a flag, the deployment's own choice holds.
    Test::new()
        .tree(plain.path())
        .args(["init", "--yes", "--out", "d", "a", "b"])
        .stdout_contains("with no TLS")
        .run();
}

#[test]
fn names_that_share_a_namespace_are_refused() {
    Test::new()
        .args(["init", "--yes", "--out", "d", "Ingen", "ingen"])
        .status(2)
        .stderr_contains("Ingen and ingen")
        .stderr_contains("org-ingen")
        .run();
    let first = deployment(&["ingen"], false);
    Test::new()
        .tree(first.path())
        .args(["init", "--yes", "--out", "d", "INGEN"])
        .status(2)
        .stderr_contains("INGEN and ingen")
        .unchanged()
        .run();
}

#[test]
fn keys_and_certificates_init_keeps_are_checked_first() {
    // The shipped example's keys are placeholders.
    Test::new()
        .tree(example())
        .args(["init", "--yes", "--out", "."])
        .status(2)
        .stderr_contains("orchestrator-ca.key")
        .unchanged()
        .run();
    Test::new()
        .tree(example())
        .args(["init", "--yes", "--dry-run", "--out", "."])
        .status(2)
        .stderr_contains("orchestrator-ca.key")
        .run();
    let first = deployment(&["a", "b"], true);
    let d = first.path().join("d");
    // A key that is not its certificate's.
    let swapped = Test::new().tree(first.path());
    fs::copy(d.join("b.key"), swapped.path().join("d/a.key")).expect("copy");
    swapped
        .args(["init", "--yes", "--out", "d", "a", "b", "c"])
        .status(2)
        .stderr_contains("d/a.key")
        .unchanged()
        .run();
    // A pair of another CA.
    let other = deployment(&["a"], true);
    let foreign = Test::new().tree(first.path());
    for f in ["a.crt", "a.key"] {
        fs::copy(other.path().join("d").join(f), foreign.path().join("d").join(f)).expect("copy");
    }
    foreign
        .args(["init", "--yes", "--out", "d", "a", "b"])
        .status(2)
        .stderr_contains("d/a.crt")
        .stderr_contains("orchestrator-ca.crt")
        .unchanged()
        .run();
    // A certificate that is not PEM.
    let broken = Test::new().tree(first.path()).file("d/orchestrator-tls.crt", "REPLACE-ME\n");
    broken
        .args(["init", "--yes", "--out", "d"])
        .status(2)
        .stderr_contains("d/orchestrator-tls.crt")
        .unchanged()
        .run();
}

// Finding: exit 70 on ordinary input.

const B: &str = "organizationName: b\norchestrator:\n  mspID: b\n";

#[test]
fn link_edits_unusual_documents_or_refuses_them_with_a_line() {
    // (backend a's text, orchestrator values, expected status, what a's file must hold after)
    let cases: &[(&str, Option<&str>, i32, &str)] = &[
        ("", None, 0, "incomingOrganizations:"),
        ("~\n", None, 0, "incomingOrganizations:"),
        ("# nothing yet\nnull\n", None, 0, "# nothing yet\n"),
        ("{\"organizationName\": \"a\"}\n", None, 2, "backend-a-values.yaml:1:1"),
        ("--- ~\n", None, 0, "---\naddAccountOperator:\n"),
        ("!!null\n", None, 0, "addAccountOperator:\n"),
        (
            "\u{feff}organizationName: a\n",
            None,
            2,
            "backend-a-values.yaml:1:1: the file starts with a byte order mark",
        ),
        (
            "orchestrator: &o {channels: []}\nother: *o\n",
            Some(""),
            2,
            "backend-a-values.yaml:1:15: orchestrator holds the anchor &o",
        ),
        ("orchestrator: {channels: []}\n", Some(""), 0, "orchestrator: {channels: [{c: "),
        ("orchestrator: {mspID: a}\n", Some("~\n"), 0, "orchestrator: {mspID: a, channels: [{c: "),
        (B, Some("channels: [{name: c, organizations: []}]\n"), 0, ""),
        (B, Some("channels: [{name: c, organizations: ~}]\n"), 0, ""),
        (B, Some("channels: [{name: c, organizations: }]\n"), 0, ""),
        (B, Some("channels: [{name: c}]\n"), 0, ""),
        (B, Some("{\"channels\": []}\n"), 0, ""),
    ];
    for (a, orchestrator, status, want) in cases {
        let a = a.replace("b\n", "a\n");
        for dry in [true, false] {
            let mut args = vec!["link", "a", "b"];
            if orchestrator.is_some() {
                args.extend(["--channel", "c"]);
            }
            if dry {
                args.push("--dry-run");
            }
            let mut t =
                Test::new().file("backend-a-values.yaml", &a).file("backend-b-values.yaml", B);
            if let Some(o) = orchestrator {
                t = t.file("orchestrator-values.yaml", o);
            }
            let out = t.args(&args).status(*status).run();
            let shown = format!("{a:?} {orchestrator:?} {args:?}\n{}{}", out.stdout, out.stderr);
            if *status == 2 {
                assert!(out.stderr.contains(want), "{shown}");
                continue;
            }
            if dry {
                continue;
            }
            assert!(out.read("backend-a-values.yaml").contains(want), "{shown}");
            Test::new().tree(out.path()).args(["check", "links"]).run();
            if orchestrator.is_some() {
                let o = out.read("orchestrator-values.yaml");
                let data: serde_json::Value = serde_saphyr::from_str(&o).expect("parses");
                // A file without orchestrator.mspID runs as the chart's default.
                let a_id = if a.contains("mspID: a") { "a" } else { "OwkinPeerMSP" };
                assert_eq!(
                    data["channels"][0]["organizations"],
                    serde_json::json!([a_id, "b"]),
                    "{shown}\n{o}"
                );
            }
        }
    }
}

#[test]
fn init_edits_its_own_flow_style_after_an_operator_emptied_a_list() {
    let first = deployment(&["a", "b"], false);
    let d = first.path().join("d");
    let o = d.join("orchestrator-values.yaml");
    let read = |p: &Path| fs::read_to_string(p).expect("read");
    let (o_before, a_before) = (read(&o), read(&d.join("backend-a-values.yaml")));
    edit(&o, "organizations: [a, b]", "organizations: []");
    edit(
        &d.join("backend-a-values.yaml"),
        "  channels:\n    - our-channel: {restricted: false, model_export_enabled: false}\n",
        "  channels: []\n",
    );
    // Emptied lists are no choice to keep: a lists no channel and b is in the channel by its
    // own file only, so both join it again with the new c; a channel the orchestrator's file no
    // longer has is made again, with every organization.
    for (doc, expect) in [
        (None, "organizations: [a, b, c]"),
        (Some("~\n"), "organizations: [a, b, c]"),
        (Some(""), "organizations: [a, b, c]"),
    ] {
        let t = Test::new().tree(first.path());
        let t = match doc {
            Some(text) => t.file("d/orchestrator-values.yaml", text),
            None => t,
        };
        let out = t.args(["init", "--yes", "--out", "d", "a", "b", "c"]).run();
        assert!(out.read("d/orchestrator-values.yaml").contains(expect), "{doc:?}");
        assert!(out.read("d/backend-a-values.yaml").contains("our-channel"), "{doc:?}");
        assert!(out.read("d/backend-c-values.yaml").contains("our-channel"), "{doc:?}");
    }
    // A values file emptied (or without channels) gets what init writes, channels included.
    for b in ["~\n", "orchestrator: {mspID: b}\nserver: ~\n"] {
        let t = Test::new()
            .tree(first.path())
            .file("d/orchestrator-values.yaml", &o_before)
            .file("d/backend-a-values.yaml", &a_before)
            .file("d/backend-b-values.yaml", b);
        let out = t.args(["init", "--yes", "--out", "d", "a", "b"]).run();
        let values = out.read("d/backend-b-values.yaml");
        assert!(values.contains("mspID: b") && values.contains("defaultDomain:"), "{values}");
        Test::new().tree(out.path()).args(["check", "values", "--dir", "d"]).run();
    }
}

// Finding: a masked dry run says nothing.

#[test]
fn a_masked_dry_run_tells_placeholders_new_and_kept_secrets_apart() {
    let first = deployment(&["a", "b"], false);
    let path = first.path().join("d/backend-a-values.yaml");
    let text = fs::read_to_string(&path).expect("values");
    // a's own pair (served and used by a) becomes a placeholder, as in examples/.
    let own = text
        .lines()
        .skip_while(|l| !l.contains("incomingOrganizations"))
        .find_map(|l| l.trim().strip_prefix("secret: "))
        .expect("a secret")
        .to_string();
    fs::write(&path, text.replace(&own, "REPLACE-ME-3")).expect("write");
    let out = Test::new()
        .tree(first.path())
        .args(["init", "--yes", "--dry-run", "--out", "d", "a", "b"])
        .stdout_contains("-      secret: <placeholder REPLACE-ME-3>")
        .stdout_contains("+      secret: <new secret #1, 64 characters>")
        .stdout_contains("       secret: <secret #2, unchanged>")
        .unchanged()
        .run();
    assert!(!out.stdout.contains("********"), "{}", out.stdout);
    assert!(!out.stdout.contains("<secret-"), "no secret is shown:\n{}", out.stdout);
    // The same new secret carries the same label in each file it goes to.
    assert_eq!(out.stdout.matches("+      secret: <new secret #1, 64 characters>").count(), 2);

    Test::new()
        .args(["init", "--yes", "--no-tls", "--out", "d", "a"])
        .stdout_contains(
            "\n1 organization (a new), 1 ordered pair (1 created, 0 kept, 0 repaired)\n",
        )
        .run();
}

// Finding: wrong answers to bad input (addresses and host names).

#[test]
fn a_dry_run_on_a_kept_deployment_masks_the_credentials_of_every_file() {
    let first = deployment(&["a", "b"], false);
    for creds in crate::support::chart_credentials() {
        let kept = Test::new().tree(first.path());
        let d2 = kept.path().join("d");
        // The backend's credentials around its lists, the orchestrator's beside its channels,
        // and one in a release of the helmfile that a new release goes after.
        edit(
            &d2.join("backend-a-values.yaml"),
            "addAccountOperator:\n",
            &format!("{}addAccountOperator:\n", creds.before),
        );
        let values = fs::read_to_string(d2.join("backend-a-values.yaml")).expect("values");
        fs::write(d2.join("backend-a-values.yaml"), values + creds.after).expect("write");
        edit(
            &d2.join("orchestrator-values.yaml"),
            "channels:",
            "postgresql: {auth: {postgresPassword: OrchPgPw27182818}}\nchannels:",
        );
        let helmfile = fs::read_to_string(d2.join("helmfile.yaml")).expect("helmfile");
        fs::write(
            d2.join("helmfile.yaml"),
            helmfile
                + "    set:\n      - name: postgresql.auth.postgresPassword\n\
                   \x20       value: HelmSetPw31415\n",
        )
        .expect("write");
        let test =
            kept.args(["init", "--yes", "--dry-run", "--no-tls", "--out", "d", "a", "b", "c"]);
        creds
            .values
            .iter()
            .chain(&["OrchPgPw27182818", "HelmSetPw31415"])
            .fold(test, |t, v| t.never_shows(v))
            .stdout_contains("+    - name: c\n+      secret: <new secret #")
            .stdout_contains("-channels: [{name: our-channel, organizations: [a, b]}]\n")
            .stdout_contains("postgresql: {auth: {postgresPassword: <credential, unchanged>}}")
            .stdout_contains("        value: <credential, unchanged>\n+  - name: \"backend\"\n")
            .stdout_contains("rootPassword: <credential, unchanged>")
            .unchanged()
            .run();
    }
}

#[test]
fn init_refuses_addresses_and_hosts_that_are_not_one_host() {
    for address in [
        "https://{org}@evil.example",
        "https://user:pw@{org}.example",
        "https://{org}.example/?a=1",
        "https://{org}.example#x",
        "https://{org}.example /x",
        "https://{org}.example:0",
        "https://{org}.example:65536",
        "https://{org}.example:99999999999",
        "https://{org}.example:x",
        "https://",
        "https://[{org}]",
        "http://{org}.example:80\n",
    ] {
        Test::new()
            .args(["init", "--yes", "--out", "d", "a", "--backend-address", address])
            .status(2)
            .stderr_contains("--backend-address")
            .unchanged()
            .run();
    }
    for host in
        ["*.example.com", "orchestrator.example.com:443", "https://o.example", "o.example/x"]
    {
        Test::new()
            .args(["init", "--yes", "--out", "d", "a", "--orchestrator-host", host])
            .status(2)
            .stderr_contains("--orchestrator-host")
            .unchanged()
            .run();
    }
    let ok = Test::new()
        .args([
            "init",
            "--yes",
            "--out",
            "d",
            "a",
            "--backend-address",
            "https://{org}.example:8443/",
        ])
        .run();
    assert!(ok.read("d/backend-a-values.yaml").contains("https://a.example:8443/"));
}

#[test]
fn check_values_compares_addresses_by_host() {
    let t = Test::new().tree(fixture("check-values/clean/in"));
    let dir = t.path();
    edit(
        &dir.join("backend-ingen-values.yaml"),
        "https://api.ingen.example:443",
        "https://ingen@evil.example",
    );
    edit(
        &dir.join("backend-biotechnica-values.yaml"),
        "https://api.biotechnica.example:443",
        "https://biotechnica@EVIL.example:443/",
    );
    t.args(["check", "values"])
        .status(1)
        .stdout_contains("biotechnica, ingen all announce the host evil.example")
        .run();
}

// Finding: a --context that the kept helmfile.yaml contradicts sent one organization's steps
// to two clusters.

#[test]
fn next_steps_deploy_each_cluster_where_the_kept_helmfile_does() {
    let first = deployment(&["a", "b"], true);
    let d = first.path().join("d");
    edit(&d.join("helmfile.yaml"), "kubeContext: \"b\"", "kubeContext: \"b-prod\"");
    let again = Test::new()
        .tree(first.path())
        .args(["init", "--yes", "--out", "d", "--context", "b=b-new"])
        .stdout_contains("kept  d/helmfile.yaml: releases[2].kubeContext is b-prod (init writes b-new)")
        .stderr_matches(r"warning: d/helmfile\.yaml:\d+: releases\[2\]\.kubeContext is b-prod, not b-new: init keeps it, and NEXT-STEPS\.md deploys org-b with context b-prod")
        .run();
    let next = again.read("d/NEXT-STEPS.md");
    assert!(!next.contains("b-new"), "a context helmfile.yaml does not deploy with:\n{next}");
    assert!(next.contains("kubectl --context b-prod apply --namespace org-b"), "{next}");
    assert!(next.contains("--kube-context b-prod"), "{next}");
    let json = Test::new()
        .tree(again.path())
        .args(["init", "--yes", "--out", "d", "--context", "b=b-new", "-o", "json"])
        .unchanged()
        .run();
    let report = json.json();
    let b = report["organizations"].as_array().expect("organizations")[1].clone();
    assert_eq!(b["context"], "b-prod", "{report}");
    let steps = report["next_steps"].to_string();
    assert!(!steps.contains("b-new") && steps.contains("b-prod"), "{steps}");
}

// Finding: control characters of a context reached NEXT-STEPS.md.

#[test]
fn a_context_with_control_characters_is_refused() {
    Test::new()
        .args([
            "init",
            "a",
            "b",
            "--yes",
            "--no-tls",
            "--out",
            "w",
            "--context",
            "a=ctx\u{1b}]0;x\u{7}",
        ])
        .status(2)
        .stderr_contains("a context name holds no control character")
        .stderr_contains("--context ingen=gke-ingen")
        .stderr_lacks("\u{1b}")
        .unchanged()
        .run();
    Test::new()
        .args(["init", "a", "--yes", "--no-tls", "--out", "w", "--context", "a=ctx "])
        .status(2)
        .stderr_contains("neither begins nor ends with whitespace")
        .unchanged()
        .run();

    let first = deployment(&["a", "b"], false);
    let d = first.path().join("d");
    // YAML's double-quoted \e and \a: an escape sequence that retitles a terminal.
    edit(&d.join("helmfile.yaml"), "kubeContext: \"b\"", r#"kubeContext: "b\e]0;pwn\a""#);
    for extra in [&[][..], &["--context", "b=b-new"][..]] {
        Test::new()
            .tree(first.path())
            .args(["init", "--yes", "--out", "d"])
            .args(extra)
            .status(2)
            .stderr_matches(r"d/helmfile\.yaml:\d+")
            .stderr_contains("releases[2].kubeContext")
            .stderr_contains("it holds a control character")
            .stderr_lacks("\u{1b}")
            .unchanged()
            .run();
    }
}

// Finding: a bidirectional override (U+202E) or an invisible character in a context, a chart
// version or a kept helmfile value reached NEXT-STEPS.md raw, where it displays a command as
// other text than it runs.

#[test]
fn bidirectional_and_invisible_characters_are_refused() {
    let flags: [(&[&str], &str); 11] = [
        (&["--context", "a=x\u{202e}y"], "bidirectional or invisible formatting character"),
        (&["--context", "a=x\u{200b}y"], "bidirectional or invisible formatting character"),
        (&["--context", "a=kube\u{2028}ctx"], "bidirectional or invisible formatting character"),
        (&["--backend-chart-version", "1.0.0\u{3164}"], "U+3164"),
        (&["--context", "a=ctx\u{2065}x"], "bidirectional or invisible formatting character"),
        (&["--backend-chart-version", "26.15.3\u{e0080}"], "U+E0080"),
        (&["--orchestrator-chart-version", "8.8.0\u{600}"], "U+0600"),
        (&["--context", "orchestrator=\u{2067}main"], "bidirectional or invisible"),
        (&["--backend-chart-version", "26.15.3\u{202e}"], "--backend-chart-version"),
        (&["--orchestrator-chart-version", "\u{feff}8.8.0"], "U+FEFF"),
        (&["--backend-address", "https://{org}.ex\u{200f}ample.com"], "U+200F"),
    ];
    for (extra, says) in flags {
        Test::new()
            .args(["init", "a", "b", "--yes", "--no-tls", "--out", "w"])
            .args(extra)
            .status(2)
            .stderr_contains(says)
            .stderr_lacks("\u{202e}")
            .stderr_lacks("\u{200b}")
            .unchanged()
            .run();
    }

    let first = deployment(&["a", "b"], false);
    let kept = [
        ("kubeContext: \"b\"", "kubeContext: \"bio\u{202e}tech\"", "releases[2].kubeContext"),
        ("kubeContext: \"b\"", "kubeContext: \"b\\u200B\"", "releases[2].kubeContext"),
        ("namespace: \"org-b\"", "namespace: \"org-b\u{2066}\"", "releases[2].namespace"),
        ("version: \"8.8.0\"", "version: \"8.8.0\u{200d}\"", "releases[0].version"),
        ("name: \"backend\"", "name: \"back\u{61c}end\"", "releases[1].name"),
    ];
    for (from, to, key) in kept {
        let t = Test::new().tree(first.path());
        edit(&t.path().join("d/helmfile.yaml"), from, to);
        t.args(["init", "--yes", "--out", "d"])
            .status(2)
            .stderr_matches(r"d/helmfile\.yaml:\d+:\d+")
            .stderr_contains(key)
            .stderr_contains("bidirectional formatting character")
            .stderr_lacks("\u{202e}")
            .unchanged()
            .run();
    }
}

// Noticed: a namespace changed in the kept helmfile.yaml was kept there, but NEXT-STEPS.md
// still applied each cluster's Secrets in init's own namespace, and the kept manifests still
// named it (`kubectl apply --namespace` refuses an object of another namespace).

#[test]
fn a_namespace_the_kept_helmfile_changed_is_followed_by_every_manifest_and_command() {
    let first = Test::new()
        .args(["init", "a", "b", "--yes", "--out", "d", "--tls", "--mtls", "--existing-secret"])
        .run();
    let d = first.path().join("d");
    edit(&d.join("helmfile.yaml"), "namespace: \"org-b\"", "namespace: \"prod-b\"");
    edit(&d.join("helmfile.yaml"), "namespace: \"orchestrator\"", "namespace: \"orch-prod\"");
    let again = Test::new()
        .tree(first.path())
        .args(["init", "--yes", "--out", "d"])
        .stdout_contains(
            "kept  d/helmfile.yaml: releases[2].namespace is prod-b (init writes org-b)",
        )
        .stdout_contains(
            "kept  d/helmfile.yaml: releases[0].namespace is orch-prod (init writes orchestrator)",
        )
        .run();
    let next = again.read("d/NEXT-STEPS.md");
    for want in [
        "kubectl --context b apply --namespace prod-b -f backend-b-accounts.yaml",
        "kubectl --context b apply --namespace prod-b -f orchestrator-client-cert-b.yaml",
        "--kube-context b --namespace prod-b",
        "apply --namespace orch-prod -f orchestrator-tls-cacert.yaml",
    ] {
        assert!(next.contains(want), "{want:?} in NEXT-STEPS.md:\n{next}");
    }
    assert!(!next.contains("org-b") && !next.contains("namespace orchestrator"), "{next}");
    for (file, namespace) in [
        ("backend-b-accounts.yaml", "prod-b"),
        ("orchestrator-client-cert-b.yaml", "prod-b"),
        ("orchestrator-tls-cacert.yaml", "orch-prod"),
        ("orchestrator-tls-server-pair.yaml", "orch-prod"),
        ("backend-a-accounts.yaml", "org-a"),
        ("orchestrator-client-cert-a.yaml", "org-a"),
    ] {
        let text = again.read(&format!("d/{file}"));
        let named: Vec<&str> = text.lines().filter(|l| l.starts_with("  namespace: ")).collect();
        assert!(
            !named.is_empty() && named.iter().all(|l| *l == format!("  namespace: {namespace}")),
            "{file}: {named:?}"
        );
    }
    for private in ["backend-b-accounts.yaml", "orchestrator-client-cert-b.yaml"] {
        let mode = fs::metadata(again.path().join("d").join(private)).expect("meta");
        assert_eq!(std::os::unix::fs::PermissionsExt::mode(&mode.permissions()) & 0o777, 0o600);
    }
    // Run again: nothing left to follow.
    Test::new().tree(again.path()).args(["init", "--yes", "--out", "d"]).unchanged().run();
}

#[test]
fn a_kept_namespace_that_kubernetes_would_refuse_is_refused_with_its_line() {
    let first =
        Test::new().args(["init", "a", "b", "--yes", "--out", "d", "--tls", "--no-mtls"]).run();
    edit(&first.path().join("d/helmfile.yaml"), "namespace: \"org-b\"", "namespace: \"Prod_B\"");
    Test::new()
        .tree(first.path())
        .args(["init", "--yes", "--out", "d"])
        .status(2)
        .stderr_matches(r"d/helmfile\.yaml:\d+")
        .stderr_contains("releases[2].namespace Prod_B is not a Kubernetes namespace name")
        .unchanged()
        .run();
    // Without mTLS, the CA Secret init makes for a backend goes where its release is.
    edit(&first.path().join("d/helmfile.yaml"), "namespace: \"Prod_B\"", "namespace: \"prod-b\"");
    // A number where helmfile.yaml names a namespace or a context reads otherwise in
    // helmfile (`0x1f`) than here: refused, with its line.
    for (from, to, key) in [
        ("namespace: \"prod-b\"", "namespace: 0x1f", "releases[2].namespace must be a string"),
        ("kubeContext: \"b\"", "kubeContext: 0x10", "releases[2].kubeContext must be a string"),
    ] {
        let path = first.path().join("d/helmfile.yaml");
        let kept = fs::read_to_string(&path).expect("helmfile");
        edit(&path, from, to);
        Test::new()
            .tree(first.path())
            .args(["init", "--yes", "--out", "d"])
            .status(2)
            .stderr_matches(r"d/helmfile\.yaml:\d+")
            .stderr_contains(key)
            .unchanged()
            .run();
        fs::write(&path, kept).expect("restore");
    }
    // Two releases in one namespace of one cluster would overwrite each other's Secrets.
    let path = first.path().join("d/helmfile.yaml");
    let kept = fs::read_to_string(&path).expect("helmfile");
    edit(&path, "namespace: \"prod-b\"", "namespace: \"org-a\"");
    edit(&path, "kubeContext: \"b\"", "kubeContext: \"a\"");
    Test::new()
        .tree(first.path())
        .args(["init", "--yes", "--out", "d"])
        .status(2)
        .stderr_contains("a and b are deployed in the namespace org-a of the cluster a")
        .unchanged()
        .run();
    fs::write(&path, kept).expect("restore");
    let again = Test::new().tree(first.path()).args(["init", "--yes", "--out", "d"]).run();
    assert!(again.read("d/orchestrator-tls-cacert-b.yaml").contains("\n  namespace: prod-b\n"));
    assert!(again
        .read("d/NEXT-STEPS.md")
        .contains("--namespace prod-b -f orchestrator-tls-cacert-b.yaml"));
}

// Finding: a right-to-left letter or digit (Hebrew, Arabic) in a context reached NEXT-STEPS.md,
// where the bidirectional algorithm reorders the blanks, dashes and digits around it: the
// command a user copies displays as other text than it runs.

#[test]
fn right_to_left_letters_in_a_context_are_refused() {
    for context in ["prod-\u{5d0}\u{5d1}", "\u{627}\u{644}-1", "ctx-\u{661}\u{662}", "\u{710}x"] {
        let flag = format!("a={context}");
        Test::new()
            .args(["init", "a", "b", "--yes", "--no-tls", "--out", "w", "--context", &flag])
            .status(2)
            .stderr_contains(&format!("--context {flag}"))
            .stderr_contains("a context name holds no right-to-left letter or digit")
            .unchanged()
            .run();
    }

    let first = deployment(&["a", "b"], false);
    for to in ["kubeContext: \"prod-\u{5d0}-1\"", "kubeContext: \"b-\u{660}\""] {
        let t = Test::new().tree(first.path());
        edit(&t.path().join("d/helmfile.yaml"), "kubeContext: \"b\"", to);
        t.args(["init", "--yes", "--out", "d"])
            .status(2)
            .stderr_matches(r"d/helmfile\.yaml:\d+:\d+")
            .stderr_contains("releases[2].kubeContext")
            .stderr_contains("a right-to-left letter or digit")
            .unchanged()
            .run();
    }
}

#[test]
fn a_dry_run_of_init_leaves_even_the_directory_as_it_was() {
    // Nothing is created and removed again in --out either (its modification time stays), so
    // a dry run killed at any moment leaves nothing behind.
    let first = deployment(&["a", "b"], true);
    Test::new()
        .tree(first.path())
        .args(["init", "--yes", "--tls", "--dry-run", "--out", "d", "a", "b", "c"])
        .stdout_contains("dry run: none of these changes was written")
        .unchanged()
        .run();
}

#[test]
fn credentials_in_an_address_are_never_shown() {
    // An operator wrote user info in server.defaultDomain: refused where it matters, and
    // never printed, by init run again, its dry run, or check values.
    let first = deployment(&["a", "b"], false);
    let path = first.path().join("d/backend-a-values.yaml");
    let text = fs::read_to_string(&path).expect("values");
    let domain = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("defaultDomain: "))
        .expect("defaultDomain")
        .to_string();
    let password = "Sup3rSecretPw";
    let host = domain.split("://").nth(1).expect("a scheme").to_string();
    // However the address is written: a URL, without a scheme, with one slash.
    for with in [
        domain.replacen("://", &format!("://admin:{password}@"), 1),
        format!("admin:{password}@{host}"),
        format!("http:/admin:{password}@{host}"),
        // A `?` in the password: no part of it is taken for a query to show.
        format!("https://admin:Sup3r?{password}@{host}"),
    ] {
        fs::write(&path, text.replace(&domain, &with)).expect("write");
        for args in [
            &["init", "--yes", "--no-tls", "--dry-run", "--out", "d", "a", "b"][..],
            &["check", "values", "--dir", "d", "-o", "json"],
            &["check", "values", "--dir", "d"],
        ] {
            Test::new()
                .tree(first.path())
                .args(args)
                .status_in(&[0, 1, 2])
                .never_shows(password)
                .never_shows("Sup3r")
                .run();
        }
    }
}

#[test]
fn kept_helmfile_values_reach_next_steps_as_written() {
    // A kube context named as kubeadm names them (with an @), and a chart version written as
    // a bare number, which helmfile reads as the text written (`26.150`, not `26.15`).
    let first = deployment(&["a", "b"], false);
    let path = first.path().join("d/helmfile.yaml");
    edit(&path, "kubeContext: \"a\"", "kubeContext: \"kubernetes-admin@kubernetes\"");
    edit(
        &path,
        "version: \"26.15.3\"\n    kubeContext: \"b\"",
        "version: 26.150\n    kubeContext: \"b\"",
    );
    let out = Test::new()
        .tree(first.path())
        .args(["init", "--yes", "--no-tls", "--out", "d", "a", "b"])
        .stdout_contains("releases[2].version is 26.150")
        .run();
    let steps = out.read("d/NEXT-STEPS.md");
    assert!(
        steps.contains("--kube-context kubernetes-admin@kubernetes --namespace org-a"),
        "{steps}"
    );
    assert!(steps.contains("--version 26.150 --kube-context b"), "{steps}");
    // check values names the version as written too.
    let out = out
        .then()
        .args(["check", "values", "--dir", "d"])
        .status_in(&[0, 1])
        .stdout_contains("substra/substra-backend version 26.150;")
        .stdout_lacks("26.15;")
        .run();
    // Through an alias, the text is the anchor's; under a tag, it is not guessed.
    let path = out.path().join("d/helmfile.yaml");
    edit(&path, "version: 26.150", "version: *v");
    edit(&path, "repositories:", "x: &v 26.150\nrepositories:");
    let out = out
        .then()
        .args(["init", "--yes", "--no-tls", "--out", "d", "a", "b"])
        .stdout_contains("releases[2].version is 26.150")
        .run();
    assert!(out.read("d/NEXT-STEPS.md").contains("--version 26.150 --kube-context b"));
    let path = out.path().join("d/helmfile.yaml");
    edit(&path, "x: &v 26.150", "x: &v !!float 26.150");
    out.then()
        .args(["init", "--yes", "--no-tls", "--out", "d", "a", "b"])
        .status(2)
        .stderr_contains("releases[2].version is written under a tag")
        .unchanged()
        .run();
}

// Noticed in a later pass: `--channel c1 --channel c1` listed c1 twice in every backend file.
#[test]
fn a_channel_named_twice_is_one_channel() {
    let out = Test::new()
        .args(["init", "a", "b", "--channel", "c1", "--channel", "c1", "--channel", "c2"])
        .args(["--no-tls", "--yes", "--out", "d"])
        .run();
    let a = out.read("d/backend-a-values.yaml");
    assert_eq!(a.matches("- c1:").count(), 1, "{a}");
    assert!(out.read("d/orchestrator-values.yaml").contains(
        "channels: [{name: c1, organizations: [a, b]}, {name: c2, organizations: [a, b]}]"
    ));
    Test::new().tree(out.path()).args(["check", "values", "--dir", "d"]).run();
}

// Finding (a later pass): an organization whose file lists no channel (`channels: []`) was
// left out of every channel by a run again, which said nothing to change while `check values`
// failed; one side of a membership (the organization's file only) is made whole, as a pair.
#[test]
fn init_again_puts_back_a_membership_only_one_side_lists() {
    let first = deployment(&["ingen", "biotec", "tyrell"], false);
    let d = first.path().join("d");
    edit(
        &d.join("orchestrator-values.yaml"),
        "organizations: [ingen, biotec, tyrell]",
        "organizations: [ingen]",
    );
    edit(
        &d.join("backend-tyrell-values.yaml"),
        "  channels:\n    - our-channel: {restricted: false, model_export_enabled: false}\n",
        "  channels: []\n",
    );
    let again = Test::new().tree(first.path()).args(["init", "--yes", "--out", "d"]).run();
    assert!(again
        .read("d/orchestrator-values.yaml")
        .contains("organizations: [ingen, biotec, tyrell]"));
    assert!(again.read("d/backend-tyrell-values.yaml").contains("- our-channel:"));
    Test::new().tree(again.path()).args(["check", "values", "--dir", "d"]).run();
}

// Noticed in a later pass: a helmfile.yaml of several documents was refused as "a values file".
#[test]
fn a_helmfile_of_several_documents_is_edited_in_the_document_of_its_releases() {
    // helmfile's layers: environments first, the releases, then another layer. init adds an
    // organization's release to the releases' document; the other documents keep their bytes.
    let first = deployment(&["a", "b"], false);
    let helmfile = first.path().join("d/helmfile.yaml");
    let made = fs::read_to_string(&helmfile).expect("helmfile");
    let before = "# layers\nenvironments:\n  default:\n    values:\n      - env.yaml\n---\n";
    let after = "---   # the last layer\r\nhelmDefaults:\n  wait: true\n";
    fs::write(&helmfile, format!("{before}{made}{after}")).expect("write");
    let second = Test::new().tree(first.path()).args(["init", "c", "--yes", "--out", "d"]).run();
    let text = second.read("d/helmfile.yaml");
    let releases = text
        .strip_prefix(before)
        .and_then(|rest| rest.strip_suffix(after))
        .unwrap_or_else(|| panic!("the other documents changed:\n{text}"));
    assert!(releases.starts_with(&made), "the releases kept:\n{releases}");
    assert!(releases.contains("  - name: \"backend\"\n    namespace: \"org-c\"\n"), "{releases}");
    assert!(second.read("d/NEXT-STEPS.md").contains("org-c"));
    // Run again: nothing to change.
    let third = second.then().args(["init", "--yes", "--out", "d"]).run();
    assert_eq!(third.read("d/helmfile.yaml"), text);
    // check values reads the releases' document, and names the file's line.
    edit(&third.path().join("d/helmfile.yaml"), "version: \"26.15.3\"", "version: \"26.14.0\"");
    let edited = third.read("d/helmfile.yaml");
    let lines: Vec<&str> = edited.lines().collect();
    let version = lines.iter().position(|l| l.contains("26.14.0")).expect("the version");
    let item = (0..version).rev().find(|&i| lines[i].starts_with("  - ")).expect("its release");
    third
        .then()
        .args(["check", "values", "--dir", "d"])
        .stdout_contains(&format!(
            "d/helmfile.yaml:{}: release backend uses substra/substra-backend version 26.14.0",
            item + 1
        ))
        .run();
}

#[test]
fn a_helmfile_whose_documents_init_cannot_tell_apart_is_refused_at_a_line() {
    let first = deployment(&["a", "b"], false);
    let helmfile = first.path().join("d/helmfile.yaml");
    let made = fs::read_to_string(&helmfile).expect("helmfile");
    // Releases in two documents: which one gets a new release is not init's to guess.
    fs::write(&helmfile, format!("releases: []\n---\n{made}")).expect("write");
    let line = 3 + made.lines().position(|l| l.starts_with("releases:")).expect("releases");
    Test::new()
        .tree(first.path())
        .args(["init", "c", "--yes", "--out", "d"])
        .status(2)
        .stderr_contains(&format!("d/helmfile.yaml:{line}:"))
        .stderr_contains(&format!("releases is in two documents of this file (lines 1 and {line})"))
        .unchanged()
        .run();
    // A document that starts on its `---` line is read as the file of several documents
    // it is, and refused in those words.
    fs::write(&helmfile, format!("environments: {{}}\n--- {{releases: []}}\n{made}"))
        .expect("write");
    Test::new()
        .tree(first.path())
        .args(["init", "--yes", "--out", "d"])
        .status(2)
        .stderr_contains("d/helmfile.yaml:")
        .stderr_contains(
            "substractl reads and edits files of one YAML document, and this one has several (a second `---`)",
        )
        .unchanged()
        .run();
}

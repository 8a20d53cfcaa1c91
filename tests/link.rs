//! `substractl link` and `unlink` through the real binary, on the charts' real values files.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;

use saphyr::{LoadableYamlNode, Yaml};

use crate::support::{backend_chart_values, orchestrator_chart_values, Test};

/// A directory of values files for one test.
pub struct Deploy {
    pub dir: tempfile::TempDir,
}

impl Deploy {
    pub fn new() -> Deploy {
        Deploy { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// A backend values file for `org`, written as given.
    pub fn with(self, org: &str, text: &str) -> Deploy {
        fs::write(self.path(org), text).expect("write fixture");
        fs::set_permissions(self.path(org), fs::Permissions::from_mode(0o644)).expect("chmod");
        self
    }

    /// The chart's full default values with the organization's own MSP ID.
    pub fn with_chart(self, org: &str) -> Deploy {
        let text = chart_for(org);
        self.with(org, &text)
    }

    pub fn path(&self, org: &str) -> std::path::PathBuf {
        self.dir.path().join(format!("backend-{org}-values.yaml"))
    }

    pub fn read(&self, org: &str) -> String {
        fs::read_to_string(self.path(org)).expect("read values")
    }

    /// A run of substractl in the directory.
    pub fn cmd(&self) -> Test {
        Test::in_dir(self.dir.path())
    }

    /// Every file of the directory with its bytes and modification time.
    pub fn snapshot(&self) -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
        fs::read_dir(self.dir.path())
            .expect("list")
            .map(|e| {
                let e = e.expect("entry");
                let meta = e.metadata().expect("meta");
                let bytes = fs::read(e.path()).unwrap_or_default();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    (bytes, meta.modified().expect("mtime")),
                )
            })
            .collect()
    }
}

pub fn chart_for(org: &str) -> String {
    backend_chart_values().replace("  mspID: OwkinPeerMSP\n", &format!("  mspID: {org}\n"))
}

/// One organization list as read by an independent parser: (name, secret, has channel).
pub fn list(text: &str, key: &str) -> Vec<(String, String, bool)> {
    let docs = Yaml::load_from_str(text).expect("output is valid YAML for saphyr");
    let doc = &docs[0];
    let Some(seq) = doc.as_mapping_get("addAccountOperator").and_then(|a| a.as_mapping_get(key))
    else {
        return Vec::new();
    };
    seq.as_sequence()
        .map(|items| {
            items
                .iter()
                .map(|item| {
                    let s = |k| {
                        item.as_mapping_get(k).and_then(|v| v.as_str()).unwrap_or("").to_string()
                    };
                    (s("name"), s("secret"), item.as_mapping_get("channel").is_some())
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Checks the pairing rule for every ordered pair among `orgs` (MSP ID = name).
pub fn assert_mesh(deploy: &Deploy, orgs: &[&str]) {
    for server in orgs {
        let inc = list(&deploy.read(server), "incomingOrganizations");
        for client in orgs {
            let out = list(&deploy.read(client), "outgoingOrganizations");
            let i: Vec<_> = inc.iter().filter(|e| e.0 == *client).collect();
            let o: Vec<_> = out.iter().filter(|e| e.0 == *server).collect();
            assert_eq!(i.len(), 1, "{server} incoming {client}: {inc:?}");
            assert_eq!(o.len(), 1, "{client} outgoing {server}: {out:?}");
            assert_eq!(i[0].1, o[0].1, "secret of {server} <- {client}");
            assert!(!i[0].2 && !o[0].2, "no channel key on {server} <- {client}");
            assert!(!i[0].1.is_empty() && !i[0].1.contains(char::is_whitespace));
        }
    }
}

fn all_secrets(deploy: &Deploy, orgs: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for org in orgs {
        let text = deploy.read(org);
        for key in ["incomingOrganizations", "outgoingOrganizations"] {
            out.extend(list(&text, key).into_iter().map(|e| e.1));
        }
    }
    out
}

fn actions(json: &serde_json::Value) -> Vec<(String, String, String)> {
    json["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .map(|p| {
            let s = |k: &str| p[k].as_str().unwrap_or_default().to_string();
            (s("server"), s("client"), s("action"))
        })
        .collect()
}

#[test]
fn links_chart_values_touching_only_the_lists() {
    let d = Deploy::new().with_chart("ingen").with_chart("biotechnica");
    let before = d.read("ingen");
    let out = d.cmd().args(["link", "ingen", "biotechnica", "-o", "json"]).run();
    let json = out.json();
    assert_eq!(actions(&json).len(), 4);
    assert!(actions(&json).iter().all(|a| a.2 == "created"));
    assert_mesh(&d, &["ingen", "biotechnica"]);

    // Removing what link added gives back the original bytes.
    let after = d.read("ingen");
    let mut restored = String::new();
    let mut lines = after.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.starts_with("outgoingOrganizations:") || t.starts_with("incomingOrganizations:") {
            restored.push_str(&line.replace(':', ": []"));
            while lines.peek().is_some_and(|l| {
                let l = l.trim_start();
                l.starts_with("- name:") || l.starts_with("secret:")
            }) {
                lines.next();
            }
        } else {
            restored.push_str(line);
        }
    }
    assert_eq!(restored, before);
}

#[test]
fn second_run_changes_nothing_and_keeps_every_pair() {
    let d = Deploy::new().with_chart("ingen");
    d.cmd().args(["link", "ingen", "biotechnica", "tyrell", "--create"]).run();
    let snap = d.snapshot();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let out = d.cmd().args(["link", "ingen", "biotechnica", "tyrell", "-o", "json"]).run();
    let json = out.json();
    assert_eq!(actions(&json).len(), 9);
    assert!(actions(&json).iter().all(|a| a.2 == "kept"), "{json}");
    assert!(json["files"].as_array().expect("files").iter().all(|f| f["status"] == "unchanged"));
    assert_eq!(d.snapshot(), snap, "a second run must not touch any file");
}

#[test]
fn new_files_are_private_and_say_what_they_hold() {
    let d = Deploy::new();
    d.cmd().args(["link", "ingen", "biotechnica"]).run();
    for org in ["ingen", "biotechnica"] {
        let mode = fs::metadata(d.path(org)).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{org}");
        let text = d.read(org);
        assert!(text.starts_with("# Backend values for"), "{text}");
        assert!(text.contains("holds secrets"));
        let docs = Yaml::load_from_str(&text).expect("yaml");
        assert_eq!(docs[0].as_mapping_get("organizationName").and_then(|v| v.as_str()), Some(org));
    }
    assert_mesh(&d, &["ingen", "biotechnica"]);
    // No temporary files are left behind.
    assert_eq!(d.snapshot().len(), 2);
}

#[test]
fn no_secret_reaches_the_terminal() {
    let d = Deploy::new().with_chart("ingen");
    let mut outputs = Vec::new();
    for args in [
        vec!["link", "ingen", "biotechnica", "--create"],
        vec!["link", "ingen", "biotechnica", "--rotate", "-o", "json"],
        vec!["link", "ingen", "biotechnica", "tyrell", "--dry-run", "--create"],
        vec!["link", "ingen", "biotechnica", "tyrell", "--dry-run", "--create", "-o", "json"],
        vec!["unlink", "ingen", "biotechnica", "--dry-run"],
    ] {
        let out = d.cmd().args(&args).run();
        outputs.push(out);
    }
    let secrets = all_secrets(&d, &["ingen", "biotechnica"]);
    assert!(secrets.len() >= 8);
    for o in &outputs {
        let text = format!("{}{}", o.stdout, o.stderr);
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "a secret was printed:\n{text}");
        }
    }
    // The dry run showed a diff with masked secrets.
    let dry = &outputs[2].stdout;
    assert!(dry.contains("+    - name: tyrell") && dry.contains("secret: <new secret #"), "{dry}");
}

#[test]
fn a_dry_run_masks_every_credential_of_the_values_files() {
    for creds in crate::support::chart_credentials() {
        let ingen = format!(
            "organizationName: ingen\norchestrator:\n  mspID: ingen\n{}addAccountOperator:\n\
             \x20 incomingOrganizations: []\n  outgoingOrganizations: []\n{}",
            creds.before, creds.after
        );
        let test = |args: &[&str]| {
            let test = Test::new()
                .file("backend-ingen-values.yaml", &ingen)
                .file(
                    "backend-biotechnica-values.yaml",
                    "organizationName: biotechnica\norchestrator:\n  mspID: biotechnica\n",
                )
                .args(args);
            creds.values.iter().fold(test, |t, v| t.never_shows(v)).unchanged()
        };
        // The lists the run changes are shown, and the credentials around them are labelled.
        test(&["link", "ingen", "biotechnica", "--dry-run"])
            .stdout_contains("+    - name: biotechnica\n")
            .stdout_contains("rootPassword: <credential, unchanged>")
            .stdout_contains("+    - name: biotechnica\n+      secret: <new secret #")
            .run();
        let out = test(&["link", "ingen", "biotechnica", "--dry-run", "-o", "json"]).run();
        let diffs: String = out.json()["files"]
            .as_array()
            .expect("files")
            .iter()
            .filter_map(|f| f["diff"].as_str())
            .collect();
        assert!(diffs.contains("+    - name: biotechnica\n"), "{diffs}");
        assert!(diffs.contains("rootPassword: <credential, unchanged>"), "{diffs}");
    }
}

#[test]
fn dry_run_writes_nothing() {
    Test::new()
        .file("backend-ingen-values.yaml", &chart_for("ingen"))
        .mode("backend-ingen-values.yaml", 0o644)
        .args(["link", "ingen", "biotechnica", "--dry-run", "--channel", "c", "--create"])
        .stdout_contains("dry run: none of these changes was written")
        .stdout_contains("+++ b/orchestrator-values.yaml")
        .unchanged()
        .run();
}

#[test]
fn several_readable_files_are_warned_about_in_two_lines() {
    let out = Test::new()
        .file("backend-ingen-values.yaml", &chart_for("ingen"))
        .mode("backend-ingen-values.yaml", 0o644)
        .file("backend-tyrell-values.yaml", &chart_for("tyrell"))
        .mode("backend-tyrell-values.yaml", 0o644)
        .args(["link", "ingen", "tyrell"])
        .stderr_contains("1 more files that hold secrets can be read by other users")
        .run();
    assert!(!out.stderr.contains("\\n"), "{}", out.stderr);
}

#[test]
fn repairs_the_guides_channel_key_and_one_sided_pairs() {
    // As the guide writes it: `channel` on incoming entries, one secret per direction, no self pairs.
    // (The secrets are long ones: the guide's placeholders themselves are replaced, see below.)
    let s21 = strong("Org2Org1");
    let ingen = format!("addAccountOperator:\n  users: []\n  incomingOrganizations:\n    - name: biotechnica\n      secret: SECRET_ORG1_ORG2\n      channel: our-channel\n  outgoingOrganizations:\n    - name: biotechnica\n      secret: {s21}\norchestrator:\n  mspID: ingen\n");
    let bio = format!("addAccountOperator:\n  users: []\n  incomingOrganizations:\n    - name: ingen\n      secret: {s21}\n      channel: our-channel\n  outgoingOrganizations:\n    - name: ingen\n      secret: WRONG\norchestrator:\n  mspID: biotechnica\n");
    let d = Deploy::new().with("ingen", &ingen).with("biotechnica", &bio);
    let out = d.cmd().args(["link", "ingen", "biotechnica", "-o", "json"]).run();
    let json = out.json();
    let find = |s: &str, c: &str| {
        json["pairs"]
            .as_array()
            .expect("pairs")
            .iter()
            .find(|p| p["server"] == s && p["client"] == c)
            .cloned()
            .expect("pair")
    };
    // biotechnica serves ingen: both sides agree, only the channel key is wrong: secret kept.
    let p = find("biotechnica", "ingen");
    assert_eq!(p["action"], "repaired");
    assert!(p["reason"].as_str().expect("reason").contains("channel"), "{p}");
    // ingen serves biotechnica: the sides disagree: a fresh secret.
    let p = find("ingen", "biotechnica");
    assert_eq!(p["action"], "repaired");
    assert!(p["reason"].as_str().expect("reason").contains("different secrets"), "{p}");
    assert_eq!(find("ingen", "ingen")["action"], "created");
    assert_mesh(&d, &["ingen", "biotechnica"]);
    let inc = list(&d.read("biotechnica"), "incomingOrganizations");
    assert_eq!(inc[0], ("ingen".into(), s21, false));
    assert!(!d.read("biotechnica").contains("WRONG"));
    assert!(d.read("ingen").starts_with("addAccountOperator:\n  users: []\n"));
}

#[test]
fn flow_styles_are_edited_in_their_own_style() {
    let ingen = "organizationName: ingen\norchestrator:\n  mspID: ingen\naddAccountOperator:\n  incomingOrganizations:\n    - { name: other, secret: keepme1 }\n  outgoingOrganizations: [{name: other, secret: keepme2}]\n  existingSecret: \"\"\n";
    let d = Deploy::new().with("ingen", ingen);
    d.cmd().args(["link", "ingen", "biotechnica", "--create"]).run();
    let text = d.read("ingen");
    assert!(
        text.contains("    - { name: other, secret: keepme1 }\n    - { name: ingen, secret: "),
        "{text}"
    );
    assert!(
        text.contains(
            "  outgoingOrganizations: [{name: other, secret: keepme2}, {name: ingen, secret: "
        ),
        "{text}"
    );
    assert!(text.ends_with("  existingSecret: \"\"\n"));
    assert_mesh(&d, &["ingen", "biotechnica"]);
}

#[test]
fn entries_of_other_organizations_are_never_removed() {
    let d = Deploy::new().with_chart("ingen").with_chart("biotechnica").with_chart("tyrell");
    d.cmd().args(["link", "ingen", "biotechnica", "tyrell"]).run();
    d.cmd().args(["link", "ingen", "biotechnica"]).run();
    assert_mesh(&d, &["ingen", "biotechnica", "tyrell"]);
    let snap = d.snapshot();
    // unlink removes both directions of one pair and nothing else.
    let out = d.cmd().args(["unlink", "ingen", "tyrell", "-o", "json"]).run();
    let json = out.json();
    assert!(actions(&json).iter().all(|a| a.2 == "removed"), "{json}");
    assert_eq!(
        d.snapshot()["backend-biotechnica-values.yaml"],
        snap["backend-biotechnica-values.yaml"]
    );
    for (org, gone) in [("ingen", "tyrell"), ("tyrell", "ingen")] {
        for key in ["incomingOrganizations", "outgoingOrganizations"] {
            let names: Vec<String> = list(&d.read(org), key).into_iter().map(|e| e.0).collect();
            assert!(!names.contains(&gone.to_string()), "{org} {key} {names:?}");
            assert!(names.contains(&org.to_string()) && names.contains(&"biotechnica".to_string()));
        }
    }
    assert_mesh(&d, &["ingen", "biotechnica"]);
    assert_mesh(&d, &["tyrell", "biotechnica"]);
}

#[test]
fn rotate_issues_new_secrets_on_both_sides() {
    let d = Deploy::new();
    d.cmd().args(["link", "a", "b"]).run();
    let before = all_secrets(&d, &["a", "b"]);
    let out = d.cmd().args(["link", "a", "b", "--rotate", "-o", "json"]).run();
    assert!(actions(&out.json()).iter().all(|a| a.2 == "rotated"));
    let after = all_secrets(&d, &["a", "b"]);
    assert!(before.iter().all(|s| !after.contains(s)));
    assert_mesh(&d, &["a", "b"]);
}

#[test]
fn msp_ids_come_from_the_files() {
    let d = Deploy::new().with_chart("ingen");
    let text = chart_for("BioMSP");
    fs::write(d.path("biotechnica"), text).expect("write");
    d.cmd().args(["link", "ingen", "biotechnica"]).run();
    let inc = list(&d.read("ingen"), "incomingOrganizations");
    assert!(inc.iter().any(|e| e.0 == "BioMSP"), "{inc:?}");
    let out = list(&d.read("biotechnica"), "outgoingOrganizations");
    assert!(out.iter().any(|e| e.0 == "ingen"));
}

#[test]
fn two_files_with_the_charts_default_msp_id_are_refused() {
    let chart = backend_chart_values();
    let d = Deploy::new().with("ingen", &chart).with("biotechnica", &chart);
    let snap = d.snapshot();
    d.cmd().args(["link", "ingen", "biotechnica"]).status(2).stderr_contains("backend-ingen-values.yaml and backend-biotechnica-values.yaml both have the MSP ID OwkinPeerMSP").stderr_contains("chart's default").run();
    assert_eq!(d.snapshot(), snap);
}

#[test]
fn channel_is_added_to_the_orchestrator_and_every_backend() {
    let d = Deploy::new().with_chart("ingen").with_chart("biotechnica");
    fs::write(d.dir.path().join("orchestrator-values.yaml"), orchestrator_chart_values())
        .expect("write");
    d.cmd().args(["link", "ingen", "biotechnica", "--channel", "our-channel"]).run();
    let orch = fs::read_to_string(d.dir.path().join("orchestrator-values.yaml")).expect("read");
    let docs = Yaml::load_from_str(&orch).expect("yaml");
    let channels =
        docs[0].as_mapping_get("channels").and_then(|c| c.as_sequence()).expect("channels");
    assert_eq!(channels.len(), 1);
    let orgs: Vec<&str> = channels[0]
        .as_mapping_get("organizations")
        .and_then(|o| o.as_sequence())
        .expect("orgs")
        .iter()
        .filter_map(|o| o.as_str())
        .collect();
    assert_eq!(orgs, ["ingen", "biotechnica"]);
    // Everything else of the chart's file is still there, in order.
    let original = orchestrator_chart_values();
    assert_eq!(orch.lines().count(), original.lines().count() + 2);
    for org in ["ingen", "biotechnica"] {
        let text = d.read(org);
        assert!(text.contains(
            "    - mychannel:\n        restricted: false\n        model_export_enabled: false\n"
        ));
        assert!(
            text.contains("    - our-channel: {restricted: false, model_export_enabled: false}\n"),
            "{text}"
        );
    }
    // A new member joins the channel without duplicating anyone.
    d.cmd()
        .args(["link", "ingen", "biotechnica", "tyrell", "--channel", "our-channel", "--create"])
        .run();
    let orch = fs::read_to_string(d.dir.path().join("orchestrator-values.yaml")).expect("read");
    assert!(orch.contains("organizations: [ingen, biotechnica, tyrell]"), "{orch}");
}

#[test]
fn a_symlink_is_followed_and_its_target_replaced() {
    let d = Deploy::new();
    let real = d.dir.path().join("real.yaml");
    fs::write(&real, chart_for("ingen")).expect("write");
    fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).expect("chmod");
    std::os::unix::fs::symlink("real.yaml", d.path("ingen")).expect("symlink");
    d.cmd().args(["link", "ingen"]).stderr_contains("other users can read it (mode 0640)").run();
    assert!(fs::symlink_metadata(d.path("ingen")).expect("meta").file_type().is_symlink());
    assert_eq!(fs::metadata(&real).expect("meta").permissions().mode() & 0o777, 0o640);
    assert_eq!(list(&fs::read_to_string(&real).expect("read"), "incomingOrganizations").len(), 1);
}

#[test]
fn concurrent_runs_do_not_lose_each_others_pairs() {
    let d = Deploy::new().with_chart("hub");
    let children: Vec<_> = ["a", "b", "c", "d", "e", "f"]
        .iter()
        .map(|org| d.cmd().args(["link", "hub", org, "--create", "-o", "json"]).spawn())
        .collect();
    for c in children {
        c.wait();
    }
    let names: Vec<String> =
        list(&d.read("hub"), "incomingOrganizations").into_iter().map(|e| e.0).collect();
    for org in ["hub", "a", "b", "c", "d", "e", "f"] {
        assert_eq!(names.iter().filter(|n| *n == org).count(), 1, "{names:?}");
    }
    for org in ["a", "b", "c", "d", "e", "f"] {
        assert_mesh(&d, &["hub", org]);
    }
}

#[test]
fn next_steps_name_the_helm_upgrade_of_each_changed_file() {
    let d = Deploy::new();
    d.cmd().args(["link", "ingen", "biotechnica", "--release", "backend", "--namespace", "org-1", "--chart-version", "26.15.3"]).stdout_contains("helm upgrade backend --namespace org-1 substra/substra-backend --version 26.15.3 --values backend-ingen-values.yaml",).run();
    d.cmd().args(["link", "ingen", "biotechnica"]).stdout_lacks("helm upgrade").run();
}

/// Bad input: a clear error naming the file or the name, exit 2, nothing changed on disk.
fn refused(d: &Deploy, args: &[&str], message: &str) {
    let snap = d.snapshot();
    d.cmd().args(args).status(2).stderr_contains(message).stdout("").run();
    assert_eq!(d.snapshot(), snap, "nothing may change after: {args:?}");
}

#[test]
fn malformed_files_are_refused_before_anything_is_written() {
    let d = Deploy::new().with_chart("ingen").with(
        "bad",
        "organizationName: bad\naddAccountOperator:\n  incomingOrganizations: [\n  users: x\n",
    );
    let err = d.cmd().args(["link", "ingen", "bad"]).status(2).run().stderr;
    assert!(err.starts_with("substractl: error: "), "{err}");
    assert!(err.contains("backend-bad-values.yaml:"), "{err}");
    let d = Deploy::new().with_chart("ingen").with("bad", "a: 1\n  b: 2\n");
    refused(
        &d,
        &["link", "ingen", "bad"],
        "backend-bad-values.yaml:2:4: mapping values are not allowed",
    );
    let d = Deploy::new().with_chart("ingen").with("bad", "- just\n- a list\n");
    refused(
        &d,
        &["link", "ingen", "bad"],
        "backend-bad-values.yaml:1:1: the top level of a values file must be a mapping",
    );
    let d = Deploy::new().with_chart("ingen").with("bad", "addAccountOperator: [1]\n");
    refused(
        &d,
        &["link", "ingen", "bad"],
        "backend-bad-values.yaml:1:21: addAccountOperator must be a mapping, not a list",
    );
    let d = Deploy::new()
        .with_chart("ingen")
        .with("bad", "addAccountOperator:\n  outgoingOrganizations: {a: b}\n");
    refused(&d, &["link", "ingen", "bad"], "backend-bad-values.yaml:2:26: addAccountOperator.outgoingOrganizations must be a list, not a mapping");
    let d = Deploy::new()
        .with_chart("ingen")
        .with("bad", "addAccountOperator:\n  incomingOrganizations:\n    - just-a-name\n");
    refused(&d, &["link", "ingen", "bad"], "backend-bad-values.yaml:3:5: each entry of addAccountOperator.incomingOrganizations must be a mapping");
    let d = Deploy::new().with_chart("ingen").with("bad", "orchestrator:\n  mspID: has space\n");
    refused(&d, &["link", "ingen", "bad"], "backend-bad-values.yaml:2: orchestrator.mspID: organization name \"has space\" contains whitespace");
    let d = Deploy::new().with_chart("ingen");
    fs::write(d.path("bad"), b"organizationName: caf\xe9\n").expect("write");
    refused(
        &d,
        &["link", "ingen", "bad"],
        "backend-bad-values.yaml:1: the file is not valid UTF-8",
    );
}

#[test]
fn bad_names_and_places_are_refused() {
    let d = Deploy::new().with_chart("ingen");
    refused(&d, &["link", "ingen", ""], "an organization name cannot be empty");
    refused(&d, &["link", "ingen", "a b"], "contains whitespace");
    refused(&d, &["link", "ingen", "../etc"], "contains a path separator");
    refused(&d, &["link", "ingen", ".hidden"], "starts with a dot");
    refused(&d, &["link", "ingen", &"x".repeat(65)], "longer than 64 characters");
    refused(&d, &["link", "ingen", "ingen"], "organization \"ingen\" is named twice");
    refused(&d, &["unlink", "ingen", "b", "--dir", "nowhere"], "directory nowhere does not exist");
    refused(&d, &["link", "ingen", "--values-pattern", "values.yaml"], "must contain {org}");
    refused(&d, &["unlink", "ingen", "ghost"], "backend-ghost-values.yaml does not exist");
    refused(&d, &["link", "ingen", "--channel", "a b"], "channel name");
}

#[test]
fn an_unwritable_directory_is_refused() {
    let d = Deploy::new().with_chart("ingen");
    fs::set_permissions(d.path("ingen"), fs::Permissions::from_mode(0o644)).expect("chmod");
    fs::set_permissions(d.dir.path(), fs::Permissions::from_mode(0o555)).expect("chmod");
    let snap = d.snapshot();
    // root writes anywhere: run as an unprivileged user when the tests run as root.
    d.cmd()
        .user(65534)
        .args(["link", "ingen", "biotechnica", "--create"])
        .status(2)
        .stderr_contains("cannot write in")
        .run();
    assert_eq!(d.snapshot(), snap);
    fs::set_permissions(d.dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
    refused(&d, &["link", "ingen", "--dir", "backend-ingen-values.yaml"], "is not a directory");
}

#[test]
fn link_table_lists_pairs_files_and_next_steps() {
    let d = Deploy::new();
    let out = d.cmd().args(["link", "ingen", "biotechnica"]).run().stdout;
    let text = out;
    insta::assert_snapshot!("link_table_two_new_orgs", text);
}

#[test]
fn dry_run_diff_on_the_chart_values() {
    let d = Deploy::new().with_chart("ingen");
    let out = d.cmd().args(["link", "ingen", "--dry-run"]).run().stdout;
    insta::assert_snapshot!("link_dry_run_chart_values", out);
}

#[test]
fn link_creates_a_missing_directory_and_removes_it_again_on_failure() {
    let d = Deploy::new();
    d.cmd()
        .args(["link", "ingen", "biotechnica", "--dir", "deploy"])
        .stderr_contains("created directory deploy")
        .stdout_contains("created  deploy/backend-ingen-values.yaml (mode 0600)")
        .run();
    assert!(d.dir.path().join("deploy/backend-biotechnica-values.yaml").is_file());
    // A dry run creates nothing, not even the directory.
    d.cmd().args(["link", "a", "--dir", "dry", "--dry-run"]).run();
    assert!(!d.dir.path().join("dry").exists());
    // A run that fails leaves no directory behind.
    d.cmd()
        .args([
            "link",
            "a",
            "--dir",
            "fresh",
            "--channel",
            "c",
            "--orchestrator-values",
            "/proc/none/o.yaml",
        ])
        .status(2)
        .stderr_contains("/proc/none/o.yaml")
        .run();
    assert!(!d.dir.path().join("fresh").exists());
}

#[test]
fn json_report_shape_is_stable() {
    let d = Deploy::new().with_chart("ingen");
    let out = d
        .cmd()
        .args([
            "link",
            "ingen",
            "biotechnica",
            "--channel",
            "our-channel",
            "--create",
            "-o",
            "json",
        ])
        .run()
        .stdout;
    insta::assert_snapshot!("link_json_report", out);
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let d = Deploy::new();
    let orgs: Vec<String> = (0..60).map(|i| format!("org{i}")).collect();
    d.cmd().args(["link"]).args(&orgs).args(["--dry-run"]).stdout_closed().stderr("").run();
}

/// A failed check cut short by a closed pipe (`check values | head -1`) still exits 1, so that a
/// script with `set -o pipefail` sees the failure; a passing one exits 0.
#[test]
fn a_closed_pipe_keeps_the_verdict_of_a_check() {
    let d = Deploy::new();
    let orgs: Vec<String> = (0..40).map(|i| format!("org{i}")).collect();
    d.cmd().args(["link"]).args(&orgs).run();
    d.cmd().args(["check", "links"]).stdout_closed().stderr("").run();
    let path = d.path("org0");
    let text = d.read("org0");
    let at = text.find("secret: ").expect("a secret") + "secret: ".len();
    let end = at + text[at..].find('\n').expect("line");
    fs::write(&path, format!("{}short{}", &text[..at], &text[end..])).expect("write");
    for args in [&["check", "links"][..], &["check", "links", "-o", "json"], &["check", "values"]] {
        d.cmd().args(args).stdout_closed().status(1).stderr("").run();
    }
}

#[test]
fn check_links_proves_the_pairing_without_changing_anything() {
    let d = Deploy::new().with_chart("ingen").with_chart("biotechnica");
    let snap = d.snapshot();
    // Unpaired on both sides: not linked, which is not a problem (it may be on purpose).
    d.cmd()
        .args(["check", "links"])
        .stdout_contains("0 of 4 ordered pairs are paired")
        .stdout_contains("not linked")
        .run();
    assert_eq!(d.snapshot(), snap);
    d.cmd().args(["link", "ingen", "biotechnica"]).run();
    let out = d.cmd().args(["check", "links", "-o", "json"]).run();
    let json = out.json();
    assert_eq!(json["ok"], true);
    assert_eq!(json["pairs"].as_array().map(Vec::len), Some(4));
    // A secret changed by hand on one side is found.
    let text = d.read("biotechnica");
    let secret =
        list(&text, "outgoingOrganizations").into_iter().find(|e| e.0 == "ingen").expect("entry").1;
    fs::write(d.path("biotechnica"), text.replace(&secret, "changed-by-hand")).expect("write");
    let out =
        d.cmd().args(["check", "links", "ingen", "biotechnica", "-o", "json"]).status(1).run();
    let json = out.json();
    let bad: Vec<_> =
        json["pairs"].as_array().expect("pairs").iter().filter(|p| p["ok"] == false).collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(
        (bad[0]["server"].as_str(), bad[0]["client"].as_str()),
        (Some("ingen"), Some("biotechnica"))
    );
    assert_eq!(bad[0]["problem"], "the two sides hold different secrets");
    assert!(!out.stdout.contains(&secret));
    refused(
        &Deploy::new(),
        &["check", "links"],
        "no values file matching backend-{org}-values.yaml",
    );
}

/// A secret of the length link keeps (placeholders and short secrets are replaced).
fn strong(tag: &str) -> String {
    format!("{tag}{}", "k7Q2".repeat(10))
}

#[test]
fn values_are_read_as_helm_reads_them() {
    let s = strong("Tagged");
    let bio = format!(
        "ids:\n  bio: &bioid BioMSP\norchestrator:\n  mspID: !!str BioMSP\naddAccountOperator:\n  outgoingOrganizations:\n    - name: !!str ingen\n      secret: !!str {s}\n"
    );
    let ingen = format!(
        "orchestrator:\n  mspID: ingen\naddAccountOperator:\n  incomingOrganizations:\n    - name: BioMSP\n      secret: \"{s}\"\n"
    );
    let d = Deploy::new().with("ingen", &ingen).with("biotechnica", &bio);
    // The tagged MSP ID is BioMSP for Helm: ingen's entries name biotechnica wrongly elsewhere.
    let out = d.cmd().args(["link", "ingen", "biotechnica", "-o", "json"]).run();
    let json = out.json();
    let kept = actions(&json)
        .into_iter()
        .find(|a| a.0 == "ingen" && a.1 == "BioMSP")
        .expect("pair ingen <- BioMSP");
    assert_eq!(kept.2, "kept", "{json}");
    assert!(d.read("biotechnica").contains(&format!("secret: !!str {s}\n")));
    assert_mesh_ids(&d, &[("ingen", "ingen"), ("biotechnica", "BioMSP")]);

    // An alias resolves to its anchor's value.
    let aliased = bio.replace("mspID: !!str BioMSP", "mspID: *bioid");
    let d = Deploy::new()
        .with("biotechnica", &aliased)
        .with("ingen", "orchestrator:\n  mspID: ingen\n");
    d.cmd().args(["link", "ingen", "biotechnica"]).run();
    assert_mesh_ids(&d, &[("ingen", "ingen"), ("biotechnica", "BioMSP")]);

    // check links sees the IDs Helm sees: entries written for the file name are not a link.
    let bio = "orchestrator:\n  mspID: !!str BioMSP\n";
    let d = Deploy::new().with("biotechnica", bio).with("ingen", "orchestrator:\n  mspID: ingen\n");
    d.cmd().args(["link", "ingen", "biotechnica"]).run();
    let text = d.read("ingen").replace("name: BioMSP", "name: biotechnica");
    fs::write(d.path("ingen"), text).expect("write");
    d.cmd().args(["check", "links"]).status(1).run();

    // What cannot be resolved is refused with file:line.
    let d = Deploy::new().with("ingen", "orchestrator:\n  mspID: [a, b]\n");
    refused(&d, &["link", "ingen"], "backend-ingen-values.yaml:2:");
}

/// The pairing rule with MSP IDs that differ from the file names: (file org, MSP ID).
fn assert_mesh_ids(deploy: &Deploy, orgs: &[(&str, &str)]) {
    for (server, server_id) in orgs {
        let inc = list(&deploy.read(server), "incomingOrganizations");
        for (client, client_id) in orgs {
            let out = list(&deploy.read(client), "outgoingOrganizations");
            let i: Vec<_> = inc.iter().filter(|e| e.0 == *client_id).collect();
            let o: Vec<_> = out.iter().filter(|e| e.0 == *server_id).collect();
            assert_eq!((i.len(), o.len()), (1, 1), "{server} <- {client}: {inc:?} {out:?}");
            assert_eq!(i[0].1, o[0].1, "secret of {server} <- {client}");
        }
    }
}

#[test]
fn multi_line_flow_lists_keep_their_comments() {
    let ingen = "addAccountOperator:\n  incomingOrganizations: [\n    {name: zz, secret: s},  # c1\n    {name: yy, secret: t}  # c2\n  ]\n  outgoingOrganizations: [] \n  users: []\norchestrator:\n  mspID: ingen\n";
    let d = Deploy::new().with("ingen", ingen);
    d.cmd().args(["link", "ingen"]).run();
    let text = d.read("ingen");
    assert!(text.contains("    {name: zz, secret: s},  # c1\n"), "{text}");
    assert!(text.contains("# c2"), "{text}");
    assert!(!text.contains(" \n"), "trailing whitespace moved to another line:\n{text}");
    assert_mesh(&d, &["ingen"]);
}

#[test]
fn cr_only_line_endings_are_refused() {
    let d = Deploy::new().with("ingen", "organizationName: ingen\rorchestrator:\r  mspID: ingen\r");
    refused(&d, &["link", "ingen"], "backend-ingen-values.yaml");
    d.cmd().args(["link", "ingen"]).status(2).stderr_contains("CR").run();
}

#[test]
fn a_huge_file_or_a_fifo_is_refused_by_size_and_type() {
    let d = Deploy::new().with_chart("ingen");
    let big = fs::File::create(d.path("huge")).expect("create");
    big.set_len(100 * 1024 * 1024).expect("sparse file");
    refused(&d, &["link", "ingen", "huge"], "backend-huge-values.yaml is too large");
    d.cmd().args(["link", "ingen", "huge"]).status(2).stderr_contains("8 MiB").run();
    fs::remove_file(d.path("huge")).expect("rm");

    let status =
        std::process::Command::new("mkfifo").arg(d.path("pipe")).status().expect("mkfifo runs");
    assert!(status.success());
    for args in [&["link", "ingen", "pipe"][..], &["check", "links"], &["check", "links", "pipe"]] {
        d.cmd()
            .args(args)
            .timeout(std::time::Duration::from_secs(20))
            .status(2)
            .stderr_contains("backend-pipe-values.yaml is not a regular file")
            .run();
    }
}

#[test]
fn anchored_lists_used_elsewhere_are_refused_up_front() {
    let ingen = "addAccountOperator:\n  incomingOrganizations: &inc\n    - name: other\n      secret: o\n  outgoingOrganizations: []\ncopy: *inc\n";
    let d = Deploy::new().with("ingen", ingen);
    refused(&d, &["link", "ingen"], "backend-ingen-values.yaml:2:");
    d.cmd()
        .args(["link", "ingen"])
        .status(2)
        .stderr_contains("alias")
        .stderr_lacks("please report")
        .run();
    let ingen = "base: &aao\n  incomingOrganizations: []\n  outgoingOrganizations: []\naddAccountOperator: *aao\n";
    let d = Deploy::new().with("ingen", ingen);
    refused(&d, &["link", "ingen"], "backend-ingen-values.yaml:4:");
    // A list written elsewhere is read as Helm reads it: check links sees its entries.
    let d = Deploy::new();
    d.cmd().args(["link", "ingen"]).run();
    let text = d.read("ingen");
    let shared = text
        .replace("addAccountOperator:\n", "shared:\n")
        .replace("\n  incomingOrganizations:\n", "\n  incomingOrganizations: &inc\n")
        + "addAccountOperator:\n  incomingOrganizations: *inc\n  outgoingOrganizations: []\n";
    let shared = shared.replacen("outgoingOrganizations: []", "outgoingOrganizations: *out", 1);
    let shared =
        shared.replace("\n  outgoingOrganizations:\n", "\n  outgoingOrganizations: &out\n");
    fs::write(d.path("ingen"), &shared).expect("write");
    d.cmd().args(["check", "links"]).run();
    d.cmd().args(["link", "ingen"]).run();
    assert_eq!(d.read("ingen"), shared, "nothing to change, nothing written");
    refused(&d, &["link", "ingen", "--rotate"], "is an alias (*inc) of a list written elsewhere");
    let ingen = "addAccountOperator: &aao\n  incomingOrganizations: []\n  outgoingOrganizations: []\nother: *aao\n";
    let d = Deploy::new().with("ingen", ingen);
    refused(&d, &["link", "ingen"], "backend-ingen-values.yaml:1:");
    // An alias after the anchor's name is written again reads the later one: nothing else
    // reads addAccountOperator, which is edited.
    let ingen = "addAccountOperator: &aao\n  incomingOrganizations: []\n  outgoingOrganizations: []\nz: &aao {b: 1}\nother: *aao\n";
    let d = Deploy::new().with("ingen", ingen);
    d.cmd().args(["link", "ingen"]).run();
    assert!(d.read("ingen").ends_with("z: &aao {b: 1}\nother: *aao\n"), "{}", d.read("ingen"));
    assert!(
        d.read("ingen").contains("  incomingOrganizations:\n    - name: "),
        "{}",
        d.read("ingen")
    );
}

#[test]
fn placeholders_from_the_guide_are_flagged_and_replaced() {
    let ingen = "orchestrator:\n  mspID: ingen\naddAccountOperator:\n  incomingOrganizations:\n    - name: biotechnica\n      secret: SECRET_ORG1_ORG2\n  outgoingOrganizations:\n    - name: biotechnica\n      secret: organizationSecret\n";
    let bio = "orchestrator:\n  mspID: biotechnica\naddAccountOperator:\n  incomingOrganizations:\n    - name: ingen\n      secret: organizationSecret\n  outgoingOrganizations:\n    - name: ingen\n      secret: SECRET_ORG1_ORG2\n";
    let d = Deploy::new().with("ingen", ingen).with("biotechnica", bio);
    let out =
        d.cmd().args(["check", "links", "ingen", "biotechnica", "-o", "json"]).status(1).run();
    let json = out.json();
    let pair = |s: &str, c: &str| {
        json["pairs"]
            .as_array()
            .expect("pairs")
            .iter()
            .find(|p| p["server"] == s && p["client"] == c)
            .cloned()
            .expect("pair")
    };
    for (s, c) in [("ingen", "biotechnica"), ("biotechnica", "ingen")] {
        let p = pair(s, c);
        assert_eq!(p["ok"], false, "{p}");
        assert!(p["problem"].as_str().expect("problem").contains("placeholder"), "{p}");
    }
    let out = d.cmd().args(["link", "ingen", "biotechnica", "-o", "json"]).run();
    let json = out.json();
    let fixed: Vec<_> = json["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .filter(|p| p["server"] != p["client"])
        .collect();
    for p in fixed {
        assert_eq!(p["action"], "repaired", "{p}");
        assert!(p["reason"].as_str().expect("reason").contains("placeholder"), "{p}");
    }
    for org in ["ingen", "biotechnica"] {
        let text = d.read(org);
        assert!(!text.contains("SECRET_ORG1_ORG2") && !text.contains("organizationSecret"));
    }
    assert_mesh(&d, &["ingen", "biotechnica"]);
    // A short secret, equal on both sides, is flagged too.
    let text = d.read("ingen");
    let secret = list(&text, "incomingOrganizations")
        .into_iter()
        .find(|e| e.0 == "biotechnica")
        .expect("e")
        .1;
    fs::write(d.path("ingen"), text.replace(&secret, "Short1234")).expect("write");
    let bio = d.read("biotechnica").replace(&secret, "Short1234");
    fs::write(d.path("biotechnica"), bio).expect("write");
    d.cmd().args(["check", "links"]).status(1).stdout_contains("shorter than 32").run();
}

#[test]
fn check_links_does_not_undo_an_unlink() {
    let d = Deploy::new();
    d.cmd().args(["link", "ingen", "biotechnica", "tyrell"]).run();
    d.cmd().args(["unlink", "ingen", "biotechnica"]).run();
    d.cmd().args(["check", "links"]).stdout_lacks("fix:").run();
    // A one-sided pair is still a problem, and the fix names only that pair.
    let text = d.read("ingen");
    let tyrell = list(&text, "outgoingOrganizations").into_iter().find(|e| e.0 == "tyrell");
    let secret = tyrell.expect("ingen outgoing tyrell").1;
    let cut = text.replace(&format!("    - name: tyrell\n      secret: {secret}\n"), "");
    assert_ne!(cut, text);
    fs::write(d.path("ingen"), cut).expect("write");
    d.cmd()
        .args(["check", "links"])
        .status(1)
        .stdout_contains("fix: substractl link ingen tyrell")
        .run();
}

#[test]
fn a_typo_in_an_organization_name_is_refused() {
    let d = Deploy::new();
    d.cmd().args(["link", "ingen", "biotechnica"]).run();
    refused(&d, &["link", "ingen", "biotecnica"], "backend-biotecnica-values.yaml does not exist");
    d.cmd()
        .args(["link", "ingen", "biotecnica"])
        .status(2)
        .stderr_contains("backend-biotechnica-values.yaml")
        .stderr_contains("did you mean biotechnica")
        .stderr_contains("--create")
        .run();
    d.cmd().args(["link", "ingen", "tyrell", "--create"]).run();
    assert!(d.path("tyrell").is_file());
}

/// A key that a merge key `<<` supplies is read as Helm reads it, and never edited through it:
/// writing the key out would replace all that `<<` brings in under it. Each command that would
/// edit such a key is refused with exit 2, the file and line of the `<<`, and nothing changes;
/// the others still run.
#[test]
fn keys_a_merge_key_supplies_are_refused_by_every_editing_command() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/two-orgs");
    let link = &["link", "ingen", "biotechnica", "--channel", "zz"][..];
    let init = &["init", "--yes", "--out", "."][..];
    let init_new = &["init", "ingen", "biotechnica", "newone", "--yes", "--out", "."][..];
    let certs = &[
        "certs",
        "gen",
        // An --out that exists: a missing one is made (to be locked) and removed again.
        "--out",
        ".",
        "--host",
        "h.example",
        "--org",
        "ingen",
        "--values-dir",
        ".",
    ][..];
    let move_ = &["secrets", "move", "ingen"][..];
    let entry = "orchestrator: {mspID: ingen}\naddAccountOperator:\n  incomingOrganizations:\n    - <<: {channel: c}\n      name: biotechnica\n      secret: 0123456789abcdef0123456789abcdef01\n";
    // (document, where the refusal points, what it names, commands refused).
    let table: &[(&str, &str, &str, &[&[&str]])] = &[
        (
            "<<: {orchestrator: {mspID: ingen}}\n",
            ":1:1: ",
            "write orchestrator out in full instead of through `<<`",
            &[link, init, init_new, certs],
        ),
        (
            "<<: [{orchestrator: {mspID: ingen}}, {addAccountOperator: {incomingOrganizations: []}}]\n",
            ":1:1: ",
            "instead of through `<<`",
            &[link, init, init_new, certs, move_],
        ),
        (
            "orchestrator: {mspID: ingen}\n<<: {addAccountOperator: {incomingOrganizations: []}}\n",
            ":2:1: ",
            "write addAccountOperator out in full instead of through `<<`",
            &[link, init, init_new, move_],
        ),
        (
            "orchestrator: {mspID: ingen}\n!!merge <<: {addAccountOperator: {outgoingOrganizations: []}}\n",
            ":2:1: ",
            "write addAccountOperator out in full instead of through `<<`",
            &[link, init, init_new, move_],
        ),
        (
            "orchestrator:\n  <<: {mspID: ingen, tls: {enabled: false}}\n",
            ":2:3: ",
            "write tls out in full instead of through `<<`",
            &[certs],
        ),
        (
            "orchestrator: {mspID: ingen}\naddAccountOperator:\n  <<: {users: [{name: admin, secret: s, channel: c}]}\n",
            ":3:3: ",
            "write users out in full instead of through `<<`",
            &[move_],
        ),
        (entry, ":4:7: ", "write the entry out in full instead of through `<<`", &[link, init]),
    ];
    for (doc, at, says, refused) in table {
        for args in *refused {
            Test::new()
                .tree(&example)
                .file("backend-ingen-values.yaml", doc)
                .args(*args)
                .status(2)
                .stdout("")
                .stderr_contains(&format!("backend-ingen-values.yaml{at}"))
                .stderr_contains(says)
                .stderr_lacks("please report")
                .unchanged()
                .run();
        }
        // Reading keeps working: the values are checked as Helm merges them.
        let out = Test::new()
            .tree(&example)
            .file("backend-ingen-values.yaml", doc)
            .args(["check", "links", "ingen", "biotechnica"])
            .status_in(&[0, 1])
            .unchanged()
            .run();
        assert!(!out.stderr.contains("error"), "{doc}: {}", out.stderr);
    }
    // A merge key that supplies none of the keys edited stays: the edit goes around it.
    let out = Test::new()
        .tree(&example)
        .file("backend-ingen-values.yaml", "orchestrator:\n  <<: {mspID: ingen}\n")
        .args(link)
        .run();
    assert!(out
        .read("backend-ingen-values.yaml")
        .starts_with("orchestrator:\n  <<: {mspID: ingen}\n"));
}

/// Helm's YAML reader (go-yaml v2) reads a plain integer with a leading zero as octal: the MSP ID
/// `0755` the backend gets is 493, and that is the name its partner's file must hold.
#[test]
fn an_msp_id_with_a_leading_zero_is_read_as_helm_reads_it() {
    let out = Test::new()
        .file(
            "backend-ingen-values.yaml",
            "organizationName: ingen\norchestrator:\n  mspID: 0755\n",
        )
        .mode("backend-ingen-values.yaml", 0o600)
        .file(
            "backend-tyrell-values.yaml",
            "organizationName: tyrell\norchestrator:\n  mspID: TyrellMSP\n",
        )
        .mode("backend-tyrell-values.yaml", 0o600)
        .args(["link", "ingen", "tyrell"])
        .status(0)
        .stdout_contains("493")
        .run();
    let tyrell = out.read("backend-tyrell-values.yaml");
    assert!(tyrell.contains("- name: \"493\"\n"), "{tyrell}");
    assert!(!tyrell.contains("755"), "{tyrell}");
}

/// A key written out in a mapping that a merge key `<<` of the same mapping supplies too. Written
/// before it, Helm's reader (go-yaml v2) takes the merged value and substractl's the written one:
/// every command refuses the file at the `<<` line. Written after it, both readers take the
/// written one, but the key is not relied on: link, secrets move and certs gen --values-dir
/// refuse to edit such a key or to rely on it, naming the `<<` line, and change nothing; check
/// values warns about it.
#[test]
fn a_key_written_out_and_supplied_by_a_merge_key_too_is_not_guessed() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/two-orgs");
    let original = fs::read_to_string(example.join("backend-ingen-values.yaml")).expect("read");
    let list = "  incomingOrganizations: []\n";
    let defaults = "defaults: &defaults\n  incomingOrganizations: []\n";
    let msp = "o: &o\n  mspID: MergedMSP\n";
    let link = &["link", "ingen", "biotechnica"][..];
    let move_ = &["secrets", "move", "ingen", "--namespace", "org"][..];
    let certs = &["certs", "gen", "--values-dir", ".", "--out", ".", "--host", "o.example"][..];
    let certs_for_ingen = &[certs, &["--org", "ingen"]].concat();
    let incoming = "addAccountOperator.incomingOrganizations is written out and supplied by \
                    this merge key `<<` too";
    // (document, line of the `<<`, what it names, commands refused, commands that run).
    type Commands<'a> = Vec<&'a [&'a str]>;
    let table: Vec<(String, usize, &str, Commands, Commands)> = vec![
        (
            format!("{defaults}{}", original.replace(list, &format!("  <<: *defaults\n{list}"))),
            24,
            incoming,
            vec![link, move_],
            vec![],
        ),
        (
            format!("{msp}{}", original.replace("  mspID: ingen\n", "  <<: *o\n  mspID: ingen\n")),
            12,
            "orchestrator.mspID is written out and supplied by this merge key `<<` too",
            // certs gen finds a backend's file by its MSP ID, which such a file has twice.
            vec![link, certs_for_ingen],
            vec![move_],
        ),
    ];
    for (doc, line, says, refused, runs) in table {
        for args in refused {
            Test::new()
                .tree(&example)
                .file("backend-ingen-values.yaml", &doc)
                .args(args)
                .status(2)
                .stdout("")
                .stderr_contains(&format!("backend-ingen-values.yaml:{line}:3: {says}"))
                .stderr_contains("YAML readers disagree on which one wins")
                .stderr_lacks("please report")
                .unchanged()
                .run();
        }
        for args in runs {
            Test::new().tree(&example).file("backend-ingen-values.yaml", &doc).args(args).run();
        }
        let what = says.split(' ').next().expect("key");
        Test::new()
            .tree(&example)
            .file("backend-ingen-values.yaml", &doc)
            .args(["check", "values"])
            .status(1)
            .stdout_contains(&format!(
                "backend-ingen-values.yaml:{line}: {what} is written out and supplied by this \
                 merge key `<<` too: YAML readers disagree on which one wins (go-yaml v2, which \
                 Helm uses, takes the later one)"
            ))
            .unchanged()
            .run();
    }
    // The same in an entry of a list: link and secrets move refuse, check values warns.
    let doc = format!(
        "e: &e\n  secret: merged-secret-0123456789abcdef0123456789\n{}",
        original.replace(
            list,
            "  incomingOrganizations:\n    - name: biotechnica\n      \
             <<: *e\n      secret: explicit-secret-0123456789abcdef01234567\n"
        )
    );
    for (args, says) in [
        (link, "addAccountOperator.incomingOrganizations[0].secret is written out"),
        (move_, "the key secret here (in addAccountOperator.incomingOrganizations) is written out"),
    ] {
        Test::new()
            .tree(&example)
            .file("backend-ingen-values.yaml", &doc)
            .args(args)
            .status(2)
            .stderr_contains(&format!("backend-ingen-values.yaml:26:7: {says}"))
            .never_shows("explicit-secret-0123456789abcdef01234567")
            .unchanged()
            .run();
    }
    Test::new()
        .tree(&example)
        .file("backend-ingen-values.yaml", &doc)
        .args(["check", "values"])
        .status(1)
        .stdout_contains(
            "backend-ingen-values.yaml:26: addAccountOperator.incomingOrganizations[0].secret is \
             written out and supplied by this merge key `<<` too",
        )
        .run();
    // The example itself has no such key.
    Test::new().tree(&example).args(["check", "values"]).status(1).stdout_lacks("merge key").run();
    // Written before `<<`: Helm deploys the merged value; every command refuses the file.
    for (doc, line, key_line) in [
        (
            format!("{defaults}{}", original.replace(list, &format!("{list}  <<: *defaults\n"))),
            "25:3",
            24,
        ),
        (
            format!("{msp}{}", original.replace("  mspID: ingen\n", "  mspID: ingen\n  <<: *o\n")),
            "13:3",
            12,
        ),
        (
            format!(
                "e: &e\n  secret: merged-secret-0123456789abcdef0123456789\n{}",
                original.replace(
                    list,
                    "  incomingOrganizations:\n    - name: biotechnica\n      \
                     secret: explicit-secret-0123456789abcdef01234567\n      <<: *e\n"
                )
            ),
            "27:7",
            26,
        ),
    ] {
        for args in [link, move_, certs_for_ingen, &["check", "values"], &["check", "links"]] {
            Test::new()
                .tree(&example)
                .file("backend-ingen-values.yaml", &doc)
                .args(args)
                .status(2)
                .stdout("")
                .stderr_contains(&format!(
                    "backend-ingen-values.yaml:{line}: the key on line {key_line} is written \
                     before this merge key `<<`, which supplies it too: Helm's YAML reader takes \
                     the merged value"
                ))
                .never_shows("explicit-secret-0123456789abcdef01234567")
                .never_shows("merged-secret-0123456789abcdef0123456789")
                .unchanged()
                .run();
        }
    }
}

/// Keys and values substractl does not read get a reason a user understands, at file:line,
/// exit 2 and nothing changed; a key tagged `!!str` is the same key and is edited as such.
#[test]
fn unreadable_keys_and_numbers_are_named_plainly() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/two-orgs");
    let original = fs::read_to_string(example.join("backend-ingen-values.yaml")).expect("read");
    let list = "  incomingOrganizations: []\n";
    let cases = [
        (format!("{original}~: n\n"), ":26:1: a key here is null"),
        (format!("{original}? [a, b]\n: c\n"), ":26:3: a key here is a list or a mapping"),
        (format!("{original}x: .inf\n"), ":26:4: this value is infinity or not-a-number"),
        // A key written twice is not repeated (an operator may have written a secret as one).
        (
            format!("{original}TopS3cretKey: 1\nTopS3cretKey: 2\n"),
            ":27:1: this key is written a second time in its mapping: keep one\n",
        ),
        // A standard tag on the mapping itself: the reason says what substractl needs.
        (
            original.replace("addAccountOperator:\n", "addAccountOperator: !!map\n"),
            ":16:21: addAccountOperator must be a mapping, not a value under a tag (substractl \
             reads and edits these lists and mappings only without one",
        ),
        // Read by Helm, not by substractl: the reason says so.
        (
            format!("{original}x: !!timestamp 2001-12-14\n"),
            ":26:16: substractl does not read this tagged value",
        ),
        (
            format!("{original}x: {{!!int 10: ten}}\n"),
            ":26:11: substractl does not read this tagged",
        ),
        (
            format!("{original}x: !!int \"1__0\"\n"),
            ":26:10: substractl does not read this value as its tag",
        ),
        (
            format!("{original}x: !!float 0x10\n"),
            ":26:12: substractl does not read this value as its tag",
        ),
        (
            format!("{original}k: &k name\nx:\n  *k: 2\n"),
            ":28:3: this alias names no anchor written before it (an alias used as a key needs a \
             blank before its colon",
        ),
        (
            original.replace(list, "  !foo incomingOrganizations: [{name: x, secret: y}]\n"),
            ":22:3: this key is written under a tag other than `!!str`, which substractl does not read on a key",
        ),
    ];
    for (doc, says) in cases {
        for args in [&["link", "ingen", "biotechnica"][..], &["check", "values"]] {
            Test::new()
                .tree(&example)
                .file("backend-ingen-values.yaml", &doc)
                .args(args)
                .status_in(if args[0] == "link" { &[2] } else { &[1, 2] })
                .stderr_lacks("please report")
                .stderr_lacks("deserialize")
                .stderr_lacks("written elsewhere")
                .unchanged()
                .run();
        }
        Test::new()
            .tree(&example)
            .file("backend-ingen-values.yaml", &doc)
            .args(["link", "ingen", "biotechnica"])
            .status(2)
            .stderr_contains(&format!("backend-ingen-values.yaml{says}"))
            .run();
    }
    // A key under a tag is a text key to Helm: every command that edits refuses it at its line.
    for (key, line) in [("addAccountOperator:", 16), ("orchestrator:", 7)] {
        let doc = original.replacen(&format!("\n{key}"), &format!("\n!foo {key}"), 1);
        for args in [
            &["secrets", "move", "ingen"][..],
            &["secrets", "move", "ingen", "--dry-run"],
            &["link", "ingen", "biotechnica", "--channel", "second"],
            &["link", "ingen", "biotechnica", "--channel", "second", "--dry-run"],
        ] {
            Test::new()
                .tree(&example)
                .file("backend-ingen-values.yaml", &doc)
                .args(args)
                .status(2)
                .stderr_contains(&format!(
                    "backend-ingen-values.yaml:{line}:1: this key is written under a tag other than `!!str`"
                ))
                .unchanged()
                .run();
        }
    }
    let out = Test::new()
        .tree(&example)
        .file(
            "backend-ingen-values.yaml",
            &original.replace(list, "  !!str incomingOrganizations: []\n"),
        )
        .args(["link", "ingen", "biotechnica"])
        .run();
    let text = out.read("backend-ingen-values.yaml");
    assert!(text.contains("  !!str incomingOrganizations:\n    - name: ingen\n"), "{text}");
}

/// A credential written with YAML's escapes under the key `password`, next to the lists a dry
/// run shows, while another secret of the file holds the word `password`: the value is masked,
/// not only the key.
#[test]
fn a_dry_run_masks_an_escaped_password_beside_the_lists() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/two-orgs");
    let text = fs::read_to_string(example.join("backend-ingen-values.yaml")).expect("read");
    assert!(text.contains("admin-password"), "a secret holding the word password");
    let escaped = r#""\x48\x71\x38\x4c\x70\x33\x5a\x72\x36\x57\x64\x32""#;
    let doc = text.replacen(
        "  existingSecret: \"\"\n",
        &format!("  existingSecret: \"\"\n  password: {escaped}\n"),
        1,
    );
    assert_ne!(doc, text);
    Test::new()
        .tree(&example)
        .file("backend-ingen-values.yaml", &doc)
        .args(["link", "ingen", "biotechnica", "--rotate", "--dry-run"])
        .stdout_contains("existingSecret")
        .never_shows(r"\x48\x71\x38")
        .never_shows("Hq8Lp3Zr6Wd2")
        .unchanged()
        .run();
}

/// A credential written as a number in another base than ten (`0x5EC12E7A`) is hidden by a dry
/// run's diff wherever its text appears, as written, not only as the decimal Helm reads.
#[test]
fn a_number_credential_is_hidden_as_written() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/two-orgs");
    let original = fs::read_to_string(example.join("backend-ingen-values.yaml")).expect("read");
    for password in ["0x5EC12E7A", "0o7654321", "1.5e10", "!!int \"0x5EC12E7A\""] {
        let shown = password.trim_start_matches("!!int ").trim_matches('"');
        let doc = original
            .replace(
                "  ## Who may download from ingen",
                &format!("  ## {shown} was the old one\n  ## Who may download from ingen"),
            )
            .replace(
                "addAccountOperator:\n",
                &format!("postgresql:\n  auth:\n    password: {password}\naddAccountOperator:\n"),
            );
        for format in ["table", "json"] {
            Test::new()
                .tree(&example)
                .file("backend-ingen-values.yaml", &doc)
                .args(["link", "ingen", "biotechnica", "--dry-run", "-o", format])
                .status(0)
                .stdout_contains(" was the old one")
                .never_shows(shown)
                .unchanged()
                .run();
        }
    }
}

/// Text a run holds as a secret is never shown when it is written elsewhere as a tag or an
/// anchor (on a credential's line, or in an error about it), and a private key is hidden from a
/// dry run's diff under whatever key it stands.
#[test]
fn a_secret_written_as_a_tag_or_an_anchor_and_a_private_key_are_never_shown() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/two-orgs");
    let ingen = fs::read_to_string(example.join("backend-ingen-values.yaml")).expect("read");
    let bio = fs::read_to_string(example.join("backend-biotechnica-values.yaml")).expect("read");
    let secret = "TagSecret0123456789abcdefTagSecret0123456789abcdef";
    let bio = bio.replace(
        "  outgoingOrganizations: []\n",
        &format!("  outgoingOrganizations:\n    - name: ingen\n      secret: {secret}\n"),
    );
    let list = "  incomingOrganizations: []\n";
    // The secret written with escapes, under a key written with one.
    let escaped: String = secret
        .chars()
        .enumerate()
        .map(|(i, c)| if i % 6 == 0 { format!("\\x{:02x}", c as u32) } else { c.to_string() })
        .collect();
    for (line, status) in [
        (format!("      secret: !<{secret}> x\n"), 0),
        (format!("      &{secret} secret: x\n"), 0),
        (format!("      secret: !{secret}\n"), 2),
        (format!("      \"s\\x65cret\": \"{escaped}\"\n"), 0),
        // The other file's secret in this one, under a misspelt key or in a comment.
        (format!("      secrt: {secret}\n      secret: x\n"), 0),
        (format!("      # was {secret}\n      secret: x\n"), 0),
    ] {
        let doc = ingen
            .replace(list, &format!("  incomingOrganizations:\n    - name: biotechnica\n{line}"));
        for args in [
            &["link", "ingen", "biotechnica", "--rotate", "--dry-run"][..],
            &["link", "ingen", "biotechnica", "--rotate", "--dry-run", "-o", "json"],
            &["unlink", "ingen", "biotechnica", "--dry-run"],
            &["check", "values"],
        ] {
            Test::new()
                .tree(&example)
                .file("backend-ingen-values.yaml", &doc)
                .file("backend-biotechnica-values.yaml", &bio)
                .args(args)
                .status_in(if status == 2 { &[2] } else { &[0, 1] })
                .never_shows(secret)
                .never_shows("TagSecret0123456789abcdef")
                .never_shows(&escaped[..24])
                .unchanged()
                .run();
        }
    }
    // A private key beside the line a link changes, under keys no credential's name ends.
    let orchestrator = fs::read_to_string(example.join("orchestrator-values.yaml")).expect("read");
    let body = "MC4CAQAwBQYDK2VwBCIEIHByaXZhdGVrZXlib2R5Zm9ydGVzdHNvbmx5MDEyMzQ1";
    // Written as `!!binary`, with escapes, split over a list, in base64, commented out.
    let pem = format!("-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n");
    let escaped_body = body.replacen('C', "\\x43", 3);
    use base64::Engine as _;
    let binary = base64::engine::general_purpose::STANDARD.encode(&pem);
    let orchestrator = format!(
        "tls:\n  key: |\n    -----BEGIN PRIVATE KEY-----\n    {body}\n    -----END PRIVATE KEY-----\n\
         extra:\n  clientKey: \"-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----\\n\"\n\
         \x20 binKey: !!binary {binary}\n\
         \x20 escaped: \"-----BEGIN PRIVATE KEY-----\\n{escaped_body}\\n-----END PRIVATE KEY-----\\n\"\n\
         \x20 split: [-----BEGIN PRIVATE KEY-----, {body}, -----END PRIVATE KEY-----]\n\
         \x20 encoded: {binary}\n\
         # -----BEGIN PRIVATE KEY-----\n# {body}\n# -----END PRIVATE KEY-----\n\
         # old: -----BEGIN PRIVATE KEY----- {body} -----END PRIVATE KEY-----\n\
         {orchestrator}"
    );
    for format in ["table", "json"] {
        Test::new()
            .tree(&example)
            .file("orchestrator-values.yaml", &orchestrator)
            .args([
                "link",
                "ingen",
                "biotechnica",
                "--channel",
                "second",
                "--dry-run",
                "-o",
                format,
            ])
            .status(0)
            .stdout_contains("second")
            .never_shows(body)
            .never_shows(&body[..20])
            .never_shows(&binary[..24])
            .never_shows(&escaped_body[..20])
            .unchanged()
            .run();
    }
}

/// The orchestrator's chart writes the channels into a mapping, unquoted: a channel listed
/// twice (the orchestrator reads the last entry) is not edited and fails `check values`, and a
/// name YAML would read otherwise there is refused.
#[test]
fn channels_the_orchestrators_chart_cannot_carry_are_refused() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/two-orgs");
    let orchestrator = fs::read_to_string(example.join("orchestrator-values.yaml")).expect("read");
    let twice = orchestrator.replacen(
        "channels: []\n",
        "channels:\n  - name: newch\n    organizations: [ingen]\n  - name: newch\n    organizations: []\n",
        1,
    );
    Test::new()
        .tree(&example)
        .file("orchestrator-values.yaml", &twice)
        .args(["link", "ingen", "biotechnica", "--channel", "newch"])
        .status(2)
        .stderr_contains("channels lists the channel \"newch\" twice, and the orchestrator reads the last entry only")
        .unchanged()
        .run();
    Test::new()
        .tree(&example)
        .file("orchestrator-values.yaml", &twice)
        .args(["check", "values"])
        .status(1)
        .stdout_contains("newch is listed twice in orchestrator-values.yaml: the orchestrator reads the last entry only")
        .run();
    // An MSP ID the chart writes unquoted into a channel's list: `&bio` is an anchor there.
    let bio = fs::read_to_string(example.join("backend-biotechnica-values.yaml")).expect("read");
    let bio = bio.replace("  mspID: biotechnica\n", "  mspID: \"&bio\"\n");
    Test::new()
        .tree(&example)
        .file("backend-biotechnica-values.yaml", &bio)
        .args(["link", "ingen", "biotechnica", "--channel", "second"])
        .status(2)
        .stderr_contains("the MSP ID \"&bio\" starts with a character YAML reads as syntax")
        .unchanged()
        .run();
    let listed = orchestrator.replacen(
        "channels: []\n",
        "channels:\n  - name: second\n    organizations: [ingen, \"&bio\"]\n",
        1,
    );
    Test::new()
        .tree(&example)
        .file("backend-biotechnica-values.yaml", &bio)
        .file("orchestrator-values.yaml", &listed)
        .args(["check", "values"])
        .status(1)
        .stdout_contains("the MSP ID \"&bio\" starts with a character YAML reads as syntax")
        .run();
    for name in ["*x", "@c", "[c]", "c#x", "yes", "1e3", "a:b"] {
        Test::new()
            .tree(&example)
            .args(["link", "ingen", "biotechnica", "--channel", name])
            .status(2)
            .stderr_contains("channel name")
            .unchanged()
            .run();
    }
}

#[test]
fn a_pair_appended_after_a_block_scalar_that_keeps_its_final_lines_leaves_them_to_it() {
    // `note: |+` holds the blank line after it: the new entry goes after that line (before,
    // the edit changed the note, failed its read-back and exited 70).
    let a = "orchestrator:\n  mspID: a\naddAccountOperator:\n  outgoingOrganizations:\n    - name: z\n      secret: Zq7Kp2Lw9XabcdefR4Tn8Wb3\n      note: |+\n        hi\n\n";
    let out = Test::new()
        .file("backend-a-values.yaml", a)
        .file("backend-b-values.yaml", "orchestrator:\n  mspID: b\n")
        .args(["link", "a", "b"])
        .status(0)
        .run();
    let text = out.read("backend-a-values.yaml");
    assert!(text.starts_with(a), "{text}");
    let doc = Yaml::load_from_str(&text).expect("yaml").remove(0);
    let first = &doc["addAccountOperator"]["outgoingOrganizations"][0];
    assert_eq!(first["note"].as_str(), Some("hi\n\n"));
}

//! Credentials kept in a Secret manifest (the chart's `addAccountOperator.existingSecret`):
//! `secrets move`, then `link` and `unlink` writing the manifest, the checks reading both
//! stores, kubectl as the judge of the manifest, a kill that leaves both files old or both
//! new, and no secret on the terminal.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::{kubectl, Test};

const MOVE: &str = "existing-secret/move";

/// The lines the chart renders from `in/backend-ingen-values.yaml` into its add-account Secret:
/// `templates/secret-add-account.yaml` writes each key with `common.users` (`_helpers.tpl`),
/// `printf "%s %s %s\n" .name .secret .channel` for an entry with a channel, else
/// `printf "%s %s\n" .name .secret`, in list order.
fn chart_lines(key: &str) -> &'static str {
    match key {
        "users" => {
            "admin c31dfad3fcbade4189201bd05687cadecad2a8660b74b61d1a4eb29b3aa509dc our-channel\n\
             reader reader-pw-7f3c91\n"
        }
        "incoming_organizations" => {
            "ingen b7d3eaba8c82ae229abe15c45fc9797295d5aae692a11f46ae4c20775e1c1e5c\n\
             biotechnica 6341cc80f70f6298cda1f14b42382323757cfb45134d486289359bcd01826687\n"
        }
        "outgoing_organizations" => {
            "ingen b7d3eaba8c82ae229abe15c45fc9797295d5aae692a11f46ae4c20775e1c1e5c\n\
             biotechnica f83ab11c72ab0022669c4049c76532334d8f966e9861eec99eb6077f48ad2a27\n"
        }
        _ => unreachable!(),
    }
}

/// Every secret of the fixture, to be never shown.
fn fixture_secrets() -> Vec<String> {
    let mut out = Vec::new();
    for file in ["backend-ingen-values.yaml", "backend-biotechnica-values.yaml"] {
        let text = fs::read_to_string(crate::support::fixture(&format!("{MOVE}/in/{file}")))
            .expect("fixture");
        for line in text.lines() {
            if let Some(s) = line.trim_start().strip_prefix("secret:") {
                out.push(s.trim().trim_matches('"').to_string());
            }
        }
    }
    out
}

fn decode(b64: &str) -> String {
    let mut child = Command::new("base64")
        .arg("-d")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("base64 runs");
    child.stdin.take().expect("stdin").write_all(b64.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("base64");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The decoded keys of a manifest, as `kubectl create secret generic` writes them.
fn keys(manifest: &str) -> Vec<(String, String)> {
    let data = manifest.split("data:\n").nth(1).expect("data");
    data.lines()
        .take_while(|l| l.starts_with("  "))
        .map(|l| {
            let (k, v) = l.trim().split_once(": ").expect("key: value");
            let v = if v == "\"\"" { String::new() } else { decode(v) };
            (k.to_string(), v)
        })
        .collect()
}

fn key(manifest: &str, name: &str) -> String {
    keys(manifest).into_iter().find(|(k, _)| k == name).map(|(_, v)| v).expect(name)
}

/// The manifest is what kubectl writes for the same literals, byte for byte.
fn same_as_kubectl(dir: &Path, file: &str, name: &str, namespace: &str) {
    let ours = fs::read_to_string(dir.join(file)).expect("manifest");
    let literals: Vec<String> = ["users", "incoming_organizations", "outgoing_organizations"]
        .iter()
        .map(|k| format!("--from-literal={k}={}", key(&ours, k)))
        .collect();
    let mut args = vec!["create", "secret", "generic", name];
    args.extend(literals.iter().map(String::as_str));
    let theirs = kubectl::manifest(dir, namespace, &args);
    assert_eq!(ours, theirs, "{file} differs from kubectl's manifest");
}

/// `in/` with ingen's credentials moved to its manifest: the next command's test.
fn moved() -> Test {
    Test::new()
        .tree(format!("{MOVE}/in"))
        .args(["secrets", "move", "ingen", "--namespace", "org-ingen"])
        .run()
        .then()
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).expect("stat").permissions().mode() & 0o777
}

#[test]
fn move_then_link_then_unlink_keeps_the_lines_the_chart_renders() {
    let out = Test::new()
        .tree(format!("{MOVE}/in"))
        .args(["secrets", "move", "ingen", "--namespace", "org-ingen"])
        .out_tree(format!("{MOVE}/out"))
        .stdout_contains("kubectl apply -n org-ingen -f backend-ingen-accounts.yaml")
        .run();
    let dir = out.path();
    let manifest = out.read("backend-ingen-accounts.yaml");
    for k in ["users", "incoming_organizations", "outgoing_organizations"] {
        assert_eq!(key(&manifest, k), chart_lines(k), "{k}");
    }
    assert_eq!(mode(&dir.join("backend-ingen-accounts.yaml")), 0o600);
    same_as_kubectl(&dir, "backend-ingen-accounts.yaml", "backend-ingen-accounts", "org-ingen");

    // A new organization: the manifest gains its lines after the others, which stay.
    let out = out
        .then()
        .args(["link", "ingen", "biotechnica", "tyrell", "--create"])
        .stdout_contains("kubectl apply -n org-ingen -f backend-ingen-accounts.yaml")
        .run();
    let manifest = out.read("backend-ingen-accounts.yaml");
    let incoming = key(&manifest, "incoming_organizations");
    assert!(incoming.starts_with(chart_lines("incoming_organizations")), "{incoming}");
    assert_eq!(incoming.lines().count(), 3);
    assert!(incoming.lines().last().expect("line").starts_with("tyrell "));
    assert_eq!(key(&manifest, "users"), chart_lines("users"));
    assert!(
        !out.read("backend-ingen-values.yaml").contains("tyrell"),
        "the values file holds none"
    );
    same_as_kubectl(&dir, "backend-ingen-accounts.yaml", "backend-ingen-accounts", "org-ingen");
    let out = out.then().args(["check", "links"]).stdout_contains("every one of the 9").run();

    // Unlinked again: exactly the chart's lines of the original values.
    let out = out.then().args(["unlink", "ingen", "tyrell"]).run();
    let manifest = out.read("backend-ingen-accounts.yaml");
    for k in ["users", "incoming_organizations", "outgoing_organizations"] {
        assert_eq!(key(&manifest, k), chart_lines(k), "{k}");
    }
    same_as_kubectl(&dir, "backend-ingen-accounts.yaml", "backend-ingen-accounts", "org-ingen");
}

#[test]
fn mixed_stores_link_together_and_check_alike() {
    let out = moved().args(["link", "ingen", "biotechnica", "tyrell", "--create"]).run();
    let out = out.then().args(["check", "links"]).stdout_contains("every one of the 9").run();
    let out = out.then().args(["check", "values", "-o", "json"]).status_in(&[0, 1]).run();
    let checks = out.json()["checks"].as_array().expect("checks").clone();
    let pairs: Vec<_> = checks.iter().filter(|c| c["group"] == "pairs").collect();
    assert_eq!(pairs.len(), 9);
    assert!(pairs.iter().all(|c| c["status"] == "ok"), "{pairs:?}");
}

#[test]
fn a_missing_manifest_skips_the_credential_checks_and_link_refuses() {
    let test = moved();
    fs::remove_file(test.path().join("backend-ingen-accounts.yaml")).expect("rm");
    let out = test
        .args(["check", "links"])
        .stdout_contains("skipped: backend-ingen-values.yaml names addAccountOperator.existingSecret backend-ingen-accounts, and backend-ingen-accounts.yaml is not there")
        .run();
    let out = out.then().args(["check", "values", "-o", "json"]).status_in(&[0, 1]).run();
    let checks = out.json()["checks"].as_array().expect("checks").clone();
    let pairs: Vec<_> = checks.iter().filter(|c| c["group"] == "pairs").collect();
    assert!(pairs.iter().any(|c| c["status"] == "skipped"), "{pairs:?}");
    assert!(pairs.iter().all(|c| c["status"] != "failure"), "{pairs:?}");
    out.then()
        .args(["link", "ingen", "biotechnica"])
        .status(2)
        .error("backend-ingen-accounts.yaml is not there", "put the Secret manifest beside")
        .unchanged()
        .run();
}

#[test]
fn check_values_warns_about_both_stores_and_credentials_in_git() {
    // Lists and existingSecret at once: the chart ignores the lists.
    let test = moved();
    let both = fs::read_to_string(crate::support::fixture(&format!(
        "{MOVE}/in/backend-ingen-values.yaml"
    )))
    .expect("fixture")
    .replace("existingSecret: \"\"", "existingSecret: backend-ingen-accounts");
    let out = test
        .file("backend-ingen-values.yaml", &both)
        .args(["check", "values"])
        .status_in(&[0, 1])
        .stdout_contains("holds users or organization lists too: the chart ignores the lists")
        .run();
    // A values file with credentials in a git work tree.
    fs::create_dir(out.root().join(".git")).expect("mkdir .git");
    out.then()
        .args(["check", "values"])
        .status_in(&[0, 1])
        .stdout_contains(
            "backend-biotechnica-values.yaml holds credentials in clear inside the git work tree",
        )
        .stdout_contains("substractl secrets move biotechnica --dir .")
        .run();
}

#[test]
fn no_secret_is_printed_in_any_format() {
    let secrets = fixture_secrets();
    for args in [
        &["secrets", "move", "ingen", "--dry-run"][..],
        &["secrets", "move", "ingen", "--dry-run", "-o", "json"],
        &["secrets", "move", "ingen", "-o", "json"],
        &["secrets", "move", "ingen"],
    ] {
        let test = secrets
            .iter()
            .fold(Test::new().tree(format!("{MOVE}/in")).args(args), |t, s| t.never_shows(s));
        test.run();
    }
    for args in [
        &["link", "ingen", "biotechnica", "--rotate", "--dry-run"][..],
        &["link", "ingen", "biotechnica", "--rotate", "--dry-run", "-o", "json"],
        &["check", "links", "-o", "json"],
        &["unlink", "ingen", "biotechnica", "--dry-run"],
    ] {
        let test = secrets.iter().fold(moved().args(args), |t, s| t.never_shows(s));
        test.status_in(&[0, 1]).run();
    }
}

#[test]
fn a_dry_run_move_masks_the_credentials_beside_the_lists() {
    let values = fs::read_to_string(crate::support::fixture(&format!(
        "{MOVE}/in/backend-ingen-values.yaml"
    )))
    .expect("fixture");
    for creds in crate::support::chart_credentials() {
        let text = values
            .replace("addAccountOperator:\n", &format!("{}addAccountOperator:\n", creds.before))
            .replace(
                "  existingSecret: \"\"\n",
                &format!("  existingSecret: \"\"\n{}", creds.after),
            );
        for json in [false, true] {
            let mut args = vec!["secrets", "move", "ingen", "--dry-run"];
            if json {
                args.extend(["-o", "json"]);
            }
            let test = Test::new()
                .tree(format!("{MOVE}/in"))
                .file("backend-ingen-values.yaml", &text)
                .args(args);
            let out = creds.values.iter().fold(test, |t, v| t.never_shows(v)).unchanged().run();
            // The lists emptied and the Secret named are shown, the credentials labelled.
            for shown in [
                "+  outgoingOrganizations: []\n",
                "+  existingSecret: backend-ingen-accounts\n",
                "rootPassword: <credential, unchanged>",
            ] {
                let diff = if json { out.json().to_string() } else { out.stdout.clone() };
                let shown = if json { shown.replace('\n', "\\n") } else { shown.to_string() };
                assert!(diff.contains(&shown), "{shown:?} in {diff}");
            }
        }
    }
}

#[test]
fn bad_input_exits_2_and_writes_nothing() {
    let values = || {
        fs::read_to_string(crate::support::fixture(&format!("{MOVE}/in/backend-ingen-values.yaml")))
            .expect("fixture")
    };
    // A user name the line format cannot hold.
    Test::new()
        .tree(format!("{MOVE}/in"))
        .file("backend-ingen-values.yaml", &values().replace("name: reader", "name: \"read er\""))
        .args(["secrets", "move", "ingen"])
        .status(2)
        .error("holds white space", "")
        .unchanged()
        .run();
    // A secret with a space: never shown in the error.
    Test::new()
        .tree(format!("{MOVE}/in"))
        .file(
            "backend-ingen-values.yaml",
            &values().replace("\"reader-pw-7f3c91\"", "\"reader pw\""),
        )
        .args(["secrets", "move", "ingen"])
        .status(2)
        .never_shows("reader pw")
        .unchanged()
        .run();
    // A namespace that is not a Kubernetes name.
    Test::new()
        .tree(format!("{MOVE}/in"))
        .args(["secrets", "move", "ingen", "--namespace", "Org_Ingen"])
        .status(2)
        .error("is not a Kubernetes name", "--namespace")
        .unchanged()
        .run();
    // A manifest whose name is not the one the values file names.
    let test = moved();
    let manifest =
        fs::read_to_string(test.path().join("backend-ingen-accounts.yaml")).expect("read");
    test.file(
        "backend-ingen-accounts.yaml",
        &manifest.replace("name: backend-ingen-accounts", "name: other"),
    )
    .args(["link", "ingen", "biotechnica", "--rotate"])
    .status(2)
    .error("metadata.name is \"other\"", "")
    .unchanged()
    .run();
}

/// A credential that YAML reads as a number or a boolean is not moved: Helm renders it as
/// `%!s(float64=...)` or `%!s(bool=true)`, where a Secret would hold `1.2e+34` or `true`.
/// secrets move names its file:line and changes nothing; quoted, it moves as written.
#[test]
fn credentials_that_are_not_yaml_strings_are_not_moved() {
    let values = fs::read_to_string(crate::support::fixture(&format!(
        "{MOVE}/in/backend-ingen-values.yaml"
    )))
    .expect("fixture");
    let big = "12345678901234567890123456789012345";
    let biotechnica = "6341cc80f70f6298cda1f14b42382323757cfb45134d486289359bcd01826687";
    let admin = "c31dfad3fcbade4189201bd05687cadecad2a8660b74b61d1a4eb29b3aa509dc";
    let cases = [
        (
            values.replace(biotechnica, big),
            "backend-ingen-values.yaml:28:15: the secret of entry 2 of \
             addAccountOperator.incomingOrganizations is a number to YAML, not a string",
        ),
        (
            values.replace(admin, "yes"),
            "backend-ingen-values.yaml:18:15: the secret of entry 1 of addAccountOperator.users \
             is a boolean to YAML, not a string",
        ),
        (
            values.replace("channel: our-channel", "channel: 1.5"),
            "backend-ingen-values.yaml:19:16: the channel of entry 1 of \
             addAccountOperator.users is a number to YAML, not a string",
        ),
    ];
    for (text, says) in cases {
        Test::new()
            .tree(format!("{MOVE}/in"))
            .file("backend-ingen-values.yaml", &text)
            .args(["secrets", "move", "ingen", "--namespace", "org"])
            .status(2)
            .stderr_contains(says)
            .stderr_contains("quote it")
            .stderr_lacks("please report")
            .never_shows(big)
            .unchanged()
            .run();
    }
    // Quoted, the same text moves as written.
    let out = Test::new()
        .tree(format!("{MOVE}/in"))
        .file("backend-ingen-values.yaml", &values.replace(biotechnica, &format!("\"{big}\"")))
        .args(["secrets", "move", "ingen", "--namespace", "org"])
        .run();
    let incoming = key(&out.read("backend-ingen-accounts.yaml"), "incoming_organizations");
    assert!(incoming.contains(&format!("biotechnica {big}\n")), "{incoming}");
}

#[test]
fn a_kill_during_a_move_leaves_both_files_old_or_both_new() {
    let names: Vec<String> = (1..=24).map(|i| format!("o{i}")).collect();
    let base = names.iter().fold(Test::new(), |t, o| {
        t.file(&format!("backend-{o}-values.yaml"), &crate::support::backend_values(o))
    });
    let linked = base.args(["link"]).args(&names).run();
    let template = linked.path();
    // Each organization's pair of files before the move and after a whole one.
    let pair = |dir: &Path, o: &str| {
        let read = |name: String| fs::read_to_string(dir.join(name)).ok();
        (read(format!("backend-{o}-values.yaml")), read(format!("backend-{o}-accounts.yaml")))
    };
    let whole = Test::new().tree(&template).args(["secrets", "move"]).args(&names).run();
    // How long a move runs once its journal is there: the kills are spread over that time.
    let wait_for_journal = |child: &mut crate::support::Running, dir: &Path| {
        let start = std::time::Instant::now();
        while !journal(dir) && !child.ended() && start.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_micros(100));
        }
    };
    let span = {
        let dir = Test::new().tree(&template);
        let mut child = Test::in_dir(dir.path()).args(["secrets", "move"]).args(&names).spawn();
        wait_for_journal(&mut child, &dir.path());
        let start = std::time::Instant::now();
        while !child.ended() {
            std::thread::sleep(Duration::from_micros(100));
        }
        start.elapsed()
    };
    let (mut landed, mut whole_batches) = (0, 0);
    for round in 0..12u32 {
        let test = Test::new().tree(&template);
        let dir = test.path();
        let mut child = Test::in_dir(&dir).args(["secrets", "move"]).args(&names).spawn();
        // Wait for the journal, then kill at a different moment each round.
        wait_for_journal(&mut child, &dir);
        std::thread::sleep(span * round / 11);
        landed += usize::from(!child.ended());
        child.kill();
        // The next run recovers, then every organization has both files old or both new.
        let _out = test.args(["check", "links"]).stdout_contains("every one of the 576").run();
        let mut moved = 0;
        for o in &names {
            let now = pair(&dir, o);
            let (old, new) = (pair(&template, o), pair(&whole.path(), o));
            assert!(old.1.is_none() && new.1.is_some(), "{o}: the move made no manifest");
            assert!(now == old || now == new, "round {round}: {o}: neither old nor new");
            moved += usize::from(now == new);
        }
        // One change set: the batch lands whole or not at all.
        assert!(moved == 0 || moved == names.len(), "round {round}: {moved} of 24 moved");
        whole_batches += usize::from(moved > 0);
    }
    eprintln!("batches that landed whole: {whole_batches} of 12");
    // And killed at chosen renames of its 48 (the first, the middle, the last): the next run
    // finishes the batch.
    for when in [1, 2, 24, 25, 47, 48] {
        let killed = Test::new()
            .tree(&template)
            .args(["secrets", "move"])
            .args(&names)
            .faults(&format!("rename:signal=KILL:when={when}"))
            .status_in(&[-1, 128 + 9])
            .run();
        let dir = killed.path();
        assert!(journal(&dir), "rename {when}: no journal left");
        let _kept =
            killed.then().args(["check", "links"]).stdout_contains("every one of the 576").run();
        for o in &names {
            assert!(pair(&dir, o) == pair(&whole.path(), o), "rename {when}: {o} not moved");
        }
    }
    eprintln!("kills that landed while the move ran: {landed} of 12");
    assert!(landed > 0, "no kill landed while the move ran: the test proved nothing");
}

fn journal(dir: &Path) -> bool {
    fs::read_dir(dir).expect("list").any(|e| {
        e.expect("entry").file_name().to_string_lossy().starts_with(".substractl-journal-")
    })
}

#[test]
fn link_and_init_keep_new_credentials_in_manifests() {
    let out = Test::new()
        .args(["link", "ingen", "biotechnica", "--existing-secret", "--namespace", "org"])
        .stdout_contains("kubectl apply -n org -f backend-ingen-accounts.yaml")
        .run();
    let dir = out.path();
    for org in ["ingen", "biotechnica"] {
        let values = out.read(&format!("backend-{org}-values.yaml"));
        assert!(values.contains(&format!("existingSecret: backend-{org}-accounts\n")), "{values}");
        assert!(!values.contains("secret:"), "{values}");
        // The header says where the credentials are, not that this file holds them.
        assert!(!values.contains("holds secrets"), "{values}");
        assert!(values.contains("Its credentials are in the Secret named by"), "{values}");
        let file = format!("backend-{org}-accounts.yaml");
        assert_eq!(mode(&dir.join(&file)), 0o600);
        same_as_kubectl(&dir, &file, &format!("backend-{org}-accounts"), "org");
        assert_eq!(key(&out.read(&file), "incoming_organizations").lines().count(), 2);
    }
    out.then().args(["check", "links"]).stdout_contains("every one of the 4").run();

    // init: each organization's manifest in its namespace org-<name>, applied first.
    let out = Test::new()
        .args(["init", "ingen", "biotechnica", "--out", "d", "--yes", "--no-tls"])
        .args(["--existing-secret=creds-{org}"])
        .run();
    let dir = out.path().join("d");
    same_as_kubectl(&dir, "backend-ingen-accounts.yaml", "creds-ingen", "org-ingen");
    same_as_kubectl(
        &dir,
        "backend-biotechnica-accounts.yaml",
        "creds-biotechnica",
        "org-biotechnica",
    );
    let next = fs::read_to_string(dir.join("NEXT-STEPS.md")).expect("next steps");
    assert!(next.contains("-f backend-ingen-accounts.yaml"), "{next}");
    // Its header says where the credentials are, as link's does.
    let values = fs::read_to_string(dir.join("backend-ingen-values.yaml")).expect("values");
    assert!(values.starts_with("# Backend values for ingen, generated by substractl init.\n# Its credentials are in the Secret named by addAccountOperator.existingSecret.\n"), "{values}");
    // A second run keeps every pair, in the manifests.
    out.then()
        .args(["init", "ingen", "biotechnica", "--out", "d", "--yes", "--no-tls"])
        .stdout_contains("nothing to change")
        .run();
}

#[test]
fn link_moving_credentials_out_of_a_readable_file_does_not_say_it_holds_secrets() {
    let test = Test::new()
        .file("backend-ingen-values.yaml", &crate::support::backend_values("ingen"))
        .mode("backend-ingen-values.yaml", 0o644)
        .file("backend-tyrell-values.yaml", &crate::support::backend_values("tyrell"))
        .mode("backend-tyrell-values.yaml", 0o644);
    let out = test.args(["link", "ingen", "tyrell", "--existing-secret"]).status(0).run();
    assert!(!out.stderr.contains("holds secrets"), "{}", out.stderr);
    assert!(!out.stderr.contains("chmod 600"), "{}", out.stderr);
    assert_eq!(mode(&out.path().join("backend-ingen-values.yaml")), 0o644);
    assert_eq!(mode(&out.path().join("backend-ingen-accounts.yaml")), 0o600);
    // Without --existing-secret the same files are said to hold secrets.
    let out = Test::new()
        .file("backend-ingen-values.yaml", &crate::support::backend_values("ingen"))
        .mode("backend-ingen-values.yaml", 0o644)
        .file("backend-tyrell-values.yaml", &crate::support::backend_values("tyrell"))
        .mode("backend-tyrell-values.yaml", 0o644)
        .args(["link", "ingen", "tyrell"])
        .status(0)
        .run();
    assert!(out.stderr.contains("holds secrets and other users can read it"), "{}", out.stderr);
}

#[test]
fn check_outgoing_skips_an_organization_whose_manifest_is_missing() {
    let test = moved();
    fs::remove_file(test.path().join("backend-ingen-accounts.yaml")).expect("rm");
    test.args(["check", "outgoing", "--org", "ingen"])
        .stderr_contains(
            "skipped: backend-ingen-values.yaml names addAccountOperator.existingSecret",
        )
        .run();
}

#[test]
fn placeholder_credentials_in_a_git_work_tree_are_not_called_credentials_in_clear() {
    let values = |secret: &str| {
        let list = format!("  incomingOrganizations:\n    - name: tyrell\n      secret: {secret}");
        crate::support::backend_values("ingen").replacen("  incomingOrganizations: []", &list, 1)
    };
    let out = Test::new()
        .file("backend-ingen-values.yaml", &values("REPLACE-ME"))
        .mode("backend-ingen-values.yaml", 0o600)
        .args(["check", "values"])
        .status_in(&[0, 1])
        .stdout_lacks("in clear")
        .run();
    fs::create_dir(out.root().join(".git")).expect("mkdir .git");
    let out =
        out.then().args(["check", "values"]).status_in(&[0, 1]).stdout_lacks("in clear").run();
    // The same file with a real secret is warned about.
    fs::write(
        out.path().join("backend-ingen-values.yaml"),
        values("Kq3vLm9PzX2wR7tY5uN8bC4dF6gH1jS0aE"),
    )
    .expect("write");
    out.then()
        .args(["check", "values"])
        .status_in(&[0, 1])
        .stdout_contains(
            "backend-ingen-values.yaml holds credentials in clear inside the git work tree",
        )
        .run();
}

/// A password of ingen's own in the manifest (`data.db_password`, base64) and one in
/// `stringData`: kept, and never shown.
const DB_PASSWORD: &str = "Db-Pa55word-91c2e7";
const SMTP_PASSWORD: &str = "Smtp-Pa55-77ab3f0e";

/// ingen's manifest as `secrets move` wrote it, extended by hand as operators do: a comment,
/// its keys in another order, labels, annotations, a type, a key of its own in `data` and an
/// entry of `stringData`. The credential keys hold what `secrets move` wrote.
fn extended() -> String {
    let moved = fs::read_to_string(crate::support::fixture(&format!(
        "{MOVE}/out/backend-ingen-accounts.yaml"
    )))
    .expect("fixture");
    let raw = |k: &str| {
        let prefix = format!("  {k}: ");
        moved.lines().find_map(|l| l.strip_prefix(&prefix)).expect(k).to_string()
    };
    format!(
        "# ingen's accounts: applied by the ops team, sealed before it is committed\n\
         kind: Secret\n\
         apiVersion: v1\n\
         type: Opaque\n\
         metadata:\n\
         \x20 name: backend-ingen-accounts\n\
         \x20 namespace: org-ingen\n\
         \x20 labels:\n\
         \x20   app.kubernetes.io/part-of: substra\n\
         \x20 annotations:\n\
         \x20   team: ops # who to ask\n\
         data:\n\
         \x20 db_password: {db}\n\
         \x20 # the backend's account lines, see substractl\n\
         \x20 incoming_organizations: {incoming}\n\
         \x20 outgoing_organizations: {outgoing}\n\
         \x20 users: {users}\n\
         stringData:\n\
         \x20 smtp_password: {SMTP_PASSWORD}\n",
        db = base64(DB_PASSWORD),
        incoming = raw("incoming_organizations"),
        outgoing = raw("outgoing_organizations"),
        users = raw("users"),
    )
}

fn base64(text: &str) -> String {
    let mut child = Command::new("base64")
        .arg("-w0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("base64 runs");
    child.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("base64");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The lines of a manifest with the values of the given credential keys left out: what an
/// edit of those keys must keep, byte for byte.
fn without(manifest: &str, keys: &[&str]) -> Vec<String> {
    manifest
        .split_inclusive('\n')
        .map(|l| match keys.iter().find(|k| l.starts_with(&format!("  {k}: "))) {
            Some(k) => format!("  {k}: ...\n"),
            None => l.to_string(),
        })
        .collect()
}

/// kubectl reads the manifest (without a cluster: `kubectl kustomize`) as it reads `before`,
/// but for the values of `keys`; returns what it read.
fn kubectl_reads_the_same_but(before: &str, after: &str, keys: &[&str]) -> String {
    let theirs = kubectl::read_back(after);
    assert_eq!(
        without(&kubectl::read_back(before), keys),
        without(&theirs, keys),
        "kubectl reads more than {keys:?} changed:\n{after}"
    );
    theirs
}

/// The account lines of a key, `name secret` each, as a map.
fn entries(manifest: &str, k: &str) -> Vec<(String, String)> {
    key(manifest, k)
        .lines()
        .map(|l| {
            let mut f = l.split(' ');
            (f.next().expect("name").to_string(), f.next().expect("secret").to_string())
        })
        .collect()
}

/// A run of 40 or more characters of the base64 alphabet: a base64 value shown whole.
fn shows_base64(text: &str) -> bool {
    let mut run = 0;
    for c in text.chars() {
        run = if c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=') { run + 1 } else { 0 };
        if run >= 40 {
            return true;
        }
    }
    false
}

#[test]
fn link_and_unlink_edit_a_manifest_extended_by_hand_in_place() {
    let before = extended();
    let test = moved().file("backend-ingen-accounts.yaml", &before);
    let mut hidden: Vec<String> = fixture_secrets();
    hidden.extend([DB_PASSWORD.into(), base64(DB_PASSWORD), SMTP_PASSWORD.into()]);
    hidden.extend(
        before
            .lines()
            .filter_map(|l| l.split(": ").nth(1))
            .filter(|v| v.len() > 40)
            .map(str::to_string),
    );

    // The dry run shows the file as it is around the change, and no value of the Secret.
    let out = hidden
        .iter()
        .fold(test.args(["link", "ingen", "biotechnica", "--rotate", "--dry-run"]), |t, s| {
            t.never_shows(s)
        })
        .stdout_contains(
            "   db_password: <not shown>\n   # the backend's account lines, see substractl\n   \
             incoming_organizations: <base64 of the lines below>\n-      ingen <secret #",
        )
        .stdout_contains("+      biotechnica <new secret #")
        .unchanged()
        .run();
    assert!(!shows_base64(&out.stdout), "{}", out.stdout);

    // Rotated: the organizations' keys change, every other byte stays.
    let out = out.then().args(["link", "ingen", "biotechnica", "--rotate"]).run();
    let after = out.read("backend-ingen-accounts.yaml");
    let rotated = ["incoming_organizations", "outgoing_organizations"];
    assert_eq!(without(&before, &rotated), without(&after, &rotated), "{after}");
    let theirs = kubectl_reads_the_same_but(&before, &after, &rotated);
    for k in rotated {
        let (old, new) = (entries(&kubectl::read_back(&before), k), entries(&theirs, k));
        assert_eq!(old.iter().map(|e| &e.0).collect::<Vec<_>>(), ["ingen", "biotechnica"]);
        assert_eq!(new.iter().map(|e| &e.0).collect::<Vec<_>>(), ["ingen", "biotechnica"]);
        assert!(old.iter().zip(&new).all(|(o, n)| o.1 != n.1), "{k}: {new:?}");
    }
    assert_eq!(key(&theirs, "users"), chart_lines("users"));
    assert!(theirs.contains("\n  db_password: "), "{theirs}");
    let out = out.then().args(["check", "links"]).stdout_contains("every one of the 4").run();

    // Unlinked: biotechnica's lines go, every other byte stays.
    let before = after;
    let out = out.then().args(["unlink", "ingen", "biotechnica"]).run();
    let after = out.read("backend-ingen-accounts.yaml");
    assert_eq!(without(&before, &rotated), without(&after, &rotated), "{after}");
    let theirs = kubectl_reads_the_same_but(&before, &after, &rotated);
    for k in rotated {
        assert_eq!(entries(&theirs, k), entries(&kubectl::read_back(&before), k)[..1], "{k}");
    }
}

#[test]
fn credentials_kept_in_string_data_are_edited_there_as_text() {
    let lines = |k: &str| chart_lines(k).lines().map(|l| format!("    {l}\n")).collect::<String>();
    let before = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: backend-ingen-accounts\n  \
         namespace: org-ingen\nstringData:\n  # one line per entry\n  \
         incoming_organizations: |\n{}  outgoing_organizations: |\n{}  users: |\n{}  \
         smtp_password: {SMTP_PASSWORD}\n",
        lines("incoming_organizations"),
        lines("outgoing_organizations"),
        lines("users"),
    );
    let test = moved().file("backend-ingen-accounts.yaml", &before);
    let out = test
        .args(["link", "ingen", "biotechnica", "--rotate", "--dry-run"])
        .never_shows(SMTP_PASSWORD)
        .stdout_contains("   incoming_organizations: <the lines below>\n-      ingen <secret #")
        .unchanged()
        .run();
    let out = fixture_secrets().iter().fold(out.then(), |t, s| t.never_shows(s));
    let out = out.args(["link", "ingen", "biotechnica", "--rotate"]).run();
    let after = out.read("backend-ingen-accounts.yaml");
    // Still text, in literal blocks, where it was; nothing else changed.
    let mut kept = before.lines();
    let mut written = after.lines();
    for (k, old) in
        [("incoming_organizations", "ingen b7d3"), ("outgoing_organizations", "ingen b7d3")]
    {
        let head = format!("  {k}: |");
        for line in kept.by_ref() {
            assert_eq!(Some(line), written.next(), "{after}");
            if line == head {
                break;
            }
        }
        let (a, b) = (kept.next().expect("line"), written.next().expect("line"));
        assert!(a.starts_with(&format!("    {old}")) && b.starts_with("    ingen "), "{after}");
        assert_ne!(a, b);
        let (a, b) = (kept.next().expect("line"), written.next().expect("line"));
        assert!(a.starts_with("    biotechnica ") && b.starts_with("    biotechnica "), "{after}");
        assert_ne!(a, b);
    }
    assert_eq!(kept.collect::<Vec<_>>(), written.collect::<Vec<_>>(), "{after}");
    assert!(!after.contains("\ndata:"), "{after}");
    // kubectl reads the new lines from stringData, as the chart's Secret will hold them.
    let theirs = kubectl::read_back(&after);
    assert!(theirs.contains("\nstringData:\n"), "{theirs}");
    out.then().args(["check", "links"]).stdout_contains("every one of the 4").run();
}

#[test]
fn secrets_move_writes_into_a_manifest_already_there_and_never_over_it() {
    let values = fs::read_to_string(crate::support::fixture(&format!(
        "{MOVE}/in/backend-ingen-values.yaml"
    )))
    .expect("fixture");
    let prepared = format!(
        "# made by the ops team\napiVersion: v1\nkind: Secret\ntype: Opaque\nmetadata:\n  \
         name: backend-ingen-accounts\n  labels: {{team: ops}}\ndata:\n  \
         db_password: {}\n",
        base64(DB_PASSWORD)
    );
    let out = Test::new()
        .tree(format!("{MOVE}/in"))
        .file("backend-ingen-accounts.yaml", &prepared)
        .args(["secrets", "move", "ingen", "--namespace", "org-ingen", "--dry-run"])
        .never_shows(DB_PASSWORD)
        .never_shows(&base64(DB_PASSWORD))
        .stdout_contains("   labels: {team: ops}\n+  namespace: org-ingen\n")
        .unchanged()
        .run();
    let out = out.then().args(["secrets", "move", "ingen", "--namespace", "org-ingen"]).run();
    let after = out.read("backend-ingen-accounts.yaml");
    assert!(after.starts_with(
        &prepared
            .replace("  labels: {team: ops}\n", "  labels: {team: ops}\n  namespace: org-ingen\n")
    ));
    let theirs = kubectl::read_back(&after);
    for k in ["users", "incoming_organizations", "outgoing_organizations"] {
        assert_eq!(key(&theirs, k), chart_lines(k), "{k}");
    }
    assert_eq!(key(&theirs, "db_password"), DB_PASSWORD);
    out.then().args(["check", "links"]).stdout_contains("every one of the 4").run();

    // Another Secret there: refused, nothing changed.
    Test::new()
        .tree(format!("{MOVE}/in"))
        .file(
            "backend-ingen-accounts.yaml",
            &prepared.replace("name: backend-ingen-accounts", "name: ingen-db"),
        )
        .args(["secrets", "move", "ingen"])
        .status(2)
        .error(
            "backend-ingen-accounts.yaml:6:9: metadata.name is \"ingen-db\"",
            "backend-ingen-accounts.yaml is already there: substractl writes into it only when it is the Secret backend-ingen-accounts, and never over it",
        )
        .unchanged()
        .run();
    // Credentials in both: refused, nothing changed.
    let both = format!("{prepared}  users: {}\n", base64("ops pw-ops-3141 our-channel\n"));
    Test::new()
        .tree(format!("{MOVE}/in"))
        .file("backend-ingen-values.yaml", &values)
        .file("backend-ingen-accounts.yaml", &both)
        .args(["secrets", "move", "ingen"])
        .status(2)
        .never_shows("pw-ops-3141")
        .stderr_contains("backend-ingen-accounts.yaml holds 1 credential entries already")
        .unchanged()
        .run();
}

#[test]
fn a_manifest_an_edit_would_change_more_of_is_refused_with_its_line() {
    let test = moved();
    let manifest =
        fs::read_to_string(test.path().join("backend-ingen-accounts.yaml")).expect("read");
    let outgoing = manifest
        .lines()
        .find_map(|l| l.strip_prefix("  outgoing_organizations: "))
        .expect("outgoing")
        .to_string();
    // Both lists share one value through an anchor: a rotation would split them.
    let shared =
        manifest.replace("  incoming_organizations: ", "  incoming_organizations: &lines ");
    let shared = shared.replace(
        &format!("  outgoing_organizations: {outgoing}"),
        "  outgoing_organizations: *lines",
    );
    test.file("backend-ingen-accounts.yaml", &shared)
        .args(["link", "ingen", "biotechnica", "--rotate"])
        .status(2)
        .stderr_contains(
            "backend-ingen-accounts.yaml:3:27: data.incoming_organizations holds the anchor &lines",
        )
        .stderr_lacks("please report")
        .unchanged()
        .run();
    // A second document: refused when the manifest is read.
    let test = moved();
    let two = format!("{manifest}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n");
    test.file("backend-ingen-accounts.yaml", &two)
        .args(["unlink", "ingen", "biotechnica"])
        .status(2)
        .stderr_contains(
            "backend-ingen-accounts.yaml:12:1: a Secret manifest holds one YAML document",
        )
        .unchanged()
        .run();
}

/// An entry with a key the Secret's account lines cannot carry (a second password, a token on
/// an admin user) is not moved: the move would lose it. Exit 2, the line, nothing written.
#[test]
fn an_entry_with_keys_the_account_lines_cannot_carry_is_not_moved() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/two-orgs");
    let text = fs::read_to_string(example.join("backend-ingen-values.yaml")).expect("read");
    let doc = text.replacen(
        "      secret: CHANGE-ME-admin-password\n",
        "      secret: CHANGE-ME-admin-password\n      token: TokExtra456\n",
        1,
    );
    assert_ne!(doc, text);
    Test::new()
        .tree(&example)
        .file("backend-ingen-values.yaml", &doc)
        .args(["secrets", "move", "ingen", "--namespace", "org-ingen"])
        .status(2)
        .stderr_matches(r"backend-ingen-values\.yaml:\d+:\d+: entry 1 of addAccountOperator\.users holds the key \x22token\x22")
        .never_shows("TokExtra456")
        .unchanged()
        .run();
}

#[test]
fn base64_wrapped_in_a_block_is_read_as_kubectl_reads_it() {
    // `base64` wraps at 76 columns, and a `|` block keeps the line breaks, which the API
    // server's decoder sets aside: kubectl applies it, so substractl reads and edits it.
    let test = moved();
    let path = test.path().join("backend-ingen-accounts.yaml");
    let single = fs::read_to_string(&path).expect("manifest");
    let value = key_line(&single, "incoming_organizations");
    let wrapped: String = value
        .as_bytes()
        .chunks(20)
        .map(|c| format!("    {}\n", String::from_utf8_lossy(c)))
        .collect();
    let before = single.replace(
        &format!("  incoming_organizations: {value}\n"),
        &format!("  incoming_organizations: |\n{wrapped}"),
    );
    assert_ne!(before, single);
    fs::write(&path, &before).expect("write");
    let out = test.args(["check", "links"]).stdout_contains("every one of the 4").run();
    // Rotated: the key is written on one line again, as kubectl writes it; every other byte
    // stays.
    let out = out.then().args(["link", "ingen", "biotechnica", "--rotate"]).run();
    let after = out.read("backend-ingen-accounts.yaml");
    let rotated = ["incoming_organizations", "outgoing_organizations"];
    assert_eq!(without(&single, &rotated), without(&after, &rotated), "{after}");
    let theirs = kubectl::read_back(&after);
    for k in rotated {
        let (old, new) = (entries(&kubectl::read_back(&single), k), entries(&theirs, k));
        assert_eq!(new.iter().map(|e| &e.0).collect::<Vec<_>>(), ["ingen", "biotechnica"]);
        assert!(old.iter().zip(&new).all(|(o, n)| o.1 != n.1), "{k}: {new:?}");
    }
    out.then().args(["check", "links"]).stdout_contains("every one of the 4").run();
}

/// The value a manifest writes on the line of `k` (base64, as kubectl writes it).
fn key_line(manifest: &str, k: &str) -> String {
    let prefix = format!("  {k}: ");
    manifest.lines().find_map(|l| l.strip_prefix(&prefix)).expect(k).to_string()
}

#[test]
fn a_move_makes_the_header_link_wrote_name_the_secret() {
    let out = Test::new().args(["link", "ingen", "biotechnica"]).run();
    let header = |out: &crate::support::Output, org: &str| {
        out.read(&format!("backend-{org}-values.yaml"))
            .lines()
            .take(2)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(header(&out, "ingen").ends_with(
        "# This file holds secrets: keep it private (mode 0600) and out of version control."
    ));
    let out = out.then().args(["secrets", "move", "ingen"]).run();
    assert_eq!(
        header(&out, "ingen"),
        "# Backend values for ingen, generated by substractl link.\n\
         # Its credentials are in the Secret named by addAccountOperator.existingSecret."
    );
    // The other file still holds its credentials, and says so.
    assert!(header(&out, "biotechnica").ends_with("out of version control."));
    // A header the operator rewrote is theirs.
    let path = out.path().join("backend-biotechnica-values.yaml");
    let text = fs::read_to_string(&path).expect("values");
    fs::write(
        &path,
        text.replacen("# This file holds secrets", "# Ours: this file holds secrets", 1),
    )
    .expect("write");
    let out = out.then().args(["secrets", "move", "biotechnica"]).run();
    assert!(header(&out, "biotechnica").ends_with(
        "# Ours: this file holds secrets: keep it private (mode 0600) and out of version control."
    ));
}

/// An anchor inside the lists a move takes out, read by an alias elsewhere, is refused at its
/// line with exit 2 (the alias would be left without it), and nothing changes.
#[test]
fn a_move_refuses_lists_holding_an_anchor_an_alias_reads() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/two-orgs");
    let original =
        std::fs::read_to_string(example.join("backend-ingen-values.yaml")).expect("read");
    let password = "AdminPassw0rdAdminPassw0rd";
    let users = "    - name: admin\n      secret: CHANGE-ME-admin-password\n";
    for (users_now, extra, line) in [
        (
            format!("    - name: admin\n      secret: &pw {password}\n"),
            "db:\n  password: *pw\n",
            "19:15",
        ),
        (
            format!("    - &adm\n      name: admin\n      secret: {password}\n"),
            "copy: *adm\n",
            "18:7",
        ),
    ] {
        let doc = format!("{}{extra}", original.replace(users, &users_now));
        for args in [
            &["secrets", "move", "ingen"][..],
            &["secrets", "move", "ingen", "--dry-run"],
            &["link", "ingen", "biotechnica", "--existing-secret"],
        ] {
            crate::support::Test::new()
                .tree(&example)
                .file("backend-ingen-values.yaml", &doc)
                .args(args)
                .status(2)
                .stderr_contains(&format!(
                    "backend-ingen-values.yaml:{line}: addAccountOperator.users holds the anchor"
                ))
                .stderr_lacks("please report")
                .never_shows(password)
                .unchanged()
                .run();
        }
    }
}

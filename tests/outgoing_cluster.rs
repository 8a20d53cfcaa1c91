//! `check outgoing --in-cluster` against hostile kubectl scripts (tests/support/hostile.rs):
//! every run ends by its --timeout with the whole process group gone, kubectl's output is
//! capped, and a table that is not whole is a failure.

use std::time::Duration;

use crate::support::hostile::{alive, Kubectl, TABLE};
use crate::support::Test;

/// Far beyond any --timeout below: a run that is still going then has hung.
const HUNG: Duration = Duration::from_secs(60);

fn in_cluster(k: &Kubectl) -> Test {
    Test::new().env("PATH", k.path()).timeout(HUNG).args(["check", "outgoing", "--in-cluster"])
}

#[test]
fn a_child_holding_stdout_does_not_hold_the_check() {
    let k = Kubectl::child_holds_stdout();
    in_cluster(&k)
        .args(["--timeout", "5", "-o", "json"])
        .status(1)
        .stdout_contains("\"org_id\": \"tyrell\"")
        .run();
    assert_eq!(k.running(), Vec::<u32>::new(), "a child of kubectl was left running");
}

#[test]
fn a_child_that_leaves_the_group_and_holds_stdout_does_not_hold_the_check() {
    let k = Kubectl::escaped_child_holds_stdout();
    in_cluster(&k)
        .args(["--timeout", "30", "-o", "json"])
        .status(1)
        .stdout_contains("\"org_id\": \"tyrell\"")
        .stderr_lacks("did not finish")
        .run();
    assert!(!k.pids().is_empty(), "the script did not start its child");
    assert_eq!(k.running(), Vec::<u32>::new(), "a child of kubectl outlived the run");
}

#[test]
fn a_child_in_a_session_of_its_own_does_not_outlive_the_run() {
    let k = Kubectl::escaped_child();
    in_cluster(&k)
        .args(["--timeout", "30", "-o", "json"])
        .status(1)
        .stdout_contains("\"org_id\": \"tyrell\"")
        .run();
    assert!(!k.pids().is_empty(), "the script did not start its child");
    assert_eq!(k.running(), Vec::<u32>::new(), "a child of kubectl outlived the run");
}

#[test]
fn a_child_that_names_itself_in_bytes_does_not_outlive_the_run() {
    let k = Kubectl::escaped_child_named_in_bytes();
    in_cluster(&k).args(["--timeout", "30"]).status(1).run();
    assert_eq!(k.pids().len(), 1, "the script did not start its child");
    assert_eq!(k.running(), Vec::<u32>::new(), "a child of kubectl outlived the run");
}

#[test]
fn a_deep_chain_of_sessions_does_not_outlive_the_run() {
    let k = Kubectl::chain_of_sessions(300, false);
    in_cluster(&k)
        .args(["--timeout", "30", "-o", "json"])
        .status(1)
        .stdout_contains("\"org_id\": \"tyrell\"")
        .run();
    assert_eq!(k.pids().len(), 301, "the script did not start its chain");
    let left = k.running();
    assert!(left.is_empty(), "{} processes of kubectl's chain outlived the run", left.len());
    // At the deadline, the reaper has half a second before its group is killed.
    let k = Kubectl::chain_of_sessions(300, true);
    in_cluster(&k)
        .args(["--timeout", "3"])
        .status(1)
        .stderr_contains("did not finish within 3s")
        .run();
    assert_eq!(k.pids().len(), 301, "the script did not start its chain");
    let left = k.running();
    assert!(left.is_empty(), "{} processes of kubectl's chain outlived the deadline", left.len());
}

#[test]
fn a_double_forked_child_of_an_exec_that_never_returns_ends_at_the_timeout() {
    let k = Kubectl::escaped_grandchild_and_exec_never_returns();
    in_cluster(&k)
        .args(["--timeout", "2"])
        .status(1)
        .stderr_contains("did not finish within 2s")
        .run();
    assert_eq!(k.pids().len(), 2, "the script did not start its children: {:?}", k.pids());
    assert_eq!(k.running(), Vec::<u32>::new(), "a child of kubectl outlived the run");
}

#[test]
fn an_exec_that_never_returns_ends_at_the_timeout_with_its_children() {
    let k = Kubectl::exec_never_returns();
    in_cluster(&k)
        .args(["--timeout", "2", "--context", "c1", "--namespace", "n1"])
        .status(1)
        .stderr_contains("exec pod/backend-server-0 -- ./manage.py get_outgoing_organization` did not finish within 2s (context c1, namespace n1)")
        .stderr_contains("pass a longer --timeout")
        .run();
    assert!(!k.pids().is_empty(), "the script did not start its child");
    assert_eq!(k.running(), Vec::<u32>::new(), "kubectl's child was left running");
}

#[test]
fn kubectl_output_is_capped_at_8_mib() {
    for stderr in [false, true] {
        let k = Kubectl::flood((20 << 20) / 68, stderr);
        let stream = if stderr { "standard error" } else { "standard output" };
        in_cluster(&k)
            .args(["--timeout", "30"])
            .status(1)
            .stderr_contains(&format!("printed more than 8 MiB on its {stream}"))
            .run();
    }
    // Up to the most rows a network's table has, it is read whole.
    let k = Kubectl::flood(10_000, false);
    in_cluster(&k).args(["--timeout", "30", "-o", "json"]).status(0).run();
}

#[test]
fn a_header_only_table_is_a_failure() {
    let header = TABLE.lines().next().unwrap_or_default().to_string() + "\n";
    let k = Kubectl::table(&header);
    in_cluster(&k)
        .status(1)
        .stdout("")
        .stderr_contains("printed the header of get_outgoing_organization's table and no row")
        .run();
}

#[test]
fn a_cut_off_last_row_is_a_failure() {
    let cut = &TABLE[..TABLE.len() - 20];
    let k = Kubectl::table(cut);
    in_cluster(&k)
        .status(1)
        .stdout("")
        .stderr_contains(
            "cut off or broken at line 3: \"|   tyrell    |  http://api.tyrell.example:\"",
        )
        .run();
}

#[test]
fn a_status_with_a_sign_is_not_200() {
    let k =
        Kubectl::table(&TABLE.replace("|     200     |", "|    +200     |").replace("503", "200"));
    let out = in_cluster(&k).args(["-o", "json"]).status(1).run();
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let row = &doc["organizations"][0];
    assert_eq!(row["org_id"], "biotechnica");
    assert_eq!(row["http_status"]["text"], "+200");
    assert_eq!(row["http_status"]["status"], "failure");
    assert!(row["http_status"].get("code").is_none(), "{row}");
}

#[test]
fn a_row_with_a_nul_is_a_failure_and_an_address_loses_its_user_info() {
    let k = Kubectl::table(
        &TABLE
            .replace("|     503     |", "|     200\0    |")
            .replace("http://api.cluster-2.DOMAIN:80", "http://u:pw0rd@api.c2.DOMAIN:80/"),
    );
    let out = in_cluster(&k).args(["-o", "json"]).status(1).never_shows("pw0rd").run();
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let rows = doc["organizations"].as_array().expect("rows");
    assert!(
        rows.iter().any(|r| r["http_status"]["text"] == "the row holds control characters"),
        "{doc}"
    );
    let row = rows.iter().find(|r| r["org_id"] == "tyrell").expect("the row with a NUL");
    let hint = row["hint"].as_str().unwrap_or_default();
    assert!(hint.contains("not a table substractl can trust"), "{row}");
    assert!(!hint.contains("healthy backend"), "the address was never asked: {row}");
    assert!(rows.iter().any(|r| r["org_address"] == "http://api.c2.domain/"), "{doc}");
}

#[test]
fn an_organization_of_the_values_file_missing_from_the_table_is_a_failure() {
    let k = Kubectl::table(TABLE);
    let values = "orchestrator:\n  mspID: ingen\naddAccountOperator:\n  outgoingOrganizations:\n    - name: biotechnica\n      secret: S3cretIngenToBiotechnica0123456789abcdef\n    - name: umbrella\n      secret: S3cretIngenToUmbrella0123456789abcdefgh\n";
    let out = Test::new()
        .env("PATH", k.path())
        .timeout(HUNG)
        .file("backend-ingen-values.yaml", values)
        .args(["check", "outgoing", "--in-cluster", "--org", "ingen", "-o", "json"])
        .status(1)
        .run();
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(doc["organization"], "ingen");
    let rows = doc["organizations"].as_array().expect("rows");
    let umbrella = rows.iter().find(|r| r["org_id"] == "umbrella").expect("umbrella's row");
    assert_eq!(umbrella["http_status"]["text"], "not in the backend's table");
    assert_eq!(umbrella["trouble"], serde_json::json!(["not_in_table"]));
    assert!(umbrella["hint"].as_str().unwrap_or("").contains("helm upgrade"), "{umbrella}");
    assert!(!out.stdout.contains("S3cret"), "a secret reached the output");
}

// Finding (a later pass): with the credentials in a Secret manifest kept elsewhere, the table
// passed without a word, as if the outgoing list were empty.
#[test]
fn a_table_not_compared_with_the_outgoing_list_says_so() {
    let k = Kubectl::table(TABLE);
    let values =
        "orchestrator:\n  mspID: ingen\naddAccountOperator:\n  existingSecret: ingen-accounts\n";
    Test::new()
        .env("PATH", k.path())
        .timeout(HUNG)
        .file("backend-ingen-values.yaml", values)
        .args(["check", "outgoing", "--in-cluster", "--org", "ingen"])
        .status(1)
        .stderr_contains("warning: backend-ingen-values.yaml names addAccountOperator.existingSecret ingen-accounts, and backend-ingen-accounts.yaml is not there: the table is not compared with ingen's outgoing list\n")
        .run();
}

#[test]
fn a_megabyte_line_is_not_echoed_whole() {
    // A broken row of 900 KiB (a table over 1 MiB is not read), then a failing exec whose
    // last stderr line is a megabyte.
    let row = Kubectl::exec(
        "head -n 1 \"$D/table\"\nprintf '| x'\nhead -c 921600 /dev/zero | tr '\\0' x\necho",
    );
    let out = in_cluster(&row).status(1).stderr_contains("cut off or broken at line 2").run();
    assert!(out.stderr.len() < 4096, "{} bytes of stderr", out.stderr.len());
    let err = Kubectl::exec("head -c 1048576 /dev/zero | tr '\\0' e >&2\nexit 1");
    let out = in_cluster(&err).status(1).stderr_contains("eeee").run();
    assert!(out.stderr.len() < 4096, "{} bytes of stderr", out.stderr.len());
}

#[test]
fn a_child_substractl_inherited_from_its_wrapper_is_left_alone() {
    // `sh -c 'sidecar & exec substractl ...'`, as container entrypoints do: the sidecar is a
    // child of substractl that substractl did not start.
    let k = Kubectl::escaped_child();
    let out = in_cluster(&k)
        .wrapper("sleep 300 </dev/null >/dev/null 2>&1 &\necho $! > sidecar.pid")
        .args(["--timeout", "30", "-o", "json"])
        .status(1)
        .stdout_contains("\"org_id\": \"tyrell\"")
        .run();
    let sidecar: u32 = out.read("sidecar.pid").trim().parse().expect("the wrapper's pid file");
    let was_alive = alive(sidecar);
    let _ = std::process::Command::new("kill").arg("-9").arg(sidecar.to_string()).status();
    assert!(was_alive, "substractl killed a process it did not start (the wrapper's child)");
    assert!(!k.pids().is_empty(), "the script did not start its child");
    assert_eq!(k.running(), Vec::<u32>::new(), "a child of kubectl outlived the run");
}

#[test]
fn a_daemon_the_wrapper_starts_during_the_run_is_left_alone() {
    // `sh -c '(...; eval $(ssh-agent -s)) & exec substractl ...'`: once kubectl runs, the
    // wrapper's background job starts a daemon in a session of its own and ends, so the
    // daemon is handed to substractl during the run.
    let k = Kubectl::exec_never_returns();
    let pids = k.dir().join("pids");
    let out = in_cluster(&k)
        .wrapper(&format!(
            "(while [ ! -s '{}' ]; do sleep 0.05; done\nsetsid sleep 300 </dev/null >/dev/null 2>&1 &\necho $! > daemon.pid) &",
            pids.display()
        ))
        .args(["--timeout", "3"])
        .status(1)
        .stderr_contains("did not finish within 3s")
        .run();
    let daemon: u32 = out.read("daemon.pid").trim().parse().expect("the wrapper's pid file");
    let was_alive = alive(daemon);
    let _ = std::process::Command::new("kill").arg("-9").arg(daemon.to_string()).status();
    assert!(was_alive, "substractl killed a daemon it did not start (the wrapper's)");
    assert!(!k.pids().is_empty(), "the script did not start its child");
    assert_eq!(k.running(), Vec::<u32>::new(), "kubectl's child was left running");
}

#[test]
fn a_child_that_joins_the_group_of_substractl_does_not_hold_the_check() {
    let k = Kubectl::child_joins_the_group_of_substractl();
    in_cluster(&k)
        .args(["--timeout", "30", "-o", "json"])
        .status(1)
        .stdout_contains("\"org_id\": \"tyrell\"")
        .stderr_lacks("did not finish")
        .run();
    assert!(!k.pids().is_empty(), "the script did not start its child");
    assert_eq!(k.running(), Vec::<u32>::new(), "a child of kubectl outlived the run");
}

#[test]
fn a_child_whose_kubectl_signals_the_reaper_does_not_outlive_the_run() {
    // A wrapper (or a `pkill substractl`) ends or stops the process substractl runs kubectl
    // under: what kubectl started is still ended with the run.
    for signal in ["TERM", "HUP", "INT", "USR1", "STOP"] {
        let k = Kubectl::signals_its_parent(signal);
        in_cluster(&k).args(["--timeout", "5"]).status(1).run();
        assert!(!k.pids().is_empty(), "{signal}: the script did not start its child");
        assert_eq!(k.running(), Vec::<u32>::new(), "{signal}: a child of kubectl outlived the run");
    }
}

#[test]
fn a_child_that_holds_the_reaper_does_not_hold_the_check_or_outlive_it() {
    // A daemon of kubectl's keeps the process substractl runs kubectl under stopped (SIGSTOP
    // every millisecond) or traced (ptrace): substractl still ends by the deadline, and ends it.
    let modes: &[bool] = if cfg!(target_arch = "x86_64") { &[false, true] } else { &[false] };
    for &trace in modes {
        let k = Kubectl::holds_its_parent(trace);
        in_cluster(&k).args(["--timeout", "3"]).timeout(Duration::from_secs(30)).status(1).run();
        assert!(!k.pids().is_empty(), "trace {trace}: the script did not start its child");
        assert_eq!(
            k.running(),
            Vec::<u32>::new(),
            "trace {trace}: a child of kubectl outlived the run"
        );
    }
}

#[test]
fn a_kubectl_that_stops_substractl_does_not_hold_the_check() {
    // Stopped by the program it runs (SIGSTOP cannot be caught), substractl is woken by its
    // reaper, which ends the program at the deadline by itself.
    for signal in ["STOP", "TSTP", "TTOU"] {
        let k = Kubectl::signals_substractl(signal);
        in_cluster(&k)
            .args(["--timeout", "3"])
            .timeout(Duration::from_secs(30))
            .status(1)
            .stderr_contains("did not finish within 3s")
            .run();
    }
    // A stop the reaper can catch, sent to both: the reaper ends the run and wakes substractl.
    for signal in ["TSTP", "TTIN", "TTOU"] {
        let k = Kubectl::signals_substractl_and_reaper(signal);
        in_cluster(&k).args(["--timeout", "3"]).timeout(Duration::from_secs(30)).status(1).run();
    }
}

#[test]
fn an_error_about_several_pods_names_a_few() {
    // kubectl may list any number of pods: the error names ten and counts the rest.
    let pods: String = (0..5000).map(|i| format!("pod/backend-server-{i}\n")).collect();
    let k = Kubectl::pods(&pods);
    let out = in_cluster(&k).status(2).stderr_contains("5000 pods labelled").run();
    assert!(out.stderr.contains("pod/backend-server-9 and 4990 more"), "{}", out.stderr);
    assert!(out.stderr.len() < 2000, "{}", out.stderr.len());
}

#[test]
fn a_table_over_a_mebibyte_is_not_read() {
    // Reading a text for credentials takes time with its size: the pod's table is read up to
    // 1 MiB, more than the table of any network.
    let k = Kubectl::flood(20_000, false);
    in_cluster(&k)
        .args(["--timeout", "30"])
        .status(1)
        .stderr_contains("printed more than 1 MiB")
        .run();
}

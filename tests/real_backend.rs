//! `check outgoing`, `check all`, `check links`, `check values` and `link` against a loopback
//! backend that behaves as the real substra-backend (tests/support/backend.rs): its anonymous
//! throttle with `Retry-After`, its exact 401 and 400 answers, its decoding of Basic
//! credentials, and the secret rule of its chart and sync job.

use std::time::Duration;

use base64::Engine;
use serde_json::Value;

use crate::support::backend::{drf_basic, Backend, ANON_RATE};
use crate::support::Test;

const S_II: &str = "SecretIngenIngen0123456789abcdefghijklmn";
const S_IB: &str = "SecretIngenToBiotechnica0123456789abcdef";
const S_BI: &str = "SecretBiotechnicaToIngen0123456789abcdef";
const S_BB: &str = "SecretBiotechnicaBiotechnica0123456789ab";

/// A backend values file as `link` writes it.
fn values(org: &str, domain: &str, incoming: &[(&str, &str)], outgoing: &[(&str, &str)]) -> String {
    let mut y = format!(
        "organizationName: {org}\nserver:\n  defaultDomain: {domain}\norchestrator:\n  mspID: {org}\n  channels:\n    - our-channel: {{restricted: false}}\naddAccountOperator:\n"
    );
    for (key, list) in [("incomingOrganizations", incoming), ("outgoingOrganizations", outgoing)] {
        y.push_str(&format!("  {key}:\n"));
        for (name, secret) in list {
            y.push_str(&format!("    - name: {name}\n      secret: {secret}\n"));
        }
    }
    y
}

/// Two organizations, their files agreeing, each backend holding `ingen_holds` and
/// `biotechnica_holds` as incoming secrets.
fn two_orgs(ingen: &Backend, biotechnica: &Backend) -> Test {
    Test::new()
        .file(
            "backend-ingen-values.yaml",
            &values(
                "ingen",
                &ingen.url(),
                &[("ingen", S_II), ("biotechnica", S_BI)],
                &[("ingen", S_II), ("biotechnica", S_IB)],
            ),
        )
        .file(
            "backend-biotechnica-values.yaml",
            &values(
                "biotechnica",
                &biotechnica.url(),
                &[("ingen", S_IB), ("biotechnica", S_BB)],
                &[("ingen", S_BI), ("biotechnica", S_BB)],
            ),
        )
        .timeout(Duration::from_secs(120))
}

fn backends() -> (Backend, Backend) {
    (
        Backend::start(&[("ingen", S_II), ("biotechnica", S_BI)]),
        Backend::start(&[("ingen", S_IB), ("biotechnica", S_BB)]),
    )
}

fn json(out: &crate::support::Output) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

#[test]
fn repeated_checks_never_trip_the_anonymous_throttle() {
    let (ingen, biotechnica) = backends();
    // More runs than the anonymous allowance: each run of the former probe spent one
    // anonymous /info/ per pair.
    for _ in 0..ANON_RATE / 2 + 2 {
        two_orgs(&ingen, &biotechnica)
            .args(["check", "outgoing", "--all"])
            .stdout_contains("passed: 4 of 4 links")
            .run();
    }
    assert!(ingen.anonymous().is_empty(), "{:?}", ingen.anonymous());
    assert!(biotechnica.anonymous().is_empty(), "{:?}", biotechnica.anonymous());
}

#[test]
fn check_all_wait_passes_once_the_backend_is_given_its_file() {
    let (ingen, biotechnica) = backends();
    // The files agree, but biotechnica's running backend still holds an old secret for ingen
    // (`link --rotate` before `helm upgrade`), and gets the new one twelve seconds later.
    biotechnica.set_incoming(&[("ingen", "the-old-secret"), ("biotechnica", S_BB)]);
    let upgrade = std::thread::spawn({
        let url = biotechnica.url();
        move || {
            std::thread::sleep(Duration::from_secs(12));
            url
        }
    });
    // The directory has no orchestrator file and loopback addresses: the static checks fail,
    // the network ones are the point here.
    let test = two_orgs(&ingen, &biotechnica).args(["check", "all", "--wait", "60s"]);
    let run = std::thread::spawn(move || test.status(1).run());
    let _ = upgrade.join();
    biotechnica.set_incoming(&[("ingen", S_IB), ("biotechnica", S_BB)]);
    let out = run.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
    let (_, links) = out.stdout.split_once("\noutgoing\n").expect("the outgoing group");
    assert_eq!(links.matches("  ok ").count(), 4, "{}", out.stdout);
    assert!(!links.contains("  failure "), "{}", out.stdout);
    assert!(biotechnica.anonymous().is_empty(), "{:?}", biotechnica.anonymous());
}

#[test]
fn a_429_says_who_throttled_whom_and_why() {
    let (ingen, biotechnica) = backends();
    biotechnica.spend_anonymous_allowance();
    let out = two_orgs(&ingen, &biotechnica)
        .args(["check", "outgoing", "--org", "ingen", "--no-auth", "-o", "json"])
        .status(1)
        .run();
    let doc = json(&out);
    let row = doc["organizations"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["org_id"] == "biotechnica"))
        .cloned()
        .expect("row");
    let cell = row["http_status"]["text"].as_str().unwrap_or_default();
    assert!(
        cell.starts_with(
            "throttled (429) by biotechnica's backend (anonymous /info/), retry after "
        ),
        "{row}"
    );
    assert_eq!(row["http_status"]["code"], 429);
    assert_eq!(row["trouble"], serde_json::json!(["throttled"]));
    assert!(row["retry_after"].as_u64().is_some_and(|s| s > 0 && s <= 60), "{row}");
    let hint = row["hint"].as_str().unwrap_or_default();
    for part in
        ["40 a minute", "AnonRateThrottle", "DEFAULT_THROTTLE_RATES", "this machine's address"]
    {
        assert!(hint.contains(part), "{hint}");
    }
    assert!(!hint.contains("healthy"), "{hint}");
    // The legacy table keeps the backend command's numeric cell.
    two_orgs(&ingen, &biotechnica)
        .args(["check", "outgoing", "--org", "ingen", "--no-auth", "--format", "legacy"])
        .status(1)
        .stdout_contains(&format!("| biotechnica | {} |     429     |", biotechnica.url()))
        .run();
}

#[test]
fn check_all_wait_never_asks_before_retry_after() {
    let (ingen, biotechnica) = backends();
    biotechnica.spend_anonymous_allowance();
    // ingen holds no secret for biotechnica (an existingSecret): only /info/ can be asked.
    let out = two_orgs(&ingen, &biotechnica)
        .file(
            "backend-ingen-values.yaml",
            &values(
                "ingen",
                &ingen.url(),
                &[("ingen", S_II), ("biotechnica", S_BI)],
                &[("ingen", S_II), ("biotechnica", "~")],
            ),
        )
        .args(["check", "all", "--wait", "5s"])
        .status(1)
        .stdout_contains("throttled (429) by biotechnica's backend")
        .run();
    let _ = out;
    let anonymous = biotechnica.anonymous();
    assert_eq!(anonymous.len(), 1, "asked again before Retry-After: {anonymous:?}");
    assert_eq!(anonymous[0].status, 429);
}

#[test]
fn credentials_are_sent_in_latin1_as_the_backends_client_sends_them() {
    let latin1 = "Sécurité-Ingen-Biotechnica-0123456789ß";
    let ingen = Backend::start(&[]);
    let biotechnica = Backend::start(&[("ingen", latin1)]);
    two_orgs(&ingen, &biotechnica)
        .file(
            "backend-ingen-values.yaml",
            &values("ingen", &ingen.url(), &[], &[("biotechnica", latin1)]),
        )
        .args(["check", "outgoing", "--org", "ingen"])
        .stdout_contains("accepted")
        .run();
    let model = biotechnica.requests().into_iter().find(|r| r.path.starts_with("/model/"));
    let header = model.and_then(|m| m.authorization).expect("authorization");
    let bytes: Vec<u8> = format!("ingen:{latin1}").chars().map(|c| c as u8).collect();
    let expected = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(bytes));
    assert_eq!(header, expected, "not latin-1");
    assert_eq!(drf_basic(&header), Some(("ingen".into(), latin1.into())));
}

#[test]
fn a_secret_outside_latin1_is_never_accepted() {
    let euro = "Price-in-Euro-€-0123456789abcdefghijklmno";
    let ingen = Backend::start(&[]);
    // The server side would store it (and accept its UTF-8 spelling), but the backend's client
    // can never send it.
    let biotechnica = Backend::start(&[("ingen", euro)]);
    let out = two_orgs(&ingen, &biotechnica)
        .file(
            "backend-ingen-values.yaml",
            &values("ingen", &ingen.url(), &[], &[("biotechnica", euro)]),
        )
        .args(["check", "outgoing", "--org", "ingen", "-o", "json"])
        .status(1)
        .run();
    let doc = json(&out);
    let row = &doc["organizations"][0];
    assert_eq!(row["auth"]["status"], "failure", "{row}");
    assert!(row["auth"]["text"].as_str().unwrap_or_default().contains("outside latin-1"), "{row}");
    assert_eq!(row["trouble"], serde_json::json!(["unusable_secret"]), "{row}");
    assert!(!out.stdout.contains(euro));
    assert!(biotechnica.requests().iter().all(|r| !r.path.starts_with("/model/")));
}

#[test]
fn unusable_secrets_are_flagged_and_repaired() {
    let long = "L".repeat(129);
    let files = |t: Test| {
        t.file(
            "backend-ingen-values.yaml",
            &values(
                "ingen",
                "http://ingen.test",
                &[("ingen", "Price-in-Euro-€-0123456789abcdefghijklmno"), ("biotechnica", &long)],
                &[
                    ("ingen", "Price-in-Euro-€-0123456789abcdefghijklmno"),
                    ("biotechnica", "\"Has a space-0123456789abcdefghijklmnop\""),
                ],
            ),
        )
        .file(
            "backend-biotechnica-values.yaml",
            &values(
                "biotechnica",
                "http://biotechnica.test",
                &[
                    ("ingen", "\"Has a space-0123456789abcdefghijklmnop\""),
                    ("biotechnica", "1234567890123456789012345678901234567890"),
                ],
                &[("ingen", &long), ("biotechnica", "1234567890123456789012345678901234567890")],
            ),
        )
    };
    files(Test::new())
        .args(["check", "links"])
        .status(1)
        .stdout_contains("outside latin-1")
        .stdout_contains("129 characters long")
        .stdout_contains("whitespace")
        .stdout_contains("%!s(float64=...)")
        .never_shows("1.2345678901234568e+39")
        .stdout_contains("substractl link biotechnica ingen")
        .run();
    files(Test::new())
        .args(["check", "values"])
        .status(1)
        .stdout_contains("outside latin-1")
        .stdout_contains("%!s(float64=...)")
        .never_shows("1.2345678901234568e+39")
        .run();
    let out = files(Test::new()).args(["link", "biotechnica", "ingen"]).run();
    assert_eq!(out.stdout.matches("repaired").count(), 4, "{}", out.stdout);
    assert!(!out.stdout.contains('€') && !out.stdout.contains("LLLL"), "{}", out.stdout);
    Test::new().tree(out.path()).args(["check", "links"]).stdout_contains("ok").run();
}

#[test]
fn hints_follow_what_the_values_files_say() {
    let (ingen, biotechnica) = backends();
    // The files agree; biotechnica's running backend holds something else.
    biotechnica.set_incoming(&[("ingen", "the-old-secret"), ("biotechnica", S_BB)]);
    two_orgs(&ingen, &biotechnica)
        .args(["check", "outgoing", "--org", "ingen"])
        .status(1)
        .stdout_contains("the values files agree")
        .stdout_contains("biotechnica's running backend has not been given its file yet")
        .stdout_contains("helm upgrade RELEASE substra/substra-backend --namespace NAMESPACE --version VERSION --values backend-biotechnica-values.yaml")
        .run();
    // The files differ.
    two_orgs(&ingen, &biotechnica)
        .file(
            "backend-biotechnica-values.yaml",
            &values("biotechnica", &biotechnica.url(), &[("ingen", "the-old-secret")], &[]),
        )
        .args(["check", "outgoing", "--org", "ingen"])
        .status(1)
        .stdout_contains("biotechnica's incoming secret for ingen differs from ingen's outgoing secret: re-pair them with `substractl link ingen biotechnica`")
        .run();
    // A self pair is repaired by naming the organization once.
    ingen.set_incoming(&[("ingen", "the-old-secret")]);
    let out = two_orgs(&ingen, &biotechnica)
        .file(
            "backend-ingen-values.yaml",
            &values("ingen", &ingen.url(), &[("ingen", "another")], &[("ingen", S_II)]),
        )
        .args(["check", "outgoing", "--org", "ingen"])
        .status(1)
        .stdout_contains("re-pair them with `substractl link ingen`")
        .run();
    assert!(!out.stdout.contains("link ingen ingen"), "{}", out.stdout);
}

#[test]
fn accepted_proves_the_secret_not_the_channel() {
    let (ingen, biotechnica) = backends();
    // The real /model/ answers 200 for any channel name.
    let out = two_orgs(&ingen, &biotechnica)
        .args(["check", "outgoing", "--org", "ingen", "--channel", "no-such-channel", "-o", "json"])
        .run();
    let doc = json(&out);
    assert_eq!(doc["ok"], true);
    let proves = doc["accepted_proves"].as_str().unwrap_or_default();
    assert!(proves.contains("the secret, not the channel"), "{doc}");
    // The header is always sent (the real /model/ answers 400 without it).
    let seen = biotechnica.requests();
    assert!(seen.iter().all(|r| r.channel.as_deref() == Some("no-such-channel")), "{seen:?}");
}

#[test]
fn legacy_error_cells_are_the_python_exception_texts() {
    let (ingen, biotechnica) = backends();
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = silent.local_addr().expect("addr").port();
    let out = two_orgs(&ingen, &biotechnica)
        .file(
            "backend-ingen-values.yaml",
            &values("ingen", &ingen.url(), &[], &[("biotechnica", S_IB), ("tyrell", "x")]),
        )
        .args([
            "check",
            "outgoing",
            "--org",
            "ingen",
            "--format",
            "legacy",
            "--timeout",
            "1",
            "--address",
            &format!("tyrell=http://127.0.0.1:{port}"),
        ])
        .status(1)
        .run();
    assert!(
        out.stdout.contains(&format!(
            "| HTTPConnectionPool(host='127.0.0.1', port={port}): Read timed out. (read timeout=1) |"
        )),
        "{}",
        out.stdout
    );
    drop(silent);
}

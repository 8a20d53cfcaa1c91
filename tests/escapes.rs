//! Text from values files, servers and kubectl is shown, never obeyed: every control character
//! and bidi override reaches the terminal escaped (tables, check details, hints, errors), the
//! JSON output keeps the exact text, and substractl's own colours still paint.

use crate::support::hostile_text::{
    assert_json_exact, assert_visible, grpc_server, http_server, kubectl, yaml_quoted, PAYLOAD,
    WORD,
};
use crate::support::{orchestrator_chart_values, Output, Test};

/// A deployment whose backend `a` names a channel, its address and the organization it logs in
/// to with the payload; backend `b` is called by the payload's name.
fn hostile_deployment() -> Test {
    let p = yaml_quoted(PAYLOAD);
    let w = yaml_quoted(WORD);
    // A comment holds its characters raw: YAML allows bidi overrides there (a diff shows it).
    let comment = "evil\u{202e}desrever\u{2066}";
    Test::new()
        .file(
            "backend-a-values.yaml",
            &format!(
                "server:\n  defaultDomain: {p}\norchestrator:\n  mspID: a\n  channels:\n    - {p}: {{restricted: false}}\n\
                 addAccountOperator:\n  outgoingOrganizations:\n    - name: {w}\n      secret: s3cret\n    - name: b\n      secret: s3cret\n\
                 \x20 incomingOrganizations:\n    - name: {w}\n      secret: s3cret\n"
            ),
        )
        .file(
            "backend-b-values.yaml",
            &format!(
                "server:\n  defaultDomain: {p}\norchestrator:\n  mspID: b\n  channels:\n    - {w}: {{restricted: false}}\n# {comment}\n"
            ),
        )
        .file("orchestrator-values.yaml", &orchestrator_chart_values())
}

fn visible(what: &str, out: &Output) {
    assert_visible(&format!("{what}: stdout"), &out.stdout, false);
    assert_visible(&format!("{what}: stderr"), &out.stderr, false);
}

#[test]
fn values_files_are_shown_escaped_and_kept_exact_in_json() {
    let commands: [(&[&str], i32, &str); 6] = [
        (&["check", "values"], 1, PAYLOAD),
        (&["check", "all"], 1, PAYLOAD),
        (&["check", "links", "a", WORD], 2, WORD),
        (&["check", "outgoing", "--org", "a", "--no-auth"], 1, WORD),
        (&["check", "outgoing", "--all", "--no-auth"], 1, WORD),
        (&["link", "a", "b", "--dry-run"], 0, PAYLOAD),
    ];
    for (args, status, exact) in commands {
        let what = args.join(" ");
        let out = hostile_deployment().args(args).status(status).run();
        visible(&what, &out);
        assert!(
            out.stdout.contains("\\u{") || out.stderr.contains("\\u{"),
            "{what}: the escape is shown:\n{}{}",
            out.stdout,
            out.stderr
        );
        if args[0] != "link" && status != 2 {
            let out = hostile_deployment().args(args).args(["-o", "json"]).status(status).run();
            assert_json_exact(&what, &out.stdout, exact);
            assert_visible(&format!("{what} -o json: stderr"), &out.stderr, false);
        }
    }
}

#[test]
fn colours_still_paint_around_escaped_text() {
    let out = hostile_deployment().args(["check", "values", "--color", "always"]).status(1).run();
    assert!(out.stdout.contains("\x1b[31mfailure \x1b[0m"), "{:?}", out.stdout);
    assert!(out.stdout.contains("\x1b[32mok      \x1b[0m"), "{:?}", out.stdout);
    assert_visible("check values --color always", &out.stdout, true);
    let out = hostile_deployment()
        .args(["check", "outgoing", "--org", "a", "--no-auth", "--color", "always"])
        .status(1)
        .run();
    assert!(out.stdout.contains("\x1b[31mfailed\x1b[0m"), "{:?}", out.stdout);
    assert_visible("check outgoing --color always", &out.stdout, true);
}

#[test]
fn a_grpc_server_is_shown_escaped_and_kept_exact_in_json() {
    let addr = grpc_server(false).to_string();
    let out = Test::new().args(["grpc", "list", "--plaintext", &addr]).run();
    visible("grpc list", &out);
    assert!(out.stdout.contains("evil.x\\u{1b}]0;owned\\u{7}"), "{}", out.stdout);
    let out = Test::new().args(["grpc", "list", "--plaintext", &addr, "-o", "json"]).run();
    assert_json_exact("grpc list -o json", &out.stdout, WORD);
    let service = format!("evil.{WORD}");
    let out = Test::new().args(["grpc", "list", "--plaintext", &addr, &service]).run();
    visible("grpc list SERVICE", &out);
    let out =
        Test::new().args(["grpc", "list", "--plaintext", &addr, &service, "-o", "json"]).run();
    assert_json_exact("grpc list SERVICE -o json", &out.stdout, WORD);

    let refusing = grpc_server(true).to_string();
    let out = Test::new().args(["grpc", "list", "--plaintext", &refusing]).status(1).run();
    visible("grpc list of a refusing server", &out);
    assert!(out.stderr.contains("\\u{7f}\\n  failure  forged-2"), "{}", out.stderr);
    let check =
        ["check", "orchestrator", "--plaintext", &refusing, "--mspid", "a", "--channel", "c"];
    let out = Test::new().args(check).status(1).run();
    visible("check orchestrator", &out);
    let out = Test::new().args(check).args(["-o", "json"]).status(1).run();
    assert_json_exact("check orchestrator -o json", &out.stdout, PAYLOAD);
}

#[test]
fn an_http_server_is_shown_escaped() {
    let addr = http_server();
    let address = format!("b=http://{addr}");
    for json in [false, true] {
        let mut test = hostile_deployment().args([
            "check",
            "outgoing",
            "--org",
            "a",
            "--address",
            &address,
            "--channel",
            "c",
        ]);
        if json {
            test = test.args(["-o", "json"]);
        }
        let out = test.status(1).run();
        visible(&format!("check outgoing against {addr} (json: {json})"), &out);
    }
}

#[test]
fn kubectl_is_shown_escaped() {
    let in_cluster = ["check", "outgoing", "--in-cluster", "--context", "c", "--namespace", "n"];
    let dir = tempfile::tempdir().expect("dir");
    // Two pods, both named with the payload: refused as no pod name, and shown escaped.
    let path = kubectl(dir.path(), &format!("pod/{WORD}\npod/{PAYLOAD}\n"), "", "", 0);
    let out = Test::new().env("PATH", &path).args(in_cluster).status(1).run();
    visible("kubectl: pods", &out);
    assert!(out.stderr.contains("which is not pod/NAME"), "{}", out.stderr);
    // The exec fails, saying the payload on stderr.
    let dir = tempfile::tempdir().expect("dir");
    let path = kubectl(dir.path(), "pod/p\n", "", &format!("error: {PAYLOAD}\n"), 1);
    let out = Test::new().env("PATH", &path).args(in_cluster).status(1).run();
    visible("kubectl: stderr", &out);
    assert!(out.stderr.contains("forged"), "{}", out.stderr);
    // The backend's table names organizations with the payload.
    let table = format!(
        "| org_id | org_address | http_status |\n| {WORD} | http://{WORD}:80 | 200 |\n| b | http://b{WORD} | 503 |\n"
    );
    for extra in [&[][..], &["-o", "json"], &["--format", "legacy"]] {
        let dir = tempfile::tempdir().expect("dir");
        let path = kubectl(dir.path(), "pod/p\n", &table, "", 0);
        let out = Test::new().env("PATH", &path).args(in_cluster).args(extra).status(1).run();
        if extra.first() == Some(&"-o") {
            assert_json_exact("kubectl: table -o json", &out.stdout, "b");
        } else {
            visible(&format!("kubectl: table {extra:?}"), &out);
        }
    }
}

#[test]
fn a_grpc_server_echoing_a_header_in_pieces_never_shows_it() {
    use crate::support::hostile_text::grpc_server_saying;
    const TOKEN: &str = "Zq7Kp2Lm9XwvutsrR4Tn8Wb3Vc6Yd1Hf5Jg0QsNyBe";
    // The token of `authorization: Bearer TOKEN`, in pieces of three between blanks, and in
    // pieces of seven between dashes.
    let addr = grpc_server_saying(Some(|auth: &str| {
        let token = auth.trim_start_matches("Bearer ");
        let pieces = |n: usize, sep: &str| {
            token.as_bytes().chunks(n).map(String::from_utf8_lossy).collect::<Vec<_>>().join(sep)
        };
        format!("denied {} or {}", pieces(3, " "), pieces(7, "-"))
    }))
    .to_string();
    let header = format!("authorization: Bearer {TOKEN}");
    let spaced: Vec<char> = TOKEN
        .as_bytes()
        .chunks(3)
        .map(String::from_utf8_lossy)
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    let chars: Vec<char> = TOKEN.chars().collect();
    let pieces: Vec<String> =
        chars.windows(7).chain(spaced.windows(11)).map(|w| w.iter().collect::<String>()).collect();
    let hidden = |test: Test| pieces.iter().fold(test, |t, p| t.never_shows(p));
    for format in ["table", "json"] {
        hidden(Test::new())
            .args(["grpc", "list", "--plaintext", &addr, "-H", &header, "-o", format])
            .status(1)
            .run();
        hidden(Test::new())
            .args(["check", "orchestrator", "--plaintext", &addr, "-H", &header])
            .args(["--mspid", "a", "--channel", "c", "-o", format])
            .status(1)
            .run();
    }
}

#[test]
fn an_http1_reason_phrase_is_not_shown() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    const TOKEN: &str = "Zq7Kp2Lm9XwvutsrR4Tn8Wb3Vc6Yd1Hf5Jg0QsNyBe";
    // A server that answers HTTP/1 with the token, spaced out, as its reason phrase.
    let spaced = TOKEN.as_bytes().chunks(3).map(String::from_utf8_lossy).collect::<Vec<_>>();
    let line = format!("HTTP/1.1 400 {}\r\nContent-Length: 0\r\n\r\n", spaced.join(" "));
    let rt = crate::support::runtime();
    let listener =
        rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("addr").to_string();
    rt.spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else { return };
            let line = line.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                let _ = stream.read(&mut buf).await;
                let _ = stream.write_all(line.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    let header = format!("authorization: Bearer {TOKEN}");
    let pieces: Vec<String> = spaced.windows(3).map(|w| w.join(" ")).collect();
    let hidden = |test: Test| pieces.iter().fold(test, |t, p| t.never_shows(p));
    for format in ["table", "json"] {
        hidden(Test::new())
            .args(["grpc", "list", "--plaintext", &addr, "-H", &header, "-o", format])
            .status_in(&[1, 2])
            .stderr_contains("HTTP/1.1 400 Bad Request")
            .run();
        hidden(Test::new())
            .args(["check", "orchestrator", "--plaintext", &addr, "-H", &header, "-o", format])
            .status(1)
            .run();
    }
}

#[test]
fn check_all_never_shows_a_secret_the_orchestrator_echoes() {
    // The orchestrator and a backend may be one hostile host: it says what the backend got,
    // whole, spaced out or in upper case.
    let spaced = pieces(SECRET, 3, " ");
    for said in [SECRET.to_string(), spaced, SECRET.to_uppercase()] {
        check_all_with_an_orchestrator_saying(&said);
    }
}

/// A long random secret, and the token of `-H 'authorization: Bearer TOKEN'`.
const SECRET: &str = "Zq7Kp2Lm9XwvutsrR4Tn8Wb3Vc6Yd1Hf5Jg0QsNyBe";

/// `text` in pieces of `n` characters joined by `sep`.
fn pieces(text: &str, n: usize, sep: &str) -> String {
    crate::support::http::every(text, n, sep)
}

/// Every run of seven characters of the secret, as is, in lower and upper case and reversed,
/// and every run of eight of its hex and base32 spellings: none may be shown.
fn secret_runs() -> Vec<String> {
    let reversed: String = SECRET.chars().rev().collect();
    let mut runs = Vec::new();
    for (text, n) in [
        (SECRET.to_string(), 7),
        (SECRET.to_lowercase(), 7),
        (SECRET.to_uppercase(), 7),
        (reversed, 7),
        (hex::encode(SECRET), 8),
        (crate::support::http::base32(SECRET.as_bytes()), 8),
        (crate::support::http::base32(SECRET.as_bytes()).to_lowercase(), 8),
    ] {
        let chars: Vec<char> = text.chars().collect();
        runs.extend(chars.windows(n).map(|w| w.iter().collect::<String>()));
    }
    runs
}

fn hiding(test: Test) -> Test {
    secret_runs().iter().fold(test, |t, r| t.never_shows(r))
}

/// `grpc list` and `check orchestrator` on `addr` with the secret as a bearer token, in table
/// and JSON; `extra` are more arguments (TLS). `shown` is in what `grpc list` says, and in
/// what `check orchestrator` says with `checked` (its health check sends no header).
fn with_the_token(addr: &str, extra: &[&str], shown: &str, checked: bool) {
    let header = format!("authorization: Bearer {SECRET}");
    for format in ["table", "json"] {
        hiding(Test::new())
            .args(["grpc", "list", addr, "-H", &header, "-o", format])
            .args(extra)
            .status(1)
            .stderr_contains(shown)
            .run();
        let test = hiding(Test::new())
            .args(["check", "orchestrator", addr, "-H", &header])
            .args(["--mspid", "a", "--channel", "c", "-o", format])
            .args(extra)
            .status(1);
        if checked {
            test.stdout_contains(shown).run();
        } else {
            test.run();
        }
    }
}

#[test]
fn a_grpc_status_message_never_shows_a_token_in_another_spelling() {
    use crate::support::hostile_text::grpc_server_saying;
    let spellings: Vec<fn(&str) -> String> = vec![
        |t| t.to_uppercase(),
        |t| t.to_lowercase(),
        |t| t.chars().rev().collect(),
        |t| pieces(t, 7, "X"),
        |t| pieces(&hex::encode(t), 7, "z"),
        |t| crate::support::http::base32(t.as_bytes()),
        |t| crate::support::http::base32(t.as_bytes()).to_lowercase(),
        |t| t.chars().map(|c| char::from_u32(u32::from(c) + 0xFEE0).unwrap_or(c)).collect(),
    ];
    for spell in spellings {
        let addr = grpc_server_saying(Some(move |auth: &str| {
            format!("denied {}", spell(auth.trim_start_matches("Bearer ")))
        }))
        .to_string();
        with_the_token(&addr, &["--plaintext"], "denied <redacted>", false);
    }
}

#[test]
fn a_reflection_error_never_shows_a_token() {
    use crate::support::hostile_text::{reflection_saying, Reflected};
    let addr = reflection_saying(|auth: &str| {
        let token = auth.trim_start_matches("Bearer ");
        Reflected::Error(format!("not found: {}", pieces(token, 3, " ")))
    })
    .to_string();
    with_the_token(&addr, &["--plaintext"], "not found: <redacted>", true);
}

#[test]
fn service_names_holding_pieces_of_a_token_are_not_shown() {
    use crate::support::hostile_text::{reflection_saying, Reflected};
    let addr = reflection_saying(|auth: &str| {
        let token = auth.trim_start_matches("Bearer ");
        let mut names: Vec<String> = token
            .as_bytes()
            .chunks(6)
            .map(|c| format!("svc.{}\x1b]0;x\x07", String::from_utf8_lossy(c)))
            .collect();
        names.push("grpc.health.v1.Health".to_string());
        Reflected::Services(names)
    })
    .to_string();
    let header = format!("authorization: Bearer {SECRET}");
    let pieces: Vec<String> =
        SECRET.as_bytes().chunks(6).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    for format in ["table", "json"] {
        let test = Test::new()
            .args(["grpc", "list", "--plaintext", &addr, "-H", &header, "-o", format])
            .stdout_contains("grpc.health.v1.Health")
            .stdout_contains("<redacted>");
        pieces.iter().fold(test, |t, p| t.never_shows(&format!("svc.{p}"))).run();
    }
}

#[test]
fn certificate_names_never_show_a_token() {
    use crate::support::grpc::{serve, Reflection, Spec, Tls};
    let ca = crate::support::pki::Ca::new(&pieces(&SECRET.to_uppercase(), 12, " "));
    let lower = format!("{}.example", pieces(&SECRET.to_lowercase(), 12, "."));
    let upper = format!("{}.example", pieces(&SECRET.to_uppercase(), 12, "."));
    let (cert, key) = ca.leaf(&[&lower, &upper], None, 365);
    let addr = serve(Spec::plain(Reflection::Both).tls(Tls { cert, key, client_ca: None }));
    let addr = addr.to_string();
    let dir = tempfile::tempdir().expect("temp dir");
    let ca_path = dir.path().join("ca.pem");
    std::fs::write(&ca_path, &ca.pem).expect("ca");
    let ca_path = ca_path.to_string_lossy().into_owned();
    with_the_token(&addr, &["--cacert", &ca_path], "<redacted>", true);
    // An unknown authority names its issuer: the CA's name holds the token too.
    with_the_token(&addr, &[], "<redacted>", true);
}

#[test]
fn check_all_never_shows_an_admin_password_the_orchestrator_echoes() {
    use crate::support::hostile_text::grpc_server_saying;
    const PASSWORD: &str = "Hv3Rk8Qw2Zx5Pm7Ln4Bt6Yc9";
    let port = grpc_server_saying(Some(|_: &str| format!("denied {PASSWORD}"))).port();
    let backend = |me: &str| {
        format!(
            "organizationName: {me}\nserver:\n  defaultDomain: http://127.0.0.1:1\n\
             orchestrator:\n  host: 127.0.0.1\n  port: {port}\n  mspID: {me}\n  tls:\n    enabled: false\n\
             \x20 channels:\n    - c: {{restricted: false}}\n\
             addAccountOperator:\n  users:\n    - name: admin\n      secret: {PASSWORD}\n      channel: c\n"
        )
    };
    Test::new()
        .file("backend-a-values.yaml", &backend("a"))
        .file("backend-b-values.yaml", &backend("b"))
        .file("orchestrator-values.yaml", &orchestrator_chart_values())
        .args(["check", "all", "--timeout", "2"])
        .status(1)
        .stdout_contains("denied <redacted>")
        .never_shows(PASSWORD)
        .never_shows(&PASSWORD.to_uppercase()[..10])
        .run();
}

fn check_all_with_an_orchestrator_saying(said: &str) {
    use crate::support::hostile_text::grpc_server_saying;
    let said = said.to_string();
    let port = grpc_server_saying(Some(move |_: &str| format!("denied {said}"))).port();
    let backend = |me: &str, other: &str| {
        format!(
            "organizationName: {me}\nserver:\n  defaultDomain: http://127.0.0.1:1\n\
             orchestrator:\n  host: 127.0.0.1\n  port: {port}\n  mspID: {me}\n  tls:\n    enabled: false\n\
             \x20 channels:\n    - c: {{restricted: false}}\n\
             addAccountOperator:\n  incomingOrganizations:\n    - name: {other}\n      secret: {SECRET}\n\
             \x20 outgoingOrganizations:\n    - name: {other}\n      secret: {SECRET}\n"
        )
    };
    for format in ["table", "json"] {
        Test::new()
            .file("backend-a-values.yaml", &backend("a", "b"))
            .file("backend-b-values.yaml", &backend("b", "a"))
            .file("orchestrator-values.yaml", &orchestrator_chart_values())
            .args(["check", "all", "--timeout", "2", "-o", format])
            .status(1)
            .stdout_contains("denied <redacted>")
            .never_shows(SECRET)
            .never_shows(&SECRET.to_uppercase()[..8])
            .never_shows(&pieces(SECRET, 3, " ")[4..16])
            .run();
    }
}

/// Credentials a deployment holds besides its pair secrets, each where an operator keeps it:
/// backend a's `minio.auth.rootPassword`, backend b's `postgresql.auth.postgresPassword`, the
/// orchestrator's `database.auth.password` (the chart's anchor gives it to
/// `postgresql.auth.password` too), the admin password that only backend a's `existingSecret`
/// manifest holds, and backend b's short `redis.auth.password`.
const MINIO_ROOT: &str = "Mr7Qx2Vb9Lk4Wp6Zt3Nc8";
const PG_SUPERUSER: &str = "Pg4Hs9Jd2Ky7Rm5Tb8Wq3";
const ORCHESTRATOR_DB: &str = "Od6Fv3Lz8Xc1Nq5Gw9Ej2";
const ADMIN_IN_MANIFEST: &str = "Am2Sd8Kf5Hj1Lp9Zx4Cv7";
const SHORT_REDIS: &str = "r3d1s9";

const HELD: [&str; 5] = [MINIO_ROOT, PG_SUPERUSER, ORCHESTRATOR_DB, ADMIN_IN_MANIFEST, SHORT_REDIS];

/// A deployment of backends a and b whose orchestrator is at `port` (plaintext), holding the
/// credentials of [`HELD`].
fn deployment_holding_credentials(port: u16) -> Test {
    let backend = |me: &str, extra: &str| {
        format!(
            "organizationName: {me}\nserver:\n  defaultDomain: http://127.0.0.1:1\n\
             orchestrator:\n  host: 127.0.0.1\n  port: {port}\n  mspID: {me}\n  tls:\n    enabled: false\n\
             \x20 channels:\n    - c: {{restricted: false}}\n{extra}"
        )
    };
    let a = backend(
        "a",
        &format!(
            "addAccountOperator:\n  existingSecret: backend-a-accounts\n\
             minio:\n  auth:\n    rootUser: minio\n    rootPassword: {MINIO_ROOT}\n"
        ),
    );
    let b = backend(
        "b",
        &format!(
            "postgresql:\n  auth:\n    postgresPassword: {PG_SUPERUSER}\n\
             redis:\n  auth:\n    password: {SHORT_REDIS}\n"
        ),
    );
    let users = format!("--from-literal=users=admin {ADMIN_IN_MANIFEST} c\n");
    let scratch = tempfile::tempdir().expect("temp dir");
    let manifest = crate::support::kubectl::manifest(
        scratch.path(),
        "org-a",
        &[
            "create",
            "secret",
            "generic",
            "backend-a-accounts",
            &users,
            "--from-literal=incoming_organizations=",
            "--from-literal=outgoing_organizations=",
        ],
    );
    let orchestrator = orchestrator_chart_values().replace(
        "password: &psql-password postgres",
        &format!("password: &psql-password {ORCHESTRATOR_DB}"),
    );
    assert!(orchestrator.contains(ORCHESTRATOR_DB), "the chart's password is set");
    Test::new()
        .file("backend-a-values.yaml", &a)
        .file("backend-a-accounts.yaml", &manifest)
        .file("backend-b-values.yaml", &b)
        .file("orchestrator-values.yaml", &orchestrator)
}

#[test]
fn check_all_never_shows_a_credential_of_the_deployment_the_orchestrator_echoes() {
    use crate::support::hostile_text::grpc_server_saying;
    // The orchestrator and the backends' databases may be one hostile host: it says every
    // credential of the deployment it knows, as written and in upper case.
    for said in [HELD.join(", "), HELD.join(", ").to_uppercase()] {
        let port = grpc_server_saying(Some(move |_: &str| format!("denied {said}"))).port();
        for format in ["table", "json"] {
            HELD.iter()
                .fold(deployment_holding_credentials(port), |t, s| {
                    t.never_shows(s).never_shows(&s.to_uppercase())
                })
                .args(["check", "all", "--timeout", "2", "-o", format])
                .status(1)
                .stdout_contains("denied <redacted>, <redacted>")
                .run();
        }
    }
}

/// `secret` in base64 after `before`, as a server spells what it received inside a longer
/// message, and the pieces of that spelling that hold only bits of the secret (its characters
/// from the first that does, in two halves): none may be shown.
fn base64_pieces(before: &str, secret: &str) -> (String, Vec<String>) {
    use base64::Engine;
    let spelled = base64::engine::general_purpose::STANDARD.encode(format!("{before}{secret}"));
    let first = (before.len() * 8).div_ceil(6);
    let last = (before.len() + secret.len()) * 8 / 6;
    let core = &spelled[first..last];
    let half = core.len() / 2;
    (spelled.clone(), vec![core.to_string(), core[..half].to_string(), core[half..].to_string()])
}

/// A deployment of backends a and b whose orchestrator is at `port` (plaintext), b's
/// `postgresql.auth` and `minio.auth` holding `credentials` (the postgres password, the
/// database user's, minio's root password).
fn deployment_with_database_passwords(port: u16, credentials: [&str; 3]) -> Test {
    let [postgres, user, minio] = credentials;
    let backend = |me: &str, extra: &str| {
        format!(
            "organizationName: {me}\nserver:\n  defaultDomain: http://127.0.0.1:1\n\
             orchestrator:\n  host: 127.0.0.1\n  port: {port}\n  mspID: {me}\n  tls:\n    enabled: false\n\
             \x20 channels:\n    - c: {{restricted: false}}\n{extra}"
        )
    };
    let b = format!(
        "postgresql:\n  auth:\n    postgresPassword: {postgres}\n    password: {user}\n\
         minio:\n  auth:\n    rootPassword: {minio}\n"
    );
    Test::new()
        .file("backend-a-values.yaml", &backend("a", ""))
        .file("backend-b-values.yaml", &backend("b", &b))
        .file("orchestrator-values.yaml", &orchestrator_chart_values())
}

#[test]
fn check_all_never_shows_a_credential_of_8_to_10_characters_echoed_in_base64_at_any_alignment() {
    use crate::support::hostile_text::grpc_server_saying;
    // The orchestrator says what a database got, in base64 after one byte or two of its own.
    const PASSWORDS: [&str; 3] = ["Kq7vTz2m", "Wd4rLs8nB", "Hy3pXc6jRf"];
    let mut said = Vec::new();
    let mut pieces = Vec::new();
    for password in PASSWORDS {
        for before in ["x", "xx"] {
            let (spelled, secret) = base64_pieces(before, password);
            said.push(spelled);
            pieces.extend(secret);
        }
    }
    let said = said.join(" ");
    let port = grpc_server_saying(Some(move |_: &str| format!("echo {said}"))).port();
    for format in ["table", "json"] {
        pieces
            .iter()
            .chain(&PASSWORDS.map(str::to_string))
            .fold(deployment_with_database_passwords(port, PASSWORDS), |t, p| t.never_shows(p))
            .args(["check", "all", "--timeout", "2", "-o", format])
            .status(1)
            .stdout_contains("refused the call: echo ")
            .stdout_contains("<redacted>")
            .run();
    }
}

#[test]
fn a_header_value_of_8_to_10_characters_echoed_in_base64_at_any_alignment_is_not_shown() {
    use crate::support::hostile_text::grpc_server_saying;
    for key in ["Kq7vTz2m", "Wd4rLs8nB", "Hy3pXc6jRf"] {
        let mut pieces = Vec::new();
        // The key alone as the header's value (with a scheme before it, `Bearer KEY`, the
        // value's own spellings hold some of the key's).
        let addr = grpc_server_saying(Some(|key: &str| {
            let spelled: Vec<String> =
                ["x", "xx"].iter().map(|before| base64_pieces(before, key).0).collect();
            format!("denied {}", spelled.join(" "))
        }))
        .to_string();
        for before in ["x", "xx"] {
            pieces.extend(base64_pieces(before, key).1);
        }
        let header = format!("authorization: {key}");
        for format in ["table", "json"] {
            pieces
                .iter()
                .fold(Test::new(), |t, p| t.never_shows(p))
                .never_shows(key)
                .args(["grpc", "list", "--plaintext", &addr, "-H", &header, "-o", format])
                .status(1)
                .stderr_contains("refused the call: denied ")
                .stderr_contains("<redacted>")
                .run();
        }
    }
}

#[test]
fn check_all_never_shows_a_credential_beyond_ascii_in_another_case() {
    use crate::support::hostile_text::grpc_server_saying;
    // A short password, a user's password with `ß` and minio's long one, said in upper case
    // (`ß` becomes `SS`) and as written.
    const PASSWORDS: [&str; 3] = ["pässwö", "Straßenpasswort9", "ÖlgemäldeSchlüssel"];
    let said =
        format!("{} {}", PASSWORDS.map(|p| p.to_uppercase()).join(", "), PASSWORDS.join(", "));
    let port = grpc_server_saying(Some(move |_: &str| format!("denied {said}"))).port();
    let shown = |p: &str| {
        let upper: Vec<char> = p.to_uppercase().chars().collect();
        let lower: Vec<char> = p.chars().collect();
        let mut pieces = vec![p.to_string(), p.to_uppercase()];
        for chars in [upper, lower] {
            pieces.extend(chars.windows(6).map(|w| w.iter().collect::<String>()));
        }
        pieces
    };
    for format in ["table", "json"] {
        PASSWORDS
            .iter()
            .flat_map(|p| shown(p))
            .fold(deployment_with_database_passwords(port, PASSWORDS), |t, p| t.never_shows(&p))
            .args(["check", "all", "--timeout", "2", "-o", format])
            .status(1)
            .stdout_contains(
                "denied <redacted>, <redacted>, <redacted> <redacted>, <redacted>, <redacted>",
            )
            .run();
    }
}

/// A directory or file name is text anyone who can write there chose: a newline in it never
/// ends a line of a dry run's diff (which would forge the next line), and `init` checks the
/// organizations it finds by their files' names as it checks names given to it.
#[test]
fn file_names_never_forge_a_line() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/two-orgs");
    let dir = "nl\nFORGED";
    for args in [
        &["link", "ingen", "biotechnica", "--rotate", "--dry-run", "--dir", dir][..],
        &["secrets", "move", "ingen", "--namespace", "x", "--dry-run", "--dir", dir],
    ] {
        let mut t = Test::new();
        for name in ["backend-ingen-values.yaml", "backend-biotechnica-values.yaml"] {
            let text = std::fs::read_to_string(example.join(name)).expect("example");
            t = t.file(&format!("{dir}/{name}"), &text);
        }
        let out = t.args(args).run();
        assert!(
            out.stdout.contains("--- a/nl\\nFORGED/backend-ingen-values.yaml"),
            "{}",
            out.stdout
        );
        assert!(!out.stdout.lines().any(|l| l.starts_with("FORGED")), "{}", out.stdout);
    }
    let name = "ev\u{1b}]0;pwned\u{7}\u{202e}il\nforged";
    let text = std::fs::read_to_string(example.join("backend-ingen-values.yaml")).expect("example");
    Test::new()
        .file("d/backend-ingen-values.yaml", &text)
        .file(&format!("d/backend-{name}-values.yaml"), &text.replace("mspID: ingen", "mspID: x"))
        .args(["init", "--yes", "--out", "d"])
        .status(2)
        .stderr_contains("contains whitespace, from the file names of d")
        .stderr_lacks("\u{1b}")
        .unchanged()
        .run();
}

/// clap's own errors quote the argument they refuse: an argument is text the caller chose, and
/// its escape sequences, C1 controls, bidi overrides and newlines are shown escaped, off and on a
/// terminal, with clap's exit status.
#[test]
fn arguments_clap_refuses_are_shown_escaped() {
    let forged = "1\u{9b}31m\r\nerror: forged line\u{2066}";
    let title = "x\u{1b}]0;pwned\u{7}\u{1b}[2JRED\u{202e}abc";
    let attached = format!("-o{forged}");
    let both = format!("--lock-wait=x{title}\nerror: forged");
    let cases: [&[&str]; 6] = [
        &["--lock-wait", forged, "check", "links"],
        &["completions", title],
        &[title, "links"],
        &["check", "links", &format!("--lock-wait={forged}")],
        // An attached value, and one whose escape sequence a terminal would swallow.
        &["check", "links", &attached],
        &["check", "links", &both],
    ];
    for args in cases {
        for pty in [false, true] {
            let mut t = Test::new().args(args).status(2);
            if pty {
                t = t.pty(100);
            }
            let out = t.run();
            let all = format!("{}{}", out.stdout, out.stderr);
            for raw in ['\u{1b}', '\u{9b}', '\u{7}', '\u{202e}', '\u{2066}', '\r'] {
                assert!(!all.contains(raw), "{raw:?} shown raw for {args:?}:\n{all}");
            }
            assert!(!all.lines().any(|l| l.starts_with("error: forged")), "{all}");
            assert!(all.contains("error:"), "{all}");
        }
    }
}

//! The charts' own default values, for the keys substractl reads, and Helm's rules for putting
//! a values file over them.
//!
//! These defaults are data copied from the two charts' `values.yaml` (a test compares every
//! one of them with the real files in `tests/fixtures/charts/`). A key a values file leaves
//! out takes its default here; `null` removes a default; maps merge deeply; lists and scalars
//! replace. Switches are read twice, as the charts' templates and as the programs read them
//! (SUBSTRA.md section 8), by [`truthy`], [`to_bool`] and [`go_bool`].

use std::sync::OnceLock;

use serde_json::Value;

/// The substra-backend chart whose defaults are below.
pub const BACKEND_CHART: &str = "substra/substra-backend";
pub const BACKEND_VERSION: &str = "26.15.3";
/// The orchestrator chart whose defaults are below.
pub const ORCHESTRATOR_CHART: &str = "substra/orchestrator";
pub const ORCHESTRATOR_VERSION: &str = "8.8.0";

/// substra-backend 26.15.3 `values.yaml`, the keys substractl reads.
const BACKEND_DEFAULTS: &str = "\
organizationName: owkin
server:
  defaultDomain: localhost
orchestrator:
  host: orchestrator.local
  port: 9000
  tls:
    enabled: false
    cacert: null
    mtls:
      enabled: false
      clientCertificate: null
  mspID: OwkinPeerMSP
  channels:
    - mychannel:
        restricted: false
        model_export_enabled: false
addAccountOperator:
  outgoingOrganizations: []
  incomingOrganizations: []
  users: []
  existingSecret: \"\"
";

/// orchestrator 8.8.0 `values.yaml`, the keys substractl reads.
const ORCHESTRATOR_DEFAULTS: &str = "\
service:
  port: 9000
ingress:
  enabled: false
  hostname: \"\"
orchestrator:
  verifyClientMSPID: false
  tls:
    enabled: false
    secrets:
      pair: orchestrator-tls-server-pair
    cacert: orchestrator-tls-cacert
    mtls:
      enabled: false
      clientCACerts: {}
channels: []
";

fn parse(text: &str) -> Value {
    serde_saphyr::from_str_with_options(text, crate::values::helm_options()).unwrap_or(Value::Null)
}

/// The backend chart's defaults, as data.
pub fn backend_defaults() -> &'static Value {
    static DEFAULTS: OnceLock<Value> = OnceLock::new();
    DEFAULTS.get_or_init(|| parse(BACKEND_DEFAULTS))
}

/// The orchestrator chart's defaults, as data.
pub fn orchestrator_defaults() -> &'static Value {
    static DEFAULTS: OnceLock<Value> = OnceLock::new();
    DEFAULTS.get_or_init(|| parse(ORCHESTRATOR_DEFAULTS))
}

/// The value Helm gives `path` when `user` is coalesced over `defaults`: a user map merges
/// with the default map key by key, anything else the user writes replaces the default, and a
/// user `null` removes it. None when the key ends up absent (or null).
pub fn coalesced<'a>(user: &'a Value, defaults: &'a Value, path: &[&str]) -> Option<&'a Value> {
    fn walk<'a>(
        user: Option<&'a Value>,
        default: Option<&'a Value>,
        path: &[&str],
    ) -> Option<&'a Value> {
        match user {
            // A user null removes the default.
            Some(Value::Null) => None,
            Some(Value::Object(map)) => match path.split_first() {
                None => Some(user?),
                Some((key, rest)) => {
                    let next = default.and_then(Value::as_object).and_then(|d| d.get(*key));
                    walk(map.get(*key), next, rest)
                }
            },
            // A scalar or a list replaces the default whole: nothing lies below it.
            Some(other) => path.is_empty().then_some(other),
            None => {
                let found = path.iter().try_fold(default?, |v, k| v.get(k))?;
                (!found.is_null()).then_some(found)
            }
        }
    }
    walk((!user.is_null()).then_some(user), Some(defaults), path)
}

/// A default of the backend chart, as a template prints it.
pub fn backend_default(path: &[&str]) -> String {
    render(coalesced(&Value::Null, backend_defaults(), path))
}

/// Go template truthiness (`{{ if x }}`): false, 0, "", an empty list or map, and nil are
/// false; everything else, the string "false" included, is true.
pub fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(m)) => !m.is_empty(),
    }
}

/// Go template `and a b ...`: the first false argument, else the last.
pub fn and<'a>(args: &[Option<&'a Value>]) -> Option<&'a Value> {
    for a in args {
        if !truthy(*a) {
            return *a;
        }
    }
    args.last().copied().flatten()
}

/// A value as a template prints it (`{{ x }}`, or `quote`, which prints nil as nothing).
/// Helm reads numbers as floats; whole ones print without a fraction.
pub fn render(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        // A float64 to Helm, printed as Go prints it (`1000000` is `1e+06`).
        Some(Value::Number(n)) => match n.as_f64() {
            Some(f) => crate::values::backend::go_float(f),
            None => n.to_string(),
        },
        Some(other) => other.to_string(),
    }
}

/// The backend's `to_bool` of an environment variable (substra-backend settings).
pub fn to_bool(text: &str) -> bool {
    matches!(
        text,
        "t" | "T" | "y" | "Y" | "yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" | "1"
    )
}

/// Go's `strconv.ParseBool`, as the orchestrator reads its switches; None when it fails.
pub fn go_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// The start of the name the orchestrator's chart gives the pod volume of each client CA,
/// `orchestrator-tls-client-cacert-{{ kebabcase $mspID }}` (its `templates/deployment.yaml`).
pub const CLIENT_CA_VOLUME: &str = "orchestrator-tls-client-cacert-";

/// Why the orchestrator's chart cannot name the volume of the client CAs keyed by each MSP ID
/// of `keys` (the keys of `orchestrator.tls.mtls.clientCACerts`): Kubernetes takes a volume
/// name of at most 63 lowercase letters, digits and '-', one per pod, so an MSP ID too long,
/// with another character, or whose volume name another's matches (`OrgA` and `org-a` are
/// both `org-a` to kebabcase) makes a Deployment the API server refuses. One problem per MSP
/// ID that has one.
pub fn client_ca_volume_problems(keys: &[String]) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let mut names: Vec<(String, &str)> = Vec::new();
    for key in keys {
        if let Some(c) = key.chars().find(|c| !c.is_ascii_alphanumeric() && !matches!(c, '-' | '_'))
        {
            problems.push((
                key.clone(),
                format!(
                    "holds {c:?}, which the orchestrator's chart keeps in the name of this MSP \
                     ID's client CA volume ({CLIENT_CA_VOLUME}...): Kubernetes takes only \
                     lowercase letters, digits and '-' there"
                ),
            ));
            continue;
        }
        let name = format!("{CLIENT_CA_VOLUME}{}", kebabcase(key));
        if name.len() > 63 || name.ends_with('-') {
            let why = if name.len() > 63 {
                format!("{} characters, over the 63 Kubernetes takes", name.len())
            } else {
                "it ends with '-', which Kubernetes refuses".into()
            };
            problems.push((
                key.clone(),
                format!("the orchestrator's chart names its client CA volume {name}: {why}"),
            ));
        } else if let Some((_, other)) = names.iter().find(|(n, _)| *n == name) {
            let shared = |who: &str, with: &str| {
                format!(
                    "the orchestrator's chart names {who}'s client CA volume {name}, as {with}'s: \
                     a pod holds one volume of a name"
                )
            };
            if !problems.iter().any(|(k, _)| k == other) {
                problems.push((other.to_string(), shared(other, key)));
            }
            problems.push((key.clone(), shared(key, other)));
        } else {
            names.push((name, key.as_str()));
        }
    }
    problems
}

/// Sprig's `kebabcase` (xstrings' `ToKebabCase`: its releases 1.3.3 and 1.5, of sprig 3.2 and
/// 3.3, agree on such texts; a test runs Debian's xstrings) of a text of ASCII letters,
/// digits, '-' and '_': words split at case and digit changes, lowercase, joined by '-' (`OwkinPeerMSP` is `owkin-peer-msp`, `HTTP20xOK` `http-20x-ok`, `Bld4Floor3rd`
/// `bld4-floor-3rd`).
pub fn kebabcase(text: &str) -> String {
    #[derive(Clone, Copy, PartialEq)]
    enum W {
        None,
        Number,
        Upper,
        Lower,
        Connector,
    }
    let connector = |b: u8| b == b'-' || b == b'_';
    // The next word of `s` and what follows it, as xstrings' nextWord splits them.
    let next = |s: &[u8]| -> (W, usize) {
        let Some(&c) = s.first() else { return (W::None, 0) };
        let run = |from: usize, f: &dyn Fn(u8) -> bool| {
            from + s[from..].iter().take_while(|b| f(**b)).count()
        };
        if connector(c) {
            (W::Connector, run(1, &connector))
        } else if c.is_ascii_uppercase() {
            match s.get(1) {
                Some(b) if b.is_ascii_uppercase() => {
                    let end = run(2, &|b| b.is_ascii_uppercase());
                    // `HTTPServer`: the last capital starts the next word.
                    let gives_back = s.get(end).is_some_and(u8::is_ascii_alphabetic);
                    (W::Upper, if gives_back { end - 1 } else { end })
                }
                Some(b) if b.is_ascii_lowercase() => {
                    (W::Upper, run(2, &|b| b.is_ascii_lowercase()))
                }
                _ => (W::Upper, 1),
            }
        } else if c.is_ascii_lowercase() {
            (W::Lower, run(1, &|b| b.is_ascii_lowercase()))
        } else {
            (W::Number, run(1, &|b| b.is_ascii_digit()))
        }
    };
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() * 2);
    let write = |out: &mut String, w: W, word: &[u8]| {
        for &b in word {
            out.push(match w {
                W::Connector => '-',
                _ => char::from(b.to_ascii_lowercase()),
            });
        }
    };
    // (kind, word) of the word at `at`, and where the rest starts.
    let mut at = 0;
    let take = |at: &mut usize| {
        let (w, len) = next(&bytes[*at..]);
        let word = &bytes[*at..*at + len];
        *at += len;
        (w, word)
    };
    let (mut w, mut word) = take(&mut at);
    while at < bytes.len() {
        if w != W::Connector {
            write(&mut out, w, word);
        }
        let (prev, last) = (w, word);
        (w, word) = take(&mut at);
        match prev {
            W::Number => {
                while matches!(w, W::Lower | W::Number) {
                    write(&mut out, w, word);
                    (w, word) = take(&mut at);
                }
                if !matches!(w, W::None | W::Connector) {
                    out.push('-');
                }
            }
            W::Connector => write(&mut out, prev, last),
            _ => {
                if w != W::Number {
                    if w != W::Connector {
                        out.push('-');
                    }
                    continue;
                }
                if at >= bytes.len() {
                    continue;
                }
                let number = word;
                (w, word) = take(&mut at);
                if w != W::Lower {
                    write(&mut out, W::Number, number);
                    if w != W::Connector {
                        out.push('-');
                    }
                    continue;
                }
                // Lowercase letters after a number: `HTTP2xx` is `http-2xx`.
                out.push('-');
                write(&mut out, W::Number, number);
                while matches!(w, W::Lower | W::Number) {
                    write(&mut out, w, word);
                    (w, word) = take(&mut at);
                }
                if !matches!(w, W::None | W::Connector) {
                    out.push('-');
                }
            }
        }
    }
    write(&mut out, w, word);
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn kebabcase_splits_words_as_sprig_does() {
        // xstrings' own examples, and the chart's default MSP ID.
        for (text, kebab) in [
            ("FirstName", "first-name"),
            ("HTTPServer", "http-server"),
            ("NoHTTPS", "no-https"),
            ("GO_PATH", "go-path"),
            ("GO-PATH", "go-path"),
            ("http2xx", "http-2xx"),
            ("HTTP20xOK", "http-20x-ok"),
            ("Duration2m3s", "duration-2m3s"),
            ("Bld4Floor3rd", "bld4-floor-3rd"),
            ("OwkinPeerMSP", "owkin-peer-msp"),
            ("ingen", "ingen"),
            ("OrgA", "org-a"),
            ("org-a", "org-a"),
            ("org__a", "org--a"),
            ("a1", "a1"),
            ("A", "a"),
            ("12", "12"),
            ("ab_", "ab-"),
        ] {
            assert_eq!(kebabcase(text), kebab, "{text}");
        }
    }

    /// xstrings' own `ToKebabCase` (Debian's golang-github-huandu-xstrings-dev, installed by
    /// scripts/test-deps), run by Go over the same MSP IDs.
    #[test]
    fn kebabcase_is_xstrings_own() {
        let dir = tempfile::tempdir().expect("tempdir");
        let main = dir.path().join("src/kebab/main.go");
        std::fs::create_dir_all(main.parent().expect("dir")).expect("mkdir");
        std::fs::write(
            &main,
            "package main\n\nimport (\n\t\"bufio\"\n\t\"fmt\"\n\t\"os\"\n\n\t\"github.com/huandu/xstrings\"\n)\n\nfunc main() {\n\ts := bufio.NewScanner(os.Stdin)\n\tfor s.Scan() {\n\t\tfmt.Println(xstrings.ToKebabCase(s.Text()))\n\t}\n}\n",
        )
        .expect("write");
        let gopath = format!("{}:/usr/share/gocode", dir.path().display());
        let bin = dir.path().join("kebab");
        let built = std::process::Command::new("go")
            .args(["build", "-o"])
            .arg(&bin)
            .arg("kebab")
            .env("GO111MODULE", "off")
            .env("GOPATH", &gopath)
            .env("GOCACHE", dir.path().join("cache"))
            .output()
            .expect("go (scripts/test-deps installs it)");
        assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
        // MSP IDs of letters, digits, '-' and '_': written ones, then 5,000 drawn.
        let mut ids: Vec<String> = [
            "OwkinPeerMSP",
            "Org1MSP",
            "HTTPServer",
            "a1b2C3",
            "A1",
            "1A",
            "a__b",
            "--a",
            "a--",
            "AbcDEF",
            "ABCdef",
            "HTTP2xx",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let alphabet: Vec<char> = "AaBbZz09_-MSPOrgxX1".chars().collect();
        let mut state: u64 = 7;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % n
        };
        for _ in 0..5000 {
            let len = 1 + next(12);
            ids.push((0..len).map(|_| alphabet[next(alphabet.len() as u64) as usize]).collect());
        }
        let mut child = std::process::Command::new(&bin)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("run");
        let input = ids.join("\n") + "\n";
        std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), input.as_bytes())
            .expect("write");
        let out = child.wait_with_output().expect("output");
        let go: Vec<&str> = std::str::from_utf8(&out.stdout).expect("utf-8").lines().collect();
        assert_eq!(go.len(), ids.len());
        for (id, kebab) in ids.iter().zip(go) {
            assert_eq!(kebabcase(id), kebab, "{id}");
        }
    }

    #[test]
    fn client_ca_volumes_kubernetes_refuses_are_found() {
        let keys = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(client_ca_volume_problems(&keys(&[
            "ingen",
            "OwkinPeerMSP",
            "a-32-characters-long-msp-id-abcd"
        ]))
        .is_empty());
        let found = client_ca_volume_problems(&keys(&[
            "OrgA",
            "org-a",
            "verylongorganizationidentifier-0123456789",
            "org.a",
            "Ingen\u{e9}",
            "trailing_",
        ]));
        let who: Vec<&str> = found.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            who,
            [
                "OrgA",
                "org-a",
                "verylongorganizationidentifier-0123456789",
                "org.a",
                "Ingen\u{e9}",
                "trailing_"
            ]
        );
        assert!(
            found[0].1.contains(
                "names OrgA's client CA volume orchestrator-tls-client-cacert-org-a, as org-a's"
            ),
            "{found:?}"
        );
        assert!(
            found[1].1.contains(
                "names org-a's client CA volume orchestrator-tls-client-cacert-org-a, as OrgA's"
            ),
            "{found:?}"
        );
        assert!(found[2].1.contains("72 characters, over the 63"), "{found:?}");
        assert!(found[3].1.contains("holds '.'"), "{found:?}");
    }

    #[test]
    fn maps_merge_lists_replace_and_null_removes() {
        let d = backend_defaults();
        let user = json!({"orchestrator": {"host": "o.example", "tls": {"mtls": null}, "channels": ["c"]}});
        assert_eq!(coalesced(&user, d, &["orchestrator", "host"]), Some(&json!("o.example")));
        assert_eq!(coalesced(&user, d, &["orchestrator", "port"]), Some(&json!(9000)));
        assert_eq!(coalesced(&user, d, &["orchestrator", "tls", "enabled"]), Some(&json!(false)));
        assert_eq!(coalesced(&user, d, &["orchestrator", "tls", "mtls", "enabled"]), None);
        assert_eq!(coalesced(&user, d, &["orchestrator", "channels"]), Some(&json!(["c"])));
        assert_eq!(coalesced(&user, d, &["orchestrator", "tls", "cacert"]), None);
        let removed = json!({"orchestrator": null});
        assert_eq!(coalesced(&removed, d, &["orchestrator", "port"]), None);
        assert_eq!(
            coalesced(&Value::Null, d, &["orchestrator", "mspID"]),
            Some(&json!("OwkinPeerMSP"))
        );
        let scalar = json!({"orchestrator": "x"});
        assert_eq!(coalesced(&scalar, d, &["orchestrator", "port"]), None);
    }

    #[test]
    fn switches_are_read_as_templates_and_programs_read_them() {
        for (v, truth, backend) in [
            (json!(true), true, true),
            (json!(false), false, false),
            (json!("true"), true, true),
            (json!("false"), true, false),
            (json!("yes"), true, true),
            (json!(1), true, true),
            (json!(0), false, false),
            (json!(""), false, false),
        ] {
            assert_eq!(truthy(Some(&v)), truth, "{v}");
            assert_eq!(to_bool(&render(Some(&v))), backend, "{v}");
        }
        assert_eq!(render(Some(&json!(9000))), "9000");
        assert_eq!(render(Some(&json!(9000.0))), "9000");
        let (t, f) = (json!("false"), json!(true));
        assert_eq!(and(&[Some(&t), Some(&f)]), Some(&f));
        assert_eq!(go_bool("yes"), None);
    }
}

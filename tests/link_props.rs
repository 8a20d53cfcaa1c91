//! Property tests of `link`: for random sets of organizations and random prior states, the
//! pairing rule holds, a second run changes nothing, and every line the command does not own
//! is still there, in order.

use std::collections::BTreeMap;
use std::fs;

use proptest::prelude::*;

use crate::link::{assert_mesh, chart_for, list, Deploy};

/// A small deterministic generator, so that one proptest seed gives one scenario.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A generated entry line block; `owned` when link may change or remove it.
struct Entry {
    text: String,
    owned: bool,
}

fn gen_list(rng: &mut Rng, key: &str, named: &[String]) -> (String, Vec<Entry>) {
    let pool: Vec<String> =
        named.iter().cloned().chain(["outsider1".to_string(), "Outsider-2".to_string()]).collect();
    let count = rng.below(5);
    let flow_list = rng.chance(15);
    let mut entries = Vec::new();
    for _ in 0..count {
        let name = pool[rng.below(pool.len())].clone();
        let secret = ["s1", "s2", "\"s1\"", "'quoted-s2'", "S3cr3t"][rng.below(5)];
        let channel = rng.chance(25);
        let owned = named.contains(&name);
        let text = if flow_list {
            let ch = if channel { ", channel: our-channel" } else { "" };
            format!("{{name: {name}, secret: {secret}{ch}}}")
        } else if rng.chance(30) {
            let ch = if channel { ", channel: our-channel" } else { "" };
            format!("    - {{ name: {name}, secret: {secret}{ch} }}\n")
        } else {
            let ch = if channel { "      channel: our-channel\n" } else { "" };
            let comment = if rng.chance(20) { " # a comment" } else { "" };
            format!("    - name: {name}{comment}\n      secret: {secret}\n{ch}")
        };
        entries.push(Entry { text, owned });
    }
    let text = if flow_list {
        let body: Vec<String> = entries.iter().map(|e| e.text.clone()).collect();
        // A flow list is rewritten whole when it changes: all of it is owned.
        for e in &mut entries {
            e.owned = true;
        }
        format!("  {key}: [{}]\n", body.join(", "))
    } else if entries.is_empty() {
        if rng.chance(50) {
            format!("  {key}: []\n")
        } else {
            String::new()
        }
    } else {
        let body: String = entries.iter().map(|e| e.text.as_str()).collect();
        format!("  {key}:\n{body}")
    };
    (text, entries)
}

/// Writes a random prior state; returns, per file, the lines that link does not own.
fn prior_state(rng: &mut Rng, deploy: &Deploy, orgs: &[String]) -> BTreeMap<String, Vec<String>> {
    let mut kept = BTreeMap::new();
    for org in orgs {
        let kind = rng.below(4);
        if kind == 0 {
            continue; // no file yet
        }
        let (inc, inc_entries) = gen_list(rng, "incomingOrganizations", orgs);
        let (out, out_entries) = gen_list(rng, "outgoingOrganizations", orgs);
        let text = if kind == 1 {
            let chart = chart_for(org);
            chart
                .replace("  outgoingOrganizations: []\n", &out)
                .replace("  incomingOrganizations: []\n", &inc)
        } else {
            format!(
                "# values of {org}\norganizationName: {org}\norchestrator:\n  mspID: {org}\naddAccountOperator:\n  users: []\n{inc}{out}  existingSecret: \"\"\nafter: 1\n"
            )
        };
        fs::write(deploy.path(org), &text).expect("write");
        let mut owned_lines: Vec<&str> = Vec::new();
        for e in inc_entries.iter().chain(&out_entries).filter(|e| e.owned) {
            owned_lines.extend(e.text.lines());
        }
        let unowned = text
            .lines()
            .filter(|l| {
                !owned_lines.contains(l)
                    && !l.contains("incomingOrganizations:")
                    && !l.contains("outgoingOrganizations:")
            })
            .map(str::to_string)
            .collect();
        kept.insert(org.clone(), unowned);
    }
    kept
}

fn outsiders(text: &str) -> Vec<(String, String, bool)> {
    ["incomingOrganizations", "outgoingOrganizations"]
        .iter()
        .flat_map(|k| list(text, k))
        .filter(|e| e.0.starts_with("outsider") || e.0.starts_with("Outsider"))
        .collect()
}

/// The document as an independent parser (saphyr) reads it, as JSON data.
fn saphyr_data(text: &str) -> serde_json::Value {
    use saphyr::{LoadableYamlNode, Scalar, Yaml};
    fn conv(y: &Yaml) -> serde_json::Value {
        match y {
            Yaml::Value(Scalar::String(s)) => serde_json::Value::String(s.to_string()),
            Yaml::Value(Scalar::Integer(i)) => serde_json::Value::from(*i),
            Yaml::Value(Scalar::FloatingPoint(f)) => serde_json::Value::from(f.into_inner()),
            Yaml::Value(Scalar::Boolean(b)) => serde_json::Value::Bool(*b),
            Yaml::Value(Scalar::Null) => serde_json::Value::Null,
            Yaml::Sequence(items) => items.iter().map(conv).collect(),
            Yaml::Mapping(map) => map
                .iter()
                .map(|(k, v)| {
                    (k.as_str().map(str::to_string).unwrap_or_else(|| format!("{k:?}")), conv(v))
                })
                .collect::<serde_json::Map<_, _>>()
                .into(),
            other => serde_json::Value::String(format!("{other:?}")),
        }
    }
    let docs = Yaml::load_from_str(text).expect("saphyr reads the output");
    docs.first().map(conv).unwrap_or(serde_json::Value::Null)
}

fn is_subsequence(needles: &[String], haystack: &str) -> bool {
    let mut lines = haystack.lines();
    needles.iter().all(|n| lines.any(|l| l == n))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn link_holds_the_pairing_rule_from_any_prior_state(n in 1usize..=12, seed in 1u64..u64::MAX) {
        let mut rng = Rng(seed);
        let orgs: Vec<String> = (0..n).map(|i| format!("org{i}")).collect();
        let deploy = Deploy::new();
        let kept = prior_state(&mut rng, &deploy, &orgs);
        let before: BTreeMap<String, Vec<(String, String, bool)>> =
            kept.keys().map(|o| (o.clone(), outsiders(&deploy.read(o)))).collect();

        let mut args = vec!["link".to_string(), "--create".to_string()];
        args.extend(orgs.iter().cloned());
        deploy.cmd().args(&args).run();

        let names: Vec<&str> = orgs.iter().map(String::as_str).collect();
        assert_mesh(&deploy, &names);
        for org in &orgs {
            let text = deploy.read(org);
            let strict: serde_json::Value = serde_saphyr::from_str(&text).expect("serde-saphyr reads the output");
            let other = saphyr_data(&text);
            // The parsers differ on the chart's own `enabled: "False"`-style scalars (YAML 1.1
            // against 1.2 booleans); what link writes must read the same in both.
            for key in ["addAccountOperator", "orchestrator", "organizationName"] {
                prop_assert_eq!(&other[key], &strict[key], "{}: two parsers read {} differently", org, key);
            }
        }
        for (org, lines) in &kept {
            let text = deploy.read(org);
            prop_assert!(is_subsequence(lines, &text), "{org}: a line the command does not own is gone:\n{text}");
            prop_assert_eq!(&outsiders(&text), &before[org], "{} entries of other organizations", org);
        }

        let snap = deploy.snapshot();
        deploy.cmd().args(&args).run();
        prop_assert_eq!(deploy.snapshot(), snap, "a second run changed a file");
    }
}

/// One way of writing `secret: VALUE` as the entry's last key, at `indent`; returns the text
/// (ending with a newline) and every piece of the value that must never be printed.
fn secret_form(form: usize, key_form: usize, s: &str, indent: &str) -> (String, Vec<String>) {
    let key = ["secret", "'secret'", "\"secret\"", "secret "][key_form % 4];
    let dq = serde_json::to_string(s).expect("json string");
    let sq = format!("'{}'", s.replace('\'', "''"));
    let (head, tail) = s.split_at(s.len() / 2);
    // Plain scalars cannot hold every character: those forms use the letters and digits only.
    let clean: String = s.chars().filter(char::is_ascii_alphanumeric).collect();
    let (ch, ct) = clean.split_at(clean.len() / 2);
    match form % 9 {
        0 => (format!("{indent}{key}: {dq}\n"), vec![s.into()]),
        1 => (format!("{indent}{key}: {sq}\n"), vec![s.into()]),
        2 => (format!("{indent}{key}:\n{indent}  {dq}\n"), vec![s.into()]),
        3 => (format!("{indent}{key}: !!str {dq}\n"), vec![s.into()]),
        4 => (format!("{indent}{key}: &anchor{} {sq}\n", s.len()), vec![s.into()]),
        5 => (
            format!("{indent}{key}: |\n{indent}  {head}\n{indent}  {tail}\n"),
            vec![head.into(), tail.into()],
        ),
        6 => (
            format!("{indent}{key}: >-\n{indent}  {head}\n{indent}  {tail}\n"),
            vec![head.into(), tail.into()],
        ),
        7 => (format!("{indent}{key}: {ch}x,{ct}\n"), vec![format!("{ch}x,{ct}")]),
        _ => (format!("{indent}{key}: {ch}Pw {ct}\n"), vec![format!("{ch}Pw {ct}")]),
    }
}

/// A secret-looking word: letters and digits, with a few characters that break naive masking.
fn secret_word(rng: &mut Rng) -> String {
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    let len = 10 + rng.below(20);
    let mut s: String = (0..len).map(|_| CHARS[rng.below(CHARS.len())] as char).collect();
    if rng.chance(40) {
        let at = 2 + rng.below(len - 4);
        let c = [",", "}", "#x", "\"", "'", "\\", ": x", "=/+"][rng.below(8)];
        s.insert_str(at, c);
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_secret_in_any_form_reaches_the_terminal(seed in 1u64..u64::MAX) {
        let mut rng = Rng(seed);
        let deploy = Deploy::new();
        let mut secrets: Vec<String> = Vec::new();
        let form = |rng: &mut Rng, indent: &str, secrets: &mut Vec<String>| {
            let s = secret_word(rng);
            let (text, pieces) = secret_form(rng.below(9), rng.below(4), &s, indent);
            secrets.extend(pieces);
            text
        };
        for (org, other) in [("ingen", "biotechnica"), ("biotechnica", "ingen")] {
            let mut text = format!("organizationName: {org}\norchestrator:\n  mspID: {org}\naddAccountOperator:\n  users:\n");
            for i in 0..3 {
                text.push_str(&format!("    - name: admin{i}\n      channel: our-channel\n"));
                text.push_str(&form(&mut rng, "      ", &mut secrets));
            }
            if rng.chance(50) {
                let s = secret_word(&mut rng);
                let dq = serde_json::to_string(&s).expect("json");
                text.push_str(&format!("    - {{\"name\": flowadmin, \"secret\": {dq}}}\n"));
                secrets.push(s);
            }
            for key in ["incomingOrganizations", "outgoingOrganizations"] {
                text.push_str(&format!("  {key}:\n"));
                if rng.chance(30) {
                    // A flow mapping, its secret plain, single- or double-quoted.
                    let word = secret_word(&mut rng);
                    let clean: String = word.chars().filter(char::is_ascii_alphanumeric).collect();
                    let (value, secret) = match rng.below(3) {
                        0 => (clean.clone(), clean),
                        1 => (format!("'{}'", word.replace('\'', "''")), word),
                        _ => (serde_json::to_string(&word).expect("json"), word),
                    };
                    let key = ["secret", "\"secret\"", "'secret' "][rng.below(3)];
                    text.push_str(&format!("    - {{\"name\": {other}, {key}: {value}}}\n"));
                    secrets.push(secret);
                } else {
                    text.push_str(&format!("    - name: {other}\n"));
                    text.push_str(&form(&mut rng, "      ", &mut secrets));
                }
                text.push_str("    - name: outsider\n");
                text.push_str(&form(&mut rng, "      ", &mut secrets));
            }
            fs::write(deploy.path(org), text).expect("write");
        }
        for args in [
            &["link", "ingen", "biotechnica", "--dry-run"][..],
            &["link", "ingen", "biotechnica", "--dry-run", "-o", "json"],
            &["unlink", "ingen", "biotechnica", "--dry-run"],
            &["unlink", "ingen", "biotechnica", "--dry-run", "-o", "json"],
            &["check", "links"],
        ] {
            // `check links` may find a problem (exit 1); nothing is bad input or a bug.
            let mut test = deploy.cmd().args(args).status_in(&[0, 1]);
            for s in &secrets {
                let json = serde_json::to_string(s).expect("json");
                test = test.never_shows(s).never_shows(&json[1..json.len() - 1]);
            }
            test.run();
        }
    }
}

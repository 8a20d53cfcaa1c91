//! The exchange between organizations that share no files (`substractl exchange ...`): three
//! organizations and the orchestrator's owner, each in its own directory, passing only public
//! and sealed files through a fifth one. Every artefact is checked by its own tool: `age -d`
//! opens the sealed secrets, `ssh-keygen -Y verify` checks the signatures and `ssh-keygen -lf`
//! prints the fingerprints. Then the attacks: each exits 2 and writes nothing.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use crate::support::http::{serve, serve_at, Behaviour};
use crate::support::journal::{committed_batch, plant};
use crate::support::{fixture, is_root, snapshot, Test};

/// User ids of the parties when the tests run as root: each command runs as its party's user.
const OWNER_UID: u32 = 64_100;
const CHANNEL: &str = "our-channel";

struct Party {
    msp_id: String,
    dir: PathBuf,
    uid: u32,
    fingerprint: String,
    /// Where the organization's backend will answer (its server.defaultDomain and card).
    addr: Option<SocketAddr>,
}

/// A network made through the exchange, in `root`: `owner/`, one directory per organization,
/// and `exchange/`, the only place files pass through.
struct Net {
    root: tempfile::TempDir,
    owner: Party,
    orgs: Vec<Party>,
}

impl Net {
    fn exchange(&self) -> PathBuf {
        self.root.path().join("exchange")
    }

    fn org(&self, msp_id: &str) -> &Party {
        self.orgs.iter().find(|o| o.msp_id == msp_id).expect("organization")
    }

    fn values(&self, msp_id: &str) -> PathBuf {
        values_file(&self.org(msp_id).dir, msp_id)
    }
}

fn values_file(dir: &Path, msp_id: &str) -> PathBuf {
    dir.join(format!("backend-{}-values.yaml", msp_id.to_lowercase()))
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// Runs substractl as a party's user (when the tests run as root) and checks the status.
/// No command prints a secret: the builder shows each 64-character secret as `<secret-N>`.
fn run(party: &Party, args: &[&str], status: i32) -> crate::support::Output {
    let out = Test::new().user(party.uid).args(args).status(status).run();
    for stream in [&out.stdout, &out.stderr] {
        assert!(!stream.contains("<secret-"), "{args:?} printed a secret:\n{stream}");
    }
    out
}

/// Gives a directory to a user, mode 0700: the other parties cannot even list it.
fn private_dir(path: &Path, uid: u32) {
    std::fs::create_dir(path).expect("mkdir");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    if is_root() {
        std::os::unix::fs::chown(path, Some(uid), Some(uid)).expect("chown");
    }
}

/// Writes a file in a party's directory, owned by the party.
fn write_owned(path: &Path, text: &str, uid: u32, mode: u32) {
    std::fs::write(path, text).expect("write");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    if is_root() {
        std::os::unix::fs::chown(path, Some(uid), Some(uid)).expect("chown");
    }
}

/// The courier: copies a public file into the exchange directory.
fn carry(from: &Path, exchange: &Path) -> PathBuf {
    let to = exchange.join(from.file_name().expect("name"));
    std::fs::copy(from, &to).expect("copy");
    std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    to
}

/// The orchestrator's values before any organization is admitted: TLS, mTLS and MSP-ID checks.
fn orchestrator_values() -> String {
    let clean = std::fs::read_to_string(fixture("check-values/clean/in/orchestrator-values.yaml"))
        .expect("fixture");
    let cut = clean.find("      clientCACerts:").expect("clientCACerts");
    clean[..cut].to_string()
}

/// An organization's backend values, as its administrator starts them: no pair yet.
fn backend_values(name: &str, msp_id: &str, channel: &str, address: &str) -> String {
    format!(
        "organizationName: {name}\n\
         server:\n  defaultDomain: {address}\n\
         orchestrator:\n  host: orchestrator.example\n  port: 443\n  mspID: {msp_id}\n\
         \x20 tls:\n    enabled: true\n    cacert: orchestrator-tls-cacert\n\
         \x20   mtls:\n      enabled: true\n      clientCertificate: orchestrator-client-cert\n\
         \x20 channels:\n    - {channel}:\n        restricted: false\n        model_export_enabled: false\n\
         addAccountOperator:\n  users: []\n  existingSecret: \"\"\n"
    )
}

/// The fingerprint a command printed on its `identity of ...:` line.
fn printed_fingerprint(stdout: &str) -> String {
    let line = stdout.lines().find(|l| l.starts_with("identity of ")).expect("identity line");
    line.rsplit(' ').next().expect("fingerprint").to_string()
}

/// Builds the network: identities, cards admitted by the owner, the roster taken, the secrets
/// sealed into the exchange directory and opened by their receivers. `orgs`: (name, channel).
/// With `loopback`, each backend's address (its server.defaultDomain, hence its card's) is a free
/// port on 127.0.0.1 for a test server; otherwise a public-looking https address.
fn network(orgs: &[(&str, &str)], loopback: bool) -> Net {
    // The orchestrator's owner: its CA (certs gen), its values and its identity.
    let (root, owner) = owner_in(&orchestrator_values());
    let exchange = root.path().join("exchange");
    assert_eq!(owner.fingerprint, keygen_fingerprint(&owner.dir.join("substractl-identity.pub")));

    // Each organization: its values, its identity and card; the card travels.
    let mut parties = Vec::new();
    for (i, (name, channel)) in orgs.iter().enumerate() {
        let msp_id = format!("{}MSP", capitalize(name));
        let uid = OWNER_UID + 1 + i as u32;
        // A free port for the backend started at the end, once the secrets are known.
        let addr =
            std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port");
        let address = if loopback {
            format!("http://{addr}")
        } else {
            format!("https://api.{name}.example:443")
        };
        let values = backend_values(name, &msp_id, channel, &address);
        let mut party = org_in(root.path(), name, &msp_id, uid, &values);
        party.addr = Some(addr);
        let card = party.dir.join(format!("card-{msp_id}.yaml"));
        // The fingerprint people compare is the one ssh-keygen prints, and the card's.
        assert_eq!(
            party.fingerprint,
            keygen_fingerprint(&party.dir.join("substractl-identity.pub"))
        );
        let card_text = std::fs::read_to_string(&card).expect("card");
        assert!(
            card_text.contains(&format!("fingerprint: {}\n", party.fingerprint)),
            "{card_text}"
        );
        parties.push(party);
    }

    // The owner admits each card, checking the fingerprint read out by its administrator.
    for p in &parties {
        let card = exchange.join(format!("card-{}.yaml", p.msp_id));
        run(
            &owner,
            &[
                "exchange",
                "admit",
                &s(&card),
                "--fingerprint",
                &p.fingerprint,
                "--dir",
                &s(&owner.dir),
            ],
            0,
        );
    }
    let roster = carry(&owner.dir.join("roster.yaml"), &exchange);

    // Each organization takes the roster (trusting the owner's fingerprint once), and seals.
    for p in &parties {
        run(
            p,
            &[
                "exchange",
                "take",
                &s(&roster),
                "--owner-fingerprint",
                &owner.fingerprint,
                "--dir",
                &s(&p.dir),
            ],
            0,
        );
        run(p, &["exchange", "seal", "--dir", &s(&p.dir), "--out", &s(&exchange)], 0);
    }
    // ... and opens what its partners sealed for it.
    for p in &parties {
        let mine: Vec<String> = std::fs::read_dir(&exchange)
            .expect("ls")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.starts_with("sealed-") && n.ends_with(&format!("-for-{}.yaml", p.msp_id)))
            .map(|n| s(&exchange.join(n)))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let dir = s(&p.dir);
        let mut args = vec!["exchange", "open"];
        args.extend(mine.iter().map(String::as_str));
        args.extend(["--dir", &dir]);
        run(p, &args, 0);
    }
    Net { root, owner, orgs: parties }
}

fn capitalize(name: &str) -> String {
    let mut c = name.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// `ssh-keygen -lf KEY.pub`: the fingerprint it prints.
fn keygen_fingerprint(public: &Path) -> String {
    let out = tool("ssh-keygen", &["-lf", &s(public)], None);
    out.split(' ').nth(1).expect("fingerprint").to_string()
}

/// Runs a peer tool, which must succeed; returns its stdout.
fn tool(program: &str, args: &[&str], stdin: Option<&[u8]>) -> String {
    let (ok, stdout, stderr) = tool_status(program, args, stdin);
    assert!(ok, "{program} {args:?} failed: {stderr}");
    stdout
}

fn tool_status(program: &str, args: &[&str], stdin: Option<&[u8]>) -> (bool, String, String) {
    use std::io::Write;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} must be installed (scripts/test-deps): {e}"));
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.unwrap_or_default()).expect("write stdin");
    drop(input);
    let out = child.wait_with_output().expect("wait");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A signed document's body and signature block, as ssh-keygen takes them.
fn split_signed(text: &str) -> (String, String) {
    let at = text.rfind("\n-----BEGIN SSH SIGNATURE-----").expect("signature block") + 1;
    (text[..at].to_string(), text[at..].to_string())
}

/// `ssh-keygen -Y verify` of a signed document against a public key line.
fn keygen_verifies(text: &str, public: &str, work: &Path) -> bool {
    let (body, sig) = split_signed(text);
    let allowed = work.join("allowed_signers");
    let sig_file = work.join("doc.sig");
    let key: Vec<&str> = public.split_whitespace().take(2).collect();
    std::fs::write(&allowed, format!("signer namespaces=\"substractl\" {}\n", key.join(" ")))
        .expect("write");
    std::fs::write(&sig_file, sig).expect("write");
    let args = [
        "-Y",
        "verify",
        "-f",
        &s(&allowed),
        "-I",
        "signer",
        "-n",
        "substractl",
        "-s",
        &s(&sig_file),
    ];
    tool_status("ssh-keygen", &args, Some(body.as_bytes())).0
}

/// `ssh-keygen -Y sign` of a body with a private key file: the signed document.
fn keygen_sign(body: &str, key: &Path, work: &Path) -> String {
    let msg = work.join("body");
    std::fs::write(&msg, body).expect("write");
    let _ = std::fs::remove_file(work.join("body.sig"));
    tool("ssh-keygen", &["-q", "-Y", "sign", "-f", &s(key), "-n", "substractl", &s(&msg)], None);
    body.to_string() + &std::fs::read_to_string(work.join("body.sig")).expect("signature")
}

/// The age armor of a sealed file, unindented.
fn armor_of(sealed: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in sealed.lines().map(str::trim) {
        inside |= line == "-----BEGIN AGE ENCRYPTED FILE-----";
        if inside {
            out.push_str(line);
            out.push('\n');
        }
        if line == "-----END AGE ENCRYPTED FILE-----" {
            break;
        }
    }
    out
}

/// A backend values file's pair lists: (incoming, outgoing), name -> secret.
type Lists = (BTreeMap<String, String>, BTreeMap<String, String>);

fn lists(path: &Path) -> Lists {
    let text = std::fs::read_to_string(path).expect("values");
    let v: Value = serde_saphyr::from_str(&text).expect("yaml");
    let list = |key: &str| -> BTreeMap<String, String> {
        v["addAccountOperator"][key]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|e| {
                        assert!(e.get("channel").is_none(), "no channel on an organization entry");
                        (
                            e["name"].as_str().expect("name").to_string(),
                            e["secret"].as_str().expect("secret").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    (list("incomingOrganizations"), list("outgoingOrganizations"))
}

/// Every file under `dir`, with its bytes.
fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for (rel, entry) in snapshot(dir) {
        if let crate::support::Entry::File(bytes, _) = entry {
            out.push((dir.join(rel), bytes));
        }
    }
    out
}

#[test]
fn three_organizations_link_through_the_owner_without_sharing_a_file() {
    // As root (as CI runs), each party is its own Unix user and its directory is 0700 and
    // its own; otherwise each directory is kept from the others by its mode 0700 only.
    let net = network(&[("ingen", CHANNEL), ("biotechnica", CHANNEL), ("tyrell", CHANNEL)], false);
    let exchange = net.exchange();
    let work = tempfile::tempdir().expect("work dir");

    // Only public and sealed files passed through the exchange directory.
    let mut passed: Vec<String> = std::fs::read_dir(&exchange)
        .expect("ls")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    passed.sort();
    assert_eq!(
        passed,
        [
            "card-BiotechnicaMSP.yaml",
            "card-IngenMSP.yaml",
            "card-TyrellMSP.yaml",
            "roster.yaml",
            "sealed-BiotechnicaMSP-for-IngenMSP.yaml",
            "sealed-BiotechnicaMSP-for-TyrellMSP.yaml",
            "sealed-IngenMSP-for-BiotechnicaMSP.yaml",
            "sealed-IngenMSP-for-TyrellMSP.yaml",
            "sealed-TyrellMSP-for-BiotechnicaMSP.yaml",
            "sealed-TyrellMSP-for-IngenMSP.yaml",
        ]
    );

    // Every ordered pair is consistent, the self pairs included, as the test reads the files.
    let all: BTreeMap<String, Lists> =
        net.orgs.iter().map(|o| (o.msp_id.clone(), lists(&net.values(&o.msp_id)))).collect();
    for (a, (incoming, _)) in &all {
        assert_eq!(incoming.len(), 3, "{a} lets every organization in");
        for (b, (_, outgoing)) in &all {
            let secret = &incoming[b];
            assert_eq!(secret.len(), 64);
            assert_eq!(outgoing.get(a), Some(secret), "{a} serves {b}: one secret on both sides");
        }
    }
    let secrets: Vec<&String> = all.values().flat_map(|(i, _)| i.values()).collect();

    // As root, each party's commands ran as its own user: its identity is that user's, and
    // the other parties' users cannot enter its directory.
    if is_root() {
        use std::os::unix::fs::MetadataExt;
        for p in std::iter::once(&net.owner).chain(&net.orgs) {
            let meta = std::fs::metadata(p.dir.join("substractl-identity")).expect("stat");
            assert_eq!(meta.uid(), p.uid, "{}", p.dir.display());
            let other = if p.uid == OWNER_UID { OWNER_UID + 1 } else { OWNER_UID };
            let (ok, _, _) = tool_status(
                "setpriv",
                &[
                    &format!("--reuid={other}"),
                    &format!("--regid={other}"),
                    "--clear-groups",
                    "ls",
                    &s(&p.dir),
                ],
                None,
            );
            assert!(!ok, "user {other} lists {}", p.dir.display());
        }
    }
    // The values files hold secrets: they stay 0600, as do the identities.
    for o in &net.orgs {
        for f in [net.values(&o.msp_id), o.dir.join("substractl-identity")] {
            let mode = std::fs::metadata(&f).expect("stat").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", f.display());
        }
    }

    // The orchestrator's values list everyone in the channel, with a client CA per MSP ID.
    let orchestrator =
        std::fs::read_to_string(net.owner.dir.join("orchestrator-values.yaml")).expect("read");
    let v: Value = serde_saphyr::from_str(&orchestrator).expect("yaml");
    assert_eq!(
        v["channels"][0]["organizations"],
        serde_json::json!(["IngenMSP", "BiotechnicaMSP", "TyrellMSP"])
    );
    for o in &net.orgs {
        assert_eq!(
            v["orchestrator"]["tls"]["mtls"]["clientCACerts"][&o.msp_id],
            serde_json::json!(["orchestrator-tls-cacert"])
        );
    }

    // check values on the union of the four directories' values passes.
    let union = work.path().join("union");
    std::fs::create_dir(&union).expect("mkdir");
    std::fs::copy(
        net.owner.dir.join("orchestrator-values.yaml"),
        union.join("orchestrator-values.yaml"),
    )
    .expect("copy");
    for o in &net.orgs {
        let name = o.msp_id.trim_end_matches("MSP").to_lowercase();
        std::fs::copy(net.values(&o.msp_id), union.join(format!("backend-{name}-values.yaml")))
            .expect("copy");
    }
    Test::new().args(["check", "values", "--dir", &s(&union)]).status(0).run();

    // Each organization's status: every partner lets it in and is let in.
    for o in &net.orgs {
        let out = run(o, &["exchange", "status", "--dir", &s(&o.dir)], 0);
        assert!(!out.stdout.contains(" no "), "{}", out.stdout);
    }

    // check outgoing of each organization, against backends that check the secrets.
    let servers: BTreeMap<String, _> = all
        .iter()
        .map(|(a, (incoming, _))| {
            let accepted = incoming.iter().map(|(b, secret)| (b.clone(), secret.clone())).collect();
            (a.clone(), serve(Behaviour::Backend { incoming: accepted, reject: 401 }))
        })
        .collect();
    for o in &net.orgs {
        let mut args = vec![
            "check".to_string(),
            "outgoing".into(),
            "--values".into(),
            s(&net.values(&o.msp_id)),
            "--dir".into(),
            s(&o.dir),
            "-o".into(),
            "json".into(),
        ];
        for (a, server) in &servers {
            args.extend(["--address".to_string(), format!("{a}={}", server.url())]);
        }
        let out = run(o, &args.iter().map(String::as_str).collect::<Vec<_>>(), 0);
        let report: Value = serde_json::from_str(&out.stdout).expect("json");
        let rows = report["organizations"].as_array().expect("organizations");
        assert_eq!(rows.len(), 3, "{}", out.stdout);
        for row in rows {
            assert_eq!(row["auth"]["status"], "ok", "{} logs in to {}", o.msp_id, row["org_id"]);
        }
    }

    // Interop: age opens each sealed file with its receiver's identity and nobody else's;
    // ssh-keygen verifies its sender's signature.
    for name in passed.iter().filter(|n| n.starts_with("sealed-")) {
        let text = std::fs::read_to_string(exchange.join(name)).expect("read");
        let (server, client) = name
            .trim_start_matches("sealed-")
            .trim_end_matches(".yaml")
            .split_once("-for-")
            .expect("pair");
        let key = net.org(client).dir.join("substractl-identity");
        let plain = tool("age", &["-d", "-i", &s(&key)], Some(armor_of(&text).as_bytes()));
        let secret = &all[client].1[server];
        assert!(plain.contains(&format!("secret: {secret}\n")), "{name}");
        assert!(plain.contains(&format!("server: {server}\nclient: {client}\n")), "{name}");
        let other = net.orgs.iter().find(|o| o.msp_id != client).expect("other");
        let (ok, _, _) = tool_status(
            "age",
            &["-d", "-i", &s(&other.dir.join("substractl-identity"))],
            Some(armor_of(&text).as_bytes()),
        );
        assert!(!ok, "{name} opens only with {client}'s identity");
        let sender = std::fs::read_to_string(net.org(server).dir.join("substractl-identity.pub"))
            .expect("pub");
        assert!(keygen_verifies(&text, &sender, work.path()), "{name}");
        let receiver = std::fs::read_to_string(net.org(client).dir.join("substractl-identity.pub"))
            .expect("pub");
        assert!(
            !keygen_verifies(&text, &receiver, work.path()),
            "{name} is signed by {server} only"
        );
    }
    // ... and the cards' and the roster's signatures.
    let owner_pub =
        std::fs::read_to_string(net.owner.dir.join("substractl-identity.pub")).expect("pub");
    let roster = std::fs::read_to_string(exchange.join("roster.yaml")).expect("roster");
    assert!(keygen_verifies(&roster, &owner_pub, work.path()));
    for o in &net.orgs {
        let card = std::fs::read_to_string(exchange.join(format!("card-{}.yaml", o.msp_id)))
            .expect("card");
        let public = std::fs::read_to_string(o.dir.join("substractl-identity.pub")).expect("pub");
        assert!(keygen_verifies(&card, &public, work.path()));
        assert!(
            roster.contains(&card.replace('\n', "\n      ").trim_end().to_string()),
            "the roster carries {}'s card whole",
            o.msp_id
        );
    }

    // No private key and no secret left its directory, and no secret is in clear anywhere it went.
    let parties: Vec<&Party> = std::iter::once(&net.owner).chain(&net.orgs).collect();
    let everything = files_under(net.root.path());
    for p in &parties {
        let key = std::fs::read_to_string(p.dir.join("substractl-identity")).expect("key");
        let body: String = key.lines().filter(|l| !l.starts_with("-----")).collect();
        for (path, bytes) in &everything {
            let text = String::from_utf8_lossy(bytes);
            let flat: String = text.lines().map(str::trim).collect();
            if !path.starts_with(&p.dir) {
                assert!(
                    !flat.contains(&body),
                    "{}'s private key is in {}",
                    p.dir.display(),
                    path.display()
                );
            }
        }
    }
    for (path, bytes) in files_under(&exchange) {
        let text = String::from_utf8_lossy(&bytes);
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "a secret is in clear in {}", path.display());
        }
    }
}

/// Runs a command that must be refused: exit 2, each of `says` in its message, and nothing
/// written in the party's directory.
fn refused(party: &Party, args: &[&str], says: &[&str]) {
    let before = snapshot(&party.dir);
    let out = run(party, args, 2);
    for part in says {
        assert!(out.stderr.contains(part), "{args:?}: the message lacks {part:?}:\n{}", out.stderr);
    }
    assert!(snapshot(&party.dir) == before, "{args:?} changed {}", party.dir.display());
}

/// Writes a file anyone can read, for a party to be given.
fn put(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    s(&path)
}

/// One base64 character changed on the line `n` lines above the line holding `marker`.
fn flip_above(text: &str, marker: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| l.contains(marker)).expect("marker") - n;
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let line = &mut out[at];
    let i = line.len() / 2;
    let c = line.as_bytes()[i];
    line.replace_range(i..=i, if c == b'A' { "B" } else { "A" });
    out.join("\n") + "\n"
}

/// A sealed file made with the real tools only: age encrypts the payload to the client's
/// `ssh-ed25519` key, ssh-keygen signs the header with the server's identity.
fn sealed_by_tools(
    server: &Party,
    client: &Party,
    sequence: u64,
    secret: &str,
    work: &Path,
) -> String {
    let recipients = work.join("recipients");
    std::fs::copy(client.dir.join("substractl-identity.pub"), &recipients).expect("copy");
    let payload = format!(
        "server: {}\nclient: {}\nsequence: {sequence}\nsecret: {secret}\n",
        server.msp_id, client.msp_id
    );
    let armor = tool("age", &["-a", "-R", &s(&recipients)], Some(payload.as_bytes()));
    let indented: String = armor.lines().map(|l| format!("  {l}\n")).collect();
    let body = format!(
        "kind: substractl-sealed-pair-secret\nversion: 1\nserver: {}\nclient: {}\nsequence: {sequence}\nrecipient: {}\nsealed: |\n{indented}",
        server.msp_id, client.msp_id, client.fingerprint
    );
    keygen_sign(&body, &server.dir.join("substractl-identity"), work)
}

#[test]
fn forged_replayed_and_misaddressed_files_are_refused_and_change_nothing() {
    let net = network(
        &[
            ("ingen", CHANNEL),
            ("biotechnica", CHANNEL),
            ("tyrell", CHANNEL),
            ("umbrella", "other-channel"),
        ],
        true,
    );
    let ex = net.exchange();
    let work = tempfile::tempdir().expect("work");
    std::fs::set_permissions(work.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let w = work.path();
    let (ingen, bio, tyrell, umbrella) = (
        net.org("IngenMSP"),
        net.org("BiotechnicaMSP"),
        net.org("TyrellMSP"),
        net.org("UmbrellaMSP"),
    );
    let open = |party: &Party, file: &str| -> Vec<String> {
        ["exchange", "open", file, "--dir", &s(&party.dir)].iter().map(|a| a.to_string()).collect()
    };
    let refused_open = |party: &Party, file: &str, says: &[&str]| {
        let args = open(party, file);
        refused(party, &args.iter().map(String::as_str).collect::<Vec<_>>(), says);
    };
    let to_bio_path = ex.join("sealed-IngenMSP-for-BiotechnicaMSP.yaml");
    let to_bio = std::fs::read_to_string(&to_bio_path).expect("sealed");

    // A sealed file given to another organization than its receiver.
    refused_open(tyrell, &s(&to_bio_path), &[
        "sealed-IngenMSP-for-BiotechnicaMSP.yaml: the sealed secret is addressed to BiotechnicaMSP, not to TyrellMSP",
    ]);
    // ... readdressed in its header: the signature no longer holds.
    let readdressed = to_bio.replace("client: BiotechnicaMSP", "client: TyrellMSP");
    let f = put(w, "readdressed.yaml", &readdressed);
    refused_open(tyrell, &f, &["readdressed.yaml: the signature does not match the content"]);
    // ... readdressed and signed again by its sender: only the receiver's identity opens it.
    let (body, _) = split_signed(&readdressed);
    let f = put(w, "resigned.yaml", &keygen_sign(&body, &ingen.dir.join("substractl-identity"), w));
    refused_open(
        tyrell,
        &f,
        &["resigned.yaml: the sealed secret was not encrypted to this organization's identity"],
    );

    // Tampered ciphertext, signed again by its sender: age refuses it.
    let (body, _) = split_signed(&flip_above(&to_bio, "-----END AGE ENCRYPTED FILE-----", 2));
    let f = put(w, "tampered.yaml", &keygen_sign(&body, &ingen.dir.join("substractl-identity"), w));
    refused_open(bio, &f, &["tampered.yaml: the sealed secret cannot be decrypted"]);
    // Tampered ciphertext, the signature left as it was.
    let f = put(
        w,
        "tampered-unsigned.yaml",
        &flip_above(&to_bio, "-----END AGE ENCRYPTED FILE-----", 2),
    );
    refused_open(bio, &f, &["tampered-unsigned.yaml: the signature does not match the content"]);
    // Tampered signature.
    let f = put(w, "bad-signature.yaml", &flip_above(&to_bio, "-----END SSH SIGNATURE-----", 2));
    refused_open(bio, &f, &["bad-signature.yaml: "]);
    // Signed by another member than the server it names.
    let (body, _) = split_signed(&to_bio);
    let f = put(
        w,
        "signed-by-tyrell.yaml",
        &keygen_sign(&body, &tyrell.dir.join("substractl-identity"), w),
    );
    refused_open(
        bio,
        &f,
        &[
            "signed-by-tyrell.yaml: the document is signed by the key",
            "not by IngenMSP's identity in the roster",
        ],
    );

    // A pair the roster does not list: UmbrellaMSP shares no channel with IngenMSP.
    let f = put(w, "umbrella.yaml", &sealed_by_tools(umbrella, ingen, 1, &"U".repeat(64), w));
    refused_open(
        ingen,
        &f,
        &["umbrella.yaml: the roster does not list the pair UmbrellaMSP/IngenMSP"],
    );

    // Empty and huge files.
    let f = put(w, "empty.yaml", "");
    refused_open(bio, &f, &["empty.yaml: the file is empty"]);
    let f = put(w, "huge.yaml", &"a".repeat(100_000));
    refused_open(
        bio,
        &f,
        &["huge.yaml: the file holds 100000 bytes, far more than a sealed pair secret"],
    );
    let owner_args = |card: &str, fp: &str| -> Vec<String> {
        ["exchange", "admit", card, "--fingerprint", fp, "--dir", &s(&net.owner.dir)]
            .iter()
            .map(|a| a.to_string())
            .collect()
    };
    let args = owner_args(&f, "SHA256:x");
    refused(
        &net.owner,
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
        &["huge.yaml: the file holds 100000 bytes, far more than a card"],
    );

    // A card whose fingerprint is not the one its administrator read out.
    let card = s(&ex.join("card-TyrellMSP.yaml"));
    let args = owner_args(&card, &ingen.fingerprint);
    refused(
        &net.owner,
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
        &[&format!(
            "card-TyrellMSP.yaml: the card's key has the fingerprint {}, not {}",
            tyrell.fingerprint, ingen.fingerprint
        )],
    );

    // Rosters: signed by another key, or with a card swapped.
    let roster_path = ex.join("roster.yaml");
    let roster = std::fs::read_to_string(&roster_path).expect("roster");
    let take = |party: &Party, file: &str| -> Vec<String> {
        ["exchange", "take", file, "--dir", &s(&party.dir)].iter().map(|a| a.to_string()).collect()
    };
    let refused_take = |party: &Party, file: &str, says: &[&str]| {
        let args = take(party, file);
        refused(party, &args.iter().map(String::as_str).collect::<Vec<_>>(), says);
    };
    let mallory = w.join("mallory");
    tool("ssh-keygen", &["-q", "-t", "ed25519", "-N", "", "-f", &s(&mallory)], None);
    let (body, _) = split_signed(&roster);
    let f = put(w, "roster-mallory.yaml", &keygen_sign(&body, &mallory, w));
    let mallory_fp = keygen_fingerprint(&w.join("mallory.pub"));
    refused_take(ingen, &f, &[
        &format!("roster-mallory.yaml: the document is signed by the key {mallory_fp}, not by the orchestrator's owner you trust ({})", net.owner.fingerprint),
    ]);
    // ... even when it names Mallory's key as the owner's.
    let owner_line =
        std::fs::read_to_string(net.owner.dir.join("substractl-identity.pub")).expect("pub");
    let owner_key: Vec<&str> = owner_line.split_whitespace().take(2).collect();
    let mallory_line = std::fs::read_to_string(w.join("mallory.pub")).expect("pub");
    let mallory_key: Vec<&str> = mallory_line.split_whitespace().take(2).collect();
    let body = body
        .replace(&owner_key.join(" "), &mallory_key.join(" "))
        .replace(&net.owner.fingerprint, &mallory_fp);
    let f = put(w, "roster-mallory-owner.yaml", &keygen_sign(&body, &mallory, w));
    refused_take(ingen, &f, &["roster-mallory-owner.yaml: the document is signed by the key"]);
    // A member's card swapped for another one (Tyrell's key under BiotechnicaMSP's name).
    let bio_card = std::fs::read_to_string(ex.join("card-BiotechnicaMSP.yaml")).expect("card");
    let bio_key = bio_card.lines().find(|l| l.starts_with("key: ")).expect("key");
    let tyrell_card = std::fs::read_to_string(ex.join("card-TyrellMSP.yaml")).expect("card");
    let tyrell_key = tyrell_card.lines().find(|l| l.starts_with("key: ")).expect("key");
    let swapped = roster.replacen(bio_key, tyrell_key, 1);
    assert_ne!(swapped, roster);
    let f = put(w, "roster-swapped.yaml", &swapped);
    refused_take(bio, &f, &["roster-swapped.yaml: the signature does not match the content"]);
    let f = put(w, "roster-empty.yaml", "\n");
    refused_take(bio, &f, &["roster-empty.yaml: the file is empty"]);

    // A replayed sealed file: IngenMSP rotates, BiotechnicaMSP applies the new secret, then
    // the old file comes again.
    let old = put(w, "old-sealed.yaml", &to_bio);
    run(ingen, &["exchange", "seal", "--rotate", "--dir", &s(&ingen.dir), "--out", &s(&ex)], 0);
    let out = run(bio, &["exchange", "open", &s(&to_bio_path), "--dir", &s(&bio.dir)], 0);
    assert!(out.stdout.contains("applied   2"), "{}", out.stdout);
    refused_open(
        bio,
        &old,
        &["old-sealed.yaml: sequence 1 is older than the last applied from IngenMSP (2)"],
    );
    assert_eq!(
        lists(&net.values("IngenMSP")).0["BiotechnicaMSP"],
        lists(&net.values("BiotechnicaMSP")).1["IngenMSP"]
    );

    // A replayed roster: the owner issues a newer one, IngenMSP takes it, then the old one.
    let card = s(&ex.join("card-TyrellMSP.yaml"));
    run(
        &net.owner,
        &[
            "exchange",
            "admit",
            &card,
            "--fingerprint",
            &tyrell.fingerprint,
            "--dir",
            &s(&net.owner.dir),
        ],
        0,
    );
    let newer = put(
        w,
        "roster-newer.yaml",
        &std::fs::read_to_string(net.owner.dir.join("roster.yaml")).expect("roster"),
    );
    run(ingen, &["exchange", "take", &newer, "--dir", &s(&ingen.dir)], 0);
    refused_take(
        ingen,
        &s(&roster_path),
        &["roster.yaml: the roster has serial 4, older than the one taken already (5)"],
    );

    // And a sealed file made with the real tools alone, by a partner, is applied.
    let secret = "T".repeat(64);
    let f = put(w, "by-tools.yaml", &sealed_by_tools(tyrell, ingen, 7, &secret, w));
    run(ingen, &["exchange", "open", &f, "--dir", &s(&ingen.dir)], 0);
    assert_eq!(lists(&net.values("IngenMSP")).1["TyrellMSP"], secret);

    // UmbrellaMSP joins our channel: in IngenMSP's directory, check links shows the new
    // partner that neither side has paired yet, and fails until both have sealed and opened.
    let card = s(&ex.join("card-UmbrellaMSP.yaml"));
    let owner_dir = s(&net.owner.dir);
    let args = [
        "exchange",
        "admit",
        &card,
        "--fingerprint",
        &umbrella.fingerprint,
        "--channel",
        CHANNEL,
        "--dir",
        &owner_dir,
    ];
    run(&net.owner, &args, 0);
    let newest = put(
        w,
        "roster-newest.yaml",
        &std::fs::read_to_string(net.owner.dir.join("roster.yaml")).expect("roster"),
    );
    run(ingen, &["exchange", "take", &newest, "--dir", &s(&ingen.dir)], 0);
    let out = run(ingen, &["check", "links", "--dir", &s(&ingen.dir)], 1);
    let row = out
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("UmbrellaMSP"))
        .expect("umbrella row");
    assert!(row.contains("no        no"), "{}", out.stdout);
    assert!(row.contains("run substractl exchange seal, then send sealed-IngenMSP-for-UmbrellaMSP.yaml to UmbrellaMSP"), "{}", out.stdout);
    assert!(
        row.contains("apply sealed-UmbrellaMSP-for-IngenMSP.yaml when UmbrellaMSP sends it"),
        "{}",
        out.stdout
    );
}

#[test]
fn check_outgoing_finds_the_partners_at_the_addresses_of_the_roster() {
    let net = network(&[("ingen", CHANNEL), ("biotechnica", CHANNEL)], true);
    let lists: BTreeMap<String, Lists> =
        net.orgs.iter().map(|o| (o.msp_id.clone(), lists(&net.values(&o.msp_id)))).collect();
    let _servers: Vec<_> = net
        .orgs
        .iter()
        .map(|o| {
            let accepted = lists[&o.msp_id].0.clone().into_iter().collect();
            serve_at(
                o.addr.expect("address"),
                Behaviour::Backend { incoming: accepted, reject: 401 },
            )
        })
        .collect();
    for o in &net.orgs {
        let (values, dir) = (s(&net.values(&o.msp_id)), s(&o.dir));
        let out =
            run(o, &["check", "outgoing", "--values", &values, "--dir", &dir, "-o", "json"], 0);
        let report: Value = serde_json::from_str(&out.stdout).expect("json");
        let rows = report["organizations"].as_array().expect("organizations");
        assert_eq!(rows.len(), 2, "{}", out.stdout);
        for row in rows {
            assert_eq!(row["auth"]["status"], "ok", "{}", out.stdout);
            let partner = net.org(row["org_id"].as_str().expect("org_id"));
            assert_eq!(row["org_address"], format!("http://{}", partner.addr.expect("address")));
            if partner.msp_id != o.msp_id {
                assert_eq!(row["address_from"], format!("the roster {dir}/roster.yaml"));
            }
        }
        // exchange status as JSON: one entry per partner of the roster.
        let out = run(o, &["exchange", "status", "--dir", &dir, "-o", "json"], 0);
        let status: Value = serde_json::from_str(&out.stdout).expect("json");
        assert_eq!(status["msp_id"], o.msp_id.as_str());
        assert_eq!(status["ok"], true);
        let partners = status["partners"].as_array().expect("partners");
        assert_eq!(partners.len(), 2);
        for p in partners {
            assert_eq!((&p["incoming"], &p["outgoing"]), (&Value::Bool(true), &Value::Bool(true)));
            assert_eq!(p["todo"], serde_json::json!([]));
        }
        // check links in the organization's directory: every partner of the roster, both sides.
        let out = run(o, &["check", "links", "--dir", &dir], 0);
        assert!(
            out.stdout.contains(&format!("{} in the roster (serial 2)", o.msp_id)),
            "{}",
            out.stdout
        );
        for p in &net.orgs {
            let row = out
                .stdout
                .lines()
                .find(|l| {
                    l.trim_start().starts_with(&format!("{} ", p.msp_id)) && l.contains("yes")
                })
                .unwrap_or_default();
            assert!(row.contains("yes       yes"), "{}", out.stdout);
        }
    }

    // The owner issues the roster again with a new orchestrator address; members take it.
    let owner_dir = s(&net.owner.dir);
    let args =
        ["exchange", "roster", "--orchestrator", "orchestrator.example:8443", "--dir", &owner_dir];
    let out = run(&net.owner, &args, 0);
    assert!(out.stdout.contains("roster serial 3"), "{}", out.stdout);
    let roster = std::fs::read_to_string(net.owner.dir.join("roster.yaml")).expect("roster");
    assert!(roster.contains("  address: \"orchestrator.example:8443\"\n"), "{roster}");
    let newer = carry(&net.owner.dir.join("roster.yaml"), &net.exchange());
    for o in &net.orgs {
        let out = run(o, &["exchange", "take", &s(&newer), "--dir", &s(&o.dir)], 0);
        assert!(out.stdout.contains("roster serial 3"), "{}", out.stdout);
    }

    // A dry run of a rotation shows the diff, secrets masked, and writes nothing.
    let ingen = net.org("IngenMSP");
    let (before, before_ex) = (snapshot(&ingen.dir), snapshot(&net.exchange()));
    let (dir, ex) = (s(&ingen.dir), s(&net.exchange()));
    let out =
        run(ingen, &["exchange", "seal", "--rotate", "--dry-run", "--dir", &dir, "--out", &ex], 0);
    assert!(
        out.stdout.contains("-      secret: ********\n+      secret: ********\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.ends_with("dry run: none of these changes was written\n"), "{}", out.stdout);
    assert!(snapshot(&ingen.dir) == before && snapshot(&net.exchange()) == before_ex);
}

/// The pair lists of an organization whose credentials are in its Secret manifest.
fn manifest_lists(path: &Path) -> Lists {
    let text = std::fs::read_to_string(path).expect("manifest");
    let v: Value = serde_saphyr::from_str(&text).expect("yaml");
    let list = |key: &str| -> BTreeMap<String, String> {
        let b64 = v["data"][key].as_str().expect("key");
        let lines = tool("base64", &["-d"], Some(b64.as_bytes()));
        lines
            .lines()
            .map(|l| {
                let (name, secret) = l.rsplit_once(' ').expect("name secret");
                (name.to_string(), secret.to_string())
            })
            .collect()
    };
    (list("incoming_organizations"), list("outgoing_organizations"))
}

#[test]
fn credentials_in_a_manifest_are_sealed_and_opened_there() {
    let net = network(&[("ingen", CHANNEL), ("biotechnica", CHANNEL)], false);
    let ingen = net.org("IngenMSP");
    let bio = net.org("BiotechnicaMSP");
    let (dir, ex) = (s(&ingen.dir), s(&net.exchange()));
    let manifest = ingen.dir.join("backend-ingenmsp-accounts.yaml");
    // Each pair: ingen's side in its manifest, biotechnica's in its values file, one secret.
    let agree = |mine: &Lists| {
        let theirs = lists(&net.values("BiotechnicaMSP"));
        assert_eq!(mine.0["BiotechnicaMSP"], theirs.1["IngenMSP"], "biotechnica -> ingen");
        assert_eq!(mine.1["BiotechnicaMSP"], theirs.0["IngenMSP"], "ingen -> biotechnica");
    };
    let before = lists(&net.values("IngenMSP"));
    agree(&before);

    // New secrets from ingen, kept from now on in its manifest; biotechnica opens them.
    let args = ["--existing-secret", "--namespace", "org-ingen", "--dir", &dir, "--out", &ex];
    let out = run(ingen, &[&["exchange", "seal", "--rotate"][..], &args].concat(), 0);
    assert!(out.stdout.contains("backend-ingenmsp-accounts.yaml"), "{}", out.stdout);
    assert_eq!(manifest_lists(&manifest).1["BiotechnicaMSP"], before.1["BiotechnicaMSP"]);
    let sealed = net.exchange().join("sealed-IngenMSP-for-BiotechnicaMSP.yaml");
    run(bio, &["exchange", "open", &s(&sealed), "--dir", &s(&bio.dir)], 0);
    // New secrets from biotechnica, opened by ingen into its manifest.
    run(bio, &["exchange", "seal", "--rotate", "--dir", &s(&bio.dir), "--out", &ex], 0);
    let sealed = net.exchange().join("sealed-BiotechnicaMSP-for-IngenMSP.yaml");
    run(ingen, &["exchange", "open", &s(&sealed), "--dir", &dir], 0);

    let after = manifest_lists(&manifest);
    assert_ne!(after.0["BiotechnicaMSP"], before.0["BiotechnicaMSP"]);
    assert_ne!(after.1["BiotechnicaMSP"], before.1["BiotechnicaMSP"]);
    agree(&after);
    let values = std::fs::read_to_string(net.values("IngenMSP")).expect("values");
    assert!(!values.contains("secret:"), "{values}");
    let out = run(ingen, &["exchange", "status", "--dir", &dir, "-o", "json"], 0);
    let status: Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(status["ok"], true, "{}", out.stdout);

    // The manifest restored from a backup after a rotation: the warning names the manifest,
    // where the secret that changed is kept.
    let backup = std::fs::read_to_string(&manifest).expect("manifest");
    let seal = ["exchange", "seal", "--dir", &dir, "--out", &ex];
    run(ingen, &[&seal[..], &["--rotate"]].concat(), 0);
    write_owned(&manifest, &backup, ingen.uid, 0o600);
    let out = run(ingen, &seal, 0);
    assert!(
        out.stderr.contains(&format!(
            "{}: the secret of IngenMSP's incomingOrganizations entry for BiotechnicaMSP changed",
            manifest.display()
        )),
        "{}",
        out.stderr
    );
}

/// A manifest extended by hand after the exchange made it keeps every byte of its own when
/// `exchange open` writes the partner's new secrets into it; the dry run shows the file
/// around the change and no value of the Secret.
#[test]
fn exchange_open_edits_a_manifest_extended_by_hand_in_place() {
    let net = network(&[("ingen", CHANNEL), ("biotechnica", CHANNEL)], false);
    let ingen = net.org("IngenMSP");
    let bio = net.org("BiotechnicaMSP");
    let (dir, ex) = (s(&ingen.dir), s(&net.exchange()));
    let manifest = ingen.dir.join("backend-ingenmsp-accounts.yaml");
    let args = ["--existing-secret", "--namespace", "org-ingen", "--dir", &dir, "--out", &ex];
    run(ingen, &[&["exchange", "seal", "--rotate"][..], &args].concat(), 0);
    let made = std::fs::read_to_string(&manifest).expect("manifest");
    let extended = made
        .replacen("apiVersion: v1\n", "# ingen's accounts\napiVersion: v1\ntype: Opaque\n", 1)
        .replacen("kind: Secret\n", "  db_password: RGItUGE1NXdvcmQtOTFjMmU3\nkind: Secret\n", 1)
        .replacen(
            "  namespace: org-ingen\n",
            "  namespace: org-ingen\n  labels:\n    team: ops\n",
            1,
        );
    write_owned(&manifest, &extended, ingen.uid, 0o600);
    let before = manifest_lists(&manifest);

    run(bio, &["exchange", "seal", "--rotate", "--dir", &s(&bio.dir), "--out", &ex], 0);
    let sealed = s(&net.exchange().join("sealed-BiotechnicaMSP-for-IngenMSP.yaml"));
    let out = run(ingen, &["exchange", "open", &sealed, "--dir", &dir, "--dry-run"], 0);
    assert!(
        out.stdout.contains(
            "\n-      BiotechnicaMSP ********\n+      BiotechnicaMSP ********\n   users: <base64 of the lines below>\n   db_password: <not shown>\n kind: Secret\n"
        ),
        "{}",
        out.stdout
    );
    for hidden in ["RGItUGE1NXdvcmQtOTFjMmU3", "Db-Pa55word-91c2e7"] {
        assert!(!out.stdout.contains(hidden), "{}", out.stdout);
    }
    for line in extended.lines().filter(|l| l.len() > 60) {
        let value = line.rsplit(' ').next().expect("value");
        assert!(!out.stdout.contains(value), "{}", out.stdout);
    }
    assert_eq!(std::fs::read_to_string(&manifest).expect("manifest"), extended);

    run(ingen, &["exchange", "open", &sealed, "--dir", &dir], 0);
    let after = std::fs::read_to_string(&manifest).expect("manifest");
    let lists = manifest_lists(&manifest);
    assert_eq!(lists.0, before.0);
    assert_ne!(lists.1["BiotechnicaMSP"], before.1["BiotechnicaMSP"]);
    // Every line but the two lists' is as it was.
    let others = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| {
                !l.starts_with("  incoming_organizations: ")
                    && !l.starts_with("  outgoing_organizations: ")
            })
            .map(str::to_string)
            .collect()
    };
    assert_eq!(others(&after), others(&extended), "{after}");
    assert_eq!(after.lines().count(), extended.lines().count(), "{after}");
}

#[test]
fn a_link_planted_in_the_shared_directory_is_never_written_through() {
    // Whoever can write in the directory the files travel through plants a link where ingen's
    // next sealed file goes, pointing at ingen's own values file.
    let net = network(&[("ingen", CHANNEL), ("biotechnica", CHANNEL)], false);
    let ingen = net.org("IngenMSP");
    let ex = net.exchange();
    let planted = ex.join("sealed-IngenMSP-for-BiotechnicaMSP.yaml");
    let _ = std::fs::remove_file(&planted);
    std::os::unix::fs::symlink(net.values("IngenMSP"), &planted).expect("symlink");
    let values_before = std::fs::read(net.values("IngenMSP")).expect("values");
    refused(
        ingen,
        &["exchange", "seal", "--rotate", "--dir", &s(&ingen.dir), "--out", &s(&ex)],
        &["sealed-IngenMSP-for-BiotechnicaMSP.yaml is a symbolic link"],
    );
    assert_eq!(std::fs::read(net.values("IngenMSP")).expect("values"), values_before);
}

#[test]
fn a_card_never_carries_credentials_in_its_address() {
    let net = network(&[("ingen", CHANNEL)], false);
    let ingen = net.org("IngenMSP");
    let values = net.values("IngenMSP");
    let text = std::fs::read_to_string(&values).expect("values");
    let domain = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("defaultDomain: "))
        .expect("defaultDomain")
        .to_string();
    let hostile = "http://admin:S3cretPassw0rd@api.ingen.example:80/?token=abc";
    let uid = ingen.uid;
    write_owned(&values, &text.replace(&domain, hostile), uid, 0o600);
    let card = ingen.dir.join("card-IngenMSP.yaml");
    let before = std::fs::read(&card).expect("card");
    refused(
        ingen,
        &["exchange", "identity", "--dir", &s(&ingen.dir)],
        &["server.defaultDomain http://api.ingen.example/: it has a query"],
    );
    assert_eq!(std::fs::read(&card).expect("card"), before);
    let out = Test::new()
        .user(uid)
        .args(["exchange", "identity", "--dir", &s(&ingen.dir)])
        .status(2)
        .run();
    assert!(!out.stderr.contains("S3cretPassw0rd"), "{}", out.stderr);
}

/// A directory for parties with an `exchange/` anyone may drop files in, and the orchestrator's
/// owner in it: its CA, its identity and the given orchestrator values.
fn owner_in(orchestrator: &str) -> (tempfile::TempDir, Party) {
    let root = tempfile::tempdir().expect("temp dir");
    std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let exchange = root.path().join("exchange");
    std::fs::create_dir(&exchange).expect("mkdir");
    std::fs::set_permissions(&exchange, std::fs::Permissions::from_mode(0o1777)).expect("chmod");
    let mut owner = Party {
        msp_id: String::new(),
        dir: root.path().join("owner"),
        uid: OWNER_UID,
        fingerprint: String::new(),
        addr: None,
    };
    private_dir(&owner.dir, owner.uid);
    write_owned(&owner.dir.join("orchestrator-values.yaml"), orchestrator, owner.uid, 0o600);
    run(&owner, &["certs", "gen", "--out", &s(&owner.dir), "--host", "orchestrator.example"], 0);
    let out = run(&owner, &["exchange", "identity", "--owner", "--dir", &s(&owner.dir)], 0);
    owner.fingerprint = printed_fingerprint(&out.stdout);
    (root, owner)
}

/// An organization in `root/NAME` with the given backend values and its identity, its card
/// carried to `root/exchange/`.
fn org_in(root: &Path, name: &str, msp_id: &str, uid: u32, backend: &str) -> Party {
    let mut org = Party {
        msp_id: msp_id.into(),
        dir: root.join(name),
        uid,
        fingerprint: String::new(),
        addr: None,
    };
    private_dir(&org.dir, org.uid);
    write_owned(&values_file(&org.dir, &org.msp_id), backend, org.uid, 0o600);
    let out = run(&org, &["exchange", "identity", "--dir", &s(&org.dir)], 0);
    org.fingerprint = printed_fingerprint(&out.stdout);
    carry(&org.dir.join(format!("card-{msp_id}.yaml")), &root.join("exchange"));
    org
}

/// `exchange admit` of a card carried to the exchange directory, as the owner.
fn admit_args(root: &Path, owner: &Party, org: &Party) -> Vec<String> {
    let card = root.join(format!("exchange/card-{}.yaml", org.msp_id));
    ["exchange", "admit", &s(&card), "--fingerprint", &org.fingerprint, "--dir", &s(&owner.dir)]
        .iter()
        .map(|a| a.to_string())
        .collect()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// `exchange identity` and `exchange admit` read the values as Helm deploys them, not as the
/// file spells them: channels written as plain strings are channels (the backend's chart takes
/// both forms), and `enabled: "true"` is on for the orchestrator (Go's ParseBool of the rendered
/// value), so the admitted organization gets its client CA entry and the roster says mTLS.
#[test]
fn identity_and_admit_read_values_as_helm_deploys_them() {
    let orchestrator = orchestrator_values()
        .replace("    enabled: true\n    secrets:", "    enabled: \"true\"\n    secrets:")
        .replace("    mtls:\n      enabled: true", "    mtls:\n      enabled: \"true\"");
    assert!(orchestrator.contains("enabled: \"true\"\n    secrets:"), "{orchestrator}");
    assert!(orchestrator.contains("mtls:\n      enabled: \"true\""), "{orchestrator}");
    let backend = backend_values("ingen", "IngenMSP", CHANNEL, "https://api.ingen.example:443")
        .replace(
            &format!(
            "    - {CHANNEL}:\n        restricted: false\n        model_export_enabled: false\n"
        ),
            &format!("    - {CHANNEL}\n"),
        );
    assert!(backend.contains(&format!("channels:\n    - {CHANNEL}\n")), "{backend}");
    let (root, owner) = owner_in(&orchestrator);
    let org = org_in(root.path(), "ingen", "IngenMSP", OWNER_UID + 1, &backend);

    let card = root.path().join("exchange/card-IngenMSP.yaml");
    let card_text = std::fs::read_to_string(&card).expect("card");
    assert!(card_text.contains(CHANNEL), "the card asks for the channel:\n{card_text}");

    // No --channel: the card's channel is the one joined.
    run(&owner, &strs(&admit_args(root.path(), &owner, &org)), 0);
    let values =
        std::fs::read_to_string(owner.dir.join("orchestrator-values.yaml")).expect("values");
    let data: Value = serde_saphyr::from_str(&values).expect("YAML");
    let client_cas = &data["orchestrator"]["tls"]["mtls"]["clientCACerts"];
    assert!(client_cas.get("IngenMSP").is_some(), "mTLS is on: IngenMSP's client CA:\n{values}");
    let channel = data["channels"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["name"] == CHANNEL))
        .unwrap_or_else(|| panic!("{CHANNEL} in the orchestrator's channels:\n{values}"));
    assert_eq!(channel["organizations"], serde_json::json!(["IngenMSP"]), "{values}");
    let roster = std::fs::read_to_string(owner.dir.join("roster.yaml")).expect("roster");
    assert!(roster.contains("  tls: true\n  mtls: true\n"), "{roster}");
}

/// Mail converts line endings to CRLF. substractl writes LF only and signs those bytes, so a
/// sealed file or a roster in CRLF is read as the LF text it was converted from: it opens, as
/// age opens its armor in CRLF, and the signature still decides (a change made in CRLF is
/// refused as any other).
#[test]
fn files_converted_to_crlf_line_endings_are_read_as_they_were_signed() {
    let net = network(&[("ingen", CHANNEL), ("biotechnica", CHANNEL)], false);
    let ex = net.exchange();
    let work = tempfile::tempdir().expect("work");
    std::fs::set_permissions(work.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let w = work.path();
    let (ingen, bio) = (net.org("IngenMSP"), net.org("BiotechnicaMSP"));
    run(ingen, &["exchange", "seal", "--rotate", "--dir", &s(&ingen.dir), "--out", &s(&ex)], 0);
    let sealed = std::fs::read_to_string(ex.join("sealed-IngenMSP-for-BiotechnicaMSP.yaml"))
        .expect("sealed");
    assert!(!sealed.contains('\r'), "substractl writes LF only");
    let crlf = |text: &str| text.replace('\n', "\r\n");

    // The real age reads its armor in CRLF as in LF.
    let key = s(&bio.dir.join("substractl-identity"));
    let plain = tool("age", &["-d", "-i", &key], Some(crlf(&armor_of(&sealed)).as_bytes()));
    assert!(plain.contains("server: IngenMSP\nclient: BiotechnicaMSP\n"), "{plain}");

    // Changed, then converted: the signature refuses it, and nothing is applied.
    let tampered = crlf(&flip_above(&sealed, "-----END AGE ENCRYPTED FILE-----", 2));
    let f = put(w, "tampered-crlf.yaml", &tampered);
    refused(
        bio,
        &["exchange", "open", &f, "--dir", &s(&bio.dir)],
        &["tampered-crlf.yaml: the signature does not match the content"],
    );

    // Converted only: it opens, and both files hold the new secret.
    let f = put(w, "sealed-crlf.yaml", &crlf(&sealed));
    let out = run(bio, &["exchange", "open", &f, "--dir", &s(&bio.dir)], 0);
    assert!(out.stdout.contains("applied   2"), "{}", out.stdout);
    assert_eq!(
        lists(&net.values("IngenMSP")).0["BiotechnicaMSP"],
        lists(&net.values("BiotechnicaMSP")).1["IngenMSP"]
    );

    // A roster in CRLF is taken as the owner signed it.
    let roster = std::fs::read_to_string(ex.join("roster.yaml")).expect("roster");
    let f = put(w, "roster-crlf.yaml", &crlf(&roster));
    run(bio, &["exchange", "take", &f, "--dir", &s(&bio.dir)], 0);
}

const INGEN_ADDRESS: &str = "https://api.ingen.example:443";

/// The owner, and IngenMSP with its card carried to the exchange directory, not admitted yet.
fn owner_and_ingen() -> (tempfile::TempDir, Party, Party) {
    let (root, owner) = owner_in(&orchestrator_values());
    let values = backend_values("ingen", "IngenMSP", CHANNEL, INGEN_ADDRESS);
    let ingen = org_in(root.path(), "ingen", "IngenMSP", OWNER_UID + 1, &values);
    (root, owner, ingen)
}

/// A card whose MSP ID differs from a member's only in case is refused, as init refuses such
/// names: one organization would have two sealed files and two client CA entries.
#[test]
fn admit_refuses_an_msp_id_that_differs_from_a_member_only_in_case() {
    let (root, owner, ingen) = owner_and_ingen();
    run(&owner, &strs(&admit_args(root.path(), &owner, &ingen)), 0);
    let twin = org_in(
        root.path(),
        "ingen-again",
        "ingenMSP",
        OWNER_UID + 2,
        &backend_values("ingen", "ingenMSP", CHANNEL, INGEN_ADDRESS),
    );
    refused(
        &owner,
        &strs(&admit_args(root.path(), &owner, &twin)),
        &["the card's MSP ID ingenMSP differs from IngenMSP, already in the network, only in case"],
    );
}

/// The address a card carries goes to every member in the roster: a card whose address holds
/// a user name and password, or a query, is refused by admit even when its own key signed it
/// (`exchange identity` never makes one), and the password is never printed.
#[test]
fn admit_refuses_a_card_whose_address_holds_credentials_or_a_query() {
    let (root, owner, ingen) = owner_and_ingen();
    let card = root.path().join("exchange/card-IngenMSP.yaml");
    let text = std::fs::read_to_string(&card).expect("card");
    let (body, _) = split_signed(&text);
    let line = |a: &str| format!("address: \"{a}\"\n");
    assert!(body.contains(&line(INGEN_ADDRESS)), "{body}");
    let work = tempfile::tempdir().expect("work");
    std::fs::set_permissions(work.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    for (hostile, says) in [
        ("https://admin:S3cretPassw0rd@api.ingen.example:443", "it has a user name (before @)"),
        ("https://api.ingen.example:443/?token=S3cretPassw0rd", "it has a query or a fragment"),
    ] {
        // Signed again by the organization's own key: the card itself is sound.
        let forged = body.replace(&line(INGEN_ADDRESS), &line(hostile));
        let signed = keygen_sign(&forged, &ingen.dir.join("substractl-identity"), work.path());
        std::fs::write(&card, signed).expect("write card");
        let args = admit_args(root.path(), &owner, &ingen);
        refused(&owner, &strs(&args), &["card-IngenMSP.yaml: the card's address", says]);
        let out = Test::new().user(owner.uid).args(&args).status(2).run();
        assert!(!out.stderr.contains("S3cretPassw0rd"), "{}", out.stderr);
    }
    assert!(!owner.dir.join("roster.yaml").exists(), "nothing was admitted");
}

/// `exchange status` reads under the lock, as every reader: a run interrupted after its commit
/// mark is finished first, and the status is of the files it left.
#[test]
fn status_finishes_an_interrupted_run_before_it_reports() {
    let net = network(&[("ingen", CHANNEL), ("biotechnica", CHANNEL)], false);
    let bio = net.org("BiotechnicaMSP");
    let values = net.values("BiotechnicaMSP");
    let paired = std::fs::read_to_string(&values).expect("values");
    // The file as it was before the pair was opened, and a committed batch that writes the
    // paired one: what a run killed between its commit mark and its renames leaves.
    let unpaired = backend_values(
        "biotechnica",
        "BiotechnicaMSP",
        CHANNEL,
        "https://api.biotechnica.example:443",
    );
    write_owned(&values, &unpaired, bio.uid, 0o600);
    let name = values.file_name().expect("name").to_str().expect("utf-8");
    for made in committed_batch(&bio.dir, &[(name, &paired)]) {
        if is_root() {
            std::os::unix::fs::lchown(&made, Some(bio.uid), Some(bio.uid)).expect("chown");
        }
    }

    let out = run(bio, &["exchange", "status", "--dir", &s(&bio.dir)], 0);
    assert!(out.stderr.contains("finished the writes of an interrupted run"), "{}", out.stderr);
    assert!(!out.stdout.contains(" no "), "{}", out.stdout);
    assert_eq!(std::fs::read_to_string(&values).expect("values"), paired);
}

/// A partner's sealed secret that link would replace (too short, a placeholder) is refused by
/// `exchange open`, naming the file and the partner, and nothing is applied; and `exchange
/// seal` never writes a key that a merge key `<<` supplies.
#[test]
fn weak_sealed_secrets_and_merged_keys_are_refused() {
    let net = network(&[("ingen", CHANNEL), ("biotechnica", CHANNEL)], true);
    let (ingen, bio) = (net.org("IngenMSP"), net.org("BiotechnicaMSP"));
    let work = tempfile::tempdir().expect("work");
    std::fs::set_permissions(work.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let w = work.path();
    let applied = lists(&net.values("BiotechnicaMSP")).1["IngenMSP"].clone();
    let weak = [
        ("short.yaml", "short".to_string(), "shorter than 32 characters"),
        ("31.yaml", "k".repeat(31), "shorter than 32 characters"),
        ("placeholder.yaml", format!("changeme-{}", "x".repeat(40)), "placeholder"),
    ];
    for (name, secret, why) in &weak {
        let f = put(w, name, &sealed_by_tools(ingen, bio, 9, secret, w));
        refused(
            bio,
            &["exchange", "open", &f, "--dir", &s(&bio.dir)],
            &[
                &format!(
                    "{name}: IngenMSP sealed a secret for BiotechnicaMSP that link would replace"
                ),
                why,
            ],
        );
    }
    assert_eq!(lists(&net.values("BiotechnicaMSP")).1["IngenMSP"], applied);
    // One of 32 characters is applied.
    let strong = "S".repeat(32);
    let f = put(w, "strong.yaml", &sealed_by_tools(ingen, bio, 9, &strong, w));
    run(bio, &["exchange", "open", &f, "--dir", &s(&bio.dir)], 0);
    assert_eq!(lists(&net.values("BiotechnicaMSP")).1["IngenMSP"], strong);
    // A weak secret written into the values by hand is one seal replaces: status says so.
    let path = net.values("BiotechnicaMSP");
    let incoming = lists(&path).0["IngenMSP"].clone();
    let text = std::fs::read_to_string(&path).expect("values");
    let placeholder = format!("changeme-{}", "x".repeat(40));
    write_owned(&path, &text.replace(&incoming, &placeholder), bio.uid, 0o600);
    let out = run(bio, &["exchange", "status", "--dir", &s(&bio.dir), "-o", "json"], 1);
    let status: Value = serde_json::from_str(&out.stdout).expect("json");
    let partner = &status["partners"][0];
    assert_eq!((&partner["msp_id"], &partner["incoming"]), (&"IngenMSP".into(), &false.into()));
    assert!(partner["todo"][0]
        .as_str()
        .is_some_and(|t| t.starts_with("run substractl exchange seal")));
    assert!(!out.stdout.contains(&placeholder) && !out.stderr.contains(&placeholder));
    // A second entry for the partner, after the good one: the backend may take either.
    let doubled = text.replacen(
        "  incomingOrganizations:\n",
        "  incomingOrganizations:\n    - name: IngenMSP\n      secret: short\n",
        1,
    );
    assert_ne!(doubled, text);
    write_owned(&path, &doubled, bio.uid, 0o600);
    let out = run(bio, &["exchange", "status", "--dir", &s(&bio.dir), "-o", "json"], 1);
    let status: Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(status["partners"][0]["incoming"], false, "{}", out.stdout);
    run(bio, &["check", "links", "--dir", &s(&bio.dir)], 1);
    write_owned(&path, &text, bio.uid, 0o600);

    // The orchestrator section comes from a merge key, without the roster's channel: seal
    // would have to write orchestrator over it.
    let path = net.values("BiotechnicaMSP");
    let text = std::fs::read_to_string(&path).expect("values");
    let (start, end) =
        (text.find("orchestrator:\n").expect("o"), text.find("addAccountOperator:").expect("a"));
    let merged = format!(
        "<<: {{orchestrator: {{host: orchestrator.example, port: 443, mspID: BiotechnicaMSP, tls: {{enabled: true, cacert: orchestrator-tls-cacert, mtls: {{enabled: true, clientCertificate: orchestrator-client-cert}}}}}}}}\n{}{}",
        &text[..start],
        &text[end..]
    );
    write_owned(&path, &merged, bio.uid, 0o600);
    refused(
        bio,
        &["exchange", "seal", "--dir", &s(&bio.dir), "--out", &s(&net.exchange())],
        &[
            "backend-biotechnicamsp-values.yaml:1:1: orchestrator comes from this merge key `<<`",
            "write orchestrator out in full instead of through `<<`",
        ],
    );
}

/// The `exchange seal` pair line for `client`, from its JSON report: (action, sequence).
fn sealed_pair(party: &Party, args: &[&str], client: &str) -> (String, u64, String) {
    let out = run(party, &[args, &["-o", "json"]].concat(), 0);
    let report: Value = serde_json::from_str(&out.stdout).expect("json");
    let pair = report["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .find(|p| p["client"] == client)
        .expect("pair line")
        .clone();
    let action = pair["action"].as_str().expect("action").to_string();
    (action, pair["sequence"].as_u64().expect("sequence"), out.stderr)
}

#[test]
fn a_secret_changed_behind_seal_is_sealed_again_at_a_new_sequence() {
    let net = network(&[("ingen", CHANNEL), ("biotechnica", CHANNEL)], false);
    let ingen = net.org("IngenMSP");
    let bio = net.org("BiotechnicaMSP");
    let (dir, ex) = (s(&ingen.dir), s(&net.exchange()));
    let seal = ["exchange", "seal", "--dir", &dir, "--out", &ex];
    let sealed = net.exchange().join("sealed-IngenMSP-for-BiotechnicaMSP.yaml");
    let open = || {
        let out = run(bio, &["exchange", "open", &s(&sealed), "--dir", &s(&bio.dir)], 0);
        assert!(out.stdout.contains("applied"), "{}", out.stdout);
    };
    // Ingen lets biotechnica in with the secret biotechnica logs in with.
    let agree = || {
        let mine = lists(&net.values("IngenMSP")).0["BiotechnicaMSP"].clone();
        assert_eq!(mine, lists(&net.values("BiotechnicaMSP")).1["IngenMSP"]);
        mine
    };
    let first = agree();
    let backup = std::fs::read_to_string(net.values("IngenMSP")).expect("values");

    // Sequence 2, opened by biotechnica; then ingen restores its backup: the secret of sequence 1.
    assert_eq!(sealed_pair(ingen, &[&seal[..], &["--rotate"]].concat(), "BiotechnicaMSP").1, 2);
    open();
    assert_ne!(agree(), first);
    write_owned(&net.values("IngenMSP"), &backup, ingen.uid, 0o600);
    let file_before = std::fs::read(&sealed).expect("sealed");
    let (action, sequence, stderr) = sealed_pair(ingen, &seal, "BiotechnicaMSP");
    assert_eq!((action.as_str(), sequence), ("resealed", 3), "{stderr}");
    assert!(stderr.contains("changed since sequence 2 was sealed"), "{stderr}");
    assert_ne!(std::fs::read(&sealed).expect("sealed"), file_before, "the sealed file is new");
    open();
    assert_eq!(agree(), first);

    // Sealed again with nothing changed: kept, the file as it was.
    let file_before = std::fs::read(&sealed).expect("sealed");
    let (action, sequence, stderr) = sealed_pair(ingen, &seal, "BiotechnicaMSP");
    assert_eq!((action.as_str(), sequence), ("kept", 3), "{stderr}");
    assert_eq!(std::fs::read(&sealed).expect("sealed"), file_before);

    // A hand edit of the secret, to another usable one; the sealed file deleted too.
    let values = std::fs::read_to_string(net.values("IngenMSP")).expect("values");
    let edited: String =
        first
            .chars()
            .map(|c| {
                if c.is_ascii_lowercase() {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
    assert_eq!(values.matches(first.as_str()).count(), 1, "{values}");
    write_owned(&net.values("IngenMSP"), &values.replace(&first, &edited), ingen.uid, 0o600);
    std::fs::remove_file(&sealed).expect("rm");
    let (action, sequence, stderr) = sealed_pair(ingen, &seal, "BiotechnicaMSP");
    assert_eq!((action.as_str(), sequence), ("resealed", 4), "{stderr}");
    open();
    assert_eq!(agree(), edited);

    // The state records a digest keyed with the identity, never the secret; it is 0600.
    let state_path = ingen.dir.join("exchange-state.yaml");
    let state = std::fs::read_to_string(&state_path).expect("state");
    assert!(state.contains("sealedDigest:"), "{state}");
    assert!(!state.contains(&edited) && !state.contains(&first), "{state}");
    let mode = std::fs::metadata(&state_path).expect("state").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);

    // A state an older substractl wrote, without digests: what sequence 4 holds is unknown, so
    // the secret is sealed again rather than called current.
    let old: String = state.split("sealedDigest:").next().expect("state").to_string();
    write_owned(&state_path, &old, ingen.uid, 0o644);
    let (action, sequence, stderr) = sealed_pair(ingen, &seal, "BiotechnicaMSP");
    assert_eq!((action.as_str(), sequence), ("resealed", 5), "{stderr}");
    assert!(stderr.contains("older substractl"), "{stderr}");
    let mode = std::fs::metadata(&state_path).expect("state").permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "the state is tightened once it holds digests");
    open();
    assert_eq!(agree(), edited);
    let (action, sequence, _) = sealed_pair(ingen, &seal, "BiotechnicaMSP");
    assert_eq!((action.as_str(), sequence), ("kept", 5));
}

/// Journals planted in the directory the files travel through (a shared git repository, whose
/// files its clone's user owns) name the party's own files: its private identity and its
/// values. `exchange seal --out` opens that directory, and acts on none of them.
#[test]
fn a_journal_planted_in_the_shared_directory_moves_nothing_into_it() {
    let net = network(&[("ingen", CHANNEL), ("biotechnica", CHANNEL)], false);
    let ingen = net.org("IngenMSP");
    let ex = net.exchange().canonicalize().expect("real dir");
    let own = ingen.dir.canonicalize().expect("real dir");
    let (identity, values) = (own.join("substractl-identity"), net.values("IngenMSP"));
    let (b1, b2, b3) = ("0000000000000001", "0000000000000002", "0000000000000003");
    let ours = |batch: &str, n: usize, end: &str| ex.join(format!(".substractl-{batch}-{n}.{end}"));
    let cases = [
        // A committed batch whose staged file is the identity, its target in the shared dir.
        (
            b1,
            json!([[identity, ex.join("stolen-identity")]]),
            json!([]),
            json!([ex.join("stolen-identity")]),
            "commit\n",
        ),
        // A committed batch whose staged file, the planter's, replaces the values file.
        (
            b2,
            json!([[ours(b2, 0, "tmp"), values]]),
            json!([[ours(b2, 0, "orig"), values]]),
            json!([]),
            "commit\n",
        ),
        // A batch putting back: it removes the identity as created, and puts the planter's
        // file back over the values.
        (
            b3,
            json!([[ours(b3, 0, "tmp"), identity], [ours(b3, 1, "tmp"), values]]),
            json!([[ours(b3, 1, "orig"), values]]),
            json!([identity]),
            "commit\nrollback\n",
        ),
    ];
    let mut journals = Vec::new();
    for (batch, files, originals, created, marks) in cases {
        journals.push(plant(&ex, batch, files, originals, created, marks));
        for name in [ours(batch, 0, "tmp"), ours(batch, 0, "orig"), ours(batch, 1, "orig")] {
            write_owned(&name, "the planter's file\n", ingen.uid, 0o644);
        }
    }
    for made in &journals {
        if is_root() {
            std::os::unix::fs::chown(made, Some(ingen.uid), Some(ingen.uid)).expect("chown");
        }
    }
    let before = snapshot(&ingen.dir);
    let out = run(ingen, &["exchange", "seal", "--dir", &s(&ingen.dir), "--out", &s(&ex)], 0);
    for journal in &journals {
        assert!(
            out.stderr.contains(&format!(
                "ignored {}, which is not a journal substractl wrote for this directory",
                journal.display()
            )),
            "{}",
            out.stderr
        );
        assert!(journal.exists());
    }
    assert!(!out.stderr.contains("interrupted run in"), "{}", out.stderr);
    assert!(!ex.join("stolen-identity").exists());
    assert!(snapshot(&ingen.dir) == before, "exchange seal changed {}", ingen.dir.display());
}

/// In the shared directory (sticky, as /tmp is: each user may remove only their own files),
/// another party plants a journal with every name right and the directory's own inode, of a
/// batch that was putting its files back: it names a file of ingen's there as created. Only
/// ingen's run could remove that file, and it removes nothing.
#[test]
fn a_journal_another_user_planted_in_the_shared_directory_removes_nothing() {
    assert!(is_root(), "the parties run as users of their own");
    let net = network(&[("ingen", CHANNEL), ("biotechnica", CHANNEL)], false);
    let (ingen, bio) = (net.org("IngenMSP"), net.org("BiotechnicaMSP"));
    let ex = net.exchange().canonicalize().expect("real dir");
    let mine = ex.join("ingen-notes.txt");
    write_owned(&mine, "ingen's own file\n", ingen.uid, 0o644);
    let batch = "0000000000000004";
    let staged = ex.join(format!(".substractl-{batch}-0.tmp"));
    let journal =
        plant(&ex, batch, json!([[staged, mine]]), json!([]), json!([mine]), "commit\nrollback\n");
    std::os::unix::fs::chown(&journal, Some(bio.uid), Some(bio.uid)).expect("chown");
    let out = run(ingen, &["exchange", "seal", "--dir", &s(&ingen.dir), "--out", &s(&ex)], 0);
    let said = format!(
        "ignored {}, which is not a journal substractl wrote for this directory (it belongs to \
         user {}",
        journal.display(),
        bio.uid
    );
    assert!(out.stderr.contains(&said), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&mine).expect("ingen's file"), "ingen's own file\n");
    assert!(journal.exists());
}

/// A name a receiver would refuse in a card or a roster (a channel with a blank, an
/// organization name holding a tab) is refused where it is written, with exit 2 and its line,
/// and nothing is written.
#[test]
fn names_a_card_or_a_roster_cannot_carry_are_refused_at_their_line() {
    let (root, owner) = owner_in(&orchestrator_values());
    let org = org_in(
        root.path(),
        "ingen",
        "IngenMSP",
        OWNER_UID + 1,
        &backend_values("ingen", "IngenMSP", CHANNEL, "https://api.ingen.example:443"),
    );
    let values = values_file(&org.dir, &org.msp_id);
    let good = std::fs::read_to_string(&values).expect("values");
    let identity = ["exchange", "identity", "--dir", &s(&org.dir)];
    for (from, to, says) in [
        (format!("- {CHANNEL}:"), "- \"our channel\":".to_string(), ":15: channel \"our channel\""),
        (
            "organizationName: ingen".into(),
            "organizationName: \"in\\tgen\"".into(),
            ":1: organizationName",
        ),
        // Characters no YAML file can hold.
        (
            "organizationName: ingen".into(),
            "organizationName: \"in\\ufffegen\"".into(),
            ":1: organizationName",
        ),
        (
            format!("- {CHANNEL}:"),
            "- \"our\\uffffchannel\":".to_string(),
            ":15: channel \"our\\u{ffff}channel\"",
        ),
        // A key Helm's reader takes for a boolean: the backend would join a channel `true`.
        (format!("- {CHANNEL}:"), "- yes:".to_string(), ":15:7: the channel key yes is a boolean"),
        (
            format!("- {CHANNEL}:"),
            "- &k yes:".to_string(),
            ":15:7: the channel key yes is a boolean",
        ),
        (format!("- {CHANNEL}:"), "- -0:".to_string(), ":15:7: the channel key -0 is a number"),
    ] {
        write_owned(&values, &good.replace(&from, &to), org.uid, 0o600);
        refused(&org, &identity, &[&format!("{}{says}", values.display())]);
    }
    // An alias as a channel key: the name is its anchor's, wherever that is.
    let aliased = good
        .replace("organizationName: ingen", "organizationName: &k ingen")
        .replace(&format!("- {CHANNEL}:"), "- *k :");
    write_owned(&values, &aliased, org.uid, 0o600);
    refused(
        &org,
        &identity,
        &[&format!("{}:15:7: the channel key *k is an alias", values.display())],
    );
    write_owned(&values, &good, org.uid, 0o600);

    // The owner's side: the orchestrator's channels carry names too.
    let path = owner.dir.join("orchestrator-values.yaml");
    let good = std::fs::read_to_string(&path).expect("values");
    for (channels, says) in [
        (
            "channels:\n  - name: \"our channel\"\n    organizations: []\n",
            ":2: channel \"our channel\"",
        ),
        (
            "channels:\n  - name: ch\n    organizations: [IngenMSP, \"a b\"]\n",
            ":2: organization name \"a b\"",
        ),
        (
            "channels:\n  - name: \"c\\ufffe\"\n    organizations: []\n",
            ":2: channel \"c\\u{fffe}\"",
        ),
    ] {
        write_owned(&path, &format!("{channels}{good}"), owner.uid, 0o600);
        refused(&owner, &["exchange", "roster", "--dir", &s(&owner.dir)], &[says]);
        refused(&owner, &strs(&admit_args(root.path(), &owner, &org)), &[says]);
    }
}

#[test]
fn a_partner_whose_key_changed_is_said_when_the_roster_is_taken() {
    let net = network(&[("ingen", CHANNEL), ("biotechnica", CHANNEL)], false);
    let bio = net.org("BiotechnicaMSP");
    // biotechnica lost its key and made a new identity; the owner admits its new card.
    for f in ["substractl-identity", "substractl-identity.pub"] {
        std::fs::remove_file(bio.dir.join(f)).expect("remove");
    }
    let out = run(bio, &["exchange", "identity", "--dir", &s(&bio.dir)], 0);
    let new = printed_fingerprint(&out.stdout);
    assert_ne!(new, bio.fingerprint);
    let card = carry(&bio.dir.join("card-BiotechnicaMSP.yaml"), &net.exchange());
    let owner = &net.owner;
    run(
        owner,
        &["exchange", "admit", &s(&card), "--fingerprint", &new, "--dir", &s(&owner.dir)],
        0,
    );
    let roster = carry(&owner.dir.join("roster.yaml"), &net.exchange());
    // ingen is told before it seals its pair secret to the new key.
    let ingen = net.org("IngenMSP");
    let out = run(ingen, &["exchange", "take", &s(&roster), "--dir", &s(&ingen.dir)], 0);
    let said = format!(
        "BiotechnicaMSP's key changed since the roster taken before: {} is now {new}",
        bio.fingerprint
    );
    assert!(out.stderr.contains(&said), "{}", out.stderr);
    // Taken again, the same roster says nothing more.
    let out = run(ingen, &["exchange", "take", &s(&roster), "--dir", &s(&ingen.dir)], 0);
    assert!(!out.stderr.contains("key changed"), "{}", out.stderr);
}

/// Only the orchestrator's certificates and address travel in the roster every member gets:
/// a private key beside the CA certificate, or credentials in the address, are refused and
/// never shown; a CA of any ordinary size travels.
#[test]
fn a_roster_carries_no_private_key_and_no_credential() {
    let (_root, owner) = owner_in(&orchestrator_values());
    let dir = s(&owner.dir);
    let roster = owner.dir.join("roster.yaml");
    let ca = std::fs::read_to_string(owner.dir.join("orchestrator-ca.crt")).expect("ca");
    let key = std::fs::read_to_string(owner.dir.join("orchestrator-ca.key")).expect("key");
    let bundle = owner.dir.join("bundle.pem");
    write_owned(&bundle, &format!("{ca}{key}"), owner.uid, 0o600);
    let key_line = key.lines().nth(1).expect("a line of the key").to_string();
    let out = Test::new()
        .user(owner.uid)
        .args(["exchange", "roster", "--dir", &dir, "--ca", &s(&bundle)])
        .status(2)
        .stderr_contains("bundle.pem: holds a PRIVATE KEY block: only certificates travel")
        .never_shows(&key_line)
        .run();
    drop(out);
    assert!(!roster.exists(), "a roster was written");
    let password = "S3cretPassw0rd";
    for address in [
        format!("admin:{password}@orch.example:443"),
        format!("{password}@orch.example:443"),
        format!("https://admin:{password}@orch.example:443"),
    ] {
        Test::new()
            .user(owner.uid)
            .args(["exchange", "roster", "--dir", &dir, "--orchestrator", &address])
            .status(2)
            .stderr_contains("--orchestrator: orchestrator address")
            .never_shows(password)
            .run();
        assert!(!roster.exists(), "{address}: a roster was written");
    }
    // An RSA-4096 CA with a long name: over 2 KiB of PEM, a CA all the same.
    let big = tempfile::tempdir().expect("dir");
    let cn = "Orchestrator Root CA of a network with a long name ".repeat(2);
    Test::new()
        .args(["certs", "gen", "--out", &s(big.path()), "--host", "o.example"])
        .args(["--key-type", "rsa-4096", "--ca-cn", cn.trim()])
        .run();
    let big_ca = big.path().join("orchestrator-ca.crt");
    assert!(std::fs::metadata(&big_ca).expect("ca").len() > 2048);
    let big_ca = put(&owner.dir, "big-ca.crt", &std::fs::read_to_string(&big_ca).expect("ca"));
    run(&owner, &["exchange", "roster", "--dir", &dir, "--ca", &big_ca], 0);
    let text = std::fs::read_to_string(&roster).expect("roster");
    assert!(text.contains("caCertificate: |"), "{text}");
}

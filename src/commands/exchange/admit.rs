//! `substractl exchange admit CARD --fingerprint FP`: the orchestrator's owner admits an
//! organization. Its card must carry the fingerprint its administrator read out; the
//! organization joins channels in the orchestrator values (and, with mTLS, `clientCACerts`),
//! and the roster is issued again with one more serial.

use std::path::Path;

use super::{add, existing_dir, lock, read_identity};
use crate::cli::ExchangeAdmitArgs;
use crate::commands::certs::SECRETS;
use crate::deployment::pairs::{add_orchestrator_channel, check_channel};
use crate::deployment::{self, orchestrator_text};
use crate::error::Explained;
use crate::exchange::card::Card;
use crate::exchange::identity::Identity;
use crate::exchange::roster::{Channel, Orchestrator, Roster, Trust};
use crate::exchange::{self as ex, ExchangeError};
use crate::output::Printer;
use crate::report::exchange::ExchangeReport;
use crate::shell::quote_path as shell_quote;
use crate::values::tls::SecretNames;
use crate::values::{self, Doc};
use crate::workspace::{self, ChangeSet, PUBLIC_MODE, SECRET_MODE};

/// The CA certificate's file name, as `certs gen` writes it.
const CA_FILE: &str = "orchestrator-ca.crt";

pub fn admit(args: ExchangeAdmitArgs, printer: &Printer) -> anyhow::Result<ExchangeReport> {
    let dir = args.dir.clone();
    existing_dir(&dir)?;
    let card_bytes = workspace::read_existing(&args.card)?;
    let card = Card::read(&args.card, &card_bytes)?;
    let given = args.fingerprint.trim();
    if card.key.fingerprint() != given {
        return Err(Explained::input(format!(
            "{}: the card's key has the fingerprint {}, not {given} as given with --fingerprint: do not admit it",
            args.card.display(),
            card.key.fingerprint()
        ))
        .hint("ask the organization's administrator to read the fingerprint again, by another channel than the file")
        .into());
    }
    // The roster carries the address to every member: no credential, query or odd character.
    if let Some(why) = crate::probe::http::address_problem(&card.address) {
        return Err(Explained::input(format!(
            "{}: the card's address {}: {why}",
            args.card.display(),
            crate::probe::redact::shown_url(&card.address)
        ))
        .hint("ask the organization for a card made from a values file whose server.defaultDomain is http(s)://HOST[:PORT]")
        .into());
    }
    let channels =
        if args.channels.is_empty() { card.channels.clone() } else { args.channels.clone() };
    if channels.is_empty() {
        return Err(Explained::input(format!(
            "{}: the card asks for no channel",
            args.card.display()
        ))
        .hint("name the channel the organization joins with --channel NAME")
        .into());
    }
    for c in &channels {
        check_channel(c)?;
    }
    let values_path = workspace::in_dir(&dir, &args.orchestrator_values);
    let roster_path = workspace::in_dir(&dir, Path::new(ex::ROSTER_FILE));
    let lock = lock(&[dir.as_path()], printer)?;
    let owner = read_identity(&dir, printer)?;

    // The orchestrator's values: channels, and with mTLS a client CA under the MSP ID.
    let before = workspace::read(&values_path)?;
    let mut doc = Doc::parse(&values_path, before.clone())?;
    let channel_members: Vec<String> = deployment::Orchestrator::of(&doc)?
        .channels
        .into_iter()
        .flat_map(|c| c.organizations)
        .collect();
    for c in &channels {
        doc = add_orchestrator_channel(doc, c, std::slice::from_ref(&card.msp_id))?.0;
    }
    // Read as the orchestrator runs with them: over the chart's defaults, switches as it reads
    // them (`tls.enabled: "true"` is on).
    let mtls = deployment::Orchestrator::of(&doc)?.mtls;
    if mtls {
        let ca =
            or_default(orchestrator_text(&doc, &["orchestrator", "tls", "cacert"]), SECRETS.ca);
        let pair = or_default(
            orchestrator_text(&doc, &["orchestrator", "tls", "secrets", "pair"]),
            SECRETS.server_pair,
        );
        let names = SecretNames { ca: &ca, server_pair: &pair, client: SECRETS.client };
        values::tls::orchestrator(&mut doc, names, &[card.msp_id.as_str()])?;
    }

    // The roster: the previous one (the owner's own, checked), with this card in or replaced.
    let previous =
        previous_roster(&roster_path, workspace::read(&roster_path)?.as_deref(), &owner)?;
    let mut warnings = Vec::new();
    let mut members = previous.as_ref().map(|r| r.members.clone()).unwrap_or_default();
    if let Some(other) = members.iter().find(|m| m.msp_id != card.msp_id && m.key == card.key) {
        return Err(ExchangeError::new(
            &args.card,
            format!(
                "the card's key is already {}'s: each organization needs its own identity",
                other.msp_id
            ),
        )
        .into());
    }
    // One organization under two spellings would get two sealed files and two client CA
    // entries; init refuses such names too.
    let known = members.iter().map(|m| &m.msp_id).chain(&channel_members);
    if let Some(other) = known
        .into_iter()
        .find(|m| **m != card.msp_id && m.to_lowercase() == card.msp_id.to_lowercase())
    {
        return Err(ExchangeError::new(
            &args.card,
            format!(
                "the card's MSP ID {} differs from {other}, already in the network, only in case: \
                 organizations' MSP IDs must differ in more than case",
                card.msp_id
            ),
        )
        .hint("if it is the same organization, ask for a card made with the MSP ID the network already has; if not, for one with another MSP ID")
        .into());
    }
    // With mTLS, the chart names a pod volume after the MSP ID (checked after the rules above,
    // whose words are plainer).
    if mtls {
        crate::deployment::check_client_ca_volumes(&doc, &[card.msp_id.as_str()])?;
    }
    match members.iter_mut().find(|m| m.msp_id == card.msp_id) {
        Some(m) => {
            if m.key != card.key {
                warnings.push(format!(
                    "the card replaces {}'s card with the key {}: every partner must seal its secrets for {} again",
                    card.msp_id,
                    m.key.fingerprint(),
                    card.msp_id
                ));
            }
            *m = card.clone();
        }
        None => members.push(card.clone()),
    }
    let roster = issue(
        &dir,
        &doc,
        args.ca.as_deref(),
        args.orchestrator.as_deref(),
        previous.as_ref(),
        members,
        &owner,
    )?;
    let text = super::signed_roster(&roster, &owner, &roster_path)?;

    let mut set = ChangeSet::new();
    add(&mut set, &values_path, before, doc.text.clone(), SECRET_MODE, false);
    add(&mut set, &roster_path, workspace::read(&roster_path)?, text, PUBLIC_MODE, false);
    let files = super::commit_or_show(
        set,
        &lock,
        &[values_path.clone(), roster_path.clone()],
        args.dry_run,
    )?;
    let others: Vec<&str> = roster.members.iter().map(|m| m.msp_id.as_str()).collect();
    Ok(ExchangeReport {
        dry_run: args.dry_run,
        msp_id: Some(card.msp_id.clone()),
        fingerprint: Some(card.key.fingerprint()),
        admitted: true,
        roster_serial: Some(roster.serial),
        pairs: Vec::new(),
        files,
        next_steps: vec![
            format!(
                "helm upgrade ORCHESTRATOR-RELEASE --namespace ORCHESTRATOR-NAMESPACE substra/orchestrator --version ORCHESTRATOR-VERSION --values {}",
                shell_quote(&values_path)
            ),
            format!("send {} to every member: {}", roster_path.display(), others.join(", ")),
        ],
        warnings,
    })
}

/// The roster the owner issued last, read and checked as its own; None before the first.
pub(super) fn previous_roster(
    path: &Path,
    bytes: Option<&[u8]>,
    owner: &Identity,
) -> anyhow::Result<Option<Roster>> {
    Ok(match bytes {
        Some(bytes) => Some(Roster::read(path, bytes, &Trust::Key(owner.public()))?),
        None => None,
    })
}

/// The next roster: the orchestrator's settings from its values (the address and CA given,
/// else the previous roster's, else the ingress host and `orchestrator-ca.crt` in `dir`), its
/// channels, and `members`, with one more serial than `previous`.
pub(super) fn issue(
    dir: &Path,
    doc: &Doc,
    ca: Option<&Path>,
    orchestrator: Option<&str>,
    previous: Option<&Roster>,
    members: Vec<Card>,
    owner: &Identity,
) -> anyhow::Result<Roster> {
    let view = deployment::Orchestrator::of(doc)?;
    let tls = view.tls;
    let address = match (orchestrator, previous.and_then(|r| r.orchestrator.address.clone())) {
        (Some(a), _) => Some(a.to_string()),
        (None, Some(a)) => Some(a),
        (None, None) => {
            view.hostname.as_ref().map(|h| format!("{h}:{}", if tls { 443 } else { 80 }))
        }
    };
    // What a member refuses in a roster's address is refused here first: the flag, or the
    // values file's line.
    if let Some(a) = &address {
        let problem = crate::exchange::roster::check_address(&doc.path, "orchestrator address", a);
        if let Err(e) = problem {
            let message = match orchestrator {
                Some(_) => format!("--orchestrator: {}", e.message),
                None => format!(
                    "{}:{}: ingress.hostname: {}",
                    doc.path.display(),
                    deployment::line_of(doc, &["ingress", "hostname"]),
                    e.message
                ),
            };
            return Err(Explained::input(message)
                .hint(
                    "the orchestrator's address is host:port, the host a DNS name or an IP address",
                )
                .into());
        }
    }
    let ca_path = match ca {
        Some(p) => Some(p.to_path_buf()),
        None => Some(workspace::in_dir(dir, Path::new(CA_FILE))).filter(|p| p.is_file()),
    };
    let ca_certificate = match &ca_path {
        Some(p) => Some(read_ca(p)?),
        None => previous.and_then(|r| r.orchestrator.ca_certificate.clone()),
    };
    // What a member refuses in a roster is refused here first, at its line.
    for (i, c) in view.channels.iter().enumerate() {
        let refused = |e: ExchangeError| {
            let line = deployment::line_of_item(doc, &["channels"], i);
            anyhow::Error::from(
                Explained::input(format!("{}:{line}: {}", doc.path.display(), e.message)).hint(
                    "a roster carries the channels to every member: rename it in the values file",
                ),
            )
        };
        ex::card::check_word(&doc.path, "channel", &c.name).map_err(refused)?;
        for o in &c.organizations {
            ex::check_msp_id(&doc.path, o).map_err(refused)?;
        }
    }
    Ok(Roster {
        serial: previous.map_or(1, |r| r.serial + 1),
        owner: owner.public(),
        orchestrator: Orchestrator {
            address,
            tls,
            mtls: view.mtls,
            verify_client_msp_id: view.verify_client_msp_id,
            ca_certificate,
        },
        channels: view
            .channels
            .into_iter()
            .map(|c| Channel { name: c.name, organizations: c.organizations })
            .collect(),
        members,
    })
}

/// A text value, else the name substractl gives it.
fn or_default(value: String, default: &str) -> String {
    if value.is_empty() {
        default.to_string()
    } else {
        value
    }
}

/// The CA certificate, as PEM text that parses.
fn read_ca(path: &Path) -> anyhow::Result<String> {
    let bytes = workspace::read_existing(path)?;
    ex::check_size(path, &bytes, crate::exchange::roster::MAX_CA_BYTES, "a CA certificate")?;
    let text = ex::text_of(path, &bytes)?;
    Ok(crate::exchange::roster::certificates_only(path, text)?)
}

//! `substractl exchange seal`: an organization pairs with every partner the roster gives it.
//! For each partner B, "I serve B": it keeps (or makes) the secret of its own
//! `incomingOrganizations` entry for B and writes a sealed file for B; the pair with itself is
//! written locally, both lists. The roster's channels that list it go into its values too.

use std::collections::HashMap;
use std::path::Path;

use super::take::dir_flag;
use super::{
    add, add_state, check_own_card, existing_dir, lock_party, read_identity, read_org, read_roster,
    read_state, values_path,
};
use crate::cli::ExchangeSealArgs;
use crate::deployment::pairs::add_backend_channel;
use crate::error::Explained;
use crate::exchange::identity::Identity;
use crate::exchange::{self as ex, sealed, signed};
use crate::mesh::{self, Secret};
use crate::output::Printer;
use crate::report::exchange::{ExchangeReport, PairLine};
use crate::values::backend::{Side, Want};
use crate::workspace::{self, ChangeSet, PUBLIC_MODE, SECRET_MODE};

pub fn seal(args: ExchangeSealArgs, printer: &Printer) -> anyhow::Result<ExchangeReport> {
    let dir = args.party.dir.clone();
    existing_dir(&dir)?;
    let out = args.out.clone().unwrap_or_else(|| dir.clone());
    super::existing_dir(&out)?;
    let lock = lock_party(&args.party, &[out.as_path()], printer)?;
    let values_file = values_path(&args.party)?;
    let mut org = read_org(&values_file)?;
    let me = org.msp_id.clone();
    let identity = read_identity(&dir, printer)?;
    let (state_path, state_before, mut state) = read_state(&dir)?;
    let roster = read_roster(&dir, &state)?;
    let roster_path = workspace::in_dir(&dir, Path::new(ex::ROSTER_FILE));
    check_own_card(&roster, &roster_path, &me, &identity)?;
    let partners = roster.partners(&me);
    let mut warnings = Vec::new();
    for channel in roster.channels.iter().filter(|c| c.organizations.contains(&me)) {
        for other in channel.organizations.iter().filter(|o| roster.member(o).is_none()) {
            warnings.push(format!(
                "{}: channel {} lists {other}, whose card the roster does not carry: no secret is sealed for it",
                roster_path.display(),
                channel.name
            ));
        }
    }
    if partners.is_empty() {
        return Err(Explained::input(format!(
            "{}: no channel of the roster lists {me}",
            roster_path.display()
        ))
        .hint("ask the orchestrator's owner to admit your card into a channel, then take the new roster")
        .into());
    }

    // Decide every secret: a usable one is kept unless --rotate.
    let existing = |side: Side, name: &str| {
        org.credentials(side)
            .into_iter()
            .find(|e| e.name == name && !e.has_channel)
            .and_then(|e| e.secret)
            .filter(|s| mesh::unkept_secret(s).is_none())
    };
    let mut incoming: HashMap<String, Want> = HashMap::new();
    let mut outgoing: HashMap<String, Want> = HashMap::new();
    let mut decided = Vec::new();
    for p in &partners {
        let kept = existing(Side::Incoming, &p.msp_id).filter(|s| {
            !args.rotate && (p.msp_id != me || existing(Side::Outgoing, &me).as_ref() == Some(s))
        });
        let (secret, action) = match kept {
            Some(s) => (Secret::from_existing(&s), "kept"),
            None if existing(Side::Incoming, &p.msp_id).is_some() => {
                (Secret::generate(), "rotated")
            }
            None => (Secret::generate(), "created"),
        };
        incoming.insert(p.msp_id.clone(), Want::Secret(secret.expose().to_string()));
        if p.msp_id == me {
            outgoing.insert(me.clone(), Want::Secret(secret.expose().to_string()));
        }
        decided.push((*p, secret, action));
    }
    let order: Vec<String> = partners.iter().map(|p| p.msp_id.clone()).collect();
    org.apply(&incoming, &outgoing, &order)?;
    org.keep_in_manifest(&args.secrets)?;
    let mut doc = org.values.doc.clone();
    for channel in roster.channels_of(&me) {
        add_backend_channel(&mut doc, channel)?;
    }

    let mut set = ChangeSet::new();
    add(
        &mut set,
        &values_file,
        org.original.clone().map(String::into_bytes),
        doc.text.clone(),
        SECRET_MODE,
        false,
    );
    let mut listed = vec![values_file.clone()];
    let manifest = org.stage_manifest(&mut set)?;
    listed.extend(manifest.clone());
    // Where the secrets are kept: the values file, or the Secret manifest it names.
    let credentials_file = match &org.store {
        crate::deployment::Store::Manifest(m) => m.path.clone(),
        _ => values_file.clone(),
    };
    let mut pairs = Vec::new();
    let mut sends = Vec::new();
    for (card, secret, action) in &decided {
        if card.msp_id == me {
            pairs.push(PairLine {
                server: me.clone(),
                client: me.clone(),
                action: action.to_string(),
                sequence: None,
                sealed_file: None,
            });
            continue;
        }
        let last = state.sealed.get(&card.msp_id).copied().unwrap_or(0);
        let digest = |sequence: u64| seal_digest(&identity, &me, &card.msp_id, sequence, secret);
        // A kept secret stays at the last sequence only when the state proves that the sealed
        // file made at it holds this very secret: the values file may have been restored from
        // a backup or edited by hand since, and the partner would keep the old one.
        let recorded = state.sealed_digest.get(&card.msp_id);
        let proved = last > 0 && recorded.is_some_and(|d| digest(last).as_ref() == Some(d));
        let action = match *action {
            "kept" if last > 0 && !proved => {
                warnings.push(match recorded {
                    Some(_) => format!(
                        "{}: the secret of {me}'s incomingOrganizations entry for {} changed since \
                         sequence {last} was sealed for it (a backup restored or a hand edit): it is \
                         sealed again as sequence {}",
                        credentials_file.display(),
                        card.msp_id,
                        last.saturating_add(1)
                    ),
                    None => format!(
                        "{}: it does not record what sequence {last} sealed for {} held (it was \
                         written by an older substractl): the secret of the values file is sealed \
                         again as sequence {}",
                        state_path.display(),
                        card.msp_id,
                        last.saturating_add(1)
                    ),
                });
                "resealed"
            }
            other => other,
        };
        let sequence = if action == "kept" {
            last.max(1)
        } else {
            last.checked_add(1).ok_or_else(|| {
                Explained::input(format!(
                    "the sequence of the secrets sealed for {} is at its largest value in {}: \
                     the state was edited by hand",
                    card.msp_id,
                    workspace::in_dir(&dir, Path::new(ex::STATE_FILE)).display()
                ))
            })?
        };
        let path = workspace::in_dir(&out, Path::new(&ex::sealed_file(&me, &card.msp_id)));
        // The --out directory is shared with others: a link planted there would make the write
        // land wherever it points (a values file, the identity).
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Explained::input(format!(
                "{} is a symbolic link: substractl writes a sealed file only as a file of its \
                 own, never through a link someone placed in the directory",
                path.display()
            ))
            .hint("remove the link (and check who put it there), then seal again")
            .into());
        }
        let before = workspace::read(&path)?;
        let current = before.as_deref().is_some_and(|b| {
            proved && made_by(&path, b, &identity, &me, &card.msp_id, sequence, &card.key)
        });
        if !current {
            let text = sealed::seal(&identity, &me, card, sequence, secret).map_err(|e| {
                Explained::bug(format!("cannot seal the secret for {}: {e}", card.msp_id))
            })?;
            add(&mut set, &path, before, text, PUBLIC_MODE, false);
        }
        listed.push(path.clone());
        state.sealed.insert(card.msp_id.clone(), sequence);
        match digest(sequence) {
            Some(d) => state.sealed_digest.insert(card.msp_id.clone(), d),
            None => state.sealed_digest.remove(&card.msp_id),
        };
        sends.push(format!("send {} to {}", path.display(), card.msp_id));
        pairs.push(PairLine {
            server: me.clone(),
            client: card.msp_id.clone(),
            action: action.to_string(),
            sequence: Some(sequence),
            sealed_file: Some(path),
        });
    }
    add_state(&mut set, &state_path, state_before, &state);
    listed.push(state_path.clone());
    let mut next = sends;
    if !next.is_empty() {
        next.push(format!(
            "apply the sealed files your partners send you: substractl exchange open FILE...{}",
            dir_flag(&dir)
        ));
    }
    super::PairsRun {
        set,
        lock: &lock,
        listed,
        dry_run: args.dry_run,
        values_file: &values_file,
        manifest,
        me,
        roster_serial: roster.serial,
        pairs,
        next,
        warnings,
    }
    .finish()
}

/// What the state records of the sealed file for a pair and sequence: a digest of the secret
/// keyed with the identity, so that the state tells nothing of the secret itself.
fn seal_digest(
    identity: &Identity,
    server: &str,
    client: &str,
    sequence: u64,
    secret: &Secret,
) -> Option<String> {
    identity.keyed_digest(
        "sealed pair secret",
        &[
            server.as_bytes(),
            client.as_bytes(),
            &sequence.to_be_bytes(),
            secret.expose().as_bytes(),
        ],
    )
}

/// True when `bytes` is a sealed file this identity made for the pair and sequence. With a
/// digest in the state that proves the same secret was sealed at that sequence, the kept
/// secret need not be sealed again: its ciphertext would differ, its content not.
fn made_by(
    path: &Path,
    bytes: &[u8],
    identity: &Identity,
    server: &str,
    client: &str,
    sequence: u64,
    client_key: &ex::identity::Public,
) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else { return false };
    let Ok(doc) = signed::split(path, text) else { return false };
    if doc.verify(path, &identity.public(), "me").is_err() {
        return false;
    }
    sealed::header(path, doc.body).is_ok_and(|h| {
        h.server == server
            && h.client == client
            && h.sequence == sequence
            && h.recipient_matches(client_key)
    })
}

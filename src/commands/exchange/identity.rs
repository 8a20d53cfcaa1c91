//! `substractl exchange identity`: the party's key (made once, kept after), and for an
//! organization its card, made from its backend values file.

use std::path::Path;

use super::{add, commit, existing_dir, lock_party, read_identity, read_org, values_path};
use crate::cli::ExchangeIdentityArgs;
use crate::error::Explained;
use crate::exchange::card::Card;
use crate::exchange::identity::Identity;
use crate::exchange::{self as ex};
use crate::output::Printer;
use crate::report::exchange::ExchangeReport;
use crate::workspace::{self, ChangeSet, PUBLIC_MODE, SECRET_MODE};

/// The comment of the orchestrator owner's key.
const OWNER_COMMENT: &str = "orchestrator-owner";

pub fn identity(args: ExchangeIdentityArgs, printer: &Printer) -> anyhow::Result<ExchangeReport> {
    let dir = args.party.dir.clone();
    existing_dir(&dir)?;
    let lock = lock_party(&args.party, &[], printer)?;
    let org = if args.owner {
        None
    } else {
        let path = values_path(&args.party)?;
        Some((read_org(&path)?, path))
    };
    let key_path = workspace::in_dir(&dir, Path::new(ex::IDENTITY_FILE));
    let pub_path = workspace::in_dir(&dir, Path::new(ex::PUBLIC_FILE));
    let mut set = ChangeSet::new();
    let existing = workspace::read(&key_path)?.is_some();
    let identity = if existing {
        read_identity(&dir, printer)?
    } else {
        let comment = org.as_ref().map_or(OWNER_COMMENT, |(o, _)| o.msp_id.as_str());
        let id = Identity::generate(comment)
            .map_err(|e| Explained::bug(format!("the system's random source failed: {e}")))?;
        add(&mut set, &key_path, None, id.to_openssh(), SECRET_MODE, true);
        id
    };
    let public = identity.public();
    let comment = org.as_ref().map_or(OWNER_COMMENT, |(o, _)| o.msp_id.as_str());
    add(
        &mut set,
        &pub_path,
        workspace::read(&pub_path)?,
        format!("{} {comment}\n", public.to_openssh()),
        PUBLIC_MODE,
        false,
    );
    let mut listed = vec![key_path.clone(), pub_path.clone()];
    let mut next = Vec::new();
    let msp_id = match &org {
        None => {
            next.push(format!(
                "give every organization your fingerprint {} by another channel than the roster (read it to them)",
                public.fingerprint()
            ));
            next.push("admit each organization's card: substractl exchange admit card-MSPID.yaml --fingerprint SHA256:...".into());
            None
        }
        Some((o, path)) => {
            // What the backend runs with: the file over the chart's defaults.
            let view = &o.view;
            if view.default_domain_from_chart || view.default_domain.is_empty() {
                return Err(Explained::input(format!(
                    "{}: server.defaultDomain is not set: a card carries the address partners reach the backend at",
                    path.display()
                ))
                .hint("set server.defaultDomain, e.g. https://api.ingen.example.com")
                .into());
            }
            let address = view.default_domain.clone();
            // A card travels: no credential, query or odd character may ride in its address.
            if let Some(why) = crate::probe::http::address_problem(&address) {
                let line = crate::deployment::line_of(&o.values.doc, &["server", "defaultDomain"]);
                return Err(Explained::input(format!(
                    "{}:{line}: server.defaultDomain {}: {why}",
                    path.display(),
                    crate::probe::redact::shown_url(&address)
                ))
                .hint("set server.defaultDomain to http(s)://HOST[:PORT], the address partners reach the backend at")
                .into());
            }
            let name = match view.organization_name.as_str() {
                "" => o.msp_id.clone(),
                n => n.to_string(),
            };
            let channels = view.channels.clone();
            // What a receiver refuses in a card is refused here first, at its line.
            let refused = |keys: &[&str], item: Option<usize>, e: ex::ExchangeError| {
                let line = match item {
                    Some(i) => crate::deployment::line_of_item(&o.values.doc, keys, i),
                    None => crate::deployment::line_of(&o.values.doc, keys),
                };
                anyhow::Error::from(
                    Explained::input(format!("{}:{line}: {}", path.display(), e.message))
                        .hint("a card carries the organization's name and channels to its partners: rename it in the values file"),
                )
            };
            for (i, c) in channels.iter().enumerate() {
                ex::card::check_word(path, "channel", c)
                    .map_err(|e| refused(&["orchestrator", "channels"], Some(i), e))?;
            }
            ex::card::check_text(path, "organizationName", &name)
                .map_err(|e| refused(&["organizationName"], None, e))?;
            let card = Card::make(&identity, &o.msp_id, &name, &address, &channels);
            if card.text.len() > ex::MAX_SMALL_BYTES {
                return Err(Explained::input(format!(
                    "{}: the card would take {} KiB, more than the {} KiB the owner reads",
                    path.display(),
                    card.text.len() >> 10,
                    ex::MAX_SMALL_BYTES >> 10
                ))
                .hint("a card carries the organization's name, address and channels: keep fewer or shorter channels")
                .into());
            }
            // The card must read back as any receiver reads it.
            let card_path = workspace::in_dir(&dir, Path::new(&ex::card_file(&o.msp_id)));
            Card::parse(&card_path, &card.text)
                .map_err(|e| Explained::bug(format!("the card made does not read back: {e}")))?;
            add(&mut set, &card_path, workspace::read(&card_path)?, card.text, PUBLIC_MODE, false);
            listed.push(card_path.clone());
            next.push(format!(
                "send {} to the orchestrator's owner, and read them your fingerprint {} by another channel (phone)",
                card_path.display(),
                public.fingerprint()
            ));
            Some(o.msp_id.clone())
        }
    };
    let files = commit(set, &lock, &listed)?;
    Ok(ExchangeReport {
        msp_id,
        fingerprint: Some(public.fingerprint()),
        ..ExchangeReport::written(files, next)
    })
}

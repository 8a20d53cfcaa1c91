//! `substractl check links`: the pairing rule, checked without changing anything and without
//! drawing a single secret.

use crate::cli::CheckLinksArgs;
use crate::deployment::pairs::{check_names, pairs_as_found, read_all};
use crate::error::hints;
use crate::error::Explained;
use crate::mesh;
use crate::output::Printer;
use crate::report::link::{CheckLinksReport, OrgReport, PairCheck};
use crate::workspace::Workspace;

pub fn run(args: CheckLinksArgs, printer: &Printer) -> anyhow::Result<CheckLinksReport> {
    let ws = Workspace::new(&args.files.dir, &args.files.values_pattern)?.existing()?;
    let named: Vec<_> = args.orgs.iter().map(|o| ws.path_of(o)).collect();
    let (_lock, found) = crate::commands::lock_discovered(&ws, &named, printer)?;
    let orgs = if args.orgs.is_empty() { found } else { args.orgs.clone() };
    check_names(&orgs)?;
    if orgs.is_empty() {
        return Err(Explained::input(format!(
            "no values file matching {} in {}",
            ws.pattern,
            ws.dir.display()
        ))
        .hint(hints::NAME_ORGS_OR_DIR)
        .into());
    }
    let files = read_all(&ws, &orgs, false)?;
    let (links, plans) = pairs_as_found(&files, &|m| printer.warn(m))?;
    // A pair that neither side lists is not a problem: it may have been unlinked on purpose.
    let pairs: Vec<PairCheck> = plans
        .iter()
        .map(|p| {
            let absent = p.action == mesh::Action::Created;
            let skipped = files[p.pair.server]
                .credentials_missing()
                .or_else(|| files[p.pair.client].credentials_missing());
            PairCheck {
                server: links[p.pair.server].msp_id.clone(),
                client: links[p.pair.client].msp_id.clone(),
                ok: p.action == mesh::Action::Kept || absent || skipped.is_some(),
                linked: !absent && skipped.is_none(),
                problem: if absent || skipped.is_some() { None } else { p.problem.clone() },
                skipped,
            }
        })
        .collect();
    let ok = pairs.iter().all(|p| p.ok);
    let organizations = files
        .iter()
        .zip(&links)
        .map(|(f, l)| OrgReport {
            name: f.name.clone(),
            msp_id: l.msp_id.clone(),
            file: f.doc().path.clone(),
        })
        .collect();
    // One `link` per pair of organizations with a problem: linking all of them would also
    // link again the pairs that were unlinked on purpose.
    let mut fixes: Vec<String> = Vec::new();
    for (p, check) in plans.iter().zip(&pairs) {
        if check.ok {
            continue;
        }
        let (a, b) = (p.pair.server.min(p.pair.client), p.pair.server.max(p.pair.client));
        let pair = if a == b { &orgs[a..=a] } else { &[orgs[a].clone(), orgs[b].clone()][..] };
        let cmd = crate::shell::link_command(pair, &ws.dir, "");
        if !fixes.contains(&cmd) {
            fixes.push(cmd);
        }
    }
    let fix = (!fixes.is_empty()).then(|| fixes.join(" && "));
    // One organization's directory of the exchange: its partners are in the roster it took.
    let exchange = match orgs.as_slice() {
        [one] if args.orgs.is_empty() => {
            crate::commands::exchange::partners_status(&ws.dir, &ws.path_of(one))?
        }
        _ => None,
    };
    let ok = ok && exchange.as_ref().is_none_or(|e| e.ok);
    Ok(CheckLinksReport { ok, organizations, pairs, fix, exchange })
}

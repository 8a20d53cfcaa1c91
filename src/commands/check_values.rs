//! `substractl check values`: the static audit of a deployment directory. Reads every backend
//! values file and the orchestrator values, and reports what they say about each other in
//! groups (pairs, identity, addresses, orchestrator, tls), changing nothing.

use crate::cli::CheckValuesArgs;
use crate::commands::link;
use crate::error::hints;
use crate::error::Explained;
use crate::output::Printer;
use crate::report::check::CheckReport;
use crate::values::audit::{self, Audit, Backend};
use crate::values::Doc;
use crate::workspace::{self, Workspace};

pub fn run(args: CheckValuesArgs, printer: &Printer) -> anyhow::Result<CheckReport> {
    let ws = Workspace::new(&args.files.dir, &args.files.values_pattern)?.existing()?;
    let orgs = ws.discover()?;
    if orgs.is_empty() {
        return Err(Explained::input(format!(
            "no values file matching {} in {}",
            ws.pattern,
            ws.dir.display()
        ))
        .hint(hints::DEPLOYMENT_DIR)
        .into());
    }
    link::check_names(&orgs)?;
    let mut touched: Vec<_> = orgs.iter().map(|o| ws.path_of(o)).collect();
    let path = ws.file(&args.orchestrator_values);
    touched.push(path.clone());
    let _lock = link::lock(&ws, &touched, printer)?;
    let files = link::read_all(&ws, &orgs, false)?;
    let orchestrator = match workspace::read(&path)? {
        Some(bytes) => Some(Doc::parse(&path, Some(bytes))?),
        None => None,
    };

    let backends: Vec<Backend<'_>> =
        files.iter().map(|f| Backend { org: &f.name, values: &f.values }).collect();
    let pairs = match audit::pairs_blocked(&backends) {
        Some(why) => Err(why),
        None => Ok(link::pairs_as_found(&files, printer)?),
    };
    let mut extra = "{channel}".to_string();
    if args.orchestrator_values != std::path::Path::new("orchestrator-values.yaml") {
        extra.push_str(&format!(
            " --orchestrator-values {}",
            link::shell_quote(&args.orchestrator_values)
        ));
    }
    let checks = audit::audit(&Audit {
        backends: &backends,
        orchestrator: orchestrator.as_ref().ok_or(path.as_path()),
        pairs: pairs.as_ref().map(|(l, p)| (l.as_slice(), p.as_slice())).map_err(Clone::clone),
        link_command: link::link_fix(&orgs, &ws.dir, &extra),
        dir: link::shell_quote(&ws.dir),
    });

    let dir = ws.dir.display().to_string();
    let mut report = CheckReport::new(format!(
        "values in {dir}: {} organizations ({})",
        orgs.len(),
        orgs.join(", ")
    ));
    report.about.push(("dir", dir));
    report.checks = checks;
    Ok(report)
}

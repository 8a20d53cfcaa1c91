//! `substractl check values`: the static audit of a deployment directory. Reads every backend
//! values file and the orchestrator values, and reports what they say about each other in
//! groups (pairs, identity, addresses, orchestrator, tls), changing nothing.

use std::process::ExitCode;

use crate::cli::CheckValuesArgs;
use crate::commands::link::{self, Job};
use crate::error::Explained;
use crate::fsio;
use crate::output::{self, Printer};
use crate::report::check::CheckReport;
use crate::values::audit::{self, Audit, Backend};
use crate::values::Doc;

pub fn run(args: CheckValuesArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let job = Job::new(&args.files, false, false)?;
    let orgs = job.discover()?;
    if orgs.is_empty() {
        return Err(Explained::input(format!(
            "no values file matching {} in {}",
            job.pattern,
            job.dir.display()
        ))
        .hint("pass the deployment directory with --dir, and --values-pattern if its files are named otherwise")
        .into());
    }
    link::check_names(&orgs)?;
    let files = job.read_all(&orgs, false)?;
    let path = link::in_dir(&job.dir, &args.orchestrator_values);
    let orchestrator = match fsio::read_optional(&path)? {
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
        link_command: link::link_fix(&orgs, &job.dir, &extra),
        dir: link::shell_quote(&job.dir),
    });

    let dir = job.dir.display().to_string();
    let mut report = CheckReport::new(format!(
        "values in {dir}: {} organizations ({})",
        orgs.len(),
        orgs.join(", ")
    ));
    report.about.push(("dir", dir));
    report.checks = checks;
    output::check::print(printer, &report)?;
    Ok(if report.passed() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

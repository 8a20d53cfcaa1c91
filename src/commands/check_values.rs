//! `substractl check values`: the static audit of a deployment directory. Reads every backend
//! values file and the orchestrator values once into the deployment model, and reports what
//! they say about each other in groups (pairs, identity, addresses, orchestrator, tls),
//! changing nothing. The JSON report also holds, per organization, the values the checks used.

use serde_json::{json, Value};

use crate::cli::CheckValuesArgs;
use crate::deployment::audit::{self, Audit};
use crate::deployment::{pairs, Deployment, Select};
use crate::output::Printer;
use crate::report::check::CheckReport;
use crate::shell::{link_command, quote_path};
use crate::workspace::Workspace;

pub fn run(args: CheckValuesArgs, printer: &Printer) -> anyhow::Result<CheckReport> {
    let ws = Workspace::new(&args.files.dir, &args.files.values_pattern)?.existing()?;
    let also = [ws.file(&args.orchestrator_values)];
    let (_lock, orgs) = crate::commands::lock_deployment(&ws, &also, printer)?;
    let select = Select {
        orgs: &orgs,
        create: None,
        orchestrator: Some(args.orchestrator_values.as_path()),
    };
    let deployment = Deployment::open(&ws, select)?;
    let mut report = values_report(&deployment, &args.orchestrator_values, printer)?;
    report.data.push(("organizations", effective(&deployment)));
    Ok(report)
}

/// The checks of `check values` on a deployment read once (also the values groups of
/// `check all`).
pub fn values_report(
    d: &Deployment,
    orchestrator_values: &std::path::Path,
    printer: &Printer,
) -> anyhow::Result<CheckReport> {
    let orgs: Vec<String> = d.backends.iter().map(|b| b.name.clone()).collect();
    let pairs = match audit::pairs_blocked(&d.backends) {
        Some(why) => Err(why),
        None => Ok(pairs::pairs_as_found(&d.backends, &|m| printer.warn(m))?),
    };
    let mut extra = "{channel}".to_string();
    if orchestrator_values != std::path::Path::new("orchestrator-values.yaml") {
        extra.push_str(&format!(" --orchestrator-values {}", quote_path(orchestrator_values)));
    }
    let notes = d.notes()?;
    let checks = audit::audit(&Audit {
        backends: &d.backends,
        orchestrator: d.orchestrator.as_ref().ok_or(d.orchestrator_path.as_path()),
        notes: &notes,
        pairs: pairs.as_ref().map(|(l, p)| (l.as_slice(), p.as_slice())).map_err(Clone::clone),
        link_command: link_command(&orgs, &d.ws.dir, &extra),
        dir: quote_path(&d.ws.dir),
    });

    let dir = d.ws.dir.display().to_string();
    let mut report = CheckReport::new(format!(
        "values in {dir}: {} organizations ({})",
        orgs.len(),
        orgs.join(", ")
    ));
    report.about.push(("dir", dir));
    report.checks = checks;
    Ok(report)
}

/// What each organization's backend runs with, as the checks read it: what Helm deploys.
fn effective(d: &Deployment) -> Value {
    let mut map = serde_json::Map::new();
    for b in &d.backends {
        let v = &b.view;
        map.insert(
            b.name.clone(),
            json!({
                "file": b.path().display().to_string(),
                "msp_id": v.msp_id,
                "orchestrator_host": crate::probe::redact::without_credentials(&v.orchestrator_host),
                "orchestrator_port": v.port().map_or_else(|| json!(v.orchestrator_port), |p| json!(p)),
                "tls": v.tls,
                "mtls": v.mtls,
                "channels": v.channels,
                "default_domain": crate::probe::redact::without_credentials(&v.default_domain),
            }),
        );
    }
    Value::Object(map)
}

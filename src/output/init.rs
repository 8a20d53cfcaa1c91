//! `substractl init` on a terminal: how a question is asked (the questions themselves are the
//! command's, in `commands::init`), and the rendering of its report.

use std::io;

use dialoguer::{Confirm, Input};

use super::{escape_lines, Esc, Printer};
use crate::mesh::Action;
use crate::report::init::InitReport;
use crate::report::init::NEXT_STEPS;
use crate::report::link::FileStatus;

fn prompt_error(e: dialoguer::Error) -> anyhow::Error {
    anyhow::anyhow!("cannot read the answer from the terminal: {e}")
}

pub fn ask_text(prompt: &str, default: String) -> anyhow::Result<String> {
    Input::<String>::new()
        .with_prompt(prompt)
        .default(default)
        .interact_text()
        .map(|s| s.trim().to_string())
        .map_err(prompt_error)
}

pub fn ask_yes(prompt: &str, default: bool) -> anyhow::Result<bool> {
    Confirm::new().with_prompt(prompt).default(default).interact().map_err(prompt_error)
}

pub fn render(printer: &Printer, report: &InitReport) -> io::Result<()> {
    for w in &report.warnings {
        printer.warn(w);
    }
    if printer.json_wanted() {
        return printer.json(report);
    }
    let mut out = String::new();
    for f in &report.files {
        if let Some(diff) = &f.diff {
            out.push_str(&escape_lines(diff));
            if !diff.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    for f in &report.files {
        out.push_str(&format!("{:>12}  {}\n", f.status.as_str(), Esc(f.path.display())));
    }
    let unlinked: Vec<_> =
        report.pairs.iter().filter(|p| p.action == Action::Absent && p.server < p.client).collect();
    if !report.kept.is_empty() || !unlinked.is_empty() {
        out.push('\n');
    }
    for k in &report.kept {
        out.push_str(&format!(
            "kept  {}: {} is {} (init writes {})\n",
            Esc(k.file.display()),
            Esc(&k.key),
            Esc(&k.value),
            Esc(&k.init_writes)
        ));
    }
    let name_of = |msp_id: &str| {
        let org = report.organizations.iter().find(|o| o.msp_id == msp_id);
        org.map_or(msp_id, |o| o.name.as_str()).to_string()
    };
    for p in &unlinked {
        let (a, b) = (name_of(&p.server), name_of(&p.client));
        out.push_str(&format!(
            "kept  {} and {} not linked, as before this run ({} links them)\n",
            Esc(&a),
            Esc(&b),
            Esc(crate::shell::link_command(&[&a, &b], &report.out, "")),
        ));
    }
    let added: Vec<&str> =
        report.organizations.iter().filter(|o| o.added).map(|o| o.name.as_str()).collect();
    let count = |a: Action| report.pairs.iter().filter(|p| p.action == a).count();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    out.push_str(&format!(
        "\n{} organization{} ({} new), {} ordered pair{} ({} created, {} kept, {} repaired{})\n",
        report.organizations.len(),
        plural(report.organizations.len()),
        if added.is_empty() { "none".to_string() } else { Esc(added.join(", ")).to_string() },
        report.pairs.len(),
        plural(report.pairs.len()),
        count(Action::Created),
        count(Action::Kept),
        count(Action::Repaired),
        match count(Action::Absent) {
            0 => String::new(),
            n => format!(", {n} left unlinked"),
        },
    ));
    let security = match (report.tls, report.mtls) {
        (true, true) => "TLS and mTLS",
        (true, false) => "TLS",
        _ => "no TLS",
    };
    out.push_str(&format!(
        "orchestrator {} with {security}{}\n",
        Esc(&report.orchestrator_host),
        report.ca.map(|c| format!(", CA {c}")).unwrap_or_default()
    ));
    let changed = report.files.iter().any(|f| f.status != FileStatus::Unchanged);
    if report.dry_run {
        out.push_str("\ndry run: none of these changes was written\n");
    } else if changed {
        out.push_str(&format!(
            "\nnext: the commands in {}, in order\n",
            Esc(report.out.join(NEXT_STEPS).display())
        ));
    } else {
        out.push_str("\nnothing to change\n");
    }
    printer.out(&out)
}

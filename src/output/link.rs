//! Rendering of `link` and `unlink` reports: the pairs, the files, the next steps.

use std::io;

use super::{painted_diff, Cell, Esc, Paint, Printer};
use crate::mesh::Action;
use crate::report::link::{CheckLinksReport, FileStatus, LinkReport};

fn action_paint(action: Action) -> Paint {
    match action {
        Action::Created | Action::Rotated => Paint::Good,
        Action::Kept | Action::Absent => Paint::Dim,
        Action::Repaired | Action::Removed => Paint::Warn,
    }
}

pub fn render(printer: &Printer, report: &LinkReport) -> io::Result<()> {
    for w in &report.warnings {
        printer.warn(w);
    }
    if printer.json_wanted() {
        return printer.json(report);
    }
    let mut out = String::new();
    for f in &report.files {
        if let Some(diff) = &f.diff {
            out.push_str(&painted_diff(printer, diff));
        }
    }
    let with_reasons = report.pairs.iter().any(|p| p.reason.is_some());
    let rows = report
        .pairs
        .iter()
        .map(|p| {
            let mut row = vec![
                Cell::new(&p.server),
                Cell::new(&p.client),
                Cell::new(p.action.as_str()).paint(action_paint(p.action)),
            ];
            if with_reasons {
                row.push(Cell::new(p.reason.as_deref().unwrap_or("")));
            }
            row
        })
        .collect();
    if !out.is_empty() {
        out.push('\n');
    }
    let header: &[&str] = if with_reasons {
        &["server", "client", "action", "why"]
    } else {
        &["server", "client", "action"]
    };
    out.push_str(&printer.table(header, rows));
    out.push('\n');
    for f in &report.files {
        let mode = f.mode.map(|m| format!(" (mode {m:04o})")).unwrap_or_default();
        out.push_str(&format!("{:>12}  {}{mode}\n", f.status.as_str(), Esc(f.path.display())));
    }
    if let Some(channel) = &report.channel {
        out.push_str(&format!("\nchannel {} lists every organization named\n", Esc(channel)));
    }
    let changed = report.files.iter().any(|f| f.status != FileStatus::Unchanged);
    if report.dry_run {
        out.push_str("\ndry run: none of these changes was written\n");
    } else if changed && !report.next_steps.is_empty() {
        out.push_str("\nnext: apply each file on its organization's cluster (`helm list -A` shows releases)\n");
        for step in &report.next_steps {
            out.push_str(&format!("  {}\n", Esc(step)));
        }
    }
    printer.out(&out)
}

pub fn render_check(printer: &Printer, report: &CheckLinksReport) -> io::Result<()> {
    if printer.json_wanted() {
        return printer.json(report);
    }
    let any_problem = report.pairs.iter().any(|p| !p.ok);
    let rows = report
        .pairs
        .iter()
        .map(|p| {
            let mark = if p.skipped.is_some() {
                Cell::new("skipped")
            } else if p.ok && !p.linked {
                Cell::new("not linked")
            } else if p.ok {
                Cell::new("ok").paint(Paint::Good)
            } else {
                Cell::new("problem").paint(Paint::Bad)
            };
            let mut row = vec![Cell::new(&p.server), Cell::new(&p.client), mark];
            if any_problem {
                row.push(Cell::new(if p.ok { "" } else { p.problem.as_deref().unwrap_or("") }));
            }
            row
        })
        .collect();
    let header: &[&str] = if any_problem {
        &["server", "client", "status", "problem"]
    } else {
        &["server", "client", "status"]
    };
    let mut out = printer.table(header, rows);
    let bad = report.pairs.iter().filter(|p| !p.ok).count();
    out.push('\n');
    let skipped: Vec<&str> = report.pairs.iter().filter_map(|p| p.skipped.as_deref()).collect();
    let unlinked = report.pairs.iter().filter(|p| p.ok && !p.linked && p.skipped.is_none()).count();
    let mut reasons: Vec<&str> = Vec::new();
    for why in &skipped {
        if !reasons.contains(why) {
            reasons.push(why);
        }
    }
    for why in reasons {
        out.push_str(&format!("skipped: {}\n", Esc(why)));
    }
    if !skipped.is_empty() {
        out.push_str(&format!(
            "{} of {} ordered pairs were not checked\n",
            skipped.len(),
            report.pairs.len()
        ));
    } else if bad == 0 && unlinked == 0 {
        out.push_str(&format!(
            "every one of the {} ordered pairs is paired on both sides with one secret\n",
            report.pairs.len()
        ));
    } else if bad == 0 {
        out.push_str(&format!(
            "{} of {} ordered pairs are paired on both sides with one secret; {unlinked} are not \
             linked (neither side lists the other)\n",
            report.pairs.len() - unlinked,
            report.pairs.len()
        ));
    } else {
        out.push_str(&format!("{bad} of {} ordered pairs need repair\n", report.pairs.len()));
    }
    if let Some(fix) = &report.fix {
        out.push_str(&format!("fix: {}   (add --dry-run to see the changes first)\n", Esc(fix)));
    }
    if let Some(exchange) = &report.exchange {
        out.push('\n');
        out.push_str(&super::exchange::status_text(printer, exchange));
    }
    printer.out(&out)
}

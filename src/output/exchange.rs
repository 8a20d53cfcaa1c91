//! Rendering of the exchange's reports: the pairs, the files, fingerprints, next steps.

use std::io;

use super::{painted_diff, Cell, Esc, Paint, Printer};
use crate::report::exchange::{ExchangeReport, StatusReport};

pub fn render(printer: &Printer, report: &ExchangeReport) -> io::Result<()> {
    for w in &report.warnings {
        printer.warn(w);
    }
    if printer.json_wanted() {
        return printer.json(report);
    }
    let mut out = String::new();
    for diff in report.files.iter().filter_map(|f| f.diff.as_deref()) {
        out.push_str(&painted_diff(printer, diff));
        out.push('\n');
    }
    if let Some(fp) = &report.fingerprint {
        let who = report.msp_id.as_deref().unwrap_or("the orchestrator's owner");
        let what = if report.admitted { "admitted" } else { "identity of" };
        let fp = Esc(fp).to_string();
        out.push_str(&format!("{what} {}: {}\n", Esc(who), printer.paint(&fp, Paint::Bold)));
    }
    if let Some(serial) = report.roster_serial {
        out.push_str(&format!("roster serial {serial}\n"));
    }
    if !report.pairs.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        let rows = report
            .pairs
            .iter()
            .map(|p| {
                let paint = match p.action.as_str() {
                    "created" | "rotated" | "resealed" | "applied" => Paint::Good,
                    _ => Paint::Dim,
                };
                vec![
                    Cell::new(&p.server),
                    Cell::new(&p.client),
                    Cell::new(&p.action).paint(paint),
                    Cell::new(p.sequence.map(|s| s.to_string()).unwrap_or_default()),
                    Cell::new(
                        p.sealed_file.as_ref().map(|f| f.display().to_string()).unwrap_or_default(),
                    ),
                ]
            })
            .collect();
        out.push_str(
            &printer.table(&["server", "client", "action", "sequence", "sealed file"], rows),
        );
    }
    if !report.files.is_empty() {
        out.push('\n');
    }
    for f in &report.files {
        let mode = f.mode.map(|m| format!(" (mode {m:04o})")).unwrap_or_default();
        out.push_str(&format!("{:>12}  {}{mode}\n", f.status.as_str(), Esc(f.path.display())));
    }
    if report.dry_run {
        out.push_str("\ndry run: none of these changes was written\n");
    } else if !report.next_steps.is_empty() {
        out.push_str("\nnext:\n");
        for step in &report.next_steps {
            out.push_str(&format!("  {}\n", Esc(step)));
        }
    }
    printer.out(&out)
}

pub fn render_status(printer: &Printer, report: &StatusReport) -> io::Result<()> {
    if printer.json_wanted() {
        return printer.json(report);
    }
    printer.out(&status_text(printer, report))
}

/// The partners of a roster as a table, under a title line.
pub fn status_text(printer: &Printer, report: &StatusReport) -> String {
    let yes_no = |b: bool| {
        if b {
            Cell::new("yes").paint(Paint::Good)
        } else {
            Cell::new("no").paint(Paint::Bad)
        }
    };
    let seq = |s: Option<u64>| s.map_or_else(|| "-".to_string(), |n| n.to_string());
    let rows = report
        .partners
        .iter()
        .map(|p| {
            vec![
                Cell::new(&p.msp_id),
                yes_no(p.incoming),
                yes_no(p.outgoing),
                Cell::new(seq(p.sealed)),
                Cell::new(seq(p.applied)),
                Cell::new(p.todo.join("; ")),
            ]
        })
        .collect();
    let mut out =
        format!("{} in the roster (serial {})\n\n", Esc(&report.msp_id), report.roster_serial);
    out.push_str(
        &printer.table(&["partner", "lets in", "logs in", "sealed", "applied", "to do"], rows),
    );
    out
}

//! Rendering of `secrets move`: the diffs of a dry run, each organization's Secret, the files
//! and what to do next. No secret is in the report to print.

use std::io;

use super::{painted_diff, Cell, Esc, Printer};
use crate::report::link::FileStatus;
use crate::report::secrets::MoveReport;

pub fn render_move(printer: &Printer, report: &MoveReport) -> io::Result<()> {
    if printer.json_wanted() {
        return printer.json(report);
    }
    let mut out = String::new();
    for f in &report.files {
        if let Some(diff) = &f.diff {
            out.push_str(&painted_diff(printer, diff));
            out.push('\n');
        }
    }
    let rows = report
        .organizations
        .iter()
        .map(|o| {
            let moved = if o.already {
                "already moved".to_string()
            } else {
                format!("{} users, {} incoming, {} outgoing", o.users, o.incoming, o.outgoing)
            };
            vec![
                Cell::new(&o.name),
                Cell::new(&o.secret),
                Cell::new(o.namespace.as_deref().unwrap_or("-")),
                Cell::new(moved),
            ]
        })
        .collect();
    out.push_str(&printer.table(&["organization", "secret", "namespace", "entries"], rows));
    out.push('\n');
    for f in &report.files {
        let mode = f.mode.map(|m| format!(" (mode {m:04o})")).unwrap_or_default();
        out.push_str(&format!("{:>12}  {}{mode}\n", f.status.as_str(), Esc(f.path.display())));
    }
    let changed = report.files.iter().any(|f| f.status != FileStatus::Unchanged);
    if report.dry_run {
        out.push_str("\ndry run: none of these changes was written\n");
    } else if changed {
        out.push_str(
            "\nnext: never commit a manifest in clear (seal it with kubeseal or encrypt it with \
             sops first); on each organization's cluster\n",
        );
        for step in &report.next_steps {
            out.push_str(&format!("  {}\n", Esc(step)));
        }
    }
    printer.out(&out)
}

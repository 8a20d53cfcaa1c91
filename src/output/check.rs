//! Rendering of `check orchestrator`: one line a check, grouped, with its mark and the hint of
//! every failure or warning; or a stable JSON document.

use std::io;

use serde::Serialize;

use super::{Paint, Printer};
use crate::commands::check::{Check, CheckReport, Mark};

#[derive(Serialize)]
struct Summary {
    ok: usize,
    warning: usize,
    failure: usize,
    skipped: usize,
}

#[derive(Serialize)]
struct ReportJson<'a> {
    address: &'a str,
    ok: bool,
    summary: Summary,
    checks: &'a [Check],
}

fn mark_text(mark: Mark) -> (&'static str, Paint) {
    match mark {
        Mark::Ok => ("ok", Paint::Good),
        Mark::Warning => ("warning", Paint::Warn),
        Mark::Failure => ("failure", Paint::Bad),
        Mark::Skipped => ("skipped", Paint::Dim),
    }
}

pub fn print(printer: &Printer, report: &CheckReport) -> io::Result<()> {
    let summary = Summary {
        ok: report.count(Mark::Ok),
        warning: report.count(Mark::Warning),
        failure: report.count(Mark::Failure),
        skipped: report.count(Mark::Skipped),
    };
    if printer.json_wanted() {
        return printer.json(&ReportJson {
            address: &report.address,
            ok: summary.failure == 0,
            summary,
            checks: &report.checks,
        });
    }
    let mut text = format!("orchestrator {}\n", report.address);
    let mut group = "";
    for check in &report.checks {
        if check.group != group {
            group = check.group;
            text.push_str(&format!("{group}\n"));
        }
        let (word, paint) = mark_text(check.status);
        let mark = printer.paint(&format!("{word:<8}"), paint);
        text.push_str(&format!("  {mark} {:<13}{}\n", check.check, check.detail));
        if let Some(hint) = &check.hint {
            text.push_str(&format!("           hint: {hint}\n"));
        }
    }
    let verdict = if summary.failure > 0 {
        printer.paint("failed", Paint::Bad)
    } else {
        printer.paint("passed", Paint::Good)
    };
    text.push_str(&format!(
        "{verdict}: {} ok, {} warning(s), {} failure(s), {} skipped\n",
        summary.ok, summary.warning, summary.failure, summary.skipped
    ));
    printer.out(&text)
}

//! The one renderer of checks: one line a check, grouped, with its mark and the hint of every
//! failure or warning; or a stable JSON document (`about` fields, ok, summary, checks).

use std::io;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use serde::Serialize;

use super::{Esc, Paint, Printer};
use crate::report::check::{CheckReport, Mark};

#[derive(Serialize)]
struct Summary {
    ok: usize,
    warning: usize,
    failure: usize,
    skipped: usize,
}

fn mark_text(mark: Mark) -> (&'static str, Paint) {
    match mark {
        Mark::Ok => ("ok", Paint::Good),
        Mark::Warning => ("warning", Paint::Warn),
        Mark::Failure => ("failure", Paint::Bad),
        Mark::Skipped => ("skipped", Paint::Dim),
    }
}

fn summary(report: &CheckReport) -> Summary {
    Summary {
        ok: report.count(Mark::Ok),
        warning: report.count(Mark::Warning),
        failure: report.count(Mark::Failure),
        skipped: report.count(Mark::Skipped),
    }
}

/// The report as a JSON value: its `about` fields first, then ok, summary and checks.
pub fn to_json(report: &CheckReport) -> serde_json::Value {
    let mut doc = serde_json::Map::new();
    for (key, value) in &report.about {
        doc.insert((*key).to_string(), serde_json::Value::String(value.clone()));
    }
    for (key, value) in &report.data {
        doc.insert((*key).to_string(), value.clone());
    }
    doc.insert("ok".into(), serde_json::Value::Bool(report.passed()));
    doc.insert("summary".into(), serde_json::to_value(summary(report)).unwrap_or_default());
    doc.insert("checks".into(), serde_json::to_value(&report.checks).unwrap_or_default());
    serde_json::Value::Object(doc)
}

/// The report as text, as printed on a terminal.
pub fn to_text(printer: &Printer, report: &CheckReport) -> String {
    let s = summary(report);
    let mut text = String::new();
    if !report.title.is_empty() {
        text.push_str(&format!("{}\n", Esc(&report.title)));
    }
    let width = report
        .checks
        .iter()
        .map(|c| super::escape(&c.check).chars().count())
        .max()
        .unwrap_or(0)
        .max(12);
    let mut group = None;
    for check in &report.checks {
        if group != Some(check.group.as_str()) {
            group = Some(check.group.as_str());
            text.push_str(&format!("{}\n", Esc(&check.group)));
        }
        let (word, paint) = mark_text(check.status);
        let mark = printer.paint(&format!("{word:<8}"), paint);
        let name = super::escape(&check.check);
        text.push_str(&format!("  {mark} {name:<width$} {}\n", Esc(&check.detail)));
        if let Some(hint) = &check.hint {
            text.push_str(&format!("           hint: {}\n", Esc(hint)));
        }
    }
    let verdict = if s.failure > 0 {
        printer.paint("failed", Paint::Bad)
    } else {
        printer.paint("passed", Paint::Good)
    };
    text.push_str(&format!(
        "{verdict}: {} ok, {} warning(s), {} failure(s), {} skipped\n",
        s.ok, s.warning, s.failure, s.skipped
    ));
    text
}

pub fn print(printer: &Printer, report: &CheckReport) -> io::Result<()> {
    if printer.json_wanted() {
        return printer.json(&to_json(report));
    }
    printer.out(&to_text(printer, report))
}

/// A spinner on stderr while `check all --wait` waits for failing checks; on a terminal only.
pub struct Waiting(Option<ProgressBar>);

impl Waiting {
    pub fn start(printer: &Printer, wanted: bool) -> Waiting {
        if !wanted || !printer.interactive() {
            return Waiting(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(100));
        Waiting(Some(bar))
    }

    pub fn say(&self, message: &str) {
        if let Some(bar) = &self.0 {
            bar.set_message(super::escape(message).into_owned());
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

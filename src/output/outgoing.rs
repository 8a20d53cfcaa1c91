//! Rendering of `check outgoing`: a table with one row per organization and the hints of the
//! failed rows; a matrix for `--all`; JSON; and `--format legacy`, the table of the backend's
//! `./manage.py get_outgoing_organization` in its exact layout. Also the spinner shown on a terminal
//! while the probes run.

use std::io;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

use super::{escape, Cell as TableCell, Esc, Paint, Printer};
use crate::report::outgoing::{MatrixReport, OutgoingReport, Row};

/// A spinner on stderr, only when stderr is a terminal.
#[derive(Clone)]
pub struct Spinner(Option<ProgressBar>);

impl Spinner {
    pub fn start(printer: &Printer, total: usize) -> Spinner {
        if !printer.interactive() || total == 0 {
            return Spinner(None);
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} probing {pos}/{len} organizations")
        {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(100));
        Spinner(Some(bar))
    }

    pub fn tick_one(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// Python's `f" {value: ^{width}} "`: centred, the extra space of odd padding on the right.
fn centre(value: &str, width: usize) -> String {
    let pad = width.saturating_sub(value.chars().count());
    let left = pad / 2;
    let right = pad - left;
    format!(" {}{value}{} ", " ".repeat(left), " ".repeat(right))
}

/// The backend command's table: header then rows, every column as wide as its longest value,
/// centred cells joined by `|`, each line wrapped in `|...|`, no separator line.
pub fn legacy_table(rows: &[[String; 3]]) -> String {
    let header = ["org_id".to_string(), "org_address".to_string(), "http_status".to_string()];
    let all: Vec<&[String; 3]> = std::iter::once(&header).chain(rows.iter()).collect();
    let widths: Vec<usize> =
        (0..3).map(|i| all.iter().map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
    let mut text = String::new();
    for row in all {
        let cells: Vec<String> = (0..3).map(|i| centre(&row[i], widths[i])).collect();
        text.push_str(&format!("|{}|\n", cells.join("|")));
    }
    text
}

fn legacy_rows(report: &OutgoingReport) -> Vec<[String; 3]> {
    report
        .rows
        .iter()
        .map(|r| {
            [
                escape(&r.org_id).into_owned(),
                escape(r.org_address.as_deref().unwrap_or_default()).into_owned(),
                escape(&r.http_status.text).into_owned(),
            ]
        })
        .collect()
}

/// What an `accepted` credentials cell proves, said in the JSON of every report that checked
/// credentials.
pub const ACCEPTED_PROVES: &str = "the secret, not the channel: a backend's /model/ answers \
    200 for any Substra-Channel-Name (the channel only filters the list); channels are checked \
    by check values and by the orchestrator";

/// The report as a JSON value.
pub fn to_json(report: &OutgoingReport) -> serde_json::Value {
    let mut doc = json!({
        "organization": report.organization,
        "source": report.source,
        "ok": report.ok(),
        "auth_checked": report.auth_checked,
        "organizations": report.rows,
    });
    if let Some(why) = &report.skipped {
        doc["skipped"] = json!(why);
    }
    if report.auth_checked {
        doc["accepted_proves"] = json!(ACCEPTED_PROVES);
    }
    doc
}

fn verdict(printer: &Printer, rows: &[Row], auth: bool) -> String {
    let good = rows.iter().filter(|r| r.ok()).count();
    let what = if auth { "reachable and accepted" } else { "reachable" };
    let word = if good == rows.len() {
        printer.paint("passed", Paint::Good)
    } else {
        printer.paint("failed", Paint::Bad)
    };
    format!("{word}: {good} of {} organizations {what}\n", rows.len())
}

/// The report as text: a title, the table, the hints of the failed rows and a verdict.
pub fn to_text(printer: &Printer, report: &OutgoingReport) -> String {
    let mut text =
        format!("outgoing organizations of {} ({})\n", Esc(&report.organization), report.source);
    let mut header = vec!["org_id", "org_address", "http_status"];
    if report.auth_checked {
        header.push("auth");
    }
    let rows = report
        .rows
        .iter()
        .map(|r| {
            let mut cells = vec![
                TableCell::new(&r.org_id),
                TableCell::new(r.org_address.as_deref().unwrap_or("-")),
                TableCell::new(&r.http_status.text),
            ];
            if report.auth_checked {
                cells.push(TableCell::new(&r.auth.text));
            }
            cells
        })
        .collect();
    // The pod's table was read for credentials row by row and down each column, as printed.
    if report.source == "in-cluster" {
        text.push_str(&printer.table_unwrapped(&header, rows));
    } else {
        text.push_str(&printer.table(&header, rows));
    }
    for row in &report.rows {
        if let Some(hint) = &row.hint {
            let label = printer.paint("hint", Paint::Warn);
            text.push_str(&format!("{label} {}: {}\n", Esc(&row.org_id), Esc(hint)));
        }
    }
    if let Some(why) = &report.skipped {
        text.push_str(&format!("skipped: {}\n", Esc(why)));
    }
    text.push_str(&verdict(printer, &report.rows, report.auth_checked));
    text
}

pub fn print(printer: &Printer, report: &OutgoingReport, legacy: bool) -> io::Result<()> {
    if legacy {
        return printer.out(&legacy_table(&legacy_rows(report)));
    }
    if printer.json_wanted() {
        return printer.json(&to_json(report));
    }
    printer.out(&to_text(printer, report))
}

/// The short text of a matrix cell: `ok`, or what went wrong first.
fn matrix_cell(row: &Row) -> String {
    if row.ok() {
        "ok".into()
    } else if row.http_status.status == crate::report::check::Mark::Failure {
        row.http_status.text.clone()
    } else {
        row.auth.text.clone()
    }
}

/// `--all`: rows are the organizations that log in, columns the ones they log in to.
pub fn matrix_text(printer: &Printer, matrix: &MatrixReport) -> String {
    let mut columns: Vec<&str> = matrix.organizations.iter().map(String::as_str).collect();
    for report in &matrix.reports {
        for row in &report.rows {
            if !columns.contains(&row.org_id.as_str()) {
                columns.push(&row.org_id);
            }
        }
    }
    let mut header = vec!["from \\ to"];
    header.extend(columns.iter().copied());
    let rows = matrix
        .reports
        .iter()
        .map(|report| {
            let mut cells = vec![TableCell::new(&report.organization)];
            for col in &columns {
                let text = report
                    .rows
                    .iter()
                    .find(|r| r.org_id == *col)
                    .map_or_else(|| "-".to_string(), matrix_cell);
                cells.push(TableCell::new(text));
            }
            cells
        })
        .collect();
    let mut text = printer.table(&header, rows);
    let mut all_rows = Vec::new();
    for report in &matrix.reports {
        for row in &report.rows {
            all_rows.push(row.clone());
            if let Some(hint) = &row.hint {
                let label = printer.paint("hint", Paint::Warn);
                text.push_str(&format!(
                    "{label} {} -> {}: {}: {}\n",
                    Esc(&report.organization),
                    Esc(&row.org_id),
                    Esc(matrix_cell(row)),
                    Esc(hint)
                ));
            }
        }
    }
    let auth = matrix.reports.iter().any(|r| r.auth_checked);
    text.push_str(&verdict(printer, &all_rows, auth).replace(" organizations ", " links "));
    text
}

pub fn print_matrix(printer: &Printer, matrix: &MatrixReport) -> io::Result<()> {
    if printer.json_wanted() {
        return printer.json(&json!({
            "ok": matrix.ok(),
            "organizations": matrix.organizations,
            "reports": matrix.reports.iter().map(to_json).collect::<Vec<_>>(),
        }));
    }
    printer.out(&matrix_text(printer, matrix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_matches_the_backend_example() {
        let rows = [
            ["biotechnica".into(), "http://api.cluster-2.DOMAIN:80".into(), "200".into()],
            ["tyrell".into(), "http://api.tyrell.example:80".into(), "503".into()],
        ];
        assert_eq!(
            legacy_table(&rows),
            "|   org_id    |          org_address           | http_status |\n\
             | biotechnica | http://api.cluster-2.DOMAIN:80 |     200     |\n\
             |   tyrell    |  http://api.tyrell.example:80  |     503     |\n"
        );
    }

    #[test]
    fn odd_padding_goes_right() {
        assert_eq!(centre("ab", 5), "  ab   ");
    }
}

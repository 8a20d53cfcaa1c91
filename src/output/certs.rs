//! Rendering of the `certs` reports. Private keys never reach these functions: reports hold
//! paths, modes and certificate facts only.

use std::io;

use super::{Cell, Esc, Paint, Printer};
use crate::report::certs::{
    GenFile, GenReport, InspectReport, InstallReport, RequestReport, SignReport,
};
use crate::report::check::EXPIRY_WARNING_DAYS;

/// The first 8 bytes of a fingerprint, enough to tell files apart in a table.
fn short_fingerprint(fp: &str) -> String {
    let short: Vec<&str> = fp.split(':').take(8).collect();
    format!("{}…", short.join(":"))
}

fn date_of(rfc3339: &str) -> &str {
    rfc3339.split('T').next().unwrap_or(rfc3339)
}

pub fn gen(p: &Printer, report: &GenReport) -> io::Result<()> {
    for w in &report.warnings {
        p.warn(w);
    }
    if p.json_wanted() {
        return p.json(report);
    }
    let mut text = files_table(p, &report.files);
    let ca = if report.ca == "created" { "a new CA" } else { "the existing CA" };
    text.push_str(&format!("signed by {ca}; private keys are mode 0600 and were not printed\n"));
    push_next(p, &mut text, &report.next_steps);
    p.out(&text)
}

/// The files of a run: path, status and mode, and what each holds.
fn files_table(p: &Printer, files: &[GenFile]) -> String {
    let mut rows = Vec::new();
    for f in files {
        let file = format!("{} ({}, {})", f.path.display(), f.status, f.mode);
        let row = match (&f.certificate, &f.key_type) {
            (Some(c), _) => vec![
                Cell::new(file),
                Cell::new(&c.subject),
                Cell::lines(&c.sans),
                Cell::new(date_of(&c.not_after)),
                Cell::new(short_fingerprint(&c.sha256_fingerprint)),
            ],
            (None, Some(k)) => vec![
                Cell::new(file),
                Cell::new(format!("private key, {k}")),
                Cell::new(""),
                Cell::new(""),
                Cell::new(""),
            ],
            (None, None) => {
                let what = match f.kind {
                    "manifest" => "Kubernetes manifest",
                    "values" => "Helm values: TLS settings",
                    "request" => "certificate signing request",
                    other => other,
                };
                vec![Cell::new(file), Cell::new(what), Cell::new(""), Cell::new(""), Cell::new("")]
            }
        };
        rows.push(row);
    }
    p.table(&["file", "subject", "SANs", "not after", "SHA-256"], rows)
}

/// The commands to run next, under a bold `next:`.
fn push_next(p: &Printer, text: &mut String, steps: &[String]) {
    if !steps.is_empty() {
        text.push_str(&format!("\n{}\n", p.paint("next:", Paint::Bold)));
        for s in steps {
            text.push_str(&format!("  {}\n", Esc(s)));
        }
    }
}

pub fn request(p: &Printer, report: &RequestReport) -> io::Result<()> {
    for w in &report.warnings {
        p.warn(w);
    }
    if p.json_wanted() {
        return p.json(report);
    }
    let mut text = files_table(p, &report.files);
    let names = if report.names.is_empty() {
        String::new()
    } else {
        format!(" ({})", Esc(report.names.join(", ")))
    };
    text.push_str(&format!(
        "request for {}{names}; the private key was {} and was not printed\n",
        Esc(&report.subject),
        Esc(&report.key)
    ));
    push_next(p, &mut text, &report.next_steps);
    p.out(&text)
}

pub fn sign(p: &Printer, report: &SignReport) -> io::Result<()> {
    for w in &report.warnings {
        p.warn(w);
    }
    if p.json_wanted() {
        return p.json(report);
    }
    let mut text = files_table(p, &report.files);
    let n = report.signed.len();
    text.push_str(&format!(
        "signed {n} request{} with the CA in {}; their own extension requests were not copied\n",
        if n == 1 { "" } else { "s" },
        Esc(report.out.display())
    ));
    push_next(p, &mut text, &report.next_steps);
    p.out(&text)
}

pub fn install(p: &Printer, report: &InstallReport) -> io::Result<()> {
    for w in &report.warnings {
        p.warn(w);
    }
    if p.json_wanted() {
        return p.json(report);
    }
    let mut text = files_table(p, &report.files);
    text.push_str(&format!(
        "{} matches {}, names O={} and is signed by {}; the key was not printed\n",
        Esc(report.certificate.display()),
        Esc(report.key.display()),
        Esc(&report.msp_id),
        Esc(report.ca.display())
    ));
    push_next(p, &mut text, &report.next_steps);
    p.out(&text)
}

pub fn inspect(p: &Printer, report: &InspectReport) -> io::Result<()> {
    if p.json_wanted() {
        return p.json(report);
    }
    let mut text = String::new();
    for (i, c) in report.certificates.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        let info = &c.info;
        let title = if c.index > 0 {
            format!("{} (certificate {})", c.file.display(), c.index + 1)
        } else {
            c.file.display().to_string()
        };
        text.push_str(&format!("{}\n", p.paint(&Esc(&title).to_string(), Paint::Bold)));
        let days = if info.days_left < 0 {
            p.paint(&format!("expired {} days ago", -info.days_left), Paint::Bad)
        } else if info.days_left < EXPIRY_WARNING_DAYS {
            p.paint(&format!("{} days left", info.days_left), Paint::Warn)
        } else {
            format!("{} days left", info.days_left)
        };
        let none = || "-".to_string();
        let or_none =
            |v: &[String]| if v.is_empty() { none() } else { Esc(v.join(", ")).to_string() };
        let lines = [
            ("subject", Esc(&info.subject).to_string()),
            ("issuer", Esc(&info.issuer).to_string()),
            ("serial", Esc(&info.serial).to_string()),
            ("not before", Esc(&info.not_before).to_string()),
            ("not after", format!("{} ({days})", Esc(&info.not_after))),
            ("SANs", or_none(&info.sans)),
            ("key", format!("{} ({} bits)", Esc(&info.key_type), info.key_bits)),
            ("CA", if info.ca { "yes".into() } else { "no".into() }),
            ("key usage", or_none(&info.key_usage)),
            ("ext. key usage", or_none(&info.extended_key_usage)),
            (
                "subject key id",
                info.subject_key_id.as_deref().map_or_else(none, |v| Esc(v).to_string()),
            ),
            (
                "authority key id",
                info.authority_key_id.as_deref().map_or_else(none, |v| Esc(v).to_string()),
            ),
            ("SHA-256", info.sha256_fingerprint.clone()),
        ];
        // Each value was escaped above, before the days left were painted.
        for (k, v) in lines {
            text.push_str(&format!("  {k:<17} {v}\n"));
        }
    }
    p.out(&text)
}

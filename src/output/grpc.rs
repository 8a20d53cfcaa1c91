//! Rendering of `grpc list`: one name a line, as grpcurl prints them, or JSON.

use std::io;

use serde::Serialize;

use super::{escape, Printer};
use crate::report::grpc::ListReport;

#[derive(Serialize)]
struct ServicesJson<'a> {
    address: &'a str,
    reflection: crate::probe::ReflectionVersion,
    services: &'a [String],
    #[serde(skip_serializing_if = "is_zero")]
    not_shown: usize,
}

#[derive(Serialize)]
struct MethodsJson<'a> {
    address: &'a str,
    reflection: crate::probe::ReflectionVersion,
    service: &'a str,
    methods: &'a [String],
    #[serde(skip_serializing_if = "is_zero")]
    not_shown: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// One name a line, as `grpcurl list` prints them; or JSON. Names the server sent past the
/// first [`crate::probe::grpc::MAX_NAMES`] are counted in a warning on stderr (and in JSON's
/// `not_shown`), so that the lines on stdout stay names.
pub fn print_list(printer: &Printer, report: &ListReport) -> io::Result<()> {
    if report.not_shown > 0 {
        let what = if report.service.is_some() { "methods" } else { "services" };
        printer.warn(&format!(
            "{} of the {} {what} {} listed were not shown: substractl reads the first {} names \
             a server lists",
            report.not_shown,
            report.sent,
            report.address,
            crate::probe::grpc::MAX_NAMES
        ));
    }
    if printer.json_wanted() {
        return match &report.service {
            None => printer.json(&ServicesJson {
                address: &report.address,
                reflection: report.reflection,
                services: &report.names,
                not_shown: report.not_shown,
            }),
            Some(service) => printer.json(&MethodsJson {
                address: &report.address,
                reflection: report.reflection,
                service,
                methods: &report.names,
                not_shown: report.not_shown,
            }),
        };
    }
    let mut text = String::new();
    for name in &report.names {
        text.push_str(&escape(name));
        text.push('\n');
    }
    printer.out(&text)
}

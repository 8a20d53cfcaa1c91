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
}

#[derive(Serialize)]
struct MethodsJson<'a> {
    address: &'a str,
    reflection: crate::probe::ReflectionVersion,
    service: &'a str,
    methods: &'a [String],
}

/// One name a line, as `grpcurl list` prints them; or JSON.
pub fn print_list(printer: &Printer, report: &ListReport) -> io::Result<()> {
    if printer.json_wanted() {
        return match &report.service {
            None => printer.json(&ServicesJson {
                address: &report.address,
                reflection: report.reflection,
                services: &report.names,
            }),
            Some(service) => printer.json(&MethodsJson {
                address: &report.address,
                reflection: report.reflection,
                service,
                methods: &report.names,
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

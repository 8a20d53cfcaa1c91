//! Commands about substractl itself: shell completions and the manual page.

use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::output::Printer;

/// The completion script for a shell, as checked in under `completions/`.
pub fn completion_script(shell: clap_complete::Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "substractl", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// The manual page in roff, as checked in under `completions/substractl.1`.
pub fn man_page() -> anyhow::Result<String> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

pub fn completions(shell: clap_complete::Shell, printer: &Printer) -> anyhow::Result<ExitCode> {
    printer.out(&completion_script(shell))?;
    Ok(ExitCode::SUCCESS)
}

pub fn man(printer: &Printer) -> anyhow::Result<ExitCode> {
    printer.out(&man_page()?)?;
    Ok(ExitCode::SUCCESS)
}

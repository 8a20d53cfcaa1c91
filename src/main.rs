//! The substractl binary: parse the command line, run, print the error once, exit with its code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = substractl::cli::Cli::parse();
    match substractl::run(cli) {
        Ok(code) => code,
        Err(err) if substractl::error::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            substractl::output::report_error(&err);
            ExitCode::from(substractl::error::exit_code(&err))
        }
    }
}

//! substractl sets up and checks Substra federated-learning deployments.
//!
//! It pairs backends in their Helm values files (`link`, `unlink`), makes the orchestrator's
//! certificates (`certs`), and proves that the pieces reach and accept each other (`grpc`,
//! `check`). Data flows one way: [`cli`] -> [`commands`] -> domain modules ([`values`],
//! [`mesh`], [`fsio`], [`probe`]) -> [`output`].

pub mod cli;
pub mod commands;
pub mod error;
pub mod kube;
pub mod mesh;
pub mod output;
pub mod par;
pub mod pki;
pub mod probe;
pub mod report;
pub mod values;
pub mod workspace;

use std::process::ExitCode;

use cli::{Cli, Command};
use output::Printer;

/// Runs one command line. Errors carry their exit code (see [`error::exit_code`]).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let printer = Printer::new(&cli.global);
    match cli.command {
        Command::Link(args) => {
            output::link::render(&printer, &commands::link::run(args, &printer)?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Unlink(args) => {
            output::link::render(&printer, &commands::link::run_unlink(args, &printer)?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check(command) => commands::check::run(command, &printer),
        Command::Certs(command) => commands::certs::run(command, &printer),
        Command::Grpc(command) => commands::grpc::run(command, &printer),
        Command::Completions { shell } => commands::meta::completions(shell, &printer),
        Command::Man { page, list } => commands::meta::man(&page, list, &printer),
    }
}

//! substractl sets up and checks Substra federated-learning deployments.
//!
//! It pairs backends in their Helm values files (`link`, `unlink`), makes the orchestrator's
//! certificates (`certs`), and proves that the pieces reach and accept each other (`grpc`,
//! `check`). Data flows one way: [`cli`] -> [`commands`] -> domain modules ([`deployment`],
//! the directory read once as Helm deploys it; [`values`], [`mesh`], [`workspace`], [`pki`],
//! [`probe`], [`kube`]) -> [`report`] -> [`output`]. Checks speak one vocabulary, [`check`].

pub mod check;
pub mod cli;
pub mod commands;
pub mod deployment;
pub mod error;
pub mod exchange;
pub mod kube;
pub mod mesh;
pub mod output;
pub mod par;
pub mod pki;
pub mod probe;
pub mod report;
pub mod shell;
pub mod values;
pub mod workspace;

use std::process::ExitCode;

use cli::{CertsCommand, CheckCommand, Cli, Command, ExchangeCommand, GrpcCommand, SecretsCommand};
use output::Printer;

/// Runs one command line: the command returns its report, which is rendered here. Errors
/// carry their exit code (see [`commands::failure::exit_code`]).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let printer = Printer::new(cli.global.format, cli.global.color);
    commands::set_lock_wait(cli.global.lock_wait);
    let p = &printer;
    match cli.command {
        Command::Link(args) => {
            output::link::render(p, &commands::link::run(args, p)?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Secrets(SecretsCommand::Move(args)) => {
            output::secrets::render_move(p, &commands::secrets::run_move(args, p)?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Unlink(args) => {
            output::link::render(p, &commands::link::run_unlink(args, p)?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init(mut args) => {
            if !args.yes {
                if p.interactive() && std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                    args = commands::init::ask(args)?;
                } else {
                    commands::init::require_flags(&args)?;
                }
            }
            output::init::render(p, &commands::init::run(args, p)?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check(CheckCommand::Links(args)) => {
            let report = commands::check_links::run(args, p)?;
            shown(output::link::render_check(p, &report), exit_code(report.ok))
        }
        Command::Check(CheckCommand::Values(args)) => {
            checks(p, &commands::check_values::run(args, p)?)
        }
        Command::Check(CheckCommand::Outgoing(args)) => {
            let found = commands::check_outgoing::run(args, p)?;
            let printed = match &found {
                report::outgoing::Outgoing::One { report, legacy } => {
                    output::outgoing::print(p, report, *legacy)
                }
                report::outgoing::Outgoing::Matrix(m) => output::outgoing::print_matrix(p, m),
            };
            shown(printed, exit_code(found.ok()))
        }
        Command::Check(CheckCommand::Orchestrator(args)) => {
            checks(p, &commands::check::orchestrator(args, p)?)
        }
        Command::Check(CheckCommand::All(args)) => checks(p, &commands::check_all::run(args, p)?),
        Command::Certs(CertsCommand::Gen(args)) => {
            output::certs::gen(p, &commands::certs::gen(args)?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Certs(CertsCommand::Inspect(args)) => {
            output::certs::inspect(p, &commands::certs::inspect_files(args)?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Certs(CertsCommand::Verify(args)) => {
            checks(p, &commands::certs::verify_cert(args)?)
        }
        Command::Certs(CertsCommand::Request(args)) => {
            output::certs::request(p, &commands::certs::request(args)?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Certs(CertsCommand::Sign(args)) => {
            output::certs::sign(p, &commands::certs::sign(args)?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Certs(CertsCommand::Install(args)) => {
            output::certs::install(p, &commands::certs::install(args)?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Grpc(GrpcCommand::List(args)) => {
            output::grpc::print_list(p, &commands::grpc::list(args, p)?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Exchange(ExchangeCommand::Status(args)) => {
            let report = commands::exchange::status(args, p)?;
            shown(output::exchange::render_status(p, &report), exit_code(report.ok))
        }
        Command::Exchange(ExchangeCommand::Identity(args)) => {
            exchange(p, commands::exchange::identity(args, p)?)
        }
        Command::Exchange(ExchangeCommand::Admit(args)) => {
            exchange(p, commands::exchange::admit(args, p)?)
        }
        Command::Exchange(ExchangeCommand::Roster(args)) => {
            exchange(p, commands::exchange::roster(args, p)?)
        }
        Command::Exchange(ExchangeCommand::Take(args)) => {
            exchange(p, commands::exchange::take(args, p)?)
        }
        Command::Exchange(ExchangeCommand::Seal(args)) => {
            exchange(p, commands::exchange::seal(args, p)?)
        }
        Command::Exchange(ExchangeCommand::Open(args)) => {
            exchange(p, commands::exchange::open(args, p)?)
        }
        Command::Completions { shell } => commands::meta::completions(shell, p),
        Command::Man { page, list } => commands::meta::man(&page, list, p),
    }
}

/// Renders the report of a command of the exchange.
fn exchange(
    printer: &Printer,
    report: report::exchange::ExchangeReport,
) -> anyhow::Result<ExitCode> {
    output::exchange::render(printer, &report)?;
    Ok(ExitCode::SUCCESS)
}

/// Renders a report of checks; exit 1 when one failed.
fn checks(printer: &Printer, report: &report::check::CheckReport) -> anyhow::Result<ExitCode> {
    shown(output::check::print(printer, report), exit_code(report.passed()))
}

/// The exit code of a report once it is printed. A reader that closed the pipe early
/// (`substractl check all | head -1`) stops the printing quietly, but not the verdict: a
/// failed check still exits 1, so that `set -o pipefail` sees it.
fn shown<E: Into<anyhow::Error>>(
    printed: Result<(), E>,
    code: ExitCode,
) -> anyhow::Result<ExitCode> {
    match printed.map_err(Into::into) {
        Err(e) if error::is_broken_pipe(&e) => Ok(code),
        other => other.map(|()| code),
    }
}

fn exit_code(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(error::EXIT_PROBLEM)
    }
}

//! The substractl binary: parse the command line, run, print the error once, exit with its code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // `substractl __reap -- PROGRAM ARGS...`: the reaper substractl runs each program under,
    // not part of the command line users see.
    let mut args = std::env::args_os();
    if args.nth(1).is_some_and(|a| a == substractl::kube::subprocess::REAPER_ARG) {
        let rest: Vec<_> = args.collect();
        std::process::exit(substractl::kube::subprocess::reap(&rest));
    }
    let cli = match substractl::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
            let shown: Vec<String> =
                args.iter().map(|a| substractl::output::shown_argument(a)).collect();
            let hostile = args.iter().zip(&shown).any(|(a, s)| a.to_str() != Some(s.as_str()));
            let again =
                if hostile { substractl::cli::Cli::try_parse_from(&shown).err() } else { None };
            substractl::output::report_usage_error(err, hostile, again)
        }
    };
    let color = cli.global.color;
    raise_open_files();
    // A panic is a bug: say so once, and exit 70 rather than 101.
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line()));
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let err = anyhow::Error::new(substractl::error::Explained::bug(format!(
            "internal error{}: {what}",
            place.unwrap_or_default()
        )));
        let hint = substractl::commands::failure::hint(&err);
        substractl::output::report_error(&err, hint.as_deref(), substractl::cli::ColorChoice::Auto);
    }));
    match std::panic::catch_unwind(|| substractl::run(cli)) {
        Ok(Ok(code)) => code,
        Ok(Err(err)) if substractl::error::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Ok(Err(err)) => {
            let hint = substractl::commands::failure::hint(&err);
            substractl::output::report_error(&err, hint.as_deref(), color);
            ExitCode::from(substractl::commands::failure::exit_code(&err))
        }
        Err(_) => ExitCode::from(substractl::error::EXIT_BUG),
    }
}

/// Lifts the soft limit of open files towards the hard one (as Go programs do): `check all`
/// and `check outgoing` hold one socket per probe in flight (`--concurrency`, 256 by
/// default, the orchestrator's and the outgoing links' at once), more than a soft limit of 256
/// (macOS) allows. Programs substractl runs inherit it, harmlessly.
fn raise_open_files() {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    const ENOUGH: u64 = 65_536;
    let limit = getrlimit(Resource::Nofile);
    let hard = limit.maximum.unwrap_or(u64::MAX);
    let soft = limit.current.unwrap_or(u64::MAX);
    let want = hard.min(ENOUGH);
    // macOS refuses more than its OPEN_MAX (10240) whatever the hard limit says.
    for current in [want, want.min(10_240)] {
        if soft >= current {
            return;
        }
        if setrlimit(Resource::Nofile, Rlimit { current: Some(current), maximum: limit.maximum })
            .is_ok()
        {
            return;
        }
    }
}

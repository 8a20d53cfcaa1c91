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

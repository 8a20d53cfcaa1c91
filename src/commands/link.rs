//! `substractl link` and `unlink`.
use crate::cli::{LinkArgs, UnlinkArgs};
use crate::output::Printer;
use std::process::ExitCode;
pub fn run(_args: LinkArgs, _p: &Printer) -> anyhow::Result<ExitCode> {
    todo!()
}
pub fn run_unlink(_args: UnlinkArgs, _p: &Printer) -> anyhow::Result<ExitCode> {
    todo!()
}

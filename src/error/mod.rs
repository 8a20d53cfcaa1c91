//! The vocabulary of failures, usable by every module: the exit codes, [`Explained`] (a
//! message, a hint and whose fault it is) and the texts of the hints shared by several commands
//! ([`hints`]). It imports nothing of substractl; how a domain error is classified is said by
//! `commands::failure`, which knows the domain.
//!
//! Exit codes: 0 success, 1 a check ran and found a problem, 2 bad usage or bad input
//! (nothing was changed), 70 an internal error (a bug: "please report this").

use std::fmt;

pub mod hints;

/// Exit code of a check that found a problem.
pub const EXIT_PROBLEM: u8 = 1;
/// Exit code of bad usage or bad input: nothing was changed.
pub const EXIT_INPUT: u8 = 2;
/// Exit code of an internal error (EX_SOFTWARE): a bug in substractl.
pub const EXIT_BUG: u8 = 70;

/// What a failure says about whose it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A check found a problem: exit 1.
    Problem,
    /// Bad usage or bad input: exit 2.
    Input,
    /// A bug in substractl: exit 70.
    Bug,
}

/// An error carrying a message, an optional hint, and its kind.
#[derive(Debug)]
pub struct Explained {
    pub message: String,
    pub hint: Option<String>,
    pub kind: Kind,
}

impl fmt::Display for Explained {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Explained {}

impl Explained {
    /// Bad input: exit 2.
    pub fn input(message: impl Into<String>) -> Self {
        Explained { message: message.into(), hint: None, kind: Kind::Input }
    }

    /// A check found a problem: exit 1.
    pub fn problem(message: impl Into<String>) -> Self {
        Explained { message: message.into(), hint: None, kind: Kind::Problem }
    }

    /// A bug in substractl: exit 70, and the user is asked to report it.
    pub fn bug(message: impl Into<String>) -> Self {
        Explained { message: message.into(), hint: Some(REPORT.into()), kind: Kind::Bug }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// What to tell the user about a bug.
pub const REPORT: &str =
    "this is a bug in substractl: please report this, with the command line and its output";

/// True when the error is a write to a closed pipe (`substractl ... | head`): exit quietly.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

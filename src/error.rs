//! How failures are classified for the exit code and explained to the user.
//!
//! Exit codes: 0 success, 1 a check ran and found a problem, 2 bad usage or bad input
//! (nothing was changed). An error is bad input unless its chain holds an [`Explained`]
//! problem; the hint of an [`Explained`] is printed under the message, saying what to do next.

use std::fmt;

/// An error carrying a message, an optional hint, and whether it is a found problem (exit 1).
#[derive(Debug)]
pub struct Explained {
    pub message: String,
    pub hint: Option<String>,
    pub problem: bool,
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
        Explained { message: message.into(), hint: None, problem: false }
    }

    /// A check found a problem: exit 1.
    pub fn problem(message: impl Into<String>) -> Self {
        Explained { message: message.into(), hint: None, problem: true }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The exit code for an error returned by [`crate::run`].
pub fn exit_code(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<Explained>() {
            return if e.problem { 1 } else { 2 };
        }
    }
    2
}

/// The hint to print under the error, if any cause carries one.
pub fn hint(err: &anyhow::Error) -> Option<String> {
    err.chain().find_map(|cause| cause.downcast_ref::<Explained>().and_then(|e| e.hint.clone()))
}

/// True when the error is a write to a closed pipe (`substractl ... | head`): exit quietly.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

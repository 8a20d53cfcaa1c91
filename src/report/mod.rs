//! What commands return: plain data, rendered by [`crate::output`].
//!
//! Reports never print and never hold secrets. Every check of every command speaks the one
//! vocabulary of [`check`]: a mark (ok, warning, failure, skipped), a detail and a hint.

pub mod check;
pub mod outgoing;

//! What commands return: plain data, rendered by [`crate::output`].
//!
//! Reports never print and never hold secrets. Every check of every command speaks the one
//! vocabulary of [`check`]: a mark (ok, warning, failure, skipped), a detail and a hint.

pub mod certs;
pub mod check;
pub mod exchange;
pub mod grpc;
pub mod init;
pub mod link;

/// A Unix time as YYYY-MM-DD.
pub fn date(unix: i64) -> Option<String> {
    let t = time::OffsetDateTime::from_unix_timestamp(unix).ok()?;
    t.format(time::macros::format_description!("[year]-[month]-[day]")).ok()
}
pub mod outgoing;
pub mod secrets;

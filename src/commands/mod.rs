//! One module per command: arguments in, domain calls, a report out.

pub mod certs;
pub mod check;
pub mod check_all;
pub mod check_links;
pub mod check_outgoing;
pub mod check_values;
pub mod exchange;
pub mod grpc;
pub mod init;
pub mod link;
pub mod meta;

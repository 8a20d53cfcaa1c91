//! The report of `grpc list`.

use crate::probe::ReflectionVersion;

/// What `grpc list` found.
#[derive(Debug, Clone)]
pub struct ListReport {
    pub address: String,
    pub reflection: ReflectionVersion,
    /// With SERVICE: the service and its methods; without: the services.
    pub service: Option<String>,
    /// The names as they may be shown (the first [`crate::probe::grpc::MAX_NAMES`] the server
    /// sent, scrubbed of credentials), sorted.
    pub names: Vec<String>,
    /// How many names the server sent.
    pub sent: usize,
    /// How many of them were not read nor shown (those after the first
    /// [`crate::probe::grpc::MAX_NAMES`]).
    pub not_shown: usize,
}

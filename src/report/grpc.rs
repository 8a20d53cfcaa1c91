//! The report of `grpc list`.

use crate::probe::ReflectionVersion;

/// What `grpc list` found.
#[derive(Debug, Clone)]
pub struct ListReport {
    pub address: String,
    pub reflection: ReflectionVersion,
    /// With SERVICE: the service and its methods; without: the services.
    pub service: Option<String>,
    pub names: Vec<String>,
}

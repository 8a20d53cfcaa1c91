//! The one integration-test binary: every module drives the real substractl binary.

mod support;

mod certs;
mod certs_request;
mod check_all;
mod check_values;
mod cli;
mod deployment;
mod escapes;
mod existing_secret;
mod federation;
mod grpc;
mod harness;
mod init;
mod init_again;
mod layers;
mod link;
mod link_fixtures;
mod link_props;
mod locks;
mod outgoing;
mod outgoing_cluster;
mod readme;
mod real_backend;
mod workspace;

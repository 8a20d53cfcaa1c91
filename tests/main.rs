//! The one integration-test binary: every module drives the real substractl binary.

mod support;

mod cli;
mod grpc;

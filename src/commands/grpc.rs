//! `substractl grpc list`: grpcurl's `list`, with Substra's headers and explained failures.

use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use crate::cli::{GrpcListArgs, GrpcTarget};
use crate::commands::failure::probe::explain;
use crate::error::hints;
use crate::error::Explained;
use crate::output::Printer;
use crate::probe::tls::{Roots, TlsOptions, SYSTEM_BUNDLES};
use crate::probe::{self, Addr, Headers, ProbeError, Target, TlsClient};
use crate::report::grpc::ListReport;

pub fn list(args: GrpcListArgs, printer: &Printer) -> anyhow::Result<ListReport> {
    let setup = Setup::from_args(&args.target)?;
    setup.warn_insecure(printer);
    let service = args.service.clone();
    let result = setup.block_on(async {
        let listed = async {
            let h2 = probe::connect(&setup.target).await?;
            match &service {
                None => probe::grpc::list_services(&h2, &setup.headers).await,
                Some(name) => probe::grpc::list_methods(&h2, &setup.headers, name).await,
            }
        };
        match listed.await {
            Ok(found) => Ok(found),
            Err(err) => Err(probe::confirm(err, &setup.target).await),
        }
    })?;
    // A server can echo the headers it received, credentials included, in service names and
    // in its error messages.
    let redactor = setup.headers.redactor();
    let listing = result.map_err(|e| {
        let mut explained = explain(&e);
        explained.message = redactor.scrub(&explained.message);
        explained.hint = explained.hint.map(|h| redactor.scrub(&h));
        explained
    })?;
    Ok(ListReport {
        address: setup.target.addr.authority(),
        reflection: listing.version,
        service,
        not_shown: listing.not_shown(),
        sent: listing.sent,
        names: listing.names,
    })
}

/// Everything a probe command needs, read from the common gRPC flags.
pub struct Setup {
    pub target: Target,
    pub headers: Headers,
    pub max_time: Option<Duration>,
    pub insecure: bool,
    pub plaintext: bool,
}

fn seconds(flag: &str, value: f64) -> Result<Duration, Explained> {
    if value.is_finite() && value > 0.0 && value < 1e9 {
        Ok(Duration::from_secs_f64(value))
    } else {
        Err(Explained::input(format!("{flag} must be a positive number of seconds, not {value}")))
    }
}

impl Setup {
    pub fn from_args(args: &GrpcTarget) -> Result<Setup, Explained> {
        let addr = Addr::parse(&args.addr, probe::addr::default_port(args.plaintext))
            .map_err(|e| Explained::input(format!("invalid ADDR: {e}")).hint(hints::HOST_PORT))?;
        let connect_timeout = seconds("--connect-timeout", args.connect_timeout)?;
        let rpc_timeout = seconds("--rpc-timeout", args.rpc_timeout)?;
        let max_time = args.max_time.map(|s| seconds("--max-time", s)).transpose()?;

        let mut extra = Vec::new();
        for text in &args.headers {
            let (name, value) = Headers::parse_one(text)
                .map_err(|e| Explained::input(e.to_string()).hint(hints::HEADER_FORM))?;
            extra.push((name, value));
        }
        let headers = Headers {
            mspid: args.mspid.clone(),
            channel: args.channel.clone(),
            extra,
            known: Default::default(),
        };
        headers.metadata().map_err(|e| explain(&ProbeError::Header(e)))?;

        let tls = if args.plaintext {
            None
        } else {
            let roots = match &args.cacert {
                Some(path) => Roots::File(path.clone()),
                None => {
                    // SSL_CERT_FILE, as OpenSSL and Go honour it, before the usual bundles.
                    let mut bundles: Vec<PathBuf> =
                        std::env::var_os("SSL_CERT_FILE").map(PathBuf::from).into_iter().collect();
                    bundles.extend(SYSTEM_BUNDLES.iter().map(PathBuf::from));
                    Roots::System(bundles)
                }
            };
            let options = TlsOptions {
                roots,
                identity: args.cert.clone().zip(args.key.clone()),
                insecure: args.insecure,
                server_name: probe::tls_name(&addr, args.authority.as_deref()),
            };
            Some(TlsClient::new(&options).map_err(|e| explain(&e.into()))?)
        };
        let target =
            Target { addr, tls, authority: args.authority.clone(), connect_timeout, rpc_timeout };
        Ok(Setup { target, headers, max_time, insecure: args.insecure, plaintext: args.plaintext })
    }

    pub fn warn_insecure(&self, printer: &Printer) {
        if self.insecure {
            printer.warn(&format!(
                "--insecure: the certificate of {} is not verified; anyone on the path could answer",
                self.target.addr
            ));
        }
    }

    /// Runs a probe on a current-thread runtime, within --max-time.
    pub fn block_on<T>(
        &self,
        work: impl Future<Output = Result<T, ProbeError>>,
    ) -> anyhow::Result<Result<T, ProbeError>> {
        on_runtime(self.within(work))
    }

    /// A probe, within --max-time.
    pub async fn within<T>(
        &self,
        work: impl Future<Output = Result<T, ProbeError>>,
    ) -> Result<T, ProbeError> {
        match self.max_time {
            None => work.await,
            Some(limit) => match tokio::time::timeout(limit, work).await {
                Ok(result) => result,
                Err(_) => Err(ProbeError::Timeout {
                    addr: self.target.addr.authority(),
                    secs: limit.as_secs_f64(),
                }),
            },
        }
    }
}

/// Runs `work` on a current-thread runtime of its own.
pub fn on_runtime<T>(work: impl Future<Output = T>) -> anyhow::Result<T> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let result = runtime.block_on(work);
    // A host name lookup the deadline gave up on still runs in a thread of the runtime
    // (the system's resolver cannot be stopped): it is not waited for.
    runtime.shutdown_background();
    Ok(result)
}

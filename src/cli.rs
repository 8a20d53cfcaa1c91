//! Every command-line definition of substractl, and nothing else.
//!
//! The types here are plain data: `commands/` turns them into domain calls.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Network probes in flight at once, by default: the orchestrator of 200 organizations in one
/// round. Each holds one socket, and the process raises its own limit of open files to fit.
pub const CONCURRENCY: u16 = 256;

/// Set up and check Substra deployments: pair backends, make the orchestrator's
/// certificates, and prove that the pieces reach and accept each other.
#[derive(Debug, Parser)]
#[command(name = "substractl", version, about, long_about = None)]
#[command(propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Output format of the result
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Table, global = true)]
    pub format: Format,

    /// When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Seconds to wait for another substractl run that holds the directory (0: do not wait)
    #[arg(long, default_value = "60", global = true, value_name = "SECONDS", value_parser = lock_wait)]
    pub lock_wait: std::time::Duration,
}

/// `--lock-wait`: seconds, from 0 to a day.
fn lock_wait(text: &str) -> Result<std::time::Duration, String> {
    match text.trim().parse::<f64>() {
        Ok(secs) if secs.is_finite() && (0.0..=86_400.0).contains(&secs) => {
            Ok(std::time::Duration::from_secs_f64(secs))
        }
        _ => Err("expected a number of seconds from 0 to 86400".to_string()),
    }
}

// The choices of --output and --color are the printer's own words.
pub use crate::output::{ColorChoice, Format};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Pair organizations: every one may log in to every other, with one fresh secret per ordered pair
    Link(LinkArgs),

    /// Remove the pairing of two organizations, in both directions and in both files
    Unlink(UnlinkArgs),

    /// Write a whole deployment: values, links, certificates, manifests, helmfile, next steps
    Init(InitArgs),

    /// Make and check the orchestrator's CA, server and mTLS client certificates
    #[command(subcommand)]
    Certs(CertsCommand),

    /// Talk to a gRPC server through reflection, as grpcurl does, with Substra's headers
    #[command(subcommand)]
    Grpc(GrpcCommand),

    /// Prove that the pieces of a deployment agree with, reach and accept each other
    #[command(subcommand)]
    Check(CheckCommand),

    /// Link organizations that share no files: identities, cards, the owner's signed roster and
    /// sealed pair secrets
    #[command(subcommand)]
    Exchange(ExchangeCommand),

    /// Keep organizations' credentials in a Secret manifest (the chart's existingSecret)
    /// instead of their values files
    #[command(subcommand)]
    Secrets(SecretsCommand),

    /// Print a shell completion script
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Print a manual page (roff), checked in under man/
    #[command(hide = true)]
    Man {
        /// The page: substractl, substractl-link, substractl-certs-gen, ...
        #[arg(default_value = "substractl", value_name = "PAGE")]
        page: String,

        /// Print the name of every page instead, one a line
        #[arg(long)]
        list: bool,
    },
}

/// Where the backend values files are and what to call them.
#[derive(Debug, Args, Clone)]
pub struct ValuesFiles {
    /// Directory holding the values files
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,

    /// File name of an organization's backend values; {org} is replaced by the organization name given
    #[arg(long, default_value = "backend-{org}-values.yaml", value_name = "PATTERN")]
    pub values_pattern: String,
}

#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// Organizations, by name (the MSP ID of each); asked for on a terminal
    #[arg(value_name = "ORG")]
    pub orgs: Vec<String>,

    /// Channel every organization joins (repeatable) [default: our-channel]
    #[arg(long = "channel", value_name = "NAME")]
    pub channels: Vec<String>,

    /// Address each backend registers, {org} replaced by the organization
    /// [default: https://api.{org}.example.com, http://api.{org}.example.com:80 with --no-tls]
    #[arg(long, value_name = "URL")]
    pub backend_address: Option<String>,

    /// Public host name of the orchestrator [default: orchestrator.example.com]
    #[arg(long, value_name = "NAME")]
    pub orchestrator_host: Option<String>,

    /// TLS between backends and the orchestrator (the default)
    #[arg(long, overrides_with = "no_tls")]
    pub tls: bool,

    /// No TLS: the orchestrator listens on port 80
    #[arg(long, overrides_with = "tls")]
    pub no_tls: bool,

    /// Mutual TLS: each backend presents a client certificate (the default with TLS)
    #[arg(long, overrides_with = "no_mtls")]
    pub mtls: bool,

    /// No client certificates
    #[arg(long, overrides_with = "mtls")]
    pub no_mtls: bool,

    /// Kube context of an organization's cluster, or of the orchestrator's with
    /// `orchestrator=CONTEXT` (repeatable) [default: the organization's name, orchestrator]
    #[arg(long = "context", value_name = "ORG=CONTEXT")]
    pub contexts: Vec<String>,

    /// Directory the deployment is written to [default: substra-deployment]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Take the default of every question not answered by a flag, and never prompt
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Print a diff of every change, secrets and keys masked, and write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Version of the substra/substra-backend chart
    #[arg(long, default_value = "26.15.3", value_name = "VERSION")]
    pub backend_chart_version: String,

    /// Version of the substra/orchestrator chart
    #[arg(long, default_value = "8.8.0", value_name = "VERSION")]
    pub orchestrator_chart_version: String,

    /// Key algorithm of every new key
    #[arg(long, value_enum, default_value_t = KeyType::EcdsaP256)]
    pub key_type: KeyType,

    /// Keep each organization's credentials in a Secret manifest beside its values file
    /// (addAccountOperator.existingSecret NAME, default backend-{org}-accounts; {org} is the
    /// organization's name), in its namespace org-<name>
    #[arg(long, value_name = "NAME", num_args = 0..=1, default_missing_value = "backend-{org}-accounts")]
    pub existing_secret: Option<String>,
}

#[derive(Debug, Args)]
pub struct LinkArgs {
    /// Organizations to pair, by file name (ingen: backend-ingen-values.yaml); each MSP ID is read from its file
    #[arg(required = true, num_args = 1.., value_name = "ORG")]
    pub orgs: Vec<String>,

    #[command(flatten)]
    pub files: ValuesFiles,

    /// Issue new secrets for every pair among the organizations named
    #[arg(long)]
    pub rotate: bool,

    /// Create the values file of an organization that has none, even though --dir holds other
    /// organizations' files (without it, a name with no file there is taken for a typo)
    #[arg(long)]
    pub create: bool,

    /// Also make sure this channel lists every organization, in the orchestrator values and in each backend
    #[arg(long, value_name = "NAME")]
    pub channel: Option<String>,

    /// Orchestrator values file edited by --channel (relative paths are taken in --dir)
    #[arg(long, default_value = "orchestrator-values.yaml", value_name = "FILE")]
    pub orchestrator_values: PathBuf,

    /// Keep the credentials of the organizations named in a Secret manifest beside each values
    /// file (addAccountOperator.existingSecret NAME, default backend-{org}-accounts; {org} is
    /// the organization's name), in --namespace
    #[arg(
        long,
        value_name = "NAME",
        num_args = 0..=1,
        default_missing_value = "backend-{org}-accounts",
        require_equals = false
    )]
    pub existing_secret: Option<String>,

    /// Print a diff of every change, secrets masked, and write nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub helm: HelmArgs,
}

#[derive(Debug, Args)]
pub struct UnlinkArgs {
    /// The two organizations to separate, by file name (as for link); their MSP IDs are read from the files
    #[arg(num_args = 2, required = true, value_name = "ORG")]
    pub orgs: Vec<String>,

    #[command(flatten)]
    pub files: ValuesFiles,

    /// Print a diff of every change, secrets masked, and write nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub helm: HelmArgs,
}

/// What fills in the `helm upgrade` commands printed as the next step.
#[derive(Debug, Args, Clone, Default)]
pub struct HelmArgs {
    /// Helm release name of the backends (see `helm list -A`)
    #[arg(long, value_name = "NAME")]
    pub release: Option<String>,

    /// Kubernetes namespace of the backends
    #[arg(long, value_name = "NAMESPACE")]
    pub namespace: Option<String>,

    /// Version of the substra-backend chart
    #[arg(long, value_name = "VERSION")]
    pub chart_version: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum CertsCommand {
    /// Make the CA (or reuse the one in --out), the server certificate and mTLS client certificates
    Gen(CertsGenArgs),
    /// Show what a certificate holds
    Inspect(CertsInspectArgs),
    /// Check a certificate against a CA, a host name, a purpose and a key
    Verify(CertsVerifyArgs),
    /// On an organization's machine: make its private key (an existing one is kept) and a
    /// certificate signing request for the orchestrator's owner to sign
    Request(CertsRequestArgs),
    /// On the orchestrator owner's machine: sign organizations' certificate signing requests (or
    /// the orchestrator's server request) with the CA in --out
    Sign(CertsSignArgs),
    /// On an organization's machine: check the certificate signed for it against its key, its
    /// MSP ID and the CA, then write its TLS values and Secret manifests
    Install(CertsInstallArgs),
}

/// Whether the orchestrator verifies clients' MSP IDs (orchestrator.verifyClientMSPID).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

#[derive(Debug, Args)]
pub struct CertsRequestArgs {
    /// The organization's backend values file: its MSP ID (orchestrator.mspID) and host
    /// (server.defaultDomain) are read from it
    #[arg(long, value_name = "FILE", required_unless_present_any = ["msp_id", "server"])]
    pub values: Option<PathBuf>,

    /// The organization's MSP ID, the request's O= (default: orchestrator.mspID of --values)
    #[arg(long, value_name = "ID", conflicts_with = "server")]
    pub msp_id: Option<String>,

    /// Host name of the organization's backend, the request's CN (default: the host of
    /// server.defaultDomain in --values, else the MSP ID); with --server, the orchestrator's
    /// public host name
    #[arg(long, value_name = "NAME", required_if_eq("server", "true"))]
    pub host: Option<String>,

    /// The orchestrator's own key and request instead (orchestrator-tls.key and .csr), for
    /// `certs sign --server` where the CA is
    #[arg(long, conflicts_with = "values")]
    pub server: bool,

    /// With --server: extra subject alternative name, DNS name or IP address (repeatable)
    #[arg(long = "san", value_name = "DNS-OR-IP", requires = "server")]
    pub sans: Vec<String>,

    /// With --server: in-cluster Service NAME.NAMESPACE, adds .svc and .svc.cluster.local names
    /// (repeatable)
    #[arg(long = "service", value_name = "NAME.NAMESPACE", requires = "server")]
    pub services: Vec<String>,

    /// Directory of the key MSPID.key (kept when it exists) and the request MSPID.csr
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub out: PathBuf,

    /// Key algorithm of a new key
    #[arg(long, value_enum, default_value_t = KeyType::EcdsaP256)]
    pub key_type: KeyType,

    /// Make a new key even though MSPID.key exists (the old key is replaced)
    #[arg(long)]
    pub new_key: bool,
}

#[derive(Debug, Args)]
pub struct CertsSignArgs {
    /// Certificate signing requests, PEM or DER (one per organization; with --server, the
    /// orchestrator's)
    #[arg(required = true, value_name = "CSR")]
    pub requests: Vec<PathBuf>,

    /// Directory of the CA (orchestrator-ca.crt and .key) where the certificates are written
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub out: PathBuf,

    /// An MSP ID whose request may be signed, besides those listed in a channel of
    /// orchestrator-values.yaml in --values-dir (repeatable)
    #[arg(long = "msp-id", value_name = "ID")]
    pub msp_ids: Vec<String>,

    /// Directory of orchestrator-values.yaml: its channels name the MSP IDs that may be signed,
    /// and each one signed gets its orchestrator.tls.mtls.clientCACerts entry there
    #[arg(long, value_name = "DIR")]
    pub values_dir: Option<PathBuf>,

    /// Validity of the certificates, in days
    #[arg(long, default_value_t = 365, value_name = "DAYS")]
    pub days: u32,

    /// Replace certificates that exist in --out
    #[arg(long)]
    pub force: bool,

    /// The request is the orchestrator's own, for its server certificate (orchestrator-tls.crt)
    #[arg(long)]
    pub server: bool,

    /// With --server: public host name of the orchestrator (repeatable; the first is the CN)
    #[arg(long = "host", value_name = "NAME", requires = "server")]
    pub hosts: Vec<String>,

    /// With --server: extra subject alternative name, DNS name or IP address (repeatable)
    #[arg(long = "san", value_name = "DNS-OR-IP", requires = "server")]
    pub sans: Vec<String>,

    /// With --server: in-cluster Service NAME.NAMESPACE, adds .svc and .svc.cluster.local names
    /// (repeatable)
    #[arg(long = "service", value_name = "NAME.NAMESPACE", requires = "server")]
    pub services: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CertsInstallArgs {
    /// The certificate the orchestrator's owner signed for this organization
    #[arg(value_name = "CERT")]
    pub cert: PathBuf,

    /// The orchestrator's CA certificate, which must have signed CERT
    #[arg(long, value_name = "CA.crt")]
    pub ca: PathBuf,

    /// This organization's private key [default: MSPID.key in --out]
    #[arg(long, value_name = "KEY")]
    pub key: Option<PathBuf>,

    /// The organization's backend values file: its MSP ID is read from it, and its TLS values
    /// (orchestrator.tls.*) are written in it
    #[arg(long, value_name = "FILE", required_unless_present = "msp_id")]
    pub values: Option<PathBuf>,

    /// The organization's MSP ID, which CERT must name as its O= (default: orchestrator.mspID
    /// of --values)
    #[arg(long, value_name = "ID")]
    pub msp_id: Option<String>,

    /// Directory of the key and of the Secret manifests written
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub out: PathBuf,

    /// metadata.namespace of the manifests (the backend's namespace); without it, apply them
    /// with `kubectl apply -n NAMESPACE`
    #[arg(long, value_name = "NAMESPACE")]
    pub namespace: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyType {
    #[value(name = "ecdsa-p256")]
    EcdsaP256,
    #[value(name = "ecdsa-p384")]
    EcdsaP384,
    #[value(name = "rsa-2048")]
    Rsa2048,
    #[value(name = "rsa-3072")]
    Rsa3072,
    #[value(name = "rsa-4096")]
    Rsa4096,
    #[value(name = "ed25519")]
    Ed25519,
}

#[derive(Debug, Args)]
pub struct CertsGenArgs {
    /// Directory the certificates, keys and manifests are written to
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub out: PathBuf,

    /// Common name of a new CA
    #[arg(long, default_value = "Orchestrator Root CA", value_name = "CN")]
    pub ca_cn: String,

    /// Public host name of the orchestrator (repeatable; the first is the CN)
    #[arg(long = "host", value_name = "NAME")]
    pub hosts: Vec<String>,

    /// Extra subject alternative name, DNS name or IP address (repeatable)
    #[arg(long = "san", value_name = "DNS-OR-IP", requires = "hosts")]
    pub sans: Vec<String>,

    /// In-cluster Service NAME.NAMESPACE: adds .svc and .svc.cluster.local names (repeatable)
    #[arg(long = "service", value_name = "NAME.NAMESPACE", requires = "hosts")]
    pub services: Vec<String>,

    /// mTLS client certificate for an organization: O=MSPID, CN=HOSTNAME or the MSP ID (repeatable)
    #[arg(long = "org", value_name = "MSPID[=HOSTNAME]")]
    pub orgs: Vec<String>,

    /// Key algorithm of every new key
    #[arg(long, value_enum, default_value_t = KeyType::EcdsaP256)]
    pub key_type: KeyType,

    /// Validity of server and client certificates, in days
    #[arg(long, default_value_t = 365, value_name = "DAYS")]
    pub days: u32,

    /// Validity of a new CA, in days
    #[arg(long, default_value_t = 1825, value_name = "DAYS")]
    pub ca_days: u32,

    /// Overwrite existing server and client certificates (never the CA)
    #[arg(long)]
    pub force: bool,

    /// Also write Kubernetes Secret manifests
    #[arg(long)]
    pub manifests: bool,

    /// metadata.namespace of the orchestrator's manifests (the CA and the server pair)
    #[arg(long, value_name = "NAMESPACE", requires = "manifests")]
    pub namespace: Option<String>,

    /// metadata.namespace of each backend's manifest (its CA and client certificate Secrets);
    /// without it, apply them with `kubectl apply -n NAMESPACE`
    #[arg(long, value_name = "NAMESPACE", requires = "manifests")]
    pub backend_namespace: Option<String>,

    /// Write the CA as a ConfigMap, for orchestrator charts before 8.6.0 and backend charts before 26.0.0
    #[arg(long, requires = "manifests")]
    pub cacert_configmap: bool,

    /// Also set the TLS values in orchestrator-values.yaml and each backend's values file there
    /// (found by --values-pattern with the MSP ID, or by its orchestrator.mspID)
    #[arg(long, value_name = "DIR")]
    pub values_dir: Option<PathBuf>,

    /// File name of an organization's backend values in --values-dir; {org} is replaced by the MSP ID
    #[arg(long, default_value = "backend-{org}-values.yaml", value_name = "PATTERN")]
    pub values_pattern: String,
}

#[derive(Debug, Args)]
pub struct CertsInspectArgs {
    /// PEM certificate files
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CertsVerifyArgs {
    /// The CA certificate that must have signed CERT
    #[arg(long, value_name = "CA.crt")]
    pub ca: PathBuf,

    /// The certificate to check
    #[arg(value_name = "CERT")]
    pub cert: PathBuf,

    /// Host name the certificate must be valid for
    #[arg(long, value_name = "NAME")]
    pub host: Option<String>,

    /// Check for client authentication (mTLS) instead of server authentication
    #[arg(long)]
    pub client: bool,

    /// Private key that must match the certificate
    #[arg(long, value_name = "KEY")]
    pub key: Option<PathBuf>,

    /// Whether the orchestrator verifies clients' MSP IDs (orchestrator.verifyClientMSPID):
    /// with --client, a missing or wrong authorityKeyIdentifier fails when on (or not given)
    /// and is a warning when off
    #[arg(long, value_enum, value_name = "ON|OFF", requires = "client")]
    pub msp_id_verification: Option<OnOff>,
}

/// How to reach a gRPC server: TLS settings and Substra's headers.
#[derive(Debug, Args, Clone)]
pub struct GrpcTarget {
    /// Server address, host:port (a bare host gets 443, or 80 with --plaintext)
    #[arg(value_name = "ADDR")]
    pub addr: String,

    /// Speak plaintext HTTP/2, no TLS
    #[arg(long, conflicts_with_all = ["cacert", "cert", "key", "insecure"])]
    pub plaintext: bool,

    /// CA certificate that signed the server's certificate
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<PathBuf>,

    /// Client certificate for mutual TLS
    #[arg(long, value_name = "FILE", requires = "key")]
    pub cert: Option<PathBuf>,

    /// Private key of --cert
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,

    /// Name sent to the server and checked against its certificate
    #[arg(long, value_name = "NAME")]
    pub authority: Option<String>,

    /// Do not verify the server's certificate
    #[arg(long)]
    pub insecure: bool,

    /// Extra header 'name: value' (repeatable)
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,

    /// Substra's mspid header: the organization's MSP ID
    #[arg(long, value_name = "ID")]
    pub mspid: Option<String>,

    /// Substra's channel header
    #[arg(long, value_name = "NAME")]
    pub channel: Option<String>,

    /// Seconds allowed to connect: TCP, TLS and the HTTP/2 handshake
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub connect_timeout: f64,

    /// Seconds allowed for each call (health, reflection) to be answered
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub rpc_timeout: f64,

    /// Seconds allowed for the whole operation
    #[arg(long, value_name = "SECONDS")]
    pub max_time: Option<f64>,
}

#[derive(Debug, Subcommand)]
pub enum GrpcCommand {
    /// List the services, or a service's methods, through server reflection
    List(GrpcListArgs),
}

#[derive(Debug, Args)]
pub struct GrpcListArgs {
    #[command(flatten)]
    pub target: GrpcTarget,

    /// A service whose methods to list
    #[arg(value_name = "SERVICE")]
    pub service: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum SecretsCommand {
    /// Move the users and organization lists of values files into Secret manifests beside
    /// them (backend-ORG-accounts.yaml), leaving addAccountOperator.existingSecret
    Move(SecretsMoveArgs),
}

#[derive(Debug, Args)]
pub struct SecretsMoveArgs {
    /// Organizations whose credentials move, by file name (ingen: backend-ingen-values.yaml)
    #[arg(required = true, num_args = 1.., value_name = "ORG")]
    pub orgs: Vec<String>,

    #[command(flatten)]
    pub files: ValuesFiles,

    /// Name of the Secret ({org} is replaced by the organization name given)
    #[arg(long, default_value = "backend-{org}-accounts", value_name = "NAME")]
    pub secret_name: String,

    /// Kubernetes namespace of the organization's backend, written into the manifest ({org}
    /// is replaced by the organization name given); without it the manifest names none
    #[arg(long, value_name = "NAMESPACE")]
    pub namespace: Option<String>,

    /// Print a diff of every change, secrets masked, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum CheckCommand {
    /// Check, without changing anything, that the values files pair every organization correctly
    Links(CheckLinksArgs),

    /// Check the orchestrator: TCP, TLS, health, reflection, services and headers
    Orchestrator(CheckOrchestratorArgs),

    /// Audit a deployment directory offline: pairs, identities, addresses, channels and TLS settings
    Values(CheckValuesArgs),
    /// Check that an organization reaches every organization it logs in to, and is accepted
    Outgoing(CheckOutgoingArgs),

    /// Everything at once: values, certificates, the orchestrator for each organization, and
    /// outgoing connectivity, in one report
    All(CheckAllArgs),
}

#[derive(Debug, Args)]
pub struct CheckAllArgs {
    #[command(flatten)]
    pub files: ValuesFiles,

    /// Orchestrator values file (relative paths are taken in --dir)
    #[arg(long, default_value = "orchestrator-values.yaml", value_name = "FILE")]
    pub orchestrator_values: PathBuf,

    /// Directory holding the files of `certs gen` (default: --dir, then --dir/certs)
    #[arg(long, value_name = "DIR")]
    pub certs: Option<PathBuf>,

    /// Orchestrator address host:port, instead of each backend's orchestrator.host and port
    /// (the certificate is still checked against orchestrator.host)
    #[arg(long, value_name = "ADDR")]
    pub orchestrator: Option<String>,

    /// Address of an organization's backend (ORG: the name used with `link`, or its MSP ID);
    /// repeatable. Default: its server.defaultDomain
    #[arg(long = "address", value_name = "ORG=URL")]
    pub addresses: Vec<String>,

    /// Seconds allowed for each network step
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub timeout: f64,

    /// Retry the failing network checks until they pass or this time runs out (e.g. 90s, 5m)
    #[arg(long, value_name = "DURATION")]
    pub wait: Option<String>,

    /// Orchestrator probes at the same time (one per organization), and, beside them, outgoing
    /// requests at the same time
    #[arg(long, default_value_t = CONCURRENCY, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: u16,
}

#[derive(Debug, Args)]
pub struct CheckLinksArgs {
    /// Organizations to check, by file name (as for link; default: every file in --dir that matches
    /// --values-pattern); their MSP IDs are read from the files
    #[arg(value_name = "ORG")]
    pub orgs: Vec<String>,

    #[command(flatten)]
    pub files: ValuesFiles,
}

#[derive(Debug, Args)]
pub struct CheckValuesArgs {
    #[command(flatten)]
    pub files: ValuesFiles,

    /// Orchestrator values file (relative paths are taken in --dir)
    #[arg(long, default_value = "orchestrator-values.yaml", value_name = "FILE")]
    pub orchestrator_values: PathBuf,
}

#[derive(Debug, Args)]
pub struct CheckOrchestratorArgs {
    #[command(flatten)]
    pub target: GrpcTarget,
}

/// Layouts of `check outgoing` besides `-o table|json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutgoingLayout {
    /// The table of the backend's `./manage.py get_outgoing_organization`: its layout, and its
    /// status cells byte for byte
    Legacy,
}

#[derive(Debug, Args)]
pub struct CheckOutgoingArgs {
    /// Organization to check: the name in its values file's name (see --values-pattern)
    #[arg(long, value_name = "NAME", conflicts_with = "values")]
    pub org: Option<String>,

    /// The backend values file of the organization to check
    #[arg(long, value_name = "FILE")]
    pub values: Option<PathBuf>,

    /// Check every organization in --dir against every organization it logs in to
    #[arg(long, conflicts_with_all = ["org", "values", "in_cluster"])]
    pub all: bool,

    #[command(flatten)]
    pub files: ValuesFiles,

    /// Address of an organization (ORG: the name used with `link`, or its MSP ID); repeatable.
    /// Default: the organization's server.defaultDomain in its values file in --dir, else its
    /// card's in the roster taken there with `exchange take`
    #[arg(long = "address", value_name = "ORG=URL")]
    pub addresses: Vec<String>,

    /// Channel sent in Substra-Channel-Name (default: the first of orchestrator.channels)
    #[arg(long, value_name = "NAME")]
    pub channel: Option<String>,

    /// Do not check the credentials (only GET /info/, as the backend's own command does)
    #[arg(long)]
    pub no_auth: bool,

    /// Seconds allowed for each request (with --in-cluster: for the whole kubectl run)
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub timeout: f64,

    /// Requests at the same time
    #[arg(long, default_value_t = CONCURRENCY, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: u16,

    /// CA certificate(s) trusted instead of the system's roots, for https addresses
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<PathBuf>,

    /// Do not verify the backends' certificates
    #[arg(long, conflicts_with = "cacert")]
    pub insecure: bool,

    /// Print the backend command's own table instead (no auth column)
    #[arg(id = "layout", long = "format", value_enum, value_name = "LAYOUT")]
    pub format: Option<OutgoingLayout>,

    /// Run the backend's own command in its server pod (kubectl exec) and read its table
    #[arg(long, conflicts_with_all = ["addresses", "no_auth", "cacert", "insecure", "channel"])]
    pub in_cluster: bool,

    /// kubectl context of the organization's cluster (with --in-cluster)
    #[arg(long, value_name = "NAME", requires = "in_cluster")]
    pub context: Option<String>,

    /// Namespace of the organization's backend (with --in-cluster)
    #[arg(long, value_name = "NAMESPACE", requires = "in_cluster")]
    pub namespace: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ExchangeCommand {
    /// Make this directory's identity (an existing one is kept) and, for an organization, its card
    Identity(ExchangeIdentityArgs),
    /// The orchestrator's owner: admit an organization's card into channels and issue the roster
    Admit(ExchangeAdmitArgs),
    /// The orchestrator's owner: issue the roster again, from the orchestrator's values and the
    /// cards admitted
    Roster(ExchangeRosterArgs),
    /// An organization: take a roster signed by the orchestrator's owner
    Take(ExchangeTakeArgs),
    /// An organization: pair with every partner in the roster, writing a sealed secret for each
    Seal(ExchangeSealArgs),
    /// An organization: apply the sealed secrets that partners sent
    Open(ExchangeOpenArgs),
    /// An organization: per partner, which entries exist and which sealed files are still to go
    Status(ExchangeStatusArgs),
}

/// The directory of one party and, for an organization, its backend values file.
#[derive(Debug, Args, Clone)]
pub struct ExchangeParty {
    /// The party's own directory: its identity, roster, state (and values file)
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,

    /// The organization's backend values file [default: the one backend-*-values.yaml in --dir]
    #[arg(long, value_name = "FILE")]
    pub values: Option<PathBuf>,
}

/// Where the credentials an exchange command writes are kept.
#[derive(Debug, Args, Clone, Default)]
pub struct ExistingSecretArgs {
    /// Keep the organization's credentials in a Secret manifest beside its values file
    /// (addAccountOperator.existingSecret NAME, default backend-{org}-accounts; {org} is the
    /// name in the values file's name)
    #[arg(long, value_name = "NAME", num_args = 0..=1, default_missing_value = "backend-{org}-accounts")]
    pub existing_secret: Option<String>,

    /// Kubernetes namespace of the organization's backend, written into a new Secret manifest
    #[arg(long, value_name = "NAMESPACE", requires = "existing_secret")]
    pub namespace: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExchangeIdentityArgs {
    #[command(flatten)]
    pub party: ExchangeParty,

    /// The directory is the orchestrator's owner's: make the identity only, no card
    #[arg(long, conflicts_with = "values")]
    pub owner: bool,
}

#[derive(Debug, Args)]
pub struct ExchangeAdmitArgs {
    /// The organization's card (card-MSPID.yaml)
    #[arg(value_name = "CARD")]
    pub card: PathBuf,

    /// The card's fingerprint as its administrator read it to you (SHA256:...)
    #[arg(long, required = true, value_name = "SHA256:...")]
    pub fingerprint: String,

    /// Channel the organization joins (repeatable) [default: the channels its card asks for]
    #[arg(long = "channel", value_name = "NAME")]
    pub channels: Vec<String>,

    /// The owner's directory: identity, orchestrator values, roster
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,

    /// Orchestrator values file (relative paths are taken in --dir)
    #[arg(long, default_value = "orchestrator-values.yaml", value_name = "FILE")]
    pub orchestrator_values: PathBuf,

    /// The orchestrator's CA certificate carried in the roster [default: orchestrator-ca.crt in --dir, if any]
    #[arg(long, value_name = "FILE")]
    pub ca: Option<PathBuf>,

    /// The orchestrator's address, host:port [default: the roster's, else ingress.hostname with 443 or 80]
    #[arg(long, value_name = "HOST:PORT")]
    pub orchestrator: Option<String>,

    /// Print a diff of every change and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ExchangeRosterArgs {
    /// The owner's directory: identity, orchestrator values, roster
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,

    /// Orchestrator values file (relative paths are taken in --dir)
    #[arg(long, default_value = "orchestrator-values.yaml", value_name = "FILE")]
    pub orchestrator_values: PathBuf,

    /// The orchestrator's CA certificate carried in the roster [default: orchestrator-ca.crt in --dir, else the roster's]
    #[arg(long, value_name = "FILE")]
    pub ca: Option<PathBuf>,

    /// The orchestrator's address, host:port [default: the roster's, else ingress.hostname with 443 or 80]
    #[arg(long, value_name = "HOST:PORT")]
    pub orchestrator: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExchangeTakeArgs {
    /// The roster received from the orchestrator's owner
    #[arg(value_name = "ROSTER")]
    pub roster: PathBuf,

    /// The owner's fingerprint, read to you by the owner: needed the first time only
    #[arg(long, value_name = "SHA256:...")]
    pub owner_fingerprint: Option<String>,

    #[command(flatten)]
    pub party: ExchangeParty,
}

#[derive(Debug, Args)]
pub struct ExchangeSealArgs {
    #[command(flatten)]
    pub party: ExchangeParty,

    /// Directory the sealed files are written to [default: --dir]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Issue new secrets for every partner (each partner then applies its new sealed file)
    #[arg(long)]
    pub rotate: bool,

    /// Print a diff of every change, secrets masked, and write nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub secrets: ExistingSecretArgs,
}

#[derive(Debug, Args)]
pub struct ExchangeOpenArgs {
    /// Sealed files received (sealed-SERVER-for-MSPID.yaml)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Print a diff of every change, secrets masked, and write nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub secrets: ExistingSecretArgs,

    #[command(flatten)]
    pub party: ExchangeParty,
}

#[derive(Debug, Args)]
pub struct ExchangeStatusArgs {
    #[command(flatten)]
    pub party: ExchangeParty,
}

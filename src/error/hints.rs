//! The hints of bad input: what to do next, one constant each, beside the exit codes. The
//! hints of probe failures are in `probe`, those of `check outgoing` rows in `outgoing`.

pub const NAME_ORGS_OR_DIR: &str = "name the organizations, or pass --dir and --values-pattern";
pub const INIT_PASS_YES: &str =
    "or pass --yes to take the default of every question not answered by a flag";
pub const INIT_NAMESPACE_NAME: &str =
    "init names organizations' namespaces org-<name>: use lowercase letters, digits and '-'";
pub const INIT_BACKEND_ADDRESS: &str =
    "write it as http(s)://HOST[:PORT][/PATH] with {org} in HOST, e.g. https://api.{org}.example.com";
pub const INIT_TLS_KEPT: &str =
    "drop the flag to keep the deployment as it is, or run init with --out on a new directory";
pub const PAIR_HALF: &str =
    "put back the file that belongs with it, or move both away so that init makes a new pair";
pub const HOST_PORT: &str = "write host:port, e.g. orchestrator.example.com:443 or [::1]:9000";
pub const HEADER_FORM: &str = "write headers as -H 'name: value'";
pub const DURATION_FORM: &str = "write a number with a unit: 500ms, 90s, 5m or 1h";
pub const LEGACY_OR_ALL: &str = "drop --all, or drop --format legacy to see the matrix";
pub const CHECK_ORG_NAME: &str = "check the organization's name, --dir and --values-pattern";
pub const SET_MSP_ID: &str =
    "set orchestrator.mspID, the organization's MSP ID, in its values file";
pub const ADDRESS_FORM: &str = "for example --address biotechnica=https://api.biotechnica.example";
pub const OUTGOING_WHICH: &str =
    "pass --org NAME (with --dir), --values FILE, --all or --in-cluster";
pub const DIR_AND_PATTERN: &str = "pass --dir and --values-pattern";
pub const IN_CLUSTER_OUTPUT: &str =
    "run the command by hand and read its output: the backend may be too old or failing";
pub const CA_HALF: &str = "restore the missing file, or move the other away to make a new CA";
pub const FORCE_OR_OUT: &str =
    "pass --force to replace them (the CA is never replaced), or choose another --out";
pub const OUT_UNWRITABLE: &str = "choose another --out, or fix the directory's permissions";
pub const SHORTER_HOST: &str = "give a shorter --host first; longer names can follow as --san";
pub const ORG_NAME_FORM: &str =
    "organization names are MSP IDs: at most 64 characters, no whitespace or '/'";
pub const DEPLOYMENT_DIR: &str = "pass the deployment directory with --dir, and --values-pattern if its files are named otherwise";
pub const CONTEXT_FORM: &str =
    "for example --context ingen=gke-ingen, or --context orchestrator=gke-main";
pub const CA_CN: &str = "pass --ca-cn NAME, or leave it out for \"Orchestrator Root CA\"";
pub const NOTHING_TO_MAKE: &str = "pass --host NAME for the orchestrator's server certificate, --org MSPID for a backend's client certificate, or both";
pub const CHART_DEFAULT_MSP_ID: &str =
    "OwkinPeerMSP is the chart's default: set orchestrator.mspID in each file to the organization's MSP ID";

pub const MANIFEST_MISSING: &str = "put the Secret manifest beside the values file (decrypt it \
     first if it is kept sealed or encrypted), or remove addAccountOperator.existingSecret";
pub const MSP_ID_OR_FLAG: &str = "set it to the organization's MSP ID, or pass --msp-id ID";
pub const NEW_KEY: &str = "pass --new-key to replace it with a key of --key-type";
pub const CA_DIR: &str = "pass the directory of the CA (orchestrator-ca.crt and .key) with --out";
pub const NO_CA: &str =
    "pass the directory of `substractl certs gen` (or of the guide's openssl CA) with --out";
pub const FORCE_SIGNED: &str = "pass --force to replace them with the certificates signed now";
pub const SERVER_HOST: &str =
    "pass --host NAME (and --service NAME.NAMESPACE for in-cluster names)";
pub const CHECK_SENDER: &str = "check who sent the request, and the MSP ID it should hold";
pub const OTHER_MSP_ID: &str = "the orchestrator refuses a client whose certificate names another MSP ID: ask the orchestrator's owner to sign this organization's request";
pub const ORCHESTRATOR_CA: &str =
    "pass the orchestrator's CA certificate with --ca, as its owner sent it with the certificate";

/// A request whose O= is not in the orchestrator's channels.
pub fn admit_msp_id(msp_id: &str) -> String {
    format!(
        "check who sent the request; to admit {msp_id}, add it to a channel (substractl link \
         --channel) or pass --msp-id {msp_id}"
    )
}

/// A request signed with no way to tell who the orchestrator knows.
pub fn name_msp_id(msp_id: &str) -> String {
    format!(
        "pass --values-dir DIR (its orchestrator-values.yaml lists the organizations in its \
         channels), or --msp-id {msp_id} once you know who sent the request"
    )
}

/// A certificate sent back that is not the pair of the organization's key.
/// A client certificate that cannot serve as one (a CA, no clientAuth).
pub const SIGN_AS_CLIENT: &str = "ask the orchestrator's owner to sign your request with \
     `substractl certs sign`, which makes a client certificate (clientAuth, not a CA)";

pub fn install_own_pair(key: &std::path::Path, msp_id: &str) -> String {
    format!(
        "install the certificate signed from the request made with {} (substractl certs request \
         made {msp_id}.csr from it), or pass its key with --key",
        key.display()
    )
}

/// A named organization without a values file, in a directory that holds others.
pub fn typo(closest: Option<&str>, missing: &str) -> String {
    let guess = closest.map(|c| format!("did you mean {c}? ")).unwrap_or_default();
    format!("{guess}to start the values file of a new organization {missing}, pass --create")
}

/// A file this user may not read. It may well be sound: the hint is the permission, never to
/// make it again (a new CA would invalidate every certificate deployed).
pub fn read_permission(path: &std::path::Path) -> String {
    format!(
        "give this user read permission on {} (ls -l shows its owner and mode), or run \
         substractl as its owner; do not make the file again: it may well be sound",
        path.display()
    )
}

/// A CA key in --out that is not the CA certificate's.
pub fn ca_key_mismatch(key: &std::path::Path) -> String {
    format!("put the CA's own key in {}, or move both files away to make a new CA", key.display())
}
/// A socket or file that could not be opened for want of files (EMFILE).
pub const OPEN_FILES: &str = "substractl holds one open file per probe in flight: lower \
     --concurrency, or raise the limit of open files (`ulimit -n`)";

//! The hints of `check outgoing`: what to do about each trouble a row can have.

use crate::kube::KubeError;
use crate::report::outgoing::Trouble;

/// What the two values files of a pair say, when the server refused the client's credentials.
pub enum FilesSay<'a> {
    /// The server's file is not at hand.
    ServerUnknown { server: &'a str, link: &'a str },
    /// The server's file names a Secret manifest that is not at hand (`why`).
    ServerManifestMissing { server: &'a str, why: &'a str, link: &'a str },
    /// The server's file has no incoming entry for the client.
    MissingOnServer { server: &'a str, client: &'a str, file: String, link: &'a str },
    /// Both files hold the same secret: the running backend has not been given its file.
    Agree { server: &'a str, client: &'a str, file: String, helm: String },
    /// The files hold different secrets.
    Differ { server: &'a str, client: &'a str, link: &'a str },
}

/// The hint for refused credentials. `link` commands never name one organization twice (a
/// self pair is repaired by `substractl link ORG`).
pub fn rejected_hint(said: &FilesSay<'_>) -> String {
    match said {
        FilesSay::ServerUnknown { server, link } => format!(
            "{server}'s backend refused the secret, and {server}'s values file is not in --dir to \
             compare with: re-pair them with `{link}` where both files are, then helm upgrade both"
        ),
        FilesSay::ServerManifestMissing { server, why, link } => format!(
            "{server}'s backend refused the secret, and {server}'s credentials cannot be compared \
             ({why}): bring that manifest into --dir to compare, or re-pair them with `{link}` \
             where all the files are, then apply both"
        ),
        FilesSay::MissingOnServer { server, client, file, link } => format!(
            "{file} ({server}) has no incomingOrganizations entry for {client}: pair them with \
             `{link}`, then helm upgrade both"
        ),
        FilesSay::Agree { server, client, file, helm } => format!(
            "the values files agree ({file} holds this secret for {client}), so {server}'s running \
             backend has not been given its file yet: apply it on {server}'s cluster with \
             `{helm}` (re-pairing would only rotate the secret again)"
        ),
        FilesSay::Differ { server, client, link } => format!(
            "{server}'s incoming secret for {client} differs from {client}'s outgoing secret: \
             re-pair them with `{link}`, then helm upgrade both"
        ),
    }
}

/// What to do about a row's trouble. `on_reject` is the hint for refused credentials, built
/// from what the values files say, when they are known.
pub fn hint(trouble: &Trouble, org_id: &str, on_reject: Option<&str>) -> String {
    match trouble {
        Trouble::NoAddress => format!(
            "pass --address {org_id}=URL, or set server.defaultDomain in {org_id}'s values file in --dir"
        ),
        Trouble::OpenFiles => crate::error::hints::OPEN_FILES.to_string(),
        Trouble::Unreachable => format!(
            "check the address of {org_id} (its server.defaultDomain, the ingress and DNS) and that \
             its backend is running"
        ),
        Trouble::Tls => {
            "the certificate did not verify: pass --cacert with the CA that signed it, or check \
             the name in the address"
                .to_string()
        }
        Trouble::BadStatus => format!(
            "the address answers but not as a healthy backend: read the logs of {org_id}'s \
             backend server pod"
        ),
        Trouble::Rejected => match on_reject {
            Some(text) => text.to_string(),
            None => format!(
                "{org_id}'s backend refused the secret: compare the two values files with \
                 substractl check links, re-pair them with substractl link if they differ, and \
                 helm upgrade both"
            ),
        },
        Trouble::Throttled => format!(
            "{org_id}'s backend throttles anonymous requests per client address (40 a minute by \
             default: DRF's AnonRateThrottle, DEFAULT_THROTTLE_RATES), and this machine's address \
             has spent its allowance (other checks, or the backends' own traffic from behind the \
             same address, count too): wait for Retry-After; a check with credentials sends no \
             anonymous request"
        ),
        Trouble::ThrottledAuthenticated => format!(
            "{org_id}'s backend does not throttle authenticated requests: an ingress or proxy in \
             front of it limits this machine's address; wait for Retry-After, or read its \
             rate-limit settings"
        ),
        Trouble::UnusableSecret => format!(
            "the credentials for {org_id} cannot work by the backend's rule (the cell says why): \
             re-pair them with substractl link, which replaces such a secret, then helm upgrade \
             both"
        ),
        Trouble::NoChannel => {
            "pass --channel, or list a channel under orchestrator.channels in the values file"
                .to_string()
        }
        Trouble::BadAddress => format!(
            "fix the address of {org_id} (its server.defaultDomain, or --address): \
             http(s)://HOST[:PORT], without a user name, query or fragment"
        ),
        Trouble::Redirected => format!(
            "the address of {org_id} answers with a redirect, which proves nothing about its \
             backend: set its server.defaultDomain (or --address) to the address the backend \
             serves itself"
        ),
        Trouble::NotInTable => format!(
            "the running backend does not list {org_id} among its outgoing organizations: apply \
             the values file to it (helm upgrade), and check that the orchestrator has announced \
             {org_id}"
        ),
        Trouble::NoSecret => format!(
            "the values file holds no outgoing secret for {org_id} (existingSecret?): pair them \
             with substractl link, or check with --no-auth"
        ),
    }
}

/// The hint of a row of the in-cluster table that holds control characters, which the
/// backend's command never prints.
pub const UNTRUSTED_ROW: &str = "this row of kubectl's output holds control characters, which \
    the backend's command never prints: the in-cluster output is not a table substractl can \
    trust; run `./manage.py get_outgoing_organization` in the backend server pod by hand (kubectl \
    exec) to see what prints it";

/// The hint of a row: the hints of its troubles, joined.
pub fn row_hint(troubles: &[Trouble], org_id: &str, relink: Option<&str>) -> Option<String> {
    if troubles.is_empty() {
        return None;
    }
    Some(troubles.iter().map(|t| hint(t, org_id, relink)).collect::<Vec<_>>().join("; "))
}

/// What to do when kubectl could not run the backend's own command; `place` names the
/// context and namespace.
pub fn kube_hint(err: &KubeError, place: &str) -> String {
    match err {
        KubeError::Missing => {
            "install kubectl, or run the check from outside with substractl check outgoing --org"
                .to_string()
        }
        KubeError::NoPod { .. } => {
            "pass the --context and --namespace of the organization's backend (see helm list -A)"
                .to_string()
        }
        KubeError::SeveralPods { .. } => {
            "several backends answer this label here: pass the --namespace of one of them"
                .to_string()
        }
        KubeError::Timeout { exited: true, .. } => {
            "kubectl left a process behind that kept its output open (a credential plugin or a \
             wrapper?): run it by hand to see, or pass a longer --timeout"
                .to_string()
        }
        KubeError::Timeout { .. } => "the cluster or the pod did not answer in time: check \
                                      kubectl access and the pod's state, or pass a longer \
                                      --timeout (the backend's command waits up to 30 s for \
                                      each organization it cannot reach, one after the other)"
            .to_string(),
        KubeError::TooMuch { .. } => format!(
            "this is not the table of get_outgoing_organization: check what kubectl prints \
             ({place}) when run by hand"
        ),
        KubeError::BadPodName { .. } => format!(
            "run kubectl get pod -l app.kubernetes.io/name=substra-backend-server -o name \
             ({place}) by hand: it should print pod/NAME"
        ),
        KubeError::Failed { .. } | KubeError::Spawn { .. } => {
            format!("check that kubectl reaches the cluster ({place}) and that the pod is running")
        }
    }
}

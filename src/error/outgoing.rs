//! The hints of `check outgoing`: what to do about each trouble a row can have.

use crate::kube::KubeError;
use crate::report::outgoing::Trouble;

/// What to do about a row's trouble. `relink` is the `substractl link` command that re-pairs
/// the two organizations, when their values files are known.
pub fn hint(trouble: &Trouble, org_id: &str, relink: Option<&str>) -> String {
    match trouble {
        Trouble::NoAddress => format!(
            "pass --address {org_id}=URL, or set server.defaultDomain in {org_id}'s values file in --dir"
        ),
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
        Trouble::Rejected => match relink {
            Some(cmd) => format!(
                "the two sides' secrets differ: re-pair them with `{cmd}`, then helm upgrade both"
            ),
            None => format!(
                "the two sides' secrets differ: re-pair them with `substractl link <this org> \
                 <{org_id}> --dir DIR`, then helm upgrade both"
            ),
        },
        Trouble::Throttled => {
            "the backend throttles this address (too many requests): wait a minute and check again"
                .to_string()
        }
        Trouble::NoChannel => {
            "pass --channel, or list a channel under orchestrator.channels in the values file"
                .to_string()
        }
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
        KubeError::Failed { .. } | KubeError::Spawn { .. } => {
            format!("check that kubectl reaches the cluster ({place}) and that the pod is running")
        }
    }
}
